//! Maps and the agent animation: drawing never changes the run, and the same run draws the
//! same bytes.

use crate::experiments::{ok, peacesim};
use peacesim::report::animation::{FrameRecorder, Window};
use peacesim::report::maps;
use peacesim::scenario::library;
use peacesim::sim;
use std::path::Path;
use std::sync::Arc;

fn bundled(name: &str, ticks: u32) -> Arc<peacesim::scenario::Scenario> {
    let b = library::find(name).expect("bundled scenario");
    let mut s = peacesim::scenario::parse_str(b.text, Path::new(name)).expect("valid");
    s.ticks = ticks;
    Arc::new(s)
}

/// Maps, snapshots (streamed to temporaries, read back), frames and GIF of one run.
fn draw(s: &Arc<peacesim::scenario::Scenario>) -> (sim::RunOutput, Vec<(String, Vec<u8>)>) {
    let ticks = maps::map_ticks(s.ticks);
    let dir = tempfile::tempdir().unwrap();
    let mut frames = FrameRecorder::new(
        s.clone(),
        s.ticks,
        ticks.clone(),
        Some(Window::whole(s.ticks)),
        dir.path(),
    );
    let out = sim::run_observed(s.clone(), 0, s.ticks, |w, t| frames.observe(w, t));
    let mut files = maps::district_maps(s, &out.districts, &ticks, Path::new(".")).unwrap();
    let recorded = frames.finish().unwrap();
    for (name, file) in &recorded.pictures {
        files.push((name.clone(), file.read_back().unwrap()));
    }
    files.extend(recorded.files);
    (out, files)
}

#[test]
fn observing_does_not_change_the_run() {
    let s = bundled("baseline", 30);
    let (observed, _) = draw(&s);
    assert_eq!(observed, sim::run(s, 0, 30));
}

#[test]
fn same_run_draws_identical_bytes() {
    let s = bundled("epstein", 40);
    let (_, a) = draw(&s);
    let (_, b) = draw(&s);
    let names: Vec<&str> = a.iter().map(|f| f.0.as_str()).collect();
    for want in [
        "map-stability.png",
        "map-trust.png",
        "map-security.png",
        "agents-day-0001.png",
        "agents-day-0040.png",
        "animation.gif",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.0, y.0);
        assert!(x.1 == y.1, "{} differs between two identical runs", x.0);
    }
    let gif = &a.iter().find(|f| f.0 == "animation.gif").unwrap().1;
    assert_eq!(&gif[..6], b"GIF89a");
}

