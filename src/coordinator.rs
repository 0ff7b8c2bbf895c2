//! The coordinator's state: the catalog (providers, services, resources, clients), the bookings
//! with their per-provider and per-resource indexes, the snapshot, and the change log.
//!
//! Every write validates completely before it touches anything, so a refused call leaves the
//! state exactly as it was. Booking rules live in `booking.rs`, availability in `availability.rs`.

use crate::calendar::Calendar;
use crate::error::{Code, Error, Result};
use crate::idmap::IdMap;
use crate::json::{self, Fields, FromJson, ToJson, Writer};
use crate::model::*;
use crate::time::{clip, Instant, Interval};
use crate::zone::Zones;
use std::collections::HashMap;

/// The snapshot format version this build writes and reads.
pub const SNAPSHOT_VERSION: u32 = 1;
const MAX_ID: usize = 256;
const MAX_TEXT: usize = 10_000;

#[derive(Clone)]
pub(crate) struct ProviderEntry {
    pub data: Provider,
    pub cal: Calendar,
}

#[derive(Clone)]
pub(crate) struct ResourceEntry {
    pub data: Resource,
    pub cal: Calendar,
}

/// Bookings that hold time on one provider or resource: their blocked intervals (buffers
/// included) sorted by start, with the booking's index. `longest` bounds how far back an
/// overlapping one can start, so a range query is a binary search and a short scan.
#[derive(Clone, Default)]
pub(crate) struct Lane {
    /// (blocked start, booking index, blocked end, until), in natural order; `until` is a hold's
    /// expiry (the far future for bookings), so an expired hold is skipped without a lookup.
    entries: Vec<(Instant, u32, Instant, Instant)>,
    longest: i64,
}

impl Lane {
    fn insert(&mut self, b: &Booking, at: u32) {
        let iv = b.blocked();
        self.longest = self.longest.max(iv.len());
        let e = (iv.start, at, iv.end, b.until());
        let i = self.entries.partition_point(|x| *x < e);
        self.entries.insert(i, e);
    }

    fn remove(&mut self, b: &Booking, at: u32) {
        let iv = b.blocked();
        if let Ok(i) = self
            .entries
            .binary_search(&(iv.start, at, iv.end, b.until()))
        {
            self.entries.remove(i);
        }
    }

    /// (blocked interval, booking index) of the bookings holding time at `now` whose blocked
    /// interval overlaps `iv`.
    pub fn overlapping(
        &self,
        iv: Interval,
        now: Instant,
    ) -> impl Iterator<Item = (Interval, u32)> + '_ {
        let from = self
            .entries
            .partition_point(|e| e.0 < iv.start - self.longest);
        self.entries[from..]
            .iter()
            .take_while(move |e| e.0 < iv.end)
            .filter(move |e| e.2 > iv.start && e.3 > now)
            .map(|&(start, at, end, _)| (Interval::new(start, end), at))
    }
}

/// Records with an id.
pub(crate) trait HasId {
    fn id(&self) -> &str;
}

/// A small keyed collection, sorted by id: the catalog (providers, services, resources,
/// clients). One generic type instead of a BTreeMap per record type keeps the wasm small.
#[derive(Clone)]
pub(crate) struct Catalog<T> {
    pub(crate) items: Vec<T>,
}

