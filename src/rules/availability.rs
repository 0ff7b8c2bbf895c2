//! Availability: the bookable slots of a service over a range, and free/busy per provider and
//! per resource.
//!
//! Per provider: the starts in the range that no rule blocks (`rule.rs`: the same rules `check`
//! asks), on the slot grid (wall-clock multiples of the step since local midnight, so a 30-minute
//! grid stays on :00 and :30 across a DST change, and the repeated hour of a fall-back night
//! appears twice), and the open seats of group sessions; then resources, per start. Every slot
//! listed passes `check` (a property test holds this).

use crate::base::error::{Code, Error, Result};
use crate::json::{ToJson, Writer};
use crate::model::{AvailabilityQuery, FreeBusyQuery, Service};
use crate::rules::rule::{open_starts, qualified, Scope};
use crate::state::Coordinator;
use crate::time::intervals::IntervalSet;
use crate::time::zone::Table;
use crate::time::{Instant, Interval, When, DAY, MINUTE};

/// The longest range one query may cover.
pub const MAX_QUERY_DAYS: i64 = 366;
/// The most grid steps (and recurring instances) a slot search may walk, over all its providers:
/// 50 technicians on a 5-minute grid for 30 days is 432,000; a year of them on an hourly grid 438,000.
pub const MAX_QUERY_WORK: u64 = 2_000_000;
/// The same with `explain`, whose answer has an entry per unavailable step.
pub const MAX_EXPLAIN_WORK: u64 = 200_000;

/// Slots, with providers named by index into `provider_ids` (the boundary stays small).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Availability {
    pub provider_ids: Vec<String>,
    pub slots: Vec<Slot>,
    /// With `explain`: every grid step some chosen provider cannot take, and why.
    pub unavailable: Vec<crate::rules::explain::Unavailable>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Slot {
    pub start: Instant,
    pub end: Instant,
    /// Indexes into `Availability::provider_ids`, ascending.
    pub providers: Vec<u32>,
    /// Seats still free (1 for one-to-one services); the most any listed provider offers.
    pub seats_left: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    pub start: Instant,
    pub end: Instant,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BusySpan {
    pub start: Instant,
    pub end: Instant,
    pub booking_id: String,
    pub quantity: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FreeBusyLane {
    pub id: String,
    pub free: Vec<Span>,
    pub busy: Vec<BusySpan>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FreeBusy {
    pub providers: Vec<FreeBusyLane>,
    pub resources: Vec<FreeBusyLane>,
}

impl ToJson for Availability {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("providerIds", &self.provider_ids);
        w.field("slots", &self.slots);
        w.field("unavailable", &self.unavailable);
        w.end_obj();
    }
}

/// At the boundary a slot's providers are a bitmask in hex, 4 providers a digit, lowest first
/// (`"f3"`: providers 0-3, 4 and 5): a slot that 50 technicians can take costs 13 bytes instead
/// of 140, and writing and parsing the answer was a third of the time of a large query.
impl ToJson for Slot {
    #[allow(clippy::indexing_slicing)] // `mask` is sized for every provider index; `d & 15` is below 16
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.time("start", self.start);
        w.time("end", self.end);
        let mut mask: Vec<u8> = Vec::new();
        for &p in &self.providers {
            let (i, bit) = ((p / 4) as usize, 1u8 << (p % 4));
            if mask.len() <= i {
                mask.resize(i + 1, 0);
            }
            mask[i] |= bit;
        }
        let hex: String = mask
            .iter()
            .map(|&d| char::from(b"0123456789abcdef"[usize::from(d & 15)]))
            .collect();
        w.field("providers", &hex);
        w.field("seatsLeft", &self.seats_left);
        w.end_obj();
    }
}

impl ToJson for Span {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.time("start", self.start);
        w.time("end", self.end);
        w.end_obj();
    }
}

impl ToJson for BusySpan {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.time("start", self.start);
        w.time("end", self.end);
        w.field("bookingId", &self.booking_id);
        w.field("quantity", &self.quantity);
        w.end_obj();
    }
}

impl ToJson for FreeBusyLane {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("id", &self.id);
        w.field("free", &self.free);
        w.field("busy", &self.busy);
        w.end_obj();
    }
}

impl ToJson for FreeBusy {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("providers", &self.providers);
        w.field("resources", &self.resources);
        w.end_obj();
    }
}

fn spans(set: &IntervalSet) -> Vec<Span> {
    set.parts()
        .iter()
        .map(|p| Span {
            start: p.start,
            end: p.end,
        })
        .collect()
}

