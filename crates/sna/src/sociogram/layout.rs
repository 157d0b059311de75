//! Where the nodes go.
//!
//! Fruchterman–Reingold (1991) with linear cooling, over plain `f64`:
//! every pair repels with k²/d, every tie pulls with d²/k (stronger for
//! stronger ties), a weak gravity keeps a component round. Each connected
//! component is laid out alone and the components are then packed in rows,
//! so that a small group does not get pushed to a corner by a large one.
//! Nodes without ties go to rows along the bottom edge, ordered by group and
//! id, where the forces would otherwise fling them to the border.
//!
//! Determinism: nodes are taken in id order, ties in pair order, and the only
//! randomness is the crate's SplitMix64 seeded by the caller, so the same
//! network and seed give the same positions bit for bit, whatever the order
//! of the rows the network was read from.
//!
//! A later wave passes the earlier positions in [`LayoutOptions::previous`]:
//! shared nodes stay exactly where they were and only new nodes move, so two
//! waves can be compared side by side.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use trama_stdx::rng::SplitMix64;

use super::ties::{Tie, connected, ties};
use super::{Canon, SociogramError};
use crate::network::Network;

/// A position in the drawing box, in SVG user units (y grows downwards).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// Options for [`layout`].
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutOptions {
    /// Same seed, same picture.
    pub seed: u64,
    /// The drawing box, in SVG user units; the SVG adds its legend below it.
    pub width: f64,
    pub height: f64,
    /// Room left empty on every side, for node radii and labels.
    pub margin: f64,
    /// Force-directed steps per component. The cost is about
    /// `iterations × n² / 2` pair updates.
    pub iterations: usize,
    /// A categorical attribute (usually `school`) whose members are pulled
    /// towards their group's centre, so that groups read as clusters.
    pub group_by: Option<String>,
    /// How hard groups pull, 1 being the tested default; 0 turns it off.
    pub group_strength: f64,
    /// Distance between neighbouring nodes without ties in their rows.
    pub isolate_spacing: f64,
    /// Positions from an earlier wave (by node id), as returned in
    /// [`Layout::positions`] for the same box. Nodes found here keep their
    /// position exactly; positions outside the box or not finite are
    /// ignored, and the node is placed as if new.
    pub previous: BTreeMap<String, Point>,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        Self {
            seed: 42,
            width: 800.0,
            height: 600.0,
            margin: 40.0,
            iterations: 300,
            group_by: None,
            group_strength: 1.0,
            isolate_spacing: 48.0,
            previous: BTreeMap::new(),
        }
    }
}

/// The positions of every node, in the box `0..width × 0..height`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// Node id → position. Store this to pass it as
    /// [`LayoutOptions::previous`] for the next wave.
    pub positions: BTreeMap<String, Point>,
}

impl Layout {
    pub fn position(&self, id: &str) -> Option<Point> {
        self.positions.get(id).copied()
    }
}

/// Gravity towards a component's centre, per unit of distance. Weak: it
/// only keeps loosely tied nodes from drifting far out.
const GRAVITY: f64 = 0.05;
/// Pull towards the group's centre per unit of distance, at strength 1: a
/// linear spring, so that against the k²/d repulsion a group of m settles in
/// a disc of radius about k·√(m / pull), its area growing with its size.
/// Strong enough that groups separate on a network whose ties ignore them
/// (the test), weak enough that ties across groups still pull.
const GROUP_PULL: f64 = 10.0;
/// Space kept between packed components, in units of k.
const COMPONENT_GAP: f64 = 1.0;

