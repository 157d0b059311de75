//! Report PDFs on the demo rounds, read back with poppler's `pdftotext`
//! (Debian `poppler-utils`; required under CI, skipped with a message
//! elsewhere): they hold the page's findings and tables in the language
//! asked for, and never a figure of a group below the threshold.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common::*;

/// The PDF's text with runs of whitespace as one space, or `None` when
/// poppler is not installed outside CI.
fn text_of(pdf: &[u8]) -> Option<String> {
    let child = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            assert!(
                std::env::var_os("CI").is_none(),
                "pdftotext is missing: install Debian's poppler-utils (required under CI)"
            );
            eprintln!("skipping the PDF text checks: install Debian's poppler-utils");
            return None;
        }
        Err(e) => panic!("pdftotext: {e}"),
    };
    child
        .stdin
        .take()
        .map(|mut i| i.write_all(pdf))
        .transpose()
        .unwrap_or_else(|e| panic!("pdftotext stdin: {e}"));
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("pdftotext: {e}"));
    assert!(out.status.success(), "pdftotext failed");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The findings listed on a results page, unescaped.
fn page_findings(body: &str) -> Vec<String> {
    let Some(list) = body.split("<ul class=\"findings\">").nth(1) else {
        return vec![];
    };
    let list = list.split("</ul>").next().unwrap_or_default();
    list.split("<li>")
        .skip(1)
        .map(|li| {
            li.split("</li>")
                .next()
                .unwrap_or_default()
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&#x27;", "'")
                .replace("&amp;", "&")
        })
        .collect()
}

fn assert_pdf(reply: &Reply, file: &str) {
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let disposition = reply
        .headers
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(disposition.contains(file), "{disposition}");
    assert!(reply.raw.starts_with(b"%PDF-"), "not a PDF");
}

#[tokio::test]
async fn the_national_pdf_holds_the_pages_findings_and_rates_in_either_language() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let page = app.get(&national, "/campaigns/RME-2026/results").await;
    assert!(
        page.body
            .contains("/campaigns/RME-2026/results/report.pdf?lang=es")
    );
    assert!(
        page.body
            .contains("/campaigns/RME-2026/results/report.pdf?lang=en")
    );
    let es = app
        .get(&national, "/campaigns/RME-2026/results/report.pdf?lang=es")
        .await;
    assert_pdf(&es, "RME-2026-es.pdf");
    let en = app
        .get(&national, "/campaigns/RME-2026/results/report.pdf?lang=en")
        .await;
    assert_pdf(&en, "RME-2026-en.pdf");
    let (Some(es), Some(en)) = (text_of(&es.raw), text_of(&en.raw)) else {
        return;
    };
    let es_flat = flat(&es);
    for heading in [
        "Hallazgos",
        "Tasa de respuesta",
        "Redes convocadas",
        "Nacional",
    ] {
        assert!(es_flat.contains(heading), "{heading} missing:\n{es}");
    }
    let findings = page_findings(&page.body);
    assert!(
        !findings.is_empty(),
        "the demo's national page has findings"
    );
    for f in &findings {
        assert!(es_flat.contains(&flat(f)), "finding {f:?} missing:\n{es}");
    }
    // The response-rate table's total row, as the page shows it.
    let total = page
        .body
        .split("<th scope=\"row\">Total</th>")
        .nth(1)
        .unwrap_or_default();
    let cells: Vec<&str> = total
        .split("<td class=\"num\">")
        .skip(1)
        .take(4)
        .map(|c| c.split("</td>").next().unwrap_or_default())
        .collect();
    assert_eq!(cells.len(), 4);
    assert!(
        es_flat.contains(&format!("Total {}", cells.join(" "))),
        "rates total {cells:?} missing:\n{es}"
    );
    let en_flat = flat(&en);
    for heading in ["Findings", "Response rate", "National"] {
        assert!(en_flat.contains(heading), "{heading} missing:\n{en}");
    }
    assert!(!en_flat.contains("Hallazgos"));
}

#[tokio::test]
async fn a_network_pdf_below_the_threshold_shows_no_figure_for_it() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let counts = responses_per_network(&app, "RME-2026").await;
    let (small, _) = counts
        .iter()
        .find(|(_, n)| *n < 5 && *n > 0)
        .cloned()
        .unwrap_or_else(|| panic!("the demo has a network below 5: {counts:?}"));
    // Big enough for figures and for findings (10 answers an item).
    let big = counts
        .iter()
        .find(|(_, n)| *n >= 10)
        .map(|(k, _)| k.clone())
        .unwrap_or_else(|| panic!("a network of 10 or more: {counts:?}"));
    let path = |n: &str| format!("/campaigns/RME-2026/results/networks/{n}/report.pdf?lang=es");
    let small_pdf = app.get(&national, &path(&small)).await;
    assert_pdf(&small_pdf, &format!("RME-2026-{small}-es.pdf"));
    let big_pdf = app.get(&national, &path(&big)).await;
    assert_pdf(&big_pdf, &format!("RME-2026-{big}-es.pdf"));
    let (Some(small_text), Some(big_text)) = (text_of(&small_pdf.raw), text_of(&big_pdf.raw))
    else {
        return;
    };
    assert!(flat(&small_text).contains("menos de 5 respuestas válidas"));
    assert!(!small_text.contains("Hallazgos"));
    // Every line of the small network, in a chart or a table, is its code
    // and a dash or the chart's notice; the big network's carry figures.
    let rows = |text: &str, code: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with(&format!("{code} ")) && !l.contains('·'))
            .map(str::to_owned)
            .collect()
    };
    // The response-rate table names the network with its invitations but
    // not how many answered: a hidden group's size is hidden with it.
    let lines: Vec<&str> = small_text.lines().collect();
    let head = lines
        .iter()
        .position(|l| {
            l.trim()
                .starts_with("Grupo Invitadas Válidas Tasa de respuesta")
        })
        .unwrap_or_else(|| panic!("a response-rate table in:\n{small_text}"));
    // The network's row comes first, under its name (the title's, before
    // its code); its cells read from the end: rate, valid, invited.
    let name = lines
        .iter()
        .find_map(|l| l.split_once(&format!(" ({small})")).map(|(n, _)| n.trim()))
        .unwrap_or_else(|| panic!("the network named in:\n{small_text}"));
    let rate_row = lines[head + 1..]
        .iter()
        .find(|l| l.starts_with(name))
        .copied()
        .unwrap_or_default();
    let cells: Vec<&str> = rate_row.split_whitespace().rev().collect();
    assert_eq!(cells.get(1), Some(&"—"), "{rate_row}");
    let small_rows = rows(&small_text, &small);
    assert!(small_rows.len() > 1, "{small_text}");
    for r in small_rows.iter().filter(|r| r.as_str() != rate_row) {
        let rest = r[small.len()..].trim();
        assert!(
            rest == "—" || rest == "Grupo con menos de 5 respuestas: no se muestra",
            "{r:?} in:\n{small_text}"
        );
    }
    let big_rows = rows(&big_text, &big);
    assert!(!big_rows.is_empty(), "{big_text}");
    for r in &big_rows {
        assert!(
            r[big.len()..].contains(|c: char| c.is_ascii_digit()),
            "figures expected in {r:?}"
        );
    }
    assert!(
        big_rows
            .iter()
            .any(|r| r.contains(" / ") && r.contains(','))
    );
    assert!(big_text.contains("Hallazgos"));
}

