//! Why a job is left out, in codes a coordinator can act on. Each reason is checked against the
//! technicians who could do the job, so it is true in the plain sense: lift it (a skill given,
//! a shift widened, room made) and the job fits. A test holds this on small cases.

use crate::problem::Problem;
use crate::route::Route;
use crate::search::Solution;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// No technician has the skills at the levels the job needs.
    SkillMissing,
    /// The job needs more (parts, equipment, load) than a capable technician carries, or than
    /// is left on their route.
    Capacity,
    /// None of the job's windows fits inside a capable technician's shift, with the travel from
    /// the shift's start and back to its end.
    OutsideShift,
    /// It would fit an empty shift, but each capable technician's day is taken at its windows.
    NoWindowFits,
    /// Its windows fit, but the driving to it would take a technician past their limit.
    TravelLimit,
    /// It would fit, but a job it depends on is left out, or does not finish in time, or is
    /// with a technician it could not join.
    Dependency,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Reason::SkillMissing => "SKILL_MISSING",
            Reason::Capacity => "CAPACITY",
            Reason::OutsideShift => "OUTSIDE_SHIFT",
            Reason::NoWindowFits => "NO_WINDOW_FITS",
            Reason::TravelLimit => "TRAVEL_LIMIT",
            Reason::Dependency => "DEPENDENCY",
        }
    }
}

/// The reasons job `j` is not in `s`, over every technician with its skills (sorted, distinct).
pub fn reasons(pb: &Problem, s: &Solution, j: usize) -> Vec<Reason> {
    let mut out = Vec::new();
    let capable: Vec<usize> = (0..pb.vehicles.len()).filter(|&v| pb.can(j, v)).collect();
    if capable.is_empty() {
        return vec![Reason::SkillMissing];
    }
    let mut fits = false;
    for v in capable {
        let empty = Route::breaks_only(pb, v);
        // Where the job's windows fit (driving aside), and whether the driving fits too.
        let blocked = |r: &Route| -> Option<Reason> {
            let fits: Vec<f64> = (0..=r.len())
                .filter_map(|p| r.fits_schedule(pb, j, p).map(|(t, _)| t))
                .collect();
            if fits.is_empty() {
                Some(if r.is_empty() {
                    Reason::OutsideShift
                } else {
                    Reason::NoWindowFits
                })
            } else if fits.iter().all(|&t| !r.within_travel(pb, t)) {
                Some(Reason::TravelLimit)
            } else {
                None
            }
        };
        let reason = if !empty.fits_load(pb, j) {
            Reason::Capacity
        } else if let Some(r) = blocked(&empty) {
            r
        } else {
            match s.routes.iter().find(|r| r.vehicle == v) {
                Some(r) if !r.fits_load(pb, j) => Reason::Capacity,
                Some(r) => match blocked(r) {
                    Some(reason) => reason,
                    // It fits this technician's route as it stands: not a reason.
                    None => {
                        fits = true;
                        continue;
                    }
                },
                None => continue,
            }
        };
        if !out.contains(&reason) {
            out.push(reason);
        }
    }
    let job = &pb.jobs[j];
    if (fits || out.is_empty()) && !(job.after.is_empty() && job.same_technician.is_empty()) {
        out.push(Reason::Dependency);
    }
    out.sort();
    out
}