/// Places the nodes of `net` in the box of `opts`.
pub fn layout(net: &Network, opts: &LayoutOptions) -> Result<Layout, SociogramError> {
    validate(opts)?;
    let canon = Canon::new(net);
    let n = net.node_count();
    let ties = ties(net, &canon.rank);
    let ids: Vec<&str> = canon.order.iter().map(|&v| net.ids()[v].as_str()).collect();
    let graph = Ranked {
        n,
        linked: connected(n, &ties),
        springs: springs(&ties),
        groups: groups(net, &canon, opts.group_by.as_deref()),
        ties,
    };
    let fixed: Vec<Option<Point>> = ids
        .iter()
        .map(|id| {
            opts.previous
                .get(*id)
                .copied()
                .filter(|p| inside_box(*p, opts))
        })
        .collect();
    let positions = if fixed.iter().any(Option::is_some) {
        anchored(&graph, &fixed, opts)
    } else {
        fresh(&graph, opts)
    };
    let positions = ids
        .iter()
        .zip(positions)
        .zip(&fixed)
        .map(|((id, p), kept)| ((*id).to_owned(), kept.unwrap_or_else(|| tidy(p, opts))))
        .collect();
    Ok(Layout {
        width: opts.width,
        height: opts.height,
        positions,
    })
}

fn validate(o: &LayoutOptions) -> Result<(), SociogramError> {
    let positive = |v: f64| v.is_finite() && v > 0.0;
    if !positive(o.width) || !positive(o.height) {
        return Err(SociogramError::Options("width and height must be positive"));
    }
    if !(o.margin.is_finite() && o.margin >= 0.0)
        || 2.0 * o.margin >= o.width
        || 2.0 * o.margin >= o.height
    {
        return Err(SociogramError::Options(
            "margin must be non-negative and leave room inside the box",
        ));
    }
    if !(o.group_strength.is_finite() && o.group_strength >= 0.0) {
        return Err(SociogramError::Options(
            "group_strength must be non-negative",
        ));
    }
    if !positive(o.isolate_spacing) {
        return Err(SociogramError::Options("isolate_spacing must be positive"));
    }
    Ok(())
}

fn inside_box(p: Point, o: &LayoutOptions) -> bool {
    p.x.is_finite()
        && p.y.is_finite()
        && (0.0..=o.width).contains(&p.x)
        && (0.0..=o.height).contains(&p.y)
}

/// Rounded to a hundredth of a unit (invisible, and it keeps stored layouts
/// and SVG numbers short), and kept inside the box.
fn tidy(p: Point, o: &LayoutOptions) -> Point {
    let r = |v: f64, max: f64| ((v * 100.0).round() / 100.0).clamp(0.0, max);
    Point {
        x: r(p.x, o.width),
        y: r(p.y, o.height),
    }
}

/// The network in the drawing's order (ranks), as the forces need it.
struct Ranked {
    n: usize,
    ties: Vec<Tie>,
    linked: Vec<bool>,
    /// `(a, b, pull)` per tie.
    springs: Vec<(usize, usize, f64)>,
    groups: Groups,
}

struct Groups {
    /// Group per rank, numbered in the sorted order of the values.
    of: Vec<Option<usize>>,
    count: usize,
}

fn groups(net: &Network, canon: &Canon, attribute: Option<&str>) -> Groups {
    let n = canon.order.len();
    let Some(attr) = attribute.and_then(|name| net.attributes().iter().find(|a| a.name == name))
    else {
        return Groups {
            of: vec![None; n],
            count: 0,
        };
    };
    let mut numbers: BTreeMap<&str, usize> = attr
        .values
        .iter()
        .flatten()
        .map(|v| (v.as_str(), 0))
        .collect();
    for (i, k) in numbers.values_mut().enumerate() {
        *k = i;
    }
    let of = canon
        .order
        .iter()
        .map(|&v| {
            attr.values[v]
                .as_deref()
                .and_then(|s| numbers.get(s).copied())
        })
        .collect();
    Groups {
        of,
        count: numbers.len(),
    }
}

/// Stronger ties pull harder, from 0.5 (weight 0) to 1.5 (the strongest
/// pair of the network), so that strength shapes the picture without
/// letting one heavy tie collapse a pair.
fn springs(ties: &[Tie]) -> Vec<(usize, usize, f64)> {
    let max = ties.iter().map(Tie::total_weight).fold(0.0, f64::max);
    ties.iter()
        .map(|t| {
            let pull = if max > 0.0 {
                0.5 + t.total_weight() / max
            } else {
                1.0
            };
            (t.a, t.b, pull)
        })
        .collect()
}

