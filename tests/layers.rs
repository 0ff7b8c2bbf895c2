//! The engine's layers import one way: each folder of `src/` is a layer, and a file may name
//! only its own layer or those below. A new import that points up fails here, naming the file and the module it reached for.
//! An upward import owed for a while is listed with what removes it; one that is gone must be
//! struck from the list too, so the list only shrinks.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

/// Bottom first: each layer a folder of `src/` (or one file), naming what it holds. A module of
/// layer N may use any module of layers 0..=N.
const LAYERS: &[(&str, &str)] = &[
    ("base", "errors, sorting, id maps"),
    ("time", "instants, intervals, zones, recurrence"),
    ("json", "the JSON reader and writer"),
    ("model", "the trade's records and working time"),
    ("state", "stores, lanes, snapshot, change log"),
    (
        "rules",
        "one booking's rules, the writes through them, slots, reasons",
    ),
    (
        "planning",
        "alternatives, waitlist, repair, series, follow-ups",
    ),
    (
        "reports",
        "metrics, timesheets, invoices, CSV, FHIR: reads only",
    ),
    ("io", "the JSON boundary, iCalendar"),
    ("wasm", "the wasm shell"),
    ("lib", "the crate root"),
];

/// Upward imports left from before the layering, each with what removes it (none now; the list
/// stays so that a debt taken on knowingly is written down, not hidden).
const OWED: &[(&str, &str, &str)] = &[];

fn layer(name: &str) -> usize {
    LAYERS
        .iter()
        .position(|(layer, _)| *layer == name)
        .unwrap_or_else(|| panic!("`{name}` is in no layer: add it to LAYERS"))
}

fn describe(name: &str) -> String {
    format!("{name}: {}", LAYERS[layer(name)].1)
}

/// The layer (top-level module) of every `crate::<layer>` a source file names, in `use` lines and
/// in paths alike.
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

/// Every source file with its layer: the folder under `src/`, or the file's own name.
fn sources() -> Vec<(String, std::path::PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![std::path::PathBuf::from("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let rel = path.strip_prefix("src").unwrap();
                let top = rel
                    .components()
                    .next()
                    .unwrap()
                    .as_os_str()
                    .to_str()
                    .unwrap();
                out.push((top.trim_end_matches(".rs").to_string(), path));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_import_points_down_or_across() {
    let mut upward = Vec::new();
    let mut files = Vec::new();
    for (module, path) in sources() {
        let text = std::fs::read_to_string(&path).unwrap();
        for used in imports(&text) {
            if used == module || used == "self" || used == "super" {
                continue;
            }
            if layer(&used) > layer(&module) && !upward.contains(&(module.clone(), used.clone())) {
                files.push(format!(
                    "{} ({}) imports `{used}` ({})",
                    path.display(),
                    describe(&module),
                    describe(&used)
                ));
                upward.push((module.clone(), used));
            }
        }
    }
    let owed: Vec<(String, String)> = OWED
        .iter()
        .map(|(a, b, _)| (a.to_string(), b.to_string()))
        .collect();
    let new: Vec<&str> = upward
        .iter()
        .zip(&files)
        .filter(|(e, _)| !owed.contains(e))
        .map(|(_, line)| line.as_str())
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
