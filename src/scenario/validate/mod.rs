//! The validation pass: a parsed [`ScenarioFile`] becomes a checked [`Scenario`] or a list of
//! every problem found (field path + message). Ranges (declared with each parameter table, see
//! `params!`) and cross-references are checked in this pass and nowhere else; the rest of the
//! crate trusts a `Scenario`.
//!
//! Split by concern: the validated types (`spec`), the map (`map`), units (`units`), events
//! (`events`), partners (`partners`), the parameter tables (`tables`); the `[scenario]` and
//! `[[districts]]` checks, the memory budget, the cross-table checks (placement, cells) and the
//! assembly of the `Scenario` stay here. `validate()` reads as one phase per table or section,
//! in the order their problems are listed.
//!
//! Over 500 lines: those phases that stay here are each short, and kept beside `validate()` so
//! the order of the checks (the order problems are listed in) reads in one place.

use super::limits::{
    Footprint, MAX_CELLS, MAX_DISTRICTS, MAX_EVENTS, MAX_NAME_CHARS, MAX_PARTNERS, MAX_TICKS,
    MAX_UNITS,
};
use super::locate::FieldPath;
use super::params::shown;
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
mod partners;
mod spec;
mod tables;
#[cfg(test)]
mod tests;
mod units;

use events::validate_events;
#[cfg(test)]
use map::tile_districts;
use map::validate_map;
use partners::{logistics_references, validate_partners};
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
            format!(
                "{} is out of range; use a number from {} to {}",
                shown(value),
                shown(lo),
                shown(hi)
            ),
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

/// The index of the `what` (district, partner) called `name`, or a problem at `at` that lists
/// the names it could have been.
fn named(
    map: &BTreeMap<&str, usize>,
    what: &str,
    name: &str,
    at: FieldPath,
    issues: &mut Issues,
) -> Option<usize> {
    let found = map.get(name).copied();
    if found.is_none() {
        issues.push((
            at,
            format!(
                "unknown {what} \"{name}\"; known {what}s: {}",
                known_list(map)
            ),
        ));
    }
    found
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

/// Names a reference may use: districts and partners, each by its first definition.
struct Names<'a> {
    districts: BTreeMap<&'a str, usize>,
    partners: BTreeMap<&'a str, usize>,
}

pub(super) fn validate(raw: ScenarioFile, memory_budget: u64) -> Result<Scenario, Issues> {
    let mut issues = Issues::new();
    check_scenario_table(&raw, &mut issues);
    check_table_counts(&raw, &mut issues);
    let mut budget = Budget::new(&raw, memory_budget);
    let names = Names {
        districts: index_by_name(raw.districts.iter().map(|d| d.name.as_str())),
        partners: index_by_name(raw.partners.iter().map(|p| p.name.as_str())),
    };
    check_districts(&raw, &names, &mut issues);
    let map = validate_map(
        &raw.map,
        &names.districts,
        raw.districts.len(),
        &mut issues,
        &mut |issues, width, height| budget.check_with_map(issues, width, height),
    );
    let districts = district_specs(&raw, map.as_ref(), &mut issues);
    budget.check_citizens(&raw, map.as_ref(), &districts, &mut issues);
    validate_params(&raw, &mut issues);
    check_vision_fits(&raw, map.as_ref(), &mut issues);
    let mut partners = validate_partners(&raw, &names, &mut issues);
    let depot = logistics_references(&raw, &names, &mut partners, &mut issues);
    let mut events = validate_events(&raw, &names.partners, &names.districts, &mut issues);
    // Indices name the file's entries only when none was dropped as invalid.
    if events.len() == raw.events.len() && partners.len() == raw.partners.len() {
        check_hotspots_have_analytics(&partners, &events, &mut issues);
    }
    // Applied by tick, in file order within a tick (the sort is stable).
    events.sort_by_key(|e| e.tick);
    let units = validate_units(&raw, &names, &mut issues);
    check_bernoulli_placement(&raw, map.as_ref(), &districts, &units, &mut issues);
    check_cells(map.as_ref(), &districts, &units, &mut issues);
    match (issues.is_empty(), map) {
        (true, Some(map)) => Ok(assemble(
            raw,
            Parts {
                map,
                districts: districts.specs,
                partners,
                units: units.specs,
                depot,
                events,
            },
        )),
        _ => Err(issues),
    }
}

/// `[scenario]`: a name that can name an output folder, and a run length.
fn check_scenario_table(raw: &ScenarioFile, issues: &mut Issues) {
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
}

