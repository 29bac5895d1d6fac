//! Forced insertions: an iterated local search that lets the plan leave a
//! placed visitor out to place others — what ejection chains
//! ([`ejection`](super::ejection)), which never leave a placed visitor
//! out, cannot do.
//!
//! # Procedure
//!
//! A *kick* takes a visitor left out (in the seeded order, round after
//! round) and forces it in: among the options its own calendar allows
//! whose only obstacles are full resources (host half-day, service
//! maximum, own service's continuity cap), the one that needs the fewest
//! placed visits lifted (among equals, one drawn from the seed and the kick
//! number); those visits are lifted — a visit using every full resource if
//! there is one, else one per resource — and the visitor placed there.
//! Then the visitors left out who may use the room the lifted visits left
//! (those who wish the service of a lifted visit's host, or belong to its
//! visitor's service, and are available on a half-day it covered — the
//! lifted visitors among them), in the order, take an option that fits, if
//! one does: an ejection-chain search in mode *place* one node deep. Such
//! a placement frees nothing, so one pass is enough.
//!
//! The kick is kept if the plan is worth at least what it was (visits per
//! priority class, visits, then rank sum: equal plans are kept, so that the
//! search moves on plateaus); otherwise the plan, and the chains' memory of
//! failed searches, are put back exactly as they were. A kept kick with
//! one lifted visitor left out and two placed is a *one-out-two-in* move; a
//! kept kick of equal value reshapes the plan for the next ones.
//!
//! The work limit counts options looked at (by the kicks and by the
//! chains), never time: the same input and seed give the same plan.

use crate::index::Index;
use crate::matcher::ejection::{self, Chains, Mode};
use crate::matcher::exact::Value;
use crate::matcher::feasibility::{Plan, Visit, position};
use crate::matcher::slot_choice::hosts_for;

/// Visits a kick may lift at most.
const MAX_LIFT: usize = 3;

/// Passes over the visitors without a better plan that end the search.
const IDLE_PASSES: usize = 4;

/// Nodes a chain search expands after a kick: only what fits at once, or
/// after lifting visits that then fit at once, is looked for — the kicks
/// do the rest, and many cheap ones find more than a few deep searches.
const KICK_NODES: usize = 1;

/// Runs kicks on `plan` until `work` options have been looked at, or
/// [`IDLE_PASSES`] passes over the visitors keep nothing better. Kicks take the
/// visitors left out in the order of `visitors`; ties between options are
/// broken by `seed`. Returns whether the plan changed. The plan never gets
/// worse (visits per class, visits, then rank sum).
pub(crate) fn run(plan: &mut Plan<'_>, visitors: &[u32], seed: u64, work: u64) -> bool {
    let ix = plan.ix;
    let order = ejection::root_order(ix, visitors);
    let mut chains = Chains::new(ix, work).max_nodes(KICK_NODES);
    let mut roots = Roots::new(ix, &order);
    let mut changed = false;
    let mut scratch = Scratch::default();
    let mut n: u64 = 0;
    let mut idle = 0usize;
    let mut at = 0usize;
    while chains.budget() > 0 && idle < IDLE_PASSES * order.len() {
        let u = order[at];
        at = (at + 1) % order.len();
        idle += 1;
        if plan.visit_count(u) != 0 || ix.wishes_of(u).is_empty() {
            continue;
        }
        n += 1;
        let Some((to, lift)) = choose(plan, &mut chains, u, mix(seed, n), &mut scratch) else {
            continue;
        };
        if let Some(better) = kick(plan, &mut chains, &mut roots, to, &lift) {
            if better {
                idle = 0;
            }
            changed = true;
        }
    }
    changed
}

