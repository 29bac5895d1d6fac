//! An exact primal-dual solver specialised to the aggregate network, where
//! only the hubs (origins, services, hosts) carry potentials.
//!
//! The aggregate relaxation ([`super::aggregate`]) is a min-cost flow on
//!
//! ```text
//! source → origin o → visitor v → service d | host h [→ service] → sink
//! ```
//!
//! with about `2·S` hubs against a hundred times more visitors of degree at
//! most 6. [`solve`] gives the same optimum as the generic
//! [`MinCostFlow`](super::flow::MinCostFlow) (maximum flow, then minimum
//! cost) when every visitor has capacity 1 (`max_visits == 1`; the caller
//! uses the generic solver otherwise).
//!
//! # Visitors as hub-to-hub arcs
//!
//! With capacity 1 a visitor has exactly one residual arc *in*: from its
//! origin while unused, from the hub of its wish while used. Contracting
//! the visitor into that entry hub is exact for paths, so the residual
//! network becomes a multigraph on hubs whose arcs are read from the
//! visitors' wishes on the fly:
//!
//! - unused visitor of `o`: `o → x` for each wish `x`, cost `class + rank(x)`;
//! - visitor used at wish `j`: `hub(j) → x` for each other wish, cost
//!   `rank(x) − rank(j)`, and `hub(j) → o` (freeing it), cost
//!   `−(rank(j) + class)`;
//! - host `h → service(h)` while the host has room, `service → h` while it
//!   carries flow (cost 0); source → origin while the origin has room,
//!   service → sink while the service has room.
//!
//! Potentials live on hubs only (plus source and sink); a visitor's is
//! implied by its entry hub (`π(o) + class` unused, `π(hub(j)) − rank(j)`
//! used), which keeps every visitor arc's reduced cost non-negative exactly
//! when the hub arcs' are. So Dijkstra settles a few thousand hubs (Dial's
//! buckets for the small labels, a heap for the large ones that priority
//! classes bring), and every array it reads
//! at random (potentials, distances) fits in the first-level cache; the
//! visitors are only scanned, from per-hub lists (an origin's unused
//! visitors in insertion order, a hub's used visitors), compacted as
//! Dijkstra passes.
//!
//! # Phases
//!
//! Each phase runs Dijkstra from the origins with room (multi-source: an
//! origin with room has never been saturated, so it sits at the source's
//! potential 0), stops at the first hub popped at the sink's distance
//! `d_t` (its arcs could only label hubs at `d_t` or more, and every such
//! hub's potential gains `d_t` anyway), raises the potentials by
//! `min(dist, d_t)`, and then sends flow along admissible (zero reduced
//! cost) hub arcs by depth-first searches from the origins with room, one
//! unit per path (every visitor arc has capacity 1). A hub whose search
//! failed is marked dead for the rest of the phase and each hub keeps a
//! current-arc pointer, so a phase costs one scan of the admissible arcs
//! plus the paths. Skipping a hub that is on the current search path (a
//! zero-cost cycle) and then marking its predecessor dead can miss
//! augmenting paths: that costs only another phase at the same distance,
//! never exactness, since every unit still travels along a shortest path
//! and the solver stops only when Dijkstra finds no path at all. The first
//! search of a phase is a complete depth-first search, so each phase sends
//! at least one unit.
//!
//! Exactness: successive shortest paths from the zero flow with valid
//! potentials give a minimum-cost flow of every value reached, and the last
//! one is maximum; the tests compare flow and cost with the generic solver
//! on random aggregate-shaped networks (priority classes, host wishes,
//! binding origin caps, open volunteers) and on the networks of random
//! editions, and check the hub potentials extended to visitors as a dual
//! certificate on every edge. Networks with `max_visits > 1` (a visitor
//! then has several entries) or costs outside the generic solver's range
//! go to the generic solver ([`Network::solve_best`]).
//!
//! Ties between equal optima are decided by the visitors' order in the
//! network (the caller's seed-drawn order, within each origin) and the
//! wishes' order, with no other input: the same network gives the same
//! flow.
//!
//! # Measured
//!
//! Bridge `--strategy aggregate` (`seconds_solve`, which also builds the
//! network: about 6 ms on large, 0.1 s on huge), `/tmp/ratio.py`-style
//! medians on the 2-core shared machine: large (20 000 visitors, 500
//! services) 0.015 s against 0.047 s with the generic solver and 0.055 s
//! for OR-Tools' solve; huge (200 000 / 2 000) 0.24 s against about 1.2 s
//! and 1.6 s. Callgrind on large: 88 M instructions in the whole
//! relaxation (about 48 M in the flow) against 267 M with the generic
//! solver. Large takes 14 phases (the distinct shortest path lengths, none
//! lost to missed paths), huge 24 against 17.
//!
//! What mattered: renumbering the visitors by origin and packing a visitor
//! in 20 bytes and a wish in 8 (an origin's visitors are then read in
//! memory order; 0.75 s to 0.26 s of flow on huge), stopping Dijkstra at
//! `d_t` (104 M to 93 M instructions on large), a counting sort instead of
//! a comparison sort for that renumbering and Dial's buckets (93 M to
//! 88 M).
//!
//! Tried and dropped: Dijkstra backwards from the sink (it settles every
//! hub as well, 1 500 of 1 500 on large, and was slower); keeping the
//! source side as counts per (wish head, cost) so that neither Dijkstra
//! nor the searches scan the unused visitors of origins with room (no
//! fewer instructions; searches started at the wish heads found paths of
//! 8 hops on average instead of 1.3 and made more phases); restricting the
//! searches to hubs that reach the sink by admissible arcs (a backward
//! breadth-first search marks 65-95 % of the hubs live even in the last
//! phases, so it only adds a pass); a visitor's header and wishes in one
//! record (no faster: the medians did not move); another search pass at
//! the same potentials when a pass skipped a hub on its own path (nearly
//! every pass does on large: 0.015 s to 0.018 s there, and slower on huge
//! too).

