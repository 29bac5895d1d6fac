//! The iCalendar export, read back with an independent parser (the
//! `icalendar` crate's): every file parses, each visit's start, end, UID
//! and attendees survive the round trip, no line exceeds 75 octets, and
//! names with accents, commas and semicolons survive escaping and folding.

// Helpers outside `#[test]` functions unwrap and panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveDateTime};
use icalendar::{CalendarDateTime, Component as _, DatePerhapsTime, EventLike as _};
use jobswap::comms::visit_times;
use jobswap::{
    Agent, AgentId, Edition, HostSlot, Instance, Outcome, Pairing, Part, Policy, Service, Strategy,
    Wish, ics,
};
use proptest::prelude::*;

use crate::common::{SMALL, config, random_edition};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn solve(e: &Edition) -> (Instance, Outcome) {
    let i = Instance::new(e.clone()).unwrap();
    let o = i.solve();
    (i, o)
}

fn example(name: &str) -> Edition {
    let text = match name {
        "vernon" => include_str!("../examples/data/vernon.json"),
        "tourcoing" => include_str!("../examples/data/tourcoing.json"),
        _ => panic!("no example {name}"),
    };
    jobswap::json::read_edition(text).unwrap()
}

/// One event as the independent parser reads it.
#[derive(Debug, PartialEq, Eq)]
struct Parsed {
    uid: String,
    start: NaiveDateTime,
    end: NaiveDateTime,
    summary: String,
    location: String,
    description: String,
    /// (CN, URI) of each attendee.
    attendees: BTreeSet<(String, String)>,
}

fn local(dt: Option<DatePerhapsTime>) -> NaiveDateTime {
    match dt {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid })) => {
            assert_eq!(tzid, "Europe/Paris");
            date_time
        }
        other => panic!("expected a Europe/Paris time, got {other:?}"),
    }
}

/// The file's octet-level rules, then its events through the parser.
fn parse(text: &str) -> Vec<Parsed> {
    assert!(text.ends_with("\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(!line.contains('\n') && !line.contains('\r'));
    }
    // Every bare LF is part of a CRLF.
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());

    // Structure, with the parser's raw components: one VTIMEZONE for
    // Europe/Paris with its two EU rules.
    let unfolded = icalendar::parser::unfold(text);
    let raw = icalendar::parser::read_calendar(&unfolded).unwrap();
    let tz: Vec<_> = raw
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VTIMEZONE")
        .collect();
    assert_eq!(tz.len(), 1);
    let prop = |c: &icalendar::parser::Component<'_>, name: &str| {
        c.find_prop(name)
            .map(|p| p.val.as_str().to_owned())
            .unwrap()
    };
    assert_eq!(prop(tz[0], "TZID"), "Europe/Paris");
    let rules: BTreeMap<String, (String, String, String, String)> = tz[0]
        .components
        .iter()
        .map(|c| {
            (
                c.name.as_str().to_owned(),
                (
                    prop(c, "TZOFFSETFROM"),
                    prop(c, "TZOFFSETTO"),
                    prop(c, "DTSTART"),
                    prop(c, "RRULE"),
                ),
            )
        })
        .collect();
    let rule = |a: &str, b: &str, c: &str, d: &str| {
        (a.to_owned(), b.to_owned(), c.to_owned(), d.to_owned())
    };
    assert_eq!(
        rules,
        BTreeMap::from([
            (
                "DAYLIGHT".to_owned(),
                rule(
                    "+0100",
                    "+0200",
                    "19700329T020000",
                    "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"
                )
            ),
            (
                "STANDARD".to_owned(),
                rule(
                    "+0200",
                    "+0100",
                    "19701025T030000",
                    "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"
                )
            ),
        ])
    );

    let cal: icalendar::Calendar = text.parse().unwrap();
    cal.events()
        .map(|e| {
            let attendees = e
                .multi_properties()
                .get("ATTENDEE")
                .map(|v| {
                    v.iter()
                        .map(|p| {
                            let cn = p.params().get("CN").unwrap().value().to_owned();
                            (cn, p.value().to_owned())
                        })
                        .collect()
                })
                .unwrap_or_default();
            Parsed {
                uid: e.get_uid().unwrap().to_owned(),
                start: local(e.get_start()),
                end: local(e.get_end()),
                summary: e.get_summary().unwrap().to_owned(),
                location: e.get_location().unwrap().to_owned(),
                description: e.get_description().unwrap().to_owned(),
                attendees,
            }
        })
        .collect()
}

