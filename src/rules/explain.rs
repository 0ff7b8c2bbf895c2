//! Explain: why a time cannot be booked, in the same codes the booking rules use.
//!
//! `explain` asks the rules themselves (`evaluate`) for one time. Over a range, asking them once
//! per grid step would be slow (a week of 15-minute steps is 672 evaluations per provider), so
//! `reasons` builds each rule's blocked time once as an interval set and tests each step against
//! the sets. A property test holds the two together: for every step, the codes here are the
//! codes `evaluate` gives.

use crate::base::error::{Code, Error, Result, Violation};
use crate::json::{ToJson, Writer};
use crate::model::{BookingRequest, Service};
use crate::rules::booking::{CheckResult, Proposal};
use crate::state::Coordinator;
use crate::time::intervals::IntervalSet;
use crate::time::{Instant, Interval, DAY, MINUTE};

/// Why each provider can or cannot take a request at its time.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub ok: bool,
    pub providers: Vec<ProviderVerdict>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProviderVerdict {
    pub provider_id: String,
    pub violations: Vec<Violation>,
}

/// One grid step that some providers cannot take, with each one's reasons.
#[derive(Clone, Debug, PartialEq)]
pub struct Unavailable {
    pub start: Instant,
    pub end: Instant,
    pub providers: Vec<(String, Vec<Code>)>,
}

impl ToJson for ProviderVerdict {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("providerId", &self.provider_id);
        w.field("ok", &self.violations.is_empty());
        w.field("violations", &self.violations);
        w.end_obj();
    }
}

impl ToJson for Explanation {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("ok", &self.ok);
        w.field("providers", &self.providers);
        w.end_obj();
    }
}

impl ToJson for Unavailable {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.time("start", self.start);
        w.time("end", self.end);
        w.key("providers");
        w.begin_arr();
        for (id, codes) in &self.providers {
            w.begin_obj();
            w.field("providerId", id);
            w.field("codes", codes);
            w.end_obj();
        }
        w.end_arr();
        w.end_obj();
    }
}

impl Coordinator {
    /// Every provider's verdict on a request (or the named provider's), reasons included.
    pub fn explain(&self, req: &BookingRequest, now: Instant) -> Result<Explanation> {
        let CheckResult { start, end, .. } = self.check(
            &BookingRequest {
                provider_id: None,
                ..req.clone()
            },
            now,
        )?;
        let service = self
            .services
            .get(&req.service_id)
            .ok_or_else(|| Error::unknown("service", &req.service_id))?;
        let ids: Vec<&str> = match &req.provider_id {
            Some(id) => vec![id.as_str()],
            None => self.providers.keys().collect(),
        };
        let seats = req.client_ids.len().max(1) as u32;
        let providers: Vec<ProviderVerdict> = ids
            .into_iter()
            .map(|provider| {
                let p = Proposal {
                    service,
                    provider,
                    start,
                    end,
                    seats,
                    resources: req.resources.as_deref(),
                    prefer: &[],
                    exclude: None,
                };
                ProviderVerdict {
                    provider_id: provider.to_string(),
                    violations: self.evaluate(&p, now).0,
                }
            })
            .collect();
        Ok(Explanation {
            ok: providers.iter().any(|p| p.violations.is_empty()),
            providers,
        })
    }

    /// For each step of `provider`'s slot grid in `[lo, hi)` that it cannot take, the codes why.
    pub(crate) fn reasons(
        &self,
        provider: &str,
        s: &Service,
        lo: Instant,
        hi: Instant,
        now: Instant,
    ) -> Result<Vec<(Instant, Vec<Code>)>> {
        let Some(entry) = self.providers.get(provider) else {
            return Err(Error::unknown("provider", provider));
        };
        let who = &entry.data;
        let (dur, step) = (s.duration(), s.step());
        let (nb, na) = s.buffers();
        let table = self
            .zones
            .table(&entry.cal.zone, lo - DAY, hi + dur + DAY)?;
        let span = Interval::new(lo, hi + dur);
        let hours = entry.cal.hours(&table, span);
        let time_off = entry.cal.time_off_in(&table, span);
        let skills = s.required_skills.iter().all(|k| who.skills.contains(k));
        let earliest = now + i64::from(s.min_notice_minutes) * MINUTE;
        let latest = s.horizon_days.map(|d| now + i64::from(d) * DAY);
        let window = Interval::new(lo - nb - na, hi + dur + na + nb);
        let mut busy = Vec::new();
        let mut sessions: Vec<(Instant, Instant, u32)> = Vec::new();
        for b in self.provider_bookings(provider, window, now) {
            let blocked = b.blocked();
            if s.seats > 1 && b.service_id == s.id {
                match sessions.iter_mut().find(|x| x.0 == b.start && x.1 == b.end) {
                    Some(x) => x.2 += b.seats_taken(),
                    None => sessions.push((b.start, b.end, b.seats_taken())),
                }
            }
            busy.push(Interval::new(blocked.start - na, blocked.end + nb));
        }
        let busy = IntervalSet::from_unsorted(busy);
        let mut full_days = Vec::new();
        if let Some(cap) = who.daily_cap {
            for day in table.local_day(lo)..=table.local_day(hi) {
                let day_start = table.resolve(day * DAY);
                if self.sessions_on_day(provider, &table, day_start, None, now) >= cap as usize {
                    full_days.push(Interval::new(day_start, table.resolve((day + 1) * DAY)));
                }
            }
        }
        let full_days = IntervalSet::from_unsorted(full_days);
        let mut out = Vec::new();
        crate::rules::availability::grid(&table, span, step, dur, hi, |t| {
            let slot = Interval::new(t, t + dur);
            let mut codes = Vec::new();
            if !skills {
                codes.push(Code::SkillMissing);
            }
            if t < earliest {
                codes.push(Code::MinNotice);
            }
            if latest.is_some_and(|l| t > l) {
                codes.push(Code::BeyondHorizon);
            }
            if !hours.covers(&slot) {
                codes.push(Code::OutsideWorkingHours);
            }
            if time_off.overlaps(&slot) {
                codes.push(Code::TimeOff);
            }
            // A group session at exactly this time is joined, not clashed with.
            let session = sessions.iter().find(|x| x.0 == t && x.1 == t + dur);
            let blocked = Interval::new(t - nb, t + dur + na);
            let others = match session {
                None => busy.overlaps(&slot),
                Some(_) => self
                    .provider_bookings(provider, blocked, now)
                    .any(|b| !(b.service_id == s.id && b.start == t && b.end == t + dur)),
            };
            if others {
                codes.push(Code::Overlap);
            }
            if session.is_some_and(|x| x.2 >= s.seats) {
                codes.push(Code::SeatsFull);
            }
            if session.is_none() && full_days.contains_instant(t) {
                codes.push(Code::DailyCap);
            }
            if session.is_none()
                && !s.required_resources.is_empty()
                && !self.resources_free(s, blocked, now)
            {
                codes.push(Code::ResourceUnavailable);
            }
            if !codes.is_empty() {
                out.push((t, codes));
            }
        });
        Ok(out)
    }
}
