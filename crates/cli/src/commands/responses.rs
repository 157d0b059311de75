//! `trama responses …`: a campaign's response file out (CSV or Excel) and
//! responses gathered elsewhere (paper, another tool) in, all or nothing.
//!
//! The file is `response_id,region,deprov,network,role,submitted_at,` then
//! one column per question of the campaign's pinned instrument version. It
//! never names a person.

use std::path::PathBuf;

use trama_export::Format;
use trama_i18n::{Lang, t};
use trama_store::campaigns::lifecycle::Campaign;
use trama_store::campaigns::reports::ResponsePages;
use trama_store::{RowProblem, Store, StoreError};
use trama_tabular::CellError;

use super::db::DbArgs;
use super::instrument::{announce, bad_format, refuse_binary_on_terminal};
use super::report::{read_file, write_output};
use crate::exit::{CliResult, Failure};

#[derive(clap::Subcommand, Debug)]
pub enum Responses {
    /// Write a campaign's responses, one row per response, no identity.
    #[command(
        after_help = "Examples:\n  trama responses export rme-2026 --format csv -o respuestas.csv\n  trama responses export rme-2026 --format xlsx --include-partial -o respuestas.xlsx\n  trama responses export rme-2026 --format sav -o respuestas.sav"
    )]
    Export(ExportArgs),
    /// Load responses gathered elsewhere into a campaign (all or nothing).
    #[command(
        after_help = "Examples:\n  trama responses import rme-2026 papel.csv --dry-run\n  trama responses import rme-2026 papel.csv"
    )]
    Import(ImportArgs),
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Campaign code.
    campaign: String,
    /// csv, xlsx (the response file, which `responses import` reads back) or
    /// sav (SPSS, with variable and value labels; 9 = No aplica, declared missing).
    #[arg(long, default_value = "csv", value_name = "csv|xlsx|sav")]
    format: String,
    /// Also responses not submitted yet (partial answers).
    #[arg(long)]
    include_partial: bool,
    /// The researchers' anonymised file (what the campaign's download
    /// gives) instead of the operator's full detail.
    #[arg(long, conflicts_with = "include_partial")]
    anonymised: bool,
    /// Write here instead of standard output (required for xlsx on a terminal).
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    db: DbArgs,
}

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Campaign code.
    campaign: String,
    /// The response file (CSV: response_id,region,deprov,network,role,submitted_at,items…).
    file: PathBuf,
    /// Check every row against the instrument and the registry, without writing.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    db: DbArgs,
}

pub async fn run(cmd: Responses, lang: Lang) -> CliResult {
    match cmd {
        Responses::Export(a) => export(a, lang).await,
        Responses::Import(a) => import(a, lang).await,
    }
}

/// The campaign of `code`, or a message saying there is none.
pub(crate) async fn find_campaign(
    store: &Store,
    lang: Lang,
    code: &str,
) -> Result<Campaign, Failure> {
    store
        .campaign(code)
        .await
        .map_err(|e| Failure::store(lang, e))?
        .ok_or_else(|| {
            Failure::input(vec![t!(
                lang,
                "cli-no-such-campaign",
                code = code.to_owned()
            )])
        })
}

/// The campaign and its pinned instrument, or a message naming what is missing.
async fn campaign(
    store: &Store,
    lang: Lang,
    code: &str,
) -> Result<(Campaign, trama_instrument::Instrument), Failure> {
    let c = find_campaign(store, lang, code).await?;
    let stored = store
        .instrument_version(c.instrument_version_id)
        .await
        .map_err(|e| Failure::store(lang, e))?
        .ok_or_else(|| {
            Failure::env(format!(
                "campaign {} pins instrument version id {}, which is missing",
                c.code, c.instrument_version_id
            ))
        })?;
    Ok((c, stored.instrument))
}

