//! The HTML report: it names every pairing and service with the headline
//! figures, its tags balance, text from the data comes out escaped, two
//! renders are byte-identical (whatever order the edition lists things in),
//! an edition where nobody is placed still renders with its reasons, and a
//! big edition's heat map is cut with a note.
// Helpers outside `#[test]` functions unwrap and panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::panic)]

use chrono::NaiveDate;
use jobswap::html::{Options, escape, report, report_with};
use jobswap::{Agent, Edition, HostSlot, Instance, Outcome, Part, Service, Wish};

const VERNON: &str = include_str!("../examples/data/vernon.json");
const TOURCOING: &str = include_str!("../examples/data/tourcoing.json");

/// Elements the report may open and must close.
const PAIRED: &[&str] = &[
    "html", "head", "title", "style", "body", "main", "header", "footer", "section", "h1", "h2",
    "p", "div", "span", "b", "i", "ul", "li", "table", "colgroup", "thead", "tbody", "tr", "th",
    "td",
];
/// Void elements the report may use.
const VOID: &[&str] = &["meta", "br", "col"];

/// Checks the structure: the doctype first; every `<` starts a known tag
/// (so no `<` from the data reaches the page unescaped); every paired
/// element opened is closed, in order; nothing is left open.
fn assert_well_formed(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>\n"), "doctype");
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = &html["<!DOCTYPE html>".len()..];
    while let Some(i) = rest.find('<') {
        let tag = &rest[i + 1..];
        let (closing, tag) = match tag.strip_prefix('/') {
            Some(t) => (true, t),
            None => (false, tag),
        };
        let end = tag
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tag.len());
        let name = &tag[..end];
        let context: String = rest[i..].chars().take(60).collect();
        if closing {
            let open = stack.pop();
            assert_eq!(open, Some(name), "unbalanced </{name}> at {context:?}");
        } else if PAIRED.contains(&name) {
            stack.push(name);
        } else {
            assert!(VOID.contains(&name), "unknown or raw `<` at {context:?}");
        }
        let close = tag
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag at {context:?}"));
        let attrs = &tag[..close];
        assert!(!attrs.contains('<'), "`<` inside a tag at {context:?}");
        rest = &tag[close + 1..];
    }
    assert!(stack.is_empty(), "left open: {stack:?}");
}

fn solve(text: &str) -> (Instance, Outcome) {
    let instance = Instance::new(jobswap::json::read_edition(text).unwrap()).unwrap();
    let outcome = instance.solve();
    (instance, outcome)
}

fn render(instance: &Instance, outcome: &Outcome) -> String {
    report(instance.edition(), instance.calendar(), outcome)
}

fn d(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, day).unwrap()
}

#[test]
fn vernon_report_names_every_pairing_and_service() {
    let (instance, outcome) = solve(VERNON);
    let html = render(&instance, &outcome);
    assert_well_formed(&html);
    let e = instance.edition();
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains(&format!("<h1>{}</h1>", escape(&e.name))));
    assert!(html.contains("graine 2025"));
    let r = outcome.report();
    assert_eq!((r.placed, r.asked), (20, 20));
    assert!(html.contains(">20 / 20<"), "placed / asked");
    assert!(html.contains(&format!("Visites par date ({})", outcome.pairings().len())));
    for p in outcome.pairings() {
        let name = |id: &jobswap::AgentId| {
            let a = e.agents.iter().find(|a| a.id == *id).unwrap();
            escape(&a.name)
        };
        assert!(html.contains(&name(&p.visitor)), "{}", p.visitor);
        assert!(html.contains(&name(&p.host)), "{}", p.host);
    }
    for s in &e.services {
        let row = format!("<th class=\"svc\" title=\"{0}\">{0}</th>", escape(&s.name));
        assert!(html.contains(&row), "heat-map row of {}", s.id);
    }
    // One heat-map cell per service and half-day of the working days.
    let cells = html.matches("<i class=\"a").count();
    assert_eq!(
        cells,
        e.services.len() * instance.calendar().days().len() * 2
    );
    // A pure draw has no ranks, hence no rank column.
    assert!(!html.contains("Vœu</th>"));
    // Easter Monday is named among the closed days; no resource is fetched.
    assert!(html.contains("Lundi de Pâques"));
    for external in [
        "<script", "<link", "<img", "src=", "http://", "https://", "url(",
    ] {
        assert!(!html.contains(external), "{external}");
    }
}

#[test]
fn tourcoing_report_shows_ranks_and_reasons() {
    let (instance, outcome) = solve(TOURCOING);
    let html = render(&instance, &outcome);
    assert_well_formed(&html);
    assert!(html.contains("1er vœu"));
    assert!(html.contains("Vœu</th>"));
    assert_eq!(
        html.matches("<li>").count(),
        outcome
            .unplaced()
            .iter()
            .map(|u| u.reasons.len())
            .sum::<usize>()
    );
    for u in outcome.unplaced() {
        let a = instance
            .edition()
            .agents
            .iter()
            .find(|a| a.id == u.visitor)
            .unwrap();
        assert!(html.contains(&escape(&a.name)));
    }
}

