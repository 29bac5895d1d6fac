//! The strategies, over one feasibility core.
//!
//! Every strategy works on the dense index of an [`Instance`] and places
//! visits through the same feasibility core, which enforces every hard
//! constraint; the same assembly turns the plan into an [`Outcome`] with
//! reasons for the visitors left out and a report.
//!
//! - [`Strategy::Draw`]: the seeded lottery, random serial dictatorship
//!   (see the procedure in the `draw` module docs, reproduced in
//!   [`crate::rng`] for the random part).
//! - [`Strategy::Optimal`]: the most visitors, then the least rank sum;
//!   exact on plain assignments, otherwise flow-guided with a bound.
//! - [`Strategy::Stable`]: deferred acceptance on the aggregate (stability
//!   is promised there: no visitor and service would both rather be
//!   matched together), then each match scheduled by slot choice; a match
//!   that no slot can hold is reported unplaced with its reasons.

mod aggregate;
mod assemble;
pub(crate) mod blossom;
mod bound;
mod draw;
mod ejection;
mod exact;
mod fallback;
pub(crate) mod feasibility;
pub(crate) mod flow;
mod hubflow;
mod joinable;
mod lns;
mod optimal;
mod perturb;
mod reasons;
mod reciprocal;
mod repair;
pub(crate) mod slot_choice;
pub(crate) mod stable;
#[cfg(test)]
mod test_rng;

pub use aggregate::{Aggregate, AggregateAssignment};
pub use reciprocal::{ReciprocalPair, ReciprocalPairs};

use crate::index;
use crate::outcome::Bound;
use crate::{Instance, OneWay, Outcome, Policy, Strategy};

/// Rounds of re-pairing when some pairs' legs cannot be scheduled.
const PAIRING_ROUNDS: u32 = 8;

/// Runs `policy`'s strategy on `instance`.
pub(crate) fn solve(instance: &Instance, policy: &Policy) -> Outcome {
    let ix = instance.index();
    let mut plan = feasibility::Plan::new(ix);
    let bound = match policy.strategy {
        Strategy::Draw => {
            draw::draw(&mut plan, policy.seed.get(), policy.second_chance);
            None
        }
        Strategy::Reciprocal => {
            reciprocal::schedule(&mut plan, policy.seed.get(), policy.legs, PAIRING_ROUNDS);
            match (policy.mixed, policy.one_way) {
                (false, _) => None,
                (true, OneWay::Draw) => {
                    draw::draw(&mut plan, policy.seed.get(), policy.second_chance);
                    None
                }
                (true, OneWay::Optimal) => {
                    // The others on what the pairs' legs leave free.
                    let pairs: Vec<feasibility::Visit> = plan.visits().copied().collect();
                    let residual = ix.residual(&pairs);
                    let mut rest = feasibility::Plan::new(&residual);
                    let mut b = run_optimal(&mut rest, policy);
                    for &v in rest.visits() {
                        debug_assert!(plan.fits(v.visitor, v.host, v.day, v.part));
                        plan.place(v);
                    }
                    b.placed += pairs.len() as u32;
                    b.objective = None;
                    b.source.push_str(", given the reciprocal pairs");
                    Some(b)
                }
            }
        }
        Strategy::Stable => {
            // Scheduled in priority order, each on the least-pressed slot.
            let priority = stable_priority(instance, policy);
            let mut matched = stable::deferred_acceptance(ix, &priority);
            let mut pos = vec![u32::MAX; ix.agent_src.len()];
            for (i, &v) in priority.iter().enumerate() {
                pos[v as usize] = i as u32;
            }
            matched.sort_by_key(|&(v, _)| pos[v as usize]);
            let jobs: Vec<(u32, u32)> = matched
                .iter()
                .map(|&(v, w)| (v, ix.wishes[w as usize].service))
                .collect();
            let mut pressure = slot_choice::Pressure::for_jobs(ix, &jobs);
            for &(v, wish) in &matched {
                let w = &ix.wishes[wish as usize];
                pressure.count_job(ix, v, w.service, false);
                // The full day first, then its half-day fallback if allowed.
                for e in ix.same_wish(wish) {
                    let w = &ix.wishes[e];
                    if let Some(c) = pressure.best(&plan, v, slot_choice::hosts_for(ix, w), w.full)
                    {
                        pressure.placed(ix, c);
                        plan.place(c.visit(v, e as u32));
                        break;
                    }
                }
            }
            None
        }
        Strategy::Optimal => Some(run_optimal(&mut plan, policy)),
    };
    // Half-day fallbacks whose full day now fits get it (same visitors,
    // same ranks: the bound and the value are unchanged).
    fallback::upgrade(&mut plan);
    assemble::outcome(instance.edition(), &plan, policy, bound)
}

