//! People and the roles they hold in schools and networks.

use serde::{Deserialize, Serialize};

use crate::Problem;

/// What a person does in the network. Stored and exchanged as the snake_case
/// code; shown through the translation files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Director,
    JefeUtp,
    Docente,
    Sostenedor,
    Supervisor,
    Other,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Director,
        Role::JefeUtp,
        Role::Docente,
        Role::Sostenedor,
        Role::Supervisor,
        Role::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Director => "director",
            Role::JefeUtp => "jefe_utp",
            Role::Docente => "docente",
            Role::Sostenedor => "sostenedor",
            Role::Supervisor => "supervisor",
            Role::Other => "other",
        }
    }

    /// Accepts the code and the common Spanish spellings used in spreadsheets.
    pub fn parse(s: &str) -> Result<Role, Problem> {
        let norm: String = s
            .trim()
            .to_lowercase()
            .chars()
            .map(|c| match c {
                'á' => 'a',
                'é' => 'e',
                'í' => 'i',
                'ó' => 'o',
                'ú' => 'u',
                ' ' | '-' | '/' => '_',
                c => c,
            })
            .collect();
        match norm.as_str() {
            "" => Err(Problem::Required),
            "director" | "directora" | "director_a" => Ok(Role::Director),
            "jefe_utp" | "jefa_utp" | "jefe_a_utp" | "utp" => Ok(Role::JefeUtp),
            "docente" | "profesor" | "profesora" | "teacher" => Ok(Role::Docente),
            "sostenedor" | "sostenedora" | "representante_sostenedor" => Ok(Role::Sostenedor),
            "supervisor" | "supervisora" | "supervisor_a" => Ok(Role::Supervisor),
            "other" | "otro" | "otra" => Ok(Role::Other),
            _ => Err(Problem::UnknownRole),
        }
    }

    /// Supervisors belong to a network (they work for the DEPROV); everyone
    /// else belongs to a school.
    pub fn is_network_level(self) -> bool {
        matches!(self, Role::Supervisor)
    }

    pub fn label_id(self) -> &'static str {
        match self {
            Role::Director => "role-director",
            Role::JefeUtp => "role-jefe_utp",
            Role::Docente => "role-docente",
            Role::Sostenedor => "role-sostenedor",
            Role::Supervisor => "role-supervisor",
            Role::Other => "role-other",
        }
    }
}

/// A normalised email address (trimmed, lower-case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    /// A pragmatic check (one `@`, a dotted domain, no spaces); deliverability
    /// is proven by the invitation, not by a regex.
    pub fn parse(s: &str) -> Result<Email, Problem> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Problem::Required);
        }
        if s.len() > Self::MAX_LEN {
            return Err(Problem::TooLong { max: Self::MAX_LEN });
        }
        // A NUL or escape would pass the checks below and reach mail headers.
        crate::text::line(s)?;
        let Some((local, domain)) = s.split_once('@') else {
            return Err(Problem::InvalidEmail);
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && !local
                .chars()
                .any(|c| c.is_whitespace() || c == '@' || c == ',' || c == ';');
        if domain_ok && local_ok {
            Ok(Email(s.to_lowercase()))
        } else {
            Err(Problem::InvalidEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_from_spreadsheet_spellings() {
        assert_eq!(Role::parse("Directora"), Ok(Role::Director));
        assert_eq!(Role::parse("Jefa UTP"), Ok(Role::JefeUtp));
        assert_eq!(Role::parse("jefe_utp"), Ok(Role::JefeUtp));
        assert_eq!(Role::parse("Supervisora"), Ok(Role::Supervisor));
        assert_eq!(Role::parse("rector"), Err(Problem::UnknownRole));
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
        }
    }

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse(" Ana.Perez@Mineduc.CL ").map(|e| e.0),
            Ok("ana.perez@mineduc.cl".into())
        );
        for bad in [
            "ana",
            "ana@",
            "@x.cl",
            "ana@cl",
            "a b@x.cl",
            "ana@x..cl",
            "ana@.x.cl",
        ] {
            assert_eq!(Email::parse(bad), Err(Problem::InvalidEmail), "{bad}");
        }
    }
}
