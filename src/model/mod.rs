//! The trade's nouns as plain data: Provider, Service, Resource, Client, Booking, and the
//! requests that create and change bookings. Their JSON forms (at the end of this file) *are* the
//! JSON API: camelCase fields, unknown fields refused so a typo is an error, not a silent default.
//!
//! Times are read from their text once, here, into typed values: an [`Instant`], a [`When`] (a
//! time as written: an instant, or a wall time or date still to be read in the record's zone), a
//! [`Day`] or a [`TimeOfDay`]. Once stored, an instant a person gave is kept in UTC (`...Z`).

pub mod billing;
pub mod calendar;
pub mod plan;
pub mod visit;

pub use visit::{
    ChecklistItem, FollowUpDone, FollowUpKind, FollowUpRule, Outcome, Part, Party, ProtocolStep,
    Requirement, Satisfaction, Signature, TimeEdit, Visit, VisitUpdate,
};

use crate::base::error::{clip, Code, Error, Result};
pub use crate::base::id::Id;
use crate::json::{named, record, Fields, FromJson, JResult, Json, ToJson, Writer};
use crate::time::{Day, Instant, TimeOfDay, When};

record! {
    /// A wall-clock range within a day, `"09:00"` to `"17:00"` (end may be `"24:00"`).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct HoursRange {
        start: TimeOfDay = "start" req,
        end: TimeOfDay = "end" req,
    }
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

record! {
    /// The hours of one date, replacing the weekly hours that day: extra hours on a Saturday, a
    /// shorter Christmas Eve, or `hours: []` for a closed date.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct DateOverride {
        date: Day = "date" req,
        hours: Vec<HoursRange> = "hours" list,
        reason: Option<String> = "reason" opt,
    }
}

record! {
    /// Time off or out of service, `[start, end)`, may span days.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct TimeOff {
        start: When = "start" req,
        end: When = "end" req,
        reason: Option<String> = "reason" opt,
        /// Resources only: how many units are out (a pool of 5 chairs with 2 broken); all if left out.
        quantity: Option<u32> = "quantity" opt,
    }
}

record! {
    /// Hours or time off that repeat: each instance of the RRULE starts a span as long as
    /// `start`..`end` (wall times in the owner's zone). "Every other Friday off",
    /// "the first Saturday of each month, 09:00-13:00".
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct RecurringSpan {
        rrule: String = "rrule" req,
        start: When = "start" req,
        end: When = "end" req,
        reason: Option<String> = "reason" opt,
    }
}

record! {
    /// A place: the coordinates (degrees, WGS 84) drive travel; the address is what people read.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Location {
        lat: f64 = "lat" req,
        lng: f64 = "lng" req,
        address: Option<String> = "address" opt,
    }
}

impl Location {
    pub fn check(&self, what: &str) -> Result<()> {
        if !(-90.0..=90.0).contains(&self.lat) || !(-180.0..=180.0).contains(&self.lng) {
            return Err(Error::input(format!(
                "{what} must have lat in -90..90 and lng in -180..180"
            )));
        }
        if let Some(a) = &self.address {
            check_text(what, a)?;
        }
        Ok(())
    }
}

record! {
    /// How long travel takes between two places: the great-circle distance (the solver's model,
    /// `service_dispatch::great_circle_metres`) times `detour` for roads, driven at `speedKmh`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct TravelModel {
        detour: f64 = "detour" (or 1.3),
        speed_kmh: f64 = "speedKmh" (or 40.0),
    }
}

impl Default for TravelModel {
    fn default() -> Self {
        TravelModel {
            detour: 1.3,
            speed_kmh: 40.0,
        }
    }
}

impl TravelModel {
    pub fn check(&self) -> Result<()> {
        if !(1.0..=10.0).contains(&self.detour) || !(1.0..=1000.0).contains(&self.speed_kmh) {
            return Err(Error::input(
                "travel: detour must be 1 to 10 and speedKmh 1 to 1000",
            ));
        }
        Ok(())
    }

    /// Driving time between two places in seconds, rounded up to whole minutes: visits booked
    /// on whole minutes stay on them, and floating-point noise (six thousandths of a second) is
    /// never a minute. The solver rounds alike (`Travel::rounded_up`).
    pub fn seconds(&self, a: &Location, b: &Location) -> i64 {
        self.seconds_from(a)(b)
    }

