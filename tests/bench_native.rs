//! The benchmark's native half (`./dev bench` runs it with the Node half, side by side): the same
//! queries on the same data as bench/engine.mjs, through the Rust API with chrono-tz zones.
//! Ignored by `cargo test`; it prints figures and asserts nothing about time.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use serde_json::json;
use service_coordinator::model::*;
use service_coordinator::{native_zones, Coordinator};
use std::time::{Duration, Instant};

fn median(runs: usize, mut f: impl FnMut(usize)) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

/// The availability benchmark's company: 50 technicians, two bookings a day each over 30 days,
/// and the query. `on_site`: as bench/engine.mjs's travel case (homes, every booking at a place,
/// the query for a visit at one more place).
fn company(on_site: bool) -> (Coordinator, AvailabilityQuery) {
    let now = at("2026-11-23T12:00:00Z");
    let day = json!([{ "start": "08:00", "end": "12:00" }, { "start": "13:00", "end": "18:00" }]);
    let week = json!({ "mon": day, "tue": day, "wed": day, "thu": day, "fri": day, "sat": [{ "start": "09:00", "end": "13:00" }] });
    let spot = |i: i64| Location {
        lat: 40.70 + ((i * 37) % 100) as f64 / 1000.0,
        lng: -74.0 + ((i * 53) % 100) as f64 / 1000.0,
        address: None,
    };
    let mut c = Coordinator::new(native_zones(), "America/New_York").unwrap();
    for p in 0..50 {
        let zone = if p % 5 == 0 {
            "America/Chicago"
        } else {
            "America/New_York"
        };
        let mut tech: Provider = from(
            json!({ "id": format!("tech-{p}"), "name": format!("Technician {p}"), "skills": ["hvac"], "timeZone": zone, "weeklyHours": week }),
        );
        if on_site {
            tech.home = Some(spot(p + 500));
        }
        c.upsert_provider(tech).unwrap();
    }
    c.upsert_service(from(json!({ "id": "tune-up", "name": "AC tune-up", "durationMinutes": 60, "slotStepMinutes": 30, "bufferAfterMinutes": 15, "requiredSkills": ["hvac"], "onSite": on_site }))).unwrap();
    let mut n = 0;
    for d in 1..=30 {
        let date = service_coordinator::time::format_date(
            service_coordinator::time::Day::from_days(20_780 + d),
        );
        for p in 0..50 {
            for time in ["09:00", "14:00"] {
                let r = BookingRequest {
                    service_id: "tune-up".into(),
                    provider_id: Some(format!("tech-{p}")),
                    start: when(&format!("{date}T{time}")),
                    location: on_site.then(|| spot(n)),
                    ..Default::default()
                };
                n += 1;
                let _ = c.book(r, now);
            }
        }
    }
    let q = AvailabilityQuery {
        service_id: "tune-up".into(),
        from: when("2026-11-24"),
        to: when("2026-12-24"),
        location: on_site.then(|| spot(9999)),
        ..Default::default()
    };
    (c, q)
}

/// For a profiler: ten availability queries on the benchmark's company, on site when
/// `PROFILE=travel` (e.g. `valgrind --tool=callgrind` on this test, beside `PROFILE=plain`).
#[test]
#[ignore]
fn profile_availability() {
    let (c, q) = company(std::env::var("PROFILE").as_deref() == Ok("travel"));
    let now = at("2026-11-23T12:00:00Z");
    for _ in 0..10 {
        std::hint::black_box(c.availability(&q, now).unwrap());
    }
}

