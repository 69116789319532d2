//! Experiments: the same bytes whatever the thread count, the shard split or an interruption;
//! merges refuse incomplete or foreign parts.

use std::path::{Path, PathBuf};
use std::process::Command;

pub const BASE: &str = r#"[scenario]
name = "tiny"
seed = 3
ticks = 30

[map]
width = 24
height = 12

[[districts]]
name = "west"
density = 0.5
hardship = 0.5
initial_trust = 0.75

[[districts]]
name = "east"
density = 0.5
hardship = 0.6
initial_trust = 0.7

[[partners]]
name = "blue"
kind = "un_agency"
supply = 500
supply_capacity = 500
resupply = 100

[[partners]]
name = "relief"
kind = "ngo"

[[units]]
partner = "blue"
kind = "patrol"
count = 8

[[units]]
partner = "relief"
kind = "aid_team"
count = 2
"#;

pub const SWEEP: &str = r#"[sweep]
name = "tiny-sweep"
base = "base.toml"
replications = 3
metric = "mean_stability"

[[parameters]]
path = "units.0.count"
values = [4, 8, 12]

[[parameters]]
path = "partners.blue.resupply"
range = { from = 2, to = 100, steps = 3 }
"#;

pub fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("base.toml"), BASE).unwrap();
    let sweep = dir.path().join("sweep.toml");
    std::fs::write(&sweep, SWEEP).unwrap();
    (dir, sweep)
}

/// Write `more.toml` (the base scenario as `edit` changes it, named "more") and compare it with
/// `base.toml` over `runs` replications into `out`.
pub fn compare_with_more(d: &Path, edit: impl Fn(&str) -> String, runs: &str, out: &str) {
    std::fs::write(
        d.join("more.toml"),
        edit(BASE).replace("name = \"tiny\"", "name = \"more\""),
    )
    .unwrap();
    let args = [
        "compare",
        "base.toml",
        "more.toml",
        "--runs",
        runs,
        "--out",
        out,
        "--quiet",
    ];
    ok(peacesim(&args, d));
}

pub fn peacesim(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_peacesim"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the binary runs")
}

