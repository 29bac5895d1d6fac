//! The benchmark "core instance" format (`jobswap-core`, version 1): the
//! matching problem stripped to integers, as read by the peer solvers the
//! crate is measured against.
//!
//! [`CoreInstance::to_edition`] maps a core instance onto the crate's own
//! types — one synthetic host per service, one host slot per service and
//! half-day with the instance's hosting capacity, working days from Monday
//! 6 January 2025 — so that the real pipeline (validation, index, strategy,
//! checker) runs on it. [`CoreSolution::from_outcome`] maps the pairings
//! back.
//!
//! Ids: service `s` is `"s000012"`, visitor `v` is `"v000345"`, the host of
//! service `s` is `"h000012"`: zero-padded so that the crate's id order is
//! the instance's index order.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::{Agent, Duration, Edition, HostSlot, Outcome, Part, Policy, Service, Slot, Wish};

/// The format tag of a core instance.
pub const CORE_FORMAT: &str = "jobswap-core";
/// The format tag of a full solution.
pub const SOLUTION_FORMAT: &str = "jobswap-core-solution";

/// A service of a core instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoreService {
    /// Continuity cap: own visitors away at once.
    pub away_cap: u32,
    /// Visitors received per half-day slot (2 × days entries).
    pub host_cap: Vec<u32>,
}

/// A visitor of a core instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoreVisitor {
    /// Own service.
    pub origin: u32,
    /// Wished services, rank order.
    pub wishes: Vec<u32>,
    /// Asks for a full day.
    pub full_day: bool,
    /// Available day indices, ascending.
    pub available: Vec<u32>,
}

/// A core instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoreInstance {
    /// `"jobswap-core"`.
    pub format: String,
    /// 1.
    pub version: u32,
    /// Instance name.
    #[serde(default)]
    pub name: String,
    /// Generator metadata (ignored).
    #[serde(default)]
    pub meta: serde_json::Value,
    /// Working days.
    pub days: u32,
    /// Services.
    pub services: Vec<CoreService>,
    /// Visitors.
    pub visitors: Vec<CoreVisitor>,
}

/// What can be wrong with a core instance before it becomes an edition.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    /// Not a `jobswap-core` version 1 document.
    #[error("not a `jobswap-core` version 1 instance (format `{format}`, version {version})")]
    Format {
        /// The format found.
        format: String,
        /// The version found.
        version: u32,
    },
    /// More working days than fit in a year's window.
    #[error("{0} days do not fit in an edition window")]
    TooManyDays(u32),
    /// A service's `host_cap` does not have `2 × days` entries.
    #[error("service {service}: host_cap has {found} entries, {expected} expected")]
    HostCapLength {
        /// The service index.
        service: u32,
        /// Entries found.
        found: usize,
        /// Entries expected.
        expected: usize,
    },
}

/// Id of service `s`.
pub fn service_id(s: u32) -> String {
    format!("s{s:06}")
}
/// Id of visitor `v`.
pub fn visitor_id(v: u32) -> String {
    format!("v{v:06}")
}
/// Id of the synthetic host of service `s`.
pub fn host_id(s: u32) -> String {
    format!("h{s:06}")
}

fn index_of(id: &str) -> Option<u32> {
    id.get(1..)?.parse().ok()
}

/// The first `n` Monday-to-Friday dates from Monday 6 January 2025.
fn working_days(n: u32) -> Vec<NaiveDate> {
    let mut out = Vec::with_capacity(n as usize);
    let mut d = NaiveDate::from_ymd_opt(2025, 1, 6).unwrap_or(NaiveDate::MIN);
    while out.len() < n as usize {
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            out.push(d);
        }
        d = match d.succ_opt() {
            Some(x) => x,
            None => break,
        };
    }
    out
}

impl CoreInstance {
    /// Maps the instance onto an edition with `policy`.
    ///
    /// # Errors
    ///
    /// [`CoreError`] when the tag, the number of days or a `host_cap`
    /// length is wrong. Anything else (a wish for an unknown service…) is
    /// left for [`crate::Instance::new`] to report.
    pub fn to_edition(&self, policy: Policy) -> Result<Edition, CoreError> {
        if self.format != CORE_FORMAT || self.version != 1 {
            return Err(CoreError::Format {
                format: self.format.clone(),
                version: self.version,
            });
        }
        if self.days == 0 || self.days > 260 {
            return Err(CoreError::TooManyDays(self.days));
        }
        let days = working_days(self.days);
        let (Some(&start), Some(&end)) = (days.first(), days.last()) else {
            return Err(CoreError::TooManyDays(self.days));
        };
        let slots = 2 * self.days as usize;
        let mut e = Edition::new(self.name.clone(), start, end).policy(policy);
        e.services.reserve(self.services.len());
        e.agents.reserve(self.services.len() + self.visitors.len());
        for (s, svc) in self.services.iter().enumerate() {
            let s = s as u32;
            if svc.host_cap.len() != slots {
                return Err(CoreError::HostCapLength {
                    service: s,
                    found: svc.host_cap.len(),
                    expected: slots,
                });
            }
            e.services
                .push(Service::new(service_id(s), service_id(s)).continuity_cap(svc.away_cap));
            e.agents
                .push(Agent::new(host_id(s), host_id(s), service_id(s)).hosts(true));
            for (t, &cap) in svc.host_cap.iter().enumerate() {
                if cap == 0 {
                    continue;
                }
                let part = if t % 2 == 0 {
                    Part::Morning
                } else {
                    Part::Afternoon
                };
                e.host_slots.push(
                    HostSlot::new(format!("{}-{t}", host_id(s)), host_id(s), days[t / 2], part)
                        .capacity(cap),
                );
            }
        }
        for (v, vis) in self.visitors.iter().enumerate() {
            let id = visitor_id(v as u32);
            let mut a = Agent::new(id.clone(), id.clone(), service_id(vis.origin)).visits(true);
            let mut avail = vis.available.iter().peekable();
            for (k, &date) in days.iter().enumerate() {
                while avail.next_if(|&&x| (x as usize) < k).is_some() {}
                if avail.peek().is_some_and(|&&x| x as usize == k) {
                    continue;
                }
                a.unavailable_dates.push(date);
            }
            e.agents.push(a);
            let duration = if vis.full_day {
                Duration::FullDay
            } else {
                Duration::HalfDay
            };
            for (r, &d) in vis.wishes.iter().enumerate() {
                e.wishes.push(
                    Wish::service(id.clone(), service_id(d), r as u32 + 1).duration(duration),
                );
            }
        }
        Ok(e)
    }
}

