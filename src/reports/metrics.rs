//! Service delivery metrics, each defined once here and in the README's table: over the visits
//! (bookings, not holds) that start in a period, grouped by provider, service, client, day, week
//! or month, each figure beside the same figure for the previous period.
//!
//! Rules that hold for all: a group session counts per seat (a client's share); a rate whose
//! denominator is 0 is `null` ("n/a"), never 0; days, weeks and months are cut in the query's
//! zone, weeks starting on its `weekStart`; nothing is taken from the clock but `unresolved`
//! (past and never closed).

use super::billing::group;
use super::Recent;
use crate::base::error::Result;
use crate::json::{named, record, ToJson, Writer};
use crate::model::billing::amount_minor;
use crate::model::visit::{Outcome, RETURN_RULE};
use crate::model::*;
use crate::state::Coordinator;
use crate::time::intervals::IntervalSet;
use crate::time::zone::{Cursor, Table};
use crate::time::{Day, Instant, Interval, When, DAY, MINUTE};
use chrono::{Datelike, Months};
use std::collections::HashMap;

named! {
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub enum GroupBy as "a grouping" {
        #[default]
        None = "none",
        Provider = "provider",
        Service = "service",
        Client = "client",
        Day = "day",
        Week = "week",
        Month = "month",
    }
}

named! {
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub enum WeekStart as "a week start" {
        #[default]
        Monday = "monday",
        Sunday = "sunday",
        Saturday = "saturday",
    }
}

record! {
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct MetricsQuery {
        from: When = "from" req,
        to: When = "to" req,
        time_zone: Option<String> = "timeZone" opt,
        week_start: WeekStart = "weekStart" (or WeekStart::Monday),
        group_by: GroupBy = "groupBy" (or GroupBy::None),
        provider_ids: Option<Vec<String>> = "providerIds" opt,
        service_ids: Option<Vec<String>> = "serviceIds" opt,
    }
}

impl MetricsQuery {
    /// Whether the query counts the provider `id` (all, unless it names some).
    fn has_provider(&self, id: &str) -> bool {
        self.provider_ids
            .as_ref()
            .is_none_or(|l| l.iter().any(|x| x == id))
    }
    /// Whether the query counts the service `id` (all, unless it names some).
    fn has_service(&self, id: &str) -> bool {
        self.service_ids
            .as_ref()
            .is_none_or(|l| l.iter().any(|x| x == id))
    }
}

/// A visit started on time if it started at most this long after its booked start.
pub const ON_TIME_MINUTES: i64 = 10;
/// A visit kept to its schedule if its actual start and end are each within this of the booked.
pub const ADHERENCE_MINUTES: i64 = 15;

/// Sums over the visits of one group in one period; the figures are made from these.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub scheduled: i64,
    pub completed: i64,
    pub unresolved: i64,
    pub no_show: i64,
    pub provider_no_show: i64,
    pub cancelled: i64,
    pub late_cancelled: i64,
    /// Cancellations (in time or late) by client, provider, staff, not recorded.
    pub cancelled_by: [i64; 4],
    pub lead_seconds: i64,
    pub lead_n: i64,
    pub arrivals: i64,
    pub on_time: i64,
    pub adherence_n: i64,
    pub adherent: i64,
    pub duration_variance_seconds: i64,
    pub duration_n: i64,
    /// Provider time: on site and travelling, within working hours; the capacity they fill.
    pub on_site: i64,
    pub travel: i64,
    pub capacity: i64,
    pub first_visits: i64,
    pub first_fixed: i64,
    pub recalled: i64,
    pub resolve_seconds: i64,
    pub resolve_n: i64,
    pub urgent: i64,
    pub urgent_in_sla: i64,
    pub response_seconds: i64,
    pub response_n: i64,
    pub csat_n: i64,
    pub csat_satisfied: i64,
    pub csat_sum: i64,
    pub nps_n: i64,
    pub promoters: i64,
    pub detractors: i64,
    pub billable_raw: i64,
    pub billable_rounded: i64,
    pub revenue_minor: i64,
}

/// One group's tally now and in the previous period.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub key: String,
    pub label: String,
    pub now: Tally,
    pub before: Tally,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Metrics {
    pub period: Interval,
    pub previous: Interval,
    pub zone: String,
    pub week_start: WeekStart,
    pub group_by: GroupBy,
    pub currency: String,
    pub total: Group,
    pub groups: Vec<Group>,
    /// Client no-shows and visits due (completed or a no-show of either side) by local hour of
    /// the booked start, in the period.
    pub by_hour: [(i64, i64); 24],
}

