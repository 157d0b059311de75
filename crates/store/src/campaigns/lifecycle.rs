//! Campaigns: created as drafts for a year and a scope, opened (which needs
//! invitees), closed by hand or when their close date passes.

use crate::db::Fetch;
use serde::Serialize;
use trama_campaign::{ReminderDays, ValidityRule};
use trama_domain::Problem;
use trama_domain::policy::{Scope, Target};
use trama_domain::problem::FieldProblem;
use trama_domain::territory::RegionCode;

use super::{int, opt_int, text};
use crate::error::unique_on;
use crate::sql::Sql;
use crate::{Store, StoreError, WriteTx, now};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "codes", rename_all = "snake_case")]
pub enum CampaignScope {
    National,
    Regions(Vec<i16>),
    Networks(Vec<String>),
}

impl CampaignScope {
    pub fn kind(&self) -> &'static str {
        match self {
            CampaignScope::National => "national",
            CampaignScope::Regions(_) => "regions",
            CampaignScope::Networks(_) => "networks",
        }
    }

    fn codes(&self) -> String {
        match self {
            CampaignScope::National => String::new(),
            CampaignScope::Regions(r) => r.iter().map(i16::to_string).collect::<Vec<_>>().join(","),
            CampaignScope::Networks(n) => n.join(","),
        }
    }

    fn from_columns(kind: &str, codes: &str) -> CampaignScope {
        let parts = codes.split(',').map(str::trim).filter(|c| !c.is_empty());
        match kind {
            "regions" => CampaignScope::Regions(parts.filter_map(|c| c.parse().ok()).collect()),
            "networks" => CampaignScope::Networks(parts.map(str::to_owned).collect()),
            _ => CampaignScope::National,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    Draft,
    Open,
    Closed,
}

impl CampaignStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Draft => "draft",
            CampaignStatus::Open => "open",
            CampaignStatus::Closed => "closed",
        }
    }

    fn parse(s: &str) -> CampaignStatus {
        match s {
            "open" => CampaignStatus::Open,
            "closed" => CampaignStatus::Closed,
            _ => CampaignStatus::Draft,
        }
    }
}

#[derive(Debug, Clone)]
pub struct CampaignInput {
    pub code: String,
    pub name: String,
    pub year: i32,
    pub instrument_version_id: i64,
    pub scope: CampaignScope,
    pub opens_at: i64,
    pub closes_at: i64,
    pub reminder_days: ReminderDays,
    pub validity: ValidityRule,
}

#[derive(Debug, Clone, Serialize)]
pub struct Campaign {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub year: i32,
    pub instrument_version_id: i64,
    pub instrument_code: String,
    pub instrument_number: i64,
    pub scope: CampaignScope,
    pub status: CampaignStatus,
    pub opens_at: i64,
    pub closes_at: i64,
    pub reminder_days: String,
    pub valid_min_pct: u8,
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub created_at: i64,
    /// What participants see of their network's map.
    #[serde(serialize_with = "map_view_name")]
    pub sna_view: trama_domain::policy::MapView,
}

fn map_view_name<S: serde::Serializer>(
    v: &trama_domain::policy::MapView,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(v.as_str())
}

impl Campaign {
    pub fn validity(&self) -> ValidityRule {
        ValidityRule::new(self.valid_min_pct)
    }

    /// Whether links may be answered at `t`.
    pub fn accepts_answers(&self, t: i64) -> bool {
        self.status == CampaignStatus::Open && t < self.closes_at
    }

    /// Whether an actor with registry `scope` may see this campaign: a
    /// regional coordinator sees campaigns touching their region, a
    /// supervisor those naming their networks.
    pub fn visible_in(
        &self,
        scope: &Scope,
        region_of: impl Fn(&str) -> Option<i16>,
        network_ids: &[(String, i64)],
    ) -> bool {
        match (scope, &self.scope) {
            (Scope::All, _) => true,
            (Scope::Region(r), CampaignScope::Regions(rs)) => rs.contains(&r.0),
            (Scope::Region(r), CampaignScope::Networks(ns)) => {
                ns.iter().any(|n| region_of(n) == Some(r.0))
            }
            (Scope::Region(_), CampaignScope::National) => true,
            (Scope::Networks(ids), CampaignScope::Networks(ns)) => ns.iter().any(|n| {
                network_ids
                    .iter()
                    .any(|(code, id)| code == n && ids.contains(id))
            }),
            (Scope::Networks(_), _) => true,
        }
    }
}

