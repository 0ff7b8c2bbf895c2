//! The booking rules, each written once.
//!
//! A rule says which starts of a service it forbids on one provider within a window of starts,
//! and why: a [`Block`]. The engine's three questions are all answered from the same blocks:
//! - `check` (through `evaluate`) asks for the blocks over the one second of the proposed start;
//! - availability lists the starts of a range that no block covers, on the slot grid;
//! - explain lists, for each grid step, the rules whose blocks cover it.
//!
//! Reasons stay structured ([`Why`]) until a violation leaves the engine, so a pass/fail
//! question (a slot search, a repair trying places) builds no sentence.
//!
//! Resources are the one rule asked per start instead of as intervals: whether every kind has
//! enough free units depends on how units are shared out, so the rule is the assignment itself
//! ([`Scope::resources`]), which the slot search asks for each step the other rules leave.

use std::rc::Rc;

use crate::base::error::clip;
use crate::base::error::{Code, Fact, Violation};
use crate::model::{
    same_session, Booking, Location, Provider, Resource, ResourceNeed, ResourceUse, Service,
};
use crate::state::{Coordinator, ProviderEntry};
use crate::time::intervals::IntervalSet;
use crate::time::zone::Table;
use crate::time::{format_utc, Instant, Interval, DAY, MINUTE};

/// Starts a rule forbids, and why.
#[derive(Clone, Debug)]
pub(crate) struct Block<'a> {
    pub starts: Interval,
    pub why: Why<'a>,
}

/// Why a rule forbids a start: what the sentence at the boundary is made from.
#[derive(Clone, Debug)]
pub(crate) enum Why<'a> {
    /// The provider lacks skills the service requires.
    Skills,
    /// Too soon: the earliest start allowed now.
    Notice { earliest: Instant },
    /// Too far ahead: the latest start allowed now.
    Horizon { latest: Instant },
    /// Not wholly inside working hours.
    Hours,
    /// Time off overlaps the booking.
    TimeOff {
        off: Interval,
        reason: Option<&'a str>,
    },
    /// Another booking's blocked time overlaps this one's (buffers on both sides): its position
    /// and blocked interval, as its lane holds them (the booking is read only for the sentence).
    Overlap { at: u32, blocked: Interval },
    /// Too little time to drive between this on-site visit and a neighbouring stop: the booking
    /// there (`None`: the provider's home, at the start or end of the working hours), the
    /// seconds of driving, and whether the neighbour comes after.
    Travel {
        at: Option<u32>,
        drive: i64,
        next: bool,
    },
    /// The group session at this start has too few seats left.
    Seats { taken: u32 },
    /// The provider's day already has its most sessions.
    DailyCap { cap: u32 },
    /// A resource named twice in the request.
    ResourceTwice(&'a str),
    /// A resource the request names does not exist.
    ResourceUnknown(&'a str),
    /// A resource the request names is of a kind the service does not use.
    ResourceKind(&'a Resource),
    /// Not enough units of a kind are free (`short`: requested resources that fell short).
    ResourceShort {
        need: &'a ResourceNeed,
        left: u32,
        short: Vec<&'a str>,
    },
}

impl Why<'_> {
    pub fn code(&self) -> Code {
        match self {
            Why::Skills => Code::SkillMissing,
            Why::Notice { .. } => Code::MinNotice,
            Why::Horizon { .. } => Code::BeyondHorizon,
            Why::Hours => Code::OutsideWorkingHours,
            Why::TimeOff { .. } => Code::TimeOff,
            Why::Overlap { .. } => Code::Overlap,
            Why::Travel { .. } => Code::TravelTime,
            Why::Seats { .. } => Code::SeatsFull,
            Why::DailyCap { .. } => Code::DailyCap,
            Why::ResourceTwice(_) => Code::InvalidInput,
            Why::ResourceUnknown(_) => Code::UnknownId,
            Why::ResourceKind(_) | Why::ResourceShort { .. } => Code::ResourceUnavailable,
        }
    }
}

/// The codes in the order explain lists them (the order the rules run in).
pub(crate) const INTERVAL_CODES: [Code; 9] = [
    Code::SkillMissing,
    Code::MinNotice,
    Code::BeyondHorizon,
    Code::OutsideWorkingHours,
    Code::TimeOff,
    Code::Overlap,
    Code::TravelTime,
    Code::SeatsFull,
    Code::DailyCap,
];

/// A group session of the service on this provider that a proposal at its start would join.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Session<'a> {
    pub start: Instant,
    pub taken: u32,
    pub booking: &'a Booking,
}

/// One provider, one service, one window of starts: what every rule reads.
pub(crate) struct Scope<'a> {
    co: &'a Coordinator,
    pub who: &'a ProviderEntry,
    pub service: &'a Service,
    pub table: Rc<Table>,
    pub now: Instant,
    /// The booking's length (a request may give its own end).
    pub dur: i64,
    /// Seats the proposal takes.
    seats: u32,
    /// The booking being moved: it neither clashes with itself nor counts toward a cap.
    exclude: Option<&'a str>,
    /// Its position in the booking list.
    exclude_at: Option<u32>,
    /// The starts asked about.
    pub window: Interval,
    /// Sessions that start in the window, by start.
    pub sessions: Vec<Session<'a>>,
    /// Where an on-site visit would be (`None`: not on site, or the place is not known yet).
    pub place: Option<&'a Location>,
    /// The working hours a day either side of the window (the travel rule's shifts).
    wide: std::cell::OnceCell<IntervalSet>,
}

