//! The timeline: scenario events applied at the start of their tick, right after the clock
//! advances, so every mechanism sees the changed world in the same tick. Also expires election
//! volatility. Each event kind is documented on [`crate::scenario::EventKind`] and in
//! docs/MODEL.md, "Timeline events".

use crate::scenario::{EventKind, EventSpec, UnitKind};
use crate::world::{
    Cell, Citizens, Clock, Config, Coordination, DistrictState, EventsRng, Exposure, Grid,
    Operating, Partner, PartnerTrust, Perpetrator, Politics, Roster, Tally, Unit, Volatility,
};
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use rand::RngExt;

/// Index of the next event to apply (events are sorted by tick).
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct Timeline {
    pub next: usize,
}

/// What events read: the scenario (its timeline), the day, who is who, the map and the
/// districts' cells.
#[derive(SystemParam)]
pub struct EventSetting<'w> {
    config: Res<'w, Config>,
    clock: Res<'w, Clock>,
    roster: Res<'w, Roster>,
    grid: Res<'w, Grid>,
    districts: Res<'w, DistrictState>,
}

/// The mission-wide state events change: harm exposure, election volatility, trust between
/// partners, the coordination mechanism and the counters.
#[derive(SystemParam)]
pub struct EventTargets<'w> {
    exposure: ResMut<'w, Exposure>,
    volatility: ResMut<'w, Volatility>,
    trust: ResMut<'w, PartnerTrust>,
    coordination: ResMut<'w, Coordination>,
    tally: ResMut<'w, Tally>,
}

