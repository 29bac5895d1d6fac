//! Reciprocal binômes (*Vis mon travail*, the Vosges return legs): pairs of
//! visitors of different services who each wish to discover the other's
//! service, so that each visits the other.
//!
//! The graph joins visitors `a` and `b` when `b`'s service is among `a`'s
//! service wishes and `a`'s among `b`'s; its weight is the satisfaction of
//! both legs, `(R + 1 − rank_a) + (R + 1 − rank_b)` with `R = max(5,
//! highest rank)` (with ranks up to 5 this is the peer harness's `(6 −
//! rank_a) + (6 − rank_b)`). The pairs maximise first their number, then
//! their total weight: a maximum-weight maximum-cardinality matching on a
//! general graph, solved exactly by the crate's blossom algorithm
//! ([`blossom`](super::blossom)). The graph goes to it as complete
//! bipartite blocks — the visitors of `o` who wish `d` against those of `d`
//! who wish `o` — never edge by edge, so one service wished by a whole
//! other service costs its visitors, not their product. Visitors are
//! numbered in the order drawn from the seed, which decides among equal
//! optima.
//!
//! Wishes naming one host are not used for pairing; availability and caps
//! are not looked at here (scheduling both legs is a later stage).

use serde::{Deserialize, Serialize};

use crate::index::{Index, NONE};
use crate::matcher::blossom::Bicliques;
use crate::matcher::feasibility::{Plan, Visit, visit_at};
use crate::rng::{DrawRng, Stream};
use crate::{AgentId, Edition, Legs};

/// One binôme: `a` visits `b`'s service and `b` visits `a`'s.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReciprocalPair {
    /// The member with the smaller id.
    pub a: AgentId,
    /// The other member.
    pub b: AgentId,
    /// The rank of `b`'s service among `a`'s wishes.
    pub rank_a: u32,
    /// The rank of `a`'s service among `b`'s wishes.
    pub rank_b: u32,
}

/// The best set of binômes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReciprocalPairs {
    /// The pairs, sorted.
    pub pairs: Vec<ReciprocalPair>,
    /// Their total weight.
    pub weight: u64,
    /// The sum of the ranks of both legs of every pair.
    pub rank_sum: u64,
}

/// The pairs in dense form: `(a, b, rank_a, rank_b)` with agent indices.
pub(crate) fn pairs_dense(ix: &Index, seed: u64) -> Vec<(u32, u32, u32, u32)> {
    pairs_among(ix, seed, &|_| true, &[], false)
}

