//! The communication plan: reminder dates on the edition's calendar
//! (weekends, French public holidays and closed days skipped), messages
//! that match the outcome one for one, determinism, and the renderings.

// Helpers outside `#[test]` functions unwrap and panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use jobswap::calendar::{Calendar, french_public_holidays};
use jobswap::comms::{
    self, CommsOptions, CommsPlan, Lang, Message, MessageKind, Rendered, Renderer, VisitFacts,
};
use jobswap::{
    Agent, AgentId, Confidentiality, Edition, HostSlot, Instance, Outcome, Part, Policy,
    PublicHolidays, Role, Service, Strategy, Wish,
};
use proptest::prelude::*;

use crate::common::{SMALL, config, random_edition, shuffled};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn solve(e: &Edition) -> (Instance, Outcome) {
    let i = Instance::new(e.clone()).unwrap();
    let o = i.solve();
    (i, o)
}

/// One visitor, one host offering a morning on `visit`, French holidays.
fn one_visit(start: NaiveDate, end: NaiveDate, visit: NaiveDate) -> Edition {
    Edition::new("Vis mon job", start, end)
        .public_holidays(PublicHolidays::France)
        .policy(Policy::new(Strategy::Draw).seed(7))
        .service(Service::new("accueil", "Accueil de l'hôtel de ville").site("Hôtel de ville"))
        .service(Service::new("scolaire", "Vie scolaire").site("Espace Philippe-Auguste"))
        .agent(Agent::new("denise", "Denise", "accueil").visits(true))
        .agent(Agent::new("veronique", "Véronique", "scolaire").hosts(true))
        .wish(Wish::service("denise", "scolaire", 1))
        .host_slot(HostSlot::new("v", "veronique", visit, Part::Morning))
}

fn messages_of(plan: &CommsPlan, kind: MessageKind) -> Vec<&Message> {
    plan.messages().iter().filter(|m| m.kind == kind).collect()
}

/// The reminders of the single visit of `e`, after checking there are two
/// (visitor and host) on the same date.
fn reminder_of_single_visit(e: &Edition, visit: NaiveDate) -> NaiveDate {
    let (i, o) = solve(e);
    assert_eq!(o.pairings().len(), 1, "the visit is placed");
    assert_eq!(o.pairings()[0].date, visit);
    let plan = comms::plan(i.edition(), &o);
    let reminders = messages_of(&plan, MessageKind::Reminder);
    assert_eq!(reminders.len(), 2);
    assert_eq!(reminders[0].send_on, reminders[1].send_on);
    let roles: BTreeSet<_> = reminders.iter().map(|m| m.facts.role).collect();
    assert_eq!(
        roles,
        BTreeSet::from([Some(Role::Visitor), Some(Role::Host)])
    );
    assert_eq!(
        comms::reminder_date(i.edition(), i.calendar(), visit),
        reminders[0].send_on
    );
    reminders[0].send_on
}

#[test]
fn a_visit_after_easter_monday_is_reminded_on_the_friday_before() {
    let e = one_visit(d(2025, 4, 14), d(2025, 4, 30), d(2025, 4, 22));
    assert_eq!(reminder_of_single_visit(&e, d(2025, 4, 22)), d(2025, 4, 18));
}

#[test]
fn a_visit_after_bastille_day_and_a_weekend_is_reminded_on_the_friday() {
    let e = one_visit(d(2025, 7, 7), d(2025, 7, 18), d(2025, 7, 15));
    assert_eq!(reminder_of_single_visit(&e, d(2025, 7, 15)), d(2025, 7, 11));
}

#[test]
fn a_monday_visit_is_reminded_on_the_friday() {
    let e = one_visit(d(2025, 3, 3), d(2025, 3, 14), d(2025, 3, 10));
    assert_eq!(reminder_of_single_visit(&e, d(2025, 3, 10)), d(2025, 3, 7));
}

