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
    let partner = partner_index.get(u.partner.as_str()).copied();
    match partner {
        None => issues.push((
            path.key("partner"),
            format!(
                "unknown partner \"{}\"; known partners: {}",
                u.partner,
                known_list(partner_index)
            ),
        )),
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
    let district = match &u.district {
        None => None,
        Some(name) => match district_index.get(name.as_str()) {
            Some(&d) => Some(d),
            None => {
                issues.push((
                    path.key("district"),
                    format!(
                        "unknown district \"{name}\"; known districts: {}",
                        known_list(district_index)
                    ),
                ));
                None
            }
        },
    };
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
            Some(c) => match partner_index.get(c.as_str()) {
                Some(&client) => Some(ConvoySpec {
                    client,
                    cargo: u.cargo,
                    trip_ticks: u.trip_ticks,
                    reliability: u.reliability,
                }),
                None => {
                    issues.push((
                        path.key("client"),
                        format!(
                            "unknown partner \"{c}\"; known partners: {}",
                            known_list(partner_index)
                        ),
                    ));
                    None
                }
            },
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
