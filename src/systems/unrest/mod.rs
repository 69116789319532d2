//! Unrest: Epstein's (2002) civil-violence Model I, with the mission's patrols as the cops.
//! Runs after logistics (which decides the operating patrols) and before everything that reads
//! where agents stand.
//!
//! For a free citizen with hardship H, trust T (legitimacy), risk aversion R:
//! ```text
//! G = H·(1 − T)                       grievance
//! P = 1 − exp(−k·r(C/A))              estimated arrest probability
//! active  ⇔  G − R·P > threshold
//! ```
//! C = operating patrols in vision, A = 1 + actives in vision (the citizen counts itself), and
//! r is ⌊·⌋ (NetLogo), round-half-even (Mesa) or the identity (the paper as printed).
//! Every free citizen and patrol first moves to a random empty cell in vision. A patrol then
//! detains a random active citizen in vision, moves to the arrest site, and the detainee serves
//! a term drawn uniformly from 0..max_jail_term (NetLogo). Under a robust posture a patrol may
//! detain several per tick, and each detention harms civilians with the posture's probability.
//!
//! Random-sequential activation shuffles citizens and patrols together each tick and lets each
//! act in turn (Epstein, NetLogo). Simultaneous activation moves every citizen at once (each
//! proposes an empty cell, conflicts go to the smallest priority; `simultaneous.rs`, in
//! parallel), then the patrols one by one, then lets every citizen decide from the same
//! snapshot, then lets patrols enforce.
//!
//! Mesa's example differs in three switches (docs/MODEL.md, "Docking with Mesa"): with
//! `order = "act_then_move"` an agent decides or arrests before it moves; with
//! `jail_accounting = "activation"` a detainee serves one tick of its term at each of its own
//! activations and is released at the activation after the term reaches 0 (instead of every
//! term going down at the tick's end); `placement` is applied by `world::spawn`.
//!
//! Over 500 lines: moves, enforcement and both activation schemes share one scratch and one hot
//! loop (`decide.rs` holds the decision rule); splitting the per-agent steps out would expose the
//! scratch to sibling modules.

use crate::scenario::{Activation, ArrestRatio, PatrolPolicy, Posture, Technology, UnitKind};
use crate::world::{
    AgentId, Cell, Citizen, Clock, Conduct, Config, Exposure, Grid, Group, Hardship, Home, Intel,
    MovesKey, Operating, Partner, Perpetrator, RiskAversion, Roster, Tally, Trust, Unit, UnrestRng,
    Volatility, shuffle,
};
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use decide::{citizen_decide, flip, probability_table, simultaneous_flips};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

mod decide;
mod simultaneous;
pub use decide::arrest_probability;

/// What unrest reads and writes of a citizen.
type CitizenView = (
    &'static AgentId,
    &'static Home,
    &'static mut Cell,
    &'static mut Conduct,
    &'static Hardship,
    &'static RiskAversion,
    &'static Trust,
    &'static Group,
);

/// Reused buffers, so a steady-state tick allocates nothing.
#[derive(Default)]
pub struct UnrestScratch {
    cell: Vec<u32>,
    /// Model II group per citizen.
    group: Vec<u8>,
    /// Home district per citizen, or `u16::MAX` where citizens roam anywhere.
    home: Vec<u16>,
    /// (grievance G, risk aversion R) per citizen, side by side: a decision reads both.
    mind: Vec<(f32, f32)>,
    conduct: Vec<Conduct>,
    patrols: Vec<PatrolState>,
    /// Cells of `patrols` as read from the ECS this tick (synced to the grid, which owns them after).
    patrol_cells: Vec<u32>,
    order: Vec<u32>,
    /// Simultaneous activation with violence: the citizens' shuffled order for killing.
    citizen_order: Vec<u32>,
    candidates: Vec<u32>,
    /// Simultaneous activation: the moves proposed (then won) per band of rows (see
    /// `simultaneous.rs`).
    bands: Vec<Vec<simultaneous::Move>>,
    /// Simultaneous activation: the smallest priority bidding for each cell (`u64::MAX`: none).
    claim: Vec<std::sync::atomic::AtomicU64>,
    /// Simultaneous activation: citizens whose decision differs from their conduct this tick.
    flips: Vec<u32>,
    /// Simultaneous activation: (P, threshold) per occupied cell this tick.
    terms: Vec<(f32, f32)>,
    /// Cells of every district a partner refuses (its caveats), per partner: `refused[p][d]`.
    refused: Vec<Vec<bool>>,
    /// Known hotspot sectors (id, centre) per partner using the hotspot policy.
    targets: Vec<Vec<(u32, (i32, i32))>>,
    /// Hotspot patrols heading to each sector this tick (deconfliction).
    claimed: Vec<u32>,
    /// Simultaneous activation: actives per row, rebuilt after the moves.
    snapshot: crate::world::grid::SightSnapshot,
    /// P = 1 − exp(−k·r) for integer ratios r = 0, 1, … (floor and round rules).
    p_table: Vec<f32>,
    /// Cells where detentions harmed civilians this tick (applied to [`Exposure`] at the end).
    harm_sites: Vec<u32>,
}

