//! Stable assignment: visitor-proposing deferred acceptance with service
//! capacities and one priority order, on the host-only aggregate.
//!
//! # The market
//!
//! The mechanism runs on the **host-only aggregate** of the edition (slots
//! forgotten, continuity caps ignored), exactly as the peer harness's
//! `bench/stable.py` builds it for the `matching` package:
//!
//! - **Visitors** propose. A visitor's preference list is its wishes in
//!   rank order, keeping only the *usable* ones (one visit could fit the
//!   wish in an empty plan, the pruning of the aggregate relaxation and of
//!   `stable.py`). Wishes are services: a wish naming a host counts as a
//!   wish for that host's service. When several usable wishes of a visitor
//!   name the same service (a host and its service, two hosts of one
//!   service), only the best-ranked one is kept, and it is the wish the
//!   visitor is matched through (so a host wish keeps its host for the
//!   scheduling that follows). Volunteers without wishes state no
//!   preference and take no part; every visitor gets at most one visit.
//! - **Services** accept. The capacity of service `s` is
//!   `min(Σ_t min(Σ_{hosts h of s} host_cap[h][t], max_visitors[s][t]),
//!   number of visitors listing s)`. On the core instances (no
//!   `max_visitors`) this is `stable.py`'s `min(Σ_t host_cap[s][t],
//!   residents ranking s)`; the second term never changes the outcome (a
//!   service with at least as many seats as applicants rejects nobody) and
//!   is kept to match the peer exactly. Every service ranks the visitors who
//!   list it by **one** strict priority order over all visitors, given by
//!   the caller ([`lottery_priority`] draws one from a seed).
//!
//! # Stability
//!
//! A matching (each visitor in at most one listed service, no service over
//! its capacity) is **blocked** by a pair (visitor `v`, service `s`) when
//! `v` lists `s`, prefers `s` to what it got (or got nothing), and `s`
//! either has a free seat or holds a visitor of lower priority than `v`:
//! `v` would have a *justified envy*. A matching without blocking pair is
//! **stable**. Deferred acceptance ([`deferred_acceptance`]) returns the
//! **visitor-optimal** stable matching: every visitor weakly prefers it to
//! any other stable matching. It is unique, so it does not depend on the
//! order of proposals; the result depends only on the edition and the
//! priority. [`blocking_pairs`] checks any matching against the same market.
//!
//! Stability is promised **on the aggregate only**: who visits which
//! service. Visits are placed on half-days afterwards by the scheduling
//! code, under the host capacities per slot, the continuity caps and the
//! visitors' availability; a visitor whose stable assignment cannot be
//! scheduled there is reported as such rather than silently moved.

use std::collections::BinaryHeap;

use crate::Edition;
use crate::index::{Index, NONE};
use crate::matcher::aggregate::{Aggregate, AggregateAssignment, usable};
use crate::matcher::feasibility::Plan;
use crate::rng::{DrawRng, Stream};

/// The two-sided market of the mechanism, in dense form.
///
/// Visitors are numbered by their position in `Index::visitors` (id order).
#[derive(Clone, Debug)]
pub(crate) struct Market {
    /// Agent index of each visitor position.
    visitors: Vec<u32>,
    /// Visitor position of each agent, or [`NONE`].
    position: Vec<u32>,
    /// Preference lists: `prefs[pref_start[p]..pref_start[p + 1]]`, best
    /// first, as `(wish index into Index::wishes, service)`.
    pref_start: Vec<u32>,
    /// See `pref_start`.
    prefs: Vec<(u32, u32)>,
    /// Capacity of each service.
    capacity: Vec<u32>,
    /// Priority rank of each visitor position (0 = highest priority).
    rank: Vec<u32>,
}

