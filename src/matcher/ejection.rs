//! Ejection chains: place a visitor left out, or move a placed visitor to
//! a better-ranked wish, by displacing placed visits that are re-placed
//! elsewhere in turn — an augmenting path through the plan, as in
//! bipartite matching, with host half-days, service maxima and continuity
//! caps as the resources.
//!
//! # Procedure
//!
//! A search starts at a *root*: a visitor left out (mode *place*), or a
//! placed visit whose visitor has a better-ranked wish (mode *improve*;
//! the root's visit is lifted for the search). It is breadth-first over
//! placed visits. Expanding a node — the root's visitor, or the visitor of
//! a placed visit `b`, with `b` lifted — looks at every option of its
//! wishes (in rank order, then host, date, morning before afternoon) that
//! the visitor's own calendar allows:
//!
//! - an option that fits ends the search: the chain is found (among those
//!   that fit, the best rank, then the least pressed by the demand still
//!   to come, as in [`slot_choice`](super::slot_choice));
//! - an option whose full resources (host half-day, service maximum, own
//!   service's continuity cap) are all used by one same placed visit `c`
//!   adds `c` as a child: `c` would make way and be re-placed in turn.
//!
//! A chain found is applied as a whole: every displaced visit is lifted,
//! then every visitor of the chain takes its new option; if one no longer
//! fits (two steps of the chain wanted the same room), everything is put
//! back as it was. So a chain never leaves a placed visitor out: in mode
//! place it adds one visit (displaced visitors may get a worse wish); in
//! mode improve the root gets a better rank and the displaced visitors
//! keep theirs or better, so the rank sum goes down with the same visitors
//! placed.
//!
//! Searches run in *rounds*: every root once, in the seeded order
//! (half-day visitors before full-day ones in mode place), each search
//! expanding at most 256 nodes and skipping the visits found dead (no
//! chain from them alone) earlier in the round; a root whose search failed
//! is not tried again until a chain touches a service it wishes or its
//! own. Rounds repeat while one changes the plan — place, then improve,
//! then place again — up to the work limit, counted in options looked at,
//! never in time: the same input and seed give the same plan. Editions of
//! more than 50 000 visitors skip the chains (their time is not there).

use crate::Part;
use crate::index::{Index, NONE};
use crate::matcher::feasibility::{Plan, Visit, position};
use crate::matcher::slot_choice::{Choice, Pressure, hosts_for};

/// Options looked at, per visitor of the edition and per pass of the
/// policy's work limit.
const WORK_PER_VISITOR: u64 = 64;

/// Above this many visitors, no chains: on the huge preset (200 000) the
/// time they would need is not there (their limited work placed one
/// visitor more for a second more).
const HUGE: usize = 50_000;

/// Nodes a search expands at most.
const MAX_NODES: usize = 256;

/// Visitors a node may leave still to re-place.
const MAX_PENDING: usize = 3;

/// A step whose visit did not fit.
const BAD: u32 = u32::MAX - 1;

/// No failure recorded.
const NEVER: u32 = u32::MAX;

/// What a search is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Place a visitor left out; displaced visitors may take any wish.
    Place,
    /// Give a placed visitor a better wish; displaced visitors keep their
    /// rank or better.
    Improve,
}

/// A node of the search: the state after one more step of a chain.
#[derive(Clone, Copy, Debug)]
struct Node {
    /// The parent node (`NONE` for the root).
    parent: u32,
    /// The visit placed at this step (the first pending visitor of the
    /// parent in its new option); unused at the root.
    to: Visit,
    /// The visits lifted at this step to make room for `to` (`NONE`: none).
    lifted: [u32; MAX_PENDING],
    /// The lifted visits whose visitors are still to re-place, first
    /// first (`NONE` at the root in mode place: the root visitor).
    pending: [u32; MAX_PENDING],
    /// How many of `pending` are used.
    n_pending: u8,
}

/// A chain: the visits to lift, then the visits to place.
#[derive(Debug, Default)]
struct Chain {
    lift: Vec<u32>,
    place: Vec<Visit>,
}

