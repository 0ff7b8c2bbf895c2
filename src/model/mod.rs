//! The trade's nouns as plain data: Provider, Service, Resource, Client, Booking, and the
//! requests that create and change bookings. Their JSON forms (at the end of this file) *are* the
//! JSON API: camelCase fields, unknown fields refused so a typo is an error, not a silent default.
//!
//! Times inside these records are RFC 3339 strings. On the way in, a wall time without offset is
//! read in the record's zone; once stored, every time is normalised to UTC (`...Z`).

pub mod calendar;

use crate::base::error::{clip, Code, Error, Result};
use crate::json::{Fields, FromJson, JResult, Json, JsonError, ToJson, Writer};
use crate::time::Instant;

/// A wall-clock range within a day, `"09:00"` to `"17:00"` (end may be `"24:00"`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoursRange {
    pub start: String,
    pub end: String,
}

/// Weekly working hours in the owner's zone; several ranges a day, a missing day is closed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WeeklyHours {
    pub mon: Vec<HoursRange>,
    pub tue: Vec<HoursRange>,
    pub wed: Vec<HoursRange>,
    pub thu: Vec<HoursRange>,
    pub fri: Vec<HoursRange>,
    pub sat: Vec<HoursRange>,
    pub sun: Vec<HoursRange>,
}

impl WeeklyHours {
    /// Monday first.
    pub fn days(&self) -> [&Vec<HoursRange>; 7] {
        [
            &self.mon, &self.tue, &self.wed, &self.thu, &self.fri, &self.sat, &self.sun,
        ]
    }
}

/// The hours of one date, replacing the weekly hours that day: extra hours on a Saturday, a
/// shorter Christmas Eve, or `hours: []` for a closed date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateOverride {
    pub date: String,
    pub hours: Vec<HoursRange>,
    pub reason: Option<String>,
}

/// Time off or out of service, `[start, end)`, may span days.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimeOff {
    pub start: String,
    pub end: String,
    pub reason: Option<String>,
    /// Resources only: how many units are out (a pool of 5 chairs with 2 broken); all if left out.
    pub quantity: Option<u32>,
}

