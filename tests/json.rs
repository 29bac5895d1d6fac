//! The JSON documents: every public type survives a serde round trip, the
//! documents carry and check their tags, unknown fields are named, the seed
//! travels as a string, no input makes the reader panic, and every committed
//! document (the examples, `docs/FORMAT.md`, the frozen v1 fixture) still
//! loads.

// Helpers outside `#[test]` functions unwrap and panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::path::Path;

use chrono::{NaiveDate, NaiveTime, Weekday};
use jobswap::json::{
    EDITION_FORMAT, FORMAT_VERSION, JsonError, OUTCOME_FORMAT, read_edition, read_outcome,
    write_edition, write_outcome,
};
use jobswap::{
    Agent, AgentId, CapOverride, Confidentiality, Duration, Edition, HalfDay, HostSlot, Hours,
    Instance, Outcome, Pairing, Part, Participation, Policy, PublicHolidays, Role, Seed, Service,
    ServiceId, Slot, Strategy, Target, UnplacedReason, Violation, Wish, verify,
};
use proptest::prelude::*;
use proptest::strategy::Strategy as _;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::common::{SMALL, config, random_edition};

const VERNON: &str = include_str!("../examples/data/vernon.json");
const TOURCOING: &str = include_str!("../examples/data/tourcoing.json");
const VIS_MON_TRAVAIL: &str = include_str!("../examples/data/vis-mon-travail.json");
/// A frozen copy of `examples/data/vernon.json` as first written in format
/// version 1. It must load, unchanged, in every later release.
const VERNON_V1: &str = include_str!("fixtures/vernon-v1.json");
const FORMAT_MD: &str = include_str!("../docs/FORMAT.md");

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, day).unwrap()
}

/// Through a string and through a `Value`, back to an equal value.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(v: &T) -> Value {
    let text = serde_json::to_string(v).unwrap();
    let back: T = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, v, "{text}");
    let value = serde_json::to_value(v).unwrap();
    let back: T = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(&back, v);
    value
}

/// A JSON text read into `T`, written back: the same JSON value, and `T`
/// reads its own output (for types the tests cannot build, being
/// `#[non_exhaustive]`).
fn round_trip_json<T: Serialize + DeserializeOwned + PartialEq + Debug>(v: &Value) -> T {
    let t: T = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(&serde_json::to_value(&t).unwrap(), v);
    round_trip(&t);
    t
}

fn full_agent() -> Agent {
    Agent::new("denise", "Denise M.", "accueil-hdv")
        .job_title("Agente d'accueil")
        .visits(true)
        .hosts(true)
        .unavailable_date(d(3, 10))
        .unavailable_slot(Slot::new(d(3, 11), HalfDay::Afternoon))
        .confidentiality_signed(true)
        .participation(Participation {
            edition: "Vis mon job 2024".into(),
            role: Role::Visitor,
            visited: Some("ccas".into()),
        })
        .participation(Participation {
            edition: "Vis mon job 2023".into(),
            role: Role::Host,
            visited: None,
        })
}

fn full_service() -> Service {
    Service::new("etat-civil", "État civil")
        .site("Hôtel de ville")
        .continuity_cap(2)
        .cap_override(Slot::new(d(3, 3), HalfDay::Morning), 0)
        .max_visitors(3)
        .confidentiality_required(true)
}

fn full_edition() -> Edition {
    let mut hours = Hours::default();
    hours.morning_start = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
    Edition::new("Montre-moi ton job 2025", d(3, 3), d(4, 30))
        .working_weekdays([Weekday::Mon, Weekday::Tue, Weekday::Thu])
        .closed_day(d(3, 20))
        .public_holidays(PublicHolidays::France)
        .hours(hours)
        .policy(
            Policy::new(Strategy::Draw)
                .seed(u64::MAX)
                .max_visits_per_agent(2)
                .default_duration(Duration::FullDay)
                .confidentiality(Confidentiality::CollectBeforeVisit),
        )
        .service(full_service())
        .service(Service::new("accueil-hdv", "Accueil de l'hôtel de ville"))
        .agent(full_agent())
        .agent(Agent::new("martine", "Martine", "etat-civil").hosts(true))
        .wish(Wish::service("denise", "etat-civil", 1).duration(Duration::FullDay))
        .wish(Wish::host("denise", "martine", 2))
        .host_slot(HostSlot::new("m-1", "martine", d(3, 4), Part::FullDay).capacity(2))
        .host_slot(HostSlot::new("m-2", "martine", d(3, 6), Part::Afternoon))
}