#[test]
fn a_closed_day_before_a_visit_is_skipped() {
    let e = one_visit(d(2025, 3, 3), d(2025, 3, 7), d(2025, 3, 6)).closed_day(d(2025, 3, 5));
    assert_eq!(reminder_of_single_visit(&e, d(2025, 3, 6)), d(2025, 3, 4));
    // Two closed days in a row, and a Monday visit after them: back to Friday.
    let e = one_visit(d(2025, 3, 3), d(2025, 3, 14), d(2025, 3, 12))
        .closed_day(d(2025, 3, 11))
        .closed_day(d(2025, 3, 10));
    assert_eq!(reminder_of_single_visit(&e, d(2025, 3, 12)), d(2025, 3, 7));
}

#[test]
fn a_visit_on_the_first_working_day_is_reminded_outside_the_window() {
    // The window opens on Easter Monday (closed): Tuesday 22 April is its
    // first working day; the reminder goes back over the holiday and the
    // weekend to Friday 18 April, outside the window.
    let e = one_visit(d(2025, 4, 21), d(2025, 4, 30), d(2025, 4, 22));
    assert_eq!(reminder_of_single_visit(&e, d(2025, 4, 22)), d(2025, 4, 18));
    // Without public holidays, Easter Monday would be the day before.
    let c = Calendar::of(&e.clone().public_holidays(PublicHolidays::None));
    let e_plain = e.clone().public_holidays(PublicHolidays::None);
    assert_eq!(
        comms::reminder_date(&e_plain, &c, d(2025, 4, 21)),
        d(2025, 4, 18)
    );
    // 2 January after New Year's Day: the previous working day is 31 December.
    let e = one_visit(d(2025, 1, 2), d(2025, 1, 10), d(2025, 1, 2));
    assert_eq!(reminder_of_single_visit(&e, d(2025, 1, 2)), d(2024, 12, 31));
}

#[test]
fn announcement_notification_and_survey_dates() {
    // Window from Monday 3 March 2025; the visit on Wednesday 5 March.
    let e = one_visit(d(2025, 3, 3), d(2025, 3, 7), d(2025, 3, 5));
    let (i, o) = solve(&e);
    let plan = comms::plan(i.edition(), &o);
    let date_of = |k| {
        let dates: BTreeSet<_> = messages_of(&plan, k).iter().map(|m| m.send_on).collect();
        assert_eq!(dates.len(), 1, "{k:?}");
        *dates.first().unwrap()
    };
    // 10 working days before Monday 3 March: Monday 17 February.
    assert_eq!(date_of(MessageKind::Announcement), d(2025, 2, 17));
    // 5 working days before: Monday 24 February.
    assert_eq!(date_of(MessageKind::Visit), d(2025, 2, 24));
    assert_eq!(date_of(MessageKind::Hosting), d(2025, 2, 24));
    // The first working day after the last visit.
    assert_eq!(date_of(MessageKind::SurveyInvitation), d(2025, 3, 6));

    // A last visit on the window's last day (Friday 18 April, before
    // Easter Monday): the survey goes out on Tuesday 22 April.
    let e = one_visit(d(2025, 4, 14), d(2025, 4, 18), d(2025, 4, 18));
    let (i, o) = solve(&e);
    let plan = comms::plan(i.edition(), &o);
    assert_eq!(
        date_of_kind(&plan, MessageKind::SurveyInvitation),
        d(2025, 4, 22)
    );

    // Options: the announcement 3 working days before, across a holiday
    // (window from Wednesday 23 April; Easter Monday skipped).
    let e = one_visit(d(2025, 4, 23), d(2025, 4, 30), d(2025, 4, 24));
    let (i, o) = solve(&e);
    let options = CommsOptions::default()
        .announce_working_days_before(3)
        .notify_working_days_before(8);
    let plan = CommsPlan::build(i.edition(), &o, i.calendar(), options);
    assert_eq!(
        date_of_kind(&plan, MessageKind::Announcement),
        d(2025, 4, 17)
    );
    // Individual messages never go out before the announcement.
    assert_eq!(date_of_kind(&plan, MessageKind::Visit), d(2025, 4, 17));
    let plan = CommsPlan::build(
        i.edition(),
        &o,
        i.calendar(),
        CommsOptions::default()
            .announce_working_days_before(0)
            .notify_working_days_before(0),
    );
    assert_eq!(
        date_of_kind(&plan, MessageKind::Announcement),
        d(2025, 4, 23)
    );
}

