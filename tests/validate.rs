//! Validation: random valid editions pass; each kind of mistake injected
//! alone comes back as exactly its problem, naming the right ids; a fixture
//! with many mistakes gets all of them back at once; the error does not
//! depend on the order of the input lists; no input makes it panic.
// Generators and helpers outside `#[test]` fns unwrap what they built.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use jobswap::calendar::Calendar;
use jobswap::validate::{MAX_COUNT, MAX_WISHES, OffendingId, validate};
use jobswap::{
    Agent, AgentId, CapOverride, Duration, Edition, HalfDay, HostSlot, Part, Participation, Policy,
    PublicHolidays, Role, Service, Slot, Target, ValidationError, Wish,
};
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// Generators (kept here rather than in `tests/common` on purpose: they aim at
// validation's corners: long windows, weekday subsets, holidays, closed days,
// overrides, unavailability outside the window).

/// splitmix64: a failing case reproduces from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// In `0..n`; 0 when `n` is 0.
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// Proptest settings: `PROPTEST_CASES` (default 64), no shrinking on CI.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        max_shrink_iters: if std::env::var_os("CI").is_some() {
            0
        } else {
            1024
        },
        ..ProptestConfig::default()
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn plus(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap()
}

fn minus(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(n)).unwrap()
}

const PARTS: [Part; 3] = [Part::Morning, Part::Afternoon, Part::FullDay];
const WEEKDAYS: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

/// A random valid edition with `services` services (≥ 2), `agents` agents
/// (≥ 1) over a window of `days` days (≥ 7, so that it holds a weekend:
/// working weekdays are a subset of Monday to Friday). Agent `ag-0` always
/// volunteers to visit and has at least one wish.
fn valid_edition(services: usize, agents: usize, days: u64, seed: u64) -> Edition {
    let mut g = Rng(seed);
    let start = plus(date(2025, 1, 1), g.below(365) as u64);
    let end = plus(start, days - 1);
    let mask = 1 + g.below(31);
    let mut weekdays: Vec<Weekday> = WEEKDAYS
        .iter()
        .enumerate()
        .filter(|&(i, _)| mask >> i & 1 == 1)
        .map(|(_, &w)| w)
        .collect();
    g.shuffle(&mut weekdays);
    let policy = Policy::new(jobswap::Strategy::Draw)
        .seed(g.next())
        .max_visits_per_agent(1 + g.below(3) as u32);
    let mut e = Edition::new(format!("random {seed}"), start, end)
        .working_weekdays(weekdays)
        .policy(policy);
    if g.chance(40) {
        e.public_holidays = PublicHolidays::France;
    }
    for _ in 0..g.below(4) {
        // Closed days, possibly outside the window or repeated: harmless.
        e.closed_days
            .push(plus(start, g.below(days as usize + 5) as u64));
    }
    if Calendar::of(&e).days().is_empty() {
        e.closed_days.clear();
        e.public_holidays = PublicHolidays::None;
    }
    let working = Calendar::of(&e).days().to_vec();
    assert!(!working.is_empty(), "a 7-day window holds every weekday");

    for s in 0..services {
        let mut svc = Service::new(format!("svc-{s}"), format!("Service {s}"))
            .continuity_cap(g.below(4) as u32)
            .confidentiality_required(g.chance(20));
        if g.chance(30) {
            svc = svc.max_visitors(1 + g.below(5) as u32);
        }
        let mut used = BTreeSet::new();
        for _ in 0..g.below(3) {
            let slot = Slot::new(working[g.below(working.len())], HalfDay::BOTH[g.below(2)]);
            if used.insert(slot) {
                svc = svc.cap_override(slot, g.below(4) as u32);
            }
        }
        e.services.push(svc);
    }
    for a in 0..agents {
        let s = g.below(services);
        let mut ag = Agent::new(format!("ag-{a}"), format!("Agent {a}"), format!("svc-{s}"))
            .visits(a == 0 || g.chance(70))
            .hosts(g.chance(50))
            .confidentiality_signed(g.chance(50));
        for _ in 0..g.below(3) {
            // Unavailability anywhere, even outside the window: harmless.
            let d = plus(minus(start, 5), g.below(days as usize + 10) as u64);
            if g.chance(50) {
                ag = ag.unavailable_date(d);
            } else {
                ag = ag.unavailable_slot(Slot::new(d, HalfDay::BOTH[g.below(2)]));
            }
        }
        if g.chance(20) {
            ag = ag.participation(Participation {
                edition: "2024".into(),
                role: if g.chance(50) {
                    Role::Visitor
                } else {
                    Role::Host
                },
                visited: if g.chance(70) {
                    Some(format!("svc-{}", g.below(services)).into())
                } else {
                    None
                },
            });
        }
        if ag.hosts {
            for j in 0..g.below(4) {
                e.host_slots.push(
                    HostSlot::new(
                        format!("hs-{a}-{j}"),
                        format!("ag-{a}"),
                        working[g.below(working.len())],
                        PARTS[g.below(3)],
                    )
                    .capacity(1 + g.below(3) as u32),
                );
            }
        }
        e.agents.push(ag);
    }
    // Wishes over other services and hosts of other services, ranked 1..n.
    for a in 0..agents {
        let (visits, service) = {
            let ag = &e.agents[a];
            (ag.visits, ag.service.clone())
        };
        if !visits {
            continue;
        }
        let mut targets: Vec<Target> = e
            .services
            .iter()
            .filter(|s| s.id != service)
            .map(|s| Target::Service(s.id.clone()))
            .chain(
                e.agents
                    .iter()
                    .filter(|h| h.hosts && h.service != service)
                    .map(|h| Target::Host(h.id.clone())),
            )
            .collect();
        g.shuffle(&mut targets);
        let n = g.below(targets.len().min(4) + 1).max(usize::from(a == 0));
        for (r, t) in targets.into_iter().take(n).enumerate() {
            let mut w = Wish::service(format!("ag-{a}"), "x", r as u32 + 1);
            w.target = t;
            if g.chance(30) {
                w = w.duration(Duration::FullDay);
            }
            e.wishes.push(w);
        }
    }
    e
}

