//! Spawning: the one function that builds a run's World — every entity and resource — from
//! a validated scenario, in phases (placement, grid, citizens, partners, units, resources).

use super::*;
use crate::rng;

/// Spawn the world of one run: every entity and resource, from the validated scenario.
///
/// `run` selects the ChaCha stream (see [`crate::rng`]); the seed is the scenario's.
///
/// The phases, in order (the spawn stream is drawn in this order, and entities — resources
/// included — are created in it): the citizens' cells (and, under Bernoulli placement, the
/// patrols'), the grid, citizens, partners, the patrols' cells, units, then the resources.
pub fn spawn(scenario: Arc<Scenario>, run: u64) -> World {
    let mut build = Builder {
        world: World::new(),
        rng: rng::stream(scenario.seed, run, Purpose::Spawn),
        roster: Roster::default(),
        citizens: Citizens::default(),
    };
    let s = &*scenario;
    let mut cells = place_citizens(s, &mut build.rng);
    build.citizens = Citizens::with_capacity(
        cells.citizens.iter().map(Vec::len).sum(),
        s.violence.enabled,
    );
    let mut grid = new_grid(s, &cells);
    build.citizens(s, &cells, &mut grid);
    build.partners(s);
    place_patrols(s, &mut build.rng, &mut cells);
    build.units(s, &cells, &grid);
    let districts = district_state(s, &cells);
    let Builder {
        mut world,
        roster,
        citizens,
        ..
    } = build;
    insert_resources(
        &mut world,
        scenario,
        run,
        Built {
            grid,
            roster,
            districts,
            citizens,
        },
    );
    world
}

/// The world while its entities are spawned: the world, the spawn stream, and who is who.
struct Builder {
    world: World,
    rng: ChaCha8Rng,
    roster: Roster,
    citizens: Citizens,
}

/// Where agents start.
struct Placement {
    /// Each district's cells not (yet) taken: row-major order under Bernoulli placement (and
    /// unused after it), otherwise shuffled, taken from the end.
    empty: Vec<Vec<u32>>,
    /// The cells citizens start on, per district.
    citizens: Vec<Vec<u32>>,
    /// The cells patrols start on, per `[[units]]` entry.
    patrols: Vec<Vec<u32>>,
}

/// What the spawn phases leave for the resources.
struct Built {
    grid: Grid,
    roster: Roster,
    districts: DistrictState,
    citizens: Citizens,
}

/// Cells of each district, in row-major order.
fn cells_by_district(s: &Scenario) -> Vec<Vec<u32>> {
    let mut by_d: Vec<Vec<u32>> = vec![Vec::new(); s.districts.len()];
    for (cell, &d) in s.map.district_of_cell.iter().enumerate() {
        by_d[d as usize].push(cell as u32);
    }
    by_d
}

/// The citizens' cells (per district) and, under Bernoulli placement, the patrols' (per units
/// entry); other placements draw citizens' cells without replacement.
fn place_citizens(s: &Scenario, rng: &mut ChaCha8Rng) -> Placement {
    let mut place = Placement {
        empty: cells_by_district(s),
        citizens: vec![Vec::new(); s.districts.len()],
        patrols: vec![Vec::new(); s.units.len()],
    };
    if s.unrest.placement == crate::scenario::raw::Placement::Bernoulli {
        // Mesa's model `__init__`: one draw u per cell, in row-major order; a citizen if
        // u < its district's density, else a patrol of the first units entry whose cumulative
        // density (patrols / cells) exceeds u, else empty. Validation keeps the sum ≤ 1.
        let cells = s.map.district_of_cell.len().max(1) as f64;
        for (cell, &d) in s.map.district_of_cell.iter().enumerate() {
            let spec = &s.districts[d as usize];
            let citizen_p = spec.population as f64 / spec.cells.max(1) as f64;
            let u: f64 = rng.random();
            if u < citizen_p {
                place.citizens[d as usize].push(cell as u32);
                continue;
            }
            let mut bound = citizen_p;
            for (i, unit) in s.units.iter().enumerate() {
                if unit.kind == UnitKind::Patrol {
                    bound += unit.count as f64 / cells;
                    if u < bound {
                        place.patrols[i].push(cell as u32);
                        break;
                    }
                }
            }
        }
    } else {
        for cells in &mut place.empty {
            shuffle(cells, rng);
        }
        // Cells are taken from the end of each district's shuffled list; what is left is empty.
        for (d, spec) in s.districts.iter().enumerate() {
            for _ in 0..spec.population {
                let cell = place.empty[d]
                    .pop()
                    .expect("validation checked the district fits");
                place.citizens[d].push(cell);
            }
            // Ids follow the cells' row-major order within a district, so citizens who stand
            // near each other have nearby ids: the per-citizen arrays are then read almost in
            // order by every pass that walks the map (the cells are still a uniform draw).
            // In parallel at scale (10⁶ cells take a serial sort ~10 ms); the cells are
            // distinct, so the order is the same however it was sorted.
            rayon::slice::ParallelSliceMut::par_sort_unstable(&mut place.citizens[d][..]);
        }
    }
    place
}