impl<'a> Scope<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        co: &'a Coordinator,
        who: &'a ProviderEntry,
        service: &'a Service,
        dur: i64,
        seats: u32,
        exclude: Option<&'a str>,
        window: Interval,
        now: Instant,
    ) -> crate::base::error::Result<Scope<'a>> {
        let (before, after) = service.buffers();
        // The travel rule reads each stretch of working hours whole, so a day either side.
        let margin = if service.on_site { DAY } else { 0 };
        let table = co.zones.table(
            &who.cal.zone,
            window.start - before - margin,
            window.end + dur + after + margin,
        )?;
        let mut sessions: Vec<Session<'a>> = Vec::new();
        if service.seats > 1 {
            let span = Interval::new(window.start, window.end + dur);
            for b in co.provider_bookings(&who.data.id, span, now) {
                if Some(&*b.id) == exclude
                    || b.service_id != service.id
                    || b.end - b.start != dur
                    || b.start < window.start
                    || b.start >= window.end
                {
                    continue;
                }
                match sessions.iter_mut().find(|x| x.start == b.start) {
                    Some(x) => {
                        x.taken += b.seats_taken();
                        x.booking = b;
                    }
                    None => sessions.push(Session {
                        start: b.start,
                        taken: b.seats_taken(),
                        booking: b,
                    }),
                }
            }
            crate::base::sort::sort_by_key(&mut sessions, |x| x.start);
        }
        Ok(Scope {
            co,
            who,
            service,
            table,
            now,
            dur,
            seats,
            exclude,
            exclude_at: exclude.and_then(|id| co.bookings.position(id)),
            window,
            sessions,
            place: None,
            wide: std::cell::OnceCell::new(),
        })
    }

    /// The working hours from a day before the window to a day after it (the table covers it).
    fn hours_wide(&self) -> &IntervalSet {
        self.wide.get_or_init(|| {
            let wide = Interval::new(self.window.start - DAY, self.window.end + self.dur + DAY);
            self.who.cal.hours(&self.table, wide)
        })
    }

    /// The scope of an on-site visit at `place`: the travel rule then applies.
    pub fn at_place(mut self, place: Option<&'a Location>) -> Self {
        self.place = place.filter(|_| self.service.on_site);
        self
    }

    /// The session a proposal starting at `t` would join.
    pub fn session_at(&self, t: Instant) -> Option<&Session<'a>> {
        self.sessions
            .binary_search_by_key(&t, |x| x.start)
            .ok()
            .and_then(|i| self.sessions.get(i))
    }

    /// Every interval rule's blocks over the window, rule by rule in [`INTERVAL_CODES`] order.
    pub fn blocks(&self, out: &mut Vec<Block<'a>>) {
        self.skills(out);
        self.notice(out);
        self.horizon(out);
        self.hours(out);
        self.time_off(out);
        self.overlap(out);
        self.travel(out);
        self.seats(out);
        self.daily_cap(out);
    }

    /// Adds `starts`, within the window and less the points in `except`, as a block.
    #[inline]
    fn push(&self, out: &mut Vec<Block<'a>>, starts: Interval, why: Why<'a>, except: &[Instant]) {
        let mut from = starts.start.max(self.window.start);
        let end = starts.end.min(self.window.end);
        for &t in except {
            if t >= from && t < end {
                if from < t {
                    out.push(Block {
                        starts: Interval::new(from, t),
                        why: why.clone(),
                    });
                }
                from = t + 1;
            }
        }
        if from < end {
            out.push(Block {
                starts: Interval::new(from, end),
                why,
            });
        }
    }

    /// The provider has every skill the service requires.
    fn skills(&self, out: &mut Vec<Block<'a>>) {
        if !qualified(&self.who.data, self.service) {
            self.push(out, self.window, Why::Skills, &[]);
        }
    }

    /// A booking starts at least the service's notice from now.
    fn notice(&self, out: &mut Vec<Block<'a>>) {
        let earliest = self.now + i64::from(self.service.min_notice_minutes) * MINUTE;
        let starts = Interval::new(self.window.start, earliest);
        self.push(out, starts, Why::Notice { earliest }, &[]);
    }

    /// A booking starts at most the service's horizon ahead.
    fn horizon(&self, out: &mut Vec<Block<'a>>) {
        if let Some(days) = self.service.horizon_days {
            let latest = self.now + i64::from(days) * DAY;
            let starts = Interval::new(latest + 1, self.window.end);
            self.push(out, starts, Why::Horizon { latest }, &[]);
        }
    }

    /// A booking lies wholly inside working hours (its buffers may fall outside).
    fn hours(&self, out: &mut Vec<Block<'a>>) {
        let span = Interval::new(self.window.start, self.window.end + self.dur);
        // An on-site visit's travel rule reads the hours a day wider: read them once for both.
        let own;
        let hours = match self.place {
            Some(_) => self.hours_wide(),
            None => {
                own = self.who.cal.hours(&self.table, span);
                &own
            }
        };
        let mut from = self.window.start;
        for part in hours.within(span) {
            // Starts that keep the booking inside this part: [part.start, part.end - dur].
            let fits = Interval::new(part.start, part.end - self.dur + 1);
            if fits.is_empty() {
                continue;
            }
            self.push(out, Interval::new(from, fits.start), Why::Hours, &[]);
            from = from.max(fits.end);
        }
        self.push(out, Interval::new(from, self.window.end), Why::Hours, &[]);
    }

    /// A booking overlaps no time off.
    fn time_off(&self, out: &mut Vec<Block<'a>>) {
        let span = Interval::new(self.window.start, self.window.end + self.dur);
        for (off, reason) in self.who.cal.time_off_within(&self.table, span) {
            let starts = Interval::new(off.start - self.dur + 1, off.end);
            self.push(out, starts, Why::TimeOff { off, reason }, &[]);
        }
    }

    /// A booking's blocked time (buffers included) overlaps no other booking's, except the seats
    /// of the group session it joins.
    fn overlap(&self, out: &mut Vec<Block<'a>>) {
        let (before, after) = self.service.buffers();
        let dur = self.dur;
        let span = Interval::new(self.window.start - before, self.window.end + dur + after);
        let group = self.service.seats > 1;
        for (blocked, at) in self.co.provider_lane(&self.who.data.id, span, self.now) {
            if Some(at) == self.exclude_at {
                continue;
            }
            let starts = Interval::new(blocked.start - dur - after + 1, blocked.end + before);
            let b = group.then(|| self.co.bookings.at(at));
            let own = b.filter(|b| b.service_id == self.service.id && b.end - b.start == dur);
            let own = own.map(|b| [b.start]);
            let except: &[Instant] = own.as_ref().map_or(&[], |x| x);
            self.push(out, starts, Why::Overlap { at, blocked }, except);
        }
    }

    /// An on-site visit leaves time to drive from the stop before it and on to the next: the
    /// provider's other visits with a place, and their home at the start and end of the day's
    /// shift (first to last working hour of a local day: the dispatch solver's vehicle). Gaps are
    /// between blocked times (buffers are not driving time). What has no place (a call, work in
    /// the shop, a gap in the hours such as lunch, time off) is spent where the provider is, and
    /// the drive comes after it: the solver's model, so that its plans and this rule agree.
    fn travel(&self, out: &mut Vec<Block<'a>>) {
        let Some(here) = self.place else {
            return;
        };
        let (before, after) = self.service.buffers();
        let dur = self.dur;
        let span = Interval::new(self.window.start, self.window.end + dur);
        let skip = |at| Some(at) == self.exclude_at;
        let home = self.who.data.home.as_ref();
        // Each stop's drive serves both ways: the distance is symmetric to the bit (a test in
        // service-dispatch holds it), as the solver's matrix then is.
        let drive = self.co.travel.seconds_from(here);
        let home_drive = home.map_or(0, &drive);
        let hours = self.hours_wide();
        for (shift, stops) in self
            .co
            .day_stops(self.who, &self.table, hours, span, self.now, &skip)
            .iter()
        {
            // Starts that keep the visit inside the shift, within the window.
            let (lo, hi) = (
                shift.start.max(self.window.start),
                (shift.end - dur + 1).min(self.window.end),
            );
            let push = |out: &mut Vec<Block<'a>>, iv: Interval, at, drive, next| {
                let starts = Interval::new(iv.start.max(lo), iv.end.min(hi));
                if !starts.is_empty() {
                    let why = Why::Travel { at, drive, next };
                    out.push(Block { starts, why });
                }
            };
            // The day as legs between stops with a place (home at either end, if any): on each
            // leg, the stops without one between them.
            let first = out.len();
            let mut prev: Option<(Interval, i64, Option<u32>)> =
                home.map(|_| (Interval::new(shift.start, shift.start), home_drive, None));
            let mut from = 0;
            for upto in 0..=stops.len() {
                // The leg's end: the next stop with a place, or home once the stops are done.
                let next = match stops.get(upto) {
                    Some(Stop {
                        blocked,
                        place: Some(p),
                        at,
                    }) => Some((*blocked, drive(p), *at)),
                    Some(_) => continue,
                    None => home.map(|_| (Interval::new(shift.end, shift.end), home_drive, None)),
                };
                let between = stops.get(from..upto).unwrap_or_default();
                from = upto + 1;
                // Buffers are not driving time: the visit's blocked time (buffers included)
                // starts after the drive and ends before the next. Starts whose buffer would
                // overlap a booking are that booking's overlap already; those whose buffer would
                // fall on home or on what has no place (the hours let buffers out) are blocked
                // here, from the stop's very end (or up to its very start).
                let pad = |at: Option<u32>, b: i64| if at.is_some() { b } else { 0 };
                let start = prev.map_or(shift.start, |p| p.0.end + pad(p.2, before));
                // Arriving: the drive from the stop before starts when it ends, or after the
                // last stop without a place before the visit.
                if let Some((p, d, at)) = prev {
                    let a = p.end + pad(at, before);
                    push(out, Interval::new(a, p.end + before + d), at, d, false);
                    for m in between {
                        let a = m.blocked.end + pad(m.at, before);
                        push(
                            out,
                            Interval::new(a, m.blocked.end + before + d),
                            at,
                            d,
                            false,
                        );
                    }
                }
                // Leaving: on to the next stop after the visit, or after the stops without a
                // place that follow it (then a visit before them cannot make it at all).
                if let Some((n, d, at)) = next {
                    if let Some(m) = between.last().filter(|m| m.blocked.end + d > n.start) {
                        let to = m.blocked.start - dur - pad(m.at, after) + 1;
                        push(out, Interval::new(start, to), at, d, true);
                    }
                    let late = n.start - d - dur - after + 1;
                    push(
                        out,
                        Interval::new(late, n.start - dur - pad(at, after) + 1),
                        at,
                        d,
                        true,
                    );
                }
                prev = next;
            }
            // The legs come in the day's order and each block lies in its shift, so a nearly
            // ordered day's worth sorted puts the rule's blocks in one ascending run:
            // `open_starts` subtracts each run in one pass.
            let day = out.get_mut(first..).unwrap_or_default();
            crate::base::sort::sort_nearly_by_key(day, |b| b.starts.start);
        }
    }

    /// A group session has a seat for every client the proposal brings.
    fn seats(&self, out: &mut Vec<Block<'a>>) {
        if self.service.seats > 1 && self.seats > self.service.seats {
            let joins: Vec<Instant> = self.sessions.iter().map(|x| x.start).collect();
            self.push(out, self.window, Why::Seats { taken: 0 }, &joins);
        }
        for x in &self.sessions {
            if x.taken + self.seats > self.service.seats {
                let starts = Interval::new(x.start, x.start + 1);
                self.push(out, starts, Why::Seats { taken: x.taken }, &[]);
            }
        }
    }

    /// A provider takes at most its daily cap of sessions on a local day (joining one is free).
    fn daily_cap(&self, out: &mut Vec<Block<'a>>) {
        let Some(cap) = self.who.data.daily_cap else {
            return;
        };
        let t = &self.table;
        let joins: Vec<Instant> = self.sessions.iter().map(|x| x.start).collect();
        let (first, last) = (
            t.local_day(self.window.start),
            t.local_day(self.window.end - 1),
        );
        for day in (first.days()..=last.days()).map(crate::time::Day::from_days) {
            let day_iv = Interval::new(t.resolve(day.start()), t.resolve((day + 1).start()));
            if self
                .co
                .sessions_on_day(&self.who.data.id, t, day_iv.start, self.exclude, self.now)
                >= cap as usize
            {
                self.push(out, day_iv, Why::DailyCap { cap }, &joins);
            }
        }
    }

    /// The resources a booking at `t` would use, and what stops it having them: a new seat in a
    /// group session shares the session's; otherwise units are assigned per kind, the requested
    /// ones (if any) or those the booking already has first, then the rest by id.
    pub fn resources(
        &self,
        t: Instant,
        requested: Option<&'a [ResourceUse]>,
        prefer: &[ResourceUse],
        out: &mut Vec<Why<'a>>,
    ) -> Vec<ResourceUse> {
        if let Some(x) = self.session_at(t) {
            return x.booking.resources.clone();
        }
        let co = self.co;
        let (before, after) = self.service.buffers();
        let window = Interval::new(t - before, t + self.dur + after);
        let mut uses = Vec::new();
        if let Some(requested) = requested {
            for (i, u) in requested.iter().enumerate() {
                if requested
                    .iter()
                    .take(i)
                    .any(|o| o.resource_id == u.resource_id)
                {
                    out.push(Why::ResourceTwice(&u.resource_id));
                    continue;
                }
                match co.resources.get(&u.resource_id) {
                    None => out.push(Why::ResourceUnknown(&u.resource_id)),
                    Some(r)
                        if !self
                            .service
                            .required_resources
                            .iter()
                            .any(|n| n.kind == r.data.kind) =>
                    {
                        out.push(Why::ResourceKind(&r.data))
                    }
                    Some(_) => {}
                }
            }
        }
        for need in &self.service.required_resources {
            let mut left = need.quantity;
            let mut short = Vec::new();
            let candidates: Vec<(&'a str, u32)> = match requested {
                Some(requested) => requested
                    .iter()
                    .filter(|u| {
                        co.resources
                            .get(&u.resource_id)
                            .is_some_and(|r| r.data.kind == need.kind)
                    })
                    .map(|u| (u.resource_id.as_str(), u.quantity))
                    .collect(),
                None => {
                    let of_kind = || {
                        co.resources
                            .values()
                            .filter(|r| r.data.kind == need.kind && self.may_use(&r.data))
                            .map(|r| r.data.id.as_str())
                    };
                    let kept = |id: &str| prefer.iter().any(|u| u.resource_id == id);
                    of_kind()
                        .filter(|id| kept(id))
                        .chain(of_kind().filter(|id| !kept(id)))
                        .map(|id| (id, u32::MAX))
                        .collect()
                }
            };
            for (id, want) in candidates {
                if left == 0 {
                    break;
                }
                // Another provider's van is never free for this one.
                let theirs = co.resources.get(id).is_some_and(|r| !self.may_use(&r.data));
                let free = if theirs {
                    0
                } else {
                    co.resource_free(id, window, self.exclude, self.now)
                };
                let take = free.min(left).min(want);
                if requested.is_some() && take < want.min(left) {
                    short.push(id);
                }
                if take > 0 {
                    uses.push(ResourceUse {
                        resource_id: id.to_string(),
                        quantity: take,
                    });
                    left -= take;
                }
            }
            if left > 0 || !short.is_empty() {
                out.push(Why::ResourceShort { need, left, short });
            }
        }
        uses
    }

    /// Whether this provider may use `r`: it is pooled, or it is theirs.
    fn may_use(&self, r: &Resource) -> bool {
        r.provider_id
            .as_ref()
            .is_none_or(|p| *p == self.who.data.id)
    }

    /// Whether the service's resources can be had for a booking at `t` (nothing requested).
    pub fn resources_free(&self, t: Instant) -> bool {
        if self.service.required_resources.is_empty() || self.session_at(t).is_some() {
            return true;
        }
        let mut why = Vec::new();
        self.resources(t, None, &[], &mut why);
        why.is_empty()
    }

    /// Every rule a booking at `t` breaks, structured, and the resources it would use.
    pub fn at(
        &self,
        t: Instant,
        requested: Option<&'a [ResourceUse]>,
        prefer: &[ResourceUse],
    ) -> (Vec<Why<'a>>, Vec<ResourceUse>) {
        let mut blocks = Vec::new();
        self.blocks(&mut blocks);
        let mut why: Vec<Why<'a>> = blocks
            .into_iter()
            .filter(|b| b.starts.start <= t && t < b.starts.end)
            .map(|b| b.why)
            .collect();
        let uses = self.resources(t, requested, prefer, &mut why);
        (why, uses)
    }

    /// The sentence for a reason, for a booking at `t` (made only when it leaves the engine).
    pub fn violation(&self, why: &Why, t: Instant) -> Violation {
        let (s, who) = (self.service, &self.who.data);
        let iv = Interval::new(t, t + self.dur);
        let (before, after) = s.buffers();
        let ids = |more: &[&str]| -> Vec<String> { more.iter().map(|x| x.to_string()).collect() };
        let (message, ids) = match why {
            Why::Skills => {
                let missing: Vec<&str> = s
                    .required_skills
                    .iter()
                    .filter(|k| !who.skills.contains(k))
                    .map(String::as_str)
                    .collect();
                let mut all = vec![who.id.as_str()];
                all.extend(&missing);
                (
                    format!(
                        "{} lacks {} that {} requires",
                        clip(&who.name),
                        missing.join(", "),
                        clip(&s.name)
                    ),
                    ids(&all),
                )
            }
            Why::Notice { earliest } => (
                if *earliest == self.now {
                    format!(
                        "{} would start at {}, which has passed",
                        clip(&s.name),
                        format_utc(t)
                    )
                } else {
                    format!(
                        "{} needs {} minutes' notice; the earliest start now is {}",
                        clip(&s.name),
                        s.min_notice_minutes,
                        format_utc(*earliest)
                    )
                },
                ids(&[&s.id]),
            ),
            Why::Horizon { latest } => (
                format!(
                    "{} can be booked at most {} days ahead, until {}",
                    clip(&s.name),
                    s.horizon_days.unwrap_or(0),
                    format_utc(*latest)
                ),
                ids(&[&s.id]),
            ),
            Why::Hours => (
                format!(
                    "{} from {} is outside {}'s working hours ({})",
                    clip(&s.name),
                    when(iv),
                    clip(&who.name),
                    who.time_zone
                ),
                ids(&[&who.id]),
            ),
            Why::TimeOff { off, reason } => {
                let why = reason
                    .map(|r| format!(" ({})", clip(r)))
                    .unwrap_or_default();
                (
                    format!("{} is off from {}{why}", clip(&who.name), when(*off)),
                    ids(&[&who.id]),
                )
            }
            Why::Overlap { at, blocked } => {
                let b = self.co.bookings.at(*at);
                (
                    format!(
                        "{} already has booking {} from {} (buffers included)",
                        clip(&who.name),
                        clip(&b.id),
                        when(*blocked)
                    ),
                    ids(&[&b.id, &who.id]),
                )
            }
            Why::Travel { at, drive, next } => {
                let minutes = (drive + 59) / 60;
                let (what, mut all) = match at {
                    Some(at) => {
                        let b = self.co.bookings.at(*at);
                        (format!("booking {}", clip(&b.id)), ids(&[&b.id]))
                    }
                    None => ("home".to_string(), Vec::new()),
                };
                all.push(who.id.clone());
                let way = if *next {
                    format!("from {} at {} on to {what}", clip(&s.name), format_utc(t))
                } else {
                    format!("from {what} to {} at {}", clip(&s.name), format_utc(t))
                };
                (
                    format!(
                        "{} needs {minutes} minutes to drive {way}, and the time between is shorter (buffers not counted)",
                        clip(&who.name)
                    ),
                    all,
                )
            }
            Why::Seats { taken } => (
                format!(
                    "the {} session at {} has {} of {} seats left; {} asked for",
                    clip(&s.name),
                    format_utc(t),
                    s.seats.saturating_sub(*taken),
                    s.seats,
                    self.seats
                ),
                ids(&[&s.id, &who.id]),
            ),
            Why::DailyCap { cap } => (
                format!(
                    "{} already has the daily maximum of {cap} bookings that day",
                    clip(&who.name)
                ),
                ids(&[&who.id]),
            ),
            Why::ResourceTwice(id) => (
                format!(
                    "resource `{}` is listed twice; give its quantity once",
                    clip(id)
                ),
                ids(&[id]),
            ),
            Why::ResourceUnknown(id) => (
                format!("there is no resource with id `{}`", clip(id)),
                ids(&[id]),
            ),
            Why::ResourceKind(r) => (
                format!(
                    "resource `{}` is a {}, which service `{}` does not use",
                    clip(&r.id),
                    clip(&r.kind),
                    clip(&s.id)
                ),
                ids(&[&r.id]),
            ),
            Why::ResourceShort { need, left, short } => {
                let mut all = vec![need.kind.as_str()];
                all.extend(short);
                (
                    format!(
                        "service `{}` needs {} {} from {}, and {} of them cannot be had then",
                        clip(&s.id),
                        need.quantity,
                        clip(&need.kind),
                        when(Interval::new(t - before, t + self.dur + after)),
                        (*left).max(1)
                    ),
                    ids(&all),
                )
            }
        };
        let mut v = Violation::new(why.code(), message, ids);
        v.facts = self.facts(why, t);
        v
    }

    /// What the sentence names, for a viewer to say it in their language and zone: always the
    /// service, the provider and the booking's time, then what the rule adds.
    fn facts(&self, why: &Why, t: Instant) -> Vec<(&'static str, Fact)> {
        let (s, who) = (self.service, &self.who.data);
        let text = |t: &str| Fact::Text(clip(t));
        let at = |t: Instant| Fact::At(t.secs());
        let mut f = vec![
            ("service", text(&s.name)),
            ("provider", text(&who.name)),
            ("start", at(t)),
            ("end", at(t + self.dur)),
        ];
        let booking = |at: u32| text(&self.co.bookings.at(at).id);
        match why {
            Why::Skills => f.push((
                "skills",
                Fact::Texts(
                    s.required_skills
                        .iter()
                        .filter(|k| !who.skills.contains(k))
                        .map(|k| clip(k))
                        .collect(),
                ),
            )),
            Why::Notice { earliest } => {
                f.push(("minutes", Fact::Number(s.min_notice_minutes.into())));
                f.push(("earliest", at(*earliest)));
            }
            Why::Horizon { latest } => {
                f.push(("days", Fact::Number(s.horizon_days.unwrap_or(0).into())));
                f.push(("latest", at(*latest)));
            }
            Why::Hours => f.push(("zone", text(&who.time_zone))),
            Why::TimeOff { off, reason } => {
                f.push(("from", at(off.start)));
                f.push(("to", at(off.end)));
                if let Some(r) = reason {
                    f.push(("reason", text(r)));
                }
            }
            Why::Overlap { at: b, blocked } => {
                f.push(("booking", booking(*b)));
                f.push(("from", at(blocked.start)));
                f.push(("to", at(blocked.end)));
            }
            Why::Travel { at: b, drive, next } => {
                f.push(("minutes", Fact::Number((drive + 59) / 60)));
                if let Some(b) = b {
                    f.push(("booking", booking(*b)));
                }
                f.push(("next", Fact::Number(i64::from(*next))));
            }
            Why::Seats { taken } => {
                f.push(("seats", Fact::Number(s.seats.into())));
                f.push(("left", Fact::Number(s.seats.saturating_sub(*taken).into())));
                f.push(("asked", Fact::Number(self.seats.into())));
            }
            Why::DailyCap { cap } => f.push(("cap", Fact::Number((*cap).into()))),
            Why::ResourceTwice(id) | Why::ResourceUnknown(id) => f.push(("resource", text(id))),
            Why::ResourceKind(r) => {
                f.push(("resource", text(&r.name)));
                f.push(("kind", text(&r.kind)));
            }
            Why::ResourceShort { need, left, .. } => {
                f.push(("kind", text(&need.kind)));
                f.push(("quantity", Fact::Number(need.quantity.into())));
                f.push(("short", Fact::Number((*left).max(1).into())));
            }
        }
        f
    }
}