impl Market {
    /// Builds the market of `ix` under `priority` (see
    /// [`deferred_acceptance`] for how `priority` is read).
    ///
    /// # Complexity
    ///
    /// O(A + W·H·T/64 + (S + hosts)·T) for A agents, W wishes, H hosts per
    /// wish, S services and T half-days: building the empty plan and
    /// testing each wish's usability dominate.
    pub(crate) fn new(ix: &Index, priority: &[u32]) -> Market {
        let na = ix.agent_src.len();
        let ns = ix.service_src.len();
        let nslots = ix.slots as usize;
        let visitors = ix.visitors.clone();
        let mut position = vec![NONE; na];
        for (p, &a) in visitors.iter().enumerate() {
            if let Some(x) = position.get_mut(a as usize) {
                *x = p as u32;
            }
        }

        // Preference lists: usable wishes, one per service, best first.
        let empty = Plan::new(ix);
        let mut pref_start = Vec::with_capacity(visitors.len() + 1);
        let mut prefs: Vec<(u32, u32)> = Vec::new();
        let mut demand = vec![0u32; ns];
        pref_start.push(0);
        for &v in &visitors {
            let first = prefs.len();
            let start = ix.wish_start[v as usize];
            for (i, w) in ix.wishes_of(v).iter().enumerate() {
                if (w.service as usize) >= ns
                    || prefs[first..].iter().any(|&(_, s)| s == w.service)
                    || !usable(&empty, v, w)
                {
                    continue;
                }
                prefs.push((start + i as u32, w.service));
                demand[w.service as usize] += 1;
            }
            pref_start.push(prefs.len() as u32);
        }

        // Capacities: offered seats per half-day, within the service's
        // maximum, summed over the edition; at most the demand.
        let mut offered = vec![0u64; ns * nslots];
        for (h, &a) in ix.host_agent.iter().enumerate() {
            let s = ix.agent_service[a as usize] as usize;
            if s >= ns {
                continue;
            }
            let row = &ix.host_cap[h * nslots..(h + 1) * nslots];
            for (o, &c) in offered[s * nslots..(s + 1) * nslots].iter_mut().zip(row) {
                *o += u64::from(c);
            }
        }
        let capacity = (0..ns)
            .map(|s| {
                let seats: u64 = (s * nslots..(s + 1) * nslots)
                    .map(|i| offered[i].min(u64::from(ix.max_visitors[i])))
                    .sum();
                seats.min(u64::from(demand[s])) as u32
            })
            .collect();

        // Priority ranks: the caller's order, then the rest by id.
        let mut rank = vec![NONE; visitors.len()];
        let mut next = 0u32;
        for &a in priority {
            if let Some(&p) = position.get(a as usize) {
                if p != NONE && rank[p as usize] == NONE {
                    rank[p as usize] = next;
                    next += 1;
                }
            }
        }
        for r in &mut rank {
            if *r == NONE {
                *r = next;
                next += 1;
            }
        }

        Market {
            visitors,
            position,
            pref_start,
            prefs,
            capacity,
            rank,
        }
    }

    /// The preference list of visitor position `p`.
    ///
    /// # Complexity
    ///
    /// O(1).
    fn prefs_of(&self, p: usize) -> &[(u32, u32)] {
        let lo = self.pref_start[p] as usize;
        let hi = self.pref_start[p + 1] as usize;
        &self.prefs[lo..hi]
    }