/// Forces visit `to` in after lifting the visits `lift`, then places the
/// visitors it may have unblocked ([`Roots::place`]); keeps the result if the plan is worth at least what it was,
/// else puts the plan and the chains' memo back. Returns `Some(true)` if
/// the plan got better, `Some(false)` if it was kept at equal value,
/// `None` if it was put back.
fn kick(
    plan: &mut Plan<'_>,
    chains: &mut Chains,
    roots: &mut Roots,
    to: Visit,
    lift: &[u32],
) -> Option<bool> {
    let ix = plan.ix;
    let bound = plan.id_bound();
    let mut delta_in = Value::empty(ix);
    let mut delta_out = Value::empty(ix);
    chains.open_journal();
    let mut touched: Vec<Visit> = Vec::with_capacity(lift.len() + 1);
    for &id in lift {
        let old = plan.remove(id);
        delta_out.add_visit(ix, &old);
        touched.push(old);
    }
    if !plan.fits(to.visitor, to.host, to.day, to.part) {
        for &id in lift.iter().rev() {
            plan.revive(id);
        }
        chains.close_journal();
        return None;
    }
    plan.place(to);
    touched.push(to);
    chains.touch_visits(ix, &touched);
    roots.place(plan, chains, &touched[..lift.len()]);
    let journal = chains.close_journal();
    for &id in &journal.lifted {
        if id < bound {
            delta_out.add_visit(ix, &plan.visit(id));
        }
    }
    for id in bound..plan.id_bound() {
        if is_live(plan, id) {
            delta_in.add_visit(ix, &plan.visit(id));
        }
    }
    // Worth at least what it was: what came in against what went out.
    if delta_in >= delta_out {
        return Some(delta_in > delta_out);
    }
    for id in bound..plan.id_bound() {
        if is_live(plan, id) {
            plan.remove(id);
        }
    }
    for &id in journal.lifted.iter().chain(lift).rev() {
        if id < bound && !is_live(plan, id) {
            plan.revive(id);
        }
    }
    plan.truncate(bound);
    chains.roll_back(&journal);
    None
}

/// The roots a kick may have unblocked, by service.
#[derive(Debug)]
struct Roots {
    /// The roots in their order.
    order: Vec<u32>,
    /// Per service: the positions in `order` of the visitors who wish it
    /// or belong to it.
    by_service: Vec<Vec<u32>>,
    /// Positions to try.
    todo: Vec<u32>,
}

impl Roots {
    fn new(ix: &Index, order: &[u32]) -> Self {
        let mut by_service = vec![Vec::new(); ix.service_src.len()];
        for (p, &v) in order.iter().enumerate() {
            let own = ix.agent_service[v as usize];
            by_service[own as usize].push(p as u32);
            for w in ix.wishes_of(v) {
                if w.service != own && by_service[w.service as usize].last() != Some(&(p as u32)) {
                    by_service[w.service as usize].push(p as u32);
                }
            }
        }
        for list in &mut by_service {
            list.dedup();
        }
        Roots {
            order: order.to_vec(),
            by_service,
            todo: Vec::new(),
        }
    }

    /// Chains in mode place (one node deep: an option that fits) from
    /// the visitors left out who may use what lifting the visits `freed`
    /// made room for — those who wish the service of one's host or belong
    /// to its visitor's service, and are available on a half-day it
    /// covered — in order. One pass is enough: such a chain only places a
    /// visit, which frees nothing.
    fn place(&mut self, plan: &mut Plan<'_>, chains: &mut Chains, freed: &[Visit]) {
        let ix = plan.ix;
        self.todo.clear();
        for b in freed {
            let hs = ix.agent_service[ix.host_agent[b.host as usize] as usize];
            let os = ix.agent_service[b.visitor as usize];
            for s in [hs, os] {
                let Some(list) = self.by_service.get(s as usize) else {
                    continue;
                };
                for &p in list {
                    let v = self.order[p as usize];
                    if plan.visit_count(v) == 0
                        && Index::covered(b.day, b.part).any(|t| !ix.unavailable.get(v, t))
                    {
                        self.todo.push(p);
                    }
                }
            }
        }
        self.todo.sort_unstable();
        self.todo.dedup();
        for &p in &self.todo {
            let v = self.order[p as usize];
            if plan.visit_count(v) == 0 {
                chains.try_root(plan, v, Mode::Place);
            }
        }
    }
}

/// Whether visit `id` is live.
fn is_live(plan: &Plan<'_>, id: u32) -> bool {
    plan.visit_ids_of(plan.visit(id).visitor).contains(&id)
}

/// Buffers reused between kicks.
#[derive(Debug, Default)]
struct Scratch {
    /// Candidate options: (full resources, draw, visit).
    options: Vec<(u32, u64, Visit)>,
    lists: Vec<(usize, usize)>,
    pool: Vec<u32>,
    lift: Vec<u32>,
}

