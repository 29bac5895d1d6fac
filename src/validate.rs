//! Validation of an edition: every problem at once, each with a stable code
//! and the ids involved.
//!
//! [`validate`] (which [`crate::Instance::new`] runs first) reads the whole
//! edition and returns either `Ok(())` or one [`ValidationError`] listing
//! *every* [`Problem`] found. Whether anybody can actually be placed is not
//! validation: an edition where no wish can be met is valid, and its
//! outcome explains why each visitor was left out.
//!
//! # Codes
//!
//! Each problem has a machine code ([`Problem::code`]), also the `"code"`
//! tag of its JSON form. **Codes are stable**: a code is never renamed nor
//! given another meaning; new checks get new codes. The codes, by theme:
//!
//! | theme | codes |
//! |---|---|
//! | window and calendar | `end_before_start`, `window_too_long`, `empty_window`, `no_working_weekday`, `hours_out_of_order` |
//! | policy | `max_visits_per_agent_out_of_range`, `unknown_priority_agent`, `agent_in_several_tiers` |
//! | services | `empty_service_id`, `duplicate_service`, `continuity_cap_out_of_range`, `max_visitors_out_of_range`, `cap_override_out_of_range`, `cap_override_outside_window`, `cap_override_not_working_day`, `duplicate_cap_override` |
//! | agents | `empty_agent_id`, `duplicate_agent`, `unknown_agent_service`, `unknown_history_service` |
//! | wishes | `unknown_wish_visitor`, `unknown_wish_service`, `unknown_wish_host`, `wish_for_own_service`, `host_wish_for_own_service`, `host_wish_for_self`, `host_wish_for_non_host`, `wish_by_non_visitor`, `duplicate_wish_target`, `ranks_not_consecutive`, `too_many_wishes` |
//! | host slots | `empty_host_slot_id`, `duplicate_host_slot`, `unknown_host_slot_host`, `host_slot_by_non_host`, `host_slot_outside_window`, `host_slot_not_working_day`, `host_slot_zero_capacity`, `host_slot_capacity_out_of_range` |
//!
//! # Order
//!
//! Problems are sorted by code (alphabetically), then by the ids they name
//! (as [`Problem::ids`] lists them), then by their other fields; identical
//! problems are reported once. The error is therefore the same whatever the
//! order of the edition's lists.
//!
//! # Rules worth knowing
//!
//! - Numbers have documented maxima: [`MAX_COUNT`] for continuity caps, cap
//!   overrides, `max_visitors` and host-slot capacities; [`MAX_WISHES`] wishes
//!   per visitor; [`MAX_WINDOW_DAYS`] days in the window;
//!   `max_visits_per_agent` in `1..=`[`MAX_VISITS_PER_AGENT`].
//! - Dates of host slots and cap overrides are only checked against the
//!   calendar when the window itself is sound: with an inverted, over-long
//!   or empty window, or no working weekday, only the window is reported.
//! - An id listed twice is reported as a duplicate; references to it count
//!   as known, but the checks that read the agent's data (their service, or
//!   whether they visit or host) are skipped for it, since the copies may
//!   disagree.
//! - Per-visitor checks (ranks, duplicate targets, volunteering) are made
//!   for known visitors only; wishes by an unknown agent are reported once
//!   per unknown id. A target wished for twice is reported only if it is
//!   known (an unknown one is reported as unknown).
//! - Harmless input is accepted: agent unavailability outside the window,
//!   closed days outside the window or listed twice, a weekday listed twice,
//!   several host slots of one host on the same half-day (their capacities
//!   add up).

use std::cmp::Ordering;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::{Agent, AgentId, Edition, HostSlotId, ServiceId, Slot, Target};

/// The largest continuity cap, cap override, `max_visitors` or host-slot
/// capacity accepted. Far above any real service, and low enough that the
/// per-slot sums the solvers make (host slots of one host on one half-day,
/// visitors of one service) stay far inside `u32`.
pub const MAX_COUNT: u32 = 100_000;

/// The most wishes one visitor may rank (so ranks run at most to 1 000).
pub const MAX_WISHES: usize = 1_000;

/// The longest window accepted, in days, both ends included.
pub const MAX_WINDOW_DAYS: u32 = 366;

/// The largest `max_visits_per_agent`: two half-day visits on each day of
/// the longest window.
pub const MAX_VISITS_PER_AGENT: u32 = 2 * MAX_WINDOW_DAYS;

/// An id named by a [`Problem`], with the kind of thing it identifies.
///
/// Ordered by kind (agent, service, host slot), then by id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OffendingId {
    /// An agent id (possibly one the edition does not have).
    Agent(AgentId),
    /// A service id (possibly one the edition does not have).
    Service(ServiceId),
    /// A host-slot id.
    HostSlot(HostSlotId),
}

impl OffendingId {
    /// The id as a string slice, whatever its kind.
    pub fn as_str(&self) -> &str {
        match self {
            OffendingId::Agent(a) => a.as_str(),
            OffendingId::Service(s) => s.as_str(),
            OffendingId::HostSlot(h) => h.as_str(),
        }
    }
}

impl fmt::Display for OffendingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Renders a wish target for messages: ``service `x` `` or ``host `y` ``.
struct ShowTarget<'a>(&'a Target);

impl fmt::Display for ShowTarget<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Target::Service(s) => write!(f, "service `{s}`"),
            Target::Host(h) => write!(f, "host `{h}`"),
        }
    }
}

/// The word for `n` things.
fn plural(n: u32, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// Renders ranks for messages, eliding after the twentieth.
struct ShowRanks<'a>(&'a [u32]);

impl fmt::Display for ShowRanks<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 20;
        for (i, r) in self.0.iter().take(SHOWN).enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{r}")?;
        }
        if self.0.len() > SHOWN {
            write!(f, ", … ({} in all)", self.0.len())?;
        }
        Ok(())
    }
}

