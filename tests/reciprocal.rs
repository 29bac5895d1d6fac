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

/// The two legs of every pair in `o`: each names the other, and both exist.
fn legs_of(o: &jobswap::Outcome) -> Vec<(&jobswap::Pairing, &jobswap::Pairing)> {
    o.pairings()
        .iter()
        .filter_map(|p| {
            let partner = p.reciprocal.as_ref()?;
            let back = o.pairing_of(partner).expect("the other leg exists");
            assert_eq!(back.reciprocal.as_ref(), Some(&p.visitor), "linked back");
            (p.visitor < back.visitor).then_some((p, back))
        })
        .collect()
}

/// The outcomes of `e` with seeds 0 to 7, each checked by `verify`.
fn checked_with_seeds(e: &jobswap::Edition) -> Vec<jobswap::Outcome> {
    (0..8u64)
        .map(|seed| {
            let mut e = e.clone();
            e.policy.seed = seed.into();
            let i = Instance::new(e).unwrap();
            let o = i.solve();
            assert!(jobswap::verify(i.edition(), &o).is_empty(), "seed {seed}");
            o
        })
        .collect()
}

/// A one-day edition of services `A` and `B` (each hosted by `ah` / `bh`,
/// capacity 2 both halves) with the given visitors `(id, service, wished)`,
/// half-day wishes of rank 1, legs swapped.
fn swap_edition(visitors: &[(&str, &str, &str)]) -> jobswap::Edition {
    use jobswap::{Agent, Edition, HostSlot, Part, Service, Wish};
    let d = crate::common::monday();
    let mut e = Edition::new("swap", d, d)
        .service(Service::new("A", "Service A"))
        .service(Service::new("B", "Service B"))
        .agent(Agent::new("ah", "Host A", "A").visits(false).hosts(true))
        .agent(Agent::new("bh", "Host B", "B").visits(false).hosts(true))
        .host_slot(HostSlot::new("hA", "ah", d, Part::FullDay).capacity(2))
        .host_slot(HostSlot::new("hB", "bh", d, Part::FullDay).capacity(2));
    for &(id, own, wished) in visitors {
        e = e
            .agent(Agent::new(id, id, own).visits(true).hosts(false))
            .wish(Wish::service(id, wished, 1));
    }
    reciprocal(e, jobswap::Legs::Swap, false)
}

#[test]
fn vis_mon_travail_host_slots_do_not_allow_swaps() {
    // The example's host slots are made for the same-day form (each agent
    // hosts one half-day, for their partner): no swap fits, and no leg is
    // published alone.
    let e =
        jobswap::json::read_edition(include_str!("../examples/data/vis-mon-travail.json")).unwrap();
    let e = reciprocal(e, jobswap::Legs::Swap, false);
    let visitors = e.agents.iter().filter(|a| a.visits).count();
    let i = Instance::new(e).unwrap();
    let o = i.solve();
    assert!(jobswap::verify(i.edition(), &o).is_empty());
    assert!(o.pairings().is_empty());
    assert_eq!(o.unplaced().len(), visitors);
    assert!(o.unplaced().iter().all(|u| !u.reasons.is_empty()));
}

#[test]
fn swap_refused_by_the_continuity_caps_leaves_both_out_with_reasons() {
    use jobswap::{ServiceId, Target, UnplacedReason};
    // Three binômes, two half-days, one agent of each service away at a
    // time: the third swap fits nowhere.
    let e = swap_edition(&[
        ("a1", "A", "B"),
        ("a2", "A", "B"),
        ("a3", "A", "B"),
        ("b1", "B", "A"),
        ("b2", "B", "A"),
        ("b3", "B", "A"),
    ]);
    for o in checked_with_seeds(&e) {
        let legs = legs_of(&o);
        assert_eq!(legs.len(), 2, "two swaps, one a half-day");
        assert_ne!(legs[0].0.part, legs[1].0.part);
        assert_eq!(o.pairings().len(), 4, "no leg without its partner");
        let out: Vec<&str> = o.unplaced().iter().map(|u| u.visitor.as_str()).collect();
        assert_eq!(out.len(), 2, "{out:?}");
        for u in o.unplaced() {
            let (own, wished) = if u.visitor.as_str().starts_with('a') {
                ("A", "B")
            } else {
                ("B", "A")
            };
            assert_eq!(
                u.reasons,
                vec![UnplacedReason::ContinuityCapSaturated {
                    target: Target::Service(ServiceId::new(wished)),
                    own_service: ServiceId::new(own),
                }],
                "{}",
                u.visitor
            );
        }
    }
}

#[test]
fn swap_needs_both_caps_at_the_same_half_day() {
    use jobswap::{HalfDay, Slot};
    // A may not be away in the morning, B not in the afternoon: the same
    // day works (a1 in the afternoon, b1 in the morning), a swap does not.
    let d = crate::common::monday();
    let mut e = swap_edition(&[("a1", "A", "B"), ("b1", "B", "A")]);
    e.services[0] = e.services[0]
        .clone()
        .cap_override(Slot::new(d, HalfDay::Morning), 0);
    e.services[1] = e.services[1]
        .clone()
        .cap_override(Slot::new(d, HalfDay::Afternoon), 0);
    let o = Instance::new(e.clone()).unwrap().solve();
    assert!(o.pairings().is_empty(), "never one leg only");
    let out: Vec<&str> = o.unplaced().iter().map(|u| u.visitor.as_str()).collect();
    assert_eq!(out, ["a1", "b1"]);
    assert!(o.unplaced().iter().all(|u| !u.reasons.is_empty()));
    let same_day = reciprocal(e, jobswap::Legs::SameDay, false);
    let i = Instance::new(same_day).unwrap();
    let o = i.solve();
    assert!(jobswap::verify(i.edition(), &o).is_empty());
    assert_eq!(legs_of(&o).len(), 1);
}

