//! Every reader the JS boundary reaches, fed random text and mutated valid text: each answers with
//! a value or a coded error, never a panic (in wasm a panic aborts the instance and its state).
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use proptest::prelude::*;
use service_coordinator::time::rrule;
use service_coordinator::{json, native_zones, time, Coordinator};

const ICS: &str = "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:X\r\nBEGIN:STANDARD\r\nDTSTART:16011104T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=X:20261124T090000\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nEXDATE;TZID=X:20261201T090000\r\nSUMMARY:a\\, b\r\nEND:VEVENT\r\nBEGIN:VFREEBUSY\r\nFREEBUSY:20261124T140000Z/PT1H\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n";

/// Valid text with a few bytes changed, dropped or duplicated.
fn mutated(seed: &'static str) -> impl Strategy<Value = String> {
    proptest::collection::vec((0..seed.len(), 0..4u8, any::<char>()), 1..6).prop_map(move |edits| {
        let mut s: Vec<char> = seed.chars().collect();
        for (at, op, ch) in edits {
            let at = at.min(s.len().saturating_sub(1));
            match op {
                0 if !s.is_empty() => {
                    s.remove(at);
                }
                1 => s.insert(at, ch),
                2 if !s.is_empty() => s[at] = ch,
                _ => {
                    let tail: Vec<char> = s[at..].iter().take(8).copied().collect();
                    s.splice(at..at, tail);
                }
            }
        }
        s.into_iter().collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        let _ = json::parse(&text);
        let _ = time::parse_time(&text);
        let _ = time::TimeOfDay::parse(&text);
        let _ = rrule::Rule::parse(&text);
        let _ = rrule::parse_basic(&text);
        let mut c = hvac_company(native_zones());
        let q = service_coordinator::io::ical_import::ImportQuery { provider_id: "ben".into(), horizon_days: Some(30), ..Default::default() };
        let _ = c.import_icalendar(&text, &q, monday_morning());
        let _ = Coordinator::restore(native_zones(), &text);
    }

    #[test]
    fn mutated_rules_never_panic(text in mutated("FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR,2MO;BYMONTH=1,6;BYSETPOS=1,-1;COUNT=20")) {
        if let Ok(r) = rrule::Rule::parse(&text) {
            let q = rrule::ExpandQuery { rrule: r.to_string(), dtstart: when("2026-01-30T09:00"), limit: Some(50), ..Default::default() };
            let _ = rrule::expand(&native_zones(), "America/New_York", &q);
        }
    }

    #[test]
    fn mutated_calendars_never_panic(text in mutated(ICS)) {
        let mut c = hvac_company(native_zones());
        let before = c.snapshot();
        let q = service_coordinator::io::ical_import::ImportQuery { provider_id: "ben".into(), horizon_days: Some(60), ..Default::default() };
        if c.import_icalendar(&text, &q, monday_morning()).is_err() {
            prop_assert_eq!(c.snapshot(), before);
        }
    }

    #[test]
    fn mutated_snapshots_never_panic(edits in mutated(r#"{"version":1,"timeZone":"UTC","nextId":2,"providers":[{"id":"p","name":"P","timeZone":"UTC","weeklyHours":{"mon":[{"start":"09:00","end":"17:00"}]}}],"services":[{"id":"s","name":"S","durationMinutes":60}],"resources":[],"clients":[],"bookings":[]}"#)) {
        let _ = Coordinator::restore(native_zones(), &edits);
    }
}

/// Mutations of real requests, read and then run through the engine's methods: the rules must
/// answer every one of them (a value or a coded error) without panicking.
fn run_mutated(method: &str, text: &str) {
    let mut c = hvac_company(native_zones());
    let now = monday_morning();
    let _ = c.book(request("drain", Some("ben"), "2026-11-24T09:00"), now);
    let _ = c.book(
        request("furnace-repair", Some("ana"), "2026-11-24T13:00"),
        now,
    );
    macro_rules! read {
        ($t:ty) => {
            match json::from_str::<$t>(text, method) {
                Ok(v) => v,
                Err(_) => return,
            }
        };
    }
    use service_coordinator::model::*;
    match method {
        "book" => {
            let _ = c.book(read!(BookingRequest), now);
        }
        "check" => {
            let r = read!(BookingRequest);
            let _ = c.check(&r, now);
            let _ = c.explain(&r, now);
            let _ = c.hold(r, 5, now);
        }
        "availability" => {
            let _ = c.availability(&read!(AvailabilityQuery), now);
        }
        "freeBusy" => {
            let _ = c.free_busy(&read!(FreeBusyQuery), now);
        }
        "bookings" => {
            let _ = c.bookings(&read!(BookingFilter), Default::default());
        }
        // After the visit: on Wednesday, when Tuesday's visits are past.
        "visit" => {
            let later = at("2026-11-26T12:00:00Z");
            let u = read!(VisitUpdate);
            let _ = c.update_visit("bk-1", u.clone(), later);
            let opts = WriteOptions {
                visit: Some(u),
                ..Default::default()
            };
            let _ = c.set_status("bk-1", Status::Completed, opts, later);
            let entry = billing::TimeEntryInput {
                booking_id: Some("bk-1".into()),
                ..Default::default()
            };
            let _ = c.add_time_entry(entry, later);
            let _ = c.follow_ups(&Default::default(), later);
            let _ = c.invoice("bk-1");
        }
        "timeEntry" => {
            let later = at("2026-11-26T12:00:00Z");
            if let Ok(e) = c.add_time_entry(read!(billing::TimeEntryInput), later) {
                let _ = c.approve_time_entries(std::slice::from_ref(&e.id), later);
                let _ = c.correct_time_entry(&e.id, Default::default(), later);
            }
        }
        "metrics" => {
            let _ = c.metrics(
                &read!(service_coordinator::reports::metrics::MetricsQuery),
                now,
            );
        }
        "report" => {
            let q = read!(service_coordinator::reports::billing::TimesheetQuery);
            let _ = c.timesheet(&q);
            let _ = c.visits_csv(&q);
        }
        "fhir" => {
            let _ = c.fhir(&read!(service_coordinator::reports::fhir::FhirQuery), now);
        }
        "alternatives" => {
            let _ = c.alternatives(
                &read!(service_coordinator::planning::alternatives::AlternativesQuery),
                now,
            );
        }
        "planRepair" => {
            if let Ok(plan) =
                c.plan_repair(read!(service_coordinator::model::plan::Disruption), now)
            {
                let _ = c.apply_plan(&plan.id, now);
            }
        }
        "planUrgent" => {
            if let Ok(plan) =
                c.plan_urgent(read!(service_coordinator::model::plan::UrgentRequest), now)
            {
                let _ = c.apply_plan(&plan.id, now);
            }
        }
        "waitlist" => {
            if c.waitlist_add(read!(service_coordinator::model::WaitlistEntry), now)
                .is_ok()
            {
                let _ = c.waitlist_offers(now);
            }
        }
        "series" => {
            let _ = c.book_series(
                &read!(service_coordinator::planning::series::SeriesRequest),
                now,
            );
        }
        "provider" => {
            let _ = c.upsert_provider(read!(Provider));
            let _ = c.availability(
                &AvailabilityQuery {
                    service_id: "drain".into(),
                    from: when("2026-11-23"),
                    to: when("2026-12-23"),
                    explain: true,
                    ..Default::default()
                },
                now,
            );
        }
        "service" => {
            let _ = c.upsert_service(read!(Service));
            let _ = c.availability(
                &AvailabilityQuery {
                    service_id: "drain".into(),
                    from: when("2026-11-23"),
                    to: when("2026-11-30"),
                    ..Default::default()
                },
                now,
            );
        }
        _ => unreachable!(),
    }
    let _ = c.export_icalendar(&Default::default(), now);
}

/// Values that matter, by kind: DST gaps and overlaps, the edges of the supported years, zero,
/// negatives, the largest numbers, fractions, ids that do not exist, and text that is no time.
const TIMES: &[&str] = &[
    "2026-11-24T09:00",
    "2026-03-08T02:30",
    "2026-11-01T01:30",
    "1900-01-01T00:00",
    "2200-12-31T23:59",
    "2026-11-24",
    "2026-11-24T09:00:00Z",
    "2026-11-24T09:00+14:00",
    "2026-02-29T10:00",
    "",
    "soon",
    "1899-12-31T23:59",
];
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "7",
    "60",
    "1440",
    "4294967295",
    "4294967296",
    "1e9",
    "1.5",
    "-2147483648",
    "99999999999999999999",
];
const IDS: &[&str] = &[
    "ben",
    "ana",
    "cara",
    "drain",
    "furnace-repair",
    "safety-class",
    "van-1",
    "c-1",
    "nope",
    "",
    "\u{0}",
    "bk-1",
];
const ZONES: &[&str] = &[
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "UTC",
    "Mars/Base",
    "Etc/GMT+12",
    "Pacific/Kiritimati",
];

/// A template with holes `@T` (time), `@N` (number), `@I` (id), `@Z` (zone), filled from the lists.
fn filled(template: &'static str) -> impl Strategy<Value = String> {
    let holes = template.matches('@').count();
    proptest::collection::vec(any::<prop::sample::Index>(), holes).prop_map(move |picks| {
        let mut out = String::new();
        let mut rest = template;
        let mut k = 0;
        while let Some(i) = rest.find('@') {
            out.push_str(&rest[..i]);
            let kind = &rest[i + 1..i + 2];
            let list = match kind {
                "T" => TIMES,
                "N" => NUMBERS,
                "I" => IDS,
                _ => ZONES,
            };
            let v = list[picks[k].index(list.len())];
            // Numbers go in bare (some are not numbers a field accepts); the rest as JSON strings.
            if kind == "N" {
                out.push_str(v)
            } else {
                out.push_str(&serde_json::to_string(v).unwrap())
            }
            k += 1;
            rest = &rest[i + 2..];
        }
        out.push_str(rest);
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn odd_values_in_real_requests_never_panic(
        b in filled(r#"{"serviceId":@I,"providerId":@I,"start":@T,"end":@T,"clientIds":[@I],"timeZone":@Z,"priority":@N}"#),
        q in filled(r#"{"serviceId":@I,"from":@T,"to":@T,"providerIds":[@I],"explain":true,"timeZone":@Z}"#),
        f in filled(r#"{"from":@T,"to":@T,"providerIds":[@I],"resourceIds":[@I],"timeZone":@Z}"#),
        d in filled(r#"{"providerId":@I,"start":@T,"end":@T,"searchDays":@N}"#),
        u in filled(r#"{"serviceId":@I,"priority":@N,"deadline":@T,"searchDays":@N}"#),
        a in filled(r#"{"request":{"serviceId":@I,"providerId":@I,"start":@T},"limit":@N,"searchDays":@N}"#),
        w in filled(r#"{"serviceId":@I,"clientIds":[@I],"windows":[{"start":@T,"end":@T}],"priority":@N}"#),
        s in filled(r#"{"request":{"serviceId":@I,"providerId":@I,"start":@T},"rrule":"FREQ=DAILY;COUNT=5","bookableOnly":true,"alternatives":@N}"#),
        p in filled(r#"{"id":@I,"name":"Zed","timeZone":@Z,"weeklyHours":{"mon":[{"start":"00:00","end":"24:00"}]},"timeOff":[{"start":@T,"end":@T}],"recurringTimeOff":[{"rrule":"FREQ=WEEKLY","start":@T,"end":@T}],"dailyCap":@N}"#),
        v in filled(r#"{"id":@I,"name":"S","durationMinutes":@N,"slotStepMinutes":@N,"bufferAfterMinutes":@N,"minNoticeMinutes":@N,"horizonDays":@N,"seats":@N}"#),
    ) {
        run_mutated("book", &b);
        run_mutated("check", &b);
        run_mutated("availability", &q);
        run_mutated("freeBusy", &f);
        run_mutated("planRepair", &d);
        run_mutated("planUrgent", &u);
        run_mutated("alternatives", &a);
        run_mutated("waitlist", &w);
        run_mutated("series", &s);
        run_mutated("provider", &p);
        run_mutated("service", &v);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn odd_values_after_the_visit_never_panic(
        v in filled(r#"{"actualStart":@T,"actualEnd":@T,"departedAt":@T,"timeZone":@Z,"outcome":"not_done","outcomeReason":@I,"parts":[{"item":@I,"quantity":@N,"unitPriceMinor":@N}],"signature":{"path":"M0 0 L1 1","width":@N},"satisfaction":{"csat":@N,"nps":@N},"checklist":[@I]}"#),
        e in filled(r#"{"bookingId":@I,"providerId":@I,"kind":"admin","start":@T,"end":@T,"timeZone":@Z,"rateMinor":@N}"#),
        m in filled(r#"{"from":@T,"to":@T,"timeZone":@Z,"groupBy":"week","providerIds":[@I]}"#),
        r in filled(r#"{"from":@T,"to":@T,"timeZone":@Z,"providerId":@I}"#),
        f in filled(r#"{"from":@T,"to":@T,"timeZone":@Z,"providerId":@I,"serviceId":@I}"#),
    ) {
        run_mutated("visit", &v);
        run_mutated("timeEntry", &e);
        run_mutated("metrics", &m);
        run_mutated("report", &r);
        run_mutated("fhir", &f);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn mutated_visit_records_and_reports_never_panic(
        v in mutated(r#"{"actualStart":"2026-11-24T09:05","actualEnd":"2026-11-24T09:58","outcome":"partially_resolved","workNotes":"ok","parts":[{"item":"Valve","quantity":2,"unitPriceMinor":1250}],"signature":{"path":"M0 0 C 5 5, 10 0, 20 5"},"satisfaction":{"csat":4,"nps":9}}"#),
        m in mutated(r#"{"from":"2026-11-01","to":"2026-12-01","timeZone":"America/New_York","groupBy":"client","weekStart":"sunday","serviceIds":["drain"]}"#),
    ) {
        run_mutated("visit", &v);
        run_mutated("metrics", &m);
    }

    #[test]
    fn mutated_booking_requests_never_panic(t in mutated(r#"{"serviceId":"drain","providerId":"ben","start":"2026-11-24T11:00","clientIds":["c-1"],"timeZone":"America/New_York","priority":3,"resources":[{"resourceId":"van-1","quantity":1}]}"#)) {
        run_mutated("book", &t);
        run_mutated("check", &t);
    }

    #[test]
    fn mutated_queries_never_panic(t in mutated(r#"{"serviceId":"furnace-repair","from":"2026-11-23","to":"2026-12-07","providerIds":["ana","cara"],"explain":true,"timeZone":"Australia/Lord_Howe"}"#)) {
        run_mutated("availability", &t);
    }

    #[test]
    fn mutated_free_busy_and_filters_never_panic(t in mutated(r#"{"from":"2026-11-23T00:00:00Z","to":"2026-11-30","providerIds":["ben"],"resourceIds":["van-1"],"status":["confirmed"],"clientId":"c-1"}"#)) {
        run_mutated("freeBusy", &t);
        run_mutated("bookings", &t);
    }

    #[test]
    fn mutated_plans_never_panic(t in mutated(r#"{"providerId":"ben","start":"2026-11-24T08:00","end":"2026-11-24T12:00","reason":"sick","searchDays":3}"#),
                                 u in mutated(r#"{"serviceId":"drain","priority":4,"deadline":"2026-11-24T10:00","clientIds":["c-2"],"searchDays":2}"#)) {
        run_mutated("planRepair", &t);
        run_mutated("planUrgent", &u);
    }

    #[test]
    fn mutated_alternatives_waitlist_and_series_never_panic(a in mutated(r#"{"request":{"serviceId":"drain","providerId":"ben","start":"2026-11-24T09:00"},"limit":7,"searchDays":5,"window":{"start":"13:00","end":"17:00"}}"#),
                                                           w in mutated(r#"{"serviceId":"drain","clientIds":["c-3"],"windows":[{"start":"2026-11-24T08:00","end":"2026-11-25T17:00"}],"priority":2}"#),
                                                           s in mutated(r#"{"request":{"serviceId":"drain","providerId":"ben","start":"2026-11-24T10:00"},"rrule":"FREQ=WEEKLY;COUNT=5","bookableOnly":true,"alternatives":2}"#)) {
        run_mutated("alternatives", &a);
        run_mutated("waitlist", &w);
        run_mutated("series", &s);
    }

    #[test]
    fn mutated_records_never_panic(p in mutated(r#"{"id":"zed","name":"Zed","skills":["plumbing"],"timeZone":"Asia/Kolkata","weeklyHours":{"mon":[{"start":"00:00","end":"24:00"}]},"dateOverrides":[{"date":"2026-11-24","hours":[{"start":"22:00","end":"24:00"}]}],"timeOff":[{"start":"2026-11-25","end":"2026-11-26"}],"recurringTimeOff":[{"rrule":"FREQ=DAILY;INTERVAL=3","start":"2026-11-23T12:00","end":"2026-11-23T13:00"}],"dailyCap":2}"#),
                                   s in mutated(r#"{"id":"drain","name":"Drain","durationMinutes":45,"slotStepMinutes":20,"bufferBeforeMinutes":10,"bufferAfterMinutes":25,"minNoticeMinutes":30,"horizonDays":20,"seats":2,"requiredSkills":["plumbing"]}"#)) {
        run_mutated("provider", &p);
        run_mutated("service", &s);
    }
}
