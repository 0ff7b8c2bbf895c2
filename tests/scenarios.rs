//! What a coordinator sees in a day, natively (chrono-tz zones).
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use serde_json::json;
use service_coordinator::model::*;
use service_coordinator::{native_zones, Code, Coordinator};

fn company() -> Coordinator {
    hvac_company(native_zones())
}

/// Ana's Wednesday 2026-11-25 becomes time off ("sick"), added after her bookings were made.
fn ana_calls_in_sick_on_wednesday(c: &mut Coordinator) {
    let mut ana = c.provider("ana").unwrap().clone();
    ana.time_off.push(TimeOff {
        start: "2026-11-25".into(),
        end: "2026-11-26".into(),
        reason: Some("sick".into()),
        ..Default::default()
    });
    c.upsert_provider(ana).unwrap();
}

fn codes(e: &service_coordinator::Error) -> Vec<Code> {
    e.details.iter().map(|v| v.code).collect()
}

#[test]
fn dst_table_holds_natively() {
    let failures = run_dst_table(native_zones);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn booking_inside_working_hours_gets_a_van_and_a_history() {
    let mut c = company();
    let b = c
        .book(
            request("furnace-repair", Some("ana"), "2026-11-24T09:00"),
            monday_morning(),
        )
        .unwrap();
    assert_eq!(b.start, at("2026-11-24T14:00:00Z"));
    assert_eq!(b.end, at("2026-11-24T15:30:00Z"));
    assert_eq!(
        b.resources,
        vec![ResourceUse {
            resource_id: "van-1".into(),
            quantity: 1
        }]
    );
    assert_eq!(
        (b.status, b.revision, b.history.len()),
        (Status::Confirmed, 1, 1)
    );
    assert_eq!(b.id, "bk-1");
}

#[test]
fn double_booking_is_refused_naming_the_booking_in_the_way() {
    let mut c = company();
    let now = monday_morning();
    let first = c
        .book(request("ac-check", Some("ana"), "2026-11-24T09:00"), now)
        .unwrap();
    let err = c
        .book(request("ac-check", Some("ana"), "2026-11-24T09:30"), now)
        .unwrap_err();
    assert_eq!(err.code, Code::Overlap);
    assert!(err.details[0].ids.contains(&first.id));
    assert!(err.message.contains("bk-1"), "{}", err.message);
}

#[test]
fn travel_buffer_after_a_furnace_repair_keeps_the_next_job_away() {
    let mut c = company();
    let now = monday_morning();
    c.book(
        request("furnace-repair", Some("ana"), "2026-11-24T08:00"),
        now,
    )
    .unwrap(); // 08:00-09:30, +30 travel
    let err = c
        .book(request("ac-check", Some("ana"), "2026-11-24T09:30"), now)
        .unwrap_err();
    assert_eq!(err.code, Code::Overlap);
    c.book(request("ac-check", Some("ana"), "2026-11-24T10:00"), now)
        .unwrap();
    // A new furnace repair needs its own 30 minutes of travel before the 15:30 job.
    c.book(request("ac-check", Some("ana"), "2026-11-24T15:30"), now)
        .unwrap();
    let err = c
        .book(
            request("furnace-repair", Some("ana"), "2026-11-24T14:00"),
            now,
        )
        .unwrap_err();
    assert_eq!(codes(&err), vec![Code::Overlap], "{err}");
    c.book(
        request("furnace-repair", Some("ana"), "2026-11-24T13:30"),
        now,
    )
    .unwrap();
}

#[test]
fn every_broken_rule_is_listed_not_just_the_first() {
    let c = company();
    let now = monday_morning();
    // Ben: no gas skill; Saturday: not working; 2027: beyond the 60-day horizon.
    let r = c
        .check(
            &request("furnace-repair", Some("ben"), "2027-02-06T10:00"),
            now,
        )
        .unwrap();
    assert!(!r.ok);
    let got: Vec<Code> = r.violations.iter().map(|v| v.code).collect();
    assert_eq!(
        got,
        vec![
            Code::SkillMissing,
            Code::BeyondHorizon,
            Code::OutsideWorkingHours
        ]
    );
    assert!(r.violations[0].ids.contains(&"gas".to_string()));
}

#[test]
fn short_notice_is_refused() {
    let c = company();
    // 07:00 now, furnace repair needs 2 hours' notice: 08:30 is too soon, 09:00 is fine.
    let r = c
        .check(
            &request("furnace-repair", Some("ana"), "2026-11-23T08:30"),
            monday_morning(),
        )
        .unwrap();
    assert_eq!(r.violations[0].code, Code::MinNotice);
    assert!(
        c.check(
            &request("furnace-repair", Some("ana"), "2026-11-23T09:00"),
            monday_morning()
        )
        .unwrap()
        .ok
    );
}

#[test]
fn sick_day_is_time_off_and_hides_the_slots() {
    let mut c = company();
    ana_calls_in_sick_on_wednesday(&mut c);
    let err = c
        .book(
            request("ac-check", Some("ana"), "2026-11-25T09:00"),
            monday_morning(),
        )
        .unwrap_err();
    assert_eq!(err.code, Code::TimeOff);
    assert!(err.message.contains("sick"));
    let q = AvailabilityQuery {
        service_id: "ac-check".into(),
        from: "2026-11-25".into(),
        to: "2026-11-26".into(),
        provider_ids: Some(vec!["ana".into()]),
        ..Default::default()
    };
    assert!(c
        .availability(&q, monday_morning())
        .unwrap()
        .slots
        .is_empty());
}

#[test]
fn two_vans_mean_at_most_two_furnace_jobs_at_once() {
    let mut c = company();
    let now = monday_morning();
    let mut cara = c.provider("cara").unwrap().clone();
    cara.skills.push("gas".into());
    c.upsert_provider(cara).unwrap();
    c.upsert_provider(from(json!({ "id": "dev", "name": "Dev Patel", "skills": ["gas", "hvac"], "timeZone": "America/New_York",
        "weeklyHours": { "tue": [{ "start": "08:00", "end": "17:00" }] } }))).unwrap();
    c.book(
        request("furnace-repair", Some("ana"), "2026-11-24T10:00"),
        now,
    )
    .unwrap();
    c.book(
        request("furnace-repair", Some("cara"), "2026-11-24T09:00"),
        now,
    )
    .unwrap(); // 09:00 Chicago = 10:00 New York
    let err = c
        .book(
            request("furnace-repair", Some("dev"), "2026-11-24T10:00"),
            now,
        )
        .unwrap_err();
    assert_eq!(err.code, Code::ResourceUnavailable);
    assert_eq!(err.details[0].ids[0], "van");
    // The slot list agrees: at 10:00 nobody can take a furnace repair, at 12:00 (vans back) Dev can.
    let q = AvailabilityQuery {
        service_id: "furnace-repair".into(),
        from: "2026-11-24".into(),
        to: "2026-11-25".into(),
        ..Default::default()
    };
    let a = c.availability(&q, now).unwrap();
    assert!(!a
        .slots
        .iter()
        .any(|s| s.start == at("2026-11-24T15:00:00Z")));
    assert!(a
        .slots
        .iter()
        .any(|s| s.start == at("2026-11-24T17:00:00Z")));
}

#[test]
fn any_provider_goes_to_the_least_booked_qualified_technician() {
    let mut c = company();
    let now = monday_morning();
    c.book(request("ac-check", Some("ana"), "2026-11-24T08:00"), now)
        .unwrap();
    // 14:00 in New York is 13:00 in Chicago: both are free, Cara has nothing booked that day.
    let b = c
        .book(request("ac-check", None, "2026-11-24T14:00"), now)
        .unwrap();
    assert_eq!(b.provider_id, "cara");
    let err = c
        .book(request("drain", None, "2026-11-28T10:00"), now)
        .unwrap_err(); // Saturday
    assert_eq!(err.code, Code::NoProviderAvailable);
}

#[test]
fn daily_cap_closes_the_day_for_new_bookings() {
    let mut c = company();
    let now = monday_morning();
    let mut ben = c.provider("ben").unwrap().clone();
    ben.daily_cap = Some(2);
    c.upsert_provider(ben).unwrap();
    c.book(request("drain", Some("ben"), "2026-11-24T08:00"), now)
        .unwrap();
    c.book(request("drain", Some("ben"), "2026-11-24T10:00"), now)
        .unwrap();
    assert_eq!(
        c.book(request("drain", Some("ben"), "2026-11-24T14:00"), now)
            .unwrap_err()
            .code,
        Code::DailyCap
    );
    let q = AvailabilityQuery {
        service_id: "drain".into(),
        from: "2026-11-24".into(),
        to: "2026-11-26".into(),
        ..Default::default()
    };
    let a = c.availability(&q, now).unwrap();
    assert!(a
        .slots
        .iter()
        .all(|s| s.start >= at("2026-11-25T05:00:00Z")));
    assert_eq!(a.slots.len(), 8);
}

#[test]
fn group_class_fills_three_seats_then_refuses() {
    let mut c = company();
    let now = monday_morning();
    let mut r = request("safety-class", Some("ana"), "2026-11-26T13:00");
    r.client_ids = vec!["c-1".into(), "c-2".into()];
    c.book(r, now).unwrap();
    let q = AvailabilityQuery {
        service_id: "safety-class".into(),
        from: "2026-11-26".into(),
        to: "2026-11-27".into(),
        ..Default::default()
    };
    let slot = c
        .availability(&q, now)
        .unwrap()
        .slots
        .into_iter()
        .find(|s| s.start == at("2026-11-26T18:00:00Z"))
        .unwrap();
    assert_eq!(slot.seats_left, 1);
    let mut r = request("safety-class", Some("ana"), "2026-11-26T13:00");
    r.client_ids = vec!["c-3".into()];
    c.book(r, now).unwrap();
    let mut r = request("safety-class", Some("ana"), "2026-11-26T13:00");
    r.client_ids = vec!["c-4".into()];
    assert_eq!(c.book(r, now).unwrap_err().code, Code::SeatsFull);
}

#[test]
fn cancellation_frees_the_slot_at_once() {
    let mut c = company();
    let now = monday_morning();
    let b = c
        .book(request("drain", Some("ben"), "2026-11-24T09:00"), now)
        .unwrap();
    assert!(c
        .book(request("drain", Some("ben"), "2026-11-24T09:00"), now)
        .is_err());
    let cancelled = c
        .cancel(
            &b.id,
            WriteOptions {
                reason: Some("client called".into()),
                ..Default::default()
            },
            now,
        )
        .unwrap();
    assert_eq!(
        (cancelled.status, cancelled.revision),
        (Status::Cancelled, 2)
    );
    assert_eq!(
        cancelled.history[1].reason.as_deref(),
        Some("client called")
    );
    c.book(request("drain", Some("ben"), "2026-11-24T09:00"), now)
        .unwrap();
}

#[test]
fn a_stale_tab_cannot_overwrite_a_newer_reschedule() {
    let mut c = company();
    let now = monday_morning();
    let b = c
        .book(request("drain", Some("ben"), "2026-11-24T09:00"), now)
        .unwrap();
    let moved = c
        .reschedule(
            &b.id,
            Reschedule {
                start: Some("2026-11-24T10:00".into()),
                expected_revision: Some(1),
                ..Default::default()
            },
            now,
        )
        .unwrap();
    assert_eq!(moved.revision, 2);
    let before = c.snapshot();
    let err = c
        .reschedule(
            &b.id,
            Reschedule {
                start: Some("2026-11-24T14:00".into()),
                expected_revision: Some(1),
                ..Default::default()
            },
            now,
        )
        .unwrap_err();
    assert_eq!(err.code, Code::StaleRevision);
    assert_eq!(c.snapshot(), before);
}

#[test]
fn reschedule_onto_a_clash_is_refused_and_changes_nothing() {
    let mut c = company();
    let now = monday_morning();
    c.book(request("drain", Some("ben"), "2026-11-24T09:00"), now)
        .unwrap();
    let b = c
        .book(request("drain", Some("ben"), "2026-11-24T11:00"), now)
        .unwrap();
    let before = c.snapshot();
    let err = c
        .reschedule(
            &b.id,
            Reschedule {
                start: Some("2026-11-24T09:30".into()),
                ..Default::default()
            },
            now,
        )
        .unwrap_err();
    assert_eq!(err.code, Code::Overlap);
    assert_eq!(c.snapshot(), before);
    assert!(c
        .take_changes()
        .iter()
        .all(|ch| ch.kind != "booking" || ch.id != b.id || ch.after.is_some()));
}

#[test]
fn the_status_follows_the_visit() {
    let mut c = company();
    let now = monday_morning();
    let b = c
        .book(request("drain", Some("ben"), "2026-11-24T09:00"), now)
        .unwrap();
    let err = c
        .set_status(&b.id, Status::NoShow, WriteOptions::default(), now)
        .unwrap_err();
    assert_eq!(err.code, Code::InvalidTransition); // not before it starts
    let later = at("2026-11-24T14:05:00Z");
    c.set_status(&b.id, Status::CheckedIn, WriteOptions::default(), later)
        .unwrap();
    let done = c
        .set_status(&b.id, Status::Completed, WriteOptions::default(), later)
        .unwrap();
    assert_eq!((done.status, done.revision), (Status::Completed, 3));
    assert_eq!(
        c.cancel(&b.id, WriteOptions::default(), later)
            .unwrap_err()
            .code,
        Code::InvalidTransition
    );
}

#[test]
fn a_client_in_kolkata_sees_the_same_instants_as_the_office_in_new_york() {
    let c = company();
    let now = monday_morning();
    let ny = AvailabilityQuery {
        service_id: "drain".into(),
        from: "2026-11-24".into(),
        to: "2026-11-25".into(),
        ..Default::default()
    };
    let kolkata = AvailabilityQuery {
        from: "2026-11-24T10:30+05:30".into(),
        to: "2026-11-25T10:30+05:30".into(),
        time_zone: Some("Asia/Kolkata".into()),
        ..ny.clone()
    };
    assert_eq!(
        c.availability(&ny, now).unwrap(),
        c.availability(&kolkata, now).unwrap()
    );
    // A wall time is read in the request's zone: 19:30 in Kolkata is 09:00 in New York.
    let mut r = request("drain", Some("ben"), "2026-11-24T19:30");
    r.time_zone = Some("Asia/Kolkata".into());
    assert_eq!(c.check(&r, now).unwrap().start, at("2026-11-24T14:00:00Z"));
}

#[test]
fn removing_a_technician_with_upcoming_jobs_is_refused() {
    let mut c = company();
    let now = monday_morning();
    let b = c
        .book(request("drain", Some("ben"), "2026-11-24T09:00"), now)
        .unwrap();
    let err = c.remove_provider("ben", now).unwrap_err();
    assert_eq!(err.code, Code::InUse);
    assert!(err.details[0].ids.contains(&b.id));
    c.cancel(&b.id, WriteOptions::default(), now).unwrap();
    c.remove_provider("ben", now).unwrap();
}

#[test]
fn free_busy_shows_jobs_with_their_buffers() {
    let mut c = company();
    let now = monday_morning();
    let b = c
        .book(
            request("furnace-repair", Some("ana"), "2026-11-24T08:00"),
            now,
        )
        .unwrap();
    let fb = c
        .free_busy(
            &FreeBusyQuery {
                from: "2026-11-24".into(),
                to: "2026-11-25".into(),
                provider_ids: Some(vec!["ana".into()]),
                resource_ids: Some(vec!["van-1".into()]),
                ..Default::default()
            },
            now,
        )
        .unwrap();
    let ana = &fb.providers[0];
    assert_eq!(ana.busy[0].booking_id, b.id);
    assert_eq!(
        (ana.busy[0].start, ana.busy[0].end),
        (at("2026-11-24T13:00:00Z"), at("2026-11-24T15:00:00Z"))
    );
    assert_eq!(ana.free[0].start, at("2026-11-24T15:00:00Z"));
    assert_eq!(fb.resources[0].busy[0].booking_id, b.id);
}

#[test]
fn snapshot_restore_is_lossless() {
    let mut c = company();
    let now = monday_morning();
    let b = c
        .book(
            request("furnace-repair", Some("ana"), "2026-11-24T09:00"),
            now,
        )
        .unwrap();
    c.reschedule(
        &b.id,
        Reschedule {
            start: Some("2026-11-24T13:00".into()),
            reason: Some("client asked".into()),
            ..Default::default()
        },
        now,
    )
    .unwrap();
    c.book(request("drain", None, "2026-11-25T09:00"), now)
        .unwrap();
    let snap = c.snapshot();
    let restored = Coordinator::restore(native_zones(), &snap).unwrap();
    assert_eq!(restored.snapshot(), snap);
    assert_eq!(restored.booking(&b.id), c.booking(&b.id));
}

#[test]
fn bad_input_gets_a_code_and_leaves_the_state_alone() {
    let mut c = company();
    let before = c.snapshot();
    let provider = |v: serde_json::Value| -> Provider { from(v) };
    let base = json!({ "id": "zed", "name": "Zed", "timeZone": "America/New_York" });
    let mut bad_zone = base.clone();
    bad_zone["timeZone"] = json!("Mars/Olympus_Mons");
    assert_eq!(
        c.upsert_provider(provider(bad_zone)).unwrap_err().code,
        Code::UnknownTimeZone
    );
    let mut overlapping = base.clone();
    overlapping["weeklyHours"] = json!({ "mon": [{ "start": "08:00", "end": "12:00" }, { "start": "11:00", "end": "15:00" }] });
    assert_eq!(
        c.upsert_provider(provider(overlapping)).unwrap_err().code,
        Code::OverlappingHours
    );
    let mut backwards = base.clone();
    backwards["timeOff"] = json!([{ "start": "2026-11-25", "end": "2026-11-24" }]);
    assert_eq!(
        c.upsert_provider(provider(backwards)).unwrap_err().code,
        Code::EndBeforeStart
    );
    let zero: Service = from(json!({ "id": "z", "name": "Z", "durationMinutes": 0 }));
    assert_eq!(
        c.upsert_service(zero).unwrap_err().code,
        Code::InvalidDuration
    );
    let century = AvailabilityQuery {
        service_id: "drain".into(),
        from: "2026-01-01".into(),
        to: "2126-01-01".into(),
        ..Default::default()
    };
    assert_eq!(
        c.availability(&century, monday_morning()).unwrap_err().code,
        Code::RangeTooLarge
    );
    let mut unknown = request("drain", Some("nobody"), "2026-11-24T09:00");
    assert_eq!(
        c.book(unknown.clone(), monday_morning()).unwrap_err().code,
        Code::UnknownId
    );
    unknown.service_id = "nothing".into();
    assert_eq!(
        c.book(unknown, monday_morning()).unwrap_err().code,
        Code::UnknownId
    );
    assert_eq!(
        Coordinator::restore(native_zones(), "{not json")
            .err()
            .unwrap()
            .code,
        Code::InvalidJson
    );
    assert_eq!(c.snapshot(), before);
    assert!(c.take_changes().is_empty());
}

#[test]
fn a_van_in_the_shop_blocks_jobs_that_need_a_van() {
    let mut c = company();
    let now = monday_morning();
    for van in ["van-1", "van-2"] {
        c.upsert_resource(from(json!({ "id": van, "name": van, "kind": "van",
            "timeOff": [{ "start": "2026-11-24T08:00", "end": "2026-11-24T12:00", "reason": "brakes" }] }))).unwrap();
    }
    let err = c
        .book(
            request("furnace-repair", Some("ana"), "2026-11-24T09:00"),
            now,
        )
        .unwrap_err();
    assert_eq!(err.code, Code::ResourceUnavailable);
    // Jobs that need no van are untouched; after noon the vans are back.
    c.book(request("ac-check", Some("ana"), "2026-11-24T09:00"), now)
        .unwrap();
    let b = c
        .book(
            request("furnace-repair", Some("ana"), "2026-11-24T13:00"),
            now,
        )
        .unwrap();
    assert_eq!(b.resources[0].resource_id, "van-1");
    let q = AvailabilityQuery {
        service_id: "furnace-repair".into(),
        from: "2026-11-24".into(),
        to: "2026-11-25".into(),
        ..Default::default()
    };
    assert!(c
        .availability(&q, now)
        .unwrap()
        .slots
        .iter()
        .all(|s| s.start >= at("2026-11-24T17:00:00Z")));
}

#[test]
fn an_exam_room_with_its_own_hours_limits_the_service() {
    let mut c = company();
    let now = monday_morning();
    c.upsert_resource(from(json!({ "id": "room-a", "name": "Training room", "kind": "room", "timeZone": "America/New_York",
        "weeklyHours": { "thu": [{ "start": "14:00", "end": "18:00" }] } }))).unwrap();
    let mut class: Service = c.service("safety-class").unwrap().clone();
    class.required_resources = vec![ResourceNeed {
        kind: "room".into(),
        quantity: 1,
    }];
    c.upsert_service(class).unwrap();
    assert_eq!(
        c.book(
            request("safety-class", Some("ana"), "2026-11-26T09:00"),
            now
        )
        .unwrap_err()
        .code,
        Code::ResourceUnavailable
    );
    let b = c
        .book(
            request("safety-class", Some("ana"), "2026-11-26T14:00"),
            now,
        )
        .unwrap();
    assert_eq!(
        b.resources,
        vec![ResourceUse {
            resource_id: "room-a".into(),
            quantity: 1
        }]
    );
    // A second seat in the same class shares the room; another class at 15:00 cannot have it.
    let mut seat = request("safety-class", Some("ana"), "2026-11-26T14:00");
    seat.client_ids = vec!["c-2".into()];
    assert_eq!(c.book(seat, now).unwrap().resources, b.resources);
    let fb = c
        .free_busy(
            &FreeBusyQuery {
                from: "2026-11-26".into(),
                to: "2026-11-27".into(),
                resource_ids: Some(vec!["room-a".into()]),
                provider_ids: Some(vec![]),
                ..Default::default()
            },
            now,
        )
        .unwrap();
    assert_eq!(fb.resources[0].free[0].start, at("2026-11-26T21:00:00Z"));
}

#[test]
fn a_named_van_that_is_busy_is_refused_even_if_another_is_free() {
    let mut c = company();
    let now = monday_morning();
    let mut cara = c.provider("cara").unwrap().clone();
    cara.skills.push("gas".into());
    c.upsert_provider(cara).unwrap();
    c.book(
        request("furnace-repair", Some("ana"), "2026-11-24T10:00"),
        now,
    )
    .unwrap(); // takes van-1
    let mut r = request("furnace-repair", Some("cara"), "2026-11-24T09:00"); // 10:00 New York
    r.resources = Some(vec![ResourceUse {
        resource_id: "van-1".into(),
        quantity: 1,
    }]);
    let err = c.book(r.clone(), now).unwrap_err();
    assert_eq!(err.code, Code::ResourceUnavailable);
    assert!(err.details[0].ids.contains(&"van-1".to_string()));
    r.resources = Some(vec![ResourceUse {
        resource_id: "van-2".into(),
        quantity: 1,
    }]);
    c.book(r, now).unwrap();
}

#[test]
fn saturday_overtime_and_a_closed_holiday_are_date_overrides() {
    let mut c = company();
    let now = monday_morning();
    let mut ben = c.provider("ben").unwrap().clone();
    ben.date_overrides = vec![
        DateOverride {
            date: "2026-11-28".into(),
            hours: vec![HoursRange {
                start: "09:00".into(),
                end: "13:00".into(),
            }],
            reason: Some("overtime".into()),
        },
        DateOverride {
            date: "2026-11-26".into(),
            hours: vec![],
            reason: Some("Thanksgiving".into()),
        },
    ];
    c.upsert_provider(ben).unwrap();
    c.book(request("drain", Some("ben"), "2026-11-28T10:00"), now)
        .unwrap();
    assert_eq!(
        c.book(request("drain", Some("ben"), "2026-11-26T10:00"), now)
            .unwrap_err()
            .code,
        Code::OutsideWorkingHours
    );
    let mut twice = c.provider("ben").unwrap().clone();
    twice.date_overrides.push(twice.date_overrides[0].clone());
    assert_eq!(
        c.upsert_provider(twice).unwrap_err().code,
        Code::InvalidInput
    );
}

#[test]
fn the_booking_list_filters_by_client_status_and_time() {
    let mut c = company();
    let now = monday_morning();
    let a = c
        .book(request("drain", Some("ben"), "2026-11-25T09:00"), now)
        .unwrap();
    let mut r = request("drain", Some("ben"), "2026-11-24T09:00");
    r.client_ids = vec!["c-2".into()];
    let b = c.book(r, now).unwrap();
    c.cancel(&a.id, WriteOptions::default(), now).unwrap();
    let ids = |f: BookingFilter| -> Vec<String> {
        c.bookings(&f)
            .unwrap()
            .iter()
            .map(|b| b.id.clone())
            .collect()
    };
    assert_eq!(
        ids(BookingFilter::default()),
        vec![b.id.clone(), a.id.clone()]
    ); // by start
    assert_eq!(
        ids(BookingFilter {
            client_id: Some("c-2".into()),
            ..Default::default()
        }),
        vec![b.id.clone()]
    );
    assert_eq!(
        ids(BookingFilter {
            status: Some(vec![Status::Cancelled]),
            ..Default::default()
        }),
        vec![a.id.clone()]
    );
    assert_eq!(
        ids(BookingFilter {
            from: Some("2026-11-25".into()),
            ..Default::default()
        }),
        vec![a.id.clone()]
    );
}

fn minutes_later(m: i64) -> i64 {
    monday_morning() + m * 60
}

#[test]
fn a_held_slot_is_busy_for_others_until_it_expires() {
    let mut c = company();
    let held = c
        .hold(
            request("drain", Some("ben"), "2026-11-24T10:00"),
            10,
            monday_morning(),
        )
        .unwrap();
    assert_eq!(
        (held.status, held.expires_at),
        (Status::Held, Some(minutes_later(10)))
    );
    let mut other = request("drain", Some("ben"), "2026-11-24T10:00");
    other.client_ids = vec!["c-2".into()];
    let err = c.book(other.clone(), minutes_later(5)).unwrap_err();
    assert_eq!(err.code, Code::Overlap);
    assert!(err.details[0].ids.contains(&held.id));
    let q = AvailabilityQuery {
        service_id: "drain".into(),
        from: "2026-11-24".into(),
        to: "2026-11-25".into(),
        ..Default::default()
    };
    let ten = at("2026-11-24T15:00:00Z");
    assert!(!c
        .availability(&q, minutes_later(5))
        .unwrap()
        .slots
        .iter()
        .any(|s| s.start == ten));
    // Eleven minutes later the hold has lapsed by itself: the slot is free, and the hold cannot be confirmed.
    assert!(c
        .availability(&q, minutes_later(11))
        .unwrap()
        .slots
        .iter()
        .any(|s| s.start == ten));
    assert_eq!(
        c.confirm_hold(&held.id, ConfirmHold::default(), minutes_later(11))
            .unwrap_err()
            .code,
        Code::HoldExpired
    );
    c.book(other, minutes_later(11)).unwrap();
}

#[test]
fn confirming_a_hold_adds_the_client_and_checks_every_rule_again() {
    let mut c = company();
    let held = c
        .hold(
            request("furnace-repair", Some("ana"), "2026-11-24T13:00"),
            15,
            monday_morning(),
        )
        .unwrap();
    assert_eq!(held.resources[0].resource_id, "van-1");
    let confirmed = c
        .confirm_hold(
            &held.id,
            ConfirmHold {
                client_ids: Some(vec!["c-3".into()]),
                notes: Some("gate code 4411".into()),
                ..Default::default()
            },
            minutes_later(3),
        )
        .unwrap();
    assert_eq!(
        (confirmed.status, confirmed.expires_at, confirmed.revision),
        (Status::Confirmed, None, 2)
    );
    assert_eq!(confirmed.client_ids, vec!["c-3".to_string()]);
    assert_eq!(
        confirmed
            .history
            .iter()
            .map(|h| h.action.as_str())
            .collect::<Vec<_>>(),
        vec!["held", "confirmed"]
    );

    // Meanwhile Ana calls in sick: a second hold cannot be confirmed, and nothing changes.
    let second = c
        .hold(
            request("ac-check", Some("ana"), "2026-11-25T09:00"),
            15,
            monday_morning(),
        )
        .unwrap();
    ana_calls_in_sick_on_wednesday(&mut c);
    let before = c.snapshot();
    assert_eq!(
        c.confirm_hold(&second.id, ConfirmHold::default(), minutes_later(4))
            .unwrap_err()
            .code,
        Code::TimeOff
    );
    assert_eq!(c.snapshot(), before);
    let released = c
        .release_hold(&second.id, WriteOptions::default(), minutes_later(5))
        .unwrap();
    assert_eq!(released.status, Status::Cancelled);
    assert_eq!(
        c.release_hold(&confirmed.id, WriteOptions::default(), minutes_later(5))
            .unwrap_err()
            .code,
        Code::InvalidTransition
    );
}

#[test]
fn explain_says_why_each_technician_cannot_take_the_job() {
    let mut c = company();
    let now = monday_morning();
    let b = c
        .book(
            request("furnace-repair", Some("ana"), "2026-11-24T13:00"),
            now,
        )
        .unwrap();
    let why = c
        .explain(&request("furnace-repair", None, "2026-11-24T13:30"), now)
        .unwrap();
    assert!(!why.ok);
    let codes: Vec<(String, Vec<Code>)> = why
        .providers
        .iter()
        .map(|p| {
            (
                p.provider_id.clone(),
                p.violations.iter().map(|v| v.code).collect(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        vec![
            ("ana".into(), vec![Code::Overlap]),
            ("ben".into(), vec![Code::SkillMissing]),
            (
                "cara".into(),
                vec![Code::SkillMissing, Code::OutsideWorkingHours]
            ), // 12:30 in Chicago: lunch
        ]
    );
    assert!(why.providers[0].violations[0].ids.contains(&b.id));
}

#[test]
fn a_week_view_shows_booked_closed_and_lunch_steps_with_their_reasons() {
    let mut c = company();
    let now = monday_morning();
    c.book(request("ac-check", Some("ana"), "2026-11-24T09:00"), now)
        .unwrap();
    let q = AvailabilityQuery {
        service_id: "ac-check".into(),
        from: "2026-11-24".into(),
        to: "2026-11-25".into(),
        provider_ids: Some(vec!["ana".into()]),
        explain: true,
        ..Default::default()
    };
    let a = c.availability(&q, now).unwrap();
    // A step's reasons; a step with none listed must be a slot (never silently both or neither).
    let reason = |wall: &str| -> Vec<Code> {
        let t = at(wall);
        let listed = a.unavailable.iter().find(|u| u.start == t);
        let free = a.slots.iter().any(|s| s.start == t);
        assert!(
            listed.is_some() != free,
            "{wall}: a step is a slot or explained, not both or neither"
        );
        listed.map(|u| u.providers[0].1.clone()).unwrap_or_default()
    };
    assert_eq!(
        reason("2026-11-24T12:00:00Z"),
        vec![Code::OutsideWorkingHours]
    ); // 07:00, before work
    assert_eq!(reason("2026-11-24T14:00:00Z"), vec![Code::Overlap]); // 09:00, booked
    assert_eq!(
        reason("2026-11-24T17:00:00Z"),
        vec![Code::OutsideWorkingHours]
    ); // 12:00, lunch
    assert_eq!(reason("2026-11-24T13:00:00Z"), vec![]); // 08:00 is free
                                                        // Every step of the day is either a slot or explained, never both.
    assert_eq!(a.slots.len() + a.unavailable.len(), 24);
    assert!(a
        .slots
        .iter()
        .all(|s| a.unavailable.iter().all(|u| u.start != s.start)));
}

#[test]
fn a_clash_comes_with_ranked_ways_out() {
    let mut c = company();
    let now = monday_morning();
    c.book(request("drain", Some("ben"), "2026-11-24T10:00"), now)
        .unwrap();
    let mut wanted = request("drain", Some("ben"), "2026-11-24T10:00");
    wanted.client_ids = vec!["c-2".into()];
    let q = service_coordinator::planning::alternatives::AlternativesQuery {
        request: wanted.clone(),
        limit: 4,
        search_days: 7,
        ..Default::default()
    };
    let options = c.alternatives(&q, now).unwrap();
    // Ben is the only plumber: the nearest free hours before and after 10:00 that day come first,
    // and he fills all four places.
    assert_eq!(options.len(), 4);
    let starts: Vec<i64> = options.iter().map(|o| o.start).collect();
    assert_eq!(
        &starts[..2],
        &[at("2026-11-24T14:00:00Z"), at("2026-11-24T16:00:00Z")]
    );
    assert!(options
        .iter()
        .all(|o| o.provider_id == "ben" && o.differs == vec!["time"]));
    assert_eq!(options[0].minutes_away, 60);
    // The same state gives the same list.
    assert_eq!(c.alternatives(&q, now).unwrap(), options);
    // 08:00 (2 hours away) beats 13:00 (3 hours away); a client who prefers afternoons turns that round.
    let rank = |list: &[service_coordinator::planning::alternatives::Alternative], t: &str| {
        list.iter().position(|o| o.start == at(t))
    };
    let wide = service_coordinator::planning::alternatives::AlternativesQuery {
        limit: 10,
        ..q.clone()
    };
    let all = c.alternatives(&wide, now).unwrap();
    assert!(rank(&all, "2026-11-24T13:00:00Z") < rank(&all, "2026-11-24T18:00:00Z"));
    let afternoon = service_coordinator::planning::alternatives::AlternativesQuery {
        window: Some(HoursRange {
            start: "13:00".into(),
            end: "17:00".into(),
        }),
        ..wide
    };
    let pm = c.alternatives(&afternoon, now).unwrap();
    assert!(rank(&pm, "2026-11-24T18:00:00Z") < rank(&pm, "2026-11-24T13:00:00Z"));
}

#[test]
fn alternatives_offer_other_technicians_at_the_same_time() {
    let mut c = company();
    let now = monday_morning();
    c.book(request("ac-check", Some("ana"), "2026-11-24T14:00"), now)
        .unwrap();
    let q = service_coordinator::planning::alternatives::AlternativesQuery {
        request: request("ac-check", Some("ana"), "2026-11-24T14:00"),
        limit: 4,
        search_days: 3,
        ..Default::default()
    };
    let options = c.alternatives(&q, now).unwrap();
    let cara = options.iter().find(|o| o.provider_id == "cara").unwrap();
    assert_eq!(
        (cara.start, cara.differs.clone()),
        (at("2026-11-24T19:00:00Z"), vec!["provider"])
    );
    assert!(options.iter().filter(|o| o.provider_id == "ana").count() <= 2);
}

#[test]
fn alternatives_reach_two_months_either_way() {
    let mut c = company();
    let now = monday_morning();
    c.book(request("drain", Some("ben"), "2026-12-24T10:00"), now)
        .unwrap();
    let q = service_coordinator::planning::alternatives::AlternativesQuery {
        request: request("drain", Some("ben"), "2026-12-24T10:00"),
        limit: 50,
        search_days: 60,
        ..Default::default()
    };
    let options = c.alternatives(&q, now).unwrap();
    assert_eq!(options.len(), 50);
    assert!(options
        .iter()
        .all(|o| o.start >= now && o.provider_id == "ben"));
    assert!(options.windows(2).all(|w| w[0].score <= w[1].score));
}

fn sick(provider: &str, start: &str, end: &str) -> service_coordinator::model::plan::Disruption {
    service_coordinator::model::plan::Disruption {
        provider_id: Some(provider.into()),
        start: start.into(),
        end: end.into(),
        reason: Some("sick".into()),
        ..Default::default()
    }
}

#[test]
fn sick_technician_morning_is_reassigned_to_qualified_colleagues() {
    let mut c = company();
    let now = monday_morning();
    let check = c
        .book(request("ac-check", Some("ana"), "2026-11-24T09:00"), now)
        .unwrap();
    let furnace = c
        .book(
            request("furnace-repair", Some("ana"), "2026-11-24T10:00"),
            now,
        )
        .unwrap();
    let before = c.snapshot();
    let plan = c
        .plan_repair(sick("ana", "2026-11-24T08:00", "2026-11-24T12:00"), now)
        .unwrap();
    assert_eq!(c.snapshot(), before, "planning changes nothing");
    // The AC check goes to Cara at the same time (08:00 in Chicago); only Ana does gas work, so
    // the furnace repair moves to her first free time after she is back.
    let m = |id: &str| plan.moves.iter().find(|m| m.booking_id == id).unwrap();
    assert_eq!(
        (m(&check.id).to.provider_id.as_str(), m(&check.id).to.start),
        ("cara", check.start)
    );
    assert_eq!(
        (
            m(&furnace.id).to.provider_id.as_str(),
            m(&furnace.id).to.start
        ),
        ("ana", at("2026-11-24T18:00:00Z"))
    );
    assert!(plan.unplaced.is_empty());
    assert_eq!(
        (plan.clients_time_changed(), plan.total_shift_minutes()),
        (1, 180)
    );

    c.apply_plan(&plan.id, now).unwrap();
    assert_eq!(c.booking(&check.id).unwrap().provider_id, "cara");
    let moved = c.booking(&furnace.id).unwrap();
    assert_eq!(
        (moved.start, moved.revision),
        (at("2026-11-24T18:00:00Z"), 2)
    );
    assert_eq!(moved.history[1].reason.as_deref(), Some("repair: sick"));
    assert!(c
        .provider("ana")
        .unwrap()
        .time_off
        .iter()
        .any(|t| t.reason.as_deref() == Some("sick")));
    assert_eq!(
        c.apply_plan(&plan.id, now).unwrap_err().code,
        Code::UnknownId,
        "a plan applies once"
    );
}

#[test]
fn a_plan_is_refused_once_the_schedule_has_changed() {
    let mut c = company();
    let now = monday_morning();
    c.book(request("ac-check", Some("ana"), "2026-11-24T09:00"), now)
        .unwrap();
    let plan = c
        .plan_repair(sick("ana", "2026-11-24", "2026-11-25"), now)
        .unwrap();
    c.book(request("drain", Some("ben"), "2026-11-24T09:00"), now)
        .unwrap();
    let before = c.snapshot();
    assert_eq!(
        c.apply_plan(&plan.id, now).unwrap_err().code,
        Code::StalePlan
    );
    assert_eq!(c.snapshot(), before);
}

#[test]
fn a_van_in_the_shop_swaps_vans_before_moving_anyone() {
    let mut c = company();
    let now = monday_morning();
    let job = c
        .book(
            request("furnace-repair", Some("ana"), "2026-11-24T09:00"),
            now,
        )
        .unwrap();
    assert_eq!(job.resources[0].resource_id, "van-1");
    let d = service_coordinator::model::plan::Disruption {
        resource_id: Some("van-1".into()),
        start: "2026-11-24".into(),
        end: "2026-11-26".into(),
        reason: Some("brakes".into()),
        ..Default::default()
    };
    let plan = c.plan_repair(d, now).unwrap();
    assert_eq!(plan.moves.len(), 1);
    let m = &plan.moves[0];
    assert_eq!((m.to.provider_id.as_str(), m.to.start), ("ana", job.start));
    assert_eq!(m.resources[0].resource_id, "van-2");
    assert_eq!(plan.clients_time_changed(), 0);
}

#[test]
fn when_nobody_can_take_it_the_plan_says_so_and_higher_priority_goes_first() {
    let mut c = company();
    let now = monday_morning();
    // Ben is the only plumber: off on Monday, a full Tuesday, then off for two weeks.
    let mut low = request("drain", Some("ben"), "2026-11-24T09:00");
    low.priority = 1;
    let low = c.book(low, now).unwrap();
    let mut high = request("drain", Some("ben"), "2026-11-24T10:00");
    high.priority = 5;
    let high = c.book(high, now).unwrap();
    for t in ["08:00", "11:00", "13:00", "14:00", "15:00"] {
        c.book(
            request("drain", Some("ben"), &format!("2026-11-24T{t}")),
            now,
        )
        .unwrap();
    }
    let mut ben = c.provider("ben").unwrap().clone();
    ben.time_off.push(TimeOff {
        start: "2026-11-23".into(),
        end: "2026-11-24".into(),
        ..Default::default()
    });
    ben.time_off.push(TimeOff {
        start: "2026-11-25".into(),
        end: "2026-12-10".into(),
        ..Default::default()
    });
    c.upsert_provider(ben).unwrap();
    // Ben is out 09:00-11:00: one hour of his day (16:00) is still free, and it goes to the urgent job.
    let plan = c
        .plan_repair(sick("ben", "2026-11-24T09:00", "2026-11-24T11:00"), now)
        .unwrap();
    assert_eq!(plan.moves.len(), 1);
    assert_eq!(
        (plan.moves[0].booking_id.as_str(), plan.moves[0].to.start),
        (high.id.as_str(), at("2026-11-24T21:00:00Z"))
    );
    assert_eq!(plan.unplaced.len(), 1);
    assert_eq!(plan.unplaced[0].booking_id, low.id);
    assert_eq!(plan.unplaced[0].reason.code, Code::NoProviderAvailable);
}

fn urgent(
    service: &str,
    priority: i32,
    deadline: &str,
) -> service_coordinator::model::plan::UrgentRequest {
    let mut r = request(service, None, "2026-11-23T07:00");
    r.priority = priority;
    service_coordinator::model::plan::UrgentRequest {
        request: r,
        deadline: deadline.into(),
        search_days: None,
    }
}

#[test]
fn a_no_heat_call_goes_to_the_first_free_gas_technician() {
    let mut c = company();
    let now = monday_morning();
    // 07:00 now, on site by 11:00: the two hours' notice clients need does not bind the coordinator.
    let plan = c
        .plan_urgent(urgent("furnace-repair", 5, "2026-11-23T11:00"), now)
        .unwrap();
    let u = plan.urgent.as_ref().unwrap();
    assert_eq!(
        (u.place.provider_id.as_str(), u.place.start),
        ("ana", at("2026-11-23T13:00:00Z"))
    );
    assert!(u.bumped.is_empty() && plan.moves.is_empty());
    c.apply_plan(&plan.id, now).unwrap();
    let booked = c
        .bookings(&BookingFilter {
            provider_id: Some("ana".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        (booked[0].start, booked[0].priority),
        (at("2026-11-23T13:00:00Z"), 5)
    );
}

#[test]
fn an_urgent_job_bumps_routine_visits_which_move_elsewhere() {
    let mut c = company();
    let now = monday_morning();
    let routine: Vec<String> = ["08:00", "09:00", "10:00", "11:00"]
        .iter()
        .map(|t| {
            c.book(
                request("ac-check", Some("ana"), &format!("2026-11-23T{t}")),
                now,
            )
            .unwrap()
            .id
        })
        .collect();
    let plan = c
        .plan_urgent(urgent("furnace-repair", 5, "2026-11-23T10:00"), now)
        .unwrap();
    let u = plan.urgent.clone().unwrap();
    // 08:00 with Ana: the 90-minute job and its 30 minutes of travel push out the 08:00 and 09:00 visits.
    assert_eq!(
        (u.place.provider_id.as_str(), u.place.start),
        ("ana", at("2026-11-23T13:00:00Z"))
    );
    assert_eq!(u.bumped, vec![routine[0].clone(), routine[1].clone()]);
    assert_eq!(plan.moves.len() + plan.unplaced.len(), 2);
    c.apply_plan(&plan.id, now).unwrap();
    for m in &plan.moves {
        let b = c.booking(&m.booking_id).unwrap();
        assert_eq!(
            b.history.last().unwrap().reason.as_deref(),
            Some("bumped by an urgent job")
        );
    }
    let at_eight = c
        .bookings(&BookingFilter {
            provider_id: Some("ana".into()),
            from: Some("2026-11-23T08:00".into()),
            to: Some("2026-11-23T08:01".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        at_eight
            .iter()
            .filter(|b| b.status.blocks_time())
            .map(|b| b.priority)
            .collect::<Vec<_>>(),
        vec![5]
    );
}

#[test]
fn an_urgent_job_never_bumps_a_booking_that_outranks_it() {
    let mut c = company();
    let now = monday_morning();
    // A priority-9 furnace job at 09:00 (with its travel, until 11:00) leaves no 90 minutes in Ana's morning.
    let mut r = request("furnace-repair", Some("ana"), "2026-11-23T09:00");
    r.priority = 9;
    c.book(r, now).unwrap();
    let err = c
        .plan_urgent(urgent("furnace-repair", 5, "2026-11-23T12:00"), now)
        .unwrap_err();
    assert_eq!(err.code, Code::NoProviderAvailable);
}

fn waiting(
    client: &str,
    priority: i32,
    joined: &str,
    windows: &[(&str, &str)],
) -> service_coordinator::model::WaitlistEntry {
    service_coordinator::model::WaitlistEntry {
        service_id: "drain".into(),
        client_ids: vec![client.into()],
        windows: windows
            .iter()
            .map(|(a, b)| Window {
                start: a.to_string(),
                end: b.to_string(),
            })
            .collect(),
        priority,
        joined_at: Some(joined.into()),
        ..Default::default()
    }
}

#[test]
fn cancellation_frees_slot_for_waitlisted_client() {
    let mut c = company();
    let now = monday_morning();
    let mut tuesday = Vec::new();
    for t in [
        "08:00", "09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00",
    ] {
        tuesday.push(
            c.book(
                request("drain", Some("ben"), &format!("2026-11-24T{t}")),
                now,
            )
            .unwrap(),
        );
    }
    let early = c
        .waitlist_add(
            waiting(
                "c-3",
                0,
                "2026-11-20T09:00",
                &[("2026-11-24T08:00", "2026-11-24T17:00")],
            ),
            now,
        )
        .unwrap();
    let urgent = c
        .waitlist_add(
            waiting(
                "c-4",
                2,
                "2026-11-22T09:00",
                &[("2026-11-24T08:00", "2026-11-24T12:00")],
            ),
            now,
        )
        .unwrap();
    assert!(
        c.waitlist_offers(now).unwrap().is_empty(),
        "Ben's Tuesday is full"
    );
    c.cancel(
        &tuesday[2].id,
        WriteOptions {
            reason: Some("client called".into()),
            ..Default::default()
        },
        now,
    )
    .unwrap();
    // One hour freed (10:00): the higher priority wins it, though the other has waited longer.
    let offers = c.waitlist_offers(now).unwrap();
    assert_eq!(offers.len(), 1);
    assert_eq!(
        (offers[0].entry_id.as_str(), offers[0].start),
        (urgent.id.as_str(), tuesday[2].start)
    );
    let mut r = request(
        "drain",
        Some(&offers[0].provider_id),
        &service_coordinator::time::format_utc(offers[0].start),
    );
    r.client_ids = offers[0].client_ids.clone();
    c.book(r, now).unwrap();
    c.waitlist_remove(&urgent.id).unwrap();
    // A second cancellation goes to the client who waited longest.
    c.cancel(&tuesday[5].id, WriteOptions::default(), now)
        .unwrap();
    let offers = c.waitlist_offers(now).unwrap();
    assert_eq!(
        (offers[0].entry_id.as_str(), offers[0].start),
        (early.id.as_str(), tuesday[5].start)
    );
    assert_eq!(c.remove_client("c-3", now).unwrap_err().code, Code::InUse);
    let snap = c.snapshot();
    assert_eq!(
        Coordinator::restore(native_zones(), &snap)
            .unwrap()
            .snapshot(),
        snap
    );
}

#[test]
fn every_other_friday_off_and_first_saturday_overtime_are_recurring_rules() {
    let mut c = company();
    let now = monday_morning();
    let mut ben = c.provider("ben").unwrap().clone();
    ben.recurring_time_off = vec![RecurringSpan {
        rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR".into(),
        start: "2026-11-27T00:00".into(),
        end: "2026-11-28T00:00".into(),
        reason: Some("every other Friday".into()),
    }];
    ben.recurring_hours = vec![RecurringSpan {
        rrule: "FREQ=MONTHLY;BYDAY=1SA".into(),
        start: "2026-12-05T09:00".into(),
        end: "2026-12-05T13:00".into(),
        reason: None,
    }];
    c.upsert_provider(ben).unwrap();
    let err = c
        .book(request("drain", Some("ben"), "2026-11-27T09:00"), now)
        .unwrap_err();
    assert_eq!(err.code, Code::TimeOff);
    assert!(err.message.contains("every other Friday"));
    c.book(request("drain", Some("ben"), "2026-12-04T09:00"), now)
        .unwrap();
    assert_eq!(
        c.book(request("drain", Some("ben"), "2026-12-11T09:00"), now)
            .unwrap_err()
            .code,
        Code::TimeOff
    );
    // A Friday two years on is still off, found without walking from the first one.
    assert_eq!(
        c.book(request("drain", Some("ben"), "2028-11-24T09:00"), now)
            .unwrap_err()
            .code,
        Code::TimeOff
    ); // 104 weeks on
    c.book(request("drain", Some("ben"), "2028-11-17T09:00"), now)
        .unwrap(); // 103 weeks: a working Friday
                   // The first Saturday of December is bookable, the second is not.
    c.book(request("drain", Some("ben"), "2026-12-05T10:00"), now)
        .unwrap();
    assert_eq!(
        c.book(request("drain", Some("ben"), "2026-12-12T10:00"), now)
            .unwrap_err()
            .code,
        Code::OutsideWorkingHours
    );
    let q = AvailabilityQuery {
        service_id: "drain".into(),
        from: "2026-12-10".into(),
        to: "2026-12-13".into(),
        explain: true,
        ..Default::default()
    };
    let a = c.availability(&q, now).unwrap();
    let friday_nine = at("2026-12-11T14:00:00Z");
    assert!(!a.slots.iter().any(|s| s.start == friday_nine));
    let why = a
        .unavailable
        .iter()
        .find(|u| u.start == friday_nine)
        .unwrap();
    assert!(
        why.providers
            .contains(&("ben".to_string(), vec![Code::TimeOff])),
        "{:?}",
        why.providers
    );
    // Bad rules are refused at the door.
    let mut bad = c.provider("ben").unwrap().clone();
    bad.recurring_time_off[0].rrule = "FREQ=WEEKLY;BYWEEKNO=2".into();
    assert_eq!(c.upsert_provider(bad).unwrap_err().code, Code::InvalidRule);
    let snap = c.snapshot();
    assert_eq!(
        Coordinator::restore(native_zones(), &snap)
            .unwrap()
            .snapshot(),
        snap
    );
}

fn weekly(start: &str, count: u32) -> service_coordinator::planning::series::SeriesRequest {
    service_coordinator::planning::series::SeriesRequest {
        request: request("drain", Some("ben"), start),
        rrule: format!("FREQ=WEEKLY;COUNT={count}"),
        alternatives: 2,
        ..Default::default()
    }
}

#[test]
fn a_weekly_series_is_checked_as_a_whole_and_booked_all_or_nothing() {
    let mut c = company();
    let now = monday_morning();
    let clash = c
        .book(request("drain", Some("ben"), "2026-12-08T10:00"), now)
        .unwrap();
    let series = weekly("2026-11-24T10:00", 4);
    let checked = c.check_series(&series, now).unwrap();
    let ok: Vec<bool> = checked
        .occurrences
        .iter()
        .map(|o| o.violations.is_empty())
        .collect();
    assert_eq!(ok, vec![true, true, false, true]);
    assert_eq!(checked.occurrences[2].violations[0].code, Code::Overlap);
    assert!(checked.occurrences[2].violations[0].ids.contains(&clash.id));
    assert!(!checked.occurrences[2].alternatives.is_empty());
    let before = c.snapshot();
    assert_eq!(c.book_series(&series, now).unwrap_err().code, Code::Overlap);
    assert_eq!(c.snapshot(), before, "all or nothing");
    let booked = c
        .book_series(
            &service_coordinator::planning::series::SeriesRequest {
                bookable_only: true,
                ..series
            },
            now,
        )
        .unwrap();
    assert_eq!(
        booked
            .occurrences
            .iter()
            .filter(|o| o.booking_id.is_some())
            .count(),
        3
    );
    let first = c
        .booking(booked.occurrences[0].booking_id.as_ref().unwrap())
        .unwrap()
        .clone();
    assert_eq!(
        (first.series_id.as_deref(), first.recurrence_id),
        (Some(booked.series_id.as_str()), Some(first.start))
    );
    // One occurrence moved on its own keeps its identity.
    let moved = c
        .reschedule(
            &first.id,
            Reschedule {
                start: Some("2026-11-24T14:00".into()),
                ..Default::default()
            },
            now,
        )
        .unwrap();
    assert_eq!(
        (moved.series_id, moved.recurrence_id),
        (first.series_id.clone(), first.recurrence_id)
    );
}

#[test]
fn this_and_following_occurrences_move_or_cancel_together() {
    use service_coordinator::planning::series::SeriesChange;
    let mut c = company();
    let now = monday_morning();
    let s = c.book_series(&weekly("2026-11-24T10:00", 4), now).unwrap();
    let ids: Vec<String> = s
        .occurrences
        .iter()
        .map(|o| o.booking_id.clone().unwrap())
        .collect();
    let third = service_coordinator::time::format_utc(s.occurrences[2].start);
    // An hour later from the third on; a clash on the fourth's new time refuses the whole move.
    let blocker = c
        .book(request("drain", Some("ben"), "2026-12-15T11:00"), now)
        .unwrap();
    let later = SeriesChange {
        scope: "this_and_following".into(),
        from: Some(third.clone()),
        shift_minutes: Some(60),
        ..Default::default()
    };
    let before = c.snapshot();
    assert_eq!(
        c.reschedule_series(&s.series_id, &later, now)
            .unwrap_err()
            .code,
        Code::Overlap
    );
    assert_eq!(c.snapshot(), before);
    c.cancel(&blocker.id, WriteOptions::default(), now).unwrap();
    let moved = c.reschedule_series(&s.series_id, &later, now).unwrap();
    assert_eq!(moved.len(), 2);
    assert_eq!(
        c.booking(&ids[2]).unwrap().start,
        s.occurrences[2].start + 3600
    );
    assert_eq!(c.booking(&ids[1]).unwrap().start, s.occurrences[1].start);
    let all = SeriesChange {
        scope: "all".into(),
        reason: Some("moved away".into()),
        ..Default::default()
    };
    assert_eq!(c.cancel_series(&s.series_id, &all, now).unwrap().len(), 4);
    assert!(ids
        .iter()
        .all(|id| c.booking(id).unwrap().status == Status::Cancelled));
    assert_eq!(
        c.cancel_series("sr-none", &all, now).unwrap_err().code,
        Code::UnknownId
    );
}

fn import(
    c: &mut Coordinator,
    text: &str,
) -> service_coordinator::base::error::Result<service_coordinator::io::ical::ImportSummary> {
    let q = service_coordinator::io::ical::ImportQuery {
        provider_id: "ben".into(),
        horizon_days: Some(60),
    };
    c.import_icalendar(text, &q, monday_morning())
}

#[test]
fn a_technicians_own_calendar_blocks_his_time() {
    let mut c = company();
    let now = monday_morning();
    let ics = "\u{feff}BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//Outlook//EN\r\nX-WR-CALNAME;X-PARAM=\"a:b;c\":Ben's calendar\r\n\
BEGIN:VEVENT\r\nUID:dentist\r\nDTSTART;TZID=America/New_York:20261124T090000\r\nDTEND;TZID=America/New_York:20261124T1\r\n 03000\r\nSUMMARY:Dentist\\, then coffee\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:kid\r\nDTSTART;VALUE=DATE:20261125\r\nSUMMARY:School play\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:gym\r\nDTSTART:20261130T140000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\nEXDATE:20261207T140000Z\r\nSUMMARY:Gym\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:gym\r\nRECURRENCE-ID:20261214T140000Z\r\nDTSTART:20261214T160000Z\r\nDURATION:PT1H\r\nSUMMARY:Gym (moved)\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:off\r\nDTSTART:20261130T180000Z\r\nDTEND:20261130T190000Z\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:free\r\nDTSTART:20261130T190000Z\r\nDTEND:20261130T200000Z\r\nTRANSP:TRANSPARENT\r\nX-UNKNOWN;A=^'q^':x\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";
    let s = import(&mut c, ics).unwrap();
    assert_eq!((s.busy, s.skipped), (5, 2)); // dentist, school play, gym x2 (4 less the EXDATE and the moved one), the moved gym
    let refused = |c: &Coordinator, t: &str| {
        c.check(&request("drain", Some("ben"), t), now)
            .unwrap()
            .violations
            .first()
            .map(|v| v.code)
    };
    assert_eq!(refused(&c, "2026-11-24T09:30"), Some(Code::TimeOff)); // the dentist, across a folded line
    assert_eq!(refused(&c, "2026-11-25T14:00"), Some(Code::TimeOff)); // all day
    assert_eq!(refused(&c, "2026-11-30T09:00"), Some(Code::TimeOff)); // the gym, 14:00Z
    assert_eq!(refused(&c, "2026-12-07T09:00"), None); // EXDATE
    assert_eq!(refused(&c, "2026-12-14T09:00"), None); // moved away by RECURRENCE-ID...
    assert_eq!(refused(&c, "2026-12-14T11:00"), Some(Code::TimeOff)); // ...to 16:00Z
    assert_eq!(refused(&c, "2026-11-30T13:00"), None); // cancelled
    assert!(c
        .provider("ben")
        .unwrap()
        .time_off
        .iter()
        .any(|t| t.reason.as_deref() == Some("Dentist, then coffee")));
}

#[test]
fn free_busy_and_availability_files_become_busy_time_and_working_hours() {
    let mut c = company();
    let now = monday_morning();
    let fb = "BEGIN:VCALENDAR\nBEGIN:VFREEBUSY\nFREEBUSY;FBTYPE=BUSY:20261124T140000Z/PT2H,20261124T190000Z/20261124T200000Z\nFREEBUSY;FBTYPE=FREE:20261124T210000Z/PT1H\nEND:VFREEBUSY\nEND:VCALENDAR\n";
    assert_eq!(import(&mut c, fb).unwrap().busy, 2);
    assert_eq!(
        c.check(&request("drain", Some("ben"), "2026-11-24T10:00"), now)
            .unwrap()
            .violations[0]
            .code,
        Code::TimeOff
    );
    let av = "BEGIN:VCALENDAR\nBEGIN:VAVAILABILITY\nUID:a\nDTSTART:20261123T000000Z\nBEGIN:AVAILABLE\nUID:b\nDTSTART;TZID=America/New_York:20261207T100000\nDTEND;TZID=America/New_York:20261207T140000\nRRULE:FREQ=WEEKLY;BYDAY=MO\nEND:AVAILABLE\nEND:VAVAILABILITY\nEND:VCALENDAR\n";
    let s = import(&mut c, av).unwrap();
    assert!(s.available_dates >= 4);
    assert_eq!(
        c.check(&request("drain", Some("ben"), "2026-12-14T09:00"), now)
            .unwrap()
            .violations[0]
            .code,
        Code::OutsideWorkingHours
    );
    assert!(
        c.check(&request("drain", Some("ben"), "2026-12-14T10:00"), now)
            .unwrap()
            .ok
    );
}

#[test]
fn broken_calendars_are_refused_with_their_line_and_import_nothing() {
    let mut c = company();
    let before = c.snapshot();
    let long = format!(
        "BEGIN:VCALENDAR\nX-BIG:{}\nEND:VCALENDAR\n",
        "x".repeat(10 << 20)
    );
    for (ics, line) in [
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261124T090000Z\n", 2), // cut short
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261340T090000Z\nEND:VEVENT\nEND:VCALENDAR\n", 3), // no such date
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261124T090000Z\nEND:VTODO\nEND:VCALENDAR\n", 4), // mismatched END
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;TZID=Mars/Olympus:20261124T090000\nEND:VEVENT\nEND:VCALENDAR\n", 3),
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261124T090000Z\nRRULE:FREQ=WEEKLY;BYWEEKNO=2\nEND:VEVENT\nEND:VCALENDAR\n", 4),
        ("BEGIN:VCALENDAR\nno colon here\nEND:VCALENDAR\n", 2),
        (" continued\nBEGIN:VCALENDAR\nEND:VCALENDAR\n", 1),
        ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261124T090000Z\nDURATION:P1Y\nEND:VEVENT\nEND:VCALENDAR\n", 4),
        (long.as_str(), 2),
    ] {
        let err = import(&mut c, ics).unwrap_err();
        assert_eq!(err.code, Code::InvalidICalendar, "{}", &ics[..ics.len().min(80)]);
        assert!(err.message.starts_with(&format!("line {line}:")), "{} -> {}", &ics[..ics.len().min(80)], err.message);
    }
    assert_eq!(c.snapshot(), before, "nothing imported");
    // A rule that can never produce an instance imports nothing, and ends.
    let never = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261124T090000Z\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\nEND:VEVENT\nEND:VCALENDAR\n";
    assert_eq!(import(&mut c, never).unwrap().busy, 0);
}

#[test]
fn an_outlook_calendar_with_its_own_vtimezone_is_read_in_that_zone() {
    let mut c = company();
    let now = monday_morning();
    let ics = "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:Eastern Standard Time\r\n\
BEGIN:STANDARD\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\nEND:STANDARD\r\n\
BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=\"Eastern Standard Time\":20261124T090000\r\nDTEND;TZID=\"Eastern Standard Time\":20261124T100000\r\nSUMMARY:Winter\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:b\r\nDTSTART;TZID=Eastern Standard Time:20270601T090000\r\nDTEND;TZID=Eastern Standard Time:20270601T100000\r\nSUMMARY:Summer\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";
    let q = service_coordinator::io::ical::ImportQuery {
        provider_id: "ben".into(),
        horizon_days: Some(400),
    };
    // Outlook's onsets in 1601 are read from 1900 on; the zone works in winter and in summer.
    c.import_icalendar(ics, &q, now).unwrap();
    let off: Vec<(String, String)> = c
        .provider("ben")
        .unwrap()
        .time_off
        .iter()
        .map(|t| (t.start.clone(), t.end.clone()))
        .collect();
    assert!(
        off.contains(&("2026-11-24T14:00:00Z".into(), "2026-11-24T15:00:00Z".into())),
        "{off:?}"
    );
    assert!(
        off.contains(&("2027-06-01T13:00:00Z".into(), "2027-06-01T14:00:00Z".into())),
        "{off:?}"
    );
    // The file's zone is gone once the import ends.
    assert!(c
        .upsert_provider(from(
            json!({ "id": "x", "name": "X", "timeZone": "Eastern Standard Time" })
        ))
        .is_err());
}

#[test]
fn a_recurring_event_in_the_files_own_zone_expands_in_that_zone() {
    let mut c = company();
    let ics = "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:My Office\nBEGIN:STANDARD\nDTSTART:16011104T020000\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010311T020000\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\nEND:DAYLIGHT\nEND:VTIMEZONE\nBEGIN:VEVENT\nUID:standup\nDTSTART;TZID=My Office:20261026T090000\nDURATION:PT30M\nRRULE:FREQ=WEEKLY;COUNT=3\nEND:VEVENT\nEND:VCALENDAR\n";
    let q = service_coordinator::io::ical::ImportQuery {
        provider_id: "ben".into(),
        horizon_days: Some(60),
    };
    let now = at("2026-10-01T12:00:00Z");
    assert_eq!(c.import_icalendar(ics, &q, now).unwrap().busy, 3);
    let starts: Vec<String> = c
        .provider("ben")
        .unwrap()
        .time_off
        .iter()
        .map(|t| t.start.clone())
        .collect();
    // 09:00 in the file's zone on each Monday, across its fall-back of 2026-11-01.
    assert_eq!(
        starts,
        vec![
            "2026-10-26T13:00:00Z",
            "2026-11-02T14:00:00Z",
            "2026-11-09T14:00:00Z"
        ]
    );
}

/// The company on chrono-tz zones, with a count of the questions its zone source is asked:
/// (questions, unknown names). In wasm the source is the host's `Intl`, a crossing into JS each.
fn counted_company() -> (Coordinator, std::rc::Rc<std::cell::Cell<(u32, u32)>>) {
    use service_coordinator::time::native_tz::ChronoTz;
    use service_coordinator::time::zone::{OffsetSource, Zones};
    struct Counting(std::rc::Rc<std::cell::Cell<(u32, u32)>>);
    impl OffsetSource for Counting {
        fn offset(&self, zone: &str, utc: i64) -> Option<i32> {
            let answer = ChronoTz.offset(zone, utc);
            let (asked, unknown) = self.0.get();
            self.0
                .set((asked + 1, unknown + u32::from(answer.is_none())));
            answer
        }
    }
    let count = std::rc::Rc::default();
    let c = hvac_company(Zones::new(Box::new(Counting(std::rc::Rc::clone(&count)))));
    count.set((0, 0));
    (c, count)
}

/// Zone tables are built once per zone and span and then cached: a month of slots for every
/// technician, free/busy, a check and a booking in that month ask the zone source nothing more.
#[test]
fn queries_read_cached_zone_tables_not_the_zone_source_per_slot() {
    let (mut c, count) = counted_company();
    let q = AvailabilityQuery {
        service_id: "ac-check".into(),
        from: "2026-11-23".into(),
        to: "2026-12-23".into(),
        ..Default::default()
    };
    let warm = c.availability(&q, monday_morning()).unwrap();
    assert!(warm.slots.len() > 100);
    assert!(count.get().0 > 0, "the first query builds the tables");
    count.set((0, 0));
    assert_eq!(c.availability(&q, monday_morning()).unwrap(), warm);
    let fb = FreeBusyQuery {
        from: "2026-11-23".into(),
        to: "2026-12-23".into(),
        ..Default::default()
    };
    c.free_busy(&fb, monday_morning()).unwrap();
    let req = request("ac-check", None, "2026-12-01T09:00");
    assert!(c.check(&req, monday_morning()).unwrap().ok);
    c.book(req, monday_morning()).unwrap();
    assert_eq!(count.get(), (0, 0));
}

/// The zone source (the host's `Intl` in wasm, where an unknown name costs a thrown exception) is
/// asked while a zone's table is built, not once per imported event, and never about a zone the
/// file defines itself. Asking it per event made a 1 MB import six times slower in wasm.
#[test]
fn an_import_asks_the_zone_source_per_zone_not_per_event() {
    let asked = |events: usize| {
        let mut ics = String::from("BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:My Office\nBEGIN:STANDARD\nDTSTART:16011104T020000\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010311T020000\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\nEND:DAYLIGHT\nEND:VTIMEZONE\n");
        for i in 0..events {
            let zone = if i % 2 == 0 {
                "My Office"
            } else {
                "America/New_York"
            };
            ics += &format!("BEGIN:VEVENT\nUID:ev-{i}\nDTSTART;TZID={zone}:202612{:02}T{:02}0000\nDURATION:PT30M\nEND:VEVENT\n", 1 + i % 28, 8 + i % 9);
        }
        ics += "END:VCALENDAR\n";
        let (mut c, count) = counted_company();
        assert_eq!(import(&mut c, &ics).unwrap().busy as usize, events);
        count.get()
    };
    let (few, many) = (asked(10), asked(400));
    assert_eq!(
        (few.1, many.1),
        (0, 0),
        "no question about a name the file defines"
    );
    assert_eq!(few.0, many.0, "as many questions for 400 events as for 10");
}

#[test]
fn the_most_extreme_priorities_order_without_overflow() {
    let mut c = company();
    let now = monday_morning();
    let mut ids = Vec::new();
    for (p, t) in [(i32::MIN, "09:00"), (i32::MAX, "10:00")] {
        let mut r = request("drain", Some("ben"), &format!("2026-11-24T{t}"));
        r.priority = p;
        ids.push(c.book(r, now).unwrap().id);
    }
    // Ben is the only plumber: both jobs move to other days, the higher priority placed first.
    let plan = c
        .plan_repair(sick("ben", "2026-11-24", "2026-11-25"), now)
        .unwrap();
    let order: Vec<&str> = plan.moves.iter().map(|m| m.booking_id.as_str()).collect();
    assert_eq!(order, vec![ids[1].as_str(), ids[0].as_str()]);
    assert!(plan.unplaced.is_empty());
    for p in [i32::MIN, i32::MAX] {
        let e = service_coordinator::model::WaitlistEntry {
            priority: p,
            ..waiting(
                "c-3",
                0,
                "2026-11-20T09:00",
                &[("2026-11-25T08:00", "2026-11-25T17:00")],
            )
        };
        c.waitlist_add(
            service_coordinator::model::WaitlistEntry {
                id: format!("w{p}"),
                ..e
            },
            now,
        )
        .unwrap();
    }
    let offers = c.waitlist_offers(now).unwrap();
    let first = offers.iter().map(|o| o.entry_id.as_str()).next();
    assert_eq!(
        first,
        Some("w2147483647"),
        "the highest priority is offered first"
    );
}

#[test]
fn a_drag_is_checked_before_the_drop_and_leaves_the_booking_where_it_was() {
    let mut c = company();
    let now = monday_morning();
    let a = c
        .book(request("ac-check", Some("ana"), "2026-11-24T09:00"), now)
        .unwrap();
    c.book(request("ac-check", Some("ana"), "2026-11-24T11:00"), now)
        .unwrap();
    let onto = |start: &str| Reschedule {
        start: Some(start.into()),
        ..Default::default()
    };
    let clash = c
        .check_reschedule(&a.id, &onto("2026-11-24T10:30"), now)
        .unwrap();
    assert!(!clash.ok);
    assert_eq!(clash.violations[0].code, Code::Overlap);
    let free = c
        .check_reschedule(&a.id, &onto("2026-11-24T14:00"), now)
        .unwrap();
    assert!(free.ok, "{:?}", free.violations);
    // Moving onto the booking's own time is no clash with itself.
    assert!(
        c.check_reschedule(&a.id, &onto("2026-11-24T09:30"), now)
            .unwrap()
            .ok
    );
    assert_eq!(c.booking(&a.id).unwrap(), &a);
    assert!(
        c.take_changes().len() == 2,
        "only the two bookings were changes"
    );
    // A stale revision or an unknown booking is an error, as for `reschedule`.
    let stale = Reschedule {
        expected_revision: Some(9),
        ..onto("2026-11-24T14:00")
    };
    assert_eq!(
        c.check_reschedule(&a.id, &stale, now).unwrap_err().code,
        Code::StaleRevision
    );
    assert_eq!(
        c.check_reschedule("nope", &onto("2026-11-24T14:00"), now)
            .unwrap_err()
            .code,
        Code::UnknownId
    );
}

#[test]
fn bookings_left_behind_by_a_sick_call_are_at_risk() {
    let mut c = company();
    let now = monday_morning();
    let tue = c
        .book(request("ac-check", Some("ana"), "2026-11-24T09:00"), now)
        .unwrap();
    let wed = c
        .book(request("ac-check", Some("ana"), "2026-11-25T09:00"), now)
        .unwrap();
    let everything = BookingFilter::default();
    assert!(c.at_risk(&everything, now).unwrap().is_empty());
    ana_calls_in_sick_on_wednesday(&mut c);
    let risk = c.at_risk(&everything, now).unwrap();
    assert_eq!(risk.len(), 1);
    assert_eq!(risk[0].booking_id, wed.id);
    assert_eq!(risk[0].violations[0].code, Code::TimeOff);
    // Once over, or cancelled, a booking is no longer at risk.
    c.cancel(&wed.id, WriteOptions::default(), now).unwrap();
    assert!(c.at_risk(&everything, now).unwrap().is_empty());
    // Tuesday's job, never at risk, is as it was.
    assert_eq!(c.booking(&tue.id), Some(&tue));
}

/// A save from before group bookings kept their seats (format 1) still loads: each booking takes
/// its service's seats, the class keeps its third seat, and the next save is format 2.
#[test]
fn a_format_1_save_still_loads_with_its_class_intact() {
    let text = std::fs::read_to_string("tests/data/snapshot-v1.json").unwrap();
    let mut c = Coordinator::restore(native_zones(), &text).unwrap();
    let class: Vec<_> = c
        .bookings(&BookingFilter {
            service_id: Some("safety-class".into()),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|b| b.session_seats)
        .collect();
    assert_eq!(class, vec![3, 3]);
    let now = at("2026-11-23T12:00:00Z");
    let mut third = request("safety-class", Some("ana"), "2026-11-24T09:00");
    third.client_ids = vec![];
    c.book(third.clone(), now).unwrap();
    assert_eq!(c.book(third, now).unwrap_err().code, Code::SeatsFull);
    let saved = c.snapshot();
    assert!(saved.starts_with("{\"version\":2,"));
    assert_eq!(
        Coordinator::restore(native_zones(), &saved)
            .unwrap()
            .snapshot(),
        saved
    );
}
