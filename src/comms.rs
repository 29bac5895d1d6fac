//! The communication plan: who is told what, and when.
//!
//! Vernon's organisers sent a general mail to every participant presenting
//! the programme, then an individual mail to each giving their date and the
//! service they would visit, then a reminder the day before the swap, and a
//! questionnaire at the end; Tourcoing had each visitor sign a
//! confidentiality agreement before the visit. [`plan`] turns an edition
//! and its [`Outcome`] into those messages as dated records: the library
//! sends nothing and never reads the clock, the caller sends each
//! [`Message`] on its [`Message::send_on`] date, rendered with
//! [`Message::render`] or its own [`Renderer`].
//!
//! # Dates
//!
//! *Working days* are the edition's [`Calendar`] inside its window. Before
//! and after the window (the announcement, a reminder for a visit on the
//! first working day, the survey when the window ends on the last visit) a
//! working day is a date on one of the edition's working weekdays that is
//! not one of its listed closed days nor, when the edition closes them, a
//! French public holiday. Concretely:
//!
//! - **Announcement** ([`MessageKind::Announcement`]): to every participant
//!   (agents who volunteer to visit or to host),
//!   [`CommsOptions::announce_working_days_before`] working days (default
//!   10) before the edition's first working day (its start date if it has
//!   none). It is sent before anyone knows the result, to everyone.
//! - **Individual messages** ([`MessageKind::Visit`], [`MessageKind::Hosting`],
//!   [`MessageKind::NotPlaced`]): [`CommsOptions::notify_working_days_before`]
//!   working days (default 5) before the first working day, never before
//!   the announcement. One per pairing and role: a visitor placed twice gets
//!   two visit messages, a host receiving two visitors two hosting messages.
//! - **Not placed**: a visitor of [`Outcome::unplaced`] gets the
//!   "not placed this time" message with their reasons summarised, and no
//!   other message as a visitor (no reminder, agreement or survey). If they
//!   also host, they receive the host's messages like any host.
//! - **Agreement to collect** ([`MessageKind::AgreementToCollect`]): for each
//!   pairing with [`Pairing::agreement_pending`], to the visitor, sent with
//!   the individual messages (or on the due date if that is earlier), due
//!   by the visit's reminder date ([`Facts::due`]).
//! - **Reminder** ([`MessageKind::Reminder`]): to the visitor and to the host
//!   of each pairing, on the working day before the visit: the previous
//!   working day of the calendar (a Monday visit is reminded on the Friday,
//!   holidays and closed days skipped). If the calendar has no working day
//!   before the visit (a visit on the first working day), the previous
//!   working day outside the window as defined above.
//! - **Survey invitation** ([`MessageKind::SurveyInvitation`]): one per
//!   agent who took part in at least one pairing (as visitor, host or both,
//!   as Vernon sent one questionnaire per agent), on the first working day
//!   of the calendar after the last visit of the edition, or, when the last
//!   visit is on the last working day, the first working day after the
//!   window's end. None when nobody was placed.
//!
//! Should the search for a working day find none within 5 years (an edition
//! without working weekdays), the plain calendar day is used instead: the
//! plan never fails.
//!
//! # Order
//!
//! [`CommsPlan::messages`] are sorted by send date, then recipient id, then
//! kind (in the order of [`MessageKind`]'s variants), then visit (date,
//! part, visitor, host): the same edition and outcome always give the same
//! plan.
//!
//! ```
//! use chrono::NaiveDate;
//! use jobswap::comms::{self, Lang, MessageKind};
//! use jobswap::{Agent, Edition, HostSlot, Instance, Part, Service, Wish};
//!
//! let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
//! let edition = Edition::new("Vis mon job", d(3, 3), d(3, 7))
//!     .service(Service::new("accueil", "Accueil").site("Hôtel de ville"))
//!     .service(Service::new("scolaire", "Vie scolaire").site("Espace Philippe-Auguste"))
//!     .agent(Agent::new("denise", "Denise", "accueil").visits(true))
//!     .agent(Agent::new("veronique", "Véronique", "scolaire").hosts(true))
//!     .wish(Wish::service("denise", "scolaire", 1))
//!     .host_slot(HostSlot::new("v-03", "veronique", d(3, 3), Part::Morning));
//! let instance = Instance::new(edition)?;
//! let outcome = instance.solve();
//!
//! let plan = comms::plan(instance.edition(), &outcome);
//! let reminder = plan
//!     .messages()
//!     .iter()
//!     .find(|m| m.kind == MessageKind::Reminder && m.recipient == "denise")
//!     .unwrap();
//! // A visit on Monday 3 March, the first working day: reminded on Friday 28 February.
//! assert_eq!(reminder.send_on, d(2, 28));
//! let text = reminder.render(Lang::En);
//! assert!(text.body.contains("Vie scolaire"));
//! assert!(text.body.contains("08:30"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, french_public_holidays};
use crate::outcome::UnplacedReason;
use crate::{
    Agent, AgentId, Edition, Outcome, Pairing, Part, PublicHolidays, Role, Service, ServiceId,
    Target,
};

/// How far a search for a working day goes before giving up (5 years).
const SEARCH_LIMIT: u32 = 5 * 366;

