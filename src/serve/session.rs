//! One simulation session of the classroom view, and the table of live sessions.
//!
//! A session is a [`Branch`] (scenario text, seed, interventions) and the [`Stepper`] running
//! it. Changing a branch (a lever, an injected event, a new seed) rebuilds the run from its
//! scenario and replays it to the current tick: a bevy `World` cannot be cloned, and replay is
//! exact because runs are deterministic and an intervention only acts from its own tick on.
//! A fork is the same replay into a new session.
//!
//! Limits: at most `max_sessions` at once; a session idle for `idle` is dropped; each
//! session's scenario must fit `memory_budget` by the scenario's own memory estimate
//! (`scenario::limits`), which counts every tick the run may record.

use super::branch::{Branch, Intervention, MAX_FILE_SEED, seed_refused};
use super::error::ApiError;
use crate::metrics::Recorder;
use crate::report::{self, RunIdentity};
use crate::scenario::Scenario;
use crate::sim::Stepper;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One run driven from a page.
pub struct Session {
    pub branch: Branch,
    pub scenario: Arc<Scenario>,
    pub stepper: Stepper,
    memory_budget: u64,
}

impl Session {
    /// What the page has shown so far as `peacesim run` of the export writes `name`: the same
    /// columns, identity (run 0 of the branch's seed) and number format, so those are its first
    /// lines. `rows` picks the recorder's rows for that file.
    pub fn recorded_csv<R: serde::Serialize>(
        &self,
        name: &str,
        rows: fn(&Recorder) -> &[R],
    ) -> Result<Vec<u8>, crate::report::ReportError> {
        let csv = report::csv_bytes(rows(self.stepper.recorded()), Path::new(name))?;
        let identity = RunIdentity {
            scenario_name: self.scenario.name.clone(),
            scenario_file: self.branch.file.clone(),
            scenario_sha256: String::new(),
            seed: self.branch.seed,
            run: 0,
            ticks: self.tick(),
            command_line: Vec::new(),
        };
        Ok(report::run::with_identity(&csv, &identity))
    }

    /// A session at tick 0 of `branch`.
    pub fn new(branch: Branch, memory_budget: u64) -> Result<Session, ApiError> {
        if branch.seed > MAX_FILE_SEED {
            return Err(seed_refused(branch.seed));
        }
        let scenario = Arc::new(branch.scenario(memory_budget)?);
        Ok(Session {
            stepper: Stepper::new(scenario.clone(), 0),
            branch,
            scenario,
            memory_budget,
        })
    }

    pub fn tick(&self) -> u32 {
        self.stepper.tick()
    }

    /// Run up to `n` more ticks, never past the scenario's last tick. Returns the ticks run.
    pub fn step(&mut self, n: u32) -> u32 {
        let left = self.scenario.ticks.saturating_sub(self.tick());
        let n = n.min(left);
        for _ in 0..n {
            self.stepper.step();
        }
        n
    }

    /// Rebuild the run from `branch` and replay it to tick `to` (the same run up to there).
    fn replay(&mut self, branch: Branch, to: u32) -> Result<(), ApiError> {
        let mut next = Session::new(branch, self.memory_budget)?;
        next.step(to);
        *self = next;
        Ok(())
    }

    /// Apply `iv` from the next tick on: it becomes an `[[events]]` entry at tick now + 1.
    /// Refused (and the session unchanged) when the scenario's validation refuses it.
    pub fn intervene(&mut self, mut iv: Intervention) -> Result<(), ApiError> {
        let now = self.tick();
        if now >= self.scenario.ticks {
            return Err(ApiError::bad_request(format!(
                "the run is over (tick {now} of {}); reset or fork an earlier branch",
                self.scenario.ticks
            )));
        }
        iv.tick = now + 1;
        let mut branch = self.branch.clone();
        branch.added.push(iv);
        // Every event of the running scenario is the base file's or an earlier lever's.
        let base_events = self.scenario.events.len() - self.branch.added.len();
        self.replay(branch, now)
            .map_err(|e| in_page_terms(e, base_events))
    }

    /// A new session on the same branch at the same tick: the branch point is exact.
    pub fn fork(&self) -> Result<Session, ApiError> {
        let mut s = Session::new(self.branch.clone(), self.memory_budget)?;
        s.step(self.tick());
        Ok(s)
    }

    /// Back to tick 0 with no interventions (and `seed`, if given).
    pub fn reset(&mut self, seed: Option<u64>) -> Result<(), ApiError> {
        let mut branch = self.branch.clone();
        branch.added.clear();
        if let Some(s) = seed {
            branch.seed = s;
        }
        self.replay(branch, 0)
    }
}

