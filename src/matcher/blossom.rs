//! Exact maximum-weight matching on a general graph: Edmonds' blossom
//! algorithm with dual variables. It pairs reciprocal binômes (two visitors
//! of different services who each wish to discover the other's service).
//!
//! [`Bicliques::max_weight_matching`] returns a matching of maximum total
//! weight among those with the most edges: the same optimum (pair count
//! and total weight) as networkx's `max_weight_matching(G,
//! maxcardinality=True)`. The tests also use the edge-list form
//! `max_weight_matching`, with or without maximum cardinality.
//!
//! # The graph as bicliques
//!
//! The reciprocal graph is a union of complete bipartite blocks: every
//! visitor of service `o` who wishes `d` is joined to every visitor of `d`
//! who wishes `o`, and the weight of an edge is the sum of one term per end
//! (the satisfaction of each leg). One service wished by a whole other
//! service makes millions of edges. So the graph is given as
//! [`Bicliques`] — blocks of two sides of `(vertex, term)`, the edge
//! `(x, y)` weighing `term(x) + term(y)` — and the solver never looks at an
//! edge on its own:
//! for each side it keeps a heap of its S-vertices and one of its free
//! vertices, keyed by dual minus term, and the least slack of the block is
//! the sum of two heap tops. A vertex changing label costs `O(b log n)`,
//! `b` the number of sides it is on (its wishes), whatever its degree. An
//! edge list is the special case of one block per edge, two singletons.
//!
//! # Complexity
//!
//! With `n` vertices and `s` side memberships in all (`2m` for an edge
//! list), the solver makes at most `n` *consuming events* (an augmentation,
//! or a search tree whose root's dual reaches zero). Between two of them
//! there are `O(n)` growth, shrink and expand steps, each relabelling
//! `O(n)` vertices at `O(log s)` per membership. The worst case is
//! therefore `O(n · (n² + s) log s)`, the bound of the classical
//! primal-dual method with heaps, with `s` in place of `m`. In practice it
//! is far below: components of two vertices are matched at once, a greedy
//! start matches most vertices, and every event only touches the one or
//! two search trees it consumes. Measured through the `solve` bridge
//! (building the blocks included): the 200 000-visitor benchmark in 0.10 s;
//! one service of 1 000 visitors and another of 1 500 all wishing each
//! other (1.5 million edges) in 0.008 s, where the edge-by-edge form of
//! this solver took 19 s and 3.4 GB; three services of 700 visitors each
//! wishing the two others (1.5 million edges, odd cycles everywhere) in
//! 0.006 s (edge by edge: 340 s), of 2 000 (12 million edges) in 0.023 s.
//! The weak spot left is many services of thousands of visitors with
//! mixed wishes: 20 000 visitors in 10 services (23 million edges) take
//! 2.4 s: the greedy start leaves 11 500 of them exposed, and the 7 300
//! consuming events that follow dissolve trees of 450 vertices on average,
//! which other trees then grow over again (6.7 million relabellings).
//!
//! # Implementation notes
//!
//! - **Input.** Self-loops, edges with an endpoint `>= n` (or equal to
//!   `u32::MAX`, the internal sentinel) and empty sides are ignored; of
//!   parallel edges only the heaviest matters. Without maximum cardinality
//!   (edge lists only), edges of weight `<= 0` are dropped: removing such
//!   an edge from a matching never lowers its weight.
//! - **Maximum cardinality first.** In the graph solved (`k` vertices: the
//!   components of more than two), whose weights span `[w_min, w_max]`
//!   (`R = w_max - w_min`), each weight becomes `w' = w - w_min + C` with
//!   `C = ⌊k/2⌋ · R + 1`.
//!   A matching with one more edge gains at least `C` and loses at most
//!   `⌊k/2⌋ · R < C`, so the maximum-weight matching for `w'` has maximum
//!   cardinality, and among those the same order as for `w` (all have the
//!   same number of edges, hence the same total shift). All `w' >= 1`.
//! - **Integral duals.** Weights are doubled (`W = 2 w'`) and vertex duals
//!   `Y` are kept in the same unit, so an edge's slack is
//!   `Y_x + Y_y - W` (plus blossom duals `Z` of blossoms holding both ends).
//!   Each block's terms are moved between its sides so that both are in
//!   `[0, W_max]` (one side's least term is zero). All initial duals are
//!   even (the half start rounds up to an even number); the roots of live
//!   search trees always share one parity and every tree edge is tight, so
//!   the slack of an edge between two S-vertices is even and half of it is
//!   an integer step.
//! - **Overflow bound.** Every stored number (duals, terms, lazy offsets,
//!   heap keys) stays within `[-4 W_max, 4 W_max]` where `W_max` is the
//!   largest doubled shifted weight of the graph: vertex duals stay in
//!   `[0, W_max]`, blossom duals in `[0, W_max]`, and the total dual step
//!   is at most the largest root dual, `W_max`. The graph is solved in
//!   `i64` when `4 W_max <= 2^61`, else in `i128` (`W_max < 2^98` for any
//!   `i64` terms and `u32` vertices), so no input overflows.
//! - **Algorithm.** The primal-dual method of Edmonds as presented in
//!   Galil's survey, with these twists: (1) a greedy pass matches each
//!   exposed vertex whose least-slack edge leads to an exposed neighbour,
//!   lowering its dual to make that edge tight, so the search starts from
//!   a large feasible matching (duals start at the largest incident weight
//!   on sparse graphs, at half the heaviest weight on dense ones, where
//!   ties let the exposed neighbour win, [`Start`]); exposed vertices may
//!   then have different duals, so optimality is reached when every
//!   exposed vertex has dual zero: a tree whose root's dual hits zero is
//!   simply retired, and an S-vertex of a tree whose dual hits zero first
//!   gets the alternating path to its root flipped (it becomes the exposed
//!   vertex); (2) all exposed vertices with a positive dual grow alternating trees at
//!   once and one global dual step `δ` is applied to all of them; an event
//!   (augmentation, retirement) dissolves only the trees it involves, the
//!   others keep their labels; (3) duals are lazy: a vertex stores its dual
//!   relative to the running sum of steps with the sign of its label, so a
//!   dual update is `O(1)`, and a vertex's key in its sides' heaps does not
//!   move while its label stays; (4) the four kinds of step (S-vertex dual
//!   to zero, S-to-free edge, S-to-S edge, T-blossom dual to zero) come
//!   from binary heaps; an edge candidate is the best pair of one block
//!   (two side heap tops; for S-to-S, the best pair whose ends lie in
//!   different top-level blossoms, from the two best distinct blossoms of
//!   each side), and it is checked against the vertices' versions when it
//!   reaches the top: a stale one is replaced by the block's current best,
//!   so each heap always holds a lower bound of every block's best;
//!   (5) among steps of the same size, duals reaching zero come first,
//!   then S-to-S edges, then growth, so that trees are consumed before
//!   they grow over vertices they would give back; (6) the vertices of a
//!   top-level node share one representative vertex, and a new blossom
//!   keeps that of its largest child, so shrinking and expanding only
//!   visit the smaller children; (7) recursion is replaced by explicit
//!   stacks, so deep nesting of blossoms cannot overflow the stack.
//! - **Determinism.** No hashing and no randomness: the result depends only
//!   on `n`, the blocks (edge lists after canonical sorting) and
//!   `max_cardinality`; ties go to the smaller vertex numbers.

// Vertex ids are `u32` and `usize` counts of them fit (as in the crate's
// lint configuration); `i128` weights are only narrowed after a range check.
#![allow(clippy::cast_possible_truncation)]

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::{Add, Sub};

/// Sentinel for "no vertex" or "no node".
const NONE: u32 = u32::MAX;

/// A graph on `n` vertices given as complete bipartite blocks with
/// separable weights: each block joins every vertex `x` of one side to
/// every vertex `y` of the other by an edge of weight `term(x) + term(y)`.
#[derive(Debug)]
pub(crate) struct Bicliques {
    n: usize,
    sides: Groups<i128>,
}

impl Bicliques {
    /// A graph on `n` vertices without edges.
    pub(crate) fn new(n: usize) -> Self {
        Bicliques {
            n,
            sides: Groups::default(),
        }
    }

    /// Adds the block joining every `(x, term)` of `left` to every
    /// `(y, term)` of `right`. Vertices `>= n` are left out; a vertex on
    /// both sides is never matched to itself.
    pub(crate) fn push(
        &mut self,
        left: impl IntoIterator<Item = (u32, i64)>,
        right: impl IntoIterator<Item = (u32, i64)>,
    ) {
        let limit = self.n.min(NONE as usize);
        let keep = move |&(v, t): &(u32, i64)| ((v as usize) < limit).then_some((v, i128::from(t)));
        self.sides.push(left.into_iter().filter_map(|e| keep(&e)));
        self.sides.push(right.into_iter().filter_map(|e| keep(&e)));
    }

    /// Returns `mate[v] = Some(u)` for matched vertices, `None` for the
    /// others: a matching with the most edges and, among those, the
    /// greatest total weight. The result is deterministic for a given
    /// input.
    pub(crate) fn max_weight_matching(&self) -> Vec<Option<u32>> {
        solve_groups(self.n, &self.sides, true)
    }
}

/// Returns `mate[v] = Some(u)` for matched vertices, `None` for the others.
///
/// The matching has maximum total weight; with `max_cardinality` it has the
/// most edges possible and, among such matchings, maximum total weight.
/// Edges are `(u, v, weight)`; self-loops and edges with an endpoint `>= n`
/// (or equal to `u32::MAX`, an internal sentinel) are ignored, of parallel
/// edges the heaviest is used. The result is
/// deterministic for a given input.
#[cfg(test)]
pub(crate) fn max_weight_matching(
    n: usize,
    edges: &[(u32, u32, i64)],
    max_cardinality: bool,
) -> Vec<Option<u32>> {
    let limit = n.min(NONE as usize);
    let mut list: Vec<(u32, u32, i64)> = edges
        .iter()
        .filter_map(|&(a, b, w)| {
            if a == b || a as usize >= limit || b as usize >= limit || (!max_cardinality && w <= 0)
            {
                return None;
            }
            Some(if a < b { (a, b, w) } else { (b, a, w) })
        })
        .collect();
    list.sort_unstable_by_key(|e| (e.0, e.1, Reverse(e.2)));
    list.dedup_by_key(|e| (e.0, e.1));
    let mut g = Groups::default();
    for &(a, b, w) in &list {
        g.push(vec![(a, i128::from(w))]);
        g.push(vec![(b, 0)]);
    }
    solve_groups(n, &g, max_cardinality)
}