/// Hours or time off that repeat: each instance of the RRULE starts a span as long as
/// `start`..`end` (wall times in the owner's zone). "Every other Friday off",
/// "the first Saturday of each month, 09:00-13:00".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecurringSpan {
    pub rrule: String,
    pub start: String,
    pub end: String,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Location {
    pub lat: f64,
    pub lng: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Provider {
    pub id: String,
    pub name: String,
    pub skills: Vec<String>,
    pub time_zone: String,
    pub weekly_hours: WeeklyHours,
    pub date_overrides: Vec<DateOverride>,
    pub time_off: Vec<TimeOff>,
    pub recurring_hours: Vec<RecurringSpan>,
    pub recurring_time_off: Vec<RecurringSpan>,
    /// At most this many bookings (group sessions count once) per local day.
    pub daily_cap: Option<u32>,
    pub home: Option<Location>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceNeed {
    pub kind: String,
    pub quantity: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub duration_minutes: u32,
    pub buffer_before_minutes: u32,
    pub buffer_after_minutes: u32,
    pub required_skills: Vec<String>,
    pub required_resources: Vec<ResourceNeed>,
    pub min_notice_minutes: u32,
    /// How far ahead a booking may start; none means no limit.
    pub horizon_days: Option<u32>,
    /// The slot grid in the provider's wall clock; defaults to the duration.
    pub slot_step_minutes: Option<u32>,
    /// More than one for group sessions.
    pub seats: u32,
}

impl Service {
    pub fn duration(&self) -> i64 {
        i64::from(self.duration_minutes) * 60
    }
    pub fn step(&self) -> i64 {
        i64::from(self.slot_step_minutes.unwrap_or(self.duration_minutes)) * 60
    }
    pub fn buffers(&self) -> (i64, i64) {
        (
            i64::from(self.buffer_before_minutes) * 60,
            i64::from(self.buffer_after_minutes) * 60,
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    pub id: String,
    pub name: String,
    /// room, vehicle, equipment, ... (free text; services ask for a kind).
    pub kind: String,
    pub quantity: u32,
    /// The zone of `weeklyHours`; defaults to the coordinator's zone.
    pub time_zone: Option<String>,
    /// Without weekly hours a resource is available around the clock.
    pub weekly_hours: Option<WeeklyHours>,
    pub date_overrides: Vec<DateOverride>,
    pub time_off: Vec<TimeOff>,
    pub recurring_hours: Vec<RecurringSpan>,
    pub recurring_time_off: Vec<RecurringSpan>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub time_zone: Option<String>,
    pub notes: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Status {
    /// A slot a client is holding while filling in the form; blocks others until `expiresAt`.
    Held,
    Tentative,
    #[default]
    Confirmed,
    CheckedIn,
    Completed,
    Cancelled,
    NoShow,
}

impl Status {
    /// Whether a booking in this status holds its provider's and resources' time.
    pub fn blocks_time(self) -> bool {
        !matches!(self, Status::Cancelled | Status::NoShow)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Held => "held",
            Status::Tentative => "tentative",
            Status::Confirmed => "confirmed",
            Status::CheckedIn => "checked_in",
            Status::Completed => "completed",
            Status::Cancelled => "cancelled",
            Status::NoShow => "no_show",
        }
    }

    /// The moves a coordinator can make; everything else is `INVALID_TRANSITION`. A hold becomes
    /// a booking only through `confirm_hold`, which checks the rules again.
    pub fn can_become(self, next: Status) -> bool {
        use Status::*;
        matches!(
            (self, next),
            (Held, Cancelled)
                | (Tentative, Confirmed | Cancelled)
                | (Confirmed, CheckedIn | Completed | NoShow | Cancelled)
                | (CheckedIn, Completed)
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceUse {
    pub resource_id: String,
    pub quantity: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    pub revision: u32,
    pub at: Instant,
    /// created, rescheduled, status, cancelled
    pub action: String,
    pub status: Status,
    pub provider_id: String,
    pub start: Instant,
    pub end: Instant,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Booking {
    pub id: String,
    pub service_id: String,
    pub client_ids: Vec<String>,
    pub provider_id: String,
    pub resources: Vec<ResourceUse>,
    pub start: Instant,
    pub end: Instant,
    /// The service's buffers when booked, so later service edits do not move old bookings' edges.
    pub buffer_before_minutes: u32,
    pub buffer_after_minutes: u32,
    /// The service's seats when placed: more than one makes it a seat of a group session, which
    /// may share its provider's time with the session's other seats. Kept for the same reason as
    /// the buffers: a later service edit must not turn a past session into a double booking.
    pub session_seats: u32,
    pub status: Status,
    pub priority: i32,
    pub notes: Option<String>,
    pub revision: u32,
    pub created_at: Instant,
    pub updated_at: Instant,
    /// For a hold: when it stops blocking others.
    pub expires_at: Option<Instant>,
    /// For an occurrence of a series: the series, and the start the rule gave it (its
    /// RECURRENCE-ID, kept when the occurrence is moved on its own).
    pub series_id: Option<String>,
    pub recurrence_id: Option<Instant>,
    pub history: Vec<HistoryEntry>,
}

impl Booking {
    /// A new confirmed booking of `service` at `[start, end)`, with no history yet: the one place
    /// a booking record is put together (new bookings, and the stand-ins plans place on copies).
    #[allow(clippy::too_many_arguments)]
    pub fn draft(
        id: String,
        service: &Service,
        client_ids: Vec<String>,
        provider_id: String,
        start: Instant,
        end: Instant,
        priority: i32,
        now: Instant,
    ) -> Booking {
        Booking {
            id,
            service_id: service.id.clone(),
            client_ids,
            provider_id,
            resources: Vec::new(),
            start,
            end,
            buffer_before_minutes: service.buffer_before_minutes,
            buffer_after_minutes: service.buffer_after_minutes,
            session_seats: service.seats,
            status: Status::Confirmed,
            priority,
            notes: None,
            revision: 1,
            created_at: now,
            updated_at: now,
            expires_at: None,
            series_id: None,
            recurrence_id: None,
            history: Vec::new(),
        }
    }

    /// The time the booking keeps from others: itself plus its buffers.
    pub fn blocked(&self) -> crate::time::Interval {
        crate::time::Interval::new(
            self.start - i64::from(self.buffer_before_minutes) * 60,
            self.end + i64::from(self.buffer_after_minutes) * 60,
        )
    }

    /// Until when the booking holds its time: a hold until it expires, others for good.
    pub fn until(&self) -> Instant {
        match (self.status, self.expires_at) {
            (Status::Held, Some(t)) => t,
            _ => Instant::MAX,
        }
    }

    pub fn seats_taken(&self) -> u32 {
        self.client_ids.len().max(1) as u32
    }

    /// This booking at another place, with the service's buffers and seats as they are now, as a
    /// new booking there would have (a move is checked under the current service).
    pub fn placed(
        &self,
        service: &Service,
        provider_id: &str,
        at: crate::time::Interval,
        resources: Vec<ResourceUse>,
    ) -> Booking {
        Booking {
            provider_id: provider_id.to_string(),
            start: at.start,
            end: at.end,
            resources,
            buffer_before_minutes: service.buffer_before_minutes,
            buffer_after_minutes: service.buffer_after_minutes,
            session_seats: service.seats,
            ..self.clone()
        }
    }
}

/// Whether two bookings are seats of one group session (they may share a provider's time).
pub fn same_session(a: &Booking, b: &Booking) -> bool {
    a.session_seats.max(b.session_seats) > 1
        && a.service_id == b.service_id
        && a.provider_id == b.provider_id
        && a.start == b.start
        && a.end == b.end
}

/// What a host asks to book (and what `check` examines).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BookingRequest {
    /// Chosen by the host, or generated (`bk-1`, `bk-2`, ...).
    pub id: Option<String>,
    pub service_id: String,
    /// Leave out to let the engine pick a qualified, free provider (least booked that day).
    pub provider_id: Option<String>,
    pub client_ids: Vec<String>,
    pub start: String,
    /// Overrides the service duration (a longer job); defaults to the service's.
    pub end: Option<String>,
    /// The zone a wall time without offset is read in; defaults to the coordinator's.
    pub time_zone: Option<String>,
    /// Specific resources; left out, the engine assigns free ones of the kinds the service needs.
    pub resources: Option<Vec<ResourceUse>>,
    pub status: Option<Status>,
    pub priority: i32,
    pub notes: Option<String>,
    pub reason: Option<String>,
    /// Set by series booking (never read from JSON): the series and the occurrence's start.
    pub series: Option<(String, Instant)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reschedule {
    pub start: Option<String>,
    pub end: Option<String>,
    pub provider_id: Option<String>,
    pub time_zone: Option<String>,
    pub resources: Option<Vec<ResourceUse>>,
    pub expected_revision: Option<u32>,
    pub reason: Option<String>,
}

/// What `confirm_hold` may add to a held slot: who is coming, and notes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfirmHold {
    pub client_ids: Option<Vec<String>>,
    pub notes: Option<String>,
    pub expected_revision: Option<u32>,
    pub reason: Option<String>,
}

/// Options of `cancel` and `setStatus`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteOptions {
    pub expected_revision: Option<u32>,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AvailabilityQuery {
    pub service_id: String,
    /// Inclusive; a date means the start of that day in `timeZone`.
    pub from: String,
    /// Exclusive (intervals are half-open everywhere).
    pub to: String,
    pub time_zone: Option<String>,
    /// Only these providers; all qualified ones if left out.
    pub provider_ids: Option<Vec<String>>,
    /// Also list, per grid step a provider cannot take, the reason codes.
    pub explain: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FreeBusyQuery {
    pub from: String,
    pub to: String,
    pub time_zone: Option<String>,
    pub provider_ids: Option<Vec<String>>,
    pub resource_ids: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BookingFilter {
    pub provider_id: Option<String>,
    pub client_id: Option<String>,
    pub service_id: Option<String>,
    pub status: Option<Vec<Status>>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub time_zone: Option<String>,
    /// Leave each booking's history out of a listing (default: in).
    pub without_history: bool,
}

/// A client waiting for a service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WaitlistEntry {
    pub id: String,
    pub service_id: String,
    pub client_ids: Vec<String>,
    /// When the client could come: `[start, end)` each (stored in UTC).
    pub windows: Vec<(String, String)>,
    pub preferred_provider_ids: Vec<String>,
    pub priority: i32,
    /// When they joined (defaults to now).
    pub joined_at: Option<String>,
    pub time_zone: Option<String>,
    pub notes: Option<String>,
}

/// A booked series, kept for export as one VEVENT with its RRULE.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Series {
    pub id: String,
    pub rrule: String,
    /// The first occurrence's wall time in `time_zone` (`2026-11-24T10:00:00`).
    pub dtstart: String,
    pub time_zone: String,
    pub service_id: String,
}

impl FromJson for Series {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = Series {
            id: f.req("id"),
            rrule: f.req("rrule"),
            dtstart: f.req("dtstart"),
            time_zone: f.req("timeZone"),
            service_id: f.req("serviceId"),
        };
        f.end().map(|_| r)
    }
}

impl ToJson for Series {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("id", &self.id);
        w.field("rrule", &self.rrule);
        w.field("dtstart", &self.dtstart);
        w.field("timeZone", &self.time_zone);
        w.field("serviceId", &self.service_id);
        w.end_obj();
    }
}

// ---- what every record must satisfy ----------------------------------------------------------

const MAX_ID: usize = 256;
const MAX_TEXT: usize = 10_000;

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

/// The bounds on a record's lists (README, "Bounds"): each refused beyond with `TOO_LARGE`.
pub(crate) const MAX_SKILLS: usize = 100;
pub(crate) const MAX_TIME_OFF: usize = 10_000;
pub(crate) const MAX_OVERRIDES: usize = 3_660;
pub(crate) const MAX_RESOURCE_NEEDS: usize = 20;

pub(crate) fn check_len(what: &str, len: usize, max: usize) -> Result<()> {
    if len > max {
        return Err(Error::new(
            Code::TooLarge,
            format!("{what}: at most {max} entries, not {len}"),
        ));
    }
    Ok(())
}

pub(crate) fn check_name(what: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::input(format!("{what} needs a name")));
    }
    check_text(what, name)
}

// ---- JSON forms -------------------------------------------------------------------------------

impl FromJson for HoursRange {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = HoursRange {
            start: f.req("start"),
            end: f.req("end"),
        };
        f.end().map(|_| r)
    }
}
impl ToJson for HoursRange {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("start", &self.start);
        w.field("end", &self.end);
        w.end_obj();
    }
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl FromJson for WeeklyHours {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let mut d: [Vec<HoursRange>; 7] = Default::default();
        for (i, name) in DAYS.iter().enumerate() {
            d[i] = f.list(name);
        }
        f.end()?;
        let [mon, tue, wed, thu, fri, sat, sun] = d;
        Ok(WeeklyHours {
            mon,
            tue,
            wed,
            thu,
            fri,
            sat,
            sun,
        })
    }
}
impl ToJson for WeeklyHours {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        for (name, day) in DAYS.iter().zip(self.days()) {
            if !day.is_empty() {
                w.field(name, day);
            }
        }
        w.end_obj();
    }
}

