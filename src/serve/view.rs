//! What the page is sent about a session, as JSON: the scenario's fixed picture (map,
//! districts, partners, timeline) once, then after every step the new rows, the districts at
//! the current tick, the agents and the partners' levers as they stand now.

use super::session::Session;
use crate::metrics::{DistrictRow, TickRow};
use crate::report::run_charts::event_markers;
use crate::sim::{AgentSnapshot, Shown};
use crate::world::{Operating, Partner, Politics, Roster, Unit};
use serde::Serialize;

#[derive(Serialize)]
pub struct MapJson<'a> {
    pub width: u32,
    pub height: u32,
    /// District index of each cell, row-major.
    pub cells: &'a [u16],
}

#[derive(Serialize)]
pub struct Info<'a> {
    pub name: &'a str,
    pub file: &'a str,
    pub description: &'a str,
    pub seed: u64,
    pub ticks: u32,
    pub map: MapJson<'a>,
    pub districts: Vec<&'a str>,
    pub coordination: String,
    pub pooled: Vec<&'a str>,
}

/// A partner's levers and units at the current tick.
#[derive(Serialize)]
pub struct PartnerNow {
    pub name: String,
    pub kind: &'static str,
    pub engaged: bool,
    /// Home politics: below `withdraw_below` the partner leaves, and a join would not hold.
    pub commitment: f64,
    pub withdraw_below: f64,
    pub sharing: crate::scenario::SharingPolicy,
    pub posture: crate::scenario::Posture,
    pub patrol_policy: crate::scenario::PatrolPolicy,
    pub neutrality: crate::scenario::Neutrality,
    pub aid_policy: crate::scenario::AidPolicy,
    pub technology: Vec<crate::scenario::Technology>,
    pub resupply: f64,
    pub is_force: bool,
    pub fields_aid: bool,
    /// Units fielded and operating now, by kind name.
    pub units: std::collections::BTreeMap<&'static str, [u32; 2]>,
}

#[derive(Serialize)]
pub struct Marker {
    pub tick: f64,
    pub label: String,
}

#[derive(Serialize)]
pub struct Agents {
    pub quiescent: Vec<u32>,
    pub active: Vec<u32>,
    pub detained: Vec<u32>,
    /// `[kind, operating (0/1), cell]`, kinds as in `unit_kinds`.
    pub units: Vec<[u32; 3]>,
}

/// Unit kinds by the index [`Agents::units`] uses.
pub const UNIT_KINDS: [crate::scenario::UnitKind; 5] = [
    crate::scenario::UnitKind::Patrol,
    crate::scenario::UnitKind::AidTeam,
    crate::scenario::UnitKind::Convoy,
    crate::scenario::UnitKind::Liaison,
    crate::scenario::UnitKind::Telecom,
];

#[derive(Serialize)]
pub struct Progress<'a> {
    pub id: &'a str,
    pub tick: u32,
    pub ticks: u32,
    /// Rows of ticks after the `since` the page asked from.
    pub rows: &'a [TickRow],
    /// Every district's row at the current tick.
    pub districts: &'a [DistrictRow],
    pub agents: Agents,
    pub partners: Vec<PartnerNow>,
    pub events: Vec<Marker>,
    /// The interventions made from the page so far.
    pub added: &'a [super::branch::Intervention],
    pub seed: u64,
    /// The coordination mechanism in force now.
    pub coordination: crate::scenario::CoordinationMechanism,
    /// The fixed picture, when the page needs it (a new, forked or rebuilt session).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub info: Option<Info<'a>>,
}

pub fn info(s: &Session) -> Info<'_> {
    let sc = &*s.scenario;
    Info {
        name: &sc.name,
        file: &s.branch.file,
        description: &sc.description,
        seed: sc.seed,
        ticks: sc.ticks,
        map: MapJson {
            width: sc.map.width,
            height: sc.map.height,
            cells: &sc.map.district_of_cell,
        },
        districts: sc.districts.iter().map(|d| d.name.as_str()).collect(),
        coordination: crate::scenario::kinds::spelled(&sc.coordination.mechanism),
        pooled: sc
            .partners
            .iter()
            .filter(|p| p.pooled)
            .map(|p| p.name.as_str())
            .collect(),
    }
}

/// The session's state, with the tick rows after `since` (and with `with_info`, the fixed
/// picture).
pub fn progress<'a>(id: &'a str, s: &'a Session, since: u32, with_info: bool) -> Progress<'a> {
    let rec = s.stepper.recorded();
    let tick = s.tick();
    let from = (since as usize).min(rec.ticks.len());
    let per_tick = s.scenario.districts.len();
    let districts = if tick == 0 {
        &[][..]
    } else {
        let end = rec.districts.len();
        &rec.districts[end.saturating_sub(per_tick)..end]
    };
    Progress {
        id,
        tick,
        ticks: s.scenario.ticks,
        rows: &rec.ticks[from..],
        districts,
        agents: agents(s),
        partners: partners(s),
        events: event_markers(&s.scenario)
            .into_iter()
            .map(|(tick, label)| Marker { tick, label })
            .collect(),
        added: &s.branch.added,
        seed: s.branch.seed,
        coordination: s
            .stepper
            .world()
            .get_resource::<crate::world::Coordination>()
            .map_or_else(Default::default, |c| c.0),
        info: with_info.then(|| info(s)),
    }
}

fn agents(s: &Session) -> Agents {
    let snap = AgentSnapshot::of(s.stepper.world());
    let mut a = Agents {
        quiescent: Vec::new(),
        active: Vec::new(),
        detained: Vec::new(),
        units: Vec::with_capacity(snap.units.len()),
    };
    for (shown, cell) in snap.citizens {
        match shown {
            Shown::Quiescent => a.quiescent.push(cell),
            Shown::Active => a.active.push(cell),
            Shown::Detained => a.detained.push(cell),
        }
    }
    for u in snap.units {
        let kind = UNIT_KINDS.iter().position(|&k| k == u.kind).unwrap_or(0) as u32;
        a.units.push([kind, u.operating as u32, u.cell]);
    }
    a
}

fn partners(s: &Session) -> Vec<PartnerNow> {
    let world = s.stepper.world();
    let Some(roster) = world.get_resource::<Roster>() else {
        return Vec::new();
    };
    let mut counts = vec![std::collections::BTreeMap::new(); roster.partners.len()];
    for &ue in &roster.units {
        if let (Some(u), Some(op)) = (world.get::<Unit>(ue), world.get::<Operating>(ue))
            && let Some(c) = counts.get_mut(u.partner as usize)
        {
            let e: &mut [u32; 2] = c.entry(u.kind.as_str()).or_default();
            e[0] += 1;
            e[1] += op.0 as u32;
        }
    }
    roster
        .partners
        .iter()
        .zip(counts)
        .filter_map(|(&pe, units)| {
            let p = world.get::<Partner>(pe)?;
            let pol = world.get::<Politics>(pe)?;
            Some(PartnerNow {
                name: p.name.clone(),
                kind: p.kind.as_str(),
                engaged: pol.engaged,
                commitment: pol.commitment,
                withdraw_below: pol.withdraw_below,
                sharing: p.sharing,
                posture: p.posture,
                patrol_policy: p.patrol_policy,
                neutrality: p.neutrality,
                aid_policy: p.aid_policy,
                technology: p.technology.clone(),
                resupply: p.resupply,
                is_force: p.is_force,
                fields_aid: units.contains_key("aid_team"),
                units,
            })
        })
        .collect()
}