/// When the messages before the edition go out.
///
/// ```
/// use jobswap::comms::CommsOptions;
/// let o = CommsOptions::default().announce_working_days_before(15);
/// assert_eq!(o.announce_working_days_before, 15);
/// assert_eq!(o.notify_working_days_before, 5);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CommsOptions {
    /// Working days between the announcement and the edition's first
    /// working day (default 10; at most 1830 are counted).
    pub announce_working_days_before: u32,
    /// Working days between the individual messages and the edition's
    /// first working day (default 5; at most 1830 are counted); never
    /// before the announcement.
    pub notify_working_days_before: u32,
}

impl Default for CommsOptions {
    fn default() -> Self {
        CommsOptions {
            announce_working_days_before: 10,
            notify_working_days_before: 5,
        }
    }
}

impl CommsOptions {
    /// Sets the working days between the announcement and the first
    /// working day.
    #[must_use]
    pub fn announce_working_days_before(mut self, days: u32) -> Self {
        self.announce_working_days_before = days;
        self
    }

    /// Sets the working days between the individual messages and the first
    /// working day.
    #[must_use]
    pub fn notify_working_days_before(mut self, days: u32) -> Self {
        self.notify_working_days_before = days;
        self
    }
}

/// What a message is about. The variants' order is the order of messages
/// sent the same day to the same recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MessageKind {
    /// The general announcement of the programme, to every participant.
    Announcement,
    /// To a visitor: where and when they visit.
    Visit,
    /// To a host: who comes, and when.
    Hosting,
    /// To a visitor left out: not placed this time, and why.
    NotPlaced,
    /// To a visitor: the confidentiality agreement to sign before the
    /// visit.
    AgreementToCollect,
    /// To a visitor or a host: the visit is on the next working day.
    Reminder,
    /// To a participant: the questionnaire after the edition.
    SurveyInvitation,
}

/// The facts of one visit, as a message needs them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct VisitFacts {
    /// The date of the visit.
    pub date: NaiveDate,
    /// Morning, afternoon or full day.
    pub part: Part,
    /// When it starts (from the edition's [`crate::Hours`]).
    pub start: NaiveTime,
    /// When it ends (the afternoon's end for a full day).
    pub end: NaiveTime,
    /// The visitor.
    pub visitor: AgentId,
    /// The visitor's name.
    pub visitor_name: String,
    /// The visitor's own service's name.
    pub visitor_service_name: String,
    /// The host.
    pub host: AgentId,
    /// The host's name.
    pub host_name: String,
    /// The service visited.
    pub service: ServiceId,
    /// The service's name.
    pub service_name: String,
    /// Where the service receives visitors (may be empty).
    pub site: String,
    /// The visitor still has to sign the confidentiality agreement.
    pub agreement_pending: bool,
    /// A half day where the visitor's wish asked for a full day
    /// ([`Pairing::fallback`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fallback: bool,
}

impl VisitFacts {
    /// The facts of `pairing` in `edition`; ids stand in for unknown names.
    ///
    /// Each call indexes the edition's agents and services (linear time);
    /// [`plan`] and the calendar export index them once for all pairings.
    pub fn of(edition: &Edition, pairing: &Pairing) -> VisitFacts {
        VisitFacts::named(&Names::new(edition), edition, pairing)
    }

    /// The same with the names already indexed.
    pub(crate) fn named(names: &Names<'_>, edition: &Edition, pairing: &Pairing) -> VisitFacts {
        let (start, end) = visit_times(edition, pairing.part);
        let visitor = names.agent(&pairing.visitor);
        let host_name = names.agent_name(&pairing.host);
        let service = names.service(&pairing.service);
        VisitFacts {
            date: pairing.date,
            part: pairing.part,
            start,
            end,
            visitor: pairing.visitor.clone(),
            visitor_name: visitor.map_or_else(|| pairing.visitor.to_string(), |a| a.name.clone()),
            visitor_service_name: visitor
                .map_or_else(String::new, |a| names.service_name(&a.service)),
            host: pairing.host.clone(),
            host_name,
            service: pairing.service.clone(),
            service_name: service.map_or_else(|| pairing.service.to_string(), |s| s.name.clone()),
            site: service.map_or_else(String::new, |s| s.site.clone()),
            agreement_pending: pairing.agreement_pending,
            fallback: pairing.fallback,
        }
    }

    fn key(&self) -> (NaiveDate, Part, &AgentId, &AgentId) {
        (self.date, self.part, &self.visitor, &self.host)
    }
}

/// The clock times of `part` on the edition's [`crate::Hours`]: a full day
/// runs from the morning's start to the afternoon's end.
pub fn visit_times(edition: &Edition, part: Part) -> (NaiveTime, NaiveTime) {
    let h = &edition.hours;
    match part {
        Part::Morning => (h.morning_start, h.morning_end),
        Part::Afternoon => (h.afternoon_start, h.afternoon_end),
        Part::FullDay => (h.morning_start, h.afternoon_end),
    }
}

/// One reason a visitor was left out, with the wished target's display
/// name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ReasonFacts {
    /// The reason, as the outcome gives it.
    pub reason: UnplacedReason,
    /// The wished service's name, or `"host (service)"` for a wish aimed at
    /// a host; empty when the reason names no target.
    pub target: String,
}

