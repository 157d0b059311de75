//! Prints the seed's national results (DOMAIN.md, point 4) as Trama draws
//! them: `cargo run -p trama-results --example seed_chart > seed.svg`.

use trama_i18n::Lang;
use trama_results::charts::{Bar, diverging_bars};
use trama_results::likert::Pct;

fn main() {
    let bar = |label: &str, na, p: [f64; 5]| Bar {
        label: label.into(),
        n: None,
        pct: Some(Pct {
            na: Some(na),
            p1: p[0],
            p2: p[1],
            p3: p[2],
            p4: p[3],
            p5: p[4],
        }),
    };
    let bars = [
        bar("Capital social", 5.4, [2.1, 9.7, 20.4, 35.8, 26.6]),
        bar("Organización de la red", 5.2, [3.1, 11.1, 22.5, 33.3, 24.8]),
        Bar {
            label: "Región XI".into(),
            n: None,
            pct: None,
        },
    ];
    println!(
        "{}",
        diverging_bars(
            "seed",
            "Resultados nacionales por dimensión",
            &bars,
            5,
            Lang::Es
        )
    );
}
