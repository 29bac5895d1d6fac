//! The strategies, over one feasibility core.
//!
//! Every strategy works on the dense index of an [`Instance`] and places
//! visits through the same feasibility core, which enforces every hard
//! constraint; the same assembly turns the plan into an [`Outcome`] with
//! reasons for the visitors left out and a report.
//!
//! - [`Strategy::Draw`]: the seeded lottery, random serial dictatorship
//!   (see the procedure in the `draw` module docs, reproduced in
//!   [`crate::rng`] for the random part).

mod aggregate;
mod assemble;
#[allow(dead_code)] // the reciprocal strategy is next
pub(crate) mod blossom;
pub(crate) mod bound;
mod draw;
pub(crate) mod feasibility;
pub(crate) mod flow;
mod optimal;
mod reasons;
mod repair;
pub(crate) mod slot_choice;
pub(crate) mod stable;

pub use aggregate::{Aggregate, AggregateAssignment};

use crate::outcome::Bound;
use crate::{Instance, Outcome, Policy, Strategy};

/// Runs `policy`'s strategy on `instance`.
pub(crate) fn solve(instance: &Instance, policy: &Policy) -> Outcome {
    let ix = instance.index();
    let mut plan = feasibility::Plan::new(ix);
    let bound = match policy.strategy {
        Strategy::Draw => {
            draw::draw(&mut plan, policy.seed.get(), policy.second_chance);
            None
        }
        Strategy::Optimal => {
            let (method, placed) =
                optimal::optimal(&mut plan, policy.seed.get(), policy.work_limit);
            Some(match method {
                optimal::Method::Exact => Bound {
                    placed,
                    source: "exact assignment (min-cost flow)".to_owned(),
                },
                optimal::Method::Heuristic => Bound {
                    placed,
                    source: "aggregate relaxation (min-cost flow)".to_owned(),
                },
            })
        }
    };
    let mut outcome = assemble::outcome(instance.edition(), &plan, policy);
    outcome.bound = bound;
    outcome
}

/// Solves the aggregate relaxation of `instance` with `seed`.
pub(crate) fn aggregate(instance: &Instance, seed: u64) -> Aggregate {
    aggregate::solve(instance.edition(), instance.index(), seed)
}
