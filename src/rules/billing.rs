//! Time records for billing: entries made from a visit's actual times or given, changed while
//! drafts, locked once approved, and corrected only by a reversing entry and a new one.

use crate::base::error::{clip, Code, Error, Result};
use crate::model::billing::{Billing, EntryKind, TimeEntry, TimeEntryInput};
use crate::model::{check_id, check_text};
use crate::state::{Coordinator, Record};
use crate::time::Instant;

/// The most entries one approval names.
pub const MAX_APPROVE: usize = 10_000;

impl Coordinator {
    pub fn set_billing(&mut self, b: Billing) -> Result<Billing> {
        b.check()?;
        let before = Some(Record::Billing(self.billing.clone()));
        self.record(
            "billing",
            "billing",
            before,
            Some(Record::Billing(b.clone())),
        );
        self.billing = b.clone();
        Ok(b)
    }

    pub fn billing(&self) -> &Billing {
        &self.billing
    }

    pub fn time_entries(&self) -> impl Iterator<Item = &TimeEntry> {
        self.time_entries.values()
    }

    /// A new draft entry.
    pub fn add_time_entry(&mut self, input: TimeEntryInput, now: Instant) -> Result<TimeEntry> {
        let id = match &input.id {
            Some(id) => id.clone(),
            None => self.fresh_id("te"),
        };
        check_id("time entry", &id)?;
        if self.time_entries.contains_key(&id) {
            return Err(Error::with_ids(
                Code::DuplicateId,
                format!("a time entry with id `{}` already exists", clip(&id)),
                vec![id],
            ));
        }
        let e = self.entry_from(id, &input, None, now)?;
        self.claim(&e.id);
        self.record("timeEntry", &e.id, None, Some(Record::TimeEntry(e.clone())));
        self.put_entry(e.clone());
        Ok(e)
    }

    /// Changes a draft: the fields given replace the entry's.
    pub fn update_time_entry(
        &mut self,
        id: &str,
        input: TimeEntryInput,
        now: Instant,
    ) -> Result<TimeEntry> {
        let old = self.draft(id)?.clone();
        if input.id.as_deref().is_some_and(|x| x != id) {
            return Err(Error::input("a time entry's id cannot change"));
        }
        let e = self.entry_from(id.to_string(), &input, Some(&old), now)?;
        Ok(self.replace_entry(old, e))
    }

    /// Removes a draft.
    pub fn remove_time_entry(&mut self, id: &str) -> Result<()> {
        self.draft(id)?;
        if let Some(old) = self.time_entries.remove(id) {
            self.record("timeEntry", id, Some(Record::TimeEntry(old)), None);
        }
        Ok(())
    }