// Graph code reads best in the usual notation (u, v, x, d, e).
#![allow(clippy::many_single_char_names)]

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::matcher::flow::{MAX_COST, MinCostFlow};

/// Number of Dijkstra buckets; larger labels go to a binary heap.
const BUCKETS: usize = 64;

/// "No wish" / "no hub" marker.
const NONE: u32 = u32::MAX;

/// The aggregate network as plain arrays: hubs are origins `0..S`, services
/// `0..S` and hosts; visitors in the order that decides ties.
#[derive(Clone, Debug, Default)]
pub(crate) struct Network {
    /// Per origin service: source → origin capacity.
    pub origin_cap: Vec<i64>,
    /// Per service: service → sink capacity.
    pub service_cap: Vec<i64>,
    /// Per host: its service.
    pub host_service: Vec<u32>,
    /// Per host: host → service capacity.
    pub host_cap: Vec<i64>,
    /// Capacity of every origin → visitor edge.
    pub max_visits: i64,
    /// Per visitor: its origin service.
    pub origin: Vec<u32>,
    /// Per visitor: the cost of its origin → visitor edge (its class).
    pub class_cost: Vec<i64>,
    /// Per visitor: its wishes are `wish_start[v]..wish_start[v + 1]`.
    pub wish_start: Vec<u32>,
    /// Per wish: its head, a service `d` as `d` or a host `h` as `S + h`.
    pub wish_head: Vec<u32>,
    /// Per wish: its cost (the rank).
    pub wish_cost: Vec<i64>,
}

impl Network {
    /// An empty network on `services` services.
    pub(crate) fn new(services: usize, max_visits: i64) -> Self {
        Network {
            origin_cap: vec![0; services],
            service_cap: vec![0; services],
            max_visits,
            wish_start: vec![0],
            ..Network::default()
        }
    }

    /// Adds a visitor of `origin` whose origin edge costs `class_cost`,
    /// with wishes `(head, cost)`.
    pub(crate) fn add_visitor(&mut self, origin: u32, class_cost: i64, wishes: &[(u32, i64)]) {
        self.origin.push(origin);
        self.class_cost.push(class_cost);
        for &(h, c) in wishes {
            self.wish_head.push(h);
            self.wish_cost.push(c);
        }
        self.wish_start.push(self.wish_head.len() as u32);
    }

    /// Number of services.
    fn services(&self) -> usize {
        self.service_cap.len()
    }

    /// Whether the input is one [`solve`] handles: unit visitor capacity,
    /// costs within the generic solver's range, heads in range.
    fn supported(&self) -> bool {
        let ns = self.services();
        let heads = ns + self.host_cap.len();
        self.max_visits == 1
            && self.origin.iter().all(|&o| (o as usize) < ns)
            && self.host_service.iter().all(|&s| (s as usize) < ns)
            && self.wish_head.iter().all(|&h| (h as usize) < heads)
            && self
                .class_cost
                .iter()
                .chain(&self.wish_cost)
                .all(|&c| (0..=MAX_COST).contains(&c))
            && u32::try_from(2 * ns + self.host_cap.len()).is_ok()
    }

