//! Recurrence rules (RFC 5545 section 3.3.10): parse, print, and expand, lazily.
//!
//! Expansion works period by period (a year, a month, a week, a day, an hour... by FREQ, stepping
//! by INTERVAL): the candidate days of the period are filtered by the BYxxx parts (which expands
//! or limits exactly as the RFC's table says, since a filter over all the days of a year is an
//! expansion and over one day a limit), crossed with the times, then BYSETPOS picks among them.
//! Instances are wall-clock times; in a zone they are read with the engine's rule (a time in a
//! DST gap moves forward by the gap, as RFC 5545 says).
//!
//! Policy where implementations disagree: DTSTART is an instance only if the rule produces it
//! (as python-dateutil and rust-rrule do; libical agrees on the core cases).
//!
//! A query for a window does not walk from DTSTART when it need not: without COUNT, periods
//! before the window cannot change what falls in it, so expansion starts at the window's period.

use crate::base::error::clip;
use crate::base::error::{Code, Error, Result};
use crate::time::{Day, Instant, Wall, When, DAY, HOUR, MINUTE};

// The expansion counts in plain days and wall seconds inside this file (its arithmetic is
// calendar arithmetic over one zone); what leaves it is typed: `Wall`, `Day`, `Instant`.
fn civil_from_days(d: i64) -> NaiveDate {
    Day::from_days(d).civil()
}
fn days_from_civil(date: NaiveDate) -> i64 {
    Day::of(date).days()
}
fn weekday_of_days(d: i64) -> usize {
    Day::from_days(d).weekday()
}
use chrono::{Datelike, NaiveDate};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Freq {
    Yearly,
    Monthly,
    Weekly,
    Daily,
    Hourly,
    Minutely,
    Secondly,
}

const FREQS: [(&str, Freq); 7] = [
    ("YEARLY", Freq::Yearly),
    ("MONTHLY", Freq::Monthly),
    ("WEEKLY", Freq::Weekly),
    ("DAILY", Freq::Daily),
    ("HOURLY", Freq::Hourly),
    ("MINUTELY", Freq::Minutely),
    ("SECONDLY", Freq::Secondly),
];
const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// UNTIL: a UTC instant (`Z`), a wall time, or a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Until {
    Utc(Instant),
    Wall(Wall),
    Date(Day),
}