#[derive(Clone, Copy)]
struct PatrolState {
    entity: Entity,
    partner: u16,
    district: Option<u16>,
    detentions_per_tick: u32,
    harm_probability: f64,
    hotspot: bool,
    /// Sector centre this hotspot patrol heads for this tick; `None`: it patrols at random.
    goal: Option<(i32, i32)>,
    drones: bool,
}

/// Epstein's rule parameters, copied once per tick.
#[derive(Clone, Copy)]
pub struct Rule {
    pub enabled: bool,
    pub threshold: f32,
    pub k: f32,
    pub ratio: ArrestRatio,
    pub harm_radius: u32,
    pub tick: u32,
    pub drone_radius: u32,
    /// Largest term drawn, exclusive.
    pub term_bound: u32,
    pub step: bool,
    pub jailed_block: bool,
    pub move_to_arrest: bool,
    /// Probabilities that a patrol (with drones: in the drone radius) reports a sector it sees
    /// active citizens in (`[intel]`).
    pub detect_patrol: f64,
    pub detect_drone: f64,
    /// Decide or arrest first, then move (Mesa), instead of moving first (NetLogo).
    pub act_first: bool,
    /// Detainees serve their terms at their own activations (Mesa), not at the tick's end.
    pub own_release: bool,
}

/// What unrest reads: the scenario, the day, who is who, election volatility, and the partners
/// (posture, caveats, patrol policy, technology).
#[derive(SystemParam)]
pub struct UnrestSetting<'w, 's> {
    config: Res<'w, Config>,
    clock: Res<'w, Clock>,
    roster: Res<'w, Roster>,
    volatility: Res<'w, Volatility>,
    partners: Query<'w, 's, &'static Partner>,
    moves_key: Res<'w, MovesKey>,
}

/// What unrest leaves behind besides citizens' conduct and the agents' cells: hotspot reports,
/// the harm of detentions, and counters.
#[derive(SystemParam)]
pub struct UnrestTraces<'w> {
    intel: ResMut<'w, Intel>,
    exposure: ResMut<'w, Exposure>,
    tally: ResMut<'w, Tally>,
}

