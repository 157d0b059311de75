//! `trama disclosure audit`: everything one reader can obtain of a
//! campaign's results, combined against every group below the anonymity
//! threshold. Exit status 1 when any group is recoverable.

use std::path::PathBuf;

use trama_app::Actor;
use trama_domain::account::AccountRole;
use trama_domain::network::NetworkCode;
use trama_domain::territory::RegionCode;
use trama_i18n::{Lang, t};
use trama_results::disclosure::audit::Audit;

use super::db::DbArgs;
use super::report::{json_bytes, write_output};
use crate::exit::{CliResult, Failure};

#[derive(clap::Subcommand, Debug)]
pub enum Disclosure {
    /// Try to recover every group below K from all a reader can obtain.
    #[command(
        after_help = "Example:\n  trama disclosure audit --campaign RME-2026 --as regional_coordinator --scope 5 --format text"
    )]
    Audit(AuditArgs),
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum AuditFormat {
    Json,
    Text,
}

#[derive(clap::Args, Debug)]
pub struct AuditArgs {
    /// The campaign's code.
    #[arg(long)]
    campaign: String,
    /// The reader to audit as: national_coordinator, regional_coordinator,
    /// supervisor, participant or researcher (default: national_coordinator).
    #[arg(long = "as", value_name = "ROLE")]
    role: Option<String>,
    /// The reader's region (a regional coordinator's: `5` or `V`) or network
    /// (a supervisor's or participant's: its code).
    #[arg(long, value_name = "CODE")]
    scope: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: AuditFormat,
    /// Write here instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    db: DbArgs,
}

pub async fn run(cmd: Disclosure, lang: Lang) -> CliResult {
    let Disclosure::Audit(args) = cmd;
    let role = match &args.role {
        Some(r) => AccountRole::parse(r).map_err(|p| Failure {
            code: 2,
            lines: vec![format!("--as: \"{r}\": {}", p.render(lang))],
        })?,
        None => Actor::operator().role,
    };
    let app = args.db.app(lang).await?;
    let mut reader = Actor {
        user_id: 0,
        role,
        region: None,
        networks: vec![],
    };
    if let Some(scope) = &args.scope {
        if let Ok(region) = RegionCode::parse(scope) {
            reader.region = Some(region);
        } else {
            let id = match NetworkCode::parse(scope) {
                Ok(code) => app
                    .store
                    .network_id(&code)
                    .await
                    .map_err(|e| Failure::env(e.to_string()))?,
                Err(_) => None,
            };
            let id = id.ok_or_else(|| {
                Failure::input(vec![t!(lang, "cli-no-such-network", code = scope.clone())])
            })?;
            reader.networks = vec![id];
        }
    }
    let found = trama_app::results::audit::audit(&app, &reader, &args.campaign)
        .await
        .map_err(|e| Failure::on_campaign(lang, &args.campaign, e))?;
    app.store.close().await;
    let bytes = match args.format {
        AuditFormat::Json => json_bytes(&found)?,
        AuditFormat::Text => text(&found, lang).into_bytes(),
    };
    write_output(&args.output, &bytes)?;
    if found.recoverable.is_empty() {
        Ok(())
    } else {
        Err(Failure::input(vec![t!(
            lang,
            "cli-disclosure-recoverable",
            n = found.recoverable.len() as i64
        )]))
    }
}

fn text(a: &Audit, lang: Lang) -> String {
    let mut out = t!(
        lang,
        "cli-disclosure-summary",
        k = a.k as i64,
        published = a.published_cells as i64,
        suppressed = a.suppressed_cells as i64,
        tried = a.targets_tried as i64,
        found = a.recoverable.len() as i64
    );
    out.push('\n');
    for r in &a.recoverable {
        out.push_str(&format!("{} (n = {})\n", r.group, r.n_respondents));
        for by in &r.revealed_by {
            out.push_str(&format!("  {by}\n"));
        }
    }
    out
}
