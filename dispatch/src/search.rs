//! The search: a construction, then ruin and recreate in the manner of SISR (Christiaens and
//! Vanden Berghe, "Slack Induction by String Removals for Vehicle Routing Problems",
//! Transportation Science 2020): remove a few strings of consecutive stops from routes near a
//! random seed job, put the jobs back one by one at their cheapest place while skipping each
//! place with a small probability ("blinks"), and accept the result by simulated annealing.
//!
//! Why SISR: one neighbourhood, few parameters, state-of-the-art results on the VRPTW with a
//! simple inner loop that needs no move-specific bookkeeping; every new rule the coordinator
//! needs (skills, windows, shifts, capacities) lives in the insertion test only.
//!
//! The benchmark's hierarchical objective (fewest vehicles, then distance) runs in two phases:
//! fleet minimisation (empty a route, then ruin and recreate towards no job left out, guided by
//! how often each job has been left out, as SISR does), then distance with that fleet. The
//! weighted objective (a coordinator's day) anneals its cost with every technician from the
//! start; recreate weighs each feasible place by the route's exact score after it.
//!
//! Fixed stops and breaks never leave their route: ruin skips them. Dependencies ("after",
//! "same technician") are checked on the whole plan at each insertion of a problem that has
//! any, and a ruin that breaks one takes the dependent jobs out too.

use crate::problem::{sort_by_key, Objective, Problem};
use crate::rng::Rng;
use crate::route::Route;
use std::rc::Rc;

/// Average number of jobs a ruin removes (SISR's c-bar) and the longest string removed from one
/// route (L-max). SISR's 10 and 10 left the Solomon type-2 instances (routes of 30 or more stops)
/// in poor optima; 20 and 20 measured at 20,000 iterations over all 56: mean gap +3.15% with
/// 10/10, +1.30% with 20/20 (C201, C203, C208 from +20-37% to optimal; R1 and RC1 about even).
const AVG_REMOVED: f64 = 20.0;
const MAX_STRING: f64 = 20.0;
/// Simulated annealing from this temperature down to the next, in units of the mean distance
/// from a job to its nearest neighbour (so the schedule fits any scale of distances).
const START_TEMPERATURE: f64 = 3.0;
const END_TEMPERATURE: f64 = 0.03;
/// Probability of skipping a position while inserting.
const BLINK: f64 = 0.01;
/// Probability that a removed string keeps some stops in its middle (a split string), and how
/// fast the kept block stops growing.
const SPLIT_RATE: f64 = 0.5;
const SPLIT_DEPTH: f64 = 0.01;
/// Share of the budget the fleet minimisation may use before the distance phase starts. The
/// Solomon targets bind on vehicles (at most one over best-known), not distance: at 6,000
/// iterations (about half of what 1 s buys in wasm), 0.4 left one instance two over, 0.5 none.
const FLEET_SHARE: f64 = 0.5;
/// A job left out costs this much distance in the distance phase: more than any route.
const LEFT_OUT: f64 = 1e9;
/// A job with dependencies tries at most this many of its cheapest places (each checks the
/// whole plan).
const DEPENDENCY_TRIES: usize = 8;

#[derive(Clone, Debug)]
pub struct Solution {
    pub routes: Vec<Route>,
    pub unassigned: Vec<u32>,
}

impl Solution {
    pub fn distance(&self) -> f64 {
        self.routes.iter().map(|r| r.distance).sum()
    }
    /// Routes with at least one job.
    pub fn vehicles(&self) -> usize {
        self.routes.iter().filter(|r| !r.is_empty()).count()
    }
    /// Jobs left out, each counting `1 + priority`.
    pub fn left_out(&self, pb: &Problem) -> u64 {
        self.unassigned
            .iter()
            .map(|&j| 1 + u64::from(pb.jobs[j as usize].priority))
            .sum()
    }

    /// A plan from its routes, as a host or an earlier solve gives them: `(vehicle, jobs in order)`,
    /// with each vehicle's fixed stops and breaks where the host put them or, if left out, added in
    /// time order. Every free job not in a route is left out. Refused when a job is in two routes, a
    /// vehicle appears twice, a fixed stop is on another vehicle, or a route breaks a hard rule.
    pub fn from_routes(pb: &Problem, routes: &[(usize, Vec<usize>)]) -> Result<Solution, String> {
        Solution::from_routes_at(pb, routes, &|_| None)
    }