fn date_of_kind(plan: &CommsPlan, k: MessageKind) -> NaiveDate {
    let dates: BTreeSet<_> = messages_of(plan, k).iter().map(|m| m.send_on).collect();
    assert_eq!(dates.len(), 1, "{k:?}");
    *dates.first().unwrap()
}

/// Whether `date` is a working day of `e` in or around its window, decided
/// independently of the crate's search: inside the window the calendar,
/// outside weekday, closed days and French holidays.
fn is_working(e: &Edition, cal: &Calendar, date: NaiveDate) -> bool {
    if e.start <= date && date <= e.end {
        return cal.is_working_day(date);
    }
    e.working_weekdays.contains(&date.weekday())
        && !e.closed_days.contains(&date)
        && !(e.public_holidays == PublicHolidays::France
            && french_public_holidays(date.year())
                .iter()
                .any(|(h, _)| *h == date))
}

/// Every property of the plan against the edition and the outcome.
fn check_plan(e: &Edition, cal: &Calendar, o: &Outcome, plan: &CommsPlan) {
    let msgs = plan.messages();
    // Sorted by date, recipient, kind.
    for w in msgs.windows(2) {
        let k = |m: &Message| (m.send_on, m.recipient.clone(), m.kind);
        assert!(k(&w[0]) <= k(&w[1]), "sorted: {:?} then {:?}", w[0], w[1]);
    }
    let count = |recipient: &AgentId, kind: MessageKind, pred: &dyn Fn(&Message) -> bool| {
        msgs.iter()
            .filter(|m| m.recipient == *recipient && m.kind == kind && pred(m))
            .count()
    };
    // One announcement per participant, and to no one else.
    let participants: BTreeSet<&AgentId> = e
        .agents
        .iter()
        .filter(|a| a.visits || a.hosts)
        .map(|a| &a.id)
        .collect();
    let announced: Vec<&AgentId> = messages_of(plan, MessageKind::Announcement)
        .iter()
        .map(|m| &m.recipient)
        .collect();
    assert_eq!(announced.len(), participants.len());
    assert_eq!(
        announced.iter().copied().collect::<BTreeSet<_>>(),
        participants
    );

    // One visit, one hosting and two reminders per pairing; the facts are
    // the pairing's.
    let mut visit_messages = 0;
    for p in o.pairings() {
        let facts = VisitFacts::of(e, p);
        let same = |m: &Message| m.facts.visit.as_ref() == Some(&facts);
        assert_eq!(count(&p.visitor, MessageKind::Visit, &same), 1);
        assert_eq!(count(&p.host, MessageKind::Hosting, &same), 1);
        let reminder = comms::reminder_date(e, cal, p.date);
        for (who, role) in [(&p.visitor, Role::Visitor), (&p.host, Role::Host)] {
            let r: Vec<&Message> = msgs
                .iter()
                .filter(|m| {
                    m.recipient == *who
                        && m.kind == MessageKind::Reminder
                        && same(m)
                        && m.facts.role == Some(role)
                })
                .collect();
            assert_eq!(r.len(), 1);
            assert_eq!(r[0].send_on, reminder);
        }
        // The reminder is the working day just before the visit.
        assert!(reminder < p.date);
        assert!(is_working(e, cal, reminder), "{reminder} is a working day");
        let mut between = reminder.succ_opt().unwrap();
        while between < p.date {
            assert!(!is_working(e, cal, between), "{between} skipped");
            between = between.succ_opt().unwrap();
        }
        let agreements = count(&p.visitor, MessageKind::AgreementToCollect, &same);
        assert_eq!(agreements, usize::from(p.agreement_pending));
        if p.agreement_pending {
            let m = msgs
                .iter()
                .find(|m| m.kind == MessageKind::AgreementToCollect && same(m))
                .unwrap();
            assert_eq!(m.facts.due, Some(reminder));
            assert!(m.send_on <= reminder);
        }
        // The visit facts name the right people, service and times.
        assert_eq!(facts.visitor, p.visitor);
        assert_eq!(facts.host, p.host);
        assert_eq!(facts.service, p.service);
        assert_eq!(facts.date, p.date);
        let (start, end) = comms::visit_times(e, p.part);
        assert_eq!((facts.start, facts.end), (start, end));
        assert!(facts.start < facts.end);
        visit_messages += 1;
    }
    assert_eq!(messages_of(plan, MessageKind::Visit).len(), visit_messages);
    assert_eq!(
        messages_of(plan, MessageKind::Hosting).len(),
        visit_messages
    );
    assert_eq!(
        messages_of(plan, MessageKind::Reminder).len(),
        2 * visit_messages
    );
    assert_eq!(
        plan.agreements_to_collect().count(),
        o.pairings().iter().filter(|p| p.agreement_pending).count()
    );

    // The unplaced: one "not placed" with their reasons, nothing else as a
    // visitor; only a host's messages if they host.
    for u in o.unplaced() {
        let not_placed: Vec<&Message> = plan
            .for_recipient(&u.visitor)
            .filter(|m| m.kind == MessageKind::NotPlaced)
            .collect();
        assert_eq!(not_placed.len(), 1);
        let reasons: Vec<_> = not_placed[0]
            .facts
            .reasons
            .iter()
            .map(|r| r.reason.clone())
            .collect();
        assert_eq!(reasons, u.reasons);
        let hosts = o.pairings().iter().any(|p| p.host == u.visitor);
        for m in plan.for_recipient(&u.visitor) {
            match m.kind {
                MessageKind::Announcement | MessageKind::NotPlaced => {}
                MessageKind::Hosting | MessageKind::Reminder | MessageKind::SurveyInvitation
                    if hosts =>
                {
                    assert_ne!(m.facts.role, Some(Role::Visitor));
                }
                other => panic!("{} left out got a {other:?}", u.visitor),
            }
        }
    }
    assert_eq!(
        messages_of(plan, MessageKind::NotPlaced).len(),
        o.unplaced().len()
    );

    // One survey per agent who took part, after the last visit.
    let took_part: BTreeSet<&AgentId> = o
        .pairings()
        .iter()
        .flat_map(|p| [&p.visitor, &p.host])
        .collect();
    let surveys = messages_of(plan, MessageKind::SurveyInvitation);
    assert_eq!(
        surveys
            .iter()
            .map(|m| &m.recipient)
            .collect::<BTreeSet<_>>(),
        took_part
    );
    assert_eq!(surveys.len(), took_part.len());
    if let Some(last) = o.pairings().iter().map(|p| p.date).max() {
        for s in &surveys {
            assert!(s.send_on > last);
            assert!(is_working(e, cal, s.send_on));
        }
    }
    // Every message before the edition goes out before its first working
    // day, and the announcement first.
    let first = cal.days().first().copied().unwrap_or(e.start);
    let announce = messages_of(plan, MessageKind::Announcement)
        .first()
        .map(|m| m.send_on);
    for m in msgs {
        if matches!(
            m.kind,
            MessageKind::Visit | MessageKind::Hosting | MessageKind::NotPlaced
        ) {
            assert!(m.send_on < first);
            if let Some(a) = announce {
                assert!(a <= m.send_on);
            }
        }
        // Every message renders in both languages with its recipient's name.
        for lang in [Lang::Fr, Lang::En] {
            let r = m.render(lang);
            assert!(!r.subject.is_empty());
            assert!(r.body.contains(&m.facts.recipient_name), "{r:?}");
        }
    }
}