/// A district's or partner's name (`what`), as it will appear in CSV rows, chart legends and the
/// run page: not empty, no control characters (a line break would split a CSV row), at most
/// [`MAX_NAME_CHARS`] characters. Pushes the problem and returns false if there is one.
pub(super) fn label_ok(issues: &mut Issues, path: FieldPath, what: &str, name: &str) -> bool {
    let problem = if name.is_empty() {
        format!("empty {what} name; give it a name")
    } else if name.chars().any(char::is_control) {
        format!(
            "the {what} name {name:?} holds a control character (a line break or tab); use \
             letters, digits, spaces and punctuation only"
        )
    } else if name.chars().count() > MAX_NAME_CHARS {
        format!(
            "a {what} name of {} characters is too long for legends and tables; use at most \
             {MAX_NAME_CHARS}",
            name.chars().count()
        )
    } else {
        return true;
    };
    issues.push((path, problem));
    false
}

/// At least one district, and no more districts or partners than allowed.
fn check_table_counts(raw: &ScenarioFile, issues: &mut Issues) {
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
    // Every event is a marker on every chart and a line of the run page: beyond a thousand the
    // report takes minutes (20,000 did not finish in one) and no chart can show them apart.
    if raw.events.len() > MAX_EVENTS {
        issues.push((
            root().key("events").index(MAX_EVENTS),
            format!(
                "{} events; at most {MAX_EVENTS} are allowed (one event may name several \
                 partners, or every district by leaving `district` out)",
                raw.events.len()
            ),
        ));
    }
}

/// Units over every `[[units]]` entry (each count clamped to the limit).
fn units_total(raw: &ScenarioFile) -> u64 {
    raw.units
        .iter()
        .map(|u| u.count.clamp(0, MAX_UNITS) as u64)
        .sum()
}

/// What one run will hold in memory, checked against the budget as the scenario is read: the
/// map's part before the map is built, the citizens once the districts' cells are known.
struct Budget {
    footprint: Footprint,
    limit: u64,
    /// Citizens given as `population` (densities need the map).
    explicit_citizens: u64,
}

impl Budget {
    fn new(raw: &ScenarioFile, limit: u64) -> Budget {
        let explicit_citizens: u64 = raw
            .districts
            .iter()
            .map(|d| d.population.unwrap_or(0).clamp(0, MAX_CELLS as i64) as u64)
            .sum();
        Budget {
            footprint: Footprint {
                citizens: explicit_citizens,
                units: units_total(raw),
                partners: raw.partners.len() as u64,
                districts: raw.districts.len() as u64,
                ticks: raw.scenario.ticks.min(MAX_TICKS) as u64,
                sector: raw.intel.sector.max(1) as u64,
                ..Footprint::default()
            },
            limit,
            explicit_citizens,
        }
    }

    /// Record a problem if the footprint is over the budget; whether it is.
    fn over(&self, issues: &mut Issues) -> bool {
        match self.footprint.check(self.limit) {
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
    }

    /// The check [`validate_map`] makes before it builds a `width` × `height` map.
    fn check_with_map(&mut self, issues: &mut Issues, width: u64, height: u64) -> bool {
        self.footprint.width = width;
        self.footprint.height = height;
        // Populations beyond the map are refused once it is built, with their own message.
        self.footprint.citizens = self.explicit_citizens.min(width * height);
        self.over(issues)
    }

    /// Once the map is built: the citizens at the start, or every cell when Model II births may
    /// fill the map.
    fn check_citizens(
        &mut self,
        raw: &ScenarioFile,
        map: Option<&MapSpec>,
        districts: &Districts,
        issues: &mut Issues,
    ) {
        if let Some(m) = map {
            self.footprint.citizens = if raw.violence.enabled {
                // Model II births may fill every free cell.
                m.district_of_cell.len() as u64
            } else {
                districts.specs.iter().map(|d| d.population as u64).sum()
            };
            self.over(issues);
        }
    }
}

/// `[[districts]]`: unique names, ranges, and population or density (one of them).
fn check_districts(raw: &ScenarioFile, names: &Names, issues: &mut Issues) {
    let dpath = root().key("districts");
    for (i, d) in raw.districts.iter().enumerate() {
        let p = dpath.index(i);
        if label_ok(issues, p.key("name"), "district", &d.name)
            && names.districts[d.name.as_str()] != i
        {
            issues.push((
                p.key("name"),
                format!(
                    "district \"{}\" is defined twice; names must be unique",
                    d.name
                ),
            ));
        }
        in_range(issues, p.key("hardship"), d.hardship, 0.0, 1.0);
        in_range(issues, p.key("initial_trust"), d.initial_trust, 0.0, 1.0);
        in_range(issues, p.key("access"), d.access, 0.0, 1.0);
        in_range(issues, p.key("spoilers"), d.spoilers, 0.0, 1.0);
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
            (None, Some(x)) => in_range(issues, p.key("density"), x, 0.0, 1.0),
            _ => {}
        }
    }
}