/// The facts a message states: every field a rendering may use. Fields
/// that do not apply to a message's kind are empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Facts {
    /// The edition's name.
    pub edition: String,
    /// The recipient's name.
    pub recipient_name: String,
    /// The edition's first working day (its start if it has none).
    pub first_day: NaiveDate,
    /// The edition's last working day (its end if it has none).
    pub last_day: NaiveDate,
    /// The recipient's role, for a message about a visit.
    pub role: Option<Role>,
    /// The visit, for [`MessageKind::Visit`], [`MessageKind::Hosting`],
    /// [`MessageKind::AgreementToCollect`] and [`MessageKind::Reminder`].
    pub visit: Option<VisitFacts>,
    /// Why the visitor was left out, for [`MessageKind::NotPlaced`].
    pub reasons: Vec<ReasonFacts>,
    /// For [`MessageKind::AgreementToCollect`]: the date by which the signed
    /// agreement is needed (the visit's reminder date).
    pub due: Option<NaiveDate>,
}

/// One dated message for the caller to send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Message {
    /// Who receives it.
    pub recipient: AgentId,
    /// When to send it.
    pub send_on: NaiveDate,
    /// What it is about.
    pub kind: MessageKind,
    /// What it says.
    pub facts: Facts,
}

impl Message {
    /// The default rendering, in French or English.
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use jobswap::comms::{self, Lang, MessageKind};
    /// # use jobswap::{Agent, Edition, Service};
    /// # let d = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
    /// let edition = Edition::new("Vis mon job", d, d)
    ///     .service(Service::new("ccas", "CCAS"))
    ///     .agent(Agent::new("ana", "Ana", "ccas").hosts(true));
    /// let outcome = jobswap::Instance::new(edition.clone())?.solve();
    /// let plan = comms::plan(&edition, &outcome);
    /// let hello = &plan.messages()[0];
    /// assert_eq!(hello.kind, MessageKind::Announcement);
    /// assert!(hello.render(Lang::Fr).body.starts_with("Bonjour Ana,"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn render(&self, lang: Lang) -> Rendered {
        DefaultRenderer(lang).render(self)
    }

    fn sort_key(&self) -> impl Ord + '_ {
        (
            self.send_on,
            &self.recipient,
            self.kind,
            self.facts.visit.as_ref().map(VisitFacts::key),
            self.facts.role,
        )
    }
}

/// A rendered message.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rendered {
    /// The subject line.
    pub subject: String,
    /// The body, lines separated by `\n`.
    pub body: String,
}

/// The language of the default renderings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Lang {
    /// French.
    #[default]
    Fr,
    /// English.
    En,
}

/// Renders messages. Every method has a default (the crate's wording in
/// [`Renderer::lang`]): implement the ones to replace.
///
/// ```
/// use chrono::NaiveDate;
/// use jobswap::comms::{self, Lang, Message, MessageKind, Rendered, Renderer};
/// use jobswap::{Agent, Edition, HostSlot, Instance, Part, Service, Wish};
///
/// struct Short;
/// impl Renderer for Short {
///     fn reminder(&self, m: &Message) -> Rendered {
///         let name = &m.facts.recipient_name;
///         Rendered { subject: "Demain !".into(), body: format!("À demain, {name}.") }
///     }
/// }
///
/// let d = NaiveDate::from_ymd_opt(2025, 3, 4).unwrap();
/// let edition = Edition::new("Vis mon job", d, d)
///     .service(Service::new("accueil", "Accueil"))
///     .service(Service::new("scolaire", "Vie scolaire"))
///     .agent(Agent::new("denise", "Denise", "accueil").visits(true))
///     .agent(Agent::new("veronique", "Véronique", "scolaire").hosts(true))
///     .wish(Wish::service("denise", "scolaire", 1))
///     .host_slot(HostSlot::new("v-04", "veronique", d, Part::Morning));
/// let outcome = Instance::new(edition.clone())?.solve();
/// for m in comms::plan(&edition, &outcome).messages() {
///     let text = Short.render(m);
///     if m.kind == MessageKind::Reminder {
///         assert!(text.body.starts_with("À demain"));
///     } else {
///         assert_eq!(text, m.render(Lang::Fr)); // the crate's wording
///     }
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Renderer {
    /// The language of the default methods (French unless overridden).
    fn lang(&self) -> Lang {
        Lang::Fr
    }

    /// Renders `message` by dispatching on its kind.
    fn render(&self, message: &Message) -> Rendered {
        match message.kind {
            MessageKind::Announcement => self.announcement(message),
            MessageKind::Visit => self.visit(message),
            MessageKind::Hosting => self.hosting(message),
            MessageKind::NotPlaced => self.not_placed(message),
            MessageKind::AgreementToCollect => self.agreement(message),
            MessageKind::Reminder => self.reminder(message),
            MessageKind::SurveyInvitation => self.survey(message),
        }
    }

    /// The general announcement.
    fn announcement(&self, m: &Message) -> Rendered {
        render_announcement(m, self.lang())
    }

    /// A visitor's individual message.
    fn visit(&self, m: &Message) -> Rendered {
        render_visit(m, self.lang())
    }

    /// A host's individual message.
    fn hosting(&self, m: &Message) -> Rendered {
        render_hosting(m, self.lang())
    }

    /// The "not placed this time" message.
    fn not_placed(&self, m: &Message) -> Rendered {
        render_not_placed(m, self.lang())
    }

    /// The confidentiality agreement to sign.
    fn agreement(&self, m: &Message) -> Rendered {
        render_agreement(m, self.lang())
    }

    /// The reminder the working day before.
    fn reminder(&self, m: &Message) -> Rendered {
        render_reminder(m, self.lang())
    }

    /// The survey invitation.
    fn survey(&self, m: &Message) -> Rendered {
        render_survey(m, self.lang())
    }
}

