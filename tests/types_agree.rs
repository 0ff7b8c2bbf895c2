//! The TypeScript declarations (`js/index.d.ts`) name exactly the fields each record reads and
//! writes: the JSON names come from the one declaration of each record (`record!`, its `FIELDS`),
//! so a field added on one side and not the other fails here.
#![cfg(not(target_arch = "wasm32"))]

use service_coordinator::model::*;
use std::collections::BTreeSet;

/// The field names of `export interface <name>` in the declarations, at its top level.
fn interface(dts: &str, name: &str) -> BTreeSet<String> {
    let head = format!("export interface {name} ");
    let start = dts
        .find(&head)
        .unwrap_or_else(|| panic!("no `export interface {name}` in js/index.d.ts"));
    let body = &dts[start + dts[start..].find('{').unwrap() + 1..];
    let (mut depth, mut fields, mut word, mut in_comment) =
        (0, BTreeSet::new(), String::new(), false);
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if in_comment {
            if c == '*' && chars.peek() == Some(&'/') {
                chars.next();
                in_comment = false;
            }
            continue;
        }
        match c {
            '/' if chars.peek() == Some(&'*') => in_comment = true,
            '{' | '(' | '[' | '<' => depth += 1,
            '}' if depth == 0 => break,
            '}' | ')' | ']' | '>' => depth -= 1,
            ':' if depth == 0 && !word.is_empty() => {
                fields.insert(word.trim_end_matches('?').to_string());
            }
            _ => {}
        }
        if c.is_ascii_alphanumeric() || c == '_' || c == '?' {
            word.push(c);
        } else if c != ' ' || !word.ends_with('?') {
            word.clear();
        }
    }
    fields
}

#[test]
fn each_record_has_the_same_fields_in_typescript() {
    let dts = std::fs::read_to_string("js/index.d.ts").unwrap();
    let records: &[(&str, Vec<&str>)] = &[
        ("HoursRange", HoursRange::fields()),
        ("DateOverride", DateOverride::fields()),
        ("TimeOff", TimeOff::fields()),
        ("RecurringSpan", RecurringSpan::fields()),
        ("Location", Location::fields()),
        ("TravelModel", TravelModel::fields()),
        ("Provider", Provider::fields()),
        ("ResourceNeed", ResourceNeed::fields()),
        ("Service", Service::fields()),
        ("Resource", Resource::fields()),
        ("Client", Client::fields()),
        ("ResourceUse", ResourceUse::fields()),
        ("HistoryEntry", HistoryEntry::fields()),
        ("Booking", Booking::fields()),
        ("BookingRequest", BookingRequest::fields()),
        ("RescheduleChanges", Reschedule::fields()),
        ("ConfirmHoldDetails", ConfirmHold::fields()),
        ("WriteOptions", WriteOptions::fields()),
        ("AvailabilityQuery", AvailabilityQuery::fields()),
        ("FreeBusyQuery", FreeBusyQuery::fields()),
        ("BookingFilter", BookingFilter::fields()),
        ("WaitlistEntry", WaitlistEntry::fields()),
        ("WorkOrder", WorkOrder::fields()),
        (
            "DayQuery",
            service_coordinator::planning::day::DayQuery::fields(),
        ),
        ("ChecklistItem", ChecklistItem::fields()),
        ("ProtocolStep", ProtocolStep::fields()),
        ("FollowUpRule", FollowUpRule::fields()),
        ("Part", Part::fields()),
        ("Signature", Signature::fields()),
        ("Satisfaction", Satisfaction::fields()),
        ("TimeEdit", TimeEdit::fields()),
        ("FollowUpDone", FollowUpDone::fields()),
        ("Visit", Visit::fields()),
        ("VisitUpdate", VisitUpdate::fields()),
        (
            "FollowUpQuery",
            service_coordinator::planning::followups::FollowUpQuery::fields(),
        ),
        (
            "CloseFollowUp",
            service_coordinator::planning::followups::CloseFollowUp::fields(),
        ),
        ("Rounding", billing::Rounding::fields()),
        ("Billing", billing::Billing::fields()),
        ("TimeEntry", billing::TimeEntry::fields()),
        ("TimeEntryInput", billing::TimeEntryInput::fields()),
        (
            "MetricsQuery",
            service_coordinator::reports::metrics::MetricsQuery::fields(),
        ),
        (
            "ReportQuery",
            service_coordinator::reports::billing::TimesheetQuery::fields(),
        ),
    ];
    let mut differ = Vec::new();
    for (name, fields) in records {
        let rust: BTreeSet<String> = fields
            .iter()
            .filter(|f| !f.is_empty())
            .map(|f| f.to_string())
            .collect();
        let ts = interface(&dts, name);
        if rust != ts {
            let only_rust: Vec<_> = rust.difference(&ts).collect();
            let only_ts: Vec<_> = ts.difference(&rust).collect();
            differ.push(format!(
                "{name}: only in Rust {only_rust:?}, only in TypeScript {only_ts:?}"
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "records and their declarations differ:\n  {}",
        differ.join("\n  ")
    );
}

#[test]
fn the_reader_of_declarations_sees_optional_and_nested_fields() {
    let dts = "export interface A {\n  /** doc: with a colon */ a: string;\n  b?: { c: number };\n  d: (x: number) => void;\n}";
    let found: Vec<String> = interface(dts, "A").into_iter().collect();
    assert_eq!(found, ["a", "b", "d"]);
}