/// A lever's refusal, said as the page shows it: the problems the scenario's validation found
/// in the events the page added (`events[k]` with k ≥ `base_events`, the base file's own
/// count, wherever the export put them) lose their line, column and `events[k]` path, which
/// name lines of a file the user never wrote.
fn in_page_terms(mut e: ApiError, base_events: usize) -> ApiError {
    let added = |field: &str| {
        field
            .strip_prefix("events[")
            .and_then(|rest| rest.split_once(']'))
            .and_then(|(k, rest)| Some((k.parse::<usize>().ok()?, rest)))
            .filter(|&(k, _)| k >= base_events)
            .map(|(_, rest)| rest.trim_start_matches('.').to_string())
    };
    let mut said = Vec::new();
    for p in e.problems.iter_mut() {
        let Some(field) = added(&p.field) else {
            continue;
        };
        p.line = 0;
        p.column = 0;
        p.field = field;
        said.push(p.message.clone());
    }
    if !said.is_empty() {
        e.error = format!("not applied: {}", said.join("; "));
    }
    e
}

/// How many sessions, for how long, how big.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_sessions: usize,
    pub idle: Duration,
    /// Bytes one session's scenario may need (the scenario's memory estimate).
    pub memory_budget: u64,
}

struct Entry {
    session: Arc<Mutex<Session>>,
    last_seen: Instant,
}

/// The live sessions, by id.
pub struct Sessions {
    pub limits: Limits,
    table: Mutex<HashMap<String, Entry>>,
    ids: std::hash::RandomState,
    counter: Mutex<u64>,
}

impl Sessions {
    pub fn new(limits: Limits) -> Self {
        Sessions {
            limits,
            table: Mutex::new(HashMap::new()),
            ids: std::hash::RandomState::new(),
            counter: Mutex::new(0),
        }
    }

    fn table(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        // A panic while holding the lock cannot leave the table half-changed (every change is
        // one insert or remove), so a poisoned lock is still usable.
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Add `session`; refused when `max_sessions` are live (after dropping idle ones). Returns
    /// its id and the shared session.
    pub fn insert(&self, session: Session) -> Result<(String, Arc<Mutex<Session>>), ApiError> {
        self.expire();
        let id = {
            use std::hash::BuildHasher;
            let mut n = self.counter.lock().unwrap_or_else(|p| p.into_inner());
            *n += 1;
            format!("{:016x}", self.ids.hash_one(*n))
        };
        let mut table = self.table();
        if table.len() >= self.limits.max_sessions {
            return Err(ApiError::busy(format!(
                "{} simulations are running, the most this server allows (--max-sessions); \
                 close a tab, or wait: an unused simulation is dropped after {} s",
                table.len(),
                self.limits.idle.as_secs()
            )));
        }
        let session = Arc::new(Mutex::new(session));
        table.insert(
            id.clone(),
            Entry {
                session: session.clone(),
                last_seen: Instant::now(),
            },
        );
        Ok((id, session))
    }

    /// The session `id` (marked as seen now).
    pub fn get(&self, id: &str) -> Result<Arc<Mutex<Session>>, ApiError> {
        let mut table = self.table();
        match table.get_mut(id) {
            Some(e) => {
                e.last_seen = Instant::now();
                Ok(e.session.clone())
            }
            None => Err(ApiError::not_found(format!(
                "no simulation \"{id}\" (it ended, was closed, or was dropped after {} s \
                 without a request); start a new one",
                self.limits.idle.as_secs()
            ))),
        }
    }

    pub fn remove(&self, id: &str) -> bool {
        self.table().remove(id).is_some()
    }

    /// Drop sessions idle for longer than `limits.idle`; returns how many were dropped.
    pub fn expire(&self) -> usize {
        let mut table = self.table();
        let before = table.len();
        let idle = self.limits.idle;
        table.retain(|_, e| e.last_seen.elapsed() <= idle);
        before - table.len()
    }

    pub fn len(&self) -> usize {
        self.table().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Lock a session; a panic inside a step cannot happen on validated input, but if one did,
/// the session is dropped rather than the server.
pub fn lock(session: &Mutex<Session>) -> Result<std::sync::MutexGuard<'_, Session>, ApiError> {
    session
        .lock()
        .map_err(|_| ApiError::internal("this simulation failed earlier; start a new one"))
}