/// The sides of the blocks, in CSR form: groups `2k` and `2k + 1` are the
/// two sides of block `k`, each member a `(vertex, term)`.
#[derive(Clone, Debug)]
struct Groups<W> {
    start: Vec<usize>,
    members: Vec<(u32, W)>,
}

impl<W> Default for Groups<W> {
    fn default() -> Self {
        Groups {
            start: vec![0],
            members: Vec::new(),
        }
    }
}

impl<W> Groups<W> {
    /// Appends a group.
    fn push(&mut self, members: impl IntoIterator<Item = (u32, W)>) {
        self.members.extend(members);
        self.start.push(self.members.len());
    }

    /// Number of groups.
    fn len(&self) -> usize {
        self.start.len() - 1
    }

    /// Members of group `g`.
    fn group(&self, g: usize) -> &[(u32, W)] {
        &self.members[self.start[g]..self.start[g + 1]]
    }
}

/// Solves the graph of `groups`: components of two vertices directly, the
/// others on one solver.
fn solve_groups(n: usize, groups: &Groups<i128>, max_cardinality: bool) -> Vec<Option<u32>> {
    let mut mate = vec![None; n];
    let n = n.min(NONE as usize);
    let blocks = groups.len() / 2;
    let live: Vec<usize> = (0..blocks)
        .filter(|&k| !groups.group(2 * k).is_empty() && !groups.group(2 * k + 1).is_empty())
        .collect();
    if live.is_empty() {
        return mate;
    }

    // Connected components by union-find (path halving, union by size).
    let mut uf: Vec<u32> = (0..n as u32).collect();
    let mut size = vec![1u32; n];
    let find = |uf: &mut Vec<u32>, mut x: u32| {
        while uf[x as usize] != x {
            let p = uf[uf[x as usize] as usize];
            uf[x as usize] = p;
            x = p;
        }
        x
    };
    let mut touched = vec![false; n];
    for &k in &live {
        let first = groups.group(2 * k)[0].0;
        for &(v, _) in groups.group(2 * k).iter().chain(groups.group(2 * k + 1)) {
            touched[v as usize] = true;
            let (ra, rb) = (find(&mut uf, first), find(&mut uf, v));
            if ra != rb {
                let (big, small) = if size[ra as usize] >= size[rb as usize] {
                    (ra, rb)
                } else {
                    (rb, ra)
                };
                uf[small as usize] = big;
                size[big as usize] += size[small as usize];
            }
        }
    }
    // Components of two vertices are matched at once: two vertices of a
    // live block are always joined by an edge (of positive weight without
    // maximum cardinality). The others are solved together, with local
    // vertex ids in increasing global order.
    let mut count = vec![0u32; n];
    let mut first = vec![NONE; n];
    for v in 0..n as u32 {
        if touched[v as usize] {
            let r = find(&mut uf, v) as usize;
            count[r] += 1;
            if count[r] == 1 {
                first[r] = v;
            } else if count[r] == 2 {
                mate[first[r] as usize] = Some(v);
                mate[v as usize] = Some(first[r]);
            }
        }
    }
    let mut local = vec![NONE; n];
    let mut verts: Vec<u32> = Vec::new();
    for v in 0..n as u32 {
        if touched[v as usize] && count[find(&mut uf, v) as usize] > 2 {
            mate[v as usize] = None;
            local[v as usize] = verts.len() as u32;
            verts.push(v);
        }
    }
    if verts.is_empty() {
        return mate;
    }
    let mut sides = Groups::default();
    for &k in &live {
        if local[groups.group(2 * k)[0].0 as usize] == NONE {
            continue;
        }
        for g in [2 * k, 2 * k + 1] {
            sides.push(groups.group(g).iter().map(|&(v, t)| (local[v as usize], t)));
        }
    }
    let local_mate = solve_graph(verts.len(), &sides, max_cardinality);
    for (i, &m) in local_mate.iter().enumerate() {
        if m != NONE {
            mate[verts[i] as usize] = Some(verts[m as usize]);
        }
    }
    mate
}

/// Solves a graph given with local vertex ids, all touched; returns the
/// local mates (`NONE` for exposed vertices).
fn solve_graph(n: usize, sides: &Groups<i128>, max_cardinality: bool) -> Vec<u32> {
    let range = |g: usize| {
        let s = sides.group(g);
        let lo = s.iter().map(|e| e.1).min().unwrap_or(0);
        let hi = s.iter().map(|e| e.1).max().unwrap_or(0);
        (lo, hi)
    };
    let blocks = sides.len() / 2;
    let bounds: Vec<((i128, i128), (i128, i128))> = (0..blocks)
        .map(|k| (range(2 * k), range(2 * k + 1)))
        .collect();
    let wmin = bounds.iter().map(|(l, r)| l.0 + r.0).min().unwrap_or(0);
    let wmax = bounds.iter().map(|(l, r)| l.1 + r.1).max().unwrap_or(0);
    // Doubled, shifted weights (see "Maximum cardinality first"); each
    // block's left terms lose their least value, which its right terms
    // gain with the shift, so that every term is in `[0, big]`.
    let (shift, big) = if max_cardinality {
        let c = (n as i128 / 2) * (wmax - wmin) + 1;
        (c - wmin, 2 * (wmax - wmin + c))
    } else {
        (0, 2 * wmax)
    };
    let mut terms: Groups<i128> = Groups::default();
    for (k, ((lmin, _), _)) in bounds.iter().enumerate() {
        terms.push(sides.group(2 * k).iter().map(|&(v, t)| (v, 2 * (t - lmin))));
        terms.push(
            sides
                .group(2 * k + 1)
                .iter()
                .map(|&(v, t)| (v, 2 * (t + lmin + shift))),
        );
    }
    let edges: u128 = (0..blocks)
        .map(|k| sides.group(2 * k).len() as u128 * sides.group(2 * k + 1).len() as u128)
        .sum();
    let start = if edges >= DENSE_DEGREE * n as u128 {
        Start::Half
    } else {
        Start::Heaviest
    };
    if 4 * big <= 1i128 << 61 {
        let mut narrow: Groups<i64> = Groups::default();
        for g in 0..terms.len() {
            narrow.push(terms.group(g).iter().map(|&(v, t)| (v, t as i64)));
        }
        Solver::<i64>::new(n, narrow).run(start)
    } else {
        Solver::<i128>::new(n, terms).run(start)
    }
}

/// The integer type duals are computed in (`i64`, or `i128` for huge weights).
trait Num: Copy + Ord + Add<Output = Self> + Sub<Output = Self> {
    /// Zero.
    const ZERO: Self;
    /// Three.
    const THREE: Self;
    /// Half of an even number.
    fn half(self) -> Self;
}

impl Num for i64 {
    const ZERO: Self = 0;
    const THREE: Self = 3;
    fn half(self) -> Self {
        self / 2
    }
}

impl Num for i128 {
    const ZERO: Self = 0;
    const THREE: Self = 3;
    fn half(self) -> Self {
        self / 2
    }
}

/// Label of a top-level node (vertex or outermost blossom) in the search.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Label {
    /// In no search tree.
    Free,
    /// Even (outer) node of a search tree: its dual decreases.
    S,
    /// Odd (inner) node of a search tree: its dual increases.
    T,
}

/// A vertex in the greedy start's heaps: `(key, matched, vertex, version)`.
type GreedyEntry<T> = Reverse<(T, bool, u32, u32)>;

/// A vertex in a heap: `(key, vertex, version)`.
type VertexEntry<T> = Reverse<(T, u32, u32)>;

/// An edge candidate: `(key, tag, x, version of x, y, version of y)` with
/// `x` an S-vertex; the tag is the group of `x` for an S-to-free candidate
/// and the block for an S-to-S one.
type PairEntry<T> = Reverse<(T, u32, u32, u32, u32, u32)>;

/// A candidate's identity: its key and `[x, version of x, y, version of y]`
/// (one vertex may be on a side twice, with two terms).
type PairTag<T> = (T, [u32; 4]);

