//! The sociogram as a standalone SVG.
//!
//! Encoding, each with a second cue besides colour so that the picture
//! survives grey-scale printing and colour-vision deficiencies:
//! - role → fill, from the Okabe–Ito palette (and a `data-role`);
//! - total degree → radius (area grows with degree, radius with its root);
//! - did not answer → pale fill and dashed outline (their own ties are
//!   missing, so they look less connected than they are);
//! - tie strength → line width; one-way → one arrowhead, reciprocated → one
//!   line with a head at each end;
//! - community or school → a light hull behind its members.
//!
//! Every caller text is escaped; ids reach the page only with
//! [`NodeKeys::Ids`].

use std::collections::BTreeMap;
use std::fmt::Write;

use trama_domain::person::Role;
use trama_stdx::markup::escape as esc;

use super::hull::convex_hull;
use super::layout::{Layout, Point};
use super::ties::{Tie, ties};
use super::{Canon, SociogramError};
use crate::metrics::Report;
use crate::network::Network;

/// Okabe & Ito's colour-blind-safe palette, one colour per role in
/// [`Role::ALL`]'s order. Black is left for outlines and text.
pub const ROLE_COLOURS: [(Role, &str); 6] = [
    (Role::Director, "#E69F00"),
    (Role::JefeUtp, "#56B4E9"),
    (Role::Docente, "#009E73"),
    (Role::Sostenedor, "#F0E442"),
    (Role::Supervisor, "#0072B2"),
    (Role::Other, "#D55E00"),
];
/// For a role value that is missing or not one of Trama's roles.
pub const UNKNOWN_COLOUR: &str = "#CC79A7";

/// The fill of a node whose role attribute is `value`. Spreadsheet
/// spellings are accepted as in the registry import (`Directora`, `UTP`).
pub fn role_colour(value: Option<&str>) -> &'static str {
    role_of(value).map_or(UNKNOWN_COLOUR, colour_of)
}

fn role_of(value: Option<&str>) -> Option<Role> {
    value.and_then(|v| Role::parse(v).ok())
}

fn colour_of(role: Role) -> &'static str {
    ROLE_COLOURS
        .iter()
        .find(|(r, _)| *r == role)
        .map_or(UNKNOWN_COLOUR, |(_, c)| c)
}

/// The legend's words for each role, in the page's language.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleNames {
    pub director: String,
    pub jefe_utp: String,
    pub docente: String,
    pub sostenedor: String,
    pub supervisor: String,
    pub other: String,
    /// Nodes without a recognised role.
    pub unknown: String,
}

impl RoleNames {
    fn name(&self, role: Option<Role>) -> &str {
        match role {
            Some(Role::Director) => &self.director,
            Some(Role::JefeUtp) => &self.jefe_utp,
            Some(Role::Docente) => &self.docente,
            Some(Role::Sostenedor) => &self.sostenedor,
            Some(Role::Supervisor) => &self.supervisor,
            Some(Role::Other) => &self.other,
            None => &self.unknown,
        }
    }
}

/// Every word of the legend. The crate speaks no language: pages fill this
/// from their translation files.
#[derive(Debug, Clone, PartialEq)]
pub struct Legend {
    pub roles: RoleNames,
    pub respondent: String,
    pub non_respondent: String,
    pub one_way: String,
    pub reciprocated: String,
    /// How to read node size ("Size: number of ties"); omitted when `None`.
    pub size: Option<String>,
    /// How to read line width ("Width: strength of the tie").
    pub width: Option<String>,
    /// What the shaded areas are ("Shaded: communities").
    pub hulls: Option<String>,
}

impl Legend {
    /// The language-neutral keys as texts (`director`, `respondent`, …), for
    /// tests and for callers that translate later.
    pub fn keys() -> Self {
        let s = |v: &str| v.to_owned();
        Self {
            roles: RoleNames {
                director: s("director"),
                jefe_utp: s("jefe_utp"),
                docente: s("docente"),
                sostenedor: s("sostenedor"),
                supervisor: s("supervisor"),
                other: s("other"),
                unknown: s("unknown"),
            },
            respondent: s("respondent"),
            non_respondent: s("non_respondent"),
            one_way: s("one_way"),
            reciprocated: s("reciprocated"),
            size: Some(s("size")),
            width: Some(s("width")),
            hulls: Some(s("hulls")),
        }
    }
}