pub fn ok(out: std::process::Output) -> std::process::Output {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The final files of a sweep directory. The manifest is compared without its command line
/// (which names the output folder, the thread count, the shard or the merge).
pub fn finals(dir: &Path) -> Vec<(String, Vec<u8>)> {
    [
        "runs.csv",
        "points.csv",
        "heatmap.svg",
        "heatmap.png",
        "manifest.json",
    ]
    .iter()
    .map(|f| {
        let bytes = std::fs::read(dir.join(f)).unwrap_or_else(|_| panic!("{f} missing"));
        if *f == "manifest.json" {
            let mut m: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            assert!(
                m["command_line"].is_array(),
                "the manifest has a command line"
            );
            m.as_object_mut().unwrap().remove("command_line");
            // report.html shows the command and the folder's name, like the manifest: only the
            // data files must match between thread counts and shard splits.
            assert!(
                m["files"]["report.html"].is_string(),
                "the manifest lists report.html"
            );
            m["files"].as_object_mut().unwrap().remove("report.html");
            return (f.to_string(), serde_json::to_vec_pretty(&m).unwrap());
        }
        (f.to_string(), bytes)
    })
    .collect()
}

#[test]
fn thread_count_and_sharding_do_not_change_a_byte() {
    let (dir, _) = setup();
    let d = dir.path();
    ok(peacesim(
        &[
            "sweep",
            "sweep.toml",
            "--threads",
            "1",
            "--out",
            "one",
            "--quiet",
        ],
        d,
    ));
    ok(peacesim(
        &[
            "sweep",
            "sweep.toml",
            "--threads",
            "2",
            "--out",
            "two",
            "--quiet",
        ],
        d,
    ));
    for i in 0..3 {
        ok(peacesim(
            &[
                "sweep",
                "sweep.toml",
                "--shard",
                &format!("{i}/3"),
                "--out",
                "sharded",
                "--quiet",
            ],
            d,
        ));
    }
    assert!(
        !d.join("sharded/runs.csv").exists(),
        "a shard must not write the final files"
    );
    ok(peacesim(&["merge", "sharded"], d));
    let one = finals(&d.join("one"));
    assert_eq!(one, finals(&d.join("two")), "1 vs 2 threads");
    assert_eq!(
        one,
        finals(&d.join("sharded")),
        "unsharded vs merged shards"
    );
    let runs = String::from_utf8(one[0].1.clone()).unwrap();
    assert_eq!(runs.lines().count(), 1 + 9 * 3);
    assert!(runs.starts_with(
        "run_id,point,replication,run_index,seed,units.0.count,partners.blue.resupply,"
    ));
}

#[test]
fn slurm_array_variables_pick_the_shard() {
    let (dir, _) = setup();
    let d = dir.path();
    for task in 10..12 {
        let out = Command::new(env!("CARGO_BIN_EXE_peacesim"))
            .args(["sweep", "sweep.toml", "--out", "slurm", "--quiet"])
            .env("SLURM_ARRAY_TASK_ID", task.to_string())
            .env("SLURM_ARRAY_TASK_MIN", "10")
            .env("SLURM_ARRAY_TASK_MAX", "11")
            .current_dir(d)
            .output()
            .unwrap();
        ok(out);
    }
    assert!(d.join("slurm/parts/part-0-of-2.csv").exists());
    assert!(d.join("slurm/parts/part-1-of-2.csv").exists());
    ok(peacesim(&["merge", "slurm"], d));
    ok(peacesim(
        &["sweep", "sweep.toml", "--out", "plain", "--quiet"],
        d,
    ));
    assert_eq!(finals(&d.join("slurm")), finals(&d.join("plain")));
}

#[test]
fn merge_refuses_missing_and_foreign_parts() {
    let (dir, sweep) = setup();
    let d = dir.path();
    ok(peacesim(
        &[
            "sweep",
            "sweep.toml",
            "--shard",
            "0/3",
            "--out",
            "s",
            "--quiet",
        ],
        d,
    ));
    ok(peacesim(
        &[
            "sweep",
            "sweep.toml",
            "--shard",
            "2/3",
            "--out",
            "s",
            "--quiet",
        ],
        d,
    ));
    let out = peacesim(&["merge", "s"], d);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("9 runs missing"), "{err}");
    // Shard 1/3 holds runs 1, 4, 7, …: run 1 is point 0, replication 1.
    assert!(
        err.contains("p00000-r0001") && err.contains("p00002-r0001"),
        "{err}"
    );
    assert!(err.contains("shards without a part: 1/3"), "{err}");
    assert!(
        !d.join("s/runs.csv").exists(),
        "a refused merge writes nothing"
    );
    // A part from a changed sweep file is refused.
    std::fs::write(
        &sweep,
        SWEEP.replace("replications = 3", "replications = 3\nticks = 20"),
    )
    .unwrap();
    ok(peacesim(
        &[
            "sweep",
            "sweep.toml",
            "--shard",
            "1/3",
            "--out",
            "s",
            "--quiet",
        ],
        d,
    ));
    let out = peacesim(&["merge", "s"], d);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("different sweep"), "{err}");
}

#[test]
fn killed_sweep_resumes_to_the_same_files() {
    let (dir, _) = setup();
    let d = dir.path();
    ok(peacesim(
        &["sweep", "sweep.toml", "--out", "whole", "--quiet"],
        d,
    ));
    // Start the same sweep, kill it part-way, then run the same command again.
    let mut child = Command::new(env!("CARGO_BIN_EXE_peacesim"))
        .args([
            "sweep",
            "sweep.toml",
            "--out",
            "again",
            "--threads",
            "1",
            "--quiet",
        ])
        .current_dir(d)
        .spawn()
        .unwrap();
    let journal = d.join("again/parts/shard-0-of-1.journal");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        let lines = std::fs::read_to_string(&journal)
            .map(|t| t.lines().count())
            .unwrap_or(0);
        if lines >= 4 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let recorded = std::fs::read_to_string(&journal).unwrap().lines().count() - 1;
    assert!(!d.join("again/runs.csv").exists(), "killed before the end");
    // A torn last line, as a kill in the middle of a write would leave.
    let mut text = std::fs::read_to_string(&journal).unwrap();
    text.push_str("p00009-r0002,9,2,38654705666,3,12,100,0.5");
    std::fs::write(&journal, text).unwrap();
    let out = ok(peacesim(
        &["sweep", "sweep.toml", "--out", "again", "--threads", "1"],
        d,
    ));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("resuming; {recorded} runs already recorded")),
        "{err}"
    );
    assert_eq!(finals(&d.join("whole")), finals(&d.join("again")));
}

