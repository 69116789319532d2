//! Validation against Epstein (2002) Model I, over 20 seeds each: punctuated outbursts,
//! deceptive (hidden) intent under patrols, and the legitimacy-drop contrast. Run with
//! `--nocapture` to print the measured figures that docs/MODEL.md's validation table quotes.

use crate::common::over_seeds;
use peacesim::analysis::{default_threshold, outbursts, waiting_times};
use peacesim::scenario::{self, Scenario};
use peacesim::sim::RunOutput;
use peacesim::stats::{mean, mean_ci, paired_diff, variance, welch_diff};
use std::path::Path;
use std::sync::Arc;

const SEEDS: u64 = 20;

fn epstein(file: &str, ticks: u32) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(file);
    let mut s = scenario::load(&path)
        .unwrap_or_else(|e| panic!("{e}"))
        .scenario;
    s.ticks = ticks;
    s
}

fn series(o: &RunOutput) -> Vec<(u32, u32)> {
    o.ticks.iter().map(|r| (r.tick, r.active)).collect()
}

#[test]
fn model_one_shows_punctuated_outbursts() {
    let s = epstein("epstein.toml", 500);
    let threshold = default_threshold(1120);
    let runs: Vec<RunOutput> = (1..=SEEDS)
        .map(|seed| {
            let mut s = s.clone();
            s.seed = seed;
            peacesim::sim::run(Arc::new(s), 0, 500)
        })
        .collect();
    let mut waits = Vec::new();
    let mut activations = Vec::new();
    for o in &runs {
        // Skip the first 50 ticks: every run opens with an outburst from the quiescent start.
        let late: Vec<(u32, u32)> = series(o).into_iter().filter(|(t, _)| *t > 50).collect();
        let bursts = outbursts(&late, threshold);
        assert!(
            bursts.len() >= 3,
            "a run with fewer than 3 outbursts in 450 ticks"
        );
        let calm = late.iter().filter(|(_, a)| *a < threshold).count();
        assert!(
            calm * 10 >= late.len() * 6,
            "calm must prevail: {calm} of {} ticks",
            late.len()
        );
        waits.extend(waiting_times(&bursts).iter().map(|&w| w as f64));
        activations.extend(bursts.iter().map(|b| b.activation as f64));
    }
    let w = mean_ci(&waits);
    assert!(w.low > 5.0, "outbursts are separated by calm: {w:?}");
    eprintln!(
        "| Model I (NetLogo settings) | waiting time mean {:.1} s.d. {:.1} | activation per outburst mean {:.0} s.d. {:.0} | outbursts {} in {} runs |",
        mean(&waits),
        variance(&waits).sqrt(),
        mean(&activations),
        variance(&activations).sqrt(),
        activations.len(),
        SEEDS
    );
}

#[test]
fn citizens_hide_their_intent_when_patrols_are_in_sight() {
    // Among aggrieved citizens (G > threshold: they would rebel if unobserved), the share that
    // is active is lower where a patrol is in sight: Epstein's "deceptive behaviour".
    use peacesim::world::{Citizens, Conduct, Grid};
    let mut shares = (Vec::new(), Vec::new());
    for seed in 1..=SEEDS {
        let mut s = epstein("epstein.toml", 200);
        s.seed = seed;
        let mut world = peacesim::world::spawn(Arc::new(s), 0);
        world.insert_resource(peacesim::metrics::Recorder::default());
        let mut schedule = peacesim::systems::tick_schedule();
        let (mut seen, mut unseen) = ((0u64, 0u64), (0u64, 0u64));
        for _ in 0..200 {
            schedule.run(&mut world);
            let grid = world.resource::<Grid>();
            let c = world.resource::<Citizens>();
            for (i, conduct) in c.conduct.iter().enumerate() {
                if matches!(conduct, Conduct::Detained(_)) || c.grievance(i) <= 0.1 {
                    continue;
                }
                let bucket = if grid.patrol_sight(c.cell[i]) > 0 {
                    &mut seen
                } else {
                    &mut unseen
                };
                bucket.0 += 1;
                bucket.1 += (*conduct == Conduct::Active) as u64;
            }
        }
        shares.0.push(seen.1 as f64 / seen.0.max(1) as f64);
        shares.1.push(unseen.1 as f64 / unseen.0.max(1) as f64);
    }
    let d = welch_diff(&shares.1, &shares.0);
    eprintln!(
        "| hidden intent | aggrieved citizens active: {:.3} with a patrol in sight vs {:.3} without; difference {:+.3} [{:+.3}, {:+.3}] |",
        mean(&shares.0),
        mean(&shares.1),
        d.mean,
        d.low,
        d.high
    );
    assert!(
        d.below_zero(),
        "patrols in sight should suppress open rebellion: {d:?}"
    );
}

