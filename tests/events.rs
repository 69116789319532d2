//! Timeline events: names are checked with file:line:column, and each kind changes the world.

use crate::common::small;
use peacesim::scenario::parse_str;
use peacesim::sim::{RunOutput, run};
use std::path::Path;
use std::sync::Arc;

fn with_events(events: &str) -> RunOutput {
    let s = small(
        "",
        &format!("[[units]]\npartner = \"blue\"\nkind = \"patrol\"\ncount = 20\n\n{events}"),
    );
    let ticks = s.ticks;
    run(Arc::new(s), 0, ticks)
}

#[test]
fn unknown_names_in_events_are_located_errors() {
    let text = "[scenario]\nname = \"e\"\n[map]\nwidth = 5\nheight = 5\n[[districts]]\nname = \"d\"\n\
                population = 3\n[[partners]]\nname = \"blue\"\nkind = \"un_agency\"\n\
                [[events]]\ntick = 3\nkind = \"withdraw\"\npartner = \"red\"\n\
                [[events]]\ntick = 4\nkind = \"attack\"\ndistrict = \"nowhere\"\namount = 1\n";
    let err = parse_str(text, Path::new("ev.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("ev.toml:15:11: events[0].partner: unknown partner \"red\""),
        "{err}"
    );
    assert!(
        err.contains("ev.toml:19:12: events[1].district: unknown district \"nowhere\""),
        "{err}"
    );
}

