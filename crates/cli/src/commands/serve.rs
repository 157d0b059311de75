use std::net::SocketAddr;

use trama_i18n::{Lang, t};
use trama_web::{AppState, Settings};

use super::db::DbArgs;
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
    /// Log format: text or json.
    #[arg(long, default_value = "text", env = "TRAMA_LOG_FORMAT")]
    log_format: String,
}

pub async fn run(args: Args, lang: Lang) -> CliResult {
    init_tracing(&args.log_format);
    let store = args.db.open(lang).await?;
    tracing::info!(database = %args.db.describe(), "database ready");
    if args.demo {
        let loaded = store
            .seed_demo()
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
    let settings = Settings {
        secure_cookies: args.secure_cookies,
        ..Default::default()
    };
    eprintln!(
        "{}",
        t!(lang, "cli-listening", url = format!("http://{}", args.addr))
    );
    trama_web::serve(AppState::new(store, settings), args.addr)
        .await
        .map_err(|e| Failure::env(e.to_string()))
}

fn init_tracing(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TRAMA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}
