//! Recurring bookings: a weekly therapy session for twelve weeks, a quarterly maintenance visit.
//!
//! Every occurrence is validated, together with the ones before it (on a copy of the state, so
//! two occurrences, or a daily cap, cannot collide unseen), and the answer lists per occurrence
//! whether it can be booked, what breaks, and alternatives for the ones that cannot. A series
//! books all-or-nothing, or only the bookable occurrences on request. Each occurrence is an
//! ordinary booking with `seriesId` and `recurrenceId` (the start the rule gave it, its
//! RECURRENCE-ID), so moving or cancelling one occurrence keeps its identity; whole-series and
//! this-and-following changes are atomic.

use crate::base::error::clip;
use crate::base::error::{Code, Error, Result, Violation};
use crate::json::{Fields, FromJson, JResult, Json, ToJson, Writer};
use crate::model::{Booking, BookingRequest, Reschedule, Series, Status, WriteOptions};
use crate::planning::alternatives::{Alternative, AlternativesQuery};
use crate::state::Coordinator;
use crate::time::rrule::{expand, ExpandQuery};
use crate::time::{format_utc, Instant, When, MINUTE};

/// A series to check or book: the first occurrence as a booking request, and its RRULE.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SeriesRequest {
    pub request: BookingRequest,
    pub rrule: String,
    /// Book only the occurrences that pass (default: all or nothing).
    pub bookable_only: bool,
    /// Alternatives offered for each occurrence that cannot be booked (0 to 10, default 3).
    pub alternatives: u32,
}

/// One occurrence's verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct Occurrence {
    pub start: Instant,
    pub end: Instant,
    pub violations: Vec<Violation>,
    pub alternatives: Vec<Alternative>,
    pub booking_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SeriesResult {
    pub series_id: String,
    pub occurrences: Vec<Occurrence>,
}

/// Which occurrences a series change touches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SeriesChange {
    /// `all`, or `this_and_following` (from `from`, an occurrence's recurrence id).
    pub scope: String,
    pub from: Option<When>,
    /// Moves each occurrence by this many minutes (reschedule only).
    pub shift_minutes: Option<i64>,
    pub provider_id: Option<String>,
    pub reason: Option<String>,
}

/// The most occurrences one series may have.
const MAX_OCCURRENCES: u32 = 520;
/// How far `rescheduleSeries` may shift occurrences: a year either way.
const MAX_SHIFT_MINUTES: i64 = 366 * 24 * 60;

impl FromJson for SeriesRequest {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = SeriesRequest {
            request: f.req("request"),
            rrule: f.req("rrule"),
            bookable_only: f.or("bookableOnly", false),
            alternatives: f.or("alternatives", 3),
        };
        f.end().map(|_| r)
    }
}

impl FromJson for SeriesChange {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = SeriesChange {
            scope: f.or("scope", "all".to_string()),
            from: f.opt("from"),
            shift_minutes: f.opt::<i32>("shiftMinutes").map(i64::from),
            provider_id: f.opt("providerId"),
            reason: f.opt("reason"),
        };
        f.end().map(|_| r)
    }
}

impl ToJson for Occurrence {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.time("start", self.start);
        w.time("end", self.end);
        w.field("ok", &self.violations.is_empty());
        w.field("violations", &self.violations);
        w.field("alternatives", &self.alternatives);
        w.opt("bookingId", &self.booking_id);
        w.end_obj();
    }
}

impl ToJson for SeriesResult {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        // A check made nothing: it names no series (nor bookings: see `check_series`).
        if !self.series_id.is_empty() {
            w.field("seriesId", &self.series_id);
        }
        w.field("occurrences", &self.occurrences);
        w.end_obj();
    }
}

impl Coordinator {
    /// Every occurrence of a series, checked together (books nothing). The trial's series and
    /// booking ids are left out: they name nothing that exists.
    pub fn check_series(&mut self, s: &SeriesRequest, now: Instant) -> Result<SeriesResult> {
        let mut r = self.on_trial(|trial| trial.run_series(s, now))?;
        r.series_id.clear();
        for o in &mut r.occurrences {
            o.booking_id = None;
        }
        Ok(r)
    }

