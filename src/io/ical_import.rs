//! iCalendar import (RFC 5545, RFC 7953): a provider's own calendar becomes busy time (VEVENT,
//! VFREEBUSY) and working hours (VAVAILABILITY).
//!
//! Calendars arrive from Google, Outlook, Apple, Thunderbird, Android apps and other booking
//! systems, each with its habits. The file is refused, with its line, only when it cannot be
//! trusted as a whole: a line that is not a content line, a component never closed, an END that
//! closes an outer component while an inner one is open, or a bound passed (`TOO_LARGE`,
//! `TOO_MANY_INSTANCES`: a cut calendar would show the provider free where they are busy).
//! Otherwise each event stands alone: one that cannot be read is left out and reported (line, UID,
//! reason code, sentence) and the rest are imported; `strict` refuses the file instead.
//!
//! Read as the writer meant: bare components without VCALENDAR (as RFC 7953's examples are
//! written); floating times in the zone of DTSTART, else the provider's; RDATE periods; quoted
//! parameter values with `:`, `;` or `,`, and several values in one parameter; group prefixes
//! (`GROUP1.X-TEST`); TZIDs defined in the file, IANA names, globally unique names
//! (`/mozilla.org/20050126_1/Europe/Berlin`) and Windows names without a VTIMEZONE (`W. Europe
//! Standard Time`, mapped by CLDR's table); an END with a misspelt name closes the component it
//! ends (noted). Lines the import does not read (X- properties, attendees, descriptions) are
//! passed over unparsed unless the import is strict, and never a reason to leave an event out.
//! The syntax itself is the `service-ical` crate's.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::base::error::{clip, Code, Error, Result, Violation};
use crate::json::{Fields, FromJson, JResult, Json, ToJson, Writer};
use crate::model::{DateOverride, HoursRange, TimeOff};
use crate::state::Coordinator;
use crate::time::rrule::parse_basic;
use crate::time::zone::Table;
use crate::time::{Day, Instant, TimeOfDay, Wall, When, DAY, HOUR, MINUTE};
use service_ical::{BadLine, Component, Prop};

/// The most instances one recurring event may make before the import's horizon; more is refused,
/// never cut.
const MAX_EVENT_INSTANCES: u32 = 10_000;
/// The most VTIMEZONEs one import turns into zone tables (a real file has a handful).
const MAX_FILE_ZONES: usize = 50;
/// Properties an event is read from: a line of one of these that cannot be read leaves the event
/// out; any other is passed over (unparsed, unless the import is strict).
const READ: [&str; 10] = [
    "DTSTART",
    "DTEND",
    "DURATION",
    "RRULE",
    "RDATE",
    "EXDATE",
    "RECURRENCE-ID",
    "STATUS",
    "TRANSP",
    "FREEBUSY",
];

/// What the import reads besides `READ`: what begins and ends a component, names an event and
/// defines a zone.
const NAMING: [&str; 7] = [
    "BEGIN",
    "END",
    "UID",
    "SUMMARY",
    "TZID",
    "TZOFFSETFROM",
    "TZOFFSETTO",
];

/// The file cannot be read as a calendar at all.
fn broken(line: usize, what: impl std::fmt::Display) -> Error {
    Error::new(Code::InvalidICalendar, format!("line {line}: {what}"))
}

/// One component cannot be read: `code` says why (a bad time, an unknown zone...).
fn problem(code: Code, line: usize, what: impl std::fmt::Display) -> Error {
    Error::new(code, format!("line {line}: {what}"))
}

fn uid(c: &Component) -> Option<String> {
    c.get("UID").map(|p| clip(p.value.trim()))
}

/// An RFC 5545 DURATION (`P1DT2H`, `PT30M`, `P2W`, signed), in seconds.
fn duration(v: &str, line: usize) -> Result<i64> {
    let bad = || {
        problem(
            Code::InvalidDuration,
            line,
            format!("`{}` is not a DURATION", clip(v)),
        )
    };
    let v = v.trim();
    let (sign, v) = match v.as_bytes().first() {
        Some(b'-') => (-1, &v[1..]),
        Some(b'+') => (1, &v[1..]),
        _ => (1, v),
    };
    let v = v.strip_prefix('P').ok_or_else(bad)?;
    let (mut total, mut num, mut in_time) = (0i64, 0i64, false);
    let mut digits = 0;
    for c in v.chars() {
        match c {
            '0'..='9' if digits < 9 => {
                num = num * 10 + i64::from(c as u8 - b'0');
                digits += 1;
            }
            'T' if digits == 0 => in_time = true,
            'W' | 'D' | 'H' | 'M' | 'S' if digits > 0 => {
                total += num
                    * match (c, in_time) {
                        ('W', false) => 7 * DAY,
                        ('D', false) => DAY,
                        ('H', true) => HOUR,
                        ('M', true) => MINUTE,
                        ('S', true) => 1,
                        _ => return Err(bad()),
                    };
                (num, digits) = (0, 0);
            }
            _ => return Err(bad()),
        }
    }
    if digits > 0 {
        return Err(bad());
    }
    Ok(sign * total)
}

