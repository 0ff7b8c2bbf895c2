//! The day changes: one more job to place ("where can this go?"), a technician going home sick.
//! Options are bookable as they stand; a re-plan keeps what it can and says what changed.

#[path = "checker/day.rs"]
mod day;

use serde_json::{json, Value};
use service_dispatch::{solve_iterations, wire, Solution, Solver};

const H: f64 = 3600.0;

/// A day of `jobs` jobs for `techs` technicians around a town 40 minutes across (seconds, metres).
fn day(techs: usize, jobs: usize, seed: u64) -> Value {
    let mut x = seed;
    let mut next = move || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    let points: Vec<[f64; 2]> = (0..techs + jobs)
        .map(|_| [next() * 2400.0, next() * 2400.0])
        .collect();
    let technicians: Vec<Value> = (0..techs)
        .map(|t| {
            json!({ "id": format!("t{t}"), "start": t, "end": t, "shift": [8.0 * H, 17.0 * H],
            "breaks": [{ "window": [12.0 * H, 13.5 * H], "duration": 1800 }] })
        })
        .collect();
    let jobs: Vec<Value> = (0..jobs)
        .map(|j| {
            let open = (8.0 + (next() * 7.0).floor()) * H;
            json!({ "id": format!("j{j}"), "place": techs + j, "duration": 900.0 * (1.0 + (next() * 3.0).floor()),
                "windows": [[open, open + 2.0 * H]] })
        })
        .collect();
    json!({ "travel": { "euclidean": { "points": points } }, "technicians": technicians, "jobs": jobs })
}

fn solved(problem: &Value, iterations: u64) -> Value {
    let pb = wire::read_problem(&problem.to_string()).unwrap();
    let s = solve_iterations(&pb, 1, iterations);
    serde_json::to_value(wire::plan(&pb, &s)).unwrap()
}

#[test]
fn every_option_for_one_more_job_books_as_it_stands_and_costs_what_it_says() {
    let mut problem = day(4, 30, 5);
    let plan = solved(&problem, 300);
    // A new job arrives: an hour, this afternoon, somewhere in town.
    problem["travel"]["euclidean"]["points"]
        .as_array_mut()
        .unwrap()
        .push(json!([1200.0, 1300.0]));
    let place = problem["travel"]["euclidean"]["points"]
        .as_array()
        .unwrap()
        .len()
        - 1;
    problem["jobs"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "id": "new", "place": place,
        "duration": H, "windows": [[13.0 * H, 16.0 * H]] }));
    let text = problem.to_string();
    let options: Value =
        serde_json::from_str(&wire::placements(&text, Some(&plan.to_string()), "new", 5).unwrap())
            .unwrap();
    let options = options.as_array().unwrap();
    assert_eq!(options.len(), 5);
    assert!(options
        .windows(2)
        .all(|w| w[0]["cost"].as_f64() <= w[1]["cost"].as_f64()));
    let pb = wire::read_problem(&text).unwrap();
    let (routes, _) = wire::read_plan(&pb, &plan.to_string()).unwrap();
    let before = Solution::from_routes(&pb, &routes).unwrap();
    for o in options {
        // Put the job where the option says, and the plan still holds every rule.
        let mut booked = plan.clone();
        let r = booked["routes"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|r| r["technician"] == o["technician"] && r["shift"] == o["shift"])
            .unwrap();
        let at = o["position"].as_u64().unwrap() as usize;
        r["stops"]
            .as_array_mut()
            .unwrap()
            .insert(at, json!({ "job": "new", "start": o["start"] }));
        let (routes, _) = wire::read_plan(&pb, &booked.to_string()).unwrap();
        let after = Solution::from_routes(&pb, &routes).expect("an option books as it stands");
        let out = serde_json::to_value(wire::plan(&pb, &after)).unwrap();
        day::check(&problem, &out).unwrap();
        let start = out["routes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["stops"].as_array().unwrap())
            .find(|s| s["job"] == "new")
            .unwrap()["start"]
            .clone();
        assert_eq!(start, o["start"]);
        // The routes' cost, the job's leaving the left-out list aside.
        let routes = |s: &Solution| s.routes.iter().map(|r| r.score.cost).sum::<f64>();
        let gained = routes(&after) - routes(&before);
        assert!(
            (gained - o["cost"].as_f64().unwrap()).abs() < 1e-6,
            "{gained} vs {}",
            o["cost"]
        );
    }
    // A job already in the plan, or not in the problem, is refused by name.
    let placed = plan["routes"][0]["stops"][0]["job"].as_str().unwrap();
    assert!(wire::placements(&text, Some(&plan.to_string()), placed, 3)
        .unwrap_err()
        .contains("already"));
    assert!(wire::placements(&text, None, "nope", 3)
        .unwrap_err()
        .contains("no job nope"));
}

