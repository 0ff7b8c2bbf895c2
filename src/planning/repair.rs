//! Disruption repair: a technician off sick, a van in the shop, a chair broken. The plan moves
//! each booking that broke, previewed before anything changes; applying it is all or nothing.
//!
//! The plan is worked out on the state with the disruption applied, then put back (a trial:
//! `Coordinator::on_trial`). Broken bookings
//! are placed highest priority first (then earliest, then by id), each:
//! 0. where it is, with other resources (another van), if that is all that broke; else
//! 1. at the same time with another qualified provider (no client's time changes), the least
//!    booked that day first; else
//! 2. at the nearest feasible time with anyone qualified, within `searchDays` (default 7), the
//!    original provider winning ties.
//!
//! Every placement is made in the trial before the next one is searched, so placements never
//! collide. Only broken bookings move, so a booking is never moved to make room for another
//! (and never a higher-priority one for a lower one). Minimum notice and the booking horizon
//! guard clients' own booking and do not bind a coordinator's repair; every other rule does.
//!
//! Applying re-checks each move as it is made and keeps them only if all succeed; a plan is
//! refused if the schedule changed after it was made (`STALE_PLAN`). The plans themselves are
//! records (`model::plan`), kept beside the schedule: not in the snapshot, the version or the
//! change log.

use crate::base::error::clip;
use crate::base::error::{Code, Error, Result, Violation};
use crate::model::plan::*;
use crate::model::{Booking, BookingFilter, ResourceUse, Service, Status, TimeOff};
use crate::rules::booking::Proposal;
use crate::rules::rule::qualified;
use crate::state::Coordinator;
use crate::time::{format_utc, Instant, Interval, When, DAY, MINUTE};

/// How many plans are kept for `apply_plan` (the oldest go first).
const KEPT_PLANS: usize = 16;

/// Notice and horizon guard clients' own booking; a coordinator's repair is not bound by them.
fn relaxed(s: &Service) -> Service {
    Service {
        min_notice_minutes: 0,
        horizon_days: None,
        ..s.clone()
    }
}

fn movable(b: &Booking) -> bool {
    matches!(b.status, Status::Tentative | Status::Confirmed)
}

impl Coordinator {
    /// Puts the disruption into this (copied) state: time off for the provider or the resource.
    fn disrupt(&mut self, d: &Disruption) -> Result<Interval> {
        let zone = d
            .time_zone
            .clone()
            .unwrap_or_else(|| self.time_zone.clone());
        self.zones.validate(&zone)?;
        let iv = self.zones.range(&zone, d.start, d.end, "disruption")?;
        if let Some(r) = &d.reason {
            crate::model::check_text("reason", r)?;
        }
        let off = TimeOff {
            start: When::utc(iv.start),
            end: When::utc(iv.end),
            reason: d.reason.clone(),
            quantity: None,
        };
        match (&d.provider_id, &d.resource_id) {
            (Some(p), None) if d.quantity.is_none() => {
                let mut provider = self
                    .provider(p)
                    .ok_or_else(|| Error::unknown("provider", p))?
                    .clone();
                provider.time_off.push(off);
                self.upsert_provider(provider)?;
            }
            (None, Some(r)) => {
                let mut resource = self
                    .resource(r)
                    .ok_or_else(|| Error::unknown("resource", r))?
                    .clone();
                let quantity = d.quantity.filter(|&q| q < resource.quantity);
                resource.time_off.push(TimeOff { quantity, ..off });
                self.upsert_resource(resource)?;
            }
            _ => {
                return Err(Error::input(
                    "a disruption names a providerId, or a resourceId (with an optional quantity)",
                ))
            }
        }
        Ok(iv)
    }

