//! Timeline events: ticks, partners, districts and what each kind of event needs.

use super::*;

pub(super) fn validate_events(
    raw: &ScenarioFile,
    partner_index: &BTreeMap<&str, usize>,
    district_index: &BTreeMap<&str, usize>,
    issues: &mut Issues,
) -> Vec<EventSpec> {
    let mut events = Vec::new();
    for (i, e) in raw.events.iter().enumerate() {
        let path = root().key("events").index(i);
        let before = issues.len();
        if e.tick == 0 {
            issues.push((
                path.key("tick"),
                "tick 0; events happen from tick 1 on".into(),
            ));
        } else if e.tick > MAX_TICKS {
            issues.push((
                path.key("tick"),
                format!(
                    "tick {}; events happen from tick 1 to {MAX_TICKS} (the longest run)",
                    e.tick
                ),
            ));
        }
        if let Some(d) = e.duration.filter(|&d| d > MAX_TICKS) {
            issues.push((
                path.key("duration"),
                format!(
                    "{d} ticks; use 1 to {MAX_TICKS} (the longest run: a duration of \
                     {MAX_TICKS} lasts to the end of any run)"
                ),
            ));
        }
        let mut partner_of =
            |name: &str, at: FieldPath| named(partner_index, "partner", name, at, issues);
        let partner = e
            .partner
            .as_deref()
            .and_then(|n| partner_of(n, path.key("partner")));
        let partners: Vec<usize> = e
            .partners
            .iter()
            .enumerate()
            .filter_map(|(k, n)| partner_of(n, path.key("partners").index(k)))
            .collect();
        let district = e.district.as_deref().and_then(|name| {
            named(
                district_index,
                "district",
                name,
                path.key("district"),
                issues,
            )
        });
        let need = |issues: &mut Issues, ok: bool, field: &str, what: &str| {
            if !ok {
                issues.push((
                    path.clone(),
                    format!(
                        "a kind = \"{}\" event needs {field}: {what}",
                        crate::scenario::kinds::spelled(&e.kind)
                    ),
                ));
            }
        };
        unused_fields(e, &path, issues);
        if let Some(p) = partner {
            fits_partner(raw, i, p, &path, issues);
        }
        // A withdraw without an amount sends the whole partner home (amount 1); 0 sends nobody.
        let amount = e.amount.unwrap_or(if e.kind == EventKind::Withdraw {
            1.0
        } else {
            0.0
        });
        match e.kind {
            EventKind::Withdraw => {
                need(issues, e.partner.is_some(), "partner", "the partner's name");
                // Optional: the share of its units that leave (a partial drawdown).
                if e.amount.is_some() {
                    in_range(issues, path.key("amount"), amount, 0.0, 1.0);
                }
            }
            EventKind::Join => need(issues, e.partner.is_some(), "partner", "the partner's name"),
            EventKind::Funding => {
                need(issues, e.partner.is_some(), "partner", "the partner's name");
                need(
                    issues,
                    e.amount.is_some(),
                    "amount",
                    "a multiplier of resupply, e.g. 0.5",
                );
                in_range(issues, path.key("amount"), amount, 0.0, 100.0);
            }
            EventKind::HomePolitics => {
                need(issues, e.partner.is_some(), "partner", "the partner's name");
                need(
                    issues,
                    e.amount.is_some(),
                    "amount",
                    "the commitment lost, 0 to 1",
                );
                in_range(issues, path.key("amount"), amount, 0.0, 1.0);
            }
            EventKind::Attack => {
                need(
                    issues,
                    e.district.is_some(),
                    "district",
                    "where the attack happens",
                );
                need(
                    issues,
                    e.amount.is_some(),
                    "amount",
                    "its severity, 0 to 10",
                );
                in_range(issues, path.key("amount"), amount, 0.0, 10.0);
            }
            EventKind::Election => {
                need(
                    issues,
                    e.amount.is_some(),
                    "amount",
                    "the drop in threshold, 0 to 1",
                );
                need(
                    issues,
                    e.duration.is_some_and(|d| d > 0),
                    "duration",
                    "ticks ≥ 1",
                );
                in_range(issues, path.key("amount"), amount, 0.0, 1.0);
            }
            EventKind::Disaster | EventKind::Legitimacy => {
                need(issues, e.amount.is_some(), "amount", "a value from 0 to 1");
                in_range(issues, path.key("amount"), amount, 0.0, 1.0);
            }
            EventKind::Technology => need(
                issues,
                e.technology.is_some(),
                "technology",
                "drones, analytics, telecom or real_time_data",
            ),
            EventKind::Policy => {
                need(issues, e.partner.is_some(), "partner", "the partner's name");
                need(
                    issues,
                    e.sharing.is_some()
                        || e.posture.is_some()
                        || e.patrol_policy.is_some()
                        || e.neutrality.is_some()
                        || e.aid_policy.is_some(),
                    "a change",
                    "sharing, posture, patrol_policy, neutrality or aid_policy",
                );
            }
            EventKind::Coordination => need(
                issues,
                e.mechanism.is_some(),
                "mechanism",
                "none, liaison_officers, cimic_cell or integrated_hq",
            ),
            EventKind::JointTraining => {
                need(
                    issues,
                    e.partners.len() >= 2,
                    "partners",
                    "at least two partner names",
                );
                // A partner named twice trains with itself: the event did nothing, silently.
                if let Some(twice) = e
                    .partners
                    .iter()
                    .enumerate()
                    .find(|(i, p)| e.partners[..*i].contains(p))
                    .map(|(_, p)| p)
                {
                    issues.push((
                        path.key("partners"),
                        format!(
                            "partner \"{twice}\" is named twice; name each partner that trains \
                             once (at least two different partners)"
                        ),
                    ));
                }
                need(
                    issues,
                    e.amount.is_some(),
                    "amount",
                    "the share of the trust gap closed, 0 to 1",
                );
                in_range(issues, path.key("amount"), amount, 0.0, 1.0);
            }
        }
        if issues.len() == before {
            events.push(EventSpec {
                tick: e.tick,
                kind: e.kind,
                partner,
                partners,
                district,
                amount,
                duration: e.duration.unwrap_or(0),
                technology: e.technology,
                sharing: e.sharing,
                posture: e.posture,
                patrol_policy: e.patrol_policy,
                neutrality: e.neutrality,
                aid_policy: e.aid_policy,
                mechanism: e.mechanism,
            });
        }
    }
    // In file order: the caller's checks name events by their index in the file, then sort.
    events
}

