//! The vocabulary of school improvement networks, free of I/O.
//!
//! Everything here is plain data and rules: what a valid RBD is, which regions
//! exist, what a role may do. Storage, web and CLI crates depend on this one,
//! never the other way round.

pub mod account;
pub mod network;
pub mod person;
pub mod policy;
pub mod problem;
pub mod school;
pub mod span;
pub mod territory;
pub mod text;

pub use problem::Problem;

/// Folds text for search: lower case, accents removed, spaces collapsed, so
/// that "concepcion" finds "CONCEPCIÓN" on every database backend.
pub fn search_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn search_key_folds_case_accents_and_spaces() {
        assert_eq!(
            super::search_key("  Liceo  CONCEPCIÓN Ñuñoa "),
            "liceo concepcion nunoa"
        );
    }
}
