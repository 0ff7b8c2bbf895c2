//! Loading a CRM's existing appointments as they are (`importBookings`): past and completed
//! ones without the rules a client booking meets (notice, horizon, working hours), statuses as
//! recorded, ids kept. What the data says happened is not refused: a clash with another booking
//! (the same technician twice at once, a session over its seats, a van used twice) is kept,
//! marked on the booking (`importClashes`) and listed in the answer for the coordinator to sort
//! out. What cannot be a booking at all (an unknown provider, an end before its start, an id
//! taken) refuses the whole import, every such record named; nothing is loaded then.

use crate::base::error::{clip, Code, Error, Result, Violation};
use crate::json::{record, ToJson, Writer};
use crate::model::*;
use crate::state::{Coordinator, Record};
use crate::time::{Instant, When, MINUTE};

/// At most this many records are imported in one call (a larger import is refused, never cut:
/// send it in runs).
pub const MAX_IMPORT: usize = 5_000;

record! {
    /// One appointment as a CRM holds it.
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct ImportRecord {
        id: String = "id" req,
        service_id: String = "serviceId" req,
        provider_id: String = "providerId" req,
        client_ids: Vec<String> = "clientIds" list,
        resources: Vec<ResourceUse> = "resources" list,
        start: When = "start" req,
        /// Default: the start plus the service's duration.
        end: Option<When> = "end" opt,
        /// The zone of wall times in `start` and `end` (default: the coordinator's).
        time_zone: Option<String> = "timeZone" opt,
        status: Status = "status" (or Status::Confirmed),
        cancelled_by: Option<Party> = "cancelledBy" opt,
        notes: Option<String> = "notes" opt,
        /// When the CRM took the booking (default: the import).
        created_at: Option<When> = "createdAt" opt,
        location: Option<Location> = "location" opt,
    }
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub imported: usize,
    /// Each booking imported over others, with the ids it clashes with.
    pub clashes: Vec<(String, Vec<String>)>,
}

impl ToJson for Imported {
    fn write(&self, w: &mut Writer) {
        w.begin_obj();
        w.field("imported", &(self.imported as u64));
        w.key("clashes");
        w.begin_arr();
        for (id, with) in &self.clashes {
            w.begin_obj();
            w.field("id", id);
            w.field("with", with);
            w.end_obj();
        }
        w.end_arr();
        w.end_obj();
    }
}

impl Coordinator {
    /// Loads `records` as they are, all or nothing (see the module doc).
    pub fn import_bookings(
        &mut self,
        records: Vec<ImportRecord>,
        now: Instant,
    ) -> Result<Imported> {
        if records.len() > MAX_IMPORT {
            return Err(Error::new(
                Code::TooLarge,
                format!(
                    "importBookings takes at most {MAX_IMPORT} records a call ({} given): send them in runs",
                    records.len()
                ),
            ));
        }
        let mut refused = Vec::new();
        let mut bookings = Vec::with_capacity(records.len());
        for (i, r) in records.into_iter().enumerate() {
            let id = r.id.clone();
            match self.import_one(r, now) {
                Ok(b) => bookings.push(b),
                Err(e) => refused.push(Violation::new(
                    e.code,
                    format!("record {i} (`{}`): {}", clip(&id), e.message),
                    vec![id],
                )),
            }
        }
        for (i, b) in bookings.iter().enumerate() {
            if bookings.iter().take(i).any(|o| o.id == b.id) {
                refused.push(Violation::new(
                    Code::DuplicateId,
                    format!("booking `{}` is in the import twice", clip(&b.id)),
                    vec![b.id.to_string()],
                ));
            }
        }
        if !refused.is_empty() {
            return Err(Error::from_violations(refused));
        }
        let mut clashes = Vec::new();
        let imported = bookings.len();
        for mut b in bookings {
            let with = self.clashes_of(&b);
            if !with.is_empty() {
                b.set_rare(|r| r.import_clashes = Some(with.clone()));
                clashes.push((b.id.to_string(), with));
            }
            self.claim(&b.id);
            let id = b.id.to_string();
            self.store(b.clone());
            self.record("booking", &id, None, Some(Record::Booking(b)));
        }
        Ok(Imported { imported, clashes })
    }

