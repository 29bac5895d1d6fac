//! The dense index: string ids → `u32` indices, dates → slot integers,
//! wishes as flat arrays. Built once from a validated edition, in time
//! linear in the input (plus the sorts by id that make it order-free).
//!
//! Slots are numbered `t = 2k + h`: `k` is the position of the date among
//! the edition's working days, `h` is 0 for the morning, 1 for the
//! afternoon.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;

use crate::calendar::Calendar;
use crate::matcher::feasibility::Visit;
use crate::{Confidentiality, Duration, Edition, HalfDay, Part, Target};

/// "No such index".
pub(crate) const NONE: u32 = u32::MAX;

/// In [`WishIx::host`]: a wish for a host who offers no host slot.
pub(crate) const NO_SLOTS: u32 = u32::MAX - 1;

/// A small, fast, non-cryptographic hasher for id lookups while the index
/// is built (ids come from the organiser, not from an adversary over a
/// network; nothing iterates these maps, so no output depends on it).
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type IdMap<'a> = HashMap<&'a str, u32, BuildHasherDefault<IdHasher>>;

/// A wish in dense form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WishIx {
    /// The wished service (the host's service for a host wish).
    pub service: u32,
    /// The wished host, [`NONE`] for a service wish, or [`NO_SLOTS`] for a
    /// host who offers nothing.
    pub host: u32,
    /// The rank (1 = first choice).
    pub rank: u32,
    /// A full-day visit is asked for.
    pub full: bool,
    /// Position of the wish in `Edition::wishes`.
    pub src: u32,
    /// This entry is the half-day fallback of the full-day wish just
    /// before it (same `src`, rank, service and host; `full` false): the
    /// policy's `half_day_fallback` lets the wish be served by a half day.
    pub fallback: bool,
}

/// A fixed-width bitset per row (one row per agent).
#[derive(Clone, Debug, Default)]
pub(crate) struct BitRows {
    words: usize,
    bits: Vec<u64>,
}

impl BitRows {
    pub(crate) fn new(rows: usize, width: usize) -> Self {
        let words = width.div_ceil(64).max(1);
        BitRows {
            words,
            bits: vec![0; rows * words],
        }
    }
    #[inline]
    pub(crate) fn get(&self, row: u32, bit: u32) -> bool {
        let i = row as usize * self.words + (bit as usize >> 6);
        self.bits.get(i).is_some_and(|w| w >> (bit & 63) & 1 == 1)
    }
    /// Words per row.
    #[inline]
    pub(crate) fn words(&self) -> usize {
        self.words
    }
    /// Word `w` of row `row` (0 past the end).
    #[inline]
    pub(crate) fn word(&self, row: u32, w: usize) -> u64 {
        self.bits
            .get(row as usize * self.words + w)
            .copied()
            .unwrap_or(0)
    }
    #[inline]
    pub(crate) fn set(&mut self, row: u32, bit: u32, on: bool) {
        let i = row as usize * self.words + (bit as usize >> 6);
        if let Some(w) = self.bits.get_mut(i) {
            if on {
                *w |= 1 << (bit & 63);
            } else {
                *w &= !(1 << (bit & 63));
            }
        }
    }
}

/// The dense representation every strategy runs on.
#[derive(Clone, Debug)]
pub(crate) struct Index {
    /// Working days, ascending; day `k` holds slots `2k` and `2k+1`.
    pub days: Vec<NaiveDate>,
    /// Number of half-day slots (`2 * days.len()`).
    pub slots: u32,

    /// Agent `a` is `edition.agents[agent_src[a]]`; agents sorted by id.
    pub agent_src: Vec<u32>,
    /// Home service of each agent.
    pub agent_service: Vec<u32>,
    /// Signed the confidentiality agreement.
    pub agent_signed: Vec<bool>,
    /// Unavailable half-days, per agent.
    pub unavailable: BitRows,
    /// Services visited in earlier editions, per agent (sorted, deduplicated).
    pub visited_before: Vec<Vec<u32>>,

