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
//!
//! Progress goes to stderr, never to stdout (whose lines stay the same from
//! one run to the next, but for the seconds each edition took): a bar with
//! the stage and the elapsed time when stderr is a terminal; otherwise a
//! line for each stage that took a second or more, a reminder every ten
//! seconds while one runs on, and the time per stage at the end of a run
//! that took a second or more. `--no-progress` silences it.
//! `--max-participations N` caps the visits an agent may make over the
//! editions; the summary then says how many volunteers the cap kept out.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration as Elapsed, Instant};

use chrono::{Days, NaiveDate};
use indicatif::{ProgressBar, ProgressStyle};
use jobswap::calendar::Calendar;
use jobswap::{
    Agent, AgentId, Duration, Edition, HostSlot, Instance, Part, Policy, PublicHolidays, Service,
    Strategy, Wish,
};

struct Args {
    agents: u32,
    services: u32,
    editions: u32,
    strategy: Strategy,
    seed: u64,
    out: PathBuf,
    max_participations: Option<u32>,
    progress: bool,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        agents: 20,
        services: 5,
        editions: 3,
        strategy: Strategy::Draw,
        seed: 2025,
        out: PathBuf::from("out/simulate"),
        max_participations: None,
        progress: true,
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
            "--max-participations" => {
                let n = value()?;
                let n = n
                    .parse()
                    .map_err(|e| format!("--max-participations: {e}"))?;
                a.max_participations = Some(n);
            }
            "--no-progress" => a.progress = false,
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

fn policy(args: &Args, k: u32) -> Policy {
    let policy = Policy::new(args.strategy).seed(args.seed.wrapping_add(u64::from(k)));
    match args.max_participations {
        Some(cap) => policy.max_participations(cap),
        None => policy,
    }
}

fn edition(k: u32, args: &Args, services: &[Service], agents: &[Agent], g: &mut Gen) -> Edition {
    let base = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap_or(NaiveDate::MIN);
    let start = base + Days::new(u64::from(k) * 126);
    let end = start + Days::new(58);
    let mut e = Edition::new(format!("Édition {:02}", k + 1), start, end)
        .public_holidays(PublicHolidays::France)
        .policy(policy(args, k));
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

/// The stages of one edition, in order.
const STAGES: [&str; 8] = [
    "generating the edition",
    "validating and indexing",
    "solving",
    "checking the outcome",
    "writing outcome.json",
    "writing calendar.ics",
    "writing report.html",
    "writing messages.txt",
];

/// A stage this long is worth a line on a stderr that is not a terminal,
/// and a run this long a summary of the time per stage.
const WORTH_A_LINE: Elapsed = Elapsed::from_secs(1);
/// While one stage runs on, a reminder this often (stderr not a terminal).
const REMINDER: Elapsed = Elapsed::from_secs(10);

/// Progress on stderr: a bar on a terminal, plain lines for long stages
/// otherwise; stdout lines go through [`Progress::println`] so that the bar
/// never cuts them.
struct Progress {
    enabled: bool,
    bar: Option<ProgressBar>,
    /// Tells the reminder thread each new stage (stderr not a terminal).
    reminders: Option<(mpsc::Sender<String>, JoinHandle<()>)>,
    start: Instant,
    /// The stage running: its index in [`STAGES`], label and start.
    current: Option<(usize, String, Instant)>,
    /// Time spent per stage over the run.
    totals: [Elapsed; STAGES.len()],
}

impl Progress {
    fn new(enabled: bool, editions: u32) -> Self {
        let start = Instant::now();
        let terminal = enabled && std::io::stderr().is_terminal();
        let bar = terminal.then(|| {
            let bar = ProgressBar::new(u64::from(editions) * STAGES.len() as u64);
            let style = ProgressStyle::with_template(
                "{spinner} {elapsed_precise} [{bar:30}] {pos}/{len} {wide_msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.enable_steady_tick(Elapsed::from_millis(120));
            bar
        });
        let reminders = (enabled && !terminal).then(|| {
            let (tx, rx) = mpsc::channel::<String>();
            let thread = std::thread::spawn(move || {
                let mut label = String::new();
                let mut since = Instant::now();
                loop {
                    match rx.recv_timeout(REMINDER) {
                        Ok(next) => {
                            label = next;
                            since = Instant::now();
                        }
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            if !label.is_empty() {
                                eprintln!(
                                    "simulate: [{:7.1} s] still {label} ({:.0} s so far)",
                                    start.elapsed().as_secs_f64(),
                                    since.elapsed().as_secs_f64()
                                );
                            }
                        }
                        Err(mpsc::RecvTimeoutError::Disconnected) => break,
                    }
                }
            });
            (tx, thread)
        });
        Progress {
            enabled,
            bar,
            reminders,
            start,
            current: None,
            totals: [Elapsed::ZERO; STAGES.len()],
        }
    }

    /// Ends the stage running, if any, and starts stage `i` of `edition`.
    fn stage(&mut self, edition: &str, i: usize) {
        self.end_stage();
        let label = format!("{edition} · {}", STAGES[i]);
        if let Some(bar) = &self.bar {
            bar.set_message(label.clone());
        }
        if let Some((tx, _)) = &self.reminders {
            let _ = tx.send(label.clone());
        }
        self.current = Some((i, label, Instant::now()));
    }

    fn end_stage(&mut self) {
        let Some((i, label, started)) = self.current.take() else {
            return;
        };
        let took = started.elapsed();
        self.totals[i] += took;
        if let Some(bar) = &self.bar {
            bar.inc(1);
        } else if self.reminders.is_some() && took >= WORTH_A_LINE {
            eprintln!(
                "simulate: [{:7.1} s] {label}: {:.1} s",
                self.start.elapsed().as_secs_f64(),
                took.as_secs_f64()
            );
        }
        if let Some((tx, _)) = &self.reminders {
            let _ = tx.send(String::new());
        }
    }

    /// Prints `line` on stdout, the bar set aside meanwhile.
    fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| println!("{line}")),
            None => println!("{line}"),
        }
    }

    /// Prints `line` on stderr, the bar set aside meanwhile.
    fn eprintln(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Ends the last stage, clears the bar, stops the reminders, and for a
    /// run long enough to matter prints the time spent per stage.
    fn finish(mut self) {
        self.end_stage();
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        if let Some((tx, thread)) = self.reminders.take() {
            drop(tx);
            let _ = thread.join();
        }
        let total = self.start.elapsed();
        if self.enabled && total >= WORTH_A_LINE {
            let stages: Vec<String> = STAGES
                .iter()
                .zip(self.totals)
                .map(|(name, t)| format!("{name} {:.1} s", t.as_secs_f64()))
                .collect();
            eprintln!(
                "simulate: {:.1} s in all: {}",
                total.as_secs_f64(),
                stages.join(", ")
            );
        }
    }
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("simulate: {e}");
            eprintln!(
                "usage: simulate [--agents N] [--services S] [--editions E] [--strategy draw|optimal|stable] [--seed N] [--max-participations N] [--out DIR] [--no-progress]"
            );
            return ExitCode::from(2);
        }
    };
    let mut progress = Progress::new(args.progress, args.editions);
    let code = run(&args, &mut progress);
    progress.finish();
    code
}