/// The crate's own renderings in one language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DefaultRenderer(pub Lang);

impl Renderer for DefaultRenderer {
    fn lang(&self) -> Lang {
        self.0
    }
}

/// The dated messages of an edition, sorted (see the [module](self) docs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CommsPlan {
    /// The messages, sorted by send date, recipient, kind, then visit.
    pub messages: Vec<Message>,
}

impl CommsPlan {
    /// Builds the plan of `edition` and its `outcome` on `calendar` (the
    /// edition's, [`Calendar::of`]).
    pub fn build(
        edition: &Edition,
        outcome: &Outcome,
        calendar: &Calendar,
        options: CommsOptions,
    ) -> CommsPlan {
        Builder::new(edition, outcome, calendar, options).build()
    }

    /// The messages, sorted.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// The messages to `recipient`, in order.
    pub fn for_recipient<'a>(
        &'a self,
        recipient: &'a AgentId,
    ) -> impl Iterator<Item = &'a Message> {
        self.messages
            .iter()
            .filter(move |m| m.recipient == *recipient)
    }

    /// The messages to send on `date`, in order.
    pub fn on(&self, date: NaiveDate) -> impl Iterator<Item = &Message> {
        let i = self.messages.partition_point(|m| m.send_on < date);
        self.messages[i..]
            .iter()
            .take_while(move |m| m.send_on == date)
    }

    /// The confidentiality agreements still to collect: the
    /// [`MessageKind::AgreementToCollect`] messages.
    pub fn agreements_to_collect(&self) -> impl Iterator<Item = &Message> {
        self.messages
            .iter()
            .filter(|m| m.kind == MessageKind::AgreementToCollect)
    }
}

/// The communication plan of `edition` and its `outcome`, with the
/// edition's calendar and the default [`CommsOptions`].
///
/// See the [module](self) docs for what is sent when.
pub fn plan(edition: &Edition, outcome: &Outcome) -> CommsPlan {
    CommsPlan::build(
        edition,
        outcome,
        &Calendar::of(edition),
        CommsOptions::default(),
    )
}

/// The working day before `date`: the calendar's previous working day, or
/// if it has none, the previous working day outside the window (see the
/// [module](self) docs). The date of a visit's reminder.
///
/// ```
/// use chrono::NaiveDate;
/// use jobswap::calendar::Calendar;
/// use jobswap::comms::reminder_date;
/// use jobswap::{Edition, PublicHolidays};
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let e = Edition::new("e", d(4, 14), d(4, 30)).public_holidays(PublicHolidays::France);
/// // Easter Monday 21 April is closed: a Tuesday visit is reminded on Friday.
/// assert_eq!(reminder_date(&e, &Calendar::of(&e), d(4, 22)), d(4, 18));
/// ```
pub fn reminder_date(edition: &Edition, calendar: &Calendar, date: NaiveDate) -> NaiveDate {
    Days::new(edition, calendar).previous(date)
}

/// Working days in and around an edition's window.
struct Days<'a> {
    edition: &'a Edition,
    calendar: &'a Calendar,
}

impl<'a> Days<'a> {
    fn new(edition: &'a Edition, calendar: &'a Calendar) -> Self {
        Days { edition, calendar }
    }

    /// Inside the window the calendar decides; outside, the edition's
    /// weekdays, closed days and public holidays.
    fn is_working(&self, d: NaiveDate) -> bool {
        if self.edition.start <= d && d <= self.edition.end {
            return self.calendar.is_working_day(d);
        }
        is_working_outside(self.edition, d)
    }

    fn previous(&self, date: NaiveDate) -> NaiveDate {
        if let Some(p) = self.calendar.previous_working_day(date) {
            return p;
        }
        self.step_back(date, 1)
    }

    fn next(&self, date: NaiveDate) -> NaiveDate {
        let days = self.calendar.days();
        let i = days.partition_point(|d| *d <= date);
        if let Some(d) = days.get(i) {
            return *d;
        }
        let mut d = date;
        for _ in 0..SEARCH_LIMIT {
            let Some(n) = d.succ_opt() else { break };
            d = n;
            if self.is_working(d) {
                return d;
            }
        }
        date.succ_opt().unwrap_or(date)
    }

    /// `n` working days before `date` (`date` itself for 0), `n` capped at
    /// [`SEARCH_LIMIT`].
    fn step_back(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let n = n.min(SEARCH_LIMIT);
        let mut d = date;
        let mut left = n;
        let mut steps = 0;
        while left > 0 {
            let Some(p) = d.pred_opt() else { return d };
            d = p;
            steps += 1;
            if self.is_working(d) {
                left -= 1;
            } else if steps > SEARCH_LIMIT.saturating_add(n.saturating_mul(7)) {
                // No working weekday at all: count plain days.
                return date
                    .checked_sub_days(chrono::Days::new(u64::from(n)))
                    .unwrap_or(date);
            }
        }
        d
    }
}

fn is_working_outside(edition: &Edition, d: NaiveDate) -> bool {
    edition.working_weekdays.contains(&d.weekday())
        && !edition.closed_days.contains(&d)
        && !(edition.public_holidays == PublicHolidays::France
            && french_public_holidays(d.year())
                .iter()
                .any(|(h, _)| *h == d))
}