/// The kick for visitor `u` (left out): among its options stopped only
/// by full resources, those with the fewest full resources, in the order
/// `draw` gives them; the first whose resources can be freed by lifting
/// at most [`MAX_LIFT`] movable visits. Returns it with the visits to lift.
fn choose(
    plan: &Plan<'_>,
    chains: &mut Chains,
    u: u32,
    draw: u64,
    s: &mut Scratch,
) -> Option<(Visit, Vec<u32>)> {
    let ix = plan.ix;
    let o = ix.agent_service[u as usize];
    let start = ix.wish_start[u as usize];
    s.options.clear();
    for (wi, w) in ix.wishes_of(u).iter().enumerate() {
        for &h in hosts_for(ix, w) {
            if plan.pair_blocks(u, h) != 0 {
                continue;
            }
            for word in 0..plan.words() {
                let m = plan.masks(u, h, word, w.full);
                let mut cand = m.free & !m.overlap;
                chains.spend(1 + u64::from(cand.count_ones()));
                while cand != 0 {
                    let bit = cand.trailing_zeros();
                    cand &= cand - 1;
                    let halves = if w.full { 3u64 << bit } else { 1u64 << bit };
                    let full = (m.capacity_half & halves).count_ones()
                        + (m.continuity_half & halves).count_ones();
                    let (day, part) = position(word, bit, w.full);
                    let key = mix(draw, u64::from(word as u32 * 64 + bit) << 8 | wi as u64);
                    s.options.push((
                        full,
                        key,
                        Visit {
                            visitor: u,
                            host: h,
                            day,
                            part,
                            wish: start + wi as u32,
                        },
                    ));
                }
            }
        }
    }
    s.options
        .sort_unstable_by_key(|&(full, key, x)| (full, key, x.host, x.day, x.part));
    for &(_, _, to) in &s.options {
        ejection::full_resources(
            plan,
            (to.host, o, to.day, to.part),
            &mut s.lists,
            &mut s.pool,
        );
        chains.spend(s.pool.len() as u64);
        if lifts(plan, &s.lists, &s.pool, draw, &mut s.lift) {
            return Some((to, s.lift.clone()));
        }
    }
    None
}
/// Into `lift`: the visits to lift to free every full resource in `lists`
/// (ranges of `pool`): one movable visit using them all if there is one,
/// else one per resource, greedily, each the movable visit using the most
/// resources still full (among equals, the one `draw` prefers). Returns
/// false if a resource has no movable visit or more than [`MAX_LIFT`] would
/// be lifted.
fn lifts(
    plan: &Plan<'_>,
    lists: &[(usize, usize)],
    pool: &[u32],
    draw: u64,
    lift: &mut Vec<u32>,
) -> bool {
    lift.clear();
    for (li, &(a, b)) in lists.iter().enumerate() {
        if pool[a..b].iter().any(|c| lift.contains(c)) {
            continue;
        }
        let mut best: Option<(u32, (usize, u64))> = None;
        for &c in &pool[a..b] {
            if !ejection::movable(plan, c) {
                continue;
            }
            let covers = lists[li..]
                .iter()
                .filter(|&&(x, y)| pool[x..y].contains(&c))
                .count();
            let key = (covers, mix(draw, u64::from(plan.visit(c).visitor)));
            if best.is_none_or(|(_, bk)| key > bk) {
                best = Some((c, key));
            }
        }
        let Some((c, _)) = best else {
            return false;
        };
        if lift.len() >= MAX_LIFT {
            return false;
        }
        lift.push(c);
    }
    true
}

