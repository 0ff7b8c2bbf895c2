//! The day's dispatch: work orders, the route solver's problem built from the state, and a
//! solved plan committed as bookings, all or nothing.
//!
//! The engine does not solve: `day_problem` writes the problem in the solver's JSON (crate
//! `service-dispatch`, `wire`), the host solves it (a Web Worker in the page, natively on a
//! server) and hands the plan back to `commit_day_plan`, which books it through the same rules
//! as every booking. The problem is the state read the way the travel rule reads it
//! (`Coordinator::day_stops`): a technician's shift is the day's first to last working hour,
//! from home and back; bookings with a place are fixed stops, those without, gaps in the hours
//! and time off are breaks at fixed times; travel is the coordinator's model rounded up to whole
//! minutes, as the rule rounds. A plan the solver finds feasible therefore passes the rules,
//! pooled resources aside (the solver cannot see a pool shared across routes: the commit checks
//! them). The commit places each visit by every rule but travel and then checks the whole day:
//! a visit alone can lack the drive that the visit before it provides once both are placed.

use crate::base::error::{clip, Code, Error, Result};
use crate::json::{record, ToJson, Writer};
use crate::model::{check_id, check_text, BookingRequest, Location, Status, WorkOrder};
use crate::rules::rule::Stop;
use crate::state::{Coordinator, Record};
use crate::time::{Day, Instant, Interval, When, DAY, MINUTE};

/// Jobs for existing bookings are named so, apart from work orders' ids.
const BOOKING_JOB: &str = "booking:";
/// Jobs for visits asked about (not stored) are named so, apart from work orders' ids.
const VISIT_JOB: &str = "visit:";
/// The job of a query's `visit` (a `VISIT_JOB`).
pub const NEW_VISIT: &str = "visit:new";
/// A resource kind as a skill in the problem: who carries it, or may take it from the pool.
const EQUIPMENT: &str = "equipment:";

record! {
    /// Which day to plan.
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct DayQuery {
        date: Day = "date" req,
        /// The zone the date is a day in; defaults to the coordinator's.
        time_zone: Option<String> = "timeZone" opt,
        /// Only these technicians; all who work that day if left out.
        provider_ids: Option<Vec<String>> = "providerIds" opt,
        /// Let the plan move visits already booked from work orders (but not started ones), and
        /// give the current routes as the plan to keep as far as it can; without it they are
        /// fixed stops like every other booking.
        replan: bool = "replan" (or false),
        /// One more visit to place, asked about and not stored (the booking page's "where can
        /// this go?"): a work order's fields, its windows the whole day if it gives none. Its
        /// job is `visit:new`.
        visit: Option<WorkOrder> = "visit" opt,
    }
}

record! {
    /// A stop of a solved plan as `commit_day_plan` reads it.
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct PlanStop {
        job: String = "job" req,
        /// Seconds since 1970 when the job's blocked time starts (the solver's `start`).
        start: i64 = "start" req,
    }
}

record! {
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct PlanRoute {
        technician: String = "technician" req,
        shift: u32 = "shift" (or 0),
        stops: Vec<PlanStop> = "stops" list,
    }
}

record! {
    /// A solved plan handed back: the problem's version and the routes (the solver's plan JSON
    /// with only these fields kept).
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct DayPlan {
        version: u64 = "version" req,
        routes: Vec<PlanRoute> = "routes" list,
        /// The jobs the plan leaves out: a re-plan that cannot keep a booked visit unbooks it
        /// (its booking is cancelled, and the work order is open again).
        unassigned: Vec<String> = "unassigned" list,
    }
}

/// The problem for a day, and what the host needs to read the plan back.
pub struct DayProblem {
    pub version: u64,
    pub from: Instant,
    pub to: Instant,
    /// The solver's problem, as JSON.
    pub problem: String,
    /// The routes as they stand (the solver's given plan), when re-planning.
    pub plan: Option<String>,
    /// Work orders in the problem, by id.
    pub work_orders: Vec<String>,
    /// Open work orders of the day left out of the problem, and why: every window has passed
    /// (or is inside the service's notice), or lies beyond its horizon.
    pub skipped: Vec<(String, Code)>,
    /// Technicians left out: bookings of theirs that day break a rule where they stand (repair
    /// them first, e.g. with `planRepair`).
    pub blocked: Vec<(String, Vec<String>)>,
}

