//! The seeded draw on the benchmark presets (small 200, medium 2 000,
//! large 20 000, huge 200 000 visitors), the instance read and indexed
//! outside the timed part.
//!
//! ```sh
//! gunzip -c ../shared/bench/instances/huge.json.gz > /tmp/huge.json   # for huge
//! cargo bench --bench draw
//! ```
//!
//! Instances are read from `../shared/bench/instances/` (huge from
//! `/tmp/huge.json`, or `$JOBSWAP_HUGE`); a missing one is skipped.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use jobswap::core_format::CoreInstance;
use jobswap::{Instance, Policy, Strategy};

fn load(preset: &str) -> Option<Instance> {
    let path = if preset == "huge" {
        std::env::var("JOBSWAP_HUGE").unwrap_or_else(|_| "/tmp/huge.json".into())
    } else {
        format!(
            "{}/../shared/bench/instances/{preset}.json",
            env!("CARGO_MANIFEST_DIR")
        )
    };
    let text = std::fs::read_to_string(&path).ok()?;
    let core: CoreInstance = serde_json::from_str(&text).ok()?;
    let edition = core.to_edition(Policy::new(Strategy::Draw).seed(1)).ok()?;
    Instance::new(edition).ok()
}

fn draw(c: &mut Criterion) {
    let mut group = c.benchmark_group("draw");
    for preset in ["small", "medium", "large", "huge"] {
        let Some(instance) = load(preset) else {
            eprintln!("draw/{preset}: instance not found, skipped");
            continue;
        };
        // Check the answer once before timing.
        let outcome = instance.solve();
        assert!(jobswap::verify(instance.edition(), &outcome).is_empty());
        if matches!(preset, "large" | "huge") {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(20));
        }
        group.bench_with_input(BenchmarkId::from_parameter(preset), &instance, |b, i| {
            b.iter_with_large_drop(|| black_box(i).solve());
        });
    }
    group.finish();
}

criterion_group!(benches, draw);
criterion_main!(benches);
