//! A network's collaboration map in one campaign, summarised for reading:
//! the metrics, who brokers and who is on the edge, what ties carry, how
//! many answered and whether that is enough to trust the fragile metrics,
//! and how the network stands against others.

use trama_instrument::FOCI;
use trama_sna::{MetricOptions, Network, Report, metrics};

use crate::roster::{Member, StoredTie, focus_counts};

/// Below this response rate betweenness and centralization are unreliable:
/// missing respondents remove paths and hubs (Costenbader & Valente 2003
/// found centrality correlations falling quickly below ~70 % sampling),
/// while in-degree and closeness, which lean on what others said about a
/// person, hold up better.
pub const FRAGILE_BELOW: f64 = 0.7;

/// How many brokers and peripheral members a page lists.
const LISTED: usize = 3;

#[derive(Debug, Clone)]
pub struct MapSummary {
    pub report: Report,
    pub members: usize,
    pub respondents: usize,
    pub response_rate: Option<f64>,
    /// The response rate is below [`FRAGILE_BELOW`].
    pub fragile: bool,
    /// Node ids with the highest betweenness (only those above zero).
    pub brokers: Vec<(String, f64)>,
    /// Node ids nobody named (in-degree 0), or else the least named.
    pub peripheral: Vec<(String, usize)>,
    /// Ties (arcs) carrying each focus, in [`FOCI`] order.
    pub foci: [u32; 6],
}

impl MapSummary {
    /// Share of the network's arcs carrying each focus, in percent.
    pub fn foci_pct(&self) -> [Option<f64>; 6] {
        let arcs = self.report.edges;
        self.foci
            .map(|c| (arcs > 0).then(|| 100.0 * f64::from(c) / arcs as f64))
    }
}

/// Analyses `net` (built from `members` and `ties`).
pub fn summarise(
    net: &Network,
    members: &[Member],
    ties: &[StoredTie],
    min_level: u8,
) -> MapSummary {
    let report = metrics(net, &MetricOptions::default());
    let respondents = members.iter().filter(|m| m.responded).count();
    let response_rate = (!members.is_empty()).then(|| respondents as f64 / members.len() as f64);
    let mut brokers: Vec<(String, f64)> = report
        .node_metrics
        .iter()
        .filter(|(_, m)| m.betweenness > 0.0)
        .map(|(id, m)| (id.to_owned(), m.betweenness))
        .collect();
    brokers.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    brokers.truncate(LISTED);
    let mut peripheral: Vec<(String, usize)> = report
        .node_metrics
        .iter()
        .map(|(id, m)| (id.to_owned(), m.in_degree))
        .collect();
    peripheral.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    let unnamed = peripheral.iter().filter(|p| p.1 == 0).count();
    peripheral.truncate(unnamed.max(LISTED.min(peripheral.len())));
    MapSummary {
        foci: focus_counts(ties, min_level),
        members: members.len(),
        respondents,
        fragile: response_rate.is_some_and(|r| r < FRAGILE_BELOW),
        response_rate,
        brokers,
        peripheral,
        report,
    }
}

/// Means of graph-level metrics over a set of networks (a region, the
/// nation), each network counting once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Benchmark {
    pub networks: usize,
    pub density: Option<f64>,
    pub reciprocity: Option<f64>,
    pub transitivity: Option<f64>,
    pub degree_centralization: Option<f64>,
    pub ei_school: Option<f64>,
    pub ei_role: Option<f64>,
    pub response_rate: Option<f64>,
    pub foci_pct: [Option<f64>; 6],
}

fn mean(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let (sum, n) = values
        .flatten()
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// The E-I index of an attribute in a report.
pub fn ei(report: &Report, attribute: &str) -> Option<f64> {
    report.ei_index.get(attribute).copied().flatten()
}

pub fn benchmark(summaries: &[&MapSummary]) -> Benchmark {
    let m = |f: &dyn Fn(&MapSummary) -> Option<f64>| mean(summaries.iter().map(|s| f(s)));
    let mut foci_pct = [None; 6];
    for (i, slot) in foci_pct.iter_mut().enumerate().take(FOCI.len()) {
        *slot = m(&|s| s.foci_pct()[i]);
    }
    Benchmark {
        networks: summaries.len(),
        density: m(&|s| Some(s.report.density)),
        reciprocity: m(&|s| s.report.reciprocity),
        transitivity: m(&|s| Some(s.report.transitivity)),
        degree_centralization: m(&|s| s.report.degree_centralization),
        ei_school: m(&|s| ei(&s.report, "school")),
        ei_role: m(&|s| ei(&s.report, "role")),
        response_rate: m(&|s| s.response_rate),
        foci_pct,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::{node_id, person_network};

    fn member(id: i64, rbd: i64, role: &str, responded: bool) -> Member {
        Member {
            person_id: id,
            role: role.into(),
            rbd: Some(rbd),
            responded,
            name: None,
        }
    }

    fn tie(ego: i64, alter: i64, level: u8, foci: &[&str]) -> StoredTie {
        StoredTie {
            ego,
            alter,
            level: Some(level),
            foci: foci.iter().map(|f| (*f).to_owned()).collect(),
        }
    }

    /// A star through person 1 with a pendant 4 and an unnamed 5: 1 brokers
    /// every path between 2, 3 and 4.
    fn star() -> (Vec<Member>, Vec<StoredTie>) {
        let members = vec![
            member(1, 10, "director", true),
            member(2, 10, "docente", true),
            member(3, 20, "director", true),
            member(4, 20, "docente", false),
            member(5, 30, "director", false),
        ];
        let ties = vec![
            tie(1, 2, 3, &["information"]),
            tie(2, 1, 4, &["information", "practices"]),
            tie(1, 3, 2, &[]),
            tie(3, 1, 2, &["projects"]),
            tie(3, 4, 5, &[]),
        ];
        (members, ties)
    }

    #[test]
    fn brokers_periphery_rates_and_foci() {
        let (members, ties) = star();
        let net = person_network(&members, &ties, 1, |m| node_id(m.person_id));
        let s = summarise(&net, &members, &ties, 1);
        assert_eq!(s.members, 5);
        assert_eq!(s.respondents, 3);
        assert_eq!(s.response_rate, Some(0.6));
        assert!(s.fragile);
        assert_eq!(s.brokers[0].0, "p1");
        // 1 lies on 2→3, 3→2, 2→4 paths (3 lies on 1→4, 2→4): its
        // normalised betweenness is 3 / (4·3) = 0.25 (NetworkX gives 0.25).
        assert!((s.brokers[0].1 - 0.25).abs() < 1e-12);
        assert_eq!(s.peripheral[0], ("p5".to_owned(), 0));
        assert_eq!(s.foci, [2, 0, 1, 0, 0, 1]);
        assert_eq!(s.foci_pct()[0], Some(40.0));
    }

    #[test]
    fn benchmarks_average_networks_not_ties() {
        let (members, ties) = star();
        let net = person_network(&members, &ties, 1, |m| node_id(m.person_id));
        let a = summarise(&net, &members, &ties, 1);
        let small = &members[..2];
        let net2 = person_network(small, &ties[..2], 1, |m| node_id(m.person_id));
        let b = summarise(&net2, small, &ties[..2], 1);
        let bench = benchmark(&[&a, &b]);
        assert_eq!(bench.networks, 2);
        // 5/20 and 2/2.
        assert!((bench.density.unwrap_or(0.0) - (0.25 + 1.0) / 2.0).abs() < 1e-12);
        assert!((bench.response_rate.unwrap_or(0.0) - (0.6 + 1.0) / 2.0).abs() < 1e-12);
    }
}