/// The same edition with every input list shuffled.
fn shuffled(e: &Edition, seed: u64) -> Edition {
    let mut g = Rng(seed);
    let mut e = e.clone();
    g.shuffle(&mut e.working_weekdays);
    g.shuffle(&mut e.closed_days);
    g.shuffle(&mut e.services);
    g.shuffle(&mut e.agents);
    //g.shuffle(&mut e.wishes);
    g.shuffle(&mut e.host_slots);
    for s in &mut e.services {
        g.shuffle(&mut s.cap_overrides);
    }
    for a in &mut e.agents {
        g.shuffle(&mut a.unavailable_dates);
        g.shuffle(&mut a.unavailable_slots);
        g.shuffle(&mut a.history);
    }
    e
}

// ---------------------------------------------------------------------------
// Mistakes

/// One kind of mistake per problem code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mistake {
    EndBeforeStart,
    WindowTooLong,
    EmptyWindow,
    NoWorkingWeekday,
    HoursOutOfOrder,
    MaxVisitsPerAgentOutOfRange,
    UnknownPriorityAgent,
    AgentInSeveralTiers,
    EmptyServiceId,
    DuplicateService,
    ContinuityCapOutOfRange,
    MaxVisitorsOutOfRange,
    CapOverrideOutOfRange,
    CapOverrideOutsideWindow,
    CapOverrideNotWorkingDay,
    DuplicateCapOverride,
    EmptyAgentId,
    DuplicateAgent,
    UnknownAgentService,
    UnknownHistoryService,
    UnknownWishVisitor,
    UnknownWishService,
    UnknownWishHost,
    WishForOwnService,
    HostWishForOwnService,
    HostWishForSelf,
    HostWishForNonHost,
    WishByNonVisitor,
    DuplicateWishTarget,
    RanksNotConsecutive,
    TooManyWishes,
    EmptyHostSlotId,
    DuplicateHostSlot,
    UnknownHostSlotHost,
    HostSlotByNonHost,
    HostSlotOutsideWindow,
    HostSlotNotWorkingDay,
    HostSlotZeroCapacity,
    HostSlotCapacityOutOfRange,
}

const ALL_MISTAKES: [Mistake; 39] = {
    use Mistake as M;
    [
        M::EndBeforeStart,
        M::WindowTooLong,
        M::EmptyWindow,
        M::NoWorkingWeekday,
        M::HoursOutOfOrder,
        M::MaxVisitsPerAgentOutOfRange,
        M::UnknownPriorityAgent,
        M::AgentInSeveralTiers,
        M::EmptyServiceId,
        M::DuplicateService,
        M::ContinuityCapOutOfRange,
        M::MaxVisitorsOutOfRange,
        M::CapOverrideOutOfRange,
        M::CapOverrideOutsideWindow,
        M::CapOverrideNotWorkingDay,
        M::DuplicateCapOverride,
        M::EmptyAgentId,
        M::DuplicateAgent,
        M::UnknownAgentService,
        M::UnknownHistoryService,
        M::UnknownWishVisitor,
        M::UnknownWishService,
        M::UnknownWishHost,
        M::WishForOwnService,
        M::HostWishForOwnService,
        M::HostWishForSelf,
        M::HostWishForNonHost,
        M::WishByNonVisitor,
        M::DuplicateWishTarget,
        M::RanksNotConsecutive,
        M::TooManyWishes,
        M::EmptyHostSlotId,
        M::DuplicateHostSlot,
        M::UnknownHostSlotHost,
        M::HostSlotByNonHost,
        M::HostSlotOutsideWindow,
        M::HostSlotNotWorkingDay,
        M::HostSlotZeroCapacity,
        M::HostSlotCapacityOutOfRange,
    ]
};

