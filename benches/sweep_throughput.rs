//! Question: how many runs per second does a sweep do at 1 and 2 threads (parallel efficiency)?
//! 40 short runs of the baseline (20 ticks) per iteration. `cargo bench -p peacesim-benches --bench sweep_throughput`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use peacesim::experiment::{pool, run_index, run_one};
use peacesim::scenario;
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;

fn throughput(c: &mut Criterion) {
    // From the repository root (this crate lives in benches/).
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/baseline.toml");
    let mut s = scenario::load(&path)
        .unwrap_or_else(|e| panic!("{e}"))
        .scenario;
    s.ticks = 20;
    let s = Arc::new(s);
    const RUNS: u32 = 40;
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    group.throughput(Throughput::Elements(RUNS as u64));
    for threads in [1usize, 2] {
        let workers = pool(threads).expect("thread pool");
        group.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, _| {
            b.iter(|| {
                workers.install(|| {
                    (0..RUNS)
                        .into_par_iter()
                        .map(|r| run_one(&s, run_index(0, r, false)).ticks.len())
                        .sum::<usize>()
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
