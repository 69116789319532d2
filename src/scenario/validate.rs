//! The validation pass: a parsed [`ScenarioFile`] becomes a checked [`Scenario`] or a list of
//! every problem found (field path + message). Ranges and cross-references are checked here and
//! nowhere else; the rest of the crate trusts a `Scenario`.

use super::limits::{
    Footprint, MAX_CELLS, MAX_DISTRICTS, MAX_NAME_CHARS, MAX_PARTNERS, MAX_RADIUS, MAX_TICKS,
    MAX_UNITS,
};
use super::locate::FieldPath;
use super::raw::{
    AidFile, CitizensFile, CoordinationFile, IntelFile, JailAccounting, LogisticsFile, MapFile,
    Order, Placement, PoliticsFile, ScenarioFile, SecurityFile, TrustFile, UnitFile, UnrestFile,
};
use super::{
    Activation, EventKind, Neutrality, PartnerKind, PatrolPolicy, Posture, SharingPolicy,
    Technology, UnitKind,
};
use std::collections::{BTreeMap, BTreeSet};

/// A validated scenario: every range and reference has been checked.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub seed: u64,
    pub ticks: u32,
    pub map: MapSpec,
    pub districts: Vec<DistrictSpec>,
    pub citizens: CitizensFile,
    pub unrest: UnrestFile,
    pub security: SecurityFile,
    pub aid: AidFile,
    pub trust: TrustFile,
    pub partners: Vec<PartnerSpec>,
    pub units: Vec<UnitSpec>,
    pub coordination: CoordinationFile,
    pub intel: IntelFile,
    pub logistics: LogisticsFile,
    pub politics: PoliticsFile,
    pub violence: super::raw::ViolenceFile,
    pub stability: super::StabilityFile,
    pub spoilers: super::SpoilersFile,
    /// District of the supply depot.
    pub depot: usize,
    /// Timeline events, sorted by tick (stable: same-tick events keep file order).
    pub events: Vec<EventSpec>,
}

/// A checked timeline event: names resolved to indices.
#[derive(Debug, Clone)]
pub struct EventSpec {
    pub tick: u32,
    pub kind: EventKind,
    pub partner: Option<usize>,
    pub partners: Vec<usize>,
    pub district: Option<usize>,
    pub amount: f64,
    pub duration: u32,
    pub technology: Option<Technology>,
    pub sharing: Option<SharingPolicy>,
    pub posture: Option<Posture>,
    pub patrol_policy: Option<PatrolPolicy>,
    pub neutrality: Option<Neutrality>,
}

/// The grid: which district each cell belongs to, row-major.
#[derive(Debug, Clone)]
pub struct MapSpec {
    pub width: u32,
    pub height: u32,
    pub torus: bool,
    /// District index of each cell, `y * width + x`.
    pub district_of_cell: Vec<u16>,
}

#[derive(Debug, Clone)]
pub struct DistrictSpec {
    pub name: String,
    pub population: u32,
    pub hardship: f64,
    pub initial_trust: f64,
    pub access: f64,
    pub spoilers: f64,
    pub cells: u32,
}

#[derive(Debug, Clone)]
pub struct PartnerSpec {
    pub name: String,
    pub kind: PartnerKind,
    pub supply: f64,
    pub supply_capacity: f64,
    pub resupply: f64,
    pub cost_per_unit_day: f64,
    pub posture: Posture,
    /// Protection, stabilisation, humanitarian, commercial.
    pub mandate: [f64; 4],
    pub budget: Option<f64>,
    pub commitment: f64,
    pub withdraw_below: f64,
    pub caveat_districts: Vec<usize>,
    pub refuses_detain: bool,
    pub refuses_escort: bool,
    pub sharing: SharingPolicy,
    pub sharing_threshold: f64,
    pub patrol_policy: PatrolPolicy,
    pub neutrality: Neutrality,
    pub framework: String,
    pub technology: Vec<Technology>,
    pub credibility: f64,
    pub misconduct_rate: f64,
    pub engaged: bool,
    /// Fields patrols (the military side for civil–military trust).
    pub is_force: bool,
    /// Member of the logistics pool.
    pub pooled: bool,
    /// District its supplies are delivered to.
    pub base: usize,
}

#[derive(Debug, Clone)]
pub struct UnitSpec {
    pub partner: usize,
    pub kind: UnitKind,
    pub count: u32,
    pub district: Option<usize>,
    pub convoy: Option<ConvoySpec>,
}

#[derive(Debug, Clone)]
pub struct ConvoySpec {
    pub client: usize,
    pub cargo: f64,
    pub trip_ticks: u32,
    pub reliability: f64,
}

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