impl FromJson for DateOverride {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = DateOverride {
            date: f.req("date"),
            hours: f.list("hours"),
            reason: f.opt("reason"),
        };
        f.end().map(|_| r)
    }
}
impl ToJson for DateOverride {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("date", &self.date);
        w.field("hours", &self.hours);
        w.opt("reason", &self.reason);
        w.end_obj();
    }
}

impl FromJson for TimeOff {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = TimeOff {
            start: f.req("start"),
            end: f.req("end"),
            reason: f.opt("reason"),
            quantity: f.opt("quantity"),
        };
        f.end().map(|_| r)
    }
}
impl ToJson for TimeOff {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("start", &self.start);
        w.field("end", &self.end);
        w.opt("reason", &self.reason);
        w.opt("quantity", &self.quantity);
        w.end_obj();
    }
}

impl FromJson for RecurringSpan {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = RecurringSpan {
            rrule: f.req("rrule"),
            start: f.req("start"),
            end: f.req("end"),
            reason: f.opt("reason"),
        };
        f.end().map(|_| r)
    }
}
impl ToJson for RecurringSpan {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("rrule", &self.rrule);
        w.field("start", &self.start);
        w.field("end", &self.end);
        w.opt("reason", &self.reason);
        w.end_obj();
    }
}

/// Written only when there are any, to keep records short.
fn spans(w: &mut Writer, key: &str, list: &[RecurringSpan]) {
    if !list.is_empty() {
        w.field(key, list);
    }
}

