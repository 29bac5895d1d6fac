//! Exhaustive search for small editions: a depth-first branch and bound
//! that proves a plan optimal, or finds a better one, within a work limit.
//!
//! The visitors with wishes are taken one by one (by priority class, then
//! those with the fewest options first, then the seeded order); each is
//! given, in turn, every option that fits the plan so far (wishes by rank,
//! hosts and dates in index order), then no visit at all. A node is cut
//! when even its most hopeful completion cannot beat the best plan known:
//! every visitor still to come who has an option that fits now placed, each
//! on the best rank that fits now. Capacities only shrink as visits are
//! added, so that completion is at least as good as any real one (more
//! placed in each class, and among those, no larger rank sum): the cut
//! never removes a better plan, and a search that ends within its budget
//! proves its best plan optimal. When that completion has exactly as many
//! visits per class as the best plan, it also bounds the ranks: a visitor
//! is only given options ranked at most its hopeful rank plus the slack
//! left (the rank sum the best plan allows minus the completion's), and is
//! left without a visit only if it has no option that fits — any other
//! branch would be cut one level down, so it is not opened.
//!
//! With *ties* (the neighbourhood search's sideways moves), a completion
//! worth exactly the incumbent is accepted too (the first found), then the
//! search goes on for a strictly better one; each visitor's options at a
//! host are then tried from a seeded starting date (all of them, in a
//! circle), so that equal plans are chosen between by the seed.
//!
//! One visit per visitor; volunteers without wishes are not searched (the
//! optimal strategy does not place them). The budget counts option
//! enumerations (one `fitting` call each), so a search costs the same on
//! every machine.

use crate::index::Index;
use crate::matcher::feasibility::{Plan, Visit};
use crate::matcher::slot_choice::hosts_for;
use crate::rng::DrawRng;

/// The objective of a plan, ordered so that greater is better: visits per
/// priority class (class 0 first), visits in all, then the rank sum
/// reversed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Value {
    pub by_tier: Vec<u32>,
    pub placed: u32,
    pub rank_sum: std::cmp::Reverse<u64>,
}

impl Value {
    /// The value of no visit.
    pub(crate) fn empty(ix: &Index) -> Self {
        Value {
            by_tier: vec![0; ix.tiers as usize],
            placed: 0,
            rank_sum: std::cmp::Reverse(0),
        }
    }
    /// The value of the visits of `plan`.
    pub(crate) fn of(plan: &Plan<'_>) -> Self {
        let ix = plan.ix;
        let mut v = Value::empty(ix);
        for x in plan.visits() {
            v.add_visit(ix, x);
        }
        v
    }
    /// Adds visit `x`.
    pub(crate) fn add_visit(&mut self, ix: &Index, x: &Visit) {
        self.add(ix, x.visitor, rank_of(ix, x.wish));
    }

    /// Adds a visit of `visitor` with the given rank.
    pub(crate) fn add(&mut self, ix: &Index, visitor: u32, rank: u64) {
        if let Some(n) = self.by_tier.get_mut(ix.tier[visitor as usize] as usize) {
            *n += 1;
        }
        self.placed += 1;
        self.rank_sum.0 += rank;
    }
    fn sub(&mut self, ix: &Index, visitor: u32, rank: u64) {
        if let Some(n) = self.by_tier.get_mut(ix.tier[visitor as usize] as usize) {
            *n -= 1;
        }
        self.placed -= 1;
        self.rank_sum.0 -= rank;
    }
}

fn rank_of(ix: &Index, wish: u32) -> u64 {
    ix.wish_rank(wish).map_or(0, u64::from)
}

/// What a search found.
pub(crate) struct Found {
    /// A plan better than the incumbent, if one was found.
    pub better: Option<Vec<Visit>>,
    /// The search ended within its budget: the best plan (the better one,
    /// or else the incumbent) is optimal.
    pub proven: bool,
    /// Option enumerations made.
    pub work: u64,
    /// The value of the best plan: the better one's, else the incumbent.
    pub value: Value,
}

/// Searches plans extending `plan` (whose visits stay) for one better than
/// `incumbent`, visitors in `order`, within `budget` option enumerations.
/// `plan` is left as it was.
pub(crate) fn search(plan: &mut Plan<'_>, order: &[u32], incumbent: Value, budget: u64) -> Found {
    search_with(plan, order, incumbent, budget, None)
}

/// Sideways search: equal plans accepted, options started at drawn dates.
pub(crate) struct Ties<'r> {
    /// Draws the starting dates.
    pub rng: &'r mut DrawRng,
    /// Stop at the first plan accepted (a walk step) instead of searching
    /// on for a better one.
    pub first: bool,
}

