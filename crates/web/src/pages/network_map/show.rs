//! The map page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use trama_app::maps::{self, Wave};
use trama_campaign::network_map::{Benchmark, MapSummary, ei};
use trama_domain::policy::MapView;
use trama_instrument::{FOCI, focus_process};

use super::compare::{CompareView, changes, drawings};
use super::{MapQuery, num, pct};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::pages::{Chrome, label, render};
use crate::state::AppState;

/// One row of the metrics table.
struct MetricRow {
    name: String,
    value: String,
    region: String,
    nation: String,
    explain: String,
    /// Unreliable at this response rate.
    fragile: bool,
}

struct NodeRow {
    label: String,
    role: String,
    school: String,
    responded: Option<bool>,
    in_degree: usize,
    out_degree: usize,
    betweenness: String,
    closeness: String,
    community: usize,
}

struct FocusRow {
    name: String,
    cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "network_map.html")]
struct MapPage {
    c: Chrome,
    code: String,
    network_name: String,
    campaign_code: String,
    campaign_name: String,
    campaigns: Vec<(String, String)>,
    compare_code: String,
    level: u8,
    views: Vec<(&'static str, String)>,
    view: &'static str,
    response: String,
    fragile: bool,
    has_ties: bool,
    sociogram: String,
    metrics: Vec<MetricRow>,
    brokers: Vec<(String, String)>,
    peripheral: Vec<(String, usize)>,
    communities: String,
    focus_head: Vec<(String, String)>,
    focus_rows: Vec<FocusRow>,
    nodes: Vec<NodeRow>,
    compare: Option<CompareView>,
    export_query: String,
    /// (code, label, provisional) of the wave's level on the continuum.
    continuum: Option<(&'static str, String, bool)>,
}

fn metric_rows(
    ctx: &Ctx,
    s: &MapSummary,
    region: &Benchmark,
    nation: &Benchmark,
) -> Vec<MetricRow> {
    let l = ctx.lang;
    let rep = &s.report;
    let row = |id: &str, value: Option<f64>, reg: Option<f64>, nat: Option<f64>, fragile: bool| {
        MetricRow {
            name: ctx.t(&format!("sna-metric-{id}")),
            value: num(value, l),
            region: num(reg, l),
            nation: num(nat, l),
            explain: ctx.t(&format!("sna-explain-{id}")),
            fragile: fragile && s.fragile,
        }
    };
    let respondents_reciprocity = rep.respondents.as_ref().and_then(|r| r.reciprocity);
    vec![
        row(
            "density",
            Some(rep.density),
            region.density,
            nation.density,
            false,
        ),
        row(
            "reciprocity",
            rep.reciprocity,
            region.reciprocity,
            nation.reciprocity,
            false,
        ),
        row(
            "reciprocity-respondents",
            respondents_reciprocity,
            None,
            None,
            false,
        ),
        row(
            "transitivity",
            Some(rep.transitivity),
            region.transitivity,
            nation.transitivity,
            false,
        ),
        row(
            "centralization",
            rep.degree_centralization,
            region.degree_centralization,
            nation.degree_centralization,
            true,
        ),
        row(
            "ei-school",
            ei(rep, "school"),
            region.ei_school,
            nation.ei_school,
            false,
        ),
        row(
            "ei-role",
            ei(rep, "role"),
            region.ei_role,
            nation.ei_role,
            false,
        ),
        row("mean-distance", rep.mean_distance, None, None, true),
        row("diameter", rep.diameter, None, None, true),
        MetricRow {
            name: ctx.t("sna-metric-components"),
            value: rep.weak_components.to_string(),
            region: String::new(),
            nation: String::new(),
            explain: ctx.t("sna-explain-components"),
            fragile: false,
        },
        MetricRow {
            name: ctx.t("sna-metric-isolates"),
            value: rep.isolates.len().to_string(),
            region: String::new(),
            nation: String::new(),
            explain: ctx.t("sna-explain-isolates"),
            fragile: false,
        },
    ]
}

fn node_rows(ctx: &Ctx, w: &Wave) -> Vec<NodeRow> {
    let attr = |name: &str, v: usize| -> String {
        w.net
            .attributes()
            .iter()
            .find(|a| a.name == name)
            .and_then(|a| a.values.get(v).cloned().flatten())
            .unwrap_or_default()
    };
    let mut rows: Vec<NodeRow> = w
        .net
        .ids()
        .iter()
        .enumerate()
        .filter_map(|(v, id)| {
            let m = w.summary.report.node_metrics.get(id)?;
            let school = attr("school", v);
            let role = attr("role", v);
            let dash = || "—".to_owned();
            let responded = attr(trama_sna::RESPONDED, v);
            Some(NodeRow {
                label: w.labels.get(id).cloned().unwrap_or_else(|| id.to_owned()),
                role: if role.is_empty() {
                    dash()
                } else {
                    label(ctx, "role", &role)
                },
                school: if school.is_empty() {
                    dash()
                } else {
                    w.schools.get(&school).cloned().unwrap_or(school)
                },
                responded: (!responded.is_empty()).then(|| responded == "1"),
                in_degree: m.in_degree,
                out_degree: m.out_degree,
                betweenness: num(Some(m.betweenness), ctx.lang),
                closeness: num(Some(m.closeness), ctx.lang),
                community: m.community + 1,
            })
        })
        .collect();
    rows.sort_by(|a, b| b.in_degree.cmp(&a.in_degree).then(a.label.cmp(&b.label)));
    rows
}

fn focus_table(
    ctx: &Ctx,
    network: &str,
    s: &MapSummary,
    region: &Benchmark,
    nation: &Benchmark,
) -> (Vec<(String, String)>, Vec<FocusRow>) {
    let head = FOCI
        .iter()
        .map(|f| {
            (
                ctx.t(&format!("instrument-focus-{f}")),
                focus_process(f)
                    .map(|p| ctx.t(&format!("instrument-process-{p}")))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let cells = |v: [Option<f64>; 6]| v.iter().map(|p| pct(*p, ctx.lang)).collect();
    let rows = vec![
        FocusRow {
            name: network.to_owned(),
            cells: cells(s.foci_pct()),
        },
        FocusRow {
            name: trama_i18n::t!(ctx.lang, "sna-region-mean", count = region.networks as i64),
            cells: cells(region.foci_pct),
        },
        FocusRow {
            name: trama_i18n::t!(ctx.lang, "sna-nation-mean", count = nation.networks as i64),
            cells: cells(nation.foci_pct),
        },
    ];
    (head, rows)
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<MapQuery>,
) -> Result<Response, AppError> {
    let maps::Map {
        resolved: r,
        now,
        before,
        region,
        nation,
    } = maps::show(&state.app, ctx.actor()?, &code, &q.query(), ctx.lang).await?;
    let network = trama_app::registry::networks::find(&state.app, &code).await?;
    let continuum = trama_app::characterisation::level(
        &state.app,
        ctx.actor()?,
        &network,
        Some(&r.campaign.code),
    )
    .await?
    .map(|p| {
        (
            p.level.code(),
            trama_app::characterisation::view::level_label(ctx.lang, p.level),
            p.provisional,
        )
    });
    let (sociogram_now, sociogram_before) = drawings(&ctx, &r, &now, before.as_ref());
    let compare = before.as_ref().map(|b| CompareView {
        sociogram: sociogram_before.unwrap_or_default(),
        ..changes(&ctx, b, &now, &r)
    });
    let s = &now.summary;
    let lang = ctx.lang;
    let response = trama_i18n::t!(
        lang,
        "sna-response",
        respondents = s.respondents as i64,
        members = s.members as i64,
        pct = pct(s.response_rate.map(|v| v * 100.0), lang)
    );
    let label_of = |id: &str| now.labels.get(id).cloned().unwrap_or_else(|| id.to_owned());
    let (focus_head, focus_rows) = focus_table(&ctx, r.code.as_str(), s, &region, &nation);
    let views = [MapView::Names, MapView::Anonymous, MapView::Schools]
        .into_iter()
        .filter(|v| *v <= r.allowed)
        .map(|v| (v.as_str(), ctx.t(&format!("sna-view-{}", v.as_str()))))
        .collect();
    let export_query = format!(
        "campaign={}&level={}&view={}",
        crate::error::url_encode(&r.campaign.code),
        r.level,
        r.view.as_str()
    );
    render(&MapPage {
        continuum,
        c: Chrome::new(&ctx, "networks"),
        code: r.code.as_str().to_owned(),
        network_name: r.network_name.clone(),
        campaign_code: r.campaign.code.clone(),
        campaign_name: r.campaign.name.clone(),
        campaigns: r
            .campaigns
            .iter()
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect(),
        compare_code: r
            .earlier
            .as_ref()
            .map(|e| e.code.clone())
            .unwrap_or_default(),
        level: r.level,
        views,
        view: r.view.as_str(),
        response,
        fragile: s.fragile,
        has_ties: s.report.edges > 0,
        sociogram: sociogram_now,
        metrics: metric_rows(&ctx, s, &region, &nation),
        brokers: s
            .brokers
            .iter()
            .map(|(id, b)| (label_of(id), num(Some(*b), lang)))
            .collect(),
        peripheral: s
            .peripheral
            .iter()
            .map(|(id, d)| (label_of(id), *d))
            .collect(),
        communities: trama_i18n::t!(
            lang,
            "sna-communities",
            count = s.report.communities.count as i64,
            modularity = num(s.report.communities.modularity, lang)
        ),
        focus_head,
        focus_rows,
        nodes: node_rows(&ctx, &now),
        compare,
        export_query,
    })
}
