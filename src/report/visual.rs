//! A whole run with its pictures: simulate while drawing the agent view, then the charts, the
//! district maps and `report.html`, all handed to [`super::write_run`] with the CSV and JSON.

use super::animation::{FrameRecorder, Recorded, Window};
use super::{ReportError, RunIdentity, Streamed, html, maps, run_charts, write_run};
use crate::scenario::Scenario;
use crate::sim::{self, RunOutput};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// A run and the files drawn from it, not yet written.
pub struct Drawn {
    pub output: RunOutput,
    /// Charts, maps, frames and report.html, by file name.
    pub files: Vec<(String, Vec<u8>)>,
    /// The agent views (`agents-day-NNNN.png`), already in temporaries of the run's folder.
    pub pictures: Vec<(String, Streamed)>,
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
/// agent views (with an `animate` window, its frames and `animation.gif`) and `report.html`. Returns the run,
/// the drawn files and the time spent simulating (with the agent view drawn as it goes). The
/// caller holds `dir`: the agent views are written to temporaries there as they are drawn.
pub fn draw(
    s: Arc<Scenario>,
    identity: &RunIdentity,
    dir: &Path,
    animate: Option<Window>,
) -> Result<Drawn, ReportError> {
    let started = std::time::Instant::now();
    let map_ticks = maps::map_ticks(identity.ticks);
    let mut frames = FrameRecorder::new(s.clone(), identity.ticks, map_ticks.clone(), animate, dir);
    let output = sim::run_observed(s.clone(), identity.run, identity.ticks, |w, t| {
        frames.observe(w, t)
    });
    let simulated_in = started.elapsed();
    // The charts and the district maps are independent pictures: drawn side by side.
    let (charts, district_maps) = rayon::join(
        || run_charts::run_charts(&s, &output, dir),
        || maps::district_maps(&s, &output.districts, &map_ticks, dir),
    );
    let mut extra = charts?;
    extra.extend(district_maps?);
    let Recorded { pictures, files } = frames.finish()?;
    extra.extend(files);
    // The page embeds the agent views: read back for it (the world is gone by now) after the
    // other files, then dropped again.
    let drawn = extra.len();
    for (name, file) in &pictures {
        extra.push((name.clone(), file.read_back()?));
    }
    let page = html::run_page(&s, identity, &output, &extra);
    extra.truncate(drawn);
    extra.push(("report.html".into(), page));
    Ok(Drawn {
        output,
        files: extra,
        pictures,
        simulated_in,
    })
}

/// [`draw`], then write every output into `dir`.
pub fn run_and_write(
    s: Arc<Scenario>,
    identity: &RunIdentity,
    dir: &Path,
    animate: Option<Window>,
) -> Result<Written, ReportError> {
    let Drawn {
        output,
        files: extra,
        pictures,
        simulated_in,
    } = draw(s, identity, dir, animate)?;
    let files = write_run(dir, identity, &output, extra, pictures)?;
    Ok(Written {
        output,
        files,
        simulated_in,
    })
}