/// State of the primal-dual search.
///
/// Nodes `0..n` are vertices, nodes `>= n` blossoms. Duals are lazy: with
/// `acc` the sum of all dual steps so far, a vertex's true dual is
/// `dual[v] - acc` if its top-level node is S, `dual[v] + acc` if T and
/// `dual[v]` if free; a top-level blossom's true dual is `dual[b] + 2 acc`
/// if S, `dual[b] - 2 acc` if T and `dual[b]` otherwise (nested blossoms
/// are always stored as their true dual, with label `Free`).
///
/// The vertices of an S-node stay S together until their tree dissolves,
/// and their stored duals do not move meanwhile: so a vertex's key in a
/// side heap (stored dual minus term) holds as long as its version, and
/// of two S-vertices of one side in the same top-level node the worse one
/// never matters for an S-to-S candidate again.
struct Solver<T> {
    /// Number of vertices.
    n: usize,
    /// The block sides, doubled terms.
    sides: Groups<T>,
    /// CSR offsets of each vertex's memberships, `n + 1` entries.
    v_start: Vec<usize>,
    /// Memberships: `(group, term)`.
    v_groups: Vec<(u32, T)>,
    /// Mate of each vertex, or `NONE`.
    mate: Vec<u32>,
    /// Representative of each vertex: a vertex of its top-level node, the
    /// same for all of them ([`Solver::top`]).
    rep: Vec<u32>,
    /// Top-level node of each representative.
    owner: Vec<u32>,
    /// Representative of each node's vertices when it is top-level (one
    /// of them); a blossom takes that of its largest child.
    node_rep: Vec<u32>,
    /// Number of vertices in each node.
    size: Vec<u32>,
    /// Enclosing blossom of each node, or `NONE` when top-level.
    parent: Vec<u32>,
    /// Children of each blossom, base child first, in cycle order.
    children: Vec<Vec<u32>>,
    /// `bedges[b][i] = (p, q)`: edge between child `i` (holding `p`) and
    /// child `i + 1` (holding `q`); odd-indexed ones are matched.
    bedges: Vec<Vec<(u32, u32)>>,
    /// Base vertex of each node.
    base: Vec<u32>,
    /// Label of each top-level node (`Free` for nested ones).
    label: Vec<Label>,
    /// Edge that labelled a node, `(vertex inside, vertex in the parent)`;
    /// `(NONE, NONE)` for a root. For S-nodes it is the matched edge of
    /// the base.
    ledge: Vec<(u32, u32)>,
    /// Search tree (its root vertex) of each labelled top-level node.
    tree: Vec<u32>,
    /// Stored duals (see the type docs).
    dual: Vec<T>,
    /// Generation of each blossom id, to recognise stale heap entries.
    generation: Vec<u32>,
    /// Released blossom ids.
    free_ids: Vec<u32>,
    /// Sum of all dual steps.
    acc: T,
    /// Vertices ever labelled in each tree (indexed by root vertex).
    tree_verts: Vec<Vec<u32>>,
    /// Number of live search trees.
    alive: usize,
    /// Stamps on vertices.
    vmark: Vec<u32>,
    /// Stamps on nodes.
    nmark: Vec<u32>,
    /// Current stamp.
    stamp: u32,
    /// Version of each vertex, changed whenever its label or stored dual
    /// changes; heap entries carry the version they were made with.
    version: Vec<u32>,
    /// S-vertices of each group: `(stored dual − term, v, version)`.
    s_heap: Vec<BinaryHeap<VertexEntry<T>>>,
    /// Free vertices of each group: `(dual − term, v, version)`.
    f_heap: Vec<BinaryHeap<VertexEntry<T>>>,
    /// S-vertex duals: `(stored dual, v, version)`.
    d1: BinaryHeap<VertexEntry<T>>,
    /// S-to-free candidates: key `slack + acc`, tagged with the S side.
    d2: BinaryHeap<PairEntry<T>>,
    /// S-to-S candidates between different top-level nodes: key
    /// `slack + 2 acc`, tagged with the block.
    d3: BinaryHeap<PairEntry<T>>,
    /// T-blossoms: `(stored dual, b, generation)`.
    d4: BinaryHeap<Reverse<(T, u32, u32)>>,
    /// The last candidate pushed for each S side (`d2`).
    last2: Vec<PairTag<T>>,
    /// The last candidate pushed for each block (`d3`).
    last3: Vec<PairTag<T>>,
    /// Sizes above which the event heaps are cleaned of stale entries.
    limits: [usize; 4],
    /// Scratch buffer for leaves.
    buf: Vec<u32>,
    /// Scratch stack.
    stack: Vec<u32>,
}

/// How the greedy start sets the first duals ([`Solver::greedy`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Start {
    /// At the largest incident weight: for sparse graphs, where many
    /// vertices have one or two neighbours.
    Heaviest,
    /// At half the heaviest weight: for dense graphs, where a vertex has
    /// many equally good neighbours.
    Half,
}

/// Average degree from which a graph counts as dense ([`Start::Half`]).
const DENSE_DEGREE: u128 = 32;

/// The smallest step found, and what it leads to.
enum Event {
    /// An S-vertex's dual reaches zero.
    VertexZero(u32),
    /// An S-to-free edge becomes tight.
    Grow(u32, u32),
    /// An S-to-S edge becomes tight.
    Shrink(u32, u32),
    /// A T-blossom's dual reaches zero.
    Expand(u32),
}

/// Keeps the smaller step (the earlier one on ties).
fn consider<T: Num>(best: &mut Option<(T, Event)>, delta: T, event: Event) {
    if best.as_ref().is_none_or(|(b, _)| delta < *b) {
        *best = Some((delta, event));
    }
}

/// The top entry of a heap whose version still holds; stale ones are
/// dropped on the way.
fn valid_top<T: Num>(heap: &mut BinaryHeap<VertexEntry<T>>, version: &[u32]) -> Option<(T, u32)> {
    while let Some(&Reverse((key, v, ver))) = heap.peek() {
        if version[v as usize] == ver {
            return Some((key, v));
        }
        heap.pop();
    }
    None
}

impl<T: Num> Solver<T> {
    /// Builds the solver for `n` vertices and block sides with doubled
    /// terms.
    fn new(n: usize, sides: Groups<T>) -> Self {
        let groups = sides.len();
        let mut deg = vec![0usize; n + 1];
        for &(v, _) in &sides.members {
            deg[v as usize + 1] += 1;
        }
        for i in 0..n {
            deg[i + 1] += deg[i];
        }
        let v_start = deg.clone();
        let mut fill = deg;
        let mut v_groups = vec![(0u32, T::ZERO); v_start[n]];
        for g in 0..groups {
            for &(v, t) in sides.group(g) {
                v_groups[fill[v as usize]] = (g as u32, t);
                fill[v as usize] += 1;
            }
        }
        let base_limit = 4 * (groups + n) + 1024;
        Solver {
            n,
            sides,
            v_start,
            v_groups,
            mate: vec![NONE; n],
            rep: (0..n as u32).collect(),
            owner: (0..n as u32).collect(),
            node_rep: (0..n as u32).collect(),
            size: vec![1; n],
            parent: vec![NONE; n],
            children: vec![Vec::new(); n],
            bedges: vec![Vec::new(); n],
            base: (0..n as u32).collect(),
            label: vec![Label::Free; n],
            ledge: vec![(NONE, NONE); n],
            tree: vec![NONE; n],
            dual: vec![T::ZERO; n],
            generation: vec![0; n],
            free_ids: Vec::new(),
            acc: T::ZERO,
            tree_verts: vec![Vec::new(); n],
            alive: 0,
            vmark: vec![0; n],
            nmark: vec![0; n],
            stamp: 0,
            version: vec![0; n],
            s_heap: vec![BinaryHeap::new(); groups],
            f_heap: vec![BinaryHeap::new(); groups],
            d1: BinaryHeap::new(),
            d2: BinaryHeap::new(),
            d3: BinaryHeap::new(),
            d4: BinaryHeap::new(),
            last2: vec![(T::ZERO, [NONE; 4]); groups],
            last3: vec![(T::ZERO, [NONE; 4]); groups / 2],
            limits: [base_limit; 4],
            buf: Vec::new(),
            stack: Vec::new(),
        }
    }

    /// Runs the search to optimality and returns the mates.
    fn run(mut self, start: Start) -> Vec<u32> {
        self.solve(start);
        self.mate
    }

    /// Runs the search to optimality: afterwards every node is free and
    /// every stored dual is a true dual.
    fn solve(&mut self, start: Start) {
        self.greedy(start);
        for v in 0..self.n as u32 {
            self.vertex_changed(v);
        }
        for v in 0..self.n as u32 {
            if self.mate[v as usize] == NONE && self.dual[v as usize] > T::ZERO {
                self.ledge[v as usize] = (NONE, NONE);
                self.set_label(v, Label::S, v);
                self.alive += 1;
            }
        }
        while self.alive > 0 {
            let Some((delta, event)) = self.next_event() else {
                break;
            };
            debug_assert!(delta >= T::ZERO, "negative dual step");
            self.acc = self.acc + delta;
            match event {
                Event::VertexZero(v) => self.vertex_zero(v),
                Event::Grow(x, y) => self.grow(x, y),
                Event::Shrink(x, y) => self.tight_ss(x, y),
                Event::Expand(b) => self.expand_t(b),
            }
            self.compact_heaps();
        }
    }

    /// Starting duals and matching, by a greedy pass over the vertices:
    /// each exposed vertex, if it can, lowers its dual by the least slack
    /// of its edges (never below zero) and is matched along the edge that
    /// became tight when it leads to an exposed neighbour (one is chosen on
    /// ties).
    ///
    /// - [`Start::Heaviest`]: duals start at the largest incident weight
    ///   and every exposed vertex lowers its dual, matched or not; many
    ///   reach zero and never root a tree.
    /// - [`Start::Half`]: duals start at half the heaviest weight (rounded
    ///   up to an even number), so every slack is at most the weight range
    ///   and ties abound; only the vertices that get matched lower their
    ///   duals, so the exposed ones keep equal duals and their trees reach
    ///   zero together at the end.
    fn greedy(&mut self, start: Start) {
        let groups = self.sides.len();
        let most: Vec<T> = (0..groups)
            .map(|g| {
                self.sides
                    .group(g)
                    .iter()
                    .map(|e| e.1)
                    .max()
                    .unwrap_or(T::ZERO)
            })
            .collect();
        match start {
            Start::Heaviest => {
                for v in 0..self.n {
                    let incident = self.v_groups[self.v_start[v]..self.v_start[v + 1]]
                        .iter()
                        .map(|&(g, t)| t + most[g as usize ^ 1]);
                    self.dual[v] = incident.max().unwrap_or(T::ZERO).max(T::ZERO);
                }
            }
            Start::Half => {
                let heaviest = (0..groups)
                    .map(|g| most[g] + most[g ^ 1])
                    .max()
                    .unwrap_or(T::ZERO)
                    .max(T::ZERO);
                let quarter = (heaviest + T::THREE).half().half();
                self.dual.iter_mut().for_each(|d| *d = quarter + quarter);
            }
        }
        // Per group: (dual − term, matched, vertex, version).
        let mut heaps: Vec<BinaryHeap<GreedyEntry<T>>> = (0..groups)
            .map(|g| {
                self.sides
                    .group(g)
                    .iter()
                    .map(|&(v, t)| Reverse((self.dual[v as usize] - t, false, v, 0)))
                    .collect()
            })
            .collect();
        let mut version = vec![0u32; self.n];
        for v in 0..self.n {
            if self.mate[v] != NONE {
                continue;
            }
            let yv = self.dual[v];
            // The least slack, to an exposed neighbour on ties (never `v`).
            let mut pick: Option<(T, bool, u32)> = None;
            for &(g, t) in &self.v_groups[self.v_start[v]..self.v_start[v + 1]] {
                let heap = &mut heaps[g as usize ^ 1];
                let mut held = Vec::new();
                let found = loop {
                    let Some(&Reverse((key, matched, y, ver))) = heap.peek() else {
                        break None;
                    };
                    if version[y as usize] != ver {
                        heap.pop();
                    } else if y as usize == v {
                        held.extend(heap.pop());
                    } else {
                        break Some((yv - t + key, matched, y));
                    }
                };
                heap.extend(held);
                if let Some(c) = found {
                    if pick.is_none_or(|p| c < p) {
                        pick = Some(c);
                    }
                }
            }
            let Some((s, matched, y)) = pick else {
                continue;
            };
            let mut changed = [NONE; 2];
            if s > yv {
                if start == Start::Heaviest {
                    self.dual[v] = T::ZERO;
                    changed[0] = v as u32;
                }
            } else if !matched {
                self.dual[v] = yv - s;
                self.mate[v] = y;
                self.mate[y as usize] = v as u32;
                changed = [v as u32, y];
            } else if start == Start::Heaviest {
                self.dual[v] = yv - s;
                changed[0] = v as u32;
            }
            for u in changed.into_iter().filter(|&u| u != NONE) {
                let ui = u as usize;
                version[ui] += 1;
                for &(g, t) in &self.v_groups[self.v_start[ui]..self.v_start[ui + 1]] {
                    heaps[g as usize].push(Reverse((
                        self.dual[ui] - t,
                        self.mate[ui] != NONE,
                        u,
                        version[ui],
                    )));
                }
            }
        }
    }

