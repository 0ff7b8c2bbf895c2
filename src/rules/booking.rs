//! Booking rules: what a proposed booking would break, and the writes that change bookings.
//!
//! The rules themselves are in `rule.rs`, each written once; [`Coordinator::evaluate`] asks them
//! about one proposal and writes their sentences, and `check`, `book` and `reschedule` all go
//! through it. Availability and explain read the same rules over a range.
//!
//! Buffers: a booking keeps `[start - before, end + after)` from other bookings; two bookings on
//! one provider or resource conflict when these blocked intervals overlap. The booking itself
//! must lie within working hours; its buffers may fall outside them.

use crate::base::error::clip;
use crate::base::error::{Code, Error, Fact, Result, Violation};
use crate::json::{ToJson, Writer};
use crate::model::*;
use crate::model::{check_id, check_text};
use crate::rules::rule::{qualified, when, Scope};
use crate::state::{Coordinator, Record};
use crate::time::{format_utc, Instant, Interval, DAY, MINUTE};

/// The answer of `check`: whether the booking would be accepted, and if so where.
#[derive(Clone, Debug)]
pub struct CheckResult {
    pub ok: bool,
    pub violations: Vec<Violation>,
    pub provider_id: Option<String>,
    pub start: Instant,
    pub end: Instant,
    pub resources: Vec<ResourceUse>,
}

impl ToJson for CheckResult {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("ok", &self.ok);
        w.field("violations", &self.violations);
        w.field("providerId", &self.provider_id);
        w.time("start", self.start);
        w.time("end", self.end);
        w.field("resources", &self.resources);
        w.end_obj();
    }
}

/// A reschedule worked out against the current state (see `try_reschedule`).
struct Rescheduling<'s> {
    old: &'s Booking,
    service: &'s Service,
    iv: Interval,
    provider: &'s str,
    violations: Vec<Violation>,
    resources: Vec<ResourceUse>,
}

/// A booking proposal for one provider, everything parsed.
pub(crate) struct Proposal<'a> {
    pub service: &'a Service,
    pub provider: &'a str,
    pub start: Instant,
    pub end: Instant,
    pub seats: u32,
    pub resources: Option<&'a [ResourceUse]>,
    /// Resources to try first when assigning (a rescheduled booking keeps its room if it can).
    pub prefer: &'a [ResourceUse],
    /// The booking being moved, which must not conflict with itself.
    pub exclude: Option<&'a str>,
    /// Where an on-site visit would be (the travel rule reads it).
    pub place: Option<&'a Location>,
}

