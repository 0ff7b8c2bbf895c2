//! One technician's route and its schedule, kept so that "can job u go between stops p and p+1,
//! and what does it add" is answered in constant time.
//!
//! Positions run from 0 (the shift's start) through the stops to `k + 1` (the shift's end). For
//! each position the route keeps the earliest time service can start there (forward, waiting for
//! a window when early) and the latest start that keeps every later stop inside its windows and
//! the shift (backward). Arriving earlier never hurts (a technician may wait), so an insertion is
//! feasible exactly when the new job can start in one of its windows and the next stop can then
//! still start by its latest time.
//!
//! A break has no place: it is taken wherever the technician is, so the route keeps each
//! position's place resolved (a break's is the stop's before it). A job put just before breaks
//! takes them where it is; the test walks over them to the next stop with a place.
//!
//! The schedule a plan reports is the *planned* one: from the earliest, each stop waits for its
//! preferred window where the latest start allows it. Its figures (`Score`) are what the
//! weighted objective costs.

use crate::problem::{sort_by_key, Objective, Problem, Window};

#[derive(Debug)]
pub struct Route {
    pub vehicle: usize,
    /// The stops: jobs, and the vehicle's fixed stops and breaks.
    pub jobs: Vec<u32>,
    /// How many of `jobs` are breaks (a route of breaks only is an unused technician).
    breaks: usize,
    /// The place at each position, a break's being where the technician is.
    places: Vec<Option<u32>>,
    earliest: Vec<f64>,
    latest: Vec<f64>,
    planned: Vec<f64>,
    load: Vec<i64>,
    pub distance: f64,
    /// Time spent driving.
    pub travel: f64,
    pub score: Score,
}

/// What a route costs, objective by objective, on its planned schedule.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Score {
    /// From leaving for the first stop to the end (0 for a technician not used).
    pub duty: f64,
    /// Time outside preferred windows (before or after), summed over the stops.
    pub lateness: f64,
    /// Time past the shift's end.
    pub overtime: f64,
    /// Jobs not with the technician they prefer.
    pub not_preferred: u32,
    /// Visits of the plan being changed that change technician or time (a re-plan).
    pub changed: u32,
    /// The weighed sum (the weighted objective), or the distance (the hierarchical one).
    pub cost: f64,
}

/// The weighted objective's terms of one route (the table in the README, "Dispatch"); a plan
/// reports them as they are.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(feature = "wire", derive(serde::Serialize))]
pub struct Costs {
    /// The technician's cost per distance.
    pub distance: f64,
    /// `Weights::travel` per unit of time driving.
    pub travel: f64,
    /// The technician's cost per unit of time on duty.
    pub duty: f64,
    pub lateness: f64,
    pub overtime: f64,
    pub balance: f64,
    pub preferred: f64,
    pub changed: f64,
}

impl Costs {
    pub fn total(&self) -> f64 {
        self.distance
            + self.travel
            + self.duty
            + self.lateness
            + self.overtime
            + self.balance
            + self.preferred
            + self.changed
    }
}

/// `clone_from` reuses the buffers: the search keeps copies of the routes a step changes.
impl Clone for Route {
    fn clone(&self) -> Route {
        let mut r = Route {
            vehicle: self.vehicle,
            jobs: Vec::new(),
            breaks: 0,
            places: Vec::new(),
            earliest: Vec::new(),
            latest: Vec::new(),
            planned: Vec::new(),
            load: Vec::new(),
            distance: 0.0,
            travel: 0.0,
            score: Score::default(),
        };
        r.clone_from(self);
        r
    }
    fn clone_from(&mut self, o: &Route) {
        self.vehicle = o.vehicle;
        self.jobs.clone_from(&o.jobs);
        self.breaks = o.breaks;
        self.places.clone_from(&o.places);
        self.earliest.clone_from(&o.earliest);
        self.latest.clone_from(&o.latest);
        self.planned.clone_from(&o.planned);
        self.load.clone_from(&o.load);
        self.distance = o.distance;
        self.travel = o.travel;
        self.score = o.score;
    }
}

/// How far past a bound a time may be and still count as on it: sums of travel times round, so
/// `(8:00 + t) - t` may come back a trillionth early or late. Relative, for hosts that count in
/// Unix seconds (a few ten-thousandths of a second there; a nanosecond at Solomon's scale).
#[inline]
fn rounding(t: f64) -> f64 {
    1e-12 * t.abs().max(1.0)
}

/// The earliest start at or after `t` inside one of `windows`.
#[inline]
fn first_start(windows: &[Window], t: f64) -> Option<f64> {
    windows
        .iter()
        .find(|w| w.end >= t || w.end + rounding(w.end) >= t)
        .map(|w| w.start.max(t))
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
fn hop(pb: &Problem, a: Option<u32>, b: Option<u32>) -> (f64, f64) {
    match (a, b) {
        (Some(a), Some(b)) => (
            pb.travel.time(a as usize, b as usize),
            pb.travel.distance(a as usize, b as usize),
        ),
        _ => (0.0, 0.0),
    }
}

/// One stop of a plan: when the technician gets there, starts, and how much later the start
/// could be without breaking a later stop or the shift.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Visit {
    pub job: usize,
    pub arrival: f64,
    pub start: f64,
    pub wait: f64,
    pub slack: f64,
}

