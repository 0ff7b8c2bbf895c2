//! Scenarios: saves from earlier formats.

use super::*;

/// A save from before group bookings kept their seats (format 1) still loads: each booking takes
/// its service's seats, the class keeps its third seat, and the next save is format 2.
#[test]
fn a_format_1_save_still_loads_with_its_class_intact() {
    let text = std::fs::read_to_string("tests/data/snapshot-v1.json").unwrap();
    let mut c = Coordinator::restore(native_zones(), &text).unwrap();
    let class: Vec<_> = c
        .bookings(
            &BookingFilter {
                service_id: Some("safety-class".into()),
                ..Default::default()
            },
            Default::default(),
        )
        .unwrap()
        .into_iter()
        .map(|b| b.session_seats)
        .collect();
    assert_eq!(class, vec![3, 3]);
    let now = at("2026-11-23T12:00:00Z");
    let mut third = request("safety-class", Some("ana"), "2026-11-24T09:00");
    third.client_ids = vec![];
    c.book(third.clone(), now).unwrap();
    assert_eq!(c.book(third, now).unwrap_err().code, Code::SeatsFull);
    let saved = c.snapshot();
    assert!(saved.starts_with("{\"version\":2,"));
    assert_eq!(
        Coordinator::restore(native_zones(), &saved)
            .unwrap()
            .snapshot(),
        saved
    );
}

/// A save read in pieces, as the JS API hands it over 256 KB at a time, is the same state
/// as the save read whole, wherever the pieces are cut (inside a booking, a string, an escape).
#[test]
fn a_save_read_in_pieces_is_the_save_read_whole() {
    let text = std::fs::read_to_string("tests/data/snapshot-v1.json").unwrap();
    let saved = Coordinator::restore(native_zones(), &text)
        .unwrap()
        .snapshot();
    for n in [1, 2, 3, 7, 64, 1000] {
        let mut r = service_coordinator::state::Restore::new(native_zones());
        for piece in saved.as_bytes().chunks(n) {
            // The snapshot is ASCII here (JSON escapes), so byte pieces are whole characters.
            r.feed(std::str::from_utf8(piece).unwrap()).unwrap();
        }
        assert_eq!(r.finish().unwrap().snapshot(), saved, "pieces of {n} bytes");
    }
    // A save cut short is refused, and says so.
    let mut r = service_coordinator::state::Restore::new(native_zones());
    r.feed(&saved[..saved.len() - 1]).unwrap();
    let Err(e) = r.finish() else {
        panic!("a save cut short was read")
    };
    assert_eq!(e.code, Code::InvalidJson);
    assert!(e.message.contains("ends before"), "{}", e.message);
}

/// A host's own snapshot may list its catalog in any order (a CRM's export): it restores to the
/// engine's order, its bookings find their clients, and a client named twice is still refused.
#[test]
fn a_hosts_snapshot_restores_whatever_order_its_catalog_is_in() {
    let mut c = company();
    for i in 0..300 {
        c.upsert_client(from(
            json!({ "id": format!("crm-{i}"), "name": format!("Client {i}") }),
        ))
        .unwrap();
    }
    let saved = c.snapshot();
    let mut v: serde_json::Value = serde_json::from_str(&saved).unwrap();
    for list in ["providers", "services", "clients"] {
        v[list].as_array_mut().unwrap().reverse();
    }
    assert_ne!(v.to_string(), saved, "the catalog's order is the host's");
    let back = Coordinator::restore(native_zones(), &v.to_string()).unwrap();
    assert_eq!(back.snapshot(), saved);
    let clients = v["clients"].as_array_mut().unwrap();
    let again = clients[7].clone();
    clients.push(again);
    let Err(e) = Coordinator::restore(native_zones(), &v.to_string()) else {
        panic!("a client named twice was restored")
    };
    assert_eq!(e.code, Code::DuplicateId);
}
