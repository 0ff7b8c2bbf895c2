//! Scenarios: after the visit: what happened (never guessed), the service's protocol, follow-ups
//! and recalls, time records for billing.

use super::*;
use service_coordinator::model::billing::{Billing, TimeEntryInput};
use service_coordinator::planning::followups::{DueState, FollowUpQuery};
use service_coordinator::time::{Day, When};

/// The company with an annual boiler service that has a protocol: completing it needs an
/// outcome, both checklist items and the client's signature. A satisfaction call falls due two
/// days after, a maintenance visit six months after.
fn with_annual_service() -> Coordinator {
    let mut c = company();
    c.upsert_service(from(json!({
        "id": "annual-boiler", "name": "Annual boiler service", "durationMinutes": 60,
        "requiredSkills": ["hvac"], "rateMinor": 9000, "priceMinor": 4900,
        "checklist": [
            { "id": "flue", "label": "Flue gas analysed" },
            { "id": "pressure", "label": "Pressure checked" }
        ],
        "protocol": [{ "status": "completed", "requires": ["outcome", "checklist", "signature"] }],
        "followUps": [
            { "id": "satisfaction", "kind": "call", "label": "Satisfaction call", "afterDays": 2 },
            { "id": "maintenance", "kind": "visit", "label": "Six-month check", "afterMonths": 6,
              "serviceId": "ac-check", "graceDays": 14 }
        ]
    })))
    .unwrap();
    c.take_changes();
    c
}

fn book_at(c: &mut Coordinator, service: &str, provider: &str, start: &str) -> Booking {
    c.book(request(service, Some(provider), start), monday_morning())
        .unwrap()
}

fn opts(v: serde_json::Value) -> WriteOptions {
    from(v)
}

#[test]
fn completing_an_annual_boiler_service_needs_its_protocol_and_a_refusal_changes_nothing() {
    let mut c = with_annual_service();
    let b = book_at(&mut c, "annual-boiler", "ana", "2026-11-24T09:00");
    // Ana checks in at 09:05: the engine records the actual start then, not the booked 09:00.
    let checked_in = at("2026-11-24T14:05:00Z");
    let b = c
        .set_status(
            &b.id,
            Status::CheckedIn,
            WriteOptions::default(),
            checked_in,
        )
        .unwrap();
    assert_eq!(b.visit().unwrap().actual_start, Some(checked_in));
    c.take_changes();
    let before = c.snapshot();
    let done_at = at("2026-11-24T15:10:00Z");
    let partial = opts(json!({ "visit": { "outcome": "resolved", "checklist": ["flue"] } }));
    let err = c
        .set_status(&b.id, Status::Completed, partial, done_at)
        .unwrap_err();
    assert_eq!(err.code, Code::ProtocolIncomplete);
    let missing: Vec<&str> = err.details.iter().map(|d| d.ids[1].as_str()).collect();
    assert_eq!(missing, ["checklist:pressure", "signature"]);
    assert!(
        err.message.contains("“Pressure checked”"),
        "{}",
        err.message
    );
    assert!(err.message.contains("signature"), "{}", err.message);
    assert_eq!(c.snapshot(), before, "a refused completion changes nothing");
    assert!(c.take_changes().is_empty());

    let whole = opts(json!({ "visit": {
        "outcome": "resolved", "checklist": ["flue", "pressure"],
        "signature": { "path": "M10 40 C 20 10, 40 10, 50 40 S 80 70, 90 40", "signedBy": "Dana Smith" },
        "workNotes": "Replaced the ignition electrode.",
        "parts": [{ "item": "Ignition electrode", "quantity": 1, "unitPriceMinor": 2350 }]
    }}));
    let done = c
        .set_status(&b.id, Status::Completed, whole, done_at)
        .unwrap();
    let v = done.visit().unwrap();
    assert_eq!(
        (v.actual_start, v.actual_end),
        (Some(checked_in), Some(done_at))
    );
    assert_eq!(v.signature.as_ref().unwrap().signed_at, Some(done_at));
    assert_eq!(v.parts_minor(), 2350);
    // Both settings of the times are kept: the check-in, then the completion.
    assert_eq!(v.time_history.len(), 2);
    // The record stays editable, with history, but not below the protocol of its status.
    let err = c
        .update_visit(&b.id, from(json!({ "checklist": ["flue"] })), done_at + 60)
        .unwrap_err();
    assert_eq!(err.code, Code::ProtocolIncomplete);
    let fixed = c
        .update_visit(
            &b.id,
            from(json!({ "actualStart": "2026-11-24T09:02", "reason": "tablet was offline" })),
            done_at + 60,
        )
        .unwrap();
    let v = fixed.visit().unwrap();
    assert_eq!(v.actual_start, Some(at("2026-11-24T14:02:00Z")));
    assert_eq!(v.time_history.len(), 3);
    assert_eq!(
        v.time_history[2].reason.as_deref(),
        Some("tablet was offline")
    );
}