impl<T: HasId> Catalog<T> {
    fn new() -> Self {
        Catalog { items: Vec::new() }
    }
    fn find(&self, id: &str) -> Result<usize, usize> {
        self.items.binary_search_by(|x| x.id().cmp(id))
    }
    pub fn get(&self, id: &str) -> Option<&T> {
        self.find(id).ok().map(|i| &self.items[i])
    }
    pub fn contains_key(&self, id: &str) -> bool {
        self.find(id).is_ok()
    }
    pub fn values(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(T::id)
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    /// Inserts or replaces; returns the replaced record.
    pub(crate) fn upsert(&mut self, item: T) -> Option<T> {
        match self.find(item.id()) {
            Ok(i) => Some(std::mem::replace(&mut self.items[i], item)),
            Err(i) => {
                self.items.insert(i, item);
                None
            }
        }
    }
    pub(crate) fn remove(&mut self, id: &str) -> Option<T> {
        self.find(id).ok().map(|i| self.items.remove(i))
    }
}

impl HasId for ProviderEntry {
    fn id(&self) -> &str {
        &self.data.id
    }
}
impl HasId for ResourceEntry {
    fn id(&self) -> &str {
        &self.data.id
    }
}
impl HasId for Service {
    fn id(&self) -> &str {
        &self.id
    }
}
impl HasId for Client {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Bookings are never deleted (a cancelled one stays, with its history): an append-only list in
/// booking order, with an index by id. The order is the snapshot's, so restore keeps it.
#[derive(Clone, Default)]
pub(crate) struct Bookings {
    pub(crate) list: Vec<Booking>,
    index: HashMap<String, u32>,
}

impl Bookings {
    pub fn get(&self, id: &str) -> Option<&Booking> {
        self.index.get(id).map(|&i| &self.list[i as usize])
    }
    pub fn at(&self, i: u32) -> &Booking {
        &self.list[i as usize]
    }
    pub fn position(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
    }
    pub fn contains_key(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }
    pub fn values(&self) -> std::slice::Iter<'_, Booking> {
        self.list.iter()
    }
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// One entry of the change log handed to the host (`onChange`).
#[derive(Clone, Debug)]
pub struct Change {
    pub kind: &'static str,
    pub id: String,
    pub before: Option<Record>,
    pub after: Option<Record>,
}

#[derive(Clone, Debug)]
pub enum Record {
    Provider(Provider),
    Service(Service),
    Resource(Resource),
    Client(Client),
    Booking(Booking),
    Waitlist(crate::waitlist::WaitlistEntry),
}

impl ToJson for Record {
    fn write(&self, w: &mut Writer) {
        match self {
            Record::Provider(x) => x.write(w),
            Record::Service(x) => x.write(w),
            Record::Resource(x) => x.write(w),
            Record::Client(x) => x.write(w),
            Record::Booking(x) => x.write(w),
            Record::Waitlist(x) => x.write(w),
        }
    }
}

impl ToJson for Change {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("kind", self.kind);
        w.field("id", &self.id);
        w.field("before", &self.before);
        w.field("after", &self.after);
        w.end_obj();
    }
}

/// The whole state. A copy is cheap enough to plan on (repair works on one and swaps it in).
#[derive(Clone)]
pub struct Coordinator {
    pub(crate) zones: Zones,
    pub(crate) time_zone: String,
    pub(crate) providers: Catalog<ProviderEntry>,
    pub(crate) services: Catalog<Service>,
    pub(crate) resources: Catalog<ResourceEntry>,
    pub(crate) clients: Catalog<Client>,
    pub(crate) bookings: Bookings,
    pub(crate) waitlist: Catalog<crate::waitlist::WaitlistEntry>,
    pub(crate) series: Catalog<crate::series::Series>,
    pub(crate) provider_lanes: IdMap<Lane>,
    pub(crate) resource_lanes: IdMap<Lane>,
    pub(crate) next_id: u64,
    changes: Vec<Change>,
    /// Counts changes; a plan made at one version is refused at another.
    pub(crate) version: u64,
    pub(crate) plans: Vec<crate::repair::RepairPlan>,
    pub(crate) next_plan: u64,
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
        return Err(Error::input(format!(
            "{what} is longer than {MAX_TEXT} bytes"
        )));
    }
    Ok(())
}

fn check_name(what: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::input(format!("{what} needs a name")));
    }
    check_text(what, name)
}

/// Drops repeats, keeping the first of each (skill lists are short).
fn dedup(list: &mut Vec<String>) {
    let mut i = 0;
    while i < list.len() {
        if list[..i].contains(&list[i]) {
            list.remove(i);
        } else {
            i += 1;
        }
    }
}