fn example(name: &str) -> Edition {
    let text = match name {
        "vernon" => include_str!("../examples/data/vernon.json"),
        "tourcoing" => include_str!("../examples/data/tourcoing.json"),
        _ => panic!("no example {name}"),
    };
    jobswap::json::read_edition(text).unwrap()
}

#[test]
fn vernon_plan_matches_its_outcome() {
    let (i, o) = solve(&example("vernon"));
    assert!(!o.pairings().is_empty());
    let plan = comms::plan(i.edition(), &o);
    check_plan(i.edition(), i.calendar(), &o, &plan);
    // Vernon: 20 agents who each visit and host once; the general mail goes
    // to all of them on Monday 17 February 2025.
    let announcements = messages_of(&plan, MessageKind::Announcement);
    assert!(announcements.iter().all(|m| m.send_on == d(2025, 2, 17)));
}

#[test]
fn tourcoing_plan_matches_its_outcome_and_lists_agreements() {
    let (i, o) = solve(&example("tourcoing"));
    let plan = comms::plan(i.edition(), &o);
    check_plan(i.edition(), i.calendar(), &o, &plan);
    assert_eq!(
        i.edition().policy.confidentiality,
        Confidentiality::CollectBeforeVisit
    );
    // Tourcoing collects the discretion agreement before the visit.
    assert!(plan.agreements_to_collect().count() > 0);
}

