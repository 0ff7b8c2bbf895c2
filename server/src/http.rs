//! The HTTP JSON API: the engine's methods by name, a tenant per path, and the change stream.
//!
//! - `POST /api/{tenant}/{method}`: the method's JSON argument in, the engine's answer out
//!   (`{"ok":...,"changes":[...]}` or `{"error":{code,message,details}}`), as `Engine.call`
//!   answers in the page. A booking page may call `PUBLIC`; everything else needs the console's
//!   token (`Authorization: Bearer ...`).
//! - `PUT /api/{tenant}`: starts a tenant from a snapshot (console).
//! - `GET /api/{tenant}/snapshot`, `GET /api/{tenant}/changes?since=V`, and
//!   `GET /api/{tenant}/events?since=V`, server-sent events of every change (console).

use crate::store;
use crate::tenants::{Engines, Reply, Request, Shared};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

/// What a booking page may call without the console's token. `upsertClient` only adds: a client
/// that exists is refused (see `Tenant::write`).
pub const PUBLIC: [&str; 11] = [
    "availability",
    "freeBusy",
    "check",
    "services",
    "providers",
    "resources",
    "hold",
    "confirmHold",
    "releaseHold",
    "book",
    "upsertClient",
];

/// Not served: the server is the authority for its tenants' state. `configure` and `restore`
/// would replace it, `applyChanges` would take changes no rule checked here, `changesSince`
/// reads the engine's window of recent changes where `GET .../changes` reads them all.
pub const NOT_SERVED: [&str; 4] = ["configure", "restore", "applyChanges", "changesSince"];

/// The largest body read (the engine's own bound on one call's input).
const MAX_BODY: usize = 16 << 20;

pub struct App {
    pub engines: Engines,
    pub shared: Arc<Shared>,
    pub console_token: Option<String>,
}

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/api/{tenant}", axum::routing::put(create).post(batch))
        .route("/api/{tenant}/snapshot", get(snapshot))
        .route("/api/{tenant}/changes", get(changes))
        .route("/api/{tenant}/events", get(events))
        .route("/api/{tenant}/{method}", post(call))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(app)
}

/// `{"ok":true,"engines":N}`: the server answers, with N tenants' engines in memory.
async fn health(State(app): State<Arc<App>>) -> Response {
    let n = app.shared.loaded.load(std::sync::atomic::Ordering::Relaxed);
    json(Reply {
        status: 200,
        body: format!("{{\"ok\":true,\"engines\":{n}}}"),
    })
}

fn json(reply: Reply) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        reply.body,
    )
        .into_response()
}

/// A tenant's name: 1 to 64 of `a-z 0-9 - _` (it names rows and the NOTIFY payload).
fn tenant_ok(t: &str) -> Result<(), Reply> {
    if (1..=64).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        Ok(())
    } else {
        Err(Reply::error(
            400,
            "INVALID_INPUT",
            "a tenant's name is 1 to 64 of a-z, 0-9, - and _",
        ))
    }
}

