//! The coordinator's state: the catalog (providers, services, resources, clients), the bookings
//! with their per-provider and per-resource indexes, the snapshot, and the change log.
//!
//! Every write validates completely before it touches anything, so a refused call leaves the
//! state exactly as it was. Booking rules live in `booking.rs`, availability in `availability.rs`.

use crate::base::chunked::Chunked;
use crate::base::error::clip;
use crate::base::error::{Code, Error, Result};
use crate::base::idmap::IdMap;
use crate::json::{self, Fields, FromJson, ToJson, Writer};
use crate::model::calendar::Calendar;
use crate::model::*;
use crate::model::{check_id, check_len, check_name, check_text, MAX_RESOURCE_NEEDS, MAX_SKILLS};
use crate::time::zone::Zones;
use crate::time::{Instant, Interval};
use std::collections::HashMap;

mod sync;
pub use sync::{Applied, ChangeLog, LOG_BYTES, LOG_CHANGES, MAX_APPLY};

/// The snapshot format version this build writes and reads.
pub const SNAPSHOT_VERSION: u32 = 2;

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
    entries: Vec<Entry>,
    longest: i64,
}

/// One booking in a lane, in 16 bytes (a lane holds every booking of its provider): where its
/// blocked time starts, the booking's index, and the blocked length, whose top bit marks a hold
/// (the few whose expiry the lane's users look up). A blocked length is under 9 days (7 for the
/// booking, a day of buffer each side), far below the bit. Ordered by start, then index.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    start: Instant,
    at: u32,
    len: u32,
}

const HELD: u32 = 1 << 31;

impl Entry {
    fn of(b: &Booking, at: u32) -> Entry {
        let iv = b.blocked();
        let held = if b.status == Status::Held { HELD } else { 0 };
        Entry {
            start: iv.start,
            at,
            len: iv.len().clamp(0, i64::from(HELD - 1)) as u32 | held,
        }
    }
    fn end(self) -> Instant {
        self.start + i64::from(self.len & !HELD)
    }
    fn held(self) -> bool {
        self.len & HELD != 0
    }
}

impl Lane {
    fn insert(&mut self, b: &Booking, at: u32) {
        self.longest = self.longest.max(b.blocked().len());
        let e = Entry::of(b, at);
        let i = self.entries.partition_point(|x| *x < e);
        self.entries.insert(i, e);
    }

    fn remove(&mut self, b: &Booking, at: u32) {
        if let Ok(i) = self.entries.binary_search(&Entry::of(b, at)) {
            self.entries.remove(i);
        }
    }

    /// The entries before `b`'s (stored at `at`), by start.
    fn before(&self, b: &Booking, at: u32) -> &[Entry] {
        let e = Entry::of(b, at);
        let to = self.entries.partition_point(|x| *x < e);
        self.entries.get(..to).unwrap_or_default()
    }

    /// (blocked interval, booking index, whether it is a hold) of the bookings whose blocked
    /// interval overlaps `iv`; whether a hold still holds is the caller's to ask.
    fn overlapping(&self, iv: Interval) -> impl Iterator<Item = (Interval, u32, bool)> + '_ {
        let from = self
            .entries
            .partition_point(|e| e.start < iv.start - self.longest);
        self.entries
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(move |e| e.start < iv.end)
            .filter(move |e| e.end() > iv.start)
            .map(|&e| (Interval::new(e.start, e.end()), e.at, e.held()))
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
    fn find(&self, id: &str) -> Result<usize, usize> {
        self.items.binary_search_by(|x| x.id().cmp(id))
    }
    pub fn get(&self, id: &str) -> Option<&T> {
        self.find(id).ok().and_then(|i| self.items.get(i))
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
            Ok(i) => self.items.get_mut(i).map(|x| std::mem::replace(x, item)),
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

impl HasId for Provider {
    fn id(&self) -> &str {
        &self.id
    }
}
impl HasId for Resource {
    fn id(&self) -> &str {
        &self.id
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
impl HasId for WaitlistEntry {
    fn id(&self) -> &str {
        &self.id
    }
}
impl HasId for crate::model::WorkOrder {
    fn id(&self) -> &str {
        &self.id
    }
}
impl HasId for crate::model::Series {
    fn id(&self) -> &str {
        &self.id
    }
}
impl HasId for Client {
    fn id(&self) -> &str {
        &self.id
    }
}

impl<T> Default for Catalog<T> {
    fn default() -> Self {
        Catalog { items: Vec::new() }
    }
}

/// Removed records that past bookings still name: a technician who left, a retired service. They
/// are neither listed nor bookable, but a past visit keeps its names, and the snapshot stays
/// whole (every booking's references resolve). Upserting the id again brings one back.
#[derive(Clone, Default)]
pub struct Archive {
    pub(crate) providers: Catalog<Provider>,
    pub(crate) services: Catalog<Service>,
    pub(crate) resources: Catalog<Resource>,
    pub(crate) clients: Catalog<Client>,
}

impl Archive {
    pub fn provider(&self, id: &str) -> Option<&Provider> {
        self.providers.get(id)
    }
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.get(id)
    }
    pub fn resource(&self, id: &str) -> Option<&Resource> {
        self.resources.get(id)
    }
    pub fn client(&self, id: &str) -> Option<&Client> {
        self.clients.get(id)
    }
}

impl ToJson for Archive {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("providers", self.providers.items.as_slice());
        w.field("services", self.services.items.as_slice());
        w.field("resources", self.resources.items.as_slice());
        w.field("clients", self.clients.items.as_slice());
        w.end_obj();
    }
}

impl FromJson for Archive {
    fn from_json(v: &json::Json) -> json::JResult<Self> {
        let mut f = Fields::of(v)?;
        let mut a = Archive::default();
        a.providers.items = f.list("providers");
        a.services.items = f.list("services");
        a.resources.items = f.list("resources");
        a.clients.items = f.list("clients");
        f.end().map(|_| a)
    }
}

/// Bookings are never deleted (a cancelled one stays, with its history): an append-only list in
/// booking order, with an index by id. The order is the snapshot's, so restore keeps it.
#[derive(Clone, Default)]
pub(crate) struct Bookings {
    pub(crate) list: Chunked<Booking>,
    /// Keyed by the booking's own id (an `Id`: the key shares the booking's allocation).
    index: HashMap<Id, u32>,
}

impl Bookings {
    pub fn get(&self, id: &str) -> Option<&Booking> {
        self.index.get(id).and_then(|&i| self.list.get(i as usize))
    }
    #[allow(clippy::indexing_slicing)] // positions come from the id index and the lanes, which
                                       // hold only stored bookings (never removed; a rollback
                                       // drops a booking's lanes and index entry as it pops it)
    pub fn at(&self, i: u32) -> &Booking {
        #[allow(clippy::expect_used)] // see above: a position the index or a lane holds is stored
        self.list
            .get(i as usize)
            .expect("a stored booking's position")
    }
    pub fn position(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
    }
    pub fn contains_key(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }
    pub fn values(&self) -> impl Iterator<Item = &Booking> {
        self.list.iter()
    }
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Time entries in the order they were made, with an index by id, and beside each the position
/// of the booking it names (bookings never move: reports group by it without hashing ids). A
/// draft removed takes the last one's place (the order is the snapshot's, which restore keeps).
#[derive(Clone, Default)]
pub(crate) struct TimeEntries {
    pub(crate) list: Vec<crate::model::billing::TimeEntry>,
    /// `list[i]`'s booking position, or `u32::MAX` for an entry of no booking.
    pub(crate) booking_at: Vec<u32>,
    index: HashMap<String, u32>,
}

impl TimeEntries {
    pub fn get(&self, id: &str) -> Option<&crate::model::billing::TimeEntry> {
        self.index.get(id).and_then(|&i| self.list.get(i as usize))
    }
    pub fn contains_key(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }
    pub fn values(&self) -> std::slice::Iter<'_, crate::model::billing::TimeEntry> {
        self.list.iter()
    }
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
    pub(crate) fn remove(&mut self, id: &str) -> Option<crate::model::billing::TimeEntry> {
        let i = self.index.remove(id)? as usize;
        if i >= self.list.len() {
            return None;
        }
        let gone = self.list.swap_remove(i);
        self.booking_at.swap_remove(i);
        if let Some(moved) = self.list.get(i) {
            self.index.insert(moved.id.clone(), i as u32);
        }
        Some(gone)
    }
}

impl Coordinator {
    /// Stores a time entry (new or replacing its id's), with its booking's position; its
    /// provider's id shares the one already stored.
    pub(crate) fn put_entry(&mut self, mut e: crate::model::billing::TimeEntry) {
        self.ids.share(&mut e.provider_id);
        let at = e
            .booking_id
            .as_deref()
            .and_then(|b| self.bookings.position(b))
            .unwrap_or(u32::MAX);
        let t = &mut self.time_entries;
        match t.index.get(&e.id).map(|&i| i as usize) {
            Some(i) if i < t.list.len() => {
                if let (Some(slot), Some(b)) = (t.list.get_mut(i), t.booking_at.get_mut(i)) {
                    *slot = e;
                    *b = at;
                }
            }
            _ => {
                t.index.insert(e.id.clone(), t.list.len() as u32);
                t.list.push(e);
                t.booking_at.push(at);
            }
        }
    }
}

/// One entry of the change log handed to the host (`onChange`).
#[derive(Clone, Debug)]
pub struct Change {
    /// The state's version once this change is made (see `sync`).
    pub version: u64,
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
    Waitlist(WaitlistEntry),
    WorkOrder(crate::model::WorkOrder),
    Series(Series),
    Travel(crate::model::TravelModel),
    TimeEntry(crate::model::billing::TimeEntry),
    Billing(crate::model::billing::Billing),
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
            Record::WorkOrder(x) => x.write(w),
            Record::Series(x) => x.write(w),
            Record::Travel(x) => x.write(w),
            Record::TimeEntry(x) => x.write(w),
            Record::Billing(x) => x.write(w),
        }
    }
}

