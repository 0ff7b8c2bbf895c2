//! The wasm shell: a `DispatchSolver` the Worker (js/dispatch-worker.js) steps a few
//! iterations at a time, reading the clock itself; problem and plan cross as JSON text.

use crate::search::Solver;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct DispatchSolver {
    inner: Solver,
}

#[wasm_bindgen]
impl DispatchSolver {
    /// Reads the problem (JSON text) and makes a first plan; throws with what is wrong.
    #[wasm_bindgen(constructor)]
    pub fn new(problem: &str, seed: f64) -> Result<DispatchSolver, JsError> {
        let pb = crate::wire::read_problem(problem).map_err(|e| JsError::new(&e))?;
        Ok(DispatchSolver {
            inner: Solver::new(pb, seed as u64),
        })
    }

    /// A re-plan: starts from `plan` (as `plan()` gave it) as far as it still holds in
    /// `problem`, and counts the visits that change.
    pub fn replan(problem: &str, plan: &str, seed: f64) -> Result<DispatchSolver, JsError> {
        let mut pb = crate::wire::read_problem(problem).map_err(|e| JsError::new(&e))?;
        let (routes, was) = crate::wire::read_plan(&pb, plan).map_err(|e| JsError::new(&e))?;
        pb.set_baseline(&was);
        let first = crate::search::Solution::keeping(&pb, &routes);
        Ok(DispatchSolver {
            inner: Solver::from_plan(pb, seed as u64, first),
        })
    }

    /// Runs `n` iterations with `spent` (0 to 1) of the budget used.
    pub fn steps(&mut self, spent: f64, n: u32) {
        self.inner.steps(spent.clamp(0.0, 1.0), n);
    }

    /// `[iterations, vehicles, distance, jobs left out, cost]` of the best plan so far.
    pub fn progress(&self) -> Vec<f64> {
        let p = self.inner.progress();
        vec![
            p.iteration as f64,
            p.vehicles as f64,
            p.distance,
            p.unassigned as f64,
            p.cost,
        ]
    }

    /// The best plan so far, as JSON text.
    pub fn plan(&mut self) -> String {
        let best = self.inner.finish();
        let plan = crate::wire::plan(self.inner.problem(), &best);
        serde_json::to_string(&plan).unwrap_or_default()
    }
}

/// The best `count` places for job `job` in `plan` (empty: the fixed stops and breaks alone),
/// as JSON text; throws with what is wrong.
#[wasm_bindgen]
pub fn placements(problem: &str, plan: &str, job: &str, count: u32) -> Result<String, JsError> {
    let plan = (!plan.is_empty()).then_some(plan);
    crate::wire::placements(problem, plan, job, count as usize).map_err(|e| JsError::new(&e))
}

/// The plan as it stands (no search), scheduled and scored, as JSON text; throws with the route
/// that breaks a hard rule.
#[wasm_bindgen]
pub fn evaluate(problem: &str, plan: &str) -> Result<String, JsError> {
    crate::wire::evaluate(problem, plan).map_err(|e| JsError::new(&e))
}
