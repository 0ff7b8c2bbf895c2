//! The coordinator's state: the catalog (providers, services, resources, clients), the bookings
//! with their per-provider and per-resource indexes, the snapshot, and the change log.
//!
//! Every write validates completely before it touches anything, so a refused call leaves the
//! state exactly as it was. Booking rules live in `booking.rs`, availability in `availability.rs`.

use crate::calendar::Calendar;
use crate::error::{Code, Error, Result};
use crate::model::*;
use crate::time::{clip, Instant, Interval};
use crate::zone::Zones;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The snapshot format version this build writes and reads.
pub const SNAPSHOT_VERSION: u32 = 1;
const MAX_ID: usize = 256;
const MAX_TEXT: usize = 10_000;

pub(crate) struct ProviderEntry {
    pub data: Provider,
    pub cal: Calendar,
}

pub(crate) struct ResourceEntry {
    pub data: Resource,
    pub cal: Calendar,
}

/// Bookings that hold time on one provider or resource, keyed by the start of their blocked
/// interval (buffers included). `longest` bounds how far back an overlapping one can start.
#[derive(Default)]
pub(crate) struct Lane {
    keys: BTreeSet<(Instant, String)>,
    longest: i64,
}

impl Lane {
    fn insert(&mut self, b: &Booking) {
        let iv = b.blocked();
        self.longest = self.longest.max(iv.len());
        self.keys.insert((iv.start, b.id.clone()));
    }

    fn remove(&mut self, b: &Booking) {
        self.keys.remove(&(b.blocked().start, b.id.clone()));
    }

    /// Ids of bookings whose blocked interval may overlap `iv` (callers filter exactly).
    pub fn near(&self, iv: Interval) -> impl Iterator<Item = &str> {
        self.keys
            .range((iv.start - self.longest, String::new())..(iv.end, String::new()))
            .map(|(_, id)| id.as_str())
    }
}

/// One entry of the change log handed to the host (`onChange`).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub kind: &'static str,
    pub id: String,
    pub before: Option<Record>,
    pub after: Option<Record>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum Record {
    Provider(Provider),
    Service(Service),
    Resource(Resource),
    Client(Client),
    Booking(Booking),
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Snapshot {
    version: u32,
    time_zone: String,
    next_id: u64,
    providers: Vec<Provider>,
    services: Vec<Service>,
    resources: Vec<Resource>,
    clients: Vec<Client>,
    bookings: Vec<Booking>,
}

pub struct Coordinator {
    pub(crate) zones: Zones,
    pub(crate) time_zone: String,
    pub(crate) providers: BTreeMap<String, ProviderEntry>,
    pub(crate) services: BTreeMap<String, Service>,
    pub(crate) resources: BTreeMap<String, ResourceEntry>,
    pub(crate) clients: BTreeMap<String, Client>,
    pub(crate) bookings: BTreeMap<String, Booking>,
    pub(crate) provider_lanes: HashMap<String, Lane>,
    pub(crate) resource_lanes: HashMap<String, Lane>,
    pub(crate) next_id: u64,
    changes: Vec<Change>,
}

pub(crate) fn check_id(what: &str, id: &str) -> Result<()> {
    if id.is_empty() || id.len() > MAX_ID || id.chars().any(char::is_control) {
        return Err(Error::input(format!(
            "{what} id `{}` must be 1 to {MAX_ID} characters without control characters",
            clip(id)
        )));
    }
    Ok(())
}

pub(crate) fn check_text(what: &str, text: &str) -> Result<()> {
    if text.len() > MAX_TEXT {
        return Err(Error::input(format!("{what} is longer than {MAX_TEXT} bytes")));
    }
    Ok(())
}

fn check_name(what: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::input(format!("{what} needs a name")));
    }
    check_text(what, name)
}

fn dedup(list: &mut Vec<String>) {
    list.sort();
    list.dedup();
}

impl Coordinator {
    /// An empty coordinator whose default zone (for wall times without offset) is `time_zone`.
    pub fn new(zones: Zones, time_zone: &str) -> Result<Self> {
        zones.validate(time_zone)?;
        let mut c = Coordinator::utc(zones);
        c.time_zone = time_zone.to_string();
        Ok(c)
    }

    /// An empty coordinator whose default zone is UTC (needs no zone lookup, so cannot fail).
    pub fn utc(zones: Zones) -> Self {
        Coordinator {
            zones,
            time_zone: "UTC".to_string(),
            providers: BTreeMap::new(),
            services: BTreeMap::new(),
            resources: BTreeMap::new(),
            clients: BTreeMap::new(),
            bookings: BTreeMap::new(),
            provider_lanes: HashMap::new(),
            resource_lanes: HashMap::new(),
            next_id: 1,
            changes: Vec::new(),
        }
    }

