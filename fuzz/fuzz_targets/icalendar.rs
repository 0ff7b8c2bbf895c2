//! Any text as an iCalendar file for a provider, tolerant or strict (by the first byte's low
//! bit): a coded answer, never a panic; a refused import changes nothing, and whatever one
//! imports leaves a state that saves and loads.
#![no_main]
#[path = "common.rs"]
mod common;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut input = String::from("[");
    input.push_str(&service_coordinator::json::to_string(text.as_ref()));
    let strict = data.first().is_some_and(|b| b & 1 == 1);
    input.push_str(&format!(r#",{{"providerId":"ana","horizonDays":60,"strict":{strict}}}]"#));
    let mut c = common::company();
    common::checked_call(&mut c, "importICalendar", &input, common::NOW_MS);
});