/// Whether a `[[units]]` entry gives `partner` units of `kind`. Its count may be 0: a sweep of
/// `units.0.count = [0, 20, 40]` keeps the policy meaningful at its other points.
fn fields(raw: &ScenarioFile, partner: &str, kind: UnitKind) -> bool {
    raw.units
        .iter()
        .any(|u| u.partner == partner && u.kind == kind)
}

/// An event naming partner `p` must be able to change it: a policy for units it has no
/// `[[units]]` entry of, or a stance only NGOs and local organisations take, would be applied
/// and change nothing, silently. (A `join` of a partner already in the mission is valid, since a
/// sweep may set `engaged` either way: the commands say so, [`crate::scenario::inert_events`].)
fn fits_partner(raw: &ScenarioFile, i: usize, p: usize, path: &FieldPath, issues: &mut Issues) {
    let e = &raw.events[i];
    let partner = &raw.partners[p];
    let name = partner.name.as_str();
    let kind = partner.kind.as_str();
    let problem = |field: &str, unit: UnitKind, what: &str| {
        let fielding: Vec<String> = raw
            .partners
            .iter()
            .filter(|q| fields(raw, &q.name, unit))
            .map(|q| format!("\"{}\"", q.name))
            .collect();
        let instead = if fielding.is_empty() {
            format!("no partner has {what}")
        } else {
            format!("or name a partner with {what}: {}", fielding.join(", "))
        };
        (
            path.key(field),
            format!(
                "`{field}` steers {what}, and partner \"{name}\" ({kind}) has none, so it would \
                 change nothing; remove it ({instead})"
            ),
        )
    };
    if !fields(raw, name, UnitKind::Patrol) {
        if e.posture.is_some() {
            issues.push(problem("posture", UnitKind::Patrol, "patrols"));
        }
        if e.patrol_policy.is_some() {
            issues.push(problem("patrol_policy", UnitKind::Patrol, "patrols"));
        }
    }
    if e.aid_policy.is_some() && !fields(raw, name, UnitKind::AidTeam) {
        issues.push(problem("aid_policy", UnitKind::AidTeam, "aid teams"));
    }
    if e.neutrality == Some(Neutrality::Coordinated)
        && !matches!(
            partner.kind,
            PartnerKind::Ngo | PartnerKind::LocalOrganisation
        )
    {
        issues.push((
            path.key("neutrality"),
            format!(
                "neutrality is the stance of an NGO or a local organisation; \"{name}\" is a \
                 {kind} (it is part of the mission)"
            ),
        ));
    }
}

/// The fields an event of each kind reads (`systems::events`); any other field it sets would
/// be ignored, silently (a `withdraw` with a `district` still withdrew the whole partner), so it
/// is refused with the list of what the kind uses.
fn used_by(kind: EventKind) -> &'static [&'static str] {
    match kind {
        EventKind::Withdraw | EventKind::Funding | EventKind::HomePolitics => {
            &["partner", "amount"]
        }
        EventKind::Join => &["partner"],
        EventKind::Attack | EventKind::Disaster | EventKind::Legitimacy => &["district", "amount"],
        EventKind::Election => &["district", "amount", "duration"],
        EventKind::Technology => &["partner", "technology"],
        EventKind::Policy => &[
            "partner",
            "sharing",
            "posture",
            "patrol_policy",
            "neutrality",
            "aid_policy",
        ],
        EventKind::Coordination => &["mechanism"],
        EventKind::JointTraining => &["partners", "amount"],
    }
}

fn unused_fields(e: &super::super::raw::EventFile, path: &FieldPath, issues: &mut Issues) {
    let set = [
        ("partner", e.partner.is_some()),
        ("partners", !e.partners.is_empty()),
        ("district", e.district.is_some()),
        ("amount", e.amount.is_some()),
        ("duration", e.duration.is_some()),
        ("technology", e.technology.is_some()),
        ("sharing", e.sharing.is_some()),
        ("posture", e.posture.is_some()),
        ("patrol_policy", e.patrol_policy.is_some()),
        ("neutrality", e.neutrality.is_some()),
        ("aid_policy", e.aid_policy.is_some()),
        ("mechanism", e.mechanism.is_some()),
    ];
    let used = used_by(e.kind);
    for (field, present) in set {
        if present && !used.contains(&field) {
            issues.push((
                path.key(field),
                format!(
                    "a kind = \"{}\" event does not use `{field}` (it would be ignored); remove \
                     it (this kind uses {})",
                    crate::scenario::kinds::spelled(&e.kind),
                    used.iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
}
