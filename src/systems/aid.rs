//! Humanitarian aid: operating aid teams move to an accessible cell nearby and lower the hardship
//! of the free citizens around them. Runs after the district picture (which sets security).
//!
//! Access (docs/MODEL.md, "Humanitarian aid and access"): a team may stand in a cell only if its
//! district's security σ_d is at least the district's `access` threshold. A team with no
//! accessible cell within `move_radius` stays put and delivers nothing this tick. Delivery:
//! ```text
//! H ← H·(1 − e)   for each free citizen within `radius` (square) of the team, e = aid.effect
//! ```

use crate::scenario::UnitKind;
use crate::world::{
    AidRng, Cell, Citizen, Clock, Conduct, Config, DistrictState, Grid, Hardship, LastAid,
    Operating, Roster, Tally, Unit,
};
use bevy_ecs::prelude::*;
use rand::RngExt;

#[allow(clippy::too_many_arguments)]
pub fn aid(
    config: Res<Config>,
    clock: Res<Clock>,
    roster: Res<Roster>,
    grid: Res<Grid>,
    districts: Res<DistrictState>,
    mut rng: ResMut<AidRng>,
    mut tally: ResMut<Tally>,
    mut candidates: Local<Vec<u32>>,
    mut teams: Query<(&Unit, &mut Cell, &Operating), Without<Citizen>>,
    mut citizens: Query<(&mut Hardship, &mut LastAid, &Conduct), With<Citizen>>,
) {
    let s = &config.0;
    let accessible = |cell: u32| {
        let d = grid.district[cell as usize] as usize;
        districts.security[d] >= s.districts[d].access
    };
    let keep = 1.0 - s.aid.effect as f32;
    for &e in &roster.units {
        let (unit, mut cell, operating) = teams.get_mut(e).expect("roster lists units");
        if unit.kind != UnitKind::AidTeam || !operating.0 {
            continue;
        }
        candidates.clear();
        grid.for_each_in_square(cell.0, s.aid.move_radius, |c| {
            if accessible(c) && unit.district.is_none_or(|d| grid.district[c as usize] == d) {
                candidates.push(c);
            }
        });
        if candidates.is_empty() {
            continue;
        }
        let here = candidates[rng.0.random_range(0..candidates.len())];
        cell.0 = here;
        grid.for_each_in_square(here, s.aid.radius, |c| {
            for id in grid.citizens_in(c) {
                let (mut h, mut last, conduct) = citizens
                    .get_mut(roster.citizens[id as usize])
                    .expect("roster lists citizens");
                if matches!(conduct, Conduct::Detained(_)) {
                    continue;
                }
                h.current *= keep;
                last.0 = clock.tick + 1;
                tally.aid_contacts += 1;
            }
        });
    }
}