/// The search state, reused between searches.
#[derive(Debug)]
pub(crate) struct Chains {
    /// Round stamp of each visit id found dead.
    seen: Vec<u32>,
    stamp: u32,
    /// Chains applied so far.
    changes: u32,
    /// Per service: the value of `changes` when a chain last touched it.
    service_changed: Vec<u32>,
    /// Per mode and visitor: the value of `changes` when a search from it
    /// last failed ([`NEVER`]: it has not).
    failed_at: [Vec<u32>; 2],
    /// Search stamp of each visit id reached.
    local: Vec<u32>,
    search_stamp: u32,
    tree: Vec<Node>,
    /// The full resources of an option: ranges of `pool`.
    lists: Vec<(usize, usize)>,
    pool: Vec<u32>,
    /// Nodes from the one expanded up to the root.
    path: Vec<u32>,
    /// The expanded node's state.
    chain: Chain,
    /// The steps applied to the plan: node, and the id of the visit it
    /// placed (`NONE` at the root, [`BAD`] if it did not fit).
    applied: Vec<(u32, u32)>,
    /// Options still to look at.
    budget: u64,
    /// Demand against room, to choose where a chain ends.
    pressure: Pressure,
    /// Nodes a search expands at most.
    max_nodes: usize,
    /// While a [`Journal`] is open: what to put back.
    journal: Option<Journal>,
}

/// What changed since [`Chains::open_journal`]: enough to put the plan
/// and the failure memo back as they were.
#[derive(Debug, Default)]
pub(crate) struct Journal {
    /// Memo entries overwritten, first first: (mode, visitor, old value)
    /// for a failure, (2, service, old value) for a service touched.
    memo: Vec<(u8, u32, u32)>,
    /// Ids of the visits the applied chains lifted, first first.
    pub lifted: Vec<u32>,
}

/// Runs rounds of ejection chains on `plan` (place, improve, place …)
/// until a round of each changes nothing or the work limit (`passes` ×
/// the number of visitors × a constant, in options looked at) is used.
/// Roots are taken in the order of `visitors`, half-day visitors first.
/// Nothing is done above [`HUGE`] visitors. Returns whether the plan
/// changed.
pub(crate) fn run(plan: &mut Plan<'_>, visitors: &[u32], passes: u32) -> bool {
    if visitors.len() > HUGE {
        return false;
    }
    let budget = u64::from(passes) * WORK_PER_VISITOR * visitors.len() as u64;
    let mut chains = Chains::new(plan.ix, budget);
    let mut changed = false;
    let order = root_order(plan.ix, visitors);
    let visitors = &order[..];
    loop {
        let placed = chains.rounds(plan, visitors, Mode::Place);
        let improved = chains.rounds(plan, visitors, Mode::Improve);
        changed |= placed | improved;
        if !improved || chains.budget == 0 {
            break;
        }
    }
    changed
}

/// The roots of a round: `visitors` in their order, half-day visitors
/// first (a full-day visit takes two half-days).
pub(crate) fn root_order(ix: &Index, visitors: &[u32]) -> Vec<u32> {
    let full = |v: u32| ix.wishes_of(v).first().is_some_and(|w| w.full);
    visitors
        .iter()
        .copied()
        .filter(|&v| !full(v))
        .chain(visitors.iter().copied().filter(|&v| full(v)))
        .collect()
}

impl Chains {
    pub(crate) fn new(ix: &Index, budget: u64) -> Self {
        Chains {
            seen: Vec::new(),
            stamp: 0,
            changes: 0,
            service_changed: Vec::new(),
            failed_at: [Vec::new(), Vec::new()],
            local: Vec::new(),
            search_stamp: 0,
            tree: Vec::new(),
            lists: Vec::new(),
            pool: Vec::new(),
            path: Vec::new(),
            chain: Chain::default(),
            applied: Vec::new(),
            budget,
            pressure: Pressure::new(ix),
            max_nodes: MAX_NODES,
            journal: None,
        }
    }

    /// Searches expand at most `nodes` nodes (instead of 256).
    pub(crate) fn max_nodes(mut self, nodes: usize) -> Self {
        self.max_nodes = nodes;
        self
    }

    /// The work left (options looked at).
    pub(crate) fn budget(&self) -> u64 {
        self.budget
    }

    /// Spends `work` of the budget (work done outside the searches).
    pub(crate) fn spend(&mut self, work: u64) {
        self.budget = self.budget.saturating_sub(work);
    }

    /// Starts recording what changes (see [`Journal`]).
    pub(crate) fn open_journal(&mut self) {
        self.journal = Some(Journal::default());
    }

    /// Stops recording; returns what changed since
    /// [`Chains::open_journal`].
    pub(crate) fn close_journal(&mut self) -> Journal {
        self.journal.take().unwrap_or_default()
    }