/// The grid, sized for the citizens placed.
fn new_grid(s: &Scenario, place: &Placement) -> Grid {
    let total_pop: usize = place.citizens.iter().map(Vec::len).sum();
    // Simultaneous activation counts actives in sight from a per-tick snapshot instead.
    Grid::new(
        &s.map,
        s.unrest.vision_shape,
        s.unrest.vision,
        total_pop,
        s.unrest.activation == crate::scenario::Activation::Simultaneous,
    )
}

/// Patrols take an empty cell each (Epstein's cops occupy a site): first those assigned to a
/// district, from that district's empty cells, then the rest from anywhere. Under Bernoulli
/// placement they were placed with the citizens.
fn place_patrols(s: &Scenario, rng: &mut ChaCha8Rng, place: &mut Placement) {
    if s.unrest.placement == crate::scenario::raw::Placement::Bernoulli {
        return;
    }
    for (i, u) in s.units.iter().enumerate() {
        if let (UnitKind::Patrol, Some(d)) = (u.kind, u.district) {
            for _ in 0..u.count {
                let c = place.empty[d]
                    .pop()
                    .expect("validation checked the district fits");
                place.patrols[i].push(c);
            }
        }
    }
    let mut spare: Vec<u32> = std::mem::take(&mut place.empty)
        .into_iter()
        .flatten()
        .collect();
    shuffle(&mut spare, rng);
    for (i, u) in s.units.iter().enumerate() {
        if let (UnitKind::Patrol, None) = (u.kind, u.district) {
            for _ in 0..u.count {
                let c = spare.pop().expect("validation checked the map fits");
                place.patrols[i].push(c);
            }
        }
    }
}

impl Builder {
    /// Citizens, district by district on their placed cells: hardship, trust and risk aversion
    /// drawn, and under Model II group and lifespan.
    fn citizens(&mut self, s: &Scenario, place: &Placement, grid: &mut Grid) {
        let rng = &mut self.rng;
        for (d, spec) in s.districts.iter().enumerate() {
            for &cell in &place.citizens[d] {
                let spread = s.citizens.hardship_spread;
                let h =
                    (spec.hardship + spread * (2.0 * rng.random::<f64>() - 1.0)).clamp(0.0, 1.0);
                let t = (spec.initial_trust
                    + s.citizens.trust_spread * (2.0 * rng.random::<f64>() - 1.0))
                    .clamp(0.0, 1.0);
                let r: f64 = rng.random();
                // Model II draws group and lifespan; other runs draw nothing more (same streams).
                let (group, age) = if s.violence.enabled {
                    let g = (rng.random::<f64>() < s.violence.group_b_share) as u8;
                    let max = rng.random_range(0..s.violence.max_age);
                    let age = if max == 0 {
                        0
                    } else {
                        rng.random_range(0..max)
                    };
                    (g, Age { age, max })
                } else {
                    (
                        0,
                        Age {
                            age: 0,
                            max: u32::MAX,
                        },
                    )
                };
                let id = self.citizens.push(Newcomer {
                    cell,
                    home: d as u16,
                    hardship: h as f32,
                    risk: r as f32,
                    trust: t as f32,
                    group,
                    age,
                });
                grid.insert_citizen(id, cell, false);
            }
        }
    }

