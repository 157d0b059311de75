//! The change from an earlier wave: metrics before and after, ties gained
//! and lost, and both sociograms with shared places kept.

use std::collections::BTreeMap;

use trama_app::maps::{Resolved, Wave};
use trama_campaign::network_map::ei;
use trama_campaign::roster::tie_changes;
use trama_domain::policy::MapView;

use super::sociogram::{Drawable, place, svg};
use super::{num, pct};
use crate::ctx::Ctx;

/// What the drawing needs of a wave.
pub(super) fn drawable(w: &Wave) -> Drawable<'_> {
    Drawable {
        net: &w.net,
        report: &w.summary.report,
        labels: &w.labels,
        people: &w.people,
        schools: &w.schools,
    }
}

pub(super) struct ChangeRow {
    pub name: String,
    pub before: String,
    pub after: String,
    pub delta: String,
}

pub(super) struct CompareView {
    pub earlier: String,
    pub sociogram: String,
    pub rows: Vec<ChangeRow>,
    pub gained: Vec<String>,
    pub lost: Vec<String>,
    pub gained_count: usize,
    pub lost_count: usize,
    pub people_level: bool,
}

pub(super) fn changes(ctx: &Ctx, before: &Wave, now: &Wave, r: &Resolved) -> CompareView {
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

/// The sociograms of a wave and of the earlier one it is compared with, the
/// later keeping the positions of what both share.
pub(super) fn drawings(
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
        let (layout, keyed) = place(&drawable(b), r.view, seed, &BTreeMap::new());
        earlier_svg = Some(svg(
            ctx,
            &drawable(b),
            &layout,
            r.view,
            "antes",
            title(b),
            r.level,
        ));
        previous = keyed;
    }
    let (layout, _) = place(&drawable(now), r.view, seed, &previous);
    (
        svg(
            ctx,
            &drawable(now),
            &layout,
            r.view,
            "ahora",
            title(now),
            r.level,
        ),
        earlier_svg,
    )
}
