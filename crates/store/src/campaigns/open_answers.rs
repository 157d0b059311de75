//! Open answers of a campaign, their codebook and their codings.
//!
//! An open answer is a row of `answers` whose item is a text question; it is
//! read only from valid submitted responses (the campaign's validity rule), so
//! that the groups counted against the anonymity threshold are the same ones
//! the results pages count. Nothing here knows a person: answers carry a
//! response id, year, region and network, and codings hang on those.
//!
//! This module only reads and writes. Who may see which group, and which
//! groups are too small to be shown, is decided by the caller (the
//! application layer applies the results' suppression rule on what it gets
//! from here).

use crate::db::Fetch;
use std::collections::{BTreeMap, HashMap};

use sha2::{Digest, Sha256};
use trama_domain::Problem;
use trama_domain::problem::FieldProblem;

use super::lifecycle::Campaign;
use super::{int, opt_int, opt_text, text};
use crate::error::unique_on;
use crate::sql::Sql;
use crate::{Store, StoreError, WriteTx, now};

/// Longest theme code; codes go into CSV headers and cells, so short.
pub const CODE_MAX: usize = 32;
/// Longest theme label.
pub const LABEL_MAX: usize = 120;
/// Longest theme description.
pub const DESCRIPTION_MAX: usize = 1000;

/// A theme of a question's codebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub id: i64,
    pub campaign_id: i64,
    pub item: String,
    pub code: String,
    pub label_es: String,
    pub label_en: String,
    pub description: Option<String>,
}

impl Theme {
    /// The label in English when asked for and present, else in Spanish.
    pub fn label(&self, english: bool) -> &str {
        if english && !self.label_en.is_empty() {
            &self.label_en
        } else {
            &self.label_es
        }
    }
}

/// A theme as a form or a seed gives it, before checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeInput {
    pub code: String,
    pub label_es: String,
    pub label_en: String,
    pub description: Option<String>,
}

impl ThemeInput {
    /// Trims every field and checks it; returns every problem at once, named
    /// by the form field it belongs to.
    pub fn checked(&self) -> Result<ThemeInput, Vec<FieldProblem>> {
        let mut problems = vec![];
        let code = self.code.trim().to_owned();
        if code.is_empty() {
            problems.push(FieldProblem::new("code", Problem::Required));
        } else if code.chars().count() > CODE_MAX {
            problems.push(FieldProblem::new(
                "code",
                Problem::TooLong { max: CODE_MAX },
            ));
        } else if !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            // Codes end up in CSV cells joined by ';' and in analysis tools'
            // variable names: plain ASCII keeps them safe everywhere.
            problems.push(FieldProblem::new("code", Problem::InvalidCode));
        }
        let mut label = |field: &'static str, value: &str| {
            let v = value.trim().to_owned();
            if v.is_empty() {
                problems.push(FieldProblem::new(field, Problem::Required));
            } else if let Err(p) = trama_domain::text::check_line(field, &v) {
                problems.push(p);
            } else if v.chars().count() > LABEL_MAX {
                problems.push(FieldProblem::new(
                    field,
                    Problem::TooLong { max: LABEL_MAX },
                ));
            }
            v
        };
        let label_es = label("label_es", &self.label_es);
        let label_en = label("label_en", &self.label_en);
        let description = self
            .description
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned);
        if let Some(Err(p)) = description
            .as_deref()
            .map(|d| trama_domain::text::check_text("description", d))
        {
            problems.push(p);
        } else if description
            .as_ref()
            .is_some_and(|d| d.chars().count() > DESCRIPTION_MAX)
        {
            problems.push(FieldProblem::new(
                "description",
                Problem::TooLong {
                    max: DESCRIPTION_MAX,
                },
            ));
        }
        if problems.is_empty() {
            Ok(ThemeInput {
                code,
                label_es,
                label_en,
                description,
            })
        } else {
            Err(problems)
        }
    }
}

/// Where a valid respondent sits: the groups the anonymity rule counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Respondent {
    pub region: Option<i64>,
    pub network: Option<String>,
}

/// One open answer with the ids of the themes assigned to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenAnswer {
    pub response_id: String,
    pub region: Option<i64>,
    pub network: Option<String>,
    pub value: String,
    pub themes: Vec<i64>,
}