/// Visits (not breaks) of `old` that `new` gives another technician or moves by more than 15
/// minutes, or leaves out: counted here apart from the solver.
fn changed(old: &Value, new: &Value) -> usize {
    let at = |plan: &Value| -> Vec<(String, String, f64)> {
        plan["routes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| {
                r["stops"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|s| s["kind"] != "break")
                    .map(move |s| {
                        (
                            s["job"].as_str().unwrap().to_string(),
                            r["technician"].as_str().unwrap().to_string(),
                            s["start"].as_f64().unwrap(),
                        )
                    })
            })
            .collect()
    };
    let after = at(new);
    at(old)
        .iter()
        .filter(|(j, t, start)| {
            !after
                .iter()
                .any(|(j2, t2, s2)| j2 == j && t2 == t && (s2 - start).abs() <= 900.0)
        })
        .count()
}

#[test]
fn a_technician_going_home_sick_moves_only_their_visits() {
    let problem = day(5, 40, 11);
    let plan = solved(&problem, 400);
    // t2 goes home: the problem without them; a visit already under way stays (fixed).
    let mut sick = problem.clone();
    sick["technicians"]
        .as_array_mut()
        .unwrap()
        .retain(|t| t["id"] != "t2");
    let theirs = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["technician"] == "t2")
        .unwrap();
    let visits = theirs["stops"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "job")
        .count();
    let first = plan["routes"][0]["stops"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "job")
        .unwrap();
    let started = first["job"].as_str().unwrap().to_string();
    for j in sick["jobs"].as_array_mut().unwrap() {
        if j["id"] == started.as_str() {
            j["technician"] = plan["routes"][0]["technician"].clone();
            j["at"] = first["start"].clone();
            j["fixed"] = json!(true);
        }
    }
    let mut pb = wire::read_problem(&sick.to_string())
        .unwrap_or_else(|e| panic!("{e}: {first} {}", plan["routes"][0]));
    let (routes, was) = wire::read_plan(&pb, &plan.to_string()).unwrap();
    pb.set_baseline(&was);
    let mut solver = Solver::from_plan(pb.clone(), 3, Solution::keeping(&pb, &routes));
    for i in 0..3000 {
        solver.steps(i as f64 / 3000.0, 1);
    }
    let replanned = serde_json::to_value(wire::plan(&pb, &solver.finish())).unwrap();
    day::check(&sick, &replanned).unwrap();
    // The solver's count is the test's; t2's visits found other technicians; far fewer visits
    // changed than a plan from scratch changes.
    let n = changed(&plan, &replanned);
    assert_eq!(replanned["changed"].as_u64().unwrap() as usize, n);
    assert!(replanned["unassigned"].as_array().unwrap().is_empty());
    assert!(n >= visits, "t2's {visits} visits all changed technician");
    let scratch = solved(&sick, 300);
    let from_scratch = changed(&plan, &scratch);
    assert!(
        2 * n < from_scratch,
        "re-plan {n} against {from_scratch} from scratch"
    );
    // The visit under way has not moved.
    let kept = replanned["routes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["stops"].as_array().unwrap())
        .find(|s| s["job"] == started.as_str())
        .unwrap();
    assert_eq!(kept["start"], first["start"]);
}
