//! A CRM plugin loads the company's existing appointments: last month's jobs (done, missed,
//! cancelled), a booking made yesterday for this afternoon, and two jobs the old system let
//! overlap. Nothing the data says is refused or dropped; what cannot be a booking refuses all.

use super::*;
use service_coordinator::rules::import::ImportRecord;

fn record(value: serde_json::Value) -> ImportRecord {
    from(value)
}

#[test]
fn last_months_jobs_load_as_they_were_recorded() {
    let mut c = company();
    let now = monday_morning();
    let done = c
        .import_bookings(
            vec![
                record(json!({ "id": "crm-101", "serviceId": "ac-check", "providerId": "ana", "clientIds": ["c-1"],
                    "start": "2026-10-20T09:00:00", "status": "completed", "createdAt": "2026-10-01T10:00:00" })),
                record(json!({ "id": "crm-102", "serviceId": "drain", "providerId": "ben", "clientIds": ["c-2"],
                    "start": "2026-10-21T14:00:00", "end": "2026-10-21T15:30:00", "status": "no_show" })),
                record(json!({ "id": "crm-103", "serviceId": "drain", "providerId": "ben", "clientIds": ["c-1"],
                    "start": "2026-10-22T10:00:00", "status": "late_cancelled", "cancelledBy": "client" })),
                // On a Sunday, outside every working hour, and in the past: as it happened.
                record(json!({ "id": "crm-104", "serviceId": "ac-check", "providerId": "ana", "clientIds": ["c-3"],
                    "start": "2026-10-25T07:00:00", "status": "completed" })),
                // This afternoon, 6 hours' notice where the service asks for more: booked then.
                record(json!({ "id": "crm-105", "serviceId": "ac-check", "providerId": "ana", "clientIds": ["c-1"],
                    "start": "2026-11-23T13:00:00", "createdAt": "2026-11-22T16:00:00" })),
            ],
            now,
        )
        .unwrap();
    assert_eq!(done.imported, 5);
    assert!(done.clashes.is_empty());
    let b = c.booking("crm-102").unwrap();
    assert_eq!(b.status, Status::NoShow);
    assert_eq!(b.end - b.start, 90 * 60);
    assert_eq!(b.history[0].action.to_string(), "imported");
    assert_eq!(
        c.booking("crm-103").unwrap().cancelled_by(),
        Some(Party::Client)
    );
    assert_eq!(
        c.booking("crm-101").unwrap().created_at,
        at("2026-10-01T14:00:00Z")
    );
    // The afternoon visit holds Ana's time like any booking.
    let clash = c
        .book(request("ac-check", Some("ana"), "2026-11-23T13:30:00"), now)
        .unwrap_err();
    assert_eq!(clash.code, Code::Overlap);
    // Ids of the CRM's own form are kept; the engine's next ids do not collide with them.
    let next = c
        .book(request("ac-check", Some("ana"), "2026-11-24T09:00:00"), now)
        .unwrap();
    assert!(!next.id.starts_with("crm-"));
    let text = c.snapshot();
    assert_eq!(
        Coordinator::restore(native_zones(), &text)
            .unwrap()
            .snapshot(),
        text
    );
}

#[test]
fn two_jobs_the_old_system_let_overlap_are_kept_and_listed() {
    let mut c = company();
    let now = monday_morning();
    let done = c
        .import_bookings(
            vec![
                record(json!({ "id": "crm-201", "serviceId": "ac-check", "providerId": "ana", "clientIds": ["c-1"],
                    "start": "2026-11-25T09:00:00" })),
                record(json!({ "id": "crm-202", "serviceId": "ac-check", "providerId": "ana", "clientIds": ["c-2"],
                    "start": "2026-11-25T09:30:00" })),
                // A cancelled one at the same time clashes with nothing.
                record(json!({ "id": "crm-203", "serviceId": "ac-check", "providerId": "ana", "clientIds": ["c-3"],
                    "start": "2026-11-25T09:00:00", "status": "cancelled" })),
            ],
            now,
        )
        .unwrap();
    assert_eq!(done.imported, 3);
    assert_eq!(
        done.clashes,
        vec![("crm-202".to_string(), vec!["crm-201".to_string()])]
    );
    assert_eq!(c.booking("crm-202").unwrap().import_clashes(), ["crm-201"]);
    assert!(c.booking("crm-201").unwrap().import_clashes().is_empty());
    // The state restores with the clash in it, marked, and still refuses new overlaps.
    let text = c.snapshot();
    assert!(text.contains("\"importClashes\":[\"crm-201\"]"));
    let mut restored = Coordinator::restore(native_zones(), &text).unwrap();
    assert_eq!(restored.snapshot(), text);
    let refused = restored
        .book(request("ac-check", Some("ana"), "2026-11-25T10:00:00"), now)
        .unwrap_err();
    assert_eq!(refused.code, Code::Overlap);
    // The coordinator sorts it out by moving one; the rules apply to the move.
    let moved = restored
        .reschedule(
            "crm-202",
            Reschedule {
                start: Some(when("2026-11-25T13:00:00")),
                ..Default::default()
            },
            now,
        )
        .unwrap();
    assert_eq!(moved.start, at("2026-11-25T18:00:00Z"));
}

#[test]
fn a_record_that_cannot_be_a_booking_refuses_the_import_and_names_every_one() {
    let mut c = company();
    let now = monday_morning();
    let before = c.snapshot();
    let refused = c
        .import_bookings(
            vec![
                record(json!({ "id": "crm-301", "serviceId": "ac-check", "providerId": "ana", "clientIds": ["c-1"],
                    "start": "2026-11-25T09:00:00" })),
                record(json!({ "id": "crm-302", "serviceId": "ac-check", "providerId": "nobody", "clientIds": ["c-1"],
                    "start": "2026-11-25T11:00:00" })),
                record(json!({ "id": "crm-303", "serviceId": "ac-check", "providerId": "ana", "clientIds": ["c-1"],
                    "start": "2026-11-25T11:00:00", "end": "2026-11-25T10:00:00" })),
                record(json!({ "id": "crm-304", "serviceId": "ac-check", "providerId": "ana", "clientIds": ["c-1"],
                    "start": "2026-11-25T12:00:00", "status": "held" })),
                record(json!({ "id": "crm-301", "serviceId": "ac-check", "providerId": "ana", "clientIds": ["c-1"],
                    "start": "2026-11-26T09:00:00" })),
            ],
            now,
        )
        .unwrap_err();
    let named: Vec<(Code, &str)> = refused
        .details
        .iter()
        .map(|v| (v.code, v.ids[0].as_str()))
        .collect();
    assert_eq!(
        named,
        vec![
            (Code::UnknownId, "crm-302"),
            (Code::EndBeforeStart, "crm-303"),
            (Code::InvalidInput, "crm-304"),
            (Code::DuplicateId, "crm-301"),
        ]
    );
    assert!(refused.details[0]
        .message
        .starts_with("record 1 (`crm-302`)"));
    assert_eq!(c.snapshot(), before, "nothing was loaded");
}