impl FromJson for Location {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = Location {
            lat: f.req("lat"),
            lng: f.req("lng"),
        };
        f.end().map(|_| r)
    }
}
impl ToJson for Location {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("lat", &self.lat);
        w.field("lng", &self.lng);
        w.end_obj();
    }
}

impl FromJson for Provider {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = Provider {
            id: f.req("id"),
            name: f.req("name"),
            skills: f.list("skills"),
            time_zone: f.req("timeZone"),
            weekly_hours: f.or("weeklyHours", WeeklyHours::default()),
            date_overrides: f.list("dateOverrides"),
            time_off: f.list("timeOff"),
            recurring_hours: f.list("recurringHours"),
            recurring_time_off: f.list("recurringTimeOff"),
            daily_cap: f.opt("dailyCap"),
            home: f.opt("home"),
        };
        f.end().map(|_| r)
    }
}
impl ToJson for Provider {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("id", &self.id);
        w.field("name", &self.name);
        w.field("skills", &self.skills);
        w.field("timeZone", &self.time_zone);
        w.field("weeklyHours", &self.weekly_hours);
        w.field("dateOverrides", &self.date_overrides);
        w.field("timeOff", &self.time_off);
        spans(w, "recurringHours", &self.recurring_hours);
        spans(w, "recurringTimeOff", &self.recurring_time_off);
        w.opt("dailyCap", &self.daily_cap);
        w.opt("home", &self.home);
        w.end_obj();
    }
}