fn run(args: &Args, progress: &mut Progress) -> ExitCode {
    let mut g = Gen(args.seed | 1);
    let (services, mut agents) = organisation(args, &mut g);
    let mut asked_ever: BTreeSet<AgentId> = BTreeSet::new();
    let mut served_ever: BTreeSet<AgentId> = BTreeSet::new();
    progress.println(&format!(
        "{} agents, {} services, {} editions, strategy {}, seed {}",
        args.agents, args.services, args.editions, args.strategy, args.seed
    ));
    for k in 0..args.editions {
        let t0 = Instant::now();
        let label = format!("Édition {:02}/{:02}", k + 1, args.editions);
        progress.stage(&label, 0);
        let e = edition(k, args, &services, &agents, &mut g);
        progress.stage(&label, 1);
        let instance = match Instance::new(e) {
            Ok(i) => i,
            Err(err) => {
                progress.eprintln(&err.to_string());
                return ExitCode::FAILURE;
            }
        };
        progress.stage(&label, 2);
        let outcome = instance.solve();
        progress.stage(&label, 3);
        let violations = jobswap::verify(instance.edition(), &outcome);
        if !violations.is_empty() {
            progress.eprintln(&format!(
                "edition {}: {} violations, first: {}",
                k + 1,
                violations.len(),
                violations[0]
            ));
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
        progress.println(&format!(
            "{}: placed {}/{} ({:.1} %){}, first choice {:.1} %, served at least once {}/{} ({:.1} %), services reaching their cap on some half-day {}/{}{} — {:.2} s",
            ed.name,
            r.placed,
            r.asked,
            100.0 * f64::from(r.placed) / f64::from(r.asked.max(1)),
            if args.max_participations.is_some() {
                format!(", {} kept out by the participation cap", outcome.capped())
            } else {
                String::new()
            },
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
        ));
        if let Err(err) = write(args, k, &instance, &outcome, &mut |i| {
            progress.stage(&label, i);
        }) {
            progress.eprintln(&format!("writing edition {}: {err}", k + 1));
            return ExitCode::FAILURE;
        }
        // History for the next edition.
        let mut recorded = ed.clone();
        recorded.record(&outcome);
        agents = recorded.agents;
    }
    progress.println(&format!("written to {}", args.out.display()));
    ExitCode::SUCCESS
}

/// Writes the files of edition `k`, calling `stage` with the index in
/// [`STAGES`] of each file before writing it.
fn write(
    args: &Args,
    k: u32,
    instance: &Instance,
    outcome: &jobswap::Outcome,
    stage: &mut dyn FnMut(usize),
) -> std::io::Result<()> {
    let dir = args.out.join(format!("edition-{:02}", k + 1));
    std::fs::create_dir_all(&dir)?;
    let e = instance.edition();
    stage(4);
    std::fs::write(
        dir.join("outcome.json"),
        jobswap::json::write_outcome(outcome),
    )?;
    stage(5);
    std::fs::write(
        dir.join("calendar.ics"),
        jobswap::ics::for_edition(e, outcome),
    )?;
    stage(6);
    std::fs::write(
        dir.join("report.html"),
        jobswap::html::report(e, instance.calendar(), outcome),
    )?;
    stage(7);
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
