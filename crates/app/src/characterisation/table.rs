//! The national table of a campaign's networks — the study's 15-network
//! table, extended to every network — with the typology matrix (six foci
//! under three types, a mark per emphasis) and the distribution of
//! continuum levels by region; cut to the networks the reader may read,
//! and as a file.

use std::collections::BTreeMap;

use trama_characterise::Level;
use trama_characterise::focus::{Focus, ProcessType};
use trama_characterise::typology::Shares;
use trama_domain::network::Rurality;
use trama_domain::policy::{Action, Actor, Target};
use trama_domain::territory::RegionCode;
use trama_export::TableCell;
use trama_i18n::{Lang, message};
use trama_store::campaigns::lifecycle::Campaign;

use super::measure;
use crate::access::{allow, may};
use crate::campaigns::find;
use crate::{App, Error, Result};

/// One network's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub code: String,
    pub name: String,
    pub region: i32,
    pub deprov: Option<String>,
    pub comunas: Vec<String>,
    pub dependencies: Vec<String>,
    pub rurality: Option<Rurality>,
    pub schools: usize,
    pub response_rate: Option<f64>,
    pub level: Level,
    pub provisional: bool,
    pub dominant: Option<ProcessType>,
    pub types: Vec<ProcessType>,
    /// Each focus's share (both sources combined), when there is any.
    pub shares: Option<Shares>,
    pub emphasis: Vec<Focus>,
    pub density: Option<f64>,
    pub reciprocity: Option<f64>,
    /// Trust (Confianza agreement, %), `None` when absent or suppressed.
    pub trust: Option<f64>,
    pub trust_suppressed: bool,
}

pub struct Table {
    pub campaign: Campaign,
    pub region: Option<RegionCode>,
    pub sort: Sort,
    /// Regions with networks the reader may read, for the filter.
    pub regions: Vec<i32>,
    pub rows: Vec<Row>,
    /// Region → networks at each level, in [`Level::ALL`] order, over the
    /// rows shown (all regions when no region is chosen).
    pub distribution: BTreeMap<i32, [usize; 4]>,
}

/// The column a table is sorted by (networks in their natural order
/// otherwise); numbers sort highest first, networks without a value last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Network,
    Region,
    Schools,
    ResponseRate,
    Level,
    Density,
    Reciprocity,
    Trust,
}

impl Sort {
    pub const ALL: [Sort; 8] = [
        Sort::Network,
        Sort::Region,
        Sort::Schools,
        Sort::ResponseRate,
        Sort::Level,
        Sort::Density,
        Sort::Reciprocity,
        Sort::Trust,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Sort::Network => "network",
            Sort::Region => "region",
            Sort::Schools => "schools",
            Sort::ResponseRate => "response_rate",
            Sort::Level => "level",
            Sort::Density => "density",
            Sort::Reciprocity => "reciprocity",
            Sort::Trust => "trust",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|x| x.code() == s)
    }

    fn order(self, rows: &mut [Row]) {
        let key = |r: &Row| -> Option<f64> {
            match self {
                Sort::Schools => Some(r.schools as f64),
                Sort::ResponseRate => r.response_rate,
                Sort::Level => {
                    Some(Level::ALL.iter().position(|l| *l == r.level).unwrap_or(0) as f64)
                }
                Sort::Density => r.density,
                Sort::Reciprocity => r.reciprocity,
                Sort::Trust => r.trust,
                Sort::Network | Sort::Region => None,
            }
        };
        match self {
            Sort::Network => {}
            Sort::Region => rows.sort_by_key(|r| r.region),
            _ => rows.sort_by(|a, b| match (key(a), key(b)) {
                (Some(x), Some(y)) => y.total_cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }),
        }
    }
}

/// The table of `campaign`'s networks, of one region or all the reader
/// may read.
pub async fn table(
    app: &App,
    actor: &Actor,
    campaign: &str,
    region: Option<RegionCode>,
    sort: Sort,
) -> Result<Table> {
    let c = find(app, campaign).await?;
    allow(actor, Action::ViewCampaigns, &c.target)?;
    allow(actor, Action::ReadCharacterisation, &Target::national())?;
    let all = measure::campaign(app, &c.campaign).await?;
    let mut rows = vec![];
    let mut regions = vec![];
    for r in &all.rows {
        let f = &r.facts;
        let place = Target::in_region(
            Some(RegionCode(i16::try_from(f.region_code).unwrap_or(0))),
            vec![f.id],
        );
        if !may(actor, Action::ReadCharacterisation, &place) {
            continue;
        }
        if !regions.contains(&f.region_code) {
            regions.push(f.region_code);
        }
        if region.is_some_and(|x| i32::from(x.0) != f.region_code) {
            continue;
        }
        let m = &r.measured;
        let t = &m.characterisation.typology;
        let trust = m
            .tetraedro
            .face(trama_characterise::tetraedro::FaceKey::Sustento)
            .and_then(|s| s.get("trust"));
        rows.push(Row {
            code: f.code.clone(),
            name: f.name.clone(),
            region: f.region_code,
            deprov: f.deprov_name.clone(),
            comunas: f.comunas.clone(),
            dependencies: f.dependencies.clone(),
            rurality: f.rurality,
            schools: f.schools.len(),
            response_rate: m.faces.organizacion.response_rate,
            level: m.characterisation.continuum.level,
            provisional: m.characterisation.continuum.provisional,
            dominant: t.dominant,
            types: t.types.clone(),
            shares: t.combined.clone(),
            emphasis: t.emphasis.clone(),
            density: m.characterisation.evidence.school_density,
            reciprocity: m.faces.caracteristicas.reciprocity,
            trust: trust.and_then(|i| i.value),
            trust_suppressed: trust.is_some_and(|i| i.suppressed),
        });
    }
    regions.sort_unstable();
    sort.order(&mut rows);
    if region.is_some_and(|r| !regions.contains(&i32::from(r.0))) {
        return Err(Error::NotFound);
    }
    let mut distribution: BTreeMap<i32, [usize; 4]> = BTreeMap::new();
    for r in &rows {
        let slot = Level::ALL.iter().position(|l| *l == r.level).unwrap_or(0);
        distribution.entry(r.region).or_default()[slot] += 1;
    }
    Ok(Table {
        campaign: all.campaign.clone(),
        region,
        sort,
        regions,
        rows,
        distribution,
    })
}