impl FromJson for ResourceNeed {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = ResourceNeed {
            kind: f.req("kind"),
            quantity: f.or("quantity", 1),
        };
        f.end().map(|_| r)
    }
}
impl ToJson for ResourceNeed {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("kind", &self.kind);
        w.field("quantity", &self.quantity);
        w.end_obj();
    }
}

impl FromJson for Service {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = Service {
            id: f.req("id"),
            name: f.req("name"),
            duration_minutes: f.req("durationMinutes"),
            buffer_before_minutes: f.or("bufferBeforeMinutes", 0),
            buffer_after_minutes: f.or("bufferAfterMinutes", 0),
            required_skills: f.list("requiredSkills"),
            required_resources: f.list("requiredResources"),
            min_notice_minutes: f.or("minNoticeMinutes", 0),
            horizon_days: f.opt("horizonDays"),
            slot_step_minutes: f.opt("slotStepMinutes"),
            seats: f.or("seats", 1),
        };
        f.end().map(|_| r)
    }
}
impl ToJson for Service {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("id", &self.id);
        w.field("name", &self.name);
        w.field("durationMinutes", &self.duration_minutes);
        w.field("bufferBeforeMinutes", &self.buffer_before_minutes);
        w.field("bufferAfterMinutes", &self.buffer_after_minutes);
        w.field("requiredSkills", &self.required_skills);
        w.field("requiredResources", &self.required_resources);
        w.field("minNoticeMinutes", &self.min_notice_minutes);
        w.opt("horizonDays", &self.horizon_days);
        w.opt("slotStepMinutes", &self.slot_step_minutes);
        w.field("seats", &self.seats);
        w.end_obj();
    }
}