#[test]
fn bad_parameter_paths_are_reported_with_the_sweep_line_before_any_run() {
    let (dir, sweep) = setup();
    let d = dir.path();
    std::fs::write(
        &sweep,
        SWEEP.replace("partners.blue.resupply", "partners.green.resupply"),
    )
    .unwrap();
    let out = peacesim(&["sweep", "sweep.toml", "--out", "bad"], d);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("sweep.toml:12:8: parameters[1].path"), "{err}");
    assert!(
        err.contains("no entry of partners is named \"green\""),
        "{err}"
    );
    assert!(
        !d.join("bad").exists(),
        "nothing may be written before validation passes"
    );
    // A value the scenario rejects is named with its point.
    std::fs::write(
        &sweep,
        SWEEP.replace("values = [4, 8, 12]", "values = [4, -8]"),
    )
    .unwrap();
    let out = peacesim(&["sweep", "sweep.toml", "--out", "bad"], d);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("units.0.count = -8") && err.contains("units[0].count"),
        "{err}"
    );
    // A number the TOML reader cannot hold is named by its own place in the list (it said
    // values[1], "u64 value was too large").
    std::fs::write(
        &sweep,
        SWEEP.replace("values = [4, 8, 12]", "values = [18446744073709551615, 8]"),
    )
    .unwrap();
    let out = peacesim(&["sweep", "sweep.toml", "--out", "bad"], d);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("parameters[0].values[0]: a whole number too large to hold here"),
        "{err}"
    );
}

/// A range that repeats a value once rounded (a whole-number field) or with from = to is
/// refused: five "different" points 2, 2, 3, 3, 3 each got a row and an interval. Range values
/// are written clean (0.1, not 0.09999999999999999).
#[test]
fn ranges_that_repeat_are_refused_and_values_are_clean() {
    let (dir, sweep) = setup();
    let d = dir.path();
    for (range, says) in [
        (
            "path = \"units.0.count\"\nrange = { from = 2, to = 3, steps = 5 }",
            "5 steps from 2 to 3 give 2, 2, 3, 3, 3 (\"units.0.count\" is a whole number in the \
             base scenario, so values are rounded): 2 repeats, so points would repeat; use at \
             most 2 steps, or list the values",
        ),
        (
            "path = \"districts.0.hardship\"\nrange = { from = 0.2, to = 0.2, steps = 3 }",
            "3 steps from 0.2 to 0.2 give 0.2, 0.2, 0.2: 0.2 repeats, so points would repeat; \
             use at most 1 step, or list the values",
        ),
    ] {
        let text = format!(
            "[sweep]\nname = \"r\"\nbase = \"base.toml\"\nreplications = 1\n\
             metric = \"mean_stability\"\n\n[[parameters]]\n{range}\n"
        );
        std::fs::write(&sweep, text).unwrap();
        let out = peacesim(&["sweep", "sweep.toml", "--out", "r"], d);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("sweep.toml:9:1: parameters[0].range: ") && err.contains(says),
            "{err}"
        );
    }
    std::fs::write(
        &sweep,
        "[sweep]\nname = \"r\"\nbase = \"base.toml\"\nreplications = 1\nticks = 3\n\
         metric = \"mean_stability\"\n\n[[parameters]]\npath = \"districts.0.hardship\"\n\
         range = { from = 0, to = 0.3, steps = 4 }\n",
    )
    .unwrap();
    ok(peacesim(
        &["sweep", "sweep.toml", "--out", "r", "--quiet"],
        d,
    ));
    let points = std::fs::read_to_string(d.join("r/points.csv")).unwrap();
    let values: Vec<&str> = points
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(values, ["0.0", "0.1", "0.2", "0.3"], "{points}");
}

