//! The problem and the plan as JSON: what a host sends to the Worker (or a server reads), with
//! ids and skill names; the solver's indexes stay inside. Unknown fields are refused.

use crate::problem::{Job, Problem, Travel, Vehicle, Window};
use crate::search::Solution;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProblemJson {
    pub travel: TravelJson,
    pub technicians: Vec<TechnicianJson>,
    pub jobs: Vec<JobJson>,
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
    /// `speed` metres a second.
    Coordinates {
        points: Vec<[f64; 2]>,
        detour: f64,
        speed: f64,
    },
    /// Places as `[x, y]`, distance Euclidean and travelled at one unit a unit of time (Solomon).
    Euclidean { points: Vec<[f64; 2]> },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TechnicianJson {
    pub id: String,
    pub start: Option<usize>,
    pub end: Option<usize>,
    /// `[start, end]` of the shift, in seconds.
    pub shift: [f64; 2],
    #[serde(default)]
    pub capacity: Vec<i64>,
    /// Skill name to level (1 and up).
    #[serde(default)]
    pub skills: BTreeMap<String, u8>,
    /// At most this much driving in the shift, in seconds.
    pub max_travel: Option<f64>,
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
    /// One number per capacity dimension; none of any if left out.
    #[serde(default)]
    pub demand: Vec<i64>,
    /// Skill name to the minimum level.
    #[serde(default)]
    pub skills: BTreeMap<String, u8>,
    /// Placed before lower ones when not every job fits (default 0).
    #[serde(default)]
    pub priority: u32,
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
        } => {
            if !(detour >= 1.0 && speed > 0.0 && speed.is_finite()) {
                return Err(
                    "travel.coordinates: detour must be at least 1 and speed above 0".into(),
                );
            }
            Travel::great_circle(
                &points.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>(),
                detour,
                speed,
            )
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
    // A job that names no demand uses none of any dimension.
    let dims = p.technicians.first().map_or(0, |t| t.capacity.len());
    let jobs: Vec<Job> = p
        .jobs
        .into_iter()
        .map(|j| Job {
            windows: if j.windows.is_empty() {
                vec![Window::ANY]
            } else {
                j.windows
                    .iter()
                    .map(|w| Window {
                        start: w[0],
                        end: w[1],
                    })
                    .collect()
            },
            skills: j.skills.iter().map(|(s, &l)| (index(s), l)).collect(),
            id: j.id,
            place: j.place,
            duration: j.duration,
            demand: if j.demand.is_empty() {
                vec![0; dims]
            } else {
                j.demand
            },
            priority: j.priority,
        })
        .collect();
    let technicians: Vec<(TechnicianJson, Vec<(usize, u8)>)> = p
        .technicians
        .into_iter()
        .map(|t| {
            let levels = t.skills.iter().map(|(s, &l)| (index(s), l)).collect();
            (t, levels)
        })
        .collect();
    let vehicles = technicians
        .into_iter()
        .map(|(t, levels)| {
            let mut skills = vec![0u8; names.len()];
            for (s, l) in levels {
                skills[s] = l;
            }
            Vehicle {
                id: t.id,
                start: t.start,
                end: t.end,
                shift: Window {
                    start: t.shift[0],
                    end: t.shift[1],
                },
                capacity: t.capacity,
                skills,
                max_travel: t.max_travel,
            }
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    if let Some(j) = jobs.iter().find(|j| !seen.insert(j.id.as_str())) {
        return Err(format!("job id {} is given twice", j.id));
    }
    Problem::new(jobs, vehicles, travel)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanJson {
    pub routes: Vec<RouteJson>,
    pub unassigned: Vec<LeftOutJson>,
    pub distance: f64,
    pub vehicles: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteJson {
    pub technician: String,
    pub stops: Vec<StopJson>,
    pub distance: f64,
    /// When the technician is back at the end place (or done, without one).
    pub end: f64,
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
    pub job: String,
    pub arrival: f64,
    pub start: f64,
}

/// The plan with ids: the routes that have jobs, and the jobs left out.
pub fn plan(pb: &Problem, s: &Solution) -> PlanJson {
    PlanJson {
        routes: s
            .routes
            .iter()
            .filter(|r| !r.is_empty())
            .map(|r| RouteJson {
                technician: pb.vehicles[r.vehicle].id.clone(),
                stops: r
                    .jobs
                    .iter()
                    .zip(r.times(pb))
                    .map(|(&j, (arrival, start))| StopJson {
                        job: pb.jobs[j as usize].id.clone(),
                        arrival,
                        start,
                    })
                    .collect(),
                distance: r.distance,
                end: r.end_time(),
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
        distance: s.distance(),
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
