//! A real Slurm: a 4-task job-array sweep plus a dependent merge job, compared byte for byte
//! with the same sweep run unsharded. Skipped (with a message) where no Slurm answers, unless
//! PEACESIM_REQUIRE_SLURM=1 (as in CI, which starts one with examples/slurm/local-slurm-start.sh).

use crate::experiments::{finals, ok, peacesim, setup};
use std::process::Command;
use std::time::{Duration, Instant};

fn slurm_ready() -> Result<(), String> {
    let out = Command::new("sinfo")
        .args(["-h", "-o", "%T"])
        .output()
        .map_err(|e| format!("sinfo cannot run ({e})"))?;
    let states = String::from_utf8_lossy(&out.stdout).to_string();
    if out.status.success()
        && states
            .lines()
            .any(|s| ["idle", "mixed", "allocated"].contains(&s.trim()))
    {
        Ok(())
    } else {
        Err(format!("no usable Slurm node (sinfo: {:?})", states.trim()))
    }
}

/// Poll `scontrol show job` (faster than sbatch --wait) until the job ends; its state and exit.
fn wait_for(job: &str, limit: Duration) -> (String, String) {
    let start = Instant::now();
    loop {
        let out = Command::new("scontrol")
            .args(["show", "job", job, "-o"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let field = |k: &str| {
            text.split_whitespace()
                .find_map(|w| w.strip_prefix(&format!("{k}=")))
                .unwrap_or("")
                .to_string()
        };
        let state = field("JobState");
        if [
            "COMPLETED",
            "FAILED",
            "CANCELLED",
            "TIMEOUT",
            "NODE_FAIL",
            "OUT_OF_MEMORY",
        ]
        .contains(&state.as_str())
        {
            return (state, field("ExitCode"));
        }
        assert!(
            start.elapsed() < limit,
            "job {job} still {state} after {limit:?}: {text}"
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

#[test]
fn job_array_sweep_merges_to_the_unsharded_bytes() {
    if let Err(why) = slurm_ready() {
        if std::env::var("PEACESIM_REQUIRE_SLURM").is_ok_and(|v| v == "1") {
            panic!("PEACESIM_REQUIRE_SLURM=1 but {why}");
        }
        eprintln!("skipped: {why}; start one with `sudo examples/slurm/local-slurm-start.sh`");
        return;
    }
    let (dir, _) = setup();
    let d = dir.path();
    let submit = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/slurm/submit.sh");
    let out = ok(Command::new("bash")
        .args([submit, "sweep.toml", "slurm-out", "4"])
        .env("PEACESIM", env!("CARGO_BIN_EXE_peacesim"))
        .current_dir(d)
        .output()
        .unwrap());
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    let words: Vec<&str> = said.split_whitespace().collect();
    let (array, merge) = (words[2], words[words.len() - 1]);
    let (state, exit) = wait_for(merge, Duration::from_secs(300));
    // Job logs go under the sweep's folder, none where sbatch was called.
    let logs_in = |dir: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .map(|r| {
                r.filter_map(|e| e.ok())
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".out"))
                    .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
                    .collect()
            })
            .unwrap_or_default()
    };
    let logs = logs_in(&d.join("slurm-out/slurm"));
    assert!(logs_in(d).is_empty(), "Slurm logs in the submit folder");
    assert_eq!(
        (state.as_str(), exit.as_str()),
        ("COMPLETED", "0:0"),
        "array {array}, logs: {logs:?}"
    );
    for i in 0..4 {
        assert!(
            d.join(format!("slurm-out/parts/part-{i}-of-4.csv"))
                .exists(),
            "shard {i}"
        );
    }
    ok(peacesim(
        &["sweep", "sweep.toml", "--out", "plain", "--quiet"],
        d,
    ));
    assert_eq!(finals(&d.join("slurm-out")), finals(&d.join("plain")));
}
