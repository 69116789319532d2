//! The seed document's claims as levers: each test runs a pair of small scenarios that differ in
//! one lever, over 20 seeds, and asserts the direction of the effect with a Welch 95 % interval
//! that excludes zero. Run with `--nocapture` to print the table of effects.

use crate::common::{late_mean, over_seeds, two_districts};
use peacesim::metrics::TickRow;
use peacesim::scenario::Scenario;
use peacesim::sim::RunOutput;
use peacesim::stats::{Estimate, welch_diff};

const SEEDS: u64 = 20;

/// Effect of going from `off` to `on` on the late mean of `metric`; asserts its sign.
fn lever(
    claim: &str,
    off: &Scenario,
    on: &Scenario,
    metric: &str,
    f: fn(&TickRow) -> f64,
    expect_positive: bool,
) -> Estimate {
    let measure = |o: &RunOutput| late_mean(o, f);
    let d = welch_diff(
        &over_seeds(off, SEEDS, measure),
        &over_seeds(on, SEEDS, measure),
    );
    eprintln!(
        "| {claim} | {metric} | {:+.4} | [{:+.4}, {:+.4}] |",
        d.mean, d.low, d.high
    );
    if expect_positive {
        assert!(d.above_zero(), "{claim}: expected {metric} to rise: {d:?}");
    } else {
        assert!(d.below_zero(), "{claim}: expected {metric} to fall: {d:?}");
    }
    d
}

fn force(name: &str, kind: &str, extra: &str) -> String {
    format!(
        "[[partners]]\nname = \"{name}\"\nkind = \"{kind}\"\nsupply = 1000\nsupply_capacity = 1000\n\
         resupply = 1000\n{extra}\n"
    )
}

fn units(partner: &str, kind: &str, count: u32, district: Option<&str>) -> String {
    let d = district.map_or(String::new(), |d| format!("district = \"{d}\"\n"));
    format!("[[units]]\npartner = \"{partner}\"\nkind = \"{kind}\"\ncount = {count}\n{d}\n")
}

/// A coalition contingent and a regional force, 12 patrols each, going anywhere.
fn two_forces() -> String {
    format!(
        "{}{}{}{}",
        force("blue", "coalition_contingent", ""),
        units("blue", "patrol", 12, None),
        force("green", "regional_organisation", ""),
        units("green", "patrol", 12, None),
    )
}

fn security(r: &TickRow) -> f64 {
    r.security_coverage
}
fn trust(r: &TickRow) -> f64 {
    r.mean_trust
}
fn info(r: &TickRow) -> f64 {
    r.info_coverage
}
fn partner_trust(r: &TickRow) -> f64 {
    r.partner_trust
}

#[test]
fn pooled_logistics_field_more_units() {
    // One partner has supply to spare, the other runs short: pooling shares the surplus.
    let body = |pooled: bool| {
        format!(
            "{}{}[[partners]]\nname = \"short\"\nkind = \"regional_organisation\"\nsupply = 0\n\
             supply_capacity = 500\nresupply = 4\n\n{}{}[logistics]\npooled = {}\n",
            force("rich", "un_agency", ""),
            "",
            units("rich", "patrol", 10, Some("west")),
            units("short", "patrol", 10, Some("east")),
            if pooled {
                "[\"rich\", \"short\"]"
            } else {
                "[]"
            }
        )
    };
    let off = two_districts("", &body(false));
    let on = two_districts("", &body(true));
    lever(
        "pooled resources",
        &off,
        &on,
        "security coverage",
        security,
        true,
    );
    // And a unit-day costs less in the pool.
    let cost = |s: &Scenario| {
        let out = peacesim::sim::run(std::sync::Arc::new(s.clone()), 0, 40);
        let r = out.ticks.last().unwrap();
        r.cost_cumulative
            / out
                .ticks
                .iter()
                .map(|t| t.units_operating as f64)
                .sum::<f64>()
    };
    assert!(
        cost(&on) < cost(&off),
        "pooling should lower cost per unit-day"
    );
}