/// Agents and services by id, for display names (built once: each lookup
/// is then a hash probe, not a scan). The first of a repeated id wins, as a
/// scan would find it.
pub(crate) struct Names<'a> {
    agents: HashMap<&'a str, &'a Agent>,
    services: HashMap<&'a str, &'a Service>,
}

impl<'a> Names<'a> {
    pub(crate) fn new(edition: &'a Edition) -> Self {
        let mut agents = HashMap::with_capacity(edition.agents.len());
        for a in &edition.agents {
            agents.entry(a.id.as_str()).or_insert(a);
        }
        let mut services = HashMap::with_capacity(edition.services.len());
        for s in &edition.services {
            services.entry(s.id.as_str()).or_insert(s);
        }
        Names { agents, services }
    }

    fn agent(&self, id: &AgentId) -> Option<&'a Agent> {
        self.agents.get(id.as_str()).copied()
    }

    fn service(&self, id: &ServiceId) -> Option<&'a Service> {
        self.services.get(id.as_str()).copied()
    }

    fn agent_name(&self, id: &AgentId) -> String {
        self.agent(id)
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    }

    fn service_name(&self, id: &ServiceId) -> String {
        self.service(id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    }

    fn target_name(&self, target: &Target) -> String {
        match target {
            Target::Service(s) => self.service_name(s),
            Target::Host(h) => match self.agent(h) {
                Some(a) => format!("{} ({})", a.name, self.service_name(&a.service)),
                None => h.to_string(),
            },
        }
    }
}

fn reason_target(reason: &UnplacedReason) -> Option<&Target> {
    match reason {
        UnplacedReason::NothingOffered | UnplacedReason::ParticipationCapReached { .. } => None,
        UnplacedReason::NoHostSlot { target }
        | UnplacedReason::ConfidentialityMissing { target }
        | UnplacedReason::AlreadyVisited { target }
        | UnplacedReason::DurationNotOffered { target, .. }
        | UnplacedReason::AvailabilityNeverMeets { target }
        | UnplacedReason::HostSlotsTaken { target }
        | UnplacedReason::ContinuityCapSaturated { target, .. }
        | UnplacedReason::Overlap { target }
        | UnplacedReason::SlotsBlocked { target }
        | UnplacedReason::NotChosen { target } => Some(target),
    }
}

struct Builder<'a> {
    edition: &'a Edition,
    names: Names<'a>,
    outcome: &'a Outcome,
    days: Days<'a>,
    first_day: NaiveDate,
    last_day: NaiveDate,
    announce_on: NaiveDate,
    notify_on: NaiveDate,
    messages: Vec<Message>,
}

impl<'a> Builder<'a> {
    fn new(
        edition: &'a Edition,
        outcome: &'a Outcome,
        calendar: &'a Calendar,
        options: CommsOptions,
    ) -> Self {
        let days = Days::new(edition, calendar);
        let first_day = calendar.days().first().copied().unwrap_or(edition.start);
        let last_day = calendar.days().last().copied().unwrap_or(edition.end);
        let announce_on = days.step_back(first_day, options.announce_working_days_before);
        let notify_on = days
            .step_back(first_day, options.notify_working_days_before)
            .max(announce_on);
        Builder {
            edition,
            names: Names::new(edition),
            outcome,
            days,
            first_day,
            last_day,
            announce_on,
            notify_on,
            messages: Vec::new(),
        }
    }

    fn facts(&self, recipient: &AgentId) -> Facts {
        Facts {
            edition: self.edition.name.clone(),
            recipient_name: self.names.agent_name(recipient),
            first_day: self.first_day,
            last_day: self.last_day,
            role: None,
            visit: None,
            reasons: Vec::new(),
            due: None,
        }
    }

    fn push(&mut self, recipient: &AgentId, send_on: NaiveDate, kind: MessageKind, facts: Facts) {
        self.messages.push(Message {
            recipient: recipient.clone(),
            send_on,
            kind,
            facts,
        });
    }

    fn build(mut self) -> CommsPlan {
        let participants: BTreeSet<&AgentId> = self
            .edition
            .agents
            .iter()
            .filter(|a| a.visits || a.hosts)
            .map(|a| &a.id)
            .collect();
        for id in participants {
            let facts = self.facts(id);
            self.push(id, self.announce_on, MessageKind::Announcement, facts);
        }

        let mut took_part: BTreeSet<&AgentId> = BTreeSet::new();
        let mut last_visit: Option<NaiveDate> = None;
        for p in self.outcome.pairings() {
            took_part.insert(&p.visitor);
            took_part.insert(&p.host);
            last_visit = last_visit.max(Some(p.date));
            let visit = VisitFacts::named(&self.names, self.edition, p);
            let reminder_on = self.days.previous(p.date);
            for (who, role, kind) in [
                (&p.visitor, Role::Visitor, MessageKind::Visit),
                (&p.host, Role::Host, MessageKind::Hosting),
            ] {
                let mut facts = self.facts(who);
                facts.role = Some(role);
                facts.visit = Some(visit.clone());
                self.push(who, self.notify_on, kind, facts.clone());
                self.push(who, reminder_on, MessageKind::Reminder, facts);
            }
            if p.agreement_pending {
                let mut facts = self.facts(&p.visitor);
                facts.role = Some(Role::Visitor);
                facts.visit = Some(visit);
                facts.due = Some(reminder_on);
                let send_on = self.notify_on.min(reminder_on);
                self.push(&p.visitor, send_on, MessageKind::AgreementToCollect, facts);
            }
        }

        for u in self.outcome.unplaced() {
            let mut facts = self.facts(&u.visitor);
            facts.role = Some(Role::Visitor);
            facts.reasons = u
                .reasons
                .iter()
                .map(|r| ReasonFacts {
                    reason: r.clone(),
                    target: reason_target(r)
                        .map_or_else(String::new, |t| self.names.target_name(t)),
                })
                .collect();
            self.push(&u.visitor, self.notify_on, MessageKind::NotPlaced, facts);
        }

        if let Some(last) = last_visit {
            let survey_on = self.days.next(last);
            for id in took_part {
                let facts = self.facts(id);
                self.push(id, survey_on, MessageKind::SurveyInvitation, facts);
            }
        }

        let mut messages = self.messages;
        messages.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        CommsPlan { messages }
    }
}

