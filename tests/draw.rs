//! The seeded draw: every outcome passes the checker, is independent of
//! input order, explains every visitor left out (each reason re-derived
//! here from the edition and the pairings alone), equals serial
//! dictatorship by exhaustive search for the drawn order, and is pinned by
//! golden vectors.

use std::collections::BTreeMap;

use jobswap::rng::{DrawRng, Stream};
use jobswap::{
    AgentId, Confidentiality, Duration, Edition, HalfDay, Instance, Outcome, Pairing, Part, Slot,
    Target, UnplacedReason, verify,
};
use proptest::prelude::*;

use crate::common::{SMALL, TINY, config, random_edition, shuffled};

fn solve(e: &Edition) -> (Instance, Outcome) {
    let i = Instance::new(e.clone()).expect("generated editions are valid");
    let o = i.solve();
    (i, o)
}

/// Everything the test needs to judge a candidate visit, from the edition
/// and the pairings only.
struct World<'a> {
    e: &'a Edition,
    pairings: &'a [Pairing],
    working: Vec<chrono::NaiveDate>,
}

impl<'a> World<'a> {
    fn new(instance: &'a Instance, pairings: &'a [Pairing]) -> Self {
        World {
            e: instance.edition(),
            pairings,
            working: instance.calendar().days().to_vec(),
        }
    }
    fn agent(&self, id: &str) -> &jobswap::Agent {
        self.e.agents.iter().find(|a| a.id.as_str() == id).unwrap()
    }
    fn service(&self, id: &str) -> &jobswap::Service {
        self.e
            .services
            .iter()
            .find(|s| s.id.as_str() == id)
            .unwrap()
    }
    fn unavailable(a: &jobswap::Agent, slot: Slot) -> bool {
        a.unavailable_dates.contains(&slot.date) || a.unavailable_slots.contains(&slot)
    }
    fn offered(&self, host: &str, slot: Slot) -> u32 {
        if Self::unavailable(self.agent(host), slot) {
            return 0;
        }
        self.e
            .host_slots
            .iter()
            .filter(|h| h.host.as_str() == host && h.date == slot.date && h.part.covers(slot.half))
            .map(|h| h.capacity)
            .sum()
    }
    fn covering(&self, slot: Slot) -> impl Iterator<Item = &Pairing> {
        self.pairings
            .iter()
            .filter(move |p| p.date == slot.date && p.part.covers(slot.half))
    }
    fn host_full(&self, host: &str, slot: Slot) -> bool {
        let n = self
            .covering(slot)
            .filter(|p| p.host.as_str() == host)
            .count() as u32;
        let svc = self.service(self.agent(host).service.as_str());
        let got = self.covering(slot).filter(|p| p.service == svc.id).count() as u32;
        n >= self.offered(host, slot) || svc.max_visitors.is_some_and(|m| got >= m)
    }
    fn continuity_full(&self, visitor: &jobswap::Agent, slot: Slot) -> bool {
        let svc = self.service(visitor.service.as_str());
        let cap = svc
            .cap_overrides
            .iter()
            .find(|o| o.slot == slot)
            .map_or(svc.continuity_cap, |o| o.cap);
        let away = self
            .covering(slot)
            .filter(|p| self.agent(p.visitor.as_str()).service == svc.id)
            .count() as u32;
        away >= cap
    }
    fn overlap(&self, visitor: &str, host: &str, slot: Slot) -> bool {
        self.covering(slot).any(|p| {
            p.visitor.as_str() == visitor
                || p.host.as_str() == visitor
                || p.visitor.as_str() == host
        })
    }
    /// The candidate visits for a target: (host, date, part) offered with
    /// the right duration, and whether the visitor is free for it.
    fn candidates(
        &self,
        visitor: &jobswap::Agent,
        target: &Target,
        full: bool,
    ) -> Vec<(String, Slot, Part, bool)> {
        let hosts: Vec<&jobswap::Agent> = match target {
            Target::Host(h) => vec![self.agent(h.as_str())],
            Target::Service(s) => self
                .e
                .agents
                .iter()
                .filter(|a| a.hosts && a.service == *s)
                .collect(),
        };
        let parts: &[Part] = if full {
            &[Part::FullDay]
        } else {
            &[Part::Morning, Part::Afternoon]
        };
        let mut out = Vec::new();
        for h in hosts {
            for &date in &self.working {
                for &part in parts {
                    let halves = part.halves();
                    if halves
                        .iter()
                        .any(|&x| self.offered(h.id.as_str(), Slot::new(date, x)) == 0)
                    {
                        continue;
                    }
                    let free = halves
                        .iter()
                        .all(|&x| !Self::unavailable(visitor, Slot::new(date, x)));
                    out.push((h.id.to_string(), Slot::new(date, halves[0]), part, free));
                }
            }
        }
        out
    }

