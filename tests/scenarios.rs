use peacesim::scenario;
use std::path::Path;
use std::sync::Arc;

#[test]
fn every_bundled_scenario_validates_and_runs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let loaded = scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let text = &loaded.text;
        assert!(
            text.lines().take(3).any(|l| l.starts_with('#')),
            "{}: a bundled scenario opens with a comment saying what it teaches",
            path.display()
        );
        let out = peacesim::sim::run(Arc::new(loaded.scenario), 0, 5);
        assert_eq!(out.ticks.len(), 5);
        assert!(out.ticks[4].population > 0);
        n += 1;
    }
    assert!(n >= 1);
}
