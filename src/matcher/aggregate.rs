//! The aggregate relaxation: who visits which service (or host), with the
//! slots forgotten, solved exactly as a min-cost flow.
//!
//! Network (one unit of flow = one visit):
//!
//! ```text
//! source → origin service o     capacity Σ_t continuity_cap[o][t]
//! origin o → visitor v          capacity max_visits_per_agent
//! visitor v → service d         capacity 1, cost rank   (a wish for d)
//! visitor v → host h            capacity 1, cost rank   (a wish for h)
//! host h → service d            capacity Σ_t offered[h][t]
//! service d → sink              capacity Σ_t min(offered[d][t], max_visitors[d][t])
//! ```
//!
//! solved as "maximum flow, then minimum cost": the most visits, then the
//! least sum of ranks. With priority classes ([`crate::Policy::tiers`]),
//! a visitor's edges also cost `class × U`, `U` above any rank sum: the
//! visitor sets a flow can serve form a matroid (a transversal one), so
//! among the maximum flows the cheapest serves the most of class 0, then
//! of classes 0–1, and so on, and then has the least rank sum. A wish is kept only when one visit could fit it in
//! an empty plan ("usable"), which removes no feasible plan. Every visit
//! covers at least one half-day at both ends, so any feasible plan maps to
//! a flow: the flow's value is an upper bound on the visitors any plan
//! places, and when they are equal its cost is a lower bound on the rank
//! sum. On the core instances this is exactly the network of the peer
//! harness's `flow_bound.py`.
//!
//! Volunteers without wishes get a cost-0 edge to every other service with
//! a usable slot.
//!
//! Usability ([`usable`]) is read from the feasibility core's slot masks
//! of an empty plan instead of trying every day and part of every host
//! (that exhaustive search took a third of the relaxation's time on the
//! large preset). A visitor with no usable wish gets no node at all.

use serde::{Deserialize, Serialize};

use crate::index::{Index, NO_SLOTS, NONE, WishIx};
use crate::matcher::feasibility::Plan;
use crate::matcher::flow::MAX_COST;
use crate::matcher::hubflow::Network;
use crate::matcher::slot_choice::hosts_for;
use crate::rng::{DrawRng, Stream};
use crate::{AgentId, Edition, ServiceId};

/// One visitor's assignment in the aggregate relaxation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AggregateAssignment {
    /// The visitor.
    pub visitor: AgentId,
    /// The service visited.
    pub service: ServiceId,
    /// The host, for a wish naming a host.
    pub host: Option<AgentId>,
    /// The wish's rank; `None` for a volunteer without wishes.
    pub rank: Option<u32>,
}

/// The optimum of the aggregate relaxation (no slots): an upper bound on
/// the visitors any plan places, and not a plan itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Aggregate {
    /// The assignments, sorted by visitor.
    pub assignments: Vec<AggregateAssignment>,
    /// Visits in the relaxation's optimum (an upper bound).
    pub placed: u32,
    /// Sum of their ranks (a lower bound when a plan reaches `placed`).
    pub rank_sum: u64,
}

/// A dense assignment: visitor and the wish it uses (an index into
/// `Index::wishes`), or, for a volunteer without wishes, `NONE` and the
/// service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DenseAssignment {
    pub visitor: u32,
    pub wish: u32,
    pub service: u32,
}

/// Whether wish `w` of `v` could be placed in an empty plan: some host of
/// the wish with no date-independent block has a fitting half-day (or
/// day) in the feasibility core's masks, 64 half-days at a time (the masks
/// find exactly the visits `Plan::fits` accepts), so no day is tried one
/// by one.
///
/// # Complexity
///
/// O(H · T / 64) for H hosts of the wish and T half-days.
pub(crate) fn usable(empty: &Plan<'_>, v: u32, w: &WishIx) -> bool {
    hosts_for(empty.ix, w).iter().any(|&h| {
        empty.pair_blocks(v, h) == 0
            && (0..empty.words()).any(|i| empty.masks(v, h, i, w.full).fitting() != 0)
    })
}