#[test]
fn compare_is_thread_independent_and_reports_differences() {
    let (dir, _) = setup();
    let d = dir.path();
    std::fs::write(
        d.join("more.toml"),
        BASE.replace("name = \"tiny\"", "name = \"more\"")
            .replace("count = 8", "count = 20"),
    )
    .unwrap();
    let run = |threads: &str, out: &str| {
        ok(peacesim(
            &[
                "compare",
                "base.toml",
                "more.toml",
                "--runs",
                "6",
                "--threads",
                threads,
                "--out",
                out,
                "--quiet",
            ],
            d,
        ))
    };
    let table = String::from_utf8(run("1", "c1").stdout).unwrap();
    run("2", "c2");
    for f in [
        "runs.csv",
        "aggregate.csv",
        "comparison.csv",
        "compare_trust.svg",
        "compare_stability.png",
    ] {
        assert_eq!(
            std::fs::read(d.join("c1").join(f)).unwrap(),
            std::fs::read(d.join("c2").join(f)).unwrap(),
            "{f}"
        );
    }
    assert!(
        table.contains("more") && table.contains("security_coverage"),
        "{table}"
    );
    let cmp = std::fs::read_to_string(d.join("c1/comparison.csv")).unwrap();
    let row = cmp
        .lines()
        .find(|l| l.starts_with("more,security_coverage,run_mean"))
        .expect("a row for the second configuration");
    let diff: f64 = row.split(',').nth(7).unwrap().parse().unwrap();
    let low: f64 = row.split(',').nth(8).unwrap().parse().unwrap();
    assert!(
        diff > 0.0 && low > 0.0,
        "more patrols, more coverage: {row}"
    );
    // The reference against itself: a difference of exactly 0 with a 0-wide interval, called
    // "reference" (a Welch interval of one sample against itself was ±0.004 for trust).
    let header: Vec<&str> = cmp.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    for line in cmp.lines().skip(1).filter(|l| l.starts_with("tiny,")) {
        let f: Vec<&str> = line.split(',').collect();
        for c in ["diff_vs_first", "diff_ci_low", "diff_ci_high"] {
            assert_eq!(f[col(c)].parse::<f64>().unwrap(), 0.0, "{c}: {line}");
        }
        assert_eq!(f[col("verdict")], "reference", "{line}");
    }
}

#[test]
fn latin_hypercube_sweep_stratifies_and_charts_each_parameter() {
    let (dir, sweep) = setup();
    let d = dir.path();
    std::fs::write(
        &sweep,
        "[sweep]\nname = \"lhs\"\nbase = \"base.toml\"\nreplications = 2\ndesign = \"latin_hypercube\"\n\
         samples = 10\n\n[[parameters]]\npath = \"partners.blue.resupply\"\nuniform = [0.0, 100.0]\n\n\
         [[parameters]]\npath = \"units.0.count\"\nuniform = [2, 20]\n",
    )
    .unwrap();
    ok(peacesim(
        &[
            "sweep",
            "sweep.toml",
            "--out",
            "a",
            "--threads",
            "1",
            "--quiet",
        ],
        d,
    ));
    ok(peacesim(
        &[
            "sweep",
            "sweep.toml",
            "--out",
            "b",
            "--threads",
            "2",
            "--quiet",
        ],
        d,
    ));
    for f in ["runs.csv", "points.csv", "scatter_0.svg", "scatter_1.png"] {
        assert_eq!(
            std::fs::read(d.join("a").join(f)).unwrap(),
            std::fs::read(d.join("b").join(f)).unwrap(),
            "{f}"
        );
    }
    // Latin hypercube: one sample in each tenth of every parameter's range.
    let points = std::fs::read_to_string(d.join("a/points.csv")).unwrap();
    let mut strata: Vec<usize> = points
        .lines()
        .skip(1)
        .map(|l| (l.split(',').nth(1).unwrap().parse::<f64>().unwrap() / 10.0) as usize)
        .collect();
    strata.sort();
    assert_eq!(strata, (0..10).collect::<Vec<_>>());
}

