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
pub mod zone;

use crate::base::error::{clip, Code, Error};
use chrono::{Datelike, NaiveDate};

/// Seconds since 1970-01-01T00:00:00Z.
pub type Instant = i64;

pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 3600;
pub const DAY: i64 = 86_400;

/// The years the engine accepts. Bounding them keeps every sum of seconds far from overflow and
/// every zone table finite; a booking outside them is a typing mistake, not a plan.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2200;
/// 1900-01-01T00:00:00Z, the first instant the engine accepts.
pub const MIN_INSTANT: Instant = -2_208_988_800;
/// 2201-01-01T00:00:00Z, the first instant past the range: every instant inside is before it, so
/// every stored time is one the text form can write and read back.
pub const END_INSTANT: Instant = 7_289_654_400;

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

/// A time as written by a person or a host: either an instant (it had `Z` or an offset), a
/// wall-clock time that still needs a zone, or a whole date that still needs a zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeText {
    At(Instant),
    /// Local wall-clock seconds, counted as if the zone were UTC.
    Wall(i64),
    /// Days since 1970-01-01 in the (yet unknown) local calendar.
    Date(i64),
}

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - 719_163
}

/// The civil date of a day number (days since 1970-01-01). The day is clamped into the
/// supported years, so the function is total.
pub fn civil_from_days(days: i64) -> NaiveDate {
    let ce = (days + 719_163).clamp(693_596, 803_533 + 365) as i32; // 1900-01-01 ..= 2200-12-31
    NaiveDate::from_num_days_from_ce_opt(ce).unwrap_or_default()
}

/// Monday = 0 .. Sunday = 6 for a day number.
pub fn weekday_of_days(days: i64) -> usize {
    // 1970-01-01 was a Thursday (3).
    (days + 3).rem_euclid(7) as usize
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
pub fn parse_time(text: &str) -> Result<TimeText, Error> {
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
    let days = days_from_civil(date);
    if b.len() == 10 {
        return Ok(TimeText::Date(days));
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
    let wall = days * DAY + h * HOUR + mi * MINUTE + s;
    match b.get(i) {
        None => Ok(TimeText::Wall(wall)),
        Some(b'Z' | b'z') if b.len() == i + 1 => Ok(TimeText::At(wall)),
        Some(sign @ (b'+' | b'-')) if b.len() == i + 6 && b[i + 3] == b':' => {
            let (Some(oh), Some(om)) = (digits(b, i + 1, 2), digits(b, i + 4, 2)) else {
                return Err(invalid(text, "the offset must be ±hh:mm"));
            };
            if oh > 23 || om > 59 {
                return Err(invalid(text, "the offset must be ±hh:mm"));
            }
            let off = (oh * HOUR + om * MINUTE) * if *sign == b'-' { -1 } else { 1 };
            bounded(wall - off, text).map(TimeText::At)
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
pub fn parse_clock(text: &str) -> Result<u32, Error> {
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
#[allow(clippy::indexing_slicing)] // `len` is 20 or 25, the buffer's length
pub fn write_time(out: &mut String, t: Instant, offset: i32) {
    let local = t + i64::from(offset);
    let days = local.div_euclid(DAY);
    let secs = local.rem_euclid(DAY);
    let date = civil_from_days(days);
    let y = i64::from(date.year());
    // Into a fixed buffer, then one append: `YYYY-MM-DDThh:mm:ss` and `Z` or `±hh:mm`.
    let mut buf = *b"0000-00-00T00:00:00+00:00";
    put2(&mut buf, 0, y / 100);
    put2(&mut buf, 2, y % 100);
    put2(&mut buf, 5, i64::from(date.month()));
    put2(&mut buf, 8, i64::from(date.day()));
    put2(&mut buf, 11, secs / HOUR);
    put2(&mut buf, 14, secs % HOUR / MINUTE);
    put2(&mut buf, 17, secs % MINUTE);
    let len = if offset == 0 {
        buf[19] = b'Z';
        20
    } else {
        let o = i64::from(offset).abs();
        buf[19] = if offset < 0 { b'-' } else { b'+' };
        put2(&mut buf, 20, o / HOUR);
        put2(&mut buf, 23, o % HOUR / MINUTE);
        25
    };
    out.push_str(std::str::from_utf8(&buf[..len]).unwrap_or_default());
}

/// RFC 3339 in UTC, the form every instant leaves the engine in.
pub fn format_utc(t: Instant) -> String {
    format_time(t, 0)
}

/// `YYYY-MM-DD` of a day number.
pub fn format_date(days: i64) -> String {
    let mut s = format_time(days * DAY, 0);
    s.truncate(10);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_forms_people_and_hosts_write() {
        assert_eq!(parse_time("1970-01-01T00:00:00Z").unwrap(), TimeText::At(0));
        assert_eq!(
            parse_time("2026-11-23T06:52:21.123Z").unwrap(),
            TimeText::At(1_795_416_741)
        );
        assert_eq!(
            parse_time("2026-11-23T01:52:21-05:00").unwrap(),
            TimeText::At(1_795_416_741)
        );
        assert_eq!(
            parse_time("2026-11-23T12:22:21+05:30").unwrap(),
            TimeText::At(1_795_416_741)
        );
        assert_eq!(
            parse_time("2026-11-23T06:52").unwrap(),
            TimeText::Wall(1_795_416_720)
        );
        assert_eq!(parse_time("2026-11-23").unwrap(), TimeText::Date(20_780));
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
        assert_eq!(format_utc(1_795_416_741), "2026-11-23T06:52:21Z");
        assert_eq!(
            format_time(1_795_416_741, -5 * 3600),
            "2026-11-23T01:52:21-05:00"
        );
        assert_eq!(
            format_time(1_795_416_741, 19_800),
            "2026-11-23T12:22:21+05:30"
        );
        assert_eq!(format_time(-1, 0), "1969-12-31T23:59:59Z");
        assert_eq!(format_date(20_780), "2026-11-23");
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
        assert_eq!(weekday_of_days(0), 3); // Thursday
        assert_eq!(weekday_of_days(20_780), 0); // 2026-11-23 is a Monday
    }
}
