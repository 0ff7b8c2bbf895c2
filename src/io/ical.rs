//! iCalendar (RFC 5545) export: bookings as VEVENTs and a provider's busy time as VFREEBUSY, so
//! they land in the calendars people already use.
//!
//! UIDs are stable (`<booking id>@service-coordinator`), SEQUENCE rises with every revision, a
//! cancelled booking is exported with STATUS:CANCELLED (so calendars remove it), times are UTC.
//! Text is escaped (`\\`, `\;`, `\,`, `\n`) and lines are folded at 75 octets without splitting a
//! UTF-8 character, with CRLF line ends.

/// The most instances one recurring event may make before the import's horizon; more is refused,
/// never cut (a cut calendar would show the provider free where they are busy).
const MAX_EVENT_INSTANCES: u32 = 10_000;
/// The most VTIMEZONEs one import turns into zone tables (a real file has a handful).
const MAX_FILE_ZONES: usize = 50;

use crate::base::error::{Code, Error, Result};
use crate::json::{Fields, FromJson, JResult, Json};
use crate::model::{BookingFilter, FreeBusyQuery, Status};
use crate::state::Coordinator;
use crate::time::rrule::basic;
use crate::time::{Instant, TimeOfDay, When};

/// What to export: bookings (filtered like `bookings`) and, optionally, one provider's busy time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportQuery {
    pub bookings: BookingFilter,
    pub free_busy: Option<FreeBusyQuery>,
}

impl FromJson for ExportQuery {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = ExportQuery {
            bookings: f.or("bookings", BookingFilter::default()),
            free_busy: f.opt("freeBusy"),
        };
        f.end().map(|_| r)
    }
}

/// Appends one content line, folded at 75 octets (continuation lines start with a space).
fn line(out: &mut String, text: &str) {
    let mut width = 0;
    for ch in text.chars() {
        let n = ch.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += n;
    }
    out.push_str("\r\n");
}