    /// Puts the failure memo back as it was when `journal` was opened (the
    /// caller puts the plan back).
    pub(crate) fn roll_back(&mut self, journal: &Journal) {
        for &(k, i, old) in journal.memo.iter().rev() {
            let row = match k {
                0 | 1 => &mut self.failed_at[k as usize],
                _ => &mut self.service_changed,
            };
            if let Some(x) = row.get_mut(i as usize) {
                *x = old;
            }
        }
    }

    /// Sets entry `i` of memo row `k` (0, 1: failures by mode; 2: services
    /// touched) to the current change count, journaled.
    fn mark(&mut self, k: u8, i: u32) {
        let changes = self.changes;
        let row = match k {
            0 | 1 => &mut self.failed_at[k as usize],
            _ => &mut self.service_changed,
        };
        if row.len() <= i as usize {
            row.resize(i as usize + 1, if k == 2 { 0 } else { NEVER });
        }
        let old = std::mem::replace(&mut row[i as usize], changes);
        if let Some(j) = &mut self.journal {
            j.memo.push((k, i, old));
        }
    }

    /// Rounds of one mode until one changes nothing. Returns whether any
    /// did.
    pub(crate) fn rounds(&mut self, plan: &mut Plan<'_>, visitors: &[u32], mode: Mode) -> bool {
        let mut any = false;
        loop {
            self.stamp += 1;
            let mut changed = false;
            for &v in visitors {
                if self.budget == 0 {
                    return any | changed;
                }
                changed |= self.try_root(plan, v, mode);
            }
            any |= changed;
            if !changed {
                return any;
            }
        }
    }

    /// Searches a chain from visitor `v` in `mode` (if it is a root of
    /// that mode and may have one) and applies it. Returns whether the
    /// plan changed.
    pub(crate) fn try_root(&mut self, plan: &mut Plan<'_>, v: u32, mode: Mode) -> bool {
        let root = match mode {
            Mode::Place => {
                if plan.visit_count(v) != 0 || plan.ix.wishes_of(v).is_empty() {
                    return false;
                }
                NONE
            }
            Mode::Improve => {
                let Some(&id) = plan.visit_ids_of(v).first() else {
                    return false;
                };
                let b = plan.visit(id);
                if b.wish == NONE
                    || plan.ix.wishes[b.wish as usize].rank <= 1
                    || plan.partner_of(id).is_some()
                {
                    return false;
                }
                id
            }
        };
        let k = mode as usize;
        if self.unchanged_since_failure(plan.ix, v, k) {
            return false;
        }
        match self.search(plan, v, root, mode) {
            Some(chain) if apply(plan, &chain) => {
                self.touch(plan.ix, &chain);
                if let Some(j) = &mut self.journal {
                    j.lifted.extend_from_slice(&chain.lift);
                }
                true
            }
            _ => {
                self.mark(k as u8, v);
                false
            }
        }
    }

    /// Whether the last search from visitor `v` in mode `k` failed and no
    /// chain applied since has touched a service it wishes or its own.
    fn unchanged_since_failure(&self, ix: &Index, v: u32, k: usize) -> bool {
        let Some(&at) = self.failed_at[k].get(v as usize) else {
            return false;
        };
        if at == NEVER {
            return false;
        }
        let later = |s: u32| {
            self.service_changed
                .get(s as usize)
                .is_some_and(|&c| c > at)
        };
        !later(ix.agent_service[v as usize]) && !ix.wishes_of(v).iter().any(|w| later(w.service))
    }

    /// Records the services an applied chain touched.
    fn touch(&mut self, ix: &Index, chain: &Chain) {
        self.touch_visits(ix, &chain.place);
    }

    /// Records the services that visits placed or lifted outside the
    /// searches touch (their host's and their visitor's): roots that
    /// failed are tried again where it may now succeed.
    pub(crate) fn touch_visits(&mut self, ix: &Index, visits: &[Visit]) {
        self.changes += 1;
        for to in visits {
            let hs = ix.agent_service[ix.host_agent[to.host as usize] as usize];
            self.mark(2, hs);
            self.mark(2, ix.agent_service[to.visitor as usize]);
        }
    }

    /// Whether visit `id` was reached in this search, or found dead (no
    /// chain from it alone) earlier in this round.
    fn reached(&self, id: u32) -> bool {
        self.local.get(id as usize) == Some(&self.search_stamp)
            || self.seen.get(id as usize) == Some(&self.stamp)
    }

    fn reach(&mut self, id: u32) {
        if self.local.len() <= id as usize {
            self.local.resize(id as usize + 1, 0);
        }
        self.local[id as usize] = self.search_stamp;
    }

