//! Working time: a provider's (or a resource's) weekly hours, dated overrides and time off,
//! compiled once on upsert into a form that answers "when is this one working in [a, b)".
//!
//! Weekly hours are wall-clock times in the owner's zone. Each local day's ranges are read in
//! that zone with the rule in `zone.rs`, so a 09:00-17:00 day is 8 hours, a 00:00-03:00 shift is
//! 2 hours on the spring-forward night and 4 on the fall-back night.

use crate::base::error::{Code, Error, Result};
use crate::model::{DateOverride, HoursRange, RecurringSpan, TimeOff, WeeklyHours};
use crate::time::intervals::IntervalSet;
use crate::time::rrule::{Recurrence, Rule, Until};
use crate::time::zone::{Table, Zones};
use crate::time::{Day, Interval, When, DAY, HOUR};

/// A day's working ranges in minutes after local midnight, disjoint.
type DayHours = Vec<(u32, u32)>;

#[derive(Clone, Debug)]
pub struct Calendar {
    pub zone: String,
    /// `None`: open around the clock (a resource without hours).
    weekly: Option<[DayHours; 7]>,
    /// (local day, hours), sorted by day.
    overrides: Vec<(Day, DayHours)>,
    pub time_off: IntervalSet,
    /// Each time-off interval with its reason, for explanations.
    pub time_off_reasons: Vec<(Interval, Option<String>)>,
    /// Resources only: units out of service for a while (the rest stay usable).
    pub partial: Vec<(Interval, u32)>,
    recurring_hours: Vec<Repeat>,
    recurring_off: Vec<Repeat>,
    /// At most how many recurring instances one day holds (all spans together): a query's work.
    pub repeats_per_day: u64,
}

/// The most recurring instances (hours and time off together) one calendar may make in a day:
/// every five minutes. A query walks them for each day it covers, so this bounds its work.
pub const MAX_REPEATS_PER_DAY: u64 = 288;

/// A compiled recurring span: the recurrence of its starts (wall time), and its length.
#[derive(Clone, Debug)]
struct Repeat {
    rec: Recurrence,
    /// End wall time minus start wall time.
    length: i64,
    reason: Option<String>,
}

fn compile_repeats(
    zones: &Zones,
    zone: &str,
    list: &[RecurringSpan],
    what: &str,
) -> Result<Vec<Repeat>> {
    if list.len() > 100 {
        return Err(Error::input(format!(
            "{what}: at most 100 recurring entries"
        )));
    }
    list.iter()
        .map(|r| {
            let rule = Rule::parse(&r.rrule)?;
            let (start, end) = (
                zones.wall_of(zone, r.start)?.0,
                zones.wall_of(zone, r.end)?.0,
            );
            if end <= start || end - start > 7 * DAY {
                return Err(Error::new(
                    Code::EndBeforeStart,
                    format!("{what}: each repeat must end after it starts, within 7 days"),
                ));
            }
            if let Some(reason) = &r.reason {
                crate::model::check_text("reason", reason)?;
            }
            let rec = Recurrence {
                rule,
                start,
                date_only: false,
                rdates: Vec::new(),
                exdates: Vec::new(),
            };
            Ok(Repeat {
                rec,
                length: end - start,
                reason: r.reason.clone(),
            })
        })
        .collect()
}

/// The instances of `repeats` that overlap `range`, as instants (each end read on its own, so a
/// span across a DST change keeps its wall-clock end).
fn instances_in<'a>(
    repeats: &'a [Repeat],
    table: &Table,
    range: Interval,
) -> Vec<(Interval, Option<&'a str>)> {
    let mut out = Vec::new();
    let (lo, hi) = (table.wall(range.start), table.wall(range.end));
    for r in repeats {
        let until = match r.rec.rule.until {
            Some(Until::Utc(u)) => Some(table.wall(u)),
            _ => None,
        };
        for wall in r.rec.instances_from(lo - r.length - 2 * HOUR, until) {
            if wall > hi + 2 * HOUR {
                break;
            }
            let iv = Interval::new(table.resolve(wall), table.resolve(wall + r.length));
            if iv.overlaps(&range) {
                out.push((iv, r.reason.as_deref()));
            }
        }
    }
    out
}