    /// Whether nothing has been added yet.
    pub fn is_empty(&self) -> bool {
        self.providers.is_empty() && self.services.is_empty() && self.resources.is_empty() && self.clients.is_empty() && self.bookings.is_empty()
    }

    pub fn time_zone(&self) -> &str {
        &self.time_zone
    }

    /// The changes made since the last call, oldest first.
    pub fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.changes)
    }

    pub(crate) fn record(&mut self, kind: &'static str, id: &str, before: Option<Record>, after: Option<Record>) {
        self.changes.push(Change { kind, id: id.to_string(), before, after });
    }

    // ---- catalog -------------------------------------------------------------------------

    pub fn upsert_provider(&mut self, mut p: Provider) -> Result<Provider> {
        check_id("provider", &p.id)?;
        check_name("provider", &p.name)?;
        for s in &p.skills {
            check_id("skill", s)?;
        }
        dedup(&mut p.skills);
        if p.daily_cap == Some(0) {
            return Err(Error::input("dailyCap must be at least 1 (close the day with a date override instead)"));
        }
        if let Some(h) = &p.home {
            if !(-90.0..=90.0).contains(&h.lat) || !(-180.0..=180.0).contains(&h.lng) {
                return Err(Error::input("home must have lat in -90..90 and lng in -180..180"));
            }
        }
        let cal = Calendar::compile(&self.zones, &p.time_zone, Some(&p.weekly_hours), &p.date_overrides, &mut p.time_off)?;
        let before = self.providers.get(&p.id).map(|e| Record::Provider(e.data.clone()));
        self.record("provider", &p.id, before, Some(Record::Provider(p.clone())));
        self.providers.insert(p.id.clone(), ProviderEntry { data: p.clone(), cal });
        Ok(p)
    }

    pub fn upsert_service(&mut self, mut s: Service) -> Result<Service> {
        check_id("service", &s.id)?;
        check_name("service", &s.name)?;
        let day = 24 * 60;
        if s.duration_minutes == 0 || s.duration_minutes > 7 * day {
            return Err(Error::new(Code::InvalidDuration, "durationMinutes must be between 1 and 10080 (a week)"));
        }
        if s.buffer_before_minutes > day || s.buffer_after_minutes > day {
            return Err(Error::new(Code::InvalidDuration, "buffers must be at most 1440 minutes (a day)"));
        }
        if s.slot_step_minutes.is_some_and(|m| m == 0 || m > day) {
            return Err(Error::new(Code::InvalidDuration, "slotStepMinutes must be between 1 and 1440"));
        }
        if s.min_notice_minutes > 366 * day || s.horizon_days.is_some_and(|d| d > 3660) {
            return Err(Error::new(Code::InvalidDuration, "minNoticeMinutes must be at most a year and horizonDays at most 3660"));
        }
        if s.seats == 0 || s.seats > 10_000 {
            return Err(Error::input("seats must be between 1 and 10000"));
        }
        for skill in &s.required_skills {
            check_id("skill", skill)?;
        }
        dedup(&mut s.required_skills);
        let mut kinds = BTreeSet::new();
        for need in &s.required_resources {
            check_id("resource kind", &need.kind)?;
            if need.quantity == 0 || !kinds.insert(need.kind.as_str()) {
                return Err(Error::input(format!(
                    "requiredResources: kind `{}` needs a quantity of at least 1, once",
                    clip(&need.kind)
                )));
            }
        }
        let before = self.services.get(&s.id).cloned().map(Record::Service);
        self.record("service", &s.id, before, Some(Record::Service(s.clone())));
        self.services.insert(s.id.clone(), s.clone());
        Ok(s)
    }

    pub fn upsert_resource(&mut self, mut r: Resource) -> Result<Resource> {
        check_id("resource", &r.id)?;
        check_name("resource", &r.name)?;
        check_id("resource kind", &r.kind)?;
        if r.quantity == 0 || r.quantity > 1_000_000 {
            return Err(Error::input("resource quantity must be between 1 and 1000000"));
        }
        let zone = r.time_zone.clone().unwrap_or_else(|| self.time_zone.clone());
        let cal = Calendar::compile(&self.zones, &zone, r.weekly_hours.as_ref(), &r.date_overrides, &mut r.time_off)?;
        let before = self.resources.get(&r.id).map(|e| Record::Resource(e.data.clone()));
        self.record("resource", &r.id, before, Some(Record::Resource(r.clone())));
        self.resources.insert(r.id.clone(), ResourceEntry { data: r.clone(), cal });
        Ok(r)
    }

    pub fn upsert_client(&mut self, c: Client) -> Result<Client> {
        check_id("client", &c.id)?;
        check_name("client", &c.name)?;
        for field in [&c.email, &c.phone, &c.notes].into_iter().flatten() {
            check_text("client field", field)?;
        }
        if let Some(z) = &c.time_zone {
            self.zones.validate(z)?;
        }
        let before = self.clients.get(&c.id).cloned().map(Record::Client);
        self.record("client", &c.id, before, Some(Record::Client(c.clone())));
        self.clients.insert(c.id.clone(), c.clone());
        Ok(c)
    }

    /// Active bookings (holding time, not yet over) that match `uses`, for removal checks.
    fn in_use(&self, now: Instant, uses: impl Fn(&Booking) -> bool) -> Vec<String> {
        self.bookings
            .values()
            .filter(|b| b.status.blocks_time() && b.end > now && uses(b))
            .map(|b| b.id.clone())
            .collect()
    }

    fn refuse_in_use(what: &str, id: &str, ids: Vec<String>) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let n = ids.len();
        let mut all = vec![id.to_string()];
        all.extend(ids);
        Err(Error::with_ids(
            Code::InUse,
            format!("{what} `{}` still has {n} upcoming booking(s); cancel or move them first", clip(id)),
            all,
        ))
    }

    /// Removes a provider; refused while upcoming bookings need it. Past bookings keep its id.
    pub fn remove_provider(&mut self, id: &str, now: Instant) -> Result<()> {
        let entry = self.providers.get(id).ok_or_else(|| Error::unknown("provider", id))?;
        Self::refuse_in_use("provider", id, self.in_use(now, |b| b.provider_id == id))?;
        let before = Record::Provider(entry.data.clone());
        self.providers.remove(id);
        self.record("provider", id, Some(before), None);
        Ok(())
    }

    pub fn remove_service(&mut self, id: &str, now: Instant) -> Result<()> {
        let s = self.services.get(id).ok_or_else(|| Error::unknown("service", id))?;
        Self::refuse_in_use("service", id, self.in_use(now, |b| b.service_id == id))?;
        let before = Record::Service(s.clone());
        self.services.remove(id);
        self.record("service", id, Some(before), None);
        Ok(())
    }

    pub fn remove_resource(&mut self, id: &str, now: Instant) -> Result<()> {
        let r = self.resources.get(id).ok_or_else(|| Error::unknown("resource", id))?;
        Self::refuse_in_use("resource", id, self.in_use(now, |b| b.resources.iter().any(|u| u.resource_id == id)))?;
        let before = Record::Resource(r.data.clone());
        self.resources.remove(id);
        self.record("resource", id, Some(before), None);
        Ok(())
    }

    pub fn remove_client(&mut self, id: &str, now: Instant) -> Result<()> {
        let c = self.clients.get(id).ok_or_else(|| Error::unknown("client", id))?;
        Self::refuse_in_use("client", id, self.in_use(now, |b| b.client_ids.iter().any(|c| c == id)))?;
        let before = Record::Client(c.clone());
        self.clients.remove(id);
        self.record("client", id, Some(before), None);
        Ok(())
    }

    pub fn provider(&self, id: &str) -> Option<&Provider> {
        self.providers.get(id).map(|e| &e.data)
    }
    pub fn providers(&self) -> impl Iterator<Item = &Provider> {
        self.providers.values().map(|e| &e.data)
    }
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.get(id)
    }
    pub fn services(&self) -> impl Iterator<Item = &Service> {
        self.services.values()
    }
    pub fn resource(&self, id: &str) -> Option<&Resource> {
        self.resources.get(id).map(|e| &e.data)
    }
    pub fn resources(&self) -> impl Iterator<Item = &Resource> {
        self.resources.values().map(|e| &e.data)
    }
    pub fn client(&self, id: &str) -> Option<&Client> {
        self.clients.get(id)
    }
    pub fn clients(&self) -> impl Iterator<Item = &Client> {
        self.clients.values()
    }
    pub fn booking(&self, id: &str) -> Option<&Booking> {
        self.bookings.get(id)
    }

    // ---- the booking index ---------------------------------------------------------------

    /// Puts a booking into the store and, if it holds time, into its lanes.
    pub(crate) fn store(&mut self, b: Booking) {
        if b.status.blocks_time() {
            self.provider_lanes.entry(b.provider_id.clone()).or_default().insert(&b);
            for u in &b.resources {
                self.resource_lanes.entry(u.resource_id.clone()).or_default().insert(&b);
            }
        }
        self.bookings.insert(b.id.clone(), b);
    }

    /// Takes a booking out of the store and its lanes.
    pub(crate) fn unstore(&mut self, id: &str) -> Option<Booking> {
        let b = self.bookings.remove(id)?;
        if let Some(lane) = self.provider_lanes.get_mut(&b.provider_id) {
            lane.remove(&b);
        }
        for u in &b.resources {
            if let Some(lane) = self.resource_lanes.get_mut(&u.resource_id) {
                lane.remove(&b);
            }
        }
        Some(b)
    }

    /// Bookings holding `provider`'s time whose blocked interval overlaps `iv`.
    pub(crate) fn provider_bookings(&self, provider: &str, iv: Interval) -> impl Iterator<Item = &Booking> {
        self.lane_bookings(self.provider_lanes.get(provider), iv)
    }

    pub(crate) fn resource_bookings(&self, resource: &str, iv: Interval) -> impl Iterator<Item = &Booking> {
        self.lane_bookings(self.resource_lanes.get(resource), iv)
    }

    fn lane_bookings<'a>(&'a self, lane: Option<&'a Lane>, iv: Interval) -> impl Iterator<Item = &'a Booking> {
        lane.into_iter()
            .flat_map(move |l| l.near(iv))
            .filter_map(|id| self.bookings.get(id))
            .filter(move |b| b.blocked().overlaps(&iv))
    }

    // ---- snapshot ------------------------------------------------------------------------

    /// The whole state as versioned JSON; `restore` of it gives the same state and the same text.
    pub fn snapshot(&self) -> String {
        let snap = Snapshot {
            version: SNAPSHOT_VERSION,
            time_zone: self.time_zone.clone(),
            next_id: self.next_id,
            providers: self.providers().cloned().collect(),
            services: self.services.values().cloned().collect(),
            resources: self.resources().cloned().collect(),
            clients: self.clients.values().cloned().collect(),
            bookings: self.bookings.values().cloned().collect(),
        };
        serde_json::to_string(&snap).unwrap_or_default()
    }

    /// Rebuilds a coordinator from `snapshot()` output, validating every record as an upsert
    /// would and refusing a snapshot that holds a double booking.
    pub fn restore(zones: Zones, json: &str) -> Result<Self> {
        let snap: Snapshot = parse_json(json, "snapshot")?;
        if snap.version != SNAPSHOT_VERSION {
            return Err(Error::new(
                Code::UnsupportedVersion,
                format!("snapshot version {} is not supported (this build reads version {SNAPSHOT_VERSION})", snap.version),
            ));
        }
        let mut c = Coordinator::new(zones, &snap.time_zone)?;
        c.next_id = snap.next_id;
        for p in snap.providers {
            c.upsert_provider(p)?;
        }
        for s in snap.services {
            c.upsert_service(s)?;
        }
        for r in snap.resources {
            c.upsert_resource(r)?;
        }
        for cl in snap.clients {
            c.upsert_client(cl)?;
        }
        for b in snap.bookings {
            c.restore_booking(b)?;
        }
        c.changes.clear();
        Ok(c)
    }

    fn restore_booking(&mut self, b: Booking) -> Result<()> {
        check_id("booking", &b.id)?;
        if b.end <= b.start || b.revision == 0 {
            return Err(Error::with_ids(Code::InvalidInput, format!("booking `{}` has no duration or no revision", clip(&b.id)), vec![b.id]));
        }
        if self.bookings.contains_key(&b.id) {
            return Err(Error::with_ids(Code::DuplicateId, format!("booking `{}` appears twice", clip(&b.id)), vec![b.id]));
        }
        if b.status.blocks_time() {
            let iv = b.blocked();
            if let Some(other) = self.provider_bookings(&b.provider_id, iv).find(|o| !(self.is_group(&o.service_id) && crate::booking::same_session(o, &b))) {
                return Err(Error::with_ids(
                    Code::Overlap,
                    format!("bookings `{}` and `{}` overlap on provider `{}`", clip(&other.id), clip(&b.id), clip(&b.provider_id)),
                    vec![other.id.clone(), b.id.clone()],
                ));
            }
        }
        self.store(b);
        Ok(())
    }
}

/// Parses JSON input, turning serde's message into an `INVALID_JSON` error that names the field.
pub fn parse_json<T: serde::de::DeserializeOwned>(json: &str, what: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| {
        let mut msg = e.to_string();
        if msg.len() > 300 {
            msg = clip(&msg);
        }
        Error::new(Code::InvalidJson, format!("{what}: {msg}"))
    })
}
