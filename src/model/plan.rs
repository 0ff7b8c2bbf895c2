//! The plans of disruptions and urgent jobs as records: what broke, where each booking would go,
//! what could go nowhere. `planning::repair` works them out; the state keeps the latest few for
//! `applyPlan`, beside the schedule (not in the snapshot, the version or the change log).

use crate::base::error::Violation;
use crate::json::{Fields, FromJson, JResult, Json, ToJson, Writer};
use crate::model::{BookingRequest, ResourceUse};
use crate::time::{Instant, When, MINUTE};

/// A provider unavailable for a while, or a resource (some or all of its units) out of service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Disruption {
    pub provider_id: Option<String>,
    pub resource_id: Option<String>,
    pub start: When,
    pub end: When,
    pub time_zone: Option<String>,
    /// Resources: how many units are out (all if left out).
    pub quantity: Option<u32>,
    pub reason: Option<String>,
    /// How far from a broken booking to look for a new time (1 to 60 days, default 7).
    pub search_days: Option<u32>,
}

/// A live booking that breaks a rule where it stands, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BookingIssue {
    pub booking_id: String,
    pub violations: Vec<Violation>,
}

impl ToJson for BookingIssue {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("bookingId", &self.booking_id);
        w.field("violations", &self.violations);
        w.end_obj();
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    pub provider_id: String,
    pub start: Instant,
    pub end: Instant,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move {
    pub booking_id: String,
    pub from: Placement,
    pub to: Placement,
    pub resources: Vec<ResourceUse>,
    pub clients: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unplaced {
    pub booking_id: String,
    pub reason: Violation,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RepairPlan {
    pub id: String,
    pub base_version: u64,
    /// What broke (repair plans), or
    pub disruption: Option<Disruption>,
    /// the urgent job to fit in (urgent plans).
    pub urgent: Option<UrgentPlacement>,
    pub moves: Vec<Move>,
    pub unplaced: Vec<Unplaced>,
}

/// An urgent request: a job with a priority that must start by a deadline ("on site within 4
/// hours").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UrgentRequest {
    pub request: BookingRequest,
    pub deadline: When,
    /// How far from a bumped booking to look for its new time (1 to 60 days, default 7).
    pub search_days: Option<u32>,
}

/// Where the urgent job goes, and whom it bumps (their moves are the plan's moves; those that
/// fit nowhere are its unplaced, and applying the plan cancels them).
#[derive(Clone, Debug, PartialEq)]
pub struct UrgentPlacement {
    pub request: BookingRequest,
    pub place: Placement,
    pub resources: Vec<ResourceUse>,
    pub bumped: Vec<String>,
}

impl RepairPlan {
    /// Clients whose appointment time changes (the first thing a repair keeps low).
    pub fn clients_time_changed(&self) -> u32 {
        self.moves
            .iter()
            .filter(|m| m.to.start != m.from.start)
            .map(|m| m.clients)
            .sum()
    }
    /// The total shift of moved bookings, in minutes (the second thing).
    pub fn total_shift_minutes(&self) -> i64 {
        self.moves
            .iter()
            .map(|m| (m.to.start - m.from.start).abs() / MINUTE)
            .sum()
    }
}

impl FromJson for Disruption {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = Disruption {
            provider_id: f.opt("providerId"),
            resource_id: f.opt("resourceId"),
            start: f.req("start"),
            end: f.req("end"),
            time_zone: f.opt("timeZone"),
            quantity: f.opt("quantity"),
            reason: f.opt("reason"),
            search_days: f.opt("searchDays"),
        };
        f.end().map(|_| r)
    }
}

impl ToJson for Disruption {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.opt("providerId", &self.provider_id);
        w.opt("resourceId", &self.resource_id);
        w.field("start", &self.start);
        w.field("end", &self.end);
        w.opt("quantity", &self.quantity);
        w.opt("reason", &self.reason);
        w.end_obj();
    }
}

impl ToJson for Placement {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("providerId", &self.provider_id);
        w.time("start", self.start);
        w.time("end", self.end);
        w.end_obj();
    }
}

impl ToJson for Move {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("bookingId", &self.booking_id);
        w.field("from", &self.from);
        w.field("to", &self.to);
        w.field("resources", &self.resources);
        w.field("timeChanged", &(self.to.start != self.from.start));
        w.field(
            "providerChanged",
            &(self.to.provider_id != self.from.provider_id),
        );
        w.key("shiftMinutes");
        w.int((self.to.start - self.from.start) / MINUTE);
        w.end_obj();
    }
}

impl ToJson for Unplaced {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("bookingId", &self.booking_id);
        w.field("reason", &self.reason);
        w.end_obj();
    }
}

/// The JSON form is a booking request without times, plus `deadline` (and `searchDays`).
impl FromJson for UrgentRequest {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let deadline: When = f.req("deadline");
        let request = BookingRequest {
            id: f.opt("id"),
            service_id: f.req("serviceId"),
            provider_id: f.opt("providerId"),
            client_ids: f.list("clientIds"),
            start: deadline,
            time_zone: f.opt("timeZone"),
            resources: f.opt("resources"),
            priority: f.or("priority", 0),
            notes: f.opt("notes"),
            reason: f.opt("reason"),
            ..Default::default()
        };
        let r = UrgentRequest {
            request,
            deadline,
            search_days: f.opt("searchDays"),
        };
        f.end().map(|_| r)
    }
}

impl ToJson for UrgentPlacement {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("serviceId", &self.request.service_id);
        w.field("priority", &self.request.priority);
        w.field("place", &self.place);
        w.field("resources", &self.resources);
        w.field("bumped", &self.bumped);
        w.end_obj();
    }
}

impl ToJson for RepairPlan {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("id", &self.id);
        w.opt("disruption", &self.disruption);
        w.opt("urgent", &self.urgent);
        w.field("moves", &self.moves);
        w.field("unplaced", &self.unplaced);
        w.key("score");
        w.begin_obj();
        w.field("clientsTimeChanged", &self.clients_time_changed());
        w.key("totalShiftMinutes");
        w.int(self.total_shift_minutes());
        w.field("unplaced", &(self.unplaced.len() as u32));
        w.end_obj();
        w.end_obj();
    }
}