/// A sort key of (instant, booking index) in one i64, so every sort in the engine is of `i64` or
/// of `Interval` (each sort instantiation costs kilobytes of wasm). Instants are bounded to
/// 1900-2200 (|t| < 2^33) and indexes to 2^24.
pub(crate) fn pack(t: Instant, at: u32) -> i64 {
    t * (1 << 24) + i64::from(at)
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
            providers: Catalog::new(),
            services: Catalog::new(),
            resources: Catalog::new(),
            clients: Catalog::new(),
            bookings: Bookings::default(),
            waitlist: Catalog::new(),
            series: Catalog::new(),
            provider_lanes: IdMap::default(),
            resource_lanes: IdMap::default(),
            next_id: 1,
            changes: Vec::new(),
            version: 0,
            plans: Vec::new(),
            next_plan: 1,
        }
    }

    /// Whether nothing has been added yet.
    pub fn is_empty(&self) -> bool {
        self.providers.is_empty()
            && self.services.is_empty()
            && self.resources.is_empty()
            && self.clients.is_empty()
            && self.bookings.is_empty()
            && self.waitlist.is_empty()
    }

    pub fn time_zone(&self) -> &str {
        &self.time_zone
    }

    /// The changes made since the last call, oldest first.
    pub fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.changes)
    }

    pub(crate) fn record(
        &mut self,
        kind: &'static str,
        id: &str,
        before: Option<Record>,
        after: Option<Record>,
    ) {
        self.version += 1;
        self.changes.push(Change {
            kind,
            id: id.to_string(),
            before,
            after,
        });
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
            return Err(Error::input(
                "dailyCap must be at least 1 (close the day with a date override instead)",
            ));
        }
        if p.time_off.iter().any(|t| t.quantity.is_some()) {
            return Err(Error::input(
                "a provider's time off has no quantity (that is for resources)",
            ));
        }
        if let Some(h) = &p.home {
            if !(-90.0..=90.0).contains(&h.lat) || !(-180.0..=180.0).contains(&h.lng) {
                return Err(Error::input(
                    "home must have lat in -90..90 and lng in -180..180",
                ));
            }
        }
        let recurring = (
            p.recurring_hours.as_slice(),
            p.recurring_time_off.as_slice(),
        );
        let cal = Calendar::compile(
            &self.zones,
            &p.time_zone,
            Some(&p.weekly_hours),
            &p.date_overrides,
            &mut p.time_off,
            recurring,
        )?;
        let before = self
            .providers
            .get(&p.id)
            .map(|e| Record::Provider(e.data.clone()));
        self.record("provider", &p.id, before, Some(Record::Provider(p.clone())));
        self.providers.upsert(ProviderEntry {
            data: p.clone(),
            cal,
        });
        Ok(p)
    }

    pub fn upsert_service(&mut self, mut s: Service) -> Result<Service> {
        check_id("service", &s.id)?;
        check_name("service", &s.name)?;
        let day = 24 * 60;
        if s.duration_minutes == 0 || s.duration_minutes > 7 * day {
            return Err(Error::new(
                Code::InvalidDuration,
                "durationMinutes must be between 1 and 10080 (a week)",
            ));
        }
        if s.buffer_before_minutes > day || s.buffer_after_minutes > day {
            return Err(Error::new(
                Code::InvalidDuration,
                "buffers must be at most 1440 minutes (a day)",
            ));
        }
        if s.slot_step_minutes.is_some_and(|m| m == 0 || m > day) {
            return Err(Error::new(
                Code::InvalidDuration,
                "slotStepMinutes must be between 1 and 1440",
            ));
        }
        if s.min_notice_minutes > 366 * day || s.horizon_days.is_some_and(|d| d > 3660) {
            return Err(Error::new(
                Code::InvalidDuration,
                "minNoticeMinutes must be at most a year and horizonDays at most 3660",
            ));
        }
        if s.seats == 0 || s.seats > 10_000 {
            return Err(Error::input("seats must be between 1 and 10000"));
        }
        for skill in &s.required_skills {
            check_id("skill", skill)?;
        }
        dedup(&mut s.required_skills);
        for (i, need) in s.required_resources.iter().enumerate() {
            check_id("resource kind", &need.kind)?;
            if need.quantity == 0
                || s.required_resources[..i]
                    .iter()
                    .any(|n| n.kind == need.kind)
            {
                return Err(Error::input(format!(
                    "requiredResources: kind `{}` needs a quantity of at least 1, once",
                    clip(&need.kind)
                )));
            }
        }
        let before = self.services.get(&s.id).cloned().map(Record::Service);
        self.record("service", &s.id, before, Some(Record::Service(s.clone())));
        self.services.upsert(s.clone());
        Ok(s)
    }

    pub fn upsert_resource(&mut self, mut r: Resource) -> Result<Resource> {
        check_id("resource", &r.id)?;
        check_name("resource", &r.name)?;
        check_id("resource kind", &r.kind)?;
        if r.quantity == 0 || r.quantity > 1_000_000 {
            return Err(Error::input(
                "resource quantity must be between 1 and 1000000",
            ));
        }
        let zone = r
            .time_zone
            .clone()
            .unwrap_or_else(|| self.time_zone.clone());
        let recurring = (
            r.recurring_hours.as_slice(),
            r.recurring_time_off.as_slice(),
        );
        let cal = Calendar::compile(
            &self.zones,
            &zone,
            r.weekly_hours.as_ref(),
            &r.date_overrides,
            &mut r.time_off,
            recurring,
        )?;
        let before = self
            .resources
            .get(&r.id)
            .map(|e| Record::Resource(e.data.clone()));
        self.record("resource", &r.id, before, Some(Record::Resource(r.clone())));
        self.resources.upsert(ResourceEntry {
            data: r.clone(),
            cal,
        });
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
        self.clients.upsert(c.clone());
        Ok(c)
    }

    /// Active bookings (holding time, not yet over) and waitlist entries that need a record, for
    /// removal checks.
    fn in_use(
        &self,
        now: Instant,
        uses: impl Fn(&Booking) -> bool,
        waits: impl Fn(&crate::waitlist::WaitlistEntry) -> bool,
    ) -> Vec<String> {
        let bookings = self
            .bookings
            .values()
            .filter(|b| b.status.blocks_time() && b.end > now && b.until() > now && uses(b))
            .map(|b| b.id.clone());
        bookings
            .chain(
                self.waitlist
                    .values()
                    .filter(|w| waits(w))
                    .map(|w| w.id.clone()),
            )
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
            format!("{what} `{}` still has {n} upcoming booking(s) or waitlist entries; cancel or move them first", clip(id)),
            all,
        ))
    }

    /// Removes a provider; refused while upcoming bookings need it. Past bookings keep its id.
    pub fn remove_provider(&mut self, id: &str, now: Instant) -> Result<()> {
        let entry = self
            .providers
            .get(id)
            .ok_or_else(|| Error::unknown("provider", id))?;
        Self::refuse_in_use(
            "provider",
            id,
            self.in_use(
                now,
                |b| b.provider_id == id,
                |w| w.preferred_provider_ids.iter().any(|p| p == id),
            ),
        )?;
        let before = Record::Provider(entry.data.clone());
        self.providers.remove(id);
        self.record("provider", id, Some(before), None);
        Ok(())
    }

    pub fn remove_service(&mut self, id: &str, now: Instant) -> Result<()> {
        let s = self
            .services
            .get(id)
            .ok_or_else(|| Error::unknown("service", id))?;
        Self::refuse_in_use(
            "service",
            id,
            self.in_use(now, |b| b.service_id == id, |w| w.service_id == id),
        )?;
        let before = Record::Service(s.clone());
        self.services.remove(id);
        self.record("service", id, Some(before), None);
        Ok(())
    }

    pub fn remove_resource(&mut self, id: &str, now: Instant) -> Result<()> {
        let r = self
            .resources
            .get(id)
            .ok_or_else(|| Error::unknown("resource", id))?;
        Self::refuse_in_use(
            "resource",
            id,
            self.in_use(
                now,
                |b| b.resources.iter().any(|u| u.resource_id == id),
                |_| false,
            ),
        )?;
        let before = Record::Resource(r.data.clone());
        self.resources.remove(id);
        self.record("resource", id, Some(before), None);
        Ok(())
    }

    pub fn remove_client(&mut self, id: &str, now: Instant) -> Result<()> {
        let c = self
            .clients
            .get(id)
            .ok_or_else(|| Error::unknown("client", id))?;
        Self::refuse_in_use(
            "client",
            id,
            self.in_use(
                now,
                |b| b.client_ids.iter().any(|c| c == id),
                |w| w.client_ids.iter().any(|c| c == id),
            ),
        )?;
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

    fn lanes_add(&mut self, at: u32) {
        let b = &self.bookings.list[at as usize];
        if b.status.blocks_time() {
            self.provider_lanes.entry(&b.provider_id).insert(b, at);
            for u in &b.resources {
                self.resource_lanes.entry(&u.resource_id).insert(b, at);
            }
        }
    }

    fn lanes_remove(&mut self, at: u32) {
        let b = &self.bookings.list[at as usize];
        if let Some(lane) = self.provider_lanes.get_mut(&b.provider_id) {
            lane.remove(b, at);
        }
        for u in &b.resources {
            if let Some(lane) = self.resource_lanes.get_mut(&u.resource_id) {
                lane.remove(b, at);
            }
        }
    }

    /// Adds a new booking, or replaces the one with its id, keeping the lanes in step.
    pub(crate) fn store(&mut self, b: Booking) {
        match self.bookings.position(&b.id) {
            Some(at) => {
                self.lanes_remove(at);
                self.bookings.list[at as usize] = b;
                self.lanes_add(at);
            }
            None => {
                let at = self.bookings.list.len() as u32;
                self.bookings.index.insert(b.id.clone(), at);
                self.bookings.list.push(b);
                self.lanes_add(at);
            }
        }
    }

    /// Blocked intervals of bookings holding `provider`'s time at `now` that overlap `iv`.
    pub(crate) fn provider_lane(
        &self,
        provider: &str,
        iv: Interval,
        now: Instant,
    ) -> impl Iterator<Item = (Interval, u32)> + '_ {
        self.provider_lanes
            .get(provider)
            .into_iter()
            .flat_map(move |l| l.overlapping(iv, now))
    }

    /// Bookings holding `provider`'s time at `now` whose blocked interval overlaps `iv`.
    pub(crate) fn provider_bookings(
        &self,
        provider: &str,
        iv: Interval,
        now: Instant,
    ) -> impl Iterator<Item = &Booking> {
        self.provider_lane(provider, iv, now)
            .map(|(_, at)| self.bookings.at(at))
    }

    pub(crate) fn resource_bookings(
        &self,
        resource: &str,
        iv: Interval,
        now: Instant,
    ) -> impl Iterator<Item = &Booking> {
        self.resource_lanes
            .get(resource)
            .into_iter()
            .flat_map(move |l| l.overlapping(iv, now))
            .map(|(_, at)| self.bookings.at(at))
    }

    // ---- snapshot ------------------------------------------------------------------------

    /// The whole state as versioned JSON; `restore` of it gives the same state and the same text.
    pub fn snapshot(&self) -> String {
        let mut w = Writer::default();
        w.begin_obj();
        w.field("version", &SNAPSHOT_VERSION);
        w.field("timeZone", &self.time_zone);
        w.field("nextId", &self.next_id);
        w.key("providers");
        w.begin_arr();
        self.providers().for_each(|x| x.write(&mut w));
        w.end_arr();
        w.field("services", self.services.items.as_slice());
        w.key("resources");
        w.begin_arr();
        self.resources().for_each(|x| x.write(&mut w));
        w.end_arr();
        w.field("clients", self.clients.items.as_slice());
        w.field("bookings", self.bookings.list.as_slice());
        w.field("waitlist", self.waitlist.items.as_slice());
        w.field("series", self.series.items.as_slice());
        w.end_obj();
        w.out
    }

    /// Rebuilds a coordinator from `snapshot()` output, validating every record as an upsert
    /// would and refusing a snapshot that holds a double booking.
    pub fn restore(zones: Zones, json: &str) -> Result<Self> {
        let doc = json::parse(json).map_err(|e| e.into_error("snapshot"))?;
        let read = || -> json::JResult<Snapshot> {
            let mut f = Fields::of(&doc)?;
            let snap = Snapshot {
                version: f.req("version"),
                time_zone: f.req("timeZone"),
                next_id: f.req("nextId"),
                providers: f.list("providers"),
                services: f.list("services"),
                resources: f.list("resources"),
                clients: f.list("clients"),
                bookings: f.list("bookings"),
                waitlist: f.list("waitlist"),
                series: f.list("series"),
            };
            f.end().map(|_| snap)
        };
        let snap = read().map_err(|e| e.into_error("snapshot"))?;
        drop(doc);
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
        c.rebuild_lanes()?;
        for s in snap.series {
            crate::rrule::Rule::parse(&s.rrule)?;
            c.zones.validate(&s.time_zone)?;
            c.series.upsert(s);
        }
        for e in snap.waitlist {
            // Restored entries carry their joining time, so no clock is needed.
            c.waitlist_add(e, 0)?;
        }
        c.changes.clear();
        Ok(c)
    }

    fn restore_booking(&mut self, b: Booking) -> Result<()> {
        check_id("booking", &b.id)?;
        if b.end <= b.start || b.revision == 0 {
            return Err(Error::with_ids(
                Code::InvalidInput,
                format!("booking `{}` has no duration or no revision", clip(&b.id)),
                vec![b.id],
            ));
        }
        if self.bookings.contains_key(&b.id) {
            return Err(Error::with_ids(
                Code::DuplicateId,
                format!("booking `{}` appears twice", clip(&b.id)),
                vec![b.id],
            ));
        }
        let at = self.bookings.list.len() as u32;
        self.bookings.index.insert(b.id.clone(), at);
        self.bookings.list.push(b);
        Ok(())
    }

    /// Builds every lane in one pass and one sort, and refuses a double booking.
    fn rebuild_lanes(&mut self) -> Result<()> {
        self.provider_lanes.clear();
        self.resource_lanes.clear();
        if self.bookings.list.len() >= 1 << 24 {
            return Err(Error::input(
                "a snapshot may hold at most 16,777,215 bookings",
            ));
        }
        // Keys first (one i64 sort per lane), then the lanes in order.
        let mut keys: [IdMap<Vec<i64>>; 2] = Default::default();
        for (at, b) in self
            .bookings
            .list
            .iter()
            .enumerate()
            .filter(|(_, b)| b.status.blocks_time())
        {
            let key = pack(b.blocked().start, at as u32);
            keys[0].entry(&b.provider_id).push(key);
            for u in &b.resources {
                keys[1].entry(&u.resource_id).push(key);
            }
        }
        let [providers, resources] = keys;
        for (lanes, keys) in [
            (&mut self.provider_lanes, providers),
            (&mut self.resource_lanes, resources),
        ] {
            for (id, mut list) in keys {
                crate::sort::sort(&mut list);
                let mut lane = Lane::default();
                for key in list {
                    let at = (key & 0xff_ffff) as u32;
                    let b = &self.bookings.list[at as usize];
                    let iv = b.blocked();
                    lane.longest = lane.longest.max(iv.len());
                    lane.entries.push((iv.start, at, iv.end, b.until()));
                }
                lanes.insert(id, lane);
            }
        }
        for (provider, lane) in self.provider_lanes.iter() {
            // Holds are left out: without a clock, restore cannot tell an expired one.
            for (i, &(start, at, end, _)) in lane.entries.iter().enumerate() {
                let b = self.bookings.at(at);
                if b.status == Status::Held {
                    continue;
                }
                let clash = lane.entries[..i]
                    .iter()
                    .rev()
                    .take_while(|e| e.0 > start - lane.longest)
                    .find(|e| {
                        let o = self.bookings.at(e.1);
                        o.status != Status::Held
                            && e.2 > start
                            && e.0 < end
                            && !(self.is_group(&o.service_id) && crate::booking::same_session(o, b))
                    });
                if let Some(&(_, other, _, _)) = clash {
                    let o = self.bookings.at(other);
                    return Err(Error::with_ids(
                        Code::Overlap,
                        format!(
                            "bookings `{}` and `{}` overlap on provider `{}`",
                            clip(&o.id),
                            clip(&b.id),
                            clip(provider)
                        ),
                        vec![o.id.clone(), b.id.clone()],
                    ));
                }
            }
        }
        Ok(())
    }
}

struct Snapshot {
    version: u32,
    time_zone: String,
    next_id: u64,
    providers: Vec<Provider>,
    services: Vec<Service>,
    resources: Vec<Resource>,
    clients: Vec<Client>,
    bookings: Vec<Booking>,
    waitlist: Vec<crate::waitlist::WaitlistEntry>,
    series: Vec<crate::series::Series>,
}

/// Parses JSON input as a `T`; errors are `INVALID_JSON` and name the call and the field.
pub fn parse_json<T: FromJson>(json: &str, what: &str) -> Result<T> {
    json::from_str(json, what)
}