/// How one period is cut into groups.
struct Cut {
    by: GroupBy,
    period: Interval,
    /// Time buckets: the instants each starts (and one more: the last one's end).
    starts: Vec<Instant>,
    keys: super::IdTable<usize>,
    /// Tallies by the address of an id's text (see `by_id`).
    recent: Recent<usize>,
    /// The bucket found last.
    last: usize,
    tallies: Vec<(String, Tally)>,
}

impl Cut {
    fn new(by: GroupBy, table: &Table, period: Interval, week: WeekStart) -> Cut {
        let (first, last) = (
            table.local_day(period.start),
            table.local_day(period.end - 1),
        );
        let mut days = Vec::new();
        let step = |d: Day| -> Day {
            match by {
                GroupBy::Week => d + 7,
                GroupBy::Month => Day::of(
                    d.civil()
                        .with_day(1)
                        .and_then(|x| x.checked_add_months(Months::new(1)))
                        .unwrap_or(d.civil()),
                ),
                _ => d + 1,
            }
        };
        if matches!(by, GroupBy::Day | GroupBy::Week | GroupBy::Month) {
            let mut d = match by {
                GroupBy::Week => {
                    let wd = first.weekday() as i64; // Monday 0
                    let start = match week {
                        WeekStart::Monday => 0,
                        WeekStart::Sunday => 6,
                        WeekStart::Saturday => 5,
                    };
                    first - (wd - start).rem_euclid(7)
                }
                GroupBy::Month => Day::of(first.civil().with_day(1).unwrap_or(first.civil())),
                _ => first,
            };
            while d <= last {
                days.push(d);
                let next = step(d);
                if next <= d {
                    break;
                }
                d = next;
            }
        }
        let mut starts: Vec<Instant> = days.iter().map(|d| table.resolve(d.start())).collect();
        if let Some(&d) = days.last() {
            starts.push(table.resolve(step(d).start()));
        }
        let mut tallies: Vec<(String, Tally)> = days
            .iter()
            .map(|d| (bucket_key(by, *d), Tally::default()))
            .collect();
        if by == GroupBy::None {
            tallies.push(("all".into(), Tally::default()));
        }
        Cut {
            by,
            period,
            starts,
            keys: super::IdTable::default(),
            recent: Recent::default(),
            last: 0,
            tallies,
        }
    }

    /// The tallies a visit of `b` (seat `client`, or the whole booking) counts in.
    fn tally(&mut self, b: &Booking, client: Option<&str>) -> Option<&mut Tally> {
        match self.by {
            GroupBy::None => self.tallies.first_mut().map(|x| &mut x.1),
            // Bookings share their provider's and service's `Id`: the last few are remembered
            // by address, so most visits find their tally without hashing.
            GroupBy::Provider => self.by_id(&b.provider_id),
            GroupBy::Service => self.by_id(&b.service_id),
            GroupBy::Client => self.keyed(client?),
            GroupBy::Day | GroupBy::Week | GroupBy::Month => self.bucket(b.start),
        }
    }

    /// The tally of the time bucket `t` falls in (the last one's, most of the time).
    fn bucket(&mut self, t: Instant) -> Option<&mut Tally> {
        let i = self.last;
        let same = matches!(
            (self.starts.get(i), self.starts.get(i + 1)),
            (Some(&a), Some(&b)) if a <= t && t < b
        );
        if !same {
            self.last = self.starts.partition_point(|&s| s <= t).checked_sub(1)?;
        }
        self.tallies.get_mut(self.last).map(|x| &mut x.1)
    }

    /// The start of the next bucket after `t`'s, if there is one.
    fn next_edge(&self, t: Instant) -> Option<Instant> {
        let i = self.starts.partition_point(|&s| s <= t);
        self.starts.get(i).copied()
    }

    /// The tally of an instant's bucket, or of a provider (capacity and time entries).
    fn tally_of(&mut self, provider: &str, t: Instant) -> Option<&mut Tally> {
        match self.by {
            GroupBy::None => self.tallies.first_mut().map(|x| &mut x.1),
            GroupBy::Provider => self.keyed(provider),
            GroupBy::Service | GroupBy::Client => None,
            GroupBy::Day | GroupBy::Week | GroupBy::Month => self.bucket(t),
        }
    }

    /// A provider's working time, cut at bucket edges.
    fn add_capacity(&mut self, provider: &str, working: &IntervalSet) {
        if !matches!(self.by, GroupBy::Day | GroupBy::Week | GroupBy::Month) {
            let all: i64 = working.parts().iter().map(Interval::len).sum();
            if let Some(t) = self.tally_of(provider, self.period.start) {
                t.capacity += all;
            }
            return;
        }
        for part in working.parts() {
            let mut s = part.start;
            while s < part.end {
                let edge = self.next_edge(s).unwrap_or(part.end).min(part.end);
                if let Some(t) = self.tally_of(provider, s) {
                    t.capacity += edge - s;
                }
                s = edge;
            }
        }
    }