fn name_of(e: &Edition, id: &AgentId) -> String {
    e.agents.iter().find(|a| a.id == *id).unwrap().name.clone()
}

fn expected(
    e: &Edition,
    p: &Pairing,
) -> (
    String,
    NaiveDateTime,
    NaiveDateTime,
    BTreeSet<(String, String)>,
) {
    let (start, end) = visit_times(e, p.part);
    (
        ics::uid(&e.name, p),
        p.date.and_time(start),
        p.date.and_time(end),
        BTreeSet::from([
            (name_of(e, &p.visitor), ics::agent_uri(&p.visitor)),
            (name_of(e, &p.host), ics::agent_uri(&p.host)),
        ]),
    )
}

/// The edition's file and every agent's file recover every visit.
fn check_round_trip(e: &Edition, o: &Outcome) {
    let events = parse(&ics::for_edition(e, o));
    assert_eq!(events.len(), o.pairings().len());
    let by_uid: BTreeMap<&str, &Parsed> = events.iter().map(|p| (p.uid.as_str(), p)).collect();
    assert_eq!(by_uid.len(), events.len(), "UIDs are unique");
    for p in o.pairings() {
        let (uid, start, end, attendees) = expected(e, p);
        let ev = by_uid[uid.as_str()];
        assert_eq!((ev.start, ev.end), (start, end), "{uid}");
        assert!(ev.start < ev.end);
        assert_eq!(ev.attendees, attendees);
        assert!(ev.summary.contains(&name_of(e, &p.visitor)));
        assert!(ev.description.contains(&name_of(e, &p.host)));
        assert!(!ev.location.is_empty());
        assert!(uid.ends_with("@jobswap"));
    }
    for a in &e.agents {
        let text = ics::for_agent(e, o, &a.id);
        let mine = parse(&text);
        let theirs: BTreeSet<String> = o
            .pairings()
            .iter()
            .filter(|p| p.visitor == a.id || p.host == a.id)
            .map(|p| ics::uid(&e.name, p))
            .collect();
        assert_eq!(
            mine.iter().map(|p| p.uid.clone()).collect::<BTreeSet<_>>(),
            theirs
        );
        // The same event as in the edition's file.
        for ev in &mine {
            assert_eq!(by_uid[ev.uid.as_str()], ev);
        }
    }
}

#[test]
fn vernon_and_tourcoing_files_parse_and_round_trip() {
    for name in ["vernon", "tourcoing"] {
        let (i, o) = solve(&example(name));
        assert!(!o.pairings().is_empty(), "{name}");
        check_round_trip(i.edition(), &o);
        // Deterministic: the same text twice, and in English too.
        assert_eq!(
            ics::for_edition(i.edition(), &o),
            ics::for_edition(i.edition(), &o)
        );
        let en = ics::for_edition_in(i.edition(), &o, jobswap::comms::Lang::En);
        assert_eq!(parse(&en).len(), o.pairings().len());
    }
}

#[test]
fn dtstamp_comes_from_the_edition() {
    let (i, o) = solve(&example("vernon"));
    let text = ics::for_edition(i.edition(), &o);
    let stamps: BTreeSet<&str> = text.lines().filter(|l| l.starts_with("DTSTAMP:")).collect();
    assert_eq!(stamps, BTreeSet::from(["DTSTAMP:20250303T000000Z"]));
    let cal: icalendar::Calendar = text.parse().unwrap();
    for ev in cal.events() {
        assert_eq!(
            ev.get_timestamp().unwrap().naive_utc(),
            d(2025, 3, 3).and_hms_opt(0, 0, 0).unwrap()
        );
    }
}

