//! `trama user add` and `trama token create`: accounts and API tokens, as
//! the operator gives them.

use std::io::Read;

use trama_app::Actor;
use trama_app::accounts;
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

/// A refused account or token, in the terms of the command's flags.
fn refused(lang: Lang, e: trama_app::Error) -> Failure {
    match e {
        trama_app::Error::Invalid(problems) => Failure::input(
            problems
                .iter()
                .map(|p| format!("--{}: {}", p.field, p.problem.render(lang)))
                .collect(),
        ),
        other => Failure::app(lang, other),
    }
}

pub async fn run_user(cmd: User, lang: Lang) -> CliResult {
    let User::Add {
        email,
        role,
        scope,
        password_stdin,
        db,
    } = cmd;
    let (password, generated) = if password_stdin {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Failure::env(e.to_string()))?;
        (s.trim_end_matches(['\n', '\r']).to_owned(), false)
    } else {
        (trama_store::accounts::new_secret()[..20].to_owned(), true)
    };
    let app = db.app(lang).await?;
    let account = accounts::AccountInput {
        email: email.clone(),
        role,
        scope,
        password: password.clone(),
    };
    let id = accounts::save_account(&app, &Actor::operator(), &account)
        .await
        .map_err(|e| match e {
            // The password comes from standard input: name it as the flag.
            trama_app::Error::Invalid(mut p) => {
                for f in &mut p {
                    if f.field == "password" {
                        f.field = "password-stdin".into();
                    }
                }
                refused(lang, trama_app::Error::Invalid(p))
            }
            e => refused(lang, e),
        })?;
    eprintln!(
        "{}",
        t!(
            lang,
            "cli-user-saved",
            email = email.trim().to_lowercase(),
            id = id
        )
    );
    if generated {
        eprintln!("{}", t!(lang, "cli-one-time-password"));
        println!("{password}");
    }
    Ok(())
}

pub async fn run_token(cmd: Token, lang: Lang) -> CliResult {
    let Token::Create { email, label, db } = cmd;
    let app = db.app(lang).await?;
    let (user, token) = accounts::create_token(&app, &Actor::operator(), &email, &label)
        .await
        .map_err(|e| match e {
            trama_app::Error::NotFound => {
                Failure::input(vec![t!(lang, "cli-no-such-user", email = email.clone())])
            }
            e => refused(lang, e),
        })?;
    eprintln!("{}", t!(lang, "cli-token-created", email = user.email));
    println!("{token}");
    Ok(())
}