impl ToJson for Change {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("version", &self.version);
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
    /// How travel time between places is reckoned (the travel rule and the dispatch problem).
    pub(crate) travel: crate::model::TravelModel,
    /// Currency, rounding and which kinds of time are billable.
    pub(crate) billing: crate::model::billing::Billing,
    pub(crate) time_entries: TimeEntries,
    pub(crate) providers: Catalog<ProviderEntry>,
    pub(crate) services: Catalog<Service>,
    pub(crate) resources: Catalog<ResourceEntry>,
    pub(crate) clients: Catalog<Client>,
    pub(crate) bookings: Bookings,
    pub(crate) waitlist: Catalog<WaitlistEntry>,
    pub(crate) series: Catalog<Series>,
    pub(crate) work_orders: Catalog<crate::model::WorkOrder>,
    pub(crate) provider_lanes: IdMap<Lane>,
    pub(crate) resource_lanes: IdMap<Lane>,
    /// Ids bookings name (services, providers, history actions), each stored once (`Id`).
    ids: crate::base::id::Ids,
    pub(crate) next_id: u64,
    changes: Vec<Change>,
    /// Counts changes; a plan made at one version is refused at another.
    pub(crate) version: u64,
    /// The latest changes as JSON, for `changes_since` (not in the snapshot).
    log: std::sync::Arc<ChangeLog>,
    pub(crate) plans: Vec<crate::model::plan::RepairPlan>,
    pub(crate) next_plan: u64,
    pub(crate) archive: Archive,
    /// The latest `now` a booking was written at. Holds lapse against this as well as the clock,
    /// so a clock stepping back cannot revive a hold another booking has since taken over.
    pub(crate) latest: Instant,
    /// While a trial runs (`trial`): each booking stored, with what it replaced (`None`: it was
    /// new), so `rollback` can put the state back without a copy of it.
    journal: Vec<(u32, Option<Booking>)>,
    trials: u32,
}

/// The state as a trial found it, to return to (`Coordinator::rollback`) or to keep what came
/// after (`Coordinator::settle`). Bookings, the large part, are journaled as they change; the
/// catalog, small, is kept whole.
#[must_use = "a trial ends in rollback or settle"]
pub(crate) struct Mark {
    journal: usize,
    changes: usize,
    version: u64,
    next_id: u64,
    latest: Instant,
    catalog: Box<CatalogCopy>,
}

struct CatalogCopy {
    providers: Catalog<ProviderEntry>,
    services: Catalog<Service>,
    resources: Catalog<ResourceEntry>,
    clients: Catalog<Client>,
    waitlist: Catalog<WaitlistEntry>,
    series: Catalog<Series>,
    work_orders: Catalog<crate::model::WorkOrder>,
    archive: Archive,
}

/// Drops repeats, keeping the first of each (skill lists are short).
fn dedup(list: &mut Vec<String>) {
    let mut seen: Vec<String> = Vec::with_capacity(list.len());
    list.retain(|x| {
        let first = !seen.contains(x);
        if first {
            seen.push(x.clone());
        }
        first
    });
}

/// The number of an id in a generated form (`bk-12`, `wl-3`, `sr-7`, `wo-2`, `te-5`), whoever
/// chose it.
pub(crate) fn generated_number(id: &str) -> Option<u64> {
    let (prefix, n) = id.split_once('-')?;
    let digits = matches!(prefix, "bk" | "wl" | "sr" | "wo" | "te")
        && (1..=15).contains(&n.len())
        && n.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| n.parse().ok()).flatten()
}

