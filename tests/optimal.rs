//! The optimal strategy: every outcome passes the checker and ignores
//! input order; its bound is never below the true optimum (brute force on
//! tiny editions); where the problem is a plain assignment it equals the
//! brute-force optimum exactly (placed and rank sum).

use jobswap::{Duration, Edition, Instance, Strategy, verify};
use proptest::prelude::*;

use crate::common::{ORACLE, config, oracle, random_edition, shuffled};

fn optimal(mut e: Edition) -> Edition {
    e.policy.strategy = Strategy::Optimal;
    e.policy.max_visits_per_agent = 1;
    e
}

/// Makes a random edition a plain assignment: half-days only, nobody both
/// visiting and hosting, caps that never bind, everyone with wishes.
fn plain(mut e: Edition) -> Edition {
    for w in &mut e.wishes {
        w.duration = Duration::HalfDay;
    }
    let n = e.agents.len() as u32;
    for s in &mut e.services {
        s.continuity_cap = n;
        s.cap_overrides.clear();
        s.max_visitors = None;
    }
    let hosts: Vec<_> = e.host_slots.iter().map(|h| h.host.clone()).collect();
    for a in &mut e.agents {
        if hosts.contains(&a.id) {
            a.visits = false;
        }
    }
    let with_wishes: Vec<_> = e.wishes.iter().map(|w| w.visitor.clone()).collect();
    for a in &mut e.agents {
        if a.visits && !with_wishes.contains(&a.id) {
            a.visits = false;
        }
    }
    e.wishes.retain(|w| {
        let a = e.agents.iter().find(|a| a.id == w.visitor);
        a.is_some_and(|a| a.visits)
    });
    e
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn optimal_outcomes_pass_the_checker_and_ignore_input_order(seed in any::<u64>(), shuffle in any::<u64>()) {
        let e = optimal(random_edition(seed, ORACLE));
        let i = Instance::new(e.clone()).unwrap();
        let o = i.solve();
        let v = verify(i.edition(), &o);
        prop_assert!(v.is_empty(), "{v:?}");
        let o2 = Instance::new(shuffled(&e, shuffle)).unwrap().solve();
        prop_assert_eq!(&o, &o2);
        let bound = o.bound().expect("the optimal strategy reports a bound");
        prop_assert!(bound.placed >= o.report().placed);
    }

    #[test]
    fn the_bound_is_never_below_the_optimum(seed in any::<u64>()) {
        let e = optimal(random_edition(seed, ORACLE));
        let i = Instance::new(e.clone()).unwrap();
        let (best, _) = oracle::optimum(i.edition(), i.calendar().days());
        let o = i.solve();
        prop_assert!(o.report().placed <= best, "placed more than the optimum?");
        prop_assert!(o.bound().unwrap().placed >= best, "bound {} < optimum {best}", o.bound().unwrap().placed);
    }

    #[test]
    fn plain_assignments_are_solved_exactly(seed in any::<u64>()) {
        let e = plain(optimal(random_edition(seed, ORACLE)));
        let i = Instance::new(e).unwrap();
        let (placed, rank_sum) = oracle::optimum(i.edition(), i.calendar().days());
        let o = i.solve();
        prop_assert!(verify(i.edition(), &o).is_empty());
        prop_assert_eq!((o.report().placed, o.report().rank_sum), (placed, u64::from(rank_sum)));
        prop_assert_eq!(o.bound().unwrap().placed, placed);
    }
}
