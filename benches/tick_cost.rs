//! Question: what does a tick cost, and a whole bundled run? Seeded inputs, small and mid sizes.
//!
//! `cargo bench -p peacesim-benches --bench tick_cost`; add `-- --quick` for a short pass.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use peacesim::{scenario, sim, systems, world};
use std::path::Path;
use std::sync::Arc;

fn load(rel: &str) -> scenario::Scenario {
    // Paths are from the repository root (this crate lives in benches/).
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel);
    scenario::load(&path)
        .unwrap_or_else(|e| panic!("{e}"))
        .scenario
}

fn tick_cost(c: &mut Criterion) {
    let mut group = c.benchmark_group("tick");
    for rel in [
        "scenarios/baseline.toml",
        "benches/scenarios/city-100x100.toml",
    ] {
        let s = Arc::new(load(rel));
        let citizens: u32 = s.districts.iter().map(|d| d.population).sum();
        let mut w = world::spawn(s.clone(), 0);
        w.insert_resource(peacesim::metrics::Recorder::default());
        let mut schedule = systems::tick_schedule();
        // Warm past the initial transient so the steady state is measured.
        for _ in 0..50 {
            schedule.run(&mut w);
        }
        group.bench_with_input(BenchmarkId::new("citizens", citizens), &(), |b, _| {
            b.iter(|| schedule.run(&mut w))
        });
    }
    group.finish();
}

fn whole_run(c: &mut Criterion) {
    let s = Arc::new(load("scenarios/baseline.toml"));
    let mut group = c.benchmark_group("run");
    group.sample_size(10);
    group.bench_function("baseline_365_ticks", |b| {
        b.iter(|| sim::run(s.clone(), 0, s.ticks))
    });
    // Mesa's GUI settings (the peacesim side of benches/mesa/compare.sh): 2,000 steps.
    let mesa = Arc::new(load("scenarios/epstein-mesa.toml"));
    group.bench_function("epstein_mesa_2000_ticks", |b| {
        b.iter(|| sim::run(mesa.clone(), 0, 2000))
    });
    group.finish();
}

criterion_group!(benches, tick_cost, whole_run);
criterion_main!(benches);
