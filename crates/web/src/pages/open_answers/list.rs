//! The pages that read: a campaign's open questions, one question's answers
//! with its codebook and counts, and those answers as CSV.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use trama_app::open_answers::{self, Listing, by_id, export::answers};
use trama_store::campaigns::open_answers::Theme;
use trama_store::registry::Page;

use super::{ListQuery, crumbs, list_url, theme_label};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::pages::{Chrome, Pager, region_name, render};
use crate::state::AppState;

/// Answers per page: enough to code a screenful, few enough for a phone.
const PER_PAGE: u32 = 50;

fn region_label(r: Option<i64>) -> String {
    r.map_or_else(|| "—".to_owned(), |r| region_name(r as i32))
}

pub struct QuestionRow {
    pub href: String,
    pub label: String,
    /// "12 answers", when the viewer's group is shown.
    pub count: Option<String>,
}

#[derive(Template)]
#[template(path = "open_index.html")]
struct IndexPage {
    c: Chrome,
    title: String,
    crumbs: Vec<(String, String)>,
    here: String,
    intro: String,
    shown: bool,
    too_small: String,
    questions: Vec<QuestionRow>,
}

pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let ix = open_answers::index(&state.app, ctx.actor()?, &code, ctx.lang).await?;
    let c = &ix.scene.campaign;
    let k = ix.scene.k as i64;
    let questions = ix
        .questions
        .iter()
        .map(|q| QuestionRow {
            href: list_url(&c.code, &q.name),
            label: q.label.clone(),
            count: q
                .answers
                .map(|n| trama_i18n::t!(ctx.lang, "open-question-count", answers = n as i64)),
        })
        .collect();
    render(&IndexPage {
        c: Chrome::new(&ctx, "campaigns"),
        title: format!("{} · {}", ctx.t("open-title"), c.name),
        crumbs: crumbs(&ctx, c),
        here: ctx.t("open-title"),
        intro: trama_i18n::t!(ctx.lang, "open-intro", k = k),
        shown: ix.shown,
        too_small: trama_i18n::t!(ctx.lang, "open-too-small", k = k),
        questions,
    })
}

pub struct ThemeTag {
    pub id: i64,
    pub label: String,
    pub remove_label: String,
}

pub struct AnswerRow {
    pub n: usize,
    /// The answer's key, private to the codebook (not its response id).
    pub key: String,
    pub value: String,
    /// Empty when the answer's group is too small to be named.
    pub region: String,
    pub network: String,
    pub themes: Vec<ThemeTag>,
    pub can_code: bool,
    pub assign_label: String,
}

pub struct CodebookRow {
    pub id: i64,
    pub code: String,
    pub label_es: String,
    pub label_en: String,
    pub description: String,
    pub delete_label: String,
}

pub struct CountRow {
    pub label: String,
    pub code: String,
    pub overall: u64,
    /// One cell per region column; `None` where the region is suppressed.
    pub regions: Vec<Option<u64>>,
}

#[derive(Template)]
#[template(path = "open_answers.html")]
struct ListPage {
    c: Chrome,
    title: String,
    crumbs: Vec<(String, String)>,
    here: String,
    base: String,
    questions: Vec<(String, String, bool)>,
    intro: String,
    shown: bool,
    too_small: String,
    summary: String,
    q: String,
    region: String,
    network: String,
    theme: String,
    region_options: Vec<(String, String)>,
    network_options: Vec<String>,
    theme_options: Vec<(String, String)>,
    export_href: String,
    rows: Vec<AnswerRow>,
    pager: Pager,
    back: String,
    counts: Vec<CountRow>,
    count_answers: u64,
    count_coded: u64,
    /// (label, n respondents or "—") per region column.
    region_columns: Vec<(String, String)>,
    suppressed_note: bool,
    suppressed_text: String,
    codebook: Vec<CodebookRow>,
    can_edit_codebook: bool,
}

/// Counts by theme; by region too for a country-wide reader, where each
/// suppressed region's cells stay empty.
fn counts(l: &Listing, lang: trama_i18n::Lang) -> (Vec<CountRow>, Vec<(String, String)>) {
    let groups = &l.scene.groups;
    let region_keys: Vec<Option<i64>> = if l.by_region {
        groups.regions.keys().copied().collect()
    } else {
        vec![]
    };
    let rows = l
        .themes
        .iter()
        .map(|t| CountRow {
            label: theme_label(t, lang),
            code: t.code.clone(),
            overall: l.counts.overall.theme(t.id),
            regions: region_keys
                .iter()
                .map(|r| {
                    groups.region_shown(*r).then(|| {
                        l.counts
                            .by_region
                            .get(r)
                            .map_or(0, |tally| tally.theme(t.id))
                    })
                })
                .collect(),
        })
        .collect();
    let columns = region_keys
        .iter()
        .map(|r| {
            let size = if groups.region_shown(*r) {
                groups.region_size(*r).to_string()
            } else {
                "—".to_owned()
            };
            (region_label(*r), size)
        })
        .collect();
    (rows, columns)
}

