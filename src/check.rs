//! The public checker: re-checks any outcome against its edition,
//! independently of the solvers, and returns every violation.
//!
//! It shares no code with the strategies: it reads the edition's own lists
//! (by string id, through ordered maps) and recounts every constraint from
//! the pairings alone.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::{AgentId, Confidentiality, Duration, Edition, Outcome, ServiceId, Slot, Target};

/// One broken rule in an outcome.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, thiserror::Error,
)]
#[serde(rename_all = "snake_case", tag = "violation")]
#[non_exhaustive]
pub enum Violation {
    /// A pairing names an agent the edition does not have.
    #[error("pairing names unknown agent `{agent}`")]
    UnknownAgent {
        /// The id.
        agent: AgentId,
    },
    /// A pairing's service is not the host's service.
    #[error("pairing of `{visitor}` names service `{service}`, but host `{host}` is not in it")]
    WrongService {
        /// The visitor.
        visitor: AgentId,
        /// The host.
        host: AgentId,
        /// The service named.
        service: ServiceId,
    },
    /// Visitor and host are the same agent.
    #[error("agent `{agent}` hosts themselves")]
    SameAgent {
        /// The agent.
        agent: AgentId,
    },
    /// The visitor visits their own service.
    #[error("`{visitor}` visits their own service `{service}`")]
    OwnService {
        /// The visitor.
        visitor: AgentId,
        /// The service.
        service: ServiceId,
    },
    /// The visitor does not volunteer to visit.
    #[error("`{visitor}` does not volunteer to visit")]
    NotAVisitor {
        /// The visitor.
        visitor: AgentId,
    },
    /// The host does not volunteer to host.
    #[error("`{host}` does not volunteer to host")]
    NotAHost {
        /// The host.
        host: AgentId,
    },
    /// The visit is not on a working day of the edition.
    #[error("visit of `{visitor}` on {date} is not on a working day of the edition")]
    NotAWorkingDay {
        /// The visitor.
        visitor: AgentId,
        /// The date.
        date: chrono::NaiveDate,
    },
    /// More visitors than the host offers at a half-day (including none).
    #[error("host `{host}` receives {visitors} visitor(s) at {slot}, offering {capacity}")]
    HostOverCapacity {
        /// The host.
        host: AgentId,
        /// The half-day.
        slot: Slot,
        /// Visitors received.
        visitors: u32,
        /// Capacity offered.
        capacity: u32,
    },
    /// More visitors than the service receives at once.
    #[error("service `{service}` receives {visitors} visitor(s) at {slot}, at most {max}")]
    ServiceOverMaxVisitors {
        /// The service.
        service: ServiceId,
        /// The half-day.
        slot: Slot,
        /// Visitors received.
        visitors: u32,
        /// The cap.
        max: u32,
    },
    /// The visitor is unavailable at a half-day of the visit.
    #[error("`{visitor}` is unavailable at {slot}")]
    VisitorUnavailable {
        /// The visitor.
        visitor: AgentId,
        /// The half-day.
        slot: Slot,
    },
    /// An agent is in two places at once (two visits, or visiting while
    /// hosting).
    #[error("`{agent}` is in two places at {slot}")]
    Overlap {
        /// The agent.
        agent: AgentId,
        /// The half-day.
        slot: Slot,
    },
    /// More visits than the policy allows.
    #[error("`{visitor}` makes {visits} visits, at most {max} allowed")]
    TooManyVisits {
        /// The visitor.
        visitor: AgentId,
        /// Visits made.
        visits: u32,
        /// The policy's maximum.
        max: u32,
    },
    /// A service has more agents away than its continuity cap.
    #[error("service `{service}` has {away} agent(s) away at {slot}, cap {cap}")]
    ContinuityExceeded {
        /// The service.
        service: ServiceId,
        /// The half-day.
        slot: Slot,
        /// Agents away.
        away: u32,
        /// The cap.
        cap: u32,
    },
    /// The pairing's rank names no wish of the visitor for that host or
    /// service, or a visit without rank is given to a visitor with wishes.
    #[error("pairing of `{visitor}` does not match a wish (rank {rank:?})")]
    WishMismatch {
        /// The visitor.
        visitor: AgentId,
        /// The rank claimed.
        rank: Option<u32>,
    },
    /// The visit's duration differs from the wish's (or the default), and
    /// is not a half-day fallback for a full-day wish that the policy's
    /// `half_day_fallback` allows.
    #[error("pairing of `{visitor}` lasts a {got}, {wanted} asked for")]
    DurationMismatch {
        /// The visitor.
        visitor: AgentId,
        /// The duration of the visit.
        got: Duration,
        /// The duration asked for.
        wanted: Duration,
    },
    /// A pairing's `fallback` flag disagrees with its visit and wish: set on
    /// a visit that is not a half day serving a full-day wish, or missing
    /// on one that is (where the policy's `half_day_fallback` allows it).
    #[error(
        "pairing of `{visitor}` says fallback = {flagged}, which its visit and wish contradict"
    )]
    FallbackFlag {
        /// The visitor.
        visitor: AgentId,
        /// The flag the pairing carries.
        flagged: bool,
    },
    /// The service requires a confidentiality agreement the visitor has not
    /// signed, and the pairing does not list it as pending (or the policy
    /// refuses unsigned visitors).
    #[error("`{visitor}` visits `{service}` without the confidentiality agreement")]
    ConfidentialityMissing {
        /// The visitor.
        visitor: AgentId,
        /// The service.
        service: ServiceId,
    },
    /// The visitor visited this service in an earlier edition.
    #[error("`{visitor}` already visited `{service}` in an earlier edition")]
    RepeatVisit {
        /// The visitor.
        visitor: AgentId,
        /// The service.
        service: ServiceId,
    },
    /// A reciprocal link points to no other leg in which the partner visits
    /// this visitor's service and names them back.
    #[error("reciprocal leg of `{visitor}` with `{partner}` is missing")]
    MissingReciprocalLeg {
        /// The visitor.
        visitor: AgentId,
        /// The partner named.
        partner: AgentId,
    },
    /// The visitor's visits over the editions exceed the policy's cap.
    #[error("`{visitor}` would reach {visits} visits over the editions, at most {max} allowed")]
    ParticipationCapExceeded {
        /// The visitor.
        visitor: AgentId,
        /// Visits in the history plus in this outcome.
        visits: u32,
        /// The policy's `max_participations`.
        max: u32,
    },
    /// A visitor is both placed and listed as unplaced.
    #[error("`{visitor}` is both placed and unplaced")]
    PlacedAndUnplaced {
        /// The visitor.
        visitor: AgentId,
    },
}