/// Which groups get a shaded hull.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Hulls {
    #[default]
    None,
    /// The report's communities.
    Communities,
    /// The values of a node attribute, such as `school`.
    Attribute(String),
}

/// What `data-id`, `data-source` and `data-target` carry for a page's
/// script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NodeKeys {
    /// `n0`, `n1`, … in the order of the node ids: reveals nothing the
    /// labels do not, for anonymised maps.
    #[default]
    Ordinal,
    /// The node ids themselves, for pages that may show who is who.
    Ids,
}

/// Everything [`render_svg`] needs besides the network and its layout.
#[derive(Debug, Clone, PartialEq)]
pub struct SvgOptions {
    /// Prefix of the element ids (title, description, arrowheads): unique
    /// on the page when several sociograms are shown together.
    pub id: String,
    /// Accessible name (`<title>`).
    pub title: String,
    /// Text alternative (`<desc>`): what the picture shows, in words.
    pub description: String,
    pub legend: Legend,
    /// Node id → label drawn under the node and shown as its tooltip.
    /// Nodes not in the map have no label: the caller decides who may be
    /// named (names, school labels or numbers).
    pub labels: BTreeMap<String, String>,
    /// The attribute holding each person's role.
    pub role_attribute: String,
    pub hulls: Hulls,
    /// Group → label drawn above its hull: the attribute value for
    /// [`Hulls::Attribute`], the community number (`"0"`, `"1"`, …) for
    /// [`Hulls::Communities`]. Groups not in the map are unlabelled.
    pub hull_labels: BTreeMap<String, String>,
    pub node_keys: NodeKeys,
}

impl SvgOptions {
    /// Options with no labels, no hulls and ordinal keys.
    pub fn new(title: impl Into<String>, description: impl Into<String>, legend: Legend) -> Self {
        Self {
            id: "sociogram".to_owned(),
            title: title.into(),
            description: description.into(),
            legend,
            labels: BTreeMap::new(),
            role_attribute: "role".to_owned(),
            hulls: Hulls::None,
            hull_labels: BTreeMap::new(),
            node_keys: NodeKeys::Ordinal,
        }
    }
}

const EDGE_COLOUR: &str = "#56606b";
const INK: &str = "#1b1f24";
const MUTED: &str = "#4a5560";
/// ColorBrewer's Set3: light, so that hulls stay behind the role colours.
const HULL_COLOURS: [&str; 12] = [
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f",
];
const R_MIN: f64 = 5.0;
const R_MAX: f64 = 14.0;
const W_MIN: f64 = 0.75;
const W_MAX: f64 = 3.5;
/// Arrowhead length; the line stops where the head begins.
const HEAD: f64 = 8.0;
const FONT: f64 = 11.0;
const LEGEND_ROW: f64 = 18.0;

/// One node as drawn.
struct Node {
    key: String,
    at: Point,
    r: f64,
    role: Option<Role>,
    responded: bool,
    label: Option<String>,
    linked: bool,
}

