//! Response rates in the seed's table shape: per region, the networks in
//! scope, the networks with at least one valid answer, the cases, and the
//! share of networks reached.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::responses::{GroupBy, ResponseTable};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateRow {
    /// `None` for the national total.
    pub region: Option<String>,
    pub networks_total: u64,
    pub networks_with_answers: u64,
    pub cases: u64,
    /// networks_with_answers / networks_total × 100.
    pub pct_networks: f64,
}

/// Each respondent of `table` as one (region, network) for [`rates`].
pub fn respondents_of(table: &ResponseTable) -> impl Iterator<Item = (&str, &str, u64)> {
    (0..table.len()).map(|r| {
        (
            table.group_name(GroupBy::Region, table.group_of(r, GroupBy::Region)),
            table.group_name(GroupBy::Network, table.group_of(r, GroupBy::Network)),
            1,
        )
    })
}

/// `networks` lists every network in scope with its region; `respondents`
/// gives the valid respondents as (region, network, how many), in any
/// grouping finer than the network. Answers from a network outside the
/// scope still count as cases of their region.
pub fn rates<'a>(
    networks: &[(String, String)],
    respondents: impl IntoIterator<Item = (&'a str, &'a str, u64)>,
) -> Vec<RateRow> {
    let mut per_region: BTreeMap<String, (HashSet<&str>, HashSet<&str>, u64)> = BTreeMap::new();
    for (net, region) in networks {
        per_region.entry(region.clone()).or_default().0.insert(net);
    }
    for (region, net, n) in respondents {
        if n == 0 {
            continue;
        }
        let entry = per_region.entry(region.to_owned()).or_default();
        entry.2 += n;
        if let Some(&known) = entry.0.get(net) {
            entry.1.insert(known);
        }
    }
    let row = |region: Option<String>, total: u64, with: u64, cases: u64| RateRow {
        region,
        networks_total: total,
        networks_with_answers: with,
        cases,
        pct_networks: if total == 0 {
            0.0
        } else {
            100.0 * with as f64 / total as f64
        },
    };
    let mut out: Vec<RateRow> = per_region
        .iter()
        .map(|(region, (all, with, cases))| {
            row(
                Some(region.clone()),
                all.len() as u64,
                with.len() as u64,
                *cases,
            )
        })
        .collect();
    let (t, w, c) = out.iter().fold((0, 0, 0), |acc, r| {
        (
            acc.0 + r.networks_total,
            acc.1 + r.networks_with_answers,
            acc.2 + r.cases,
        )
    });
    out.insert(0, row(None, t, w, c));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_shape_for_two_regions() {
        let networks: Vec<(String, String)> =
            [("RME1", "V"), ("RME2", "V"), ("RME3", "XI"), ("RME4", "XI")]
                .iter()
                .map(|(n, r)| ((*n).to_owned(), (*r).to_owned()))
                .collect();
        let mut t = ResponseTable::default();
        for _ in 0..3 {
            t.push(["V", "51", "RME1", "director"], &[]);
        }
        t.push(["XI", "111", "RME3", "director"], &[]);
        t.push(["XI", "111", "RME3", "jefe_utp"], &[]);
        let r = rates(&networks, respondents_of(&t));
        assert_eq!(
            r[0],
            RateRow {
                region: None,
                networks_total: 4,
                networks_with_answers: 2,
                cases: 5,
                pct_networks: 50.0
            }
        );
        assert_eq!(r[1].region.as_deref(), Some("V"));
        assert_eq!((r[1].networks_with_answers, r[1].cases), (1, 3));
        assert_eq!((r[2].networks_with_answers, r[2].cases), (1, 2));
    }

    #[test]
    fn seed_national_share() {
        // 175 of 331 networks answered in the seed's round: 52.8 %.
        let networks: Vec<(String, String)> = (0..331)
            .map(|i| (format!("N{i}"), "R".to_owned()))
            .collect();
        let mut t = ResponseTable::default();
        for i in 0..175 {
            t.push(["R", "d", &format!("N{i}"), "director"], &[]);
        }
        let r = rates(&networks, respondents_of(&t));
        assert!((r[0].pct_networks - 52.870_090_634_441_09).abs() < 1e-9);
    }
}
