//! The classroom view (`peacesim serve`): stepping is the same run as `peacesim run`; levers
//! and events replay exactly; forks start from the same state; an export run with
//! `peacesim run` gives the page's time series byte for byte; limits and bad input give clear
//! errors; and the real server answers over HTTP with JSON errors.

use peacesim::scenario::library;
use peacesim::serve::branch::{Branch, Intervention};
use peacesim::serve::session::{Limits, Session, Sessions};
use peacesim::sim::{self, Stepper};
use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

const BUDGET: u64 = 256 << 20;

fn baseline() -> Branch {
    let b = library::find("baseline").unwrap();
    Branch {
        file: b.display_path(),
        base: b.text.to_string(),
        seed: 2026,
        added: Vec::new(),
    }
}

fn event(json: &str) -> Intervention {
    serde_json::from_str(json).unwrap()
}

#[test]
fn stepping_is_the_same_run() {
    let s = Arc::new(baseline().scenario(BUDGET).unwrap());
    let mut stepper = Stepper::new(s.clone(), 0);
    for _ in 0..25 {
        stepper.step();
    }
    assert_eq!(stepper.tick(), 25);
    assert_eq!(stepper.finish(), sim::run(s, 0, 25));
}

/// The CSV the page offers (what `peacesim run` writes as timeseries.csv): the very bytes the
/// server sends.
fn page_csv(s: &Session) -> Vec<u8> {
    s.recorded_csv("timeseries.csv", |r| &r.ticks).unwrap()
}

