//! The end-of-edition questionnaire and the indicators an organiser tracks.
//!
//! A [`Survey`] lists its [`Question`]s (Likert scales, yes/no questions,
//! free-text astonishment reports — *rapports d'étonnement*) and the
//! invited [`Participant`]s, each in one [`Role`] with their home service.
//! Each [`Response`] carries one participant's [`Answer`]s in that role.
//! [`summarise`] checks the responses against the survey, naming every
//! problem at once, and aggregates them into a [`SurveySummary`]: response
//! rate (overall, by role, by service), per-answer counts and [`Share`]s,
//! and for Likert scales the share of "satisfied" respondents, the union of
//! the scale's top categories.
//!
//! ```
//! use jobswap::Role;
//! use jobswap::survey::{Answer, Participant, Precision, Question, Response, Survey, summarise};
//!
//! let scale = ["Très satisfait", "Satisfait", "Peu satisfait", "Pas satisfait"];
//! let survey = Survey::new("Vis mon job")
//!     .question(Question::likert("organisation", "Satisfait de l'organisation ?", scale, 2))
//!     .question(Question::yes_no("again", "Participeriez-vous à nouveau ?"))
//!     .participant(Participant::new("denise", Role::Visitor, "accueil-hdv"))
//!     .participant(Participant::new("veronique", Role::Host, "vie-scolaire"))
//!     .participant(Participant::new("lucie", Role::Host, "ctm"));
//! let responses = [
//!     Response::new("denise", Role::Visitor)
//!         .answer(Answer::likert("organisation", 1))
//!         .answer(Answer::yes_no("again", true)),
//!     Response::new("veronique", Role::Host)
//!         .answer(Answer::likert("organisation", 3))
//!         .answer(Answer::yes_no("again", true)),
//! ];
//!
//! let summary = summarise(&survey, &responses, Precision::WHOLE)?;
//! assert_eq!(summary.response_rate.to_string(), "67 %"); // 2 of 3
//! let organisation = summary.question("organisation").expect("asked");
//! assert_eq!(organisation.overall.satisfied().expect("a Likert scale").to_string(), "50 %");
//! assert_eq!(summary.question("again").and_then(|q| q.overall.yes()).map(|s| s.units), Some(100));
//! # Ok::<(), jobswap::survey::SurveyError>(())
//! ```
//!
//! # Rounding
//!
//! Shares of one question are rounded together by the **largest remainder
//! method** (Hamilton's method) at a chosen [`Precision`], so that the
//! rounded shares of a question's categories add up to exactly 100 % in
//! units of the precision; see [`round_shares`] for the procedure and its
//! deterministic tie-break. A single rate (response rate, "satisfied",
//! "yes") is rounded as the two-part partition it forms with its
//! complement, which makes it the nearest value, ties going to the larger
//! part.
//!
//! # JSON
//!
//! A [`SurveyDocument`] (format version [`FORMAT_VERSION`]) holds the survey
//! and its responses. Likert answers are 1-based positions on the scale, the
//! first label being the most favourable:
//!
//! ```json
//! { "format_version": 1,
//!   "survey": {
//!     "title": "Vis mon job",
//!     "questions": [
//!       { "id": "organisation", "text": "Satisfait de l'organisation ?",
//!         "kind": { "likert": { "labels": ["Très satisfait", "Satisfait", "Pas satisfait"],
//!                               "satisfied_top": 2 } } },
//!       { "id": "again", "text": "Participeriez-vous à nouveau ?", "kind": "yes_no" },
//!       { "id": "etonnement", "text": "Rapport d'étonnement", "kind": "free_text" } ],
//!     "participants": [ { "agent": "denise", "role": "visitor", "service": "accueil-hdv" } ] },
//!   "responses": [
//!     { "participant": "denise", "role": "visitor",
//!       "answers": [ { "question": "organisation", "value": { "likert": 1 } },
//!                    { "question": "again", "value": { "yes_no": true } },
//!                    { "question": "etonnement", "value": { "text": "…" } } ] } ] }
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{AgentId, Edition, Outcome, Role, ServiceId};

/// The version of the JSON form of [`SurveyDocument`] this crate reads and
/// writes.
pub const FORMAT_VERSION: u32 = 1;

/// A question's id, e.g. `"organisation"`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QuestionId(String);

impl QuestionId {
    /// Wraps a string as a question id.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for QuestionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for QuestionId {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl From<String> for QuestionId {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl std::borrow::Borrow<str> for QuestionId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// How finely shares are rounded: a number of decimals of a percentage.
///
/// `Precision::WHOLE` rounds to units of 1 % ("94 %"), `Precision::TENTH`
/// to units of 0.1 % ("94.4 %"). At most [`Precision::MAX_DECIMALS`].
/// Serialised as the number of decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Precision(u8);

impl Precision {
    /// Units of 1 %.
    pub const WHOLE: Precision = Precision(0);
    /// Units of 0.1 %.
    pub const TENTH: Precision = Precision(1);
    /// Units of 0.01 %.
    pub const HUNDREDTH: Precision = Precision(2);
    /// The largest number of decimals accepted.
    pub const MAX_DECIMALS: u8 = 6;

    /// A precision of `decimals` decimals, or `None` above
    /// [`Precision::MAX_DECIMALS`].
    pub fn new(decimals: u8) -> Option<Self> {
        (decimals <= Self::MAX_DECIMALS).then_some(Precision(decimals))
    }

    /// The number of decimals.
    pub fn decimals(self) -> u8 {
        self.0
    }

    /// Units in one percent: `10^decimals`.
    pub fn units_per_percent(self) -> u64 {
        10u64.pow(u32::from(self.0))
    }

    /// Units in 100 %: `100 · 10^decimals`, what the rounded shares of a
    /// partition add up to.
    pub fn whole(self) -> u64 {
        100 * self.units_per_percent()
    }
}

impl TryFrom<u8> for Precision {
    type Error = SurveyProblem;