    /// Books a series: all or nothing, or (with `bookable_only`) the occurrences that pass.
    pub fn book_series(&mut self, s: &SeriesRequest, now: Instant) -> Result<SeriesResult> {
        self.all_or_nothing(|trial| trial.book_series_on(s, now))
    }

    fn book_series_on(&mut self, s: &SeriesRequest, now: Instant) -> Result<SeriesResult> {
        let result = self.run_series(s, now)?;
        let failed: Vec<Violation> = result
            .occurrences
            .iter()
            .filter_map(|o| Some((o, o.violations.first()?)))
            .map(|(o, first)| {
                Violation::new(
                    first.code,
                    format!(
                        "the occurrence at {}: {}",
                        format_utc(o.start),
                        first.message
                    ),
                    first.ids.clone(),
                )
            })
            .collect();
        if !failed.is_empty() && !s.bookable_only {
            return Err(Error::from_violations(failed));
        }
        if result.occurrences.iter().all(|o| o.booking_id.is_none()) {
            return Err(Error::from_violations(failed));
        }
        Ok(result)
    }

    /// Checks (and on this copy books) each occurrence in turn.
    fn run_series(&mut self, s: &SeriesRequest, now: Instant) -> Result<SeriesResult> {
        if s.alternatives > 10 {
            return Err(Error::input("alternatives must be 0 to 10"));
        }
        if s.request.end.is_some() || s.request.id.is_some() {
            return Err(Error::input(
                "a series takes neither `end` nor `id` (occurrences last the service's duration)",
            ));
        }
        let zone = s
            .request
            .time_zone
            .clone()
            .unwrap_or_else(|| self.time_zone.clone());
        let rule = crate::time::rrule::Rule::parse(&s.rrule)?;
        if rule.count.is_none() && rule.until.is_none() {
            return Err(Error::new(
                Code::InvalidRule,
                "a series of bookings needs COUNT or UNTIL",
            ));
        }
        let starts = expand(
            &self.zones,
            &zone,
            &ExpandQuery {
                rrule: s.rrule.clone(),
                dtstart: s.request.start,
                limit: Some(MAX_OCCURRENCES + 1),
                ..Default::default()
            },
        )?;
        if starts.is_empty() {
            return Err(Error::new(
                Code::InvalidRule,
                format!(
                    "the rule gives no occurrence from {} (is UNTIL before the start?)",
                    s.request.start
                ),
            ));
        }
        if starts.len() > MAX_OCCURRENCES as usize {
            return Err(Error::new(
                Code::RangeTooLarge,
                format!("a series may have at most {MAX_OCCURRENCES} occurrences"),
            ));
        }
        let series_id = self.fresh_id("sr");
        self.claim(&series_id);
        let first = starts.first().copied().unwrap_or_default();
        let dtstart = When::Wall(first.wall(self.zones.offset_at(&zone, first)?));
        let series = Series {
            id: series_id.clone(),
            rrule: s.rrule.clone(),
            dtstart,
            time_zone: zone.clone(),
            service_id: s.request.service_id.clone(),
        };
        self.series.upsert(series.clone());
        self.record(
            "series",
            &series_id,
            None,
            Some(crate::state::Record::Series(series)),
        );
        let mut occurrences = Vec::with_capacity(starts.len());
        for t in starts {
            let req = BookingRequest {
                start: When::utc(t),
                time_zone: None,
                series: Some((series_id.clone(), t)),
                ..s.request.clone()
            };
            let checked = self.check(&req, now)?;
            let mut o = Occurrence {
                start: checked.start,
                end: checked.end,
                violations: checked.violations,
                alternatives: Vec::new(),
                booking_id: None,
            };
            if o.violations.is_empty() {
                o.booking_id = Some(self.create(req, None, now)?.id.to_string());
            } else if s.alternatives > 0 {
                let q = AlternativesQuery {
                    request: req,
                    limit: s.alternatives,
                    search_days: 3,
                    ..Default::default()
                };
                o.alternatives = self.alternatives(&q, now).unwrap_or_default();
            }
            occurrences.push(o);
        }
        Ok(SeriesResult {
            series_id,
            occurrences,
        })
    }