/// Which coded state of answers to keep.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ThemeFilter {
    #[default]
    Any,
    /// Answers with no theme yet.
    Uncoded,
    /// Answers with this theme.
    Theme(i64),
}

/// Which answers to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenFilter {
    pub region: Option<i64>,
    /// Only answers from these networks; `Some(vec![])` keeps none (a
    /// supervisor whose networks are all too small must not get everything).
    pub networks: Option<Vec<String>>,
    /// Substring of the answer, regardless of case and accents.
    pub q: Option<String>,
    pub theme: ThemeFilter,
}

impl OpenFilter {
    fn matches(&self, a: &OpenAnswer, folded_q: Option<&str>) -> bool {
        let text_ok = folded_q.is_none_or(|q| trama_domain::search_key(&a.value).contains(q));
        let theme_ok = match self.theme {
            ThemeFilter::Any => true,
            ThemeFilter::Uncoded => a.themes.is_empty(),
            ThemeFilter::Theme(t) => a.themes.contains(&t),
        };
        text_ok && theme_ok
    }
}

/// Answers and theme counts of one set of answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Answers in the set.
    pub answers: u64,
    /// Answers with at least one theme.
    pub coded: u64,
    /// Answers per theme id (an answer with two themes counts in both).
    pub themes: BTreeMap<i64, u64>,
}

impl Tally {
    fn add(&mut self, a: &OpenAnswer) {
        self.answers += 1;
        if !a.themes.is_empty() {
            self.coded += 1;
        }
        for t in &a.themes {
            *self.themes.entry(*t).or_default() += 1;
        }
    }

    pub fn theme(&self, id: i64) -> u64 {
        self.themes.get(&id).copied().unwrap_or(0)
    }
}

/// Theme counts overall and per region. Counting is plain; which regions
/// may be shown is the caller's decision (anonymity threshold).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeCounts {
    pub overall: Tally,
    pub by_region: BTreeMap<Option<i64>, Tally>,
}

pub fn theme_counts(answers: &[OpenAnswer]) -> ThemeCounts {
    let mut out = ThemeCounts::default();
    for a in answers {
        out.overall.add(a);
        out.by_region.entry(a.region).or_default().add(a);
    }
    out
}

const THEME_COLUMNS: &str =
    "id, campaign_id, item, code, label_es, label_en, description FROM open_themes";

fn decode_theme(r: &sqlx::any::AnyRow) -> Result<Theme, sqlx::Error> {
    Ok(Theme {
        id: int(r, "id")?,
        campaign_id: int(r, "campaign_id")?,
        item: text(r, "item")?,
        code: text(r, "code")?,
        label_es: text(r, "label_es")?,
        label_en: text(r, "label_en")?,
        description: opt_text(r, "description")?,
    })
}

