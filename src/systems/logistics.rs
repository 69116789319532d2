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
//!
//! The system reads as these phases, in order: `supply_in` (steps 1–2), `charge_technology`,
//! `operate_units` (step 3) and `mission_picture` (credibility, escorts, telecom),
//! `move_contractors_and_run_convoys` (steps 4–5), `hand_back_and_pay` (the pool back to its
//! members, the cost booked). They share this tick's ledger ([`LogisticsScratch`]).

use crate::scenario::Scenario;
use crate::scenario::{Technology, UnitKind};
use crate::world::{
    Cell, Clock, Config, Convoy, DistrictState, Exposure, Grid, Intel, LogisticsRng, Mission,
    Operating, Partner, Perpetrator, Politics, Roster, Routes, Supply, Tally, Totals, Unit,
};

use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use rand::RngExt;

/// How one partner stands this tick, as the phases after [`supply_in`] read it.
#[derive(Debug, Clone, Copy, Default)]
struct PartnerTerms {
    /// Draws on the shared pool (`logistics.pooled`).
    pooled: bool,
    /// Regulatory framework (convoys between different ones meet friction).
    framework: u16,
    credibility: f64,
    /// A force that accepts escort tasks.
    escorts: bool,
    misconduct_rate: f64,
    engaged: bool,
    capacity: f64,
    /// Cost per operating unit-day, after any pooling saving.
    unit_cost: f64,
    /// A civilian partner coordinated with the mission, or any non-civilian one.
    associated: bool,
}

/// This tick's supply ledger, indexed by partner; kept between ticks (as a `Local`) so its
/// buffers are reused.
#[derive(Default)]
pub struct LogisticsScratch {
    terms: Vec<PartnerTerms>,
    /// Unit-days held by each partner's account; the pool is held at index `n` (the number of
    /// partners) while units draw on it.
    stock: Vec<f64>,
    /// The pool's capacity: its members' together.
    pool_cap: f64,
    /// What each partner spent this tick.
    spent: Vec<f64>,
    /// Operating patrols each partner fields.
    patrols_of: Vec<u32>,
}

impl LogisticsScratch {
    /// The account partner `p` draws on: its own, or the pool (index `n`).
    fn account(&self, p: usize) -> usize {
        if self.terms[p].pooled {
            self.terms.len()
        } else {
            p
        }
    }
}

/// What the units fielded this tick, for the mission-wide picture.
#[derive(Debug, Clone, Copy, Default)]
struct Fielded {
    /// Operating patrols, and the sum of their partners' credibility.
    patrols: u32,
    credibility_sum: f64,
    /// Operating telecom teams.
    telecom: u32,
}