impl ToJson for DayProblem {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("version", &self.version);
        w.time("from", self.from);
        w.time("to", self.to);
        w.key("problem");
        w.raw(&self.problem);
        w.key("plan");
        match &self.plan {
            Some(p) => w.raw(p),
            None => w.raw("null"),
        }
        w.field("workOrders", &self.work_orders);
        w.key("skipped");
        w.begin_arr();
        for (id, code) in &self.skipped {
            w.begin_obj();
            w.field("workOrderId", id);
            w.field("code", code);
            w.end_obj();
        }
        w.end_arr();
        w.key("blocked");
        w.begin_arr();
        for (id, bookings) in &self.blocked {
            w.begin_obj();
            w.field("providerId", id);
            w.field("bookingIds", bookings);
            w.end_obj();
        }
        w.end_arr();
        w.end_obj();
    }
}

/// A re-plan's booked visits, by start, each marked once a given route has listed it.
struct Given<'a> {
    /// (the job's start, the booking, the work order's id, listed).
    visits: Vec<(Instant, &'a crate::model::Booking, &'a str, bool)>,
}

impl Given<'_> {
    /// Writes `technician`'s route on shift `n` with the visits not yet listed that `holds`
    /// takes (if any; `n == usize::MAX`: on a shift the problem does not have).
    fn route(
        &mut self,
        plan: &mut Writer,
        technician: &str,
        n: usize,
        holds: impl Fn(&crate::model::Booking) -> bool,
    ) {
        let mut stops = Vec::new();
        for (start, b, id, listed) in &mut self.visits {
            if !*listed && *b.provider_id == *technician && holds(b) {
                *listed = true;
                stops.push((*start, *id));
            }
        }
        if n == usize::MAX && stops.is_empty() {
            return;
        }
        plan.begin_obj();
        plan.field("technician", technician);
        // The solver finds no vehicle for a shift past the technician's last.
        plan.field("shift", &(n.min(u32::MAX as usize) as u64));
        plan.key("stops");
        plan.begin_arr();
        for (t, job) in stops {
            plan.begin_obj();
            plan.field("job", job);
            plan.key("start");
            plan.int(secs(t));
            plan.end_obj();
        }
        plan.end_arr();
        plan.end_obj();
    }
}

/// A work order as the problem's job.
struct OrderJob<'a> {
    order: &'a WorkOrder,
    service: &'a crate::model::Service,
    place: Location,
    windows: Vec<(Instant, Instant)>,
}

impl OrderJob<'_> {
    /// Where the job starts for booking `b` of it: the service's buffer before, as it is now,
    /// ahead of the visit (the commit adds it back).
    fn start_of(&self, b: &crate::model::Booking) -> Instant {
        b.start - self.service.buffers().0
    }
}

/// The places of a problem: each location once per record, indexed.
#[derive(Default)]
struct Places(Vec<(f64, f64)>);

impl Places {
    fn add(&mut self, l: &Location) -> usize {
        self.0.push((l.lat, l.lng));
        self.0.len() - 1
    }
}

fn secs(t: Instant) -> i64 {
    t.secs()
}

/// `[a, b]`, as a field's value or an array's element.
fn pair(w: &mut Writer, a: i64, b: i64) {
    w.begin_arr();
    w.int(a);
    w.int(b);
    w.end_arr();
}

/// A key that is a name someone chose (a skill), escaped as any string.
fn name_key(w: &mut Writer, k: &str) {
    w.str(k);
    w.out.push(':');
}

impl Coordinator {
    /// Adds a work order or replaces one by id. Windows and the deadline are read in its zone
    /// (else the coordinator's) and stored in UTC; an on-site service needs a place (its own or
    /// its first client's).
    pub fn upsert_work_order(&mut self, mut o: WorkOrder) -> Result<WorkOrder> {
        if o.id.is_empty() {
            o.id = self.fresh_id("wo");
        }
        check_id("work order", &o.id)?;
        if let Some(p) = [BOOKING_JOB, VISIT_JOB]
            .iter()
            .find(|p| o.id.starts_with(**p))
        {
            return Err(Error::input(format!(
                "a work order id may not start with `{p}`"
            )));
        }
        let o = self.checked_work_order(o)?;
        self.claim(&o.id);
        let before = self.work_orders.get(&o.id).cloned().map(Record::WorkOrder);
        self.record(
            "workOrder",
            &o.id,
            before,
            Some(Record::WorkOrder(o.clone())),
        );
        self.work_orders.upsert(o.clone());
        Ok(o)
    }