    /// Solves with the generic [`MinCostFlow`]: the used wishes, ascending,
    /// or `None` when the generic solver reports an error.
    pub(crate) fn solve_generic(&self) -> Option<Vec<u32>> {
        let ns = self.services() as u32;
        let nh = self.host_cap.len() as u32;
        let (src, sink) = (0u32, 1u32);
        let origin = |s: u32| 2 + s;
        let service = |s: u32| 2 + ns + s;
        let head = |h: u32| 2 + ns + h; // services then hosts
        let vbase = 2 + 2 * ns + nh;
        let mut g = MinCostFlow::new(vbase as usize + self.origin.len());
        for (s, &c) in self.origin_cap.iter().enumerate() {
            g.add_edge(src, origin(s as u32), c, 0);
        }
        for (h, (&s, &c)) in self.host_service.iter().zip(&self.host_cap).enumerate() {
            g.add_edge(head(ns + h as u32), service(s), c, 0);
        }
        for (s, &c) in self.service_cap.iter().enumerate() {
            g.add_edge(service(s as u32), sink, c, 0);
        }
        let mut exits = Vec::with_capacity(self.wish_head.len());
        for (v, &o) in self.origin.iter().enumerate() {
            let vn = vbase + v as u32;
            g.add_edge(origin(o), vn, self.max_visits, self.class_cost[v]);
            for e in self.wish_start[v]..self.wish_start[v + 1] {
                let e = e as usize;
                exits.push(g.add_edge(vn, head(self.wish_head[e]), 1, self.wish_cost[e]));
            }
        }
        g.max_flow_min_cost(src, sink).ok()?;
        Some(
            exits
                .iter()
                .enumerate()
                .filter(|&(_, &e)| g.flow(e) > 0)
                .map(|(i, _)| i as u32)
                .collect(),
        )
    }

    /// Solves with [`solve`] when the network is supported, with the
    /// generic solver otherwise: the used wishes, ascending, or `None` on a
    /// generic solver error.
    pub(crate) fn solve_best(&self) -> Option<Vec<u32>> {
        if self.supported() {
            Some(solve(self).used())
        } else {
            self.solve_generic()
        }
    }
}

/// The state after [`solve`]: the flow and the potentials.
#[derive(Clone, Debug)]
pub(crate) struct Solution {
    /// Per visitor: the wish it uses, or `NONE`.
    pub at: Vec<u32>,
    /// Potentials of the hubs: origins `0..S`, services `S..2S`, hosts
    /// (the dual certificate; read by the tests).
    #[cfg_attr(not(test), allow(dead_code))]
    pub pot: Vec<i64>,
    /// Potential of the sink (the source's is 0).
    #[cfg_attr(not(test), allow(dead_code))]
    pub pot_sink: i64,
}

impl Solution {
    /// The used wishes, ascending.
    pub(crate) fn used(&self) -> Vec<u32> {
        let mut out: Vec<u32> = self.at.iter().copied().filter(|&e| e != NONE).collect();
        out.sort_unstable();
        out
    }
}

/// The solver's state.
struct Hubs<'a> {
    net: &'a Network,
    /// Number of services.
    ns: usize,
    /// The visitors, renumbered by origin (insertion order within one), so
    /// that an origin's visitors are scanned in memory order.
    vis: Vec<Vis>,
    /// Their wishes, in the same order: `wish[vis[v].start..vis[v].end]`.
    wish: Vec<Wish>,
    /// Per internal visitor: the network's visitor.
    ext: Vec<u32>,
    /// Per origin: room left on source → origin.
    origin_room: Vec<i64>,
    /// Per service: room left on service → sink.
    service_room: Vec<i64>,
    /// Per host: flow on host → service.
    host_flow: Vec<i64>,
    /// Hosts of each service: `hosts[host_first[d]..host_first[d + 1]]`.
    host_first: Vec<u32>,
    hosts: Vec<u32>,
    /// Per hub: the visitors that enter it (an origin's unused visitors, a
    /// service's or host's used ones), possibly with stale entries.
    lists: Vec<Vec<u32>>,
    /// Per hub: potential.
    pot: Vec<i64>,
    /// Potential of the sink.
    pot_sink: i64,
    /// Dijkstra's labels and queue.
    labels: Labels,
    /// Depth-first search: per hub the pass that found it dead, whether it
    /// is on the current path, and its current arc (list position, exit).
    dead: Vec<u32>,
    on_path: Vec<bool>,
    cur_list: Vec<u32>,
    cur_exit: Vec<u32>,
    pass: u32,
}

