//! Logistics: supply flows in, units that the supply covers operate, convoys run, and the
//! mission-wide picture (credibility, escorts, telecom) is derived. First mechanism of the tick,
//! so every later system sees this tick's operating units.
//!
//! Each partner holds supply in unit-days. Per tick (docs/MODEL.md, "Logistics"):
//! 1. organic resupply: `stock ← min(capacity, stock + resupply)`;
//! 2. pooled partners (`logistics.pooled`) draw on one shared stock and pay
//!    `(1 − pooling_saving)` of their cost per unit-day;
//! 3. units of engaged partners operate in id order while their stock ≥ 1, each using one
//!    unit-day: the supply level caps how many units a partner fields;
//! 4. each operating convoy runs its client's route, depot → base → depot, a straight line over
//!    the map ([`Routes`]); a trip takes `trip_ticks + ⌈2·length / convoy_speed⌉` ticks, plus
//!    `friction_delay` between partners of different regulatory frameworks (unless both pooled),
//!    and its cargo is lost with probability
//!    `1 − reliability + friction_loss·[friction] + ambush · max_route_d S_d·(1 − σ_d)`;
//! 5. each operating contractor unit commits misconduct with probability `misconduct_rate`,
//!    an incident that cuts trust within the harm radius.

use crate::scenario::Scenario;
use crate::scenario::UnitKind;
use crate::world::reuse;
use crate::world::{
    Cell, Config, Convoy, DistrictState, Exposure, Grid, LogisticsRng, Mission, Operating, Partner,
    Politics, Roster, Routes, Supply, Tally, Totals, Unit,
};

use bevy_ecs::prelude::*;
use rand::RngExt;

/// Buffers reused from tick to tick.
#[derive(Default)]
pub struct LogisticsScratch {
    stock: Vec<f64>,
    capacity: Vec<f64>,
    unit_cost: Vec<f64>,
    engaged: Vec<bool>,
    info: Vec<(bool, u16, f64, bool, f64)>,
    pooled: Vec<bool>,
    spent: Vec<f64>,
    force_partners: Vec<bool>,
}

/// Ticks of one round trip on a route of `cells` cells, before friction.
fn trip_length(s: &Scenario, convoy: &Convoy, cells: usize) -> u32 {
    let travel = (2.0 * cells.saturating_sub(1) as f64 / s.logistics.convoy_speed).ceil() as u32;
    convoy.trip_ticks + travel
}

