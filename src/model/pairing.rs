//! Pairings: the result of matching.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{AgentId, Duration, Part, ServiceId};

/// One visit: who goes where, when, and which wish it satisfies.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Pairing {
    /// The visitor.
    pub visitor: AgentId,
    /// The host.
    pub host: AgentId,
    /// The host's service, which the visitor discovers.
    pub service: ServiceId,
    /// The date of the visit.
    pub date: NaiveDate,
    /// Morning, afternoon or full day.
    pub part: Part,
    /// The rank of the wish satisfied; `None` for a drawn visit without wish.
    pub rank: Option<u32>,
    /// For a reciprocal exchange: the visitor of the other leg (who visits
    /// this pairing's visitor's service).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reciprocal: Option<AgentId>,
    /// The visitor still has to sign the confidentiality agreement the
    /// service requires before the visit.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub agreement_pending: bool,
    /// A half-day visit serving a full-day wish, as the policy's
    /// [`half_day_fallback`](crate::Policy::half_day_fallback) allows when
    /// no full day could be had: the wish asked for a full day, the visit
    /// lasts a morning or an afternoon.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fallback: bool,
}

impl Pairing {
    /// A pairing without reciprocal leg or pending agreement.
    pub fn new(
        visitor: impl Into<AgentId>,
        host: impl Into<AgentId>,
        service: impl Into<ServiceId>,
        date: NaiveDate,
        part: Part,
        rank: Option<u32>,
    ) -> Self {
        Pairing {
            visitor: visitor.into(),
            host: host.into(),
            service: service.into(),
            date,
            part,
            rank,
            reciprocal: None,
            agreement_pending: false,
            fallback: false,
        }
    }

    /// The duration of the visit.
    pub fn duration(&self) -> Duration {
        self.part.duration()
    }

    /// Whether this is a half-day fallback for a full-day wish (see
    /// [`Pairing::fallback`]).
    ///
    /// ```
    /// use jobswap::{Duration, Pairing, Part};
    /// let d = chrono::NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
    /// let mut p = Pairing::new("ana", "bea", "scolaire", d, Part::Morning, Some(1));
    /// assert!(!p.is_fallback());
    /// p.fallback = true;
    /// assert!(p.is_fallback());
    /// assert_eq!(p.duration(), Duration::HalfDay);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_fallback(&self) -> bool {
        self.fallback
    }
}