pub fn unrest(
    setting: UnrestSetting,
    traces: UnrestTraces,
    mut grid: ResMut<Grid>,
    mut rng: ResMut<UnrestRng>,
    mut scratch: Local<UnrestScratch>,
    mut citizens: Query<CitizenView, With<Citizen>>,
    mut units: Query<(&Unit, &mut Cell, &Operating), Without<Citizen>>,
) {
    let UnrestSetting {
        config,
        clock,
        roster,
        volatility,
        partners,
        moves_key,
    } = setting;
    let UnrestTraces {
        mut intel,
        mut exposure,
        mut tally,
    } = traces;
    let s = &config.0;
    let rule = Rule {
        enabled: s.unrest.enabled,
        threshold: s.unrest.threshold as f32,
        k: s.unrest.k as f32,
        ratio: s.unrest.arrest_ratio,
        harm_radius: s.security.harm_radius,
        tick: clock.tick,
        drone_radius: s.unrest.vision.floor() as u32 + s.intel.drone_range,
        term_bound: match s.unrest.jail_terms {
            crate::scenario::raw::JailTerms::Netlogo => s.unrest.max_jail_term,
            crate::scenario::raw::JailTerms::Mesa => s.unrest.max_jail_term + 1,
        },
        step: s.unrest.movement == crate::scenario::raw::Movement::Step,
        jailed_block: s.unrest.jailed_block_cell,
        move_to_arrest: s.unrest.patrol_moves_to_arrest,
        detect_patrol: s.intel.detect_patrol,
        detect_drone: s.intel.detect_drone,
        act_first: s.unrest.order == crate::scenario::raw::Order::ActThenMove,
        own_release: s.unrest.jail_accounting == crate::scenario::raw::JailAccounting::Activation,
    };
    let sc = &mut *scratch;
    let grid = &mut *grid;
    let intel = &mut *intel;
    let rng = &mut rng.0;
    let drop = &volatility.drop;

    // Caveats and hotspot targets per partner.
    let n_p = roster.partners.len();
    sc.refused.resize(n_p, Vec::new());
    sc.targets.resize(n_p, Vec::new());
    for (p, &e) in roster.partners.iter().enumerate() {
        let partner = partners.get(e).expect("roster lists partners");
        sc.refused[p].clear();
        sc.refused[p].resize(s.districts.len(), false);
        for &d in &partner.caveat_districts {
            sc.refused[p][d as usize] = true;
        }
        sc.targets[p].clear();
        if partner.patrol_policy == PatrolPolicy::Hotspot && partner.has(Technology::Analytics) {
            for sector in 0..intel.sectors() {
                if intel.knows(p, sector, clock.tick, s.intel.memory) {
                    sc.targets[p].push((sector as u32, intel.centre(sector as u32, grid.height)));
                }
            }
        }
    }

    // Patrol presence: the grid still holds last tick's operating patrols at their final cells;
    // only when logistics changed which patrols operate is it rebuilt (marking costs O(vision)
    // per patrol, a large share of a small world's tick).
    sc.patrols.clear();
    sc.patrol_cells.clear();
    for &e in &roster.units {
        let (unit, cell, operating) = units.get(e).expect("roster lists units");
        if unit.kind != UnitKind::Patrol || !operating.0 {
            continue;
        }
        let partner = partners
            .get(roster.partners[unit.partner as usize])
            .expect("roster lists partners");
        let posture = match partner.posture {
            Posture::Restrained => &s.security.restrained,
            Posture::Robust => &s.security.robust,
        };
        sc.patrol_cells.push(cell.0);
        sc.patrols.push(PatrolState {
            entity: e,
            partner: unit.partner as u16,
            district: unit.district,
            detentions_per_tick: if partner.refuses_detain {
                0
            } else {
                posture.detentions_per_tick
            },
            harm_probability: posture.harm_probability,
            hotspot: !sc.targets[unit.partner as usize].is_empty(),
            goal: None,
            drones: partner.has(Technology::Drones),
        });
    }
    grid.sync_patrols(&sc.patrol_cells);
    assign_hotspots(sc, grid, intel.sectors(), s.intel.patrols_per_hotspot);

    // Citizens' state into dense arrays indexed by id (order-independent copy).
    let n = roster.citizens.len();
    sc.cell.resize(n, 0);
    sc.group.resize(n, 0);
    let violence = s.violence.enabled;
    sc.home.resize(n, u16::MAX);
    let roam_anywhere = s.citizens.roam == crate::scenario::raw::Roam::Anywhere;
    sc.mind.resize(n, (0.0, 0.0));
    sc.conduct.resize(n, Conduct::Quiescent);
    for (id, home, cell, conduct, hardship, risk, trust, group) in &citizens {
        let i = id.0 as usize;
        sc.cell[i] = cell.0;
        sc.group[i] = group.0;
        sc.home[i] = if roam_anywhere { u16::MAX } else { home.0 };
        sc.mind[i] = (hardship.current * (1.0 - trust.0), risk.0);
        sc.conduct[i] = *conduct;
    }

    if sc.p_table.is_empty() {
        // C ≤ patrols on the map; a ratio can never exceed the number of patrols.
        sc.p_table = probability_table(rule.k, roster.units.len() + 2);
    }
    let p = sc.patrols.len() as u32;
    let mut order = std::mem::take(&mut sc.order);
    order.clear();
    match s.unrest.activation {
        Activation::RandomSequential => {
            order.extend(0..n as u32 + p);
            shuffle(&mut order, rng);
            for &a in &order {
                if (a as usize) < n {
                    if rule.own_release && serve_term(sc, grid, &rule, a) {
                        continue;
                    }
                    if !rule.act_first {
                        citizen_move(sc, grid, rng, &rule, a);
                    }
                    citizen_decide(sc, grid, &rule, drop, &mut tally, a);
                    if violence {
                        kill(sc, grid, rng, &mut tally, a);
                    }
                    if rule.act_first {
                        citizen_move(sc, grid, rng, &rule, a);
                    }
                } else {
                    let j = (a as usize) - n;
                    if !rule.act_first {
                        patrol_move(sc, grid, rng, &rule, j);
                    }
                    patrol_enforce(sc, grid, intel, rng, &rule, &mut tally, j);
                    if rule.act_first {
                        patrol_move(sc, grid, rng, &rule, j);
                    }
                }
            }
        }
        Activation::Simultaneous => {
            // Citizens move at once (propose, resolve, apply; in parallel, with draws keyed by
            // tick and citizen, so the same at any thread count), then patrols one by one in a
            // shuffled order.
            simultaneous::citizen_moves(sc, grid, &rule, moves_key.0);
            order.extend(0..p);
            shuffle(&mut order, rng);
            for &j in &order {
                patrol_move(sc, grid, rng, &rule, j as usize);
            }
            // Every citizen decides from the same snapshot. Deciding draws no random numbers, so
            // the decisions are computed in parallel and are the same at any thread count; see
            // `simultaneous_flips`.
            if !grid.track_sight() {
                sc.snapshot.rebuild(grid);
            }
            let mut flips = std::mem::take(&mut sc.flips);
            simultaneous_flips(sc, grid, &rule, drop, &mut flips);
            for &i in &flips {
                flip(sc, grid, &mut tally, i);
            }
            sc.flips = flips;
            if violence {
                let mut killers = std::mem::take(&mut sc.citizen_order);
                killers.clear();
                killers.extend(0..n as u32);
                shuffle(&mut killers, rng);
                for &i in &killers {
                    kill(sc, grid, rng, &mut tally, i);
                }
                sc.citizen_order = killers;
            }
            for &j in &order {
                patrol_enforce(sc, grid, intel, rng, &rule, &mut tally, j as usize);
            }
        }
    }
    sc.order = order;
    for &site in &sc.harm_sites {
        exposure.harm_at(grid, site, rule.harm_radius, Perpetrator::Mission);
    }
    sc.harm_sites.clear();

    // Terms are served at the end of the tick (NetLogo: terms 0 and 1 both free next tick),
    // unless detainees serve them at their own activations (Mesa, `serve_term`).
    let jailed_block = rule.jailed_block;
    for i in (0..n).filter(|_| !rule.own_release) {
        if let Conduct::Detained(t) = sc.conduct[i] {
            let left = t.saturating_sub(1);
            if left == 0 {
                sc.conduct[i] = Conduct::Quiescent;
                if !jailed_block {
                    grid.insert_citizen(i as u32, sc.cell[i], false);
                }
            } else {
                sc.conduct[i] = Conduct::Detained(left);
            }
        }
    }

    for (id, _, mut cell, mut conduct, ..) in &mut citizens {
        let i = id.0 as usize;
        if cell.0 != sc.cell[i] {
            cell.0 = sc.cell[i];
        }
        if *conduct != sc.conduct[i] {
            *conduct = sc.conduct[i];
        }
    }
    for (j, ps) in sc.patrols.iter().enumerate() {
        let (_, mut cell, _) = units.get_mut(ps.entity).expect("patrol entity exists");
        cell.0 = grid.patrol_cell(j);
    }
}

