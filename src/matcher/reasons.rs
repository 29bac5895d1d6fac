//! Why each visitor left out was left out, computed from the final plan.

use crate::index::{NONE, WishIx};
use crate::matcher::feasibility::{Plan, STATIC_BLOCKS};
use crate::matcher::slot_choice::hosts_for;
use crate::{Duration, Edition, Target, UnplacedReason};

/// The reasons visitor `v` (placed nowhere) could not be placed.
pub(crate) fn reasons(edition: &Edition, plan: &Plan<'_>, v: u32) -> Vec<UnplacedReason> {
    let ix = plan.ix;
    let own = ix.agent_service[v as usize];
    // A full-day wish that may fall back to a half day is judged by its
    // fallback entry alone: whatever stops every half-day visit of the
    // target (no slot, availability, capacities, overlaps) also stops every
    // full day, so those reasons are true of the wish as the policy reads
    // it; and if a half day fits, the wish was not chosen.
    let wishes = ix.wishes_of(v);
    let mut targets: Vec<WishIx> = wishes
        .iter()
        .enumerate()
        .filter(|&(i, _)| !wishes.get(i + 1).is_some_and(|n| n.fallback))
        .map(|(_, w)| *w)
        .collect();
    if targets.is_empty() {
        // Without wishes, every other service with hosts was open to them.
        targets = (0..ix.service_src.len() as u32)
            .filter(|&s| s != own && !ix.hosts_of(s).is_empty())
            .map(|s| WishIx {
                service: s,
                host: NONE,
                rank: 0,
                full: ix.default_full,
                src: NONE,
                fallback: false,
            })
            .collect();
        if targets.is_empty() {
            return vec![UnplacedReason::NothingOffered];
        }
    }
    let mut out = Vec::new();
    for w in &targets {
        let target = target_of(edition, plan, w);
        out.extend(for_target(edition, plan, v, w, target));
    }
    out.sort();
    out.dedup();
    out
}

fn target_of(edition: &Edition, plan: &Plan<'_>, w: &WishIx) -> Target {
    let ix = plan.ix;
    if w.src != NONE {
        if let Some(wish) = edition.wishes.get(w.src as usize) {
            return wish.target.clone();
        }
    }
    let src = ix.service_src[w.service as usize] as usize;
    Target::Service(edition.services[src].id.clone())
}

fn for_target(
    edition: &Edition,
    plan: &Plan<'_>,
    v: u32,
    w: &WishIx,
    target: Target,
) -> Vec<UnplacedReason> {
    let ix = plan.ix;
    let hosts = hosts_for(ix, w);
    let any_offer = hosts
        .iter()
        .any(|&h| (0..ix.slots).any(|t| ix.host_capacity(h, t) > 0));
    if !any_offer {
        return vec![UnplacedReason::NoHostSlot { target }];
    }
    if ix.confidentiality_blocks[w.service as usize] && !ix.agent_signed[v as usize] {
        return vec![UnplacedReason::ConfidentialityMissing { target }];
    }
    if ix.visited_before[v as usize]
        .binary_search(&w.service)
        .is_ok()
    {
        return vec![UnplacedReason::AlreadyVisited { target }];
    }
    let mut offered = false;
    let mut free = false;
    let (mut cap_all, mut overlap_all, mut cont_all) = (true, true, true);
    for &h in hosts {
        if plan.pair_blocks(v, h) & STATIC_BLOCKS != 0 {
            continue;
        }
        for word in 0..plan.words() {
            let m = plan.masks(v, h, word, w.full);
            offered |= m.offered != 0;
            free |= m.free != 0;
            if m.fitting() != 0 {
                return vec![UnplacedReason::NotChosen { target }];
            }
            cap_all &= m.free & !m.capacity == 0;
            overlap_all &= m.free & !m.overlap == 0;
            cont_all &= m.free & !m.continuity == 0;
        }
    }
    if !offered {
        let duration = if w.full {
            Duration::FullDay
        } else {
            Duration::HalfDay
        };
        return vec![UnplacedReason::DurationNotOffered { target, duration }];
    }
    if !free {
        return vec![UnplacedReason::AvailabilityNeverMeets { target }];
    }
    let mut out = Vec::new();
    if cap_all {
        out.push(UnplacedReason::HostSlotsTaken {
            target: target.clone(),
        });
    }
    if cont_all {
        let own = ix.service_src[ix.agent_service[v as usize] as usize] as usize;
        out.push(UnplacedReason::ContinuityCapSaturated {
            target: target.clone(),
            own_service: edition.services[own].id.clone(),
        });
    }
    if overlap_all {
        out.push(UnplacedReason::Overlap {
            target: target.clone(),
        });
    }
    if out.is_empty() {
        out.push(UnplacedReason::SlotsBlocked { target });
    }
    out
}
