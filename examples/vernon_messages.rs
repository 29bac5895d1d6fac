//! Vernon's communication plan: the general mail to every participant, the
//! individual mail with each agent's date and service, the reminder the
//! working day before each swap, and the questionnaire at the end, as
//! dated messages, rendered in French (or English with `--en`). With
//! `--ics`, prints the whole edition's iCalendar file instead.
//!
//! ```sh
//! cargo run --example vernon_messages
//! cargo run --example vernon_messages -- --en
//! cargo run --example vernon_messages -- --ics > vernon.ics
//! ```

use std::process::ExitCode;

use jobswap::Instance;
use jobswap::comms::{self, Lang};

const VERNON: &str = include_str!("data/vernon.json");

fn main() -> ExitCode {
    let mut lang = Lang::Fr;
    let mut ics = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--en" => lang = Lang::En,
            "--ics" => ics = true,
            _ => {
                eprintln!("usage: vernon_messages [--en] [--ics]");
                return ExitCode::from(2);
            }
        }
    }
    let edition = match jobswap::json::read_edition(VERNON) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("vernon.json: {e}");
            return ExitCode::FAILURE;
        }
    };
    let instance = match Instance::new(edition) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("vernon.json: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = instance.solve();
    if ics {
        print!(
            "{}",
            jobswap::ics::for_edition(instance.edition(), &outcome)
        );
        return ExitCode::SUCCESS;
    }
    let plan = comms::plan(instance.edition(), &outcome);
    println!(
        "{}: {} messages for {} pairings, {} left out",
        instance.edition().name,
        plan.messages().len(),
        outcome.pairings().len(),
        outcome.unplaced().len()
    );
    for m in plan.messages() {
        let text = m.render(lang);
        println!(
            "\n=== {} → {} ({:?})\nSubject: {}\n\n{}",
            m.send_on, m.recipient, m.kind, text.subject, text.body
        );
    }
    ExitCode::SUCCESS
}
