//! Hardening of experiments and output folders (issue 13): sweep files are checked like
//! scenarios, any value survives the journal and the CSVs, merge verifies every part and row,
//! output folders are locked, written as a set, and free of stale temporaries.

use crate::experiments::{BASE, SWEEP, compare_with_more, ok, peacesim, setup};
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
            "[[parameters]]\npath = \"units.0.count\"\nrange = { from = 1, to = 100, steps = 100 }\n\n[[parameters]]\npath = \"partners.blue.resupply\"\nrange = { from = 1, to = 100, steps = 100 }\n",
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
fn a_compare_too_big_for_memory_is_refused_with_the_estimate() {
    // Only per-run summaries are held (runs.csv is streamed): ten configurations of a million
    // runs each are what it takes to pass the budget.
    let (dir, _) = setup();
    let d = dir.path();
    let mut args: Vec<String> = vec!["compare".into()];
    for i in 0..10 {
        let name = format!("c{i}.toml");
        std::fs::write(
            d.join(&name),
            BASE.replace("name = \"tiny\"", &format!("name = \"tiny{i}\"")),
        )
        .unwrap();
        args.push(name);
    }
    args.extend(["--runs", "1000000", "--out", "c", "--quiet"].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = within(&args, d, Duration::from_secs(30));
    refused(&out, 2, &["1000000 runs", "MiB", "--runs"]);
    assert!(!d.join("c").exists(), "nothing written");
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
    refused(&out, 1, &["part-0-of-2.csv", "SHA-256"]);
    assert!(!d.join("s/runs.csv").exists());
    // A non-numeric value.
    tamper(d, |t| set_field(t, 1, last, "abc"), true);
    let out = peacesim(&["merge", "s"], d);
    refused(&out, 1, &["part-0-of-2.csv", "row 1", "is not a number"]);
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
        1,
        &["part-0-of-2.csv", "column replication", "\"99\""],
    );
    // A row whose point is out of range: refused, not a panic.
    std::fs::remove_dir_all(d.join("s")).unwrap();
    two_parts(d);
    tamper(d, |t| set_field(t, 1, 1, "99"), true);
    let out = peacesim(&["merge", "s"], d);
    refused(&out, 1, &["part-0-of-2.csv", "row 1", "column point"]);
    // Untouched parts still merge.
    std::fs::remove_dir_all(d.join("s")).unwrap();
    two_parts(d);
    ok(peacesim(&["merge", "s"], d));
}

/// The visible files of `dir` (recursively) and the temporaries among all files.
fn listing(dir: &Path) -> (Vec<String>, Vec<String>) {
    let (mut visible, mut temporaries) = (Vec::new(), Vec::new());
    for path in crate::common::files_under(dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.contains(".tmp-") {
            temporaries.push(path.display().to_string());
        } else if !name.starts_with('.') {
            visible.push(path.display().to_string());
        }
    }
    (visible, temporaries)
}

#[test]
fn a_held_output_folder_is_refused_and_left_alone() {
    let (dir, _) = setup();
    let d = dir.path();
    second_config(d);
    // Held by another command (here: this test), each command stops with a message and exit 1.
    let held = |folder: &str, args: &[&str]| {
        let path = d.join(folder);
        std::fs::create_dir_all(&path).unwrap();
        let lock = std::fs::File::open(&path).unwrap();
        lock.lock().unwrap();
        let out = peacesim(args, d);
        refused(&out, 1, &["another peacesim command", folder]);
        assert!(listing(&path).0.is_empty(), "{folder}: nothing written");
        drop(lock);
        ok(peacesim(args, d));
    };
    held(
        "r/tiny",
        &["run", "base.toml", "--ticks", "5", "--out", "r"],
    );
    held(
        "c",
        &[
            "compare",
            "base.toml",
            "base2.toml",
            "--runs",
            "2",
            "--out",
            "c",
            "--quiet",
        ],
    );
    held("s", &["sweep", "sweep.toml", "--out", "s", "--quiet"]);
    // A merge while a shard holds the folder is refused too.
    let lock = std::fs::File::open(d.join("s")).unwrap();
    lock.lock_shared().unwrap();
    refused(
        &peacesim(&["merge", "s"], d),
        1,
        &["another peacesim command"],
    );
}

