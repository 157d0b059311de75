//! A network's collaboration map per campaign (wave): the sociogram, the
//! metrics explained and set against the region and the nation, brokers and
//! peripheral members, cross-school and cross-role collaboration, sub-groups,
//! what ties carry, the response rate with its caveats, and the change from
//! an earlier wave; with the network as GEXF, GraphML, CSV, SVG and PNG.
//!
//! Privacy: who named whom is personal data. [`policy::map_view`] decides,
//! per viewer and campaign, whether people appear by name, as numbers, or
//! only schools; the network handed to the drawing, the tables and every
//! file is built at that level, so nothing finer ever leaves the server.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use trama_campaign::network_map::{Benchmark, MapSummary, benchmark, ei, summarise};
use trama_campaign::roster::{
    Member, anonymous_ids, node_id, person_network, school_network, school_node_id, tie_changes,
};
use trama_domain::network::NetworkCode;
use trama_domain::policy::{self, MapView};
use trama_i18n::Lang;
use trama_instrument::{FOCI, focus_process};
use trama_sna::Network;
use trama_store::campaigns::lifecycle::Campaign;
use trama_store::campaigns::ties::NetworkMap;

use super::sociogram::{Drawable, place, svg};
use super::{Chrome, label, render};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct MapQuery {
    campaign: Option<String>,
    compare: Option<String>,
    /// Weakest collaboration level counted as a tie (1–5).
    level: Option<u8>,
    /// `names`, `anonymous` or `school`; never more than the viewer may see.
    view: Option<String>,
}

/// One wave of the map at the viewer's level of detail.
struct Wave {
    campaign: Campaign,
    net: Network,
    summary: MapSummary,
    /// Node id → what the page shows for it.
    labels: BTreeMap<String, String>,
    /// Node id → person id, for person-level views.
    people: BTreeMap<String, i64>,
    /// School attribute value → school name.
    schools: BTreeMap<String, String>,
    map: NetworkMap,
}

impl Wave {
    fn drawable(&self) -> Drawable<'_> {
        Drawable {
            net: &self.net,
            report: &self.summary.report,
            labels: &self.labels,
            people: &self.people,
            schools: &self.schools,
        }
    }
}

/// Everything a request about one network's map settles first.
struct Resolved {
    code: NetworkCode,
    network_id: i64,
    network_name: String,
    region: i64,
    campaigns: Vec<Campaign>,
    campaign: Campaign,
    allowed: MapView,
    view: MapView,
    level: u8,
}

fn parse_view(s: Option<&str>) -> Option<MapView> {
    match s? {
        "names" => Some(MapView::Names),
        "anonymous" => Some(MapView::Anonymous),
        "school" => Some(MapView::Schools),
        _ => None,
    }
}

async fn resolve(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    q: &MapQuery,
) -> Result<Resolved, AppError> {
    let actor = ctx.actor()?.clone();
    let code = NetworkCode::parse(code).map_err(|_| AppError::NotFound)?;
    let target = state
        .store
        .network_target(&code)
        .await?
        .ok_or(AppError::NotFound)?;
    let network_id = *target.networks.first().ok_or(AppError::NotFound)?;
    let campaigns = state.store.network_campaigns(network_id).await?;
    let campaign = match &q.campaign {
        Some(c) => campaigns.iter().find(|x| &x.code == c),
        None => campaigns.first(),
    }
    .cloned()
    .ok_or(AppError::NotFound)?;
    let allowed = policy::map_view(&actor, &target, campaign.sna_view);
    if allowed == MapView::Hidden {
        return Err(AppError::Forbidden);
    }
    let view = parse_view(q.view.as_deref()).map_or(allowed, |v| v.min(allowed));
    let detail = state
        .store
        .get_network(&code, Some(campaign.year))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Resolved {
        network_name: detail.summary.name.clone(),
        region: i64::from(detail.summary.region_code),
        code,
        network_id,
        campaigns,
        campaign,
        allowed,
        view,
        level: q.level.unwrap_or(1).clamp(1, 5),
    })
}

