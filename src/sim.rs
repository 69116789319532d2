//! One run of a scenario: spawn the world, step the schedule, hand back what was recorded.
//! [`Stepper`] is the same run one tick at a time (the classroom view steps it on request);
//! [`AgentSnapshot`] is what a picture of the agents needs (the animation and the page).

use crate::metrics::{DistrictRow, PartnerRow, Recorder, TickRow};
use crate::scenario::{Scenario, UnitKind};
use crate::systems::tick_schedule;
use crate::world::{self, Cell, Citizens, Clock, Conduct, Operating, Unit};
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::Schedule;
use std::sync::Arc;

/// Everything one run recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutput {
    pub ticks: Vec<TickRow>,
    pub districts: Vec<DistrictRow>,
    pub partners: Vec<PartnerRow>,
}

/// Run `scenario` for `ticks` ticks as run number `run` of its seed (see [`crate::rng`]).
pub fn run(scenario: Arc<Scenario>, run: u64, ticks: u32) -> RunOutput {
    run_observed(scenario, run, ticks, |_, _| {})
}

/// [`run`], calling `observe(world, tick)` after each tick (ticks 1..=`ticks`). The observer
/// sees the world read-only, so what it does (e.g. drawing animation frames) cannot change any
/// recorded output.
pub fn run_observed(
    scenario: Arc<Scenario>,
    run: u64,
    ticks: u32,
    mut observe: impl FnMut(&World, u32),
) -> RunOutput {
    let mut stepper = Stepper::new(scenario, run);
    stepper.reserve(ticks);
    for tick in 1..=ticks {
        stepper.step();
        observe(stepper.world(), tick);
    }
    stepper.finish()
}

/// A run advanced one tick at a time: the same world and schedule as [`run`], so stepping
/// `n` times records exactly the rows [`run`] records for `n` ticks.
pub struct Stepper {
    world: World,
    schedule: Schedule,
}

impl Stepper {
    /// Spawn the world of `scenario` as run number `run` (tick 0: nothing recorded yet).
    pub fn new(scenario: Arc<Scenario>, run: u64) -> Self {
        let mut world = world::spawn(scenario, run);
        world.insert_resource(Recorder::default());
        Stepper {
            world,
            schedule: tick_schedule(),
        }
    }

    /// Make room for the tick and district rows of `ticks` more ticks, so that recording them
    /// allocates nothing (a steady tick then allocates next to nothing: `tests/allocations.rs`).
    pub fn reserve(&mut self, ticks: u32) {
        let districts = self
            .world
            .resource::<crate::world::Config>()
            .0
            .districts
            .len();
        (self.world.resource_mut::<Recorder>()).reserve(ticks as usize, districts);
    }

    /// Run one tick.
    pub fn step(&mut self) {
        self.schedule.run(&mut self.world);
    }

    /// Ticks run so far.
    pub fn tick(&self) -> u32 {
        self.world.get_resource::<Clock>().map_or(0, |c| c.tick)
    }

    /// The world, read-only (queries through `world.try_query`).
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Every row recorded so far.
    pub fn recorded(&self) -> &Recorder {
        self.world
            .get_resource::<Recorder>()
            .expect("the recorder is inserted at spawn")
    }

    /// Hand back what was recorded.
    pub fn finish(mut self) -> RunOutput {
        let recorder = self
            .world
            .remove_resource::<Recorder>()
            .expect("the recorder is inserted at spawn");
        RunOutput {
            ticks: recorder.ticks,
            districts: recorder.districts,
            partners: recorder.partners,
        }
    }
}

/// A citizen's state as pictures show it; the order is the drawing order (detained under the
/// free, actives on top).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shown {
    Detained,
    Quiescent,
    Active,
}

/// A unit as pictures show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitDot {
    pub kind: UnitKind,
    pub operating: bool,
    pub cell: u32,
}

/// Where every living citizen and every unit is, sorted (state, then cell; units by cell), so
/// nothing drawn from it depends on the ECS's query order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgentSnapshot {
    pub citizens: Vec<(Shown, u32)>,
    pub units: Vec<UnitDot>,
}

/// How a citizen is shown, or `None` if it is not on the map (dead or displaced).
fn shown(conduct: Conduct) -> Option<Shown> {
    match conduct {
        Conduct::Detained(_) => Some(Shown::Detained),
        Conduct::Quiescent => Some(Shown::Quiescent),
        Conduct::Active => Some(Shown::Active),
        Conduct::Dead | Conduct::Displaced => None,
    }
}

/// Visit every citizen on the map as `f(shown, cell)`, one layer after another — the detained,
/// then the quiescent, then the actives — each layer in id order, without collecting them: a
/// picture drawn in this order has the actives on top, exactly as one drawn from the sorted
/// [`AgentSnapshot`] (within a layer every dot has the same colour).
pub fn for_each_citizen_in_layers(world: &World, mut f: impl FnMut(Shown, u32)) {
    let Some(c) = world.get_resource::<Citizens>() else {
        return;
    };
    for layer in [Shown::Detained, Shown::Quiescent, Shown::Active] {
        for (&cell, &conduct) in c.cell.iter().zip(&c.conduct) {
            if shown(conduct) == Some(layer) {
                f(layer, cell);
            }
        }
    }
}

impl AgentSnapshot {
    /// Read the agents of `world` (read-only).
    pub fn of(world: &World) -> Self {
        let mut citizens = Vec::new();
        if let Some(c) = world.get_resource::<Citizens>() {
            for (&cell, &conduct) in c.cell.iter().zip(&c.conduct) {
                if let Some(shown) = shown(conduct) {
                    citizens.push((shown, cell));
                }
            }
        }
        citizens.sort_unstable();
        AgentSnapshot {
            citizens,
            units: Self::units_of(world),
        }
    }

    /// Every unit, sorted by cell (then kind and whether it operates).
    pub fn units_of(world: &World) -> Vec<UnitDot> {
        let mut units = Vec::new();
        if let Some(mut q) = world.try_query::<(&Cell, &Unit, &Operating)>() {
            for (cell, unit, operating) in q.iter(world) {
                units.push(UnitDot {
                    kind: unit.kind,
                    operating: operating.0,
                    cell: cell.0,
                });
            }
        }
        units.sort_unstable_by_key(|u| (u.cell, u.kind as u8, u.operating));
        units
    }
}
