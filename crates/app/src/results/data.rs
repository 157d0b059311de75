//! A campaign's results as the reports read them: the counts the store
//! keeps per atom (region, DEPROV, network, role) and item, held in memory
//! between requests at the campaign's results version. A change reads only
//! the rows above the version held, so the first view after an answer costs
//! about what a warm one does, whatever the number of responses.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use trama_domain::territory::RegionCode;
use trama_i18n::Lang;
use trama_results::disclosure::{Atom, Atoms, Cell, Decision, Place, decide};
use trama_results::likert::{self, Group, Options, Tally};
use trama_results::{Design, Level};
use trama_store::campaigns::lifecycle::Campaign;
use trama_store::campaigns::results::ResultRows;

use crate::{App, Error, Result};

/// A campaign's counts with the design they are read with, and the one
/// disclosure decision every output of the campaign follows.
pub(crate) struct Loaded {
    design: Arc<Design>,
    /// The campaign's results version these counts are at.
    version: i64,
    /// Counts per atom, empty atoms included (a later change may fill them).
    by_atom: BTreeMap<Atom, Tally>,
    decision: Decision,
    /// The atoms with respondents, in order.
    atoms: Atoms,
    /// Answer counts per atom, in the order of `atoms`: a group's figures
    /// are the sum over its atoms, whatever the number of responses.
    tallies: Vec<Tally>,
}

impl Loaded {
    /// The counts at `rows.version`: `rows` laid over `before` (the rows
    /// hold absolute counts, so a row read twice changes nothing).
    fn at(design: Arc<Design>, before: BTreeMap<Atom, Tally>, rows: &ResultRows, k: u64) -> Loaded {
        let mut by_atom = before;
        let index: HashMap<&str, usize> = design
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.name.as_str(), i))
            .collect();
        let atom = |key: &[String; 4]| Atom {
            region: key[0].clone(),
            deprov: key[1].clone(),
            network: key[2].clone(),
            role: key[3].clone(),
        };
        let width = design.items.len();
        let blank = || Tally {
            respondents: 0,
            items: vec![[0; 6]; width],
        };
        for (key, n) in &rows.atoms {
            by_atom.entry(atom(key)).or_insert_with(blank).respondents = (*n).max(0) as u64;
        }
        for (key, item, n) in &rows.counts {
            if let Some(&j) = index.get(item.as_str()) {
                let t = by_atom.entry(atom(key)).or_insert_with(blank);
                t.items[j] = n.map(|v| v.max(0) as u64);
            }
        }
        let (atoms, tallies): (Vec<(Atom, u64)>, Vec<Tally>) = by_atom
            .iter()
            .filter(|(_, t)| t.respondents > 0)
            .map(|(a, t)| ((a.clone(), t.respondents), t.clone()))
            .unzip();
        let (atoms, sizes) = atoms.into_iter().unzip();
        let atoms = Atoms { atoms, sizes };
        let decision = decide(&atoms, k);
        Loaded {
            design,
            version: rows.version,
            by_atom,
            decision,
            atoms,
            tallies,
        }
    }
}

/// Loaded campaigns by id, each at the results version it was read at.
#[derive(Default)]
pub(crate) struct ResultsCache(Mutex<HashMap<i64, Arc<Loaded>>>);

impl ResultsCache {
    fn get(&self, campaign: i64) -> Option<Arc<Loaded>> {
        self.0.lock().ok()?.get(&campaign).cloned()
    }

    fn keep(&self, campaign: i64, loaded: Arc<Loaded>) {
        if let Ok(mut cache) = self.0.lock() {
            // A slower reader must not put back an older version.
            let newer = cache
                .get(&campaign)
                .is_none_or(|held| held.version <= loaded.version);
            if newer {
                cache.insert(campaign, loaded);
            }
        }
    }
}

/// One campaign's results, ready to be tabulated.
pub(crate) struct Data {
    pub campaign: Campaign,
    loaded: Arc<Loaded>,
    min_group: u64,
}

impl Data {
    pub async fn load(app: &App, campaign: Campaign) -> Result<Data> {
        let min_group = app.min_group();
        let version = app.store.results_version(campaign.id).await?;
        let held = app.results_cache().get(campaign.id);
        let loaded = match (held, version) {
            (Some(held), Some(v)) if held.version == v => held,
            (Some(held), Some(v)) if held.version < v => {
                let rows = app.store.results_since(campaign.id, held.version).await?;
                Arc::new(Loaded::at(
                    held.design.clone(),
                    held.by_atom.clone(),
                    &rows,
                    min_group,
                ))
            }
            _ => {
                let instrument = app.instrument(campaign.instrument_version_id).await?;
                let design = Design::from_instrument(&campaign.code, &instrument)
                    .map_err(|e| Error::Internal(format!("design: {e:?}")))?;
                let rows = app.store.results_since(campaign.id, 0).await?;
                Arc::new(Loaded::at(
                    Arc::new(design),
                    BTreeMap::new(),
                    &rows,
                    min_group,
                ))
            }
        };
        app.results_cache().keep(campaign.id, loaded.clone());
        Ok(Data {
            campaign,
            loaded,
            min_group,
        })
    }

    /// Which groups the campaign's outputs show.
    pub fn decision(&self) -> &Decision {
        &self.loaded.decision
    }

    /// The campaign's respondents per network and role.
    pub fn atoms(&self) -> &Atoms {
        &self.loaded.atoms
    }

    /// One group's figures at `level` (every level when `None`), with no
    /// figures unless the campaign's decision publishes it.
    pub fn cell(&self, cell: &Cell, level: Option<Level>, lang: Lang) -> Group {
        let mut tally = Tally::default();
        for a in self.loaded.atoms.members(cell) {
            tally.add(&self.loaded.tallies[a as usize]);
        }
        let (by, value) = match &cell.place {
            Place::Nation => ("national", None),
            Place::Region(v) => ("region", Some(v.clone())),
            Place::Deprov(v) => ("deprov", Some(v.clone())),
            Place::Network(v) => ("network", Some(v.clone())),
        };
        let (by, value) = match &cell.role {
            Some(role) => ("role", Some(role.clone())),
            None => (by, value),
        };
        likert::group(
            &self.loaded.design,
            &tally,
            by,
            value,
            !self.loaded.decision.published(cell),
            &Options {
                by: None,
                level,
                min_group: self.min_group,
                exclude_na: false,
                lang,
            },
        )
    }

    pub fn design(&self) -> &Design {
        &self.loaded.design
    }

    pub fn min_group(&self) -> u64 {
        self.min_group
    }

    /// Regions with respondents, by code.
    pub fn regions(&self) -> Vec<String> {
        let set: BTreeSet<&String> = self.loaded.atoms.atoms.iter().map(|a| &a.region).collect();
        set.into_iter().cloned().collect()
    }

    /// Networks of `region` with respondents, by code.
    pub fn networks_in(&self, region: RegionCode) -> Vec<String> {
        let key = region.0.to_string();
        let set: BTreeSet<&String> = self
            .loaded
            .atoms
            .atoms
            .iter()
            .filter(|a| a.region == key)
            .map(|a| &a.network)
            .collect();
        set.into_iter().cloned().collect()
    }

    /// Valid respondents per (region, network), for the response rates.
    pub fn respondents_by_network(&self) -> impl Iterator<Item = (&str, &str, u64)> {
        let a = &self.loaded.atoms;
        a.atoms
            .iter()
            .zip(&a.sizes)
            .map(|(atom, &n)| (atom.region.as_str(), atom.network.as_str(), n))
    }
}