    /// [`TravelModel::seconds`] from one place to many, the figures the same to the bit.
    pub fn seconds_from(&self, a: &Location) -> impl Fn(&Location) -> i64 + '_ {
        let from = service_dispatch::GreatCircleFrom::new((a.lat, a.lng));
        move |b| {
            // Road metres: the great circle times the detour.
            let minutes = from.metres_to((b.lat, b.lng)) * self.detour / self.speed() / 60.0;
            ((minutes - 1e-4).ceil().max(0.0) as i64) * 60
        }
    }

    /// Metres a second: `speedKmh / 3.6`, as the solver computes it from the `speedKmh` it is given.
    pub fn speed(&self) -> f64 {
        self.speed_kmh / 3.6
    }
}

record! {
    #[derive(Clone, Debug, PartialEq)]
    pub struct Provider {
        id: String = "id" req,
        name: String = "name" req,
        skills: Vec<String> = "skills" list,
        time_zone: String = "timeZone" req,
        weekly_hours: WeeklyHours = "weeklyHours" (or WeeklyHours::default()),
        date_overrides: Vec<DateOverride> = "dateOverrides" list,
        time_off: Vec<TimeOff> = "timeOff" list,
        recurring_hours: Vec<RecurringSpan> = "recurringHours" list_some,
        recurring_time_off: Vec<RecurringSpan> = "recurringTimeOff" list_some,
        /// At most this many bookings (group sessions count once) per local day.
        daily_cap: Option<u32> = "dailyCap" opt,
        home: Option<Location> = "home" opt,
        /// What an hour of this provider's billable time costs, in minor units (a service's own
        /// rate comes first).
        rate_minor: Option<i64> = "rateMinor" opt,
    }
}

record! {
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ResourceNeed {
        kind: String = "kind" req,
        quantity: u32 = "quantity" (or 1),
    }
}

