//! iCalendar (RFC 5545) export: bookings as VEVENTs and a provider's busy time as VFREEBUSY, so
//! they land in the calendars people already use.
//!
//! UIDs are stable (`<booking id>@service-coordinator`), SEQUENCE rises with every revision, a
//! cancelled booking is exported with STATUS:CANCELLED (so calendars remove it), times are UTC.
//! Text is escaped (`\\`, `\;`, `\,`, `\n`) and lines are folded at 75 octets without splitting a
//! UTF-8 character, with CRLF line ends.

use crate::coordinator::Coordinator;
use crate::error::{Error, Result};
use crate::json::{Fields, FromJson, JResult, Json};
use crate::model::{BookingFilter, FreeBusyQuery, Status};
use crate::rrule::basic;
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
        let r = ExportQuery { bookings: f.or("bookings", BookingFilter::default()), free_busy: f.opt("freeBusy") };
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
    format!("{}Z", basic(t, false))
}

impl Coordinator {
    /// The bookings (and optionally a provider's free/busy) as an iCalendar object.
    pub fn export_icalendar(&self, q: &ExportQuery, now: Instant) -> Result<String> {
        let mut out = String::new();
        line(&mut out, "BEGIN:VCALENDAR");
        line(&mut out, "VERSION:2.0");
        line(&mut out, "PRODID:-//service-coordinator//engine//EN");
        line(&mut out, "CALSCALE:GREGORIAN");
        for b in self.bookings(&q.bookings)? {
            if b.status == Status::Held {
                continue; // a hold is nobody's appointment yet
            }
            line(&mut out, "BEGIN:VEVENT");
            line(&mut out, &format!("UID:{}@service-coordinator", text(&b.id)));
            line(&mut out, &format!("DTSTAMP:{}", utc(b.updated_at)));
            line(&mut out, &format!("SEQUENCE:{}", b.revision.saturating_sub(1)));
            line(&mut out, &format!("DTSTART:{}", utc(b.start)));
            line(&mut out, &format!("DTEND:{}", utc(b.end)));
            let summary = self.service(&b.service_id).map_or(b.service_id.as_str(), |s| s.name.as_str());
            line(&mut out, &format!("SUMMARY:{}", text(summary)));
            let status = match b.status {
                Status::Cancelled => "CANCELLED",
                Status::Tentative => "TENTATIVE",
                _ => "CONFIRMED",
            };
            line(&mut out, &format!("STATUS:{status}"));
            if let Some(n) = &b.notes {
                line(&mut out, &format!("DESCRIPTION:{}", text(n)));
            }
            if let Some(p) = self.provider(&b.provider_id) {
                line(&mut out, &format!("X-SERVICE-COORDINATOR-PROVIDER;CN={}:{}", param(&p.name), text(&p.id)));
            }
            for c in b.client_ids.iter().filter_map(|c| self.client(c)) {
                if let Some(email) = &c.email {
                    line(&mut out, &format!("ATTENDEE;CN={};ROLE=REQ-PARTICIPANT:mailto:{}", param(&c.name), email.replace([' ', '\r', '\n'], "")));
                }
            }
            if let (Some(series), Some(rid)) = (&b.series_id, b.recurrence_id) {
                line(&mut out, &format!("RELATED-TO:{}@service-coordinator", text(series)));
                line(&mut out, &format!("X-SERVICE-COORDINATOR-RECURRENCE-ID:{}", utc(rid)));
            }
            line(&mut out, "END:VEVENT");
        }
        if let Some(fb) = &q.free_busy {
            let range = self.query_range(fb.time_zone.as_deref(), &fb.from, &fb.to)?;
            let answer = self.free_busy(fb, now)?;
            for lane in answer.providers {
                line(&mut out, "BEGIN:VFREEBUSY");
                line(&mut out, &format!("UID:freebusy-{}@service-coordinator", text(&lane.id)));
                line(&mut out, &format!("DTSTAMP:{}", utc(now)));
                line(&mut out, &format!("DTSTART:{}", utc(range.start)));
                line(&mut out, &format!("DTEND:{}", utc(range.end)));
                line(&mut out, &format!("X-SERVICE-COORDINATOR-PROVIDER:{}", text(&lane.id)));
                for busy in lane.busy {
                    line(&mut out, &format!("FREEBUSY;FBTYPE=BUSY:{}/{}", utc(busy.start.max(range.start)), utc(busy.end.min(range.end))));
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
