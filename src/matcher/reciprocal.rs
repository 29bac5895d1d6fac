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
//! ([`blossom`](super::blossom)). Visitors are numbered in the order drawn
//! from the seed, which decides among equal optima.
//!
//! Wishes naming one host are not used for pairing; availability and caps
//! are not looked at here (scheduling both legs is a later stage).

use serde::{Deserialize, Serialize};

use crate::index::{Index, NONE};
use crate::matcher::blossom::max_weight_matching;
use crate::rng::{DrawRng, Stream};
use crate::{AgentId, Edition};

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

/// The pairs in dense form: (a, b, rank_a, rank_b) with agent indices.
pub(crate) fn pairs_dense(ix: &Index, seed: u64) -> Vec<(u32, u32, u32, u32)> {
    // (origin, wished service, visitor, rank), grouped by (origin, service).
    let mut entries: Vec<(u32, u32, u32, u32)> = Vec::new();
    let mut top = 5;
    for &v in &ix.visitors {
        let o = ix.agent_service[v as usize];
        for w in ix.wishes_of(v) {
            if w.host == NONE {
                entries.push((o, w.service, v, w.rank));
                top = top.max(w.rank);
            }
        }
    }
    entries.sort_unstable();
    let group = |o: u32, d: u32| {
        let lo = entries.partition_point(|e| (e.0, e.1) < (o, d));
        let hi = entries.partition_point(|e| (e.0, e.1) <= (o, d));
        &entries[lo..hi]
    };
    // Vertices numbered in the seeded order of the visitors.
    let order = DrawRng::new(seed, Stream::Pairs).permutation(ix.visitors.len() as u32);
    let mut vertex = vec![u32::MAX; ix.agent_src.len()];
    for (n, &p) in order.iter().enumerate() {
        vertex[ix.visitors[p as usize] as usize] = n as u32;
    }
    let score = |r: u32| i64::from(top + 1 - r.min(top));
    let mut edges: Vec<(u32, u32, i64)> = Vec::new();
    let mut ranks: Vec<(u32, u32, u32, u32)> = Vec::new();
    let mut i = 0;
    while i < entries.len() {
        let (o, d) = (entries[i].0, entries[i].1);
        let left = group(o, d);
        i += left.len();
        if o >= d {
            continue;
        }
        for &(_, _, a, ra) in left {
            for &(_, _, b, rb) in group(d, o) {
                edges.push((
                    vertex[a as usize],
                    vertex[b as usize],
                    score(ra) + score(rb),
                ));
                ranks.push((a, b, ra, rb));
            }
        }
    }
    let mate = max_weight_matching(ix.visitors.len(), &edges, true);
    let mut out: Vec<(u32, u32, u32, u32)> = Vec::new();
    for (k, &(x, y, _)) in edges.iter().enumerate() {
        if mate.get(x as usize).copied().flatten() == Some(y) {
            let (a, b, ra, rb) = ranks[k];
            let pair = if a < b {
                (a, b, ra, rb)
            } else {
                (b, a, rb, ra)
            };
            if !out.iter().any(|p| (p.0, p.1) == (pair.0, pair.1)) {
                out.push(pair);
            }
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