/// Where a mover may go (see [`random_empty_cell`]): only within `district` if set, never into
/// a district `refused` marks (a patrol's caveats); one of the eight neighbours with `step`, else
/// anywhere in vision; with `all`, every acceptable cell is collected.
#[derive(Clone, Copy)]
struct MoveRule<'a> {
    district: Option<u16>,
    refused: Option<&'a [bool]>,
    step: bool,
    all: bool,
}

/// Draws of a random vision offset before falling back to a full scan of the vision.
const REJECTION_TRIES: u32 = 16;

/// A uniformly random empty cell in vision (or among the eight neighbours with `step`) that
/// satisfies the district constraints, or `None`.
///
/// Rejection sampling first: draw offsets uniformly until one lands on an acceptable cell, up to
/// [`REJECTION_TRIES`] times (at Epstein's density 0.7 a draw succeeds about 30 % of the time, so
/// the fallback runs for ~0.3 % of moves). Then the full scan, with a uniform pick among all
/// acceptable cells. Each path yields a uniform choice over the same set, so their mixture is
/// uniform too. With `all`, the scan always runs and `sc.candidates` holds every acceptable cell
/// (the hotspot policy needs them).
fn random_empty_cell(
    sc: &mut UnrestScratch,
    grid: &Grid,
    rng: &mut ChaCha8Rng,
    from: u32,
    rule: MoveRule,
) -> Option<u32> {
    let MoveRule {
        district,
        refused,
        step,
        all,
    } = rule;
    let acceptable = |c: u32| {
        let site = grid.site(c);
        let d = site.district();
        site.is_empty() && district.is_none_or(|a| d == a) && refused.is_none_or(|r| !r[d as usize])
    };
    if !step && !all && !grid.vision.is_empty() {
        let interior = grid.interior(from);
        for _ in 0..REJECTION_TRIES {
            let k = rng.random_range(0..grid.vision.len());
            let c = if interior {
                Some((from as i32 + grid.vision_linear[k]) as u32)
            } else {
                let (dx, dy) = grid.vision[k];
                grid.offset(from, dx, dy)
            };
            if let Some(c) = c.filter(|&c| acceptable(c)) {
                return Some(c);
            }
        }
    }
    sc.candidates.clear();
    if step {
        for (dx, dy) in crate::world::geometry::NEIGHBOURS {
            if let Some(c) = grid.offset(from, dx, dy).filter(|&c| acceptable(c)) {
                sc.candidates.push(c);
            }
        }
    } else {
        grid.for_each_in_vision(from, |c| {
            if acceptable(c) {
                sc.candidates.push(c);
            }
        });
    }
    (!sc.candidates.is_empty()).then(|| sc.candidates[rng.random_range(0..sc.candidates.len())])
}

