//! Charts drawn on the server as SVG, so pages, PDFs and exports show the
//! same picture and nothing depends on JavaScript.
//!
//! The diverging 100 % stacked bar puts disagreement left of a centre line,
//! the neutral answer across it, agreement to the right, and No aplica apart
//! in grey; every bar carries its n. Colours are ColorBrewer's RdBu, which
//! stays distinguishable with the common colour-vision deficiencies. Each
//! chart has a title and a description for screen readers; pages also show
//! the figures as a table next to it.

use std::fmt::Write;

use trama_i18n::{Lang, t};

use crate::likert::Pct;
use crate::rounding::largest_remainder;

/// Fill colours for answers 1–5, and for No aplica.
pub const PALETTE: [&str; 5] = ["#b2182b", "#ef8a62", "#d9d9d9", "#67a9cf", "#2166ac"];
pub const NA_COLOUR: &str = "#8c8c8c";
/// Text colour readable on each fill (WCAG AA contrast).
const TEXT_ON: [&str; 5] = ["#ffffff", "#1b1f24", "#1b1f24", "#1b1f24", "#ffffff"];

/// One bar: a label, its n and its distribution, or a suppressed group.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub n: Option<u64>,
    pub pct: Option<Pct>,
}

/// Escapes text for SVG content and attributes (the shared escaper, kept
/// under this name for the crates that draw next to these charts).
pub use trama_stdx::markup::escape as esc;

const LABEL_W: f64 = 230.0;
const HALF: f64 = 190.0;
const NA_GAP: f64 = 24.0;
const NA_W: f64 = 70.0;
const N_W: f64 = 80.0;
const ROW_H: f64 = 34.0;
const BAR_H: f64 = 22.0;
const TOP: f64 = 56.0;

/// An estimate of how wide a line of text is drawn, in SVG user units. The
/// charts are drawn without measuring fonts (server-side, no font files),
/// so margins are sized from this: sans-serif faces average a little under
/// 0.6 em per character; 0.62 leaves room for wide capitals.
fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars().count() as f64 * font_size * 0.62
}

/// Geometry of one bar's segments: (category 0 = NA or 1..=5, x, width).
pub fn segments(pct: &Pct) -> Vec<(usize, f64, f64)> {
    let centre = LABEL_W + HALF;
    let scale = HALF / 100.0;
    let p = [pct.p1, pct.p2, pct.p3, pct.p4, pct.p5];
    let mut out = vec![];
    // Left of the centre: 1, 2 and half of 3, drawn outwards from 2.
    let mut x = centre - (p[0] + p[1] + p[2] / 2.0) * scale;
    for (cat, v) in p.iter().enumerate() {
        let w = v * scale;
        if w > 0.0 {
            out.push((cat + 1, x, w));
        }
        x += w;
    }
    if let Some(na) = pct.na.filter(|v| *v > 0.0) {
        out.push((0, centre + HALF + NA_GAP, na * NA_W / 100.0));
    }
    out
}

