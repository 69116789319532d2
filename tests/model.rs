//! Each mechanism's effect has the right direction, over 12 seeds, with a Welch 95 % interval
//! that excludes zero. Small maps and 60 ticks keep these fast.

use crate::common::{aid_teams, late_mean, over_seeds, patrols, small};
use peacesim::stats::welch_diff;

const SEEDS: u64 = 12;

fn active_share(out: &peacesim::sim::RunOutput) -> f64 {
    late_mean(out, |r| r.active as f64 / r.population as f64)
}

#[test]
fn patrols_deter_unrest_and_raise_felt_security() {
    let without = small("", &patrols(0));
    let with = small("", &patrols(40));
    let d = welch_diff(
        &over_seeds(&without, SEEDS, active_share),
        &over_seeds(&with, SEEDS, active_share),
    );
    assert!(
        d.below_zero(),
        "patrols should lower the active share: {d:?}"
    );
    assert!(d.mean < -0.05, "and by a visible margin: {d:?}");
    let trust = |o: &peacesim::sim::RunOutput| late_mean(o, |r| r.mean_trust);
    let d = welch_diff(
        &over_seeds(&without, SEEDS, trust),
        &over_seeds(&with, SEEDS, trust),
    );
    assert!(d.above_zero(), "felt security should raise trust: {d:?}");
}

#[test]
fn aid_lowers_hardship_and_raises_trust() {
    let base = patrols(20);
    let without = small("", &base);
    let with = small("", &format!("{base}\n{}", aid_teams(6)));
    let hardship = |o: &peacesim::sim::RunOutput| late_mean(o, |r| r.mean_hardship);
    let d = welch_diff(
        &over_seeds(&without, SEEDS, hardship),
        &over_seeds(&with, SEEDS, hardship),
    );
    assert!(d.below_zero(), "aid should lower hardship: {d:?}");
    let trust = |o: &peacesim::sim::RunOutput| late_mean(o, |r| r.mean_trust);
    let d = welch_diff(
        &over_seeds(&without, SEEDS, trust),
        &over_seeds(&with, SEEDS, trust),
    );
    assert!(d.above_zero(), "aid should raise trust: {d:?}");
    let unrest = welch_diff(
        &over_seeds(&without, SEEDS, active_share),
        &over_seeds(&with, SEEDS, active_share),
    );
    assert!(
        unrest.below_zero(),
        "lower grievance should mean less unrest: {unrest:?}"
    );
}

#[test]
fn aid_cannot_enter_where_security_is_below_access() {
    let units = format!("{}\n{}", patrols(20), aid_teams(6));
    let open = small("", &units);
    let text_closed = small("", &units);
    let mut closed = text_closed.clone();
    closed.districts[0].access = 1.0; // σ = coverage·… < 1: never reachable
    let coverage = |o: &peacesim::sim::RunOutput| late_mean(o, |r| r.aid_coverage);
    let closed_cov = over_seeds(&closed, 4, coverage);
    assert!(closed_cov.iter().all(|&c| c == 0.0), "{closed_cov:?}");
    let open_cov = over_seeds(&open, 4, coverage);
    assert!(open_cov.iter().all(|&c| c > 0.2), "{open_cov:?}");
}

#[test]
fn supply_caps_operating_units_and_convoys_lift_the_cap() {
    let thin = |convoys: u32| {
        let mut s = small(
            "",
            &format!(
                "{}\n[[partners]]\nname = \"haulage\"\nkind = \"contractor\"\nsupply = 100\n\
                 supply_capacity = 100\nresupply = 100\nframework = \"blue\"\n\n[[units]]\npartner = \"haulage\"\n\
                 kind = \"convoy\"\ncount = {convoys}\nclient = \"blue\"\ncargo = 50\n\
                 trip_ticks = 5\nreliability = 1.0\n",
                patrols(30)
            ),
        );
        s.partners[0].supply = 0.0;
        s.partners[0].resupply = 10.0;
        s
    };
    let alone = peacesim::sim::run(std::sync::Arc::new(thin(0)), 0, 40);
    // Blue's 30 patrols get 10 unit-days a day: 10 operate (plus the contractor's convoys: 0).
    assert!(
        alone.ticks.iter().all(|r| r.units_operating == 10),
        "supply should cap units at 10"
    );
    let helped = peacesim::sim::run(std::sync::Arc::new(thin(4)), 0, 40);
    // Four convoys each bring 50 unit-days every 5 ticks: +40 a day, enough for all 30 patrols.
    let late = &helped.ticks[10..];
    assert!(
        late.iter().all(|r| r.units_operating == 34),
        "convoys should lift the cap"
    );
    assert!(helped.ticks.iter().map(|r| r.convoys_arrived).sum::<u32>() >= 4 * 7);
    // Fewer patrols on the ground means more unrest.
    let d = welch_diff(
        &over_seeds(&thin(4), SEEDS, active_share),
        &over_seeds(&thin(0), SEEDS, active_share),
    );
    assert!(d.above_zero(), "a supply-capped force deters less: {d:?}");
}

#[test]
fn civilian_harm_cuts_trust() {
    let harmless = small(
        "[security.restrained]\ndetentions_per_tick = 1\nharm_probability = 0.0\n",
        &patrols(30),
    );
    let harmful = small(
        "[security.restrained]\ndetentions_per_tick = 1\nharm_probability = 0.5\n",
        &patrols(30),
    );
    let trust = |o: &peacesim::sim::RunOutput| late_mean(o, |r| r.mean_trust);
    let d = welch_diff(
        &over_seeds(&harmless, SEEDS, trust),
        &over_seeds(&harmful, SEEDS, trust),
    );
    assert!(d.below_zero(), "harm should lower trust: {d:?}");
    let harm_count = over_seeds(&harmful, 3, |o| {
        o.ticks.iter().map(|r| r.harm_incidents).sum::<u32>() as f64
    });
    assert!(harm_count.iter().all(|&h| h > 0.0));
}

#[test]
fn fixed_trust_switch_keeps_trust_constant() {
    let s = small(
        "[trust]\nenabled = false\n",
        &format!("{}\n{}", patrols(20), aid_teams(4)),
    );
    let out = peacesim::sim::run(std::sync::Arc::new(s), 0, 30);
    let first = out.ticks[0].mean_trust;
    assert!(out.ticks.iter().all(|r| r.mean_trust == first));
}

#[test]
fn detention_terms_stay_within_the_maximum() {
    // With a maximum term of 3 nobody stays detained longer: after patrols leave (supply runs
    // out at once), everyone is free again within 3 ticks.
    let mut s = small("[unrest]\nmax_jail_term = 3\n", &patrols(40));
    s.partners[0].supply = 10.0 * 40.0;
    s.partners[0].resupply = 0.0;
    let out = peacesim::sim::run(std::sync::Arc::new(s), 0, 20);
    assert!(out.ticks[..10].iter().map(|r| r.detentions).sum::<u32>() > 0);
    assert!(out.ticks[9].units_operating == 40 && out.ticks[10].units_operating == 0);
    assert!(
        out.ticks[13..].iter().all(|r| r.detained == 0),
        "terms exceed the maximum"
    );
}
