//! Input limits (issue 13): sizes and counts from a scenario file never wrap, panic or abort;
//! what cannot run is refused at validation, exit 2, with file:line:column, the field and a fix,
//! and nothing is written. Inputs that once crashed the fuzzer live in `tests/regressions/`.

use peacesim::scenario::{ScenarioError, parse_str, parse_str_with};
use std::path::Path;
use std::process::Command;

use crate::common::TINY;

/// Run `validate` and `run` on `text`; both must refuse it with exit 2 and every needle in the
/// message, and write nothing.
fn refused(name: &str, text: impl AsRef<[u8]>, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let file = format!("{name}.toml");
    std::fs::write(dir.path().join(&file), text.as_ref()).unwrap();
    for args in [
        vec!["validate", file.as_str()],
        vec!["run", file.as_str(), "--out", "out", "--ticks", "2"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_peacesim"))
            .args(&args)
            .current_dir(dir.path())
            .output()
            .expect("the binary runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name} {args:?}: {err}");
        assert!(err.contains(&file), "{name}: {err}");
        for needle in needles {
            assert!(
                err.contains(needle),
                "{name}: expected {needle:?} in: {err}"
            );
        }
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(!dir.path().join("out").exists(), "{name}: output written");
    }
}

fn problems(text: &str) -> Vec<String> {
    match parse_str(text, Path::new("t.toml")) {
        Ok(_) => Vec::new(),
        Err(ScenarioError::Invalid { problems, .. }) => problems
            .iter()
            .map(|p| format!("{}:{}: {}: {}", p.line, p.column, p.field, p.message))
            .collect(),
        Err(e) => vec![e.to_string()],
    }
}

#[test]
fn a_huge_block_is_refused_not_a_panic() {
    // Issue 13, case 1: 1 × 2³¹ by 4 × 2³¹ cells wrapped to an area of 0 and validation indexed
    // out of bounds (exit 101).
    let text = TINY.replace(
        "width = 12\nheight = 10",
        "block = 2147483648\nrows = [\"d\", \"d\", \"d\", \"d\"]\nlegend = { d = \"d\" }",
    );
    refused(
        "huge-block",
        &text,
        &[
            ":7:8:",
            "map.rows",
            "more than 200000000 cells",
            "smaller block",
        ],
    );
}

#[test]
fn a_map_over_the_memory_budget_is_refused_with_the_estimate() {
    // Issue 13, case 8: an empty 14,142² map validated, then `run` aborted on allocation.
    let text = TINY
        .replace("width = 12\nheight = 10", "width = 14142\nheight = 14142")
        .replace("population = 40", "population = 0");
    refused(
        "big-map",
        &text,
        &[
            ":5:2:",
            ": map:",
            // The map's arrays, 6.0 GiB, and its pictures at a pixel a cell.
            "needs about 11.7 GiB of memory",
            "the map alone: 6.0 GiB",
            "memory budget of 2.0 GiB",
            "--memory-budget 12G",
        ],
    );
    // The estimate is checked before the map is built, with whatever budget is given.
    let err = parse_str_with(&text, Path::new("big.toml"), 12 << 30).map(|s| s.map.width);
    assert_eq!(err.ok(), Some(14142));
}

/// Inputs a reviewer found to crash, hang or corrupt outputs (stop 15), each now refused at
/// validation with the field and a fix.
#[test]
fn inputs_that_crashed_or_corrupted_are_refused() {
    // A torus the vision reaches round: patrols were counted once per wrap, past the table of
    // arrest probabilities (index out of bounds).
    let torus =
        TINY.replace("height = 10", "height = 10\ntorus = true") + "\n[unrest]\nvision = 6\n";
    refused(
        "torus",
        torus,
        &[
            "unrest.vision",
            "reaches round this 12×10 torus",
            "use vision 4 or less, or make the map at least 13 cells wide and high, or set \
             map.torus = false",
        ],
    );
    // So small a torus that no vision fits: the fix is the map (it said "use vision < 1", and
    // vision is at least 1).
    let two = TINY
        .replace(
            "width = 12\nheight = 10",
            "width = 2\nheight = 2\ntorus = true",
        )
        .replace("population = 40", "population = 1")
        + "\n[unrest]\nvision = 1\n";
    refused(
        "tiny torus",
        two,
        &["reaches round this 2×2 torus onto itself (cells would be seen twice); make the map"],
    );
    // A tall, narrow map: its pictures overflowed a u32 (panic) or took 5.6 GB at 1 × 200,000.
    let tall = TINY
        .replace("width = 12\nheight = 10", "width = 1\nheight = 300000")
        .replace("population = 40", "population = 0");
    refused("tall", tall, &[": map:", "the pictures of the map alone"]);
    // A line break in a name split the CSV rows.
    refused(
        "newline",
        TINY.replacen("name = \"blue\"", "name = \"bl\\nue\"", 1),
        &["partners[0].name", "control character"],
    );
    // A district with no cells reported the trust of nobody.
    let extra: String = (0..9)
        .map(|i| format!("[[districts]]\nname = \"d{i}\"\npopulation = 0\n\n"))
        .collect();
    let empty = TINY
        .replace("width = 12\nheight = 10", "width = 3\nheight = 3")
        .replace("population = 40", "population = 1")
        .replace("count = 4", "count = 1")
        .replace("[[partners]]", &format!("{extra}[[partners]]"));
    refused("no-cells", empty, &["no cells on the map"]);
    // 20,000 events did not finish drawing in a minute.
    let mut many = TINY.to_string();
    for i in 0..1001 {
        many.push_str(&format!(
            "\n[[events]]\ntick = {}\nkind = \"disaster\"\namount = 0.01\n",
            1 + i % 5
        ));
    }
    refused("events", many, &["events[1000]", "at most 1000"]);
}

#[test]
fn ticks_times_districts_over_the_budget_are_refused() {
    let mut text = TINY
        .replace("ticks = 5", "ticks = 1000000")
        .replace("population = 40", "population = 1");
    for i in 0..20 {
        text.push_str(&format!(
            "\n[[districts]]\nname = \"x{i}\"\npopulation = 1\n"
        ));
    }
    let p = problems(&text);
    assert!(
        p.len() == 1 && p[0].starts_with("3:9: scenario.ticks: this scenario needs about"),
        "{p:?}"
    );
}

#[test]
fn an_election_longer_than_any_run_is_refused() {
    // Issue 13, case 10: `now + duration − 1` wrapped in release (and panicked in debug).
    let event = "\n[[events]]\ntick = 2\nkind = \"election\"\namount = 0.2\nduration = ";
    let text = format!("{TINY}{event}4294967295\n");
    refused(
        "long-election",
        &text,
        &[":26:12:", "events[0].duration", "use 1 to 1000000"],
    );
    assert!(problems(&format!("{TINY}{event}1000000\n")).is_empty());
}

#[test]
fn a_name_too_long_for_a_folder_is_refused() {
    // Issue 13, case 11: a 300-character name validated, then `run` failed after simulating.
    let text = TINY.replace(
        "name = \"tiny\"",
        &format!("name = \"{}\"", "a".repeat(300)),
    );
    refused(
        "long-name",
        &text,
        &[":2:8:", "scenario.name", "300 characters", "at most 64"],
    );
    let ok = TINY.replace("name = \"tiny\"", &format!("name = \"{}\"", "a".repeat(64)));
    assert!(problems(&ok).is_empty());
}

#[test]
fn a_file_that_is_not_utf8_is_refused_with_a_location() {
    // Found by the mutation campaign: "cannot read the scenario file", with no line or column.
    let mut bytes = TINY.as_bytes().to_vec();
    bytes.insert(TINY.find("tiny").unwrap() + 2, 0xff);
    refused(
        "not-utf8",
        bytes,
        &[":2:11:", "not UTF-8", "save the scenario file as UTF-8"],
    );
}

#[test]
fn every_integer_from_input_has_a_limit() {
    let cases = [
        ("tick = 2", "tick = 4294967295", "events[0].tick"),
        (
            "",
            "[logistics]\nconvoy_speed = 0\n",
            "logistics.convoy_speed",
        ),
        (
            "",
            "[logistics]\nfriction_delay = 4294967295\n",
            "logistics.friction_delay",
        ),
        ("", "[logistics]\nambush = 7\n", "logistics.ambush"),
        ("", "[intel]\nmemory = 4294967295\n", "intel.memory"),
        (
            "",
            "[aid]\ncoverage_window = 4294967295\n",
            "aid.coverage_window",
        ),
        ("", "[intel]\ndrone_range = 101\n", "intel.drone_range"),
    ];
    let event = "\n[[events]]\ntick = 2\nkind = \"disaster\"\namount = 0.2\n";
    for (from, to, field) in cases {
        let text = if from.is_empty() {
            format!("{TINY}{event}\n{to}")
        } else {
            format!("{TINY}{}", event.replace(from, to))
        };
        let p = problems(&text);
        assert!(
            p.len() == 1 && p[0].contains(&format!(" {field}: ")),
            "{field}: {p:?}"
        );
    }
    // Convoy trips and unit totals.
    let convoy = "\n[[partners]]\nname = \"c\"\nkind = \"contractor\"\n\n[[units]]\npartner = \"c\"\n\
                  kind = \"convoy\"\nclient = \"blue\"\ntrip_ticks = 4294967295\n";
    let p = problems(&format!("{TINY}{convoy}"));
    assert!(
        p.len() == 1 && p[0].contains("units[1].trip_ticks"),
        "{p:?}"
    );
    let many = "\n[[units]]\npartner = \"blue\"\nkind = \"aid_team\"\ncount = 10000000\n";
    let p = problems(&format!("{TINY}{many}{many}"));
    assert!(p.iter().any(|m| m.contains("units in all")), "{p:?}");
}

#[test]
fn validation_is_linear_in_districts_and_cells() {
    // Issue 13, case 8: cells were counted once per district (100 districts on a large map:
    // 25.6 s). The counts must still add up to the map.
    let mut text = TINY
        .replace("width = 12\nheight = 10", "width = 3000\nheight = 3000")
        .replace("population = 40", "population = 4");
    for i in 0..99 {
        text.push_str(&format!(
            "\n[[districts]]\nname = \"x{i}\"\ndensity = 0.01\n"
        ));
    }
    let s = parse_str(&text, Path::new("many.toml")).unwrap_or_else(|e| panic!("{e}"));
    let cells: u64 = s.districts.iter().map(|d| d.cells as u64).sum();
    assert_eq!(cells, 9_000_000);
    assert_eq!(
        s.districts[5].population,
        (s.districts[5].cells as f64 * 0.01).round() as u32
    );
}

#[test]
fn inputs_that_once_crashed_the_fuzzer_are_refused_or_accepted_without_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let result = std::panic::catch_unwind(|| parse_str(&text, &path).map(|_| ()));
        assert!(result.is_ok(), "{} panics", path.display());
        seen += 1;
    }
    assert!(seen > 0, "no regression inputs in {}", dir.display());
}

#[test]
fn a_sweep_file_that_is_not_utf8_is_refused_at_its_first_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.toml");
    std::fs::write(&f, b"[sweep]\nname = \"x\xff\"\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_peacesim"))
        .args(["sweep", f.to_str().unwrap(), "--out"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml:2:10") && err.contains("not UTF-8"),
        "{err}"
    );
    assert!(!dir.path().join("out").exists());
}
