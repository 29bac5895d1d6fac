//! The aggregate relaxation (`Instance::aggregate`) against the peer
//! harness: OR-Tools' min-cost flow in `bench/flow_bound.py`, whose optimum
//! on the seed-1 presets is listed in `bench/RESULTS.md` (tiny, small,
//! medium, huge) or was printed by `flow_bound.py` itself (hot,
//! cityhall-tight, large). The instances are read from the harness beside
//! the crate when present (they are not copied into the crate).

use jobswap::core_format::CoreInstance;
use jobswap::{Instance, Policy, Strategy};

/// Checks that the crate's aggregate optimum on preset `name` is `placed`
/// visitors with rank sum `rank_sum`, as the peer's; skipped when the
/// harness is not beside the crate.
fn same_as_peer(name: &str, placed: u32, rank_sum: u64) {
    let path = format!(
        "{}/../shared/bench/instances/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {path} not found");
        return;
    };
    let core: CoreInstance = serde_json::from_str(&text).unwrap();
    let edition = core.to_edition(Policy::new(Strategy::Optimal)).unwrap();
    let aggregate = Instance::new(edition).unwrap().aggregate();
    assert_eq!(
        (aggregate.placed, aggregate.rank_sum),
        (placed, rank_sum),
        "{name}: the crate's aggregate optimum differs from OR-Tools'"
    );
    assert_eq!(aggregate.assignments.len(), placed as usize, "{name}");
    let ranks: u64 = aggregate
        .assignments
        .iter()
        .map(|a| u64::from(a.rank.unwrap_or(0)))
        .sum();
    assert_eq!(ranks, rank_sum, "{name}: the assignments' ranks");
}

#[test]
fn aggregate_equals_the_peer_flow_on_the_small_presets() {
    same_as_peer("tiny", 13, 19);
    same_as_peer("small", 174, 302);
    same_as_peer("medium", 1782, 3195);
    same_as_peer("hot", 1841, 4037);
    same_as_peer("cityhall-tight", 13, 20);
}

#[test]
fn aggregate_equals_the_peer_flow_on_the_large_preset() {
    same_as_peer("large", 13743, 25732);
}