    /// Records that vertex `v`'s label or stored dual changed: a new
    /// version, and its entries in the heaps of its label.
    fn vertex_changed(&mut self, v: u32) {
        let vi = v as usize;
        let ver = self.version[vi].wrapping_add(1);
        self.version[vi] = ver;
        let d = self.dual[vi];
        let label = self.label[self.top(v) as usize];
        for i in self.v_start[vi]..self.v_start[vi + 1] {
            let (g, t) = self.v_groups[i];
            let gi = g as usize;
            match label {
                Label::S => {
                    self.s_heap[gi].push(Reverse((d - t, v, ver)));
                    self.compact_group(g);
                    self.refresh_d2(g);
                    self.refresh_d3(g / 2);
                }
                Label::Free => {
                    self.f_heap[gi].push(Reverse((d - t, v, ver)));
                    self.compact_group(g);
                    self.refresh_d2(g ^ 1);
                }
                Label::T => {}
            }
        }
        if label == Label::S {
            self.d1.push(Reverse((d, v, ver)));
        }
    }

    /// Drops the stale entries of group `g`'s heaps when they grow to twice
    /// the group's size.
    fn compact_group(&mut self, g: u32) {
        let gi = g as usize;
        let limit = 2 * self.sides.group(gi).len() + 16;
        let version = &self.version;
        for heap in [&mut self.s_heap[gi], &mut self.f_heap[gi]] {
            if heap.len() > limit {
                heap.retain(|&Reverse((_, v, ver))| version[v as usize] == ver);
            }
        }
    }

    /// The best S-vertex of group `g` outside top-level node `p`, the
    /// heap's (valid) top being inside `p`. Entries of `p` met on the way
    /// are dropped for good: the top stays, and is better.
    fn best_s_outside(&mut self, g: u32, p: u32) -> Option<(T, u32)> {
        let heap = &mut self.s_heap[g as usize];
        let first = heap.pop()?;
        let mut found = None;
        while let Some(&Reverse((key, v, ver))) = heap.peek() {
            if self.version[v as usize] == ver && self.owner[self.rep[v as usize] as usize] != p {
                found = Some((key, v));
                break;
            }
            heap.pop();
        }
        heap.push(first);
        found
    }

    /// Pushes the best S-to-free candidate of S side `g` (unless it is the
    /// last one pushed, still in the heap).
    fn refresh_d2(&mut self, g: u32) {
        let Some((kx, x)) = valid_top(&mut self.s_heap[g as usize], &self.version) else {
            return;
        };
        let Some((ky, y)) = valid_top(&mut self.f_heap[g as usize ^ 1], &self.version) else {
            return;
        };
        let tag = (
            kx + ky,
            [x, self.version[x as usize], y, self.version[y as usize]],
        );
        if self.last2[g as usize] != tag {
            self.last2[g as usize] = tag;
            let [x, xv, y, yv] = tag.1;
            self.d2.push(Reverse((tag.0, g, x, xv, y, yv)));
        }
    }

    /// Pushes the best S-to-S candidate of block `k` whose ends lie in
    /// different top-level nodes (unless it is the last one pushed).
    fn refresh_d3(&mut self, k: u32) {
        let (gx, gy) = (2 * k, 2 * k + 1);
        let Some((kx, x)) = valid_top(&mut self.s_heap[gx as usize], &self.version) else {
            return;
        };
        let Some((ky, y)) = valid_top(&mut self.s_heap[gy as usize], &self.version) else {
            return;
        };
        let p = self.top(x);
        let (key, x, y) = if p == self.top(y) {
            let a = self.best_s_outside(gx, p).map(|(k2, x2)| (k2 + ky, x2, y));
            let b = self.best_s_outside(gy, p).map(|(k2, y2)| (kx + k2, x, y2));
            match (a, b) {
                (Some(a), Some(b)) => a.min(b),
                (Some(c), None) | (None, Some(c)) => c,
                (None, None) => return,
            }
        } else {
            (kx + ky, x, y)
        };
        let tag = (
            key,
            [x, self.version[x as usize], y, self.version[y as usize]],
        );
        if self.last3[k as usize] != tag {
            self.last3[k as usize] = tag;
            let [x, xv, y, yv] = tag.1;
            self.d3.push(Reverse((tag.0, k, x, xv, y, yv)));
        }
    }
    /// Top-level node containing vertex `v`.
    #[inline]
    fn top(&self, v: u32) -> u32 {
        self.owner[self.rep[v as usize] as usize]
    }

    /// Makes `c`, a child of an expanded blossom whose representative was
    /// `r`, top-level: the child that gave `r` keeps it, the others' leaves
    /// get their own back.
    fn make_top(&mut self, c: u32, r: u32, buf: &mut Vec<u32>) {
        let own = self.node_rep[c as usize];
        if own != r {
            self.leaves(c, buf);
            for &v in buf.iter() {
                self.rep[v as usize] = own;
            }
        }
        self.owner[own as usize] = c;
    }

    /// True dual of vertex `v`.
    fn y(&self, v: u32) -> T {
        let d = self.dual[v as usize];
        match self.label[self.top(v) as usize] {
            Label::S => d - self.acc,
            Label::T => d + self.acc,
            Label::Free => d,
        }
    }

    /// True dual of node `b` (a blossom; top-level or nested).
    fn z(&self, b: u32) -> T {
        let d = self.dual[b as usize];
        match self.label[b as usize] {
            Label::S => d + self.acc + self.acc,
            Label::T => d - self.acc - self.acc,
            Label::Free => d,
        }
    }

    /// Next stamp value.
    fn next_stamp(&mut self) -> u32 {
        if self.stamp == u32::MAX {
            self.vmark.iter_mut().for_each(|m| *m = 0);
            self.nmark.iter_mut().for_each(|m| *m = 0);
            self.stamp = 0;
        }
        self.stamp += 1;
        self.stamp
    }

    /// Puts the vertices under node `b` into `out` (cleared first).
    fn leaves(&mut self, b: u32, out: &mut Vec<u32>) {
        out.clear();
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        stack.push(b);
        while let Some(x) = stack.pop() {
            if (x as usize) < self.n {
                out.push(x);
            } else {
                stack.extend_from_slice(&self.children[x as usize]);
            }
        }
        self.stack = stack;
    }

    /// Allocates a blossom id.
    fn new_blossom(&mut self) -> u32 {
        if let Some(b) = self.free_ids.pop() {
            return b;
        }
        let b = self.parent.len() as u32;
        self.parent.push(NONE);
        self.node_rep.push(NONE);
        self.size.push(0);
        self.children.push(Vec::new());
        self.bedges.push(Vec::new());
        self.base.push(NONE);
        self.label.push(Label::Free);
        self.ledge.push((NONE, NONE));
        self.tree.push(NONE);
        self.dual.push(T::ZERO);
        self.generation.push(0);
        self.nmark.push(0);
        b
    }

    /// Releases blossom id `b`.
    fn release(&mut self, b: u32) {
        let i = b as usize;
        self.children[i].clear();
        self.bedges[i].clear();
        self.label[i] = Label::Free;
        self.parent[i] = NONE;
        self.generation[i] = self.generation[i].wrapping_add(1);
        self.free_ids.push(b);
    }

    /// Gives top-level node `b` label `new` in tree `r`, keeping true duals.
    fn set_label(&mut self, b: u32, new: Label, r: u32) {
        let old = self.label[b as usize];
        let mut buf = std::mem::take(&mut self.buf);
        self.leaves(b, &mut buf);
        let acc = self.acc;
        for &v in &buf {
            let d = self.dual[v as usize];
            let y = match old {
                Label::S => d - acc,
                Label::T => d + acc,
                Label::Free => d,
            };
            let stored = match new {
                Label::S => y + acc,
                Label::T => y - acc,
                Label::Free => y,
            };
            self.dual[v as usize] = stored;
            if new != Label::Free {
                self.tree_verts[r as usize].push(v);
            }
        }
        if b as usize >= self.n {
            let z = self.z(b);
            self.dual[b as usize] = match new {
                Label::S => z - acc - acc,
                Label::T => z + acc + acc,
                Label::Free => z,
            };
        }
        self.label[b as usize] = new;
        self.tree[b as usize] = r;
        if new == Label::T && b as usize >= self.n {
            self.d4.push(Reverse((
                self.dual[b as usize],
                b,
                self.generation[b as usize],
            )));
        }
        for &v in &buf {
            self.vertex_changed(v);
        }
        self.buf = buf;
    }

    /// Tight edge from S-vertex `x` to `y` in a free node: augment if that
    /// node's base is exposed, else label it T and its mate's node S.
    fn grow(&mut self, x: u32, y: u32) {
        let node = self.top(y);
        let node_base = self.base[node as usize];
        let base_mate = self.mate[node_base as usize];
        if base_mate == NONE {
            self.augment(x, y);
            return;
        }
        let root = self.tree[self.top(x) as usize];
        self.ledge[node as usize] = (y, x);
        self.set_label(node, Label::T, root);
        let next = self.top(base_mate);
        self.ledge[next as usize] = (base_mate, node_base);
        self.set_label(next, Label::S, root);
    }

