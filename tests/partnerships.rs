//! The partnership mechanisms of docs/MODEL.md that other tests do not reach: partial sensing,
//! deconfliction of hotspot patrols and the civil–military gate on escorts. Each compares the
//! mechanism switched on and off over several seeds and checks direction and size.

use crate::common::{late_mean, over_seeds, patrols, small};
use peacesim::scenario::Scenario;
use peacesim::sim::RunOutput;

const SEEDS: u64 = 12;

fn mean_of(s: &Scenario, f: fn(&peacesim::metrics::TickRow) -> f64) -> f64 {
    over_seeds(s, SEEDS, |o: &RunOutput| late_mean(o, f))
        .iter()
        .sum::<f64>()
        / SEEDS as f64
}

#[test]
fn partial_sensing_leaves_hotspots_unknown() {
    let full = small("[intel]\ndetect_patrol = 1.0\n", &patrols(20));
    let partial = small("[intel]\ndetect_patrol = 0.1\n", &patrols(20));
    let (a, b) = (
        mean_of(&full, |r| r.info_coverage),
        mean_of(&partial, |r| r.info_coverage),
    );
    eprintln!("information coverage: full sensing {a:.3}, detect_patrol 0.1 {b:.3}");
    assert!(
        a - b >= 0.1,
        "partial sensing should know less: {a:.3} → {b:.3}"
    );
}

#[test]
fn deconfliction_spreads_hotspot_patrols() {
    // Fields after the small world's partner belong to it: analytics and hotspot patrols.
    let hotspot = |need: u32| {
        small(
            &format!("[intel]\npatrols_per_hotspot = {need}\n\n[unrest]\nvision = 2\n"),
            &format!(
                "technology = [\"analytics\"]\npatrol_policy = \"hotspot\"\n\n{}",
                patrols(20)
            ),
        )
    };
    let (spread, bunched) = (
        mean_of(&hotspot(1), |r| r.security_coverage),
        mean_of(&hotspot(10_000), |r| r.security_coverage),
    );
    eprintln!("security coverage: 1 patrol per hotspot {spread:.3}, no limit {bunched:.3}");
    // Measured 0.153 vs 0.138 at vision 2 (about 10 % more covered): real but small, as
    // docs/MODEL.md §3.3b says; at the default vision 7 patrols overlap anyway.
    assert!(
        spread - bunched >= 0.01,
        "deconflicted patrols should cover more: {bunched:.3} → {spread:.3}"
    );
}

#[test]
fn civil_military_trust_gates_escorts() {
    let ngo = "[[partners]]\nname = \"relief\"\nkind = \"ngo\"\nneutrality = \"coordinated\"\n\
               supply = 1000\nsupply_capacity = 1000\nresupply = 1000\n\n\
               [[units]]\npartner = \"relief\"\nkind = \"aid_team\"\ncount = 10\n";
    let world = |trust: f64| {
        small(
            // Acceptance off: only protection (security or escorts) opens access here.
            &format!(
                "[coordination]\ncivil_military_trust = {trust}\ngrowth = 0.0\n\n\
                 [standing]\nacceptance = 0.0\n"
            ),
            &format!("{}{ngo}", patrols(3)),
        )
    };
    let (trusted, mistrusted) = (
        mean_of(&world(0.9), |r| r.aid_coverage),
        mean_of(&world(0.1), |r| r.aid_coverage),
    );
    eprintln!("aid coverage: NGO trusts the force {trusted:.3}, mistrusts it {mistrusted:.3}");
    assert!(
        trusted - mistrusted >= 0.05,
        "escorts should open access only where the NGO trusts the force: {mistrusted:.3} → {trusted:.3}"
    );
}

#[test]
fn technologies_cost_their_owner_every_day() {
    // Same world and seed; only the partner's technology (drones, which change no decision of a
    // uniform patrol) and its price differ: the bill grows by exactly price × ticks.
    let world = |tech: &str, price: f64| {
        small(
            &format!("[mechanisms]\ndrones_cost = {price}\n"),
            &format!("technology = [{tech}]\n\n{}", patrols(5)),
        )
    };
    let bill = |s: &Scenario| {
        let ticks = s.ticks;
        let out = peacesim::sim::run(std::sync::Arc::new(s.clone()), 0, ticks);
        out.ticks.last().unwrap().cost_cumulative
    };
    let none = bill(&world("", 3.0));
    let drones = bill(&world("\"drones\"", 3.0));
    let free = bill(&world("\"drones\"", 0.0));
    eprintln!(
        "cost after 60 ticks: no drones {none}, drones at 3/tick {drones}, free drones {free}"
    );
    assert!(
        (drones - none - 3.0 * 60.0).abs() < 1e-6,
        "{none} → {drones}"
    );
    assert!(
        (free - none).abs() < 1e-6,
        "free drones cost nothing: {none} → {free}"
    );
}

#[test]
fn host_consent_follows_the_missions_conduct_and_presses_it_to_leave() {
    // Harm by the mission costs consent: a robust force in a restless town against a
    // restrained one (same seeds).
    let town = |posture: &str, consent: &str| {
        small(
            &format!("[unrest]\nthreshold = 0.0\n\n[consent]\n{consent}\n"),
            &format!("posture = \"{posture}\"\n\n{}", patrols(25)),
        )
    };
    let consent = |s: &Scenario| mean_of(s, |r| r.host_consent);
    let (restrained, robust) = (
        consent(&town("restrained", "")),
        consent(&town("robust", "")),
    );
    eprintln!("host consent (late mean): restrained {restrained:.3}, robust {robust:.3}");
    assert!(
        restrained - robust >= 0.05,
        "the robust force's harm should cost consent: {restrained:.3} → {robust:.3}"
    );
    // Below the floor, commitment erodes until the partner leaves.
    let unwelcome = town(
        "restrained",
        "initial = 0.0\nresponsiveness = 0.0\nfloor = 0.5\ncommitment_loss = 0.1\n",
    );
    let late_units = mean_of(&unwelcome, |r| r.units_operating as f64);
    assert_eq!(late_units, 0.0, "a mission without consent should leave");
}
