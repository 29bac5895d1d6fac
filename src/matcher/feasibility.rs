//! The feasibility core every strategy shares: can visitor `v` go to host
//! `h` on day `k` for `part`, given the plan so far?
//!
//! It keeps per-(service, slot) counters of agents away and visitors
//! received, per-(host, slot) used capacity, and per-agent occupancy
//! bitsets, so that a check costs O(1) (at most two half-days) and placing
//! or removing a visit costs O(1) too.

use crate::Part;
use crate::index::{BitRows, Index, NONE};

/// What stops a visit. Static blocks never change during a run; the others
/// depend on the visits placed so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u16)]
pub(crate) enum Block {
    /// Visitor and host are the same agent (static).
    SameAgent = 1,
    /// The host is in the visitor's own service (static).
    OwnService = 1 << 1,
    /// The service requires a signed agreement the visitor lacks (static).
    Confidentiality = 1 << 2,
    /// The visitor visited this service in an earlier edition (static).
    History = 1 << 3,
    /// The host offers no capacity on a covered half-day (static).
    NotOffered = 1 << 4,
    /// The visitor is unavailable on a covered half-day (static).
    VisitorUnavailable = 1 << 5,
    /// The visitor has used all their visits.
    VisitLimit = 1 << 6,
    /// The visitor is already visiting or hosting on a covered half-day.
    VisitorBusy = 1 << 7,
    /// The host is away visiting on a covered half-day.
    HostAway = 1 << 8,
    /// The host's capacity is used up on a covered half-day.
    HostFull = 1 << 9,
    /// The service receives its maximum of visitors on a covered half-day.
    ServiceFull = 1 << 10,
    /// The visitor's own service has its continuity cap reached.
    ContinuityFull = 1 << 11,
}

/// A set of [`Block`]s.
pub(crate) type Blocks = u16;

/// The blocks that never change during a run.
pub(crate) const STATIC_BLOCKS: Blocks = Block::SameAgent as u16
    | Block::OwnService as u16
    | Block::Confidentiality as u16
    | Block::History as u16
    | Block::NotOffered as u16
    | Block::VisitorUnavailable as u16;

/// Rows of bits, bit `(r, t)` set where `open(r, t)`.
fn open_rows(rows: usize, slots: usize, open: impl Fn(usize, usize) -> bool) -> BitRows {
    let mut b = BitRows::new(rows, slots);
    for r in 0..rows {
        for t in 0..slots {
            if open(r, t) {
                b.set(r as u32, t as u32, true);
            }
        }
    }
    b
}

/// Even bits: the mornings, where full-day visits start.
const EVEN: u64 = 0x5555_5555_5555_5555;

/// Candidate visits of one visitor at one host, 64 half-days at a time,
/// by what stops them (see [`Plan::masks`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Masks {
    /// The host offers the visit's half-days.
    pub offered: u64,
    /// Offered, and the visitor is available for it.
    pub free: u64,
    /// Stopped by the host's capacity or the service's maximum.
    pub capacity: u64,
    /// Stopped by the visitor's own service's continuity cap.
    pub continuity: u64,
    /// Stopped by an overlap: visitor busy, or host away visiting.
    pub overlap: u64,
    /// Per half-day (not folded): the host or service is full.
    pub capacity_half: u64,
    /// Per half-day (not folded): the own service's continuity cap is reached.
    pub continuity_half: u64,
}

/// The visit that starts at half-day `t` (a bit of [`Masks`]): its
/// working day and part.
#[inline]
pub(crate) fn visit_at(t: u32, full: bool) -> (u32, Part) {
    let part = if full {
        Part::FullDay
    } else if t % 2 == 0 {
        Part::Morning
    } else {
        Part::Afternoon
    };
    (t / 2, part)
}

/// From per-half-day bits to per-visit bits: a full-day visit (starting at
/// an even bit) is stopped if either of its halves is.
#[inline]
pub(crate) fn fold(x: u64, full: bool) -> u64 {
    if full { (x | x >> 1) & EVEN } else { x }
}