    /// A work order as it would be stored: its references known, its place found, its windows
    /// and deadline in UTC.
    fn checked_work_order(&self, mut o: WorkOrder) -> Result<WorkOrder> {
        crate::model::check_len("clientIds", o.client_ids.len(), 10_000)?;
        let service = self
            .services
            .get(&o.service_id)
            .ok_or_else(|| Error::unknown("service", &o.service_id))?;
        for c in &o.client_ids {
            if !self.clients.contains_key(c) {
                return Err(Error::unknown("client", c));
            }
        }
        for p in [&o.provider_id, &o.preferred_provider_id]
            .into_iter()
            .flatten()
        {
            if !self.providers.contains_key(p) {
                return Err(Error::unknown("provider", p));
            }
        }
        if let Some(n) = &o.notes {
            check_text("notes", n)?;
        }
        if o.duration_minutes
            .is_some_and(|m| !(1..=24 * 60).contains(&m))
        {
            return Err(Error::new(
                Code::InvalidDuration,
                "a work order lasts 1 to 1440 minutes",
            ));
        }
        self.visit_place(service, o.location.as_ref(), &o.client_ids)?;
        if o.windows.is_empty() || o.windows.len() > 100 {
            return Err(Error::input("a work order needs 1 to 100 windows"));
        }
        if let Some(b) = &o.booking_id {
            if !self.bookings.contains_key(b) {
                return Err(Error::unknown("booking", b));
            }
        }
        let zone = o.time_zone.take().unwrap_or_else(|| self.time_zone.clone());
        self.zones.validate(&zone)?;
        for w in o.windows.iter_mut() {
            let iv = self
                .zones
                .range(&zone, w.start, w.end, "work order window")?;
            (w.start, w.end) = (When::utc(iv.start), When::utc(iv.end));
        }
        if let Some(d) = o.deadline {
            o.deadline = Some(When::utc(self.zones.instant(&zone, d)?));
        }
        Ok(o)
    }

    /// Removes a work order (its booking, if it has one, stays).
    pub fn remove_work_order(&mut self, id: &str) -> Result<()> {
        let o = self
            .work_orders
            .remove(id)
            .ok_or_else(|| Error::unknown("work order", id))?;
        self.record("workOrder", id, Some(Record::WorkOrder(o)), None);
        Ok(())
    }

    pub fn work_orders(&self) -> impl Iterator<Item = &WorkOrder> {
        self.work_orders.values()
    }

    /// The resource kinds `provider` may use: those they carry and the pooled ones.
    fn equipment(&self, provider: &str) -> Vec<&str> {
        let mut kinds: Vec<&str> = Vec::new();
        for r in self.resources.values() {
            let theirs = r.data.provider_id.as_deref().is_none_or(|p| p == provider);
            if theirs && !kinds.contains(&r.data.kind.as_str()) {
                kinds.push(&r.data.kind);
            }
        }
        kinds
    }

    /// The resources `provider` carries that `service` needs, to ask for by name (the pool's
    /// are assigned by the rules as for any booking).
    fn carried(
        &self,
        provider: &str,
        service: &crate::model::Service,
    ) -> Option<Vec<crate::model::ResourceUse>> {
        let mut uses = Vec::new();
        for need in &service.required_resources {
            let mine = self.resources.values().filter(|r| {
                r.data.kind == need.kind && r.data.provider_id.as_deref() == Some(provider)
            });
            let mut left = need.quantity;
            for r in mine {
                let take = left.min(r.data.quantity);
                if take > 0 {
                    uses.push(crate::model::ResourceUse {
                        resource_id: r.data.id.clone(),
                        quantity: take,
                    });
                    left -= take;
                }
            }
            if left > 0 {
                // Not all carried: let the rules assign the kind from everything this
                // provider may use.
                return None;
            }
        }
        (!uses.is_empty()).then_some(uses)
    }