/// Draws `net` at the positions of `layout`. `report` supplies degrees and
/// communities; it should be the report of this same network.
pub fn render_svg(
    net: &Network,
    report: &Report,
    layout: &Layout,
    opts: &SvgOptions,
) -> Result<String, SociogramError> {
    let positive = |v: f64| v.is_finite() && v > 0.0;
    if !positive(layout.width) || !positive(layout.height) {
        return Err(SociogramError::Options(
            "layout width and height must be positive",
        ));
    }
    let canon = Canon::new(net);
    let ties = ties(net, &canon.rank);
    let ids = net.ids();
    let attr = |name: &str| net.attributes().iter().find(|a| a.name == name);
    let roles = attr(&opts.role_attribute);
    let responded = attr(crate::RESPONDED);

    let mut arcs_at = vec![0usize; canon.order.len()];
    for t in &ties {
        arcs_at[t.a] += t.arcs();
        arcs_at[t.b] += t.arcs();
    }
    let degree: Vec<usize> = canon
        .order
        .iter()
        .enumerate()
        .map(|(r, &v)| {
            report
                .node_metrics
                .get(&ids[v])
                .map_or(arcs_at[r], |m| m.in_degree + m.out_degree)
        })
        .collect();
    let max_degree = degree.iter().copied().max().unwrap_or(0);

    let mut nodes = Vec::with_capacity(canon.order.len());
    for (r, &v) in canon.order.iter().enumerate() {
        let id = &ids[v];
        let at = layout
            .position(id)
            .filter(|p| p.x.is_finite() && p.y.is_finite())
            .ok_or_else(|| SociogramError::MissingPosition(id.clone()))?;
        let share = if max_degree > 0 {
            (degree[r] as f64 / max_degree as f64).sqrt()
        } else {
            0.0
        };
        nodes.push(Node {
            key: match opts.node_keys {
                NodeKeys::Ordinal => format!("n{r}"),
                NodeKeys::Ids => id.clone(),
            },
            at,
            r: R_MIN + (R_MAX - R_MIN) * share,
            role: role_of(roles.and_then(|a| a.values[v].as_deref())),
            responded: responded.is_none_or(|a| a.values[v].as_deref() == Some("1")),
            label: opts.labels.get(id).cloned(),
            linked: arcs_at[r] > 0,
        });
    }

    let legend = LegendPlan::new(&nodes, &ties, responded.is_some(), opts);
    let (w, h) = (layout.width, layout.height);
    let total_h = h + legend.height();
    let id = esc(&opts.id);
    let mut s = String::with_capacity(512 + 300 * (nodes.len() + ties.len()));
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="sociogram" viewBox="0 0 {} {}" width="100%" font-family="system-ui, sans-serif" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        num(w),
        num(total_h),
        esc(&opts.title),
        esc(&opts.description),
    );
    let _ = write!(
        s,
        r#"<defs><marker id="{id}-head" viewBox="0 0 10 10" refX="0" refY="5" markerWidth="{HEAD}" markerHeight="{HEAD}" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0L10,5L0,10z" fill="{EDGE_COLOUR}"/></marker><marker id="{id}-tail" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="{HEAD}" markerHeight="{HEAD}" markerUnits="userSpaceOnUse" orient="auto"><path d="M10,0L0,5L10,10z" fill="{EDGE_COLOUR}"/></marker></defs>"#
    );
    let mut placed = vec![];
    hulls(&mut s, net, report, &canon, &nodes, opts, &mut placed);
    edges(&mut s, &nodes, &ties, &id);
    draw_nodes(&mut s, &nodes);
    labels(&mut s, &nodes, w, h, &mut placed);
    legend.draw(&mut s, &opts.legend, &id, w, h);
    s.push_str("</svg>");
    Ok(s)
}