    /// After a search found nothing: the visits its nodes expanded (the
    /// first `expanded`) with only them pending are dead for the rest of
    /// the round.
    fn mark_dead(&mut self, expanded: usize) {
        for k in 0..expanded {
            let node = self.tree[k];
            let id = node.pending[0];
            if node.n_pending == 1 && id != NONE {
                if self.seen.len() <= id as usize {
                    self.seen.resize(id as usize + 1, 0);
                }
                self.seen[id as usize] = self.stamp;
            }
        }
    }

    /// Fills `self.path` with the nodes from `i` up to the root.
    fn path_to(&mut self, i: usize) {
        self.path.clear();
        let mut j = i;
        loop {
            self.path.push(j as u32);
            if j == 0 {
                break;
            }
            j = self.tree[j].parent as usize;
        }
    }

    /// Fills `self.chain` with the state of node `i`: every visit lifted
    /// on the way from the root, every visit placed.
    fn state_of(&mut self, i: usize) {
        self.path_to(i);
        self.chain.lift.clear();
        self.chain.place.clear();
        for &j in self.path.iter().rev() {
            let node = &self.tree[j as usize];
            self.chain
                .lift
                .extend(node.lifted.iter().copied().filter(|&x| x != NONE));
            if j != 0 {
                self.chain.place.push(node.to);
            }
        }
    }

    /// Breadth-first search for a chain from visitor `v` (its visit `root`
    /// lifted, unless `NONE`). Each node is expanded in the plan as the
    /// chain from the root to it leaves it. Leaves the plan as it found
    /// it; returns the chain.
    fn search(&mut self, plan: &mut Plan<'_>, v: u32, root: u32, mode: Mode) -> Option<Chain> {
        let dummy = Visit {
            visitor: v,
            host: NONE,
            day: NONE,
            part: Part::Morning,
            wish: NONE,
        };
        self.tree.clear();
        self.search_stamp += 1;
        let mut first = [NONE; MAX_PENDING];
        first[0] = root;
        self.tree.push(Node {
            parent: NONE,
            to: dummy,
            lifted: first,
            pending: first,
            n_pending: 1,
        });
        if root != NONE {
            self.reach(root);
        }
        let limit = plan.id_bound();
        let mut head = 0;
        let mut found = None;
        while head < self.tree.len() && self.budget > 0 && head < self.max_nodes {
            let i = head;
            head += 1;
            self.budget = self.budget.saturating_sub(1);
            if !self.goto(plan, i) {
                continue;
            }
            if let Some(to) = self.expand(plan, i as u32, v, mode, limit) {
                found = Some((i, to));
                break;
            }
        }
        self.unwind(plan, 0);
        plan.truncate(limit);
        if let Some((i, to)) = found {
            self.state_of(i);
            self.chain.place.push(to);
            return Some(std::mem::take(&mut self.chain));
        }
        self.mark_dead(self.tree.len());
        None
    }

    /// Brings the plan to node `i`'s state from the state of the nodes in
    /// `applied`, undoing and applying steps only below their common
    /// ancestor. Returns whether every step fit.
    fn goto(&mut self, plan: &mut Plan<'_>, i: usize) -> bool {
        self.path_to(i);
        self.path.reverse();
        let common = self
            .applied
            .iter()
            .zip(&self.path)
            .take_while(|&(&(node, placed), &p)| node == p && placed != BAD)
            .count();
        self.unwind(plan, common);
        for k in common..self.path.len() {
            let j = self.path[k];
            let node = self.tree[j as usize];
            for &id in node.lifted.iter().filter(|&&x| x != NONE) {
                plan.remove(id);
            }
            if j == 0 {
                self.applied.push((j, NONE));
                continue;
            }
            let to = node.to;
            if !plan.fits(to.visitor, to.host, to.day, to.part) {
                self.applied.push((j, BAD));
                return false;
            }
            let id = plan.place(to);
            self.applied.push((j, id));
        }
        true
    }

    /// Undoes the applied steps beyond the first `keep`.
    fn unwind(&mut self, plan: &mut Plan<'_>, keep: usize) {
        while self.applied.len() > keep {
            let Some((j, placed)) = self.applied.pop() else {
                break;
            };
            if placed != NONE && placed != BAD {
                plan.remove(placed);
            }
            let node = self.tree[j as usize];
            for &id in node.lifted.iter().rev().filter(|&&x| x != NONE) {
                plan.revive(id);
            }
        }
    }

