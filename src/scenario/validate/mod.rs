//! The validation pass: a parsed [`ScenarioFile`] becomes a checked [`Scenario`] or a list of
//! every problem found (field path + message). Ranges (declared with each parameter table, see
//! `params!`) and cross-references are checked in this pass and nowhere else; the rest of the
//! crate trusts a `Scenario`.
//!
//! Split by concern: the validated types (`spec`), the map (`map`), units (`units`), events
//! (`events`), the parameter tables (`tables`); the cross-table checks and the assembly
//! of the `Scenario` stay here.
//!
//! Over 500 lines: `validate()` itself (districts, memory footprint, partners, units'
//! cross-checks) is still one long function assembling the `Scenario`; split it next.

use super::limits::{
    Footprint, MAX_CELLS, MAX_DISTRICTS, MAX_NAME_CHARS, MAX_PARTNERS, MAX_TICKS, MAX_UNITS,
};
use super::locate::FieldPath;
use super::raw::{
    AidFile, CitizensFile, CoordinationFile, IntelFile, JailAccounting, LogisticsFile, MapFile,
    Order, Placement, PoliticsFile, ScenarioFile, SecurityFile, TrustFile, UnitFile, UnrestFile,
};
use super::{
    Activation, AidPolicy, CoordinationMechanism, EventKind, Neutrality, PartnerKind, PatrolPolicy,
    Posture, SharingPolicy, Technology, UnitKind,
};
use std::collections::{BTreeMap, BTreeSet};

mod events;
mod map;
mod spec;
mod tables;
#[cfg(test)]
mod tests;
mod units;

use events::validate_events;
#[cfg(test)]
use map::tile_districts;
use map::validate_map;
pub use spec::*;
use tables::validate_params;
use units::validate_unit;

type Issues = Vec<(FieldPath, String)>;

fn root() -> FieldPath {
    FieldPath::default()
}

/// Check that `value` lies in `[lo, hi]`; record a problem otherwise.
fn in_range(issues: &mut Issues, path: FieldPath, value: f64, lo: f64, hi: f64) {
    if !(value.is_finite() && value >= lo && value <= hi) {
        issues.push((
            path,
            format!("{value} is out of range; use a number from {lo} to {hi}"),
        ));
    }
}

fn index_by_name<'a>(names: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut map = BTreeMap::new();
    for (i, n) in names.enumerate() {
        map.entry(n).or_insert(i);
    }
    map
}

/// The names a reference may use, the first 20 of them (an error per bad reference must not
/// grow with the number of names: validation stays linear in the input).
fn known_list(map: &BTreeMap<&str, usize>) -> String {
    const SHOWN: usize = 20;
    let mut names: Vec<String> = map.keys().take(SHOWN).map(|k| format!("\"{k}\"")).collect();
    if map.len() > SHOWN {
        names.push(format!("… ({} more)", map.len() - SHOWN));
    }
    names.join(", ")
}