    /// The live bookings (tentative or confirmed, not yet over) matching `f` that break a rule
    /// where they stand: the provider called in sick, lost a skill, a van went to the garage.
    /// Notice and horizon are not counted (the booking was made in time). A calendar marks these.
    pub fn at_risk(&self, f: &BookingFilter, now: Instant) -> Result<Vec<BookingIssue>> {
        Ok(self
            .bookings(f, now)?
            .into_iter()
            .filter(|b| movable(b) && b.end > now)
            .filter_map(|b| {
                let (violations, _) =
                    self.still_fits(b, &b.provider_id, b.start, b.end, Some(&b.resources), now);
                (!violations.is_empty()).then(|| BookingIssue {
                    booking_id: b.id.to_string(),
                    violations,
                })
            })
            .collect())
    }

    /// Asks `ask` about `b` placed on `provider` at `[start, end)` under its service as it is now
    /// (relaxed: notice and horizon do not hold a repair back), the booking itself aside; `None`
    /// if its service is gone.
    #[allow(clippy::too_many_arguments)]
    fn as_placed<R>(
        &self,
        b: &Booking,
        provider: &str,
        start: Instant,
        end: Instant,
        resources: Option<&[ResourceUse]>,
        ask: impl FnOnce(&Proposal) -> R,
    ) -> Option<R> {
        let service = relaxed(self.services.get(&b.service_id)?);
        Some(ask(&Proposal {
            service: &service,
            provider,
            start,
            end,
            seats: b.seats_taken(),
            resources,
            prefer: &b.resources,
            exclude: Some(&b.id),
            place: b.location(),
        }))
    }

    /// Whether `b`, placed there, breaks a rule in this state, with the sentences why.
    pub(crate) fn still_fits(
        &self,
        b: &Booking,
        provider: &str,
        start: Instant,
        end: Instant,
        resources: Option<&[ResourceUse]>,
        now: Instant,
    ) -> (Vec<Violation>, Vec<ResourceUse>) {
        self.as_placed(b, provider, start, end, resources, |p| {
            self.evaluate(p, now)
        })
        .unwrap_or_else(|| {
            let gone = Violation::new(
                Code::UnknownId,
                format!("there is no service with id `{}`", clip(&b.service_id)),
                vec![b.service_id.to_string()],
            );
            (vec![gone], Vec::new())
        })
    }

    /// `still_fits` as pass/fail: the resources `b` would use there, if it breaks no rule.
    pub(crate) fn fits(
        &self,
        b: &Booking,
        provider: &str,
        start: Instant,
        end: Instant,
        resources: Option<&[ResourceUse]>,
        now: Instant,
    ) -> Option<Vec<ResourceUse>> {
        self.as_placed(b, provider, start, end, resources, |p| self.passes(p, now))
            .flatten()
    }

    /// Works out how to repair the schedule after a disruption; changes nothing. The plan is kept
    /// (by id) for `apply_plan`.
    pub fn plan_repair(&mut self, d: Disruption, now: Instant) -> Result<RepairPlan> {
        let days = d.search_days.unwrap_or(7);
        if !(1..=60).contains(&days) {
            return Err(Error::input("searchDays must be 1 to 60"));
        }
        let base_version = self.version;
        let plan = self.on_trial(|sim| -> Result<RepairPlan> {
            let iv = sim.disrupt(&d)?;
            // The bookings the disruption touches that can still be moved, and now break a rule.
            let touched: Vec<Booking> = match (&d.provider_id, &d.resource_id) {
                (Some(p), _) => sim.provider_bookings(p, iv, now).cloned().collect(),
                (_, Some(r)) => sim.resource_bookings(r, iv, now).cloned().collect(),
                _ => Vec::new(),
            };
            let mut broken: Vec<Booking> = touched
                .into_iter()
                .filter(|b| movable(b) && b.end > now)
                .filter(|b| {
                    sim.fits(b, &b.provider_id, b.start, b.end, Some(&b.resources), now)
                        .is_none()
                })
                .collect();
            crate::base::sort::sort_by(&mut broken, |a, b| {
                (-i64::from(a.priority), a.start, &a.id).cmp(&(
                    -i64::from(b.priority),
                    b.start,
                    &b.id,
                ))
            });
            let mut plan = RepairPlan {
                id: String::new(),
                base_version,
                disruption: Some(d.clone()),
                urgent: None,
                moves: Vec::new(),
                unplaced: Vec::new(),
            };
            sim.replace_all(broken, days, &mut plan, now);
            Ok(plan)
        })?;
        Ok(self.keep(plan))
    }

