//! The optimal-assignment strategy (Tourcoing's question): place as many
//! visitors as possible, each as close to their first wish as possible,
//! never breaking a cap.
//!
//! # Procedure
//!
//! 1. **Exact case.** When the problem is a plain assignment — half-day
//!    visits only, one visit per agent, no continuity cap or service
//!    maximum that could ever bind, and no agent both visiting and
//!    offering host slots — it is solved exactly as a min-cost flow over
//!    (visitor → host half-day) options: the most visits, then the least
//!    rank sum. Nothing more is needed.
//! 2. **Assignment.** Otherwise the aggregate relaxation
//!    ([`aggregate`](super::aggregate)) says who visits which wish, with
//!    the most visits then the least rank sum, slots forgotten.
//! 3. **Packing.** Visitors are placed on their assigned wish, the most
//!    constrained first (fewest fitting options in an empty plan, then the
//!    seeded order), each on the least-pressed option
//!    ([`slot_choice`](super::slot_choice)). Steps 3–5 are skipped on
//!    editions of more than 50 000 visitors, where this plan is far behind
//!    step 6's (huge preset: 93 762 placed against 107 280) and its time
//!    goes to step 6's search.
//! 4. **Completion.** Ejection chains ([`ejection`](super::ejection)):
//!    each visitor left out (half-day visitors first, then full-day ones,
//!    in the seeded order) is placed, where a breadth-first search finds
//!    it, by a chain of placed visits that make way and are re-placed in
//!    turn (a step may lift up to three); then placed visitors move to a
//!    better wish the same way, displaced visitors keeping their rank or
//!    better. A chain never leaves a placed visitor out. Rounds repeat
//!    while they change the plan, up to the work limit (options looked
//!    at); editions of more than 50 000 visitors skip them. Then those
//!    still out try their wishes by rank: as they fit,
//!    then by moving one placed visit to another date of its own wish
//!    ([`repair`](super::repair)).
//! 5. **Improvement**, up to the policy's work limit (passes): each placed
//!    visitor with rank > 1 tries a better wish (as it fits, or by moving
//!    one visit), then step 4 runs again; a pass that changes nothing ends
//!    it.
//! 6. **Lagrangian plans.** The Lagrangian relaxation of the time-indexed
//!    model ([`bound`](super::bound)) is searched (a fixed number of
//!    subproblem evaluations by size: 300 up to 5 000 visitors, 1 000 up
//!    to 50 000, 80 above; steered by the plan of steps 3–5 if any), and a few
//!    snapshots of its weighted multipliers (four; above 50 000 visitors
//!    the earliest only) price every option: its value
//!    `W − rank` minus the multipliers of the host, service and continuity
//!    rows it covers. For each snapshot, visitors whose best option has a
//!    positive reduced value (those the subproblem places) come first, in
//!    the seeded order, then the others; each takes the best-priced option
//!    that still fits (among near-equal prices, the one leaving the most
//!    room), a visitor of the first group whose best fitting price is no
//!    longer positive waiting for the end. Steps 4 and 5 finish each plan;
//!    the best of all plans (most visits, then least rank sum, the earlier
//!    on ties) is kept.
//! 7. **Forced insertions** ([`perturb`](super::perturb)), on editions of
//!    at most 50 000 visitors: an iterated local search on the best plan.
//!    A kick forces a visitor left out into an option whose only obstacles
//!    are full resources, lifting the fewest placed visits (up to three)
//!    that use them; then the visitors left out who may use the room the
//!    lifted visits left (the lifted ones among them) take an option that
//!    fits, if one does (step 4's search, one node deep); the kick is
//!    kept if the plan is worth at least what it was, else everything is
//!    put back. So a placed visitor may be left out for two others (one
//!    out, two in), which step 4 never does. Kicks go round the visitors
//!    left out, the seed breaking ties between options, until four rounds
//!    bring nothing better or the work limit (options looked at) is used;
//!    steps 4 and 5 then finish the plan, kept if better.
//!
//! A plan from steps 2–5 worth exactly the relaxation's optimum (same
//! visits per class, same rank sum) is optimal: the strategy stops there.
//!
//! 8. **Neighbourhood search** ([`lns`](super::lns)), on editions of at
//!    most 500 visitors with wishes (one visit each): the visits of a few
//!    visitors are lifted and searched exhaustively, the rest of the plan
//!    kept; a better plan found there is kept. First around each service
//!    in turn, rounds while one improves; then, where step 9 does not run,
//!    neighbourhoods drawn from the seed that span two services, or follow the visits that stand in
//!    the way of a visitor's better wishes, taking equal plans too
//!    (sideways moves) and now and then one a rank worse, the best plan
//!    met kept; all within a work limit.
//! 9. **Exhaustive search.** On editions with at most 40 visitors with
//!    wishes (one visit each), a branch and bound ([`exact`](super::exact))
//!    starts from the best plan and either proves it optimal or replaces
//!    it with a better one, within a fixed work limit; when it ends within
//!    the limit, the plan is optimal.
//!
//! **Priority classes** ([`crate::Policy::tiers`], and those left out last
//! time): the objective is lexicographic — the most visitors of class 0,
//! then of class 1, …, then the least rank sum. Step 1's flow and step 2's
//! assignment price the classes exactly (see [`aggregate`]); steps 3–6
//! take visitors class by class, and step 4 also lets a visitor left out
//! take the place of a visitor of a later class (who is then placed
//! elsewhere if possible); plans (and step 7's kicks) are compared class
//! by class.
//!
//! The seed decides the order among equals (steps 2–9), so equal-value
//! solutions are chosen between by the seed, deterministically.