#[test]
fn sudden_legitimacy_drop_explodes_where_gradual_decline_does_not() {
    let base = {
        let mut s = epstein("epstein.toml", 400);
        for d in &mut s.districts {
            d.initial_trust = 0.9;
        }
        s
    };
    let with_events = |events: String| {
        let text = format!(
            "{}\n{events}",
            std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/epstein.toml")
            )
            .unwrap()
            .replace("initial_trust = 0.82", "initial_trust = 0.9")
            .replace("ticks = 1000", "ticks = 400")
        );
        scenario::parse_str(&text, Path::new("epstein-shock.toml"))
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let sudden =
        with_events("[[events]]\ntick = 100\nkind = \"legitimacy\"\namount = 0.7\n".into());
    let gradual = with_events(
        (1..=20)
            .map(|k| {
                format!(
                    "[[events]]\ntick = {}\nkind = \"legitimacy\"\namount = {:.2}\n",
                    100 + 10 * k,
                    0.9 - 0.01 * k as f64
                )
            })
            .collect(),
    );
    let peak_after =
        |o: &RunOutput| o.ticks[100..].iter().map(|r| r.active).max().unwrap_or(0) as f64;
    let (sp, gp) = (
        over_seeds(&sudden, SEEDS, peak_after),
        over_seeds(&gradual, SEEDS, peak_after),
    );
    let steady = over_seeds(&base, SEEDS, peak_after);
    let d = welch_diff(&gp, &sp);
    eprintln!(
        "| legitimacy 0.9 → 0.7 | peak actives after the change: sudden {:.0}, gradual (1 % per 10 ticks) {:.0}, none {:.0}; sudden − gradual {:+.0} [{:+.0}, {:+.0}] |",
        mean(&sp),
        mean(&gp),
        mean(&steady),
        d.mean,
        d.low,
        d.high
    );
    // Legitimacy 0.9 is calm; a sudden drop to 0.7 erupts higher than a gradual one. The paper's
    // "gradual gives no outburst" does not reproduce with NetLogo's settings: at 0.7 the model
    // is in its bursting regime however it got there (docs/MODEL.md, "Validation").
    assert!(
        steady.iter().all(|&p| p < default_threshold(1120) as f64),
        "{steady:?}"
    );
    assert!(
        d.above_zero() && mean(&sp) > 1.2 * mean(&gp),
        "sudden {sp:?} vs gradual {gp:?}"
    );
}

/// Epstein's Model II Runs 6–8 from scenarios/epstein-model2.toml (Run 8 as written).
fn model_two(run: u8) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/epstein-model2.toml");
    let mut text = std::fs::read_to_string(path).unwrap();
    let insertion = "[[events]]\ntick = 50\nkind = \"join\"\npartner = \"peacekeepers\"\n";
    assert!(text.contains(insertion));
    if run != 8 {
        text = text.replace(insertion, "");
    }
    if run == 6 {
        text = text.replace("initial_trust = 0.8", "initial_trust = 0.9");
    }
    scenario::parse_str(&text, Path::new("epstein-model2.toml")).unwrap_or_else(|e| panic!("{e}"))
}

/// Tick at which a group is gone, or the run's length if both survive.
fn extinction(o: &RunOutput) -> f64 {
    o.ticks
        .iter()
        .find(|r| r.group_a == 0 || r.group_b == 0)
        .map_or(o.ticks.len() as f64, |r| r.tick as f64)
}

#[test]
fn model_two_coexistence_genocide_and_peacekeepers() {
    let both_alive = |o: &RunOutput| {
        let last = o.ticks.last().unwrap();
        (last.group_a > 0 && last.group_b > 0) as u8 as f64
    };
    let run6 = over_seeds(&model_two(6), SEEDS, both_alive);
    let run7 = over_seeds(&model_two(7), SEEDS, both_alive);
    let killings6 = over_seeds(&model_two(6), SEEDS, |o| {
        o.ticks.iter().map(|r| r.killings).sum::<u32>() as f64
    });
    let (t7, t8) = (
        over_seeds(&model_two(7), SEEDS, extinction),
        over_seeds(&model_two(8), SEEDS, extinction),
    );
    let run8 = over_seeds(&model_two(8), SEEDS, both_alive);
    // Runs 7 and 8 share each seed's streams and are the same run until day 50 (the `join`
    // event), so the honest interval is the paired one: seed by seed, how much later.
    let d = paired_diff(&t7, &t8);
    eprintln!(
        "| Model II | Run 6 (L 0.9, no police): both groups survive in {}/{} runs, killings {:.0} per run; Run 7 (L 0.8): both survive in {}/{}; Run 8 (peacekeepers from day 50): {}/{}; extinction day {:.0} → {:.0}, later by {:+.0} [{:+.0}, {:+.0}] |",
        run6.iter().sum::<f64>(),
        SEEDS,
        mean(&killings6),
        run7.iter().sum::<f64>(),
        SEEDS,
        run8.iter().sum::<f64>(),
        SEEDS,
        mean(&t7),
        mean(&t8),
        d.mean,
        d.low,
        d.high
    );
    assert!(
        run6.iter().sum::<f64>() >= 18.0,
        "Run 6: coexistence at legitimacy 0.9: {run6:?}"
    );
    assert!(
        run7.iter().sum::<f64>() <= 2.0,
        "Run 7: one group eliminated at 0.8: {run7:?}"
    );
    assert!(
        d.above_zero(),
        "Run 8: peacekeepers delay or prevent elimination: {t7:?} vs {t8:?}"
    );
}