/// A diverging stacked-bar chart. `id` makes element ids unique on a page.
pub fn diverging_bars(id: &str, title: &str, bars: &[Bar], min_group: u64, lang: Lang) -> String {
    let width = LABEL_W + 2.0 * HALF + NA_GAP + NA_W + N_W;
    let height = TOP + ROW_H * bars.len() as f64 + 12.0;
    // Labels longer than their column push the whole chart right, so that
    // none is cut at the left edge.
    let shift = bars
        .iter()
        .map(|b| text_width(&b.label, 12.0) + 12.0 - LABEL_W)
        .fold(0.0, f64::max)
        .ceil();
    let id = esc(id);
    let mut s = String::new();
    let desc = t!(lang, "chart-desc", count = bars.len());
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {height}" width="100%" font-family="system-ui, sans-serif" role="img" aria-labelledby="{id}-t {id}-d"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc><g transform="translate({shift} 0)">"#,
        width + shift,
        esc(title),
        esc(&desc)
    );
    // Legend: a 3 × 2 grid in scale order, No aplica last.
    let entries = PALETTE
        .iter()
        .enumerate()
        .map(|(cat, colour)| (*colour, t!(lang, &format!("scale-{}", cat + 1))))
        .chain(std::iter::once((NA_COLOUR, t!(lang, "scale-na"))));
    for (pos, (colour, label)) in entries.enumerate() {
        let (x, y) = (
            LABEL_W - 120.0 + 175.0 * (pos % 3) as f64,
            8.0 + 18.0 * (pos / 3) as f64,
        );
        let _ = write!(
            s,
            r##"<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}" stroke="#555" stroke-width="0.5"/><text x="{}" y="{}" font-size="11">{}</text>"##,
            x + 16.0,
            y + 10.0,
            esc(&label)
        );
    }
    let centre = LABEL_W + HALF;
    let _ = write!(
        s,
        r##"<line x1="{centre}" y1="{}" x2="{centre}" y2="{}" stroke="#1b1f24" stroke-width="1"/>"##,
        TOP - 6.0,
        height - 6.0
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = TOP + ROW_H * i as f64;
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>"#,
            LABEL_W - 8.0,
            y + BAR_H / 2.0 + 4.0,
            esc(&bar.label)
        );
        let Some(pct) = &bar.pct else {
            let msg = t!(lang, "chart-suppressed", k = min_group);
            let _ = write!(
                s,
                r##"<text x="{centre}" y="{}" font-size="11" text-anchor="middle" fill="#4a5560">{}</text>"##,
                y + BAR_H / 2.0 + 4.0,
                esc(&msg)
            );
            continue;
        };
        let display = largest_remainder(
            &[
                pct.p1,
                pct.p2,
                pct.p3,
                pct.p4,
                pct.p5,
                pct.na.unwrap_or(0.0),
            ],
            0,
        );
        for (cat, x, w) in segments(pct) {
            let (fill, text, shown) = if cat == 0 {
                (NA_COLOUR, "#ffffff", display[5])
            } else {
                (PALETTE[cat - 1], TEXT_ON[cat - 1], display[cat - 1])
            };
            let _ = write!(
                s,
                r#"<rect x="{x:.2}" y="{y}" width="{w:.2}" height="{BAR_H}" fill="{fill}"><title>{shown:.0} %</title></rect>"#
            );
            if cat == 0 {
                let _ = write!(
                    s,
                    r##"<text x="{:.2}" y="{}" font-size="10" fill="#4a5560">{shown:.0}</text>"##,
                    x + w + 4.0,
                    y + BAR_H / 2.0 + 4.0
                );
            } else if w >= 22.0 {
                let _ = write!(
                    s,
                    r#"<text x="{:.2}" y="{}" font-size="10" text-anchor="middle" fill="{text}">{shown:.0}</text>"#,
                    x + w / 2.0,
                    y + BAR_H / 2.0 + 4.0
                );
            }
        }
        if let Some(n) = bar.n {
            let _ = write!(
                s,
                r##"<text x="{}" y="{}" font-size="11" fill="#4a5560">n = {n}</text>"##,
                width - N_W + 6.0,
                y + BAR_H / 2.0 + 4.0
            );
        }
    }
    s.push_str("</g></svg>");
    s
}

/// One heat-map cell: agreement %, or `None` when suppressed.
pub type Cell = Option<f64>;