    /// [`Solution::from_routes`], with the start each job had where the plan was made (`at`):
    /// fixed stops and breaks the routes leave out go in by those times (a booked visit's start,
    /// not its window's opening, says where it stands against lunch).
    pub fn from_routes_at(
        pb: &Problem,
        routes: &[(usize, Vec<usize>)],
        at: &dyn Fn(usize) -> Option<f64>,
    ) -> Result<Solution, String> {
        let mut seen = vec![false; pb.jobs.len()];
        let mut s = Solution {
            routes: (0..pb.vehicles.len()).map(|v| Route::new(pb, v)).collect(),
            unassigned: Vec::new(),
        };
        let mut given = vec![false; pb.vehicles.len()];
        for (v, jobs) in routes {
            let v = *v;
            if v >= pb.vehicles.len() || std::mem::replace(&mut given[v], true) {
                return Err(format!("vehicle {v}: no such vehicle, or given twice"));
            }
            let r = &mut s.routes[v];
            let mut stops: Vec<u32> = Vec::with_capacity(jobs.len());
            for &j in jobs {
                if j >= pb.jobs.len() || std::mem::replace(&mut seen[j], true) {
                    return Err(format!("job {j}: no such job, or in two routes"));
                }
                if pb.locked(j).is_some_and(|l| l != v) || !(pb.locked(j).is_some() || pb.can(j, v))
                {
                    return Err(format!(
                        "{}: not allowed on {}",
                        pb.jobs[j].id, pb.vehicles[v].id
                    ));
                }
                stops.push(j as u32);
            }
            // Fixed stops and breaks the host left out go in where they fit in time.
            for &l in &r.jobs {
                if !seen[l as usize] {
                    seen[l as usize] = true;
                    let opens = |j: u32| {
                        at(j as usize).unwrap_or_else(|| {
                            pb.jobs[j as usize].windows.first().map_or(0.0, |w| w.start)
                        })
                    };
                    let at = stops
                        .iter()
                        .position(|&x| opens(x) > opens(l))
                        .unwrap_or(stops.len());
                    stops.insert(at, l);
                }
            }
            r.jobs = stops;
            r.update(pb);
            if !r.feasible(pb) {
                return Err(format!(
                    "the route of {} breaks a hard rule",
                    pb.vehicles[v].id
                ));
            }
        }
        s.unassigned = pb
            .free_jobs()
            .filter(|&j| !seen[j])
            .map(|j| j as u32)
            .collect();
        if pb.has_dependencies() && !crate::dependencies::broken(pb, &s).is_empty() {
            return Err("the plan breaks a dependency".into());
        }
        Ok(s)
    }

    /// The plan `routes` as far as it still holds after the problem changed (a technician gone
    /// home, a job overrunning, an urgent job): each job stays with its vehicle, at the cheapest
    /// place its route still takes it; what no longer fits, or is not in a route, is left out.
    pub fn keeping(pb: &Problem, routes: &[(usize, Vec<usize>)]) -> Solution {
        let mut s = Solution {
            routes: (0..pb.vehicles.len()).map(|v| Route::new(pb, v)).collect(),
            unassigned: Vec::new(),
        };
        let mut placed = vec![false; pb.jobs.len()];
        for (v, jobs) in routes.iter().filter(|(v, _)| *v < pb.vehicles.len()) {
            let r = &mut s.routes[*v];
            for &j in jobs {
                if j >= pb.jobs.len() || placed[j] || pb.locked(j).is_some() {
                    continue;
                }
                if !pb.can(j, *v) || !r.fits_load(pb, j) {
                    continue;
                }
                let best = (0..=r.len())
                    .filter_map(|p| r.insertion(pb, j, p).map(|d| (d, p)))
                    .min_by(|a, b| a.0.total_cmp(&b.0));
                if let Some((_, p)) = best {
                    r.insert(pb, j, p);
                    placed[j] = true;
                }
            }
        }
        // A job whose dependency no longer holds is left out, and those that depend on it.
        while pb.has_dependencies() {
            let broken = crate::dependencies::broken(pb, &s);
            if broken.is_empty() {
                break;
            }
            for r in &mut s.routes {
                r.remove(pb, |_, j| broken.contains(&j), &mut Vec::new());
            }
            for j in broken {
                placed[j as usize] = false;
            }
        }
        s.unassigned = pb
            .free_jobs()
            .filter(|&j| !placed[j])
            .map(|j| j as u32)
            .collect();
        s
    }

