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
use crate::scenario::{Technology, UnitKind};
use crate::world::reuse;
use crate::world::{
    Cell, Clock, Config, Convoy, DistrictState, Exposure, Grid, Intel, LogisticsRng, Mission,
    Operating, Partner, Perpetrator, Politics, Roster, Routes, Supply, Tally, Totals, Unit,
};

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
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
    patrols_of: Vec<u32>,
    associated: Vec<bool>,
}

/// Multinational credibility with diminishing returns: `1 + b·(1 − 1/N_eff)`, where
/// `N_eff = 1 / Σ s_f²` is the effective number of contributing forces, s_f the share of the
/// operating patrols that force f fields (a Herfindahl inverse: ten equal contingents count as
/// ten, one contingent with 90 % of the patrols and nine token ones as about 1.2). It saturates
/// at `1 + b`.
pub fn multinational_factor(patrols_of: &[u32], b: f64) -> f64 {
    let total: u32 = patrols_of.iter().sum();
    if total == 0 {
        return 1.0;
    }
    let hhi: f64 = patrols_of
        .iter()
        .map(|&k| (k as f64 / total as f64).powi(2))
        .sum();
    1.0 + b * (1.0 - hhi)
}

/// Credibility lent by reputable civilian partners associated with the mission (NGOs and local
/// organisations with `neutrality = "coordinated"`): `1 + a·min(1, Σ max(0, credibility − 1))`.
pub fn association_factor(credibilities: impl Iterator<Item = f64>, a: f64) -> f64 {
    let lift: f64 = credibilities.map(|c| (c - 1.0).max(0.0)).sum();
    1.0 + a * lift.min(1.0)
}

/// What one technology costs its owner per tick.
pub fn technology_cost(m: &crate::scenario::MechanismsFile, t: Technology) -> f64 {
    match t {
        Technology::Drones => m.drones_cost,
        Technology::Analytics => m.analytics_cost,
        Technology::Telecom => m.telecom_cost,
        Technology::RealTimeData => m.real_time_data_cost,
    }
}

/// Ticks of one round trip on a route of `cells` cells, before friction.
fn trip_length(s: &Scenario, convoy: &Convoy, cells: usize) -> u32 {
    let travel = (2.0 * cells.saturating_sub(1) as f64 / s.logistics.convoy_speed).ceil() as u32;
    convoy.trip_ticks + travel
}

/// What logistics reads: the scenario, who is who, the map, the convoys' routes and the
/// districts' spoilers and security (for ambushes).
#[derive(SystemParam)]
pub struct LogisticsSetting<'w> {
    config: Res<'w, Config>,
    roster: Res<'w, Roster>,
    grid: Res<'w, Grid>,
    routes: Res<'w, Routes>,
    districts: Res<'w, DistrictState>,
    intel: Res<'w, Intel>,
    clock: Res<'w, Clock>,
}

/// What logistics leaves behind besides supply and operating units: contractors' misconduct
/// harm, counters, and the running cost.
#[derive(SystemParam)]
pub struct LogisticsTraces<'w> {
    exposure: ResMut<'w, Exposure>,
    tally: ResMut<'w, Tally>,
    totals: ResMut<'w, Totals>,
}