    /// The tally of a shared `Id` (a provider or service), found by the id's address.
    fn by_id(&mut self, id: &crate::base::id::Id) -> Option<&mut Tally> {
        let i = match self.recent.get(id).flatten() {
            Some(i) => i,
            None => {
                self.keyed(id)?;
                let i = self.keys.get(&**id).copied()?;
                self.recent.put(id, Some(i));
                i
            }
        };
        self.tallies.get_mut(i).map(|x| &mut x.1)
    }

    /// The tally of a provider, service or client (made on first sight, in that order).
    fn keyed(&mut self, key: &str) -> Option<&mut Tally> {
        let i = match self.keys.get(key) {
            Some(&i) => i,
            None => {
                let i = self.tallies.len();
                self.keys.insert(key.to_string(), i);
                self.tallies.push((key.to_string(), Tally::default()));
                i
            }
        };
        self.tallies.get_mut(i).map(|x| &mut x.1)
    }
}

fn bucket_key(by: GroupBy, d: Day) -> String {
    let c = d.civil();
    match by {
        GroupBy::Month => format!("{:04}-{:02}", c.year(), c.month()),
        _ => format!("{:04}-{:02}-{:02}", c.year(), c.month(), c.day()),
    }
}

impl Coordinator {
    /// The metrics of `q`'s period and of the one before it, at `now`.
    pub fn metrics(&self, q: &MetricsQuery, now: Instant) -> Result<Metrics> {
        let zone = q
            .time_zone
            .as_deref()
            .unwrap_or(&self.time_zone)
            .to_string();
        let period = self.report_period(&zone, q.from, q.to)?;
        let table = self
            .zones
            .table(&zone, period.start - 400 * DAY, period.end)?;
        let previous = previous_period(&table, period);
        let ([now_groups, before_groups], by_hour) =
            self.tally_periods(q, &table, [period, previous], now)?;
        let time_grouped = matches!(q.group_by, GroupBy::Day | GroupBy::Week | GroupBy::Month);
        let mut before: HashMap<&str, &Tally> = HashMap::new();
        for (k, t) in &before_groups {
            before.insert(k, t);
        }
        let mut total = Group {
            key: "all".into(),
            label: "All".into(),
            now: Tally::default(),
            before: Tally::default(),
        };
        for (_, t) in &now_groups {
            add(&mut total.now, t);
        }
        for (_, t) in &before_groups {
            add(&mut total.before, t);
        }
        if q.group_by == GroupBy::Client {
            // Per seat, each client's tally sums to the whole; provider time is not a client's.
            total = self.total_without_groups(q, &table, [period, previous], now)?;
        }
        let groups = match q.group_by {
            GroupBy::None => Vec::new(),
            _ => now_groups
                .iter()
                .enumerate()
                .map(|(i, (k, t))| Group {
                    key: k.clone(),
                    label: self.label(q.group_by, k),
                    now: t.clone(),
                    before: if time_grouped {
                        before_groups
                            .get(i)
                            .map(|x| x.1.clone())
                            .unwrap_or_default()
                    } else {
                        before
                            .get(k.as_str())
                            .map(|t| (*t).clone())
                            .unwrap_or_default()
                    },
                })
                .collect(),
        };
        Ok(Metrics {
            period,
            previous,
            zone,
            week_start: q.week_start,
            group_by: q.group_by,
            currency: self.billing.currency.clone(),
            total,
            groups,
            by_hour,
        })
    }

    fn total_without_groups(
        &self,
        q: &MetricsQuery,
        table: &Table,
        periods: [Interval; 2],
        now: Instant,
    ) -> Result<Group> {
        let all = MetricsQuery {
            group_by: GroupBy::None,
            ..q.clone()
        };
        let ([a, b], _) = self.tally_periods(&all, table, periods, now)?;
        Ok(Group {
            key: "all".into(),
            label: "All".into(),
            now: a.into_iter().next().map(|x| x.1).unwrap_or_default(),
            before: b.into_iter().next().map(|x| x.1).unwrap_or_default(),
        })
    }

