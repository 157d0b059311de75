//! Renders report PDFs and reads them back with poppler's `pdftotext` and
//! `pdfinfo` (Debian `poppler-utils`). Without poppler the text checks are
//! skipped with a message, unless `CI` is set, where they fail.

use std::io::Write;
use std::process::{Command, Stdio};

use trama_i18n::Lang;
use trama_pdf::{Fonts, PdfError, ReportDoc, Section, Table, render_pdf};
use trama_results::charts::{Bar, diverging_bars, heat_map};
use trama_results::likert::Pct;

/// A label with every character that means something in typst markup.
const NASTY: &str = r#"Red #1 *norte* _sur_ $x^2$ <etiqueta> @ref [a] \n `b` // c = #{1+1}"#;

fn bar(label: &str, n: u64, na: f64, p: [f64; 5]) -> Bar {
    Bar {
        label: label.into(),
        n: Some(n),
        pct: Some(Pct {
            na: Some(na),
            p1: p[0],
            p2: p[1],
            p3: p[2],
            p4: p[3],
            p5: p[4],
        }),
    }
}

fn figures_table(lang: Lang, labels: &[&str]) -> Table {
    let head = match lang {
        Lang::Es => [
            "Grupo", "n", "NA", "1", "2", "3", "4", "5", "Desac.", "Acuerdo",
        ],
        Lang::En => [
            "Group", "n", "NA", "1", "2", "3", "4", "5", "Disagree", "Agree",
        ],
    };
    Table {
        head: head.iter().map(|s| (*s).to_owned()).collect(),
        rows: labels
            .iter()
            .map(|l| {
                [
                    *l, "120", "5,4", "2,1", "9,7", "20,4", "35,8", "26,6", "11,8", "62,4",
                ]
                .iter()
                .map(|s| (*s).to_owned())
                .collect()
            })
            .collect(),
    }
}

fn sample(lang: Lang, sections: usize) -> ReportDoc {
    let labels = ["Capital social", "Organización de la red", NASTY];
    let bars: Vec<Bar> = labels
        .iter()
        .map(|l| bar(l, 120, 5.4, [2.1, 9.7, 20.4, 35.8, 26.6]))
        .chain([Bar {
            label: "Región de Aysén".into(),
            n: None,
            pct: None,
        }])
        .collect();
    let mut all = vec![];
    for i in 0..sections {
        let title = format!("Dimensión {} — {NASTY}", i + 1);
        all.push(Section {
            svg: diverging_bars(&format!("c{i}"), &title, &bars, 5, lang),
            table: figures_table(lang, &labels),
            title,
        });
    }
    let rows = vec!["Ñuble".to_owned(), "Los Ríos".to_owned(), NASTY.to_owned()];
    let columns = vec!["Confianza".to_owned(), "Colaboración".to_owned()];
    all.push(Section {
        title: "Mapa de calor".into(),
        svg: heat_map(
            "heat",
            "Acuerdo por subdimensión",
            &rows,
            &columns,
            &[
                vec![Some(62.4), Some(70.0)],
                vec![None, Some(55.5)],
                vec![Some(81.0), None],
            ],
            lang,
        ),
        table: Table::default(),
    });
    ReportDoc {
        lang,
        title: "Informe de la red Ñuñoa — Participación".into(),
        subtitle: "Campaña 2026 · región de Valparaíso".into(),
        intro: "Distribución de las respuestas por dimensión: años, ñandú, pingüino, ¿qué?, ¡sí!"
            .into(),
        date: jiff::civil::date(2026, 11, 29),
        rates: Some(Table {
            head: ["Región", "Redes convocadas", "Redes con respuestas", "Casos", "%"]
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            rows: vec![
                vec!["Valparaíso".into(), "12".into(), "11".into(), "59".into(), "91,7".into()],
                vec![NASTY.into(), "3".into(), "2".into(), "5".into(), "66,7".into()],
            ],
        }),
        findings: vec![
            "9 de cada 10 participantes aplican en su establecimiento el conocimiento generado en la red".into(),
            format!("3 de cada 10 participantes no están de acuerdo con «{NASTY}»"),
        ],
        sections: all,
    }
}

