//! service-coordinator: a service coordinator's scheduling engine.
//!
//! The functional core (everything but `wasm`) is plain Rust over plain data: no DOM, no clock,
//! no JS. `now` is an argument of every call that depends on it, and time-zone offsets come from
//! an [`zone::OffsetSource`] the shell provides. See ARCHITECTURE.md for the map.
//!
//! ```
//! use service_coordinator::{json, native_zones, time, Coordinator, model::*};
//! let mut c = Coordinator::new(native_zones(), "America/New_York").unwrap();
//! c.upsert_provider(json::from_str(r#"{"id":"ana","name":"Ana","timeZone":"America/New_York",
//!     "skills":["hvac"],"weeklyHours":{"mon":[{"start":"09:00","end":"17:00"}]}}"#, "provider").unwrap()).unwrap();
//! c.upsert_service(json::from_str(r#"{"id":"tune-up","name":"Furnace tune-up",
//!     "durationMinutes":60,"requiredSkills":["hvac"]}"#, "service").unwrap()).unwrap();
//! // Times are read once, where text comes in: `parse_time` is what the JSON reader uses.
//! let (now, day, next) = (time::Instant::from_secs(1_795_416_741), // 2026-11-23T06:52:21Z, a Monday
//!     time::parse_time("2026-11-23").unwrap(), time::parse_time("2026-11-24").unwrap());
//! let slots = c.availability(&AvailabilityQuery { service_id: "tune-up".into(),
//!     from: day, to: next, ..Default::default() }, now).unwrap();
//! assert_eq!(slots.slots.len(), 8); // 09:00 .. 16:00
//! ```

// No panic may cross into JS (the release wasm aborts on one, killing the instance): the core
// neither unwraps nor panics, and indexes by `get`, by a pattern, or under an `allow` that states
// why the index is in bounds; clippy holds that (./dev test runs it with -D warnings).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod base;
pub mod io;
pub mod json;
pub mod model;
pub mod planning;
pub mod reports;
pub mod rules;
pub mod state;
pub mod time;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use base::error::{Code, Error, Violation};
pub use state::Coordinator;

/// The zone cache over chrono-tz, for native builds and servers.
#[cfg(not(target_arch = "wasm32"))]
pub fn native_zones() -> time::zone::Zones {
    time::zone::Zones::new(Box::new(time::native_tz::ChronoTz))
}
