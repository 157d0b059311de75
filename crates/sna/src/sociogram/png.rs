//! The sociogram as a PNG, through resvg (pure Rust, MIT/Apache).
//!
//! The one place in the crate that reads files: the fonts installed on the
//! machine, once per process, so that labels and the legend render. Without
//! any font the picture still renders, without its text.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::SociogramError;

/// The widest PNG [`svg_to_png`] makes (a 4:3 drawing this wide is about
/// 200 MB of pixels in memory).
pub const MAX_PNG_WIDTH: u32 = 8192;

/// Families tried for `sans-serif`, the family the SVG asks for; fontdb's
/// own default (Arial) is rarely installed on a Linux server.
const SANS: [&str; 6] = [
    "DejaVu Sans",
    "Liberation Sans",
    "Noto Sans",
    "Arial",
    "Helvetica",
    "FreeSans",
];

fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_system_fonts();
            let family = SANS
                .iter()
                .find(|want| {
                    db.faces()
                        .any(|f| f.families.iter().any(|(name, _)| name == *want))
                })
                .map(|f| (*f).to_owned())
                .or_else(|| {
                    db.faces()
                        .next()
                        .and_then(|f| f.families.first().map(|(name, _)| name.clone()))
                });
            if let Some(family) = family {
                // Serif is usvg's last resort when no family matches.
                db.set_sans_serif_family(family.clone());
                db.set_serif_family(family);
            }
            Arc::new(db)
        })
        .clone()
}

/// Rasterises `svg` (as made by [`super::render_svg`]) to a PNG `width`
/// pixels wide, its height following the drawing's proportions, on white.
pub fn svg_to_png(svg: &str, width: u32) -> Result<Vec<u8>, SociogramError> {
    if width == 0 || width > MAX_PNG_WIDTH {
        return Err(SociogramError::PngWidth(width));
    }
    let opts = usvg::Options {
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opts).map_err(|e| SociogramError::Svg(e.to_string()))?;
    let size = tree.size();
    let scale = width as f32 / size.width();
    let height = (size.height() * scale).round().max(1.0) as u32;
    let mut pixmap =
        tiny_skia::Pixmap::new(width, height).ok_or(SociogramError::PngWidth(width))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| SociogramError::Png(e.to_string()))
}
