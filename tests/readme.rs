//! README's lists of output files and CSV columns (the block after "files and columns") match
//! what `run`, `compare` and `sweep` write (issue 14 item 8): a change to either fails here.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// The README block: key (before ": ") → value.
fn readme_lists() -> BTreeMap<String, String> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- files and columns: checked by tests/readme.rs -->")
        .expect("README has the files and columns block");
    let block = &readme[start..];
    let body = &block[block.find("```text\n").unwrap() + 8..];
    let body = &body[..body.find("```").unwrap()];
    body.lines()
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn peacesim(args: &[&str], dir: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_peacesim"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The files a bundle's manifest lists, and the manifest itself.
fn written(dir: &Path) -> (Vec<String>, serde_json::Value) {
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let mut files: Vec<String> = m["files"].as_object().unwrap().keys().cloned().collect();
    files.push("manifest.json".into());
    (files, m)
}

/// `name` fits `pattern`, where NNNN stands for four digits.
fn fits(pattern: &str, name: &str) -> bool {
    match pattern.split_once("NNNN") {
        None => pattern == name,
        Some((pre, post)) => {
            name.len() == pre.len() + 4 + post.len()
                && name.starts_with(pre)
                && name.ends_with(post)
                && name[pre.len()..pre.len() + 4]
                    .bytes()
                    .all(|b| b.is_ascii_digit())
        }
    }
}

fn check_files(what: &str, patterns: &[&str], files: &[String]) {
    for f in files {
        assert!(
            patterns.iter().any(|p| fits(p, f)),
            "{what} writes {f}, which README does not list"
        );
    }
    for p in patterns {
        assert!(
            files.iter().any(|f| fits(p, f)),
            "README lists {p} for {what}, which it does not write ({files:?})"
        );
    }
}

/// A README column list with `<metrics>`, `final_<metrics>`, `mean_<metrics>`,
/// `<parameters>` and `<summary>` (each summary column and its interval) spelled out.
fn expand(spec: &str, metrics: &[String], params: &[String]) -> Vec<String> {
    let summary: Vec<String> = ["final_", "mean_"]
        .iter()
        .flat_map(|p| metrics.iter().map(move |m| format!("{p}{m}")))
        .collect();
    let mut out = Vec::new();
    for token in spec.split(',') {
        match token {
            "<metrics>" => out.extend(metrics.iter().cloned()),
            "final_<metrics>" => out.extend(metrics.iter().map(|m| format!("final_{m}"))),
            "mean_<metrics>" => out.extend(metrics.iter().map(|m| format!("mean_{m}"))),
            "<parameters>" => out.extend(params.iter().cloned()),
            "<summary>" => {
                for s in &summary {
                    out.extend([s.clone(), format!("{s}_ci_low"), format!("{s}_ci_high")]);
                }
            }
            "<summary>_ci_low" | "<summary>_ci_high" => {}
            other => out.push(other.to_string()),
        }
    }
    out
}

fn header(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .next()
        .unwrap()
        .split(',')
        .map(String::from)
        .collect()
}

#[test]
fn readme_lists_the_files_and_columns_the_commands_write() {
    let lists = readme_lists();
    let list = |k: &str| -> Vec<&str> {
        lists
            .get(k)
            .unwrap_or_else(|| panic!("README block has no \"{k}\" line"))
            .split_whitespace()
            .collect()
    };
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let sweep_file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/sweeps/patrols-aid.toml"
    );
    peacesim(
        &[
            "run",
            "baseline",
            "--ticks",
            "20",
            "--animate",
            "--out",
            "run",
        ],
        d,
    );
    peacesim(
        &[
            "compare",
            "baseline",
            "withdrawal-shock",
            "--runs",
            "2",
            "--quiet",
            "--out",
            "cmp",
        ],
        d,
    );
    peacesim(&["sweep", sweep_file, "--quiet", "--out", "sweep"], d);

    let (files, _) = written(&d.join("run/baseline"));
    let mut run = list("run");
    run.extend(list("run --animate adds"));
    check_files("run --animate", &run, &files);
    let (files, _) = written(&d.join("cmp"));
    check_files("compare", &list("compare"), &files);
    let (files, manifest) = written(&d.join("sweep"));
    check_files("sweep", &list("sweep (two parameters on a grid)"), &files);

    let metrics: Vec<String> = lists["<metrics>"].split(',').map(String::from).collect();
    let params: Vec<String> = manifest["parameters"]
        .as_array()
        .expect("the sweep manifest lists its parameters")
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    for (key, file) in [
        ("timeseries.csv", "run/baseline/timeseries.csv"),
        ("districts.csv", "run/baseline/districts.csv"),
        ("compare runs.csv", "cmp/runs.csv"),
        ("compare aggregate.csv", "cmp/aggregate.csv"),
        ("compare comparison.csv", "cmp/comparison.csv"),
        ("sweep runs.csv", "sweep/runs.csv"),
        ("sweep points.csv", "sweep/points.csv"),
    ] {
        let spec = lists
            .get(key)
            .unwrap_or_else(|| panic!("README block has no {key}"));
        assert_eq!(
            expand(spec, &metrics, &params),
            header(&d.join(file)),
            "README's columns of {key} differ from {file}'s header"
        );
    }
}
