//! The other strategies on the benchmark presets, the instance read and
//! indexed outside the timed part: the aggregate relaxation (min-cost flow),
//! the optimal strategy (plan + certified bound), the stable matching and
//! the reciprocal pairs.
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

criterion_group!(benches, strategies);
criterion_main!(benches);