use crate::Part;
use crate::index::{Index, NO_SLOTS, NONE};
use crate::matcher::aggregate::{self, usable};
use crate::matcher::bound::{self, Multipliers};
use crate::matcher::ejection;
use crate::matcher::exact::{self, Value};
use crate::matcher::feasibility::{Plan, Visit};
use crate::matcher::flow::MinCostFlow;
use crate::matcher::lns;
use crate::matcher::perturb;
use crate::matcher::repair::{Memo, place_by_moving_one};
use crate::matcher::slot_choice::{Pressure, hosts_for};
use crate::rng::{DrawRng, Stream};

/// The packing recounts every visitor's options this many times.
const PACKING_BATCHES: usize = 16;

/// Subproblem evaluations of the Lagrangian search that prices options
/// and bounds the plan, by the number of visitors: (at most, work). On the
/// large preset (20 000 visitors), 1 000 instead of 300 take the bound from
/// 13 305 to 13 222 (300 leave the search far from its limit, about 13 221)
/// for ~2.7 s more. On the huge preset (200 000) an evaluation costs ~55 ms;
/// the time the packing no longer takes there ([`PACKING_VISITORS`]) pays
/// for 80 of them, split evenly between the two phases
/// ([`PLACED_SHARE`]): the weighted phase certifies 116 277, the first bound
/// below the aggregate flow's 117 174 (35 evaluations, two thirds placed:
/// the aggregate's; 80 with two thirds placed: 116 811; 90 split evenly:
/// 115 883 but ~1 s more), and its multipliers place 107 380.
const LAGRANGIAN_WORK: [(usize, u32); 3] = [(5_000, 300), (50_000, 1_000), (usize::MAX, 80)];

/// The share of [`LAGRANGIAN_WORK`] for the search's `placed` phase, by
/// the number of visitors as for it: two thirds, and half above
/// [`PACKING_VISITORS`], where the weighted phase is what brings the bound
/// below the aggregate flow's (huge preset, 80 evaluations: 116 277 split
/// evenly, 116 811 with two thirds placed; with a fifth or less placed,
/// the weighted phase starts too far and stays above 117 174).
const PLACED_SHARE: [(usize, (u32, u32)); 2] = [
    (PACKING_VISITORS, bound::PLACED_SHARE),
    (usize::MAX, (1, 2)),
];

