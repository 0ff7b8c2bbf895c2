//! Alternatives: when a request cannot be booked, the best feasible ways out, ranked.
//!
//! Candidates are the engine's own availability within `searchDays` of the requested time, for
//! every qualified provider, so each option is bookable as it stands (a property test books
//! them). The score, lower is better, in minutes:
//! - the distance from the requested start;
//! - +60 when the provider is not the one asked for (or not among the client's preferred ones);
//! - +120 when the start falls outside the client's preferred time-of-day window;
//! - +15 for each booking the provider already has that day (spreads the load).
//!
//! At most half the options (rounded up) go to one provider while others can fill the rest, so
//! the list offers a choice of people as well as times. Ties go to the earlier start, then the provider id: the same state
//! always gives the same list.

use crate::base::error::{Code, Error, Result};
use crate::json::{Fields, FromJson, JResult, Json, ToJson, Writer};
use crate::model::{BookingRequest, HoursRange};
use crate::rules::availability::Availability;
use crate::state::Coordinator;
use crate::time::{Instant, Interval, DAY, MINUTE};

/// What the client asked for, and what they would accept instead.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AlternativesQuery {
    pub request: BookingRequest,
    /// How many options (1 to 50, default 5).
    pub limit: u32,
    /// Providers the client would like (besides `request.providerId`).
    pub preferred_provider_ids: Vec<String>,
    /// The time of day the client would like, in the request's zone.
    pub window: Option<HoursRange>,
    /// How far either side of the requested time to look (1 to 60 days, default 14).
    pub search_days: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Alternative {
    pub start: Instant,
    pub end: Instant,
    pub provider_id: String,
    /// What differs from the request: `time`, `provider`.
    pub differs: Vec<&'static str>,
    pub minutes_away: i64,
    pub score: i64,
}

impl FromJson for AlternativesQuery {
    fn from_json(v: &Json) -> JResult<Self> {
        let mut f = Fields::of(v)?;
        let r = AlternativesQuery {
            request: f.req("request"),
            limit: f.or("limit", 5),
            preferred_provider_ids: f.list("preferredProviderIds"),
            window: f.opt("window"),
            search_days: f.or("searchDays", 14),
        };
        f.end().map(|_| r)
    }
}

impl ToJson for Alternative {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.time("start", self.start);
        w.time("end", self.end);
        w.field("providerId", &self.provider_id);
        w.key("differs");
        w.begin_arr();
        for d in &self.differs {
            w.str(d);
        }
        w.end_arr();
        w.key("minutesAway");
        w.int(self.minutes_away);
        w.key("score");
        w.int(self.score);
        w.end_obj();
    }
}

const OTHER_PROVIDER: i64 = 60;
const OUTSIDE_WINDOW: i64 = 120;
const PER_BOOKING_THAT_DAY: i64 = 15;

