//! The problem, numeric: technicians' shifts (vehicles) and jobs over places, with travel between
//! places from a matrix or from coordinates. Ids and units are the caller's: the solver sees
//! seconds (or the benchmark's time units), distances, indexes. Validation happens here, once;
//! the search trusts what it is given.

/// A half-open span of time `[start, end]` in which a job may *start* (or a shift runs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    pub start: f64,
    pub end: f64,
}

impl Window {
    pub const ANY: Window = Window {
        start: f64::NEG_INFINITY,
        end: f64::INFINITY,
    };
}

/// A job, a fixed stop (an existing booking the route keeps) or a break (a stop with no place
/// of its own, taken wherever the technician is).
#[derive(Clone, Debug)]
pub struct Job {
    pub id: String,
    /// Index into the travel matrix; `None` for a break.
    pub place: Option<usize>,
    /// Time on site.
    pub duration: f64,
    /// When the job may start: sorted, disjoint. One `Window::ANY` if the job has none.
    pub windows: Vec<Window>,
    /// When the client would like the start: soft, its lateness is weighed (`Weights`).
    pub preferred: Option<Window>,
    /// The job must be finished by this time (an SLA): hard, it narrows the windows.
    pub deadline: Option<f64>,
    /// What the job uses of each capacity dimension (parts, equipment, load); empty: none.
    pub demand: Vec<i64>,
    /// Required skills with their minimum levels: (skill index, level).
    pub skills: Vec<(usize, u8)>,
    /// When not every job fits, higher priorities are placed first: leaving a job out costs
    /// `1 + priority` jobs' worth.
    pub priority: u32,
    /// Only this technician (a vehicle id) may do it.
    pub technician: Option<String>,
    /// Soft: doing it with another technician is weighed (`Weights::preferred`).
    pub preferred_technician: Option<String>,
    /// It starts only after each of these jobs (indexes) has finished, and only if they are done.
    pub after: Vec<usize>,
    /// It goes to the technician who does each of these jobs (indexes), and only if they are done.
    pub same_technician: Vec<usize>,
    /// A stop the pinned technician's route keeps (an existing booking, a break): never moved to
    /// another technician, never left out.
    pub fixed: bool,
}

impl Job {
    /// A job at `place` taking `duration`, any time, with nothing else asked.
    pub fn new(id: impl Into<String>, place: usize, duration: f64) -> Job {
        Job {
            id: id.into(),
            place: Some(place),
            duration,
            windows: vec![Window::ANY],
            preferred: None,
            deadline: None,
            demand: Vec::new(),
            skills: Vec::new(),
            priority: 0,
            technician: None,
            preferred_technician: None,
            after: Vec::new(),
            same_technician: Vec::new(),
            fixed: false,
        }
    }

    /// A break of `duration` for `technician`, starting inside `window`, wherever they are.
    pub fn rest(id: impl Into<String>, technician: &str, window: Window, duration: f64) -> Job {
        Job {
            place: None,
            windows: vec![window],
            technician: Some(technician.into()),
            fixed: true,
            ..Job::new(id, 0, duration)
        }
    }

    pub fn is_break(&self) -> bool {
        self.place.is_none()
    }
}

/// One shift of a technician: several vehicles with one id are one technician's shifts.
#[derive(Clone, Debug)]
pub struct Vehicle {
    pub id: String,
    /// Where the shift starts and ends (a technician's home or a depot); `None`: wherever the
    /// first job is, or the last.
    pub start: Option<usize>,
    pub end: Option<usize>,
    pub shift: Window,
    /// How long past the shift's end the day may run (weighed by `Weights::overtime`).
    pub overtime: f64,
    pub capacity: Vec<i64>,
    /// Skill levels by skill index (0: lacks it).
    pub skills: Vec<u8>,
    /// At most this much driving in the shift (time units of the travel matrix), if limited.
    pub max_travel: Option<f64>,
    /// What an hour on duty (a unit of time, inside) and a unit of distance cost.
    pub cost_per_time: f64,
    pub cost_per_distance: f64,
}

