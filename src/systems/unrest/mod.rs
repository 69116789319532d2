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
//! Layout: [`unrest`] reads as its phases, in order (the rule, partners' orders, patrol
//! presence, citizens into scratch, one activation scheme, harm, end-of-tick terms, copy back),
//! all sharing one [`UnrestScratch`]. The per-agent steps live beside it: `moves.rs` (a random
//! acceptable empty cell), `citizens.rs` (serving a term, moving, killing, end-of-tick release),
//! `patrols.rs` (presence, hotspots, moves, enforcement), `decide.rs` (the decision rule and both
//! schemes' decision passes) and `simultaneous.rs` (citizens' simultaneous moves). They take the
//! shared types (the scratch, [`Rule`], the system parameters) from `super`; siblings share only
//! `moves.rs`.

use crate::scenario::{Activation, ArrestRatio, PatrolPolicy, Scenario, Technology};
use crate::world::{
    Cell, Citizens, Clock, Conduct, Config, Exposure, Grid, Intel, MovesKey, Operating, Partner,
    Perpetrator, Roster, Tally, Unit, UnrestRng, Volatility, shuffle,
};
use bevy_ecs::prelude::*;
use bevy_ecs::system::SystemParam;
use citizens::{citizen_move, kill, serve_term};
use decide::{citizen_decide, flip, probability_table, simultaneous_flips};
use patrols::{patrol_enforce, patrol_move};
use rand_chacha::ChaCha8Rng;

mod citizens;
mod decide;
mod moves;
mod patrol_bands;
mod patrols;
mod simultaneous;
pub use decide::arrest_probability;