    /// Tight edge between S-vertices `x` and `y` of different top nodes.
    fn tight_ss(&mut self, x: u32, y: u32) {
        let bx = self.top(x);
        let by = self.top(y);
        if self.tree[bx as usize] != self.tree[by as usize] {
            self.augment(x, y);
            return;
        }
        // Lowest common ancestor of bx and by in their tree.
        let stamp = self.next_stamp();
        let (mut a, mut b) = (bx, by);
        let mut lca = NONE;
        while a != NONE || b != NONE {
            if a != NONE {
                if self.nmark[a as usize] == stamp {
                    lca = a;
                    break;
                }
                self.nmark[a as usize] = stamp;
                a = self.tree_parent(a);
            }
            std::mem::swap(&mut a, &mut b);
        }
        if lca != NONE {
            self.make_blossom(lca, x, y);
        }
    }

    /// Parent S-node of S-node `a` in its tree, or `NONE` for the root.
    fn tree_parent(&self, a: u32) -> u32 {
        let (_, m) = self.ledge[a as usize];
        if m == NONE {
            return NONE;
        }
        let t = self.top(m);
        let (_, s) = self.ledge[t as usize];
        if s == NONE {
            return NONE;
        }
        self.top(s)
    }

    /// Path of top nodes from `from` up to (excluding) `to`.
    fn path_to(&self, from: u32, to: u32) -> Vec<u32> {
        let mut path = Vec::new();
        let mut cur = from;
        while cur != to && cur != NONE {
            path.push(cur);
            let (_, up) = self.ledge[cur as usize];
            if up == NONE {
                break;
            }
            cur = self.top(up);
        }
        path
    }

    /// Shrinks the odd cycle closed by tight edge `(x, y)` through `lca`.
    fn make_blossom(&mut self, lca: u32, x: u32, y: u32) {
        let px = self.path_to(self.top(x), lca);
        let py = self.path_to(self.top(y), lca);
        let id = self.new_blossom();
        let mut ch = Vec::with_capacity(px.len() + py.len() + 1);
        let mut be = Vec::with_capacity(px.len() + py.len() + 1);
        ch.push(lca);
        for &c in px.iter().rev() {
            let (inside, up) = self.ledge[c as usize];
            be.push((up, inside));
            ch.push(c);
        }
        be.push((x, y));
        for &c in &py {
            ch.push(c);
            be.push(self.ledge[c as usize]);
        }
        let acc = self.acc;
        let mut buf = std::mem::take(&mut self.buf);
        // The leaves take the representative of the largest child, whose
        // own leaves are not visited unless they change label: the
        // vertices of T-children become S.
        let big = ch
            .iter()
            .copied()
            .max_by_key(|&c| (self.size[c as usize], Reverse(c)))
            .unwrap_or(lca);
        let r = self.node_rep[big as usize];
        let mut size = 0;
        let mut now_s = Vec::new();
        for &c in &ch {
            let old = self.label[c as usize];
            if c as usize >= self.n {
                self.dual[c as usize] = self.z(c);
            }
            size += self.size[c as usize];
            if c != big || old == Label::T {
                self.leaves(c, &mut buf);
                for &v in &buf {
                    self.rep[v as usize] = r;
                    if old == Label::T {
                        self.dual[v as usize] = self.dual[v as usize] + acc + acc;
                        now_s.push(v);
                    }
                }
            }
            self.label[c as usize] = Label::Free;
            self.parent[c as usize] = id;
        }
        self.buf = buf;
        self.size[id as usize] = size;
        self.node_rep[id as usize] = r;
        self.owner[r as usize] = id;
        let i = id as usize;
        self.base[i] = self.base[lca as usize];
        self.ledge[i] = self.ledge[lca as usize];
        self.tree[i] = self.tree[lca as usize];
        self.label[i] = Label::S;
        self.parent[i] = NONE;
        self.dual[i] = T::ZERO - acc - acc;
        self.generation[i] = self.generation[i].wrapping_add(1);
        self.children[i] = ch;
        self.bedges[i] = be;
        for v in now_s {
            self.vertex_changed(v);
        }
    }

    /// Makes vertex `v` the base of node `b`, flipping the matching inside
    /// (every other vertex of `b` stays matched inside `b`).
    fn augment_blossom(&mut self, blossom: u32, vertex: u32) {
        let mut work = vec![(blossom, vertex)];
        while let Some((node, new_base)) = work.pop() {
            if (node as usize) < self.n {
                continue;
            }
            let mut child = new_base;
            while self.parent[child as usize] != node {
                child = self.parent[child as usize];
                if child == NONE {
                    return;
                }
            }
            work.push((child, new_base));
            let bi = node as usize;
            let len = self.children[bi].len();
            let Some(pos) = self.children[bi].iter().position(|&x| x == child) else {
                return;
            };
            if pos > 0 {
                // Flip the even path from `child` to the base child: forward
                // from an odd position, backward from an even one.
                let flipped: Vec<usize> = if pos % 2 == 1 {
                    (pos + 1..len).step_by(2).collect()
                } else {
                    (0..pos - 1).step_by(2).collect()
                };
                for idx in flipped {
                    let (p, q) = self.bedges[bi][idx];
                    self.mate[p as usize] = q;
                    self.mate[q as usize] = p;
                    work.push((self.children[bi][idx], p));
                    work.push((self.children[bi][(idx + 1) % len], q));
                }
                self.children[bi].rotate_left(pos);
                self.bedges[bi].rotate_left(pos);
            }
            self.base[bi] = new_base;
        }
    }

    /// Flips the alternating path from S-vertex `x` to its tree's root and
    /// matches `x` to `partner` (or leaves it exposed with `NONE`).
    fn augment_side(&mut self, x: u32, partner: u32) {
        let (mut cur, mut cur_partner) = (x, partner);
        loop {
            let snode = self.top(cur);
            let (old_base, old_mate) = self.ledge[snode as usize];
            self.augment_blossom(snode, cur);
            self.mate[cur as usize] = cur_partner;
            if old_base == NONE || old_mate == NONE {
                break;
            }
            let tnode = self.top(old_mate);
            let (entry, outer) = self.ledge[tnode as usize];
            self.augment_blossom(tnode, entry);
            self.mate[entry as usize] = outer;
            cur = outer;
            cur_partner = entry;
        }
    }

    /// Augments along tight edge `(x, y)`: `x` is an S-vertex, `y` an
    /// S-vertex of another tree or in a free node with an exposed base.
    fn augment(&mut self, x: u32, y: u32) {
        let rx = self.tree[self.top(x) as usize];
        let by = self.top(y);
        if self.label[by as usize] == Label::S {
            let ry = self.tree[by as usize];
            self.augment_side(x, y);
            self.augment_side(y, x);
            self.dissolve(rx);
            self.dissolve(ry);
        } else {
            self.augment_side(x, y);
            self.augment_blossom(by, y);
            self.mate[y as usize] = x;
            self.dissolve(rx);
        }
    }

    /// An S-vertex's dual reached zero: retire its tree if it is the root,
    /// else make it the exposed vertex by flipping the path to the root.
    fn vertex_zero(&mut self, v: u32) {
        let b = self.top(v);
        let r = self.tree[b as usize];
        if !(self.ledge[b as usize].0 == NONE && self.base[b as usize] == v) {
            self.augment_side(v, NONE);
        }
        self.dissolve(r);
    }

    /// Removes tree `r`: materialises the duals of its nodes, frees them,
    /// expands its S-blossoms of zero dual and puts its vertices back in
    /// their sides' free heaps.
    fn dissolve(&mut self, r: u32) {
        let verts = std::mem::take(&mut self.tree_verts[r as usize]);
        let stamp = self.next_stamp();
        let mut nodes = Vec::new();
        let mut freed = Vec::new();
        for &v in &verts {
            let b = self.top(v);
            if self.label[b as usize] == Label::Free
                || self.tree[b as usize] != r
                || self.vmark[v as usize] == stamp
            {
                continue;
            }
            self.vmark[v as usize] = stamp;
            freed.push(v);
            if self.nmark[b as usize] != stamp {
                self.nmark[b as usize] = stamp;
                nodes.push(b);
            }
        }
        // True duals of the vertices, with the labels still in place.
        let ys: Vec<T> = freed.iter().map(|&v| self.y(v)).collect();
        for (&v, &y) in freed.iter().zip(&ys) {
            self.dual[v as usize] = y;
        }
        let mut expand = Vec::new();
        for &b in &nodes {
            if b as usize >= self.n {
                let z = self.z(b);
                self.dual[b as usize] = z;
                if z == T::ZERO && self.label[b as usize] == Label::S {
                    expand.push(b);
                }
            }
            self.label[b as usize] = Label::Free;
            self.tree[b as usize] = NONE;
        }
        self.alive = self.alive.saturating_sub(1);
        for b in expand {
            self.expand_free(b);
        }
        for &v in &freed {
            self.vertex_changed(v);
        }
        let mut verts = verts;
        verts.clear();
        if self.tree_verts[r as usize].is_empty() {
            self.tree_verts[r as usize] = verts;
        }
    }

    /// Expands free blossom `b` of zero dual, and nested ones of zero dual.
    fn expand_free(&mut self, b: u32) {
        let mut todo = vec![b];
        let mut buf = std::mem::take(&mut self.buf);
        while let Some(b) = todo.pop() {
            let r = self.node_rep[b as usize];
            let ch = std::mem::take(&mut self.children[b as usize]);
            for &c in &ch {
                self.parent[c as usize] = NONE;
                self.label[c as usize] = Label::Free;
                self.make_top(c, r, &mut buf);
                if c as usize >= self.n && self.dual[c as usize] == T::ZERO {
                    todo.push(c);
                }
            }
            self.release(b);
        }
        self.buf = buf;
    }

