//! PDF reports, typeset with [typst] as a library.
//!
//! Pure apart from fonts: a [`ReportDoc`] in, PDF bytes out; no database, no
//! network, no clock (the date printed in the footer is part of the input), so
//! the same document always gives the same bytes.
//!
//! The layout is a typst template compiled into the crate (`report.typ`). The
//! document's text never becomes typst markup: the model is serialised to JSON,
//! handed to the template as a virtual file `/data.json`, read with `json()` and
//! placed as text values. A label such as `#set *x* $y$ <z>` is printed as written.
//! Charts are SVG strings (from `trama_results::charts`), placed with
//! `image(bytes(..), format: "svg")`.
//!
//! Fonts: DejaVu Sans, read at run time from the system (Debian's
//! `fonts-dejavu-core`), see [`Fonts`]. typst's bundled fonts are not used:
//! one of them (NewCM10-Regular) is GPL-3.0 with a font exception.

use std::path::{Path, PathBuf};
use std::sync::{LazyLock, OnceLock};

use serde::Serialize;
use trama_i18n::{Lang, message};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

/// A report: a title block, an optional response-rate table, the key
/// findings, then one section per chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportDoc {
    /// Language of the fixed words (headings such as "Hallazgos") and of the
    /// footer's date; also the PDF's language tag.
    pub lang: Lang,
    pub title: String,
    /// Shown under the title when not empty (e.g. the campaign and the scope).
    pub subtitle: String,
    /// A paragraph under the title when not empty.
    pub intro: String,
    /// The date in the footer, "Trama · 29 de noviembre de 2026".
    pub date: jiff::civil::Date,
    /// The response-rate table, when the report has one.
    pub rates: Option<Table>,
    /// Key findings, one sentence each, shown as a list.
    pub findings: Vec<String>,
    pub sections: Vec<Section>,
}

/// A chart with its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    /// A chart already drawn as SVG (`trama_results::charts::diverging_bars`
    /// or `heat_map`); empty for a section that is only a table.
    pub svg: String,
    /// The figures drawn in the chart; an empty `head` leaves the table out.
    pub table: Table,
}

/// A table of figures, already formatted as text. The first column is read as
/// a label (left-aligned), the others as numbers (right-aligned). A row shorter
/// than `head` is padded with empty cells (a suppressed group: its label and a
/// dash); a longer one is refused.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// What can go wrong while making a PDF.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PdfError {
    /// The fonts could not be read.
    #[error(
        "PDF reports need the DejaVu Sans fonts ({}), which were not found in {}: install them (Debian: apt-get install fonts-dejavu-core)",
        REQUIRED_FONTS.join(", "),
        .searched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    FontsMissing { searched: Vec<PathBuf> },
    /// A font file was found but could not be used.
    #[error("{}: {reason}", .path.display())]
    BadFont { path: PathBuf, reason: String },
    /// A table whose rows do not match its header (a bug in the caller).
    #[error("table \"{table}\": {problem}")]
    BadTable { table: String, problem: String },
    /// typst reported errors (a bug in the template or in an SVG chart).
    #[error("typesetting the report failed: {0}")]
    Typeset(String),
    /// typst could not write the PDF.
    #[error("writing the PDF failed: {0}")]
    Export(String),
}

/// Required font files (regular and bold); the oblique faces are used when present.
const REQUIRED_FONTS: [&str; 2] = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"];
const OPTIONAL_FONTS: [&str; 2] = ["DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"];

/// Where the DejaVu fonts live on common systems (Debian/Ubuntu first).
pub const FONT_DIRS: [&str; 4] = [
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts/dejavu",
];

/// The fonts a report is typeset with.
pub struct Fonts {
    fonts: Vec<Font>,
    book: LazyHash<FontBook>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts")
            .field("faces", &self.fonts.len())
            .finish()
    }
}