    fn label(&self, by: GroupBy, key: &str) -> String {
        match by {
            GroupBy::Provider => self.provider_any(key).map(|p| p.name.clone()),
            GroupBy::Service => self.service_any(key).map(|s| s.name.clone()),
            GroupBy::Client => self
                .client(key)
                .or_else(|| self.archive.client(key))
                .map(|c| c.name.clone()),
            _ => None,
        }
        .unwrap_or_else(|| key.to_string())
    }

    /// The first booking of a chain of return visits (at most 100 back).
    fn root<'s>(&'s self, b: &'s Booking) -> &'s Booking {
        let mut r = b;
        for _ in 0..100 {
            match r.return_of().and_then(|o| self.bookings.get(o)) {
                Some(o) => r = o,
                None => break,
            }
        }
        r
    }

    /// The tallies of both periods (`periods[0]`, then the one before it) in one pass over the
    /// bookings, newest first: a return visit is stored after the visit it follows (that one was
    /// completed when it was booked), so the pass has seen every return of a visit by the time it
    /// reaches it. A visit's provider time (on site, on the road) is added as it is counted,
    /// while its booking is at hand; each provider's capacity after. `byHour` is the first
    /// period's.
    #[allow(clippy::type_complexity)]
    fn tally_periods(
        &self,
        q: &MetricsQuery,
        table: &Table,
        periods: [Interval; 2],
        now: Instant,
    ) -> Result<([Vec<(String, Tally)>; 2], [(i64, i64); 24])> {
        let mut cuts = periods.map(|p| Cut::new(q.group_by, table, p, q.week_start));
        let mut by_hour = [(0i64, 0i64); 24];
        let mut clock = table.cursor();
        let mut found = Recent::default();
        // By booking position: the earliest start of a live `return` visit of it (allocated
        // once some booking has one).
        let mut returns: Vec<Instant> = Vec::new();
        // Provider time (capacity, on site, travelling) is no service's or client's.
        let with_time = !matches!(q.group_by, GroupBy::Service | GroupBy::Client);
        let mut staff = if with_time {
            self.staff(q, periods)?
        } else {
            Vec::new()
        };
        let mut staff_at: Recent<usize> = Recent::default();
        let list = &self.bookings.list;
        for (at, b) in (0..list.len() as u32).rev().zip(list.iter().rev()) {
            if b.rare.is_some() {
                if let (Some(o), Some(RETURN_RULE)) = (b.return_of(), b.follow_up_rule()) {
                    let live = b.status.blocks_time() || b.status == Status::Completed;
                    if let (true, Some(o)) =
                        (live && b.status != Status::Held, self.bookings.position(o))
                    {
                        if returns.is_empty() {
                            returns = vec![Instant::MAX; self.bookings.list.len()];
                        }
                        if let Some(e) = returns.get_mut(o as usize) {
                            *e = (*e).min(b.start);
                        }
                    }
                }
            }
            let k = match periods {
                _ if b.status == Status::Held => continue,
                [p, _] if p.start <= b.start && b.start < p.end => 0,
                [_, p] if p.start <= b.start && b.start < p.end => 1,
                _ => continue,
            };
            if !q.has_provider(&b.provider_id) || !q.has_service(&b.service_id) {
                continue;
            }
            let service = found.find(&b.service_id, |id| self.service_any(id));
            let seats = i64::from(b.seats_taken());
            if k == 0
                && matches!(
                    b.status,
                    Status::Completed | Status::NoShow | Status::ProviderNoShow
                )
            {
                let h = (clock.wall(b.start).time_of_day() / 3600).clamp(0, 23) as usize;
                if let Some(x) = by_hour.get_mut(h) {
                    x.0 += seats;
                    if b.status == Status::NoShow {
                        x.1 += seats;
                    }
                }
            }
            let seen = Seen {
                c: self,
                service,
                returned: returns.get(at as usize).copied().unwrap_or(Instant::MAX),
                now,
            };
            let Some(cut) = cuts.get_mut(k) else { continue };
            let period = cut.period;
            if q.group_by == GroupBy::Client {
                for (i, client) in b.client_ids.iter().enumerate() {
                    if let Some(t) = cut.tally(b, Some(client)) {
                        seen.count(t, b, 1, i == 0);
                    }
                }
            } else if let Some(t) = cut.tally(b, None) {
                seen.count(t, b, seats, true);
                if with_time && takes_provider_time(b) {
                    let i = staff_at.find(&b.provider_id, |id| {
                        staff.iter().position(|s| s.provider.data.id == id)
                    });
                    if let Some(s) = i.and_then(|i| staff.get_mut(i)) {
                        let (site, road) = self.visit_time(s, k, (b, at), q, period, &mut clock);
                        t.on_site += site;
                        t.travel += road;
                    }
                }
            }
        }
        for s in &staff {
            for (cut, working) in cuts.iter_mut().zip(&s.working) {
                cut.add_capacity(&s.provider.data.id, working);
            }
        }
        self.billed_time(&mut cuts, q, table);
        Ok((cuts.map(|c| c.tallies), by_hour))
    }

