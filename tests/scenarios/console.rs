//! Scenarios: what the console checks: drags and bookings at risk.

use super::*;

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
        start: Some(when(start)),
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

/// A service's colour is the host's to set, as `#rrggbb` only: it goes into a page's style, so
/// anything else (a CSS injection among it) is refused and nothing changes.
#[test]
fn a_service_colour_is_six_hex_digits_or_refused() {
    let mut c = company();
    let mut s = c.service("drain").unwrap().clone();
    s.color = Some("#1a7f5c".into());
    c.upsert_service(s.clone()).unwrap();
    let back = Coordinator::restore(native_zones(), &c.snapshot()).unwrap();
    assert_eq!(
        back.service("drain").unwrap().color.as_deref(),
        Some("#1a7f5c")
    );
    let before = c.snapshot();
    for bad in [
        "red",
        "#12345",
        "#1234567",
        "#12345g",
        "#000;background:url(x)",
    ] {
        s.color = Some(bad.into());
        assert_eq!(
            c.upsert_service(s.clone()).unwrap_err().code,
            Code::InvalidInput,
            "{bad}"
        );
    }
    assert_eq!(c.snapshot(), before);
}