impl Until {
    /// The bound as wall seconds, a UTC one read as if floating (the caller that knows the
    /// zone passes its own wall bound instead).
    fn wall_secs(self) -> i64 {
        match self {
            Until::Utc(u) => u.secs(),
            Until::Wall(u) => u.secs(),
            Until::Date(d) => d.start().secs(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub freq: Freq,
    pub interval: u32,
    pub count: Option<u32>,
    pub until: Option<Until>,
    pub by_second: Vec<u8>,
    pub by_minute: Vec<u8>,
    pub by_hour: Vec<u8>,
    /// (ordinal, 0 = none; weekday Monday = 0)
    pub by_day: Vec<(i8, u8)>,
    pub by_month_day: Vec<i8>,
    pub by_year_day: Vec<i16>,
    pub by_week_no: Vec<i8>,
    pub by_month: Vec<u8>,
    pub by_set_pos: Vec<i16>,
    pub wkst: u8,
}

impl Rule {
    /// An upper bound on the instances the rule makes in one day: what a query over a range of
    /// days may have to walk. The finer of the frequency's own step and the BYHOUR, BYMINUTE
    /// and BYSECOND choices within a day (coarser frequencies make at most one day's worth).
    pub fn max_per_day(&self) -> u64 {
        let unit = match self.freq {
            Freq::Hourly => 3600,
            Freq::Minutely => 60,
            Freq::Secondly => 1,
            _ => 86_400,
        };
        let by_step = 86_400_u64.div_ceil(unit * u64::from(self.interval.max(1)));
        let choices = |list: &[u8], free: bool, all: u64| match list.len() {
            0 if free => all,
            0 => 1,
            n => n as u64,
        };
        let by_lists = choices(&self.by_hour, self.freq >= Freq::Hourly, 24)
            * choices(&self.by_minute, self.freq >= Freq::Minutely, 60)
            * choices(&self.by_second, self.freq >= Freq::Secondly, 60);
        if unit == 86_400 {
            by_lists
        } else {
            by_step.min(by_lists)
        }
    }
}

fn bad(text: &str, why: &str) -> Error {
    Error::new(
        Code::InvalidRule,
        format!("`{}` is not a valid RRULE: {why}", clip(text)),
    )
}

fn list<T: std::str::FromStr + PartialOrd + Copy + Default>(
    text: &str,
    part: &str,
    v: &str,
    lo: T,
    hi: T,
    zero_ok: bool,
) -> Result<Vec<T>> {
    v.split(',')
        .map(|x| {
            let n: T = x
                .trim()
                .parse()
                .map_err(|_| bad(text, &format!("{part} takes numbers")))?;
            if n < lo || n > hi || (!zero_ok && n == T::default()) {
                return Err(bad(
                    text,
                    &format!("{part} value `{}` is out of range", clip(x)),
                ));
            }
            Ok(n)
        })
        .collect()
}

impl Rule {
    /// Reads `FREQ=...;...` (an `RRULE:` prefix is allowed). A combination the RFC forbids is
    /// `INVALID_RULE`, not a guess.
    pub fn parse(text: &str) -> Result<Rule> {
        let body = text.trim().strip_prefix("RRULE:").unwrap_or(text.trim());
        let mut r = Rule {
            freq: Freq::Yearly,
            interval: 1,
            count: None,
            until: None,
            by_second: vec![],
            by_minute: vec![],
            by_hour: vec![],
            by_day: vec![],
            by_month_day: vec![],
            by_year_day: vec![],
            by_week_no: vec![],
            by_month: vec![],
            by_set_pos: vec![],
            wkst: 0,
        };
        let mut freq = None;
        let mut seen: Vec<&str> = Vec::new();
        for part in body.split(';').filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| bad(text, "parts are NAME=VALUE"))?;
            let k = k.trim();
            if seen.contains(&k) {
                return Err(bad(text, &format!("{k} appears twice")));
            }
            seen.push(k);
            match k {
                "FREQ" => {
                    freq = Some(
                        FREQS
                            .iter()
                            .find(|f| f.0 == v)
                            .ok_or_else(|| bad(text, "unknown FREQ"))?
                            .1,
                    )
                }
                "INTERVAL" => {
                    r.interval = list::<u32>(text, k, v, 1, 1_000_000, false)?
                        .first()
                        .copied()
                        .unwrap_or(1)
                }
                "COUNT" => {
                    r.count = Some(
                        list::<u32>(text, k, v, 1, 10_000_000, false)?
                            .first()
                            .copied()
                            .unwrap_or(1),
                    )
                }
                "UNTIL" => {
                    r.until = Some(
                        match parse_basic(v)
                            .ok_or_else(|| bad(text, "UNTIL is a date or date-time"))?
                        {
                            (t, true, _) => Until::Date(t.day()),
                            (t, false, true) => Until::Utc(t.at_offset(0)),
                            (t, false, false) => Until::Wall(t),
                        },
                    )
                }
                "BYSECOND" => r.by_second = list(text, k, v, 0u8, 60, true)?,
                "BYMINUTE" => r.by_minute = list(text, k, v, 0u8, 59, true)?,
                "BYHOUR" => r.by_hour = list(text, k, v, 0u8, 23, true)?,
                "BYMONTHDAY" => r.by_month_day = list(text, k, v, -31i8, 31, false)?,
                "BYYEARDAY" => r.by_year_day = list(text, k, v, -366i16, 366, false)?,
                "BYWEEKNO" => r.by_week_no = list(text, k, v, -53i8, 53, false)?,
                "BYMONTH" => r.by_month = list(text, k, v, 1u8, 12, false)?,
                "BYSETPOS" => r.by_set_pos = list(text, k, v, -366i16, 366, false)?,
                "WKST" => {
                    r.wkst = DAYS
                        .iter()
                        .position(|d| *d == v)
                        .ok_or_else(|| bad(text, "WKST is MO..SU"))?
                        as u8
                }
                "BYDAY" => {
                    for d in v.split(',') {
                        let d = d.trim();
                        // The last two characters name the day (split on a character boundary:
                        // junk may hold multi-byte characters).
                        let cut = d.char_indices().rev().nth(1).map_or(0, |(i, _)| i);
                        let (n, day) = d.split_at(cut);
                        let wd = DAYS
                            .iter()
                            .position(|x| *x == day)
                            .ok_or_else(|| bad(text, "BYDAY takes [+-n]MO..SU"))?
                            as u8;
                        // [+/-]ordinal, or nothing: a sign alone, or 0, is not an ordinal.
                        let digits = n.strip_prefix(['+', '-']).unwrap_or(n);
                        let n: i8 = match n {
                            "" => 0,
                            _ if !digits.is_empty()
                                && digits.bytes().all(|b| b.is_ascii_digit())
                                && digits.len() <= 2 =>
                            {
                                n.trim_start_matches('+')
                                    .parse()
                                    .map_err(|_| bad(text, "bad BYDAY ordinal"))?
                            }
                            _ => return Err(bad(text, "BYDAY takes [+-n]MO..SU")),
                        };
                        if !(-53..=53).contains(&n) || (n == 0 && !digits.is_empty()) {
                            return Err(bad(text, "BYDAY ordinals are 1 to 53 or -1 to -53"));
                        }
                        r.by_day.push((n, wd));
                    }
                }
                _ if k.starts_with("X-") => {}
                "RSCALE" | "SKIP" => {
                    return Err(bad(text, &format!("{k} (RFC 7529) is not supported")))
                }
                _ => return Err(bad(text, &format!("unknown part {}", clip(k)))),
            }
        }
        r.freq = freq.ok_or_else(|| bad(text, "FREQ is required"))?;
        let f = r.freq;
        if r.count.is_some() && r.until.is_some() {
            return Err(bad(text, "COUNT and UNTIL cannot both be given"));
        }
        if !r.by_week_no.is_empty() && f != Freq::Yearly {
            return Err(bad(text, "BYWEEKNO is only for FREQ=YEARLY"));
        }
        if !r.by_year_day.is_empty() && matches!(f, Freq::Monthly | Freq::Weekly | Freq::Daily) {
            return Err(bad(text, "BYYEARDAY is not for MONTHLY, WEEKLY or DAILY"));
        }
        if !r.by_month_day.is_empty() && f == Freq::Weekly {
            return Err(bad(text, "BYMONTHDAY is not for WEEKLY"));
        }
        if r.by_day.iter().any(|d| d.0 != 0)
            && !(f == Freq::Monthly || (f == Freq::Yearly && r.by_week_no.is_empty()))
        {
            return Err(bad(
                text,
                "BYDAY ordinals are only for MONTHLY, or YEARLY without BYWEEKNO",
            ));
        }
        if !r.by_set_pos.is_empty()
            && [
                r.by_second.len(),
                r.by_minute.len(),
                r.by_hour.len(),
                r.by_day.len(),
                r.by_month_day.len(),
                r.by_year_day.len(),
                r.by_week_no.len(),
                r.by_month.len(),
            ]
            .iter()
            .all(|&n| n == 0)
        {
            return Err(bad(text, "BYSETPOS needs another BYxxx part"));
        }
        Ok(r)
    }
}

impl Freq {
    /// As RFC 5545 spells it (`DAILY`).
    pub fn name(self) -> &'static str {
        FREQS.iter().find(|x| x.1 == self).map_or("YEARLY", |x| x.0)
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = self.freq.name();
        write!(f, "FREQ={name}")?;
        if self.interval != 1 {
            write!(f, ";INTERVAL={}", self.interval)?;
        }
        if let Some(c) = self.count {
            write!(f, ";COUNT={c}")?;
        }
        match self.until {
            Some(Until::Utc(t)) => write!(f, ";UNTIL={}Z", basic(t.wall(0), false))?,
            Some(Until::Wall(t)) => write!(f, ";UNTIL={}", basic(t, false))?,
            Some(Until::Date(d)) => write!(f, ";UNTIL={}", basic(d.start(), true))?,
            None => {}
        }
        fn nums<T: std::fmt::Display>(
            f: &mut std::fmt::Formatter<'_>,
            k: &str,
            v: &[T],
        ) -> std::fmt::Result {
            if v.is_empty() {
                return Ok(());
            }
            write!(f, ";{k}=")?;
            for (i, x) in v.iter().enumerate() {
                write!(f, "{}{x}", if i > 0 { "," } else { "" })?;
            }
            Ok(())
        }
        nums(f, "BYSECOND", &self.by_second)?;
        nums(f, "BYMINUTE", &self.by_minute)?;
        nums(f, "BYHOUR", &self.by_hour)?;
        if !self.by_day.is_empty() {
            write!(f, ";BYDAY=")?;
            for (i, (n, d)) in self.by_day.iter().enumerate() {
                let n = if *n == 0 {
                    String::new()
                } else {
                    n.to_string()
                };
                write!(
                    f,
                    "{}{n}{}",
                    if i > 0 { "," } else { "" },
                    DAYS.get(usize::from(*d)).copied().unwrap_or("MO")
                )?;
            }
        }
        nums(f, "BYMONTHDAY", &self.by_month_day)?;
        nums(f, "BYYEARDAY", &self.by_year_day)?;
        nums(f, "BYWEEKNO", &self.by_week_no)?;
        nums(f, "BYMONTH", &self.by_month)?;
        nums(f, "BYSETPOS", &self.by_set_pos)?;
        if self.wkst != 0 {
            write!(
                f,
                ";WKST={}",
                DAYS.get(usize::from(self.wkst)).copied().unwrap_or("MO")
            )?;
        }
        Ok(())
    }
}

