//! Scenarios: booking & working time: hours, buffers, vans, caps, group classes, status, zones, snapshots.

use super::*;

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
    assert!(err.details[0].ids.contains(&first.id.to_string()));
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
        from: when("2026-11-25"),
        to: when("2026-11-26"),
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
        from: when("2026-11-24"),
        to: when("2026-11-25"),
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
        from: when("2026-11-24"),
        to: when("2026-11-26"),
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
        from: when("2026-11-26"),
        to: when("2026-11-27"),
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
                start: Some(when("2026-11-24T10:00")),
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
                start: Some(when("2026-11-24T14:00")),
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
                start: Some(when("2026-11-24T09:30")),
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
        from: when("2026-11-24"),
        to: when("2026-11-25"),
        ..Default::default()
    };
    let kolkata = AvailabilityQuery {
        from: when("2026-11-24T10:30+05:30"),
        to: when("2026-11-25T10:30+05:30"),
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
    assert!(err.details[0].ids.contains(&b.id.to_string()));
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
                from: when("2026-11-24"),
                to: when("2026-11-25"),
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
            start: Some(when("2026-11-24T13:00")),
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
        from: when("2026-01-01"),
        to: when("2126-01-01"),
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
        from: when("2026-11-24"),
        to: when("2026-11-25"),
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
                from: when("2026-11-26"),
                to: when("2026-11-27"),
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
            date: date("2026-11-28"),
            hours: vec![HoursRange {
                start: clock("09:00"),
                end: clock("13:00"),
            }],
            reason: Some("overtime".into()),
        },
        DateOverride {
            date: date("2026-11-26"),
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
        c.bookings(&f, Default::default())
            .unwrap()
            .iter()
            .map(|b| b.id.to_string())
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
            from: Some(when("2026-11-25")),
            ..Default::default()
        }),
        vec![a.id.clone()]
    );
}
