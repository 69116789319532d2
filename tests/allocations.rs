//! A steady-state tick allocates nothing on the thread that runs it (issue 16: "no per-tick
//! allocation"), except when a reused buffer outgrows its largest size so far (amortized
//! doubling: rare, and rarer as the run goes on). Allocations are counted per thread by a global
//! allocator that wraps the system one, so other tests running in parallel do not disturb the
//! count; the worlds are small enough that every pass runs on the calling thread (no rayon
//! worker allocates on its behalf).

use peacesim::scenario;
use peacesim::sim::Stepper;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;
use std::sync::Arc;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded to `System` unchanged; the count is a thread-local `Cell`,
// which allocates nothing itself.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// Allocations of each of `ticks` ticks of `s` after `warm` warm-up ticks, with the rows'
/// room reserved as `sim::run` reserves it.
fn per_tick(s: peacesim::scenario::Scenario, warm: u32, ticks: u32) -> Vec<u64> {
    let mut stepper = Stepper::new(Arc::new(s), 0);
    stepper.reserve(warm + ticks);
    for _ in 0..warm {
        stepper.step();
    }
    (0..ticks)
        .map(|_| {
            let before = allocations();
            stepper.step();
            allocations() - before
        })
        .collect()
}

/// Every bundled scenario, and the bundled Epstein worlds under simultaneous activation: after
/// 30 ticks, the typical tick (the median of 30 more) allocates nothing, and none allocates more
/// than a few times (a buffer reaching a new high-water mark). Before stop 14 every tick of the
/// baseline allocated 44 times (a `String` per district and partner row), epstein-mesa's 3.
/// Model II's births grow the citizens' arrays, so its bursts are not bounded here.
#[test]
fn steady_ticks_allocate_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .expect("scenarios/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "the bundled scenarios are in scenarios/");
    let mut worlds = Vec::new();
    for path in &files {
        let s = scenario::load(path)
            .unwrap_or_else(|e| panic!("{e}"))
            .scenario;
        if s.unrest.activation == peacesim::scenario::Activation::RandomSequential
            && path.to_string_lossy().contains("epstein")
        {
            let mut sim = s.clone();
            sim.unrest.activation = peacesim::scenario::Activation::Simultaneous;
            worlds.push((format!("{} (simultaneous)", path.display()), sim));
        }
        worlds.push((path.display().to_string(), s));
    }
    let mut failed = Vec::new();
    for (name, s) in worlds {
        let births = s.violence.enabled && s.violence.reproduction > 0.0;
        let counts = per_tick(s, 30, 30);
        let mut sorted = counts.clone();
        sorted.sort_unstable();
        let (median, max) = (sorted[sorted.len() / 2], sorted[sorted.len() - 1]);
        if median > 0 || (max > 8 && !births) {
            failed.push(format!("{name}: {counts:?}"));
        }
    }
    assert!(
        failed.is_empty(),
        "ticks that allocated:\n{}",
        failed.join("\n")
    );
}