impl Route {
    /// The vehicle's route with only its fixed stops and breaks, in time order.
    pub fn new(pb: &Problem, vehicle: usize) -> Route {
        Route::with_locked(pb, vehicle, true)
    }

    /// The vehicle's shift with its breaks alone: what it could do with nothing booked.
    pub fn breaks_only(pb: &Problem, vehicle: usize) -> Route {
        Route::with_locked(pb, vehicle, false)
    }

    fn with_locked(pb: &Problem, vehicle: usize, fixed: bool) -> Route {
        let mut locked: Vec<u32> = (0..pb.jobs.len())
            .filter(|&j| pb.locked(j) == Some(vehicle) && (fixed || pb.jobs[j].is_break()))
            .map(|j| j as u32)
            .collect();
        let opens = |j: u32| pb.jobs[j as usize].windows.first().map_or(0.0, |w| w.start);
        sort_by_key(&mut locked, &opens);
        let mut r = Route {
            vehicle,
            breaks: locked
                .iter()
                .filter(|&&j| pb.jobs[j as usize].is_break())
                .count(),
            jobs: locked,
            places: Vec::new(),
            earliest: Vec::new(),
            latest: Vec::new(),
            planned: Vec::new(),
            load: vec![0; pb.vehicles[vehicle].capacity.len()],
            distance: 0.0,
            travel: 0.0,
            score: Score::default(),
        };
        r.update(pb);
        r
    }

    /// Stops, counting fixed stops and breaks.
    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    /// No stop but breaks: the technician is not used.
    pub fn is_empty(&self) -> bool {
        self.jobs.len() == self.breaks
    }

    #[inline]
    fn duration(&self, pb: &Problem, p: usize) -> f64 {
        if p == 0 || p > self.jobs.len() {
            0.0
        } else {
            pb.jobs[self.jobs[p - 1] as usize].duration
        }
    }