    fn try_from(decimals: u8) -> Result<Self, SurveyProblem> {
        Precision::new(decimals).ok_or(SurveyProblem::PrecisionOutOfRange(decimals))
    }
}

impl From<Precision> for u8 {
    fn from(p: Precision) -> u8 {
        p.0
    }
}

/// What kind of answer a question expects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum QuestionKind {
    /// A Likert scale. Answers are 1-based positions in `labels`.
    Likert {
        /// The categories, **most favourable first** ("Très satisfait",
        /// "Satisfait", …, "Pas satisfait").
        labels: Vec<String>,
        /// How many top categories count as "satisfied": answers at
        /// positions `1..=satisfied_top`. Between 1 and the number of labels.
        satisfied_top: u32,
    },
    /// A yes/no question ("would you take part again?").
    YesNo,
    /// Free text, such as an astonishment report (*rapport d'étonnement*).
    FreeText,
}

/// One question of the survey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Question {
    /// Unique id.
    pub id: QuestionId,
    /// The wording shown to participants.
    pub text: String,
    /// The kind of answer expected.
    pub kind: QuestionKind,
}

impl Question {
    /// A Likert question; `labels` most favourable first, the top
    /// `satisfied_top` of them counting as "satisfied".
    pub fn likert<L: Into<String>>(
        id: impl Into<QuestionId>,
        text: impl Into<String>,
        labels: impl IntoIterator<Item = L>,
        satisfied_top: u32,
    ) -> Self {
        Question {
            id: id.into(),
            text: text.into(),
            kind: QuestionKind::Likert {
                labels: labels.into_iter().map(Into::into).collect(),
                satisfied_top,
            },
        }
    }

    /// A yes/no question.
    pub fn yes_no(id: impl Into<QuestionId>, text: impl Into<String>) -> Self {
        Question {
            id: id.into(),
            text: text.into(),
            kind: QuestionKind::YesNo,
        }
    }

    /// A free-text question.
    pub fn free_text(id: impl Into<QuestionId>, text: impl Into<String>) -> Self {
        Question {
            id: id.into(),
            text: text.into(),
            kind: QuestionKind::FreeText,
        }
    }
}

/// An invitation to answer: one agent in one role.
///
/// An agent who both visited and hosted may be invited twice, once per
/// role, and then answers (or not) once per role.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Participant {
    /// The agent.
    pub agent: AgentId,
    /// The role the agent is asked about.
    pub role: Role,
    /// The agent's home service.
    pub service: ServiceId,
}

impl Participant {
    /// Invites `agent` of `service` to answer in `role`.
    pub fn new(agent: impl Into<AgentId>, role: Role, service: impl Into<ServiceId>) -> Self {
        Participant {
            agent: agent.into(),
            role,
            service: service.into(),
        }
    }
}

/// The questionnaire: its questions and the invited participants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Survey {
    /// A title, e.g. the edition's name.
    #[serde(default)]
    pub title: String,
    /// The questions, in the order asked.
    pub questions: Vec<Question>,
    /// The invited participants.
    pub participants: Vec<Participant>,
}

impl Survey {
    /// An empty survey.
    pub fn new(title: impl Into<String>) -> Self {
        Survey {
            title: title.into(),
            questions: Vec::new(),
            participants: Vec::new(),
        }
    }

    /// Adds a question.
    #[must_use]
    pub fn question(mut self, q: Question) -> Self {
        self.questions.push(q);
        self
    }

    /// Invites a participant.
    #[must_use]
    pub fn participant(mut self, p: Participant) -> Self {
        self.participants.push(p);
        self
    }
}

/// The value of one answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AnswerValue {
    /// A 1-based position on a Likert scale (1 = the first, most favourable
    /// label).
    Likert(u32),
    /// Yes (`true`) or no.
    YesNo(bool),
    /// Free text. Blank text counts as no answer.
    Text(String),
}

/// One answer to one question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Answer {
    /// The question answered.
    pub question: QuestionId,
    /// The answer.
    pub value: AnswerValue,
}

impl Answer {
    /// A Likert answer: 1-based position on the scale.
    pub fn likert(question: impl Into<QuestionId>, position: u32) -> Self {
        Answer {
            question: question.into(),
            value: AnswerValue::Likert(position),
        }
    }

    /// A yes/no answer.
    pub fn yes_no(question: impl Into<QuestionId>, yes: bool) -> Self {
        Answer {
            question: question.into(),
            value: AnswerValue::YesNo(yes),
        }
    }

    /// A free-text answer.
    pub fn text(question: impl Into<QuestionId>, text: impl Into<String>) -> Self {
        Answer {
            question: question.into(),
            value: AnswerValue::Text(text.into()),
        }
    }
}

/// One participant's questionnaire, in one role. Questions left out are
/// skipped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Response {
    /// Who answers.
    pub participant: AgentId,
    /// In which role.
    pub role: Role,
    /// The answers.
    #[serde(default)]
    pub answers: Vec<Answer>,
}

impl Response {
    /// A response without answers yet.
    pub fn new(participant: impl Into<AgentId>, role: Role) -> Self {
        Response {
            participant: participant.into(),
            role,
            answers: Vec::new(),
        }
    }

    /// Adds an answer.
    #[must_use]
    pub fn answer(mut self, a: Answer) -> Self {
        self.answers.push(a);
        self
    }
}

/// The JSON document: a survey and its responses, with a format version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SurveyDocument {
    /// [`FORMAT_VERSION`] when written by this crate.
    pub format_version: u32,
    /// The survey.
    pub survey: Survey,
    /// The responses received.
    #[serde(default)]
    pub responses: Vec<Response>,
}

impl SurveyDocument {
    /// A document of the current format version.
    pub fn new(survey: Survey, responses: Vec<Response>) -> Self {
        SurveyDocument {
            format_version: FORMAT_VERSION,
            survey,
            responses,
        }
    }