/// The wishes of `v` as the relaxation sees them: its own, or one per other
/// service for a volunteer without wishes.
pub(crate) fn wishes_or_open(ix: &Index, v: u32) -> Vec<(u32, WishIx)> {
    let start = ix.wish_start[v as usize];
    let own = ix.wishes_of(v);
    if !own.is_empty() {
        return own
            .iter()
            .enumerate()
            .map(|(i, w)| (start + i as u32, *w))
            .collect();
    }
    let o = ix.agent_service[v as usize];
    (0..ix.service_src.len() as u32)
        .filter(|&s| s != o)
        .map(|s| {
            (
                NONE,
                WishIx {
                    service: s,
                    host: NONE,
                    rank: 0,
                    full: ix.default_full,
                    src: NONE,
                    fallback: false,
                },
            )
        })
        .collect()
}

/// The cost unit of one priority class: above any rank sum a flow can
/// have (`1 + Σ max_visits × largest rank`), so that a visitor of class
/// `c` costs `c × unit` on its way in. It is 0 (the flows then serve
/// visits and ranks only, and the classes are left to the strategy's
/// heuristic steps) with one class, and when the largest class cost would
/// not fit the flow solver's cost range (`MAX_COST`, 2^28: thousands of
/// classes on an edition of thousands of visitors) — rather than a flow
/// that cannot be solved.
pub(crate) fn tier_unit(ix: &Index) -> i64 {
    if ix.tiers <= 1 {
        return 0;
    }
    let ranks: i64 = ix
        .visitors
        .iter()
        .map(|&v| i64::from(ix.wishes_of(v).last().map_or(0, |w| w.rank)))
        .sum();
    let unit = ranks
        .saturating_mul(i64::from(ix.max_visits))
        .saturating_add(1);
    let top = unit.saturating_mul(i64::from(ix.tiers - 1));
    if top <= MAX_COST { unit } else { 0 }
}

/// Whether the flows serve the priority classes first (one class, or
/// class costs within range: see [`tier_unit`]); only then is a flow's
/// optimum the strategy's, class by class.
pub(crate) fn classes_in_flow(ix: &Index) -> bool {
    ix.tiers <= 1 || tier_unit(ix) > 0
}

/// The capacities of the relaxation's arcs with slots summed over.
pub(crate) struct Capacities {
    /// Per origin service: source → origin, its continuity caps.
    pub origin: Vec<i64>,
    /// Per host: host → its service, its capacities.
    pub host: Vec<i64>,
    /// Per service: service → sink, what its hosts offer within its cap
    /// on visitors at once.
    pub service: Vec<i64>,
}

impl Capacities {
    /// The capacities of `ix`.
    pub(crate) fn new(ix: &Index) -> Self {
        let ns = ix.service_src.len();
        let nslots = ix.slots as usize;
        let origin = (0..ns)
            .map(|s| {
                ix.continuity_cap[s * nslots..(s + 1) * nslots]
                    .iter()
                    .map(|&c| i64::from(c))
                    .sum()
            })
            .collect();
        let mut offered = vec![0i64; ns * nslots];
        let mut host = Vec::with_capacity(ix.host_agent.len());
        for (h, &a) in ix.host_agent.iter().enumerate() {
            let s = ix.agent_service[a as usize] as usize;
            let row = &ix.host_cap[h * nslots..(h + 1) * nslots];
            host.push(row.iter().map(|&c| i64::from(c)).sum());
            for (t, &c) in row.iter().enumerate() {
                offered[s * nslots + t] += i64::from(c);
            }
        }
        let service = (0..ns)
            .map(|s| {
                (0..nslots)
                    .map(|t| {
                        offered[s * nslots + t].min(i64::from(ix.max_visitors[s * nslots + t]))
                    })
                    .sum()
            })
            .collect();
        Capacities {
            origin,
            host,
            service,
        }
    }
}

/// Whether [`solve_dense`] uses the hub solver ([`crate::matcher::hubflow`])
/// rather than the generic [`crate::matcher::flow::MinCostFlow`]: the one
/// switch between them (equal optima, possibly different ties).
const HUB_SOLVER: bool = true;