    /// Each provider's working time in both periods (after time off, in their own calendar).
    fn staff(&self, q: &MetricsQuery, periods: [Interval; 2]) -> Result<Vec<Staff<'_>>> {
        let mut out = Vec::new();
        for p in self.providers.values() {
            if !q.has_provider(&p.data.id) {
                continue;
            }
            let working = |period: Interval| -> Result<IntervalSet> {
                let table = self
                    .zones
                    .table(&p.data.time_zone, period.start, period.end)?;
                Ok(p.cal.working(&table, period))
            };
            out.push(Staff {
                provider: p,
                working: [working(periods[0])?, working(periods[1])?],
                at: [(0, 0); 2],
            });
        }
        Ok(out)
    }

    /// A visit's time on site and travelling to it, within its provider's working time in period
    /// `k`: the actual times where recorded (on site from check-in to completion, on the road
    /// from departure), else the booked time and the drive from the place before (the
    /// provider's last visit with a place before it that day, else home), as the travel rule
    /// and the dispatch solver see a day.
    fn visit_time(
        &self,
        s: &mut Staff,
        k: usize,
        (b, at): (&Booking, u32),
        q: &MetricsQuery,
        period: Interval,
        clock: &mut Cursor,
    ) -> (i64, i64) {
        let v = b.visit();
        let on_site = match v.and_then(|v| Some((v.actual_start?, v.actual_end?))) {
            Some((a, e)) => Interval::new(a, e),
            None => Interval::new(b.start, b.end),
        };
        let travel = match v.and_then(|v| Some((v.departed_at?, v.actual_start?))) {
            Some((d, a)) => Some(Interval::new(d, a)),
            None => b.location().and_then(|here| {
                let home = s.provider.data.home.as_ref();
                let from = self.place_before((b, at), q, period, clock).or(home)?;
                let drive = self.travel.seconds(from, here);
                Some(Interval::new(on_site.start - drive, on_site.start))
            }),
        };
        let (Some(working), Some((site, road))) = (s.working.get(k), s.at.get_mut(k)) else {
            return (0, 0);
        };
        (
            working.covered_from(on_site, site),
            travel.map_or(0, |t| working.covered_from(t, road)),
        )
    }

    /// Where the provider of visit `b` was before it: the place of their last visit with a place
    /// before it on its local day, or `None` when it is the day's first. A visit without a place
    /// (a call, work in the shop) is spent where the provider is, as the travel rule has it.
    fn place_before(
        &self,
        (b, at): (&Booking, u32),
        q: &MetricsQuery,
        period: Interval,
        clock: &mut Cursor,
    ) -> Option<&Location> {
        let day = clock.local_day(b.start);
        for (blocked, e) in self.provider_bookings_before(b, at) {
            // A buffer is under a day: nothing further back starts on the visit's day.
            if blocked < b.start - 3 * DAY {
                break;
            }
            let counted = takes_provider_time(e)
                && period.start <= e.start
                && e.start < period.end
                && q.has_service(&e.service_id);
            match e.location() {
                Some(place) if counted => {
                    return (clock.local_day(e.start) == day).then_some(place);
                }
                _ => {}
            }
        }
        None
    }

    /// Billable time (rounded by the company's rule) and its amount, by entry start: both
    /// periods' entries grouped in one pass.
    fn billed_time(&self, cuts: &mut [Cut; 2], q: &MetricsQuery, table: &Table) {
        let periods = [cuts[0].period, cuts[1].period];
        let period_of = |t: Instant| periods.iter().position(|p| p.start <= t && t < p.end);
        let r = &self.billing.rounding;
        let t = &self.time_entries;
        let mut clock = table.cursor();
        let (sums, _) = group(
            t,
            self.bookings.list.len(),
            r.per,
            |x| clock.local_day(x),
            |e| e.billable && period_of(e.start).is_some() && q.has_provider(&e.provider_id),
        );
        for s in sums {
            let (Some(e), Some(&at)) = (
                t.list.get(s.first as usize),
                t.booking_at.get(s.first as usize),
            ) else {
                continue;
            };
            let Some(cut) = period_of(e.start).and_then(|k| cuts.get_mut(k)) else {
                continue;
            };
            let booking = (at != u32::MAX).then(|| self.bookings.at(at));
            if q.service_ids.is_some() && !booking.is_some_and(|b| q.has_service(&b.service_id)) {
                continue;
            }
            let tally = match (cut.by, booking) {
                (GroupBy::Service, Some(b)) => cut.tally(b, None),
                (GroupBy::Client, Some(b)) => match b.client_ids.first() {
                    Some(c) => cut.tally(b, Some(c)),
                    None => None,
                },
                (GroupBy::Service | GroupBy::Client, None) => None,
                (GroupBy::Provider, _) => cut.by_id(&e.provider_id),
                _ => cut.tally_of(&e.provider_id, e.start),
            };
            if let Some(x) = tally {
                let rounded = r.apply(s.raw);
                x.billable_raw += s.raw;
                x.billable_rounded += rounded;
                x.revenue_minor += amount_minor(rounded, e.rate_minor);
            }
        }
    }
}

