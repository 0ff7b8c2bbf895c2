//! What time and visits cost: the timesheet (entries rounded by the company's rule, raw and
//! rounded side by side) and a visit's invoice lines (service, parts, time).

use crate::base::error::{Error, Result};
use crate::json::{record, ToJson, Writer};
use crate::model::billing::{amount_minor, EntryKind, RoundPer, Rounding, TimeEntry};
use crate::model::Booking;
use crate::state::Coordinator;
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
/// or a provider's day of a kind), at one rate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub provider_id: String,
    pub booking_id: Option<String>,
    pub kind: EntryKind,
    pub day: Day,
    pub billable: bool,
    pub rate_minor: i64,
    pub raw: i64,
    pub rounded: i64,
    pub amount_minor: i64,
    pub entry_ids: Vec<String>,
}

/// What entries rounded together share: provider, visit, kind, day, billable, rate.
type GroupKey = (String, Option<String>, u8, i64, bool, i64);

/// The lines of `entries` under `rounding`, days cut in `day_of`'s zone. `per` may differ from
/// the rule's (an invoice rounds a day's rule per visit: it has one visit to go on).
pub fn lines<'a>(
    entries: impl Iterator<Item = &'a TimeEntry>,
    rounding: &Rounding,
    per: RoundPer,
    day_of: impl Fn(Instant) -> Day,
) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    // Each group's line, by key (linear whatever the entries' order).
    let mut open: std::collections::HashMap<GroupKey, usize> = Default::default();
    for e in entries {
        let day = day_of(e.start);
        let key = match per {
            RoundPer::Entry => None,
            RoundPer::Visit => Some((
                e.provider_id.clone(),
                Some(e.booking_id.clone().unwrap_or_else(|| e.id.clone())),
                e.kind as u8,
                0,
                e.billable,
                e.rate_minor,
            )),
            RoundPer::Day => Some((
                e.provider_id.clone(),
                None,
                e.kind as u8,
                day.days(),
                e.billable,
                e.rate_minor,
            )),
        };
        let at = key.as_ref().and_then(|k| open.get(k).copied());
        match at.and_then(|i| out.get_mut(i)) {
            Some(line) => {
                line.raw += e.seconds();
                line.entry_ids.push(e.id.clone());
            }
            None => {
                if let Some(k) = key {
                    open.insert(k, out.len());
                }
                out.push(Line {
                    provider_id: e.provider_id.clone(),
                    booking_id: if per == RoundPer::Day {
                        None
                    } else {
                        e.booking_id.clone()
                    },
                    kind: e.kind,
                    day,
                    billable: e.billable,
                    rate_minor: e.rate_minor,
                    raw: e.seconds(),
                    rounded: 0,
                    amount_minor: 0,
                    entry_ids: vec![e.id.clone()],
                });
            }
        }
    }
    for l in &mut out {
        l.rounded = rounding.apply(l.raw);
        l.amount_minor = if l.billable {
            amount_minor(l.rounded, l.rate_minor)
        } else {
            0
        };
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
    pub fn timesheet(&self, q: &TimesheetQuery) -> Result<Vec<Line>> {
        let zone = q.time_zone.as_deref().unwrap_or(&self.time_zone);
        let period = self.report_period(zone, q.from, q.to)?;
        let table = self.zones.table(zone, period.start, period.end)?;
        let r = &self.billing.rounding;
        Ok(lines(
            self.time_entries.values().filter(|e| {
                period.start <= e.start
                    && e.start < period.end
                    && q.provider_id.as_ref().is_none_or(|p| &e.provider_id == p)
            }),
            r,
            r.per,
            |t| table.local_day(t),
        ))
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
        let r = &self.billing.rounding;
        let per = match r.per {
            RoundPer::Day => RoundPer::Visit,
            p => p,
        };
        for l in lines_of(entries, r, per) {
            if !l.billable || l.raw == 0 {
                continue;
            }
            let what = match l.kind {
                EntryKind::OnSite => "Labour on site",
                EntryKind::Travel => "Travel",
                EntryKind::Admin => "Administration",
            };
            lines.push(InvoiceLine {
                kind: "time",
                description: what.to_string(),
                quantity: l.rounded,
                unit_price_minor: l.rate_minor,
                amount_minor: l.amount_minor,
                raw_seconds: Some(l.raw),
                rounded_seconds: Some(l.rounded),
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

/// Lines of one visit's entries (their day does not matter: rounded per entry or per visit).
fn lines_of(entries: &[&TimeEntry], r: &Rounding, per: RoundPer) -> Vec<Line> {
    lines(entries.iter().copied(), r, per, |_| Day::from_days(0))
}

impl ToJson for Line {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("providerId", &self.provider_id);
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