    /// Visitor-proposing deferred acceptance on the market; see
    /// [`deferred_acceptance`].
    ///
    /// # Complexity
    ///
    /// O(L · log C + S + V) for L preference entries, C the largest
    /// capacity, S services and V visitors: each entry is proposed to at
    /// most once, and each proposal costs one heap operation.
    pub(crate) fn deferred_acceptance(&self) -> Vec<(u32, u32)> {
        let nv = self.visitors.len();
        // Held proposers of each service: a max-heap on priority rank, the
        // lowest-priority held visitor on top.
        let mut held: Vec<BinaryHeap<(u32, u32)>> = vec![BinaryHeap::new(); self.capacity.len()];
        // Next preference position to propose to, per visitor position.
        let mut next = vec![0u32; nv];
        for start in 0..nv {
            let mut p = start;
            // `p` is free: it proposes down its list until held or exhausted;
            // a visitor it displaces becomes the free one.
            loop {
                let list = self.prefs_of(p);
                let Some(&(_, s)) = list.get(next[p] as usize) else {
                    break; // exhausted: unmatched
                };
                next[p] += 1;
                let cap = self.capacity[s as usize] as usize;
                let heap = &mut held[s as usize];
                let me = (self.rank[p], p as u32);
                if heap.len() < cap {
                    heap.push(me);
                    break;
                }
                match heap.peek() {
                    Some(&worst) if worst > me => {
                        heap.pop();
                        heap.push(me);
                        p = worst.1 as usize;
                    }
                    _ => {} // rejected: propose to the next service
                }
            }
        }
        let mut out: Vec<(u32, u32)> = held
            .iter()
            .flat_map(|heap| heap.iter())
            .filter_map(|&(_, p)| {
                let p = p as usize;
                let (wish, _) = self.prefs_of(p).get((next[p] as usize).checked_sub(1)?)?;
                Some((self.visitors[p], *wish))
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// The blocking pairs of `matching` in the market; see
    /// [`blocking_pairs`].
    ///
    /// # Complexity
    ///
    /// O(M + L + S + V) for M entries of the matching, L preference
    /// entries, S services and V visitors.
    pub(crate) fn blocking_pairs(&self, ix: &Index, matching: &[(u32, u32)]) -> Vec<(u32, u32)> {
        let nv = self.visitors.len();
        let ns = self.capacity.len();
        // Preference position of each visitor's assignment: its list length
        // when unmatched or matched outside its list.
        let mut got: Vec<u32> = (0..nv).map(|p| self.prefs_of(p).len() as u32).collect();
        let mut seen = vec![false; nv];
        let mut load = vec![0u32; ns];
        // Lowest priority (highest rank) held by each service.
        let mut worst = vec![0u32; ns];
        for &(v, wish) in matching {
            let Some(&p) = self.position.get(v as usize) else {
                continue;
            };
            if p == NONE || std::mem::replace(&mut seen[p as usize], true) {
                continue; // not a visitor, or a repeated entry
            }
            let p = p as usize;
            let own = ix.wish_start[v as usize]..ix.wish_start[v as usize + 1];
            let Some(w) = ix.wishes.get(wish as usize).filter(|_| own.contains(&wish)) else {
                continue; // not one of its wishes: counts as unmatched
            };
            if let Some(i) = self.prefs_of(p).iter().position(|&(_, s)| s == w.service) {
                got[p] = i as u32;
            }
            if let (Some(l), Some(x)) = (
                load.get_mut(w.service as usize),
                worst.get_mut(w.service as usize),
            ) {
                *l += 1;
                *x = (*x).max(self.rank[p]);
            }
        }
        let mut out = Vec::new();
        for (p, &g) in got.iter().enumerate() {
            let better = self.prefs_of(p).get(..g as usize).unwrap_or_default();
            for &(_, s) in better {
                let s = s as usize;
                if load[s] < self.capacity[s] || worst[s] > self.rank[p] {
                    out.push((self.visitors[p], s as u32));
                }
            }
        }
        out
    }
}

/// The visitor-optimal stable matching of the host-only aggregate (see the
/// module docs), as `(visitor, wish)` pairs sorted by visitor: dense agent
/// index and the index in `ix.wishes` of the visitor's best usable wish for
/// the service it is matched to. Visitors left out are absent.
///
/// `priority` lists visitors (dense agent indices) from the highest
/// priority down; visitors missing from it come after, in id order.
/// Entries that are not visitors, and repeats, are ignored.
///
/// # Complexity
///
/// O(L · log C) for L usable preference entries and C the largest
/// capacity, after building the market (see [`Market::new`]).
pub(crate) fn deferred_acceptance(ix: &Index, priority: &[u32]) -> Vec<(u32, u32)> {
    Market::new(ix, priority).deferred_acceptance()
}

/// Every blocking pair `(visitor, service)` of `matching` (pairs
/// `(visitor, wish index)` as [`deferred_acceptance`] returns them) under
/// the same preference lists, capacities and priority; empty means stable.
/// Pairs are sorted by visitor, then by the visitor's preference.
///
/// The matching is taken as given: a visitor matched through an entry that
/// is not one of its own wishes, or whose service it does not list, counts
/// as unmatched on its side (and still takes a seat of that service); a
/// visitor listed twice counts by its first entry; entries of agents who
/// are not visitors are ignored. Capacities are not checked here.
///
/// # Complexity
///
/// O(M + L + S + V) after building the market (see [`Market::new`]).
#[allow(dead_code)] // wired in by the stable strategy
pub(crate) fn blocking_pairs(
    ix: &Index,
    priority: &[u32],
    matching: &[(u32, u32)],
) -> Vec<(u32, u32)> {
    Market::new(ix, priority).blocking_pairs(ix, matching)
}

/// A seeded lottery priority: the crate's documented permutation
/// ([`crate::rng`], step 5) of the visitors in id order (`ix.visitors`),
/// drawn on [`Stream::Order`] of `seed` — the same order as the seeded
/// draw's. Highest priority first, as dense agent indices.
///
/// # Complexity
///
/// O(V) for V visitors.
pub(crate) fn lottery_priority(ix: &Index, seed: u64) -> Vec<u32> {
    let n = u32::try_from(ix.visitors.len()).unwrap_or(u32::MAX);
    DrawRng::new(seed, Stream::Order)
        .permutation(n)
        .into_iter()
        .filter_map(|p| ix.visitors.get(p as usize).copied())
        .collect()
}

/// The stable matching named: one [`AggregateAssignment`] per matched
/// visitor (sorted by visitor), `placed` the number matched and `rank_sum`
/// the sum of their wish ranks. Like the aggregate relaxation's optimum,
/// it says who visits which service, not when.
///
/// # Complexity
///
/// That of [`deferred_acceptance`], plus O(M) for M matched visitors.
pub(crate) fn solve_stable(edition: &Edition, ix: &Index, priority: &[u32]) -> Aggregate {
    let dense = deferred_acceptance(ix, priority);
    let agent = |a: u32| edition.agents[ix.agent_src[a as usize] as usize].id.clone();
    let mut rank_sum = 0u64;
    let assignments = dense
        .iter()
        .filter_map(|&(v, wi)| {
            let w = ix.wishes.get(wi as usize)?;
            rank_sum += u64::from(w.rank);
            Some(AggregateAssignment {
                visitor: agent(v),
                service: edition.services[ix.service_src[w.service as usize] as usize]
                    .id
                    .clone(),
                host: if w.host == NONE {
                    None
                } else {
                    ix.host_agent.get(w.host as usize).map(|&a| agent(a))
                },
                rank: Some(w.rank),
            })
        })
        .collect::<Vec<_>>();
    Aggregate {
        placed: assignments.len() as u32,
        rank_sum,
        assignments,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use chrono::{Days, NaiveDate};

    use super::*;
    use crate::core_format::CoreInstance;
    use crate::matcher::aggregate;
    use crate::matcher::test_rng::XorShift as Gen;
    use crate::{Agent, Duration, HostSlot, Instance, Part, Policy, Service, Strategy, Wish};

    fn monday() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 3).unwrap()
    }

    /// A random small edition: 2..=`max_services` services with 0..=2
    /// hosts each, up to `max_visitors` visitors with 1..=3 wishes (some
    /// naming a host, some for a host and its service), scarce seats so
    /// that visitors compete.
    fn random_edition(seed: u64, max_visitors: u64, max_services: u64) -> Edition {
        let mut g = Gen::new(seed);
        let ns = 2 + g.below(max_services - 1);
        let nd = 1 + g.below(2);
        let nv = 1 + g.below(max_visitors);
        let day = |k: u64| monday() + Days::new(k);
        let mut e = Edition::new(format!("stable-{seed}"), day(0), day(nd - 1))
            .policy(Policy::new(Strategy::Draw).seed(seed));
        let mut hosts: Vec<(String, u64)> = Vec::new();
        for s in 0..ns {
            let mut svc = Service::new(format!("s{s}"), format!("Service {s}"))
                .continuity_cap(1 + g.below(3) as u32);
            if g.chance(20) {
                svc = svc.max_visitors(1);
            }
            e.services.push(svc);
            for i in 0..g.below(3) {
                let id = format!("h{s}-{i}");
                e.agents
                    .push(Agent::new(id.clone(), id.clone(), format!("s{s}")).hosts(true));
                for k in 0..nd {
                    if g.chance(50) {
                        let part = match g.below(3) {
                            0 => Part::Morning,
                            1 => Part::Afternoon,
                            _ => Part::FullDay,
                        };
                        e.host_slots.push(
                            HostSlot::new(format!("{id}-{k}"), id.clone(), day(k), part)
                                .capacity(1 + u32::from(g.chance(20))),
                        );
                    }
                }
                hosts.push((id, s));
            }
        }
        for v in 0..nv {
            let id = format!("v{v}");
            let home = g.below(ns);
            let mut a = Agent::new(id.clone(), id.clone(), format!("s{home}")).visits(true);
            if nd > 1 && g.chance(20) {
                a = a.unavailable_date(day(g.below(nd)));
            }
            e.agents.push(a);
            let mut others: Vec<u64> = (0..ns).filter(|&s| s != home).collect();
            g.shuffle(&mut others);
            let full = if g.chance(25) {
                Duration::FullDay
            } else {
                Duration::HalfDay
            };
            let mut rank = 0;
            for &s in others.iter().take(1 + g.below(3) as usize) {
                let host = hosts
                    .iter()
                    .find(|(_, hs)| *hs == s)
                    .map(|(h, _)| h.clone());
                if let Some(h) = host.filter(|_| g.chance(30)) {
                    rank += 1;
                    e.wishes
                        .push(Wish::host(id.clone(), h, rank).duration(full));
                    if !g.chance(50) {
                        continue;
                    }
                }
                rank += 1;
                e.wishes
                    .push(Wish::service(id.clone(), format!("s{s}"), rank).duration(full));
            }
        }
        e
    }

    /// Random editions that pass validation, with a random priority that
    /// also holds junk (hosts, repeats) and misses some visitors.
    fn cases(n: u64, max_visitors: u64, max_services: u64) -> Vec<(Instance, Vec<u32>)> {
        let mut out = Vec::new();
        for seed in 0..n {
            let inst = match Instance::new(random_edition(seed, max_visitors, max_services)) {
                Ok(i) => i,
                Err(e) => panic!("seed {seed}: {e}"),
            };
            let ix = inst.index();
            let mut g = Gen::new(seed ^ 0xABCD);
            let mut priority: Vec<u32> = (0..ix.agent_src.len() as u32).collect();
            g.shuffle(&mut priority);
            priority.retain(|_| !g.chance(15));
            if let Some(&x) = priority.first() {
                priority.push(x);
            }
            out.push((inst, priority));
        }
        out
    }

    /// Positions `choice[p]` in each preference list (`len` = unmatched)
    /// as a matching.
    fn as_matching(m: &Market, choice: &[usize]) -> Vec<(u32, u32)> {
        choice
            .iter()
            .enumerate()
            .filter_map(|(p, &c)| Some((m.visitors[p], m.prefs_of(p).get(c)?.0)))
            .collect()
    }

    /// The preference positions of a matching (`len` = unmatched).
    fn choices(m: &Market, matching: &[(u32, u32)]) -> Vec<usize> {
        let mut c: Vec<usize> = (0..m.visitors.len()).map(|p| m.prefs_of(p).len()).collect();
        for &(v, w) in matching {
            let p = m.position[v as usize] as usize;
            c[p] = m.prefs_of(p).iter().position(|&(x, _)| x == w).unwrap();
        }
        c
    }

    /// Within capacity, straight from the definition.
    fn within_capacity(m: &Market, choice: &[usize]) -> bool {
        let mut load = vec![0u32; m.capacity.len()];
        for (p, &c) in choice.iter().enumerate() {
            if let Some(&(_, s)) = m.prefs_of(p).get(c) {
                load[s as usize] += 1;
            }
        }
        load.iter().zip(&m.capacity).all(|(l, c)| l <= c)
    }

    /// Stable, straight from the definition (quadratic).
    fn naive_stable(m: &Market, choice: &[usize]) -> bool {
        let holders = |s: u32| {
            (0..choice.len())
                .filter(move |&q| m.prefs_of(q).get(choice[q]).is_some_and(|&(_, x)| x == s))
        };
        (0..choice.len()).all(|p| {
            m.prefs_of(p)[..choice[p]].iter().all(|&(_, s)| {
                let load = holders(s).count();
                load >= m.capacity[s as usize] as usize && holders(s).all(|q| m.rank[q] < m.rank[p])
            })
        })
    }

    #[test]
    fn deferred_acceptance_leaves_no_blocking_pair() {
        let mut matched = 0;
        let mut rejected_somewhere = 0;
        let all = cases(600, 8, 4);
        for (seed, (inst, priority)) in all.iter().enumerate() {
            let ix = inst.index();
            let m = Market::new(ix, priority);
            let da = m.deferred_acceptance();
            let c = choices(&m, &da);
            assert!(within_capacity(&m, &c), "seed {seed}");
            assert!(m.blocking_pairs(ix, &da).is_empty(), "seed {seed}");
            assert!(naive_stable(&m, &c), "seed {seed}");
            assert_eq!(da, deferred_acceptance(ix, priority), "seed {seed}");
            assert!(blocking_pairs(ix, priority, &da).is_empty(), "seed {seed}");
            assert!(
                da.windows(2).all(|w| w[0].0 < w[1].0),
                "one entry per visitor"
            );
            for &(v, w) in &da {
                let wish = ix.wishes[w as usize];
                assert!(ix.wish_start[v as usize] <= w && w < ix.wish_start[v as usize + 1]);
                assert!(aggregate::usable(&Plan::new(ix), v, &wish), "seed {seed}");
            }
            matched += da.len();
            if c.iter()
                .enumerate()
                .any(|(p, &x)| x > 0 && !m.prefs_of(p).is_empty())
            {
                rejected_somewhere += 1;
            }
        }
        eprintln!("{matched} matched, {rejected_somewhere} contended cases");
        assert!(matched > 800, "{matched}");
        assert!(rejected_somewhere > 100, "{rejected_somewhere}");
    }

    /// Serial dictatorship in priority order: with one priority shared by
    /// every service, the unique stable matching.
    fn serial_dictatorship(m: &Market) -> Vec<usize> {
        let nv = m.visitors.len();
        let mut order: Vec<usize> = (0..nv).collect();
        order.sort_by_key(|&p| m.rank[p]);
        let mut left = m.capacity.clone();
        let mut choice: Vec<usize> = (0..nv).map(|p| m.prefs_of(p).len()).collect();
        for p in order {
            if let Some(i) = m
                .prefs_of(p)
                .iter()
                .position(|&(_, s)| left[s as usize] > 0)
            {
                left[m.prefs_of(p)[i].1 as usize] -= 1;
                choice[p] = i;
            }
        }
        choice
    }

    /// Enumerates every matching of tiny cases (each visitor at one listed
    /// service or unmatched, within capacity): the result is stable, every
    /// visitor weakly prefers it to every stable matching, and the checker
    /// agrees with the definition on every matching. With one priority for
    /// all services the stable matching is in fact unique (and equals
    /// serial dictatorship in priority order), which is checked too.
    #[test]
    fn deferred_acceptance_is_visitor_optimal_by_brute_force() {
        let (mut contended, mut checked, mut unstable) = (0, 0, 0);
        for (seed, (inst, priority)) in cases(1500, 6, 4).iter().enumerate() {
            let ix = inst.index();
            let m = Market::new(ix, priority);
            let da = choices(&m, &m.deferred_acceptance());
            assert_eq!(da, serial_dictatorship(&m), "seed {seed}");
            let nv = m.visitors.len();
            let lens: Vec<usize> = (0..nv).map(|p| m.prefs_of(p).len()).collect();
            let mut choice = vec![0usize; nv];
            let mut stable = 0;
            let mut found_da = false;
            'all: loop {
                if within_capacity(&m, &choice) {
                    checked += 1;
                    let is_stable = naive_stable(&m, &choice);
                    let pairs = m.blocking_pairs(ix, &as_matching(&m, &choice));
                    assert_eq!(is_stable, pairs.is_empty(), "seed {seed} {choice:?}");
                    if is_stable {
                        stable += 1;
                        found_da |= choice == da;
                        for p in 0..nv {
                            assert!(da[p] <= choice[p], "seed {seed}: {da:?} vs {choice:?}");
                        }
                    } else {
                        unstable += 1;
                    }
                }
                for p in 0..nv {
                    if choice[p] < lens[p] {
                        choice[p] += 1;
                        continue 'all;
                    }
                    choice[p] = 0;
                }
                break;
            }
            assert!(found_da, "seed {seed}");
            assert_eq!(
                stable, 1,
                "seed {seed}: common priority, unique stable matching"
            );
            if da.iter().zip(&lens).any(|(&c, &l)| c > 0 && l > 0) {
                contended += 1;
            }
        }
        eprintln!("{contended} contended cases, {checked} matchings, {unstable} unstable");
        assert!(
            contended > 150,
            "{contended} cases where someone misses a first choice"
        );
        assert!(checked > 5000 && unstable > 2000, "{checked} {unstable}");
    }

    #[test]
    fn blocking_pair_checker_finds_planted_pairs() {
        // Hand-made: one seat, the lower-priority visitor holds it.
        let d = monday();
        let e = Edition::new("plant", d, d)
            .service(Service::new("a", "A"))
            .service(Service::new("b", "B"))
            .agent(Agent::new("h", "H", "b").hosts(true))
            .agent(Agent::new("v1", "V1", "a").visits(true))
            .agent(Agent::new("v2", "V2", "a").visits(true))
            .host_slot(HostSlot::new("h-am", "h", d, Part::Morning))
            .wish(Wish::service("v1", "b", 1))
            .wish(Wish::service("v2", "b", 1));
        let inst = Instance::new(e).unwrap();
        let ix = inst.index();
        let (v1, v2) = (ix.visitors[0], ix.visitors[1]);
        let b = ix.wishes_of(v1)[0].service;
        let w2 = ix.wish_start[v2 as usize];
        assert_eq!(blocking_pairs(ix, &[v1, v2], &[(v2, w2)]), vec![(v1, b)]);
        assert!(blocking_pairs(ix, &[v2, v1], &[(v2, w2)]).is_empty());
        assert_eq!(deferred_acceptance(ix, &[v2, v1]), vec![(v2, w2)]);
        // Nobody matched: both envy the free seat.
        assert_eq!(blocking_pairs(ix, &[v1], &[]), vec![(v1, b), (v2, b)]);

        // Random: unmatch one matched visitor; its seat is free again.
        let mut planted = 0;
        for (seed, (inst, priority)) in cases(300, 8, 4).iter().enumerate() {
            let ix = inst.index();
            let da = deferred_acceptance(ix, priority);
            for i in 0..da.len() {
                let (v, w) = da[i];
                let mut m = da.clone();
                m.remove(i);
                let pairs = blocking_pairs(ix, priority, &m);
                assert!(
                    pairs.contains(&(v, ix.wishes[w as usize].service)),
                    "seed {seed}"
                );
                planted += 1;
            }
        }
        eprintln!("{planted} planted pairs found");
        assert!(planted > 500, "{planted}");
    }

    #[test]
    fn usable_is_the_aggregate_pruning() {
        let (mut yes, mut no) = (0, 0);
        for (seed, (inst, _)) in cases(600, 8, 4).iter().enumerate() {
            let ix = inst.index();
            let empty = Plan::new(ix);
            for &v in &ix.visitors {
                for w in ix.wishes_of(v) {
                    let u = usable(&empty, v, w);
                    assert_eq!(
                        u,
                        aggregate::tests::fits_some_day(&empty, v, w),
                        "seed {seed}"
                    );
                    if u {
                        yes += 1;
                    } else {
                        no += 1;
                    }
                }
            }
        }
        assert!(yes > 1000 && no > 300, "{yes} {no}");
    }

    #[test]
    fn capacity_sums_host_seats_within_the_service_maximum() {
        let d = monday();
        let e = Edition::new("caps", d, d + Days::new(1))
            .service(Service::new("a", "A"))
            .service(Service::new("b", "B").max_visitors(1))
            .agent(Agent::new("h1", "H1", "b").hosts(true))
            .agent(Agent::new("h2", "H2", "b").hosts(true))
            .host_slot(HostSlot::new("1", "h1", d, Part::Morning).capacity(2))
            .host_slot(HostSlot::new("2", "h2", d, Part::Morning))
            .host_slot(HostSlot::new("3", "h2", d + Days::new(1), Part::FullDay));
        let mut e = e;
        for v in 0..6 {
            let id = format!("v{v}");
            e.agents
                .push(Agent::new(id.clone(), id.clone(), "a").visits(true));
            e.wishes.push(Wish::service(id, "b", 1));
        }
        let inst = Instance::new(e).unwrap();
        let ix = inst.index();
        let m = Market::new(ix, &[]);
        // Day 1 morning: 3 seats offered, 1 allowed; day 2: 1 + 1.
        assert_eq!(m.capacity, vec![0, 3]);
        let da = deferred_acceptance(ix, &[]);
        // No priority given: visitors by id.
        assert_eq!(
            da.iter().map(|&(v, _)| v).collect::<Vec<_>>(),
            ix.visitors[..3].to_vec()
        );
    }

    #[test]
    fn a_host_wish_counts_as_its_service_once() {
        let d = monday();
        let e = Edition::new("hosts", d, d)
            .service(Service::new("a", "A"))
            .service(Service::new("b", "B"))
            .service(Service::new("c", "C"))
            .agent(Agent::new("h", "H", "b").hosts(true))
            .agent(Agent::new("k", "K", "c").hosts(true))
            .agent(Agent::new("v", "V", "a").visits(true))
            .host_slot(HostSlot::new("h-am", "h", d, Part::Morning))
            .host_slot(HostSlot::new("k-am", "k", d, Part::Morning))
            .wish(Wish::host("v", "h", 1))
            .wish(Wish::service("v", "b", 2))
            .wish(Wish::service("v", "c", 3));
        let inst = Instance::new(e).unwrap();
        let ix = inst.index();
        let v = ix.visitors[0];
        let m = Market::new(ix, &[]);
        let start = ix.wish_start[v as usize];
        let (b, c) = (ix.wishes_of(v)[0].service, ix.wishes_of(v)[2].service);
        assert_eq!(m.prefs_of(0), &[(start, b), (start + 2, c)]);
        assert_eq!(deferred_acceptance(ix, &[]), vec![(v, start)]);
        let agg = solve_stable(inst.edition(), ix, &[]);
        assert_eq!(agg.placed, 1);
        assert_eq!(agg.rank_sum, 1);
        assert_eq!(agg.assignments[0].visitor.as_str(), "v");
        assert_eq!(agg.assignments[0].service.as_str(), "b");
        assert_eq!(
            agg.assignments[0].host.as_ref().map(crate::AgentId::as_str),
            Some("h")
        );
        // Matched through the service wish, it is worse than through the
        // host's: no blocking pair either way (same service).
        assert!(blocking_pairs(ix, &[], &[(v, start + 1)]).is_empty());
        // Matched to its third wish, it envies the free seat at b.
        assert_eq!(blocking_pairs(ix, &[], &[(v, start + 2)]), vec![(v, b)]);
    }

    #[test]
    fn priority_skips_junk_and_ranks_the_rest_by_id() {
        for (inst, _) in cases(50, 8, 4) {
            let ix = inst.index();
            let mut junk: Vec<u32> = ix.visitors.iter().rev().copied().collect();
            let clean = junk.clone();
            junk.insert(0, u32::MAX);
            junk.extend(0..ix.agent_src.len() as u32 + 3);
            let m = Market::new(ix, &junk);
            let n = ix.visitors.len() as u32;
            assert_eq!(m.rank, (0..n).rev().collect::<Vec<_>>());
            assert_eq!(Market::new(ix, &clean).rank, m.rank);
            assert_eq!(
                Market::new(ix, &[]).rank,
                (0..n).collect::<Vec<_>>(),
                "missing visitors follow in id order"
            );
        }
    }

    #[test]
    fn lottery_priority_is_the_documented_permutation() {
        for (inst, _) in cases(30, 8, 4) {
            let ix = inst.index();
            let p = lottery_priority(ix, 7);
            assert_eq!(p, lottery_priority(ix, 7));
            let order = DrawRng::new(7, Stream::Order).permutation(ix.visitors.len() as u32);
            let expected: Vec<u32> = order.iter().map(|&i| ix.visitors[i as usize]).collect();
            assert_eq!(p, expected);
            let mut sorted = p.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, ix.visitors);
        }
    }

