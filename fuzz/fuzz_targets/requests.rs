//! Any text as the input of any method: a coded answer, never a panic; the contract holds.
#![no_main]
#[path = "common.rs"]
mod common;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let method = common::METHODS[pick as usize % common::METHODS.len()];
    let input = String::from_utf8_lossy(rest);
    let mut c = common::company();
    common::checked_call(&mut c, method, &input, common::NOW_MS);
});