/// Rows × columns of agreement percentages, as a heat map (single-hue blues,
/// darker = more agreement; suppressed cells grey with a dash).
pub fn heat_map(
    id: &str,
    title: &str,
    rows: &[String],
    columns: &[String],
    cells: &[Vec<Cell>],
    lang: Lang,
) -> String {
    const CELL_W: f64 = 64.0;
    const CELL_H: f64 = 26.0;
    // Column labels are drawn at −45° from the middle of their column: they
    // rise by their length × sin 45° and run right by as much, which may
    // pass the last column.
    let slant = |col: &String| text_width(col, 12.0) * std::f64::consts::FRAC_1_SQRT_2;
    let head = columns.iter().map(slant).fold(40.0, f64::max).ceil() + 12.0;
    let left = rows
        .iter()
        .map(|r| text_width(r, 11.0) + 12.0)
        .fold(60.0, f64::max)
        .ceil();
    let grid_right = left + CELL_W * columns.len() as f64;
    let right = columns
        .iter()
        .enumerate()
        .map(|(c, col)| left + CELL_W * (c as f64 + 0.5) + slant(col) + 8.0)
        .fold(grid_right + 8.0, f64::max)
        .ceil();
    // The legend under the grid: the five steps and the suppressed cell.
    const LEGEND_H: f64 = 34.0;
    let legend_w = 6.0 * 76.0;
    let grid_bottom = head + CELL_H * rows.len() as f64;
    let (width, height) = (right.max(legend_w + 8.0), grid_bottom + 8.0 + LEGEND_H);
    let id = esc(id);
    let mut s = String::new();
    let desc = t!(
        lang,
        "heatmap-desc",
        rows = rows.len(),
        columns = columns.len()
    );
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="100%" font-family="system-ui, sans-serif" role="img" aria-labelledby="{id}-t {id}-d"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(&desc)
    );
    for (c, col) in columns.iter().enumerate() {
        let x = left + CELL_W * c as f64 + CELL_W / 2.0;
        let _ = write!(
            s,
            r#"<text x="{x}" y="{}" font-size="12" transform="rotate(-45 {x} {})">{}</text>"#,
            head - 6.0,
            head - 6.0,
            esc(col)
        );
    }
    for (r, row) in rows.iter().enumerate() {
        let y = head + CELL_H * r as f64;
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" font-size="11" text-anchor="end">{}</text>"#,
            left - 6.0,
            y + CELL_H / 2.0 + 4.0,
            esc(row)
        );
        for (c, cell) in cells
            .get(r)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let x = left + CELL_W * c as f64;
            match cell {
                Some(v) => {
                    let (fill, ink) = blue(*v);
                    let _ = write!(
                        s,
                        r##"<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{fill}" stroke="#ffffff"/><text x="{}" y="{}" font-size="11" text-anchor="middle" fill="{ink}">{v:.0}</text>"##,
                        x + CELL_W / 2.0,
                        y + CELL_H / 2.0 + 4.0
                    );
                }
                None => {
                    let _ = write!(
                        s,
                        r##"<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="#eeeeee" stroke="#ffffff"/><text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#4a5560">—</text>"##,
                        x + CELL_W / 2.0,
                        y + CELL_H / 2.0 + 4.0
                    );
                }
            }
        }
    }
    let y = grid_bottom + 12.0;
    s.push_str(r#"<g class="legend">"#);
    let steps = [
        (10.0, "0–20"),
        (30.0, "20–40"),
        (50.0, "40–60"),
        (70.0, "60–80"),
        (90.0, "80–100"),
    ];
    for (i, (v, range)) in steps.iter().enumerate() {
        let (fill, _) = blue(*v);
        let x = 4.0 + 76.0 * i as f64;
        let _ = write!(
            s,
            r##"<rect x="{x}" y="{y}" width="16" height="16" fill="{fill}" stroke="#555" stroke-width="0.5"/><text x="{}" y="{}" font-size="12">{range} %</text>"##,
            x + 20.0,
            y + 12.5
        );
    }
    let x = 4.0 + 76.0 * 5.0;
    let _ = write!(
        s,
        r##"<rect x="{x}" y="{y}" width="16" height="16" fill="#eeeeee" stroke="#555" stroke-width="0.5"/><text x="{}" y="{}" font-size="12">— {}</text>"##,
        x + 20.0,
        y + 12.5,
        esc(&t!(lang, "heatmap-legend-hidden"))
    );
    s.push_str("</g></svg>");
    s
}