    /// Runs the mechanism on a core instance with the peer's priority file
    /// and checks it against the peer's assignment (`stable.py`, the
    /// `matching` package's `HospitalResident`, resident-optimal).
    fn agree_with_matching_package(instance: &str, priority: &str, assign: &str) -> usize {
        let core: CoreInstance = serde_json::from_str(instance).unwrap();
        let edition = core.to_edition(Policy::new(Strategy::Draw)).unwrap();
        let inst = Instance::new(edition).unwrap();
        let ix = inst.index();
        let e = inst.edition();
        let core_index = |id: &str| id[1..].parse::<u32>().unwrap();
        // Dense agent of each core visitor, through the index (hosts "h…"
        // sort before visitors "v…").
        let mut agent_of = vec![NONE; core.visitors.len()];
        for (a, &src) in ix.agent_src.iter().enumerate() {
            let id = e.agents[src as usize].id.as_str();
            if id.starts_with('v') {
                agent_of[core_index(id) as usize] = a as u32;
            }
        }
        let service_of: Vec<u32> = ix
            .service_src
            .iter()
            .map(|&src| core_index(e.services[src as usize].id.as_str()))
            .collect();
        let prio: serde_json::Value = serde_json::from_str(priority).unwrap();
        let priority: Vec<u32> = prio["priority"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| agent_of[x.as_u64().unwrap() as usize])
            .collect();
        assert_eq!(priority.len(), core.visitors.len());

        let t0 = Instant::now();
        let m = Market::new(ix, &priority);
        let t1 = Instant::now();
        let da = m.deferred_acceptance();
        let t2 = Instant::now();
        eprintln!(
            "{}: {} visitors, market {:.1} ms, deferred acceptance {:.2} ms, {} matched",
            core.name,
            core.visitors.len(),
            (t1 - t0).as_secs_f64() * 1e3,
            (t2 - t1).as_secs_f64() * 1e3,
            da.len()
        );
        assert!(m.blocking_pairs(ix, &da).is_empty());

        let core_of_agent =
            |a: u32| core_index(e.agents[ix.agent_src[a as usize] as usize].id.as_str());
        let mut ours: Vec<(u64, u64)> = da
            .iter()
            .map(|&(v, w)| {
                let s = ix.wishes[w as usize].service;
                (
                    u64::from(core_of_agent(v)),
                    u64::from(service_of[s as usize]),
                )
            })
            .collect();
        ours.sort_unstable();
        let peer: serde_json::Value = serde_json::from_str(assign).unwrap();
        let mut theirs: Vec<(u64, u64)> = peer["assign"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_u64().unwrap(), p[1].as_u64().unwrap()))
            .collect();
        theirs.sort_unstable();
        assert_eq!(ours.len() as u64, peer["placed"].as_u64().unwrap());
        assert_eq!(ours, theirs);
        let agg = solve_stable(e, ix, &priority);
        assert_eq!(agg.rank_sum, peer["rank_sum"].as_u64().unwrap());
        ours.len()
    }

    #[test]
    fn agrees_with_the_matching_package_on_small() {
        let n = agree_with_matching_package(
            include_str!("../../tests/fixtures/stable_small_instance.json"),
            include_str!("../../tests/fixtures/stable_small_priority.json"),
            include_str!("../../tests/fixtures/stable_small_assign.json"),
        );
        assert_eq!(n, 158);
    }

    #[test]
    fn agrees_with_the_matching_package_on_medium() {
        let n = agree_with_matching_package(
            include_str!("../../tests/fixtures/stable_medium_instance.json"),
            include_str!("../../tests/fixtures/stable_medium_priority.json"),
            include_str!("../../tests/fixtures/stable_medium_assign.json"),
        );
        assert_eq!(n, 1575);
    }

    /// The large instance (2.3 MB) is not copied into the crate: read from
    /// the peer harness beside it when present.
    #[test]
    fn agrees_with_the_matching_package_on_large() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/bench/instances/large.json"
        );
        let Ok(instance) = std::fs::read_to_string(path) else {
            eprintln!("skipped: {path} not found");
            return;
        };
        let n = agree_with_matching_package(
            &instance,
            include_str!("../../tests/fixtures/stable_large_priority.json"),
            include_str!("../../tests/fixtures/stable_large_assign.json"),
        );
        assert_eq!(n, 12428);
    }
}
