//! Instants, half-open intervals and the RFC 3339 text forms they travel in.
//!
//! An [`Instant`] is whole seconds since the Unix epoch, UTC. Everything inside the engine is an
//! instant; wall-clock times exist only on the way in (read in a stated zone, see `zone.rs`) and
//! in the provider's weekly hours. The parser is written here rather than taken from chrono's
//! formatting module because we need a strict, small reader that also accepts a wall time
//! without offset (to be read in a zone) and a bare date, and reports what was wrong.

pub mod intervals;
#[cfg(not(target_arch = "wasm32"))]
pub mod native_tz;
pub mod rrule;
pub mod windows_zones;
pub mod zone;

use crate::base::error::{clip, Code, Error};
use chrono::{Datelike, NaiveDate};

/// A point in time: seconds since 1970-01-01T00:00:00Z, the same everywhere. Adding seconds
/// gives an instant; two instants differ by seconds. It is never a wall-clock time ([`Wall`]) or
/// a day number ([`Day`]): those need a zone to become one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(i64);

/// A wall-clock time in some zone, as seconds counted as if that zone were UTC: what a clock on
/// the wall shows. It becomes an [`Instant`] only through the zone (`zone.rs`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Wall(i64);

/// A calendar date in some zone, as days since 1970-01-01.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i64);

/// Each counts in one unit (seconds, or days for [`Day`]): adding a count moves it, and two of
/// one type differ by a count. Nothing converts one type into another but the named functions.
macro_rules! counted {
    ($t:ident, $from:ident, $get:ident) => {
        impl $t {
            pub const MIN: $t = $t(i64::MIN);
            pub const MAX: $t = $t(i64::MAX);
            pub const fn $from(n: i64) -> Self {
                $t(n)
            }
            pub const fn $get(self) -> i64 {
                self.0
            }
        }
        impl std::ops::Add<i64> for $t {
            type Output = $t;
            fn add(self, s: i64) -> $t {
                $t(self.0 + s)
            }
        }
        impl std::ops::Sub<i64> for $t {
            type Output = $t;
            fn sub(self, s: i64) -> $t {
                $t(self.0 - s)
            }
        }
        impl std::ops::Sub for $t {
            type Output = i64;
            fn sub(self, other: $t) -> i64 {
                self.0 - other.0
            }
        }
        impl std::ops::AddAssign<i64> for $t {
            fn add_assign(&mut self, s: i64) {
                self.0 += s;
            }
        }
        impl std::ops::SubAssign<i64> for $t {
            fn sub_assign(&mut self, s: i64) {
                self.0 -= s;
            }
        }
    };
}
counted!(Instant, from_secs, secs);
counted!(Wall, from_secs, secs);
counted!(Day, from_days, days);

/// RFC 3339 in UTC, as every instant leaves the engine.
impl std::fmt::Display for Instant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format_utc(*self))
    }
}

impl Instant {
    /// The wall-clock time at this instant where the UTC offset is `offset` seconds.
    pub fn wall(self, offset: i32) -> Wall {
        Wall(self.0 + i64::from(offset))
    }
}

impl Wall {
    /// The instant this wall time names where the UTC offset is `offset` seconds.
    pub fn at_offset(self, offset: i32) -> Instant {
        Instant(self.0 - i64::from(offset))
    }
    /// The date.
    pub fn day(self) -> Day {
        Day(self.0.div_euclid(DAY))
    }
    /// Seconds since the local midnight.
    pub fn time_of_day(self) -> i64 {
        self.0.rem_euclid(DAY)
    }
}

impl Day {
    /// Midnight at the start of the day.
    pub fn start(self) -> Wall {
        Wall(self.0 * DAY)
    }
    /// Monday = 0 .. Sunday = 6.
    pub fn weekday(self) -> usize {
        // 1970-01-01 was a Thursday (3).
        (self.0 + 3).rem_euclid(7) as usize
    }
}

pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 3600;
pub const DAY: i64 = 86_400;

/// The years the engine accepts. Bounding them keeps every sum of seconds far from overflow and
/// every zone table finite; a booking outside them is a typing mistake, not a plan.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2200;
/// 1900-01-01T00:00:00Z, the first instant the engine accepts.
pub const MIN_INSTANT: Instant = Instant(-2_208_988_800);
/// 2201-01-01T00:00:00Z, the first instant past the range: every instant inside is before it, so
/// every stored time is one the text form can write and read back.
pub const END_INSTANT: Instant = Instant(7_289_654_400);

/// Refuses an instant outside 1900-01-01T00:00:00Z ..= 2200-12-31T23:59:59Z (UTC): a wall time or
/// an offset can carry a time within the years past their edge, and it would not read back.
pub fn bounded(t: Instant, text: &str) -> Result<Instant, Error> {
    if (MIN_INSTANT..END_INSTANT).contains(&t) {
        Ok(t)
    } else {
        Err(invalid(
            text,
            "in UTC it falls outside 1900-01-01T00:00:00Z to 2200-12-31T23:59:59Z",
        ))
    }
}

