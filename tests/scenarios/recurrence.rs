//! Scenarios: recurring hours and time off, and series of bookings.

use super::*;

#[test]
fn every_other_friday_off_and_first_saturday_overtime_are_recurring_rules() {
    let mut c = company();
    let now = monday_morning();
    let mut ben = c.provider("ben").unwrap().clone();
    ben.recurring_time_off = vec![RecurringSpan {
        rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR".into(),
        start: when("2026-11-27T00:00"),
        end: when("2026-11-28T00:00"),
        reason: Some("every other Friday".into()),
    }];
    ben.recurring_hours = vec![RecurringSpan {
        rrule: "FREQ=MONTHLY;BYDAY=1SA".into(),
        start: when("2026-12-05T09:00"),
        end: when("2026-12-05T13:00"),
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
        from: when("2026-12-10"),
        to: when("2026-12-13"),
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
    // Nothing was booked: no series id, no booking ids.
    assert!(checked.series_id.is_empty());
    assert!(checked.occurrences.iter().all(|o| o.booking_id.is_none()));
    assert_eq!(checked.occurrences[2].violations[0].code, Code::Overlap);
    assert!(checked.occurrences[2].violations[0]
        .ids
        .contains(&clash.id.to_string()));
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
        (first.series_id(), first.recurrence_id()),
        (Some(booked.series_id.as_str()), Some(first.start))
    );
    // One occurrence moved on its own keeps its identity.
    let moved = c
        .reschedule(
            &first.id,
            Reschedule {
                start: Some(when("2026-11-24T14:00")),
                ..Default::default()
            },
            now,
        )
        .unwrap();
    assert_eq!(
        (moved.series_id(), moved.recurrence_id()),
        (first.series_id(), first.recurrence_id())
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
        from: Some(when(&third)),
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
