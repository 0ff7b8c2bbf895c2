//! The engines: one per tenant, restored from the store on first use and dropped when idle.
//!
//! An engine stays on one thread (its zone cache is `Rc`): each of a few engine threads runs a
//! single-threaded tokio runtime with one task per tenant, which takes the tenant's requests in
//! order. So an engine is never shared, and a tenant's writes never interleave in one process.
//! Across processes, a write holds its tenant's row (`SELECT ... FOR UPDATE`) from catching up
//! on the other servers' changes until its own are committed; the exclusion constraint on
//! `held_time` is the guard behind that.

use crate::store;
use deadpool_postgres::Pool;
use service_coordinator::io::dispatch;
use service_coordinator::{json, native_zones, Coordinator};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::{mpsc, oneshot, watch};
use tokio_postgres::GenericClient;

/// An answer: the HTTP status and the engine's JSON (or an error in the engine's shape).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    pub fn error(status: u16, code: &str, message: &str) -> Reply {
        Reply {
            status,
            body: format!(
                "{{\"error\":{{\"code\":\"{code}\",\"message\":{},\"details\":[]}}}}",
                json::to_string(message)
            ),
        }
    }

    /// The engine's answer: 200 with `{"ok":...}`, or its error with a status from the code.
    fn engine(body: String) -> Reply {
        let status = if body.starts_with("{\"error\"") {
            status_of(code_in(&body))
        } else {
            200
        };
        Reply { status, body }
    }
}

/// A write's calls, who sent them, and how to answer.
struct Write {
    calls: Vec<(String, String)>,
    console: bool,
    batch: bool,
}

/// A booking page may add a client, not change one: the refusal of a write without the
/// console's token that would change a client that exists.
fn public_client_change(c: &Coordinator, w: &Write) -> Option<Reply> {
    if w.console {
        return None;
    }
    let changes_one = w.calls.iter().any(|(method, input)| {
        method == "upsertClient"
            && matches!(json::parse(input), Ok(json::Json::Obj(fields))
                if fields.iter().any(|(k, v)| k == "id" && matches!(v, json::Json::Str(id) if c.client(id).is_some())))
    });
    changes_one.then(|| {
        Reply::error(
            403,
            "FORBIDDEN",
            "a booking page may add a client, not change one (the console's token changes clients)",
        )
    })
}

/// One call's answer as it was, or a batch's: each call's `ok` in order, and all the changes.
fn reply_of(mut answers: Vec<String>, changes: &[(i64, String)], batch: bool) -> String {
    if !batch {
        return answers.pop().unwrap_or_default();
    }
    let mut out = String::from("{\"ok\":[");
    for (i, a) in answers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match json::parse(a) {
            Ok(json::Json::Obj(fields)) => match fields.iter().find(|(k, _)| k == "ok") {
                Some((_, ok)) => out.push_str(&json::to_string(ok)),
                None => out.push_str("null"),
            },
            _ => out.push_str("null"),
        }
    }
    out.push_str("],\"changes\":[");
    for (i, (_, c)) in changes.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(c);
    }
    out.push_str("]}");
    out
}

/// A batch's refusal: the engine's error, its message saying which call (`details` unchanged).
fn in_call(answer: &str, i: usize, method: &str) -> String {
    let Ok(json::Json::Obj(mut top)) = json::parse(answer) else {
        return answer.to_string();
    };
    if let Some((_, json::Json::Obj(error))) = top.first_mut() {
        for (k, v) in error.iter_mut() {
            if k == "message" {
                if let json::Json::Str(m) = v {
                    *m = format!("call {} (`{method}`): {m}", i + 1).into();
                }
            }
        }
    }
    json::to_string(&json::Json::Obj(top))
}

