//! Follow-ups and recalls: what falls due after a completed visit (its service's rules, and a
//! return visit when the job was not resolved), the due list with due and overdue flags, and
//! closing one by hand (a call made, a visit declined) or by booking it (`returnOf`).
//!
//! Nothing is stored for a follow-up until it is done: each is worked out from the visit it
//! follows, so a changed rule or outcome changes what is due, and a return visit that is
//! cancelled leaves its follow-up open again.

use crate::base::error::{clip, Code, Error, Result};
use crate::json::{named, record, ToJson, Writer};
use crate::model::visit::{FollowUpKind, FollowUpRule, RETURN_RULE};
use crate::model::*;
use crate::state::Coordinator;
use crate::time::{Day, Instant, When, DAY};
use chrono::Months;

named! {
    /// Where a follow-up stands at `now`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum DueState as "a follow-up state" {
        /// Not due yet.
        Upcoming = "upcoming",
        /// Due since its date, within its grace days.
        Due = "due",
        /// Past its due date and grace days.
        Overdue = "overdue",
        /// A visit is booked for it (and not cancelled).
        Booked = "booked",
        /// Closed by hand, or its booked visit is over.
        Done = "done",
    }
}

/// The most follow-ups one call lists: a narrower range or fewer states beyond it.
pub const MAX_FOLLOW_UPS: usize = 10_000;

record! {
    /// Which follow-ups to list: due dates in `[from, to)` (local dates in `timeZone`), in the
    /// given states (default: upcoming, due, overdue).
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct FollowUpQuery {
        from: Option<When> = "from" opt,
        to: Option<When> = "to" opt,
        time_zone: Option<String> = "timeZone" opt,
        states: Option<Vec<DueState>> = "states" opt,
        client_id: Option<String> = "clientId" opt,
        provider_id: Option<String> = "providerId" opt,
    }
}

record! {
    /// Closing a follow-up by hand: the call was made (with the client's answer, if they gave
    /// one), or the visit is not wanted.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct CloseFollowUp {
        rule: String = "rule" req,
        note: Option<String> = "note" opt,
        satisfaction: Option<Satisfaction> = "satisfaction" opt,
        expected_revision: Option<u32> = "expectedRevision" opt,
    }
}

/// One follow-up of one visit.
#[derive(Clone, Debug, PartialEq)]
pub struct FollowUp<'a> {
    pub booking: &'a Booking,
    pub rule: FollowUpRule,
    /// The local date it falls due, and the instant that day starts.
    pub due_on: Day,
    pub due_at: Instant,
    pub overdue_at: Instant,
    pub state: DueState,
    /// The visit booked for it, if any.
    pub booked: Option<&'a Booking>,
    pub done: Option<&'a FollowUpDone>,
    pub zone: String,
}

impl Coordinator {
    /// The rules that apply to a visit: its service's, those limited to outcomes by its outcome,
    /// and a return visit when the job was not resolved. Only completed visits have any.
    pub fn follow_up_rules(&self, b: &Booking) -> Vec<FollowUpRule> {
        let (Status::Completed, Some(service)) = (b.status, self.service_any(&b.service_id)) else {
            return Vec::new();
        };
        let outcome = b.visit().and_then(|v| v.outcome);
        let mut rules: Vec<FollowUpRule> = service
            .follow_ups
            .iter()
            .filter(|r| r.outcomes.is_empty() || outcome.is_some_and(|o| r.outcomes.contains(&o)))
            .cloned()
            .collect();
        if outcome.is_some_and(|o| o.needs_return()) {
            rules.push(FollowUpRule {
                id: RETURN_RULE.into(),
                kind: FollowUpKind::Visit,
                label: format!("Return visit: {}", service.name),
                service_id: Some(service.id.clone()),
                ..Default::default()
            });
        }
        rules
    }

