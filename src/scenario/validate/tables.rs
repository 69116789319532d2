//! The parameter tables' checks: each table declared with `params!` checks its own ranges;
//! the rules between fields (simultaneous activation, stability's weights) are here.

use super::*;

pub(super) fn validate_params(raw: &ScenarioFile, issues: &mut Issues) {
    raw.citizens.check(issues, &root().key("citizens"));

    let u = root().key("unrest");
    raw.unrest.check(issues, &u);
    raw.violence.check(issues, &root().key("violence"));
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

    let s = root().key("security");
    raw.security.check(issues, &s);
    raw.security.restrained.check(issues, &s.key("restrained"));
    raw.security.robust.check(issues, &s.key("robust"));

    raw.aid.check(issues, &root().key("aid"));
    raw.coordination.check(issues, &root().key("coordination"));
    raw.intel.check(issues, &root().key("intel"));
    raw.logistics.check(issues, &root().key("logistics"));
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
    raw.trust.check(issues, &root().key("trust"));
}
