//! iCalendar (RFC 5545) export: bookings as VEVENTs and a provider's busy time as VFREEBUSY, so
//! they land in the calendars people already use.
//!
//! UIDs are stable (`<booking id>@service-coordinator`), SEQUENCE rises with every revision, a
//! cancelled booking is exported with STATUS:CANCELLED (so calendars remove it), times are UTC.
//! Text is escaped (`\\`, `\;`, `\,`, `\n`) and lines are folded at 75 octets without splitting a
//! UTF-8 character, with CRLF line ends.

use crate::base::error::{Error, Result};
use crate::json::{Fields, FromJson, JResult, Json};
use crate::model::{BookingFilter, FreeBusyQuery, Status};
use crate::state::Coordinator;
use crate::time::rrule::basic;
use crate::time::Instant;

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
