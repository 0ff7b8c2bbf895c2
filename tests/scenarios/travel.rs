//! Scenarios: on-site visits leave time to drive (`TRAVEL_TIME`).
//!
//! The fixture's boiler service is done at the client's. Drives at the default model (great
//! circle x 1.3 at 40 km/h, whole minutes up): Ana's home in Brooklyn to Dana (Upper West Side)
//! 25 min, to Gus (Staten Island) 41; Dana to Eli (Harlem) 8; Dana to Gus 54.

use super::*;
use service_coordinator::reports::metrics::{GroupBy, MetricsQuery};
use service_coordinator::time::format_utc;

/// A boiler service for `client` with Ana on Tuesday 2026-11-24 at `time` (New York).
fn visit(client: &str, time: &str) -> BookingRequest {
    let mut r = request("boiler-service", Some("ana"), &format!("2026-11-24T{time}"));
    r.client_ids = vec![client.into()];
    r
}

fn refused(c: &mut Coordinator, r: BookingRequest) -> service_coordinator::Error {
    let before = c.snapshot();
    let e = c.book(r, monday_morning()).unwrap_err();
    assert_eq!(c.snapshot(), before, "a refusal changes nothing");
    e
}

#[test]
fn the_first_visit_of_the_day_leaves_time_to_drive_from_home() {
    let mut c = company();
    let e = refused(&mut c, visit("c-1", "08:15"));
    assert_eq!(e.code, Code::TravelTime);
    assert!(
        e.message.contains("25 minutes to drive from home"),
        "{}",
        e.message
    );
    c.book(visit("c-1", "08:30"), monday_morning()).unwrap();
}

#[test]
fn the_next_visit_waits_for_the_drive_across_town() {
    let mut c = company();
    let now = monday_morning();
    let dana = c.book(visit("c-1", "09:00"), now).unwrap();
    // Staten Island is 54 minutes from the Upper West Side: not at 10:00 or 10:45.
    for time in ["10:00", "10:45"] {
        let e = refused(&mut c, visit("c-4", time));
        assert_eq!(codes(&e), vec![Code::TravelTime]);
        assert!(e.details[0].ids.contains(&dana.id.to_string()));
    }
    c.book(visit("c-4", "11:00"), now).unwrap();
    // Harlem is 8 minutes away, and the Staten Island visit has taken 11:00.
    assert_eq!(
        refused(&mut c, visit("c-2", "10:00")).code,
        Code::TravelTime
    );
    // 10:15-11:15 runs into Gus's at 11:00: an overlap (the drive is not counted twice).
    let e = c.check(&visit("c-2", "10:15"), now).unwrap();
    let found: Vec<Code> = e.violations.iter().map(|v| v.code).collect();
    assert_eq!(found, vec![Code::Overlap]);
}

#[test]
fn a_visit_before_another_leaves_time_to_drive_on_to_it() {
    let mut c = company();
    let now = monday_morning();
    c.book(visit("c-1", "11:00"), now).unwrap();
    // 09:00-10:00 on Staten Island, then 54 minutes to Dana's by 11:00: fine; 09:15 is not.
    let e = c.check(&visit("c-4", "09:15"), now).unwrap();
    assert_eq!(e.violations[0].code, Code::TravelTime);
    assert!(
        e.violations[0].message.contains("on to booking"),
        "{}",
        e.violations[0].message
    );
    c.book(visit("c-4", "09:00"), now).unwrap();
}

#[test]
fn availability_offers_only_reachable_slots_and_explain_says_why() {
    let mut c = company();
    let now = monday_morning();
    c.book(visit("c-1", "09:00"), now).unwrap();
    let gus = c.client("c-4").unwrap().location.clone();
    let q = AvailabilityQuery {
        service_id: "boiler-service".into(),
        from: when("2026-11-24T00:00"),
        to: when("2026-11-25T00:00"),
        provider_ids: Some(vec!["ana".into()]),
        explain: true,
        location: gus,
        ..Default::default()
    };
    let a = c.availability(&q, now).unwrap();
    let starts: Vec<String> = a.slots.iter().map(|s| format_utc(s.start)).collect();
    // 11:00 (10:54 after Dana's); after lunch, which Ana takes where she is, 14:00 (13:54 from
    // Dana's) to 15:15 (41 minutes home by 17:00).
    let mut want = vec!["2026-11-24T16:00:00Z".to_string()];
    for q in 0..6 {
        want.push(format_utc(at("2026-11-24T19:00:00Z") + q * 15 * 60));
    }
    assert_eq!(starts, want);
    // Every 15-minute step of the day is a slot or explained: the slot search merges a stop's
    // travel and overlap blocks into one and must block no more than the rules do.
    assert_eq!(a.slots.len() + a.unavailable.len(), 96);
    let codes_at = |t: &str| {
        a.unavailable
            .iter()
            .find(|u| u.start == at(t))
            .map(|u| u.providers[0].1.clone())
    };
    assert_eq!(
        codes_at("2026-11-24T15:00:00Z"),
        Some(vec![Code::TravelTime])
    ); // 10:00
    assert_eq!(
        codes_at("2026-11-24T20:30:00Z"),
        Some(vec![Code::TravelTime])
    ); // 15:30
       // 08:00: 41 minutes from home (and 54 on to Dana's); 08:45 runs into Dana's visit.
    assert_eq!(
        codes_at("2026-11-24T13:00:00Z"),
        Some(vec![Code::TravelTime])
    );
    assert_eq!(codes_at("2026-11-24T13:45:00Z"), Some(vec![Code::Overlap]));
}