/// A sort key of (instant, booking index) in one i64, so every sort in the engine is of `i64` or
/// of `Interval` (each sort instantiation costs kilobytes of wasm). Instants are bounded to
/// 1900-2200 (|t| < 2^33) and indexes to 2^24.
pub(crate) fn pack(t: Instant, at: u32) -> i64 {
    t.secs() * (1 << 24) + i64::from(at)
}

/// The instant and index of a [`pack`]ed key.
pub(crate) fn unpack(key: i64) -> (Instant, u32) {
    (Instant::from_secs(key >> 24), (key & 0xff_ffff) as u32)
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
            travel: Default::default(),
            billing: Default::default(),
            time_entries: TimeEntries::default(),
            providers: Catalog::default(),
            services: Catalog::default(),
            resources: Catalog::default(),
            clients: Catalog::default(),
            bookings: Bookings::default(),
            waitlist: Catalog::default(),
            series: Catalog::default(),
            work_orders: Catalog::default(),
            provider_lanes: IdMap::default(),
            resource_lanes: IdMap::default(),
            next_id: 1,
            ids: Default::default(),
            changes: Vec::new(),
            version: 0,
            log: ChangeLog::starting_at(0),
            plans: Vec::new(),
            next_plan: 1,
            archive: Archive::default(),
            latest: crate::time::MIN_INSTANT,
            journal: Vec::new(),
            trials: 0,
        }
    }

    /// A new id `{prefix}-{n}`. No stored id of a generated form has a number at or past
    /// `next_id` (every stored id is `claim`ed), so this one is free, whatever ids hosts chose.
    pub(crate) fn fresh_id(&self, prefix: &str) -> String {
        format!("{prefix}-{}", self.next_id)
    }

    /// Keeps `next_id` past `id` when it has a generated form; called as a record is stored.
    pub(crate) fn claim(&mut self, id: &str) {
        if let Some(n) = generated_number(id) {
            self.next_id = self.next_id.max(n + 1);
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
            && self.work_orders.is_empty()
            && self.time_entries.is_empty()
    }

    pub fn time_zone(&self) -> &str {
        &self.time_zone
    }

    /// The zone cache (a copy shares the tables built so far).
    pub fn zones(&self) -> &Zones {
        &self.zones
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
            version: self.version,
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
        check_len("skills", p.skills.len(), MAX_SKILLS)?;
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
            h.check("home")?;
        }
        if p.rate_minor
            .is_some_and(|r| !(0..=crate::model::visit::MAX_PRICE_MINOR).contains(&r))
        {
            return Err(Error::input(format!(
                "rateMinor must be 0 to {}",
                crate::model::visit::MAX_PRICE_MINOR
            )));
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
        self.archive.providers.remove(&p.id);
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
        check_len("requiredSkills", s.required_skills.len(), MAX_SKILLS)?;
        check_len(
            "requiredResources",
            s.required_resources.len(),
            MAX_RESOURCE_NEEDS,
        )?;
        for skill in &s.required_skills {
            check_id("skill", skill)?;
        }
        dedup(&mut s.required_skills);
        for (i, need) in s.required_resources.iter().enumerate() {
            check_id("resource kind", &need.kind)?;
            if need.quantity == 0
                || s.required_resources
                    .iter()
                    .take(i)
                    .any(|n| n.kind == need.kind)
            {
                return Err(Error::input(format!(
                    "requiredResources: kind `{}` needs a quantity of at least 1, once",
                    clip(&need.kind)
                )));
            }
        }
        crate::model::visit::check_service(&s)?;
        let before = self.services.get(&s.id).cloned().map(Record::Service);
        self.record("service", &s.id, before, Some(Record::Service(s.clone())));
        self.archive.services.remove(&s.id);
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
        if let Some(p) = &r.provider_id {
            if !self.providers.contains_key(p) {
                return Err(Error::unknown("provider", p));
            }
        }
        if let Some((_, ids)) = self.overused(&r.id, r.quantity) {
            return Err(Error::with_ids(
                Code::InUse,
                format!(
                    "bookings use {} of resource `{}` at once, more than a quantity of {}; to take units out from a date, add time off with a quantity",
                    ids.len(),
                    clip(&r.id),
                    r.quantity
                ),
                ids,
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
        self.archive.resources.remove(&r.id);
        self.resources.upsert(ResourceEntry {
            data: r.clone(),
            cal,
        });
        Ok(r)
    }

    /// Sets how travel time is reckoned (for every provider; the dispatch problem uses it too).
    pub fn set_travel(
        &mut self,
        t: crate::model::TravelModel,
    ) -> Result<crate::model::TravelModel> {
        t.check()?;
        let before = Some(Record::Travel(self.travel.clone()));
        self.record("travel", "travel", before, Some(Record::Travel(t.clone())));
        self.travel = t.clone();
        Ok(t)
    }

    pub fn travel(&self) -> &crate::model::TravelModel {
        &self.travel
    }

    pub fn upsert_client(&mut self, c: Client) -> Result<Client> {
        check_id("client", &c.id)?;
        check_name("client", &c.name)?;
        for field in [&c.email, &c.phone, &c.address, &c.notes]
            .into_iter()
            .flatten()
        {
            check_text("client field", field)?;
        }
        if let Some(z) = &c.time_zone {
            self.zones.validate(z)?;
        }
        if let Some(l) = &c.location {
            l.check("client location")?;
        }
        let before = self.clients.get(&c.id).cloned().map(Record::Client);
        self.record("client", &c.id, before, Some(Record::Client(c.clone())));
        self.archive.clients.remove(&c.id);
        self.clients.upsert(c.clone());
        Ok(c)
    }

    /// Active bookings (holding time, not yet over) and waitlist entries that need a record, for
    /// removal checks.
    fn in_use(
        &self,
        now: Instant,
        uses: impl Fn(&Booking) -> bool,
        waits: impl Fn(&WaitlistEntry) -> bool,
        orders: impl Fn(&crate::model::WorkOrder) -> bool,
    ) -> Vec<String> {
        let bookings = self
            .bookings
            .values()
            .filter(|b| {
                b.status.blocks_time() && b.end > now && b.until() > self.hold_clock(now) && uses(b)
            })
            .map(|b| b.id.to_string());
        bookings
            .chain(
                self.waitlist
                    .values()
                    .filter(|w| waits(w))
                    .map(|w| w.id.to_string()),
            )
            .chain(
                self.work_orders
                    .values()
                    .filter(|o| orders(o))
                    .map(|o| o.id.clone()),
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
            format!("{what} `{}` still has {n} upcoming booking(s), waitlist entries or work orders; cancel, move or remove them first", clip(id)),
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
                |o| [&o.provider_id, &o.preferred_provider_id].contains(&&Some(id.to_string())),
            ),
        )?;
        let carried: Vec<String> = self
            .resources
            .values()
            .filter(|r| r.data.provider_id.as_deref() == Some(id))
            .map(|r| r.data.id.clone())
            .collect();
        Self::refuse_in_use("provider", id, carried)?;
        let before = Record::Provider(entry.data.clone());
        if self.bookings.values().any(|b| b.provider_id == id)
            || self.time_entries.values().any(|e| e.provider_id == id)
        {
            self.archive.providers.upsert(entry.data.clone());
        }
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
            self.in_use(
                now,
                |b| b.service_id == id,
                |w| w.service_id == id,
                |o| o.service_id == id,
            ),
        )?;
        let before = Record::Service(s.clone());
        if self.bookings.values().any(|b| b.service_id == id) {
            self.archive.services.upsert(s.clone());
        }
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
                |_| false,
            ),
        )?;
        let before = Record::Resource(r.data.clone());
        if self
            .bookings
            .values()
            .any(|b| b.resources.iter().any(|u| u.resource_id == id))
        {
            self.archive.resources.upsert(r.data.clone());
        }
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
                |o| o.client_ids.iter().any(|c| c == id),
            ),
        )?;
        let before = Record::Client(c.clone());
        if self
            .bookings
            .values()
            .any(|b| b.client_ids.iter().any(|c| c == id))
        {
            self.archive.clients.upsert(c.clone());
        }
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
    /// Every booking kept, in the order they were made (a server's guard rows start from them).
    pub fn all_bookings(&self) -> impl Iterator<Item = &Booking> {
        self.bookings.values()
    }

    // ---- the booking index ---------------------------------------------------------------

    fn lanes_add(&mut self, at: u32) {
        let Some(b) = self.bookings.list.get(at as usize) else {
            return;
        };
        if b.status.blocks_time() {
            self.provider_lanes.entry(&b.provider_id).insert(b, at);
            for u in &b.resources {
                self.resource_lanes.entry(&u.resource_id).insert(b, at);
            }
        }
    }

    fn lanes_remove(&mut self, at: u32) {
        let Some(b) = self.bookings.list.get(at as usize) else {
            return;
        };
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
    #[allow(clippy::indexing_slicing)] // `at` is the position the id index holds for it
    pub(crate) fn store(&mut self, mut b: Booking) {
        self.share_ids(&mut b);
        self.latest = self.latest.max(b.updated_at);
        let (at, old) = match self.bookings.position(&b.id) {
            Some(at) => {
                self.lanes_remove(at);
                let old = match self.bookings.list.get_mut(at as usize) {
                    Some(slot) => Some(std::mem::replace(slot, b)),
                    None => None,
                };
                self.lanes_add(at);
                (at, old)
            }
            None => {
                let at = self.bookings.list.len() as u32;
                self.bookings.index.insert(b.id.clone(), at);
                self.bookings.list.push(b);
                self.lanes_add(at);
                (at, None)
            }
        };
        if self.trials > 0 {
            self.journal.push((at, old));
        }
    }

    /// Makes the booking's service, provider and history ids share the ones already stored.
    fn share_ids(&mut self, b: &mut Booking) {
        self.ids.share(&mut b.service_id);
        self.ids.share(&mut b.provider_id);
        for h in &mut b.history {
            self.ids.share(&mut h.action);
            self.ids.share(&mut h.provider_id);
        }
    }

    // ---- trials: plans and all-or-nothing writes work on the state itself, then put it back --

    /// Marks the state so that what follows can be undone (`rollback`) or kept (`settle`).
    /// Trials nest.
    pub(crate) fn trial(&mut self) -> Mark {
        self.trials += 1;
        Mark {
            journal: self.journal.len(),
            changes: self.changes.len(),
            version: self.version,
            next_id: self.next_id,
            latest: self.latest,
            catalog: Box::new(CatalogCopy {
                providers: self.providers.clone(),
                services: self.services.clone(),
                resources: self.resources.clone(),
                clients: self.clients.clone(),
                waitlist: self.waitlist.clone(),
                series: self.series.clone(),
                work_orders: self.work_orders.clone(),
                archive: self.archive.clone(),
            }),
        }
    }

    /// Puts the state back as it was at `mark`: every booking stored since, newest first.
    pub(crate) fn rollback(&mut self, mark: Mark) {
        while self.journal.len() > mark.journal {
            let Some((at, old)) = self.journal.pop() else {
                break;
            };
            self.lanes_remove(at);
            match old {
                Some(old) => {
                    if let Some(slot) = self.bookings.list.get_mut(at as usize) {
                        *slot = old;
                    }
                    self.lanes_add(at);
                }
                None => {
                    if let Some(b) = self.bookings.list.pop() {
                        self.bookings.index.remove(&b.id);
                    }
                }
            }
        }
        let c = *mark.catalog;
        (self.providers, self.services, self.resources, self.clients) =
            (c.providers, c.services, c.resources, c.clients);
        (self.waitlist, self.series, self.archive) = (c.waitlist, c.series, c.archive);
        self.work_orders = c.work_orders;
        self.changes.truncate(mark.changes);
        (self.version, self.next_id, self.latest) = (mark.version, mark.next_id, mark.latest);
        self.end_trial();
    }

    /// Keeps what the trial did (an outer trial can still undo it).
    pub(crate) fn settle(&mut self, mark: Mark) {
        drop(mark);
        self.end_trial();
    }

    fn end_trial(&mut self) {
        self.trials -= 1;
        if self.trials == 0 {
            self.journal.clear();
        }
    }

    /// Runs `f` on the state and puts it back, whatever `f` answers (a plan, a check).
    pub(crate) fn on_trial<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        let mark = self.trial();
        let answer = f(self);
        self.rollback(mark);
        answer
    }

    /// Runs `f` on the state: kept if it succeeds, put back if it fails (all or nothing).
    pub(crate) fn all_or_nothing<R>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<R>,
    ) -> Result<R> {
        let mark = self.trial();
        let answer = f(self);
        match answer {
            Ok(_) => self.settle(mark),
            Err(_) => self.rollback(mark),
        }
        answer
    }

    /// Blocked intervals of bookings holding `provider`'s time at `now` that overlap `iv`.
    pub(crate) fn provider_lane(
        &self,
        provider: &str,
        iv: Interval,
        now: Instant,
    ) -> impl Iterator<Item = (Interval, u32)> + '_ {
        self.holding(self.provider_lanes.get(provider), iv, now)
    }

    /// The entries of `lane` overlapping `iv` that hold time at `now` (a hold until it lapses).
    pub(crate) fn holding<'s>(
        &'s self,
        lane: Option<&'s Lane>,
        iv: Interval,
        now: Instant,
    ) -> impl Iterator<Item = (Interval, u32)> + 's {
        let clock = self.hold_clock(now);
        lane.into_iter()
            .flat_map(move |l| l.overlapping(iv))
            .filter(move |&(_, at, held)| !held || self.bookings.at(at).until() > clock)
            .map(|(iv, at, _)| (iv, at))
    }

    /// The engine's clock: the host's, or the latest write if the host's stepped back. Holds lapse
    /// against it and writes are stamped with it, so it never runs backwards.
    pub(crate) fn hold_clock(&self, now: Instant) -> Instant {
        now.max(self.latest)
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

    /// The bookings that hold time (holds too, lapsed or not) before `b` (stored at `at`) in its
    /// provider's lane, nearest first, each with the start of its blocked time: a report's walk
    /// back to the visit before one.
    pub(crate) fn provider_bookings_before(
        &self,
        b: &Booking,
        at: u32,
    ) -> impl Iterator<Item = (Instant, &Booking)> {
        let entries = self
            .provider_lanes
            .get(&b.provider_id)
            .map_or(&[][..], |l| l.before(b, at));
        entries
            .iter()
            .rev()
            .map(|e| (e.start, self.bookings.at(e.at)))
    }

    pub(crate) fn resource_bookings(
        &self,
        resource: &str,
        iv: Interval,
        now: Instant,
    ) -> impl Iterator<Item = &Booking> {
        self.holding(self.resource_lanes.get(resource), iv, now)
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
        if self.version > 0 {
            w.field("changeVersion", &self.version);
        }
        if self.travel != crate::model::TravelModel::default() {
            w.field("travel", &self.travel);
        }
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
        // The archive before the bookings that may name it: a restore then checks and stores
        // each booking as it reads it (`Restore`).
        w.field("archived", &self.archive);
        w.key("bookings");
        w.begin_arr();
        self.bookings.values().for_each(|x| x.write(&mut w));
        w.end_arr();
        w.field("waitlist", self.waitlist.items.as_slice());
        w.field("series", self.series.items.as_slice());
        if !self.work_orders.is_empty() {
            w.field("workOrders", self.work_orders.items.as_slice());
        }
        if self.billing != crate::model::billing::Billing::default() {
            w.field("billing", &self.billing);
        }
        if !self.time_entries.is_empty() {
            w.field("timeEntries", self.time_entries.list.as_slice());
        }
        w.end_obj();
        w.out
    }

    /// Removed records that past bookings still name (see [`Archive`]).
    pub fn archived(&self) -> &Archive {
        &self.archive
    }

    /// Rebuilds a coordinator from `snapshot()` output. Every record is validated as an upsert
    /// would, and the whole refused, with a code and the ids involved, if it breaks an
    /// invariant the API keeps: overlapping bookings on a provider, a resource used beyond its
    /// quantity, a session over its seats, a reference to nothing, an id twice, an id counter
    /// behind the ids it made, a time outside 1900-2200. Format 1 (before `sessionSeats` and
    /// `archived`) is read too: each booking's seats are then its service's.
    pub fn restore(zones: Zones, json: &str) -> Result<Self> {
        let mut r = Restore::new(zones);
        r.feed(json)?;
        r.finish()
    }

    /// A provider by id, active or archived (a past booking's or time entry's).
    pub(crate) fn provider_any(&self, id: &str) -> Option<&Provider> {
        self.provider(id).or_else(|| self.archive.providers.get(id))
    }

    /// A service by id, active or archived (a past booking's).
    pub(crate) fn service_any(&self, id: &str) -> Option<&Service> {
        self.services
            .get(id)
            .or_else(|| self.archive.services.get(id))
    }

    /// A resource's quantity by id, active or archived.
    pub(crate) fn resource_quantity(&self, id: &str) -> Option<u32> {
        self.resources
            .get(id)
            .map(|r| r.data.quantity)
            .or_else(|| self.archive.resources.get(id).map(|r| r.quantity))
    }

    /// One booking of a snapshot of `version`: format 1 had no `sessionSeats` (its service's).
    fn restore_one(&mut self, mut b: Booking, version: u32) -> Result<()> {
        if version == 1 {
            b.session_seats = self.service_any(&b.service_id).map_or(1, |s| s.seats);
        }
        self.restore_booking(b)
    }

    /// Validates one booking of a snapshot on its own (the lanes check it against the others).
    fn restore_booking(&mut self, b: Booking) -> Result<()> {
        self.check_booking_record(&b)?;
        if self.bookings.contains_key(&b.id) {
            return Err(Error::with_ids(
                Code::DuplicateId,
                format!("snapshot: booking `{}` appears twice", clip(&b.id)),
                vec![b.id.to_string()],
            ));
        }
        self.latest = self.latest.max(b.updated_at);
        let mut b = b;
        self.share_ids(&mut b);
        let at = self.bookings.list.len() as u32;
        self.bookings.index.insert(b.id.clone(), at);
        self.bookings.list.push(b);
        Ok(())
    }

    /// What a stored booking must satisfy on its own and against the catalog (a snapshot's, or
    /// one another copy sends).
    pub(crate) fn check_booking_record(&self, b: &Booking) -> Result<()> {
        check_id("booking", &b.id)?;
        let bad = |why: String| {
            Error::with_ids(
                Code::InvalidInput,
                format!("snapshot: booking `{}` {why}", clip(&b.id)),
                vec![b.id.to_string()],
            )
        };
        if b.end <= b.start || b.end - b.start > 7 * crate::time::DAY {
            return Err(bad("must last more than nothing and at most 7 days".into()));
        }
        if let Some(v) = b.visit() {
            v.check()?;
        }
        if b.cancelled_by().is_some() && !b.status.is_cancelled() {
            return Err(bad("says who cancelled it but is not cancelled".into()));
        }
        if b.return_of().is_some() != b.follow_up_rule().is_some() {
            return Err(bad(
                "has one of returnOf and followUpRule without the other".into(),
            ));
        }
        if b.end >= crate::time::END_INSTANT {
            return Err(bad("ends after 2200-12-31T23:59:59Z".into()));
        }
        if b.revision == 0 {
            return Err(bad("has no revision".into()));
        }
        if (b.status == Status::Held) != b.expires_at().is_some() {
            return Err(bad("must be held with an expiresAt, or neither".into()));
        }
        if let Some(l) = b.location() {
            l.check("location").map_err(|e| bad(e.message))?;
        }
        if !(1..=10_000).contains(&b.session_seats)
            || b.buffer_before_minutes > 1440
            || b.buffer_after_minutes > 1440
        {
            return Err(bad("has seats or buffers out of range".into()));
        }
        let missing = |kind: &str, id: &str| {
            Error::with_ids(
                Code::UnknownId,
                format!(
                    "snapshot: booking `{}` names {kind} `{}`, which is in neither the catalog nor the archive",
                    clip(&b.id),
                    clip(id)
                ),
                vec![b.id.to_string(), id.to_string()],
            )
        };
        if !self.providers.contains_key(&b.provider_id)
            && !self.archive.providers.contains_key(&b.provider_id)
        {
            return Err(missing("provider", &b.provider_id));
        }
        if self.service_any(&b.service_id).is_none() {
            return Err(missing("service", &b.service_id));
        }
        for (i, cl) in b.client_ids.iter().enumerate() {
            if !self.clients.contains_key(cl) && !self.archive.clients.contains_key(cl) {
                return Err(missing("client", cl));
            }
            if b.client_ids.iter().take(i).any(|x| x == cl) {
                return Err(bad(format!("lists client `{}` twice", clip(cl))));
            }
        }
        for (i, u) in b.resources.iter().enumerate() {
            if self.resource_quantity(&u.resource_id).is_none() {
                return Err(missing("resource", &u.resource_id));
            }
            if u.quantity == 0
                || b.resources
                    .iter()
                    .take(i)
                    .any(|o| o.resource_id == u.resource_id)
            {
                return Err(bad(format!(
                    "uses resource `{}` twice or 0 times",
                    clip(&u.resource_id)
                )));
            }
        }
        Ok(())
    }

    /// Whether bookings ever use more of `resource` at once than `quantity`: the booking at
    /// whose start they do, and the ones in use then. Seats of a session share units; a hold
    /// counts while it lasts by the latest write (no clock here, and none is needed: a booking
    /// written over a hold's units was written after the hold lapsed).
    fn overused(&self, resource: &str, quantity: u32) -> Option<(u32, Vec<String>)> {
        let lane = self.resource_lanes.get(resource)?;
        for (i, &Entry { start, at, .. }) in lane.entries.iter().enumerate() {
            // Use at this booking's start: it and the earlier ones still running then.
            let mut uses: Vec<(&Booking, i64)> = Vec::new();
            for e in lane
                .entries
                .iter()
                .take(i + 1)
                .rev()
                .take_while(|e| e.start >= start - lane.longest)
                .filter(|e| e.end() > start)
            {
                let o = self.bookings.at(e.at);
                if o.until() <= self.latest {
                    continue;
                }
                let q = o
                    .resources
                    .iter()
                    .find(|u| u.resource_id == resource)
                    .map_or(0, |u| i64::from(u.quantity));
                match uses.iter_mut().find(|(s, _)| same_session(s, o)) {
                    Some(u) => u.1 = u.1.max(q),
                    None => uses.push((o, q)),
                }
            }
            if uses.iter().map(|u| u.1).sum::<i64>() > i64::from(quantity) {
                return Some((at, uses.iter().map(|(o, _)| o.id.to_string()).collect()));
            }
        }
        None
    }

    /// Builds every lane in one pass and one sort, and refuses what the API never makes: two
    /// bookings on one provider at once (seats of one session aside, and a hold that had lapsed
    /// when the other was written), a session over its seats, a resource beyond its quantity.
    /// Holds are left out of seats (a confirmation counts them again) and counted in quantities
    /// while they last (see `overused`).
    fn rebuild_lanes(&mut self) -> Result<()> {
        self.provider_lanes.clear();
        self.resource_lanes.clear();
        if self.bookings.list.len() >= 1 << 24 {
            return Err(Error::new(
                Code::TooLarge,
                "a snapshot may hold at most 16,777,215 bookings",
            ));
        }
        // Each lane sized exactly (a count, then the entries), then sorted once: no spare
        // capacity and no second copy while a snapshot of many bookings is read.
        let blocking = || {
            let list = &self.bookings.list;
            (0u32..)
                .zip(list.iter())
                .filter(|(_, b)| b.status.blocks_time())
        };
        let mut counts: [IdMap<usize>; 2] = Default::default();
        for (_, b) in blocking() {
            *counts[0].entry(&b.provider_id) += 1;
            for u in &b.resources {
                *counts[1].entry(&u.resource_id) += 1;
            }
        }
        let mut lanes: [IdMap<Lane>; 2] = Default::default();
        for (lanes, counts) in lanes.iter_mut().zip(counts) {
            for (id, n) in counts {
                let entries = Vec::with_capacity(n);
                lanes.insert(
                    id,
                    Lane {
                        entries,
                        longest: 0,
                    },
                );
            }
        }
        for (at, b) in blocking() {
            let e = Entry::of(b, at);
            let len = b.blocked().len();
            let ids = std::iter::once((0, &*b.provider_id))
                .chain(b.resources.iter().map(|u| (1, u.resource_id.as_str())));
            for (kind, id) in ids {
                if let Some(lane) = lanes.get_mut(kind).and_then(|l| l.get_mut(id)) {
                    lane.entries.push(e);
                    lane.longest = lane.longest.max(len);
                }
            }
        }
        for lane in lanes.iter_mut().flat_map(IdMap::values_mut) {
            crate::base::sort::sort(&mut lane.entries);
        }
        [self.provider_lanes, self.resource_lanes] = lanes;
        // A hold `h` that had lapsed by the time `x` was last written never met it.
        let lapsed = |h: &Booking, x: &Booking| {
            h.status == Status::Held && h.expires_at().is_some_and(|t| t <= x.updated_at)
        };
        for (provider, lane) in self.provider_lanes.iter() {
            for (i, &e) in lane.entries.iter().enumerate() {
                let (start, end) = (e.start, e.end());
                let b = self.bookings.at(e.at);
                let earlier = lane
                    .entries
                    .iter()
                    .take(i)
                    .rev()
                    .take_while(|e| e.start >= start - lane.longest);
                let mut session = 0u32;
                let mut seats = b.session_seats;
                for e in earlier.filter(|e| e.end() > start && e.start < end) {
                    let o = self.bookings.at(e.at);
                    if same_session(o, b) {
                        if o.status != Status::Held {
                            session += o.seats_taken();
                            seats = seats.max(o.session_seats);
                        }
                    } else if !lapsed(o, b)
                        && !lapsed(b, o)
                        && o.import_clashes().is_empty()
                        && b.import_clashes().is_empty()
                    {
                        return Err(Error::with_ids(
                            Code::Overlap,
                            format!(
                                "snapshot: bookings `{}` and `{}` overlap on provider `{}`",
                                clip(&o.id),
                                clip(&b.id),
                                clip(provider)
                            ),
                            vec![o.id.to_string(), b.id.to_string()],
                        ));
                    }
                }
                if b.status != Status::Held
                    && seats > 1
                    && session + b.seats_taken() > seats
                    && b.import_clashes().is_empty()
                {
                    return Err(Error::with_ids(
                        Code::SeatsFull,
                        format!(
                            "snapshot: the session of booking `{}` has {} clients for {} seats",
                            clip(&b.id),
                            session + b.seats_taken(),
                            seats
                        ),
                        vec![b.id.to_string()],
                    ));
                }
            }
        }
        for (resource, _) in self.resource_lanes.iter() {
            let quantity = self.resource_quantity(resource).unwrap_or(0);
            let imported = |ids: &[String]| {
                ids.iter().any(|id| {
                    self.bookings
                        .get(id)
                        .is_some_and(|b| !b.import_clashes().is_empty())
                })
            };
            if let Some((at, ids)) = self
                .overused(resource, quantity)
                .filter(|(_, ids)| !imported(ids))
            {
                return Err(Error::with_ids(
                    Code::ResourceUnavailable,
                    format!(
                        "snapshot: resource `{}` (quantity {quantity}) is used beyond its quantity at the start of booking `{}`",
                        clip(resource),
                        clip(&self.bookings.at(at).id)
                    ),
                    ids,
                ));
            }
        }
        Ok(())
    }
}

