//! Results of a campaign: the national dashboard, a region's page, a
//! network's report and an item's detail, each with the seed's diverging
//! 100 % bars, a data table beside every chart, and findings.
//!
//! Anonymity is enforced here, on the data, before anything is drawn: every
//! figure comes from `trama_results::likert::report`, which suppresses groups
//! below K respondents and, when one group of a breakdown is suppressed, the
//! next smallest too. A breakdown is always computed over exactly the
//! respondents the page covers (a region page breaks its own region down),
//! so its total minus what is shown never isolates one small group. Year
//! comparisons put independent groups side by side; nothing is subtracted.

use std::collections::BTreeSet;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use trama_campaign::{Grouping, ResponseRecord, funnel};
use trama_domain::account::AccountRole;
use trama_domain::network::NetworkCode;
use trama_domain::policy::{Action, Target};
use trama_domain::territory::RegionCode;
use trama_i18n::Lang;
use trama_results::charts::{Bar, diverging_bars, heat_map};
use trama_results::likert::{self, Group, Options, Row};
use trama_results::responses::{Answer, EMPTY, GroupBy, NA};
use trama_results::{Design, Level, ResponseTable};
use trama_store::campaigns::lifecycle::Campaign;

use super::{Chrome, region_name, render};

mod pdf;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::state::AppState;
pub use pdf::{ReportScope, national_pdf, network_pdf, region_pdf, report_pdf};

/// The anonymity threshold: no group of fewer respondents is ever shown.
pub const MIN_GROUP: u64 = 5;

/// A campaign's valid responses with the design they are read with: what
/// every results page starts from, kept in memory between requests while
/// the campaign's responses do not change (see [`AppState::results`]).
pub struct Loaded {
    design: Design,
    records: Vec<ResponseRecord>,
}

struct Data {
    campaign: Campaign,
    loaded: Arc<Loaded>,
}

fn code(value: &str) -> Answer {
    match value.trim() {
        "1" => 1,
        "2" => 2,
        "3" => 3,
        "4" => 4,
        "5" => 5,
        "NA" => NA,
        _ => EMPTY,
    }
}

impl Data {
    async fn load(state: &AppState, campaign: &str) -> Result<Data, AppError> {
        let campaign = state
            .store
            .campaign(campaign)
            .await?
            .ok_or(AppError::NotFound)?;
        // Any answer saved, imported or erased moves the stamp, so a cached
        // copy is never stale; figures stay exact.
        let stamp = state.store.responses_stamp(campaign.id).await?;
        if let Some(loaded) = state.results(campaign.id, stamp) {
            return Ok(Data { campaign, loaded });
        }
        let instrument = state.instrument(campaign.instrument_version_id).await?;
        let design = Design::from_instrument(&campaign.code, &instrument)
            .map_err(|e| AppError::Internal(format!("design: {e:?}")))?;
        let rule = campaign.validity();
        let total = design.items.len() as u32;
        let records = state
            .store
            .response_records(campaign.id, false)
            .await?
            .into_iter()
            .filter(|r| {
                let answered = design
                    .items
                    .iter()
                    .filter(|i| r.answers.get(&i.name).is_some_and(|v| code(v) != EMPTY))
                    .count() as u32;
                rule.is_valid(true, answered, total)
            })
            .collect();
        let loaded = Arc::new(Loaded { design, records });
        state.keep_results(campaign.id, stamp, loaded.clone());
        Ok(Data { campaign, loaded })
    }

    fn design(&self) -> &Design {
        &self.loaded.design
    }

    fn records(&self) -> &[ResponseRecord] {
        &self.loaded.records
    }

    /// The respondents `keep` selects, as a table for the analytics.
    fn table(&self, keep: impl Fn(&ResponseRecord) -> bool) -> ResponseTable {
        let mut t = ResponseTable::default();
        let mut row = vec![EMPTY; self.loaded.design.items.len()];
        for r in self.loaded.records.iter().filter(|r| keep(r)) {
            for (slot, item) in row.iter_mut().zip(&self.loaded.design.items) {
                *slot = r.answers.get(&item.name).map_or(EMPTY, |v| code(v));
            }
            t.push([&r.region, &r.deprov, &r.network, &r.role], &row);
        }
        t.k = self.loaded.design.items.len();
        t
    }