impl Coordinator {
    /// The rules' scope for a proposal, or the violation that stops it being asked at all.
    fn scope<'a>(
        &'a self,
        p: &Proposal<'a>,
        now: Instant,
    ) -> std::result::Result<Scope<'a>, Violation> {
        let Some(entry) = self.providers.get(p.provider) else {
            return Err(Violation::new(
                Code::UnknownId,
                format!("there is no provider with id `{}`", clip(p.provider)),
                vec![p.provider.to_string()],
            ));
        };
        let window = Interval::new(p.start, p.start + 1);
        Scope::new(
            self,
            entry,
            p.service,
            p.end - p.start,
            p.seats,
            p.exclude,
            window,
            now,
        )
        .map(|sc| sc.at_place(p.place))
        .map_err(|e| Violation::new(e.code, e.message, vec![entry.data.id.clone()]))
    }

    /// Every rule the proposal breaks, and the resources it would use.
    pub(crate) fn evaluate(
        &self,
        p: &Proposal,
        now: Instant,
    ) -> (Vec<Violation>, Vec<ResourceUse>) {
        match self.scope(p, now) {
            Err(v) => (vec![v], Vec::new()),
            Ok(sc) => {
                let (why, uses) = sc.at(p.start, p.resources, p.prefer);
                let out = why.iter().map(|w| sc.violation(w, p.start)).collect();
                (out, uses)
            }
        }
    }

    /// The resources the proposal would use if it breaks no rule; no sentences are made.
    pub(crate) fn passes(&self, p: &Proposal, now: Instant) -> Option<Vec<ResourceUse>> {
        let sc = self.scope(p, now).ok()?;
        let (why, uses) = sc.at(p.start, p.resources, p.prefer);
        why.is_empty().then_some(uses)
    }

    /// Parses a request into a proposal's parts: service, interval, and the listed clients.
    fn read_request(
        &self,
        req: &BookingRequest,
        out: &mut Vec<Violation>,
    ) -> Result<(&Service, Interval, Option<Location>)> {
        let service = self
            .services
            .get(&req.service_id)
            .ok_or_else(|| Error::unknown("service", &req.service_id))?;
        let zone = req.time_zone.as_deref().unwrap_or(&self.time_zone);
        self.zones.validate(zone)?;
        let start = self.zones.instant(zone, req.start)?;
        let end = match req.end {
            Some(e) => self.zones.instant(zone, e)?,
            None => start + service.duration(),
        };
        let iv = checked_interval(start, end)?;
        check_clients(&req.client_ids)?;
        for c in &req.client_ids {
            if !self.clients.contains_key(c) {
                out.push(Violation::new(
                    Code::UnknownId,
                    format!("there is no client with id `{}`", clip(c)),
                    vec![c.clone()],
                ));
            }
        }
        for text in [&req.notes, &req.reason].into_iter().flatten() {
            check_text("notes", text)?;
        }
        let place = self.visit_place(service, req.location.as_ref(), &req.client_ids)?;
        Ok((service, iv, place))
    }

    /// Where a visit of `service` goes: none unless it is done on site; then the place given,
    /// or the first listed client's location, and `LOCATION_MISSING` without either.
    pub(crate) fn visit_place(
        &self,
        service: &Service,
        given: Option<&Location>,
        clients: &[String],
    ) -> Result<Option<Location>> {
        if !service.on_site {
            return match given {
                Some(_) => Err(Error::input(format!(
                    "service `{}` is not done on site, so a booking of it has no location",
                    clip(&service.id)
                ))),
                None => Ok(None),
            };
        }
        let from_client = || {
            clients
                .iter()
                .find_map(|c| self.clients.get(c).and_then(|c| c.location.as_ref()))
        };
        let Some(place) = given.or_else(from_client) else {
            return Err(Error::new(
                Code::LocationMissing,
                format!(
                    "{} is done on site: give the booking a location, or its client one",
                    clip(&service.name)
                ),
            ));
        };
        place.check("location")?;
        Ok(Some(place.clone()))
    }

    /// What `book` would do with this request, without doing it.
    pub fn check(&self, req: &BookingRequest, now: Instant) -> Result<CheckResult> {
        let mut out = Vec::new();
        let (service, iv, place) = self.read_request(req, &mut out)?;
        let seats = req.client_ids.len().max(1) as u32;
        let base = Proposal {
            service,
            provider: "",
            start: iv.start,
            end: iv.end,
            seats,
            resources: req.resources.as_deref(),
            prefer: &[],
            exclude: None,
            place: place.as_ref(),
        };
        let (provider, mut violations, resources) = match &req.provider_id {
            Some(p) => {
                let (v, r) = self.evaluate(
                    &Proposal {
                        provider: p,
                        ..base
                    },
                    now,
                );
                (Some(p.clone()), v, r)
            }
            None => self.choose_provider(&base, now),
        };
        out.append(&mut violations);
        Ok(CheckResult {
            ok: out.is_empty(),
            violations: out,
            provider_id: provider,
            start: iv.start,
            end: iv.end,
            resources,
        })
    }

    /// Any qualified provider who can take the proposal; the least booked that day, then by id.
    fn choose_provider(
        &self,
        base: &Proposal,
        now: Instant,
    ) -> (Option<String>, Vec<Violation>, Vec<ResourceUse>) {
        let qualified: Vec<&str> = self
            .providers
            .values()
            .filter(|e| qualified(&e.data, base.service))
            .map(|e| e.data.id.as_str())
            .collect();
        let mut best: Option<(usize, &str, Vec<ResourceUse>)> = None;
        for &id in &qualified {
            let p = Proposal {
                provider: id,
                ..*base
            };
            if let Some(r) = self.passes(&p, now) {
                let load = self
                    .providers
                    .get(id)
                    .and_then(|e| self.zones.table(&e.cal.zone, base.start, base.end).ok())
                    .map(|t| self.sessions_on_day(id, &t, base.start, None, now))
                    .unwrap_or(usize::MAX);
                if best.as_ref().is_none_or(|(l, _, _)| load < *l) {
                    best = Some((load, id, r));
                }
            }
        }
        // Nobody can: say why, each provider's first reason.
        let reasons: Vec<Violation> = if best.is_some() {
            Vec::new()
        } else {
            qualified
                .iter()
                .filter_map(|&id| {
                    let p = Proposal {
                        provider: id,
                        ..*base
                    };
                    self.evaluate(&p, now).0.into_iter().next()
                })
                .collect()
        };
        let qualified = qualified.len();
        if let Some((_, id, r)) = best {
            return (Some(id.to_string()), Vec::new(), r);
        }
        let s = base.service;
        let head = if qualified == 0 {
            let mut ids = vec![s.id.clone()];
            ids.extend(s.required_skills.iter().cloned());
            Violation::new(
                Code::SkillMissing,
                format!(
                    "no provider has the skills {} requires ({})",
                    clip(&s.name),
                    s.required_skills.join(", ")
                ),
                ids,
            )
            .text("service", &s.name)
            .fact("skills", Fact::Texts(s.required_skills.clone()))
        } else {
            let ids = reasons
                .iter()
                .filter_map(|v| {
                    v.ids
                        .iter()
                        .find(|id| self.providers.contains_key(id))
                        .cloned()
                })
                .collect();
            Violation::new(
                Code::NoProviderAvailable,
                format!(
                    "none of the {qualified} qualified providers can take {} from {}",
                    clip(&s.name),
                    when(Interval::new(base.start, base.end))
                ),
                ids,
            )
            .text("service", &s.name)
            .fact("qualified", Fact::Number(qualified as i64))
            .fact("start", Fact::At(base.start.secs()))
            .fact("end", Fact::At(base.end.secs()))
        };
        let mut all = vec![head];
        all.extend(reasons);
        (None, all, Vec::new())
    }

    /// Books the request, or refuses with every rule it breaks.
    pub fn book(&mut self, req: BookingRequest, now: Instant) -> Result<Booking> {
        self.create(req, None, now)
    }

    /// Holds a slot for `minutes` while a client fills in the form: the same rules as `book`,
    /// and until it expires the hold keeps the time (and resources) from everyone else.
    pub fn hold(&mut self, req: BookingRequest, minutes: u32, now: Instant) -> Result<Booking> {
        if !(1..=24 * 60).contains(&minutes) {
            return Err(Error::new(
                Code::InvalidDuration,
                "a hold lasts 1 to 1440 minutes",
            ));
        }
        // From the engine's clock, which never steps back past the latest write (a hold made
        // while the host's clock runs behind must still last its minutes).
        let until = self.hold_clock(now) + i64::from(minutes) * MINUTE;
        crate::time::bounded(until, "the hold's expiry")?;
        self.create(req, Some(until), now)
    }

    pub(crate) fn create(
        &mut self,
        req: BookingRequest,
        hold_until: Option<Instant>,
        now: Instant,
    ) -> Result<Booking> {
        let checked = self.check(&req, now)?;
        let status = match hold_until {
            Some(_) => Status::Held,
            None => req.status.unwrap_or(Status::Confirmed),
        };
        if !matches!(
            (status, hold_until),
            (Status::Tentative | Status::Confirmed, None) | (Status::Held, Some(_))
        ) || (hold_until.is_some() && req.status.is_some())
        {
            return Err(Error::new(
                Code::InvalidTransition,
                "a new booking is tentative or confirmed (a hold has no status to choose)",
            ));
        }
        let (false, Some(provider_id)) = (!checked.ok, checked.provider_id) else {
            return Err(Error::from_violations(checked.violations));
        };
        let place = Interval::new(checked.start, checked.end);
        self.insert_new(
            req,
            provider_id,
            place,
            checked.resources,
            status,
            hold_until,
            now,
        )
    }

    /// Stores a new booking that has passed the rules: its id, its first history entry, the event.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn insert_new(
        &mut self,
        req: BookingRequest,
        provider_id: String,
        place: Interval,
        resources: Vec<ResourceUse>,
        status: Status,
        hold_until: Option<Instant>,
        now: Instant,
    ) -> Result<Booking> {
        // Stamped no earlier than the latest write (see `commit`).
        let now = self.hold_clock(now);
        let id = match &req.id {
            Some(id) => id.clone(),
            None => self.fresh_id("bk"),
        };
        check_id("booking", &id)?;
        if self.bookings.contains_key(&id) {
            return Err(Error::with_ids(
                Code::DuplicateId,
                format!("a booking with id `{}` already exists", clip(&id)),
                vec![id],
            ));
        }
        let service = self
            .services
            .get(&req.service_id)
            .ok_or_else(|| Error::unknown("service", &req.service_id))?;
        let draft = Booking::draft(
            id.clone(),
            service,
            req.client_ids,
            provider_id.clone(),
            place.start,
            place.end,
            req.priority,
            now,
        );
        let (series_id, recurrence_id) =
            req.series.map_or((None, None), |(s, t)| (Some(s), Some(t)));
        let location = self.visit_place(service, req.location.as_ref(), &draft.client_ids)?;
        let follow_up_rule = self.follow_up_link(req.return_of.as_deref(), req.follow_up_rule)?;
        let rare = BookingRare {
            notes: req.notes,
            expires_at: hold_until,
            series_id,
            recurrence_id,
            location,
            cancelled_by: None,
            return_of: req.return_of,
            follow_up_rule,
            visit: None,
            import_clashes: None,
        };
        let b = Booking {
            resources,
            status,
            rare: (rare != BookingRare::default()).then(|| Box::new(rare)),
            history: vec![HistoryEntry {
                revision: 1,
                at: now,
                action: if hold_until.is_some() {
                    "held".into()
                } else {
                    "created".into()
                },
                status,
                provider_id: provider_id.into(),
                start: place.start,
                end: place.end,
                reason: req.reason.map(Into::into),
            }],
            ..draft
        };
        self.claim(&id);
        self.record("booking", &id, None, Some(Record::Booking(b.clone())));
        self.store(b.clone());
        Ok(b)
    }

    pub(crate) fn writable(&self, id: &str, expected: Option<u32>) -> Result<&Booking> {
        let b = self
            .bookings
            .get(id)
            .ok_or_else(|| Error::unknown("booking", id))?;
        if b.revision == u32::MAX {
            return Err(Error::with_ids(
                Code::TooLarge,
                format!(
                    "booking `{}` has reached the last revision; book it again under a new id",
                    clip(id)
                ),
                vec![id.to_string()],
            ));
        }
        if let Some(rev) = expected {
            if rev != b.revision {
                return Err(Error::with_ids(
                    Code::StaleRevision,
                    format!("booking `{}` is at revision {}, not {rev}: someone changed it; reload it and try again", clip(id), b.revision),
                    vec![id.to_string()],
                ));
            }
        }
        Ok(b)
    }

    pub(crate) fn commit(
        &mut self,
        old: Booking,
        mut new: Booking,
        action: &str,
        reason: Option<String>,
        now: Instant,
    ) -> Booking {
        // Writes are stamped no earlier than the latest write: a booking placed over a hold that
        // had lapsed by the engine's clock then records a time at or past the hold's expiry,
        // which is what lets `restore` tell such a pair from a double booking.
        let now = self.hold_clock(now);
        new.revision = old.revision.saturating_add(1);
        new.updated_at = now;
        new.history.push(HistoryEntry {
            revision: new.revision,
            at: now,
            action: action.into(),
            status: new.status,
            provider_id: new.provider_id.clone(),
            start: new.start,
            end: new.end,
            reason: reason.map(Into::into),
        });
        let id = old.id.clone();
        self.record(
            "booking",
            &id,
            Some(Record::Booking(old)),
            Some(Record::Booking(new.clone())),
        );
        self.store(new.clone());
        new
    }

    /// What moving or resizing a booking would break, state unchanged (a calendar's drag checks
    /// every position with this before the drop).
    pub fn check_reschedule(&self, id: &str, ch: &Reschedule, now: Instant) -> Result<CheckResult> {
        let m = self.try_reschedule(id, ch, now)?;
        Ok(CheckResult {
            ok: m.violations.is_empty(),
            violations: m.violations,
            provider_id: Some(m.provider.to_string()),
            start: m.iv.start,
            end: m.iv.end,
            resources: m.resources,
        })
    }

    /// A reschedule worked out: the booking, where it would go, and what that breaks.
    fn try_reschedule<'s>(
        &'s self,
        id: &str,
        ch: &'s Reschedule,
        now: Instant,
    ) -> Result<Rescheduling<'s>> {
        let old = self.writable(id, ch.expected_revision)?;
        if !matches!(old.status, Status::Tentative | Status::Confirmed) {
            return Err(Error::with_ids(
                Code::InvalidTransition,
                format!(
                    "booking `{}` is {} and can no longer be moved",
                    clip(id),
                    old.status.as_str()
                ),
                vec![id.to_string()],
            ));
        }
        if let Some(r) = &ch.reason {
            check_text("reason", r)?;
        }
        let zone = ch.time_zone.as_deref().unwrap_or(&self.time_zone);
        self.zones.validate(zone)?;
        let start = match ch.start {
            Some(s) => self.zones.instant(zone, s)?,
            None => old.start,
        };
        let end = match ch.end {
            Some(e) => self.zones.instant(zone, e)?,
            None => start + (old.end - old.start),
        };
        let iv = checked_interval(start, end)?;
        let service = self
            .services
            .get(&old.service_id)
            .ok_or_else(|| Error::unknown("service", &old.service_id))?;
        let provider = ch.provider_id.as_deref().unwrap_or(&old.provider_id);
        let p = Proposal {
            service,
            provider,
            start: iv.start,
            end: iv.end,
            seats: old.seats_taken(),
            resources: ch.resources.as_deref(),
            prefer: &old.resources,
            exclude: Some(id),
            place: old.location(),
        };
        let (violations, resources) = self.evaluate(&p, now);
        Ok(Rescheduling {
            old,
            service,
            iv,
            provider,
            violations,
            resources,
        })
    }

    /// Moves a booking to another time and/or provider, under the same rules as a new one.
    pub fn reschedule(&mut self, id: &str, ch: Reschedule, now: Instant) -> Result<Booking> {
        let Rescheduling {
            old,
            service,
            iv,
            provider,
            violations,
            resources,
        } = self.try_reschedule(id, &ch, now)?;
        if !violations.is_empty() {
            return Err(Error::from_violations(violations));
        }
        if (old.start, old.end, &*old.provider_id, &old.resources)
            == (iv.start, iv.end, provider, &resources)
        {
            return Ok(old.clone()); // nothing moved: no new revision, no change event
        }
        let new = old.placed(service, provider, iv, resources);
        let old = old.clone();
        Ok(self.commit(old, new, "rescheduled", ch.reason, now))
    }

    /// Turns a hold into a confirmed booking, atomically: only while the hold has not expired, and
    /// only if every rule still passes (the provider may have called in sick meanwhile).
    pub fn confirm_hold(&mut self, id: &str, c: ConfirmHold, now: Instant) -> Result<Booking> {
        let old = self.writable(id, c.expected_revision)?;
        if old.status != Status::Held {
            return Err(Error::with_ids(
                Code::InvalidTransition,
                format!(
                    "booking `{}` is {}, not a hold",
                    clip(id),
                    old.status.as_str()
                ),
                vec![id.to_string()],
            ));
        }
        if old.until() <= self.hold_clock(now) {
            return Err(Error::with_ids(
                Code::HoldExpired,
                format!(
                    "the hold `{}` expired at {}; pick the slot again",
                    clip(id),
                    format_utc(old.until())
                ),
                vec![id.to_string()],
            ));
        }
        for text in [&c.notes, &c.reason].into_iter().flatten() {
            check_text("notes", text)?;
        }
        let clients = c.client_ids.unwrap_or_else(|| old.client_ids.clone());
        check_clients(&clients)?;
        let mut violations = Vec::new();
        for cl in &clients {
            if !self.clients.contains_key(cl) {
                violations.push(Violation::new(
                    Code::UnknownId,
                    format!("there is no client with id `{}`", clip(cl)),
                    vec![cl.clone()],
                ));
            }
        }
        let service = self
            .services
            .get(&old.service_id)
            .ok_or_else(|| Error::unknown("service", &old.service_id))?;
        let p = Proposal {
            service,
            provider: &old.provider_id,
            start: old.start,
            end: old.end,
            seats: clients.len().max(1) as u32,
            resources: Some(&old.resources),
            prefer: &[],
            exclude: Some(id),
            place: old.location(),
        };
        let (mut more, resources) = self.evaluate(&p, now);
        violations.append(&mut more);
        if !violations.is_empty() {
            return Err(Error::from_violations(violations));
        }
        // Checked under the service as it is now, so it keeps the service's buffers and seats now.
        let mut new = old.placed(
            service,
            &old.provider_id,
            Interval::new(old.start, old.end),
            resources,
        );
        new.status = Status::Confirmed;
        new.client_ids = clients;
        new.set_rare(|r| {
            r.expires_at = None;
            if c.notes.is_some() {
                r.notes = c.notes;
            }
        });
        let old = old.clone();
        Ok(self.commit(old, new, "confirmed", c.reason, now))
    }

    /// Lets a hold go before it expires.
    pub fn release_hold(&mut self, id: &str, opts: WriteOptions, now: Instant) -> Result<Booking> {
        match self.bookings.get(id) {
            Some(b) if b.status != Status::Held => Err(Error::with_ids(
                Code::InvalidTransition,
                format!(
                    "booking `{}` is {}, not a hold",
                    clip(id),
                    b.status.as_str()
                ),
                vec![id.to_string()],
            )),
            _ => self.set_status(id, Status::Cancelled, opts, now),
        }
    }

    /// Bookings matching the filter, by start, then in the order they were made (`now` tells
    /// which are unresolved).
    pub fn bookings(&self, f: &BookingFilter, now: Instant) -> Result<Vec<&Booking>> {
        let zone = f.time_zone.as_deref().unwrap_or(&self.time_zone);
        self.zones.validate(zone)?;
        let from = f.from.map(|t| self.zones.instant(zone, t)).transpose()?;
        let to = f.to.map(|t| self.zones.instant(zone, t)).transpose()?;
        let mut keys: Vec<i64> = self
            .bookings
            .values()
            .enumerate()
            .filter(|(_, b)| f.provider_id.as_ref().is_none_or(|p| &b.provider_id == p))
            .filter(|(_, b)| f.service_id.as_ref().is_none_or(|s| &b.service_id == s))
            .filter(|(_, b)| {
                f.client_id
                    .as_ref()
                    .is_none_or(|c| b.client_ids.contains(c))
            })
            .filter(|(_, b)| f.status.as_ref().is_none_or(|s| s.contains(&b.status)))
            .filter(|(_, b)| !f.unresolved || b.unresolved(now))
            .filter(|(_, b)| from.is_none_or(|t| b.end > t) && to.is_none_or(|t| b.start < t))
            .map(|(at, b)| crate::state::pack(b.start, at as u32))
            .collect();
        crate::base::sort::sort(&mut keys);
        Ok(keys
            .into_iter()
            .map(|key| self.bookings.at(crate::state::unpack(key).1))
            .collect())
    }
}

