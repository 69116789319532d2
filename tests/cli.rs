use clap::CommandFactory;
use std::path::Path;
use std::process::Command;

#[test]
fn clap_definition_is_consistent() {
    peacesim::cli::Cli::command().debug_assert();
}

fn peacesim(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_peacesim"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the binary runs")
}

use crate::common::TINY as GOOD;

/// Each case: file text, then fragments the error must contain (line:column and field).
fn bad_cases() -> Vec<(&'static str, String, Vec<&'static str>)> {
    vec![
        ("empty", String::new(), vec![":1:1:", "empty"]),
        ("not-toml", "this is not = = toml\n".into(), vec![":1:"]),
        (
            "unknown-field",
            GOOD.replace("ticks = 5", "ticks = 5\nspeed = 3"),
            vec![":4:1:", "speed"],
        ),
        (
            "unknown-partner",
            GOOD.replace("partner = \"blue\"", "partner = \"red\""),
            vec![
                ":18:11:",
                "units[0].partner",
                "unknown partner \"red\"",
                "\"blue\"",
            ],
        ),
        (
            "negative-population",
            GOOD.replace("population = 40", "population = -5"),
            vec![":11:14:", "districts[0].population", "negative"],
        ),
    ]
}

#[test]
fn validate_accepts_a_good_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.toml"), GOOD).unwrap();
    let out = peacesim(&["validate", "good.toml"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("40 citizens"));
}

#[test]
fn bad_files_exit_2_with_line_and_field_and_write_nothing() {
    for (name, text, needles) in bad_cases() {
        let dir = tempfile::tempdir().unwrap();
        let file = format!("{name}.toml");
        std::fs::write(dir.path().join(&file), &text).unwrap();
        for command in [
            vec!["validate", file.as_str()],
            vec!["run", file.as_str(), "--out", "out"],
        ] {
            let out = peacesim(&command, dir.path());
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{name} {command:?}: {err}");
            assert!(
                err.contains(&file),
                "{name}: message must name the file: {err}"
            );
            for needle in &needles {
                assert!(
                    err.contains(needle),
                    "{name}: expected {needle:?} in: {err}"
                );
            }
            assert!(!err.contains("panicked"), "{name}: {err}");
            assert!(
                !dir.path().join("out").exists(),
                "{name}: run created output on bad input"
            );
        }
    }
}

#[test]
fn validation_reports_every_problem_at_once() {
    let text = GOOD.replace("population = 40", "population = 400").replace(
        "kind = \"patrol\"",
        "kind = \"patrol\"\ndistrict = \"nowhere\"",
    );
    let err = peacesim::scenario::parse_str(&text, Path::new("two.toml")).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("2 problems"), "{msg}");
    assert!(msg.contains("do not fit"), "{msg}");
    assert!(msg.contains("unknown district \"nowhere\""), "{msg}");
}