    /// The occurrences of a series a change touches, by recurrence id.
    fn series_targets(&self, series_id: &str, c: &SeriesChange) -> Result<Vec<Booking>> {
        let from = match (c.scope.as_str(), &c.from) {
            ("all", _) => None,
            ("this_and_following", Some(t)) => Some(self.zones.instant(&self.time_zone, *t)?),
            ("this_and_following", None) => return Err(Error::input("this_and_following needs `from`: the first occurrence's recurrenceId")),
            (other, _) => return Err(Error::input(format!("scope `{}` is not all or this_and_following (use reschedule or cancel for one occurrence)", clip(other)))),
        };
        let mut targets: Vec<Booking> = self
            .bookings
            .values()
            .filter(|b| {
                b.series_id() == Some(series_id)
                    && matches!(b.status, Status::Tentative | Status::Confirmed)
            })
            .filter(|b| from.is_none_or(|f| b.recurrence_id().unwrap_or(b.start) >= f))
            .cloned()
            .collect();
        if targets.is_empty()
            && !self
                .bookings
                .values()
                .any(|b| b.series_id() == Some(series_id))
        {
            return Err(Error::unknown("series", series_id));
        }
        crate::base::sort::sort_by_key(&mut targets, |b| {
            crate::state::pack(b.start, self.bookings.position(&b.id).unwrap_or(0))
        });
        Ok(targets)
    }

    /// Cancels every targeted occurrence of a series, atomically.
    pub fn cancel_series(
        &mut self,
        series_id: &str,
        c: &SeriesChange,
        now: Instant,
    ) -> Result<Vec<Booking>> {
        let targets = self.series_targets(series_id, c)?;
        self.all_or_nothing(|trial| {
            let options = || WriteOptions {
                reason: c.reason.clone(),
                ..Default::default()
            };
            targets
                .iter()
                .map(|b| trial.cancel(&b.id, options(), now))
                .collect()
        })
    }

    /// Moves every targeted occurrence (by `shiftMinutes`, and/or to `providerId`), atomically:
    /// if one cannot move, none does.
    pub fn reschedule_series(
        &mut self,
        series_id: &str,
        c: &SeriesChange,
        now: Instant,
    ) -> Result<Vec<Booking>> {
        if c.shift_minutes.is_none() && c.provider_id.is_none() {
            return Err(Error::input(
                "say how to change the series: shiftMinutes and/or providerId",
            ));
        }
        let shift = c.shift_minutes.unwrap_or(0);
        if shift.abs() > MAX_SHIFT_MINUTES {
            return Err(Error::new(
                Code::InvalidDuration,
                format!("shiftMinutes must be within ±{MAX_SHIFT_MINUTES} (a year)"),
            ));
        }
        let shift = shift * MINUTE;
        let targets = self.series_targets(series_id, c)?;
        self.all_or_nothing(|sim| sim.shift_series(targets, shift, c, now))
    }

    fn shift_series(
        &mut self,
        targets: Vec<Booking>,
        shift: i64,
        c: &SeriesChange,
        now: Instant,
    ) -> Result<Vec<Booking>> {
        let sim = self;
        // Step all of them aside first, so the moved ones never meet the old places of the others.
        for b in &targets {
            sim.store(Booking {
                status: Status::Cancelled,
                ..b.clone()
            });
        }
        let mut out = Vec::new();
        for b in targets {
            sim.store(b.clone());
            let ch = Reschedule {
                start: Some(When::utc(b.start + shift)),
                provider_id: c.provider_id.clone(),
                reason: c.reason.clone(),
                ..Default::default()
            };
            out.push(sim.reschedule(&b.id, ch, now).map_err(|e| {
                Error::from_violations(
                    e.details
                        .into_iter()
                        .map(|v| {
                            Violation::new(
                                v.code,
                                format!("the occurrence at {}: {}", format_utc(b.start), v.message),
                                v.ids,
                            )
                        })
                        .collect(),
                )
            })?);
        }
        Ok(out)
    }
}
