//! Services: the organisational units agents belong to and visit.

use serde::{Deserialize, Serialize};

use crate::{ServiceId, Slot};

/// An organisational unit (reception desk, school office, social centre…).
///
/// ```
/// use jobswap::Service;
/// let s = Service::new("etat-civil", "État civil").site("Hôtel de ville").continuity_cap(1);
/// assert_eq!(s.continuity_cap, 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Service {
    /// Unique id.
    pub id: ServiceId,
    /// Display name.
    pub name: String,
    /// Site (building, address) where the service receives visitors.
    #[serde(default)]
    pub site: String,
    /// How many of the service's own agents may be away visiting at the
    /// same half-day (continuity of service). Default 1.
    #[serde(default = "one")]
    pub continuity_cap: u32,
    /// Per-slot overrides of the continuity cap (a busy Monday morning: 0).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cap_overrides: Vec<CapOverride>,
    /// At most this many visitors received at once (per half-day), all
    /// hosts together. `None`: only the hosts' capacities limit it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_visitors: Option<u32>,
    /// Visitors must have signed the confidentiality agreement.
    #[serde(default)]
    pub confidentiality_required: bool,
}

fn one() -> u32 {
    1
}

/// The continuity cap of a service for one slot, replacing the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapOverride {
    /// The slot concerned.
    pub slot: Slot,
    /// The cap in force for that slot.
    pub cap: u32,
}

impl Service {
    /// A service with the default continuity cap of 1 and no other limit.
    pub fn new(id: impl Into<ServiceId>, name: impl Into<String>) -> Self {
        Service {
            id: id.into(),
            name: name.into(),
            site: String::new(),
            continuity_cap: 1,
            cap_overrides: Vec::new(),
            max_visitors: None,
            confidentiality_required: false,
        }
    }

    /// Sets the site.
    #[must_use]
    pub fn site(mut self, site: impl Into<String>) -> Self {
        self.site = site.into();
        self
    }

    /// Sets the continuity cap.
    #[must_use]
    pub fn continuity_cap(mut self, cap: u32) -> Self {
        self.continuity_cap = cap;
        self
    }

    /// Overrides the continuity cap for one slot.
    #[must_use]
    pub fn cap_override(mut self, slot: Slot, cap: u32) -> Self {
        self.cap_overrides.push(CapOverride { slot, cap });
        self
    }

    /// Caps the number of visitors received at once.
    #[must_use]
    pub fn max_visitors(mut self, max: u32) -> Self {
        self.max_visitors = Some(max);
        self
    }

    /// Requires visitors to have signed the confidentiality agreement.
    #[must_use]
    pub fn confidentiality_required(mut self, required: bool) -> Self {
        self.confidentiality_required = required;
        self
    }
}