// ---------------------------------------------------------------------------
// Default renderings.

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn weekday_name(w: Weekday, lang: Lang) -> &'static str {
    let i = w.num_days_from_monday() as usize;
    let names = match lang {
        Lang::Fr => [
            "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        ],
        Lang::En => [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ],
    };
    names.get(i).copied().unwrap_or("")
}

/// `mardi 22 avril 2025` / `Tuesday 22 April 2025`.
fn long_date(d: NaiveDate, lang: Lang) -> String {
    let months = match lang {
        Lang::Fr => &crate::calendar::MONTHS_FR,
        Lang::En => &MONTHS_EN,
    };
    let month = months.get(d.month0() as usize).copied().unwrap_or("");
    let day = match (lang, d.day()) {
        (Lang::Fr, 1) => "1er".to_owned(),
        (_, n) => n.to_string(),
    };
    format!(
        "{} {day} {month} {}",
        weekday_name(d.weekday(), lang),
        d.year()
    )
}

fn clock(t: NaiveTime, lang: Lang) -> String {
    match lang {
        Lang::Fr => t.format("%Hh%M").to_string(),
        Lang::En => t.format("%H:%M").to_string(),
    }
}

/// `le mardi 22 avril 2025, le matin (08h30–12h00)`.
fn when(v: &VisitFacts, lang: Lang) -> String {
    let part = match (lang, v.part) {
        (Lang::Fr, Part::Morning) => "le matin",
        (Lang::Fr, Part::Afternoon) => "l'après-midi",
        (Lang::Fr, Part::FullDay) => "toute la journée",
        (Lang::En, Part::Morning) => "in the morning",
        (Lang::En, Part::Afternoon) => "in the afternoon",
        (Lang::En, Part::FullDay) => "for the full day",
    };
    let on = match lang {
        Lang::Fr => "le",
        Lang::En => "on",
    };
    format!(
        "{on} {}, {part} ({}–{})",
        long_date(v.date, lang),
        clock(v.start, lang),
        clock(v.end, lang)
    )
}

fn place(v: &VisitFacts, lang: Lang) -> String {
    if v.site.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::Fr => format!("\nLieu : {}", v.site),
            Lang::En => format!("\nPlace: {}", v.site),
        }
    }
}

fn greeting(m: &Message, lang: Lang) -> String {
    match lang {
        Lang::Fr => format!("Bonjour {},\n\n", m.facts.recipient_name),
        Lang::En => format!("Hello {},\n\n", m.facts.recipient_name),
    }
}

fn missing(m: &Message, lang: Lang) -> Rendered {
    // A message built by hand without its visit: say what is known.
    let body = greeting(m, lang)
        + match lang {
            Lang::Fr => "(détails de la visite non renseignés)",
            Lang::En => "(visit details missing)",
        };
    Rendered {
        subject: m.facts.edition.clone(),
        body,
    }
}

fn render_announcement(m: &Message, lang: Lang) -> Rendered {
    let f = &m.facts;
    let (first, last) = (long_date(f.first_day, lang), long_date(f.last_day, lang));
    let (subject, text) = match lang {
        Lang::Fr => (
            format!("{} : le programme", f.edition),
            format!(
                "Vous participez à « {} ». Du {first} au {last}, les agents volontaires \
                 échangent leur place le temps d'une demi-journée ou d'une journée pour \
                 découvrir le travail d'un collègue d'un autre service.\n\nVous recevrez \
                 un message personnel indiquant votre date et le service concerné, puis \
                 un rappel la veille.",
                f.edition
            ),
        ),
        Lang::En => (
            format!("{}: the programme", f.edition),
            format!(
                "You are taking part in \"{}\". From {first} to {last}, volunteers swap \
                 places for half a day or a day to discover a colleague's job in \
                 another service.\n\nYou will receive a personal message with your date \
                 and the service concerned, then a reminder the day before.",
                f.edition
            ),
        ),
    };
    Rendered {
        subject,
        body: greeting(m, lang) + &text,
    }
}

