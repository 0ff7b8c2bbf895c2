//! Every reader the JS boundary reaches, fed random text and mutated valid text: each answers with
//! a value or a coded error, never a panic (in wasm a panic aborts the instance and its state).
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use proptest::prelude::*;
use service_coordinator::{json, native_zones, rrule, time, Coordinator};

const ICS: &str = "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:X\r\nBEGIN:STANDARD\r\nDTSTART:16011104T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=X:20261124T090000\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nEXDATE;TZID=X:20261201T090000\r\nSUMMARY:a\\, b\r\nEND:VEVENT\r\nBEGIN:VFREEBUSY\r\nFREEBUSY:20261124T140000Z/PT1H\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n";

/// Valid text with a few bytes changed, dropped or duplicated.
fn mutated(seed: &'static str) -> impl Strategy<Value = String> {
    proptest::collection::vec((0..seed.len(), 0..4u8, any::<char>()), 1..6).prop_map(move |edits| {
        let mut s: Vec<char> = seed.chars().collect();
        for (at, op, ch) in edits {
            let at = at.min(s.len().saturating_sub(1));
            match op {
                0 if !s.is_empty() => {
                    s.remove(at);
                }
                1 => s.insert(at, ch),
                2 if !s.is_empty() => s[at] = ch,
                _ => {
                    let tail: Vec<char> = s[at..].iter().take(8).copied().collect();
                    s.splice(at..at, tail);
                }
            }
        }
        s.into_iter().collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        let _ = json::parse(&text);
        let _ = time::parse_time(&text);
        let _ = time::parse_clock(&text);
        let _ = rrule::Rule::parse(&text);
        let _ = rrule::parse_basic(&text);
        let mut c = hvac_company(native_zones());
        let q = service_coordinator::ical::ImportQuery { provider_id: "ben".into(), horizon_days: Some(30) };
        let _ = c.import_icalendar(&text, &q, monday_morning());
        let _ = Coordinator::restore(native_zones(), &text);
    }

    #[test]
    fn mutated_rules_never_panic(text in mutated("FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR,2MO;BYMONTH=1,6;BYSETPOS=1,-1;COUNT=20")) {
        if let Ok(r) = rrule::Rule::parse(&text) {
            let q = rrule::ExpandQuery { rrule: r.to_string(), dtstart: "2026-01-30T09:00".into(), limit: Some(50), ..Default::default() };
            let _ = rrule::expand(&native_zones(), "America/New_York", &q);
        }
    }

    #[test]
    fn mutated_calendars_never_panic(text in mutated(ICS)) {
        let mut c = hvac_company(native_zones());
        let before = c.snapshot();
        let q = service_coordinator::ical::ImportQuery { provider_id: "ben".into(), horizon_days: Some(60) };
        if c.import_icalendar(&text, &q, monday_morning()).is_err() {
            prop_assert_eq!(c.snapshot(), before);
        }
    }

    #[test]
    fn mutated_snapshots_never_panic(edits in mutated(r#"{"version":1,"timeZone":"UTC","nextId":2,"providers":[{"id":"p","name":"P","timeZone":"UTC","weeklyHours":{"mon":[{"start":"09:00","end":"17:00"}]}}],"services":[{"id":"s","name":"S","durationMinutes":60}],"resources":[],"clients":[],"bookings":[]}"#)) {
        let _ = Coordinator::restore(native_zones(), &edits);
    }
}