/// The most clients one booking may list: a group session's largest number of seats.
pub const MAX_CLIENTS: usize = 10_000;

/// A booking's clients: each once (one person is one seat), and no more than a session can seat.
fn check_clients(ids: &[String]) -> Result<()> {
    if ids.len() > MAX_CLIENTS {
        return Err(Error::new(
            Code::TooLarge,
            format!("a booking lists at most {MAX_CLIENTS} clients"),
        ));
    }
    if ids.len() < 2 {
        return Ok(()); // the common case: nothing to compare, nothing to allocate
    }
    let mut sorted: Vec<&String> = ids.iter().collect();
    crate::base::sort::sort(&mut sorted);
    let repeated = sorted.windows(2).find_map(|w| match w {
        [a, b] if a == b => Some(*a),
        _ => None,
    });
    match repeated {
        Some(id) => Err(Error::with_ids(
            Code::DuplicateId,
            format!(
                "client `{}` is listed twice; one client takes one seat",
                clip(id)
            ),
            vec![id.clone()],
        )),
        None => Ok(()),
    }
}

/// A booking interval must run forwards and last at most a week.
fn checked_interval(start: Instant, end: Instant) -> Result<Interval> {
    if end <= start {
        return Err(Error::new(
            Code::EndBeforeStart,
            format!(
                "the end {} is not after the start {}",
                format_utc(end),
                format_utc(start)
            ),
        ));
    }
    if end - start > 7 * DAY {
        return Err(Error::new(
            Code::InvalidDuration,
            "a booking may last at most 7 days",
        ));
    }
    if end >= crate::time::END_INSTANT {
        return Err(Error::new(
            Code::InvalidTime,
            "the booking would end after 2200-12-31T23:59:59Z, the last time the engine keeps",
        ));
    }
    Ok(Interval::new(start, end))
}