/// A visitor and a host whose names and service names are hostile HTML.
fn hostile() -> Edition {
    Edition::new("Vis <mon> job & co", d(3), d(7))
        .service(Service::new("a", "Accueil <b>gras</b>").site("Rue \"des\" <Lilas>"))
        .service(Service::new("s", "Scolaire & 'cie'"))
        .agent(Agent::new("x", "<script>alert(1)</script> & \"Zoë\"", "a").visits(true))
        .agent(Agent::new("y", "Véro <i>", "s").hosts(true))
        .wish(Wish::service("x", "s", 1))
        .host_slot(HostSlot::new("h", "y", d(4), Part::Morning))
}

#[test]
fn report_escapes_text_from_the_data() {
    let instance = Instance::new(hostile()).unwrap();
    let outcome = instance.solve();
    assert_eq!(outcome.pairings().len(), 1);
    let html = render(&instance, &outcome);
    assert_well_formed(&html);
    assert!(!html.contains("<script"));
    assert!(!html.contains("<b>gras"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Zoë&quot;"));
    assert!(html.contains("Accueil &lt;b&gt;gras&lt;/b&gt;"));
    assert!(html.contains("Scolaire &amp; &#39;cie&#39;"));
    assert!(html.contains("Rue &quot;des&quot; &lt;Lilas&gt;"));
    assert!(html.contains("<title>Vis &lt;mon&gt; job &amp; co"));
}

#[test]
fn report_is_deterministic_whatever_the_input_order() {
    let (instance, outcome) = solve(TOURCOING);
    let first = render(&instance, &outcome);
    assert_eq!(first, render(&instance, &outcome));

    let mut e = instance.edition().clone();
    e.services.reverse();
    e.agents.reverse();
    e.wishes.reverse();
    e.host_slots.reverse();
    let shuffled = Instance::new(e).unwrap();
    let again = shuffled.solve();
    assert_eq!(again.pairings(), outcome.pairings());
    assert_eq!(first, render(&shuffled, &again));
}

#[test]
fn nobody_placed_still_renders_with_reasons() {
    // The only host slot is in the visitor's own service; the wished
    // service offers nothing; the second visitor wishes nothing.
    let e = Edition::new("Personne", d(3), d(7))
        .service(Service::new("a", "Accueil"))
        .service(Service::new("s", "Scolaire"))
        .agent(Agent::new("x", "Xavier", "a").visits(true))
        .agent(Agent::new("z", "Zoé", "a").visits(true))
        .agent(Agent::new("y", "Yvonne", "s").hosts(true))
        .agent(Agent::new("h", "Hélène", "a").hosts(true))
        .wish(Wish::service("x", "s", 1))
        .host_slot(HostSlot::new("h1", "h", d(4), Part::Morning));
    let instance = Instance::new(e).unwrap();
    let outcome = instance.solve();
    assert!(outcome.pairings().is_empty());
    assert_eq!(outcome.unplaced().len(), 2);
    let html = render(&instance, &outcome);
    assert_well_formed(&html);
    assert!(html.contains(">0 / 2<"));
    assert!(html.contains("Aucune visite n’a été placée."));
    assert!(html.contains("Aucune visite programmée."));
    assert!(html.contains("Visiteurs non placés (2)"));
    assert!(html.contains("Xavier") && html.contains("Zoé"));
    for u in outcome.unplaced() {
        assert!(!u.reasons.is_empty());
    }
    // Every reason is a French sentence, not a Debug dump.
    assert_eq!(html.matches("<li>").count(), 2, "{html}");
    assert!(html.contains("Pour le service «\u{a0}Scolaire\u{a0}» : aucun créneau"));
    assert!(html.contains("Aucun vœu exprimé"));
    assert!(!html.contains("NoHostSlot") && !html.contains("NothingOffered"));
}

#[test]
fn big_edition_heat_map_is_cut_with_a_note() {
    let mut e = Edition::new("Grande", d(3), d(7));
    for s in 0..60 {
        e = e
            .service(Service::new(format!("s{s:02}"), format!("Service {s:02}")))
            .agent(
                Agent::new(
                    format!("a{s:02}"),
                    format!("Agent {s:02}"),
                    format!("s{s:02}"),
                )
                .visits(true)
                .hosts(true),
            )
            .host_slot(HostSlot::new(
                format!("h{s:02}"),
                format!("a{s:02}"),
                d(4),
                Part::Morning,
            ));
    }
    let instance = Instance::new(e).unwrap();
    let outcome = instance.solve();
    let html = report_with(
        instance.edition(),
        instance.calendar(),
        &outcome,
        &Options::default().max_services(25),
    );
    assert_well_formed(&html);
    assert!(html.contains("25 services sur 60 sont affichés"));
    assert_eq!(html.matches("<th class=\"svc\" title=").count(), 25);
    // The load table still lists all of them.
    for s in 0..60 {
        assert!(html.contains(&format!("<tr><td>Service {s:02}</td>")));
    }
}
