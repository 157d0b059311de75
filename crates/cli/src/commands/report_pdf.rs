//! `trama report pdf`: a campaign's national report, or one region's or
//! network's, as the PDF the results pages offer, read from the database.

use std::path::PathBuf;

use trama_app::Actor;
use trama_app::results::{self, ReportScope};
use trama_domain::network::NetworkCode;
use trama_domain::territory::RegionCode;
use trama_i18n::{Lang, t};

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
        (None, Some(region)) => ReportScope::Region(RegionCode::parse(region).map_err(|p| {
            Failure::input(vec![format!("--region: \"{region}\": {}", p.render(lang))])
        })?),
        (None, None) => ReportScope::National,
    };
    let app = args.db.app(lang).await?;
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::system())
        .date();
    let bytes = results::pdf(
        &app,
        &Actor::operator(),
        &args.campaign,
        &scope,
        lang,
        today,
    )
    .await
    .map_err(|e| match (e, &scope) {
        // The one thing the operator can get wrong: a code that names
        // nothing (or a network or region the campaign does not cover).
        (trama_app::Error::NotFound, ReportScope::Network(code)) => no_network(lang, code.as_str()),
        (other, _) => Failure::on_campaign(lang, &args.campaign, other),
    })?;
    app.store.close().await;
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