    /// Approves entries, all or none: each is then locked.
    pub fn approve_time_entries(&mut self, ids: &[String], now: Instant) -> Result<Vec<TimeEntry>> {
        crate::model::check_len("approve", ids.len(), MAX_APPROVE)?;
        for (i, id) in ids.iter().enumerate() {
            if !self.time_entries.contains_key(id) {
                return Err(Error::unknown("time entry", id));
            }
            if ids.iter().take(i).any(|x| x == id) {
                return Err(Error::with_ids(
                    Code::DuplicateId,
                    format!("time entry `{}` is named twice", clip(id)),
                    vec![id.clone()],
                ));
            }
        }
        let at = self.hold_clock(now);
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(old) = self.time_entries.get(id).cloned() else {
                continue;
            };
            if old.approved {
                out.push(old);
                continue;
            }
            let e = TimeEntry {
                approved: true,
                approved_at: Some(at),
                ..old.clone()
            };
            out.push(self.replace_entry(old, e));
        }
        Ok(out)
    }

    /// Corrects an approved entry: a reversing entry (approved, as it only undoes a locked one)
    /// and a new draft with `input`'s changes. Returns both, reversal first.
    pub fn correct_time_entry(
        &mut self,
        id: &str,
        input: TimeEntryInput,
        now: Instant,
    ) -> Result<[TimeEntry; 2]> {
        let old = self
            .time_entries
            .get(id)
            .ok_or_else(|| Error::unknown("time entry", id))?
            .clone();
        if !old.approved {
            return Err(Error::with_ids(
                Code::InvalidTransition,
                format!("time entry `{}` is a draft: change it instead", clip(id)),
                vec![id.to_string()],
            ));
        }
        if old.reverses.is_some() {
            return Err(Error::with_ids(
                Code::InvalidTransition,
                format!(
                    "time entry `{}` is a reversal: it is not corrected",
                    clip(id)
                ),
                vec![id.to_string()],
            ));
        }
        if let Some(r) = self
            .time_entries
            .values()
            .find(|e| e.reverses.as_deref() == Some(id))
        {
            return Err(Error::with_ids(
                Code::InvalidTransition,
                format!(
                    "time entry `{}` was already reversed by `{}`",
                    clip(id),
                    clip(&r.id)
                ),
                vec![id.to_string(), r.id.clone()],
            ));
        }
        if input.id.is_some() {
            return Err(Error::input("a correction's new entry gets a new id"));
        }
        let at = self.hold_clock(now);
        // Two fresh ids: no stored id of the generated form is at or past `next_id`.
        let reversal_id = self.fresh_id("te");
        let fresh_id = format!("te-{}", self.next_id + 1);
        let mut fresh = self.entry_from(fresh_id, &input, Some(&old), now)?;
        fresh.created_at = at;
        let reversal = TimeEntry {
            id: reversal_id,
            reverses: Some(id.to_string()),
            approved: true,
            approved_at: Some(at),
            created_at: at,
            note: Some(format!("reverses {id}")),
            ..old
        };
        self.claim(&reversal.id);
        self.claim(&fresh.id);
        self.record(
            "timeEntry",
            &reversal.id,
            None,
            Some(Record::TimeEntry(reversal.clone())),
        );
        self.put_entry(reversal.clone());
        self.record(
            "timeEntry",
            &fresh.id,
            None,
            Some(Record::TimeEntry(fresh.clone())),
        );
        self.put_entry(fresh.clone());
        Ok([reversal, fresh])
    }

    /// Stores `new` in `old`'s place, with its change.
    fn replace_entry(&mut self, old: TimeEntry, new: TimeEntry) -> TimeEntry {
        let id = new.id.clone();
        self.record(
            "timeEntry",
            &id,
            Some(Record::TimeEntry(old)),
            Some(Record::TimeEntry(new.clone())),
        );
        self.put_entry(new.clone());
        new
    }

    fn draft(&self, id: &str) -> Result<&TimeEntry> {
        let e = self
            .time_entries
            .get(id)
            .ok_or_else(|| Error::unknown("time entry", id))?;
        if e.approved {
            return Err(Error::with_ids(
                Code::Locked,
                format!(
                    "time entry `{}` is approved: correct it with a reversing entry",
                    clip(id)
                ),
                vec![id.to_string()],
            ));
        }
        Ok(e)
    }

    /// An entry from `input`, over `base` (a draft being changed, or the entry corrected).
    fn entry_from(
        &self,
        id: String,
        input: &TimeEntryInput,
        base: Option<&TimeEntry>,
        now: Instant,
    ) -> Result<TimeEntry> {
        let zone = input.time_zone.as_deref().unwrap_or(&self.time_zone);
        self.zones.validate(zone)?;
        let booking_id = input
            .booking_id
            .clone()
            .or_else(|| base.and_then(|b| b.booking_id.clone()));
        let booking = booking_id
            .as_deref()
            .map(|b| {
                self.bookings
                    .get(b)
                    .ok_or_else(|| Error::unknown("booking", b))
            })
            .transpose()?;
        let provider_id = input
            .provider_id
            .clone()
            .or_else(|| base.map(|b| b.provider_id.to_string()))
            .or_else(|| booking.map(|b| b.provider_id.to_string()))
            .ok_or_else(|| Error::input("a time entry names a providerId or a bookingId"))?;
        if self.provider_any(&provider_id).is_none() {
            return Err(Error::unknown("provider", &provider_id));
        }
        let kind = input.kind;
        let visit = booking.and_then(|b| b.visit());
        let from_visit = match kind {
            EntryKind::OnSite => (
                visit.and_then(|v| v.actual_start),
                visit.and_then(|v| v.actual_end),
            ),
            EntryKind::Travel => (
                visit.and_then(|v| v.departed_at),
                visit.and_then(|v| v.actual_start),
            ),
            EntryKind::Admin => (None, None),
        };
        let time =
            |given: Option<crate::time::When>, old: Option<Instant>, visit: Option<Instant>| {
                given
                    .map(|w| self.zones.instant(zone, w))
                    .transpose()
                    .map(|t| t.or(old).or(visit))
            };
        let start = time(input.start, base.map(|b| b.start), from_visit.0)?;
        let end = time(input.end, base.map(|b| b.end), from_visit.1)?;
        let (Some(start), Some(end)) = (start, end) else {
            return Err(Error::input(format!(
                "time entry: give start and end{}",
                if booking.is_some() {
                    " (the visit has no actual times for this kind of entry yet)"
                } else {
                    ""
                }
            )));
        };
        if start > now || end > now {
            return Err(Error::new(
                Code::InvalidTime,
                "a time entry records time worked: it cannot end in the future",
            ));
        }
        let rate_minor = match (input.rate_minor, base) {
            (Some(r), _) => r,
            (None, Some(b)) => b.rate_minor,
            (None, None) => booking
                .and_then(|b| self.service_any(&b.service_id))
                .and_then(|s| s.rate_minor)
                .or_else(|| self.provider_any(&provider_id).and_then(|p| p.rate_minor))
                .unwrap_or(0),
        };
        if let Some(n) = &input.note {
            check_text("time entry note", n)?;
        }
        let e = TimeEntry {
            id,
            booking_id,
            provider_id: provider_id.into(),
            kind,
            start,
            end,
            billable: input
                .billable
                .or(base.map(|b| b.billable))
                .unwrap_or_else(|| self.billing.billable_by_default(kind)),
            rate_minor,
            approved: false,
            approved_at: None,
            reverses: None,
            note: input
                .note
                .clone()
                .or_else(|| base.and_then(|b| b.note.clone())),
            created_at: base.map_or(self.hold_clock(now), |b| b.created_at),
        };
        e.check()?;
        Ok(e)
    }

    /// A snapshot's entry, checked on its own and against what it names.
    pub(crate) fn restore_time_entry(&mut self, e: TimeEntry) -> Result<()> {
        e.check()?;
        if self.time_entries.contains_key(&e.id) {
            return Err(Error::with_ids(
                Code::DuplicateId,
                format!("snapshot: time entry `{}` appears twice", clip(&e.id)),
                vec![e.id.clone()],
            ));
        }
        if let Some(b) = &e.booking_id {
            if !self.bookings.contains_key(b) {
                return Err(Error::unknown("booking", b));
            }
        }
        if self.provider_any(&e.provider_id).is_none() {
            return Err(Error::unknown("provider", &e.provider_id));
        }
        self.put_entry(e);
        Ok(())
    }

    /// Each reversal reverses an approved entry that is not itself a reversal, once, and is
    /// approved: what `correct_time_entry` makes.
    pub(crate) fn check_reversals(&self) -> Result<()> {
        let mut reversed: std::collections::HashMap<&str, u32> = Default::default();
        for r in self
            .time_entries
            .values()
            .filter_map(|e| e.reverses.as_deref())
        {
            *reversed.entry(r).or_default() += 1;
        }
        for e in self.time_entries.values() {
            let Some(r) = &e.reverses else { continue };
            let ok = e.approved
                && self
                    .time_entries
                    .get(r)
                    .is_some_and(|o| o.approved && o.reverses.is_none())
                && reversed.get(r.as_str()) == Some(&1);
            if !ok {
                return Err(Error::with_ids(
                    Code::InvalidInput,
                    format!(
                        "snapshot: time entry `{}` reverses `{}`, which no correction made so",
                        clip(&e.id),
                        clip(r)
                    ),
                    vec![e.id.clone()],
                ));
            }
        }
        Ok(())
    }
}
