//! The visits of a period as CSV for a finance team: RFC 4180 (CRLF rows, fields with a comma,
//! quote, CR or LF quoted, quotes doubled), one row per booking, every time local with its offset
//! beside the zone's name, money in integer minor units beside the currency.
//!
//! Text that people typed (names, notes, reasons, addresses, ids a host chose) is neutralised
//! against spreadsheet formula injection: a cell that begins with `=`, `+`, `-`, `@`, a tab or a
//! carriage return gets a leading `'` (OWASP's advice), so a spreadsheet shows it as text. Numbers
//! the engine writes are left as numbers (a negative amount stays `-1500`).

use super::billing::{visit_time, TimesheetQuery};
use super::Recent;
use crate::base::error::{Code, Error, Result};
use crate::model::billing::TimeEntry;
use crate::model::{Booking, Status};
use crate::model::{Provider, Service};
use crate::state::Coordinator;
use crate::time::zone::Cursor;
use crate::time::{date_bytes, time_bytes, Instant};
use std::collections::HashMap;

/// What a CSV's rows share: the zone's offsets, the services and providers found so far, and
/// the clients' names by id (one hashing a row where a search of the sorted clients compared
/// a dozen ids).
struct Rows<'t, 's> {
    clock: Cursor<'t>,
    services: Recent<&'s Service>,
    providers: Recent<&'s Provider>,
    clients: HashMap<&'s str, &'s str>,
}

/// The columns, in order (the README lists what each holds).
pub const COLUMNS: [&str; 32] = [
    "booking_id",
    "status",
    "outcome",
    "outcome_reason",
    "service_id",
    "service",
    "provider_id",
    "provider",
    "client_ids",
    "clients",
    "seats",
    "time_zone",
    "date",
    "start",
    "end",
    "booked_minutes",
    "actual_start",
    "actual_end",
    "actual_minutes",
    "cancelled_by",
    "return_of",
    "service_minor",
    "parts_minor",
    "labour_minutes",
    "labour_billed_minutes",
    "labour_minor",
    "total_minor",
    "currency",
    "csat",
    "nps",
    "work_notes",
    "address",
];

