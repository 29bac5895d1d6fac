//! Solves an edition and writes its self-contained HTML report (French
//! labels, inline CSS, no JavaScript): headline figures, the continuity
//! heat map, the rank histogram, the pairings by date, the visitors left
//! out and why, and the load per service.
//!
//! ```sh
//! cargo run --example report -- examples/data/vernon.json out/vernon.html
//! ```
//!
//! Then open `out/vernon.html` in any browser; no server is needed.

use std::path::Path;
use std::process::ExitCode;

use jobswap::Instance;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: report EDITION.json OUTPUT.html");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(input) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{input}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let edition = match jobswap::json::read_edition(&text) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{input}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let instance = match Instance::new(edition) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{input}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = instance.solve();
    let page = jobswap::html::report(instance.edition(), instance.calendar(), &outcome);
    if let Some(dir) = Path::new(output)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        if let Err(e) = std::fs::create_dir_all(dir) {
            eprintln!("{}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    }
    if let Err(e) = std::fs::write(output, page) {
        eprintln!("{output}: {e}");
        return ExitCode::FAILURE;
    }
    let r = outcome.report();
    println!(
        "{output}: {} / {} placed, {} left out",
        r.placed,
        r.asked,
        outcome.unplaced().len()
    );
    ExitCode::SUCCESS
}