    /// Expands T-blossom `b` whose dual reached zero: the children on the
    /// even path from the entry child to the base child become T, S, …, T;
    /// the others become free.
    fn expand_t(&mut self, blossom: u32) {
        let root = self.tree[blossom as usize];
        let (entry_vertex, outer) = self.ledge[blossom as usize];
        let acc = self.acc;
        let mut buf = std::mem::take(&mut self.buf);
        self.leaves(blossom, &mut buf);
        for &v in &buf {
            self.dual[v as usize] = self.dual[v as usize] + acc;
        }
        let mut entry = entry_vertex;
        while entry != NONE && self.parent[entry as usize] != blossom {
            entry = self.parent[entry as usize];
        }
        let r = self.node_rep[blossom as usize];
        let ch = std::mem::take(&mut self.children[blossom as usize]);
        let be = std::mem::take(&mut self.bedges[blossom as usize]);
        for &child in &ch {
            self.parent[child as usize] = NONE;
            self.label[child as usize] = Label::Free;
            self.make_top(child, r, &mut buf);
        }
        self.buf = buf;
        self.release(blossom);
        let len = ch.len();
        let first = ch.iter().position(|&c| c == entry).unwrap_or(0);
        self.ledge[ch[first] as usize] = (entry_vertex, outer);
        self.set_label(ch[first], Label::T, root);
        let mut on_path = vec![false; len];
        on_path[first] = true;
        // Label the even path from the entry child to the base child:
        // backward from an even position, forward from an odd one.
        let mut idx = first;
        while idx % len != 0 {
            let (s_child, s_edge, t_child, t_edge) = if first % 2 == 0 {
                let (p, q) = be[idx - 1];
                let (p2, q2) = be[idx - 2];
                (idx - 1, (p, q), idx - 2, (p2, q2))
            } else {
                let (p, q) = be[idx];
                let next = (idx + 1) % len;
                let (p2, q2) = be[next];
                (next, (q, p), (next + 1) % len, (q2, p2))
            };
            self.ledge[ch[s_child] as usize] = s_edge;
            self.set_label(ch[s_child], Label::S, root);
            self.ledge[ch[t_child] as usize] = t_edge;
            self.set_label(ch[t_child], Label::T, root);
            on_path[s_child] = true;
            on_path[t_child] = true;
            idx = t_child;
        }
        let mut buf = std::mem::take(&mut self.buf);
        for (i, &child) in ch.iter().enumerate() {
            if !on_path[i] {
                self.leaves(child, &mut buf);
                for &v in &buf {
                    self.vertex_changed(v);
                }
            }
        }
        self.buf = buf;
    }

    /// Whether an S-to-free candidate still holds.
    fn valid_d2(&self, e: &PairEntry<T>) -> bool {
        let Reverse((_, _, x, xv, y, yv)) = *e;
        self.version[x as usize] == xv && self.version[y as usize] == yv
    }

    /// Whether an S-to-S candidate still holds (its ends may have come into
    /// one blossom since).
    fn valid_d3(&self, e: &PairEntry<T>) -> bool {
        let Reverse((_, _, x, xv, y, yv)) = *e;
        self.version[x as usize] == xv
            && self.version[y as usize] == yv
            && self.top(x) != self.top(y)
    }

    /// Whether a d4 entry still describes a top-level T-blossom.
    fn valid_d4(&self, e: &Reverse<(T, u32, u32)>) -> bool {
        let Reverse((key, b, g)) = *e;
        let i = b as usize;
        self.generation[i] == g
            && self.parent[i] == NONE
            && self.label[i] == Label::T
            && self.dual[i] == key
    }

    /// Drops stale entries when an event heap has grown past its limit;
    /// the limit then becomes twice what is left. Dropped candidates may
    /// have been the only lower bound of a block's best: every side and
    /// block gets its current best again.
    fn compact_heaps(&mut self) {
        if self.d2.len() > self.limits[0] {
            let mut h = std::mem::take(&mut self.d2);
            h.retain(|e| self.valid_d2(e));
            self.d2 = h;
            self.last2.iter_mut().for_each(|t| t.1 = [NONE; 4]);
            for g in 0..self.sides.len() as u32 {
                self.refresh_d2(g);
            }
            self.limits[0] = self.limits[0].max(2 * self.d2.len());
        }
        if self.d3.len() > self.limits[1] {
            let mut h = std::mem::take(&mut self.d3);
            h.retain(|e| self.valid_d3(e));
            self.d3 = h;
            self.last3.iter_mut().for_each(|t| t.1 = [NONE; 4]);
            for k in 0..self.last3.len() as u32 {
                self.refresh_d3(k);
            }
            self.limits[1] = self.limits[1].max(2 * self.d3.len());
        }
        if self.d1.len() > self.limits[2] {
            let version = &self.version;
            self.d1
                .retain(|&Reverse((_, v, ver))| version[v as usize] == ver);
            self.limits[2] = self.limits[2].max(2 * self.d1.len());
        }
        if self.d4.len() > self.limits[3] {
            let mut h = std::mem::take(&mut self.d4);
            h.retain(|e| self.valid_d4(e));
            self.d4 = h;
            self.limits[3] = self.limits[3].max(2 * self.d4.len());
        }
    }

    /// The smallest dual step and the event it triggers. A stale edge
    /// candidate on top is replaced by its side's or block's current best.
    /// Among equal steps, a dual reaching zero comes first, then an S-to-S
    /// edge, then growth: trees are retired or consumed before they grow
    /// over vertices they would only give back.
    fn next_event(&mut self) -> Option<(T, Event)> {
        let mut best: Option<(T, Event)> = None;
        while let Some(&Reverse((key, v, ver))) = self.d1.peek() {
            if self.version[v as usize] == ver {
                consider(&mut best, key - self.acc, Event::VertexZero(v));
                break;
            }
            self.d1.pop();
        }
        while let Some(e) = self.d3.peek() {
            let Reverse((key, k, x, _, y, _)) = *e;
            if self.valid_d3(e) {
                consider(
                    &mut best,
                    (key - self.acc - self.acc).half(),
                    Event::Shrink(x, y),
                );
                break;
            }
            self.d3.pop();
            self.refresh_d3(k);
        }
        while let Some(e) = self.d2.peek() {
            let Reverse((key, g, x, _, y, _)) = *e;
            if self.valid_d2(e) {
                consider(&mut best, key - self.acc, Event::Grow(x, y));
                break;
            }
            self.d2.pop();
            self.refresh_d2(g);
        }
        while let Some(e) = self.d4.peek() {
            if self.valid_d4(e) {
                let Reverse((key, b, _)) = *e;
                consider(&mut best, key.half() - self.acc, Event::Expand(b));
                break;
            }
            self.d4.pop();
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-written xorshift64 generator (no external crate).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, k: u64) -> u64 {
            self.next() % k
        }

        fn range(&mut self, lo: i64, hi: i64) -> i64 {
            let span = u128::from(hi.abs_diff(lo)) + 1;
            lo.wrapping_add_unsigned((u128::from(self.next()) % span) as u64)
        }
    }

    /// Heaviest weight per vertex pair (`None`: no edge), as the solver sees
    /// the input (self-loops and out-of-range endpoints ignored).
    fn matrix(n: usize, edges: &[(u32, u32, i64)]) -> Vec<Vec<Option<i64>>> {
        let mut w = vec![vec![None; n]; n];
        for &(a, b, x) in edges {
            let (a, b) = (a as usize, b as usize);
            if a == b || a >= n || b >= n {
                continue;
            }
            let cur: &mut Option<i64> = &mut w[a][b];
            if cur.is_none_or(|c| x > c) {
                w[a][b] = Some(x);
                w[b][a] = Some(x);
            }
        }
        w
    }

    /// Checks that `mate` is a matching of the graph; returns (pairs, weight).
    fn evaluate(w: &[Vec<Option<i64>>], mate: &[Option<u32>]) -> (usize, i128) {
        assert_eq!(mate.len(), w.len());
        let (mut pairs, mut weight) = (0, 0i128);
        for (v, m) in mate.iter().enumerate() {
            if let Some(u) = *m {
                let u = u as usize;
                assert_eq!(mate[u], Some(v as u32), "asymmetric mates {v} {u}");
                let x = w[v][u].expect("matched along a missing edge");
                if v < u {
                    pairs += 1;
                    weight += i128::from(x);
                }
            }
        }
        (pairs, weight)
    }

    /// Exhaustive search: best (pairs, weight) lexicographically, and best
    /// weight, over all matchings.
    fn brute(w: &[Vec<Option<i64>>]) -> ((usize, i128), i128) {
        fn rec(
            w: &[Vec<Option<i64>>],
            used: &mut [bool],
            card: usize,
            weight: i128,
            best: &mut ((usize, i128), i128),
        ) {
            let n = w.len();
            let Some(v) = (0..n).find(|&v| !used[v]) else {
                best.0 = best.0.max((card, weight));
                best.1 = best.1.max(weight);
                return;
            };
            used[v] = true;
            rec(w, used, card, weight, best);
            for u in v + 1..n {
                if let (false, Some(x)) = (used[u], w[v][u]) {
                    used[u] = true;
                    rec(w, used, card + 1, weight + i128::from(x), best);
                    used[u] = false;
                }
            }
            used[v] = false;
        }
        let mut best = ((0, 0), 0);
        rec(w, &mut vec![false; w.len()], 0, 0, &mut best);
        best
    }

    /// A random graph with up to `max_n` vertices and weights of a random
    /// kind; may contain self-loops, parallel and out-of-range edges.
    fn random_graph(rng: &mut Rng, max_n: u64) -> (usize, Vec<(u32, u32, i64)>) {
        let n = rng.below(max_n + 1) as usize;
        let density = 1 + rng.below(100);
        let kind = rng.below(6);
        let mut edges = Vec::new();
        let weight = |rng: &mut Rng| match kind {
            0 => rng.range(1, 10),
            1 => rng.range(-5, 10),
            2 => 7,
            3 => rng.range(1, 3),
            4 => rng.range(i64::MIN / 2, i64::MAX),
            _ => rng.range(1, 1_000_000),
        };
        for a in 0..n as u32 {
            for b in a + 1..n as u32 {
                if rng.below(100) < density {
                    let x = weight(rng);
                    if rng.below(2) == 0 {
                        edges.push((a, b, x));
                    } else {
                        edges.push((b, a, x));
                    }
                }
            }
        }
        if n > 0 && rng.below(4) == 0 {
            for _ in 0..3 {
                let a = rng.below(n as u64) as u32;
                let b = rng.below(n as u64 + 2) as u32;
                let x = weight(rng);
                edges.push((a, b, x));
                edges.push((a, a, x));
            }
        }
        (n, edges)
    }

