//! The routes of the classroom view. Pages and scripts are compiled in; every `/api` answer
//! is JSON (or a file to save), every refusal an [`ApiError`]. Stepping and replays run on
//! tokio's blocking pool, so a long replay never stalls the threads that serve other pages.

use super::branch::{Branch, Intervention};
use super::error::ApiError;
use super::session::{Session, Sessions, lock};
use super::view;
use crate::metrics::Recorder;
use crate::scenario::library;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use std::sync::Arc;

/// Largest request body (an uploaded scenario file).
pub const MAX_UPLOAD: usize = 1 << 20;
/// Most ticks one step request may run.
pub const MAX_STEP: u32 = 1_000;

/// What the server was started with.
pub struct App {
    pub sessions: Sessions,
    /// The scenario named on the command line (offered first in the picker).
    pub default: Branch,
}

type Shared = Arc<App>;

pub fn router(app: Shared) -> Router {
    Router::new()
        .route(
            "/",
            get(|| asset("text/html", include_str!("assets/index.html"))),
        )
        .route(
            "/app.js",
            get(|| asset("text/javascript", include_str!("assets/app.js"))),
        )
        .route(
            "/charts.js",
            get(|| asset("text/javascript", include_str!("assets/charts.js"))),
        )
        .route(
            "/style.css",
            get(|| asset("text/css", include_str!("assets/style.css"))),
        )
        .route(
            "/favicon.ico",
            get(|| async { axum::http::StatusCode::NO_CONTENT }),
        )
        .route("/api/scenarios", get(scenarios))
        .route("/api/sessions", post(create))
        .route("/api/sessions/{id}", get(state).delete(close))
        .route("/api/sessions/{id}/step", post(step))
        .route("/api/sessions/{id}/intervene", post(intervene))
        .route("/api/sessions/{id}/fork", post(fork))
        .route("/api/sessions/{id}/ping", post(ping))
        // What a closing page sends (navigator.sendBeacon can only POST).
        .route("/api/sessions/{id}/close", post(close))
        .route("/api/sessions/{id}/reset", post(reset))
        .route("/api/sessions/{id}/export.toml", get(export))
        .route("/api/sessions/{id}/timeseries.csv", get(timeseries))
        .route("/api/sessions/{id}/districts.csv", get(districts_csv))
        .route("/api/sessions/{id}/partners.csv", get(partners_csv))
        .fallback(|| async { ApiError::not_found("no such page") })
        .layer(DefaultBodyLimit::max(MAX_UPLOAD))
        .with_state(app)
}

async fn asset(kind: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, format!("{kind}; charset=utf-8")),
            (header::CACHE_CONTROL, "no-cache".to_string()),
        ],
        body,
    )
        .into_response()
}

/// The bundled scenarios and the one the server was started with.
async fn scenarios(State(app): State<Shared>) -> Response {
    let list: Vec<_> = library::BUNDLED
        .iter()
        .map(|b| serde_json::json!({"name": b.name, "title": b.title()}))
        .collect();
    axum::Json(serde_json::json!({"default": app.default.file, "bundled": list})).into_response()
}

/// The request's query (`?n=…&since=…`), or a JSON refusal.
fn query(q: Result<Query<Since>, QueryRejection>) -> Result<Since, ApiError> {
    q.map(|Query(q)| q)
        .map_err(|e| ApiError::bad_request(format!("query string: {}", e.body_text())))
}

fn parse_json<T: serde::de::DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
) -> Result<T, ApiError> {
    let body = body.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large(format!(
                "the request is larger than {} KiB (an uploaded scenario file may be at most \
                 that)",
                MAX_UPLOAD >> 10
            ))
        } else {
            ApiError::bad_request(format!("request body: {}", e.body_text()))
        }
    })?;
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        &b"{}"[..]
    } else {
        &body[..]
    };
    serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("request body: {e}")))
}

/// Run `f` on the blocking pool (replays and steps are CPU work).
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| ApiError::internal("the simulation stopped unexpectedly; start a new one"))?
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Create {
    /// A bundled scenario's name, or the file the server was started with.
    scenario: Option<String>,
    /// An uploaded scenario's text and file name.
    text: Option<String>,
    file_name: Option<String>,
    seed: Option<serde_json::Number>,
}

async fn create(
    State(app): State<Shared>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let req: Create = parse_json(body)?;
    let mut branch = match (&req.text, &req.scenario) {
        (Some(text), _) => {
            let name = req
                .file_name
                .clone()
                .unwrap_or_else(|| "upload.toml".into());
            let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
            Branch {
                file: name,
                base: text.clone(),
                seed: 0,
                added: Vec::new(),
            }
        }
        (None, Some(name)) if *name == app.default.file => app.default.clone(),
        (None, Some(name)) => {
            let b = library::find(name).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "no bundled scenario \"{name}\"; bundled: {}",
                    library::names()
                ))
            })?;
            Branch {
                file: b.display_path(),
                base: b.text.to_string(),
                seed: 0,
                added: Vec::new(),
            }
        }
        (None, None) => app.default.clone(),
    };
    let budget = app.sessions.limits.memory_budget;
    let app2 = app.clone();
    blocking(move || {
        // The file's own seed unless the page chose one.
        branch.seed = match seed_of(req.seed)? {
            Some(s) => s,
            None => {
                crate::scenario::parse_str_with(
                    &branch.base,
                    std::path::Path::new(&branch.file),
                    budget,
                )?
                .seed
            }
        };
        let (id, session) = app2.sessions.insert(Session::new(branch, budget)?)?;
        let s = lock(&session)?;
        Ok(state_json(&id, &s, 0, true))
    })
    .await
}

