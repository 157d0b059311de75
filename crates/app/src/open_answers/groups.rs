//! The campaign's groups of valid respondents and which of them are shown:
//! exactly those the campaign's disclosure decision publishes, the decision
//! every results page, PDF and API response follows — so no list, minus
//! another list or a results table, isolates a group below K.

use std::collections::{BTreeMap, BTreeSet};

use trama_results::disclosure::{Cell, Decision, Place};
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
    national: bool,
}

impl Groups {
    /// The groups of `respondents`, shown as `decision` publishes them.
    pub fn new(respondents: &[Respondent], k: u64, decision: &Decision) -> Groups {
        let mut g = Groups {
            total: respondents.len() as u64,
            k,
            national: decision.published(&Cell::nation()),
            ..Default::default()
        };
        for r in respondents {
            *g.regions.entry(r.region).or_default() += 1;
            if let Some(n) = &r.network {
                let e = g.networks.entry(n.clone()).or_insert((r.region, 0));
                e.1 += 1;
            }
        }
        g.hidden_regions = g
            .regions
            .keys()
            .filter(|r| {
                let cell = Cell::at(Place::Region(r.map(|r| r.to_string()).unwrap_or_default()));
                !decision.published(&cell)
            })
            .copied()
            .collect();
        g.hidden_networks = g
            .networks
            .keys()
            .filter(|n| !decision.published(&Cell::at(Place::Network((*n).clone()))))
            .cloned()
            .collect();
        g
    }

    pub fn national_shown(&self) -> bool {
        self.national && self.total >= self.k
    }

    pub fn region_shown(&self, r: Option<i64>) -> bool {
        self.regions.contains_key(&r) && !self.hidden_regions.contains(&r)
    }

    pub fn network_shown(&self, n: &str) -> bool {
        self.networks.contains_key(n) && !self.hidden_networks.contains(n)
    }

    /// A shown region's respondents; a hidden one's size is hidden with it.
    pub fn region_size(&self, r: Option<i64>) -> u64 {
        if self.region_shown(r) {
            self.regions.get(&r).copied().unwrap_or(0)
        } else {
            0
        }
    }

    /// A shown network's respondents; 0 for a hidden one.
    pub fn network_size(&self, n: &str) -> u64 {
        if self.network_shown(n) {
            self.networks.get(n).map_or(0, |(_, s)| *s)
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use trama_results::disclosure::{Atom, Atoms, decide};

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
    fn groups_are_shown_as_the_campaigns_decision_says() {
        let mut all = people(5, "A", 9);
        all.extend(people(5, "B", 6));
        all.extend(people(5, "C", 2));
        all.extend(people(8, "D", 3));
        all.extend(people(13, "E", 10));
        let mut atoms = Atoms::default();
        for (region, net, n) in [
            ("5", "A", 9),
            ("5", "B", 6),
            ("5", "C", 2),
            ("8", "D", 3),
            ("13", "E", 10),
        ] {
            atoms.atoms.push(Atom {
                region: region.into(),
                deprov: format!("{region}1"),
                network: net.into(),
                role: "director".into(),
            });
            atoms.sizes.push(n);
        }
        let d = decide(&atoms, 5);
        let g = Groups::new(&all, 5, &d);
        // Region 8 is below K alone: another region goes with it.
        assert!(!g.region_shown(Some(8)));
        assert_eq!(
            g.region_shown(Some(13)),
            d.published(&Cell::at(Place::Region("13".into())))
        );
        assert!(g.region_shown(Some(5)) || g.region_shown(Some(13)));
        // Within region 5, C is below K alone and takes B with it.
        assert!(g.network_shown("A"));
        assert!(!g.network_shown("C") && !g.network_shown("B"));
        assert_eq!(g.network_size("C"), 0, "no size for a hidden group");
        assert!(g.national_shown());
    }
}