pub(super) fn validate(raw: ScenarioFile, memory_budget: u64) -> Result<Scenario, Issues> {
    let mut issues = Issues::new();
    let meta = root().key("scenario");
    let name_chars = raw.scenario.name.chars().count();
    if name_chars > MAX_NAME_CHARS {
        issues.push((
            meta.key("name"),
            format!(
                "a name of {name_chars} characters cannot name an output folder; use at most \
                 {MAX_NAME_CHARS} letters, digits, '-' and '_'"
            ),
        ));
    }
    let name_ok = !raw.scenario.name.is_empty()
        && raw
            .scenario
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !name_ok {
        issues.push((
            meta.key("name"),
            format!(
                "\"{}\" cannot name an output folder; use letters, digits, '-' and '_' only",
                raw.scenario.name
            ),
        ));
    }
    if raw.scenario.ticks == 0 || raw.scenario.ticks > MAX_TICKS {
        issues.push((
            meta.key("ticks"),
            format!(
                "{} ticks; use a whole number from 1 to {MAX_TICKS}",
                raw.scenario.ticks
            ),
        ));
    }

    // Districts: names, ranges.
    let dpath = root().key("districts");
    if raw.districts.is_empty() {
        issues.push((
            dpath.clone(),
            "no districts; add at least one [[districts]] table with a name".into(),
        ));
    }
    if raw.districts.len() > MAX_DISTRICTS {
        issues.push((
            dpath.index(MAX_DISTRICTS),
            format!(
                "{} districts; at most {MAX_DISTRICTS} are allowed",
                raw.districts.len()
            ),
        ));
    }
    if raw.partners.len() > MAX_PARTNERS {
        issues.push((
            root().key("partners").index(MAX_PARTNERS),
            format!(
                "{} partners; at most {MAX_PARTNERS} are allowed",
                raw.partners.len()
            ),
        ));
    }
    // What one run will hold in memory; the map's part is checked before the map is built.
    let units_total: u64 = raw
        .units
        .iter()
        .map(|u| u.count.clamp(0, MAX_UNITS) as u64)
        .sum();
    let explicit_citizens: u64 = raw
        .districts
        .iter()
        .map(|d| d.population.unwrap_or(0).clamp(0, MAX_CELLS as i64) as u64)
        .sum();
    let mut footprint = Footprint {
        citizens: explicit_citizens,
        units: units_total,
        partners: raw.partners.len() as u64,
        districts: raw.districts.len() as u64,
        ticks: raw.scenario.ticks.min(MAX_TICKS) as u64,
        sector: raw.intel.sector.max(1) as u64,
        ..Footprint::default()
    };
    let over_budget = |issues: &mut Issues, f: &Footprint| -> bool {
        match f.check(memory_budget) {
            None => false,
            Some((field, message)) => {
                let mut path = root();
                for k in field {
                    path = path.key(k);
                }
                issues.push((path, message));
                true
            }
        }
    };
    let district_index = index_by_name(raw.districts.iter().map(|d| d.name.as_str()));
    for (i, d) in raw.districts.iter().enumerate() {
        let p = dpath.index(i);
        if d.name.is_empty() {
            issues.push((p.key("name"), "empty district name; give it a name".into()));
        } else if district_index[d.name.as_str()] != i {
            issues.push((
                p.key("name"),
                format!(
                    "district \"{}\" is defined twice; names must be unique",
                    d.name
                ),
            ));
        }
        in_range(&mut issues, p.key("hardship"), d.hardship, 0.0, 1.0);
        in_range(
            &mut issues,
            p.key("initial_trust"),
            d.initial_trust,
            0.0,
            1.0,
        );
        in_range(&mut issues, p.key("access"), d.access, 0.0, 1.0);
        in_range(&mut issues, p.key("spoilers"), d.spoilers, 0.0, 1.0);
        match (d.population, d.density) {
            (Some(_), Some(_)) => issues.push((
                p.key("density"),
                "give either population or density, not both".into(),
            )),
            (None, None) => issues.push((
                p.clone(),
                "missing population; add `population = N` (citizens) or `density = 0.7` (share of cells)"
                    .into(),
            )),
            (Some(n), None) if n < 0 => issues.push((
                p.key("population"),
                format!("population {n} is negative; use a whole number ≥ 0"),
            )),
            (None, Some(x)) => in_range(&mut issues, p.key("density"), x, 0.0, 1.0),
            _ => {}
        }
    }

    let map = validate_map(
        &raw.map,
        &district_index,
        raw.districts.len(),
        &mut issues,
        &mut |issues, width, height| {
            footprint.width = width;
            footprint.height = height;
            // Populations beyond the map are refused once it is built, with their own message.
            footprint.citizens = explicit_citizens.min(width * height);
            over_budget(issues, &footprint)
        },
    );

    // Populations that need the map's cell counts (one pass over the map).
    let mut cells_of = vec![0u32; raw.districts.len()];
    if let Some(m) = &map {
        for &c in &m.district_of_cell {
            if let Some(n) = cells_of.get_mut(c as usize) {
                *n += 1;
            }
        }
    }
    let mut districts = Vec::with_capacity(raw.districts.len());
    let mut overflow = false;
    for (i, d) in raw.districts.iter().enumerate() {
        let cells = cells_of[i];
        let population = match (d.population, d.density) {
            (Some(n), None) if n >= 0 => n.min(u32::MAX as i64) as u32,
            (None, Some(x)) if (0.0..=1.0).contains(&x) => (x * cells as f64).round() as u32,
            _ => 0,
        };
        if map.is_some() && population > cells {
            overflow = true;
            issues.push((
                dpath.index(i).key(if d.population.is_some() { "population" } else { "density" }),
                format!(
                    "{population} citizens do not fit in district \"{}\", which has {cells} cells \
                     (one citizen per cell); lower the population or give the district more of the map",
                    d.name
                ),
            ));
        }
        districts.push(DistrictSpec {
            name: d.name.clone(),
            population,
            hardship: d.hardship,
            initial_trust: d.initial_trust,
            access: d.access,
            spoilers: d.spoilers,
            cells,
        });
    }

    if let Some(m) = &map {
        footprint.citizens = if raw.violence.enabled {
            // Model II births may fill every free cell.
            m.district_of_cell.len() as u64
        } else {
            districts.iter().map(|d| d.population as u64).sum()
        };
        over_budget(&mut issues, &footprint);
    }

    validate_params(&raw, &mut issues);

    // Partners.
    let ppath = root().key("partners");
    let partner_index = index_by_name(raw.partners.iter().map(|p| p.name.as_str()));
    // Per partner name: whether it fields patrols, and its units per assigned district (one
    // pass over the units, so validation stays linear in the file).
    let mut fields_patrols: BTreeSet<&str> = BTreeSet::new();
    let mut assigned: BTreeMap<(&str, usize), i64> = BTreeMap::new();
    for u in &raw.units {
        if u.kind == UnitKind::Patrol {
            fields_patrols.insert(u.partner.as_str());
        }
        if let Some(&d) = u.district.as_deref().and_then(|n| district_index.get(n)) {
            let n = assigned.entry((u.partner.as_str(), d)).or_insert(0);
            *n = n.saturating_add(u.count.clamp(0, MAX_UNITS));
        }
    }
    let mut partners = Vec::new();
    for (i, p) in raw.partners.iter().enumerate() {
        let path = ppath.index(i);
        if p.name.is_empty() {
            issues.push((
                path.key("name"),
                "empty partner name; give it a name".into(),
            ));
        } else if partner_index[p.name.as_str()] != i {
            issues.push((
                path.key("name"),
                format!(
                    "partner \"{}\" is defined twice; names must be unique",
                    p.name
                ),
            ));
        }
        in_range(
            &mut issues,
            path.key("supply_capacity"),
            p.supply_capacity,
            1e-9,
            1e12,
        );
        in_range(
            &mut issues,
            path.key("supply"),
            p.supply,
            0.0,
            p.supply_capacity.max(0.0),
        );
        in_range(&mut issues, path.key("resupply"), p.resupply, 0.0, 1e12);
        in_range(
            &mut issues,
            path.key("cost_per_unit_day"),
            p.cost_per_unit_day,
            0.0,
            1e12,
        );
        in_range(&mut issues, path.key("commitment"), p.commitment, 0.0, 1.0);
        in_range(
            &mut issues,
            path.key("withdraw_below"),
            p.withdraw_below,
            0.0,
            1.0,
        );
        in_range(
            &mut issues,
            path.key("sharing_threshold"),
            p.sharing_threshold,
            0.0,
            1.0,
        );
        in_range(
            &mut issues,
            path.key("misconduct_rate"),
            p.misconduct_rate,
            0.0,
            1.0,
        );
        if let Some(b) = p.budget {
            in_range(&mut issues, path.key("budget"), b, 1e-9, 1e15);
        }
        if let Some(c) = p.credibility {
            in_range(&mut issues, path.key("credibility"), c, 0.0, 2.0);
        }
        let mandate = match p.mandate {
            Some(m) => {
                let v = [m.protection, m.stabilisation, m.humanitarian, m.commercial];
                for (k, x) in ["protection", "stabilisation", "humanitarian", "commercial"]
                    .iter()
                    .zip(v)
                {
                    in_range(&mut issues, path.key("mandate").key(k), x, 0.0, 1.0);
                }
                if v.iter().all(|&x| x == 0.0) {
                    issues.push((
                        path.key("mandate"),
                        "a mandate of all zeros; give at least one aim a weight above 0".into(),
                    ));
                }
                v
            }
            None => p.kind.default_mandate(),
        };
        let mut caveat_districts = Vec::new();
        for (k, name) in p.caveats.districts.iter().enumerate() {
            match district_index.get(name.as_str()) {
                Some(&d) => caveat_districts.push(d),
                None => issues.push((
                    path.key("caveats").key("districts").index(k),
                    format!(
                        "unknown district \"{name}\"; known districts: {}",
                        known_list(&district_index)
                    ),
                )),
            }
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
        let base = match &p.base {
            Some(name) => district_index
                .get(name.as_str())
                .copied()
                .unwrap_or_else(|| {
                    issues.push((
                        path.key("base"),
                        format!(
                            "unknown district \"{name}\"; known districts: {}",
                            known_list(&district_index)
                        ),
                    ));
                    0
                }),
            // The district most of its units are assigned to (first on ties), else the depot's.
            None => assigned
                .range((p.name.as_str(), 0)..=(p.name.as_str(), usize::MAX))
                .filter(|&(_, &n)| n > 0)
                .max_by_key(|&(&(_, d), &n)| (n, std::cmp::Reverse(d)))
                .map_or(usize::MAX, |(&(_, d), _)| d),
        };
        let is_force = fields_patrols.contains(p.name.as_str());
        partners.push(PartnerSpec {
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
            is_force,
            pooled: false,
            base,
        });
    }
    let depot = match &raw.logistics.depot {
        None => 0,
        Some(name) => district_index
            .get(name.as_str())
            .copied()
            .unwrap_or_else(|| {
                issues.push((
                    root().key("logistics").key("depot"),
                    format!(
                        "unknown district \"{name}\"; known districts: {}",
                        known_list(&district_index)
                    ),
                ));
                0
            }),
    };
    for p in &mut partners {
        if p.base == usize::MAX {
            p.base = depot;
        }
    }
    for (k, name) in raw.logistics.pooled.iter().enumerate() {
        match partner_index.get(name.as_str()) {
            Some(&p) => partners[p].pooled = true,
            None => issues.push((
                root().key("logistics").key("pooled").index(k),
                format!(
                    "unknown partner \"{name}\"; known partners: {}",
                    known_list(&partner_index)
                ),
            )),
        }
    }
    let events = validate_events(&raw, &partner_index, &district_index, &mut issues);

    // Units.
    let upath = root().key("units");
    let mut units = Vec::new();
    let mut patrols_total: u64 = 0;
    let mut patrols_in: Vec<u64> = vec![0; raw.districts.len()];
    if units_total > MAX_UNITS as u64 {
        issues.push((
            upath.clone(),
            format!(
                "{units_total} units in all; at most {MAX_UNITS} are allowed over every [[units]] \
                 entry together"
            ),
        ));
    }
    for (i, u) in raw.units.iter().enumerate() {
        let path = upath.index(i);
        if let Some(spec) =
            validate_unit(u, &path, &partner_index, &district_index, &raw, &mut issues)
        {
            if spec.kind == UnitKind::Patrol {
                patrols_total += spec.count as u64;
                if let Some(d) = spec.district {
                    patrols_in[d] += spec.count as u64;
                }
            }
            units.push(spec);
        }
    }

    // Bernoulli placement draws, per cell, a citizen with the district's density, else a patrol
    // with probability patrols / cells: patrols cannot be tied to a district, and the two
    // probabilities must fit in 1 everywhere.
    if raw.unrest.placement == Placement::Bernoulli {
        for (i, u) in units.iter().enumerate() {
            if u.kind == UnitKind::Patrol && u.district.is_some() {
                issues.push((
                    upath.index(i).key("district"),
                    "patrols placed with unrest.placement = \"bernoulli\" stand anywhere on the \
                     map; remove `district` or use placement = \"exact\""
                        .into(),
                ));
            }
        }
        if let (Some(m), false) = (&map, overflow) {
            let patrol_p = patrols_total as f64 / m.district_of_cell.len().max(1) as f64;
            for (d, spec) in districts.iter().enumerate() {
                let citizen_p = spec.population as f64 / spec.cells.max(1) as f64;
                if citizen_p + patrol_p > 1.0 {
                    issues.push((
                        dpath.index(d),
                        format!(
                            "with unrest.placement = \"bernoulli\", citizen density {citizen_p:.4} \
                             plus patrol density {patrol_p:.4} exceeds 1 in district \"{}\"; \
                             lower the density or the patrol count",
                            spec.name
                        ),
                    ));
                }
            }
        }
    }

    // Patrols and citizens each take a cell of their own (checked once districts fit).
    if let (Some(m), false) = (&map, overflow) {
        let citizens: u64 = districts.iter().map(|d| d.population as u64).sum();
        let cells = m.district_of_cell.len() as u64;
        if citizens + patrols_total > cells {
            issues.push((
                upath.clone(),
                format!(
                    "{citizens} citizens and {patrols_total} patrols need {} cells but the map has \
                     {cells}; each takes a cell of its own: lower populations or patrol counts",
                    citizens + patrols_total
                ),
            ));
        }
        for (d, spec) in districts.iter().enumerate() {
            if spec.population as u64 + patrols_in[d] > spec.cells as u64
                && spec.population <= spec.cells
            {
                issues.push((
                    upath.clone(),
                    format!(
                        "district \"{}\" has {} cells, too few for its {} citizens and the {} patrols \
                         assigned to it",
                        spec.name, spec.cells, spec.population, patrols_in[d]
                    ),
                ));
            }
        }
    }

    match (issues.is_empty(), map) {
        (true, Some(map)) => Ok(Scenario {
            name: raw.scenario.name,
            description: raw.scenario.description,
            seed: raw.scenario.seed,
            ticks: raw.scenario.ticks,
            map,
            districts,
            citizens: raw.citizens,
            unrest: raw.unrest,
            security: raw.security,
            aid: raw.aid,
            trust: raw.trust,
            partners,
            units,
            coordination: raw.coordination,
            intel: raw.intel,
            logistics: raw.logistics,
            politics: raw.politics,
            violence: raw.violence,
            stability: raw.stability,
            spoilers: raw.spoilers,
            standing: raw.standing,
            mechanisms: raw.mechanisms,
            consent: raw.consent,
            displacement: raw.displacement,
            depot,
            events,
        }),
        _ => Err(issues),
    }
}
