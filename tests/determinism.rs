use peacesim::report::{csv_bytes, sha256_hex};
use peacesim::scenario::Scenario;
use peacesim::sim::{self, RunOutput};
use std::path::Path;
use std::sync::Arc;

use crate::common::small;

fn fixture() -> peacesim::scenario::Scenario {
    small(
        "",
        r#"
[[partners]]
name = "relief"
kind = "ngo"

[[units]]
partner = "blue"
kind = "patrol"
count = 25

[[units]]
partner = "relief"
kind = "aid_team"
count = 3
"#,
    )
}

fn csv_of(out: &sim::RunOutput) -> Vec<u8> {
    let mut bytes = csv_bytes(&out.ticks, Path::new("t.csv")).unwrap();
    bytes.extend(csv_bytes(&out.districts, Path::new("d.csv")).unwrap());
    bytes
}

/// First tick at which two runs differ, for a readable failure.
fn first_divergence(a: &sim::RunOutput, b: &sim::RunOutput) -> Option<u32> {
    a.ticks
        .iter()
        .zip(&b.ticks)
        .find(|(x, y)| x != y)
        .map(|(x, _)| x.tick)
}

/// One run of `s` (run 0, `ticks` ticks) on a rayon pool of `threads` threads.
fn run_on_threads(s: &Arc<Scenario>, threads: usize, ticks: u32) -> RunOutput {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let s = s.clone();
    pool.install(move || sim::run(s, 0, ticks))
}

/// Run `s` for `ticks` ticks with actives in sight kept incrementally (which takes unrest's
/// sequential paths), on the calling thread; the recorded rows.
fn run_tracking_sight(s: &Arc<Scenario>, ticks: u32) -> peacesim::metrics::Recorder {
    let mut world = peacesim::world::spawn(s.clone(), 0);
    world
        .resource_mut::<peacesim::world::Grid>()
        .start_tracking_sight();
    world.insert_resource(peacesim::metrics::Recorder::default());
    let mut schedule = peacesim::systems::tick_schedule();
    for _ in 0..ticks {
        schedule.run(&mut world);
    }
    world
        .remove_resource::<peacesim::metrics::Recorder>()
        .unwrap()
}

#[test]
fn same_seed_gives_identical_bytes() {
    let s = Arc::new(fixture());
    let a = sim::run(s.clone(), 0, 60);
    let b = sim::run(s, 0, 60);
    assert_eq!(first_divergence(&a, &b), None, "runs diverge");
    assert_eq!(csv_of(&a), csv_of(&b));
}

#[test]
fn different_seed_or_run_index_gives_different_results() {
    let s = fixture();
    let mut other = s.clone();
    other.seed = 2;
    let a = sim::run(Arc::new(s.clone()), 0, 60);
    let b = sim::run(Arc::new(other), 0, 60);
    let c = sim::run(Arc::new(s), 1, 60);
    assert_ne!(csv_of(&a), csv_of(&b));
    assert_ne!(csv_of(&a), csv_of(&c));
}

#[test]
fn results_do_not_depend_on_the_thread_that_runs_them() {
    let s = Arc::new(fixture());
    let here = sim::run(s.clone(), 0, 30);
    let there = std::thread::spawn(move || sim::run(s, 0, 30))
        .join()
        .unwrap();
    assert_eq!(csv_of(&here), csv_of(&there));
}

/// Pins the output of a small scenario. If a deliberate model change alters it, update the hash
/// and say so in the commit message.
#[test]
fn golden_output_hash() {
    let out = sim::run(Arc::new(fixture()), 0, 60);
    let hash = sha256_hex(&csv_of(&out));
    assert_eq!(
        hash, "92dd45e9653c453ce8bed772076a76cb6ba6a5cef0fc6b1d70f4d9b5dfb4e019",
        "golden output changed"
    );
}

