//! What campaigns report: funnel facts per invitation and response files.

use crate::db::Fetch;
use std::collections::{BTreeMap, HashSet};

use rand::RngExt;
use trama_campaign::funnel::{Coverage, InvitationFacts, coverage};
use trama_campaign::response_file::{ResponseRecord, format_time, parse_time};
use trama_domain::Problem;
use trama_instrument::Instrument;

use super::lifecycle::Campaign;
use super::{int, opt_int, opt_text, text};
use crate::error::RowProblem;
use crate::{Store, StoreError, now};

/// Funnel facts with the names that label the groups.
#[derive(Debug, Clone, Default)]
pub struct FunnelData {
    pub facts: Vec<InvitationFacts>,
    pub coverage: Coverage,
    pub region_names: BTreeMap<String, String>,
    pub deprov_names: BTreeMap<String, String>,
    pub network_names: BTreeMap<String, String>,
}

/// See [`Store::responses_stamp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponsesStamp(i64, i64, i64);

impl Store {
    pub async fn funnel_data(&self, c: &Campaign) -> Result<FunnelData, StoreError> {
        let rule = c.validity();
        let rows = sqlx::query(
            "SELECT i.region_code, i.deprov_code, n.code, n.name AS network_name, g.name AS region_name, \
             d.name AS deprov_name, i.role, i.opened_at, i.started_at, i.completed_at, r.submitted_at, \
             r.rating_answered, r.rating_total \
             FROM invitations i JOIN networks n ON n.id = i.network_id JOIN regions g ON g.code = i.region_code \
             LEFT JOIN deprovs d ON d.code = i.deprov_code \
             LEFT JOIN response_links l ON l.invitation_id = i.id LEFT JOIN responses r ON r.id = l.response_id \
             WHERE i.campaign_id = $1 AND i.revoked_at IS NULL",
        )
        .bind(c.id)
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
            let submitted = opt_int(r, "submitted_at")?.is_some();
            let answered = opt_int(r, "rating_answered")?.unwrap_or(0).max(0) as u32;
            let total = opt_int(r, "rating_total")?.unwrap_or(0).max(0) as u32;
            data.facts.push(InvitationFacts {
                region,
                deprov,
                network,
                role: text(r, "role")?,
                opened: opt_int(r, "opened_at")?.is_some(),
                started: opt_int(r, "started_at")?.is_some(),
                complete: opt_int(r, "completed_at")?.is_some(),
                valid: rule.is_valid(submitted, answered, total),
            });
        }
        // Answers gathered elsewhere and imported have no invitation.
        let imported = sqlx::query(
            "SELECT network_code, rating_answered, rating_total, submitted_at FROM responses \
             WHERE campaign_id = $1 AND source = 'import'",
        )
        .bind(c.id)
        .read_all(self.db())
        .await?;
        let mut extra_networks = vec![];
        let mut extra_cases = 0;
        for r in &imported {
            let valid = rule.is_valid(
                opt_int(r, "submitted_at")?.is_some(),
                int(r, "rating_answered")?.max(0) as u32,
                int(r, "rating_total")?.max(0) as u32,
            );
            if valid {
                extra_cases += 1;
                if let Some(n) = opt_text(r, "network_code")? {
                    extra_networks.push(n);
                }
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

    /// What changes whenever any response of the campaign does: how many
    /// there are, the latest update, and how many answers they hold. Saves
    /// and submits move `updated_at`; imports and erasures move the counts.
    pub async fn responses_stamp(&self, campaign_id: i64) -> Result<ResponsesStamp, StoreError> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, COALESCE(MAX(r.updated_at), 0) AS t, \
             (SELECT COUNT(*) FROM answers a JOIN responses x ON x.id = a.response_id WHERE x.campaign_id = $1) AS a \
             FROM responses r WHERE r.campaign_id = $1",
        )
        .bind(campaign_id)
        .read_one(self.db())
        .await?;
        Ok(ResponsesStamp(
            int(&row, "n")?,
            int(&row, "t")?,
            int(&row, "a")?,
        ))
    }

