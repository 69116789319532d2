//! The journal: one line per finished run, appended as runs finish, each ending in an FNV-1a
//! checksum of the line. A line cut short by a kill (or altered) is dropped on reading, so a
//! run is either fully recorded or absent, and a resumed sweep redoes only what is absent.
//!
//! A line is the run's CSV fields as a JSON array of strings, then `,` and the checksum: JSON
//! escapes every control character, so a parameter value holding a newline (a scenario
//! description, say) stays on its line instead of splitting the record.

use super::plan::Sweep;
use super::rows::RunRow;
use super::shard::Shard;
use crate::experiment::error::ExperimentError as Error;
use crate::report::Record;
use std::collections::BTreeMap;
use std::path::Path;

/// 64-bit FNV-1a (Fowler–Noll–Vo) of `bytes`: the journal's per-line checksum.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The first line: which sweep (hash of its file and base scenario) and shard.
pub fn header(sweep: &Sweep, shard: Shard) -> String {
    format!("# peacesim sweep {} shard {}\n", sweep.hash, shard.stem())
}

/// A run's line: `<fields as a JSON array>,<fnv1a hex of that array's text>`.
pub fn line(sweep: &Sweep, row: &RunRow) -> String {
    let body = serde_json::to_string(&row.fields(sweep)).expect("strings serialize");
    format!("{body},{:016x}\n", fnv1a(body.as_bytes()))
}

/// Intact journal entries of `shard` by run number; torn or foreign lines are dropped. A
/// journal of another sweep is refused.
pub fn read(path: &Path, sweep: &Sweep, shard: Shard) -> Result<BTreeMap<u64, RunRow>, Error> {
    let mut done = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(done);
    };
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        None => return Ok(done),
        Some(h) if h == header(sweep, shard) => {}
        Some(_) => {
            return Err(Error::Usage(format!(
                "{} belongs to another sweep (its file or base scenario changed); \
                 delete it to start over, or use another --out",
                path.display()
            )));
        }
    }
    for line in lines {
        let Some(body) = line.strip_suffix('\n') else {
            break;
        }; // torn last line
        let Some((fields, sum)) = body.rsplit_once(',') else {
            continue;
        };
        if format!("{:016x}", fnv1a(fields.as_bytes())) != sum {
            continue;
        }
        let Some(row) = serde_json::from_str::<Vec<String>>(fields)
            .ok()
            .and_then(|f| RunRow::parse(sweep, &f).ok())
        else {
            continue;
        };
        let k = sweep.run_number(row.point, row.replication);
        if shard.owns(k) {
            done.insert(k, row);
        }
    }
    Ok(done)
}
