//! A campaign's results kept as counts per atom and item (migration 0009),
//! changed in the transaction that changes a response, so reading results
//! never goes back to the answers.
//!
//! What a response adds is [`trama_campaign::tally`]'s rule, the same for
//! the incremental path and for [`Store::rebuild_results`], which recounts a
//! campaign from its answers and reports where the kept counts differed.
//!
//! Every change takes the campaign's next version, under the version row's
//! lock, so versions commit in order. A reader holding version V asks for the
//! rows above it: the rows carry absolute counts, so reading a row twice (a
//! change that committed between reading the version and the rows) is
//! harmless.

use std::collections::BTreeMap;

use trama_campaign::ValidityRule;
use trama_campaign::tally::{AtomCounts, AtomKey, Contribution, LEVELS, Tallies};

use super::lifecycle::campaign_in;
use super::{int, opt_int, opt_text, text};
use crate::db::{Fetch, WriteTx};
use crate::sql::Sql;
use crate::{Store, StoreError};

/// Responses read per page when recounting: bounded memory at any size.
const PAGE: i64 = 1_000;
/// Rows per multi-row insert (13 values each, under every engine's limit).
const INSERT_ROWS: usize = 200;

/// Rows of a campaign's counts that changed after a version.
#[derive(Debug, Clone, Default)]
pub struct ResultRows {
    /// The campaign's version when the rows were read (at least).
    pub version: i64,
    /// (atom, respondents).
    pub atoms: Vec<(AtomKey, i64)>,
    /// (atom, item, answers per level).
    pub counts: Vec<(AtomKey, String, [i64; LEVELS])>,
}

/// What a recount found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    pub version: i64,
    pub respondents: i64,
    pub atoms: usize,
    /// Atoms whose kept counts differed from the recount (0 when the
    /// incremental state was exact).
    pub differing_atoms: usize,
}

const ATOMS_SINCE: &str = "SELECT region, deprov, network, role, respondents FROM result_atoms \
     WHERE campaign_id = $1 AND version > $2";
const COUNTS_SINCE: &str = "SELECT region, deprov, network, role, item, n0, n1, n2, n3, n4, n5 \
     FROM result_counts WHERE campaign_id = $1 AND version > $2";

