//! Scenarios: repair plans and urgent jobs.

use super::waitlist::waiting;
use super::*;

fn sick(provider: &str, start: &str, end: &str) -> service_coordinator::model::plan::Disruption {
    service_coordinator::model::plan::Disruption {
        provider_id: Some(provider.into()),
        start: when(start),
        end: when(end),
        reason: Some("sick".into()),
        ..Default::default()
    }
}

#[test]
fn sick_technician_morning_is_reassigned_to_qualified_colleagues() {
    let mut c = company();
    let now = monday_morning();
    let check = c
        .book(request("ac-check", Some("ana"), "2026-11-24T09:00"), now)
        .unwrap();
    let furnace = c
        .book(
            request("furnace-repair", Some("ana"), "2026-11-24T10:00"),
            now,
        )
        .unwrap();
    let before = c.snapshot();
    let plan = c
        .plan_repair(sick("ana", "2026-11-24T08:00", "2026-11-24T12:00"), now)
        .unwrap();
    assert_eq!(c.snapshot(), before, "planning changes nothing");
    // The AC check goes to Cara at the same time (08:00 in Chicago); only Ana does gas work, so
    // the furnace repair moves to her first free time after she is back.
    let m = |id: &str| plan.moves.iter().find(|m| m.booking_id == id).unwrap();
    assert_eq!(
        (m(&check.id).to.provider_id.as_str(), m(&check.id).to.start),
        ("cara", check.start)
    );
    assert_eq!(
        (
            m(&furnace.id).to.provider_id.as_str(),
            m(&furnace.id).to.start
        ),
        ("ana", at("2026-11-24T18:00:00Z"))
    );
    assert!(plan.unplaced.is_empty());
    assert_eq!(
        (plan.clients_time_changed(), plan.total_shift_minutes()),
        (1, 180)
    );

    c.apply_plan(&plan.id, now).unwrap();
    assert_eq!(c.booking(&check.id).unwrap().provider_id, "cara");
    let moved = c.booking(&furnace.id).unwrap();
    assert_eq!(
        (moved.start, moved.revision),
        (at("2026-11-24T18:00:00Z"), 2)
    );
    assert_eq!(moved.history[1].reason.as_deref(), Some("repair: sick"));
    assert!(c
        .provider("ana")
        .unwrap()
        .time_off
        .iter()
        .any(|t| t.reason.as_deref() == Some("sick")));
    assert_eq!(
        c.apply_plan(&plan.id, now).unwrap_err().code,
        Code::UnknownId,
        "a plan applies once"
    );
}

#[test]
fn a_plan_is_refused_once_the_schedule_has_changed() {
    let mut c = company();
    let now = monday_morning();
    c.book(request("ac-check", Some("ana"), "2026-11-24T09:00"), now)
        .unwrap();
    let plan = c
        .plan_repair(sick("ana", "2026-11-24", "2026-11-25"), now)
        .unwrap();
    c.book(request("drain", Some("ben"), "2026-11-24T09:00"), now)
        .unwrap();
    let before = c.snapshot();
    assert_eq!(
        c.apply_plan(&plan.id, now).unwrap_err().code,
        Code::StalePlan
    );
    assert_eq!(c.snapshot(), before);
}

#[test]
fn a_van_in_the_shop_swaps_vans_before_moving_anyone() {
    let mut c = company();
    let now = monday_morning();
    let job = c
        .book(
            request("furnace-repair", Some("ana"), "2026-11-24T09:00"),
            now,
        )
        .unwrap();
    assert_eq!(job.resources[0].resource_id, "van-1");
    let d = service_coordinator::model::plan::Disruption {
        resource_id: Some("van-1".into()),
        start: when("2026-11-24"),
        end: when("2026-11-26"),
        reason: Some("brakes".into()),
        ..Default::default()
    };
    let plan = c.plan_repair(d, now).unwrap();
    assert_eq!(plan.moves.len(), 1);
    let m = &plan.moves[0];
    assert_eq!((m.to.provider_id.as_str(), m.to.start), ("ana", job.start));
    assert_eq!(m.resources[0].resource_id, "van-2");
    assert_eq!(plan.clients_time_changed(), 0);
}

#[test]
fn when_nobody_can_take_it_the_plan_says_so_and_higher_priority_goes_first() {
    let mut c = company();
    let now = monday_morning();
    // Ben is the only plumber: off on Monday, a full Tuesday, then off for two weeks.
    let mut low = request("drain", Some("ben"), "2026-11-24T09:00");
    low.priority = 1;
    let low = c.book(low, now).unwrap();
    let mut high = request("drain", Some("ben"), "2026-11-24T10:00");
    high.priority = 5;
    let high = c.book(high, now).unwrap();
    for t in ["08:00", "11:00", "13:00", "14:00", "15:00"] {
        c.book(
            request("drain", Some("ben"), &format!("2026-11-24T{t}")),
            now,
        )
        .unwrap();
    }
    let mut ben = c.provider("ben").unwrap().clone();
    ben.time_off.push(TimeOff {
        start: when("2026-11-23"),
        end: when("2026-11-24"),
        ..Default::default()
    });
    ben.time_off.push(TimeOff {
        start: when("2026-11-25"),
        end: when("2026-12-10"),
        ..Default::default()
    });
    c.upsert_provider(ben).unwrap();
    // Ben is out 09:00-11:00: one hour of his day (16:00) is still free, and it goes to the urgent job.
    let plan = c
        .plan_repair(sick("ben", "2026-11-24T09:00", "2026-11-24T11:00"), now)
        .unwrap();
    assert_eq!(plan.moves.len(), 1);
    assert_eq!(
        (plan.moves[0].booking_id.as_str(), plan.moves[0].to.start),
        (&*high.id, at("2026-11-24T21:00:00Z"))
    );
    assert_eq!(plan.unplaced.len(), 1);
    assert_eq!(plan.unplaced[0].booking_id, low.id);
    assert_eq!(plan.unplaced[0].reason.code, Code::NoProviderAvailable);
}

