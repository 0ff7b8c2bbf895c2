//! Time zones: offset tables built once per zone from an [`OffsetSource`], and the rule for
//! reading a wall-clock time in a zone.
//!
//! The engine does not carry the IANA database. A source answers one question, "what is the UTC
//! offset of zone Z at instant T", and this module turns that into a table of transitions by
//! sampling weekly and bisecting each change to the second. In the browser and Node the source is
//! `Intl` (see `wasm.rs`); natively it is chrono-tz (see `native_tz.rs`). Both go through the
//! same table builder, so both answer the same wherever their databases agree.
//!
//! Limitation, stated: two transitions less than a week apart that cancel out would be missed
//! by weekly sampling. No zone has had such a pair since 1970.
//!
//! The rule for wall-clock times (RFC 5545 section 3.3.5, and Temporal's "compatible"):
//! - in a gap (spring forward), a time that does not exist moves forward by the length of the gap
//!   (02:30 in New York on the spring-forward day is 03:30 EDT);
//! - in an overlap (fall back), a time that happens twice means the earlier of the two.

use crate::base::error::clip;
use crate::base::error::{Code, Error, Result};
use crate::base::idmap::IdMap;
use crate::time::{Day, Instant, Interval, Wall, When, DAY};
use std::cell::RefCell;
use std::rc::Rc;

/// Where offsets come from: the host's `Intl`, chrono-tz, or a fixed table in tests.
pub trait OffsetSource {
    /// The offset in seconds east of UTC of `zone` at `utc`, or `None` if the zone is unknown.
    fn offset(&self, zone: &str, utc: Instant) -> Option<i32>;

    /// The zone's canonical name (`america/new_york` is `America/New_York`), or `None` if unknown.
    /// Tables are kept under this name, so spellings of one zone share one table.
    fn canonical(&self, zone: &str) -> Option<String> {
        self.offset(zone, Instant::from_secs(0))
            .map(|_| zone.to_string())
    }
}

/// How many other spellings of zone names the cache remembers; past this, a spelling is looked
/// up again each time (so junk spellings cannot grow the memory).
const MAX_ALIASES: usize = 64;

/// Tables are built in chunks of 52 weeks, sampled once a week.
const WEEK: i64 = 7 * DAY;
const CHUNK: i64 = 52 * WEEK;
/// The instants the engine accepts (see `time::MIN_YEAR`), plus a day of slack either side.
const LOWEST: Instant = Instant::from_secs(-2_208_988_800 - 2 * DAY); // 1900-01-01
const HIGHEST: Instant = Instant::from_secs(7_289_654_400 + 2 * DAY); // 2201-01-01

/// The offsets of one zone over a contiguous span `[lo, hi)` of chunks.
#[derive(Clone, Debug)]
pub struct Table {
    lo: Instant,
    hi: Instant,
    first: i32,
    /// (instant, offset from then on), sorted.
    transitions: Vec<(Instant, i32)>,
}

impl Table {
    /// The offset at `t`. Callers ask `Zones::table` to cover their range first; outside it the
    /// nearest known offset is returned.
    #[allow(clippy::indexing_slicing)] // `i > 0` in that branch
    pub fn offset_at(&self, t: Instant) -> i32 {
        let i = self.transitions.partition_point(|&(at, _)| at <= t);
        if i == 0 {
            self.first
        } else {
            self.transitions[i - 1].1
        }
    }

    /// The instant of a wall-clock time (gap: moved forward; overlap: earlier).
    pub fn resolve(&self, wall: Wall) -> Instant {
        // Offsets are read a day either side, where the wall time as if UTC is a fine guess.
        let guess = wall.at_offset(0);
        let before = self.offset_at(guess - DAY);
        let after = self.offset_at(guess + DAY);
        if before == after
            && self
                .next_transition(guess - DAY)
                .is_none_or(|t| t > guess + DAY)
        {
            return wall.at_offset(before); // no transition within a day: the common case
        }
        let fits = |o: i32| self.offset_at(wall.at_offset(o)) == o;
        match (fits(before), fits(after)) {
            (true, true) => wall.at_offset(before).min(wall.at_offset(after)),
            (true, false) => wall.at_offset(before),
            (false, true) => wall.at_offset(after),
            // A gap: read with the offset in force before it, which lands past the gap.
            (false, false) => wall.at_offset(before),
        }
    }