    /// Places each booking in turn (in the order given), recording moves and failures.
    fn replace_all(
        &mut self,
        bookings: Vec<Booking>,
        days: u32,
        plan: &mut RepairPlan,
        now: Instant,
    ) {
        let sim = self;
        for b in bookings {
            match sim.place(&b, days, now) {
                Ok((to, resources)) => {
                    if let Some(service) = sim.services.get(&b.service_id) {
                        let at = Interval::new(to.start, to.end);
                        let moved = b.placed(service, &to.provider_id, at, resources.clone());
                        sim.store(moved);
                    }
                    let from = Placement {
                        provider_id: b.provider_id.to_string(),
                        start: b.start,
                        end: b.end,
                    };
                    plan.moves.push(Move {
                        booking_id: b.id.to_string(),
                        from,
                        to,
                        resources,
                        clients: b.seats_taken(),
                    });
                }
                Err(reason) => plan.unplaced.push(Unplaced {
                    booking_id: b.id.to_string(),
                    reason,
                }),
            }
        }
    }

    /// Names a plan and keeps it for `apply_plan`.
    fn keep(&mut self, mut plan: RepairPlan) -> RepairPlan {
        plan.id = format!("plan-{}", self.next_plan);
        self.next_plan += 1;
        if self.plans.len() == KEPT_PLANS {
            self.plans.remove(0);
        }
        self.plans.push(plan.clone());
        plan
    }