/// Whether a booking's time is its provider's time on site (and on the road to it): a visit
/// under way or done.
fn takes_provider_time(b: &Booking) -> bool {
    matches!(b.status, Status::Completed | Status::CheckedIn)
}

/// A provider's working time in each period, and where the pass over their visits stands in it
/// (cursors for time on site and on the road).
struct Staff<'a> {
    provider: &'a crate::state::ProviderEntry,
    working: [IntervalSet; 2],
    at: [(usize, usize); 2],
}

/// What counting a visit needs besides the booking: its service (price, recall window, response
/// target), the earliest live return visit booked for it, and now.
struct Seen<'a> {
    c: &'a Coordinator,
    service: Option<&'a Service>,
    returned: Instant,
    now: Instant,
}

impl Seen<'_> {
    /// Adds the visit of `b` to `t`, `seats` times (a group session's seats; 1 for one client's
    /// seat); `whole` for the booking's first share, which carries its parts and its answers.
    fn count(&self, t: &mut Tally, b: &Booking, seats: i64, whole: bool) {
        t.scheduled += seats;
        t.lead_seconds += (b.start - b.created_at) * seats;
        t.lead_n += seats;
        match b.status {
            Status::Completed => t.completed += seats,
            Status::NoShow => t.no_show += seats,
            Status::ProviderNoShow => t.provider_no_show += seats,
            Status::Cancelled | Status::LateCancelled => {
                if b.status == Status::Cancelled {
                    t.cancelled += seats;
                } else {
                    t.late_cancelled += seats;
                }
                let by = match b.cancelled_by() {
                    Some(Party::Client) => 0,
                    Some(Party::Provider) => 1,
                    Some(Party::Staff) => 2,
                    None => 3,
                };
                if let Some(x) = t.cancelled_by.get_mut(by) {
                    *x += seats;
                }
            }
            _ if b.unresolved(self.now) => t.unresolved += seats,
            _ => {}
        }
        let v = b.visit();
        let started = v.and_then(|v| v.actual_start);
        if let Some(a) = started {
            t.arrivals += seats;
            t.on_time += seats * i64::from(a <= b.start + ON_TIME_MINUTES * MINUTE);
        }
        if b.status == Status::Completed {
            self.count_completed(t, b, v, seats, whole);
        }
        if b.priority > 0 && matches!(b.status, Status::Completed | Status::ProviderNoShow) {
            let started = started.or((b.status == Status::Completed).then_some(b.start));
            let response = started.map(|s| s - b.created_at);
            if let Some(m) = self.service.and_then(|s| s.response_minutes) {
                t.urgent += seats;
                t.urgent_in_sla +=
                    seats * i64::from(response.is_some_and(|r| r <= i64::from(m) * MINUTE));
            }
            if let Some(r) = response {
                t.response_seconds += r * seats;
                t.response_n += seats;
            }
        }
        // An answer is one client's, whatever the seats.
        if let (true, Some(s)) = (whole, v.and_then(|v| v.satisfaction.as_ref())) {
            if let Some(c) = s.csat {
                t.csat_n += 1;
                t.csat_sum += i64::from(c);
                t.csat_satisfied += i64::from(c >= 4);
            }
            if let Some(n) = s.nps {
                t.nps_n += 1;
                t.promoters += i64::from(n >= 9);
                t.detractors += i64::from(n <= 6);
            }
        }
    }

    /// What only a completed visit tells: adherence, duration, first-time fix and recall, time to
    /// resolve, revenue.
    fn count_completed(
        &self,
        t: &mut Tally,
        b: &Booking,
        v: Option<&Visit>,
        seats: i64,
        whole: bool,
    ) {
        let both = v.and_then(|v| Some((v.actual_start?, v.actual_end?)));
        if let Some((a, e)) = both {
            t.adherence_n += seats;
            t.adherent += seats
                * i64::from(
                    (a - b.start).abs() <= ADHERENCE_MINUTES * MINUTE
                        && (e - b.end).abs() <= ADHERENCE_MINUTES * MINUTE,
                );
            t.duration_variance_seconds += ((e - a) - (b.end - b.start)) * seats;
            t.duration_n += seats;
        }
        let ended = both.map_or(b.end, |(_, e)| e);
        let outcome = v.and_then(|v| v.outcome);
        if outcome.is_some() && b.return_of().is_none() {
            let recall_days = self.service.map_or(30, |s| s.recall_days);
            let recalled = self.returned <= ended + i64::from(recall_days) * DAY;
            t.first_visits += seats;
            t.first_fixed += seats * i64::from(outcome == Some(Outcome::Resolved) && !recalled);
            t.recalled += seats * i64::from(recalled);
        }
        if outcome == Some(Outcome::Resolved) {
            t.resolve_seconds += (ended - self.c.root(b).created_at) * seats;
            t.resolve_n += seats;
        }
        t.revenue_minor += self.service.and_then(|s| s.price_minor).unwrap_or(0) * seats;
        if whole {
            t.revenue_minor += v.map_or(0, Visit::parts_minor);
        }
    }
}

