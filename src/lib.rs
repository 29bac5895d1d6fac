//! # jobswap
//!
//! Plans job-swap and job-shadowing programmes (*Vis mon job*, *Montre-moi
//! ton job*, *Vis mon travail*): employees spend a half-day or a full day in
//! a colleague's job in another service. The crate models the programme,
//! matches visitors to hosts and slots without ever letting a service lose
//! more staff at once than its continuity cap allows, explains why each
//! visitor left out was left out, and re-checks any outcome independently.
//!
//! ## The pipeline
//!
//! [`Edition`] (built in code or read with [`json::read_edition`]) →
//! [`Instance::new`] validates it, naming every problem at once, and builds
//! the dense index the solvers run on → [`Instance::solve`] runs the
//! policy's [`Strategy`] → [`Outcome`] (pairings, reasons for the unplaced,
//! report) → [`verify`] re-checks it against the edition.
//!
//! ```
//! use chrono::NaiveDate;
//! use jobswap::{Agent, Edition, HostSlot, Instance, Part, Policy, Service, Strategy, Wish};
//!
//! let d = |day| NaiveDate::from_ymd_opt(2025, 3, day).unwrap();
//! let edition = Edition::new("Vis mon job", d(3), d(7))
//!     .policy(Policy::new(Strategy::Draw).seed(2025))
//!     .service(Service::new("accueil", "Accueil de l'hôtel de ville"))
//!     .service(Service::new("scolaire", "Vie scolaire"))
//!     .agent(Agent::new("denise", "Denise", "accueil").visits(true))
//!     .agent(Agent::new("veronique", "Véronique", "scolaire").hosts(true))
//!     .wish(Wish::service("denise", "scolaire", 1))
//!     .host_slot(HostSlot::new("v-04", "veronique", d(4), Part::Morning));
//!
//! let instance = Instance::new(edition)?;
//! let outcome = instance.solve();
//! assert_eq!(outcome.pairings().len(), 1);
//! assert!(jobswap::verify(instance.edition(), &outcome).is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Determinism
//!
//! The same edition and seed give the same outcome on every platform,
//! whatever order the input lists things in: ids are sorted before anything
//! is drawn, and the draw follows the crate's own documented procedure
//! ([`rng`]) over ChaCha20, pinned by golden vectors in the tests.
//!
//! ## Hard constraints
//!
//! Every pairing respects the seven constraints of the design (own service,
//! volunteers, host slot and capacity, availability and no overlap,
//! continuity caps per service and half-day, durations, confidentiality,
//! history); [`verify`] checks each of them and returns every violation.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![doc(test(attr(deny(warnings))))]

pub mod calendar;
pub mod check;
pub mod comms;
pub mod core_format;
pub mod html;
pub mod ics;
pub mod id;
pub(crate) mod index;
mod instance;
pub mod json;
pub mod matcher;
mod model;
pub mod outcome;
pub mod rng;
pub mod survey;
pub mod validate;

pub use check::{Violation, verify};
pub use id::{AgentId, HostSlotId, ServiceId};
pub use instance::Instance;
pub use model::agent::{Agent, Participation, Role};
pub use model::edition::{Edition, Hours, PublicHolidays};
pub use model::host_slot::HostSlot;
pub use model::pairing::Pairing;
pub use model::policy::{Confidentiality, Legs, OneWay, Policy, Seed, Strategy};
pub use model::service::{CapOverride, Service};
pub use model::slot::{Duration, HalfDay, Part, Slot};
pub use model::wish::{Target, Wish};
pub use outcome::{Outcome, Report, UnplacedReason};
pub use validate::{Problem, ValidationError};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// Every public type is `Send + Sync` (checked at compile time).
#[cfg(test)]
mod thread_safety {
    fn send_sync<T: Send + Sync>() {}

    #[test]
    fn public_types_are_send_and_sync() {
        send_sync::<crate::Edition>();
        send_sync::<crate::Instance>();
        send_sync::<crate::Outcome>();
        send_sync::<crate::Pairing>();
        send_sync::<crate::Policy>();
        send_sync::<crate::ValidationError>();
        send_sync::<crate::Violation>();
        send_sync::<crate::json::JsonError>();
        send_sync::<crate::survey::SurveySummary>();
        send_sync::<crate::comms::CommsPlan>();
        send_sync::<crate::matcher::Aggregate>();
        send_sync::<crate::matcher::ReciprocalPairs>();
        send_sync::<crate::calendar::Calendar>();
        send_sync::<crate::core_format::CoreInstance>();
    }
}