/// Multiplier snapshots of the weighted phase plans are built from.
const LAGRANGIAN_SNAPSHOTS: u32 = 4;

/// How many of them, the earliest first, by the number of visitors as for
/// [`LAGRANGIAN_WORK`]. Above 50 000 a plan costs ~1.3 s: one plan (on the
/// huge preset with 10 evaluations, the later plans placed 99 888 and
/// 100 301 against the first's 100 608; with 80, the last snapshot's plan
/// places 107 044 against the first's 107 380).
const LAGRANGIAN_PLANS: [(usize, u32); 2] = [(50_000, LAGRANGIAN_SNAPSHOTS), (usize::MAX, 1)];

/// Steps 2–5 (the aggregate assignment, packed) run on editions of at most
/// this many visitors. Above, the ejection chains are skipped and the
/// packed plan is far behind the Lagrangian plan (huge preset: 93 762
/// placed against 107 280) for ~1.1 s, which goes to the Lagrangian search
/// instead ([`LAGRANGIAN_WORK`]). The aggregate is still solved: its flow
/// bounds the plan and its minimum cut starts the search.
const PACKING_VISITORS: usize = 50_000;

/// Forced insertions (step 7) run on editions of at most this many
/// visitors (the huge preset's time is not there).
const PERTURB_VISITORS: usize = 50_000;

/// Their work limit, in options looked at per visitor of the edition…
const PERTURB_WORK: u64 = 10_000;

/// … and in all (on the large preset, 20 000 visitors, 40 million options
/// place 219 more visitors for about 0.9 s more; twice as many, 9 more).
const PERTURB_WORK_MAX: u64 = 40_000_000;

/// Reduced values closer than this are ties (a rank step is 1).
const TIE: f64 = 0.5;

/// Editions with at most this many visitors with wishes get the
/// neighbourhood search (step 8).
const LNS_VISITORS: usize = 500;

/// Its work limit (option enumerations): about 0.3 s on the small preset
/// (200 visitors), where it reaches the optimal rank sum, 307, from 317.
const LNS_WORK: u64 = 8_000_000;

/// Editions with at most this many visitors with wishes are searched
/// exhaustively (step 9).
const EXACT_VISITORS: usize = 40;

/// The exhaustive search's work limit (option enumerations).
const EXACT_WORK: u64 = 3_000_000;

/// How the optimal strategy reached its plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    /// The exact time-indexed flow (step 1): the plan is optimal.
    Exact,
    /// Assignment, packing and repairs (steps 2–7), then an exhaustive
    /// search (step 9) that ended within its work limit: the plan is
    /// optimal.
    Proven,
    /// Assignment, packing and repairs (steps 2–5) reached the value of the
    /// aggregate relaxation's optimum: the plan is optimal.
    Tight,
    /// Assignment, packing and repairs (steps 2–7), not proven optimal.
    Heuristic,
}

