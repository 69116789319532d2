//! libFuzzer target: any bytes, read as a scenario file, parse and validate without panicking.
//! Acceptance and refusal are both fine; a panic, an abort or a hang is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

/// A small budget keeps every accepted map small, so one input cannot starve the fuzzer of
/// memory (the budget check itself runs before anything of the map's size is allocated).
const BUDGET: u64 = 64 << 20;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = peacesim::scenario::parse_str_with(text, Path::new("fuzz.toml"), BUDGET);
    }
});