fn add(a: &mut Tally, b: &Tally) {
    macro_rules! sum {
        ($($f:ident),*) => { $( a.$f += b.$f; )* };
    }
    sum!(
        scheduled,
        completed,
        unresolved,
        no_show,
        provider_no_show,
        cancelled,
        late_cancelled,
        lead_seconds,
        lead_n,
        arrivals,
        on_time,
        adherence_n,
        adherent,
        duration_variance_seconds,
        duration_n,
        on_site,
        travel,
        capacity,
        first_visits,
        first_fixed,
        recalled,
        resolve_seconds,
        resolve_n,
        urgent,
        urgent_in_sla,
        response_seconds,
        response_n,
        csat_n,
        csat_satisfied,
        csat_sum,
        nps_n,
        promoters,
        detractors,
        billable_raw,
        billable_rounded,
        revenue_minor
    );
    for (x, y) in a.cancelled_by.iter_mut().zip(b.cancelled_by) {
        *x += y;
    }
}

/// The period before `p`, as long: whole months back when `p` is whole months, whole local days
/// when `p` is whole days, else the same seconds.
fn previous_period(table: &Table, p: Interval) -> Interval {
    let (a, b) = (table.wall(p.start), table.wall(p.end));
    let midnights = a.time_of_day() == 0 && b.time_of_day() == 0;
    let (da, db) = (a.day(), b.day());
    if midnights && da.civil().day() == 1 && db.civil().day() == 1 {
        let months = (db.civil().year() - da.civil().year()) * 12 + db.civil().month() as i32
            - da.civil().month() as i32;
        if let Some(start) = da
            .civil()
            .checked_sub_months(Months::new(months.max(0) as u32))
        {
            return Interval::new(table.resolve(Day::of(start).start()), p.start);
        }
    }
    if midnights {
        let days = db - da;
        return Interval::new(table.resolve((da - days).start()), p.start);
    }
    Interval::new(p.start - (p.end - p.start), p.start)
}

