//! Ranges of the plain parameter tables (citizens, unrest, violence, security, aid,
//! coordination, intel, logistics, politics, trust); tables declared with `params!` check
//! themselves.

use super::*;

pub(super) fn validate_params(raw: &ScenarioFile, issues: &mut Issues) {
    let c = root().key("citizens");
    in_range(
        issues,
        c.key("hardship_spread"),
        raw.citizens.hardship_spread,
        0.0,
        1.0,
    );
    in_range(
        issues,
        c.key("trust_spread"),
        raw.citizens.trust_spread,
        0.0,
        1.0,
    );
    in_range(
        issues,
        c.key("hardship_recovery"),
        raw.citizens.hardship_recovery,
        0.0,
        1.0,
    );

    let u = root().key("unrest");
    in_range(issues, u.key("threshold"), raw.unrest.threshold, -1.0, 1.0);
    in_range(issues, u.key("k"), raw.unrest.k, 0.0, 100.0);
    in_range(issues, u.key("vision"), raw.unrest.vision, 1.0, 100.0);
    let v = root().key("violence");
    in_range(
        issues,
        v.key("group_b_share"),
        raw.violence.group_b_share,
        0.0,
        1.0,
    );
    in_range(
        issues,
        v.key("reproduction"),
        raw.violence.reproduction,
        0.0,
        1.0,
    );
    whole_in(
        issues,
        v.key("max_age"),
        raw.violence.max_age,
        1,
        u32::MAX,
        "ticks",
    );
    if raw.unrest.activation == Activation::Simultaneous {
        // Both switches describe one agent's activation; simultaneous activation has none.
        if raw.unrest.order != Order::MoveThenAct {
            issues.push((
                u.key("order"),
                "\"act_then_move\" needs activation = \"random_sequential\"; simultaneous \
                 activation always moves first: remove `order` or change `activation`"
                    .into(),
            ));
        }
        if raw.unrest.jail_accounting != JailAccounting::EndOfTick {
            issues.push((
                u.key("jail_accounting"),
                "\"activation\" needs activation = \"random_sequential\"; use \"end_of_tick\" \
                 with simultaneous activation"
                    .into(),
            ));
        }
    }
    if !(1..=100_000).contains(&raw.unrest.max_jail_term) {
        issues.push((
            u.key("max_jail_term"),
            format!("{}; use 1 to 100000 ticks", raw.unrest.max_jail_term),
        ));
    }

    let s = root().key("security");
    in_range(
        issues,
        s.key("troops_per_patrol"),
        raw.security.troops_per_patrol,
        1e-9,
        1e6,
    );
    in_range(
        issues,
        s.key("nominal_troops_per_1000"),
        raw.security.nominal_troops_per_1000,
        1e-9,
        1e6,
    );
    whole_in(
        issues,
        s.key("harm_radius"),
        raw.security.harm_radius,
        0,
        MAX_RADIUS,
        "cells",
    );
    for (name, posture) in [
        ("restrained", &raw.security.restrained),
        ("robust", &raw.security.robust),
    ] {
        in_range(
            issues,
            s.key(name).key("harm_probability"),
            posture.harm_probability,
            0.0,
            1.0,
        );
        whole_in(
            issues,
            s.key(name).key("detentions_per_tick"),
            posture.detentions_per_tick,
            0,
            1000,
            "detentions",
        );
    }

    raw.aid.check(issues, &root().key("aid"));

    let co = root().key("coordination");
    in_range(
        issues,
        co.key("initial_trust"),
        raw.coordination.initial_trust,
        0.0,
        1.0,
    );
    in_range(
        issues,
        co.key("civil_military_trust"),
        raw.coordination.civil_military_trust,
        0.0,
        1.0,
    );
    in_range(issues, co.key("growth"), raw.coordination.growth, 0.0, 1.0);
    raw.intel.check(issues, &root().key("intel"));
    let lo = root().key("logistics");
    in_range(
        issues,
        lo.key("pooling_saving"),
        raw.logistics.pooling_saving,
        0.0,
        1.0,
    );
    in_range(
        issues,
        lo.key("friction_loss"),
        raw.logistics.friction_loss,
        0.0,
        1.0,
    );
    whole_in(
        issues,
        lo.key("friction_delay"),
        raw.logistics.friction_delay,
        0,
        MAX_TICKS,
        "ticks",
    );
    // At 0.5 cells a tick or faster, a round trip over the longest map side stays far from
    // u32::MAX ticks (trip_length adds trip_ticks and friction_delay to it).
    in_range(
        issues,
        lo.key("convoy_speed"),
        raw.logistics.convoy_speed,
        0.5,
        1e6,
    );
    in_range(issues, lo.key("ambush"), raw.logistics.ambush, 0.0, 1.0);
    raw.politics.check(issues, &root().key("politics"));

    raw.stability.check(issues, &root().key("stability"));
    let w = &raw.stability;
    if w.calm + w.liberty + w.consent + w.security + w.safety + w.settled <= 0.0 {
        issues.push((
            root().key("stability"),
            "every weight is 0; give at least one component a positive weight".into(),
        ));
    }
    raw.spoilers.check(issues, &root().key("spoilers"));
    raw.standing.check(issues, &root().key("standing"));
    raw.mechanisms.check(issues, &root().key("mechanisms"));
    raw.consent.check(issues, &root().key("consent"));
    raw.displacement.check(issues, &root().key("displacement"));

    let t = root().key("trust");
    for (field, v) in [
        ("security_gain", raw.trust.security_gain),
        ("aid_gain", raw.trust.aid_gain),
        ("harm_loss", raw.trust.harm_loss),
        ("need_loss", raw.trust.need_loss),
        ("need_tolerance", raw.trust.need_tolerance),
        ("neighbour_weight", raw.trust.neighbour_weight),
        ("multinational_bonus", raw.trust.multinational_bonus),
        ("association", raw.trust.association),
        ("cultural_competence", raw.trust.cultural_competence),
    ] {
        in_range(issues, t.key(field), v, 0.0, 1.0);
    }
}