/// The session's state as a JSON answer (rows after `since`; with `info`, the fixed picture),
/// written straight to bytes.
fn state_json(id: &str, s: &Session, since: u32, info: bool) -> Response {
    let body =
        serde_json::to_vec(&view::progress(id, s, since, info)).expect("the view serializes");
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

#[derive(Deserialize)]
struct Since {
    since: Option<u32>,
    n: Option<u32>,
}

async fn state(
    State(app): State<Shared>,
    UrlPath(id): UrlPath<String>,
    q: Result<Query<Since>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = query(q)?;
    let s = app.sessions.get(&id)?;
    blocking(move || {
        let s = lock(&s)?;
        Ok(state_json(&id, &s, q.since.unwrap_or(0), true))
    })
    .await
}

async fn step(
    State(app): State<Shared>,
    UrlPath(id): UrlPath<String>,
    q: Result<Query<Since>, QueryRejection>,
) -> Result<Response, ApiError> {
    let q = query(q)?;
    let n = q.n.unwrap_or(1);
    if n == 0 || n > MAX_STEP {
        return Err(ApiError::bad_request(format!(
            "n = {n}: step 1 to {MAX_STEP} ticks at a time"
        )));
    }
    let s = app.sessions.get(&id)?;
    blocking(move || {
        let mut s = lock(&s)?;
        let since = q.since.unwrap_or_else(|| s.tick());
        s.step(n);
        Ok(state_json(&id, &s, since, false))
    })
    .await
}

async fn intervene(
    State(app): State<Shared>,
    UrlPath(id): UrlPath<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let iv: Intervention = parse_json(body)?;
    let s = app.sessions.get(&id)?;
    blocking(move || {
        let mut s = lock(&s)?;
        s.intervene(iv)?;
        Ok(state_json(&id, &s, 0, true))
    })
    .await
}

async fn fork(
    State(app): State<Shared>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, ApiError> {
    let s = app.sessions.get(&id)?;
    let app2 = app.clone();
    blocking(move || {
        let forked = lock(&s)?.fork()?;
        let (new_id, forked) = app2.sessions.insert(forked)?;
        let s = lock(&forked)?;
        Ok(state_json(&new_id, &s, 0, true))
    })
    .await
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Reset {
    seed: Option<serde_json::Number>,
}

/// The page's seed field as a whole number, else a refusal in its words (serde said "invalid
/// value: integer `-1`, expected u64"). Its range is checked where every branch's seed is,
/// when the session starts ([`Session::new`]).
fn seed_of(n: Option<serde_json::Number>) -> Result<Option<u64>, ApiError> {
    n.map(|n| {
        n.as_u64()
            .ok_or_else(|| crate::serve::branch::seed_refused(&n))
    })
    .transpose()
}

async fn reset(
    State(app): State<Shared>,
    UrlPath(id): UrlPath<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let req: Reset = parse_json(body)?;
    let seed = seed_of(req.seed)?;
    let s = app.sessions.get(&id)?;
    blocking(move || {
        let mut s = lock(&s)?;
        s.reset(seed)?;
        Ok(state_json(&id, &s, 0, true))
    })
    .await
}

/// Keeps an open page's simulation alive (an unused one is dropped after the idle time).
async fn ping(
    State(app): State<Shared>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, ApiError> {
    app.sessions.get(&id)?;
    Ok(axum::Json(serde_json::json!({"alive": id})).into_response())
}

async fn close(
    State(app): State<Shared>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, ApiError> {
    if app.sessions.remove(&id) {
        Ok(axum::Json(serde_json::json!({"closed": id})).into_response())
    } else {
        Err(app
            .sessions
            .get(&id)
            .err()
            .unwrap_or_else(|| ApiError::not_found(format!("no simulation \"{id}\""))))
    }
}

fn download(kind: &str, name: String, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, format!("{kind}; charset=utf-8")),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

async fn export(
    State(app): State<Shared>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, ApiError> {
    let s = app.sessions.get(&id)?;
    blocking(move || {
        let s = lock(&s)?;
        let name = format!("{}-whatif.toml", s.scenario.name);
        Ok(download(
            "application/toml",
            name,
            s.branch.export().into_bytes(),
        ))
    })
    .await
}

/// What the page has shown so far, as `peacesim run` writes `name` (same columns and number
/// format: its first lines are these bytes); `rows` picks the recorder's rows for that file.
async fn recorded_csv<R: serde::Serialize + 'static>(
    app: Shared,
    id: String,
    name: &'static str,
    rows: fn(&Recorder) -> &[R],
) -> Result<Response, ApiError> {
    let s = app.sessions.get(&id)?;
    blocking(move || {
        let s = lock(&s)?;
        let body = s
            .recorded_csv(name, rows)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        Ok(download("text/csv", name.into(), body))
    })
    .await
}

async fn timeseries(
    State(app): State<Shared>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, ApiError> {
    recorded_csv(app, id, "timeseries.csv", |r| &r.ticks).await
}

async fn districts_csv(
    State(app): State<Shared>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, ApiError> {
    recorded_csv(app, id, "districts.csv", |r| &r.districts).await
}

async fn partners_csv(
    State(app): State<Shared>,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, ApiError> {
    recorded_csv(app, id, "partners.csv", |r| &r.partners).await
}
