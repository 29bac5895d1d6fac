//! Wishes: what a visitor asks to discover, ranked.

use serde::{Deserialize, Serialize};

use crate::{AgentId, Duration, ServiceId};

/// What a wish aims at: a whole service, or one host in particular.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// Any volunteer host of this service.
    Service(ServiceId),
    /// This host agent.
    Host(AgentId),
}

/// A visitor's ranked wish (rank 1 = first choice).
///
/// ```
/// use jobswap::{Duration, Target, Wish};
/// let w = Wish::service("mathilde", "vie-scolaire", 1).duration(Duration::FullDay);
/// assert_eq!(w.target, Target::Service("vie-scolaire".into()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Wish {
    /// Who wishes.
    pub visitor: AgentId,
    /// The service or host wished for.
    pub target: Target,
    /// 1 for the first choice; a visitor's ranks run 1..=n.
    pub rank: u32,
    /// How long the visit should last.
    #[serde(default)]
    pub duration: Duration,
}

impl Wish {
    /// A half-day wish for a service.
    pub fn service(visitor: impl Into<AgentId>, service: impl Into<ServiceId>, rank: u32) -> Self {
        Wish {
            visitor: visitor.into(),
            target: Target::Service(service.into()),
            rank,
            duration: Duration::HalfDay,
        }
    }

    /// A half-day wish for one host.
    pub fn host(visitor: impl Into<AgentId>, host: impl Into<AgentId>, rank: u32) -> Self {
        Wish {
            visitor: visitor.into(),
            target: Target::Host(host.into()),
            rank,
            duration: Duration::HalfDay,
        }
    }

    /// Sets the duration asked for.
    #[must_use]
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = duration;
        self
    }
}
