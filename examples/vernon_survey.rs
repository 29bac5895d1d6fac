//! Vernon's end-of-edition questionnaire, reproduced.
//!
//! Scenario: the first *Vis mon job* edition of the Ville de Vernon swapped
//! 20 agents of 5 reception services for half a day each over two months.
//! A satisfaction questionnaire was then sent to the 20 participants; 18
//! answered (the 2 others were away). The published results were: response
//! rate 90 %; satisfied with having taken part 100 % (94.4 % very satisfied,
//! 5.6 % satisfied); satisfied with the organisation 94 % (72 % very
//! satisfied, 22 % satisfied); would take part again 94.4 %.
//!
//! The 18 answers are in `examples/data/vernon-survey.json`, for the 20
//! agents of `examples/data/vernon.json` (the answers' distribution among
//! agents and the astonishment reports are illustrative; the counts are
//! those published). Every Vernon agent both visited and hosted, but
//! received one questionnaire: each is invited under one role, half as
//! visitors and half as hosts (Denise visited Véronique, say the slides). An
//! organiser who sends one questionnaire per role invites such an agent
//! twice.
//! The example prints the response rate (overall, by role, by service),
//! then each question's counts and shares, overall and by role, rounded by
//! the largest remainder method so that each question's shares add up to
//! 100 %, and the astonishment reports.
//!
//! ```sh
//! cargo run --example vernon_survey                 # shares at 0.1 %
//! cargo run --example vernon_survey -- --decimals 0 # shares at 1 %, as Vernon's organisation figures
//! cargo run --example vernon_survey -- other-survey.json
//! ```

use std::process::ExitCode;

use jobswap::Role;
use jobswap::survey::{Breakdown, Precision, Share, SurveyDocument, SurveySummary, Tally};

fn usage() -> ExitCode {
    eprintln!("usage: vernon_survey [--decimals N] [SURVEY.json]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/vernon-survey.json"
    )
    .to_owned();
    let mut precision = Precision::TENTH;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--decimals" => match args
                .next()
                .and_then(|s| s.parse().ok())
                .and_then(Precision::new)
            {
                Some(p) => precision = p,
                None => return usage(),
            },
            _ if !a.starts_with("--") => path = a,
            _ => return usage(),
        }
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let document: SurveyDocument = match serde_json::from_str(&text) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{path} is not a survey document: {e}");
            return ExitCode::FAILURE;
        }
    };
    match document.summarise(precision) {
        Ok(summary) => {
            print_summary(&summary);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{path}:");
            for p in e.problems() {
                eprintln!("  [{}] {p}", p.code());
            }
            ExitCode::FAILURE
        }
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Visitor => "visitors",
        Role::Host => "hosts",
    }
}

fn cell(share: &Share) -> String {
    format!("{:>3} {:>8}", share.count, share.to_string())
}

fn print_summary(summary: &SurveySummary) {
    println!("{}", summary.title);
    println!();
    let rate = &summary.response_rate;
    println!(
        "Response rate: {} of {} invited answered = {}",
        rate.count, rate.total, rate
    );
    for r in &summary.by_role {
        println!(
            "  {:<20} {}/{} = {}",
            role_name(r.role),
            r.rate.count,
            r.rate.total,
            r.rate
        );
    }
    for s in &summary.by_service {
        println!(
            "  {:<20} {}/{} = {}",
            s.service.as_str(),
            s.rate.count,
            s.rate.total,
            s.rate
        );
    }

    for q in &summary.questions {
        println!();
        println!("[{}] {}", q.id, q.text);
        let groups: Vec<&Breakdown> = std::iter::once(&q.overall).chain(&q.by_role).collect();
        let header: Vec<String> = groups
            .iter()
            .map(|b| {
                let name = b.role.map_or("all", role_name);
                format!("{:>12}", format!("{name} ({})", b.answered))
            })
            .collect();
        match &q.overall.tally {
            Tally::Likert { categories, .. } => {
                println!("  {:<18}{}", "", header.join(" "));
                for (i, c) in categories.iter().enumerate() {
                    let cells: Vec<String> = groups
                        .iter()
                        .map(|b| match &b.tally {
                            Tally::Likert { categories, .. } => categories
                                .get(i)
                                .map_or_else(String::new, |c| cell(&c.share)),
                            _ => String::new(),
                        })
                        .collect();
                    println!("  {:<18}{}", c.label, cells.join(" "));
                }
                let cells: Vec<String> = groups
                    .iter()
                    .filter_map(|b| b.satisfied())
                    .map(cell)
                    .collect();
                println!("  {:<18}{}", "= satisfied", cells.join(" "));
            }
            Tally::YesNo { .. } => {
                println!("  {:<18}{}", "", header.join(" "));
                let row = |label: &str, pick: fn(&Tally) -> Option<&Share>| {
                    let cells: Vec<String> = groups
                        .iter()
                        .filter_map(|b| pick(&b.tally))
                        .map(cell)
                        .collect();
                    println!("  {label:<18}{}", cells.join(" "));
                };
                row("yes", |t| match t {
                    Tally::YesNo { yes, .. } => Some(yes),
                    _ => None,
                });
                row("no", |t| match t {
                    Tally::YesNo { no, .. } => Some(no),
                    _ => None,
                });
            }
            Tally::FreeText { reports } => {
                println!(
                    "  {} report(s) from {} respondent(s)",
                    reports.len(),
                    q.overall.respondents
                );
                for r in reports {
                    println!(
                        "  - {} ({}, {}): {}",
                        r.participant,
                        role_name(r.role),
                        r.service,
                        r.text
                    );
                }
            }
            _ => println!("  (a kind of question this example does not print)"),
        }
    }
}