    /// Checks the format version, then [`summarise`]s.
    ///
    /// # Errors
    ///
    /// Every problem [`summarise`] reports, plus
    /// [`SurveyProblem::UnsupportedFormatVersion`].
    pub fn summarise(&self, precision: Precision) -> Result<SurveySummary, SurveyError> {
        let mut problems = Vec::new();
        if self.format_version != FORMAT_VERSION {
            problems.push(SurveyProblem::UnsupportedFormatVersion(self.format_version));
        }
        match summarise(&self.survey, &self.responses, precision) {
            Ok(s) if problems.is_empty() => Ok(s),
            Ok(_) => Err(SurveyError::new(problems)),
            Err(e) => {
                problems.extend(e.problems);
                Err(SurveyError::new(problems))
            }
        }
    }
}

/// One problem in survey data, naming the ids involved.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum SurveyProblem {
    /// Two questions share an id.
    #[error("question `{0}` is listed more than once")]
    DuplicateQuestion(QuestionId),
    /// A Likert scale without labels, or whose `satisfied_top` is not
    /// between 1 and the number of labels.
    #[error("question `{question}` has {labels} label(s) and `satisfied_top` {satisfied_top}")]
    InvalidScale {
        /// The question.
        question: QuestionId,
        /// Its number of labels.
        labels: usize,
        /// Its `satisfied_top`.
        satisfied_top: u32,
    },
    /// The same agent is invited twice in the same role.
    #[error("participant `{participant}` is invited more than once as {role:?}")]
    DuplicateParticipant {
        /// The agent.
        participant: AgentId,
        /// The role.
        role: Role,
    },
    /// A response from an agent not invited in that role.
    #[error("participant `{participant}` answered as {role:?} but was not invited in that role")]
    NotInvited {
        /// The agent.
        participant: AgentId,
        /// The role answered in.
        role: Role,
    },
    /// A second response from the same participant in the same role.
    #[error("participant `{participant}` responded more than once as {role:?}")]
    DuplicateResponse {
        /// The agent.
        participant: AgentId,
        /// The role.
        role: Role,
    },
    /// An answer to a question the survey does not ask.
    #[error("participant `{participant}` answered unknown question `{question}`")]
    UnknownQuestion {
        /// The agent.
        participant: AgentId,
        /// The role answered in.
        role: Role,
        /// The unknown question id.
        question: QuestionId,
    },
    /// Two answers to the same question in one response.
    #[error("participant `{participant}` answered question `{question}` more than once")]
    DuplicateAnswer {
        /// The agent.
        participant: AgentId,
        /// The role answered in.
        role: Role,
        /// The question.
        question: QuestionId,
    },
    /// An answer of another kind than the question expects (a yes/no answer
    /// to a Likert question, …).
    #[error(
        "participant `{participant}` gave an answer of the wrong kind to question `{question}`"
    )]
    WrongAnswerKind {
        /// The agent.
        participant: AgentId,
        /// The role answered in.
        role: Role,
        /// The question.
        question: QuestionId,
    },
    /// A Likert position outside `1..=labels`.
    #[error(
        "participant `{participant}` answered {value} to question `{question}`, whose scale runs 1..={labels}"
    )]
    LikertOutOfRange {
        /// The agent.
        participant: AgentId,
        /// The role answered in.
        role: Role,
        /// The question.
        question: QuestionId,
        /// The position given.
        value: u32,
        /// The scale's number of labels.
        labels: usize,
    },
    /// A [`Precision`] with more than [`Precision::MAX_DECIMALS`] decimals.
    #[error("precision of {0} decimals exceeds the maximum of 6")]
    PrecisionOutOfRange(u8),
    /// A [`SurveyDocument`] of a format version this crate does not read.
    #[error("survey format version {0} is not supported (expected 1)")]
    UnsupportedFormatVersion(u32),
    /// Indicator counts that contradict each other (more placed than asked…).
    #[error("`{what}` ({count}) exceeds `{of}` ({total})")]
    CountExceeds {
        /// The count that is too large.
        what: &'static str,
        /// Its value.
        count: u64,
        /// The count it may not exceed.
        of: &'static str,
        /// That count's value.
        total: u64,
    },
}

impl SurveyProblem {
    /// A stable machine code, e.g. `"not_invited"`.
    pub fn code(&self) -> &'static str {
        match self {
            SurveyProblem::DuplicateQuestion(_) => "duplicate_question",
            SurveyProblem::InvalidScale { .. } => "invalid_scale",
            SurveyProblem::DuplicateParticipant { .. } => "duplicate_participant",
            SurveyProblem::NotInvited { .. } => "not_invited",
            SurveyProblem::DuplicateResponse { .. } => "duplicate_response",
            SurveyProblem::UnknownQuestion { .. } => "unknown_question",
            SurveyProblem::DuplicateAnswer { .. } => "duplicate_answer",
            SurveyProblem::WrongAnswerKind { .. } => "wrong_answer_kind",
            SurveyProblem::LikertOutOfRange { .. } => "likert_out_of_range",
            SurveyProblem::PrecisionOutOfRange(_) => "precision_out_of_range",
            SurveyProblem::UnsupportedFormatVersion(_) => "unsupported_format_version",
            SurveyProblem::CountExceeds { .. } => "count_exceeds",
        }
    }

    /// The participant involved, if any.
    pub fn participant(&self) -> Option<&AgentId> {
        match self {
            SurveyProblem::DuplicateParticipant { participant, .. }
            | SurveyProblem::NotInvited { participant, .. }
            | SurveyProblem::DuplicateResponse { participant, .. }
            | SurveyProblem::UnknownQuestion { participant, .. }
            | SurveyProblem::DuplicateAnswer { participant, .. }
            | SurveyProblem::WrongAnswerKind { participant, .. }
            | SurveyProblem::LikertOutOfRange { participant, .. } => Some(participant),
            _ => None,
        }
    }

    /// The question involved, if any.
    pub fn question(&self) -> Option<&QuestionId> {
        match self {
            SurveyProblem::DuplicateQuestion(question)
            | SurveyProblem::InvalidScale { question, .. }
            | SurveyProblem::UnknownQuestion { question, .. }
            | SurveyProblem::DuplicateAnswer { question, .. }
            | SurveyProblem::WrongAnswerKind { question, .. }
            | SurveyProblem::LikertOutOfRange { question, .. } => Some(question),
            _ => None,
        }
    }
}