fn render(doc: &ReportDoc) -> Vec<u8> {
    render_pdf(doc).unwrap_or_else(|e| panic!("render failed: {e}"))
}

/// Runs a poppler tool on `pdf` (given on stdin); `None` (after saying so)
/// when poppler is absent and CI is not set.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> Option<String> {
    let child = Command::new(tool)
        .args(args)
        .arg("-")
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if std::env::var_os("CI").is_some() {
                panic!("{tool} is missing: install Debian's poppler-utils (required under CI)");
            }
            eprintln!("skipping the {tool} checks: install Debian's poppler-utils to run them");
            return None;
        }
        Err(e) => panic!("{tool}: {e}"),
    };
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin.write_all(pdf).expect("write the PDF to poppler");
    drop(stdin);
    let out = child.wait_with_output().expect("poppler runs");
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).expect("poppler prints UTF-8"))
}

fn text_of(pdf: &[u8]) -> Option<String> {
    // Raw order keeps each line of the page as typst wrote it (the default
    // layout mode drops the spaces in "1 / 2").
    poppler("pdftotext", &["-raw", "-enc", "UTF-8"], pdf)
}

/// The page count, from pdfinfo when present, else from the page objects.
fn pages(pdf: &[u8]) -> usize {
    let raw = pdf
        .windows(b"/Type /Page".len() + 1)
        .filter(|w| w.starts_with(b"/Type /Page") && !w.ends_with(b"s"))
        .count();
    if let Some(info) = poppler("pdfinfo", &[], pdf) {
        let line = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .expect("pdfinfo prints Pages:");
        let n: usize = line.trim().parse().expect("a page count");
        assert_eq!(raw.max(n), n, "page objects {raw} vs pdfinfo {n}");
        return n;
    }
    raw
}

