//! One `[[units]]` entry: its partner, kind, count, district and convoy fields.

use super::*;

pub(super) fn validate_unit(
    u: &UnitFile,
    path: &FieldPath,
    partner_index: &BTreeMap<&str, usize>,
    district_index: &BTreeMap<&str, usize>,
    raw: &ScenarioFile,
    issues: &mut Issues,
) -> Option<UnitSpec> {
    let before = issues.len();
    let partner = named(
        partner_index,
        "partner",
        &u.partner,
        path.key("partner"),
        issues,
    );
    match partner {
        None => {}
        Some(p) => {
            let kind = raw.partners[p].kind;
            if !u.kind.fielded_by().contains(&kind) {
                let allowed: Vec<&str> = u.kind.fielded_by().iter().map(|k| k.as_str()).collect();
                issues.push((
                    path.key("kind"),
                    format!(
                        "partner \"{}\" is a {} and cannot field a {}; {}s come from: {}",
                        u.partner,
                        kind.as_str(),
                        u.kind.as_str(),
                        u.kind.as_str(),
                        allowed.join(", ")
                    ),
                ));
            }
        }
    }
    if !(0..=MAX_UNITS).contains(&u.count) {
        issues.push((
            path.key("count"),
            format!(
                "count {} is out of range; use a whole number from 0 to {MAX_UNITS}",
                u.count
            ),
        ));
    }
    let district = u.district.as_deref().and_then(|name| {
        named(
            district_index,
            "district",
            name,
            path.key("district"),
            issues,
        )
    });
    let convoy = if u.kind == UnitKind::Convoy {
        in_range(issues, path.key("cargo"), u.cargo, 0.0, 1e12);
        in_range(issues, path.key("reliability"), u.reliability, 0.0, 1.0);
        if u.trip_ticks == 0 {
            issues.push((
                path.key("trip_ticks"),
                "0 ticks; a trip takes at least 1 tick".into(),
            ));
        } else if u.trip_ticks > MAX_TICKS {
            issues.push((
                path.key("trip_ticks"),
                format!(
                    "{} ticks; a trip takes from 1 to {MAX_TICKS} ticks",
                    u.trip_ticks
                ),
            ));
        }
        match &u.client {
            None => {
                issues.push((
                    path.clone(),
                    "a convoy needs a client: add `client = \"<partner name>\"`".into(),
                ));
                None
            }
            Some(c) => {
                named(partner_index, "partner", c, path.key("client"), issues).map(|client| {
                    ConvoySpec {
                        client,
                        cargo: u.cargo,
                        trip_ticks: u.trip_ticks,
                        reliability: u.reliability,
                    }
                })
            }
        }
    } else {
        if u.client.is_some() {
            issues.push((
                path.key("client"),
                format!(
                    "only convoys have a client; remove it from this {}",
                    u.kind.as_str()
                ),
            ));
        }
        None
    };
    (issues.len() == before).then(|| UnitSpec {
        partner: partner.unwrap_or_default(),
        kind: u.kind,
        count: u.count as u32,
        district,
        convoy,
    })
}
