//! Humanitarian aid and local presence: operating aid teams move to an accessible cell nearby and
//! lower the hardship of the free citizens around them; local organisations' teams (aid and
//! liaison) mark where they work, for cultural competence in the trust update. Runs after the
//! district picture (which sets security).
//!
//! Access (docs/MODEL.md §3.17), by protection or by acceptance: each day a team may work in
//! district d with probability `max(ramp(σ_d + escort − access_d), ramp(c·A_pd − access_d))`,
//! `ramp(x) = clamp(½ + x / w, 0, 1)` (w = `standing.access_ramp`; w = 0: x ≥ 0), where σ_d is
//! the district's security, escort = `aid.escort_access` for a coordinated partner when an
//! engaged force it trusts accepts escort tasks (else 0), A_pd the district's trust in the
//! team's partner and c = `standing.acceptance`; never in a district its partner refuses
//! (caveats); liaison teams live there and always may. A team with no open cell within
//! `move_radius` delivers nothing. Every resident a team serves (aid or, for liaison teams,
//! talk) counts toward its partner's standing.
//! Delivery: `H ← H·(1 − e)` for each free citizen within `radius`, who records the aid credit
//! `credibility × (coordinated_credit if the NGO is coordinated else 1)` for the trust update.
//! Teams report active citizens they see within `radius` as hotspots, and — early warning —
//! sectors where a quiescent citizen's grievance H·(1 − T) exceeds `intel.early_warning`, before
//! anyone there turns active (docs/MODEL.md §3.9).

use crate::scenario::{AidPolicy, Neutrality, PartnerKind, UnitKind};
use crate::world::{
    AidRng, Cell, Citizens, Clock, Conduct, Config, DistrictState, Exposure, Grid, Intel, Mission,
    Operating, Partner, PartnerTrust, Roster, Standing, Tally, Unit,
};
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use rand::RngExt;

/// Buffers reused from tick to tick.
#[derive(Default)]
pub struct AidScratch {
    candidates: Vec<u32>,
    /// Whether each district is open to the current team today.
    open: Vec<bool>,
    /// Teams already heading for each hotspot sector this tick.
    claimed: Vec<u32>,
}

/// An aid team: its partner's index and the cell it stands on.
#[derive(Clone, Copy)]
struct Team {
    p: usize,
    from: u32,
}

/// Where a team of partner `p` standing at `from` heads under the need policy: the centre of the
/// nearest hotspot sector `p` knows whose district the team may enter (`allowed`) and that fewer
/// than `intel.patrols_per_hotspot` teams head for already (ties: lowest sector). Claims it.
fn need_goal(
    s: &crate::scenario::Scenario,
    grid: &Grid,
    intel: &Intel,
    tick: u32,
    Team { p, from }: Team,
    claimed: &mut [u32],
    allowed: impl Fn(u16) -> bool,
) -> Option<(i32, i32)> {
    let best = (0..intel.sectors())
        .filter(|&sector| {
            claimed[sector] < s.intel.patrols_per_hotspot
                && intel.knows(p, sector, tick, s.intel.memory)
        })
        .map(|sector| (sector, intel.centre(sector as u32, grid.height)))
        .filter(|&(_, (x, y))| allowed(grid.district[(y as u32 * grid.width + x as u32) as usize]))
        .min_by_key(|&(_, centre)| grid.chebyshev(from, centre))?;
    claimed[best.0] += 1;
    Some(best.1)
}

/// The chance that a district is open to a team whose best route in (protection or acceptance)
/// clears the access bar by `margin`: a ramp of width `w` centred on the bar (w = 0: a step).
pub fn ramp(margin: f64, w: f64) -> f64 {
    if w <= 0.0 {
        (margin >= 0.0) as u8 as f64
    } else {
        (0.5 + margin / w).clamp(0.0, 1.0)
    }
}

/// What aid teams read: the scenario, the day, who is who, the mission (escorting forces and
/// trust in them), the districts' security and the map.
#[derive(SystemParam)]
pub struct AidSituation<'w> {
    config: Res<'w, Config>,
    clock: Res<'w, Clock>,
    roster: Res<'w, Roster>,
    mission: Res<'w, Mission>,
    partner_trust: Res<'w, PartnerTrust>,
    districts: Res<'w, DistrictState>,
    grid: Res<'w, Grid>,
}

