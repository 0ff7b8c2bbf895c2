//! What a coordinator sees in a day, natively (chrono-tz zones): one file per feature, one
//! fixture (`company()`, the sample HVAC and plumbing firm on Monday morning) for all.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../common/mod.rs"]
mod common;
pub(crate) use common::*;
pub(crate) use serde_json::json;
pub(crate) use service_coordinator::model::*;
pub(crate) use service_coordinator::{native_zones, Code, Coordinator};

pub(crate) fn company() -> Coordinator {
    hvac_company(native_zones())
}

/// Time off for `provider` from `start` to `end` (wall times), added after what is booked.
pub(crate) fn time_off(c: &mut Coordinator, provider: &str, start: &str, end: &str, why: &str) {
    let mut p = c.provider(provider).unwrap().clone();
    p.time_off.push(TimeOff {
        start: when(start),
        end: when(end),
        reason: Some(why.into()),
        ..Default::default()
    });
    c.upsert_provider(p).unwrap();
}

/// Ana's Wednesday 2026-11-25 becomes time off ("sick"), added after her bookings were made.
pub(crate) fn ana_calls_in_sick_on_wednesday(c: &mut Coordinator) {
    time_off(c, "ana", "2026-11-25", "2026-11-26", "sick");
}

pub(crate) fn codes(e: &service_coordinator::Error) -> Vec<Code> {
    e.details.iter().map(|v| v.code).collect()
}

mod alternatives;
mod booking;
mod console;
mod dispatch_day;
mod explain;
mod holds;
mod icalendar;
mod import;
mod records;
mod recurrence;
mod repair;
mod reports;
mod saves;
mod sync;
mod travel;
mod waitlist;
