//! `service-coordinator-server`, configured by the environment:
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `SC_DATABASE_URL` | PostgreSQL, as libpq reads it (`host=... port=... user=... dbname=...`) | required |
//! | `SC_LISTEN` | address to serve on | `127.0.0.1:8787` |
//! | `SC_CONSOLE_TOKEN` | the console's bearer token (unset: only the booking page's methods) | unset |
//! | `SC_IDLE_SECONDS` | an engine unused this long is dropped | `600` |
//! | `SC_SNAPSHOT_EVERY` | a snapshot after this many changes | `500` |
//! | `SC_ENGINE_THREADS` | threads that run engines | the CPU count |
//! | `SC_POOL` | PostgreSQL connections | `16` |

use service_coordinator_server::{serve, tenants::Settings, Config};
use std::time::Duration;

fn var<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .map_err(|_| format!("{name}: `{v}` is not a valid value")),
        Err(_) => Ok(default),
    }
}

fn config() -> Result<Config, String> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    Ok(Config {
        listen: var("SC_LISTEN", "127.0.0.1:8787".to_string())?,
        database_url: std::env::var("SC_DATABASE_URL")
            .map_err(|_| "SC_DATABASE_URL is not set (see ./dev server)".to_string())?,
        console_token: std::env::var("SC_CONSOLE_TOKEN")
            .ok()
            .filter(|t| !t.is_empty()),
        engine_threads: var("SC_ENGINE_THREADS", threads)?,
        pool_size: var("SC_POOL", 16)?,
        settings: Settings {
            idle: Duration::from_secs(var("SC_IDLE_SECONDS", 600)?),
            snapshot_every: var("SC_SNAPSHOT_EVERY", 500)?,
            queue: 1000,
        },
    })
}

fn main() {
    let config = match config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("service-coordinator-server: {e}");
            std::process::exit(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("service-coordinator-server: {e}");
            std::process::exit(1);
        }
    };
    // Stops taking requests on Ctrl-C or SIGTERM (a service manager's stop) and lets those under
    // way finish; a write is answered only once committed, so none is lost either way.
    let stop = async {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(t) => t,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    };
    if let Err(e) = runtime.block_on(serve(config, stop)) {
        eprintln!("service-coordinator-server: {e}");
        std::process::exit(1);
    }
}