/// One problem found in an edition.
///
/// Its JSON form is an object tagged by `"code"` (the same string as
/// [`Problem::code`]) with the fields below.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, thiserror::Error,
)]
#[serde(rename_all = "snake_case", tag = "code")]
#[non_exhaustive]
pub enum Problem {
    // ----- window, calendar, policy -----
    /// The window ends before it starts.
    #[error("the edition ends on {end}, before it starts on {start}")]
    EndBeforeStart {
        /// First date.
        start: NaiveDate,
        /// Last date.
        end: NaiveDate,
    },
    /// The window is longer than [`MAX_WINDOW_DAYS`].
    #[error("the edition runs {days} days from {start} to {end}, more than {MAX_WINDOW_DAYS}")]
    WindowTooLong {
        /// First date.
        start: NaiveDate,
        /// Last date.
        end: NaiveDate,
        /// Days in the window, both ends included.
        days: u32,
    },
    /// The window has no working day at all (every working weekday in it
    /// is closed).
    #[error("the edition has no working day from {start} to {end}")]
    EmptyWindow {
        /// First date.
        start: NaiveDate,
        /// Last date.
        end: NaiveDate,
    },
    /// `working_weekdays` is empty.
    #[error("the edition lists no working weekday")]
    NoWorkingWeekday,
    /// The half-day clock times do not follow each other (morning start <
    /// morning end ≤ afternoon start < afternoon end).
    #[error(
        "the half-day hours are out of order: morning {morning_start} to {morning_end}, afternoon {afternoon_start} to {afternoon_end}"
    )]
    HoursOutOfOrder {
        /// Morning start.
        morning_start: NaiveTime,
        /// Morning end.
        morning_end: NaiveTime,
        /// Afternoon start.
        afternoon_start: NaiveTime,
        /// Afternoon end.
        afternoon_end: NaiveTime,
    },
    /// `max_visits_per_agent` is 0 or above [`MAX_VISITS_PER_AGENT`].
    #[error("the policy allows {value} visits per agent, outside 1 to {MAX_VISITS_PER_AGENT}")]
    MaxVisitsPerAgentOutOfRange {
        /// The value given.
        value: u32,
    },
    /// The policy's `priority` or `tiers` name an agent the edition does
    /// not have (reported once per id).
    #[error("the policy's priority names unknown agent `{agent}`")]
    UnknownPriorityAgent {
        /// The unknown agent.
        agent: AgentId,
    },
    /// An agent is listed in several of the policy's `tiers`.
    #[error("agent `{agent}` is listed in {tiers} priority tiers")]
    AgentInSeveralTiers {
        /// The agent.
        agent: AgentId,
        /// How many tiers list them.
        tiers: u32,
    },

    // ----- services -----
    /// Services with an empty id.
    #[error("{count} {} an empty id", plural(*.count, "service has", "services have"))]
    EmptyServiceId {
        /// How many.
        count: u32,
    },
    /// A service id is listed more than once.
    #[error("service `{service}` is listed {times} times")]
    DuplicateService {
        /// The id.
        service: ServiceId,
        /// How many times it is listed.
        times: u32,
    },
    /// A continuity cap above [`MAX_COUNT`].
    #[error("service `{service}` has continuity cap {cap}, more than {MAX_COUNT}")]
    ContinuityCapOutOfRange {
        /// The service.
        service: ServiceId,
        /// The cap given.
        cap: u32,
    },
    /// `max_visitors` is 0 or above [`MAX_COUNT`].
    #[error(
        "service `{service}` receives at most {max} visitors at once, outside 1 to {MAX_COUNT}"
    )]
    MaxVisitorsOutOfRange {
        /// The service.
        service: ServiceId,
        /// The value given.
        max: u32,
    },
    /// A continuity-cap override above [`MAX_COUNT`].
    #[error(
        "service `{service}` overrides its continuity cap on {slot} with {cap}, more than {MAX_COUNT}"
    )]
    CapOverrideOutOfRange {
        /// The service.
        service: ServiceId,
        /// The slot.
        slot: Slot,
        /// The cap given.
        cap: u32,
    },
    /// A continuity-cap override outside the window.
    #[error("service `{service}` overrides its continuity cap on {slot}, outside the edition")]
    CapOverrideOutsideWindow {
        /// The service.
        service: ServiceId,
        /// The slot.
        slot: Slot,
    },
    /// A continuity-cap override inside the window on a day that is not a
    /// working day (weekend, closed day, public holiday).
    #[error("service `{service}` overrides its continuity cap on {slot}, not a working day")]
    CapOverrideNotWorkingDay {
        /// The service.
        service: ServiceId,
        /// The slot.
        slot: Slot,
    },
    /// Several continuity-cap overrides for the same slot of one service.
    #[error("service `{service}` overrides its continuity cap on {slot} {times} times")]
    DuplicateCapOverride {
        /// The service.
        service: ServiceId,
        /// The slot.
        slot: Slot,
        /// How many overrides name it.
        times: u32,
    },

    // ----- agents -----
    /// Agents with an empty id.
    #[error("{count} {} an empty id", plural(*.count, "agent has", "agents have"))]
    EmptyAgentId {
        /// How many.
        count: u32,
    },
    /// An agent id is listed more than once.
    #[error("agent `{agent}` is listed {times} times")]
    DuplicateAgent {
        /// The id.
        agent: AgentId,
        /// How many times it is listed.
        times: u32,
    },
    /// An agent's home service is unknown.
    #[error("agent `{agent}` belongs to unknown service `{service}`")]
    UnknownAgentService {
        /// The agent.
        agent: AgentId,
        /// The unknown service.
        service: ServiceId,
    },
    /// An agent's history names an unknown service.
    #[error("the history of agent `{agent}` names unknown service `{service}`")]
    UnknownHistoryService {
        /// The agent.
        agent: AgentId,
        /// The unknown service.
        service: ServiceId,
    },

    // ----- wishes -----
    /// Wishes by an agent the edition does not have (reported once per id).
    #[error("unknown agent `{visitor}` makes {count} {}", plural(*.count, "wish", "wishes"))]
    UnknownWishVisitor {
        /// The unknown agent.
        visitor: AgentId,
        /// How many wishes name them.
        count: u32,
    },
    /// A wish for an unknown service.
    #[error("agent `{visitor}` wishes for unknown service `{service}`")]
    UnknownWishService {
        /// The visitor.
        visitor: AgentId,
        /// The unknown service.
        service: ServiceId,
    },
    /// A wish for an unknown host.
    #[error("agent `{visitor}` wishes for unknown host `{host}`")]
    UnknownWishHost {
        /// The visitor.
        visitor: AgentId,
        /// The unknown agent.
        host: AgentId,
    },
    /// A wish for the visitor's own service.
    #[error("agent `{visitor}` wishes for their own service `{service}`")]
    WishForOwnService {
        /// The visitor.
        visitor: AgentId,
        /// Their service.
        service: ServiceId,
    },
    /// A wish for a host of the visitor's own service.
    #[error("agent `{visitor}` wishes for host `{host}` of their own service `{service}`")]
    HostWishForOwnService {
        /// The visitor.
        visitor: AgentId,
        /// The host.
        host: AgentId,
        /// The service both belong to.
        service: ServiceId,
    },
    /// A host wish naming the visitor themselves.
    #[error("agent `{visitor}` wishes to be their own host")]
    HostWishForSelf {
        /// The visitor.
        visitor: AgentId,
    },
    /// A host wish for an agent who does not volunteer to host.
    #[error("agent `{visitor}` wishes for host `{host}`, who does not volunteer to host")]
    HostWishForNonHost {
        /// The visitor.
        visitor: AgentId,
        /// The agent wished for.
        host: AgentId,
    },
    /// Wishes by an agent who does not volunteer to visit (once per agent).
    #[error("agent `{visitor}` has wishes but does not volunteer to visit")]
    WishByNonVisitor {
        /// The agent.
        visitor: AgentId,
    },
    /// The same target wished for more than once by one visitor.
    #[error("agent `{visitor}` wishes for {} {times} times", ShowTarget(.target))]
    DuplicateWishTarget {
        /// The visitor.
        visitor: AgentId,
        /// The target repeated.
        target: Target,
        /// How many wishes name it.
        times: u32,
    },
    /// A visitor's ranks are not exactly `1..=n` for their `n` wishes.
    #[error(
        "agent `{visitor}` ranks their wishes {} instead of 1 to {}",
        ShowRanks(.ranks),
        .ranks.len()
    )]
    RanksNotConsecutive {
        /// The visitor.
        visitor: AgentId,
        /// The ranks found, ascending (repeats kept).
        ranks: Vec<u32>,
    },
    /// More than [`MAX_WISHES`] wishes by one visitor.
    #[error("agent `{visitor}` has {count} wishes, more than {MAX_WISHES}")]
    TooManyWishes {
        /// The visitor.
        visitor: AgentId,
        /// How many wishes.
        count: u32,
    },

    // ----- host slots -----
    /// Host slots with an empty id.
    #[error("{count} {} an empty id", plural(*.count, "host slot has", "host slots have"))]
    EmptyHostSlotId {
        /// How many.
        count: u32,
    },
    /// A host-slot id is listed more than once.
    #[error("host slot `{host_slot}` is listed {times} times")]
    DuplicateHostSlot {
        /// The id.
        host_slot: HostSlotId,
        /// How many times it is listed.
        times: u32,
    },
    /// A host slot by an unknown agent.
    #[error("host slot `{host_slot}` is offered by unknown agent `{host}`")]
    UnknownHostSlotHost {
        /// The host slot.
        host_slot: HostSlotId,
        /// The unknown agent.
        host: AgentId,
    },
    /// A host slot by an agent who does not volunteer to host.
    #[error("host slot `{host_slot}` is offered by `{host}`, who does not volunteer to host")]
    HostSlotByNonHost {
        /// The host slot.
        host_slot: HostSlotId,
        /// The agent.
        host: AgentId,
    },
    /// A host slot dated outside the window.
    #[error("host slot `{host_slot}` is on {date}, outside the edition")]
    HostSlotOutsideWindow {
        /// The host slot.
        host_slot: HostSlotId,
        /// Its date.
        date: NaiveDate,
    },
    /// A host slot inside the window on a day that is not a working day
    /// (weekend, closed day, public holiday).
    #[error("host slot `{host_slot}` is on {date}, not a working day")]
    HostSlotNotWorkingDay {
        /// The host slot.
        host_slot: HostSlotId,
        /// Its date.
        date: NaiveDate,
    },
    /// A host slot of capacity 0.
    #[error("host slot `{host_slot}` has capacity 0")]
    HostSlotZeroCapacity {
        /// The host slot.
        host_slot: HostSlotId,
    },
    /// A host slot of capacity above [`MAX_COUNT`].
    #[error("host slot `{host_slot}` has capacity {capacity}, more than {MAX_COUNT}")]
    HostSlotCapacityOutOfRange {
        /// The host slot.
        host_slot: HostSlotId,
        /// The capacity given.
        capacity: u32,
    },
}

