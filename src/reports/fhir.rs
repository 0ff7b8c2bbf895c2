//! FHIR R4 for healthcare plugins: the period's bookings as `Appointment`s, the visits that took
//! place as `Encounter`s, providers' `Schedule`s with busy (and, for a service, free) `Slot`s,
//! and waitlist entries as `Appointment`s with status `waitlist`, in one `Bundle` of type
//! `collection`. Clients are `Patient/<id>`, providers `Practitioner/<id>`. A hold that has
//! lapsed is no one's appointment and is left out.
//!
//! Status mapping (README, "FHIR"):
//!
//! | engine | Appointment | Encounter | Slot |
//! | --- | --- | --- | --- |
//! | held | proposed | - | busy-tentative |
//! | tentative | pending | - | busy-tentative |
//! | confirmed | booked | - | busy |
//! | checked_in | checked-in | in-progress | busy |
//! | completed | fulfilled | finished | busy |
//! | cancelled, late_cancelled | cancelled (`cancelationReason` says when and who) | - | - |
//! | no_show, provider_no_show | noshow (`description` says who) | - | - |
//! | waitlist entry | waitlist | - | - |
//!
//! FHIR ids allow `[A-Za-z0-9.-]{1,64}`: an id that does not fit is written as `x` and a hash of
//! it, and every resource keeps the engine's id in `identifier`.

use crate::base::error::Result;
use crate::json::{record, Writer};
use crate::model::{Booking, Status};
use crate::state::Coordinator;
use crate::time::{Instant, Interval, When};

record! {
    /// Bookings starting in `[from, to)` (read in `timeZone`), of one provider or all; with a
    /// `serviceId`, that service's free slots in the period come too.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct FhirQuery {
        from: When = "from" req,
        to: When = "to" req,
        time_zone: Option<String> = "timeZone" opt,
        provider_id: Option<String> = "providerId" opt,
        service_id: Option<String> = "serviceId" opt,
    }
}

/// The identifier system of each kind of record.
const SYSTEM: &str = "urn:service-coordinator:";

pub fn appointment_status(s: Status) -> &'static str {
    match s {
        Status::Held => "proposed",
        Status::Tentative => "pending",
        Status::Confirmed => "booked",
        Status::CheckedIn => "checked-in",
        Status::Completed => "fulfilled",
        Status::Cancelled | Status::LateCancelled => "cancelled",
        Status::NoShow | Status::ProviderNoShow => "noshow",
    }
}

pub fn encounter_status(s: Status) -> Option<&'static str> {
    match s {
        Status::CheckedIn => Some("in-progress"),
        Status::Completed => Some("finished"),
        _ => None,
    }
}