/// The network at `view`, with what each node is called on the page.
fn build(map: &NetworkMap, view: MapView, level: u8, ctx: &Ctx) -> (Network, Labels) {
    let mut members = map.member_facts();
    match view {
        MapView::Schools => {
            let net = school_network(&members, &map.ties, level);
            let mut labels = BTreeMap::new();
            for m in &map.members {
                let name = m
                    .school
                    .clone()
                    .unwrap_or_else(|| ctx.t("sna-network-level"));
                labels.insert(school_node_id(m.rbd), name);
            }
            (
                net,
                Labels {
                    labels,
                    people: BTreeMap::new(),
                },
            )
        }
        MapView::Anonymous | MapView::Names | MapView::Hidden => {
            let numbers = anonymous_ids(&members);
            let named = view == MapView::Names;
            if named {
                for (m, e) in members.iter_mut().zip(&map.members) {
                    m.name = Some(e.name.clone());
                }
            }
            let id_of = |m: &Member| {
                if named {
                    node_id(m.person_id)
                } else {
                    numbers.get(&m.person_id).cloned().unwrap_or_default()
                }
            };
            let net = person_network(&members, &map.ties, level, id_of);
            let mut labels = BTreeMap::new();
            let mut people = BTreeMap::new();
            for (m, e) in members.iter().zip(&map.members) {
                let id = id_of(m);
                let shown = if named {
                    e.name.clone()
                } else {
                    format!("#{id}")
                };
                labels.insert(id.clone(), shown);
                people.insert(id, m.person_id);
            }
            (net, Labels { labels, people })
        }
    }
}

struct Labels {
    labels: BTreeMap<String, String>,
    people: BTreeMap<String, i64>,
}

async fn wave(
    state: &AppState,
    ctx: &Ctx,
    r: &Resolved,
    campaign: &Campaign,
) -> Result<Wave, AppError> {
    let map = state.store.network_map(campaign, r.network_id).await?;
    let (net, l) = build(&map, r.view, r.level, ctx);
    let summary = summarise(&net, &map.member_facts(), &map.ties, r.level);
    let schools = map
        .members
        .iter()
        .map(|m| {
            (
                school_node_id(m.rbd),
                m.school
                    .clone()
                    .unwrap_or_else(|| ctx.t("sna-network-level")),
            )
        })
        .collect();
    Ok(Wave {
        campaign: campaign.clone(),
        net,
        summary,
        labels: l.labels,
        people: l.people,
        schools,
        map,
    })
}

/// Means over the region's networks and over all networks of the campaign,
/// at the same level of detail, so like is compared with like.
async fn benchmarks(
    state: &AppState,
    ctx: &Ctx,
    r: &Resolved,
) -> Result<(Benchmark, Benchmark), AppError> {
    let networks = state.store.campaign_networks(r.campaign.id).await?;
    let mut region = vec![];
    let mut nation = vec![];
    for (id, reg) in networks {
        let map = state.store.network_map(&r.campaign, id).await?;
        if map.ties.is_empty() {
            continue;
        }
        let (net, _) = build(&map, r.view.min(MapView::Anonymous), r.level, ctx);
        let s = summarise(&net, &map.member_facts(), &map.ties, r.level);
        if reg == r.region {
            region.push(s.clone());
        }
        nation.push(s);
    }
    Ok((
        benchmark(&region.iter().collect::<Vec<_>>()),
        benchmark(&nation.iter().collect::<Vec<_>>()),
    ))
}

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
    responded: bool,
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

struct ChangeRow {
    name: String,
    before: String,
    after: String,
    delta: String,
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
}

struct CompareView {
    earlier: String,
    sociogram: String,
    rows: Vec<ChangeRow>,
    gained: Vec<String>,
    lost: Vec<String>,
    gained_count: usize,
    lost_count: usize,
    people_level: bool,
}

fn num(v: Option<f64>, lang: Lang) -> String {
    match v {
        None => "—".to_owned(),
        Some(v) => {
            let s = format!("{v:.2}");
            match lang {
                Lang::Es => s.replace('.', ","),
                Lang::En => s,
            }
        }
    }
}