record! {
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Service {
        id: String = "id" req,
        name: String = "name" req,
        duration_minutes: u32 = "durationMinutes" req,
        buffer_before_minutes: u32 = "bufferBeforeMinutes" (or 0),
        buffer_after_minutes: u32 = "bufferAfterMinutes" (or 0),
        required_skills: Vec<String> = "requiredSkills" list,
        required_resources: Vec<ResourceNeed> = "requiredResources" list,
        min_notice_minutes: u32 = "minNoticeMinutes" (or 0),
        /// How far ahead a booking may start; none means no limit.
        horizon_days: Option<u32> = "horizonDays" opt,
        /// The slot grid in the provider's wall clock; defaults to the duration.
        slot_step_minutes: Option<u32> = "slotStepMinutes" opt,
        /// More than one for group sessions.
        seats: u32 = "seats" (or 1),
        /// Done at the client's place: a booking needs a location, and leaves the provider time
        /// to drive there from the stop before and on to the next (`TRAVEL_TIME`).
        on_site: bool = "onSite" (or_skip false),
        /// Cancelling less than this long before the start is a late cancellation (default 24 h).
        cancellation_window_minutes: u32 = "cancellationWindowMinutes" (or_skip 1440),
        /// What the visit record must tick off (see `protocol`).
        checklist: Vec<ChecklistItem> = "checklist" list_some,
        /// What a status change needs in the visit record (completing needs an outcome, ...).
        protocol: Vec<ProtocolStep> = "protocol" list_some,
        /// What falls due after a visit is completed: calls, maintenance visits.
        follow_ups: Vec<FollowUpRule> = "followUps" list_some,
        /// A return visit booked within this many days of the visit's end is a recall.
        recall_days: u32 = "recallDays" (or_skip 30),
        /// An hour of billable time, in minor units (before the provider's rate).
        rate_minor: Option<i64> = "rateMinor" opt,
        /// The service's fixed price on an invoice, a seat, in minor units.
        price_minor: Option<i64> = "priceMinor" opt,
        /// The response an urgent job (priority above 0) is promised: started within this many
        /// minutes of being booked (the SLA the reports measure).
        response_minutes: Option<u32> = "responseMinutes" opt,
        /// Its colour in calendars, `#rrggbb` (without one, a colour kept by its place in the
        /// catalog).
        color: Option<String> = "color" opt,
    }
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

record! {
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Resource {
        id: String = "id" req,
        name: String = "name" req,
        /// room, vehicle, equipment, ... (free text; services ask for a kind).
        kind: String = "kind" req,
        quantity: u32 = "quantity" (or 1),
        /// The zone of `weeklyHours`; defaults to the coordinator's zone.
        time_zone: Option<String> = "timeZone" opt,
        /// Without weekly hours a resource is available around the clock.
        weekly_hours: Option<WeeklyHours> = "weeklyHours" opt,
        date_overrides: Vec<DateOverride> = "dateOverrides" list,
        time_off: Vec<TimeOff> = "timeOff" list,
        recurring_hours: Vec<RecurringSpan> = "recurringHours" list_some,
        recurring_time_off: Vec<RecurringSpan> = "recurringTimeOff" list_some,
        /// Carried by one provider (their van, their kit): only their bookings use it, and the
        /// dispatch plan sends work that needs it to them.
        provider_id: Option<String> = "providerId" opt,
    }
}

record! {
    #[derive(Clone, Debug, PartialEq)]
    pub struct Client {
        id: String = "id" req,
        name: String = "name" req,
        email: Option<String> = "email" opt,
        phone: Option<String> = "phone" opt,
        /// The postal address as people write it (for letters and invoices; `location` is
        /// where a technician drives to).
        address: Option<String> = "address" opt,
        time_zone: Option<String> = "timeZone" opt,
        notes: Option<String> = "notes" opt,
        /// Where on-site visits go unless a booking names its own place.
        location: Option<Location> = "location" opt,
    }
}

named! {
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub enum Status as "a status" {
        /// A slot a client is holding while filling in the form; blocks others until `expiresAt`.
        Held = "held",
        Tentative = "tentative",
        #[default]
        Confirmed = "confirmed",
        CheckedIn = "checked_in",
        Completed = "completed",
        /// Cancelled before the service's cancellation window (`cancelledBy` says who).
        Cancelled = "cancelled",
        /// Cancelled inside the service's cancellation window, or after the start.
        LateCancelled = "late_cancelled",
        /// The client did not come (or was not there for an on-site visit).
        NoShow = "no_show",
        /// The provider did not come: not the client's doing, and counted apart.
        ProviderNoShow = "provider_no_show",
    }
}

impl Status {
    /// Whether a booking in this status holds its provider's and resources' time.
    pub fn blocks_time(self) -> bool {
        !matches!(
            self,
            Status::Cancelled | Status::LateCancelled | Status::NoShow | Status::ProviderNoShow
        )
    }

    /// Cancelled, in time or late.
    pub fn is_cancelled(self) -> bool {
        matches!(self, Status::Cancelled | Status::LateCancelled)
    }

