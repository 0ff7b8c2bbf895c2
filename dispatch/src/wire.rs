//! The problem and the plan as JSON: what a host sends to the Worker (or a server reads), with
//! ids, skill names, seconds, metres and costs per hour and per kilometre; the solver's indexes
//! and units stay inside. Unknown fields are refused.

use crate::problem::{Job, Objective, Problem, Travel, Vehicle, Weights, Window};
use crate::search::Solution;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const HOUR: f64 = 3600.0;
const KM: f64 = 1000.0;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProblemJson {
    pub travel: TravelJson,
    pub technicians: Vec<TechnicianJson>,
    pub jobs: Vec<JobJson>,
    /// `weighted` (the default) or `hierarchical` (fewest technicians, then distance).
    #[serde(default)]
    pub objective: ObjectiveJson,
    /// The weighted objective's weights; each left out keeps its default.
    #[serde(default)]
    pub weights: WeightsJson,
}

#[derive(Deserialize, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub enum ObjectiveJson {
    #[default]
    Weighted,
    Hierarchical,
}

/// Per hour, per job: the README's table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase", default)]
pub struct WeightsJson {
    pub travel: f64,
    pub lateness: f64,
    pub overtime: f64,
    pub unassigned: f64,
    pub balance: f64,
    pub preferred: f64,
    /// Per visit a re-plan changes; and by how many seconds a start may move unchanged.
    pub changed: f64,
    pub change_tolerance: f64,
}