#[test]
fn the_plan_is_deterministic_and_independent_of_input_order() {
    for name in ["vernon", "tourcoing"] {
        let e = example(name);
        let (i, o) = solve(&e);
        let a = comms::plan(i.edition(), &o);
        let b = comms::plan(i.edition(), &o);
        assert_eq!(a, b);
        let (i2, o2) = solve(&shuffled(&e, 11));
        assert_eq!(comms::plan(i2.edition(), &o2), a, "{name}");
        // And through JSON.
        let json = serde_json::to_string(&a).unwrap();
        let back: CommsPlan = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
    }
}

#[test]
fn renderings_state_the_facts() {
    let e = one_visit(d(2025, 4, 14), d(2025, 4, 30), d(2025, 4, 22));
    let (i, o) = solve(&e);
    let plan = comms::plan(i.edition(), &o);
    let find = |k, who: &str| {
        plan.messages()
            .iter()
            .find(|m| m.kind == k && m.recipient == who)
            .unwrap()
    };
    let visit = find(MessageKind::Visit, "denise").render(Lang::Fr);
    assert_eq!(visit.subject, "Vis mon job : votre visite – Vie scolaire");
    assert!(visit.body.starts_with("Bonjour Denise,\n\n"));
    assert!(
        visit
            .body
            .contains("le mardi 22 avril 2025, le matin (08h30–12h00)")
    );
    assert!(visit.body.contains("Véronique"));
    assert!(visit.body.contains("Lieu : Espace Philippe-Auguste"));
    let hosting = find(MessageKind::Hosting, "veronique").render(Lang::En);
    assert!(
        hosting
            .body
            .contains("You will host Denise (Accueil de l'hôtel de ville)")
    );
    assert!(
        hosting
            .body
            .contains("on Tuesday 22 April 2025, in the morning (08:30–12:00)")
    );
    let reminder = find(MessageKind::Reminder, "veronique").render(Lang::Fr);
    assert!(reminder.subject.starts_with("Rappel"));
    assert!(reminder.body.contains("vous accueillez Denise"));

    // A visitor left out: the reasons, summarised.
    let e = one_visit(d(2025, 4, 14), d(2025, 4, 30), d(2025, 4, 22))
        .agent(Agent::new("zoe", "Zoé", "accueil").visits(true))
        .wish(Wish::service("zoe", "scolaire", 1));
    let (i, o) = solve(&e);
    assert_eq!(o.unplaced().len(), 1);
    let plan = comms::plan(i.edition(), &o);
    let left_out = &o.unplaced()[0].visitor;
    let kinds: Vec<MessageKind> = plan.for_recipient(left_out).map(|m| m.kind).collect();
    assert_eq!(kinds, [MessageKind::Announcement, MessageKind::NotPlaced]);
    let m = plan.for_recipient(left_out).last().unwrap();
    let fr = m.render(Lang::Fr);
    assert!(fr.subject.ends_with("pas de visite cette fois-ci"));
    assert!(
        fr.body.contains("Pourquoi :\n- Vie scolaire : "),
        "{}",
        fr.body
    );
    let en = m.render(Lang::En);
    assert!(en.body.contains("Why:\n- Vie scolaire: "), "{}", en.body);
}