    /// The follow-ups of completed visits matching `q`, by due date, at `now`.
    pub fn follow_ups(&self, q: &FollowUpQuery, now: Instant) -> Result<Vec<FollowUp<'_>>> {
        let zone = q.time_zone.as_deref().unwrap_or(&self.time_zone);
        self.zones.validate(zone)?;
        let day_of = |w: When| -> Result<Day> { Ok(self.zones.wall_of(zone, w)?.0.day()) };
        let from = q.from.map(day_of).transpose()?;
        let to = q.to.map(day_of).transpose()?;
        let states = q
            .states
            .clone()
            .unwrap_or_else(|| vec![DueState::Upcoming, DueState::Due, DueState::Overdue]);
        // Return visits by the (original, rule) they are for; the live one wins over a cancelled.
        let mut booked: Vec<(&str, &str, &Booking)> = Vec::new();
        for b in self.bookings.values() {
            if let (Some(o), Some(r)) = (b.return_of(), b.follow_up_rule()) {
                if b.status.blocks_time() || b.status == Status::Completed {
                    booked.push((o, r, b));
                }
            }
        }
        let mut out = Vec::new();
        for b in self.bookings.values() {
            if b.status != Status::Completed
                || q.client_id
                    .as_ref()
                    .is_some_and(|c| !b.client_ids.contains(c))
                || q.provider_id
                    .as_ref()
                    .is_some_and(|p| *b.provider_id != **p)
            {
                continue;
            }
            for rule in self.follow_up_rules(b) {
                let f = self.follow_up(b, rule, zone, &booked, now)?;
                if from.is_some_and(|d| f.due_on < d)
                    || to.is_some_and(|d| f.due_on >= d)
                    || !states.contains(&f.state)
                {
                    continue;
                }
                if out.len() == MAX_FOLLOW_UPS {
                    return Err(Error::new(
                        Code::TooLarge,
                        format!("more than {MAX_FOLLOW_UPS} follow-ups match: ask for a shorter range or fewer states"),
                    ));
                }
                out.push(f);
            }
        }
        let mut keys: Vec<i64> = out
            .iter()
            .enumerate()
            .map(|(i, f)| crate::state::pack(f.due_at, i as u32))
            .collect();
        crate::base::sort::sort(&mut keys);
        let mut slots: Vec<Option<FollowUp>> = out.into_iter().map(Some).collect();
        Ok(keys
            .into_iter()
            .filter_map(|k| slots.get_mut(crate::state::unpack(k).1 as usize)?.take())
            .collect())
    }

    fn follow_up<'a>(
        &'a self,
        b: &'a Booking,
        rule: FollowUpRule,
        zone: &str,
        booked: &[(&str, &str, &'a Booking)],
        now: Instant,
    ) -> Result<FollowUp<'a>> {
        let visit = b.visit();
        let ended = visit.and_then(|v| v.actual_end).unwrap_or(b.end);
        let table = self.zones.table(zone, ended, ended + 4000 * DAY)?;
        let base = table.local_day(ended);
        let due_on = Day::of(
            base.civil()
                .checked_add_months(Months::new(rule.after_months))
                .unwrap_or_else(|| base.civil()),
        ) + i64::from(rule.after_days);
        let due_at = table.resolve(due_on.start());
        let overdue_at = table.resolve((due_on + 1 + i64::from(rule.grace_days)).start());
        let done = visit.and_then(|v| v.follow_ups.iter().find(|d| d.rule == rule.id));
        let for_it = booked
            .iter()
            .find(|(o, r, _)| *o == &*b.id && *r == rule.id)
            .map(|(_, _, x)| *x);
        let state = match (done, for_it) {
            (Some(_), _) => DueState::Done,
            (None, Some(x)) if x.status == Status::Completed || x.end <= now => DueState::Done,
            (None, Some(_)) => DueState::Booked,
            (None, None) if now >= overdue_at => DueState::Overdue,
            (None, None) if now >= due_at => DueState::Due,
            (None, None) => DueState::Upcoming,
        };
        Ok(FollowUp {
            booking: b,
            rule,
            due_on,
            due_at,
            overdue_at,
            state,
            booked: for_it,
            done,
            zone: zone.to_string(),
        })
    }

    /// Closes a follow-up of a visit by hand, with a note, and the client's answer if the call
    /// asked for it.
    pub fn close_follow_up(&mut self, id: &str, c: CloseFollowUp, now: Instant) -> Result<Booking> {
        let old = self.writable(id, c.expected_revision)?;
        if !self.follow_up_rules(old).iter().any(|r| r.id == c.rule) {
            return Err(Error::with_ids(
                Code::UnknownId,
                format!(
                    "booking `{}` has no follow-up `{}` (only completed visits have follow-ups)",
                    clip(id),
                    clip(&c.rule)
                ),
                vec![id.to_string(), c.rule],
            ));
        }
        let mut visit = old.visit().cloned().unwrap_or_default();
        if visit.follow_ups.iter().any(|d| d.rule == c.rule) {
            return Err(Error::with_ids(
                Code::InvalidTransition,
                format!(
                    "follow-up `{}` of booking `{}` is already done",
                    clip(&c.rule),
                    clip(id)
                ),
                vec![id.to_string(), c.rule],
            ));
        }
        let at = self.hold_clock(now);
        if let Some(s) = &c.satisfaction {
            visit.satisfaction = Some(Satisfaction {
                at: Some(at),
                ..s.clone()
            });
        }
        visit.follow_ups.push(FollowUpDone {
            rule: c.rule.clone(),
            at,
            note: c.note,
        });
        visit.check()?;
        let mut new = old.clone();
        new.set_rare(|r| r.visit = Some(visit));
        let old = old.clone();
        Ok(self.commit(old, new, "follow_up_done", Some(c.rule), now))
    }
}

impl ToJson for FollowUp<'_> {
    fn write(&self, w: &mut Writer) {
        let b = self.booking;
        w.begin_obj();
        w.field("id", &format!("{}/{}", b.id, self.rule.id));
        w.field("bookingId", &*b.id);
        w.field("rule", &self.rule.id);
        w.field("kind", &self.rule.kind);
        w.field("label", &self.rule.label);
        w.field(
            "serviceId",
            self.rule.service_id.as_deref().unwrap_or(&b.service_id),
        );
        w.field("clientIds", &b.client_ids);
        w.field("providerId", &*b.provider_id);
        w.field("dueOn", &self.due_on);
        w.time("dueAt", self.due_at);
        w.time("overdueAt", self.overdue_at);
        w.field("timeZone", &self.zone);
        w.field("state", &self.state);
        if let Some(x) = self.booked {
            w.field("bookedId", &*x.id);
        }
        if let Some(d) = self.done {
            w.field("done", d);
        }
        // What to hand `availability`, `alternatives` or `book` (with a start) to book it.
        if self.rule.kind == FollowUpKind::Visit && self.booked.is_none() && self.done.is_none() {
            w.key("request");
            w.begin_obj();
            w.field(
                "serviceId",
                self.rule.service_id.as_deref().unwrap_or(&b.service_id),
            );
            w.field("clientIds", &b.client_ids);
            w.field("providerId", &*b.provider_id);
            w.field("returnOf", &*b.id);
            w.field("followUpRule", &self.rule.id);
            w.opt("location", &b.location().cloned());
            w.end_obj();
        }
        w.end_obj();
    }
}
