//! The trade's nouns as plain data: Provider, Service, Resource, Client, Booking, and the
//! requests that create and change bookings. These types *are* the JSON API (camelCase fields,
//! unknown fields refused so a typo is an error, not a silent default).
//!
//! Times inside these records are RFC 3339 strings. On the way in, a wall time without offset is
//! read in the record's zone; once stored, every time is normalised to UTC (`...Z`).

use crate::time::{rfc3339, Instant};
use serde::{Deserialize, Serialize};

/// A wall-clock range within a day, `"09:00"` to `"17:00"` (end may be `"24:00"`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoursRange {
    pub start: String,
    pub end: String,
}

/// Weekly working hours in the owner's zone; several ranges a day, a missing day is closed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
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
        [&self.mon, &self.tue, &self.wed, &self.thu, &self.fri, &self.sat, &self.sun]
    }
}

/// The hours of one date, replacing the weekly hours that day: extra hours on a Saturday, a
/// shorter Christmas Eve, or `hours: []` for a closed date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DateOverride {
    pub date: String,
    #[serde(default)]
    pub hours: Vec<HoursRange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Time off or out of service, `[start, end)`, may span days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TimeOff {
    pub start: String,
    pub end: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    pub lat: f64,
    pub lng: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Provider {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub skills: Vec<String>,
    pub time_zone: String,
    #[serde(default)]
    pub weekly_hours: WeeklyHours,
    #[serde(default)]
    pub date_overrides: Vec<DateOverride>,
    #[serde(default)]
    pub time_off: Vec<TimeOff>,
    /// At most this many bookings (group sessions count once) per local day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_cap: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home: Option<Location>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceNeed {
    pub kind: String,
    #[serde(default = "one")]
    pub quantity: u32,
}

fn one() -> u32 {
    1
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Service {
    pub id: String,
    pub name: String,
    pub duration_minutes: u32,
    #[serde(default)]
    pub buffer_before_minutes: u32,
    #[serde(default)]
    pub buffer_after_minutes: u32,
    #[serde(default)]
    pub required_skills: Vec<String>,
    #[serde(default)]
    pub required_resources: Vec<ResourceNeed>,
    #[serde(default)]
    pub min_notice_minutes: u32,
    /// How far ahead a booking may start; none means no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon_days: Option<u32>,
    /// The slot grid in the provider's wall clock; defaults to the duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot_step_minutes: Option<u32>,
    /// More than one for group sessions.
    #[serde(default = "one")]
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
        (i64::from(self.buffer_before_minutes) * 60, i64::from(self.buffer_after_minutes) * 60)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Resource {
    pub id: String,
    pub name: String,
    /// room, vehicle, equipment, ... (free text; services ask for a kind).
    pub kind: String,
    #[serde(default = "one")]
    pub quantity: u32,
    /// The zone of `weeklyHours`; defaults to the coordinator's zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Without weekly hours a resource is available around the clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly_hours: Option<WeeklyHours>,
    #[serde(default)]
    pub date_overrides: Vec<DateOverride>,
    #[serde(default)]
    pub time_off: Vec<TimeOff>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Client {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Tentative,
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
            Status::Tentative => "tentative",
            Status::Confirmed => "confirmed",
            Status::CheckedIn => "checked_in",
            Status::Completed => "completed",
            Status::Cancelled => "cancelled",
            Status::NoShow => "no_show",
        }
    }

    /// The moves a coordinator can make; everything else is `INVALID_TRANSITION`.
    pub fn can_become(self, next: Status) -> bool {
        use Status::*;
        matches!(
            (self, next),
            (Tentative, Confirmed | Cancelled)
                | (Confirmed, CheckedIn | Completed | NoShow | Cancelled)
                | (CheckedIn, Completed)
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ResourceUse {
    pub resource_id: String,
    #[serde(default = "one")]
    pub quantity: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HistoryEntry {
    pub revision: u32,
    #[serde(with = "rfc3339")]
    pub at: Instant,
    /// created, rescheduled, status, cancelled
    pub action: String,
    pub status: Status,
    pub provider_id: String,
    #[serde(with = "rfc3339")]
    pub start: Instant,
    #[serde(with = "rfc3339")]
    pub end: Instant,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Booking {
    pub id: String,
    pub service_id: String,
    pub client_ids: Vec<String>,
    pub provider_id: String,
    pub resources: Vec<ResourceUse>,
    #[serde(with = "rfc3339")]
    pub start: Instant,
    #[serde(with = "rfc3339")]
    pub end: Instant,
    /// The service's buffers when booked, so later service edits do not move old bookings' edges.
    pub buffer_before_minutes: u32,
    pub buffer_after_minutes: u32,
    pub status: Status,
    pub priority: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub revision: u32,
    #[serde(with = "rfc3339")]
    pub created_at: Instant,
    #[serde(with = "rfc3339")]
    pub updated_at: Instant,
    pub history: Vec<HistoryEntry>,
}

impl Booking {
    /// The time the booking keeps from others: itself plus its buffers.
    pub fn blocked(&self) -> crate::time::Interval {
        crate::time::Interval::new(
            self.start - i64::from(self.buffer_before_minutes) * 60,
            self.end + i64::from(self.buffer_after_minutes) * 60,
        )
    }

    pub fn seats_taken(&self) -> u32 {
        self.client_ids.len().max(1) as u32
    }
}

/// What a host asks to book (and what `check` examines).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BookingRequest {
    /// Chosen by the host, or generated (`bk-1`, `bk-2`, ...).
    #[serde(default)]
    pub id: Option<String>,
    pub service_id: String,
    /// Leave out to let the engine pick a qualified, free provider (least booked that day).
    #[serde(default)]
    pub provider_id: Option<String>,
    #[serde(default)]
    pub client_ids: Vec<String>,
    pub start: String,
    /// Overrides the service duration (a longer job); defaults to the service's.
    #[serde(default)]
    pub end: Option<String>,
    /// The zone a wall time without offset is read in; defaults to the coordinator's.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Specific resources; left out, the engine assigns free ones of the kinds the service needs.
    #[serde(default)]
    pub resources: Option<Vec<ResourceUse>>,
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub priority: i32,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Reschedule {
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
    #[serde(default)]
    pub provider_id: Option<String>,
    #[serde(default)]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub resources: Option<Vec<ResourceUse>>,
    #[serde(default)]
    pub expected_revision: Option<u32>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Options of `cancel` and `setStatus`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WriteOptions {
    #[serde(default)]
    pub expected_revision: Option<u32>,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AvailabilityQuery {
    pub service_id: String,
    /// Inclusive; a date means the start of that day in `timeZone`.
    pub from: String,
    /// Exclusive (intervals are half-open everywhere).
    pub to: String,
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Only these providers; all qualified ones if left out.
    #[serde(default)]
    pub provider_ids: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FreeBusyQuery {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub provider_ids: Option<Vec<String>>,
    #[serde(default)]
    pub resource_ids: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BookingFilter {
    #[serde(default)]
    pub provider_id: Option<String>,
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub service_id: Option<String>,
    #[serde(default)]
    pub status: Option<Vec<Status>>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub time_zone: Option<String>,
}