/// As [`search`]; with `ties`, a plan worth exactly `incumbent` is found
/// too (reported in [`Found::better`]: the caller compares values), and
/// `ties` draws where each visitor's options start (see the module docs).
pub(crate) fn search_with(
    plan: &mut Plan<'_>,
    order: &[u32],
    incumbent: Value,
    budget: u64,
    ties: Option<Ties<'_>>,
) -> Found {
    let ix = plan.ix;
    let mut options = Vec::new();
    let mut keyed: Vec<(u32, usize, usize, u32)> = order
        .iter()
        .enumerate()
        .filter(|&(_, &v)| plan.visit_count(v) == 0 && !ix.wishes_of(v).is_empty())
        .map(|(pos, &v)| {
            let n: usize = ix
                .wishes_of(v)
                .iter()
                .map(|w| {
                    hosts_for(ix, w)
                        .iter()
                        .map(|&h| {
                            plan.fitting(v, h, w.full, &mut options);
                            options.len()
                        })
                        .sum::<usize>()
                })
                .sum();
            (ix.tier[v as usize], n, pos, v)
        })
        .filter(|&(_, n, ..)| n > 0)
        .collect();
    keyed.sort_unstable();
    let visitors: Vec<u32> = keyed.iter().map(|&(.., v)| v).collect();
    let mut s = Search {
        visitors,
        current: Value::of(plan),
        best: incumbent,
        better: None,
        work: 0,
        budget,
        out_of_budget: false,
        stopped: false,
        buffers: Vec::new(),
        ties,
    };
    s.node(plan, 0);
    Found {
        better: s.better,
        proven: !s.out_of_budget && !s.stopped,
        work: s.work,
        value: s.best,
    }
}

struct Search<'r> {
    visitors: Vec<u32>,
    current: Value,
    best: Value,
    better: Option<Vec<Visit>>,
    work: u64,
    budget: u64,
    out_of_budget: bool,
    /// Option lists, one per depth, reused from node to node.
    buffers: Vec<Vec<(u32, crate::Part)>>,
    /// Sideways moves: equal plans accepted while none better is found,
    /// options started at a drawn date.
    ties: Option<Ties<'r>>,
    /// A walk step found its plan.
    stopped: bool,
}

impl Search<'_> {
    /// The best rank among the options of `v` that fit `plan` now.
    fn best_rank(
        &mut self,
        plan: &Plan<'_>,
        v: u32,
        options: &mut Vec<(u32, crate::Part)>,
    ) -> Option<u64> {
        let ix = plan.ix;
        for w in ix.wishes_of(v) {
            for &h in hosts_for(ix, w) {
                self.work += 1;
                plan.fitting(v, h, w.full, options);
                if !options.is_empty() {
                    return Some(u64::from(w.rank));
                }
            }
        }
        None
    }

    fn node(&mut self, plan: &mut Plan<'_>, i: usize) {
        if self.out_of_budget || self.stopped {
            return;
        }
        if self.work > self.budget {
            self.out_of_budget = true;
            return;
        }
        let ix = plan.ix;
        // With ties, an equal plan is still wanted until one is found.
        let equal_wanted = self.ties.is_some() && self.better.is_none();
        if i == self.visitors.len() {
            if self.current > self.best || (equal_wanted && self.current == self.best) {
                self.best = self.current.clone();
                self.better = Some(plan.visits().copied().collect());
                self.stopped = self.ties.as_ref().is_some_and(|t| t.first);
            }
            return;
        }
        // The most hopeful completion.
        if self.buffers.len() <= i {
            self.buffers.resize_with(i + 1, Vec::new);
        }
        let mut options = std::mem::take(&mut self.buffers[i]);
        let mut hope = self.current.clone();
        let mut own = None;
        for j in i..self.visitors.len() {
            let v = self.visitors[j];
            if let Some(r) = self.best_rank(plan, v, &mut options) {
                hope.add(ix, v, r);
                if j == i {
                    own = Some(r);
                }
            }
        }
        if hope < self.best || (hope == self.best && !equal_wanted) {
            self.buffers[i] = options;
            return;
        }
        // The completion keeps the best plan's visits per class: every
        // rank above the visitor's hopeful one spends slack, and leaving a
        // visitor with an option out loses a visit.
        let tight = hope.by_tier == self.best.by_tier && hope.placed == self.best.placed;
        let max_rank = match own {
            Some(r) if tight => {
                let strict = u64::from(!equal_wanted);
                r + self
                    .best
                    .rank_sum
                    .0
                    .saturating_sub(hope.rank_sum.0 + strict)
            }
            _ => u64::MAX,
        };
        let v = self.visitors[i];
        let start = ix.wish_start[v as usize];
        for (k, w) in ix.wishes_of(v).iter().enumerate() {
            let rank = u64::from(w.rank);
            if rank > max_rank {
                break;
            }
            for &h in hosts_for(ix, w) {
                self.work += 1;
                plan.fitting(v, h, w.full, &mut options);
                let n = options.len();
                let first = match self.ties.as_mut() {
                    Some(t) if n > 1 => t.rng.below(n as u32) as usize,
                    _ => 0,
                };
                for j in 0..n {
                    let (day, part) = options[(first + j) % n];
                    let id = plan.place(Visit {
                        visitor: v,
                        host: h,
                        day,
                        part,
                        wish: start + k as u32,
                    });
                    self.current.add(ix, v, rank);
                    self.node(plan, i + 1);
                    self.current.sub(ix, v, rank);
                    plan.undo_last(id);
                    if self.out_of_budget || self.stopped {
                        self.buffers[i] = options;
                        return;
                    }
                }
            }
        }
        self.buffers[i] = options;
        if !(tight && own.is_some()) {
            self.node(plan, i + 1);
        }
    }
}
