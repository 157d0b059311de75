//! What campaigns report: funnel facts per invitation and response files.

use crate::db::Fetch;
use std::collections::BTreeMap;

use trama_campaign::funnel::{Coverage, InvitationFacts, coverage};
use trama_campaign::response_file::{ResponseRecord, format_time};

use super::lifecycle::Campaign;
use super::{int, opt_int, opt_text, text};
use crate::{Store, StoreError};

/// Whether response `r` counts, as [`ValidityRule::is_valid`] decides in
/// integers, with the rule's percentage bound to `$2`.
///
/// [`ValidityRule::is_valid`]: trama_campaign::ValidityRule::is_valid
const COUNTS: &str = "r.submitted_at IS NOT NULL AND (r.rating_total = 0 OR r.rating_answered * 100 >= $2 * r.rating_total)";

/// Funnel facts with the names that label the groups.
#[derive(Debug, Clone, Default)]
pub struct FunnelData {
    pub facts: Vec<InvitationFacts>,
    pub coverage: Coverage,
    pub region_names: BTreeMap<String, String>,
    pub deprov_names: BTreeMap<String, String>,
    pub network_names: BTreeMap<String, String>,
}

impl Store {
    /// The funnel's facts, counted by the database: one row per place,
    /// role and stage with how many invitations are there, not one per
    /// invitation. Validity is the campaign's rule, in integers as
    /// [`ValidityRule::is_valid`](trama_campaign::ValidityRule::is_valid).
    pub async fn funnel_data(&self, c: &Campaign) -> Result<FunnelData, StoreError> {
        let rule = c.validity();
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT i.region_code, i.deprov_code, n.code, n.name AS network_name, g.name AS region_name, \
             d.name AS deprov_name, i.role, \
             CASE WHEN i.opened_at IS NULL THEN 0 ELSE 1 END AS opened, \
             CASE WHEN i.started_at IS NULL THEN 0 ELSE 1 END AS started, \
             CASE WHEN i.completed_at IS NULL THEN 0 ELSE 1 END AS complete, \
             CASE WHEN {COUNTS} THEN 1 ELSE 0 END AS valid, \
             COUNT(*) AS invitations \
             FROM invitations i JOIN networks n ON n.id = i.network_id JOIN regions g ON g.code = i.region_code \
             LEFT JOIN deprovs d ON d.code = i.deprov_code \
             LEFT JOIN response_links l ON l.invitation_id = i.id LEFT JOIN responses r ON r.id = l.response_id \
             WHERE i.campaign_id = $1 AND i.revoked_at IS NULL \
             GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11"
        )))
        .bind(c.id)
        .bind(i64::from(rule.min_rating_pct))
        .read_all(self.db())
        .await?;
        let mut data = FunnelData::default();
        for r in &rows {
            let region = int(r, "region_code")?.to_string();
            let deprov = opt_int(r, "deprov_code")?
                .map(|d| d.to_string())
                .unwrap_or_default();
            let network = text(r, "code")?;
            data.region_names
                .insert(region.clone(), text(r, "region_name")?);
            if let Some(n) = opt_text(r, "deprov_name")? {
                data.deprov_names.insert(deprov.clone(), n);
            }
            data.network_names
                .insert(network.clone(), text(r, "network_name")?);
            data.facts.push(InvitationFacts {
                region,
                deprov,
                network,
                role: text(r, "role")?,
                opened: int(r, "opened")? == 1,
                started: int(r, "started")? == 1,
                complete: int(r, "complete")? == 1,
                valid: int(r, "valid")? == 1,
                invitations: u32::try_from(int(r, "invitations")?).unwrap_or(0),
            });
        }
        // Answers gathered elsewhere and imported have no invitation.
        let imported = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT r.network_code, COUNT(*) AS n FROM responses r \
             WHERE r.campaign_id = $1 AND r.source = 'import' AND {COUNTS} GROUP BY r.network_code"
        )))
        .bind(c.id)
        .bind(i64::from(rule.min_rating_pct))
        .read_all(self.db())
        .await?;
        let mut extra_networks = vec![];
        let mut extra_cases = 0;
        for r in &imported {
            extra_cases += u32::try_from(int(r, "n")?).unwrap_or(0);
            if let Some(n) = opt_text(r, "network_code")? {
                extra_networks.push(n);
            }
        }
        let in_scope = self.networks_in_scope(c).await?;
        data.coverage = coverage(&data.facts, in_scope, &extra_networks, extra_cases);
        Ok(data)
    }

    /// Networks the campaign covers in its year (with a school that year).
    async fn networks_in_scope(&self, c: &Campaign) -> Result<u32, StoreError> {
        let y = i64::from(c.year);
        let mut sql = crate::sql::Sql::new(
            "SELECT COUNT(DISTINCT n.id) AS n FROM networks n JOIN network_schools ns ON ns.network_id = n.id \
             WHERE ns.from_year <= ",
        );
        sql.bind(y)
            .push(" AND (ns.to_year IS NULL OR ns.to_year >= ")
            .bind(y)
            .push(")");
        super::invitations::push_campaign_scope(&mut sql, &c.scope);
        let row = sql.query().read_one(self.db()).await?;
        Ok(int(&row, "n")?.max(0) as u32)
    }

    /// Responses of a campaign as the response file has them; only
    /// submitted ones unless `include_unsubmitted`. Never any identity.
    /// Holds them all: files are written from [`ResponsePages`] instead.
    pub async fn response_records(
        &self,
        campaign_id: i64,
        include_unsubmitted: bool,
    ) -> Result<Vec<ResponseRecord>, StoreError> {
        let mut pages = ResponsePages::new(campaign_id, include_unsubmitted);
        let mut all = vec![];
        while let Some(page) = pages.next(self).await? {
            all.extend(page);
        }
        Ok(all)
    }

    /// The responses of the campaign with these ids (at most a few thousand
    /// at once), with their answers, in the order of `ids`; ids not found
    /// are left out.
    pub async fn response_records_by_ids(
        &self,
        campaign_id: i64,
        ids: &[String],
    ) -> Result<Vec<ResponseRecord>, StoreError> {
        let mut sql = crate::sql::Sql::new(
            "SELECT r.id, r.region_code, r.deprov_code, r.network_code, r.role, r.submitted_at \
             FROM responses r WHERE r.campaign_id = ",
        );
        sql.bind(campaign_id).push(" AND r.id IN ").bind_list(ids);
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let rows = sql.query().read_all(self.db()).await?;
        let mut found: BTreeMap<String, ResponseRecord> = records_with_answers(self, &rows)
            .await?
            .into_iter()
            .map(|r| (r.response_id.clone(), r))
            .collect();
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }
}

