//! A campaign's valid responses as the reports read them, kept in memory
//! between requests while the campaign's responses do not change.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use trama_campaign::ResponseRecord;
use trama_domain::territory::RegionCode;
use trama_i18n::Lang;
use trama_results::likert::{self, Options};
use trama_results::responses::{Answer, EMPTY, GroupBy, NA};
use trama_results::{Design, Level, ResponseTable};
use trama_store::campaigns::lifecycle::Campaign;
use trama_store::campaigns::reports::ResponsesStamp;

use crate::{App, Error, Result};

/// A campaign's valid responses with the design they are read with.
pub(crate) struct Loaded {
    design: Design,
    records: Vec<ResponseRecord>,
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
        let records = app
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
        let loaded = Arc::new(Loaded { design, records });
        app.results_cache().keep(campaign.id, stamp, loaded.clone());
        Ok(Data {
            campaign,
            loaded,
            min_group,
        })
    }

    pub fn design(&self) -> &Design {
        &self.loaded.design
    }

    pub fn min_group(&self) -> u64 {
        self.min_group
    }

    /// Regions with respondents, by code.
    pub fn regions(&self) -> Vec<String> {
        let set: BTreeSet<&String> = self.loaded.records.iter().map(|r| &r.region).collect();
        set.into_iter().cloned().collect()
    }

    /// Networks of `region` with respondents, by code.
    pub fn networks_in(&self, region: RegionCode) -> Vec<String> {
        let key = region.0.to_string();
        let set: BTreeSet<&String> = self
            .loaded
            .records
            .iter()
            .filter(|r| r.region == key)
            .map(|r| &r.network)
            .collect();
        set.into_iter().cloned().collect()
    }

    /// The respondents `keep` selects, as a table for the analytics.
    pub fn table(&self, keep: impl Fn(&ResponseRecord) -> bool) -> ResponseTable {
        let mut t = ResponseTable::default();
        let mut row = vec![EMPTY; self.loaded.design.items.len()];
        for r in self.loaded.records.iter().filter(|r| keep(r)) {
            for (slot, item) in row.iter_mut().zip(&self.loaded.design.items) {
                *slot = r.answers.get(&item.name).map_or(EMPTY, |v| code(v));
            }
            t.push([&r.region, &r.deprov, &r.network, &r.role], &row);
        }
        t.k = self.loaded.design.items.len();
        t
    }

    pub fn report(
        &self,
        table: &ResponseTable,
        by: Option<GroupBy>,
        level: Level,
        lang: Lang,
    ) -> likert::Report {
        likert::report(
            &self.loaded.design,
            table,
            &Options {
                by,
                level: Some(level),
                min_group: self.min_group,
                exclude_na: false,
                lang,
            },
        )
    }
}
