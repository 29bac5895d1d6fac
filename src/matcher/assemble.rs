//! From a plan to an [`Outcome`]: pairings with ids, reasons, report.

use crate::index::{Index, NONE};
use crate::matcher::feasibility::{Plan, Visit};
use crate::matcher::reasons::reasons;
use crate::outcome::{Bound, ClassLoad, Report, ServiceLoad, SlotLoad, Unplaced};
use crate::rng::DRAW_PROCEDURE_VERSION;
use crate::{Edition, HalfDay, Outcome, Pairing, Policy, Slot, UnplacedReason};

/// Builds the outcome of `plan`, with the strategy's `bound` if it has one.
pub(crate) fn outcome(
    edition: &Edition,
    plan: &Plan<'_>,
    policy: &Policy,
    bound: Option<Bound>,
) -> Outcome {
    let ix = plan.ix;
    let agent = |a: u32| &edition.agents[ix.agent_src[a as usize] as usize];
    let service = |s: u32| &edition.services[ix.service_src[s as usize] as usize];

    // Agents are indexed in id order, so sorting on indices sorts by id.
    let mut visits: Vec<(Visit, u32)> = plan
        .live()
        .map(|(id, v)| {
            let partner = plan.partner_of(id).map_or(NONE, |p| plan.visit(p).visitor);
            (*v, partner)
        })
        .collect();
    visits.sort_unstable_by_key(|(v, _)| (v.visitor, v.day, v.part, v.host));
    let pairings: Vec<Pairing> = visits
        .iter()
        .map(|(v, partner)| {
            let host = ix.host_agent[v.host as usize];
            let hs = ix.agent_service[host as usize];
            let wish = ix.wishes.get(v.wish as usize);
            let rank = wish.map(|w| w.rank);
            let mut p = Pairing::new(
                agent(v.visitor).id.clone(),
                agent(host).id.clone(),
                service(hs).id.clone(),
                ix.days[v.day as usize],
                v.part,
                rank,
            );
            if *partner != NONE {
                p.reciprocal = Some(agent(*partner).id.clone());
            }
            p.agreement_pending =
                ix.confidentiality_required[hs as usize] && !ix.agent_signed[v.visitor as usize];
            p.fallback = wish.is_some_and(|w| w.fallback);
            p
        })
        .collect();

    let cannot_join = super::joinable::cannot_join(plan, bound.as_ref().map(|b| b.placed));
    let mut unplaced: Vec<Unplaced> = ix
        .visitors
        .iter()
        .filter(|&&v| plan.visit_count(v) == 0)
        .map(|&v| Unplaced {
            visitor: agent(v).id.clone(),
            reasons: reasons(edition, plan, v),
            cannot_join: cannot_join[v as usize],
        })
        .chain(ix.capped.iter().map(|&(v, participations)| Unplaced {
            visitor: agent(v).id.clone(),
            reasons: vec![UnplacedReason::ParticipationCapReached { participations }],
            cannot_join: false,
        }))
        .collect();
    unplaced.sort();

    Outcome {
        edition: edition.name.clone(),
        strategy: policy.strategy,
        seed: policy.seed,
        crate_version: env!("CARGO_PKG_VERSION").to_owned(),
        draw_version: DRAW_PROCEDURE_VERSION,
        report: report(edition, plan, &pairings),
        pairings,
        unplaced,
        bound,
    }
}

fn report(edition: &Edition, plan: &Plan<'_>, pairings: &[Pairing]) -> Report {
    let ix = plan.ix;
    let asked = ix.visitors.len() as u32;
    let placed = ix
        .visitors
        .iter()
        .filter(|&&v| plan.visit_count(v) > 0)
        .count() as u32;
    let mut rank_histogram: Vec<u32> = Vec::new();
    let mut without_wish = 0;
    let mut rank_sum = 0u64;
    let fallbacks = pairings.iter().filter(|p| p.fallback).count() as u32;
    for p in pairings {
        match p.rank {
            Some(r) if r >= 1 => {
                let r = r as usize;
                if rank_histogram.len() < r {
                    rank_histogram.resize(r, 0);
                }
                rank_histogram[r - 1] += 1;
                rank_sum += r as u64;
            }
            _ => without_wish += 1,
        }
    }
    let first = rank_histogram.first().copied().unwrap_or(0);
    let with_wish = pairings.len() as u32 - without_wish;
    let first_choice_per_mille = if with_wish == 0 {
        0
    } else {
        ((u64::from(first) * 1000 + u64::from(with_wish) / 2) / u64::from(with_wish)) as u32
    };

    let mut made = vec![0u32; ix.service_src.len()];
    let mut received = vec![0u32; ix.service_src.len()];
    for v in plan.visits() {
        made[ix.agent_service[v.visitor as usize] as usize] += 1;
        received[ix.agent_service[ix.host_agent[v.host as usize] as usize] as usize] += 1;
    }
    let mut offered = vec![0u32; ix.service_src.len() * ix.slots as usize];
    for (h, &a) in ix.host_agent.iter().enumerate() {
        let s = ix.agent_service[a as usize] as usize;
        for t in 0..ix.slots {
            let o = &mut offered[s * ix.slots as usize + t as usize];
            *o = o.saturating_add(ix.host_capacity(h as u32, t));
        }
    }
    let services = (0..ix.service_src.len() as u32)
        .map(|s| {
            let mut slots = Vec::new();
            let mut max_away = 0;
            for t in 0..ix.slots {
                let (away, got) = (plan.away(s, t), plan.received(s, t));
                max_away = max_away.max(away);
                if away == 0 && got == 0 {
                    continue;
                }
                let i = s as usize * ix.slots as usize + t as usize;
                slots.push(SlotLoad {
                    slot: slot_of(ix, t),
                    away,
                    continuity_cap: ix.continuity_cap[i],
                    received: got,
                    offered: offered[i],
                });
            }
            ServiceLoad {
                service: edition.services[ix.service_src[s as usize] as usize]
                    .id
                    .clone(),
                visits_made: made[s as usize],
                visits_received: received[s as usize],
                max_away,
                slots,
            }
        })
        .collect();
    let mut classes = Vec::new();
    if ix.tiers > 1 {
        classes = vec![
            ClassLoad {
                asked: 0,
                placed: 0
            };
            ix.tiers as usize
        ];
        for &v in &ix.visitors {
            if let Some(c) = classes.get_mut(ix.tier[v as usize] as usize) {
                c.asked += 1;
                c.placed += u32::from(plan.visit_count(v) > 0);
            }
        }
    }
    Report {
        asked,
        placed,
        visits: pairings.len() as u32,
        rank_histogram,
        without_wish,
        rank_sum,
        first_choice_per_mille,
        fallbacks,
        services,
        classes,
    }
}

fn slot_of(ix: &Index, t: u32) -> Slot {
    let half = if t % 2 == 0 {
        HalfDay::Morning
    } else {
        HalfDay::Afternoon
    };
    Slot::new(ix.days[(t / 2) as usize], half)
}
