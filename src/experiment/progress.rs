//! Progress of long work: a bar with ETA on a terminal (indicatif), plain periodic lines on
//! stderr otherwise (CI logs, Slurm output files), nothing at all when asked for quiet.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Progress {
    bar: Option<ProgressBar>,
    plain: Option<Mutex<(Instant, u64)>>,
    total: u64,
    label: String,
}

impl Progress {
    pub fn new(label: &str, total: u64, quiet: bool) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let bar = (!quiet && terminal).then(|| {
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template(
                    "{msg} [{bar:40}] {pos}/{len} runs  {per_sec}  ETA {eta}",
                )
                .expect("template is valid")
                .progress_chars("=> "),
            );
            bar.set_message(label.to_string());
            bar
        });
        let plain = (!quiet && !terminal).then(|| Mutex::new((Instant::now(), 0)));
        Progress {
            bar,
            plain,
            total,
            label: label.to_string(),
        }
    }

    /// One more run is done.
    pub fn tick(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
        if let Some(plain) = &self.plain {
            let mut state = plain.lock().unwrap_or_else(|e| e.into_inner());
            state.1 += 1;
            if state.0.elapsed() >= Duration::from_secs(10) || state.1 == self.total {
                eprintln!("{}: {}/{} runs done", self.label, state.1, self.total);
                state.0 = Instant::now();
            }
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