#[test]
fn run_writes_csv_json_and_six_charts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.toml"), GOOD).unwrap();
    let out = peacesim(
        &["run", "good.toml", "--out", "res", "--ticks", "3"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = dir.path().join("res/tiny");
    for f in [
        "timeseries.csv",
        "districts.csv",
        "summary.json",
        "manifest.json",
        "trust.png",
        "trust.svg",
        "coverage.png",
        "coverage.svg",
        "stability.png",
        "stability.svg",
    ] {
        let meta = std::fs::metadata(run.join(f)).unwrap_or_else(|_| panic!("{f} missing"));
        assert!(meta.len() > 100, "{f} is nearly empty");
    }
    let csv = std::fs::read_to_string(run.join("timeseries.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4, "header + one row per tick");
    assert!(csv.starts_with(
        "scenario,seed,run,tick,population,quiescent,active,detained,displaced,incidents"
    ));
    assert!(csv.lines().nth(1).unwrap().starts_with("tiny,"));
    let png = std::fs::read(run.join("trust.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["ticks"], 3);
    assert_eq!(
        manifest["scenario_sha256"].as_str().unwrap(),
        peacesim::report::sha256_hex(GOOD.as_bytes())
    );
    // Every file is listed with the hash of its bytes, the agent views (streamed to
    // temporaries while the run goes) included.
    let files = manifest["files"].as_object().unwrap();
    assert!(files.contains_key("agents-day-0003.png"), "{files:?}");
    for (name, hash) in files {
        let bytes = std::fs::read(run.join(name)).unwrap();
        assert_eq!(
            hash.as_str().unwrap(),
            peacesim::report::sha256_hex(&bytes),
            "{name}"
        );
    }
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&run)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty());
}

/// A rerun into the same folder leaves one run's files: what the previous run wrote and this one
/// does not (its last day's agent picture, with fewer ticks) is gone; a file of the user's stays.
#[test]
fn a_rerun_leaves_no_files_of_the_run_it_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("good.toml"), GOOD).unwrap();
    let run = |ticks: &str| {
        let out = peacesim(&["run", "good.toml", "--out", "res", "--ticks", ticks], d);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run("3");
    let folder = d.join("res/tiny");
    assert!(folder.join("agents-day-0003.png").exists());
    std::fs::write(folder.join("my-notes.txt"), "mine").unwrap();
    run("2");
    assert!(
        !folder.join("agents-day-0003.png").exists(),
        "the old run's picture stayed"
    );
    assert!(folder.join("agents-day-0002.png").exists());
    assert_eq!(
        std::fs::read_to_string(folder.join("my-notes.txt")).unwrap(),
        "mine"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).unwrap()).unwrap();
    let listed = manifest["files"].as_object().unwrap();
    for entry in std::fs::read_dir(&folder).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            listed.contains_key(&name) || name == "manifest.json" || name == "my-notes.txt",
            "{name} is not this run's"
        );
    }
}

/// `peacesim report DIR` of a run drawn with `--animate` gives back every file of that run,
/// byte for byte, the animation included (it used to redraw without it and remove
/// animation.gif and the frames); and the command the page prints is that run's.
#[test]
fn report_keeps_an_animated_runs_animation() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("good.toml"), GOOD).unwrap();
    use crate::experiments::ok;
    ok(peacesim(
        &[
            "run",
            "good.toml",
            "--out",
            "res",
            "--ticks",
            "4",
            "--animate",
        ],
        d,
    ));
    let folder = d.join("res/tiny");
    let files = |dir: &std::path::Path| -> std::collections::BTreeMap<_, _> {
        crate::common::files_under(dir)
            .into_iter()
            .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
            .collect()
    };
    let before = files(&folder);
    assert!(before.contains_key(&folder.join("animation.gif")));
    let page = String::from_utf8_lossy(&before[&folder.join("report.html")]).into_owned();
    assert!(
        page.contains("<pre>peacesim run good.toml --seed ")
            && page.contains("--ticks 4 --animate</pre>"),
        "the page's command is not the run's"
    );
    ok(peacesim(&["report", "res/tiny"], d));
    let after = files(&folder);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &before {
        assert!(after[path] == *bytes, "{} changed", path.display());
    }
}