    /// The moves a coordinator can make; everything else is `INVALID_TRANSITION`. A hold becomes
    /// a booking only through `confirm_hold`, which checks the rules again.
    pub fn can_become(self, next: Status) -> bool {
        use Status::*;
        matches!(
            (self, next),
            (Held, Cancelled)
                | (Tentative, Confirmed | Cancelled | LateCancelled)
                | (
                    Confirmed,
                    CheckedIn | Completed | NoShow | ProviderNoShow | Cancelled | LateCancelled
                )
                | (CheckedIn, Completed)
        )
    }
}

record! {
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ResourceUse {
        resource_id: String = "resourceId" req,
        quantity: u32 = "quantity" (or 1),
    }
}

record! {
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct HistoryEntry {
        revision: u32 = "revision" req,
        at: Instant = "at" time,
        /// created, held, confirmed, released, rescheduled, status_changed, cancelled
        action: Id = "action" req,
        status: Status = "status" req,
        provider_id: Id = "providerId" req,
        start: Instant = "start" time,
        end: Instant = "end" time,
        /// A boxed `str`, 4 bytes smaller than a `String` (every booking keeps its history).
        reason: Option<Box<str>> = "reason" opt,
    }
}

record! {
    #[derive(Clone, Debug, PartialEq)]
    pub struct Booking {
        id: Id = "id" req,
        service_id: Id = "serviceId" req,
        client_ids: Vec<String> = "clientIds" list,
        provider_id: Id = "providerId" req,
        resources: Vec<ResourceUse> = "resources" list,
        start: Instant = "start" time,
        end: Instant = "end" time,
        /// The service's buffers when booked, so later service edits do not move old bookings' edges.
        buffer_before_minutes: u32 = "bufferBeforeMinutes" (or 0),
        buffer_after_minutes: u32 = "bufferAfterMinutes" (or 0),
        /// The service's seats when placed: more than one makes it a seat of a group session, which
        /// may share its provider's time with the session's other seats. Kept for the same reason as
        /// the buffers: a later service edit must not turn a past session into a double booking.
        session_seats: u32 = "sessionSeats" (or_skip 1),
        status: Status = "status" req,
        priority: i32 = "priority" (or 0),
        revision: u32 = "revision" req,
        created_at: Instant = "createdAt" time,
        updated_at: Instant = "updatedAt" time,
        /// Notes, a hold's expiry, a series: what most bookings leave out (see [`BookingRare`]).
        rare: Option<Box<BookingRare>> = "" (flatten BookingRare),
        history: Vec<HistoryEntry> = "history" list,
    }
}

record! {
    /// The fields of a booking that most bookings leave out, behind one pointer so that the many
    /// without them take 52 bytes less each (their JSON is the booking's own: `flatten`).
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct BookingRare {
        notes: Option<String> = "notes" opt,
        /// For a hold: when it stops blocking others.
        expires_at: Option<Instant> = "expiresAt" opt_time,
        /// For an occurrence of a series: the series, and the start the rule gave it (its
        /// RECURRENCE-ID, kept when the occurrence is moved on its own).
        series_id: Option<String> = "seriesId" opt,
        recurrence_id: Option<Instant> = "recurrenceId" opt_time,
        /// Where an on-site visit takes place (the request's, or its client's when booked).
        location: Option<Location> = "location" opt,
        /// Who cancelled it (a cancelled or late-cancelled booking).
        cancelled_by: Option<Party> = "cancelledBy" opt,
        /// A return visit: the booking it follows up, and the follow-up rule it was booked for
        /// (`return` for a job not resolved the first time).
        return_of: Option<String> = "returnOf" opt,
        follow_up_rule: Option<String> = "followUpRule" opt,
        /// What happened at the visit.
        visit: Option<Visit> = "visit" opt,
        /// Imported (`importBookings`) over other bookings of its provider or resources, as the
        /// data had it: those bookings' ids. Kept and shown, never a rule's doing.
        import_clashes: Option<Vec<String>> = "importClashes" opt,
    }
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
            id: id.into(),
            service_id: Id::from(&service.id),
            client_ids,
            provider_id: provider_id.into(),
            resources: Vec::new(),
            start,
            end,
            buffer_before_minutes: service.buffer_before_minutes,
            buffer_after_minutes: service.buffer_after_minutes,
            session_seats: service.seats,
            status: Status::Confirmed,
            priority,
            revision: 1,
            created_at: now,
            updated_at: now,
            rare: None,
            history: Vec::new(),
        }
    }

    pub fn notes(&self) -> Option<&str> {
        self.rare.as_ref()?.notes.as_deref()
    }
    pub fn expires_at(&self) -> Option<Instant> {
        self.rare.as_ref()?.expires_at
    }
    pub fn series_id(&self) -> Option<&str> {
        self.rare.as_ref()?.series_id.as_deref()
    }
    pub fn recurrence_id(&self) -> Option<Instant> {
        self.rare.as_ref()?.recurrence_id
    }
    pub fn location(&self) -> Option<&Location> {
        self.rare.as_ref()?.location.as_ref()
    }
    pub fn visit(&self) -> Option<&Visit> {
        self.rare.as_ref()?.visit.as_ref()
    }
    /// The bookings this one was imported over (empty for all but an import's clashes).
    pub fn import_clashes(&self) -> &[String] {
        self.rare
            .as_ref()
            .and_then(|r| r.import_clashes.as_deref())
            .unwrap_or_default()
    }
    pub fn cancelled_by(&self) -> Option<Party> {
        self.rare.as_ref()?.cancelled_by
    }
    pub fn return_of(&self) -> Option<&str> {
        self.rare.as_ref()?.return_of.as_deref()
    }
    pub fn follow_up_rule(&self) -> Option<&str> {
        self.rare.as_ref()?.follow_up_rule.as_deref()
    }

    /// A past visit nobody has said the outcome of: not completed, not a no-show, not cancelled.
    /// Never counted as completed.
    pub fn unresolved(&self, now: Instant) -> bool {
        matches!(
            self.status,
            Status::Tentative | Status::Confirmed | Status::CheckedIn
        ) && self.end <= now
    }

    /// Changes the rare fields; a booking left with none of them keeps no box.
    pub fn set_rare(&mut self, change: impl FnOnce(&mut BookingRare)) {
        let mut rare = self.rare.take().map(|b| *b).unwrap_or_default();
        change(&mut rare);
        self.rare = (rare != BookingRare::default()).then(|| Box::new(rare));
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
        match (self.status, self.expires_at()) {
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
            provider_id: provider_id.into(),
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

record! {
    /// What a host asks to book (and what `check` examines).
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct BookingRequest {
        /// Chosen by the host, or generated (`bk-1`, `bk-2`, ...).
        id: Option<String> = "id" opt,
        service_id: String = "serviceId" req,
        /// Leave out to let the engine pick a qualified, free provider (least booked that day).
        provider_id: Option<String> = "providerId" opt,
        client_ids: Vec<String> = "clientIds" list,
        start: When = "start" req,
        /// Overrides the service duration (a longer job); defaults to the service's.
        end: Option<When> = "end" opt,
        /// The zone a wall time without offset is read in; defaults to the coordinator's.
        time_zone: Option<String> = "timeZone" opt,
        /// Specific resources; left out, the engine assigns free ones of the kinds the service needs.
        resources: Option<Vec<ResourceUse>> = "resources" opt,
        status: Option<Status> = "status" opt,
        priority: i32 = "priority" (or 0),
        notes: Option<String> = "notes" opt,
        reason: Option<String> = "reason" opt,
        /// Where an on-site service takes place; defaults to the first client's location.
        location: Option<Location> = "location" opt,
        /// A return visit: the booking it follows up (linked both ways in reports).
        return_of: Option<String> = "returnOf" opt,
        /// The follow-up rule of the original's service it is booked for (default `return`).
        follow_up_rule: Option<String> = "followUpRule" opt,
        /// Set by series booking (never read from JSON): the series and the occurrence's start.
        series: Option<(String, Instant)> = "" (not_json None),
    }
}

record! {
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct Reschedule {
        start: Option<When> = "start" opt,
        end: Option<When> = "end" opt,
        provider_id: Option<String> = "providerId" opt,
        time_zone: Option<String> = "timeZone" opt,
        resources: Option<Vec<ResourceUse>> = "resources" opt,
        expected_revision: Option<u32> = "expectedRevision" opt,
        reason: Option<String> = "reason" opt,
    }
}

record! {
    /// What `confirm_hold` may add to a held slot: who is coming, and notes.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct ConfirmHold {
        client_ids: Option<Vec<String>> = "clientIds" opt,
        notes: Option<String> = "notes" opt,
        expected_revision: Option<u32> = "expectedRevision" opt,
        reason: Option<String> = "reason" opt,
    }
}

record! {
    /// Options of `cancel` and `setStatus`.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct WriteOptions {
        expected_revision: Option<u32> = "expectedRevision" opt,
        reason: Option<String> = "reason" opt,
        /// Who cancelled (client, provider, staff).
        by: Option<Party> = "by" opt,
        /// Visit fields written with the status change, all or nothing (a completion's outcome,
        /// checklist and signature).
        visit: Option<VisitUpdate> = "visit" opt,
    }
}