#[test]
fn swap_refused_with_one_partner_is_made_with_another() {
    use jobswap::{HalfDay, Slot};
    // a1 may pair with b1 or b2. b1 is free in the morning only, when A
    // may not be away; b2 in the afternoon only. Whichever pair the seed
    // forms first, the swap ends up with b2, in the afternoon.
    let d = crate::common::monday();
    let mut e = swap_edition(&[("a1", "A", "B"), ("b1", "B", "A"), ("b2", "B", "A")]);
    e.services[0] = e.services[0]
        .clone()
        .cap_override(Slot::new(d, HalfDay::Morning), 0);
    for (agent, busy) in [("b1", HalfDay::Afternoon), ("b2", HalfDay::Morning)] {
        let a = e
            .agents
            .iter_mut()
            .find(|a| a.id.as_str() == agent)
            .unwrap();
        *a = a.clone().unavailable_slot(Slot::new(d, busy));
    }
    for o in checked_with_seeds(&e) {
        let legs = legs_of(&o);
        assert_eq!(legs.len(), 1, "seed {}", o.seed);
        let (p, q) = legs[0];
        assert_eq!((p.visitor.as_str(), q.visitor.as_str()), ("a1", "b2"));
        assert_eq!(p.part, jobswap::Part::Afternoon);
        assert_eq!(o.pairings().len(), 2);
        assert_eq!(o.unplaced().len(), 1);
    }
}

#[test]
fn swap_does_not_pair_legs_of_different_durations() {
    let mut e = swap_edition(&[("a1", "A", "B"), ("b1", "B", "A")]);
    e.wishes[0] = e.wishes[0].clone().duration(jobswap::Duration::FullDay);
    let o = Instance::new(e.clone()).unwrap().solve();
    assert!(o.pairings().is_empty());
    // Both full days: one swap, the whole day.
    e.wishes[1] = e.wishes[1].clone().duration(jobswap::Duration::FullDay);
    let i = Instance::new(e).unwrap();
    let o = i.solve();
    assert!(jobswap::verify(i.edition(), &o).is_empty());
    let legs = legs_of(&o);
    assert_eq!(legs.len(), 1);
    assert_eq!(legs[0].0.part, jobswap::Part::FullDay);
    assert_eq!(legs[0].1.part, jobswap::Part::FullDay);
}

proptest::proptest! {
    // A third of the cases are swaps, and about one random edition in
    // eight has a swap that fits.
    #![proptest_config(crate::common::config(192))]

    /// Reciprocal outcomes pass the checker (which rejects a leg without its
    /// partner's), publish whole pairs only, ignore input order, and keep
    /// the legs' form: the same day (one in the morning, the other in the
    /// afternoon), exactly the same half-days for a swap (neither partner
    /// hosting the other), or far enough apart.
    #[test]
    fn reciprocal_outcomes_are_whole_pairs(
        seed in proptest::prelude::any::<u64>(),
        shuffle in proptest::prelude::any::<u64>(),
        gap in 0u32..3,
        form in 0u8..3,
        mixed in proptest::prelude::any::<bool>(),
    ) {
        use jobswap::{Legs, Part};
        let legs = match form {
            0 => Legs::SameDay,
            1 => Legs::Swap,
            _ => Legs::Anywhere { min_gap_days: gap },
        };
        let e = reciprocal(crate::common::random_edition(seed, crate::common::SMALL), legs, mixed);
        let i = Instance::new(e.clone()).unwrap();
        let o = i.solve();
        let v = jobswap::verify(i.edition(), &o);
        proptest::prop_assert!(v.is_empty(), "{v:?}");
        let o2 = Instance::new(crate::common::shuffled(&e, shuffle)).unwrap().solve();
        proptest::prop_assert_eq!(&o, &o2);
        let pairs = legs_of(&o);
        let linked = o.pairings().iter().filter(|p| p.reciprocal.is_some()).count();
        proptest::prop_assert_eq!(linked, 2 * pairs.len(), "no pair with one leg only");
        for (p, back) in pairs {
            match legs {
                Legs::SameDay if p.part != Part::FullDay && back.part != Part::FullDay => {
                    proptest::prop_assert!(back.date == p.date && back.part != p.part);
                }
                Legs::Swap => {
                    proptest::prop_assert_eq!((p.date, p.part), (back.date, back.part));
                    proptest::prop_assert_ne!(&p.host, &back.visitor);
                    proptest::prop_assert_ne!(&back.host, &p.visitor);
                }
                Legs::Anywhere { min_gap_days } => {
                    let days = i.calendar().days();
                    let k = |d| days.iter().position(|x| *x == d).unwrap();
                    proptest::prop_assert!(k(p.date).abs_diff(k(back.date)) as u32 >= min_gap_days);
                }
                _ => {}
            }
        }
        if !mixed {
            proptest::prop_assert_eq!(linked, o.pairings().len(), "pure mode places pairs only");
        }
    }
}