#[expect(
    clippy::too_many_arguments,
    reason = "a system or kernel step takes its resources, queries and buffers as parameters"
)]
pub fn logistics(
    config: Res<Config>,
    roster: Res<Roster>,
    grid: Res<Grid>,
    mut exposure: ResMut<Exposure>,
    mut rng: ResMut<LogisticsRng>,
    mut tally: ResMut<Tally>,
    mut totals: ResMut<Totals>,
    mut mission: ResMut<Mission>,
    (routes, districts): (Res<Routes>, Res<DistrictState>),
    mut scratch: Local<LogisticsScratch>,
    mut partners: Query<(&Partner, &mut Supply, &mut Politics)>,
    mut units: Query<(&Unit, &mut Operating, &mut Cell, Option<&mut Convoy>)>,
) {
    let s = &config.0;
    let n = roster.partners.len();
    let mut stock = reuse(&mut scratch.stock);
    let mut capacity = reuse(&mut scratch.capacity);
    let mut unit_cost = reuse(&mut scratch.unit_cost);
    let mut engaged = reuse(&mut scratch.engaged);
    let mut info = reuse(&mut scratch.info);
    for &e in &roster.partners {
        let (partner, supply, pol) = partners.get(e).expect("roster lists partners");
        stock.push((supply.stock + partner.resupply).min(supply.capacity));
        capacity.push(supply.capacity);
        let saving = if partner.pooled {
            s.logistics.pooling_saving
        } else {
            0.0
        };
        unit_cost.push(partner.cost_per_unit_day * (1.0 - saving));
        engaged.push(pol.engaged);
        info.push((
            partner.pooled,
            partner.framework,
            partner.credibility,
            partner.is_force && !partner.refuses_escort,
            partner.misconduct_rate,
        ));
    }
    // The pool is held at index `n` of `stock` while units draw on it.
    let mut pooled = reuse(&mut scratch.pooled);
    pooled.extend(info.iter().map(|i| i.0));
    let pool_cap: f64 = (0..n).filter(|&p| pooled[p]).map(|p| capacity[p]).sum();
    stock.push((0..n).filter(|&p| pooled[p]).map(|p| stock[p]).sum());
    let account = |p: usize| if pooled[p] { n } else { p };

    let mut spent = reuse(&mut scratch.spent);
    spent.resize(n, 0.0);
    let (mut cred_sum, mut patrols) = (0.0, 0u32);
    let mut force_partners = reuse(&mut scratch.force_partners);
    force_partners.resize(n, false);
    let mut escorts = false;
    let mut telecom = 0;
    for &e in &roster.units {
        let (unit, mut operating, ..) = units.get_mut(e).expect("roster lists units");
        let p = unit.partner as usize;
        let a = account(p);
        let runs = engaged[p] && stock[a] >= 1.0;
        if runs {
            stock[a] -= 1.0;
            spent[p] += unit_cost[p];
            match unit.kind {
                UnitKind::Patrol => {
                    cred_sum += info[p].2;
                    patrols += 1;
                    force_partners[p] = true;
                    escorts |= info[p].3;
                }
                UnitKind::Telecom => telecom += 1,
                _ => {}
            }
        }
        if operating.0 != runs {
            operating.0 = runs;
        }
    }
    // Multinational credibility: each additional force partner on the ground adds a share.
    let forces = force_partners.iter().filter(|&&f| f).count();
    let multinational = 1.0 + s.trust.multinational_bonus * forces.saturating_sub(1) as f64;
    mission.credibility = if patrols == 0 {
        1.0
    } else {
        cred_sum / patrols as f64 * multinational
    };
    mission.escorts = escorts;
    mission.telecom_units = telecom;

    for &e in &roster.units {
        let (unit, operating, mut cell, convoy) = units.get_mut(e).expect("roster lists units");
        let p = unit.partner as usize;
        if !operating.0 || !matches!(unit.kind, UnitKind::Convoy | UnitKind::Telecom) {
            continue;
        }
        // Telecom teams move about the map (to a random cell within 5); convoys follow their
        // route, out and back.
        match convoy.as_deref() {
            Some(cv) => {
                let route = &routes.0[cv.client as usize].cells;
                let trip = trip_length(s, cv, route.len()) as usize;
                let leg = route.len().saturating_sub(1);
                let step = (2 * leg * cv.elapsed as usize) / trip.max(1);
                cell.0 = route[if step <= leg {
                    step
                } else {
                    (2 * leg).saturating_sub(step)
                }];
            }
            None => {
                let (dx, dy) = (rng.0.random_range(-5..=5), rng.0.random_range(-5..=5));
                if let Some(c) = grid.offset(cell.0, dx, dy) {
                    cell.0 = c;
                }
            }
        }
        if info[p].4 > 0.0 && rng.0.random_bool(info[p].4) {
            exposure.harm_at(&grid, cell.0, s.security.harm_radius);
            tally.misconduct += 1;
        }
        let Some(mut convoy) = convoy else { continue };
        let c = convoy.client as usize;
        let friction = info[p].1 != info[c].1 && !(pooled[p] && pooled[c]);
        let route = &routes.0[c];
        let trip = trip_length(s, &convoy, route.cells.len())
            + if friction {
                s.logistics.friction_delay
            } else {
                0
            };
        convoy.elapsed += 1;
        if convoy.elapsed >= trip {
            convoy.elapsed = 0;
            let insecurity = route
                .districts
                .iter()
                .map(|&d| districts.spoilers[d as usize] * (1.0 - districts.security[d as usize]))
                .fold(0.0, f64::max);
            let loss = 1.0 - convoy.reliability
                + if friction {
                    s.logistics.friction_loss
                } else {
                    0.0
                }
                + s.logistics.ambush * insecurity;
            if rng.0.random_bool((1.0 - loss).clamp(0.0, 1.0)) {
                let a = account(c);
                let cap = if a == n { pool_cap } else { capacity[c] };
                stock[a] = (stock[a] + convoy.cargo).min(cap);
                tally.convoys_arrived += 1;
            } else {
                tally.convoys_lost += 1;
            }
        }
    }

    // Hand the pool back to its members in proportion to their capacity.
    let pool = stock[n];
    let mut cost = 0.0;
    for (p, &e) in roster.partners.iter().enumerate() {
        let (_, mut supply, mut pol) = partners.get_mut(e).expect("roster lists partners");
        supply.stock = if pooled[p] {
            pool * capacity[p] / pool_cap
        } else {
            stock[p]
        };
        pol.spent += spent[p];
        cost += spent[p];
    }
    tally.cost += cost;
    totals.cost += cost;
    *scratch = LogisticsScratch {
        stock,
        capacity,
        unit_cost,
        engaged,
        info,
        pooled,
        spent,
        force_partners,
    };
}
