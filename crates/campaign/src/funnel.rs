//! The response funnel: invited → opened → started → complete → valid, counted
//! per group while a campaign is open.
//!
//! Counting happens here, from one fact row per invitation, so the same rules
//! serve the page, the CSV export and the tests whatever the database.

use std::collections::BTreeMap;

use serde::Serialize;

/// What one invitation has reached so far, with the groups it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationFacts {
    pub region: String,
    pub deprov: String,
    pub network: String,
    pub role: String,
    pub opened: bool,
    pub started: bool,
    pub complete: bool,
    pub valid: bool,
    /// How many invitations share these facts (the store counts them
    /// grouped, so a round of 25,000 invitations is a few hundred rows).
    pub invitations: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    Total,
    Region,
    Deprov,
    Network,
    Role,
}

impl Grouping {
    pub const ALL: [Grouping; 5] = [
        Grouping::Total,
        Grouping::Region,
        Grouping::Deprov,
        Grouping::Network,
        Grouping::Role,
    ];

    pub fn parse(s: &str) -> Option<Grouping> {
        Grouping::ALL.into_iter().find(|g| g.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Grouping::Total => "total",
            Grouping::Region => "region",
            Grouping::Deprov => "deprov",
            Grouping::Network => "network",
            Grouping::Role => "role",
        }
    }

    fn key(self, f: &InvitationFacts) -> &str {
        match self {
            Grouping::Total => "",
            Grouping::Region => &f.region,
            Grouping::Deprov => &f.deprov,
            Grouping::Network => &f.network,
            Grouping::Role => &f.role,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FunnelCounts {
    pub invited: u32,
    pub opened: u32,
    pub started: u32,
    pub complete: u32,
    pub valid: u32,
}

impl FunnelCounts {
    fn add(&mut self, f: &InvitationFacts) {
        // Stages are cumulative: a completed questionnaire was also opened
        // and started, even if an import skipped those events.
        let n = f.invitations;
        self.invited += n;
        self.opened += n * u32::from(f.opened || f.started || f.complete);
        self.started += n * u32::from(f.started || f.complete);
        self.complete += n * u32::from(f.complete);
        self.valid += n * u32::from(f.valid && f.complete);
    }

    /// Valid answers per invitation, in percent with one decimal.
    pub fn response_rate(&self) -> Option<f64> {
        (self.invited > 0)
            .then(|| (f64::from(self.valid) * 1000.0 / f64::from(self.invited)).round() / 10.0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelRow {
    /// The group's code (region code, network code, role…); empty for the total.
    pub key: String,
    #[serde(flatten)]
    pub counts: FunnelCounts,
    pub response_rate: Option<f64>,
}

/// One row per group, in key order.
pub fn funnel<'a>(
    facts: impl IntoIterator<Item = &'a InvitationFacts>,
    by: Grouping,
) -> Vec<FunnelRow> {
    let mut groups: BTreeMap<String, FunnelCounts> = BTreeMap::new();
    for f in facts {
        groups.entry(by.key(f).to_owned()).or_default().add(f);
    }
    groups
        .into_iter()
        .map(|(key, counts)| FunnelRow {
            key,
            response_rate: counts.response_rate(),
            counts,
        })
        .collect()
}

/// The seed's coverage table: networks in scope, networks with at least one
/// valid answer, and valid cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub networks_in_scope: u32,
    pub networks_with_valid: u32,
    pub cases: u32,
}

/// `extra_valid_networks` are networks with valid answers that came without
/// an invitation (imported paper questionnaires); `extra_cases` counts them.
pub fn coverage<'a>(
    facts: impl IntoIterator<Item = &'a InvitationFacts>,
    networks_in_scope: u32,
    extra_valid_networks: &[String],
    extra_cases: u32,
) -> Coverage {
    let mut with_valid: std::collections::BTreeSet<&str> =
        extra_valid_networks.iter().map(String::as_str).collect();
    let mut cases = extra_cases;
    for f in facts {
        if f.valid && f.complete && f.invitations > 0 {
            with_valid.insert(&f.network);
            cases += f.invitations;
        }
    }
    Coverage {
        networks_in_scope,
        networks_with_valid: with_valid.len() as u32,
        cases,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(network: &str, role: &str, stage: u8, valid: bool) -> InvitationFacts {
        InvitationFacts {
            region: "5".into(),
            deprov: "51".into(),
            network: network.into(),
            role: role.into(),
            opened: stage >= 1,
            started: stage >= 2,
            complete: stage >= 3,
            valid,
            invitations: 1,
        }
    }

    #[test]
    fn counts_are_cumulative_and_grouped() {
        let facts = vec![
            fact("RME1", "director", 0, false),
            fact("RME1", "jefe_utp", 1, false),
            fact("RME1", "director", 3, true),
            fact("RME2", "director", 2, false),
            fact("RME2", "director", 3, false),
        ];
        let total = funnel(&facts, Grouping::Total);
        assert_eq!(total.len(), 1);
        assert_eq!(
            total[0].counts,
            FunnelCounts {
                invited: 5,
                opened: 4,
                started: 3,
                complete: 2,
                valid: 1
            }
        );
        assert_eq!(total[0].response_rate, Some(20.0));
        let by_net = funnel(&facts, Grouping::Network);
        assert_eq!(
            by_net.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(),
            ["RME1", "RME2"]
        );
        assert_eq!(by_net[0].counts.valid, 1);
        assert_eq!(
            (by_net[1].counts.started, by_net[1].counts.complete),
            (2, 1)
        );
        let by_role = funnel(&facts, Grouping::Role);
        assert_eq!(by_role[0].key, "director");
        assert_eq!(by_role[0].counts.invited, 4);
    }

    #[test]
    fn a_completed_import_counts_as_opened_and_started() {
        let mut f = fact("RME3", "docente", 0, true);
        f.complete = true;
        let rows = funnel([&f], Grouping::Total);
        assert_eq!(rows[0].counts.opened, 1);
        assert_eq!(rows[0].counts.started, 1);
    }

    #[test]
    fn seed_shape_coverage() {
        let facts = vec![
            fact("RME1", "director", 3, true),
            fact("RME1", "jefe_utp", 3, true),
            fact("RME2", "director", 3, false),
        ];
        let c = coverage(&facts, 3, &["RME3".to_owned()], 2);
        assert_eq!(
            c,
            Coverage {
                networks_in_scope: 3,
                networks_with_valid: 2,
                cases: 4
            }
        );
    }

    #[test]
    fn rate_rounds_to_one_decimal() {
        // The seed's round: 306 valid of 3,844 invited.
        let c = FunnelCounts {
            invited: 3844,
            valid: 306,
            ..Default::default()
        };
        assert_eq!(c.response_rate(), Some(8.0));
        let c = FunnelCounts {
            invited: 3,
            valid: 1,
            ..Default::default()
        };
        assert_eq!(c.response_rate(), Some(33.3));
        assert_eq!(FunnelCounts::default().response_rate(), None);
    }
}