#[test]
fn lunch_is_not_driving_time() {
    let mut c = company();
    let now = monday_morning();
    c.book(visit("c-1", "11:00"), now).unwrap();
    // Lunch 12:00-13:00 is a gap in Ana's hours: she eats where she is, then drives 54 minutes.
    assert_eq!(
        refused(&mut c, visit("c-4", "13:45")).code,
        Code::TravelTime
    );
    c.book(visit("c-4", "14:00"), now).unwrap();
}

#[test]
fn an_afternoon_off_starts_at_home_and_leaves_the_morning_open() {
    let mut c = company();
    let now = monday_morning();
    time_off(
        &mut c,
        "ana",
        "2026-11-24T14:00",
        "2026-11-25T00:00",
        "dentist",
    );
    // The morning is as any other: she drives home before her time off, not after it.
    c.book(visit("c-1", "09:00"), now).unwrap();
    // 13:00-14:00 at Dana's leaves no time for the 25 minutes home by 14:00.
    let e = refused(&mut c, visit("c-1", "13:00"));
    assert_eq!(codes(&e), vec![Code::TravelTime]);
    assert!(e.message.contains("on to home"), "{}", e.message);
    // The same hour without a drive (a call, done where she is) is fine.
    c.book(request("ac-check", Some("ana"), "2026-11-24T13:00"), now)
        .unwrap();
}

#[test]
fn buffers_are_not_driving_time_at_home_or_after_lunch() {
    let mut c = company();
    let now = monday_morning();
    // Fifteen minutes to set up before each boiler service, at the client's.
    let mut s = c.service("boiler-service").unwrap().clone();
    s.buffer_before_minutes = 15;
    c.upsert_service(s).unwrap();
    // Ana's day starts at 08:00 at home, 25 minutes from Dana's: the set-up starts after the
    // drive, so 08:40 at the earliest (the hours let the buffer start before 08:00, not the drive).
    for time in ["08:00", "08:10", "08:30"] {
        assert_eq!(
            refused(&mut c, visit("c-1", time)).code,
            Code::TravelTime,
            "{time}"
        );
    }
    c.book(visit("c-1", "08:40"), now).unwrap();
    // After lunch (12:00-13:00) in Harlem, 8 minutes on: 13:23 at the earliest, not 13:05.
    c.book(visit("c-2", "11:00"), now).unwrap();
    assert_eq!(
        refused(&mut c, visit("c-1", "13:05")).code,
        Code::TravelTime
    );
    c.book(visit("c-1", "13:23"), now).unwrap();
}

#[test]
fn a_call_between_two_visits_is_worked_around() {
    let mut c = company();
    let now = monday_morning();
    c.book(visit("c-1", "08:30"), now).unwrap();
    // An AC check is not done on site: it takes 09:30-10:30 wherever Ana is.
    c.book(request("ac-check", Some("ana"), "2026-11-24T09:30"), now)
        .unwrap();
    // Harlem is 8 minutes from Dana's, driven after the call.
    assert_eq!(
        refused(&mut c, visit("c-2", "10:30")).code,
        Code::TravelTime
    );
    c.book(visit("c-2", "10:45"), now).unwrap();
}

#[test]
fn services_not_done_on_site_and_providers_without_a_home_need_no_drive() {
    let mut c = company();
    let now = monday_morning();
    c.book(request("ac-check", Some("ana"), "2026-11-24T08:00"), now)
        .unwrap();
    c.book(request("ac-check", Some("ana"), "2026-11-24T09:00"), now)
        .unwrap();
    // Cara has no home set: her day starts at her first visit.
    let mut r = request("boiler-service", Some("cara"), "2026-11-24T08:00");
    r.time_zone = Some("America/Chicago".into());
    c.book(r, now).unwrap();
}

