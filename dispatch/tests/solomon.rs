//! The solver on Solomon's VRPTW instances: every plan is checked by the independent checker
//! (`checker.rs`), and a short search already reaches the best-known plans of easy instances.
//! The full benchmark (all 56, timed, with vrp-core beside it) is `./dev bench`.

mod checker;

use checker::Instance;
use service_dispatch::{solve_iterations, Problem, Solution};

fn instance(name: &str) -> String {
    std::fs::read_to_string(format!("../../shared/data/solomon/{name}.txt"))
        .or_else(|_| std::fs::read_to_string(format!("../shared/data/solomon/{name}.txt")))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Routes as customer numbers (the job ids of a Solomon problem).
fn routes(pb: &Problem, s: &Solution) -> Vec<Vec<usize>> {
    s.routes
        .iter()
        .map(|r| {
            r.jobs
                .iter()
                .map(|&j| pb.jobs[j as usize].id.parse().unwrap())
                .collect()
        })
        .collect()
}

#[test]
fn every_plan_on_a_sample_of_instances_passes_the_independent_checker() {
    // One of each family: clustered, random, mixed; short and long routes.
    for name in ["C101", "C208", "R105", "R211", "RC103", "RC206"] {
        let text = instance(name);
        let pb = Problem::solomon(&text).unwrap();
        let s = solve_iterations(&pb, 7, 2_000);
        assert!(s.unassigned.is_empty(), "{name}: jobs left out");
        let distance = Instance::read(&text)
            .check(&routes(&pb, &s))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            (distance - s.distance()).abs() < 1e-6,
            "{name}: the solver's distance is not the checker's"
        );
    }
}

#[test]
fn c101_reaches_its_best_known_plan() {
    let pb = Problem::solomon(&instance("C101")).unwrap();
    let s = solve_iterations(&pb, 1, 3_000);
    assert_eq!(s.vehicles(), 10);
    assert!((s.distance() - 828.94).abs() < 0.01, "{}", s.distance());
}

#[test]
fn a_seed_and_an_iteration_count_give_one_answer() {
    let pb = Problem::solomon(&instance("R101")).unwrap();
    let a = solve_iterations(&pb, 42, 500);
    let b = solve_iterations(&pb, 42, 500);
    assert_eq!(routes(&pb, &a), routes(&pb, &b));
}

/// jsprit's skills variant of C101: customers with y >= 50 need skill 1, the others skill 2, one
/// kind of vehicle per skill. The skills split the plan the way the best-known plan already is.
#[test]
fn the_skills_variant_of_c101_reaches_828_94() {
    let text = instance("C101");
    let plain = Problem::solomon(&text).unwrap();
    let points: Vec<(f64, f64)> = Instance::read(&text)
        .customers
        .iter()
        .map(|c| (c[0], c[1]))
        .collect();
    let jobs = plain
        .jobs
        .iter()
        .map(|j| service_dispatch::Job {
            skills: vec![(
                if points[j.place.unwrap()].1 >= 50.0 {
                    0
                } else {
                    1
                },
                1,
            )],
            ..j.clone()
        })
        .collect();
    let vehicles = (0..2)
        .flat_map(|skill| {
            plain
                .vehicles
                .iter()
                .map(move |v| service_dispatch::Vehicle {
                    id: format!("{}-skill{}", v.id, skill + 1),
                    skills: if skill == 0 { vec![1, 0] } else { vec![0, 1] },
                    ..v.clone()
                })
        })
        .collect();
    let mut pb = Problem::new(jobs, vehicles, plain.travel.clone()).unwrap();
    pb.objective = service_dispatch::Objective::Hierarchical;
    let s = solve_iterations(&pb, 1, 5_000);
    for r in &s.routes {
        for &j in &r.jobs {
            assert!(
                pb.can(j as usize, r.vehicle),
                "job {} on a vehicle without its skill",
                pb.jobs[j as usize].id
            );
        }
    }
    assert!(s.unassigned.is_empty());
    assert!((s.distance() - 828.94).abs() < 0.01, "{}", s.distance());
}
