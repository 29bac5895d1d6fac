//! Simulates several editions of a *Vis mon job* programme in a row, the
//! way an organiser would before launching one: an organisation (Vernon-like
//! by default: 20 reception agents in 5 services), each edition two months
//! long, every volunteer ranking up to three services they would like to
//! discover, hosts offering a few half-days, and the history of each edition
//! feeding the next (nobody visits the same service twice; those left out
//! go first next time).
//!
//! ```sh
//! cargo run --release --example simulate
//! cargo run --release --example simulate -- --agents 20000 --services 500 --editions 3
//! cargo run --release --example simulate -- --strategy optimal --seed 7 --out out/sim
//! ```
//!
//! For each edition it prints placed / asked, the share of first choices,
//! the cumulative share of candidates served at least once (the Vosges
//! promise that every request is satisfied in turn) and the load of the
//! services against their continuity caps; it writes into the output folder
//! (default `out/simulate`) the outcome JSON, the messages to send, the
//! calendar invitations (`.ics`) and a self-contained HTML report.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use chrono::{Days, NaiveDate};
use jobswap::calendar::Calendar;
use jobswap::{
    Agent, AgentId, Duration, Edition, HostSlot, Instance, Part, Participation, Policy,
    PublicHolidays, Role, Service, Strategy, Wish,
};

struct Args {
    agents: u32,
    services: u32,
    editions: u32,
    strategy: Strategy,
    seed: u64,
    out: PathBuf,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        agents: 20,
        services: 5,
        editions: 3,
        strategy: Strategy::Draw,
        seed: 2025,
        out: PathBuf::from("out/simulate"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--agents" => a.agents = value()?.parse().map_err(|e| format!("--agents: {e}"))?,
            "--services" => {
                a.services = value()?.parse().map_err(|e| format!("--services: {e}"))?;
            }
            "--editions" => {
                a.editions = value()?.parse().map_err(|e| format!("--editions: {e}"))?;
            }
            "--seed" => a.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => a.out = PathBuf::from(value()?),
            "--strategy" => {
                a.strategy = match value()?.as_str() {
                    "draw" => Strategy::Draw,
                    "optimal" => Strategy::Optimal,
                    "stable" => Strategy::Stable,
                    other => {
                        return Err(format!(
                            "unknown strategy `{other}` (draw, optimal, stable)"
                        ));
                    }
                }
            }
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if a.services < 2 || a.agents < a.services {
        return Err("need at least 2 services and one agent per service".into());
    }
    Ok(a)
}

/// A tiny deterministic generator for the synthetic organisation.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const FIRST: [&str; 20] = [
    "Denise",
    "Véronique",
    "Lucie",
    "Mathilde",
    "Karine",
    "Pascal",
    "Sophie",
    "Hervé",
    "Nadia",
    "Thierry",
    "Julie",
    "Sébastien",
    "Aurélie",
    "Grégory",
    "Fatima",
    "Yannick",
    "Corinne",
    "Laëtitia",
    "Martine",
    "Sandrine",
];
const SERVICES: [&str; 8] = [
    "Accueil de l'hôtel de ville",
    "État civil",
    "Vie scolaire",
    "Police municipale",
    "CCAS",
    "Centre social",
    "Centre technique",
    "Médiathèque",
];

fn organisation(args: &Args, g: &mut Gen) -> (Vec<Service>, Vec<Agent>) {
    let services: Vec<Service> = (0..args.services)
        .map(|s| {
            let name = match SERVICES.get(s as usize) {
                Some(n) if args.services as usize <= SERVICES.len() => (*n).to_owned(),
                _ => format!("Service {s}"),
            };
            // Large services may lose more than one agent at a time.
            let size = args.agents / args.services;
            Service::new(format!("s{s:04}"), name).continuity_cap(1 + size / 10)
        })
        .collect();
    let small = args.agents <= 100;
    let agents = (0..args.agents)
        .map(|a| {
            let first = FIRST[(a as usize) % FIRST.len()];
            let name = format!("{first} {}.", char::from(b'A' + (a / 20 % 26) as u8));
            Agent::new(
                format!("a{a:06}"),
                name,
                format!("s{:04}", a % args.services),
            )
            .visits(small || g.below(10) < 6)
            .hosts(small || g.below(10) < 4)
        })
        .collect();
    (services, agents)
}