/// Zoë hosts Jean-Éric for a full day; the names, the service and the site
/// are full of characters to escape and long enough to fold.
fn awkward() -> Edition {
    let day = d(2025, 3, 4);
    Edition::new("Vis mon job; édition « printemps », n°2", day, day)
        .policy(Policy::new(Strategy::Draw).seed(1))
        .service(Service::new("accueil", "Accueil"))
        .service(
            Service::new("état-civil", "État civil, affaires générales; guichet n°1")
                .site("Hôtel de ville, 2e étage; bureau 12 – « côté cour »\nentrée B"),
        )
        .agent(Agent::new("jean éric", "Jean-Éric \"JE\" Dupont", "accueil").visits(true))
        .agent(Agent::new("zoë", "Zoë Lefèvre-Brûlé; chef, accueil", "état-civil").hosts(true))
        .wish(Wish::service("jean éric", "état-civil", 1).duration(jobswap::Duration::FullDay))
        .host_slot(HostSlot::new("z", "zoë", day, Part::FullDay))
}

#[test]
fn accents_commas_and_semicolons_survive_escaping_and_folding() {
    let (i, o) = solve(&awkward());
    let e = i.edition();
    assert_eq!(o.pairings().len(), 1);
    let text = ics::for_edition(e, &o);
    // Folding happened, and only at character boundaries (the text is a
    // `String`, so a split inside a character could not even be built;
    // check each physical line is valid UTF-8 on its own).
    assert!(text.contains("\r\n "));
    for line in text.as_bytes().split(|b| *b == b'\n') {
        assert!(std::str::from_utf8(line).is_ok());
    }
    let ev = &parse(&text)[0];
    assert_eq!(ev.start, d(2025, 3, 4).and_hms_opt(8, 30, 0).unwrap());
    assert_eq!(ev.end, d(2025, 3, 4).and_hms_opt(17, 0, 0).unwrap());
    assert_eq!(
        ev.location,
        "Hôtel de ville, 2e étage; bureau 12 – « côté cour »\nentrée B"
    );
    assert!(
        ev.summary
            .starts_with("Vis mon job; édition « printemps », n°2 : ")
    );
    assert!(ev.summary.contains("Zoë Lefèvre-Brûlé; chef, accueil"));
    assert!(
        ev.description
            .contains("Accueillant : Zoë Lefèvre-Brûlé; chef, accueil\n")
    );
    // A `"` cannot stand in a parameter value: it is written `'`.
    assert_eq!(
        ev.attendees,
        BTreeSet::from([
            (
                "Jean-Éric 'JE' Dupont".to_owned(),
                "urn:jobswap:agent:jean%20%C3%A9ric".to_owned()
            ),
            (
                "Zoë Lefèvre-Brûlé; chef, accueil".to_owned(),
                "urn:jobswap:agent:zo%C3%AB".to_owned()
            ),
        ])
    );
    // The agent's own file holds the same event.
    assert_eq!(parse(&ics::for_agent(e, &o, &"zoë".into()))[0], *ev);
}

#[test]
fn text_escaping_and_folding_by_hand() {
    assert_eq!(ics::escape_text("a\\b"), "a\\\\b");
    assert_eq!(ics::escape_text("x;y,z"), "x\\;y\\,z");
    assert_eq!(ics::escape_text("1\r\n2\n3\r4"), "1\\n2\\n3\\n4");
    assert_eq!(ics::escape_text("bell\u{7}"), "bell ");
    assert_eq!(ics::escape_text("Zoë: ok"), "Zoë: ok");
    // Folding at exactly 75 octets, then 74 plus the leading space.
    for n in [0, 1, 74, 75, 76, 149, 150, 151, 400] {
        for unit in ["a", "é", "€", "😀"] {
            let mut s = "X:".to_owned();
            while s.len() < n {
                s.push_str(unit);
            }
            let mut out = String::new();
            ics::fold_into(&mut out, &s);
            assert!(out.ends_with("\r\n"));
            let lines: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
            assert!(lines.iter().all(|l| l.len() <= 75), "{n} {unit}");
            assert!(lines[1..].iter().all(|l| l.starts_with(' ') && l.len() > 1));
            // Lines are as full as the characters allow.
            for l in &lines[..lines.len() - 1] {
                assert!(l.len() + unit.len() > 75, "{n} {unit}: {}", l.len());
            }
            assert_eq!(out.replace("\r\n ", ""), format!("{s}\r\n"));
        }
    }
}