/// A half-open interval `[start, end)` of instants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interval {
    pub start: Instant,
    pub end: Instant,
}

impl Interval {
    pub const fn new(start: Instant, end: Instant) -> Self {
        Interval { start, end }
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }
    pub fn contains(&self, other: &Interval) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn len(&self) -> i64 {
        self.end - self.start
    }
}

/// A time as a person or a host wrote it, read once where the text comes in: an instant (it had
/// `Z` or an offset, kept so it is written back as given), or a wall-clock time or a whole date
/// that still needs a zone (`Zones::instant` gives it one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// The instant and the offset it was written with, in seconds east of UTC.
    At(Instant, i32),
    /// A wall-clock time in a zone not yet known.
    Wall(Wall),
    /// A date in a zone not yet known.
    Date(Day),
}

impl When {
    /// An instant, written in UTC.
    pub fn utc(t: Instant) -> When {
        When::At(t, 0)
    }
    /// The instant, when it needs no zone to be one.
    pub fn instant(self) -> Option<Instant> {
        match self {
            When::At(t, _) => Some(t),
            _ => None,
        }
    }
    /// RFC 3339 as read: `...Z` or with its offset, a wall time without one, or `YYYY-MM-DD`.
    pub fn write(&self, out: &mut String) {
        match *self {
            When::At(t, offset) => write_time(out, t, offset),
            When::Wall(w) => {
                let mut s = format_time(w.at_offset(0), 0);
                s.truncate(19);
                out.push_str(&s)
            }
            When::Date(d) => out.push_str(&format_date(d)),
        }
    }
}

impl Default for When {
    fn default() -> When {
        When::utc(Instant::default())
    }
}

impl std::fmt::Display for When {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = String::new();
        self.write(&mut s);
        f.write_str(&s)
    }
}

/// A time of day on the wall clock, as minutes after midnight: `09:00` is 540, and `24:00`
/// (1440) is the end of the day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeOfDay(u32);

impl TimeOfDay {
    pub fn minutes(self) -> u32 {
        self.0
    }
    /// Reads `hh:mm`, 00:00 to 24:00.
    pub fn parse(text: &str) -> Result<TimeOfDay, Error> {
        parse_clock(text).map(TimeOfDay)
    }
    /// A time from minutes after midnight, clamped to the day.
    pub fn from_minutes(m: u32) -> TimeOfDay {
        TimeOfDay(m.min(1440))
    }
}

impl std::fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Day {
    /// The day of a civil date.
    pub fn of(date: NaiveDate) -> Day {
        Day(i64::from(date.num_days_from_ce()) - 719_163)
    }
    /// Year, month and day of the civil date, as `civil` gives them, by integer arithmetic
    /// (H. Hinnant's days-to-civil; a report writes a date for every row).
    pub fn ymd(self) -> (i64, i64, i64) {
        let z = (self.0 + 719_163).clamp(693_596, 803_533 + 365) - 719_163 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        (yoe + era * 400 + i64::from(m <= 2), m, d)
    }
    /// The civil date. The day is clamped into the supported years, so the function is total.
    pub fn civil(self) -> NaiveDate {
        let ce = (self.0 + 719_163).clamp(693_596, 803_533 + 365) as i32; // 1900-01-01 ..= 2200-12-31
        NaiveDate::from_num_days_from_ce_opt(ce).unwrap_or_default()
    }
}

fn invalid(text: &str, why: &str) -> Error {
    Error::new(
        Code::InvalidTime,
        format!("`{}` is not a valid time: {why}", clip(text)),
    )
}

fn digits(bytes: &[u8], at: usize, n: usize) -> Option<i64> {
    let part = bytes.get(at..at + n)?;
    let mut v = 0i64;
    for &b in part {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(b - b'0');
    }
    Some(v)
}