/// The (day, part) of the visit that bit `bit` of word `word` of a mask
/// stands for.
pub(crate) fn position(word: usize, bit: u32, full: bool) -> (u32, Part) {
    visit_at((word * 64) as u32 + bit, full)
}

impl Masks {
    /// The candidates nothing stops.
    pub(crate) fn fitting(&self) -> u64 {
        self.free & !(self.capacity | self.continuity | self.overlap)
    }
}

/// One placed visit, in dense form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Visit {
    /// Visitor agent.
    pub visitor: u32,
    /// Host index.
    pub host: u32,
    /// Working-day index.
    pub day: u32,
    /// Half or full day.
    pub part: Part,
    /// The wish satisfied (index into `Index::wishes`), or [`NONE`].
    pub wish: u32,
}

/// The plan so far and its counters.
#[derive(Clone, Debug)]
pub(crate) struct Plan<'a> {
    pub ix: &'a Index,
    away: Vec<u32>,
    received: Vec<u32>,
    host_used: Vec<u32>,
    visiting: BitRows,
    /// Visiting or hosting, per agent and slot.
    busy: BitRows,
    /// Host offers capacity, per host and slot (never changes).
    host_offer: BitRows,
    /// Host has capacity left, per host and slot.
    host_open: BitRows,
    /// Service receives fewer than its maximum, per service and slot.
    service_open: BitRows,
    /// Service has continuity capacity left, per service and slot.
    away_open: BitRows,
    visit_count: Vec<u32>,
    /// Every visit ever placed, by id; removed ones are marked dead.
    visits: Vec<Visit>,
    alive: Vec<bool>,
    /// Ids of the live visits hosted by host `h` at slot `t` (`h * T + t`).
    at_host: Vec<Vec<u32>>,
    /// Ids of the live visits whose visitor is from service `s` and away at
    /// slot `t` (`s * T + t`).
    at_origin: Vec<Vec<u32>>,
    /// Ids of the live visits of each agent.
    of_visitor: Vec<Vec<u32>>,
    /// For a reciprocal leg, the id of the other leg (else `NONE`).
    partner: Vec<u32>,
}

impl<'a> Plan<'a> {
    /// An empty plan.
    pub(crate) fn new(ix: &'a Index) -> Self {
        let t = ix.slots as usize;
        let na = ix.agent_src.len();
        Plan {
            ix,
            away: vec![0; ix.service_src.len() * t],
            received: vec![0; ix.service_src.len() * t],
            host_used: vec![0; ix.host_agent.len() * t],
            visiting: BitRows::new(na, t),
            busy: BitRows::new(na, t),
            host_offer: open_rows(ix.host_agent.len(), t, |r, s| ix.host_cap[r * t + s] > 0),
            host_open: open_rows(ix.host_agent.len(), t, |r, s| ix.host_cap[r * t + s] > 0),
            service_open: open_rows(ix.service_src.len(), t, |r, s| {
                ix.max_visitors[r * t + s] > 0
            }),
            away_open: open_rows(ix.service_src.len(), t, |r, s| {
                ix.continuity_cap[r * t + s] > 0
            }),
            visit_count: vec![0; na],
            visits: Vec::new(),
            alive: Vec::new(),
            at_host: vec![Vec::new(); ix.host_agent.len() * t],
            at_origin: vec![Vec::new(); ix.service_src.len() * t],
            of_visitor: vec![Vec::new(); na],
            partner: Vec::new(),
        }
    }

    /// A plan holding `visits` (which fit together), placed in that order.
    pub(crate) fn of(ix: &'a Index, visits: &[Visit]) -> Self {
        let mut plan = Plan::new(ix);
        for &v in visits {
            plan.place(v);
        }
        plan
    }

    /// The live visits, in placement order.
    pub(crate) fn visits(&self) -> impl Iterator<Item = &Visit> {
        self.visits
            .iter()
            .zip(&self.alive)
            .filter(|(_, a)| **a)
            .map(|(v, _)| v)
    }

    /// The live visits with their ids, in placement order.
    pub(crate) fn live(&self) -> impl Iterator<Item = (u32, &Visit)> {
        self.visits
            .iter()
            .zip(&self.alive)
            .enumerate()
            .filter(|(_, (_, a))| **a)
            .map(|(i, (v, _))| (i as u32, v))
    }

