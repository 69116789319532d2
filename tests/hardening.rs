//! Hardening of experiments and output folders (issue 13): sweep files are checked like
//! scenarios, any value survives the journal and the CSVs, merge verifies every part and row,
//! output folders are locked, written as a set, and free of stale temporaries.

use crate::experiments::{BASE, SWEEP, ok, peacesim, setup};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Run the binary, killing it (and failing) after `limit`.
fn within(args: &[&str], cwd: &Path, limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_peacesim"))
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("peacesim {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn refused(out: &Output, code: i32, words: &[&str]) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for w in words {
        assert!(err.contains(w), "expected {w:?} in: {err}");
    }
    err
}

/// A sweep file with `meta` lines added to `[sweep]` and `params` as its parameters.
fn sweep_file(dir: &Path, meta: &str, params: &str) {
    std::fs::write(dir.join("base.toml"), BASE).unwrap();
    std::fs::write(
        dir.join("sweep.toml"),
        format!("[sweep]\nname = \"h\"\nbase = \"base.toml\"\n{meta}\n\n{params}\n"),
    )
    .unwrap();
}

const ONE_PARAM: &str = "[[parameters]]\npath = \"units.0.count\"\nvalues = [4]\n";

#[test]
fn sweep_ticks_are_checked_like_a_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for ticks in ["0", "1000000000"] {
        sweep_file(d, &format!("replications = 1\nticks = {ticks}"), ONE_PARAM);
        let out = within(
            &["sweep", "sweep.toml", "--out", "o", "--quiet"],
            d,
            Duration::from_secs(30),
        );
        refused(&out, 2, &["sweep.toml:", "sweep.ticks", "1 to 1000000"]);
        assert!(!d.join("o").exists(), "nothing written");
    }
}

#[test]
fn oversized_sweeps_are_refused_before_anything_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: [(&str, &str, &str); 5] = [
        ("replications = 1000000000", ONE_PARAM, "sweep.replications"),
        (
            "replications = 1",
            "[[parameters]]\npath = \"units.0.count\"\nrange = { from = 1, to = 9, steps = 1000000000 }\n",
            "steps",
        ),
        (
            "replications = 1\ndesign = \"latin_hypercube\"\nsamples = 1000000000",
            "[[parameters]]\npath = \"units.0.count\"\nuniform = [1, 9]\n",
            "sweep.samples",
        ),
        (
            // 1,000 × 100 = 10⁵ points.
            "replications = 1",
            &format!(
                "[[parameters]]\npath = \"units.0.count\"\nvalues = [{}]\n\n[[parameters]]\npath = \"partners.blue.resupply\"\nrange = {{ from = 1, to = 100, steps = 100 }}\n",
                (1..=1000)
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "100000 points",
        ),
        (
            // 10⁴ points × 10⁵ replications: over the memory budget, with the estimate.
            "replications = 100000",
            "[[parameters]]\npath = \"units.0.count\"\nrange = { from = 1, to = 9, steps = 100 }\n\n[[parameters]]\npath = \"partners.blue.resupply\"\nrange = { from = 1, to = 100, steps = 100 }\n",
            "MiB of memory",
        ),
    ];
    for (meta, params, word) in cases {
        sweep_file(d, meta, params);
        let started = Instant::now();
        let out = within(
            &["sweep", "sweep.toml", "--out", "o", "--quiet"],
            d,
            Duration::from_secs(60),
        );
        refused(&out, 2, &["sweep.toml:", word]);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{meta}: took {:?}",
            started.elapsed()
        );
        assert!(!d.join("o").exists(), "{meta}: nothing written");
    }
}

#[test]
fn huge_thread_counts_are_capped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sweep_file(d, "replications = 1\nticks = 5", ONE_PARAM);
    let out = within(
        &[
            "sweep",
            "sweep.toml",
            "--out",
            "o",
            "--threads",
            "100000",
            "--quiet",
        ],
        d,
        Duration::from_secs(60),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("capped"), "{err}");
}