#[test]
fn a_visit_record_refuses_what_cannot_be_true() {
    let mut c = with_annual_service();
    let b = book_at(&mut c, "annual-boiler", "ana", "2026-11-24T09:00");
    let now = at("2026-11-24T16:00:00Z");
    let before = c.snapshot();
    for (update, code) in [
        (
            json!({ "actualStart": "2026-11-24T12:00" }),
            Code::InvalidTime,
        ), // in the future
        (
            json!({ "actualStart": "2026-11-24T10:00", "actualEnd": "2026-11-24T09:00" }),
            Code::EndBeforeStart,
        ),
        (json!({ "outcome": "not_done" }), Code::InvalidInput), // needs a reason
        (json!({ "checklist": ["roof"] }), Code::UnknownId),
        (
            json!({ "signature": { "path": "<script>alert(1)</script>" } }),
            Code::InvalidInput,
        ),
        (
            json!({ "parts": [{ "item": "Valve", "quantity": 0 }] }),
            Code::InvalidInput,
        ),
        (json!({ "satisfaction": { "csat": 6 } }), Code::InvalidInput),
        (json!({ "satisfaction": { "nps": 11 } }), Code::InvalidInput),
    ] {
        let err = c
            .update_visit(&b.id, from(update.clone()), now)
            .unwrap_err();
        assert_eq!(err.code, code, "{update}: {}", err.message);
        assert_eq!(c.snapshot(), before, "{update} changed the state");
    }
    let err = service_coordinator::state::parse_json::<VisitUpdate>(
        r#"{"outcome": "fixed"}"#,
        "updateVisit",
    )
    .unwrap_err();
    assert_eq!(err.code, Code::InvalidJson);
    assert!(
        err.message.contains("resolved, partially_resolved"),
        "{}",
        err.message
    );
}

