//! The national table of a campaign's networks, the study's typology
//! matrix and the distribution of levels by region; as CSV and XLSX.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use trama_app::characterisation::table::{self, Table};
use trama_characterise::Level;
use trama_characterise::focus::{Focus, ProcessType};
use trama_domain::territory::RegionCode;

use super::{level_label, share};
use crate::ctx::Ctx;
use crate::download;
use crate::error::AppError;
use crate::pages::{Chrome, decimal, label, percent, region_name, render};
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct TableQuery {
    region: Option<String>,
    sort: Option<String>,
}

impl TableQuery {
    fn sort(&self) -> table::Sort {
        self.sort
            .as_deref()
            .and_then(table::Sort::parse)
            .unwrap_or_default()
    }

    fn region(&self) -> Result<Option<RegionCode>, AppError> {
        match self.region.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(r) => r
                .parse::<i16>()
                .map(|r| Some(RegionCode(r)))
                .map_err(|_| AppError::NotFound),
        }
    }
}

struct Row {
    code: String,
    name: String,
    region: String,
    deprov: String,
    comunas: String,
    dependency: String,
    rurality: String,
    schools: usize,
    response_rate: String,
    level: String,
    level_code: &'static str,
    provisional: bool,
    dominant: String,
    density: String,
    reciprocity: String,
    trust: String,
    /// One cell per focus: (emphasis, share).
    foci: Vec<(bool, String)>,
}

#[derive(Template)]
#[template(path = "characterisation_table.html")]
struct TablePage {
    c: Chrome,
    campaign_code: String,
    campaign_name: String,
    region: String,
    regions: Vec<(String, String)>,
    rows: Vec<Row>,
    levels: Vec<String>,
    distribution: Vec<(String, Vec<usize>)>,
    types: Vec<String>,
    foci: Vec<String>,
    query: String,
    /// Column headers that sort: (sort code, label, is the current sort).
    sorts: Vec<(&'static str, String, bool)>,
    region_query: String,
}

fn page(ctx: &Ctx, t: &Table) -> Result<Response, AppError> {
    let lang = ctx.lang;
    let type_name = |d: ProcessType| ctx.t(&format!("instrument-process-{}", d.code()));
    let rows = t
        .rows
        .iter()
        .map(|r| Row {
            code: r.code.clone(),
            name: r.name.clone(),
            region: region_name(r.region),
            deprov: r.deprov.clone().unwrap_or_default(),
            comunas: r.comunas.join(", "),
            dependency: r
                .dependencies
                .iter()
                .map(|d| label(ctx, "dependency", d))
                .collect::<Vec<_>>()
                .join(", "),
            rurality: r.rurality.map(|x| ctx.t(x.label_id())).unwrap_or_default(),
            schools: r.schools,
            response_rate: share(r.response_rate, lang),
            level: level_label(ctx, r.level),
            level_code: r.level.code(),
            provisional: r.provisional,
            dominant: r.dominant.map(type_name).unwrap_or_else(|| "—".into()),
            density: decimal(r.density, lang),
            reciprocity: decimal(r.reciprocity, lang),
            trust: if r.trust_suppressed {
                "·".into()
            } else {
                percent(r.trust, lang)
            },
            foci: Focus::ALL
                .iter()
                .map(|f| {
                    (
                        r.emphasis.contains(f),
                        share(
                            r.shares.as_ref().and_then(|s| s.get(f.code()).copied()),
                            lang,
                        ),
                    )
                })
                .collect(),
        })
        .collect();
    let region = t.region.map(|r| r.0.to_string()).unwrap_or_default();
    let sort_label = |s: table::Sort| match s {
        table::Sort::Network => ctx.t("col-network"),
        table::Sort::Region => ctx.t("col-region"),
        table::Sort::Schools => ctx.t("char-col-schools"),
        table::Sort::ResponseRate => ctx.t("tetraedro-response-rate"),
        table::Sort::Level => ctx.t("char-level"),
        table::Sort::Density => ctx.t("tetraedro-density"),
        table::Sort::Reciprocity => ctx.t("tetraedro-reciprocity"),
        table::Sort::Trust => ctx.t("tetraedro-trust"),
    };
    render(&TablePage {
        sorts: table::Sort::ALL
            .iter()
            .map(|s| (s.code(), sort_label(*s), *s == t.sort))
            .collect(),
        region_query: if region.is_empty() {
            String::new()
        } else {
            format!("&region={region}")
        },
        c: Chrome::new(ctx, "campaigns"),
        campaign_code: t.campaign.code.clone(),
        campaign_name: t.campaign.name.clone(),
        query: if region.is_empty() {
            String::new()
        } else {
            format!("?region={region}")
        },
        region,
        regions: t
            .regions
            .iter()
            .map(|r| (r.to_string(), region_name(*r)))
            .collect(),
        rows,
        levels: Level::ALL.iter().map(|l| level_label(ctx, *l)).collect(),
        distribution: t
            .distribution
            .iter()
            .map(|(r, counts)| (region_name(*r), counts.to_vec()))
            .collect(),
        types: ProcessType::ALL.iter().map(|p| type_name(*p)).collect(),
        foci: Focus::ALL
            .iter()
            .map(|f| ctx.t(&format!("instrument-focus-{}", f.code())))
            .collect(),
    })
}

/// The table the request asks for.
async fn read(
    state: &AppState,
    ctx: &Ctx,
    campaign: &str,
    q: &TableQuery,
) -> Result<Table, AppError> {
    Ok(table::table(&state.app, ctx.actor()?, campaign, q.region()?, q.sort()).await?)
}

pub async fn table(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(campaign): Path<String>,
    Query(q): Query<TableQuery>,
) -> Result<Response, AppError> {
    let t = read(&state, &ctx, &campaign, &q).await?;
    page(&ctx, &t)
}

fn file_name(t: &Table, ext: &str) -> String {
    match t.region {
        Some(r) => format!("caracterizacion-{}-region-{}.{ext}", t.campaign.code, r.0),
        None => format!("caracterizacion-{}.{ext}", t.campaign.code),
    }
}

pub async fn table_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(campaign): Path<String>,
    Query(q): Query<TableQuery>,
) -> Result<Response, AppError> {
    let t = read(&state, &ctx, &campaign, &q).await?;
    let (header, rows) = table::cells(&t, ctx.lang);
    let text = |c: &trama_export::TableCell| match c {
        trama_export::TableCell::Text(s) => s.clone(),
        trama_export::TableCell::Number(n) => n.to_string(),
        trama_export::TableCell::Empty => String::new(),
    };
    let body = std::iter::once(header).chain(rows.iter().map(|r| r.iter().map(text).collect()));
    download::csv(&file_name(&t, "csv"), body)
}

pub async fn table_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(campaign): Path<String>,
    Query(q): Query<TableQuery>,
) -> Result<Response, AppError> {
    let t = read(&state, &ctx, &campaign, &q).await?;
    let bytes = table::xlsx(&t, ctx.lang)?;
    Ok(download::attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &file_name(&t, "xlsx"),
        bytes,
    ))
}
