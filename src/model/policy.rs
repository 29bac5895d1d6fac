//! The matching policy: which strategy, which seed, which options.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Duration;

/// How visitors are matched to hosts and slots.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Strategy {
    /// A reproducible lottery (Vernon's *tirage au sort*): random serial
    /// dictatorship over the wishes, in an order drawn from the seed.
    #[default]
    Draw,
    /// Optimal assignment on ranked wishes (Tourcoing): the most visitors
    /// placed, then the least sum of wish ranks; exact where the problem is
    /// a plain assignment, otherwise a flow-guided plan with a certified
    /// upper bound and gap.
    Optimal,
    /// Stable assignment: visitor-proposing deferred acceptance with
    /// service capacities and priorities (no justified envy on the
    /// aggregate), then scheduled on slots.
    Stable,
    /// Reciprocal binômes: pairs of volunteers who each wish the other's
    /// service, the most pairs then the most satisfaction, both legs
    /// scheduled as [`Policy::legs`] says; with [`Policy::mixed`], the
    /// others are then placed one way (drawn, or by the optimal strategy:
    /// [`Policy::one_way`]).
    Reciprocal,
}

/// How the two legs of a reciprocal exchange are scheduled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Legs {
    /// The same day: one visits the other's service in the morning while
    /// the other stays to host, and the other way round in the afternoon
    /// (the *Vis mon travail* form). Full-day legs take two days.
    #[default]
    SameDay,
    /// The same half-day (a true swap of places): each visits the other's
    /// service at the same time, so both are away from their own service
    /// at once and each leg counts against its own service's continuity
    /// cap. Neither can host the other; each leg's host is another host of
    /// the visited service. Both legs last the same (two half-day legs on
    /// the same half-day, or two full-day legs on the same day): a pair
    /// whose wishes ask for different durations is not formed.
    Swap,
    /// Anywhere in the edition, at least this many working days apart.
    Anywhere {
        /// Minimum number of working days between the two legs.
        min_gap_days: u32,
    },
}

/// How the visitors left unpaired are placed in mixed mode
/// ([`Policy::mixed`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OneWay {
    /// By the seeded draw, around the pairs' legs.
    #[default]
    Draw,
    /// By the optimal strategy, on what the pairs' legs leave free (its
    /// bound is then a bound given the pairs).
    Optimal,
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Strategy::Draw => "draw",
            Strategy::Optimal => "optimal",
            Strategy::Stable => "stable",
            Strategy::Reciprocal => "reciprocal",
        })
    }
}

/// The seed of the draw.
///
/// In JSON it travels as a string of decimal digits, because JSON numbers
/// above 2^53 are not safe for JavaScript clients.
///
/// ```
/// let s: jobswap::Seed = serde_json::from_str("\"18446744073709551615\"")?;
/// assert_eq!(s.get(), u64::MAX);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Seed(pub u64);

impl Seed {
    /// The seed as an integer.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl From<u64> for Seed {
    fn from(v: u64) -> Self {
        Seed(v)
    }
}

impl fmt::Display for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for Seed {
    type Err = std::num::ParseIntError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(Seed)
    }
}

impl Serialize for Seed {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Seed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(serde::de::Error::custom(format!(
                "seed `{s}` is not a string of decimal digits"
            )));
        }
        s.parse().map(Seed).map_err(|_| {
            serde::de::Error::custom(format!("seed `{s}` is out of range (0 to 2^64 - 1)"))
        })
    }
}

/// What to do with a visitor who has not signed the confidentiality
/// agreement a service requires.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Confidentiality {
    /// The visitor cannot be placed there.
    #[default]
    Required,
    /// The visitor can be placed; the pairing lists the agreement still to
    /// collect before the visit.
    CollectBeforeVisit,
}