/// `--animate-days FROM..TO` animates that window only, every day of it up to 150 days; the
/// page says which days and prints the command that draws them again; `report` rebuilds the
/// same frames byte for byte (the window read back from the frames the manifest lists), and
/// `report --animate-days` draws another window and removes the old one's frames. A window
/// outside the run is refused before anything is written.
#[test]
fn an_animation_window_is_drawn_kept_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("good.toml"), GOOD.replace("ticks = 5", "ticks = 12")).unwrap();
    use crate::experiments::ok;
    let run = |days: &str| {
        peacesim(
            &["run", "good.toml", "--out", "res", "--animate-days", days],
            d,
        )
    };
    let out = run("3..40");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--animate-days `3..40`")
            && err.contains("12 days")
            && err.contains("--ticks"),
        "{err}"
    );
    assert!(!d.join("res/tiny").exists(), "a refused window wrote files");
    ok(run("4..9"));
    let folder = d.join("res/tiny");
    let frames = |folder: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder.join("frames"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let days = |from: u32, to: u32| -> Vec<String> {
        (from..=to)
            .map(|t| format!("agents-day-{t:04}.png"))
            .collect()
    };
    assert_eq!(frames(&folder), days(4, 9));
    let page = std::fs::read_to_string(folder.join("report.html")).unwrap();
    assert!(
        page.contains("--ticks 12 --animate-days 4..9</pre>"),
        "the page's command"
    );
    assert!(
        page.contains("days 4–9, animated (every day)"),
        "the page's caption"
    );
    let files = |dir: &Path| -> std::collections::BTreeMap<_, _> {
        crate::common::files_under(dir)
            .into_iter()
            .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
            .collect()
    };
    let before = files(&folder);
    std::fs::remove_file(folder.join("frames/agents-day-0006.png")).unwrap();
    ok(peacesim(&["report", "res/tiny"], d));
    assert!(
        files(&folder) == before,
        "report did not give the window back as it was"
    );
    ok(peacesim(
        &["report", "res/tiny", "--animate-days", "10.."],
        d,
    ));
    assert_eq!(frames(&folder), days(10, 12));
    let page = std::fs::read_to_string(folder.join("report.html")).unwrap();
    assert!(
        page.contains("--animate-days 10..12</pre>"),
        "the page's command"
    );
    // The whole run again: the same files as `--animate` draws.
    ok(peacesim(&["report", "res/tiny", "--animate-days", ".."], d));
    let whole = files(&folder);
    ok(peacesim(
        &["run", "good.toml", "--out", "res", "--animate"],
        d,
    ));
    // Every file but the manifest, whose command line differs.
    let manifest = folder.join("manifest.json");
    let without = |mut f: std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>| {
        f.remove(&manifest);
        f
    };
    assert!(
        without(files(&folder)) == without(whole),
        "the window 1..12 is not the whole run"
    );
}

