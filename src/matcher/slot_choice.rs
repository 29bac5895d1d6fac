//! Slot choice: when a wish fits several (host, date, part) options, take
//! the one that leaves the most room for the visitors still to come.
//!
//! # Implementation notes
//!
//! The *pressure* on a half-day `t` is, for the wished service `d` and the
//! visitor's own service `o`:
//!
//! ```text
//! demand_d(t) / room_d(t)  +  demand_o(t) / room_o(t)
//! ```
//!
//! where `demand_d(t)` counts the visitors not yet served who wish `d` and
//! are available at `t`, `room_d(t)` is what `d`'s hosts can still receive
//! at `t`, `demand_o(t)` counts the visitors not yet served from `o`
//! available at `t`, and `room_o(t)` is what is left of `o`'s continuity
//! cap at `t`. An option's pressure is the sum over the half-days it
//! covers; the option with the least pressure wins, ties going to the host
//! with more room left, then the earliest date, the morning, the lowest
//! host id. Ratios are computed in fixed point (`× 2^16`, integer
//! division), so the choice is the same on every platform.
//!
//! Compared with "first free day", this spreads visits away from the
//! half-days that many others could only use.

use crate::Part;
use crate::index::{Index, NO_SLOTS, NONE, WishIx};
use crate::matcher::feasibility::{Plan, Visit};

const SCALE: u64 = 1 << 16;

/// Demand counters for the visitors not yet served, and what the services'
/// hosts can still receive.
#[derive(Clone, Debug)]
pub(crate) struct Pressure {
    slots: usize,
    away_demand: Vec<u32>,
    wish_demand: Vec<u32>,
    offer_room: Vec<u32>,
}

/// One option: host, day, part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Choice {
    pub host: u32,
    pub day: u32,
    pub part: Part,
}

impl Choice {
    /// The visit of `visitor` on this option, satisfying `wish`.
    pub(crate) fn visit(self, visitor: u32, wish: u32) -> Visit {
        Visit {
            visitor,
            host: self.host,
            day: self.day,
            part: self.part,
            wish,
        }
    }
}

/// The parts a visit of the given length can take, in preference order
/// (the tests try every part).
#[cfg(test)]
pub(crate) fn parts(full: bool) -> &'static [Part] {
    if full {
        &[Part::FullDay]
    } else {
        &[Part::Morning, Part::Afternoon]
    }
}

/// The hosts a wish may go to.
pub(crate) fn hosts_for<'a>(ix: &'a Index, w: &'a WishIx) -> &'a [u32] {
    match w.host {
        NONE => ix.hosts_of(w.service),
        NO_SLOTS => &[],
        _ => std::slice::from_ref(&w.host),
    }
}

impl Pressure {
    /// Counts the demand of every visitor of `ix`.
    pub(crate) fn new(ix: &Index) -> Self {
        let slots = ix.slots as usize;
        let ns = ix.service_src.len();
        let mut offer_room = vec![0u32; ns * slots];
        for (h, &a) in ix.host_agent.iter().enumerate() {
            let s = ix.agent_service[a as usize] as usize;
            for t in 0..slots {
                let c = &mut offer_room[s * slots + t];
                *c = c.saturating_add(ix.host_cap[h * slots + t]);
            }
        }
        let mut p = Pressure {
            slots,
            away_demand: vec![0; ns * slots],
            wish_demand: vec![0; ns * slots],
            offer_room,
        };
        for &v in &ix.visitors {
            p.count(ix, v, true);
        }
        p
    }

    /// Demand counters for visitors each assigned one wished service
    /// (`jobs`: visitor, service), as the optimal strategy packs them.
    pub(crate) fn for_jobs(ix: &Index, jobs: &[(u32, u32)]) -> Self {
        let mut p = Pressure::new(ix);
        p.away_demand.fill(0);
        p.wish_demand.fill(0);
        for &(v, s) in jobs {
            p.count_for(ix, v, &std::iter::once(s), true);
        }
        p
    }

    /// Adds or removes the demand of visitor `v` assigned service `s`.
    pub(crate) fn count_job(&mut self, ix: &Index, v: u32, s: u32, add: bool) {
        self.count_for(ix, v, &std::iter::once(s), add);
    }

    /// Adds or removes visitor `v`'s demand.
    pub(crate) fn count(&mut self, ix: &Index, v: u32, add: bool) {
        self.count_for(ix, v, &ix.wishes_of(v).iter().map(|w| w.service), add);
    }

    fn count_for<I: Iterator<Item = u32> + Clone>(
        &mut self,
        ix: &Index,
        v: u32,
        services: &I,
        add: bool,
    ) {
        let o = ix.agent_service[v as usize] as usize * self.slots;
        let step = |x: &mut u32| *x = if add { *x + 1 } else { x.saturating_sub(1) };
        for w in 0..ix.unavailable.words() {
            let tail = self.slots.saturating_sub(w * 64);
            let in_range = if tail >= 64 {
                u64::MAX
            } else {
                (1u64 << tail) - 1
            };
            let mut m = !ix.unavailable.word(v, w) & in_range;
            while m != 0 {
                let t = w * 64 + m.trailing_zeros() as usize;
                m &= m - 1;
                step(&mut self.away_demand[o + t]);
                for s in services.clone() {
                    step(&mut self.wish_demand[s as usize * self.slots + t]);
                }
            }
        }
    }

    /// Records a placed visit's use of its service's offer.
    pub(crate) fn placed(&mut self, ix: &Index, c: Choice) {
        let s = ix.agent_service[ix.host_agent[c.host as usize] as usize] as usize;
        for t in Index::covered(c.day, c.part) {
            let r = &mut self.offer_room[s * self.slots + t as usize];
            *r = r.saturating_sub(1);
        }
    }

    pub(crate) fn score(&self, plan: &Plan<'_>, v: u32, c: Choice) -> u64 {
        let ix = plan.ix;
        let o = ix.agent_service[v as usize];
        let d = ix.agent_service[ix.host_agent[c.host as usize] as usize];
        let mut score = 0u64;
        for t in Index::covered(c.day, c.part) {
            let i = d as usize * self.slots + t as usize;
            let room_d = self.offer_room[i]
                .min(ix.max_visitors[i].saturating_sub(plan.received(d, t)))
                .max(1);
            let j = o as usize * self.slots + t as usize;
            let room_o = plan.away_room(o, t).max(1);
            score += u64::from(self.wish_demand[i]) * SCALE / u64::from(room_d);
            score += u64::from(self.away_demand[j]) * SCALE / u64::from(room_o);
        }
        score
    }

    /// The best option for visitor `v` among `hosts` (each day, each part
    /// of the right length), or `None` if none fits the plan.
    pub(crate) fn best(
        &self,
        plan: &Plan<'_>,
        v: u32,
        hosts: &[u32],
        full: bool,
    ) -> Option<Choice> {
        let mut best: Option<(u64, u32, Choice)> = None;
        let mut options = Vec::new();
        for &host in hosts {
            plan.fitting(v, host, full, &mut options);
            for &(day, part) in &options {
                {
                    debug_assert!(plan.fits(v, host, day, part));
                    let c = Choice { host, day, part };
                    let score = self.score(plan, v, c);
                    let room = Index::covered(day, part)
                        .map(|t| plan.host_room(host, t))
                        .min()
                        .unwrap_or(0);
                    let better = match best {
                        None => true,
                        Some((s, r, _)) => score < s || (score == s && room > r),
                    };
                    if better {
                        best = Some((score, room, c));
                    }
                }
            }
        }
        best.map(|(_, _, c)| c)
    }
}