/// TEXT value escaping (RFC 5545 section 3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value: quoted, with the characters RFC 6868 escapes (`^`, newline, `"`).
fn param(value: &str) -> String {
    let mut out = String::from("\"");
    for ch in value.chars() {
        match ch {
            '^' => out.push_str("^^"),
            '\n' => out.push_str("^n"),
            '"' => out.push_str("^'"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn utc(t: Instant) -> String {
    format!("{}Z", basic(t.wall(0), false))
}

/// `+hhmm` (or `+hhmmss`) for an offset in seconds.
fn offset_text(o: i32) -> String {
    let (sign, a) = (if o < 0 { '-' } else { '+' }, o.abs());
    if a % 60 == 0 {
        format!("{sign}{:02}{:02}", a / 3600, a % 3600 / 60)
    } else {
        format!("{sign}{:02}{:02}{:02}", a / 3600, a % 3600 / 60, a % 60)
    }
}

impl Coordinator {
    /// A VTIMEZONE for `zone` over `[lo, hi)`, from the engine's own table: each change as a
    /// STANDARD or DAYLIGHT onset, so the file reads the same anywhere.
    fn export_vtimezone(
        &self,
        out: &mut String,
        zone: &str,
        lo: Instant,
        hi: Instant,
    ) -> Result<()> {
        let table = self.zones.table(zone, lo, hi)?;
        line(out, "BEGIN:VTIMEZONE");
        line(out, &format!("TZID:{}", text(zone)));
        let first = table.offset_at(lo);
        line(out, "BEGIN:STANDARD");
        line(out, &format!("DTSTART:{}", basic(lo.wall(first), false)));
        line(out, &format!("TZOFFSETFROM:{}", offset_text(first)));
        line(out, &format!("TZOFFSETTO:{}", offset_text(first)));
        line(out, "END:STANDARD");
        for (at, from, to) in table.changes(lo, hi) {
            let kind = if to > from { "DAYLIGHT" } else { "STANDARD" };
            line(out, &format!("BEGIN:{kind}"));
            line(out, &format!("DTSTART:{}", basic(at.wall(from), false)));
            line(out, &format!("TZOFFSETFROM:{}", offset_text(from)));
            line(out, &format!("TZOFFSETTO:{}", offset_text(to)));
            line(out, &format!("END:{kind}"));
        }
        line(out, "END:VTIMEZONE");
        Ok(())
    }

    /// One series: the master VEVENT (DTSTART in its zone, RRULE, EXDATE for every instance of
    /// the rule not booked or cancelled) and an override VEVENT for each occurrence moved on its
    /// own (RECURRENCE-ID).
    fn export_series(
        &self,
        out: &mut String,
        s: &crate::model::Series,
        members: &[&&crate::model::Booking],
        zones_used: &mut Vec<(String, Instant, Instant)>,
    ) -> Result<()> {
        let q = crate::time::rrule::ExpandQuery {
            rrule: s.rrule.clone(),
            dtstart: s.dtstart,
            limit: Some(1000),
            ..Default::default()
        };
        let instants = crate::time::rrule::expand(&self.zones, &s.time_zone, &q)?;
        let (Some(&first), Some(&last)) = (instants.first(), instants.last()) else {
            return Ok(());
        };
        let length = members.first().map_or(0, |b| b.end - b.start);
        match zones_used.iter_mut().find(|z| z.0 == s.time_zone) {
            Some(z) => {
                (z.1, z.2) = (
                    z.1.min(first - crate::time::DAY),
                    z.2.max(last + 2 * crate::time::DAY),
                )
            }
            None => zones_used.push((
                s.time_zone.clone(),
                first - crate::time::DAY,
                last + 2 * crate::time::DAY,
            )),
        }
        let table = self.zones.table(
            &s.time_zone,
            first - crate::time::DAY,
            last + 2 * crate::time::DAY,
        )?;
        let local = |t: Instant| {
            format!(
                "TZID={}:{}",
                param(&s.time_zone),
                basic(table.wall(t), false)
            )
        };
        let active =
            |b: &crate::model::Booking| b.status.blocks_time() || b.status == Status::Completed;
        let uid = format!("UID:{}@service-coordinator", text(&s.id));
        let sequence = members
            .iter()
            .map(|b| b.revision.saturating_sub(1))
            .max()
            .unwrap_or(0);
        let stamp = members.iter().map(|b| b.updated_at).max().unwrap_or(first);
        let summary = self
            .service(&s.service_id)
            .map_or(s.service_id.as_str(), |x| x.name.as_str());
        line(out, "BEGIN:VEVENT");
        line(out, &uid);
        line(out, &format!("DTSTAMP:{}", utc(stamp)));
        line(out, &format!("SEQUENCE:{sequence}"));
        line(out, &format!("DTSTART;{}", local(first)));
        line(out, &format!("DTEND;{}", local(first + length)));
        line(
            out,
            &format!("RRULE:{}", crate::time::rrule::Rule::parse(&s.rrule)?),
        );
        for t in &instants {
            if !members
                .iter()
                .any(|b| b.recurrence_id() == Some(*t) && active(b))
            {
                line(out, &format!("EXDATE;{}", local(*t)));
            }
        }
        line(out, &format!("SUMMARY:{}", text(summary)));
        line(out, "STATUS:CONFIRMED");
        line(out, "END:VEVENT");
        for b in members
            .iter()
            .filter(|b| active(b) && b.recurrence_id().is_some_and(|r| r != b.start))
        {
            line(out, "BEGIN:VEVENT");
            line(out, &uid);
            line(out, &format!("DTSTAMP:{}", utc(b.updated_at)));
            line(out, &format!("SEQUENCE:{}", b.revision.saturating_sub(1)));
            line(
                out,
                &format!(
                    "RECURRENCE-ID;{}",
                    local(b.recurrence_id().unwrap_or(b.start))
                ),
            );
            line(out, &format!("DTSTART:{}", utc(b.start)));
            line(out, &format!("DTEND:{}", utc(b.end)));
            line(out, &format!("SUMMARY:{}", text(summary)));
            line(out, "STATUS:CONFIRMED");
            line(out, "END:VEVENT");
        }
        Ok(())
    }

    /// The bookings (and optionally a provider's free/busy) as an iCalendar object.
    pub fn export_icalendar(&self, q: &ExportQuery, now: Instant) -> Result<String> {
        let mut out = String::new();
        line(&mut out, "BEGIN:VCALENDAR");
        line(&mut out, "VERSION:2.0");
        line(&mut out, "PRODID:-//service-coordinator//engine//EN");
        line(&mut out, "CALSCALE:GREGORIAN");
        let all = self.bookings(&q.bookings, now)?;
        // A booked series goes out as one VEVENT with its RRULE, EXDATEs and overrides.
        let mut series_done: Vec<&str> = Vec::new();
        let mut zones_used: Vec<(String, Instant, Instant)> = Vec::new();
        let mut series_text = String::new();
        for b in all.iter().filter(|b| b.series_id().is_some()) {
            let sid = b.series_id().unwrap_or_default();
            if series_done.contains(&sid) {
                continue;
            }
            series_done.push(sid);
            if let Some(s) = self.series.get(sid) {
                let members: Vec<&&crate::model::Booking> =
                    all.iter().filter(|x| x.series_id() == Some(sid)).collect();
                self.export_series(&mut series_text, s, &members, &mut zones_used)?;
            }
        }
        for (zone, lo, hi) in &zones_used {
            self.export_vtimezone(&mut out, zone, *lo, *hi)?;
        }
        out.push_str(&series_text);
        for b in all {
            if b.status == Status::Held
                || (b.series_id().is_some_and(|s| self.series.contains_key(s)))
            {
                continue; // a hold is nobody's appointment yet; series went out above
            }
            line(&mut out, "BEGIN:VEVENT");
            line(
                &mut out,
                &format!("UID:{}@service-coordinator", text(&b.id)),
            );
            line(&mut out, &format!("DTSTAMP:{}", utc(b.updated_at)));
            line(
                &mut out,
                &format!("SEQUENCE:{}", b.revision.saturating_sub(1)),
            );
            line(&mut out, &format!("DTSTART:{}", utc(b.start)));
            line(&mut out, &format!("DTEND:{}", utc(b.end)));
            let summary = self
                .service(&b.service_id)
                .map_or(&*b.service_id, |s| s.name.as_str());
            line(&mut out, &format!("SUMMARY:{}", text(summary)));
            let status = match b.status {
                Status::Cancelled | Status::LateCancelled => "CANCELLED",
                Status::Tentative => "TENTATIVE",
                _ => "CONFIRMED",
            };
            line(&mut out, &format!("STATUS:{status}"));
            if let Some(n) = b.notes() {
                line(&mut out, &format!("DESCRIPTION:{}", text(n)));
            }
            // Where an on-site visit is: its address as people read it, and its coordinates.
            if let Some(l) = b.location() {
                if let Some(a) = &l.address {
                    line(&mut out, &format!("LOCATION:{}", text(a)));
                }
                // Written as the JSON writer writes coordinates (to the micro-degree): `{}` on a
                // float would link core's float formatting, 9 KB gzip of the page's wasm.
                line(
                    &mut out,
                    &format!(
                        "GEO:{};{}",
                        crate::json::to_string(&l.lat),
                        crate::json::to_string(&l.lng)
                    ),
                );
            }
            if let Some(p) = self.provider(&b.provider_id) {
                line(
                    &mut out,
                    &format!(
                        "X-SERVICE-COORDINATOR-PROVIDER;CN={}:{}",
                        param(&p.name),
                        text(&p.id)
                    ),
                );
            }
            for c in b.client_ids.iter().filter_map(|c| self.client(c)) {
                if let Some(email) = &c.email {
                    line(
                        &mut out,
                        &format!(
                            "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT:mailto:{}",
                            param(&c.name),
                            email.replace([' ', '\r', '\n'], "")
                        ),
                    );
                }
            }
            if let (Some(series), Some(rid)) = (b.series_id(), b.recurrence_id()) {
                line(
                    &mut out,
                    &format!("RELATED-TO:{}@service-coordinator", text(series)),
                );
                line(
                    &mut out,
                    &format!("X-SERVICE-COORDINATOR-RECURRENCE-ID:{}", utc(rid)),
                );
            }
            line(&mut out, "END:VEVENT");
        }
        if let Some(fb) = &q.free_busy {
            let range = self.query_range(fb.time_zone.as_deref(), fb.from, fb.to)?;
            let answer = self.free_busy(fb, now)?;
            for lane in answer.providers {
                line(&mut out, "BEGIN:VFREEBUSY");
                line(
                    &mut out,
                    &format!("UID:freebusy-{}@service-coordinator", text(&lane.id)),
                );
                line(&mut out, &format!("DTSTAMP:{}", utc(now)));
                line(&mut out, &format!("DTSTART:{}", utc(range.start)));
                line(&mut out, &format!("DTEND:{}", utc(range.end)));
                line(
                    &mut out,
                    &format!("X-SERVICE-COORDINATOR-PROVIDER:{}", text(&lane.id)),
                );
                for busy in lane.busy {
                    line(
                        &mut out,
                        &format!(
                            "FREEBUSY;FBTYPE=BUSY:{}/{}",
                            utc(busy.start.max(range.start)),
                            utc(busy.end.min(range.end))
                        ),
                    );
                }
                line(&mut out, "END:VFREEBUSY");
            }
        }
        line(&mut out, "END:VCALENDAR");
        if out.len() > 64 << 20 {
            return Err(Error::input("the export is over 64 MB; narrow the filter"));
        }
        Ok(out)
    }
}

// ---- import -------------------------------------------------------------------------------------

/// One content line, unfolded: name (upper case), parameters, value, and the line it began on.
#[derive(Clone, Debug)]
struct Prop {
    name: String,
    params: Vec<(String, String)>,
    value: String,
    line: usize,
}

impl Prop {
    fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Debug, Default)]
struct Component {
    name: String,
    props: Vec<Prop>,
    children: Vec<Component>,
    line: usize,
}

impl Component {
    fn get(&self, name: &str) -> Option<&Prop> {
        self.props.iter().find(|p| p.name == name)
    }
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Prop> {
        self.props.iter().filter(move |p| p.name == name)
    }
}

fn ical_error(line: usize, what: impl std::fmt::Display) -> Error {
    Error::new(
        crate::base::error::Code::InvalidICalendar,
        format!("line {line}: {what}"),
    )
}

/// Reads the text into components: BOM, CRLF or LF, folded lines, quoted parameters and RFC 6868
/// escapes are handled; anything malformed is an error naming its line.
fn read_components(text: &str) -> Result<Vec<Component>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Unfold: a line starting with a space or tab continues the one before.
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.len() > 1 << 20 {
            return Err(ical_error(i + 1, "a line longer than 1 MB"));
        }
        match (raw.as_bytes().first(), lines.last_mut()) {
            (Some(b' ' | b'\t'), Some((_, last))) => last.push_str(&raw[1..]),
            (Some(b' ' | b'\t'), None) => {
                return Err(ical_error(
                    i + 1,
                    "a continuation line with nothing to continue",
                ))
            }
            (None, _) => {}
            _ => lines.push((i + 1, raw.to_string())),
        }
    }
    let mut stack: Vec<Component> = Vec::new();
    let mut done: Vec<Component> = Vec::new();
    for (n, l) in lines {
        let prop = parse_line(n, &l)?;
        match prop.name.as_str() {
            "BEGIN" => {
                if stack.len() > 16 {
                    return Err(ical_error(n, "components nested too deeply"));
                }
                stack.push(Component {
                    name: prop.value.to_ascii_uppercase(),
                    line: n,
                    ..Default::default()
                });
            }
            "END" => {
                let c = stack.pop().ok_or_else(|| {
                    ical_error(n, format!("END:{} without BEGIN", clip_value(&prop.value)))
                })?;
                if c.name != prop.value.to_ascii_uppercase() {
                    return Err(ical_error(
                        n,
                        format!(
                            "END:{} closes BEGIN:{} of line {}",
                            clip_value(&prop.value),
                            c.name,
                            c.line
                        ),
                    ));
                }
                match stack.last_mut() {
                    Some(parent) => parent.children.push(c),
                    None => done.push(c),
                }
            }
            _ => match stack.last_mut() {
                Some(c) => c.props.push(prop),
                None => return Err(ical_error(n, "a property outside BEGIN:VCALENDAR")),
            },
        }
    }
    if let Some(open) = stack.last() {
        return Err(ical_error(
            open.line,
            format!(
                "BEGIN:{} is never closed (the file is cut short?)",
                open.name
            ),
        ));
    }
    Ok(done)
}

fn clip_value(v: &str) -> String {
    crate::base::error::clip(v)
}

#[allow(clippy::indexing_slicing)] // each `bytes[i]` follows `i < bytes.len()` in the same condition
fn parse_line(n: usize, l: &str) -> Result<Prop> {
    // name *(";" param) ":" value; a ':' inside a quoted parameter value does not end the name.
    let bytes = l.as_bytes();
    let mut i = 0;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
        i += 1;
    }
    if i == 0 {
        return Err(ical_error(
            n,
            format!("`{}` has no property name", clip_value(l)),
        ));
    }
    let name = l[..i].to_ascii_uppercase();
    let mut params = Vec::new();
    while bytes.get(i) == Some(&b';') {
        i += 1;
        let k0 = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
            i += 1;
        }
        let key = l[k0..i].to_ascii_uppercase();
        if key.is_empty() || bytes.get(i) != Some(&b'=') {
            return Err(ical_error(
                n,
                format!("a parameter of {name} is not NAME=VALUE"),
            ));
        }
        i += 1;
        let value = if bytes.get(i) == Some(&b'"') {
            let end = l[i + 1..].find('"').ok_or_else(|| {
                ical_error(n, format!("an unclosed quote in a parameter of {name}"))
            })?;
            let v = &l[i + 1..i + 1 + end];
            i += end + 2;
            v
        } else {
            let v0 = i;
            while i < bytes.len() && !matches!(bytes[i], b';' | b':' | b',') {
                i += 1;
            }
            // Further comma-separated values of the same parameter are kept together.
            while bytes.get(i) == Some(&b',') {
                i += 1;
                while i < bytes.len() && !matches!(bytes[i], b';' | b':' | b',') {
                    i += 1;
                }
            }
            &l[v0..i]
        };
        params.push((key, rfc6868(value)));
    }
    if bytes.get(i) != Some(&b':') {
        return Err(ical_error(n, format!("{name} has no `:` before its value")));
    }
    Ok(Prop {
        name,
        params,
        value: l[i + 1..].to_string(),
        line: n,
    })
}