    /// Re-derives `reason` for `visitor`; true if it holds.
    fn holds(&self, visitor: &AgentId, reason: &UnplacedReason) -> bool {
        let v = self.agent(visitor.as_str());
        let target = match reason {
            UnplacedReason::NothingOffered => {
                return !self.e.wishes.iter().any(|w| w.visitor == *visitor)
                    && !self.e.agents.iter().any(|a| {
                        a.hosts
                            && a.service != v.service
                            && self.e.host_slots.iter().any(|h| h.host == a.id)
                    });
            }
            UnplacedReason::NoHostSlot { target }
            | UnplacedReason::ConfidentialityMissing { target }
            | UnplacedReason::AlreadyVisited { target }
            | UnplacedReason::DurationNotOffered { target, .. }
            | UnplacedReason::AvailabilityNeverMeets { target }
            | UnplacedReason::HostSlotsTaken { target }
            | UnplacedReason::ContinuityCapSaturated { target, .. }
            | UnplacedReason::Overlap { target }
            | UnplacedReason::SlotsBlocked { target }
            | UnplacedReason::NotChosen { target } => target,
            _ => return false,
        };
        let service = match target {
            Target::Service(s) => s.clone(),
            Target::Host(h) => self.agent(h.as_str()).service.clone(),
        };
        let full = match self
            .e
            .wishes
            .iter()
            .find(|w| w.visitor == *visitor && w.target == *target)
        {
            Some(w) => w.duration == Duration::FullDay,
            None => self.e.policy.default_duration == Duration::FullDay,
        };
        let all = self
            .candidates(v, target, false)
            .into_iter()
            .chain(self.candidates(v, target, true))
            .count();
        let cands = self.candidates(v, target, full);
        let free: Vec<_> = cands.iter().filter(|c| c.3).collect();
        let svc = self.service(service.as_str());
        let blocked = |f: &dyn Fn(&str, Slot) -> bool| {
            free.iter()
                .all(|(h, s, part, _)| part.halves().iter().any(|&x| f(h, Slot::new(s.date, x))))
        };
        match reason {
            UnplacedReason::NoHostSlot { .. } => all == 0,
            UnplacedReason::ConfidentialityMissing { .. } => {
                svc.confidentiality_required
                    && !v.confidentiality_signed
                    && self.e.policy.confidentiality == Confidentiality::Required
            }
            UnplacedReason::AlreadyVisited { .. } => v
                .history
                .iter()
                .any(|h| h.visited.as_ref() == Some(&service)),
            UnplacedReason::DurationNotOffered { duration, .. } => {
                all > 0 && cands.is_empty() && (*duration == Duration::FullDay) == full
            }
            UnplacedReason::AvailabilityNeverMeets { .. } => !cands.is_empty() && free.is_empty(),
            UnplacedReason::HostSlotsTaken { .. } => {
                !free.is_empty() && blocked(&|h, s| self.host_full(h, s))
            }
            UnplacedReason::ContinuityCapSaturated { own_service, .. } => {
                *own_service == v.service
                    && !free.is_empty()
                    && blocked(&|_, s| self.continuity_full(v, s))
            }
            UnplacedReason::Overlap { .. } => {
                !free.is_empty() && blocked(&|h, s| self.overlap(visitor.as_str(), h, s))
            }
            UnplacedReason::SlotsBlocked { .. } => {
                !free.is_empty()
                    && blocked(&|h, s| {
                        self.host_full(h, s)
                            || self.continuity_full(v, s)
                            || self.overlap(visitor.as_str(), h, s)
                    })
            }
            _ => false,
        }
    }
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn draw_outcomes_pass_the_checker_and_ignore_input_order(seed in any::<u64>(), shuffle in any::<u64>()) {
        let e = random_edition(seed, SMALL);
        let (i, o) = solve(&e);
        let violations = verify(i.edition(), &o);
        prop_assert!(violations.is_empty(), "{violations:?}");
        let (_, o2) = solve(&shuffled(&e, shuffle));
        prop_assert_eq!(o, o2);
    }

