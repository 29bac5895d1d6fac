//! The edition: one run of the programme.

use chrono::{NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::{Agent, HostSlot, Policy, Service, Wish};

/// Which public holidays are closed days, on top of the listed ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PublicHolidays {
    /// None: only the listed closed days.
    #[default]
    None,
    /// The eleven public holidays of metropolitan France, computed by the
    /// crate ([`crate::calendar::french_public_holidays`]).
    France,
}

/// Clock times of the two halves of a day, for calendar invitations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Hours {
    /// When the morning starts (default 08:30).
    pub morning_start: NaiveTime,
    /// When the morning ends (default 12:00).
    pub morning_end: NaiveTime,
    /// When the afternoon starts (default 13:30).
    pub afternoon_start: NaiveTime,
    /// When the afternoon ends (default 17:00).
    pub afternoon_end: NaiveTime,
}

impl Default for Hours {
    fn default() -> Self {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
        Hours {
            morning_start: t(8, 30),
            morning_end: t(12, 0),
            afternoon_start: t(13, 30),
            afternoon_end: t(17, 0),
        }
    }
}

fn monday_to_friday() -> Vec<Weekday> {
    vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ]
}

/// One run of the programme: its calendar, its people and its policy.
///
/// Build one in code with [`Edition::new`] and the setters, or read one from
/// JSON with [`crate::json::read_edition`]. Nothing is checked until
/// [`crate::Instance::new`] validates it.
///
/// ```
/// use chrono::NaiveDate;
/// use jobswap::{Agent, Edition, Service};
/// let d = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap();
/// let e = Edition::new("Vis mon job 2025", d(3, 3), d(4, 30))
///     .service(Service::new("ccas", "CCAS"))
///     .agent(Agent::new("ana", "Ana", "ccas").visits(true));
/// assert_eq!(e.agents.len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Edition {
    /// The edition's name, e.g. `"Vis mon job 2025"`.
    pub name: String,
    /// First date of the window (inclusive).
    pub start: NaiveDate,
    /// Last date of the window (inclusive).
    pub end: NaiveDate,
    /// Weekdays worked (default Monday to Friday).
    #[serde(default = "monday_to_friday")]
    pub working_weekdays: Vec<Weekday>,
    /// Dates closed to visits inside the window.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closed_days: Vec<NaiveDate>,
    /// Public holidays also closed.
    #[serde(default)]
    pub public_holidays: PublicHolidays,
    /// Clock times of the half-days.
    #[serde(default)]
    pub hours: Hours,
    /// Strategy, seed and options.
    #[serde(default)]
    pub policy: Policy,
    /// The services.
    pub services: Vec<Service>,
    /// The agents (visitors, hosts, both, or neither).
    pub agents: Vec<Agent>,
    /// The visitors' ranked wishes.
    #[serde(default)]
    pub wishes: Vec<Wish>,
    /// The hosts' offers.
    #[serde(default)]
    pub host_slots: Vec<HostSlot>,
}

impl Edition {
    /// An empty edition over `start..=end`, Monday to Friday, default policy.
    pub fn new(name: impl Into<String>, start: NaiveDate, end: NaiveDate) -> Self {
        Edition {
            name: name.into(),
            start,
            end,
            working_weekdays: monday_to_friday(),
            closed_days: Vec::new(),
            public_holidays: PublicHolidays::None,
            hours: Hours::default(),
            policy: Policy::default(),
            services: Vec::new(),
            agents: Vec::new(),
            wishes: Vec::new(),
            host_slots: Vec::new(),
        }
    }

    /// Sets the weekdays worked.
    #[must_use]
    pub fn working_weekdays(mut self, days: impl IntoIterator<Item = Weekday>) -> Self {
        self.working_weekdays = days.into_iter().collect();
        self
    }

    /// Adds a closed date.
    #[must_use]
    pub fn closed_day(mut self, date: NaiveDate) -> Self {
        self.closed_days.push(date);
        self
    }

