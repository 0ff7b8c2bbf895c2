//! RRULE text and a DTSTART: parsed and expanded (in a DST zone) without a panic, and every
//! expansion ordered and without repeats.
#![no_main]
use libfuzzer_sys::fuzz_target;
use service_coordinator::time::rrule::{expand, ExpandQuery, Rule};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (rule, start) = text.split_once('\n').unwrap_or((&text, "2026-03-07T01:30"));
    if Rule::parse(rule).is_err() {
        return;
    }
    let Ok(dtstart) = service_coordinator::time::parse_time(start) else {
        return;
    };
    let zones = service_coordinator::native_zones();
    let q = ExpandQuery {
        rrule: rule.to_string(),
        dtstart,
        limit: Some(500),
        ..Default::default()
    };
    if let Ok(instants) = expand(&zones, "America/New_York", &q) {
        assert!(
            instants.windows(2).all(|w| w[0] < w[1]),
            "{rule} from {start}: not strictly ordered"
        );
    }
});
