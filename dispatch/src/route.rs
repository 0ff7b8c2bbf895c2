//! One technician's route and its schedule, kept so that "can job u go between stops p and p+1,
//! and what does it add" is answered in constant time.
//!
//! Positions run from 0 (the shift's start) through the jobs to `k + 1` (the shift's end). For
//! each position the route keeps the earliest time service can start there (forward, waiting for
//! a window when early) and the latest start that keeps every later stop inside its windows and
//! the shift (backward). Arriving earlier never hurts (a technician may wait), so an insertion is
//! feasible exactly when the new job can start in one of its windows and the next stop can then
//! still start by its latest time.

use crate::problem::{Problem, Window};

#[derive(Debug)]
pub struct Route {
    pub vehicle: usize,
    pub jobs: Vec<u32>,
    earliest: Vec<f64>,
    latest: Vec<f64>,
    load: Vec<i64>,
    pub distance: f64,
    /// Time spent driving.
    pub travel: f64,
}

/// `clone_from` reuses the buffers: the search keeps copies of the routes a step changes.
impl Clone for Route {
    fn clone(&self) -> Route {
        Route {
            vehicle: self.vehicle,
            jobs: self.jobs.clone(),
            earliest: self.earliest.clone(),
            latest: self.latest.clone(),
            load: self.load.clone(),
            distance: self.distance,
            travel: self.travel,
        }
    }
    fn clone_from(&mut self, o: &Route) {
        self.vehicle = o.vehicle;
        self.jobs.clone_from(&o.jobs);
        self.earliest.clone_from(&o.earliest);
        self.latest.clone_from(&o.latest);
        self.load.clone_from(&o.load);
        self.distance = o.distance;
        self.travel = o.travel;
    }
}

/// The earliest start at or after `t` inside one of `windows`.
#[inline]
fn first_start(windows: &[Window], t: f64) -> Option<f64> {
    windows.iter().find(|w| w.end >= t).map(|w| w.start.max(t))
}

/// The latest start at or before `t` inside one of `windows`.
#[inline]
fn last_start(windows: &[Window], t: f64) -> Option<f64> {
    windows
        .iter()
        .rev()
        .find(|w| w.start <= t)
        .map(|w| w.end.min(t))
}

/// Travel time and distance between two optional places (none: no travel).
#[inline]
fn hop(pb: &Problem, a: Option<usize>, b: Option<usize>) -> (f64, f64) {
    match (a, b) {
        (Some(a), Some(b)) => (pb.travel.time(a, b), pb.travel.distance(a, b)),
        _ => (0.0, 0.0),
    }
}

impl Route {
    pub fn new(pb: &Problem, vehicle: usize) -> Route {
        let mut r = Route {
            vehicle,
            jobs: Vec::new(),
            earliest: Vec::new(),
            latest: Vec::new(),
            load: vec![0; pb.vehicles[vehicle].capacity.len()],
            distance: 0.0,
            travel: 0.0,
        };
        r.update(pb);
        r
    }

    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// The place at position `p` (0: shift start, `len + 1`: shift end).
    #[inline]
    fn place(&self, pb: &Problem, p: usize) -> Option<usize> {
        let v = &pb.vehicles[self.vehicle];
        if p == 0 {
            v.start
        } else if p > self.jobs.len() {
            v.end
        } else {
            Some(pb.jobs[self.jobs[p - 1] as usize].place)
        }
    }

    #[inline]
    fn duration(&self, pb: &Problem, p: usize) -> f64 {
        if p == 0 || p > self.jobs.len() {
            0.0
        } else {
            pb.jobs[self.jobs[p - 1] as usize].duration
        }
    }

    /// Recomputes the schedule, the load and the distance after the jobs changed.
    pub fn update(&mut self, pb: &Problem) {
        let k = self.jobs.len();
        let shift = pb.vehicles[self.vehicle].shift;
        self.earliest.clear();
        self.latest.clear();
        self.earliest.push(shift.start);
        self.distance = 0.0;
        self.travel = 0.0;
        for l in self.load.iter_mut() {
            *l = 0;
        }
        for p in 1..=k + 1 {
            let (t, d) = hop(pb, self.place(pb, p - 1), self.place(pb, p));
            self.distance += d;
            self.travel += t;
            let arrive = self.earliest[p - 1] + self.duration(pb, p - 1) + t;
            let start = if p > k {
                arrive
            } else {
                let job = &pb.jobs[self.jobs[p - 1] as usize];
                for (l, d) in self.load.iter_mut().zip(&job.demand) {
                    *l += d;
                }
                first_start(&job.windows, arrive).unwrap_or(f64::INFINITY)
            };
            self.earliest.push(start);
        }
        self.latest.resize(k + 2, 0.0);
        self.latest[k + 1] = shift.end;
        for p in (0..=k).rev() {
            let (t, _) = hop(pb, self.place(pb, p), self.place(pb, p + 1));
            let by = self.latest[p + 1] - t - self.duration(pb, p);
            self.latest[p] = if p == 0 {
                by.min(shift.end)
            } else {
                let job = &pb.jobs[self.jobs[p - 1] as usize];
                last_start(&job.windows, by).unwrap_or(f64::NEG_INFINITY)
            };
        }
    }