/// Runs the strategy; returns how, the aggregate bound on visits placed
/// (for the exact case, the optimum itself), and the Lagrangian bound its
/// search computed on the way.
pub(crate) fn optimal(
    plan: &mut Plan<'_>,
    seed: u64,
    passes: u32,
) -> (Method, u32, Option<bound::SlotBound>) {
    let ix = plan.ix;
    if is_plain_assignment(ix) && aggregate::classes_in_flow(ix) {
        let placed = exact_assignment(plan, seed);
        return (Method::Exact, placed, None);
    }
    let (assigned, relaxed_rank_sum) = aggregate::solve_dense(ix, seed, true);
    let bound = assigned.len() as u32;
    let visitors = seeded_order(ix, seed);
    let mut best = if ix.visitors.len() <= PACKING_VISITORS {
        packed_from_aggregate(ix, &assigned, &visitors, passes)
    } else {
        Scored::of(&Plan::new(ix))
    };
    // Every plan maps to a flow of the relaxation, so a plan worth the
    // relaxation's optimum (by class, visits, rank sum) is optimal.
    let mut relaxed = Value::empty(ix);
    for a in &assigned {
        relaxed.add(ix, a.visitor, 0);
    }
    relaxed.rank_sum.0 = relaxed_rank_sum;
    if best.value == relaxed && aggregate::classes_in_flow(ix) {
        for &v in &best.visits {
            plan.place(v);
        }
        return (Method::Tight, bound, None);
    }
    let work = by_size(&LAGRANGIAN_WORK, ix.visitors.len());
    let (slot_bound, snapshots) = bound::lagrangian_search(
        ix,
        best.value.placed,
        best.value.rank_sum.0,
        (work, by_size(&PLACED_SHARE, ix.visitors.len())),
        LAGRANGIAN_SNAPSHOTS,
        // With one class, the relaxation solved above is the one the bound
        // needs (same costs): not solved twice.
        (ix.tiers == 1).then_some((&assigned[..], relaxed_rank_sum)),
    );
    let plans = by_size(&LAGRANGIAN_PLANS, ix.visitors.len()) as usize;
    for m in snapshots.iter().take(plans) {
        let trial = lagrangian_primal(ix, m, &visitors, passes);
        if trial.better_than(&best) {
            best = trial;
        }
    }
    if ix.visitors.len() <= PERTURB_VISITORS {
        best = forced_insertions(ix, best, &visitors, seed, passes);
    }
    let mut method = Method::Heuristic;
    let searchable = ix
        .visitors
        .iter()
        .filter(|&&v| !ix.wishes_of(v).is_empty())
        .count();
    if ix.max_visits == 1 && searchable <= LNS_VISITORS {
        let mut trial = Plan::of(ix, &best.visits);
        // The drawn neighbourhoods are not worth their time where the
        // exhaustive search (step 9) follows.
        let drawn = searchable > EXACT_VISITORS;
        if lns::run(&mut trial, &visitors, seed, LNS_WORK, drawn) {
            best = Scored::of(&trial);
        }
    }
    if ix.max_visits == 1 && searchable <= EXACT_VISITORS {
        let found = exact::search(plan, &visitors, best.value.clone(), EXACT_WORK);
        if let Some(visits) = found.better {
            best = Scored::of(&Plan::of(ix, &visits));
        }
        if found.proven {
            method = Method::Proven;
        }
    }
    for &v in &best.visits {
        plan.place(v);
    }
    (method, bound, Some(slot_bound))
}

/// The value for `n` in a table of (at most, value) rows by increasing
/// size.
fn by_size<T: Copy + Default>(table: &[(usize, T)], n: usize) -> T {
    table
        .iter()
        .find(|&&(most, _)| n <= most)
        .map_or_else(T::default, |&(_, w)| w)
}

/// The visitors in the seeded order, grouped by priority class (a stable
/// sort: the seeded order within each class).
fn seeded_order(ix: &Index, seed: u64) -> Vec<u32> {
    let mut visitors: Vec<u32> = DrawRng::new(seed, Stream::Order)
        .permutation(ix.visitors.len() as u32)
        .iter()
        .map(|&p| ix.visitors[p as usize])
        .collect();
    visitors.sort_by_key(|&v| ix.tier[v as usize]);
    visitors
}

/// A finished plan's visits and value.
struct Scored {
    value: Value,
    visits: Vec<Visit>,
}

impl Scored {
    fn of(plan: &Plan<'_>) -> Self {
        Scored {
            value: Value::of(plan),
            visits: plan.visits().copied().collect(),
        }
    }
    /// The objective, lexicographic: visits in class 0, in class 1, …,
    /// then visits in all, then the least rank sum.
    fn better_than(&self, other: &Scored) -> bool {
        self.value > other.value
    }
}