/// Every problem found in survey data, sorted and without repeats.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the survey data has {} problem(s): {}", problems.len(), list(problems))]
pub struct SurveyError {
    problems: Vec<SurveyProblem>,
}

fn list(problems: &[SurveyProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl SurveyError {
    fn new(mut problems: Vec<SurveyProblem>) -> Self {
        problems.sort();
        problems.dedup();
        SurveyError { problems }
    }

    /// The problems, sorted.
    pub fn problems(&self) -> &[SurveyProblem] {
        &self.problems
    }

    /// Every participant named by a problem, sorted, once each.
    pub fn participants(&self) -> Vec<&AgentId> {
        let set: BTreeSet<_> = self
            .problems
            .iter()
            .filter_map(SurveyProblem::participant)
            .collect();
        set.into_iter().collect()
    }

    /// Every question named by a problem, sorted, once each.
    pub fn questions(&self) -> Vec<&QuestionId> {
        let set: BTreeSet<_> = self
            .problems
            .iter()
            .filter_map(SurveyProblem::question)
            .collect();
        set.into_iter().collect()
    }
}

/// A count out of a total, with its exact value and its rounded value.
///
/// The exact share is `count / total`; the rounded share is
/// [`units`](Share::units) in units of the [`Precision`] (with
/// `Precision::TENTH`, `944` means 94.4 %). `Display` prints the rounded
/// value, e.g. `94.4 %` or `94 %`, and `n/a` when the total is zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Share {
    /// The count.
    pub count: u64,
    /// The total it is a share of.
    pub total: u64,
    /// The rounded share in units of the precision; 0 when `total` is 0.
    pub units: u64,
    /// The precision of `units`.
    pub precision: Precision,
}

impl Share {
    /// The exact share as a fraction in `[0, 1]` (`count / total`), `None`
    /// when the total is zero.
    pub fn fraction(&self) -> Option<f64> {
        (self.total > 0).then(|| self.count as f64 / self.total as f64)
    }

    /// The exact share in percent, `None` when the total is zero.
    pub fn exact_percent(&self) -> Option<f64> {
        self.fraction().map(|f| f * 100.0)
    }

    /// The rounded share in percent (`units / 10^decimals`), `None` when the
    /// total is zero.
    pub fn rounded_percent(&self) -> Option<f64> {
        (self.total > 0).then(|| self.units as f64 / self.precision.units_per_percent() as f64)
    }

    /// The rounded share with `separator` as decimal mark, e.g.
    /// `share.format(',')` gives `94,4 %`.
    pub fn format(&self, separator: char) -> String {
        if self.total == 0 {
            return "n/a".to_owned();
        }
        let per = self.precision.units_per_percent();
        let whole = self.units / per;
        let frac = self.units % per;
        let width = usize::from(self.precision.decimals());
        if width == 0 {
            format!("{whole} %")
        } else {
            format!("{whole}{separator}{frac:0width$} %")
        }
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format('.'))
    }
}

/// Rounds the shares of a partition by the largest remainder method.
///
/// `counts` are the parts of one whole (the answers to one question, by
/// category). Each part's exact share is `count · W / total`, where `W` is
/// [`Precision::whole`] (100 % in units of the precision). Every part first
/// gets the floor of its exact share; the units still missing to reach `W`
/// go one each to the parts with the **largest remainders**. Ties between
/// equal remainders go to the **larger count**, then to the part listed
/// **first** in `counts` (for a Likert scale, the more favourable label).
/// All arithmetic is on integers, so the result is exact and the same on
/// every platform.
///
/// When the total is positive, the rounded shares add up to exactly `W`,
/// and each is the floor or the ceiling of its exact share (a part whose
/// share is exact, such as a zero count, is never moved). When the total is
/// zero, every share is 0.
///
/// ```
/// use jobswap::survey::{Precision, round_shares};
/// // 13, 4 and 1 of 18: 72.2 %, 22.2 %, 5.6 % → 72 + 22 + 6 = 100.
/// let shares = round_shares(&[13, 4, 1], Precision::WHOLE);
/// assert_eq!(shares.iter().map(|s| s.units).collect::<Vec<_>>(), [72, 22, 6]);
/// // Three equal thirds: the first part gets the extra unit.
/// let thirds = round_shares(&[1, 1, 1], Precision::WHOLE);
/// assert_eq!(thirds.iter().map(|s| s.units).collect::<Vec<_>>(), [34, 33, 33]);
/// ```
#[must_use]
pub fn round_shares(counts: &[u32], precision: Precision) -> Vec<Share> {
    let counts: Vec<u64> = counts.iter().map(|&c| u64::from(c)).collect();
    round_u64(&counts, precision)
}

fn round_u64(counts: &[u64], precision: Precision) -> Vec<Share> {
    let mut shares: Vec<Share> = counts
        .iter()
        .map(|&count| Share {
            count,
            total: 0,
            units: 0,
            precision,
        })
        .collect();
    round_in_place(&mut shares);
    shares
}

/// The largest remainder method on `shares`, whose `count` and `precision`
/// are set: fills in `total` and `units`.
fn round_in_place(shares: &mut [Share]) {
    let total: u64 = shares.iter().map(|s| s.count).sum();
    for s in shares.iter_mut() {
        s.total = total;
        s.units = 0;
    }
    let Some(precision) = shares.first().map(|s| s.precision) else {
        return;
    };
    if total == 0 {
        return;
    }
    // u128: count ≤ 2^64 and whole ≤ 10^8 < 2^27, so the product fits.
    let whole = u128::from(precision.whole());
    let t = u128::from(total);
    let mut remainders = Vec::with_capacity(shares.len());
    let mut given: u128 = 0;
    for (i, share) in shares.iter_mut().enumerate() {
        let scaled = u128::from(share.count) * whole;
        let floor = scaled / t;
        given += floor;
        // floor ≤ whole ≤ 10^8: fits in u64.
        share.units = floor as u64;
        remainders.push((scaled % t, share.count, i));
    }
    // Σ remainders = (whole − given) · total and each remainder < total, so
    // fewer units are left than there are parts with a non-zero remainder:
    // no part gets more than its ceiling, no exact part is moved.
    let left = usize::try_from(whole.saturating_sub(given)).unwrap_or(usize::MAX);
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    for &(_, _, i) in remainders.iter().take(left) {
        if let Some(s) = shares.get_mut(i) {
            s.units += 1;
        }
    }
}