#[allow(clippy::indexing_slicing)] // `i` enumerates `day`, which has one entry per range
fn compile_day(ranges: &[HoursRange], what: &str) -> Result<DayHours> {
    crate::model::check_len(what, ranges.len(), 48)?;
    let mut day = Vec::with_capacity(ranges.len());
    for r in ranges {
        let (a, b) = (r.start.minutes(), r.end.minutes());
        if b <= a {
            return Err(Error::new(
                Code::EndBeforeStart,
                format!(
                    "{what}: the range {}-{} ends before it starts (split a night shift at 24:00)",
                    r.start, r.end
                ),
            ));
        }
        day.push((a, b));
    }
    // A handful of ranges a day: compare each pair (the calendar sorts them when it uses them).
    for (i, a) in day.iter().enumerate() {
        if day[i + 1..].iter().any(|b| a.0 < b.1 && b.0 < a.1) {
            let r = &ranges[i];
            return Err(Error::new(
                Code::OverlappingHours,
                format!(
                    "{what}: the range {}-{} overlaps another range that day; merge them into one",
                    r.start, r.end
                ),
            ));
        }
    }
    Ok(day)
}

impl Calendar {
    /// Validates and compiles; time-off times are rewritten to UTC in place (the stored form).
    #[allow(clippy::indexing_slicing)] // `i` enumerates the seven days, and `names` has seven
    pub fn compile(
        zones: &Zones,
        zone: &str,
        weekly: Option<&WeeklyHours>,
        overrides: &[DateOverride],
        time_off: &mut [TimeOff],
        recurring: (&[RecurringSpan], &[RecurringSpan]),
    ) -> Result<Calendar> {
        use crate::model::{check_len, check_text, MAX_OVERRIDES, MAX_TIME_OFF};
        zones.validate(zone)?;
        check_len("timeOff", time_off.len(), MAX_TIME_OFF)?;
        check_len("dateOverrides", overrides.len(), MAX_OVERRIDES)?;
        for reason in time_off
            .iter()
            .map(|t| &t.reason)
            .chain(overrides.iter().map(|o| &o.reason))
            .flatten()
        {
            check_text("reason", reason)?;
        }
        let weekly = match weekly {
            None => None,
            Some(w) => {
                let names = [
                    "Monday",
                    "Tuesday",
                    "Wednesday",
                    "Thursday",
                    "Friday",
                    "Saturday",
                    "Sunday",
                ];
                let mut days: [DayHours; 7] = Default::default();
                for (i, ranges) in w.days().iter().enumerate() {
                    days[i] = compile_day(ranges, names[i])?;
                }
                Some(days)
            }
        };
        let mut by_date: Vec<(Day, DayHours)> = Vec::with_capacity(overrides.len());
        for o in overrides {
            let day = o.date;
            let hours = compile_day(&o.hours, &crate::time::format_date(day))?;
            match by_date.binary_search_by_key(&day, |x| x.0) {
                Ok(_) => {
                    return Err(Error::new(
                        Code::InvalidInput,
                        format!(
                            "the date {} has two overrides; keep one",
                            crate::time::format_date(day)
                        ),
                    ))
                }
                Err(i) => by_date.insert(i, (day, hours)),
            }
        }
        let mut reasons = Vec::with_capacity(time_off.len());
        let mut partial = Vec::new();
        for off in time_off.iter_mut() {
            let iv = zones.range(zone, off.start, off.end, "time off")?;
            (off.start, off.end) = (When::utc(iv.start), When::utc(iv.end));
            match off.quantity {
                Some(0) => {
                    return Err(Error::input(
                        "time off for 0 units: leave the quantity out, or give at least 1",
                    ))
                }
                Some(q) => partial.push((iv, q)),
                None => reasons.push((iv, off.reason.clone())),
            }
        }
        let time_off = IntervalSet::from_unsorted(reasons.iter().map(|(iv, _)| *iv).collect());
        let recurring_hours = compile_repeats(zones, zone, recurring.0, "recurring hours")?;
        let recurring_off = compile_repeats(zones, zone, recurring.1, "recurring time off")?;
        let repeats_per_day: u64 = recurring_hours
            .iter()
            .chain(&recurring_off)
            .map(|r| r.rec.rule.max_per_day())
            .sum();
        if repeats_per_day > MAX_REPEATS_PER_DAY {
            return Err(Error::new(
                Code::TooManyInstances,
                format!("recurring hours and time off may make at most {MAX_REPEATS_PER_DAY} instances a day together (every five minutes); these rules can make {repeats_per_day}"),
            ));
        }
        Ok(Calendar {
            zone: zone.to_string(),
            weekly,
            overrides: by_date,
            time_off,
            time_off_reasons: reasons,
            partial,
            recurring_hours,
            recurring_off,
            repeats_per_day,
        })
    }