fn render_visit(m: &Message, lang: Lang) -> Rendered {
    let Some(v) = &m.facts.visit else {
        return missing(m, lang);
    };
    let mut body = greeting(m, lang);
    let subject = match lang {
        Lang::Fr => {
            let _ = write!(
                body,
                "Vous découvrirez le service « {} » {}, accueilli(e) par {}.{}",
                v.service_name,
                when(v, lang),
                v.host_name,
                place(v, lang)
            );
            if v.fallback {
                body.push_str(
                    "\n\nVous aviez demandé une journée entière : seule une demi-journée a pu \
                     être organisée.",
                );
            }
            if v.agreement_pending {
                body.push_str("\n\nL'engagement de discrétion est à signer avant la visite.");
            }
            format!("{} : votre visite – {}", m.facts.edition, v.service_name)
        }
        Lang::En => {
            let _ = write!(
                body,
                "You will discover the \"{}\" service {}, hosted by {}.{}",
                v.service_name,
                when(v, lang),
                v.host_name,
                place(v, lang)
            );
            if v.fallback {
                body.push_str("\n\nYou asked for a full day: only a half day could be arranged.");
            }
            if v.agreement_pending {
                body.push_str("\n\nThe confidentiality agreement must be signed before the visit.");
            }
            format!("{}: your visit – {}", m.facts.edition, v.service_name)
        }
    };
    Rendered { subject, body }
}

fn render_hosting(m: &Message, lang: Lang) -> Rendered {
    let Some(v) = &m.facts.visit else {
        return missing(m, lang);
    };
    let from = if v.visitor_service_name.is_empty() {
        String::new()
    } else {
        format!(" ({})", v.visitor_service_name)
    };
    let mut body = greeting(m, lang);
    let subject = match lang {
        Lang::Fr => {
            let _ = write!(
                body,
                "Vous accueillerez {}{from} {} pour lui faire découvrir votre travail.{}",
                v.visitor_name,
                when(v, lang),
                place(v, lang)
            );
            format!("{} : vous accueillez {}", m.facts.edition, v.visitor_name)
        }
        Lang::En => {
            let _ = write!(
                body,
                "You will host {}{from} {} to show them your job.{}",
                v.visitor_name,
                when(v, lang),
                place(v, lang)
            );
            format!("{}: you host {}", m.facts.edition, v.visitor_name)
        }
    };
    Rendered { subject, body }
}

fn reason_text(r: &UnplacedReason, lang: Lang) -> &'static str {
    match (lang, r) {
        (Lang::Fr, UnplacedReason::ParticipationCapReached { .. }) => {
            "vous avez déjà participé autant de fois que le prévoit le programme"
        }
        (Lang::En, UnplacedReason::ParticipationCapReached { .. }) => {
            "you have already taken part as often as the programme allows"
        }
        (Lang::Fr, UnplacedReason::NothingOffered) => "aucun accueil n'était proposé",
        (Lang::En, UnplacedReason::NothingOffered) => "no host slot was offered",
        (Lang::Fr, UnplacedReason::NoHostSlot { .. }) => "aucun créneau d'accueil proposé",
        (Lang::En, UnplacedReason::NoHostSlot { .. }) => "no host slot offered",
        (Lang::Fr, UnplacedReason::ConfidentialityMissing { .. }) => {
            "l'engagement de discrétion requis n'est pas signé"
        }
        (Lang::En, UnplacedReason::ConfidentialityMissing { .. }) => {
            "the required confidentiality agreement is not signed"
        }
        (Lang::Fr, UnplacedReason::AlreadyVisited { .. }) => {
            "déjà découvert lors d'une édition précédente"
        }
        (Lang::En, UnplacedReason::AlreadyVisited { .. }) => {
            "already visited in an earlier edition"
        }
        (Lang::Fr, UnplacedReason::DurationNotOffered { .. }) => {
            "pas de créneau de la durée demandée"
        }
        (Lang::En, UnplacedReason::DurationNotOffered { .. }) => {
            "no slot of the duration asked for"
        }
        (Lang::Fr, UnplacedReason::AvailabilityNeverMeets { .. }) => {
            "vos disponibilités ne rencontrent aucun créneau"
        }
        (Lang::En, UnplacedReason::AvailabilityNeverMeets { .. }) => {
            "your availability never meets a host slot"
        }
        (Lang::Fr, UnplacedReason::HostSlotsTaken { .. }) => {
            "tous les créneaux possibles étaient pris"
        }
        (Lang::En, UnplacedReason::HostSlotsTaken { .. }) => "every possible slot was taken",
        (Lang::Fr, UnplacedReason::ContinuityCapSaturated { .. }) => {
            "votre service devait assurer la continuité à ces dates"
        }
        (Lang::En, UnplacedReason::ContinuityCapSaturated { .. }) => {
            "your service had to stay staffed on those dates"
        }
        (Lang::Fr, UnplacedReason::Overlap { .. }) => "vous accueilliez vous-même à ces dates",
        (Lang::En, UnplacedReason::Overlap { .. }) => "you or the host were busy on those dates",
        (Lang::Fr, UnplacedReason::SlotsBlocked { .. }) => "les créneaux possibles étaient occupés",
        (Lang::En, UnplacedReason::SlotsBlocked { .. }) => "the possible slots were all in use",
        (Lang::Fr, UnplacedReason::NotChosen { .. }) => "le tirage ne vous a pas retenu(e)",
        (Lang::En, UnplacedReason::NotChosen { .. }) => "the draw did not pick you",
    }
}

