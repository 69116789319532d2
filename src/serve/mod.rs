//! `peacesim serve`: the classroom view. A local web server (axum on tokio) whose page shows a
//! run live — the map with every agent, charts of stability, trust and coverage with event
//! markers — with step / play / pause / reset, the partnership levers, injected events,
//! what-if branches side by side, and export of a branch as a scenario file that `peacesim run`
//! reproduces byte for byte.
//!
//! `session` holds the runs (one per browser tab and branch) and their limits, `branch` turns
//! what the page did into `[[events]]`, `view` is the JSON the page reads, `api` the routes,
//! `assets/` the page (HTML, JS, CSS compiled into the binary: no network, no build step).

pub mod api;
pub mod branch;
pub mod error;
pub mod session;
pub mod view;

use branch::Branch;
use session::{Limits, Sessions};
use std::sync::Arc;
use std::time::Duration;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to listen on (127.0.0.1 keeps it on this machine).
    pub host: String,
    /// Port; 0 picks a free one.
    pub port: u16,
    pub limits: Limits,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound (in use, or not an address of this machine).
    #[error("cannot listen on {addr}: {source}; try another --port (0 picks a free one)")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    /// The runtime or the server failed.
    #[error("the web server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// Serve `default` (and the bundled scenarios) until the process is stopped; `ready` gets the
/// address once the port is bound (the CLI prints it).
pub fn serve(
    default: Branch,
    opts: ServeOptions,
    ready: impl FnOnce(&str),
) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .max_blocking_threads(64)
        .build()?;
    runtime.block_on(async move {
        let addr = format!("{}:{}", opts.host, opts.port);
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .map_err(|source| ServeError::Bind {
                addr: addr.clone(),
                source,
            })?;
        let local = listener.local_addr()?;
        ready(&format!("http://{local}/"));
        let app = Arc::new(api::App {
            sessions: Sessions::new(opts.limits),
            default,
        });
        // Drop idle sessions every few seconds, even when no request comes.
        let sweeper = app.clone();
        let every =
            (opts.limits.idle / 4).clamp(Duration::from_millis(100), Duration::from_secs(30));
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                sweeper.sessions.expire();
            }
        });
        axum::serve(listener, api::router(app)).await?;
        Ok(())
    })
}