fn solved(text: &str) -> (Edition, Outcome) {
    let edition = read_edition(text).unwrap();
    let instance = Instance::new(edition.clone()).unwrap();
    let outcome = instance.solve();
    (edition, outcome)
}

// ---------------------------------------------------------------------------
// Serde round trips of every public type.

#[test]
fn small_types_round_trip_with_their_documented_spelling() {
    for (h, s) in [
        (HalfDay::Morning, "morning"),
        (HalfDay::Afternoon, "afternoon"),
    ] {
        assert_eq!(round_trip(&h), json!(s));
    }
    for (p, s) in [
        (Part::Morning, "morning"),
        (Part::Afternoon, "afternoon"),
        (Part::FullDay, "full_day"),
    ] {
        assert_eq!(round_trip(&p), json!(s));
    }
    for (x, s) in [
        (Duration::HalfDay, "half_day"),
        (Duration::FullDay, "full_day"),
    ] {
        assert_eq!(round_trip(&x), json!(s));
    }
    assert_eq!(round_trip(&Strategy::Draw), json!("draw"));
    assert_eq!(round_trip(&Role::Visitor), json!("visitor"));
    assert_eq!(round_trip(&Role::Host), json!("host"));
    assert_eq!(round_trip(&Confidentiality::Required), json!("required"));
    assert_eq!(
        round_trip(&Confidentiality::CollectBeforeVisit),
        json!("collect_before_visit")
    );
    assert_eq!(round_trip(&PublicHolidays::None), json!("none"));
    assert_eq!(round_trip(&PublicHolidays::France), json!("france"));
    assert_eq!(
        round_trip(&Slot::new(d(3, 4), HalfDay::Afternoon)),
        json!({"date": "2025-03-04", "half": "afternoon"})
    );
    assert_eq!(round_trip(&AgentId::new("denise")), json!("denise"));
    assert_eq!(round_trip(&ServiceId::new("ccas")), json!("ccas"));
    assert_eq!(
        round_trip(&Target::Service("ccas".into())),
        json!({"service": "ccas"})
    );
    assert_eq!(
        round_trip(&Target::Host("martine".into())),
        json!({"host": "martine"})
    );
    assert_eq!(
        round_trip(&Hours::default()),
        json!({"morning_start": "08:30:00", "morning_end": "12:00:00",
               "afternoon_start": "13:30:00", "afternoon_end": "17:00:00"})
    );
    round_trip(&CapOverride {
        slot: Slot::new(d(3, 3), HalfDay::Morning),
        cap: 0,
    });
}

#[test]
fn model_types_round_trip() {
    round_trip(&full_agent());
    round_trip(&Agent::new("a", "A", "s"));
    round_trip(&full_service());
    round_trip(&Service::new("s", "S"));
    round_trip(&Wish::service("denise", "ccas", 1));
    round_trip(&Wish::host("denise", "martine", 3).duration(Duration::FullDay));
    round_trip(&HostSlot::new("h", "martine", d(3, 4), Part::FullDay).capacity(3));
    round_trip(&Policy::default());
    round_trip(&full_edition().policy);
    round_trip(&full_edition());
    round_trip(&Edition::new("empty", d(3, 3), d(3, 3)));
    let mut p = Pairing::new(
        "denise",
        "martine",
        "etat-civil",
        d(3, 4),
        Part::FullDay,
        Some(1),
    );
    round_trip(&p);
    p.reciprocal = Some("martine".into());
    p.agreement_pending = true;
    round_trip(&p);
    round_trip(&Pairing::new("a", "b", "s", d(3, 5), Part::Morning, None));
}

