//! The other strategies on the benchmark presets, the instance read and
//! indexed outside the timed part: the aggregate relaxation (min-cost flow),
//! the optimal strategy (plan + certified bound), the stable matching and
//! the reciprocal pairs (also on a dense graph built here).
//!
//! ```sh
//! cargo bench --bench strategies
//! ```
//!
//! Instances are read from `../shared/bench/instances/`; a missing one is
//! skipped.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use jobswap::core_format::CoreInstance;
use jobswap::{Instance, Policy, Strategy};

fn load(preset: &str, strategy: Strategy) -> Option<Instance> {
    let path = format!(
        "{}/../shared/bench/instances/{preset}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).ok()?;
    let core: CoreInstance = serde_json::from_str(&text).ok()?;
    Instance::new(core.to_edition(Policy::new(strategy).seed(1)).ok()?).ok()
}

fn strategies(c: &mut Criterion) {
    for (name, strategy) in [
        ("aggregate", Strategy::Draw),
        ("optimal", Strategy::Optimal),
        ("stable", Strategy::Stable),
        ("reciprocal", Strategy::Draw),
    ] {
        let mut group = c.benchmark_group(name);
        for preset in ["small", "medium", "large"] {
            let Some(instance) = load(preset, strategy) else {
                eprintln!("{name}/{preset}: instance not found, skipped");
                continue;
            };
            if preset == "large" {
                group
                    .sample_size(10)
                    .measurement_time(Duration::from_secs(10));
            }
            let id = BenchmarkId::from_parameter(preset);
            match name {
                "aggregate" => group.bench_with_input(id, &instance, |b, i| {
                    b.iter_with_large_drop(|| black_box(i).aggregate());
                }),
                "reciprocal" => group.bench_with_input(id, &instance, |b, i| {
                    b.iter_with_large_drop(|| black_box(i).reciprocal_pairs());
                }),
                _ => {
                    // Check the answer once before timing.
                    let o = instance.solve();
                    assert!(jobswap::verify(instance.edition(), &o).is_empty());
                    group.bench_with_input(id, &instance, |b, i| {
                        b.iter_with_large_drop(|| black_box(i).solve());
                    })
                }
            };
        }
        group.finish();
    }
}

/// Three services of 700 visitors, each wishing the two others (ranks drawn
/// by a fixed xorshift): 1.5 million reciprocal edges with odd cycles, the
/// dense case the blossom gets as complete bipartite blocks.
fn dense_reciprocal() -> Option<Instance> {
    use jobswap::{Agent, Edition, Service, Wish};
    let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 3)?;
    let mut e = Edition::new("dense", day, day).policy(Policy::new(Strategy::Reciprocal).seed(1));
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for s in 0..3 {
        e = e.service(Service::new(format!("s{s}"), format!("Service {s}")));
    }
    for a in 0..2100 {
        let own = a % 3;
        let id = format!("a{a}");
        e = e.agent(Agent::new(id.as_str(), id.as_str(), format!("s{own}")).visits(true));
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let first = (own + 1 + (x % 2) as usize) % 3;
        let second = 3 - own - first;
        e = e
            .wish(Wish::service(id.as_str(), format!("s{first}"), 1))
            .wish(Wish::service(id.as_str(), format!("s{second}"), 2));
    }
    Instance::new(e).ok()
}

fn dense(c: &mut Criterion) {
    let Some(instance) = dense_reciprocal() else {
        eprintln!("reciprocal/dense-3x700: edition rejected, skipped");
        return;
    };
    c.bench_function("reciprocal/dense-3x700", |b| {
        b.iter_with_large_drop(|| black_box(&instance).reciprocal_pairs());
    });
}

criterion_group!(benches, strategies, dense);
criterion_main!(benches);
