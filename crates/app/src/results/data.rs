//! A campaign's valid responses as the reports read them, kept in memory
//! between requests while the campaign's responses do not change.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use trama_campaign::ResponseRecord;
use trama_domain::territory::RegionCode;
use trama_i18n::Lang;
use trama_results::disclosure::{Atoms, Cell, Decision, Place, decide};
use trama_results::likert::{self, Group, Options, Tally};
use trama_results::responses::{Answer, EMPTY, GroupBy, NA};
use trama_results::{Design, Level, ResponseTable};
use trama_store::campaigns::lifecycle::Campaign;
use trama_store::campaigns::reports::ResponsesStamp;

use crate::{App, Error, Result};

/// A campaign's valid responses with the design they are read with, and
/// the one disclosure decision every output of the campaign follows.
pub(crate) struct Loaded {
    design: Design,
    records: Vec<ResponseRecord>,
    decision: Decision,
    atoms: Atoms,
    /// Answer counts per atom, in the order of `atoms`: a group's figures
    /// are the sum over its atoms, whatever the number of responses.
    tallies: Vec<Tally>,
    /// Every valid response as one table (read once per load).
    table: ResponseTable,
}

/// Loaded campaigns by id, with the stamp of the responses they were read
/// at: any answer saved, imported or erased moves the stamp, so a kept copy
/// is never stale.
#[derive(Default)]
pub(crate) struct ResultsCache(Mutex<HashMap<i64, (ResponsesStamp, Arc<Loaded>)>>);

impl ResultsCache {
    fn get(&self, campaign: i64, stamp: ResponsesStamp) -> Option<Arc<Loaded>> {
        let cache = self.0.lock().ok()?;
        cache
            .get(&campaign)
            .filter(|(s, _)| *s == stamp)
            .map(|(_, l)| l.clone())
    }

    fn keep(&self, campaign: i64, stamp: ResponsesStamp, loaded: Arc<Loaded>) {
        if let Ok(mut cache) = self.0.lock() {
            cache.insert(campaign, (stamp, loaded));
        }
    }
}

/// One campaign's responses, ready to be tabulated.
pub(crate) struct Data {
    pub campaign: Campaign,
    loaded: Arc<Loaded>,
    min_group: u64,
}

fn code(value: &str) -> Answer {
    match value.trim() {
        "1" => 1,
        "2" => 2,
        "3" => 3,
        "4" => 4,
        "5" => 5,
        "NA" => NA,
        _ => EMPTY,
    }
}

impl Data {
    pub async fn load(app: &App, campaign: Campaign) -> Result<Data> {
        let min_group = app.min_group();
        let stamp = app.store.responses_stamp(campaign.id).await?;
        if let Some(loaded) = app.results_cache().get(campaign.id, stamp) {
            return Ok(Data {
                campaign,
                loaded,
                min_group,
            });
        }
        let instrument = app.instrument(campaign.instrument_version_id).await?;
        let design = Design::from_instrument(&campaign.code, &instrument)
            .map_err(|e| Error::Internal(format!("design: {e:?}")))?;
        let rule = campaign.validity();
        let total = design.items.len() as u32;
        let records: Vec<ResponseRecord> = app
            .store
            .response_records(campaign.id, false)
            .await?
            .into_iter()
            .filter(|r| {
                let answered = design
                    .items
                    .iter()
                    .filter(|i| r.answers.get(&i.name).is_some_and(|v| code(v) != EMPTY))
                    .count() as u32;
                rule.is_valid(true, answered, total)
            })
            .collect();
        let table = tabulate(&design, records.iter());
        let atoms = Atoms::from_table(&table);
        let decision = decide(&atoms, min_group);
        let tallies = tallies(&table, &atoms);
        let loaded = Arc::new(Loaded {
            design,
            records,
            decision,
            atoms,
            tallies,
            table,
        });
        app.results_cache().keep(campaign.id, stamp, loaded.clone());
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

    /// The valid responses the results count.
    pub fn records(&self) -> &[ResponseRecord] {
        &self.loaded.records
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

    /// Every valid response, as a table for the analytics.
    pub fn table(&self) -> &ResponseTable {
        &self.loaded.table
    }
}

/// Each atom's answer counts.
fn tallies(table: &ResponseTable, atoms: &Atoms) -> Vec<Tally> {
    let index: std::collections::HashMap<[&str; 4], usize> = atoms
        .atoms
        .iter()
        .enumerate()
        .map(|(i, a)| ([&*a.region, &*a.deprov, &*a.network, &*a.role], i))
        .collect();
    let mut out = vec![Tally::default(); atoms.atoms.len()];
    for r in 0..table.len() {
        let name = |by| table.group_name(by, table.group_of(r, by));
        let key = [
            name(GroupBy::Region),
            name(GroupBy::Deprov),
            name(GroupBy::Network),
            name(GroupBy::Role),
        ];
        if let Some(&i) = index.get(&key) {
            out[i].add_row(table, r);
        }
    }
    out
}

fn tabulate<'a>(
    design: &Design,
    records: impl Iterator<Item = &'a ResponseRecord>,
) -> ResponseTable {
    let mut t = ResponseTable::default();
    let mut row = vec![EMPTY; design.items.len()];
    for r in records {
        for (slot, item) in row.iter_mut().zip(&design.items) {
            *slot = r.answers.get(&item.name).map_or(EMPTY, |v| code(v));
        }
        t.push([&r.region, &r.deprov, &r.network, &r.role], &row);
    }
    t.k = design.items.len();
    t
}
