//! Seeded synthetic responses for benchmarks and load tests: a design of
//! `items` agreement items over two dimensions and ten sub-dimensions, and a
//! responses CSV in the export format.

use std::io::{self, Write};

use crate::design::{Design, RatingItem, Scale};

/// SplitMix64: tiny, fast and identical everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

pub const SUBDIMENSIONS: [(&str, &str); 10] = [
    ("capital_social", "confianza"),
    ("capital_social", "compromiso"),
    ("capital_social", "diversidad_participacion"),
    ("capital_social", "innovacion_colaborativa"),
    ("capital_social", "generacion_conocimiento"),
    ("organizacion_red", "corresponsabilidad"),
    ("organizacion_red", "transversalidad"),
    ("organizacion_red", "horizontalidad"),
    ("organizacion_red", "proyeccion"),
    ("organizacion_red", "colaboracion"),
];

pub fn design(items: usize) -> Design {
    let items = (0..items)
        .map(|i| {
            let (d, s) = SUBDIMENSIONS[i % SUBDIMENSIONS.len()];
            RatingItem {
                name: format!("p{:02}", i + 1),
                dimension: d.into(),
                subdimension: s.into(),
                reverse: i % 7 == 3,
                label_es: format!("Afirmación {}", i + 1),
                label_en: format!("Statement {}", i + 1),
                finding_es: None,
                finding_en: None,
            }
        })
        .collect();
    Design {
        items,
        scales: vec![
            Scale {
                code: "capital_social".into(),
                label_es: "Capital social".into(),
                label_en: "Social capital".into(),
            },
            Scale {
                code: "organizacion_red".into(),
                label_es: "Organización de la red".into(),
                label_en: "Network organisation".into(),
            },
        ],
    }
}

/// Writes `design` as an instrument: the `survey` sheet of an XLSForm as
/// CSV (`type,name,label::es,label::en,dimension,subdimension,reverse`),
/// which `trama report likert --instrument` and `trama instrument import`
/// read. Dimension labels come from the default RME form's codes.
pub fn write_instrument(design: &Design, out: &mut impl Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "type",
        "name",
        "label::es",
        "label::en",
        "dimension",
        "subdimension",
        "reverse",
    ])?;
    for i in &design.items {
        w.write_record([
            "select_one acuerdo5",
            &i.name,
            &i.label_es,
            &i.label_en,
            &i.dimension,
            &i.subdimension,
            if i.reverse { "1" } else { "0" },
        ])?;
    }
    w.flush()
}

/// Writes `rows` responses for `design` (16 regions, 500 networks).
pub fn write_responses(
    design: &Design,
    rows: usize,
    seed: u64,
    out: &mut impl Write,
) -> io::Result<()> {
    let mut rng = Rng(seed);
    let mut w = io::BufWriter::with_capacity(1 << 20, out);
    write!(w, "response_id,region,deprov,network,role,submitted_at")?;
    for i in &design.items {
        write!(w, ",{}", i.name)?;
    }
    writeln!(w)?;
    let roles = ["director", "jefe_utp", "docente", "sostenedor"];
    let values: [&[u8]; 8] = [b"1", b"2", b"3", b"4", b"4", b"5", b"NA", b""];
    for r in 0..rows {
        let net = rng.next() % 500;
        let region = net % 16 + 1;
        write!(
            w,
            "r{r},{region},{}{},RME{},{},2024-05-{:02}",
            region,
            net % 3,
            net + 1,
            roles[(rng.next() % 4) as usize],
            1 + rng.next() % 28
        )?;
        for _ in &design.items {
            w.write_all(b",")?;
            w.write_all(values[(rng.next() % 8) as usize])?;
        }
        w.write_all(b"\n")?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_file_reads_back() {
        let d = super::design(20);
        let mut buf = vec![];
        super::write_responses(&d, 100, 3, &mut buf).unwrap_or_else(|e| panic!("{e}"));
        let t =
            crate::responses::ResponseTable::read("s.csv", buf.as_slice(), &d, &Default::default())
                .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((t.len(), t.k), (100, 20));
    }

    #[test]
    fn generated_instrument_reads_back_as_the_same_design() {
        let d = super::design(12);
        let mut buf = vec![];
        super::write_instrument(&d, &mut buf).unwrap_or_else(|e| panic!("{e}"));
        let instrument =
            trama_instrument::read_csv("synth.csv", &buf).unwrap_or_else(|e| panic!("{e:?}"));
        let back = crate::Design::from_instrument("synth.csv", &instrument)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(back.items, d.items);
        assert_eq!(
            back.label("capital_social", trama_i18n::Lang::Es),
            "Capital social"
        );
    }
}