/// A full solution in the core format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoreSolution {
    /// `"jobswap-core-solution"`.
    pub format: String,
    /// 1.
    pub version: u32,
    /// The instance's name.
    pub instance: String,
    /// The solver, e.g. `"jobswap-draw"`.
    pub solver: String,
    /// Visitors placed.
    pub placed: u32,
    /// Sum of ranks.
    pub rank_sum: u64,
    /// An upper bound on `placed`, where the strategy computes one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<u32>,
    /// An upper bound on `W × placed − rank_sum` (`W = 5V + 1` for ranks up
    /// to 5), where computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective_bound: Option<u64>,
    /// `[visitor, service, day, part]` with part `"am"`, `"pm"` or `"full"`.
    pub assign: Vec<(u32, u32, u32, String)>,
}

impl CoreSolution {
    /// Maps an outcome of [`CoreInstance::to_edition`]'s edition back to
    /// the core format. Pairings whose ids are not of that edition are
    /// skipped.
    pub fn from_outcome(instance: &CoreInstance, outcome: &Outcome, solver: &str) -> Self {
        let days = working_days(instance.days);
        let mut assign: Vec<(u32, u32, u32, String)> = outcome
            .pairings()
            .iter()
            .filter_map(|p| {
                let v = index_of(p.visitor.as_str())?;
                let s = index_of(p.service.as_str())?;
                let k = days.binary_search(&p.date).ok()? as u32;
                let part = match p.part {
                    Part::Morning => "am",
                    Part::Afternoon => "pm",
                    Part::FullDay => "full",
                };
                Some((v, s, k, part.to_owned()))
            })
            .collect();
        assign.sort();
        let rank_sum = outcome
            .pairings()
            .iter()
            .filter_map(|p| p.rank)
            .map(u64::from)
            .sum();
        CoreSolution {
            format: SOLUTION_FORMAT.to_owned(),
            version: 1,
            instance: instance.name.clone(),
            solver: solver.to_owned(),
            placed: assign.len() as u32,
            rank_sum,
            bound: outcome.bound().map(|b| b.placed),
            objective_bound: outcome.bound().and_then(|b| b.objective),
            assign,
        }
    }
}

/// The format tag of an aggregate (relaxed) solution.
pub const AGGREGATE_FORMAT: &str = "jobswap-core-aggregate";

/// An aggregate (relaxed, slot-free) solution in the core format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoreAggregate {
    /// `"jobswap-core-aggregate"`.
    pub format: String,
    /// 1.
    pub version: u32,
    /// Which relaxation.
    pub relaxation: String,
    /// The instance's name.
    pub instance: String,
    /// Visitors assigned (an upper bound on the full problem's placed).
    pub placed: u32,
    /// Sum of ranks.
    pub rank_sum: u64,
    /// `[visitor, service]`.
    pub assign: Vec<(u32, u32)>,
}

impl CoreAggregate {
    /// Maps the aggregate relaxation of [`CoreInstance::to_edition`]'s
    /// edition back to the core format.
    pub fn from_aggregate(
        instance: &CoreInstance,
        agg: &crate::matcher::Aggregate,
        relaxation: &str,
    ) -> Self {
        let mut assign: Vec<(u32, u32)> = agg
            .assignments
            .iter()
            .filter_map(|a| Some((index_of(a.visitor.as_str())?, index_of(a.service.as_str())?)))
            .collect();
        assign.sort_unstable();
        CoreAggregate {
            format: AGGREGATE_FORMAT.to_owned(),
            version: 1,
            relaxation: relaxation.to_owned(),
            instance: instance.name.clone(),
            placed: agg.placed,
            rank_sum: agg.rank_sum,
            assign,
        }
    }
}

/// The slot of day `k` of a core instance's edition.
pub fn slot_of_day(days: u32, k: u32, half: crate::HalfDay) -> Option<Slot> {
    working_days(days)
        .get(k as usize)
        .map(|&d| Slot::new(d, half))
}
