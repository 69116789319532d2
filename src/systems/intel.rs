//! Information: what each partner knows of hotspots, and what it shares with whom.
//! Runs after aid (the last system that observes) and before the district picture's readers.
//!
//! The map is divided into square sectors of `intel.sector` cells. A partner *observes* a sector
//! when one of its units sees an active citizen there (patrols in vision, aid teams in reach,
//! drones in `vision + drone_range`). A sector is a *known hotspot* of partner p while
//! `tick − known_p[s] ≤ intel.memory`.
//!
//! Sharing (docs/MODEL.md, "Coordination and information sharing"): partner i forwards each fresh
//! observation to partner j when both are engaged and
//! ```text
//! none:          never
//! need_to_know:  j fields patrols  and τ_ij ≥ threshold_i
//! open:          τ_ij ≥ threshold_i
//! ```
//! An independent NGO never shares with forces; a coordinated NGO shares openly. The report
//! arrives after `delay = max(0, base_delay − telecom − coordination)` ticks (0 if both partners
//! have real-time data; telecom cuts `mechanisms.telecom_delay_cut` per level), and the receiver
//! takes it up with probability `1 − w·d_ij`, d_ij being the mandate divergence (disparate
//! objectives lower joint effectiveness), w = `mechanisms.uptake_divergence`.

use crate::scenario::{CoordinationMechanism, Neutrality, Scenario, SharingPolicy, Technology};
use crate::world::{
    Clock, Config, Coordination, Intel, IntelRng, Mission, Partner, PartnerTrust, Politics, Report,
    Roster, Tally,
};
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use rand::RngExt;

/// Whether partner `i` forwards what it knows to partner `j`.
pub fn shares_with(i: &Partner, j: &Partner, tau_ij: f64) -> bool {
    let policy = match i.neutrality {
        Neutrality::Coordinated => SharingPolicy::Open,
        Neutrality::Independent if i.kind == crate::scenario::PartnerKind::Ngo && j.is_force => {
            SharingPolicy::None
        }
        Neutrality::Independent => i.sharing,
    };
    match policy {
        SharingPolicy::None => false,
        SharingPolicy::NeedToKnow => j.is_force && tau_ij >= i.sharing_threshold,
        SharingPolicy::Open => tau_ij >= i.sharing_threshold,
    }
}

/// Ticks a report from `i` to `j` takes.
pub fn delay(
    s: &Scenario,
    i: &Partner,
    j: &Partner,
    mission: &Mission,
    mechanism: CoordinationMechanism,
) -> u32 {
    if i.has(Technology::RealTimeData) && j.has(Technology::RealTimeData) {
        return 0;
    }
    let telecom = ((i.has(Technology::Telecom) || j.has(Technology::Telecom)) as u32
        + (mission.telecom_units > 0) as u32)
        * s.mechanisms.telecom_delay_cut;
    let coordination = mechanism.delay_cut(&s.mechanisms);
    s.intel.base_delay.saturating_sub(telecom + coordination)
}

/// What sharing reads: the scenario, the day, who is who, the mission's telecom teams, the
/// coordination mechanism in force and trust between partners.
#[derive(SystemParam)]
pub struct SharingSetting<'w> {
    config: Res<'w, Config>,
    clock: Res<'w, Clock>,
    roster: Res<'w, Roster>,
    mission: Res<'w, Mission>,
    mechanism: Res<'w, Coordination>,
    trust: Res<'w, PartnerTrust>,
}

pub fn intel(
    setting: SharingSetting,
    mut intel: ResMut<Intel>,
    mut rng: ResMut<IntelRng>,
    mut tally: ResMut<Tally>,
    mut immediate: Local<Vec<Report>>,
    partners: Query<(&Partner, &Politics)>,
) {
    let SharingSetting {
        config,
        clock,
        roster,
        mission,
        mechanism,
        trust,
    } = setting;
    let s = &config.0;
    let now = clock.tick;
    let view = |i: usize| {
        let (p, pol) = partners
            .get(roster.partners[i])
            .expect("roster lists partners");
        (p, pol.engaged)
    };
    let n = roster.partners.len();
    let buckets = intel.in_transit.len();

    // Forward this tick's first-hand observations.
    let fresh = std::mem::take(&mut intel.fresh);
    immediate.clear();
    for &(from, sector) in &fresh {
        let (pi, engaged_i) = view(from as usize);
        if !engaged_i {
            continue;
        }
        for to in 0..n {
            let (pj, engaged_j) = view(to);
            if to == from as usize
                || !engaged_j
                || !shares_with(pi, pj, trust.get(from as usize, to))
            {
                continue;
            }
            let report = Report {
                to: to as u16,
                from,
                sector,
                seen: now,
            };
            match delay(s, pi, pj, &mission, mechanism.0) as usize {
                0 => immediate.push(report),
                d => intel.in_transit[(now as usize + d) % buckets].push(report),
            }
            tally.shared_reports += 1;
        }
    }
    intel.fresh = fresh;

    // Deliver what arrives now: this tick's bucket, then same-tick reports.
    let mut due = std::mem::take(&mut intel.in_transit[now as usize % buckets]);
    due.extend(immediate.drain(..));
    for r in &due {
        if !view(r.to as usize).1 || !view(r.from as usize).1 {
            continue;
        }
        let lost =
            s.mechanisms.uptake_divergence * intel.divergence[r.from as usize * n + r.to as usize];
        if lost > 0.0 && rng.0.random::<f64>() < lost {
            continue;
        }
        let k = &mut intel.known[r.to as usize][r.sector as usize];
        *k = (*k).max(r.seen);
    }
    due.clear();
    intel.in_transit[now as usize % buckets] = due;
}