    /// Fits an urgent job in before its deadline: the earliest feasible start with anyone
    /// qualified; failing that, the earliest start where only lower-priority bookings are in the
    /// way, which are bumped and placed again by the repair rules. Changes nothing; the plan is
    /// kept for `apply_plan`.
    #[allow(clippy::indexing_slicing)] // keys were packed from indexes into `everyone`
    pub fn plan_urgent(&mut self, u: UrgentRequest, now: Instant) -> Result<RepairPlan> {
        let days = u.search_days.unwrap_or(7);
        if !(1..=60).contains(&days) {
            return Err(Error::input("searchDays must be 1 to 60"));
        }
        let req = &u.request;
        let service = relaxed(
            self.services
                .get(&req.service_id)
                .ok_or_else(|| Error::unknown("service", &req.service_id))?,
        );
        let zone = req
            .time_zone
            .clone()
            .unwrap_or_else(|| self.time_zone.clone());
        self.zones.validate(&zone)?;
        let deadline = self.zones.instant(&zone, u.deadline)?;
        if deadline < now {
            return Err(Error::new(
                Code::EndBeforeStart,
                format!("the deadline {} has passed", format_utc(deadline)),
            ));
        }
        if let Some(bad) = req
            .client_ids
            .iter()
            .find(|c| !self.clients.contains_key(c))
        {
            return Err(Error::unknown("client", bad));
        }
        let dur = service.duration();
        let (nb, na) = service.buffers();
        let mut plan = RepairPlan {
            id: String::new(),
            base_version: self.version,
            disruption: None,
            urgent: None,
            moves: Vec::new(),
            unplaced: Vec::new(),
        };
        let everyone: Vec<String> = match &req.provider_id {
            Some(p) => vec![p.clone()],
            None => self.providers.keys().map(String::from).collect(),
        };
        // Every start on a qualified provider's grid up to the deadline, earliest first.
        let mut starts: Vec<i64> = Vec::new();
        for (i, id) in everyone.iter().enumerate() {
            let Some(e) = self.providers.get(id) else {
                return Err(Error::unknown("provider", id));
            };
            if !qualified(&e.data, &service) {
                continue;
            }
            let table = self.zones.table(&e.cal.zone, now, deadline + dur)?;
            crate::rules::availability::grid(
                &table,
                Interval::new(now, deadline + dur),
                service.step(),
                dur,
                deadline + 1,
                |t| {
                    starts.push(crate::state::pack(t, i as u32));
                },
            );
        }
        crate::base::sort::sort(&mut starts);
        let probe = Booking::draft(
            "\u{0}urgent".into(),
            &service,
            req.client_ids.clone(),
            String::new(),
            Instant::default(),
            Instant::default(),
            req.priority,
            now,
        );
        // First without bumping anyone, then bumping only lower-priority, movable bookings.
        for bump in [false, true] {
            for &key in &starts {
                let (t, i) = crate::state::unpack(key);
                let provider = everyone[i as usize].as_str();
                let blocked = Interval::new(t - nb, t + dur + na);
                let in_way: Vec<Booking> = self
                    .provider_bookings(provider, blocked, now)
                    .cloned()
                    .collect();
                if !in_way.is_empty()
                    && (!bump
                        || !in_way
                            .iter()
                            .all(|b| movable(b) && b.priority < req.priority))
                {
                    continue;
                }
                let place = Placement {
                    provider_id: provider.to_string(),
                    start: t,
                    end: t + dur,
                };
                if in_way.is_empty() {
                    let fits =
                        self.fits(&probe, provider, t, t + dur, req.resources.as_deref(), now);
                    if let Some(resources) = fits {
                        plan.urgent = Some(UrgentPlacement {
                            request: req.clone(),
                            place,
                            resources,
                            bumped: Vec::new(),
                        });
                        return Ok(self.keep(plan));
                    }
                    continue;
                }
                // Try it with the bookings in the way set aside, then put the state back.
                let tried = self.on_trial(|sim| {
                    for b in &in_way {
                        sim.store(Booking {
                            status: Status::Cancelled,
                            ..b.clone()
                        });
                    }
                    let resources =
                        sim.fits(&probe, provider, t, t + dur, req.resources.as_deref(), now)?;
                    sim.store(Booking {
                        provider_id: place.provider_id.clone().into(),
                        start: t,
                        end: t + dur,
                        resources: resources.clone(),
                        ..probe.clone()
                    });
                    let mut bumped = in_way.clone();
                    crate::base::sort::sort_by(&mut bumped, |a, b| {
                        (-i64::from(a.priority), a.start, &a.id).cmp(&(
                            -i64::from(b.priority),
                            b.start,
                            &b.id,
                        ))
                    });
                    let ids = bumped.iter().map(|b| b.id.to_string()).collect();
                    let mut tried = plan.clone();
                    sim.replace_all(bumped, days, &mut tried, now);
                    tried.urgent = Some(UrgentPlacement {
                        request: req.clone(),
                        place,
                        resources,
                        bumped: ids,
                    });
                    Some(tried)
                });
                let Some(plan) = tried else {
                    continue;
                };
                return Ok(self.keep(plan));
            }
        }
        Err(Error::with_ids(
            Code::NoProviderAvailable,
            format!(
                "no qualified provider can start {} by {}, even bumping lower-priority bookings",
                clip(&service.name),
                format_utc(deadline)
            ),
            vec![service.id.clone()],
        ))
    }

