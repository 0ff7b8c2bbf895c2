//! Scenarios: why a time cannot be booked.

use super::*;

#[test]
fn explain_says_why_each_technician_cannot_take_the_job() {
    let mut c = company();
    let now = monday_morning();
    let b = c
        .book(
            request("furnace-repair", Some("ana"), "2026-11-24T13:00"),
            now,
        )
        .unwrap();
    let why = c
        .explain(&request("furnace-repair", None, "2026-11-24T13:30"), now)
        .unwrap();
    assert!(!why.ok);
    let codes: Vec<(String, Vec<Code>)> = why
        .providers
        .iter()
        .map(|p| {
            (
                p.provider_id.clone(),
                p.violations.iter().map(|v| v.code).collect(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        vec![
            ("ana".into(), vec![Code::Overlap]),
            ("ben".into(), vec![Code::SkillMissing]),
            (
                "cara".into(),
                vec![Code::SkillMissing, Code::OutsideWorkingHours]
            ), // 12:30 in Chicago: lunch
        ]
    );
    assert!(why.providers[0].violations[0]
        .ids
        .contains(&b.id.to_string()));
}

#[test]
fn a_week_view_shows_booked_closed_and_lunch_steps_with_their_reasons() {
    let mut c = company();
    let now = monday_morning();
    c.book(request("ac-check", Some("ana"), "2026-11-24T09:00"), now)
        .unwrap();
    let q = AvailabilityQuery {
        service_id: "ac-check".into(),
        from: when("2026-11-24"),
        to: when("2026-11-25"),
        provider_ids: Some(vec!["ana".into()]),
        explain: true,
        ..Default::default()
    };
    let a = c.availability(&q, now).unwrap();
    // A step's reasons; a step with none listed must be a slot (never silently both or neither).
    let reason = |wall: &str| -> Vec<Code> {
        let t = at(wall);
        let listed = a.unavailable.iter().find(|u| u.start == t);
        let free = a.slots.iter().any(|s| s.start == t);
        assert!(
            listed.is_some() != free,
            "{wall}: a step is a slot or explained, not both or neither"
        );
        listed.map(|u| u.providers[0].1.clone()).unwrap_or_default()
    };
    assert_eq!(
        reason("2026-11-24T12:00:00Z"),
        vec![Code::OutsideWorkingHours]
    ); // 07:00, before work
    assert_eq!(reason("2026-11-24T14:00:00Z"), vec![Code::Overlap]); // 09:00, booked
    assert_eq!(
        reason("2026-11-24T17:00:00Z"),
        vec![Code::OutsideWorkingHours]
    ); // 12:00, lunch
    assert_eq!(reason("2026-11-24T13:00:00Z"), vec![]); // 08:00 is free
                                                        // Every step of the day is either a slot or explained, never both.
    assert_eq!(a.slots.len() + a.unavailable.len(), 24);
    assert!(a
        .slots
        .iter()
        .all(|s| a.unavailable.iter().all(|u| u.start != s.start)));
}