fn urgent(
    service: &str,
    priority: i32,
    deadline: &str,
) -> service_coordinator::model::plan::UrgentRequest {
    let mut r = request(service, None, "2026-11-23T07:00");
    r.priority = priority;
    service_coordinator::model::plan::UrgentRequest {
        request: r,
        deadline: when(deadline),
        search_days: None,
    }
}

#[test]
fn a_no_heat_call_goes_to_the_first_free_gas_technician() {
    let mut c = company();
    let now = monday_morning();
    // 07:00 now, on site by 11:00: the two hours' notice clients need does not bind the coordinator.
    let plan = c
        .plan_urgent(urgent("furnace-repair", 5, "2026-11-23T11:00"), now)
        .unwrap();
    let u = plan.urgent.as_ref().unwrap();
    assert_eq!(
        (u.place.provider_id.as_str(), u.place.start),
        ("ana", at("2026-11-23T13:00:00Z"))
    );
    assert!(u.bumped.is_empty() && plan.moves.is_empty());
    c.apply_plan(&plan.id, now).unwrap();
    let booked = c
        .bookings(
            &BookingFilter {
                provider_id: Some("ana".into()),
                ..Default::default()
            },
            Default::default(),
        )
        .unwrap();
    assert_eq!(
        (booked[0].start, booked[0].priority),
        (at("2026-11-23T13:00:00Z"), 5)
    );
}

#[test]
fn an_urgent_job_bumps_routine_visits_which_move_elsewhere() {
    let mut c = company();
    let now = monday_morning();
    let routine: Vec<String> = ["08:00", "09:00", "10:00", "11:00"]
        .iter()
        .map(|t| {
            c.book(
                request("ac-check", Some("ana"), &format!("2026-11-23T{t}")),
                now,
            )
            .unwrap()
            .id
            .to_string()
        })
        .collect();
    let plan = c
        .plan_urgent(urgent("furnace-repair", 5, "2026-11-23T10:00"), now)
        .unwrap();
    let u = plan.urgent.clone().unwrap();
    // 08:00 with Ana: the 90-minute job and its 30 minutes of travel push out the 08:00 and 09:00 visits.
    assert_eq!(
        (u.place.provider_id.as_str(), u.place.start),
        ("ana", at("2026-11-23T13:00:00Z"))
    );
    assert_eq!(u.bumped, vec![routine[0].clone(), routine[1].clone()]);
    assert_eq!(plan.moves.len() + plan.unplaced.len(), 2);
    c.apply_plan(&plan.id, now).unwrap();
    for m in &plan.moves {
        let b = c.booking(&m.booking_id).unwrap();
        assert_eq!(
            b.history.last().unwrap().reason.as_deref(),
            Some("bumped by an urgent job")
        );
    }
    let at_eight = c
        .bookings(
            &BookingFilter {
                provider_id: Some("ana".into()),
                from: Some(when("2026-11-23T08:00")),
                to: Some(when("2026-11-23T08:01")),
                ..Default::default()
            },
            Default::default(),
        )
        .unwrap();
    assert_eq!(
        at_eight
            .iter()
            .filter(|b| b.status.blocks_time())
            .map(|b| b.priority)
            .collect::<Vec<_>>(),
        vec![5]
    );
}

#[test]
fn an_urgent_job_never_bumps_a_booking_that_outranks_it() {
    let mut c = company();
    let now = monday_morning();
    // A priority-9 furnace job at 09:00 (with its travel, until 11:00) leaves no 90 minutes in Ana's morning.
    let mut r = request("furnace-repair", Some("ana"), "2026-11-23T09:00");
    r.priority = 9;
    c.book(r, now).unwrap();
    let err = c
        .plan_urgent(urgent("furnace-repair", 5, "2026-11-23T12:00"), now)
        .unwrap_err();
    assert_eq!(err.code, Code::NoProviderAvailable);
}

#[test]
fn the_most_extreme_priorities_order_without_overflow() {
    let mut c = company();
    let now = monday_morning();
    let mut ids = Vec::new();
    for (p, t) in [(i32::MIN, "09:00"), (i32::MAX, "10:00")] {
        let mut r = request("drain", Some("ben"), &format!("2026-11-24T{t}"));
        r.priority = p;
        ids.push(c.book(r, now).unwrap().id);
    }
    // Ben is the only plumber: both jobs move to other days, the higher priority placed first.
    let plan = c
        .plan_repair(sick("ben", "2026-11-24", "2026-11-25"), now)
        .unwrap();
    let order: Vec<&str> = plan.moves.iter().map(|m| m.booking_id.as_str()).collect();
    assert_eq!(order, vec![&*ids[1], &*ids[0]]);
    assert!(plan.unplaced.is_empty());
    for p in [i32::MIN, i32::MAX] {
        let e = service_coordinator::model::WaitlistEntry {
            priority: p,
            ..waiting(
                "c-3",
                0,
                "2026-11-20T09:00",
                &[("2026-11-25T08:00", "2026-11-25T17:00")],
            )
        };
        c.waitlist_add(
            service_coordinator::model::WaitlistEntry {
                id: format!("w{p}"),
                ..e
            },
            now,
        )
        .unwrap();
    }
    let offers = c.waitlist_offers(now).unwrap();
    let first = offers.iter().map(|o| o.entry_id.as_str()).next();
    assert_eq!(
        first,
        Some("w2147483647"),
        "the highest priority is offered first"
    );
}