/// The columns of the file, by message id.
const COLUMNS: [&str; 16] = [
    "char-col-network",
    "char-col-name",
    "char-col-region",
    "char-col-deprov",
    "char-col-comunas",
    "char-col-dependency",
    "char-col-rurality",
    "char-col-schools",
    "char-col-response-rate",
    "char-col-level",
    "char-col-provisional",
    "char-col-dominant",
    "char-col-types",
    "char-col-density",
    "char-col-reciprocity",
    "char-col-trust",
];

/// The table as cells: the columns above, then each focus's share and
/// whether it is an emphasis.
pub fn cells(table: &Table, lang: Lang) -> (Vec<String>, Vec<Vec<TableCell>>) {
    let t = |id: &str| message(lang, id, None);
    let mut header: Vec<String> = COLUMNS.iter().map(|c| t(c)).collect();
    for f in Focus::ALL {
        header.push(format!("{}_{}", f.code(), t("char-col-share")));
        header.push(format!("{}_{}", f.code(), t("char-col-emphasis")));
    }
    let text = |s: String| TableCell::Text(s);
    let num = |v: Option<f64>| v.map_or(TableCell::Empty, TableCell::Number);
    let rows = table
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![
                text(r.code.clone()),
                text(r.name.clone()),
                TableCell::Number(f64::from(r.region)),
                text(r.deprov.clone().unwrap_or_default()),
                text(r.comunas.join("; ")),
                text(r.dependencies.join("; ")),
                text(r.rurality.map(|x| t(x.label_id())).unwrap_or_default()),
                TableCell::Number(r.schools as f64),
                num(r.response_rate),
                text(t(&format!("char-level-{}", r.level.code()))),
                TableCell::Number(if r.provisional { 1.0 } else { 0.0 }),
                text(
                    r.dominant
                        .map(|d| t(&format!("instrument-process-{}", d.code())))
                        .unwrap_or_default(),
                ),
                text(
                    r.types
                        .iter()
                        .map(|d| t(&format!("instrument-process-{}", d.code())))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                num(r.density),
                num(r.reciprocity),
                num(r.trust),
            ];
            for f in Focus::ALL {
                row.push(num(r
                    .shares
                    .as_ref()
                    .and_then(|s| s.get(f.code()).copied())));
                row.push(TableCell::Number(if r.emphasis.contains(&f) {
                    1.0
                } else {
                    0.0
                }));
            }
            row
        })
        .collect();
    (header, rows)
}

/// The file formats of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }
}

/// The table as an XLSX workbook (the CSV is the adapter's, from
/// [`cells`], through its formula-guarding writer).
pub fn xlsx(table: &Table, lang: Lang) -> Result<Vec<u8>> {
    let (header, rows) = cells(table, lang);
    trama_export::table_xlsx(&message(lang, "char-sheet", None), &header, &rows)
        .map_err(|e| Error::Internal(format!("xlsx: {e}")))
}

/// The table as a report section: network, level, dominant type, then a
/// mark per emphasised focus under its type, as the study's table.
pub fn pdf_section(table: &Table, lang: Lang) -> trama_pdf::Section {
    let t = |id: &str| message(lang, id, None);
    let mut head = vec![
        t("char-col-network"),
        t("char-level"),
        t("char-typology-dominant"),
    ];
    head.extend(
        Focus::ALL
            .iter()
            .map(|f| t(&format!("instrument-focus-{}", f.code()))),
    );
    let rows = table
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![
                r.code.clone(),
                super::view::level_label(lang, r.level),
                r.dominant
                    .map(|d| super::view::type_label(lang, d))
                    .unwrap_or_else(|| "—".into()),
            ];
            row.extend(
                Focus::ALL
                    .iter()
                    .map(|f| if r.emphasis.contains(f) { "●" } else { "" }.to_owned()),
            );
            row
        })
        .collect();
    trama_pdf::Section {
        title: t("char-matrix"),
        svg: String::new(),
        table: trama_pdf::Table { head, rows },
    }
}