#[test]
fn binary_runs_with_same_seed_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_peacesim");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    let run = |out: &str, seed: &str| {
        let status = std::process::Command::new(bin)
            .args([
                "run",
                scenario.to_str().unwrap(),
                "--ticks",
                "40",
                "--seed",
                seed,
                "--out",
            ])
            .arg(dir.path().join(out))
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        let base = dir.path().join(out).join("baseline");
        [
            "timeseries.csv",
            "districts.csv",
            "summary.json",
            "trust.svg",
            "trust.png",
            "map-stability.png",
            "agents-day-0001.png",
        ]
        .map(|f| std::fs::read(base.join(f)).unwrap())
    };
    let a = run("a", "7");
    let b = run("b", "7");
    let c = run("c", "8");
    assert_eq!(a, b, "same seed must give the same bytes");
    assert_ne!(a[0], c[0], "another seed must give another time series");
}

#[test]
fn schedule_has_no_ambiguities() {
    let mut world = peacesim::world::spawn(Arc::new(fixture()), 0);
    world.insert_resource(peacesim::metrics::Recorder::default());
    let mut schedule = peacesim::systems::tick_schedule();
    schedule
        .initialize(&mut world)
        .expect("the chained schedule builds with ambiguity detection set to error");
}

#[test]
fn simultaneous_mode_is_identical_at_one_and_two_threads() {
    // Moves and decisions run in parallel in simultaneous mode; results must not depend on the
    // threads.
    let mut s = fixture();
    s.unrest.activation = peacesim::scenario::Activation::Simultaneous;
    let s = Arc::new(s);
    let run_in = |threads: usize| run_on_threads(&s, threads, 60);
    let (one, two) = (run_in(1), run_in(2));
    assert_eq!(first_divergence(&one, &two), None);
    assert_eq!(csv_of(&one), csv_of(&two));
    // And the snapshot count equals the incremental count: same run with sight tracking on.
    let world = peacesim::world::spawn(s.clone(), 0);
    assert!(!world.resource::<peacesim::world::Grid>().track_sight());
    let tracked = run_tracking_sight(&s, 60);
    assert_eq!(
        tracked.ticks, one.ticks,
        "snapshot and incremental counts disagree"
    );
}

#[test]
fn a_mid_size_world_is_byte_identical_at_1_2_and_7_threads() {
    // 70,000 citizens and 700 patrols on a torus, both activation schemes: the tick's parallel
    // parts (simultaneous citizens' moves and decisions; the passes over every citizen, which go
    // parallel from `world::citizens::PARALLEL_FROM` citizens) must not depend on the pool size.
    const CITIZENS: usize = 70_000;
    const { assert!(CITIZENS >= peacesim::world::citizens::PARALLEL_FROM) };
    for activation in ["simultaneous", "random_sequential"] {
        let text = format!(
            "[scenario]\nname = \"mid\"\nseed = 11\nticks = 25\n\
             [map]\nwidth = 320\nheight = 320\ntorus = true\n\
             [[districts]]\nname = \"world\"\npopulation = {CITIZENS}\nhardship = 0.5\ninitial_trust = 0.82\n\
             [unrest]\nactivation = \"{activation}\"\n\
             [[partners]]\nname = \"cops\"\nkind = \"coalition_contingent\"\nsupply = 1e7\nsupply_capacity = 1e7\nresupply = 1e7\n\
             [[units]]\npartner = \"cops\"\nkind = \"patrol\"\ncount = 700\n"
        );
        let s = Arc::new(
            peacesim::scenario::parse_str(&text, Path::new("mid.toml"))
                .unwrap_or_else(|e| panic!("{e}")),
        );
        let run_in = |threads: usize| run_on_threads(&s, threads, 25);
        let one = run_in(1);
        assert!(
            one.ticks.iter().any(|t| t.detained > 0),
            "{activation}: the world has unrest to enforce"
        );
        for threads in [2, 7] {
            let other = run_in(threads);
            assert_eq!(
                first_divergence(&one, &other),
                None,
                "{activation}: first tick that differs at {threads} threads"
            );
            assert_eq!(
                csv_of(&one),
                csv_of(&other),
                "{activation} at {threads} threads"
            );
        }
    }
}

