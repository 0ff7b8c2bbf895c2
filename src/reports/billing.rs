//! What time and visits cost: the timesheet (entries rounded by the company's rule, raw and
//! rounded side by side) and a visit's invoice lines (service, parts, time).

use crate::base::error::{Error, Result};
use crate::json::{record, ToJson, Writer};
use crate::model::billing::{amount_minor, EntryKind, RoundPer, Rounding, TimeEntry};
use crate::model::Booking;
use crate::state::{Coordinator, TimeEntries};
use crate::time::{Day, Instant, Interval, When, DAY};

record! {
    /// Entries starting in `[from, to)`, read in `timeZone` (whose days `per: day` rounds by).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct TimesheetQuery {
        from: When = "from" req,
        to: When = "to" req,
        time_zone: Option<String> = "timeZone" opt,
        provider_id: Option<String> = "providerId" opt,
    }
}

/// The longest period a report covers (a year and a bit).
pub const MAX_REPORT_DAYS: i64 = 400;

/// One line of a timesheet: entries rounded together (one entry, one visit's entries of a kind,
/// or a provider's day of a kind), at one rate. Borrowed from the entries it sums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line<'a> {
    pub provider_id: &'a str,
    pub booking_id: Option<&'a str>,
    pub kind: EntryKind,
    pub day: Day,
    pub billable: bool,
    pub rate_minor: i64,
    pub raw: i64,
    pub rounded: i64,
    pub amount_minor: i64,
    /// The entries it sums (left empty when the caller only wants figures).
    pub entry_ids: Vec<&'a str>,
}

/// Entries rounded together: the first one's index (its provider, visit, kind, billable and rate
/// are the group's), the local day of the first, the raw seconds (a reversal counts negative).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sum {
    pub first: u32,
    pub raw: i64,
}

/// Whether two entries may be rounded together (besides sharing a visit or a day).
fn alike(a: &TimeEntry, b: &TimeEntry) -> bool {
    a.kind == b.kind
        && a.billable == b.billable
        && a.rate_minor == b.rate_minor
        && a.provider_id == b.provider_id
}

/// The rounding groups of the entries `pick` keeps: each entry alone, a visit's alike entries
/// together, or a provider's alike entries of one local day (`day_of`) together. `next` chains
/// a group's entries after its first (`u32::MAX` ends the chain). Grouping by visit goes by
/// booking position, without hashing an id.
pub(crate) fn group(
    t: &TimeEntries,
    bookings: usize,
    per: RoundPer,
    mut day_of: impl FnMut(Instant) -> Day,
    pick: impl Fn(&TimeEntry) -> bool,
) -> (Vec<Sum>, Vec<u32>) {
    const NONE: u32 = u32::MAX;
    let mut next = vec![NONE; t.list.len()];
    let mut sums: Vec<Sum> = Vec::new();
    let mut last: Vec<u32> = Vec::new();
    // Visit: the latest group of each booking, and each group's previous one of its booking.
    let mut head: Vec<u32> = if per == RoundPer::Visit {
        vec![NONE; bookings]
    } else {
        Vec::new()
    };
    let mut earlier: Vec<u32> = Vec::new();
    let mut days: std::collections::HashMap<(&str, i64, u8, bool, i64), u32> = Default::default();
    for (i, (e, &at)) in t.list.iter().zip(&t.booking_at).enumerate() {
        if !pick(e) {
            continue;
        }
        let found = match per {
            RoundPer::Entry => None,
            RoundPer::Visit => {
                let mut g = head.get(at as usize).copied().unwrap_or(NONE);
                while g != NONE {
                    let first = sums
                        .get(g as usize)
                        .and_then(|s| t.list.get(s.first as usize));
                    if first.is_some_and(|f| alike(f, e)) {
                        break;
                    }
                    g = earlier.get(g as usize).copied().unwrap_or(NONE);
                }
                (g != NONE).then_some(g)
            }
            RoundPer::Day => {
                let key = (
                    &*e.provider_id,
                    day_of(e.start).days(),
                    e.kind as u8,
                    e.billable,
                    e.rate_minor,
                );
                let n = sums.len() as u32;
                let g = *days.entry(key).or_insert(n);
                (g != n).then_some(g)
            }
        };
        match found.and_then(|g| Some((g, sums.get_mut(g as usize)?))) {
            Some((g, sum)) => {
                sum.raw += e.seconds();
                if let Some(l) = last.get_mut(g as usize) {
                    if let Some(n) = next.get_mut(*l as usize) {
                        *n = i as u32;
                    }
                    *l = i as u32;
                }
            }
            None => {
                let g = sums.len() as u32;
                sums.push(Sum {
                    first: i as u32,
                    raw: e.seconds(),
                });
                last.push(i as u32);
                if per == RoundPer::Visit {
                    let slot = head.get_mut(at as usize);
                    earlier.push(slot.as_deref().copied().unwrap_or(NONE));
                    if let Some(h) = slot {
                        *h = g;
                    }
                }
            }
        }
    }
    (sums, next)
}