#[test]
fn two_concurrent_sweeps_into_one_folder_never_lose_runs() {
    let (dir, sweep) = setup();
    let d = dir.path();
    // Long enough runs that the second sweep starts while the first is working.
    std::fs::write(
        &sweep,
        SWEEP.replace("replications = 3", "replications = 3\nticks = 300"),
    )
    .unwrap();
    let first = Command::new(env!("CARGO_BIN_EXE_peacesim"))
        .args([
            "sweep",
            "sweep.toml",
            "--out",
            "s",
            "--threads",
            "1",
            "--quiet",
        ])
        .current_dir(d)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let journal = d.join("s/parts/shard-0-of-1.journal");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !journal.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let second = peacesim(&["sweep", "sweep.toml", "--out", "s", "--quiet"], d);
    let first = first.wait_with_output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    refused(&second, 1, &["another peacesim command"]);
    let rows = csv::Reader::from_path(d.join("s/runs.csv"))
        .unwrap()
        .records()
        .count();
    assert_eq!(rows, 27, "every run of the first sweep is in runs.csv");
}

#[test]
fn stale_temporaries_are_removed_and_planted_links_never_followed() {
    let (dir, _) = setup();
    let d = dir.path();
    second_config(d);
    let target = d.join("precious.txt");
    std::fs::write(&target, "keep me").unwrap();
    let plant = |folder: &Path, names: &[&str]| {
        std::fs::create_dir_all(folder).unwrap();
        for n in names {
            std::fs::write(folder.join(n), "junk from a killed run").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(&target, folder.join(".summary.json.tmp-4242")).unwrap();
    };
    plant(
        &d.join("r/tiny"),
        &[".timeseries.csv.tmp-12345", ".manifest.json.tmp-1"],
    );
    ok(peacesim(
        &["run", "base.toml", "--ticks", "5", "--out", "r"],
        d,
    ));
    plant(&d.join("c"), &[".runs.csv.tmp-12345"]);
    ok(peacesim(
        &[
            "compare",
            "base.toml",
            "base2.toml",
            "--runs",
            "2",
            "--out",
            "c",
            "--quiet",
        ],
        d,
    ));
    plant(&d.join("s"), &[".runs.csv.tmp-12345"]);
    plant(
        &d.join("s/parts"),
        &[".part-0-of-1.csv.tmp-7", ".shard-0-of-1.journal.tmp-8"],
    );
    ok(peacesim(
        &["sweep", "sweep.toml", "--out", "s", "--quiet"],
        d,
    ));
    for folder in ["r", "c", "s"] {
        let (_, temporaries) = listing(&d.join(folder));
        assert!(temporaries.is_empty(), "{temporaries:?}");
    }
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
}

#[cfg(unix)]
#[test]
fn a_symlink_at_the_temporary_name_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let target = d.join("precious.txt");
    std::fs::write(&target, "keep me").unwrap();
    // The name the writer used to pick: `.NAME.tmp-<pid>`.
    let planted = d.join(format!(".out.csv.tmp-{}", std::process::id()));
    std::os::unix::fs::symlink(&target, &planted).unwrap();
    std::os::unix::fs::symlink(&target, d.join("out.csv")).unwrap();
    peacesim::report::write_atomic(&d.join("out.csv"), b"result\n").unwrap();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    let meta = std::fs::symlink_metadata(d.join("out.csv")).unwrap();
    assert!(
        meta.file_type().is_file(),
        "the final name is a regular file"
    );
    assert_eq!(std::fs::read(d.join("out.csv")).unwrap(), b"result\n");
}