impl Problem {
    /// The problem's stable machine code, in `snake_case`, e.g.
    /// `"duplicate_agent"`. The module documentation lists them all; a code
    /// never changes meaning between versions.
    ///
    /// ```
    /// use jobswap::Problem;
    /// use jobswap::validate::OffendingId;
    /// let p = Problem::HostWishForSelf { visitor: "ana".into() };
    /// assert_eq!(p.code(), "host_wish_for_self");
    /// assert_eq!(p.ids(), [OffendingId::Agent("ana".into())]);
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Problem::EndBeforeStart { .. } => "end_before_start",
            Problem::WindowTooLong { .. } => "window_too_long",
            Problem::EmptyWindow { .. } => "empty_window",
            Problem::NoWorkingWeekday => "no_working_weekday",
            Problem::HoursOutOfOrder { .. } => "hours_out_of_order",
            Problem::MaxVisitsPerAgentOutOfRange { .. } => "max_visits_per_agent_out_of_range",
            Problem::UnknownPriorityAgent { .. } => "unknown_priority_agent",
            Problem::AgentInSeveralTiers { .. } => "agent_in_several_tiers",
            Problem::EmptyServiceId { .. } => "empty_service_id",
            Problem::DuplicateService { .. } => "duplicate_service",
            Problem::ContinuityCapOutOfRange { .. } => "continuity_cap_out_of_range",
            Problem::MaxVisitorsOutOfRange { .. } => "max_visitors_out_of_range",
            Problem::CapOverrideOutOfRange { .. } => "cap_override_out_of_range",
            Problem::CapOverrideOutsideWindow { .. } => "cap_override_outside_window",
            Problem::CapOverrideNotWorkingDay { .. } => "cap_override_not_working_day",
            Problem::DuplicateCapOverride { .. } => "duplicate_cap_override",
            Problem::EmptyAgentId { .. } => "empty_agent_id",
            Problem::DuplicateAgent { .. } => "duplicate_agent",
            Problem::UnknownAgentService { .. } => "unknown_agent_service",
            Problem::UnknownHistoryService { .. } => "unknown_history_service",
            Problem::UnknownWishVisitor { .. } => "unknown_wish_visitor",
            Problem::UnknownWishService { .. } => "unknown_wish_service",
            Problem::UnknownWishHost { .. } => "unknown_wish_host",
            Problem::WishForOwnService { .. } => "wish_for_own_service",
            Problem::HostWishForOwnService { .. } => "host_wish_for_own_service",
            Problem::HostWishForSelf { .. } => "host_wish_for_self",
            Problem::HostWishForNonHost { .. } => "host_wish_for_non_host",
            Problem::WishByNonVisitor { .. } => "wish_by_non_visitor",
            Problem::DuplicateWishTarget { .. } => "duplicate_wish_target",
            Problem::RanksNotConsecutive { .. } => "ranks_not_consecutive",
            Problem::TooManyWishes { .. } => "too_many_wishes",
            Problem::EmptyHostSlotId { .. } => "empty_host_slot_id",
            Problem::DuplicateHostSlot { .. } => "duplicate_host_slot",
            Problem::UnknownHostSlotHost { .. } => "unknown_host_slot_host",
            Problem::HostSlotByNonHost { .. } => "host_slot_by_non_host",
            Problem::HostSlotOutsideWindow { .. } => "host_slot_outside_window",
            Problem::HostSlotNotWorkingDay { .. } => "host_slot_not_working_day",
            Problem::HostSlotZeroCapacity { .. } => "host_slot_zero_capacity",
            Problem::HostSlotCapacityOutOfRange { .. } => "host_slot_capacity_out_of_range",
        }
    }

    /// The ids the problem names, subject first: the agent, service or host
    /// slot at fault, then the id it refers to (a visitor, then the service
    /// or host wished for; a host slot, then its host). Problems about the
    /// window, the hours, the policy or empty ids name none.
    ///
    /// A wish has no id of its own: it is named by its visitor and target.
    pub fn ids(&self) -> Vec<OffendingId> {
        use OffendingId as I;
        let agent = |a: &AgentId| I::Agent(a.clone());
        let service = |s: &ServiceId| I::Service(s.clone());
        let slot = |h: &HostSlotId| I::HostSlot(h.clone());
        match self {
            Problem::EndBeforeStart { .. }
            | Problem::WindowTooLong { .. }
            | Problem::EmptyWindow { .. }
            | Problem::NoWorkingWeekday
            | Problem::HoursOutOfOrder { .. }
            | Problem::MaxVisitsPerAgentOutOfRange { .. }
            | Problem::EmptyServiceId { .. }
            | Problem::EmptyAgentId { .. }
            | Problem::EmptyHostSlotId { .. } => Vec::new(),
            Problem::DuplicateService { service: s, .. }
            | Problem::ContinuityCapOutOfRange { service: s, .. }
            | Problem::MaxVisitorsOutOfRange { service: s, .. }
            | Problem::CapOverrideOutOfRange { service: s, .. }
            | Problem::CapOverrideOutsideWindow { service: s, .. }
            | Problem::CapOverrideNotWorkingDay { service: s, .. }
            | Problem::DuplicateCapOverride { service: s, .. } => vec![service(s)],
            Problem::DuplicateAgent { agent: a, .. }
            | Problem::UnknownWishVisitor { visitor: a, .. }
            | Problem::HostWishForSelf { visitor: a }
            | Problem::WishByNonVisitor { visitor: a }
            | Problem::RanksNotConsecutive { visitor: a, .. }
            | Problem::TooManyWishes { visitor: a, .. }
            | Problem::UnknownPriorityAgent { agent: a }
            | Problem::AgentInSeveralTiers { agent: a, .. } => vec![agent(a)],
            Problem::UnknownAgentService {
                agent: a,
                service: s,
            }
            | Problem::UnknownHistoryService {
                agent: a,
                service: s,
            }
            | Problem::UnknownWishService {
                visitor: a,
                service: s,
            }
            | Problem::WishForOwnService {
                visitor: a,
                service: s,
            } => {
                vec![agent(a), service(s)]
            }
            Problem::UnknownWishHost {
                visitor: a,
                host: h,
            }
            | Problem::HostWishForNonHost {
                visitor: a,
                host: h,
            } => vec![agent(a), agent(h)],
            Problem::HostWishForOwnService {
                visitor,
                host,
                service: s,
            } => vec![agent(visitor), agent(host), service(s)],
            Problem::DuplicateWishTarget {
                visitor, target, ..
            } => match target {
                Target::Service(s) => vec![agent(visitor), service(s)],
                Target::Host(h) => vec![agent(visitor), agent(h)],
            },
            Problem::DuplicateHostSlot { host_slot: h, .. }
            | Problem::HostSlotOutsideWindow { host_slot: h, .. }
            | Problem::HostSlotNotWorkingDay { host_slot: h, .. }
            | Problem::HostSlotZeroCapacity { host_slot: h }
            | Problem::HostSlotCapacityOutOfRange { host_slot: h, .. } => vec![slot(h)],
            Problem::UnknownHostSlotHost { host_slot: h, host }
            | Problem::HostSlotByNonHost { host_slot: h, host } => vec![slot(h), agent(host)],
        }
    }
}

