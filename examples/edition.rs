//! Checks an edition document before launch and summarises it.
//!
//! The organiser of a *Vis mon job* has written the edition — Vernon's
//! first one: 20 reception agents from 5 services, two months, half-days,
//! a seeded draw — in the JSON format of `docs/FORMAT.md`. Before running
//! the draw, they want to know that the file reads, that it makes sense,
//! and what it contains:
//!
//! ```sh
//! cargo run --example edition -- examples/data/vernon.json
//! ```
//!
//! The output shows the window and its number of working days, each
//! service with its continuity cap and the hosts and host slots it offers,
//! how many agents visit and host, the wishes by rank, and the policy with
//! its seed. If the file cannot be read, or validation finds problems, every
//! problem is printed and the program exits with status 1.

use std::collections::BTreeMap;
use std::process::ExitCode;

use jobswap::json::read_edition;
use jobswap::{Confidentiality, Duration, Edition, Instance, Part, PublicHolidays, ServiceId};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(path), None) = (args.next(), args.next()) else {
        eprintln!("usage: edition EDITION.json");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: cannot read the file: {e}");
            return ExitCode::FAILURE;
        }
    };
    let edition = match read_edition(&text) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let instance = match Instance::new(edition) {
        Ok(i) => i,
        Err(e) => {
            // Every problem, each with its stable code and the ids involved.
            eprintln!("{path}: {} problem(s) in the edition", e.problems().len());
            for p in e.problems() {
                eprintln!("  - [{}] {p}", p.code());
            }
            return ExitCode::FAILURE;
        }
    };
    summarise(&instance);
    ExitCode::SUCCESS
}

#[derive(Default)]
struct ServiceFigures {
    agents: usize,
    visitors: usize,
    hosts: usize,
    host_slots: usize,
    half_days_offered: usize,
}

fn summarise(instance: &Instance) {
    let e: &Edition = instance.edition();
    let days = instance.calendar().days();
    println!("{}", e.name);
    println!("{}", "=".repeat(e.name.chars().count()));
    println!();
    let holidays = match e.public_holidays {
        PublicHolidays::France => ", French public holidays closed",
        _ => "",
    };
    println!(
        "window        {} to {}: {} working days ({} half-days){}",
        e.start,
        e.end,
        days.len(),
        days.len() * 2,
        holidays
    );
    if !e.closed_days.is_empty() {
        let closed: Vec<String> = e.closed_days.iter().map(ToString::to_string).collect();
        println!("closed days   {}", closed.join(", "));
    }

    // Per-service figures, in id order.
    let mut services: BTreeMap<&ServiceId, ServiceFigures> = e
        .services
        .iter()
        .map(|s| (&s.id, ServiceFigures::default()))
        .collect();
    let service_of: BTreeMap<_, _> = e.agents.iter().map(|a| (&a.id, &a.service)).collect();
    for a in &e.agents {
        if let Some(f) = services.get_mut(&a.service) {
            f.agents += 1;
            f.visitors += usize::from(a.visits);
            f.hosts += usize::from(a.hosts);
        }
    }
    for h in &e.host_slots {
        if let Some(f) = service_of.get(&h.host).and_then(|s| services.get_mut(*s)) {
            f.host_slots += 1;
            f.half_days_offered += h.part.halves().len();
        }
    }
    println!();
    println!(
        "{:<24} {:>6} {:>8} {:>6} {:>6} {:>10}  limits",
        "service", "agents", "visitors", "hosts", "slots", "half-days"
    );
    for s in &e.services {
        let Some(f) = services.get(&s.id) else {
            continue;
        };
        let mut limits = vec![format!("continuity cap {}", s.continuity_cap)];
        if !s.cap_overrides.is_empty() {
            limits.push(format!("{} override(s)", s.cap_overrides.len()));
        }
        if let Some(m) = s.max_visitors {
            limits.push(format!("at most {m} visitor(s) at once"));
        }
        if s.confidentiality_required {
            limits.push("confidentiality agreement".to_owned());
        }
        println!(
            "{:<24} {:>6} {:>8} {:>6} {:>6} {:>10}  {}",
            s.id.as_str(),
            f.agents,
            f.visitors,
            f.hosts,
            f.host_slots,
            f.half_days_offered,
            limits.join(", ")
        );
    }

    let visitors = e.agents.iter().filter(|a| a.visits).count();
    let hosts = e.agents.iter().filter(|a| a.hosts).count();
    let both = e.agents.iter().filter(|a| a.visits && a.hosts).count();
    let signed = e.agents.iter().filter(|a| a.confidentiality_signed).count();
    let full_day_slots = e
        .host_slots
        .iter()
        .filter(|h| h.part == Part::FullDay)
        .count();
    let capacity: u64 = e.host_slots.iter().map(|h| u64::from(h.capacity)).sum();
    println!();
    println!(
        "agents        {} in {} services: {visitors} visit, {hosts} host ({both} both), {signed} signed the confidentiality agreement",
        e.agents.len(),
        e.services.len()
    );
    println!(
        "host slots    {} ({full_day_slots} full days), {capacity} visitor place(s) in all",
        e.host_slots.len()
    );

    if e.wishes.is_empty() {
        println!("wishes        none: a pure draw over the host slots");
    } else {
        let mut by_rank: BTreeMap<u32, usize> = BTreeMap::new();
        for w in &e.wishes {
            *by_rank.entry(w.rank).or_default() += 1;
        }
        let wishers = e
            .wishes
            .iter()
            .map(|w| &w.visitor)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let full_days = e
            .wishes
            .iter()
            .filter(|w| w.duration == Duration::FullDay)
            .count();
        let ranks: Vec<String> = by_rank
            .iter()
            .map(|(r, n)| format!("rank {r}: {n}"))
            .collect();
        println!(
            "wishes        {} from {wishers} visitors ({}), {full_days} for a full day",
            e.wishes.len(),
            ranks.join(", ")
        );
    }

    let p = &e.policy;
    let agreement = match p.confidentiality {
        Confidentiality::CollectBeforeVisit => "unsigned agreements collected before the visit",
        _ => "unsigned agreements refused",
    };
    println!(
        "policy        {} with seed {}, at most {} visit(s) per agent, a {} without wish, {agreement}",
        p.strategy, p.seed, p.max_visits_per_agent, p.default_duration
    );
}