#[test]
fn no_shows_of_either_side_and_late_cancellations_are_told_apart() {
    let mut c = with_annual_service();
    let a = book_at(&mut c, "drain", "ben", "2026-11-24T09:00");
    let b = book_at(&mut c, "drain", "ben", "2026-11-24T11:00");
    let after = at("2026-11-24T17:00:00Z");
    let a = c
        .set_status(&a.id, Status::NoShow, WriteOptions::default(), after)
        .unwrap();
    let b = c
        .set_status(
            &b.id,
            Status::ProviderNoShow,
            WriteOptions::default(),
            after,
        )
        .unwrap();
    assert_eq!(
        (a.status, b.status),
        (Status::NoShow, Status::ProviderNoShow)
    );
    // Neither holds the time any more.
    c.book(
        request("drain", Some("ben"), "2026-11-24T09:00"),
        monday_morning(),
    )
    .unwrap();

    // The default window is 24 hours: cancelled on Monday at noon for Wednesday is in time,
    // for Tuesday 10:00 it is late; both say who cancelled.
    let tue = book_at(&mut c, "ac-check", "ana", "2026-11-24T10:00");
    let wed = book_at(&mut c, "ac-check", "ana", "2026-11-25T10:00");
    let by = |who: &str| opts(json!({ "by": who, "reason": "changed plans" }));
    let noon = at("2026-11-23T17:00:00Z");
    let wed = c.cancel(&wed.id, by("client"), noon).unwrap();
    let tue = c.cancel(&tue.id, by("provider"), noon).unwrap();
    assert_eq!(
        (
            wed.status,
            wed.cancelled_by(),
            tue.status,
            tue.cancelled_by()
        ),
        (
            Status::Cancelled,
            Some(Party::Client),
            Status::LateCancelled,
            Some(Party::Provider)
        )
    );
    // A hold let go is never a late cancellation.
    let hold = c
        .hold(
            request("ac-check", Some("ana"), "2026-11-23T15:00"),
            10,
            monday_morning(),
        )
        .unwrap();
    let released = c
        .cancel(&hold.id, WriteOptions::default(), monday_morning())
        .unwrap();
    assert_eq!(released.status, Status::Cancelled);
    // `by` only goes with a cancellation.
    let d = book_at(&mut c, "drain", "ben", "2026-11-26T09:00");
    let err = c
        .set_status(
            &d.id,
            Status::CheckedIn,
            by("client"),
            at("2026-11-26T14:00:00Z"),
        )
        .unwrap_err();
    assert_eq!(err.code, Code::InvalidInput);
}

#[test]
fn a_past_visit_nobody_closed_is_unresolved_never_completed() {
    let mut c = with_annual_service();
    let a = book_at(&mut c, "drain", "ben", "2026-11-24T09:00");
    let b = book_at(&mut c, "drain", "ben", "2026-11-24T11:00");
    let _later = book_at(&mut c, "drain", "ben", "2026-11-24T15:00");
    let noon = at("2026-11-24T17:00:00Z");
    c.set_status(&b.id, Status::Completed, WriteOptions::default(), noon)
        .unwrap();
    let f = BookingFilter {
        unresolved: true,
        ..Default::default()
    };
    let ids: Vec<String> = c
        .bookings(&f, noon)
        .unwrap()
        .iter()
        .map(|b| b.id.to_string())
        .collect();
    assert_eq!(ids, [a.id.to_string()]);
    assert!(!c.booking(&b.id).unwrap().unresolved(noon));
    // Completing a visit that was never checked in leaves its actual times unknown.
    assert_eq!(c.booking(&b.id).unwrap().visit(), None);
}

