//! The systems of a tick, one file per mechanism, and THE schedule that orders them.
//!
//! Tick order (read top to bottom; every system runs once per tick, single-threaded):
//! 1. [`begin_tick`] — advance the clock, reset this tick's tallies;
//! 2. [`events::events`] — apply this tick's timeline events, expire election volatility;
//! 3. [`logistics::logistics`] — supply in, units the supply covers operate, convoys run,
//!    misconduct, mission credibility and escorts;
//! 4. [`unrest::unrest`] — Epstein civil violence: move, turn active or quiet, detain (and, in
//!    Model II, kill); patrols report hotspots they see;
//! 5. [`demography::demography`] — Model II only: ageing, deaths, births;
//! 6. [`spoilers::spoilers`] — spoiler groups are detected, recruit, are contained, attack;
//! 7. [`district::district_picture`] — residents, troops, coverage and security per district;
//!    then [`displacement::displacement`] — citizens flee danger and return when it is safe;
//! 8. [`hardship::hardship`] — hardship drifts back toward its baseline;
//! 9. [`aid::aid`] — aid teams move within access and lower hardship; local presence;
//! 10. [`intel::intel`] — partners share fresh reports (hotspots, spoilers); due reports arrive;
//! 11. [`trust::trust`] — community trust follows security, aid, harm and need;
//! 12. [`standing::standing`] — community trust in each partner per district (acceptance);
//!     then [`consent::consent`] — the host government's consent follows trust, harm, disunity;
//! 13. [`coordination::coordination`] — trust between partners grows; mechanism costs;
//! 14. [`politics::politics`] — casualties and spending erode commitment; withdrawals;
//! 15. [`crate::metrics::record`], [`crate::metrics::record_standing`] — the tick's metrics
//!     are appended to the recorder.

pub mod aid;
pub mod consent;
pub mod coordination;
pub mod demography;
pub mod displacement;
pub mod district;
pub mod events;
pub mod hardship;
pub mod intel;
pub mod logistics;
pub mod politics;
pub mod spoilers;
pub mod standing;
pub mod trust;
pub mod unrest;

use crate::world::{Clock, Exposure, Intel, Standing, Tally};
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings, SingleThreadedExecutor};

/// Advance the clock and clear everything that accumulates within a tick: the tallies, the
/// exposure to harm and local presence, and the partners' first-hand observations. Nothing else
/// clears them, so what any system adds during the tick reaches every later reader.
pub fn begin_tick(
    mut clock: ResMut<Clock>,
    mut tally: ResMut<Tally>,
    mut exposure: ResMut<Exposure>,
    mut intel: ResMut<Intel>,
    mut standing: ResMut<Standing>,
) {
    clock.tick += 1;
    *tally = Tally::default();
    exposure.clear();
    intel.fresh.clear();
    standing.clear_tick();
}

/// The one schedule of a tick. Build a fresh one for every run: systems keep local state.
pub fn tick_schedule() -> Schedule {
    let mut schedule = Schedule::default();
    schedule.set_executor(SingleThreadedExecutor::new());
    schedule.set_build_settings(ScheduleBuildSettings {
        ambiguity_detection: LogLevel::Error,
        ..Default::default()
    });
    schedule.add_systems(
        (
            begin_tick,
            events::events,
            logistics::logistics,
            unrest::unrest,
            demography::demography,
            spoilers::spoilers,
            district::district_picture,
            displacement::displacement,
            hardship::hardship,
            aid::aid,
            intel::intel,
            trust::trust,
            standing::standing,
            consent::consent,
            coordination::coordination,
            politics::politics,
            crate::metrics::record,
            crate::metrics::record_standing,
        )
            .chain(),
    );
    schedule
}