    /// Looks at the options of the first pending visitor of node `i` (the
    /// plan in node `i`'s state): returns the option that ends the chain
    /// (the best rank, then the least pressed, among those that fit when
    /// no one else is pending), or adds children: the first option that fits (when others are still
    /// pending), and the options whose full resources can be freed by
    /// lifting placed visits not reached yet (one visit using all of them:
    /// a child for each; else one child lifting a visit per resource).
    fn expand(&mut self, plan: &Plan<'_>, i: u32, v: u32, mode: Mode, limit: u32) -> Option<Visit> {
        let ix = plan.ix;
        let node = self.tree[i as usize];
        let q = node.pending[0];
        let rest = &node.pending[1..node.n_pending as usize];
        let (p, max_rank) = if q == NONE {
            (v, u32::MAX)
        } else {
            let b = plan.visit(q);
            let r = rank_of(ix, &b);
            let limit = match mode {
                Mode::Improve if i == 0 => r - 1,
                Mode::Improve => r,
                Mode::Place => u32::MAX,
            };
            (b.visitor, limit)
        };
        let o = ix.agent_service[p as usize];
        let start = ix.wish_start[p as usize];
        let mut fit_child = false;
        let mut best_fit: Option<((u32, bool, u64), Visit)> = None;
        for (wi, w) in ix.wishes_of(p).iter().enumerate() {
            if w.rank > max_rank {
                continue;
            }
            let wish = start + wi as u32;
            for &h in hosts_for(ix, w) {
                if plan.pair_blocks(p, h) != 0 {
                    continue;
                }
                for word in 0..plan.words() {
                    let m = plan.masks(p, h, word, w.full);
                    let cand = m.free & !m.overlap;
                    self.budget = self.budget.saturating_sub(1 + u64::from(cand.count_ones()));
                    let at = |bit: u32| {
                        let (day, part) = position(word, bit, w.full);
                        Visit {
                            visitor: p,
                            host: h,
                            day,
                            part,
                            wish,
                        }
                    };
                    let fit = cand & !(m.capacity | m.continuity);
                    if fit != 0 {
                        if rest.is_empty() {
                            // Ends the chain: the best rank, then the least
                            // pressed option (slot choice).
                            let mut f = fit;
                            while f != 0 {
                                let to = at(f.trailing_zeros());
                                f &= f - 1;
                                let c = Choice {
                                    host: to.host,
                                    day: to.day,
                                    part: to.part,
                                };
                                // A full day before its half-day fallback.
                                let key = (w.rank, w.fallback, self.pressure.score(plan, p, c));
                                if best_fit.is_none_or(|(k, _)| key < k) {
                                    best_fit = Some((key, to));
                                }
                            }
                            continue;
                        }
                        let to = at(fit.trailing_zeros());
                        if !fit_child {
                            fit_child = true;
                            self.push(i, to, &[], rest);
                        }
                    }
                    let mut blocked = cand & (m.capacity | m.continuity);
                    if self.max_nodes < MAX_NODES && self.tree.len() >= self.max_nodes {
                        // Short searches skip the children they will never
                        // expand (full ones keep them: a failed search
                        // marks them dead for the round).
                        blocked = 0;
                    }
                    while blocked != 0 {
                        let bit = blocked.trailing_zeros();
                        blocked &= blocked - 1;
                        let to = at(bit);
                        self.full_resources(plan, h, o, to.day, to.part);
                        self.lift_for(plan, i, to, rest, limit);
                    }
                }
            }
        }
        best_fit.map(|(_, to)| to)
    }

    /// Adds a child of node `i`: `to` placed after lifting `lifted`, whose
    /// visitors come first among those still pending, then `rest`.
    fn push(&mut self, i: u32, to: Visit, lifted: &[u32], rest: &[u32]) {
        let mut node = Node {
            parent: i,
            to,
            lifted: [NONE; MAX_PENDING],
            pending: [NONE; MAX_PENDING],
            n_pending: (lifted.len() + rest.len()) as u8,
        };
        node.lifted[..lifted.len()].copy_from_slice(lifted);
        node.pending[..lifted.len()].copy_from_slice(lifted);
        node.pending[lifted.len()..lifted.len() + rest.len()].copy_from_slice(rest);
        self.tree.push(node);
    }

    /// Into `lists`/`pool`: the visits of each full resource of the option
    /// (host `h`, `day`, `part`) of a visitor from service `o`.
    fn full_resources(&mut self, plan: &Plan<'_>, h: u32, o: u32, day: u32, part: Part) {
        full_resources(plan, (h, o, day, part), &mut self.lists, &mut self.pool);
    }

