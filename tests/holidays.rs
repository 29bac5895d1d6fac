//! French public holidays, 2000–2050, against an independent source.
//!
//! `fixtures/french_holidays_2000_2050.json` was generated once by
//! `fixtures/french_holidays.py` from the Python `holidays` package
//! (`holidays.France(years=range(2000, 2051))`, metropolitan France), which
//! encodes the holidays with their legal history. It is kept as generated;
//! the one genuine difference is documented and asserted here, not patched
//! into the fixture:
//!
//! - **Whit Monday 2005, 2006 and 2007.** The law of 30 June 2004 created the
//!   *journée de solidarité*, worked without pay, and set it by default on
//!   Whit Monday; the law of 16 April 2008 decoupled the two. Whit Monday
//!   never left the list of public holidays of the labour code (article
//!   L. 222-1, then L. 3133-1), but in 2005–2007 it was by default a worked
//!   day, and `holidays` leaves it out for those years.
//!   `jobswap::calendar::french_public_holidays` lists it every year: the
//!   legal list, which is what an organiser closes (since 2008 the
//!   solidarity day is set by each employer, often still on Whit Monday; an
//!   organiser who works it lists nothing, one who closes it keeps it).
//!
//! And one coincidence both sources agree on, asserted so nobody "fixes" it:
//! in 2008 Ascension fell on 1 May, so the function returns eleven holidays
//! on ten distinct dates.

// Helpers outside `#[test]` functions unwrap and panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use jobswap::calendar::{Calendar, easter_sunday, french_public_holidays};
use jobswap::{Edition, PublicHolidays};
use serde::Deserialize;

const FIXTURE: &str = include_str!("fixtures/french_holidays_2000_2050.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    source: String,
    generator: String,
    years: std::collections::BTreeMap<String, Vec<Holiday>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Holiday {
    date: NaiveDate,
    name: String,
}

/// The `holidays` package's English names, mapped to the crate's French
/// ones.
fn french_name(english: &str) -> &'static str {
    match english {
        "New Year's Day" => "Jour de l'an",
        "Easter Monday" => "Lundi de Pâques",
        "Labor Day" => "Fête du Travail",
        "Victory Day" => "Victoire 1945",
        "Ascension Day" => "Ascension",
        "Pentecost Monday" => "Lundi de Pentecôte",
        "National Day" => "Fête nationale",
        "Assumption Day" => "Assomption",
        "All Saints' Day" => "Toussaint",
        "Armistice Day" => "Armistice 1918",
        "Christmas Day" => "Noël",
        other => panic!("the fixture names a holiday the crate does not know: {other}"),
    }
}

fn fixture() -> Fixture {
    serde_json::from_str(FIXTURE).expect("the committed fixture parses")
}

fn reference(f: &Fixture, year: i32) -> BTreeSet<(NaiveDate, &'static str)> {
    f.years
        .get(&year.to_string())
        .unwrap_or_else(|| panic!("the fixture lacks {year}"))
        .iter()
        .map(|h| (h.date, french_name(&h.name)))
        .collect()
}

fn ours(year: i32) -> BTreeSet<(NaiveDate, &'static str)> {
    french_public_holidays(year).into_iter().collect()
}

fn whit_monday(year: i32) -> NaiveDate {
    easter_sunday(year).unwrap() + Days::new(50)
}

#[test]
fn the_fixture_is_the_generated_one() {
    let f = fixture();
    assert!(f.source.starts_with("python holidays "), "{}", f.source);
    assert_eq!(f.generator, "tests/fixtures/french_holidays.py");
    let years: Vec<i32> = f.years.keys().map(|y| y.parse().unwrap()).collect();
    assert_eq!(years, (2000..=2050).collect::<Vec<_>>());
    for (y, days) in &f.years {
        assert!(days.iter().all(|h| h.date.year().to_string() == *y));
    }
}

#[test]
fn french_public_holidays_match_the_independent_source() {
    let f = fixture();
    for year in 2000..=2050 {
        let ours = ours(year);
        let theirs = reference(&f, year);
        let only_ours: Vec<_> = ours.difference(&theirs).copied().collect();
        let only_theirs: Vec<_> = theirs.difference(&ours).copied().collect();
        assert_eq!(only_theirs, [], "{year}: holidays the crate misses");
        if (2005..=2007).contains(&year) {
            // The journée de solidarité years: see the module docs.
            assert_eq!(
                only_ours,
                [(whit_monday(year), "Lundi de Pentecôte")],
                "{year}"
            );
        } else {
            assert_eq!(only_ours, [], "{year}: holidays the source does not have");
        }
    }
}

#[test]
fn eleven_holidays_every_year_on_the_right_weekdays() {
    for year in 2000..=2050 {
        let h = french_public_holidays(year);
        assert_eq!(h.len(), 11, "{year}");
        assert!(h.windows(2).all(|w| w[0] <= w[1]), "{year}: sorted");
        let on = |name: &str| h.iter().find(|(_, n)| *n == name).unwrap().0;
        assert_eq!(on("Lundi de Pâques").weekday(), Weekday::Mon, "{year}");
        assert_eq!(on("Ascension").weekday(), Weekday::Thu, "{year}");
        assert_eq!(on("Lundi de Pentecôte").weekday(), Weekday::Mon, "{year}");
        // Easter Sunday from the source: the day before its Easter Monday.
        assert_eq!(
            easter_sunday(year),
            on("Lundi de Pâques").pred_opt(),
            "{year}"
        );
        let distinct: BTreeSet<_> = h.iter().map(|(d, _)| d).collect();
        let expected = if year == 2008 { 10 } else { 11 };
        assert_eq!(distinct.len(), expected, "{year}");
    }
}

#[test]
fn ascension_on_labour_day_2008_closes_one_date() {
    let d = |m, day| NaiveDate::from_ymd_opt(2008, m, day).unwrap();
    let h = french_public_holidays(2008);
    let may_first: Vec<_> = h
        .iter()
        .filter(|(x, _)| *x == d(5, 1))
        .map(|(_, n)| *n)
        .collect();
    assert_eq!(may_first, ["Ascension", "Fête du Travail"]);
    let e = Edition::new("2008", d(4, 28), d(5, 2)).public_holidays(PublicHolidays::France);
    assert_eq!(
        Calendar::of(&e).days(),
        [d(4, 28), d(4, 29), d(4, 30), d(5, 2)]
    );
}
