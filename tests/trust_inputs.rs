//! One test per input of the trust equation (docs/MODEL.md, "Trust"): security, aid, civilian
//! harm, misconduct, attacks, need and neighbours. Each runs the same small world with the input
//! present and absent (or its coefficient at zero) over several seeds and checks that trust moves
//! the stated way by a clear margin, so a mechanism whose input stops reaching trust fails here.

use crate::common::{aid_teams, patrols, small};
use peacesim::scenario::Scenario;
use peacesim::systems::tick_schedule;
use peacesim::world::{self, Citizens, Conduct};
use std::sync::Arc;

const SEEDS: u64 = 4;
const TICKS: u32 = 40;

/// Mean and variance of living citizens' trust after `TICKS` ticks, averaged over `SEEDS` runs.
fn final_trust(s: &Scenario) -> (f64, f64) {
    let s = Arc::new(s.clone());
    let (mut mean, mut var) = (0.0, 0.0);
    for run in 0..SEEDS {
        let mut w = world::spawn(s.clone(), run);
        w.insert_resource(peacesim::metrics::Recorder::default());
        let mut schedule = tick_schedule();
        for _ in 0..TICKS {
            schedule.run(&mut w);
        }
        let c = w.resource::<Citizens>();
        let t: Vec<f64> = c
            .trust
            .iter()
            .zip(&c.conduct)
            .filter(|(_, c)| **c != Conduct::Dead)
            .map(|(t, _)| *t as f64)
            .collect();
        let m = t.iter().sum::<f64>() / t.len() as f64;
        mean += m;
        var += t.iter().map(|x| (x - m).powi(2)).sum::<f64>() / t.len() as f64;
    }
    (mean / SEEDS as f64, var / SEEDS as f64)
}

/// Asserts `with` − `without` has the sign of `sign` and magnitude at least `min`.
fn assert_moves(input: &str, without: f64, with: f64, sign: f64, min: f64) {
    let d = with - without;
    eprintln!("trust input {input}: {without:.4} → {with:.4} ({d:+.4})");
    assert!(
        d * sign >= min,
        "{input} should move trust by at least {min} in direction {sign}: {without:.4} → {with:.4}"
    );
}

#[test]
fn security_reaches_trust() {
    let on = small("", &patrols(20));
    let off = small("[trust]\nsecurity_gain = 0.0\n", &patrols(20));
    assert_moves(
        "security",
        final_trust(&off).0,
        final_trust(&on).0,
        1.0,
        0.01,
    );
}

#[test]
fn aid_reaches_trust() {
    // Patrols make the district secure enough for aid teams to enter.
    let units = format!("{}{}", patrols(20), aid_teams(10));
    let on = small("", &units);
    let off = small("[trust]\naid_gain = 0.0\n", &units);
    assert_moves("aid", final_trust(&off).0, final_trust(&on).0, 1.0, 0.005);
}

#[test]
fn civilian_harm_reaches_trust() {
    let harm = "[security.restrained]\ndetentions_per_tick = 1\nharm_probability = 0.5\n";
    let on = small(harm, &patrols(30));
    let off = small(&format!("{harm}\n[trust]\nharm_loss = 0.0\n"), &patrols(30));
    assert_moves(
        "civilian harm",
        final_trust(&off).0,
        final_trust(&on).0,
        -1.0,
        0.01,
    );
}

#[test]
fn misconduct_reaches_trust() {
    let contractor = |rate: f64| {
        format!(
            "[[partners]]\nname = \"haulage\"\nkind = \"contractor\"\nsupply = 1000\n\
             supply_capacity = 1000\nresupply = 1000\nmisconduct_rate = {rate}\n\n\
             [[units]]\npartner = \"haulage\"\nkind = \"convoy\"\nclient = \"blue\"\ncount = 10\n"
        )
    };
    let on = small("", &contractor(0.5));
    let off = small("", &contractor(0.0));
    assert_moves(
        "misconduct",
        final_trust(&off).0,
        final_trust(&on).0,
        -1.0,
        0.01,
    );
}

#[test]
fn attacks_reach_trust() {
    let attacks: String = (1..=TICKS)
        .step_by(4)
        .map(|t| {
            format!(
                "[[events]]\ntick = {t}\nkind = \"attack\"\ndistrict = \"town\"\namount = 5\n\n"
            )
        })
        .collect();
    let on = small("", &format!("{}\n{attacks}", patrols(5)));
    let off = small("", &patrols(5));
    assert_moves(
        "attacks",
        final_trust(&off).0,
        final_trust(&on).0,
        -1.0,
        0.01,
    );
}

#[test]
fn need_reaches_trust() {
    let on = small("[trust]\nneed_tolerance = 0.1\n", "");
    let off = small("[trust]\nneed_tolerance = 0.1\nneed_loss = 0.0\n", "");
    assert_moves("need", final_trust(&off).0, final_trust(&on).0, -1.0, 0.01);
}

#[test]
fn neighbours_reach_trust() {
    // The neighbour term pulls each citizen toward its district's mean: it keeps the district
    // mean and shrinks the spread of trust that patrols' uneven presence creates.
    let spread = "[citizens]\ntrust_spread = 0.2\n";
    let on = small(
        &format!("{spread}[trust]\nneighbour_weight = 0.2\n"),
        &patrols(10),
    );
    let off = small(
        &format!("{spread}[trust]\nneighbour_weight = 0.0\n"),
        &patrols(10),
    );
    let (v_on, v_off) = (final_trust(&on).1, final_trust(&off).1);
    eprintln!("trust input neighbours: variance {v_off:.5} → {v_on:.5}");
    assert!(
        v_on < 0.5 * v_off,
        "neighbours should shrink the spread of trust: variance {v_off:.5} → {v_on:.5}"
    );
}
