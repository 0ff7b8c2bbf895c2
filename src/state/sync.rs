//! The sync protocol: how copies of one state (pages, tabs, servers) keep in step.
//!
//! Every change the engine records carries the state's version after it (1, 2, 3, ... for the
//! life of the data; the snapshot carries it too). The latest changes are kept, as the JSON they
//! left in, so `changes_since(v)` answers a copy at version `v` without a snapshot; `apply` puts
//! another copy's changes into this one: in order, each once (a version at or below this copy's is
//! taken as already applied), a gap refused with `VERSION_GAP`, all or nothing.
//!
//! Applying trusts the rules of the copy that wrote a change (it ran them), and checks each
//! record as a snapshot's records are checked, so every state it reaches restores. Catalog
//! records go through the same upserts and removals as a host's calls; bookings, time entries,
//! waitlist entries, work orders and series are stored as they are.

use super::{Coordinator, Record};
use crate::base::error::{clip, Code, Error, Result};
use crate::json::{FromJson, Json, ToJson, Writer};
use crate::model::billing::{Billing, TimeEntry};
use crate::model::*;
use crate::time::Instant;
use std::collections::VecDeque;
use std::sync::Arc;

/// The changes kept for `changes_since`: at most this many, and at most `LOG_BYTES` of JSON.
pub const LOG_CHANGES: usize = 2_000;
pub const LOG_BYTES: usize = 4 << 20;
/// At most this many changes are applied in one call (a longer run is refused, never cut).
pub const MAX_APPLY: usize = 5_000;

/// The latest changes, as JSON, newest last. Shared between copies of a `Coordinator` (a plan
/// works on a copy) until one of them writes.
#[derive(Clone, Debug, Default)]
pub struct ChangeLog {
    /// The version before the oldest kept change.
    base: u64,
    items: VecDeque<(u64, String)>,
    bytes: usize,
}

impl ChangeLog {
    pub(crate) fn starting_at(version: u64) -> Arc<ChangeLog> {
        Arc::new(ChangeLog {
            base: version,
            ..ChangeLog::default()
        })
    }

    /// The JSON of change `version`, if it is kept.
    fn text(&self, version: u64) -> Option<&str> {
        let i = version.checked_sub(self.base + 1)?;
        self.items
            .get(usize::try_from(i).ok()?)
            .filter(|(v, _)| *v == version)
            .map(|(_, t)| t.as_str())
    }

    /// The version of the newest kept change (`base` when none is kept).
    fn last(&self) -> u64 {
        self.base + self.items.len() as u64
    }

    fn push(&mut self, version: u64, text: String) {
        // The kept changes run without a gap: after one made without being logged (a native
        // caller's), the log starts again.
        if self.last() + 1 != version {
            self.items.clear();
            self.bytes = 0;
            self.base = version.saturating_sub(1);
        }
        self.bytes += text.len();
        self.items.push_back((version, text));
        while self.items.len() > LOG_CHANGES || (self.bytes > LOG_BYTES && self.items.len() > 1) {
            if let Some((v, t)) = self.items.pop_front() {
                self.base = v;
                self.bytes -= t.len();
            }
        }
    }
}

/// What `apply` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub version: u64,
    pub applied: usize,
    pub skipped: usize,
}

impl ToJson for Applied {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("version", &self.version);
        w.field("applied", &(self.applied as u64));
        w.field("skipped", &(self.skipped as u64));
        w.end_obj();
    }
}

impl Coordinator {
    /// The version of the state: how many changes it has seen since it was empty.
    pub fn change_version(&self) -> u64 {
        self.version
    }

    /// Keeps changes just made (as the JSON they leave in) for `changes_since`.
    pub fn log_changes(&mut self, changes: Vec<(u64, String)>) {
        if changes.is_empty() {
            return;
        }
        let log = Arc::make_mut(&mut self.log);
        for (v, text) in changes {
            log.push(v, text);
        }
    }

    /// The changes after `version`, oldest first, as one JSON array.
    pub fn changes_since(&self, version: u64) -> Result<String> {
        if version > self.version {
            return Err(Error::new(
                Code::VersionGap,
                format!(
                    "asked for the changes after version {version}, but this copy is at version {}",
                    self.version
                ),
            ));
        }
        if version == self.version {
            return Ok("[]".into());
        }
        if version < self.log.base || self.log.last() != self.version {
            return Err(Error::new(
                Code::ChangesPruned,
                format!(
                    "the changes after version {version} are no longer kept here (this copy keeps the latest {LOG_CHANGES}): restore from a snapshot"
                ),
            ));
        }
        let mut out = String::from("[");
        for (i, (_, text)) in self
            .log
            .items
            .iter()
            .filter(|(v, _)| *v > version)
            .enumerate()
        {
            if i > 0 {
                out.push(',');
            }
            out.push_str(text);
        }
        out.push(']');
        Ok(out)
    }