/// Reads iCalendar basic form: `19970902T090000[Z]` or `19970902`; (wall time, is date, is UTC).
pub fn parse_basic(v: &str) -> Option<(Wall, bool, bool)> {
    let b = v.as_bytes();
    let num = |a: usize, n: usize| -> Option<i64> {
        std::str::from_utf8(b.get(a..a + n)?).ok()?.parse().ok()
    };
    let date = NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(4, 2)? as u32, num(6, 2)? as u32)?;
    if !(1900..=2200).contains(&date.year()) {
        return None;
    }
    let days = days_from_civil(date);
    if b.len() == 8 {
        return Some((Wall::from_secs(days * DAY), true, false));
    }
    if b.get(8) != Some(&b'T') || !(b.len() == 15 || b.get(15..) == Some(b"Z")) {
        return None;
    }
    let (h, m, s) = (num(9, 2)?, num(11, 2)?, num(13, 2)?);
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some((
        Wall::from_secs(days * DAY + h * HOUR + m * MINUTE + s.min(59)),
        false,
        b.len() == 16,
    ))
}

/// Writes a wall time in basic form (`19970902T090000`, or `19970902` for a date).
pub fn basic(t: Wall, date_only: bool) -> String {
    let d = t.day().civil();
    let s = t.time_of_day();
    if date_only {
        format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
    } else {
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}",
            d.year(),
            d.month(),
            d.day(),
            s / HOUR,
            s % HOUR / MINUTE,
            s % MINUTE
        )
    }
}

