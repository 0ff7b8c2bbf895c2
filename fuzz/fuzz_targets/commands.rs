//! A day of calls chosen by the input: bookings, holds, moves, cancellations, catalog edits and
//! removals, plans, and a clock that moves both ways. After every call the contract holds (a
//! refusal changes nothing; the state saves and loads), and at the end no provider is double
//! booked and no van is used twice.
#![no_main]
#[path = "common.rs"]
mod common;
use libfuzzer_sys::fuzz_target;
use service_coordinator::model::BookingFilter;

const PROVIDERS: [&str; 3] = ["ana", "ben", "nobody"];
const SERVICES: [&str; 3] = ["tune-up", "class", "drain"];

fuzz_target!(|data: &[u8]| {
    let mut c = common::company();
    let mut now = common::NOW_MS;
    for op in data.chunks(4) {
        let [kind, a, b, d] = [
            op[0],
            *op.get(1).unwrap_or(&0),
            *op.get(2).unwrap_or(&0),
            *op.get(3).unwrap_or(&0),
        ];
        let when = format!(
            "2026-11-{:02}T{:02}:{:02}",
            23 + a % 6,
            6 + b % 14,
            (d % 4) * 15
        );
        let ids: Vec<String> = c
            .bookings(&BookingFilter::default(), Default::default())
            .map(|l| l.iter().map(|x| x.id.to_string()).collect())
            .unwrap_or_default();
        let booking = ids
            .get(a as usize % ids.len().max(1))
            .cloned()
            .unwrap_or_default();
        let service = SERVICES[b as usize % 3];
        let provider = PROVIDERS[d as usize % 3];
        let clients = ["[]", r#"["c-1"]"#, r#"["c-1","c-2"]"#, r#"["c-1","c-1"]"#][d as usize % 4];
        let (method, input) = match kind % 14 {
            0 => (
                "book",
                format!(
                    r#"{{"serviceId":"{service}","providerId":"{provider}","start":"{when}","clientIds":{clients}}}"#
                ),
            ),
            1 => (
                "book",
                format!(
                    r#"{{"serviceId":"{service}","start":"{when}","id":"bk-{}"}}"#,
                    a % 8
                ),
            ),
            2 => (
                "hold",
                format!(
                    r#"[{{"serviceId":"{service}","providerId":"{provider}","start":"{when}"}},{}]"#,
                    1 + d % 30
                ),
            ),
            3 => (
                "confirmHold",
                format!(r#"["{booking}",{{"clientIds":{clients}}}]"#),
            ),
            4 => (
                "reschedule",
                format!(r#"["{booking}",{{"start":"{when}","providerId":"{provider}"}}]"#),
            ),
            5 => ("cancel", format!(r#"["{booking}",{{}}]"#)),
            6 => (
                "setStatus",
                format!(
                    r#"["{booking}","{}"]"#,
                    ["completed", "no_show", "checked_in"][d as usize % 3]
                ),
            ),
            7 => (
                "upsertService",
                format!(
                    r#"{{"id":"{service}","name":"S","durationMinutes":{},"seats":{},"bufferAfterMinutes":{}}}"#,
                    30 + 30 * (a % 4) as u32,
                    1 + d % 4,
                    (b % 3) * 15
                ),
            ),
            8 => (
                "upsertResource",
                format!(
                    r#"{{"id":"van-1","name":"Van","kind":"van","quantity":{}}}"#,
                    1 + d % 2
                ),
            ),
            9 => (
                [
                    "removeService",
                    "removeProvider",
                    "removeClient",
                    "removeResource",
                ][d as usize % 4],
                format!(
                    "\"{}\"",
                    [service, provider, "c-2", "van-1"][d as usize % 4]
                ),
            ),
            10 => {
                let plan = common::checked_call(
                    &mut c,
                    "planRepair",
                    &format!(
                        r#"{{"providerId":"{provider}","start":"{when}","end":"2026-11-29T00:00"}}"#
                    ),
                    now,
                );
                match plan
                    .split("\"id\":\"")
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                {
                    Some(id) => ("applyPlan", format!("\"{id}\"")),
                    None => continue,
                }
            }
            11 => (
                "waitlistAdd",
                format!(
                    r#"{{"id":"wl-{}","serviceId":"{service}","clientIds":["c-1"],"windows":[{{"start":"{when}","end":"2026-11-30T00:00"}}]}}"#,
                    a % 4
                ),
            ),
            12 => (
                "planUrgent",
                format!(r#"{{"serviceId":"{service}","priority":5,"deadline":"{when}"}}"#),
            ),
            _ => {
                now += (i64::from(a) - 40) as f64 * 600_000.0; // the clock, both ways
                continue;
            }
        };
        common::checked_call(&mut c, method, &input, now);
    }
    // No two live bookings of one provider overlap, seats of one session aside.
    let all = c.bookings(&BookingFilter::default(), Default::default()).unwrap_or_default();
    let live: Vec<_> = all
        .iter()
        .filter(|b| b.status.blocks_time() && b.expires_at().is_none())
        .collect();
    for (i, x) in live.iter().enumerate() {
        for y in &live[i + 1..] {
            let session = x.service_id == y.service_id
                && x.start == y.start
                && x.end == y.end
                && x.session_seats.max(y.session_seats) > 1;
            if x.provider_id == y.provider_id && !session {
                assert!(
                    !x.blocked().overlaps(&y.blocked()),
                    "double booking: {} and {}",
                    x.id,
                    y.id
                );
            }
        }
    }
});