/// Whether `who` has every skill `s` requires (the skills rule; callers that pick providers use
/// it to pass over the unqualified before asking anything else).
pub(crate) fn qualified(who: &Provider, s: &Service) -> bool {
    s.required_skills.iter().all(|k| who.skills.contains(k))
}

pub(crate) fn when(iv: Interval) -> String {
    format!("{} to {}", format_utc(iv.start), format_utc(iv.end))
}

/// One stop of a provider's day as the travel rule and the dispatch problem see it: a booking
/// (`at`) or a stretch the provider is not free (a gap in the hours, time off), with its place
/// if it has one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stop<'a> {
    pub blocked: Interval,
    pub place: Option<&'a Location>,
    pub at: Option<u32>,
}

/// A provider's shifts, each with its stops in order: what [`Coordinator::day_stops`] reads.
/// The stops of every shift share one list.
pub(crate) struct Days<'a> {
    stops: Vec<Stop<'a>>,
    /// Each shift, and where its stops are in `stops`.
    shifts: Vec<(Interval, usize, usize)>,
}

impl<'a> Days<'a> {
    pub fn iter(&self) -> impl Iterator<Item = (Interval, &[Stop<'a>])> + '_ {
        let stops = &self.stops;
        self.shifts
            .iter()
            .map(move |&(shift, a, b)| (shift, stops.get(a..b).unwrap_or_default()))
    }
}

impl Coordinator {
    /// A provider's shifts over `span` (per local day, the first working hour to the last), each
    /// with its stops in order: bookings holding time (but those `skip` names, by position), gaps
    /// in the hours and time off; what has no place at either end of a shift is spent at home,
    /// outside it (a shift wholly so is no shift). `hours` are the working hours from a day
    /// before `span` to a day after it (whole stretches, not cut at the span). The one reading of
    /// a day that the travel rule and the dispatch problem share. The travel rule reads it for
    /// every provider on every availability query, so it reads the lane and the time off once
    /// for all shifts and fills one list.
    pub(crate) fn day_stops<'a>(
        &'a self,
        who: &'a ProviderEntry,
        table: &Table,
        hours: &IntervalSet,
        span: Interval,
        now: Instant,
        skip: &dyn Fn(u32) -> bool,
    ) -> Days<'a> {
        let parts = hours.parts();
        // Shifts overlapping the span, with the working hours each is made of. The parts come
        // in order: a cursor reads their days without searching the table each time.
        let mut shifts: Vec<(Interval, &[Interval])> = Vec::new();
        let mut i = 0;
        let mut cursor = table.cursor();
        let mut day = parts.first().map(|p| cursor.local_day(p.start));
        while let Some(first) = parts.get(i) {
            let mut j = i + 1;
            let mut next = None;
            while let Some(p) = parts.get(j) {
                let d = cursor.local_day(p.start);
                if Some(d) != day {
                    next = Some(d);
                    break;
                }
                j += 1;
            }
            day = next;
            let group = parts.get(i..j).unwrap_or_default();
            i = j;
            let shift = Interval::new(first.start, group.last().map_or(first.end, |p| p.end));
            if shift.overlaps(&span) {
                shifts.push((shift, group));
            }
        }
        let mut days = Days {
            stops: Vec::new(),
            shifts: Vec::with_capacity(shifts.len()),
        };
        let (Some(first), Some(last)) = (shifts.first(), shifts.last()) else {
            return days;
        };
        let lane = self.provider_lanes.get(&who.data.id);
        let off = who
            .cal
            .time_off_in(table, Interval::new(first.0.start, last.0.end));
        let off = off.parts();
        let mut o = 0;
        let mut away: Vec<Interval> = Vec::new();
        for (shift, group) in shifts {
            let from = days.stops.len();
            // Bookings, by blocked start (the seats of a group session are one stop).
            for (blocked, at) in self.holding(lane, shift, now) {
                let last = days.stops.get(from..).and_then(<[Stop]>::last);
                if !skip(at) && last.is_none_or(|x| x.blocked != blocked) {
                    let place = self.bookings.at(at).location();
                    let at = Some(at);
                    days.stops.push(Stop { blocked, place, at });
                }
            }
            let booked = days.stops.len();
            // Gaps in the hours and time off (sorted and disjoint: `o` only moves on), in the
            // shift and merged.
            away.clear();
            away.extend(group.windows(2).filter_map(|w| match w {
                [a, b] => Some(Interval::new(a.end, b.start)),
                _ => None,
            }));
            while off.get(o).is_some_and(|x| x.end <= shift.start) {
                o += 1;
            }
            let clip = |x: &Interval| Interval::new(x.start.max(shift.start), x.end.min(shift.end));
            let within = off.get(o..).unwrap_or_default().iter();
            away.extend(within.take_while(|x| x.start < shift.end).map(clip));
            crate::base::sort::sort_nearly_by_key(&mut away, |x| x.start);
            away.dedup_by(|next, kept| {
                let joins = next.start <= kept.end;
                if joins {
                    kept.end = kept.end.max(next.end);
                }
                joins
            });
            // Less what bookings hold (a booking's buffer may run into lunch): the stops never
            // overlap. The bookings are by start, so each stretch is cut in one pass.
            for a in &away {
                let mut start = a.start;
                let mut k = from;
                while let Some(held) = days.stops.get(k).filter(|_| k < booked).map(|b| b.blocked) {
                    k += 1;
                    if held.start >= a.end {
                        break;
                    }
                    if held.end <= start {
                        continue;
                    }
                    if held.start > start {
                        let blocked = Interval::new(start, held.start);
                        days.stops.push(Stop {
                            blocked,
                            place: None,
                            at: None,
                        });
                    }
                    start = start.max(held.end);
                }
                if start < a.end {
                    let blocked = Interval::new(start, a.end);
                    days.stops.push(Stop {
                        blocked,
                        place: None,
                        at: None,
                    });
                }
            }
            let day = days.stops.get_mut(from..).unwrap_or_default();
            crate::base::sort::sort_nearly_by_key(day, |x| x.blocked.start);
            // What has no place at either end of the shift (time off for the afternoon, a call
            // to end the day) is spent at home: the shift ends where it starts (and starts where
            // it ends), or a morning's visits would owe a drive home after the afternoon off.
            let (mut a, mut b) = (from, days.stops.len());
            let mut shift = shift;
            while let Some(x) = days.stops.get(a).filter(|x| a < b && x.place.is_none()) {
                if x.blocked.start > shift.start {
                    break;
                }
                shift.start = shift.start.max(x.blocked.end);
                a += 1;
            }
            while let Some(x) = days
                .stops
                .get(b.wrapping_sub(1))
                .filter(|x| a < b && x.place.is_none())
            {
                if x.blocked.end < shift.end {
                    break;
                }
                shift.end = shift.end.min(x.blocked.start);
                b -= 1;
            }
            if shift.start < shift.end {
                days.shifts.push((shift, a, b));
            }
        }
        days
    }

