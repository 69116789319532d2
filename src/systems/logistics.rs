//! Logistics: supply flows in, units that the supply covers operate, convoys run. First in the
//! tick, so that every later system sees this tick's operating units.
//!
//! Each partner holds supply in unit-days. Per tick (docs/MODEL.md, "Logistics"):
//! 1. organic resupply: `stock ← min(capacity, stock + resupply)`;
//! 2. units operate in id order while `stock ≥ 1`, each using one unit-day and costing the
//!    partner's `cost_per_unit_day`: the supply level caps how many units a partner fields;
//! 3. each operating contractor convoy advances its trip; at the end of a trip its cargo reaches
//!    the client with probability `reliability` (else it is lost), capped at the client's capacity.

use crate::scenario::UnitKind;
use crate::world::{Convoy, LogisticsRng, Operating, Partner, Roster, Supply, Tally, Totals, Unit};
use bevy_ecs::prelude::*;
use rand::RngExt;

pub fn logistics(
    roster: Res<Roster>,
    mut rng: ResMut<LogisticsRng>,
    mut tally: ResMut<Tally>,
    mut totals: ResMut<Totals>,
    mut partners: Query<(&Partner, &mut Supply)>,
    mut units: Query<(&Unit, &mut Operating, Option<&mut Convoy>)>,
) {
    let mut stock: Vec<f64> = Vec::with_capacity(roster.partners.len());
    let mut capacity: Vec<f64> = Vec::with_capacity(roster.partners.len());
    let mut unit_cost: Vec<f64> = Vec::with_capacity(roster.partners.len());
    for &e in &roster.partners {
        let (partner, supply) = partners.get(e).expect("roster lists partners");
        stock.push((supply.stock + partner.resupply).min(supply.capacity));
        capacity.push(supply.capacity);
        unit_cost.push(partner.cost_per_unit_day);
    }

    let mut cost = 0.0;
    for &e in &roster.units {
        let (unit, mut operating, _) = units.get_mut(e).expect("roster lists units");
        let p = unit.partner as usize;
        let runs = stock[p] >= 1.0;
        if runs {
            stock[p] -= 1.0;
            cost += unit_cost[p];
        }
        if operating.0 != runs {
            operating.0 = runs;
        }
    }

    for &e in &roster.units {
        let (unit, operating, convoy) = units.get_mut(e).expect("roster lists units");
        let (UnitKind::Convoy, true, Some(mut convoy)) = (unit.kind, operating.0, convoy) else {
            continue;
        };
        convoy.elapsed += 1;
        if convoy.elapsed >= convoy.trip_ticks {
            convoy.elapsed = 0;
            if rng.0.random_bool(convoy.reliability) {
                let c = convoy.client as usize;
                stock[c] = (stock[c] + convoy.cargo).min(capacity[c]);
                tally.convoys_arrived += 1;
            } else {
                tally.convoys_lost += 1;
            }
        }
    }

    for (p, &e) in roster.partners.iter().enumerate() {
        let (_, mut supply) = partners.get_mut(e).expect("roster lists partners");
        supply.stock = stock[p];
    }
    tally.cost += cost;
    totals.cost += cost;
}