    /// Service `s` is `edition.services[service_src[s]]`; sorted by id.
    pub service_src: Vec<u32>,
    /// Continuity cap per service and slot, `s * slots + t`.
    pub continuity_cap: Vec<u32>,
    /// Visitors a service receives at once per slot (`u32::MAX`: no cap).
    pub max_visitors: Vec<u32>,
    /// Visitors must have signed (and the policy refuses unsigned ones).
    pub confidentiality_blocks: Vec<bool>,
    /// Visitors must have signed (whatever the policy).
    pub confidentiality_required: Vec<bool>,

    /// Host `h` is agent `host_agent[h]`; hosts are the agents with at least
    /// one host slot, sorted by agent id.
    pub host_agent: Vec<u32>,
    /// The host index of each agent, or [`NONE`].
    pub agent_host: Vec<u32>,
    /// Capacity offered per host and slot, `h * slots + t` (host slots on
    /// the same half-day add up; the host's own unavailability removes it).
    pub host_cap: Vec<u32>,
    /// Hosts of each service: `service_hosts[service_hosts_start[s]..[s+1]]`.
    pub service_hosts_start: Vec<u32>,
    /// See `service_hosts_start`.
    pub service_hosts: Vec<u32>,

    /// Visitors: agents who volunteer to visit, ascending agent index.
    pub visitors: Vec<u32>,
    /// Volunteers kept out by the participation cap, with their visits so
    /// far, ascending agent index.
    pub capped: Vec<(u32, u32)>,
    /// Priority class of each agent, 0 first (see [`crate::Policy::tiers`]):
    /// the policy's tiers, then, within each, those who asked to visit in
    /// the latest earlier edition and were not placed first; numbered
    /// densely over the visitors' classes.
    pub tier: Vec<u32>,
    /// Number of priority classes among the visitors (at least 1).
    pub tiers: u32,
    /// Wishes of agent `a`: `wishes[wish_start[a]..wish_start[a+1]]`, by
    /// rank; with the policy's `half_day_fallback`, each full-day wish is
    /// followed by its half-day fallback entry ([`WishIx::fallback`]).
    pub wish_start: Vec<u32>,
    /// See `wish_start`.
    pub wishes: Vec<WishIx>,

    /// Visits one agent may make.
    pub max_visits: u32,
    /// Whether a full-day visit is given to volunteers without wishes.
    pub default_full: bool,
}

