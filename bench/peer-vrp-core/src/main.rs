//! `peer-vrp-core SECONDS THREADS INSTANCE...`: solves each Solomon instance with vrp-core's
//! default heuristic for SECONDS, on THREADS threads, and prints one line per instance:
//! `name vehicles distance`. The distance is recomputed here from the routes (full-precision
//! Euclidean), the way the dispatch benchmark measures its own plans.
use std::sync::Arc;
use vrp_core::models::problem::JobIdDimension;
use vrp_core::prelude::*;
use vrp_core::rosomaxa::evolution::TelemetryMode;
use vrp_core::utils::{Environment, Parallelism};
use vrp_scientific::solomon::SolomonProblem;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seconds: f64 = args[0].parse().expect("SECONDS");
    let threads: usize = args[1].parse().expect("THREADS");
    for path in &args[2..] {
        let text = std::fs::read_to_string(path).expect("instance");
        let points: Vec<(f64, f64)> = text
            .lines()
            .map(|l| l.split_whitespace().filter_map(|x| x.parse::<f64>().ok()).collect::<Vec<_>>())
            .filter(|v| v.len() == 7)
            .map(|v| (v[1], v[2]))
            .collect();
        let problem = Arc::new(text.clone().read_solomon(false).expect("vrp-scientific reads it"));
        let environment = Arc::new(Environment {
            parallelism: Parallelism::new_with_cpus(threads),
            quota: Some(Arc::new(vrp_core::utils::TimeQuota::new(seconds))),
            logger: Arc::new(|_: &str| {}),
            ..Environment::default()
        });
        let config = VrpConfigBuilder::new(problem.clone())
            .set_environment(environment)
            .set_telemetry_mode(TelemetryMode::None)
            .prebuild()
            .and_then(|b| b.with_max_time(Some(seconds.ceil() as usize)).build())
            .expect("config");
        let solution = Solver::new(problem, config).solve().expect("a solution");
        let mut distance = 0.0;
        let mut vehicles = 0;
        for route in &solution.routes {
            // In visiting order (the tour's job set is not ordered).
            let ids: Vec<usize> = route
                .tour
                .all_activities()
                .filter_map(|a| a.job.as_ref())
                .filter_map(|j| j.dimens.get_job_id().and_then(|id| id.parse().ok()))
                .collect();
            if ids.is_empty() {
                continue;
            }
            vehicles += 1;
            let mut at = 0;
            for &c in ids.iter().chain(std::iter::once(&0)) {
                let (a, b) = (points[at], points[c]);
                distance += ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
                at = c;
            }
        }
        let name = std::path::Path::new(path).file_stem().unwrap().to_string_lossy();
        println!("{name} {vehicles} {distance:.4} {}", solution.unassigned.len());
    }
}