fn pct(v: Option<f64>, lang: Lang) -> String {
    match v {
        None => "—".to_owned(),
        Some(v) => {
            let s = format!("{v:.0} %");
            match lang {
                Lang::Es => s,
                Lang::En => s.replace(" %", "%"),
            }
        }
    }
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
    let school_names: BTreeMap<String, String> = w
        .map
        .members
        .iter()
        .map(|m| {
            (
                school_node_id(m.rbd),
                m.school
                    .clone()
                    .unwrap_or_else(|| ctx.t("sna-network-level")),
            )
        })
        .collect();
    let mut rows: Vec<NodeRow> = w
        .net
        .ids()
        .iter()
        .enumerate()
        .filter_map(|(v, id)| {
            let m = w.summary.report.node_metrics.get(id)?;
            let school = attr("school", v);
            Some(NodeRow {
                label: w.labels.get(id).cloned().unwrap_or_else(|| id.to_owned()),
                role: label(ctx, "role", &attr("role", v)),
                school: school_names.get(&school).cloned().unwrap_or(school),
                responded: attr(trama_sna::RESPONDED, v) == "1",
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

fn changes(ctx: &Ctx, before: &Wave, now: &Wave, r: &Resolved) -> CompareView {
    let l = ctx.lang;
    let (a, b) = (&before.summary.report, &now.summary.report);
    let change = |id: &str, x: Option<f64>, y: Option<f64>| ChangeRow {
        name: ctx.t(&format!("sna-metric-{id}")),
        before: num(x, l),
        after: num(y, l),
        delta: match (x, y) {
            (Some(x), Some(y)) => {
                let d = y - x;
                let s = num(Some(d), l);
                if d > 0.0 { format!("+{s}") } else { s }
            }
            _ => "—".to_owned(),
        },
    };
    let rows = vec![
        ChangeRow {
            name: ctx.t("sna-response-rate"),
            before: pct(before.summary.response_rate.map(|v| v * 100.0), l),
            after: pct(now.summary.response_rate.map(|v| v * 100.0), l),
            delta: String::new(),
        },
        ChangeRow {
            name: ctx.t("sna-metric-ties"),
            before: a.edges.to_string(),
            after: b.edges.to_string(),
            delta: format!("{:+}", b.edges as i64 - a.edges as i64),
        },
        change("density", Some(a.density), Some(b.density)),
        change("reciprocity", a.reciprocity, b.reciprocity),
        change("transitivity", Some(a.transitivity), Some(b.transitivity)),
        change(
            "centralization",
            a.degree_centralization,
            b.degree_centralization,
        ),
        change("ei-school", ei(a, "school"), ei(b, "school")),
        change("ei-role", ei(a, "role"), ei(b, "role")),
    ];
    let people_level = r.view != MapView::Schools;
    let (gained, lost) = tie_changes(
        (&before.map.member_facts(), &before.map.ties),
        (&now.map.member_facts(), &now.map.ties),
        r.level,
    );
    let name_of = |id: i64| -> String {
        now.people
            .iter()
            .find(|(_, p)| **p == id)
            .and_then(|(node, _)| now.labels.get(node).cloned())
            .unwrap_or_else(|| "?".to_owned())
    };
    let show = |pairs: &[(i64, i64)]| -> Vec<String> {
        if !people_level {
            return vec![];
        }
        pairs
            .iter()
            .map(|(a, b)| format!("{} → {}", name_of(*a), name_of(*b)))
            .collect()
    };
    CompareView {
        earlier: before.campaign.name.clone(),
        sociogram: String::new(),
        rows,
        gained: show(&gained),
        lost: show(&lost),
        gained_count: gained.len(),
        lost_count: lost.len(),
        people_level,
    }
}

/// The wave to compare with: the one asked for, or else the latest earlier
/// year; `compare=` (empty) asks for none.
fn earlier_campaign<'a>(r: &'a Resolved, q: &MapQuery) -> Option<&'a Campaign> {
    match &q.compare {
        Some(c) if c.is_empty() => None,
        Some(c) => r
            .campaigns
            .iter()
            .find(|x| &x.code == c && x.id != r.campaign.id),
        None => r.campaigns.iter().find(|x| x.year < r.campaign.year),
    }
}

/// The sociograms of a wave and of the earlier one it is compared with, the
/// later keeping the positions of what both share.
fn drawings(
    ctx: &Ctx,
    r: &Resolved,
    now: &Wave,
    before: Option<&Wave>,
) -> (String, Option<String>) {
    let seed = r.network_id as u64;
    let title = |w: &Wave| {
        trama_i18n::t!(
            ctx.lang,
            "sna-sociogram-title",
            network = r.code.as_str(),
            campaign = w.campaign.name.clone()
        )
    };
    let mut previous = BTreeMap::new();
    let mut earlier_svg = None;
    if let Some(b) = before {
        let (layout, keyed) = place(&b.drawable(), r.view, seed, &BTreeMap::new());
        earlier_svg = Some(svg(
            ctx,
            &b.drawable(),
            &layout,
            r.view,
            "antes",
            title(b),
            r.level,
        ));
        previous = keyed;
    }
    let (layout, _) = place(&now.drawable(), r.view, seed, &previous);
    (
        svg(
            ctx,
            &now.drawable(),
            &layout,
            r.view,
            "ahora",
            title(now),
            r.level,
        ),
        earlier_svg,
    )
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<MapQuery>,
) -> Result<Response, AppError> {
    let r = resolve(&state, &ctx, &code, &q).await?;
    let now = wave(&state, &ctx, &r, &r.campaign).await?;
    let (region, nation) = benchmarks(&state, &ctx, &r).await?;
    let earlier = earlier_campaign(&r, &q);
    let before = match earlier {
        Some(e) => Some(wave(&state, &ctx, &r, e).await?),
        None => None,
    };
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
        compare_code: earlier.map(|e| e.code.clone()).unwrap_or_default(),
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

/// The network in a file: `gexf`, `graphml`, `edges.csv`, `nodes.csv`.
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, format)): Path<(String, String)>,
    Query(q): Query<MapQuery>,
) -> Result<Response, AppError> {
    let r = resolve(&state, &ctx, &code, &q).await?;
    let w = wave(&state, &ctx, &r, &r.campaign).await?;
    if format == "svg" || format == "png" {
        let before = match earlier_campaign(&r, &q) {
            Some(e) => Some(wave(&state, &ctx, &r, e).await?),
            None => None,
        };
        let (drawing, _) = drawings(&ctx, &r, &w, before.as_ref());
        let (bytes, content_type) = if format == "svg" {
            (drawing.into_bytes(), "image/svg+xml")
        } else {
            let png = trama_sna::sociogram::svg_to_png(&drawing, 1600)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            (png, "image/png")
        };
        return Ok(download(&r, &format, content_type, bytes));
    }
    let mut out = vec![];
    let report = &w.summary.report;
    let io = |e: std::io::Error| AppError::Internal(e.to_string());
    let content_type = match format.as_str() {
        "gexf" => {
            trama_sna::write_gexf(&w.net, report, &mut out).map_err(io)?;
            "application/gexf+xml"
        }
        "graphml" => {
            trama_sna::write_graphml(&w.net, report, &mut out).map_err(io)?;
            "application/graphml+xml"
        }
        "edges.csv" => {
            trama_sna::write_edges_csv(&w.net, &mut out).map_err(io)?;
            "text/csv; charset=utf-8"
        }
        "nodes.csv" => {
            trama_sna::write_nodes_csv(&w.net, report, &mut out).map_err(io)?;
            "text/csv; charset=utf-8"
        }
        _ => return Err(AppError::NotFound),
    };
    Ok(download(&r, &format, content_type, out))
}

/// A file named after the network, the wave and the level of detail, never
/// cached: it may hold names.
fn download(r: &Resolved, format: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    let file = format!(
        "{}-{}-{}.{format}",
        r.code.as_str(),
        r.campaign.code,
        r.view.as_str()
    );
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}