    /// Responses of a campaign as the response file has them; only
    /// submitted ones unless `include_unsubmitted`. Never any identity.
    pub async fn response_records(
        &self,
        campaign_id: i64,
        include_unsubmitted: bool,
    ) -> Result<Vec<ResponseRecord>, StoreError> {
        let filter = if include_unsubmitted {
            ""
        } else {
            " AND r.submitted_at IS NOT NULL"
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT r.id, r.region_code, r.deprov_code, r.network_code, r.role, r.submitted_at \
             FROM responses r WHERE r.campaign_id = $1{filter} ORDER BY r.network_code, r.id"
        )))
        .bind(campaign_id)
        .read_all(self.db())
        .await?;
        let answers = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT a.response_id, a.item, a.value FROM answers a JOIN responses r ON r.id = a.response_id \
             WHERE r.campaign_id = $1{filter}"
        )))
        .bind(campaign_id)
        .read_all(self.db())
        .await?;
        let mut by_response: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for a in &answers {
            by_response
                .entry(text(a, "response_id")?)
                .or_default()
                .insert(text(a, "item")?, text(a, "value")?);
        }
        rows.iter()
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
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Loads responses gathered elsewhere, all or nothing. Networks must exist
    /// and response ids must be new; problems name the file line.
    pub async fn import_responses(
        &self,
        campaign: &Campaign,
        instrument: &Instrument,
        records: &[(u64, ResponseRecord)],
    ) -> Result<usize, StoreError> {
        let mut problems = vec![];
        let known: HashSet<String> = sqlx::query("SELECT code FROM networks")
            .read_all(self.db())
            .await?
            .iter()
            .map(|r| text(r, "code"))
            .collect::<Result<_, _>>()?;
        for (line, r) in records {
            if !known.contains(&r.network) {
                problems.push(RowProblem {
                    line: *line,
                    column: "network",
                    value: r.network.clone(),
                    problem: Problem::UnknownNetwork,
                });
            }
            if !r.response_id.is_empty() {
                let exists = sqlx::query("SELECT 1 FROM responses WHERE id = $1")
                    .bind(r.response_id.clone())
                    .read_optional(self.db())
                    .await?;
                if exists.is_some() {
                    problems.push(RowProblem {
                        line: *line,
                        column: "response_id",
                        value: r.response_id.clone(),
                        problem: Problem::AlreadyExists,
                    });
                }
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::References(problems));
        }
        let rating: HashSet<&str> = instrument
            .rating_items()
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        let now = now();
        let mut tx = self.begin_write().await?;
        for (_, r) in records {
            let id = if r.response_id.is_empty() {
                let bytes: [u8; 12] = rand::rng().random();
                format!("r{}", hex::encode(bytes))
            } else {
                r.response_id.clone()
            };
            let answered = r
                .answers
                .iter()
                .filter(|(k, v)| rating.contains(k.as_str()) && !v.is_empty())
                .count() as i64;
            sqlx::query(
                "INSERT INTO responses (id, campaign_id, instrument_version_id, year, region_code, deprov_code, \
                 network_code, role, source, page, rating_answered, rating_total, started_at, updated_at, submitted_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'import', 0, $9, $10, $11, $11, $12)",
            )
            .bind(id.clone())
            .bind(campaign.id)
            .bind(campaign.instrument_version_id)
            .bind(campaign.year)
            .bind(r.region.parse::<i64>().ok())
            .bind(r.deprov.parse::<i64>().ok())
            .bind(r.network.clone())
            .bind(r.role.clone())
            .bind(answered)
            .bind(rating.len() as i64)
            .bind(now)
            .bind(parse_time(&r.submitted_at))
            .execute(&mut *tx)
            .await?;
            for (item, value) in &r.answers {
                sqlx::query("INSERT INTO answers (response_id, item, value) VALUES ($1, $2, $3)")
                    .bind(id.clone())
                    .bind(item.clone())
                    .bind(value.clone())
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(records.len())
    }
}