/// The code a mistake must come back as: its name in snake case.
fn expected_code(m: Mistake) -> String {
    let name = format!("{m:?}");
    let mut code = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                code.push('_');
            }
            code.push(c.to_ascii_lowercase());
        } else {
            code.push(c);
        }
    }
    code
}

fn agent(id: &str) -> OffendingId {
    OffendingId::Agent(id.into())
}
fn service(id: &str) -> OffendingId {
    OffendingId::Service(id.into())
}
fn host_slot(id: &str) -> OffendingId {
    OffendingId::HostSlot(id.into())
}

/// A working day of the edition, and a day of its window that is not one.
fn working_and_not(e: &Edition) -> (NaiveDate, NaiveDate) {
    let cal = Calendar::of(e);
    let working = cal.days()[0];
    let mut d = e.start;
    while cal.is_working_day(d) {
        d = plus(d, 1);
    }
    assert!(d <= e.end, "the window holds a weekend");
    (working, d)
}

/// Adds a fresh agent and returns its id.
fn add_agent(e: &mut Edition, id: &str, service: &str, visits: bool, hosts: bool) -> String {
    e.agents
        .push(Agent::new(id, id, service).visits(visits).hosts(hosts));
    id.to_owned()
}

/// Injects one mistake into a valid edition built by [`valid_edition`];
/// returns the ids the problem must name.
fn inject(e: &mut Edition, m: Mistake) -> Vec<OffendingId> {
    use Mistake as M;
    let (working, idle) = working_and_not(e);
    let after_end = plus(e.end, 1);
    let v0 = "ag-0";
    let s0 = e.agents[0].service.to_string();
    let other = e
        .services
        .iter()
        .map(|s| s.id.to_string())
        .find(|s| *s != s0)
        .unwrap();
    let n0 = e.wishes.iter().filter(|w| w.visitor.as_str() == v0).count() as u32;
    let svc0 = e.services[0].id.to_string();
    match m {
        M::EndBeforeStart => {
            e.end = minus(e.start, 1);
            vec![]
        }
        M::WindowTooLong => {
            e.end = plus(e.start, 400);
            vec![]
        }
        M::EmptyWindow => {
            let days = Calendar::of(e).days().to_vec();
            e.closed_days.extend(days);
            vec![]
        }
        M::NoWorkingWeekday => {
            e.working_weekdays.clear();
            vec![]
        }
        M::HoursOutOfOrder => {
            std::mem::swap(&mut e.hours.morning_start, &mut e.hours.morning_end);
            vec![]
        }
        M::MaxVisitsPerAgentOutOfRange => {
            e.policy.max_visits_per_agent = if e.start.day0() % 2 == 0 { 0 } else { 733 };
            vec![]
        }
        M::UnknownPriorityAgent => {
            // Named twice (in the stable priority and in a tier): reported once.
            e.policy.priority.push("ghost-prio".into());
            if e.start.day0() % 2 == 0 {
                e.policy.tiers.push(vec!["ghost-prio".into()]);
            }
            vec![agent("ghost-prio")]
        }
        M::AgentInSeveralTiers => {
            // Twice in one tier is harmless; in two tiers it is not.
            e.policy.tiers.push(vec![v0.into()]);
            e.policy.tiers.push(vec![v0.into(), v0.into()]);
            vec![agent(v0)]
        }
        M::EmptyServiceId => {
            e.services.push(Service::new("", "Nameless"));
            vec![]
        }
        M::DuplicateService => {
            let s = e.services[e.services.len() - 1].clone();
            e.services.push(s);
            vec![service(&format!("svc-{}", e.services.len() - 2))]
        }
        M::ContinuityCapOutOfRange => {
            e.services[0].continuity_cap = MAX_COUNT + 1;
            vec![service(&svc0)]
        }
        M::MaxVisitorsOutOfRange => {
            e.services[0].max_visitors = Some(0);
            vec![service(&svc0)]
        }
        M::CapOverrideOutOfRange => {
            let s = &mut e.services[0];
            if let Some(o) = s.cap_overrides.first_mut() {
                o.cap = MAX_COUNT + 1;
            } else {
                s.cap_overrides.push(CapOverride {
                    slot: Slot::new(working, HalfDay::Morning),
                    cap: u32::MAX,
                });
            }
            vec![service(&svc0)]
        }
        M::CapOverrideOutsideWindow => {
            e.services[0].cap_overrides.push(CapOverride {
                slot: Slot::new(after_end, HalfDay::Afternoon),
                cap: 1,
            });
            vec![service(&svc0)]
        }
        M::CapOverrideNotWorkingDay => {
            e.services[0].cap_overrides.push(CapOverride {
                slot: Slot::new(idle, HalfDay::Morning),
                cap: 0,
            });
            vec![service(&svc0)]
        }
        M::DuplicateCapOverride => {
            let s = &mut e.services[0];
            match s.cap_overrides.first().copied() {
                Some(o) => s.cap_overrides.push(CapOverride { cap: 3, ..o }),
                None => {
                    for cap in [0, 2] {
                        s.cap_overrides.push(CapOverride {
                            slot: Slot::new(working, HalfDay::Afternoon),
                            cap,
                        });
                    }
                }
            }
            vec![service(&svc0)]
        }
        M::EmptyAgentId => {
            add_agent(e, "", &s0, false, false);
            vec![]
        }
        M::DuplicateAgent => {
            let a = e.agents[0].clone().hosts(true).visits(false);
            e.agents.push(a);
            vec![agent(v0)]
        }
        M::UnknownAgentService => {
            let id = add_agent(e, "zz-new", "zz-nowhere", true, true);
            vec![agent(&id), service("zz-nowhere")]
        }
        M::UnknownHistoryService => {
            e.agents[0].history.push(Participation {
                edition: "2019".into(),
                role: Role::Visitor,
                visited: Some("zz-gone".into()),
            });
            vec![agent(v0), service("zz-gone")]
        }
        M::UnknownWishVisitor => {
            e.wishes.push(Wish::service("zz-ghost", svc0, 1));
            e.wishes.push(Wish::service("zz-ghost", "svc-1", 7));
            vec![agent("zz-ghost")]
        }
        M::UnknownWishService => {
            e.wishes.push(Wish::service(v0, "zz-nowhere", n0 + 1));
            vec![agent(v0), service("zz-nowhere")]
        }
        M::UnknownWishHost => {
            e.wishes.push(Wish::host(v0, "zz-ghost", n0 + 1));
            vec![agent(v0), agent("zz-ghost")]
        }
        M::WishForOwnService => {
            e.wishes.push(Wish::service(v0, s0.as_str(), n0 + 1));
            vec![agent(v0), service(&s0)]
        }
        M::HostWishForOwnService => {
            let h = add_agent(e, "zz-colleague", &s0, false, true);
            e.wishes.push(Wish::host(v0, h.as_str(), n0 + 1));
            vec![agent(v0), agent(&h), service(&s0)]
        }
        M::HostWishForSelf => {
            e.wishes.push(Wish::host(v0, v0, n0 + 1));
            vec![agent(v0)]
        }
        M::HostWishForNonHost => {
            let h = add_agent(e, "zz-shy", &other, true, false);
            e.wishes.push(Wish::host(v0, h.as_str(), n0 + 1));
            vec![agent(v0), agent(&h)]
        }
        M::WishByNonVisitor => {
            e.agents[0].visits = false;
            vec![agent(v0)]
        }
        M::DuplicateWishTarget => {
            let first = e
                .wishes
                .iter()
                .find(|w| w.visitor.as_str() == v0)
                .unwrap()
                .clone();
            let id = match &first.target {
                Target::Service(s) => service(s.as_str()),
                Target::Host(h) => agent(h.as_str()),
            };
            let mut again = first;
            again.rank = n0 + 1;
            e.wishes.push(again);
            vec![agent(v0), id]
        }
        M::RanksNotConsecutive => {
            let last = e
                .wishes
                .iter_mut()
                .filter(|w| w.visitor.as_str() == v0)
                .max_by_key(|w| w.rank)
                .unwrap();
            last.rank += 1;
            vec![agent(v0)]
        }
        M::TooManyWishes => {
            for i in 0..MAX_WISHES as u32 {
                let id = format!("zz-extra-{i:04}");
                e.services.push(Service::new(id.as_str(), "Extra"));
                e.wishes.push(Wish::service(v0, id, n0 + 1 + i));
            }
            vec![agent(v0)]
        }
        M::EmptyHostSlotId => {
            let h = add_agent(e, "zz-host", &s0, false, true);
            e.host_slots
                .push(HostSlot::new("", h, working, Part::FullDay));
            vec![]
        }
        M::DuplicateHostSlot => {
            let h = add_agent(e, "zz-host", &s0, false, true);
            for part in [Part::Morning, Part::Afternoon] {
                e.host_slots
                    .push(HostSlot::new("zz-hs", h.as_str(), working, part));
            }
            vec![host_slot("zz-hs")]
        }
        M::UnknownHostSlotHost => {
            e.host_slots
                .push(HostSlot::new("zz-hs", "zz-ghost", working, Part::Morning));
            vec![host_slot("zz-hs"), agent("zz-ghost")]
        }
        M::HostSlotByNonHost => {
            let h = add_agent(e, "zz-shy", &s0, true, false);
            e.host_slots
                .push(HostSlot::new("zz-hs", h.as_str(), working, Part::Morning));
            vec![host_slot("zz-hs"), agent(&h)]
        }
        M::HostSlotOutsideWindow => {
            let h = add_agent(e, "zz-host", &s0, false, true);
            let d = if e.start.day0() % 2 == 0 {
                after_end
            } else {
                minus(e.start, 1)
            };
            e.host_slots
                .push(HostSlot::new("zz-hs", h, d, Part::Afternoon));
            vec![host_slot("zz-hs")]
        }
        M::HostSlotNotWorkingDay => {
            let h = add_agent(e, "zz-host", &s0, false, true);
            e.host_slots
                .push(HostSlot::new("zz-hs", h, idle, Part::FullDay));
            vec![host_slot("zz-hs")]
        }
        M::HostSlotZeroCapacity => {
            let h = add_agent(e, "zz-host", &s0, false, true);
            e.host_slots
                .push(HostSlot::new("zz-hs", h, working, Part::Morning).capacity(0));
            vec![host_slot("zz-hs")]
        }
        M::HostSlotCapacityOutOfRange => {
            let h = add_agent(e, "zz-host", &s0, false, true);
            e.host_slots
                .push(HostSlot::new("zz-hs", h, working, Part::Morning).capacity(MAX_COUNT + 1));
            vec![host_slot("zz-hs")]
        }
    }
}

