//! Accounts: who may sign in, with which role and over which part of the country.

use serde::{Deserialize, Serialize};

use crate::Problem;

/// An account's role. Each role sees a scope: national coordinators the whole
/// country, regional coordinators one region, supervisors their networks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountRole {
    NationalCoordinator,
    RegionalCoordinator,
    Supervisor,
    Participant,
    Researcher,
}

impl AccountRole {
    pub const ALL: [AccountRole; 5] = [
        AccountRole::NationalCoordinator,
        AccountRole::RegionalCoordinator,
        AccountRole::Supervisor,
        AccountRole::Participant,
        AccountRole::Researcher,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountRole::NationalCoordinator => "national_coordinator",
            AccountRole::RegionalCoordinator => "regional_coordinator",
            AccountRole::Supervisor => "supervisor",
            AccountRole::Participant => "participant",
            AccountRole::Researcher => "researcher",
        }
    }

    pub fn parse(s: &str) -> Result<AccountRole, Problem> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or(Problem::UnknownRole)
    }

    pub fn label_id(self) -> &'static str {
        match self {
            AccountRole::NationalCoordinator => "account-role-national_coordinator",
            AccountRole::RegionalCoordinator => "account-role-regional_coordinator",
            AccountRole::Supervisor => "account-role-supervisor",
            AccountRole::Participant => "account-role-participant",
            AccountRole::Researcher => "account-role-researcher",
        }
    }

    /// Whether this role is only meaningful with a scope (`--scope`).
    pub fn needs_region(self) -> bool {
        matches!(self, AccountRole::RegionalCoordinator)
    }

    /// Whether the role's reach is a set of networks (those the account
    /// names, or those the person with the same e-mail works in).
    pub fn works_in_networks(self) -> bool {
        matches!(self, AccountRole::Supervisor | AccountRole::Participant)
    }
}

/// Password rules: long enough to resist guessing, short enough for argon2 to
/// stay cheap. No composition rules (NIST SP 800-63B).
pub fn check_password(p: &str) -> Result<(), Problem> {
    let n = p.chars().count();
    if n < 10 {
        return Err(Problem::OutOfRange { min: 10, max: 128 });
    }
    if n > 128 {
        return Err(Problem::TooLong { max: 128 });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for r in AccountRole::ALL {
            assert_eq!(AccountRole::parse(r.as_str()), Ok(r));
        }
        assert_eq!(
            AccountRole::parse("regional-coordinator"),
            Ok(AccountRole::RegionalCoordinator)
        );
        assert_eq!(AccountRole::parse("admin"), Err(Problem::UnknownRole));
    }

    #[test]
    fn password_length() {
        assert!(check_password("short").is_err());
        assert!(check_password("correct horse battery").is_ok());
        assert!(check_password(&"x".repeat(129)).is_err());
    }
}
