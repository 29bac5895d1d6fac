//! The end-of-edition survey: Vernon's published table reproduced from the
//! committed answers, largest-remainder rounding properties, every
//! offending id named on bad data, and the programme indicators.

use chrono::NaiveDate;
use jobswap::survey::{
    Answer, IndicatorCounts, Indicators, Participant, Precision, Question, QuestionId, Response,
    Share, Survey, SurveyDocument, SurveyProblem, SurveySummary, Tally, round_shares, summarise,
};
use jobswap::{Agent, AgentId, Edition, HostSlot, Instance, Part, Policy, Role, Service, Wish};
use proptest::prelude::*;

use crate::common::config;

const VERNON: &str = include_str!("../examples/data/vernon-survey.json");

fn vernon(precision: Precision) -> SurveySummary {
    let doc: SurveyDocument = serde_json::from_str(VERNON).expect("the committed file parses");
    doc.summarise(precision)
        .expect("the committed file is valid")
}

fn units(shares: &[Share]) -> Vec<u64> {
    shares.iter().map(|s| s.units).collect()
}

/// The rounded shares of a Likert question's categories (empty if the
/// question is not a Likert scale, which the callers' assertions catch).
fn likert_units(summary: &SurveySummary, question: &str) -> Vec<u64> {
    match &summary.question(question).expect("asked").overall.tally {
        Tally::Likert { categories, .. } => categories.iter().map(|c| c.share.units).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn vernon_table_reproduced_from_committed_data() {
    for precision in [Precision::WHOLE, Precision::TENTH] {
        let s = vernon(precision);
        // Taux de réponse : 90 % (18 of 20; the 2 others were away).
        assert_eq!((s.response_rate.count, s.response_rate.total), (18, 20));
        assert_eq!(s.response_rate.units, 90 * precision.units_per_percent());
        assert_eq!((s.agents_invited, s.agents_responded), (20, 18));
        assert_eq!(s.by_service.len(), 5);
        for q in &s.questions {
            assert_eq!(q.overall.respondents, 18, "{}", q.id);
        }
    }

    // Taux de satisfaction : 100 % — 94,4 % très satisfaits, 5,6 % satisfaits.
    let tenth = vernon(Precision::TENTH);
    let participation = &tenth.question("participation").expect("asked").overall;
    assert_eq!(participation.answered, 18);
    let very = participation.category("Très satisfait").expect("label");
    let satisfied = participation.category("Satisfait").expect("label");
    assert_eq!((very.count, very.total, very.units), (17, 18, 944));
    assert_eq!((satisfied.count, satisfied.units), (1, 56));
    assert_eq!(very.to_string(), "94.4 %");
    assert_eq!(satisfied.to_string(), "5.6 %");
    assert_eq!(satisfied.format(','), "5,6 %");
    let all = participation.satisfied().expect("Likert");
    assert_eq!((all.count, all.units), (18, 1000));
    assert_eq!(all.to_string(), "100.0 %");
    assert_eq!(likert_units(&tenth, "participation"), [944, 56, 0, 0]);

    // Satisfaction sur l'organisation : 94 % — 72 % très satisfaits, 22 %
    // satisfaits; the one remaining answer is 6 %, and 72 + 22 + 6 = 100.
    let whole = vernon(Precision::WHOLE);
    let organisation = &whole.question("organisation").expect("asked").overall;
    assert_eq!(likert_units(&whole, "organisation"), [72, 22, 6, 0]);
    assert_eq!(
        likert_units(&whole, "organisation").iter().sum::<u64>(),
        100
    );
    let counts: Vec<u64> = match &organisation.tally {
        Tally::Likert { categories, .. } => categories.iter().map(|c| c.share.count).collect(),
        _ => unreachable!(),
    };
    assert_eq!(counts, [13, 4, 1, 0]);
    let org_satisfied = organisation.satisfied().expect("Likert");
    assert_eq!((org_satisfied.count, org_satisfied.total), (17, 18));
    assert_eq!(org_satisfied.to_string(), "94 %");
    assert_eq!(
        organisation
            .category("Très satisfait")
            .expect("label")
            .to_string(),
        "72 %"
    );
    assert_eq!(
        organisation
            .category("Satisfait")
            .expect("label")
            .to_string(),
        "22 %"
    );

    // Une nouvelle édition ? Oui à 94,4 %.
    let again = tenth
        .question("nouvelle-edition")
        .expect("asked")
        .overall
        .yes()
        .expect("yes/no");
    assert_eq!((again.count, again.total, again.units), (17, 18, 944));
    assert_eq!(again.to_string(), "94.4 %");

    // Both roles are broken down, and astonishment reports come from both.
    let by_role = &tenth.question("participation").expect("asked").by_role;
    assert_eq!(
        by_role
            .iter()
            .map(|b| (b.role, b.respondents))
            .collect::<Vec<_>>(),
        [(Some(Role::Visitor), 9), (Some(Role::Host), 9)]
    );
    let reports = tenth
        .question("etonnement")
        .expect("asked")
        .overall
        .reports();
    assert!(reports.len() >= 3);
    assert_eq!(tenth.reports_collected() as usize, reports.len());
    assert!(reports.iter().any(|r| r.role == Role::Visitor));
    assert!(reports.iter().any(|r| r.role == Role::Host));
}

#[test]
fn vernon_survey_invites_the_agents_of_the_vernon_edition() {
    // Read as plain JSON so that this test only depends on the agents' ids
    // and services in `vernon.json`, not on the edition format.
    let edition: serde_json::Value =
        serde_json::from_str(include_str!("../examples/data/vernon.json")).expect("parses");
    let mut agents: Vec<(String, String)> = edition["agents"]
        .as_array()
        .expect("agents")
        .iter()
        .map(|a| {
            (
                a["id"].as_str().expect("id").to_owned(),
                a["service"].as_str().expect("service").to_owned(),
            )
        })
        .collect();
    agents.sort();
    let doc: SurveyDocument = serde_json::from_str(VERNON).expect("parses");
    let mut invited: Vec<(String, String)> = doc
        .survey
        .participants
        .iter()
        .map(|p| (p.agent.to_string(), p.service.to_string()))
        .collect();
    invited.sort();
    assert_eq!(invited.len(), 20);
    assert_eq!(invited, agents);
}

#[test]
fn vernon_document_round_trips_through_json() {
    let doc: SurveyDocument = serde_json::from_str(VERNON).expect("parses");
    let again: SurveyDocument =
        serde_json::from_str(&serde_json::to_string(&doc).expect("serialises")).expect("parses");
    assert_eq!(doc, again);
    let summary = vernon(Precision::TENTH);
    let back: SurveySummary =
        serde_json::from_str(&serde_json::to_string(&summary).expect("serialises"))
            .expect("parses");
    assert_eq!(summary, back);
}

#[test]
fn unknown_fields_and_bad_versions_are_refused() {
    let extra = VERNON.replacen(
        "\"format_version\": 1,",
        "\"format_version\": 1, \"extra\": 0,",
        1,
    );
    assert!(serde_json::from_str::<SurveyDocument>(&extra).is_err());
    let extra_kind = VERNON.replacen("\"satisfied_top\": 2", "\"satisfied_top\": 2, \"x\": 1", 1);
    assert!(serde_json::from_str::<SurveyDocument>(&extra_kind).is_err());
    let v2 = VERNON.replacen("\"format_version\": 1", "\"format_version\": 2", 1);
    let doc: SurveyDocument = serde_json::from_str(&v2).expect("parses");
    let err = doc
        .summarise(Precision::WHOLE)
        .expect_err("version 2 is not read");
    assert_eq!(err.problems(), [SurveyProblem::UnsupportedFormatVersion(2)]);
    assert!(serde_json::from_str::<Precision>("7").is_err());
    assert_eq!(
        serde_json::from_str::<Precision>("1").ok(),
        Some(Precision::TENTH)
    );
}

#[test]
fn invalid_data_names_every_offending_id() {
    let scale = ["Très satisfait", "Satisfait", "Pas satisfait"];
    let survey = Survey::new("bad")
        .question(Question::likert("q1", "?", scale, 2))
        .question(Question::yes_no("q2", "?"))
        .question(Question::yes_no("q2", "again?"))
        .question(Question::likert("q3", "?", scale, 4))
        .participant(Participant::new("a", Role::Visitor, "s1"))
        .participant(Participant::new("b", Role::Host, "s2"))
        .participant(Participant::new("c", Role::Visitor, "s1"))
        .participant(Participant::new("c", Role::Visitor, "s1"));
    let responses = [
        Response::new("zed", Role::Visitor),
        Response::new("b", Role::Visitor),
        Response::new("a", Role::Visitor)
            .answer(Answer::likert("q1", 0))
            .answer(Answer::likert("q9", 1)),
        Response::new("a", Role::Visitor),
        Response::new("b", Role::Host)
            .answer(Answer::likert("q1", 4))
            .answer(Answer::yes_no("q1", true)),
        Response::new("c", Role::Visitor)
            .answer(Answer::text("q2", "oui"))
            .answer(Answer::likert("q1", 2))
            .answer(Answer::likert("q1", 3)),
    ];
    let err = summarise(&survey, &responses, Precision::WHOLE).expect_err("bad data");
    let codes: Vec<(&str, Option<&str>, Option<&str>)> = err
        .problems()
        .iter()
        .map(|p| {
            (
                p.code(),
                p.participant().map(AgentId::as_str),
                p.question().map(QuestionId::as_str),
            )
        })
        .collect();
    for expected in [
        ("duplicate_question", None, Some("q2")),
        ("invalid_scale", None, Some("q3")),
        ("duplicate_participant", Some("c"), None),
        ("not_invited", Some("zed"), None),
        ("not_invited", Some("b"), None),
        ("duplicate_response", Some("a"), None),
        ("likert_out_of_range", Some("a"), Some("q1")),
        ("unknown_question", Some("a"), Some("q9")),
        ("likert_out_of_range", Some("b"), Some("q1")),
        ("duplicate_answer", Some("b"), Some("q1")),
        ("wrong_answer_kind", Some("b"), Some("q1")),
        ("wrong_answer_kind", Some("c"), Some("q2")),
        ("duplicate_answer", Some("c"), Some("q1")),
    ] {
        assert!(
            codes.contains(&expected),
            "missing {expected:?} in {codes:?}"
        );
    }
    assert_eq!(err.problems().len(), 13, "{err}");
    let names = |ids: Vec<&str>| ids.join(",");
    assert_eq!(
        names(err.participants().iter().map(|a| a.as_str()).collect()),
        "a,b,c,zed"
    );
    assert_eq!(
        names(err.questions().iter().map(|q| q.as_str()).collect()),
        "q1,q2,q3,q9"
    );
    let message = err.to_string();
    for id in ["`zed`", "`q9`", "`q3`"] {
        assert!(message.contains(id), "{message}");
    }
    // The same problems whatever the order of the responses.
    let mut reversed = responses.to_vec();
    reversed.reverse();
    assert_eq!(
        summarise(&survey, &reversed, Precision::WHOLE).expect_err("bad"),
        err
    );
}

#[test]
fn empty_groups_and_blank_text_are_not_answers() {
    let survey = Survey::new("s")
        .question(Question::likert("l", "?", ["oui", "non"], 1))
        .question(Question::free_text("t", "?"))
        .participant(Participant::new("a", Role::Visitor, "s1"))
        .participant(Participant::new("b", Role::Host, "s2"));
    let s = summarise(
        &survey,
        &[Response::new("a", Role::Visitor).answer(Answer::text("t", "  "))],
        Precision::TENTH,
    )
    .expect("valid");
    let l = s.question("l").expect("asked");
    assert_eq!(
        (
            l.overall.respondents,
            l.overall.answered,
            l.overall.skipped()
        ),
        (1, 0, 1)
    );
    assert_eq!(l.overall.satisfied().expect("Likert").to_string(), "n/a");
    assert!(s.question("t").expect("asked").overall.reports().is_empty());
    assert_eq!(s.role_rate(Role::Host).expect("invited").units, 0);
    assert_eq!(
        s.service_rate("s1").expect("invited").to_string(),
        "100.0 %"
    );
    assert_eq!(s.response_rate.to_string(), "50.0 %");
}

#[test]
fn largest_remainder_tie_break_is_documented_order() {
    // Equal remainders: the larger count first, then the earlier part.
    assert_eq!(
        units(&round_shares(&[1, 1, 1], Precision::WHOLE)),
        [34, 33, 33]
    );
    assert_eq!(
        units(&round_shares(&[1, 1, 1, 1, 1, 1], Precision::WHOLE)),
        [17, 17, 17, 17, 16, 16]
    );
    // 1/200 and 3/200 have the same remainder at whole percent (0.5): the
    // larger count wins. 1 + 3 + 196 = 200: 0.5, 1.5, 98 → 0, 2, 98.
    assert_eq!(
        units(&round_shares(&[1, 3, 196], Precision::WHOLE)),
        [0, 2, 98]
    );
    assert_eq!(units(&round_shares(&[0, 0], Precision::WHOLE)), [0, 0]);
    assert!(round_shares(&[], Precision::WHOLE).is_empty());
}

#[test]
fn indicators_from_counts_and_from_an_outcome() {
    // Tourcoing: about 50 requests, about 40 participants.
    let counts = IndicatorCounts::new()
        .requests(50)
        .wishes(120)
        .placed(40)
        .granted_by_rank([28, 9, 3])
        .participants(80)
        .hosts_volunteered(45)
        .hosts_mobilised(40)
        .reports(31);
    let ind = Indicators::from_counts(counts, Precision::WHOLE).expect("consistent");
    assert_eq!(ind.placed.to_string(), "80 %");
    assert_eq!(ind.granted.to_string(), "80 %");
    assert_eq!(units(&ind.by_rank), [70, 23, 7]);

    let bad = IndicatorCounts::new()
        .requests(3)
        .placed(4)
        .granted_by_rank([5]);
    let err = Indicators::from_counts(bad, Precision::WHOLE).expect_err("inconsistent");
    assert_eq!(err.problems().len(), 2);
    assert!(err.problems().iter().all(|p| p.code() == "count_exceeds"));

    let d = |day| NaiveDate::from_ymd_opt(2025, 3, day).expect("valid date");
    let edition = Edition::new("Vis mon job", d(3), d(7))
        .policy(Policy::new(jobswap::Strategy::Draw).seed(2025))
        .service(Service::new("accueil", "Accueil"))
        .service(Service::new("scolaire", "Vie scolaire"))
        .agent(Agent::new("denise", "Denise", "accueil").visits(true))
        .agent(Agent::new("marc", "Marc", "accueil").visits(true))
        .agent(Agent::new("veronique", "Véronique", "scolaire").hosts(true))
        .wish(Wish::service("denise", "scolaire", 1))
        .wish(Wish::service("marc", "scolaire", 1))
        .host_slot(HostSlot::new("v-04", "veronique", d(4), Part::Morning));
    let instance = Instance::new(edition).expect("valid edition");
    let outcome = instance.solve();
    let survey = vernon(Precision::WHOLE);
    let ind = Indicators::from_outcome(
        instance.edition(),
        &outcome,
        Some(&survey),
        Precision::WHOLE,
    );
    assert_eq!(ind.counts.requests, 2);
    assert_eq!(ind.counts.wishes, 2);
    assert_eq!(ind.counts.placed, outcome.pairings().len() as u32);
    assert_eq!(ind.counts.hosts_volunteered, 1);
    assert_eq!(ind.counts.reports, survey.reports_collected());
    if outcome.pairings().len() == 1 {
        assert_eq!(ind.granted.to_string(), "50 %");
        assert_eq!(ind.counts.granted_by_rank, [1]);
        assert_eq!(
            (ind.counts.participants, ind.counts.hosts_mobilised),
            (2, 1)
        );
    }
}

fn floor_ceil(count: u64, total: u64, precision: Precision) -> (u64, u64) {
    let scaled = u128::from(count) * u128::from(precision.whole());
    let t = u128::from(total);
    let floor = (scaled / t) as u64;
    (floor, floor + u64::from(scaled % t != 0))
}

fn precision_strategy() -> impl Strategy<Value = Precision> {
    (0u8..=3).prop_map(|d| Precision::new(d).expect("≤ 6"))
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn largest_remainder_sums_to_whole_within_floor_and_ceiling(
        counts in prop::collection::vec(0u32..2_000, 1..9),
        precision in precision_strategy(),
    ) {
        let shares = round_shares(&counts, precision);
        let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
        prop_assert_eq!(shares.len(), counts.len());
        if total == 0 {
            prop_assert!(shares.iter().all(|s| s.units == 0));
        } else {
            prop_assert_eq!(shares.iter().map(|s| s.units).sum::<u64>(), precision.whole());
            for (s, &c) in shares.iter().zip(&counts) {
                let (lo, hi) = floor_ceil(u64::from(c), total, precision);
                prop_assert!(s.units == lo || s.units == hi, "{c}/{total}: {} not in [{lo}, {hi}]", s.units);
                prop_assert_eq!((s.count, s.total), (u64::from(c), total));
            }
        }
        prop_assert_eq!(round_shares(&counts, precision), shares);
    }

    #[test]
    fn survey_shares_sum_to_whole_on_random_answers(
        answers in prop::collection::vec((0u32..6, any::<bool>(), any::<bool>()), 1..40),
        labels in 2usize..6,
        top in 1u32..3,
        precision in precision_strategy(),
    ) {
        // Participant i answers Likert position (a % labels) + 1, or skips
        // it when a == 5; answers yes/no; is a visitor or a host.
        let scale: Vec<String> = (1..=labels).map(|i| format!("c{i}")).collect();
        let mut survey = Survey::new("random")
            .question(Question::likert("l", "?", scale, top))
            .question(Question::yes_no("y", "?"));
        let mut responses = Vec::new();
        for (i, &(a, yes, visitor)) in answers.iter().enumerate() {
            let role = if visitor { Role::Visitor } else { Role::Host };
            let id = format!("p{i:02}");
            survey = survey.participant(Participant::new(id.as_str(), role, format!("s{}", i % 3)));
            if i % 7 == 6 {
                continue; // did not answer
            }
            let mut r = Response::new(id.as_str(), role).answer(Answer::yes_no("y", yes));
            if a < 5 {
                r = r.answer(Answer::likert("l", a % labels as u32 + 1));
            }
            responses.push(r);
        }
        let s = summarise(&survey, &responses, precision).expect("valid by construction");
        let l = s.question("l").expect("asked");
        for b in std::iter::once(&l.overall).chain(&l.by_role) {
            let Tally::Likert { categories, satisfied } = &b.tally else {
                return Err(TestCaseError::fail("not Likert"));
            };
            let sum: u64 = categories.iter().map(|c| c.share.units).sum();
            if b.answered == 0 {
                prop_assert_eq!(sum, 0);
            } else {
                prop_assert_eq!(sum, precision.whole());
                let (lo, hi) = floor_ceil(satisfied.count, satisfied.total, precision);
                prop_assert!(satisfied.units == lo || satisfied.units == hi);
                let top_count: u64 = categories.iter().take(top as usize).map(|c| c.share.count).sum();
                prop_assert_eq!(satisfied.count, top_count);
            }
        }
        let y = s.question("y").expect("asked");
        if let Tally::YesNo { yes, no } = &y.overall.tally {
            prop_assert_eq!(yes.units + no.units, precision.whole());
        }
        // Deterministic and independent of the order of the responses.
        let mut reversed = responses.clone();
        reversed.reverse();
        prop_assert_eq!(summarise(&survey, &reversed, precision).expect("valid"), s);
    }
}