/// `(services, agents, days, seed)` of a random valid edition.
fn edition_params() -> impl Strategy<Value = (usize, usize, u64, u64)> {
    (2usize..=5, 1usize..=12, 7u64..=60, any::<u64>())
}

fn summary(err: &ValidationError) -> Vec<(&'static str, Vec<OffendingId>)> {
    err.problems().iter().map(|p| (p.code(), p.ids())).collect()
}

proptest! {
    #![proptest_config(config())]

    /// Random valid editions validate cleanly, in any order.
    #[test]
    fn random_valid_editions_validate((s, a, d, seed) in edition_params(), order in any::<u64>()) {
        let e = valid_edition(s, a, d, seed);
        prop_assert_eq!(validate(&e), Ok(()));
        prop_assert_eq!(validate(&shuffled(&e, order)), Ok(()));
    }

    /// One injected mistake comes back as exactly its problem, naming the
    /// right ids, and nothing else.
    #[test]
    fn one_mistake_gives_exactly_its_problem(
        (s, a, d, seed) in edition_params(),
        mistake in prop::sample::select(ALL_MISTAKES.to_vec()),
    ) {
        let mut e = valid_edition(s, a, d, seed);
        let ids = inject(&mut e, mistake);
        let err = validate(&e).expect_err("a mistake was injected");
        let code = expected_code(mistake);
        prop_assert_eq!(
            summary(&err),
            vec![(code.as_str(), ids.clone())],
            "{}", err
        );
        prop_assert_eq!(err.offending_ids(), ids.into_iter().collect::<BTreeSet<_>>().into_iter().collect::<Vec<_>>());
    }

    /// Several mistakes at once: the error is identical whatever the order
    /// of every input list, sorted by code then ids, without repeats.
    #[test]
    fn error_is_independent_of_input_order(
        (s, a, d, seed) in edition_params(),
        mistakes in prop::collection::vec(prop::sample::select(ALL_MISTAKES.to_vec()), 1..6),
        order in any::<u64>(),
    ) {
        let mut e = valid_edition(s, a, d, seed);
        let mut done = Vec::new();
        for &m in &mistakes {
            // Each kind once (injecting some twice undoes them, e.g. swapped
            // hours swapped back), on the edition as it now stands (later
            // ones may reuse fresh ids, which only adds duplicates);
            // `inject` needs a sound window to find its dates.
            if done.contains(&m) {
                continue;
            }
            done.push(m);
            if Calendar::of(&e).days().is_empty() || e.end < e.start {
                break;
            }
            let _ = inject(&mut e, m);
        }
        let err = validate(&e).expect_err("mistakes were injected");
        let again = validate(&shuffled(&e, order)).expect_err("the same mistakes");
        prop_assert_eq!(&err, &again);
        prop_assert_eq!(err.to_string(), again.to_string());
        let mut sorted = err.problems().to_vec();
        sorted.sort_by(|x, y| (x.code(), x.ids()).cmp(&(y.code(), y.ids())).then_with(|| x.cmp(y)));
        sorted.dedup();
        prop_assert_eq!(err.problems(), &sorted[..], "sorted by code, then ids, without repeats");
    }

    /// Any input, however wild: `Ok` or `Err`, never a panic, and the same
    /// answer whatever the order (even when duplicated ids disagree).
    #[test]
    fn arbitrary_input_never_panics(seed in any::<u64>(), order in any::<u64>()) {
        let e = wild_edition(seed);
        let result = validate(&e);
        if let Err(err) = &result {
            prop_assert!(!err.problems().is_empty());
            prop_assert!(!err.to_string().is_empty());
        }
        prop_assert_eq!(validate(&shuffled(&e, order)), result);
    }
}