    /// The best new place for a broken booking in this (copied) state, or why there is none.
    #[allow(clippy::indexing_slicing)] // slot provider indexes come from this availability's own provider list
    fn place(
        &mut self,
        b: &Booking,
        days: u32,
        now: Instant,
    ) -> std::result::Result<(Placement, Vec<ResourceUse>), Violation> {
        // 0. Nothing but the resources changes (another van for the same job).
        if let Some(resources) = self.fits(b, &b.provider_id, b.start, b.end, None, now) {
            return Ok((
                Placement {
                    provider_id: b.provider_id.to_string(),
                    start: b.start,
                    end: b.end,
                },
                resources,
            ));
        }
        // 1. The same time, another qualified provider: the least booked that day, then by id.
        let mut best: Option<(usize, String, Vec<ResourceUse>)> = None;
        for e in self
            .providers
            .values()
            .filter(|e| e.data.id != b.provider_id)
        {
            if let Some(resources) = self.fits(b, &e.data.id, b.start, b.end, None, now) {
                let load = self
                    .zones
                    .table(&e.cal.zone, b.start, b.end)
                    .map(|t| self.sessions_on_day(&e.data.id, &t, b.start, Some(&b.id), now))
                    .unwrap_or(usize::MAX);
                if best.as_ref().is_none_or(|(l, _, _)| load < *l) {
                    best = Some((load, e.data.id.clone(), resources));
                }
            }
        }
        if let Some((_, provider_id, resources)) = best {
            return Ok((
                Placement {
                    provider_id,
                    start: b.start,
                    end: b.end,
                },
                resources,
            ));
        }
        // 2. The nearest feasible time with anyone qualified (the original provider wins ties).
        let Some(service) = self.services.get(&b.service_id).map(relaxed) else {
            return Err(Violation::new(
                Code::UnknownId,
                format!("there is no service with id `{}`", clip(&b.service_id)),
                vec![b.service_id.to_string()],
            ));
        };
        let dur = b.end - b.start;
        let search = Service {
            duration_minutes: (dur / MINUTE) as u32,
            ..service
        };
        let reach = i64::from(days) * DAY;
        let everyone: Vec<&str> = self.providers.keys().collect();
        let a = self
            .slots(
                &search,
                Interval::new(b.start - reach, b.start + reach),
                &everyone,
                false,
                b.location(),
                None,
                now,
            )
            .map_err(|e| Violation::new(e.code, e.message, vec![b.id.to_string()]))?;
        let mut choices: Vec<(i64, bool, Instant, &str)> = Vec::new();
        for slot in &a.slots {
            for &p in &slot.providers {
                let id = a.provider_ids[p as usize].as_str();
                choices.push((
                    (slot.start - b.start).abs(),
                    *id != *b.provider_id,
                    slot.start,
                    id,
                ));
            }
        }
        crate::base::sort::sort(&mut choices);
        for (_, _, start, id) in choices {
            if let Some(resources) = self.fits(b, id, start, start + dur, None, now) {
                return Ok((
                    Placement {
                        provider_id: id.to_string(),
                        start,
                        end: start + dur,
                    },
                    resources,
                ));
            }
        }
        Err(Violation::new(
            Code::NoProviderAvailable,
            format!(
                "no qualified provider is free within {days} days of {} for booking {}",
                format_utc(b.start),
                clip(&b.id)
            ),
            vec![b.id.to_string()],
        ))
    }

    /// Applies a plan from `plan_repair`, all or nothing: the disruption, then every move, each
    /// recorded in the booking's history with the disruption's reason.
    pub fn apply_plan(&mut self, plan_id: &str, now: Instant) -> Result<RepairPlan> {
        let plan = self
            .plans
            .iter()
            .find(|p| p.id == plan_id)
            .cloned()
            .ok_or_else(|| Error::unknown("plan", plan_id))?;
        if plan.base_version != self.version {
            return Err(Error::with_ids(
                Code::StalePlan,
                format!(
                    "the schedule changed after {} was made; make a new plan",
                    clip(plan_id)
                ),
                vec![plan_id.to_string()],
            ));
        }
        // The bookings as they stand before the plan (a bumped one steps aside before it moves).
        let ids = plan.moves.iter().map(|m| &m.booking_id);
        let before: Vec<Booking> = ids
            .chain(plan.unplaced.iter().map(|u| &u.booking_id))
            .filter_map(|id| self.bookings.get(id).cloned())
            .collect();
        self.all_or_nothing(|sim| sim.apply_steps(&plan, &before, now))?;
        self.plans.retain(|p| p.id != plan_id);
        Ok(plan)
    }