/// Step 7 on the plan `best`: forced insertions, then steps 4 and 5 again.
/// Returns the better of the two plans.
fn forced_insertions(ix: &Index, best: Scored, visitors: &[u32], seed: u64, passes: u32) -> Scored {
    let mut plan = Plan::of(ix, &best.visits);
    let work = (PERTURB_WORK * ix.visitors.len() as u64).min(PERTURB_WORK_MAX);
    if !perturb::run(&mut plan, visitors, seed, work) {
        return best;
    }
    finish(&mut plan, visitors, passes);
    let trial = Scored::of(&plan);
    if trial.better_than(&best) {
        trial
    } else {
        best
    }
}

/// Steps 4 and 5 on a plan.
fn finish(plan: &mut Plan<'_>, visitors: &[u32], passes: u32) {
    ejection::run(plan, visitors, passes);
    let mut pressure = Pressure::new(plan.ix);
    complete(plan, &mut pressure, visitors);
    for _ in 0..passes {
        let mut changed = improve_ranks(plan, &mut pressure, visitors);
        changed |= complete(plan, &mut pressure, visitors);
        if !changed {
            break;
        }
    }
}

/// The best option of visitor `v` that fits `plan` by reduced value under
/// `m` (the first found among equals: wish, host, date, part order), with
/// its reduced value.
fn best_priced(
    plan: &Plan<'_>,
    m: &Multipliers,
    v: u32,
    options: &mut Vec<(u32, Part)>,
) -> Option<(f64, Visit)> {
    let ix = plan.ix;
    let start = ix.wish_start[v as usize];
    let mut best: Option<(f64, u32, Visit)> = None;
    // A half-day fallback only where its full day fits nowhere.
    let mut full_fits = false;
    for (i, w) in ix.wishes_of(v).iter().enumerate() {
        if w.fallback && full_fits {
            continue;
        }
        full_fits = false;
        for &h in hosts_for(ix, w) {
            plan.fitting(v, h, w.full, options);
            full_fits |= w.full && !options.is_empty();
            for &(day, part) in options.iter() {
                let r = m.reduced(ix, v, h, day, part, w.rank);
                let o = ix.agent_service[v as usize];
                let room: u32 = Index::covered(day, part)
                    .map(|t| plan.host_room(h, t).min(plan.away_room(o, t)))
                    .min()
                    .unwrap_or(0);
                let better = match best {
                    None => true,
                    Some((b, br, _)) => r > b + TIE || (r > b - TIE && room > br),
                };
                if better {
                    best = Some((
                        r,
                        room,
                        Visit {
                            visitor: v,
                            host: h,
                            day,
                            part,
                            wish: start + i as u32,
                        },
                    ));
                }
            }
        }
    }
    best.map(|(r, _, x)| (r, x))
}

/// The Lagrangian plan: visitors by their best reduced value under `m`
/// (best first, then the seeded order), each on its best-priced option
/// that still fits; then steps 4 and 5.
fn lagrangian_primal(ix: &Index, m: &Multipliers, visitors: &[u32], passes: u32) -> Scored {
    let mut plan = Plan::new(ix);
    let mut options = Vec::new();
    let mut keyed: Vec<(f64, u32, u32)> = visitors
        .iter()
        .enumerate()
        .filter_map(|(pos, &v)| {
            best_priced(&plan, m, v, &mut options).map(|(r, _)| (r, pos as u32, v))
        })
        .collect();
    // By priority class, and within one those the subproblem places
    // (positive best value) first.
    keyed.sort_by_key(|&(r, pos, v)| (ix.tier[v as usize], r <= 0.0, pos));
    let mut deferred = Vec::new();
    for &(key, pos, v) in &keyed {
        if let Some((r, visit)) = best_priced(&plan, m, v, &mut options) {
            if key > 0.0 && r <= 0.0 {
                deferred.push((pos, v));
                continue;
            }
            plan.place(visit);
        }
    }
    deferred.sort_unstable();
    for &(_, v) in &deferred {
        if let Some((_, visit)) = best_priced(&plan, m, v, &mut options) {
            plan.place(visit);
        }
    }
    finish(&mut plan, visitors, passes);
    Scored::of(&plan)
}