/// Rounds a fixed number of parts together.
fn round_array<const N: usize>(counts: [u64; N], precision: Precision) -> [Share; N] {
    let mut shares = counts.map(|count| Share {
        count,
        total: 0,
        units: 0,
        precision,
    });
    round_in_place(&mut shares);
    shares
}

/// `count` of `total` rounded as the partition `{count, total − count}`.
fn part_of(count: u64, total: u64, precision: Precision) -> Share {
    debug_assert!(count <= total, "callers check count ≤ total");
    let [share, _] = round_array([count, total.saturating_sub(count)], precision);
    share
}

/// One category of a Likert scale with its share.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Category {
    /// The label.
    pub label: String,
    /// Answers in this category out of all answers to the question.
    pub share: Share,
}

/// An astonishment report (*rapport d'étonnement*) or any free-text answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TextReport {
    /// Who wrote it.
    pub participant: AgentId,
    /// In which role.
    pub role: Role,
    /// The writer's home service.
    pub service: ServiceId,
    /// The text, trimmed.
    pub text: String,
}

/// The answers to one question within one group of respondents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Tally {
    /// A Likert scale.
    Likert {
        /// Every category in scale order, shares rounded together.
        categories: Vec<Category>,
        /// Answers in the top `satisfied_top` categories, rounded on its own.
        satisfied: Share,
    },
    /// A yes/no question; `yes` and `no` rounded together.
    YesNo {
        /// Yes answers.
        yes: Share,
        /// No answers.
        no: Share,
    },
    /// Free text, sorted by participant then role.
    FreeText {
        /// The non-blank answers.
        reports: Vec<TextReport>,
    },
}

/// One question's answers within a group of respondents (everyone, or one
/// role).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Breakdown {
    /// The role of the group, `None` for every respondent.
    pub role: Option<Role>,
    /// Responses in the group.
    pub respondents: u32,
    /// Of those, the responses that answer this question; the shares are
    /// out of this number.
    pub answered: u32,
    /// The answers.
    pub tally: Tally,
}

impl Breakdown {
    /// Responses in the group that skipped the question.
    pub fn skipped(&self) -> u32 {
        self.respondents - self.answered
    }

    /// The "satisfied" share of a Likert question.
    pub fn satisfied(&self) -> Option<&Share> {
        match &self.tally {
            Tally::Likert { satisfied, .. } => Some(satisfied),
            _ => None,
        }
    }

    /// The "yes" share of a yes/no question.
    pub fn yes(&self) -> Option<&Share> {
        match &self.tally {
            Tally::YesNo { yes, .. } => Some(yes),
            _ => None,
        }
    }

    /// The share of the Likert category labelled `label`.
    pub fn category(&self, label: &str) -> Option<&Share> {
        match &self.tally {
            Tally::Likert { categories, .. } => categories
                .iter()
                .find(|c| c.label == label)
                .map(|c| &c.share),
            _ => None,
        }
    }

    /// The free-text reports.
    pub fn reports(&self) -> &[TextReport] {
        match &self.tally {
            Tally::FreeText { reports } => reports,
            _ => &[],
        }
    }
}

/// One question's results, overall and by role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct QuestionSummary {
    /// The question's id.
    pub id: QuestionId,
    /// Its wording.
    pub text: String,
    /// Every respondent.
    pub overall: Breakdown,
    /// One breakdown per role with at least one invited participant, in
    /// role order (visitors, then hosts).
    pub by_role: Vec<Breakdown>,
}

impl QuestionSummary {
    /// The breakdown of one role.
    pub fn role(&self, role: Role) -> Option<&Breakdown> {
        self.by_role.iter().find(|b| b.role == Some(role))
    }
}

/// The response rate of one role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RoleRate {
    /// The role.
    pub role: Role,
    /// Responses out of invitations in this role.
    pub rate: Share,
}

/// The response rate of one service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ServiceRate {
    /// The service.
    pub service: ServiceId,
    /// Responses out of invitations of its agents.
    pub rate: Share,
}

/// The aggregated survey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SurveySummary {
    /// The survey's title.
    pub title: String,
    /// The precision of every rounded share.
    pub precision: Precision,
    /// Responses out of invitations (one invitation per agent and role).
    pub response_rate: Share,
    /// Distinct agents invited.
    pub agents_invited: u32,
    /// Distinct agents who sent at least one response.
    pub agents_responded: u32,
    /// Response rate per role, in role order.
    pub by_role: Vec<RoleRate>,
    /// Response rate per service, sorted by service id.
    pub by_service: Vec<ServiceRate>,
    /// The questions, in the survey's order.
    pub questions: Vec<QuestionSummary>,
}

impl SurveySummary {
    /// The results of question `id`.
    pub fn question(&self, id: &str) -> Option<&QuestionSummary> {
        self.questions.iter().find(|q| q.id.as_str() == id)
    }

    /// The response rate of one role.
    pub fn role_rate(&self, role: Role) -> Option<&Share> {
        self.by_role
            .iter()
            .find(|r| r.role == role)
            .map(|r| &r.rate)
    }

    /// The response rate of one service.
    pub fn service_rate(&self, service: &str) -> Option<&Share> {
        self.by_service
            .iter()
            .find(|r| r.service.as_str() == service)
            .map(|r| &r.rate)
    }

    /// Free-text reports collected, over every free-text question.
    pub fn reports_collected(&self) -> u32 {
        self.questions
            .iter()
            .map(|q| q.overall.reports().len() as u32)
            .sum()
    }
}