    #[test]
    fn every_unplaced_visitor_has_true_reasons(seed in any::<u64>()) {
        let e = random_edition(seed, SMALL);
        let (i, o) = solve(&e);
        let placed: std::collections::BTreeSet<&AgentId> = o.pairings().iter().map(|p| &p.visitor).collect();
        let world = World::new(&i, o.pairings());
        for a in e.agents.iter().filter(|a| a.visits) {
            let reasons = o.reasons_for(&a.id);
            prop_assert!(placed.contains(&a.id) == reasons.is_empty(), "{}: placed and reasons disagree", a.id);
            for r in reasons {
                prop_assert!(!matches!(r, UnplacedReason::NotChosen { .. }), "the draw never leaves a free slot: {r:?}");
                prop_assert!(world.holds(&a.id, r), "{}: reason {r:?} is not true of the final state", a.id);
            }
        }
    }

    /// The second chance only adds: everyone placed by plain serial
    /// dictatorship is placed with the same rank, and never fewer visitors.
    #[test]
    fn second_chance_keeps_every_rank_and_never_places_fewer(seed in any::<u64>()) {
        let mut e = random_edition(seed, SMALL);
        e.policy.max_visits_per_agent = 1;
        e.policy.second_chance = false;
        let (_, plain) = solve(&e);
        e.policy.second_chance = true;
        let (i, more) = solve(&e);
        prop_assert!(verify(i.edition(), &more).is_empty());
        prop_assert!(more.report().placed >= plain.report().placed);
        for p in plain.pairings() {
            let q = more.pairing_of(&p.visitor);
            prop_assert!(q.is_some_and(|q| q.rank == p.rank && q.service == p.service), "{} lost its visit", p.visitor);
        }
    }

    /// For the drawn order, each visitor gets the best wish for which some
    /// (host, date, part) is feasible given the visitors drawn before them,
    /// feasibility judged by the public checker alone; a visitor without
    /// wishes is placed iff some visit is feasible.
    #[test]
    fn draw_is_serial_dictatorship_for_the_drawn_order(seed in any::<u64>()) {
        let mut e = random_edition(seed, TINY);
        e.policy.max_visits_per_agent = 1;
        e.policy.second_chance = false;
        let (i, o) = solve(&e);
        let mut visitors: Vec<&jobswap::Agent> = e.agents.iter().filter(|a| a.visits).collect();
        visitors.sort_by(|a, b| a.id.cmp(&b.id));
        let order = DrawRng::new(e.policy.seed.get(), Stream::Order).permutation(visitors.len() as u32);
        let mut earlier: Vec<Pairing> = Vec::new();
        for &p in &order {
            let v = visitors[p as usize];
            let got = o.pairing_of(&v.id).cloned();
            let wishes: Vec<&jobswap::Wish> = {
                let mut w: Vec<_> = e.wishes.iter().filter(|w| w.visitor == v.id).collect();
                w.sort_by_key(|w| w.rank);
                w
            };
            let world = World::new(&i, &earlier);
            let feasible = |target: &Target, full: bool, rank: Option<u32>| {
                world.candidates(v, target, full).into_iter().any(|(h, s, part, _)| {
                    let host = world.agent(&h);
                    let mut trial = earlier.clone();
                    trial.push(Pairing::new(v.id.clone(), host.id.clone(), host.service.clone(), s.date, part, rank));
                    let mut out = o.clone();
                    if let Some(last) = trial.last_mut() {
                        last.agreement_pending = world.service(host.service.as_str()).confidentiality_required && !v.confidentiality_signed;
                    }
                    out.pairings = trial;
                    out.unplaced.clear();
                    verify(&e, &out).is_empty()
                })
            };
            let best = if wishes.is_empty() {
                let others: Vec<Target> = e.services.iter().filter(|s| s.id != v.service).map(|s| Target::Service(s.id.clone())).collect();
                others.iter().any(|t| feasible(t, e.policy.default_duration == Duration::FullDay, None)).then_some(None)
            } else {
                wishes.iter().find(|w| feasible(&w.target, w.duration == Duration::FullDay, Some(w.rank))).map(|w| Some(w.rank))
            };
            prop_assert_eq!(got.as_ref().map(|p| p.rank), best, "visitor {}", v.id);
            if let Some(p) = got {
                earlier.push(p);
            }
        }
    }
}