/// The refusal of a record a snapshot holds twice.
/// Puts a snapshot's records in id order, unless they already are (as the engine writes them):
/// each is then stored at the end of its catalog, where records out of order (a host's own
/// snapshot) were each moved into the middle, quadratic in 100,000 clients.
fn by_id<T: HasId>(items: &mut [T]) {
    if !items.is_sorted_by(|a, b| a.id() <= b.id()) {
        crate::base::sort::sort_by(items, |a, b| a.id().cmp(b.id()));
    }
}

fn twice(kind: &str, id: &str) -> Error {
    Error::with_ids(
        Code::DuplicateId,
        format!("snapshot: {kind} `{}` appears twice", clip(id)),
        vec![id.to_string()],
    )
}

/// A snapshot read in pieces, as the host hands them over (`Coordinator::restore` reads one text
/// the same way): each booking is parsed, checked and stored as its text completes, so the whole
/// text and a JSON tree of it are never in memory together. The catalog is set up as soon as it
/// is complete; a snapshot written before `archived` came ahead of `bookings` (format 1, and
/// format 2 before this reader) keeps its bookings aside until the end.
pub struct Restore {
    pieces: json::Pieces,
    zones: Option<Zones>,
    snap: Snapshot,
    seen: Vec<String>,
    core: Option<Coordinator>,
}

