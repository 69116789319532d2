//! Question: how does the cost of one tick grow with the number of citizens, in each activation
//! mode? Epstein-like worlds at density 0.7 on a torus, one patrol per 100 citizens (so 10⁶
//! citizens come with 10⁴ units), legitimacy 0.82, measured after a 20-tick warm-up.
//!
//! `cargo bench -p peacesim-benches --bench scale -- --quick` (a few minutes); `PEACESIM_BENCH_MAX=100000` stops
//! before the million.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use peacesim::{metrics::Recorder, scenario, systems, world};
use std::path::Path;
use std::sync::Arc;

pub fn world_of(citizens: u32, activation: &str) -> bevy_ecs::world::World {
    let side = ((citizens as f64 / 0.7).sqrt().ceil()) as u32;
    let text = format!(
        "[scenario]\nname = \"scale\"\nseed = 1\nticks = 100\n\
         [map]\nwidth = {side}\nheight = {side}\ntorus = true\n\
         [[districts]]\nname = \"world\"\npopulation = {citizens}\nhardship = 0.5\ninitial_trust = 0.82\n\
         [unrest]\nactivation = \"{activation}\"\n\
         [[partners]]\nname = \"cops\"\nkind = \"coalition_contingent\"\nsupply = 1e7\nsupply_capacity = 1e7\nresupply = 1e7\n\
         [[units]]\npartner = \"cops\"\nkind = \"patrol\"\ncount = {}\n",
        citizens / 100
    );
    let s = scenario::parse_str(&text, Path::new("scale.toml")).unwrap_or_else(|e| panic!("{e}"));
    let mut w = world::spawn(Arc::new(s), 0);
    w.insert_resource(Recorder::default());
    w
}

fn scale(c: &mut Criterion) {
    let max: u32 = std::env::var("PEACESIM_BENCH_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let mut group = c.benchmark_group("tick_by_citizens");
    group.sample_size(10);
    for activation in ["random_sequential", "simultaneous"] {
        for citizens in [1_000u32, 10_000, 100_000, 1_000_000] {
            if citizens > max {
                continue;
            }
            let mut w = world_of(citizens, activation);
            let mut schedule = systems::tick_schedule();
            for _ in 0..20 {
                schedule.run(&mut w);
            }
            group.throughput(Throughput::Elements(citizens as u64));
            group.bench_with_input(BenchmarkId::new(activation, citizens), &citizens, |b, _| {
                b.iter(|| schedule.run(&mut w))
            });
        }
    }
    group.finish();
}

/// The target world: 10⁶ citizens + 10⁴ patrols, simultaneous activation, one tick
/// (whole schedule, metrics included) on a pool of 1 and of 2 threads. The same world must be
/// byte-identical at any thread count (`tests/determinism.rs`); this measures the speed-up.
fn million(c: &mut Criterion) {
    if std::env::var("PEACESIM_BENCH_MAX")
        .is_ok_and(|v| v.parse().is_ok_and(|m: u32| m < 1_000_000))
    {
        return;
    }
    let mut group = c.benchmark_group("million_tick");
    group.sample_size(10);
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool");
        let mut w = world_of(1_000_000, "simultaneous");
        let mut schedule = systems::tick_schedule();
        pool.install(|| {
            for _ in 0..20 {
                schedule.run(&mut w);
            }
        });
        group.throughput(Throughput::Elements(1_000_000));
        group.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, _| {
            b.iter(|| pool.install(|| schedule.run(&mut w)))
        });
    }
    group.finish();
}

criterion_group!(benches, scale, million);
criterion_main!(benches);