    #[test]
    fn brute_force_small_graphs() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let cases = 4000;
        for case in 0..cases {
            let (n, edges) = random_graph(&mut rng, 12);
            let w = matrix(n, &edges);
            let (best_card, best_weight) = brute(&w);
            let mc = evaluate(&w, &max_weight_matching(n, &edges, true));
            assert_eq!(
                mc, best_card,
                "case {case}, max cardinality: n={n} {edges:?}"
            );
            // Both greedy starts, on one solver, with their certificates
            // (in `i64`: moderate weights only).
            if edges.iter().all(|e| e.2.abs() <= 1_000_000) {
                let direct = evaluate(&w, &certified(n, &edges, true));
                assert_eq!(direct, best_card, "case {case}, both starts");
            }
            let mw = evaluate(&w, &max_weight_matching(n, &edges, false));
            assert_eq!(
                mw.1, best_weight,
                "case {case}, max weight: n={n} {edges:?}"
            );
        }
    }

    /// Checks LP optimality of a finished solver: duals feasible, matched
    /// edges tight, exposed vertices of zero dual, blossoms of positive dual
    /// full.
    fn check_certificate<T: Num + std::fmt::Debug>(s: &Solver<T>, edges: &[(u32, u32, T)]) {
        let n = s.n;
        assert!(s.label.iter().all(|&l| l == Label::Free));
        let ancestors = |v: u32| {
            let mut out = Vec::new();
            let mut b = s.parent[v as usize];
            while b != NONE {
                out.push(b);
                b = s.parent[b as usize];
            }
            out
        };
        for v in 0..n {
            assert!(s.dual[v] >= T::ZERO, "negative vertex dual");
            if s.mate[v] == NONE {
                assert!(
                    s.dual[v] == T::ZERO,
                    "exposed vertex {v} with dual {:?}",
                    s.dual[v]
                );
            } else {
                assert_eq!(s.mate[s.mate[v] as usize], v as u32);
            }
            for b in ancestors(v as u32) {
                assert!(s.dual[b as usize] >= T::ZERO, "negative blossom dual");
                assert!(s.top(v as u32) != b || s.parent[b as usize] == NONE);
            }
        }
        let mut matched_edges = 0;
        for &(a, b, w) in edges {
            let (pa, pb) = (ancestors(a), ancestors(b));
            let mut slack = s.dual[a as usize] + s.dual[b as usize] - w;
            for x in &pa {
                if pb.contains(x) {
                    slack = slack + s.dual[*x as usize];
                }
            }
            assert!(slack >= T::ZERO, "negative slack on {a}-{b}: {slack:?}");
            if s.mate[a as usize] == b {
                matched_edges += 1;
                assert!(slack == T::ZERO, "matched edge {a}-{b} not tight");
            }
        }
        let matched_vertices = s.mate.iter().filter(|&&m| m != NONE).count();
        assert_eq!(2 * matched_edges, matched_vertices, "mate along a non-edge");
        // Blossoms with a positive dual are full.
        let mut members = std::collections::BTreeMap::<u32, (usize, usize)>::default();
        for v in 0..n as u32 {
            for b in ancestors(v) {
                let e = members.entry(b).or_default();
                e.0 += 1;
                let m = s.mate[v as usize];
                if m != NONE && ancestors(m).contains(&b) {
                    e.1 += 1;
                }
            }
        }
        for (b, (size, inside)) in members {
            assert!(size >= 3 && size % 2 == 1, "blossom {b} of size {size}");
            if s.dual[b as usize] > T::ZERO {
                assert_eq!(inside, size - 1, "blossom {b} with positive dual not full");
            }
        }
    }

    /// Runs the solver directly (no component split) and checks the
    /// certificate; returns the mates.
    fn certified(n: usize, edges: &[(u32, u32, i64)], max_cardinality: bool) -> Vec<Option<u32>> {
        let mut list: Vec<(u32, u32, i64)> = edges
            .iter()
            .filter(|e| e.0 != e.1 && e.0.max(e.1) < n as u32 && (max_cardinality || e.2 > 0))
            .copied()
            .collect();
        list.sort_unstable_by_key(|e| (e.0.min(e.1), e.0.max(e.1), Reverse(e.2)));
        list.dedup_by_key(|e| (e.0.min(e.1), e.0.max(e.1)));
        let (wmin, wmax) = (
            list.iter().map(|e| e.2).min().unwrap_or(0),
            list.iter().map(|e| e.2).max().unwrap_or(0),
        );
        let shift = if max_cardinality {
            i64::try_from(n / 2).unwrap() * (wmax - wmin) + 1 - wmin
        } else {
            0
        };
        let es: Vec<(u32, u32, i64)> = list.iter().map(|e| (e.0, e.1, 2 * (e.2 + shift))).collect();
        let mut mates = Vec::new();
        for start in [Start::Heaviest, Start::Half] {
            let mut sides = Groups::default();
            for &(a, b, w) in &es {
                sides.push([(a, w)]);
                sides.push([(b, 0)]);
            }
            let mut s = Solver::<i64>::new(n, sides);
            s.solve(start);
            check_certificate(&s, &es);
            mates.push(s.mate);
        }
        // Both starts reach optima of the same weight.
        let w = matrix(n, edges);
        let weigh = |m: &[u32]| {
            let m: Vec<Option<u32>> = m.iter().map(|&m| (m != NONE).then_some(m)).collect();
            evaluate(&w, &m)
        };
        let (a, b) = (weigh(&mates[0]), weigh(&mates[1]));
        assert_eq!(a.1, b.1);
        if max_cardinality {
            assert_eq!(a.0, b.0);
        }
        mates[0].iter().map(|&m| (m != NONE).then_some(m)).collect()
    }

    #[test]
    fn certificate_on_larger_random_graphs() {
        let mut rng = Rng(0x1234_5678_9ABC_DEF1);
        for case in 0..300 {
            let n = 20 + rng.below(280) as usize;
            let avg_deg = 1 + rng.below(12);
            let m = n as u64 * avg_deg / 2;
            let maxw = [1, 2, 5, 10, 1000][rng.below(5) as usize];
            let edges: Vec<(u32, u32, i64)> = (0..m)
                .map(|_| {
                    (
                        rng.below(n as u64) as u32,
                        rng.below(n as u64) as u32,
                        rng.range(1, maxw),
                    )
                })
                .collect();
            let w = matrix(n, &edges);
            for mc in [true, false] {
                let direct = evaluate(&w, &certified(n, &edges, mc));
                let split = evaluate(&w, &max_weight_matching(n, &edges, mc));
                // Without maximum cardinality, equal weights may come with
                // different pair counts.
                if mc {
                    assert_eq!(direct, split, "case {case}");
                } else {
                    assert_eq!(direct.1, split.1, "case {case}");
                }
            }
        }
    }

    /// Each visitor's service and up to five distinct wished services,
    /// never their own, in rank order.
    fn random_wishes(
        rng: &mut Rng,
        services: usize,
        visitors: usize,
    ) -> (Vec<usize>, Vec<Vec<usize>>) {
        let mut origin = Vec::new();
        let mut wishes: Vec<Vec<usize>> = Vec::new();
        for _ in 0..visitors {
            let o = rng.below(services as u64) as usize;
            let mut ws: Vec<usize> = Vec::new();
            for _ in 0..=rng.below(5) {
                let d = rng.below(services as u64) as usize;
                if d != o && !ws.contains(&d) {
                    ws.push(d);
                }
            }
            origin.push(o);
            wishes.push(ws);
        }
        (origin, wishes)
    }

    #[test]
    fn certificate_on_reciprocal_like_graphs() {
        // Groups of visitors (origin o, wish d) joined completely to groups
        // (origin d, wish o), weight (6 - rank_a) + (6 - rank_b).
        let mut rng = Rng(0xDEAD_BEEF_CAFE_F00D);
        for _ in 0..20 {
            let services = 3 + rng.below(10) as usize;
            let visitors = 50 + rng.below(400) as usize;
            let (origin, wishes) = random_wishes(&mut rng, services, visitors);
            let mut edges = Vec::new();
            for a in 0..visitors {
                for b in a + 1..visitors {
                    let ra = wishes[a].iter().position(|&d| d == origin[b]);
                    let rb = wishes[b].iter().position(|&d| d == origin[a]);
                    if let (Some(ra), Some(rb)) = (ra, rb) {
                        let w = 10 - i64::try_from(ra + rb).unwrap();
                        edges.push((a as u32, b as u32, w));
                    }
                }
            }
            let w = matrix(visitors, &edges);
            for mc in [true, false] {
                let direct = evaluate(&w, &certified(visitors, &edges, mc));
                let split = evaluate(&w, &max_weight_matching(visitors, &edges, mc));
                if mc {
                    assert_eq!(direct, split);
                } else {
                    assert_eq!(direct.1, split.1);
                }
            }
        }
    }

    /// One block of a graph given as bicliques.
    #[derive(Debug)]
    struct Biclique {
        left: Vec<(u32, i64)>,
        right: Vec<(u32, i64)>,
    }

    /// The matching of a graph given as bicliques.
    fn max_weight_matching_bicliques(n: usize, blocks: &[Biclique]) -> Vec<Option<u32>> {
        let mut g = Bicliques::new(n);
        for b in blocks {
            g.push(b.left.iter().copied(), b.right.iter().copied());
        }
        g.max_weight_matching()
    }

    /// A random graph as bicliques on up to `max_n` vertices: blocks with
    /// random sides (a vertex on both sides now and then: a self-loop to
    /// ignore) and terms of a random kind; blocks may overlap (parallel
    /// edges). Also returns the edges they stand for.
    fn random_bicliques(rng: &mut Rng, max_n: u64) -> (usize, Vec<Biclique>, Vec<(u32, u32, i64)>) {
        let n = 1 + rng.below(max_n) as usize;
        let kind = rng.below(4);
        let term = |rng: &mut Rng| match kind {
            0 => rng.range(1, 5),
            1 => rng.range(-3, 6),
            2 => 2,
            _ => rng.range(-1_000_000, 1_000_000),
        };
        let mut blocks = Vec::new();
        for _ in 0..=rng.below(6) {
            let side = |rng: &mut Rng| {
                (0..=rng.below(4))
                    .map(|_| (rng.below(n as u64) as u32, term(rng)))
                    .collect::<Vec<_>>()
            };
            let (mut left, right) = (side(rng), side(rng));
            if rng.below(8) != 0 {
                left.retain(|l| right.iter().all(|r| r.0 != l.0));
            }
            left.sort_unstable();
            left.dedup_by_key(|e| e.0);
            blocks.push(Biclique { left, right });
        }
        let edges = expand(&blocks);
        (n, blocks, edges)
    }

    /// The edges of `blocks`.
    fn expand(blocks: &[Biclique]) -> Vec<(u32, u32, i64)> {
        let mut edges = Vec::new();
        for b in blocks {
            for &(x, fx) in &b.left {
                for &(y, fy) in &b.right {
                    edges.push((x, y, fx + fy));
                }
            }
        }
        edges
    }

    #[test]
    fn bicliques_brute_force() {
        let mut rng = Rng(0x0DDB_1A5E_5BAD_5EED);
        for case in 0..3000 {
            let (n, blocks, edges) = random_bicliques(&mut rng, 12);
            let w = matrix(n, &edges);
            let (best_card, _) = brute(&w);
            let got = evaluate(&w, &max_weight_matching_bicliques(n, &blocks));
            assert_eq!(got, best_card, "case {case}: n={n} {blocks:?}");
        }
    }

    /// Reciprocal-like bicliques: services, visitors with up to five
    /// wishes; the visitors of `o` wishing `d` against those of `d`
    /// wishing `o`, terms `6 - rank`.
    fn reciprocal_bicliques(rng: &mut Rng, services: usize, visitors: usize) -> Vec<Biclique> {
        let mut groups: std::collections::BTreeMap<(usize, usize), Vec<(u32, i64)>> =
            std::collections::BTreeMap::new();
        let (origin, wishes) = random_wishes(rng, services, visitors);
        for (v, (o, wished)) in origin.into_iter().zip(wishes).enumerate() {
            for (rank, d) in wished.into_iter().enumerate() {
                groups
                    .entry((o, d))
                    .or_default()
                    .push((v as u32, 5 - i64::try_from(rank).unwrap()));
            }
        }
        let mut blocks = Vec::new();
        for (&(o, d), left) in &groups {
            if o < d {
                if let Some(right) = groups.get(&(d, o)) {
                    blocks.push(Biclique {
                        left: left.clone(),
                        right: right.clone(),
                    });
                }
            }
        }
        blocks
    }

    /// Solves bicliques on one solver (no component split) after the same
    /// transformation as the library, and checks the certificate on the
    /// edges they stand for; returns (pairs, weight).
    fn certified_bicliques(n: usize, blocks: &[Biclique]) -> (usize, i128) {
        let edges = expand(blocks);
        let (wmin, wmax) = (
            edges.iter().map(|e| e.2).min().unwrap(),
            edges.iter().map(|e| e.2).max().unwrap(),
        );
        let shift = i64::try_from(n / 2).unwrap() * (wmax - wmin) + 1 - wmin;
        let mut sides = Groups::default();
        let mut doubled = Vec::new();
        for b in blocks {
            let lmin = b.left.iter().map(|e| e.1).min().unwrap();
            sides.push(b.left.iter().map(|&(v, t)| (v, 2 * (t - lmin))));
            sides.push(b.right.iter().map(|&(v, t)| (v, 2 * (t + lmin + shift))));
            for &(x, fx) in &b.left {
                for &(y, fy) in &b.right {
                    doubled.push((x, y, 2 * (fx + fy + shift)));
                }
            }
        }
        let mut best = Vec::new();
        for start in [Start::Heaviest, Start::Half] {
            let mut s = Solver::<i64>::new(n, sides.clone());
            s.solve(start);
            check_certificate(&s, &doubled);
            let mate: Vec<Option<u32>> = s.mate.iter().map(|&m| (m != NONE).then_some(m)).collect();
            best.push(evaluate(&matrix(n, &edges), &mate));
        }
        assert_eq!(best[0], best[1], "both starts");
        best[0]
    }

    #[test]
    fn certificate_on_dense_bicliques() {
        let mut rng = Rng(0xB1C1_1C0E_0000_0001);
        for case in 0..40 {
            let services = 2 + rng.below(6) as usize;
            let visitors = 20 + rng.below(400) as usize;
            let blocks = reciprocal_bicliques(&mut rng, services, visitors);
            if blocks.is_empty() {
                continue;
            }
            let certified = certified_bicliques(visitors, &blocks);
            let w = matrix(visitors, &expand(&blocks));
            let split = evaluate(&w, &max_weight_matching_bicliques(visitors, &blocks));
            let by_edges = evaluate(&w, &max_weight_matching(visitors, &expand(&blocks), true));
            assert_eq!(certified, split, "case {case}");
            assert_eq!(by_edges, split, "case {case}");
        }
    }

    /// Certifies optimality on an edge file named by `BLOSSOM_EDGES` (first
    /// line `n`, then `u v w` per line), e.g. a benchmark's reciprocal graph:
    /// `BLOSSOM_EDGES=/tmp/huge.edges cargo test --release -- --ignored`.
    #[test]
    #[ignore = "needs an edge file named by BLOSSOM_EDGES"]
    fn certificate_on_edge_file() {
        let path = std::env::var("BLOSSOM_EDGES").expect("BLOSSOM_EDGES");
        let text = std::fs::read_to_string(path).expect("edge file");
        let mut lines = text.lines();
        let n: usize = lines.next().unwrap().trim().parse().unwrap();
        let edges: Vec<(u32, u32, i64)> = lines
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                (
                    f[0].parse().unwrap(),
                    f[1].parse().unwrap(),
                    f[2].parse().unwrap(),
                )
            })
            .collect();
        let w = matrix_sparse(&edges);
        for mc in [true, false] {
            let direct = certified(n, &edges, mc);
            let split = max_weight_matching(n, &edges, mc);
            let (a, b) = (weigh(&w, &direct), weigh(&w, &split));
            assert_eq!(a, b, "mc={mc}");
            eprintln!("max_cardinality={mc}: {} pairs, weight {}", a.0, a.1);
        }
    }

    /// Heaviest weight per vertex pair of a large sparse graph.
    fn matrix_sparse(edges: &[(u32, u32, i64)]) -> std::collections::BTreeMap<(u32, u32), i64> {
        let mut w = std::collections::BTreeMap::new();
        for &(a, b, x) in edges {
            let e = w.entry((a.min(b), a.max(b))).or_insert(x);
            *e = (*e).max(x);
        }
        w
    }

    /// (pairs, weight) of a valid matching of a sparse graph.
    fn weigh(
        w: &std::collections::BTreeMap<(u32, u32), i64>,
        mate: &[Option<u32>],
    ) -> (usize, i128) {
        let (mut pairs, mut weight) = (0, 0i128);
        for (v, m) in mate.iter().enumerate() {
            if let Some(u) = *m {
                assert_eq!(mate[u as usize], Some(v as u32));
                if (v as u32) < u {
                    pairs += 1;
                    weight += i128::from(w[&(v as u32, u)]);
                }
            }
        }
        (pairs, weight)
    }

    #[test]
    fn degenerate_inputs() {
        assert!(max_weight_matching(0, &[], true).is_empty());
        assert_eq!(max_weight_matching(3, &[], false), vec![None; 3]);
        assert_eq!(
            max_weight_matching(2, &[(0, 0, 5), (1, 1, 5)], true),
            vec![None; 2]
        );
        assert_eq!(
            max_weight_matching(2, &[(0, 2, 5), (7, 1, 5)], true),
            vec![None; 2]
        );
        assert_eq!(max_weight_matching(2, &[(0, 1, -3)], false), vec![None; 2]);
        assert_eq!(
            max_weight_matching(2, &[(0, 1, -3)], true),
            vec![Some(1), Some(0)]
        );
        let big = [
            (0, 1, i64::MAX),
            (1, 2, i64::MIN),
            (2, 3, i64::MAX),
            (1, 0, i64::MIN),
        ];
        assert_eq!(
            max_weight_matching(4, &big, true),
            vec![Some(1), Some(0), Some(3), Some(2)]
        );
        // Path a-b-c-d: max weight takes the heavy middle edge, max
        // cardinality the two outer ones.
        let path = [(0, 1, 2), (1, 2, 10), (2, 3, 2)];
        assert_eq!(
            max_weight_matching(4, &path, false),
            vec![None, Some(2), Some(1), None]
        );
        assert_eq!(
            max_weight_matching(4, &path, true),
            vec![Some(1), Some(0), Some(3), Some(2)]
        );
    }

    /// Fixtures written by `tests/fixtures/networkx_matchings.py`: one graph
    /// per line, `maxcard n pairs weight u,v,w u,v,w …`.
    #[test]
    fn networkx_fixtures() {
        let text = include_str!("../../tests/fixtures/networkx_matchings.txt");
        let mut count = 0;
        for line in text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let mut it = line.split_whitespace();
            let mc: u8 = it.next().unwrap().parse().unwrap();
            let n: usize = it.next().unwrap().parse().unwrap();
            let pairs: usize = it.next().unwrap().parse().unwrap();
            let weight: i128 = it.next().unwrap().parse().unwrap();
            let edges: Vec<(u32, u32, i64)> = it
                .map(|t| {
                    let f: Vec<&str> = t.split(',').collect();
                    (
                        f[0].parse().unwrap(),
                        f[1].parse().unwrap(),
                        f[2].parse().unwrap(),
                    )
                })
                .collect();
            let w = matrix(n, &edges);
            let got = evaluate(&w, &max_weight_matching(n, &edges, mc == 1));
            if mc == 1 {
                assert_eq!(got, (pairs, weight), "{line}");
            } else {
                assert_eq!(got.1, weight, "{line}");
            }
            count += 1;
        }
        assert!(count >= 30, "only {count} fixtures");
    }
}
