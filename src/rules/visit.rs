//! After the booking: a booking's life (check in, complete, no-shows of either side, cancel in
//! time or late, by whom), the visit record written with it, and the service's protocol that a
//! status change must satisfy.
//!
//! Nothing is guessed from the clock: a past visit nobody closed stays `unresolved`
//! (`Booking::unresolved`); actual times are set when they happen (check-in, completion of a
//! checked-in visit) or given, never taken from the booked times.

use crate::base::error::{clip, Code, Error, Result, Violation};
use crate::model::visit::{missing, Visit, VisitUpdate, RETURN_RULE};
use crate::model::*;
use crate::state::Coordinator;
use crate::time::{format_utc, Instant, MINUTE};

impl Coordinator {
    /// Cancels a booking; its time is free at once. Inside the service's cancellation window
    /// (or after the start) it is `late_cancelled`; `by` says who cancelled.
    pub fn cancel(&mut self, id: &str, opts: WriteOptions, now: Instant) -> Result<Booking> {
        self.set_status(id, Status::Cancelled, opts, now)
    }

    /// Moves a booking along its life: confirm, check in, complete, no-show (client's or
    /// provider's), cancel. `opts.visit` is written with it, and the service's protocol for the
    /// new status is checked against the record as it would then be: all or nothing.
    pub fn set_status(
        &mut self,
        id: &str,
        status: Status,
        opts: WriteOptions,
        now: Instant,
    ) -> Result<Booking> {
        let old = self.writable(id, opts.expected_revision)?;
        if let Some(r) = &opts.reason {
            check_text("reason", r)?;
        }
        let status = match status {
            Status::Cancelled if old.status != Status::Held && self.late(old, now) => {
                Status::LateCancelled
            }
            s => s,
        };
        if !old.status.can_become(status) {
            return Err(Error::with_ids(
                Code::InvalidTransition,
                format!(
                    "booking `{}` is {} and cannot become {}",
                    clip(id),
                    old.status.as_str(),
                    status.as_str()
                ),
                vec![id.to_string()],
            ));
        }
        if status == Status::LateCancelled && !self.late(old, now) {
            return Err(Error::with_ids(
                Code::InvalidTransition,
                format!(
                    "booking `{}` is not inside its service's cancellation window: cancel it",
                    clip(id)
                ),
                vec![id.to_string()],
            ));
        }
        if matches!(
            status,
            Status::Completed | Status::NoShow | Status::ProviderNoShow
        ) && now < old.start
        {
            return Err(Error::with_ids(
                Code::InvalidTransition,
                format!(
                    "booking `{}` starts at {}; it cannot be {} before then",
                    clip(id),
                    format_utc(old.start),
                    status.as_str()
                ),
                vec![id.to_string()],
            ));
        }
        if opts.visit.is_some() && old.status == Status::Held {
            return Err(Error::with_ids(
                Code::InvalidTransition,
                format!("booking `{}` is a hold: there is no visit yet", clip(id)),
                vec![id.to_string()],
            ));
        }
        if opts.by.is_some() && !status.is_cancelled() {
            return Err(Error::input(
                "`by` says who cancelled: give it with a cancellation",
            ));
        }
        let service = self
            .service_any(&old.service_id)
            .ok_or_else(|| Error::unknown("service", &old.service_id))?;
        let mut visit = old.visit().cloned().unwrap_or_default();
        let mut edited = false;
        if let Some(u) = &opts.visit {
            edited = self.apply_visit(service, &mut visit, u, now)?;
        }
        // The clock is the record only where the change is the event itself.
        let now_w = self.hold_clock(now);
        match status {
            Status::CheckedIn if visit.actual_start.is_none() => {
                visit.actual_start = Some(now_w);
                edited = true;
            }
            Status::Completed if old.status == Status::CheckedIn && visit.actual_end.is_none() => {
                visit.actual_end = Some(now_w.max(visit.actual_start.unwrap_or(now_w)));
                edited = true;
            }
            _ => {}
        }
        if edited {
            push_edit(&mut visit, now_w, opts.reason.clone());
        }
        visit.check()?;
        refuse_missing(id, service, status, &visit)?;
        let mut new = old.clone();
        new.status = status;
        new.set_rare(|r| {
            r.expires_at = None;
            if status.is_cancelled() {
                r.cancelled_by = opts.by;
            }
            r.visit = (visit != Visit::default()).then_some(visit);
        });
        let old = old.clone();
        let action = match (old.status, status) {
            (Status::Held, _) => "released",
            (_, s) if s.is_cancelled() => "cancelled",
            _ => "status_changed",
        };
        Ok(self.commit(old, new, action, opts.reason, now))
    }