    /// The offset of the local day `day`, when no transition falls within a day of it: then
    /// every wall time that day is `wall.at_offset(offset)`.
    pub fn day_offset(&self, day: Day) -> Option<i32> {
        let midnight = day.start();
        let o = self.offset_at(midnight.at_offset(0));
        let quiet = self
            .next_transition(midnight.at_offset(o) - DAY)
            .is_none_or(|t| t > midnight.at_offset(o) + 2 * DAY);
        quiet.then_some(o)
    }

    /// The wall-clock time at `t`.
    pub fn wall(&self, t: Instant) -> Wall {
        t.wall(self.offset_at(t))
    }

    /// The local date at `t`.
    pub fn local_day(&self, t: Instant) -> Day {
        self.wall(t).day()
    }

    /// A reader of offsets for instants that mostly come in time order (a report's rows).
    pub fn cursor(&self) -> Cursor<'_> {
        Cursor {
            table: self,
            lo: Instant::MAX,
            hi: Instant::MIN,
            offset: self.first,
        }
    }

    /// The next transition strictly after `t`, if the table knows one.
    pub fn next_transition(&self, t: Instant) -> Option<Instant> {
        let i = self.transitions.partition_point(|&(at, _)| at <= t);
        self.transitions.get(i).map(|&(at, _)| at)
    }

    /// The changes of offset in `[lo, hi)`: (instant, offset before, offset after).
    pub fn changes(&self, lo: Instant, hi: Instant) -> Vec<(Instant, i32, i32)> {
        let mut out = Vec::new();
        let mut before = self.first;
        for &(at, off) in &self.transitions {
            if at >= lo && at < hi && off != before {
                out.push((at, before, off));
            }
            before = off;
        }
        out
    }

    /// Whether the table knows the offsets around `t` (a day either side).
    pub fn covers_instant(&self, t: Instant) -> bool {
        self.lo + DAY <= t && t + DAY < self.hi
    }

    fn covers(&self, lo: Instant, hi: Instant) -> bool {
        self.lo <= lo && hi <= self.hi
    }
}

/// Offsets of one table, remembering the span between two transitions that the last instant
/// fell in: a report reads hundreds of thousands of instants, nearly all in the span before.
pub struct Cursor<'t> {
    table: &'t Table,
    lo: Instant,
    hi: Instant,
    offset: i32,
}

impl Cursor<'_> {
    /// The offset at `t`, as `Table::offset_at`.
    pub fn offset_at(&mut self, t: Instant) -> i32 {
        if t < self.lo || t >= self.hi {
            let list = &self.table.transitions;
            let i = list.partition_point(|&(at, _)| at <= t);
            let before = i.checked_sub(1).and_then(|i| list.get(i));
            self.lo = before.map_or(Instant::MIN, |x| x.0);
            self.hi = list.get(i).map_or(Instant::MAX, |x| x.0);
            self.offset = before.map_or(self.table.first, |x| x.1);
        }
        self.offset
    }

    pub fn wall(&mut self, t: Instant) -> Wall {
        t.wall(self.offset_at(t))
    }

    pub fn local_day(&mut self, t: Instant) -> Day {
        self.wall(t).day()
    }

    /// `Table::day_offset`, for days that mostly come in order: a day well inside the span
    /// between two transitions is answered from the span.
    pub fn day_offset(&mut self, day: Day) -> Option<i32> {
        let midnight = day.start();
        let o = self.offset_at(midnight.at_offset(0));
        let (a, b) = (midnight.at_offset(o) - DAY, midnight.at_offset(o) + 2 * DAY);
        if self.lo <= a && b < self.hi {
            Some(o)
        } else {
            self.table.day_offset(day)
        }
    }
}