/// Push a problem when a whole number from the file lies outside `lo..=hi`.
fn whole_in(issues: &mut Issues, path: FieldPath, value: u32, lo: u32, hi: u32, unit: &str) {
    if !(lo..=hi).contains(&value) {
        issues.push((
            path,
            format!("{value} is out of range; use a whole number of {unit} from {lo} to {hi}"),
        ));
    }
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
        if p.neutrality == Neutrality::Coordinated && p.kind != PartnerKind::Ngo {
            issues.push((
                path.key("neutrality"),
                format!(
                    "neutrality is an NGO's stance; \"{}\" is a {}",
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
            depot,
            events,
        }),
        _ => Err(issues),
    }
}

fn validate_events(
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
        let mut partner_of = |name: &str, at: FieldPath| -> Option<usize> {
            let found = partner_index.get(name).copied();
            if found.is_none() {
                issues.push((
                    at,
                    format!(
                        "unknown partner \"{name}\"; known partners: {}",
                        known_list(partner_index)
                    ),
                ));
            }
            found
        };
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
            let found = district_index.get(name).copied();
            if found.is_none() {
                issues.push((
                    path.key("district"),
                    format!(
                        "unknown district \"{name}\"; known districts: {}",
                        known_list(district_index)
                    ),
                ));
            }
            found
        });
        let need = |issues: &mut Issues, ok: bool, field: &str, what: &str| {
            if !ok {
                issues.push((
                    path.clone(),
                    format!("a {:?} event needs {field}: {what}", e.kind),
                ));
            }
        };
        let amount = e.amount.unwrap_or(0.0);
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
                        || e.neutrality.is_some(),
                    "a change",
                    "sharing, posture, patrol_policy or neutrality",
                );
            }
            EventKind::JointTraining => {
                need(
                    issues,
                    e.partners.len() >= 2,
                    "partners",
                    "at least two partner names",
                );
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
            });
        }
    }
    events.sort_by_key(|e| e.tick);
    events
}

fn validate_unit(
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

/// Check the map and build its cells. `over_budget(issues, width, height)` is asked before
/// anything of the map's size is allocated; it records a problem and returns `true` to stop.
fn validate_map(
    m: &MapFile,
    district_index: &BTreeMap<&str, usize>,
    n_districts: usize,
    issues: &mut Issues,
    over_budget: &mut dyn FnMut(&mut Issues, u64, u64) -> bool,
) -> Option<MapSpec> {
    let path = root().key("map");
    let before = issues.len();
    if m.block == 0 {
        issues.push((path.key("block"), "block 0; use a whole number ≥ 1".into()));
        return None;
    }
    if n_districts > MAX_DISTRICTS {
        // Cells hold 16-bit district indices; the count was reported with the districts.
        return None;
    }
    let (width, height, cells) = if m.rows.is_empty() {
        if !m.legend.is_empty() {
            issues.push((
                path.key("legend"),
                "a legend needs `rows` to draw the map".into(),
            ));
        }
        let (Some(w), Some(h)) = (m.width, m.height) else {
            issues.push((
                path.clone(),
                "the map needs either `rows` (drawn with a legend) or `width` and `height` (districts tiled in order)"
                    .into(),
            ));
            return None;
        };
        if w == 0 || h == 0 || (w as u64) * (h as u64) > MAX_CELLS {
            issues.push((
                path.key("width"),
                format!(
                    "a {w}×{h} map; both sides must be ≥ 1 and the area at most {MAX_CELLS} cells"
                ),
            ));
            return None;
        }
        if n_districts == 0 || over_budget(issues, w as u64, h as u64) {
            return None;
        }
        (w, h, tile_districts(w, h, n_districts))
    } else {
        if m.width.is_some() || m.height.is_some() {
            issues.push((
                path.key("width"),
                "width/height come from `rows` × `block`; remove width and height".into(),
            ));
        }
        let mut legend: BTreeMap<char, usize> = BTreeMap::new();
        for (key, name) in &m.legend {
            let mut chars = key.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                issues.push((
                    path.key("legend").key(key),
                    format!("legend key \"{key}\" must be a single character"),
                ));
                continue;
            };
            match district_index.get(name.as_str()) {
                Some(&d) => {
                    legend.insert(c, d);
                }
                None => issues.push((
                    path.key("legend").key(key),
                    format!(
                        "unknown district \"{name}\"; known districts: {}",
                        known_list(district_index)
                    ),
                )),
            }
        }
        // First characters of every legend key: a row character that starts a (too long) key
        // is reported with that key, not again with the row.
        let key_starts: BTreeSet<char> = m.legend.keys().filter_map(|k| k.chars().next()).collect();
        let cols = m.rows[0].chars().count();
        for (r, row) in m.rows.iter().enumerate() {
            let chars = row.chars().count();
            if chars != cols {
                issues.push((
                    path.key("rows").index(r),
                    format!(
                        "row {r} has {chars} characters but row 0 has {cols}; every row must be as wide",
                    ),
                ));
            }
            for ch in row.chars() {
                if !legend.contains_key(&ch) && !key_starts.contains(&ch) {
                    issues.push((
                        path.key("rows").index(r),
                        format!(
                            "character '{ch}' is not in [map.legend]; add `\"{ch}\" = \"<district>\"`"
                        ),
                    ));
                    break;
                }
            }
        }
        // Checked products: `block` × columns × rows can exceed even 64 bits.
        let w = (cols as u64).checked_mul(m.block as u64);
        let h = (m.rows.len() as u64).checked_mul(m.block as u64);
        let area = w.zip(h).and_then(|(w, h)| w.checked_mul(h));
        let (w, h) = match (w, h, area) {
            (Some(w), Some(h), Some(area)) if w > 0 && area <= MAX_CELLS => (w, h),
            _ => {
                issues.push((
                    path.key("rows"),
                    format!(
                        "{} rows of {cols} characters with block = {} make a map of more than \
                         {MAX_CELLS} cells (or an empty one); draw fewer or shorter rows, or use a \
                         smaller block",
                        m.rows.len(),
                        m.block
                    ),
                ));
                return None;
            }
        };
        if issues.len() != before || over_budget(issues, w, h) {
            return None;
        }
        // Both sides are at most MAX_CELLS here, so every index below fits in u32.
        let (w, h) = (w as u32, h as u32);
        let mut cells = vec![0u16; w as usize * h as usize];
        for (r, row) in m.rows.iter().enumerate() {
            for (c, ch) in row.chars().enumerate() {
                let d = legend[&ch] as u16;
                for dy in 0..m.block {
                    for dx in 0..m.block {
                        let x = c as u32 * m.block + dx;
                        let y = r as u32 * m.block + dy;
                        cells[(y * w + x) as usize] = d;
                    }
                }
            }
        }
        (w, h, cells)
    };
    (issues.len() == before).then_some(MapSpec {
        width,
        height,
        torus: m.torus,
        district_of_cell: cells,
    })
}

