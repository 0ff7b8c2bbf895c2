//! Any text as an iCalendar file for a provider: a coded answer, never a panic; an import is
//! all or nothing and leaves a state that saves and loads.
#![no_main]
#[path = "common.rs"]
mod common;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut input = String::from("[");
    input.push_str(&service_coordinator::json::to_string(text.as_ref()));
    input.push_str(r#",{"providerId":"ana","horizonDays":60}]"#);
    let mut c = common::company();
    common::checked_call(&mut c, "importICalendar", &input, common::NOW_MS);
});