impl Store {
    /// Valid submitted responses of a campaign, by region and network.
    pub async fn open_respondents(&self, c: &Campaign) -> Result<Vec<Respondent>, StoreError> {
        let rule = c.validity();
        let rows = sqlx::query(
            "SELECT region_code, network_code, rating_answered, rating_total FROM responses \
             WHERE campaign_id = $1 AND submitted_at IS NOT NULL",
        )
        .bind(c.id)
        .read_all(self.db())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            if rule.is_valid(
                true,
                int(r, "rating_answered")?.max(0) as u32,
                int(r, "rating_total")?.max(0) as u32,
            ) {
                out.push(Respondent {
                    region: opt_int(r, "region_code")?,
                    network: opt_text(r, "network_code")?,
                });
            }
        }
        Ok(out)
    }

    /// The non-empty answers to `item` of valid responses that `filter`
    /// keeps, ordered by their text: never in the order they came in, which
    /// could tell who answered when, nor by group.
    pub async fn open_answers(
        &self,
        c: &Campaign,
        item: &str,
        filter: &OpenFilter,
    ) -> Result<Vec<OpenAnswer>, StoreError> {
        if filter.networks.as_ref().is_some_and(Vec::is_empty) {
            return Ok(vec![]);
        }
        let mut sql = Sql::new(
            "SELECT r.id, r.region_code, r.network_code, r.rating_answered, r.rating_total, a.value \
             FROM answers a JOIN responses r ON r.id = a.response_id \
             WHERE r.campaign_id = ",
        );
        sql.bind(c.id)
            .push(" AND a.item = ")
            .bind(item)
            .push(" AND r.submitted_at IS NOT NULL");
        if let Some(region) = filter.region {
            sql.push(" AND r.region_code = ").bind(region);
        }
        if let Some(networks) = &filter.networks {
            sql.push(" AND r.network_code IN ").bind_list(networks);
        }
        let rows = sql.query().read_all(self.db()).await?;
        let codings = self.codings(c.id, item).await?;
        let rule = c.validity();
        let folded = filter
            .q
            .as_deref()
            .map(trama_domain::search_key)
            .filter(|q| !q.is_empty());
        let mut out = vec![];
        for r in &rows {
            let valid = rule.is_valid(
                true,
                int(r, "rating_answered")?.max(0) as u32,
                int(r, "rating_total")?.max(0) as u32,
            );
            let value = text(r, "value")?.trim().to_owned();
            if !valid || value.is_empty() {
                continue;
            }
            let id = text(r, "id")?;
            let answer = OpenAnswer {
                themes: codings.get(&id).cloned().unwrap_or_default(),
                response_id: id,
                region: opt_int(r, "region_code")?,
                network: opt_text(r, "network_code")?,
                value,
            };
            if filter.matches(&answer, folded.as_deref()) {
                out.push(answer);
            }
        }
        // Equal texts are ordered by a hash of the response id, not the id:
        // ids that follow invitation order (imports, the demo) would put a
        // hidden network's answers between its named neighbours'.
        let mut keyed: Vec<((String, Vec<u8>), OpenAnswer)> = out
            .into_iter()
            .map(|a| {
                let tie = Sha256::digest(a.response_id.as_bytes()).to_vec();
                ((trama_domain::search_key(&a.value), tie), a)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(keyed.into_iter().map(|(_, a)| a).collect())
    }

    /// One answer of a valid response, for checking a coding request.
    pub async fn open_answer(
        &self,
        c: &Campaign,
        item: &str,
        response_id: &str,
    ) -> Result<Option<OpenAnswer>, StoreError> {
        let row = sqlx::query(
            "SELECT r.id, r.region_code, r.network_code, r.rating_answered, r.rating_total, a.value \
             FROM answers a JOIN responses r ON r.id = a.response_id \
             WHERE r.campaign_id = $1 AND a.item = $2 AND a.response_id = $3 AND r.submitted_at IS NOT NULL",
        )
        .bind(c.id)
        .bind(item.to_owned())
        .bind(response_id.to_owned())
        .read_optional(self.db())
        .await?;
        let Some(r) = row else { return Ok(None) };
        let valid = c.validity().is_valid(
            true,
            int(&r, "rating_answered")?.max(0) as u32,
            int(&r, "rating_total")?.max(0) as u32,
        );
        let value = text(&r, "value")?.trim().to_owned();
        if !valid || value.is_empty() {
            return Ok(None);
        }
        let themes = sqlx::query(
            "SELECT k.theme_id FROM open_codings k JOIN open_themes t ON t.id = k.theme_id \
             WHERE k.response_id = $1 AND k.item = $2 AND t.campaign_id = $3 ORDER BY t.code",
        )
        .bind(response_id.to_owned())
        .bind(item.to_owned())
        .bind(c.id)
        .read_all(self.db())
        .await?
        .iter()
        .map(|r| int(r, "theme_id"))
        .collect::<Result<_, _>>()?;
        Ok(Some(OpenAnswer {
            response_id: text(&r, "id")?,
            region: opt_int(&r, "region_code")?,
            network: opt_text(&r, "network_code")?,
            value,
            themes,
        }))
    }

    /// Theme ids per response id for a question, in codebook order.
    async fn codings(
        &self,
        campaign_id: i64,
        item: &str,
    ) -> Result<HashMap<String, Vec<i64>>, StoreError> {
        let rows = sqlx::query(
            "SELECT k.response_id, k.theme_id FROM open_codings k JOIN open_themes t ON t.id = k.theme_id \
             WHERE t.campaign_id = $1 AND t.item = $2 ORDER BY t.code, t.id",
        )
        .bind(campaign_id)
        .bind(item.to_owned())
        .read_all(self.db())
        .await?;
        let mut out: HashMap<String, Vec<i64>> = HashMap::new();
        for r in &rows {
            out.entry(text(r, "response_id")?)
                .or_default()
                .push(int(r, "theme_id")?);
        }
        Ok(out)
    }

    /// The codebook of a question, by code.
    pub async fn open_themes(
        &self,
        campaign_id: i64,
        item: &str,
    ) -> Result<Vec<Theme>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {THEME_COLUMNS} WHERE campaign_id = $1 AND item = $2 ORDER BY code, id"
        )))
        .bind(campaign_id)
        .bind(item.to_owned())
        .read_all(self.db())
        .await?;
        Ok(rows.iter().map(decode_theme).collect::<Result<_, _>>()?)
    }

    /// A theme of a campaign's question; `None` when it belongs elsewhere, so
    /// a theme id from another campaign or question is simply not found.
    pub async fn open_theme(
        &self,
        campaign_id: i64,
        item: &str,
        id: i64,
    ) -> Result<Option<Theme>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {THEME_COLUMNS} WHERE id = $1 AND campaign_id = $2 AND item = $3"
        )))
        .bind(id)
        .bind(campaign_id)
        .bind(item.to_owned())
        .read_optional(self.db())
        .await?;
        Ok(row.as_ref().map(decode_theme).transpose()?)
    }
}

