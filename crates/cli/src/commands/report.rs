//! `trama report …`: results computed from files, no database needed
//! (but for `report pdf`, see its module).
//!
//! Every figure comes from `trama-results`, the same functions the pages
//! and PDFs call, with anonymity suppression applied there. Files are
//! checked completely before anything is written: a problem in the
//! instrument or the responses is reported line by line (exit 1) and no
//! output file is created.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use trama_i18n::{Lang, t};
use trama_results::ResponseTable;
use trama_results::design::{Design, Level};
use trama_results::findings::{Finding, findings};
use trama_results::likert::{self, Pct};
use trama_results::responses::{ANY_COLUMN, GroupBy};

use crate::exit::{CliResult, Failure};

#[derive(clap::Subcommand, Debug)]
pub enum Report {
    /// Response rates per region, in the seed's table shape.
    #[command(
        after_help = "Example:\n  trama report rates --networks redes.csv --responses respuestas.csv --format csv"
    )]
    Rates(RatesArgs),
    /// Agreement distributions (100 % stacked bars) by dimension, sub-dimension and item.
    #[command(
        long_about = "Agreement distributions as the seed's 100 % stacked bars: for each group \
(national first, then one per value of --by) and each dimension, sub-dimension and item, the \
percent of answers per level (NA, 1–5), % disagreement (1+2) and % agreement (4+5).\n\n\
Answers of a group's items are pooled (not a mean of item percentages); reverse-keyed items \
are recoded 6 − x in dimensions and sub-dimensions and shown as answered at item level \
(\"reverse\": true). Groups with fewer than --min-group respondents carry no figures; when \
only one group of the breakdown is that small, the next smallest is hidden too.\n\n\
Figures are full precision in JSON and CSV; `pct_display` (JSON) is rounded to one decimal \
so that each bar sums to 100.",
        after_help = "Examples:\n  trama report likert --instrument rme.xlsx --responses respuestas.csv --format json -o likert.json\n  trama report likert --instrument encuesta.csv --responses respuestas.csv --by region --level subdimension --format csv"
    )]
    Likert(LikertArgs),
    /// Plain findings: "N de cada 10 participantes …" for the highest- and lowest-agreement items.
    #[command(
        long_about = "Plain findings in the seed's style, from the national item-level agreement: \
the --count items with the highest agreement and the --count with the lowest, each as \"N de \
cada 10 participantes …\" (N rounded to the nearest whole). An item's finding::es / \
finding::en column in the instrument words its sentence ({n} stands for N); other items get a \
generic sentence quoting the item. Nothing is stated when fewer than --min-group people answered.",
        after_help = "Examples:\n  trama report findings --instrument rme.xlsx --responses respuestas.csv --format json\n  trama report findings --instrument rme.xlsx --responses respuestas.csv --count 5 --lang en --format csv"
    )]
    Findings(FindingsArgs),
    /// A campaign's report as PDF (national, or one region's or network's), from the database.
    #[command(
        long_about = "The national report of a campaign, or one region's with --region or one \
network's with --network, as a PDF: \
the same charts, data tables, response-rate table and findings as the results pages, in the \
language of --lang (es or en). Groups below 5 valid responses carry no figures, exactly as on \
the pages. Needs the DejaVu Sans fonts (Debian: fonts-dejavu-core).",
        after_help = "Examples:\n  trama report pdf --campaign RME-2026 --lang es -o informe-nacional.pdf\n  trama report pdf --campaign RME-2026 --network RME1 --lang en -o RME1.pdf\n  trama report pdf --campaign RME-2026 --region VIII -o biobio.pdf"
    )]
    Pdf(super::report_pdf::PdfArgs),
}

#[derive(clap::Args, Debug)]
pub struct RatesArgs {
    /// Networks in scope: CSV with columns `network,region`.
    #[arg(long)]
    networks: PathBuf,
    /// Valid responses, in the export format (`response_id,region,deprov,network,role,…`).
    #[arg(long)]
    responses: PathBuf,
    /// json or csv.
    #[arg(long, default_value = "json")]
    format: String,
    /// Write here instead of standard output.
    #[arg(short = 'o', long)]
    output: Option<PathBuf>,
}

