//! The reports themselves: which respondents each one tabulates, at which
//! level, against which comparison groups.

use std::collections::BTreeMap;

use trama_campaign::{FunnelRow, Grouping, funnel};
use trama_domain::network::NetworkCode;
use trama_domain::territory::RegionCode;
use trama_i18n::Lang;
use trama_results::Level;
use trama_results::disclosure::{Cell, Place, Reason};
use trama_results::likert::Group;

use super::data::Data;
use super::view::{
    Figure, Labelled, ReportView, figure, heat, one, per_scale, region_label, row_of, rows_figure,
    t,
};
use crate::{App, Result};

/// The findings of a published group; none for a hidden one.
fn findings(data: &Data, cell: &Cell, lang: Lang) -> Vec<String> {
    let g = data.cell(cell, Some(Level::Item), lang);
    Some(g)
        .filter(|g| !g.suppressed)
        .map(|g| {
            trama_results::findings::findings(data.design(), &g, 3, lang)
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

/// A group's valid responses and response rate for a rate table, shown
/// only where the campaign's decision publishes the group.
fn valid_and_rate(
    data: &Data,
    cell: &Cell,
    row: Option<&FunnelRow>,
    lang: Lang,
) -> (String, String) {
    let dash = || "—".to_owned();
    match row {
        Some(r) if data.decision().published(cell) => (
            r.counts.valid.to_string(),
            r.response_rate.map_or_else(dash, |v| one(v, lang)),
        ),
        _ => (dash(), dash()),
    }
}

/// The national report: sub-dimensions, dimensions by region, the heat map
/// of regions, the response-rate table and the findings.
/// The nation then each region with respondents, at `level`.
fn nation_and_regions(data: &Data, level: Level, lang: Lang) -> Vec<Group> {
    std::iter::once(Cell::nation())
        .chain(
            data.regions()
                .into_iter()
                .map(|r| Cell::at(Place::Region(r))),
        )
        .map(|c| data.cell(&c, Some(level), lang))
        .collect()
}

/// Labels for [`nation_and_regions`].
fn labelled(groups: &[Group], lang: Lang) -> Vec<(String, &Group)> {
    groups
        .iter()
        .map(|g| match &g.value {
            None => (t(lang, "results-national"), g),
            Some(v) => (region_label(v), g),
        })
        .collect()
}

pub(super) async fn national(app: &App, data: &Data, lang: Lang) -> Result<ReportView> {
    let dims = nation_and_regions(data, Level::Dimension, lang);
    let groups = labelled(&dims, lang);
    let subs = nation_and_regions(data, Level::Subdimension, lang);
    let mut figures = vec![];
    if let Some(n) = subs.first() {
        figures.push(rows_figure(
            data,
            "nacional-sub",
            t(lang, "results-subdimensions-national"),
            n,
            lang,
        ));
    }
    figures.extend(per_scale(data, &groups, Level::Dimension, "dim", lang));
    let sub_groups: Vec<(String, &Group)> = labelled(&subs, lang).into_iter().skip(1).collect();
    let heat_svg = heat(
        data,
        "calor-regiones",
        &t(lang, "results-heat-regions"),
        &sub_groups,
        lang,
    );
    // The seed's response-rate table, from the networks the campaign invited.
    let networks: Vec<(String, String)> = app
        .store
        .campaign_networks(data.campaign.id)
        .await?
        .into_iter()
        .map(|n| (n.code, n.region.to_string()))
        .collect();
    // Invited → valid per region (the response rate) beside the seed's
    // network coverage, each labelled so one is never read as the other.
    let facts = app.store.funnel_data(&data.campaign).await?.facts;
    let people: BTreeMap<String, FunnelRow> = funnel(&facts, Grouping::Region)
        .into_iter()
        .chain(funnel(&facts, Grouping::Total))
        .map(|r| (r.key.clone(), r))
        .collect();
    let rates = trama_results::rates::rates(&networks, data.respondents_by_network())
        .into_iter()
        .map(|r| {
            let key = r.region.clone().unwrap_or_default();
            let p = people.get(&key);
            let cell = match &r.region {
                Some(region) => Cell::at(Place::Region(region.clone())),
                None => Cell::nation(),
            };
            let (valid, rate) = valid_and_rate(data, &cell, p, lang);
            vec![
                r.region
                    .as_deref()
                    .map_or_else(|| t(lang, "results-total"), region_label),
                p.map_or(0, |p| p.counts.invited).to_string(),
                valid,
                rate,
                r.networks_total.to_string(),
                r.networks_with_answers.to_string(),
                one(r.pct_networks, lang),
            ]
        })
        .collect();
    Ok(ReportView {
        n_respondents: dims.first().map_or(0, |g| g.n_respondents),
        suppressed_note: dims.iter().any(|g| g.suppressed),
        findings: findings(data, &Cell::nation(), lang),
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
    let level = Some(Level::Subdimension);
    let mine = Cell::at(Place::Region(key.clone()));
    let reg = data.cell(&mine, level, lang);
    let nat = data.cell(&Cell::nation(), level, lang);
    let compare = [
        (region_label(&key), &reg),
        (t(lang, "results-national"), &nat),
    ];
    let figures = per_scale(data, &compare, Level::Subdimension, "sub", lang);
    // Every network of the region is decided on; the reader sees those
    // of `shown`, hidden or not as the campaign's decision says.
    let all_nets: Vec<Group> = data
        .networks_in(region)
        .into_iter()
        .map(|code| data.cell(&Cell::at(Place::Network(code)), level, lang))
        .collect();
    let nets: Vec<(String, &Group)> = all_nets
        .iter()
        .filter_map(|g| {
            let code = g.value.clone().unwrap_or_default();
            shown.contains(&code).then_some((code, g))
        })
        .collect();
    ReportView {
        n_respondents: reg.n_respondents,
        suppressed_note: reg.suppressed || all_nets.iter().any(|g| g.suppressed),
        findings: findings(data, &mine, lang),
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
    let level = Level::Subdimension;
    let mine = Cell::at(Place::Network(net.to_owned()));
    let reg_cell = Cell::at(Place::Region(region.clone()));
    let (g_net, g_reg, g_nat) = (
        data.cell(&mine, Some(level), lang),
        data.cell(&reg_cell, Some(level), lang),
        data.cell(&Cell::nation(), Some(level), lang),
    );
    let compare = [
        (net.to_owned(), &g_net),
        (region_label(&region), &g_reg),
        (t(lang, "results-national"), &g_nat),
    ];
    let mut figures = per_scale(data, &compare, level, "sub", lang);
    figures.extend(network_years(app, data, net, lang).await?);
    let visible = !g_net.suppressed;
    // Invitations and valid responses: counts of people invited, shown for
    // a network of any size (its page already says how many answered).
    let facts = app.store.funnel_data(&data.campaign).await?.facts;
    let rate_row = |label: String, by: Grouping, key: &str, cell: &Cell| {
        funnel(&facts, by)
            .into_iter()
            .find(|r| r.key == key)
            .map(|r| {
                let (valid, rate) = valid_and_rate(data, cell, Some(&r), lang);
                vec![label, r.counts.invited.to_string(), valid, rate]
            })
    };
    let rates: Vec<Vec<String>> = [
        rate_row(name.to_owned(), Grouping::Network, net, &mine),
        rate_row(region_label(&region), Grouping::Region, &region, &reg_cell),
        rate_row(
            t(lang, "results-national"),
            Grouping::Total,
            "",
            &Cell::nation(),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let why = data.decision().reason(&mine);
    Ok(ReportView {
        intro: match why {
            None => t(lang, "results-intro-network"),
            Some(Reason::Protects) => trama_i18n::t!(
                lang,
                "results-network-protects",
                k = data.min_group() as i64
            ),
            Some(Reason::Small) => trama_i18n::t!(
                lang,
                "results-network-too-small",
                k = data.min_group() as i64
            ),
        },
        n_respondents: g_net.n_respondents,
        suppressed_note: !visible,
        findings: findings(data, &mine, lang),
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
/// year as that year's own decision publishes it; a figure per dimension
/// when there is more than one year.
async fn network_years(app: &App, data: &Data, net: &str, lang: Lang) -> Result<Vec<Figure>> {
    let cell = Cell::at(Place::Network(net.to_owned()));
    let level = Some(Level::Dimension);
    let mut years: Vec<(String, Group)> = vec![];
    for other in app.store.list_campaigns().await? {
        if other.id == data.campaign.id {
            continue;
        }
        let year = other.year;
        let Ok(d) = Data::load(app, other).await else {
            continue;
        };
        if !d.atoms().atoms.iter().any(|a| a.network == net) {
            continue;
        }
        years.push((year.to_string(), d.cell(&cell, level, lang)));
    }
    years.push((
        data.campaign.year.to_string(),
        data.cell(&cell, level, lang),
    ));
    years.sort_by(|a, b| a.0.cmp(&b.0));
    let year_groups: Vec<(String, &Group)> = years.iter().map(|(y, g)| (y.clone(), g)).collect();
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
    let groups = nation_and_regions(data, Level::Item, lang);
    let items: Vec<Labelled<'_>> = labelled(&groups, lang)
        .into_iter()
        .map(|(label, g)| Labelled {
            label,
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
        n_respondents: groups.first().map_or(0, |g| g.n_respondents),
        suppressed_note: groups.iter().any(|g| g.suppressed),
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
    let cell = key
        .clone()
        .map_or_else(Cell::nation, |k| Cell::at(Place::Region(k)));
    let mut waves: Vec<(i32, Group)> = vec![];
    for d in std::iter::once(data).chain(others) {
        let present = d
            .atoms()
            .atoms
            .iter()
            .any(|a| key.as_ref().is_none_or(|k| &a.region == k));
        if present {
            waves.push((
                d.campaign.year,
                d.cell(&cell, Some(Level::Subdimension), lang),
            ));
        }
    }
    waves.sort_by_key(|w| w.0);
    let groups: Vec<(String, &Group)> = waves.iter().map(|(y, g)| (y.to_string(), g)).collect();
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