    /// The objective's cost: the weighted sum, or (hierarchical) distance with each job left
    /// out costing more than any route.
    pub fn cost(&self, pb: &Problem) -> f64 {
        let left_out = self.left_out(pb) as f64;
        let routes: f64 = self.routes.iter().map(|r| r.score.cost).sum();
        match &pb.objective {
            Objective::Hierarchical => routes + LEFT_OUT * left_out,
            Objective::Weighted(w) => routes + w.unassigned * left_out,
        }
    }
    /// Hierarchical: jobs left out (by priority), then vehicles, then distance. Weighted: cost.
    fn better_than(&self, other: &Solution, pb: &Problem) -> bool {
        if pb.objective != Objective::Hierarchical {
            return self.cost(pb) < other.cost(pb) - 1e-9;
        }
        let (a, b) = (
            (self.left_out(pb), self.vehicles()),
            (other.left_out(pb), other.vehicles()),
        );
        a < b || (a == b && self.distance() < other.distance() - 1e-9)
    }
}

/// The routes a step changed, as they were before it, to put back when the step is refused:
/// a step copies the few routes it touches, not the plan (copies reuse their buffers).
#[derive(Default)]
struct Undo {
    saved: Vec<(usize, Route)>,
    spare: Vec<Route>,
    unassigned: Vec<u32>,
}

impl Undo {
    fn begin(&mut self, s: &Solution) {
        self.spare.extend(self.saved.drain(..).map(|(_, r)| r));
        self.unassigned.clone_from(&s.unassigned);
    }
    /// Keeps route `ri` as it is now, the first time a step is about to change it.
    fn touch(&mut self, ri: usize, r: &Route) {
        if !self.saved.iter().any(|(i, _)| *i == ri) {
            let mut copy = self.spare.pop().unwrap_or_else(|| r.clone());
            copy.clone_from(r);
            self.saved.push((ri, copy));
        }
    }
    fn undo(&mut self, s: &mut Solution) {
        for (ri, r) in self.saved.drain(..) {
            self.spare.push(std::mem::replace(&mut s.routes[ri], r));
        }
        s.unassigned.clone_from(&self.unassigned);
    }
}

/// What the caller sees while the search runs, and answers with how much of its budget is used.
#[derive(Clone, Debug)]
pub struct Progress {
    pub iteration: u64,
    pub vehicles: usize,
    pub distance: f64,
    pub unassigned: usize,
    /// The objective's cost of the best plan.
    pub cost: f64,
}

/// Solves with a budget the caller measures: `budget` is asked every few iterations with the
/// best so far, and answers the share of the budget spent (0 to 1), or `None` to stop now. The
/// solver reads no clock: with a budget counted in iterations, a seed gives one answer anywhere.
pub fn solve(
    pb: &Problem,
    seed: u64,
    budget: &mut dyn FnMut(&Progress) -> Option<f64>,
) -> Solution {
    let mut solver = Solver::new(pb.clone(), seed);
    loop {
        match budget(&solver.progress()) {
            Some(spent) if spent < 1.0 => solver.steps(spent, 32),
            _ => return solver.finish(),
        }
    }
}

/// Solves for exactly `iterations` iterations.
pub fn solve_iterations(pb: &Problem, seed: u64, iterations: u64) -> Solution {
    let mut solver = Solver::new(pb.clone(), seed);
    for i in 0..iterations {
        solver.steps(i as f64 / iterations as f64, 1);
    }
    solver.finish()
}

/// The search as a value that runs a few iterations at a time: a Web Worker hands control back
/// to its event loop between steps (to hear "stop", to post progress), and so can any host.
pub struct Solver {
    search: Search,
    best: Solution,
    phase: Phase,
}

enum Phase {
    /// A plan with one route emptied, searched until no job is left out (then it is the best,
    /// and the next route is emptied) or the fleet share of the budget is spent.
    Fleet { trial: Solution, active: Vec<bool> },
    /// Less cost (distance, for the hierarchical objective) with the technicians the first
    /// phase kept.
    Anneal {
        current: Solution,
        active: Vec<bool>,
        from: f64,
    },
}

