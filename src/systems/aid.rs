//! Humanitarian aid and local presence: operating aid teams move to an accessible cell nearby and
//! lower the hardship of the free citizens around them; local organisations' teams (aid and
//! liaison) mark where they work, for cultural competence in the trust update. Runs after the
//! district picture (which sets security).
//!
//! Access (docs/MODEL.md, "Humanitarian aid and access"): a team may stand in a cell only if
//! its district's security σ_d ≥ access_d − escort, where escort = `aid.escort_access` for a
//! coordinated NGO when an engaged force accepts escort tasks, else 0; never in a district its
//! partner refuses (caveats). A team with no such cell within `move_radius` delivers nothing.
//! Delivery: `H ← H·(1 − e)` for each free citizen within `radius`, who records the aid credit
//! `credibility × (coordinated_credit if the NGO is coordinated else 1)` for the trust update.
//! Teams report active citizens they see within `radius` as hotspots.

use crate::scenario::{Neutrality, PartnerKind, UnitKind};
use crate::world::{
    AidRng, Cell, Citizen, Clock, Conduct, Config, DistrictState, Exposure, Grid, Hardship, Intel,
    LastAid, Mission, Operating, Partner, PartnerTrust, Roster, Tally, Unit,
};
use bevy_ecs::prelude::*;
use rand::RngExt;

#[expect(
    clippy::too_many_arguments,
    reason = "a system or kernel step takes its resources, queries and buffers as parameters"
)]
pub fn aid(
    config: Res<Config>,
    clock: Res<Clock>,
    roster: Res<Roster>,
    mission: Res<Mission>,
    partner_trust: Res<PartnerTrust>,
    districts: Res<DistrictState>,
    grid: Res<Grid>,
    mut exposure: ResMut<Exposure>,
    mut intel: ResMut<Intel>,
    mut rng: ResMut<AidRng>,
    mut tally: ResMut<Tally>,
    mut candidates: Local<Vec<u32>>,
    partners: Query<&Partner>,
    mut teams: Query<(&Unit, &mut Cell, &Operating), Without<Citizen>>,
    mut citizens: Query<(&mut Hardship, &mut LastAid, &Conduct), With<Citizen>>,
) {
    let s = &config.0;
    let keep = 1.0 - s.aid.effect as f32;
    for (k, &e) in roster.units.iter().enumerate() {
        let (unit, mut cell, operating) = teams.get_mut(e).expect("roster lists units");
        if !matches!(unit.kind, UnitKind::AidTeam | UnitKind::Liaison) || !operating.0 {
            continue;
        }
        let partner = partners
            .get(roster.partners[unit.partner as usize])
            .expect("roster lists partners");
        let coordinated = partner.neutrality == Neutrality::Coordinated;
        // A coordinated NGO is escorted by a force that fields escorting patrols and that it
        // trusts at least `aid.escort_trust` (civil–military trust gates escorts).
        let p = unit.partner as usize;
        let escorted = coordinated
            && mission
                .escort_forces
                .iter()
                .any(|&f| partner_trust.get(p, f) >= s.aid.escort_trust);
        let escort = if escorted { s.aid.escort_access } else { 0.0 };
        let local = partner.kind == PartnerKind::LocalOrganisation;
        let liaison = unit.kind == UnitKind::Liaison;
        candidates.clear();
        grid.for_each_in_square(cell.0, s.aid.move_radius, |c| {
            let d = grid.district[c as usize];
            // Local liaison teams live there: access does not bind them.
            let open = liaison
                || districts.security[d as usize] >= s.districts[d as usize].access - escort;
            if open
                && unit.district.is_none_or(|a| d == a)
                && !partner.caveat_districts.contains(&d)
            {
                candidates.push(c);
            }
        });
        if candidates.is_empty() {
            continue;
        }
        let here = candidates[rng.0.random_range(0..candidates.len())];
        cell.0 = here;
        let credit = (partner.credibility
            * if coordinated {
                s.aid.coordinated_credit
            } else {
                1.0
            }) as f32;
        candidates.clear();
        grid.for_each_in_square(here, s.aid.radius, |c| candidates.push(c));
        for &c in candidates.iter() {
            if local {
                exposure.local_at(c);
            }
            if grid.active_here(c) > 0 {
                intel.detect(
                    unit.partner as u16,
                    k as u32,
                    c,
                    clock.tick,
                    s.intel.detect_civilian,
                );
            }
            if liaison {
                continue;
            }
            for id in grid.citizens_in(c) {
                let (mut h, mut last, conduct) = citizens
                    .get_mut(roster.citizens[id as usize])
                    .expect("roster lists citizens");
                if matches!(conduct, Conduct::Detained(_)) {
                    continue;
                }
                h.current *= keep;
                last.tick = clock.tick;
                last.credit = last.credit.max(credit);
                tally.aid_contacts += 1;
            }
        }
    }
}
