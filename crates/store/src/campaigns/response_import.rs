//! Responses gathered elsewhere, loaded all or nothing in one pass: the
//! caller hands rows over a batch at a time as it reads its file; each batch
//! is checked against the database (networks exist, response ids are new)
//! and written in multi-row statements inside one transaction, which commits
//! only if no row of any batch had a problem. Memory holds one batch, not
//! the file's rows.

use std::collections::HashSet;

use rand::RngExt;
use trama_campaign::ValidityRule;
use trama_campaign::response_file::{ResponseRecord, parse_time};
use trama_campaign::tally::{Contribution, Tallies};
use trama_domain::Problem;
use trama_instrument::Instrument;

use super::lifecycle::Campaign;
use super::results::rating_names;
use super::text;
use crate::db::{Fetch, WriteTx};
use crate::error::RowProblem;
use crate::sql::Sql;
use crate::{Store, StoreError, now};

/// Response ids looked up per query when checking a batch.
const IDS_PER_QUERY: usize = 500;
/// Responses (13 values each) and answers (3 each) per insert statement:
/// a few thousand values, under every engine's limit on placeholders.
const RESPONSES_PER_STATEMENT: usize = 200;
const ANSWERS_PER_STATEMENT: usize = 1_000;

/// An import under way: see the module's documentation.
pub struct ResponseImport<'s> {
    store: &'s Store,
    /// `None` for a dry run, which checks and writes nothing.
    tx: Option<WriteTx>,
    campaign: Campaign,
    rating: Vec<String>,
    rule: ValidityRule,
    known_networks: HashSet<String>,
    added: Tallies,
    problems: Vec<RowProblem>,
    rows: usize,
    now: i64,
}

impl Store {
    /// Starts loading responses into `campaign` (`dry_run`: only checking).
    pub async fn begin_response_import<'s>(
        &'s self,
        campaign: &Campaign,
        instrument: &Instrument,
        dry_run: bool,
    ) -> Result<ResponseImport<'s>, StoreError> {
        let known_networks = sqlx::query("SELECT code FROM networks")
            .read_all(self.db())
            .await?
            .iter()
            .map(|r| text(r, "code"))
            .collect::<Result<_, _>>()?;
        let tx = if dry_run {
            None
        } else {
            Some(self.begin_write().await?)
        };
        Ok(ResponseImport {
            store: self,
            tx,
            campaign: campaign.clone(),
            rating: rating_names(instrument),
            rule: campaign.validity(),
            known_networks,
            added: Tallies::default(),
            problems: vec![],
            rows: 0,
            now: now(),
        })
    }

    /// Loads responses gathered elsewhere, all or nothing. Networks must
    /// exist and response ids must be new; problems name the file line.
    pub async fn import_responses(
        &self,
        campaign: &Campaign,
        instrument: &Instrument,
        records: &[(u64, ResponseRecord)],
    ) -> Result<usize, StoreError> {
        let mut import = self
            .begin_response_import(campaign, instrument, false)
            .await?;
        for batch in records.chunks(RESPONSES_PER_STATEMENT * 5) {
            import.add(batch).await?;
        }
        import.finish().await
    }
}