/// A visitor as the solver reads it (20 bytes).
#[derive(Clone, Copy, Debug)]
struct Vis {
    /// Its wishes: `wish[start..end]`.
    start: u32,
    end: u32,
    /// Its origin hub.
    origin: u32,
    /// The wish it uses (an index into `wish`), or `NONE`.
    at: u32,
    /// The cost of its origin edge (`<= MAX_COST`).
    class: i32,
}

/// A wish as the solver reads it.
#[derive(Clone, Copy, Debug)]
struct Wish {
    /// Its hub (service or host).
    hub: u32,
    /// Its cost (`<= MAX_COST`).
    cost: i32,
}

/// One hop of a search path: from `hub` by `visitor` (or `NONE` for a host
/// arc) to exit `exit` (a wish index, `NONE` for the visitor's origin, or
/// the head hub of a host arc).
#[derive(Clone, Copy, Debug)]
struct Hop {
    hub: u32,
    visitor: u32,
    exit: u32,
}

/// Dijkstra's labels and queue: Dial's buckets for the small labels (ranks
/// are 1 to 5), a heap for the rest (priority classes).
struct Labels {
    /// Per hub: its label (tentative distance).
    dist: Vec<i64>,
    /// `buckets[d]` holds hubs labelled `d`.
    buckets: Vec<Vec<u32>>,
    /// Hubs labelled `BUCKETS` or more.
    heap: BinaryHeap<Reverse<(i64, u32)>>,
}

impl Labels {
    /// Lowers the label of hub `x` to `nd` and queues it, if `nd` is lower.
    fn lower(&mut self, nd: i64, x: u32) {
        if nd < self.dist[x as usize] {
            self.dist[x as usize] = nd;
            match usize::try_from(nd) {
                Ok(b) if b < self.buckets.len() => self.buckets[b].push(x),
                _ => self.heap.push(Reverse((nd, x))),
            }
        }
    }
}

/// Solves a supported network (see [`Network`]; `max_visits` must be 1):
/// maximum flow, then minimum cost.
pub(crate) fn solve(net: &Network) -> Solution {
    let mut h = Hubs::new(net);
    while h.dijkstra() {
        h.augment_phase();
    }
    let mut at = vec![NONE; net.origin.len()];
    for (v, x) in h.vis.iter().enumerate() {
        if x.at != NONE {
            let e = h.ext[v] as usize;
            at[e] = net.wish_start[e] + (x.at - x.start);
        }
    }
    Solution {
        at,
        pot: h.pot,
        pot_sink: h.pot_sink,
    }
}

impl<'a> Hubs<'a> {
    fn new(net: &'a Network) -> Self {
        let ns = net.services();
        let nh = net.host_cap.len();
        let nhub = 2 * ns + nh;
        let mut host_first = vec![0u32; ns + 1];
        for &s in &net.host_service {
            host_first[s as usize + 1] += 1;
        }
        for s in 0..ns {
            host_first[s + 1] += host_first[s];
        }
        let mut fill = host_first.clone();
        let mut hosts = vec![0u32; nh];
        for (h, &s) in net.host_service.iter().enumerate() {
            hosts[fill[s as usize] as usize] = h as u32;
            fill[s as usize] += 1;
        }
        // The visitors with a wish, grouped by origin in insertion order (a
        // counting sort).
        let mut first = vec![0u32; ns + 1];
        let has_wish = |v: usize| net.wish_start[v] < net.wish_start[v + 1];
        for (v, &o) in net.origin.iter().enumerate() {
            if has_wish(v) {
                first[o as usize + 1] += 1;
            }
        }
        let mut lists: Vec<Vec<u32>> = (0..nhub)
            .map(|u| Vec::with_capacity(if u < ns { first[u + 1] as usize } else { 0 }))
            .collect();
        for o in 0..ns {
            first[o + 1] += first[o];
        }
        let mut ext = vec![0u32; first[ns] as usize];
        for (v, &o) in net.origin.iter().enumerate() {
            if has_wish(v) {
                ext[first[o as usize] as usize] = v as u32;
                first[o as usize] += 1;
            }
        }
        let mut vis = Vec::with_capacity(ext.len());
        let mut wish = Vec::with_capacity(net.wish_head.len());
        for (i, &v) in ext.iter().enumerate() {
            let v = v as usize;
            let start = wish.len() as u32;
            for e in net.wish_start[v] as usize..net.wish_start[v + 1] as usize {
                wish.push(Wish {
                    hub: ns as u32 + net.wish_head[e],
                    cost: net.wish_cost[e] as i32,
                });
            }
            vis.push(Vis {
                start,
                end: wish.len() as u32,
                origin: net.origin[v],
                at: NONE,
                class: net.class_cost[v] as i32,
            });
            lists[net.origin[v] as usize].push(i as u32);
        }
        Hubs {
            net,
            ns,
            vis,
            wish,
            ext,
            origin_room: net.origin_cap.iter().map(|&c| c.max(0)).collect(),
            service_room: net.service_cap.iter().map(|&c| c.max(0)).collect(),
            host_flow: vec![0; nh],
            host_first,
            hosts,
            lists,
            pot: vec![0; nhub],
            pot_sink: 0,
            labels: Labels {
                dist: vec![0; nhub],
                buckets: vec![Vec::new(); BUCKETS],
                heap: BinaryHeap::new(),
            },
            dead: vec![0; nhub],
            on_path: vec![false; nhub],
            cur_list: vec![0; nhub],
            cur_exit: vec![0; nhub],
            pass: 0,
        }
    }