/// Reads `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` and the same with `Z` or `±HH:MM`.
/// A space may stand for the `T`. Fractions of a second are dropped (the engine counts seconds).
#[allow(clippy::indexing_slicing)] // each byte read is past a length check of `b` (the match guards)
pub fn parse_time(text: &str) -> Result<When, Error> {
    let b = text.as_bytes();
    let (Some(y), Some(mo), Some(d)) = (digits(b, 0, 4), digits(b, 5, 2), digits(b, 8, 2)) else {
        return Err(invalid(
            text,
            "expected YYYY-MM-DD, optionally followed by Thh:mm and an offset",
        ));
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return Err(invalid(text, "expected YYYY-MM-DD"));
    }
    if !(i64::from(MIN_YEAR)..=i64::from(MAX_YEAR)).contains(&y) {
        return Err(invalid(text, "the year must be between 1900 and 2200"));
    }
    let date = NaiveDate::from_ymd_opt(y as i32, mo as u32, d as u32)
        .ok_or_else(|| invalid(text, "no such calendar date"))?;
    let day = Day::of(date);
    if b.len() == 10 {
        return Ok(When::Date(day));
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return Err(invalid(text, "expected `T` between the date and the time"));
    }
    let (Some(h), Some(mi)) = (digits(b, 11, 2), digits(b, 14, 2)) else {
        return Err(invalid(text, "expected hh:mm after the date"));
    };
    if b.get(13) != Some(&b':') || h > 23 || mi > 59 {
        return Err(invalid(text, "the hour must be 00-23 and the minute 00-59"));
    }
    let mut i = 16;
    let mut s = 0;
    if b.get(i) == Some(&b':') {
        s = digits(b, i + 1, 2)
            .filter(|s| *s <= 59)
            .ok_or_else(|| invalid(text, "seconds must be 00-59"))?;
        i += 3;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start || i - start > 9 {
                return Err(invalid(text, "a fraction of a second needs 1 to 9 digits"));
            }
        }
    }
    let wall = day.start() + (h * HOUR + mi * MINUTE + s);
    match b.get(i) {
        None => Ok(When::Wall(wall)),
        Some(b'Z' | b'z') if b.len() == i + 1 => Ok(When::utc(wall.at_offset(0))),
        Some(sign @ (b'+' | b'-')) if b.len() == i + 6 && b[i + 3] == b':' => {
            let (Some(oh), Some(om)) = (digits(b, i + 1, 2), digits(b, i + 4, 2)) else {
                return Err(invalid(text, "the offset must be ±hh:mm"));
            };
            if oh > 23 || om > 59 {
                return Err(invalid(text, "the offset must be ±hh:mm"));
            }
            let off = (oh * HOUR + om * MINUTE) * if *sign == b'-' { -1 } else { 1 };
            let off = off as i32;
            bounded(wall.at_offset(off), text).map(|t| When::At(t, off))
        }
        _ => Err(invalid(
            text,
            "expected `Z`, an offset ±hh:mm, or nothing after the time",
        )),
    }
}

/// Reads a wall-clock time of day, `HH:MM`, as minutes after midnight; `24:00` is the end of
/// the day.
#[allow(clippy::indexing_slicing)] // `b.len() == 5` is checked first
fn parse_clock(text: &str) -> Result<u32, Error> {
    let b = text.as_bytes();
    let bad = || {
        Error::new(
            Code::InvalidTime,
            format!(
                "`{}` is not a time of day: expected hh:mm, 00:00 to 24:00",
                clip(text)
            ),
        )
    };
    if b.len() != 5 || b[2] != b':' {
        return Err(bad());
    }
    let (h, m) = (
        digits(b, 0, 2).ok_or_else(bad)?,
        digits(b, 3, 2).ok_or_else(bad)?,
    );
    if m > 59 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok((h * 60 + m) as u32)
}

#[allow(clippy::indexing_slicing)] // callers write into a fixed 25-byte buffer at fixed offsets below 24
fn put2(buf: &mut [u8], at: usize, v: i64) {
    buf[at] = b'0' + (v / 10 % 10) as u8;
    buf[at + 1] = b'0' + (v % 10) as u8;
}

/// Writes an instant as RFC 3339 with the given offset, e.g. `2026-03-08T03:00:00-04:00`.
pub fn format_time(t: Instant, offset: i32) -> String {
    let mut out = String::with_capacity(25);
    write_time(&mut out, t, offset);
    out
}

/// Appends `format_time(t, offset)` to `out`.
pub fn write_time(out: &mut String, t: Instant, offset: i32) {
    let (buf, len) = time_bytes(t, offset);
    out.push_str(std::str::from_utf8(buf.get(..len).unwrap_or_default()).unwrap_or_default());
}

/// `format_time(t, offset)` as ASCII in a fixed buffer, and how much of it is used (20 or 25).
#[allow(clippy::indexing_slicing)] // 19 is inside the 25-byte buffer
pub fn time_bytes(t: Instant, offset: i32) -> ([u8; 25], usize) {
    let local = t.wall(offset);
    let secs = local.time_of_day();
    let (y, m, d) = local.day().ymd();
    // `YYYY-MM-DDThh:mm:ss` and `Z` or `±hh:mm`.
    let mut buf = *b"0000-00-00T00:00:00+00:00";
    put2(&mut buf, 0, y / 100);
    put2(&mut buf, 2, y % 100);
    put2(&mut buf, 5, m);
    put2(&mut buf, 8, d);
    put2(&mut buf, 11, secs / HOUR);
    put2(&mut buf, 14, secs % HOUR / MINUTE);
    put2(&mut buf, 17, secs % MINUTE);
    if offset == 0 {
        buf[19] = b'Z';
        return (buf, 20);
    }
    let o = i64::from(offset).abs();
    buf[19] = if offset < 0 { b'-' } else { b'+' };
    put2(&mut buf, 20, o / HOUR);
    put2(&mut buf, 23, o % HOUR / MINUTE);
    (buf, 25)
}