    /// Marks visits `x` and `y` as the two legs of a reciprocal exchange:
    /// repairs never move them.
    pub(crate) fn link_legs(&mut self, x: u32, y: u32) {
        let n = self.visits.len();
        if self.partner.len() < n {
            self.partner.resize(n, NONE);
        }
        if let (Some(_), Some(_)) = (self.visits.get(x as usize), self.visits.get(y as usize)) {
            self.partner[x as usize] = y;
            self.partner[y as usize] = x;
        }
    }

    /// The other leg of visit `id`, if it is a reciprocal leg.
    pub(crate) fn partner_of(&self, id: u32) -> Option<u32> {
        self.partner
            .get(id as usize)
            .copied()
            .filter(|&p| p != NONE)
    }

    /// The visit with id `id` (live or not).
    pub(crate) fn visit(&self, id: u32) -> Visit {
        self.visits[id as usize]
    }

    /// Ids of the live visits of visitor `v`.
    pub(crate) fn visit_ids_of(&self, v: u32) -> &[u32] {
        &self.of_visitor[v as usize]
    }

    /// Ids of the live visits hosted by `h` at `t`.
    pub(crate) fn hosted_at(&self, h: u32, t: u32) -> &[u32] {
        &self.at_host[h as usize * self.ix.slots as usize + t as usize]
    }

    /// Ids of the live visits of agents of service `s` away at `t`.
    pub(crate) fn away_at(&self, s: u32, t: u32) -> &[u32] {
        &self.at_origin[self.st(s, t)]
    }

    /// Visits made by agent `a`.
    pub(crate) fn visit_count(&self, a: u32) -> u32 {
        self.visit_count[a as usize]
    }

    #[inline]
    fn st(&self, s: u32, t: u32) -> usize {
        s as usize * self.ix.slots as usize + t as usize
    }

    /// Agents of service `s` away at slot `t`.
    pub(crate) fn away(&self, s: u32, t: u32) -> u32 {
        self.away[self.st(s, t)]
    }

    /// Visitors received by service `s` at slot `t`.
    pub(crate) fn received(&self, s: u32, t: u32) -> u32 {
        self.received[self.st(s, t)]
    }

    /// Capacity of host `h` used at slot `t`.
    pub(crate) fn host_used(&self, h: u32, t: u32) -> u32 {
        self.host_used[h as usize * self.ix.slots as usize + t as usize]
    }

    /// Remaining continuity capacity of service `s` at `t`.
    #[inline]
    pub(crate) fn away_room(&self, s: u32, t: u32) -> u32 {
        let i = self.st(s, t);
        self.ix.continuity_cap[i].saturating_sub(self.away[i])
    }

    /// Remaining capacity of host `h` at `t` (its own and its service's).
    #[inline]
    pub(crate) fn host_room(&self, h: u32, t: u32) -> u32 {
        let ix = self.ix;
        let own = ix.host_capacity(h, t).saturating_sub(self.host_used(h, t));
        let s = ix.agent_service[ix.host_agent[h as usize] as usize];
        let i = self.st(s, t);
        own.min(ix.max_visitors[i].saturating_sub(self.received[i]))
    }

    /// Whether agent `a` hosts someone at `t`.
    fn is_hosting(&self, a: u32, t: u32) -> bool {
        let h = self.ix.agent_host[a as usize];
        h != NONE && self.host_used(h, t) > 0
    }

    /// The blocks of `v` visiting host `h` that do not depend on the date.
    pub(crate) fn pair_blocks(&self, v: u32, h: u32) -> Blocks {
        self.blocks(v, h, NONE, Part::Morning, true)
    }