impl Vehicle {
    /// A shift from and back to `home`, with no skills, no capacities and no costs of its own.
    pub fn new(id: impl Into<String>, home: Option<usize>, shift: Window) -> Vehicle {
        Vehicle {
            id: id.into(),
            start: home,
            end: home,
            shift,
            overtime: 0.0,
            capacity: Vec::new(),
            skills: Vec::new(),
            max_travel: None,
            cost_per_time: 0.0,
            cost_per_distance: 0.0,
        }
    }
}

/// What the search minimises.
#[derive(Clone, Debug, PartialEq)]
pub enum Objective {
    /// Fewest jobs left out (by priority), then fewest technicians, then distance: the
    /// benchmark's objective.
    Hierarchical,
    /// The sum of weighed costs (`Weights`); a coordinator's day.
    Weighted(Weights),
}

/// The soft objectives and their weights, per unit of time or distance inside (the JSON layer
/// takes them per hour and per kilometre). One table, documented in the README ("Dispatch").
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    /// Per unit of time driving (on top of each technician's own costs).
    pub travel: f64,
    /// Per unit of time a stop starts outside its preferred window (early or late).
    pub lateness: f64,
    /// Per unit of time a route ends after its shift.
    pub overtime: f64,
    /// Per job left out, times `1 + priority`.
    pub unassigned: f64,
    /// Per (unit of time on duty) squared, per technician: two half days cost less than one
    /// full day and an idle technician.
    pub balance: f64,
    /// Per job not with its preferred technician.
    pub preferred: f64,
    /// Per visit of the plan being changed (`Problem::baseline`) that changes technician or
    /// moves by more than `change_tolerance`: a re-plan keeps what it can.
    pub changed: f64,
    pub change_tolerance: f64,
}

impl Weights {
    /// The defaults for times in seconds and distances in metres (README, "Dispatch").
    pub fn per_second() -> Weights {
        Weights {
            travel: 30.0 / 3600.0,
            lateness: 60.0 / 3600.0,
            overtime: 90.0 / 3600.0,
            unassigned: 10_000.0,
            balance: 2.0 / (3600.0 * 3600.0),
            preferred: 50.0,
            changed: 200.0,
            change_tolerance: 900.0,
        }
    }
}

/// The great-circle (haversine) distance in metres between two (latitude, longitude) points in
/// degrees, on a sphere of the Earth's mean radius. The one travel model: the solver's
/// `great_circle` travel and the coordinator's travel-time booking rule both drive it.
pub fn great_circle_metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    GreatCircleFrom::new(a).metres_to(b)
}

/// One place to measure many great-circle distances from, its latitude's cosine worked out
/// once: the same operations in the same order as [`great_circle_metres`], so the same figures
/// to the bit.
#[derive(Clone, Copy, Debug)]
pub struct GreatCircleFrom {
    lat: f64,
    lng: f64,
    cos_lat: f64,
}

impl GreatCircleFrom {
    pub fn new((lat, lng): (f64, f64)) -> Self {
        GreatCircleFrom {
            lat,
            lng,
            cos_lat: lat.to_radians().cos(),
        }
    }

    pub fn metres_to(&self, (lat2, lng2): (f64, f64)) -> f64 {
        const EARTH_M: f64 = 6_371_008.8;
        let (lat1, lng1) = (self.lat, self.lng);
        let p2 = lat2.to_radians();
        let (dp, dl) = ((lat2 - lat1).to_radians(), (lng2 - lng1).to_radians());
        let h = (dp / 2.0).sin().powi(2) + self.cos_lat * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_M * h.sqrt().min(1.0).asin()
    }
}

/// Travel between places: durations and distances, `n x n`, row-major.
#[derive(Clone, Debug)]
pub struct Travel {
    n: usize,
    durations: Vec<f64>,
    distances: Vec<f64>,
}

impl Travel {
    /// From matrices given by the host (row-major `n x n`).
    pub fn matrix(n: usize, durations: Vec<f64>, distances: Vec<f64>) -> Result<Travel, String> {
        if durations.len() != n * n || distances.len() != n * n {
            return Err(format!("travel matrices must be {n} x {n}"));
        }
        if durations
            .iter()
            .chain(&distances)
            .any(|x| !x.is_finite() || *x < 0.0)
        {
            return Err("travel times and distances must be finite and not negative".into());
        }
        Ok(Travel {
            n,
            durations,
            distances,
        })
    }