/// RFC 3339 in UTC, the form every instant leaves the engine in.
pub fn format_utc(t: Instant) -> String {
    format_time(t, 0)
}

/// `YYYY-MM-DD` of a day.
pub fn format_date(day: Day) -> String {
    std::str::from_utf8(&date_bytes(day))
        .unwrap_or_default()
        .to_string()
}

/// `format_date(day)` as ASCII.
pub fn date_bytes(day: Day) -> [u8; 10] {
    let (y, m, d) = day.ymd();
    let mut buf = *b"0000-00-00";
    put2(&mut buf, 0, y / 100);
    put2(&mut buf, 2, y % 100);
    put2(&mut buf, 5, m);
    put2(&mut buf, 8, d);
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_dates_agree_with_chrono_on_every_supported_day() {
        for d in -(70 * 366 + 5)..(231 * 366) {
            let (day, c) = (Day(d), Day(d).civil());
            assert_eq!(
                day.ymd(),
                (
                    i64::from(c.year()),
                    i64::from(c.month()),
                    i64::from(c.day())
                ),
                "day {d}"
            );
        }
    }

    #[test]
    fn reads_the_forms_people_and_hosts_write() {
        assert_eq!(
            parse_time("1970-01-01T00:00:00Z").unwrap(),
            When::utc(Instant(0))
        );
        assert_eq!(
            parse_time("2026-11-23T06:52:21.123Z").unwrap(),
            When::utc(Instant(1_795_416_741))
        );
        assert_eq!(
            parse_time("2026-11-23T01:52:21-05:00").unwrap(),
            When::At(Instant(1_795_416_741), -5 * 3600)
        );
        assert_eq!(
            parse_time("2026-11-23T12:22:21+05:30").unwrap(),
            When::At(Instant(1_795_416_741), 19_800)
        );
        assert_eq!(
            parse_time("2026-11-23T06:52").unwrap(),
            When::Wall(Wall(1_795_416_720))
        );
        assert_eq!(parse_time("2026-11-23").unwrap(), When::Date(Day(20_780)));
    }

    #[test]
    fn a_time_is_written_back_as_it_was_read() {
        for text in [
            "2026-11-23T01:52:21-05:00",
            "2026-11-23T12:22:21+05:30",
            "2026-11-23T06:52:21Z",
            "2026-11-23T06:52:00",
            "2026-11-23",
        ] {
            assert_eq!(parse_time(text).unwrap().to_string(), text);
        }
        // What the engine does not keep: fractions of a second, a lower-case `z`, a space for `T`.
        assert_eq!(
            parse_time("2026-11-23 06:52:21.5z").unwrap().to_string(),
            "2026-11-23T06:52:21Z"
        );
    }

    #[test]
    fn refuses_what_is_not_a_time() {
        for junk in [
            "",
            "2026",
            "2026-02-30",
            "2026-13-01",
            "2026-11-23T24:00",
            "2026-11-23T10:00+5",
            "2026-11-23X10:00",
            "1800-01-01",
            "9999-01-01",
            "2026-11-23T10:00Zjunk",
            "２０２６-11-23",
        ] {
            let err = parse_time(junk).unwrap_err();
            assert_eq!(err.code, Code::InvalidTime, "{junk}");
        }
    }

    #[test]
    fn writes_rfc3339_with_offsets() {
        assert_eq!(format_utc(Instant(1_795_416_741)), "2026-11-23T06:52:21Z");
        assert_eq!(
            format_time(Instant(1_795_416_741), -5 * 3600),
            "2026-11-23T01:52:21-05:00"
        );
        assert_eq!(
            format_time(Instant(1_795_416_741), 19_800),
            "2026-11-23T12:22:21+05:30"
        );
        assert_eq!(format_time(Instant(-1), 0), "1969-12-31T23:59:59Z");
        assert_eq!(format_date(Day(20_780)), "2026-11-23");
    }

    #[test]
    fn clock_times_cover_the_whole_day() {
        assert_eq!(parse_clock("00:00").unwrap(), 0);
        assert_eq!(parse_clock("24:00").unwrap(), 1440);
        assert!(parse_clock("24:01").is_err());
        assert!(parse_clock("9:00").is_err());
    }

    #[test]
    fn weekdays() {
        assert_eq!(Day(0).weekday(), 3); // Thursday
        assert_eq!(Day(20_780).weekday(), 0); // 2026-11-23 is a Monday
    }
}