/// The code in `{"error":{"code":"X",...}}`.
pub fn code_in(body: &str) -> &str {
    body.split_once("\"code\":\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map_or("", |(code, _)| code)
}

/// The HTTP status of an engine error (the body, with its code, is what programs read).
fn status_of(code: &str) -> u16 {
    match code {
        "NOT_FOUND" | "UNKNOWN_ID" => 404,
        "TOO_LARGE" => 413,
        c if c.starts_with("INVALID_") => 400,
        "STALE_REVISION" | "OVERLAP" | "VERSION_GAP" | "CHANGES_PRUNED" | "OUT_OF_STEP" => 409,
        _ => 422,
    }
}

/// What a tenant's engine is asked.
pub enum Request {
    /// An engine method, as the JS API names it, with its JSON argument. `console`: the caller
    /// showed the console's token (without it a few booking-page methods are served).
    Call {
        method: String,
        input: String,
        console: bool,
    },
    /// Several calls in order as one write, all or nothing (what a page's `write` made).
    Batch {
        calls: Vec<(String, String)>,
        console: bool,
    },
    /// Starts a tenant from a snapshot (refused if the tenant exists).
    Create { snapshot: String },
    /// The tenant's snapshot as of now, for a console that keeps a copy.
    Snapshot,
}

impl Request {
    /// The request as a write, or itself when it changes nothing (reads, starts, snapshots).
    fn into_write(self) -> Result<Write, Request> {
        match self {
            Request::Call {
                method,
                input,
                console,
            } if !dispatch::READS.contains(&method.as_str()) => Ok(Write {
                calls: vec![(method, input)],
                console,
                batch: false,
            }),
            Request::Batch { calls, console } => Ok(Write {
                calls,
                console,
                batch: true,
            }),
            other => Err(other),
        }
    }
}

/// The most writes one transaction takes (group commit).
const GROUP: usize = 64;

/// Settings of the engines.
#[derive(Clone, Debug)]
pub struct Settings {
    /// An engine unused this long is dropped (a snapshot kept first if it has moved on).
    pub idle: Duration,
    /// A snapshot is kept after this many changes.
    pub snapshot_every: i64,
    /// Requests waiting for one tenant beyond this are refused with BUSY.
    pub queue: usize,
}

/// The newest version each tenant is known to have (from this server's commits and the
/// other servers' NOTIFY), watched by the change streams.
#[derive(Default)]
pub struct Hub {
    heads: Mutex<HashMap<String, watch::Sender<i64>>>,
}

impl Hub {
    fn with<R>(&self, tenant: &str, f: impl FnOnce(&watch::Sender<i64>) -> R) -> R {
        let mut heads = self.heads.lock().unwrap_or_else(|e| e.into_inner());
        if !heads.contains_key(tenant) {
            heads.insert(tenant.to_string(), watch::channel(0).0);
        }
        f(&heads[tenant])
    }
    pub fn advance(&self, tenant: &str, version: i64) {
        self.with(tenant, |h| {
            h.send_if_modified(|v| {
                let newer = version > *v;
                if newer {
                    *v = version;
                }
                newer
            })
        });
    }
    pub fn head(&self, tenant: &str) -> i64 {
        self.with(tenant, |h| *h.borrow())
    }
    pub fn watch(&self, tenant: &str) -> watch::Receiver<i64> {
        self.with(tenant, |h| h.subscribe())
    }
}

/// What the engine threads and the HTTP layer share.
pub struct Shared {
    pub pool: Pool,
    pub hub: Hub,
    pub settings: Settings,
    /// Engines in memory now (`GET /health` shows it).
    pub loaded: std::sync::atomic::AtomicUsize,
}

struct Job {
    tenant: String,
    request: Request,
    reply: oneshot::Sender<Reply>,
}

/// The engine threads; a tenant always goes to the same one.
#[derive(Clone)]
pub struct Engines {
    shards: Arc<Vec<mpsc::UnboundedSender<Job>>>,
}

impl Engines {
    pub fn start(shared: Arc<Shared>, threads: usize) -> std::io::Result<Engines> {
        let mut shards = Vec::new();
        for i in 0..threads.max(1) {
            let (tx, rx) = mpsc::unbounded_channel();
            let shared = shared.clone();
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            std::thread::Builder::new()
                .name(format!("engines-{i}"))
                .spawn(move || {
                    let local = tokio::task::LocalSet::new();
                    local.block_on(&runtime, shard(rx, shared));
                })?;
            shards.push(tx);
        }
        Ok(Engines {
            shards: Arc::new(shards),
        })
    }

    /// Asks `tenant`'s engine; answers when it has been served.
    pub async fn ask(&self, tenant: &str, request: Request) -> Reply {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        tenant.hash(&mut h);
        let shard = &self.shards[(h.finish() % self.shards.len() as u64) as usize];
        let (reply, answer) = oneshot::channel();
        let job = Job {
            tenant: tenant.to_string(),
            request,
            reply,
        };
        if shard.send(job).is_err() {
            return Reply::error(503, "STORE_FAILED", "the engine thread has stopped");
        }
        answer.await.unwrap_or_else(|_| {
            Reply::error(500, "STORE_FAILED", "the request was dropped unanswered")
        })
    }
}

type Actors = Rc<RefCell<HashMap<String, mpsc::Sender<Job>>>>;

/// One engine thread: hands each request to its tenant's task, starting the task if need be.
async fn shard(mut jobs: mpsc::UnboundedReceiver<Job>, shared: Arc<Shared>) {
    let actors: Actors = Rc::default();
    while let Some(job) = jobs.recv().await {
        let existing = actors.borrow().get(&job.tenant).cloned();
        let queue = existing.unwrap_or_else(|| {
            let (tx, rx) = mpsc::channel(shared.settings.queue);
            actors.borrow_mut().insert(job.tenant.clone(), tx.clone());
            let t = Tenant {
                id: job.tenant.clone(),
                shared: shared.clone(),
                loaded: None,
            };
            tokio::task::spawn_local(t.run(rx, actors.clone()));
            tx
        });
        if let Err(e) = queue.try_send(job) {
            let job = match e {
                mpsc::error::TrySendError::Full(j) | mpsc::error::TrySendError::Closed(j) => j,
            };
            let _ = job.reply.send(Reply::error(
                503,
                "BUSY",
                "too many requests are waiting for this tenant; try again shortly",
            ));
        }
    }
}

/// Why a request could not be served.
enum Failure {
    NotFound,
    Store(String),
    /// The stored data did not restore or apply (the engine's error JSON).
    Broken(String),
}

impl From<tokio_postgres::Error> for Failure {
    fn from(e: tokio_postgres::Error) -> Self {
        Failure::Store(e.to_string())
    }
}
impl From<deadpool_postgres::PoolError> for Failure {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        Failure::Store(e.to_string())
    }
}