/// Steps 2 and 3 (and 4, 5): the aggregate assignment, packed.
fn packed_from_aggregate(
    ix: &Index,
    assigned: &[aggregate::DenseAssignment],
    visitors: &[u32],
    passes: u32,
) -> Scored {
    let mut plan = Plan::new(ix);
    let plan = &mut plan;
    let mut rank_of = vec![0u32; ix.agent_src.len()];
    for (pos, &v) in visitors.iter().enumerate() {
        rank_of[v as usize] = pos as u32;
    }

    // Step 3: pack the assignment, most constrained first, in batches:
    // the options left are recounted before each batch.
    let mut pending: Vec<(u32, u32)> = assigned
        .iter()
        .filter(|a| a.wish != NONE)
        .map(|a| (a.visitor, a.wish))
        .collect();
    let jobs_total = pending.len();
    let mut pressure = Pressure::for_jobs(
        ix,
        &pending
            .iter()
            .map(|&(v, w)| (v, ix.wishes[w as usize].service))
            .collect::<Vec<_>>(),
    );
    let batch = (jobs_total / PACKING_BATCHES).max(1);
    let mut options = Vec::new();
    let mut keyed: Vec<(u32, u32, u32, u32, u32)> = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        keyed.clear();
        for &(v, wish) in &pending {
            let w = &ix.wishes[wish as usize];
            let n: usize = hosts_for(ix, w)
                .iter()
                .map(|&h| {
                    plan.fitting(v, h, w.full, &mut options);
                    options.len()
                })
                .sum();
            keyed.push((ix.tier[v as usize], n as u32, rank_of[v as usize], v, wish));
        }
        keyed.sort_unstable();
        let take = batch.min(keyed.len());
        for &(_, _, _, v, wish) in &keyed[..take] {
            let w = &ix.wishes[wish as usize];
            pressure.count_job(ix, v, w.service, false);
            if let Some(c) = pressure.best(plan, v, hosts_for(ix, w), w.full) {
                pressure.placed(ix, c);
                plan.place(c.visit(v, wish));
            }
        }
        pending = keyed[take..].iter().map(|&(.., v, w)| (v, w)).collect();
    }
    drop(pressure);
    finish(plan, visitors, passes);
    Scored::of(plan)
}

/// Step 4: every visitor with wishes still left out tries them by rank, as
/// they fit, then by moving one visit; with priority classes, then by
/// taking the place of a visitor of a later class. Returns whether anything
/// changed.
fn complete(plan: &mut Plan<'_>, pressure: &mut Pressure, visitors: &[u32]) -> bool {
    let ix = plan.ix;
    let mut changed = false;
    let mut memo = Memo::new(ix);
    let mut pos = Vec::new();
    if ix.tiers > 1 {
        pos = vec![0u32; ix.agent_src.len()];
        for (i, &v) in visitors.iter().enumerate() {
            pos[v as usize] = i as u32;
        }
    }
    for &v in visitors {
        if plan.visit_count(v) != 0 {
            continue;
        }
        if place_one(plan, pressure, &mut memo, v, u32::MAX)
            || (ix.tiers > 1 && bump(plan, pressure, &mut memo, v, &pos))
        {
            changed = true;
        }
    }
    changed
}