const SELECT: &str = "SELECT c.id, c.code, c.name, c.year, c.instrument_version_id, i.code AS instrument_code, \
     v.number AS instrument_number, c.scope, c.scope_codes, c.status, c.opens_at, c.closes_at, c.reminder_days, \
     c.valid_min_pct, c.opened_at, c.closed_at, c.created_at, c.sna_view \
     FROM campaigns c JOIN instrument_versions v ON v.id = c.instrument_version_id \
     JOIN instruments i ON i.id = v.instrument_id";

fn decode(row: &sqlx::any::AnyRow) -> Result<Campaign, sqlx::Error> {
    Ok(Campaign {
        id: int(row, "id")?,
        code: text(row, "code")?,
        name: text(row, "name")?,
        year: int(row, "year")? as i32,
        instrument_version_id: int(row, "instrument_version_id")?,
        instrument_code: text(row, "instrument_code")?,
        instrument_number: int(row, "instrument_number")?,
        scope: CampaignScope::from_columns(&text(row, "scope")?, &text(row, "scope_codes")?),
        status: CampaignStatus::parse(&text(row, "status")?),
        opens_at: int(row, "opens_at")?,
        closes_at: int(row, "closes_at")?,
        reminder_days: text(row, "reminder_days")?,
        valid_min_pct: int(row, "valid_min_pct")?.clamp(0, 100) as u8,
        opened_at: opt_int(row, "opened_at")?,
        closed_at: opt_int(row, "closed_at")?,
        created_at: int(row, "created_at")?,
        sna_view: trama_domain::policy::MapView::participant_setting(&text(row, "sna_view")?),
    })
}

fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 40
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Store {
    pub async fn list_campaigns(&self) -> Result<Vec<Campaign>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} ORDER BY c.year DESC, c.created_at DESC"
        )))
        .read_all(self.db())
        .await?;
        Ok(rows.iter().map(decode).collect::<Result<_, _>>()?)
    }

    pub async fn campaign(&self, code: &str) -> Result<Option<Campaign>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE c.code = $1")))
            .bind(code.to_owned())
            .read_optional(self.db())
            .await?;
        Ok(row.as_ref().map(decode).transpose()?)
    }

    /// Where a campaign sits for the policy, from its real scope: a national
    /// campaign is country-wide; otherwise every region and network it
    /// covers (the networks of its regions, the regions of its networks).
    pub async fn campaign_target(&self, c: &Campaign) -> Result<Target, StoreError> {
        self.scope_target(&c.scope).await
    }

    /// Where a campaign with this scope would sit (see [`Store::campaign_target`]).
    pub async fn scope_target(&self, scope: &CampaignScope) -> Result<Target, StoreError> {
        let mut sql = Sql::new("SELECT n.id, n.region_code FROM networks n WHERE 1 = 1");
        match scope {
            CampaignScope::National => return Ok(Target::national()),
            CampaignScope::Regions(r) => {
                sql.push(" AND n.region_code IN ")
                    .bind_list(&r.iter().map(|c| i64::from(*c)).collect::<Vec<_>>());
            }
            CampaignScope::Networks(codes) => {
                // As create_campaign matches them: whatever the case.
                let upper: Vec<String> = codes.iter().map(|c| c.to_uppercase()).collect();
                sql.push(" AND upper(n.code) IN ").bind_list(&upper);
            }
        }
        let rows = sql.query().read_all(self.db()).await?;
        let mut regions: Vec<RegionCode> = match scope {
            CampaignScope::Regions(r) => r.iter().map(|c| RegionCode(*c)).collect(),
            _ => vec![],
        };
        let mut networks = vec![];
        for r in &rows {
            networks.push(int(r, "id")?);
            regions.push(RegionCode(int(r, "region_code")? as i16));
        }
        Ok(Target::spanning(regions, networks))
    }

    pub async fn campaign_by_id(&self, id: i64) -> Result<Option<Campaign>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE c.id = $1")))
            .bind(id)
            .read_optional(self.db())
            .await?;
        Ok(row.as_ref().map(decode).transpose()?)
    }

    /// Closes every open campaign whose close date has passed; returns them.
    pub async fn close_due_campaigns(&self, t: i64) -> Result<Vec<i64>, StoreError> {
        let rows =
            sqlx::query("SELECT id FROM campaigns WHERE status = 'open' AND closes_at <= $1")
                .bind(t)
                .read_all(self.db())
                .await?;
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| int(r, "id"))
            .collect::<Result<_, _>>()?;
        for id in &ids {
            self.write(async |tx| tx.close_campaign(*id).await).await?;
        }
        Ok(ids)
    }

    /// Reminder runs that have fallen due and nobody holds:
    /// `(campaign id, due time)`.
    pub async fn due_reminder_runs(&self, t: i64) -> Result<Vec<(i64, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.campaign_id, r.due_at FROM campaign_reminders r JOIN campaigns c ON c.id = r.campaign_id \
             WHERE r.done_at IS NULL AND r.due_at <= $1 AND (r.lease_until IS NULL OR r.lease_until <= $1) \
             AND c.status = 'open' ORDER BY r.due_at",
        )
        .bind(t)
        .read_all(self.db())
        .await?;
        Ok(rows
            .iter()
            .map(|r| Ok((int(r, "campaign_id")?, int(r, "due_at")?)))
            .collect::<Result<_, sqlx::Error>>()?)
    }

    /// Takes a reminder run for [`REMINDER_RUN_LEASE_SECS`]; false when it is
    /// done or another worker holds it. The run stays to do until
    /// [`Store::finish_reminder_run`]: a worker that dies holding it leaves
    /// it to the next once the lease runs out.
    pub async fn claim_reminder_run(
        &self,
        campaign_id: i64,
        due_at: i64,
        t: i64,
    ) -> Result<bool, StoreError> {
        let claim = sqlx::query(
            "UPDATE campaign_reminders SET lease_until = $1 WHERE campaign_id = $2 AND due_at = $3 \
             AND done_at IS NULL AND (lease_until IS NULL OR lease_until <= $4)",
        )
        .bind(t + REMINDER_RUN_LEASE_SECS)
        .bind(campaign_id)
        .bind(due_at)
        .bind(t);
        let done = self.write_one(claim).await?;
        Ok(done.rows_affected() == 1)
    }

    /// Marks a reminder run done: every reminder it owed is queued.
    pub async fn finish_reminder_run(
        &self,
        campaign_id: i64,
        due_at: i64,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE campaign_reminders SET done_at = $1, lease_until = NULL WHERE campaign_id = $2 AND due_at = $3",
        )
        .bind(now())
        .bind(campaign_id)
        .bind(due_at);
        self.write_one(done).await?;
        Ok(())
    }

    /// A reminder run due at `t` (a coordinator's "remind now"), claimed by
    /// the caller at once; nothing new when one is due at that very second.
    pub async fn start_reminder_run(&self, campaign_id: i64, t: i64) -> Result<(), StoreError> {
        let run = sqlx::query(
            "INSERT INTO campaign_reminders (campaign_id, due_at, lease_until) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(campaign_id)
        .bind(t)
        .bind(t + REMINDER_RUN_LEASE_SECS);
        self.write_one(run).await?;
        Ok(())
    }
}

/// How long a worker holds a reminder run before another may resume it.
pub const REMINDER_RUN_LEASE_SECS: i64 = 300;

