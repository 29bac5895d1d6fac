//! The seeded draw (Vernon's *tirage au sort*): random serial dictatorship.
//!
//! # Procedure
//!
//! 1. The visitors (agents who volunteer to visit) are listed by id.
//! 2. Their order is drawn: the permutation of [`crate::rng`] on stream
//!    [`Stream::Order`] of the policy's seed.
//!    Then the visitors are grouped by priority class, keeping the drawn
//!    order within each class (a stable sort): the policy's
//!    [`tiers`](crate::Policy::tiers) first to last, and within each tier
//!    those who asked to visit in the latest earlier edition and were not
//!    placed (their history says so) first — the Vosges promise that every
//!    request is satisfied in turn.
//! 3. In that order, each visitor takes their best-ranked wish that still
//!    fits the plan; the (host, date, part) is chosen by
//!    [`slot_choice`](super::slot_choice). A visitor whose wishes all fail
//!    stays unplaced. With the policy's
//!    [`half_day_fallback`](crate::Policy::half_day_fallback), a full-day
//!    wish whose full day fits nowhere is tried as a half day right after,
//!    before the next rank (it is the same wish, with the same rank).
//! 4. A visitor without any wish gets a visit drawn uniformly among every
//!    option that fits (service other than their own, host, date, part of
//!    the policy's default duration), listed by service id, host id, date,
//!    then morning before afternoon; the index is drawn on stream
//!    [`Stream::Open`].
//! 5. When the policy allows several visits per agent, step 3–4 run again,
//!    in the same order, for those placed in every earlier round; a wish
//!    (or, without wishes, a service) is used at most once.
//! 6. **Second chance** (unless the policy turns it off): in the same
//!    order, each visitor with wishes still placed nowhere tries their
//!    wishes again by rank, now allowed to move **one** placed visit to
//!    another date (or another host of the same service) of that visit's
//!    own wish, when that frees the room they need. Nobody placed loses
//!    their wish or changes rank; only dates move. The first success wins.
//!    Then, in the same order, those still left out take their best wish
//!    that now fits as it is (moves free the dates they leave); a volunteer
//!    without wishes gets step 4's uniform draw again, on the same stream.
//! 7. With `half_day_fallback`, each half-day fallback whose full day now
//!    fits gets it (the pass every strategy ends with, see the `fallback`
//!    module); no random number is drawn, so without fallbacks the draw is
//!    unchanged.

use crate::index::NONE;
use crate::matcher::feasibility::Plan;
use crate::matcher::repair::{Memo, place_by_moving_one};
use crate::matcher::slot_choice::{Choice, Pressure, hosts_for};
use crate::rng::{DrawRng, Stream};

/// Runs the draw on `plan` with `seed`.
///
/// # Complexity
///
/// O(V·(W + 1)·T) for the demand counters plus, per visitor, O(H·T) checks
/// for each wish tried, where V is the number of visitors, W their wishes,
/// H the hosts of a wished service and T the half-days.
pub(crate) fn draw(plan: &mut Plan<'_>, seed: u64, second_chance: bool) {
    let ix = plan.ix;
    let mut order = DrawRng::new(seed, Stream::Order).permutation(ix.visitors.len() as u32);
    // Step 2b: by priority class (the policy's tiers, and within each those
    // left out last time first), in drawn order within a class.
    order.sort_by_key(|&p| ix.tier[ix.visitors[p as usize] as usize]);
    let mut open = DrawRng::new(seed, Stream::Open);
    let mut pressure = Pressure::new(ix);
    let mut used = vec![false; ix.wishes.len()];
    for round in 0..ix.max_visits {
        for &p in &order {
            let v = ix.visitors[p as usize];
            if round == 0 {
                pressure.count(ix, v, false);
            }
            if plan.visit_count(v) != round {
                continue;
            }
            let start = ix.wish_start[v as usize] as usize;
            let wishes = ix.wishes_of(v);
            if wishes.is_empty() {
                if let Some(c) = draw_open(plan, v, &mut open) {
                    pressure.placed(ix, c);
                    plan.place(c.visit(v, NONE));
                }
                continue;
            }
            for (i, w) in wishes.iter().enumerate() {
                if used[start + i] {
                    continue;
                }
                if let Some(c) = pressure.best(plan, v, hosts_for(ix, w), w.full) {
                    // A wish and its half-day fallback are used together.
                    used[ix.same_wish((start + i) as u32)].fill(true);
                    pressure.placed(ix, c);
                    plan.place(c.visit(v, (start + i) as u32));
                    break;
                }
            }
        }
    }
    if second_chance {
        let mut memo = Memo::new(ix);
        for &p in &order {
            let v = ix.visitors[p as usize];
            if plan.visit_count(v) != 0 {
                continue;
            }
            let start = ix.wish_start[v as usize] as usize;
            for (i, w) in ix.wishes_of(v).iter().enumerate() {
                let wish = (start + i) as u32;
                if place_by_moving_one(plan, &mut memo, v, hosts_for(ix, w), w.full, wish, &|_| {
                    true
                }) {
                    break;
                }
            }
        }
        // Moves free the dates they leave: a last sweep places whoever now
        // fits without moving anyone, so that no one is left out while a
        // slot of their wishes is free.
        for &p in &order {
            let v = ix.visitors[p as usize];
            if plan.visit_count(v) != 0 {
                continue;
            }
            let start = ix.wish_start[v as usize] as usize;
            let wishes = ix.wishes_of(v);
            if wishes.is_empty() {
                // Without wishes: the uniform draw of step 4, again.
                if let Some(c) = draw_open(plan, v, &mut open) {
                    plan.place(c.visit(v, NONE));
                }
                continue;
            }
            for (i, w) in wishes.iter().enumerate() {
                if let Some(c) = pressure.best(plan, v, hosts_for(ix, w), w.full) {
                    pressure.placed(ix, c);
                    plan.place(c.visit(v, (start + i) as u32));
                    break;
                }
            }
        }
    }
}

/// Step 4: a uniformly drawn fitting option for a visitor without wishes.
fn draw_open(plan: &Plan<'_>, v: u32, rng: &mut DrawRng) -> Option<Choice> {
    let ix = plan.ix;
    let own = ix.agent_service[v as usize];
    let visited: Vec<u32> = plan
        .visits()
        .filter(|x| x.visitor == v)
        .map(|x| ix.agent_service[ix.host_agent[x.host as usize] as usize])
        .collect();
    let mut options = Vec::new();
    let mut fitting = Vec::new();
    for s in 0..ix.service_src.len() as u32 {
        if s == own || visited.contains(&s) {
            continue;
        }
        for &host in ix.hosts_of(s) {
            plan.fitting(v, host, ix.default_full, &mut fitting);
            options.extend(
                fitting
                    .iter()
                    .map(|&(day, part)| Choice { host, day, part }),
            );
        }
    }
    let n = u32::try_from(options.len()).ok()?;
    if n == 0 {
        return None;
    }
    options.get(rng.below(n) as usize).copied()
}
