//! What a report shows, in one language: charts with the data table beside
//! each, findings and the response-rate table, already formatted.

use trama_i18n::Lang;
use trama_results::Level;
use trama_results::charts::{Bar, diverging_bars, heat_map};
use trama_results::likert::{Group, Row};

use super::data::Data;

/// One table row beside a chart: the figures the bar draws.
pub struct FigureRow {
    pub label: String,
    /// "respondents / answers", as the PDF's legend explains it.
    pub n: String,
    /// Valid respondents of the group, and their answers to the statements
    /// of this row (separate columns on the pages).
    pub respondents: String,
    pub answers: String,
    /// NA, 1–5, rounded to one decimal so that they sum to 100.
    pub cells: Vec<String>,
    pub disagree: String,
    pub agree: String,
    pub suppressed: bool,
}

/// A chart with its data table.
pub struct Figure {
    pub id: String,
    pub title: String,
    pub svg: String,
    pub rows: Vec<FigureRow>,
}

/// A report: the page draws it and the PDF typesets it.
pub struct ReportView {
    pub title: String,
    pub intro: String,
    pub n_respondents: u64,
    pub suppressed_note: bool,
    pub findings: Vec<String>,
    /// The response-rate table: the seed's by region on the national
    /// report, the network against its region and the nation on a network's.
    pub rates_head: Vec<String>,
    pub rates: Vec<Vec<String>>,
    pub figures: Vec<Figure>,
    pub heat: String,
}

impl ReportView {
    /// A heading with nothing under it yet.
    pub(super) fn titled(title: String, intro: String) -> Self {
        ReportView {
            title,
            intro,
            n_respondents: 0,
            suppressed_note: false,
            findings: vec![],
            rates_head: vec![],
            rates: vec![],
            figures: vec![],
            heat: String::new(),
        }
    }
}

pub(super) fn t(lang: Lang, id: &str) -> String {
    trama_i18n::message(lang, id, None)
}

/// A figure with one decimal, in the language's notation.
pub(super) fn one(v: f64, lang: Lang) -> String {
    let s = format!("{v:.1}");
    match lang {
        Lang::Es => s.replace('.', ","),
        Lang::En => s,
    }
}

pub(super) fn region_label(code: &str) -> String {
    code.parse::<i16>()
        .ok()
        .and_then(|c| trama_domain::territory::RegionCode(c).region())
        .map_or_else(
            || code.to_owned(),
            |r| format!("{} · {}", r.numeral, r.name),
        )
}

/// A labelled group row, ready to be a bar and a table row.
pub(super) struct Labelled<'a> {
    pub label: String,
    pub n_respondents: u64,
    pub row: Option<&'a Row>,
}

pub(super) fn figure(
    id: &str,
    title: String,
    items: &[Labelled<'_>],
    min_group: u64,
    lang: Lang,
) -> Figure {
    let bars: Vec<Bar> = items
        .iter()
        .map(|l| Bar {
            label: l.label.clone(),
            n: l.row.and_then(|r| r.n_answers),
            pct: l.row.filter(|r| !r.suppressed).and_then(|r| r.pct),
        })
        .collect();
    let svg = diverging_bars(id, &title, &bars, min_group, lang);
    let rows = items
        .iter()
        .map(|l| {
            let shown = l.row.filter(|r| !r.suppressed);
            let d = shown.and_then(|r| r.pct_display);
            let or_dash = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| one(v, lang));
            FigureRow {
                label: l.label.clone(),
                n: shown.map_or_else(
                    || "—".to_owned(),
                    |r| format!("{} / {}", l.n_respondents, r.n_answers.unwrap_or(0)),
                ),
                respondents: shown.map_or_else(|| "—".to_owned(), |_| l.n_respondents.to_string()),
                answers: shown
                    .map_or_else(|| "—".to_owned(), |r| r.n_answers.unwrap_or(0).to_string()),
                cells: d.map_or_else(Vec::new, |p| {
                    [p.na.unwrap_or(0.0), p.p1, p.p2, p.p3, p.p4, p.p5]
                        .iter()
                        .map(|v| one(*v, lang))
                        .collect()
                }),
                disagree: or_dash(shown.and_then(|r| r.disagree)),
                agree: or_dash(shown.and_then(|r| r.agree)),
                suppressed: shown.is_none(),
            }
        })
        .collect();
    Figure {
        id: id.to_owned(),
        title,
        svg,
        rows,
    }
}

pub(super) fn row_of<'a>(g: &'a Group, code: &str) -> Option<&'a Row> {
    g.rows.iter().find(|r| r.code == code)
}

/// For each scale of `level`, one figure whose bars are the groups.
pub(super) fn per_scale(
    data: &Data,
    groups: &[(String, &Group)],
    level: Level,
    prefix: &str,
    lang: Lang,
) -> Vec<Figure> {
    data.design()
        .scales_at(level)
        .iter()
        .map(|(code, _)| {
            let items: Vec<Labelled<'_>> = groups
                .iter()
                .map(|(label, g)| Labelled {
                    label: label.clone(),
                    n_respondents: g.n_respondents,
                    row: row_of(g, code),
                })
                .collect();
            figure(
                &format!("{prefix}-{code}"),
                data.design().label(code, lang),
                &items,
                data.min_group(),
                lang,
            )
        })
        .collect()
}

/// One figure with a bar per row of a group (its dimensions, sub-dimensions…).
pub(super) fn rows_figure(data: &Data, id: &str, title: String, g: &Group, lang: Lang) -> Figure {
    let items: Vec<Labelled<'_>> = g
        .rows
        .iter()
        .map(|r| Labelled {
            label: r.label.clone(),
            n_respondents: g.n_respondents,
            row: Some(r),
        })
        .collect();
    figure(id, title, &items, data.min_group(), lang)
}

/// Heat map of the groups of a breakdown × sub-dimensions (agreement %).
pub(super) fn heat(
    data: &Data,
    id: &str,
    title: &str,
    groups: &[(String, &Group)],
    lang: Lang,
) -> String {
    let subs: Vec<String> = data
        .design()
        .scales_at(Level::Subdimension)
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    let columns: Vec<String> = subs.iter().map(|c| data.design().label(c, lang)).collect();
    let rows: Vec<String> = groups.iter().map(|(l, _)| l.clone()).collect();
    let cells: Vec<Vec<Option<f64>>> = groups
        .iter()
        .map(|(_, g)| {
            subs.iter()
                .map(|c| row_of(g, c).filter(|r| !r.suppressed).and_then(|r| r.agree))
                .collect()
        })
        .collect();
    heat_map(id, title, &rows, &columns, &cells, lang)
}
