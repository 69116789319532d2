//! Spawning: the one function that builds a run's World — every entity and resource — from
//! a validated scenario.

use super::*;
use crate::rng;

/// Spawn the world of one run: every entity and resource, from the validated scenario.
///
/// `run` selects the ChaCha stream (see [`crate::rng`]); the seed is the scenario's.
pub fn spawn(scenario: Arc<Scenario>, run: u64) -> World {
    let mut world = World::new();
    let s = &*scenario;
    let mut rng = rng::stream(s.seed, run, Purpose::Spawn);
    let bernoulli = s.unrest.placement == crate::scenario::raw::Placement::Bernoulli;

    // Cells of each district, in row-major order, for placement without replacement.
    let mut district_cells: Vec<Vec<u32>> = vec![Vec::new(); s.districts.len()];
    for (cell, &d) in s.map.district_of_cell.iter().enumerate() {
        district_cells[d as usize].push(cell as u32);
    }
    // The cells citizens (per district) and patrols (per units entry) start on.
    let mut citizen_cells: Vec<Vec<u32>> = vec![Vec::new(); s.districts.len()];
    let mut patrol_cells: Vec<Vec<u32>> = vec![Vec::new(); s.units.len()];
    if bernoulli {
        // Mesa's model `__init__`: one draw u per cell, in row-major order; a citizen if
        // u < its district's density, else a patrol of the first units entry whose cumulative
        // density (patrols / cells) exceeds u, else empty. Validation keeps the sum ≤ 1.
        let cells = s.map.district_of_cell.len().max(1) as f64;
        for (cell, &d) in s.map.district_of_cell.iter().enumerate() {
            let spec = &s.districts[d as usize];
            let citizen_p = spec.population as f64 / spec.cells.max(1) as f64;
            let u: f64 = rng.random();
            if u < citizen_p {
                citizen_cells[d as usize].push(cell as u32);
                continue;
            }
            let mut bound = citizen_p;
            for (i, unit) in s.units.iter().enumerate() {
                if unit.kind == UnitKind::Patrol {
                    bound += unit.count as f64 / cells;
                    if u < bound {
                        patrol_cells[i].push(cell as u32);
                        break;
                    }
                }
            }
        }
    } else {
        for cells in &mut district_cells {
            shuffle(cells, &mut rng);
        }
        // Cells are taken from the end of each district's shuffled list; what is left is empty.
        for (d, spec) in s.districts.iter().enumerate() {
            for _ in 0..spec.population {
                let cell = district_cells[d]
                    .pop()
                    .expect("validation checked the district fits");
                citizen_cells[d].push(cell);
            }
        }
    }
    let total_pop: usize = citizen_cells.iter().map(Vec::len).sum();
    // Simultaneous activation counts actives in sight from a per-tick snapshot instead.
    let mut grid = Grid::new(
        &s.map,
        s.unrest.vision_shape,
        s.unrest.vision,
        total_pop,
        s.unrest.activation == crate::scenario::Activation::Simultaneous,
    );
    let mut roster = Roster::default();

    let mut next_citizen = 0u32;
    for (d, spec) in s.districts.iter().enumerate() {
        for &cell in &citizen_cells[d] {
            let spread = s.citizens.hardship_spread;
            let h = (spec.hardship + spread * (2.0 * rng.random::<f64>() - 1.0)).clamp(0.0, 1.0);
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
            let id = next_citizen;
            next_citizen += 1;
            let e = world
                .spawn((
                    Citizen,
                    AgentId(id),
                    Cell(cell),
                    Home(d as u16),
                    Hardship {
                        current: h as f32,
                        baseline: h as f32,
                    },
                    RiskAversion(r as f32),
                    Trust(t as f32),
                    Conduct::Quiescent,
                    LastAid::default(),
                    Group(group),
                    age,
                ))
                .id();
            grid.insert_citizen(id, cell, false);
            roster.citizens.push(e);
        }
    }

    let mut frameworks: Vec<&str> = s.partners.iter().map(|p| p.framework.as_str()).collect();
    frameworks.sort_unstable();
    frameworks.dedup();
    for (i, p) in s.partners.iter().enumerate() {
        let e = world
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
        roster.partners.push(e);
    }

    // Units. Patrols take an empty cell each (Epstein's cops occupy a site): first those
    // assigned to a district, from that district's empty cells, then the rest from anywhere.
    // Aid teams and convoys do not occupy cells and may share them.
    let all_cells: Vec<Vec<u32>> = {
        let mut by_d: Vec<Vec<u32>> = vec![Vec::new(); s.districts.len()];
        for (cell, &d) in s.map.district_of_cell.iter().enumerate() {
            by_d[d as usize].push(cell as u32);
        }
        by_d
    };
    if !bernoulli {
        for (i, u) in s.units.iter().enumerate() {
            if let (UnitKind::Patrol, Some(d)) = (u.kind, u.district) {
                for _ in 0..u.count {
                    let c = district_cells[d]
                        .pop()
                        .expect("validation checked the district fits");
                    patrol_cells[i].push(c);
                }
            }
        }
        let mut spare: Vec<u32> = district_cells.into_iter().flatten().collect();
        shuffle(&mut spare, &mut rng);
        for (i, u) in s.units.iter().enumerate() {
            if let (UnitKind::Patrol, None) = (u.kind, u.district) {
                for _ in 0..u.count {
                    let c = spare.pop().expect("validation checked the map fits");
                    patrol_cells[i].push(c);
                }
            }
        }
    }
    let mut unit_id = 0u32;
    for (i, u) in s.units.iter().enumerate() {
        // Patrols: one per cell placed above (their count varies by run under Bernoulli
        // placement); other units: the entry's count.
        let count = match u.kind {
            UnitKind::Patrol => patrol_cells[i].len(),
            _ => u.count as usize,
        };
        for k in 0..count {
            let cell = match (u.kind, u.district) {
                (UnitKind::Patrol, _) => patrol_cells[i].get(k).copied().unwrap_or_default(),
                (_, Some(d)) => all_cells[d][rng.random_range(0..all_cells[d].len())],
                (_, None) => rng.random_range(0..grid.cells() as u32),
            };
            let mut entity = world.spawn((
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
            roster.units.push(entity.id());
            unit_id += 1;
        }
    }

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
        cells: {
            let mut cells = vec![Vec::new(); n_d];
            for (c, &d) in s.map.district_of_cell.iter().enumerate() {
                cells[d as usize].push(c as u32);
            }
            cells
        },
    };
    for (d, cells) in citizen_cells.iter().enumerate() {
        districts.residents[d] = cells.len() as u32;
    }

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
    world.insert_resource(trust);
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
    world.insert_resource(UnrestRng::new(rng::stream(s.seed, run, Purpose::Unrest)));
    world.insert_resource::<MovesKey>(CounterKey(rng::counter_key(s.seed, run, Purpose::Moves)));
    world.insert_resource(AidRng::new(rng::stream(s.seed, run, Purpose::Aid)));
    world.insert_resource(LogisticsRng::new(rng::stream(
        s.seed,
        run,
        Purpose::Logistics,
    )));
    world.insert_resource(IntelRng::new(rng::stream(s.seed, run, Purpose::Intel)));
    world.insert_resource(PoliticsRng::new(rng::stream(
        s.seed,
        run,
        Purpose::Politics,
    )));
    world.insert_resource(EventsRng::new(rng::stream(s.seed, run, Purpose::Events)));
    world.insert_resource(SpoilersRng::new(rng::stream(
        s.seed,
        run,
        Purpose::Spoilers,
    )));
    world.insert_resource(DemographyRng::new(rng::stream(
        s.seed,
        run,
        Purpose::Demography,
    )));
    // Inserted last: resources are entities too, and nothing before may shift.
    world.insert_resource(Coordination(s.coordination.mechanism));
    let seed = s.seed;
    world.insert_resource(Config(scenario));
    world.insert_resource(DisplacementRng::new(rng::stream(
        seed,
        run,
        Purpose::Displacement,
    )));
    world
}