    /// Euclidean distance between points, travelled at one unit of distance per unit of time
    /// (Solomon's benchmark).
    pub fn euclidean(points: &[(f64, f64)]) -> Travel {
        let n = points.len();
        let mut d = Vec::with_capacity(n * n);
        for a in points {
            for b in points {
                d.push(((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt());
            }
        }
        Travel {
            n,
            durations: d.clone(),
            distances: d,
        }
    }

    /// Great-circle distance between (latitude, longitude) points in degrees, times a detour
    /// factor for roads, driven at `speed` metres a second. Distances in metres, times in seconds.
    pub fn great_circle(points: &[(f64, f64)], detour: f64, speed: f64) -> Travel {
        let n = points.len();
        let mut distances = Vec::with_capacity(n * n);
        for &a in points {
            for &b in points {
                distances.push(great_circle_metres(a, b) * detour);
            }
        }
        let durations = distances.iter().map(|d| d / speed).collect();
        Travel {
            n,
            durations,
            distances,
        }
    }

    /// Each duration rounded up to a multiple of `step` seconds (0: as they are). A ten-
    /// thousandth of a step of floating-point noise is not a step (the coordinator's travel rule
    /// rounds alike, so the solver's plans pass it).
    pub fn rounded_up(mut self, step: f64) -> Travel {
        if step > 0.0 {
            for d in &mut self.durations {
                *d = ((*d / step - 1e-4).ceil()).max(0.0) * step;
            }
        }
        self
    }

    pub fn places(&self) -> usize {
        self.n
    }

    #[inline]
    pub fn time(&self, a: usize, b: usize) -> f64 {
        self.durations[a * self.n + b]
    }

    #[inline]
    pub fn distance(&self, a: usize, b: usize) -> f64 {
        self.distances[a * self.n + b]
    }
}

#[derive(Clone, Debug)]
pub struct Problem {
    pub jobs: Vec<Job>,
    pub vehicles: Vec<Vehicle>,
    pub travel: Travel,
    pub objective: Objective,
    /// Which vehicles may do which job (skills, a pinned technician): `jobs x vehicles`.
    can: Vec<bool>,
    /// The vehicle each fixed stop or break belongs to.
    locked: Vec<Option<usize>>,
    /// The technician (index of the first shift with the id) of each vehicle.
    technician: Vec<usize>,
    /// The technician each job would rather have.
    preferred: Vec<Option<usize>>,
    /// The jobs that name each job in `after` or `same_technician`.
    dependents: Vec<Vec<usize>>,
    /// How deep each job is in the dependency graph (0: it names none).
    depth: Vec<u32>,
    /// The plan being changed, if this is a re-plan: each job's technician and start in it.
    baseline: Vec<Option<(usize, f64)>>,
}

impl Problem {
    /// Checks the problem once, so that the search can trust it. The objective is weighted,
    /// with the defaults for seconds and metres; set `objective` to change it (the search reads
    /// nothing else that could be changed after this check).
    pub fn new(
        mut jobs: Vec<Job>,
        vehicles: Vec<Vehicle>,
        travel: Travel,
    ) -> Result<Problem, String> {
        let dims = vehicles.first().map_or(0, |v| v.capacity.len());
        let n = jobs.len();
        let window_ok = |w: &Window| !(w.end < w.start || w.start.is_nan() || w.end.is_nan());
        for (i, j) in jobs.iter_mut().enumerate() {
            if let Some(p) = j.place.filter(|&p| p >= travel.places()) {
                return Err(format!("job {}: no such place {p}", j.id));
            }
            if !(j.duration.is_finite() && j.duration >= 0.0) {
                return Err(format!(
                    "job {}: the duration must be finite and not negative",
                    j.id
                ));
            }
            if j.windows.is_empty()
                || j.windows.windows(2).any(|w| w[1].start <= w[0].end)
                || !j.windows.iter().all(window_ok)
                || !j.preferred.iter().all(window_ok)
            {
                return Err(format!(
                    "job {}: windows must be sorted, disjoint, each ending after it starts",
                    j.id
                ));
            }
            if j.demand.is_empty() {
                j.demand = vec![0; dims];
            }
            if j.demand.len() != dims || j.demand.iter().any(|&d| d < 0) {
                return Err(format!(
                    "job {}: one demand (not negative) per capacity dimension ({dims})",
                    j.id
                ));
            }
            if j.after
                .iter()
                .chain(&j.same_technician)
                .any(|&d| d >= n || d == i)
            {
                return Err(format!("job {}: depends on no such job", j.id));
            }
            if j.fixed && j.technician.is_none() {
                return Err(format!("job {}: a fixed stop names its technician", j.id));
            }
            if j.is_break() && !j.fixed {
                return Err(format!("job {}: a stop with no place is a break", j.id));
            }
            // An SLA deadline is hard: the job must end by it.
            if let Some(d) = j.deadline {
                if d.is_nan() {
                    return Err(format!("job {}: the deadline is not a time", j.id));
                }
                let by = d - j.duration;
                j.windows.retain(|w| w.start <= by);
                if let Some(last) = j.windows.last_mut() {
                    last.end = last.end.min(by);
                }
            }
        }
        for v in &vehicles {
            if v.capacity.len() != dims {
                return Err(format!(
                    "technician {}: one capacity per dimension ({dims})",
                    v.id
                ));
            }
            if [v.start, v.end]
                .iter()
                .flatten()
                .any(|&p| p >= travel.places())
            {
                return Err(format!("technician {}: no such place", v.id));
            }
            // Also refuses NaN: a shift must be two comparable times in order.
            if v.shift
                .start
                .partial_cmp(&v.shift.end)
                .is_none_or(|o| o.is_gt())
            {
                return Err(format!(
                    "technician {}: the shift ends before it starts",
                    v.id
                ));
            }
            let costs = [v.overtime, v.cost_per_time, v.cost_per_distance];
            if !costs.iter().all(|c| c.is_finite() && *c >= 0.0) {
                return Err(format!(
                    "technician {}: overtime and costs must be finite and not negative",
                    v.id
                ));
            }
        }
        let technician: Vec<usize> = vehicles
            .iter()
            .map(|v| vehicles.iter().position(|w| w.id == v.id).unwrap_or(0))
            .collect();
        let named = |j: &Job, id: &Option<String>| -> Result<Option<usize>, String> {
            match id {
                None => Ok(None),
                Some(id) => match vehicles.iter().position(|v| &v.id == id) {
                    Some(t) => Ok(Some(t)),
                    None => Err(format!("job {}: no technician {id}", j.id)),
                },
            }
        };
        let mut pinned = Vec::with_capacity(n);
        let mut preferred = Vec::with_capacity(n);
        for j in &jobs {
            pinned.push(named(j, &j.technician)?);
            preferred.push(named(j, &j.preferred_technician)?);
        }
        let mut can = Vec::with_capacity(n * vehicles.len());
        for (j, pin) in jobs.iter().zip(&pinned) {
            for (v, t) in vehicles.iter().zip(&technician) {
                can.push(
                    pin.is_none_or(|p| p == *t)
                        && j.skills
                            .iter()
                            .all(|&(s, level)| v.skills.get(s).is_some_and(|&l| l >= level)),
                );
            }
        }
        // A fixed stop or a break belongs to its technician's shift that holds its start.
        let mut locked = vec![None; n];
        for (i, j) in jobs.iter().enumerate().filter(|(_, j)| j.fixed) {
            let at = j.windows.first().map_or(f64::NAN, |w| w.start);
            let shift = (0..vehicles.len()).find(|&v| {
                let s = &vehicles[v].shift;
                Some(technician[v]) == pinned[i]
                    && s.start <= at
                    && at <= s.end + vehicles[v].overtime
            });
            match shift {
                Some(v) => locked[i] = Some(v),
                None => {
                    return Err(format!(
                        "job {}: fixed outside every shift of its technician",
                        j.id
                    ))
                }
            }
        }
        let (dependents, depth) = dependencies(&jobs)?;
        let pb = Problem {
            jobs,
            vehicles,
            travel,
            objective: Objective::Weighted(Weights::per_second()),
            can,
            locked,
            technician,
            preferred,
            dependents,
            depth,
            baseline: Vec::new(),
        };
        for v in 0..pb.vehicles.len() {
            if !crate::route::Route::new(&pb, v).feasible(&pb) {
                return Err(format!(
                    "technician {}: the fixed stops and breaks do not fit the shift",
                    pb.vehicles[v].id
                ));
            }
        }
        Ok(pb)
    }

    /// Whether vehicle `v` may do job `j` (skills, a pinned technician).
    #[inline]
    pub fn can(&self, j: usize, v: usize) -> bool {
        self.can[j * self.vehicles.len() + v]
    }

    /// The vehicle a fixed stop or break belongs to; `None` for a job the search places.
    #[inline]
    pub fn locked(&self, j: usize) -> Option<usize> {
        self.locked[j]
    }

    /// The jobs the search places (not fixed stops, not breaks).
    pub fn free_jobs(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.jobs.len()).filter(|&j| self.locked[j].is_none())
    }

    /// The technician of vehicle `v`: one index for all the shifts of one id.
    #[inline]
    pub fn technician(&self, v: usize) -> usize {
        self.technician[v]
    }

    /// Which of its technician's shifts vehicle `v` is (from 0, in the order given).
    pub fn shift(&self, v: usize) -> usize {
        (0..v)
            .filter(|&u| self.technician[u] == self.technician[v])
            .count()
    }

    /// Whether job `j` is with a technician it does not prefer on vehicle `v`.
    #[inline]
    pub fn not_preferred(&self, j: usize, v: usize) -> bool {
        self.preferred[j].is_some_and(|t| t != self.technician[v])
    }

    /// Makes this a re-plan of a plan in which job `j` was with vehicle `v` (`None`: a
    /// technician no longer in the problem) starting at `t`, for each `(j, v, t)`: the weighted
    /// objective then counts the visits that change.
    pub fn set_baseline(&mut self, was: &[(usize, Option<usize>, f64)]) {
        self.baseline = vec![None; self.jobs.len()];
        for &(j, v, t) in was {
            self.baseline[j] = Some((v.map_or(usize::MAX, |v| self.technician[v]), t));
        }
    }

    /// Whether job `j` on vehicle `v` starting at `start` changes it from the baseline (a
    /// different technician, or a start moved by more than `tolerance`).
    #[inline]
    pub fn changes(&self, j: usize, v: usize, start: f64, tolerance: f64) -> bool {
        self.baseline
            .get(j)
            .copied()
            .flatten()
            .is_some_and(|(t, was)| t != self.technician[v] || (start - was).abs() > tolerance)
    }

    /// Whether job `j` was in the plan being changed.
    pub fn was_planned(&self, j: usize) -> bool {
        self.baseline.get(j).is_some_and(|b| b.is_some())
    }

    pub fn has_dependencies(&self) -> bool {
        self.depth.iter().any(|&d| d > 0)
    }

    /// The jobs that depend on job `j`.
    pub fn dependents(&self, j: usize) -> &[usize] {
        &self.dependents[j]
    }

    /// 0 for a job that depends on none; otherwise one more than the deepest it depends on.
    pub fn depth(&self, j: usize) -> u32 {
        self.depth[j]
    }

    /// A Solomon VRPTW instance: `K` identical vehicles of capacity `Q` at the depot (customer 0,
    /// whose window is the horizon), Euclidean travel at unit speed.
    pub fn solomon(text: &str) -> Result<Problem, String> {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let name = lines.next().ok_or("empty instance")?.to_string();
        let numbers = |line: Option<&str>| -> Result<Vec<f64>, String> {
            line.ok_or_else(|| format!("{name}: cut short"))?
                .split_whitespace()
                .map(|x| x.parse::<f64>().map_err(|e| format!("{name}: {x}: {e}")))
                .collect()
        };
        let mut fleet = None;
        let mut rows = Vec::new();
        while let Some(line) = lines.next() {
            if line.starts_with("NUMBER") {
                fleet = Some(numbers(lines.next())?);
            } else if line.starts_with(|c: char| c.is_ascii_digit()) {
                rows.push(numbers(Some(line))?);
            }
        }
        let fleet = fleet.ok_or("no VEHICLE section")?;
        let (k, q) = match fleet[..] {
            [k, q] => (k as usize, q as i64),
            _ => return Err("VEHICLE: expected NUMBER and CAPACITY".into()),
        };
        if rows.is_empty() || rows.iter().any(|r| r.len() != 7) {
            return Err("CUSTOMER: expected 7 numbers a line".into());
        }
        let points: Vec<(f64, f64)> = rows.iter().map(|r| (r[1], r[2])).collect();
        let depot = &rows[0];
        let shift = Window {
            start: depot[4],
            end: depot[5],
        };
        let jobs = rows[1..]
            .iter()
            .enumerate()
            .map(|(i, r)| Job {
                windows: vec![Window {
                    start: r[4],
                    end: r[5],
                }],
                demand: vec![r[3] as i64],
                ..Job::new(format!("{}", r[0] as i64), i + 1, r[6])
            })
            .collect();
        let vehicles = (0..k)
            .map(|i| Vehicle {
                capacity: vec![q],
                ..Vehicle::new(format!("v{}", i + 1), Some(0), shift)
            })
            .collect();
        let mut pb = Problem::new(jobs, vehicles, Travel::euclidean(&points))?;
        pb.objective = Objective::Hierarchical;
        Ok(pb)
    }
}

/// Sorts indexes by a key, stably. Every order the solver uses goes through this one copy of the
/// sort: each closure given to `sort_by` is a copy of its own, 3 to 9 KB of wasm apiece.
pub(crate) fn sort_by_key(v: &mut [u32], key: &dyn Fn(u32) -> f64) {
    v.sort_by(|&a, &b| key(a).total_cmp(&key(b)));
}

/// Who depends on each job, and how deep each job is; a cycle is refused.
fn dependencies(jobs: &[Job]) -> Result<(Vec<Vec<usize>>, Vec<u32>), String> {
    let n = jobs.len();
    let mut dependents = vec![Vec::new(); n];
    for (i, j) in jobs.iter().enumerate() {
        for &d in j.after.iter().chain(&j.same_technician) {
            if !dependents[d].contains(&i) {
                dependents[d].push(i);
            }
        }
    }
    // Depths by repeated relaxation (Kahn's order): a job whose depth is still unknown after
    // every job had its turn is on a cycle.
    let mut depth = vec![0u32; n];
    let mut waiting: Vec<usize> = jobs
        .iter()
        .map(|j| j.after.len() + j.same_technician.len())
        .collect();
    let mut ready: Vec<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    let mut done = 0;
    while let Some(i) = ready.pop() {
        done += 1;
        for &k in &dependents[i] {
            depth[k] = depth[k].max(depth[i] + 1);
            let named = jobs[k].after.iter().chain(&jobs[k].same_technician);
            waiting[k] -= named.filter(|&&d| d == i).count();
            if waiting[k] == 0 {
                ready.push(k);
            }
        }
    }
    if done < n {
        let on = (0..n).find(|&i| waiting[i] > 0).unwrap_or(0);
        return Err(format!(
            "job {}: its dependencies go round in a circle",
            jobs[on].id
        ));
    }
    Ok((dependents, depth))
}

#[cfg(test)]
mod symmetry {
    /// The coordinator's travel rule computes each stop's drive once for both ways: that holds
    /// because the distance is symmetric to the bit (sines are odd, products commute).
    #[test]
    fn great_circle_distance_is_symmetric_to_the_bit() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..200_000 {
            let a = (next() * 180.0 - 90.0, next() * 360.0 - 180.0);
            let b = (a.0 + (next() - 0.5) * 0.5, a.1 + (next() - 0.5) * 0.5);
            let (ab, ba) = (
                super::great_circle_metres(a, b),
                super::great_circle_metres(b, a),
            );
            assert_eq!(ab.to_bits(), ba.to_bits(), "{a:?} {b:?}");
        }
    }
}
