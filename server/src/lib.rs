//! The reference server: the engine's rules natively behind an HTTP JSON API, with PostgreSQL
//! as the store (README: "A server of your own"). Three parts: `http` (routes and who may call
//! what), `tenants` (one engine per tenant, restored on first use, dropped when idle) and `store`
//! (the tables, the change log and the exclusion constraint that is the last guard).

pub mod http;
pub mod store;
pub mod tenants;

use std::sync::Arc;
use std::time::Duration;
use tokio_postgres::NoTls;

/// Everything the server is told, from the environment (see `main`).
#[derive(Clone, Debug)]
pub struct Config {
    pub listen: String,
    pub database_url: String,
    pub console_token: Option<String>,
    pub engine_threads: usize,
    pub pool_size: usize,
    pub settings: tenants::Settings,
}

/// Opens the pool, creates the schema, starts the engine threads and the NOTIFY listener, and
/// serves until `shutdown` resolves.
pub async fn serve(
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    let mut pg: tokio_postgres::Config = config
        .database_url
        .parse()
        .map_err(|e| format!("SC_DATABASE_URL: {e}"))?;
    // A statement or a row lock waits at most 10 s: a stuck peer cannot hold requests forever.
    pg.options("-c statement_timeout=10000 -c lock_timeout=10000");
    let manager = deadpool_postgres::Manager::from_config(
        pg.clone(),
        NoTls,
        deadpool_postgres::ManagerConfig {
            recycling_method: deadpool_postgres::RecyclingMethod::Fast,
        },
    );
    let pool = deadpool_postgres::Pool::builder(manager)
        .max_size(config.pool_size)
        .wait_timeout(Some(Duration::from_secs(10)))
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .build()
        .map_err(|e| e.to_string())?;
    {
        let db = pool
            .get()
            .await
            .map_err(|e| format!("connecting to PostgreSQL: {e}"))?;
        store::create_schema(&**db)
            .await
            .map_err(|e| format!("creating the schema: {e}"))?;
    }
    let shared = Arc::new(tenants::Shared {
        pool,
        hub: tenants::Hub::default(),
        settings: config.settings.clone(),
        loaded: Default::default(),
    });
    let engines = tenants::Engines::start(shared.clone(), config.engine_threads)
        .map_err(|e| e.to_string())?;
    tokio::spawn(listen(pg, shared.clone()));
    let app = Arc::new(http::App {
        engines,
        shared,
        console_token: config.console_token.clone(),
    });
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| format!("listening on {}: {e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("service-coordinator-server: listening on http://{addr}");
    axum::serve(listener, http::router(app))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| e.to_string())
}

/// Hears the other servers' commits (NOTIFY sc_changes, 'VERSION TENANT') and moves the heads
/// that engines catch up to and change streams follow. Reconnects after a failure.
async fn listen(pg: tokio_postgres::Config, shared: Arc<tenants::Shared>) {
    use futures_util::StreamExt;
    loop {
        match pg.connect(NoTls).await {
            Ok((client, mut connection)) => {
                let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
                let driver = tokio::spawn(async move {
                    let mut messages =
                        futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                    while let Some(Ok(m)) = messages.next().await {
                        if let tokio_postgres::AsyncMessage::Notification(n) = m {
                            if tx.send(n.payload().to_string()).is_err() {
                                break;
                            }
                        }
                    }
                });
                if client.batch_execute("LISTEN sc_changes").await.is_ok() {
                    while let Some(payload) = rx.recv().await {
                        if let Some((v, tenant)) = payload.split_once(' ') {
                            if let Ok(v) = v.parse() {
                                shared.hub.advance(tenant, v);
                            }
                        }
                    }
                }
                driver.abort();
            }
            Err(e) => eprintln!("service-coordinator-server: LISTEN connection failed: {e}"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
