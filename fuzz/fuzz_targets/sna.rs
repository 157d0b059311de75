//! Fuzzes `trama_hostile::sna`: the input is split at its first NUL byte
//! into an edge list and a node list (`trama_hostile::two_files`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (edges, nodes) = trama_hostile::two_files(data);
    if let Err(violation) = trama_hostile::sna(edges, nodes) {
        panic!("{violation}");
    }
});