impl Default for WeightsJson {
    fn default() -> WeightsJson {
        let w = Weights::per_second();
        WeightsJson {
            travel: w.travel * HOUR,
            lateness: w.lateness * HOUR,
            overtime: w.overtime * HOUR,
            unassigned: w.unassigned,
            balance: w.balance * HOUR * HOUR,
            preferred: w.preferred,
            changed: w.changed,
            change_tolerance: w.change_tolerance,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub enum TravelJson {
    /// Durations (seconds) and distances (metres) between places, row by row.
    Matrix {
        durations: Vec<Vec<f64>>,
        distances: Vec<Vec<f64>>,
    },
    /// Places as `[latitude, longitude]`: great-circle distance times `detour`, driven at
    /// `speed` metres a second (or `speedKmh`); each time rounded up to a multiple of `roundUp`
    /// seconds if given (the coordinator's travel rule rounds to whole minutes: 60).
    Coordinates {
        points: Vec<[f64; 2]>,
        detour: f64,
        speed: Option<f64>,
        /// Kilometres an hour, divided by 3.6 as the coordinator's travel model does (so both
        /// compute the same times to the last bit).
        #[serde(rename = "speedKmh")]
        speed_kmh: Option<f64>,
        #[serde(default, rename = "roundUp")]
        round_up: f64,
    },
    /// Places as `[x, y]`, distance Euclidean and travelled at one unit a unit of time (Solomon).
    Euclidean { points: Vec<[f64; 2]> },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TechnicianJson {
    pub id: String,
    /// `[start, end]` of one shift, in seconds; or `shifts`, one or more.
    pub shift: Option<[f64; 2]>,
    #[serde(default)]
    pub shifts: Vec<ShiftJson>,
    /// Where shifts start and end (place indexes), unless a shift says otherwise.
    pub start: Option<usize>,
    pub end: Option<usize>,
    /// Breaks in each shift (with `shift`; a shift in `shifts` lists its own).
    #[serde(default)]
    pub breaks: Vec<BreakJson>,
    /// Seconds a shift may run past its end (with `shift`).
    #[serde(default)]
    pub overtime: f64,
    #[serde(default)]
    pub capacity: Vec<i64>,
    /// Skill name to level (1 and up).
    #[serde(default)]
    pub skills: BTreeMap<String, u8>,
    /// At most this much driving in a shift, in seconds.
    pub max_travel: Option<f64>,
    #[serde(default)]
    pub cost_per_hour: f64,
    #[serde(default)]
    pub cost_per_km: f64,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ShiftJson {
    pub time: [f64; 2],
    pub start: Option<usize>,
    pub end: Option<usize>,
    #[serde(default)]
    pub breaks: Vec<BreakJson>,
    #[serde(default)]
    pub overtime: f64,
}

/// A break of `duration` seconds starting inside `window`, wherever the technician is.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BreakJson {
    pub window: [f64; 2],
    pub duration: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct JobJson {
    pub id: String,
    pub place: usize,
    pub duration: f64,
    /// `[start, end]` spans in which the job may start; any time if left out.
    #[serde(default)]
    pub windows: Vec<[f64; 2]>,
    /// When the client would like it to start (soft: starting outside it is weighed).
    pub preferred: Option<[f64; 2]>,
    /// It must be finished by then (an SLA; hard).
    pub deadline: Option<f64>,
    /// One number per capacity dimension; none of any if left out.
    #[serde(default)]
    pub demand: Vec<i64>,
    /// Skill name to the minimum level.
    #[serde(default)]
    pub skills: BTreeMap<String, u8>,
    /// Placed before lower ones when not every job fits (default 0).
    #[serde(default)]
    pub priority: u32,
    /// Only this technician does it.
    pub technician: Option<String>,
    /// It starts at exactly this time (inside its windows, if it has them).
    pub at: Option<f64>,
    /// Another technician may do it, at a cost (`weights.preferred`).
    pub preferred_technician: Option<String>,
    /// It starts after these jobs have finished.
    #[serde(default)]
    pub after: Vec<String>,
    /// The technician who does these jobs does it.
    #[serde(default)]
    pub same_technician_as: Vec<String>,
    /// An existing booking the technician's route keeps (with `technician` and `at`).
    #[serde(default)]
    pub fixed: bool,
}

fn window(w: &[f64; 2]) -> Window {
    Window {
        start: w[0],
        end: w[1],
    }
}

/// Reads a problem; the error says what is wrong and where.
pub fn read_problem(text: &str) -> Result<Problem, String> {
    let p: ProblemJson = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let travel = match p.travel {
        TravelJson::Matrix {
            durations,
            distances,
        } => {
            let n = durations.len();
            if distances.len() != n || durations.iter().chain(&distances).any(|r| r.len() != n) {
                return Err(format!(
                    "travel.matrix: durations and distances must both be {n} x {n}"
                ));
            }
            Travel::matrix(n, durations.concat(), distances.concat())?
        }
        TravelJson::Coordinates {
            points,
            detour,
            speed,
            round_up,
            speed_kmh,
        } => {
            let speed = match (speed, speed_kmh) {
                (Some(s), None) => s,
                (None, Some(k)) => k / 3.6,
                _ => return Err("travel.coordinates: give speed or speedKmh, one of them".into()),
            };
            if !(detour >= 1.0
                && speed > 0.0
                && speed.is_finite()
                && (0.0..=86_400.0).contains(&round_up))
            {
                return Err(
                    "travel.coordinates: detour must be at least 1, speed above 0 and roundUp 0 to 86400".into(),
                );
            }
            Travel::great_circle(
                &points.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>(),
                detour,
                speed,
            )
            .rounded_up(round_up)
        }
        TravelJson::Euclidean { points } => {
            Travel::euclidean(&points.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>())
        }
    };
    // Skill names become indexes, in the order first seen.
    let mut names: Vec<String> = Vec::new();
    let mut index = |name: &str| match names.iter().position(|n| n == name) {
        Some(i) => i,
        None => {
            names.push(name.to_string());
            names.len() - 1
        }
    };
    let ids: BTreeMap<&str, usize> = p
        .jobs
        .iter()
        .enumerate()
        .map(|(i, j)| (j.id.as_str(), i))
        .collect();
    if ids.len() < p.jobs.len() {
        let mut seen = std::collections::BTreeSet::new();
        let twice = p.jobs.iter().find(|j| !seen.insert(j.id.as_str()));
        return Err(format!(
            "job id {} is given twice",
            twice.map_or("", |j| &j.id)
        ));
    }
    let job_ids = |j: &JobJson, named: &[String]| -> Result<Vec<usize>, String> {
        named
            .iter()
            .map(|x| {
                ids.get(x.as_str())
                    .copied()
                    .ok_or_else(|| format!("job {}: depends on no job {x}", j.id))
            })
            .collect()
    };
    let mut jobs = Vec::with_capacity(p.jobs.len());
    for j in &p.jobs {
        if j.fixed && (j.technician.is_none() || j.at.is_none()) {
            return Err(format!(
                "job {}: a fixed stop names its technician and time",
                j.id
            ));
        }
        let inside = |at: f64| j.windows.iter().any(|w| w[0] <= at && at <= w[1]);
        let windows = match (j.at, j.windows.is_empty()) {
            (Some(at), false) if !inside(at) => {
                return Err(format!("job {}: at is outside its windows", j.id))
            }
            (Some(at), _) => vec![Window { start: at, end: at }],
            (None, true) => vec![Window::ANY],
            (None, false) => j.windows.iter().map(window).collect(),
        };
        jobs.push(Job {
            windows,
            preferred: j.preferred.as_ref().map(window),
            deadline: j.deadline,
            demand: j.demand.clone(),
            skills: j.skills.iter().map(|(s, &l)| (index(s), l)).collect(),
            priority: j.priority,
            technician: j.technician.clone(),
            preferred_technician: j.preferred_technician.clone(),
            after: job_ids(j, &j.after)?,
            same_technician: job_ids(j, &j.same_technician_as)?,
            fixed: j.fixed,
            ..Job::new(j.id.clone(), j.place, j.duration)
        });
    }
    let mut vehicles = Vec::new();
    for t in &p.technicians {
        let mut skills = Vec::new();
        for (name, &level) in &t.skills {
            let s = index(name);
            if skills.len() <= s {
                skills.resize(s + 1, 0);
            }
            skills[s] = level;
        }
        let shifts: Vec<ShiftJson> = match (t.shift, t.shifts.is_empty()) {
            (Some(time), true) => vec![ShiftJson {
                time,
                start: None,
                end: None,
                breaks: t.breaks.clone(),
                overtime: t.overtime,
            }],
            (None, false) if t.breaks.is_empty() && t.overtime == 0.0 => t.shifts.clone(),
            _ => {
                return Err(format!(
                    "technician {}: either shift (with its breaks and overtime) or shifts",
                    t.id
                ))
            }
        };
        let costs = [t.cost_per_hour, t.cost_per_km];
        if !costs.iter().all(|c| c.is_finite() && *c >= 0.0) {
            return Err(format!(
                "technician {}: costs must be finite and not negative",
                t.id
            ));
        }
        for (k, s) in shifts.iter().enumerate() {
            vehicles.push(Vehicle {
                start: s.start.or(t.start),
                end: s.end.or(t.end),
                shift: window(&s.time),
                overtime: s.overtime,
                capacity: t.capacity.clone(),
                skills: skills.clone(),
                max_travel: t.max_travel,
                cost_per_time: t.cost_per_hour / HOUR,
                cost_per_distance: t.cost_per_km / KM,
                ..Vehicle::new(t.id.clone(), None, window(&s.time))
            });
            for (b, rest) in s.breaks.iter().enumerate() {
                let id = format!("{}#{}.break{}", t.id, k + 1, b + 1);
                if !(rest.duration.is_finite() && rest.duration >= 0.0) {
                    return Err(format!(
                        "{id}: the duration must be finite and not negative"
                    ));
                }
                jobs.push(Job::rest(id, &t.id, window(&rest.window), rest.duration));
            }
        }
    }
    let mut pb = Problem::new(jobs, vehicles, travel)?;
    let w = &p.weights;
    pb.objective = match p.objective {
        ObjectiveJson::Hierarchical => Objective::Hierarchical,
        ObjectiveJson::Weighted => {
            let all = [
                w.travel,
                w.lateness,
                w.overtime,
                w.unassigned,
                w.balance,
                w.preferred,
            ];
            if !all.iter().all(|x| x.is_finite() && *x >= 0.0) {
                return Err("weights must be finite and not negative".into());
            }
            Objective::Weighted(Weights {
                travel: w.travel / HOUR,
                lateness: w.lateness / HOUR,
                overtime: w.overtime / HOUR,
                unassigned: w.unassigned,
                balance: w.balance / (HOUR * HOUR),
                preferred: w.preferred,
                changed: w.changed,
                change_tolerance: w.change_tolerance,
            })
        }
    };
    Ok(pb)
}

/// A plan as `solve` gave it, to change (a re-plan) or to place one more job in; fields other
/// than these are ignored, so a plan goes back as it came.
#[derive(Deserialize)]
pub struct GivenPlan {
    pub routes: Vec<GivenRoute>,
}

#[derive(Deserialize)]
pub struct GivenRoute {
    pub technician: String,
    #[serde(default)]
    pub shift: usize,
    pub stops: Vec<GivenStop>,
}

#[derive(Deserialize)]
pub struct GivenStop {
    pub job: String,
    pub start: f64,
}

/// A given plan in the problem's indexes: routes `(vehicle, jobs)`, and where each job was
/// `(job, vehicle, start)`. A technician, shift or job no longer in the problem is dropped from
/// the routes (its jobs were with a vehicle that is gone: `None`).
pub type Routes = Vec<(usize, Vec<usize>)>;
/// Where each job of a given plan was: `(job, vehicle, start)`.
pub type Was = Vec<(usize, Option<usize>, f64)>;
pub fn read_plan(pb: &Problem, text: &str) -> Result<(Routes, Was), String> {
    let plan: GivenPlan = serde_json::from_str(text).map_err(|e| format!("plan: {e}"))?;
    let ids: BTreeMap<&str, usize> = pb
        .jobs
        .iter()
        .enumerate()
        .map(|(i, j)| (j.id.as_str(), i))
        .collect();
    let (mut routes, mut was) = (Vec::new(), Vec::new());
    for r in &plan.routes {
        let vehicle = (0..pb.vehicles.len())
            .filter(|&v| pb.vehicles[v].id == r.technician)
            .nth(r.shift);
        let mut jobs = Vec::new();
        for stop in &r.stops {
            if let Some(&j) = ids.get(stop.job.as_str()) {
                was.push((j, vehicle, stop.start));
                jobs.push(j);
            }
        }
        if let Some(v) = vehicle {
            routes.push((v, jobs));
        }
    }
    Ok((routes, was))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanJson {
    pub routes: Vec<RouteJson>,
    pub unassigned: Vec<LeftOutJson>,
    /// In a re-plan, the visits of the given plan that changed technician or time (beyond
    /// `weights.changeTolerance`) or were left out.
    pub changed: usize,
    /// The objective's cost: the weighted sum, or (hierarchical) the distance.
    pub cost: f64,
    pub distance: f64,
    /// Seconds driving, over all routes.
    pub travel: f64,
    pub vehicles: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteJson {
    pub technician: String,
    /// Which of the technician's shifts (from 0).
    pub shift: usize,
    pub stops: Vec<StopJson>,
    pub distance: f64,
    pub travel: f64,
    /// When the technician leaves for the first stop, and is back at the end place (or done,
    /// without one).
    pub start: f64,
    pub end: f64,
    pub duty: f64,
    pub lateness: f64,
    pub overtime: f64,
    /// The weighted objective's terms, and their sum.
    pub costs: CostsJson,
}

/// A route's cost terms, and their sum.
#[derive(Serialize)]
pub struct CostsJson {
    #[serde(flatten)]
    pub terms: crate::route::Costs,
    pub total: f64,
}

/// A job left out, and why (`reasons.rs`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeftOutJson {
    pub job: String,
    pub reasons: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StopJson {
    /// The job's id (a break's is `technician#shift.breakN`).
    pub job: String,
    /// `job`, `fixed` (an existing booking) or `break`.
    pub kind: &'static str,
    pub arrival: f64,
    pub start: f64,
    /// Waiting before the start.
    pub wait: f64,
    /// How much later the start could be without breaking a later stop or the shift.
    pub slack: f64,
}

/// The plan with ids: the routes that have jobs, and the jobs left out.
pub fn plan(pb: &Problem, s: &Solution) -> PlanJson {
    PlanJson {
        routes: s
            .routes
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| {
                let c = r.costs(pb);
                RouteJson {
                    technician: pb.vehicles[r.vehicle].id.clone(),
                    shift: pb.shift(r.vehicle),
                    stops: r
                        .visits(pb)
                        .into_iter()
                        .map(|v| {
                            let job = &pb.jobs[v.job];
                            StopJson {
                                job: job.id.clone(),
                                kind: match (job.is_break(), job.fixed) {
                                    (true, _) => "break",
                                    (false, true) => "fixed",
                                    _ => "job",
                                },
                                arrival: v.arrival,
                                start: v.start,
                                wait: v.wait,
                                slack: v.slack,
                            }
                        })
                        .collect(),
                    distance: r.distance,
                    travel: r.travel,
                    start: r.departure(pb),
                    end: r.end_time(),
                    duty: r.score.duty,
                    lateness: r.score.lateness,
                    overtime: r.score.overtime,
                    costs: CostsJson {
                        terms: c,
                        total: c.total(),
                    },
                }
            })
            .collect(),
        unassigned: s
            .unassigned
            .iter()
            .map(|&j| LeftOutJson {
                job: pb.jobs[j as usize].id.clone(),
                reasons: crate::reasons::reasons(pb, s, j as usize)
                    .into_iter()
                    .map(|r| r.code())
                    .collect(),
            })
            .collect(),
        changed: s
            .routes
            .iter()
            .map(|r| r.score.changed as usize)
            .sum::<usize>()
            + s.unassigned
                .iter()
                .filter(|&&j| pb.was_planned(j as usize))
                .count(),
        cost: s.cost(pb),
        distance: s.distance(),
        travel: s.routes.iter().map(|r| r.travel).sum(),
        vehicles: s.vehicles(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_reads_with_names_and_defaults_and_a_mistake_is_named() {
        let text = r#"{"travel":{"euclidean":{"points":[[0,0],[3,4]]}},
            "technicians":[{"id":"ana","start":0,"end":0,"shift":[0,100],"capacity":[2],"skills":{"gas":2}}],
            "jobs":[{"id":"j1","place":1,"duration":5,"skills":{"gas":1}},{"id":"j2","place":1,"duration":5,"demand":[1]}]}"#;
        let pb = read_problem(text).unwrap();
        assert_eq!(pb.jobs[0].demand, vec![0]); // none named: none used
        assert!(pb.can(0, 0) && pb.can(1, 0));
        assert_eq!(pb.travel.distance(0, 1), 5.0);
        let typo = text.replace(
            "\"duration\":5,\"skills\"",
            "\"durationMinutes\":5,\"skills\"",
        );
        assert!(read_problem(&typo).unwrap_err().contains("durationMinutes"));
        let twice = text.replace("\"id\":\"j2\"", "\"id\":\"j1\"");
        assert!(read_problem(&twice).unwrap_err().contains("j1"));
    }
}

/// One place a job could take (`options::placements`), with ids.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacementJson {
    pub technician: String,
    pub shift: usize,
    /// The job goes after this many stops of the route.
    pub position: usize,
    pub arrival: f64,
    pub start: f64,
    /// What the objective's cost gains; driving time and distance added.
    pub cost: f64,
    pub travel: f64,
    pub distance: f64,
    /// The stops whose planned start moves: `{ job, from, to }`.
    pub moved: Vec<MovedJson>,
}

#[derive(Serialize)]
pub struct MovedJson {
    pub job: String,
    pub from: f64,
    pub to: f64,
}

/// The best `count` places for job `job` in `plan` (or, without one, in the routes of fixed
/// stops and breaks alone), as JSON text.
pub fn placements(
    problem: &str,
    plan: Option<&str>,
    job: &str,
    count: usize,
) -> Result<String, String> {
    let pb = read_problem(problem)?;
    let j = pb
        .jobs
        .iter()
        .position(|x| x.id == job)
        .ok_or_else(|| format!("no job {job}"))?;
    let (routes, was) = match plan {
        Some(text) => read_plan(&pb, text)?,
        None => (Vec::new(), Vec::new()),
    };
    let at = |j: usize| was.iter().find(|w| w.0 == j).map(|w| w.2);
    let s = Solution::from_routes_at(&pb, &routes, &at)?;
    if !s.unassigned.contains(&(j as u32)) {
        return Err(format!("job {job} is already in the plan"));
    }
    let out: Vec<PlacementJson> = crate::options::placements(&pb, &s, j, count)
        .into_iter()
        .map(|p| PlacementJson {
            technician: pb.vehicles[p.vehicle].id.clone(),
            shift: pb.shift(p.vehicle),
            position: p.position,
            arrival: p.arrival,
            start: p.start,
            cost: p.cost,
            travel: p.travel,
            distance: p.distance,
            moved: p
                .moved
                .into_iter()
                .map(|(j, from, to)| MovedJson {
                    job: pb.jobs[j].id.clone(),
                    from,
                    to,
                })
                .collect(),
        })
        .collect();
    serde_json::to_string(&out).map_err(|e| e.to_string())
}

/// The plan `plan` as it stands, without searching: its routes in the given order (fixed stops
/// and breaks put where they fall in time), each scheduled and scored, and the jobs it leaves
/// out with their reasons; an error names a route that breaks a hard rule. What a board shows
/// for the day as booked, and for a plan a coordinator edits by hand.
pub fn evaluate(problem: &str, plan: &str) -> Result<String, String> {
    let pb = read_problem(problem)?;
    let (routes, was) = read_plan(&pb, plan)?;
    let at = |j: usize| was.iter().find(|w| w.0 == j).map(|w| w.2);
    let s = Solution::from_routes_at(&pb, &routes, &at)?;
    serde_json::to_string(&self::plan(&pb, &s)).map_err(|e| e.to_string())
}
