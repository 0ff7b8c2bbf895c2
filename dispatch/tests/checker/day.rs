//! An independent checker for dispatch plans, written apart from the solver: it reads the
//! problem and the plan as JSON (what a host sends and gets back), keeps its own clock along each
//! route, and says which hard rule a plan breaks, if any.

use serde_json::Value;

const EPS: f64 = 1e-6;

fn num(v: &Value) -> f64 {
    v.as_f64().expect("a number")
}

fn pair(v: &Value) -> (f64, f64) {
    (num(&v[0]), num(&v[1]))
}

struct Shift {
    time: (f64, f64),
    start: Option<usize>,
    end: Option<usize>,
    overtime: f64,
    breaks: Vec<((f64, f64), f64)>,
}

/// The technician's shifts as the problem gives them (`shift` or `shifts`).
fn shifts(t: &Value) -> Vec<Shift> {
    let place = |v: &Value| v.as_u64().map(|p| p as usize);
    let breaks = |v: &Value| -> Vec<((f64, f64), f64)> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|b| (pair(&b["window"]), num(&b["duration"])))
                    .collect()
            })
            .unwrap_or_default()
    };
    match t["shifts"].as_array() {
        Some(list) => list
            .iter()
            .map(|s| Shift {
                time: pair(&s["time"]),
                start: place(&s["start"]).or(place(&t["start"])),
                end: place(&s["end"]).or(place(&t["end"])),
                overtime: s["overtime"].as_f64().unwrap_or(0.0),
                breaks: breaks(&s["breaks"]),
            })
            .collect(),
        None => vec![Shift {
            time: pair(&t["shift"]),
            start: place(&t["start"]),
            end: place(&t["end"]),
            overtime: t["overtime"].as_f64().unwrap_or(0.0),
            breaks: breaks(&t["breaks"]),
        }],
    }
}

/// Travel time between places, from the problem's own description.
fn travel(pb: &Value, a: Option<usize>, b: Option<usize>) -> f64 {
    let (Some(a), Some(b)) = (a, b) else {
        return 0.0;
    };
    let t = &pb["travel"];
    if let Some(m) = t.get("matrix") {
        return num(&m["durations"][a][b]);
    }
    let p = &t["euclidean"]["points"];
    let (x1, y1) = pair(&p[a]);
    let (x2, y2) = pair(&p[b]);
    ((x1 - x2).powi(2) + (y1 - y2).powi(2)).sqrt()
}