/// Re-checks `outcome` against `edition` and returns every violation,
/// sorted (empty when the outcome respects every hard constraint).
///
/// # Examples
///
/// ```
/// use jobswap::{Edition, Instance, verify};
/// let d = chrono::NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
/// let instance = Instance::new(Edition::new("e", d, d))?;
/// assert!(verify(instance.edition(), &instance.solve()).is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify(edition: &Edition, outcome: &Outcome) -> Vec<Violation> {
    let calendar = Calendar::of(edition);
    let agents: BTreeMap<&str, &crate::Agent> =
        edition.agents.iter().map(|a| (a.id.as_str(), a)).collect();
    let services: BTreeMap<&str, &crate::Service> = edition
        .services
        .iter()
        .map(|s| (s.id.as_str(), s))
        .collect();
    let mut out = BTreeSet::new();
    let mut wishes_of: BTreeMap<&str, Vec<&crate::Wish>> = BTreeMap::new();
    for w in &edition.wishes {
        wishes_of.entry(w.visitor.as_str()).or_default().push(w);
    }
    // Reciprocal legs: (visitor, service visited, partner named).
    let legs: BTreeSet<(&str, &str, Option<&str>)> = outcome
        .pairings
        .iter()
        .map(|q| {
            (
                q.visitor.as_str(),
                q.service.as_str(),
                q.reciprocal.as_ref().map(AgentId::as_str),
            )
        })
        .collect();

    // Offered capacity per (host, slot).
    let mut offered: BTreeMap<(&str, Slot), u32> = BTreeMap::new();
    for hs in &edition.host_slots {
        for &half in hs.part.halves() {
            let e = offered
                .entry((hs.host.as_str(), Slot::new(hs.date, half)))
                .or_default();
            *e = e.saturating_add(hs.capacity);
        }
    }
    let unavailable = |a: &crate::Agent, slot: Slot| {
        a.unavailable_dates.contains(&slot.date) || a.unavailable_slots.contains(&slot)
    };

    let mut host_load: BTreeMap<(&str, Slot), u32> = BTreeMap::new();
    let mut service_received: BTreeMap<(&str, Slot), u32> = BTreeMap::new();
    let mut service_away: BTreeMap<(&str, Slot), u32> = BTreeMap::new();
    let mut presence: BTreeMap<(&str, Slot), (u32, bool)> = BTreeMap::new(); // (visits, hosting)
    let mut visits: BTreeMap<&str, u32> = BTreeMap::new();

    for p in &outcome.pairings {
        let (Some(visitor), Some(host)) =
            (agents.get(p.visitor.as_str()), agents.get(p.host.as_str()))
        else {
            for id in [&p.visitor, &p.host] {
                if !agents.contains_key(id.as_str()) {
                    out.insert(Violation::UnknownAgent { agent: id.clone() });
                }
            }
            continue;
        };
        if host.service != p.service {
            out.insert(Violation::WrongService {
                visitor: p.visitor.clone(),
                host: p.host.clone(),
                service: p.service.clone(),
            });
        }
        if p.visitor == p.host {
            out.insert(Violation::SameAgent {
                agent: p.visitor.clone(),
            });
        }
        if visitor.service == host.service {
            out.insert(Violation::OwnService {
                visitor: p.visitor.clone(),
                service: visitor.service.clone(),
            });
        }
        if !visitor.visits {
            out.insert(Violation::NotAVisitor {
                visitor: p.visitor.clone(),
            });
        }
        if !host.hosts {
            out.insert(Violation::NotAHost {
                host: p.host.clone(),
            });
        }
        if !calendar.is_working_day(p.date) {
            out.insert(Violation::NotAWorkingDay {
                visitor: p.visitor.clone(),
                date: p.date,
            });
        }
        *visits.entry(p.visitor.as_str()).or_default() += 1;
        for &half in p.part.halves() {
            let slot = Slot::new(p.date, half);
            *host_load.entry((p.host.as_str(), slot)).or_default() += 1;
            *service_received
                .entry((host.service.as_str(), slot))
                .or_default() += 1;
            *service_away
                .entry((visitor.service.as_str(), slot))
                .or_default() += 1;
            presence.entry((p.visitor.as_str(), slot)).or_default().0 += 1;
            presence.entry((p.host.as_str(), slot)).or_default().1 = true;
            if unavailable(visitor, slot) {
                out.insert(Violation::VisitorUnavailable {
                    visitor: p.visitor.clone(),
                    slot,
                });
            }
        }
        let wishes = wishes_of
            .get(p.visitor.as_str())
            .map_or(&[][..], Vec::as_slice);
        check_wish(edition, wishes, p, host, &mut out);
        if let Some(svc) = services.get(host.service.as_str()) {
            let refused = edition.policy.confidentiality == Confidentiality::Required;
            if svc.confidentiality_required
                && !visitor.confidentiality_signed
                && (refused || !p.agreement_pending)
            {
                out.insert(Violation::ConfidentialityMissing {
                    visitor: p.visitor.clone(),
                    service: host.service.clone(),
                });
            }
        }
        if visitor
            .history
            .iter()
            .any(|h| h.visited.as_ref() == Some(&host.service))
        {
            out.insert(Violation::RepeatVisit {
                visitor: p.visitor.clone(),
                service: host.service.clone(),
            });
        }
        if let Some(partner) = &p.reciprocal {
            // The partner visits this visitor's service and names them back.
            let back = legs.contains(&(
                partner.as_str(),
                visitor.service.as_str(),
                Some(p.visitor.as_str()),
            ));
            if !back {
                out.insert(Violation::MissingReciprocalLeg {
                    visitor: p.visitor.clone(),
                    partner: partner.clone(),
                });
            }
        }
    }

    for (&(host, slot), &n) in &host_load {
        let capacity = offered.get(&(host, slot)).copied().unwrap_or(0);
        let host_away = agents.get(host).is_some_and(|a| unavailable(a, slot));
        let capacity = if host_away { 0 } else { capacity };
        if n > capacity {
            out.insert(Violation::HostOverCapacity {
                host: AgentId::new(host),
                slot,
                visitors: n,
                capacity,
            });
        }
    }
    for (&(service, slot), &n) in &service_received {
        if let Some(max) = services.get(service).and_then(|s| s.max_visitors) {
            if n > max {
                out.insert(Violation::ServiceOverMaxVisitors {
                    service: ServiceId::new(service),
                    slot,
                    visitors: n,
                    max,
                });
            }
        }
    }
    for (&(service, slot), &away) in &service_away {
        let Some(s) = services.get(service) else {
            continue;
        };
        let cap = s
            .cap_overrides
            .iter()
            .rev()
            .find(|o| o.slot == slot)
            .map_or(s.continuity_cap, |o| o.cap);
        if away > cap {
            out.insert(Violation::ContinuityExceeded {
                service: ServiceId::new(service),
                slot,
                away,
                cap,
            });
        }
    }
    for (&(agent, slot), &(n, hosting)) in &presence {
        if n > 1 || (n == 1 && hosting) {
            out.insert(Violation::Overlap {
                agent: AgentId::new(agent),
                slot,
            });
        }
    }
    let max = edition.policy.max_visits_per_agent;
    for (&visitor, &n) in &visits {
        if n > max {
            out.insert(Violation::TooManyVisits {
                visitor: AgentId::new(visitor),
                visits: n,
                max,
            });
        }
    }
    if let Some(cap) = edition.policy.max_participations {
        for (&visitor, &n) in &visits {
            let before = agents.get(visitor).map_or(0, |a| {
                a.history.iter().filter(|h| h.visited.is_some()).count()
            });
            let total = u32::try_from(before).unwrap_or(u32::MAX).saturating_add(n);
            if total > cap {
                out.insert(Violation::ParticipationCapExceeded {
                    visitor: AgentId::new(visitor),
                    visits: total,
                    max: cap,
                });
            }
        }
    }
    for u in &outcome.unplaced {
        if visits.contains_key(u.visitor.as_str()) {
            out.insert(Violation::PlacedAndUnplaced {
                visitor: u.visitor.clone(),
            });
        }
    }
    out.into_iter().collect()
}