pub fn logistics(
    setting: LogisticsSetting,
    traces: LogisticsTraces,
    mut mission: ResMut<Mission>,
    mut rng: ResMut<LogisticsRng>,
    mut scratch: Local<LogisticsScratch>,
    mut partners: Query<(&Partner, &mut Supply, &mut Politics)>,
    mut units: Query<(&Unit, &mut Operating, &mut Cell, Option<&mut Convoy>)>,
) {
    let LogisticsSetting {
        config,
        roster,
        grid,
        routes,
        districts,
        intel,
        clock,
    } = setting;
    let LogisticsTraces {
        mut exposure,
        mut tally,
        mut totals,
    } = traces;
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
    // Technologies cost their owner every tick it is engaged (`[mechanisms]` *_cost).
    for (p, &e) in roster.partners.iter().enumerate() {
        if engaged[p] {
            let (partner, ..) = partners.get(e).expect("roster lists partners");
            spent[p] += partner
                .technology
                .iter()
                .map(|&t| technology_cost(&s.mechanisms, t))
                .sum::<f64>();
        }
    }
    let (mut cred_sum, mut patrols) = (0.0, 0u32);
    let mut patrols_of = reuse(&mut scratch.patrols_of);
    patrols_of.resize(n, 0);
    let mut associated = reuse(&mut scratch.associated);
    associated.extend(roster.partners.iter().map(|&e| {
        let (partner, ..) = partners.get(e).expect("roster lists partners");
        partner.civilian() && partner.associated()
    }));
    let mut escort_forces = std::mem::take(&mut mission.escort_forces);
    escort_forces.clear();
    let mut telecom = 0;
    for &e in &roster.units {
        let (unit, mut operating, ..) = units.get_mut(e).expect("roster lists units");
        let p = unit.partner as usize;
        let a = account(p);
        let runs = engaged[p] && !unit.withdrawn && stock[a] >= 1.0;
        if runs {
            stock[a] -= 1.0;
            spent[p] += unit_cost[p];
            match unit.kind {
                UnitKind::Patrol => {
                    cred_sum += info[p].2;
                    patrols += 1;
                    patrols_of[p] += 1;
                    if info[p].3 {
                        escort_forces.push(p);
                    }
                }
                UnitKind::Telecom => telecom += 1,
                _ => {}
            }
        }
        if operating.0 != runs {
            operating.0 = runs;
        }
    }
    mission.credibility = if patrols == 0 {
        1.0
    } else {
        let associated = (0..n)
            .filter(|&p| engaged[p] && associated[p])
            .map(|p| info[p].2);
        cred_sum / patrols as f64
            * multinational_factor(&patrols_of, s.trust.multinational_bonus)
            * association_factor(associated, s.trust.association)
    };
    escort_forces.sort_unstable();
    escort_forces.dedup();
    mission.escort_forces = escort_forces;
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
                let roam = s.mechanisms.contractor_roam as i32;
                let (dx, dy) = (
                    rng.0.random_range(-roam..=roam),
                    rng.0.random_range(-roam..=roam),
                );
                if let Some(c) = grid.offset(cell.0, dx, dy) {
                    cell.0 = c;
                }
            }
        }
        if info[p].4 > 0.0 && rng.0.random_bool(info[p].4) {
            let radius = s.mechanisms.misconduct_radius;
            exposure.harm_at(&grid, cell.0, radius, Perpetrator::Mission);
            tally.misconduct += 1;
        }
        let Some(mut convoy) = convoy else { continue };
        let c = convoy.client as usize;
        let friction = info[p].1 != info[c].1 && !(pooled[p] && pooled[c]);
        let route = &routes.0[c];
        // A threat the operator or the client knows of (own or shared report, §3.9) is detoured.
        let known = |d: u16| {
            let entry = intel.spoiler_entry(d as usize) as usize;
            [p, c]
                .iter()
                .any(|&q| intel.knows(q, entry, clock.tick, s.intel.memory))
        };
        let detour = s.logistics.detour_cut > 0.0
            && route
                .districts
                .iter()
                .any(|&d| districts.spoilers[d as usize] > 0.0 && known(d));
        let trip = trip_length(s, &convoy, route.cells.len())
            + if friction {
                s.logistics.friction_delay
            } else {
                0
            }
            + if detour { s.logistics.detour_delay } else { 0 };
        convoy.elapsed += 1;
        if convoy.elapsed >= trip {
            convoy.elapsed = 0;
            let insecurity = route
                .districts
                .iter()
                .map(|&d| {
                    let i = d as usize;
                    let avoided = if detour && known(d) {
                        s.logistics.detour_cut
                    } else {
                        0.0
                    };
                    districts.spoilers[i] * (1.0 - districts.security[i]) * (1.0 - avoided)
                })
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
        patrols_of,
        associated,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multinational_credibility_saturates_and_weights_by_share() {
        let f = |p: &[u32]| multinational_factor(p, 0.3);
        assert_eq!(f(&[170]), 1.0);
        assert!((f(&[85, 85]) - 1.15).abs() < 1e-12);
        // Ten equal contingents: 1 + 0.3·0.9; never above 1 + b.
        assert!((f(&[17; 10]) - 1.27).abs() < 1e-12);
        assert!(f(&[1; 1000]) < 1.3);
        // One dominant contingent with nine token ones counts for little.
        let token = f(&[153, 2, 2, 2, 2, 2, 2, 2, 2, 1]);
        assert!(token < 1.06, "{token}");
    }

    #[test]
    fn association_lends_credibility_up_to_a_cap() {
        assert_eq!(association_factor([].into_iter(), 0.3), 1.0);
        assert!((association_factor([1.3, 1.2].into_iter(), 0.3) - 1.15).abs() < 1e-12);
        assert_eq!(association_factor([2.0, 2.0].into_iter(), 0.3), 1.3);
        assert_eq!(association_factor([0.6].into_iter(), 0.3), 1.0);
    }
}
