//! The six process foci of the roster question and the study's three kinds
//! of processes they belong to.

use serde::Serialize;

/// What members of a network do together (the roster's codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Focus {
    /// Transmitting information.
    Information,
    /// Training.
    Training,
    /// Sharing practices.
    Practices,
    /// Sharing learnings.
    Learnings,
    /// Obtaining resources jointly.
    Resources,
    /// Joint socio-educational projects.
    Projects,
}

impl Focus {
    /// In the study's order: informative, collaborative, cooperative.
    pub const ALL: [Focus; 6] = [
        Focus::Information,
        Focus::Training,
        Focus::Practices,
        Focus::Learnings,
        Focus::Resources,
        Focus::Projects,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Focus::Information => "information",
            Focus::Training => "training",
            Focus::Practices => "practices",
            Focus::Learnings => "learnings",
            Focus::Resources => "resources",
            Focus::Projects => "projects",
        }
    }

    pub fn parse(code: &str) -> Option<Focus> {
        Focus::ALL.into_iter().find(|f| f.code() == code.trim())
    }

    pub fn process_type(self) -> ProcessType {
        match self {
            Focus::Information | Focus::Training => ProcessType::Informative,
            Focus::Practices | Focus::Learnings => ProcessType::Collaborative,
            Focus::Resources | Focus::Projects => ProcessType::Cooperative,
        }
    }
}

/// The study's three kinds of processes, from transmitting to building
/// together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProcessType {
    Informative,
    Collaborative,
    Cooperative,
}

impl ProcessType {
    pub const ALL: [ProcessType; 3] = [
        ProcessType::Informative,
        ProcessType::Collaborative,
        ProcessType::Cooperative,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProcessType::Informative => "informative",
            ProcessType::Collaborative => "collaborative",
            ProcessType::Cooperative => "cooperative",
        }
    }

    pub fn foci(self) -> [Focus; 2] {
        match self {
            ProcessType::Informative => [Focus::Information, Focus::Training],
            ProcessType::Collaborative => [Focus::Practices, Focus::Learnings],
            ProcessType::Cooperative => [Focus::Resources, Focus::Projects],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_focus_round_trips_and_belongs_to_the_type_that_lists_it() {
        for f in Focus::ALL {
            assert_eq!(Focus::parse(f.code()), Some(f));
            assert!(f.process_type().foci().contains(&f));
        }
        assert_eq!(Focus::parse("gossip"), None);
        assert_eq!(Focus::parse(" projects "), Some(Focus::Projects));
    }
}