impl Fonts {
    /// DejaVu Sans from the first of [`FONT_DIRS`] that holds it, read once per
    /// process.
    pub fn system() -> Result<&'static Fonts, PdfError> {
        static SYSTEM: OnceLock<Result<Fonts, PdfError>> = OnceLock::new();
        SYSTEM
            .get_or_init(|| {
                for dir in FONT_DIRS {
                    let dir = Path::new(dir);
                    if dir.join(REQUIRED_FONTS[0]).is_file() {
                        return Fonts::from_dir(dir);
                    }
                }
                Err(PdfError::FontsMissing {
                    searched: FONT_DIRS.iter().map(PathBuf::from).collect(),
                })
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// DejaVu Sans (regular and bold required; obliques if present) from `dir`.
    pub fn from_dir(dir: &Path) -> Result<Fonts, PdfError> {
        let mut data = Vec::new();
        for name in REQUIRED_FONTS {
            let path = dir.join(name);
            match std::fs::read(&path) {
                Ok(bytes) => data.push((path, bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(PdfError::FontsMissing {
                        searched: vec![dir.to_owned()],
                    });
                }
                Err(e) => {
                    return Err(PdfError::BadFont {
                        path,
                        reason: e.to_string(),
                    });
                }
            }
        }
        for name in OPTIONAL_FONTS {
            let path = dir.join(name);
            if let Ok(bytes) = std::fs::read(&path) {
                data.push((path, bytes));
            }
        }
        let mut fonts = Vec::new();
        for (path, bytes) in data {
            let before = fonts.len();
            fonts.extend(Font::iter(Bytes::new(bytes)));
            if fonts.len() == before {
                return Err(PdfError::BadFont {
                    path,
                    reason: "not a font file typst can read".into(),
                });
            }
        }
        Ok(Fonts::from_fonts(fonts))
    }

    /// Fonts from memory (each item a TrueType/OpenType file or collection).
    /// The template asks for "DejaVu Sans"; with other families typst falls
    /// back to whatever covers the text.
    pub fn from_data(files: impl IntoIterator<Item = Vec<u8>>) -> Fonts {
        let fonts = files
            .into_iter()
            .flat_map(|bytes| Font::iter(Bytes::new(bytes)))
            .collect();
        Fonts::from_fonts(fonts)
    }

    fn from_fonts(fonts: Vec<Font>) -> Fonts {
        let book = LazyHash::new(FontBook::from_fonts(&fonts));
        Fonts { fonts, book }
    }
}

/// Renders `doc` with the system's DejaVu Sans ([`Fonts::system`]).
pub fn render_pdf(doc: &ReportDoc) -> Result<Vec<u8>, PdfError> {
    render_pdf_with(doc, Fonts::system()?)
}

/// Renders `doc` with the given fonts.
pub fn render_pdf_with(doc: &ReportDoc, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let data = serde_json::to_vec(&Data::new(doc)?)
        .map_err(|e| PdfError::Typeset(format!("report data: {e}")))?;
    let world = ReportWorld::new(fonts, data);
    let warned = typst::compile::<PagedDocument>(&world);
    let document = warned
        .output
        .map_err(|errors| PdfError::Typeset(diagnostics(&world, &errors)));
    let pdf = document.and_then(|document| {
        typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
            .map_err(|errors| PdfError::Export(diagnostics(&world, &errors)))
    });
    // typst memoises across compilations; drop what the last few renders did
    // not reuse, so a long-running server does not grow.
    typst::comemo::evict(10);
    pdf
}

/// The template's input, as `/data.json`.
#[derive(Serialize)]
struct Data<'a> {
    lang: &'static str,
    title: &'a str,
    subtitle: &'a str,
    intro: &'a str,
    footer: String,
    labels: Labels,
    rates: Option<Table>,
    findings: &'a [String],
    sections: Vec<SectionData<'a>>,
}

#[derive(Serialize)]
struct Labels {
    rates: String,
    findings: String,
    data_table: String,
}

#[derive(Serialize)]
struct SectionData<'a> {
    title: &'a str,
    svg: &'a str,
    /// The chart's own width in points (its viewBox at 96 px per inch), so a
    /// small chart is not blown up to the page's width; `None` when unknown.
    svg_width: Option<f64>,
    table: Table,
}

impl<'a> Data<'a> {
    fn new(doc: &'a ReportDoc) -> Result<Data<'a>, PdfError> {
        let lang = doc.lang;
        let rates_label = message(lang, "results-rates", None);
        let rates = match &doc.rates {
            Some(t) if !t.head.is_empty() => Some(padded(&rates_label, t)?),
            _ => None,
        };
        let sections = doc
            .sections
            .iter()
            .map(|s| {
                Ok(SectionData {
                    title: &s.title,
                    svg: &s.svg,
                    svg_width: svg_width_pt(&s.svg),
                    table: padded(&s.title, &s.table)?,
                })
            })
            .collect::<Result<_, PdfError>>()?;
        let date = trama_i18n::long_date(
            lang,
            i32::from(doc.date.year()),
            doc.date.month().unsigned_abs(),
            doc.date.day().unsigned_abs(),
        );
        Ok(Data {
            lang: lang.tag(),
            title: &doc.title,
            subtitle: &doc.subtitle,
            intro: &doc.intro,
            footer: format!("Trama · {date}"),
            labels: Labels {
                rates: rates_label,
                findings: message(lang, "results-findings", None),
                data_table: message(lang, "results-data-table", None),
            },
            rates,
            findings: &doc.findings,
            sections,
        })
    }
}

/// The width of an SVG's viewBox, in points (1 px = 0.75 pt).
fn svg_width_pt(svg: &str) -> Option<f64> {
    let root = &svg[svg.find("<svg")?..];
    let root = &root[..root.find('>')?];
    let start = root.find("viewBox=\"")? + "viewBox=\"".len();
    let value = &root[start..];
    let value = &value[..value.find('"')?];
    let width: f64 = value
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|v| !v.is_empty())
        .nth(2)?
        .parse()
        .ok()?;
    (width.is_finite() && width > 0.0).then_some(width * 0.75)
}

/// `table` with every row as long as its header (short rows padded with empty
/// cells), or why it cannot be drawn.
fn padded(name: &str, table: &Table) -> Result<Table, PdfError> {
    let bad = |problem: String| PdfError::BadTable {
        table: name.to_owned(),
        problem,
    };
    let width = table.head.len();
    if width == 0 && !table.rows.is_empty() {
        return Err(bad("rows without a header".into()));
    }
    let mut rows = Vec::with_capacity(table.rows.len());
    for (i, row) in table.rows.iter().enumerate() {
        if row.len() > width {
            return Err(bad(format!(
                "row {} has {} cells, the header {width}",
                i + 1,
                row.len()
            )));
        }
        let mut row = row.clone();
        row.resize(width, String::new());
        rows.push(row);
    }
    Ok(Table {
        head: table.head.clone(),
        rows,
    })
}

/// Error messages with the template line they point at.
fn diagnostics(world: &ReportWorld, errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|d| {
            let line = (d.span.id() == Some(world.main.id()))
                .then(|| world.range(d.span))
                .flatten()
                .and_then(|r| world.main.text().get(..r.start))
                .map(|before| before.matches('\n').count() + 1);
            let mut s = match line {
                Some(l) => format!("report.typ:{l}: {}", d.message),
                None => d.message.to_string(),
            };
            for hint in &d.hints {
                s.push_str(&format!(" (hint: {})", hint.v));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

const TEMPLATE: &str = include_str!("report.typ");

/// The standard library, built once (inputs are passed as a file, not through
/// `sys.inputs`, so it is the same for every report).
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).unwrap_or_else(|_| unreachable!("{path} is a valid path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// A world of two files: the template (`/report.typ`) and its data
/// (`/data.json`). Nothing is read from disk; there is no clock.
struct ReportWorld<'a> {
    fonts: &'a Fonts,
    main: Source,
    data_id: FileId,
    data: Bytes,
}

impl<'a> ReportWorld<'a> {
    fn new(fonts: &'a Fonts, data: Vec<u8>) -> Self {
        ReportWorld {
            fonts,
            main: Source::new(file_id("/report.typ"), TEMPLATE.to_owned()),
            data_id: file_id("/data.json"),
            data: Bytes::new(data),
        }
    }
}

impl World for ReportWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(PathBuf::from(id.vpath().get_with_slash()))
}