/// Words wrap and pdftotext keeps line breaks: compare with all whitespace
/// folded to single spaces.
fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_report_is_a_pdf_with_its_pages_and_text() {
    let doc = sample(Lang::Es, 3);
    let pdf = render(&doc);
    // TRAMA_PDF_SAMPLE=/tmp/sample.pdf keeps the PDF to look at.
    if let Some(path) = std::env::var_os("TRAMA_PDF_SAMPLE") {
        std::fs::write(path, &pdf).expect("write the sample PDF");
    }
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let n = pages(&pdf);
    assert!(
        (2..=6).contains(&n),
        "{n} pages for three charts and a heat map"
    );

    let Some(text) = text_of(&pdf) else { return };
    let flat = fold(&text);
    for expected in [
        "Informe de la red Ñuñoa — Participación",
        "Campaña 2026 · región de Valparaíso",
        "Tasa de respuesta",
        "Hallazgos",
        "Tabla de datos",
        "9 de cada 10 participantes aplican en su establecimiento",
        "Trama · 29 de noviembre de 2026",
        "Mapa de calor",
        "Dimensión 3",
        "Organización de la red",
    ] {
        assert!(flat.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(flat.contains(&format!("1 / {n}")), "page numbers:\n{text}");
    assert!(
        flat.contains(&format!("{n} / {n}")),
        "page numbers:\n{text}"
    );
}

#[test]
fn typst_markup_in_labels_is_printed_as_written() {
    let pdf = render(&sample(Lang::Es, 1));
    let Some(text) = text_of(&pdf) else { return };
    let flat = fold(&text);
    // In the title of a section, a rates row, a finding and a table row.
    assert!(
        flat.matches(NASTY).count() >= 4,
        "the label was interpreted or lost:\n{text}"
    );
    assert!(flat.contains(&format!("Dimensión 1 — {NASTY}")), "{text}");
    assert!(flat.contains(&format!("«{NASTY}»")), "{text}");
}

#[test]
fn spanish_accents_survive() {
    let pdf = render(&sample(Lang::Es, 1));
    let Some(text) = text_of(&pdf) else { return };
    for word in [
        "Ñuñoa",
        "ñandú",
        "pingüino",
        "¿qué?",
        "¡sí!",
        "Valparaíso",
        "Los Ríos",
        "Ñuble",
    ] {
        assert!(text.contains(word), "missing {word:?} in:\n{text}");
    }
}

#[test]
fn charts_are_embedded_with_their_text() {
    let pdf = render(&sample(Lang::Es, 1));
    let Some(text) = text_of(&pdf) else { return };
    let flat = fold(&text);
    // The bars' n and the heat map's cells are drawn inside the SVGs.
    assert!(
        flat.contains("n = 120"),
        "the chart's text is missing:\n{text}"
    );
    // (Its column heads are rotated, which pdftotext spells letter by letter.)
    assert!(
        flat.contains("Ñuble 62 70"),
        "the heat map is missing:\n{text}"
    );
    assert!(flat.contains("Región de Aysén"), "{text}");
}

#[test]
fn english_reports_use_english_words() {
    let pdf = render(&sample(Lang::En, 1));
    let Some(text) = text_of(&pdf) else { return };
    let flat = fold(&text);
    for expected in [
        "Response rate",
        "Findings",
        "Data table",
        "Trama · November 29, 2026",
    ] {
        assert!(flat.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!flat.contains("Hallazgos"), "{text}");
}

#[test]
fn rendering_is_deterministic() {
    let doc = sample(Lang::Es, 2);
    let a = render(&doc);
    let b = render(&doc);
    assert!(a == b, "two renders of the same report differ");
    let mut other = doc.clone();
    other.title.push_str(" (2)");
    assert!(render(&other) != a, "a different title gave the same bytes");
}

#[test]
fn an_empty_report_still_renders() {
    let doc = ReportDoc {
        lang: Lang::Es,
        title: "Vacío".into(),
        subtitle: String::new(),
        intro: String::new(),
        date: jiff::civil::date(2026, 1, 2),
        rates: None,
        findings: vec![],
        sections: vec![],
    };
    let pdf = render(&doc);
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(pages(&pdf), 1);
    if let Some(text) = text_of(&pdf) {
        assert!(
            !text.contains("Hallazgos"),
            "no findings, no heading:\n{text}"
        );
        assert!(fold(&text).contains("Trama · 2 de enero de 2026"), "{text}");
    }
}

#[test]
fn short_rows_are_padded_and_long_rows_refused() {
    let mut doc = sample(Lang::Es, 1);
    // A suppressed group: its label and a dash, no figures.
    doc.sections[0]
        .table
        .rows
        .push(vec!["Región de Aysén".into(), "—".into()]);
    assert!(render_pdf(&doc).is_ok());

    doc.sections[0].table.rows.push(vec!["x".into(); 11]);
    match render_pdf(&doc) {
        Err(PdfError::BadTable { table, problem }) => {
            assert!(table.starts_with("Dimensión 1"), "{table}");
            assert!(problem.contains("11 cells"), "{problem}");
        }
        other => panic!("expected BadTable, got {other:?}"),
    }
}

#[test]
fn missing_fonts_are_named_with_the_package_to_install() {
    let err = Fonts::from_dir(std::path::Path::new("/nonexistent/fonts"))
        .expect_err("no fonts in a missing folder");
    assert!(matches!(err, PdfError::FontsMissing { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("DejaVuSans.ttf"), "{msg}");
    assert!(msg.contains("/nonexistent/fonts"), "{msg}");
    assert!(msg.contains("fonts-dejavu-core"), "{msg}");
}

#[test]
fn a_broken_chart_is_an_error_not_a_panic() {
    let mut doc = sample(Lang::Es, 1);
    doc.sections[0].svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect".into();
    match render_pdf(&doc) {
        Err(PdfError::Typeset(msg)) => assert!(msg.contains("failed to parse SVG"), "{msg}"),
        other => panic!("expected Typeset, got {other:?}"),
    }
}