    /// Whether cancelling `b` at `now` is late: inside its service's window before the start.
    fn late(&self, b: &Booking, now: Instant) -> bool {
        let window = self
            .service_any(&b.service_id)
            .map_or(1440, |s| s.cancellation_window_minutes);
        now >= b.start - i64::from(window) * MINUTE
    }

    /// Writes the visit record of a booking: actual times (kept in `timeHistory`), outcome,
    /// notes, parts, signature, checklist, satisfaction. Its status stays; the protocol of the
    /// status it already has still holds after the change (a completed boiler service cannot
    /// lose its signature).
    pub fn update_visit(&mut self, id: &str, u: VisitUpdate, now: Instant) -> Result<Booking> {
        let old = self.writable(id, u.expected_revision)?;
        if old.status == Status::Held {
            return Err(Error::with_ids(
                Code::InvalidTransition,
                format!("booking `{}` is a hold: there is no visit yet", clip(id)),
                vec![id.to_string()],
            ));
        }
        if let Some(r) = &u.reason {
            check_text("reason", r)?;
        }
        let service = self
            .service_any(&old.service_id)
            .ok_or_else(|| Error::unknown("service", &old.service_id))?;
        let mut visit = old.visit().cloned().unwrap_or_default();
        if self.apply_visit(service, &mut visit, &u, now)? {
            push_edit(&mut visit, self.hold_clock(now), u.reason.clone());
        }
        visit.check()?;
        refuse_missing(id, service, old.status, &visit)?;
        let mut new = old.clone();
        new.set_rare(|r| r.visit = (visit != Visit::default()).then_some(visit));
        let old = old.clone();
        Ok(self.commit(old, new, "visit_updated", u.reason, now))
    }

    /// Puts an update into a visit record; whether the actual times changed. Checks what the
    /// record alone cannot: times not in the future, checklist ids the service has.
    fn apply_visit(
        &self,
        service: &Service,
        v: &mut Visit,
        u: &VisitUpdate,
        now: Instant,
    ) -> Result<bool> {
        let zone = u.time_zone.as_deref().unwrap_or(&self.time_zone);
        self.zones.validate(zone)?;
        let mut times_changed = false;
        let fields = [
            ("departedAt", u.departed_at, &mut v.departed_at),
            ("actualStart", u.actual_start, &mut v.actual_start),
            ("actualEnd", u.actual_end, &mut v.actual_end),
        ];
        for (name, given, slot) in fields {
            if let Some(w) = given {
                let t = self.zones.instant(zone, w)?;
                if t > now {
                    return Err(Error::new(
                        Code::InvalidTime,
                        format!("{name} {} is in the future", format_utc(t)),
                    ));
                }
                if *slot != Some(t) {
                    *slot = Some(t);
                    times_changed = true;
                }
            }
        }
        if let Some(o) = u.outcome {
            v.outcome = Some(o);
        }
        if let Some(r) = &u.outcome_reason {
            v.outcome_reason = Some(r.clone());
        }
        if let Some(n) = &u.work_notes {
            v.work_notes = Some(n.clone());
        }
        if let Some(p) = &u.parts {
            v.parts = p.clone();
        }
        if let Some(s) = &u.signature {
            v.signature = Some(Signature {
                signed_at: Some(self.hold_clock(now)),
                ..s.clone()
            });
        }
        if let Some(items) = &u.checklist {
            v.checklist = Vec::with_capacity(items.len());
            for item in items {
                if !service.checklist.iter().any(|c| &c.id == item) {
                    return Err(Error::with_ids(
                        Code::UnknownId,
                        format!(
                            "service `{}` has no checklist item `{}`",
                            clip(&service.id),
                            clip(item)
                        ),
                        vec![item.clone()],
                    ));
                }
                if !v.checklist.contains(item) {
                    v.checklist.push(item.clone());
                }
            }
        }
        if let Some(s) = &u.satisfaction {
            v.satisfaction = Some(Satisfaction {
                at: Some(self.hold_clock(now)),
                ..s.clone()
            });
        }
        Ok(times_changed)
    }