#[test]
fn simultaneous_moves_with_districts_steps_and_violence_are_byte_identical_at_1_2_and_7_threads() {
    // The constraints a simultaneous move respects: home districts (baseline: several districts,
    // a bounded map), one-cell steps, and Model II (vision 1.7 on a small torus, births adding
    // citizens, killing in a shuffled order).
    use peacesim::scenario::{Activation, raw::Movement};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for (file, movement, ticks) in [
        ("baseline.toml", Movement::Jump, 60),
        ("baseline.toml", Movement::Step, 60),
        ("epstein-model2.toml", Movement::Jump, 120),
    ] {
        let mut s = peacesim::scenario::load(&root.join(file)).unwrap().scenario;
        s.unrest.activation = Activation::Simultaneous;
        s.unrest.movement = movement;
        let s = Arc::new(s);
        let run_in = |threads: usize| run_on_threads(&s, threads, ticks);
        let one = run_in(1);
        for threads in [2, 7] {
            let other = run_in(threads);
            assert_eq!(
                first_divergence(&one, &other),
                None,
                "{file} {movement:?}: first tick that differs at {threads} threads"
            );
            assert_eq!(csv_of(&one), csv_of(&other), "{file} {movement:?}");
        }
    }
}

#[test]
fn patrols_by_bands_in_parallel_equal_the_sequential_loop() {
    // Simultaneous activation runs patrol bands side by side on the grid itself when the map is
    // large (2¹⁶ cells or more) and sight is not tracked; with sight tracked it takes the
    // sequential path, one patrol at a time in the same order. Both must agree, with everything
    // that widens a patrol's reach or changes what a detention does: drones (a wider square of
    // reports), robust posture (three detentions a tick, after moving onto the first arrest
    // site), jailed detainees blocking their cells, one-cell steps.
    for variant in ["", "jailed_block_cell = true\n", "movement = \"step\"\n"] {
        let text = format!(
            "[scenario]\nname = \"bands\"\nseed = 5\nticks = 12\n\
             [map]\nwidth = 270\nheight = 270\ntorus = true\n\
             [[districts]]\nname = \"world\"\npopulation = 45000\nhardship = 0.6\ninitial_trust = 0.7\n\
             [unrest]\nactivation = \"simultaneous\"\n{variant}\
             [[partners]]\nname = \"robust\"\nkind = \"coalition_contingent\"\nposture = \"robust\"\n\
             technology = [\"drones\"]\nsupply = 1e7\nsupply_capacity = 1e7\nresupply = 1e7\n\
             [[partners]]\nname = \"restrained\"\nkind = \"coalition_contingent\"\n\
             supply = 1e7\nsupply_capacity = 1e7\nresupply = 1e7\n\
             [[units]]\npartner = \"robust\"\nkind = \"patrol\"\ncount = 300\n\
             [[units]]\npartner = \"restrained\"\nkind = \"patrol\"\ncount = 300\n"
        );
        let s = Arc::new(
            peacesim::scenario::parse_str(&text, Path::new("bands.toml"))
                .unwrap_or_else(|e| panic!("{e}")),
        );
        assert!(s.map.district_of_cell.len() >= 1 << 16);
        let banded = run_on_threads(&s, 2, 12);
        assert!(
            banded.ticks.iter().map(|t| t.detained).max() > Some(0),
            "{variant}: detentions happen"
        );
        let sequential = run_tracking_sight(&s, 12);
        assert_eq!(
            sequential.ticks, banded.ticks,
            "{variant}: bands in parallel and the sequential loop disagree"
        );
        assert_eq!(sequential.districts, banded.districts, "{variant}");
    }
}