/// ColorBrewer Blues, five steps, each with an ink of at least 4.5:1
/// contrast (WCAG AA for small text).
fn blue(v: f64) -> (&'static str, &'static str) {
    match v {
        v if v < 20.0 => ("#eff3ff", "#1b1f24"),
        v if v < 40.0 => ("#bdd7e7", "#1b1f24"),
        v if v < 60.0 => ("#6baed6", "#1b1f24"),
        v if v < 80.0 => ("#2171b5", "#ffffff"),
        _ => ("#08519c", "#ffffff"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2 contrast ratio of two `#rrggbb` colours.
    fn contrast(a: &str, b: &str) -> f64 {
        let lum = |hex: &str| {
            let c = |i: usize| {
                let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)) / 255.0;
                if v <= 0.03928 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * c(1) + 0.7152 * c(3) + 0.0722 * c(5)
        };
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn heat_map_text_is_legible_on_every_step() {
        // The published pair: white on #3182bd is 4.15:1 (below AA).
        assert!((contrast("#3182bd", "#ffffff") - 4.15).abs() < 0.01);
        for v in [0.0, 25.0, 50.0, 75.0, 95.0] {
            let (fill, ink) = blue(v);
            let ratio = contrast(fill, ink);
            assert!(ratio >= 4.5, "{v}: {ink} on {fill} is {ratio:.2}:1");
        }
    }

    fn pct(na: f64, p: [f64; 5]) -> Pct {
        Pct {
            na: Some(na),
            p1: p[0],
            p2: p[1],
            p3: p[2],
            p4: p[3],
            p5: p[4],
        }
    }

    #[test]
    fn neutral_straddles_the_centre_and_widths_are_proportional() {
        let segs = segments(&pct(5.4, [2.1, 9.7, 20.4, 35.8, 26.6]));
        let centre = LABEL_W + HALF;
        let neutral = segs.iter().find(|s| s.0 == 3).copied().unwrap_or_default();
        assert!(
            (neutral.1 + neutral.2 / 2.0 - centre).abs() < 1e-9,
            "neutral centred"
        );
        let agree: f64 = segs.iter().filter(|s| s.0 >= 4).map(|s| s.2).sum();
        assert!((agree - (35.8 + 26.6) * HALF / 100.0).abs() < 1e-9);
        let na = segs.iter().find(|s| s.0 == 0).copied().unwrap_or_default();
        assert!(
            na.1 > centre + HALF,
            "No aplica drawn apart, right of the scale"
        );
    }

    #[test]
    fn empty_categories_draw_nothing() {
        let segs = segments(&pct(0.0, [0.0, 0.0, 0.0, 0.0, 100.0]));
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].0, 5);
        assert!(
            (segs[0].1 - (LABEL_W + HALF)).abs() < 1e-9,
            "all-favourable bar starts at the centre"
        );
    }

    #[test]
    fn svg_is_well_formed_accessible_and_hides_small_groups() {
        let bars = vec![
            Bar {
                label: "Confianza & <respeto>".into(),
                n: Some(120),
                pct: Some(pct(5.0, [5.0, 10.0, 20.0, 40.0, 20.0])),
            },
            Bar {
                label: "Región XI".into(),
                n: None,
                pct: None,
            },
        ];
        let svg = diverging_bars("c1", "Capital social", &bars, 5, Lang::Es);
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(root.attribute("aria-labelledby"), Some("c1-t c1-d"));
        let bar_rects = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect") && n.attribute("height") == Some("22"))
            .count();
        assert_eq!(
            bar_rects, 6,
            "five answers and NA for the first bar, none for the suppressed one"
        );
        let texts: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text().map(str::to_owned))
            .collect();
        assert!(texts.iter().any(|t| t == "n = 120"));
        assert!(texts.iter().any(|t| t.contains("menos de 5")), "{texts:?}");
        assert!(
            texts.iter().any(|t| t == "Confianza & <respeto>"),
            "escaped and read back"
        );
    }

    #[test]
    fn a_control_character_in_a_label_cannot_break_the_svg() {
        // Labels are network and school names from registry files; a stray
        // U+0001 would make the whole chart unparsable (XML 1.0 forbids it).
        let bars = vec![Bar {
            label: "Liceo\u{1}A".into(),
            n: Some(20),
            pct: Some(pct(0.0, [20.0; 5])),
        }];
        let svg = diverging_bars("c", "T\u{1F}", &bars, 5, Lang::Es);
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
        assert!(
            doc.descendants()
                .any(|n| n.text() == Some("Liceo\u{FFFD}A")),
            "{svg}"
        );
    }

    #[test]
    fn heat_map_marks_suppressed_cells() {
        let svg = heat_map(
            "h",
            "Redes × subdimensiones",
            &["RME1".into(), "RME2".into()],
            &["confianza".into(), "proyeccion".into()],
            &[vec![Some(85.0), Some(12.0)], vec![None, Some(55.0)]],
            Lang::En,
        );
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}"));
        let dashes = doc
            .descendants()
            .filter(|n| n.has_tag_name("text") && n.text() == Some("—"))
            .count();
        assert_eq!(dashes, 1);
        let fills: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect") && !in_legend(n))
            .filter_map(|n| n.attribute("fill"))
            .collect();
        assert_eq!(fills, vec!["#08519c", "#eff3ff", "#eeeeee", "#6baed6"]);
        let legend = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect") && in_legend(n))
            .count();
        assert_eq!(legend, 6, "five steps and the hidden cell explained");
        assert!(svg.contains("80–100 %") && svg.contains("group too small"));
    }

    fn in_legend(n: &roxmltree::Node<'_, '_>) -> bool {
        n.ancestors()
            .any(|a| a.attribute("class") == Some("legend"))
    }

    fn view_box(svg: &str) -> [f64; 4] {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}"));
        let v: Vec<f64> = doc
            .root_element()
            .attribute("viewBox")
            .unwrap_or_default()
            .split(' ')
            .filter_map(|x| x.parse().ok())
            .collect();
        [v[0], v[1], v[2], v[3]]
    }

    #[test]
    fn a_long_label_widens_the_bars_chart_instead_of_being_cut() {
        let long = "Región del Libertador General Bernardo O'Higgins · Cachapoal";
        let bar = |label: &str| Bar {
            label: label.into(),
            n: Some(40),
            pct: Some(pct(5.0, [5.0, 10.0, 20.0, 30.0, 30.0])),
        };
        let short = diverging_bars("a", "t", &[bar("RME1")], 5, Lang::Es);
        let wide = diverging_bars("b", "t", &[bar("RME1"), bar(long)], 5, Lang::Es);
        let (w0, w1) = (view_box(&short)[2], view_box(&wide)[2]);
        assert!(w1 > w0, "{w1} > {w0}");
        // The label ends at LABEL_W − 8 inside a group moved right by the
        // widening: its estimated start is inside the picture.
        let start = (w1 - w0) + LABEL_W - 8.0 - text_width(long, 12.0);
        assert!(start >= 0.0, "label starts at {start}");
        assert!(short.contains("translate(0 0)"));
    }

    #[test]
    fn heat_map_margins_hold_the_longest_labels() {
        let rows = vec!["RM · Metropolitana de Santiago".to_owned(), "V".to_owned()];
        let columns = vec![
            "Co-responsabilidad".to_owned(),
            "Colaboración con otras redes del territorio".to_owned(),
        ];
        let cells = vec![vec![Some(50.0), Some(60.0)], vec![Some(70.0), None]];
        let svg = heat_map("h", "t", &rows, &columns, &cells, Lang::Es);
        let [_, _, width, _] = view_box(&svg);
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}"));
        let rects: Vec<f64> = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect") && !in_legend(n))
            .filter_map(|n| n.attribute("x")?.parse().ok())
            .collect();
        let first_x = rects.iter().copied().fold(f64::MAX, f64::min);
        // The row label, right-aligned 6 units before the grid, fits.
        assert!(first_x - 6.0 - text_width(&rows[0], 11.0) >= 0.0);
        // The last column's slanted label ends inside the picture.
        let last_mid = rects.iter().copied().fold(0.0, f64::max) + 32.0;
        let run = text_width(&columns[1], 12.0) * std::f64::consts::FRAC_1_SQRT_2;
        assert!(last_mid + run <= width, "{} > {width}", last_mid + run);
        assert!(
            view_box(&svg)[3] > run,
            "the slanted labels fit above the grid"
        );
    }
}