    /// The host arcs out of hub `u` with residual capacity: `(head, cost 0)`.
    fn host_arc(&self, u: u32, i: u32) -> Result<Option<u32>, ()> {
        let ns = self.ns as u32;
        if u >= 2 * ns {
            let h = (u - 2 * ns) as usize;
            if i > 0 {
                return Err(());
            }
            let ok = self.host_flow[h] < self.net.host_cap[h];
            return Ok(ok.then(|| ns + self.net.host_service[h]));
        }
        if u >= ns {
            let d = (u - ns) as usize;
            let (a, b) = (self.host_first[d], self.host_first[d + 1]);
            if a + i >= b {
                return Err(());
            }
            let h = self.hosts[(a + i) as usize];
            return Ok((self.host_flow[h as usize] > 0).then_some(2 * ns + h));
        }
        Err(())
    }

    /// Number of host arcs out of `u` (residual or not).
    fn host_arcs(&self, u: u32) -> u32 {
        let ns = self.ns as u32;
        if u >= 2 * ns {
            1
        } else if u >= ns {
            let d = (u - ns) as usize;
            self.host_first[d + 1] - self.host_first[d]
        } else {
            0
        }
    }

    /// Whether hub `u` is a service with room towards the sink.
    fn sink_room(&self, u: u32) -> bool {
        let ns = self.ns as u32;
        u >= ns && u < 2 * ns && self.service_room[(u - ns) as usize] > 0
    }

    /// Dijkstra on reduced costs from the origins with room. Raises the
    /// potentials by `min(dist, d_t)`; false when no service with room is
    /// reachable.
    fn dijkstra(&mut self) -> bool {
        self.labels.dist.fill(i64::MAX);
        self.labels.heap.clear();
        for b in &mut self.labels.buckets {
            b.clear();
        }
        for o in 0..self.ns {
            // An origin with room has never been saturated, so its
            // potential is still the source's (0): reduced distance 0.
            if self.origin_room[o] > 0 {
                self.labels.dist[o] = 0;
                self.labels.buckets[0].push(o as u32);
            }
        }
        let mut best = i64::MAX;
        let (mut cur, mut cur_d) = (0usize, 0i64);
        loop {
            // Dial's buckets for the small labels (ranks are 1 to 5), the
            // heap for the rest (priority classes); every label pushed is at
            // least the one popped, so the buckets empty before the heap.
            let (d, u) = if let Some(b) = self.labels.buckets.get_mut(cur) {
                if let Some(u) = b.pop() {
                    (cur_d, u)
                } else {
                    cur += 1;
                    cur_d += 1;
                    continue;
                }
            } else if let Some(Reverse(top)) = self.labels.heap.pop() {
                top
            } else {
                break;
            };
            if d > self.labels.dist[u as usize] {
                continue;
            }
            if d >= best {
                break;
            }
            let pu = self.pot[u as usize];
            if self.sink_room(u) {
                best = best.min(d + pu - self.pot_sink);
            }
            let mut i = 0;
            while let Ok(arc) = self.host_arc(u, i) {
                if let Some(x) = arc {
                    self.labels.lower(d + pu - self.pot[x as usize], x);
                }
                i += 1;
            }
            let mut list = std::mem::take(&mut self.lists[u as usize]);
            self.scan(u, d, &mut list);
            self.lists[u as usize] = list;
        }
        if best == i64::MAX {
            return false;
        }
        for (p, &d) in self.pot.iter_mut().zip(&self.labels.dist) {
            *p += d.min(best);
        }
        self.pot_sink += best;
        true
    }