#[test]
fn outcome_types_round_trip() {
    let t = || Target::Service("ccas".into());
    let reasons = [
        UnplacedReason::NothingOffered,
        UnplacedReason::NoHostSlot { target: t() },
        UnplacedReason::ConfidentialityMissing { target: t() },
        UnplacedReason::AlreadyVisited { target: t() },
        UnplacedReason::DurationNotOffered {
            target: Target::Host("martine".into()),
            duration: Duration::FullDay,
        },
        UnplacedReason::AvailabilityNeverMeets { target: t() },
        UnplacedReason::HostSlotsTaken { target: t() },
        UnplacedReason::ContinuityCapSaturated {
            target: t(),
            own_service: "accueil-hdv".into(),
        },
        UnplacedReason::Overlap { target: t() },
        UnplacedReason::SlotsBlocked { target: t() },
        UnplacedReason::NotChosen { target: t() },
    ];
    let mut tags = BTreeSet::new();
    for r in &reasons {
        let v = round_trip(r);
        tags.insert(v["reason"].as_str().unwrap().to_owned());
    }
    assert_eq!(tags.len(), reasons.len(), "each reason has its own tag");
    assert_eq!(
        serde_json::to_value(&reasons[7]).unwrap(),
        json!({"reason": "continuity_cap_saturated", "target": {"service": "ccas"},
               "own_service": "accueil-hdv"})
    );

    let slot = Slot::new(d(3, 4), HalfDay::Morning);
    let violations = [
        Violation::UnknownAgent { agent: "x".into() },
        Violation::SameAgent { agent: "x".into() },
        Violation::ContinuityExceeded {
            service: "ccas".into(),
            slot,
            away: 2,
            cap: 1,
        },
        Violation::HostOverCapacity {
            host: "martine".into(),
            slot,
            visitors: 2,
            capacity: 1,
        },
        Violation::DurationMismatch {
            visitor: "denise".into(),
            got: Duration::HalfDay,
            wanted: Duration::FullDay,
        },
        Violation::WishMismatch {
            visitor: "denise".into(),
            rank: None,
        },
    ];
    for v in &violations {
        assert!(round_trip(v)["violation"].is_string());
    }

    // The types the tests cannot build go through JSON.
    let unplaced = json!({"visitor": "denise", "reasons": [{"reason": "nothing_offered"}]});
    round_trip_json::<jobswap::outcome::Unplaced>(&unplaced);
    let bound =
        json!({"placed": 12, "objective": 1190, "weight": 101, "source": "flow relaxation"});
    round_trip_json::<jobswap::outcome::Bound>(&bound);
    let load = json!({"slot": {"date": "2025-03-04", "half": "morning"}, "away": 1,
                      "continuity_cap": 1, "received": 2, "offered": 2});
    round_trip_json::<jobswap::outcome::SlotLoad>(&load);
    let service = json!({"service": "ccas", "visits_made": 1, "visits_received": 2,
                         "max_away": 1, "slots": [load]});
    round_trip_json::<jobswap::outcome::ServiceLoad>(&service);
    let report = json!({"asked": 3, "placed": 2, "visits": 2, "rank_histogram": [1, 1],
                        "without_wish": 0, "rank_sum": 3, "first_choice_per_mille": 500,
                        "services": [service]});
    round_trip_json::<jobswap::Report>(&report);

    // Outcomes of real runs, with pairings, unplaced visitors and a report.
    for text in [VERNON, TOURCOING, VIS_MON_TRAVAIL] {
        let (_, outcome) = solved(text);
        round_trip(&outcome);
        round_trip(outcome.report());
        for u in outcome.unplaced() {
            round_trip(u);
        }
    }
}

