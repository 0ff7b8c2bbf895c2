//! Scenarios: planning Tuesday's work orders with the route solver, natively (as a server would),
//! and committing the plan as bookings, all or nothing.

use super::*;
use service_coordinator::planning::day::{DayQuery, NEW_VISIT};
use service_coordinator::time::format_utc;
use service_dispatch::wire;

const TUESDAY: &str = "2026-11-24";

/// The company with a plumbing job done on site, and ten work orders for Tuesday: boiler services
/// and leak repairs around New York, each promised a morning or an afternoon arrival window.
fn tuesday() -> Coordinator {
    let mut c = company();
    c.upsert_service(from(
        json!({ "id": "leak-repair", "name": "Leak repair", "durationMinutes": 45,
        "requiredSkills": ["plumbing"], "onSite": true, "bufferAfterMinutes": 15 }),
    ))
    .unwrap();
    let places = [
        (40.7484, -73.9857), // Midtown
        (40.7061, -74.0087), // Financial District
        (40.6892, -73.9814), // Downtown Brooklyn
        (40.7420, -73.9200), // Sunnyside
        (40.7580, -73.8300), // Flushing
        (40.6500, -73.9500), // Flatbush
        (40.8200, -73.9200), // South Bronx
        (40.7300, -73.9900), // East Village
        (40.6700, -73.8600), // East New York
        (40.7700, -73.9600), // Upper East Side
    ];
    for (i, (lat, lng)) in places.into_iter().enumerate() {
        let client = format!("w-{i}");
        c.upsert_client(from(json!({ "id": client, "name": format!("Client {i}"),
            "location": { "lat": lat, "lng": lng, "address": format!("{i} Main St") } })))
            .unwrap();
        let (service, window) = match i % 3 {
            0 => ("leak-repair", ("08:00", "17:00")),
            1 => ("boiler-service", ("08:00", "12:00")),
            _ => ("boiler-service", ("13:00", "17:00")),
        };
        c.upsert_work_order(from(json!({ "id": format!("wo-{}", i + 1), "serviceId": service,
            "clientIds": [client], "priority": 1,
            "windows": [{ "start": format!("{TUESDAY}T{}", window.0), "end": format!("{TUESDAY}T{}", window.1) }] })))
            .unwrap();
    }
    c.take_changes();
    c
}

fn problem(c: &Coordinator, replan: bool) -> serde_json::Value {
    let q: service_coordinator::planning::day::DayQuery =
        from(json!({ "date": TUESDAY, "replan": replan }));
    let p = c.day_problem(&q, monday_morning()).unwrap();
    serde_json::from_str(&service_coordinator::json::to_string(&p)).unwrap()
}

/// Solves as the Worker does, for a fixed number of iterations (one plan for a seed).
fn solve(day: &serde_json::Value) -> serde_json::Value {
    solve_day(day, 3_000)
}

/// Every booking holding time passes the rules where it stands (travel among them).
fn assert_every_booking_passes(c: &Coordinator) {
    for b in c
        .bookings(&BookingFilter::default(), Default::default())
        .unwrap()
    {
        if !b.status.blocks_time() {
            continue;
        }
        let moved = c
            .check_reschedule(&b.id, &Reschedule::default(), monday_morning())
            .unwrap();
        assert!(
            moved.ok,
            "{} fails where it stands: {:?}",
            b.id, moved.violations
        );
    }
}