/// RFC 6868: `^n` newline, `^^` caret, `^'` double quote.
fn rfc6868(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut it = v.chars();
    while let Some(c) = it.next() {
        if c != '^' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('^') => out.push('^'),
            Some('\'') => out.push('"'),
            Some(o) => {
                out.push('^');
                out.push(o);
            }
            None => out.push('^'),
        }
    }
    out
}

/// How to import: whose calendar, and how far ahead recurring events are taken.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportQuery {
    pub provider_id: String,
    /// Recurring events become their instances within this many days from now (default 365).
    pub horizon_days: Option<u32>,
}

impl FromJson for ImportQuery {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = ImportQuery {
            provider_id: f.req("providerId"),
            horizon_days: f.opt("horizonDays"),
        };
        f.end().map(|_| r)
    }
}

/// What an import added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub busy: u32,
    pub available_dates: u32,
    pub skipped: u32,
}

impl crate::json::ToJson for ImportSummary {
    fn write(&self, w: &mut crate::json::Writer) {
        w.begin_obj();
        w.field("busy", &self.busy);
        w.field("availableDates", &self.available_dates);
        w.field("skipped", &self.skipped);
        w.end_obj();
    }
}

impl Coordinator {
    /// The instant of a DATE or DATE-TIME property: `Z`, TZID (an IANA name), or floating (read
    /// in `zone`). Returns (instant, is a date).
    fn ical_time(&self, p: &Prop, zone: &str) -> Result<(Instant, bool)> {
        let (wall, date, is_utc) =
            crate::time::rrule::parse_basic(p.value.trim()).ok_or_else(|| {
                ical_error(
                    p.line,
                    format!(
                        "{} `{}` is not a date or date-time",
                        p.name,
                        clip_value(&p.value)
                    ),
                )
            })?;
        if is_utc {
            return Ok((wall.at_offset(0), false));
        }
        let tz = self.file_zone(p, zone);
        let tz = tz.as_str();
        if self.zones.validate(tz).is_err() {
            return Err(ical_error(
                p.line,
                format!(
                    "TZID `{}` is neither an IANA time zone nor defined by a VTIMEZONE in the file",
                    clip_value(tz)
                ),
            ));
        }
        Ok((self.zones.resolve(tz, wall)?, date))
    }

