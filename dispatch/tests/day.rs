//! A coordinator's day: breaks, several shifts, overtime, SLA deadlines, pinned and preferred
//! technicians, dependencies, fixed stops and the weighted objective, each read from JSON as a
//! host sends it. Every plan here passes the independent checker (`checker/day.rs`).

#[path = "checker/day.rs"]
mod day;

use serde_json::{json, Value};
use service_dispatch::{solve_iterations, wire, Solver};

const H: f64 = 3600.0;

/// Places along a road, `minutes` of driving each from the depot at 0 (one unit = 1 s, 1 m).
fn road(minutes: &[f64]) -> Value {
    let points: Vec<[f64; 2]> = minutes.iter().map(|m| [m * 60.0, 0.0]).collect();
    json!({ "euclidean": { "points": points } })
}

/// Solves (fixed seed and iterations), checks the plan, and returns it.
fn solve(problem: &Value) -> Value {
    let pb = wire::read_problem(&problem.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let s = solve_iterations(&pb, 1, 300);
    let plan = serde_json::to_value(wire::plan(&pb, &s)).unwrap();
    day::check(problem, &plan).unwrap_or_else(|e| panic!("{e}\n{plan:#}"));
    plan
}

fn stop<'a>(plan: &'a Value, job: &str) -> Option<(&'a Value, &'a Value)> {
    plan["routes"].as_array().unwrap().iter().find_map(|r| {
        r["stops"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["job"] == job)
            .map(|s| (r, s))
    })
}