// ---- the query and the summary ----------------------------------------------------------------

/// How to import: whose calendar, how far ahead recurring events are taken, and whether one
/// component that cannot be read refuses the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportQuery {
    pub provider_id: String,
    /// Recurring events become their instances within this many days from now (default 365).
    pub horizon_days: Option<u32>,
    /// All or nothing: anything left out or passed over refuses the file (default false).
    pub strict: bool,
}

impl FromJson for ImportQuery {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = ImportQuery {
            provider_id: f.req("providerId"),
            horizon_days: f.opt("horizonDays"),
            strict: f.opt("strict").unwrap_or(false),
        };
        f.end().map(|_| r)
    }
}

/// A component the import left out, and why. `reason` is `CANCELLED` or `TRANSPARENT` (the
/// calendar says the time is not busy), `NO_DTSTART`, or the code of what could not be read
/// (`INVALID_TIME`, `UNKNOWN_TIME_ZONE`, `INVALID_DURATION`, `INVALID_RULE`, `END_BEFORE_START`,
/// `INVALID_ICALENDAR` for an unreadable line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    pub line: u32,
    pub component: &'static str,
    pub uid: Option<String>,
    pub reason: &'static str,
    pub message: String,
}

impl Skip {
    /// Whether the calendar asked for it (cancelled, free time) rather than failed to say it.
    fn by_design(&self) -> bool {
        matches!(self.reason, "CANCELLED" | "TRANSPARENT")
    }
}

/// Something passed over that does not leave an event out: a line the import does not use that
/// cannot be read, a misspelt END, a VTIMEZONE that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub line: u32,
    pub message: String,
}

/// What an import added, and what it left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Events imported (each one or more busy spans).
    pub events: u32,
    /// Busy spans added (an event's instances, free/busy periods).
    pub busy: u32,
    /// Dates given working hours by VAVAILABILITY.
    pub available_dates: u32,
    /// Components left out: `skips.len()`.
    pub skipped: u32,
    pub skips: Vec<Skip>,
    pub notes: Vec<Note>,
}

impl ToJson for Skip {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("line", &self.line);
        w.field("component", self.component);
        w.opt("uid", &self.uid);
        w.field("reason", self.reason);
        w.field("message", &self.message);
        w.end_obj();
    }
}

impl ToJson for Note {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("line", &self.line);
        w.field("message", &self.message);
        w.end_obj();
    }
}

impl ToJson for ImportSummary {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("events", &self.events);
        w.field("busy", &self.busy);
        w.field("availableDates", &self.available_dates);
        w.field("skipped", &self.skipped);
        w.field("skips", &self.skips);
        w.field("notes", &self.notes);
        w.end_obj();
    }
}

// ---- reading the components ----------------------------------------------------------------------

/// What one import has read so far, and the zones its TZIDs name.
struct Reader<'c> {
    co: &'c Coordinator,
    /// The provider's zone: floating times are read in it.
    zone: Rc<str>,
    now: Instant,
    horizon: Instant,
    /// TZID as written -> the zone the engine reads it as (`None`: none).
    names: HashMap<String, Option<Rc<str>>>,
    /// The last TZID looked up, and the zone table the last time was read with: most files name
    /// one or two zones, and the import reads two times an event.
    recent: Option<(String, Option<Rc<str>>)>,
    table: RefCell<Option<(Rc<str>, Rc<Table>)>>,
    busy: Vec<(Instant, Instant, Option<String>)>,
    overrides: Vec<DateOverride>,
    summary: ImportSummary,
}

