//! Scenarios: a month of a small clinic with every edge in it, and each metric against a figure
//! worked out by hand here (October 2026 in Berlin: summer time ends on Sunday the 25th).

use super::*;
use service_coordinator::planning::followups::{DueState, FollowUpQuery};
use service_coordinator::reports::metrics::{figures, Figure, GroupBy, Metrics, MetricsQuery};

/// Dr Adler works Monday to Friday 09:00-17:00, Dr Brandt 09:00-13:00; Adler is off on Friday
/// the 16th from 13:00. A consultation is 30 minutes (50.00, time billed at 120.00 an hour,
/// urgent ones answered within 2 hours); the back class is an hour for up to four (20.00 a seat).
pub(crate) fn clinic() -> Coordinator {
    let mut c = Coordinator::new(native_zones(), "Europe/Berlin").unwrap();
    let week = |end: &str| {
        let day = json!([{ "start": "09:00", "end": end }]);
        json!({ "mon": day, "tue": day, "wed": day, "thu": day, "fri": day })
    };
    c.upsert_provider(from(json!({ "id": "adler", "name": "Dr Adler", "timeZone": "Europe/Berlin",
        "weeklyHours": week("17:00"),
        "timeOff": [{ "start": "2026-10-16T13:00", "end": "2026-10-16T17:00", "reason": "dentist" }] })))
        .unwrap();
    c.upsert_provider(from(
        json!({ "id": "brandt", "name": "Dr Brandt", "timeZone": "Europe/Berlin",
        "weeklyHours": week("13:00") }),
    ))
    .unwrap();
    c.upsert_service(from(json!({ "id": "consult", "name": "Consultation", "durationMinutes": 30,
        "priceMinor": 5000, "rateMinor": 12000, "responseMinutes": 120,
        "followUps": [{ "id": "call", "kind": "call", "label": "How are you feeling?", "afterDays": 2 }] })))
        .unwrap();
    c.upsert_service(from(
        json!({ "id": "back-class", "name": "Back class", "durationMinutes": 60,
        "seats": 4, "priceMinor": 2000 }),
    ))
    .unwrap();
    for (id, name) in [("p1", "Ada"), ("p2", "Ben"), ("p3", "Cem"), ("p4", "Dora")] {
        c.upsert_client(from(json!({ "id": id, "name": name })))
            .unwrap();
    }
    c.set_billing(from(json!({ "currency": "EUR",
        "rounding": { "unitMinutes": 15, "mode": "up", "per": "entry" } })))
        .unwrap();
    c
}

/// Berlin wall time as an instant.
fn berlin(c: &Coordinator, wall: &str) -> Instant {
    c.zones().instant("Europe/Berlin", when(wall)).unwrap()
}

fn book(
    c: &mut Coordinator,
    id: &str,
    service: &str,
    who: &str,
    clients: &[&str],
    start: &str,
    made: &str,
) {
    let mut r = request(service, Some(who), start);
    r.id = Some(id.into());
    r.client_ids = clients.iter().map(|x| x.to_string()).collect();
    let made = berlin(c, made);
    c.book(r, made).unwrap();
}

fn visit(c: &mut Coordinator, id: &str, v: serde_json::Value, at: &str) {
    let at = berlin(c, at);
    c.update_visit(id, from(v), at).unwrap();
}

fn status(c: &mut Coordinator, id: &str, s: Status, o: serde_json::Value, at: &str) {
    let at = berlin(c, at);
    c.set_status(id, s, from(o), at).unwrap();
}

