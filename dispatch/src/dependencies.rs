//! Dependencies between jobs, checked on a whole plan: "after X" (the job starts once X has
//! finished, on the planned schedule) and "same technician as X". A job whose dependency is not
//! done is not done either.

use crate::problem::Problem;
use crate::search::Solution;

/// The jobs in `s` whose dependencies do not hold.
pub fn broken(pb: &Problem, s: &Solution) -> Vec<u32> {
    // (technician, planned start, planned end) of each job in the plan.
    let mut at: Vec<Option<(usize, f64, f64)>> = vec![None; pb.jobs.len()];
    for r in &s.routes {
        let technician = pb.technician(r.vehicle);
        for v in r.visits(pb) {
            let end = v.start + pb.jobs[v.job].duration;
            at[v.job] = Some((technician, v.start, end));
        }
    }
    let mut out = Vec::new();
    for (j, job) in pb.jobs.iter().enumerate() {
        let Some((technician, start, _)) = at[j] else {
            continue;
        };
        let after = job
            .after
            .iter()
            .all(|&x| at[x].is_some_and(|(_, _, end)| end <= start + 1e-9));
        let same = job
            .same_technician
            .iter()
            .all(|&x| at[x].is_some_and(|(t, _, _)| t == technician));
        if !(after && same) {
            out.push(j as u32);
        }
    }
    out
}