impl FromJson for Resource {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = Resource {
            id: f.req("id"),
            name: f.req("name"),
            kind: f.req("kind"),
            quantity: f.or("quantity", 1),
            time_zone: f.opt("timeZone"),
            weekly_hours: f.opt("weeklyHours"),
            date_overrides: f.list("dateOverrides"),
            time_off: f.list("timeOff"),
            recurring_hours: f.list("recurringHours"),
            recurring_time_off: f.list("recurringTimeOff"),
        };
        f.end().map(|_| r)
    }
}
impl ToJson for Resource {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("id", &self.id);
        w.field("name", &self.name);
        w.field("kind", &self.kind);
        w.field("quantity", &self.quantity);
        w.opt("timeZone", &self.time_zone);
        w.opt("weeklyHours", &self.weekly_hours);
        w.field("dateOverrides", &self.date_overrides);
        w.field("timeOff", &self.time_off);
        spans(w, "recurringHours", &self.recurring_hours);
        spans(w, "recurringTimeOff", &self.recurring_time_off);
        w.end_obj();
    }
}

impl FromJson for Client {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = Client {
            id: f.req("id"),
            name: f.req("name"),
            email: f.opt("email"),
            phone: f.opt("phone"),
            time_zone: f.opt("timeZone"),
            notes: f.opt("notes"),
        };
        f.end().map(|_| r)
    }
}
impl ToJson for Client {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("id", &self.id);
        w.field("name", &self.name);
        w.opt("email", &self.email);
        w.opt("phone", &self.phone);
        w.opt("timeZone", &self.time_zone);
        w.opt("notes", &self.notes);
        w.end_obj();
    }
}

const STATUSES: [Status; 7] = [
    Status::Held,
    Status::Tentative,
    Status::Confirmed,
    Status::CheckedIn,
    Status::Completed,
    Status::Cancelled,
    Status::NoShow,
];

impl FromJson for Status {
    fn from_json(v: &Json) -> JResult<Self> {
        let name = String::from_json(v)?;
        STATUSES.into_iter().find(|s| s.as_str() == name).ok_or_else(|| {
            JsonError::new(format!(
                "`{}` is not a status (held, tentative, confirmed, checked_in, completed, cancelled, no_show)",
                crate::base::error::clip(&name)
            ))
        })
    }
}
impl ToJson for Status {
    fn write(&self, w: &mut Writer) {
        w.str(self.as_str())
    }
}

impl FromJson for ResourceUse {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = ResourceUse {
            resource_id: f.req("resourceId"),
            quantity: f.or("quantity", 1),
        };
        f.end().map(|_| r)
    }
}
impl ToJson for ResourceUse {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("resourceId", &self.resource_id);
        w.field("quantity", &self.quantity);
        w.end_obj();
    }
}