impl Index {
    /// Builds the index. The edition must have passed validation; anything
    /// validation would have refused is skipped here rather than trusted.
    pub(crate) fn build(edition: &Edition, calendar: &Calendar) -> Index {
        let days = calendar.days().to_vec();
        let slots = (days.len() * 2) as u32;
        let nslots = slots as usize;
        let slot_of = |date: NaiveDate, half: HalfDay| -> Option<u32> {
            days.binary_search(&date)
                .ok()
                .map(|k| 2 * k as u32 + half.index())
        };

        // Services, sorted by id.
        let mut service_src: Vec<u32> = (0..edition.services.len() as u32).collect();
        service_src.sort_by(|&a, &b| {
            edition.services[a as usize]
                .id
                .cmp(&edition.services[b as usize].id)
        });
        let service_ix: IdMap<'_> = service_src
            .iter()
            .enumerate()
            .map(|(i, &src)| (edition.services[src as usize].id.as_str(), i as u32))
            .collect();
        let ns = service_src.len();
        let mut continuity_cap = vec![0u32; ns * nslots];
        let mut max_visitors = vec![u32::MAX; ns * nslots];
        let mut confidentiality_required = vec![false; ns];
        for (s, &src) in service_src.iter().enumerate() {
            let svc = &edition.services[src as usize];
            let row = s * nslots;
            continuity_cap[row..row + nslots].fill(svc.continuity_cap);
            if let Some(m) = svc.max_visitors {
                max_visitors[row..row + nslots].fill(m);
            }
            for o in &svc.cap_overrides {
                if let Some(t) = slot_of(o.slot.date, o.slot.half) {
                    continuity_cap[row + t as usize] = o.cap;
                }
            }
            confidentiality_required[s] = svc.confidentiality_required;
        }
        let refuse_unsigned = edition.policy.confidentiality == Confidentiality::Required;
        let confidentiality_blocks = confidentiality_required
            .iter()
            .map(|&r| r && refuse_unsigned)
            .collect();

        // Agents, sorted by id.
        let mut agent_src: Vec<u32> = (0..edition.agents.len() as u32).collect();
        agent_src.sort_by(|&a, &b| {
            edition.agents[a as usize]
                .id
                .cmp(&edition.agents[b as usize].id)
        });
        let agent_ix: IdMap<'_> = agent_src
            .iter()
            .enumerate()
            .map(|(i, &src)| (edition.agents[src as usize].id.as_str(), i as u32))
            .collect();
        let na = agent_src.len();
        let mut agent_service = vec![NONE; na];
        let mut agent_signed = vec![false; na];
        let mut unavailable = BitRows::new(na, nslots);
        let mut visited_before = vec![Vec::new(); na];
        let mut left_out_last_time = vec![false; na];
        for (a, &src) in agent_src.iter().enumerate() {
            let ag = &edition.agents[src as usize];
            let a32 = a as u32;
            agent_service[a] = service_ix.get(ag.service.as_str()).copied().unwrap_or(NONE);
            agent_signed[a] = ag.confidentiality_signed;
            for &date in &ag.unavailable_dates {
                for h in HalfDay::BOTH {
                    if let Some(t) = slot_of(date, h) {
                        unavailable.set(a32, t, true);
                    }
                }
            }
            for s in &ag.unavailable_slots {
                if let Some(t) = slot_of(s.date, s.half) {
                    unavailable.set(a32, t, true);
                }
            }
            let mut v: Vec<u32> = ag
                .history
                .iter()
                .filter_map(|p| p.visited.as_ref())
                .filter_map(|s| service_ix.get(s.as_str()).copied())
                .collect();
            v.sort_unstable();
            v.dedup();
            visited_before[a] = v;
            // The latest edition is the greatest name among the agent's
            // visitor entries (editions named so that they sort by date).
            let latest = ag
                .history
                .iter()
                .filter(|p| p.role == crate::Role::Visitor)
                .max_by(|x, y| x.edition.cmp(&y.edition));
            left_out_last_time[a] = latest.is_some_and(|p| p.visited.is_none());
        }

        // Hosts: agents with host slots, by agent index.
        let mut agent_host = vec![NONE; na];
        for hs in &edition.host_slots {
            if let Some(&a) = agent_ix.get(hs.host.as_str()) {
                agent_host[a as usize] = 0;
            }
        }
        let mut host_agent = Vec::new();
        for (a, h) in agent_host.iter_mut().enumerate() {
            if *h != NONE && agent_service[a] != NONE {
                *h = host_agent.len() as u32;
                host_agent.push(a as u32);
            } else {
                *h = NONE;
            }
        }
        let mut host_cap = vec![0u32; host_agent.len() * nslots];
        for hs in &edition.host_slots {
            let Some(&a) = agent_ix.get(hs.host.as_str()) else {
                continue;
            };
            let h = agent_host[a as usize];
            if h == NONE {
                continue;
            }
            for &half in hs.part.halves() {
                if let Some(t) = slot_of(hs.date, half) {
                    if !unavailable.get(a, t) {
                        let c = &mut host_cap[h as usize * nslots + t as usize];
                        *c = c.saturating_add(hs.capacity);
                    }
                }
            }
        }
        let mut service_hosts_start = vec![0u32; ns + 1];
        for &a in &host_agent {
            service_hosts_start[agent_service[a as usize] as usize + 1] += 1;
        }
        for s in 0..ns {
            service_hosts_start[s + 1] += service_hosts_start[s];
        }
        let mut fill = service_hosts_start.clone();
        let mut service_hosts = vec![0u32; host_agent.len()];
        for (h, &a) in host_agent.iter().enumerate() {
            let s = agent_service[a as usize] as usize;
            service_hosts[fill[s] as usize] = h as u32;
            fill[s] += 1;
        }

        // Wishes, grouped by agent, sorted by rank.
        let mut per_agent: Vec<Vec<WishIx>> = vec![Vec::new(); na];
        for (i, w) in edition.wishes.iter().enumerate() {
            let Some(&v) = agent_ix.get(w.visitor.as_str()) else {
                continue;
            };
            let (service, host) = match &w.target {
                Target::Service(s) => match service_ix.get(s.as_str()) {
                    Some(&s) => (s, NONE),
                    None => continue,
                },
                Target::Host(h) => match agent_ix.get(h.as_str()) {
                    Some(&a) if agent_service[a as usize] != NONE => {
                        let h = agent_host[a as usize];
                        (
                            agent_service[a as usize],
                            if h == NONE { NO_SLOTS } else { h },
                        )
                    }
                    _ => continue,
                },
            };
            per_agent[v as usize].push(WishIx {
                service,
                host,
                rank: w.rank,
                full: w.duration == Duration::FullDay,
                src: i as u32,
                fallback: false,
            });
        }
        let mut wish_start = Vec::with_capacity(na + 1);
        let mut wishes = Vec::with_capacity(edition.wishes.len());
        wish_start.push(0);
        let fallback = edition.policy.half_day_fallback;
        for mut w in per_agent {
            w.sort_by_key(|x| (x.rank, x.service, x.host));
            for x in w {
                wishes.push(x);
                // The half-day fallback right after its full day: every
                // strategy tries wishes in this order, so a full day is
                // always tried before the half day of the same wish, and
                // both before the next rank.
                if fallback && x.full {
                    wishes.push(WishIx {
                        full: false,
                        fallback: true,
                        ..x
                    });
                }
            }
            wish_start.push(wishes.len() as u32);
        }

        // Volunteers, less those whose history reached the participation cap.
        let cap = edition.policy.max_participations.unwrap_or(u32::MAX);
        let mut visitors = Vec::new();
        let mut capped = Vec::new();
        for (a, &src) in agent_src.iter().enumerate() {
            let ag = &edition.agents[src as usize];
            if !ag.visits || agent_service[a] == NONE {
                continue;
            }
            let done = ag.history.iter().filter(|p| p.visited.is_some()).count();
            let done = u32::try_from(done).unwrap_or(u32::MAX);
            if done < cap {
                visitors.push(a as u32);
            } else {
                capped.push((a as u32, done));
            }
        }

        let (tier, tiers) = priority_classes(edition, &agent_ix, &left_out_last_time, &visitors);

        Index {
            days,
            slots,
            agent_src,
            agent_service,
            agent_signed,
            unavailable,
            visited_before,
            service_src,
            continuity_cap,
            max_visitors,
            confidentiality_blocks,
            confidentiality_required,
            host_agent,
            agent_host,
            host_cap,
            service_hosts_start,
            service_hosts,
            visitors,
            capped,
            tier,
            tiers,
            wish_start,
            wishes,
            max_visits: edition.policy.max_visits_per_agent,
            default_full: edition.policy.default_duration == Duration::FullDay,
        }
    }