#[test]
fn information_sharing_raises_information_coverage() {
    // Forces patrol the west only; a local organisation's liaison teams see the east.
    let body = |sharing: &str| {
        format!(
            "{}{}{}{}",
            force("blue", "un_agency", ""),
            units("blue", "patrol", 12, Some("west")),
            force(
                "elders",
                "local_organisation",
                &format!("sharing = \"{sharing}\"\nsharing_threshold = 0.2")
            ),
            units("elders", "liaison", 6, Some("east")),
        )
    };
    let off = two_districts("", &body("none"));
    let on = two_districts("", &body("open"));
    lever(
        "enhanced coordination (sharing)",
        &off,
        &on,
        "information coverage",
        info,
        true,
    );
}

#[test]
fn military_civilian_mistrust_blocks_sharing() {
    let body = format!(
        "{}{}{}{}",
        force("blue", "un_agency", ""),
        units("blue", "patrol", 12, Some("west")),
        force(
            "elders",
            "local_organisation",
            "sharing = \"open\"\nsharing_threshold = 0.5"
        ),
        units("elders", "liaison", 6, Some("east")),
    );
    let trusting = two_districts(
        "[coordination]\ncivil_military_trust = 0.7\ngrowth = 0.0\n",
        &body,
    );
    let wary = two_districts(
        "[coordination]\ncivil_military_trust = 0.2\ngrowth = 0.0\n",
        &body,
    );
    lever(
        "military/non-military trust issues",
        &trusting,
        &wary,
        "information coverage",
        info,
        false,
    );
}

#[test]
fn disparate_mandates_slow_partner_trust() {
    let body = |mandate: &str| {
        format!(
            "{}{}{}{}",
            force(
                "blue",
                "coalition_contingent",
                "mandate = { protection = 1.0, stabilisation = 0.5 }"
            ),
            units("blue", "patrol", 12, None),
            force("relief", "ngo", &format!("mandate = {mandate}")),
            units("relief", "aid_team", 4, None),
        )
    };
    let aligned = two_districts("", &body("{ protection = 0.9, stabilisation = 0.5 }"));
    let disparate = two_districts("", &body("{ humanitarian = 1.0, commercial = 0.8 }"));
    lever(
        "disparate mandates",
        &aligned,
        &disparate,
        "partner trust",
        partner_trust,
        false,
    );
}

#[test]
fn coordination_mechanism_and_joint_training_build_partner_trust() {
    let body = two_forces();
    let none = two_districts("", &body);
    let hq = two_districts("[coordination]\nmechanism = \"integrated_hq\"\n", &body);
    lever(
        "coordination mechanism (integrated HQ)",
        &none,
        &hq,
        "partner trust",
        partner_trust,
        true,
    );
    let training = two_districts(
        "",
        &format!(
            "{body}[[events]]\ntick = 10\nkind = \"joint_training\"\npartners = [\"blue\", \"green\"]\namount = 0.5\n"
        ),
    );
    lever(
        "joint training",
        &none,
        &training,
        "partner trust",
        partner_trust,
        true,
    );
}

#[test]
fn cultural_competence_of_local_partners_raises_trust() {
    let base = format!(
        "{}{}{}",
        force("blue", "un_agency", ""),
        units("blue", "patrol", 16, None),
        force("elders", "local_organisation", ""),
    );
    let without = two_districts(
        "",
        &format!("{base}{}", units("elders", "liaison", 0, None)),
    );
    let with = two_districts(
        "",
        &format!("{base}{}", units("elders", "liaison", 8, None)),
    );
    lever(
        "cultural competence (local partners)",
        &without,
        &with,
        "mean trust",
        trust,
        true,
    );
}

#[test]
fn multinational_credibility_raises_trust() {
    let single = two_districts(
        "",
        &format!(
            "{}{}",
            force("blue", "coalition_contingent", ""),
            units("blue", "patrol", 20, None)
        ),
    );
    let multi = two_districts(
        "",
        &format!(
            "{}{}{}{}",
            force("blue", "coalition_contingent", ""),
            units("blue", "patrol", 10, None),
            force("union", "regional_organisation", ""),
            units("union", "patrol", 10, None),
        ),
    );
    lever(
        "increased credibility (multinational)",
        &single,
        &multi,
        "mean trust",
        trust,
        true,
    );
}