/// The validated districts, and whether a population overflowed its district's cells (the
/// placement checks then stay silent).
struct Districts {
    specs: Vec<DistrictSpec>,
    overflow: bool,
}

/// Each district's population (densities need the map's cell counts; one pass over the map),
/// checked to fit its cells.
fn district_specs(raw: &ScenarioFile, map: Option<&MapSpec>, issues: &mut Issues) -> Districts {
    let dpath = root().key("districts");
    let mut cells_of = vec![0u32; raw.districts.len()];
    if let Some(m) = map {
        for &c in &m.district_of_cell {
            if let Some(n) = cells_of.get_mut(c as usize) {
                *n += 1;
            }
        }
    }
    let mut districts = Districts {
        specs: Vec::with_capacity(raw.districts.len()),
        overflow: false,
    };
    for (i, d) in raw.districts.iter().enumerate() {
        let cells = cells_of[i];
        if map.is_some() && cells == 0 {
            // Its rows would report nobody, with a trust and stability of nobody's.
            issues.push((
                dpath.index(i),
                format!(
                    "district \"{}\" has no cells on the map; give it some (a legend letter in \
                     [map] rows, or a larger width × height: districts are tiled in order) or \
                     remove it",
                    d.name
                ),
            ));
        }
        let population = match (d.population, d.density) {
            (Some(n), None) if n >= 0 => n.min(u32::MAX as i64) as u32,
            (None, Some(x)) if (0.0..=1.0).contains(&x) => (x * cells as f64).round() as u32,
            _ => 0,
        };
        if map.is_some() && population > cells {
            districts.overflow = true;
            issues.push((
                dpath.index(i).key(if d.population.is_some() { "population" } else { "density" }),
                format!(
                    "{population} citizens do not fit in district \"{}\", which has {cells} cells \
                     (one citizen per cell); lower the population or give the district more of the map",
                    d.name
                ),
            ));
        }
        districts.specs.push(DistrictSpec {
            name: d.name.clone(),
            population,
            hardship: d.hardship,
            initial_trust: d.initial_trust,
            access: d.access,
            spoilers: d.spoilers,
            cells,
        });
    }
    districts
}

/// The validated units, with the patrol counts the placement checks need.
struct Units {
    specs: Vec<UnitSpec>,
    patrols_total: u64,
    /// Patrols assigned to each district.
    patrols_in: Vec<u64>,
}

/// `[[units]]`: the total within the limit, then each entry.
fn validate_units(raw: &ScenarioFile, names: &Names, issues: &mut Issues) -> Units {
    let upath = root().key("units");
    let mut units = Units {
        specs: Vec::new(),
        patrols_total: 0,
        patrols_in: vec![0; raw.districts.len()],
    };
    let units_total = units_total(raw);
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
        if let Some(spec) = validate_unit(u, &path, &names.partners, &names.districts, raw, issues)
        {
            if spec.kind == UnitKind::Patrol {
                units.patrols_total += spec.count as u64;
                if let Some(d) = spec.district {
                    units.patrols_in[d] += spec.count as u64;
                }
            }
            units.specs.push(spec);
        }
    }
    units
}

/// Patrols follow hotspots only where their partner has predictive analytics (docs/MODEL.md,
/// "Information"): `patrol_policy = "hotspot"` for a partner that never gets analytics, from
/// its `technology` or a technology event naming it (or everyone), would silently patrol
/// uniformly, so it is refused where it is set.
fn check_hotspots_have_analytics(
    partners: &[PartnerSpec],
    events: &[EventSpec],
    issues: &mut Issues,
) {
    let gets_analytics = |p: usize| {
        partners[p].technology.contains(&Technology::Analytics)
            || events.iter().any(|e| {
                e.kind == EventKind::Technology
                    && e.technology == Some(Technology::Analytics)
                    && e.partner.is_none_or(|q| q == p)
            })
    };
    let problem = |p: usize| {
        format!(
            "patrol_policy = \"hotspot\" needs the analytics technology, which partner \"{0}\" \
             never gets (its patrols would patrol uniformly); add technology = [\"analytics\"] to \
             partner \"{0}\", or a kind = \"technology\" event giving it analytics",
            partners[p].name
        )
    };
    for (i, p) in partners.iter().enumerate() {
        if p.patrol_policy == PatrolPolicy::Hotspot && !gets_analytics(i) {
            issues.push((
                root().key("partners").index(i).key("patrol_policy"),
                problem(i),
            ));
        }
    }
    for (k, e) in events.iter().enumerate() {
        if let (Some(PatrolPolicy::Hotspot), Some(p)) = (e.patrol_policy, e.partner)
            && p < partners.len()
            && !gets_analytics(p)
        {
            issues.push((
                root().key("events").index(k).key("patrol_policy"),
                problem(p),
            ));
        }
    }
}

