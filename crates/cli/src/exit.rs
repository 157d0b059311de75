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

pub type CliResult = Result<(), Failure>;