/// Codebook changes and codings, inside a use case's transaction.
impl WriteTx {
    /// Assigns a theme of the question's codebook to an answer of a valid
    /// response. Returns false when it was already assigned (a double
    /// submit changes nothing); `NotFound` for a theme or answer that is
    /// not this campaign's question's.
    pub async fn assign_open_theme(
        &mut self,
        c: &Campaign,
        item: &str,
        response_id: &str,
        theme_id: i64,
        user_id: Option<i64>,
    ) -> Result<bool, StoreError> {
        let theme = sqlx::query(
            "SELECT id FROM open_themes WHERE id = $1 AND campaign_id = $2 AND item = $3",
        )
        .bind(theme_id)
        .bind(c.id)
        .bind(item.to_owned())
        .fetch_optional(&mut **self)
        .await?;
        if theme.is_none() || !self.valid_answer(c, item, response_id).await? {
            return Err(StoreError::NotFound);
        }
        let done = sqlx::query(
            "INSERT INTO open_codings (response_id, item, theme_id, coded_by, coded_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (response_id, item, theme_id) DO NOTHING",
        )
        .bind(response_id.to_owned())
        .bind(item.to_owned())
        .bind(theme_id)
        .bind(user_id)
        .bind(now())
        .execute(&mut **self)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Whether `response_id` holds a non-empty answer to `item` in a valid
    /// submitted response of the campaign (as [`Store::open_answer`] reads).
    async fn valid_answer(
        &mut self,
        c: &Campaign,
        item: &str,
        response_id: &str,
    ) -> Result<bool, StoreError> {
        let row = sqlx::query(
            "SELECT r.rating_answered, r.rating_total, a.value \
             FROM answers a JOIN responses r ON r.id = a.response_id \
             WHERE r.campaign_id = $1 AND a.item = $2 AND a.response_id = $3 AND r.submitted_at IS NOT NULL",
        )
        .bind(c.id)
        .bind(item.to_owned())
        .bind(response_id.to_owned())
        .fetch_optional(&mut **self)
        .await?;
        let Some(r) = row else { return Ok(false) };
        let valid = c.validity().is_valid(
            true,
            int(&r, "rating_answered")?.max(0) as u32,
            int(&r, "rating_total")?.max(0) as u32,
        );
        Ok(valid && !text(&r, "value")?.trim().is_empty())
    }

    /// Removes a theme from an answer; false when it was not assigned.
    pub async fn remove_open_theme(
        &mut self,
        c: &Campaign,
        item: &str,
        response_id: &str,
        theme_id: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "DELETE FROM open_codings WHERE response_id = $1 AND item = $2 AND theme_id IN \
             (SELECT id FROM open_themes WHERE id = $3 AND campaign_id = $4 AND item = $2)",
        )
        .bind(response_id.to_owned())
        .bind(item.to_owned())
        .bind(theme_id)
        .bind(c.id)
        .execute(&mut **self)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Adds a theme to a question's codebook; a code already used in that
    /// codebook is refused as "already exists" on `code`.
    pub async fn create_open_theme(
        &mut self,
        campaign_id: i64,
        item: &str,
        input: &ThemeInput,
        user_id: Option<i64>,
    ) -> Result<i64, StoreError> {
        let t = input.checked().map_err(StoreError::Invalid)?;
        let at = now();
        let row = sqlx::query(
            "INSERT INTO open_themes (campaign_id, item, code, label_es, label_en, description, created_by, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(campaign_id)
        .bind(item.to_owned())
        .bind(t.code)
        .bind(t.label_es)
        .bind(t.label_en)
        .bind(t.description)
        .bind(user_id)
        .bind(at)
        .fetch_one(&mut **self)
        .await
        .map_err(unique_on("code"))?;
        Ok(int(&row, "id")?)
    }

    pub async fn update_open_theme(
        &mut self,
        campaign_id: i64,
        item: &str,
        id: i64,
        input: &ThemeInput,
    ) -> Result<(), StoreError> {
        let t = input.checked().map_err(StoreError::Invalid)?;
        let done = sqlx::query(
            "UPDATE open_themes SET code = $1, label_es = $2, label_en = $3, description = $4, updated_at = $5 \
             WHERE id = $6 AND campaign_id = $7 AND item = $8",
        )
        .bind(t.code)
        .bind(t.label_es)
        .bind(t.label_en)
        .bind(t.description)
        .bind(now())
        .bind(id)
        .bind(campaign_id)
        .bind(item.to_owned())
        .execute(&mut **self)
        .await
        .map_err(unique_on("code"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Deletes a theme and, with it, every assignment of it.
    pub async fn delete_open_theme(
        &mut self,
        campaign_id: i64,
        item: &str,
        id: i64,
    ) -> Result<(), StoreError> {
        // Explicitly, not only by the foreign key's cascade: a SQLite
        // connection opened without `foreign_keys` would otherwise leave
        // codings pointing at nothing.
        sqlx::query(
            "DELETE FROM open_codings WHERE theme_id IN \
             (SELECT id FROM open_themes WHERE id = $1 AND campaign_id = $2 AND item = $3)",
        )
        .bind(id)
        .bind(campaign_id)
        .bind(item.to_owned())
        .execute(&mut **self)
        .await?;
        let done =
            sqlx::query("DELETE FROM open_themes WHERE id = $1 AND campaign_id = $2 AND item = $3")
                .bind(id)
                .bind(campaign_id)
                .bind(item.to_owned())
                .execute(&mut **self)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(region: i64, value: &str, themes: &[i64]) -> OpenAnswer {
        OpenAnswer {
            response_id: format!("r{region}{value}"),
            region: Some(region),
            network: None,
            value: value.to_owned(),
            themes: themes.to_vec(),
        }
    }

    #[test]
    fn theme_input_is_trimmed_and_checked() {
        let ok = ThemeInput {
            code: " tiempo ".into(),
            label_es: " Tiempo ".into(),
            label_en: "Time".into(),
            description: Some("  ".into()),
        }
        .checked();
        assert_eq!(
            ok,
            Ok(ThemeInput {
                code: "tiempo".into(),
                label_es: "Tiempo".into(),
                label_en: "Time".into(),
                description: None,
            })
        );
        let bad = ThemeInput {
            code: "con espacio".into(),
            label_es: String::new(),
            label_en: "x".repeat(LABEL_MAX + 1),
            description: None,
        }
        .checked()
        .err()
        .unwrap_or_default();
        let fields: Vec<&str> = bad.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["code", "label_es", "label_en"]);
    }

    #[test]
    fn counts_per_theme_overall_and_by_region() {
        let answers = [
            answer(5, "a", &[1]),
            answer(5, "b", &[1, 2]),
            answer(8, "c", &[]),
            answer(8, "d", &[2]),
        ];
        let c = theme_counts(&answers);
        assert_eq!(c.overall.answers, 4);
        assert_eq!(c.overall.coded, 3);
        assert_eq!((c.overall.theme(1), c.overall.theme(2)), (2, 2));
        assert_eq!(c.by_region[&Some(5)].theme(2), 1);
        assert_eq!(c.by_region[&Some(8)].theme(1), 0);
    }

    #[test]
    fn search_ignores_case_and_accents() {
        let f = OpenFilter {
            q: Some("REUNIÓN".into()),
            ..Default::default()
        };
        let q = trama_domain::search_key("REUNIÓN");
        assert!(f.matches(&answer(5, "Las reuniones mensuales", &[]), Some(&q)));
        assert!(!f.matches(&answer(5, "El calendario", &[]), Some(&q)));
    }
}