    /// Sets which public holidays are closed.
    #[must_use]
    pub fn public_holidays(mut self, h: PublicHolidays) -> Self {
        self.public_holidays = h;
        self
    }

    /// Sets the clock times of the half-days.
    #[must_use]
    pub fn hours(mut self, hours: Hours) -> Self {
        self.hours = hours;
        self
    }

    /// Sets the policy.
    #[must_use]
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// Adds a service.
    #[must_use]
    pub fn service(mut self, s: Service) -> Self {
        self.services.push(s);
        self
    }

    /// Adds an agent.
    #[must_use]
    pub fn agent(mut self, a: Agent) -> Self {
        self.agents.push(a);
        self
    }

    /// Adds a wish.
    #[must_use]
    pub fn wish(mut self, w: Wish) -> Self {
        self.wishes.push(w);
        self
    }

    /// Adds a host slot.
    #[must_use]
    pub fn host_slot(mut self, h: HostSlot) -> Self {
        self.host_slots.push(h);
        self
    }

    /// Writes `outcome` (a run of this edition) into the agents' history,
    /// under this edition's name, so that the next edition built from these
    /// agents knows it: every visitor who could take part gets a
    /// [`Role::Visitor`](crate::Role::Visitor) entry with the service
    /// visited, or none if left out (first in line next time); volunteers
    /// kept out by the participation cap get nothing; every host who
    /// received someone gets a [`Role::Host`](crate::Role::Host) entry.
    /// Editions should be named so that their names sort by date (the
    /// latest is the greatest name).
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// use jobswap::{Agent, Edition, HostSlot, Instance, Part, Service, Wish};
    /// let d = |day| NaiveDate::from_ymd_opt(2025, 3, day).unwrap();
    /// let mut edition = Edition::new("2025-03", d(3), d(7))
    ///     .service(Service::new("accueil", "Accueil").continuity_cap(1))
    ///     .service(Service::new("etat-civil", "État civil"))
    ///     .agent(Agent::new("ana", "Ana", "accueil").visits(true))
    ///     .agent(Agent::new("bob", "Bob", "accueil").visits(true))
    ///     .agent(Agent::new("eve", "Ève", "etat-civil").hosts(true))
    ///     .wish(Wish::service("ana", "etat-civil", 1))
    ///     .wish(Wish::service("bob", "etat-civil", 1))
    ///     .host_slot(HostSlot::new("eve-1", "eve", d(4), Part::Morning));
    /// let outcome = Instance::new(edition.clone())?.solve();
    /// edition.record(&outcome);
    /// let left_out = outcome.unplaced()[0].visitor.clone();
    /// let a = edition.agents.iter().find(|a| a.id == left_out).unwrap();
    /// assert_eq!(a.history[0].visited, None); // first in line next time
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record(&mut self, outcome: &crate::Outcome) {
        use crate::{Participation, Role, UnplacedReason};
        let mut hosted: Vec<&crate::AgentId> = outcome.pairings().iter().map(|p| &p.host).collect();
        hosted.sort_unstable();
        hosted.dedup();
        let capped = |a: &crate::AgentId| {
            outcome
                .reasons_for(a)
                .iter()
                .any(|r| matches!(r, UnplacedReason::ParticipationCapReached { .. }))
        };
        for a in &mut self.agents {
            if a.visits && !capped(&a.id) {
                let before = a.history.len();
                let pairings = outcome.pairings();
                let first = pairings.partition_point(|p| p.visitor < a.id);
                for p in pairings[first..].iter().take_while(|p| p.visitor == a.id) {
                    a.history.push(Participation {
                        edition: self.name.clone(),
                        role: Role::Visitor,
                        visited: Some(p.service.clone()),
                    });
                }
                if a.history.len() == before {
                    a.history.push(Participation {
                        edition: self.name.clone(),
                        role: Role::Visitor,
                        visited: None,
                    });
                }
            }
            if hosted.binary_search(&&a.id).is_ok() {
                a.history.push(Participation {
                    edition: self.name.clone(),
                    role: Role::Host,
                    visited: None,
                });
            }
        }
    }
}