#[tokio::test]
async fn a_region_pdf_compares_the_region_with_the_nation_and_maps_its_networks() {
    let app = seeded().await;
    let regional = app.client(Some(REGIONAL)).await;
    let page = app
        .get(&regional, "/campaigns/RME-2026/results/regions/8")
        .await;
    assert!(
        page.body
            .contains("/campaigns/RME-2026/results/regions/8/report.pdf?lang=es")
    );
    let pdf = app
        .get(
            &regional,
            "/campaigns/RME-2026/results/regions/8/report.pdf?lang=es",
        )
        .await;
    assert_pdf(&pdf, "RME-2026-region-8-es.pdf");
    let Some(text) = text_of(&pdf.raw) else {
        return;
    };
    let flat_text = flat(&text);
    for expected in ["VIII · Biobío", "Nacional", "Acuerdo por subdimensión"] {
        assert!(flat_text.contains(expected), "{expected} missing:\n{text}");
    }
    // The region's findings, as its page lists them.
    for f in page_findings(&page.body) {
        assert!(
            flat_text.contains(&flat(&f)),
            "finding {f:?} missing:\n{text}"
        );
    }
}

#[tokio::test]
async fn the_ficha_de_red_comes_in_both_languages_and_the_network_report_carries_the_profile() {
    let app = seeded().await;
    let national = app.client(Some(NATIONAL)).await;
    let get = |client: Client, path: &'static str| {
        let app = &app;
        async move {
            let r = app.get(&client, path).await;
            assert_eq!(r.status, 200, "{path}: {}", r.body);
            assert!(r.raw.starts_with(b"%PDF"), "{path}");
            r.raw
        }
    };
    let es = get(
        national.clone(),
        "/networks/RME14/profile/ficha.pdf?campaign=RME-2026",
    )
    .await;
    let en = get(
        national.clone(),
        "/networks/RME14/profile/ficha.pdf?campaign=RME-2026&lang=en",
    )
    .await;
    let participant = app.client(Some(PARTICIPANT)).await;
    let theirs = get(participant.clone(), "/networks/RME1/profile/ficha.pdf").await;
    let report = get(
        national,
        "/campaigns/RME-2026/results/networks/RME14/report.pdf",
    )
    .await;
    let (Some(es), Some(en), Some(theirs), Some(report)) = (
        text_of(&es),
        text_of(&en),
        text_of(&theirs),
        text_of(&report),
    ) else {
        return;
    };
    let (es, en, theirs, report) = (flat(&es), flat(&en), flat(&theirs), flat(&report));
    for want in [
        "Ficha de red",
        "Simbiosis",
        "Por qué este nivel",
        "Tetraedro",
        "Líderes sistémicos",
    ] {
        assert!(es.contains(want), "{want}: {es}");
    }
    for want in [
        "Network sheet",
        "Symbiosis",
        "Why this level",
        "System leaders",
    ] {
        assert!(en.contains(want), "{want}: {en}");
    }
    assert!(!en.contains("Simbiosis"));
    // A participant's ficha: their network at school level, no people.
    assert!(theirs.contains("Ficha de red"));
    assert!(!theirs.contains("Líderes sistémicos"));
    // The network's results report ends with its profile.
    assert!(report.contains("Por qué este nivel: Simbiosis"), "{report}");
    // The national report carries the study's table of networks for those
    // who read characterisations; a researcher's copy does not.
    let national = app.client(Some(NATIONAL)).await;
    let researcher = app.client(Some(RESEARCHER)).await;
    let ours = app
        .get(&national, "/campaigns/RME-2026/results/report.pdf")
        .await;
    let theirs = app
        .get(&researcher, "/campaigns/RME-2026/results/report.pdf")
        .await;
    assert_eq!((ours.status.as_u16(), theirs.status.as_u16()), (200, 200));
    if let (Some(ours), Some(theirs)) = (text_of(&ours.raw), text_of(&theirs.raw)) {
        assert!(flat(&ours).contains("Matriz de procesos"), "{ours}");
        assert!(!flat(&theirs).contains("Matriz de procesos"));
    }
}