    /// Relaxes the arcs of the visitors in `list` (hub `u`'s, settled at
    /// reduced distance `d`) and drops from `list` those that no longer
    /// enter `u`, keeping the order. A used visitor's own wish leads back
    /// to `u` at distance `d` and changes nothing, so it is not skipped.
    fn scan(&mut self, u: u32, d: i64, list: &mut Vec<u32>) {
        let pu = self.pot[u as usize];
        let mut kept = 0;
        for i in 0..list.len() {
            let v = list[i];
            let x = self.vis[v as usize];
            let (entry, base) = if x.at == NONE {
                (x.origin, d + pu + i64::from(x.class))
            } else {
                let w = self.wish[x.at as usize];
                (w.hub, d + pu - i64::from(w.cost))
            };
            if entry != u {
                continue;
            }
            list[kept] = v;
            kept += 1;
            for w in &self.wish[x.start as usize..x.end as usize] {
                let h = w.hub as usize;
                self.labels
                    .lower(base + i64::from(w.cost) - self.pot[h], w.hub);
            }
            if x.at != NONE {
                let o = x.origin as usize;
                self.labels
                    .lower(base - i64::from(x.class) - self.pot[o], x.origin);
            }
        }
        list.truncate(kept);
    }

    /// Whether a search may enter hub `x` in this pass.
    fn open(&self, x: u32) -> bool {
        self.dead[x as usize] != self.pass && !self.on_path[x as usize]
    }

    /// The next admissible arc out of `u` into an open hub, from `u`'s
    /// current arc on (which it advances past unusable arcs but not past
    /// the arc returned).
    fn next_arc(&mut self, u: u32) -> Option<(Hop, u32)> {
        let ui = u as usize;
        let pu = self.pot[ui];
        let nhost = self.host_arcs(u);
        while self.cur_exit[ui] < nhost && self.cur_list[ui] == 0 {
            let i = self.cur_exit[ui];
            if let Ok(Some(x)) = self.host_arc(u, i)
                && pu == self.pot[x as usize]
                && self.open(x)
            {
                let hop = Hop {
                    hub: u,
                    visitor: NONE,
                    exit: x,
                };
                return Some((hop, x));
            }
            self.cur_exit[ui] += 1;
        }
        if self.cur_list[ui] == 0 {
            // Host arcs done: visitor arcs, from position 1 (0 = host arcs).
            self.cur_list[ui] = 1;
            self.cur_exit[ui] = 0;
        }
        let list = &self.lists[ui];
        let mut pos = self.cur_list[ui] as usize - 1;
        let mut k = self.cur_exit[ui];
        let found = 'scan: loop {
            let Some(&v) = list.get(pos) else {
                break None;
            };
            let x = self.vis[v as usize];
            let (entry, base) = if x.at == NONE {
                (x.origin, pu + i64::from(x.class))
            } else {
                let w = self.wish[x.at as usize];
                (w.hub, pu - i64::from(w.cost))
            };
            if entry == u {
                // The wish in use leads back to `u`, which is on the path.
                let wishes = &self.wish[x.start as usize..x.end as usize];
                while let Some(w) = wishes.get(k as usize) {
                    if base + i64::from(w.cost) == self.pot[w.hub as usize] && self.open(w.hub) {
                        break 'scan Some((v, x.start + k, w.hub));
                    }
                    k += 1;
                }
                if x.at != NONE
                    && k as usize == wishes.len()
                    && base - i64::from(x.class) == self.pot[x.origin as usize]
                    && self.open(x.origin)
                {
                    break 'scan Some((v, NONE, x.origin));
                }
            }
            pos += 1;
            k = 0;
        };
        self.cur_list[ui] = pos as u32 + 1;
        self.cur_exit[ui] = k;
        found.map(|(visitor, exit, x)| {
            (
                Hop {
                    hub: u,
                    visitor,
                    exit,
                },
                x,
            )
        })
    }

    /// Sends flow along admissible paths from the origins with room (see
    /// the module docs).
    fn augment_phase(&mut self) {
        self.pass += 1;
        self.cur_list.fill(0);
        self.cur_exit.fill(0);
        let mut path: Vec<Hop> = Vec::new();
        let mut hubs: Vec<u32> = Vec::new();
        for o in 0..self.ns as u32 {
            while self.origin_room[o as usize] > 0 && self.dead[o as usize] != self.pass {
                if !self.search(o, &mut path, &mut hubs) {
                    break;
                }
            }
        }
    }

    /// One depth-first search from origin `o`; augments one unit and
    /// returns true when it reaches a service with room.
    fn search(&mut self, o: u32, path: &mut Vec<Hop>, hubs: &mut Vec<u32>) -> bool {
        path.clear();
        hubs.clear();
        hubs.push(o);
        self.on_path[o as usize] = true;
        loop {
            let Some(&u) = hubs.last() else {
                return false;
            };
            if self.sink_room(u) && self.pot[u as usize] == self.pot_sink {
                for &x in hubs.iter() {
                    self.on_path[x as usize] = false;
                }
                self.augment(o, u, path);
                return true;
            }
            if let Some((hop, x)) = self.next_arc(u) {
                path.push(hop);
                hubs.push(x);
                self.on_path[x as usize] = true;
            } else {
                self.dead[u as usize] = self.pass;
                self.on_path[u as usize] = false;
                hubs.pop();
                path.pop();
            }
        }
    }

    /// Sends one unit from the source through `o`, along `path`, to the
    /// sink through service hub `last`.
    fn augment(&mut self, o: u32, last: u32, path: &[Hop]) {
        self.origin_room[o as usize] -= 1;
        self.service_room[(last - self.ns as u32) as usize] -= 1;
        let ns = self.ns as u32;
        for hop in path {
            if hop.visitor == NONE {
                if hop.hub >= 2 * ns {
                    self.host_flow[(hop.hub - 2 * ns) as usize] += 1;
                } else {
                    self.host_flow[(hop.exit - 2 * ns) as usize] -= 1;
                }
                continue;
            }
            let x = &mut self.vis[hop.visitor as usize];
            x.at = hop.exit;
            let to = if hop.exit == NONE {
                x.origin
            } else {
                self.wish[hop.exit as usize].hub
            };
            self.lists[to as usize].push(hop.visitor);
        }
    }
}

