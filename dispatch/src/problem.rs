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

#[derive(Clone, Debug)]
pub struct Job {
    pub id: String,
    /// Index into the travel matrix.
    pub place: usize,
    /// Time on site.
    pub duration: f64,
    /// When the job may start: sorted, disjoint. One `Window::ANY` if the job has none.
    pub windows: Vec<Window>,
    /// What the job uses of each capacity dimension (parts, equipment, load).
    pub demand: Vec<i64>,
    /// Required skills with their minimum levels: (skill index, level).
    pub skills: Vec<(usize, u8)>,
    /// When not every job fits, higher priorities are placed first: leaving a job out costs
    /// `1 + priority` jobs' worth.
    pub priority: u32,
}

#[derive(Clone, Debug)]
pub struct Vehicle {
    pub id: String,
    /// Where the shift starts and ends (a technician's home or a depot); `None`: wherever the
    /// first job is, or the last.
    pub start: Option<usize>,
    pub end: Option<usize>,
    pub shift: Window,
    pub capacity: Vec<i64>,
    /// Skill levels by skill index (0: lacks it).
    pub skills: Vec<u8>,
    /// At most this much driving in the shift (time units of the travel matrix), if limited.
    pub max_travel: Option<f64>,
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
        const EARTH_M: f64 = 6_371_008.8;
        let n = points.len();
        let mut distances = Vec::with_capacity(n * n);
        for &(lat1, lng1) in points {
            for &(lat2, lng2) in points {
                let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
                let (dp, dl) = ((lat2 - lat1).to_radians(), (lng2 - lng1).to_radians());
                let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
                distances.push(2.0 * EARTH_M * h.sqrt().min(1.0).asin() * detour);
            }
        }
        let durations = distances.iter().map(|d| d / speed).collect();
        Travel {
            n,
            durations,
            distances,
        }
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
    /// Which vehicles may do which job (skills): `jobs x vehicles`, row-major.
    can: Vec<bool>,
}

impl Problem {
    /// Checks the problem once, so that the search can trust it.
    pub fn new(jobs: Vec<Job>, vehicles: Vec<Vehicle>, travel: Travel) -> Result<Problem, String> {
        let dims = vehicles.first().map_or(0, |v| v.capacity.len());
        for j in &jobs {
            if j.place >= travel.places() {
                return Err(format!("job {}: no such place {}", j.id, j.place));
            }
            if !(j.duration.is_finite() && j.duration >= 0.0) {
                return Err(format!(
                    "job {}: the duration must be finite and not negative",
                    j.id
                ));
            }
            if j.windows.is_empty()
                || j.windows.windows(2).any(|w| w[1].start <= w[0].end)
                || j.windows
                    .iter()
                    .any(|w| w.end < w.start || w.start.is_nan() || w.end.is_nan())
            {
                return Err(format!(
                    "job {}: windows must be sorted, disjoint, each ending after it starts",
                    j.id
                ));
            }
            if j.demand.len() != dims || j.demand.iter().any(|&d| d < 0) {
                return Err(format!(
                    "job {}: one demand (not negative) per capacity dimension ({dims})",
                    j.id
                ));
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
        }
        let mut can = Vec::with_capacity(jobs.len() * vehicles.len());
        for j in &jobs {
            for v in &vehicles {
                can.push(
                    j.skills
                        .iter()
                        .all(|&(s, level)| v.skills.get(s).is_some_and(|&l| l >= level)),
                );
            }
        }
        Ok(Problem {
            jobs,
            vehicles,
            travel,
            can,
        })
    }

    /// Whether vehicle `v` has the skills job `j` needs.
    #[inline]
    pub fn can(&self, j: usize, v: usize) -> bool {
        self.can[j * self.vehicles.len() + v]
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
                id: format!("{}", r[0] as i64),
                place: i + 1,
                duration: r[6],
                windows: vec![Window {
                    start: r[4],
                    end: r[5],
                }],
                demand: vec![r[3] as i64],
                skills: Vec::new(),
                priority: 0,
            })
            .collect();
        let vehicles = (0..k)
            .map(|i| Vehicle {
                id: format!("v{}", i + 1),
                start: Some(0),
                end: Some(0),
                shift,
                capacity: vec![q],
                skills: Vec::new(),
                max_travel: None,
            })
            .collect();
        Problem::new(jobs, vehicles, Travel::euclidean(&points))
    }
}
