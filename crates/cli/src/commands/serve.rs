//! `trama serve`: the server, its campaign worker, and the demo on request.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use trama_i18n::{Lang, t};
use trama_web::{AppState, Settings};

use super::db::DbArgs;
use crate::config::Config;
use crate::exit::{CliResult, Failure};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  trama serve --demo\n  TRAMA_DATABASE_URL=postgres://trama@db/trama trama serve --addr 0.0.0.0:8080"
)]
pub struct Args {
    #[command(flatten)]
    db: DbArgs,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", env = "TRAMA_ADDR")]
    addr: SocketAddr,
    /// Load demo data (and demo accounts) into an empty database.
    #[arg(long)]
    demo: bool,
    /// Mark cookies Secure (set this when Trama is served over HTTPS).
    #[arg(long, env = "TRAMA_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Address participants use to reach this server, for links in e-mails
    /// (defaults to http://ADDR).
    #[arg(long, env = "TRAMA_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
    /// Reverse proxies (comma-separated addresses) whose X-Forwarded-For
    /// header names the client; from anyone else the header is ignored.
    #[arg(
        long,
        env = "TRAMA_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "IP"
    )]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Seconds between runs of the campaign worker (mail queue, reminders,
    /// closing campaigns).
    #[arg(long, default_value_t = 30, env = "TRAMA_WORKER_INTERVAL")]
    worker_interval: u64,
    /// The collaboration continuum's rules (TOML, in the shape of the
    /// shipped `rules/continuum.toml`) instead of the shipped ones.
    #[arg(long, env = "TRAMA_CONTINUUM_RULES", value_name = "RULES.toml")]
    continuum_rules: Option<std::path::PathBuf>,
    /// Log format: text or json.
    #[arg(long, default_value = "text", env = "TRAMA_LOG_FORMAT")]
    log_format: String,
    /// Addresses or networks (comma-separated, e.g. 10.0.0.0/8) that may
    /// read /metrics. Default: loopback only.
    #[arg(
        long,
        env = "TRAMA_METRICS_ALLOW",
        value_delimiter = ',',
        value_name = "IP|NET",
        value_parser = parse_net
    )]
    metrics_allow: Vec<ipnet::IpNet>,
    /// A token that lets any address read /metrics (`Authorization: Bearer TOKEN`).
    #[arg(
        long,
        env = "TRAMA_METRICS_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    metrics_token: Option<String>,
}

/// A network (`10.0.0.0/8`) or a single address (`10.0.0.5`).
fn parse_net(s: &str) -> Result<ipnet::IpNet, String> {
    let s = s.trim();
    s.parse::<ipnet::IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("\"{s}\" is not an address or a network (10.0.0.0/8)"))
}

pub async fn run(args: Args, lang: Lang, config: &Config) -> CliResult {
    init_tracing(&args.log_format, config.get("TRAMA_LOG"));
    if let Some(path) = config.path() {
        tracing::info!(file = %path.display(), "settings file read");
    }
    let store = args.db.open(lang).await?;
    tracing::info!(database = %args.db.describe(), "database ready");
    if args.demo {
        // The registry, two closed rounds with answers and ties (so results
        // and network maps have something to show), in one transaction.
        let loaded = store
            .load_demo()
            .await
            .map_err(|e| Failure::store(lang, e))?;
        eprintln!(
            "{}",
            t!(
                lang,
                if loaded {
                    "cli-demo-loaded"
                } else {
                    "cli-demo-present"
                }
            )
        );
        eprintln!(
            "{}",
            t!(
                lang,
                "cli-demo-accounts",
                password = trama_store::demo::DEMO_PASSWORD
            )
        );
        for (email, role, _) in trama_store::demo::DEMO_ACCOUNTS {
            eprintln!(
                "  {email:<32} {}",
                trama_i18n::message(lang, role.label_id(), None)
            );
        }
    }
    // SMTP settings come from TRAMA_SMTP_* variables or the settings file's
    // [smtp]; without a host, messages wait in each campaign's outbox.
    let mail = trama_mail::MailConfig::from_env_map(|var| config.get(var))
        .map_err(|e| Failure::env(e.to_string()))?;
    let mailer: Option<Arc<dyn trama_mail::Mailer>> = match &mail.smtp {
        Some(smtp) => Some(Arc::new(
            trama_mail::SmtpMailer::new(smtp).map_err(|e| Failure::env(e.to_string()))?,
        )),
        None => None,
    };
    let characterising = trama_app::characterisation::Characterising {
        rules: super::characterise::read_rules(lang, args.continuum_rules.as_ref())?,
        ..Default::default()
    };
    let settings = Settings {
        min_group: args.db.min_group(lang)?,
        characterising,
        secure_cookies: args.secure_cookies,
        public_url: args
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", args.addr)),
        smtp: mailer.is_some(),
        trusted_proxies: args.trusted_proxies.clone(),
        metrics: metrics_access(&args),
        ..Default::default()
    };
    let state = AppState::new(store, settings);
    let worker = trama_outreach::Worker {
        store: state.store.clone(),
        outreach: state.outreach(),
        mailer,
        rate_per_hour: mail.rate_per_hour,
        id: trama_outreach::worker::instance_id(),
    };
    match state
        .store
        .take_worker_role()
        .map_err(|e| Failure::store(lang, e))?
    {
        // Every step of the worker is a transaction and reads its work from
        // the database, so stopping it mid-run at shutdown loses nothing.
        Some(role) => {
            tokio::spawn(async move {
                let _role = role;
                worker
                    .run(
                        Duration::from_secs(args.worker_interval.max(1)),
                        std::future::pending(),
                    )
                    .await;
            });
        }
        None => {
            tracing::warn!("campaign worker not started: another process runs it on this database");
            eprintln!("{}", t!(lang, "cli-worker-elsewhere"));
        }
    }
    eprintln!(
        "{}",
        t!(lang, "cli-listening", url = format!("http://{}", args.addr))
    );
    trama_web::serve(state, args.addr)
        .await
        .map_err(|e| Failure::env(e.to_string()))
}

fn metrics_access(args: &Args) -> trama_web::MetricsAccess {
    let mut access = trama_web::MetricsAccess::default();
    if !args.metrics_allow.is_empty() {
        access.allow = args.metrics_allow.clone();
    }
    access.token = args.metrics_token.clone().filter(|t| !t.is_empty());
    access
}

/// `filter` is `TRAMA_LOG` (from the environment or the settings file).
fn init_tracing(format: &str, filter: Option<String>) {
    let filter = filter
        .and_then(|f| tracing_subscriber::EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}
