//! Reciprocal binômes on the *Vis mon travail* example: every volunteer is
//! paired with someone whose service they wish and who wishes theirs.

use jobswap::{Instance, Target};

#[test]
fn vis_mon_travail_volunteers_all_form_mutual_pairs() {
    let e =
        jobswap::json::read_edition(include_str!("../examples/data/vis-mon-travail.json")).unwrap();
    let i = Instance::new(e.clone()).unwrap();
    let pairs = i.reciprocal_pairs();
    let visitors = e.agents.iter().filter(|a| a.visits).count();
    assert_eq!(pairs.pairs.len() * 2, visitors, "everyone is paired");
    let service = |id: &jobswap::AgentId| {
        e.agents
            .iter()
            .find(|a| a.id == *id)
            .unwrap()
            .service
            .clone()
    };
    let rank = |who: &jobswap::AgentId, of: &jobswap::AgentId| {
        e.wishes
            .iter()
            .find(|w| w.visitor == *who && w.target == Target::Service(service(of)))
            .map(|w| w.rank)
    };
    let mut weight = 0;
    for p in &pairs.pairs {
        assert_ne!(service(&p.a), service(&p.b));
        assert_eq!(rank(&p.a, &p.b), Some(p.rank_a));
        assert_eq!(rank(&p.b, &p.a), Some(p.rank_b));
        weight += u64::from(6 - p.rank_a) + u64::from(6 - p.rank_b);
    }
    assert_eq!(weight, pairs.weight);
    // Same seed, same pairs.
    assert_eq!(Instance::new(e).unwrap().reciprocal_pairs(), pairs);
}

fn reciprocal(mut e: jobswap::Edition, legs: jobswap::Legs, mixed: bool) -> jobswap::Edition {
    e.policy.strategy = jobswap::Strategy::Reciprocal;
    e.policy.legs = legs;
    e.policy.mixed = mixed;
    e.policy.max_visits_per_agent = 1;
    e
}

#[test]
fn vis_mon_travail_both_legs_the_same_day() {
    let e =
        jobswap::json::read_edition(include_str!("../examples/data/vis-mon-travail.json")).unwrap();
    let e = reciprocal(e, jobswap::Legs::SameDay, false);
    let i = Instance::new(e.clone()).unwrap();
    let o = i.solve();
    assert!(jobswap::verify(i.edition(), &o).is_empty());
    let visitors = e.agents.iter().filter(|a| a.visits).count();
    assert_eq!(
        o.pairings().len(),
        visitors,
        "every volunteer makes their leg"
    );
    for p in o.pairings() {
        let partner = p.reciprocal.as_ref().expect("every leg names its partner");
        let back = o.pairing_of(partner).expect("the other leg exists");
        assert_eq!(back.reciprocal.as_ref(), Some(&p.visitor));
        assert_eq!(back.date, p.date, "same day");
        assert_ne!(
            back.part, p.part,
            "one in the morning, the other in the afternoon"
        );
    }
}

proptest::proptest! {
    #![proptest_config(crate::common::config(64))]

    /// Reciprocal outcomes pass the checker (which rejects a leg without its
    /// partner's), ignore input order, and keep the legs' form.
    #[test]
    fn reciprocal_outcomes_are_whole_pairs(
        seed in proptest::prelude::any::<u64>(),
        shuffle in proptest::prelude::any::<u64>(),
        gap in 0u32..3,
        same_day in proptest::prelude::any::<bool>(),
        mixed in proptest::prelude::any::<bool>(),
    ) {
        let legs = if same_day { jobswap::Legs::SameDay } else { jobswap::Legs::Anywhere { min_gap_days: gap } };
        let e = reciprocal(crate::common::random_edition(seed, crate::common::SMALL), legs, mixed);
        let i = Instance::new(e.clone()).unwrap();
        let o = i.solve();
        let v = jobswap::verify(i.edition(), &o);
        proptest::prop_assert!(v.is_empty(), "{v:?}");
        let o2 = Instance::new(crate::common::shuffled(&e, shuffle)).unwrap().solve();
        proptest::prop_assert_eq!(&o, &o2);
        for p in o.pairings().iter().filter(|p| p.reciprocal.is_some()) {
            let back = o.pairing_of(p.reciprocal.as_ref().unwrap()).unwrap();
            match legs {
                jobswap::Legs::SameDay if p.part != jobswap::Part::FullDay && back.part != jobswap::Part::FullDay => {
                    proptest::prop_assert!(back.date == p.date && back.part != p.part);
                }
                jobswap::Legs::Anywhere { min_gap_days } => {
                    let days = i.calendar().days();
                    let k = |d| days.iter().position(|x| *x == d).unwrap();
                    proptest::prop_assert!(k(p.date).abs_diff(k(back.date)) as u32 >= min_gap_days);
                }
                _ => {}
            }
        }
        if !mixed {
            proptest::prop_assert!(o.pairings().iter().all(|p| p.reciprocal.is_some()), "pure mode places pairs only");
        }
    }
}