#[test]
fn a_failed_rewrite_never_leaves_an_old_manifest_beside_new_files() {
    let (dir, _) = setup();
    let d = dir.path();
    ok(peacesim(
        &[
            "run",
            "base.toml",
            "--ticks",
            "5",
            "--seed",
            "1",
            "--out",
            "r",
        ],
        d,
    ));
    // summary.json cannot be replaced (a directory is in the way): the second run stops part-way.
    let run = d.join("r/tiny");
    std::fs::remove_file(run.join("summary.json")).unwrap();
    std::fs::create_dir(run.join("summary.json")).unwrap();
    std::fs::write(run.join("summary.json/x"), "").unwrap();
    let out = peacesim(
        &[
            "run",
            "base.toml",
            "--ticks",
            "5",
            "--seed",
            "2",
            "--out",
            "r",
        ],
        d,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Either no manifest, or one whose every file matches.
    if let Ok(bytes) = std::fs::read(run.join("manifest.json")) {
        let m: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        for (name, hash) in m["files"].as_object().unwrap() {
            let b = std::fs::read(run.join(name)).unwrap_or_default();
            assert_eq!(
                peacesim::report::sha256_hex(&b),
                hash.as_str().unwrap(),
                "{name} does not match the manifest"
            );
        }
    }
}

/// `base2.toml`: the test base under another name, for compare.
fn second_config(d: &Path) {
    std::fs::write(
        d.join("base2.toml"),
        BASE.replace("name = \"tiny\"", "name = \"tiny2\""),
    )
    .unwrap();
}

/// Ticks set outside a scenario file are checked as the file's own: a sweep's `ticks` against
/// the memory budget (it ran, growing, where `run --ticks` refused), a run folder's manifest
/// against the limits (`report` aborted on a 1 TB allocation at 4294967295, or ran for minutes).
#[test]
fn ticks_from_a_sweep_or_a_manifest_are_checked() {
    let (dir, _) = setup();
    let d = dir.path();
    std::fs::write(
        d.join("long.toml"),
        SWEEP.replace("metric = ", "ticks = 100000\nmetric = "),
    )
    .unwrap();
    let out = peacesim(
        &[
            "--memory-budget",
            "100M",
            "sweep",
            "long.toml",
            "--out",
            "s",
        ],
        d,
    );
    refused(
        &out,
        2,
        &["long.toml:", "sweep.ticks", "raise --memory-budget"],
    );
    assert!(!d.join("s").exists(), "a refused sweep wrote its folder");

    ok(peacesim(
        &["run", "base.toml", "--ticks", "3", "--out", "r"],
        d,
    ));
    let manifest = d.join("r/tiny/manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    for bad in ["4294967295", "0", "2000000"] {
        std::fs::write(
            &manifest,
            text.replace("\"ticks\": 3", &format!("\"ticks\": {bad}")),
        )
        .unwrap();
        let out = within(&["report", "r/tiny"], d, Duration::from_secs(30));
        refused(&out, 2, &["manifest.json", "\"ticks\"", "1 to 1000000"]);
    }
}

/// Sweep parameters that could only mean something else are refused before any run (each ran
/// silently: NaN patrols as 0, 4.5 as 5, a second parameter on one path overwrote the first,
/// `scenario.seed` was overridden by the sweep's own seed).
#[test]
fn sweep_parameters_that_cannot_mean_what_they_say_are_refused() {
    let (dir, _) = setup();
    let d = dir.path();
    let cases = [
        ("values = [4, 8, 12]", "values = [nan, 8]", "not a number"),
        (
            "values = [4, 8, 12]",
            "values = [4.5, 8]",
            "use whole numbers",
        ),
        ("values = [4, 8, 12]", "values = [4, 8, 4]", "listed twice"),
        // 4.0 is 4 to the scenario: it ran as a fifth point beside the first.
        (
            "values = [4, 8, 12]",
            "values = [4, 8, 4.0]",
            "4.0 is listed twice (as 4",
        ),
        (
            "path = \"partners.blue.resupply\"",
            "path = \"units.0.count\"",
            "already swept by parameters[0]",
        ),
        (
            "path = \"partners.blue.resupply\"",
            "path = \"scenario.seed\"",
            "set by the sweep itself",
        ),
    ];
    for (find, put, words) in cases {
        assert!(SWEEP.contains(find), "{find}");
        std::fs::write(d.join("bad.toml"), SWEEP.replacen(find, put, 1)).unwrap();
        let out = peacesim(&["sweep", "bad.toml", "--out", "s"], d);
        refused(&out, 2, &["bad.toml:", "parameters[", words]);
        assert!(
            !d.join("s").exists(),
            "{put}: a refused sweep wrote its folder"
        );
    }
}

/// `report DIR` of a comparison draws its page only from the files its manifest lists, as
/// listed: an edited table or a removed one is refused, and the page stays as it was (it was
/// redrawn from whatever was there: a tampered comparison.csv, or 15 of 32 rows).
#[test]
fn a_folder_page_is_rebuilt_only_from_the_files_its_manifest_lists() {
    let (dir, _) = setup();
    let d = dir.path();
    compare_with_more(d, str::to_string, "3", "c");
    let page = std::fs::read(d.join("c/report.html")).unwrap();
    ok(peacesim(&["report", "c"], d));
    assert_eq!(std::fs::read(d.join("c/report.html")).unwrap(), page);
    let table = std::fs::read_to_string(d.join("c/comparison.csv")).unwrap();
    std::fs::write(
        d.join("c/comparison.csv"),
        table.replacen("tiny", "tinY", 1),
    )
    .unwrap();
    refused(
        &peacesim(&["report", "c"], d),
        1,
        &["comparison.csv", "SHA-256"],
    );
    std::fs::write(d.join("c/comparison.csv"), &table).unwrap();
    std::fs::remove_file(d.join("c/aggregate.csv")).unwrap();
    refused(
        &peacesim(&["report", "c"], d),
        1,
        &["aggregate.csv", "listed in the manifest"],
    );
    assert_eq!(std::fs::read(d.join("c/report.html")).unwrap(), page);
}

/// The page of a compare folder names its folder: drawn again in a renamed folder it differs,
/// and the manifest lists its new SHA-256 (it kept the old one, so the folder no longer
/// matched its own manifest); nothing else in the manifest changes.
#[test]
fn a_folder_page_drawn_again_elsewhere_is_listed_as_drawn() {
    let (dir, _) = setup();
    let d = dir.path();
    compare_with_more(d, str::to_string, "3", "c");
    let manifest = std::fs::read_to_string(d.join("c/manifest.json")).unwrap();
    std::fs::rename(d.join("c"), d.join("renamed")).unwrap();
    ok(peacesim(&["report", "renamed"], d));
    let after = std::fs::read_to_string(d.join("renamed/manifest.json")).unwrap();
    let m: serde_json::Value = serde_json::from_str(&after).unwrap();
    for (name, sha) in m["files"].as_object().unwrap() {
        let bytes = std::fs::read(d.join("renamed").join(name)).unwrap();
        assert_eq!(
            sha.as_str().unwrap(),
            peacesim::report::sha256_hex(&bytes),
            "{name}"
        );
    }
    let differ: Vec<_> = manifest
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert!(
        differ.len() == 1 && differ[0].0.contains("\"report.html\""),
        "{differ:?}"
    );
}

/// `report DIR` draws a lost or altered chart of a comparison or sweep again, byte for byte
/// what the manifest records (it said "rebuilt" and left compare_trust.png or heatmap.png
/// missing), and refuses, rewriting nothing, when the data it would draw from changed.
#[test]
fn report_draws_lost_charts_of_a_folder_again_byte_for_byte() {
    let (dir, _) = setup();
    let d = dir.path();
    compare_with_more(d, str::to_string, "2", "c");
    ok(peacesim(
        &["sweep", "sweep.toml", "--out", "s", "--quiet"],
        d,
    ));
    let snapshot = |folder: &str| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = std::fs::read_dir(d.join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| {
                let bytes = std::fs::read(&p).unwrap();
                (p.file_name().unwrap().to_string_lossy().into_owned(), bytes)
            })
            .collect();
        files.sort();
        files
    };
    for (folder, lost, altered) in [
        ("c", "compare_trust.png", "compare_stability.svg"),
        ("s", "heatmap.png", "heatmap.svg"),
    ] {
        let before = snapshot(folder);
        std::fs::remove_file(d.join(folder).join(lost)).unwrap();
        std::fs::write(d.join(folder).join(altered), "<svg/>").unwrap();
        let out = ok(peacesim(&["report", folder], d));
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("rebuilt 3 files"), "{said}");
        assert_eq!(snapshot(folder), before, "{folder}: not as it was written");
    }

    // A table the page reads changed: refused before any chart is written back.
    std::fs::remove_file(d.join("c/compare_trust.png")).unwrap();
    let cmp = std::fs::read_to_string(d.join("c/comparison.csv")).unwrap();
    std::fs::write(d.join("c/comparison.csv"), cmp.replacen("more", "moRe", 1)).unwrap();
    refused(
        &peacesim(&["report", "c"], d),
        1,
        &["comparison.csv", "nothing was rewritten"],
    );
    assert!(
        !d.join("c/compare_trust.png").exists(),
        "a refusal wrote a chart"
    );
    std::fs::write(d.join("c/comparison.csv"), &cmp).unwrap();
    ok(peacesim(&["report", "c"], d));

    // The data changed: nothing is drawn from it.
    std::fs::remove_file(d.join("c/compare_trust.png")).unwrap();
    let table = std::fs::read_to_string(d.join("c/aggregate.csv")).unwrap();
    let edited = table.replacen("\ntiny,1,", "\ntiny,2,", 1);
    assert_ne!(edited, table);
    std::fs::write(d.join("c/aggregate.csv"), &edited).unwrap();
    refused(
        &peacesim(&["report", "c"], d),
        1,
        &[
            "compare_trust.png is missing",
            "aggregate.csv",
            "SHA-256",
            "compare base.toml",
        ],
    );
    assert!(!d.join("c/compare_trust.png").exists());
    std::fs::write(d.join("c/aggregate.csv"), &table).unwrap();
    // A configuration's scenario file changed since the comparison ran.
    std::fs::write(
        d.join("more.toml"),
        format!(
            "{}\n# edited\n",
            BASE.replace("name = \"tiny\"", "name = \"more\"")
        ),
    )
    .unwrap();
    refused(
        &peacesim(&["report", "c"], d),
        1,
        &[
            "compare_trust.png",
            "more.toml changed since the comparison ran",
        ],
    );
    assert!(!d.join("c/compare_trust.png").exists());
}