fn reasons(plan: &Value, job: &str) -> Vec<String> {
    plan["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["job"] == job)
        .map(|u| {
            u["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn lunch_floats_inside_its_window_between_the_jobs() {
    let jobs: Vec<Value> = (1..=4)
        .map(|i| json!({ "id": format!("service{i}"), "place": i, "duration": 2.0 * H }))
        .collect();
    let plan = solve(&json!({
        "travel": road(&[0.0, 10.0, 15.0, 20.0, 25.0]),
        "technicians": [{ "id": "ana", "start": 0, "end": 0, "shift": [8.0 * H, 18.0 * H],
            "breaks": [{ "window": [12.0 * H, 13.0 * H], "duration": 1800 }] }],
        "jobs": jobs,
    }));
    let (route, lunch) = stop(&plan, "ana#1.break1").expect("the break is in the plan");
    assert_eq!(lunch["kind"], "break");
    let start = lunch["start"].as_f64().unwrap();
    assert!((12.0 * H..=13.0 * H).contains(&start), "lunch at {start}");
    assert_eq!(route["stops"].as_array().unwrap().len(), 5);
    assert!(plan["unassigned"].as_array().unwrap().is_empty());
}

#[test]
fn a_split_shift_serves_the_morning_and_the_evening() {
    let plan = solve(&json!({
        "travel": road(&[0.0, 20.0, 30.0]),
        "technicians": [{ "id": "ana", "start": 0, "end": 0, "shifts": [
            { "time": [8.0 * H, 12.0 * H] }, { "time": [17.0 * H, 21.0 * H] }] }],
        "jobs": [
            { "id": "morning", "place": 1, "duration": H, "windows": [[9.0 * H, 10.0 * H]] },
            { "id": "evening", "place": 2, "duration": H, "windows": [[18.0 * H, 19.0 * H]] },
        ],
    }));
    assert_eq!(stop(&plan, "morning").unwrap().0["shift"], 0);
    assert_eq!(stop(&plan, "evening").unwrap().0["shift"], 1);
}

#[test]
fn overtime_allowed_places_a_late_job_and_is_costed() {
    let problem = |overtime: f64| {
        json!({
            "travel": road(&[0.0, 30.0]),
            "technicians": [{ "id": "ana", "start": 0, "end": 0, "shift": [8.0 * H, 16.0 * H],
                "overtime": overtime }],
            "jobs": [{ "id": "late", "place": 1, "duration": 2.0 * H, "windows": [[15.0 * H, 15.0 * H]] }],
        })
    };
    let plan = solve(&problem(0.0));
    assert_eq!(reasons(&plan, "late"), ["OUTSIDE_SHIFT"]);
    let plan = solve(&problem(2.0 * H));
    let (route, _) = stop(&plan, "late").unwrap();
    // Back at 17:30: 90 minutes over, at 90 an hour.
    assert_eq!(route["overtime"], 1.5 * H);
    assert!((route["costs"]["overtime"].as_f64().unwrap() - 135.0).abs() < 1e-9);
}

#[test]
fn an_sla_deadline_is_met_or_the_job_is_left_out_saying_why() {
    // 30 minutes away, an hour on site, the shift from 8:00: done by 9:30 at the earliest.
    let problem = |deadline: f64| {
        json!({
            "travel": road(&[0.0, 30.0]),
            "technicians": [{ "id": "ana", "start": 0, "end": 0, "shift": [8.0 * H, 16.0 * H] }],
            "jobs": [{ "id": "outage", "place": 1, "duration": H, "deadline": deadline }],
        })
    };
    assert_eq!(
        reasons(&solve(&problem(9.0 * H)), "outage"),
        ["OUTSIDE_SHIFT"]
    );
    let plan = solve(&problem(9.5 * H));
    assert_eq!(stop(&plan, "outage").unwrap().1["start"], 8.5 * H);
}

#[test]
fn pinned_technician_and_time_hold_and_a_preference_is_weighed() {
    // Ana lives by the jobs; Ben 10 minutes further out.
    let problem = |preferred_weight: f64| {
        json!({
            "travel": road(&[0.0, 10.0, 12.0, 14.0]),
            "technicians": [
                { "id": "ana", "start": 1, "end": 1, "shift": [8.0 * H, 17.0 * H] },
                { "id": "ben", "start": 0, "end": 0, "shift": [8.0 * H, 17.0 * H] }],
            "jobs": [
                { "id": "pinned", "place": 2, "duration": H, "technician": "ben" },
                { "id": "at-ten", "place": 3, "duration": H, "at": 10.0 * H },
                { "id": "regular", "place": 2, "duration": H, "preferredTechnician": "ben" }],
            "weights": { "preferred": preferred_weight },
        })
    };
    let plan = solve(&problem(50.0));
    assert_eq!(stop(&plan, "pinned").unwrap().0["technician"], "ben");
    assert_eq!(stop(&plan, "at-ten").unwrap().1["start"], 10.0 * H);
    assert_eq!(stop(&plan, "regular").unwrap().0["technician"], "ben");
    // Without the weight, the nearer technician takes it.
    let plan = solve(&problem(0.0));
    assert_eq!(stop(&plan, "regular").unwrap().0["technician"], "ana");
}

#[test]
fn the_install_follows_the_delivery_and_the_second_visit_keeps_its_technician() {
    let problem = |delivery_skill: &str| {
        json!({
            "travel": road(&[0.0, 10.0, 40.0, 15.0]),
            "technicians": [
                { "id": "ana", "start": 0, "end": 0, "shift": [8.0 * H, 17.0 * H], "skills": { "van": 1 } },
                { "id": "ben", "start": 0, "end": 0, "shift": [8.0 * H, 17.0 * H] }],
            "jobs": [
                { "id": "delivery", "place": 2, "duration": H, "skills": { delivery_skill: 1 } },
                { "id": "install", "place": 1, "duration": 2.0 * H, "after": ["delivery"] },
                { "id": "survey", "place": 3, "duration": H },
                { "id": "second-visit", "place": 3, "duration": H, "after": ["survey"],
                  "sameTechnicianAs": ["survey"] }],
        })
    };
    let plan = solve(&problem("van"));
    let delivered = stop(&plan, "delivery").unwrap().1;
    let install = stop(&plan, "install").unwrap().1;
    assert!(install["start"].as_f64() >= Some(delivered["start"].as_f64().unwrap() + H));
    assert_eq!(
        stop(&plan, "survey").unwrap().0["technician"],
        stop(&plan, "second-visit").unwrap().0["technician"]
    );
    // Nobody can deliver: the install says it waits on a dependency.
    let plan = solve(&problem("crane"));
    assert_eq!(reasons(&plan, "delivery"), ["SKILL_MISSING"]);
    assert_eq!(reasons(&plan, "install"), ["DEPENDENCY"]);
}

#[test]
fn an_existing_booking_stays_where_it_is_and_the_day_goes_round_it() {
    let plan = solve(&json!({
        "travel": road(&[0.0, 10.0, 20.0, 30.0]),
        "technicians": [{ "id": "ana", "start": 0, "end": 0, "shift": [8.0 * H, 14.0 * H] }],
        "jobs": [
            { "id": "booked", "place": 3, "duration": H, "technician": "ana", "at": 10.0 * H, "fixed": true },
            { "id": "a", "place": 1, "duration": H },
            { "id": "b", "place": 2, "duration": H },
            { "id": "c", "place": 2, "duration": H }],
    }));
    let (_, booked) = stop(&plan, "booked").unwrap();
    assert_eq!(booked["kind"], "fixed");
    assert_eq!(booked["start"], 10.0 * H);
    assert!(plan["unassigned"].as_array().unwrap().is_empty());
}

#[test]
fn the_cheaper_technician_per_kilometre_does_the_driving() {
    let plan = solve(&json!({
        "travel": road(&[0.0, 30.0, 35.0]),
        "technicians": [
            { "id": "dear", "start": 0, "end": 0, "shift": [8.0 * H, 17.0 * H], "costPerKm": 2.0 },
            { "id": "cheap", "start": 0, "end": 0, "shift": [8.0 * H, 17.0 * H], "costPerKm": 0.5 }],
        "jobs": [{ "id": "a", "place": 1, "duration": H }, { "id": "b", "place": 2, "duration": H }],
        "weights": { "balance": 0 },
    }));
    assert_eq!(plan["routes"].as_array().unwrap().len(), 1);
    assert_eq!(plan["routes"][0]["technician"], "cheap");
}

#[test]
fn balance_shares_the_day_and_without_it_one_technician_does_all() {
    let problem = |balance: f64| {
        json!({
            "travel": road(&[0.0, 5.0, 6.0, 7.0, 8.0]),
            "technicians": [
                { "id": "ana", "start": 0, "end": 0, "shift": [8.0 * H, 17.0 * H] },
                { "id": "ben", "start": 0, "end": 0, "shift": [8.0 * H, 17.0 * H] }],
            "jobs": (1..=4).map(|i| json!({ "id": format!("j{i}"), "place": i, "duration": H })).collect::<Vec<_>>(),
            "weights": { "balance": balance },
        })
    };
    let stops = |plan: &Value| -> Vec<usize> {
        plan["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["stops"].as_array().unwrap().len())
            .collect()
    };
    assert_eq!(stops(&solve(&problem(0.0))), [4]);
    assert_eq!(stops(&solve(&problem(20.0))), [2, 2]);
}

#[test]
fn a_preferred_afternoon_is_kept_by_waiting_when_the_day_allows() {
    let plan = solve(&json!({
        "travel": road(&[0.0, 10.0]),
        "technicians": [{ "id": "ana", "start": 0, "end": 0, "shift": [8.0 * H, 17.0 * H] }],
        "jobs": [{ "id": "visit", "place": 1, "duration": H, "preferred": [14.0 * H, 15.0 * H] }],
    }));
    let (route, visit) = stop(&plan, "visit").unwrap();
    assert_eq!(visit["start"], 14.0 * H);
    assert_eq!(route["lateness"], 0.0);
    // She leaves home just in time.
    assert_eq!(route["start"], 14.0 * H - 600.0);
}

#[test]
fn mistakes_in_the_problem_are_named() {
    let base = json!({
        "travel": road(&[0.0, 10.0]),
        "technicians": [{ "id": "ana", "start": 0, "end": 0, "shift": [8.0 * H, 17.0 * H] }],
        "jobs": [{ "id": "a", "place": 1, "duration": H }, { "id": "b", "place": 1, "duration": H }],
    });
    let with = |f: &dyn Fn(&mut Value)| {
        let mut p = base.clone();
        f(&mut p);
        wire::read_problem(&p.to_string()).unwrap_err()
    };
    assert!(with(&|p| p["jobs"][0]["technician"] = json!("zed")).contains("no technician zed"));
    assert!(with(&|p| {
        p["jobs"][0]["after"] = json!(["b"]);
        p["jobs"][1]["after"] = json!(["a"]);
    })
    .contains("circle"));
    assert!(with(&|p| p["jobs"][0]["after"] = json!(["nope"])).contains("no job nope"));
    assert!(with(&|p| p["jobs"][0]["fixed"] = json!(true)).contains("technician and time"));
    assert!(with(&|p| {
        p["jobs"][0]["fixed"] = json!(true);
        p["jobs"][0]["technician"] = json!("ana");
        p["jobs"][0]["at"] = json!(20.0 * H);
    })
    .contains("outside every shift"));
    assert!(with(&|p| {
        p["jobs"][0]["windows"] = json!([[9.0 * H, 10.0 * H]]);
        p["jobs"][0]["at"] = json!(11.0 * H);
    })
    .contains("outside its windows"));
    assert!(with(&|p| p["weights"] = json!({ "travel": -1 })).contains("weights"));
    assert!(
        with(&|p| p["technicians"][0]["shifts"] = json!([{ "time": [0, 1] }])).contains("either")
    );
}

#[test]
fn asking_for_the_plan_while_the_search_runs_changes_no_plan() {
    let problem = json!({
        "travel": road(&[0.0, 10.0, 20.0, 30.0, 40.0, 50.0]),
        "technicians": [{ "id": "ana", "start": 0, "end": 0, "shift": [8.0 * H, 17.0 * H] },
                        { "id": "ben", "start": 0, "end": 0, "shift": [8.0 * H, 17.0 * H] }],
        "jobs": (1..=5).map(|i| json!({ "id": format!("j{i}"), "place": i, "duration": H })).collect::<Vec<_>>(),
    });
    let pb = wire::read_problem(&problem.to_string()).unwrap();
    let run = |peek: bool| {
        let mut solver = Solver::new(pb.clone(), 9);
        for i in 0..200 {
            solver.steps(i as f64 / 200.0, 1);
            if peek && i % 10 == 0 {
                solver.finish();
            }
        }
        serde_json::to_string(&wire::plan(&pb, &solver.finish())).unwrap()
    };
    assert_eq!(run(false), run(true));
}

/// The checker is not a formality: a plan tampered with is refused, rule by rule.
#[test]
fn the_checker_refuses_a_plan_that_breaks_a_rule() {
    let problem = json!({
        "travel": road(&[0.0, 10.0, 20.0]),
        "technicians": [{ "id": "ana", "start": 0, "end": 0, "shift": [8.0 * H, 17.0 * H],
            "breaks": [{ "window": [12.0 * H, 13.0 * H], "duration": 1800 }] }],
        "jobs": [
            { "id": "a", "place": 1, "duration": H, "windows": [[9.0 * H, 10.0 * H]] },
            { "id": "b", "place": 2, "duration": H, "after": ["a"] }],
    });
    let plan = solve(&problem);
    let tampered = |f: &dyn Fn(&mut Value)| {
        let mut p = plan.clone();
        f(&mut p);
        day::check(&problem, &p).unwrap_err()
    };
    let at = |p: &Value, job: &str| -> usize {
        let stops = p["routes"][0]["stops"].as_array().unwrap();
        stops.iter().position(|s| s["job"] == job).unwrap()
    };
    let late = tampered(&|p| {
        let i = at(p, "a");
        p["routes"][0]["stops"][i]["start"] = json!(11.0 * H);
    });
    assert!(late.contains("outside its windows"), "{late}");
    let no_lunch = tampered(&|p| {
        let i = at(p, "ana#1.break1");
        p["routes"][0]["stops"].as_array_mut().unwrap().remove(i);
    });
    assert!(no_lunch.contains("not taken"), "{no_lunch}");
    let lost = tampered(&|p| p["unassigned"] = json!([{ "job": "a", "reasons": [] }]));
    assert!(lost.contains("once"), "{lost}");
}

/// A small random number generator of the test's own (not the solver's).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() * n as f64) as usize
    }
}

/// Random days with every kind of rule: no plan breaks a hard one, by the checker.
#[test]
fn random_days_with_every_rule_never_break_a_hard_one() {
    let mut rng = Lcg(7);
    for case in 0..40 {
        let places = 12;
        let points: Vec<[f64; 2]> = (0..places)
            .map(|_| [rng.next() * 3600.0, rng.next() * 3600.0])
            .collect();
        let mut technicians = Vec::new();
        for t in 0..3 {
            let mut tech = json!({ "id": format!("t{t}"), "start": t, "end": t,
                "capacity": [3 + rng.below(4) as i64], "skills": { "gas": rng.below(3) },
                "costPerHour": 20 * rng.below(3), "costPerKm": rng.below(2) });
            if rng.below(2) == 0 {
                tech["shifts"] = json!([
                    { "time": [7.0 * H, 12.0 * H], "overtime": 1800 },
                    { "time": [13.0 * H, 18.0 * H],
                      "breaks": [{ "window": [14.0 * H, 16.0 * H], "duration": 900 }] }]);
            } else {
                tech["shift"] = json!([8.0 * H, 17.0 * H]);
                tech["breaks"] = json!([{ "window": [11.5 * H, 13.5 * H], "duration": 1800 }]);
                if rng.below(2) == 0 {
                    tech["maxTravel"] = json!(3.0 * H);
                }
            }
            technicians.push(tech);
        }
        let mut jobs = Vec::new();
        for j in 0..20 {
            let mut job = json!({ "id": format!("j{j}"), "place": 3 + rng.below(places - 3),
                "duration": 900.0 * (1 + rng.below(6)) as f64, "demand": [rng.below(2)],
                "priority": rng.below(3) });
            let open = 7.0 * H + rng.next() * 9.0 * H;
            match rng.below(6) {
                0 => job["windows"] = json!([[open, open + 2.0 * H]]),
                1 => job["windows"] = json!([[8.0 * H, 10.0 * H], [14.0 * H, 16.0 * H]]),
                2 => job["preferred"] = json!([open, open + H]),
                3 => job["deadline"] = json!(open + 3.0 * H),
                _ => {}
            }
            match rng.below(8) {
                0 => job["skills"] = json!({ "gas": 1 + rng.below(2) }),
                1 => job["technician"] = json!(format!("t{}", rng.below(3))),
                2 => job["preferredTechnician"] = json!(format!("t{}", rng.below(3))),
                3 if j > 0 => job["after"] = json!([format!("j{}", rng.below(j))]),
                4 if j > 0 => job["sameTechnicianAs"] = json!([format!("j{}", rng.below(j))]),
                _ => {}
            }
            jobs.push(job);
        }
        // An existing booking for t0, at 9:00 on a shift t0 surely has.
        jobs.push(
            json!({ "id": "booked", "place": 3, "duration": 1800, "technician": "t0",
            "at": 9.0 * H, "fixed": true }),
        );
        technicians[0]["shift"] = json!([8.0 * H, 17.0 * H]);
        if let Some(t) = technicians[0].as_object_mut() {
            t.remove("shifts");
        }
        technicians[0]["breaks"] = json!([{ "window": [11.5 * H, 13.5 * H], "duration": 1800 }]);
        let problem = json!({ "travel": { "euclidean": { "points": points } },
            "technicians": technicians, "jobs": jobs });
        let pb =
            wire::read_problem(&problem.to_string()).unwrap_or_else(|e| panic!("case {case}: {e}"));
        let s = solve_iterations(&pb, case, 200);
        let plan = serde_json::to_value(wire::plan(&pb, &s)).unwrap();
        day::check(&problem, &plan)
            .unwrap_or_else(|e| panic!("case {case}: {e}\n{problem}\n{plan:#}"));
    }
}

/// A day nobody works: every job is left out with its reason, and nothing panics.
#[test]
fn a_day_without_technicians_leaves_every_job_out() {
    let pb = service_dispatch::wire::read_problem(
        r#"{"travel": {"euclidean": {"points": [[0, 0], [1, 1]]}}, "technicians": [],
            "jobs": [{"id": "fix", "place": 1, "duration": 60}]}"#,
    )
    .unwrap();
    let s = service_dispatch::solve_iterations(&pb, 1, 50);
    let plan = service_dispatch::wire::plan(&pb, &s);
    assert!(plan.routes.is_empty());
    assert_eq!(plan.unassigned.len(), 1);
    let text = service_dispatch::wire::placements(
        r#"{"travel": {"euclidean": {"points": [[0, 0], [1, 1]]}}, "technicians": [],
            "jobs": [{"id": "fix", "place": 1, "duration": 60}]}"#,
        None,
        "fix",
        3,
    )
    .unwrap();
    assert_eq!(text, "[]");
}