/// The month, in the order it happened (the engine stamps a write no earlier than the latest).
pub(crate) fn october(c: &mut Coordinator) {
    let t0 = "2026-09-28T09:00";
    book(c, "v1", "consult", "adler", &["p1"], "2026-10-05T09:00", t0);
    book(c, "v2", "consult", "adler", &["p2"], "2026-10-06T09:00", t0);
    // Urgent (priority 1): Dr Brandt never came.
    let mut v3 = request("consult", Some("brandt"), "2026-10-06T10:00");
    (v3.id, v3.client_ids, v3.priority) = (Some("v3".into()), vec!["p3".into()], 1);
    c.book(v3, berlin(c, t0)).unwrap();
    book(c, "v4", "consult", "adler", &["p4"], "2026-10-07T09:00", t0);
    book(c, "v5", "consult", "adler", &["p1"], "2026-10-08T09:00", t0);
    book(
        c,
        "v6",
        "back-class",
        "brandt",
        &["p1", "p2", "p3"],
        "2026-10-12T10:00",
        t0,
    );
    book(c, "v7", "consult", "adler", &["p2"], "2026-10-14T09:00", t0);
    book(c, "v9", "consult", "adler", &["p3"], "2026-10-26T09:00", t0);
    // Staff cancel v5 a week ahead; the client cancels v4 the day before, inside 24 hours.
    status(
        c,
        "v5",
        Status::Cancelled,
        json!({ "by": "staff" }),
        "2026-10-01T10:00",
    );
    // v1: in at 09:05, out at 09:40, resolved; the client is delighted.
    visit(
        c,
        "v1",
        json!({ "actualStart": "2026-10-05T09:05", "actualEnd": "2026-10-05T09:40" }),
        "2026-10-05T09:41",
    );
    status(
        c,
        "v1",
        Status::Completed,
        json!({ "visit": { "outcome": "resolved",
        "satisfaction": { "csat": 5, "nps": 10 } } }),
        "2026-10-05T09:42",
    );
    status(c, "v2", Status::NoShow, json!({}), "2026-10-06T09:30");
    status(
        c,
        "v3",
        Status::ProviderNoShow,
        json!({}),
        "2026-10-06T11:00",
    );
    status(
        c,
        "v4",
        Status::Cancelled,
        json!({ "by": "client" }),
        "2026-10-06T12:00",
    );
    // The class: done, nobody wrote the times down.
    status(
        c,
        "v6",
        Status::Completed,
        json!({ "visit": { "outcome": "resolved" } }),
        "2026-10-12T12:00",
    );
    // v7: 20 minutes late, 40 minutes long, only partly resolved; a part used; unhappy client.
    visit(
        c,
        "v7",
        json!({ "actualStart": "2026-10-14T09:20", "actualEnd": "2026-10-14T10:00",
        "parts": [{ "item": "Bandage", "quantity": 1, "unitPriceMinor": 1500 }] }),
        "2026-10-14T10:00",
    );
    status(
        c,
        "v7",
        Status::Completed,
        json!({ "visit": { "outcome": "partially_resolved",
        "satisfaction": { "csat": 2, "nps": 3 } } }),
        "2026-10-14T10:01",
    );
    // The recall: booked at 11:00 that day for the 20th, as a return of v7.
    let mut v8 = request("consult", Some("adler"), "2026-10-20T09:00");
    (v8.id, v8.client_ids, v8.return_of) =
        (Some("v8".into()), vec!["p2".into()], Some("v7".into()));
    c.book(v8, berlin(c, "2026-10-14T11:00")).unwrap();
    // v10: urgent, booked at 07:30 for 09:00, Dr Brandt in at 09:10 (100 minutes), out 09:35.
    let mut v10 = request("consult", Some("brandt"), "2026-10-19T09:00");
    (v10.id, v10.client_ids, v10.priority) = (Some("v10".into()), vec!["p4".into()], 5);
    c.book(v10, berlin(c, "2026-10-19T07:30")).unwrap();
    status(c, "v10", Status::CheckedIn, json!({}), "2026-10-19T09:10");
    status(
        c,
        "v10",
        Status::Completed,
        json!({ "visit": { "outcome": "resolved" } }),
        "2026-10-19T09:35",
    );
    visit(
        c,
        "v8",
        json!({ "actualStart": "2026-10-20T09:00", "actualEnd": "2026-10-20T09:30" }),
        "2026-10-20T09:30",
    );
    status(
        c,
        "v8",
        Status::Completed,
        json!({ "visit": { "outcome": "resolved" } }),
        "2026-10-20T09:31",
    );
    // Time billed from the actual times: 35 and 40 minutes, each rounded up to 45.
    for v in ["v1", "v7"] {
        c.add_time_entry(
            from(json!({ "bookingId": v })),
            berlin(c, "2026-10-30T17:00"),
        )
        .unwrap();
    }
    // v9 (the 26th, after the change to winter time) happened, but nobody closed it.
}

fn report(c: &Coordinator, by: GroupBy) -> Metrics {
    let q = MetricsQuery {
        from: when("2026-10-01"),
        to: when("2026-11-01"),
        group_by: by,
        ..Default::default()
    };
    c.metrics(&q, berlin(c, "2026-11-02T08:00")).unwrap()
}

fn value(t: &service_coordinator::reports::metrics::Tally, name: &str) -> Option<f64> {
    figures(t)
        .into_iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no figure {name}"))
        .1
        .value()
}

fn close(a: Option<f64>, b: f64, name: &str) {
    let a = a.unwrap_or_else(|| panic!("{name} is n/a"));
    assert!(
        (a - b).abs() < 1e-9,
        "{name}: {a} against {b} worked out by hand"
    );
}