impl FromJson for HistoryEntry {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = HistoryEntry {
            revision: f.req("revision"),
            at: f.time("at"),
            action: f.req("action"),
            status: f.req("status"),
            provider_id: f.req("providerId"),
            start: f.time("start"),
            end: f.time("end"),
            reason: f.opt("reason"),
        };
        f.end().map(|_| r)
    }
}
impl ToJson for HistoryEntry {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("revision", &self.revision);
        w.time("at", self.at);
        w.field("action", &self.action);
        w.field("status", &self.status);
        w.field("providerId", &self.provider_id);
        w.time("start", self.start);
        w.time("end", self.end);
        w.opt("reason", &self.reason);
        w.end_obj();
    }
}

impl FromJson for Booking {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = Booking {
            id: f.req("id"),
            service_id: f.req("serviceId"),
            client_ids: f.list("clientIds"),
            provider_id: f.req("providerId"),
            resources: f.list("resources"),
            start: f.time("start"),
            end: f.time("end"),
            buffer_before_minutes: f.or("bufferBeforeMinutes", 0),
            buffer_after_minutes: f.or("bufferAfterMinutes", 0),
            session_seats: f.or("sessionSeats", 1),
            status: f.req("status"),
            priority: f.or("priority", 0),
            notes: f.opt("notes"),
            revision: f.req("revision"),
            created_at: f.time("createdAt"),
            updated_at: f.time("updatedAt"),
            expires_at: f.opt::<String>("expiresAt").map(|_| f.time("expiresAt")),
            series_id: f.opt("seriesId"),
            recurrence_id: f
                .opt::<String>("recurrenceId")
                .map(|_| f.time("recurrenceId")),
            history: f.list("history"),
        };
        f.end().map(|_| r)
    }
}
impl ToJson for Booking {
    fn write(&self, w: &mut Writer) {
        self.write_with(w, true)
    }
}

/// A booking in a list, with or without its history (a calendar showing a week does not need it).
pub struct Listed<'a> {
    pub booking: &'a Booking,
    pub history: bool,
}

impl ToJson for Listed<'_> {
    fn write(&self, w: &mut Writer) {
        self.booking.write_with(w, self.history)
    }
}

impl Booking {
    fn write_with(&self, w: &mut Writer, history: bool) {
        w.begin_obj();
        w.field("id", &self.id);
        w.field("serviceId", &self.service_id);
        w.field("clientIds", &self.client_ids);
        w.field("providerId", &self.provider_id);
        w.field("resources", &self.resources);
        w.time("start", self.start);
        w.time("end", self.end);
        w.field("bufferBeforeMinutes", &self.buffer_before_minutes);
        w.field("bufferAfterMinutes", &self.buffer_after_minutes);
        if self.session_seats > 1 {
            w.field("sessionSeats", &self.session_seats);
        }
        w.field("status", &self.status);
        w.field("priority", &self.priority);
        w.opt("notes", &self.notes);
        w.field("revision", &self.revision);
        w.time("createdAt", self.created_at);
        w.time("updatedAt", self.updated_at);
        if let Some(t) = self.expires_at {
            w.time("expiresAt", t);
        }
        w.opt("seriesId", &self.series_id);
        if let Some(t) = self.recurrence_id {
            w.time("recurrenceId", t);
        }
        if history {
            w.field("history", &self.history);
        }
        w.end_obj();
    }
}

impl FromJson for BookingRequest {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = BookingRequest {
            id: f.opt("id"),
            service_id: f.req("serviceId"),
            provider_id: f.opt("providerId"),
            client_ids: f.list("clientIds"),
            start: f.req("start"),
            end: f.opt("end"),
            time_zone: f.opt("timeZone"),
            resources: f.opt("resources"),
            status: f.opt("status"),
            priority: f.or("priority", 0),
            notes: f.opt("notes"),
            reason: f.opt("reason"),
            series: None,
        };
        f.end().map(|_| r)
    }
}

impl FromJson for Reschedule {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = Reschedule {
            start: f.opt("start"),
            end: f.opt("end"),
            provider_id: f.opt("providerId"),
            time_zone: f.opt("timeZone"),
            resources: f.opt("resources"),
            expected_revision: f.opt("expectedRevision"),
            reason: f.opt("reason"),
        };
        f.end().map(|_| r)
    }
}

