//! One run of a scenario: spawn the world, step the schedule, hand back what was recorded.

use crate::metrics::{DistrictRow, PartnerRow, Recorder, TickRow};
use crate::scenario::Scenario;
use crate::systems::tick_schedule;
use crate::world;
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
    mut observe: impl FnMut(&bevy_ecs::world::World, u32),
) -> RunOutput {
    let mut world = world::spawn(scenario, run);
    world.insert_resource(Recorder::default());
    let mut schedule = tick_schedule();
    for tick in 1..=ticks {
        schedule.run(&mut world);
        observe(&world, tick);
    }
    let recorder = world
        .remove_resource::<Recorder>()
        .expect("the recorder was inserted above");
    RunOutput {
        ticks: recorder.ticks,
        districts: recorder.districts,
        partners: recorder.partners,
    }
}