record! {
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct AvailabilityQuery {
        service_id: String = "serviceId" req,
        /// Inclusive; a date means the start of that day in `timeZone`.
        from: When = "from" req,
        /// Exclusive (intervals are half-open everywhere).
        to: When = "to" req,
        time_zone: Option<String> = "timeZone" opt,
        /// Only these providers; all qualified ones if left out.
        provider_ids: Option<Vec<String>> = "providerIds" opt,
        /// Also list, per grid step a provider cannot take, the reason codes.
        explain: bool = "explain" (or false),
        /// For an on-site service: where the visit would be, so slots leave time to drive there.
        location: Option<Location> = "location" opt,
        /// A hold whose time counts as free: the page's own, so the time it holds stays listed
        /// (and chosen) while the client fills in the form.
        except_hold: Option<String> = "exceptHold" opt,
    }
}

record! {
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct FreeBusyQuery {
        from: When = "from" req,
        to: When = "to" req,
        time_zone: Option<String> = "timeZone" opt,
        provider_ids: Option<Vec<String>> = "providerIds" opt,
        resource_ids: Option<Vec<String>> = "resourceIds" opt,
    }
}

record! {
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct BookingFilter {
        provider_id: Option<String> = "providerId" opt,
        client_id: Option<String> = "clientId" opt,
        service_id: Option<String> = "serviceId" opt,
        status: Option<Vec<Status>> = "status" opt,
        /// Only past visits nobody has given the outcome of.
        unresolved: bool = "unresolved" (or_skip false),
        from: Option<When> = "from" opt,
        to: Option<When> = "to" opt,
        time_zone: Option<String> = "timeZone" opt,
        /// Each booking's history in a listing (default: in; a calendar showing a week leaves it out).
        history: bool = "history" (or true),
    }
}