#[test]
fn the_days_work_orders_are_planned_and_booked_through_the_rules() {
    let mut c = tuesday();
    let now = monday_morning();
    // Ana already has a boiler service at Dana's at 10:00: a fixed stop.
    let mut dana = request("boiler-service", Some("ana"), "2026-11-24T10:00");
    dana.client_ids = vec!["c-1".into()];
    let fixed = c.book(dana, now).unwrap();
    let day = problem(&c, false);
    assert_eq!(day["workOrders"].as_array().unwrap().len(), 10);
    let jobs = day["problem"]["jobs"].as_array().unwrap();
    let dana_job = jobs
        .iter()
        .find(|j| j["id"] == format!("booking:{}", fixed.id))
        .expect("the booking is a fixed stop");
    assert_eq!(dana_job["fixed"], true);
    // Ana's lunch is a break at a fixed time; her shift runs from her first hour to her last.
    let ana = &day["problem"]["technicians"][0];
    assert_eq!(ana["id"], "ana");
    assert_eq!(ana["shifts"][0]["breaks"][0]["duration"], 3600);
    let plan = solve(&day);
    assert!(plan["unassigned"].as_array().unwrap().is_empty(), "{plan}");
    let booked = c
        .commit_day_plan(from(commit_input(&day, &plan)), now)
        .unwrap();
    assert_eq!(booked.len(), 10);
    for b in &booked {
        let order = c
            .work_orders()
            .find(|o| o.booking_id.as_deref() == Some(&*b.id))
            .expect("each booking is linked to its work order");
        // Inside its promised window, done by someone with the skills, at the client's place.
        let w = &order.windows[0];
        assert!(w.start.instant().unwrap() <= b.start && b.start <= w.end.instant().unwrap());
        assert_eq!(
            b.location(),
            c.client(&order.client_ids[0]).unwrap().location.as_ref()
        );
        assert_eq!(b.history[0].reason.as_deref(), Some("dispatch plan"));
    }
    assert_every_booking_passes(&c);
    // Nothing is left to plan.
    assert!(problem(&c, false)["workOrders"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_booked_day_reads_back(&c, 10);
}

/// The day as booked, read back as a re-plan's problem and its given routes, is a feasible plan
/// to the solver with every booked visit on it (what the dispatch board shows).
fn assert_booked_day_reads_back(c: &Coordinator, visits: usize) {
    let day = problem(c, true);
    let plan: serde_json::Value = serde_json::from_str(
        &wire::evaluate(&day["problem"].to_string(), &day["plan"].to_string()).unwrap(),
    )
    .unwrap();
    let kept = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["stops"].as_array().unwrap())
        .filter(|s| s["kind"] == "job")
        .count();
    assert_eq!(kept, visits, "{plan}");
}

#[test]
fn a_stale_or_broken_plan_books_nothing() {
    let mut c = tuesday();
    let now = monday_morning();
    let day = problem(&c, false);
    let plan = solve(&day);
    let input = commit_input(&day, &plan);
    // Someone books in the meantime: the plan is stale.
    c.book(request("ac-check", Some("cara"), "2026-11-27T10:00"), now)
        .unwrap();
    let before = c.snapshot();
    let e = c.commit_day_plan(from(input.clone()), now).unwrap_err();
    assert_eq!(e.code, Code::StalePlan);
    assert_eq!(c.snapshot(), before);
    // A plan tampered with so its last visit lands on the first one's time: refused whole.
    let day = problem(&c, false);
    let mut input = commit_input(&day, &solve(&day));
    let route = input["routes"][0]["stops"].as_array_mut().unwrap();
    let first = route[0]["start"].clone();
    let last = route.len() - 1;
    route[last]["start"] = first;
    let before = c.snapshot();
    let e = c.commit_day_plan(from(input), now).unwrap_err();
    assert!(
        matches!(
            e.code,
            Code::Overlap | Code::TravelTime | Code::OutsideWorkingHours
        ),
        "{e:?}"
    );
    assert!(e.message.starts_with("work order `wo-"), "{}", e.message);
    assert_eq!(c.snapshot(), before);
}

#[test]
fn a_sick_technician_is_replanned_keeping_what_it_can() {
    let mut c = tuesday();
    let now = monday_morning();
    let day = problem(&c, false);
    c.commit_day_plan(from(commit_input(&day, &solve(&day))), now)
        .unwrap();
    let ana_before: Vec<String> = c
        .bookings(
            &BookingFilter {
                provider_id: Some("ana".into()),
                ..Default::default()
            },
            Default::default(),
        )
        .unwrap()
        .iter()
        .map(|b| b.id.to_string())
        .collect();
    assert!(!ana_before.is_empty());
    // Ana goes home sick at noon on Tuesday.
    time_off(
        &mut c,
        "ana",
        "2026-11-24T12:00",
        "2026-11-25T00:00",
        "sick",
    );
    let day = problem(&c, true);
    // The given plan lists each technician's visits from work orders as they stand.
    assert!(!day["plan"]["routes"].as_array().unwrap().is_empty());
    let plan = solve(&day);
    let moved = c
        .commit_day_plan(from(commit_input(&day, &plan)), now)
        .unwrap();
    // Nothing of Ana's is left in the afternoon; the morning's visits stayed.
    for b in c
        .bookings(
            &BookingFilter {
                provider_id: Some("ana".into()),
                ..Default::default()
            },
            Default::default(),
        )
        .unwrap()
    {
        if b.status.blocks_time() {
            assert!(
                b.end <= at("2026-11-24T17:00:00Z"),
                "{} is still Ana's at {:?}",
                b.id,
                b.start
            );
        }
    }
    assert!(moved
        .iter()
        .all(|b| b.history.last().unwrap().reason.as_deref() == Some("dispatch plan")));
    // Ana's afternoon went to others: each visit moved is counted as changed (the given plan
    // lists it on a shift the problem no longer has).
    assert!(!moved.is_empty());
    assert_eq!(plan["changed"].as_u64().unwrap() as usize, moved.len());
    assert_every_booking_passes(&c);
}

#[test]
fn a_daily_cap_and_a_carried_van_shape_the_plan() {
    let mut c = tuesday();
    let now = monday_morning();
    // Leak repairs need a van: van-1 is Ben's, van-2 Cara's (she has no plumbing skill).
    let mut leak = c.service("leak-repair").unwrap().clone();
    leak.required_resources = vec![ResourceNeed {
        kind: "van".into(),
        quantity: 1,
    }];
    c.upsert_service(leak).unwrap();
    for (van, who) in [("van-1", "ben"), ("van-2", "cara")] {
        let mut r = c.resource(van).unwrap().clone();
        r.provider_id = Some(who.into());
        c.upsert_resource(r).unwrap();
    }
    // Ben takes at most two visits on Tuesday.
    let mut ben = c.provider("ben").unwrap().clone();
    ben.daily_cap = Some(2);
    c.upsert_provider(ben).unwrap();
    let day = problem(&c, false);
    let plan = solve(&day);
    let left: Vec<&str> = plan["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["job"].as_str().unwrap())
        .collect();
    // Four leak repairs, two places on Ben's day: two are left out, saying why.
    assert_eq!(left.len(), 2, "{plan}");
    for u in plan["unassigned"].as_array().unwrap() {
        assert!(
            u["reasons"]
                .as_array()
                .unwrap()
                .contains(&json!("CAPACITY")),
            "{u}"
        );
    }
    let booked = c
        .commit_day_plan(from(commit_input(&day, &plan)), now)
        .unwrap();
    for b in booked.iter().filter(|b| &*b.service_id == "leak-repair") {
        assert_eq!(&*b.provider_id, "ben");
        assert_eq!(b.resources[0].resource_id, "van-1");
    }
    let booked_visits = booked.len();
    assert_booked_day_reads_back(&c, booked_visits);
    // Cara's van is hers: Ben cannot be booked with it.
    let mut r = request("leak-repair", Some("ben"), "2026-11-25T10:00");
    r.resources = Some(vec![ResourceUse {
        resource_id: "van-2".into(),
        quantity: 1,
    }]);
    let e = c.check(&r, now).unwrap();
    assert_eq!(e.violations[0].code, Code::ResourceUnavailable);
    assert_every_booking_passes(&c);
}

#[test]
fn a_visit_asked_about_gets_options_each_bookable_as_they_stand() {
    let mut c = tuesday();
    let now = monday_morning();
    let day = problem(&c, false);
    c.commit_day_plan(from(commit_input(&day, &solve(&day))), now)
        .unwrap();
    // A client on the booking page asks where a boiler service at Gus's (Staten Island) could
    // go on Tuesday between 13:00 and 15:00: a visit the query carries, not a stored order.
    let q: DayQuery = from(json!({ "date": TUESDAY, "visit": {
        "serviceId": "boiler-service", "clientIds": ["c-4"],
        "windows": [{ "start": format!("{TUESDAY}T13:00"), "end": format!("{TUESDAY}T15:00") }] } }));
    let before = c.snapshot();
    let asked = c.day_problem(&q, now).unwrap();
    assert_eq!(c.snapshot(), before, "asking stores nothing");
    let text = service_coordinator::json::to_string(&asked);
    let asked: serde_json::Value = serde_json::from_str(&text).unwrap();
    let found = wire::placements(&asked["problem"].to_string(), None, NEW_VISIT, 3).unwrap();
    let found: Vec<serde_json::Value> = serde_json::from_str(&found).unwrap();
    assert!(!found.is_empty(), "somewhere fits");
    for o in &found {
        let mut copy = Coordinator::restore(native_zones(), &before).unwrap();
        let start = at("1970-01-01T00:00:00Z") + o["start"].as_f64().unwrap() as i64;
        let mut r = request(
            "boiler-service",
            o["technician"].as_str(),
            &format_utc(start),
        );
        r.client_ids = vec!["c-4".into()];
        let b = copy.book(r, now).unwrap();
        // Arriving within the window asked for, and every other visit still as the rules allow.
        assert!(b.start >= at("2026-11-24T18:00:00Z") && b.start <= at("2026-11-24T20:00:00Z"));
        assert_every_booking_passes(&copy);
    }
    // A window already past is said so, not planned.
    let late: DayQuery = from(json!({ "date": "2026-11-23", "visit": {
        "serviceId": "boiler-service", "clientIds": ["c-4"],
        "windows": [{ "start": "2026-11-23T01:00", "end": "2026-11-23T02:00" }] } }));
    let late = service_coordinator::json::to_string(&c.day_problem(&late, now).unwrap());
    assert!(
        late.contains(r#""skipped":[{"workOrderId":"visit:new","code":"MIN_NOTICE"}]"#),
        "{late}"
    );
    // The name is the query's own: no work order may take it.
    let e = c
        .upsert_work_order(from(json!({ "id": "visit:new", "serviceId": "boiler-service", "clientIds": ["c-4"],
            "windows": [{ "start": format!("{TUESDAY}T13:00"), "end": format!("{TUESDAY}T15:00") }] })))
        .unwrap_err();
    assert_eq!(e.code, Code::InvalidInput);
}