/// The best pairs among the visitors `open` accepts, without the pairs
/// `refused` (sorted, `(a, b)` with `a < b`); with `same_length`, only
/// pairs whose two legs last the same.
///
/// The blocks are those of the module docs, each member with the score of
/// its rank, and split by length under `same_length`; a visitor with a
/// refused partner in a block has a block of their own, without that
/// partner.
fn pairs_among(
    ix: &Index,
    seed: u64,
    open: &dyn Fn(u32) -> bool,
    refused: &[(u32, u32)],
    same_length: bool,
) -> Vec<(u32, u32, u32, u32)> {
    // (origin, wished service, full day, visitor, rank), grouped by the
    // first three.
    let mut entries: Vec<(u32, u32, bool, u32, u32)> = Vec::new();
    let mut top = 5;
    for &v in ix.visitors.iter().filter(|&&v| open(v)) {
        let o = ix.agent_service[v as usize];
        for w in ix.wishes_of(v) {
            // Pairs keep the durations asked for: not the half-day fallbacks.
            if w.host == NONE && !w.fallback {
                entries.push((o, w.service, same_length && w.full, v, w.rank));
                top = top.max(w.rank);
            }
        }
    }
    entries.sort_unstable();
    let group = |o: u32, d: u32, full: bool| {
        let lo = entries.partition_point(|e| (e.0, e.1, e.2) < (o, d, full));
        let hi = entries.partition_point(|e| (e.0, e.1, e.2) <= (o, d, full));
        &entries[lo..hi]
    };
    // Vertices numbered in the seeded order of the visitors.
    let order = DrawRng::new(seed, Stream::Pairs).permutation(ix.visitors.len() as u32);
    let mut vertex = vec![u32::MAX; ix.agent_src.len()];
    for (n, &p) in order.iter().enumerate() {
        vertex[ix.visitors[p as usize] as usize] = n as u32;
    }
    let score = |r: u32| i64::from(top + 1 - r.min(top));
    let member = |e: &(u32, u32, bool, u32, u32)| (vertex[e.3 as usize], score(e.4));
    // Refused partners of each agent, both ways.
    let mut bad: Vec<(u32, u32)> = refused
        .iter()
        .flat_map(|&(a, b)| [(a, b), (b, a)])
        .collect();
    bad.sort_unstable();
    let refused_of = |a: u32| {
        let lo = bad.partition_point(|e| e.0 < a);
        let hi = bad.partition_point(|e| e.0 <= a);
        &bad[lo..hi]
    };
    let mut graph = Bicliques::new(ix.visitors.len());
    let mut clean = Vec::new();
    let mut i = 0;
    while i < entries.len() {
        let (o, d, full) = (entries[i].0, entries[i].1, entries[i].2);
        let len = entries[i..]
            .iter()
            .take_while(|e| (e.0, e.1, e.2) == (o, d, full))
            .count();
        let left = &entries[i..i + len];
        i += len;
        if o >= d {
            continue;
        }
        let right = group(d, o, full);
        if right.is_empty() {
            continue;
        }
        // Both sides are sorted by visitor.
        let in_right = |b: u32| right.binary_search_by_key(&b, |r| r.3).is_ok();
        for e in left {
            let theirs = refused_of(e.3);
            if theirs.iter().any(|&(_, b)| in_right(b)) {
                let allowed =
                    |r: &&(u32, u32, bool, u32, u32)| theirs.binary_search(&(e.3, r.3)).is_err();
                graph.push([member(e)], right.iter().filter(allowed).map(member));
            } else {
                clean.push(member(e));
            }
        }
        graph.push(clean.drain(..), right.iter().map(member));
    }
    let mate = graph.max_weight_matching();
    let mut agent = vec![0u32; ix.visitors.len()];
    for (n, &p) in order.iter().enumerate() {
        agent[n] = ix.visitors[p as usize];
    }
    let rank = |v: u32, partner: u32| {
        wish_for(ix, v, ix.agent_service[partner as usize]).map(|w| ix.wishes[w as usize].rank)
    };
    let mut out: Vec<(u32, u32, u32, u32)> = Vec::new();
    for (x, m) in mate.iter().enumerate() {
        let Some(y) = *m else { continue };
        if x as u32 > y {
            continue;
        }
        let (a, b) = (agent[x], agent[y as usize]);
        let (a, b) = (a.min(b), a.max(b));
        if let (Some(ra), Some(rb)) = (rank(a, b), rank(b, a)) {
            out.push((a, b, ra, rb));
        }
    }
    out.sort_unstable();
    out
}

/// The pairs with their ids, weight and rank sum.
pub(crate) fn pairs(edition: &Edition, ix: &Index, seed: u64) -> ReciprocalPairs {
    let dense = pairs_dense(ix, seed);
    let top = ix.wishes.iter().map(|w| w.rank).max().unwrap_or(5).max(5);
    let id = |a: u32| edition.agents[ix.agent_src[a as usize] as usize].id.clone();
    let mut weight = 0u64;
    let mut rank_sum = 0u64;
    let pairs = dense
        .iter()
        .map(|&(a, b, ra, rb)| {
            weight += u64::from(top + 1 - ra.min(top)) + u64::from(top + 1 - rb.min(top));
            rank_sum += u64::from(ra) + u64::from(rb);
            ReciprocalPair {
                a: id(a),
                b: id(b),
                rank_a: ra,
                rank_b: rb,
            }
        })
        .collect();
    ReciprocalPairs {
        pairs,
        weight,
        rank_sum,
    }
}

/// The reciprocal strategy: pairs, both legs scheduled as `legs` says.
/// A pair whose legs cannot both be placed is not published half-done: it
/// is set aside and the visitors still unpaired are matched again without
/// it, for at most `rounds` rounds. For a swap, pairs whose legs ask for
/// different durations are not formed at all.
pub(crate) fn schedule(plan: &mut Plan<'_>, seed: u64, legs: Legs, rounds: u32) {
    let ix = plan.ix;
    let mut refused: Vec<(u32, u32)> = Vec::new();
    for _ in 0..rounds {
        let found = {
            let p: &Plan<'_> = plan;
            let open = |v: u32| p.visit_count(v) == 0;
            pairs_among(ix, seed, &open, &refused, legs == Legs::Swap)
        };
        if found.is_empty() {
            break;
        }
        let mut progress = false;
        for (a, b, _, _) in found {
            if schedule_pair(plan, a, b, legs) {
                progress = true;
            } else if let Err(i) = refused.binary_search(&(a, b)) {
                refused.insert(i, (a, b));
                progress = true;
            }
        }
        if !progress {
            break;
        }
    }
}