/// The members a snapshot has; all but `archived` (format 2), `travel`, `workOrders`, `billing`
/// and `timeEntries` are required.
const SNAPSHOT_KEYS: [&str; 16] = [
    "version",
    "timeZone",
    "nextId",
    "providers",
    "services",
    "resources",
    "clients",
    "archived",
    "bookings",
    "waitlist",
    "series",
    // Optional (left out while default or empty); read wherever they come.
    "travel",
    "workOrders",
    "billing",
    "timeEntries",
    "changeVersion",
];

impl Restore {
    pub fn new(zones: Zones) -> Self {
        Restore {
            pieces: json::Pieces::new(16 << 20),
            zones: Some(zones),
            snap: Snapshot::default(),
            seen: Vec::new(),
            core: None,
        }
    }

    /// Reads the next piece of the snapshot's text (any length, cut anywhere).
    pub fn feed(&mut self, text: &str) -> Result<()> {
        let Restore {
            pieces,
            zones,
            snap,
            seen,
            core,
        } = self;
        pieces
            .feed(text, |piece| {
                let (key, index, text) = match piece {
                    json::Piece::Member(k, v) => (k, None, v),
                    json::Piece::Element(k, i, v) => (k, Some(i), v),
                };
                if index.is_none_or(|i| i == 0) {
                    if !SNAPSHOT_KEYS.contains(&key) {
                        return Err(json::JsonError::new(format!(
                            "unknown field `{}`",
                            clip(key)
                        )));
                    }
                    if seen.iter().any(|k| k == key) {
                        return Err(json::JsonError::new(format!(
                            "`{}` appears twice",
                            clip(key)
                        )));
                    }
                    seen.push(key.to_string());
                }
                let value = json::parse(text)?;
                let one = |v: &json::Json| -> json::JResult<()> { v.items().map(|_| ()) };
                match (key, index) {
                    ("version", None) => snap.version = FromJson::from_json(&value)?,
                    ("timeZone", None) => snap.time_zone = FromJson::from_json(&value)?,
                    ("nextId", None) => snap.next_id = FromJson::from_json(&value)?,
                    ("changeVersion", None) => snap.change_version = FromJson::from_json(&value)?,
                    ("travel", None) => snap.travel = FromJson::from_json(&value)?,
                    ("billing", None) => snap.billing = FromJson::from_json(&value)?,
                    ("timeEntries", Some(_)) => {
                        snap.time_entries.push(FromJson::from_json(&value)?)
                    }
                    ("archived", None) => snap.archived = FromJson::from_json(&value)?,
                    ("providers", Some(_)) => snap.providers.push(FromJson::from_json(&value)?),
                    ("services", Some(_)) => snap.services.push(FromJson::from_json(&value)?),
                    ("resources", Some(_)) => snap.resources.push(FromJson::from_json(&value)?),
                    ("clients", Some(_)) => snap.clients.push(FromJson::from_json(&value)?),
                    ("waitlist", Some(_)) => snap.waitlist.push(FromJson::from_json(&value)?),
                    ("series", Some(_)) => snap.series.push(FromJson::from_json(&value)?),
                    ("workOrders", Some(_)) => snap.work_orders.push(FromJson::from_json(&value)?),
                    ("bookings", Some(_)) => {
                        let b: Booking = FromJson::from_json(&value)?;
                        // The catalog is complete once everything before `bookings` was read.
                        let ready = || {
                            SNAPSHOT_KEYS
                                .iter()
                                .take(8)
                                .all(|k| seen.iter().any(|s| s == k))
                        };
                        if core.is_none() && zones.is_some() && ready() {
                            if let Some(zones) = zones.take() {
                                *core = Some(
                                    Restore::catalog(zones, snap).map_err(json::JsonError::stop)?,
                                );
                            }
                        }
                        match core {
                            Some(c) => c
                                .restore_one(b, snap.version)
                                .map_err(json::JsonError::stop)?,
                            None => snap.bookings.push(b),
                        }
                    }
                    // An empty list, or a list where a value belongs.
                    (_, None) => one(&value)?,
                    (_, Some(_)) => return value.expected("a value, not an array"),
                }
                Ok(())
            })
            .map_err(|mut e| match e.stopped() {
                Some(e) => e,
                None => e.into_error("snapshot"),
            })
    }