/// Mesa's jail accounting (`Citizen.step`: `if self.jail_sentence: self.jail_sentence -= 1;
/// return`): a detainee with ticks left spends its activation serving one, and `true` is
/// returned; one with none left is released now and goes on to act in this same activation.
fn serve_term(sc: &mut UnrestScratch, grid: &mut Grid, rule: &Rule, i: u32) -> bool {
    let iu = i as usize;
    match sc.conduct[iu] {
        Conduct::Detained(left) if left > 0 => {
            sc.conduct[iu] = Conduct::Detained(left - 1);
            true
        }
        Conduct::Detained(_) => {
            sc.conduct[iu] = Conduct::Quiescent;
            if !rule.jailed_block {
                grid.insert_citizen(i, sc.cell[iu], false);
            }
            false
        }
        _ => false,
    }
}

fn citizen_move(
    sc: &mut UnrestScratch,
    grid: &mut Grid,
    rng: &mut ChaCha8Rng,
    rule: &Rule,
    i: u32,
) {
    let iu = i as usize;
    let Some(active) = sc.conduct[iu].free_active() else {
        return;
    };
    let from = sc.cell[iu];
    let home = Some(sc.home[iu]).filter(|&h| h != u16::MAX);
    let moves = MoveRule {
        district: home,
        refused: None,
        step: rule.step,
        all: false,
    };
    if let Some(to) = random_empty_cell(sc, grid, rng, from, moves) {
        grid.move_citizen(i, from, to, active);
        sc.cell[iu] = to;
    }
}

/// Model II: an active citizen kills a random free member of the other group in vision.
fn kill(sc: &mut UnrestScratch, grid: &mut Grid, rng: &mut ChaCha8Rng, tally: &mut Tally, i: u32) {
    let iu = i as usize;
    if sc.conduct[iu] != Conduct::Active {
        return;
    }
    let (cell, group) = (sc.cell[iu], sc.group[iu]);
    sc.candidates.clear();
    let conduct = &sc.conduct;
    let groups = &sc.group;
    let candidates = &mut sc.candidates;
    let mut collect = |c: u32| {
        candidates.extend(grid.citizens_in(c).filter(|&id| {
            groups[id as usize] != group && conduct[id as usize].free_active().is_some()
        }))
    };
    collect(cell);
    grid.for_each_in_vision(cell, collect);
    if sc.candidates.is_empty() {
        return;
    }
    let victim = sc.candidates[rng.random_range(0..sc.candidates.len())];
    let vu = victim as usize;
    grid.remove_citizen(victim, sc.cell[vu], sc.conduct[vu] == Conduct::Active);
    sc.conduct[vu] = Conduct::Dead;
    tally.killings += 1;
}