/// A 64-bit mix of two words (the finaliser of `SplitMix64`): the seeded draw
/// between equal options.
fn mix(a: u64, b: u64) -> u64 {
    let mut z = a ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::Part;
    use crate::core_format::{CoreInstance, CoreService, CoreVisitor};
    use crate::matcher::ejection::tests::{cases, content, edition, feasible, start};
    use crate::{Edition, Instance, Policy, Strategy as Method};

    /// Puts every third agent in a first priority class (when `tiers`).
    fn with_tiers(mut e: Edition, tiers: bool) -> Edition {
        if tiers {
            let first = e.agents.iter().step_by(3).map(|a| a.id.clone()).collect();
            e.policy.tiers = vec![first];
        }
        e
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

        /// Every kick keeps the plan feasible and never lowers its value
        /// (visits per class, visits, then rank sum); a kick kept as
        /// better raises it, one kept as equal leaves it, and one put back
        /// leaves the plan exactly as it was.
        #[test]
        fn every_kick_keeps_the_plan_feasible_and_never_worse(
            e in edition(),
            pick in 0usize..4,
            seed in 0u64..4,
            tiers in any::<bool>(),
        ) {
            let inst = Instance::new(with_tiers(e, tiers)).unwrap();
            let ix = inst.index();
            let mut plan = start(ix, pick);
            let order = ejection::root_order(ix, &ix.visitors);
            let mut chains = Chains::new(ix, u64::MAX).max_nodes(KICK_NODES);
            let mut roots = Roots::new(ix, &order);
            let mut scratch = Scratch::default();
            for round in 0..3u64 {
                for &u in &order {
                    if plan.visit_count(u) != 0 {
                        continue;
                    }
                    let draw = mix(seed, round << 32 | u64::from(u));
                    let Some((to, lift)) = choose(&plan, &mut chains, u, draw, &mut scratch) else {
                        continue;
                    };
                    prop_assert!(lift.len() <= MAX_LIFT);
                    let before = (Value::of(&plan), content(&plan));
                    let kept = kick(&mut plan, &mut chains, &mut roots, to, &lift);
                    let after = (Value::of(&plan), content(&plan));
                    prop_assert!(feasible(&plan));
                    match kept {
                        Some(true) => prop_assert!(after.0 > before.0),
                        Some(false) => prop_assert_eq!(&after.0, &before.0),
                        None => prop_assert_eq!(&after, &before),
                    }
                }
            }
        }

        /// A whole run never lowers the value, gives a feasible plan, and
        /// gives the same plan from the same start and seed.
        #[test]
        fn runs_are_feasible_never_worse_and_repeatable(
            e in edition(),
            pick in 0usize..4,
            seed in any::<u64>(),
            tiers in any::<bool>(),
        ) {
            let inst = Instance::new(with_tiers(e, tiers)).unwrap();
            let ix = inst.index();
            let mut plans = Vec::new();
            for _ in 0..2 {
                let mut plan = start(ix, pick);
                let before = Value::of(&plan);
                let changed = run(&mut plan, &ix.visitors, seed, 100_000);
                let after = Value::of(&plan);
                prop_assert!(after >= before);
                prop_assert!(changed || after == before);
                prop_assert!(feasible(&plan));
                plans.push(content(&plan));
            }
            prop_assert_eq!(&plans[0], &plans[1]);
        }
    }

    /// One out, two in: `b` holds the only host half-day `u1` can take,
    /// and, being from the same service as `u2` (cap 1), stops `u2` too;
    /// `b` has nowhere else to go, so no chain helps. Forcing `u1` in lifts
    /// `b`, which frees the cap for `u2`: two placed instead of one.
    #[test]
    fn a_kick_leaves_one_out_to_place_two() {
        let service = |away_cap, host_cap: [u32; 2]| CoreService {
            away_cap,
            host_cap: host_cap.to_vec(),
        };
        let visitor = |origin, wishes: Vec<u32>| CoreVisitor {
            origin,
            wishes,
            full_day: false,
            available: vec![0],
        };
        let core = CoreInstance {
            format: "jobswap-core".to_owned(),
            version: 1,
            name: "t".to_owned(),
            meta: serde_json::Value::Null,
            days: 1,
            services: vec![
                service(1, [0, 0]), // 0: the origin of b and u2, cap 1
                service(1, [1, 0]), // 1: one morning place
                service(1, [1, 0]), // 2: one morning place
                service(1, [0, 0]), // 3: the origin of u1
            ],
            visitors: vec![
                visitor(0, vec![1]), // b
                visitor(3, vec![1]), // u1
                visitor(0, vec![2]), // u2
            ],
        };
        let e = core.to_edition(Policy::new(Method::Optimal)).unwrap();
        let inst = Instance::new(e).unwrap();
        let ix = inst.index();
        // The start: b in service 1's morning, the others left out.
        let mut plan = Plan::new(ix);
        let b = ix.visitors[0];
        let w = ix.wish_start[b as usize];
        let h = hosts_for(ix, &ix.wishes[w as usize])[0];
        assert!(plan.fits(b, h, 0, Part::Morning));
        plan.place(Visit {
            visitor: b,
            host: h,
            day: 0,
            part: Part::Morning,
            wish: w,
        });
        assert!(!ejection::run(&mut plan, &ix.visitors, 8), "no chain helps");
        assert_eq!(plan.visits().count(), 1);
        assert!(run(&mut plan, &ix.visitors, 1, 10_000));
        assert_eq!(plan.visits().count(), 2);
        assert_eq!(plan.visit_count(b), 0);
        assert!(feasible(&plan));
    }
}