    /// The rule a booking follows up, checked: `returnOf` must name a completed booking, and the
    /// rule one of its service's (or `return`, the default: a job not resolved the first time,
    /// or a recall, whatever the first outcome said).
    pub(crate) fn follow_up_link(
        &self,
        return_of: Option<&str>,
        rule: Option<String>,
    ) -> Result<Option<String>> {
        let Some(original) = return_of else {
            return match rule {
                Some(_) => Err(Error::input(
                    "followUpRule needs returnOf (the booking it follows up)",
                )),
                None => Ok(None),
            };
        };
        let o = self
            .bookings
            .get(original)
            .ok_or_else(|| Error::unknown("booking", original))?;
        if o.status != Status::Completed {
            return Err(Error::with_ids(
                Code::InvalidTransition,
                format!(
                    "booking `{}` is {}: a return visit follows a completed one",
                    clip(original),
                    o.status.as_str()
                ),
                vec![original.to_string()],
            ));
        }
        let rule = rule.unwrap_or_else(|| RETURN_RULE.to_string());
        let known = rule == RETURN_RULE
            || self
                .service_any(&o.service_id)
                .is_some_and(|s| s.follow_ups.iter().any(|r| r.id == rule));
        if !known {
            return Err(Error::with_ids(
                Code::UnknownId,
                format!(
                    "service `{}` has no follow-up rule `{}`",
                    clip(&o.service_id),
                    clip(&rule)
                ),
                vec![rule],
            ));
        }
        Ok(Some(rule))
    }
}

/// Keeps a setting of the actual times in the visit's history (`Visit::check` refuses one past
/// the bound).
fn push_edit(v: &mut Visit, at: Instant, reason: Option<String>) {
    v.time_history.push(TimeEdit {
        at,
        departed_at: v.departed_at,
        actual_start: v.actual_start,
        actual_end: v.actual_end,
        reason,
    });
}

/// `PROTOCOL_INCOMPLETE`, listing each thing the record lacks for `status`, if it lacks any.
fn refuse_missing(id: &str, service: &Service, status: Status, v: &Visit) -> Result<()> {
    let lacks = missing(service, status, v);
    if lacks.is_empty() {
        return Ok(());
    }
    let list: Vec<&str> = lacks.iter().map(|(_, what)| what.as_str()).collect();
    let message = format!(
        "booking `{}` ({}) cannot be {} without {}",
        clip(id),
        clip(&service.name),
        status.as_str(),
        list.join(", ")
    );
    let details = lacks
        .into_iter()
        .map(|(key, what)| {
            let v = Violation::new(
                Code::ProtocolIncomplete,
                format!("missing: {what}"),
                vec![id.to_string(), key.clone()],
            )
            .text("missing", &key);
            // A checklist item by its label, as the dialog shows it.
            let item = key.strip_prefix("checklist:");
            match item.and_then(|i| service.checklist.iter().find(|c| c.id == i)) {
                Some(c) => v.text("item", &c.label),
                None => v,
            }
        })
        .collect();
    Err(Error {
        code: Code::ProtocolIncomplete,
        message,
        details,
    })
}
