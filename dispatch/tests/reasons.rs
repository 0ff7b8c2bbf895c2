//! Every reason given for a job left out is true: lift it, and the job is placed.

use service_dispatch::reasons::{reasons, Reason};
use service_dispatch::{solve_iterations, Job, Problem, Travel, Vehicle, Window};

/// A depot at 0 and jobs along a line: place `i` is `i` units east (one unit of time away).
fn problem(jobs: Vec<Job>, vehicles: Vec<Vehicle>) -> Problem {
    let points: Vec<(f64, f64)> = (0..10).map(|i| (i as f64, 0.0)).collect();
    Problem::new(jobs, vehicles, Travel::euclidean(&points)).unwrap()
}

fn job(id: &str, place: usize, window: (f64, f64), demand: i64, skills: Vec<(usize, u8)>) -> Job {
    Job {
        windows: vec![Window {
            start: window.0,
            end: window.1,
        }],
        demand: vec![demand],
        skills,
        ..Job::new(id, place, 5.0)
    }
}

fn tech(id: &str, shift: (f64, f64), capacity: i64, gas: u8) -> Vehicle {
    let shift = Window {
        start: shift.0,
        end: shift.1,
    };
    Vehicle {
        capacity: vec![capacity],
        skills: vec![gas],
        ..Vehicle::new(id, Some(0), shift)
    }
}

/// The reasons for each job left out, by id.
fn left_out(pb: &Problem) -> Vec<(String, Vec<Reason>)> {
    let s = solve_iterations(pb, 1, 200);
    s.unassigned
        .iter()
        .map(|&j| (pb.jobs[j as usize].id.clone(), reasons(pb, &s, j as usize)))
        .collect()
}

#[test]
fn a_missing_skill_is_the_reason_and_giving_it_places_the_job() {
    let furnace = job("furnace", 3, (0.0, 100.0), 1, vec![(0, 2)]);
    let pb = problem(vec![furnace.clone()], vec![tech("ana", (0.0, 100.0), 5, 1)]);
    assert_eq!(
        left_out(&pb),
        vec![("furnace".into(), vec![Reason::SkillMissing])]
    );
    let pb = problem(vec![furnace], vec![tech("ana", (0.0, 100.0), 5, 2)]);
    assert!(left_out(&pb).is_empty());
}

#[test]
fn too_much_to_carry_is_the_reason_and_a_larger_van_places_the_job() {
    let boiler = job("boiler", 2, (0.0, 100.0), 5, vec![]);
    let pb = problem(vec![boiler.clone()], vec![tech("ben", (0.0, 100.0), 3, 0)]);
    assert_eq!(
        left_out(&pb),
        vec![("boiler".into(), vec![Reason::Capacity])]
    );
    let pb = problem(vec![boiler], vec![tech("ben", (0.0, 100.0), 5, 0)]);
    assert!(left_out(&pb).is_empty());
}

#[test]
fn a_window_after_the_shift_is_the_reason_and_a_longer_shift_places_the_job() {
    // The window opens at 100; the shift ends at 50.
    let late = job("late", 4, (100.0, 110.0), 1, vec![]);
    let pb = problem(vec![late.clone()], vec![tech("cy", (0.0, 50.0), 5, 0)]);
    assert_eq!(
        left_out(&pb),
        vec![("late".into(), vec![Reason::OutsideShift])]
    );
    let pb = problem(vec![late], vec![tech("cy", (0.0, 200.0), 5, 0)]);
    assert!(left_out(&pb).is_empty());
}

#[test]
fn a_day_already_taken_is_the_reason_and_a_second_technician_places_the_job() {
    // Two jobs at one place that must both start at 10, five minutes each.
    let (a, b) = (
        job("a", 5, (10.0, 10.0), 1, vec![]),
        job("b", 5, (10.0, 10.0), 1, vec![]),
    );
    let pb = problem(
        vec![a.clone(), b.clone()],
        vec![tech("dee", (0.0, 100.0), 5, 0)],
    );
    let out = left_out(&pb);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].1, vec![Reason::NoWindowFits]);
    let pb = problem(
        vec![a, b],
        vec![
            tech("dee", (0.0, 100.0), 5, 0),
            tech("eli", (0.0, 100.0), 5, 0),
        ],
    );
    assert!(left_out(&pb).is_empty());
}

#[test]
fn each_technician_contributes_its_own_reason() {
    // Fay lacks nothing but her van is small; Gus's shift is over before the window.
    let pump = job("pump", 6, (60.0, 70.0), 4, vec![]);
    let pb = problem(
        vec![pump],
        vec![
            tech("fay", (0.0, 100.0), 2, 0),
            tech("gus", (0.0, 30.0), 9, 0),
        ],
    );
    assert_eq!(
        left_out(&pb),
        vec![("pump".into(), vec![Reason::Capacity, Reason::OutsideShift])]
    );
}

#[test]
fn driving_past_the_limit_is_the_reason_and_a_longer_limit_places_the_job() {
    // Place 9 is 9 units out: 18 there and back.
    let far = job("far", 9, (0.0, 100.0), 1, vec![]);
    let limited = |max| Vehicle {
        max_travel: Some(max),
        ..tech("hal", (0.0, 100.0), 5, 0)
    };
    let pb = problem(vec![far.clone()], vec![limited(10.0)]);
    assert_eq!(
        left_out(&pb),
        vec![("far".into(), vec![Reason::TravelLimit])]
    );
    let pb = problem(vec![far], vec![limited(18.0)]);
    assert!(left_out(&pb).is_empty());
}

#[test]
fn when_not_every_job_fits_the_higher_priority_is_placed() {
    // Both must start at 10 at one place; only one technician.
    let routine = job("routine", 5, (10.0, 10.0), 1, vec![]);
    let urgent = Job {
        priority: 3,
        ..job("urgent", 5, (10.0, 10.0), 1, vec![])
    };
    for jobs in [vec![routine.clone(), urgent.clone()], vec![urgent, routine]] {
        let pb = problem(jobs, vec![tech("ivy", (0.0, 100.0), 5, 0)]);
        assert_eq!(
            left_out(&pb),
            vec![("routine".into(), vec![Reason::NoWindowFits])]
        );
    }
}