/// What unrest reads and writes of a unit (patrols' cells).
type UnitView = (&'static Unit, &'static mut Cell, &'static Operating);

impl UnrestScratch {
    /// The district citizen `i` must stay in, or `None` where citizens roam anywhere.
    #[inline]
    fn home_of(&self, i: usize) -> Option<u16> {
        (!self.roam_anywhere).then(|| self.home[i])
    }

    /// Citizen `i`'s grievance G = H·(1 − T) and risk aversion R.
    #[inline]
    fn mind(&self, i: usize) -> (f32, f32) {
        (self.hardship[i].grievance(self.trust[i]), self.risk[i])
    }
}

/// Reused buffers, so a steady-state tick allocates nothing. `cell`, `group`, `home` and
/// `conduct` are the [`Citizens`] arrays themselves, lent to unrest for the system's run
/// (moved in and back, not copied).
#[derive(Default)]
pub struct UnrestScratch {
    cell: Vec<u32>,
    /// Model II group per citizen.
    group: Vec<u8>,
    /// Home district per citizen.
    home: Vec<u16>,
    /// Citizens roam anywhere (`citizens.roam`), not only within their home district.
    roam_anywhere: bool,
    /// Hardship, trust and risk aversion per citizen (read only: a decision's grievance
    /// G = H·(1 − T) and R).
    hardship: Vec<crate::world::Hardship>,
    trust: Vec<f32>,
    risk: Vec<f32>,
    conduct: Vec<Conduct>,
    patrols: Vec<PatrolState>,
    /// Cells of `patrols` as read from the ECS this tick (synced to the grid, which owns them after).
    patrol_cells: Vec<u32>,
    order: Vec<u32>,
    /// Simultaneous activation with violence: the citizens' shuffled order for killing.
    citizen_order: Vec<u32>,
    candidates: Vec<u32>,
    /// Simultaneous activation: the smallest priority bidding for each cell (`u64::MAX`: none).
    claim: Vec<std::sync::atomic::AtomicU64>,
    /// Simultaneous activation: the patrols of each band of rows, as (priority, patrol), in the
    /// order they act (`patrol_bands.rs`).
    patrol_bands: Vec<Vec<patrol_bands::Turn>>,
    /// Simultaneous activation: what each band did in enforcement's current phase.
    band_effects: Vec<patrol_bands::BandEffects>,
    /// Simultaneous activation: citizens whose decision differs from their conduct this tick.
    flips: Vec<u32>,
    /// Simultaneous activation: the decision pass's bands of rows.
    decide_bands: Vec<decide::DecideBand>,
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
    /// The detainees each chunk of citizens released at the end of the tick, in id order.
    released: Vec<Vec<u32>>,
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

impl Rule {
    /// The rule for this tick.
    fn of(s: &Scenario, tick: u32) -> Rule {
        Rule {
            enabled: s.unrest.enabled,
            threshold: s.unrest.threshold as f32,
            k: s.unrest.k as f32,
            ratio: s.unrest.arrest_ratio,
            harm_radius: s.security.harm_radius,
            tick,
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
            own_release: s.unrest.jail_accounting
                == crate::scenario::raw::JailAccounting::Activation,
        }
    }
}

/// What an activation scheme acts with: the tick's rule, election volatility's legitimacy drop
/// per district, whether Model II's violence is on, and what it changes besides the scratch.
struct Acting<'a> {
    rule: &'a Rule,
    drop: &'a [f32],
    violence: bool,
    grid: &'a mut Grid,
    intel: &'a mut Intel,
    tally: &'a mut Tally,
    rng: &'a mut ChaCha8Rng,
}

/// One tick of unrest, phase by phase (see the module docs); every draw comes from [`UnrestRng`]
/// in the order the phases make them, except simultaneous citizen moves' keyed draws.
pub fn unrest(
    setting: UnrestSetting,
    traces: UnrestTraces,
    mut grid: ResMut<Grid>,
    mut rng: ResMut<UnrestRng>,
    mut scratch: Local<UnrestScratch>,
    mut citizens: ResMut<Citizens>,
    mut units: Query<UnitView>,
) {
    let UnrestTraces {
        mut intel,
        mut exposure,
        mut tally,
    } = traces;
    let s = &setting.config.0;
    let rule = Rule::of(s, setting.clock.tick);
    let sc = &mut *scratch;
    let grid = &mut *grid;

    partners_orders(sc, &setting, &intel, grid.height);
    patrols::presence(sc, &setting, &units, grid, intel.sectors());
    citizens_into_scratch(sc, &setting, &mut citizens);
    if sc.p_table.is_empty() {
        // C ≤ patrols on the map; a ratio can never exceed the number of patrols.
        sc.p_table = probability_table(rule.k, setting.roster.units.len() + 2);
    }
    let acting = Acting {
        rule: &rule,
        drop: &setting.volatility.drop,
        violence: s.violence.enabled,
        grid: &mut *grid,
        intel: &mut intel,
        tally: &mut tally,
        rng: &mut rng.0,
    };
    match s.unrest.activation {
        Activation::RandomSequential => random_sequential(sc, acting),
        Activation::Simultaneous => simultaneous_activation(sc, acting, setting.moves_key.0),
    }
    harm_to_exposure(sc, grid, &mut exposure, rule.harm_radius);
    citizens::serve_terms_at_end(sc, grid, &rule);
    give_back(sc, grid, &mut citizens, &mut units);
}

/// Caveats (the districts each partner refuses) and hotspot targets (the sectors each partner
/// using the hotspot policy knows of) per partner.
fn partners_orders(sc: &mut UnrestScratch, setting: &UnrestSetting, intel: &Intel, height: u32) {
    let s = &setting.config.0;
    let tick = setting.clock.tick;
    let n_p = setting.roster.partners.len();
    sc.refused.resize(n_p, Vec::new());
    sc.targets.resize(n_p, Vec::new());
    for (p, &e) in setting.roster.partners.iter().enumerate() {
        let partner = setting.partners.get(e).expect("roster lists partners");
        sc.refused[p].clear();
        sc.refused[p].resize(s.districts.len(), false);
        for &d in &partner.caveat_districts {
            sc.refused[p][d as usize] = true;
        }
        sc.targets[p].clear();
        if partner.patrol_policy == PatrolPolicy::Hotspot && partner.has(Technology::Analytics) {
            for sector in 0..intel.sectors() {
                if intel.knows(p, sector, tick, s.intel.memory) {
                    sc.targets[p].push((sector as u32, intel.centre(sector as u32, height)));
                }
            }
        }
    }
}

/// The citizens' arrays unrest changes (cell, conduct) or reads (group, home, and hardship,
/// trust and risk aversion for decisions) are lent to the scratch for this run of the system
/// (moved, not copied; [`give_back`] returns them).
fn citizens_into_scratch(sc: &mut UnrestScratch, setting: &UnrestSetting, citizens: &mut Citizens) {
    sc.cell = std::mem::take(&mut citizens.cell);
    sc.conduct = std::mem::take(&mut citizens.conduct);
    sc.group = std::mem::take(&mut citizens.group);
    sc.home = std::mem::take(&mut citizens.home);
    // With one district, staying in one's home district constrains nothing.
    let s = &setting.config.0;
    sc.roam_anywhere =
        s.citizens.roam == crate::scenario::raw::Roam::Anywhere || s.districts.len() == 1;
    sc.hardship = std::mem::take(&mut citizens.hardship);
    sc.trust = std::mem::take(&mut citizens.trust);
    sc.risk = std::mem::take(&mut citizens.risk);
}

/// Random-sequential activation: citizens and patrols shuffled together, each acting in turn.
fn random_sequential(sc: &mut UnrestScratch, acting: Acting) {
    let Acting {
        rule,
        drop,
        violence,
        grid,
        intel,
        tally,
        rng,
    } = acting;
    let n = sc.cell.len();
    let p = sc.patrols.len() as u32;
    let mut order = std::mem::take(&mut sc.order);
    order.clear();
    order.extend(0..n as u32 + p);
    shuffle(&mut order, rng);
    for &a in &order {
        if (a as usize) < n {
            if rule.own_release && serve_term(sc, grid, rule, a) {
                continue;
            }
            if !rule.act_first {
                citizen_move(sc, grid, rng, rule, a);
            }
            citizen_decide(sc, grid, rule, drop, tally, a);
            if violence {
                kill(sc, grid, rng, tally, a);
            }
            if rule.act_first {
                citizen_move(sc, grid, rng, rule, a);
            }
        } else {
            let j = (a as usize) - n;
            if !rule.act_first {
                patrol_move(sc, grid, rng, rule, j);
            }
            let mut direct = patrols::Direct {
                sc: &mut *sc,
                grid: &mut *grid,
                intel: &mut *intel,
                tally: &mut *tally,
                jailed_block: rule.jailed_block,
            };
            patrol_enforce(&mut direct, rng, rule, j);
            if rule.act_first {
                patrol_move(sc, grid, rng, rule, j);
            }
        }
    }
    sc.order = order;
}

/// Simultaneous activation: citizens move at once (propose, resolve, apply; in parallel, with
/// draws keyed by tick and citizen, so the same at any thread count), then patrols one by one in
/// band order (`patrol_bands.rs`, bands of a phase side by side); every citizen decides from the
/// same snapshot; then killing (Model II) in a shuffled order and the patrols' enforcement, in
/// band order again.
fn simultaneous_activation(sc: &mut UnrestScratch, acting: Acting, moves_key: u64) {
    let Acting {
        rule,
        drop,
        violence,
        grid,
        intel,
        tally,
        rng,
    } = acting;
    let n = sc.cell.len();
    simultaneous::citizen_moves(sc, grid, rule, moves_key);
    let reach = patrol_bands::reach(grid, sc, rule);
    let (move_key, enforce_key) = (
        crate::rng::mix64(moves_key ^ PATROL_MOVES),
        crate::rng::mix64(moves_key ^ ENFORCEMENT),
    );
    patrol_bands::move_by_bands(sc, grid, rule, move_key, reach);
    // Deciding draws no random numbers, so the decisions are computed in parallel and are the
    // same at any thread count; see `simultaneous_flips`.
    if !grid.track_sight() {
        sc.snapshot.rebuild(grid);
    }
    let mut flips = std::mem::take(&mut sc.flips);
    simultaneous_flips(sc, grid, rule, drop, &mut flips);
    for &i in &flips {
        flip(sc, grid, tally, i);
    }
    sc.flips = flips;
    if violence {
        let mut killers = std::mem::take(&mut sc.citizen_order);
        killers.clear();
        killers.extend(0..n as u32);
        shuffle(&mut killers, rng);
        for &i in &killers {
            kill(sc, grid, rng, tally, i);
        }
        sc.citizen_order = killers;
    }
    patrol_bands::enforce_by_bands(sc, grid, intel, tally, rule, enforce_key, reach);
}

/// Salts of the patrols' counter-based streams (moves, enforcement), derived from the moves key
/// so that they differ from the citizens' streams and from each other.
const PATROL_MOVES: u64 = 0x5041_5452_4f4c_4d56;
const ENFORCEMENT: u64 = 0x454e_464f_5243_4500;

/// Harm of this tick's detentions, at their sites, into [`Exposure`].
fn harm_to_exposure(sc: &mut UnrestScratch, grid: &Grid, exposure: &mut Exposure, radius: u32) {
    for &site in &sc.harm_sites {
        exposure.harm_at(grid, site, radius, Perpetrator::Mission);
    }
    sc.harm_sites.clear();
}

/// The citizens' arrays back to [`Citizens`], and the patrols' cells into the ECS.
fn give_back(
    sc: &mut UnrestScratch,
    grid: &Grid,
    citizens: &mut Citizens,
    units: &mut Query<UnitView>,
) {
    citizens.cell = std::mem::take(&mut sc.cell);
    citizens.conduct = std::mem::take(&mut sc.conduct);
    citizens.group = std::mem::take(&mut sc.group);
    citizens.home = std::mem::take(&mut sc.home);
    citizens.hardship = std::mem::take(&mut sc.hardship);
    citizens.trust = std::mem::take(&mut sc.trust);
    citizens.risk = std::mem::take(&mut sc.risk);
    for (j, ps) in sc.patrols.iter().enumerate() {
        let (_, mut cell, _) = units.get_mut(ps.entity).expect("patrol entity exists");
        cell.0 = grid.patrol_cell(j);
    }
}