/// Places `v` on its best-ranked wish ranked before `below` that fits, as
/// it is or by moving one visit. Returns whether it succeeded.
fn place_one(
    plan: &mut Plan<'_>,
    pressure: &mut Pressure,
    memo: &mut Memo,
    v: u32,
    below: u32,
) -> bool {
    let ix = plan.ix;
    let start = ix.wish_start[v as usize];
    for (i, w) in ix.wishes_of(v).iter().enumerate() {
        if w.rank >= below {
            break;
        }
        let wish = start + i as u32;
        if let Some(c) = pressure.best(plan, v, hosts_for(ix, w), w.full) {
            plan.place(c.visit(v, wish));
            return true;
        }
        if place_by_moving_one(plan, memo, v, hosts_for(ix, w), w.full, wish, &|_| true) {
            return true;
        }
    }
    false
}

/// Places `v` (left out) in the place of one visit of a visitor of a later
/// priority class, at the host or in the origin service where room lacks:
/// wishes by rank, victims from the last class and the last in the seeded
/// order (`pos`) first. The victim is then placed elsewhere if it can be.
/// Returns whether `v` was placed; otherwise the plan is as it was.
fn bump(
    plan: &mut Plan<'_>,
    pressure: &mut Pressure,
    memo: &mut Memo,
    v: u32,
    pos: &[u32],
) -> bool {
    let ix = plan.ix;
    let tier = ix.tier[v as usize];
    if tier + 1 >= ix.tiers {
        return false;
    }
    let o = ix.agent_service[v as usize];
    let start = ix.wish_start[v as usize];
    let mut victims = Vec::new();
    for (i, w) in ix.wishes_of(v).iter().enumerate() {
        let hosts = hosts_for(ix, w);
        victims.clear();
        for t in 0..ix.slots {
            for &h in hosts {
                victims.extend_from_slice(plan.hosted_at(h, t));
            }
            victims.extend_from_slice(plan.away_at(o, t));
        }
        victims.sort_unstable();
        victims.dedup();
        victims.retain(|&id| {
            ix.tier[plan.visit(id).visitor as usize] > tier && plan.partner_of(id).is_none()
        });
        victims.sort_by_key(|&id| {
            let x = plan.visit(id).visitor as usize;
            (std::cmp::Reverse(ix.tier[x]), std::cmp::Reverse(pos[x]), id)
        });
        for &id in &victims {
            let old = plan.remove(id);
            if let Some(c) = pressure.best(plan, v, hosts, w.full) {
                pressure.placed(ix, c);
                plan.place(c.visit(v, start + i as u32));
                if plan.visit_count(old.visitor) == 0 {
                    place_one(plan, pressure, memo, old.visitor, u32::MAX);
                }
                return true;
            }
            plan.place(old);
        }
    }
    false
}

/// Step 5: placed visitors try a better-ranked wish. Returns whether
/// anything changed.
fn improve_ranks(plan: &mut Plan<'_>, pressure: &mut Pressure, visitors: &[u32]) -> bool {
    let ix = plan.ix;
    let mut changed = false;
    let mut memo = Memo::new(ix);
    for &v in visitors {
        let Some(&id) = plan.visit_ids_of(v).first() else {
            continue;
        };
        let current = plan.visit(id);
        if current.wish == NONE {
            continue;
        }
        plan.remove(id);
        if place_one(
            plan,
            pressure,
            &mut memo,
            v,
            ix.wishes[current.wish as usize].rank,
        ) {
            changed = true;
        } else {
            plan.place(current);
        }
    }
    changed
}

