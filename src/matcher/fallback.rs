//! Half-day fallbacks ([`crate::Policy::half_day_fallback`]): the last pass
//! that gives full days back.
//!
//! With the option on, the index lists after each full-day wish a second
//! entry for the same wish as a half day, so every strategy (and the
//! feasibility core, the relaxations and the exhaustive search) handles
//! fallbacks through the one pipeline, trying the full day first. A
//! strategy may still end with a fallback whose full day has become
//! possible (a later move freed the other half, or a date elsewhere): this
//! pass, run on every plan before it becomes an outcome, gives each such
//! visit its full day, changing nothing else.
//!
//! # Procedure
//!
//! Fallback visits (not reciprocal legs) are taken by visitor id, then
//! date and part. Each is lifted from the plan; if a full day of the same
//! wish fits, it is placed there instead — the same host on the same date
//! first, then the same date with another host, then the earliest date,
//! hosts in id order — else the half day is put back as it was. Passes
//! repeat while one upgrades a visit (at most one pass per fallback, plus
//! one), so that when it ends no fallback's full day fits the plan.

use crate::Part;
use crate::index::NONE;
use crate::matcher::feasibility::{Plan, Visit};
use crate::matcher::slot_choice::hosts_for;

/// Upgrades every fallback visit of `plan` whose full day fits (see the
/// module docs). Returns the number upgraded.
///
/// # Complexity
///
/// O(F² · H · T / 64) at worst for F fallback visits, H hosts of a wish and
/// T half-days; nothing without fallbacks.
pub(crate) fn upgrade(plan: &mut Plan<'_>) -> u32 {
    let ix = plan.ix;
    if !ix.wishes.iter().any(|w| w.fallback) {
        return 0;
    }
    let mut upgraded = 0;
    let mut options = Vec::new();
    loop {
        let mut pending: Vec<(u32, u32, Part, u32)> = plan
            .live()
            .filter(|&(id, x)| {
                x.wish != NONE
                    && ix.wishes.get(x.wish as usize).is_some_and(|w| w.fallback)
                    && plan.partner_of(id).is_none()
            })
            .map(|(id, x)| (x.visitor, x.day, x.part, id))
            .collect();
        pending.sort_unstable();
        let before = upgraded;
        for &(.., id) in &pending {
            let old = plan.remove(id);
            if let Some(new) = full_day(plan, &old, &mut options) {
                plan.place(new);
                upgraded += 1;
            } else {
                plan.revive(id);
            }
        }
        if upgraded == before {
            return upgraded;
        }
    }
}

/// The full day that replaces fallback visit `old` (lifted from `plan`),
/// if one fits.
fn full_day(plan: &Plan<'_>, old: &Visit, options: &mut Vec<(u32, Part)>) -> Option<Visit> {
    let ix = plan.ix;
    let wish = ix.same_wish(old.wish).start as u32;
    let w = ix.wishes.get(wish as usize).filter(|w| w.full)?;
    let mut best: Option<((bool, bool, u32, usize), Visit)> = None;
    for (pos, &host) in hosts_for(ix, w).iter().enumerate() {
        plan.fitting(old.visitor, host, true, options);
        for &(day, part) in options.iter() {
            let key = (day != old.day, host != old.host, day, pos);
            if best.as_ref().is_none_or(|(k, _)| key < *k) {
                best = Some((
                    key,
                    Visit {
                        visitor: old.visitor,
                        host,
                        day,
                        part,
                        wish,
                    },
                ));
            }
        }
    }
    best.map(|(_, v)| v)
}
