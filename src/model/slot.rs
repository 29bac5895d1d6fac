//! Dates, half-days and what a visit covers.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One half of a working day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HalfDay {
    /// The morning.
    Morning,
    /// The afternoon.
    Afternoon,
}

impl HalfDay {
    /// Both halves, morning first.
    pub const BOTH: [HalfDay; 2] = [HalfDay::Morning, HalfDay::Afternoon];

    /// 0 for the morning, 1 for the afternoon.
    pub fn index(self) -> u32 {
        match self {
            HalfDay::Morning => 0,
            HalfDay::Afternoon => 1,
        }
    }
}

impl fmt::Display for HalfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HalfDay::Morning => "morning",
            HalfDay::Afternoon => "afternoon",
        })
    }
}

/// A half-day slot: a date and a half of it.
///
/// ```
/// use jobswap::{HalfDay, Slot};
/// let s = Slot::new(chrono::NaiveDate::from_ymd_opt(2025, 3, 4).unwrap(), HalfDay::Morning);
/// assert_eq!(s.to_string(), "2025-03-04 morning");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slot {
    /// The date.
    pub date: NaiveDate,
    /// Morning or afternoon.
    pub half: HalfDay,
}

impl Slot {
    /// A slot on `date`, `half`.
    pub fn new(date: NaiveDate, half: HalfDay) -> Self {
        Slot { date, half }
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.date, self.half)
    }
}

/// How long a visit lasts.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Duration {
    /// A morning or an afternoon.
    #[default]
    HalfDay,
    /// Both halves of one date.
    FullDay,
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Duration::HalfDay => "half day",
            Duration::FullDay => "full day",
        })
    }
}

/// The part of a date a visit or a host slot covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// The morning only.
    Morning,
    /// The afternoon only.
    Afternoon,
    /// Both halves.
    FullDay,
}

impl Part {
    /// The half-days covered, morning first.
    pub fn halves(self) -> &'static [HalfDay] {
        match self {
            Part::Morning => &[HalfDay::Morning],
            Part::Afternoon => &[HalfDay::Afternoon],
            Part::FullDay => &HalfDay::BOTH,
        }
    }

    /// Whether this part covers `half`.
    pub fn covers(self, half: HalfDay) -> bool {
        self.halves().contains(&half)
    }

    /// The duration of a visit covering this part.
    pub fn duration(self) -> Duration {
        match self {
            Part::FullDay => Duration::FullDay,
            Part::Morning | Part::Afternoon => Duration::HalfDay,
        }
    }

    /// The part covering exactly one half.
    pub fn from_half(half: HalfDay) -> Part {
        match half {
            HalfDay::Morning => Part::Morning,
            HalfDay::Afternoon => Part::Afternoon,
        }
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Morning => "morning",
            Part::Afternoon => "afternoon",
            Part::FullDay => "full day",
        })
    }
}