impl FromJson for ConfirmHold {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = ConfirmHold {
            client_ids: f.opt("clientIds"),
            notes: f.opt("notes"),
            expected_revision: f.opt("expectedRevision"),
            reason: f.opt("reason"),
        };
        f.end().map(|_| r)
    }
}

impl FromJson for WriteOptions {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = WriteOptions {
            expected_revision: f.opt("expectedRevision"),
            reason: f.opt("reason"),
        };
        f.end().map(|_| r)
    }
}

impl FromJson for AvailabilityQuery {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = AvailabilityQuery {
            service_id: f.req("serviceId"),
            from: f.req("from"),
            to: f.req("to"),
            time_zone: f.opt("timeZone"),
            provider_ids: f.opt("providerIds"),
            explain: f.or("explain", false),
        };
        f.end().map(|_| r)
    }
}

impl FromJson for FreeBusyQuery {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = FreeBusyQuery {
            from: f.req("from"),
            to: f.req("to"),
            time_zone: f.opt("timeZone"),
            provider_ids: f.opt("providerIds"),
            resource_ids: f.opt("resourceIds"),
        };
        f.end().map(|_| r)
    }
}

impl FromJson for BookingFilter {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = BookingFilter {
            provider_id: f.opt("providerId"),
            client_id: f.opt("clientId"),
            service_id: f.opt("serviceId"),
            status: f.opt("status"),
            from: f.opt("from"),
            to: f.opt("to"),
            time_zone: f.opt("timeZone"),
            without_history: !f.or("history", true),
        };
        f.end().map(|_| r)
    }
}

// The recurrence types' JSON forms (`expand`, `parseRule`).

impl FromJson for crate::time::rrule::ExpandQuery {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = crate::time::rrule::ExpandQuery {
            rrule: f.req("rrule"),
            dtstart: f.req("dtstart"),
            time_zone: f.opt("timeZone"),
            from: f.opt("from"),
            to: f.opt("to"),
            limit: f.opt("limit"),
            exdates: f.list("exdates"),
            rdates: f.list("rdates"),
        };
        f.end().map(|_| r)
    }
}

/// The rule's parts as the engine read them, and its text printed back.
impl ToJson for crate::time::rrule::Rule {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("rrule", &self.to_string());
        w.field("freq", self.freq.name());
        w.field("interval", &self.interval);
        w.opt("count", &self.count);
        w.end_obj();
    }
}

struct Window {
    start: String,
    end: String,
}

impl FromJson for Window {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = Window {
            start: f.req("start"),
            end: f.req("end"),
        };
        f.end().map(|_| r)
    }
}

impl FromJson for WaitlistEntry {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let windows: Vec<Window> = f.list("windows");
        let r = WaitlistEntry {
            id: f.or("id", String::new()),
            service_id: f.req("serviceId"),
            client_ids: f.list("clientIds"),
            windows: windows.into_iter().map(|w| (w.start, w.end)).collect(),
            preferred_provider_ids: f.list("preferredProviderIds"),
            priority: f.or("priority", 0),
            joined_at: f.opt("joinedAt"),
            time_zone: f.opt("timeZone"),
            notes: f.opt("notes"),
        };
        f.end().map(|_| r)
    }
}

impl ToJson for WaitlistEntry {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("id", &self.id);
        w.field("serviceId", &self.service_id);
        w.field("clientIds", &self.client_ids);
        w.key("windows");
        w.begin_arr();
        for (start, end) in &self.windows {
            w.begin_obj();
            w.field("start", start);
            w.field("end", end);
            w.end_obj();
        }
        w.end_arr();
        w.field("preferredProviderIds", &self.preferred_provider_ids);
        w.field("priority", &self.priority);
        w.opt("joinedAt", &self.joined_at);
        w.opt("notes", &self.notes);
        w.end_obj();
    }
}