    /// The catalog: zone, providers, services, resources, clients and the archive.
    fn catalog(zones: Zones, snap: &mut Snapshot) -> Result<Coordinator> {
        if !(1..=SNAPSHOT_VERSION).contains(&snap.version) {
            return Err(Error::new(
                Code::UnsupportedVersion,
                format!("snapshot version {} is not supported (this build reads versions 1 to {SNAPSHOT_VERSION})", snap.version),
            ));
        }
        let mut c = Coordinator::new(zones, &snap.time_zone)?;
        // Clients can be a CRM's hundred thousand; the other catalogs are a company's staff and
        // services (each sort instantiated costs the booking page 0.2 KB).
        by_id(&mut snap.clients);
        for p in std::mem::take(&mut snap.providers) {
            if c.providers.contains_key(&p.id) {
                return Err(twice("provider", &p.id));
            }
            c.upsert_provider(p)?;
        }
        for s in std::mem::take(&mut snap.services) {
            if c.services.contains_key(&s.id) {
                return Err(twice("service", &s.id));
            }
            c.upsert_service(s)?;
        }
        for r in std::mem::take(&mut snap.resources) {
            if c.resources.contains_key(&r.id) {
                return Err(twice("resource", &r.id));
            }
            c.upsert_resource(r)?;
        }
        for cl in std::mem::take(&mut snap.clients) {
            if c.clients.contains_key(&cl.id) {
                return Err(twice("client", &cl.id));
            }
            c.upsert_client(cl)?;
        }
        let a = &mut snap.archived;
        for p in std::mem::take(&mut a.providers.items) {
            check_id("provider", &p.id)?;
            if c.providers.contains_key(&p.id) || c.archive.providers.upsert(p.clone()).is_some() {
                return Err(twice("provider", &p.id));
            }
        }
        for s in std::mem::take(&mut a.services.items) {
            check_id("service", &s.id)?;
            if s.seats == 0
                || c.services.contains_key(&s.id)
                || c.archive.services.upsert(s.clone()).is_some()
            {
                return Err(twice("service", &s.id));
            }
        }
        for r in std::mem::take(&mut a.resources.items) {
            check_id("resource", &r.id)?;
            if c.resources.contains_key(&r.id) || c.archive.resources.upsert(r.clone()).is_some() {
                return Err(twice("resource", &r.id));
            }
        }
        for cl in std::mem::take(&mut a.clients.items) {
            check_id("client", &cl.id)?;
            if c.clients.contains_key(&cl.id) || c.archive.clients.upsert(cl.clone()).is_some() {
                return Err(twice("client", &cl.id));
            }
        }
        Ok(c)
    }