impl ResponseImport<'_> {
    /// Checks a batch of (line, record) and, while no row so far had a
    /// problem, writes it.
    pub async fn add(&mut self, batch: &[(u64, ResponseRecord)]) -> Result<(), StoreError> {
        self.check(batch).await?;
        self.rows += batch.len();
        if self.problems.is_empty() {
            self.write(batch).await?;
        }
        Ok(())
    }

    /// What was found so far, by line.
    pub fn problems(&self) -> &[RowProblem] {
        &self.problems
    }

    /// Commits what was written and returns how many rows were read, or
    /// writes nothing and returns every problem found. A dry run returns
    /// the count (or the problems) and writes nothing either way.
    pub async fn finish(mut self) -> Result<usize, StoreError> {
        if !self.problems.is_empty() {
            self.problems.sort_by_key(|p| p.line);
            return Err(StoreError::References(self.problems));
        }
        if let Some(mut tx) = self.tx.take() {
            tx.apply_tallies(self.campaign.id, &self.added, &self.rating)
                .await?;
            tx.commit().await?;
        }
        Ok(self.rows)
    }

    async fn check(&mut self, batch: &[(u64, ResponseRecord)]) -> Result<(), StoreError> {
        for (line, r) in batch {
            if !self.known_networks.contains(&r.network) {
                self.problems.push(RowProblem {
                    line: *line,
                    column: "network",
                    value: r.network.clone(),
                    problem: Problem::UnknownNetwork,
                });
            }
        }
        let given: Vec<(u64, &str)> = batch
            .iter()
            .filter(|(_, r)| !r.response_id.is_empty())
            .map(|(line, r)| (*line, r.response_id.as_str()))
            .collect();
        let mut taken = HashSet::new();
        for chunk in given.chunks(IDS_PER_QUERY) {
            let ids: Vec<&str> = chunk.iter().map(|(_, id)| *id).collect();
            let mut sql = Sql::new("SELECT id FROM responses WHERE id IN ");
            sql.bind_list(&ids);
            for row in sql.query().read_all(self.store.db()).await? {
                taken.insert(text(&row, "id")?);
            }
        }
        for (line, id) in given {
            if taken.contains(id) {
                self.problems.push(RowProblem {
                    line,
                    column: "response_id",
                    value: id.to_owned(),
                    problem: Problem::AlreadyExists,
                });
            }
        }
        Ok(())
    }

    async fn write(&mut self, batch: &[(u64, ResponseRecord)]) -> Result<(), StoreError> {
        let Some(tx) = self.tx.as_mut() else {
            return Ok(());
        };
        let rating: HashSet<&str> = self.rating.iter().map(String::as_str).collect();
        let c = &self.campaign;
        for rows in batch.chunks(RESPONSES_PER_STATEMENT) {
            let mut responses = Sql::new(
                "INSERT INTO responses (id, campaign_id, instrument_version_id, year, region_code, deprov_code, \
                 network_code, role, source, page, rating_answered, rating_total, started_at, updated_at, submitted_at) VALUES ",
            );
            let mut answers: Vec<(String, &str, &str)> = vec![];
            for (n, (_, r)) in rows.iter().enumerate() {
                let id = if r.response_id.is_empty() {
                    let bytes: [u8; 12] = rand::rng().random();
                    format!("r{}", hex::encode(bytes))
                } else {
                    r.response_id.clone()
                };
                let region = r.region.parse::<i64>().ok();
                let deprov = r.deprov.parse::<i64>().ok();
                let submitted_at = parse_time(&r.submitted_at);
                let answered = r
                    .answers
                    .iter()
                    .filter(|(k, v)| rating.contains(k.as_str()) && !v.is_empty())
                    .count() as i64;
                responses
                    .push(if n == 0 { "(" } else { ", (" })
                    .bind(id.clone())
                    .push(", ")
                    .bind(c.id)
                    .push(", ")
                    .bind(c.instrument_version_id)
                    .push(", ")
                    .bind(i64::from(c.year))
                    .push(", ")
                    .bind(region)
                    .push(", ")
                    .bind(deprov)
                    .push(", ")
                    .bind(r.network.as_str())
                    .push(", ")
                    .bind(r.role.as_str())
                    .push(", 'import', 0, ")
                    .bind(answered)
                    .push(", ")
                    .bind(self.rating.len() as i64)
                    .push(", ")
                    .bind(self.now)
                    .push(", ")
                    .bind(self.now)
                    .push(", ")
                    .bind(submitted_at)
                    .push(")");
                // Counted as the rebuild will read it back: codes as stored.
                let code = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
                let atom = [
                    code(region),
                    code(deprov),
                    r.network.clone(),
                    r.role.clone(),
                ];
                if let Some(contribution) = Contribution::of(
                    &self.rule,
                    &self.rating,
                    submitted_at.is_some(),
                    atom,
                    &r.answers,
                ) {
                    self.added.add(&contribution);
                }
                for (item, value) in &r.answers {
                    answers.push((id.clone(), item, value));
                }
            }
            responses.query().execute(&mut **tx).await?;
            for chunk in answers.chunks(ANSWERS_PER_STATEMENT) {
                let mut sql = Sql::new("INSERT INTO answers (response_id, item, value) VALUES ");
                for (n, (id, item, value)) in chunk.iter().enumerate() {
                    sql.push(if n == 0 { "(" } else { ", (" })
                        .bind(id.as_str())
                        .push(", ")
                        .bind(*item)
                        .push(", ")
                        .bind(*value)
                        .push(")");
                }
                sql.query().execute(&mut **tx).await?;
            }
        }
        Ok(())
    }
}
