//! Community trust: each citizen's trust in the mission moves with what it experienced this tick.
//! Runs after aid and before metrics.
//!
//! ```text
//! T ← clamp(T + L·(g_s·s·κ·(1 − T) + g_a·a·(1 − T)) − l_h·h·T − l_n·max(0, H − H*)·T
//!           + w·(T̄_d − T), 0, 1)
//! ```
//! s = 1 if a free citizen has an operating patrol in vision (felt security), κ = the mission's
//! credibility (patrol-weighted partner credibility × multinational factor), a = the credit of
//! aid received this tick (0 if none), L = 1 + cultural_competence where a local organisation
//! works within reach (else 1), h = trust-damaging incidents (civilian harm, misconduct,
//! attacks) within the harm radius this tick, H* = need tolerance, T̄_d = mean trust of its
//! district before this update (neighbours).
//! With `trust.enabled = false` trust never changes (Epstein's fixed legitimacy).

use crate::world::citizens::for_each_chunk_mut;
use crate::world::{Citizens, Clock, Conduct, Config, DistrictState, Exposure, Grid, Mission};
use bevy_ecs::prelude::*;

pub fn trust(
    config: Res<Config>,
    clock: Res<Clock>,
    grid: Res<Grid>,
    exposure: Res<Exposure>,
    mission: Res<Mission>,
    districts: Res<DistrictState>,
    mut citizens: ResMut<Citizens>,
) {
    let p = &config.0.trust;
    if !p.enabled {
        return;
    }
    let (gs, ga, lh, ln, tol, w) = (
        p.security_gain as f32,
        p.aid_gain as f32,
        p.harm_loss as f32,
        p.need_loss as f32,
        p.need_tolerance as f32,
        p.neighbour_weight as f32,
    );
    let kappa = mission.credibility as f32;
    let cc = p.cultural_competence as f32;
    let Citizens {
        cell,
        conduct,
        hardship,
        last_aid,
        trust,
        ..
    } = &mut *citizens;
    // Each citizen's update reads only its own state and this tick's fixed pictures: chunk by
    // chunk (in parallel for large worlds), the same bits at any thread count. Pictures that are
    // the same everywhere this tick (no harm, no local team, one district) are not read cell by
    // cell: at 10⁶ citizens each per-cell read is a cache miss.
    let (any_harm, any_local) = (exposure.any_harm(), exposure.any_local());
    for_each_chunk_mut(trust, |start, trust| {
        let ids = start..start + trust.len();
        let each = cell[ids.clone()].iter().zip(&conduct[ids.clone()]);
        let each = each.zip(hardship[ids.clone()].iter().zip(&last_aid[ids]));
        for (trust, ((&cell, &conduct), (hardship, last_aid))) in trust.iter_mut().zip(each) {
            if matches!(conduct, Conduct::Dead | Conduct::Displaced) {
                continue;
            }
            let c = cell as usize;
            let free = !matches!(conduct, Conduct::Detained(_));
            let secure = (free && grid.patrol_sight(cell) > 0) as u8 as f32;
            let aided = if last_aid.tick == clock.tick {
                last_aid.credit
            } else {
                0.0
            };
            let local = 1.0 + cc * (any_local && exposure.local(c)) as u8 as f32;
            let harm = if any_harm {
                exposure.harm(c) as f32
            } else {
                0.0
            };
            let need = (hardship.current - tol).max(0.0);
            let neighbours = districts.mean_trust[grid.district_of(cell) as usize] as f32;
            let t = *trust;
            let next = t + local * (gs * secure * kappa + ga * aided) * (1.0 - t)
                - lh * harm * t
                - ln * need * t
                + w * (neighbours - t);
            *trust = next.clamp(0.0, 1.0);
        }
    });
}