#[cfg(test)]
#[allow(clippy::cast_sign_loss, clippy::cast_possible_wrap)]
mod tests {
    use super::*;
    use crate::matcher::test_rng::XorShift as Rng;

    /// A random aggregate-shaped network: a few services, hosts on some of
    /// them, visitors with up to 5 ranked wishes (some to hosts), open
    /// volunteers (cost 0 to every other service), optional priority
    /// classes, tight or loose origin caps.
    fn random_network(rng: &mut Rng, max_visits: i64) -> Network {
        let ns = 1 + rng.below(7) as usize;
        let nh = if rng.below(3) == 0 { rng.below(5) } else { 0 } as usize;
        let mut net = Network::new(ns, max_visits);
        let tight = rng.below(2) == 0;
        for s in 0..ns {
            net.origin_cap[s] = if tight { rng.below(3) as i64 } else { 100 };
            net.service_cap[s] = rng.below(4) as i64;
        }
        for _ in 0..nh {
            net.host_service.push(rng.below(ns as u64) as u32);
            net.host_cap.push(rng.below(3) as i64);
        }
        let tiers = 1 + rng.below(3) as i64;
        let unit = 1000;
        let nv = rng.below(25);
        for _ in 0..nv {
            let o = rng.below(ns as u64) as u32;
            let class = unit * rng.below(tiers as u64) as i64;
            let mut wishes = Vec::new();
            if rng.below(8) == 0 {
                for s in 0..ns as u32 {
                    if s != o {
                        wishes.push((s, 0));
                    }
                }
            } else {
                let mut rank = 0;
                for _ in 0..rng.below(6) {
                    rank += 1 + rng.below(2) as i64;
                    let head = if nh > 0 && rng.below(3) == 0 {
                        ns as u32 + rng.below(nh as u64) as u32
                    } else {
                        rng.below(ns as u64) as u32
                    };
                    if !wishes.iter().any(|&(h, _)| h == head) {
                        wishes.push((head, rank));
                    }
                }
            }
            net.add_visitor(o, class, &wishes);
        }
        net
    }

    /// Flow value and cost of a set of used wishes.
    fn value(net: &Network, used: &[u32]) -> (usize, i64) {
        let mut cost = 0;
        for &e in used {
            let v = net.wish_start.partition_point(|&s| s <= e) - 1;
            cost += net.wish_cost[e as usize] + net.class_cost[v];
        }
        (used.len(), cost)
    }

