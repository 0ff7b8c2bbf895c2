//! service-dispatch: the route solver behind the coordinator's dispatch.
//!
//! A layer of its own, numeric: technicians' shifts and jobs over places, travel between them,
//! and a search for routes that keep every hard rule (skills, time windows, shifts, capacities)
//! with as little travel as the budget allows. No booking rules, no clock, no JS inside: the
//! coordinator builds a [`Problem`] from its state, and the shells (a Web Worker, a Node worker
//! thread, a native call) run [`solve`] with a budget they measure.

pub mod dependencies;
pub mod options;
pub mod problem;
pub mod reasons;
mod rng;
pub mod route;
pub mod search;
#[cfg(target_arch = "wasm32")]
mod wasm;
pub mod wire;

pub use problem::{Job, Objective, Problem, Travel, Vehicle, Weights, Window};
pub use search::{solve, solve_iterations, Progress, Solution, Solver};
