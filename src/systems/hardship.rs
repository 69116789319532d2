//! Hardship recovery: without aid, a citizen's hardship drifts back toward its baseline.
//! Runs before aid, so aid delivered this tick shows in this tick's metrics.
//!
//! ```text
//! H ← H + ρ·(H_base − H),  ρ = citizens.hardship_recovery
//! ```

use crate::world::{Citizens, Config};
use bevy_ecs::prelude::*;

pub fn hardship(config: Res<Config>, mut citizens: ResMut<Citizens>) {
    let rho = config.0.citizens.hardship_recovery as f32;
    if rho == 0.0 {
        return;
    }
    for h in &mut citizens.hardship {
        let gap = h.baseline - h.current;
        if gap != 0.0 {
            h.current += rho * gap;
        }
    }
}