/// A campaign's responses a page at a time, in the file's order (network,
/// then response id), so a file of any size is written in bounded memory.
/// Pages follow on from the last row read (keyset), each one an index
/// range, never an offset to skip.
#[derive(Debug, Clone)]
pub struct ResponsePages {
    campaign_id: i64,
    include_unsubmitted: bool,
    size: i64,
    /// (network, id) of the last row read.
    after: (String, String),
    done: bool,
}

impl ResponsePages {
    pub const SIZE: i64 = 2_000;

    pub fn new(campaign_id: i64, include_unsubmitted: bool) -> ResponsePages {
        Self::with_size(campaign_id, include_unsubmitted, Self::SIZE)
    }

    /// Pages of `size` responses (at least one).
    pub fn with_size(campaign_id: i64, include_unsubmitted: bool, size: i64) -> ResponsePages {
        ResponsePages {
            campaign_id,
            include_unsubmitted,
            size: size.max(1),
            after: (String::new(), String::new()),
            done: false,
        }
    }

    /// The next page, `None` after the last. Every response has a network
    /// (an invitation's, or one an import checked), which the order needs.
    pub async fn next(&mut self, store: &Store) -> Result<Option<Vec<ResponseRecord>>, StoreError> {
        if self.done {
            return Ok(None);
        }
        let filter = if self.include_unsubmitted {
            ""
        } else {
            " AND r.submitted_at IS NOT NULL"
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT r.id, r.region_code, r.deprov_code, r.network_code, r.role, r.submitted_at \
             FROM responses r WHERE r.campaign_id = $1{filter} AND (r.network_code, r.id) > ($2, $3) \
             ORDER BY r.network_code, r.id LIMIT $4"
        )))
        .bind(self.campaign_id)
        .bind(self.after.0.clone())
        .bind(self.after.1.clone())
        .bind(self.size)
        .read_all(store.db())
        .await?;
        if (rows.len() as i64) < self.size {
            self.done = true;
        }
        let Some(last) = rows.last() else {
            return Ok(None);
        };
        self.after = (
            opt_text(last, "network_code")?.unwrap_or_default(),
            text(last, "id")?,
        );
        Ok(Some(records_with_answers(store, &rows).await?))
    }
}

/// Response rows (`id`, places, `role`, `submitted_at`) as records, with
/// their answers read in one query.
async fn records_with_answers(
    store: &Store,
    rows: &[sqlx::any::AnyRow],
) -> Result<Vec<ResponseRecord>, StoreError> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<String> = rows
        .iter()
        .map(|r| text(r, "id"))
        .collect::<Result<_, _>>()?;
    let mut sql =
        crate::sql::Sql::new("SELECT response_id, item, value FROM answers WHERE response_id IN ");
    sql.bind_list(&ids);
    let mut by_response: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for a in sql.query().read_all(store.db()).await? {
        by_response
            .entry(text(&a, "response_id")?)
            .or_default()
            .insert(text(&a, "item")?, text(&a, "value")?);
    }
    let records = rows
        .iter()
        .map(|r| {
            let id = text(r, "id")?;
            Ok(ResponseRecord {
                answers: by_response.remove(&id).unwrap_or_default(),
                response_id: id,
                region: opt_int(r, "region_code")?
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
                deprov: opt_int(r, "deprov_code")?
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
                network: opt_text(r, "network_code")?.unwrap_or_default(),
                role: opt_text(r, "role")?.unwrap_or_default(),
                submitted_at: opt_int(r, "submitted_at")?
                    .map(format_time)
                    .unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(records)
}
