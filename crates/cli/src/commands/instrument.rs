//! `trama instrument …`: questionnaires as XLSForm in and out of the database.
//!
//! Importing a form whose content is new adds a version; importing the same
//! content again changes nothing. Campaigns pin a version, so old rounds keep
//! the questions they were answered with.

use std::io::IsTerminal;
use std::path::PathBuf;

use trama_i18n::{Lang, t};
use trama_instrument::{FormError, Instrument};
use trama_store::Store;
use trama_store::campaigns::instruments::{StoredInstrument, VersionSummary};

use super::db::DbArgs;
use super::report::{read_file, write_output};
use crate::exit::{CliResult, Failure};

#[derive(clap::Subcommand, Debug)]
pub enum InstrumentCmd {
    /// Import an XLSForm (.xlsx, or its survey sheet as .csv) as a new version.
    #[command(
        after_help = "Examples:\n  trama instrument import rme-2027.xlsx --dry-run\n  trama instrument import rme-2027.xlsx\n  trama instrument import encuesta.csv --code encuesta_redes"
    )]
    Import(ImportArgs),
    /// Write a stored instrument as XLSForm (.xlsx) or JSON.
    #[command(
        after_help = "Examples:\n  trama instrument export rme --format xlsx -o rme.xlsx\n  trama instrument export rme --format json --version 1 > rme-v1.json"
    )]
    Export(ExportArgs),
    /// Show a stored instrument: its versions, dimensions, sub-dimensions and items.
    #[command(
        after_help = "Examples:\n  trama instrument show rme\n  trama instrument show rme --format json --version 2"
    )]
    Show(ShowArgs),
    /// List stored instruments: code, latest version, title.
    #[command(after_help = "Example:\n  trama instrument list --format json")]
    List(ListArgs),
}

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// The XLSForm: a .xlsx workbook, or a .csv holding its survey sheet.
    file: PathBuf,
    /// Store under this code instead of the form's form_id (for a .csv, the
    /// file name).
    #[arg(long, value_name = "CODE")]
    code: Option<String>,
    #[command(flatten)]
    db: DbArgs,
    /// Check the form and tell whether it would be a new version, without writing.
    #[arg(long)]
    dry_run: bool,
    /// Summary format on standard output: text or json.
    #[arg(long, default_value = "text")]
    format: String,
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Instrument code (e.g. rme).
    code: String,
    /// xlsx (XLSForm workbook) or json.
    #[arg(long, default_value = "xlsx", value_name = "xlsx|json")]
    format: String,
    /// Version number (1, 2, …); the latest when omitted.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..))]
    version: Option<i64>,
    /// Write here instead of standard output (required for xlsx on a terminal).
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    db: DbArgs,
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// Instrument code (e.g. rme).
    code: String,
    /// text (for reading) or json (the instrument model).
    #[arg(long, default_value = "text", value_name = "text|json")]
    format: String,
    /// Version number (1, 2, …); the latest when omitted.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..))]
    version: Option<i64>,
    /// Write here instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    db: DbArgs,
}

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// text or json.
    #[arg(long, default_value = "text", value_name = "text|json")]
    format: String,
    #[command(flatten)]
    db: DbArgs,
}

pub async fn run(cmd: InstrumentCmd, lang: Lang) -> CliResult {
    match cmd {
        InstrumentCmd::Import(a) => import(a, lang).await,
        InstrumentCmd::Export(a) => export(a, lang).await,
        InstrumentCmd::Show(a) => show(a, lang).await,
        InstrumentCmd::List(a) => list(a, lang).await,
    }
}

pub(crate) fn bad_format(lang: Lang, format: &str) -> Failure {
    Failure {
        code: 2,
        lines: vec![t!(lang, "cli-bad-format", format = format.to_owned())],
    }
}

fn check_format(lang: Lang, format: &str, allowed: &[&str]) -> CliResult {
    if allowed.contains(&format) {
        Ok(())
    } else {
        Err(bad_format(lang, format))
    }
}

/// Binary output never goes to a terminal: it would only garble the screen.
pub(crate) fn refuse_binary_on_terminal(
    lang: Lang,
    format: &str,
    output: &Option<PathBuf>,
) -> CliResult {
    if output.is_none() && std::io::stdout().is_terminal() {
        return Err(Failure {
            code: 2,
            lines: vec![t!(
                lang,
                "cli-binary-to-terminal",
                format = format.to_owned()
            )],
        });
    }
    Ok(())
}

/// After writing to `-o FILE`, say so on standard error.
pub(crate) fn announce(lang: Lang, output: &Option<PathBuf>) {
    if let Some(p) = output {
        eprintln!("{}", t!(lang, "cli-wrote", file = p.display().to_string()));
    }
}