/// What aid leaves behind besides lower hardship: local presence, hotspot reports, counters and
/// the residents each partner served.
#[derive(SystemParam)]
pub struct AidTraces<'w> {
    exposure: ResMut<'w, Exposure>,
    intel: ResMut<'w, Intel>,
    tally: ResMut<'w, Tally>,
    standing: ResMut<'w, Standing>,
}

pub fn aid(
    situation: AidSituation,
    traces: AidTraces,
    mut rng: ResMut<AidRng>,
    mut scratch: Local<AidScratch>,
    partners: Query<&Partner>,
    mut teams: Query<(&Unit, &mut Cell, &Operating)>,
    mut citizens: ResMut<Citizens>,
) {
    let AidSituation {
        config,
        clock,
        roster,
        mission,
        partner_trust,
        districts,
        grid,
    } = situation;
    let AidTraces {
        mut exposure,
        mut intel,
        mut tally,
        mut standing,
    } = traces;
    let s = &config.0;
    let keep = 1.0 - s.aid.effect as f32;
    let AidScratch {
        candidates,
        open,
        claimed,
    } = &mut *scratch;
    claimed.clear();
    claimed.resize(intel.sectors(), 0);
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
        open.clear();
        for (d, spec) in s.districts.iter().enumerate() {
            // Local liaison teams live there: they meet only `liaison_need` of the threshold,
            // and a threshold of 0 does not bind them at all.
            let need = if liaison {
                spec.access * s.mechanisms.liaison_need
            } else {
                spec.access
            };
            if need <= 0.0 && liaison {
                open.push(true);
                continue;
            }
            let by_protection = districts.security[d] + escort - need;
            let by_acceptance = s.standing.acceptance * standing.get(p, d) - need;
            let chance = ramp(by_protection.max(by_acceptance), s.standing.access_ramp);
            open.push(chance >= 1.0 || rng.0.random::<f64>() < chance);
        }
        candidates.clear();
        grid.for_each_in_square(cell.0, s.aid.move_radius, |c| {
            let d = grid.district[c as usize];
            if open[d as usize]
                && unit.district.is_none_or(|a| d == a)
                && !partner.caveat_districts.contains(&d)
            {
                candidates.push(c);
            }
        });
        if candidates.is_empty() {
            continue;
        }
        let goal = match partner.aid_policy {
            AidPolicy::Need if !liaison => {
                let allowed = |d: u16| {
                    open[d as usize]
                        && unit.district.is_none_or(|a| d == a)
                        && !partner.caveat_districts.contains(&d)
                };
                need_goal(
                    s,
                    &grid,
                    &intel,
                    clock.tick,
                    Team { p, from: cell.0 },
                    claimed,
                    allowed,
                )
            }
            _ => None,
        };
        // Toward the goal: of the open cells within reach, the nearest to it (first on ties).
        let here = match goal {
            Some(goal) => candidates
                .iter()
                .copied()
                .min_by_key(|&c| grid.chebyshev(c, goal))
                .expect("candidates is not empty"),
            None => candidates[rng.0.random_range(0..candidates.len())],
        };
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
            // Tension is looked for only where nobody is active yet (an active cell is reported
            // anyway): no citizen lookups on the cells that need none.
            let warning = || {
                s.intel.early_warning < 1.0
                    && grid.citizens_in(c).any(|id| {
                        let i = id as usize;
                        citizens.conduct[i] == Conduct::Quiescent
                            && citizens.grievance(i) as f64 > s.intel.early_warning
                    })
            };
            if grid.active_here(c) > 0 || warning() {
                intel.detect(
                    unit.partner as u16,
                    k as u32,
                    c,
                    clock.tick,
                    s.intel.detect_civilian,
                );
            }
            let d = grid.district[c as usize] as usize;
            if liaison {
                for _ in grid.citizens_in(c) {
                    standing.serve(p, d);
                }
                continue;
            }
            for id in grid.citizens_in(c) {
                let i = id as usize;
                if matches!(citizens.conduct[i], Conduct::Detained(_)) {
                    continue;
                }
                citizens.hardship[i].current *= keep;
                standing.serve(p, d);
                let last = &mut citizens.last_aid[i];
                last.tick = clock.tick;
                last.credit = last.credit.max(credit);
                tally.aid_contacts += 1;
            }
        }
    }
}
