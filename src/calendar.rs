//! Working time: a provider's (or a resource's) weekly hours, dated overrides and time off,
//! compiled once on upsert into a form that answers "when is this one working in [a, b)".
//!
//! Weekly hours are wall-clock times in the owner's zone. Each local day's ranges are read in
//! that zone with the rule in `zone.rs`, so a 09:00-17:00 day is 8 hours, a 00:00-03:00 shift is
//! 2 hours on the spring-forward night and 4 on the fall-back night.

use crate::error::{Code, Error, Result};
use crate::intervals::IntervalSet;
use crate::model::{DateOverride, HoursRange, TimeOff, WeeklyHours};
use crate::time::{self, clip, format_utc, parse_clock, Interval, TimeText, DAY};
use crate::zone::{Table, Zones};

/// A day's working ranges in minutes after local midnight, disjoint.
type DayHours = Vec<(u32, u32)>;

#[derive(Clone, Debug)]
pub struct Calendar {
    pub zone: String,
    /// `None`: open around the clock (a resource without hours).
    weekly: Option<[DayHours; 7]>,
    /// (local day, hours), sorted by day.
    overrides: Vec<(i64, DayHours)>,
    pub time_off: IntervalSet,
    /// Each time-off interval with its reason, for explanations.
    pub time_off_reasons: Vec<(Interval, Option<String>)>,
    /// Resources only: units out of service for a while (the rest stay usable).
    pub partial: Vec<(Interval, u32)>,
}

fn compile_day(ranges: &[HoursRange], what: &str) -> Result<DayHours> {
    let mut day = Vec::with_capacity(ranges.len());
    for r in ranges {
        let (a, b) = (parse_clock(&r.start)?, parse_clock(&r.end)?);
        if b <= a {
            return Err(Error::new(
                Code::EndBeforeStart,
                format!("{what}: the range {}-{} ends before it starts (split a night shift at 24:00)", clip(&r.start), clip(&r.end)),
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
                format!("{what}: the range {}-{} overlaps another range that day; merge them into one", clip(&r.start), clip(&r.end)),
            ));
        }
    }
    Ok(day)
}

/// Reads a time in `zone` (a wall time or a date is local to it) as an instant.
pub fn read_time(zones: &Zones, zone: &str, text: &str) -> Result<time::Instant> {
    match time::parse_time(text)? {
        TimeText::At(t) => Ok(t),
        TimeText::Wall(w) => zones.resolve(zone, w),
        TimeText::Date(d) => zones.resolve(zone, d * DAY),
    }
}

/// Reads `[start, end)` in `zone`, refusing an empty or reversed range.
pub fn read_range(zones: &Zones, zone: &str, start: &str, end: &str, what: &str) -> Result<Interval> {
    let iv = Interval::new(read_time(zones, zone, start)?, read_time(zones, zone, end)?);
    if iv.is_empty() {
        return Err(Error::new(
            Code::EndBeforeStart,
            format!("{what}: the end {} is not after the start {}", clip(end), clip(start)),
        ));
    }
    Ok(iv)
}

impl Calendar {
    /// Validates and compiles; time-off times are rewritten to UTC in place (the stored form).
    pub fn compile(
        zones: &Zones,
        zone: &str,
        weekly: Option<&WeeklyHours>,
        overrides: &[DateOverride],
        time_off: &mut [TimeOff],
    ) -> Result<Calendar> {
        zones.validate(zone)?;
        let weekly = match weekly {
            None => None,
            Some(w) => {
                let names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
                let mut days: [DayHours; 7] = Default::default();
                for (i, ranges) in w.days().iter().enumerate() {
                    days[i] = compile_day(ranges, names[i])?;
                }
                Some(days)
            }
        };
        let mut by_date: Vec<(i64, DayHours)> = Vec::with_capacity(overrides.len());
        for o in overrides {
            let day = match time::parse_time(&o.date)? {
                TimeText::Date(d) => d,
                _ => return Err(Error::new(Code::InvalidTime, format!("override date `{}` must be YYYY-MM-DD", clip(&o.date)))),
            };
            let hours = compile_day(&o.hours, &o.date)?;
            match by_date.binary_search_by_key(&day, |x| x.0) {
                Ok(_) => return Err(Error::new(Code::InvalidInput, format!("the date {} has two overrides; keep one", clip(&o.date)))),
                Err(i) => by_date.insert(i, (day, hours)),
            }
        }
        let mut reasons = Vec::with_capacity(time_off.len());
        let mut partial = Vec::new();
        for off in time_off.iter_mut() {
            let iv = read_range(zones, zone, &off.start, &off.end, "time off")?;
            off.start = format_utc(iv.start);
            off.end = format_utc(iv.end);
            match off.quantity {
                Some(0) => return Err(Error::input("time off for 0 units: leave the quantity out, or give at least 1")),
                Some(q) => partial.push((iv, q)),
                None => reasons.push((iv, off.reason.clone())),
            }
        }
        let time_off = IntervalSet::from_unsorted(reasons.iter().map(|(iv, _)| *iv).collect());
        Ok(Calendar { zone: zone.to_string(), weekly, overrides: by_date, time_off, time_off_reasons: reasons, partial })
    }

    /// Working hours within `range`, before time off (`table` must cover the range).
    pub fn hours(&self, table: &Table, range: Interval) -> IntervalSet {
        let Some(weekly) = &self.weekly else {
            return IntervalSet::single(range);
        };
        let (first, last) = (table.local_day(range.start) - 1, table.local_day(range.end) + 1);
        let mut parts = Vec::new();
        for day in first..=last {
            let hours = match self.overrides.binary_search_by_key(&day, |x| x.0) {
                Ok(i) => &self.overrides[i].1,
                Err(_) => &weekly[time::weekday_of_days(day)],
            };
            let quiet = table.day_offset(day).map(i64::from);
            let at = |minute: u32| {
                let wall = day * DAY + i64::from(minute) * 60;
                quiet.map_or_else(|| table.resolve(wall), |o| wall - o)
            };
            for &(a, b) in hours {
                parts.push(Interval::new(at(a), at(b)));
            }
        }
        IntervalSet::from_unsorted(parts).clip(range)
    }

    /// Working hours within `range`, less time off.
    pub fn working(&self, table: &Table, range: Interval) -> IntervalSet {
        let hours = self.hours(table, range);
        if self.time_off.is_empty() { hours } else { hours.subtract(&self.time_off) }
    }

    /// The time-off entries that overlap `iv`.
    pub fn time_off_within(&self, iv: Interval) -> impl Iterator<Item = &(Interval, Option<String>)> {
        self.time_off_reasons.iter().filter(move |(t, _)| t.overlaps(&iv))
    }
}