/// Whether the full problem is a plain assignment (step 1's conditions).
fn is_plain_assignment(ix: &Index) -> bool {
    if ix.max_visits != 1 || ix.wishes.iter().any(|w| w.full) {
        return false;
    }
    if ix.visitors.iter().any(|&v| ix.wishes_of(v).is_empty()) {
        return false; // volunteers without wishes are drawn, not assigned
    }
    let slots = ix.slots as usize;
    let ns = ix.service_src.len();
    let mut from = vec![0u32; ns];
    for &v in &ix.visitors {
        from[ix.agent_service[v as usize] as usize] += 1;
        if ix.agent_host[v as usize] != NONE {
            return false; // visiting and hosting could overlap
        }
    }
    let mut offered = vec![0u64; ns * slots];
    for (h, &a) in ix.host_agent.iter().enumerate() {
        let s = ix.agent_service[a as usize] as usize;
        for t in 0..slots {
            offered[s * slots + t] += u64::from(ix.host_cap[h * slots + t]);
        }
    }
    (0..ns).all(|s| {
        (0..slots).all(|t| {
            ix.continuity_cap[s * slots + t] >= from[s]
                && u64::from(ix.max_visitors[s * slots + t]) >= offered[s * slots + t]
        })
    })
}

/// Step 1: the exact min-cost flow over (visitor → host half-day). Returns
/// the number placed.
fn exact_assignment(plan: &mut Plan<'_>, seed: u64) -> u32 {
    let chosen = time_indexed(plan.ix, seed);
    let mut placed = 0;
    for visit in chosen {
        if plan.fits(visit.visitor, visit.host, visit.day, visit.part) {
            plan.place(visit);
            placed += 1;
        }
    }
    placed
}

/// The time-indexed flow: visitors to host half-days (a full day entered
/// through its morning), the most visits then the least cost, where a
/// visit costs its rank plus `class × U` for a visitor of priority class
/// `class` (as in the [aggregate](super::aggregate) relaxation, the
/// visitor sets served form a transversal matroid, so the cheapest maximum
/// flow serves the classes lexicographically). Returns the visits the flow
/// chooses (they respect host capacities, not continuity caps).
fn time_indexed(ix: &Index, seed: u64) -> Vec<Visit> {
    let slots = ix.slots;
    let nh = ix.host_agent.len() as u32;
    let (src, sink) = (0u32, 1u32);
    let slot_node = |h: u32, t: u32| 2 + h * slots + t;
    let visitor_base = 2 + nh * slots;
    let mut g = MinCostFlow::new((visitor_base as usize) + ix.visitors.len());
    for h in 0..nh {
        for t in 0..slots {
            let c = ix.host_capacity(h, t);
            if c > 0 {
                g.add_edge(slot_node(h, t), sink, i64::from(c), 0);
            }
        }
    }
    let empty = Plan::new(ix);
    let order = DrawRng::new(seed, Stream::Order).permutation(ix.visitors.len() as u32);
    let unit = aggregate::tier_unit(ix);
    let mut edges = Vec::new();
    let mut options = Vec::new();
    for (node, &p) in order.iter().enumerate() {
        let v = ix.visitors[p as usize];
        let vn = visitor_base + node as u32;
        g.add_edge(src, vn, 1, unit * i64::from(ix.tier[v as usize]));
        let start = ix.wish_start[v as usize];
        for (i, w) in ix.wishes_of(v).iter().enumerate() {
            if w.host == NO_SLOTS || !usable(&empty, v, w) {
                continue;
            }
            for &h in hosts_for(ix, w) {
                empty.fitting(v, h, w.full, &mut options);
                for &(k, part) in &options {
                    // A full-day option is entered through its morning (the
                    // afternoon is checked when the plan is built).
                    let t = 2 * k + u32::from(part == Part::Afternoon);
                    let e = g.add_edge(vn, slot_node(h, t), 1, i64::from(w.rank));
                    edges.push((e, v, h, k, part, start + i as u32));
                }
            }
        }
    }
    drop(empty);
    if g.max_flow_min_cost(src, sink).is_err() {
        return Vec::new();
    }
    edges
        .into_iter()
        .filter(|(e, ..)| g.flow(*e) > 0)
        .map(|(_, v, h, k, part, wish)| Visit {
            visitor: v,
            host: h,
            day: k,
            part,
            wish,
        })
        .collect()
}