/// From an empty folder: list, run a bundled scenario by name, new, completions.
#[test]
fn bundled_scenarios_work_from_an_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = peacesim(&["list"], dir.path());
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for name in ["baseline", "epstein", "withdrawal-shock"] {
        assert!(text.contains(name), "list misses {name}: {text}");
    }

    let out = peacesim(&["run", "epstein", "--ticks", "5"], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("output/epstein") && said.contains("open first"),
        "{said}"
    );
    assert!(dir.path().join("output/epstein/timeseries.csv").exists());

    let out = peacesim(
        &["new", "my-mission", "--from", "withdrawal-shock"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = dir.path().join("my-mission.toml");
    let s = peacesim::scenario::load(&written).unwrap();
    assert_eq!(s.scenario.name, "my-mission");
    // --dir is made if missing (it failed with "No such file or directory", said twice).
    let deep = peacesim(&["new", "deep", "--dir", "a/b/c"], dir.path());
    assert!(
        deep.status.success(),
        "{}",
        String::from_utf8_lossy(&deep.stderr)
    );
    assert!(dir.path().join("a/b/c/deep.toml").is_file());
    // Never overwrites; a bad name or an unknown template is refused with exit 2.
    let before = std::fs::read(&written).unwrap();
    for args in [
        &["new", "my-mission"][..],
        &["new", "bad name"][..],
        &["new", "x", "--from", "nosuch"][..],
    ] {
        let out = peacesim(args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
    assert_eq!(std::fs::read(&written).unwrap(), before);
    assert!(!dir.path().join("x.toml").exists());

    let out = peacesim(&["run", "nosuch"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("peacesim list"));

    let out = peacesim(&["completions", "bash"], dir.path());
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("_peacesim"));
}

/// A sweep file given to `validate`/`run`, or a scenario given to `sweep`, says which kind it is.
#[test]
fn a_file_of_the_wrong_kind_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sweep = root.join("scenarios/sweeps/patrols-aid.toml");
    let scenario = root.join("scenarios/baseline.toml");
    for (args, says) in [
        (
            vec!["validate", sweep.to_str().unwrap()],
            "this is a sweep file",
        ),
        (vec!["run", sweep.to_str().unwrap()], "this is a sweep file"),
        (
            vec!["sweep", scenario.to_str().unwrap()],
            "this is a scenario file",
        ),
    ] {
        let out = peacesim(&args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(
            std::fs::read_dir(dir.path()).unwrap().next().is_none(),
            "wrote something"
        );
    }
}

/// `--out` naming a file (or a path through one) says which file is in the way and what to do,
/// once (it printed "File exists" in the message and again as its cause).
#[test]
fn an_out_that_is_a_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("results"), "mine").unwrap();
    for (args, out) in [
        (vec!["run", "baseline", "--ticks", "2"], "results"),
        (vec!["run", "baseline", "--ticks", "2"], "results/sub"),
        (
            vec![
                "compare", "baseline", "nato-eu", "--runs", "2", "--ticks", "2", "--quiet",
            ],
            "results",
        ),
    ] {
        let args = [&args[..], &["--out", out][..]].concat();
        let run = peacesim(&args, dir.path());
        assert!(!run.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(
            err.contains("results is a file, not a folder; name a folder instead"),
            "{args:?}: {err}"
        );
        assert_eq!(
            err.matches("File exists").count(),
            err.contains("os error 17") as usize
        );
        assert_eq!(std::fs::read(dir.path().join("results")).unwrap(), b"mine");
    }
}

/// An event after a run's last day never happens: run, compare and validate say so on stderr
/// (and the run page marks it), for the file's own ticks and for `--ticks`; a run long enough
/// for it says nothing.
#[test]
fn events_after_the_end_are_said() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{GOOD}\n[[events]]\ntick = 20\nkind = \"disaster\"\namount = 0.1\n");
    std::fs::write(dir.path().join("late.toml"), &text).unwrap();
    let other = text.replace("name = \"tiny\"", "name = \"tiny2\"");
    std::fs::write(dir.path().join("late2.toml"), other).unwrap();
    let note = "event after the run's last day";
    for (args, said) in [
        (vec!["validate", "late.toml"], true),
        (vec!["run", "late.toml", "--out", "o"], true),
        (
            vec!["run", "late.toml", "--ticks", "25", "--out", "o"],
            false,
        ),
        (
            vec![
                "compare",
                "late.toml",
                "late2.toml",
                "--runs",
                "2",
                "--out",
                "c",
                "--quiet",
            ],
            true,
        ),
    ] {
        let out = peacesim(&args, dir.path());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.contains(note), said, "{args:?}: {err}");
        assert!(out.status.success(), "{args:?}: {err}");
    }
    let page = std::fs::read_to_string(dir.path().join("o/tiny/report.html")).unwrap();
    assert!(
        !page.contains("it did not happen"),
        "the 25-tick run had it"
    );
    peacesim(&["run", "late.toml", "--out", "o"], dir.path());
    let page = std::fs::read_to_string(dir.path().join("o/tiny/report.html")).unwrap();
    assert!(page.contains("after this run's last day: it did not happen"));
}

/// A folder named like a bundled scenario (`output/baseline`, seen from `output/`) does not
/// hide it (it gave "cannot read the scenario file: Is a directory"); any other folder is
/// called a folder.
#[test]
fn a_folder_does_not_hide_a_bundled_scenario() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("baseline")).unwrap();
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    let ok = peacesim(&["validate", "baseline"], dir.path());
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let err = peacesim(&["validate", "mine"], dir.path());
    assert_eq!(err.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&err.stderr)
            .contains("mine: a folder, not a scenario file, and no bundled scenario"),
        "{}",
        String::from_utf8_lossy(&err.stderr)
    );
}

