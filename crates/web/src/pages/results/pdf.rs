//! The national, regional and network reports as PDF, typeset by `trama-pdf` from the
//! same [`ReportView`] the pages draw: the figures a PDF holds are the
//! suppressed figures of the page, never more.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use trama_domain::network::NetworkCode;
use trama_i18n::Lang;
use trama_pdf::{ReportDoc, Section, Table};

use super::{
    Data, ReportView, may_read_national, may_read_region, national_view, network_in_reach,
    network_view, region_view, t,
};
use crate::ctx::Ctx;
use crate::download::attachment;
use crate::error::AppError;
use crate::state::AppState;

/// `?lang=es|en` picks the PDF's language; the viewer's otherwise.
#[derive(Debug, Deserialize)]
pub struct PdfQuery {
    lang: Option<String>,
}

impl PdfQuery {
    fn lang(&self, ctx: &Ctx) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::from_tag)
            .unwrap_or(ctx.lang)
    }
}

pub async fn national_pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(campaign): Path<String>,
    Query(q): Query<PdfQuery>,
) -> Result<Response, AppError> {
    may_read_national(&ctx)?;
    let lang = q.lang(&ctx);
    let bytes = report_pdf(&state, &campaign, &ReportScope::National, lang, today()).await?;
    Ok(attachment(
        "application/pdf",
        &format!("{campaign}-{}.pdf", lang.tag()),
        bytes,
    ))
}

pub async fn region_pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((campaign, region)): Path<(String, i16)>,
    Query(q): Query<PdfQuery>,
) -> Result<Response, AppError> {
    may_read_region(&ctx, region)?;
    let lang = q.lang(&ctx);
    let scope = ReportScope::Region(region.to_string());
    let bytes = report_pdf(&state, &campaign, &scope, lang, today()).await?;
    Ok(attachment(
        "application/pdf",
        &format!("{campaign}-region-{region}-{}.pdf", lang.tag()),
        bytes,
    ))
}

pub async fn network_pdf(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((campaign, network)): Path<(String, String)>,
    Query(q): Query<PdfQuery>,
) -> Result<Response, AppError> {
    let (code, _) = network_in_reach(&state, &ctx, &network).await?;
    let lang = q.lang(&ctx);
    let bytes = report_pdf(
        &state,
        &campaign,
        &ReportScope::Network(code.clone()),
        lang,
        today(),
    )
    .await?;
    Ok(attachment(
        "application/pdf",
        &format!("{campaign}-{code}-{}.pdf", lang.tag()),
        bytes,
    ))
}

/// The date printed on the report: today in Chile, where the campaigns run.
fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(trama_stdx::time::chile())
        .date()
}

/// What a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportScope {
    National,
    /// A region, by its code (`8`).
    Region(String),
    Network(NetworkCode),
}

/// A campaign's report for `scope` as PDF bytes. Checks no role: the routes
/// above do, and the command line is the operator's.
pub async fn report_pdf(
    state: &AppState,
    campaign: &str,
    scope: &ReportScope,
    lang: Lang,
    date: jiff::civil::Date,
) -> Result<Vec<u8>, AppError> {
    let data = Data::load(state, campaign).await?;
    let view = match scope {
        ReportScope::National => national_view(state, &data, lang).await?,
        ReportScope::Region(key) => region_view(&data, key, lang),
        ReportScope::Network(code) => {
            let target = state
                .store
                .network_target(code)
                .await?
                .ok_or(AppError::NotFound)?;
            let region = target
                .single_region()
                .map(|r| r.0.to_string())
                .unwrap_or_default();
            network_view(state, &data, code.as_str(), &region, lang).await?
        }
    };
    let doc = document(view, &data.campaign.name, lang, date);
    // Typesetting takes a few hundred milliseconds of CPU: off the async
    // workers, so other requests are not held up.
    tokio::task::spawn_blocking(move || trama_pdf::render_pdf(&doc))
        .await
        .map_err(|e| AppError::Internal(format!("pdf task: {e}")))?
        .map_err(|e| {
            AppError::Internal(trama_i18n::t!(
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