/// The two files every results command reads.
#[derive(clap::Args, Debug)]
pub struct Inputs {
    /// The instrument: XLSForm (.xlsx) or its survey sheet as CSV.
    #[arg(long, value_name = "FILE")]
    pub instrument: PathBuf,
    /// Responses CSV: `response_id,region,deprov,network,role[,submitted_at]`, then one
    /// column per item; ratings 1–5, NA or empty.
    #[arg(long, value_name = "FILE")]
    pub responses: PathBuf,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum ByArg {
    Region,
    Deprov,
    Network,
    Role,
}

impl From<ByArg> for GroupBy {
    fn from(b: ByArg) -> GroupBy {
        match b {
            ByArg::Region => GroupBy::Region,
            ByArg::Deprov => GroupBy::Deprov,
            ByArg::Network => GroupBy::Network,
            ByArg::Role => GroupBy::Role,
        }
    }
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum LevelArg {
    Dimension,
    Subdimension,
    Item,
}

impl From<LevelArg> for Level {
    fn from(l: LevelArg) -> Level {
        match l {
            LevelArg::Dimension => Level::Dimension,
            LevelArg::Subdimension => Level::Subdimension,
            LevelArg::Item => Level::Item,
        }
    }
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableFormat {
    Json,
    Csv,
}

#[derive(clap::Args, Debug)]
pub struct LikertArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// Also one group per value of this column, after the national group.
    #[arg(long, value_enum)]
    by: Option<ByArg>,
    /// Only this level; every level (dimension, sub-dimension and item rows) when omitted.
    #[arg(long, value_enum)]
    level: Option<LevelArg>,
    /// Anonymity threshold: groups with fewer respondents show no figures.
    #[arg(long, default_value_t = 5, value_name = "K", value_parser = clap::value_parser!(u64).range(1..))]
    min_group: u64,
    /// Percentages over answers 1–5 only, leaving No aplica out.
    #[arg(long)]
    exclude_na: bool,
    #[arg(long, value_enum, default_value = "json")]
    format: TableFormat,
    /// Write here instead of standard output (nothing is written when the input has problems).
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct FindingsArgs {
    #[command(flatten)]
    inputs: Inputs,
    /// How many highest-agreement and how many lowest-agreement items.
    #[arg(long, default_value_t = 3, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    count: u64,
    /// Anonymity threshold: with fewer respondents nothing is stated.
    #[arg(long, default_value_t = 5, value_name = "K", value_parser = clap::value_parser!(u64).range(1..))]
    min_group: u64,
    /// Agreement over answers 1–5 only, leaving No aplica out.
    #[arg(long)]
    exclude_na: bool,
    #[arg(long, value_enum, default_value = "json")]
    format: TableFormat,
    /// Write here instead of standard output (nothing is written when the input has problems).
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub(crate) fn read_file(lang: Lang, path: &PathBuf) -> Result<(String, Vec<u8>), Failure> {
    let bytes = std::fs::read(path).map_err(|e| cannot_read(lang, path, &e))?;
    Ok((display_name(path), bytes))
}

/// How a file is named in messages: its name, as the user sees it in a
/// folder, rather than the full path.
fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn cannot_read(lang: Lang, path: &Path, e: &std::io::Error) -> Failure {
    Failure::input(vec![t!(
        lang,
        "cli-cannot-read",
        file = path.display().to_string(),
        detail = e.to_string()
    )])
}

/// Writes the result. A file is written beside its destination and renamed
/// into place once complete, so a failure (disk full, interrupted run)
/// never leaves a half-written file where a complete one is expected.
/// Where a file is written before it is renamed into place: beside it, so
/// the rename stays on one file system.
pub(crate) fn aside_name(p: &Path) -> PathBuf {
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    dir.join(format!(".{}.{}.tmp", display_name(p), std::process::id()))
}

pub(crate) fn write_output(output: &Option<PathBuf>, bytes: &[u8]) -> CliResult {
    match output {
        Some(p) => {
            let fail = |e: std::io::Error| Failure::env(format!("{}: {e}", p.display()));
            let tmp = aside_name(p);
            let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, p));
            if let Err(e) = written {
                let _ = std::fs::remove_file(&tmp);
                return Err(fail(e));
            }
            Ok(())
        }
        None => std::io::stdout()
            .write_all(bytes)
            .map_err(|e| Failure::env(e.to_string())),
    }
}

fn cells(lang: Lang, errors: Vec<trama_tabular::CellError>) -> Failure {
    Failure::input(trama_tabular::report::lines(&errors, lang))
}

/// Reads the instrument and the responses, reporting every problem of the
/// instrument first (the responses cannot be checked without it), then
/// every problem of the responses.
pub(crate) fn load(lang: Lang, inputs: &Inputs) -> Result<(Design, ResponseTable), Failure> {
    let (name, bytes) = read_file(lang, &inputs.instrument)?;
    let instrument = trama_instrument::read_form(&name, &bytes).map_err(|errs| {
        Failure::input(trama_tabular::report::capped(&errs, 0, lang, |e| {
            e.render(lang)
        }))
    })?;
    let design = Design::from_instrument(&name, &instrument).map_err(|e| cells(lang, vec![e]))?;
    let others = Design::other_columns(&instrument);
    // Streamed rather than read whole: a national file can be larger than
    // the table it becomes.
    let file = std::fs::File::open(&inputs.responses)
        .map_err(|e| cannot_read(lang, &inputs.responses, &e))?;
    let table = ResponseTable::read(&display_name(&inputs.responses), file, &design, &others)
        .map_err(|e| cells(lang, e))?;
    Ok((design, table))
}

pub(crate) fn json_bytes(value: &impl serde::Serialize) -> Result<Vec<u8>, Failure> {
    let mut v = serde_json::to_vec_pretty(value).map_err(|e| Failure::env(e.to_string()))?;
    v.push(b'\n');
    Ok(v)
}

/// The rows as CSV, each cell neutralised: labels and group names come from
/// people's files, and the output is opened in spreadsheets.
fn csv_bytes(records: Vec<Vec<String>>) -> Result<Vec<u8>, Failure> {
    let mut w = csv::Writer::from_writer(vec![]);
    for r in records {
        w.write_record(
            r.iter()
                .map(|cell| trama_stdx::csv::neutralise(cell).into_owned()),
        )
        .map_err(|e| Failure::env(e.to_string()))?;
    }
    w.into_inner().map_err(|e| Failure::env(e.to_string()))
}

/// A figure for CSV: the shortest text that reads back as the same number
/// (full precision, as in JSON); empty where a figure is withheld.
fn num(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

pub async fn run(cmd: Report, lang: Lang) -> CliResult {
    match cmd {
        Report::Pdf(a) => super::report_pdf::run(a, lang).await,
        Report::Rates(a) => rates(a, lang),
        Report::Likert(a) => likert_cmd(a, lang),
        Report::Findings(a) => findings_cmd(a, lang),
    }
}

fn likert_cmd(args: LikertArgs, lang: Lang) -> CliResult {
    let (design, table) = load(lang, &args.inputs)?;
    let opts = likert::Options {
        by: args.by.map(GroupBy::from),
        level: args.level.map(Level::from),
        min_group: args.min_group,
        exclude_na: args.exclude_na,
        lang,
    };
    let report = likert::report(&design, &table, &opts);
    let out = match args.format {
        TableFormat::Json => json_bytes(&report)?,
        TableFormat::Csv => csv_bytes(likert_csv(&report))?,
    };
    write_output(&args.output, &out)
}

/// One row per group × row of the report. Group columns repeat on every
/// row so that the file filters and pivots without lookups.
fn likert_csv(report: &likert::Report) -> Vec<Vec<String>> {
    let header = [
        "by",
        "value",
        "n_respondents",
        "level",
        "code",
        "label",
        "dimension",
        "subdimension",
        "reverse",
        "n_answers",
        "pct_NA",
        "pct_1",
        "pct_2",
        "pct_3",
        "pct_4",
        "pct_5",
        "disagree",
        "agree",
        "suppressed",
    ];
    let mut out = vec![header.iter().map(|h| (*h).to_owned()).collect()];
    for g in &report.groups {
        for r in &g.rows {
            let pct: Option<&Pct> = r.pct.as_ref();
            out.push(vec![
                g.by.clone(),
                g.value.clone().unwrap_or_default(),
                g.n_respondents.to_string(),
                level_name(r.level).to_owned(),
                r.code.clone(),
                r.label.clone(),
                r.dimension.clone().unwrap_or_default(),
                r.subdimension.clone().unwrap_or_default(),
                r.reverse.map(|b| b.to_string()).unwrap_or_default(),
                r.n_answers.map(|n| n.to_string()).unwrap_or_default(),
                num(pct.and_then(|p| p.na)),
                num(pct.map(|p| p.p1)),
                num(pct.map(|p| p.p2)),
                num(pct.map(|p| p.p3)),
                num(pct.map(|p| p.p4)),
                num(pct.map(|p| p.p5)),
                num(r.disagree),
                num(r.agree),
                r.suppressed.to_string(),
            ]);
        }
    }
    out
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Dimension => "dimension",
        Level::Subdimension => "subdimension",
        Level::Item => "item",
    }
}

#[derive(serde::Serialize)]
struct FindingsOut {
    group: &'static str,
    n_respondents: u64,
    suppressed: bool,
    min_group: u64,
    exclude_na: bool,
    findings: Vec<Finding>,
}

fn findings_cmd(args: FindingsArgs, lang: Lang) -> CliResult {
    let (design, table) = load(lang, &args.inputs)?;
    let opts = likert::Options {
        by: None,
        level: Some(Level::Item),
        min_group: args.min_group,
        exclude_na: args.exclude_na,
        lang,
    };
    let report = likert::report(&design, &table, &opts);
    let national = &report.groups[0];
    let count = usize::try_from(args.count).unwrap_or(usize::MAX);
    let list = findings(&design, national, count, lang);
    let out = match args.format {
        TableFormat::Json => json_bytes(&FindingsOut {
            group: "national",
            n_respondents: national.n_respondents,
            suppressed: national.suppressed,
            min_group: args.min_group,
            exclude_na: args.exclude_na,
            findings: list,
        })?,
        TableFormat::Csv => {
            let header = [
                "kind",
                "rank",
                "item",
                "label",
                "reverse",
                "in_ten",
                "agree",
                "disagree",
                "n_answers",
                "sentence",
            ];
            let mut rows = vec![header.iter().map(|h| (*h).to_owned()).collect()];
            for f in &list {
                let kind = serde_json::to_value(f.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                rows.push(vec![
                    kind,
                    f.rank.to_string(),
                    f.item.clone(),
                    f.label.clone(),
                    f.reverse.to_string(),
                    f.in_ten.to_string(),
                    f.agree.to_string(),
                    f.disagree.to_string(),
                    f.n_answers.to_string(),
                    f.sentence.clone(),
                ]);
            }
            csv_bytes(rows)?
        }
    };
    if national.suppressed {
        eprintln!(
            "{}",
            t!(
                lang,
                "cli-findings-suppressed",
                n = national.n_respondents,
                k = args.min_group
            )
        );
    }
    write_output(&args.output, &out)
}

fn rates(args: RatesArgs, lang: Lang) -> CliResult {
    let (name, bytes) = read_file(lang, &args.networks)?;
    let table = trama_tabular::Table::parse(&name, &bytes).map_err(|e| cells(lang, e))?;
    let cols = table
        .require(&["network", "region"])
        .map_err(|e| cells(lang, e))?;
    let networks: Vec<(String, String)> = table
        .rows
        .iter()
        .map(|r| (r.get(cols[0]).to_owned(), r.get(cols[1]).to_owned()))
        .collect();
    let (rname, rbytes) = read_file(lang, &args.responses)?;
    let any: HashSet<String> = [ANY_COLUMN.to_owned()].into();
    let responses = ResponseTable::read(&rname, rbytes.as_slice(), &Design::default(), &any)
        .map_err(|e| cells(lang, e))?;
    let rows =
        trama_results::rates::rates(&networks, trama_results::rates::respondents_of(&responses));
    let out = match args.format.as_str() {
        "csv" => {
            let mut records = vec![
                [
                    "region",
                    "networks_total",
                    "networks_with_answers",
                    "cases",
                    "pct_networks",
                ]
                .iter()
                .map(|h| (*h).to_owned())
                .collect(),
            ];
            for r in &rows {
                records.push(vec![
                    r.region.clone().unwrap_or_else(|| "total".into()),
                    r.networks_total.to_string(),
                    r.networks_with_answers.to_string(),
                    r.cases.to_string(),
                    r.pct_networks.to_string(),
                ]);
            }
            csv_bytes(records)?
        }
        "json" => json_bytes(&serde_json::json!({ "rows": rows }))?,
        other => {
            return Err(Failure {
                code: 2,
                lines: vec![t!(lang, "cli-bad-format", format = other.to_owned())],
            });
        }
    };
    write_output(&args.output, &out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_cells_cannot_run_as_formulas() {
        let cells = [
            "=HYPERLINK(\"x\")",
            "+1+1",
            "@SUM(A1)",
            "-2+3",
            "\tx",
            "\rx",
            "-3",
        ];
        let bytes = super::csv_bytes(vec![cells.iter().map(|c| (*c).to_owned()).collect()])
            .unwrap_or_else(|f| panic!("{:?}", f.lines));
        assert_eq!(
            String::from_utf8_lossy(&bytes),
            "\"'=HYPERLINK(\"\"x\"\")\",'+1+1,'@SUM(A1),'-2+3,'\tx,\"'\rx\",-3\n"
        );
    }
}
