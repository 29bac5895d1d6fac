//! Agents: the employees who visit and host.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{AgentId, ServiceId, Slot};

/// An employee taking part (or not) in the edition.
///
/// ```
/// use jobswap::Agent;
/// let denise = Agent::new("denise", "Denise M.", "accueil-hdv").visits(true).hosts(true);
/// assert!(denise.visits && denise.hosts);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Agent {
    /// Unique id.
    pub id: AgentId,
    /// Display name, used in messages.
    pub name: String,
    /// Home service.
    pub service: ServiceId,
    /// Job title.
    #[serde(default)]
    pub job_title: String,
    /// Volunteers to visit another service.
    #[serde(default)]
    pub visits: bool,
    /// Volunteers to host visitors.
    #[serde(default)]
    pub hosts: bool,
    /// Whole dates the agent is away (leave, training…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unavailable_dates: Vec<NaiveDate>,
    /// Half-days the agent is away.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unavailable_slots: Vec<Slot>,
    /// Signed the confidentiality agreement.
    #[serde(default)]
    pub confidentiality_signed: bool,
    /// Participation in earlier editions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Participation>,
}

/// A role in an edition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The agent discovers another service.
    Visitor,
    /// The agent receives a visitor in their own job.
    Host,
}

/// What an agent did in an earlier edition.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participation {
    /// The earlier edition's name.
    pub edition: String,
    /// The role held.
    pub role: Role,
    /// For a visitor: the service visited, or `None` if they asked but were
    /// not placed.
    #[serde(default)]
    pub visited: Option<ServiceId>,
}

impl Agent {
    /// An agent who neither visits nor hosts yet.
    pub fn new(
        id: impl Into<AgentId>,
        name: impl Into<String>,
        service: impl Into<ServiceId>,
    ) -> Self {
        Agent {
            id: id.into(),
            name: name.into(),
            service: service.into(),
            job_title: String::new(),
            visits: false,
            hosts: false,
            unavailable_dates: Vec::new(),
            unavailable_slots: Vec::new(),
            confidentiality_signed: false,
            history: Vec::new(),
        }
    }

    /// Sets the job title.
    #[must_use]
    pub fn job_title(mut self, title: impl Into<String>) -> Self {
        self.job_title = title.into();
        self
    }

    /// Volunteers (or not) to visit.
    #[must_use]
    pub fn visits(mut self, yes: bool) -> Self {
        self.visits = yes;
        self
    }

    /// Volunteers (or not) to host.
    #[must_use]
    pub fn hosts(mut self, yes: bool) -> Self {
        self.hosts = yes;
        self
    }

    /// Marks a whole date unavailable.
    #[must_use]
    pub fn unavailable_date(mut self, date: NaiveDate) -> Self {
        self.unavailable_dates.push(date);
        self
    }

    /// Marks a half-day unavailable.
    #[must_use]
    pub fn unavailable_slot(mut self, slot: Slot) -> Self {
        self.unavailable_slots.push(slot);
        self
    }

    /// Records the confidentiality agreement as signed (or not).
    #[must_use]
    pub fn confidentiality_signed(mut self, yes: bool) -> Self {
        self.confidentiality_signed = yes;
        self
    }

    /// Adds a participation in an earlier edition.
    #[must_use]
    pub fn participation(mut self, p: Participation) -> Self {
        self.history.push(p);
        self
    }
}
