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

/// Ana's Wednesday 2026-11-25 becomes time off ("sick"), added after her bookings were made.
pub(crate) fn ana_calls_in_sick_on_wednesday(c: &mut Coordinator) {
    let mut ana = c.provider("ana").unwrap().clone();
    ana.time_off.push(TimeOff {
        start: when("2026-11-25"),
        end: when("2026-11-26"),
        reason: Some("sick".into()),
        ..Default::default()
    });
    c.upsert_provider(ana).unwrap();
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
mod recurrence;
mod repair;
mod saves;
mod travel;
mod waitlist;
