//! The campaign's groups of valid respondents and which of them are shown.

use std::collections::{BTreeMap, BTreeSet};

use trama_results::suppress::suppressed;
use trama_store::campaigns::open_answers::Respondent;

#[derive(Debug, Default)]
pub struct Groups {
    pub total: u64,
    k: u64,
    /// Respondents per region code (`None`: a response without one).
    pub regions: BTreeMap<Option<i64>, u64>,
    /// Per network code: its region and its respondents.
    pub networks: BTreeMap<String, (Option<i64>, u64)>,
    pub hidden_regions: BTreeSet<Option<i64>>,
    hidden_networks: BTreeSet<String>,
}

impl Groups {
    /// The groups of `respondents`, judged against the threshold `k`.
    pub fn new(respondents: &[Respondent], k: u64) -> Groups {
        let mut g = Groups {
            total: respondents.len() as u64,
            k,
            ..Default::default()
        };
        for r in respondents {
            *g.regions.entry(r.region).or_default() += 1;
            if let Some(n) = &r.network {
                let e = g.networks.entry(n.clone()).or_insert((r.region, 0));
                e.1 += 1;
            }
        }
        let sizes: Vec<u64> = g.regions.values().copied().collect();
        g.hidden_regions = g
            .regions
            .keys()
            .zip(suppressed(&sizes, k))
            .filter(|(_, h)| *h)
            .map(|(r, _)| *r)
            .collect();
        // Networks are a breakdown of their region: suppression works within it.
        let mut by_region: BTreeMap<Option<i64>, Vec<(&String, u64)>> = BTreeMap::new();
        for (code, (region, n)) in &g.networks {
            by_region.entry(*region).or_default().push((code, *n));
        }
        let mut hidden_networks = BTreeSet::new();
        for (region, nets) in &by_region {
            let sizes: Vec<u64> = nets.iter().map(|(_, n)| *n).collect();
            for ((code, _), h) in nets.iter().zip(suppressed(&sizes, k)) {
                if h || g.hidden_regions.contains(region) {
                    hidden_networks.insert((*code).clone());
                }
            }
        }
        g.hidden_networks = hidden_networks;
        g
    }

    pub fn national_shown(&self) -> bool {
        self.total >= self.k
    }

    pub fn region_shown(&self, r: Option<i64>) -> bool {
        self.regions.contains_key(&r) && !self.hidden_regions.contains(&r)
    }

    pub fn network_shown(&self, n: &str) -> bool {
        self.networks.contains_key(n) && !self.hidden_networks.contains(n)
    }

    pub fn region_size(&self, r: Option<i64>) -> u64 {
        self.regions.get(&r).copied().unwrap_or(0)
    }

    pub fn network_size(&self, n: &str) -> u64 {
        self.networks.get(n).map_or(0, |(_, s)| *s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(region: i64, network: &str, n: usize) -> Vec<Respondent> {
        (0..n)
            .map(|_| Respondent {
                region: Some(region),
                network: Some(network.to_owned()),
            })
            .collect()
    }

    #[test]
    fn a_lone_small_network_takes_the_next_smallest_with_it() {
        let mut all = people(5, "A", 9);
        all.extend(people(5, "B", 6));
        all.extend(people(5, "C", 2));
        all.extend(people(8, "D", 3));
        all.extend(people(13, "E", 10));
        let g = Groups::new(&all, 5);
        // Region 8 is below K alone: the next smallest, 13, goes with it.
        assert!(g.region_shown(Some(5)));
        assert!(!g.region_shown(Some(8)) && !g.region_shown(Some(13)));
        // Within region 5, C is below K alone and takes B with it.
        assert!(g.network_shown("A"));
        assert!(!g.network_shown("C") && !g.network_shown("B"));
        // A network is never shown when its region is not.
        assert!(!g.network_shown("E"));
        assert!(g.national_shown());
    }
}