#[test]
fn follow_ups_fall_due_go_overdue_and_close_by_call_or_by_booking() {
    let mut c = with_annual_service();
    let b = book_at(&mut c, "annual-boiler", "ana", "2026-11-24T09:00");
    let done_at = at("2026-11-24T15:00:00Z");
    let complete = |outcome: &str| {
        opts(
            json!({ "visit": { "outcome": outcome, "checklist": ["flue", "pressure"],
            "signature": { "path": "M0 0 L10 10" } } }),
        )
    };
    c.set_status(
        &b.id,
        Status::Completed,
        complete("needs_follow_up"),
        done_at,
    )
    .unwrap();
    let list = |c: &Coordinator, now: &str| -> Vec<(String, Day, DueState)> {
        let q = FollowUpQuery {
            states: Some(DueState::ALL.to_vec()),
            ..Default::default()
        };
        c.follow_ups(&q, at(now))
            .unwrap()
            .iter()
            .map(|f| (f.rule.id.clone(), f.due_on, f.state))
            .collect()
    };
    let wednesday = list(&c, "2026-11-25T14:00:00Z");
    assert_eq!(
        wednesday,
        [
            ("return".into(), date("2026-11-24"), DueState::Overdue),
            (
                "satisfaction".into(),
                date("2026-11-26"),
                DueState::Upcoming
            ),
            ("maintenance".into(), date("2027-05-24"), DueState::Upcoming),
        ]
    );
    // Thursday the call is due; Friday it is overdue (no grace days).
    assert_eq!(list(&c, "2026-11-26T14:00:00Z")[1].2, DueState::Due);
    assert_eq!(list(&c, "2026-11-27T14:00:00Z")[1].2, DueState::Overdue);
    // Calling, with the client's answer, closes it.
    let closed = c
        .close_follow_up(
            &b.id,
            from(json!({ "rule": "satisfaction", "note": "happy", "satisfaction": { "csat": 5, "nps": 9 } })),
            at("2026-11-26T15:00:00Z"),
        )
        .unwrap();
    assert_eq!(
        closed.visit().unwrap().satisfaction.as_ref().unwrap().nps,
        Some(9)
    );
    assert_eq!(
        c.close_follow_up(
            &b.id,
            from(json!({ "rule": "satisfaction" })),
            at("2026-11-26T15:00:00Z")
        )
        .unwrap_err()
        .code,
        Code::InvalidTransition
    );
    // Booking the return visit, linked to the original, makes it booked; cancelling reopens it.
    let mut back = request("annual-boiler", Some("ana"), "2026-11-27T09:00");
    back.return_of = Some(b.id.to_string());
    let ret = c.book(back, at("2026-11-26T15:00:00Z")).unwrap();
    assert_eq!(ret.follow_up_rule(), Some("return"));
    assert_eq!(list(&c, "2026-11-26T16:00:00Z")[0].2, DueState::Booked);
    c.cancel(&ret.id, WriteOptions::default(), at("2026-11-26T16:00:00Z"))
        .unwrap();
    assert_eq!(list(&c, "2026-11-26T16:00:00Z")[0].2, DueState::Overdue);
    // A rule the original's service lacks is refused.
    let mut wrong = request("annual-boiler", Some("ana"), "2026-11-30T09:00");
    wrong.return_of = Some(b.id.to_string());
    wrong.follow_up_rule = Some("yearly".into());
    assert_eq!(
        c.book(wrong, at("2026-11-26T16:00:00Z")).unwrap_err().code,
        Code::UnknownId
    );
}

#[test]
fn a_follow_up_offers_slots_through_availability_and_alternatives() {
    let mut c = with_annual_service();
    let b = book_at(&mut c, "annual-boiler", "ana", "2026-11-24T09:00");
    let opts = opts(
        json!({ "visit": { "outcome": "partially_resolved", "checklist": ["flue", "pressure"],
        "signature": { "path": "M0 0 L10 10" } } }),
    );
    c.set_status(&b.id, Status::Completed, opts, at("2026-11-24T15:00:00Z"))
        .unwrap();
    let now = at("2026-11-24T16:00:00Z");
    let due = c.follow_ups(&FollowUpQuery::default(), now).unwrap();
    let ret = due.iter().find(|f| f.rule.id == "return").unwrap();
    let listed: serde_json::Value =
        serde_json::from_str(&service_coordinator::json::to_string(ret)).unwrap();
    assert_eq!(
        listed["state"], "due",
        "due the day of the visit, overdue from the next"
    );
    // The listing carries the request to book it with: same service, client, technician, linked.
    let mut request = listed["request"].clone();
    assert_eq!(request["returnOf"], json!(b.id.to_string()));
    request["start"] = json!("2026-11-25T09:00");
    // Ana is busy then: alternatives come from availability, and each books as a return visit.
    c.book(
        from(json!({ "serviceId": "drain", "providerId": "ben", "clientIds": ["c-2"], "start": "2026-11-25T09:00" })),
        now,
    )
    .unwrap();
    let mut busy = self::request("ac-check", Some("ana"), "2026-11-25T09:00");
    busy.client_ids = vec!["c-3".into()];
    c.book(busy, now).unwrap();
    let q = service_coordinator::planning::alternatives::AlternativesQuery {
        request: from(request.clone()),
        limit: 3,
        preferred_provider_ids: vec![],
        window: None,
        search_days: 7,
    };
    let options = c.alternatives(&q, now).unwrap();
    assert_eq!(options.len(), 3);
    let first = &options[0];
    let mut req: BookingRequest = from(request);
    req.start = When::utc(first.start);
    req.provider_id = Some(first.provider_id.clone());
    let booked = c.book(req, now).unwrap();
    assert_eq!(booked.return_of(), Some(&*b.id));
    let after = c.follow_ups(&FollowUpQuery::default(), now).unwrap();
    assert!(
        after.iter().all(|f| f.rule.id != "return"),
        "booked: no longer open"
    );
}