    fn report(
        &self,
        table: &ResponseTable,
        by: Option<GroupBy>,
        level: Level,
        lang: Lang,
    ) -> likert::Report {
        likert::report(
            &self.loaded.design,
            table,
            &Options {
                by,
                level: Some(level),
                min_group: MIN_GROUP,
                exclude_na: false,
                lang,
            },
        )
    }
}

/// One table row beside a chart: the figures the bar draws.
pub struct FigureRow {
    pub label: String,
    pub n: String,
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

fn one(v: f64, lang: Lang) -> String {
    let s = format!("{v:.1}");
    match lang {
        Lang::Es => s.replace('.', ","),
        Lang::En => s,
    }
}

/// A labelled group row, ready to be a bar and a table row.
struct Labelled<'a> {
    label: String,
    n_respondents: u64,
    row: Option<&'a Row>,
}

fn figure(id: &str, title: String, items: &[Labelled<'_>], lang: Lang) -> Figure {
    let bars: Vec<Bar> = items
        .iter()
        .map(|l| Bar {
            label: l.label.clone(),
            n: l.row.and_then(|r| r.n_answers),
            pct: l.row.filter(|r| !r.suppressed).and_then(|r| r.pct),
        })
        .collect();
    let svg = diverging_bars(id, &title, &bars, MIN_GROUP, lang);
    let rows = items
        .iter()
        .map(|l| {
            let shown = l.row.filter(|r| !r.suppressed);
            let d = shown.and_then(|r| r.pct_display);
            FigureRow {
                label: l.label.clone(),
                n: shown.map_or_else(
                    || "—".to_owned(),
                    |r| format!("{} / {}", l.n_respondents, r.n_answers.unwrap_or(0)),
                ),
                cells: d.map_or_else(Vec::new, |p| {
                    [p.na.unwrap_or(0.0), p.p1, p.p2, p.p3, p.p4, p.p5]
                        .iter()
                        .map(|v| one(*v, lang))
                        .collect()
                }),
                disagree: shown
                    .and_then(|r| r.disagree)
                    .map_or_else(|| "—".to_owned(), |v| one(v, lang)),
                agree: shown
                    .and_then(|r| r.agree)
                    .map_or_else(|| "—".to_owned(), |v| one(v, lang)),
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

fn row_of<'a>(g: &'a Group, code: &str) -> Option<&'a Row> {
    g.rows.iter().find(|r| r.code == code)
}

/// For each scale of `level`, one figure whose bars are the groups.
fn per_scale(
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
                lang,
            )
        })
        .collect()
}

/// One figure with a bar per row of a group (its dimensions, sub-dimensions…).
fn rows_figure(id: &str, title: String, g: &Group, lang: Lang) -> Figure {
    let items: Vec<Labelled<'_>> = g
        .rows
        .iter()
        .map(|r| Labelled {
            label: r.label.clone(),
            n_respondents: g.n_respondents,
            row: Some(r),
        })
        .collect();
    figure(id, title, &items, lang)
}

fn region_label(code: &str) -> String {
    code.parse::<i32>()
        .map_or_else(|_| code.to_owned(), region_name)
}

fn agree_cells(g: &Group, codes: &[String]) -> Vec<Option<f64>> {
    codes
        .iter()
        .map(|c| row_of(g, c).filter(|r| !r.suppressed).and_then(|r| r.agree))
        .collect()
}

