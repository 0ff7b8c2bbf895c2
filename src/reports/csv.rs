//! The visits of a period as CSV for a finance team: RFC 4180 (CRLF rows, fields with a comma,
//! quote, CR or LF quoted, quotes doubled), one row per booking, every time local with its offset
//! beside the zone's name, money in integer minor units beside the currency.
//!
//! Text that people typed (names, notes, reasons, addresses, ids a host chose) is neutralised
//! against spreadsheet formula injection: a cell that begins with `=`, `+`, `-`, `@`, a tab or a
//! carriage return gets a leading `'` (OWASP's advice), so a spreadsheet shows it as text. Numbers
//! the engine writes are left as numbers (a negative amount stays `-1500`).

use super::billing::{visit_time, TimesheetQuery};
use crate::base::error::Result;
use crate::model::billing::TimeEntry;
use crate::model::{Booking, Status};
use crate::state::Coordinator;
use crate::time::zone::Table;
use crate::time::{write_time, Instant};

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
pub fn text_cell(out: &mut String, text: &str) {
    let risky = matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    let quote = text
        .bytes()
        .any(|b| matches!(b, b'"' | b',' | b'\n' | b'\r'));
    if quote {
        out.push('"');
    }
    if risky {
        out.push('\'');
    }
    if quote {
        for (i, piece) in text.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(piece);
        }
        out.push('"');
    } else {
        out.push_str(text);
    }
}

impl Coordinator {
    /// The bookings (not holds) starting in the period, as CSV, by start.
    pub fn visits_csv(&self, q: &TimesheetQuery) -> Result<String> {
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
        crate::base::sort::sort(&mut keys);
        let mut out = String::with_capacity(64 + keys.len() * 320);
        out.push_str(&COLUMNS.join(","));
        out.push_str("\r\n");
        let mut scratch = String::new();
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
                &mut out,
                &mut scratch,
                self.bookings.at(at),
                &entries,
                zone,
                &table,
            );
        }
        Ok(out)
    }

    fn csv_row(
        &self,
        out: &mut String,
        scratch: &mut String,
        b: &Booking,
        entries: &[&TimeEntry],
        zone: &str,
        table: &Table,
    ) {
        let local = |out: &mut String, t: Instant| write_time(out, t, table.offset_at(t));
        let service = self.service_any(&b.service_id);
        let provider = self.provider_any(&b.provider_id);
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
        out.push(',');
        out.push_str(b.status.as_str());
        out.push(',');
        if let Some(o) = v.and_then(|v| v.outcome) {
            out.push_str(o.as_str());
        }
        out.push(',');
        text_cell(
            out,
            v.and_then(|v| v.outcome_reason.as_deref()).unwrap_or(""),
        );
        out.push(',');
        text_cell(out, &b.service_id);
        out.push(',');
        text_cell(out, service.map_or("", |s| s.name.as_str()));
        out.push(',');
        text_cell(out, &b.provider_id);
        out.push(',');
        text_cell(out, provider.map_or("", |p| p.name.as_str()));
        out.push(',');
        joined(out, scratch, b.client_ids.iter().map(String::as_str), ";");
        out.push(',');
        let names = b.client_ids.iter().map(|id| {
            self.client(id)
                .or_else(|| self.archive.client(id))
                .map_or(id.as_str(), |c| c.name.as_str())
        });
        joined(out, scratch, names, "; ");
        out.push(',');
        int(out, i64::from(b.seats_taken()));
        out.push(',');
        text_cell(out, zone);
        out.push(',');
        // The local date: the first ten characters of the local time.
        let at = out.len();
        local(out, b.start);
        out.truncate(at + 10);
        out.push(',');
        local(out, b.start);
        out.push(',');
        local(out, b.end);
        out.push(',');
        minutes(out, b.end - b.start);
        out.push(',');
        let actual = v.map(|v| (v.actual_start, v.actual_end));
        if let Some(t) = actual.and_then(|a| a.0) {
            local(out, t);
        }
        out.push(',');
        if let Some(t) = actual.and_then(|a| a.1) {
            local(out, t);
        }
        out.push(',');
        if let Some((a, e)) = actual.and_then(|(a, e)| Some((a?, e?))) {
            minutes(out, e - a);
        }
        out.push(',');
        if let Some(p) = b.cancelled_by() {
            out.push_str(p.as_str());
        }
        out.push(',');
        text_cell(out, b.return_of().unwrap_or(""));
        for n in [service_minor, parts_minor] {
            out.push(',');
            int(out, n);
        }
        out.push(',');
        minutes(out, raw);
        out.push(',');
        minutes(out, billed);
        out.push(',');
        int(out, labour);
        out.push(',');
        int(out, service_minor + parts_minor + labour);
        out.push(',');
        out.push_str(&self.billing.currency);
        out.push(',');
        let answer = v.and_then(|v| v.satisfaction.as_ref());
        if let Some(c) = answer.and_then(|s| s.csat) {
            int(out, i64::from(c));
        }
        out.push(',');
        if let Some(n) = answer.and_then(|s| s.nps) {
            int(out, i64::from(n));
        }
        out.push(',');
        text_cell(out, v.and_then(|v| v.work_notes.as_deref()).unwrap_or(""));
        out.push(',');
        text_cell(
            out,
            b.location()
                .and_then(|l| l.address.as_deref())
                .unwrap_or(""),
        );
        out.push_str("\r\n");
    }
}

/// Pieces joined by `sep` as one text cell (through `scratch`, reused row after row).
fn joined<'a>(
    out: &mut String,
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
fn int(out: &mut String, n: i64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut m = n.unsigned_abs();
    loop {
        i -= 1;
        if let Some(d) = buf.get_mut(i) {
            *d = b'0' + (m % 10) as u8;
        }
        m /= 10;
        if m == 0 || i == 0 {
            break;
        }
    }
    if n < 0 {
        out.push('-');
    }
    out.push_str(std::str::from_utf8(buf.get(i..).unwrap_or_default()).unwrap_or_default());
}

/// Seconds as minutes, to the hundredth (`90`, `87.5`, `-12.25`).
fn minutes(out: &mut String, seconds: i64) {
    let hundredths = (seconds * 100 + seconds.signum() * 30) / 60;
    if hundredths < 0 {
        out.push('-');
    }
    let h = hundredths.abs();
    int(out, h / 100);
    let frac = h % 100;
    if frac != 0 {
        out.push('.');
        if frac % 10 == 0 {
            int(out, frac / 10);
        } else {
            if frac < 10 {
                out.push('0');
            }
            int(out, frac);
        }
    }
}