#[test]
fn levers_replay_exactly_and_the_export_reproduces_the_page() {
    let mut s = Session::new(baseline(), BUDGET).unwrap();
    s.step(10);
    let before = s.stepper.recorded().ticks.clone();
    s.intervene(event(
        r#"{"kind": "policy", "partner": "regional_force", "posture": "restrained"}"#,
    ))
    .unwrap();
    assert_eq!(s.tick(), 10, "an intervention keeps the tick");
    assert_eq!(s.stepper.recorded().ticks, before, "and the days before it");
    assert_eq!(s.branch.added[0].tick, 11, "it acts from the next day");
    let mut fork = s.fork().unwrap();
    assert_eq!(
        fork.stepper.recorded().ticks,
        before,
        "a fork starts where it was made"
    );
    fork.intervene(event(
        r#"{"kind": "attack", "district": "east", "amount": 8}"#,
    ))
    .unwrap();
    s.step(30);
    fork.step(30);
    let (a, b) = (&s.stepper.recorded().ticks, &fork.stepper.recorded().ticks);
    assert_eq!(a[..10], b[..10]);
    assert_ne!(a[10..], b[10..], "the attack changes the fork");
    assert!(b[10].harm_incidents >= 80, "80 attack incidents on day 11");

    // The export, run by the library and by `peacesim run`, gives the page's rows and CSV.
    for session in [&s, &fork] {
        let text = session.branch.export();
        let scenario = peacesim::scenario::parse_str(&text, Path::new("export.toml")).unwrap();
        let ran = sim::run(Arc::new(scenario), 0, 40);
        assert_eq!(&ran.ticks, &session.stepper.recorded().ticks);

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("whatif.toml");
        std::fs::write(&file, &text).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_peacesim"))
            .args(["run", file.to_str().unwrap(), "--out"])
            .arg(dir.path().join("out"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let csv = std::fs::read(dir.path().join("out/baseline/timeseries.csv")).unwrap();
        let shown = page_csv(session);
        assert_eq!(&csv[..shown.len()], &shown[..], "byte for byte");
    }
}

#[test]
fn a_seed_and_a_reset() {
    let mut s = Session::new(baseline(), BUDGET).unwrap();
    s.step(5);
    s.intervene(event(r#"{"kind": "disaster", "amount": 0.3}"#))
        .unwrap();
    s.reset(Some(7)).unwrap();
    assert_eq!((s.tick(), s.branch.added.len(), s.scenario.seed), (0, 0, 7));
    assert!(s.branch.export().contains("\nseed = 7\n"));
    s.step(3);
    let mut other = baseline();
    other.seed = 7;
    let expected = sim::run(Arc::new(other.scenario(BUDGET).unwrap()), 0, 3);
    assert_eq!(s.stepper.recorded().ticks, expected.ticks);
}

/// A seed a scenario file cannot hold (TOML integers are signed) is refused, so every
/// session's run can be exported; the largest one it can hold exports and runs.
#[test]
fn a_seed_too_large_for_a_file_is_refused() {
    let mut s = Session::new(baseline(), BUDGET).unwrap();
    let e = s.reset(Some(u64::MAX)).unwrap_err();
    assert_eq!(e.status, 400);
    assert!(
        e.error.contains("from 0 to 9223372036854775807"),
        "{}",
        e.error
    );
    assert_eq!(s.scenario.seed, 2026, "the session is unchanged");
    s.reset(Some(i64::MAX as u64)).unwrap();
    let text = s.branch.export();
    let scenario = peacesim::scenario::parse_str(&text, Path::new("export.toml")).unwrap();
    assert_eq!(scenario.seed, i64::MAX as u64);
}

#[test]
fn bad_levers_and_uploads_are_refused_with_located_problems() {
    let mut s = Session::new(baseline(), BUDGET).unwrap();
    s.step(3);
    let e = s
        .intervene(event(
            r#"{"kind": "funding", "partner": "regional_force", "amount": 500}"#,
        ))
        .unwrap_err();
    assert_eq!(e.status, 400);
    // In the page's terms: the lever's field, no line of the exported file (which the user
    // never saw: it cited line 379 of the 370-line baseline).
    assert_eq!(
        (e.problems[0].field.as_str(), e.problems[0].line),
        ("amount", 0)
    );
    assert!(e.problems[0].message.contains("from 0 to 100"), "{e:?}");
    assert!(
        e.error.starts_with("not applied: 500 is out of range") && !e.error.contains(".toml"),
        "{e:?}"
    );
    // The same where the file lists its events inline (the lever's event lands inside that
    // list, above the file's last line): still the lever's field, no line.
    let mut inline = baseline();
    inline.base = format!(
        "events = [{{ tick = 2, kind = \"disaster\", amount = 0.1 }}] # a flood\n{}",
        inline.base
    );
    let mut t = Session::new(inline, BUDGET).unwrap();
    t.step(3);
    let e = t
        .intervene(event(
            r#"{"kind": "funding", "partner": "regional_force", "amount": 500}"#,
        ))
        .unwrap_err();
    assert_eq!(
        (e.problems[0].field.as_str(), e.problems[0].line),
        ("amount", 0),
        "{e:?}"
    );
    assert!(e.error.starts_with("not applied:"), "{e:?}");
    let e = s
        .intervene(event(r#"{"kind": "withdraw", "partner": "nobody"}"#))
        .unwrap_err();
    assert!(e.error.contains("unknown partner \"nobody\""), "{e:?}");
    assert_eq!(
        (s.tick(), s.branch.added.len()),
        (3, 0),
        "the session is unchanged"
    );
    assert!(serde_json::from_str::<Intervention>(r#"{"kind": "teleport"}"#).is_err());

    let upload = Branch {
        file: "mine.toml".into(),
        base: "[scenario]\nname = \"m\"\nticks = 10\n\n[map]\nwidth = 10\nheight = 10\n\n\
               [[districts]]\nname = \"d\"\ndensity = 7\n"
            .into(),
        seed: 1,
        added: Vec::new(),
    };
    let e = Session::new(upload, BUDGET).err().unwrap();
    assert_eq!(e.problems[0].line, 11, "{e:?}");
    assert!(e.error.contains("mine.toml:11:"), "{e:?}");

    // A scenario bigger than one session's memory budget is refused, not run.
    let e = Session::new(baseline(), 1 << 20).err().unwrap();
    assert!(e.error.contains("memory"), "{e:?}");
}

#[test]
fn a_run_stops_at_its_last_day() {
    let mut b = baseline();
    b.base = b.base.replace("ticks = 365", "ticks = 12");
    let mut s = Session::new(b, BUDGET).unwrap();
    assert_eq!(s.step(10), 10);
    assert_eq!(s.step(10), 2);
    assert_eq!(s.step(10), 0);
    let e = s
        .intervene(event(r#"{"kind": "disaster", "amount": 0.3}"#))
        .unwrap_err();
    assert!(e.error.contains("the run is over"), "{e:?}");
}

#[test]
fn sessions_are_capped_and_idle_ones_dropped() {
    let sessions = Sessions::new(Limits {
        max_sessions: 2,
        idle: Duration::from_millis(200),
        memory_budget: BUDGET,
    });
    let (a, _) = sessions
        .insert(Session::new(baseline(), BUDGET).unwrap())
        .unwrap();
    sessions
        .insert(Session::new(baseline(), BUDGET).unwrap())
        .unwrap();
    let e = sessions
        .insert(Session::new(baseline(), BUDGET).unwrap())
        .err()
        .unwrap();
    assert_eq!(e.status, 503);
    assert!(e.error.contains("2 simulations are running"), "{e:?}");
    assert!(sessions.get(&a).is_ok());
    assert_eq!(sessions.get("nope").err().unwrap().status, 404);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(sessions.expire(), 2);
    assert!(sessions.is_empty());
    assert_eq!(sessions.get(&a).err().unwrap().status, 404);
}

/// One HTTP/1.1 request to the server; returns the status and the body.
fn http(addr: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    // A server that refuses a body too large may answer and close before reading it all: the
    // answer is what counts, not whether the rest of the body could be sent.
    let _ = write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).to_string();
    let status = text[9..12].parse().unwrap();
    let body = text.split_once("\r\n\r\n").map_or("", |p| p.1);
    (status, body.to_string())
}

/// Kills the server when the test ends, passed or not.
struct Server(std::process::Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_server_answers_over_http_and_survives_bad_requests() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_peacesim"))
        .args(["serve", "baseline", "--port", "0", "--max-sessions", "3"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _server = Server(child);
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap();
    let addr = url.trim_start_matches("http://").trim_end_matches('/');

    let (status, page) = http(addr, "GET", "/", "");
    assert_eq!(status, 200);
    assert!(page.contains("classroom view"));
    let (status, body) = http(addr, "POST", "/api/sessions", "{}");
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let id = v["id"].as_str().unwrap().to_string();
    assert_eq!(v["seed"], 2026);
    assert_eq!(v["info"]["map"]["width"], 100);
    // The file's word, as the page's coordination menu spells its options (was Rust's `None`).
    assert_eq!(v["info"]["coordination"], "none");
    assert_eq!(v["coordination"], "none");

    let (status, body) = http(addr, "POST", &format!("/api/sessions/{id}/step?n=5"), "");
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["tick"], 5);
    assert_eq!(v["rows"].as_array().unwrap().len(), 5);
    assert_eq!(v["districts"].as_array().unwrap().len(), 4);

    // Bad requests: JSON errors, and the server keeps serving.
    for (method, path, body, want) in [
        ("POST", "/api/sessions/0000/step", "", 404),
        ("POST", &format!("/api/sessions/{id}/step?n=0"), "", 400),
        (
            "POST",
            &format!("/api/sessions/{id}/intervene"),
            "{not json",
            400,
        ),
        (
            "POST",
            &format!("/api/sessions/{id}/intervene"),
            r#"{"kind": "attack", "district": "east", "amount": 11}"#,
            400,
        ),
        (
            "POST",
            "/api/sessions",
            r#"{"scenario": "../../etc/passwd"}"#,
            400,
        ),
        (
            "POST",
            "/api/sessions",
            r#"{"text": "[scenario", "file_name": "x.toml"}"#,
            400,
        ),
        ("GET", "/nothing-here", "", 404),
        ("POST", &format!("/api/sessions/{id}/step?n=many"), "", 400),
        (
            "POST",
            "/api/sessions",
            &format!("{{\"text\": \"{}\"}}", "#".repeat(2 << 20)),
            413,
        ),
    ] {
        let (status, body) = http(addr, method, path, body);
        assert_eq!(status, want, "{method} {path}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{body}");
    }
    let (_, body) = http(
        addr,
        "POST",
        "/api/sessions",
        r#"{"text": "[scenario", "file_name": "x.toml"}"#,
    );
    assert!(body.contains("\"line\":1"), "{body}");
    // A seed the page's number field lets through, refused in the field's words (serde said
    // "invalid value: integer `-1`, expected u64").
    for seed in ["-1", "1.5", "9223372036854775808"] {
        for path in [
            "/api/sessions".to_string(),
            format!("/api/sessions/{id}/reset"),
        ] {
            let (status, body) = http(addr, "POST", &path, &format!("{{\"seed\": {seed}}}"));
            assert_eq!(status, 400, "{body}");
            assert!(
                body.contains(&format!(
                    "seed {seed}: use a whole number from 0 to 9223372036854775807"
                )),
                "{path} {seed}: {body}"
            );
        }
    }

    // The session cap (3): a fork and one more session fill it.
    let (status, _) = http(addr, "POST", &format!("/api/sessions/{id}/fork"), "");
    assert_eq!(status, 200);
    assert_eq!(http(addr, "POST", "/api/sessions", "{}").0, 200);
    let (status, body) = http(addr, "POST", "/api/sessions", "{}");
    assert_eq!(status, 503, "{body}");
    assert_eq!(
        http(addr, "DELETE", &format!("/api/sessions/{id}"), "").0,
        200
    );
    assert_eq!(http(addr, "POST", "/api/sessions", "{}").0, 200);

    let (status, csv) = http(addr, "GET", &format!("/api/sessions/{id}/export.toml"), "");
    assert_eq!(status, 404, "{csv}");
}