// ---------------------------------------------------------------------------
// Documents.

#[test]
fn documents_start_with_their_tags_and_read_back() {
    let e = full_edition();
    let text = write_edition(&e);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["format"], EDITION_FORMAT);
    assert_eq!(v["version"], FORMAT_VERSION);
    assert!(text.starts_with("{\n  \"format\": \"jobswap-edition\",\n  \"version\": 1,\n"));
    assert_eq!(read_edition(&text).unwrap(), e);

    let (_, o) = solved(TOURCOING);
    let text = write_outcome(&o);
    assert!(text.starts_with("{\n  \"format\": \"jobswap-outcome\",\n  \"version\": 1,\n"));
    assert_eq!(read_outcome(&text).unwrap(), o);
}

#[test]
fn tags_may_come_anywhere_in_the_object() {
    let e = Edition::new("e", d(3, 3), d(3, 7));
    let mut v = serde_json::to_value(&e).unwrap();
    v["version"] = json!(1);
    v["format"] = json!("jobswap-edition");
    // serde_json's map is sorted: "format" now sits between "end" and "hours".
    assert_eq!(read_edition(&v.to_string()).unwrap(), e);
}

#[test]
fn defaults_fill_the_optional_fields() {
    let text = r#"{"format": "jobswap-edition", "version": 1, "name": "e",
        "start": "2025-03-03", "end": "2025-03-07", "services": [], "agents": []}"#;
    assert_eq!(
        read_edition(text).unwrap(),
        Edition::new("e", d(3, 3), d(3, 7))
    );
}

#[test]
fn weekdays_read_as_documented() {
    let text = r#"{"format": "jobswap-edition", "version": 1, "name": "e",
        "start": "2025-03-03", "end": "2025-03-07", "services": [], "agents": [],
        "working_weekdays": ["Mon", "Tuesday", "Sat"]}"#;
    let e = read_edition(text).unwrap();
    assert_eq!(
        e.working_weekdays,
        [Weekday::Mon, Weekday::Tue, Weekday::Sat]
    );
    let v: Value = serde_json::from_str(&write_edition(&e)).unwrap();
    assert_eq!(v["working_weekdays"], json!(["Mon", "Tue", "Sat"]));
}