#[test]
fn a_value_with_a_newline_survives_the_journal_and_the_csvs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    sweep_file(
        d,
        "replications = 2\nticks = 5",
        "[[parameters]]\npath = \"scenario.description\"\nvalues = [\"line one\\nline two, \\\"quoted\\\"\", \"plain\"]\n",
    );
    ok(peacesim(
        &["sweep", "sweep.toml", "--out", "o", "--quiet"],
        d,
    ));
    let mut runs = csv::Reader::from_path(d.join("o/runs.csv")).unwrap();
    let values: Vec<String> = runs.records().map(|r| r.unwrap()[5].to_string()).collect();
    assert_eq!(
        values,
        [
            "line one\nline two, \"quoted\"",
            "line one\nline two, \"quoted\"",
            "plain",
            "plain"
        ]
    );
    let mut points = csv::Reader::from_path(d.join("o/points.csv")).unwrap();
    for p in points.records() {
        assert_eq!(&p.unwrap()[2], "2", "every point has both replications");
    }
    // Running again finds every run recorded.
    let out = ok(peacesim(&["sweep", "sweep.toml", "--out", "o"], d));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("4 runs already recorded, 0 to do"), "{err}");
}

/// Shards 0/2 and 1/2 of the test sweep in `s`.
fn two_parts(d: &Path) {
    for shard in ["0/2", "1/2"] {
        ok(peacesim(
            &[
                "sweep",
                "sweep.toml",
                "--shard",
                shard,
                "--out",
                "s",
                "--quiet",
            ],
            d,
        ));
    }
}

/// Replace part 0's CSV with `edit(text)` and, if `reseal`, update its checksum and row count
/// as a careful forger (or a bug before the checksum) would.
fn tamper(d: &Path, edit: impl Fn(&str) -> String, reseal: bool) {
    let csv = d.join("s/parts/part-0-of-2.csv");
    let json = d.join("s/parts/part-0-of-2.json");
    let text = edit(&std::fs::read_to_string(&csv).unwrap());
    std::fs::write(&csv, &text).unwrap();
    if reseal {
        let mut info: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        info["csv_sha256"] = peacesim::report::sha256_hex(text.as_bytes()).into();
        info["runs_in_part"] = (text.lines().count() as u64 - 1).into();
        std::fs::write(&json, serde_json::to_vec_pretty(&info).unwrap()).unwrap();
    }
}

/// Field `i` of data row `row` (1-based) set to `value`.
fn set_field(text: &str, row: usize, i: usize, value: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(n, l)| {
            if n == row {
                let mut f: Vec<&str> = l.split(',').collect();
                f[i] = value;
                f.join(",")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn merge_verifies_checksums_and_every_row() {
    let (dir, _) = setup();
    let d = dir.path();
    let last = 7 + peacesim::experiment::summary_names().len() - 1;
    // A changed metric value: the checksum no longer matches.
    two_parts(d);
    tamper(d, |t| set_field(t, 1, last, "0.123"), false);
    let out = peacesim(&["merge", "s"], d);
    refused(&out, 2, &["part-0-of-2.csv", "SHA-256"]);
    assert!(!d.join("s/runs.csv").exists());
    // A non-numeric value.
    tamper(d, |t| set_field(t, 1, last, "abc"), true);
    let out = peacesim(&["merge", "s"], d);
    refused(&out, 2, &["part-0-of-2.csv", "row 1", "is not a number"]);
    // An extra row for replication 99.
    std::fs::remove_dir_all(d.join("s")).unwrap();
    two_parts(d);
    tamper(
        d,
        |t| {
            let first = t.lines().nth(1).unwrap();
            let extra = first.replacen("p00000-r0000,0,0,0", "p00000-r0099,0,99,99", 1);
            format!("{t}{extra}\n")
        },
        true,
    );
    let out = peacesim(&["merge", "s"], d);
    refused(
        &out,
        2,
        &["part-0-of-2.csv", "column replication", "\"99\""],
    );
    // A row whose point is out of range: refused, not a panic.
    std::fs::remove_dir_all(d.join("s")).unwrap();
    two_parts(d);
    tamper(d, |t| set_field(t, 1, 1, "99"), true);
    let out = peacesim(&["merge", "s"], d);
    refused(&out, 2, &["part-0-of-2.csv", "row 1", "column point"]);
    // Untouched parts still merge.
    std::fs::remove_dir_all(d.join("s")).unwrap();
    two_parts(d);
    ok(peacesim(&["merge", "s"], d));
    let _ = SWEEP;
}