#[test]
fn an_event_missing_its_fields_is_an_error() {
    let text = "[scenario]\nname = \"e\"\n[map]\nwidth = 5\nheight = 5\n[[districts]]\nname = \"d\"\n\
                population = 3\n[[events]]\ntick = 3\nkind = \"election\"\n";
    let err = parse_str(text, Path::new("ev.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("events[0]") && err.contains("needs amount"),
        "{err}"
    );
    assert!(err.contains("needs duration"), "{err}");
}

#[test]
fn legitimacy_event_sets_trust_and_a_drop_raises_unrest() {
    let calm = with_events("");
    let shock = with_events("[[events]]\ntick = 20\nkind = \"legitimacy\"\namount = 0.3\n");
    assert!(
        (shock.ticks[19].mean_trust - 0.3).abs() < 0.02,
        "{}",
        shock.ticks[19].mean_trust
    );
    let after = |o: &RunOutput| o.ticks[20..30].iter().map(|r| r.active).sum::<u32>();
    assert!(
        after(&shock) > 2 * after(&calm).max(1),
        "{} vs {}",
        after(&shock),
        after(&calm)
    );
}

#[test]
fn disaster_raises_hardship_and_election_raises_unrest() {
    let calm = with_events("");
    let disaster = with_events("[[events]]\ntick = 10\nkind = \"disaster\"\namount = 0.3\n");
    assert!(disaster.ticks[9].mean_hardship > calm.ticks[9].mean_hardship + 0.2);
    let election =
        with_events("[[events]]\ntick = 10\nkind = \"election\"\namount = 0.2\nduration = 10\n");
    let active =
        |o: &RunOutput, a: usize, b: usize| o.ticks[a..b].iter().map(|r| r.active).sum::<u32>();
    assert!(active(&election, 10, 20) > active(&calm, 10, 20));
    // The spell lowers the threshold by its amount for exactly its duration, then ends.
    let s = small(
        "",
        "[[events]]\ntick = 10\nkind = \"election\"\namount = 0.2\nduration = 10\n",
    );
    let mut world = peacesim::world::spawn(Arc::new(s), 0);
    world.insert_resource(peacesim::metrics::Recorder::default());
    let mut schedule = peacesim::systems::tick_schedule();
    for tick in 1..=25u32 {
        schedule.run(&mut world);
        let drop = world.resource::<peacesim::world::Volatility>().drop[0];
        let expected = if (10..20).contains(&tick) { 0.2 } else { 0.0 };
        assert!((drop - expected).abs() < 1e-6, "tick {tick}: drop {drop}");
    }
}

#[test]
fn withdraw_join_and_funding_events_apply() {
    let out = with_events(
        "[[events]]\ntick = 5\nkind = \"withdraw\"\npartner = \"blue\"\n\
         [[events]]\ntick = 8\nkind = \"join\"\npartner = \"blue\"\n\
         [[events]]\ntick = 10\nkind = \"funding\"\npartner = \"blue\"\namount = 0.0\n",
    );
    assert_eq!(out.ticks[3].units_operating, 20);
    assert_eq!(
        (out.ticks[4].units_operating, out.ticks[4].partners_engaged),
        (0, 0)
    );
    assert_eq!(out.ticks[7].units_operating, 20);
    // No resupply from tick 10: the stock (1000 at most) runs down by 20 a day.
    assert!(out.ticks.last().unwrap().supply_level < out.ticks[9].supply_level);
}

#[test]
fn a_partial_drawdown_sends_home_a_share_of_the_units() {
    let out = with_events(
        "[[events]]\ntick = 5\nkind = \"withdraw\"\npartner = \"blue\"\namount = 0.25\n\
         [[events]]\ntick = 8\nkind = \"withdraw\"\npartner = \"blue\"\namount = 0.5\n\
         [[events]]\ntick = 12\nkind = \"join\"\npartner = \"blue\"\n",
    );
    // 25 % of 20 leave, then half of the 15 left (⌈7.5⌉ = 8); the partner stays engaged.
    assert_eq!(out.ticks[3].units_operating, 20);
    assert_eq!(
        (out.ticks[4].units_operating, out.ticks[4].partners_engaged),
        (15, 1)
    );
    assert_eq!(out.ticks[7].units_operating, 7);
    // Rejoining brings everyone back.
    assert_eq!(out.ticks[11].units_operating, 20);
}

/// `amount = 0` sends nobody home (it withdrew the whole partner, as no amount does, so a
/// sweep's "send nobody" point came out as the worst case); `amount = 1` is the whole partner.
#[test]
fn a_withdraw_of_none_sends_nobody_and_of_all_everyone() {
    let at = |amount: &str| {
        with_events(&format!(
            "[[events]]\ntick = 5\nkind = \"withdraw\"\npartner = \"blue\"\n{amount}"
        ))
    };
    let none = at("amount = 0\n");
    assert_eq!(
        (
            none.ticks[6].units_operating,
            none.ticks[6].partners_engaged
        ),
        (20, 1)
    );
    for whole in [at("amount = 1\n"), at("")] {
        assert_eq!(
            (
                whole.ticks[6].units_operating,
                whole.ticks[6].partners_engaged
            ),
            (0, 0)
        );
    }
}

#[test]
fn a_coordination_event_switches_the_mechanism_from_its_tick() {
    let text = |coordination: &str, events: &str| {
        let b = peacesim::scenario::library::find("baseline").unwrap();
        let t = b.text.replace("mechanism = \"none\"", coordination);
        format!("{t}\n{events}")
    };
    let runs = |t: &str| {
        let s = parse_str(t, Path::new("c.toml")).unwrap_or_else(|e| panic!("{e}"));
        run(Arc::new(s), 0, 40)
    };
    // From tick 1, the event is the same as the scenario's own setting.
    let event = |tick: u32| {
        format!(
            "[[events]]\ntick = {tick}\nkind = \"coordination\"\nmechanism = \"integrated_hq\"\n"
        )
    };
    let in_file = runs(&text("mechanism = \"integrated_hq\"", ""));
    assert_eq!(runs(&text("mechanism = \"none\"", &event(1))), in_file);
    // From tick 20: the run is the plain one before, and costs more after.
    let none = runs(&text("mechanism = \"none\"", ""));
    let later = runs(&text("mechanism = \"none\"", &event(20)));
    assert_eq!(later.ticks[..19], none.ticks[..19]);
    assert!(later.ticks[25].cost > none.ticks[25].cost);
    assert!(later.ticks[39].partner_trust > none.ticks[39].partner_trust);
    // The mechanism is required and named.
    let err = parse_str(
        &text(
            "mechanism = \"none\"",
            "[[events]]\ntick = 2\nkind = \"coordination\"\n",
        ),
        Path::new("c.toml"),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("needs mechanism"), "{err}");
    let err = parse_str(
        &text(
            "mechanism = \"none\"",
            "[[events]]\ntick = 2\nkind = \"coordination\"\nmechanism = \"committee\"\n",
        ),
        Path::new("c.toml"),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("committee"), "{err}");
}

#[test]
fn an_aid_policy_event_sends_aid_teams_to_need_from_its_tick() {
    let base = peacesim::scenario::library::find("baseline").unwrap().text;
    let runs = |t: &str| {
        let s = parse_str(t, Path::new("a.toml")).unwrap_or_else(|e| panic!("{e}"));
        run(Arc::new(s), 0, 40)
    };
    let need_in_file = base.replacen(
        "name = \"relief_ngo\"\nkind = \"ngo\"\n",
        "name = \"relief_ngo\"\nkind = \"ngo\"\naid_policy = \"need\"\n",
        1,
    );
    assert_ne!(need_in_file, base, "the baseline declares relief_ngo");
    let event = |tick: u32| {
        format!(
            "{base}\n[[events]]\ntick = {tick}\nkind = \"policy\"\npartner = \"relief_ngo\"\n\
             aid_policy = \"need\"\n"
        )
    };
    // From tick 1 the event is the scenario's own setting; from tick 20 the run is the plain
    // one before and differs after.
    assert_eq!(runs(&event(1)), runs(&need_in_file));
    let (plain, later) = (runs(base), runs(&event(20)));
    assert_eq!(later.ticks[..19], plain.ticks[..19]);
    assert_ne!(later.ticks[30..], plain.ticks[30..]);
}