/// An edition with ids from a tiny alphabet (so they collide and dangle),
/// dates anywhere chrono allows, numbers anywhere in `u32`.
fn wild_edition(seed: u64) -> Edition {
    let mut g = Rng(seed);
    let ids = ["", "a", "b", "c"];
    let pick = |g: &mut Rng| ids[g.below(ids.len())].to_owned();
    let dates = [
        NaiveDate::MIN,
        NaiveDate::MAX,
        date(2025, 3, 1),
        date(2025, 3, 3),
        date(2025, 3, 8),
        date(2025, 12, 31),
        date(2026, 1, 1),
    ];
    let day = |g: &mut Rng| {
        let base = dates[g.below(dates.len())];
        if g.chance(50) {
            base.checked_add_days(Days::new(g.below(400) as u64))
                .unwrap_or(base)
        } else {
            base
        }
    };
    let num = |g: &mut Rng| match g.below(4) {
        0 => 0,
        1 => u32::MAX,
        2 => MAX_COUNT + 1,
        _ => g.below(4) as u32,
    };
    let start = day(&mut g);
    let end = day(&mut g);
    let mut e = Edition::new("wild", start, end);
    e.working_weekdays = (0..g.below(8))
        .map(|_| Weekday::try_from(g.below(7) as u8).unwrap())
        .collect();
    if g.chance(50) {
        e.public_holidays = PublicHolidays::France;
    }
    for _ in 0..g.below(3) {
        e.closed_days.push(day(&mut g));
    }
    e.policy.max_visits_per_agent = num(&mut g);
    for _ in 0..g.below(4) {
        let mut s = Service::new(pick(&mut g), "s").continuity_cap(num(&mut g));
        if g.chance(50) {
            s = s.max_visitors(num(&mut g));
        }
        for _ in 0..g.below(3) {
            s = s.cap_override(
                Slot::new(day(&mut g), HalfDay::BOTH[g.below(2)]),
                num(&mut g),
            );
        }
        e.services.push(s);
    }
    for _ in 0..g.below(5) {
        let mut a = Agent::new(pick(&mut g), "a", pick(&mut g))
            .visits(g.chance(50))
            .hosts(g.chance(50))
            .unavailable_date(day(&mut g));
        if g.chance(50) {
            a = a.participation(Participation {
                edition: String::new(),
                role: Role::Visitor,
                visited: Some(pick(&mut g).into()),
            });
        }
        e.agents.push(a);
    }
    for _ in 0..g.below(8) {
        let w = if g.chance(50) {
            Wish::service(pick(&mut g), pick(&mut g), num(&mut g))
        } else {
            Wish::host(pick(&mut g), pick(&mut g), num(&mut g))
        };
        e.wishes.push(w);
    }
    for _ in 0..g.below(4) {
        e.host_slots.push(
            HostSlot::new(pick(&mut g), pick(&mut g), day(&mut g), PARTS[g.below(3)])
                .capacity(num(&mut g)),
        );
    }
    e
}