fn answer_rows(ctx: &Ctx, l: &Listing, page_no: u32) -> Vec<AnswerRow> {
    let lang = ctx.lang;
    let themes = by_id(&l.themes);
    let actor = ctx.actor.as_ref();
    let start = ((page_no - 1) as usize).saturating_mul(PER_PAGE as usize);
    l.listed
        .iter()
        .enumerate()
        .skip(start)
        .take(PER_PAGE as usize)
        .map(|(i, a)| {
            let n = i + 1;
            AnswerRow {
                n,
                key: trama_app::open_answers::answer_key(
                    &l.scene.campaign,
                    &l.item,
                    &a.response_id,
                ),
                value: a.value.clone(),
                region: l
                    .scene
                    .shown_region(a)
                    .map(|r| region_label(Some(r)))
                    .unwrap_or_default(),
                network: l.scene.shown_network(a).unwrap_or_default().to_owned(),
                themes: a
                    .themes
                    .iter()
                    .filter_map(|id| themes.get(id))
                    .map(|t| {
                        let label = theme_label(t, lang);
                        ThemeTag {
                            id: t.id,
                            remove_label: trama_i18n::t!(
                                lang,
                                "open-remove-label",
                                theme = label.clone(),
                                n = n as i64
                            ),
                            label,
                        }
                    })
                    .collect(),
                can_code: actor.is_some_and(|actor| l.scene.may_code(actor, a)),
                assign_label: trama_i18n::t!(lang, "open-assign-label", n = n as i64),
            }
        })
        .collect()
}

fn codebook_rows(themes: &[Theme], lang: trama_i18n::Lang) -> Vec<CodebookRow> {
    themes
        .iter()
        .map(|t| CodebookRow {
            id: t.id,
            code: t.code.clone(),
            label_es: t.label_es.clone(),
            label_en: t.label_en.clone(),
            description: t.description.clone().unwrap_or_default(),
            delete_label: trama_i18n::t!(
                lang,
                "open-theme-delete-label",
                theme = theme_label(t, lang)
            ),
        })
        .collect()
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, item)): Path<(String, String)>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = query.filter()?;
    let lang = ctx.lang;
    let l = open_answers::list(&state.app, ctx.actor()?, &code, &item, &filter, lang).await?;
    let campaign = &l.scene.campaign;
    let k = l.scene.k as i64;
    let base = list_url(&campaign.code, &item);
    let page_no = query.page.unwrap_or(1).max(1);
    let page = Page::<()> {
        items: vec![],
        page: page_no,
        per_page: PER_PAGE,
        total: l.listed.len() as i64,
    };
    let pager = Pager::new(&ctx, &page, &base, &query.pairs());
    let mut theme_options = vec![
        (String::new(), ctx.t("open-any-theme")),
        ("none".to_owned(), ctx.t("open-uncoded")),
    ];
    theme_options.extend(l.themes.iter().map(|t| {
        (
            t.id.to_string(),
            format!("{} · {}", t.code, theme_label(t, lang)),
        )
    }));
    let (count_rows, region_columns) = counts(&l, lang);
    let mut crumbs = crumbs(&ctx, campaign);
    crumbs.push((
        format!("/campaigns/{}/results/open", campaign.code),
        ctx.t("open-title"),
    ));
    render(&ListPage {
        c: Chrome::new(&ctx, "campaigns"),
        title: format!("{} · {}", l.question, campaign.name),
        crumbs,
        here: l.question.clone(),
        questions: l
            .scene
            .questions(lang)
            .into_iter()
            .map(|(n, label)| (list_url(&campaign.code, &n), label, n == item))
            .collect(),
        intro: trama_i18n::t!(lang, "open-intro", k = k),
        shown: l.group.shown,
        too_small: trama_i18n::t!(lang, "open-too-small", k = k),
        summary: trama_i18n::t!(
            lang,
            "open-summary",
            answers = l.counts.overall.answers as i64,
            respondents = l.group.respondents as i64,
            coded = l.counts.overall.coded as i64
        ),
        q: query.q.trim().to_owned(),
        region: query.region.trim().to_owned(),
        network: query.network.trim().to_owned(),
        theme: query.theme.trim().to_owned(),
        region_options: l
            .regions
            .iter()
            .map(|r| (r.to_string(), region_name(*r as i32)))
            .collect(),
        network_options: l.networks.clone(),
        theme_options,
        export_href: format!("{base}/export.csv{}", query.query_string()),
        rows: answer_rows(&ctx, &l, page_no),
        pager,
        back: ctx.path.clone(),
        counts: count_rows,
        count_answers: l.counts.overall.answers,
        count_coded: l.counts.overall.coded,
        region_columns,
        suppressed_note: l.by_region && !l.scene.groups.hidden_regions.is_empty(),
        suppressed_text: trama_i18n::t!(lang, "open-counts-suppressed", k = k),
        codebook: codebook_rows(&l.themes, lang),
        can_edit_codebook: l.may_edit_codebook,
        base,
    })
}

/// The answers the page lists, as CSV.
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, item)): Path<(String, String)>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = query.filter()?;
    let file = answers(&state.app, ctx.actor()?, &code, &item, &filter).await?;
    crate::download::csv(&file.file_name, file.rows)
}
