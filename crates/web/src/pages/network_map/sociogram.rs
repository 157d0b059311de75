//! Drawing a network map's sociogram for a page or a download.
//!
//! Positions carry from one wave to the next: the earlier wave is laid out
//! first and the later one keeps the places of the people (or schools) both
//! share. Layouts are keyed by person or school internally, since the
//! numbers of an anonymised view are renumbered every wave and must not be
//! what anchors a position.

use std::collections::BTreeMap;

use trama_campaign::roster::node_id;
use trama_domain::policy::MapView;
use trama_sna::Network;
use trama_sna::sociogram::{
    self, Hulls, Layout, LayoutOptions, Legend, NodeKeys, Point, RoleNames, SvgOptions,
};

use crate::ctx::Ctx;

/// What the drawing needs of one wave.
pub struct Drawable<'a> {
    pub net: &'a Network,
    pub report: &'a trama_sna::Report,
    /// View node id → label shown.
    pub labels: &'a BTreeMap<String, String>,
    /// View node id → person id (person-level views only).
    pub people: &'a BTreeMap<String, i64>,
    /// School attribute value → school name, for hull labels.
    pub schools: &'a BTreeMap<String, String>,
}

/// The stable key of a view node: the person behind a number, or the
/// school itself.
fn key_of(view_id: &str, people: &BTreeMap<String, i64>) -> String {
    people
        .get(view_id)
        .map_or_else(|| format!("s{view_id}"), |p| node_id(*p))
}

/// Lays `d` out, keeping the positions of `previous` (keyed by person or
/// school); returns the layout in view ids and the positions by key, for
/// the next wave.
pub fn place(
    d: &Drawable<'_>,
    view: MapView,
    seed: u64,
    previous: &BTreeMap<String, Point>,
) -> (Layout, BTreeMap<String, Point>) {
    let prev_view: BTreeMap<String, Point> = d
        .net
        .ids()
        .iter()
        .filter_map(|id| Some((id.clone(), *previous.get(&key_of(id, d.people))?)))
        .collect();
    let opts = LayoutOptions {
        seed,
        group_by: (view != MapView::Schools).then(|| "school".to_owned()),
        previous: prev_view,
        ..LayoutOptions::default()
    };
    // The options are the defaults but for the seed, grouping and earlier
    // positions, which the layout accepts or ignores: it cannot fail here,
    // and a failure would only lose the picture, not the page.
    let layout = sociogram::layout(d.net, &opts).unwrap_or_else(|_| Layout {
        width: opts.width,
        height: opts.height,
        positions: BTreeMap::new(),
    });
    let keyed = layout
        .positions
        .iter()
        .map(|(id, p)| (key_of(id, d.people), *p))
        .collect();
    (layout, keyed)
}

fn legend(ctx: &Ctx, view: MapView) -> Legend {
    let role = |r: &str| ctx.t(&format!("role-{r}"));
    Legend {
        roles: RoleNames {
            director: role("director"),
            jefe_utp: role("jefe_utp"),
            docente: role("docente"),
            sostenedor: role("sostenedor"),
            supervisor: role("supervisor"),
            other: role("other"),
            unknown: if view == MapView::Schools {
                ctx.t("sna-school")
            } else {
                role("other")
            },
        },
        respondent: ctx.t("sna-legend-responded"),
        non_respondent: ctx.t("sna-legend-not-responded"),
        one_way: ctx.t("sna-legend-one-way"),
        reciprocated: ctx.t("sna-legend-mutual"),
        size: Some(ctx.t("sna-legend-size")),
        width: Some(ctx.t("sna-legend-width")),
        hulls: (view != MapView::Schools).then(|| ctx.t("sna-legend-hulls")),
    }
}

/// The SVG of one wave, with its accessible title and description.
pub fn svg(
    ctx: &Ctx,
    d: &Drawable<'_>,
    layout: &Layout,
    view: MapView,
    id: &str,
    title: String,
    level: u8,
) -> String {
    let description = trama_i18n::t!(
        ctx.lang,
        "sna-sociogram-desc",
        nodes = d.report.nodes as i64,
        ties = d.report.edges as i64,
        level = i64::from(level)
    );
    let person_level = view != MapView::Schools;
    let opts = SvgOptions {
        id: id.to_owned(),
        labels: d.labels.clone(),
        role_attribute: "role".to_owned(),
        hulls: if person_level {
            Hulls::Attribute("school".to_owned())
        } else {
            Hulls::None
        },
        hull_labels: if person_level {
            d.schools.clone()
        } else {
            BTreeMap::new()
        },
        node_keys: if view == MapView::Names {
            NodeKeys::Ids
        } else {
            NodeKeys::Ordinal
        },
        ..SvgOptions::new(title, description, legend(ctx, view))
    };
    sociogram::render_svg(d.net, d.report, layout, &opts).unwrap_or_default()
}