/// One line per distinct reason, naming its targets in order.
fn reasons_summary(reasons: &[ReasonFacts], lang: Lang) -> String {
    let mut lines: BTreeMap<&'static str, (usize, Vec<&str>)> = BTreeMap::new();
    for (i, r) in reasons.iter().enumerate() {
        let entry = lines
            .entry(reason_text(&r.reason, lang))
            .or_insert((i, Vec::new()));
        if !r.target.is_empty() && !entry.1.contains(&r.target.as_str()) {
            entry.1.push(&r.target);
        }
    }
    let mut ordered: Vec<_> = lines.into_iter().collect();
    ordered.sort_by_key(|(_, (i, _))| *i);
    let mut out = String::new();
    for (text, (_, targets)) in ordered {
        if targets.is_empty() {
            let _ = write!(out, "\n- {text}");
        } else {
            let sep = if lang == Lang::Fr { " : " } else { ": " };
            let _ = write!(out, "\n- {}{sep}{text}", targets.join(", "));
        }
    }
    out
}

fn render_not_placed(m: &Message, lang: Lang) -> Rendered {
    let f = &m.facts;
    let summary = reasons_summary(&f.reasons, lang);
    let (subject, text) = match lang {
        Lang::Fr => (
            format!("{} : pas de visite cette fois-ci", f.edition),
            format!(
                "Nous n'avons pas pu vous proposer de visite pour cette édition.{}\n\n\
                 Votre candidature est bien notée pour une prochaine édition.",
                if summary.is_empty() {
                    String::new()
                } else {
                    format!("\n\nPourquoi :{summary}")
                }
            ),
        ),
        Lang::En => (
            format!("{}: no visit this time", f.edition),
            format!(
                "We could not place you in this edition.{}\n\n\
                 Your application is noted for a future edition.",
                if summary.is_empty() {
                    String::new()
                } else {
                    format!("\n\nWhy:{summary}")
                }
            ),
        ),
    };
    Rendered {
        subject,
        body: greeting(m, lang) + &text,
    }
}

fn render_agreement(m: &Message, lang: Lang) -> Rendered {
    let Some(v) = &m.facts.visit else {
        return missing(m, lang);
    };
    let due = m.facts.due.unwrap_or(v.date);
    let mut body = greeting(m, lang);
    let subject = match lang {
        Lang::Fr => {
            let _ = write!(
                body,
                "Le service « {} » demande aux visiteurs de signer un engagement de \
                 discrétion (données sensibles). Merci de le retourner signé au plus \
                 tard le {}, avant votre visite {}.",
                v.service_name,
                long_date(due, lang),
                when(v, lang)
            );
            format!("{} : engagement de discrétion à signer", m.facts.edition)
        }
        Lang::En => {
            let _ = write!(
                body,
                "The \"{}\" service asks visitors to sign a confidentiality agreement \
                 (sensitive data). Please return it signed by {}, before your visit {}.",
                v.service_name,
                long_date(due, lang),
                when(v, lang)
            );
            format!("{}: confidentiality agreement to sign", m.facts.edition)
        }
    };
    Rendered { subject, body }
}

fn render_reminder(m: &Message, lang: Lang) -> Rendered {
    let Some(v) = &m.facts.visit else {
        return missing(m, lang);
    };
    let mut body = greeting(m, lang);
    let hosting = m.facts.role == Some(Role::Host);
    let subject = match (lang, hosting) {
        (Lang::Fr, false) => {
            let _ = write!(
                body,
                "Rappel : vous découvrez le service « {} » {}, accueilli(e) par {}.{}",
                v.service_name,
                when(v, lang),
                v.host_name,
                place(v, lang)
            );
            format!("Rappel – {} : votre visite", m.facts.edition)
        }
        (Lang::Fr, true) => {
            let _ = write!(
                body,
                "Rappel : vous accueillez {} {}.{}",
                v.visitor_name,
                when(v, lang),
                place(v, lang)
            );
            format!(
                "Rappel – {} : vous accueillez {}",
                m.facts.edition, v.visitor_name
            )
        }
        (Lang::En, false) => {
            let _ = write!(
                body,
                "Reminder: you discover the \"{}\" service {}, hosted by {}.{}",
                v.service_name,
                when(v, lang),
                v.host_name,
                place(v, lang)
            );
            format!("Reminder – {}: your visit", m.facts.edition)
        }
        (Lang::En, true) => {
            let _ = write!(
                body,
                "Reminder: you host {} {}.{}",
                v.visitor_name,
                when(v, lang),
                place(v, lang)
            );
            format!(
                "Reminder – {}: you host {}",
                m.facts.edition, v.visitor_name
            )
        }
    };
    Rendered { subject, body }
}

fn render_survey(m: &Message, lang: Lang) -> Rendered {
    let f = &m.facts;
    let (subject, text) = match lang {
        Lang::Fr => (
            format!("{} : votre avis", f.edition),
            format!(
                "Merci d'avoir participé à « {} ». Quelques minutes pour répondre au \
                 questionnaire nous aideront à préparer la prochaine édition.",
                f.edition
            ),
        ),
        Lang::En => (
            format!("{}: your opinion", f.edition),
            format!(
                "Thank you for taking part in \"{}\". A few minutes to answer the \
                 questionnaire will help us prepare the next edition.",
                f.edition
            ),
        ),
    };
    Rendered {
        subject,
        body: greeting(m, lang) + &text,
    }
}
