//! The benchmark bridge: reads a core instance (`../shared/bench/FORMAT.md`),
//! maps it onto the crate's own types, runs the real pipeline (validation,
//! dense index, strategy, checker) and writes the solution format on stdout,
//! with timings on stderr.
//!
//! ```sh
//! cargo run --release --example solve -- --strategy draw --seed 1 INSTANCE.json > SOLUTION.json
//! ```

use std::process::ExitCode;
use std::time::Instant;

use jobswap::core_format::{CoreAggregate, CoreInstance, CoreSolution};
use jobswap::{Instance, Policy, Strategy};

fn usage() -> ExitCode {
    eprintln!(
        "usage: solve --strategy draw|optimal|stable|aggregate|reciprocal [--seed N] [--priority FILE] [--schedule] [--legs same-day|swap|anywhere[:GAP]] [--mixed[=draw|optimal]] [--no-verify] [--no-second-chance] INSTANCE.json"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut strategy = None;
    let mut seed = 1u64;
    let mut path = None;
    let mut verify = true;
    let mut second_chance = true;
    let mut priority_file: Option<String> = None;
    let mut schedule = false;
    let mut legs: Option<jobswap::Legs> = None;
    let mut mixed = false;
    let mut one_way = jobswap::OneWay::Draw;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--strategy" => strategy = args.next(),
            "--seed" => match args.next().and_then(|s| s.parse().ok()) {
                Some(s) => seed = s,
                None => return usage(),
            },
            "--no-verify" => verify = false,
            "--no-second-chance" => second_chance = false,
            "--priority" => match args.next() {
                Some(p) => priority_file = Some(p),
                None => return usage(),
            },
            "--schedule" => schedule = true,
            "--mixed" | "--mixed=draw" => mixed = true,
            "--mixed=optimal" => {
                mixed = true;
                one_way = jobswap::OneWay::Optimal;
            }
            "--legs" => {
                legs = match args.next().as_deref() {
                    Some("same-day") => Some(jobswap::Legs::SameDay),
                    Some("swap") => Some(jobswap::Legs::Swap),
                    Some("anywhere") => Some(jobswap::Legs::Anywhere { min_gap_days: 0 }),
                    Some(x) => match x.strip_prefix("anywhere:").and_then(|g| g.parse().ok()) {
                        Some(g) => Some(jobswap::Legs::Anywhere { min_gap_days: g }),
                        None => return usage(),
                    },
                    None => return usage(),
                }
            }
            _ if path.is_none() && !a.starts_with("--") => path = Some(a),
            _ => return usage(),
        }
    }
    let (Some(strategy), Some(path)) = (strategy, path) else {
        return usage();
    };
    // Pairs only, unless the legs are to be scheduled.
    let reciprocal = strategy == "reciprocal" && legs.is_none();
    let (strategy, aggregate) = match strategy.as_str() {
        "reciprocal" if legs.is_some() => (Strategy::Reciprocal, false),
        // Pairs only do not use the policy's strategy.
        "draw" | "reciprocal" => (Strategy::Draw, false),
        "aggregate" => (Strategy::Draw, true),
        "optimal" => (Strategy::Optimal, false),
        "stable" => (Strategy::Stable, false),
        other => {
            eprintln!(
                "unknown strategy `{other}` (known: draw, optimal, stable, aggregate, reciprocal)"
            );
            return ExitCode::from(2);
        }
    };

    let t0 = Instant::now();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let core: CoreInstance = match serde_json::from_str(&text) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    drop(text);
    let mut policy = Policy::new(strategy)
        .seed(seed)
        .second_chance(second_chance)
        .legs(legs.unwrap_or_default())
        .mixed(mixed)
        .one_way(one_way);
    if let Some(file) = &priority_file {
        // `{"priority": [visitor, ...]}` as stable.py --priority-out writes it.
        let parsed = std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).map_err(|e| e.to_string()));
        let order = match parsed {
            Ok(v) => v
                .get("priority")
                .and_then(serde_json::Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(serde_json::Value::as_u64)
                        .filter_map(|x| u32::try_from(x).ok())
                        .map(|x| jobswap::AgentId::new(jobswap::core_format::visitor_id(x)))
                        .collect::<Vec<_>>()
                }),
            Err(e) => {
                eprintln!("{file}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let Some(order) = order else {
            eprintln!("{file}: expected {{\"priority\": [visitor, ...]}}");
            return ExitCode::FAILURE;
        };
        policy = policy.priority(order);
    }
    let edition = match core.to_edition(policy) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let t_load = t0.elapsed();
    let t1 = Instant::now();
    let instance = match Instance::new(edition) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let t_index = t1.elapsed();
    let t2 = Instant::now();
    if reciprocal {
        let pairs = instance.reciprocal_pairs();
        let t_solve = t2.elapsed();
        let assign: Vec<(u32, u32)> = pairs
            .pairs
            .iter()
            .filter_map(|p| {
                let a = p.a.as_str().get(1..)?.parse().ok()?;
                let b = p.b.as_str().get(1..)?.parse().ok()?;
                Some((a, b))
            })
            .collect();
        let out = serde_json::json!({
            "format": "jobswap-core-pairs",
            "version": 1,
            "instance": core.name,
            "pairs": pairs.pairs.len(),
            "weight": pairs.weight,
            "rank_sum": pairs.rank_sum,
            "assign": assign,
        });
        println!("{out}");
        eprintln!(
            "{{\"instance\":\"{}\",\"strategy\":\"reciprocal\",\"pairs\":{},\"weight\":{},\"seconds_load\":{:.4},\"seconds_index\":{:.4},\"seconds_solve\":{:.4}}}",
            core.name,
            pairs.pairs.len(),
            pairs.weight,
            t_load.as_secs_f64(),
            t_index.as_secs_f64(),
            t_solve.as_secs_f64()
        );
        return ExitCode::SUCCESS;
    }
    if aggregate || (strategy == Strategy::Stable && !schedule) {
        let agg = if aggregate {
            instance.aggregate()
        } else {
            instance.stable_matching()
        };
        let t_solve = t2.elapsed();
        let relaxation = if aggregate {
            "aggregate/origin-cap/pruned-edges"
        } else {
            "stable/host-only/pruned-edges"
        };
        let sol = CoreAggregate::from_aggregate(&core, &agg, relaxation);
        return match serde_json::to_string(&sol) {
            Ok(s) => {
                println!("{s}");
                eprintln!(
                    "{{\"instance\":\"{}\",\"strategy\":\"{strategy}-aggregate\",\"placed\":{},\"rank_sum\":{},\"seconds_load\":{:.4},\"seconds_index\":{:.4},\"seconds_solve\":{:.4}}}",
                    core.name,
                    sol.placed,
                    sol.rank_sum,
                    t_load.as_secs_f64(),
                    t_index.as_secs_f64(),
                    t_solve.as_secs_f64()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        };
    }
    let outcome = instance.solve();
    let t_solve = t2.elapsed();
    let t3 = Instant::now();
    if verify {
        let v = jobswap::verify(instance.edition(), &outcome);
        if !v.is_empty() {
            for x in v.iter().take(20) {
                eprintln!("violation: {x}");
            }
            return ExitCode::FAILURE;
        }
    }
    let t_verify = t3.elapsed();
    let sol = CoreSolution::from_outcome(&core, &outcome, &format!("jobswap-{strategy}"));
    match serde_json::to_string(&sol) {
        Ok(s) => println!("{s}"),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    }
    eprintln!(
        "{{\"instance\":\"{}\",\"strategy\":\"{strategy}\",\"placed\":{},\"rank_sum\":{},\"bound\":{},\"gap\":{:.4},\"seconds_load\":{:.4},\"seconds_index\":{:.4},\"seconds_solve\":{:.4},\"seconds_verify\":{:.4}}}",
        core.name,
        sol.placed,
        sol.rank_sum,
        sol.bound.map_or("null".to_owned(), |b| b.to_string()),
        outcome.gap().unwrap_or(f64::NAN),
        t_load.as_secs_f64(),
        t_index.as_secs_f64(),
        t_solve.as_secs_f64(),
        t_verify.as_secs_f64()
    );
    ExitCode::SUCCESS
}