#[test]
fn regulatory_friction_starves_supply() {
    let body = |framework: &str| {
        format!(
            "[[partners]]\nname = \"blue\"\nkind = \"un_agency\"\nsupply = 0\nsupply_capacity = 400\n\
             resupply = 2\nframework = \"un\"\n\n{}[[partners]]\nname = \"haulage\"\nkind = \"contractor\"\n\
             supply = 50\nsupply_capacity = 50\nresupply = 50\nframework = \"{framework}\"\n\n\
             [[units]]\npartner = \"haulage\"\nkind = \"convoy\"\ncount = 3\nclient = \"blue\"\n\
             cargo = 40\ntrip_ticks = 4\nreliability = 0.95\n",
            units("blue", "patrol", 20, None)
        )
    };
    let same = two_districts("", &body("un"));
    let different = two_districts("", &body("national"));
    lever(
        "logistics / regulatory friction",
        &same,
        &different,
        "security coverage",
        security,
        false,
    );
}

#[test]
fn political_shift_withdrawal_cuts_security() {
    let body = two_forces();
    let steady = two_districts("", &body);
    let shift = two_districts(
        "",
        &format!(
            "{body}[[events]]\ntick = 20\nkind = \"home_politics\"\npartner = \"green\"\namount = 0.9\n"
        ),
    );
    lever(
        "political shifts (withdrawal)",
        &steady,
        &shift,
        "security coverage",
        security,
        false,
    );
    let out = peacesim::sim::run(std::sync::Arc::new(shift), 0, 30);
    assert_eq!(out.ticks[18].partners_engaged, 2);
    assert_eq!(out.ticks[20].partners_engaged, 1);
}

#[test]
fn drones_widen_detection() {
    let body = |tech: &str| {
        format!(
            "{}{}",
            force("blue", "un_agency", &format!("technology = [{tech}]")),
            units("blue", "patrol", 3, None)
        )
    };
    // Few patrols and a short memory: how far a patrol sees decides what the mission knows.
    let plain = two_districts("[intel]\nmemory = 1\n", &body(""));
    let drones = two_districts("[intel]\nmemory = 1\n", &body("\"drones\""));
    lever(
        "technology (drones)",
        &plain,
        &drones,
        "information coverage",
        info,
        true,
    );
}

#[test]
fn real_time_data_speeds_shared_information() {
    let body = |tech: &str| {
        format!(
            "{}{}{}{}",
            force("blue", "un_agency", &format!("technology = [{tech}]")),
            units("blue", "patrol", 12, Some("west")),
            force(
                "elders",
                "local_organisation",
                &format!("sharing = \"open\"\nsharing_threshold = 0.2\ntechnology = [{tech}]")
            ),
            units("elders", "liaison", 6, Some("east")),
        )
    };
    let slow = two_districts("[intel]\nbase_delay = 6\nmemory = 4\n", &body(""));
    let fast = two_districts(
        "[intel]\nbase_delay = 6\nmemory = 4\n",
        &body("\"real_time_data\""),
    );
    lever(
        "technology (real-time data)",
        &slow,
        &fast,
        "information coverage",
        info,
        true,
    );
}

#[test]
fn coordinated_ngo_loses_community_trust_where_access_is_open() {
    // The partnership does NOT help here: access is open anyway, so escorts add nothing, and
    // communities credit a coordinated NGO's aid less.
    let body = |neutrality: &str| {
        format!(
            "{}{}{}{}",
            force("blue", "un_agency", ""),
            units("blue", "patrol", 12, None),
            force("relief", "ngo", &format!("neutrality = \"{neutrality}\"")),
            units("relief", "aid_team", 8, None),
        )
    };
    let independent = two_districts("", &body("independent"));
    let coordinated = two_districts("", &body("coordinated"));
    lever(
        "NGO coordination where access is open (does not help)",
        &independent,
        &coordinated,
        "mean trust",
        trust,
        false,
    );
}

#[test]
fn robust_posture_lowers_trust() {
    let body = |posture: &str| {
        format!(
            "{}{}",
            force(
                "blue",
                "coalition_contingent",
                &format!("posture = \"{posture}\"")
            ),
            units("blue", "patrol", 20, None)
        )
    };
    let restrained = two_districts("", &body("restrained"));
    let robust = two_districts("", &body("robust"));
    lever(
        "robust posture (does not help trust)",
        &restrained,
        &robust,
        "mean trust",
        trust,
        false,
    );
}

