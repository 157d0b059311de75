//! A report as PDF, typeset by `trama-pdf` from the same [`ReportView`] the
//! pages draw: the figures a PDF holds are the suppressed figures of the
//! page, never more.

use trama_i18n::Lang;
use trama_pdf::{ReportDoc, Section, Table};

use super::view::{ReportView, t};
use crate::{Error, Result};

pub(super) async fn render(
    view: ReportView,
    campaign: &str,
    lang: Lang,
    date: jiff::civil::Date,
    extra: Vec<Section>,
) -> Result<Vec<u8>> {
    let mut doc = document(view, campaign, lang, date);
    doc.sections.extend(extra);
    typeset(doc, lang).await
}

/// Typesets a document. It takes a few hundred milliseconds of CPU: off
/// the async workers, so other requests are not held up.
pub(crate) async fn typeset(doc: ReportDoc, lang: Lang) -> Result<Vec<u8>> {
    tokio::task::spawn_blocking(move || trama_pdf::render_pdf(&doc))
        .await
        .map_err(|e| Error::Internal(format!("pdf task: {e}")))?
        .map_err(|e| {
            Error::Internal(trama_i18n::t!(
                lang,
                "results-pdf-failed",
                reason = e.to_string()
            ))
        })
}

/// The PDF's model: the view's texts and figures, each chart with its table.
fn document(view: ReportView, campaign: &str, lang: Lang, date: jiff::civil::Date) -> ReportDoc {
    let mut intro = view.intro;
    if view.suppressed_note {
        intro.push(' ');
        intro.push_str(&t(lang, "results-suppressed-note"));
    }
    let rates = (!view.rates.is_empty()).then_some(Table {
        head: view.rates_head,
        rows: view.rates,
    });
    let figure_head: Vec<String> = [t(lang, "results-pdf-group"), "n".to_owned()]
        .into_iter()
        .chain(["NA", "1", "2", "3", "4", "5"].map(String::from))
        .chain([t(lang, "results-disagree"), t(lang, "results-agree")])
        .collect();
    let mut sections: Vec<Section> = view
        .figures
        .into_iter()
        .map(|f| Section {
            title: f.title,
            svg: f.svg,
            table: Table {
                head: figure_head.clone(),
                rows: f
                    .rows
                    .into_iter()
                    .map(|r| {
                        if r.suppressed {
                            // Padded with empty cells by the typesetter.
                            vec![r.label, "—".to_owned()]
                        } else {
                            [r.label, r.n]
                                .into_iter()
                                .chain(r.cells)
                                .chain([r.disagree, r.agree])
                                .collect()
                        }
                    })
                    .collect(),
            },
        })
        .collect();
    if !view.heat.is_empty() {
        sections.push(Section {
            title: t(lang, "results-heat"),
            svg: view.heat,
            table: Table::default(),
        });
    }
    ReportDoc {
        lang,
        title: view.title,
        subtitle: trama_i18n::t!(
            lang,
            "results-pdf-respondents",
            n = view.n_respondents as i64,
            campaign = campaign.to_owned()
        ),
        intro: format!(
            "{intro} {} {}",
            t(lang, "results-anonymity"),
            t(lang, "results-pdf-scale")
        ),
        date,
        rates,
        findings: view.findings,
        sections,
    }
}