    /// The booking a work order has that still holds time, if any.
    fn booked(&self, o: &WorkOrder) -> Option<&crate::model::Booking> {
        let b = self.bookings.get(o.booking_id.as_deref()?)?;
        b.status.blocks_time().then_some(b)
    }

    /// The solver's problem for one day: every technician working that day (or those asked),
    /// with their shifts, breaks and fixed stops, and the work orders not yet booked whose
    /// windows touch the day (with `replan`, also those booked that day and not started).
    pub fn day_problem(&self, q: &DayQuery, now: Instant) -> Result<DayProblem> {
        let zone = q.time_zone.as_deref().unwrap_or(&self.time_zone);
        self.zones.validate(zone)?;
        let from = self.zones.instant(zone, When::Date(q.date))?;
        let to = self.zones.instant(zone, When::Date(q.date + 1))?;
        let day = Interval::new(from, to);
        let chosen: Vec<&str> = match &q.provider_ids {
            Some(ids) => {
                for id in ids {
                    if !self.providers.contains_key(id) {
                        return Err(Error::unknown("provider", id));
                    }
                }
                ids.iter().map(String::as_str).collect()
            }
            None => self.providers.keys().collect(),
        };
        // Work orders this plan places: open ones, and with `replan` those booked today on a
        // chosen technician and not yet started (their bookings leave the fixed stops).
        let movable = |o: &WorkOrder| -> bool {
            match self.booked(o) {
                None => o.windows.iter().any(|w| {
                    let (Some(s), Some(e)) = (w.start.instant(), w.end.instant()) else {
                        return false;
                    };
                    s < to && e >= from
                }),
                Some(b) => {
                    q.replan
                        && day.overlaps(&Interval::new(b.start, b.end))
                        && matches!(b.status, Status::Confirmed | Status::Tentative)
                        && b.start > now
                        && chosen.contains(&&*b.provider_id)
                }
            }
        };
        // Each as a job: its service, place and windows as the rules allow them now (not before
        // the service's notice, not past its horizon). An open order with no window left is
        // skipped, saying why; a booked one then stays a fixed stop.
        let visit = match &q.visit {
            Some(v) => {
                let mut v = WorkOrder {
                    id: NEW_VISIT.into(),
                    booking_id: None,
                    ..v.clone()
                };
                if v.windows.is_empty() {
                    v.windows = vec![crate::model::Window {
                        start: When::utc(from),
                        end: When::utc(to),
                    }];
                }
                Some(self.checked_work_order(v)?)
            }
            None => None,
        };
        let mut skipped: Vec<(String, Code)> = Vec::new();
        let mut orders: Vec<OrderJob> = Vec::new();
        let stored = self.work_orders.values().filter(|o| movable(o));
        for o in stored.chain(visit.iter()) {
            let Some(service) = self.services.get(&o.service_id) else {
                continue;
            };
            let Some(place) = self.visit_place(service, o.location.as_ref(), &o.client_ids)? else {
                // Not done on site: not a stop on a route.
                continue;
            };
            let earliest = now + i64::from(service.min_notice_minutes) * MINUTE;
            let latest = service
                .horizon_days
                .map_or(Instant::MAX, |d| now + i64::from(d) * DAY);
            let windows: Vec<(Instant, Instant)> = o
                .windows
                .iter()
                .filter_map(|w| {
                    let (s, e) = (w.start.instant()?, w.end.instant()?);
                    Some((s.max(earliest), e.min(latest)))
                })
                .filter(|(s, e)| s <= e)
                .collect();
            if windows.is_empty() {
                if self.booked(o).is_none() {
                    let passed = o
                        .windows
                        .iter()
                        .all(|w| w.end.instant().is_none_or(|e| e < earliest));
                    let code = if passed {
                        Code::MinNotice
                    } else {
                        Code::BeyondHorizon
                    };
                    skipped.push((o.id.clone(), code));
                }
                continue;
            }
            orders.push(OrderJob {
                order: o,
                service,
                place,
                windows,
            });
        }
        crate::model::check_len("the day's work orders", orders.len(), 5_000)?;
        let moving: Vec<u32> = orders
            .iter()
            .filter_map(|j| self.booked(j.order))
            .filter_map(|b| self.bookings.position(&b.id))
            .collect();
        let mut places = Places::default();
        // Technicians in the problem (its capacity has a dimension only if some are).
        let mut working = 0;
        let mut blocked: Vec<(String, Vec<String>)> = Vec::new();
        let mut techs = Writer::default();
        let mut jobs = Writer::default();
        let mut plan = Writer::default();
        techs.begin_arr();
        jobs.begin_arr();
        plan.begin_arr();
        // A re-plan's given routes: each booked visit where it stands, so the solver counts
        // what changes. A visit that no shift holds any more (time off over it, a technician
        // left out) is listed on a shift the problem does not have: it changes wherever it goes.
        let mut given = Given {
            visits: orders
                .iter()
                .filter_map(|j| {
                    let b = self.booked(j.order)?;
                    Some((j.start_of(b), b, &*j.order.id, false))
                })
                .collect(),
        };
        crate::base::sort::sort_by_key(&mut given.visits, |x| x.0);
        for &id in &chosen {
            let Some(who) = self.providers.get(id) else {
                continue;
            };
            let table = self
                .zones
                .table(&who.cal.zone, from - 2 * DAY, to + 2 * DAY)?;
            let hours = who.cal.hours(&table, Interval::new(from - DAY, to + DAY));
            let days = self.day_stops(who, &table, &hours, day, now, &|at| moving.contains(&at));
            let shifts: Vec<_> = days
                .iter()
                .filter(|(shift, _)| day.start <= shift.start && shift.start < day.end)
                .filter(|(shift, _)| shift.end > now)
                .collect();
            if shifts.is_empty() {
                continue;
            }
            // A day whose fixed part already breaks a rule (time off added over a visit, a slower
            // travel model, hours changed) cannot take new work until it is repaired: the
            // technician is left out and named, with those bookings.
            let mut risky: Vec<String> = Vec::new();
            for st in shifts.iter().flat_map(|(_, stops)| stops.iter()) {
                let Some(at) = st.at.filter(|_| st.blocked.end > now) else {
                    continue;
                };
                let b = self.bookings.at(at);
                let (v, _) =
                    self.still_fits(b, &b.provider_id, b.start, b.end, Some(&b.resources), now);
                if !v.is_empty() && !risky.iter().any(|r| *r == *b.id) {
                    risky.push(b.id.to_string());
                }
            }
            if !risky.is_empty() {
                blocked.push((id.to_string(), risky));
                continue;
            }
            let home = who.data.home.as_ref().map(|h| places.add(h));
            working += 1;
            techs.begin_obj();
            techs.field("id", &who.data.id);
            if let Some(h) = home {
                techs.field("start", &(h as u64));
                techs.field("end", &(h as u64));
            }
            techs.key("skills");
            techs.begin_obj();
            for s in &who.data.skills {
                name_key(&mut techs, s);
                techs.int(1);
            }
            // Equipment: the kinds they carry, and the pooled kinds anyone may take.
            for kind in self.equipment(id) {
                name_key(&mut techs, &format!("{EQUIPMENT}{kind}"));
                techs.int(1);
            }
            techs.end_obj();
            // A daily cap: the visits left that day, each work order one.
            // (Visits this plan may move are jobs, counted by their demand, not as taken.)
            let left = match (who.data.daily_cap, shifts.first()) {
                (Some(cap), Some((shift, _))) => {
                    let taken = self.sessions_on_day(id, &table, shift.start, None, now);
                    let mine = moving
                        .iter()
                        .filter(|&&at| *self.bookings.at(at).provider_id == *id)
                        .count();
                    cap.saturating_sub(taken.saturating_sub(mine) as u32)
                }
                _ => 1_000_000,
            };
            techs.key("capacity");
            techs.begin_arr();
            techs.int(i64::from(left));
            techs.end_arr();
            techs.key("shifts");
            techs.begin_arr();
            for (n, (shift, all)) in shifts.iter().enumerate() {
                // What is over is over: the shift resumes where and when the last stop that
                // has ended left the technician (the travel rule reads it so too).
                let (past, stops): (Vec<&Stop>, Vec<&Stop>) =
                    all.iter().partition(|s| s.blocked.end <= now);
                let resume = past
                    .iter()
                    .map(|s| s.blocked.end)
                    .max()
                    .unwrap_or(shift.start);
                let from = past.iter().rev().find_map(|s| s.place);
                // A fixed stop may keep buffers outside the hours: the shift covers it.
                let first = stops.first().map_or(resume, |s| s.blocked.start);
                let last = stops
                    .iter()
                    .map(|s| s.blocked.end)
                    .max()
                    .unwrap_or(shift.end);
                let time = Interval::new(resume.min(first), shift.end.max(last));
                techs.begin_obj();
                techs.key("time");
                pair(&mut techs, secs(time.start), secs(time.end));
                if let Some(p) = from {
                    techs.field("start", &(places.add(p) as u64));
                }
                techs.key("breaks");
                techs.begin_arr();
                for s in stops.iter().filter(|s| s.place.is_none()) {
                    let at = secs(s.blocked.start);
                    techs.begin_obj();
                    techs.key("window");
                    pair(&mut techs, at, at);
                    techs.key("duration");
                    techs.int(secs(s.blocked.end) - at);
                    techs.end_obj();
                }
                techs.end_arr();
                techs.end_obj();
                for s in stops.iter().filter(|s| s.place.is_some()) {
                    let (Some(place), Some(at)) = (s.place, s.at) else {
                        continue;
                    };
                    let b = self.bookings.at(at);
                    let start = secs(s.blocked.start);
                    jobs.begin_obj();
                    jobs.field("id", &format!("{BOOKING_JOB}{}", b.id));
                    jobs.field("place", &(places.add(place) as u64));
                    jobs.key("duration");
                    jobs.int(secs(s.blocked.end) - start);
                    jobs.key("windows");
                    jobs.begin_arr();
                    pair(&mut jobs, start, start);
                    jobs.end_arr();
                    jobs.field("technician", &who.data.id);
                    jobs.key("at");
                    jobs.int(start);
                    jobs.field("fixed", &true);
                    jobs.end_obj();
                }
                // The current route of a re-plan: its visits from work orders, in order.
                if q.replan {
                    given.route(&mut plan, id, n, |b| time.overlaps(&b.blocked()));
                }
            }
            techs.end_arr();
            techs.end_obj();
        }
        if q.replan {
            for &id in &chosen {
                given.route(&mut plan, id, usize::MAX, |_| true);
            }
        }
        let mut ids = Vec::new();
        for j in &orders {
            let OrderJob {
                order: o,
                service,
                place,
                windows,
            } = j;
            // A booked visit moves with its own length and the service's buffers as they are
            // now (as the commit places it).
            let (before, after) = service.buffers();
            let dur = match self.booked(o) {
                Some(b) => b.end - b.start,
                None => o
                    .duration_minutes
                    .map_or(service.duration(), |m| i64::from(m) * MINUTE),
            };
            jobs.begin_obj();
            jobs.field("id", &o.id);
            jobs.field("place", &(places.add(place) as u64));
            jobs.key("duration");
            jobs.int(before + dur + after);
            jobs.key("windows");
            jobs.begin_arr();
            for (s, e) in windows {
                pair(&mut jobs, secs(*s) - before, secs(*e) - before);
            }
            jobs.end_arr();
            if let Some(d) = o.deadline.and_then(|d| d.instant()) {
                jobs.key("deadline");
                jobs.int(secs(d) + after);
            }
            jobs.field("priority", &(o.priority.max(0) as u64));
            jobs.key("skills");
            jobs.begin_obj();
            for s in &service.required_skills {
                name_key(&mut jobs, s);
                jobs.int(1);
            }
            for need in &service.required_resources {
                name_key(&mut jobs, &format!("{EQUIPMENT}{}", need.kind));
                jobs.int(1);
            }
            jobs.end_obj();
            if working > 0 {
                jobs.key("demand");
                jobs.begin_arr();
                jobs.int(1);
                jobs.end_arr();
            }
            jobs.opt("technician", &o.provider_id);
            jobs.opt("preferredTechnician", &o.preferred_provider_id);
            // Booked (a re-plan): its time as booked is where it would rather stay.
            if let Some(b) = self.booked(o) {
                let at = secs(j.start_of(b));
                jobs.key("preferred");
                pair(&mut jobs, at, at);
            }
            jobs.end_obj();
            ids.push(o.id.clone());
        }
        techs.end_arr();
        jobs.end_arr();
        plan.end_arr();
        let mut w = Writer::default();
        w.begin_obj();
        w.key("travel");
        w.begin_obj();
        w.key("coordinates");
        w.begin_obj();
        w.key("points");
        w.begin_arr();
        for &(lat, lng) in &places.0 {
            w.begin_arr();
            lat.write(&mut w);
            lng.write(&mut w);
            w.end_arr();
        }
        w.end_arr();
        // Read back to the same bits: both are read to millionths, and written so.
        w.field("detour", &self.travel.detour);
        w.field("speedKmh", &self.travel.speed_kmh);
        w.field("roundUp", &60u32);
        w.end_obj();
        w.end_obj();
        w.key("technicians");
        w.raw(&techs.out);
        w.key("jobs");
        w.raw(&jobs.out);
        w.end_obj();
        let plan = q.replan.then(|| format!("{{\"routes\":{}}}", plan.out));
        Ok(DayProblem {
            version: self.version,
            from,
            to,
            problem: w.out,
            plan,
            work_orders: ids,
            skipped,
            blocked,
        })
    }