/// The figures of a tally, as the README's table defines them.
pub fn figures(t: &Tally) -> Vec<(&'static str, Figure)> {
    use Figure::*;
    let mean_minutes = |sum: i64, n: i64| {
        Minutes(
            if n == 0 {
                None
            } else {
                Some(sum as f64 / n as f64 / 60.0)
            },
            n,
        )
    };
    let provider_time = t.on_site + t.travel;
    vec![
        ("scheduled", Count(t.scheduled)),
        ("completed", Count(t.completed)),
        ("unresolved", Count(t.unresolved)),
        (
            "noShowRate",
            Rate(t.no_show, t.completed + t.no_show + t.provider_no_show),
        ),
        (
            "providerNoShowRate",
            Rate(
                t.provider_no_show,
                t.completed + t.no_show + t.provider_no_show,
            ),
        ),
        (
            "cancelRate",
            Rate(t.cancelled + t.late_cancelled, t.scheduled),
        ),
        ("lateCancelRate", Rate(t.late_cancelled, t.scheduled)),
        ("cancelledByClient", Rate(t.cancelled_by[0], t.scheduled)),
        ("cancelledByProvider", Rate(t.cancelled_by[1], t.scheduled)),
        ("cancelledByStaff", Rate(t.cancelled_by[2], t.scheduled)),
        (
            "cancelledByUnrecorded",
            Rate(t.cancelled_by[3], t.scheduled),
        ),
        ("leadTimeMinutes", mean_minutes(t.lead_seconds, t.lead_n)),
        ("onTimeArrival", Rate(t.on_time, t.arrivals)),
        ("scheduleAdherence", Rate(t.adherent, t.adherence_n)),
        (
            "durationVarianceMinutes",
            mean_minutes(t.duration_variance_seconds, t.duration_n),
        ),
        ("utilisation", Rate(provider_time, t.capacity)),
        ("onSiteShare", Rate(t.on_site, t.capacity)),
        ("travelShare", Rate(t.travel, t.capacity)),
        ("onSiteHours", Hours(t.on_site)),
        ("travelHours", Hours(t.travel)),
        ("capacityHours", Hours(t.capacity)),
        ("firstTimeFixRate", Rate(t.first_fixed, t.first_visits)),
        ("recallRate", Rate(t.recalled, t.first_visits)),
        (
            "timeToResolveMinutes",
            mean_minutes(t.resolve_seconds, t.resolve_n),
        ),
        ("slaCompliance", Rate(t.urgent_in_sla, t.urgent)),
        (
            "responseMinutes",
            mean_minutes(t.response_seconds, t.response_n),
        ),
        ("csat", Rate(t.csat_satisfied, t.csat_n)),
        ("csatMean", Mean(t.csat_sum, t.csat_n)),
        ("nps", Nps(t.promoters, t.detractors, t.nps_n)),
        ("billableHours", Hours(t.billable_rounded)),
        ("billableHoursRaw", Hours(t.billable_raw)),
        ("revenueMinor", Money(t.revenue_minor)),
    ]
}

/// One figure: what it is and how it is written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Figure {
    Count(i64),
    /// Numerator and denominator.
    Rate(i64, i64),
    /// Mean minutes (none without any), over n.
    Minutes(Option<f64>, i64),
    /// Seconds, shown in hours.
    Hours(i64),
    /// Sum over n.
    Mean(i64, i64),
    /// Promoters, detractors, answers: -100..100.
    Nps(i64, i64, i64),
    Money(i64),
}

impl Figure {
    /// The number, or none (n/a).
    pub fn value(self) -> Option<f64> {
        match self {
            Figure::Count(n) | Figure::Money(n) => Some(n as f64),
            Figure::Rate(_, 0) | Figure::Mean(_, 0) | Figure::Nps(_, _, 0) => None,
            Figure::Rate(a, b) | Figure::Mean(a, b) => Some(a as f64 / b as f64),
            Figure::Minutes(m, _) => m,
            Figure::Hours(s) => Some(s as f64 / 3600.0),
            Figure::Nps(p, d, n) => Some((p - d) as f64 * 100.0 / n as f64),
        }
    }
}

impl ToJson for Group {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("key", &self.key);
        w.field("label", &self.label);
        w.key("figures");
        w.begin_obj();
        for ((name, now), (_, before)) in figures(&self.now).into_iter().zip(figures(&self.before))
        {
            w.key(name);
            w.begin_obj();
            let opt = |w: &mut Writer, k: &str, v: Option<f64>| {
                w.key(k);
                match v {
                    Some(x) => x.write(w),
                    None => w.raw("null"),
                }
            };
            opt(w, "value", now.value());
            opt(w, "previous", before.value());
            opt(
                w,
                "change",
                now.value().zip(before.value()).map(|(a, b)| a - b),
            );
            match now {
                Figure::Rate(n, d) | Figure::Mean(n, d) => {
                    w.field("numerator", &n);
                    w.field("denominator", &d);
                }
                Figure::Minutes(_, n) | Figure::Nps(_, _, n) => w.field("n", &n),
                _ => {}
            }
            w.end_obj();
        }
        w.end_obj();
        w.end_obj();
    }
}

impl ToJson for Metrics {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.time("from", self.period.start);
        w.time("to", self.period.end);
        w.key("previous");
        w.begin_obj();
        w.time("from", self.previous.start);
        w.time("to", self.previous.end);
        w.end_obj();
        w.field("timeZone", &self.zone);
        w.field("weekStart", &self.week_start);
        w.field("groupBy", &self.group_by);
        w.field("currency", &self.currency);
        w.field("total", &self.total);
        w.field("groups", &self.groups);
        w.key("byHour");
        w.begin_arr();
        for (h, (due, no_show)) in self.by_hour.iter().enumerate() {
            w.begin_obj();
            w.field("hour", &(h as i64));
            w.field("visits", due);
            w.field("noShows", no_show);
            w.end_obj();
        }
        w.end_arr();
        w.end_obj();
    }
}