/// Solves the relaxation on the index. Visitors are entered in the order
/// drawn from `seed`, which decides among equal optima. With `by_class`,
/// the priority classes come first (see the module docs); without, the
/// optimum is the most visits then the least rank sum whatever the classes
/// (what the bounds need). Returns the assignments and their rank sum.
pub(crate) fn solve_dense(ix: &Index, seed: u64, by_class: bool) -> (Vec<DenseAssignment>, u64) {
    let (net, payload) = network(ix, seed, by_class);
    let used = if HUB_SOLVER {
        net.solve_best()
    } else {
        net.solve_generic()
    };
    let Some(used) = used else {
        return (Vec::new(), 0);
    };
    let mut out: Vec<DenseAssignment> = used.iter().map(|&e| payload[e as usize]).collect();
    out.sort_by_key(|a| (a.visitor, a.wish));
    let rank_sum = out
        .iter()
        .filter(|a| a.wish != NONE)
        .map(|a| u64::from(ix.wishes[a.wish as usize].rank))
        .sum();
    (out, rank_sum)
}

/// The relaxation's network (visitors in the order drawn from `seed`) and,
/// per wish edge, the assignment it stands for.
fn network(ix: &Index, seed: u64, by_class: bool) -> (Network, Vec<DenseAssignment>) {
    let empty = Plan::new(ix);
    let ns = ix.service_src.len();
    let caps = Capacities::new(ix);
    let mut net = Network::new(ns, i64::from(ix.max_visits));
    net.origin_cap.clone_from(&caps.origin);
    net.service_cap.clone_from(&caps.service);
    net.host_cap.clone_from(&caps.host);
    net.host_service = ix
        .host_agent
        .iter()
        .map(|&a| ix.agent_service[a as usize])
        .collect();

    let order = DrawRng::new(seed, Stream::Order).permutation(ix.visitors.len() as u32);
    let unit = if by_class { tier_unit(ix) } else { 0 };
    let mut payload: Vec<DenseAssignment> = Vec::new();
    let mut heads: Vec<(u32, i64)> = Vec::new();
    for &p in &order {
        let v = ix.visitors[p as usize];
        let start = ix.wish_start[v as usize];
        let own = ix.wishes_of(v).iter().enumerate();
        let own = own.map(|(i, w)| (start + i as u32, *w));
        let open = (ix.wishes_of(v).is_empty()).then(|| wishes_or_open(ix, v));
        heads.clear();
        // A full-day wish and its half-day fallback are one wish: one edge
        // (same head, same rank), the full day's when it is usable.
        let mut full_usable = false;
        for (wi, w) in own.chain(open.into_iter().flatten()) {
            if w.fallback && full_usable {
                continue;
            }
            full_usable = false;
            if w.host == NO_SLOTS || !usable(&empty, v, &w) {
                continue;
            }
            full_usable = w.full;
            let head = if w.host == NONE {
                w.service
            } else {
                ns as u32 + w.host
            };
            payload.push(DenseAssignment {
                visitor: v,
                wish: wi,
                service: w.service,
            });
            heads.push((head, i64::from(w.rank)));
        }
        // A visitor without a usable wish can carry no flow.
        if heads.is_empty() {
            continue;
        }
        net.add_visitor(
            ix.agent_service[v as usize],
            unit * i64::from(ix.tier[v as usize]),
            &heads,
        );
    }
    (net, payload)
}