impl Reader<'_> {
    fn skip(&mut self, c: &Component, line: usize, reason: &'static str, message: String) {
        self.summary.skips.push(Skip {
            line: line as u32,
            component: match c.name.as_ref() {
                "VEVENT" => "VEVENT",
                "VFREEBUSY" => "VFREEBUSY",
                "VAVAILABILITY" => "VAVAILABILITY",
                _ => "AVAILABLE",
            },
            uid: uid(c),
            reason,
            message,
        });
    }

    /// Leaves `c` out for `e`, unless `e` is a bound: that refuses the file.
    fn failed(&mut self, c: &Component, e: Error) -> Result<()> {
        if matches!(e.code, Code::TooManyInstances | Code::TooLarge) {
            return Err(e);
        }
        let (line, message) = match e.message.strip_prefix("line ") {
            Some(rest) => match rest.split_once(": ") {
                Some((n, m)) => (n.parse().unwrap_or(c.line), m.to_string()),
                None => (c.line, e.message.clone()),
            },
            None => (c.line, e.message.clone()),
        };
        // The reasons are the documented few; anything else the file did is a bad calendar.
        let reason = match e.code {
            Code::InvalidTime
            | Code::UnknownTimeZone
            | Code::InvalidDuration
            | Code::InvalidRule
            | Code::EndBeforeStart => e.code.as_str(),
            _ => Code::InvalidICalendar.as_str(),
        };
        self.skip(c, line, reason, message);
        Ok(())
    }

    /// Notes the unreadable lines of `c`; the first of a property the import reads is returned
    /// (the component cannot be read without it).
    fn unreadable(&mut self, c: &Component) -> Option<BadLine> {
        let mut stop = None;
        for b in &c.bad {
            if stop.is_none() && READ.contains(&b.name.as_str()) {
                stop = Some(b.clone());
            } else {
                self.summary.notes.push(Note {
                    line: b.line as u32,
                    message: format!("passed over: {}", b.why),
                });
            }
        }
        stop
    }

    /// The zone a TZID names: one the file's VTIMEZONE defined, an IANA name, a globally unique
    /// name ending in one (`/mozilla.org/20050126_1/Europe/Berlin`), or a Windows name (CLDR).
    fn zone_of(&mut self, p: &Prop) -> Result<Rc<str>> {
        let Some(tzid) = p.param("TZID") else {
            return Ok(Rc::clone(&self.zone));
        };
        if let Some((t, known)) = &self.recent {
            if t == tzid {
                return known.clone().ok_or_else(|| unknown_zone(p.line, tzid));
            }
        }
        if let Some(known) = self.names.get(tzid) {
            self.recent = Some((tzid.to_string(), known.clone()));
            return known.clone().ok_or_else(|| unknown_zone(p.line, tzid));
        }
        let zones = &self.co.zones;
        let t = tzid.trim().trim_matches('"');
        let defined = format!("\u{0}vtimezone:{t}");
        let found = if zones.defined(&defined) {
            Some(defined)
        } else if zones.validate(t).is_ok() {
            Some(t.to_string())
        } else {
            t.match_indices('/')
                .map(|(i, _)| &t[i + 1..])
                .find(|rest| !rest.is_empty() && zones.validate(rest).is_ok())
                .or_else(|| crate::time::windows_zones::iana(t))
                .filter(|z| zones.validate(z).is_ok())
                .map(str::to_string)
        };
        let found: Option<Rc<str>> = found.map(Rc::from);
        if self.names.len() < 1000 {
            self.names.insert(tzid.to_string(), found.clone());
        }
        self.recent = Some((tzid.to_string(), found.clone()));
        found.ok_or_else(|| unknown_zone(p.line, tzid))
    }

    /// One DATE or DATE-TIME value of `p`, read in `zone` unless it is UTC. Returns the instant
    /// and whether it is a date.
    fn time(&self, p: &Prop, v: &str, zone: &Rc<str>) -> Result<(Instant, bool)> {
        let v = v.trim();
        // A date with a UTC mark (`20131210Z`, as one exporter writes birthdays) is the date.
        let v = match v.strip_suffix('Z') {
            Some(d) if d.len() == 8 => d,
            _ => v,
        };
        let (wall, date, utc) = parse_basic(v).ok_or_else(|| {
            problem(
                Code::InvalidTime,
                p.line,
                format!("{} `{}` is not a date or date-time", p.name, clip(v)),
            )
        })?;
        if utc {
            return Ok((wall.at_offset(0), false));
        }
        let guess = wall.at_offset(0);
        if let Some((z, t)) = &*self.table.borrow() {
            if z == zone && t.covers_instant(guess) {
                return Ok((t.resolve(wall), date));
            }
        }
        let t = self.co.zones.table(zone, guess - DAY, guess + DAY)?;
        let at = t.resolve(wall);
        *self.table.borrow_mut() = Some((Rc::clone(zone), t));
        Ok((at, date))
    }

    /// A PERIOD value: `start/end` or `start/duration`.
    fn period(&self, p: &Prop, v: &str, zone: &Rc<str>) -> Result<(Instant, Instant)> {
        let (a, b) = v.split_once('/').ok_or_else(|| {
            problem(
                Code::InvalidTime,
                p.line,
                format!(
                    "`{}` is not a period (start/end or start/duration)",
                    clip(v)
                ),
            )
        })?;
        let s = self.time(p, a, zone)?.0;
        let e = if b.trim_start().starts_with(['P', '+', '-']) {
            s + duration(b, p.line)?
        } else {
            self.time(p, b, zone)?.0
        };
        if e < s {
            return Err(problem(
                Code::EndBeforeStart,
                p.line,
                format!("the period `{}` ends before it starts", clip(v)),
            ));
        }
        Ok((s, e))
    }

    /// The busy spans of an event: DTSTART, RRULE and RDATE less EXDATE, each as long as the event
    /// (an RDATE period as long as it says), less the instances other events replace.
    fn event(
        &mut self,
        c: &Component,
        start: &Prop,
        overridden: &[(String, Instant)],
    ) -> Result<Vec<(Instant, Instant)>> {
        let zone = self.zone_of(start)?;
        let (s, all_day) = self.time(start, &start.value, &zone)?;
        let length = match (c.get("DTEND"), c.get("DURATION")) {
            (Some(e), _) => {
                let ez = self.zone_of(e)?;
                self.time(e, &e.value, &ez)?.0 - s
            }
            (None, Some(d)) => duration(&d.value, d.line)?,
            (None, None) if all_day => DAY,
            (None, None) => 0,
        };
        if length < 0 {
            return Err(problem(
                Code::EndBeforeStart,
                start.line,
                "the event ends before it starts",
            ));
        }
        if length > 366 * DAY {
            return Err(problem(
                Code::InvalidDuration,
                start.line,
                "the event lasts over a year",
            ));
        }
        // EXDATE and RDATE values without a TZID are read in the zone of DTSTART.
        let mut exdates = Vec::new();
        let mut exdays: Vec<(Instant, Instant)> = Vec::new();
        for ex in c.all("EXDATE") {
            let z = if ex.param("TZID").is_some() {
                self.zone_of(ex)?
            } else {
                Rc::clone(&zone)
            };
            for v in ex.value.split(',').filter(|v| !v.trim().is_empty()) {
                let (t, date) = self.time(ex, v, &z)?;
                if date && !all_day {
                    exdays.push((t, t + DAY)); // a DATE excludes the instances of that day
                } else {
                    exdates.push(t);
                }
            }
        }
        let mut rdates = Vec::new();
        let mut periods = Vec::new();
        for rd in c.all("RDATE") {
            let z = if rd.param("TZID").is_some() {
                self.zone_of(rd)?
            } else {
                Rc::clone(&zone)
            };
            for v in rd.value.split(',').filter(|v| !v.trim().is_empty()) {
                if v.contains('/') {
                    periods.push(self.period(rd, v, &z)?);
                } else {
                    rdates.push(self.time(rd, v, &z)?.0);
                }
            }
        }
        let rules: Vec<&Prop> = c.all("RRULE").collect();
        let uid = c.get("UID").map(|p| p.value.trim()).unwrap_or("");
        let kept = |t: Instant| {
            !exdates.contains(&t)
                && !exdays.iter().any(|&(a, b)| a <= t && t < b)
                && !overridden.iter().any(|(u, r)| u == uid && *r == t)
        };
        if rules.is_empty() && rdates.is_empty() && periods.is_empty() {
            return Ok(vec![(s, s + length)]);
        }
        let (now, horizon) = (self.now, self.horizon);
        // DTSTART is an instance when no rule says otherwise (a rule it does not fit leaves it out,
        // as RFC 5545 leaves such a set undefined and the rule is the writer's intent).
        let mut starts = if rules.is_empty() {
            vec![s]
        } else {
            Vec::new()
        };
        for rule in rules {
            starts.extend(self.instances(rule, s, &zone, horizon)?);
        }
        starts.extend(rdates);
        starts.sort_unstable();
        starts.dedup();
        let mut out: Vec<(Instant, Instant)> = starts
            .into_iter()
            .filter(|&t| t + length > now && t < horizon && kept(t))
            .map(|t| (t, t + length))
            .collect();
        out.extend(
            periods
                .into_iter()
                .filter(|&(a, b)| b > now && a < horizon && kept(a)),
        );
        Ok(out)
    }

    /// The starts of an RRULE from `start`, read in `zone`, up to `horizon`.
    fn instances(
        &self,
        rule: &Prop,
        start: Instant,
        zone: &str,
        horizon: Instant,
    ) -> Result<Vec<Instant>> {
        let query = crate::time::rrule::ExpandQuery {
            rrule: rule.value.trim().to_string(),
            dtstart: When::utc(start),
            to: Some(When::utc(horizon)),
            limit: Some(MAX_EVENT_INSTANCES + 1),
            ..Default::default()
        };
        let starts = crate::time::rrule::expand(&self.co.zones, zone, &query)
            .map_err(|e| problem(e.code, rule.line, e.message))?;
        if starts.len() > MAX_EVENT_INSTANCES as usize {
            return Err(Error::new(
                Code::TooManyInstances,
                format!("line {}: this recurring event repeats more than {MAX_EVENT_INSTANCES} times before the import's horizon; import a shorter horizon (horizonDays)", rule.line),
            ));
        }
        Ok(starts)
    }

    /// The busy periods of a VFREEBUSY (FBTYPE=FREE periods are not busy).
    fn freebusy(&mut self, c: &Component) -> Result<Vec<(Instant, Instant)>> {
        let mut out = Vec::new();
        for fb in c.all("FREEBUSY") {
            if fb
                .param("FBTYPE")
                .is_some_and(|t| t.eq_ignore_ascii_case("FREE"))
            {
                continue;
            }
            let zone = self.zone_of(fb)?;
            for v in fb.value.split(',').filter(|v| !v.trim().is_empty()) {
                out.push(self.period(fb, v, &zone)?);
            }
        }
        Ok(out)
    }

    /// The working hours an AVAILABLE span gives each date it touches (wall clock in the
    /// provider's zone; a span across midnight gives each day its part).
    fn available(
        &mut self,
        a: &Component,
        by_date: &mut Vec<(Day, Vec<HoursRange>)>,
    ) -> Result<()> {
        let start = a
            .get("DTSTART")
            .ok_or_else(|| problem(Code::InvalidICalendar, a.line, "AVAILABLE without DTSTART"))?;
        let zone = self.zone_of(start)?;
        let (s, _) = self.time(start, &start.value, &zone)?;
        let length = match (a.get("DTEND"), a.get("DURATION")) {
            (Some(e), _) => {
                let ez = self.zone_of(e)?;
                self.time(e, &e.value, &ez)?.0 - s
            }
            (None, Some(d)) => duration(&d.value, d.line)?,
            _ => {
                return Err(problem(
                    Code::InvalidICalendar,
                    a.line,
                    "AVAILABLE needs DTEND or DURATION",
                ))
            }
        };
        if !(0..=7 * DAY).contains(&length) {
            return Err(problem(
                Code::InvalidDuration,
                start.line,
                "an AVAILABLE span lasts 0 to 7 days",
            ));
        }
        let starts = match a.get("RRULE") {
            None => vec![s],
            Some(rule) => self.instances(rule, s, &zone, self.horizon)?,
        };
        let table = self
            .co
            .zones
            .table(&self.zone, self.now - DAY, self.horizon + 8 * DAY)?;
        for t in starts
            .into_iter()
            .filter(|&t| t >= self.now - DAY && t < self.horizon)
        {
            let (w0, w1) = (table.wall(t), table.wall(t + length));
            let minutes = |w: Wall| TimeOfDay::from_minutes((w.time_of_day() / 60) as u32);
            let mut day = w0.day();
            while day <= w1.day() {
                let from = if day == w0.day() {
                    minutes(w0)
                } else {
                    TimeOfDay::from_minutes(0)
                };
                let to = if day == w1.day() {
                    minutes(w1)
                } else {
                    TimeOfDay::from_minutes(1440)
                };
                if from < to {
                    let range = HoursRange {
                        start: from,
                        end: to,
                    };
                    match by_date.iter_mut().find(|(d, _)| *d == day) {
                        Some((_, v)) => v.push(range),
                        None => by_date.push((day, vec![range])),
                    }
                }
                day += 1;
            }
        }
        Ok(())
    }

    fn components(&mut self, comps: &[&Component]) -> Result<()> {
        // RECURRENCE-ID overrides replace the instance of their UID they name.
        let mut overridden: Vec<(String, Instant)> = Vec::new();
        for ev in comps.iter().filter(|c| c.name == "VEVENT") {
            if let (Some(uid), Some(rid)) = (ev.get("UID"), ev.get("RECURRENCE-ID")) {
                let t = self
                    .zone_of(rid)
                    .and_then(|z| self.time(rid, &rid.value, &z));
                match t {
                    Ok((t, _)) => overridden.push((uid.value.trim().to_string(), t)),
                    Err(e) => self.summary.notes.push(Note {
                        line: rid.line as u32,
                        message: format!("passed over: {}", e.message),
                    }),
                }
            }
        }
        for c in comps {
            match c.name.as_ref() {
                "VEVENT" => {
                    let status = c.get("STATUS").map(|p| p.value.trim().to_ascii_uppercase());
                    if status.as_deref() == Some("CANCELLED") {
                        self.skip(
                            c,
                            c.line,
                            "CANCELLED",
                            "cancelled (STATUS:CANCELLED)".into(),
                        );
                        continue;
                    }
                    if c.get("TRANSP")
                        .is_some_and(|p| p.value.trim().eq_ignore_ascii_case("TRANSPARENT"))
                    {
                        self.skip(
                            c,
                            c.line,
                            "TRANSPARENT",
                            "free time (TRANSP:TRANSPARENT)".into(),
                        );
                        continue;
                    }
                    if let Some(b) = self.unreadable(c) {
                        self.skip(c, b.line, "INVALID_ICALENDAR", b.why);
                        continue;
                    }
                    let Some(start) = c.get("DTSTART") else {
                        self.skip(
                            c,
                            c.line,
                            "NO_DTSTART",
                            "an event without DTSTART has no time to block".into(),
                        );
                        continue;
                    };
                    match self.event(c, start, &overridden) {
                        Ok(spans) => {
                            self.summary.events += 1;
                            let reason = c
                                .get("SUMMARY")
                                .map(|p| clip(&service_ical::unescape(&p.value)));
                            self.busy
                                .extend(spans.into_iter().map(|(a, b)| (a, b, reason.clone())));
                        }
                        Err(e) => self.failed(c, e)?,
                    }
                }
                "VFREEBUSY" => {
                    if let Some(b) = self.unreadable(c) {
                        self.skip(c, b.line, "INVALID_ICALENDAR", b.why);
                        continue;
                    }
                    match self.freebusy(c) {
                        Ok(spans) => self
                            .busy
                            .extend(spans.into_iter().map(|(a, b)| (a, b, Some("busy".into())))),
                        Err(e) => self.failed(c, e)?,
                    }
                }
                "VAVAILABILITY" => {
                    // Within its period the provider works exactly the AVAILABLE spans.
                    let mut by_date = Vec::new();
                    for a in c.children.iter().filter(|a| a.name == "AVAILABLE") {
                        if let Some(b) = self.unreadable(a) {
                            self.skip(a, b.line, "INVALID_ICALENDAR", b.why);
                            continue;
                        }
                        if let Err(e) = self.available(a, &mut by_date) {
                            self.failed(a, e)?;
                        }
                    }
                    self.overrides
                        .extend(by_date.into_iter().map(|(date, hours)| DateOverride {
                            date,
                            hours: merged(hours),
                            reason: Some("VAVAILABILITY".into()),
                        }));
                }
                _ => {} // VTODO, VJOURNAL, VTIMEZONE (read before), X- components
            }
        }
        Ok(())
    }
}

