//! `trama`: the server and the command-line tools, one binary.
//!
//! Exit status: 0 success; 1 invalid input; 2 wrong usage; 3 environment
//! (database unreachable, disk). Messages go to standard error in the user's
//! language; results go to standard output or `-o FILE`.

mod commands;
mod config;
mod exit;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use trama_i18n::Lang;

use crate::exit::Failure;

#[derive(Parser)]
#[command(
    name = "trama",
    version,
    about = "Trama: monitoring of school improvement networks (Redes de Mejoramiento Escolar)",
    long_about = "Trama keeps the registry of school improvement networks, runs their monitoring \
questionnaire and reports results. `trama serve --demo` starts the server with demo data.",
    after_help = "Examples:\n  trama serve --demo\n  trama import schools directorio.csv --dry-run\n  trama user add --email ana@mineduc.cl --role regional_coordinator --scope VIII"
)]
struct Cli {
    /// Language of messages: es (default) or en. Defaults to LANG.
    #[arg(long, global = true, value_name = "es|en")]
    lang: Option<String>,
    /// Settings file (TOML; see README "Configuration"). Flags and TRAMA_*
    /// variables override what it says.
    #[arg(long, global = true, value_name = "trama.toml", env = config::ENV_CONFIG)]
    config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (pages, API, OpenAPI docs).
    Serve(commands::serve::Args),
    /// Import registry files (MINEDUC Directorio, network memberships, people).
    #[command(subcommand)]
    Import(commands::import::Import),
    /// Manage accounts.
    #[command(subcommand)]
    User(commands::user::User),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(commands::user::Token),
    /// Generate synthetic registry files for tests and benchmarks.
    Generate(commands::generate::Args),
    /// Results computed from files (no database), and report PDFs.
    #[command(subcommand)]
    Report(commands::report::Report),
    /// Statistics of an instrument's scales computed from files (no database): reliability.
    #[command(subcommand)]
    Stats(commands::stats::Stats),
    /// Measure Trama's speed on this machine.
    #[command(subcommand)]
    Bench(commands::bench::Bench),
    /// Questionnaires (XLSForm): import new versions, export, show, list.
    #[command(subcommand)]
    Instrument(commands::instrument::InstrumentCmd),
    /// A campaign's responses: export the response file, import answers gathered elsewhere.
    #[command(subcommand)]
    Responses(commands::responses::Responses),
    /// A campaign's kept results counts: rebuild them from the answers.
    #[command(subcommand)]
    Results(commands::results::Results),
    /// Social network analysis of edge and node lists (no database).
    #[command(subcommand)]
    Sna(commands::sna::Sna),
    /// What kind of network it is, from edge and node lists (no database):
    /// process typology, collaboration continuum with its rules, system leaders.
    Characterise(commands::characterise::Args),
    /// Networks' session logs: import from a spreadsheet, export a year.
    #[command(subcommand)]
    Sessions(commands::sessions::Sessions),
    /// Disclosure control: audit what a reader can work out from a campaign's results.
    #[command(subcommand)]
    Disclosure(commands::disclosure::Disclosure),
    /// A consistent copy of the database, taken while the server runs.
    Backup(commands::maintenance::BackupArgs),
    /// Put a copy made by `trama backup` into an empty database.
    Restore(commands::maintenance::RestoreArgs),
    /// The database itself: check its integrity, migrations and references.
    #[command(subcommand)]
    Db(commands::maintenance::DbCmd),
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let config =
        match config::Config::locate(&args, Lang::from_cli(config::flag_value(&args, "--lang"))) {
            Ok(c) => c,
            Err(Failure { code, lines }) => {
                for l in lines {
                    eprintln!("{l}");
                }
                return ExitCode::from(code);
            }
        };
    let parsed = config
        .apply(Cli::command())
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    let lang = Lang::from_cli(cli.lang.as_deref());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(3);
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve(a) => commands::serve::run(a, lang, &config).await,
            Command::Import(i) => commands::import::run(i, lang).await,
            Command::User(u) => commands::user::run_user(u, lang).await,
            Command::Token(t) => commands::user::run_token(t, lang).await,
            Command::Generate(g) => commands::generate::run(g, lang),
            Command::Report(r) => commands::report::run(r, lang).await,
            Command::Stats(s) => commands::stats::run(s, lang),
            Command::Bench(b) => commands::bench::run(b, lang).await,
            Command::Instrument(i) => commands::instrument::run(i, lang).await,
            Command::Responses(r) => commands::responses::run(r, lang).await,
            Command::Results(r) => commands::results::run(r, lang).await,
            Command::Sna(s) => commands::sna::run(s, lang),
            Command::Characterise(a) => commands::characterise::run(a, lang),
            Command::Sessions(s) => commands::sessions::run(s, lang).await,
            Command::Disclosure(d) => commands::disclosure::run(d, lang).await,
            Command::Backup(a) => commands::maintenance::backup(a, lang).await,
            Command::Restore(a) => commands::maintenance::restore(a, lang).await,
            Command::Db(d) => commands::maintenance::db(d, lang).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure { code, lines }) => {
            for l in lines {
                eprintln!("{l}");
            }
            ExitCode::from(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example settings file shipped for operators, every key set: it
    /// parses, and as the flags' defaults it passes clap's own checks and
    /// reaches the server's arguments.
    #[test]
    fn the_shipped_settings_file_configures_every_command() {
        let file = include_str!("../../../deploy/trama.toml");
        let config = config::Config::parse(file).unwrap_or_else(|p| panic!("{p:?}"));
        let command = config.apply(Cli::command());
        command.clone().debug_assert();
        let matches = command
            .try_get_matches_from(["trama", "serve"])
            .unwrap_or_else(|e| panic!("{e}"));
        let serve = matches
            .subcommand_matches("serve")
            .unwrap_or_else(|| panic!("serve"));
        let unless_set =
            |var: &str, value: &str| std::env::var_os(var).is_none().then(|| value.to_owned());
        if let Some(expected) = unless_set("TRAMA_ADDR", "0.0.0.0:8080") {
            let addr = serve
                .get_one::<std::net::SocketAddr>("addr")
                .map(|a| a.to_string());
            assert_eq!(addr.as_deref(), Some(expected.as_str()));
        }
        if unless_set("TRAMA_SECURE_COOKIES", "true").is_some() {
            assert_eq!(serve.get_one::<bool>("secure_cookies"), Some(&true));
        }
        if unless_set("TRAMA_TRUSTED_PROXIES", "").is_some() {
            let proxies: Vec<String> = serve
                .get_many::<std::net::IpAddr>("trusted_proxies")
                .into_iter()
                .flatten()
                .map(|a| a.to_string())
                .collect();
            assert_eq!(proxies, ["10.0.0.10"]);
        }
        assert!(
            config.get("TRAMA_SMTP_HOST").is_some(),
            "the [smtp] section reaches the mail settings"
        );
    }
}