/// The optimal strategy on `plan` (empty), with its bound.
fn run_optimal(plan: &mut feasibility::Plan<'_>, policy: &Policy) -> Bound {
    let ix = plan.ix;
    let (method, flow_bound, slot_bound) =
        optimal::optimal(plan, policy.seed.get(), policy.work_limit);
    let placed = plan.visits().count() as u32;
    let rank_sum: u64 = plan
        .visits()
        .filter(|v| v.wish != index::NONE)
        .map(|v| u64::from(ix.wishes[v.wish as usize].rank))
        .sum();
    let weight = bound::objective_weight(ix);
    // With priority classes the optimum serves the classes first, so it may
    // place fewer, or with a larger rank sum, than the best plan without
    // classes: its own value bounds only the classes' objective, and the
    // relaxations below bound the rest.
    let proven = |source: &str| Bound {
        placed,
        objective: Some((weight * u64::from(placed)).saturating_sub(rank_sum)),
        weight,
        source: source.to_owned(),
    };
    match method {
        optimal::Method::Exact | optimal::Method::Tight => {
            let how = if method == optimal::Method::Exact {
                "exact assignment (min-cost flow)"
            } else {
                "the plan reaches the aggregate relaxation's optimum"
            };
            if ix.tiers == 1 {
                proven(&format!("{how}: optimal"))
            } else {
                Bound {
                    placed: flow_bound,
                    objective: None,
                    weight,
                    source: format!("{how}: optimal by priority class"),
                }
            }
        }
        optimal::Method::Proven if ix.tiers == 1 => {
            proven("exhaustive search (branch and bound): optimal")
        }
        optimal::Method::Proven | optimal::Method::Heuristic => {
            let lb = slot_bound.unwrap_or_else(|| {
                let work = if ix.visitors.len() <= 50_000 { 300 } else { 30 };
                bound::lagrangian_bound(ix, placed, rank_sum, work)
            });
            let (placed_bound, source) = if ix.max_visits == 1 && flow_bound < lb.placed {
                (flow_bound, "aggregate relaxation (min-cost flow)")
            } else {
                (lb.placed, "Lagrangian relaxation of the time-indexed model")
            };
            Bound {
                placed: placed_bound,
                objective: lb.objective,
                weight,
                source: source.to_owned(),
            }
        }
    }
}

/// Solves the aggregate relaxation of `instance` with `seed`.
pub(crate) fn aggregate(instance: &Instance, seed: u64) -> Aggregate {
    aggregate::solve(instance.edition(), instance.index(), seed)
}

/// The stable strategy's priority in dense form: by priority class (the
/// policy's tiers, then those left out last time first), and within a
/// class the policy's list (known visitors, first mention), then the seeded
/// lottery for the rest.
fn stable_priority(instance: &Instance, policy: &Policy) -> Vec<u32> {
    let ix = instance.index();
    let e = instance.edition();
    let mut seen = vec![false; ix.agent_src.len()];
    let mut out = Vec::with_capacity(ix.visitors.len());
    for id in &policy.priority {
        if let Ok(a) = ix
            .agent_src
            .binary_search_by(|&src| e.agents[src as usize].id.cmp(id))
        {
            if !seen[a] {
                seen[a] = true;
                out.push(a as u32);
            }
        }
    }
    for v in stable::lottery_priority(ix, policy.seed.get()) {
        if !seen[v as usize] {
            seen[v as usize] = true;
            out.push(v);
        }
    }
    out.sort_by_key(|&v| ix.tier[v as usize]);
    out
}

/// The stable matching of `instance` before slots (the mechanism's
/// promise: no blocking pair on the aggregate).
pub(crate) fn stable_aggregate(instance: &Instance, policy: &Policy) -> Aggregate {
    let priority = stable_priority(instance, policy);
    stable::solve_stable(instance.edition(), instance.index(), &priority)
}

/// The best reciprocal pairs of `instance` with `seed`.
pub(crate) fn reciprocal_pairs(instance: &Instance, seed: u64) -> ReciprocalPairs {
    reciprocal::pairs(instance.edition(), instance.index(), seed)
}