fn check_wish(
    edition: &Edition,
    wishes: &[&crate::Wish],
    p: &crate::Pairing,
    host: &crate::Agent,
    out: &mut BTreeSet<Violation>,
) {
    let wanted = match p.rank {
        None if wishes.is_empty() => Some(edition.policy.default_duration),
        None => None,
        Some(r) => wishes
            .iter()
            .find(|w| {
                w.rank == r
                    && match &w.target {
                        Target::Service(s) => *s == host.service,
                        Target::Host(h) => *h == host.id,
                    }
            })
            .map(|w| w.duration),
    };
    let got = p.part.duration();
    // A half day for a full-day wish, where the policy allows it.
    let fallback = p.rank.is_some()
        && wanted == Some(Duration::FullDay)
        && got == Duration::HalfDay
        && edition.policy.half_day_fallback;
    match wanted {
        None => {
            out.insert(Violation::WishMismatch {
                visitor: p.visitor.clone(),
                rank: p.rank,
            });
        }
        Some(wanted) if wanted != got && !fallback => {
            out.insert(Violation::DurationMismatch {
                visitor: p.visitor.clone(),
                got,
                wanted,
            });
        }
        Some(_) if p.fallback != fallback => {
            out.insert(Violation::FallbackFlag {
                visitor: p.visitor.clone(),
                flagged: p.fallback,
            });
        }
        Some(_) => {}
    }
}