    /// Imports a provider's calendar: VEVENTs and VFREEBUSY as busy time (time off), VAVAILABILITY
    /// (RFC 7953) as working hours. All or nothing: one bad line and nothing is imported.
    pub fn import_icalendar(
        &mut self,
        text: &str,
        q: &ImportQuery,
        now: Instant,
    ) -> Result<ImportSummary> {
        if self.provider(&q.provider_id).is_none() {
            return Err(Error::unknown("provider", &q.provider_id));
        }
        let roots = read_components(text)?;
        // VTIMEZONEs first: their TZIDs read the file's times; forgotten when the import ends.
        // Only those a time in the file names are turned into tables (each walks three centuries
        // of onsets), and at most MAX_FILE_ZONES of them.
        fn tzids<'a>(c: &'a Component, out: &mut Vec<&'a str>) {
            if c.name != "VTIMEZONE" {
                out.extend(c.props.iter().filter_map(|p| p.param("TZID")));
                c.children.iter().for_each(|c| tzids(c, out));
            }
        }
        let mut used = Vec::new();
        roots.iter().for_each(|c| tzids(c, &mut used));
        let named = |tz: &&Component| {
            tz.get("TZID")
                .is_some_and(|id| used.iter().any(|u| *u == id.value.trim()))
        };
        let zones: Vec<&Component> = roots
            .iter()
            .flat_map(|c| c.children.iter())
            .filter(|c| c.name == "VTIMEZONE")
            .filter(named)
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
        let mut defined = Vec::new();
        for tz in zones {
            match self.define_vtimezone(tz) {
                Ok(name) => defined.push(name),
                Err(e) => {
                    defined.iter().for_each(|n: &String| self.zones.forget(n));
                    return Err(e);
                }
            }
        }
        let result = self.import_components(&roots, q, now);
        defined.iter().for_each(|n| self.zones.forget(n));
        result
    }

    /// The zone a property's TZID names: one the file's VTIMEZONE defined, else the name itself
    /// (an IANA zone), else `zone` when there is no TZID.
    fn file_zone(&self, p: &Prop, zone: &str) -> String {
        let Some(tz) = p.param("TZID") else {
            return zone.to_string();
        };
        let defined = format!("\u{0}vtimezone:{tz}");
        if self.zones.defined(&defined) {
            defined
        } else {
            tz.to_string()
        }
    }

    /// The starts of a recurring component up to `horizon`: its RRULE from `start`, read in `tz`.
    fn file_instances(
        &self,
        rule: &Prop,
        start: Instant,
        tz: &str,
        exdates: Vec<When>,
        rdates: Vec<When>,
        horizon: Instant,
    ) -> Result<Vec<Instant>> {
        // Expansion reads each instant's wall time in `tz`, as the file meant.
        let query = crate::time::rrule::ExpandQuery {
            rrule: rule.value.clone(),
            dtstart: When::utc(start),
            to: Some(When::utc(horizon)),
            limit: Some(MAX_EVENT_INSTANCES + 1),
            exdates,
            rdates,
            ..Default::default()
        };
        let starts = crate::time::rrule::expand(&self.zones, tz, &query)
            .map_err(|e| ical_error(rule.line, e.message))?;
        if starts.len() > MAX_EVENT_INSTANCES as usize {
            return Err(Error::with_ids(
                Code::TooManyInstances,
                format!("line {}: this recurring event repeats more than {MAX_EVENT_INSTANCES} times before the import's horizon; import a shorter horizon (horizonDays)", rule.line),
                Vec::new(),
            ));
        }
        Ok(starts)
    }

    /// Turns a VTIMEZONE into a zone table: each STANDARD and DAYLIGHT onset (DTSTART, RRULE,
    /// RDATE, in local time before the change) switches from TZOFFSETFROM to TZOFFSETTO.
    fn define_vtimezone(&self, tz: &Component) -> Result<String> {
        let id = tz
            .get("TZID")
            .ok_or_else(|| ical_error(tz.line, "a VTIMEZONE without TZID"))?;
        let offset = |p: Option<&Prop>, line: usize| -> Result<i32> {
            let p =
                p.ok_or_else(|| ical_error(line, "TZOFFSETFROM and TZOFFSETTO are required"))?;
            let v = p.value.trim();
            let b = v.as_bytes();
            let sign = match b.first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return Err(ical_error(p.line, "an offset is +hhmm or -hhmm")),
            };
            let digits = &v[1..];
            if !(digits.len() == 4 || digits.len() == 6)
                || !digits.bytes().all(|c| c.is_ascii_digit())
            {
                return Err(ical_error(p.line, "an offset is +hhmm or -hhmm"));
            }
            let n = |a: usize| -> i32 { digits[a..a + 2].parse().unwrap_or(0) };
            let secs = n(0) * 3600 + n(2) * 60 + if digits.len() == 6 { n(4) } else { 0 };
            if secs >= 86_400 {
                return Err(ical_error(p.line, "an offset under 24 hours"));
            }
            Ok(sign * secs)
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
                .ok_or_else(|| ical_error(part.line, "a STANDARD or DAYLIGHT without DTSTART"))?;
            // Outlook writes onsets in 1601; the rules give the same transitions counted from 1900.
            let raw = start.value.trim();
            let raw = if raw.get(..4).is_some_and(|y| y < "1900") {
                format!("1900{}", &raw[4..])
            } else {
                raw.to_string()
            };
            let (wall, _, _) = crate::time::rrule::parse_basic(&raw)
                .ok_or_else(|| ical_error(start.line, "DTSTART is a local date-time"))?;
            let mut onsets = vec![wall];
            if let Some(rule) = part.get("RRULE") {
                let mut rec = crate::time::rrule::Recurrence {
                    rule: crate::time::rrule::Rule::parse(&rule.value)
                        .map_err(|e| ical_error(rule.line, e.message))?,
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
                for v in rd.value.split(',') {
                    onsets.push(
                        crate::time::rrule::parse_basic(v.trim())
                            .ok_or_else(|| ical_error(rd.line, "RDATE is a local date-time"))?
                            .0,
                    );
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
            return Err(ical_error(
                tz.line,
                "a VTIMEZONE without STANDARD or DAYLIGHT",
            ));
        };
        let name = format!("\u{0}vtimezone:{}", id.value.trim());
        self.zones.define(&name, before, transitions);
        Ok(name)
    }

    fn import_components(
        &mut self,
        roots: &[Component],
        q: &ImportQuery,
        now: Instant,
    ) -> Result<ImportSummary> {
        let mut provider = self
            .provider(&q.provider_id)
            .ok_or_else(|| Error::unknown("provider", &q.provider_id))?
            .clone();
        let zone = provider.time_zone.clone();
        let horizon = now + i64::from(q.horizon_days.unwrap_or(365).min(3660)) * crate::time::DAY;
        let mut summary = ImportSummary::default();
        let mut busy: Vec<(Instant, Instant, Option<String>)> = Vec::new();
        let mut overrides: Vec<crate::model::DateOverride> = Vec::new();
        for cal in roots {
            if cal.name != "VCALENDAR" {
                return Err(ical_error(
                    cal.line,
                    format!("expected BEGIN:VCALENDAR, found BEGIN:{}", cal.name),
                ));
            }
            // RECURRENCE-ID overrides replace the instance they name.
            let mut overridden: Vec<(String, Instant)> = Vec::new();
            for ev in cal.children.iter().filter(|c| c.name == "VEVENT") {
                if let (Some(uid), Some(rid)) = (ev.get("UID"), ev.get("RECURRENCE-ID")) {
                    overridden.push((uid.value.clone(), self.ical_time(rid, &zone)?.0));
                }
            }
            for c in &cal.children {
                match c.name.as_str() {
                    "VEVENT" => {
                        let status = c.get("STATUS").map(|p| p.value.to_ascii_uppercase());
                        let transparent = c
                            .get("TRANSP")
                            .is_some_and(|p| p.value.eq_ignore_ascii_case("TRANSPARENT"));
                        if status.as_deref() == Some("CANCELLED") || transparent {
                            summary.skipped += 1;
                            continue;
                        }
                        let start = c
                            .get("DTSTART")
                            .ok_or_else(|| ical_error(c.line, "a VEVENT without DTSTART"))?;
                        let (s, all_day) = self.ical_time(start, &zone)?;
                        let length = match (c.get("DTEND"), c.get("DURATION")) {
                            (Some(e), _) => self.ical_time(e, &zone)?.0 - s,
                            (None, Some(d)) => duration(d)?,
                            (None, None) if all_day => crate::time::DAY,
                            (None, None) => 0,
                        };
                        if !(0..=366 * crate::time::DAY).contains(&length) {
                            return Err(ical_error(
                                start.line,
                                "the event ends before it starts, or lasts over a year",
                            ));
                        }
                        let reason = c.get("SUMMARY").map(|p| unescape(&p.value));
                        let uid = c.get("UID").map(|p| p.value.clone()).unwrap_or_default();
                        match c.get("RRULE") {
                            None => busy.push((s, s + length, reason)),
                            Some(rule) => {
                                let tz = self.file_zone(start, &zone);
                                let mut exdates = Vec::new();
                                for ex in c.all("EXDATE") {
                                    for v in ex.value.split(',') {
                                        let p = Prop {
                                            value: v.to_string(),
                                            ..ex.clone()
                                        };
                                        exdates.push(When::utc(self.ical_time(&p, &tz)?.0));
                                    }
                                }
                                let mut rdates = Vec::new();
                                for rd in c.all("RDATE") {
                                    for v in rd.value.split(',') {
                                        let p = Prop {
                                            value: v.to_string(),
                                            ..rd.clone()
                                        };
                                        rdates.push(When::utc(self.ical_time(&p, &tz)?.0));
                                    }
                                }
                                let starts =
                                    self.file_instances(rule, s, &tz, exdates, rdates, horizon)?;
                                for t in starts.into_iter().filter(|&t| t + length > now) {
                                    if !overridden.iter().any(|(u, r)| *u == uid && *r == t) {
                                        busy.push((t, t + length, reason.clone()));
                                    }
                                }
                            }
                        }
                    }
                    "VFREEBUSY" => {
                        for fb in c.all("FREEBUSY") {
                            if fb
                                .param("FBTYPE")
                                .is_some_and(|t| t.eq_ignore_ascii_case("FREE"))
                            {
                                continue;
                            }
                            for period in fb.value.split(',') {
                                let (a, b) = period.split_once('/').ok_or_else(|| {
                                    ical_error(
                                        fb.line,
                                        "FREEBUSY periods are start/end or start/duration",
                                    )
                                })?;
                                let s = self
                                    .ical_time(
                                        &Prop {
                                            value: a.into(),
                                            ..fb.clone()
                                        },
                                        &zone,
                                    )?
                                    .0;
                                let e = if b.starts_with(['P', '+', '-']) {
                                    s + duration(&Prop {
                                        value: b.into(),
                                        ..fb.clone()
                                    })?
                                } else {
                                    self.ical_time(
                                        &Prop {
                                            value: b.into(),
                                            ..fb.clone()
                                        },
                                        &zone,
                                    )?
                                    .0
                                };
                                busy.push((s, e, Some("busy".into())));
                            }
                        }
                    }
                    "VAVAILABILITY" => {
                        // Within its period the provider works exactly the AVAILABLE spans: each
                        // date gets the hours the spans give it (wall clock in the provider's zone).
                        let table = self.zones.table(&zone, now, horizon)?;
                        let mut by_date: Vec<(crate::time::Day, Vec<crate::model::HoursRange>)> =
                            Vec::new();
                        for a in c.children.iter().filter(|a| a.name == "AVAILABLE") {
                            let start = a
                                .get("DTSTART")
                                .ok_or_else(|| ical_error(a.line, "AVAILABLE without DTSTART"))?;
                            let (s, _) = self.ical_time(start, &zone)?;
                            let length = match (a.get("DTEND"), a.get("DURATION")) {
                                (Some(e), _) => self.ical_time(e, &zone)?.0 - s,
                                (None, Some(d)) => duration(d)?,
                                _ => {
                                    return Err(ical_error(
                                        a.line,
                                        "AVAILABLE needs DTEND or DURATION",
                                    ))
                                }
                            };
                            let starts = match a.get("RRULE") {
                                None => vec![s],
                                Some(rule) => self.file_instances(
                                    rule,
                                    s,
                                    &self.file_zone(start, &zone),
                                    Vec::new(),
                                    Vec::new(),
                                    horizon,
                                )?,
                            };
                            for t in starts
                                .into_iter()
                                .filter(|&t| t >= now - crate::time::DAY && t < horizon)
                            {
                                let (w0, w1) = (table.wall(t), table.wall(t + length));
                                let day = w0.day();
                                if w1.day() != day && w1.time_of_day() != 0 {
                                    return Err(ical_error(
                                        a.line,
                                        "an AVAILABLE span across midnight; split it",
                                    ));
                                }
                                let clock = |w: crate::time::Wall| {
                                    TimeOfDay::from_minutes(if w.day() > day {
                                        1440
                                    } else {
                                        (w.time_of_day() / 60) as u32
                                    })
                                };
                                let range = crate::model::HoursRange {
                                    start: clock(w0),
                                    end: clock(w1),
                                };
                                match by_date.iter_mut().find(|(d, _)| *d == day) {
                                    Some((_, v)) => v.push(range),
                                    None => by_date.push((day, vec![range])),
                                }
                            }
                        }
                        for (day, hours) in by_date {
                            overrides.push(crate::model::DateOverride {
                                date: day,
                                hours,
                                reason: Some("VAVAILABILITY".into()),
                            });
                        }
                    }
                    _ => {} // VTODO, VJOURNAL, VTIMEZONE (IANA TZIDs are used), X- components
                }
            }
        }
        summary.busy = busy.len() as u32;
        summary.available_dates = overrides.len() as u32;
        for (s, e, reason) in busy {
            if e > s {
                provider.time_off.push(crate::model::TimeOff {
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
        if provider.time_off.len() > 20_000 {
            return Err(Error::input(
                "an import of more than 20000 busy spans; shorten the horizon",
            ));
        }
        self.upsert_provider(provider)?;
        Ok(summary)
    }
}

/// TEXT value unescaping.
fn unescape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut it = v.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// An RFC 5545 DURATION (`P1DT2H`, `PT30M`, `P2W`, signed), in seconds.
fn duration(p: &Prop) -> Result<i64> {
    let bad = || {
        ical_error(
            p.line,
            format!("`{}` is not a DURATION", clip_value(&p.value)),
        )
    };
    let v = p.value.trim();
    let (sign, v) = match v.as_bytes().first() {
        Some(b'-') => (-1, &v[1..]),
        Some(b'+') => (1, &v[1..]),
        _ => (1, v),
    };
    let v = v.strip_prefix('P').ok_or_else(bad)?;
    let (mut total, mut num, mut in_time) = (0i64, String::new(), false);
    for c in v.chars() {
        match c {
            '0'..='9' if num.len() < 9 => num.push(c),
            'T' if num.is_empty() => in_time = true,
            'W' | 'D' | 'H' | 'M' | 'S' if !num.is_empty() => {
                let n: i64 = num.parse().map_err(|_| bad())?;
                num.clear();
                total += n * match (c, in_time) {
                    ('W', false) => 7 * crate::time::DAY,
                    ('D', false) => crate::time::DAY,
                    ('H', true) => crate::time::HOUR,
                    ('M', true) => crate::time::MINUTE,
                    ('S', true) => 1,
                    _ => return Err(bad()),
                };
            }
            _ => return Err(bad()),
        }
    }
    if !num.is_empty() {
        return Err(bad());
    }
    Ok(sign * total)
}
