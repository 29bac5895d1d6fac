//! Repairs that move placed visits to make room, keeping every placed
//! visitor's wish: the draw's second chance, and the building block of the
//! optimal strategy's local search.

use crate::Part;
use crate::index::{BitRows, Index, NONE};
use crate::matcher::feasibility::{Block, Plan, Visit, fold, visit_at};
use crate::matcher::slot_choice::hosts_for;

/// Tries to place visitor `v` at one of `hosts` (a visit of the given
/// length, satisfying wish `wish`) by moving **one** placed visit to
/// another date (and, for a service wish, possibly another host of the same
/// service) of its own wish. Returns whether it succeeded; on failure the
/// plan is as it was.
///
/// Only candidates blocked by capacities (the host's, the service's, the
/// visitor's own continuity cap) are tried, never overlaps; the visit moved
/// is one that uses every blocked resource of the candidate. Deterministic:
/// hosts, dates and blocking visits are tried in order.
/// What a pass of repairs remembers between calls: the visits found to
/// have nowhere else to go, and the half-days all of whose visits are such.
/// It is not invalidated when a move succeeds (a move frees one date, which
/// rarely unblocks a visit judged stuck): a deliberate approximation that
/// keeps a pass near-linear (on the huge preset: 95 000 candidates looked
/// at instead of 1.5 million, for the same placements).
#[derive(Debug)]
pub(crate) struct Memo {
    stuck: Vec<bool>,
    /// Host half-days whose visits are all stuck.
    dead_host: BitRows,
    /// Origin-service half-days whose away visits are all stuck.
    dead_origin: BitRows,
}

impl Memo {
    pub(crate) fn new(ix: &Index) -> Self {
        Memo {
            stuck: Vec::new(),
            dead_host: BitRows::new(ix.host_agent.len(), ix.slots as usize),
            dead_origin: BitRows::new(ix.service_src.len(), ix.slots as usize),
        }
    }
    fn is_stuck(&self, b: u32) -> bool {
        self.stuck.get(b as usize).copied().unwrap_or(false)
    }
    fn mark_stuck(&mut self, b: u32) {
        if self.stuck.len() <= b as usize {
            self.stuck.resize(b as usize + 1, false);
        }
        self.stuck[b as usize] = true;
    }
}

pub(crate) fn place_by_moving_one(
    plan: &mut Plan<'_>,
    memo: &mut Memo,
    v: u32,
    hosts: &[u32],
    full: bool,
    wish: u32,
    movable: &dyn Fn(&Visit) -> bool,
) -> bool {
    let ix = plan.ix;
    let vs = ix.agent_service[v as usize];
    let mut moves = Vec::new();
    for &h in hosts {
        if plan.pair_blocks(v, h) != 0 {
            continue;
        }
        for word in 0..plan.words() {
            let m = plan.masks(v, h, word, full);
            let dead = fold(
                (m.capacity_half & memo.dead_host.word(h, word))
                    | (m.continuity_half & memo.dead_origin.word(vs, word)),
                full,
            );
            let mut cand = m.free & !m.overlap & (m.capacity | m.continuity) & !dead;
            while cand != 0 {
                let t0 = (word * 64) as u32 + cand.trailing_zeros();
                cand &= cand - 1;
                let (k, part) = visit_at(t0, full);
                // The visits that use every blocked resource of the candidate.
                let mut lists: [&[u32]; 4] = [&[]; 4];
                let mut n = 0;
                for t in Index::covered(k, part) {
                    if plan.host_room(h, t) == 0 {
                        lists[n] = plan.hosted_at(h, t);
                        n += 1;
                    }
                    if plan.away_room(vs, t) == 0 {
                        lists[n] = plan.away_at(vs, t);
                        n += 1;
                    }
                }
                moves.clear();
                if n > 0 {
                    moves.extend(lists[0].iter().copied().filter(|&b| {
                        !memo.is_stuck(b) && lists[1..n].iter().all(|l| l.contains(&b))
                    }));
                }
                for &b in &moves {
                    let old = plan.visit(b);
                    if !movable(&old) || plan.partner_of(b).is_some() {
                        continue;
                    }
                    if !has_elsewhere(plan, &old) {
                        memo.mark_stuck(b);
                        continue;
                    }
                    if try_move(plan, v, h, k, part, wish, b) {
                        return true;
                    }
                }
                // Remember the resources none of whose visits can move.
                for t in Index::covered(k, part) {
                    if plan.host_room(h, t) == 0
                        && plan.hosted_at(h, t).iter().all(|&b| memo.is_stuck(b))
                    {
                        memo.dead_host.set(h, t, true);
                    }
                    if plan.away_room(vs, t) == 0
                        && plan.away_at(vs, t).iter().all(|&b| memo.is_stuck(b))
                    {
                        memo.dead_origin.set(vs, t, true);
                    }
                }
            }
        }
    }
    false
}

/// The hosts a placed visit may move to: any host of its wish, or its own
/// host for a visit without wish.
fn hosts_of_visit<'i>(ix: &'i Index, visit: &'i Visit) -> &'i [u32] {
    if visit.wish == NONE {
        std::slice::from_ref(&visit.host)
    } else {
        hosts_for(ix, &ix.wishes[visit.wish as usize])
    }
}

/// Whether the placed `visit` could move, as the plan stands, to another
/// date or host of its wish (its own half-days are busy for its visitor, so
/// they are never offered again).
fn has_elsewhere(plan: &Plan<'_>, visit: &Visit) -> bool {
    let full = visit.part == Part::FullDay;
    // The visit itself uses up the visitor's quota: ignore that block.
    let quota = Block::VisitLimit as u16;
    hosts_of_visit(plan.ix, visit).iter().any(|&hb| {
        plan.pair_blocks(visit.visitor, hb) & !quota == 0
            && (0..plan.words()).any(|w| plan.masks(visit.visitor, hb, w, full).fitting() != 0)
    })
}

/// Removes visit `b`, places `v` at (`h`, `k`, `part`), and re-places `b`'s
/// visitor elsewhere on `b`'s wish; undoes everything if either fails.
fn try_move(plan: &mut Plan<'_>, v: u32, h: u32, k: u32, part: Part, wish: u32, b: u32) -> bool {
    let ix = plan.ix;
    let old = plan.remove(b);
    if !plan.fits(v, h, k, part) {
        plan.place(old);
        return false;
    }
    let placed = plan.place(Visit {
        visitor: v,
        host: h,
        day: k,
        part,
        wish,
    });
    let full = old.part == Part::FullDay;
    let mut options = Vec::new();
    for &hb in hosts_of_visit(ix, &old) {
        plan.fitting(old.visitor, hb, full, &mut options);
        if let Some(&(day, p)) = options.first() {
            plan.place(Visit {
                host: hb,
                day,
                part: p,
                ..old
            });
            return true;
        }
    }
    plan.remove(placed);
    plan.place(old);
    false
}