    /// Partners, in scenario order (frameworks numbered in sorted order of their names).
    fn partners(&mut self, s: &Scenario) {
        let mut frameworks: Vec<&str> = s.partners.iter().map(|p| p.framework.as_str()).collect();
        frameworks.sort_unstable();
        frameworks.dedup();
        for (i, p) in s.partners.iter().enumerate() {
            let e = self
                .world
                .spawn((
                    AgentId(i as u32),
                    Partner {
                        name: p.name.clone(),
                        kind: p.kind,
                        posture: p.posture,
                        cost_per_unit_day: p.cost_per_unit_day,
                        resupply: p.resupply,
                        sharing: p.sharing,
                        sharing_threshold: p.sharing_threshold,
                        patrol_policy: p.patrol_policy,
                        aid_policy: p.aid_policy,
                        neutrality: p.neutrality,
                        framework: frameworks
                            .binary_search(&p.framework.as_str())
                            .unwrap_or_default() as u16,
                        technology: p.technology.clone(),
                        credibility: p.credibility,
                        misconduct_rate: p.misconduct_rate,
                        is_force: p.is_force,
                        pooled: p.pooled,
                        caveat_districts: p.caveat_districts.iter().map(|&d| d as u16).collect(),
                        refuses_detain: p.refuses_detain,
                        refuses_escort: p.refuses_escort,
                    },
                    Politics {
                        engaged: p.engaged,
                        commitment: p.commitment,
                        withdraw_below: p.withdraw_below,
                        budget: p.budget,
                        spent: 0.0,
                        spent_seen: 0.0,
                        casualties: 0,
                        new_casualties: 0,
                    },
                    Supply {
                        stock: p.supply,
                        capacity: p.supply_capacity,
                    },
                ))
                .id();
            self.roster.partners.push(e);
        }
    }

    /// Units, entry by entry: patrols on their placed cells; aid teams and convoys, which do not
    /// occupy cells and may share them, on a random cell of their district (or of the map).
    fn units(&mut self, s: &Scenario, place: &Placement, grid: &Grid) {
        let all_cells = cells_by_district(s);
        let mut unit_id = 0u32;
        for (i, u) in s.units.iter().enumerate() {
            // Patrols: one per cell placed above (their count varies by run under Bernoulli
            // placement); other units: the entry's count.
            let count = match u.kind {
                UnitKind::Patrol => place.patrols[i].len(),
                _ => u.count as usize,
            };
            for k in 0..count {
                let cell = match (u.kind, u.district) {
                    (UnitKind::Patrol, _) => place.patrols[i].get(k).copied().unwrap_or_default(),
                    (_, Some(d)) => all_cells[d][self.rng.random_range(0..all_cells[d].len())],
                    (_, None) => self.rng.random_range(0..grid.cells() as u32),
                };
                let mut entity = self.world.spawn((
                    AgentId(unit_id),
                    Unit {
                        partner: u.partner as u32,
                        kind: u.kind,
                        district: u.district.map(|d| d as u16),
                        withdrawn: false,
                    },
                    Cell(cell),
                    Operating(false),
                ));
                if let Some(c) = &u.convoy {
                    entity.insert(Convoy {
                        client: c.client as u32,
                        cargo: c.cargo,
                        trip_ticks: c.trip_ticks,
                        reliability: c.reliability,
                        // Stagger departures so convoys of one entry do not all arrive together.
                        elapsed: unit_id % c.trip_ticks,
                    });
                }
                self.roster.units.push(entity.id());
                unit_id += 1;
            }
        }
    }
}