    /// Distinct sessions holding `provider`'s time that start on the local day of `t`.
    pub(crate) fn sessions_on_day(
        &self,
        provider: &str,
        zone_table: &Table,
        t: Instant,
        exclude: Option<&str>,
        now: Instant,
    ) -> usize {
        let day = zone_table.local_day(t);
        let day_iv = Interval::new(
            zone_table.resolve(day.start()),
            zone_table.resolve((day + 1).start()),
        );
        let mut seen: Vec<&Booking> = Vec::new();
        for b in self.provider_bookings(provider, day_iv, now) {
            if Some(&*b.id) == exclude || b.start < day_iv.start || b.start >= day_iv.end {
                continue;
            }
            if !seen.iter().any(|s| same_session(s, b)) {
                seen.push(b);
            }
        }
        seen.len()
    }

    /// How much of `resource` is free over all of `window` (0 when closed or out of service).
    pub(crate) fn resource_free(
        &self,
        resource: &str,
        window: Interval,
        exclude: Option<&str>,
        now: Instant,
    ) -> u32 {
        let Some(entry) = self.resources.get(resource) else {
            return 0;
        };
        let Ok(table) = self.zones.table(&entry.cal.zone, window.start, window.end) else {
            return 0;
        };
        if !entry.cal.working(&table, window).covers(&window) {
            return 0;
        }
        // Peak concurrent use within the window; a group session's seats share one allocation.
        // The uses overlapping one window are few: the peak is at one of their starts.
        let mut uses: Vec<(Interval, i64, &Booking)> = Vec::new();
        for b in self.resource_bookings(resource, window, now) {
            if Some(&*b.id) == exclude {
                continue;
            }
            let q = i64::from(
                b.resources
                    .iter()
                    .filter(|u| u.resource_id == resource)
                    .map(|u| u.quantity)
                    .sum::<u32>(),
            );
            match uses.iter_mut().find(|(_, _, s)| same_session(s, b)) {
                Some(u) => u.1 = u.1.max(q),
                None => uses.push((b.blocked(), q, b)),
            }
        }
        // Units out of service count as used.
        let out_of_service: Vec<(Interval, i64)> = entry
            .cal
            .partial
            .iter()
            .filter(|(iv, _)| iv.overlaps(&window))
            .map(|&(iv, q)| (iv, i64::from(q)))
            .collect();
        let peak = uses
            .iter()
            .map(|(iv, q, _)| (*iv, *q))
            .chain(out_of_service.iter().copied())
            .collect::<Vec<_>>();
        let peak = peak
            .iter()
            .map(|(iv, _)| iv.start.max(window.start))
            .map(|t| {
                peak.iter()
                    .filter(|(iv, _)| iv.start <= t && t < iv.end)
                    .map(|u| u.1)
                    .sum::<i64>()
            })
            .max()
            .unwrap_or(0);
        (i64::from(entry.data.quantity) - peak).max(0) as u32
    }
}

/// The starts of `window` that no block covers. Each rule adds its blocks in order, so the list
/// is a few ascending runs: each run is subtracted in one linear pass, with no sort.
pub(crate) fn open_starts(window: Interval, blocks: &[Block]) -> IntervalSet {
    let mut open = IntervalSet::single(window);
    let mut from = 0;
    for (i, w) in blocks.windows(2).enumerate() {
        if let [a, b] = w {
            if a.starts.start > b.starts.start {
                let run = blocks.get(from..=i).unwrap_or_default();
                open = open.subtract_run(run, |b| b.starts);
                from = i + 1;
            }
        }
    }
    open.subtract_run(blocks.get(from..).unwrap_or_default(), |b| b.starts)
}
