//! What every target shares: a small company built through the JSON boundary, a call that checks
//! the contract, and the invariant that every state saves and loads.
#![allow(dead_code)]

use service_coordinator::io::dispatch::call;
use service_coordinator::time::zone::Zones;
use service_coordinator::{native_zones, Coordinator};

static TRACE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

thread_local! {
    /// Built once: the company, and a zone cache that has read New York and Chicago already
    /// (building zone tables from chrono-tz is most of a cold call's time).
    static BASE: Coordinator = build_company();
}

/// A copy of the zone cache the company warmed (copies share the built tables).
pub fn zones() -> Zones {
    BASE.with(|c| c.zones().clone())
}

/// 2026-11-23T12:00:00Z, a Monday, in milliseconds.
pub const NOW_MS: f64 = 1_795_435_200_000.0;

/// The company, fresh for each input (a copy of one built once).
pub fn company() -> Coordinator {
    BASE.with(Coordinator::clone)
}

fn build_company() -> Coordinator {
    let mut c = Coordinator::utc(native_zones());
    let day = r#"[{"start":"08:00","end":"12:00"},{"start":"13:00","end":"17:00"}]"#;
    let week = format!(r#"{{"mon":{day},"tue":{day},"wed":{day},"thu":{day},"fri":{day}}}"#);
    for (method, input) in [
        ("configure", r#""America/New_York""#.to_string()),
        ("upsertProvider", format!(r#"{{"id":"ana","name":"Ana","skills":["hvac","gas"],"timeZone":"America/New_York","weeklyHours":{week}}}"#)),
        ("upsertProvider", format!(r#"{{"id":"ben","name":"Ben","skills":["plumbing"],"timeZone":"America/Chicago","weeklyHours":{week}}}"#)),
        ("upsertResource", r#"{"id":"van-1","name":"Van 1","kind":"van"}"#.to_string()),
        ("upsertService", r#"{"id":"tune-up","name":"Tune-up","durationMinutes":60,"requiredSkills":["hvac"],"bufferAfterMinutes":15,"requiredResources":[{"kind":"van"}]}"#.to_string()),
        ("upsertService", r#"{"id":"class","name":"Class","durationMinutes":120,"seats":3}"#.to_string()),
        ("upsertService", r#"{"id":"drain","name":"Drain","durationMinutes":60,"requiredSkills":["plumbing"],"slotStepMinutes":30}"#.to_string()),
        ("upsertClient", r#"{"id":"c-1","name":"Dana"}"#.to_string()),
        ("upsertClient", r#"{"id":"c-2","name":"Eli"}"#.to_string()),
        ("book", r#"{"serviceId":"tune-up","providerId":"ana","start":"2026-11-24T09:00","clientIds":["c-1"]}"#.to_string()),
        ("book", r#"{"serviceId":"class","providerId":"ana","start":"2026-11-25T09:00","clientIds":["c-2"]}"#.to_string()),
    ] {
        let answer = call(&mut c, &native_zones, method, &input, NOW_MS);
        assert!(answer.starts_with("{\"ok\""), "{method}: {answer}");
    }
    c
}

/// Calls `method` and holds the contract: a refusal leaves the state byte-identical, and the
/// state after any call saves and loads to the same text.
pub fn checked_call(c: &mut Coordinator, method: &str, input: &str, now_ms: f64) -> String {
    let before = c.snapshot();
    let answer = call(c, &zones, method, input, now_ms);
    if *TRACE.get_or_init(|| std::env::var_os("FUZZ_TRACE").is_some()) {
        // FUZZ_TRACE=1 cargo fuzz run TARGET ARTIFACT: each call of a failing input, in order.
        eprintln!("{now_ms} {method} {input}\n  -> {answer}");
    }
    let after = c.snapshot();
    if answer.starts_with("{\"error\"") {
        assert_eq!(
            after, before,
            "{method} was refused but changed the state: {answer}"
        );
    }
    saves_and_loads(&after);
    answer
}

pub fn saves_and_loads(text: &str) {
    match Coordinator::restore(zones(), text) {
        Ok(again) => assert_eq!(again.snapshot(), text, "restore changed the text"),
        Err(e) => panic!("a state the API reached does not restore: {e}"),
    }
}

pub const METHODS: [&str; 51] = [
    "upsertProvider",
    "upsertService",
    "upsertResource",
    "upsertClient",
    "removeProvider",
    "removeService",
    "removeResource",
    "removeClient",
    "availability",
    "freeBusy",
    "check",
    "explain",
    "alternatives",
    "book",
    "hold",
    "confirmHold",
    "releaseHold",
    "atRisk",
    "checkReschedule",
    "planRepair",
    "planUrgent",
    "waitlistAdd",
    "waitlistRemove",
    "waitlistOffers",
    "checkSeries",
    "bookSeries",
    "cancelSeries",
    "rescheduleSeries",
    "exportICalendar",
    "applyPlan",
    "reschedule",
    "cancel",
    "setStatus",
    "bookings",
    "updateVisit",
    "followUps",
    "closeFollowUp",
    "setBilling",
    "addTimeEntry",
    "updateTimeEntry",
    "removeTimeEntry",
    "approveTimeEntries",
    "correctTimeEntry",
    "metrics",
    "timesheet",
    "invoice",
    "visitsCsv",
    "fhir",
    "changeVersion",
    "changesSince",
    "applyChanges",
];