fn days_in_month(y: i32, m: u32) -> i64 {
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    match (NaiveDate::from_ymd_opt(y, m, 1), next) {
        (Some(a), Some(b)) => days_from_civil(b) - days_from_civil(a),
        _ => 30,
    }
}

fn year_start(y: i32) -> i64 {
    NaiveDate::from_ymd_opt(y, 1, 1).map_or(0, days_from_civil)
}

/// The first day of week 1 of year `y` with weeks starting on `wkst` (ISO 8601: the week with at
/// least 4 days of the year).
fn week_one(y: i32, wkst: u8) -> i64 {
    let jan1 = year_start(y);
    let off = (weekday_of_days(jan1) as i64 - i64::from(wkst)).rem_euclid(7);
    if off <= 3 {
        jan1 - off
    } else {
        jan1 + 7 - off
    }
}

/// The week number of day `d` (as RFC 5545 counts, by `wkst`), and how many weeks its year has.
fn week_no(d: i64, wkst: u8) -> (i32, i64, i64) {
    let y = civil_from_days(d).year();
    let (mut year, mut w1) = (y, week_one(y, wkst));
    if d < w1 {
        year -= 1;
        w1 = week_one(year, wkst);
    } else if d >= week_one(y + 1, wkst) {
        year += 1;
        w1 = week_one(year, wkst);
    }
    let weeks = (week_one(year + 1, wkst) - w1) / 7;
    (year, (d - w1) / 7 + 1, weeks)
}

/// A recurrence: the rule, its first wall time, and the dates added or taken out.
#[derive(Clone, Debug)]
pub struct Recurrence {
    pub rule: Rule,
    /// DTSTART.
    pub start: Wall,
    pub date_only: bool,
    pub rdates: Vec<Wall>,
    pub exdates: Vec<Wall>,
}

/// The wall time period `p` begins at: its first day's midnight, or its first instant for rules
/// finer than a day.
fn period_start(r: &Rule, start: i64, p: i64) -> i64 {
    let sd = start.div_euclid(DAY);
    let sdate = civil_from_days(sd);
    match r.freq {
        Freq::Yearly => {
            year_start((i64::from(sdate.year()) + p).clamp(-100_000, 100_000) as i32) * DAY
        }
        Freq::Monthly => {
            let m0 = sdate.year() as i64 * 12 + i64::from(sdate.month0()) + p;
            let (y, m) = (m0.div_euclid(12) as i32, m0.rem_euclid(12) as u32 + 1);
            NaiveDate::from_ymd_opt(y, m, 1).map_or(i64::MAX, days_from_civil) * DAY
        }
        Freq::Weekly => {
            (sd - (weekday_of_days(sd) as i64 - i64::from(r.wkst)).rem_euclid(7) + 7 * p) * DAY
        }
        Freq::Daily => (sd + p) * DAY,
        Freq::Hourly => start - start.rem_euclid(HOUR) + p * HOUR,
        Freq::Minutely => start - start.rem_euclid(MINUTE) + p * MINUTE,
        Freq::Secondly => start + p,
    }
}