#[test]
fn compare_reports_trust_in_each_partner() {
    // The neutrality trade-off through the command an analyst runs: a coordinated NGO shares the
    // mission's blame, so communities trust it less (docs/MODEL.md §3.17).
    let (dir, _) = setup();
    let d = dir.path();
    let base = peacesim::scenario::library::find("baseline").unwrap().text;
    let coordinated = base
        .replacen("name = \"baseline\"", "name = \"coordinated\"", 1)
        .replacen(
            "name = \"relief_ngo\"\nkind = \"ngo\"\n",
            "name = \"relief_ngo\"\nkind = \"ngo\"\nneutrality = \"coordinated\"\n",
            1,
        );
    let key = "neutrality = \"coordinated\"";
    assert_eq!(
        coordinated.matches(key).count(),
        base.matches(key).count() + 1
    );
    std::fs::write(d.join("a.toml"), base.replace("ticks = 365", "ticks = 120")).unwrap();
    std::fs::write(
        d.join("b.toml"),
        coordinated.replace("ticks = 365", "ticks = 120"),
    )
    .unwrap();
    ok(peacesim(
        &[
            "compare", "a.toml", "b.toml", "--runs", "4", "--out", "c", "--quiet",
        ],
        d,
    ));
    let cmp = std::fs::read_to_string(d.join("c/comparison.csv")).unwrap();
    let row = cmp
        .lines()
        .find(|l| l.starts_with("coordinated,community_trust:relief_ngo,run_mean,"))
        .unwrap_or_else(|| panic!("no standing row for the NGO:\n{cmp}"));
    let diff: f64 = row.split(',').nth(7).unwrap().parse().unwrap();
    assert!(diff < -0.03 && row.ends_with(",worse"), "{row}");
    assert!(
        cmp.contains("baseline,community_trust:un_mission,final,"),
        "{cmp}"
    );
}

/// Intervals stay within what their metric can take (a normal-approximation interval of 2–3
/// runs reached −0.55 for a share and below 0 for counts in the sweep's points.csv), and a
/// running total has no whole-run mean in the comparison table.
#[test]
fn intervals_stay_within_each_metrics_range() {
    let (dir, sweep) = setup();
    let d = dir.path();
    ok(peacesim(
        &["sweep", sweep.to_str().unwrap(), "--out", "s", "--quiet"],
        d,
    ));
    let points = std::fs::read_to_string(d.join("s/points.csv")).unwrap();
    let mut lines = points.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut checked = 0;
    for line in lines {
        for (name, value) in header.iter().zip(line.split(',')) {
            let Some(metric) = name
                .strip_suffix("_ci_low")
                .or_else(|| name.strip_suffix("_ci_high"))
            else {
                continue;
            };
            let v: f64 = value.parse().unwrap();
            let (lo, hi) = peacesim::experiment::compare::range(metric);
            assert!(v >= lo && v <= hi, "{name} = {v} outside [{lo}, {hi}]");
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked} interval bounds checked");
    assert_eq!(
        peacesim::experiment::compare::range("final_aid_coverage"),
        (0.0, 1.0)
    );
    assert_eq!(peacesim::experiment::compare::range("mean_detained").0, 0.0);

    compare_with_more(d, |b| b.replace("count = 8", "count = 3"), "2", "c");
    let table = std::fs::read_to_string(d.join("c/comparison.csv")).unwrap();
    // Differences of two values in [lo, hi] lie in [lo − hi, hi − lo]: two shares within ±1
    // (2 runs a side gave info_coverage a difference interval of [-1.15, +0.42]).
    let mut widest: f64 = 0.0;
    for line in table.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (lo, hi) = peacesim::experiment::compare::range(f[1]);
        for v in [f[8], f[9]] {
            let v: f64 = v.parse().unwrap();
            assert!(
                v >= lo - hi && v <= hi - lo,
                "{line}: {v} outside ±{}",
                hi - lo
            );
            if hi == 1.0 {
                widest = widest.max(v.abs());
            }
        }
    }
    assert!(widest > 0.0, "no share's difference checked");
    assert!(table.contains(",cost_cumulative,final,"));
    assert!(!table.contains(",cost_cumulative,run_mean,"), "{table}");
    // The cost is the same in every run of each configuration, different between them: an
    // exact difference, no effect size (it was "random" with d = -inf).
    let cost = table
        .lines()
        .find(|l| l.starts_with("more,cost_cumulative,final,"))
        .unwrap();
    assert!(cost.contains(",,deterministic,lower,better"), "{cost}");
    // The page names what else clearly differs beyond the four headline metrics (the cost).
    let page = std::fs::read_to_string(d.join("c/report.html")).unwrap();
    assert!(
        page.contains("<li>more vs tiny: also clearly different at the end")
            && page.contains("cost_cumulative -"),
        "{page}"
    );
}

