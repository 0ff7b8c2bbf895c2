//! Two copies of the company's data, a page and a server, kept in step by the sync protocol
//! through the wire format alone: each change carries a version, `changesSince` answers a copy
//! that fell behind, `applyChanges` takes each change once, in order, all or nothing.

use super::*;
use service_coordinator::io::dispatch::call;
use service_coordinator::time::zone::Zones;

const MONDAY_MS: f64 = 1_795_435_200_000.0; // 2026-11-23T12:00:00Z

fn zones() -> Zones {
    native_zones()
}

/// A call through the JSON boundary, as the JS API and a server make it: the answer as JSON.
fn send(c: &mut Coordinator, method: &str, input: serde_json::Value) -> serde_json::Value {
    let text = call(c, &zones, method, &input.to_string(), MONDAY_MS);
    serde_json::from_str(&text).unwrap()
}

fn error_code(answer: &serde_json::Value) -> &str {
    answer["error"]["code"].as_str().unwrap_or("(no error)")
}

/// The page and the server, restored from one save.
fn page_and_server() -> (Coordinator, Coordinator) {
    let server = company();
    let page = Coordinator::restore(native_zones(), &server.snapshot()).unwrap();
    (page, server)
}

fn book(c: &mut Coordinator, provider: &str, start: &str) -> serde_json::Value {
    send(
        c,
        "book",
        json!({ "serviceId": "ac-check", "providerId": provider, "clientIds": ["c-1"], "start": start }),
    )
}

#[test]
fn a_booking_made_on_the_server_reaches_the_page_with_its_version() {
    let (mut page, mut server) = page_and_server();
    let v0 = send(&mut server, "changeVersion", json!(null))["ok"]
        .as_u64()
        .unwrap();
    let answer = book(&mut server, "ana", "2026-11-24T09:00:00");
    let changes = answer["changes"].clone();
    assert_eq!(changes.as_array().unwrap().len(), 1);
    assert_eq!(changes[0]["version"], json!(v0 + 1));
    assert_eq!(changes[0]["kind"], "booking");

    let applied = send(&mut page, "applyChanges", changes.clone());
    assert_eq!(
        applied["ok"],
        json!({ "version": v0 + 1, "applied": 1, "skipped": 0 })
    );
    // The page's listeners hear the change as the server's did.
    assert_eq!(applied["changes"], changes);
    assert_eq!(page.snapshot(), server.snapshot());

    // The slot is gone on the page too, and the page's next booking does not reuse the id.
    let clash = book(&mut page, "ana", "2026-11-24T09:00:00");
    assert_eq!(error_code(&clash), "OVERLAP", "{clash}");
    let next = book(&mut page, "ana", "2026-11-24T11:00:00");
    assert_ne!(next["ok"]["id"], answer["ok"]["id"]);
}

#[test]
fn a_change_sent_twice_is_taken_once() {
    let (mut page, mut server) = page_and_server();
    let changes = book(&mut server, "ana", "2026-11-24T09:00:00")["changes"].clone();
    send(&mut page, "applyChanges", changes.clone());
    let saved = page.snapshot();
    let again = send(&mut page, "applyChanges", changes);
    assert_eq!(again["ok"]["applied"], 0);
    assert_eq!(again["ok"]["skipped"], 1);
    assert_eq!(again["changes"], json!([]));
    assert_eq!(page.snapshot(), saved);
}

#[test]
fn a_gap_is_refused_and_the_page_stays_as_it_was() {
    let (mut page, mut server) = page_and_server();
    // The first booking's change never reaches the page; the second does.
    book(&mut server, "ana", "2026-11-24T09:00:00");
    let second = book(&mut server, "ana", "2026-11-24T13:00:00")["changes"].clone();
    let saved = page.snapshot();
    let refused = send(&mut page, "applyChanges", second);
    assert_eq!(error_code(&refused), "VERSION_GAP", "{refused}");
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .contains("ask for the changes since"));
    assert_eq!(page.snapshot(), saved);

    // What the page does then: ask for what it lacks, and take it.
    let v = send(&mut page, "changeVersion", json!(null))["ok"].clone();
    let missing = send(&mut server, "changesSince", v)["ok"].clone();
    assert_eq!(missing.as_array().unwrap().len(), 2);
    let applied = send(&mut page, "applyChanges", missing);
    assert_eq!(applied["ok"]["applied"], 2);
    assert_eq!(page.snapshot(), server.snapshot());
}

#[test]
fn a_run_with_a_bad_change_in_it_is_refused_whole() {
    let (mut page, mut server) = page_and_server();
    book(&mut server, "ana", "2026-11-24T09:00:00");
    book(&mut server, "ana", "2026-11-24T13:00:00");
    let v = page.change_version();
    let mut run = send(&mut server, "changesSince", json!(v))["ok"].clone();
    run[1]["after"]["providerId"] = json!("nobody");
    let saved = page.snapshot();
    let refused = send(&mut page, "applyChanges", run);
    assert_eq!(error_code(&refused), "UNKNOWN_ID", "{refused}");
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("applyChanges: change 1:"));
    assert_eq!(page.snapshot(), saved);
}