/// Solves the relaxation and names the assignments.
pub(crate) fn solve(edition: &Edition, ix: &Index, seed: u64) -> Aggregate {
    let (dense, rank_sum) = solve_dense(ix, seed, true);
    let agent = |a: u32| edition.agents[ix.agent_src[a as usize] as usize].id.clone();
    let assignments = dense
        .iter()
        .map(|a| {
            let (host, rank) = if a.wish == NONE {
                (None, None)
            } else {
                let w = ix.wishes[a.wish as usize];
                let host = (w.host != NONE).then(|| agent(ix.host_agent[w.host as usize]));
                (host, Some(w.rank))
            };
            AggregateAssignment {
                visitor: agent(a.visitor),
                service: edition.services[ix.service_src[a.service as usize] as usize]
                    .id
                    .clone(),
                host,
                rank,
            }
        })
        .collect();
    Aggregate {
        placed: dense.len() as u32,
        rank_sum,
        assignments,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core_format::CoreInstance;
    use crate::matcher::slot_choice::parts;
    use crate::matcher::test_rng::XorShift as Gen;
    use crate::{Instance, Policy, Strategy};

    /// A random core instance with sparse host capacity, some zero
    /// continuity caps and sparse availability, over up to 40 days (so
    /// that the slot masks span several words).
    fn random_core(seed: u64) -> CoreInstance {
        let mut g = Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let days = 1 + g.below(40);
        let ns = 2 + g.below(5);
        let services: Vec<serde_json::Value> = (0..ns)
            .map(|_| {
                let caps: Vec<u64> = (0..2 * days)
                    .map(|_| if g.below(4) == 0 { 1 + g.below(2) } else { 0 })
                    .collect();
                serde_json::json!({"away_cap": g.below(3), "host_cap": caps})
            })
            .collect();
        let visitors: Vec<serde_json::Value> = (0..=g.below(12))
            .map(|_| {
                let origin = g.below(ns);
                let wishes: Vec<u64> = (0..ns)
                    .filter(|&s| s != origin && g.below(2) == 0)
                    .collect();
                let available: Vec<u64> = (0..days).filter(|_| g.below(3) == 0).collect();
                serde_json::json!({
                    "origin": origin,
                    "wishes": wishes,
                    "full_day": g.below(3) == 0,
                    "available": available,
                })
            })
            .collect();
        let text = serde_json::json!({
            "format": "jobswap-core",
            "version": 1,
            "days": days,
            "services": services,
            "visitors": visitors,
        });
        serde_json::from_value(text).expect("a valid core instance")
    }

    /// The instances of [`random_core`] for `seeds` that make valid
    /// editions, with their seeds.
    fn random_instances(seeds: std::ops::Range<u64>) -> impl Iterator<Item = (u64, Instance)> {
        seeds.filter_map(|seed| {
            let edition = random_core(seed)
                .to_edition(Policy::new(Strategy::Draw))
                .ok()?;
            Some((seed, Instance::new(edition).ok()?))
        })
    }

    /// The definition: a day and part of some host of the wish fits an
    /// empty plan, tried one by one.
    pub(crate) fn fits_some_day(empty: &Plan<'_>, v: u32, w: &WishIx) -> bool {
        let ix = empty.ix;
        hosts_for(ix, w).iter().any(|&h| {
            (0..ix.n_days()).any(|k| parts(w.full).iter().any(|&p| empty.fits(v, h, k, p)))
        })
    }

    /// Visits and cost (classes plus ranks) of a set of used wish edges.
    fn flow_value(net: &Network, used: &[u32]) -> (usize, i64) {
        let cost = used
            .iter()
            .map(|&e| {
                let v = net.wish_start.partition_point(|&s| s <= e) - 1;
                net.wish_cost[e as usize] + net.class_cost[v]
            })
            .sum();
        (used.len(), cost)
    }

    #[test]
    fn hub_solver_equals_the_generic_solver_on_random_editions() {
        let mut visits = 0;
        for (seed, inst) in random_instances(0..400) {
            let ix = inst.index();
            for by_class in [false, true] {
                let (net, _) = network(ix, seed, by_class);
                let hub = net.solve_best().expect("the hub solver always answers");
                let generic = net.solve_generic().expect("a valid network");
                assert_eq!(
                    flow_value(&net, &hub),
                    flow_value(&net, &generic),
                    "seed {seed}"
                );
                visits += hub.len();
            }
        }
        assert!(visits > 300, "the editions carry flow: {visits}");
    }

    #[test]
    fn slot_masks_agree_with_usable() {
        let (mut yes, mut no) = (0, 0);
        for (seed, inst) in random_instances(0..400) {
            let ix = inst.index();
            let empty = Plan::new(ix);
            for &v in &ix.visitors {
                for (_, w) in wishes_or_open(ix, v) {
                    let want = w.host != NO_SLOTS && fits_some_day(&empty, v, &w);
                    assert_eq!(
                        w.host != NO_SLOTS && usable(&empty, v, &w),
                        want,
                        "seed {seed} visitor {v} wish {w:?}"
                    );
                    if want {
                        yes += 1;
                    } else {
                        no += 1;
                    }
                }
            }
        }
        assert!(
            yes > 200 && no > 200,
            "both answers exercised: {yes} / {no}"
        );
    }
}
