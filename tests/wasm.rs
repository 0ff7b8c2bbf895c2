//! The same scenarios in wasm, in Node: the core over the host's Intl zones, and the JSON
//! boundary (`Engine::call`) that the JS API uses, junk included.
#![cfg(target_arch = "wasm32")]

mod common;
use common::*;
use serde_json::{json, Value};
use service_coordinator::wasm::{zones, Engine};
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn dst_table_holds_with_intl_zones() {
    let failures = run_dst_table(zones);
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The RRULE corpus, compiled in (the wasm test cannot read files): every core case, and the
/// DST-gap case, with Intl zones, as natively with chrono-tz.
#[wasm_bindgen_test]
fn rrule_core_cases_hold_with_intl_zones() {
    let cases: Vec<Value> =
        serde_json::from_str(include_str!("../../shared/data/rrule/cases.json")).unwrap();
    let z = zones();
    let failures: Vec<String> = cases
        .iter()
        .filter(|c| {
            c["recommended_tier"] == "core"
                || c["id"] == "rust-rrule:daylight_saving.rs:3:daylight_savings_1"
        })
        .filter_map(|c| {
            run_rrule_case(c, &z)
                .err()
                .map(|e| format!("{}: {e}", c["id"]))
        })
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[wasm_bindgen_test]
fn intl_and_the_native_fixture_agree_on_a_week_of_slots() {
    let c = hvac_company(zones());
    let q = service_coordinator::model::AvailabilityQuery {
        service_id: "furnace-repair".into(),
        from: when("2026-11-23"),
        to: when("2026-11-30"),
        ..Default::default()
    };
    let a = c.availability(&q, monday_morning()).unwrap();
    // Ana alone is qualified: 5 days x 6 starts for a 90-minute job in each of 08:00-12:00 and
    // 13:00-17:00 on a 30-minute grid, less 08:00 and 08:30 on Monday (2 hours' notice at 07:00).
    assert_eq!(a.provider_ids, vec!["ana".to_string()]);
    assert_eq!(a.slots.len(), 5 * 12 - 2);
}

const NOW: f64 = 1_795_435_200_000.0; // 2026-11-23T12:00:00Z

fn call(e: &mut Engine, method: &str, input: Value) -> Value {
    serde_json::from_str(&e.call(method, &input.to_string(), NOW)).unwrap()
}

fn company(e: &mut Engine) {
    call(e, "configure", json!("America/New_York"));
    let day = json!([{ "start": "08:00", "end": "17:00" }]);
    let ok = call(
        e,
        "upsertProvider",
        json!({ "id": "ben", "name": "Ben", "skills": ["plumbing"], "timeZone": "America/New_York",
        "weeklyHours": { "mon": day, "tue": day } }),
    );
    assert!(ok.get("ok").is_some(), "{ok}");
    call(
        e,
        "upsertService",
        json!({ "id": "drain", "name": "Drain cleaning", "durationMinutes": 60, "requiredSkills": ["plumbing"] }),
    );
}

#[wasm_bindgen_test]
fn book_clash_stale_revision_cancel_and_restore_through_the_boundary() {
    let mut e = Engine::new();
    company(&mut e);
    let slots = call(
        &mut e,
        "availability",
        json!({ "serviceId": "drain", "from": "2026-11-24", "to": "2026-11-25" }),
    );
    assert_eq!(slots["ok"]["slots"].as_array().unwrap().len(), 9);
    let booked = call(
        &mut e,
        "book",
        json!({ "serviceId": "drain", "providerId": "ben", "start": "2026-11-24T09:00" }),
    );
    assert_eq!(booked["ok"]["start"], "2026-11-24T14:00:00Z");
    assert_eq!(booked["changes"][0]["kind"], "booking");
    let clash = call(
        &mut e,
        "book",
        json!({ "serviceId": "drain", "providerId": "ben", "start": "2026-11-24T09:30" }),
    );
    assert_eq!(clash["error"]["code"], "OVERLAP");
    assert_eq!(clash["error"]["details"][0]["ids"][0], "bk-1");
    call(
        &mut e,
        "reschedule",
        json!(["bk-1", { "start": "2026-11-24T11:00", "expectedRevision": 1 }]),
    );
    let stale = call(
        &mut e,
        "reschedule",
        json!(["bk-1", { "start": "2026-11-24T12:00", "expectedRevision": 1 }]),
    );
    assert_eq!(stale["error"]["code"], "STALE_REVISION");
    let cancelled = call(
        &mut e,
        "cancel",
        json!(["bk-1", { "reason": "client called" }]),
    );
    assert_eq!(cancelled["ok"]["status"], "cancelled");
    assert_eq!(cancelled["changes"][0]["before"]["status"], "confirmed");
    let snap = e.snapshot();
    let mut other = Engine::new();
    assert!(call_raw(&mut other, "restore", &snap).get("ok").is_some());
    assert_eq!(other.snapshot(), snap);
}

fn call_raw(e: &mut Engine, method: &str, input: &str) -> Value {
    serde_json::from_str(&e.call(method, input, NOW)).unwrap()
}

#[wasm_bindgen_test]
fn junk_through_every_method_is_a_coded_error_and_changes_nothing() {
    let mut e = Engine::new();
    company(&mut e);
    call(
        &mut e,
        "book",
        json!({ "serviceId": "drain", "providerId": "ben", "start": "2026-11-24T09:00" }),
    );
    let before = e.snapshot();
    let methods = [
        "configure",
        "upsertProvider",
        "upsertService",
        "upsertResource",
        "upsertClient",
        "removeProvider",
        "removeService",
        "removeResource",
        "removeClient",
        "booking",
        "bookings",
        "availability",
        "freeBusy",
        "check",
        "explain",
        "alternatives",
        "planRepair",
        "planUrgent",
        "applyPlan",
        "waitlistAdd",
        "waitlistRemove",
        "parseRule",
        "expand",
        "checkSeries",
        "bookSeries",
        "cancelSeries",
        "rescheduleSeries",
        "exportICalendar",
        "importICalendar",
        "book",
        "hold",
        "confirmHold",
        "releaseHold",
        "reschedule",
        "cancel",
        "setStatus",
        "noSuchMethod",
    ];
    let long = "x".repeat(1 << 20);
    let junk: Vec<String> = vec![
        "".into(), "{".into(), "null".into(), "42".into(), "-1e999".into(), "\"\"".into(), "[]".into(), "[null, null, null]".into(),
        json!({ "id": "", "name": "" }).to_string(),
        json!({ "id": "p", "name": "P", "timeZone": "Mars/Base", "durationMinutes": -5, "kind": "van" }).to_string(),
        json!({ "serviceId": "drain", "start": "2026-02-30T09:00", "from": "2026-11-24", "to": "2126-11-24" }).to_string(),
        json!({ "serviceId": "drain", "start": "2026-11-24T09:00", "end": "2026-11-24T08:00", "from": "9999-01-01", "to": "0000-01-01" }).to_string(),
        json!(["bk-1", { "start": long.clone(), "expectedRevision": 99 }]).to_string(),
        json!(["bk-1", "exploded", {}]).to_string(),
        json!(["nope", {}]).to_string(),
        format!("\"{long}\""),
        "\u{0}\u{ffff}".into(),
    ];
    for m in methods {
        for j in &junk {
            let out = call_raw(&mut e, m, j);
            if let Some(err) = out.get("error") {
                assert!(
                    err["code"]
                        .as_str()
                        .is_some_and(|c| !c.is_empty() && c != "INTERNAL"),
                    "{m} {j:.80}: {err}"
                );
                assert!(
                    err["message"].as_str().is_some_and(|s| s.len() < 2000),
                    "{m}: message too long"
                );
            }
        }
    }
    // Junk that happened to be valid for a read method changed nothing either.
    assert_eq!(e.snapshot(), before);
    for bad_now in [f64::NAN, f64::INFINITY, -1e300, 1e300] {
        let out: Value = serde_json::from_str(
            &e.call(
                "book",
                &json!({ "serviceId": "drain", "providerId": "ben", "start": "2026-11-24T12:00" })
                    .to_string(),
                bad_now,
            ),
        )
        .unwrap();
        assert_eq!(out["error"]["code"], "INVALID_TIME");
    }
    assert_eq!(e.snapshot(), before);
}