/// The responses in `format`, all through trama-export. CSV and XLSX are
/// the response file (every column; `responses import` reads the CSV back,
/// the XLSX adds the codebook sheet); `.sav` has the researchers' codebook,
/// without open answers or submission times, as the web's download.
fn file_codebook(
    instrument: &trama_instrument::Instrument,
    format: Format,
    lang: Lang,
) -> Result<trama_export::Codebook, Failure> {
    let fail = |e: trama_export::ExportError| Failure::env(e.to_string());
    Ok(match format {
        Format::Sav => trama_export::Codebook::from_instrument(instrument, lang),
        Format::Csv | Format::Xlsx => trama_campaign::codebook(instrument, lang),
    }
    .map_err(fail)?
    .with_notes(vec![
        t!(lang, "export-note-na"),
        t!(lang, "export-note-full"),
    ]))
}

/// Writes the campaign's responses a page at a time from the database into
/// the format's writer: memory stays bounded at any number of responses. A
/// named file appears whole or not at all (written aside, then renamed);
/// standard output gets the file once it is complete.
async fn stream_file(
    store: &Store,
    campaign_id: i64,
    include_partial: bool,
    codebook: &trama_export::Codebook,
    format: Format,
    output: &Option<PathBuf>,
    lang: Lang,
) -> Result<u64, Failure> {
    let io = |what: &str, e: std::io::Error| Failure::env(format!("{what}: {e}"));
    let (file, aside) = match output {
        Some(p) => {
            let aside = super::report::aside_name(p);
            let f =
                std::fs::File::create(&aside).map_err(|e| io(&aside.display().to_string(), e))?;
            (f, Some(aside))
        }
        None => (tempfile::tempfile().map_err(|e| io("temp", e))?, None),
    };
    let written = async {
        let mut out = trama_export::Exporter::new(
            format,
            std::io::BufWriter::new(file),
            codebook,
            &trama_export::SavOptions::default(),
        )
        .map_err(|e| Failure::env(e.to_string()))?;
        let mut pages = ResponsePages::new(campaign_id, include_partial);
        while let Some(page) = pages
            .next(store)
            .await
            .map_err(|e| Failure::store(lang, e))?
        {
            for r in &page {
                out.write_row(&codebook.row_by(|name| r.value(name)))
                    .map_err(|e| Failure::env(e.to_string()))?;
            }
        }
        let rows = out.rows();
        let sink = out.finish().map_err(|e| Failure::env(e.to_string()))?;
        let file = sink.into_inner().map_err(|e| io("flush", e.into_error()))?;
        Ok::<_, Failure>((rows, file))
    }
    .await;
    let (rows, mut file) = match written {
        Ok(w) => w,
        Err(e) => {
            if let Some(a) = &aside {
                let _ = std::fs::remove_file(a);
            }
            return Err(e);
        }
    };
    match (output, aside) {
        (Some(p), Some(aside)) => {
            let done = file.sync_all().and_then(|()| std::fs::rename(&aside, p));
            if let Err(e) = done {
                let _ = std::fs::remove_file(&aside);
                return Err(io(&p.display().to_string(), e));
            }
        }
        _ => {
            use std::io::{Seek, SeekFrom};
            file.seek(SeekFrom::Start(0))
                .and_then(|_| std::io::copy(&mut file, &mut std::io::stdout().lock()))
                .map_err(|e| io("stdout", e))?;
        }
    }
    Ok(rows)
}

