//! Open answers pages: the questions of a campaign, one question's answers
//! with its codebook and counts, the CSV export, coding and the codebook's
//! forms. Every decision is in `trama_app::open_answers`; these adapters
//! read the request and render.

mod codebook;
mod coding;
mod list;

pub use codebook::{create_theme, delete_theme, edit_theme, update_theme};
pub use coding::{assign, unassign};
pub use list::{export, index, list};

use serde::Deserialize;
use trama_app::open_answers::Filter;
use trama_i18n::Lang;
use trama_store::campaigns::lifecycle::Campaign;
use trama_store::campaigns::open_answers::{Theme, ThemeFilter};

use crate::ctx::Ctx;
use crate::error::AppError;

/// Filters as the page's query string carries them.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    network: String,
    #[serde(default)]
    theme: String,
    page: Option<u32>,
}

impl ListQuery {
    fn filter(&self) -> Result<Filter, AppError> {
        let theme = match self.theme.trim() {
            "" => ThemeFilter::Any,
            "none" => ThemeFilter::Uncoded,
            t => t
                .parse()
                .map(ThemeFilter::Theme)
                .map_err(|_| AppError::BadRequest)?,
        };
        let region = match self.region.trim() {
            "" => None,
            r => Some(r.parse().map_err(|_| AppError::BadRequest)?),
        };
        Ok(Filter {
            q: self.q.trim().to_owned(),
            region,
            network: Some(self.network.trim().to_owned()).filter(|n| !n.is_empty()),
            theme,
        })
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.trim().to_owned()),
            ("region", self.region.trim().to_owned()),
            ("network", self.network.trim().to_owned()),
            ("theme", self.theme.trim().to_owned()),
        ]
    }

    fn query_string(&self) -> String {
        let parts: Vec<String> = self
            .pairs()
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", crate::error::url_encode(&v)))
            .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

fn theme_label(t: &Theme, lang: Lang) -> String {
    t.label(lang == Lang::En).to_owned()
}

fn list_url(code: &str, item: &str) -> String {
    format!("/campaigns/{code}/results/open/{item}")
}

fn crumbs(ctx: &Ctx, c: &Campaign) -> Vec<(String, String)> {
    vec![
        (format!("/campaigns/{}", c.code), c.name.clone()),
        (
            format!("/campaigns/{}/results", c.code),
            ctx.t("results-title"),
        ),
    ]
}