/// A table with a fixed offset, for UTC and for tests.
pub fn fixed_table(offset: i32) -> Table {
    Table {
        lo: LOWEST,
        hi: HIGHEST,
        first: offset,
        transitions: Vec::new(),
    }
}

fn chunk_floor(t: Instant) -> Instant {
    Instant::from_secs(t.secs().div_euclid(CHUNK) * CHUNK)
}

/// Builds the transitions of `zone` in `[lo, hi)` (chunk-aligned) by weekly sampling + bisection.
fn scan(
    source: &dyn OffsetSource,
    zone: &str,
    lo: Instant,
    hi: Instant,
) -> Option<(i32, Vec<(Instant, i32)>)> {
    let first = source.offset(zone, lo)?;
    let mut transitions = Vec::new();
    let (mut t, mut off) = (lo, first);
    while t < hi {
        let next = (t + WEEK).min(hi);
        let o = source.offset(zone, next)?;
        if o != off {
            // The change happened in (t, next]: bisect to the second.
            let (mut a, mut b) = (t, next);
            while b - a > 1 {
                let m = a + (b - a) / 2;
                if source.offset(zone, m)? == off {
                    a = m
                } else {
                    b = m
                }
            }
            transitions.push((b, o));
            off = o;
        }
        t = next;
    }
    Some((first, transitions))
}

/// The per-zone table cache. Interior mutability is confined here: a query asks for a table that
/// covers its range, and the cache extends the zone's table if needed.
pub struct Zones {
    source: Rc<dyn OffsetSource>,
    /// Keyed by canonical name (and NUL-prefixed names of zones an import defined).
    tables: RefCell<IdMap<Rc<Table>>>,
    /// Other spellings seen, with their canonical names (at most `MAX_ALIASES`).
    aliases: RefCell<IdMap<String>>,
}

impl Zones {
    pub fn new(source: Box<dyn OffsetSource>) -> Self {
        Zones {
            source: Rc::from(source),
            tables: RefCell::new(IdMap::default()),
            aliases: RefCell::new(IdMap::default()),
        }
    }

    /// Defines a zone from its transitions (a VTIMEZONE in an imported file): `first` is the
    /// offset before the first transition. Such names start with NUL, out of a host's reach.
    pub fn define(&self, name: &str, first: i32, mut transitions: Vec<(Instant, i32)>) {
        crate::base::sort::sort(&mut transitions);
        let table = Table {
            lo: LOWEST,
            hi: HIGHEST,
            first,
            transitions,
        };
        self.tables
            .borrow_mut()
            .insert(name.to_string(), Rc::new(table));
    }

    /// Whether `define` made `name`. Asks the cache only: the source is not asked, since a failed
    /// `Intl` lookup costs a thrown exception in JS (per imported event, that was 80% of an import).
    pub fn defined(&self, name: &str) -> bool {
        name.starts_with('\0') && self.tables.borrow().contains_key(name)
    }

    /// Forgets a zone `define` made.
    pub fn forget(&self, name: &str) {
        self.tables.borrow_mut().remove(name);
    }

    /// The name `zone`'s table is kept under, if the zone exists.
    fn key(&self, zone: &str) -> Option<String> {
        if self.tables.borrow().contains_key(zone) {
            return Some(zone.to_string());
        }
        if let Some(name) = self.aliases.borrow().get(zone) {
            return Some(name.clone());
        }
        let name = self.source.canonical(zone)?;
        let mut aliases = self.aliases.borrow_mut();
        if name != zone && aliases.len() < MAX_ALIASES {
            aliases.insert(zone.to_string(), name.clone());
        }
        Some(name)
    }

    /// Fails with `UNKNOWN_TIME_ZONE` unless the source knows `zone`.
    pub fn validate(&self, zone: &str) -> Result<()> {
        // The common case, a zone already read, without building its key.
        let known =
            self.tables.borrow().contains_key(zone) || self.aliases.borrow().contains_key(zone);
        if known || self.key(zone).is_some() {
            Ok(())
        } else {
            Err(Error::with_ids(
                Code::UnknownTimeZone,
                format!(
                    "`{}` is not an IANA time zone (for example Europe/London or America/New_York)",
                    clip(zone)
                ),
                vec![zone.to_string()],
            ))
        }
    }