/// The wall times of one period of the rule, in order, before BYSETPOS and the DTSTART/UNTIL cut.
fn period_instances(r: &Rule, start: i64, p: i64) -> Vec<i64> {
    let sd = start.div_euclid(DAY);
    let st = start.rem_euclid(DAY);
    let sdate = civil_from_days(sd);
    // The days of the period.
    let (days, fixed_time): (Vec<i64>, Option<i64>) = match r.freq {
        Freq::Yearly => {
            // Far periods of an impossible rule with a huge INTERVAL: keep the year arithmetic in
            // range (the search ends by its bound long before the calendar matters).
            let y = (i64::from(sdate.year()) + p).clamp(-100_000, 100_000) as i32;
            if r.by_month.is_empty() {
                let a = year_start(y);
                ((a..year_start(y + 1)).collect(), None)
            } else {
                // Only BYMONTH's months can hold an instance: 31 days to look at, not 365
                // (a VTIMEZONE's rules each name a month, and are walked over three centuries).
                let mut months = r.by_month.clone();
                crate::base::sort::sort(&mut months);
                months.dedup();
                let days = months
                    .iter()
                    .filter_map(|&m| {
                        let a = days_from_civil(NaiveDate::from_ymd_opt(y, u32::from(m), 1)?);
                        Some(a..a + days_in_month(y, u32::from(m)))
                    })
                    .flatten()
                    .collect();
                (days, None)
            }
        }
        Freq::Monthly => {
            let m0 = sdate.year() as i64 * 12 + i64::from(sdate.month0()) + p;
            let (y, m) = (m0.div_euclid(12) as i32, m0.rem_euclid(12) as u32 + 1);
            let a = NaiveDate::from_ymd_opt(y, m, 1).map_or(0, days_from_civil);
            ((a..a + days_in_month(y, m)).collect(), None)
        }
        Freq::Weekly => {
            let week = sd - (weekday_of_days(sd) as i64 - i64::from(r.wkst)).rem_euclid(7) + 7 * p;
            ((week..week + 7).collect(), None)
        }
        Freq::Daily => (vec![sd + p], None),
        Freq::Hourly => {
            let t = start - start.rem_euclid(HOUR) + p * HOUR;
            (vec![t.div_euclid(DAY)], Some(t.rem_euclid(DAY)))
        }
        Freq::Minutely => {
            let t = start - start.rem_euclid(MINUTE) + p * MINUTE;
            (vec![t.div_euclid(DAY)], Some(t.rem_euclid(DAY)))
        }
        Freq::Secondly => {
            let t = start + p;
            (vec![t.div_euclid(DAY)], Some(t.rem_euclid(DAY)))
        }
    };
    // Defaults taken from DTSTART when the rule names no day of its own.
    let day_rules = !r.by_day.is_empty()
        || !r.by_month_day.is_empty()
        || !r.by_year_day.is_empty()
        || !r.by_week_no.is_empty();
    let by_month: Vec<u8> = if r.by_month.is_empty() && r.freq == Freq::Yearly && !day_rules {
        vec![sdate.month() as u8]
    } else {
        r.by_month.clone()
    };
    let by_month_day: Vec<i8> = if r.by_month_day.is_empty()
        && !day_rules
        && matches!(r.freq, Freq::Yearly | Freq::Monthly)
    {
        vec![sdate.day() as i8]
    } else {
        r.by_month_day.clone()
    };
    let by_day: Vec<(i8, u8)> = if r.by_day.is_empty() && !day_rules && r.freq == Freq::Weekly {
        vec![(0, weekday_of_days(sd) as u8)]
    } else {
        r.by_day.clone()
    };
    let no_day_parts = by_month.is_empty()
        && by_month_day.is_empty()
        && by_day.is_empty()
        && r.by_week_no.is_empty()
        && r.by_year_day.is_empty();
    let mut kept: Vec<i64> = Vec::new();
    if no_day_parts {
        kept = days;
    } else if let Some(&first) = days.first() {
        let mut info = DayInfo::of(first);
        for (i, &d) in days.iter().enumerate() {
            if i > 0 {
                info = info.next();
            }
            debug_assert_eq!(info.d, d);
            if day_ok_in(r, &by_month, &by_month_day, &by_day, &info) {
                kept.push(d);
            }
        }
    }
    times_of(r, st, fixed_time, kept)
}

/// Whether day `d` passes the rule's day-level parts (with DTSTART's defaults already applied).
fn day_ok(r: &Rule, by_month: &[u8], by_month_day: &[i8], by_day: &[(i8, u8)], d: i64) -> bool {
    day_ok_in(r, by_month, by_month_day, by_day, &DayInfo::of(d))
}

/// What the day-level parts ask about a day, worked out once (per period, day by day).
#[derive(Clone, Copy)]
struct DayInfo {
    d: i64,
    m: u32,
    md: i64,
    month_len: i64,
    year_start: i64,
    year_len: i64,
}

impl DayInfo {
    fn of(d: i64) -> DayInfo {
        let date = civil_from_days(d);
        let (y, m) = (date.year(), date.month());
        let ys = year_start(y);
        DayInfo {
            d,
            m,
            md: i64::from(date.day()),
            month_len: days_in_month(y, m),
            year_start: ys,
            year_len: year_start(y + 1) - ys,
        }
    }

    /// The next day, without going back to the calendar unless the month ends.
    fn next(&self) -> DayInfo {
        if self.md < self.month_len {
            DayInfo {
                d: self.d + 1,
                md: self.md + 1,
                ..*self
            }
        } else {
            DayInfo::of(self.d + 1)
        }
    }
}

fn day_ok_in(
    r: &Rule,
    by_month: &[u8],
    by_month_day: &[i8],
    by_day: &[(i8, u8)],
    info: &DayInfo,
) -> bool {
    {
        let DayInfo {
            d,
            m,
            md,
            month_len,
            year_start: ys,
            year_len,
            ..
        } = *info;
        if !by_month.is_empty() && !by_month.contains(&(m as u8)) {
            return false;
        }
        if !r.by_week_no.is_empty() {
            let (_, w, weeks) = week_no(d, r.wkst);
            if !r
                .by_week_no
                .iter()
                .any(|&n| i64::from(n) == w || (n < 0 && weeks + 1 + i64::from(n) == w))
            {
                return false;
            }
        }
        if !r.by_year_day.is_empty() {
            let (yd, len) = (d - ys + 1, year_len);
            if !r
                .by_year_day
                .iter()
                .any(|&n| i64::from(n) == yd || (n < 0 && len + 1 + i64::from(n) == yd))
            {
                return false;
            }
        }
        if !by_month_day.is_empty() {
            let len = month_len;
            if !by_month_day
                .iter()
                .any(|&n| i64::from(n) == md || (n < 0 && len + 1 + i64::from(n) == md))
            {
                return false;
            }
        }
        if !by_day.is_empty() {
            let wd = weekday_of_days(d) as u8;
            // Ordinals count within the month (MONTHLY, or YEARLY with BYMONTH), else the year.
            let in_month =
                r.freq == Freq::Monthly || (r.freq == Freq::Yearly && !r.by_month.is_empty());
            let (lo, hi) = if in_month {
                let a = d - md + 1;
                (a, a + month_len)
            } else {
                (ys, ys + year_len)
            };
            let matches = by_day.iter().any(|&(n, w)| {
                w == wd
                    && (n == 0 || {
                        let nth = (d - lo) / 7 + 1;
                        let nth_back = (hi - 1 - d) / 7 + 1;
                        i64::from(n) == nth || i64::from(-n) == nth_back
                    })
            });
            if !matches {
                return false;
            }
        }
        true
    }
}

