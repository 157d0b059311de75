//! The registry: territory, schools, networks, people and who belongs where, when.

pub mod networks;
pub mod people;
pub mod schools;
pub mod territory;

use crate::db::Fetch;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use trama_domain::policy::Scope;

use crate::sql::Sql;

/// One page of a list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u32 {
        let per = i64::from(self.per_page.max(1));
        ((self.total + per - 1) / per).max(1) as u32
    }
}

/// Which page to fetch (1-based), bounded so that no request can ask for
/// the whole registry at once.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageRequest {
    /// Page number, from 1 (at most 100,000: past any registry's end).
    #[param(minimum = 1, maximum = 100_000, nullable = false)]
    pub page: Option<u32>,
    /// Rows a page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200, nullable = false)]
    pub per_page: Option<u32>,
}

impl PageRequest {
    pub const MAX_PER_PAGE: u32 = 200;
    pub const DEFAULT_PER_PAGE: u32 = 50;
    pub const MAX_PAGE: u32 = 100_000;

    pub fn page(&self) -> u32 {
        self.page.unwrap_or(1).max(1)
    }

    /// The parameter out of its documented bounds, if any (pages clamp
    /// instead; the API refuses, as its schema says).
    pub fn out_of_bounds(&self) -> Option<&'static str> {
        if self.page.is_some_and(|p| p == 0 || p > Self::MAX_PAGE) {
            Some("page")
        } else if self
            .per_page
            .is_some_and(|p| p == 0 || p > Self::MAX_PER_PAGE)
        {
            Some("per_page")
        } else {
            None
        }
    }

    pub fn per_page(&self) -> u32 {
        self.per_page
            .unwrap_or(Self::DEFAULT_PER_PAGE)
            .clamp(1, Self::MAX_PER_PAGE)
    }

    pub(crate) fn push_limit(&self, sql: &mut Sql) {
        let per = self.per_page();
        let offset = (self.page() - 1).saturating_mul(per);
        sql.push(" LIMIT ")
            .bind(i64::from(per))
            .push(" OFFSET ")
            .bind(i64::from(offset));
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            page: Some(1),
            per_page: Some(Self::DEFAULT_PER_PAGE),
        }
    }
}

/// Adds `AND <region column> = …` or `AND <network column> IN (…)` for a scope.
/// `network_filter` is the SQL that yields the row's network ids as a subquery
/// condition, given the list placeholder text.
pub(crate) fn push_scope(
    sql: &mut Sql,
    scope: &Scope,
    region_col: &str,
    network_in: impl FnOnce(&mut Sql, &[i64]),
) {
    match scope {
        Scope::All => {}
        Scope::Region(r) => {
            sql.push(" AND ").push(region_col).push(" = ").bind(r.0);
        }
        Scope::Networks(ids) if ids.is_empty() => {
            sql.push(" AND 1 = 0");
        }
        Scope::Networks(ids) => {
            sql.push(" AND ");
            network_in(sql, ids);
        }
    }
}

/// `active in year y` for a membership table alias.
pub(crate) fn push_active(sql: &mut Sql, alias: &str, year: i32) {
    sql.push(&format!(" AND {alias}.from_year <= "))
        .bind(year)
        .push(&format!(
            " AND ({alias}.to_year IS NULL OR {alias}.to_year >= "
        ))
        .bind(year)
        .push(")");
}

pub(crate) fn flag(row: &AnyRow, col: &str) -> Result<bool, sqlx::Error> {
    Ok(row.try_get::<i64, _>(col)? != 0)
}

pub(crate) fn opt_i32(row: &AnyRow, col: &str) -> Result<Option<i32>, sqlx::Error> {
    Ok(row.try_get::<Option<i64>, _>(col)?.map(|v| v as i32))
}

pub(crate) fn i32_col(row: &AnyRow, col: &str) -> Result<i32, sqlx::Error> {
    Ok(row.try_get::<i64, _>(col)? as i32)
}

/// Runs a `SELECT COUNT(*)` built like the list query.
pub(crate) async fn count(store: &crate::Store, sql: &Sql) -> Result<i64, sqlx::Error> {
    let row = sql.query().read_one(store.db()).await?;
    row.try_get::<i64, _>(0)
}