/// Tile `n` districts over a `w`×`h` grid as near-equal rectangles, row by row.
/// (`w`·`h` ≤ [`MAX_CELLS`], 1 ≤ `n` ≤ [`MAX_DISTRICTS`]; products are taken in u64, as
/// `y · rows` can pass 2³² on a tall map.)
fn tile_districts(w: u32, h: u32, n: usize) -> Vec<u16> {
    let cols = (n as f64).sqrt().ceil() as u64;
    let rows = (n as u64).div_ceil(cols);
    let (w64, h64) = (w as u64, h as u64);
    let mut cells = vec![0u16; w as usize * h as usize];
    for y in 0..h64 {
        let r = (y * rows / h64).min(rows - 1);
        for x in 0..w64 {
            let c = (x * cols / w64).min(cols - 1);
            // Districts past the last one fold into the last (when n is not a full rectangle).
            let d = (r * cols + c).min(n as u64 - 1);
            cells[(y * w64 + x) as usize] = d as u16;
        }
    }
    cells
}

fn validate_params(raw: &ScenarioFile, issues: &mut Issues) {
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
    let it = root().key("intel");
    whole_in(issues, it.key("sector"), raw.intel.sector, 1, 1000, "cells");
    whole_in(
        issues,
        it.key("memory"),
        raw.intel.memory,
        1,
        MAX_TICKS,
        "ticks",
    );
    whole_in(
        issues,
        it.key("base_delay"),
        raw.intel.base_delay,
        0,
        1000,
        "ticks",
    );
    whole_in(
        issues,
        it.key("drone_range"),
        raw.intel.drone_range,
        0,
        MAX_RADIUS,
        "cells",
    );
    for (field, v) in [
        ("detect_patrol", raw.intel.detect_patrol),
        ("detect_drone", raw.intel.detect_drone),
        ("detect_civilian", raw.intel.detect_civilian),
    ] {
        in_range(issues, it.key(field), v, 0.0, 1.0);
    }
    if !(1..=10_000).contains(&raw.intel.patrols_per_hotspot) {
        issues.push((
            it.key("patrols_per_hotspot"),
            "use 1 to 10000 patrols per known hotspot".into(),
        ));
    }
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
    let po = root().key("politics");
    in_range(
        issues,
        po.key("casualty_sensitivity"),
        raw.politics.casualty_sensitivity,
        0.0,
        1.0,
    );
    in_range(
        issues,
        po.key("cost_sensitivity"),
        raw.politics.cost_sensitivity,
        0.0,
        10.0,
    );
    in_range(
        issues,
        po.key("casualty_rate"),
        raw.politics.casualty_rate,
        0.0,
        1.0,
    );

    raw.stability.check(issues, &root().key("stability"));
    let w = &raw.stability;
    if w.calm + w.liberty + w.consent + w.security + w.safety <= 0.0 {
        issues.push((
            root().key("stability"),
            "every weight is 0; give at least one component a positive weight".into(),
        ));
    }
    raw.spoilers.check(issues, &root().key("spoilers"));

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiling_uses_every_district() {
        for n in 1..10 {
            let cells = tile_districts(30, 20, n);
            for d in 0..n {
                assert!(cells.contains(&(d as u16)), "district {d} of {n} missing");
            }
        }
    }
}
