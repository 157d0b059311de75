//! How a command fails: the exit status and the lines to print, already in
//! the user's language.

use trama_i18n::Lang;
use trama_store::StoreError;

#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub lines: Vec<String>,
}

impl Failure {
    /// Invalid input: a file, a value, a reference (exit 1).
    pub fn input(lines: Vec<String>) -> Self {
        Failure { code: 1, lines }
    }

    /// The environment failed: database, disk, network (exit 3).
    pub fn env(line: String) -> Self {
        Failure {
            code: 3,
            lines: vec![line],
        }
    }

    pub fn store(lang: Lang, e: StoreError) -> Self {
        if e.is_environment() {
            Failure::env(trama_i18n::t!(
                lang,
                "cli-db-unreachable",
                detail = e.to_string()
            ))
        } else {
            match e {
                StoreError::Invalid(p) => Failure::input(
                    p.iter()
                        .map(|f| format!("{}: {}", f.field, f.problem.render(lang)))
                        .collect(),
                ),
                other => Failure::env(other.to_string()),
            }
        }
    }
}

impl Failure {
    /// A use case's refusal: input problems exit 1, a missing record exit
    /// 1, the environment exit 3.
    pub fn app(lang: Lang, e: trama_app::Error) -> Self {
        use trama_app::Error as E;
        match e {
            E::Store(e) => Failure::store(lang, e),
            E::Invalid(p) => Failure::input(
                p.iter()
                    .map(|f| format!("{}: {}", f.field, f.problem.render(lang)))
                    .collect(),
            ),
            E::Refused(p) => Failure::input(vec![p.render(lang)]),
            E::NotFound | E::Forbidden | E::Unauthenticated => {
                Failure::input(vec![trama_i18n::message(lang, "error-not-found", None)])
            }
            E::Internal(d) => Failure::env(d),
        }
    }

    /// A use case on campaign `code`: a record not found is that campaign.
    pub fn on_campaign(lang: Lang, code: &str, e: trama_app::Error) -> Self {
        match e {
            trama_app::Error::NotFound => Failure::input(vec![trama_i18n::t!(
                lang,
                "cli-no-such-campaign",
                code = code.to_owned()
            )]),
            other => Failure::app(lang, other),
        }
    }
}

pub type CliResult = Result<(), Failure>;