/// What is wrong with `plan` for `pb`, or nothing.
pub fn check(pb: &Value, plan: &Value) -> Result<(), String> {
    let jobs = pb["jobs"].as_array().unwrap();
    let techs = pb["technicians"].as_array().unwrap();
    let job = |id: &str| jobs.iter().find(|j| j["id"] == id);
    // (technician, start, end) of each job done.
    let mut done: std::collections::BTreeMap<String, (String, f64, f64)> = Default::default();
    let mut breaks_seen = Vec::new();
    for r in plan["routes"].as_array().unwrap() {
        let tid = r["technician"].as_str().unwrap();
        let t = techs
            .iter()
            .find(|t| t["id"] == tid)
            .ok_or(format!("no technician {tid}"))?;
        let all = shifts(t);
        let k = r["shift"].as_u64().unwrap() as usize;
        let shift = all.get(k).ok_or(format!("{tid}: no shift {k}"))?;
        let (mut clock, mut at) = (shift.time.0, shift.start);
        let (mut driven, mut load) = (0.0, Vec::<f64>::new());
        for s in r["stops"].as_array().unwrap() {
            let id = s["job"].as_str().unwrap();
            let (start, arrival) = (num(&s["start"]), num(&s["arrival"]));
            if s["kind"] == "break" {
                // A break: where the technician is, inside one of the shift's break windows.
                let open = shift
                    .breaks
                    .iter()
                    .enumerate()
                    .find(|(b, (w, _))| {
                        !breaks_seen.contains(&(tid.to_string(), k, *b))
                            && w.0 - EPS <= start
                            && start <= w.1 + EPS
                    })
                    .ok_or(format!("{id}: a break outside its windows at {start}"))?;
                breaks_seen.push((tid.to_string(), k, open.0));
                if start < clock - EPS {
                    return Err(format!("{id}: starts at {start}, before {clock}"));
                }
                clock = start + (open.1).1;
                continue;
            }
            let j = job(id).ok_or(format!("no job {id}"))?;
            let place = Some(j["place"].as_u64().unwrap() as usize);
            let drive = travel(pb, at, place);
            driven += drive;
            if (arrival - (clock + drive)).abs() > EPS {
                return Err(format!(
                    "{id}: arrives at {arrival}, the clock says {}",
                    clock + drive
                ));
            }
            if start < arrival - EPS {
                return Err(format!("{id}: starts before it arrives"));
            }
            let windows: Vec<(f64, f64)> = match (&j["at"], j["windows"].as_array()) {
                (Value::Number(at), _) => vec![(at.as_f64().unwrap(), at.as_f64().unwrap())],
                (_, Some(w)) if !w.is_empty() => w.iter().map(pair).collect(),
                _ => vec![(f64::NEG_INFINITY, f64::INFINITY)],
            };
            if !windows
                .iter()
                .any(|w| w.0 - EPS <= start && start <= w.1 + EPS)
            {
                return Err(format!("{id}: starts at {start}, outside its windows"));
            }
            let duration = num(&j["duration"]);
            if let Some(d) = j["deadline"].as_f64() {
                if start + duration > d + EPS {
                    return Err(format!("{id}: ends after its deadline"));
                }
            }
            if let Some(p) = j["technician"].as_str() {
                if p != tid {
                    return Err(format!("{id}: pinned to {p}, done by {tid}"));
                }
            }
            if let Some(skills) = j["skills"].as_object() {
                for (name, level) in skills {
                    if t["skills"][name].as_u64().unwrap_or(0) < level.as_u64().unwrap() {
                        return Err(format!("{id}: {tid} lacks {name} at level {level}"));
                    }
                }
            }
            if let Some(demand) = j["demand"].as_array() {
                load.resize(demand.len().max(load.len()), 0.0);
                for (l, d) in load.iter_mut().zip(demand) {
                    *l += num(d);
                }
            }
            if done
                .insert(id.to_string(), (tid.to_string(), start, start + duration))
                .is_some()
            {
                return Err(format!("{id}: done twice"));
            }
            clock = start + duration;
            at = place;
        }
        let drive = travel(pb, at, shift.end);
        driven += drive;
        clock += drive;
        if clock > shift.time.1 + shift.overtime + EPS {
            return Err(format!(
                "{tid}: back at {clock}, past the shift and its overtime"
            ));
        }
        if let Some(max) = t["maxTravel"].as_f64() {
            if driven > max + EPS {
                return Err(format!("{tid}: drives {driven}, over {max}"));
            }
        }
        if let Some(cap) = t["capacity"].as_array() {
            if load.iter().zip(cap).any(|(l, c)| *l > num(c) + EPS) {
                return Err(format!("{tid}: carries more than the van"));
            }
        }
    }
    // Every break taken; every job done or left out, once; fixed stops and dependencies kept.
    for t in techs {
        for (k, s) in shifts(t).iter().enumerate() {
            for b in 0..s.breaks.len() {
                let tid = t["id"].as_str().unwrap().to_string();
                if !breaks_seen.contains(&(tid.clone(), k, b)) {
                    return Err(format!("{tid}: break {b} of shift {k} not taken"));
                }
            }
        }
    }
    let left: Vec<&str> = plan["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["job"].as_str().unwrap())
        .collect();
    for j in jobs {
        let id = j["id"].as_str().unwrap();
        match (done.get(id), left.contains(&id)) {
            (Some(_), true) | (None, false) => {
                return Err(format!("{id}: must be done or left out, once"))
            }
            (None, true) if j["fixed"] == true => {
                return Err(format!("{id}: a fixed stop left out"))
            }
            _ => {}
        }
        let Some((tech, start, _)) = done.get(id) else {
            continue;
        };
        for x in j["after"].as_array().into_iter().flatten() {
            match done.get(x.as_str().unwrap()) {
                Some((_, _, end)) if *end <= start + EPS => {}
                _ => return Err(format!("{id}: not after {x}")),
            }
        }
        for x in j["sameTechnicianAs"].as_array().into_iter().flatten() {
            match done.get(x.as_str().unwrap()) {
                Some((t, _, _)) if t == tech => {}
                _ => return Err(format!("{id}: not with the technician of {x}")),
            }
        }
    }
    Ok(())
}