/// Every problem found in an edition, sorted (see the [module
/// documentation](self) for the order); never empty when [`validate`]
/// returns it.
///
/// Its `Display` form is a summary line followed by one line per problem,
/// `- [code] message`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[error("{}", ShowAll(.problems))]
pub struct ValidationError {
    problems: Vec<Problem>,
}

struct ShowAll<'a>(&'a [Problem]);

impl fmt::Display for ShowAll<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "the edition has {n} problem{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for p in self.0 {
            write!(f, "\n- [{}] {p}", p.code())?;
        }
        Ok(())
    }
}

impl ValidationError {
    /// The problems, sorted by code, then ids, then other fields.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Every id named by any problem, sorted (agents, then services, then
    /// host slots, each by id) and without repeats.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use jobswap::{Agent, Edition, Service};
    /// use jobswap::validate::{OffendingId, validate};
    /// let d = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
    /// let e = Edition::new("t", d, d)
    ///     .service(Service::new("ccas", "CCAS"))
    ///     .agent(Agent::new("ana", "Ana", "ccass"));
    /// let err = validate(&e).unwrap_err();
    /// assert_eq!(
    ///     err.offending_ids(),
    ///     [OffendingId::Agent("ana".into()), OffendingId::Service("ccass".into())]
    /// );
    /// ```
    pub fn offending_ids(&self) -> Vec<OffendingId> {
        let mut ids: Vec<OffendingId> = self.problems.iter().flat_map(Problem::ids).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The problems, by value.
    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }
}

/// Ids of one kind, for lookups. An id listed more than once is known, but
/// its data are ambiguous: [`Directory::at`] gives no item for it.
///
/// A hash map (std's randomly keyed `SipHash`, so crafted ids cannot make it
/// quadratic), for speed: a binary search over 200 000 string ids costs a
/// cache miss per step, and was twice as slow. Only lookups go through it;
/// nothing reaches the output in its order (the problems are sorted at the
/// end).
struct Directory<'a, T> {
    /// Position of each id in `entries`.
    positions: HashMap<&'a str, u32>,
    /// Each id once, in first-seen order, with how many times it is listed.
    entries: Vec<(&'a str, u32, &'a T)>,
}

impl<'a, T> Directory<'a, T> {
    /// All the ids of `items`, end to end: the directory's keys point into
    /// this one string, so comparing a key does not chase a pointer to a
    /// string allocated somewhere else (a sixth of the time on 200 000
    /// agents and 1 000 000 wishes in random order).
    fn arena(items: &[T], id: impl Fn(&T) -> &str) -> String {
        let mut arena = String::with_capacity(items.iter().map(|t| id(t).len()).sum());
        for t in items {
            arena.push_str(id(t));
        }
        arena
    }

