//! Which visitors left out could not join the plan, proven by the
//! aggregate relaxation: no plan places them together with every visitor
//! the plan places.
//!
//! The plan's visits are a flow of the aggregate network
//! ([`aggregate`](super::aggregate), slots summed over): each visit one
//! unit source → origin → visitor → wished service (or host → service) →
//! sink. A plan placing the same visitors and `u` as well would be a flow
//! one unit larger through `u`; with one visit per visitor every visitor
//! placed already carries its unit, so the larger flow needs an augmenting
//! path source → origin(u) → u → a head of a usable wish of `u` ⇝ sink in
//! the residual network of the plan's flow restricted to the visitors
//! placed. The arc source → origin(u) must have room, and the head must
//! reach the sink: one reverse breadth-first search from the sink serves
//! every visitor left out. Where no such path exists, no flow — hence no
//! plan — places `u` with all the others: the answer is proven. Where one
//! exists, the slots may still forbid it: the relaxation cannot tell.
//! When the outcome's bound equals the visitors placed, every visitor left
//! out is proven at once (no plan places one more).
//!
//! Linear in the size of the aggregate network. With several visits per
//! visitor nothing is claimed (a visitor placed could take a second unit).

use crate::index::{NO_SLOTS, NONE, WishIx};
use crate::matcher::aggregate::{Capacities, usable, wishes_or_open};
use crate::matcher::feasibility::Plan;

/// Per agent: whether the agent, a visitor left out by `plan`, provably
/// cannot join it (see the module docs). `bound` is a certified bound on
/// the visitors any plan places, if one is known: when the plan meets it,
/// no plan places one more, so nobody left out can join.
pub(crate) fn cannot_join(plan: &Plan<'_>, bound: Option<u32>) -> Vec<bool> {
    let ix = plan.ix;
    let mut out = vec![false; ix.agent_src.len()];
    if ix.max_visits != 1 {
        return out;
    }
    let left_out = ix.visitors.iter().filter(|&&v| plan.visit_count(v) == 0);
    if bound.is_some_and(|b| b as usize <= ix.visitors.len() - left_out.clone().count()) {
        for &v in left_out {
            out[v as usize] = true;
        }
        return out;
    }
    let ns = ix.service_src.len();
    let nh = ix.host_agent.len();
    // Nodes: services, then hosts, then agents.
    let service = |s: u32| s as usize;
    let host = |h: u32| ns + h as usize;
    let agent = |a: u32| ns + nh + a as usize;
    let head = |w: &WishIx| {
        if w.host == NONE {
            service(w.service)
        } else {
            host(w.host)
        }
    };
    let caps = Capacities::new(ix);
    let mut from_origin = vec![0i64; ns];
    let mut at_host = vec![0i64; nh];
    let mut at_service = vec![0i64; ns];
    // Reverse residual arcs into each node (`into[y]` = nodes z with a
    // residual arc z → y), as a list of (y, z) sorted by y.
    let mut arcs: Vec<(usize, usize)> = Vec::new();
    let empty = Plan::new(ix);
    for (_, x) in plan.live() {
        let v = x.visitor;
        from_origin[ix.agent_service[v as usize] as usize] += 1;
        let hs = ix.agent_service[ix.host_agent[x.host as usize] as usize];
        at_service[hs as usize] += 1;
        let used = match ix.wishes.get(x.wish as usize) {
            Some(w) if w.host != NONE => {
                at_host[x.host as usize] += 1;
                host(x.host)
            }
            _ => service(hs),
        };
        // The used wish's arc carries the unit: head → v backward.
        arcs.push((agent(v), used));
        // Every other usable wish: v → head forward.
        for (_, w) in wishes_or_open(ix, v) {
            if w.host != NO_SLOTS && head(&w) != used && usable(&empty, v, &w) {
                arcs.push((head(&w), agent(v)));
            }
        }
    }
    for (h, &a) in ix.host_agent.iter().enumerate() {
        let s = ix.agent_service[a as usize];
        if at_host[h] < caps.host[h] {
            arcs.push((service(s), host(h as u32)));
        }
        if at_host[h] > 0 {
            arcs.push((host(h as u32), service(s)));
        }
    }
    arcs.sort_unstable();
    let nodes = ns + nh + ix.agent_src.len();
    let mut start = vec![0usize; nodes + 1];
    for &(y, _) in &arcs {
        start[y + 1] += 1;
    }
    for i in 0..nodes {
        start[i + 1] += start[i];
    }
    // Reverse search from the sink: the services with room reach it.
    let mut reaches = vec![false; nodes];
    let mut queue: Vec<usize> = (0..ns)
        .filter(|&s| at_service[s] < caps.service[s])
        .collect();
    for &s in &queue {
        reaches[s] = true;
    }
    while let Some(y) = queue.pop() {
        for &(_, z) in &arcs[start[y]..start[y + 1]] {
            if !reaches[z] {
                reaches[z] = true;
                queue.push(z);
            }
        }
    }
    for &v in &ix.visitors {
        if plan.visit_count(v) != 0 {
            continue;
        }
        let o = ix.agent_service[v as usize] as usize;
        let joinable = from_origin[o] < caps.origin[o]
            && wishes_or_open(ix, v)
                .iter()
                .any(|(_, w)| w.host != NO_SLOTS && reaches[head(w)] && usable(&empty, v, w));
        out[v as usize] = !joinable;
    }
    out
}