/// Checks `responses` against `survey` and aggregates them.
///
/// Responses are counted per invitation (agent and role): the response
/// rate is responses out of invitations, overall, by role and by the
/// participant's home service. Each question is tallied over the responses
/// that answer it, overall and by role; Likert categories and yes/no are
/// rounded together by [`round_shares`] at `precision`; "satisfied" and
/// the response rates are each rounded as a two-part partition with their
/// complement. The result does not depend on the order of `responses` or of
/// `survey.participants`.
///
/// ```
/// use jobswap::Role;
/// use jobswap::survey::{Answer, Participant, Precision, Question, Response, Survey, summarise};
///
/// let survey = Survey::new("Vis mon job")
///     .question(Question::likert("taken-part", "Satisfait d'avoir participé ?",
///         ["Très satisfait", "Satisfait", "Pas satisfait"], 2))
///     .participant(Participant::new("a", Role::Visitor, "ccas"))
///     .participant(Participant::new("b", Role::Host, "etat-civil"));
/// let responses = [
///     Response::new("a", Role::Visitor).answer(Answer::likert("taken-part", 1)),
///     Response::new("b", Role::Host).answer(Answer::likert("taken-part", 2)),
/// ];
/// let summary = summarise(&survey, &responses, Precision::TENTH)?;
/// assert_eq!(summary.response_rate.to_string(), "100.0 %");
/// let q = summary.question("taken-part").unwrap();
/// assert_eq!(q.overall.category("Très satisfait").unwrap().to_string(), "50.0 %");
/// assert_eq!(q.overall.satisfied().unwrap().to_string(), "100.0 %");
/// assert_eq!(q.role(Role::Host).unwrap().category("Satisfait").unwrap().units, 1000);
///
/// // Bad data names every offending id at once.
/// let bad = [
///     Response::new("z", Role::Visitor),
///     Response::new("a", Role::Visitor).answer(Answer::likert("taken-part", 4)),
/// ];
/// let err = summarise(&survey, &bad, Precision::TENTH).unwrap_err();
/// let named: Vec<&str> = err.participants().iter().map(|a| a.as_str()).collect();
/// assert_eq!(named, ["a", "z"]);
/// # Ok::<(), jobswap::survey::SurveyError>(())
/// ```
///
/// # Errors
///
/// A [`SurveyError`] listing every problem: duplicate question ids, invalid
/// Likert scales, participants invited twice in a role, responses from
/// participants not invited in that role, duplicate responses, answers to
/// unknown questions, duplicate answers, answers of the wrong kind, Likert
/// positions out of range.
pub fn summarise(
    survey: &Survey,
    responses: &[Response],
    precision: Precision,
) -> Result<SurveySummary, SurveyError> {
    let mut problems = Vec::new();

    let mut questions: BTreeMap<&QuestionId, &Question> = BTreeMap::new();
    for q in &survey.questions {
        if questions.insert(&q.id, q).is_some() {
            problems.push(SurveyProblem::DuplicateQuestion(q.id.clone()));
        }
        if let QuestionKind::Likert {
            labels,
            satisfied_top,
        } = &q.kind
        {
            if labels.is_empty() || *satisfied_top == 0 || *satisfied_top as usize > labels.len() {
                problems.push(SurveyProblem::InvalidScale {
                    question: q.id.clone(),
                    labels: labels.len(),
                    satisfied_top: *satisfied_top,
                });
            }
        }
    }

    let mut invited: BTreeMap<(&AgentId, Role), &Participant> = BTreeMap::new();
    for p in &survey.participants {
        if invited.insert((&p.agent, p.role), p).is_some() {
            problems.push(SurveyProblem::DuplicateParticipant {
                participant: p.agent.clone(),
                role: p.role,
            });
        }
    }

    // Responses keyed by invitation: sorted, so no input order reaches the
    // output.
    let mut received: BTreeMap<(&AgentId, Role), &Response> = BTreeMap::new();
    for r in responses {
        let key = (&r.participant, r.role);
        if !invited.contains_key(&key) {
            problems.push(SurveyProblem::NotInvited {
                participant: r.participant.clone(),
                role: r.role,
            });
        }
        if received.insert(key, r).is_some() {
            problems.push(SurveyProblem::DuplicateResponse {
                participant: r.participant.clone(),
                role: r.role,
            });
        }
        check_answers(r, &questions, &mut problems);
    }
    if !problems.is_empty() {
        return Err(SurveyError::new(problems));
    }

    let roles: BTreeSet<Role> = invited.keys().map(|&(_, role)| role).collect();
    let count = |role: Option<Role>, service: Option<&ServiceId>| {
        let matches = |p: &Participant| {
            role.is_none_or(|r| p.role == r) && service.is_none_or(|s| &p.service == s)
        };
        let inv = invited.values().filter(|p| matches(p)).count() as u64;
        let resp = received
            .keys()
            .filter(|k| invited.get(*k).is_some_and(|p| matches(p)))
            .count() as u64;
        part_of(resp, inv, precision)
    };
    let services: BTreeSet<&ServiceId> = invited.values().map(|p| &p.service).collect();

    let agents_invited = invited
        .keys()
        .map(|&(a, _)| a)
        .collect::<BTreeSet<_>>()
        .len() as u32;
    let agents_responded = received
        .keys()
        .map(|&(a, _)| a)
        .collect::<BTreeSet<_>>()
        .len() as u32;

    let question_summaries = survey
        .questions
        .iter()
        .map(|q| {
            let breakdown = |role: Option<Role>| {
                let group: Vec<(&Participant, &Response)> = received
                    .iter()
                    .filter(|((_, r), _)| role.is_none_or(|x| x == *r))
                    .filter_map(|(k, resp)| invited.get(k).map(|p| (*p, *resp)))
                    .collect();
                tally(q, &group, role, precision)
            };
            QuestionSummary {
                id: q.id.clone(),
                text: q.text.clone(),
                overall: breakdown(None),
                by_role: roles.iter().map(|&r| breakdown(Some(r))).collect(),
            }
        })
        .collect();

    Ok(SurveySummary {
        title: survey.title.clone(),
        precision,
        response_rate: count(None, None),
        agents_invited,
        agents_responded,
        by_role: roles
            .iter()
            .map(|&role| RoleRate {
                role,
                rate: count(Some(role), None),
            })
            .collect(),
        by_service: services
            .into_iter()
            .map(|s| ServiceRate {
                service: s.clone(),
                rate: count(None, Some(s)),
            })
            .collect(),
        questions: question_summaries,
    })
}