#[test]
fn golden_raw_words() {
    // The first words of the ChaCha20 stream for fixed seeds and streams.
    // Changing them is a draw-breaking change (CHANGELOG).
    let words = |seed, stream| {
        let mut r = DrawRng::new(seed, stream);
        (0..6).map(|_| r.next_word()).collect::<Vec<u32>>()
    };
    assert_eq!(words(0, Stream::Order), GOLDEN_WORDS_0);
    assert_eq!(words(2025, Stream::Order), GOLDEN_WORDS_2025);
    assert_eq!(words(u64::MAX, Stream::Open), GOLDEN_WORDS_MAX_OPEN);
}

#[test]
fn golden_drawn_orders() {
    let order = |seed| DrawRng::new(seed, Stream::Order).permutation(20);
    assert_eq!(order(1), GOLDEN_ORDER_1);
    assert_eq!(order(2025), GOLDEN_ORDER_2025);
    let mut r = DrawRng::new(7, Stream::Open);
    let bounded: Vec<u32> = [1, 2, 3, 10, 1000, u32::MAX]
        .iter()
        .map(|&n| r.below(n))
        .collect();
    assert_eq!(bounded, GOLDEN_BOUNDED_7);
}

#[test]
fn chacha20_key_stream_matches_the_cipher_definition() {
    // With seed 0 the key is all zeros, stream 0, counter 0: the first
    // block of ChaCha20 with an all-zero key and nonce is a published test
    // vector (RFC 7539 appendix A.1, test vector #1, with a 64-bit nonce of
    // zeros): 76 b8 e0 ad a0 f1 3d 90 ...
    let mut r = DrawRng::new(0, Stream::Order);
    assert_eq!(r.next_word(), u32::from_le_bytes([0x76, 0xb8, 0xe0, 0xad]));
    assert_eq!(r.next_word(), u32::from_le_bytes([0xa0, 0xf1, 0x3d, 0x90]));
}

#[test]
fn draw_places_in_a_tiny_edition() {
    let d = |day| chrono::NaiveDate::from_ymd_opt(2025, 3, day).unwrap();
    let e = Edition::new("t", d(3), d(4))
        .service(jobswap::Service::new("a", "A"))
        .service(jobswap::Service::new("b", "B"))
        .agent(jobswap::Agent::new("x", "X", "a").visits(true))
        .agent(jobswap::Agent::new("y", "Y", "a").visits(true))
        .agent(jobswap::Agent::new("h", "H", "b").hosts(true))
        .wish(jobswap::Wish::service("x", "b", 1))
        .wish(jobswap::Wish::service("y", "b", 1))
        .host_slot(jobswap::HostSlot::new("h1", "h", d(3), Part::Morning));
    let (i, o) = solve(&e);
    assert!(verify(i.edition(), &o).is_empty());
    // One host slot of capacity one: exactly one of the two is placed; the
    // other is told the slot is taken, and that their own service (cap 1)
    // already has an agent away then.
    assert_eq!(o.pairings().len(), 1);
    let loser = if o.pairing_of(&"x".into()).is_some() {
        "y"
    } else {
        "x"
    };
    assert_eq!(
        o.reasons_for(&loser.into()),
        &[
            UnplacedReason::HostSlotsTaken {
                target: Target::Service("b".into())
            },
            UnplacedReason::ContinuityCapSaturated {
                target: Target::Service("b".into()),
                own_service: "a".into()
            },
        ]
    );
    let _ = (HalfDay::Morning, BTreeMap::<u8, u8>::new());
}