#[test]
fn time_records_round_lock_on_approval_and_are_corrected_by_reversal() {
    let mut c = with_annual_service();
    c.set_billing(from(json!({ "currency": "USD",
        "rounding": { "unitMinutes": 15, "mode": "up", "minimumMinutes": 30, "per": "entry" } })))
        .unwrap();
    let b = book_at(&mut c, "annual-boiler", "ana", "2026-11-24T09:00");
    let visit = json!({ "departedAt": "2026-11-24T08:31", "actualStart": "2026-11-24T09:04",
        "actualEnd": "2026-11-24T10:11" });
    let now = at("2026-11-24T16:00:00Z");
    c.update_visit(&b.id, from(visit), now).unwrap();
    // From the visit's actual times: 67 minutes on site, 33 on the road; the service's rate.
    let on_site = c
        .add_time_entry(from(json!({ "bookingId": b.id.to_string() })), now)
        .unwrap();
    let travel = c
        .add_time_entry(
            from(json!({ "bookingId": b.id.to_string(), "kind": "travel" })),
            now,
        )
        .unwrap();
    assert_eq!((on_site.seconds(), travel.seconds()), (67 * 60, 33 * 60));
    assert_eq!((on_site.rate_minor, &*on_site.provider_id), (9000, "ana"));
    let rounding = c.billing().rounding.clone();
    assert_eq!(rounding.apply(on_site.seconds()), 75 * 60);
    assert_eq!(rounding.apply(travel.seconds()), 45 * 60);
    assert_eq!(rounding.apply(10 * 60), 30 * 60, "the call-out minimum");
    // Admin time is not billable by default; a draft can be changed or removed.
    let admin = c
        .add_time_entry(
            from(json!({ "providerId": "ana", "kind": "admin", "start": "2026-11-24T10:30", "end": "2026-11-24T10:40" })),
            now,
        )
        .unwrap();
    assert!(!admin.billable);
    c.update_time_entry(&admin.id, from(json!({ "end": "2026-11-24T10:45" })), now)
        .unwrap();
    c.remove_time_entry(&admin.id).unwrap();
    // Approved entries are locked.
    c.approve_time_entries(&[on_site.id.clone(), travel.id.clone()], now)
        .unwrap();
    let before = c.snapshot();
    assert_eq!(
        c.update_time_entry(&on_site.id, from(json!({ "end": "2026-11-24T10:30" })), now)
            .unwrap_err()
            .code,
        Code::Locked
    );
    assert_eq!(
        c.remove_time_entry(&on_site.id).unwrap_err().code,
        Code::Locked
    );
    assert_eq!(c.snapshot(), before);
    // A correction reverses the approved entry and adds a draft with the right end.
    let [reversal, fixed] = c
        .correct_time_entry(&on_site.id, from(json!({ "end": "2026-11-24T10:31" })), now)
        .unwrap();
    assert_eq!(reversal.seconds(), -67 * 60);
    assert_eq!(rounding.apply(reversal.seconds()), -75 * 60);
    assert_eq!((fixed.seconds(), fixed.approved), (87 * 60, false));
    assert_eq!(
        c.correct_time_entry(&on_site.id, TimeEntryInput::default(), now)
            .unwrap_err()
            .code,
        Code::InvalidTransition,
        "reversed once"
    );
    // All of it survives a snapshot.
    let again = Coordinator::restore(native_zones(), &c.snapshot()).unwrap();
    assert_eq!(again.snapshot(), c.snapshot());
    let _ = Billing::default();
}