/// Calls `emit` for each grid start `s` in `part` with `s + dur <= part.end` and `s < hi`: the
/// instants whose wall-clock time is a multiple of `step` after local midnight.
pub(crate) fn grid(
    table: &Table,
    part: Interval,
    step: i64,
    dur: i64,
    hi: Instant,
    mut emit: impl FnMut(Instant),
) {
    let last = (part.end - dur).min(hi - 1);
    let mut t = part.start;
    while t <= last {
        // Within one segment of constant offset, the grid is plain arithmetic.
        let off = table.offset_at(t);
        let seg_end = table
            .next_transition(t)
            .unwrap_or(Instant::MAX)
            .min(last + 1);
        let wall = t.wall(off);
        let midnight = wall.day().start();
        let mut k = (wall - midnight + step - 1) / step;
        loop {
            let w = midnight + k * step;
            // A new local day restarts the grid at its midnight; a new offset, at the transition.
            if w >= midnight + DAY || w.at_offset(off) >= seg_end {
                break;
            }
            emit(w.at_offset(off));
            k += 1;
        }
        let next_day = (midnight + DAY).at_offset(off);
        t = if next_day < seg_end {
            next_day
        } else {
            seg_end
        };
    }
}

/// Adds one provider's slot starts, which come in ascending order, to the ascending slot list.
/// Providers mostly share a grid, so this is a walk with few inserts (cheaper than sorting all
/// pairs at the end).
struct Merge<'a> {
    slots: &'a mut Vec<Slot>,
    at: usize,
    added: bool,
}

impl Merge<'_> {
    fn add(&mut self, t: Instant, idx: u32, dur: i64, seats: u32, capacity: usize) {
        let slots = &mut *self.slots;
        self.at += slots
            .get(self.at..)
            .unwrap_or_default()
            .iter()
            .take_while(|s| s.start < t)
            .count();
        match slots.get_mut(self.at) {
            Some(slot) if slot.start == t => {
                slot.providers.push(idx);
                slot.seats_left = slot.seats_left.max(seats);
            }
            _ => {
                let mut providers = Vec::with_capacity(capacity);
                providers.push(idx);
                slots.insert(
                    self.at,
                    Slot {
                        start: t,
                        end: t + dur,
                        providers,
                        seats_left: seats,
                    },
                );
            }
        }
        self.at += 1;
        self.added = true;
    }
}

impl Coordinator {
    /// Reads a query range in `zone`, refusing reversed and absurd ranges.
    pub(crate) fn query_range(&self, zone: Option<&str>, from: When, to: When) -> Result<Interval> {
        let zone = zone.unwrap_or(&self.time_zone);
        self.zones.validate(zone)?;
        let range = Interval::new(
            self.zones.instant(zone, from)?,
            self.zones.instant(zone, to)?,
        );
        if range.is_empty() {
            return Err(Error::new(
                Code::EndBeforeStart,
                format!("the range ends ({to}) before it starts ({from})"),
            ));
        }
        if range.len() > MAX_QUERY_DAYS * DAY {
            return Err(Error::new(
                Code::RangeTooLarge,
                format!("a query may span at most {MAX_QUERY_DAYS} days; ask for a shorter range"),
            ));
        }
        Ok(range)
    }

    /// The providers a query names (all of them if it names none).
    fn chosen<'a>(&'a self, q: &'a AvailabilityQuery) -> Result<Vec<&'a str>> {
        match &q.provider_ids {
            Some(ids) => {
                if let Some(bad) = ids.iter().find(|id| !self.providers.contains_key(id)) {
                    return Err(Error::unknown("provider", bad));
                }
                Ok(ids.iter().map(String::as_str).collect())
            }
            None => Ok(self.providers.keys().collect()),
        }
    }

    /// Refuses, before any work, a query that would walk more than [`MAX_QUERY_WORK`] (or
    /// [`MAX_EXPLAIN_WORK`] with reasons) grid steps and recurring instances over its providers.
    fn bound_work(
        &self,
        s: &Service,
        range: Interval,
        chosen: &[&str],
        explain: bool,
    ) -> Result<()> {
        if range.is_empty() {
            return Ok(());
        }
        let steps = (range.len() / s.step().max(MINUTE) + 1) as u64;
        let days = (range.len() / DAY + 2) as u64;
        let work: u64 = chosen
            .iter()
            .filter_map(|id| self.providers.get(id))
            .map(|e| steps + days * e.cal.repeats_per_day)
            .sum();
        let max = if explain {
            MAX_EXPLAIN_WORK
        } else {
            MAX_QUERY_WORK
        };
        if work > max {
            return Err(Error::new(
                Code::RangeTooLarge,
                format!("this query would examine {work} grid steps and recurring instances over its providers, more than {max}; ask for a shorter range, fewer providers or a longer slot step"),
            ));
        }
        Ok(())
    }

