//! Scenarios: the ranked ways out of a clash.

use super::*;

#[test]
fn a_clash_comes_with_ranked_ways_out() {
    let mut c = company();
    let now = monday_morning();
    c.book(request("drain", Some("ben"), "2026-11-24T10:00"), now)
        .unwrap();
    let mut wanted = request("drain", Some("ben"), "2026-11-24T10:00");
    wanted.client_ids = vec!["c-2".into()];
    let q = service_coordinator::planning::alternatives::AlternativesQuery {
        request: wanted.clone(),
        limit: 4,
        search_days: 7,
        ..Default::default()
    };
    let options = c.alternatives(&q, now).unwrap();
    // Ben is the only plumber: the nearest free hours before and after 10:00 that day come first,
    // and he fills all four places.
    assert_eq!(options.len(), 4);
    let starts: Vec<Instant> = options.iter().map(|o| o.start).collect();
    assert_eq!(
        &starts[..2],
        &[at("2026-11-24T14:00:00Z"), at("2026-11-24T16:00:00Z")]
    );
    assert!(options
        .iter()
        .all(|o| o.provider_id == "ben" && o.differs == vec!["time"]));
    assert_eq!(options[0].minutes_away, 60);
    // The same state gives the same list.
    assert_eq!(c.alternatives(&q, now).unwrap(), options);
    // 08:00 (2 hours away) beats 13:00 (3 hours away); a client who prefers afternoons turns that round.
    let rank = |list: &[service_coordinator::planning::alternatives::Alternative], t: &str| {
        list.iter().position(|o| o.start == at(t))
    };
    let wide = service_coordinator::planning::alternatives::AlternativesQuery {
        limit: 10,
        ..q.clone()
    };
    let all = c.alternatives(&wide, now).unwrap();
    assert!(rank(&all, "2026-11-24T13:00:00Z") < rank(&all, "2026-11-24T18:00:00Z"));
    let afternoon = service_coordinator::planning::alternatives::AlternativesQuery {
        window: Some(HoursRange {
            start: clock("13:00"),
            end: clock("17:00"),
        }),
        ..wide
    };
    let pm = c.alternatives(&afternoon, now).unwrap();
    assert!(rank(&pm, "2026-11-24T18:00:00Z") < rank(&pm, "2026-11-24T13:00:00Z"));
}

#[test]
fn alternatives_offer_other_technicians_at_the_same_time() {
    let mut c = company();
    let now = monday_morning();
    c.book(request("ac-check", Some("ana"), "2026-11-24T14:00"), now)
        .unwrap();
    let q = service_coordinator::planning::alternatives::AlternativesQuery {
        request: request("ac-check", Some("ana"), "2026-11-24T14:00"),
        limit: 4,
        search_days: 3,
        ..Default::default()
    };
    let options = c.alternatives(&q, now).unwrap();
    let cara = options.iter().find(|o| o.provider_id == "cara").unwrap();
    assert_eq!(
        (cara.start, cara.differs.clone()),
        (at("2026-11-24T19:00:00Z"), vec!["provider"])
    );
    assert!(options.iter().filter(|o| o.provider_id == "ana").count() <= 2);
}

#[test]
fn alternatives_reach_two_months_either_way() {
    let mut c = company();
    let now = monday_morning();
    c.book(request("drain", Some("ben"), "2026-12-24T10:00"), now)
        .unwrap();
    let q = service_coordinator::planning::alternatives::AlternativesQuery {
        request: request("drain", Some("ben"), "2026-12-24T10:00"),
        limit: 50,
        search_days: 60,
        ..Default::default()
    };
    let options = c.alternatives(&q, now).unwrap();
    assert_eq!(options.len(), 50);
    assert!(options
        .iter()
        .all(|o| o.start >= now && o.provider_id == "ben"));
    assert!(options.windows(2).all(|w| w[0].score <= w[1].score));
}