/// A day's hours with overlapping or touching spans made one (RFC 7953 lets AVAILABLE spans
/// overlap; a day's working hours may not).
fn merged(mut hours: Vec<HoursRange>) -> Vec<HoursRange> {
    hours.sort_by_key(|h| h.start);
    let mut out: Vec<HoursRange> = Vec::with_capacity(hours.len());
    for h in hours {
        match out.last_mut() {
            Some(last) if h.start <= last.end => last.end = last.end.max(h.end),
            _ => out.push(h),
        }
    }
    out
}

fn unknown_zone(line: usize, tzid: &str) -> Error {
    problem(
        Code::UnknownTimeZone,
        line,
        format!(
            "TZID `{}` is not defined in the file, and is neither an IANA time zone nor a Windows zone name",
            clip(tzid)
        ),
    )
}

impl Coordinator {
    /// Imports a provider's calendar: VEVENTs and VFREEBUSY as busy time (time off), VAVAILABILITY
    /// (RFC 7953) as working hours. A component that cannot be read is left out and reported
    /// (all or nothing with `strict`); a broken file or a bound passed is refused whole.
    pub fn import_icalendar(
        &mut self,
        text: &str,
        q: &ImportQuery,
        now: Instant,
    ) -> Result<ImportSummary> {
        let mut provider = self
            .provider(&q.provider_id)
            .ok_or_else(|| Error::unknown("provider", &q.provider_id))?
            .clone();
        // Strict reads every line; otherwise only the properties the import reads are parsed.
        let names: Vec<&str> = READ.iter().chain(&NAMING).copied().collect();
        let (roots, odd) = service_ical::read(text, (!q.strict).then_some(&names[..]))
            .map_err(|b| broken(b.line, b.message))?;
        let notes = odd
            .into_iter()
            .map(|o| Note {
                line: o.line as u32,
                message: o.message,
            })
            .collect();
        // The calendar's components: each VCALENDAR's (one may sit inside another), and bare
        // components as they stand.
        fn parts<'a, 'b>(c: &'b Component<'a>, out: &mut Vec<&'b Component<'a>>) {
            if c.name == "VCALENDAR" {
                c.children.iter().for_each(|k| parts(k, out));
            } else {
                out.push(c);
            }
        }
        let mut comps: Vec<&Component> = Vec::new();
        roots.iter().for_each(|r| parts(r, &mut comps));
        // VTIMEZONEs first, those a time in the file names (each walks centuries of onsets), at
        // most MAX_FILE_ZONES; forgotten when the import ends.
        fn tzids<'a>(c: &'a Component, out: &mut Vec<&'a str>) {
            if c.name != "VTIMEZONE" {
                out.extend(c.props.iter().filter_map(|p| p.param("TZID")));
                c.children.iter().for_each(|c| tzids(c, out));
            }
        }
        let mut used = Vec::new();
        comps.iter().for_each(|c| tzids(c, &mut used));
        let zones: Vec<(&Component, String)> = comps
            .iter()
            .filter(|c| c.name == "VTIMEZONE")
            .filter_map(|c| Some((*c, service_ical::unescape(c.get("TZID")?.value.trim()))))
            .filter(|(_, id)| used.iter().any(|u| u.trim().trim_matches('"') == id))
            .collect();
        if zones.len() > MAX_FILE_ZONES {
            return Err(Error::new(
                Code::TooLarge,
                format!(
                    "the file's times use {} VTIMEZONEs; an import reads at most {MAX_FILE_ZONES}",
                    zones.len()
                ),
            ));
        }
        let mut summary = ImportSummary {
            notes,
            ..Default::default()
        };
        // The calendar's own lines (PRODID, X-WR-CALNAME...) are not read: an unreadable one is said.
        fn calendars<'a, 'b>(c: &'b Component<'a>, out: &mut Vec<&'b BadLine>) {
            if c.name == "VCALENDAR" {
                out.extend(&c.bad);
                c.children.iter().for_each(|k| calendars(k, out));
            }
        }
        let mut bad = Vec::new();
        roots.iter().for_each(|r| calendars(r, &mut bad));
        for b in bad {
            summary.notes.push(Note {
                line: b.line as u32,
                message: format!("passed over: {}", b.why),
            });
        }
        let mut defined = Vec::new();
        for (tz, id) in zones {
            match vtimezone(tz) {
                Ok((before, transitions)) => {
                    let name = format!("\u{0}vtimezone:{id}");
                    self.zones.define(&name, before, transitions);
                    defined.push(name);
                }
                Err(e) => summary.notes.push(Note {
                    line: tz.line as u32,
                    message: format!(
                        "the VTIMEZONE `{}` cannot be read ({}); its TZID is read as a zone name",
                        clip(&id),
                        e.message
                    ),
                }),
            }
        }
        let zone: Rc<str> = Rc::from(provider.time_zone.as_str());
        let mut reader = Reader {
            co: self,
            zone,
            now,
            horizon: now + i64::from(q.horizon_days.unwrap_or(365).min(3660)) * DAY,
            names: HashMap::new(),
            recent: None,
            table: RefCell::new(None),
            busy: Vec::new(),
            overrides: Vec::new(),
            summary,
        };
        let read = reader.components(&comps);
        let Reader {
            busy,
            overrides,
            mut summary,
            ..
        } = reader;
        defined.iter().for_each(|n| self.zones.forget(n));
        read?;
        summary.skipped = summary.skips.len() as u32;
        if q.strict {
            refuse_any(&summary)?;
        }
        summary.busy = busy.len() as u32;
        summary.available_dates = overrides.len() as u32;
        for (s, e, reason) in busy {
            if e > s {
                provider.time_off.push(TimeOff {
                    start: When::utc(s),
                    end: When::utc(e),
                    reason,
                    quantity: None,
                });
            }
        }
        for o in overrides {
            provider.date_overrides.retain(|x| x.date != o.date);
            provider.date_overrides.push(o);
        }
        // The provider's own bound on time off, said as the import's.
        let max = crate::model::MAX_TIME_OFF;
        if provider.time_off.len() > max {
            return Err(Error::new(
                Code::TooLarge,
                format!(
                    "the import would give the provider {} busy spans, more than the {max} a provider holds; import a shorter horizon (horizonDays)",
                    provider.time_off.len()
                ),
            ));
        }
        self.upsert_provider(provider)?;
        Ok(summary)
    }
}