/// A comparison's configurations run equally long: different lengths are refused (final values
/// at day 5 and day 7 were compared silently), and `--ticks` sets them all.
#[test]
fn compare_runs_every_configuration_equally_long() {
    let (dir, _) = setup();
    let d = dir.path();
    std::fs::write(
        d.join("short.toml"),
        BASE.replace("name = \"tiny\"", "name = \"short\"")
            .replace("ticks = 30", "ticks = 20"),
    )
    .unwrap();
    let args = [
        "compare",
        "base.toml",
        "short.toml",
        "--runs",
        "2",
        "--out",
        "c",
    ];
    refused(
        &peacesim(&args, d),
        2,
        &[
            "different lengths",
            "tiny: 30 ticks",
            "short: 20 ticks",
            "--ticks",
        ],
    );
    assert!(!d.join("c").exists());
    ok(peacesim(
        &[&args[..], &["--ticks", "12", "--quiet"]].concat(),
        d,
    ));
    let agg = std::fs::read_to_string(d.join("c/aggregate.csv")).unwrap();
    let last = agg
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse::<u32>().unwrap())
        .max();
    assert_eq!(last, Some(12), "every configuration ran 12 ticks");
    // What each configuration sets differently is said (manifest and page): here nothing, as
    // both ran 12 ticks; a lever shows as its path and both values.
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("c/manifest.json")).unwrap()).unwrap();
    assert_eq!(m["configs"][1]["differs_from_first"], serde_json::json!([]));
    std::fs::write(
        d.join("robust.toml"),
        BASE.replace("name = \"tiny\"", "name = \"robust\"")
            .replace(
                "kind = \"un_agency\"",
                "kind = \"un_agency\"\nposture = \"robust\"",
            ),
    )
    .unwrap();
    ok(peacesim(
        &[
            "compare",
            "base.toml",
            "robust.toml",
            "--runs",
            "2",
            "--out",
            "r",
            "--quiet",
        ],
        d,
    ));
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("r/manifest.json")).unwrap()).unwrap();
    assert_eq!(
        m["configs"][1]["differs_from_first"],
        serde_json::json!(["partners.blue.posture: (default) → \"robust\""])
    );
    let page = std::fs::read_to_string(d.join("r/report.html")).unwrap();
    assert!(page.contains("what its file sets differently from the first"));
}