fn check_answers(
    r: &Response,
    questions: &BTreeMap<&QuestionId, &Question>,
    problems: &mut Vec<SurveyProblem>,
) {
    let mut answered = BTreeSet::new();
    for a in &r.answers {
        let participant = || r.participant.clone();
        let Some(q) = questions.get(&a.question) else {
            problems.push(SurveyProblem::UnknownQuestion {
                participant: participant(),
                role: r.role,
                question: a.question.clone(),
            });
            continue;
        };
        if !answered.insert(&a.question) {
            problems.push(SurveyProblem::DuplicateAnswer {
                participant: participant(),
                role: r.role,
                question: a.question.clone(),
            });
        }
        match (&q.kind, &a.value) {
            (QuestionKind::Likert { labels, .. }, AnswerValue::Likert(v)) => {
                if *v == 0 || *v as usize > labels.len() {
                    problems.push(SurveyProblem::LikertOutOfRange {
                        participant: participant(),
                        role: r.role,
                        question: a.question.clone(),
                        value: *v,
                        labels: labels.len(),
                    });
                }
            }
            (QuestionKind::YesNo, AnswerValue::YesNo(_))
            | (QuestionKind::FreeText, AnswerValue::Text(_)) => {}
            _ => problems.push(SurveyProblem::WrongAnswerKind {
                participant: participant(),
                role: r.role,
                question: a.question.clone(),
            }),
        }
    }
}

/// Tallies question `q` over `group` (responses already validated).
fn tally(
    q: &Question,
    group: &[(&Participant, &Response)],
    role: Option<Role>,
    precision: Precision,
) -> Breakdown {
    let answers = group.iter().filter_map(|(p, r)| {
        r.answers
            .iter()
            .find(|a| a.question == q.id)
            .map(|a| (*p, &a.value))
    });
    let mut answered = 0u32;
    let tally = match &q.kind {
        QuestionKind::Likert {
            labels,
            satisfied_top,
        } => {
            let mut counts = vec![0u32; labels.len()];
            for (_, v) in answers {
                if let AnswerValue::Likert(pos) = v {
                    // Validated: 1 ≤ pos ≤ labels.len().
                    if let Some(c) = (*pos as usize)
                        .checked_sub(1)
                        .and_then(|i| counts.get_mut(i))
                    {
                        *c += 1;
                        answered += 1;
                    }
                }
            }
            let top = (*satisfied_top as usize).min(counts.len());
            let satisfied: u32 = counts[..top].iter().sum();
            Tally::Likert {
                categories: labels
                    .iter()
                    .zip(round_shares(&counts, precision))
                    .map(|(label, share)| Category {
                        label: label.clone(),
                        share,
                    })
                    .collect(),
                satisfied: part_of(u64::from(satisfied), u64::from(answered), precision),
            }
        }
        QuestionKind::YesNo => {
            let (mut yes, mut no) = (0u32, 0u32);
            for (_, v) in answers {
                match v {
                    AnswerValue::YesNo(true) => yes += 1,
                    AnswerValue::YesNo(false) => no += 1,
                    _ => continue,
                }
                answered += 1;
            }
            let [yes, no] = round_array([u64::from(yes), u64::from(no)], precision);
            Tally::YesNo { yes, no }
        }
        QuestionKind::FreeText => {
            let mut reports = Vec::new();
            for (p, v) in answers {
                if let AnswerValue::Text(t) = v {
                    let text = t.trim();
                    if !text.is_empty() {
                        answered += 1;
                        reports.push(TextReport {
                            participant: p.agent.clone(),
                            role: p.role,
                            service: p.service.clone(),
                            text: text.to_owned(),
                        });
                    }
                }
            }
            Tally::FreeText { reports }
        }
    };
    Breakdown {
        role,
        respondents: group.len() as u32,
        answered,
        tally,
    }
}

/// The counts behind the [`Indicators`] a programme tracks, for callers who
/// do not have an [`Edition`] and [`Outcome`] at hand.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct IndicatorCounts {
    /// Agents who asked to discover a job (volunteer visitors).
    pub requests: u32,
    /// Wishes expressed (a visitor may rank several).
    pub wishes: u32,
    /// Requesters placed in at least one visit.
    pub placed: u32,
    /// `granted_by_rank[r - 1]`: requesters whose best granted wish has
    /// rank `r`.
    pub granted_by_rank: Vec<u32>,
    /// Distinct agents who visited or hosted.
    pub participants: u32,
    /// Agents volunteering to host.
    pub hosts_volunteered: u32,
    /// Distinct hosts who received at least one visitor.
    pub hosts_mobilised: u32,
    /// Astonishment reports collected.
    pub reports: u32,
}

impl IndicatorCounts {
    /// All counts zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the number of requests (volunteer visitors).
    #[must_use]
    pub fn requests(mut self, n: u32) -> Self {
        self.requests = n;
        self
    }

    /// Sets the number of wishes expressed.
    #[must_use]
    pub fn wishes(mut self, n: u32) -> Self {
        self.wishes = n;
        self
    }

    /// Sets the number of requesters placed.
    #[must_use]
    pub fn placed(mut self, n: u32) -> Self {
        self.placed = n;
        self
    }

    /// Sets the requesters granted a wish, by the rank of the best one.
    #[must_use]
    pub fn granted_by_rank(mut self, histogram: impl Into<Vec<u32>>) -> Self {
        self.granted_by_rank = histogram.into();
        self
    }

    /// Sets the number of participants.
    #[must_use]
    pub fn participants(mut self, n: u32) -> Self {
        self.participants = n;
        self
    }