/// A cell of text from people: neutralised, then quoted if it needs it.
pub fn text_cell(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let risky = matches!(
        bytes.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    let quote = bytes
        .iter()
        .any(|&b| matches!(b, b'"' | b',' | b'\n' | b'\r'));
    if !quote && !risky {
        out.extend_from_slice(bytes);
        return;
    }
    if quote {
        out.push(b'"');
    }
    if risky {
        out.push(b'\'');
    }
    if quote {
        for &b in bytes {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(bytes);
    }
}

impl Coordinator {
    /// The bookings (not holds) starting in the period, as CSV, by start.
    pub fn visits_csv(&self, q: &TimesheetQuery) -> Result<String> {
        let mut out = String::new();
        self.write_visits_csv(q, &mut out)?;
        Ok(out)
    }

    /// `visits_csv` appended to `out` (on an error, `out` is as it was). The rows are written
    /// as bytes and checked as UTF-8 once at the end: every piece is text or ASCII.
    pub fn write_visits_csv(&self, q: &TimesheetQuery, out: &mut String) -> Result<()> {
        let mut bytes = std::mem::take(out).into_bytes();
        let at = bytes.len();
        let written = self.csv_bytes(q, &mut bytes);
        if written.is_err() {
            bytes.truncate(at);
        }
        match String::from_utf8(bytes) {
            Ok(text) => {
                *out = text;
                written
            }
            Err(e) => {
                let at = e.utf8_error().valid_up_to().min(at);
                let mut bytes = e.into_bytes();
                bytes.truncate(at);
                *out = String::from_utf8(bytes).unwrap_or_default();
                Err(Error::new(
                    Code::Internal,
                    "the CSV came out as invalid UTF-8",
                ))
            }
        }
    }

    fn csv_bytes(&self, q: &TimesheetQuery, out: &mut Vec<u8>) -> Result<()> {
        let zone = q.time_zone.as_deref().unwrap_or(&self.time_zone);
        let period = self.report_period(zone, q.from, q.to)?;
        let table = self.zones.table(zone, period.start, period.end)?;
        // Each booking's entries, chained by position: no id is hashed.
        let t = &self.time_entries;
        let mut first = vec![u32::MAX; self.bookings.list.len()];
        let mut next = vec![u32::MAX; t.list.len()];
        for (i, &at) in t.booking_at.iter().enumerate().rev() {
            if let Some(f) = first.get_mut(at as usize) {
                if let Some(n) = next.get_mut(i) {
                    *n = *f;
                }
                *f = i as u32;
            }
        }
        let mut keys: Vec<i64> = self
            .bookings
            .values()
            .enumerate()
            .filter(|(_, b)| {
                b.status != Status::Held
                    && period.start <= b.start
                    && b.start < period.end
                    && q.provider_id.as_ref().is_none_or(|p| *b.provider_id == **p)
            })
            .map(|(at, b)| crate::state::pack(b.start, at as u32))
            .collect();
        crate::base::sort::sort_keys(&mut keys);
        out.reserve(64 + keys.len() * 400);
        out.extend_from_slice(COLUMNS.join(",").as_bytes());
        out.extend_from_slice(b"\r\n");
        let mut scratch = String::new();
        let mut rows = Rows {
            clock: table.cursor(),
            services: Recent::default(),
            providers: Recent::default(),
            clients: self
                .archive
                .clients
                .values()
                .chain(self.clients.values())
                .map(|c| (c.id.as_str(), c.name.as_str()))
                .collect(),
        };
        let mut entries: Vec<&TimeEntry> = Vec::new();
        for key in keys {
            let at = crate::state::unpack(key).1;
            entries.clear();
            let mut i = first.get(at as usize).copied().unwrap_or(u32::MAX);
            while let Some(e) = t.list.get(i as usize) {
                entries.push(e);
                i = next.get(i as usize).copied().unwrap_or(u32::MAX);
            }
            self.csv_row(
                out,
                &mut scratch,
                self.bookings.at(at),
                &entries,
                zone,
                &mut rows,
            );
        }
        Ok(())
    }

    fn csv_row<'s>(
        &'s self,
        out: &mut Vec<u8>,
        scratch: &mut String,
        b: &Booking,
        entries: &[&TimeEntry],
        zone: &str,
        rows: &mut Rows<'_, 's>,
    ) {
        let service = rows.services.find(&b.service_id, |id| self.service_any(id));
        let provider = rows
            .providers
            .find(&b.provider_id, |id| self.provider_any(id));
        let v = b.visit();
        let done = b.status == Status::Completed;
        let service_minor = match service.and_then(|s| s.price_minor) {
            Some(p) if done => p * i64::from(b.seats_taken()),
            _ => 0,
        };
        let parts_minor = v.map_or(0, |v| v.parts_minor());
        let (raw, billed, labour) = visit_time(entries, &self.billing.rounding)
            .into_iter()
            .fold((0, 0, 0), |(r, x, a), t| (r + t.2, x + t.3, a + t.4));
        text_cell(out, &b.id);
        out.push(b',');
        out.extend_from_slice(b.status.as_str().as_bytes());
        out.push(b',');
        if let Some(o) = v.and_then(|v| v.outcome) {
            out.extend_from_slice(o.as_str().as_bytes());
        }
        out.push(b',');
        text_cell(
            out,
            v.and_then(|v| v.outcome_reason.as_deref()).unwrap_or(""),
        );
        out.push(b',');
        text_cell(out, &b.service_id);
        out.push(b',');
        text_cell(out, service.map_or("", |s| s.name.as_str()));
        out.push(b',');
        text_cell(out, &b.provider_id);
        out.push(b',');
        text_cell(out, provider.map_or("", |p| p.name.as_str()));
        out.push(b',');
        joined(out, scratch, b.client_ids.iter().map(String::as_str), ";");
        out.push(b',');
        let names = b.client_ids.iter().map(|id| {
            rows.clients
                .get(id.as_str())
                .copied()
                .unwrap_or(id.as_str())
        });
        joined(out, scratch, names, "; ");
        out.push(b',');
        int(out, i64::from(b.seats_taken()));
        out.push(b',');
        text_cell(out, zone);
        out.push(b',');
        let clock = &mut rows.clock;
        out.extend_from_slice(&date_bytes(b.start.wall(clock.offset_at(b.start)).day()));
        out.push(b',');
        let mut local = |out: &mut Vec<u8>, t: Instant| {
            let (buf, len) = time_bytes(t, clock.offset_at(t));
            out.extend_from_slice(buf.get(..len).unwrap_or_default());
        };
        local(out, b.start);
        out.push(b',');
        local(out, b.end);
        out.push(b',');
        minutes(out, b.end - b.start);
        out.push(b',');
        let actual = v.map(|v| (v.actual_start, v.actual_end));
        if let Some(t) = actual.and_then(|a| a.0) {
            local(out, t);
        }
        out.push(b',');
        if let Some(t) = actual.and_then(|a| a.1) {
            local(out, t);
        }
        out.push(b',');
        if let Some((a, e)) = actual.and_then(|(a, e)| Some((a?, e?))) {
            minutes(out, e - a);
        }
        out.push(b',');
        if let Some(p) = b.cancelled_by() {
            out.extend_from_slice(p.as_str().as_bytes());
        }
        out.push(b',');
        text_cell(out, b.return_of().unwrap_or(""));
        for n in [service_minor, parts_minor] {
            out.push(b',');
            int(out, n);
        }
        out.push(b',');
        minutes(out, raw);
        out.push(b',');
        minutes(out, billed);
        out.push(b',');
        int(out, labour);
        out.push(b',');
        int(out, service_minor + parts_minor + labour);
        out.push(b',');
        out.extend_from_slice(self.billing.currency.as_bytes());
        out.push(b',');
        let answer = v.and_then(|v| v.satisfaction.as_ref());
        if let Some(c) = answer.and_then(|s| s.csat) {
            int(out, i64::from(c));
        }
        out.push(b',');
        if let Some(n) = answer.and_then(|s| s.nps) {
            int(out, i64::from(n));
        }
        out.push(b',');
        text_cell(out, v.and_then(|v| v.work_notes.as_deref()).unwrap_or(""));
        out.push(b',');
        text_cell(
            out,
            b.location()
                .and_then(|l| l.address.as_deref())
                .unwrap_or(""),
        );
        out.extend_from_slice(b"\r\n");
    }
}

/// Pieces joined by `sep` as one text cell (through `scratch`, reused row after row).
fn joined<'a>(
    out: &mut Vec<u8>,
    scratch: &mut String,
    pieces: impl Iterator<Item = &'a str>,
    sep: &str,
) {
    scratch.clear();
    for (i, p) in pieces.enumerate() {
        if i > 0 {
            scratch.push_str(sep);
        }
        scratch.push_str(p);
    }
    text_cell(out, scratch);
}

/// An integer, in decimal.
fn int(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    let mut m = n.unsigned_abs();
    if m < 10 {
        out.push(b'0' + m as u8); // most counts and amounts of a row
        return;
    }
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    while m > 0 && i > 0 {
        i -= 1;
        if let Some(d) = buf.get_mut(i) {
            *d = b'0' + (m % 10) as u8;
        }
        m /= 10;
    }
    out.extend_from_slice(buf.get(i..).unwrap_or_default());
}

/// Seconds as minutes, to the hundredth (`90`, `87.5`, `-12.25`).
fn minutes(out: &mut Vec<u8>, seconds: i64) {
    let hundredths = (seconds * 100 + seconds.signum() * 30) / 60;
    if hundredths < 0 {
        out.push(b'-');
    }
    let h = hundredths.abs();
    int(out, h / 100);
    let frac = h % 100;
    if frac != 0 {
        out.push(b'.');
        if frac % 10 == 0 {
            int(out, frac / 10);
        } else {
            if frac < 10 {
                out.push(b'0');
            }
            int(out, frac);
        }
    }
}
