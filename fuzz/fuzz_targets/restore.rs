//! Any text as a snapshot: refused with a code, or restored to a state that writes back the
//! same text it then reads again (restore is a fixed point after one round). Read in pieces (of
//! a size the input picks), the same text gives the same answer as read whole.
#![no_main]
#[path = "common.rs"]
mod common;
use libfuzzer_sys::fuzz_target;
use service_coordinator::state::Restore;
use service_coordinator::Coordinator;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let whole = Coordinator::restore(common::zones(), &text);
    let size = usize::from(data.first().copied().unwrap_or(0) % 17) + 1;
    let mut pieces = Restore::new(common::zones());
    let mut fed = Ok(());
    let mut rest: &str = &text;
    while fed.is_ok() && !rest.is_empty() {
        let mut k = size.min(rest.len());
        while !rest.is_char_boundary(k) {
            k += 1;
        }
        let (piece, tail) = rest.split_at(k);
        fed = pieces.feed(piece);
        rest = tail;
    }
    let cut = fed.and_then(|()| pieces.finish());
    match (&whole, &cut) {
        (Ok(a), Ok(b)) => assert_eq!(a.snapshot(), b.snapshot(), "whole and in pieces differ"),
        (Err(a), Err(b)) => assert_eq!(
            a.code, b.code,
            "whole: {}; in pieces: {}",
            a.message, b.message
        ),
        _ => panic!(
            "whole: {:?}; in pieces: {:?}",
            whole.as_ref().err().map(|e| &e.message),
            cut.as_ref().err().map(|e| &e.message)
        ),
    }
    if let Ok(c) = whole {
        common::saves_and_loads(&c.snapshot());
    }
});