    /// A table for `zone` that covers `[lo, hi)` (padded by a few days for local-day arithmetic).
    pub fn table(&self, zone: &str, lo: Instant, hi: Instant) -> Result<Rc<Table>> {
        let lo = chunk_floor((lo - 3 * DAY).clamp(LOWEST, HIGHEST));
        let hi = chunk_floor((hi + 3 * DAY).clamp(LOWEST, HIGHEST)) + CHUNK;
        if let Some(t) = self.tables.borrow().get(zone) {
            if t.covers(lo, hi) {
                return Ok(Rc::clone(t));
            }
        }
        let unknown = || {
            self.validate(zone)
                .err()
                .unwrap_or_else(|| Error::new(Code::Internal, "time zone lookup failed"))
        };
        let name = self.key(zone).ok_or_else(unknown)?;
        let zone = name.as_str();
        if let Some(t) = self.tables.borrow().get(zone) {
            if t.covers(lo, hi) {
                return Ok(Rc::clone(t));
            }
        }
        let old = self.tables.borrow().get(zone).cloned();
        let table = match old {
            None => {
                let (first, transitions) = scan(&*self.source, zone, lo, hi).ok_or_else(unknown)?;
                Table {
                    lo,
                    hi,
                    first,
                    transitions,
                }
            }
            Some(old) => {
                // Extend on the side(s) that are missing; the middle is kept.
                let mut table = (*old).clone();
                if lo < table.lo {
                    let (first, mut before) =
                        scan(&*self.source, zone, lo, table.lo).ok_or_else(unknown)?;
                    if table.first != before.last().map_or(first, |&(_, o)| o) {
                        before.push((table.lo, table.first));
                    }
                    before.extend(table.transitions);
                    table = Table {
                        lo,
                        hi: table.hi,
                        first,
                        transitions: before,
                    };
                }
                if hi > table.hi {
                    let (first, after) =
                        scan(&*self.source, zone, table.hi, hi).ok_or_else(unknown)?;
                    if table.transitions.last().map_or(table.first, |&(_, o)| o) != first {
                        table.transitions.push((table.hi, first));
                    }
                    table.transitions.extend(after);
                    table.hi = hi;
                }
                table
            }
        };
        let table = Rc::new(table);
        self.tables
            .borrow_mut()
            .insert(zone.to_string(), Rc::clone(&table));
        Ok(table)
    }

    pub fn offset_at(&self, zone: &str, t: Instant) -> Result<i32> {
        Ok(self.table(zone, t, t)?.offset_at(t))
    }

    /// The instant of a wall-clock time in `zone` (see the module doc for gaps and overlaps).
    pub fn resolve(&self, zone: &str, wall: Wall) -> Result<Instant> {
        let guess = wall.at_offset(0);
        Ok(self.table(zone, guess - DAY, guess + DAY)?.resolve(wall))
    }
}

impl Zones {
    /// The instant of a time as written, in `zone` (a wall time or a date is local to it).
    pub fn instant(&self, zone: &str, when: When) -> Result<Instant> {
        let t = match when {
            When::At(t, _) => return Ok(t),
            When::Wall(w) => self.resolve(zone, w)?,
            When::Date(d) => self.resolve(zone, d.start())?,
        };
        crate::time::bounded(t, &when.to_string())
    }

    /// The wall-clock time in `zone` of a time as written, and whether it was a date.
    pub fn wall_of(&self, zone: &str, when: When) -> Result<(Wall, bool)> {
        Ok(match when {
            When::At(t, _) => (t.wall(self.offset_at(zone, t)?), false),
            When::Wall(w) => (w, false),
            When::Date(d) => (d.start(), true),
        })
    }

