//! What accumulates on the map within one tick and is read later in the same tick: exposure to
//! trust-damaging incidents and local organisations' presence. Only `begin_tick` clears it, so
//! every incident of the tick (attacks in `events`, misconduct in `logistics`, civilian harm in
//! `unrest`) reaches `trust`.

use crate::world::Grid;
use bevy_ecs::prelude::*;

#[derive(Resource, Debug, Clone)]
pub struct Exposure {
    /// Trust-damaging incidents this tick within the harm radius of each cell.
    harm: Vec<u16>,
    /// Local-organisation teams working within reach of each cell this tick.
    local: Vec<u16>,
    /// Incidents of harm by the mission (its forces' enforcement, its contractors' misconduct)
    /// in each district this tick: what communities blame the mission's partners for.
    mission_harm: Vec<u32>,
    /// This tick's incidents: (cell, radius), in the order they happened.
    sites: Vec<(u32, u32)>,
    /// Whether `local` holds a team anywhere this tick.
    any_local: bool,
}

/// Who caused a trust-damaging incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perpetrator {
    /// The mission: a force's enforcement or a contractor's misconduct.
    Mission,
    /// Armed spoilers.
    Spoilers,
}

impl Exposure {
    pub fn new(cells: usize, districts: usize) -> Self {
        Exposure {
            harm: vec![0; cells],
            local: vec![0; cells],
            mission_harm: vec![0; districts],
            sites: Vec::new(),
            any_local: false,
        }
    }

    /// Start a new tick: nothing has happened yet.
    pub fn clear(&mut self) {
        // Only what this tick wrote (at 10⁶ cells each array is megabytes to rewrite).
        if !self.sites.is_empty() {
            self.harm.fill(0);
        }
        if self.any_local {
            self.local.fill(0);
        }
        self.mission_harm.fill(0);
        self.sites.clear();
        self.any_local = false;
    }

    /// Record a trust-damaging incident at `cell` caused by `by`: every cell within `radius` is
    /// exposed.
    pub fn harm_at(&mut self, grid: &Grid, cell: u32, radius: u32, by: Perpetrator) {
        self.sites.push((cell, radius));
        if by == Perpetrator::Mission {
            self.mission_harm[grid.district[cell as usize] as usize] += 1;
        }
        grid.for_each_in_square(cell, radius, |c| {
            let h = &mut self.harm[c as usize];
            *h = h.saturating_add(1);
        });
    }

    /// A local organisation's team works within reach of `cell`.
    pub fn local_at(&mut self, cell: u32) {
        let l = &mut self.local[cell as usize];
        *l = l.saturating_add(1);
        self.any_local = true;
    }

    /// Whether any incident of harm happened this tick.
    pub fn any_harm(&self) -> bool {
        !self.sites.is_empty()
    }

    /// This tick's incidents as (cell, radius).
    pub fn sites(&self) -> &[(u32, u32)] {
        &self.sites
    }

    /// Incidents this tick within the harm radius of `cell`.
    pub fn harm(&self, cell: usize) -> u16 {
        self.harm[cell]
    }

    /// Incidents of harm by the mission in district `d` this tick.
    pub fn mission_harm(&self, d: usize) -> u32 {
        self.mission_harm[d]
    }

    /// Whether a local organisation works within reach of `cell` this tick.
    pub fn local(&self, cell: usize) -> bool {
        self.local[cell] > 0
    }

    /// Whether a local organisation works anywhere this tick (else [`Exposure::local`] is false
    /// everywhere and need not be read cell by cell).
    pub fn any_local(&self) -> bool {
        self.any_local
    }
}