    /// What `visits` (which fit this index together) leave for the others:
    /// the same index without their visitors, capacities, continuity caps
    /// and service maxima reduced by what they use, hosts who visit closed
    /// while they are away, and agents who host unavailable to visit then.
    /// Any plan of the residual index, with `visits` added, is a plan of
    /// this one.
    pub(crate) fn residual<'v>(&self, visits: impl IntoIterator<Item = &'v Visit>) -> Index {
        let mut r = self.clone();
        let slots = self.slots as usize;
        let mut gone = vec![false; self.agent_src.len()];
        for x in visits {
            gone[x.visitor as usize] = true;
            let o = self.agent_service[x.visitor as usize] as usize;
            let host_agent = self.host_agent[x.host as usize];
            let d = self.agent_service[host_agent as usize] as usize;
            let own_host = self.agent_host[x.visitor as usize];
            for t in Self::covered(x.day, x.part) {
                let t = t as usize;
                let dec = |c: &mut u32| *c = c.saturating_sub(1);
                dec(&mut r.continuity_cap[o * slots + t]);
                if r.max_visitors[d * slots + t] != u32::MAX {
                    dec(&mut r.max_visitors[d * slots + t]);
                }
                dec(&mut r.host_cap[x.host as usize * slots + t]);
                if own_host != NONE {
                    r.host_cap[own_host as usize * slots + t] = 0;
                }
                r.unavailable.set(host_agent, t as u32, true);
            }
        }
        r.visitors.retain(|&v| !gone[v as usize]);
        r
    }

    /// The entries of `wishes` that stand for the same wish as entry `i`
    /// (a full-day wish and its half-day fallback), as a range.
    pub(crate) fn same_wish(&self, i: u32) -> std::ops::Range<usize> {
        let i = i as usize;
        let Some(w) = self.wishes.get(i) else {
            return i..i;
        };
        if w.fallback {
            i.saturating_sub(1)..i + 1
        } else if self.wishes.get(i + 1).is_some_and(|n| n.fallback) {
            i..i + 2
        } else {
            i..i + 1
        }
    }

    /// The wishes of agent `a`, by rank (a full-day wish followed by its
    /// half-day fallback where the policy allows one).
    pub(crate) fn wishes_of(&self, a: u32) -> &[WishIx] {
        let lo = self.wish_start[a as usize] as usize;
        let hi = self.wish_start[a as usize + 1] as usize;
        &self.wishes[lo..hi]
    }

    /// The rank of wish `w` (an index into `wishes`); `None` for `NONE`
    /// (a visit placed off the wishes, for a volunteer without any).
    pub(crate) fn wish_rank(&self, w: u32) -> Option<u32> {
        self.wishes.get(w as usize).map(|x| x.rank)
    }

    /// The hosts of service `s`.
    pub(crate) fn hosts_of(&self, s: u32) -> &[u32] {
        let lo = self.service_hosts_start[s as usize] as usize;
        let hi = self.service_hosts_start[s as usize + 1] as usize;
        &self.service_hosts[lo..hi]
    }

    /// Number of working days (the tests try every day).
    #[cfg(test)]
    pub(crate) fn n_days(&self) -> u32 {
        self.days.len() as u32
    }

    /// Capacity offered by host `h` at slot `t`.
    #[inline]
    pub(crate) fn host_capacity(&self, h: u32, t: u32) -> u32 {
        self.host_cap[h as usize * self.slots as usize + t as usize]
    }

    /// The slots a visit on day `k` covering `part` uses.
    #[inline]
    pub(crate) fn covered(k: u32, part: Part) -> std::ops::Range<u32> {
        match part {
            Part::Morning => 2 * k..2 * k + 1,
            Part::Afternoon => 2 * k + 1..2 * k + 2,
            Part::FullDay => 2 * k..2 * k + 2,
        }
    }
}

