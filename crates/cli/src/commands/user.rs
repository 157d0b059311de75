use std::io::Read;

use trama_domain::account::{AccountRole, check_password};
use trama_domain::person::Email;
use trama_domain::territory::RegionCode;
use trama_i18n::{Lang, t};

use super::db::DbArgs;
use crate::exit::{CliResult, Failure};

#[derive(clap::Subcommand, Debug)]
pub enum User {
    /// Create an account (or change its role and scope). Prints a one-time
    /// password unless --password-stdin is given.
    #[command(
        after_help = "Examples:\n  trama user add --email ana@mineduc.cl --role national_coordinator\n  trama user add --email luis@mineduc.cl --role regional_coordinator --scope VIII\n  trama user add --email sofia@mineduc.cl --role supervisor --scope RME1,RME2\n  echo 'una clave larga' | trama user add --email x@y.cl --role researcher --password-stdin"
    )]
    Add {
        #[arg(long)]
        email: String,
        /// national_coordinator, regional_coordinator, supervisor, participant, researcher
        #[arg(long)]
        role: String,
        /// Region (code or numeral) for regional coordinators; network codes
        /// (comma-separated) for supervisors and participants.
        #[arg(long)]
        scope: Option<String>,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(clap::Subcommand, Debug)]
pub enum Token {
    /// Create an API token for an account; the token is printed once.
    #[command(
        after_help = "Example:\n  trama token create --email ana@mineduc.cl --label 'informe mensual'\n  curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8080/api/v1/networks"
    )]
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "cli")]
        label: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

fn input(lang: Lang, field: &str, p: trama_domain::Problem) -> Failure {
    Failure::input(vec![format!("--{field}: {}", p.render(lang))])
}

pub async fn run_user(cmd: User, lang: Lang) -> CliResult {
    let User::Add {
        email,
        role,
        scope,
        password_stdin,
        db,
    } = cmd;
    let email = Email::parse(&email).map_err(|p| input(lang, "email", p))?;
    let role = AccountRole::parse(&role).map_err(|p| input(lang, "role", p))?;
    let (region, networks) = match (role, scope.as_deref()) {
        (AccountRole::RegionalCoordinator, Some(s)) => (
            Some(RegionCode::parse(s).map_err(|p| input(lang, "scope", p))?),
            vec![],
        ),
        (AccountRole::RegionalCoordinator, None) => {
            return Err(input(lang, "scope", trama_domain::Problem::Required));
        }
        (_, Some(s)) => (
            None,
            s.split(',')
                .map(|c| trama_domain::network::NetworkCode::parse(c).map(|c| c.to_string()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|p| input(lang, "scope", p))?,
        ),
        (_, None) => (None, vec![]),
    };
    let (password, generated) = if password_stdin {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Failure::env(e.to_string()))?;
        let p = s.trim_end_matches(['\n', '\r']).to_owned();
        check_password(&p).map_err(|p| input(lang, "password-stdin", p))?;
        (p, false)
    } else {
        (trama_store::accounts::new_secret()[..20].to_owned(), true)
    };
    let store = db.open(lang).await?;
    let id = store
        .upsert_user(&email, role, region, &networks, Some(&password))
        .await
        .map_err(|e| Failure::store(lang, e))?;
    store
        .audit(None, "user.add", email.as_str())
        .await
        .map_err(|e| Failure::store(lang, e))?;
    eprintln!(
        "{}",
        t!(lang, "cli-user-saved", email = email.to_string(), id = id)
    );
    if generated {
        eprintln!("{}", t!(lang, "cli-one-time-password"));
        println!("{password}");
    }
    Ok(())
}

pub async fn run_token(cmd: Token, lang: Lang) -> CliResult {
    let Token::Create { email, label, db } = cmd;
    let store = db.open(lang).await?;
    let user = store
        .user_by_email(&email)
        .await
        .map_err(|e| Failure::store(lang, e))?
        .ok_or_else(|| Failure::input(vec![t!(lang, "cli-no-such-user", email = email.clone())]))?;
    let token = store
        .create_api_token(user.id, &label)
        .await
        .map_err(|e| Failure::store(lang, e))?;
    eprintln!("{}", t!(lang, "cli-token-created", email = user.email));
    println!("{token}");
    Ok(())
}