/// The period's instances: each kept day crossed with the times, then BYSETPOS.
fn times_of(r: &Rule, st: i64, fixed_time: Option<i64>, days: Vec<i64>) -> Vec<i64> {
    // The times of each day.
    let pick = |v: &Vec<u8>, default: i64| -> Vec<i64> {
        if v.is_empty() {
            vec![default]
        } else {
            v.iter().map(|&x| i64::from(x)).collect()
        }
    };
    let mut times: Vec<i64> = Vec::new();
    match fixed_time {
        None => {
            for h in pick(&r.by_hour, st / HOUR) {
                for m in pick(&r.by_minute, st % HOUR / MINUTE) {
                    for s in pick(&r.by_second, st % MINUTE) {
                        times.push(h * HOUR + m * MINUTE + s.min(59));
                    }
                }
            }
        }
        Some(t) => {
            let (h, m, s) = (t / HOUR, t % HOUR / MINUTE, t % MINUTE);
            let hour_ok = r.by_hour.is_empty() || r.by_hour.contains(&(h as u8));
            let hours_here = if hour_ok { vec![h] } else { vec![] };
            let minutes: Vec<i64> = match r.freq {
                Freq::Hourly => pick(&r.by_minute, st % HOUR / MINUTE),
                _ if r.by_minute.is_empty() || r.by_minute.contains(&(m as u8)) => vec![m],
                _ => vec![],
            };
            let seconds: Vec<i64> = match r.freq {
                Freq::Hourly | Freq::Minutely => pick(&r.by_second, st % MINUTE),
                _ if r.by_second.is_empty() || r.by_second.contains(&(s.min(59) as u8)) => vec![s],
                _ => vec![],
            };
            for &h in &hours_here {
                for &m in &minutes {
                    for &s in &seconds {
                        times.push(h * HOUR + m * MINUTE + s.min(59));
                    }
                }
            }
        }
    }
    crate::base::sort::sort(&mut times);
    times.dedup();
    let mut out: Vec<i64> = Vec::with_capacity(days.len() * times.len());
    for d in days {
        for &t in &times {
            out.push(d * DAY + t);
        }
    }
    if r.by_set_pos.is_empty() {
        return out;
    }
    let n = out.len() as i64;
    let mut picked: Vec<i64> = r
        .by_set_pos
        .iter()
        .filter_map(|&p| {
            let i = if p > 0 {
                i64::from(p) - 1
            } else {
                n + i64::from(p)
            };
            usize::try_from(i).ok().and_then(|i| out.get(i)).copied()
        })
        .collect();
    crate::base::sort::sort(&mut picked);
    picked.dedup();
    picked
}

/// How many periods may pass without an instance before a rule is taken to produce no more
/// (FEB 30, or 31st of each February): a bound, not a guess about the rule.
const EMPTY_PERIODS: i64 = 2_000;

/// Lazily yields the wall times of a recurrence (RDATEs merged, EXDATEs removed), in order.
pub struct Instances<'a> {
    rec: &'a Recurrence,
    /// The next period index to expand.
    period: i64,
    /// Wall times from the current period not yet handed out.
    pending: std::collections::VecDeque<i64>,
    emitted: u32,
    empty_run: i64,
    done: bool,
    /// UNTIL as a wall-clock bound (for a UTC UNTIL, resolved by the caller's zone).
    until: Option<i64>,
    rdates: Vec<Wall>,
    last: Option<Wall>,
}