    /// The bookable slots for a service over a range.
    pub fn availability(&self, q: &AvailabilityQuery, now: Instant) -> Result<Availability> {
        let s = self
            .services
            .get(&q.service_id)
            .ok_or_else(|| Error::unknown("service", &q.service_id))?;
        let range = self.query_range(q.time_zone.as_deref(), q.from, q.to)?;
        // Without a place, an on-site service's slots cannot count driving (README, travel).
        let place = match (&q.location, s.on_site) {
            (Some(l), true) => {
                l.check("location")?;
                Some(l)
            }
            _ => None,
        };
        let except = match q.except_hold.as_deref() {
            None => None,
            Some(id) => match self.bookings.get(id) {
                None => return Err(Error::unknown("booking", id)),
                Some(b) if b.status != crate::model::Status::Held => {
                    return Err(Error::with_ids(
                        Code::InvalidInput,
                        format!(
                            "exceptHold: booking `{}` is not a hold",
                            crate::base::error::clip(id)
                        ),
                        vec![id.to_string()],
                    ))
                }
                Some(b) => Some(&*b.id),
            },
        };
        self.slots(s, range, &self.chosen(q)?, q.explain, place, except, now)
    }

    /// The slots of `s` (which need not be in the catalog: repair searches with a relaxed copy),
    /// with the time of booking `except` counted as free.
    #[allow(clippy::indexing_slicing, clippy::too_many_arguments)] // `i` is a position found in `out.slots`
    pub(crate) fn slots(
        &self,
        s: &Service,
        range: Interval,
        chosen: &[&str],
        explain: bool,
        place: Option<&crate::model::Location>,
        except: Option<&str>,
        now: Instant,
    ) -> Result<Availability> {
        let chosen_count = chosen.len();
        let (dur, step) = (s.duration(), s.step());
        let lo = range
            .start
            .max(now + i64::from(s.min_notice_minutes) * MINUTE);
        let hi = match s.horizon_days {
            Some(d) => range.end.min(now + i64::from(d) * DAY + 1),
            None => range.end,
        };
        self.bound_work(s, Interval::new(lo, hi), chosen, explain)?;
        let mut out = Availability::default();
        // Sessions off the grid, joined after the grid walk: (start, provider, seats left).
        let mut joins: Vec<(Instant, u32, u32)> = Vec::new();
        // Resource answers per start, shared by the providers (sorted by start).
        let mut resources_ok: Vec<(Instant, bool)> = Vec::new();
        let mut blocks = Vec::new();
        for &id in chosen {
            let Some(entry) = self.providers.get(id) else {
                continue;
            };
            if lo >= hi || !qualified(&entry.data, s) {
                continue;
            }
            let idx = out.provider_ids.len() as u32;
            let sc = Scope::new(self, entry, s, dur, 1, except, Interval::new(lo, hi), now)?
                .at_place(place);
            blocks.clear();
            sc.blocks(&mut blocks);
            let open = open_starts(sc.window, &blocks);
            let before = joins.len();
            let mut merge = Merge {
                slots: &mut out.slots,
                at: 0,
                added: false,
            };
            let mut joined: Vec<Instant> = Vec::new();
            for part in open.parts() {
                grid(&sc.table, *part, step, 1, hi, |t| {
                    let seats = match sc.session_at(t) {
                        Some(x) => {
                            joined.push(t);
                            s.seats - x.taken
                        }
                        None => s.seats,
                    };
                    let ok = s.required_resources.is_empty()
                        || match resources_ok.binary_search_by_key(&t, |x| x.0) {
                            Ok(i) => resources_ok[i].1,
                            Err(i) => {
                                let ok = sc.resources_free(t);
                                resources_ok.insert(i, (t, ok));
                                ok
                            }
                        };
                    if ok {
                        merge.add(t, idx, dur, seats, chosen_count);
                    }
                });
            }
            // A session placed off the grid (by staff, or before the step changed) can be joined.
            for x in &sc.sessions {
                if !joined.contains(&x.start) && open.contains_instant(x.start) {
                    joins.push((x.start, idx, s.seats - x.taken));
                }
            }
            if merge.added || joins.len() > before {
                out.provider_ids.push(id.to_string());
            }
        }
        if explain {
            // Each provider's steps come ascending; merge them into one list by start.
            let mut all: Vec<crate::rules::explain::Unavailable> = Vec::new();
            for &id in chosen {
                let mut at = 0;
                for (t, codes) in self.reasons(id, s, range.start, range.end, place, now)? {
                    at += all
                        .get(at..)
                        .unwrap_or_default()
                        .iter()
                        .take_while(|u| u.start < t)
                        .count();
                    match all.get_mut(at) {
                        Some(u) if u.start == t => u.providers.push((id.to_string(), codes)),
                        _ => all.insert(
                            at,
                            crate::rules::explain::Unavailable {
                                start: t,
                                end: t + dur,
                                providers: vec![(id.to_string(), codes)],
                            },
                        ),
                    }
                }
            }
            out.unavailable = all;
        }
        if !joins.is_empty() {
            for (t, idx, seats) in joins {
                match out.slots.binary_search_by_key(&t, |x| x.start) {
                    Ok(i) => {
                        let slot = &mut out.slots[i];
                        let at = slot.providers.partition_point(|&p| p < idx);
                        slot.providers.insert(at, idx);
                        slot.seats_left = slot.seats_left.max(seats);
                    }
                    Err(i) => out.slots.insert(
                        i,
                        Slot {
                            start: t,
                            end: t + dur,
                            providers: vec![idx],
                            seats_left: seats,
                        },
                    ),
                }
            }
        }
        Ok(out)
    }

