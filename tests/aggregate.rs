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

/// With one priority class per visitor on an edition of 8 000 visitors,
/// `class × unit` would pass the flow solver's cost range (2^28): the flow
/// then serves visits and ranks without the classes, and still gives the
/// maximum (before, the flow was refused and the aggregate came back
/// empty, which also made the optimal strategy's bound 0).
#[test]
fn aggregate_with_thousands_of_classes_is_still_the_maximum_flow() {
    let services = 20u32;
    let visitors: Vec<serde_json::Value> = (0..8_000u32)
        .map(|i| {
            let origin = i % services;
            let wishes: Vec<u32> = (1..=5).map(|k| (origin + k + i / 7 % 3) % services).collect();
            serde_json::json!({"origin": origin, "wishes": wishes, "full_day": false, "available": [0, 1]})
        })
        .collect();
    let core: jobswap::core_format::CoreInstance = serde_json::from_value(serde_json::json!({
        "format": "jobswap-core",
        "version": 1,
        "days": 2,
        "services": (0..services)
            .map(|s| serde_json::json!({"away_cap": 1000, "host_cap": [1, 1, u32::from(s % 2 == 0), 1]}))
            .collect::<Vec<_>>(),
        "visitors": visitors,
    }))
    .expect("a core instance");
    let plain = jobswap::Instance::new(
        core.to_edition(Policy::new(Strategy::Optimal))
            .expect("edition"),
    )
    .expect("valid")
    .aggregate();
    let mut edition = core
        .to_edition(Policy::new(Strategy::Optimal))
        .expect("edition");
    let visitors: Vec<_> = edition
        .agents
        .iter()
        .filter(|a| a.id.as_str().starts_with('v'))
        .map(|a| vec![a.id.clone()])
        .collect();
    assert_eq!(visitors.len(), 8_000);
    edition.policy.tiers = visitors;
    let tiered = jobswap::Instance::new(edition).expect("valid").aggregate();
    assert_eq!(plain.placed, 70, "every service's capacity is used");
    assert_eq!(
        (tiered.placed, tiered.rank_sum),
        (plain.placed, plain.rank_sum)
    );
}