const GOLDEN_WORDS_0: [u32; 6] = [
    2917185654, 2419978656, 3848953152, 683509331, 3088700093, 451775904,
];
const GOLDEN_WORDS_2025: [u32; 6] = [
    4122880667, 4156448493, 3305657726, 4227352273, 1404812798, 2773452582,
];
const GOLDEN_WORDS_MAX_OPEN: [u32; 6] = [
    3509258378, 2461868634, 3527269907, 22524027, 3278798719, 329073947,
];
const GOLDEN_ORDER_1: [u32; 20] = [
    18, 15, 3, 12, 4, 19, 11, 7, 13, 9, 10, 14, 0, 16, 1, 2, 8, 6, 5, 17,
];
const GOLDEN_ORDER_2025: [u32; 20] = [
    5, 1, 15, 9, 2, 18, 17, 4, 10, 3, 6, 19, 11, 16, 12, 14, 13, 8, 0, 7,
];
const GOLDEN_BOUNDED_7: [u32; 6] = [0, 1, 2, 9, 755, 2404837455];

/// The Vernon edition drawn with its published seed (2025): the pairings
/// are pinned in `tests/fixtures/vernon-draw-2025.txt`. A change is
/// draw-breaking (CHANGELOG). `JOBSWAP_BLESS=1` rewrites the file.
#[test]
fn golden_vernon_pairings() {
    let e = jobswap::json::read_edition(include_str!("../examples/data/vernon.json")).unwrap();
    assert_eq!(e.policy.seed.get(), 2025);
    let (i, o) = solve(&e);
    assert!(verify(i.edition(), &o).is_empty());
    let mut lines = String::new();
    for p in o.pairings() {
        use std::fmt::Write;
        writeln!(
            lines,
            "{} {} {} {} {:?}",
            p.visitor, p.service, p.host, p.date, p.part
        )
        .unwrap();
    }
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/vernon-draw-2025.txt"
    );
    if std::env::var_os("JOBSWAP_BLESS").is_some() {
        std::fs::write(path, &lines).unwrap();
    }
    assert_eq!(lines, std::fs::read_to_string(path).unwrap());
}

/// An agent whose history holds as many visits as the policy's cap does not
/// visit again, and is told why; the checker enforces the cap.
#[test]
fn participation_cap_keeps_experienced_agents_out() {
    let d = |day| chrono::NaiveDate::from_ymd_opt(2025, 3, day).unwrap();
    let veteran = jobswap::Agent::new("x", "X", "a")
        .visits(true)
        .participation(jobswap::Participation {
            edition: "2024".into(),
            role: jobswap::Role::Visitor,
            visited: Some("c".into()),
        });
    let mut e = Edition::new("t", d(3), d(4))
        .service(jobswap::Service::new("a", "A"))
        .service(jobswap::Service::new("b", "B"))
        .service(jobswap::Service::new("c", "C"))
        .agent(veteran)
        .agent(jobswap::Agent::new("h", "H", "b").hosts(true))
        .wish(jobswap::Wish::service("x", "b", 1))
        .host_slot(jobswap::HostSlot::new("h1", "h", d(3), Part::Morning));
    let (_, free) = solve(&e);
    assert_eq!(free.pairings().len(), 1, "without a cap the veteran visits");
    e.policy.max_participations = Some(1);
    let (i, o) = solve(&e);
    assert!(o.pairings().is_empty());
    assert_eq!(
        o.reasons_for(&"x".into()),
        &[UnplacedReason::ParticipationCapReached { participations: 1 }]
    );
    assert!(verify(i.edition(), &o).is_empty());
    // The checker refuses the uncapped outcome under the cap.
    let v = verify(i.edition(), &free);
    assert!(
        v.iter()
            .any(|x| matches!(x, jobswap::Violation::ParticipationCapExceeded { .. })),
        "{v:?}"
    );
}