impl Failure {
    fn reply(self, tenant: &str) -> Reply {
        match self {
            Failure::NotFound => Reply::error(
                404,
                "NOT_FOUND",
                &format!(
                    "there is no tenant `{tenant}` (PUT /api/{tenant} with a snapshot starts one)"
                ),
            ),
            Failure::Store(e) => {
                Reply::error(503, "STORE_FAILED", &format!("the database failed: {e}"))
            }
            Failure::Broken(e) => Reply::error(
                500,
                "STORE_FAILED",
                &format!("the stored data of `{tenant}` did not load: {e}"),
            ),
        }
    }
}

struct Loaded {
    c: Coordinator,
    snapshot_version: i64,
}

impl Loaded {
    fn version(&self) -> i64 {
        self.c.change_version() as i64
    }
}

struct Tenant {
    id: String,
    shared: Arc<Shared>,
    loaded: Option<Loaded>,
}

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64)
}

const RUN: i64 = 5000; // applyChanges takes at most this many a call

impl Tenant {
    async fn run(mut self, mut jobs: mpsc::Receiver<Job>, actors: Actors) {
        loop {
            match tokio::time::timeout(self.shared.settings.idle, jobs.recv()).await {
                Ok(Some(job)) => {
                    // Group commit: the one-call writes waiting behind a one-call write go into
                    // its transaction (one round of statements and one flush to disk for all).
                    // A write of several calls runs alone: undoing it is dropping the engine.
                    let mut group = Vec::new();
                    let mut next = Some(job);
                    while let Some(job) = next.take() {
                        match job.request.into_write() {
                            Ok(w) if w.calls.len() == 1 && group.len() < GROUP => {
                                group.push((w, job.reply));
                                next = jobs.try_recv().ok();
                            }
                            Ok(w) => {
                                self.write_group(std::mem::take(&mut group)).await;
                                self.write_group(vec![(w, job.reply)]).await;
                            }
                            Err(request) => {
                                self.write_group(std::mem::take(&mut group)).await;
                                let reply = self.serve(request).await;
                                let _ = job.reply.send(reply);
                            }
                        }
                    }
                    self.write_group(group).await;
                }
                Ok(None) => break,
                // Idle: leave, unless a request came in meanwhile (one thread: nothing can be
                // sent between this check and the removal).
                Err(_) if jobs.is_empty() => {
                    actors.borrow_mut().remove(&self.id);
                    break;
                }
                Err(_) => {}
            }
        }
        // Evicted: keep a snapshot if it has moved on since the last one, so the next start
        // replays little.
        if let Some(l) = &self.loaded {
            if l.version() > l.snapshot_version {
                if let Ok(db) = self.shared.pool.get().await {
                    let _ =
                        store::save_snapshot(&**db, &self.id, l.version(), &l.c.snapshot()).await;
                }
            }
        }
        self.unload();
    }