/// Output folders are named by `[scenario] name`: a copy of a scenario that keeps the name is
/// refused rather than silently replacing the original's results; the same file may rerun.
#[test]
fn a_run_never_replaces_another_scenario_files_results() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.toml"), GOOD).unwrap();
    std::fs::write(d.join("b.toml"), GOOD.replace("ticks = 5", "ticks = 4")).unwrap();
    assert!(peacesim(&["run", "a.toml"], d).status.success());
    let before = std::fs::read(d.join("output/tiny/manifest.json")).unwrap();
    let out = peacesim(&["run", "b.toml"], d);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("another scenario file"));
    assert_eq!(
        std::fs::read(d.join("output/tiny/manifest.json")).unwrap(),
        before
    );
    // The same file edited may replace its own results.
    std::fs::write(d.join("a.toml"), GOOD.replace("ticks = 5", "ticks = 3")).unwrap();
    assert!(peacesim(&["run", "a.toml"], d).status.success());
    assert!(
        peacesim(&["run", "b.toml", "--out", "other"], d)
            .status
            .success()
    );
}

/// `report` on something that is not a results folder says what it is and what to run instead
/// (it passed the OS error on `DIR/manifest.json` through: "Not a directory (os error 20)").
#[test]
fn report_says_what_a_folder_is_not_and_what_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("empty")).unwrap();
    std::fs::create_dir_all(d.join("shards/parts")).unwrap();
    std::fs::write(d.join("shards/parts/sweep.toml"), "").unwrap();
    std::fs::write(d.join("s.toml"), GOOD).unwrap();
    let cases: [(&str, &[&str]); 5] = [
        ("nowhere", &["nowhere: no such folder", "manifest.json"]),
        (
            "empty",
            &["empty holds no manifest.json", "run the command again"],
        ),
        (
            "s.toml",
            &["is a file, not a folder", "peacesim run s.toml"],
        ),
        ("shards", &["did not finish", "to resume it"]),
        ("shards/parts/sweep.toml", &["is a file, not a folder"]),
    ];
    for (target, words) in cases {
        let out = peacesim(&["report", target], d);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{target}: {err}");
        assert!(!err.contains("os error"), "{target}: {err}");
        for w in words {
            assert!(err.contains(w), "{target}: expected {w:?} in {err}");
        }
    }
    std::fs::write(d.join("shards/parts/part-0-of-2.json"), "{}").unwrap();
    let err = String::from_utf8_lossy(&peacesim(&["report", "shards"], d).stderr).into_owned();
    assert!(err.contains("peacesim merge shards"), "{err}");

    // A folder of results folders names them; a manifest that is not ours is refused and its
    // folder left alone (its report.html was replaced by a "comparison" page, exit 0).
    std::fs::create_dir_all(d.join("out/other")).unwrap();
    std::fs::write(d.join("out/other/manifest.json"), r#"{"files": {}}"#).unwrap();
    std::fs::write(d.join("out/other/report.html"), "MINE").unwrap();
    let out = peacesim(&["report", "out"], d);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("holds results folders") && err.contains("other"),
        "{err}"
    );
    let out = peacesim(&["report", "out/other"], d);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("not a manifest peacesim wrote"), "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("out/other/report.html")).unwrap(),
        "MINE"
    );
}

/// The run page says a district's trust fell when it fell: withdrawal-shock's east goes 0.60 →
/// 0.58 and the page said trust "rose least" there.
#[test]
fn the_run_page_calls_a_fall_a_fall() {
    let dir = tempfile::tempdir().unwrap();
    crate::experiments::ok(peacesim(&["run", "withdrawal-shock"], dir.path()));
    let page =
        std::fs::read_to_string(dir.path().join("output/withdrawal-shock/report.html")).unwrap();
    assert!(
        page.contains("fell most in east (0.60 → 0.58)") && !page.contains("least in east"),
        "{}",
        page.split("By district")
            .nth(1)
            .unwrap_or("")
            .chars()
            .take(200)
            .collect::<String>()
    );
}