/// A visit's billable time as its invoice rounds it (a rule per day rounds per visit here: an
/// invoice has one visit to go on): (kind, rate, raw, rounded, amount) for each group of alike
/// entries. A visit has few entries: they are grouped by a scan.
pub fn visit_time(entries: &[&TimeEntry], r: &Rounding) -> Vec<(EntryKind, i64, i64, i64, i64)> {
    let mut out: Vec<(EntryKind, i64, i64, i64, i64)> = Vec::new();
    let mut firsts: Vec<&TimeEntry> = Vec::new();
    for &e in entries.iter().filter(|e| e.billable) {
        let together = r.per != RoundPer::Entry;
        match firsts.iter().position(|f| together && alike(f, e)) {
            Some(i) => {
                if let Some(x) = out.get_mut(i) {
                    x.2 += e.seconds();
                }
            }
            None => {
                firsts.push(e);
                out.push((e.kind, e.rate_minor, e.seconds(), 0, 0));
            }
        }
    }
    for x in &mut out {
        x.3 = r.apply(x.2);
        x.4 = amount_minor(x.3, x.1);
    }
    out
}

/// A visit's invoice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invoice {
    pub booking_id: String,
    pub currency: String,
    pub lines: Vec<InvoiceLine>,
    pub total_minor: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceLine {
    /// `service`, `part` or `time`.
    pub kind: &'static str,
    pub description: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
    pub amount_minor: i64,
    /// Time lines: the seconds worked and billed.
    pub raw_seconds: Option<i64>,
    pub rounded_seconds: Option<i64>,
}

impl Coordinator {
    /// The period `[from, to)` of a report read in `zone`, at most [`MAX_REPORT_DAYS`] long.
    pub(crate) fn report_period(&self, zone: &str, from: When, to: When) -> Result<Interval> {
        self.zones.validate(zone)?;
        let iv = self.zones.range(zone, from, to, "report")?;
        if iv.end - iv.start > MAX_REPORT_DAYS * DAY {
            return Err(Error::new(
                crate::base::error::Code::RangeTooLarge,
                format!("a report covers at most {MAX_REPORT_DAYS} days"),
            ));
        }
        Ok(iv)
    }