    /// Books a solved plan all or nothing: each work order on a route becomes a booking (or its
    /// booking moves there), checked by every rule; refused with `STALE_PLAN` if anything
    /// changed since the problem was made. A booked work order the plan leaves out (a re-plan
    /// that could not keep it) has its booking cancelled, so it is open again.
    pub fn commit_day_plan(
        &mut self,
        p: DayPlan,
        now: Instant,
    ) -> Result<Vec<crate::model::Booking>> {
        if p.version != self.version {
            return Err(Error::new(
                Code::StalePlan,
                "the schedule changed after this plan's problem was made; plan again",
            ));
        }
        let mut visits: Vec<(WorkOrder, String, Instant)> = Vec::new();
        for r in &p.routes {
            if !self.providers.contains_key(&r.technician) {
                return Err(Error::unknown("provider", &r.technician));
            }
            for s in &r.stops {
                if s.job.starts_with(BOOKING_JOB) {
                    continue;
                }
                let Some(o) = self.work_orders.get(&s.job) else {
                    // A break, or a job the host added to the problem itself.
                    continue;
                };
                if visits.iter().any(|v| v.0.id == o.id) {
                    return Err(Error::input(format!(
                        "work order `{}` is on the plan twice",
                        clip(&o.id)
                    )));
                }
                let before = self
                    .services
                    .get(&o.service_id)
                    .map_or(0, |s| s.buffers().0);
                let start = Instant::from_secs(s.start.clamp(-1 << 40, 1 << 40)) + before;
                crate::time::bounded(start, "a plan's start")?;
                visits.push((o.clone(), r.technician.clone(), start));
            }
        }
        let why = "dispatch plan".to_string();
        for id in &p.unassigned {
            if visits.iter().any(|v| v.0.id == *id) {
                return Err(Error::input(format!(
                    "work order `{}` is both placed and left out",
                    clip(id)
                )));
            }
        }
        self.all_or_nothing(|sim| {
            let mut out = Vec::new();
            // Booked visits a re-plan could not keep: their time goes to others.
            for id in &p.unassigned {
                let Some(old) = sim.work_orders.get(id).and_then(|o| sim.booked(o)).cloned() else {
                    continue;
                };
                let new = crate::model::Booking {
                    status: Status::Cancelled,
                    ..old.clone()
                };
                let reason = Some(format!("{why}: no place for it in the re-plan"));
                out.push(sim.commit(old, new, "cancelled", reason, now));
            }
            // Visits that move step aside first, so none meets another's old place. One that
            // stays but was booked with other buffers than the service has now is placed again
            // too: the plan was made with the service as it is.
            let mut lifted = Vec::new();
            for (o, provider, start) in &visits {
                if let Some(b) = sim.booked(o) {
                    let reshaped = sim.services.get(&b.service_id).is_some_and(|s| {
                        (b.buffer_before_minutes, b.buffer_after_minutes)
                            != (s.buffer_before_minutes, s.buffer_after_minutes)
                    });
                    if b.provider_id != **provider || b.start != *start || reshaped {
                        lifted.push(b.clone());
                    }
                }
            }
            for b in &lifted {
                sim.store(crate::model::Booking {
                    status: Status::Cancelled,
                    ..b.clone()
                });
            }
            // Each visit is placed by every rule but travel, which is asked of the day as a
            // whole once all are placed: under the solver's model (a break is taken where the
            // technician is, then the drive), a visit alone can lack the drive that the visit
            // before it, placed next, provides.
            let passes =
                |v: &[crate::base::error::Violation]| v.iter().all(|x| x.code == Code::TravelTime);
            let mut placed: Vec<(String, String)> = Vec::new();
            for (o, provider, start) in visits {
                let stale = |e: Error| {
                    Error::with_ids(
                        e.code,
                        format!("work order `{}`: {}", clip(&o.id), e.message),
                        vec![o.id.clone()],
                    )
                };
                if let Some(old) = lifted
                    .iter()
                    .find(|b| Some(&*b.id) == o.booking_id.as_deref())
                {
                    let (v, resources) = sim.still_fits(
                        old,
                        &provider,
                        start,
                        start + (old.end - old.start),
                        None,
                        now,
                    );
                    if !passes(&v) {
                        return Err(stale(Error::from_violations(v)));
                    }
                    let service = sim
                        .services
                        .get(&old.service_id)
                        .ok_or_else(|| Error::unknown("service", &old.service_id))?;
                    let at = Interval::new(start, start + (old.end - old.start));
                    let new = old.placed(service, &provider, at, resources);
                    out.push(sim.commit(old.clone(), new, "rescheduled", Some(why.clone()), now));
                    placed.push((old.id.to_string(), o.id.clone()));
                    continue;
                }
                if sim.booked(&o).is_some() {
                    // Booked and staying where it is.
                    continue;
                }
                let service = sim
                    .services
                    .get(&o.service_id)
                    .ok_or_else(|| Error::unknown("service", &o.service_id))?;
                let dur = o
                    .duration_minutes
                    .map_or(service.duration(), |m| i64::from(m) * MINUTE);
                let resources = sim.carried(&provider, service);
                let req = BookingRequest {
                    service_id: o.service_id.clone(),
                    resources,
                    provider_id: Some(provider),
                    client_ids: o.client_ids.clone(),
                    start: When::utc(start),
                    end: Some(When::utc(start + dur)),
                    priority: o.priority,
                    notes: o.notes.clone(),
                    location: o.location.clone(),
                    reason: Some(why.clone()),
                    ..Default::default()
                };
                let checked = sim.check(&req, now).map_err(stale)?;
                let (true, Some(who)) = (passes(&checked.violations), checked.provider_id) else {
                    return Err(stale(Error::from_violations(checked.violations)));
                };
                let at = Interval::new(checked.start, checked.end);
                let (status, resources) = (Status::Confirmed, checked.resources);
                let b = sim
                    .insert_new(req, who, at, resources, status, None, now)
                    .map_err(stale)?;
                placed.push((b.id.to_string(), o.id.clone()));
                let linked = WorkOrder {
                    booking_id: Some(b.id.to_string()),
                    ..o.clone()
                };
                let id = o.id.clone();
                sim.record(
                    "workOrder",
                    &id,
                    Some(Record::WorkOrder(o)),
                    Some(Record::WorkOrder(linked.clone())),
                );
                sim.work_orders.upsert(linked);
                out.push(b);
            }
            // The whole day, every rule, travel among them.
            for (id, order) in &placed {
                let Some(b) = sim.bookings.get(id) else {
                    continue;
                };
                let (v, _) =
                    sim.still_fits(b, &b.provider_id, b.start, b.end, Some(&b.resources), now);
                if !v.is_empty() {
                    let e = Error::from_violations(v);
                    return Err(Error::with_ids(
                        e.code,
                        format!("work order `{}`: {}", clip(order), e.message),
                        vec![order.clone()],
                    ));
                }
            }
            Ok(out)
        })
    }
}