/// `strict`: anything left out for a problem, or passed over, refuses the file; every one is a
/// detail of the refusal.
fn refuse_any(s: &ImportSummary) -> Result<()> {
    let mut details: Vec<Violation> = s
        .skips
        .iter()
        .filter(|k| !k.by_design())
        .map(|k| {
            let code = match k.reason {
                "INVALID_TIME" => Code::InvalidTime,
                "UNKNOWN_TIME_ZONE" => Code::UnknownTimeZone,
                "INVALID_DURATION" => Code::InvalidDuration,
                "INVALID_RULE" => Code::InvalidRule,
                "END_BEFORE_START" => Code::EndBeforeStart,
                _ => Code::InvalidICalendar,
            };
            Violation::new(
                code,
                format!("line {}: {}", k.line, k.message),
                k.uid.iter().cloned().collect(),
            )
        })
        .chain(s.notes.iter().map(|n| {
            Violation::new(
                Code::InvalidICalendar,
                format!("line {}: {}", n.line, n.message),
                Vec::new(),
            )
        }))
        .collect();
    if details.is_empty() {
        return Ok(());
    }
    details.sort_by_key(|v| {
        v.message
            .strip_prefix("line ")
            .and_then(|r| r.split_once(':'))
            .and_then(|(n, _)| n.parse::<u32>().ok())
    });
    let mut e = Error::from_violations(details);
    e.code = Code::InvalidICalendar;
    Err(e)
}