impl Phase {
    /// Less cost from `best`, with the technicians it uses (all of them, for the weighted
    /// objective), from budget share `spent` on.
    fn anneal(best: &Solution, spent: f64, pb: &Problem) -> Phase {
        let all = pb.objective != Objective::Hierarchical;
        Phase::Anneal {
            current: best.clone(),
            active: best.routes.iter().map(|r| all || !r.is_empty()).collect(),
            from: spent,
        }
    }
}

impl Solver {
    /// A first plan by insertion; the search starts from it.
    pub fn new(pb: Problem, seed: u64) -> Solver {
        let first = Solution {
            routes: (0..pb.vehicles.len()).map(|v| Route::new(&pb, v)).collect(),
            unassigned: pb.free_jobs().map(|j| j as u32).collect(),
        };
        Solver::from_plan(pb, seed, first)
    }

    /// Starts from `plan` (a re-plan: `Solution::keeping`), its routes as they are and the jobs
    /// it leaves out put in where they fit.
    pub fn from_plan(pb: Problem, seed: u64, mut first: Solution) -> Solver {
        let mut search = Search::new(Rc::new(pb), seed);
        let pb = Rc::clone(&search.pb);
        let all = vec![true; pb.vehicles.len()];
        let jobs = std::mem::take(&mut first.unassigned);
        search.undo.begin(&first);
        search.recreate(&mut first, jobs, &all);
        let phase = search
            .next_fleet_trial(&first)
            .unwrap_or_else(|| Phase::anneal(&first, 0.0, &pb));
        Solver {
            search,
            best: first,
            phase,
        }
    }

    pub fn problem(&self) -> &Problem {
        &self.search.pb
    }

    pub fn best(&self) -> &Solution {
        &self.best
    }

    /// The best plan, with a last try to place each job it leaves out on any technician (the
    /// distance phase searches with the fleet it settled on; a job no route can take there may
    /// still fit one left unused). The search goes on as if it had not been asked: the random
    /// stream is put back, so asking for plans while it runs changes none of them.
    pub fn finish(&mut self) -> Solution {
        let mut s = self.best.clone();
        let left = std::mem::take(&mut s.unassigned);
        let all = vec![true; self.search.pb.vehicles.len()];
        let rng = self.search.rng.clone();
        self.search.undo.begin(&s);
        self.search.recreate(&mut s, left, &all);
        self.search.rng = rng;
        s
    }

    pub fn progress(&self) -> Progress {
        Progress {
            iteration: self.search.iteration,
            vehicles: self.best.vehicles(),
            distance: self.best.distance(),
            unassigned: self.best.unassigned.len(),
            cost: self.best.cost(&self.search.pb),
        }
    }

    /// Runs `n` iterations, `spent` being the share of the budget already used (it sets the
    /// phase and the temperature).
    pub fn steps(&mut self, spent: f64, n: u32) {
        for _ in 0..n {
            self.step(spent);
        }
    }

    fn step(&mut self, spent: f64) {
        let s = &mut self.search;
        s.iteration += 1;
        match &mut self.phase {
            Phase::Fleet { trial, active } if spent < FLEET_SHARE => {
                if !s.fleet_step(trial, active) {
                    return;
                }
                self.best = trial.clone();
                self.phase = match s.next_fleet_trial(&self.best) {
                    Some(next) => next,
                    None => Phase::anneal(&self.best, spent, &s.pb),
                };
            }
            Phase::Fleet { .. } => self.phase = Phase::anneal(&self.best, spent, &s.pb),
            Phase::Anneal {
                current,
                active,
                from,
            } => {
                let f = ((spent - *from) / (1.0 - *from).max(1e-9)).clamp(0.0, 1.0);
                let (t0, t1) = (s.scale * START_TEMPERATURE, s.scale * END_TEMPERATURE);
                let temperature = t0 * (t1 / t0).powf(f);
                let pb = Rc::clone(&s.pb);
                let before = current.cost(&pb);
                s.ruin_and_recreate(current, active);
                if current.cost(&pb) < before - temperature * s.rng.unit().ln() {
                    if current.better_than(&self.best, &pb) {
                        self.best.clone_from(current);
                    }
                } else {
                    s.undo.undo(current);
                }
            }
        }
    }
}