/// An id FHIR accepts: the engine's if it fits, else `x` and its FNV-1a hash.
pub fn fhir_id(id: &str) -> String {
    let fits = (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if fits {
        return id.to_string();
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("x{h:016x}")
}

fn reference(w: &mut Writer, key: &str, kind: &str, id: &str, display: Option<&str>) {
    w.key(key);
    w.begin_obj();
    w.field("reference", &format!("{kind}/{}", fhir_id(id)));
    if let Some(d) = display {
        w.field("display", d);
    }
    w.end_obj();
}

fn identifier(w: &mut Writer, kind: &str, id: &str) {
    w.key("identifier");
    w.begin_arr();
    w.begin_obj();
    w.field("system", &format!("{SYSTEM}{kind}"));
    w.field("value", id);
    w.end_obj();
    w.end_arr();
}

fn period(w: &mut Writer, start: Instant, end: Option<Instant>) {
    w.key("period");
    w.begin_obj();
    w.time("start", start);
    if let Some(e) = end {
        w.time("end", e);
    }
    w.end_obj();
}

impl Coordinator {
    /// The period's bookings, encounters, schedules, slots and waitlist as a FHIR R4 Bundle.
    pub fn fhir(&self, q: &FhirQuery, now: Instant) -> Result<String> {
        let zone = q.time_zone.as_deref().unwrap_or(&self.time_zone);
        let range = self.report_period(zone, q.from, q.to)?;
        let free = match &q.service_id {
            Some(s) => Some(self.availability(
                &crate::model::AvailabilityQuery {
                    service_id: s.clone(),
                    from: When::utc(range.start),
                    to: When::utc(range.end),
                    provider_ids: q.provider_id.clone().map(|p| vec![p]),
                    ..Default::default()
                },
                now,
            )?),
            None => None,
        };
        let bookings: Vec<&Booking> = self
            .bookings
            .values()
            .filter(|b| {
                range.start <= b.start
                    && b.start < range.end
                    && b.until() > self.hold_clock(now)
                    && q.provider_id.as_ref().is_none_or(|p| *b.provider_id == **p)
            })
            .collect();
        let mut w = Writer::default();
        w.begin_obj();
        w.field("resourceType", "Bundle");
        w.field("type", "collection");
        w.time("timestamp", now);
        w.key("entry");
        w.begin_arr();
        for b in &bookings {
            self.fhir_appointment(&mut w, b);
        }
        for b in bookings
            .iter()
            .filter(|b| encounter_status(b.status).is_some())
        {
            self.fhir_encounter(&mut w, b);
        }
        for p in self.providers() {
            if q.provider_id.as_ref().is_some_and(|x| *x != p.id) {
                continue;
            }
            entry(&mut w, |w| {
                w.field("resourceType", "Schedule");
                w.field("id", &fhir_id(&p.id));
                identifier(w, "provider", &p.id);
                w.field("active", &true);
                w.key("actor");
                w.begin_arr();
                w.begin_obj();
                w.field("reference", &format!("Practitioner/{}", fhir_id(&p.id)));
                w.field("display", &p.name);
                w.end_obj();
                w.end_arr();
                w.key("planningHorizon");
                w.begin_obj();
                w.time("start", range.start);
                w.time("end", range.end);
                w.end_obj();
            });
        }
        for b in bookings.iter().filter(|b| b.status.blocks_time()) {
            let status = match b.status {
                Status::Held | Status::Tentative => "busy-tentative",
                _ => "busy",
            };
            slot(
                &mut w,
                &format!("busy-{}", b.id),
                &b.provider_id,
                status,
                Interval::new(b.start, b.end),
            );
        }
        if let Some(a) = &free {
            for s in &a.slots {
                for &i in &s.providers {
                    let Some(p) = a.provider_ids.get(i as usize) else {
                        continue;
                    };
                    let id = format!("free-{p}-{}", s.start.secs());
                    slot(&mut w, &id, p, "free", Interval::new(s.start, s.end));
                }
            }
        }
        for e in self.waitlist.values() {
            entry(&mut w, |w| {
                w.field("resourceType", "Appointment");
                w.field("id", &fhir_id(&e.id));
                identifier(w, "waitlist", &e.id);
                w.field("status", "waitlist");
                self.service_type(w, &e.service_id);
                w.key("requestedPeriod");
                w.begin_arr();
                for win in &e.windows {
                    w.begin_obj();
                    if let (Some(s), Some(t)) = (win.start.instant(), win.end.instant()) {
                        w.time("start", s);
                        w.time("end", t);
                    }
                    w.end_obj();
                }
                w.end_arr();
                w.key("participant");
                w.begin_arr();
                for c in &e.client_ids {
                    self.patient(w, c);
                }
                w.end_arr();
            });
        }
        w.end_arr();
        w.end_obj();
        Ok(w.out)
    }

    fn service_type(&self, w: &mut Writer, service: &str) {
        w.key("serviceType");
        w.begin_arr();
        w.begin_obj();
        w.key("coding");
        w.begin_arr();
        w.begin_obj();
        w.field("system", &format!("{SYSTEM}service"));
        w.field("code", service);
        w.end_obj();
        w.end_arr();
        w.field(
            "text",
            self.service_any(service)
                .map_or(service, |s| s.name.as_str()),
        );
        w.end_obj();
        w.end_arr();
    }

    fn patient(&self, w: &mut Writer, client: &str) {
        w.begin_obj();
        let name = self
            .client(client)
            .or_else(|| self.archive.client(client))
            .map(|c| c.name.as_str());
        reference(w, "actor", "Patient", client, name);
        w.field("status", "accepted");
        w.end_obj();
    }

    fn fhir_appointment(&self, w: &mut Writer, b: &Booking) {
        entry(w, |w| {
            w.field("resourceType", "Appointment");
            w.field("id", &fhir_id(&b.id));
            identifier(w, "booking", &b.id);
            w.field("status", appointment_status(b.status));
            if b.status.is_cancelled() {
                let who = b.cancelled_by().map_or("", |p| p.as_str());
                let text = match (b.status, who) {
                    (Status::LateCancelled, "") => "late cancellation".to_string(),
                    (Status::LateCancelled, w) => format!("late cancellation by {w}"),
                    (_, "") => "cancelled".to_string(),
                    (_, w) => format!("cancelled by {w}"),
                };
                w.key("cancelationReason");
                w.begin_obj();
                w.field("text", &text);
                w.end_obj();
            }
            match b.status {
                Status::NoShow => w.field("description", "The client did not attend."),
                Status::ProviderNoShow => w.field("description", "The provider did not attend."),
                _ => {}
            }
            self.service_type(w, &b.service_id);
            if b.priority > 0 {
                w.field("priority", &b.priority);
            }
            w.time("start", b.start);
            w.time("end", b.end);
            w.field("minutesDuration", &((b.end - b.start) / 60));
            w.time("created", b.created_at);
            if let Some(n) = b.notes() {
                w.field("comment", n);
            }
            if let Some(o) = b.return_of() {
                reference(w, "basedOn", "Appointment", o, None);
            }
            w.key("participant");
            w.begin_arr();
            for c in &b.client_ids {
                self.patient(w, c);
            }
            w.begin_obj();
            let name = self.provider_any(&b.provider_id).map(|p| p.name.as_str());
            reference(w, "actor", "Practitioner", &b.provider_id, name);
            w.field("status", "accepted");
            w.end_obj();
            w.end_arr();
        });
    }

    fn fhir_encounter(&self, w: &mut Writer, b: &Booking) {
        let Some(status) = encounter_status(b.status) else {
            return;
        };
        let on_site = self.service_any(&b.service_id).is_some_and(|s| s.on_site);
        let v = b.visit();
        entry(w, |w| {
            w.field("resourceType", "Encounter");
            w.field("id", &fhir_id(&format!("enc-{}", b.id)));
            identifier(w, "visit", &b.id);
            w.field("status", status);
            w.key("class");
            w.begin_obj();
            w.field("system", "http://terminology.hl7.org/CodeSystem/v3-ActCode");
            let (code, display) = if on_site {
                ("HH", "home health")
            } else {
                ("AMB", "ambulatory")
            };
            w.field("code", code);
            w.field("display", display);
            w.end_obj();
            self.service_type_single(w, &b.service_id);
            if let Some(c) = b.client_ids.first() {
                let name = self.client(c).map(|x| x.name.as_str());
                reference(w, "subject", "Patient", c, name);
            }
            w.key("participant");
            w.begin_arr();
            w.begin_obj();
            let name = self.provider_any(&b.provider_id).map(|p| p.name.as_str());
            reference(w, "individual", "Practitioner", &b.provider_id, name);
            w.end_obj();
            w.end_arr();
            w.key("appointment");
            w.begin_arr();
            w.begin_obj();
            w.field("reference", &format!("Appointment/{}", fhir_id(&b.id)));
            w.end_obj();
            w.end_arr();
            let start = v.and_then(|v| v.actual_start).unwrap_or(b.start);
            let end = match b.status {
                Status::Completed => v.and_then(|v| v.actual_end).or(Some(b.end)),
                _ => None,
            };
            period(w, start, end);
        });
    }

    fn service_type_single(&self, w: &mut Writer, service: &str) {
        w.key("serviceType");
        w.begin_obj();
        w.field(
            "text",
            self.service_any(service)
                .map_or(service, |s| s.name.as_str()),
        );
        w.end_obj();
    }
}

fn entry(w: &mut Writer, resource: impl FnOnce(&mut Writer)) {
    w.begin_obj();
    w.key("resource");
    w.begin_obj();
    resource(w);
    w.end_obj();
    w.end_obj();
}

fn slot(w: &mut Writer, id: &str, provider: &str, status: &str, iv: Interval) {
    entry(w, |w| {
        w.field("resourceType", "Slot");
        w.field("id", &fhir_id(id));
        reference(w, "schedule", "Schedule", provider, None);
        w.field("status", status);
        w.time("start", iv.start);
        w.time("end", iv.end);
    });
}