    /// The candidate masks of visitor `v` at host `h` for word `w` of the
    /// half-days (64 half-days a word): bit `t` stands for the visit
    /// starting at half-day `t` (every bit for half-day visits; even bits
    /// only, `t = 2k`, for full-day visits, which are blocked when either
    /// half is). Date-independent blocks ([`Plan::pair_blocks`]) are not
    /// included: callers check them first.
    pub(crate) fn masks(&self, v: u32, h: u32, w: usize, full: bool) -> Masks {
        let ix = self.ix;
        let host_agent = ix.host_agent[h as usize];
        let vs = ix.agent_service[v as usize];
        let hs = ix.agent_service[host_agent as usize];
        // Per half-day: which condition stops a visit covering it.
        let not_offered = !self.host_offer.word(h, w);
        let unavailable = ix.unavailable.word(v, w);
        let capacity = !(self.host_open.word(h, w) & self.service_open.word(hs, w));
        let continuity = !self.away_open.word(vs, w);
        let overlap = self.busy.word(v, w) | self.visiting.word(host_agent, w);
        let fold = |x: u64| fold(x, full);
        let starts = if full { EVEN } else { u64::MAX };
        let tail = (ix.slots as usize).saturating_sub(w * 64);
        let in_range = if tail >= 64 {
            u64::MAX
        } else {
            (1u64 << tail) - 1
        };
        let offered = !fold(not_offered) & starts & in_range;
        Masks {
            offered,
            free: offered & !fold(unavailable),
            capacity: fold(capacity),
            continuity: fold(continuity),
            overlap: fold(overlap),
            capacity_half: capacity,
            continuity_half: continuity,
        }
    }

    /// Every (day, part) at which `v` can visit host `h` now, for a visit
    /// of the given length, in date order (morning before afternoon):
    /// exactly the options for which [`Plan::blocks`] finds nothing.
    pub(crate) fn fitting(&self, v: u32, h: u32, full: bool, out: &mut Vec<(u32, Part)>) {
        out.clear();
        if self.pair_blocks(v, h) != 0 {
            return;
        }
        for w in 0..self.busy.words() {
            let mut m = self.masks(v, h, w, full).fitting();
            while m != 0 {
                out.push(position(w, m.trailing_zeros(), full));
                m &= m - 1;
            }
        }
    }

    /// Words of half-days in a row of masks.
    pub(crate) fn words(&self) -> usize {
        self.busy.words()
    }

    /// The blocks of visit (`v`, `h`, `k`, `part`); with `first`, stops at
    /// the first block found (cheap static ones first). Zero means the
    /// visit fits.
    pub(crate) fn blocks(&self, v: u32, h: u32, k: u32, part: Part, first: bool) -> Blocks {
        let ix = self.ix;
        let host_agent = ix.host_agent[h as usize];
        let vs = ix.agent_service[v as usize];
        let hs = ix.agent_service[host_agent as usize];
        let mut b: Blocks = 0;
        macro_rules! block {
            ($cond:expr, $kind:expr) => {
                if $cond {
                    b |= $kind as u16;
                    if first {
                        return b;
                    }
                }
            };
        }
        block!(v == host_agent, Block::SameAgent);
        block!(vs == hs, Block::OwnService);
        block!(
            ix.confidentiality_blocks[hs as usize] && !ix.agent_signed[v as usize],
            Block::Confidentiality
        );
        block!(
            ix.visited_before[v as usize].binary_search(&hs).is_ok(),
            Block::History
        );
        block!(
            self.visit_count[v as usize] >= ix.max_visits,
            Block::VisitLimit
        );
        if k == NONE {
            return b;
        }
        for t in Index::covered(k, part) {
            block!(ix.host_capacity(h, t) == 0, Block::NotOffered);
            block!(ix.unavailable.get(v, t), Block::VisitorUnavailable);
            block!(
                self.visiting.get(v, t) || self.is_hosting(v, t),
                Block::VisitorBusy
            );
            block!(self.visiting.get(host_agent, t), Block::HostAway);
            block!(
                self.host_used(h, t) >= ix.host_capacity(h, t),
                Block::HostFull
            );
            let i = self.st(hs, t);
            block!(self.received[i] >= ix.max_visitors[i], Block::ServiceFull);
            let j = self.st(vs, t);
            block!(self.away[j] >= ix.continuity_cap[j], Block::ContinuityFull);
        }
        b
    }

    /// Whether the visit fits the plan.
    #[inline]
    pub(crate) fn fits(&self, v: u32, h: u32, k: u32, part: Part) -> bool {
        self.blocks(v, h, k, part, true) == 0
    }

