//! The visits of a period as CSV for a finance team: RFC 4180 (CRLF rows, fields with a comma,
//! quote, CR or LF quoted, quotes doubled), one row per booking, every time local with its offset
//! beside the zone's name, money in integer minor units beside the currency.
//!
//! Text that people typed (names, notes, reasons, addresses, ids a host chose) is neutralised
//! against spreadsheet formula injection: a cell that begins with `=`, `+`, `-`, `@`, a tab or a
//! carriage return gets a leading `'` (OWASP's advice), so a spreadsheet shows it as text. Numbers
//! the engine writes are left as numbers (a negative amount stays `-1500`).

use super::billing::TimesheetQuery;
use crate::base::error::Result;
use crate::model::billing::TimeEntry;
use crate::model::Booking;
use crate::state::Coordinator;
use crate::time::zone::Table;
use crate::time::{write_time, Instant};
use std::collections::HashMap;
use std::fmt::Write;

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
    let quote = text.contains(['"', ',', '\n', '\r']);
    if quote {
        out.push('"');
    }
    if risky {
        out.push('\'');
    }
    if quote {
        for ch in text.chars() {
            if ch == '"' {
                out.push('"');
            }
            out.push(ch);
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
        let mut by_booking: HashMap<&str, Vec<&TimeEntry>> = HashMap::new();
        for e in self.time_entries.values() {
            if let Some(b) = &e.booking_id {
                by_booking.entry(b.as_str()).or_default().push(e);
            }
        }
        let mut keys: Vec<i64> = self
            .bookings
            .values()
            .enumerate()
            .filter(|(_, b)| {
                b.status != crate::model::Status::Held
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
        for key in keys {
            let b = self.bookings.at(crate::state::unpack(key).1);
            let entries = by_booking
                .get(&*b.id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            self.csv_row(&mut out, b, entries, zone, &table);
        }
        Ok(out)
    }

    fn csv_row(
        &self,
        out: &mut String,
        b: &Booking,
        entries: &[&TimeEntry],
        zone: &str,
        table: &Table,
    ) {
        let local = |out: &mut String, t: Instant| write_time(out, t, table.offset_at(t));
        let service = self.service_any(&b.service_id);
        let provider = self.provider_any(&b.provider_id);
        let v = b.visit();
        let invoice = self.invoice_of(b, entries);
        let amount = |kind: &str| -> i64 {
            invoice
                .lines
                .iter()
                .filter(|l| l.kind == kind)
                .map(|l| l.amount_minor)
                .sum()
        };
        let (raw, billed) = invoice
            .lines
            .iter()
            .filter_map(|l| Some((l.raw_seconds?, l.rounded_seconds?)))
            .fold((0, 0), |(a, b), (r, x)| (a + r, b + x));
        let minutes = |out: &mut String, s: i64| {
            let _ = write!(out, "{}", super::billing::minutes(s));
        };
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
        text_cell(out, &b.client_ids.join(";"));
        out.push(',');
        let names: Vec<&str> = b
            .client_ids
            .iter()
            .map(|id| {
                self.client(id)
                    .or_else(|| self.archive.client(id))
                    .map_or(id.as_str(), |c| c.name.as_str())
            })
            .collect();
        text_cell(out, &names.join("; "));
        let _ = write!(out, ",{},", b.seats_taken());
        text_cell(out, zone);
        out.push(',');
        let date = table.local_day(b.start);
        out.push_str(&crate::time::format_date(date));
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
        let _ = write!(out, ",{},{},", amount("service"), amount("part"));
        minutes(out, raw);
        out.push(',');
        minutes(out, billed);
        let _ = write!(out, ",{},{},", amount("time"), invoice.total_minor);
        out.push_str(&invoice.currency);
        out.push(',');
        let answer = v.and_then(|v| v.satisfaction.as_ref());
        if let Some(c) = answer.and_then(|s| s.csat) {
            let _ = write!(out, "{c}");
        }
        out.push(',');
        if let Some(n) = answer.and_then(|s| s.nps) {
            let _ = write!(out, "{n}");
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
