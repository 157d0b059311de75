//! `trama results …`: the results counts a campaign keeps as its responses
//! change (what every results page, PDF and API figure is read from).

use serde_json::json;
use trama_i18n::{Lang, t};

use super::db::DbArgs;
use crate::exit::{CliResult, Failure};

#[derive(clap::Subcommand, Debug)]
pub enum Results {
    /// Recount a campaign's results from its answers, replacing the kept counts.
    #[command(
        long_about = "Recount a campaign's results from its answers, replacing the counts kept as \
responses are submitted, edited and imported, in one transaction. Prints how many valid \
respondents and groups (region × DEPROV × network × role) it counted, and in how many groups \
the kept counts differed from the recount: 0 means they were exact.",
        after_help = "Examples:\n  trama results rebuild --campaign rme-2026\n  trama results rebuild --campaign rme-2026 --format json"
    )]
    Rebuild(RebuildArgs),
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    Text,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct RebuildArgs {
    /// Campaign code.
    #[arg(long, value_name = "CODE")]
    campaign: String,
    /// text (a sentence on standard error) or json (on standard output).
    #[arg(long, value_enum, default_value = "text")]
    format: Output,
    #[command(flatten)]
    db: DbArgs,
}

pub async fn run(cmd: Results, lang: Lang) -> CliResult {
    match cmd {
        Results::Rebuild(a) => rebuild(a, lang).await,
    }
}

async fn rebuild(args: RebuildArgs, lang: Lang) -> CliResult {
    let store = args.db.open(lang).await?;
    let c = super::responses::find_campaign(&store, lang, &args.campaign).await?;
    let done = store
        .rebuild_results(c.id)
        .await
        .map_err(|e| Failure::store(lang, e))?;
    store.close().await;
    match args.format {
        Output::Json => println!(
            "{}",
            json!({
                "campaign": c.code,
                "version": done.version,
                "respondents": done.respondents,
                "groups": done.atoms,
                "differing_groups": done.differing_atoms,
            })
        ),
        Output::Text => {}
    }
    eprintln!(
        "{}",
        t!(
            lang,
            "cli-results-rebuilt",
            campaign = c.code,
            respondents = done.respondents,
            groups = done.atoms as i64,
            differing = done.differing_atoms as i64
        )
    );
    Ok(())
}
