//! Scenarios: holds: a slot kept while the client types, and its confirmation.

use super::*;

fn minutes_later(m: i64) -> Instant {
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
        (held.status, held.expires_at()),
        (Status::Held, Some(minutes_later(10)))
    );
    let mut other = request("drain", Some("ben"), "2026-11-24T10:00");
    other.client_ids = vec!["c-2".into()];
    let err = c.book(other.clone(), minutes_later(5)).unwrap_err();
    assert_eq!(err.code, Code::Overlap);
    assert!(err.details[0].ids.contains(&held.id.to_string()));
    let q = AvailabilityQuery {
        service_id: "drain".into(),
        from: when("2026-11-24"),
        to: when("2026-11-25"),
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
        (confirmed.status, confirmed.expires_at(), confirmed.revision),
        (Status::Confirmed, None, 2)
    );
    assert_eq!(confirmed.client_ids, vec!["c-3".to_string()]);
    assert_eq!(
        confirmed
            .history
            .iter()
            .map(|h| &*h.action)
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

/// The page that holds a time still lists it (and the times its buffers touch) while the client
/// types: `exceptHold` counts that one hold's time as free, for nobody else.
#[test]
fn the_holder_still_sees_the_time_it_holds() {
    let mut c = company();
    let held = c
        .hold(
            request("drain", Some("ben"), "2026-11-24T10:00"),
            10,
            monday_morning(),
        )
        .unwrap();
    let starts = |c: &Coordinator, except: Option<&str>| -> Vec<Instant> {
        let q = AvailabilityQuery {
            service_id: "drain".into(),
            from: when("2026-11-24"),
            to: when("2026-11-25"),
            provider_ids: Some(vec!["ben".into()]),
            except_hold: except.map(str::to_string),
            ..Default::default()
        };
        let a = c.availability(&q, minutes_later(1)).unwrap();
        a.slots.iter().map(|s| s.start).collect()
    };
    let ten = at("2026-11-24T15:00:00Z");
    let others = starts(&c, None);
    let mine = starts(&c, Some(&held.id));
    assert!(!others.contains(&ten));
    assert!(
        mine.contains(&ten),
        "the held time is listed for its holder"
    );
    assert!(mine.len() > others.len());
    // Only a hold can be passed over, and only one that exists.
    let booked = c
        .book(
            request("drain", Some("ben"), "2026-11-24T13:00"),
            monday_morning(),
        )
        .unwrap();
    let q = |id: &str| AvailabilityQuery {
        service_id: "drain".into(),
        from: when("2026-11-24"),
        to: when("2026-11-25"),
        except_hold: Some(id.into()),
        ..Default::default()
    };
    let before = c.snapshot();
    assert_eq!(
        c.availability(&q(&booked.id), monday_morning())
            .unwrap_err()
            .code,
        Code::InvalidInput
    );
    assert_eq!(
        c.availability(&q("bk-404"), monday_morning())
            .unwrap_err()
            .code,
        Code::UnknownId
    );
    assert_eq!(c.snapshot(), before);
}
