//! Shared by the native tests and the wasm tests: the same fixture and the same DST table run
//! against chrono-tz natively and against Intl in wasm, so the two must agree.
#![allow(dead_code)]

use serde_json::{json, Value};
use service_coordinator::model::*;
use service_coordinator::time::zone::Zones;
pub use service_coordinator::time::Instant;
pub use service_coordinator::time::When;
use service_coordinator::time::{format_utc, parse_time};
use service_coordinator::Coordinator;

pub const DST_TABLE: &str = include_str!("../data/dst.json");

/// Runs one case; `Err` says what differed.
pub fn run_rrule_case(case: &Value, zones: &Zones) -> Result<(), String> {
    let text = case["rrule"].as_str().unwrap();
    let rule = match service_coordinator::time::rrule::Rule::parse(text) {
        Ok(r) => r,
        Err(e) => {
            return if case["expected_error"].is_null() {
                Err(format!("parse: {e}"))
            } else {
                Ok(())
            }
        }
    };
    if !case["expected_error"].is_null() {
        return Err("parsed a rule that should be refused".into());
    }
    // Printing and reading back gives the same rule.
    let printed = rule.to_string();
    if service_coordinator::time::rrule::Rule::parse(&printed).as_ref() != Ok(&rule) {
        return Err(format!(
            "{text} printed as {printed}, which reads back differently"
        ));
    }
    let (start, date_only, _) =
        service_coordinator::time::rrule::parse_basic(case["dtstart"].as_str().unwrap())
            .ok_or("bad dtstart")?;
    let tzid = case["tzid"].as_str();
    let mut rec = service_coordinator::time::rrule::Recurrence {
        rule,
        start,
        date_only,
        rdates: vec![],
        exdates: vec![],
    };
    for line in case["extra_lines"].as_array().into_iter().flatten() {
        let line = line.as_str().unwrap();
        let (head, values) = line.split_once(':').ok_or("bad extra line")?;
        let list = values
            .split(',')
            .filter_map(service_coordinator::time::rrule::parse_basic)
            .map(|v| v.0);
        if head.starts_with("EXDATE") {
            rec.exdates.extend(list);
        } else if head.starts_with("RDATE") {
            rec.rdates.extend(list);
        }
    }
    let until_wall = match (rec.rule.until, tzid) {
        (Some(service_coordinator::time::rrule::Until::Utc(u)), Some(z)) if z != "UTC" => {
            Some(u.wall(zones.offset_at(z, u).map_err(|e| e.to_string())?))
        }
        _ => None,
    };
    let format = |wall: service_coordinator::time::Wall| -> Result<String, String> {
        Ok(match tzid {
            _ if date_only => service_coordinator::time::rrule::basic(wall, true),
            None => service_coordinator::time::rrule::basic(wall, false),
            Some("UTC") => format!("{}Z", service_coordinator::time::rrule::basic(wall, false)),
            Some(z) => {
                let t = zones.resolve(z, wall).map_err(|e| e.to_string())?;
                let off = zones.offset_at(z, t).map_err(|e| e.to_string())?;
                let real = t.wall(off);
                let sign = if off < 0 { '-' } else { '+' };
                format!(
                    "{}{sign}{:02}{:02}",
                    service_coordinator::time::rrule::basic(real, false),
                    off.abs() / 3600,
                    off.abs() % 3600 / 60
                )
            }
        })
    };
    // libical's `start_at` positions its iterator; the expected lists still hold every instance
    // (checked against the data: the seven core cases with it list instances before it).
    let expected: Vec<&str> = case["expected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let want = expected.len() + usize::from(case["expected_kind"] == "all");
    let mut got = Vec::new();
    for wall in rec.instances(until_wall) {
        got.push(format(wall)?);
        if got.len() >= want {
            break;
        }
    }
    if got == expected {
        Ok(())
    } else {
        let first = got
            .iter()
            .zip(&expected)
            .position(|(a, b)| a != b)
            .unwrap_or(got.len().min(expected.len()));
        Err(format!(
            "{} got {} instances, want {}; first difference at {first}: got {:?}, want {:?}",
            text,
            got.len(),
            expected.len(),
            got.get(first),
            expected.get(first)
        ))
    }
}

/// A time as written, read as the JSON boundary reads it.
pub fn when(text: &str) -> When {
    parse_time(text).unwrap_or_else(|e| panic!("{text}: {}", e.message))
}

/// A time of day, `hh:mm`.
pub fn clock(text: &str) -> service_coordinator::time::TimeOfDay {
    service_coordinator::time::TimeOfDay::parse(text).unwrap()
}

/// A date, `YYYY-MM-DD`.
pub fn date(text: &str) -> service_coordinator::time::Day {
    match when(text) {
        When::Date(d) => d,
        other => panic!("{text} is not a date: {other:?}"),
    }
}

pub fn at(text: &str) -> Instant {
    match parse_time(text).unwrap() {
        When::At(t, _) => t,
        other => panic!("{text} is not an instant: {other:?}"),
    }
}

/// A record from a `json!` fixture, read as the engine reads JSON.
pub fn from<T: service_coordinator::json::FromJson>(v: Value) -> T {
    service_coordinator::json::from_str(&v.to_string(), "fixture").unwrap()
}

/// Runs every case of tests/data/dst.json; returns the failures (empty when all pass).
pub fn run_dst_table(zones: impl Fn() -> Zones) -> Vec<String> {
    let table: Value = serde_json::from_str(DST_TABLE).unwrap();
    let mut failures = Vec::new();
    let now = at("2026-01-01T00:00:00Z");
    for case in table["slots"].as_array().unwrap() {
        let zone = case["zone"].as_str().unwrap();
        let mut c = Coordinator::new(zones(), zone).unwrap();
        let day = case["day"].as_str().unwrap();
        let mut weekly = json!({});
        weekly[day] = json!([{ "start": case["hours"][0], "end": case["hours"][1] }]);
        c.upsert_provider(from(
            json!({ "id": "p", "name": "P", "timeZone": zone, "weeklyHours": weekly }),
        ))
        .unwrap();
        let minutes = case["minutes"].as_u64().unwrap();
        c.upsert_service(from(
            json!({ "id": "s", "name": "S", "durationMinutes": minutes }),
        ))
        .unwrap();
        let date = case["date"].as_str().unwrap();
        let q = AvailabilityQuery {
            service_id: "s".into(),
            from: when(&format!("{date}T00:00")),
            to: when(&format!("{date}T23:59")),
            ..Default::default()
        };
        let got: Vec<String> = c
            .availability(&q, now)
            .unwrap()
            .slots
            .iter()
            .map(|s| format_utc(s.start))
            .collect();
        let want: Vec<String> = case["slots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        if got != want {
            failures.push(format!("{}: got {got:?}, want {want:?}", case["name"]));
        }
        // Every slot listed is bookable, across the DST change too.
        for s in &got {
            let r = c
                .check(
                    &BookingRequest {
                        service_id: "s".into(),
                        provider_id: Some("p".into()),
                        start: when(s),
                        ..Default::default()
                    },
                    now,
                )
                .unwrap();
            if !r.ok {
                failures.push(format!(
                    "{}: slot {s} refused: {:?}",
                    case["name"], r.violations
                ));
            }
        }
    }
    for case in table["wall"].as_array().unwrap() {
        let zone = case["zone"].as_str().unwrap();
        let z = zones();
        let When::Wall(w) = parse_time(case["wall"].as_str().unwrap()).unwrap() else {
            panic!()
        };
        let got = format_utc(z.resolve(zone, w).unwrap());
        if got != case["utc"].as_str().unwrap() {
            failures.push(format!(
                "{zone} {}: got {got}, want {} ({})",
                case["wall"], case["utc"], case["why"]
            ));
        }
    }
    failures
}

/// A small HVAC and plumbing company, its week starting Monday 2026-11-23 (New York time).
pub fn hvac_company(zones: Zones) -> Coordinator {
    let mut c = Coordinator::new(zones, "America/New_York").unwrap();
    let day = json!([{ "start": "08:00", "end": "12:00" }, { "start": "13:00", "end": "17:00" }]);
    let week = json!({ "mon": day, "tue": day, "wed": day, "thu": day, "fri": day });
    // Ana starts her days from home in Brooklyn, Ben from Queens; Cara has no home set.
    for (id, name, skills, zone, home) in [
        (
            "ana",
            "Ana Ortiz",
            json!(["hvac", "gas"]),
            "America/New_York",
            json!({ "lat": 40.6782, "lng": -73.9442, "address": "Crown Heights, Brooklyn" }),
        ),
        (
            "ben",
            "Ben Okafor",
            json!(["plumbing"]),
            "America/New_York",
            json!({ "lat": 40.7282, "lng": -73.7949 }),
        ),
        (
            "cara",
            "Cara Lind",
            json!(["hvac"]),
            "America/Chicago",
            json!(null),
        ),
    ] {
        let mut p = json!({ "id": id, "name": name, "skills": skills, "timeZone": zone, "weeklyHours": week });
        if !home.is_null() {
            p["home"] = home;
        }
        c.upsert_provider(from(p)).unwrap();
    }
    c.upsert_resource(from(
        json!({ "id": "van-1", "name": "Van 1", "kind": "van" }),
    ))
    .unwrap();
    c.upsert_resource(from(
        json!({ "id": "van-2", "name": "Van 2", "kind": "van" }),
    ))
    .unwrap();
    c.upsert_service(from(json!({ "id": "furnace-repair", "name": "Furnace repair", "durationMinutes": 90,
        "bufferAfterMinutes": 30, "requiredSkills": ["gas", "hvac"], "requiredResources": [{ "kind": "van" }],
        "minNoticeMinutes": 120, "horizonDays": 60, "slotStepMinutes": 30 }))).unwrap();
    c.upsert_service(from(json!({ "id": "ac-check", "name": "AC check", "durationMinutes": 60, "requiredSkills": ["hvac"] }))).unwrap();
    c.upsert_service(from(json!({ "id": "drain", "name": "Drain cleaning", "durationMinutes": 60, "requiredSkills": ["plumbing"] }))).unwrap();
    c.upsert_service(from(
        json!({ "id": "safety-class", "name": "Home gas safety class", "durationMinutes": 120,
        "requiredSkills": ["gas"], "seats": 3 }),
    ))
    .unwrap();
    // Done at the client's: a visit leaves time to drive (TRAVEL_TIME).
    c.upsert_service(from(
        json!({ "id": "boiler-service", "name": "Boiler service", "durationMinutes": 60,
        "requiredSkills": ["hvac"], "slotStepMinutes": 15, "onSite": true }),
    ))
    .unwrap();
    for (id, name, lat, lng) in [
        ("c-1", "Dana Smith", 40.7870, -73.9754), // Upper West Side
        ("c-2", "Eli Jones", 40.8116, -73.9465),  // Harlem
        ("c-3", "Fay Wu", 40.7178, -74.0431),     // Jersey City
        ("c-4", "Gus Lee", 40.5795, -74.1502),    // Staten Island
    ] {
        c.upsert_client(from(
            json!({ "id": id, "name": name, "location": { "lat": lat, "lng": lng } }),
        ))
        .unwrap();
    }
    c.take_changes();
    c
}

/// Monday 2026-11-23, 07:00 in New York.
pub fn monday_morning() -> Instant {
    at("2026-11-23T12:00:00Z")
}

pub fn request(service: &str, provider: Option<&str>, start: &str) -> BookingRequest {
    BookingRequest {
        service_id: service.into(),
        provider_id: provider.map(Into::into),
        client_ids: vec!["c-1".into()],
        start: when(start),
        ..Default::default()
    }
}

/// The fixture's services and technicians, by index (random call sequences pick them so).
pub const SERVICES: [&str; 5] = [
    "furnace-repair",
    "ac-check",
    "drain",
    "safety-class",
    "boiler-service",
];
pub const PROVIDERS: [&str; 3] = ["ana", "ben", "cara"];

/// A wall time in the fixture's week: `day` 0 is Monday 2026-11-23, `quarter` counts quarter
/// hours from midnight.
pub fn wall(day: i64, quarter: i64) -> String {
    format!(
        "2026-11-{:02}T{:02}:{:02}",
        23 + day,
        quarter / 4,
        quarter % 4 * 15
    )
}

/// The day's problem (`dayProblem`'s JSON answer) solved as a server would, natively, for a
/// fixed number of iterations (one plan for a seed); with its `plan`, a re-plan from it.
#[cfg(not(target_arch = "wasm32"))]
pub fn solve_day(day: &Value, iterations: u32) -> Value {
    use service_dispatch::{search::Solution, wire, Solver};
    let mut pb = wire::read_problem(&day["problem"].to_string())
        .unwrap_or_else(|e| panic!("{e}\n{}", day["problem"]));
    let mut solver = if day["plan"].is_null() {
        Solver::new(pb, 1)
    } else {
        let (routes, was) = wire::read_plan(&pb, &day["plan"].to_string()).unwrap();
        pb.set_baseline(&was);
        let first = Solution::keeping(&pb, &routes);
        Solver::from_plan(pb, 1, first)
    };
    for i in 0..iterations {
        solver.steps(f64::from(i) / f64::from(iterations), 1);
    }
    let best = solver.finish();
    serde_json::to_value(wire::plan(solver.problem(), &best)).unwrap()
}

/// A solved plan as `commitDayPlan` takes it: the problem's version, each route's stops (job
/// and start), and the jobs left out.
pub fn commit_input(day: &Value, plan: &Value) -> Value {
    let routes: Vec<Value> = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let stops: Vec<Value> = r["stops"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| json!({ "job": s["job"], "start": s["start"] }))
                .collect();
            json!({ "technician": r["technician"], "shift": r["shift"], "stops": stops })
        })
        .collect();
    let left: Vec<Value> = plan["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["job"].clone())
        .collect();
    json!({ "version": day["version"], "routes": routes, "unassigned": left })
}