/// Uniform in `[0, 1)`.
fn unit(rng: &mut SplitMix64) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// The connected components of the tied nodes, largest first (ties broken
/// by lowest rank); members in rank order.
fn components(g: &Ranked) -> Vec<Vec<usize>> {
    let mut adj = vec![Vec::new(); g.n];
    for t in &g.ties {
        adj[t.a].push(t.b);
        adj[t.b].push(t.a);
    }
    let mut seen = vec![false; g.n];
    let mut out = Vec::new();
    for start in 0..g.n {
        if seen[start] || !g.linked[start] {
            continue;
        }
        seen[start] = true;
        let mut members = vec![start];
        let mut next = 0;
        while next < members.len() {
            let v = members[next];
            next += 1;
            for &w in &adj[v] {
                if !seen[w] {
                    seen[w] = true;
                    members.push(w);
                }
            }
        }
        members.sort_unstable();
        out.push(members);
    }
    out.sort_by_key(|m| std::cmp::Reverse(m.len()));
    out
}

/// The region of the box where tied nodes go, above the isolates' rows.
#[derive(Debug, Clone, Copy)]
struct Region {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Region {
    fn width(&self) -> f64 {
        self.x1 - self.x0
    }
    fn height(&self) -> f64 {
        self.y1 - self.y0
    }
    fn centre(&self) -> Point {
        Point {
            x: (self.x0 + self.x1) / 2.0,
            y: (self.y0 + self.y1) / 2.0,
        }
    }
    fn clamp(&self, p: Point) -> Point {
        Point {
            x: p.x.clamp(self.x0, self.x1),
            y: p.y.clamp(self.y0, self.y1),
        }
    }
}

fn inner(o: &LayoutOptions) -> Region {
    Region {
        x0: o.margin,
        y0: o.margin,
        x1: o.width - o.margin,
        y1: o.height - o.margin,
    }
}

/// Isolates in rank order of (group, id), so a school's isolates sit together.
fn isolates(g: &Ranked, skip: impl Fn(usize) -> bool) -> Vec<usize> {
    let mut out: Vec<usize> = (0..g.n).filter(|&v| !g.linked[v] && !skip(v)).collect();
    out.sort_by_key(|&v| (g.groups.of[v].map_or(usize::MAX, |k| k), v));
    out
}

/// Rows of slots for `count` isolates along the bottom of `area`: the slot
/// spacing, and how many rows. The spacing shrinks when the rows would take
/// more than half of the box.
fn rows(count: usize, area: Region, spacing: f64) -> (f64, usize) {
    let mut s = spacing;
    loop {
        let per_row = ((area.width() / s).floor() as usize).max(1);
        let rows = count.div_ceil(per_row);
        if rows as f64 * s <= area.height() / 2.0 || s < 2.0 {
            return (s, rows);
        }
        s *= 0.9;
    }
}

/// A fresh layout: components apart, packed, scaled into the box.
fn fresh(g: &Ranked, o: &LayoutOptions) -> Vec<Point> {
    let mut pos = vec![Point { x: 0.0, y: 0.0 }; g.n];
    let box_ = inner(o);
    let alone = isolates(g, |_| false);
    let comps = components(g);
    let mut region = box_;
    if !alone.is_empty() {
        let (spacing, count) = rows(alone.len(), box_, o.isolate_spacing);
        let per_row = alone.len().div_ceil(count);
        let strip = count as f64 * spacing;
        // Without any tie the rows fill the box's middle instead.
        let top = if comps.is_empty() {
            box_.centre().y - strip / 2.0
        } else {
            box_.y1 - strip
        };
        for (i, &v) in alone.iter().enumerate() {
            let (row, col) = (i / per_row, i % per_row);
            let in_row = (alone.len() - row * per_row).min(per_row);
            pos[v] = Point {
                x: box_.centre().x + (col as f64 - (in_row as f64 - 1.0) / 2.0) * spacing,
                y: top + (row as f64 + 0.5) * spacing,
            };
        }
        region.y1 = (box_.y1 - strip).max(box_.y0 + 1.0);
    }
    if comps.is_empty() {
        return pos;
    }

    let mut comp_of = vec![usize::MAX; g.n];
    for (c, members) in comps.iter().enumerate() {
        for &v in members {
            comp_of[v] = c;
        }
    }
    let mut springs_of: Vec<Vec<(usize, usize, f64)>> = vec![Vec::new(); comps.len()];
    let mut local = vec![0usize; g.n];
    for members in &comps {
        for (i, &v) in members.iter().enumerate() {
            local[v] = i;
        }
    }
    for &(a, b, w) in &g.springs {
        springs_of[comp_of[a]].push((local[a], local[b], w));
    }

    let pull = if o.group_by.is_some() {
        GROUP_PULL * o.group_strength
    } else {
        0.0
    };
    let mut boxes = Vec::with_capacity(comps.len());
    let mut local_pos = Vec::with_capacity(comps.len());
    for (c, members) in comps.iter().enumerate() {
        let mut rng = SplitMix64::new(o.seed ^ (c as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
        let side = 2.0 * (members.len() as f64).sqrt();
        let groups: Vec<Option<usize>> = members.iter().map(|&v| g.groups.of[v]).collect();
        // Groups start as clouds around their own random centre, which
        // saves the forces from having to pull them through each other.
        let centres: Vec<Point> = (0..g.groups.count)
            .map(|_| Point {
                x: unit(&mut rng) * side,
                y: unit(&mut rng) * side,
            })
            .collect();
        let mut p: Vec<Point> = groups
            .iter()
            .map(|grp| match grp {
                Some(k) if pull > 0.0 => Point {
                    x: centres[*k].x + (unit(&mut rng) - 0.5) * side * 0.3,
                    y: centres[*k].y + (unit(&mut rng) - 0.5) * side * 0.3,
                },
                _ => Point {
                    x: unit(&mut rng) * side,
                    y: unit(&mut rng) * side,
                },
            })
            .collect();
        let movable = vec![true; members.len()];
        Forces {
            springs: &springs_of[c],
            groups: &groups,
            group_count: g.groups.count,
            movable: &movable,
            k: 1.0,
            iterations: o.iterations,
            t0: side / 10.0,
            gravity: GRAVITY,
            centre: Point {
                x: side / 2.0,
                y: side / 2.0,
            },
            group_pull: pull,
            bounds: None,
            reach: None,
        }
        .run(&mut p);
        align(&mut p);
        boxes.push(bounds(&p));
        local_pos.push(p);
    }

    // A pair or a triangle would otherwise be stretched across the box.
    let cap = region.width().min(region.height()) / 3.0;
    let offsets = pack(&boxes, region.width(), region.height(), cap);
    let mut all = Vec::with_capacity(g.n);
    for ((members, p), off) in comps.iter().zip(&local_pos).zip(&offsets) {
        for (&v, q) in members.iter().zip(p) {
            let q = Point {
                x: q.x + off.x,
                y: q.y + off.y,
            };
            pos[v] = q;
            all.push(q);
        }
    }
    let (lo, hi) = bounds(&all);
    let (bw, bh) = (hi.x - lo.x, hi.y - lo.y);
    let fit = |room: f64, extent: f64| {
        if extent > 0.0 {
            room / extent
        } else {
            f64::INFINITY
        }
    };
    let scale = fit(region.width(), bw)
        .min(fit(region.height(), bh))
        .min(cap);
    let (mid, c) = (
        Point {
            x: (lo.x + hi.x) / 2.0,
            y: (lo.y + hi.y) / 2.0,
        },
        region.centre(),
    );
    for members in &comps {
        for &v in members {
            pos[v] = region.clamp(Point {
                x: c.x + (pos[v].x - mid.x) * scale,
                y: c.y + (pos[v].y - mid.y) * scale,
            });
        }
    }
    separate(&mut pos, &g.linked, region);
    pos
}

/// Turns a component so that its longest extent (first principal axis) is
/// horizontal: drawings are wider than tall, so this lets it be drawn
/// larger. A rotation changes nothing about what the picture says.
fn align(p: &mut [Point]) {
    if p.len() < 2 {
        return;
    }
    let m = p.len() as f64;
    let cx = p.iter().map(|q| q.x).sum::<f64>() / m;
    let cy = p.iter().map(|q| q.y).sum::<f64>() / m;
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for q in p.iter() {
        let (dx, dy) = (q.x - cx, q.y - cy);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    // Eigenvector of the largest eigenvalue of [[sxx, sxy], [sxy, syy]],
    // without trigonometry (whose last bits vary between platforms).
    let lambda = (sxx + syy) / 2.0 + (((sxx - syy) / 2.0).powi(2) + sxy * sxy).sqrt();
    let (vx, vy) = if sxy.abs() > 1e-12 * (sxx + syy) {
        (lambda - syy, sxy)
    } else if sxx >= syy {
        (1.0, 0.0)
    } else {
        (0.0, 1.0)
    };
    let len = (vx * vx + vy * vy).sqrt();
    if !(len > 0.0 && len.is_finite()) {
        return;
    }
    let (vx, vy) = (vx / len, vy / len);
    for q in p.iter_mut() {
        let (dx, dy) = (q.x - cx, q.y - cy);
        *q = Point {
            x: vx * dx + vy * dy,
            y: -vy * dx + vx * dy,
        };
    }
}

/// The layout does not know the radii the drawing will use, only that they
/// stay below this (the SVG's largest radius is 14): nodes closer than this
/// would overlap.
const NODE_GAP: f64 = 30.0;

/// Pushes apart movable nodes closer than [`NODE_GAP`] (less when the
/// region is too crowded for it), within `region`. Forces leave the hubs of
/// a dense core on top of each other; this only nudges them.
fn separate(pos: &mut [Point], movable: &[bool], region: Region) {
    if !movable.contains(&true) {
        return;
    }
    let n = pos.len();
    let gap = NODE_GAP.min(0.8 * (region.width() * region.height() / n as f64).sqrt());
    for _ in 0..50 {
        let mut moved = false;
        for i in 0..n {
            for j in i + 1..n {
                if !movable[i] && !movable[j] {
                    continue;
                }
                let (mut dx, mut dy) = (pos[j].x - pos[i].x, pos[j].y - pos[i].y);
                let mut d = (dx * dx + dy * dy).sqrt();
                if d >= gap {
                    continue;
                }
                if d < 1e-9 {
                    // On top of each other: part them along a direction
                    // fixed by the pair.
                    (dx, dy) = (if (i + j) % 2 == 0 { 1.0 } else { -1.0 }, 0.5);
                    d = (dx * dx + dy * dy).sqrt();
                }
                let (ux, uy) = (dx / d, dy / d);
                let short = gap - d;
                // Share the move when both may move; otherwise the movable
                // one goes the whole way.
                let (si, sj) = match (movable[i], movable[j]) {
                    (true, true) => (short / 2.0, short / 2.0),
                    (true, false) => (short, 0.0),
                    _ => (0.0, short),
                };
                pos[i] = region.clamp(Point {
                    x: pos[i].x - ux * si,
                    y: pos[i].y - uy * si,
                });
                pos[j] = region.clamp(Point {
                    x: pos[j].x + ux * sj,
                    y: pos[j].y + uy * sj,
                });
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
}

fn bounds(p: &[Point]) -> (Point, Point) {
    let mut lo = Point {
        x: f64::INFINITY,
        y: f64::INFINITY,
    };
    let mut hi = Point {
        x: f64::NEG_INFINITY,
        y: f64::NEG_INFINITY,
    };
    for q in p {
        lo.x = lo.x.min(q.x);
        lo.y = lo.y.min(q.y);
        hi.x = hi.x.max(q.x);
        hi.y = hi.y.max(q.y);
    }
    (lo, hi)
}

/// Shelf packing of the components' bounding boxes into rows, choosing the
/// row width at which the whole can be drawn largest in a `width × height`
/// region (at most `cap` units per k), and among equals the one closest to
/// the region's shape. Returns the translation of each component.
fn pack(boxes: &[(Point, Point)], width: f64, height: f64, cap: f64) -> Vec<Point> {
    let sizes: Vec<(f64, f64)> = boxes
        .iter()
        .map(|(lo, hi)| (hi.x - lo.x + COMPONENT_GAP, hi.y - lo.y + COMPONENT_GAP))
        .collect();
    let widest = sizes.iter().map(|s| s.0).fold(0.0, f64::max);
    // Every distinct row break: the first j boxes on the first row.
    let mut candidates = vec![widest];
    let mut run = 0.0;
    for (w, _) in &sizes {
        run += w;
        if run > widest {
            candidates.push(run);
        }
    }
    let shelf = |row_width: f64| {
        let (mut x, mut y, mut row_h) = (0.0, 0.0, 0.0_f64);
        let (mut total_w, mut out) = (0.0_f64, Vec::with_capacity(boxes.len()));
        for ((lo, _), (w, h)) in boxes.iter().zip(&sizes) {
            if x > 0.0 && x + w > row_width * (1.0 + 1e-9) {
                x = 0.0;
                y += row_h;
                row_h = 0.0;
            }
            out.push(Point {
                x: x - lo.x,
                y: y - lo.y,
            });
            x += w;
            total_w = total_w.max(x);
            row_h = row_h.max(*h);
        }
        let (w, h) = (
            (total_w - COMPONENT_GAP).max(1e-9),
            (y + row_h - COMPONENT_GAP).max(1e-9),
        );
        let scale = (width / w).min(height / h).min(cap);
        let misfit = ((w / h) / (width / height)).ln().abs();
        (scale, misfit, out)
    };
    let mut best: Option<(f64, f64, Vec<Point>)> = None;
    for c in candidates {
        let (scale, misfit, out) = shelf(c);
        let better = best.as_ref().is_none_or(|(s, m, _)| {
            scale > *s * (1.0 + 1e-9) || (scale >= *s * (1.0 - 1e-9) && misfit < *m)
        });
        if better {
            best = Some((scale, misfit, out));
        }
    }
    best.map(|(.., out)| out).unwrap_or_default()
}

/// A later wave: fixed nodes stay, new isolates take free slots in rows
/// along the bottom, new tied nodes start next to their placed neighbours
/// and settle under the forces with everything else held still.
fn anchored(g: &Ranked, fixed: &[Option<Point>], o: &LayoutOptions) -> Vec<Point> {
    let mut rng = SplitMix64::new(o.seed);
    let box_ = inner(o);
    let mut pos: Vec<Point> = fixed
        .iter()
        .map(|p| p.unwrap_or(Point { x: 0.0, y: 0.0 }))
        .collect();
    let mut placed: Vec<bool> = fixed.iter().map(Option::is_some).collect();

    let alone = isolates(g, |v| placed[v]);
    let mut region = box_;
    if !alone.is_empty() {
        let (spacing, _) = rows(alone.len(), box_, o.isolate_spacing);
        let per_row = ((box_.width() / spacing).floor() as usize).max(1);
        let left = box_.centre().x - (per_row as f64 - 1.0) / 2.0 * spacing;
        let taken: Vec<Point> = (0..g.n).filter(|&v| placed[v]).map(|v| pos[v]).collect();
        let mut queue = alone.iter().copied().peekable();
        let mut row = 0usize;
        let mut crowded = false;
        let mut lowest_row_y = box_.y1;
        // Terminates: `rows` chose a spacing at which all the isolates fit
        // in half the box, so once the fixed nodes are ignored every row
        // takes `per_row` of them.
        while queue.peek().is_some() {
            let y = box_.y1 - (row as f64 + 0.5) * spacing;
            if y < box_.y0 {
                // Fixed nodes cover every slot: overlap them rather than
                // leave the box.
                crowded = true;
                row = 0;
                continue;
            }
            for col in 0..per_row {
                let Some(&v) = queue.peek() else { break };
                let slot = Point {
                    x: left + col as f64 * spacing,
                    y,
                };
                let free = crowded
                    || taken.iter().all(|t| {
                        let (dx, dy) = (t.x - slot.x, t.y - slot.y);
                        dx * dx + dy * dy >= spacing * spacing / 4.0
                    });
                if free {
                    pos[v] = slot;
                    placed[v] = true;
                    lowest_row_y = lowest_row_y.min(y - spacing / 2.0);
                    queue.next();
                }
            }
            row += 1;
        }
        region.y1 = lowest_row_y.max(box_.y0 + 1.0);
    }

    let moving: Vec<usize> = (0..g.n).filter(|&v| !placed[v]).collect();
    if moving.is_empty() {
        return pos;
    }
    // The earlier wave's own scale: the median length of the ties it still has.
    let mut lengths: Vec<f64> = g
        .springs
        .iter()
        .filter(|&&(a, b, _)| fixed[a].is_some() && fixed[b].is_some())
        .map(|&(a, b, _)| ((pos[a].x - pos[b].x).powi(2) + (pos[a].y - pos[b].y).powi(2)).sqrt())
        .collect();
    lengths.sort_by(f64::total_cmp);
    let room = region.width().min(region.height());
    let k = lengths
        .get(lengths.len() / 2)
        .copied()
        .unwrap_or_else(|| (region.width() * region.height() / g.n as f64).sqrt() * 0.6)
        .clamp(room / 40.0, room / 3.0);

    let mut adj = vec![Vec::new(); g.n];
    for t in &g.ties {
        adj[t.a].push(t.b);
        adj[t.b].push(t.a);
    }
    // Next to placed neighbours, in waves outwards from the fixed nodes.
    loop {
        let mut progress = false;
        for &v in &moving {
            if placed[v] {
                continue;
            }
            let near: Vec<Point> = adj[v]
                .iter()
                .filter(|&&w| placed[w])
                .map(|&w| pos[w])
                .collect();
            if near.is_empty() {
                continue;
            }
            let m = near.len() as f64;
            let centre = Point {
                x: near.iter().map(|p| p.x).sum::<f64>() / m,
                y: near.iter().map(|p| p.y).sum::<f64>() / m,
            };
            pos[v] = region.clamp(Point {
                x: centre.x + (unit(&mut rng) - 0.5) * k,
                y: centre.y + (unit(&mut rng) - 0.5) * k,
            });
            placed[v] = true;
            progress = true;
        }
        if !progress {
            break;
        }
    }
    for &v in &moving {
        if !placed[v] {
            pos[v] = Point {
                x: region.x0 + unit(&mut rng) * region.width(),
                y: region.y0 + unit(&mut rng) * region.height(),
            };
        }
    }

    let mut movable = vec![false; g.n];
    for &v in &moving {
        movable[v] = true;
    }
    Forces {
        springs: &g.springs,
        groups: &g.groups.of,
        group_count: g.groups.count,
        movable: &movable,
        k,
        iterations: o.iterations,
        t0: k,
        gravity: GRAVITY / 2.0,
        centre: region.centre(),
        group_pull: if o.group_by.is_some() {
            GROUP_PULL * o.group_strength
        } else {
            0.0
        },
        bounds: Some(region),
        // Fruchterman and Reingold's grid variant: repulsion only within
        // 2k. Held-still nodes fill the whole box, and their summed push
        // would otherwise drive a newcomer to the border, far from the
        // people it is tied to.
        reach: Some(k),
    }
    .run(&mut pos);
    separate(&mut pos, &movable, region);
    pos
}

/// One Fruchterman–Reingold run over the nodes `0..pos.len()`.
struct Forces<'a> {
    springs: &'a [(usize, usize, f64)],
    groups: &'a [Option<usize>],
    group_count: usize,
    movable: &'a [bool],
    /// The ideal distance between tied nodes.
    k: f64,
    iterations: usize,
    /// The largest step of the first iteration; it falls linearly to 0.
    t0: f64,
    gravity: f64,
    centre: Point,
    group_pull: f64,
    bounds: Option<Region>,
    /// Pairs farther apart than this do not repel.
    reach: Option<f64>,
}

impl Forces<'_> {
    fn run(&self, pos: &mut [Point]) {
        let n = pos.len();
        let k2 = self.k * self.k;
        // Below this squared distance two nodes count as on top of each other.
        let tiny = k2 * 1e-8;
        let reach2 = self.reach.map_or(f64::INFINITY, |r| r * r);
        let mut disp = vec![Point { x: 0.0, y: 0.0 }; n];
        let mut sums = vec![(0.0, 0.0, 0usize); self.group_count];
        for it in 0..self.iterations {
            let t = self.t0 * (1.0 - it as f64 / self.iterations as f64);
            disp.fill(Point { x: 0.0, y: 0.0 });
            for i in 0..n {
                for j in i + 1..n {
                    if !self.movable[i] && !self.movable[j] {
                        continue;
                    }
                    let (mut dx, mut dy) = (pos[i].x - pos[j].x, pos[i].y - pos[j].y);
                    let mut d2 = dx * dx + dy * dy;
                    if d2 < tiny {
                        // Coincident: part them along a direction fixed by
                        // the pair, so the result stays deterministic.
                        dx = if (i + j) % 2 == 0 { 1e-3 } else { -1e-3 } * self.k;
                        dy = if i % 2 == 0 { 1e-3 } else { -1e-3 } * self.k;
                        d2 = dx * dx + dy * dy;
                    }
                    if d2 > reach2 {
                        continue;
                    }
                    let f = k2 / d2;
                    disp[i].x += dx * f;
                    disp[i].y += dy * f;
                    disp[j].x -= dx * f;
                    disp[j].y -= dy * f;
                }
            }
            for &(a, b, w) in self.springs {
                let (dx, dy) = (pos[a].x - pos[b].x, pos[a].y - pos[b].y);
                let f = (dx * dx + dy * dy).sqrt() * w / self.k;
                disp[a].x -= dx * f;
                disp[a].y -= dy * f;
                disp[b].x += dx * f;
                disp[b].y += dy * f;
            }
            if self.group_pull > 0.0 {
                sums.fill((0.0, 0.0, 0));
                for (p, grp) in pos.iter().zip(self.groups) {
                    if let Some(k) = grp {
                        sums[*k].0 += p.x;
                        sums[*k].1 += p.y;
                        sums[*k].2 += 1;
                    }
                }
            }
            for i in 0..n {
                if !self.movable[i] {
                    continue;
                }
                let p = pos[i];
                let mut d = disp[i];
                d.x -= (p.x - self.centre.x) * self.gravity;
                d.y -= (p.y - self.centre.y) * self.gravity;
                if let Some(k) = self.groups[i].filter(|_| self.group_pull > 0.0) {
                    let (sx, sy, m) = sums[k];
                    if m > 1 {
                        let m = m as f64;
                        d.x -= (p.x - sx / m) * self.group_pull;
                        d.y -= (p.y - sy / m) * self.group_pull;
                    }
                }
                let len = (d.x * d.x + d.y * d.y).sqrt();
                if len > 0.0 && len.is_finite() {
                    let step = len.min(t) / len;
                    let q = Point {
                        x: p.x + d.x * step,
                        y: p.y + d.y * step,
                    };
                    pos[i] = match self.bounds {
                        Some(r) => r.clamp(q),
                        None => q,
                    };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_keeps_components_apart() {
        let boxes = vec![
            (Point { x: 0.0, y: 0.0 }, Point { x: 4.0, y: 4.0 }),
            (Point { x: -1.0, y: -1.0 }, Point { x: 1.0, y: 1.0 }),
            (Point { x: 0.0, y: 0.0 }, Point { x: 1.0, y: 1.0 }),
        ];
        let off = pack(&boxes, 100.0, 100.0, f64::INFINITY);
        let placed: Vec<(Point, Point)> = boxes
            .iter()
            .zip(&off)
            .map(|((lo, hi), o)| {
                (
                    Point {
                        x: lo.x + o.x,
                        y: lo.y + o.y,
                    },
                    Point {
                        x: hi.x + o.x,
                        y: hi.y + o.y,
                    },
                )
            })
            .collect();
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                let apart = a.1.x < b.0.x || b.1.x < a.0.x || a.1.y < b.0.y || b.1.y < a.0.y;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn rows_shrink_to_fit_half_the_box() {
        let area = Region {
            x0: 0.0,
            y0: 0.0,
            x1: 200.0,
            y1: 100.0,
        };
        assert_eq!(rows(3, area, 40.0), (40.0, 1));
        let (s, r) = rows(200, area, 40.0);
        assert!(r as f64 * s <= 50.0, "{s} × {r}");
    }
}
