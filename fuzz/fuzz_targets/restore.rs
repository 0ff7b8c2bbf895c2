//! Any text as a snapshot: refused with a code, or restored to a state that writes back the
//! same text it then reads again (restore is a fixed point after one round).
#![no_main]
#[path = "common.rs"]
mod common;
use libfuzzer_sys::fuzz_target;
use service_coordinator::Coordinator;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(c) = Coordinator::restore(common::zones(), &text) {
        common::saves_and_loads(&c.snapshot());
    }
});