/// The knobs of a matching run.
///
/// ```
/// use jobswap::{Policy, Strategy};
/// let p = Policy::new(Strategy::Draw).seed(2024).max_visits_per_agent(1);
/// assert_eq!(p.seed.get(), 2024);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Policy {
    /// The strategy.
    #[serde(default)]
    pub strategy: Strategy,
    /// The seed: the draw order, and the tie-break among equal solutions.
    #[serde(default)]
    pub seed: Seed,
    /// Visits one agent may make in the edition (never overlapping). Default 1.
    #[serde(default = "one")]
    pub max_visits_per_agent: u32,
    /// The duration given to a volunteer who expressed no wish.
    #[serde(default)]
    pub default_duration: Duration,
    /// Unsigned confidentiality agreements: refuse or collect later.
    #[serde(default)]
    pub confidentiality: Confidentiality,
    /// The draw's second chance (step 6 of its procedure): visitors left
    /// out may be placed by moving one earlier visit to another date of the
    /// same wish. Default on; off gives plain serial dictatorship.
    #[serde(default = "yes")]
    pub second_chance: bool,
    /// The optimal strategy's work limit: improvement passes at most
    /// (each pass tries every visitor once). Default 8. Never a wall-clock
    /// limit, so results do not depend on the machine.
    #[serde(default = "eight")]
    pub work_limit: u32,
    /// The services' priority over visitors for the stable strategy, best
    /// first, within each priority class (see [`Policy::tiers`]); visitors
    /// not listed come after, drawn by the seed. Empty (the default): a
    /// seeded lottery.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub priority: Vec<crate::AgentId>,
    /// How reciprocal legs are scheduled.
    #[serde(default)]
    pub legs: Legs,
    /// Reciprocal strategy: after the pairs, place the other visitors one
    /// way (the Vosges case, where some exchanges had a return leg), as
    /// [`Policy::one_way`] says.
    #[serde(default)]
    pub mixed: bool,
    /// Mixed mode: how the visitors left unpaired are placed. Default: the
    /// draw.
    #[serde(default)]
    pub one_way: OneWay,
    /// At most this many visits over an agent's history: an agent whose
    /// history already holds that many visits does not visit this time.
    /// `None`: no cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_participations: Option<u32>,
    /// Priority classes of visitors, best first: every strategy serves a
    /// class before the next (the draw takes it first, the optimal strategy
    /// places as many of it as it can before counting the next class, the
    /// stable strategy ranks it first in the services' priority). Visitors
    /// not listed form one more class after those listed. Within each
    /// class, those who asked and were left out in the latest earlier
    /// edition come first. Empty (the default): one class, so only that
    /// history orders the visitors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<Vec<crate::AgentId>>,
    /// A full-day wish may be served by a half-day visit (morning or
    /// afternoon) with the same service or host when no full day can be
    /// had: the visit counts as placed, with the wish's rank, and its
    /// [`Pairing::fallback`](crate::Pairing::fallback) says so. A full day
    /// is always preferred: every strategy tries a wish's full day before
    /// its half day, and a last pass turns each half-day fallback into the
    /// full day wherever the other half (or another full day of the same
    /// wish) fits without moving anyone. Default off: a full-day wish
    /// needs a full day. Reciprocal pairs keep the durations asked for
    /// (their one-way complement in mixed mode may fall back).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub half_day_fallback: bool,
}

fn eight() -> u32 {
    8
}

fn yes() -> bool {
    true
}

fn one() -> u32 {
    1
}

impl Default for Policy {
    fn default() -> Self {
        Policy::new(Strategy::default())
    }
}

impl Policy {
    /// A policy with the given strategy, seed 0 and one visit per agent.
    pub fn new(strategy: Strategy) -> Self {
        Policy {
            strategy,
            seed: Seed(0),
            max_visits_per_agent: 1,
            default_duration: Duration::HalfDay,
            confidentiality: Confidentiality::Required,
            second_chance: true,
            work_limit: 8,
            priority: Vec::new(),
            legs: Legs::SameDay,
            mixed: false,
            one_way: OneWay::Draw,
            max_participations: None,
            tiers: Vec::new(),
            half_day_fallback: false,
        }
    }