    /// Adds the children of node `i` for option `to` stopped by the full
    /// resources in `lists`: one per movable visit not reached that uses
    /// them all; failing that, one lifting a visit per resource (each the
    /// first not reached that uses the most of the resources left), if
    /// the pending visitors stay within [`MAX_PENDING`].
    fn lift_for(&mut self, plan: &Plan<'_>, i: u32, to: Visit, rest: &[u32], limit: u32) {
        let usable = |c: u32, me: &Self| c < limit && !me.reached(c) && movable(plan, c);
        let (a0, b0) = self.lists[0];
        let mut single = false;
        for k in a0..b0 {
            let c = self.pool[k];
            let everywhere = self.lists[1..]
                .iter()
                .all(|&(a, b)| self.pool[a..b].contains(&c));
            if everywhere {
                single = true;
                if usable(c, self) && rest.len() < MAX_PENDING {
                    self.reach(c);
                    self.push(i, to, &[c], rest);
                }
            }
        }
        if single {
            return;
        }
        // A visit per resource, greedily.
        let mut chosen = [NONE; MAX_PENDING];
        let mut n = 0;
        for li in 0..self.lists.len() {
            let (a, b) = self.lists[li];
            if self.pool[a..b].iter().any(|c| chosen[..n].contains(c)) {
                continue;
            }
            let mut best = None;
            for k in a..b {
                let c = self.pool[k];
                if !usable(c, self) {
                    continue;
                }
                let covers = self.lists[li..]
                    .iter()
                    .filter(|&&(x, y)| self.pool[x..y].contains(&c))
                    .count();
                if best.is_none_or(|(_, bc)| covers > bc) {
                    best = Some((c, covers));
                }
            }
            let Some((c, _)) = best else {
                return;
            };
            if n + rest.len() >= MAX_PENDING {
                return;
            }
            chosen[n] = c;
            n += 1;
        }
        for &c in &chosen[..n] {
            self.reach(c);
        }
        self.push(i, to, &chosen[..n], rest);
    }
}

/// Into `lists` (ranges of `pool`): the placed visits using each full
/// resource of option (host `h`, `day`, `part`) of a visitor from service
/// `o` — the host half-day (or the host's service maximum), the own
/// service's continuity cap.
pub(crate) fn full_resources(
    plan: &Plan<'_>,
    (h, o, day, part): (u32, u32, u32, Part),
    lists: &mut Vec<(usize, usize)>,
    pool: &mut Vec<u32>,
) {
    let ix = plan.ix;
    lists.clear();
    pool.clear();
    for t in Index::covered(day, part) {
        if plan.host_room(h, t) == 0 {
            let a = pool.len();
            if plan.host_used(h, t) >= ix.host_capacity(h, t) {
                pool.extend_from_slice(plan.hosted_at(h, t));
            } else {
                // The service's maximum: any visit it receives at `t`.
                let hs = ix.agent_service[ix.host_agent[h as usize] as usize];
                for &g in ix.hosts_of(hs) {
                    pool.extend_from_slice(plan.hosted_at(g, t));
                }
            }
            lists.push((a, pool.len()));
        }
        if plan.away_room(o, t) == 0 {
            let a = pool.len();
            pool.extend_from_slice(plan.away_at(o, t));
            lists.push((a, pool.len()));
        }
    }
}

/// The rank of a placed visit's wish (`u32::MAX` without a wish).
fn rank_of(ix: &Index, b: &Visit) -> u32 {
    ix.wish_rank(b.wish).unwrap_or(u32::MAX)
}

/// Whether a chain may displace visit `c`: it satisfies a wish (so it has
/// somewhere else to go) and is not a reciprocal leg.
pub(crate) fn movable(plan: &Plan<'_>, c: u32) -> bool {
    plan.visit(c).wish != NONE && plan.partner_of(c).is_none()
}

/// Applies a chain: lifts its visits, then places its new ones; if one
/// does not fit, puts everything back. Returns whether it was applied.
fn apply(plan: &mut Plan<'_>, chain: &Chain) -> bool {
    for &id in &chain.lift {
        plan.remove(id);
    }
    let mut placed = Vec::with_capacity(chain.place.len());
    for &to in &chain.place {
        if !plan.fits(to.visitor, to.host, to.day, to.part) {
            for &id in placed.iter().rev() {
                plan.remove(id);
            }
            for &id in chain.lift.iter().rev() {
                plan.revive(id);
            }
            return false;
        }
        placed.push(plan.place(to));
    }
    true
}

