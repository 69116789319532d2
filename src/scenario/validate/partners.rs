//! The `[[partners]]` entries (names, ranges, mandate, caveats, neutrality, base) and the
//! `[logistics]` references to districts and partners (the depot, the pooled partners).

use super::*;
use crate::scenario::raw::PartnerFile;

/// What the units say of each partner, by name (one pass over the units, so validation stays
/// linear in the file).
struct UnitsByPartner<'a> {
    /// Partners fielding patrols (forces).
    fields_patrols: BTreeSet<&'a str>,
    /// Units per partner and assigned district.
    assigned: BTreeMap<(&'a str, usize), i64>,
}

fn units_by_partner<'a>(raw: &'a ScenarioFile, names: &Names) -> UnitsByPartner<'a> {
    let mut by = UnitsByPartner {
        fields_patrols: BTreeSet::new(),
        assigned: BTreeMap::new(),
    };
    for u in &raw.units {
        if u.kind == UnitKind::Patrol {
            by.fields_patrols.insert(u.partner.as_str());
        }
        if let Some(&d) = u.district.as_deref().and_then(|n| names.districts.get(n)) {
            let n = by.assigned.entry((u.partner.as_str(), d)).or_insert(0);
            *n = n.saturating_add(u.count.clamp(0, MAX_UNITS));
        }
    }
    by
}

/// Every `[[partners]]` entry, in order. A partner without a base has `base = usize::MAX`
/// until [`logistics_references`] gives it the depot.
pub(super) fn validate_partners(
    raw: &ScenarioFile,
    names: &Names,
    issues: &mut Issues,
) -> Vec<PartnerSpec> {
    let by = units_by_partner(raw, names);
    let mut partners = Vec::new();
    for (i, p) in raw.partners.iter().enumerate() {
        partners.push(validate_partner(p, i, names, &by, issues));
    }
    partners
}

fn validate_partner(
    p: &PartnerFile,
    i: usize,
    names: &Names,
    by: &UnitsByPartner,
    issues: &mut Issues,
) -> PartnerSpec {
    let path = root().key("partners").index(i);
    if super::label_ok(issues, path.key("name"), "partner", &p.name)
        && names.partners[p.name.as_str()] != i
    {
        issues.push((
            path.key("name"),
            format!(
                "partner \"{}\" is defined twice; names must be unique",
                p.name
            ),
        ));
    }
    check_ranges(p, &path, issues);
    let mandate = mandate(p, &path, issues);
    let caveat_districts = caveats(p, &path, names, issues);
    if p.neutrality == Neutrality::Coordinated
        && !matches!(p.kind, PartnerKind::Ngo | PartnerKind::LocalOrganisation)
    {
        issues.push((
            path.key("neutrality"),
            format!(
                "neutrality is the stance of an NGO or a local organisation; \"{}\" is a {} \
                 (it is part of the mission)",
                p.name,
                p.kind.as_str()
            ),
        ));
    }
    let base = base(p, &path, names, by, issues);
    PartnerSpec {
        name: p.name.clone(),
        kind: p.kind,
        supply: p.supply,
        supply_capacity: p.supply_capacity,
        resupply: p.resupply,
        cost_per_unit_day: p.cost_per_unit_day,
        posture: p.posture,
        mandate,
        budget: p.budget,
        commitment: p.commitment,
        withdraw_below: p.withdraw_below,
        caveat_districts,
        refuses_detain: p.caveats.tasks.iter().any(|t| t == "detain"),
        refuses_escort: p.caveats.tasks.iter().any(|t| t == "escort"),
        sharing: p.sharing,
        sharing_threshold: p.sharing_threshold,
        patrol_policy: p.patrol_policy,
        aid_policy: p.aid_policy,
        neutrality: p.neutrality,
        framework: p.framework.clone().unwrap_or_else(|| p.name.clone()),
        technology: p.technology.clone(),
        credibility: p.credibility.unwrap_or(p.kind.default_credibility()),
        misconduct_rate: p.misconduct_rate,
        engaged: p.engaged,
        is_force: by.fields_patrols.contains(p.name.as_str()),
        pooled: false,
        base,
    }
}

