//! The outcome of a matching run: pairings, reasons for every visitor left
//! out, and a report.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{AgentId, Duration, Pairing, Seed, ServiceId, Slot, Strategy, Target};

/// Why a visitor was not placed. Each reason names the constraint that
/// stood in the way and is true of the final state of the plan.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
#[non_exhaustive]
pub enum UnplacedReason {
    /// The agent has already made as many visits over the editions as the
    /// policy's `max_participations` allows.
    ParticipationCapReached {
        /// Visits in the agent's history.
        participations: u32,
    },
    /// The visitor expressed no wish and no service other than their own
    /// offers any host slot.
    NothingOffered,
    /// No host of the wished target offers a host slot on a working day of
    /// the edition.
    NoHostSlot {
        /// The wish's target.
        target: Target,
    },
    /// The target's service requires the confidentiality agreement, which
    /// the visitor has not signed (and the policy refuses unsigned visitors).
    ConfidentialityMissing {
        /// The wish's target.
        target: Target,
    },
    /// The visitor visited this service in an earlier edition.
    AlreadyVisited {
        /// The wish's target.
        target: Target,
    },
    /// The target's hosts offer no slot of the duration asked for (a full
    /// day needs both halves of one date with one host).
    DurationNotOffered {
        /// The wish's target.
        target: Target,
        /// The duration asked for.
        duration: Duration,
    },
    /// The visitor is unavailable at every host slot of the target that
    /// offers the duration asked for.
    AvailabilityNeverMeets {
        /// The wish's target.
        target: Target,
    },
    /// At every host slot where the visitor is free, the host's capacity
    /// (or the service's cap on visitors received at once) is used up by
    /// other visitors.
    HostSlotsTaken {
        /// The wish's target.
        target: Target,
    },
    /// At every host slot of the target where the visitor is free, their
    /// own service already has its continuity cap of agents away.
    ContinuityCapSaturated {
        /// The wish's target.
        target: Target,
        /// The visitor's own service.
        own_service: ServiceId,
    },
    /// At every host slot of the target where the visitor is free, the
    /// visitor is busy hosting, or the host is away visiting.
    Overlap {
        /// The wish's target.
        target: Target,
    },
    /// Every host slot of the target where the visitor is free is blocked,
    /// by different capacities at different slots (host capacity, the
    /// continuity cap, overlaps), none of them on its own everywhere.
    SlotsBlocked {
        /// The wish's target.
        target: Target,
    },
    /// A slot of the target is still free for the visitor: the strategy
    /// stopped before reaching it (work limit) or chose another visitor
    /// whose placement it preferred.
    NotChosen {
        /// The wish's target.
        target: Target,
    },
}

/// A visitor left out, with every reason.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Unplaced {
    /// The visitor.
    pub visitor: AgentId,
    /// The reasons, at least one.
    pub reasons: Vec<UnplacedReason>,
    /// Proven: no plan places this visitor together with every visitor the
    /// outcome places — by the aggregate relaxation (no augmenting path
    /// through the visitor from the plan's flow), or by the outcome's
    /// bound when it equals the visitors placed. `false` claims nothing
    /// (the slots may still forbid it). Always `false` with several visits
    /// per agent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cannot_join: bool,
}

impl Unplaced {
    /// Whether the visitor was kept out by the policy's participation cap
    /// rather than left out by the matching.
    pub fn is_capped(&self) -> bool {
        self.reasons
            .iter()
            .any(|r| matches!(r, UnplacedReason::ParticipationCapReached { .. }))
    }
}

/// Load of one service at one slot against its caps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SlotLoad {
    /// The slot.
    pub slot: Slot,
    /// Own agents away visiting.
    pub away: u32,
    /// The continuity cap in force.
    pub continuity_cap: u32,
    /// Visitors received.
    pub received: u32,
    /// Capacity offered by the service's hosts.
    pub offered: u32,
}

/// Load of one service over the edition (slots where anything happens).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ServiceLoad {
    /// The service.
    pub service: ServiceId,
    /// Visits made by its agents.
    pub visits_made: u32,
    /// Visits received.
    pub visits_received: u32,
    /// The busiest slot's away count.
    pub max_away: u32,
    /// Per-slot load, only slots with an agent away or a visitor received.
    pub slots: Vec<SlotLoad>,
}

/// Figures for the organiser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Report {
    /// Volunteers to visit who could take part in this edition. Those kept
    /// out by the policy's participation cap (`max_participations`) are not
    /// counted: [`Outcome::capped`] counts them.
    pub asked: u32,
    /// Volunteers placed at least once.
    pub placed: u32,
    /// Visits made (placed, unless several visits per agent are allowed).
    pub visits: u32,
    /// `rank_histogram[r - 1]`: visits satisfying a wish of rank `r`.
    pub rank_histogram: Vec<u32>,
    /// Visits drawn without a wish.
    pub without_wish: u32,
    /// Sum of the ranks of the wishes satisfied.
    pub rank_sum: u64,
    /// Share of placed visitors who got their first choice, in per mille.
    pub first_choice_per_mille: u32,
    /// Visits that are half-day fallbacks for full-day wishes
    /// ([`Pairing::fallback`]); counted in the histogram with their
    /// wish's rank.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub fallbacks: u32,
    /// Per-service load.
    pub services: Vec<ServiceLoad>,
    /// Visitors asked and placed per priority class, class 0 first (see
    /// [`crate::Policy::tiers`]); empty when the edition has one class.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<ClassLoad>,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's signature
fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Visitors of one priority class: how many asked, how many were placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ClassLoad {
    /// Volunteers of the class who could take part.
    pub asked: u32,
    /// Those placed at least once.
    pub placed: u32,
}

/// An upper bound on what any plan could achieve, from a relaxation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Bound {
    /// No feasible plan places more visitors.
    pub placed: u32,
    /// No feasible plan has a larger `weight × placed − rank_sum`, where
    /// known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<u64>,
    /// `W` of the weighted objective: one more visitor placed is worth
    /// more than any change of rank sum.
    pub weight: u64,
    /// What the bound comes from.
    pub source: String,
}

impl Bound {
    /// The gap between the bound and `placed`, as a share of the bound
    /// (0 when the plan is proven optimal in visitors placed).
    pub fn gap(&self, placed: u32) -> f64 {
        if self.placed == 0 {
            0.0
        } else {
            f64::from(self.placed.saturating_sub(placed)) / f64::from(self.placed)
        }
    }
}

/// The result of a matching run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Outcome {
    /// The edition's name.
    pub edition: String,
    /// The strategy that produced it.
    pub strategy: Strategy,
    /// The seed used.
    pub seed: Seed,
    /// The crate version that produced it.
    pub crate_version: String,
    /// The draw procedure version ([`crate::rng::DRAW_PROCEDURE_VERSION`]).
    pub draw_version: u32,
    /// The pairings, sorted by visitor, then date.
    pub pairings: Vec<Pairing>,
    /// The visitors left out, sorted by id.
    pub unplaced: Vec<Unplaced>,
    /// The report.
    pub report: Report,
    /// An upper bound, where the strategy computes one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<Bound>,
}

impl Outcome {
    /// The pairings, sorted by visitor, then date.
    pub fn pairings(&self) -> &[Pairing] {
        &self.pairings
    }

    /// The visitors left out, with their reasons.
    pub fn unplaced(&self) -> &[Unplaced] {
        &self.unplaced
    }

    /// The first pairing of `visitor`, if placed.
    pub fn pairing_of(&self, visitor: &AgentId) -> Option<&Pairing> {
        let i = self.pairings.partition_point(|p| p.visitor < *visitor);
        self.pairings.get(i).filter(|p| p.visitor == *visitor)
    }

    /// The reasons `visitor` was left out (empty if placed or unknown).
    pub fn reasons_for(&self, visitor: &AgentId) -> &[UnplacedReason] {
        self.unplaced
            .binary_search_by(|u| u.visitor.cmp(visitor))
            .map_or(&[], |i| &self.unplaced[i].reasons)
    }

    /// Volunteers kept out by the policy's participation cap
    /// (`max_participations`): each is in [`Outcome::unplaced`] with
    /// [`UnplacedReason::ParticipationCapReached`] as reason, and none is
    /// counted in [`Report::asked`].
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use jobswap::{Agent, Edition, Participation, Policy, Role, Service, Strategy};
    ///
    /// let d = |day| NaiveDate::from_ymd_opt(2025, 3, day).unwrap();
    /// let veteran = Agent::new("x", "Xavier", "a").visits(true).participation(Participation {
    ///     edition: "2024".into(),
    ///     role: Role::Visitor,
    ///     visited: Some("b".into()),
    /// });
    /// let edition = Edition::new("2025", d(3), d(7))
    ///     .policy(Policy::new(Strategy::Draw).max_participations(1))
    ///     .service(Service::new("a", "Accueil"))
    ///     .service(Service::new("b", "Scolaire"))
    ///     .agent(veteran)
    ///     .agent(Agent::new("y", "Yvonne", "a").visits(true));
    /// let outcome = jobswap::Instance::new(edition)?.solve();
    /// assert_eq!((outcome.report().asked, outcome.capped()), (1, 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn capped(&self) -> u32 {
        self.unplaced.iter().filter(|u| u.is_capped()).count() as u32
    }

    /// The report.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The upper bound, where computed.
    pub fn bound(&self) -> Option<&Bound> {
        self.bound.as_ref()
    }

    /// The certified gap in visitors placed: `(bound − placed) / bound`,
    /// where a bound is computed (0 means proven optimal).
    pub fn gap(&self) -> Option<f64> {
        self.bound.as_ref().map(|b| b.gap(self.report.placed))
    }

    /// Pairings grouped by date, for a calendar view.
    pub fn by_date(&self) -> BTreeMap<chrono::NaiveDate, Vec<&Pairing>> {
        let mut m: BTreeMap<_, Vec<&Pairing>> = BTreeMap::new();
        for p in &self.pairings {
            m.entry(p.date).or_default().push(p);
        }
        for v in m.values_mut() {
            v.sort_by(|a, b| {
                (a.part, &a.service, &a.visitor).cmp(&(b.part, &b.service, &b.visitor))
            });
        }
        m
    }
}
