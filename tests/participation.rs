//! The participation cap in the figures: volunteers kept out by
//! `Policy::max_participations` are not counted as asking, are counted
//! apart (`Outcome::capped`), and the HTML report, the programme
//! indicators and the JSON form agree, whatever the strategy.
// Helpers outside `#[test]` functions unwrap: this is test code.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use jobswap::survey::{Indicators, Precision};
use jobswap::{
    Agent, Edition, HostSlot, Instance, Part, Participation, Policy, Role, Service, Strategy,
    UnplacedReason, Wish,
};

fn d(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, day).unwrap()
}

fn visited(service: &str) -> Participation {
    Participation {
        edition: "2024".into(),
        role: Role::Visitor,
        visited: Some(service.into()),
    }
}

/// Six volunteers of service `a` wishing `b`; `b` hosts all of them on
/// separate half-days. Volunteers 1 and 2 visited once before, volunteer 3
/// twice; volunteer 4 asked last time but was not placed (that is no
/// participation); 5 and 6 are new.
fn edition(strategy: Strategy, cap: Option<u32>) -> Edition {
    let mut policy = Policy::new(strategy).seed(7);
    if let Some(cap) = cap {
        policy = policy.max_participations(cap);
    }
    let mut e = Edition::new("Plafond", d(3), d(7))
        .policy(policy)
        .service(Service::new("a", "Accueil").continuity_cap(6))
        .service(Service::new("b", "Bibliothèque"))
        .service(Service::new("c", "CCAS"))
        .agent(Agent::new("h", "Hélène", "b").hosts(true));
    for v in 1..=6 {
        let mut agent = Agent::new(format!("v{v}"), format!("Volontaire {v}"), "a").visits(true);
        match v {
            1 | 2 => agent = agent.participation(visited("c")),
            3 => {
                agent = agent
                    .participation(visited("c"))
                    .participation(visited("c"));
            }
            4 => {
                agent = agent.participation(Participation {
                    edition: "2024".into(),
                    role: Role::Visitor,
                    visited: None,
                });
            }
            _ => {}
        }
        e = e.agent(agent).wish(Wish::service(format!("v{v}"), "b", 1));
    }
    for (i, (day, part)) in [
        (3, Part::Morning),
        (3, Part::Afternoon),
        (4, Part::Morning),
        (4, Part::Afternoon),
        (5, Part::Morning),
        (5, Part::Afternoon),
    ]
    .into_iter()
    .enumerate()
    {
        e = e.host_slot(HostSlot::new(format!("h{i}"), "h", d(day), part));
    }
    e
}

const STRATEGIES: [Strategy; 3] = [Strategy::Draw, Strategy::Optimal, Strategy::Stable];

#[test]
fn asked_leaves_out_the_capped_and_capped_counts_them() {
    for strategy in STRATEGIES {
        let instance = Instance::new(edition(strategy, None)).unwrap();
        let free = instance.solve();
        assert_eq!(
            (free.report().asked, free.report().placed, free.capped()),
            (6, 6, 0),
            "{strategy}: without a cap everyone asks and is placed"
        );

        // Cap 2: only volunteer 3 (two visits) is kept out.
        let instance = Instance::new(edition(strategy, Some(2))).unwrap();
        let o = instance.solve();
        assert!(jobswap::verify(instance.edition(), &o).is_empty());
        assert_eq!((o.report().asked, o.capped()), (5, 1), "{strategy}");
        assert_eq!(o.report().placed, 5, "{strategy}");

        // Cap 1: volunteers 1, 2 and 3 are kept out; 4 never visited.
        let instance = Instance::new(edition(strategy, Some(1))).unwrap();
        let o = instance.solve();
        assert!(jobswap::verify(instance.edition(), &o).is_empty());
        let r = o.report();
        assert_eq!((r.asked, r.placed, o.capped()), (3, 3, 3), "{strategy}");
        let capped: Vec<&str> = o
            .unplaced()
            .iter()
            .filter(|u| u.is_capped())
            .map(|u| u.visitor.as_str())
            .collect();
        assert_eq!(capped, ["v1", "v2", "v3"], "{strategy}");
        assert_eq!(
            o.reasons_for(&"v3".into()),
            &[UnplacedReason::ParticipationCapReached { participations: 2 }]
        );
        // Every volunteer is either asked or capped, never both.
        let volunteers = instance.edition().agents.iter().filter(|a| a.visits);
        assert_eq!(volunteers.count() as u32, r.asked + o.capped());
        for p in o.pairings() {
            assert!(!capped.contains(&p.visitor.as_str()));
        }
    }
}

#[test]
fn cap_zero_keeps_everyone_out_and_asks_nobody() {
    let instance = Instance::new(edition(Strategy::Draw, Some(0))).unwrap();
    let o = instance.solve();
    assert_eq!((o.report().asked, o.report().placed, o.capped()), (0, 0, 6));
    assert_eq!(o.report().first_choice_per_mille, 0);
    let html = jobswap::html::report(instance.edition(), instance.calendar(), &o);
    assert!(html.contains(">0 / 0<"));
    assert!(html.contains("Volontaires au plafond de participations (6)"));
}

#[test]
fn report_and_indicators_show_the_capped_apart() {
    let instance = Instance::new(edition(Strategy::Draw, Some(1))).unwrap();
    let o = instance.solve();
    let html = jobswap::html::report(instance.edition(), instance.calendar(), &o);
    // Headline: 3 placed out of 3 asked, nobody left out by the matching,
    // 3 at the cap.
    assert!(html.contains(">3 / 3<"), "placed / asked");
    assert!(html.contains("visiteurs placés (100,0\u{a0}%)"));
    assert!(
        html.contains("<span class=\"v\">0</span><span class=\"k\">visiteurs non placés</span>")
    );
    assert!(html.contains(
        "<span class=\"v\">3</span><span class=\"k\">volontaires au plafond de participations (non comptés)</span>"
    ));
    assert!(html.contains("Visiteurs non placés (0)"));
    assert!(html.contains("Tous les volontaires admis à cette édition ont été placés."));
    assert!(html.contains("Volontaires au plafond de participations (3)"));
    for v in 1..=3 {
        assert!(html.contains(&format!("<tr><td>Volontaire {v}</td>")));
    }
    assert_eq!(
        html.matches("le plafond de participations est atteint")
            .count(),
        3
    );

    // Without a cap, no such card or section.
    let free = Instance::new(edition(Strategy::Draw, None)).unwrap();
    let html = jobswap::html::report(free.edition(), free.calendar(), &free.solve());
    assert!(!html.contains("plafond de participations"));

    // The programme indicators count the same requests as the report.
    let ind = Indicators::from_outcome(instance.edition(), &o, None, Precision::WHOLE);
    assert_eq!(ind.counts.requests, o.report().asked);
    assert_eq!(ind.counts.placed, o.report().placed);
    assert_eq!(ind.placed.to_string(), "100 %");

    // The JSON form keeps them: a read-back outcome counts the same.
    let back = jobswap::json::read_outcome(&jobswap::json::write_outcome(&o)).unwrap();
    assert_eq!((back.report().asked, back.capped()), (3, 3));
}
