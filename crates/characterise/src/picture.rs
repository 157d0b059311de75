//! The compact picture of the Tetraedro: four axes (one per face) from the
//! centre, each face's score (0–1) marked on its axis, the network's shape
//! filled and the region's and the nation's outlined. An SVG string with
//! its styles inline (pages and PDFs draw the same picture); the table
//! beside it carries the same figures for readers who do not see it.

use std::fmt::Write;

use trama_stdx::markup::escape;

use crate::tetraedro::{FaceKey, Tetraedro};

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 300.0;
const RADIUS: f64 = 105.0;

/// How a shape is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The network: filled.
    Network,
    /// Its region: dashed outline.
    Region,
    /// The nation: dotted outline.
    Nation,
}

impl Style {
    fn class(self) -> &'static str {
        match self {
            Style::Network => "network",
            Style::Region => "region",
            Style::Nation => "nation",
        }
    }

    fn paint(self) -> &'static str {
        match self {
            Style::Network => {
                "fill=\"#1f6f8b\" fill-opacity=\"0.35\" stroke=\"#1f6f8b\" stroke-width=\"2\""
            }
            Style::Region => {
                "fill=\"none\" stroke=\"#c0392b\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\""
            }
            Style::Nation => {
                "fill=\"none\" stroke=\"#555555\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\""
            }
        }
    }
}

/// A shape to draw: its profile, its style and its name.
pub struct Shape<'a> {
    pub profile: &'a Tetraedro,
    pub style: Style,
    pub name: String,
}

/// The axis of face `i` (clockwise from the top).
fn axis(i: usize) -> (f64, f64) {
    let angle = std::f64::consts::FRAC_PI_2 * i as f64;
    (angle.sin(), -angle.cos())
}

fn point(i: usize, score: f64) -> (f64, f64) {
    let (x, y) = axis(i);
    (
        WIDTH / 2.0 + x * RADIUS * score,
        HEIGHT / 2.0 + y * RADIUS * score,
    )
}

/// The picture, with a title and a description that read out the scores.
pub fn draw(title: &str, face_names: &[(FaceKey, String)], shapes: &[Shape<'_>]) -> String {
    let (cx, cy) = (WIDTH / 2.0, HEIGHT / 2.0);
    let mut s = String::new();
    let mut desc = String::new();
    for shape in shapes {
        let scores: Vec<String> = face_names
            .iter()
            .map(|(k, name)| {
                let v = shape.profile.face(*k).and_then(|f| f.score);
                format!("{name} {}", v.map_or("—".to_owned(), |v| format!("{v:.2}")))
            })
            .collect();
        let _ = write!(desc, "{}: {}. ", shape.name, scores.join(", "));
    }
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         aria-labelledby=\"tetra-title tetra-desc\" class=\"tetraedro\">\
         <title id=\"tetra-title\">{}</title><desc id=\"tetra-desc\">{}</desc>",
        escape(title),
        escape(desc.trim())
    );
    for ring in [0.25, 0.5, 0.75, 1.0] {
        let pts: Vec<String> = (0..4)
            .map(|i| {
                let (x, y) = point(i, ring);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(
            s,
            "<polygon class=\"ring\" fill=\"none\" stroke=\"#cccccc\" points=\"{}\"/>",
            pts.join(" ")
        );
    }
    for (i, (_, name)) in face_names.iter().enumerate() {
        let (x, y) = point(i, 1.0);
        let _ = write!(
            s,
            "<line class=\"axis\" stroke=\"#999999\" x1=\"{cx}\" y1=\"{cy}\" x2=\"{x:.1}\" y2=\"{y:.1}\"/>"
        );
        let (lx, ly) = point(i, 1.1);
        let ly = match i {
            0 => ly - 4.0,
            2 => ly + 10.0,
            _ => ly,
        };
        let anchor = match i {
            1 => "start",
            3 => "end",
            _ => "middle",
        };
        let _ = write!(
            s,
            "<text x=\"{lx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" font-size=\"11\" font-family=\"DejaVu Sans, sans-serif\" fill=\"#222222\">{}</text>",
            ly + 4.0,
            escape(name)
        );
    }
    for shape in shapes {
        let pts: Vec<String> = face_names
            .iter()
            .enumerate()
            .map(|(i, (k, _))| {
                let v = shape.profile.face(*k).and_then(|f| f.score).unwrap_or(0.0);
                let (x, y) = point(i, v);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(
            s,
            "<polygon class=\"shape {}\" {} points=\"{}\"><title>{}</title></polygon>",
            shape.style.class(),
            shape.style.paint(),
            pts.join(" "),
            escape(&shape.name)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tetraedro::{Inputs, tetraedro};

    #[test]
    fn the_picture_reads_out_its_scores_and_escapes_names() {
        let t = tetraedro(&Inputs::default());
        let names: Vec<(FaceKey, String)> = FaceKey::ALL
            .iter()
            .map(|k| (*k, format!("<{}>", k.code())))
            .collect();
        let svg = draw(
            "T & co",
            &names,
            &[Shape {
                profile: &t,
                style: Style::Network,
                name: "RME1".into(),
            }],
        );
        assert!(svg.contains("<title id=\"tetra-title\">T &amp; co</title>"));
        assert!(svg.contains("RME1: &lt;organizacion&gt; —"), "{svg}");
        assert!(!svg.contains("<organizacion>"));
        assert_eq!(svg.matches("class=\"ring\"").count(), 4);
    }
}
