//! PostgreSQL as the store: per tenant, its head version, every change (the sync protocol's
//! JSON, as the engine wrote it), snapshots now and then, and the time each booking holds, under
//! an exclusion constraint that is the last guard against a double booking.

use service_coordinator::model::{Booking, Status};
use tokio_postgres::GenericClient;

/// The schema, created when a server starts (idempotent; two servers starting together take
/// turns by an advisory lock).
pub const SCHEMA: &str = "
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE IF NOT EXISTS tenants (
  id text PRIMARY KEY,
  head bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS changes (
  tenant text NOT NULL REFERENCES tenants ON DELETE CASCADE,
  version bigint NOT NULL,
  body text NOT NULL,
  written_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, version)
);
CREATE TABLE IF NOT EXISTS snapshots (
  tenant text NOT NULL REFERENCES tenants ON DELETE CASCADE,
  version bigint NOT NULL,
  body text NOT NULL,
  PRIMARY KEY (tenant, version)
);
-- The time each booking keeps from others (itself and its buffers) while it holds time. Two rows
-- of one provider may not overlap unless they are seats of one group session.
CREATE TABLE IF NOT EXISTS held_time (
  tenant text NOT NULL REFERENCES tenants ON DELETE CASCADE,
  booking_id text NOT NULL,
  provider_id text NOT NULL,
  session text NOT NULL,
  during tstzrange NOT NULL,
  PRIMARY KEY (tenant, booking_id),
  CONSTRAINT no_double_booking EXCLUDE USING gist
    (tenant WITH =, provider_id WITH =, during WITH &&, session WITH <>)
);
";

/// The advisory lock the schema is created under.
const SCHEMA_LOCK: i64 = 0x5c_0001;

pub async fn create_schema(db: &impl GenericClient) -> Result<(), tokio_postgres::Error> {
    db.execute("SELECT pg_advisory_lock($1)", &[&SCHEMA_LOCK])
        .await?;
    let made = db.batch_execute(SCHEMA).await;
    db.execute("SELECT pg_advisory_unlock($1)", &[&SCHEMA_LOCK])
        .await?;
    made
}

/// A booking's row in `held_time`: the provider, the session it may share time with, and the
/// span it keeps (seconds since the epoch, end excluded).
#[derive(Clone, Debug, PartialEq)]
pub struct Held {
    pub provider_id: String,
    pub session: String,
    pub from: i64,
    pub to: i64,
}

/// The time `b` holds, as the engine's own overlap rule sees it (`rebuild_lanes` in the engine's
/// state): bookings that block time, with their buffers; seats of one group session share it
/// (`same_session`); holds are left to the engine (a lapsed hold stops blocking without a write,
/// which no constraint can follow), and so are the clashes an import recorded on purpose.
pub fn held(b: &Booking) -> Option<Held> {
    if !b.status.blocks_time() || b.status == Status::Held || !b.import_clashes().is_empty() {
        return None;
    }
    let span = b.blocked();
    Some(Held {
        provider_id: b.provider_id.to_string(),
        session: session_key(b),
        from: span.start.secs(),
        to: span.end.secs(),
    })
}

/// Seats of one session (the engine's `same_session`: same service, provider, start and end,
/// more than one seat) share a key; any other booking's key is its own id.
fn session_key(b: &Booking) -> String {
    let key = if b.session_seats > 1 {
        format!(
            "session {} {} {}",
            b.service_id,
            b.start.secs(),
            b.end.secs()
        )
    } else {
        format!("booking {}", b.id)
    };
    key
}