#[test]
fn every_metric_of_the_clinics_october_matches_the_figure_worked_out_by_hand() {
    let mut c = clinic();
    october(&mut c);
    let m = report(&c, GroupBy::None);
    let t = &m.total.now;
    // Seats: ten bookings, the class counts three.
    close(value(t, "scheduled"), 12.0, "scheduled");
    close(
        value(t, "completed"),
        7.0,
        "completed (v1, the class's three, v7, v8, v10)",
    );
    close(value(t, "unresolved"), 1.0, "unresolved (v9)");
    // Visits that were due: 7 completed + v2 (client) + v3 (provider).
    close(value(t, "noShowRate"), 1.0 / 9.0, "noShowRate");
    close(
        value(t, "providerNoShowRate"),
        1.0 / 9.0,
        "providerNoShowRate",
    );
    close(value(t, "cancelRate"), 2.0 / 12.0, "cancelRate");
    close(
        value(t, "lateCancelRate"),
        1.0 / 12.0,
        "lateCancelRate (v4)",
    );
    close(value(t, "cancelledByClient"), 1.0 / 12.0, "by client");
    close(value(t, "cancelledByStaff"), 1.0 / 12.0, "by staff");
    close(value(t, "cancelledByProvider"), 0.0, "by provider");
    // Lead times in hours: 168 + 192 + 193 + 216 + 240 + 3 x 337 + 384 + 142 (v8) + 673 (v9:
    // one more hour, the clocks went back) + 1.5 (v10), over 12 seats.
    let lead_hours =
        168.0 + 192.0 + 193.0 + 216.0 + 240.0 + 3.0 * 337.0 + 384.0 + 142.0 + 673.0 + 1.5;
    close(
        value(t, "leadTimeMinutes"),
        lead_hours * 60.0 / 12.0,
        "leadTimeMinutes",
    );
    // Arrivals known: v1 (+5), v7 (+20, late), v8 (0), v10 (+10, just in).
    close(value(t, "onTimeArrival"), 3.0 / 4.0, "onTimeArrival");
    // Start and end within 15 minutes: v1 (+5, +10), v8, v10 (+10, +5); not v7 (+20).
    close(
        value(t, "scheduleAdherence"),
        3.0 / 4.0,
        "scheduleAdherence",
    );
    // Actual minus booked: +5, +10, 0, -5.
    close(
        value(t, "durationVarianceMinutes"),
        10.0 / 4.0,
        "durationVarianceMinutes",
    );
    // Capacity: 22 weekdays; Adler 8 h less the 4 h off, Brandt 4 h: 172 + 88 = 260 h. On site:
    // 35 + 60 (the class, as booked) + 40 + 30 + 25 = 190 minutes; no travel (no places).
    close(value(t, "capacityHours"), 260.0, "capacityHours");
    close(value(t, "onSiteHours"), 190.0 / 60.0, "onSiteHours");
    close(value(t, "travelHours"), 0.0, "travelHours");
    close(
        value(t, "utilisation"),
        190.0 / (260.0 * 60.0),
        "utilisation",
    );
    // First visits with an outcome: v1, the class (3), v7, v10; v7 was recalled by v8.
    close(value(t, "firstTimeFixRate"), 5.0 / 6.0, "firstTimeFixRate");
    close(value(t, "recallRate"), 1.0 / 6.0, "recallRate");
    // From first booking to the end of the resolving visit, minutes: v1 10120, the class 3 x
    // 20280, v8 (from v7's booking) 31710, v10 125.
    close(
        value(t, "timeToResolveMinutes"),
        (10120.0 + 3.0 * 20280.0 + 31710.0 + 125.0) / 6.0,
        "timeToResolveMinutes",
    );
    // Urgent: v3 never started (a miss), v10 in 100 minutes of a 120 promised.
    close(value(t, "slaCompliance"), 0.5, "slaCompliance");
    close(value(t, "responseMinutes"), 100.0, "responseMinutes");
    close(value(t, "csat"), 0.5, "csat (one of two 4 or 5)");
    close(value(t, "csatMean"), 3.5, "csatMean");
    close(value(t, "nps"), 0.0, "nps (one promoter, one detractor)");
    close(
        value(t, "billableHours"),
        1.5,
        "billableHours (45 + 45 minutes)",
    );
    close(
        value(t, "billableHoursRaw"),
        75.0 / 60.0,
        "billableHoursRaw",
    );
    // 4 consultations x 50.00 + 3 seats x 20.00 + the bandage 15.00 + 2 x 45 min at 120.00.
    close(
        value(t, "revenueMinor"),
        (4 * 5000 + 3 * 2000 + 1500 + 2 * 9000) as f64,
        "revenueMinor",
    );
    // September had nothing booked: its rates are n/a, never 0%, and counts change by theirs.
    let before = &m.total.before;
    assert_eq!(value(before, "noShowRate"), None);
    assert_eq!(value(before, "scheduled"), Some(0.0));
    close(
        value(before, "capacityHours"),
        22.0 * 12.0,
        "September's capacity (22 weekdays)",
    );
    // No-shows by the hour they were booked for.
    assert_eq!(m.by_hour[9], (5, 1));
    assert_eq!(m.by_hour[10], (4, 0));
}