    /// One record as a booking, checked as a snapshot's booking is (nothing stored yet).
    fn import_one(&self, r: ImportRecord, now: Instant) -> Result<Booking> {
        check_id("booking", &r.id)?;
        if self.bookings.contains_key(&r.id) {
            return Err(Error::with_ids(
                Code::DuplicateId,
                format!("there is already a booking `{}`", clip(&r.id)),
                vec![r.id.clone()],
            ));
        }
        if r.status == Status::Held {
            return Err(Error::input(
                "a hold is not imported (it would never lapse): import it as confirmed or leave it out",
            ));
        }
        if r.cancelled_by.is_some() && !r.status.is_cancelled() {
            return Err(Error::input("says who cancelled it but is not cancelled"));
        }
        let service = self
            .service_any(&r.service_id)
            .ok_or_else(|| Error::unknown("service", &r.service_id))?;
        if self.provider_any(&r.provider_id).is_none() {
            return Err(Error::unknown("provider", &r.provider_id));
        }
        for c in &r.client_ids {
            if self.client(c).is_none() && self.archive.client(c).is_none() {
                return Err(Error::unknown("client", c));
            }
        }
        let zone = r
            .time_zone
            .as_deref()
            .unwrap_or(&self.time_zone)
            .to_string();
        let start = self.zones.instant(&zone, r.start)?;
        let end = match r.end {
            Some(e) => self.zones.instant(&zone, e)?,
            None => start + i64::from(service.duration_minutes) * MINUTE,
        };
        if end <= start {
            return Err(Error::new(Code::EndBeforeStart, "ends before it starts"));
        }
        let created = match r.created_at {
            Some(t) => self.zones.instant(&zone, t)?,
            None => now,
        };
        let mut b = Booking::draft(
            r.id,
            service,
            r.client_ids,
            r.provider_id,
            start,
            end,
            0,
            created,
        );
        b.updated_at = now.max(created);
        b.resources = r.resources;
        b.status = r.status;
        b.history = vec![HistoryEntry {
            revision: 1,
            at: b.updated_at,
            action: "imported".into(),
            status: b.status,
            provider_id: b.provider_id.clone(),
            start,
            end,
            reason: None,
        }];
        if let Some(n) = &r.notes {
            check_text("notes", n)?;
        }
        if let Some(l) = &r.location {
            l.check("location")?;
        }
        b.set_rare(|x| {
            x.notes = r.notes;
            x.cancelled_by = r.cancelled_by;
            x.location = r.location;
        });
        self.check_booking_record(&b)?;
        Ok(b)
    }

    /// The bookings holding time that `b` would share its provider or a resource with, beyond
    /// what a session's seats or a resource's quantity allow (its clashes in the data).
    fn clashes_of(&self, b: &Booking) -> Vec<String> {
        if !b.status.blocks_time() {
            return Vec::new();
        }
        let iv = b.blocked();
        let mut with: Vec<String> = self
            .provider_bookings(&b.provider_id, iv, Instant::MIN)
            .filter(|o| o.status.blocks_time() && !same_session(o, b))
            .map(|o| o.id.to_string())
            .collect();
        let session: Vec<&Booking> = self
            .provider_bookings(&b.provider_id, iv, Instant::MIN)
            .filter(|o| same_session(o, b) && o.status.blocks_time())
            .collect();
        let taken: u32 = session.iter().map(|o| o.seats_taken()).sum();
        if b.session_seats > 1 && taken + b.seats_taken() > b.session_seats {
            with.extend(session.iter().map(|o| o.id.to_string()));
        }
        for u in &b.resources {
            let quantity = self.resource_quantity(&u.resource_id).unwrap_or(0);
            let users: Vec<&Booking> = self
                .resource_bookings(&u.resource_id, iv, Instant::MIN)
                .filter(|o| o.status.blocks_time())
                .collect();
            let used: u32 = users
                .iter()
                .flat_map(|o| o.resources.iter())
                .filter(|x| x.resource_id == u.resource_id)
                .map(|x| x.quantity)
                .sum();
            if used + u.quantity > quantity {
                with.extend(users.iter().map(|o| o.id.to_string()));
            }
        }
        with.sort();
        with.dedup();
        with
    }
}
