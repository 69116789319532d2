//! Spoilers as actors and the stability composite (docs/MODEL.md §3.12–3.13): directions and
//! sizes over several seeds.

use crate::common::{late_mean, over_seeds};
use peacesim::scenario::{Scenario, parse_str};
use std::path::Path;

const SEEDS: u64 = 6;

/// One district with spoilers `s0`, hardship `h`, and `extra` appended (tables, partners, units).
fn district(s0: f64, h: f64, extra: &str) -> Scenario {
    let text = format!(
        r#"
[scenario]
name = "spoilers"
seed = 3
ticks = 200

[map]
width = 30
height = 30

[[districts]]
name = "hills"
density = 0.5
hardship = {h}
initial_trust = 0.6
access = 0.3
spoilers = {s0}

[[partners]]
name = "force"
kind = "coalition_contingent"
supply = 1000
supply_capacity = 1000
resupply = 1000

[[units]]
partner = "force"
kind = "patrol"
count = 10

{extra}
"#
    );
    parse_str(&text, Path::new("spoilers.toml")).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn final_strength(s: &Scenario) -> f64 {
    over_seeds(s, SEEDS, |o| o.ticks.last().unwrap().spoiler_strength)
        .iter()
        .sum::<f64>()
        / SEEDS as f64
}

#[test]
fn a_district_without_spoilers_never_gets_any() {
    let s = district(0.0, 0.9, "");
    assert_eq!(final_strength(&s), 0.0);
}

#[test]
fn knowing_where_spoilers_are_contains_them() {
    let blind = district(0.5, 0.5, "[spoilers]\ndetect_patrol = 0.0\n");
    let informed = district(0.5, 0.5, "[spoilers]\ndetect_patrol = 0.05\n");
    let (b, i) = (final_strength(&blind), final_strength(&informed));
    eprintln!("spoiler strength: blind {b:.3}, informed {i:.3}");
    assert!(
        b - i >= 0.15,
        "knowledge should cut spoiler strength: {b:.3} → {i:.3}"
    );
}

#[test]
fn grievance_feeds_spoilers() {
    let content = district(0.5, 0.2, "[spoilers]\ndetect_patrol = 0.0\n");
    let aggrieved = district(0.5, 0.9, "[spoilers]\ndetect_patrol = 0.0\n");
    let (c, a) = (final_strength(&content), final_strength(&aggrieved));
    eprintln!("spoiler strength: hardship 0.2 {c:.3}, hardship 0.9 {a:.3}");
    assert!(
        a - c >= 0.1,
        "grievance should feed spoilers: {c:.3} → {a:.3}"
    );
}

#[test]
fn spoiler_attacks_cut_trust() {
    let calm = district(0.6, 0.5, "[spoilers]\nattack_rate = 0.0\n");
    let violent = district(0.6, 0.5, "[spoilers]\nattack_rate = 1.0\n");
    let trust = |o: &peacesim::sim::RunOutput| late_mean(o, |r| r.mean_trust);
    let a: f64 = over_seeds(&calm, SEEDS, trust).iter().sum::<f64>() / SEEDS as f64;
    let b: f64 = over_seeds(&violent, SEEDS, trust).iter().sum::<f64>() / SEEDS as f64;
    eprintln!("trust: no attacks {a:.3}, attacks {b:.3}");
    assert!(a - b >= 0.02, "attacks should cut trust: {a:.3} → {b:.3}");
}

#[test]
fn mass_detention_is_not_stability() {
    // A robust force that detains many for long terms: few are active (calm is high), but the
    // detained weigh on stability through liberty.
    let harsh = district(
        0.0,
        0.9,
        "[unrest]\nmax_jail_term = 200\n\n[security.robust]\ndetentions_per_tick = 3\n\
         harm_probability = 0.0\n\n[[partners]]\nname = \"hammer\"\nkind = \"coalition_contingent\"\n\
         posture = \"robust\"\nsupply = 1000\nsupply_capacity = 1000\nresupply = 1000\n\n\
         [[units]]\npartner = \"hammer\"\nkind = \"patrol\"\ncount = 30\n",
    );
    let out = peacesim::sim::run(std::sync::Arc::new(harsh), 0, 200);
    let last = out.ticks.last().unwrap();
    let detained = last.detained as f64 / last.population as f64;
    eprintln!(
        "harsh: detained {detained:.3}, calm {:.3}, liberty {:.3}, stability {:.3}",
        last.calm, last.liberty, last.stability
    );
    assert!(
        detained > 0.2,
        "the test needs mass detention: {detained:.3}"
    );
    assert!((last.liberty - (1.0 - detained)).abs() < 1e-12);
    assert!(
        last.calm - last.stability >= 0.1,
        "stability must not count the detained as stable: calm {:.3}, stability {:.3}",
        last.calm,
        last.stability
    );
    // Nor as insecure: security coverage is over the free at home (liberty counts the
    // detained). Over everyone it could never exceed the free share; it was 0.27 in the
    // baseline's east, where every free citizen had a patrol in sight.
    let free = (last.quiescent + last.active) as f64 / last.population as f64;
    eprintln!(
        "harsh: free {free:.3}, security coverage {:.3}",
        last.security_coverage
    );
    assert!(
        last.security_coverage >= free + 0.1,
        "security coverage counts the detained: {:.3} with {free:.3} free",
        last.security_coverage
    );
}

#[test]
fn stability_is_the_weighted_mean_of_its_components() {
    let s = district(0.3, 0.6, "[stability]\ncalm = 2.0\nsecurity = 0.0\n");
    let out = peacesim::sim::run(std::sync::Arc::new(s), 0, 50);
    for r in &out.ticks {
        let expect =
            (2.0 * r.calm + r.liberty + r.mean_trust + (1.0 - r.spoiler_strength) + r.settled)
                / 6.0;
        assert!((r.stability - expect).abs() < 1e-9, "tick {}", r.tick);
        for c in [
            r.stability,
            r.calm,
            r.liberty,
            r.spoiler_strength,
            r.settled,
        ] {
            assert!((0.0..=1.0).contains(&c));
        }
    }
}
