//! Standing: community trust in each partner, per district (docs/MODEL.md §3.17). Runs after
//! trust (it reads this tick's service and the mission's harm) and before metrics.
//!
//! ```text
//! A_pd ← clamp(A_pd + g·v_pd·(1 − A_pd)
//!               − b·a_p·(1000·m_d / R_d)·A_pd
//!               + α·a_p·(T̄_d − A_pd), 0, 1)
//! ```
//! v_pd = share of district d's R_d residents that partner p's aid or liaison teams served this
//! tick, m_d = incidents of harm by the mission in d this tick (forces' enforcement, contractors'
//! misconduct; not the spoilers'), T̄_d = the district's mean trust in the mission, a_p = 1 when
//! communities see p as part of the mission (everyone but an independent NGO), else 0. An
//! associated partner shares the mission's reputation, good and bad; an independent NGO's
//! standing rests on its own work. Forces field no aid teams: their standing follows the
//! mission's trust (their patrols already earn that trust, §3.5).

use crate::world::{Config, DistrictState, Exposure, Partner, Politics, Roster, Standing};
use bevy_ecs::prelude::*;

pub fn standing(
    config: Res<Config>,
    roster: Res<Roster>,
    districts: Res<DistrictState>,
    exposure: Res<Exposure>,
    mut standing: ResMut<Standing>,
    partners: Query<(&Partner, &Politics)>,
) {
    let p = &config.0.standing;
    for (k, &e) in roster.partners.iter().enumerate() {
        let (partner, politics) = partners.get(e).expect("roster lists partners");
        if !politics.engaged {
            continue;
        }
        let associated = partner.associated() as u8 as f64;
        for d in 0..standing.districts() {
            let residents = districts.residents[d];
            if residents == 0 {
                continue;
            }
            let a = standing.get(k, d);
            let served = standing.served(k, d) as f64 / residents as f64;
            let harm = 1000.0 * exposure.mission_harm(d) as f64 / residents as f64;
            let next = a + p.service_gain * served.min(1.0) * (1.0 - a)
                - p.blame * associated * harm * a
                + p.association_pull * associated * (districts.mean_trust[d] - a);
            standing.set(k, d, next.clamp(0.0, 1.0));
        }
    }
}