    /// The rest, once the text has all been read: bookings kept aside, lanes, series, waitlist.
    pub fn finish(mut self) -> Result<Coordinator> {
        self.pieces.finish().map_err(|e| e.into_error("snapshot"))?;
        for key in ["version", "timeZone", "nextId"] {
            if !self.seen.iter().any(|k| k == key) {
                return Err(
                    json::JsonError::new(format!("missing field `{key}`")).into_error("snapshot")
                );
            }
        }
        let snap = &mut self.snap;
        let mut c = match (self.core.take(), self.zones.take()) {
            (Some(c), _) => c,
            (None, Some(zones)) => Restore::catalog(zones, snap)?,
            (None, None) => return Err(Error::new(Code::Internal, "restore: no zones")),
        };
        for b in std::mem::take(&mut snap.bookings) {
            c.restore_one(b, snap.version)?;
        }
        let mut snap = std::mem::take(snap);
        c.rebuild_lanes()?;
        if let Some(b) = c
            .bookings
            .values()
            .find(|b| b.return_of().is_some_and(|o| !c.bookings.contains_key(o)))
        {
            return Err(Error::with_ids(
                Code::UnknownId,
                format!(
                    "snapshot: booking `{}` is a return of a booking it does not hold",
                    clip(&b.id)
                ),
                vec![b.id.to_string()],
            ));
        }
        for s in snap.series {
            crate::time::rrule::Rule::parse(&s.rrule)?;
            c.zones.validate(&s.time_zone)?;
            if c.service_any(&s.service_id).is_none() {
                return Err(Error::unknown("service", &s.service_id));
            }
            if c.series.upsert(s.clone()).is_some() {
                return Err(twice("series", &s.id));
            }
        }
        for e in snap.waitlist {
            if c.waitlist.contains_key(&e.id) {
                return Err(twice("waitlist entry", &e.id));
            }
            // Restored entries carry their joining time, so no clock is needed.
            c.waitlist_add(e, Instant::default())?;
        }
        for o in snap.work_orders {
            if c.work_orders.contains_key(&o.id) {
                return Err(twice("work order", &o.id));
            }
            c.upsert_work_order(o)?;
        }
        snap.billing.check()?;
        c.billing = snap.billing.clone();
        for e in std::mem::take(&mut snap.time_entries) {
            c.restore_time_entry(e)?;
        }
        c.check_reversals()?;
        let behind = {
            let mut ids = c.bookings.values().map(|b| &*b.id);
            let mut ids = ids.by_ref().chain(c.waitlist.keys()).chain(c.series.keys());
            let mut ids = ids.by_ref().chain(c.work_orders.keys());
            let mut ids = ids
                .by_ref()
                .chain(c.time_entries.values().map(|e| e.id.as_str()));
            ids.find(|id| generated_number(id).is_some_and(|n| n >= snap.next_id))
                .map(String::from)
        };
        if let Some(id) = behind {
            return Err(Error::with_ids(
                Code::InvalidInput,
                format!(
                    "snapshot: nextId {} is not past the id `{}` it would generate again",
                    snap.next_id,
                    clip(&id)
                ),
                vec![id],
            ));
        }
        snap.travel.check()?;
        c.travel = snap.travel;
        c.next_id = snap.next_id;
        c.changes.clear();
        c.version = snap.change_version;
        c.log = ChangeLog::starting_at(c.version);
        Ok(c)
    }
}

#[derive(Default)]
struct Snapshot {
    version: u32,
    /// The state's change version (0 when left out).
    change_version: u64,
    time_zone: String,
    travel: crate::model::TravelModel,
    next_id: u64,
    providers: Vec<Provider>,
    services: Vec<Service>,
    resources: Vec<Resource>,
    clients: Vec<Client>,
    bookings: Vec<Booking>,
    waitlist: Vec<WaitlistEntry>,
    series: Vec<Series>,
    work_orders: Vec<crate::model::WorkOrder>,
    billing: crate::model::billing::Billing,
    time_entries: Vec<crate::model::billing::TimeEntry>,
    archived: Archive,
}

/// Parses JSON input as a `T`; errors are `INVALID_JSON` and name the call and the field.
pub fn parse_json<T: FromJson>(json: &str, what: &str) -> Result<T> {
    json::from_str(json, what)
}