#[test]
fn every_code_has_a_mistake_kind() {
    let codes: BTreeSet<String> = ALL_MISTAKES.iter().map(|&m| expected_code(m)).collect();
    assert_eq!(codes.len(), ALL_MISTAKES.len());
    // Each kind, injected into one fixed edition, gives its code (so the
    // names above are real codes, not only what the proptest expects).
    for &m in &ALL_MISTAKES {
        let mut e = valid_edition(3, 6, 14, 7);
        inject(&mut e, m);
        let err = validate(&e).unwrap_err();
        assert_eq!(err.problems().len(), 1, "{m:?}: {err}");
        assert_eq!(err.problems()[0].code(), expected_code(m), "{m:?}");
    }
}

// ---------------------------------------------------------------------------
// The fixture

const MISTAKES: &str = include_str!("fixtures/mistakes.json");

#[test]
fn fixture_returns_every_mistake_at_once() {
    let e: Edition = serde_json::from_str(MISTAKES).unwrap();
    let err = validate(&e).unwrap_err();
    let expected: Vec<(&str, Vec<OffendingId>)> = vec![
        ("cap_override_not_working_day", vec![service("accueil")]),
        ("duplicate_agent", vec![agent("denise")]),
        ("duplicate_cap_override", vec![service("police")]),
        ("duplicate_host_slot", vec![host_slot("vero-0306")]),
        (
            "duplicate_wish_target",
            vec![agent("mathilde"), service("scolaire")],
        ),
        ("empty_service_id", vec![]),
        (
            "host_slot_by_non_host",
            vec![host_slot("karim-0307"), agent("karim")],
        ),
        ("host_slot_not_working_day", vec![host_slot("vero-0308")]),
        ("host_slot_outside_window", vec![host_slot("vero-0501")]),
        ("host_slot_zero_capacity", vec![host_slot("paul-0311")]),
        (
            "host_wish_for_non_host",
            vec![agent("lucie"), agent("karim")],
        ),
        (
            "host_wish_for_own_service",
            vec![agent("paul"), agent("vero"), service("scolaire")],
        ),
        ("host_wish_for_self", vec![agent("karim")]),
        ("max_visitors_out_of_range", vec![service("ccas")]),
        ("max_visits_per_agent_out_of_range", vec![]),
        ("ranks_not_consecutive", vec![agent("lucie")]),
        (
            "unknown_agent_service",
            vec![agent("ines"), service("etat-civil")],
        ),
        (
            "unknown_history_service",
            vec![agent("paul"), service("bibliotheque")],
        ),
        (
            "unknown_host_slot_host",
            vec![host_slot("yann-0310"), agent("yann")],
        ),
        (
            "unknown_wish_host",
            vec![agent("mathilde"), agent("yannick")],
        ),
        (
            "unknown_wish_service",
            vec![agent("lucie"), service("police-mun")],
        ),
        ("unknown_wish_visitor", vec![agent("denis")]),
        ("wish_by_non_visitor", vec![agent("vero")]),
        (
            "wish_for_own_service",
            vec![agent("mathilde"), service("accueil")],
        ),
    ];
    assert_eq!(summary(&err), expected, "{err}");
    assert!(expected.len() >= 10);

    // Every id named by a problem is in `offending_ids`, and only those.
    let all: BTreeSet<OffendingId> = expected.iter().flat_map(|(_, ids)| ids.clone()).collect();
    assert_eq!(err.offending_ids(), all.into_iter().collect::<Vec<_>>());

    // The Display form: a summary line, then one line per problem.
    let text = err.to_string();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(format!("the edition has {} problems:", expected.len()).as_str())
    );
    assert_eq!(lines.count(), expected.len());
    assert!(
        text.contains("- [duplicate_host_slot] host slot `vero-0306` is listed 2 times"),
        "{text}"
    );
    assert!(
        text.contains(
            "- [ranks_not_consecutive] agent `lucie` ranks their wishes 1, 3, 3 instead of 1 to 3"
        ),
        "{text}"
    );

    // The JSON form of the error carries the codes.
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["problems"][0]["code"], "cap_override_not_working_day");
    assert_eq!(json["problems"][0]["service"], "accueil");
}