    /// The steps of `plan`, each checked as it is taken; `before` holds the bookings it changes
    /// as they were when it began.
    fn apply_steps(&mut self, plan: &RepairPlan, before: &[Booking], now: Instant) -> Result<()> {
        let sim = self;
        let before = |id: &str| {
            before
                .iter()
                .find(|b| b.id == id)
                .cloned()
                .ok_or_else(|| Error::unknown("booking", id))
        };
        let why = match (&plan.disruption, &plan.urgent) {
            (Some(d), _) => {
                sim.disrupt(d)?;
                d.reason
                    .clone()
                    .map_or_else(|| "repair".to_string(), |r| format!("repair: {r}"))
            }
            _ => "bumped by an urgent job".to_string(),
        };
        // The version did not move, but the clock did (a start is now past) or a hold lapsed:
        // the plan is as stale as if the schedule had changed.
        let fault = |message: String| {
            Error::with_ids(
                Code::StalePlan,
                format!(
                    "{} no longer fits ({message}); make a new plan",
                    clip(&plan.id)
                ),
                vec![plan.id.clone()],
            )
        };
        // Bumped bookings step aside first, so the moves never meet their old places.
        for id in plan.urgent.iter().flat_map(|u| &u.bumped) {
            let b = sim
                .bookings
                .get(id)
                .cloned()
                .ok_or_else(|| Error::unknown("booking", id))?;
            sim.store(Booking {
                status: Status::Cancelled,
                ..b
            });
        }
        for m in &plan.moves {
            let old = before(&m.booking_id)?;
            let (v, _) = sim.still_fits(
                &old,
                &m.to.provider_id,
                m.to.start,
                m.to.end,
                Some(&m.resources),
                now,
            );
            if let Some(first) = v.into_iter().next() {
                return Err(fault(first.message));
            }
            let service = sim
                .services
                .get(&old.service_id)
                .ok_or_else(|| Error::unknown("service", &old.service_id))?;
            let at = Interval::new(m.to.start, m.to.end);
            let new = old.placed(service, &m.to.provider_id, at, m.resources.clone());
            sim.commit(old, new, "rescheduled", Some(why.clone()), now);
        }
        if let Some(u) = &plan.urgent {
            for left in &plan.unplaced {
                let old = before(&left.booking_id)?;
                let new = Booking {
                    status: Status::Cancelled,
                    ..old.clone()
                };
                sim.commit(
                    old,
                    new,
                    "cancelled",
                    Some(format!("{why}; no other time found")),
                    now,
                );
            }
            let req = u.request.clone();
            let service = sim
                .services
                .get(&req.service_id)
                .map(relaxed)
                .ok_or_else(|| Error::unknown("service", &req.service_id))?;
            let place = sim.visit_place(&service, req.location.as_ref(), &req.client_ids)?;
            let p = Proposal {
                service: &service,
                provider: &u.place.provider_id,
                start: u.place.start,
                end: u.place.end,
                seats: req.client_ids.len().max(1) as u32,
                resources: Some(&u.resources),
                prefer: &[],
                exclude: None,
                place: place.as_ref(),
            };
            if let Some(first) = sim.evaluate(&p, now).0.into_iter().next() {
                return Err(fault(first.message));
            }
            sim.insert_new(
                req,
                u.place.provider_id.clone(),
                Interval::new(u.place.start, u.place.end),
                u.resources.clone(),
                Status::Confirmed,
                None,
                now,
            )?;
        }
        Ok(())
    }
}
