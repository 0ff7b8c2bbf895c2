//! Scenarios: the waitlist.

use super::*;

pub(super) fn waiting(
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
                start: when(a),
                end: when(b),
            })
            .collect(),
        priority,
        joined_at: Some(when(joined)),
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