    async fn serve(&mut self, request: Request) -> Reply {
        let answer = match request {
            Request::Call { method, input, .. } if dispatch::READS.contains(&method.as_str()) => {
                self.read(&method, &input).await
            }
            Request::Create { snapshot } => self.create(&snapshot).await,
            // Writes go through `write_group` (see `run`).
            Request::Call { .. } | Request::Batch { .. } => {
                return Reply::error(500, "INTERNAL", "a write reached the read path")
            }
            Request::Snapshot => self.snapshot().await,
        };
        answer.unwrap_or_else(|f| {
            if !matches!(f, Failure::NotFound) {
                self.unload(); // restored afresh from the store next time
            }
            f.reply(&self.id)
        })
    }

    fn unload(&mut self) {
        if self.loaded.take().is_some() {
            self.shared.loaded.fetch_sub(1, Relaxed);
        }
    }

    /// Restores the engine from the newest snapshot if it is not loaded, then applies the
    /// changes stored after its version.
    async fn catch_up(&mut self, db: &impl GenericClient) -> Result<&mut Loaded, Failure> {
        let loaded = match self.loaded.take() {
            Some(l) => l,
            None => {
                let (version, text) = store::latest_snapshot(db, &self.id)
                    .await?
                    .ok_or(Failure::NotFound)?;
                let c = Coordinator::restore(native_zones(), &text)
                    .map_err(|e| Failure::Broken(json::to_string(&e)))?;
                self.shared.loaded.fetch_add(1, Relaxed);
                Loaded {
                    c,
                    snapshot_version: version,
                }
            }
        };
        let l = self.loaded.insert(loaded);
        loop {
            let batch = store::changes_after(db, &self.id, l.version(), RUN).await?;
            if batch.is_empty() {
                break;
            }
            let mut input = String::from("[");
            for (i, (_, body)) in batch.iter().enumerate() {
                if i > 0 {
                    input.push(',');
                }
                input.push_str(body);
            }
            input.push(']');
            let answer = dispatch::call(&mut l.c, &native_zones, "applyChanges", &input, now_ms());
            if answer.starts_with("{\"error\"") {
                return Err(Failure::Broken(answer));
            }
            if (batch.len() as i64) < RUN {
                break;
            }
        }
        self.shared.hub.advance(&self.id, l.version());
        Ok(l)
    }