impl Recurrence {
    /// An iterator over every instance, from DTSTART (`until_wall` turns a UTC UNTIL into wall
    /// time in the recurrence's zone; floating recurrences compare UNTIL as written).
    pub fn instances(&self, until_wall: Option<Wall>) -> Instances<'_> {
        let mut rdates = self.rdates.clone();
        crate::base::sort::sort(&mut rdates);
        Instances {
            rec: self,
            period: 0,
            pending: Default::default(),
            emitted: 0,
            empty_run: 0,
            done: false,
            until: until_wall.map(Wall::secs),
            rdates,
            last: None,
        }
    }

    /// An iterator that starts at the period containing `from` when the rule has no COUNT
    /// (earlier periods cannot change what comes after), else from DTSTART.
    pub fn instances_from(&self, from_wall: Wall, until_wall: Option<Wall>) -> Instances<'_> {
        let mut it = self.instances(until_wall);
        if self.rule.count.is_none() && from_wall > self.start {
            let r = &self.rule;
            let step = i64::from(r.interval);
            let (from, start) = (from_wall.secs(), self.start.secs());
            let sd = start.div_euclid(DAY);
            let periods = match r.freq {
                Freq::Yearly => i64::from(
                    civil_from_days(from.div_euclid(DAY)).year() - civil_from_days(sd).year(),
                ),
                Freq::Monthly => {
                    let (a, b) = (civil_from_days(sd), civil_from_days(from.div_euclid(DAY)));
                    (i64::from(b.year()) * 12 + i64::from(b.month0()))
                        - (i64::from(a.year()) * 12 + i64::from(a.month0()))
                }
                Freq::Weekly => {
                    let week =
                        |d: i64| d - (weekday_of_days(d) as i64 - i64::from(r.wkst)).rem_euclid(7);
                    (week(from.div_euclid(DAY)) - week(sd)) / 7
                }
                Freq::Daily => from.div_euclid(DAY) - sd,
                Freq::Hourly => (from - start) / HOUR,
                Freq::Minutely => (from - start) / MINUTE,
                Freq::Secondly => from - start,
            };
            // Back one step for safety (BYxxx may reach before the period start).
            it.period = ((periods / step) - 1).max(0) * step;
            it.rdates.retain(|&t| t >= from_wall);
        }
        it
    }
}

impl Iterator for Instances<'_> {
    type Item = Wall;

    fn next(&mut self) -> Option<Wall> {
        loop {
            let from_rule = self.next_from_rule().map(Wall::from_secs);
            let from_rdates = self.rdates.first().copied();
            let next = match (from_rule, from_rdates) {
                (Some(a), Some(b)) if b < a => {
                    self.rdates.remove(0);
                    self.pending.push_front(a.secs());
                    Some(b)
                }
                (Some(a), Some(b)) if b == a => {
                    self.rdates.remove(0);
                    Some(a)
                }
                (Some(a), _) => Some(a),
                (None, Some(b)) => {
                    self.rdates.remove(0);
                    Some(b)
                }
                (None, None) => None,
            }?;
            if self.last == Some(next) {
                continue;
            }
            self.last = Some(next);
            if self.rec.exdates.contains(&next)
                || (self.rec.date_only && self.rec.exdates.contains(&next.day().start()))
            {
                continue;
            }
            return Some(next);
        }
    }
}

impl Instances<'_> {
    fn next_from_rule(&mut self) -> Option<i64> {
        let r = &self.rec.rule;
        let start = self.rec.start.secs();
        while self.pending.is_empty() && !self.done {
            // Sub-daily rules skip whole days that fail the day-level parts, so an impossible
            // rule (February 30th, every minute) ends after 400 years' worth of days, not minutes.
            if r.freq > Freq::Daily {
                let unit = match r.freq {
                    Freq::Hourly => HOUR,
                    Freq::Minutely => MINUTE,
                    _ => 1,
                };
                let base = match r.freq {
                    Freq::Hourly => start - start.rem_euclid(HOUR),
                    Freq::Minutely => start - start.rem_euclid(MINUTE),
                    _ => start,
                };
                let mut skipped = 0;
                loop {
                    let t = base + self.period * unit;
                    let d = t.div_euclid(DAY);
                    if d > 120_000 || skipped > 146_097 {
                        self.done = true;
                        break;
                    }
                    if day_ok(r, &r.by_month, &r.by_month_day, &r.by_day, d) {
                        break;
                    }
                    // The first period on or after the next midnight, on the INTERVAL grid.
                    let step = i64::from(r.interval) * unit;
                    let next_midnight = (d + 1) * DAY;
                    let periods = (next_midnight - base + step - 1).div_euclid(step);
                    self.period = periods * i64::from(r.interval);
                    skipped += 1;
                }
                if self.done {
                    break;
                }
            }
            let mut got = period_instances(r, start, self.period);
            self.period += i64::from(r.interval);
            got.retain(|&t| t >= start);
            if got.is_empty() {
                self.empty_run += 1;
                // An empty period past the bound ends the walk at once: a rule that matches
                // nothing (BYWEEKNO=53 in a January without one) must not walk 2,000 years.
                let bound = match (r.until, self.until) {
                    (_, Some(u)) => u,
                    (Some(Until::Date(d)), None) => (d + 1).start().secs(),
                    (Some(u), None) => u.wall_secs(),
                    (None, None) => 120_000 * DAY,
                };
                let passed = period_start(r, start, self.period) > bound;
                if self.empty_run > EMPTY_PERIODS || passed {
                    self.done = true;
                }
                continue;
            }
            self.empty_run = 0;
            self.pending.extend(got);
        }
        let t = self.pending.pop_front()?;
        if let Some(c) = r.count {
            if self.emitted >= c {
                self.done = true;
                self.pending.clear();
                return None;
            }
        }
        let past_until = match (r.until, self.until) {
            (_, Some(u)) => t > u,
            (Some(Until::Date(d)), None) => t.div_euclid(DAY) > d.days(),
            (Some(u), None) => t > u.wall_secs(),
            (None, None) => false,
        };
        if past_until || t.div_euclid(DAY) > 120_000 {
            self.done = true;
            self.pending.clear();
            return None;
        }
        self.emitted += 1;
        Some(t)
    }
}

