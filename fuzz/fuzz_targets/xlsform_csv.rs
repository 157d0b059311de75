//! Fuzzes `trama_hostile::xlsform_csv`: the same reader and promises as the
//! property tests in crates/hostile.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(violation) = trama_hostile::xlsform_csv(data) {
        panic!("{violation}");
    }
});