    /// Free and busy time per provider and per resource over a range.
    pub fn free_busy(&self, q: &FreeBusyQuery, now: Instant) -> Result<FreeBusy> {
        let range = self.query_range(q.time_zone.as_deref(), q.from, q.to)?;
        let pick = |ids: &Option<Vec<String>>,
                    known: &dyn Fn(&str) -> bool,
                    all: Vec<String>,
                    what: &str|
         -> Result<Vec<String>> {
            match ids {
                Some(ids) => {
                    if let Some(bad) = ids.iter().find(|id| !known(id)) {
                        return Err(Error::unknown(what, bad));
                    }
                    Ok(ids.clone())
                }
                None => Ok(all),
            }
        };
        let providers = pick(
            &q.provider_ids,
            &|id| self.providers.contains_key(id),
            self.providers.keys().map(String::from).collect(),
            "provider",
        )?;
        // Without a resource filter, resources are listed only when providers are not.
        let all_resources = if q.provider_ids.is_some() {
            Vec::new()
        } else {
            self.resources.keys().map(String::from).collect()
        };
        let resources = pick(
            &q.resource_ids,
            &|id| self.resources.contains_key(id),
            all_resources,
            "resource",
        )?;
        let mut out = FreeBusy::default();
        for id in providers {
            let Some(entry) = self.providers.get(&id) else {
                continue;
            };
            let table = self.zones.table(&entry.cal.zone, range.start, range.end)?;
            let work = entry.cal.working(&table, range);
            let busy: Vec<BusySpan> = self
                .provider_bookings(&id, range, now)
                .map(|b| {
                    let iv = b.blocked();
                    BusySpan {
                        start: iv.start,
                        end: iv.end,
                        booking_id: b.id.to_string(),
                        quantity: 1,
                    }
                })
                .collect();
            let free = work.subtract_all(
                &busy
                    .iter()
                    .map(|b| Interval::new(b.start, b.end))
                    .collect::<Vec<_>>(),
            );
            out.providers.push(FreeBusyLane {
                id,
                free: spans(&free),
                busy,
            });
        }
        for id in resources {
            let Some(entry) = self.resources.get(&id) else {
                continue;
            };
            let table = self.zones.table(&entry.cal.zone, range.start, range.end)?;
            let work = entry.cal.working(&table, range);
            let busy: Vec<BusySpan> = self
                .resource_bookings(&id, range, now)
                .map(|b| {
                    let iv = b.blocked();
                    let quantity = b
                        .resources
                        .iter()
                        .filter(|u| u.resource_id == id)
                        .map(|u| u.quantity)
                        .sum();
                    BusySpan {
                        start: iv.start,
                        end: iv.end,
                        booking_id: b.id.to_string(),
                        quantity,
                    }
                })
                .collect();
            // Fully used where the peak use reaches the quantity: cut at every edge and test each piece.
            let mut edges: Vec<Instant> = busy.iter().flat_map(|b| [b.start, b.end]).collect();
            crate::base::sort::sort(&mut edges);
            edges.dedup();
            let full: Vec<Interval> = edges
                .windows(2)
                .filter_map(|w| match w {
                    [a, b] => Some(Interval::new(*a, *b)),
                    _ => None,
                })
                .filter(|piece| self.resource_free(&id, *piece, None, now) == 0)
                .collect();
            let free = work.subtract_all(&full);
            out.resources.push(FreeBusyLane {
                id,
                free: spans(&free),
                busy,
            });
        }
        Ok(out)
    }
}