async fn export(args: ExportArgs, lang: Lang) -> CliResult {
    let format = match args.format.as_str() {
        "csv" => Format::Csv,
        "xlsx" => Format::Xlsx,
        "sav" => Format::Sav,
        other => return Err(bad_format(lang, other)),
    };
    if format != Format::Csv {
        refuse_binary_on_terminal(lang, &args.format, &args.output)?;
    }
    if args.anonymised {
        return export_anonymised(args, format, lang).await;
    }
    let store = args.db.open(lang).await?;
    let (c, instrument) = campaign(&store, lang, &args.campaign).await?;
    let codebook = file_codebook(&instrument, format, lang)?;
    let written = stream_file(
        &store,
        c.id,
        args.include_partial,
        &codebook,
        format,
        &args.output,
        lang,
    )
    .await;
    store.close().await;
    let rows = written?;
    announce(lang, &args.output);
    eprintln!(
        "{}",
        t!(
            lang,
            "cli-responses-exported",
            count = rows as i64,
            campaign = c.code
        )
    );
    eprintln!("{}", t!(lang, "export-note-full"));
    Ok(())
}

async fn export_anonymised(args: ExportArgs, format: Format, lang: Lang) -> CliResult {
    use trama_app::campaigns::{files, find};
    let app = args.db.app(lang).await?;
    let operator = trama_app::Actor::operator();
    let file = match find(&app, &args.campaign).await {
        Ok(c) => files::responses(&app, &operator, &c, format, lang).await,
        Err(e) => Err(e),
    }
    .map_err(|e| Failure::on_campaign(lang, &args.campaign, e))?;
    app.store.close().await;
    write_output(&args.output, &file.bytes)?;
    announce(lang, &args.output);
    eprintln!("{}", files::kept_note(&file.kept, lang));
    Ok(())
}

use super::import::cell_failure;

/// A problem found against the database, rendered like a cell error:
/// `FILE:LINE: COLUMN: "value" problem`.
fn row_error(file: &str, p: RowProblem) -> CellError {
    CellError {
        file: file.to_owned(),
        line: Some(p.line),
        column: Some(p.column.to_owned()),
        position: None,
        value: Some(p.value),
        issue: p.problem.into(),
    }
}

/// Rows handed to the import at once: the file is parsed whole, but its
/// rows become records (and reach the database) a batch at a time.
const IMPORT_BATCH: usize = 1_000;

async fn import(args: ImportArgs, lang: Lang) -> CliResult {
    let (name, bytes) = read_file(lang, &args.file)?;
    let store = args.db.open(lang).await?;
    let (c, instrument) = campaign(&store, lang, &args.campaign).await?;
    let table = trama_tabular::Table::parse(&name, &bytes).map_err(|e| cell_failure(lang, e))?;
    drop(bytes);
    let mut rows = trama_campaign::response_file::ResponseRows::new(&table, &instrument)
        .map_err(|e| cell_failure(lang, e))?;
    let store_failure = |e| Failure::store(lang, e);
    let mut import = store
        .begin_response_import(&c, &instrument, args.dry_run)
        .await
        .map_err(store_failure)?;
    let mut batch = Vec::with_capacity(IMPORT_BATCH);
    loop {
        let next = rows.next();
        let full = batch.len() == IMPORT_BATCH || (next.is_none() && !batch.is_empty());
        // A file with a wrong cell writes nothing: its rows are still read
        // for every problem, but no longer handed on.
        if full && rows.errors.is_empty() {
            import.add(&batch).await.map_err(store_failure)?;
        }
        if full {
            batch.clear();
        }
        match next {
            Some(row) => batch.push(row),
            None => break,
        }
    }
    if !rows.errors.is_empty() {
        return Err(cell_failure(lang, rows.errors));
    }
    let count = match import.finish().await {
        Ok(n) => n,
        Err(StoreError::References(problems)) => {
            return Err(cell_failure(
                lang,
                problems.into_iter().map(|p| row_error(&name, p)).collect(),
            ));
        }
        Err(e) => return Err(Failure::store(lang, e)),
    };
    store.close().await;
    let id = if args.dry_run {
        "cli-responses-checked"
    } else {
        "cli-responses-imported"
    };
    println!(
        "{name}: {}",
        t!(lang, id, count = count, campaign = c.code.clone())
    );
    if args.dry_run {
        eprintln!("{}", t!(lang, "cli-dry-run"));
    }
    Ok(())
}
