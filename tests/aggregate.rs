//! The aggregate relaxation (`Instance::aggregate`) against the peer
//! harness: OR-Tools' min-cost flow in `bench/flow_bound.py`, whose optimum
//! on the seed-1 presets is listed in `bench/RESULTS.md` (tiny, small,
//! medium, huge) or was printed by `flow_bound.py` itself (hot,
//! cityhall-tight, large). The instances are read from the harness beside
//! the crate when present (they are not copied into the crate).

use jobswap::{Policy, Strategy};

use crate::common::bench_preset;

/// Checks that the crate's aggregate optimum on preset `name` is `placed`
/// visitors with rank sum `rank_sum`, as the peer's; skipped when the
/// harness is not beside the crate.
fn same_as_peer(name: &str, placed: u32, rank_sum: u64) {
    let Some(instance) = bench_preset(name, Policy::new(Strategy::Optimal)) else {
        return;
    };
    let aggregate = instance.aggregate();
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