#[test]
fn an_on_site_visit_needs_a_place_and_keeps_it() {
    let mut c = company();
    let now = monday_morning();
    c.upsert_client(from(json!({ "id": "c-9", "name": "Ida Park" })))
        .unwrap();
    let e = refused(&mut c, visit("c-9", "10:00"));
    assert_eq!(e.code, Code::LocationMissing);
    // A place of its own: the booking keeps it, whatever later happens to the client's.
    let mut r = visit("c-9", "10:00");
    r.location = Some(from(
        json!({ "lat": 40.7306, "lng": -73.9866, "address": "E 14th St" }),
    ));
    let b = c.book(r, now).unwrap();
    assert_eq!(b.location().unwrap().address.as_deref(), Some("E 14th St"));
    // Dana's visit defaults to her own location.
    let d = c.book(visit("c-1", "14:00"), now).unwrap();
    assert_eq!(d.location(), c.client("c-1").unwrap().location.as_ref());
    // A place is refused for a service not done on site, and a place off the globe.
    let mut r = request("ac-check", Some("ana"), "2026-11-24T15:30");
    r.location = Some(from(json!({ "lat": 40.7, "lng": -73.9 })));
    assert_eq!(refused(&mut c, r).code, Code::InvalidInput);
    let mut r = visit("c-9", "16:00");
    r.location = Some(from(json!({ "lat": 95.0, "lng": -73.9 })));
    assert_eq!(refused(&mut c, r).code, Code::InvalidInput);
}

#[test]
fn moving_a_visit_keeps_the_drive_to_its_neighbours() {
    let mut c = company();
    let now = monday_morning();
    c.book(visit("c-1", "09:00"), now).unwrap();
    let gus = c.book(visit("c-4", "14:00"), now).unwrap();
    let before = c.snapshot();
    let moved = Reschedule {
        start: Some(when("2026-11-24T10:15")),
        ..Default::default()
    };
    let e = c.reschedule(&gus.id, moved, now).unwrap_err();
    assert_eq!(e.code, Code::TravelTime);
    assert_eq!(c.snapshot(), before);
    let moved = Reschedule {
        start: Some(when("2026-11-24T11:00")),
        ..Default::default()
    };
    c.reschedule(&gus.id, moved, now).unwrap();
}

#[test]
fn the_travel_model_is_set_saved_and_restored() {
    let mut c = company();
    let now = monday_morning();
    assert!(
        !c.snapshot().contains("\"travel\""),
        "the default is left out"
    );
    // Slower roads: 20 km/h doubles Ana's 25 minutes from home to 49 (rounded up).
    c.set_travel(from(json!({ "speedKmh": 20 }))).unwrap();
    let e = refused(&mut c, visit("c-1", "08:45"));
    assert!(e.message.contains("49 minutes"), "{}", e.message);
    c.book(visit("c-1", "09:00"), now).unwrap();
    let snap = c.snapshot();
    assert!(
        snap.contains("\"travel\":{\"detour\":1.3,\"speedKmh\":20"),
        "{snap}"
    );
    let back = Coordinator::restore(native_zones(), &snap).unwrap();
    assert_eq!(back.snapshot(), snap);
    assert_eq!(back.travel().speed_kmh, 20.0);
    let before = c.snapshot();
    assert_eq!(
        c.set_travel(from(json!({ "speedKmh": 0 })))
            .unwrap_err()
            .code,
        Code::InvalidInput
    );
    assert_eq!(c.snapshot(), before);
}

#[test]
fn a_repair_moves_visits_only_where_the_drive_fits() {
    let mut c = company();
    let now = monday_morning();
    c.book(visit("c-1", "09:00"), now).unwrap();
    c.book(visit("c-4", "11:00"), now).unwrap();
    c.book(visit("c-2", "14:15"), now).unwrap(); // 61 minutes after lunch from Staten Island
                                                 // Ana is out on Tuesday: the plan moves her visits, each to a time and technician the
                                                 // travel rule allows among everything else the plan places.
    let d = service_coordinator::model::plan::Disruption {
        provider_id: Some("ana".into()),
        start: when("2026-11-24"),
        end: when("2026-11-25"),
        reason: Some("sick".into()),
        ..Default::default()
    };
    let plan = c.plan_repair(d, now).unwrap();
    assert_eq!(plan.moves.len() + plan.unplaced.len(), 3);
    c.apply_plan(&plan.id, now).unwrap();
    assert!(c
        .at_risk(&BookingFilter::default(), now)
        .unwrap()
        .is_empty());
    // Whoever took two of them has the drive between them.
    let mut moved: Vec<Booking> = c
        .bookings(&BookingFilter::default(), Default::default())
        .unwrap()
        .into_iter()
        .filter(|b| b.status.blocks_time())
        .cloned()
        .collect();
    moved.sort_by_key(|b| (b.provider_id.to_string(), b.start));
    for pair in moved.windows(2) {
        if pair[0].provider_id == pair[1].provider_id && pair[0].end <= pair[1].start {
            let drive = c
                .travel()
                .seconds(pair[0].location().unwrap(), pair[1].location().unwrap());
            assert!(pair[1].start - pair[0].end >= drive, "{pair:?}");
        }
    }
}

