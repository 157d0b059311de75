//! `trama report pdf`: a campaign's national report, or one region's or
//! network's, as the PDF the results pages offer, read from the database.

use std::path::PathBuf;

use trama_domain::network::NetworkCode;
use trama_domain::territory::RegionCode;
use trama_i18n::{Lang, t};
use trama_web::{AppError, AppState, ReportScope, Settings};

use super::db::DbArgs;
use super::instrument::{announce, refuse_binary_on_terminal};
use super::report::write_output;
use crate::exit::{CliResult, Failure};

#[derive(clap::Args, Debug)]
pub struct PdfArgs {
    /// The campaign's code.
    #[arg(long)]
    campaign: String,
    /// One network's report (its code) instead of the national one.
    #[arg(long, conflicts_with = "region")]
    network: Option<String>,
    /// One region's report (`8` or `VIII`) instead of the national one.
    #[arg(long)]
    region: Option<String>,
    /// Write here instead of standard output.
    #[arg(short = 'o', long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    db: DbArgs,
}

pub async fn run(args: PdfArgs, lang: Lang) -> CliResult {
    refuse_binary_on_terminal(lang, "pdf", &args.output)?;
    let scope = match (&args.network, &args.region) {
        (Some(code), _) => {
            ReportScope::Network(NetworkCode::parse(code).map_err(|_| no_network(lang, code))?)
        }
        (None, Some(region)) => {
            let code = RegionCode::parse(region).map_err(|p| {
                Failure::input(vec![format!("--region: \"{region}\": {}", p.render(lang))])
            })?;
            ReportScope::Region(code.0.to_string())
        }
        (None, None) => ReportScope::National,
    };
    let store = args.db.open(lang).await?;
    let state = AppState::new(store.clone(), Settings::default());
    if store
        .campaign(&args.campaign)
        .await
        .map_err(|e| Failure::store(lang, e))?
        .is_none()
    {
        return Err(Failure::input(vec![t!(
            lang,
            "cli-no-such-campaign",
            code = args.campaign.clone()
        )]));
    }
    if let ReportScope::Network(code) = &scope
        && store
            .network_target(code)
            .await
            .map_err(|e| Failure::store(lang, e))?
            .is_none()
    {
        return Err(no_network(lang, code.as_str()));
    }
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::system())
        .date();
    let bytes = trama_web::report_pdf(&state, &args.campaign, &scope, lang, today)
        .await
        .map_err(|e| match e {
            AppError::Internal(detail) => Failure::env(detail),
            other => Failure::env(other.to_string()),
        })?;
    store.close().await;
    write_output(&args.output, &bytes)?;
    announce(lang, &args.output);
    Ok(())
}

fn no_network(lang: Lang, code: &str) -> Failure {
    Failure::input(vec![t!(
        lang,
        "cli-no-such-network",
        code = code.to_owned()
    )])
}