    /// The timesheet: entries starting in the period, rounded by the company's rule.
    pub fn timesheet(&self, q: &TimesheetQuery) -> Result<Vec<Line<'_>>> {
        let zone = q.time_zone.as_deref().unwrap_or(&self.time_zone);
        let period = self.report_period(zone, q.from, q.to)?;
        let table = self.zones.table(zone, period.start, period.end)?;
        let r = &self.billing.rounding;
        let t = &self.time_entries;
        let (sums, next) = group(
            t,
            self.bookings.list.len(),
            r.per,
            |x| table.local_day(x),
            |e| {
                period.start <= e.start
                    && e.start < period.end
                    && q.provider_id.as_ref().is_none_or(|p| &e.provider_id == p)
            },
        );
        let mut out = Vec::with_capacity(sums.len());
        for s in sums {
            let Some(e) = t.list.get(s.first as usize) else {
                continue;
            };
            let mut ids = Vec::new();
            let mut i = s.first;
            while let Some(x) = t.list.get(i as usize) {
                ids.push(x.id.as_str());
                i = next.get(i as usize).copied().unwrap_or(u32::MAX);
            }
            let rounded = r.apply(s.raw);
            out.push(Line {
                provider_id: &e.provider_id,
                booking_id: if r.per == RoundPer::Day {
                    None
                } else {
                    e.booking_id.as_deref()
                },
                kind: e.kind,
                day: table.local_day(e.start),
                billable: e.billable,
                rate_minor: e.rate_minor,
                raw: s.raw,
                rounded,
                amount_minor: if e.billable {
                    amount_minor(rounded, e.rate_minor)
                } else {
                    0
                },
                entry_ids: ids,
            });
        }
        Ok(out)
    }

    /// A visit's invoice: the service's price a seat (once completed), the parts, and its
    /// billable time (rounded by the company's rule; a rule per day is applied per visit here).
    pub fn invoice(&self, id: &str) -> Result<Invoice> {
        let b = self
            .bookings
            .get(id)
            .ok_or_else(|| Error::unknown("booking", id))?;
        let entries: Vec<&TimeEntry> = self
            .time_entries
            .values()
            .filter(|e| e.booking_id.as_deref() == Some(id))
            .collect();
        Ok(self.invoice_of(b, &entries))
    }

    pub(crate) fn invoice_of(&self, b: &Booking, entries: &[&TimeEntry]) -> Invoice {
        let mut lines = Vec::new();
        let service = self.service_any(&b.service_id);
        let done = b.status == crate::model::Status::Completed;
        if let Some((s, price)) = service
            .and_then(|s| Some((s, s.price_minor?)))
            .filter(|_| done)
        {
            let seats = i64::from(b.seats_taken());
            lines.push(InvoiceLine {
                kind: "service",
                description: s.name.clone(),
                quantity: seats,
                unit_price_minor: price,
                amount_minor: price * seats,
                raw_seconds: None,
                rounded_seconds: None,
            });
        }
        for p in b.visit().map(|v| v.parts.as_slice()).unwrap_or_default() {
            lines.push(InvoiceLine {
                kind: "part",
                description: p.item.clone(),
                quantity: i64::from(p.quantity),
                unit_price_minor: p.unit_price_minor,
                amount_minor: p.total_minor(),
                raw_seconds: None,
                rounded_seconds: None,
            });
        }
        for (kind, rate, raw, rounded, amount) in visit_time(entries, &self.billing.rounding) {
            if raw == 0 {
                continue;
            }
            let what = match kind {
                EntryKind::OnSite => "Labour on site",
                EntryKind::Travel => "Travel",
                EntryKind::Admin => "Administration",
            };
            lines.push(InvoiceLine {
                kind: "time",
                description: what.to_string(),
                quantity: rounded,
                unit_price_minor: rate,
                amount_minor: amount,
                raw_seconds: Some(raw),
                rounded_seconds: Some(rounded),
            });
        }
        Invoice {
            booking_id: b.id.to_string(),
            currency: self.billing.currency.clone(),
            total_minor: lines.iter().map(|l| l.amount_minor).sum(),
            lines,
        }
    }
}

impl ToJson for Line<'_> {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("providerId", self.provider_id);
        w.opt("bookingId", &self.booking_id);
        w.field("kind", &self.kind);
        w.field("day", &self.day);
        w.field("billable", &self.billable);
        w.field("rateMinor", &self.rate_minor);
        w.field("rawMinutes", &minutes(self.raw));
        w.field("roundedMinutes", &minutes(self.rounded));
        w.field("amountMinor", &self.amount_minor);
        w.field("entryIds", &self.entry_ids);
        w.end_obj();
    }
}

impl ToJson for Invoice {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("bookingId", &self.booking_id);
        w.field("currency", &self.currency);
        w.field("lines", &self.lines);
        w.field("totalMinor", &self.total_minor);
        w.end_obj();
    }
}

impl ToJson for InvoiceLine {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("kind", self.kind);
        w.field("description", &self.description);
        match (self.raw_seconds, self.rounded_seconds) {
            (Some(raw), Some(rounded)) => {
                w.field("rawMinutes", &minutes(raw));
                w.field("roundedMinutes", &minutes(rounded));
                w.field("rateMinor", &self.unit_price_minor);
            }
            _ => {
                w.field("quantity", &self.quantity);
                w.field("unitPriceMinor", &self.unit_price_minor);
            }
        }
        w.field("amountMinor", &self.amount_minor);
        w.end_obj();
    }
}

/// Seconds as minutes, to the hundredth (entries are whole seconds; rounding units whole minutes).
pub fn minutes(seconds: i64) -> f64 {
    (seconds as f64 / 60.0 * 100.0).round() / 100.0
}
