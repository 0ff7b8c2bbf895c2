//! "Where can this one job go?": every place a job could take in a plan as it stands, scored by
//! the objective, best first. Nothing else in the plan is re-planned; each option says which
//! stops it would delay (their planned start moves), so a coordinator sees what it disturbs.
//! The constant-time insertion test finds the places; each is then scored exactly on a copy of
//! its route.

use crate::problem::{Objective, Problem};
use crate::search::Solution;

/// One place job `job` could take.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    /// The route (index into the solution's routes) and its vehicle.
    pub route: usize,
    pub vehicle: usize,
    /// The job goes after this many stops.
    pub position: usize,
    pub arrival: f64,
    pub start: f64,
    /// What the objective gains (the weighted cost, or the distance) with the job there.
    pub cost: f64,
    /// Driving time and distance added.
    pub travel: f64,
    pub distance: f64,
    /// The other stops whose planned start changes: (job, from, to).
    pub moved: Vec<(usize, f64, f64)>,
}

/// The `k` best places for job `j` (not in any route of `s`), best first.
pub fn placements(pb: &Problem, s: &Solution, j: usize, k: usize) -> Vec<Placement> {
    let mut out: Vec<Placement> = Vec::new();
    let mut trial = s.clone();
    for (ri, r) in s.routes.iter().enumerate() {
        if pb.locked(j).is_some() || !pb.can(j, r.vehicle) || !r.fits_load(pb, j) {
            continue;
        }
        for p in 0..=r.len() {
            let Some(distance) = r.insertion(pb, j, p) else {
                continue;
            };
            let t = &mut trial.routes[ri];
            t.clone_from(r);
            t.insert(pb, j, p);
            let ok = !pb.has_dependencies() || crate::dependencies::broken(pb, &trial).is_empty();
            let t = &trial.routes[ri];
            if ok {
                let before = r.visits(pb);
                let after = t.visits(pb);
                let this = after[p];
                let moved = after
                    .iter()
                    .filter(|v| v.job != j)
                    .zip(&before)
                    .filter(|(a, b)| (a.start - b.start).abs() > 1e-6)
                    .map(|(a, b)| (a.job, b.start, a.start))
                    .collect();
                let cost = match pb.objective {
                    Objective::Hierarchical => distance,
                    Objective::Weighted(_) => t.score.cost - r.score.cost,
                };
                out.push(Placement {
                    route: ri,
                    vehicle: r.vehicle,
                    position: p,
                    arrival: this.arrival,
                    start: this.start,
                    cost,
                    travel: t.travel - r.travel,
                    distance: t.distance - r.distance,
                    moved,
                });
            }
            trial.routes[ri].clone_from(r);
        }
    }
    out.sort_by(|a, b| a.cost.total_cmp(&b.cost));
    out.truncate(k);
    out
}