    /// `[start, end)` in `zone`, refusing an empty or reversed range.
    pub fn range(&self, zone: &str, start: When, end: When, what: &str) -> Result<Interval> {
        let iv = Interval::new(self.instant(zone, start)?, self.instant(zone, end)?);
        if iv.is_empty() {
            return Err(Error::new(
                Code::EndBeforeStart,
                format!("{what}: the end {end} is not after the start {start}"),
            ));
        }
        Ok(iv)
    }
}

/// A copy shares the source and starts with the tables built so far (plans work on copies).
impl Clone for Zones {
    fn clone(&self) -> Self {
        Zones {
            source: Rc::clone(&self.source),
            tables: RefCell::new(self.tables.borrow().clone()),
            aliases: RefCell::new(self.aliases.borrow().clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> Instant {
        Instant::from_secs(secs)
    }

    /// A zone with a spring-forward at t=1000*DAY (+1h) and a fall-back 200 days later.
    struct Toy;
    impl OffsetSource for Toy {
        fn offset(&self, zone: &str, utc: Instant) -> Option<i32> {
            (zone == "Toy/Zone").then(|| {
                if (1000 * DAY..1200 * DAY).contains(&utc.secs()) {
                    3600
                } else {
                    0
                }
            })
        }
    }

    #[test]
    fn transitions_are_found_to_the_second() {
        let zones = Zones::new(Box::new(Toy));
        let t = zones
            .table("Toy/Zone", at(990 * DAY), at(1210 * DAY))
            .unwrap();
        assert_eq!(
            t.transitions,
            vec![(at(1000 * DAY), 3600), (at(1200 * DAY), 0)]
        );
        assert_eq!(t.offset_at(at(1000 * DAY - 1)), 0);
        assert_eq!(t.offset_at(at(1000 * DAY)), 3600);
    }

    #[test]
    fn gap_moves_forward_and_overlap_takes_the_earlier() {
        let zones = Zones::new(Box::new(Toy));
        // Spring forward at 00:00 UTC = 00:00 local; 00:30 local does not exist -> 01:30 local = 00:30 UTC.
        assert_eq!(
            zones
                .resolve("Toy/Zone", Wall::from_secs(1000 * DAY + 1800))
                .unwrap(),
            at(1000 * DAY + 1800)
        );
        // Fall back at 1200d 00:00 UTC (01:00 local -> 00:00 local); 00:30 local happens twice.
        assert_eq!(
            zones
                .resolve("Toy/Zone", Wall::from_secs(1200 * DAY + 1800))
                .unwrap(),
            at(1200 * DAY - 1800)
        );
    }

    #[test]
    fn a_cursor_reads_day_offsets_as_the_table_does() {
        let zones = Zones::new(Box::new(Toy));
        let t = zones
            .table("Toy/Zone", at(990 * DAY), at(1210 * DAY))
            .unwrap();
        let mut clock = t.cursor();
        // In order, backwards past both changes, and jumping about: always the table's answer.
        let days = (990..1210)
            .chain((990..1210).rev())
            .chain([1100, 999, 1201, 1000, 1199]);
        for d in days {
            let day = Day::from_days(d);
            assert_eq!(clock.day_offset(day), t.day_offset(day), "day {d}");
        }
        assert_eq!(clock.day_offset(Day::from_days(1000)), None);
        assert_eq!(clock.day_offset(Day::from_days(1100)), Some(3600));
    }

    #[test]
    fn tables_extend_both_ways() {
        let zones = Zones::new(Box::new(Toy));
        zones
            .table("Toy/Zone", at(1100 * DAY), at(1101 * DAY))
            .unwrap();
        let t = zones
            .table("Toy/Zone", at(500 * DAY), at(2000 * DAY))
            .unwrap();
        assert_eq!(t.offset_at(at(999 * DAY)), 0);
        assert_eq!(t.offset_at(at(1100 * DAY)), 3600);
        assert_eq!(t.offset_at(at(1300 * DAY)), 0);
        assert!(zones.validate("Nowhere/Zone").is_err());
    }
}