    /// Whether every stop is inside its windows and the shift, and the load within capacity.
    pub fn feasible(&self, pb: &Problem) -> bool {
        let cap = &pb.vehicles[self.vehicle].capacity;
        self.earliest.iter().zip(&self.latest).all(|(e, l)| e <= l)
            && self.load.iter().zip(cap).all(|(l, c)| l <= c)
            && self.within_travel(pb, 0.0)
    }

    /// Whether the vehicle could carry job `j` on top of its load.
    #[inline]
    pub fn fits_load(&self, pb: &Problem, j: usize) -> bool {
        let cap = &pb.vehicles[self.vehicle].capacity;
        pb.jobs[j]
            .demand
            .iter()
            .zip(&self.load)
            .zip(cap)
            .all(|((d, l), c)| l + d <= *c)
    }

    /// Whether `extra` more driving stays within the technician's limit.
    #[inline]
    pub fn within_travel(&self, pb: &Problem, extra: f64) -> bool {
        pb.vehicles[self.vehicle]
            .max_travel
            .is_none_or(|m| self.travel + extra <= m + 1e-9)
    }

    /// The distance added by putting job `j` after position `p` (`0..=len`), if the schedule
    /// allows it. Skills and load are the caller's to check (once per route, not per position).
    #[inline]
    pub fn insertion(&self, pb: &Problem, j: usize, p: usize) -> Option<f64> {
        let (travel, distance) = self.fits_schedule(pb, j, p)?;
        self.within_travel(pb, travel).then_some(distance)
    }

    /// Whether job `j` after position `p` keeps every stop in its windows and the shift, and if
    /// so the (driving time, distance) it adds, the driving limit aside.
    #[inline]
    pub fn fits_schedule(&self, pb: &Problem, j: usize, p: usize) -> Option<(f64, f64)> {
        let job = &pb.jobs[j];
        let (a, b) = (self.place(pb, p), self.place(pb, p + 1));
        let (t1, d1) = hop(pb, a, Some(job.place));
        let start = first_start(&job.windows, self.earliest[p] + self.duration(pb, p) + t1)?;
        let (t2, d2) = hop(pb, Some(job.place), b);
        let arrive = start + job.duration + t2;
        let next_start = if p + 1 > self.jobs.len() {
            arrive
        } else {
            first_start(&pb.jobs[self.jobs[p] as usize].windows, arrive)?
        };
        if next_start > self.latest[p + 1] {
            return None;
        }
        let (t0, d0) = hop(pb, a, b);
        Some((t1 + t2 - t0, d1 + d2 - d0))
    }

    pub fn insert(&mut self, pb: &Problem, j: usize, p: usize) {
        self.jobs.insert(p, j as u32);
        self.update(pb);
    }

    /// Each stop's (arrival, start of service): the schedule a plan reports and a checker reads.
    pub fn times(&self, pb: &Problem) -> Vec<(f64, f64)> {
        let mut out = Vec::with_capacity(self.jobs.len());
        for p in 1..=self.jobs.len() {
            let (t, _) = hop(pb, self.place(pb, p - 1), self.place(pb, p));
            out.push((
                self.earliest[p - 1] + self.duration(pb, p - 1) + t,
                self.earliest[p],
            ));
        }
        out
    }

    /// When the technician is back (or done, without an end place).
    pub fn end_time(&self) -> f64 {
        self.earliest.last().copied().unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Problem;
    use crate::rng::Rng;

    /// The constant-time insertion test agrees with inserting and recomputing the schedule, on
    /// every position of random routes of a Solomon instance with tight and wide windows.
    #[test]
    fn the_quick_insertion_test_agrees_with_recomputing() {
        for name in ["C201", "R101", "RC201"] {
            let text = std::fs::read_to_string(format!("../../shared/data/solomon/{name}.txt"))
                .or_else(|_| std::fs::read_to_string(format!("../shared/data/solomon/{name}.txt")))
                .unwrap();
            let pb = Problem::solomon(&text).unwrap();
            let mut rng = Rng::new(3);
            for _ in 0..200 {
                // A random feasible route built by inserting where the full check allows.
                let mut r = Route::new(&pb, 0);
                for _ in 0..40 {
                    let j = rng.below(pb.jobs.len());
                    if r.jobs.contains(&(j as u32)) {
                        continue;
                    }
                    let p = rng.below(r.len() + 1);
                    let mut t = r.clone();
                    t.insert(&pb, j, p);
                    if t.feasible(&pb) {
                        r = t;
                    }
                }
                for j in 0..pb.jobs.len() {
                    if r.jobs.contains(&(j as u32)) {
                        continue;
                    }
                    for p in 0..=r.len() {
                        let mut t = r.clone();
                        t.insert(&pb, j, p);
                        let full = t.feasible(&pb) || !r.fits_load(&pb, j);
                        let quick = r.insertion(&pb, j, p);
                        assert_eq!(
                            quick.is_some(),
                            t.earliest.iter().zip(&t.latest).all(|(e, l)| e <= l),
                            "{name}: job {j} at {p} in {:?}",
                            r.jobs
                        );
                        if let Some(d) = quick {
                            assert!((r.distance + d - t.distance).abs() < 1e-6);
                        }
                        let _ = full;
                    }
                }
            }
        }
    }
}