#[test]
fn fixture_error_is_independent_of_input_order() {
    let e: Edition = serde_json::from_str(MISTAKES).unwrap();
    let err = validate(&e).unwrap_err();
    for seed in 0..20 {
        assert_eq!(
            validate(&shuffled(&e, seed)).unwrap_err(),
            err,
            "seed {seed}"
        );
    }
    let mut reversed = e.clone();
    reversed.services.reverse();
    reversed.agents.reverse();
    reversed.wishes.reverse();
    reversed.host_slots.reverse();
    assert_eq!(validate(&reversed).unwrap_err(), err);
}

#[test]
fn instance_new_refuses_the_fixture_with_the_same_error() {
    let e: Edition = serde_json::from_str(MISTAKES).unwrap();
    let err = validate(&e).unwrap_err();
    assert_eq!(jobswap::Instance::new(e).unwrap_err(), err);
}

// ---------------------------------------------------------------------------
// Corners

#[test]
fn broken_window_hides_date_checks() {
    let d = |day| date(2025, 3, day);
    let base = Edition::new("t", d(3), d(7))
        .service(Service::new("s", "S").cap_override(Slot::new(d(20), HalfDay::Morning), 0))
        .agent(Agent::new("h", "H", "s").hosts(true))
        .host_slot(HostSlot::new("hs", "h", d(20), Part::Morning));
    let codes = |e: &Edition| -> Vec<&'static str> {
        validate(e)
            .unwrap_err()
            .problems()
            .iter()
            .map(jobswap::Problem::code)
            .collect()
    };
    assert_eq!(
        codes(&base),
        ["cap_override_outside_window", "host_slot_outside_window"]
    );
    let mut e = base.clone();
    e.end = d(1);
    assert_eq!(codes(&e), ["end_before_start"]);
    let mut e = base.clone();
    e.working_weekdays.clear();
    assert_eq!(codes(&e), ["no_working_weekday"]);
    let e = base.clone().working_weekdays([Weekday::Sat, Weekday::Sat]);
    assert_eq!(codes(&e), ["empty_window"]);
}

