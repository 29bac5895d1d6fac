//! `Unplaced::cannot_join`: every visitor it marks is one that no plan
//! places together with all the visitors the outcome places (brute force).

use std::collections::BTreeSet;

use jobswap::{AgentId, Edition, Instance, Strategy};
use proptest::prelude::*;

use crate::common::{ORACLE, config, oracle, random_edition};

fn with(mut e: Edition, strategy: Strategy) -> Edition {
    e.policy.strategy = strategy;
    e.policy.max_visits_per_agent = 1;
    e
}

/// Checks every visitor left out of `e`'s outcome against brute force:
/// one marked `cannot_join` must be impossible to add. Returns (marked,
/// impossible to add).
fn check(e: Edition) -> Result<(usize, usize), TestCaseError> {
    let i = Instance::new(e).unwrap();
    let o = i.solve();
    let placed: BTreeSet<AgentId> = o.pairings().iter().map(|p| p.visitor.clone()).collect();
    let (mut marked, mut impossible) = (0, 0);
    for u in o.unplaced().iter().filter(|u| !u.is_capped()) {
        // Class 0: the visitors placed and `u`; the best plan for class 0
        // places them all exactly when `u` can join.
        let class =
            |a: &jobswap::Agent| usize::from(!(placed.contains(&a.id) || a.id == u.visitor));
        let (by, _, _) = oracle::optimum_by_class(i.edition(), i.calendar().days(), &class);
        let can = by[0] as usize == placed.len() + 1;
        if !can {
            impossible += 1;
        }
        if u.cannot_join {
            marked += 1;
            prop_assert!(
                !can,
                "{} is marked, yet a plan places it with the others",
                u.visitor
            );
        }
    }
    Ok((marked, impossible))
}

proptest! {
    #![proptest_config(config(64))]

    /// Sound for the draw (which leaves people out a plan could add) and
    /// for the optimal strategy (where the bound often proves it for all).
    #[test]
    fn cannot_join_is_never_wrong(seed in any::<u64>()) {
        check(with(random_edition(seed, ORACLE), Strategy::Draw))?;
        check(with(random_edition(seed, ORACLE), Strategy::Optimal))?;
    }
}

/// The sample is not vacuous: the draw's outcomes have visitors marked,
/// most of those who cannot join.
#[test]
fn cannot_join_marks_many_of_those_who_cannot() {
    let (mut marked, mut impossible) = (0, 0);
    for seed in 0..200 {
        let (m, i) = check(with(random_edition(seed, ORACLE), Strategy::Draw)).unwrap();
        marked += m;
        impossible += i;
    }
    assert!(
        marked > 0 && 2 * marked >= impossible,
        "{marked} marked of {impossible}"
    );
}