/// The districts' starting picture: residents as placed, trust and grievance from the
/// scenario, no troops or coverage yet.
fn district_state(s: &Scenario, place: &Placement) -> DistrictState {
    let n_d = s.districts.len();
    let mut districts = DistrictState {
        residents: vec![0; n_d],
        troops: vec![0.0; n_d],
        coverage: vec![0.0; n_d],
        security: vec![0.0; n_d],
        mean_trust: s.districts.iter().map(|d| d.initial_trust).collect(),
        active: vec![0; n_d],
        grievance: s
            .districts
            .iter()
            .map(|d| d.hardship * (1.0 - d.initial_trust))
            .collect(),
        spoilers: s.districts.iter().map(|d| d.spoilers).collect(),
        cells: cells_by_district(s),
    };
    for (d, cells) in place.citizens.iter().enumerate() {
        districts.residents[d] = cells.len() as u32;
    }
    districts
}

/// Trust between partners at the start: `coordination.initial_trust` on the same side (both
/// forces or both civilian), `civil_military_trust` across.
fn partner_trust(s: &Scenario) -> PartnerTrust {
    let n_p = s.partners.len();
    let mut trust = PartnerTrust {
        n: n_p,
        tau: vec![1.0; n_p * n_p],
    };
    for i in 0..n_p {
        for j in (i + 1)..n_p {
            let same_side = s.partners[i].is_force == s.partners[j].is_force;
            trust.set(
                i,
                j,
                if same_side {
                    s.coordination.initial_trust
                } else {
                    s.coordination.civil_military_trust
                },
            );
        }
    }
    trust
}

/// Every resource, in a fixed order: resources are entities too, so the order is part of the
/// world (a reordering would shift entity ids).
fn insert_resources(world: &mut World, scenario: Arc<Scenario>, run: u64, built: Built) {
    let Built {
        grid,
        roster,
        districts,
        citizens,
    } = built;
    let s = &*scenario;
    world.insert_resource(partner_trust(s));
    world.insert_resource(Mission::default());
    world.insert_resource(HostConsent(s.consent.initial));
    world.insert_resource(Volatility {
        spells: Vec::new(),
        drop: vec![0.0; s.districts.len()],
    });
    world.insert_resource(Exposure::new(grid.cells(), s.districts.len()));
    let initial: Vec<f64> = s.districts.iter().map(|d| d.initial_trust).collect();
    world.insert_resource(Standing::new(s.partners.len(), &initial));
    let mut intel = Intel::new(s, &grid);
    intel.detect_key = rng::stream(s.seed, run, Purpose::Intel).random::<u64>() ^ 0x4445_5445_4354;
    world.insert_resource(intel);
    world.insert_resource(Routes::new(s, &grid));
    world.insert_resource(grid);
    world.insert_resource(roster);
    world.insert_resource(districts);
    world.insert_resource(Clock::default());
    world.insert_resource(Tally::default());
    world.insert_resource(Totals::default());
    insert_mechanism_streams(world, s.seed, run);
    // Inserted last: resources are entities too, and nothing before may shift.
    world.insert_resource(Coordination(s.coordination.mechanism));
    let seed = s.seed;
    world.insert_resource(Config(scenario));
    world.insert_resource(DisplacementRng::new(rng::stream(
        seed,
        run,
        Purpose::Displacement,
    )));
    world.insert_resource(citizens);
}

/// The mechanisms' random streams, one per purpose (displacement's is inserted last, see
/// [`insert_resources`]).
fn insert_mechanism_streams(world: &mut World, seed: u64, run: u64) {
    world.insert_resource(UnrestRng::new(rng::stream(seed, run, Purpose::Unrest)));
    world.insert_resource::<MovesKey>(CounterKey(rng::counter_key(seed, run, Purpose::Moves)));
    world.insert_resource(AidRng::new(rng::stream(seed, run, Purpose::Aid)));
    world.insert_resource(LogisticsRng::new(rng::stream(
        seed,
        run,
        Purpose::Logistics,
    )));
    world.insert_resource(IntelRng::new(rng::stream(seed, run, Purpose::Intel)));
    world.insert_resource(PoliticsRng::new(rng::stream(seed, run, Purpose::Politics)));
    world.insert_resource(EventsRng::new(rng::stream(seed, run, Purpose::Events)));
    world.insert_resource(SpoilersRng::new(rng::stream(seed, run, Purpose::Spoilers)));
    world.insert_resource(DemographyRng::new(rng::stream(
        seed,
        run,
        Purpose::Demography,
    )));
}