/// A sweep of words gets a chart along a categorical axis (it had none: "No chart"): one
/// parameter draws each point's mean with its interval (`dots`, fitted and from 0), several
/// draw one scatter per parameter, numbers as before and words by category; `report` draws a
/// lost one again.
#[test]
fn a_sweep_of_words_is_drawn_by_category() {
    let (dir, _) = setup();
    let d = dir.path();
    let one = "[sweep]\nname = \"words\"\nbase = \"base.toml\"\nreplications = 3\n\n\
               [[parameters]]\npath = \"coordination.mechanism\"\n\
               values = [\"none\", \"liaison_officers\", \"integrated_hq\"]\n";
    std::fs::write(d.join("one.toml"), one).unwrap();
    ok(peacesim(
        &["sweep", "one.toml", "--out", "one", "--quiet"],
        d,
    ));
    for f in ["dots.png", "dots.svg", "dots-full.png"] {
        assert!(d.join("one").join(f).is_file(), "no {f}");
    }
    let svg = std::fs::read_to_string(d.join("one/dots.svg")).unwrap();
    for word in [
        "none",
        "liaison_officers",
        "integrated_hq",
        "coordination.mechanism",
    ] {
        assert!(svg.contains(word), "the chart does not name {word}");
    }
    let page = std::fs::read_to_string(d.join("one/report.html")).unwrap();
    assert!(
        page.contains("\nliaison_officers\n</text>"),
        "the page has no chart"
    );
    assert!(!page.contains("No chart"));
    // The reading says how large the sweep's effect is and whether any two points separate.
    assert!(
        page.contains("The highest and lowest means differ by ")
            && (page.contains("separate no two points") || page.contains("are told apart")),
        "{page}"
    );

    let three = format!(
        "{one}\n[[parameters]]\npath = \"units.0.count\"\nvalues = [4, 8]\n\n\
         [[parameters]]\npath = \"partners.relief.engaged\"\nvalues = [false, true]\n"
    )
    .replace("replications = 3", "replications = 1");
    std::fs::write(d.join("three.toml"), three).unwrap();
    ok(peacesim(
        &["sweep", "three.toml", "--out", "three", "--quiet"],
        d,
    ));
    for i in 0..3 {
        let svg = std::fs::read_to_string(d.join(format!("three/scatter_{i}.svg"))).unwrap();
        assert!(
            svg.contains("12 points"),
            "scatter_{i} does not count its points"
        );
    }
    assert!(
        std::fs::read_to_string(d.join("three/scatter_2.svg"))
            .unwrap()
            .contains("\ntrue\n</text>"),
        "true/false is drawn by category"
    );
    // A Latin hypercube of 2 samples over 3 mechanisms leaves one unsampled: its column is
    // still drawn, in the file's order (categories came in sampled order, a missing one absent).
    let lhs = one
        .replace(
            "replications = 3",
            "replications = 1\ndesign = \"latin_hypercube\"\nsamples = 2",
        )
        .replace("name = \"words\"", "name = \"lhs\"");
    std::fs::write(d.join("lhs.toml"), lhs).unwrap();
    ok(peacesim(
        &["sweep", "lhs.toml", "--out", "lhs", "--quiet"],
        d,
    ));
    let svg = std::fs::read_to_string(d.join("lhs/scatter_0.svg")).unwrap();
    let at = |w: &str| {
        svg.find(&format!("\n{w}\n</text>"))
            .unwrap_or_else(|| panic!("no {w}"))
    };
    assert!(at("none") < at("liaison_officers") && at("liaison_officers") < at("integrated_hq"));

    let before = std::fs::read(d.join("one/dots-full.png")).unwrap();
    std::fs::remove_file(d.join("one/dots-full.png")).unwrap();
    ok(peacesim(&["report", "one"], d));
    assert_eq!(std::fs::read(d.join("one/dots-full.png")).unwrap(), before);
}