record! {
    /// When a waiting client could come, `[start, end)` (stored in UTC).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct Window {
        start: When = "start" req,
        end: When = "end" req,
    }
}

record! {
    /// A client waiting for a service.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct WaitlistEntry {
        id: String = "id" (or String::new()),
        service_id: String = "serviceId" req,
        client_ids: Vec<String> = "clientIds" list,
        /// When the client could come: `[start, end)` each (stored in UTC).
        windows: Vec<Window> = "windows" list,
        preferred_provider_ids: Vec<String> = "preferredProviderIds" list,
        priority: i32 = "priority" (or 0),
        /// When they joined (defaults to now).
        joined_at: Option<When> = "joinedAt" opt,
        time_zone: Option<String> = "timeZone" opt,
        notes: Option<String> = "notes" opt,
    }
}

record! {
    /// Work that needs a technician, a time and a place: a request the dispatch plan books
    /// (`bookingId` then names the booking). `windows` are when the visit may start (a promised
    /// arrival window), stored in UTC; `deadline` is when it must be finished.
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct WorkOrder {
        /// Chosen by the host, or generated (`wo-1`, ...).
        id: String = "id" (or String::new()),
        service_id: String = "serviceId" req,
        client_ids: Vec<String> = "clientIds" list,
        /// Where the work is; defaults to the first client's location.
        location: Option<Location> = "location" opt,
        windows: Vec<Window> = "windows" list,
        /// Overrides the service's duration (a bigger job).
        duration_minutes: Option<u32> = "durationMinutes" opt,
        /// Placed before lower ones when not every order fits (and an urgent one, high).
        priority: i32 = "priority" (or 0),
        deadline: Option<When> = "deadline" opt,
        /// Only this technician does it.
        provider_id: Option<String> = "providerId" opt,
        /// Another may do it, at a cost.
        preferred_provider_id: Option<String> = "preferredProviderId" opt,
        /// The zone its wall times are read in; defaults to the coordinator's.
        time_zone: Option<String> = "timeZone" opt,
        notes: Option<String> = "notes" opt,
        booking_id: Option<String> = "bookingId" opt,
    }
}

record! {
    /// A booked series, kept for export as one VEVENT with its RRULE.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct Series {
        id: String = "id" req,
        rrule: String = "rrule" req,
        /// The first occurrence's wall time in `time_zone` (`2026-11-24T10:00:00`).
        dtstart: When = "dtstart" req,
        time_zone: String = "timeZone" req,
        service_id: String = "serviceId" req,
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

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl FromJson for WeeklyHours {
    #[allow(clippy::indexing_slicing)] // `i` enumerates DAYS, seven, as `d` has
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

/// A booking in a list, with or without its history (a calendar showing a week does not need it).
pub struct Listed<'a> {
    pub booking: &'a Booking,
    pub history: bool,
}

impl ToJson for Listed<'_> {
    fn write(&self, w: &mut Writer) {
        let skip: &[&str] = if self.history { &[] } else { &["history"] };
        self.booking.write_except(w, skip)
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