/// Completes `id` at Friday noon, with what the visit record says.
fn complete(c: &mut Coordinator, id: &str, record: serde_json::Value) {
    let opts: WriteOptions = from(json!({ "visit": record }));
    let friday = at("2026-11-27T17:00:00Z");
    c.set_status(id, Status::Completed, opts, friday).unwrap();
}

#[test]
fn utilisation_counts_the_drive_from_the_last_place_that_day() {
    let mut c = company();
    let now = monday_morning();
    let book = |c: &mut Coordinator, id: &str, mut r: BookingRequest| {
        r.id = Some(id.into());
        c.book(r, now).unwrap();
    };
    // Booked out of order: the pass reads each visit's day in Ana's own order.
    let ac_check = |start: &str| request("ac-check", Some("ana"), start);
    let wed = |client: &str, time: &str| {
        let mut r = visit(client, "00:00");
        r.start = when(&format!("2026-11-25T{time}"));
        r
    };
    book(&mut c, "w3", wed("c-1", "14:00"));
    book(&mut c, "t3", visit("c-2", "14:15"));
    book(&mut c, "w1", wed("c-4", "09:00"));
    book(&mut c, "t1", visit("c-1", "09:00"));
    book(&mut c, "t4", visit("c-1", "15:30"));
    book(&mut c, "w2", ac_check("2026-11-25T10:30"));
    book(&mut c, "t2", visit("c-4", "11:00"));
    // Tuesday. Dana at 09:00, done as booked: 25 minutes from home.
    complete(&mut c, "t1", json!({}));
    // Gus at 11:00 is never closed: not Ana's time, and not where she drove from to Eli's.
    // Eli at 14:15: 8 minutes from Dana's.
    complete(&mut c, "t3", json!({}));
    // Dana again at 15:30: Ana says she left at 15:15, arrived 15:30 and finished 16:20.
    complete(
        &mut c,
        "t4",
        json!({ "departedAt": "2026-11-24T20:15:00Z", "actualStart": "2026-11-24T20:30:00Z",
                "actualEnd": "2026-11-24T21:20:00Z" }),
    );
    // Wednesday. Gus at 09:00: a new day starts from home, 41 minutes. Then an AC check with no
    // place, spent where Ana is (as the travel rule has it), and Dana's at 14:00: 54 minutes
    // from Gus's.
    complete(&mut c, "w1", json!({}));
    complete(&mut c, "w2", json!({}));
    complete(&mut c, "w3", json!({}));
    let q = MetricsQuery {
        from: when("2026-11-24"),
        to: when("2026-11-26"),
        provider_ids: Some(vec!["ana".into()]),
        ..Default::default()
    };
    for by in [GroupBy::None, GroupBy::Provider, GroupBy::Day] {
        let m = c
            .metrics(
                &MetricsQuery {
                    group_by: by,
                    ..q.clone()
                },
                at("2026-11-30T12:00:00Z"),
            )
            .unwrap();
        let t = &m.total.now;
        assert_eq!(t.travel, (25 + 8 + 15 + 41 + 54) * 60, "{by:?}");
        assert_eq!(t.on_site, (60 + 60 + 50 + 60 + 60 + 60) * 60, "{by:?}");
        // Two days of 08:00-12:00 and 13:00-17:00.
        assert_eq!(t.capacity, 2 * 8 * 3600, "{by:?}");
    }
    let by_day = c
        .metrics(
            &MetricsQuery {
                group_by: GroupBy::Day,
                ..q
            },
            at("2026-11-30T12:00:00Z"),
        )
        .unwrap();
    let travel: Vec<i64> = by_day.groups.iter().map(|g| g.now.travel / 60).collect();
    assert_eq!(travel, [25 + 8 + 15, 41 + 54]);
}