#[test]
fn the_clinics_month_grouped_by_provider_client_and_week() {
    let mut c = clinic();
    october(&mut c);
    let m = report(&c, GroupBy::Provider);
    let adler = m.groups.iter().find(|g| g.key == "adler").unwrap();
    assert_eq!(adler.label, "Dr Adler");
    close(
        value(&adler.now, "capacityHours"),
        172.0,
        "Adler's capacity",
    );
    close(
        value(&adler.now, "scheduled"),
        7.0,
        "Adler: v1, v2, v4, v5, v7, v8, v9",
    );
    let brandt = m.groups.iter().find(|g| g.key == "brandt").unwrap();
    close(
        value(&brandt.now, "providerNoShowRate"),
        1.0 / 5.0,
        "Brandt: v3 of v3, the class, v10",
    );
    // Per client, a seat each: Ben (p2) had v2, the class, v7, v8.
    let m = report(&c, GroupBy::Client);
    let ben = m.groups.iter().find(|g| g.key == "p2").unwrap();
    close(value(&ben.now, "scheduled"), 4.0, "Ben's seats");
    close(
        value(&m.total.now, "scheduled"),
        12.0,
        "the clients' seats add up",
    );
    assert_eq!(
        value(&ben.now, "utilisation"),
        None,
        "provider time is not a client's"
    );
    // Weeks start on Monday, cut in Berlin: the week of the 26th is after the clocks went back,
    // and the 28 September week reaches into the period from its Thursday.
    let m = report(&c, GroupBy::Week);
    let keys: Vec<&str> = m.groups.iter().map(|g| g.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "2026-09-28",
            "2026-10-05",
            "2026-10-12",
            "2026-10-19",
            "2026-10-26"
        ]
    );
    close(
        value(&m.groups[0].now, "capacityHours"),
        2.0 * 12.0,
        "Thursday and Friday",
    );
    close(
        value(&m.groups[2].now, "capacityHours"),
        5.0 * 12.0 - 4.0,
        "the week with the time off",
    );
    close(
        value(&m.groups[4].now, "capacityHours"),
        5.0 * 12.0,
        "the winter-time week",
    );
    close(value(&m.groups[4].now, "unresolved"), 1.0, "v9");
    let m = report(&c, GroupBy::Month);
    assert_eq!(m.groups.len(), 1);
    assert_eq!(m.groups[0].key, "2026-10");
    // Each week's previous figure is the week before the period's same week.
    assert!(matches!(
        figures(&m.groups[0].before)[0].1,
        Figure::Count(0)
    ));
}

#[test]
fn a_follow_up_of_the_month_has_gone_overdue() {
    let mut c = clinic();
    october(&mut c);
    let q = FollowUpQuery {
        states: Some(vec![DueState::Overdue]),
        ..Default::default()
    };
    let overdue: Vec<String> = c
        .follow_ups(&q, berlin(&c, "2026-11-02T08:00"))
        .unwrap()
        .iter()
        .map(|f| format!("{}/{}", f.booking.id, f.rule.id))
        .collect();
    assert_eq!(overdue, ["v1/call", "v7/call", "v10/call", "v8/call"]);
}

#[test]
fn a_group_sessions_answer_counts_once_however_the_month_is_grouped() {
    let mut c = clinic();
    october(&mut c);
    // Ada answers for the back class (three seats): one answer, not three.
    visit(
        &mut c,
        "v6",
        json!({ "satisfaction": { "csat": 4, "nps": 9 } }),
        "2026-10-31T12:00",
    );
    let answers = |m: &Metrics| -> i64 { m.groups.iter().map(|g| g.now.csat_n).sum() };
    assert_eq!(report(&c, GroupBy::None).total.now.csat_n, 3);
    for by in [
        GroupBy::Client,
        GroupBy::Provider,
        GroupBy::Service,
        GroupBy::Week,
    ] {
        let m = report(&c, by);
        assert_eq!((answers(&m), m.total.now.csat_n), (3, 3), "{by:?}");
    }
    let m = report(&c, GroupBy::Client);
    let ada = m.groups.iter().find(|g| g.key == "p1").unwrap();
    assert_eq!(
        ada.now.promoters, 2,
        "v1's answer and the class's, in the first seat's group"
    );
}