/// The wish of `v` for service `s` (a service wish), as an index.
fn wish_for(ix: &Index, v: u32, s: u32) -> Option<u32> {
    let start = ix.wish_start[v as usize];
    ix.wishes_of(v)
        .iter()
        .position(|w| w.host == NONE && w.service == s)
        .map(|i| start + i as u32)
}

/// The hosts of a leg to `partner`'s service: the partner, when they host,
/// else the other hosts of their service.
fn leg_hosts(ix: &Index, partner: u32) -> &[u32] {
    let h = ix.agent_host[partner as usize];
    if h == NONE {
        ix.hosts_of(ix.agent_service[partner as usize])
    } else {
        std::slice::from_ref(&ix.agent_host[partner as usize])
    }
}

/// Places both legs of pair (`a`, `b`), or neither.
fn schedule_pair(plan: &mut Plan<'_>, a: u32, b: u32, legs: Legs) -> bool {
    let ix = plan.ix;
    let (Some(wa), Some(wb)) = (
        wish_for(ix, a, ix.agent_service[b as usize]),
        wish_for(ix, b, ix.agent_service[a as usize]),
    ) else {
        return false;
    };
    let (fa, fb) = (ix.wishes[wa as usize].full, ix.wishes[wb as usize].full);
    if legs == Legs::Swap {
        return fa == fb && schedule_swap(plan, [(a, b, wa), (b, a, wb)], fa);
    }
    let min_gap = match legs {
        Legs::SameDay if !fa && !fb => None,
        // Full-day legs of a same-day exchange take two days.
        Legs::SameDay => Some(1),
        Legs::Anywhere { min_gap_days } => Some(min_gap_days),
        // Handled above.
        Legs::Swap => return false,
    };
    let mut first = Vec::new();
    let mut second = Vec::new();
    for &ha in leg_hosts(ix, b) {
        plan.fitting(a, ha, fa, &mut first);
        for &(ka, pa) in &first {
            let x = plan.place(Visit {
                visitor: a,
                host: ha,
                day: ka,
                part: pa,
                wish: wa,
            });
            for &hb in leg_hosts(ix, a) {
                plan.fitting(b, hb, fb, &mut second);
                let pick = second.iter().copied().find(|&(kb, pb)| match min_gap {
                    // Same day, the other half.
                    None => kb == ka && pb != pa,
                    Some(g) => ka.abs_diff(kb) >= g,
                });
                if let Some((kb, pb)) = pick {
                    let y = plan.place(Visit {
                        visitor: b,
                        host: hb,
                        day: kb,
                        part: pb,
                        wish: wb,
                    });
                    plan.link_legs(x, y);
                    return true;
                }
            }
            plan.remove(x);
        }
    }
    false
}

/// Places both legs of a swap on the same half-day (or full day), or
/// neither. Each leg is `(visitor, partner, wish)`: the visitor goes to the
/// partner's service, hosted by another host of it (the partner is away at
/// the same time). The legs share no agent and count against different
/// services' caps, so one leg never stops the other: the first half-day in
/// date order where both fit is taken, with the first host that fits.
fn schedule_swap(plan: &mut Plan<'_>, legs: [(u32, u32, u32); 2], full: bool) -> bool {
    let ix = plan.ix;
    let hosts = legs.map(|(v, partner, _)| {
        let own = ix.agent_host[partner as usize];
        ix.hosts_of(ix.agent_service[partner as usize])
            .iter()
            .copied()
            .filter(|&h| h != own && plan.pair_blocks(v, h) == 0)
            .collect::<Vec<u32>>()
    });
    for w in 0..plan.words() {
        let fitting = |i: usize| {
            hosts[i].iter().fold(0u64, |m, &h| {
                m | plan.masks(legs[i].0, h, w, full).fitting()
            })
        };
        let mut both = fitting(0) & fitting(1);
        while both != 0 {
            let t = (w * 64) as u32 + both.trailing_zeros();
            both &= both - 1;
            let (day, part) = visit_at(t, full);
            let mut placed: Vec<u32> = Vec::with_capacity(2);
            for (i, &(v, _, wish)) in legs.iter().enumerate() {
                if let Some(&host) = hosts[i].iter().find(|&&h| plan.fits(v, h, day, part)) {
                    placed.push(plan.place(Visit {
                        visitor: v,
                        host,
                        day,
                        part,
                        wish,
                    }));
                }
            }
            if let [x, y] = placed[..] {
                plan.link_legs(x, y);
                return true;
            }
            // Not reached (the legs are independent); undone all the same.
            for id in placed {
                plan.remove(id);
            }
        }
    }
    false
}