#[cfg(test)]
pub(crate) mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::core_format::{CoreInstance, CoreService, CoreVisitor};
    use crate::matcher::assemble;
    use crate::{Edition, Instance, Policy, Strategy as Method, verify};

    /// Cases per property (`PROPTEST_CASES` overrides).
    pub(crate) fn cases() -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(128)
    }

    /// The wish list from the services drawn for a visitor of `origin`:
    /// its own service and repeats dropped, the next service if none is
    /// left (`ns` services).
    pub(crate) fn wish_list(
        origin: u32,
        drawn: impl IntoIterator<Item = u32>,
        ns: u32,
    ) -> Vec<u32> {
        let mut wishes: Vec<u32> = Vec::new();
        for d in drawn {
            if d != origin && !wishes.contains(&d) {
                wishes.push(d);
            }
        }
        if wishes.is_empty() {
            wishes.push((origin + 1) % ns);
        }
        wishes
    }

    /// A random core instance: ≤ 4 days, ≤ 5 services, ≤ 20 visitors,
    /// scarce hosting so that chains have work; some services also get a
    /// maximum of visitors at once (beyond the core format).
    pub(crate) fn edition() -> impl Strategy<Value = Edition> {
        (1u32..=4, 2u32..=5)
            .prop_flat_map(|(days, ns)| {
                let slots = 2 * days as usize;
                let service = (0u32..=2, prop::collection::vec(0u32..=2, slots), 0u32..=3);
                let visitor = (
                    0..ns,
                    prop::collection::vec(0..ns, 1..=4),
                    prop::bool::weighted(0.3),
                    prop::collection::vec(prop::bool::weighted(0.6), days as usize),
                );
                (
                    Just(days),
                    prop::collection::vec(service, ns as usize),
                    prop::collection::vec(visitor, 1..=20),
                )
            })
            .prop_map(|(days, services, visitors)| {
                let ns = services.len() as u32;
                let core = CoreInstance {
                    format: "jobswap-core".to_owned(),
                    version: 1,
                    name: "t".to_owned(),
                    meta: serde_json::Value::Null,
                    days,
                    services: services
                        .iter()
                        .map(|(away_cap, host_cap, _)| CoreService {
                            away_cap: *away_cap,
                            host_cap: host_cap.clone(),
                        })
                        .collect(),
                    visitors: visitors
                        .into_iter()
                        .map(|(origin, wished, full_day, free)| CoreVisitor {
                            origin,
                            wishes: wish_list(origin, wished, ns),
                            full_day,
                            available: (0..days).filter(|&k| free[k as usize]).collect(),
                        })
                        .collect(),
                };
                let mut e = core.to_edition(Policy::new(Method::Optimal)).unwrap();
                for (svc, (_, _, max)) in e.services.iter_mut().zip(&services) {
                    if *max > 0 {
                        svc.max_visitors = Some(*max);
                    }
                }
                e
            })
    }

    /// A poor starting plan: each visitor in turn takes the `pick`-th
    /// fitting option of its first wish that has one.
    pub(crate) fn start(ix: &Index, pick: usize) -> Plan<'_> {
        let mut plan = Plan::new(ix);
        let mut options = Vec::new();
        for &v in &ix.visitors {
            let first = ix.wish_start[v as usize];
            'wishes: for (i, w) in ix.wishes_of(v).iter().enumerate() {
                for &h in hosts_for(ix, w) {
                    plan.fitting(v, h, w.full, &mut options);
                    if !options.is_empty() {
                        let (day, part) = options[pick % options.len()];
                        plan.place(Visit {
                            visitor: v,
                            host: h,
                            day,
                            part,
                            wish: first + i as u32,
                        });
                        break 'wishes;
                    }
                }
            }
        }
        plan
    }

    /// (visitors placed, rank sum, visits per visitor).
    fn value(plan: &Plan<'_>) -> (usize, u64, Vec<u32>) {
        let ix = plan.ix;
        let per: Vec<u32> = (0..ix.agent_src.len() as u32)
            .map(|a| plan.visit_count(a))
            .collect();
        let ranks = plan.visits().map(|v| u64::from(rank_of(ix, v))).sum();
        (plan.visits().count(), ranks, per)
    }

    /// The live visits, sorted: the plan's content whatever the ids.
    pub(crate) fn content(plan: &Plan<'_>) -> Vec<(u32, u32, u32, u8, u32)> {
        let mut all: Vec<_> = plan
            .visits()
            .map(|x| (x.visitor, x.host, x.day, x.part as u8, x.wish))
            .collect();
        all.sort_unstable();
        all
    }

    /// Every visit of `plan` placed again, one by one, into an empty plan
    /// fits: the plan breaks no constraint.
    pub(crate) fn feasible(plan: &Plan<'_>) -> bool {
        let mut again = Plan::new(plan.ix);
        plan.visits().all(|v| {
            let ok = again.fits(v.visitor, v.host, v.day, v.part);
            if ok {
                again.place(*v);
            }
            ok
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

        /// Every chain applied keeps the plan feasible, keeps every placed
        /// visitor placed, and either places one more visitor or lowers the
        /// rank sum; a failed search leaves the plan as it was.
        #[test]
        fn every_chain_keeps_the_placed_and_improves(e in edition(), pick in 0usize..4) {
            let inst = Instance::new(e).unwrap();
            let ix = inst.index();
            let mut plan = start(ix, pick);
            let mut chains = Chains::new(ix, u64::MAX);
            for mode in [Mode::Place, Mode::Improve, Mode::Place] {
                for &v in &ix.visitors {
                    let before = value(&plan);
                    let changed = chains.try_root(&mut plan, v, mode);
                    let after = value(&plan);
                    prop_assert!(feasible(&plan));
                    for (a, b) in before.2.iter().zip(&after.2) {
                        prop_assert!(b >= a, "a placed visitor was left out");
                    }
                    if changed {
                        match mode {
                            Mode::Place => prop_assert_eq!(after.0, before.0 + 1),
                            Mode::Improve => {
                                prop_assert_eq!(after.0, before.0);
                                prop_assert!(after.1 < before.1);
                            }
                        }
                    } else {
                        prop_assert_eq!(&after, &before);
                    }
                }
            }
        }

        /// A whole run passes the checker, never loses a placed visitor,
        /// never worsens (visitors placed, then rank sum), and gives the
        /// same plan whatever the order of the input.
        #[test]
        fn runs_pass_the_checker_and_ignore_input_order(e in edition(), pick in 0usize..4) {
            let mut reversed = e.clone();
            reversed.agents.reverse();
            reversed.wishes.reverse();
            reversed.host_slots.reverse();
            reversed.services.reverse();
            let mut outcomes = Vec::new();
            for e in [e, reversed] {
                let inst = Instance::new(e).unwrap();
                let ix = inst.index();
                let mut plan = start(ix, pick);
                let before = value(&plan);
                run(&mut plan, &ix.visitors, 8);
                let after = value(&plan);
                for (a, b) in before.2.iter().zip(&after.2) {
                    prop_assert!(b >= a, "a placed visitor was left out");
                }
                prop_assert!(after.0 > before.0 || after.1 <= before.1);
                let policy = inst.edition().policy.clone();
                let outcome = assemble::outcome(inst.edition(), &plan, &policy, None);
                let violations = verify(inst.edition(), &outcome);
                prop_assert!(violations.is_empty(), "{violations:?}");
                outcomes.push(outcome);
            }
            prop_assert_eq!(&outcomes[0], &outcomes[1]);
        }
    }

    /// A chain of length two: the only host half-day is taken by a visitor
    /// who could go elsewhere; the chain moves it and places the other.
    #[test]
    fn a_chain_moves_a_visit_to_place_another() {
        let core = CoreInstance {
            format: "jobswap-core".to_owned(),
            version: 1,
            name: "t".to_owned(),
            meta: serde_json::Value::Null,
            days: 2,
            services: vec![
                CoreService {
                    away_cap: 2,
                    host_cap: vec![0; 4],
                },
                CoreService {
                    away_cap: 2,
                    host_cap: vec![1, 0, 0, 0],
                },
                CoreService {
                    away_cap: 2,
                    host_cap: vec![0, 0, 1, 0],
                },
            ],
            visitors: vec![
                // Visitor 0 wishes service 1 first, service 2 next.
                CoreVisitor {
                    origin: 0,
                    wishes: vec![1, 2],
                    full_day: false,
                    available: vec![0, 1],
                },
                // Visitor 1 can only go to service 1 on day 0.
                CoreVisitor {
                    origin: 0,
                    wishes: vec![1],
                    full_day: false,
                    available: vec![0],
                },
            ],
        };
        let e = core.to_edition(Policy::new(Method::Optimal)).unwrap();
        let inst = Instance::new(e).unwrap();
        let ix = inst.index();
        let mut plan = start(ix, 0);
        assert_eq!(plan.visits().count(), 1, "visitor 0 took the only slot");
        assert!(run(&mut plan, &ix.visitors, 1));
        assert_eq!(plan.visits().count(), 2);
        assert!(feasible(&plan));
    }
}