    /// Sets the seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Seed(seed);
        self
    }

    /// Sets the strategy.
    #[must_use]
    pub fn strategy(mut self, strategy: Strategy) -> Self {
        self.strategy = strategy;
        self
    }

    /// Sets how many visits one agent may make.
    #[must_use]
    pub fn max_visits_per_agent(mut self, n: u32) -> Self {
        self.max_visits_per_agent = n;
        self
    }

    /// Sets the duration given to volunteers without wishes.
    #[must_use]
    pub fn default_duration(mut self, d: Duration) -> Self {
        self.default_duration = d;
        self
    }

    /// Turns the draw's second chance on or off.
    #[must_use]
    pub fn second_chance(mut self, on: bool) -> Self {
        self.second_chance = on;
        self
    }

    /// Sets the optimal strategy's work limit (improvement passes).
    #[must_use]
    pub fn work_limit(mut self, passes: u32) -> Self {
        self.work_limit = passes;
        self
    }

    /// Sets the stable strategy's priority order (best first).
    #[must_use]
    pub fn priority(mut self, order: impl IntoIterator<Item = crate::AgentId>) -> Self {
        self.priority = order.into_iter().collect();
        self
    }

    /// Sets how reciprocal legs are scheduled: [`Legs::SameDay`] (the
    /// default), [`Legs::Swap`] (the same half-day) or [`Legs::Anywhere`].
    ///
    /// ```
    /// use jobswap::{Legs, Policy, Strategy};
    /// let p = Policy::new(Strategy::Reciprocal).legs(Legs::Swap);
    /// assert_eq!(p.legs, Legs::Swap);
    /// assert_eq!(serde_json::to_value(&p)?["legs"], "swap");
    /// assert_eq!(serde_json::from_str::<Legs>(r#""swap""#)?, Legs::Swap);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn legs(mut self, legs: Legs) -> Self {
        self.legs = legs;
        self
    }

    /// Reciprocal strategy: draw the visitors left unpaired one way.
    #[must_use]
    pub fn mixed(mut self, on: bool) -> Self {
        self.mixed = on;
        self
    }

    /// Mixed mode: sets how the visitors left unpaired are placed.
    #[must_use]
    pub fn one_way(mut self, how: OneWay) -> Self {
        self.one_way = how;
        self
    }

    /// Caps the visits an agent may make over the editions.
    #[must_use]
    pub fn max_participations(mut self, cap: u32) -> Self {
        self.max_participations = Some(cap);
        self
    }

    /// Sets the priority classes of visitors, best first (see
    /// [`Policy::tiers`]).
    ///
    /// ```
    /// use jobswap::{AgentId, Policy, Strategy};
    /// let p = Policy::new(Strategy::Optimal).tiers([vec![AgentId::from("ana")], vec![AgentId::from("bob")]]);
    /// assert_eq!(p.tiers.len(), 2);
    /// ```
    #[must_use]
    pub fn tiers(mut self, tiers: impl IntoIterator<Item = Vec<crate::AgentId>>) -> Self {
        self.tiers = tiers.into_iter().collect();
        self
    }

    /// Lets a full-day wish fall back to a half day when no full day fits
    /// (see [`Policy::half_day_fallback`]).
    ///
    /// ```
    /// use jobswap::{Policy, Strategy};
    /// let p = Policy::new(Strategy::Optimal).half_day_fallback(true);
    /// assert!(p.half_day_fallback);
    /// assert_eq!(serde_json::to_value(&p)?["half_day_fallback"], true);
    /// // Off by default, and then absent from the JSON form.
    /// let off = serde_json::to_value(Policy::new(Strategy::Optimal))?;
    /// assert!(off.get("half_day_fallback").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn half_day_fallback(mut self, on: bool) -> Self {
        self.half_day_fallback = on;
        self
    }

    /// Sets the confidentiality policy.
    #[must_use]
    pub fn confidentiality(mut self, c: Confidentiality) -> Self {
        self.confidentiality = c;
        self
    }
}
