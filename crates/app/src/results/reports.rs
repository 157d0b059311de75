//! The reports themselves: which respondents each one tabulates, at which
//! level, against which comparison groups.

use std::collections::BTreeMap;

use trama_campaign::{FunnelRow, Grouping, funnel};
use trama_domain::network::NetworkCode;
use trama_domain::territory::RegionCode;
use trama_i18n::Lang;
use trama_results::likert::{self, Group};
use trama_results::responses::GroupBy;
use trama_results::{Level, ResponseTable};

use super::data::Data;
use super::view::{
    Figure, Labelled, ReportView, figure, heat, one, per_scale, region_label, row_of, rows_figure,
    t,
};
use crate::{App, Result};

fn findings(data: &Data, table: &ResponseTable, lang: Lang) -> Vec<String> {
    let items = data.report(table, None, Level::Item, lang);
    items
        .groups
        .first()
        .map(|g| {
            trama_results::findings::findings(data.design(), g, 3, lang)
                .into_iter()
                .map(|f| {
                    trama_i18n::t!(
                        lang,
                        "finding-with-base",
                        sentence = f.sentence,
                        n = f.n_answers as i64
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The national report: sub-dimensions, dimensions by region, the heat map
/// of regions, the response-rate table and the findings.
pub(super) async fn national(app: &App, data: &Data, lang: Lang) -> Result<ReportView> {
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
            data,
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
    let mut networks: Vec<(String, String)> = vec![];
    for (id, region) in app.store.campaign_networks(data.campaign.id).await? {
        if let Some((code, _)) = app.store.network_by_id(id).await? {
            networks.push((code, region.to_string()));
        }
    }
    // Invited → valid per region (the response rate) beside the seed's
    // network coverage, each labelled so one is never read as the other.
    let facts = app.store.funnel_data(&data.campaign).await?.facts;
    let people: BTreeMap<String, FunnelRow> = funnel(&facts, Grouping::Region)
        .into_iter()
        .chain(funnel(&facts, Grouping::Total))
        .map(|r| (r.key.clone(), r))
        .collect();
    let rates = trama_results::rates::rates(&networks, &all)
        .into_iter()
        .map(|r| {
            let key = r.region.clone().unwrap_or_default();
            let p = people.get(&key);
            vec![
                r.region
                    .as_deref()
                    .map_or_else(|| t(lang, "results-total"), region_label),
                p.map_or(0, |p| p.counts.invited).to_string(),
                p.map_or(0, |p| p.counts.valid).to_string(),
                p.and_then(|p| p.response_rate)
                    .map_or_else(|| "—".to_owned(), |v| one(v, lang)),
                r.networks_total.to_string(),
                r.networks_with_answers.to_string(),
                one(r.pct_networks, lang),
            ]
        })
        .collect();
    Ok(ReportView {
        n_respondents: national.map_or(0, |g| g.n_respondents),
        suppressed_note: by_region.groups.iter().any(|g| g.suppressed),
        findings: findings(data, &all, lang),
        rates_head: [
            "col-region",
            "funnel-invited",
            "funnel-valid",
            "results-response-rate-col",
            "results-networks-in-scope",
            "results-networks-with-answers",
            "results-coverage-col",
        ]
        .iter()
        .map(|k| t(lang, k))
        .collect(),
        rates,
        figures,
        heat: heat_svg,
        ..ReportView::titled(
            format!("{} · {}", t(lang, "results-title"), data.campaign.name),
            t(lang, "results-intro-national"),
        )
    })
}

/// A region's report: its sub-dimensions against the nation, its networks
/// in a heat map (those of `shown`), and its findings.
pub(super) fn region(data: &Data, region: RegionCode, shown: &[String], lang: Lang) -> ReportView {
    let key = region.0.to_string();
    let mine = data.table(|r| r.region == key);
    let all = data.table(|_| true);
    let nation = data.report(&all, None, Level::Subdimension, lang);
    // The region broken down by all its own networks: complementary
    // suppression then works within the region, whoever reads it.
    let by_network = data.report(&mine, Some(GroupBy::Network), Level::Subdimension, lang);
    let mut figures = vec![];
    if let (Some(reg), Some(nat)) = (by_network.groups.first(), nation.groups.first()) {
        let compare = [
            (region_label(&key), reg),
            (t(lang, "results-national"), nat),
        ];
        figures.extend(per_scale(data, &compare, Level::Subdimension, "sub", lang));
    }
    let nets: Vec<(String, &Group)> = by_network
        .groups
        .iter()
        .skip(1)
        .filter_map(|g| {
            let code = g.value.clone().unwrap_or_default();
            shown.contains(&code).then_some((code, g))
        })
        .collect();
    ReportView {
        n_respondents: by_network.groups.first().map_or(0, |g| g.n_respondents),
        suppressed_note: by_network.groups.iter().any(|g| g.suppressed),
        findings: if mine.len() as u64 >= data.min_group() {
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
            format!("{} · {}", region_label(&key), data.campaign.name),
            t(lang, "results-intro-region"),
        )
    }
}

/// A network's report: its sub-dimensions against its region and the
/// nation, its dimensions across years, and its findings; nothing but the
/// notice when it has fewer than K respondents.
pub(super) async fn network(
    app: &App,
    data: &Data,
    code: &NetworkCode,
    name: &str,
    region: RegionCode,
    lang: Lang,
) -> Result<ReportView> {
    let net = code.as_str();
    let region = region.0.to_string();
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
            (region_label(&region), b),
            (t(lang, "results-national"), c),
        ];
        figures.extend(per_scale(data, &compare, level, "sub", lang));
    }
    figures.extend(network_years(app, data, net, lang).await?);
    let visible = g_net.groups.first().is_some_and(|g| !g.suppressed);
    // Invitations and valid responses: counts of people invited, shown for
    // a network of any size (its page already says how many answered).
    let facts = app.store.funnel_data(&data.campaign).await?.facts;
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
        rate_row(name.to_owned(), Grouping::Network, net),
        rate_row(region_label(&region), Grouping::Region, &region),
        rate_row(t(lang, "results-national"), Grouping::Total, ""),
    ]
    .into_iter()
    .flatten()
    .collect();
    Ok(ReportView {
        intro: if visible {
            t(lang, "results-intro-network")
        } else {
            trama_i18n::t!(
                lang,
                "results-network-too-small",
                k = data.min_group() as i64
            )
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
            t(lang, "results-response-rate-col"),
        ],
        rates,
        figures,
        ..ReportView::titled(
            format!("{name} ({net}) · {}", data.campaign.name),
            String::new(),
        )
    })
}

/// The same network in the other campaigns that asked the same items, each
/// year suppressed on its own; a figure per dimension when there is more
/// than one year.
async fn network_years(app: &App, data: &Data, net: &str, lang: Lang) -> Result<Vec<Figure>> {
    let mut years: Vec<(String, likert::Report)> = vec![];
    for other in app.store.list_campaigns().await? {
        if other.id == data.campaign.id {
            continue;
        }
        let year = other.year;
        let Ok(d) = Data::load(app, other).await else {
            continue;
        };
        let table = d.table(|r| r.network == net);
        if table.is_empty() {
            continue;
        }
        years.push((
            year.to_string(),
            d.report(&table, None, Level::Dimension, lang),
        ));
    }
    let now = data.report(
        &data.table(|r| r.network == net),
        None,
        Level::Dimension,
        lang,
    );
    years.push((data.campaign.year.to_string(), now));
    years.sort_by(|a, b| a.0.cmp(&b.0));
    let year_groups: Vec<(String, &Group)> = years
        .iter()
        .filter_map(|(y, r)| Some((y.clone(), r.groups.first()?)))
        .collect();
    if year_groups.len() < 2 {
        return Ok(vec![]);
    }
    Ok(
        per_scale(data, &year_groups, Level::Dimension, "anios", lang)
            .into_iter()
            .map(|f| Figure {
                title: format!("{} · {}", f.title, t(lang, "results-across-years")),
                ..f
            })
            .collect(),
    )
}

/// One statement, nationally and by region; `None` if the campaign did not
/// ask it.
pub(super) fn item(data: &Data, item: &str, lang: Lang) -> Option<ReportView> {
    let title = data
        .design()
        .items
        .iter()
        .find(|i| i.name == item)?
        .label(lang)
        .to_owned();
    let all = data.table(|_| true);
    let report = data.report(&all, Some(GroupBy::Region), Level::Item, lang);
    let items: Vec<Labelled<'_>> = report
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| Labelled {
            label: if i == 0 {
                t(lang, "results-national")
            } else {
                region_label(g.value.as_deref().unwrap_or_default())
            },
            n_respondents: g.n_respondents,
            row: row_of(g, item),
        })
        .collect();
    let figures = vec![figure(
        "item",
        title.clone(),
        &items,
        data.min_group(),
        lang,
    )];
    Some(ReportView {
        n_respondents: report.groups.first().map_or(0, |g| g.n_respondents),
        suppressed_note: report.groups.iter().any(|g| g.suppressed),
        figures,
        ..ReportView::titled(
            format!("{title} · {}", data.campaign.name),
            t(lang, "results-intro-item"),
        )
    })
}

/// The nation, or one region, in `data`'s campaign and `others`, side by
/// side per sub-dimension. Each year's group is suppressed on its own;
/// nothing is subtracted.
pub(super) fn years(
    data: &Data,
    others: &[Data],
    region: Option<RegionCode>,
    lang: Lang,
) -> ReportView {
    let key = region.map(|r| r.0.to_string());
    let keep = |r: &trama_campaign::ResponseRecord| key.as_ref().is_none_or(|x| &r.region == x);
    let mut waves: Vec<(i32, likert::Report)> = vec![];
    for d in std::iter::once(data).chain(others) {
        let table = d.table(keep);
        if table.is_empty() {
            continue;
        }
        waves.push((
            d.campaign.year,
            d.report(&table, None, Level::Subdimension, lang),
        ));
    }
    waves.sort_by_key(|w| w.0);
    let groups: Vec<(String, &Group)> = waves
        .iter()
        .filter_map(|(y, r)| Some((y.to_string(), r.groups.first()?)))
        .collect();
    let place = key
        .as_deref()
        .map_or_else(|| t(lang, "results-national"), region_label);
    ReportView {
        n_respondents: groups.last().map_or(0, |g| g.1.n_respondents),
        suppressed_note: groups.iter().any(|g| g.1.suppressed),
        figures: per_scale(data, &groups, Level::Subdimension, "anio", lang),
        ..ReportView::titled(
            format!("{} · {place}", t(lang, "results-years-title")),
            t(lang, "results-intro-years"),
        )
    }
}
