//! Community trust in each partner, per district: a partner's *standing* with the people of a
//! district (docs/MODEL.md §3.17). The mission's trust (`Trust`, per citizen) is what the
//! stability composite reads; standing is what decides whether a partner's aid teams are
//! accepted where security cannot protect them, and what an NGO gives up by working with forces.
//!
//! Written only by `systems/standing.rs` (the update) and `systems/aid.rs` (who served whom this
//! tick); the per-tick `served` counts are cleared only by `begin_tick`.

use bevy_ecs::prelude::*;

#[derive(Resource, Debug, Clone)]
pub struct Standing {
    districts: usize,
    /// Trust of district d's residents in partner p, at `p * districts + d`, in [0, 1].
    trust: Vec<f64>,
    /// Residents of district d that partner p's teams served this tick, same layout.
    served: Vec<u32>,
}

impl Standing {
    /// Every partner starts with each district's initial trust in the mission.
    pub fn new(partners: usize, initial: &[f64]) -> Self {
        Standing {
            districts: initial.len(),
            trust: (0..partners)
                .flat_map(|_| initial.iter().copied())
                .collect(),
            served: vec![0; partners * initial.len()],
        }
    }

    /// Start a new tick: nobody has been served yet.
    pub fn clear_tick(&mut self) {
        self.served.fill(0);
    }

    /// Partner `p`'s team served one resident of district `d` this tick.
    pub fn serve(&mut self, p: usize, d: usize) {
        self.served[p * self.districts + d] += 1;
    }

    pub fn served(&self, p: usize, d: usize) -> u32 {
        self.served[p * self.districts + d]
    }

    /// Trust of district `d` in partner `p`.
    pub fn get(&self, p: usize, d: usize) -> f64 {
        self.trust[p * self.districts + d]
    }

    pub fn set(&mut self, p: usize, d: usize, v: f64) {
        self.trust[p * self.districts + d] = v;
    }

    pub fn districts(&self) -> usize {
        self.districts
    }
}