    /// Sets the number of volunteer hosts.
    #[must_use]
    pub fn hosts_volunteered(mut self, n: u32) -> Self {
        self.hosts_volunteered = n;
        self
    }

    /// Sets the number of hosts who received a visitor.
    #[must_use]
    pub fn hosts_mobilised(mut self, n: u32) -> Self {
        self.hosts_mobilised = n;
        self
    }

    /// Sets the number of astonishment reports collected.
    #[must_use]
    pub fn reports(mut self, n: u32) -> Self {
        self.reports = n;
        self
    }
}

/// The indicators a programme like Tourcoing's *Montre-moi ton job* tracks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Indicators {
    /// The counts they derive from.
    pub counts: IndicatorCounts,
    /// Requesters placed, out of requests.
    pub placed: Share,
    /// Requesters granted one of their wishes, out of requests.
    pub granted: Share,
    /// `by_rank[r - 1]`: requesters whose best granted wish has rank `r`,
    /// out of those granted; rounded together.
    pub by_rank: Vec<Share>,
}

impl Indicators {
    /// Derives the shares from counts.
    ///
    /// ```
    /// use jobswap::survey::{IndicatorCounts, Indicators, Precision};
    /// let counts = IndicatorCounts::new().requests(50).wishes(120).placed(40)
    ///     .granted_by_rank([30, 8, 2]).participants(78).hosts_mobilised(38).reports(25);
    /// let ind = Indicators::from_counts(counts, Precision::WHOLE)?;
    /// assert_eq!(ind.granted.to_string(), "80 %");
    /// assert_eq!(ind.by_rank[0].to_string(), "75 %");
    /// # Ok::<(), jobswap::survey::SurveyError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`SurveyProblem::CountExceeds`] for each count larger than the count
    /// it is part of: `placed` > `requests`, or requesters granted a wish >
    /// `placed`.
    pub fn from_counts(counts: IndicatorCounts, precision: Precision) -> Result<Self, SurveyError> {
        let requests = u64::from(counts.requests);
        let placed = u64::from(counts.placed);
        let granted: u64 = counts.granted_by_rank.iter().map(|&c| u64::from(c)).sum();
        let mut problems = Vec::new();
        if placed > requests {
            problems.push(SurveyProblem::CountExceeds {
                what: "placed",
                count: placed,
                of: "requests",
                total: requests,
            });
        }
        if granted > placed {
            problems.push(SurveyProblem::CountExceeds {
                what: "granted_by_rank",
                count: granted,
                of: "placed",
                total: placed,
            });
        }
        if !problems.is_empty() {
            return Err(SurveyError::new(problems));
        }
        Ok(Self::derive(counts, precision))
    }

    /// Derives the indicators from an edition and its outcome, and counts
    /// the reports of a survey summary if given.
    ///
    /// Requests are the agents volunteering to visit, less those the
    /// participation cap kept out of this edition ([`Outcome::capped`], as
    /// in [`crate::outcome::Report::asked`]), plus any visitor of a pairing
    /// who did not volunteer (so that the shares stay within 100 %
    /// even for an outcome that [`crate::verify`] would reject); a
    /// requester is granted a wish when one of their pairings satisfies a
    /// wish, counted at the best rank satisfied. Participants are the
    /// distinct visitors and hosts of the pairings; hosts mobilised are the
    /// distinct hosts of the pairings; hosts volunteered are the agents
    /// volunteering to host.
    #[must_use]
    pub fn from_outcome(
        edition: &Edition,
        outcome: &Outcome,
        survey: Option<&SurveySummary>,
        precision: Precision,
    ) -> Self {
        let pairings = outcome.pairings();
        let capped: BTreeSet<&AgentId> = outcome
            .unplaced()
            .iter()
            .filter(|u| u.is_capped())
            .map(|u| &u.visitor)
            .collect();
        let mut requesters: BTreeSet<&AgentId> = edition
            .agents
            .iter()
            .filter(|a| a.visits && !capped.contains(&a.id))
            .map(|a| &a.id)
            .collect();
        requesters.extend(pairings.iter().map(|p| &p.visitor));
        let placed: BTreeSet<&AgentId> = pairings.iter().map(|p| &p.visitor).collect();
        let mut best: BTreeMap<&AgentId, u32> = BTreeMap::new();
        for p in pairings {
            if let Some(rank) = p.rank.filter(|&r| r > 0) {
                best.entry(&p.visitor)
                    .and_modify(|b| *b = (*b).min(rank))
                    .or_insert(rank);
            }
        }
        let max_rank = best.values().copied().max().unwrap_or(0) as usize;
        let mut granted_by_rank = vec![0u32; max_rank];
        for &rank in best.values() {
            if let Some(slot) = granted_by_rank.get_mut((rank - 1) as usize) {
                *slot += 1;
            }
        }
        let participants: BTreeSet<&AgentId> = pairings
            .iter()
            .flat_map(|p| [&p.visitor, &p.host])
            .collect();
        let hosts: BTreeSet<&AgentId> = pairings.iter().map(|p| &p.host).collect();
        let counts = IndicatorCounts {
            requests: requesters.len() as u32,
            wishes: edition.wishes.len() as u32,
            placed: placed.len() as u32,
            granted_by_rank,
            participants: participants.len() as u32,
            hosts_volunteered: edition.agents.iter().filter(|a| a.hosts).count() as u32,
            hosts_mobilised: hosts.len() as u32,
            reports: survey.map_or(0, SurveySummary::reports_collected),
        };
        // Consistent by construction: granted ⊆ placed ⊆ requesters.
        Self::derive(counts, precision)
    }

    fn derive(counts: IndicatorCounts, precision: Precision) -> Self {
        let requests = u64::from(counts.requests);
        let placed = u64::from(counts.placed);
        let granted: u64 = counts.granted_by_rank.iter().map(|&c| u64::from(c)).sum();
        Indicators {
            placed: part_of(placed, requests, precision),
            granted: part_of(granted, requests, precision),
            by_rank: round_shares(&counts.granted_by_rank, precision),
            counts,
        }
    }
}