    /// Recomputes the schedule, the load, the distance and the score after the stops changed.
    pub fn update(&mut self, pb: &Problem) {
        let k = self.jobs.len();
        let v = &pb.vehicles[self.vehicle];
        let start = v.start.map(|p| p as u32);
        self.places.clear();
        self.places.push(start);
        for &j in &self.jobs {
            let here = pb.jobs[j as usize].place.map(|p| p as u32);
            let last = self.places[self.places.len() - 1];
            self.places.push(here.or(last));
        }
        self.places.push(v.end.map(|p| p as u32));
        self.earliest.clear();
        self.earliest.push(v.shift.start);
        self.distance = 0.0;
        self.travel = 0.0;
        self.load.iter_mut().for_each(|l| *l = 0);
        for p in 1..=k + 1 {
            let (t, d) = hop(pb, self.places[p - 1], self.places[p]);
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
        self.latest[k + 1] = v.shift.end + v.overtime;
        for p in (0..=k).rev() {
            let (t, _) = hop(pb, self.places[p], self.places[p + 1]);
            let by = self.latest[p + 1] - t - self.duration(pb, p);
            self.latest[p] = if p == 0 {
                by.min(self.latest[k + 1])
            } else {
                let job = &pb.jobs[self.jobs[p - 1] as usize];
                last_start(&job.windows, by).unwrap_or(f64::NEG_INFINITY)
            };
        }
        self.plan(pb);
    }

    /// The planned schedule (each stop waits for its preferred window where its latest start
    /// allows) and its score.
    fn plan(&mut self, pb: &Problem) {
        let k = self.jobs.len();
        let v = &pb.vehicles[self.vehicle];
        let preferred = |&j: &u32| pb.jobs[j as usize].preferred.is_some();
        if self.jobs.iter().any(preferred) {
            self.planned.clear();
            self.planned.push(self.earliest[0]);
            for p in 1..=k + 1 {
                let (t, _) = hop(pb, self.places[p - 1], self.places[p]);
                let arrive = self.planned[p - 1] + self.duration(pb, p - 1) + t;
                let mut start = arrive;
                if p <= k {
                    let job = &pb.jobs[self.jobs[p - 1] as usize];
                    start = first_start(&job.windows, arrive).unwrap_or(f64::INFINITY);
                    let target = job.preferred.map_or(start, |w| w.start.min(self.latest[p]));
                    if target > start {
                        start = last_start(&job.windows, target).unwrap_or(start).max(start);
                    }
                }
                self.planned.push(start);
            }
        } else {
            // Nothing to wait for: the plan is the earliest schedule.
            self.planned.clone_from(&self.earliest);
        }
        let mut score = Score::default();
        let tolerance = match &pb.objective {
            Objective::Weighted(w) => w.change_tolerance,
            Objective::Hierarchical => 0.0,
        };
        for (p, &j) in self.jobs.iter().enumerate() {
            let (j, start) = (j as usize, self.planned[p + 1]);
            if let Some(w) = pb.jobs[j].preferred {
                // Early counts as much as late: the client asked for that window.
                score.lateness += (w.start - start).max(0.0) + (start - w.end).max(0.0);
            }
            if pb.locked(j).is_none() && pb.not_preferred(j, self.vehicle) {
                score.not_preferred += 1;
            }
            if !pb.jobs[j].is_break() && pb.changes(j, self.vehicle, start, tolerance) {
                score.changed += 1;
            }
        }
        if !self.is_empty() {
            // Leaving for the first stop just in time for its planned start.
            let (t, _) = hop(pb, self.places[0], self.places[1]);
            score.duty = self.planned[k + 1] - (self.planned[1] - t);
            score.overtime = (self.planned[k + 1] - v.shift.end).max(0.0);
        }
        self.score = score;
        self.score.cost = match &pb.objective {
            Objective::Hierarchical => self.distance,
            Objective::Weighted(_) => self.costs(pb).total(),
        };
    }

    /// The weighted objective's terms for this route (all 0 for an unused technician).
    pub fn costs(&self, pb: &Problem) -> Costs {
        let v = &pb.vehicles[self.vehicle];
        let (Objective::Weighted(w), false) = (&pb.objective, self.is_empty()) else {
            return Costs::default();
        };
        let s = &self.score;
        Costs {
            distance: v.cost_per_distance * self.distance,
            travel: w.travel * self.travel,
            duty: v.cost_per_time * s.duty,
            lateness: w.lateness * s.lateness,
            overtime: w.overtime * s.overtime,
            balance: w.balance * s.duty * s.duty,
            preferred: w.preferred * f64::from(s.not_preferred),
            changed: w.changed * f64::from(s.changed),
        }
    }

    /// Whether every stop is inside its windows and the shift, and the load within capacity.
    pub fn feasible(&self, pb: &Problem) -> bool {
        let cap = &pb.vehicles[self.vehicle].capacity;
        self.earliest
            .iter()
            .zip(&self.latest)
            .all(|(e, l)| *e <= l + rounding(*l))
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
        let here = job.place.map(|p| p as u32);
        let k = self.jobs.len();
        let a = self.places[p];
        let (t1, d1) = hop(pb, a, here);
        let start = first_start(&job.windows, self.earliest[p] + self.duration(pb, p) + t1)?;
        let mut end = start + job.duration;
        // Breaks just after the new job are taken where it is.
        let mut q = p + 1;
        while self.breaks > 0 && q <= k && pb.jobs[self.jobs[q - 1] as usize].is_break() {
            let rest = &pb.jobs[self.jobs[q - 1] as usize];
            end = first_start(&rest.windows, end)? + rest.duration;
            q += 1;
        }
        let b = self.places[q];
        let (t2, d2) = hop(pb, here, b);
        let arrive = end + t2;
        let next_start = if q > k {
            arrive
        } else {
            first_start(&pb.jobs[self.jobs[q - 1] as usize].windows, arrive)?
        };
        let latest = self.latest[q];
        if next_start > latest && next_start > latest + rounding(latest) {
            return None;
        }
        let (t0, d0) = hop(pb, a, b);
        Some((t1 + t2 - t0, d1 + d2 - d0))
    }

    pub fn insert(&mut self, pb: &Problem, j: usize, p: usize) {
        self.jobs.insert(p, j as u32);
        self.update(pb);
    }

    /// Takes the jobs `taken` picks (by position from 0, and job) out of the route onto `out`;
    /// fixed stops and breaks stay.
    pub fn remove(
        &mut self,
        pb: &Problem,
        mut taken: impl FnMut(usize, u32) -> bool,
        out: &mut Vec<u32>,
    ) {
        let mut i = 0;
        self.jobs.retain(|&j| {
            let take = pb.locked(j as usize).is_none() && taken(i, j);
            i += 1;
            if take {
                out.push(j);
            }
            !take
        });
        self.update(pb);
    }

    /// Each stop's planned arrival, start, wait and slack: what a plan reports and a checker
    /// reads.
    pub fn visits(&self, pb: &Problem) -> Vec<Visit> {
        (1..=self.jobs.len())
            .map(|p| {
                let (t, _) = hop(pb, self.places[p - 1], self.places[p]);
                let arrival = self.planned[p - 1] + self.duration(pb, p - 1) + t;
                Visit {
                    job: self.jobs[p - 1] as usize,
                    arrival,
                    start: self.planned[p],
                    wait: self.planned[p] - arrival,
                    slack: self.latest[p] - self.planned[p],
                }
            })
            .collect()
    }

    /// When the technician is back (or done, without an end place), as planned.
    pub fn end_time(&self) -> f64 {
        self.planned.last().copied().unwrap_or(0.0)
    }

    /// When the technician leaves for the first stop, as planned (the shift's start if unused).
    pub fn departure(&self, pb: &Problem) -> f64 {
        if self.is_empty() {
            return self.planned[0];
        }
        let (t, _) = hop(pb, self.places[0], self.places[1]);
        self.planned[1] - t
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
                            t.earliest
                                .iter()
                                .zip(&t.latest)
                                .all(|(e, l)| *e <= l + rounding(*l)),
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
