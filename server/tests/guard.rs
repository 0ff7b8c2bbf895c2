//! The exclusion constraint against the engine, on a real PostgreSQL (started by
//! scripts/postgres.sh, as `./dev test` does): it never refuses what the engine accepts, and when
//! a server with a stale engine writes a booking the up-to-date engine would refuse as an
//! OVERLAP, the constraint refuses it too, and only then.

use serde_json::{json, Value};
use service_coordinator::io::dispatch;
use service_coordinator::{native_zones, Coordinator};
use service_coordinator_server::store;
use tokio_postgres::NoTls;

/// 2026-11-30T00:00:00Z, a Monday: the visits are on the next week's Monday.
const NOW_MS: f64 = 1_796_083_200_000.0;
const DAY: &str = "2026-12-07";

fn database() -> String {
    let out = std::process::Command::new("../scripts/postgres.sh")
        .arg("sc_test")
        .output()
        .expect("scripts/postgres.sh runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn send(c: &mut Coordinator, method: &str, input: Value, seen: &mut Vec<String>) -> Value {
    let text = dispatch::call_with(
        c,
        &native_zones,
        method,
        &input.to_string(),
        NOW_MS,
        &mut |ch, _| {
            if ch.kind == "booking" {
                seen.push(ch.id.clone());
            }
        },
    );
    serde_json::from_str(&text).unwrap()
}

fn company() -> Coordinator {
    let mut c = Coordinator::new(native_zones(), "America/Chicago").unwrap();
    let hours = json!([{ "start": "08:00", "end": "18:00" }]);
    let mut seen = vec![];
    for p in ["ana", "ben"] {
        let r = send(
            &mut c,
            "upsertProvider",
            json!({ "id": p, "name": p, "timeZone": "America/Chicago",
            "skills": ["hvac"], "weeklyHours": { "mon": hours } }),
            &mut seen,
        );
        assert!(r["ok"].is_object(), "{r}");
    }
    for s in [
        json!({ "id": "fix", "name": "Fix", "durationMinutes": 30, "bufferAfterMinutes": 15, "requiredSkills": ["hvac"] }),
        json!({ "id": "install", "name": "Install", "durationMinutes": 90, "bufferBeforeMinutes": 10, "requiredSkills": ["hvac"] }),
        json!({ "id": "class", "name": "Class", "durationMinutes": 60, "seats": 3, "requiredSkills": ["hvac"] }),
    ] {
        assert!(send(&mut c, "upsertService", s, &mut seen)["ok"].is_object());
    }
    for i in 0..6 {
        assert!(send(
            &mut c,
            "upsertClient",
            json!({ "id": format!("c{i}"), "name": format!("Client {i}") }),
            &mut seen
        )["ok"]
            .is_object());
    }
    c
}

/// A small deterministic generator (no dependency for a test's dice).
struct Dice(u64);
impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn request(d: &mut Dice, id: Option<String>) -> Value {
    let service = ["fix", "install", "class"][d.roll(3)];
    let k = d.roll(36); // a quarter-hour from 08:00 to 16:45
    let provider = ["ana", "ben"][d.roll(2)];
    let mut r = json!({
        "serviceId": service,
        "providerId": provider,
        "clientIds": [format!("c{}", d.roll(6))],
        "start": format!("{DAY}T{:02}:{:02}", 8 + k / 4, (k % 4) * 15),
    });
    if let Some(id) = id {
        r["id"] = json!(id);
    }
    r
}

#[tokio::test]
async fn the_constraint_refuses_exactly_the_overlaps_the_engine_refuses() {
    let (mut db, connection) = tokio_postgres::connect(&database(), NoTls).await.unwrap();
    tokio::spawn(connection);
    store::create_schema(&db).await.unwrap();
    let tenant = format!("guard-{}", std::process::id());
    db.execute("DELETE FROM tenants WHERE id = $1", &[&tenant])
        .await
        .unwrap();
    db.execute("INSERT INTO tenants (id, head) VALUES ($1, 0)", &[&tenant])
        .await
        .unwrap();

    let mut fresh = company();
    let mut dice = Dice(7);
    let (mut refused, mut accepted, mut shared_sessions) = (0, 0, 0);
    for step in 0..1500 {
        // A new day every 30 steps, before the day is too full for any booking to get through.
        if step % 30 == 0 {
            fresh = company();
            db.execute("DELETE FROM held_time WHERE tenant = $1", &[&tenant])
                .await
                .unwrap();
        }
        // A second server whose engine missed the last few writes (no row lock between them).
        let mut stale = Coordinator::restore(native_zones(), &fresh.snapshot()).unwrap();
        for _ in 0..3 {
            let mut seen = vec![];
            match dice.roll(6) {
                0..=2 => {
                    send(&mut fresh, "book", request(&mut dice, None), &mut seen);
                }
                3 => {
                    let id = format!("bk-{}", 1 + dice.roll(step % 30 + 1));
                    let to = request(&mut dice, None);
                    send(
                        &mut fresh,
                        "reschedule",
                        json!([id, { "start": to["start"], "providerId": to["providerId"] }]),
                        &mut seen,
                    );
                }
                4 => {
                    let id = format!("bk-{}", 1 + dice.roll(step % 30 + 1));
                    send(&mut fresh, "cancel", json!([id, {}]), &mut seen);
                }
                _ => {}
            }
            // What the engine accepted, the constraint accepts.
            let rows: Vec<_> = seen
                .iter()
                .map(|id| (id.clone(), fresh.booking(id).and_then(store::held)))
                .collect();
            let tx = db.transaction().await.unwrap();
            store::write_held(&tx, &tenant, &rows).await.unwrap_or_else(|e| {
                panic!("step {step}: the constraint refused what the engine accepted ({rows:?}): {e}")
            });
            tx.commit().await.unwrap();
        }
        // The stale server books; would the up-to-date engine call it an overlap?
        let req = request(&mut dice, Some(format!("stale-{step}")));
        let mut seen = vec![];
        if send(&mut stale, "book", req.clone(), &mut seen)["ok"].is_null() {
            continue; // refused already on the stale copy
        }
        let row = stale
            .booking(&format!("stale-{step}"))
            .and_then(store::held);
        let check = send(&mut fresh, "check", req.clone(), &mut vec![]);
        let overlap = check["ok"]["violations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["code"] == "OVERLAP");
        let tx = db.transaction().await.unwrap();
        let written = store::write_held(&tx, &tenant, &[(format!("stale-{step}"), row)]).await;
        tx.rollback().await.unwrap();
        match written {
            Err(e) if store::is_double_booking(&e) => {
                assert!(
                    overlap,
                    "step {step}: the constraint refused {req}, which the engine accepts: {check}"
                );
                refused += 1;
            }
            Err(e) => panic!("{e}"),
            Ok(()) => {
                assert!(
                    !overlap,
                    "step {step}: the constraint let through {req}, an overlap: {check}"
                );
                accepted += 1;
                if req["serviceId"] == "class" && check["ok"]["ok"] == true {
                    shared_sessions += 1;
                }
            }
        }
    }
    db.execute("DELETE FROM tenants WHERE id = $1", &[&tenant])
        .await
        .unwrap();
    println!("guard: {refused} refused as overlaps, {accepted} let through ({shared_sessions} seats of a session)");
    assert!(
        refused >= 50 && accepted >= 50,
        "too few of either to mean much: {refused} refused, {accepted} accepted"
    );
}