/// A VTIMEZONE as a zone: the offset before its first onset, and each STANDARD and DAYLIGHT onset
/// (DTSTART, RRULE, RDATE, in local time before the change) switching TZOFFSETFROM to TZOFFSETTO.
/// Onsets before 1900 are history no booking reaches: Outlook's rules from 1601 are counted from
/// 1900, older RDATEs dropped.
fn vtimezone(tz: &Component) -> Result<(i32, Vec<(Instant, i32)>)> {
    let offset = |p: Option<&Prop>, line: usize| -> Result<i32> {
        let p = p.ok_or_else(|| broken(line, "TZOFFSETFROM and TZOFFSETTO are required"))?;
        let v = p.value.trim();
        let sign = match v.as_bytes().first() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return Err(broken(p.line, "an offset is +hhmm or -hhmm")),
        };
        let digits = &v[1..];
        if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|c| c.is_ascii_digit())
        {
            return Err(broken(p.line, "an offset is +hhmm or -hhmm"));
        }
        let n = |a: usize| -> i32 { digits[a..a + 2].parse().unwrap_or(0) };
        let secs = n(0) * 3600 + n(2) * 60 + if digits.len() == 6 { n(4) } else { 0 };
        if secs >= 86_400 {
            return Err(broken(p.line, "an offset under 24 hours"));
        }
        Ok(sign * secs)
    };
    let from_1900 = |raw: &str| -> String {
        if raw.get(..4).is_some_and(|y| y < "1900") {
            format!("1900{}", raw.get(4..).unwrap_or(""))
        } else {
            raw.to_string()
        }
    };
    let mut transitions: Vec<(Instant, i32)> = Vec::new();
    let mut first: Option<(Instant, i32)> = None;
    for part in tz
        .children
        .iter()
        .filter(|c| c.name == "STANDARD" || c.name == "DAYLIGHT")
    {
        let (from, to) = (
            offset(part.get("TZOFFSETFROM"), part.line)?,
            offset(part.get("TZOFFSETTO"), part.line)?,
        );
        let start = part
            .get("DTSTART")
            .ok_or_else(|| broken(part.line, "a STANDARD or DAYLIGHT without DTSTART"))?;
        let (wall, _, _) = parse_basic(&from_1900(start.value.trim()))
            .ok_or_else(|| broken(start.line, "DTSTART is a local date-time"))?;
        let mut onsets = vec![wall];
        if let Some(rule) = part.get("RRULE") {
            let mut rec = crate::time::rrule::Recurrence {
                rule: crate::time::rrule::Rule::parse(rule.value.trim())
                    .map_err(|e| broken(rule.line, e.message))?,
                start: wall,
                date_only: false,
                rdates: Vec::new(),
                exdates: Vec::new(),
            };
            // A UTC UNTIL is compared as a wall time here: off by the offset at most.
            if let Some(crate::time::rrule::Until::Utc(u)) = rec.rule.until {
                rec.rule.until = Some(crate::time::rrule::Until::Wall(u.wall(from)));
            }
            let end = crate::time::END_INSTANT.wall(0);
            onsets = rec
                .instances(Some(end))
                .take_while(|&w| w < end)
                .take(400)
                .collect();
        }
        for rd in part.all("RDATE") {
            for v in rd.value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
                match parse_basic(v) {
                    Some((w, _, _)) => onsets.push(w),
                    None if v.get(..4).is_some_and(|y| y < "1900") => {}
                    None => return Err(broken(rd.line, "RDATE is a local date-time")),
                }
            }
        }
        for w in onsets {
            let at = w.at_offset(from);
            transitions.push((at, to));
            if first.is_none_or(|(t, _)| at < t) {
                first = Some((at, from));
            }
        }
    }
    let Some((_, before)) = first else {
        return Err(broken(tz.line, "a VTIMEZONE without STANDARD or DAYLIGHT"));
    };
    Ok((before, transitions))
}