fn rows_of(
    version: i64,
    atoms: &[sqlx::any::AnyRow],
    counts: &[sqlx::any::AnyRow],
) -> Result<ResultRows, sqlx::Error> {
    let atoms = atoms
        .iter()
        .map(|r| Ok((atom_of(r)?, int(r, "respondents")?)))
        .collect::<Result<_, sqlx::Error>>()?;
    let counts = counts
        .iter()
        .map(|r| {
            let mut n = [0; LEVELS];
            for (l, slot) in n.iter_mut().enumerate() {
                *slot = int(r, &format!("n{l}"))?;
            }
            Ok((atom_of(r)?, text(r, "item")?, n))
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(ResultRows {
        version,
        atoms,
        counts,
    })
}

fn atom_of(row: &sqlx::any::AnyRow) -> Result<AtomKey, sqlx::Error> {
    Ok([
        text(row, "region")?,
        text(row, "deprov")?,
        text(row, "network")?,
        text(row, "role")?,
    ])
}

impl Store {
    /// The campaign's results version; `None` before it was first counted.
    pub async fn results_version(&self, campaign_id: i64) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT version FROM result_versions WHERE campaign_id = $1")
            .bind(campaign_id)
            .read_optional(self.db())
            .await?;
        Ok(row.map(|r| int(&r, "version")).transpose()?)
    }

    /// The campaign's count rows changed after version `since` (all of
    /// them for 0), counting the campaign first if it never was.
    pub async fn results_since(
        &self,
        campaign_id: i64,
        since: i64,
    ) -> Result<ResultRows, StoreError> {
        let version = match self.results_version(campaign_id).await? {
            Some(v) => v,
            None => self.rebuild_results(campaign_id).await?.version,
        };
        let atoms = sqlx::query(ATOMS_SINCE)
            .bind(campaign_id)
            .bind(since)
            .read_all(self.db())
            .await?;
        let counts = sqlx::query(COUNTS_SINCE)
            .bind(campaign_id)
            .bind(since)
            .read_all(self.db())
            .await?;
        Ok(rows_of(version, &atoms, &counts)?)
    }

    /// The kept counts as tallies over the campaign's rating items (atoms
    /// with nothing left in them omitted), to compare with a recount.
    pub async fn stored_tallies(&self, campaign_id: i64) -> Result<Tallies, StoreError> {
        let rating = self.rating_of(campaign_id).await?;
        let rows = self.results_since(campaign_id, 0).await?;
        Ok(tallies_from(&rows, &rating))
    }

    /// Recounts the campaign's results from its answers, in one write, and
    /// says how far the kept counts were from it.
    pub async fn rebuild_results(&self, campaign_id: i64) -> Result<Rebuilt, StoreError> {
        self.write(async |tx| tx.rebuild_results(campaign_id).await)
            .await
    }

    /// The names of the rating items of the campaign's instrument, in order.
    pub async fn rating_of(&self, campaign_id: i64) -> Result<Vec<String>, StoreError> {
        let c = self
            .campaign_by_id(campaign_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let stored = self
            .instrument_version(c.instrument_version_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(rating_names(&stored.instrument))
    }
}

pub(crate) fn rating_names(instrument: &trama_instrument::Instrument) -> Vec<String> {
    instrument
        .rating_items()
        .iter()
        .map(|i| i.name.clone())
        .collect()
}

/// The (atom, item, counts) rows of `t` with anything in them.
fn count_rows<'a>(
    t: &'a Tallies,
    rating: &'a [String],
) -> Vec<(&'a AtomKey, &'a str, &'a [i64; LEVELS])> {
    t.0.iter()
        .flat_map(|(atom, c)| {
            c.items
                .iter()
                .zip(rating)
                .filter(|(n, _)| n.iter().any(|&v| v != 0))
                .map(move |(n, item)| (atom, item.as_str(), n))
        })
        .collect()
}

/// Rows read back as tallies in the order of `rating`.
fn tallies_from(rows: &ResultRows, rating: &[String]) -> Tallies {
    let index: BTreeMap<&str, usize> = rating
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut t = Tallies::default();
    for (atom, n) in &rows.atoms {
        t.0.entry(atom.clone()).or_default().respondents = *n;
    }
    for (atom, item, n) in &rows.counts {
        if let Some(&j) = index.get(item.as_str()) {
            let c: &mut AtomCounts = t.0.entry(atom.clone()).or_default();
            c.items.resize(rating.len(), [0; LEVELS]);
            c.items[j] = *n;
        }
    }
    normalise(&mut t, rating.len());
    t
}

/// Every atom with all items present, empty atoms dropped: the one shape
/// two tallies are compared in.
fn normalise(t: &mut Tallies, k: usize) {
    for c in t.0.values_mut() {
        c.items.resize(k, [0; LEVELS]);
    }
    t.drop_zeros();
}

impl WriteTx {
    /// What the response adds to its campaign's results now (inside this
    /// transaction, so before or after this write's own changes): `None`
    /// while it is not submitted, `Some(None)` for a submitted response
    /// the validity rule does not count.
    pub(crate) async fn contribution(
        &mut self,
        response_id: &str,
        rule: &ValidityRule,
        rating: &[String],
    ) -> Result<Option<Option<Contribution>>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT region_code, deprov_code, network_code, role, submitted_at FROM responses WHERE id = $1",
        )
        .bind(response_id.to_owned())
        .fetch_optional(&mut **self)
        .await?
        else {
            return Ok(None);
        };
        if opt_int(&row, "submitted_at")?.is_none() {
            return Ok(None);
        }
        let mut answers = BTreeMap::new();
        for a in sqlx::query("SELECT item, value FROM answers WHERE response_id = $1")
            .bind(response_id.to_owned())
            .fetch_all(&mut **self)
            .await?
        {
            answers.insert(text(&a, "item")?, text(&a, "value")?);
        }
        Ok(Some(Contribution::of(
            rule,
            rating,
            true,
            atom_of_response(&row)?,
            &answers,
        )))
    }

    /// Adds `change` to the campaign's kept counts under its next version.
    /// A campaign never counted is recounted whole instead (its answers,
    /// this write's among them, are all in this transaction's view).
    pub(crate) async fn apply_tallies(
        &mut self,
        campaign_id: i64,
        change: &Tallies,
        rating: &[String],
    ) -> Result<(), StoreError> {
        if change.is_empty() {
            return Ok(());
        }
        let Some(version) = self.next_version(campaign_id).await? else {
            self.rebuild_results(campaign_id).await?;
            return Ok(());
        };
        self.insert_atoms(
            campaign_id,
            version,
            change,
            " ON CONFLICT (campaign_id, region, deprov, network, role) DO UPDATE SET \
             respondents = result_atoms.respondents + excluded.respondents, version = excluded.version",
        )
        .await?;
        let rows = count_rows(change, rating);
        self.insert_counts(
            campaign_id,
            version,
            &rows,
            " ON CONFLICT (campaign_id, region, deprov, network, role, item) DO UPDATE SET \
             n0 = result_counts.n0 + excluded.n0, n1 = result_counts.n1 + excluded.n1, \
             n2 = result_counts.n2 + excluded.n2, n3 = result_counts.n3 + excluded.n3, \
             n4 = result_counts.n4 + excluded.n4, n5 = result_counts.n5 + excluded.n5, \
             version = excluded.version",
        )
        .await
    }

    /// Recounts the campaign from its answers inside this transaction,
    /// replacing the kept counts.
    pub async fn rebuild_results(&mut self, campaign_id: i64) -> Result<Rebuilt, StoreError> {
        let campaign = campaign_in(self, campaign_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let rule = campaign.validity();
        let rating = self.rating_in(campaign.instrument_version_id).await?;
        // The version row first: it is the lock every change of this
        // campaign's counts takes, so nothing changes them meanwhile. Two
        // first counts at once: the second insert waits for the first to
        // commit, does nothing, and recounts after it.
        sqlx::query(
            "INSERT INTO result_versions (campaign_id, version) VALUES ($1, 0) ON CONFLICT (campaign_id) DO NOTHING",
        )
        .bind(campaign_id)
        .execute(&mut **self)
        .await?;
        let version = self
            .next_version(campaign_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut fresh = self.recount(campaign_id, &rule, &rating).await?;
        normalise(&mut fresh, rating.len());
        let kept = self.kept_tallies(campaign_id, &rating).await?;
        let differing_atoms = fresh
            .0
            .keys()
            .chain(kept.0.keys())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .filter(|a| fresh.0.get(*a) != kept.0.get(*a))
            .count();
        for table in ["result_atoms", "result_counts"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE campaign_id = $1"
            )))
            .bind(campaign_id)
            .execute(&mut **self)
            .await?;
        }
        self.insert_atoms(campaign_id, version, &fresh, "").await?;
        let rows = count_rows(&fresh, &rating);
        self.insert_counts(campaign_id, version, &rows, "").await?;
        Ok(Rebuilt {
            version,
            respondents: fresh.respondents(),
            atoms: fresh.0.len(),
            differing_atoms,
        })
    }

    /// Takes the campaign's next results version (and with it the lock on
    /// its counts); `None` if the campaign was never counted.
    async fn next_version(&mut self, campaign_id: i64) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query(
            "UPDATE result_versions SET version = version + 1 WHERE campaign_id = $1 RETURNING version",
        )
        .bind(campaign_id)
        .fetch_optional(&mut **self)
        .await?;
        Ok(row.map(|r| int(&r, "version")).transpose()?)
    }

    async fn insert_atoms(
        &mut self,
        campaign_id: i64,
        version: i64,
        tallies: &Tallies,
        on_conflict: &str,
    ) -> Result<(), StoreError> {
        for chunk in tallies.0.iter().collect::<Vec<_>>().chunks(INSERT_ROWS) {
            let mut sql = Sql::new(
                "INSERT INTO result_atoms (campaign_id, region, deprov, network, role, respondents, version) VALUES ",
            );
            for (i, (atom, c)) in chunk.iter().enumerate() {
                sql.push(if i == 0 { "(" } else { ", (" }).bind(campaign_id);
                for part in *atom {
                    sql.push(", ").bind(part.as_str());
                }
                sql.push(", ")
                    .bind(c.respondents)
                    .push(", ")
                    .bind(version)
                    .push(")");
            }
            sql.push(on_conflict);
            sql.query().execute(&mut **self).await?;
        }
        Ok(())
    }

    async fn insert_counts(
        &mut self,
        campaign_id: i64,
        version: i64,
        rows: &[(&AtomKey, &str, &[i64; LEVELS])],
        on_conflict: &str,
    ) -> Result<(), StoreError> {
        for chunk in rows.chunks(INSERT_ROWS) {
            let mut sql = Sql::new(
                "INSERT INTO result_counts (campaign_id, region, deprov, network, role, item, \
                 n0, n1, n2, n3, n4, n5, version) VALUES ",
            );
            for (i, (atom, item, n)) in chunk.iter().enumerate() {
                sql.push(if i == 0 { "(" } else { ", (" }).bind(campaign_id);
                for part in *atom {
                    sql.push(", ").bind(part.as_str());
                }
                sql.push(", ").bind(*item);
                for v in *n {
                    sql.push(", ").bind(*v);
                }
                sql.push(", ").bind(version).push(")");
            }
            sql.push(on_conflict);
            sql.query().execute(&mut **self).await?;
        }
        Ok(())
    }

    /// The campaign's counts from its answers, a page of responses at a time.
    async fn recount(
        &mut self,
        campaign_id: i64,
        rule: &ValidityRule,
        rating: &[String],
    ) -> Result<Tallies, StoreError> {
        let mut tallies = Tallies::default();
        let mut after = String::new();
        loop {
            let page = sqlx::query(
                "SELECT id, region_code, deprov_code, network_code, role FROM responses \
                 WHERE campaign_id = $1 AND submitted_at IS NOT NULL AND id > $2 ORDER BY id LIMIT $3",
            )
            .bind(campaign_id)
            .bind(after.clone())
            .bind(PAGE)
            .fetch_all(&mut **self)
            .await?;
            let Some(last) = page.last() else { break };
            after = text(last, "id")?;
            let ids: Vec<String> = page
                .iter()
                .map(|r| text(r, "id"))
                .collect::<Result<_, _>>()?;
            let mut sql =
                Sql::new("SELECT response_id, item, value FROM answers WHERE response_id IN ");
            sql.bind_list(&ids);
            let mut answers: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
            for a in sql.query().fetch_all(&mut **self).await? {
                answers
                    .entry(text(&a, "response_id")?)
                    .or_default()
                    .insert(text(&a, "item")?, text(&a, "value")?);
            }
            let none = BTreeMap::new();
            for (row, id) in page.iter().zip(&ids) {
                let given = answers.get(id).unwrap_or(&none);
                if let Some(c) = Contribution::of(rule, rating, true, atom_of_response(row)?, given)
                {
                    tallies.add(&c);
                }
            }
            if (page.len() as i64) < PAGE {
                break;
            }
        }
        Ok(tallies)
    }

    async fn kept_tallies(
        &mut self,
        campaign_id: i64,
        rating: &[String],
    ) -> Result<Tallies, StoreError> {
        let atoms = sqlx::query(ATOMS_SINCE)
            .bind(campaign_id)
            .bind(0i64)
            .fetch_all(&mut **self)
            .await?;
        let counts = sqlx::query(COUNTS_SINCE)
            .bind(campaign_id)
            .bind(0i64)
            .fetch_all(&mut **self)
            .await?;
        Ok(tallies_from(&rows_of(0, &atoms, &counts)?, rating))
    }

    async fn rating_in(&mut self, instrument_version_id: i64) -> Result<Vec<String>, StoreError> {
        let stored = super::instruments::version_in(self, instrument_version_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(rating_names(&stored.instrument))
    }
}

/// A response row's atom, as the results group it.
fn atom_of_response(row: &sqlx::any::AnyRow) -> Result<AtomKey, sqlx::Error> {
    let code = |c| opt_int(row, c).map(|v| v.map(|v| v.to_string()).unwrap_or_default());
    Ok([
        code("region_code")?,
        code("deprov_code")?,
        opt_text(row, "network_code")?.unwrap_or_default(),
        opt_text(row, "role")?.unwrap_or_default(),
    ])
}