#[test]
fn two_writers_on_one_version_are_told_they_forked() {
    // Both take version 1 for different bookings: the page cannot silently keep its own.
    let (mut page, mut server) = page_and_server();
    let theirs = book(&mut server, "ana", "2026-11-24T09:00:00")["changes"].clone();
    book(&mut page, "ana", "2026-11-24T13:00:00");
    let refused = send(&mut page, "applyChanges", theirs);
    assert_eq!(error_code(&refused), "OUT_OF_STEP", "{refused}");
}

#[test]
fn changes_since_answers_from_the_kept_window_and_says_when_it_cannot() {
    let mut server = company();
    let v0 = server.change_version();
    assert_eq!(
        send(&mut server, "changesSince", json!(v0))["ok"],
        json!([])
    );
    let ahead = send(&mut server, "changesSince", json!(v0 + 5));
    assert_eq!(error_code(&ahead), "VERSION_GAP");

    // A save carries the version; the restored copy keeps no changes from before it.
    book(&mut server, "ana", "2026-11-24T09:00:00");
    let restored = Coordinator::restore(native_zones(), &server.snapshot()).unwrap();
    assert_eq!(restored.change_version(), v0 + 1);
    assert!(restored
        .snapshot()
        .contains(&format!("\"changeVersion\":{}", v0 + 1)));
    assert_eq!(restored.changes_since(v0 + 1).unwrap(), "[]");
    let before = restored.changes_since(v0).unwrap_err();
    assert_eq!(before.code, Code::ChangesPruned);

    // The window keeps the latest LOG_CHANGES changes.
    for i in 0..(service_coordinator::state::LOG_CHANGES + 10) {
        let name = format!("Client {i}");
        send(
            &mut server,
            "upsertClient",
            json!({ "id": format!("c-x{}", i % 50), "name": name }),
        );
    }
    let pruned = send(&mut server, "changesSince", json!(v0));
    assert_eq!(error_code(&pruned), "CHANGES_PRUNED", "{pruned}");
    let three_back = server.change_version() - 3;
    let recent = send(&mut server, "changesSince", json!(three_back));
    assert_eq!(recent["ok"].as_array().unwrap().len(), 3);
}

#[test]
fn a_run_beyond_the_bound_is_refused_not_cut() {
    let mut page = company();
    let run: Vec<serde_json::Value> = (0..=service_coordinator::state::MAX_APPLY)
        .map(|i| json!({ "version": i + 1, "kind": "client", "id": "x", "after": null }))
        .collect();
    let refused = send(&mut page, "applyChanges", json!(run));
    assert_eq!(error_code(&refused), "TOO_LARGE");
}

/// The methods a server serves without a transaction (`dispatch::READS`) change nothing: each
/// asked with a real question on a day with bookings answers, and the version stays.
#[test]
fn read_methods_change_nothing() {
    use service_coordinator::io::dispatch::READS;
    let mut c = company();
    book(&mut c, "ana", "2026-11-24T09:00:00");
    book(&mut c, "ben", "2026-11-24T10:00:00");
    let day = json!({ "from": "2026-11-24", "to": "2026-11-25" });
    let request = json!({ "serviceId": "ac-check", "providerId": "ana", "clientIds": ["c-1"], "start": "2026-11-24T09:00:00" });
    let input = |method: &str| match method {
        "booking" | "invoice" => json!("bk-1"),
        "availability" => {
            json!({ "serviceId": "ac-check", "from": "2026-11-24", "to": "2026-11-25" })
        }
        "check" | "explain" | "alternatives" => request.clone(),
        "checkReschedule" => json!(["bk-1", { "start": "2026-11-24T11:00:00" }]),
        "planRepair" => json!({ "providerId": "ana", "start": "2026-11-24", "end": "2026-11-25" }),
        "parseRule" => json!("FREQ=WEEKLY;COUNT=3"),
        "bookings" | "freeBusy" | "metrics" | "timesheet" | "atRisk" | "followUps"
        | "exportICalendar" | "visitsCsv" | "dayProblem" | "fhir" => day.clone(),
        _ => json!(null),
    };
    let mut answered = Vec::new();
    for method in READS {
        let before = c.snapshot();
        let answer = send(&mut c, method, input(method));
        assert_eq!(
            answer["changes"].as_array().map_or(0, Vec::len),
            0,
            "{method}"
        );
        assert_eq!(c.snapshot(), before, "`{method}` changed the state");
        if answer.get("ok").is_some() {
            answered.push(method);
        }
    }
    assert!(
        answered.len() >= 25,
        "too few answered to mean much: {answered:?}"
    );
}