    /// Applies another copy's changes (JSON as `changes_since` or `onChange` gave them), in
    /// order, each once; all or nothing.
    pub fn apply_changes(&mut self, changes: &[Json]) -> Result<Applied> {
        if changes.len() > MAX_APPLY {
            return Err(Error::new(
                Code::TooLarge,
                format!(
                    "applyChanges takes at most {MAX_APPLY} changes a call ({} given): send them in runs",
                    changes.len()
                ),
            ));
        }
        let mark = self.trial();
        // A trial restores the catalog and the bookings; these three only if a change touches them.
        let mut saved: Option<(super::TimeEntries, Billing, TravelModel)> = None;
        let mut skipped = 0;
        let mut applied = 0;
        let mut result = Ok(());
        for (i, change) in changes.iter().enumerate() {
            let step = self.apply_one(change, &mut saved);
            match step {
                Ok(true) => applied += 1,
                Ok(false) => skipped += 1,
                Err(mut e) => {
                    e.message = format!("applyChanges: change {i}: {}", e.message);
                    result = Err(e);
                    break;
                }
            }
        }
        match result {
            Ok(()) => {
                self.settle(mark);
                Ok(Applied {
                    version: self.version,
                    applied,
                    skipped,
                })
            }
            Err(e) => {
                if let Some((t, b, tr)) = saved {
                    (self.time_entries, self.billing, self.travel) = (t, b, tr);
                }
                self.rollback(mark);
                Err(e)
            }
        }
    }

    /// One change: `Ok(false)` when this copy has it already.
    fn apply_one(
        &mut self,
        change: &Json,
        saved: &mut Option<(super::TimeEntries, Billing, TravelModel)>,
    ) -> Result<bool> {
        let field = |k: &str| member(change, k);
        let version: u64 = read(change, "version")?;
        if version <= self.version {
            // Already here; while the log keeps that version, it must be the same change, or
            // the copies forked (two writers took one version).
            if let Some(text) = self.log.text(version) {
                let ours = crate::json::parse(text).map_err(|e| e.into_error("the log"))?;
                if !same(&ours, change) {
                    return Err(Error::new(
                        Code::OutOfStep,
                        format!("change {version} differs from this copy's change {version}: two writers took one version; restore from the snapshot of the one that is kept"),
                    ));
                }
            }
            return Ok(false);
        }
        if version != self.version + 1 {
            return Err(Error::new(
                Code::VersionGap,
                format!(
                    "change {version} cannot follow version {}: the changes between are missing (ask for the changes since {})",
                    self.version, self.version
                ),
            ));
        }
        let kind: String = read(change, "kind")?;
        let id: String = read(change, "id")?;
        let after = field("after").filter(|v| !matches!(v, Json::Null));
        let before_version = self.version;
        let changes_before = self.changes.len();
        match (kind.as_str(), after) {
            ("booking", Some(a)) => {
                let b: Booking = parse(a, "booking")?;
                same_id(&id, &b.id)?;
                self.apply_booking(b)?;
            }
            ("booking", None) => {
                return Err(Error::input("a booking change always has an `after`"))
            }
            ("provider", Some(a)) => {
                self.upsert_provider(parse(a, "provider")?)?;
            }
            ("provider", None) => self.remove_provider(&id, Instant::MAX)?,
            ("service", Some(a)) => {
                self.upsert_service(parse(a, "service")?)?;
            }
            ("service", None) => self.remove_service(&id, Instant::MAX)?,
            ("resource", Some(a)) => {
                self.upsert_resource(parse(a, "resource")?)?;
            }
            ("resource", None) => self.remove_resource(&id, Instant::MAX)?,
            ("client", Some(a)) => {
                self.upsert_client(parse(a, "client")?)?;
            }
            ("client", None) => self.remove_client(&id, Instant::MAX)?,
            ("travel", Some(a)) => {
                save(self, saved);
                self.set_travel(parse(a, "travel")?)?;
            }
            ("billing", Some(a)) => {
                save(self, saved);
                self.set_billing(parse(a, "billing")?)?;
            }
            ("timeEntry", a) => {
                save(self, saved);
                self.apply_time_entry(&id, a.map(|a| parse(a, "time entry")).transpose()?)?;
            }
            ("waitlist", a) => match a {
                // As restore takes them: an entry as stored keeps its joinedAt.
                Some(a) => {
                    let e: WaitlistEntry = parse(a, "waitlist entry")?;
                    same_id(&id, &e.id)?;
                    self.waitlist_add(e, Instant::default())?;
                }
                None => self.waitlist_remove(&id)?,
            },
            ("workOrder", a) => match a {
                Some(a) => {
                    self.upsert_work_order(parse(a, "work order")?)?;
                }
                None => self.remove_work_order(&id)?,
            },
            ("series", Some(a)) => {
                let s: Series = parse(a, "series")?;
                same_id(&id, &s.id)?;
                check_id("series", &s.id)?;
                self.claim(&s.id);
                let before = self.series.upsert(s.clone()).map(Record::Series);
                self.record("series", &id, before, Some(Record::Series(s)));
            }
            (other, _) => {
                return Err(Error::input(format!(
                    "`{}` is not a kind of change this build applies",
                    clip(other)
                )))
            }
        }
        // The write recorded exactly this change, or the copies are out of step.
        let made = self.changes.len() - changes_before;
        if made != 1 || self.version != before_version + 1 {
            return Err(Error::new(
                Code::OutOfStep,
                format!(
                    "change {version} ({kind} `{}`) made {made} change(s) here: this copy is out of step with the one that wrote it; restore from its snapshot",
                    clip(&id)
                ),
            ));
        }
        Ok(true)
    }