struct Search {
    pb: Rc<Problem>,
    rng: Rng,
    /// For each job the search places, the others by distance from it.
    near: Vec<Vec<u32>>,
    /// How often each job was left out during fleet minimisation.
    absences: Vec<u64>,
    /// How far each job is from the fleet's first start (for the "far first" order).
    remoteness: Vec<f64>,
    /// A scale for temperatures: the mean cost of the hop from a job to its nearest neighbour.
    scale: f64,
    iteration: u64,
    /// No plan can use fewer vehicles than this (the load over the largest capacities).
    floor: usize,
    undo: Undo,
    /// A route to try an insertion on (the weighted objective's exact cost, dependencies).
    scratch: Option<Route>,
}

impl Search {
    fn new(pb: Rc<Problem>, seed: u64) -> Search {
        let n = pb.jobs.len();
        let free: Vec<u32> = pb.free_jobs().map(|j| j as u32).collect();
        let place = |j: usize| pb.jobs[j].place.unwrap_or(0);
        let mut near = vec![Vec::new(); n];
        for &a in &free {
            let a = a as usize;
            let mut others: Vec<u32> = free.iter().copied().filter(|&b| b as usize != a).collect();
            sort_by_key(&mut others, &|b| {
                pb.travel.distance(place(a), place(b as usize))
            });
            near[a] = others;
        }
        let depot = pb.vehicles.iter().find_map(|v| v.start);
        let remoteness = (0..n)
            .map(|j| depot.map_or(0.0, |d| pb.travel.distance(d, place(j))))
            .collect();
        // What a hop costs: its distance, or (weighted) the first technician's rates on it.
        let hop = |a: usize, b: usize| match (&pb.objective, pb.vehicles.first()) {
            (Objective::Weighted(w), Some(v)) => {
                let t = pb.travel.time(a, b);
                (w.travel + v.cost_per_time) * t + v.cost_per_distance * pb.travel.distance(a, b)
            }
            _ => pb.travel.distance(a, b),
        };
        let nearest: f64 = free
            .iter()
            .filter_map(|&a| {
                let a = a as usize;
                near[a].first().map(|&b| hop(place(a), place(b as usize)))
            })
            .sum();
        let scale = if free.len() > 1 {
            (nearest / free.len() as f64).max(1e-6)
        } else {
            1.0
        };
        let floor = fewest_vehicles(&pb);
        Search {
            pb,
            rng: Rng::new(seed),
            near,
            absences: vec![0; n],
            remoteness,
            scale,
            iteration: 0,
            floor,
            undo: Undo::default(),
            scratch: None,
        }
    }

