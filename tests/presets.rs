//! The optimal strategy on the peer harness's seed-1 presets, against the
//! figures the exact peers proved (`bench/RESULTS.md`: CP-SAT and `HiGHS`) —
//! what the crate promises there, kept from regressing. The instances are
//! read from the harness beside the crate when present (they are not
//! copied into the crate); the runs use the bridge's default seed, 1.

use jobswap::{Outcome, Policy, Strategy, verify};

use crate::common::bench_preset;

/// The optimal strategy's outcome on preset `name` (checked by `verify`),
/// or `None` when the harness is not beside the crate.
fn optimal(name: &str) -> Option<Outcome> {
    let instance = bench_preset(name, Policy::new(Strategy::Optimal).seed(1))?;
    let outcome = instance.solve();
    assert!(verify(instance.edition(), &outcome).is_empty(), "{name}");
    let bound = outcome
        .bound
        .as_ref()
        .expect("the optimal strategy's bound");
    assert!(bound.placed >= outcome.report.placed, "{name}");
    Some(outcome)
}

#[test]
fn tiny_and_small_reach_the_proven_optimum() {
    // Placed and rank sum of the optimum (CP-SAT; `HiGHS` for small too).
    for (name, placed, rank_sum) in [("tiny", 11, 14), ("small", 167, 307)] {
        if let Some(o) = optimal(name) {
            assert_eq!(
                (o.report.placed, o.report.rank_sum),
                (placed, rank_sum),
                "{name}"
            );
        }
    }
}

#[test]
fn medium_places_at_least_99_5_percent_of_the_optimum() {
    // The optimum places 1 736 (`HiGHS`); 99.5 % of it is 1 728.
    if let Some(o) = optimal("medium") {
        assert!(o.report.placed >= 1728, "placed {}", o.report.placed);
        // The optimum's 1 736 is below any valid bound.
        assert!(o.bound.as_ref().unwrap().placed >= 1736);
    }
}