fn patrol_move(
    sc: &mut UnrestScratch,
    grid: &mut Grid,
    rng: &mut ChaCha8Rng,
    rule: &Rule,
    j: usize,
) {
    let ps = sc.patrols[j];
    let refused = std::mem::take(&mut sc.refused[ps.partner as usize]);
    let moves = MoveRule {
        district: ps.district,
        refused: Some(&refused),
        step: rule.step,
        all: ps.goal.is_some(),
    };
    let mut to = random_empty_cell(sc, grid, rng, grid.patrol_cell(j), moves);
    sc.refused[ps.partner as usize] = refused;
    if let Some(goal) = ps.goal
        && to.is_some()
    {
        // Predictive policy: of the empty cells in vision, the one nearest the hotspot this
        // patrol was assigned (Chebyshev distance; first in vision order on ties).
        to = sc
            .candidates
            .iter()
            .copied()
            .min_by_key(|&c| grid.chebyshev(c, goal));
    }
    if let Some(to) = to {
        grid.move_patrol(j, to);
    }
}

/// Deconfliction of hotspot patrols: in patrol order, each heads for the nearest hotspot its
/// partner knows that fewer than `need` patrols are already heading for (ties: first known);
/// when every known hotspot has the patrols it needs, it patrols at random instead of
/// bunching up.
fn assign_hotspots(sc: &mut UnrestScratch, grid: &Grid, sectors: usize, need: u32) {
    sc.claimed.clear();
    sc.claimed.resize(sectors, 0);
    for j in 0..sc.patrols.len() {
        let ps = sc.patrols[j];
        if !ps.hotspot {
            continue;
        }
        let here = grid.patrol_cell(j);
        let best = sc.targets[ps.partner as usize]
            .iter()
            .filter(|(sector, _)| sc.claimed[*sector as usize] < need)
            .min_by_key(|(_, centre)| grid.chebyshev(here, *centre))
            .copied();
        if let Some((sector, centre)) = best {
            sc.claimed[sector as usize] += 1;
            sc.patrols[j].goal = Some(centre);
        }
    }
}

/// Active free citizens on `cell` and in vision of it, in vision order.
fn collect_actives_in_sight(grid: &Grid, conduct: &[Conduct], cell: u32, out: &mut Vec<u32>) {
    out.clear();
    let mut collect = |c: u32| {
        if grid.active_here(c) > 0 {
            out.extend(
                grid.citizens_in(c)
                    .filter(|&id| conduct[id as usize] == Conduct::Active),
            );
        }
    };
    collect(cell);
    grid.for_each_in_vision(cell, collect);
}

fn patrol_enforce(
    sc: &mut UnrestScratch,
    grid: &mut Grid,
    intel: &mut Intel,
    rng: &mut ChaCha8Rng,
    rule: &Rule,
    tally: &mut Tally,
    j: usize,
) {
    // What the patrol sees, it reports: sectors with active citizens in vision (with drones, in
    // the wider drone radius).
    let ps = sc.patrols[j];
    if ps.drones {
        grid.for_each_in_square(grid.patrol_cell(j), rule.drone_radius, |c| {
            if grid.active_here(c) > 0 {
                intel.detect(ps.partner, j as u32, c, rule.tick, rule.detect_drone);
            }
        });
    }
    for round in 0..sc.patrols[j].detentions_per_tick.max(1) {
        let (ps, here) = (sc.patrols[j], grid.patrol_cell(j));
        collect_actives_in_sight(grid, &sc.conduct, here, &mut sc.candidates);
        if round == 0 && !ps.drones {
            // Candidates come in vision order, so sectors are reported in the order seen.
            for &id in &sc.candidates {
                let c = sc.cell[id as usize];
                intel.detect(ps.partner, j as u32, c, rule.tick, rule.detect_patrol);
            }
        }
        if round >= sc.patrols[j].detentions_per_tick || sc.candidates.is_empty() {
            return;
        }
        let suspect = sc.candidates[rng.random_range(0..sc.candidates.len())];
        let site = sc.cell[suspect as usize];
        let term = rng.random_range(0..rule.term_bound);
        sc.conduct[suspect as usize] = Conduct::Detained(term);
        if rule.jailed_block {
            // Mesa: the detainee stays on (and blocks) its cell, no longer active.
            grid.turn_quiet(site);
        } else {
            grid.remove_citizen(suspect, site, true);
        }
        tally.detentions += 1;
        if rule.move_to_arrest && round == 0 && site != here {
            // NetLogo moves the cop onto the arrest site.
            grid.move_patrol(j, site);
        }
        if rng.random_bool(ps.harm_probability) {
            tally.harm_incidents += 1;
            sc.harm_sites.push(site);
        }
    }
}