/// A command never writes into a folder holding another command's results: a run into a
/// comparison's folder deleted runs.csv, aggregate.csv and the charts (exit 0), a comparison
/// into a run's folder its CSVs. Both are refused, the folder untouched; a run into its own
/// folder again still works.
#[test]
fn no_command_writes_over_another_kind_of_results() {
    let (dir, _) = setup();
    let d = dir.path();
    compare_with_more(d, str::to_string, "3", "res/tiny");
    let before = crate::common::files_under(&d.join("res/tiny"));
    let out = peacesim(&["run", "base.toml", "--out", "res"], d);
    refused(
        &out,
        1,
        &[
            "res/tiny",
            "holds the results of a comparison",
            "another --out",
        ],
    );
    assert_eq!(crate::common::files_under(&d.join("res/tiny")), before);
    ok(peacesim(&["run", "base.toml", "--out", "runs"], d));
    ok(peacesim(&["run", "base.toml", "--out", "runs"], d));
    let out = peacesim(
        &[
            "compare",
            "base.toml",
            "more.toml",
            "--runs",
            "2",
            "--out",
            "runs/tiny",
        ],
        d,
    );
    refused(&out, 1, &["runs/tiny", "holds the results of a run"]);
    assert!(d.join("runs/tiny/timeseries.csv").exists());
}

/// A run whose writing fails part-way (here a folder stands where a chart goes; a full disk does
/// the same) leaves none of its temporaries behind: the agent pictures streamed to `.NAME.tmp-*`
/// before the failure were left on the (full) disk.
#[test]
fn a_failed_write_leaves_no_temporaries() {
    let (dir, _) = setup();
    let d = dir.path();
    std::fs::create_dir_all(d.join("res/tiny/trust.png/x")).unwrap();
    let out = peacesim(&["run", "base.toml", "--out", "res"], d);
    assert!(!out.status.success());
    let left: Vec<String> = std::fs::read_dir(d.join("res/tiny"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(left.is_empty(), "temporaries left: {left:?}");
}
