//! Fuzzes `trama_hostile::networks`: the same reader and promises as the
//! property tests in crates/hostile.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(violation) = trama_hostile::networks(data) {
        panic!("{violation}");
    }
});