/// Each agent's priority class (see [`Index::tier`]) and the number of
/// classes among `visitors`. The key of an agent is (its position in the
/// policy's tiers, or after them if unlisted; 0 if left out last time, else
/// 1); the visitors' distinct keys are numbered in order from 0.
fn priority_classes(
    edition: &Edition,
    agent_ix: &IdMap<'_>,
    left_out_last_time: &[bool],
    visitors: &[u32],
) -> (Vec<u32>, u32) {
    let listed = edition.policy.tiers.len() as u64;
    let mut key: Vec<u64> = vec![listed; left_out_last_time.len()];
    // The first tier naming an agent counts (validation refuses several).
    for (t, ids) in edition.policy.tiers.iter().enumerate().rev() {
        for id in ids {
            if let Some(&a) = agent_ix.get(id.as_str()) {
                key[a as usize] = t as u64;
            }
        }
    }
    for (a, k) in key.iter_mut().enumerate() {
        *k = 2 * *k + u64::from(!left_out_last_time[a]);
    }
    let mut used: Vec<u64> = visitors.iter().map(|&v| key[v as usize]).collect();
    used.sort_unstable();
    used.dedup();
    let tier = key
        .iter()
        .map(|k| used.partition_point(|u| u < k) as u32)
        .collect();
    (tier, (used.len() as u32).max(1))
}