/// A campaign's life, inside a use case's transaction.
impl WriteTx {
    pub async fn create_campaign(
        &mut self,
        input: &CampaignInput,
        created_by: Option<i64>,
    ) -> Result<i64, StoreError> {
        let mut problems = vec![];
        if !valid_code(&input.code) {
            problems.push(FieldProblem::new("code", Problem::InvalidCode));
        }
        if let Err(p) = trama_domain::problem::text(&input.name, 200) {
            problems.push(FieldProblem::new("name", p));
        }
        if !(2000..=2100).contains(&input.year) {
            problems.push(FieldProblem::new(
                "year",
                Problem::OutOfRange {
                    min: 2000,
                    max: 2100,
                },
            ));
        }
        if input.closes_at <= input.opens_at {
            problems.push(FieldProblem::new("closes_on", Problem::ClosesBeforeOpening));
        }
        match &input.scope {
            CampaignScope::Regions(r) if r.is_empty() => {
                problems.push(FieldProblem::new("scope_codes", Problem::Required))
            }
            CampaignScope::Networks(n) if n.is_empty() => {
                problems.push(FieldProblem::new("scope_codes", Problem::Required))
            }
            _ => {}
        }
        // Network codes are matched whatever their case ("rme2" is RME2) and
        // stored as the registry spells them; each unknown one is named.
        let mut scope = input.scope.clone();
        if let CampaignScope::Networks(codes) = &mut scope {
            for c in codes.iter_mut() {
                let known = sqlx::query("SELECT code FROM networks WHERE upper(code) = upper($1)")
                    .bind(c.clone())
                    .fetch_optional(&mut **self)
                    .await?;
                match known {
                    Some(row) => *c = text(&row, "code")?,
                    None => problems.push(FieldProblem::new(
                        "scope_codes",
                        Problem::NoNetworkCode { code: c.clone() },
                    )),
                }
            }
            codes.dedup();
        }
        if valid_code(&input.code)
            && let Some(row) = sqlx::query(
                "SELECT code FROM campaigns WHERE lower(code) = lower($1) AND code <> $1",
            )
            .bind(input.code.clone())
            .fetch_optional(&mut **self)
            .await?
        {
            problems.push(FieldProblem::new(
                "code",
                Problem::SameCodeAs {
                    existing: text(&row, "code")?,
                },
            ));
        }
        let instrument = sqlx::query("SELECT 1 FROM instrument_versions WHERE id = $1")
            .bind(input.instrument_version_id)
            .fetch_optional(&mut **self)
            .await?;
        if instrument.is_none() {
            problems.push(FieldProblem::new("instrument", Problem::Required));
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        let row = sqlx::query(
            "INSERT INTO campaigns (code, name, year, instrument_version_id, scope, scope_codes, opens_at, closes_at, \
             status, reminder_days, valid_min_pct, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $9, $10, $11, $12) RETURNING id",
        )
        .bind(input.code.clone())
        .bind(input.name.trim().to_owned())
        .bind(input.year)
        .bind(input.instrument_version_id)
        .bind(scope.kind())
        .bind(scope.codes())
        .bind(input.opens_at)
        .bind(input.closes_at)
        .bind(input.reminder_days.to_string())
        .bind(i32::from(input.validity.min_rating_pct))
        .bind(created_by)
        .bind(now())
        .fetch_one(&mut **self)
        .await
        .map_err(unique_on("code"))?;
        Ok(int(&row, "id")?)
    }

    /// Opens a draft. Refused without invitees. Schedules its reminders.
    /// Sending the invitations is the caller's next step.
    pub async fn open_campaign(&mut self, id: i64) -> Result<(), StoreError> {
        let campaign = campaign_in(self, id).await?.ok_or(StoreError::NotFound)?;
        if campaign.status != CampaignStatus::Draft {
            return Err(StoreError::Invalid(vec![FieldProblem::new(
                "status",
                Problem::NotADraft,
            )]));
        }
        let invited = sqlx::query("SELECT 1 FROM invitations WHERE campaign_id = $1 LIMIT 1")
            .bind(id)
            .fetch_optional(&mut **self)
            .await?;
        if invited.is_none() {
            return Err(StoreError::Invalid(vec![FieldProblem::new(
                "invitations",
                Problem::NoInvitees,
            )]));
        }
        let now = now();
        sqlx::query("UPDATE campaigns SET status = 'open', opened_at = $1 WHERE id = $2 AND status = 'draft'")
            .bind(now)
            .bind(id)
            .execute(&mut **self)
            .await?;
        let days = ReminderDays::parse(&campaign.reminder_days).unwrap_or_default();
        for due in days.due_times(now, campaign.closes_at) {
            sqlx::query("INSERT INTO campaign_reminders (campaign_id, due_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(due)
                .execute(&mut **self)
                .await?;
        }
        Ok(())
    }

    /// Closes a campaign: links stop accepting answers and queued mail for it
    /// is cancelled.
    pub async fn close_campaign(&mut self, id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE campaigns SET status = 'closed', closed_at = $1 WHERE id = $2 AND status <> 'closed'")
            .bind(now())
            .bind(id)
            .execute(&mut **self)
            .await?;
        sqlx::query("UPDATE messages SET status = 'cancelled', link = NULL, unsubscribe = NULL WHERE campaign_id = $1 AND status = 'queued'")
            .bind(id)
            .execute(&mut **self)
            .await?;
        Ok(())
    }
}

/// A campaign read inside a write transaction.
pub(crate) async fn campaign_in(
    conn: &mut sqlx::AnyConnection,
    id: i64,
) -> Result<Option<Campaign>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE c.id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.as_ref().map(decode).transpose()?)
}