/// The partner's numbers within their ranges.
fn check_ranges(p: &PartnerFile, path: &FieldPath, issues: &mut Issues) {
    in_range(
        issues,
        path.key("supply_capacity"),
        p.supply_capacity,
        1e-9,
        1e12,
    );
    in_range(
        issues,
        path.key("supply"),
        p.supply,
        0.0,
        p.supply_capacity.max(0.0),
    );
    in_range(issues, path.key("resupply"), p.resupply, 0.0, 1e12);
    in_range(
        issues,
        path.key("cost_per_unit_day"),
        p.cost_per_unit_day,
        0.0,
        1e12,
    );
    in_range(issues, path.key("commitment"), p.commitment, 0.0, 1.0);
    in_range(
        issues,
        path.key("withdraw_below"),
        p.withdraw_below,
        0.0,
        1.0,
    );
    in_range(
        issues,
        path.key("sharing_threshold"),
        p.sharing_threshold,
        0.0,
        1.0,
    );
    in_range(
        issues,
        path.key("misconduct_rate"),
        p.misconduct_rate,
        0.0,
        1.0,
    );
    if let Some(b) = p.budget {
        in_range(issues, path.key("budget"), b, 1e-9, 1e15);
    }
    if let Some(c) = p.credibility {
        in_range(issues, path.key("credibility"), c, 0.0, 2.0);
    }
}

/// The mandate's weights (the kind's default when none is given): each in [0, 1], not all 0.
fn mandate(p: &PartnerFile, path: &FieldPath, issues: &mut Issues) -> [f64; 4] {
    let Some(m) = p.mandate else {
        return p.kind.default_mandate();
    };
    let v = [m.protection, m.stabilisation, m.humanitarian, m.commercial];
    for (k, x) in ["protection", "stabilisation", "humanitarian", "commercial"]
        .iter()
        .zip(v)
    {
        in_range(issues, path.key("mandate").key(k), x, 0.0, 1.0);
    }
    if v.iter().all(|&x| x == 0.0) {
        issues.push((
            path.key("mandate"),
            "a mandate of all zeros; give at least one aim a weight above 0".into(),
        ));
    }
    v
}

/// The caveats: districts the partner stays out of (returned) and tasks it refuses.
fn caveats(p: &PartnerFile, path: &FieldPath, names: &Names, issues: &mut Issues) -> Vec<usize> {
    let mut caveat_districts = Vec::new();
    for (k, name) in p.caveats.districts.iter().enumerate() {
        let at = path.key("caveats").key("districts").index(k);
        caveat_districts.extend(named(&names.districts, "district", name, at, issues));
    }
    for (k, task) in p.caveats.tasks.iter().enumerate() {
        if !["detain", "escort"].contains(&task.as_str()) {
            issues.push((
                path.key("caveats").key("tasks").index(k),
                format!(
                    "unknown task \"{task}\"; tasks that can be refused: \"detain\", \"escort\""
                ),
            ));
        }
    }
    caveat_districts
}

/// The partner's base: the district named, else the one most of its units are assigned to
/// (first on ties), else `usize::MAX` (the depot, filled in later).
fn base(
    p: &PartnerFile,
    path: &FieldPath,
    names: &Names,
    by: &UnitsByPartner,
    issues: &mut Issues,
) -> usize {
    match &p.base {
        Some(name) => {
            named(&names.districts, "district", name, path.key("base"), issues).unwrap_or(0)
        }
        None => by
            .assigned
            .range((p.name.as_str(), 0)..=(p.name.as_str(), usize::MAX))
            .filter(|&(_, &n)| n > 0)
            .max_by_key(|&(&(_, d), &n)| (n, std::cmp::Reverse(d)))
            .map_or(usize::MAX, |(&(_, d), _)| d),
    }
}

/// `[logistics]`: the depot (returned; the base of partners without one) and the pooled
/// partners.
pub(super) fn logistics_references(
    raw: &ScenarioFile,
    names: &Names,
    partners: &mut [PartnerSpec],
    issues: &mut Issues,
) -> usize {
    let depot = match &raw.logistics.depot {
        None => 0,
        Some(name) => {
            let at = root().key("logistics").key("depot");
            named(&names.districts, "district", name, at, issues).unwrap_or(0)
        }
    };
    for p in partners.iter_mut() {
        if p.base == usize::MAX {
            p.base = depot;
        }
    }
    for (k, name) in raw.logistics.pooled.iter().enumerate() {
        let at = root().key("logistics").key("pooled").index(k);
        if let Some(p) = named(&names.partners, "partner", name, at, issues) {
            partners[p].pooled = true;
        }
    }
    depot
}
