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

#[test]
fn convoys_detour_around_threats_their_partners_know_of() {
    // One district held at spoiler strength 0.6, a force whose patrols find the spoilers, and
    // its contractor's convoys (perfectly reliable: every loss is an ambush).
    let world = |detour_cut: f64| {
        let mut s = small(
            &format!(
                "[spoilers]\nrecruitment = 0.0\ncontainment = 0.0\nattack_rate = 0.0\n\
                 detect_patrol = 0.5\n\n[logistics]\ndetour_cut = {detour_cut}\n"
            ),
            &format!(
                "{}\n[[partners]]\nname = \"haulage\"\nkind = \"contractor\"\nsupply = 100\n\
                 supply_capacity = 100\nresupply = 100\nframework = \"blue\"\n\n[[units]]\n\
                 partner = \"haulage\"\nkind = \"convoy\"\ncount = 6\nclient = \"blue\"\n\
                 cargo = 50\ntrip_ticks = 2\nreliability = 1.0\n",
                patrols(10)
            ),
        );
        s.districts[0].spoilers = 0.6;
        s
    };
    let lost_share = |o: &RunOutput| {
        let lost: u32 = o.ticks.iter().map(|r| r.convoys_lost).sum();
        let arrived: u32 = o.ticks.iter().map(|r| r.convoys_arrived).sum();
        lost as f64 / (lost + arrived).max(1) as f64
    };
    let mean = |s: &Scenario| over_seeds(s, SEEDS, lost_share).iter().sum::<f64>() / SEEDS as f64;
    let (straight, detoured) = (mean(&world(0.0)), mean(&world(1.0)));
    eprintln!("convoys lost: no detours {straight:.3}, full detours {detoured:.3}");
    assert!(
        straight > 0.1,
        "ambushes should cost convoys: {straight:.3}"
    );
    assert!(
        detoured < 0.5 * straight,
        "known threats should be detoured: {straight:.3} → {detoured:.3}"
    );
}

#[test]
fn early_warning_reports_tension_before_anyone_turns_active() {
    // A town held quiet by many patrols (grievance 0.6 × 0.6 = 0.36 on average, above the
    // activation threshold, but the arrest risk deters), and a coordinated NGO that shares with
    // the force. Without early warning its teams have nothing to report while nobody is active;
    // with it they report the sectors of quiescent citizens whose grievance exceeds 0.1.
    let world = |early_warning: f64| {
        small(
            &format!("[intel]\nearly_warning = {early_warning}\n"),
            &format!(
                "{}\n[[partners]]\nname = \"relief\"\nkind = \"ngo\"\nneutrality = \"coordinated\"\n\
                 sharing = \"open\"\nsharing_threshold = 0.0\nsupply = 1000\nsupply_capacity = 1000\n\
                 resupply = 1000\n\n[[units]]\npartner = \"relief\"\nkind = \"aid_team\"\ncount = 6\n",
                patrols(120)
            ),
        )
    };
    let calm = |mut s: Scenario| {
        s.districts[0].hardship = 0.6;
        s.districts[0].initial_trust = 0.4;
        s
    };
    let reports = |s: &Scenario| {
        over_seeds(s, SEEDS, |o: &RunOutput| {
            o.ticks.iter().map(|r| r.shared_reports as f64).sum::<f64>()
        })
        .iter()
        .sum::<f64>()
            / SEEDS as f64
    };
    let active = mean_of(&calm(world(1.0)), |r| r.active as f64 / r.population as f64);
    let (off, on) = (reports(&calm(world(1.0))), reports(&calm(world(0.1))));
    eprintln!(
        "active share {active:.3}; shared reports per run: early warning off {off:.0}, on {on:.0}"
    );
    assert!(active < 0.05, "the town should be held quiet: {active:.3}");
    assert!(
        on > 5.0 * off.max(1.0),
        "early warning should report tension: {off} → {on}"
    );
}
