//! service-dispatch: the route solver behind the coordinator's dispatch.
//!
//! A layer of its own, numeric: technicians' shifts and jobs over places, travel between them,
//! and a search for routes that keep every hard rule (skills, windows, shifts and breaks,
//! capacities, driving limits, deadlines, pinned and fixed stops, dependencies) at the least
//! weighted cost the budget allows. No booking rules, no clock, no JS inside: the coordinator
//! builds a [`Problem`] from its state, and the shells (a Web Worker, a Node worker thread, a
//! native call) run [`solve`] with a budget they measure.
//!
//! A server reads the same JSON as the page (`wire`), solves with an iteration budget (one plan
//! for a seed, anywhere) and answers the same plan:
//!
//! ```
//! use service_dispatch::{solve_iterations, wire};
//! let pb = wire::read_problem(
//!     r#"{"travel": {"euclidean": {"points": [[0, 0], [600, 0]]}},
//!         "technicians": [{"id": "ana", "start": 0, "end": 0, "shift": [28800, 61200]}],
//!         "jobs": [{"id": "fix", "place": 1, "duration": 3600, "windows": [[32400, 36000]]}]}"#,
//! )?;
//! let plan = wire::plan(&pb, &solve_iterations(&pb, 1, 100));
//! // Ten minutes' drive, then the job at the start of its window.
//! assert_eq!((plan.routes[0].stops[0].arrival, plan.routes[0].stops[0].start), (29400.0, 32400.0));
//! # Ok::<(), String>(())
//! ```

pub mod dependencies;
pub mod options;
pub mod problem;
pub mod reasons;
mod rng;
pub mod route;
pub mod search;
#[cfg(all(target_arch = "wasm32", feature = "wire"))]
mod wasm;
#[cfg(feature = "wire")]
pub mod wire;

pub use problem::{
    great_circle_metres, GreatCircleFrom, Job, Objective, Problem, Travel, Vehicle, Weights, Window,
};
pub use search::{solve, solve_iterations, Progress, Solution, Solver};