fn edition(k: u32, args: &Args, services: &[Service], agents: &[Agent], g: &mut Gen) -> Edition {
    let base = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap_or(NaiveDate::MIN);
    let start = base + Days::new(u64::from(k) * 126);
    let end = start + Days::new(58);
    let mut e = Edition::new(format!("Édition {:02}", k + 1), start, end)
        .public_holidays(PublicHolidays::France)
        .policy(Policy::new(args.strategy).seed(args.seed.wrapping_add(u64::from(k))));
    e.services = services.to_vec();
    e.agents = agents.to_vec();
    let days = Calendar::of(&e).days().to_vec();
    let mut slot = 0u32;
    for a in agents {
        if a.hosts && !days.is_empty() {
            for _ in 0..3 {
                let date = days[g.below(days.len() as u64) as usize];
                let part = [Part::Morning, Part::Afternoon, Part::FullDay][g.below(3) as usize];
                e.host_slots
                    .push(HostSlot::new(format!("hs{slot}"), a.id.clone(), date, part));
                slot += 1;
            }
        }
        if a.visits {
            let mut ranked = Vec::new();
            while ranked.len() < 3.min(services.len() - 1) {
                let s = &services[g.below(services.len() as u64) as usize].id;
                if *s != a.service && !ranked.contains(s) {
                    ranked.push(s.clone());
                }
            }
            let visited: Vec<_> = a.history.iter().filter_map(|p| p.visited.clone()).collect();
            ranked.retain(|s| !visited.contains(s));
            let full = g.below(10) < 2;
            for (r, s) in ranked.into_iter().enumerate() {
                let d = if full {
                    Duration::FullDay
                } else {
                    Duration::HalfDay
                };
                e.wishes
                    .push(Wish::service(a.id.clone(), s, r as u32 + 1).duration(d));
            }
        }
    }
    e
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("simulate: {e}");
            eprintln!(
                "usage: simulate [--agents N] [--services S] [--editions E] [--strategy draw|optimal|stable] [--seed N] [--out DIR]"
            );
            return ExitCode::from(2);
        }
    };
    let mut g = Gen(args.seed | 1);
    let (services, mut agents) = organisation(&args, &mut g);
    let mut asked_ever: BTreeSet<AgentId> = BTreeSet::new();
    let mut served_ever: BTreeSet<AgentId> = BTreeSet::new();
    println!(
        "{} agents, {} services, {} editions, strategy {}, seed {}",
        args.agents, args.services, args.editions, args.strategy, args.seed
    );
    for k in 0..args.editions {
        let t0 = Instant::now();
        let e = edition(k, &args, &services, &agents, &mut g);
        let instance = match Instance::new(e) {
            Ok(i) => i,
            Err(err) => {
                eprintln!("{err}");
                return ExitCode::FAILURE;
            }
        };
        let outcome = instance.solve();
        let violations = jobswap::verify(instance.edition(), &outcome);
        if !violations.is_empty() {
            eprintln!(
                "edition {}: {} violations, first: {}",
                k + 1,
                violations.len(),
                violations[0]
            );
            return ExitCode::FAILURE;
        }
        let r = outcome.report();
        let ed = instance.edition();
        for a in ed.agents.iter().filter(|a| a.visits) {
            asked_ever.insert(a.id.clone());
        }
        for p in outcome.pairings() {
            served_ever.insert(p.visitor.clone());
        }
        let at_cap = r
            .services
            .iter()
            .filter(|s| {
                s.slots
                    .iter()
                    .any(|l| l.away >= l.continuity_cap && l.away > 0)
            })
            .count();
        println!(
            "{}: placed {}/{} ({:.1} %), first choice {:.1} %, served at least once {}/{} ({:.1} %), services reaching their cap on some half-day {}/{}{} — {:.2} s",
            ed.name,
            r.placed,
            r.asked,
            100.0 * f64::from(r.placed) / f64::from(r.asked.max(1)),
            f64::from(r.first_choice_per_mille) / 10.0,
            served_ever.len(),
            asked_ever.len(),
            100.0 * served_ever.len() as f64 / asked_ever.len().max(1) as f64,
            at_cap,
            r.services.len(),
            outcome.bound().map_or(String::new(), |b| format!(
                ", bound {} (gap {:.1} %)",
                b.placed,
                100.0 * b.gap(r.placed)
            )),
            t0.elapsed().as_secs_f64()
        );
        if let Err(err) = write(&args, k, &instance, &outcome) {
            eprintln!("writing edition {}: {err}", k + 1);
            return ExitCode::FAILURE;
        }
        // History for the next edition.
        for a in &mut agents {
            if a.visits {
                let visited = outcome.pairing_of(&a.id).map(|p| p.service.clone());
                a.history.push(Participation {
                    edition: ed.name.clone(),
                    role: Role::Visitor,
                    visited,
                });
            }
        }
    }
    println!("written to {}", args.out.display());
    ExitCode::SUCCESS
}

fn write(
    args: &Args,
    k: u32,
    instance: &Instance,
    outcome: &jobswap::Outcome,
) -> std::io::Result<()> {
    let dir = args.out.join(format!("edition-{:02}", k + 1));
    std::fs::create_dir_all(&dir)?;
    let e = instance.edition();
    std::fs::write(
        dir.join("outcome.json"),
        jobswap::json::write_outcome(outcome),
    )?;
    std::fs::write(
        dir.join("calendar.ics"),
        jobswap::ics::for_edition(e, outcome),
    )?;
    std::fs::write(
        dir.join("report.html"),
        jobswap::html::report(e, instance.calendar(), outcome),
    )?;
    let plan = jobswap::comms::plan(e, outcome);
    let mut text = String::new();
    for m in plan.messages() {
        use std::fmt::Write;
        let r = m.render(jobswap::comms::Lang::Fr);
        let _ = write!(
            text,
            "== {} → {} : {}\n{}\n\n",
            m.send_on, m.recipient, r.subject, r.body
        );
    }
    std::fs::write(dir.join("messages.txt"), text)
}
