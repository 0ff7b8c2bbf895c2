//! The engine's layers import one way: each module may name only modules of its own layer or
//! below. A new import that points up fails here, naming the file and the module it reached for.
//! The few that remain from before the layering are listed with what removes them; one that is
//! gone must be struck from the list too, so the list only shrinks.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

/// Bottom first. A module of layer N may use any module of layers 0..=N.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "base: errors, sorting, id maps",
        &["error", "sort", "idmap"],
    ),
    (
        "time: instants, intervals, zones, recurrence",
        &["time", "intervals", "zone", "rrule", "native_tz"],
    ),
    ("json: the reader and writer", &["json"]),
    (
        "model: the trade's records and working time",
        &["model", "calendar"],
    ),
    (
        "state: stores, lanes, snapshot, change log",
        &["coordinator"],
    ),
    (
        "rules and commands: one booking's rules, slots, reasons",
        &["booking", "availability", "explain"],
    ),
    (
        "planning: alternatives, waitlist, repair, series",
        &["alternatives", "waitlist", "repair", "series"],
    ),
    ("io: the JSON boundary, iCalendar", &["dispatch", "ical"]),
    ("shells", &["wasm", "lib"]),
];

/// Upward imports left from before the layering, each with what removes it.
const OWED: &[(&str, &str, &str)] = &[(
    "coordinator",
    "repair",
    "plans are kept in the schedule state (issue 11, item 4: plans kept outside it)",
)];

fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
        .unwrap_or_else(|| panic!("src/{module}.rs is in no layer: add it to LAYERS"))
}

/// Every `crate::<module>` a source file names (in `use` lines and in paths alike).
fn imports(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let name: String = text[i + 7..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    // `use crate::{a, b::c}` names several at once.
    for (i, _) in text.match_indices("crate::{") {
        let list = &text[i + 8..i + 8 + text[i + 8..].find('}').unwrap_or(0)];
        for part in list.split(',') {
            let name = part.trim().split("::").next().unwrap_or("").trim();
            if !name.is_empty() {
                out.insert(name.to_string());
            }
        }
    }
    out
}

#[test]
fn every_import_points_down_or_across() {
    let mut upward = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir("src")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    for path in files {
        let module = path.file_stem().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        for used in imports(&text) {
            if used == module || used == "self" {
                continue;
            }
            if layer(&used) > layer(&module) {
                upward.push((module.clone(), used));
            }
        }
    }
    let owed: Vec<(String, String)> = OWED
        .iter()
        .map(|(a, b, _)| (a.to_string(), b.to_string()))
        .collect();
    let new: Vec<String> = upward
        .iter()
        .filter(|e| !owed.contains(e))
        .map(|(a, b)| {
            format!(
                "src/{a}.rs ({}) imports `{b}` ({})",
                LAYERS[layer(a)].0,
                LAYERS[layer(b)].0
            )
        })
        .collect();
    assert!(
        new.is_empty(),
        "imports that point up a layer:\n  {}",
        new.join("\n  ")
    );
    let paid: Vec<String> = owed
        .iter()
        .filter(|e| !upward.contains(e))
        .map(|(a, b)| format!("{a} -> {b}"))
        .collect();
    assert!(
        paid.is_empty(),
        "no longer imported; strike from OWED: {}",
        paid.join(", ")
    );
}

#[test]
fn the_scan_sees_both_forms_of_import() {
    let found =
        imports("use crate::{json::Fields, model::*};\nlet t = crate::time::format_utc(0);");
    assert_eq!(
        found,
        ["json", "model", "time"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
}