/// A recurrence to expand, as hosts write it: RRULE text, DTSTART read in `timeZone` (a date for
/// all-day series), EXDATE/RDATE lists, and an optional window `[from, to)`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpandQuery {
    pub rrule: String,
    pub dtstart: When,
    pub time_zone: Option<String>,
    pub from: Option<When>,
    pub to: Option<When>,
    /// At most this many instances (default 1000, at most 100000).
    pub limit: Option<u32>,
    pub exdates: Vec<When>,
    pub rdates: Vec<When>,
}

/// The instants of a recurrence in `zone`, within the window, in order. Without COUNT the
/// expansion starts at the window, however long ago DTSTART was.
pub fn expand(
    zones: &crate::time::zone::Zones,
    zone: &str,
    q: &ExpandQuery,
) -> Result<Vec<Instant>> {
    zones.validate(zone)?;
    let rule = Rule::parse(&q.rrule)?;
    let (start, date_only) = zones.wall_of(zone, q.dtstart)?;
    let limit = q.limit.unwrap_or(1000);
    if !(1..=100_000).contains(&limit) {
        return Err(Error::input("limit must be 1 to 100000"));
    }
    if q.exdates.len() + q.rdates.len() > 10_000 {
        return Err(Error::input("at most 10000 EXDATEs and RDATEs"));
    }
    let walls = |list: &[When]| -> Result<Vec<Wall>> {
        list.iter()
            .map(|&t| zones.wall_of(zone, t).map(|w| w.0))
            .collect()
    };
    // A rule that can make more than one instance a day (finer than daily, or BYHOUR, BYMINUTE,
    // BYSECOND lists) skips local times a DST gap removes, and does not count them (RFC 5545
    // 3.3.10): moved forward, they would repeat or precede the next instance. COUNT is then
    // counted here, over the instances kept. A rule of at most one a day moves such a time
    // forward (the engine's rule for wall times), which can meet no other instance.
    let skip_gaps = rule.max_per_day() > 1;
    let count = rule.count.filter(|_| skip_gaps);
    let rec = Recurrence {
        rule: Rule {
            count: if skip_gaps { None } else { rule.count },
            ..rule
        },
        start,
        date_only,
        rdates: walls(&q.rdates)?,
        exdates: walls(&q.exdates)?,
    };
    let read = |t: Option<When>| t.map(|t| zones.instant(zone, t)).transpose();
    let (from, to) = (read(q.from)?, read(q.to)?);
    if let (Some(a), Some(b)) = (from, to) {
        if b <= a {
            return Err(Error::new(
                Code::EndBeforeStart,
                "the window ends before it starts",
            ));
        }
    }
    let until_wall = match rec.rule.until {
        Some(Until::Utc(u)) => Some(u.wall(zones.offset_at(zone, u)?)),
        _ => None,
    };
    // The window in wall-clock time, two hours wider each side than its offsets say, so that no
    // DST change (at most an hour; 30 minutes on Lord Howe) can push an instance out of it.
    let wall_of_instant = |t: Instant| -> Result<Wall> { Ok(t.wall(zones.offset_at(zone, t)?)) };
    let iter = match from {
        Some(f) if count.is_none() => {
            rec.instances_from(wall_of_instant(f)? - 2 * HOUR, until_wall)
        }
        _ => rec.instances(until_wall),
    };
    let mut counted = 0u32;
    let last_wall = to.map(wall_of_instant).transpose()?.map(|w| w + 2 * HOUR);
    let mut out = Vec::new();
    // The wall time read as if UTC is within a day of its instant: what `Table::resolve` reads.
    let first = start.at_offset(0);
    let table = zones.table(zone, first - DAY, to.unwrap_or(first) + DAY)?;
    for wall in iter {
        if last_wall.is_some_and(|l| wall > l) {
            break;
        }
        let covered = table.covers_instant(wall.at_offset(0));
        let t = if covered {
            table.resolve(wall)
        } else {
            zones.resolve(zone, wall)?
        };
        // A time the gap removed reads back as another wall time.
        if skip_gaps {
            let back = if covered {
                table.wall(t)
            } else {
                wall_of_instant(t)?
            };
            if back != wall {
                continue;
            }
        }
        counted += 1;
        if count.is_some_and(|c| counted > c) {
            break;
        }
        if from.is_some_and(|f| t < f) || to.is_some_and(|e| t >= e) {
            continue;
        }
        out.push(t);
        if out.len() >= limit as usize {
            break;
        }
    }
    Ok(out)
}