/// Writes the rows of `bookings` (id and the time it holds, if any): the old rows go, then the
/// new ones are checked by the constraint as they go in.
pub async fn write_held(
    db: &impl GenericClient,
    tenant: &str,
    bookings: &[(String, Option<Held>)],
) -> Result<(), tokio_postgres::Error> {
    if bookings.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = bookings.iter().map(|(id, _)| id.as_str()).collect();
    db.execute(
        "DELETE FROM held_time WHERE tenant = $1 AND booking_id = ANY($2)",
        &[&tenant, &ids],
    )
    .await?;
    let (mut id, mut provider, mut session, mut from, mut to) =
        (vec![], vec![], vec![], vec![], vec![]);
    for (b, h) in bookings {
        if let Some(h) = h {
            id.push(b.as_str());
            provider.push(h.provider_id.as_str());
            session.push(h.session.as_str());
            from.push(h.from);
            to.push(h.to);
        }
    }
    if !id.is_empty() {
        db.execute(
            "INSERT INTO held_time (tenant, booking_id, provider_id, session, during)
             SELECT $1, b, p, s, tstzrange(to_timestamp(lo), to_timestamp(hi), '[)')
             FROM unnest($2::text[], $3::text[], $4::text[], $5::int8[], $6::int8[]) AS u(b, p, s, lo, hi)",
            &[&tenant, &id, &provider, &session, &from, &to],
        )
        .await?;
    }
    Ok(())
}

/// Appends changes (version and JSON) to the tenant's log.
pub async fn append_changes(
    db: &impl GenericClient,
    tenant: &str,
    changes: &[(i64, String)],
) -> Result<(), tokio_postgres::Error> {
    let versions: Vec<i64> = changes.iter().map(|c| c.0).collect();
    let bodies: Vec<&str> = changes.iter().map(|c| c.1.as_str()).collect();
    db.execute(
        "INSERT INTO changes (tenant, version, body)
         SELECT $1, v, b FROM unnest($2::int8[], $3::text[]) AS u(v, b)",
        &[&tenant, &versions, &bodies],
    )
    .await?;
    Ok(())
}

/// The changes after `version`, at most `limit`, oldest first.
pub async fn changes_after(
    db: &impl GenericClient,
    tenant: &str,
    version: i64,
    limit: i64,
) -> Result<Vec<(i64, String)>, tokio_postgres::Error> {
    let rows = db
        .query(
            "SELECT version, body FROM changes WHERE tenant = $1 AND version > $2
             ORDER BY version LIMIT $3",
            &[&tenant, &version, &limit],
        )
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// The tenant's head version, or `None` when there is no such tenant.
pub async fn head(
    db: &impl GenericClient,
    tenant: &str,
) -> Result<Option<i64>, tokio_postgres::Error> {
    Ok(db
        .query_opt("SELECT head FROM tenants WHERE id = $1", &[&tenant])
        .await?
        .map(|r| r.get(0)))
}

/// The newest snapshot (version and text).
pub async fn latest_snapshot(
    db: &impl GenericClient,
    tenant: &str,
) -> Result<Option<(i64, String)>, tokio_postgres::Error> {
    Ok(db
        .query_opt(
            "SELECT version, body FROM snapshots WHERE tenant = $1 ORDER BY version DESC LIMIT 1",
            &[&tenant],
        )
        .await?
        .map(|r| (r.get(0), r.get(1))))
}

/// Keeps a snapshot at `version` and drops all but the two newest (changes are all kept: they
/// are the tenant's history, and what a copy far behind catches up from).
pub async fn save_snapshot(
    db: &impl GenericClient,
    tenant: &str,
    version: i64,
    text: &str,
) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "INSERT INTO snapshots (tenant, version, body) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        &[&tenant, &version, &text],
    )
    .await?;
    db.execute(
        "DELETE FROM snapshots WHERE tenant = $1 AND version < (
           SELECT min(version) FROM (SELECT version FROM snapshots WHERE tenant = $1
                                     ORDER BY version DESC LIMIT 2) AS newest)",
        &[&tenant],
    )
    .await?;
    Ok(())
}

/// The SQLSTATE of an exclusion-constraint violation.
pub fn is_double_booking(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&tokio_postgres::error::SqlState::EXCLUSION_VIOLATION)
}