    /// The next fleet trial from `best`: of its routes with no fixed stop, the one whose jobs
    /// were left out least often so far (the shortest, at first) emptied, its jobs left out, the
    /// other used vehicles active. `None` when `best` leaves jobs out, is at the
    /// floor, or the objective is not hierarchical.
    fn next_fleet_trial(&self, best: &Solution) -> Option<Phase> {
        let pb = &*self.pb;
        if pb.objective != Objective::Hierarchical
            || !best.unassigned.is_empty()
            || best.vehicles() <= self.floor
        {
            return None;
        }
        let fixed = |r: &Route| {
            r.jobs
                .iter()
                .any(|&j| pb.locked(j as usize).is_some() && !pb.jobs[j as usize].is_break())
        };
        let mut trial = best.clone();
        let (shortest, _) = trial
            .routes
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.is_empty() && !fixed(r))
            .min_by_key(|(_, r)| {
                let absent: u64 = r.jobs.iter().map(|&j| self.absences[j as usize]).sum();
                (absent, r.len())
            })?;
        let active = trial
            .routes
            .iter()
            .enumerate()
            .map(|(i, r)| !r.is_empty() && i != shortest)
            .collect();
        trial.routes[shortest].remove(pb, |_, _| true, &mut trial.unassigned);
        Some(Phase::Fleet { trial, active })
    }

    /// One step of fleet minimisation: accepted when it leaves fewer jobs out, or jobs left out
    /// less often before (SISR's absence counters). True when no job is left out.
    fn fleet_step(&mut self, trial: &mut Solution, active: &[bool]) -> bool {
        let weight = |s: &[u32], abs: &[u64]| -> u64 { s.iter().map(|&j| abs[j as usize]).sum() };
        let left = trial.unassigned.len();
        self.ruin_and_recreate(trial, active);
        for &j in &trial.unassigned {
            self.absences[j as usize] += 1;
        }
        // Both sides weighed with the counts as they are now (SISR's rule).
        let now = weight(&trial.unassigned, &self.absences);
        let before = weight(&self.undo.unassigned, &self.absences);
        if !(trial.unassigned.len() < left || now < before) {
            self.undo.undo(trial);
        }
        trial.unassigned.is_empty()
    }

    /// One step: ruin, then recreate with the jobs removed and those left out before, keeping
    /// the routes it changes in `undo` so that the caller can put them back.
    fn ruin_and_recreate(&mut self, s: &mut Solution, active: &[bool]) {
        self.undo.begin(s);
        let mut removed = self.ruin(s);
        if self.pb.has_dependencies() {
            self.drop_broken(s, &mut removed);
        }
        removed.append(&mut s.unassigned);
        self.recreate(s, removed, active);
    }

    /// Removes strings of stops from routes near a random job (SISR's ruin); returns the jobs.
    /// Fixed stops and breaks stay where they are.
    fn ruin(&mut self, s: &mut Solution) -> Vec<u32> {
        let pb = Rc::clone(&self.pb);
        let pb = &*pb;
        let mut at = vec![(u32::MAX, 0u32); pb.jobs.len()];
        let (mut stops, mut used) = (0usize, 0usize);
        for (ri, r) in s.routes.iter().enumerate() {
            for (p, &j) in r.jobs.iter().enumerate() {
                if pb.locked(j as usize).is_none() {
                    at[j as usize] = (ri as u32, p as u32);
                    stops += 1;
                }
            }
            used += usize::from(!r.is_empty());
        }
        let mut removed = Vec::new();
        if stops == 0 {
            return removed;
        }
        let max_len = MAX_STRING.min(stops as f64 / used as f64);
        let max_strings = 4.0 * AVG_REMOVED / (1.0 + max_len) - 1.0;
        let strings = (self.rng.unit() * max_strings).floor() as usize + 1;
        let seed = loop {
            let j = self.rng.below(pb.jobs.len());
            if at[j].0 != u32::MAX {
                break j;
            }
        };
        let mut ruined: Vec<u32> = Vec::with_capacity(strings);
        let candidates = std::iter::once(seed as u32).chain(self.near[seed].iter().copied());
        let candidates: Vec<u32> = candidates.collect();
        for c in candidates {
            if ruined.len() >= strings {
                break;
            }
            let (ri, p) = at[c as usize];
            if ri == u32::MAX || ruined.contains(&ri) {
                continue;
            }
            ruined.push(ri);
            self.undo.touch(ri as usize, &s.routes[ri as usize]);
            let route = &mut s.routes[ri as usize];
            let n = route.len();
            let most = (max_len.min(n as f64)).floor().max(1.0) as usize;
            let l = self.rng.between(1, most);
            let p = p as usize;
            if l == n || self.rng.unit() >= SPLIT_RATE {
                // A string of `l` stops through `c`.
                let first = p.saturating_sub(self.rng.below(l)).min(n - l);
                route.remove(pb, |i, _| (first..first + l).contains(&i), &mut removed);
            } else {
                // A split string: `l + m` stops through `c`, keeping `m` in a block inside.
                let mut m = 1;
                while l + m < n && self.rng.unit() > SPLIT_DEPTH {
                    m += 1;
                }
                let width = l + m;
                let first = p.saturating_sub(self.rng.below(width)).min(n - width);
                let keep = first + self.rng.below(l + 1);
                let taken = |i: usize, _| {
                    (first..first + width).contains(&i) && !(keep..keep + m).contains(&i)
                };
                route.remove(pb, taken, &mut removed);
            }
        }
        removed
    }

    /// Takes out every job whose dependencies no longer hold (a job it names was removed, or
    /// now ends after it starts), and then those depending on them, onto `out`.
    fn drop_broken(&mut self, s: &mut Solution, out: &mut Vec<u32>) {
        let pb = Rc::clone(&self.pb);
        loop {
            let broken = crate::dependencies::broken(&pb, s);
            if broken.is_empty() {
                return;
            }
            for ri in 0..s.routes.len() {
                if s.routes[ri].jobs.iter().any(|j| broken.contains(j)) {
                    self.undo.touch(ri, &s.routes[ri]);
                    s.routes[ri].remove(&pb, |_, j| broken.contains(&j), out);
                }
            }
        }
    }

    /// Puts jobs back one at a time at their cheapest feasible place in the active routes,
    /// skipping each place with probability `BLINK`; a job with no place is left out.
    fn recreate(&mut self, s: &mut Solution, mut jobs: Vec<u32>, active: &[bool]) {
        let pb = Rc::clone(&self.pb);
        let pb = &*pb;
        if pb.vehicles.is_empty() {
            // Nobody works (a day everyone is off): every job stays out, with its reasons.
            s.unassigned.extend(jobs);
            return;
        }
        // Orders from SISR: random 4, larger demand first 4, farther first 2, closer first 1.
        match self.rng.below(11) {
            0..=3 => {
                for i in (1..jobs.len()).rev() {
                    jobs.swap(i, self.rng.below(i + 1));
                }
            }
            4..=7 => sort_by_key(&mut jobs, &|j| {
                -(pb.jobs[j as usize].demand.iter().sum::<i64>() as f64)
            }),
            8..=9 => sort_by_key(&mut jobs, &|j| -self.remoteness[j as usize]),
            _ => sort_by_key(&mut jobs, &|j| self.remoteness[j as usize]),
        }
        // Higher priorities first (stable: the order above holds within a priority), and a job
        // after the jobs it depends on.
        sort_by_key(&mut jobs, &|j| -f64::from(pb.jobs[j as usize].priority));
        if pb.has_dependencies() {
            sort_by_key(&mut jobs, &|j| f64::from(pb.depth(j as usize)));
        }
        let weighted = pb.objective != Objective::Hierarchical;
        let dependencies = pb.has_dependencies();
        let mut scratch = self.scratch.take().unwrap_or_else(|| Route::new(pb, 0));
        let mut places: Vec<(f64, usize, usize)> = Vec::new();
        for j in jobs {
            let j = j as usize;
            let mut best: Option<(f64, usize, usize)> = None;
            places.clear();
            for (ri, r) in s.routes.iter().enumerate() {
                if !active[r.vehicle] || !pb.can(j, r.vehicle) || !r.fits_load(pb, j) {
                    continue;
                }
                for p in 0..=r.len() {
                    if self.rng.unit() < BLINK {
                        continue;
                    }
                    let Some(d) = r.insertion(pb, j, p) else {
                        continue;
                    };
                    let cost = if weighted {
                        scratch.clone_from(r);
                        scratch.insert(pb, j, p);
                        scratch.score.cost - r.score.cost
                    } else {
                        d
                    };
                    if dependencies {
                        places.push((cost, ri, p));
                    } else if best.is_none_or(|(b, _, _)| cost < b) {
                        best = Some((cost, ri, p));
                    }
                }
            }
            if dependencies {
                // The cheapest few places, tried until one keeps every dependency.
                places.sort_by(|a, b| a.0.total_cmp(&b.0));
                best = None;
                for &(cost, ri, p) in places.iter().take(DEPENDENCY_TRIES) {
                    self.undo.touch(ri, &s.routes[ri]);
                    scratch.clone_from(&s.routes[ri]);
                    s.routes[ri].insert(pb, j, p);
                    if crate::dependencies::broken(pb, s).is_empty() {
                        best = Some((cost, ri, p));
                        break;
                    }
                    s.routes[ri].clone_from(&scratch);
                }
            } else if let Some((_, ri, p)) = best {
                self.undo.touch(ri, &s.routes[ri]);
                s.routes[ri].insert(pb, j, p);
            }
            if best.is_none() {
                s.unassigned.push(j as u32);
            }
        }
        self.scratch = Some(scratch);
    }
}

/// A lower bound on vehicles: the load, spread over the largest capacities.
fn fewest_vehicles(pb: &Problem) -> usize {
    let dims = pb.vehicles.first().map_or(0, |v| v.capacity.len());
    (0..dims)
        .map(|d| {
            let total: i64 = pb.jobs.iter().map(|j| j.demand[d]).sum();
            let mut caps: Vec<i64> = pb.vehicles.iter().map(|v| v.capacity[d]).collect();
            caps.sort_unstable_by(|a, b| b.cmp(a));
            let mut sum = 0;
            caps.iter()
                .take_while(|&&c| {
                    let short = sum < total;
                    sum += c;
                    short
                })
                .count()
        })
        .max()
        .unwrap_or(1)
        .max(1)
}
