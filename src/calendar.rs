//! The edition calendar: working days, closed days, French public holidays.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate};

use crate::{Edition, PublicHolidays};

/// The date of Easter Sunday in the Gregorian calendar.
///
/// Returns `None` outside the years chrono represents.
///
/// # Implementation notes
///
/// The anonymous Gregorian algorithm (Meeus/Jones/Butcher), exact for every
/// Gregorian year.
///
/// ```
/// use jobswap::calendar::easter_sunday;
/// assert_eq!(easter_sunday(2025).unwrap().to_string(), "2025-04-20");
/// ```
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// The eleven public holidays (*jours fériés*) of metropolitan France in
/// `year`, sorted by date, with their French names.
///
/// New Year's Day, Easter Monday, 1 May, 8 May, Ascension Day, Whit Monday,
/// 14 July, 15 August, 1 November, 11 November and Christmas Day. Alsace and
/// Moselle's two extra days are not included.
///
/// ```
/// use jobswap::calendar::french_public_holidays;
/// let h = french_public_holidays(2025);
/// assert_eq!(h.len(), 11);
/// assert_eq!(h[1].0.to_string(), "2025-04-21"); // Lundi de Pâques
/// ```
pub fn french_public_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let Some(easter) = easter_sunday(year) else {
        return Vec::new();
    };
    let fixed = |m, d, name| NaiveDate::from_ymd_opt(year, m, d).map(|x| (x, name));
    let moving = |n: u64, name| easter.checked_add_days(Days::new(n)).map(|x| (x, name));
    let mut v: Vec<(NaiveDate, &'static str)> = [
        fixed(1, 1, "Jour de l'an"),
        moving(1, "Lundi de Pâques"),
        fixed(5, 1, "Fête du Travail"),
        fixed(5, 8, "Victoire 1945"),
        moving(39, "Ascension"),
        moving(50, "Lundi de Pentecôte"),
        fixed(7, 14, "Fête nationale"),
        fixed(8, 15, "Assomption"),
        fixed(11, 1, "Toussaint"),
        fixed(11, 11, "Armistice 1918"),
        fixed(12, 25, "Noël"),
    ]
    .into_iter()
    .flatten()
    .collect();
    v.sort_unstable();
    v
}

/// The French names of the months, January first (for messages and
/// reports).
pub const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// The calendar of one edition: which dates of its window are working days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    days: Vec<NaiveDate>,
}

impl Calendar {
    /// The working days of `edition`: in its window, on a working weekday,
    /// not a listed closed day, not a public holiday when asked for.
    ///
    /// An inverted or over-long window gives what it gives (validation
    /// reports it); the walk stops after 366 days.
    pub fn of(edition: &Edition) -> Calendar {
        let mut closed: BTreeSet<NaiveDate> = edition.closed_days.iter().copied().collect();
        if edition.public_holidays == PublicHolidays::France {
            for y in edition.start.year()..=edition.end.year().min(edition.start.year() + 1) {
                closed.extend(french_public_holidays(y).into_iter().map(|(d, _)| d));
            }
        }
        let mut days = Vec::new();
        let mut d = edition.start;
        for _ in 0..366 {
            if d > edition.end {
                break;
            }
            if edition.working_weekdays.contains(&d.weekday()) && !closed.contains(&d) {
                days.push(d);
            }
            match d.succ_opt() {
                Some(n) => d = n,
                None => break,
            }
        }
        Calendar { days }
    }

    /// The working days, ascending.
    pub fn days(&self) -> &[NaiveDate] {
        &self.days
    }

    /// Whether `date` is a working day of the edition.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.days.binary_search(&date).is_ok()
    }

    /// The position of `date` among the working days.
    pub fn day_index(&self, date: NaiveDate) -> Option<usize> {
        self.days.binary_search(&date).ok()
    }

    /// The working day before `date`, if the edition has one.
    pub fn previous_working_day(&self, date: NaiveDate) -> Option<NaiveDate> {
        let i = self.days.partition_point(|d| *d < date);
        i.checked_sub(1).map(|j| self.days[j])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_known_dates() {
        // Published dates of Easter Sunday.
        for (y, m, day) in [
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2019, 4, 21),
            (2038, 4, 25),
        ] {
            assert_eq!(easter_sunday(y), Some(d(y, m, day)), "{y}");
        }
    }

    #[test]
    fn calendar_skips_weekends_holidays_and_closed_days() {
        let e = Edition::new("t", d(2025, 4, 18), d(2025, 4, 25))
            .public_holidays(PublicHolidays::France)
            .closed_day(d(2025, 4, 23));
        let c = Calendar::of(&e);
        // 18 Fri, 21 Easter Monday (closed), 22 Tue, 23 closed, 24 Thu, 25 Fri
        assert_eq!(
            c.days(),
            &[
                d(2025, 4, 18),
                d(2025, 4, 22),
                d(2025, 4, 24),
                d(2025, 4, 25)
            ]
        );
        assert_eq!(c.previous_working_day(d(2025, 4, 22)), Some(d(2025, 4, 18)));
        assert_eq!(c.previous_working_day(d(2025, 4, 18)), None);
    }
}