    /// Builds the directory over `arena` (made by [`Directory::arena`] with
    /// the same `id`); returns it with the number of empty ids and the
    /// duplicated ids with their counts.
    fn build(
        items: &'a [T],
        id: impl Fn(&'a T) -> &'a str,
        arena: &'a str,
    ) -> (Self, u32, Vec<(&'a str, u32)>) {
        let mut positions = HashMap::with_capacity(items.len());
        let mut entries: Vec<(&'a str, u32, &'a T)> = Vec::with_capacity(items.len());
        let mut empty = 0u32;
        let mut offset = 0usize;
        for item in items {
            let own = id(item);
            let end = offset.saturating_add(own.len());
            let key = arena.get(offset..end).unwrap_or(own);
            offset = end;
            if key.is_empty() {
                empty = empty.saturating_add(1);
            }
            match positions.entry(key) {
                Entry::Occupied(o) => {
                    if let Some(e) = entries.get_mut(*o.get() as usize) {
                        e.1 = e.1.saturating_add(1);
                    }
                }
                Entry::Vacant(v) => {
                    v.insert(count32(entries.len()));
                    entries.push((key, 1, item));
                }
            }
        }
        let duplicates = entries
            .iter()
            .filter(|&&(key, times, _)| times > 1 && !key.is_empty())
            .map(|&(key, times, _)| (key, times))
            .collect();
        (Directory { positions, entries }, empty, duplicates)
    }

    /// The position of `key` among the entries, if known.
    fn position(&self, key: &str) -> Option<u32> {
        self.positions.get(key).copied()
    }

    /// The id at `pos` and, unless it is duplicated, its item.
    fn at(&self, pos: u32) -> Option<(&'a str, Option<&'a T>)> {
        self.entries
            .get(pos as usize)
            .map(|&(key, times, item)| (key, (times == 1).then_some(item)))
    }

    fn get(&self, key: &str) -> Lookup<'a, T> {
        match self.position(key).and_then(|i| self.at(i)) {
            None => Lookup::Unknown,
            Some((_, None)) => Lookup::Duplicated,
            Some((_, Some(t))) => Lookup::Unique(t),
        }
    }

    fn contains(&self, key: &str) -> bool {
        self.positions.contains_key(key)
    }
}

/// What a directory knows of an id.
enum Lookup<'a, T> {
    Unknown,
    /// Listed more than once: known, but its data are ambiguous.
    Duplicated,
    Unique(&'a T),
}

/// A count as `u32`, saturating (inputs beyond 4 billion items are not
/// realistic, but must not panic).
fn count32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Where a date stands in the edition's calendar.
enum DateFault {
    OutsideWindow,
    NotWorkingDay,
}

/// The window facts the date checks need.
struct Window {
    start: NaiveDate,
    end: NaiveDate,
    calendar: Calendar,
    /// Dates may be judged against the calendar (the window is sound).
    checks: bool,
}

impl Window {
    fn fault(&self, date: NaiveDate) -> Option<DateFault> {
        if !self.checks {
            None
        } else if date < self.start || date > self.end {
            Some(DateFault::OutsideWindow)
        } else if self.calendar.is_working_day(date) {
            None
        } else {
            Some(DateFault::NotWorkingDay)
        }
    }
}

fn check_window(edition: &Edition, out: &mut Vec<Problem>) -> Window {
    let (start, end) = (edition.start, edition.end);
    let span = end.signed_duration_since(start).num_days();
    let mut sound = true;
    if span < 0 {
        out.push(Problem::EndBeforeStart { start, end });
        sound = false;
    } else if span >= i64::from(MAX_WINDOW_DAYS) {
        let days = span
            .checked_add(1)
            .and_then(|d| u32::try_from(d).ok())
            .unwrap_or(u32::MAX);
        out.push(Problem::WindowTooLong { start, end, days });
        sound = false;
    }
    if edition.working_weekdays.is_empty() {
        out.push(Problem::NoWorkingWeekday);
        sound = false;
    }
    let calendar = Calendar::of(edition);
    if sound && calendar.days().is_empty() {
        out.push(Problem::EmptyWindow { start, end });
        sound = false;
    }
    let h = &edition.hours;
    if !(h.morning_start < h.morning_end
        && h.morning_end <= h.afternoon_start
        && h.afternoon_start < h.afternoon_end)
    {
        out.push(Problem::HoursOutOfOrder {
            morning_start: h.morning_start,
            morning_end: h.morning_end,
            afternoon_start: h.afternoon_start,
            afternoon_end: h.afternoon_end,
        });
    }
    let value = edition.policy.max_visits_per_agent;
    if !(1..=MAX_VISITS_PER_AGENT).contains(&value) {
        out.push(Problem::MaxVisitsPerAgentOutOfRange { value });
    }
    Window {
        start,
        end,
        calendar,
        checks: sound,
    }
}

fn check_services(edition: &Edition, window: &Window, out: &mut Vec<Problem>) {
    for s in &edition.services {
        if s.continuity_cap > MAX_COUNT {
            out.push(Problem::ContinuityCapOutOfRange {
                service: s.id.clone(),
                cap: s.continuity_cap,
            });
        }
        if let Some(max) = s.max_visitors {
            if max == 0 || max > MAX_COUNT {
                out.push(Problem::MaxVisitorsOutOfRange {
                    service: s.id.clone(),
                    max,
                });
            }
        }
        for o in &s.cap_overrides {
            if o.cap > MAX_COUNT {
                out.push(Problem::CapOverrideOutOfRange {
                    service: s.id.clone(),
                    slot: o.slot,
                    cap: o.cap,
                });
            }
            match window.fault(o.slot.date) {
                Some(DateFault::OutsideWindow) => out.push(Problem::CapOverrideOutsideWindow {
                    service: s.id.clone(),
                    slot: o.slot,
                }),
                Some(DateFault::NotWorkingDay) => out.push(Problem::CapOverrideNotWorkingDay {
                    service: s.id.clone(),
                    slot: o.slot,
                }),
                None => {}
            }
        }
        let mut slots: Vec<Slot> = s.cap_overrides.iter().map(|o| o.slot).collect();
        slots.sort_unstable();
        for (slot, times) in runs(&slots) {
            if times > 1 {
                out.push(Problem::DuplicateCapOverride {
                    service: s.id.clone(),
                    slot: *slot,
                    times,
                });
            }
        }
    }
}

/// Runs of equal items in a sorted slice, with their lengths.
fn runs<T: PartialEq>(sorted: &[T]) -> impl Iterator<Item = (&T, u32)> {
    sorted
        .chunk_by(|a, b| a == b)
        .filter_map(|run| run.first().map(|x| (x, count32(run.len()))))
}

fn check_agents(
    edition: &Edition,
    services: &Directory<'_, crate::Service>,
    out: &mut Vec<Problem>,
) {
    for a in &edition.agents {
        if !services.contains(a.service.as_str()) {
            out.push(Problem::UnknownAgentService {
                agent: a.id.clone(),
                service: a.service.clone(),
            });
        }
        for p in &a.history {
            if let Some(s) = &p.visited {
                if !services.contains(s.as_str()) {
                    out.push(Problem::UnknownHistoryService {
                        agent: a.id.clone(),
                        service: s.clone(),
                    });
                }
            }
        }
    }
}

/// The agents the policy's `priority` and `tiers` name: known, and in one
/// tier at most (listed twice in one tier, or twice in `priority`, is
/// harmless).
fn check_priority(edition: &Edition, agents: &Directory<'_, crate::Agent>, out: &mut Vec<Problem>) {
    let policy = &edition.policy;
    let mut named: Vec<(&str, usize)> = policy
        .tiers
        .iter()
        .enumerate()
        .flat_map(|(t, ids)| ids.iter().map(move |a| (a.as_str(), t)))
        .collect();
    named.sort_unstable();
    named.dedup();
    let mut unknown: Vec<&str> = policy
        .priority
        .iter()
        .map(AgentId::as_str)
        .chain(named.iter().map(|&(a, _)| a))
        .filter(|a| !agents.contains(a))
        .collect();
    unknown.sort_unstable();
    unknown.dedup();
    out.extend(unknown.into_iter().map(|a| Problem::UnknownPriorityAgent {
        agent: AgentId::new(a),
    }));
    let ids: Vec<&str> = named.iter().map(|&(a, _)| a).collect();
    for (a, tiers) in runs(&ids) {
        if tiers > 1 {
            out.push(Problem::AgentInSeveralTiers {
                agent: AgentId::new(*a),
                tiers,
            });
        }
    }
}

/// "No such position".
const NONE: u32 = u32::MAX;

/// What the wish checks need of an agent, in a dense array (the wish loop
/// then compares integers, not strings scattered over the heap).
#[derive(Clone, Copy)]
struct AgentFacts {
    /// Position of the home service, or [`NONE`] if unknown.
    service: u32,
    visits: bool,
    hosts: bool,
    /// Listed once (a duplicated agent's data are ambiguous: not judged).
    unique: bool,
}

/// A wish of a known visitor, in integers, for the per-visitor checks.
#[derive(Clone, Copy)]
struct KnownWish {
    visitor: u32,
    rank: u32,
    /// 0 for a service, 1 for a host.
    kind: u8,
    /// Position of the target, or [`NONE`] if unknown.
    target: u32,
}

fn check_wishes(
    edition: &Edition,
    services: &Directory<'_, crate::Service>,
    agents: &Directory<'_, Agent>,
    out: &mut Vec<Problem>,
) {
    let facts: Vec<AgentFacts> = agents
        .entries
        .iter()
        .map(|&(_, times, a)| AgentFacts {
            service: services.position(a.service.as_str()).unwrap_or(NONE),
            visits: a.visits,
            hosts: a.hosts,
            unique: times == 1,
        })
        .collect();
    let fact = |pos: Option<u32>| pos.and_then(|p| facts.get(p as usize)).filter(|f| f.unique);

    let mut known: Vec<KnownWish> = Vec::with_capacity(edition.wishes.len());
    let mut unknown: Vec<&AgentId> = Vec::new();
    // Wishes usually come grouped by visitor: reuse the last lookup.
    let mut last: Option<(&str, Option<u32>)> = None;
    for w in &edition.wishes {
        let vpos = match last {
            Some((id, pos)) if id == w.visitor.as_str() => pos,
            _ => {
                let pos = agents.position(w.visitor.as_str());
                last = Some((w.visitor.as_str(), pos));
                pos
            }
        };
        let visitor = fact(vpos);
        let (kind, target) = match &w.target {
            Target::Service(s) => {
                let spos = services.position(s.as_str());
                match spos {
                    None => out.push(Problem::UnknownWishService {
                        visitor: w.visitor.clone(),
                        service: s.clone(),
                    }),
                    Some(p) if visitor.is_some_and(|v| v.service == p) => {
                        out.push(Problem::WishForOwnService {
                            visitor: w.visitor.clone(),
                            service: s.clone(),
                        });
                    }
                    Some(_) => {}
                }
                (0, spos)
            }
            Target::Host(h) => {
                let hpos = agents.position(h.as_str());
                if (vpos.is_some() && hpos == vpos) || (vpos.is_none() && *h == w.visitor) {
                    out.push(Problem::HostWishForSelf {
                        visitor: w.visitor.clone(),
                    });
                } else if hpos.is_none() {
                    out.push(Problem::UnknownWishHost {
                        visitor: w.visitor.clone(),
                        host: h.clone(),
                    });
                } else if let Some(host) = fact(hpos) {
                    if !host.hosts {
                        out.push(Problem::HostWishForNonHost {
                            visitor: w.visitor.clone(),
                            host: h.clone(),
                        });
                    }
                    if host.service != NONE && visitor.is_some_and(|v| v.service == host.service) {
                        if let Some((service, _)) = services.at(host.service) {
                            out.push(Problem::HostWishForOwnService {
                                visitor: w.visitor.clone(),
                                host: h.clone(),
                                service: ServiceId::new(service),
                            });
                        }
                    }
                }
                (1, hpos)
            }
        };
        if visitor.is_some_and(|v| !v.visits) {
            out.push(Problem::WishByNonVisitor {
                visitor: w.visitor.clone(),
            });
        }
        match vpos {
            Some(v) => known.push(KnownWish {
                visitor: v,
                rank: w.rank,
                kind,
                target: target.unwrap_or(NONE),
            }),
            None => unknown.push(&w.visitor),
        }
    }

    unknown.sort_unstable();
    for (visitor, count) in runs(&unknown) {
        out.push(Problem::UnknownWishVisitor {
            visitor: (*visitor).clone(),
            count,
        });
    }

    known.sort_unstable_by_key(|w| (w.visitor, w.rank));
    let mut targets: Vec<(u8, u32)> = Vec::new();
    for group in known.chunk_by(|a, b| a.visitor == b.visitor) {
        let Some((id, _)) = group.first().and_then(|w| agents.at(w.visitor)) else {
            continue;
        };
        let visitor = || AgentId::new(id);
        if group.len() > MAX_WISHES {
            out.push(Problem::TooManyWishes {
                visitor: visitor(),
                count: count32(group.len()),
            });
        }
        let consecutive = group
            .iter()
            .enumerate()
            .all(|(i, w)| i.checked_add(1).and_then(|r| u32::try_from(r).ok()) == Some(w.rank));
        if !consecutive {
            out.push(Problem::RanksNotConsecutive {
                visitor: visitor(),
                ranks: group.iter().map(|w| w.rank).collect(),
            });
        }
        if group.len() < 2 {
            continue;
        }
        // Repeated targets, among the known ones (an unknown target is
        // reported as such).
        targets.clear();
        targets.extend(
            group
                .iter()
                .filter(|w| w.target != NONE)
                .map(|w| (w.kind, w.target)),
        );
        targets.sort_unstable();
        for (&(kind, pos), times) in runs(&targets) {
            if times < 2 {
                continue;
            }
            let target = if kind == 0 {
                services
                    .at(pos)
                    .map(|(s, _)| Target::Service(ServiceId::new(s)))
            } else {
                agents.at(pos).map(|(a, _)| Target::Host(AgentId::new(a)))
            };
            if let Some(target) = target {
                out.push(Problem::DuplicateWishTarget {
                    visitor: visitor(),
                    target,
                    times,
                });
            }
        }
    }
}

fn check_host_slots(
    edition: &Edition,
    window: &Window,
    agents: &Directory<'_, Agent>,
    out: &mut Vec<Problem>,
) {
    for hs in &edition.host_slots {
        match agents.get(hs.host.as_str()) {
            Lookup::Unknown => out.push(Problem::UnknownHostSlotHost {
                host_slot: hs.id.clone(),
                host: hs.host.clone(),
            }),
            Lookup::Unique(a) if !a.hosts => out.push(Problem::HostSlotByNonHost {
                host_slot: hs.id.clone(),
                host: hs.host.clone(),
            }),
            Lookup::Unique(_) | Lookup::Duplicated => {}
        }
        match window.fault(hs.date) {
            Some(DateFault::OutsideWindow) => out.push(Problem::HostSlotOutsideWindow {
                host_slot: hs.id.clone(),
                date: hs.date,
            }),
            Some(DateFault::NotWorkingDay) => out.push(Problem::HostSlotNotWorkingDay {
                host_slot: hs.id.clone(),
                date: hs.date,
            }),
            None => {}
        }
        if hs.capacity == 0 {
            out.push(Problem::HostSlotZeroCapacity {
                host_slot: hs.id.clone(),
            });
        } else if hs.capacity > MAX_COUNT {
            out.push(Problem::HostSlotCapacityOutOfRange {
                host_slot: hs.id.clone(),
                capacity: hs.capacity,
            });
        }
    }
}

/// Sorts problems by code, then ids, then the rest; drops repeats.
fn sort_problems(problems: Vec<Problem>) -> Vec<Problem> {
    let mut keyed: Vec<(&'static str, Vec<OffendingId>, Problem)> = problems
        .into_iter()
        .map(|p| (p.code(), p.ids(), p))
        .collect();
    keyed.sort_unstable_by(|a, b| match a.0.cmp(b.0) {
        Ordering::Equal => a.1.cmp(&b.1).then_with(|| a.2.cmp(&b.2)),
        o => o,
    });
    keyed.dedup_by(|a, b| a.2 == b.2);
    keyed.into_iter().map(|(_, _, p)| p).collect()
}

/// Checks an edition and returns every problem found.
///
/// See the [module documentation](self) for the codes, the order of the
/// problems and the rules.
///
/// # Complexity
///
/// Expected `O(n)`: one hash lookup per id reference, plus sorts of the
/// wishes by visitor and rank (integer keys) and of the problems found.
/// 200 000 agents with 1 000 000 wishes and 200 000 host slots validate in
/// about 0.35 s when the wishes come grouped by visitor (as a JSON file
/// usually lists them) and 0.8 s in random order, where every lookup misses
/// the cache (measured on one core of a shared 2-core AMD EPYC virtual
/// machine, release-like test profile; the ignored test
/// `large_edition_validates_quickly` reproduces it).
///
/// # Errors
///
/// A [`ValidationError`] listing every [`Problem`] of the edition: duplicate
/// or empty ids; references to unknown agents or services; wishes for one's
/// own service or oneself, repeated, badly ranked, too many, by an agent who
/// does not visit or for one who does not host; host slots by an agent who
/// does not host, outside the window, off a working day, or of a capacity out
/// of range; a window that is inverted, too long or without working day; cap
/// overrides off the calendar or repeated; numbers out of range.
///
/// # Examples
///
/// Denise wishes for her own service, and a host slot falls on a Saturday:
///
/// ```
/// use chrono::NaiveDate;
/// use jobswap::{Agent, Edition, HostSlot, Part, Problem, Service, Wish};
/// use jobswap::validate::validate;
///
/// let d = |day| NaiveDate::from_ymd_opt(2025, 3, day).unwrap();
/// let edition = Edition::new("Vis mon job", d(3), d(14))
///     .service(Service::new("accueil", "Accueil"))
///     .service(Service::new("scolaire", "Vie scolaire"))
///     .agent(Agent::new("denise", "Denise", "accueil").visits(true))
///     .agent(Agent::new("veronique", "Véronique", "scolaire").hosts(true))
///     .wish(Wish::service("denise", "accueil", 1))
///     .host_slot(HostSlot::new("v-08", "veronique", d(8), Part::Morning));
///
/// let err = validate(&edition).unwrap_err();
/// let codes: Vec<&str> = err.problems().iter().map(Problem::code).collect();
/// assert_eq!(codes, ["host_slot_not_working_day", "wish_for_own_service"]);
/// assert_eq!(
///     err.problems()[1].to_string(),
///     "agent `denise` wishes for their own service `accueil`"
/// );
///
/// // Fixed, it validates.
/// let mut edition = edition;
/// edition.wishes[0] = Wish::service("denise", "scolaire", 1);
/// edition.host_slots[0].date = d(10);
/// validate(&edition)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn validate(edition: &Edition) -> Result<(), ValidationError> {
    let mut out = Vec::new();
    let window = check_window(edition, &mut out);

    let service_ids = Directory::arena(&edition.services, |s| s.id.as_str());
    let (services, empty, dups) =
        Directory::build(&edition.services, |s| s.id.as_str(), &service_ids);
    if empty > 0 {
        out.push(Problem::EmptyServiceId { count: empty });
    }
    for (id, times) in dups {
        out.push(Problem::DuplicateService {
            service: ServiceId::new(id),
            times,
        });
    }
    let agent_ids = Directory::arena(&edition.agents, |a| a.id.as_str());
    let (agents, empty, dups) = Directory::build(&edition.agents, |a| a.id.as_str(), &agent_ids);
    if empty > 0 {
        out.push(Problem::EmptyAgentId { count: empty });
    }
    for (id, times) in dups {
        out.push(Problem::DuplicateAgent {
            agent: AgentId::new(id),
            times,
        });
    }
    let slot_ids = Directory::arena(&edition.host_slots, |h| h.id.as_str());
    let (_, empty, dups) = Directory::build(&edition.host_slots, |h| h.id.as_str(), &slot_ids);
    if empty > 0 {
        out.push(Problem::EmptyHostSlotId { count: empty });
    }
    for (id, times) in dups {
        out.push(Problem::DuplicateHostSlot {
            host_slot: HostSlotId::new(id),
            times,
        });
    }

    check_services(edition, &window, &mut out);
    check_agents(edition, &services, &mut out);
    check_wishes(edition, &services, &agents, &mut out);
    check_host_slots(edition, &window, &agents, &mut out);
    check_priority(edition, &agents, &mut out);

    if out.is_empty() {
        Ok(())
    } else {
        Err(ValidationError {
            problems: sort_problems(out),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{HalfDay, Service};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, day).unwrap()
    }

    /// One problem of every variant, for the code/tag agreement test.
    fn one_of_each() -> Vec<Problem> {
        let a = || AgentId::new("a");
        let s = || ServiceId::new("s");
        let h = || HostSlotId::new("h");
        let slot = Slot::new(d(3, 3), HalfDay::Morning);
        let t = NaiveTime::MIN;
        vec![
            Problem::EndBeforeStart {
                start: d(3, 3),
                end: d(3, 2),
            },
            Problem::WindowTooLong {
                start: d(3, 3),
                end: d(3, 2),
                days: 400,
            },
            Problem::EmptyWindow {
                start: d(3, 3),
                end: d(3, 3),
            },
            Problem::NoWorkingWeekday,
            Problem::HoursOutOfOrder {
                morning_start: t,
                morning_end: t,
                afternoon_start: t,
                afternoon_end: t,
            },
            Problem::MaxVisitsPerAgentOutOfRange { value: 0 },
            Problem::EmptyServiceId { count: 1 },
            Problem::DuplicateService {
                service: s(),
                times: 2,
            },
            Problem::ContinuityCapOutOfRange {
                service: s(),
                cap: 1,
            },
            Problem::MaxVisitorsOutOfRange {
                service: s(),
                max: 0,
            },
            Problem::CapOverrideOutOfRange {
                service: s(),
                slot,
                cap: 1,
            },
            Problem::CapOverrideOutsideWindow { service: s(), slot },
            Problem::CapOverrideNotWorkingDay { service: s(), slot },
            Problem::DuplicateCapOverride {
                service: s(),
                slot,
                times: 2,
            },
            Problem::EmptyAgentId { count: 1 },
            Problem::DuplicateAgent {
                agent: a(),
                times: 2,
            },
            Problem::UnknownAgentService {
                agent: a(),
                service: s(),
            },
            Problem::UnknownHistoryService {
                agent: a(),
                service: s(),
            },
            Problem::UnknownWishVisitor {
                visitor: a(),
                count: 1,
            },
            Problem::UnknownWishService {
                visitor: a(),
                service: s(),
            },
            Problem::UnknownWishHost {
                visitor: a(),
                host: a(),
            },
            Problem::WishForOwnService {
                visitor: a(),
                service: s(),
            },
            Problem::HostWishForOwnService {
                visitor: a(),
                host: a(),
                service: s(),
            },
            Problem::HostWishForSelf { visitor: a() },
            Problem::HostWishForNonHost {
                visitor: a(),
                host: a(),
            },
            Problem::WishByNonVisitor { visitor: a() },
            Problem::DuplicateWishTarget {
                visitor: a(),
                target: Target::Service(s()),
                times: 2,
            },
            Problem::RanksNotConsecutive {
                visitor: a(),
                ranks: (1..=30).collect(),
            },
            Problem::TooManyWishes {
                visitor: a(),
                count: 1001,
            },
            Problem::EmptyHostSlotId { count: 1 },
            Problem::DuplicateHostSlot {
                host_slot: h(),
                times: 2,
            },
            Problem::UnknownHostSlotHost {
                host_slot: h(),
                host: a(),
            },
            Problem::HostSlotByNonHost {
                host_slot: h(),
                host: a(),
            },
            Problem::HostSlotOutsideWindow {
                host_slot: h(),
                date: d(3, 3),
            },
            Problem::HostSlotNotWorkingDay {
                host_slot: h(),
                date: d(3, 3),
            },
            Problem::HostSlotZeroCapacity { host_slot: h() },
            Problem::HostSlotCapacityOutOfRange {
                host_slot: h(),
                capacity: 1,
            },
        ]
    }

    #[test]
    fn codes_are_the_serde_tags_and_distinct() {
        let all = one_of_each();
        let mut codes = std::collections::BTreeSet::new();
        for p in &all {
            let json = serde_json::to_value(p).unwrap();
            assert_eq!(json["code"], p.code(), "{p:?}");
            let back: Problem = serde_json::from_value(json).unwrap();
            assert_eq!(&back, p);
            assert!(codes.insert(p.code()), "code {} used twice", p.code());
            let c = p.code();
            assert!(
                c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{c}"
            );
        }
        assert_eq!(codes.len(), 37);
    }

    #[test]
    fn messages_are_lowercase_without_trailing_period() {
        for p in one_of_each() {
            let m = p.to_string();
            assert!(!m.ends_with('.'), "{m}");
            assert!(!m.starts_with(|c: char| c.is_uppercase()), "{m}");
        }
        let p = Problem::RanksNotConsecutive {
            visitor: "a".into(),
            ranks: (1..=30).collect(),
        };
        assert!(
            p.to_string().contains("… (30 in all) instead of 1 to 30"),
            "{p}"
        );
    }

    #[test]
    fn display_lists_every_problem_after_a_summary() {
        let e = Edition::new("t", d(3, 3), d(3, 7))
            .service(Service::new("s", "S"))
            .service(Service::new("s", "S"))
            .agent(Agent::new("a", "A", "x"));
        let err = validate(&e).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the edition has 2 problems:\n\
             - [duplicate_service] service `s` is listed 2 times\n\
             - [unknown_agent_service] agent `a` belongs to unknown service `x`"
        );
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        let e = Edition::new("t", NaiveDate::MAX, NaiveDate::MIN).host_slot(crate::HostSlot::new(
            "h",
            "x",
            NaiveDate::MAX,
            crate::Part::FullDay,
        ));
        assert!(validate(&e).is_err());
        let e = Edition::new("t", NaiveDate::MIN, NaiveDate::MAX);
        let err = validate(&e).unwrap_err();
        assert_eq!(err.problems()[0].code(), "window_too_long");
        let e = Edition::new("t", NaiveDate::MAX, NaiveDate::MAX);
        let _ = validate(&e);
    }
}