#[test]
fn a_custom_renderer_replaces_only_what_it_overrides() {
    struct Short;
    impl Renderer for Short {
        fn lang(&self) -> Lang {
            Lang::En
        }
        fn reminder(&self, m: &Message) -> Rendered {
            Rendered {
                subject: "Tomorrow".into(),
                body: m.facts.recipient_name.clone(),
            }
        }
    }
    let e = one_visit(d(2025, 3, 3), d(2025, 3, 7), d(2025, 3, 5));
    let (i, o) = solve(&e);
    let plan = comms::plan(i.edition(), &o);
    for m in plan.messages() {
        let r = Short.render(m);
        if m.kind == MessageKind::Reminder {
            assert_eq!(r.subject, "Tomorrow");
        } else {
            assert_eq!(r, m.render(Lang::En));
        }
    }
}

#[test]
fn on_a_date_gives_that_days_messages() {
    let (i, o) = solve(&example("vernon"));
    let plan = comms::plan(i.edition(), &o);
    let mut by_date: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for m in plan.messages() {
        *by_date.entry(m.send_on).or_default() += 1;
    }
    for (date, n) in by_date {
        assert_eq!(plan.on(date).count(), n);
        assert!(plan.on(date).all(|m| m.send_on == date));
    }
    assert_eq!(plan.on(d(2025, 1, 1)).count(), 0);
}

#[test]
fn editions_without_working_days_still_give_a_plan() {
    // No working weekday at all: the searches give up and use plain days.
    let e = one_visit(d(2025, 3, 3), d(2025, 3, 7), d(2025, 3, 5)).working_weekdays([]);
    let cal = Calendar::of(&e);
    assert_eq!(comms::reminder_date(&e, &cal, d(2025, 3, 5)), d(2025, 3, 4));
    let (_, o) = solve(&one_visit(d(2025, 3, 3), d(2025, 3, 7), d(2025, 3, 5)));
    let plan = CommsPlan::build(&e, &o, &cal, CommsOptions::default());
    assert!(!plan.messages().is_empty());
    // A Saturday-only edition.
    let e =
        one_visit(d(2025, 3, 1), d(2025, 3, 31), d(2025, 3, 8)).working_weekdays([Weekday::Sat]);
    let cal = Calendar::of(&e);
    assert_eq!(comms::reminder_date(&e, &cal, d(2025, 3, 8)), d(2025, 3, 1));
    assert_eq!(
        comms::reminder_date(&e, &cal, d(2025, 3, 1)),
        d(2025, 2, 22)
    );
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn random_plans_match_their_outcomes(seed in any::<u64>(), holidays in any::<bool>(), closed in 0u64..4) {
        let mut e = random_edition(seed, SMALL);
        if holidays {
            e = e.public_holidays(PublicHolidays::France);
        }
        if closed > 0 && e.start < e.end {
            // A closed day inside or just before the window.
            // A closed day in the window, its offers withdrawn so that the
            // edition stays valid.
            let c = e.start + chrono::Days::new(closed - 1);
            e.host_slots.retain(|h| h.date != c);
            for s in &mut e.services {
                s.cap_overrides.retain(|o| o.slot.date != c);
            }
            e = e.closed_day(c);
        }
        let i = Instance::new(e).unwrap();
        let o = i.solve();
        let plan = comms::plan(i.edition(), &o);
        check_plan(i.edition(), i.calendar(), &o, &plan);
        prop_assert_eq!(comms::plan(i.edition(), &o), plan);
    }
}

#[test]
fn huge_offsets_are_capped_and_do_not_hang() {
    let e = one_visit(d(2025, 3, 3), d(2025, 3, 7), d(2025, 3, 5));
    let (i, o) = solve(&e);
    let options = CommsOptions::default()
        .announce_working_days_before(u32::MAX)
        .notify_working_days_before(u32::MAX);
    let plan = CommsPlan::build(i.edition(), &o, i.calendar(), options);
    let announce = date_of_kind(&plan, MessageKind::Announcement);
    assert!(
        announce < d(2019, 1, 1) && announce > d(2017, 1, 1),
        "{announce}"
    );
    assert_eq!(date_of_kind(&plan, MessageKind::Visit), announce);
}