/// Heat map of the groups of a breakdown × sub-dimensions (agreement %).
fn heat(data: &Data, id: &str, title: &str, groups: &[(String, &Group)], lang: Lang) -> String {
    let subs: Vec<String> = data
        .design()
        .scales_at(Level::Subdimension)
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    let columns: Vec<String> = subs.iter().map(|c| data.design().label(c, lang)).collect();
    let rows: Vec<String> = groups.iter().map(|(l, _)| l.clone()).collect();
    let cells: Vec<Vec<Option<f64>>> = groups.iter().map(|(_, g)| agree_cells(g, &subs)).collect();
    heat_map(id, title, &rows, &columns, &cells, lang)
}

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsPage {
    c: Chrome,
    crumbs: Vec<(String, String)>,
    campaign_code: String,
    /// What the page reports; everything else here is navigation.
    view: ReportView,
    links_title: String,
    links: Vec<(String, String)>,
    /// Statements with a page of their own: (item name, label).
    item_links: Vec<(String, String)>,
    scale_head: Vec<String>,
    /// Where the page's PDF is downloaded from; empty for pages without one.
    pdf: String,
}

impl ResultsPage {
    /// A page showing `view` with no navigation yet; handlers add theirs.
    fn new(ctx: &Ctx, data: &Data, view: ReportView) -> Self {
        ResultsPage {
            c: Chrome::new(ctx, "campaigns"),
            crumbs: vec![],
            campaign_code: data.campaign.code.clone(),
            view,
            links_title: String::new(),
            links: vec![],
            item_links: vec![],
            scale_head: scale_head(ctx),
            pdf: String::new(),
        }
    }
}

fn scale_head(ctx: &Ctx) -> Vec<String> {
    [
        "scale-na", "scale-1", "scale-2", "scale-3", "scale-4", "scale-5",
    ]
    .iter()
    .map(|k| ctx.t(k))
    .collect()
}

/// Who may read which results: aggregates for everyone who follows
/// campaigns; a region's breakdown by network for its coordinators and
/// national ones; a network's report for those who may see the network,
/// and for its own participants.
fn may_read_network(ctx: &Ctx, t: &Target) -> bool {
    ctx.can(Action::ViewCampaigns, t)
        || ctx.actor.as_ref().is_some_and(|a| {
            a.role == AccountRole::Participant && t.networks.iter().any(|n| a.networks.contains(n))
        })
}

fn may_read_national(ctx: &Ctx) -> Result<(), AppError> {
    let actor = ctx.actor()?;
    match actor.role {
        AccountRole::Participant => Err(AppError::Forbidden),
        _ => Ok(()),
    }
}

fn findings(data: &Data, table: &ResponseTable, lang: Lang) -> Vec<String> {
    let items = data.report(table, None, Level::Item, lang);
    items
        .groups
        .first()
        .map(|g| {
            trama_results::findings::findings(data.design(), g, 3, lang)
                .into_iter()
                .map(|f| f.sentence)
                .collect()
        })
        .unwrap_or_default()
}

/// What a national or network report shows, in one language: the page
/// draws it and the PDF typesets it, from the same suppressed figures.
pub(crate) struct ReportView {
    title: String,
    intro: String,
    n_respondents: u64,
    suppressed_note: bool,
    findings: Vec<String>,
    /// The response-rate table, already formatted: the seed's by region on
    /// the national report, the network against its region and the nation
    /// on a network's.
    rates_head: Vec<String>,
    rates: Vec<Vec<String>>,
    figures: Vec<Figure>,
    heat: String,
}

