//! One run of a scenario: spawn the world, step the schedule, hand back what was recorded.

use crate::metrics::{DistrictRow, Recorder, TickRow};
use crate::scenario::Scenario;
use crate::systems::tick_schedule;
use crate::world;
use std::sync::Arc;

/// Everything one run recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutput {
    pub ticks: Vec<TickRow>,
    pub districts: Vec<DistrictRow>,
}

/// Run `scenario` for `ticks` ticks as run number `run` of its seed (see [`crate::rng`]).
pub fn run(scenario: Arc<Scenario>, run: u64, ticks: u32) -> RunOutput {
    let mut world = world::spawn(scenario, run);
    world.insert_resource(Recorder::default());
    let mut schedule = tick_schedule();
    for _ in 0..ticks {
        schedule.run(&mut world);
    }
    let recorder = world
        .remove_resource::<Recorder>()
        .expect("the recorder was inserted above");
    RunOutput {
        ticks: recorder.ticks,
        districts: recorder.districts,
    }
}
