//! Seeded synthetic responses for benchmarks and load tests: a design of
//! `items` agreement items over two dimensions and ten sub-dimensions, and a
//! responses CSV in the export format.

use std::io::{self, Write};

use trama_stdx::rng::SplitMix64;

use crate::design::{Design, RatingItem, Scale};

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
    let mut rng = SplitMix64::new(seed);
    let mut w = io::BufWriter::with_capacity(1 << 20, out);
    write!(w, "response_id,region,deprov,network,role,submitted_at")?;
    for i in &design.items {
        write!(w, ",{}", i.name)?;
    }
    writeln!(w)?;
    let roles = ["director", "jefe_utp", "docente", "sostenedor"];
    let values: [&[u8]; 8] = [b"1", b"2", b"3", b"4", b"4", b"5", b"NA", b""];
    for r in 0..rows {
        let net = rng.next_u64() % 500;
        let region = net % 16 + 1;
        write!(
            w,
            "r{r},{region},{}{},RME{},{},2024-05-{:02}",
            region,
            net % 3,
            net + 1,
            rng.pick(&roles),
            rng.range(1, 28)
        )?;
        for _ in &design.items {
            w.write_all(b",")?;
            let value: &&[u8] = rng.pick(&values);
            w.write_all(value)?;
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

    /// The exact file for a seed: benchmarks and load tests compare runs on
    /// the same generated data, so the generator's sequence must not drift
    /// (this is the output of the generator before it moved to trama-stdx).
    #[test]
    fn the_same_seed_gives_the_same_file() {
        let mut buf = vec![];
        super::write_responses(&super::design(3), 4, 7, &mut buf).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            String::from_utf8_lossy(&buf),
            "response_id,region,deprov,network,role,submitted_at,p01,p02,p03\n\
             r0,8,81,RME488,director,2024-05-15,4,3,2\n\
             r1,11,111,RME299,docente,2024-05-14,2,4,4\n\
             r2,11,111,RME491,director,2024-05-19,1,,\n\
             r3,10,100,RME298,director,2024-05-24,5,5,\n"
        );
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