impl ReportView {
    /// A heading with nothing under it yet.
    fn titled(title: String, intro: String) -> Self {
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

fn t(lang: Lang, id: &str) -> String {
    trama_i18n::message(lang, id, None)
}

/// The national report: sub-dimensions, dimensions by region, the heat map
/// of regions, the response-rate table and the findings.
async fn national_view(state: &AppState, data: &Data, lang: Lang) -> Result<ReportView, AppError> {
    let all = data.table(|_| true);
    let by_region = data.report(&all, Some(GroupBy::Region), Level::Dimension, lang);
    let national = by_region.groups.first();
    let mut groups: Vec<(String, &Group)> = vec![];
    if let Some(n) = national {
        groups.push((t(lang, "results-national"), n));
    }
    for g in by_region.groups.iter().skip(1) {
        groups.push((region_label(g.value.as_deref().unwrap_or_default()), g));
    }
    let subs = data.report(&all, Some(GroupBy::Region), Level::Subdimension, lang);
    let mut figures = vec![];
    if let Some(n) = subs.groups.first() {
        figures.push(rows_figure(
            "nacional-sub",
            t(lang, "results-subdimensions-national"),
            n,
            lang,
        ));
    }
    figures.extend(per_scale(data, &groups, Level::Dimension, "dim", lang));
    let sub_groups: Vec<(String, &Group)> = subs
        .groups
        .iter()
        .skip(1)
        .map(|g| (region_label(g.value.as_deref().unwrap_or_default()), g))
        .collect();
    let heat_svg = heat(
        data,
        "calor-regiones",
        &t(lang, "results-heat-regions"),
        &sub_groups,
        lang,
    );
    // The seed's response-rate table, from the networks the campaign invited.
    let networks: Vec<(String, String)> = {
        let mut out = vec![];
        for (id, region) in state.store.campaign_networks(data.campaign.id).await? {
            if let Some((code, _)) = state.store.network_by_id(id).await? {
                out.push((code, region.to_string()));
            }
        }
        out
    };
    let rates = trama_results::rates::rates(&networks, &all)
        .into_iter()
        .map(|r| {
            vec![
                r.region
                    .as_deref()
                    .map_or_else(|| t(lang, "results-total"), region_label),
                r.networks_total.to_string(),
                r.networks_with_answers.to_string(),
                r.cases.to_string(),
                one(r.pct_networks, lang),
            ]
        })
        .collect();
    Ok(ReportView {
        title: format!("{} · {}", t(lang, "results-title"), data.campaign.name),
        intro: t(lang, "results-intro-national"),
        n_respondents: national.map_or(0, |g| g.n_respondents),
        suppressed_note: by_region.groups.iter().any(|g| g.suppressed),
        findings: findings(data, &all, lang),
        rates_head: [
            "col-region",
            "results-networks-in-scope",
            "results-networks-with-answers",
            "results-cases",
        ]
        .iter()
        .map(|k| t(lang, k))
        .chain(std::iter::once("%".to_owned()))
        .collect(),
        rates,
        figures,
        heat: heat_svg,
    })
}

pub async fn national(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(campaign): Path<String>,
) -> Result<Response, AppError> {
    may_read_national(&ctx)?;
    let data = Data::load(&state, &campaign).await?;
    let lang = ctx.lang;
    let view = national_view(&state, &data, lang).await?;
    let regions: BTreeSet<String> = data.records().iter().map(|r| r.region.clone()).collect();
    render(&ResultsPage {
        crumbs: vec![(
            format!("/campaigns/{}", data.campaign.code),
            data.campaign.name.clone(),
        )],
        pdf: format!("/campaigns/{}/results/report.pdf", data.campaign.code),
        links_title: ctx.t("results-by-region"),
        links: std::iter::once((
            format!("/campaigns/{}/results/years", data.campaign.code),
            ctx.t("results-years-title"),
        ))
        .chain(regions.into_iter().map(|r| {
            (
                format!("/campaigns/{}/results/regions/{r}", data.campaign.code),
                region_label(&r),
            )
        }))
        .collect(),
        item_links: data
            .design()
            .items
            .iter()
            .map(|i| (i.name.clone(), i.label(lang).to_owned()))
            .collect(),
        ..ResultsPage::new(&ctx, &data, view)
    })
}

pub async fn region(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((campaign, region)): Path<(String, i16)>,
) -> Result<Response, AppError> {
    may_read_region(&ctx, region)?;
    let data = Data::load(&state, &campaign).await?;
    let key = region.to_string();
    let networks: BTreeSet<String> = data
        .records()
        .iter()
        .filter(|r| r.region == key)
        .map(|r| r.network.clone())
        .collect();
    render(&ResultsPage {
        crumbs: vec![
            (
                format!("/campaigns/{}", data.campaign.code),
                data.campaign.name.clone(),
            ),
            (
                format!("/campaigns/{}/results", data.campaign.code),
                ctx.t("results-title"),
            ),
        ],
        pdf: format!(
            "/campaigns/{}/results/regions/{key}/report.pdf",
            data.campaign.code
        ),
        links_title: ctx.t("results-by-network"),
        links: networks
            .into_iter()
            .map(|n| {
                (
                    format!("/campaigns/{}/results/networks/{n}", data.campaign.code),
                    n,
                )
            })
            .collect(),
        ..ResultsPage::new(&ctx, &data, region_view(&data, &key, ctx.lang))
    })
}

/// Region pages are for those who run campaigns there, researchers and
/// supervisors.
fn may_read_region(ctx: &Ctx, region: i16) -> Result<(), AppError> {
    let t = Target::in_region(Some(RegionCode(region)), vec![]);
    if ctx.can(Action::ManageCampaigns, &t)
        || matches!(
            ctx.actor()?.role,
            AccountRole::Researcher | AccountRole::Supervisor
        )
    {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A region's report: its sub-dimensions against the nation, its networks
/// in a heat map, and its findings.
fn region_view(data: &Data, key: &str, lang: Lang) -> ReportView {
    let mine = data.table(|r| r.region == key);
    let all = data.table(|_| true);
    let nation = data.report(&all, None, Level::Subdimension, lang);
    // The region broken down by its own networks: complementary suppression
    // then works within the region.
    let by_network = data.report(&mine, Some(GroupBy::Network), Level::Subdimension, lang);
    let mut figures = vec![];
    if let (Some(reg), Some(nat)) = (by_network.groups.first(), nation.groups.first()) {
        let compare = [(region_label(key), reg), (t(lang, "results-national"), nat)];
        figures.extend(per_scale(data, &compare, Level::Subdimension, "sub", lang));
    }
    let nets: Vec<(String, &Group)> = by_network
        .groups
        .iter()
        .skip(1)
        .map(|g| (g.value.clone().unwrap_or_default(), g))
        .collect();
    ReportView {
        n_respondents: by_network.groups.first().map_or(0, |g| g.n_respondents),
        suppressed_note: by_network.groups.iter().any(|g| g.suppressed),
        findings: if mine.len() as u64 >= MIN_GROUP {
            findings(data, &mine, lang)
        } else {
            vec![]
        },
        figures,
        heat: heat(
            data,
            "calor-redes",
            &t(lang, "results-heat-networks"),
            &nets,
            lang,
        ),
        ..ReportView::titled(
            format!("{} · {}", region_label(key), data.campaign.name),
            t(lang, "results-intro-region"),
        )
    }
}

pub async fn network(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((campaign, network)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (code, region) = network_in_reach(&state, &ctx, &network).await?;
    let data = Data::load(&state, &campaign).await?;
    let view = network_view(&state, &data, code.as_str(), &region, ctx.lang).await?;
    render(&ResultsPage {
        crumbs: vec![(
            format!("/networks/{code}/map?campaign={}", data.campaign.code),
            ctx.t("sna-map-link"),
        )],
        pdf: format!(
            "/campaigns/{}/results/networks/{code}/report.pdf",
            data.campaign.code
        ),
        ..ResultsPage::new(&ctx, &data, view)
    })
}

/// The network named in a path, if the viewer may read its report, with
/// its region's code.
async fn network_in_reach(
    state: &AppState,
    ctx: &Ctx,
    network: &str,
) -> Result<(NetworkCode, String), AppError> {
    ctx.actor()?;
    let code = NetworkCode::parse(network).map_err(|_| AppError::NotFound)?;
    let t = state
        .store
        .network_target(&code)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_read_network(ctx, &t) {
        return Err(AppError::Forbidden);
    }
    let region = t
        .single_region()
        .map(|r| r.0.to_string())
        .unwrap_or_default();
    Ok((code, region))
}

/// A network's report: its sub-dimensions against its region and the
/// nation, its dimensions across years, and its findings; nothing but the
/// notice when it has fewer than K respondents.
async fn network_view(
    state: &AppState,
    data: &Data,
    net: &str,
    region: &str,
    lang: Lang,
) -> Result<ReportView, AppError> {
    let mine = data.table(|r| r.network == net);
    let reg = data.table(|r| r.region == region);
    let all = data.table(|_| true);
    let level = Level::Subdimension;
    let (g_net, g_reg, g_nat) = (
        data.report(&mine, None, level, lang),
        data.report(&reg, None, level, lang),
        data.report(&all, None, level, lang),
    );
    let mut figures = vec![];
    if let (Some(a), Some(b), Some(c)) = (
        g_net.groups.first(),
        g_reg.groups.first(),
        g_nat.groups.first(),
    ) {
        let compare = [
            (net.to_owned(), a),
            (region_label(region), b),
            (t(lang, "results-national"), c),
        ];
        figures.extend(per_scale(data, &compare, level, "sub", lang));
    }
    // Across years: the same network in the other campaigns that asked the
    // same items, each year suppressed on its own.
    let mut years: Vec<(String, likert::Report)> = vec![];
    for other in state.store.list_campaigns().await? {
        if other.id == data.campaign.id {
            continue;
        }
        let Ok(d) = Data::load(state, &other.code).await else {
            continue;
        };
        let table = d.table(|r| r.network == net);
        if table.is_empty() {
            continue;
        }
        years.push((
            other.year.to_string(),
            d.report(&table, None, Level::Dimension, lang),
        ));
    }
    let now = data.report(&mine, None, Level::Dimension, lang);
    years.push((data.campaign.year.to_string(), now));
    years.sort_by(|a, b| a.0.cmp(&b.0));
    let year_groups: Vec<(String, &Group)> = years
        .iter()
        .filter_map(|(y, r)| Some((y.clone(), r.groups.first()?)))
        .collect();
    if year_groups.len() > 1 {
        for f in per_scale(data, &year_groups, Level::Dimension, "anios", lang) {
            figures.push(Figure {
                title: format!("{} · {}", f.title, t(lang, "results-across-years")),
                ..f
            });
        }
    }
    let visible = g_net.groups.first().is_some_and(|g| !g.suppressed);
    // Invitations and valid responses: counts of people invited, shown for
    // a network of any size (its page already says how many answered).
    let facts = state.store.funnel_data(&data.campaign).await?.facts;
    let rate_row = |label: String, by: Grouping, key: &str| {
        funnel(&facts, by)
            .into_iter()
            .find(|r| r.key == key)
            .map(|r| {
                vec![
                    label,
                    r.counts.invited.to_string(),
                    r.counts.valid.to_string(),
                    r.response_rate
                        .map_or_else(|| "—".to_owned(), |v| one(v, lang)),
                ]
            })
    };
    let rates: Vec<Vec<String>> = [
        rate_row(net.to_owned(), Grouping::Network, net),
        rate_row(region_label(region), Grouping::Region, region),
        rate_row(t(lang, "results-national"), Grouping::Total, ""),
    ]
    .into_iter()
    .flatten()
    .collect();
    Ok(ReportView {
        title: format!("{net} · {}", data.campaign.name),
        intro: if visible {
            t(lang, "results-intro-network")
        } else {
            trama_i18n::t!(lang, "results-network-too-small", k = MIN_GROUP as i64)
        },
        n_respondents: g_net.groups.first().map_or(0, |g| g.n_respondents),
        suppressed_note: !visible,
        findings: if visible {
            findings(data, &mine, lang)
        } else {
            vec![]
        },
        rates_head: vec![
            t(lang, "results-pdf-group"),
            t(lang, "funnel-invited"),
            t(lang, "funnel-valid"),
            "%".to_owned(),
        ],
        rates,
        figures,
        heat: String::new(),
    })
}

pub async fn item(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((campaign, item)): Path<(String, String)>,
) -> Result<Response, AppError> {
    may_read_national(&ctx)?;
    let data = Data::load(&state, &campaign).await?;
    if !data.design().items.iter().any(|i| i.name == item) {
        return Err(AppError::NotFound);
    }
    let lang = ctx.lang;
    let all = data.table(|_| true);
    let report = data.report(&all, Some(GroupBy::Region), Level::Item, lang);
    let groups: Vec<(String, &Group)> = report
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let label = if i == 0 {
                ctx.t("results-national")
            } else {
                region_label(g.value.as_deref().unwrap_or_default())
            };
            (label, g)
        })
        .collect();
    let items: Vec<Labelled<'_>> = groups
        .iter()
        .map(|(label, g)| Labelled {
            label: label.clone(),
            n_respondents: g.n_respondents,
            row: row_of(g, &item),
        })
        .collect();
    let title = data
        .design()
        .items
        .iter()
        .find(|i| i.name == item)
        .map(|i| i.label(lang).to_owned())
        .unwrap_or_else(|| item.clone());
    let figures = vec![figure("item", title.clone(), &items, lang)];
    render(&ResultsPage {
        crumbs: vec![(
            format!("/campaigns/{}/results", data.campaign.code),
            ctx.t("results-title"),
        )],
        ..ResultsPage::new(
            &ctx,
            &data,
            ReportView {
                n_respondents: report.groups.first().map_or(0, |g| g.n_respondents),
                suppressed_note: report.groups.iter().any(|g| g.suppressed),
                figures,
                ..ReportView::titled(
                    format!("{title} · {}", data.campaign.name),
                    ctx.t("results-intro-item"),
                )
            },
        )
    })
}

/// Year over year: the nation (or a region, with `?region=`) in every
/// campaign of the same questionnaire, side by side per sub-dimension. Each
/// year's group is suppressed on its own; nothing is subtracted.
pub async fn years(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(campaign): Path<String>,
    axum::extract::Query(q): axum::extract::Query<YearsQuery>,
) -> Result<Response, AppError> {
    may_read_national(&ctx)?;
    let data = Data::load(&state, &campaign).await?;
    let lang = ctx.lang;
    let region = q.region.filter(|r| !r.is_empty());
    let keep = |r: &ResponseRecord| region.as_ref().is_none_or(|x| &r.region == x);
    let mut waves: Vec<(i32, String, likert::Report)> = vec![];
    for other in state.store.list_campaigns().await? {
        if other.instrument_code != data.campaign.instrument_code {
            continue;
        }
        let d = if other.id == data.campaign.id {
            None
        } else {
            Some(Data::load(&state, &other.code).await?)
        };
        let d = d.as_ref().unwrap_or(&data);
        let table = d.table(keep);
        if table.is_empty() {
            continue;
        }
        waves.push((
            other.year,
            other.name.clone(),
            d.report(&table, None, Level::Subdimension, lang),
        ));
    }
    waves.sort_by_key(|w| w.0);
    let groups: Vec<(String, &Group)> = waves
        .iter()
        .filter_map(|(y, _, r)| Some((y.to_string(), r.groups.first()?)))
        .collect();
    let place = region
        .as_deref()
        .map_or_else(|| ctx.t("results-national"), region_label);
    render(&ResultsPage {
        crumbs: vec![(
            format!("/campaigns/{}/results", data.campaign.code),
            data.campaign.name.clone(),
        )],
        ..ResultsPage::new(
            &ctx,
            &data,
            ReportView {
                n_respondents: groups.last().map_or(0, |g| g.1.n_respondents),
                suppressed_note: groups.iter().any(|g| g.1.suppressed),
                figures: per_scale(&data, &groups, Level::Subdimension, "anio", lang),
                ..ReportView::titled(
                    format!("{} · {place}", ctx.t("results-years-title")),
                    ctx.t("results-intro-years"),
                )
            },
        )
    })
}

#[derive(serde::Deserialize)]
pub struct YearsQuery {
    region: Option<String>,
}