    async fn read(&mut self, method: &str, input: &str) -> Result<Reply, Failure> {
        let behind = self
            .loaded
            .as_ref()
            .is_none_or(|l| self.shared.hub.head(&self.id) > l.version());
        if behind {
            let db = self.shared.pool.get().await?;
            self.catch_up(&**db).await?;
        }
        let Some(l) = self.loaded.as_mut() else {
            return Err(Failure::NotFound);
        };
        let before = l.version();
        let answer = dispatch::call(&mut l.c, &native_zones, method, input, now_ms());
        if l.version() != before {
            // A read that changed something would be a bug; the store is the truth.
            return Err(Failure::Broken(format!("`{method}` changed the state")));
        }
        Ok(Reply::engine(answer))
    }

    /// Serves writes in one transaction (`write`), answering each.
    async fn write_group(&mut self, group: Vec<(Write, oneshot::Sender<Reply>)>) {
        if group.is_empty() {
            return;
        }
        let (writes, senders): (Vec<_>, Vec<_>) = group.into_iter().unzip();
        match self.write(writes).await {
            Ok(replies) => {
                for (reply, to) in replies.into_iter().zip(senders) {
                    let _ = to.send(reply);
                }
            }
            Err(f) => {
                if !matches!(f, Failure::NotFound) {
                    self.unload();
                }
                let text = f.reply(&self.id);
                for to in senders {
                    let _ = to.send(Reply {
                        status: text.status,
                        body: text.body.clone(),
                    });
                }
            }
        }
    }

    /// Runs writes in one transaction: the tenant's row held, the engine caught up, each write's
    /// calls run in order, then all their changes and the time of the bookings among them
    /// committed together, and only then answered (a refusal too: it was judged on state that
    /// is now kept). A refused call refuses its whole write; a write of several calls runs
    /// alone (see `run`), so undoing one is dropping the engine. `batch`: answer
    /// `{"ok":[each call's ok],"changes":[...]}`, else the one call's answer as the engine gave it.
    async fn write(&mut self, writes: Vec<Write>) -> Result<Vec<Reply>, Failure> {
        let tenant = self.id.clone();
        let mut db = self.shared.pool.get().await?;
        let tx = db.transaction().await?;
        let head: i64 = tx
            .query_opt(
                "SELECT head FROM tenants WHERE id = $1 FOR UPDATE",
                &[&tenant],
            )
            .await?
            .ok_or(Failure::NotFound)?
            .get(0);
        let current = self.loaded.as_ref().is_some_and(|l| l.version() == head);
        if !current {
            self.catch_up(&*tx).await?;
        }
        let Some(l) = self.loaded.as_mut() else {
            return Err(Failure::NotFound);
        };
        if l.version() != head {
            return Err(Failure::Broken(format!(
                "the store's head is {head} but its changes end at {}",
                l.version()
            )));
        }
        let mut changes: Vec<(i64, String)> = Vec::new();
        let mut bookings: Vec<String> = Vec::new();
        let mut replies = Vec::with_capacity(writes.len());
        for w in &writes {
            if let Some(refusal) = public_client_change(&l.c, w) {
                replies.push(refusal);
                continue;
            }
            let (made, mut answers) = (changes.len(), Vec::new());
            let mut refused = None;
            for (i, (method, input)) in w.calls.iter().enumerate() {
                let answer = dispatch::call_with(
                    &mut l.c,
                    &native_zones,
                    method,
                    input,
                    now_ms(),
                    &mut |change, text| {
                        changes.push((change.version as i64, text.to_string()));
                        if change.kind == "booking" && !bookings.contains(&change.id) {
                            bookings.push(change.id.clone());
                        }
                    },
                );
                if answer.starts_with("{\"error\"") {
                    refused = Some(if w.batch {
                        in_call(&answer, i, method)
                    } else {
                        answer
                    });
                    break;
                }
                answers.push(answer);
            }
            match refused {
                // The calls before it moved the engine: back to the store (alone in its group).
                Some(answer) if changes.len() > made => {
                    self.unload();
                    return Ok(vec![Reply::engine(answer)]);
                }
                Some(answer) => replies.push(Reply::engine(answer)),
                None => replies.push(Reply::engine(reply_of(
                    answers,
                    changes.get(made..).unwrap_or_default(),
                    w.batch,
                ))),
            }
        }
        if changes.is_empty() {
            return Ok(replies);
        }
        // The engine has moved: from here a failure leaves it ahead of the store, and the
        // caller drops it to be restored from the store.
        let held: Vec<_> = bookings
            .into_iter()
            .map(|id| {
                let h = l.c.booking(&id).and_then(store::held);
                (id, h)
            })
            .collect();
        let version = l.version();
        let notice = format!("{version} {tenant}");
        // Sent together (tokio-postgres pipelines them, in this order), then committed.
        let saved = futures_util::future::try_join4(
            store::append_changes(&*tx, &tenant, &changes),
            store::write_held(&*tx, &tenant, &held),
            tx.execute(
                "UPDATE tenants SET head = $2 WHERE id = $1",
                &[&tenant, &version],
            ),
            tx.execute("SELECT pg_notify('sc_changes', $1)", &[&notice]),
        )
        .await;
        let saved = match saved {
            Ok(_) => tx.commit().await,
            Err(e) => {
                drop(tx); // rolled back
                Err(e)
            }
        };
        match saved {
            Ok(()) => {}
            Err(e) if store::is_double_booking(&e) => {
                self.unload();
                let refusal = Reply::error(
                    409,
                    "OVERLAP",
                    "the database refused it: it would double-book a provider (held_time's exclusion constraint)",
                );
                return Ok(writes
                    .iter()
                    .map(|_| Reply {
                        status: refusal.status,
                        body: refusal.body.clone(),
                    })
                    .collect());
            }
            Err(e) => return Err(e.into()),
        }
        self.shared.hub.advance(&tenant, version);
        if let Some(l) = self.loaded.as_mut() {
            if version - l.snapshot_version >= self.shared.settings.snapshot_every
                && store::save_snapshot(&**db, &tenant, version, &l.c.snapshot())
                    .await
                    .is_ok()
            {
                l.snapshot_version = version;
            }
        }
        Ok(replies)
    }