#[test]
fn predictive_analytics_sends_patrols_to_hotspots() {
    // Unrest only in the east (narrow hardship spread: western grievance stays below the
    // threshold); one patrol; a local organisation reports what it sees everywhere. With
    // analytics and the hotspot policy the patrol spends more of its time in the east.
    // Both arms refuse detentions (a caveat): otherwise NetLogo's move-to-arrest-site rule also
    // pulls a uniform patrol toward unrest, and detentions saturate (one per patrol and tick).
    let body = |policy: &str| {
        format!(
            "{}{}{}{}",
            force(
                "blue",
                "un_agency",
                &format!(
                    "technology = [\"analytics\"]\npatrol_policy = \"{policy}\"\n\
                     caveats = {{ tasks = [\"detain\"] }}"
                )
            ),
            units("blue", "patrol", 1, None),
            force(
                "elders",
                "local_organisation",
                "sharing = \"open\"\nsharing_threshold = 0.2"
            ),
            units("elders", "liaison", 8, None),
        )
    };
    let concentrate = |mut s: Scenario| {
        s.districts[0].hardship = 0.1;
        s.districts[1].hardship = 0.6;
        s
    };
    let header = "[citizens]\nhardship_spread = 0.05\n";
    let uniform = concentrate(two_districts(header, &body("uniform")));
    let hotspot = concentrate(two_districts(header, &body("hotspot")));
    let in_east = |o: &RunOutput| {
        let east: Vec<_> = o
            .districts
            .iter()
            .filter(|d| &*d.district == "east")
            .collect();
        east.iter().filter(|d| d.athena_coverage > 0.0).count() as f64 / east.len() as f64
    };
    let d = welch_diff(
        &over_seeds(&uniform, SEEDS, in_east),
        &over_seeds(&hotspot, SEEDS, in_east),
    );
    eprintln!(
        "| technology (analytics → hotspot patrols) | share of ticks the patrol is in the restive district | {:+.4} | [{:+.4}, {:+.4}] |",
        d.mean, d.low, d.high
    );
    assert!(
        d.above_zero(),
        "hotspot patrols should head for reported unrest: {d:?}"
    );
}

#[test]
fn telecom_contractor_speeds_shared_information() {
    let body = |telecoms: u32| {
        format!(
            "{}{}{}{}{}{}",
            force("blue", "un_agency", ""),
            units("blue", "patrol", 12, Some("west")),
            force(
                "elders",
                "local_organisation",
                "sharing = \"open\"\nsharing_threshold = 0.2"
            ),
            units("elders", "liaison", 6, Some("east")),
            force("wires", "contractor", ""),
            units("wires", "telecom", telecoms, None),
        )
    };
    let header = "[intel]\nbase_delay = 3\nmemory = 2\n";
    let without = two_districts(header, &body(0));
    let with = two_districts(header, &body(2));
    lever(
        "technology (telecom contractor)",
        &without,
        &with,
        "information coverage",
        info,
        true,
    );
}

#[test]
fn routes_through_insecure_districts_lose_convoys() {
    // The depot is in the west; the client's base is either the west or the east, where armed
    // spoilers and no patrols make the route unsafe.
    let body = |base: &str| {
        format!(
            "[logistics]\ndepot = \"west\"\n\n[[partners]]\nname = \"blue\"\nkind = \"un_agency\"\n\
             supply = 100\nsupply_capacity = 400\nresupply = 5\nframework = \"un\"\nbase = \"{base}\"\n\n\
             {}[[partners]]\nname = \"haulage\"\nkind = \"contractor\"\nsupply = 50\n\
             supply_capacity = 50\nresupply = 50\nframework = \"un\"\n\n[[units]]\n\
             partner = \"haulage\"\nkind = \"convoy\"\ncount = 4\nclient = \"blue\"\ncargo = 30\n\
             trip_ticks = 2\nreliability = 1.0\n",
            units("blue", "patrol", 10, Some("west"))
        )
    };
    let insecure_east = |mut s: Scenario| {
        s.districts[1].spoilers = 0.8;
        s
    };
    let safe = insecure_east(two_districts("", &body("west")));
    let risky = insecure_east(two_districts("", &body("east")));
    lever(
        "supply routes through insecure districts",
        &safe,
        &risky,
        "convoys lost per tick",
        |r| r.convoys_lost as f64,
        true,
    );
}
