//! Solves Solomon instances natively with a time budget and prints the gap to best-known:
//! `cargo run --release -p service-dispatch --example solomon -- SECONDS [INSTANCE...]`.
use service_dispatch::{solve, Problem};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // A budget in seconds, or in iterations with a `k` suffix (thousands; deterministic).
    let budget = args.first().cloned().unwrap_or_else(|| "1".into());
    let iterations: Option<u64> = budget
        .strip_suffix('k')
        .and_then(|k| k.parse::<u64>().ok())
        .map(|k| k * 1000);
    let seconds: f64 = budget.parse().unwrap_or(1.0);
    let dir = "../shared/data/solomon";
    let known = std::fs::read_to_string(format!("{dir}/best_known.csv")).expect("best_known.csv");
    let mut gaps = Vec::new();
    let mut all_iterations = 0u64;
    for line in known.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (name, bk_v, bk_d): (&str, usize, f64) =
            (f[0], f[7].parse().unwrap(), f[8].parse().unwrap());
        if args.len() > 1 && !args[1..].iter().any(|a| name.starts_with(a.as_str())) {
            continue;
        }
        let pb = Problem::solomon(&std::fs::read_to_string(format!("{dir}/{name}.txt")).unwrap())
            .unwrap();
        let t = Instant::now();
        let iterations_budget = iterations;
        let mut iterations = 0;
        let s = solve(&pb, 1, &mut |p| {
            iterations = p.iteration;
            let f = match iterations_budget {
                Some(n) => p.iteration as f64 / n as f64,
                None => t.elapsed().as_secs_f64() / seconds,
            };
            (f < 1.0).then_some(f)
        });
        let gap = (s.distance() / bk_d - 1.0) * 100.0;
        all_iterations += iterations;
        gaps.push(gap);
        println!(
            "{name}: {} vehicles (best known {bk_v}), distance {:.2} (best known {bk_d}), gap {gap:+.2}%, left out {}, {iterations} iterations",
            s.vehicles(),
            s.distance(),
            s.unassigned.len()
        );
    }
    println!(
        "mean gap {:+.2}% over {}, mean iterations {}",
        gaps.iter().sum::<f64>() / gaps.len() as f64,
        gaps.len(),
        all_iterations / gaps.len().max(1) as u64
    );
}