    async fn create(&mut self, snapshot: &str) -> Result<Reply, Failure> {
        let c = match Coordinator::restore(native_zones(), snapshot) {
            Ok(c) => c,
            Err(e) => {
                return Ok(Reply::engine(format!(
                    "{{\"error\":{}}}",
                    json::to_string(&e)
                )))
            }
        };
        let version = c.change_version() as i64;
        let text = c.snapshot();
        let held: Vec<_> = c
            .all_bookings()
            .map(|b| (b.id.to_string(), store::held(b)))
            .filter(|(_, h)| h.is_some())
            .collect();
        let mut db = self.shared.pool.get().await?;
        let tx = db.transaction().await?;
        let made = tx
            .execute(
                "INSERT INTO tenants (id, head) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&self.id, &version],
            )
            .await?;
        if made == 0 {
            return Ok(Reply::error(
                409,
                "TENANT_EXISTS",
                &format!("the tenant `{}` exists already", self.id),
            ));
        }
        store::save_snapshot(&*tx, &self.id, version, &text).await?;
        match store::write_held(&*tx, &self.id, &held).await {
            Err(e) if store::is_double_booking(&e) => {
                return Ok(Reply::error(
                    409,
                    "OVERLAP",
                    "the snapshot double-books a provider (held_time's exclusion constraint)",
                ))
            }
            r => r?,
        }
        tx.commit().await?;
        self.unload();
        self.shared.loaded.fetch_add(1, Relaxed);
        self.loaded = Some(Loaded {
            c,
            snapshot_version: version,
        });
        self.shared.hub.advance(&self.id, version);
        Ok(Reply {
            status: 201,
            body: format!(
                "{{\"ok\":{{\"tenant\":{},\"version\":{version}}}}}",
                json::to_string(self.id.as_str())
            ),
        })
    }

    async fn snapshot(&mut self) -> Result<Reply, Failure> {
        let db = self.shared.pool.get().await?;
        let l = self.catch_up(&**db).await?;
        Ok(Reply {
            status: 200,
            body: l.c.snapshot(),
        })
    }
}