#[test]
fn report_rebuilds_a_run_folder_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_peacesim");
    let run = std::process::Command::new(bin)
        .args(["run", "baseline", "--ticks", "20", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let folder = dir.path().join("baseline");
    let page = std::fs::read(folder.join("report.html")).unwrap();
    let text = String::from_utf8_lossy(&page);
    assert!(text.contains("<svg") && text.contains("data:image/png;base64,"));
    // The page speaks the scenario file's words, not Rust's names of them.
    for word in [
        "<td>restrained</td>",
        "<td>robust</td>",
        "mechanism = &quot;none&quot;",
        // A posture only for partners with patrols (the NGO's was "restrained").
        "<td>relief_ngo</td><td>ngo</td><td>— (no patrols)</td>",
    ] {
        assert!(text.contains(word), "the run page lacks {word}");
    }
    for rust in [">Restrained<", ">Robust<", ": None."] {
        assert!(!text.contains(rust), "the run page prints Rust's {rust}");
    }
    std::fs::remove_file(folder.join("report.html")).unwrap();
    let again = std::process::Command::new(bin)
        .arg("report")
        .arg(&folder)
        .output()
        .unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(std::fs::read(folder.join("report.html")).unwrap(), page);
}

/// A compare's and a sweep's `report.html` are listed in their manifest with the hash of the
/// page `peacesim report DIR` rebuilds.
#[test]
fn compare_and_sweep_pages_are_in_the_manifest_and_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_peacesim");
    let root = env!("CARGO_MANIFEST_DIR");
    let cmp = dir.path().join("cmp");
    let sweep = dir.path().join("sweep");
    let scenario = |n: &str| format!("{root}/scenarios/{n}.toml");
    let runs: [Vec<String>; 2] = [
        vec![
            "compare".into(),
            scenario("epstein"),
            scenario("epstein-mesa"),
            "--runs".into(),
            "2".into(),
            "--quiet".into(),
            "--out".into(),
            cmp.display().to_string(),
        ],
        vec![
            "sweep".into(),
            format!("{root}/scenarios/sweeps/patrols-aid.toml"),
            "--quiet".into(),
            "--out".into(),
            sweep.display().to_string(),
        ],
    ];
    for (args, folder) in runs.iter().zip([&cmp, &sweep]) {
        let out = std::process::Command::new(bin).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).unwrap()).unwrap();
        let listed = manifest["files"]["report.html"]
            .as_str()
            .expect("report.html listed");
        let page = folder.join("report.html");
        std::fs::remove_file(&page).unwrap();
        let again = std::process::Command::new(bin)
            .arg("report")
            .arg(folder)
            .output()
            .unwrap();
        assert!(
            again.status.success(),
            "{}",
            String::from_utf8_lossy(&again.stderr)
        );
        let rebuilt = peacesim::report::sha256_hex(&std::fs::read(&page).unwrap());
        assert_eq!(rebuilt, listed, "{} rebuilt differently", page.display());
    }
}

/// A district nobody lives in has no means in districts.csv (empty cells), is greyed on the
/// district maps ("no residents") and left out of the run page's reading of trust by district
/// (its trust read 0 and its stability 0.67).
#[test]
fn a_district_without_residents_is_not_read_as_distrustful() {
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/baseline.toml"
    ))
    .unwrap();
    let at = base.find("name = \"east\"").unwrap();
    let density = at + base[at..].find("density = 0.5").unwrap();
    let text = format!(
        "{}population = 0{}",
        &base[..density],
        &base[density + "density = 0.5".len()..]
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("empty-east.toml");
    std::fs::write(&file, text).unwrap();
    // 60 days: trust has risen everywhere people live, so a district read as 0 → 0 would be
    // named as the one where it rose least.
    ok(peacesim(
        &["run", "empty-east.toml", "--ticks", "60", "--out", "."],
        dir.path(),
    ));
    let folder = dir.path().join("baseline");
    let page = std::fs::read_to_string(folder.join("report.html")).unwrap();
    let reading = page
        .lines()
        .find(|l| l.contains("By district, trust rose most"))
        .unwrap();
    assert!(!reading.contains(" in east ("), "{reading}");
    // districts.csv leaves its means empty (they read trust 0, stability 0.67).
    let csv = std::fs::read_to_string(folder.join("districts.csv")).unwrap();
    let east = csv.lines().find(|l| l.contains(",east,")).unwrap();
    assert!(east.contains(",east,0,0,0,0,,,,,"), "{east}");
    // The map greys the district nobody lives in (it was coloured as trust 0).
    let with_note = std::fs::read(folder.join("map-trust.png")).unwrap();
    let plain = tempfile::tempdir().unwrap();
    ok(peacesim(
        &["run", "baseline", "--ticks", "10", "--out", "."],
        plain.path(),
    ));
    let image = |bytes: &[u8]| image::load_from_memory(bytes).unwrap().to_rgb8();
    let (a, b) = (
        image(&with_note),
        image(&std::fs::read(plain.path().join("baseline/map-trust.png")).unwrap()),
    );
    // Grey (220, 220, 220) fills the empty district's cells in the first panel.
    let grey = |img: &image::RgbImage| img.pixels().filter(|p| p.0 == [220, 220, 220]).count();
    assert!(grey(&a) > grey(&b) + 1000, "{} vs {}", grey(&a), grey(&b));
}