impl Coordinator {
    /// Ranked feasible options near a request (see the module doc for the score).
    #[allow(clippy::indexing_slicing)] // provider indexes come from this availability's own provider list; `load` is sized providers x days and `day` is clamped below `days`
    pub fn alternatives(&self, q: &AlternativesQuery, now: Instant) -> Result<Vec<Alternative>> {
        if !(1..=50).contains(&q.limit) || !(1..=60).contains(&q.search_days) {
            return Err(Error::input("limit must be 1 to 50 and searchDays 1 to 60"));
        }
        let req = &q.request;
        let zone = req.time_zone.as_deref().unwrap_or(&self.time_zone);
        self.zones.validate(zone)?;
        let wanted = self.zones.instant(zone, req.start)?;
        for id in req.provider_id.iter().chain(&q.preferred_provider_ids) {
            if !self.providers.contains_key(id) {
                return Err(Error::unknown("provider", id));
            }
        }
        let window = match &q.window {
            Some(w) => {
                let (a, b) = (w.start.minutes(), w.end.minutes());
                if b <= a {
                    return Err(Error::new(
                        Code::EndBeforeStart,
                        "the preferred window ends before it starts",
                    ));
                }
                Some((i64::from(a) * MINUTE, i64::from(b) * MINUTE))
            }
            None => None,
        };
        let reach = i64::from(q.search_days) * DAY;
        let Availability {
            provider_ids,
            slots,
            ..
        } = {
            // The slots around the wanted time, asked of the slot search with the instants
            // themselves (search_days is at most 60, well inside a query's 366 days).
            let service = self
                .services
                .get(&req.service_id)
                .ok_or_else(|| Error::unknown("service", &req.service_id))?;
            let everyone: Vec<&str> = self.providers.keys().collect();
            let range = Interval::new(wanted - reach, wanted + reach);
            let place = self.visit_place(service, req.location.as_ref(), &req.client_ids)?;
            self.slots(service, range, &everyone, false, place.as_ref(), None, now)?
        };
        let table = self.zones.table(zone, wanted - reach, wanted + reach)?;
        let asked = |id: &str| {
            req.provider_id.as_deref() == Some(id)
                || q.preferred_provider_ids.iter().any(|p| p == id)
        };
        let anyone = req.provider_id.is_none() && q.preferred_provider_ids.is_empty();
        // Bookings per provider and local day, counted once each (-1: not yet counted).
        let first_day = table.local_day(wanted - reach) - 1;
        let days = (2 * reach / DAY + 4) as usize;
        let mut load = vec![-1i64; provider_ids.len() * days];
        // Each candidate as one sortable i64: score, then start (seconds from `base`, under 121
        // days), then provider index (providers are in id order): 20 + 24 + 16 bits.
        if provider_ids.len() > 0xffff {
            return Err(Error::input(
                "alternatives can rank at most 65535 providers; name some",
            ));
        }
        let base = wanted - reach - DAY;
        let mut keys: Vec<i64> = Vec::new();
        for slot in &slots {
            let m = table.wall(slot.start).time_of_day();
            let in_window = window.is_none_or(|(a, b)| a <= m && m < b);
            let day = ((table.local_day(slot.start) - first_day).max(0) as usize).min(days - 1);
            for &p in &slot.providers {
                let id = &provider_ids[p as usize];
                let cell = &mut load[p as usize * days + day];
                if *cell < 0 {
                    *cell = self
                        .providers
                        .get(id)
                        .and_then(|e| {
                            self.zones
                                .table(&e.cal.zone, slot.start, slot.end)
                                .ok()
                                .map(|t| (e, t))
                        })
                        .map_or(0, |(e, t)| {
                            self.sessions_on_day(&e.data.id, &t, slot.start, None, now) as i64
                        });
                }
                let score = (slot.start - wanted).abs() / MINUTE
                    + if anyone || asked(id) {
                        0
                    } else {
                        OTHER_PROVIDER
                    }
                    + if in_window { 0 } else { OUTSIDE_WINDOW }
                    + *cell * PER_BOOKING_THAT_DAY;
                keys.push(
                    (score.min((1 << 20) - 1) << 40) | ((slot.start - base) << 16) | i64::from(p),
                );
            }
        }
        crate::base::sort::sort(&mut keys);
        let dur = slots.first().map_or(0, |s| s.end - s.start);
        let option = |key: i64| -> Alternative {
            let start = base + ((key >> 16) & ((1 << 24) - 1));
            let id = provider_ids[(key & 0xffff) as usize].clone();
            let mut differs = Vec::new();
            if start != wanted {
                differs.push("time");
            }
            if req.provider_id.as_deref().is_some_and(|r| r != id) {
                differs.push("provider");
            }
            Alternative {
                start,
                end: start + dur,
                provider_id: id,
                differs,
                minutes_away: (start - wanted).abs() / MINUTE,
                score: key >> 40,
            }
        };
        // Half the places at most per provider; places no one else can fill go back to the best.
        let (limit, per_provider) = (q.limit as usize, q.limit.div_ceil(2) as usize);
        let mut taken = vec![0usize; provider_ids.len()];
        let (mut first, mut rest): (Vec<i64>, Vec<i64>) = (Vec::new(), Vec::new());
        for key in keys {
            if first.len() == limit {
                break;
            }
            let p = (key & 0xffff) as usize;
            if taken[p] < per_provider {
                taken[p] += 1;
                first.push(key);
            } else if rest.len() < limit {
                rest.push(key);
            }
        }
        let missing = limit - first.len();
        first.extend(rest.into_iter().take(missing));
        crate::base::sort::sort(&mut first);
        let out: Vec<Alternative> = first.into_iter().map(option).collect();
        Ok(out)
    }
}