#[test]
fn harmless_input_is_accepted() {
    let d = |day| date(2025, 3, day);
    let e = Edition::new("t", d(3), d(14))
        .working_weekdays([Weekday::Mon, Weekday::Mon, Weekday::Tue])
        .closed_day(d(1))
        .closed_day(d(30))
        .closed_day(d(3))
        .closed_day(d(3))
        .service(Service::new("s", "S"))
        .service(Service::new("t", "T"))
        .agent(
            Agent::new("a", "A", "s")
                .visits(true)
                .unavailable_date(d(28))
                .unavailable_date(date(1999, 1, 1))
                .participation(Participation {
                    edition: "2024".into(),
                    role: Role::Host,
                    visited: None,
                }),
        )
        .agent(Agent::new("b", "B", "t").hosts(true))
        .wish(Wish::service("a", "t", 2))
        .wish(Wish::host("a", "b", 1))
        .host_slot(HostSlot::new("b1", "b", d(4), Part::Morning))
        .host_slot(HostSlot::new("b2", "b", d(4), Part::FullDay).capacity(MAX_COUNT));
    assert_eq!(validate(&e), Ok(()));
}

#[test]
fn duplicated_agents_are_not_judged_on_ambiguous_data() {
    // Two `x` agents disagree on their service: only the duplicate is
    // reported, whatever the order.
    let e = Edition::new("t", date(2025, 3, 3), date(2025, 3, 3))
        .service(Service::new("s", "S"))
        .service(Service::new("t", "T"))
        .agent(Agent::new("x", "X", "s").visits(true))
        .agent(Agent::new("x", "X", "t"))
        .wish(Wish::service("x", "s", 1));
    let err = validate(&e).unwrap_err();
    assert_eq!(summary(&err), [("duplicate_agent", vec![agent("x")])]);
}

#[test]
fn json_form_matches_the_fixture_conventions() {
    // The fixture is written in `Edition`'s serde form; this pins the
    // conventions it relies on.
    let e = Edition::new("t", date(2025, 3, 3), date(2025, 3, 4))
        .service(
            Service::new("s", "S").cap_override(Slot::new(date(2025, 3, 3), HalfDay::Morning), 0),
        )
        .agent(Agent::new("a", "A", "s"))
        .wish(Wish::service("a", "s", 1))
        .host_slot(HostSlot::new("h", "a", date(2025, 3, 3), Part::FullDay));
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["start"], "2025-03-03");
    assert_eq!(json["working_weekdays"][0], "Mon");
    assert_eq!(json["wishes"][0]["target"]["service"], "s");
    assert_eq!(json["host_slots"][0]["part"], "full_day");
    assert_eq!(
        json["services"][0]["cap_overrides"][0]["slot"]["half"],
        "morning"
    );
    let back: Edition = serde_json::from_value(json).unwrap();
    assert_eq!(back, e);
}

/// 200 000 agents, 1 000 000 wishes, 200 000 host slots. Run with
/// `cargo test --release -- --ignored large_edition` to time it.
#[test]
#[ignore = "builds a large edition; run by hand to time validation"]
fn large_edition_validates_quickly() {
    let start = date(2025, 3, 3);
    let mut e = Edition::new("large", start, plus(start, 60));
    let services = 2_000;
    for s in 0..services {
        e.services.push(Service::new(format!("svc-{s:05}"), "S"));
    }
    let cal = Calendar::of(&e).days().to_vec();
    for a in 0..200_000usize {
        let s = a % services;
        e.agents.push(
            Agent::new(format!("ag-{a:06}"), "A", format!("svc-{s:05}"))
                .visits(true)
                .hosts(true),
        );
        e.host_slots.push(HostSlot::new(
            format!("hs-{a:06}"),
            format!("ag-{a:06}"),
            cal[a % cal.len()],
            Part::Morning,
        ));
        for r in 0..5 {
            let t = (s + 1 + r * 7) % services;
            e.wishes.push(Wish::service(
                format!("ag-{a:06}"),
                format!("svc-{t:05}"),
                r as u32 + 1,
            ));
        }
    }
    let mut g = Rng(1);
    g.shuffle(&mut e.agents);
    g.shuffle(&mut e.host_slots);
    let t = std::time::Instant::now();
    let r = validate(&e);
    eprintln!(
        "validated 200k agents, 1M wishes (grouped by visitor), 200k host slots in {:?}",
        t.elapsed()
    );
    assert_eq!(r, Ok(()));
    // Wishes in random order: every visitor lookup misses the cache.
    g.shuffle(&mut e.wishes);
    let t = std::time::Instant::now();
    let r = validate(&e);
    eprintln!("the same with the wishes shuffled in {:?}", t.elapsed());
    assert_eq!(r, Ok(()));
    e.wishes.push(Wish::service("nobody", "svc-00000", 1));
    assert_eq!(validate(&e).unwrap_err().problems().len(), 1);
}

#[test]
fn agent_id_helpers_are_consistent() {
    let id = OffendingId::Agent(AgentId::new("ana"));
    assert_eq!(id.as_str(), "ana");
    assert_eq!(id.to_string(), "ana");
}