    /// Places a visit (the caller checked that it fits) and returns its id.
    pub(crate) fn place(&mut self, visit: Visit) -> u32 {
        debug_assert!(self.fits(visit.visitor, visit.host, visit.day, visit.part));
        let id = self.visits.len() as u32;
        self.visits.push(visit);
        self.alive.push(true);
        self.apply(visit, true);
        self.link(id, visit, true);
        id
    }

    /// One past the largest visit id given so far (ids are never reused).
    pub(crate) fn id_bound(&self) -> u32 {
        self.visits.len() as u32
    }

    /// Forgets the visits with ids `bound` and above, all removed, so
    /// that their ids are given again.
    pub(crate) fn truncate(&mut self, bound: u32) {
        let b = bound as usize;
        debug_assert!(self.alive.iter().skip(b).all(|a| !a));
        self.visits.truncate(b);
        self.alive.truncate(b);
        self.partner.truncate(b);
    }

    /// Puts the removed visit `id` back under the same id (the caller
    /// checked that it fits).
    pub(crate) fn revive(&mut self, id: u32) {
        let visit = self.visits[id as usize];
        debug_assert!(!self.alive[id as usize]);
        debug_assert!(self.fits(visit.visitor, visit.host, visit.day, visit.part));
        self.alive[id as usize] = true;
        self.apply(visit, true);
        self.link(id, visit, true);
    }

    /// Removes the live visit `id`.
    pub(crate) fn remove(&mut self, id: u32) -> Visit {
        let visit = self.visits[id as usize];
        debug_assert!(self.alive[id as usize]);
        self.alive[id as usize] = false;
        self.apply(visit, false);
        self.link(id, visit, false);
        visit
    }

    /// Removes the visit `id`, which must be the last one placed, and
    /// forgets it (its id will be given again): for searches that place and
    /// undo many visits.
    pub(crate) fn undo_last(&mut self, id: u32) {
        debug_assert_eq!(id as usize + 1, self.visits.len());
        self.remove(id);
        if id as usize + 1 == self.visits.len() {
            self.visits.pop();
            self.alive.pop();
        }
    }

    fn link(&mut self, id: u32, visit: Visit, add: bool) {
        let vs = self.ix.agent_service[visit.visitor as usize];
        let mine = &mut self.of_visitor[visit.visitor as usize];
        if add {
            mine.push(id);
        } else {
            mine.retain(|&x| x != id);
        }
        for t in Index::covered(visit.day, visit.part) {
            let hi = visit.host as usize * self.ix.slots as usize + t as usize;
            let oi = self.st(vs, t);
            for list in [&mut self.at_host[hi], &mut self.at_origin[oi]] {
                if add {
                    list.push(id);
                } else {
                    list.retain(|&x| x != id);
                }
            }
        }
    }

    fn apply(&mut self, visit: Visit, add: bool) {
        let ix = self.ix;
        let host_agent = ix.host_agent[visit.host as usize];
        let vs = ix.agent_service[visit.visitor as usize];
        let hs = ix.agent_service[host_agent as usize];
        let bump = |x: &mut u32| {
            *x = if add { *x + 1 } else { x.saturating_sub(1) };
        };
        for t in Index::covered(visit.day, visit.part) {
            let (i, j) = (self.st(vs, t), self.st(hs, t));
            bump(&mut self.away[i]);
            bump(&mut self.received[j]);
            let hi = visit.host as usize * ix.slots as usize + t as usize;
            bump(&mut self.host_used[hi]);
            self.visiting.set(visit.visitor, t, add);
            self.busy.set(visit.visitor, t, add);
            let hosting = self.host_used[hi] > 0;
            self.busy
                .set(host_agent, t, hosting || self.visiting.get(host_agent, t));
            self.host_open.set(
                visit.host,
                t,
                self.host_used[hi] < ix.host_capacity(visit.host, t),
            );
            self.service_open
                .set(hs, t, self.received[j] < ix.max_visitors[j]);
            self.away_open
                .set(vs, t, self.away[i] < ix.continuity_cap[i]);
        }
        bump(&mut self.visit_count[visit.visitor as usize]);
    }
}
