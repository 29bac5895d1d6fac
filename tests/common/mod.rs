//! Shared generators for the integration tests: small random editions and
//! shuffles, driven by a plain xorshift so a failing seed reproduces.
#![allow(dead_code, unreachable_pub)]

use chrono::{Days, NaiveDate};
use jobswap::{
    Agent, Confidentiality, Duration, Edition, HostSlot, Part, Participation, Policy, Role,
    Service, Strategy, Wish,
};

pub mod oracle;

/// A tiny deterministic generator (xorshift64*).
pub struct Gen(u64);

impl Gen {
    pub fn new(seed: u64) -> Self {
        Gen(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform-ish in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
}

/// Largest sizes of a random edition.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    pub agents: u64,
    pub services: u64,
    pub days: u64,
}

pub const SMALL: Size = Size {
    agents: 10,
    services: 4,
    days: 4,
};

/// Up to 8 visitors (9 agents), 4 services, 4 days: the optimal strategy's
/// brute-force comparisons.
pub const ORACLE: Size = Size {
    agents: 9,
    services: 4,
    days: 4,
};

pub const TINY: Size = Size {
    agents: 6,
    services: 3,
    days: 3,
};

pub fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 3).unwrap()
}

/// A random valid edition: Monday-to-Friday window starting Monday 3 March
/// 2025, ids `s0..`, `a0..`.
pub fn random_edition(seed: u64, size: Size) -> Edition {
    let mut g = Gen::new(seed);
    let ns = 2 + g.below(size.services - 1);
    let nd = 1 + g.below(size.days);
    let na = 2 + g.below(size.agents - 1);
    let start = monday();
    let end = start + Days::new(nd - 1);
    let day = |k: u64| start + Days::new(k);
    let strategy = Strategy::Draw;
    let policy = Policy::new(strategy)
        .seed(g.next())
        .max_visits_per_agent(if g.chance(20) { 2 } else { 1 })
        .default_duration(if g.chance(30) {
            Duration::FullDay
        } else {
            Duration::HalfDay
        })
        .confidentiality(if g.chance(50) {
            Confidentiality::Required
        } else {
            Confidentiality::CollectBeforeVisit
        });
    let mut e = Edition::new(format!("random-{seed}"), start, end).policy(policy);
    for s in 0..ns {
        let mut svc = Service::new(format!("s{s}"), format!("Service {s}"))
            .continuity_cap(if g.chance(10) {
                0
            } else {
                1 + g.below(2) as u32
            })
            .confidentiality_required(g.chance(20));
        if g.chance(20) {
            svc = svc.max_visitors(1 + g.below(2) as u32);
        }
        if g.chance(20) {
            let k = g.below(nd);
            let half = if g.chance(50) {
                jobswap::HalfDay::Morning
            } else {
                jobswap::HalfDay::Afternoon
            };
            svc = svc.cap_override(jobswap::Slot::new(day(k), half), g.below(3) as u32);
        }
        e.services.push(svc);
    }
    let mut hs = 0;
    for a in 0..na {
        let s = g.below(ns);
        let mut ag = Agent::new(format!("a{a}"), format!("Agent {a}"), format!("s{s}"))
            .visits(g.chance(75))
            .hosts(g.chance(65))
            .confidentiality_signed(g.chance(50));
        for k in 0..nd {
            let whole_day = g.chance(10);
            let half_day = g.chance(10);
            if whole_day {
                ag = ag.unavailable_date(day(k));
            } else if half_day {
                let half = if g.chance(50) {
                    jobswap::HalfDay::Morning
                } else {
                    jobswap::HalfDay::Afternoon
                };
                ag = ag.unavailable_slot(jobswap::Slot::new(day(k), half));
            }
        }
        if g.chance(15) {
            let visited = g.below(ns);
            if visited != s {
                ag = ag.participation(Participation {
                    edition: "earlier".into(),
                    role: Role::Visitor,
                    visited: Some(format!("s{visited}").into()),
                });
            }
        }
        if ag.hosts {
            for k in 0..nd {
                if g.chance(75) {
                    let part = match g.below(3) {
                        0 => Part::Morning,
                        1 => Part::Afternoon,
                        _ => Part::FullDay,
                    };
                    e.host_slots.push(
                        HostSlot::new(format!("hs{hs}"), format!("a{a}"), day(k), part)
                            .capacity(1 + u32::from(g.chance(25))),
                    );
                    hs += 1;
                }
            }
        }
        if ag.visits && !g.chance(15) {
            let mut others: Vec<u64> = (0..ns).filter(|&x| x != s).collect();
            g.shuffle(&mut others);
            let n = 1 + g.below(others.len() as u64);
            for (r, &t) in others.iter().take(n as usize).enumerate() {
                let d = if g.chance(30) {
                    Duration::FullDay
                } else {
                    Duration::HalfDay
                };
                e.wishes.push(
                    Wish::service(format!("a{a}"), format!("s{t}"), r as u32 + 1).duration(d),
                );
            }
        }
        e.agents.push(ag);
    }
    // A few host wishes: replace a service wish by a wish for one of its hosts.
    let hosts: Vec<(String, String)> = e
        .agents
        .iter()
        .filter(|a| a.hosts)
        .map(|a| (a.id.to_string(), a.service.to_string()))
        .collect();
    for w in &mut e.wishes {
        if let jobswap::Target::Service(s) = &w.target {
            if g.chance(15) {
                if let Some((h, _)) = hosts
                    .iter()
                    .find(|(h, hs)| hs == s.as_str() && h != w.visitor.as_str())
                {
                    w.target = jobswap::Target::Host(h.as_str().into());
                }
            }
        }
    }
    e
}

/// The same edition with every input list shuffled.
pub fn shuffled(e: &Edition, seed: u64) -> Edition {
    let mut g = Gen::new(seed);
    let mut e = e.clone();
    g.shuffle(&mut e.services);
    g.shuffle(&mut e.agents);
    g.shuffle(&mut e.wishes);
    g.shuffle(&mut e.host_slots);
    g.shuffle(&mut e.closed_days);
    for a in &mut e.agents {
        g.shuffle(&mut a.unavailable_dates);
        g.shuffle(&mut a.unavailable_slots);
        g.shuffle(&mut a.history);
    }
    for s in &mut e.services {
        g.shuffle(&mut s.cap_overrides);
    }
    e
}

/// Proptest settings: `PROPTEST_CASES` or `default`, and no shrinking on CI.
pub fn config(default: u32) -> proptest::test_runner::Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default);
    proptest::test_runner::Config {
        cases,
        max_shrink_iters: if std::env::var_os("CI").is_some() {
            0
        } else {
            256
        },
        ..proptest::test_runner::Config::default()
    }
}

/// The bench preset `name` (`../shared/bench/instances/NAME.json`, beside
/// the crate) as an instance under `policy`, or `None` (with a note on
/// stderr) when the peer harness is not there.
pub fn bench_preset(name: &str, policy: jobswap::Policy) -> Option<jobswap::Instance> {
    let path = format!(
        "{}/../shared/bench/instances/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {path} not found");
        return None;
    };
    let core: jobswap::core_format::CoreInstance = serde_json::from_str(&text).unwrap();
    Some(jobswap::Instance::new(core.to_edition(policy).unwrap()).unwrap())
}