#[test]
fn an_agent_without_visit_gets_a_valid_empty_calendar() {
    let (i, o) = solve(&example("vernon"));
    let text = ics::for_agent(i.edition(), &o, &"nobody".into());
    assert!(parse(&text).is_empty());
    assert!(text.contains("BEGIN:VTIMEZONE\r\n"));
}

#[test]
fn uids_are_stable_and_distinct() {
    let p = Pairing::new(
        "denise",
        "veronique",
        "scolaire",
        d(2025, 3, 4),
        Part::Morning,
        Some(1),
    );
    // Pinned: FNV-1a over the length-prefixed fields.
    let uid = ics::uid("Vis mon job", &p);
    assert_eq!(uid.len(), 24);
    assert!(
        uid[..16]
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    let mut seen = BTreeSet::from([uid]);
    for (edition, visitor, host, date, part) in [
        (
            "Vis mon job 2",
            "denise",
            "veronique",
            d(2025, 3, 4),
            Part::Morning,
        ),
        (
            "Vis mon job",
            "denis",
            "everonique",
            d(2025, 3, 4),
            Part::Morning,
        ),
        (
            "Vis mon job",
            "veronique",
            "denise",
            d(2025, 3, 4),
            Part::Morning,
        ),
        (
            "Vis mon job",
            "denise",
            "veronique",
            d(2025, 3, 5),
            Part::Morning,
        ),
        (
            "Vis mon job",
            "denise",
            "veronique",
            d(2025, 3, 4),
            Part::Afternoon,
        ),
        (
            "Vis mon job",
            "denise",
            "veronique",
            d(2025, 3, 4),
            Part::FullDay,
        ),
    ] {
        let q = Pairing::new(visitor, host, "scolaire", date, part, Some(1));
        assert!(
            seen.insert(ics::uid(edition, &q)),
            "{edition} {visitor} {host}"
        );
    }
    // The rank and the service do not change the visit's identity.
    let q = Pairing::new(
        "denise",
        "veronique",
        "other",
        d(2025, 3, 4),
        Part::Morning,
        None,
    );
    assert_eq!(ics::uid("Vis mon job", &q), ics::uid("Vis mon job", &p));
}

#[test]
fn fnv1a_matches_its_reference_vectors() {
    // Published vectors: FNV-1a 64("") and ("a").
    let fnv = |s: &[u8]| {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in s {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    };
    assert_eq!(fnv(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv(b"a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(fnv(b"foobar"), 0x8594_4171_f739_67e8);
    // The crate's UID is this hash over the length-prefixed fields.
    let p = Pairing::new("v", "h", "s", d(2025, 3, 4), Part::Morning, None);
    let mut bytes = Vec::new();
    for f in ["E", "v", "h", "2025-03-04", "morning"] {
        bytes.extend_from_slice(&(f.len() as u64).to_le_bytes());
        bytes.extend_from_slice(f.as_bytes());
    }
    assert_eq!(ics::uid("E", &p), format!("{:016x}@jobswap", fnv(&bytes)));
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn random_editions_export_files_that_parse(seed in any::<u64>()) {
        let e = random_edition(seed, SMALL);
        let (i, o) = solve(&e);
        check_round_trip(i.edition(), &o);
    }
}