    /// Working hours within `range`, before time off (`table` must cover the range).
    #[allow(clippy::indexing_slicing)] // `i` from a binary search's Ok; a weekday is 0..7
    pub fn hours(&self, table: &Table, range: Interval) -> IntervalSet {
        let Some(weekly) = &self.weekly else {
            return IntervalSet::single(range);
        };
        let extra = instances_in(&self.recurring_hours, table, range);
        let (first, last) = (
            table.local_day(range.start) - 1,
            table.local_day(range.end) + 1,
        );
        let per_day = weekly.iter().map(Vec::len).max().unwrap_or(0);
        let days = (last.days() - first.days() + 1).max(0) as usize;
        let mut parts = Vec::with_capacity(days * per_day + extra.len());
        let mut clock = table.cursor();
        for day in (first.days()..=last.days()).map(Day::from_days) {
            let hours = match self.overrides.binary_search_by_key(&day, |x| x.0) {
                Ok(i) => &self.overrides[i].1,
                Err(_) => &weekly[day.weekday()],
            };
            let quiet = clock.day_offset(day);
            let at = |minute: u32| {
                let wall = day.start() + i64::from(minute) * 60;
                quiet.map_or_else(|| table.resolve(wall), |o| wall.at_offset(o))
            };
            for &(a, b) in hours {
                parts.push(Interval::new(at(a), at(b)));
            }
        }
        parts.extend(extra.into_iter().map(|(iv, _)| iv));
        IntervalSet::from_unsorted(parts).clip(range)
    }

    /// Working hours within `range`, less time off.
    pub fn working(&self, table: &Table, range: Interval) -> IntervalSet {
        let hours = self.hours(table, range);
        if self.time_off.is_empty() && self.recurring_off.is_empty() {
            hours
        } else {
            hours.subtract(&self.time_off_in(table, range))
        }
    }

    /// All time off that touches `range`: one-off entries and instances of recurring ones.
    pub fn time_off_in(&self, table: &Table, range: Interval) -> IntervalSet {
        if self.recurring_off.is_empty() {
            return self.time_off.clone();
        }
        let mut parts: Vec<Interval> = instances_in(&self.recurring_off, table, range)
            .into_iter()
            .map(|(iv, _)| iv)
            .collect();
        parts.extend_from_slice(self.time_off.parts());
        IntervalSet::from_unsorted(parts)
    }

    /// The time-off entries (one-off and recurring) that overlap `iv`, with their reasons.
    pub fn time_off_within(&self, table: &Table, iv: Interval) -> Vec<(Interval, Option<&str>)> {
        let mut out: Vec<(Interval, Option<&str>)> = self
            .time_off_reasons
            .iter()
            .filter(|(t, _)| t.overlaps(&iv))
            .map(|(t, r)| (*t, r.as_deref()))
            .collect();
        out.extend(instances_in(&self.recurring_off, table, iv));
        out
    }
}