type PartnerQuery<'w, 's> =
    Query<'w, 's, (&'static Partner, &'static mut Supply, &'static mut Politics)>;
type UnitQuery<'w, 's> = Query<
    'w,
    's,
    (
        &'static Unit,
        &'static mut Operating,
        &'static mut Cell,
        Option<&'static mut Convoy>,
    ),
>;

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

/// The logistics system: the phases of the module docs, in order.
pub fn logistics(
    setting: LogisticsSetting,
    mut traces: LogisticsTraces,
    mut mission: ResMut<Mission>,
    mut rng: ResMut<LogisticsRng>,
    mut scratch: Local<LogisticsScratch>,
    mut partners: PartnerQuery,
    mut units: UnitQuery,
) {
    let ledger = &mut *scratch;
    supply_in(&setting, &partners, ledger);
    charge_technology(&setting, &partners, ledger);
    let fielded = operate_units(&setting, &mut units, ledger, &mut mission);
    mission_picture(&setting, ledger, fielded, &mut mission);
    move_contractors_and_run_convoys(&setting, &mut rng, &mut traces, &mut units, ledger);
    hand_back_and_pay(&setting, &mut partners, ledger, &mut traces);
}

/// Steps 1–2: organic resupply, each partner's terms for the tick, and the pool gathered.
fn supply_in(setting: &LogisticsSetting, partners: &PartnerQuery, ledger: &mut LogisticsScratch) {
    let s = &setting.config.0;
    ledger.terms.clear();
    ledger.stock.clear();
    for &e in &setting.roster.partners {
        let (partner, supply, pol) = partners.get(e).expect("roster lists partners");
        ledger
            .stock
            .push((supply.stock + partner.resupply).min(supply.capacity));
        let saving = if partner.pooled {
            s.logistics.pooling_saving
        } else {
            0.0
        };
        ledger.terms.push(PartnerTerms {
            pooled: partner.pooled,
            framework: partner.framework,
            credibility: partner.credibility,
            escorts: partner.is_force && !partner.refuses_escort,
            misconduct_rate: partner.misconduct_rate,
            engaged: pol.engaged,
            capacity: supply.capacity,
            unit_cost: partner.cost_per_unit_day * (1.0 - saving),
            associated: partner.civilian() && partner.associated(),
        });
    }
    let n = ledger.terms.len();
    let terms = &ledger.terms;
    ledger.pool_cap = (0..n)
        .filter(|&p| terms[p].pooled)
        .map(|p| terms[p].capacity)
        .sum();
    let pool: f64 = (0..n)
        .filter(|&p| terms[p].pooled)
        .map(|p| ledger.stock[p])
        .sum();
    ledger.stock.push(pool);
    ledger.spent.clear();
    ledger.spent.resize(n, 0.0);
    ledger.patrols_of.clear();
    ledger.patrols_of.resize(n, 0);
}

/// Technologies cost their owner every tick it is engaged (`[mechanisms]` *_cost).
fn charge_technology(
    setting: &LogisticsSetting,
    partners: &PartnerQuery,
    ledger: &mut LogisticsScratch,
) {
    let s = &setting.config.0;
    for (p, &e) in setting.roster.partners.iter().enumerate() {
        if ledger.terms[p].engaged {
            let (partner, ..) = partners.get(e).expect("roster lists partners");
            ledger.spent[p] += partner
                .technology
                .iter()
                .map(|&t| technology_cost(&s.mechanisms, t))
                .sum::<f64>();
        }
    }
}

/// Step 3: units of engaged partners operate in id order while their account holds a unit-day;
/// operating patrols of escorting forces are listed (unsorted) in `mission.escort_forces`.
fn operate_units(
    setting: &LogisticsSetting,
    units: &mut UnitQuery,
    ledger: &mut LogisticsScratch,
    mission: &mut Mission,
) -> Fielded {
    let mut fielded = Fielded::default();
    mission.escort_forces.clear();
    for &e in &setting.roster.units {
        let (unit, mut operating, ..) = units.get_mut(e).expect("roster lists units");
        let p = unit.partner as usize;
        let a = ledger.account(p);
        let terms = ledger.terms[p];
        let runs = terms.engaged && !unit.withdrawn && ledger.stock[a] >= 1.0;
        if runs {
            ledger.stock[a] -= 1.0;
            ledger.spent[p] += terms.unit_cost;
            match unit.kind {
                UnitKind::Patrol => {
                    fielded.credibility_sum += terms.credibility;
                    fielded.patrols += 1;
                    ledger.patrols_of[p] += 1;
                    if terms.escorts {
                        mission.escort_forces.push(p);
                    }
                }
                UnitKind::Telecom => fielded.telecom += 1,
                _ => {}
            }
        }
        if operating.0 != runs {
            operating.0 = runs;
        }
    }
    fielded
}

/// The mission-wide picture from what operates: credibility (mean of the patrols' partners ×
/// [`multinational_factor`] × [`association_factor`]), the escorting forces (ascending, once
/// each) and the telecom teams.
fn mission_picture(
    setting: &LogisticsSetting,
    ledger: &LogisticsScratch,
    fielded: Fielded,
    mission: &mut Mission,
) {
    let s = &setting.config.0;
    mission.credibility = if fielded.patrols == 0 {
        1.0
    } else {
        let associated = ledger
            .terms
            .iter()
            .filter(|t| t.engaged && t.associated)
            .map(|t| t.credibility);
        fielded.credibility_sum / fielded.patrols as f64
            * multinational_factor(&ledger.patrols_of, s.trust.multinational_bonus)
            * association_factor(associated, s.trust.association)
    };
    mission.escort_forces.sort_unstable();
    mission.escort_forces.dedup();
    mission.telecom_units = fielded.telecom;
}

/// Steps 4–5, unit by unit in id order: operating telecom teams roam and convoys follow their
/// route; either may commit misconduct; convoys advance their trip and, at its end, deliver or
/// lose their cargo.
fn move_contractors_and_run_convoys(
    setting: &LogisticsSetting,
    rng: &mut LogisticsRng,
    traces: &mut LogisticsTraces,
    units: &mut UnitQuery,
    ledger: &mut LogisticsScratch,
) {
    let s = &setting.config.0;
    for &e in &setting.roster.units {
        let (unit, operating, mut cell, convoy) = units.get_mut(e).expect("roster lists units");
        let p = unit.partner as usize;
        if !operating.0 || !matches!(unit.kind, UnitKind::Convoy | UnitKind::Telecom) {
            continue;
        }
        if let Some(next) = next_cell(setting, rng, convoy.as_deref(), cell.0) {
            cell.0 = next;
        }
        let rate = ledger.terms[p].misconduct_rate;
        if rate > 0.0 && rng.0.random_bool(rate) {
            let radius = s.mechanisms.misconduct_radius;
            traces
                .exposure
                .harm_at(&setting.grid, cell.0, radius, Perpetrator::Mission);
            traces.tally.misconduct += 1;
        }
        if let Some(mut convoy) = convoy {
            run_convoy(setting, rng, &mut traces.tally, ledger, p, &mut convoy);
        }
    }
}

/// Where a moving contractor unit goes from `at`: a convoy to its place on its route, out and
/// back; a telecom team to a random cell within `contractor_roam` (staying put if that falls
/// off the map: `None`).
fn next_cell(
    setting: &LogisticsSetting,
    rng: &mut LogisticsRng,
    convoy: Option<&Convoy>,
    at: u32,
) -> Option<u32> {
    let s = &setting.config.0;
    match convoy {
        Some(cv) => {
            let route = &setting.routes.0[cv.client as usize].cells;
            let trip = trip_length(s, cv, route.len()) as usize;
            let leg = route.len().saturating_sub(1);
            let step = (2 * leg * cv.elapsed as usize) / trip.max(1);
            Some(
                route[if step <= leg {
                    step
                } else {
                    (2 * leg).saturating_sub(step)
                }],
            )
        }
        None => {
            let roam = s.mechanisms.contractor_roam as i32;
            let (dx, dy) = (
                rng.0.random_range(-roam..=roam),
                rng.0.random_range(-roam..=roam),
            );
            setting.grid.offset(at, dx, dy)
        }
    }
}

/// One tick of operator `p`'s convoy: the trip advances (longer with friction or a detour) and,
/// when it ends, the cargo reaches the client's account or is lost.
fn run_convoy(
    setting: &LogisticsSetting,
    rng: &mut LogisticsRng,
    tally: &mut Tally,
    ledger: &mut LogisticsScratch,
    p: usize,
    convoy: &mut Convoy,
) {
    let s = &setting.config.0;
    let (districts, intel, tick) = (&setting.districts, &setting.intel, setting.clock.tick);
    let c = convoy.client as usize;
    let (operator, client) = (ledger.terms[p], ledger.terms[c]);
    let friction = operator.framework != client.framework && !(operator.pooled && client.pooled);
    let route = &setting.routes.0[c];
    // A threat the operator or the client knows of (own or shared report, §3.9) is detoured.
    let known = |d: u16| {
        let entry = intel.spoiler_entry(d as usize) as usize;
        [p, c]
            .iter()
            .any(|&q| intel.knows(q, entry, tick, s.intel.memory))
    };
    let detour = s.logistics.detour_cut > 0.0
        && route
            .districts
            .iter()
            .any(|&d| districts.spoilers[d as usize] > 0.0 && known(d));
    let trip = trip_length(s, convoy, route.cells.len())
        + if friction {
            s.logistics.friction_delay
        } else {
            0
        }
        + if detour { s.logistics.detour_delay } else { 0 };
    convoy.elapsed += 1;
    if convoy.elapsed < trip {
        return;
    }
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
        let a = ledger.account(c);
        let cap = if a == c {
            client.capacity
        } else {
            ledger.pool_cap
        };
        ledger.stock[a] = (ledger.stock[a] + convoy.cargo).min(cap);
        tally.convoys_arrived += 1;
    } else {
        tally.convoys_lost += 1;
    }
}

/// Hand the pool back to its members in proportion to their capacity, and book what each
/// partner spent.
fn hand_back_and_pay(
    setting: &LogisticsSetting,
    partners: &mut PartnerQuery,
    ledger: &LogisticsScratch,
    traces: &mut LogisticsTraces,
) {
    let pool = ledger.stock[ledger.terms.len()];
    let mut cost = 0.0;
    for (p, &e) in setting.roster.partners.iter().enumerate() {
        let (_, mut supply, mut pol) = partners.get_mut(e).expect("roster lists partners");
        supply.stock = if ledger.terms[p].pooled {
            pool * ledger.terms[p].capacity / ledger.pool_cap
        } else {
            ledger.stock[p]
        };
        pol.spent += ledger.spent[p];
        cost += ledger.spent[p];
    }
    traces.tally.cost += cost;
    traces.totals.cost += cost;
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