fn hulls(
    s: &mut String,
    net: &Network,
    report: &Report,
    canon: &Canon,
    nodes: &[Node],
    opts: &SvgOptions,
    placed: &mut Vec<LabelBox>,
) {
    let ids = net.ids();
    // Group key and its members (ranks), in a stable order: communities by
    // number, attribute values by value.
    let groups: Vec<(String, Vec<usize>)> = match &opts.hulls {
        Hulls::None => return,
        Hulls::Communities => {
            let mut by: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for (r, &v) in canon.order.iter().enumerate() {
                let community = report
                    .node_metrics
                    .get(&ids[v])
                    .map(|m| m.community)
                    .or_else(|| report.communities.membership.get(&ids[v]).copied());
                if let Some(c) = community {
                    by.entry(c).or_default().push(r);
                }
            }
            by.into_iter().map(|(c, m)| (c.to_string(), m)).collect()
        }
        Hulls::Attribute(name) => {
            let Some(a) = net.attributes().iter().find(|a| &a.name == name) else {
                return;
            };
            let mut by: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for (r, &v) in canon.order.iter().enumerate() {
                if let Some(value) = a.values[v].as_deref() {
                    by.entry(value).or_default().push(r);
                }
            }
            by.into_iter().map(|(k, m)| (k.to_owned(), m)).collect()
        }
    };
    s.push_str(r#"<g class="hulls">"#);
    for (i, (key, members)) in groups.iter().enumerate() {
        // Isolates sit in their own rows at the bottom: a hull reaching
        // down to them would cover the whole picture.
        let members: Vec<&Node> = members
            .iter()
            .map(|&r| &nodes[r])
            .filter(|n| n.linked)
            .collect();
        if members.is_empty() {
            continue;
        }
        let colour = HULL_COLOURS[i % HULL_COLOURS.len()];
        let pad = members.iter().map(|n| n.r).fold(0.0, f64::max) + 6.0;
        let points: Vec<Point> = members.iter().map(|n| n.at).collect();
        let corners = convex_hull(&points);
        if let [only] = corners.as_slice() {
            let _ = write!(
                s,
                r#"<circle class="hull" data-group="g{i}" cx="{}" cy="{}" r="{}" fill="{colour}" opacity="0.35"/>"#,
                num(only.x),
                num(only.y),
                num(pad)
            );
        } else {
            let mut d = String::new();
            for (j, p) in corners.iter().enumerate() {
                let _ = write!(
                    d,
                    "{}{},{}",
                    if j == 0 { "M" } else { "L" },
                    num(p.x),
                    num(p.y)
                );
            }
            d.push('Z');
            // A thick round stroke in the fill colour pads the hull around
            // the nodes and rounds its corners; a pair becomes a capsule.
            let _ = write!(
                s,
                r#"<path class="hull" data-group="g{i}" d="{d}" fill="{colour}" stroke="{colour}" stroke-width="{}" stroke-linejoin="round" stroke-linecap="round" opacity="0.35"/>"#,
                num(2.0 * pad)
            );
        }
        if let Some(label) = opts.hull_labels.get(key) {
            let top = corners.iter().map(|p| p.y).fold(f64::INFINITY, f64::min);
            let cx = corners.iter().map(|p| p.x).sum::<f64>() / corners.len() as f64;
            let y = (top - pad - 3.0).max(FONT);
            placed.push(LabelBox::centred(cx, y, label));
            let _ = write!(
                s,
                r#"<text class="hull-label" data-group="g{i}" x="{}" y="{}" font-size="{FONT}" text-anchor="middle" fill="{MUTED}">{}</text>"#,
                num(cx),
                num(y),
                esc(label)
            );
        }
    }
    s.push_str("</g>");
}

fn edges(s: &mut String, nodes: &[Node], ties: &[Tie], id: &str) {
    let max = ties.iter().map(Tie::mean_weight).fold(0.0, f64::max);
    let _ = write!(
        s,
        r#"<g class="ties" stroke="{EDGE_COLOUR}" stroke-opacity="0.75" fill="none">"#
    );
    for (e, t) in ties.iter().enumerate() {
        // One-way ties are drawn from the node that named to the one named.
        let (from, to) = if t.ab.is_some() {
            (t.a, t.b)
        } else {
            (t.b, t.a)
        };
        let mutual = t.is_mutual();
        let (p, q) = (nodes[from].at, nodes[to].at);
        let (dx, dy) = (q.x - p.x, q.y - p.y);
        let len = (dx * dx + dy * dy).sqrt();
        let (ux, uy) = if len > 0.0 {
            (dx / len, dy / len)
        } else {
            (1.0, 0.0)
        };
        let lead = nodes[from].r + if mutual { HEAD } else { 0.0 };
        let trail = nodes[to].r + HEAD;
        let (a, b) = if len - lead - trail > 0.5 {
            (lead, len - trail)
        } else {
            // Nodes nearly touching: keep a stub so the heads still point
            // the right way.
            let mid = len / 2.0;
            (mid - 0.25, mid + 0.25)
        };
        let width = if max > 0.0 {
            W_MIN + (W_MAX - W_MIN) * t.mean_weight() / max
        } else {
            W_MIN
        };
        let _ = write!(
            s,
            r#"<line class="tie {}" data-id="e{e}" data-source="{}" data-target="{}" x1="{}" y1="{}" x2="{}" y2="{}" stroke-width="{}"{} marker-end="url(#{id}-head)"/>"#,
            if mutual { "reciprocated" } else { "one-way" },
            esc(&nodes[from].key),
            esc(&nodes[to].key),
            num(p.x + ux * a),
            num(p.y + uy * a),
            num(p.x + ux * b),
            num(p.y + uy * b),
            num(width),
            if mutual {
                format!(r#" marker-start="url(#{id}-tail)""#)
            } else {
                String::new()
            },
        );
    }
    s.push_str("</g>");
}

fn role_key(role: Option<Role>) -> &'static str {
    role.map_or("unknown", Role::as_str)
}

fn draw_nodes(s: &mut String, nodes: &[Node]) {
    let _ = write!(s, r#"<g class="nodes" stroke="{INK}">"#);
    for n in nodes {
        let colour = n.role.map_or(UNKNOWN_COLOUR, colour_of);
        let _ = write!(
            s,
            r#"<circle class="node {}" data-id="{}" data-role="{}" cx="{}" cy="{}" r="{}" fill="{colour}"{}"#,
            if n.responded {
                "respondent"
            } else {
                "non-respondent"
            },
            esc(&n.key),
            role_key(n.role),
            num(n.at.x),
            num(n.at.y),
            num(n.r),
            if n.responded {
                r#" stroke-width="1""#
            } else {
                r#" fill-opacity="0.3" stroke-width="1.5" stroke-dasharray="3 2""#
            },
        );
        match &n.label {
            Some(label) => {
                let _ = write!(s, "><title>{}</title></circle>", esc(label));
            }
            None => s.push_str("/>"),
        }
    }
    s.push_str("</g>");
}

/// Where a label's text sits, roughly (an average glyph is 0.55 em wide):
/// enough to keep labels off each other.
#[derive(Debug, Clone, Copy, PartialEq)]
struct LabelBox {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl LabelBox {
    fn width(text: &str) -> f64 {
        text.chars().count() as f64 * FONT * 0.55
    }

    /// A label whose baseline is `y`, anchored at `x` as `anchor` says.
    fn at(x: f64, y: f64, text: &str, anchor: &str) -> LabelBox {
        let w = Self::width(text);
        let x0 = match anchor {
            "start" => x,
            "end" => x - w,
            _ => x - w / 2.0,
        };
        LabelBox {
            x0,
            y0: y - FONT,
            x1: x0 + w,
            y1: y + 2.0,
        }
    }

    fn centred(x: f64, y: f64, text: &str) -> LabelBox {
        Self::at(x, y, text, "middle")
    }

    fn overlaps(&self, o: &LabelBox) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    fn inside(&self, width: f64, height: f64) -> bool {
        self.x0 >= 0.0 && self.y0 >= 0.0 && self.x1 <= width && self.y1 <= height
    }
}

/// Each label goes under its node, else above, right or left of it: the
/// first place that stays in the drawing and clear of labels already
/// placed (hull labels first, so school names never cover people's).
/// Where every place is taken the label is left to the node's tooltip.
fn labels(s: &mut String, nodes: &[Node], width: f64, height: f64, placed: &mut Vec<LabelBox>) {
    if nodes.iter().all(|n| n.label.is_none()) {
        return;
    }
    // A white halo under each letter keeps labels readable over lines.
    let _ = write!(
        s,
        r##"<g class="labels" font-size="{FONT}" text-anchor="middle" fill="{INK}" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">"##
    );
    for n in nodes {
        let Some(label) = &n.label else { continue };
        let (x, y, r) = (n.at.x, n.at.y, n.r);
        let places = [
            (x, y + r + FONT, "middle"),
            (x, y - r - 4.0, "middle"),
            (x + r + 3.0, y + FONT / 3.0, "start"),
            (x - r - 3.0, y + FONT / 3.0, "end"),
        ];
        let Some((lx, ly, anchor, b)) = places
            .iter()
            .map(|&(lx, ly, a)| (lx, ly, a, LabelBox::at(lx, ly, label, a)))
            .find(|(_, _, _, b)| b.inside(width, height) && !placed.iter().any(|p| p.overlaps(b)))
        else {
            continue;
        };
        placed.push(b);
        let anchor = if anchor == "middle" {
            String::new()
        } else {
            format!(r#" text-anchor="{anchor}""#)
        };
        let _ = write!(
            s,
            r#"<text data-for="{}" x="{}" y="{}"{anchor}>{}</text>"#,
            esc(&n.key),
            num(lx),
            num(ly),
            esc(label)
        );
    }
    s.push_str("</g>");
}

/// The legend under the drawing, in three columns: roles present; who
/// answered and what size means; kinds of ties, width and hulls.
/// Entries are shown only for what the drawing contains.
struct LegendPlan<'a> {
    roles: Vec<Option<Role>>,
    respondents: bool,
    ties: bool,
    size: Option<&'a str>,
    width: Option<&'a str>,
    hulls: Option<&'a str>,
}

impl<'a> LegendPlan<'a> {
    fn new(nodes: &[Node], ties: &[Tie], has_responded: bool, opts: &'a SvgOptions) -> Self {
        let mut roles: Vec<Option<Role>> = Role::ALL
            .iter()
            .copied()
            .map(Some)
            .filter(|r| nodes.iter().any(|n| n.role == *r))
            .collect();
        if nodes.iter().any(|n| n.role.is_none()) {
            roles.push(None);
        }
        let legend = &opts.legend;
        Self {
            roles,
            respondents: has_responded,
            ties: !ties.is_empty(),
            size: legend.size.as_deref().filter(|_| !nodes.is_empty()),
            width: legend.width.as_deref().filter(|_| !ties.is_empty()),
            hulls: legend
                .hulls
                .as_deref()
                .filter(|_| opts.hulls != Hulls::None && nodes.iter().any(|n| n.linked)),
        }
    }

    fn columns(&self) -> [usize; 3] {
        let note = |o: Option<&str>| usize::from(o.is_some());
        [
            self.roles.len(),
            2 * usize::from(self.respondents) + note(self.size),
            2 * usize::from(self.ties) + note(self.width) + note(self.hulls),
        ]
    }

    fn height(&self) -> f64 {
        let rows = self.columns().into_iter().max().unwrap_or(0);
        24.0 + rows as f64 * LEGEND_ROW
    }

    fn draw(&self, s: &mut String, legend: &Legend, id: &str, width: f64, top: f64) {
        let col = width / 3.0;
        let _ = write!(
            s,
            r##"<g class="legend" font-size="{FONT}" fill="{INK}"><line x1="0" y1="{}" x2="{}" y2="{}" stroke="#d0d5da" stroke-width="1"/>"##,
            num(top + 4.0),
            num(width),
            num(top + 4.0),
        );
        let row_y = |i: usize| top + 16.0 + LEGEND_ROW * i as f64 + LEGEND_ROW / 2.0;
        let text = |s: &mut String, x: f64, y: f64, t: &str| {
            let _ = write!(
                s,
                r#"<text x="{}" y="{}">{}</text>"#,
                num(x),
                num(y + 4.0),
                esc(t)
            );
        };
        let x0 = 16.0;
        for (i, role) in self.roles.iter().enumerate() {
            let y = row_y(i);
            let colour = role.map_or(UNKNOWN_COLOUR, colour_of);
            let _ = write!(
                s,
                r#"<circle class="swatch" data-role="{}" cx="{}" cy="{}" r="6" fill="{colour}" stroke="{INK}" stroke-width="1"/>"#,
                role_key(*role),
                num(x0),
                num(y)
            );
            text(s, x0 + 12.0, y, legend.roles.name(*role));
        }
        let x1 = col + 16.0;
        let mut i = 0;
        if self.respondents {
            for (cls, label, style) in [
                ("respondent", &legend.respondent, r#" stroke-width="1""#),
                (
                    "non-respondent",
                    &legend.non_respondent,
                    r#" fill-opacity="0.3" stroke-width="1.5" stroke-dasharray="3 2""#,
                ),
            ] {
                let y = row_y(i);
                let _ = write!(
                    s,
                    r##"<circle class="swatch {cls}" cx="{}" cy="{}" r="6" fill="#999999" stroke="{INK}"{style}/>"##,
                    num(x1),
                    num(y)
                );
                text(s, x1 + 12.0, y, label);
                i += 1;
            }
        }
        if let Some(size) = self.size {
            let y = row_y(i);
            let _ = write!(
                s,
                r##"<circle cx="{}" cy="{}" r="3" fill="#999999"/><circle cx="{}" cy="{}" r="6" fill="#999999"/>"##,
                num(x1 - 4.0),
                num(y),
                num(x1 + 8.0),
                num(y)
            );
            text(s, x1 + 20.0, y, size);
        }
        let x2 = 2.0 * col + 16.0;
        let mut i = 0;
        if self.ties {
            for (cls, label, start) in [
                ("one-way", &legend.one_way, String::new()),
                (
                    "reciprocated",
                    &legend.reciprocated,
                    format!(r#" marker-start="url(#{id}-tail)""#),
                ),
            ] {
                let y = row_y(i);
                let _ = write!(
                    s,
                    r#"<line class="swatch {cls}" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{EDGE_COLOUR}" stroke-width="1.5"{start} marker-end="url(#{id}-head)"/>"#,
                    num(x2 - 6.0 + if start.is_empty() { 0.0 } else { HEAD }),
                    num(y),
                    num(x2 + 22.0 - HEAD),
                    num(y)
                );
                text(s, x2 + 30.0, y, label);
                i += 1;
            }
        }
        if let Some(note) = self.width {
            let y = row_y(i);
            let _ = write!(
                s,
                r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{EDGE_COLOUR}" stroke-width="{W_MIN}"/><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{EDGE_COLOUR}" stroke-width="{W_MAX}"/>"#,
                num(x2 - 6.0),
                num(y - 3.0),
                num(x2 + 22.0),
                num(y - 3.0),
                num(x2 - 6.0),
                num(y + 3.0),
                num(x2 + 22.0),
                num(y + 3.0)
            );
            text(s, x2 + 30.0, y, note);
            i += 1;
        }
        if let Some(note) = self.hulls {
            let y = row_y(i);
            let _ = write!(
                s,
                r#"<rect x="{}" y="{}" width="28" height="12" rx="6" fill="{}" opacity="0.6"/>"#,
                num(x2 - 6.0),
                num(y - 6.0),
                HULL_COLOURS[0]
            );
            text(s, x2 + 30.0, y, note);
        }
        s.push_str("</g>");
    }
}

/// A coordinate with at most two decimals and no trailing zeros.
fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_never_cover_each_other_or_a_school_name() {
        // Six people in a tight cluster under a school's hull label.
        let node = |i: usize, x: f64, y: f64| Node {
            key: format!("n{i}"),
            at: Point { x, y },
            r: 6.0,
            role: None,
            responded: true,
            label: Some(format!("Persona número {i}")),
            linked: true,
        };
        let nodes: Vec<Node> = (0..6)
            .map(|i| {
                node(
                    i,
                    200.0 + 8.0 * (i % 3) as f64,
                    100.0 + 10.0 * (i / 3) as f64,
                )
            })
            .collect();
        let school = LabelBox::centred(205.0, 84.0, "Escuela Básica El Sauce");
        let mut placed = vec![school];
        let mut s = String::new();
        labels(&mut s, &nodes, 400.0, 300.0, &mut placed);
        let drawn = s.matches("<text ").count();
        assert_eq!(drawn, placed.len() - 1, "each label drawn has its box");
        assert!(drawn >= 2, "some labels find room: {s}");
        for (i, a) in placed.iter().enumerate() {
            assert!(a.inside(400.0, 300.0), "{a:?}");
            for b in &placed[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} covers {b:?}");
            }
        }
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(1.256), "1.26");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(120.0), "120");
    }

    #[test]
    fn escaping_neutralises_markup_and_controls() {
        assert_eq!(
            esc("<b a=\"1\">&'\u{1}"),
            "&lt;b a=&quot;1&quot;&gt;&amp;&#39;\u{FFFD}"
        );
    }

    #[test]
    fn roles_map_to_the_palette_with_spreadsheet_spellings() {
        assert_eq!(role_colour(Some("director")), "#E69F00");
        assert_eq!(role_colour(Some("Directora")), "#E69F00");
        assert_eq!(role_colour(Some("UTP")), "#56B4E9");
        assert_eq!(role_colour(Some("astronauta")), UNKNOWN_COLOUR);
        assert_eq!(role_colour(None), UNKNOWN_COLOUR);
    }
}
