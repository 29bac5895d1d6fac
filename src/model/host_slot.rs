//! Host slots: when a host offers to receive visitors.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{AgentId, HostSlotId, Part};

/// A host agent's offer to receive visitors on a date.
///
/// A full-day host slot offers both halves: it can receive a full-day
/// visitor, or half-day visitors in either half, within `capacity` visitors
/// present at once.
///
/// ```
/// use jobswap::{HostSlot, Part};
/// let d = chrono::NaiveDate::from_ymd_opt(2025, 3, 4).unwrap();
/// let hs = HostSlot::new("v-0304", "veronique", d, Part::Morning).capacity(2);
/// assert_eq!(hs.capacity, 2);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct HostSlot {
    /// Unique id.
    pub id: HostSlotId,
    /// The host agent.
    pub host: AgentId,
    /// The date.
    pub date: NaiveDate,
    /// Morning, afternoon or full day.
    pub part: Part,
    /// Visitors received at once. Default 1.
    #[serde(default = "one")]
    pub capacity: u32,
}

fn one() -> u32 {
    1
}

impl HostSlot {
    /// A host slot of capacity 1.
    pub fn new(
        id: impl Into<HostSlotId>,
        host: impl Into<AgentId>,
        date: NaiveDate,
        part: Part,
    ) -> Self {
        HostSlot {
            id: id.into(),
            host: host.into(),
            date,
            part,
            capacity: 1,
        }
    }

    /// Sets the capacity.
    #[must_use]
    pub fn capacity(mut self, capacity: u32) -> Self {
        self.capacity = capacity;
        self
    }
}