    /// A booking as another copy stored it, checked as a snapshot's booking is.
    fn apply_booking(&mut self, b: Booking) -> Result<()> {
        self.check_booking_record(&b)?;
        let before = self.bookings.get(&b.id).cloned().map(Record::Booking);
        if let Some(old) = self.bookings.get(&b.id) {
            if old.revision >= b.revision {
                return Err(Error::with_ids(
                    Code::OutOfStep,
                    format!(
                        "booking `{}` is at revision {} here; the change brings revision {}",
                        clip(&b.id),
                        old.revision,
                        b.revision
                    ),
                    vec![b.id.to_string()],
                ));
            }
        }
        self.claim(&b.id);
        let id = b.id.to_string();
        self.store(b.clone());
        self.record("booking", &id, before, Some(Record::Booking(b)));
        Ok(())
    }

    fn apply_time_entry(&mut self, id: &str, after: Option<TimeEntry>) -> Result<()> {
        let before = self.time_entries.get(id).cloned().map(Record::TimeEntry);
        match after {
            Some(e) => {
                same_id(id, &e.id)?;
                e.check()?;
                if let Some(b) = &e.booking_id {
                    if !self.bookings.contains_key(b) {
                        return Err(Error::unknown("booking", b));
                    }
                }
                if self.provider_any(&e.provider_id).is_none() {
                    return Err(Error::unknown("provider", &e.provider_id));
                }
                self.claim(&e.id);
                self.put_entry(e.clone());
                self.record("timeEntry", id, before, Some(Record::TimeEntry(e)));
            }
            None => {
                if before.is_none() {
                    return Err(Error::unknown("time entry", id));
                }
                self.time_entries.remove(id);
                self.record("timeEntry", id, before, None);
            }
        }
        Ok(())
    }
}

fn save(c: &Coordinator, saved: &mut Option<(super::TimeEntries, Billing, TravelModel)>) {
    if saved.is_none() {
        *saved = Some((c.time_entries.clone(), c.billing.clone(), c.travel.clone()));
    }
}

/// Whether two JSON values say the same, members in any order (a relay such as PostgreSQL's
/// `jsonb` reorders them).
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Obj(x), Json::Obj(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.iter().any(|(k2, v2)| k == k2 && same(v, v2)))
        }
        (Json::Arr(x), Json::Arr(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        _ => a == b,
    }
}

/// A member of a JSON object.
fn member<'j>(v: &'j Json<'_>, key: &str) -> Option<&'j Json<'j>> {
    match v {
        Json::Obj(items) => items.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

fn read<T: FromJson>(change: &Json, key: &str) -> Result<T> {
    let v =
        member(change, key).ok_or_else(|| Error::input(format!("a change carries its `{key}`")))?;
    FromJson::from_json(v).map_err(|e| e.into_error(key))
}

fn parse<T: FromJson>(v: &Json, what: &str) -> Result<T> {
    FromJson::from_json(v).map_err(|e| e.into_error(what))
}

fn same_id(id: &str, record: &str) -> Result<()> {
    if id == record {
        return Ok(());
    }
    Err(Error::input(format!(
        "a change to `{}` carries the record `{}`",
        clip(id),
        clip(record)
    )))
}
