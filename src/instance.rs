//! A validated edition with its dense index: what strategies run on.

use crate::calendar::Calendar;
use crate::index::Index;
use crate::validate::{ValidationError, validate};
use crate::{Edition, Outcome, Policy};

/// A validated edition, indexed once for the solvers.
///
/// # Examples
///
/// ```
/// use jobswap::{Edition, Instance};
/// let d = chrono::NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
/// let instance = Instance::new(Edition::new("empty", d, d))?;
/// assert!(instance.solve().pairings().is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Instance {
    edition: Edition,
    calendar: Calendar,
    index: Index,
}

impl Instance {
    /// Validates `edition` and builds its index.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] naming every problem of the edition.
    pub fn new(edition: Edition) -> Result<Self, ValidationError> {
        validate(&edition)?;
        let calendar = Calendar::of(&edition);
        let index = Index::build(&edition, &calendar);
        Ok(Instance {
            edition,
            calendar,
            index,
        })
    }

    /// The edition.
    pub fn edition(&self) -> &Edition {
        &self.edition
    }

    /// The edition's calendar.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    pub(crate) fn index(&self) -> &Index {
        &self.index
    }

    /// Runs the edition's policy.
    pub fn solve(&self) -> Outcome {
        crate::matcher::solve(self, &self.edition.policy)
    }

    /// The optimum of the aggregate relaxation (slots forgotten): who
    /// visits which service, the most visits then the least rank sum,
    /// solved exactly by min-cost flow. An upper bound on the visitors any
    /// plan places, not a plan. The edition's seed decides among equal
    /// optima.
    ///
    /// See [`crate::matcher::Aggregate`].
    pub fn aggregate(&self) -> crate::matcher::Aggregate {
        crate::matcher::aggregate(self, self.edition.policy.seed.get())
    }

    /// The stable matching before slots (visitor-proposing deferred
    /// acceptance on the aggregate, with the edition's priority or its
    /// seeded lottery): what the stable strategy then schedules.
    pub fn stable_matching(&self) -> crate::matcher::Aggregate {
        crate::matcher::stable_aggregate(self, &self.edition.policy)
    }

    /// The best reciprocal binômes: the most pairs of visitors who each
    /// wish the other's service, then the most satisfaction, solved
    /// exactly (maximum-weight matching on a general graph). The pairs
    /// only; scheduling both legs is not done here.
    pub fn reciprocal_pairs(&self) -> crate::matcher::ReciprocalPairs {
        crate::matcher::reciprocal_pairs(self, self.edition.policy.seed.get())
    }

    /// Runs another policy on the same edition (the policy's
    /// `max_visits_per_agent`, durations, `half_day_fallback` and
    /// confidentiality options are taken from the edition, which the index
    /// was built with).
    pub fn solve_with(&self, policy: &Policy) -> Outcome {
        crate::matcher::solve(self, policy)
    }
}