impl App {
    /// Whether the request carries the console's token (compared in constant time).
    fn console(&self, headers: &HeaderMap) -> bool {
        let Some(token) = &self.console_token else {
            return false;
        };
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        given.len() == token.len()
            && given
                .bytes()
                .zip(token.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }

    fn needs_console(&self, headers: &HeaderMap, what: &str) -> Result<(), Reply> {
        if self.console(headers) {
            return Ok(());
        }
        let why = if self.console_token.is_none() {
            format!("{what} needs the console's token, and this server was started without one (SC_CONSOLE_TOKEN)")
        } else {
            format!("{what} needs the console's token (Authorization: Bearer ...)")
        };
        Err(Reply::error(401, "UNAUTHORIZED", &why))
    }
}

async fn call(
    State(app): State<Arc<App>>,
    Path((tenant, method)): Path<(String, String)>,
    headers: HeaderMap,
    body: String,
) -> Response {
    if let Err(r) = tenant_ok(&tenant) {
        return json(r);
    }
    if NOT_SERVED.contains(&method.as_str()) {
        return json(Reply::error(
            403,
            "FORBIDDEN",
            &format!("the server keeps its tenants' state: `{}` is not served (changes come from GET /api/{tenant}/changes)", clip(&method)),
        ));
    }
    let console = app.console(&headers);
    if !console && !PUBLIC.contains(&method.as_str()) {
        if let Err(r) = app.needs_console(&headers, &format!("`{}`", clip(&method))) {
            return json(r);
        }
    }
    let input = if body.trim().is_empty() {
        "null".to_string()
    } else {
        body
    };
    json(
        app.engines
            .ask(
                &tenant,
                Request::Call {
                    method,
                    input,
                    console,
                },
            )
            .await,
    )
}

fn clip(s: &str) -> &str {
    match s.char_indices().nth(64) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The most calls one batch may carry.
const MAX_BATCH: usize = 100;

/// `POST /api/{tenant}`: `[{"method":...,"input":...}, ...]`, run in order as one write.
async fn batch(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    if let Err(r) = tenant_ok(&tenant) {
        return json(r);
    }
    let console = app.console(&headers);
    let calls = match read_batch(&body) {
        Ok(calls) => calls,
        Err(why) => return json(Reply::error(400, "INVALID_INPUT", &why)),
    };
    for (method, _) in &calls {
        if NOT_SERVED.contains(&method.as_str()) {
            return json(Reply::error(
                403,
                "FORBIDDEN",
                &format!("`{}` is not served", clip(method)),
            ));
        }
        if !console && !PUBLIC.contains(&method.as_str()) {
            if let Err(r) = app.needs_console(&headers, &format!("`{}`", clip(method))) {
                return json(r);
            }
        }
    }
    json(
        app.engines
            .ask(&tenant, Request::Batch { calls, console })
            .await,
    )
}

fn read_batch(body: &str) -> Result<Vec<(String, String)>, String> {
    use service_coordinator::json::{self as j, Json};
    let shape = "a batch is an array of {\"method\": name, \"input\": its argument}";
    let doc = j::parse(body).map_err(|e| format!("{shape}: {}", e.into_error("batch").message))?;
    let Json::Arr(items) = doc else {
        return Err(shape.to_string());
    };
    if items.is_empty() || items.len() > MAX_BATCH {
        return Err(format!(
            "a batch holds 1 to {MAX_BATCH} calls ({} given)",
            items.len()
        ));
    }
    items
        .iter()
        .map(|item| {
            let Json::Obj(fields) = item else {
                return Err(shape.to_string());
            };
            let get = |k: &str| fields.iter().find(|(name, _)| name == k).map(|(_, v)| v);
            match (get("method"), get("input")) {
                (Some(Json::Str(m)), input) => Ok((
                    m.to_string(),
                    input.map_or_else(|| "null".to_string(), j::to_string),
                )),
                _ => Err(shape.to_string()),
            }
        })
        .collect()
}

async fn create(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    if let Err(r) = tenant_ok(&tenant).and(app.needs_console(&headers, "starting a tenant")) {
        return json(r);
    }
    json(
        app.engines
            .ask(&tenant, Request::Create { snapshot: body })
            .await,
    )
}

async fn snapshot(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = tenant_ok(&tenant).and(app.needs_console(&headers, "a snapshot")) {
        return json(r);
    }
    json(app.engines.ask(&tenant, Request::Snapshot).await)
}

/// `?since=V` (default 0) and `?limit=N` (default and at most 5,000).
fn since(q: &HashMap<String, String>, headers: &HeaderMap) -> Result<i64, Reply> {
    let text = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .or(q.get("since").map(String::as_str))
        .unwrap_or("0");
    text.parse::<i64>().ok().filter(|v| *v >= 0).ok_or_else(|| {
        Reply::error(
            400,
            "INVALID_INPUT",
            "`since` is a version: a whole number from 0",
        )
    })
}

const PAGE: i64 = 5000;

async fn changes(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = tenant_ok(&tenant).and(app.needs_console(&headers, "the changes")) {
        return json(r);
    }
    let after = match since(&q, &HeaderMap::new()) {
        Ok(v) => v,
        Err(r) => return json(r),
    };
    let limit = q
        .get("limit")
        .and_then(|l| l.parse::<i64>().ok())
        .unwrap_or(PAGE)
        .clamp(1, PAGE);
    let read = async {
        let db = app.shared.pool.get().await.map_err(|e| e.to_string())?;
        let head = store::head(&**db, &tenant)
            .await
            .map_err(|e| e.to_string())?;
        let Some(head) = head else {
            return Ok(None);
        };
        let list = store::changes_after(&**db, &tenant, after, limit)
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>(Some((head, list)))
    };
    match read.await {
        Ok(Some((head, list))) => {
            if after > head {
                return json(Reply::error(
                    409,
                    "VERSION_GAP",
                    &format!("asked for the changes after version {after}, but `{tenant}` is at version {head}"),
                ));
            }
            let mut body = format!("{{\"head\":{head},\"changes\":[");
            for (i, (_, c)) in list.iter().enumerate() {
                if i > 0 {
                    body.push(',');
                }
                body.push_str(c);
            }
            body.push_str("]}");
            json(Reply { status: 200, body })
        }
        Ok(None) => json(Reply::error(
            404,
            "NOT_FOUND",
            &format!("there is no tenant `{tenant}`"),
        )),
        Err(e) => json(Reply::error(
            503,
            "STORE_FAILED",
            &format!("the database failed: {e}"),
        )),
    }
}

/// A change stream's place: what it has sent, and what it has read but not sent yet.
struct Follow {
    app: Arc<App>,
    tenant: String,
    last: i64,
    heads: tokio::sync::watch::Receiver<i64>,
    pending: VecDeque<(i64, String)>,
}

async fn events(
    State(app): State<Arc<App>>,
    Path(tenant): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = tenant_ok(&tenant).and(app.needs_console(&headers, "the change stream")) {
        return json(r);
    }
    let last = match since(&q, &headers) {
        Ok(v) => v,
        Err(r) => return json(r),
    };
    let heads = app.shared.hub.watch(&tenant);
    let follow = Follow {
        app,
        tenant,
        last,
        heads,
        pending: VecDeque::new(),
    };
    // Each change is one event (`id`: its version, so a reconnecting EventSource resumes after
    // the last one it saw). Read from the store after every new head: nothing is skipped, and
    // a stream that falls behind reads pages until it is level.
    let stream = futures_util::stream::unfold(follow, |mut f| async move {
        loop {
            if let Some((v, body)) = f.pending.pop_front() {
                f.last = v;
                let event = Event::default()
                    .event("change")
                    .id(v.to_string())
                    .data(body);
                return Some((Ok::<_, Infallible>(event), f));
            }
            f.heads.borrow_and_update();
            let read = async {
                let db = f.app.shared.pool.get().await.ok()?;
                store::changes_after(&**db, &f.tenant, f.last, 500)
                    .await
                    .ok()
            };
            match read.await {
                Some(list) if !list.is_empty() => f.pending.extend(list),
                // Nothing new (or the store failed): wait for a new head, and look again every
                // 10 s in case a notification was missed while the listener reconnected.
                _ => {
                    let _ = tokio::time::timeout(Duration::from_secs(10), f.heads.changed()).await;
                }
            }
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}
