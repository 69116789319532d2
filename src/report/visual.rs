//! A whole run with its pictures: simulate while drawing the agent view, then the charts, the
//! district maps and `report.html`, all handed to [`super::write_run`] with the CSV and JSON.

use super::animation::FrameRecorder;
use super::{ReportError, RunIdentity, html, maps, run_charts, write_run};
use crate::scenario::Scenario;
use crate::sim::{self, RunOutput};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// A run and the files drawn from it, not yet written.
pub struct Drawn {
    pub output: RunOutput,
    /// Charts, maps, agent views, frames and report.html, by file name.
    pub files: Vec<(String, Vec<u8>)>,
    pub simulated_in: Duration,
}

/// What [`run_and_write`] did.
pub struct Written {
    pub output: RunOutput,
    pub files: Vec<PathBuf>,
    /// Time spent simulating (with the agent view drawn as it goes).
    pub simulated_in: Duration,
}

/// Run `s` as run `identity.run` for `identity.ticks` ticks and draw everything: charts, maps,
/// agent views (with `animate`, frames and `animation.gif`) and `report.html`. Returns the run,
/// the drawn files and the time spent simulating (with the agent view drawn as it goes).
pub fn draw(
    s: Arc<Scenario>,
    identity: &RunIdentity,
    dir: &Path,
    animate: bool,
) -> Result<Drawn, ReportError> {
    let started = std::time::Instant::now();
    let map_ticks = maps::map_ticks(identity.ticks);
    let mut frames = FrameRecorder::new(s.clone(), identity.ticks, map_ticks.clone(), animate);
    let output = sim::run_observed(s.clone(), identity.run, identity.ticks, |w, t| {
        frames.observe(w, t)
    });
    let simulated_in = started.elapsed();
    let mut extra = run_charts::run_charts(&s, &output, dir)?;
    extra.extend(maps::district_maps(&s, &output.districts, &map_ticks, dir)?);
    extra.extend(frames.finish());
    let page = html::run_page(&s, identity, &output, &extra);
    extra.push(("report.html".into(), page));
    Ok(Drawn {
        output,
        files: extra,
        simulated_in,
    })
}

/// [`draw`], then write every output into `dir`.
pub fn run_and_write(
    s: Arc<Scenario>,
    identity: &RunIdentity,
    dir: &Path,
    animate: bool,
) -> Result<Written, ReportError> {
    let Drawn {
        output,
        files: extra,
        simulated_in,
    } = draw(s, identity, dir, animate)?;
    let files = write_run(dir, identity, &output, extra)?;
    Ok(Written {
        output,
        files,
        simulated_in,
    })
}