/// The agents events change: partners (policies, commitment), citizens (hardship, trust) and
/// units (withdrawn or back).
#[derive(SystemParam)]
pub struct EventSubjects<'w, 's> {
    partners: Query<'w, 's, (&'static mut Partner, &'static mut Politics)>,
    citizens: ResMut<'w, Citizens>,
    units: Query<'w, 's, (&'static mut Unit, &'static Cell, &'static Operating)>,
}

pub fn events(
    setting: EventSetting,
    mut timeline: Local<Timeline>,
    mut targets: EventTargets,
    mut rng: ResMut<EventsRng>,
    mut subjects: EventSubjects,
) {
    let s = &setting.config.0;
    let now = setting.clock.tick;
    // Volatility spells that ended last tick stop now.
    targets
        .volatility
        .spells
        .retain(|&(_, _, until)| until >= now);
    while let Some(e) = s.events.get(timeline.next).filter(|e| e.tick <= now) {
        timeline.next += 1;
        if e.tick < now {
            continue;
        }
        apply(e, &setting, &mut targets, &mut rng.0, &mut subjects);
    }
    let v = &mut *targets.volatility;
    v.drop.iter_mut().for_each(|d| *d = 0.0);
    for &(district, amount, _) in &v.spells {
        match district {
            Some(d) => v.drop[d as usize] += amount as f32,
            None => v.drop.iter_mut().for_each(|x| *x += amount as f32),
        }
    }
}

/// Apply one event of this tick.
fn apply(
    e: &EventSpec,
    setting: &EventSetting,
    targets: &mut EventTargets,
    rng: &mut rand_chacha::ChaCha8Rng,
    subjects: &mut EventSubjects,
) {
    let EventSetting {
        config,
        clock,
        roster,
        grid,
        districts,
    } = setting;
    let (now, harm_radius) = (clock.tick, config.0.security.harm_radius);
    let EventTargets {
        exposure,
        volatility,
        trust,
        coordination,
        tally,
    } = targets;
    let EventSubjects {
        partners,
        citizens,
        units,
    } = subjects;
    let in_scope = |grid: &Grid, cell: u32| {
        e.district
            .is_none_or(|d| grid.district[cell as usize] as usize == d)
    };
    let partner = e.partner.map(|p| roster.partners[p]);
    match e.kind {
        EventKind::Withdraw if e.amount < 1.0 => {
            // Partial drawdown: the partner's last ⌈amount · units⌉ units (in id order) go home
            // (none for amount 0: a sweep's "send nobody" point). Without an amount (1), the
            // whole partner leaves, below.
            let Some(p) = e.partner else { return };
            let mine: Vec<_> = roster
                .units
                .iter()
                .copied()
                .filter(|&ue| {
                    units
                        .get(ue)
                        .is_ok_and(|(u, ..)| u.partner as usize == p && !u.withdrawn)
                })
                .collect();
            let leave = (e.amount * mine.len() as f64).ceil() as usize;
            for &ue in mine.iter().rev().take(leave) {
                if let Ok((mut u, ..)) = units.get_mut(ue) {
                    u.withdrawn = true;
                }
            }
        }
        EventKind::Withdraw | EventKind::Join => {
            if let Some(Ok((_, mut pol))) = partner.map(|p| partners.get_mut(p)) {
                pol.engaged = e.kind == EventKind::Join;
            }
            if e.kind == EventKind::Join
                && let Some(p) = e.partner
            {
                for &ue in &roster.units {
                    if let Ok((mut u, ..)) = units.get_mut(ue)
                        && u.partner as usize == p
                    {
                        u.withdrawn = false;
                    }
                }
            }
        }
        EventKind::Funding => {
            if let Some(Ok((mut p, mut pol))) = partner.map(|p| partners.get_mut(p)) {
                p.resupply *= e.amount;
                if let Some(b) = pol.budget.as_mut() {
                    *b *= e.amount.max(1e-9);
                }
            }
        }
        EventKind::HomePolitics => {
            if let Some(Ok((_, mut pol))) = partner.map(|p| partners.get_mut(p)) {
                pol.commitment = (pol.commitment - e.amount).max(0.0);
                if pol.commitment < pol.withdraw_below {
                    pol.engaged = false;
                }
            }
        }
        EventKind::Attack => {
            // Validation requires an attack's district; its cells are listed once, at spawn.
            let Some(d) = e.district else { return };
            let cells = &districts.cells[d];
            let incidents = (e.amount * 10.0).round() as u32;
            for _ in 0..incidents {
                if cells.is_empty() {
                    break;
                }
                let c = cells[rng.random_range(0..cells.len())];
                exposure.harm_at(grid, c, harm_radius, Perpetrator::Spoilers);
                tally.harm_incidents += 1;
            }
            // Patrols in the district may be hit: probability amount / 10 each.
            for &ue in &roster.units {
                let Ok((unit, cell, op)) = units.get(ue) else {
                    continue;
                };
                if unit.kind == UnitKind::Patrol
                    && op.0
                    && in_scope(grid, cell.0)
                    && rng.random_bool((e.amount / 10.0).min(1.0))
                    && let Ok((_, mut pol)) =
                        partners.get_mut(roster.partners[unit.partner as usize])
                {
                    pol.new_casualties += 1;
                }
            }
        }
        EventKind::Election => {
            volatility
                .spells
                .push((e.district.map(|d| d as u16), e.amount, now + e.duration - 1));
        }
        EventKind::Disaster => {
            let Citizens { cell, hardship, .. } = &mut **citizens;
            for (&cell, h) in cell.iter().zip(hardship.iter_mut()) {
                if in_scope(grid, cell) {
                    h.current = (h.current + e.amount as f32).min(1.0);
                    h.baseline = (h.baseline + e.amount as f32).min(1.0);
                }
            }
        }
        EventKind::Legitimacy => {
            let Citizens { cell, trust, .. } = &mut **citizens;
            for (&cell, t) in cell.iter().zip(trust.iter_mut()) {
                if in_scope(grid, cell) {
                    *t = e.amount as f32;
                }
            }
        }
        EventKind::Technology => {
            let tech = e.technology.expect("validated");
            let targets: Vec<Entity> = match partner {
                Some(p) => vec![p],
                None => roster.partners.clone(),
            };
            for p in targets {
                if let Ok((mut p, _)) = partners.get_mut(p)
                    && !p.has(tech)
                {
                    p.technology.push(tech);
                }
            }
        }
        EventKind::Policy => {
            if let Some(Ok((mut p, _))) = partner.map(|p| partners.get_mut(p)) {
                if let Some(x) = e.sharing {
                    p.sharing = x;
                }
                if let Some(x) = e.posture {
                    p.posture = x;
                }
                if let Some(x) = e.patrol_policy {
                    p.patrol_policy = x;
                }
                if let Some(x) = e.neutrality {
                    p.neutrality = x;
                }
                if let Some(x) = e.aid_policy {
                    p.aid_policy = x;
                }
            }
        }
        EventKind::Coordination => {
            if let Some(m) = e.mechanism {
                coordination.0 = m;
            }
        }
        EventKind::JointTraining => {
            for (k, &i) in e.partners.iter().enumerate() {
                for &j in &e.partners[k + 1..] {
                    if i != j {
                        let t = trust.get(i, j);
                        trust.set(i, j, t + e.amount * (1.0 - t));
                    }
                }
            }
        }
    }
}