/// On a torus, a vision reaching round the map onto itself would see cells twice (and count a
/// patrol or an active once per wrap): the vision must stay below half the width and height.
fn check_vision_fits(raw: &ScenarioFile, map: Option<&MapSpec>, issues: &mut Issues) {
    let Some(m) = map.filter(|m| m.torus) else {
        return;
    };
    let reach = raw.unrest.vision.floor();
    let side = m.width.min(m.height);
    if reach.is_finite() && 2.0 * reach >= side as f64 {
        let most = side.saturating_sub(1) / 2;
        let lower = if most >= 1 {
            format!("use vision {most} or less, or ")
        } else {
            // Vision is at least 1: only a bigger map (or hard borders) fits it.
            String::new()
        };
        issues.push((
            root().key("unrest").key("vision"),
            format!(
                "vision {} reaches round this {}×{} torus onto itself (cells would be seen twice); \
                 {lower}make the map at least {} cells wide and high, or set map.torus = false",
                raw.unrest.vision,
                m.width,
                m.height,
                2 * reach as u64 + 1
            ),
        ));
    }
}

/// Bernoulli placement draws, per cell, a citizen with the district's density, else a patrol
/// with probability patrols / cells: patrols cannot be tied to a district, and the two
/// probabilities must fit in 1 everywhere.
fn check_bernoulli_placement(
    raw: &ScenarioFile,
    map: Option<&MapSpec>,
    districts: &Districts,
    units: &Units,
    issues: &mut Issues,
) {
    if raw.unrest.placement != Placement::Bernoulli {
        return;
    }
    for (i, u) in units.specs.iter().enumerate() {
        if u.kind == UnitKind::Patrol && u.district.is_some() {
            issues.push((
                root().key("units").index(i).key("district"),
                "patrols placed with unrest.placement = \"bernoulli\" stand anywhere on the \
                 map; remove `district` or use placement = \"exact\""
                    .into(),
            ));
        }
    }
    if let (Some(m), false) = (map, districts.overflow) {
        let patrol_p = units.patrols_total as f64 / m.district_of_cell.len().max(1) as f64;
        for (d, spec) in districts.specs.iter().enumerate() {
            let citizen_p = spec.population as f64 / spec.cells.max(1) as f64;
            if citizen_p + patrol_p > 1.0 {
                issues.push((
                    root().key("districts").index(d),
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

/// Patrols and citizens each take a cell of their own (checked once districts fit).
fn check_cells(map: Option<&MapSpec>, districts: &Districts, units: &Units, issues: &mut Issues) {
    let (Some(m), false) = (map, districts.overflow) else {
        return;
    };
    let upath = root().key("units");
    let patrols_total = units.patrols_total;
    let citizens: u64 = districts.specs.iter().map(|d| d.population as u64).sum();
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
    for (d, spec) in districts.specs.iter().enumerate() {
        if spec.population as u64 + units.patrols_in[d] > spec.cells as u64
            && spec.population <= spec.cells
        {
            issues.push((
                upath.clone(),
                format!(
                    "district \"{}\" has {} cells, too few for its {} citizens and the {} patrols \
                     assigned to it",
                    spec.name, spec.cells, spec.population, units.patrols_in[d]
                ),
            ));
        }
    }
}

/// What validation built, besides the tables the `Scenario` takes over as they were read.
struct Parts {
    map: MapSpec,
    districts: Vec<DistrictSpec>,
    partners: Vec<PartnerSpec>,
    units: Vec<UnitSpec>,
    depot: usize,
    events: Vec<EventSpec>,
}

/// The checked `Scenario`, once no problem was found.
fn assemble(raw: ScenarioFile, parts: Parts) -> Scenario {
    let Parts {
        map,
        districts,
        partners,
        units,
        depot,
        events,
    } = parts;
    Scenario {
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
    }
}
