//! Invariants under random days of work: no double booking, ever; every listed slot books;
//! snapshots round-trip.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use proptest::prelude::*;
use service_coordinator::model::*;
use service_coordinator::{native_zones, Coordinator};

#[derive(Clone, Debug)]
enum Op {
    Book {
        service: usize,
        provider: Option<usize>,
        day: i64,
        quarter: i64,
        clients: usize,
    },
    Reschedule {
        booking: usize,
        provider: Option<usize>,
        day: i64,
        quarter: i64,
    },
    Cancel {
        booking: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    // Quarter hours from 06:00 to 19:00, Monday to Saturday of the fixture's week.
    prop_oneof![
        5 => (0..5usize, proptest::option::of(0..3usize), 0..6i64, 24..76i64, 1..3usize)
            .prop_map(|(service, provider, day, quarter, clients)| Op::Book { service, provider, day, quarter, clients }),
        2 => (0..64usize, proptest::option::of(0..3usize), 0..6i64, 24..76i64)
            .prop_map(|(booking, provider, day, quarter)| Op::Reschedule { booking, provider, day, quarter }),
        1 => (0..64usize).prop_map(|booking| Op::Cancel { booking }),
    ]
}

fn apply(c: &mut Coordinator, ops: &[Op]) {
    let now = monday_morning();
    for op in ops {
        let ids: Vec<String> = c
            .bookings(&BookingFilter::default(), Default::default())
            .unwrap()
            .iter()
            .map(|b| b.id.to_string())
            .collect();
        let _ = match op {
            Op::Book {
                service,
                provider,
                day,
                quarter,
                clients,
            } => {
                let mut r = request(
                    SERVICES[*service],
                    provider.map(|p| PROVIDERS[p]),
                    &wall(*day, *quarter),
                );
                r.client_ids = (1..=*clients).map(|i| format!("c-{i}")).collect();
                c.book(r, now).map(|_| ())
            }
            Op::Reschedule {
                booking,
                provider,
                day,
                quarter,
            } if !ids.is_empty() => c
                .reschedule(
                    &ids[booking % ids.len()],
                    Reschedule {
                        start: Some(when(&wall(*day, *quarter))),
                        provider_id: provider.map(|p| PROVIDERS[p].to_string()),
                        ..Default::default()
                    },
                    now,
                )
                .map(|_| ()),
            Op::Cancel { booking } if !ids.is_empty() => c
                .cancel(&ids[booking % ids.len()], WriteOptions::default(), now)
                .map(|_| ()),
            _ => Ok(()),
        };
    }
}

/// No two bookings holding time overlap on one provider (seats of one group session aside),
/// and no resource is used beyond its quantity.
fn assert_no_double_booking(c: &Coordinator) {
    let all = c
        .bookings(&BookingFilter::default(), Default::default())
        .unwrap();
    let active: Vec<&Booking> = all.into_iter().filter(|b| b.status.blocks_time()).collect();
    for (i, a) in active.iter().enumerate() {
        for b in &active[i + 1..] {
            let session = a.service_id == b.service_id
                && a.start == b.start
                && a.end == b.end
                && c.service(&a.service_id).unwrap().seats > 1;
            if a.provider_id == b.provider_id && !session {
                assert!(
                    !a.blocked().overlaps(&b.blocked()),
                    "double booking: {a:?} and {b:?}"
                );
            }
            for ua in &a.resources {
                if !session
                    && b.resources
                        .iter()
                        .any(|ub| ub.resource_id == ua.resource_id)
                {
                    // Every van here has quantity 1.
                    assert!(
                        !a.blocked().overlaps(&b.blocked()),
                        "van used twice: {a:?} and {b:?}"
                    );
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_days_never_double_book(ops in proptest::collection::vec(op(), 1..60)) {
        let mut c = hvac_company(native_zones());
        apply(&mut c, &ops);
        assert_no_double_booking(&c);
    }

    #[test]
    fn every_slot_listed_is_accepted_by_book(ops in proptest::collection::vec(op(), 0..30), service in 0..5usize, pick in proptest::collection::vec(any::<prop::sample::Index>(), 4)) {
        let mut c = hvac_company(native_zones());
        apply(&mut c, &ops);
        let snap = c.snapshot();
        // Where c-4 would be visited (the query ignores a place for services not done on site).
        let q = AvailabilityQuery { service_id: SERVICES[service].into(), from: when("2026-11-23"), to: when("2026-11-29"), location: c.client("c-4").unwrap().location.clone(), ..Default::default() };
        let a = c.availability(&q, monday_morning()).unwrap();
        if !a.slots.is_empty() {
            for i in &pick {
                let slot = &a.slots[i.index(a.slots.len())];
                for &p in &slot.providers {
                    let mut fresh = Coordinator::restore(native_zones(), &snap).unwrap();
                    let mut r = request(SERVICES[service], Some(&a.provider_ids[p as usize]), &service_coordinator::time::format_utc(slot.start));
                    r.client_ids = vec!["c-4".into()];
                    let booked = fresh.book(r, monday_morning());
                    prop_assert!(booked.is_ok(), "slot {:?} for {} refused: {:?}", slot, a.provider_ids[p as usize], booked.err());
                }
            }
        }
    }

    #[test]
    fn snapshot_restore_is_lossless(ops in proptest::collection::vec(op(), 0..40)) {
        let mut c = hvac_company(native_zones());
        apply(&mut c, &ops);
        let snap = c.snapshot();
        let restored = Coordinator::restore(native_zones(), &snap).unwrap();
        prop_assert_eq!(restored.snapshot(), snap);
        prop_assert_eq!(restored.bookings(&BookingFilter::default(), Default::default()).unwrap(), c.bookings(&BookingFilter::default(), Default::default()).unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Holds placed among random bookings block while they last; once expired, the slots are
    /// exactly as if they had never been placed.
    #[test]
    fn an_expired_hold_never_blocks(ops in proptest::collection::vec(op(), 0..30), holds in proptest::collection::vec((0..3usize, 0..6i64, 24..76i64, 1..30u32), 1..6)) {
        let mut c = hvac_company(native_zones());
        apply(&mut c, &ops);
        let without = c.snapshot();
        for (provider, day, quarter, minutes) in holds {
            let _ = c.hold(request("drain", Some(PROVIDERS[provider]), &wall(day, quarter)), minutes, monday_morning());
        }
        assert_no_double_booking(&c);
        let later = monday_morning() + 31 * 60;
        let q = AvailabilityQuery { service_id: "drain".into(), from: when("2026-11-23"), to: when("2026-11-29"), ..Default::default() };
        let plain = Coordinator::restore(native_zones(), &without).unwrap();
        prop_assert_eq!(c.availability(&q, later).unwrap(), plain.availability(&q, later).unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// The reasons listed per grid step are exactly the codes the booking rules give at that
    /// step, and a step is either a slot or explained.
    #[test]
    fn reasons_over_a_range_agree_with_the_rules(ops in proptest::collection::vec(op(), 0..30), service in 0..5usize, provider in 0..3usize) {
        let mut c = hvac_company(native_zones());
        apply(&mut c, &ops);
        let p = PROVIDERS[provider];
        let q = AvailabilityQuery { service_id: SERVICES[service].into(), from: when("2026-11-23"), to: when("2026-11-26"),
            provider_ids: Some(vec![p.into()]), explain: true, location: c.client("c-4").unwrap().location.clone(), ..Default::default() };
        let a = c.availability(&q, monday_morning()).unwrap();
        for u in &a.unavailable {
            let mut r = request(SERVICES[service], Some(p), &service_coordinator::time::format_utc(u.start));
            r.client_ids = vec!["c-4".into()];
            let check = c.check(&r, monday_morning()).unwrap();
            let mut codes: Vec<service_coordinator::Code> = Vec::new();
            for v in check.violations {
                if !codes.contains(&v.code) {
                    codes.push(v.code);
                }
            }
            prop_assert_eq!(&u.providers[0].1, &codes, "at {}", service_coordinator::time::format_utc(u.start));
            prop_assert!(a.slots.iter().all(|s| s.start != u.start));
        }
        // And every step is one or the other: the slot search (which merges an on-site visit's
        // blocks) blocks no step the rules leave open.
        // A group session placed off the grid is offered too, beside the steps.
        let step = c.service(SERVICES[service]).unwrap().step();
        let from = at("2026-11-23T05:00:00Z");
        let steps = (at("2026-11-26T05:00:00Z") - from) / step;
        let on_grid = a.slots.iter().filter(|s| (s.start - from) % step == 0).count();
        prop_assert_eq!((on_grid + a.unavailable.len()) as i64, steps);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Every alternative offered can be booked as it stands.
    #[test]
    fn every_alternative_offered_is_accepted_by_book(ops in proptest::collection::vec(op(), 0..40), service in 0..5usize, provider in proptest::option::of(0..3usize), day in 0..5i64, quarter in 32..68i64) {
        let mut c = hvac_company(native_zones());
        apply(&mut c, &ops);
        let snap = c.snapshot();
        let mut r = request(SERVICES[service], provider.map(|p| PROVIDERS[p]), &wall(day, quarter));
        r.client_ids = vec!["c-4".into()];
        let q = service_coordinator::planning::alternatives::AlternativesQuery { request: r, limit: 6, search_days: 5, ..Default::default() };
        for o in c.alternatives(&q, monday_morning()).unwrap() {
            let mut fresh = Coordinator::restore(native_zones(), &snap).unwrap();
            let mut b = request(SERVICES[service], Some(&o.provider_id), &service_coordinator::time::format_utc(o.start));
            b.client_ids = vec!["c-4".into()];
            let booked = fresh.book(b, monday_morning());
            prop_assert!(booked.is_ok(), "{:?} refused: {:?}", o, booked.err());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// A repair plan loses no booking (each broken one is moved or reported), moves only broken
    /// ones, and applying it leaves no double booking.
    #[test]
    fn a_repair_never_loses_or_double_books(ops in proptest::collection::vec(op(), 0..50), provider in 0..3usize, day in 0..5i64, from_q in 28..60i64, len_q in 4..40i64) {
        let mut c = hvac_company(native_zones());
        apply(&mut c, &ops);
        let now = monday_morning();
        let p = PROVIDERS[provider];
        let (start, end) = (wall(day, from_q), wall(day, (from_q + len_q).min(95)));
        let d = service_coordinator::model::plan::Disruption { provider_id: Some(p.into()), start: when(&start), end: when(&end), ..Default::default() };
        let plan = c.plan_repair(d, now).unwrap();
        // Which bookings the disruption broke, seen independently: Ana's movable jobs inside it.
        let iv = {
            let probe = c.check(&request("drain", Some("ben"), &start), now).unwrap().start;
            let probe_end = c.check(&request("drain", Some("ben"), &end), now).unwrap().start;
            service_coordinator::time::Interval::new(probe, probe_end)
        };
        let broken: Vec<String> = c.bookings(&BookingFilter { provider_id: Some(p.into()), ..Default::default() }, Default::default()).unwrap().into_iter()
            .filter(|b| matches!(b.status, Status::Tentative | Status::Confirmed) && b.end > now)
            .filter(|b| service_coordinator::time::Interval::new(b.start, b.end).overlaps(&iv))
            .map(|b| b.id.to_string()).collect();
        let mut handled: Vec<String> = plan.moves.iter().map(|m| m.booking_id.clone()).chain(plan.unplaced.iter().map(|u| u.booking_id.clone())).collect();
        handled.sort();
        let mut expected = broken.clone();
        expected.sort();
        prop_assert_eq!(handled, expected);
        c.apply_plan(&plan.id, now).unwrap();
        assert_no_double_booking(&c);
        for m in &plan.moves {
            let b = c.booking(&m.booking_id).unwrap();
            prop_assert_eq!((b.provider_id.to_string(), b.start), (m.to.provider_id.clone(), m.to.start));
            prop_assert!(!(b.provider_id == p && service_coordinator::time::Interval::new(b.start, b.end).overlaps(&iv)));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// An urgent job bumps only lower-priority bookings, loses none of them, and leaves no
    /// double booking behind.
    #[test]
    fn an_urgent_job_bumps_only_lower_priorities(ops in proptest::collection::vec(op(), 0..50), service in 0..3usize, priority in -2..3i32, hours in 1..30i64) {
        let mut c = hvac_company(native_zones());
        apply(&mut c, &ops);
        let now = monday_morning();
        let mut r = request(SERVICES[service], None, "2026-11-23T07:00");
        r.priority = priority;
        let deadline = service_coordinator::time::When::utc(now + hours * 3600);
        let u = service_coordinator::model::plan::UrgentRequest { request: r, deadline, search_days: Some(3) };
        if let Ok(plan) = c.plan_urgent(u, now) {
            let urgent = plan.urgent.clone().unwrap();
            prop_assert!(urgent.place.start <= now + hours * 3600);
            for id in &urgent.bumped {
                prop_assert!(c.booking(id).unwrap().priority < priority);
            }
            let mut handled: Vec<String> = plan.moves.iter().map(|m| m.booking_id.clone()).chain(plan.unplaced.iter().map(|x| x.booking_id.clone())).collect();
            handled.sort();
            let mut bumped = urgent.bumped.clone();
            bumped.sort();
            prop_assert_eq!(handled, bumped);
            c.apply_plan(&plan.id, now).unwrap();
            assert_no_double_booking(&c);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Every waitlist offer is bookable as it stands, and no two offers take the same time.
    #[test]
    fn waitlist_offers_are_bookable_and_apart(ops in proptest::collection::vec(op(), 0..50), waits in proptest::collection::vec((0..3usize, 1..5usize, -1..3i32, 0..5i64), 1..6)) {
        let mut c = hvac_company(native_zones());
        apply(&mut c, &ops);
        let now = monday_morning();
        for (service, client, priority, day) in waits {
            let e = service_coordinator::model::WaitlistEntry {
                service_id: SERVICES[service].into(),
                client_ids: vec![format!("c-{client}")],
                windows: vec![Window { start: when(&wall(day, 32)), end: when(&wall(day, 68)) }],
                priority,
                ..Default::default()
            };
            c.waitlist_add(e, now).unwrap();
        }
        let snap = c.snapshot();
        let offers = c.waitlist_offers(now).unwrap();
        let mut all = Coordinator::restore(native_zones(), &snap).unwrap();
        for o in &offers {
            let mut r = request(&o.service_id, Some(&o.provider_id), &service_coordinator::time::format_utc(o.start));
            r.client_ids = o.client_ids.clone();
            let mut alone = Coordinator::restore(native_zones(), &snap).unwrap();
            prop_assert!(alone.book(r.clone(), now).is_ok(), "offer {:?}", o);
            prop_assert!(all.book(r, now).is_ok(), "offers collide: {:?}", o);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Days of on-site visits across town: the slot search (which merges each stop's travel and
    /// overlap blocks into one) offers exactly the steps the rules leave open, and each one books.
    #[test]
    fn on_site_slots_are_exactly_the_steps_the_rules_leave_open(visits in proptest::collection::vec((28..68i64, 1..5usize), 1..8), client in 1..5usize) {
        let mut c = hvac_company(native_zones());
        let now = monday_morning();
        for (quarter, who) in visits {
            let mut r = request("boiler-service", Some("ana"), &wall(1, quarter));
            r.client_ids = vec![format!("c-{who}")];
            let _ = c.book(r, now);
        }
        let here = c.client(&format!("c-{client}")).unwrap().location.clone();
        let q = AvailabilityQuery { service_id: "boiler-service".into(), from: when("2026-11-24"), to: when("2026-11-25"),
            provider_ids: Some(vec!["ana".into()]), explain: true, location: here, ..Default::default() };
        let a = c.availability(&q, now).unwrap();
        prop_assert_eq!(a.slots.len() + a.unavailable.len(), 96);
        for s in &a.slots {
            let mut r = request("boiler-service", Some("ana"), &service_coordinator::time::format_utc(s.start));
            r.client_ids = vec![format!("c-{client}")];
            let checked = c.check(&r, now).unwrap();
            prop_assert!(checked.ok, "{:?}", checked.violations);
        }
    }
}
