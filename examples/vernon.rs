//! Vernon's *Vis mon job*, drawn: 20 reception agents from 5 services
//! swap places for a half-day over two months; a seeded draw (*tirage au
//! sort*) decides who visits which reception point, never taking more than
//! one agent at a time from any service (continuity of service).
//!
//! ```sh
//! cargo run --example vernon            # the published seed, 2025
//! cargo run --example vernon -- 7       # another seed
//! ```
//!
//! Prints the calendar by date, then each participant's individual message
//! (date, half-day, service visited, host), and the reasons for anyone left
//! out. Anyone can re-run the draw: same file, same seed, same pairings.

use std::process::ExitCode;

use jobswap::{Instance, Part, Seed};

const DATA: &str = include_str!("data/vernon.json");

fn main() -> ExitCode {
    let mut edition = match jobswap::json::read_edition(DATA) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("vernon.json: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(arg) = std::env::args().nth(1) {
        let Ok(seed) = arg.parse::<Seed>() else {
            eprintln!("usage: vernon [SEED]   (SEED: 0 to 2^64 - 1)");
            return ExitCode::from(2);
        };
        edition.policy.seed = seed;
    }
    let instance = match Instance::new(edition) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = instance.solve();
    let violations = jobswap::verify(instance.edition(), &outcome);
    if !violations.is_empty() {
        for v in violations {
            eprintln!("violation: {v}");
        }
        return ExitCode::FAILURE;
    }
    let e = instance.edition();
    let name = |id: &jobswap::AgentId| -> String {
        e.agents
            .iter()
            .find(|a| a.id == *id)
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    };
    let service = |id: &jobswap::ServiceId| -> String {
        e.services
            .iter()
            .find(|s| s.id == *id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    };
    let when = |p: Part| match p {
        Part::Morning => "matin",
        Part::Afternoon => "après-midi",
        Part::FullDay => "journée",
    };

    println!("{} — tirage au sort, graine {}", e.name, outcome.seed);
    println!(
        "{} agents placés sur {} volontaires, {} jours ouvrés\n",
        outcome.report().placed,
        outcome.report().asked,
        instance.calendar().days().len()
    );
    println!("Calendrier");
    for (date, pairings) in outcome.by_date() {
        for p in pairings {
            println!(
                "  {} {:<10}  {:<22} → {:<36} accueilli·e par {}",
                date.format("%d/%m"),
                when(p.part),
                name(&p.visitor),
                service(&p.service),
                name(&p.host)
            );
        }
    }
    println!("\nMessages individuels");
    for p in outcome.pairings() {
        println!(
            "  À {} : le {} ({}), vous découvrirez le service « {} », accueilli·e par {}.",
            name(&p.visitor),
            p.date.format("%d/%m/%Y"),
            when(p.part),
            service(&p.service),
            name(&p.host)
        );
    }
    for u in outcome.unplaced() {
        println!(
            "  {} n'a pas pu être placé·e : {:?}",
            name(&u.visitor),
            u.reasons
        );
    }
    ExitCode::SUCCESS
}