    /// Checks that `sol` is a feasible flow and that its potentials,
    /// extended to the source (0), the sink and the visitors, give every
    /// residual edge of the full network a non-negative reduced cost.
    fn check_certificate(net: &Network, sol: &Solution) {
        let ns = net.services();
        let pot = &sol.pot;
        let (ps, pt) = (0i64, sol.pot_sink);
        let mut origin_flow = vec![0i64; ns];
        let mut service_flow = vec![0i64; ns];
        let mut host_flow = vec![0i64; net.host_cap.len()];
        let rc_ok =
            |rc: i64, flow: i64, cap: i64| (flow >= cap || rc >= 0) && (flow <= 0 || rc <= 0);
        for (v, &o) in net.origin.iter().enumerate() {
            let j = sol.at[v];
            let (a, b) = (net.wish_start[v], net.wish_start[v + 1]);
            let pv = if j == NONE {
                pot[o as usize] + net.class_cost[v]
            } else {
                assert!(a <= j && j < b, "visitor {v} uses a wish of another");
                let head = net.wish_head[j as usize] as usize;
                origin_flow[o as usize] += 1;
                if head < ns {
                    service_flow[head] += 1;
                } else {
                    host_flow[head - ns] += 1;
                }
                pot[ns + head] - net.wish_cost[j as usize]
            };
            let f = i64::from(j != NONE);
            let rc = net.class_cost[v] + pot[o as usize] - pv;
            assert!(rc_ok(rc, f, 1), "origin edge of visitor {v}: rc {rc}");
            for e in a..b {
                let head = net.wish_head[e as usize] as usize;
                let rc = net.wish_cost[e as usize] + pv - pot[ns + head];
                let f = i64::from(e == j);
                assert!(rc_ok(rc, f, 1), "wish {e}: rc {rc} flow {f}");
            }
        }
        for (h, &s) in net.host_service.iter().enumerate() {
            let f = host_flow[h];
            service_flow[s as usize] += f;
            assert!(f <= net.host_cap[h]);
            let rc = pot[2 * ns + h] - pot[ns + s as usize];
            assert!(rc_ok(rc, f, net.host_cap[h]), "host {h}");
        }
        for s in 0..ns {
            assert!(origin_flow[s] <= net.origin_cap[s].max(0));
            assert!(service_flow[s] <= net.service_cap[s].max(0));
            let rc = ps - pot[s];
            assert!(rc_ok(rc, origin_flow[s], net.origin_cap[s].max(0)));
            let rc = pot[ns + s] - pt;
            assert!(rc_ok(rc, service_flow[s], net.service_cap[s].max(0)));
        }
    }

    #[test]
    fn matches_the_generic_solver_with_a_certificate() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut flows = 0;
        for case in 0..3000 {
            let net = random_network(&mut rng, 1);
            assert!(net.supported());
            let sol = solve(&net);
            let want = net.solve_generic().expect("solvable");
            let got = sol.used();
            assert_eq!(
                value(&net, &got),
                value(&net, &want),
                "case {case}: {net:?}"
            );
            check_certificate(&net, &sol);
            flows += got.len();
        }
        assert!(flows > 10_000, "the cases carry flow: {flows}");
    }

    #[test]
    fn larger_networks_match_the_generic_solver() {
        // Many visitors on few services: many phases, zero-cost cycles.
        let mut rng = Rng(11);
        for case in 0..40 {
            let ns = 3 + rng.below(20) as usize;
            let mut net = Network::new(ns, 1);
            for s in 0..ns {
                net.origin_cap[s] = if rng.below(3) == 0 {
                    rng.below(10) as i64
                } else {
                    1000
                };
                net.service_cap[s] = rng.below(12) as i64;
            }
            for _ in 0..200 + rng.below(400) {
                let o = rng.below(ns as u64) as u32;
                let mut wishes: Vec<(u32, i64)> = Vec::new();
                for r in 1..=1 + rng.below(5) as i64 {
                    let d = rng.below(ns as u64) as u32;
                    if d != o && !wishes.iter().any(|w| w.0 == d) {
                        wishes.push((d, r));
                    }
                }
                net.add_visitor(o, 0, &wishes);
            }
            let sol = solve(&net);
            let want = net.solve_generic().expect("solvable");
            assert_eq!(value(&net, &sol.used()), value(&net, &want), "case {case}");
            check_certificate(&net, &sol);
        }
    }

    #[test]
    fn unsupported_networks_fall_back_to_the_generic_solver() {
        let mut rng = Rng(5);
        for _ in 0..300 {
            let net = random_network(&mut rng, 2);
            assert!(!net.supported());
            let want = net.solve_generic().expect("solvable");
            assert_eq!(net.solve_best(), Some(want));
        }
        let mut net = Network::new(2, 1);
        net.origin_cap = vec![1, 1];
        net.service_cap = vec![1, 1];
        net.add_visitor(0, MAX_COST + 1, &[(1, 1)]);
        assert!(!net.supported());
        assert_eq!(net.solve_best(), None);
    }

    #[test]
    fn deterministic() {
        let mut rng = Rng(77);
        for _ in 0..200 {
            let net = random_network(&mut rng, 1);
            assert_eq!(solve(&net).at, solve(&net).at);
        }
    }
}