#[test]
fn other_formats_and_versions_are_refused_by_name() {
    let body =
        r#""name": "e", "start": "2025-03-03", "end": "2025-03-07", "services": [], "agents": []"#;
    let doc = |tags: &str| format!("{{{tags} {body}}}");

    assert_eq!(
        read_edition(&doc(r#""format": "jobswap-edition", "version": 2,"#)),
        Err(JsonError::UnsupportedVersion {
            found: 2,
            supported: 1
        })
    );
    assert_eq!(
        read_edition(&doc(r#""format": "jobswap-edition", "version": 0,"#)),
        Err(JsonError::UnsupportedVersion {
            found: 0,
            supported: 1
        })
    );
    for bad in ["\"1\"", "1.0", "-1", "null", "[1]"] {
        let err = read_edition(&doc(&format!(
            r#""format": "jobswap-edition", "version": {bad},"#
        )));
        assert!(
            matches!(&err, Err(JsonError::InvalidVersion { found }) if found == &bad.replace(' ', "")),
            "{bad}: {err:?}"
        );
    }
    assert_eq!(
        read_edition(&doc(r#""format": "jobswap-outcome", "version": 1,"#)),
        Err(JsonError::WrongFormat {
            found: "jobswap-outcome".into(),
            expected: EDITION_FORMAT
        })
    );
    assert_eq!(
        read_edition(&doc(r#""format": 1, "version": 1,"#)),
        Err(JsonError::WrongFormat {
            found: "1".into(),
            expected: EDITION_FORMAT
        })
    );
    assert_eq!(
        read_edition(&doc(r#""version": 1,"#)),
        Err(JsonError::MissingFormat {
            expected: EDITION_FORMAT
        })
    );
    assert_eq!(
        read_edition(&doc(r#""format": "jobswap-edition","#)),
        Err(JsonError::MissingVersion { supported: 1 })
    );
    // The format is checked before the version: a future outcome document
    // is first of all not an edition.
    assert!(matches!(
        read_edition(r#"{"format": "jobswap-outcome", "version": 9}"#),
        Err(JsonError::WrongFormat { .. })
    ));
    // An edition is not an outcome either.
    assert_eq!(
        read_outcome(VERNON),
        Err(JsonError::WrongFormat {
            found: EDITION_FORMAT.into(),
            expected: OUTCOME_FORMAT
        })
    );
    let err = read_edition(&doc(r#""format": "jobswap-edition", "version": 2,"#)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "format version 2 is not supported (this release reads version 1)"
    );
}

#[test]
fn non_objects_and_bad_json_are_refused() {
    for (text, kind) in [
        ("[]", "array"),
        ("\"edition\"", "string"),
        ("1", "number"),
        ("true", "boolean"),
        ("null", "null"),
    ] {
        assert_eq!(
            read_edition(text),
            Err(JsonError::NotAnObject { found: kind })
        );
    }
    for text in ["", "{", "{\"format\": }", "{} {}", "\u{feff}{}", "{'a': 1}"] {
        let err = read_edition(text).unwrap_err();
        assert!(matches!(err, JsonError::Syntax { .. }), "{text:?}: {err:?}");
    }
    let err = read_edition("{\n  \"format\": \"jobswap-edition\",\n  \"version\": 1,\n  oops\n}")
        .unwrap_err();
    let JsonError::Syntax { line, column, .. } = err else {
        panic!("{err:?}");
    };
    assert_eq!((line, column), (4, 3));
    // Deeper than serde_json's recursion limit: an error, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(read_edition(&deep), Err(JsonError::Syntax { .. })));
}

#[test]
fn unknown_fields_are_named_with_their_line() {
    // At the top level.
    let text = VERNON.replacen("\"agents\": [", "\"agent\": [], \"agents\": [", 1);
    let err = read_edition(&text).unwrap_err();
    let JsonError::Data { message, line, .. } = &err else {
        panic!("{err:?}");
    };
    assert!(message.contains("unknown field `agent`"), "{message}");
    let expected_line = text[..text.find("\"agent\"").unwrap()].lines().count();
    assert_eq!(*line, expected_line);
    assert!(err.to_string().contains("`agent`"));

    // Deep inside: in one agent, in one policy, in one host slot.
    for (from, to, field) in [
        ("\"job_title\"", "\"jobtitle\"", "jobtitle"),
        (
            "\"max_visits_per_agent\"",
            "\"max_visit_per_agent\"",
            "max_visit_per_agent",
        ),
        ("\"capacity\"", "\"capcity\"", "capcity"),
        ("\"continuity_cap\"", "\"continuty_cap\"", "continuty_cap"),
    ] {
        let text = VERNON.replacen(from, to, 1);
        let err = read_edition(&text).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(&format!("unknown field `{field}`")), "{msg}");
        let line = text[..text.find(to).unwrap()].lines().count();
        assert_eq!(err.position().map(|p| p.0), Some(line), "{msg}");
    }
    // In an outcome.
    let (_, o) = solved(VERNON);
    let text = write_outcome(&o).replacen("\"report\": {", "\"report\": {\"colour\": 1, ", 1);
    let err = read_outcome(&text).unwrap_err();
    assert!(err.to_string().contains("unknown field `colour`"), "{err}");
}

#[test]
fn wrong_types_and_missing_fields_are_named() {
    let missing = r#"{"format": "jobswap-edition", "version": 1, "name": "e",
        "start": "2025-03-03", "services": [], "agents": []}"#;
    let err = read_edition(missing).unwrap_err();
    assert!(err.to_string().contains("missing field `end`"), "{err}");
    let text = VERNON.replacen("\"part\": \"morning\"", "\"part\": \"evening\"", 1);
    let err = read_edition(&text).unwrap_err();
    assert!(err.to_string().contains("`evening`"), "{err}");
    let text = VERNON.replacen("\"start\": \"2025-03-03\"", "\"start\": \"2025-02-30\"", 1);
    assert!(matches!(
        read_edition(&text),
        Err(JsonError::Data { line: 5, .. })
    ));
    let text = VERNON.replacen("\"capacity\": 1", "\"capacity\": -1", 1);
    assert!(matches!(read_edition(&text), Err(JsonError::Data { .. })));
}

#[test]
fn the_seed_is_a_string_and_keeps_all_64_bits() {
    let e = Edition::new("e", d(3, 3), d(3, 7)).policy(Policy::new(Strategy::Draw).seed(u64::MAX));
    let text = write_edition(&e);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["policy"]["seed"], json!("18446744073709551615"));
    assert_eq!(read_edition(&text).unwrap().policy.seed, Seed(u64::MAX));
    assert_eq!(round_trip(&Seed(0)), json!("0"));
    assert_eq!(round_trip(&Seed(u64::MAX)), json!("18446744073709551615"));

    for bad in [
        "2025",
        "\"\"",
        "\"-1\"",
        "\"+1\"",
        "\" 1\"",
        "\"18446744073709551616\"",
        "\"1e3\"",
    ] {
        let text = VERNON.replacen("\"seed\": \"2025\"", &format!("\"seed\": {bad}"), 1);
        let err = read_edition(&text).unwrap_err();
        assert!(matches!(err, JsonError::Data { .. }), "{bad}: {err:?}");
    }

    let (_, o) = solved(VERNON);
    let v: Value = serde_json::from_str(&write_outcome(&o)).unwrap();
    assert_eq!(v["seed"], json!("2025"));
}

// ---------------------------------------------------------------------------
// Committed documents: they load today and must keep loading.

fn is_document(text: &str) -> Option<String> {
    let v: Value = serde_json::from_str(text).ok()?;
    v.get("format")?.as_str().map(str::to_owned)
}

#[test]
fn every_committed_example_loads_and_validates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    let mut read = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // Other documents (the survey answers) have their own format.
        match is_document(&text).as_deref() {
            Some(EDITION_FORMAT) => {
                let e = read_edition(&text).unwrap_or_else(|err| panic!("{name}: {err}"));
                let instance = Instance::new(e).unwrap_or_else(|err| panic!("{name}: {err:?}"));
                let outcome = instance.solve();
                assert_eq!(verify(instance.edition(), &outcome), [], "{name}");
            }
            Some(OUTCOME_FORMAT) => {
                read_outcome(&text).unwrap_or_else(|err| panic!("{name}: {err}"));
            }
            _ => continue,
        }
        read.insert(name);
    }
    for name in ["vernon.json", "tourcoing.json", "vis-mon-travail.json"] {
        assert!(read.contains(name), "{name} is missing from examples/data");
    }
}

#[test]
fn the_frozen_v1_fixture_still_loads() {
    let e = read_edition(VERNON_V1).unwrap();
    assert_eq!(e.agents.len(), 20);
    assert_eq!(e.services.len(), 5);
    assert_eq!(e.policy.seed, Seed(2025));
    Instance::new(e).unwrap();
}

#[test]
fn the_examples_match_their_field_reports() {
    let vernon = read_edition(VERNON).unwrap();
    assert_eq!(vernon.agents.len(), 20);
    assert_eq!(vernon.services.len(), 5);
    assert!(vernon.agents.iter().all(|a| a.visits && a.hosts));
    assert!(vernon.wishes.is_empty());
    assert!(vernon.services.iter().all(|s| s.continuity_cap == 1));
    assert_eq!(vernon.public_holidays, PublicHolidays::France);

    let tourcoing = read_edition(TOURCOING).unwrap();
    assert!((45..=55).contains(&tourcoing.wishes.len()));
    assert_eq!(tourcoing.agents.len(), 40);
    assert_eq!(tourcoing.services.len(), 8);
    assert!(tourcoing.wishes.iter().all(|w| (1..=3).contains(&w.rank)));
    assert!(
        tourcoing
            .wishes
            .iter()
            .any(|w| w.duration == Duration::FullDay)
    );
    assert!(tourcoing.host_slots.iter().any(|h| h.part == Part::FullDay));
    assert!(
        tourcoing
            .services
            .iter()
            .any(|s| s.confidentiality_required)
    );

    let vmt = read_edition(VIS_MON_TRAVAIL).unwrap();
    assert_eq!(vmt.agents.len(), 12);
    assert!(vmt.agents.iter().all(|a| a.visits && a.hosts));
    // Binômes: each visitor's wished service is the home service of an
    // agent who wishes the visitor's own service.
    for w in &vmt.wishes {
        let Target::Service(s) = &w.target else {
            panic!("{w:?}");
        };
        let home = &vmt
            .agents
            .iter()
            .find(|a| a.id == w.visitor)
            .unwrap()
            .service;
        assert!(vmt.wishes.iter().any(|o| {
            o.target == Target::Service(home.clone())
                && vmt
                    .agents
                    .iter()
                    .any(|a| a.id == o.visitor && a.service == *s)
        }));
    }
}

/// The fenced JSON blocks of `docs/FORMAT.md` that are documents.
fn format_md_documents() -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    let mut rest = FORMAT_MD;
    while let Some(i) = rest.find("\n```json\n") {
        let body = &rest[i + "\n```json\n".len()..];
        let end = body.find("\n```").expect("a closed block");
        let block = &body[..end];
        if let Some(format) = is_document(block) {
            out.push((format, block));
        }
        rest = &body[end..];
    }
    out
}

#[test]
fn the_documented_example_is_a_valid_edition_and_its_outcome_checks() {
    let docs = format_md_documents();
    let editions: Vec<_> = docs.iter().filter(|(f, _)| f == EDITION_FORMAT).collect();
    let outcomes: Vec<_> = docs.iter().filter(|(f, _)| f == OUTCOME_FORMAT).collect();
    assert_eq!(editions.len(), 1, "one example edition in docs/FORMAT.md");
    assert_eq!(outcomes.len(), 1, "one example outcome in docs/FORMAT.md");

    let edition = read_edition(editions[0].1).unwrap();
    assert_eq!(edition.services.len(), 3);
    assert_eq!(edition.agents.len(), 6);
    assert!(!edition.wishes.is_empty() && !edition.host_slots.is_empty());
    let instance = Instance::new(edition.clone()).unwrap();

    // The documented outcome is the one the crate computes (all but the
    // crate version that produced it), and passes the checker.
    let documented = read_outcome(outcomes[0].1).unwrap();
    assert_eq!(verify(&edition, &documented), []);
    let mut computed = instance.solve();
    computed.crate_version.clone_from(&documented.crate_version);
    assert!(
        computed == documented,
        "docs/FORMAT.md's outcome is stale; the crate now computes:\n{}",
        write_outcome(&computed)
    );
}

// ---------------------------------------------------------------------------
// No input makes the reader panic.

const FIELD_NAMES: &[&str] = &[
    "format",
    "version",
    "name",
    "start",
    "end",
    "working_weekdays",
    "closed_days",
    "public_holidays",
    "hours",
    "policy",
    "services",
    "agents",
    "wishes",
    "host_slots",
    "id",
    "service",
    "host",
    "visitor",
    "target",
    "rank",
    "duration",
    "date",
    "part",
    "half",
    "capacity",
    "continuity_cap",
    "cap_overrides",
    "slot",
    "cap",
    "max_visitors",
    "confidentiality_required",
    "visits",
    "hosts",
    "unavailable_dates",
    "unavailable_slots",
    "confidentiality_signed",
    "history",
    "edition",
    "role",
    "visited",
    "strategy",
    "seed",
    "max_visits_per_agent",
    "default_duration",
    "confidentiality",
    "pairings",
    "unplaced",
    "report",
    "bound",
    "reasons",
    "reason",
];

const STRING_VALUES: &[&str] = &[
    "jobswap-edition",
    "jobswap-outcome",
    "2025-03-03",
    "2025-02-30",
    "Mon",
    "Sunday",
    "08:30:00",
    "25:00:00",
    "draw",
    "morning",
    "afternoon",
    "full_day",
    "half_day",
    "france",
    "none",
    "required",
    "collect_before_visit",
    "visitor",
    "host",
    "2025",
    "18446744073709551616",
    "",
    "é",
];

fn arb_key() -> impl proptest::strategy::Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(FIELD_NAMES).prop_map(str::to_owned),
        1 => "[a-z_]{0,6}",
    ]
}

/// Arbitrary JSON trees, biased towards the format's own words.
fn arb_json() -> impl proptest::strategy::Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u32>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        prop::sample::select(STRING_VALUES).prop_map(Value::from),
        ".{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 96, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((arb_key(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Replaces the node reached by following `path` (indices taken modulo the
/// number of children) with `new`.
fn replace_at(v: &mut Value, path: &[usize], new: Value) {
    let Some((&i, rest)) = path.split_first() else {
        *v = new;
        return;
    };
    match v {
        Value::Object(m) if !m.is_empty() => {
            let n = m.len();
            let child = m.values_mut().nth(i % n).unwrap();
            replace_at(child, rest, new);
        }
        Value::Array(a) if !a.is_empty() => {
            let n = a.len();
            replace_at(&mut a[i % n], rest, new);
        }
        _ => *v = new,
    }
}

/// Whatever the reader returns, it returns; whatever it accepts validates
/// or is refused without a panic, and a valid edition solves.
fn read_everything(text: &str) {
    if let Ok(e) = read_edition(text) {
        assert_eq!(read_edition(&write_edition(&e)).as_ref(), Ok(&e));
        if let Ok(instance) = Instance::new(e) {
            let _ = instance.solve();
        }
    }
    if let Ok(o) = read_outcome(text) {
        assert_eq!(read_outcome(&write_outcome(&o)).as_ref(), Ok(&o));
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_json_never_panics(v in arb_json()) {
        read_everything(&v.to_string());
    }

    #[test]
    fn arbitrary_json_with_good_tags_never_panics(v in arb_json(), outcome in any::<bool>()) {
        let mut map = match v {
            Value::Object(m) => m,
            other => [("name".to_owned(), other)].into_iter().collect(),
        };
        let format = if outcome { OUTCOME_FORMAT } else { EDITION_FORMAT };
        map.insert("format".into(), json!(format));
        map.insert("version".into(), json!(FORMAT_VERSION));
        read_everything(&Value::Object(map).to_string());
    }

    #[test]
    fn damaged_examples_never_panic(
        which in 0..3usize,
        path in prop::collection::vec(any::<usize>(), 0..6),
        new in arb_json(),
    ) {
        let mut v: Value = serde_json::from_str([VERNON, TOURCOING, VIS_MON_TRAVAIL][which]).unwrap();
        replace_at(&mut v, &path, new);
        read_everything(&v.to_string());
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,64}") {
        read_everything(&text);
    }

    #[test]
    fn random_editions_and_their_outcomes_round_trip(seed in any::<u64>()) {
        let e = random_edition(seed, SMALL);
        let text = write_edition(&e);
        let read = read_edition(&text);
        prop_assert_eq!(read.as_ref(), Ok(&e));
        let o = Instance::new(e).unwrap().solve();
        let read = read_outcome(&write_outcome(&o));
        prop_assert_eq!(read.as_ref(), Ok(&o));
        // The written document is canonical: writing what was read gives
        // the same text.
        prop_assert_eq!(write_edition(&read_edition(&text).unwrap()), text);
    }
}