#[test]
#[ignore]
fn native_figures() {
    let now = at("2026-11-23T12:00:00Z");
    let (mut c, q) = company(false);
    let slots = c.availability(&q, now).unwrap().slots.len();
    let t = median(100, |_| {
        std::hint::black_box(c.availability(&q, now).unwrap());
    });
    println!(
        "native: availability, 50 providers x 30 days ({slots} slots): {:.3} ms",
        t.as_secs_f64() * 1e3
    );

    let (t_co, t_q) = company(true);
    let t_slots = t_co.availability(&t_q, now).unwrap().slots.len();
    let tt = median(100, |_| {
        std::hint::black_box(t_co.availability(&t_q, now).unwrap());
    });
    println!(
        "native: availability with travel, same day on site ({t_slots} slots): {:.3} ms, {:.2}x",
        tt.as_secs_f64() * 1e3,
        tt.as_secs_f64() / t.as_secs_f64()
    );

    c.upsert_service(from(json!({ "id": "inspection", "name": "Inspection", "durationMinutes": 30, "slotStepMinutes": 15, "requiredSkills": ["hvac"] }))).unwrap();
    let week = AvailabilityQuery {
        service_id: "inspection".into(),
        from: when("2026-11-30"),
        to: when("2026-12-07"),
        provider_ids: Some(vec!["tech-1".into()]),
        explain: true,
        ..Default::default()
    };
    let t = median(100, |_| {
        std::hint::black_box(c.availability(&week, now).unwrap());
    });
    let a = c.availability(&week, now).unwrap();
    let tj = median(100, |_| {
        std::hint::black_box(service_coordinator::json::to_string(&a));
    });
    println!("native: explain a week of 15-minute steps, 1 provider: {:.3} ms (+ {:.3} ms to write the JSON)", t.as_secs_f64() * 1e3, tj.as_secs_f64() * 1e3);

    // 100,000 bookings, as in bench/engine.mjs: 4 a day per technician from 2026-11-24.
    let mut snap = serde_json::from_str::<serde_json::Value>(&c.snapshot()).unwrap();
    let mut bookings = Vec::with_capacity(100_000);
    let base = at("2026-11-24T13:00:00Z");
    for i in 0..100_000i64 {
        let (p, slot) = (i % 50, i / 50);
        let start = base + slot / 4 * 86_400 + slot % 4 * 7_200;
        let (s, e) = (
            service_coordinator::time::format_utc(start),
            service_coordinator::time::format_utc(start + 3_600),
        );
        bookings.push(json!({ "id": format!("bk-{}", i + 1), "serviceId": "tune-up", "clientIds": [], "providerId": format!("tech-{p}"),
            "resources": [], "start": s, "end": e, "bufferBeforeMinutes": 0, "bufferAfterMinutes": 15, "status": "confirmed", "priority": 0,
            "revision": 1, "createdAt": "2026-11-23T12:00:00Z", "updatedAt": "2026-11-23T12:00:00Z",
            "history": [{ "revision": 1, "at": "2026-11-23T12:00:00Z", "action": "created", "status": "confirmed", "providerId": format!("tech-{p}"), "start": s, "end": e }] }));
    }
    snap["bookings"] = json!(bookings);
    snap["nextId"] = json!(100_001);
    let text = snap.to_string();
    let t = Instant::now();
    let big = Coordinator::restore(native_zones(), &text).unwrap();
    println!(
        "native: restore a snapshot of 100,000 bookings ({:.1} MB): {:.0} ms",
        text.len() as f64 / 1e6,
        t.elapsed().as_secs_f64() * 1e3
    );
    let requests: Vec<BookingRequest> = (0..200)
        .map(|i| BookingRequest {
            service_id: "tune-up".into(),
            provider_id: Some(format!("tech-{}", i % 50)),
            start: when(&format!("2027-0{}-1{}T10:30", 1 + i % 9, i % 10)),
            ..Default::default()
        })
        .collect();
    let t = median(2000, |i| {
        std::hint::black_box(big.check(&requests[i % 200], now).unwrap());
    });
    println!(
        "native: check among 100,000 bookings: {:.2} us",
        t.as_secs_f64() * 1e6
    );
}

/// The records benchmark's year natively, for a profile: `RECORDS_SNAPSHOT_OUT=/tmp/year.json
/// node bench/records.mjs`, then `RECORDS_SNAPSHOT=/tmp/year.json cargo test --release --test
/// bench_native profile_records -- --ignored --nocapture` (under callgrind to see where).
#[test]
#[ignore]
fn profile_records() {
    let Ok(path) = std::env::var("RECORDS_SNAPSHOT") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let t = Instant::now();
    let c = Coordinator::restore(native_zones(), &text).unwrap();
    println!("native: restore the year {:?}", t.elapsed());
    if std::env::var("RECORDS_PIECES").is_ok() {
        // As the JS API feeds it: 256 KB at a time.
        let t = Instant::now();
        let mut r = service_coordinator::state::Restore::new(native_zones());
        let mut rest = text.as_str();
        while !rest.is_empty() {
            let mut k = (256 << 10).min(rest.len());
            while !rest.is_char_boundary(k) {
                k += 1;
            }
            r.feed(&rest[..k]).unwrap();
            rest = &rest[k..];
        }
        r.finish().unwrap();
        println!(
            "native: restore the year in 256 KB pieces {:?}",
            t.elapsed()
        );
    }
    let now = at("2027-01-04T08:00:00Z");
    let q: service_coordinator::reports::metrics::MetricsQuery =
        from(json!({ "from": "2026-01-01", "to": "2027-01-01" }));
    let runs = std::env::var("RECORDS_RUNS").map_or(3, |r| r.parse().unwrap());
    let m = median(runs, |_| {
        c.metrics(&q, now).unwrap();
    });
    println!("native: metrics of the year {m:?}");
    let q: service_coordinator::reports::billing::TimesheetQuery =
        from(json!({ "from": "2026-01-01", "to": "2027-01-01" }));
    let runs = std::env::var("RECORDS_CSV_RUNS").map_or(3, |r| r.parse().unwrap());
    let m = median(runs, |_| {
        c.visits_csv(&q).unwrap();
    });
    println!("native: CSV of the year {m:?}");
}