fn form_failure(lang: Lang, errors: Vec<FormError>) -> Failure {
    let mut lines = trama_tabular::report::capped(&errors, 0, lang, |e| e.render(lang));
    lines.push(super::import::refused(lang, errors.len() as u64));
    Failure::input(lines)
}

async fn import(args: ImportArgs, lang: Lang) -> CliResult {
    check_format(lang, &args.format, &["text", "json"])?;
    let (name, bytes) = read_file(lang, &args.file)?;
    let mut instrument =
        trama_instrument::read_form(&name, &bytes).map_err(|errors| form_failure(lang, errors))?;
    if let Some(code) = &args.code {
        if !trama_instrument::is_valid_name(code) {
            return Err(Failure::input(vec![format!(
                "--code: \"{code}\" {}",
                t!(lang, "instrument-invalid-name")
            )]));
        }
        instrument.form_id = code.clone();
    }
    let store = args.db.open(lang).await?;
    let result = if args.dry_run {
        would_save(&store, &instrument).await
    } else {
        store.save_instrument(&instrument).await
    };
    let (version, new) = result.map_err(|e| Failure::store(lang, e))?;
    store.close().await;
    let text = match (new, args.dry_run) {
        (true, false) => t!(
            lang,
            "cli-instrument-saved",
            code = version.code.clone(),
            number = version.number
        ),
        (true, true) => t!(
            lang,
            "cli-instrument-would-save",
            code = version.code.clone(),
            number = version.number
        ),
        (false, _) => t!(
            lang,
            "cli-instrument-unchanged",
            code = version.code.clone(),
            number = version.number
        ),
    };
    if args.format == "json" {
        let v = serde_json::json!({
            "code": version.code,
            "version": version.number,
            "new": new,
            "dry_run": args.dry_run,
            "fingerprint": version.fingerprint,
            "questions": instrument.questions().len(),
            "rating_items": instrument.rating_items().len(),
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        println!("{text}");
    }
    if args.dry_run {
        eprintln!("{}", t!(lang, "cli-dry-run"));
    }
    Ok(())
}

/// What `save_instrument` would answer, without writing: the version whose
/// content matches, or the number the next version would get.
async fn would_save(
    store: &Store,
    instrument: &Instrument,
) -> Result<(VersionSummary, bool), trama_store::StoreError> {
    let fingerprint = instrument.fingerprint();
    let versions = store.instrument_versions(&instrument.form_id).await?;
    if let Some(same) = versions.iter().find(|v| v.fingerprint == fingerprint) {
        return Ok((same.clone(), false));
    }
    let number = versions.iter().map(|v| v.number).max().unwrap_or(0) + 1;
    Ok((
        VersionSummary {
            id: 0,
            code: instrument.form_id.clone(),
            number,
            label: instrument.version.clone(),
            fingerprint,
            created_at: trama_store::now(),
            title_es: instrument.title_es.clone(),
        },
        true,
    ))
}

/// The stored instrument, or a message naming what does not exist (exit 1).
async fn find(
    store: &Store,
    lang: Lang,
    code: &str,
    number: Option<i64>,
) -> Result<StoredInstrument, Failure> {
    if let Some(found) = store
        .instrument(code, number)
        .await
        .map_err(|e| Failure::store(lang, e))?
    {
        return Ok(found);
    }
    let versions = store
        .instrument_versions(code)
        .await
        .map_err(|e| Failure::store(lang, e))?;
    let line = match (number, versions.last()) {
        (Some(n), Some(latest)) => t!(
            lang,
            "cli-no-such-instrument-version",
            code = code.to_owned(),
            number = n,
            latest = latest.number
        ),
        _ => t!(lang, "cli-no-such-instrument", code = code.to_owned()),
    };
    Err(Failure::input(vec![line]))
}

async fn export(args: ExportArgs, lang: Lang) -> CliResult {
    check_format(lang, &args.format, &["xlsx", "json"])?;
    if args.format == "xlsx" {
        refuse_binary_on_terminal(lang, &args.format, &args.output)?;
    }
    let store = args.db.open(lang).await?;
    let stored = find(&store, lang, &args.code, args.version).await?;
    store.close().await;
    let mut out = vec![];
    let written = if args.format == "xlsx" {
        trama_instrument::write_xlsx(&stored.instrument, &mut out)
    } else {
        trama_instrument::write_json(&stored.instrument, &mut out)
    };
    written.map_err(|e| Failure::env(e.to_string()))?;
    write_output(&args.output, &out)?;
    announce(lang, &args.output);
    Ok(())
}

async fn show(args: ShowArgs, lang: Lang) -> CliResult {
    check_format(lang, &args.format, &["text", "json"])?;
    let store = args.db.open(lang).await?;
    let stored = find(&store, lang, &args.code, args.version).await?;
    let versions = store
        .instrument_versions(&args.code)
        .await
        .map_err(|e| Failure::store(lang, e))?;
    store.close().await;
    let out = if args.format == "json" {
        let mut out = vec![];
        trama_instrument::write_json(&stored.instrument, &mut out)
            .map_err(|e| Failure::env(e.to_string()))?;
        out
    } else {
        describe(lang, &stored, &versions).into_bytes()
    };
    write_output(&args.output, &out)?;
    announce(lang, &args.output);
    Ok(())
}

/// The human-readable view: title, versions, then dimensions →
/// sub-dimensions → items, then the other questions.
fn describe(lang: Lang, stored: &StoredInstrument, versions: &[VersionSummary]) -> String {
    let i = &stored.instrument;
    let mut s = String::new();
    let mut line = |text: String| {
        s.push_str(&text);
        s.push('\n');
    };
    line(format!(
        "{} — {}",
        stored.version.code,
        i.title(lang).trim()
    ));
    line(t!(
        lang,
        "cli-instrument-shown-version",
        number = stored.version.number,
        questions = i.questions().len(),
        ratings = i.rating_items().len()
    ));
    line(String::new());
    line(t!(lang, "cli-instrument-versions"));
    for v in versions {
        let mark = if v.id == stored.version.id { "*" } else { " " };
        let label = if v.label.is_empty() {
            String::new()
        } else {
            format!("  «{}»", v.label)
        };
        line(format!(
            "{mark} {:>3}  {}  {}{label}",
            v.number,
            trama_campaign::response_file::format_time(v.created_at),
            v.fingerprint.get(..12).unwrap_or(&v.fingerprint),
        ));
    }
    let dimensions = i.dimensions();
    let mut listed: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let item_line = |name: &str| -> String {
        match i.item(name) {
            Some(item) => {
                let reverse = if item.reverse {
                    format!(" ({})", t!(lang, "cli-instrument-reverse"))
                } else {
                    String::new()
                };
                format!("{name}  {}{reverse}", item.label(lang))
            }
            None => name.to_owned(),
        }
    };
    for d in &dimensions {
        line(String::new());
        let label = if lang == Lang::En && !d.label_en.is_empty() {
            &d.label_en
        } else {
            &d.label_es
        };
        line(format!("{} — {label}", d.code));
        let mut in_sub: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for sd in &d.subdimensions {
            let label = if lang == Lang::En && !sd.label_en.is_empty() {
                &sd.label_en
            } else {
                &sd.label_es
            };
            line(format!("  {} — {label}", sd.code));
            for name in &sd.items {
                in_sub.insert(name);
                listed.insert(name);
                line(format!("    {}", item_line(name)));
            }
        }
        for name in d.items.iter().filter(|n| !in_sub.contains(n.as_str())) {
            listed.insert(name);
            line(format!("  {}", item_line(name)));
        }
    }
    let others: Vec<_> = i
        .questions()
        .into_iter()
        .filter(|q| !listed.contains(q.name.as_str()))
        .collect();
    if !others.is_empty() {
        line(String::new());
        line(t!(lang, "cli-instrument-other-questions"));
        for q in others {
            line(format!(
                "  {}  [{}]  {}",
                q.name,
                q.kind.xlsform_type(),
                q.label(lang)
            ));
        }
    }
    s
}

async fn list(args: ListArgs, lang: Lang) -> CliResult {
    check_format(lang, &args.format, &["text", "json"])?;
    let store = args.db.open(lang).await?;
    let all = store
        .list_instruments()
        .await
        .map_err(|e| Failure::store(lang, e))?;
    if args.format == "json" {
        store.close().await;
        let rows: Vec<_> = all
            .iter()
            .map(|v| {
                serde_json::json!({
                    "code": v.code,
                    "version": v.number,
                    "label": v.label,
                    "title": v.title_es,
                    "fingerprint": v.fingerprint,
                    "created_at": v.created_at,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "instruments": rows }))
                .unwrap_or_default()
        );
        return Ok(());
    }
    if all.is_empty() {
        eprintln!("{}", t!(lang, "cli-no-instruments"));
    }
    for v in &all {
        let title = match lang {
            Lang::Es => v.title_es.clone(),
            Lang::En => store
                .instrument_version(v.id)
                .await
                .map_err(|e| Failure::store(lang, e))?
                .map(|s| s.instrument.title(lang).to_owned())
                .unwrap_or_else(|| v.title_es.clone()),
        };
        println!("{}\t{}\t{}", v.code, v.number, title.trim());
    }
    store.close().await;
    Ok(())
}
