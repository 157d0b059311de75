//! Open answers of a campaign: read per question and group, a codebook of
//! themes per question, themes assigned to answers, counts by theme and
//! region, and a CSV export.
//!
//! Anonymity is decided here, on the data, before anything is rendered or
//! written. The groups are the campaign's valid respondents; which of them
//! may be shown is worked out once per request for the whole campaign, the
//! same for every viewer, with the results' rule
//! ([`trama_results::suppress::suppressed`]): regions below K are hidden and
//! a lone hidden region takes the next smallest with it; networks likewise
//! within their region, and a network is shown only when its region is. So a
//! list for a shown group, minus the lists of other shown groups, never
//! isolates the answers of one hidden group. Within a shown list, an answer
//! carries its region and network only when that group is shown too.
//!
//! Who sees what goes through the policy: national coordinators and
//! researchers read the whole campaign (researchers not by network, as with
//! the network reports); regional coordinators read their region; supervisors
//! read their networks. Coding needs the right to manage campaigns where the
//! answer sits; the codebook, the right to manage the campaign itself.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trama_domain::network::NetworkCode;
use trama_domain::policy::{self, Action, Scope, Target};
use trama_domain::problem::FieldProblem;
use trama_domain::territory::RegionCode;
use trama_i18n::Lang;
use trama_instrument::{Instrument, ItemKind};
use trama_store::StoreError;
use trama_store::campaigns::lifecycle::Campaign;
use trama_store::campaigns::open_answers::{
    OpenAnswer, OpenFilter, Respondent, Theme, ThemeFilter, ThemeInput, theme_counts,
};
use trama_store::registry::Page;

use super::forms::{Field, form_page};
use super::{Chrome, Pager, region_name, render, safe_next};
use crate::ctx::{CsrfForm, Ctx};
use crate::error::AppError;
use crate::state::AppState;
use trama_app::DEFAULT_MIN_GROUP as MIN_GROUP;

/// Answers per page: enough to code a screenful, few enough for a phone.
const PER_PAGE: u32 = 50;

fn region_target(region: Option<i64>) -> Target {
    Target::in_region(region.map(|r| RegionCode(r as i16)), vec![])
}

/// How far a viewer reads without a filter.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reach {
    National,
    Region(i64),
    Networks(Vec<String>),
}

impl Reach {
    fn target(&self) -> Target {
        match self {
            Reach::National => Target::national(),
            Reach::Region(r) => region_target(Some(*r)),
            Reach::Networks(_) => Target::in_region(None, vec![]),
        }
    }
}

async fn reach(state: &AppState, ctx: &Ctx) -> Result<Reach, AppError> {
    let actor = ctx.actor()?;
    // Those who may export the whole campaign read all of it (national
    // coordinators, researchers).
    if ctx.can(Action::ExportResponses, &Target::national()) {
        return Ok(Reach::National);
    }
    match policy::registry_scope(actor) {
        Some(Scope::All) => Ok(Reach::National),
        Some(Scope::Region(r)) => Ok(Reach::Region(i64::from(r.0))),
        Some(Scope::Networks(ids)) => {
            let mut codes = vec![];
            for id in ids {
                if let Some((code, _)) = state.store.network_by_id(id).await? {
                    codes.push(code);
                }
            }
            Ok(Reach::Networks(codes))
        }
        None => Err(AppError::Forbidden),
    }
}

/// The campaign's groups of valid respondents and which of them are shown.
#[derive(Debug, Default)]
struct Groups {
    total: u64,
    regions: BTreeMap<Option<i64>, u64>,
    networks: BTreeMap<String, (Option<i64>, u64)>,
    hidden_regions: BTreeSet<Option<i64>>,
    hidden_networks: BTreeSet<String>,
}

impl Groups {
    fn new(respondents: &[Respondent]) -> Groups {
        let mut g = Groups {
            total: respondents.len() as u64,
            ..Default::default()
        };
        for r in respondents {
            *g.regions.entry(r.region).or_default() += 1;
            if let Some(n) = &r.network {
                let e = g.networks.entry(n.clone()).or_insert((r.region, 0));
                e.1 += 1;
            }
        }
        let sizes: Vec<u64> = g.regions.values().copied().collect();
        let hidden = trama_results::suppress::suppressed(&sizes, MIN_GROUP);
        g.hidden_regions = g
            .regions
            .keys()
            .zip(hidden)
            .filter(|(_, h)| *h)
            .map(|(r, _)| *r)
            .collect();
        // Networks are a breakdown of their region: suppression works within it.
        let mut by_region: BTreeMap<Option<i64>, Vec<(&String, u64)>> = BTreeMap::new();
        for (code, (region, n)) in &g.networks {
            by_region.entry(*region).or_default().push((code, *n));
        }
        let mut hidden_networks = BTreeSet::new();
        for (region, nets) in &by_region {
            let sizes: Vec<u64> = nets.iter().map(|(_, n)| *n).collect();
            let hidden = trama_results::suppress::suppressed(&sizes, MIN_GROUP);
            for ((code, _), h) in nets.iter().zip(hidden) {
                if h || g.hidden_regions.contains(region) {
                    hidden_networks.insert((*code).clone());
                }
            }
        }
        g.hidden_networks = hidden_networks;
        g
    }

    fn national_shown(&self) -> bool {
        self.total >= MIN_GROUP
    }

    fn region_shown(&self, r: Option<i64>) -> bool {
        self.regions.contains_key(&r) && !self.hidden_regions.contains(&r)
    }

    fn network_shown(&self, n: &str) -> bool {
        self.networks.contains_key(n) && !self.hidden_networks.contains(n)
    }

    fn region_size(&self, r: Option<i64>) -> u64 {
        self.regions.get(&r).copied().unwrap_or(0)
    }

    fn network_size(&self, n: &str) -> u64 {
        self.networks.get(n).map_or(0, |(_, s)| *s)
    }
}

/// A campaign's open answers as one viewer may read them.
struct Scene {
    campaign: Campaign,
    instrument: Arc<Instrument>,
    campaign_target: Target,
    reach: Reach,
    groups: Groups,
}

impl Scene {
    async fn load(state: &AppState, ctx: &Ctx, code: &str) -> Result<Scene, AppError> {
        ctx.actor()?;
        let campaign = state
            .store
            .campaign(code)
            .await?
            .ok_or(AppError::NotFound)?;
        let campaign_target = state.store.campaign_target(&campaign).await?;
        if !(ctx.can(Action::ViewCampaigns, &campaign_target)
            || ctx.can(Action::ExportResponses, &campaign_target))
        {
            return Err(AppError::Forbidden);
        }
        let reach = reach(state, ctx).await?;
        let instrument = state.instrument(campaign.instrument_version_id).await?;
        let groups = Groups::new(&state.store.open_respondents(&campaign).await?);
        Ok(Scene {
            campaign,
            instrument,
            campaign_target,
            reach,
            groups,
        })
    }

    /// The open questions of the campaign's instrument: (name, label). A
    /// text item shown only under a condition (the role's "other: which?")
    /// is a follow-up describing the respondent, not an open question, and
    /// could single them out: it is left out.
    fn questions(&self, lang: Lang) -> Vec<(String, String)> {
        self.instrument
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Text && i.relevant.is_none())
            .map(|i| (i.name.clone(), i.label(lang).to_owned()))
            .collect()
    }

    fn question(&self, item: &str, lang: Lang) -> Result<String, AppError> {
        self.questions(lang)
            .into_iter()
            .find(|(n, _)| n == item)
            .map(|(_, l)| l)
            .ok_or(AppError::NotFound)
    }

    /// Whether the viewer may code answers at all (before looking one up).
    fn may_code(&self, ctx: &Ctx) -> bool {
        ctx.can(Action::ManageCampaigns, &self.reach.target())
    }

    fn may_code_answer(&self, ctx: &Ctx, a: &OpenAnswer) -> bool {
        ctx.can(Action::ManageCampaigns, &region_target(a.region))
    }

    fn may_edit_codebook(&self, ctx: &Ctx) -> bool {
        ctx.can(Action::ManageCampaigns, &self.campaign_target)
    }

    /// Whether an answer lies in what the viewer reads without a filter, in
    /// a group large enough to be shown.
    fn within_reach(&self, a: &OpenAnswer) -> bool {
        match &self.reach {
            Reach::National => self.groups.national_shown(),
            Reach::Region(r) => a.region == Some(*r) && self.groups.region_shown(a.region),
            Reach::Networks(codes) => a
                .network
                .as_ref()
                .is_some_and(|n| codes.contains(n) && self.groups.network_shown(n)),
        }
    }

    /// Regions the viewer may pick, in code order, with whether each is shown.
    fn region_choices(&self, ctx: &Ctx) -> Vec<i64> {
        self.groups
            .regions
            .keys()
            .filter_map(|r| *r)
            .filter(|r| self.may_read_region(ctx, *r))
            .collect()
    }

    fn may_read_region(&self, ctx: &Ctx, r: i64) -> bool {
        ctx.can(Action::ManageCampaigns, &region_target(Some(r)))
            || ctx.can(Action::ExportResponses, &Target::national())
    }

    /// Networks the viewer may pick: those of the campaign within their reach.
    async fn network_choices(&self, state: &AppState, ctx: &Ctx) -> Result<Vec<String>, AppError> {
        let mut out = vec![];
        for code in self.groups.networks.keys() {
            let Ok(parsed) = NetworkCode::parse(code) else {
                continue;
            };
            if let Some(t) = state.store.network_target(&parsed).await?
                && ctx.can(Action::ViewCampaigns, &t)
            {
                out.push(code.clone());
            }
        }
        // Natural order: RME2 before RME10.
        out.sort_by_key(|c| {
            let digits: String = c.chars().filter(char::is_ascii_digit).collect();
            (
                c.trim_end_matches(|ch: char| ch.is_ascii_digit())
                    .to_owned(),
                digits.parse::<u64>().unwrap_or(0),
                c.clone(),
            )
        });
        Ok(out)
    }
}

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
    fn theme_filter(&self) -> Result<ThemeFilter, AppError> {
        match self.theme.trim() {
            "" => Ok(ThemeFilter::Any),
            "none" => Ok(ThemeFilter::Uncoded),
            t => t
                .parse()
                .map(ThemeFilter::Theme)
                .map_err(|_| AppError::BadRequest),
        }
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

/// The group a request reads: its filter, its size, and whether it is shown.
struct Group {
    filter: OpenFilter,
    respondents: u64,
    shown: bool,
    /// True when the group is the whole campaign (the by-region table applies).
    national: bool,
}

/// Turns the filters into the group the viewer reads, checking their right
/// to each filter through the policy (403), and the group's size (shown or
/// not; a group too small is not an error, the page says so).
async fn group(
    state: &AppState,
    ctx: &Ctx,
    scene: &Scene,
    query: &ListQuery,
) -> Result<Group, AppError> {
    let network = query.network.trim();
    let region = query.region.trim();
    if !network.is_empty() {
        let code = NetworkCode::parse(network).map_err(|_| AppError::NotFound)?;
        let t = state
            .store
            .network_target(&code)
            .await?
            .ok_or(AppError::NotFound)?;
        if !ctx.can(Action::ViewCampaigns, &t) {
            return Err(AppError::Forbidden);
        }
        let code = code.as_str().to_owned();
        return Ok(Group {
            respondents: scene.groups.network_size(&code),
            shown: scene.groups.network_shown(&code),
            filter: OpenFilter {
                networks: Some(vec![code]),
                ..Default::default()
            },
            national: false,
        });
    }
    if !region.is_empty() {
        let r: i64 = region.parse().map_err(|_| AppError::BadRequest)?;
        if !scene.may_read_region(ctx, r) {
            return Err(AppError::Forbidden);
        }
        return Ok(Group {
            respondents: scene.groups.region_size(Some(r)),
            shown: scene.groups.region_shown(Some(r)),
            filter: OpenFilter {
                region: Some(r),
                ..Default::default()
            },
            national: false,
        });
    }
    Ok(match &scene.reach {
        Reach::National => Group {
            respondents: scene.groups.total,
            shown: scene.groups.national_shown(),
            filter: OpenFilter::default(),
            national: true,
        },
        Reach::Region(r) => Group {
            respondents: scene.groups.region_size(Some(*r)),
            shown: scene.groups.region_shown(Some(*r)),
            filter: OpenFilter {
                region: Some(*r),
                ..Default::default()
            },
            national: false,
        },
        Reach::Networks(codes) => {
            // Each network is its own group: only those large enough.
            let shown: Vec<String> = codes
                .iter()
                .filter(|c| scene.groups.network_shown(c))
                .cloned()
                .collect();
            Group {
                respondents: shown.iter().map(|c| scene.groups.network_size(c)).sum(),
                shown: !shown.is_empty(),
                filter: OpenFilter {
                    networks: Some(shown),
                    ..Default::default()
                },
                national: false,
            }
        }
    })
}

fn theme_label(t: &Theme, lang: Lang) -> String {
    t.label(lang == Lang::En).to_owned()
}

fn region_label(r: Option<i64>) -> String {
    r.map_or_else(|| "—".to_owned(), |r| region_name(r as i32))
}

fn list_url(code: &str, item: &str) -> String {
    format!("/campaigns/{code}/results/open/{item}")
}

// ---------------------------------------------------------------- index ----

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

fn crumbs(ctx: &Ctx, c: &Campaign) -> Vec<(String, String)> {
    vec![
        (format!("/campaigns/{}", c.code), c.name.clone()),
        (
            format!("/campaigns/{}/results", c.code),
            ctx.t("results-title"),
        ),
    ]
}

pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let scene = Scene::load(&state, &ctx, &code).await?;
    let g = group(&state, &ctx, &scene, &ListQuery::default()).await?;
    let mut questions = vec![];
    for (name, label) in scene.questions(ctx.lang) {
        let count = if g.shown {
            let n = state
                .store
                .open_answers(&scene.campaign, &name, &g.filter)
                .await?
                .len();
            Some(trama_i18n::t!(
                ctx.lang,
                "open-question-count",
                answers = n as i64
            ))
        } else {
            None
        };
        questions.push(QuestionRow {
            href: list_url(&scene.campaign.code, &name),
            label,
            count,
        });
    }
    render(&IndexPage {
        c: Chrome::new(&ctx, "campaigns"),
        title: format!("{} · {}", ctx.t("open-title"), scene.campaign.name),
        crumbs: crumbs(&ctx, &scene.campaign),
        here: ctx.t("open-title"),
        intro: trama_i18n::t!(ctx.lang, "open-intro", k = MIN_GROUP as i64),
        shown: g.shown,
        too_small: trama_i18n::t!(ctx.lang, "open-too-small", k = MIN_GROUP as i64),
        questions,
    })
}

// ----------------------------------------------------------------- list ----

pub struct ThemeTag {
    pub id: i64,
    pub label: String,
    pub remove_label: String,
}

pub struct AnswerRow {
    pub n: usize,
    pub response_id: String,
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

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, item)): Path<(String, String)>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let scene = Scene::load(&state, &ctx, &code).await?;
    let lang = ctx.lang;
    let question = scene.question(&item, lang)?;
    let theme_filter = query.theme_filter()?;
    let g = group(&state, &ctx, &scene, &query).await?;
    let themes = state.store.open_themes(scene.campaign.id, &item).await?;
    let by_id: BTreeMap<i64, &Theme> = themes.iter().map(|t| (t.id, t)).collect();
    let base = list_url(&scene.campaign.code, &item);

    // Nothing of a group below the threshold is read, let alone rendered.
    let (all, listed) = if g.shown {
        let all = state
            .store
            .open_answers(&scene.campaign, &item, &g.filter)
            .await?;
        let listed = state
            .store
            .open_answers(
                &scene.campaign,
                &item,
                &OpenFilter {
                    q: Some(query.q.trim().to_owned()).filter(|q| !q.is_empty()),
                    theme: theme_filter,
                    ..g.filter.clone()
                },
            )
            .await?;
        (all, listed)
    } else {
        (vec![], vec![])
    };

    let counts = theme_counts(&all);
    let by_region = g.national && scene.reach == Reach::National;
    let region_keys: Vec<Option<i64>> = if by_region {
        scene.groups.regions.keys().copied().collect()
    } else {
        vec![]
    };
    let count_rows = themes
        .iter()
        .map(|t| CountRow {
            label: theme_label(t, lang),
            code: t.code.clone(),
            overall: counts.overall.theme(t.id),
            regions: region_keys
                .iter()
                .map(|r| {
                    scene
                        .groups
                        .region_shown(*r)
                        .then(|| counts.by_region.get(r).map_or(0, |tally| tally.theme(t.id)))
                })
                .collect(),
        })
        .collect();
    let region_columns = region_keys
        .iter()
        .map(|r| {
            (
                region_label(*r),
                if scene.groups.region_shown(*r) {
                    scene.groups.region_size(*r).to_string()
                } else {
                    "—".to_owned()
                },
            )
        })
        .collect();

    let page_no = query.page.unwrap_or(1).max(1);
    let total = listed.len();
    let start = ((page_no - 1) as usize).saturating_mul(PER_PAGE as usize);
    let rows: Vec<AnswerRow> = listed
        .iter()
        .enumerate()
        .skip(start)
        .take(PER_PAGE as usize)
        .map(|(i, a)| {
            let n = i + 1;
            AnswerRow {
                n,
                response_id: a.response_id.clone(),
                value: a.value.clone(),
                region: if scene.groups.region_shown(a.region) {
                    region_label(a.region)
                } else {
                    String::new()
                },
                network: a
                    .network
                    .clone()
                    .filter(|net| scene.groups.network_shown(net))
                    .unwrap_or_default(),
                themes: a
                    .themes
                    .iter()
                    .filter_map(|id| by_id.get(id))
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
                can_code: scene.may_code_answer(&ctx, a) && scene.within_reach(a),
                assign_label: trama_i18n::t!(lang, "open-assign-label", n = n as i64),
            }
        })
        .collect();
    let page = Page::<()> {
        items: vec![],
        page: page_no,
        per_page: PER_PAGE,
        total: total as i64,
    };
    let pager = Pager::new(&ctx, &page, &base, &query.pairs());

    let region_options = if matches!(scene.reach, Reach::National) {
        scene
            .region_choices(&ctx)
            .into_iter()
            .map(|r| (r.to_string(), region_name(r as i32)))
            .collect()
    } else {
        vec![]
    };
    let network_options = scene.network_choices(&state, &ctx).await?;
    let mut theme_options = vec![
        (String::new(), ctx.t("open-any-theme")),
        ("none".to_owned(), ctx.t("open-uncoded")),
    ];
    theme_options.extend(themes.iter().map(|t| {
        (
            t.id.to_string(),
            format!("{} · {}", t.code, theme_label(t, lang)),
        )
    }));
    let codebook = themes
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
        .collect();
    render(&ListPage {
        c: Chrome::new(&ctx, "campaigns"),
        title: format!("{question} · {}", scene.campaign.name),
        crumbs: {
            let mut c = crumbs(&ctx, &scene.campaign);
            c.push((
                format!("/campaigns/{}/results/open", scene.campaign.code),
                ctx.t("open-title"),
            ));
            c
        },
        here: question.clone(),
        questions: scene
            .questions(lang)
            .into_iter()
            .map(|(n, l)| (list_url(&scene.campaign.code, &n), l, n == item))
            .collect(),
        intro: trama_i18n::t!(lang, "open-intro", k = MIN_GROUP as i64),
        shown: g.shown,
        too_small: trama_i18n::t!(lang, "open-too-small", k = MIN_GROUP as i64),
        summary: trama_i18n::t!(
            lang,
            "open-summary",
            answers = counts.overall.answers as i64,
            respondents = g.respondents as i64,
            coded = counts.overall.coded as i64
        ),
        q: query.q.trim().to_owned(),
        region: query.region.trim().to_owned(),
        network: query.network.trim().to_owned(),
        theme: query.theme.trim().to_owned(),
        region_options,
        network_options,
        theme_options,
        export_href: format!("{base}/export.csv{}", query.query_string()),
        rows,
        pager,
        back: ctx.path.clone(),
        counts: count_rows,
        count_answers: counts.overall.answers,
        count_coded: counts.overall.coded,
        region_columns,
        suppressed_note: by_region && !scene.groups.hidden_regions.is_empty(),
        suppressed_text: trama_i18n::t!(lang, "open-counts-suppressed", k = MIN_GROUP as i64),
        codebook,
        can_edit_codebook: scene.may_edit_codebook(&ctx),
        base,
    })
}

// --------------------------------------------------------------- export ----

/// The answers the page lists, as CSV: a sequence number per export instead
/// of the response id, region and network only where that group is shown,
/// the themes' codes joined by `;`.
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, item)): Path<(String, String)>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let scene = Scene::load(&state, &ctx, &code).await?;
    scene.question(&item, ctx.lang)?;
    let theme_filter = query.theme_filter()?;
    let g = group(&state, &ctx, &scene, &query).await?;
    let themes = state.store.open_themes(scene.campaign.id, &item).await?;
    let codes: BTreeMap<i64, &str> = themes.iter().map(|t| (t.id, t.code.as_str())).collect();
    let answers = if g.shown {
        state
            .store
            .open_answers(
                &scene.campaign,
                &item,
                &OpenFilter {
                    q: Some(query.q.trim().to_owned()).filter(|q| !q.is_empty()),
                    theme: theme_filter,
                    ..g.filter.clone()
                },
            )
            .await?
    } else {
        vec![]
    };
    let mut w = csv::Writer::from_writer(vec![]);
    let internal = |e: csv::Error| AppError::Internal(e.to_string());
    w.write_record(["n", "region", "network", "answer", "themes"])
        .map_err(internal)?;
    for (i, a) in answers.iter().enumerate() {
        let region = if scene.groups.region_shown(a.region) {
            a.region.map(|r| r.to_string()).unwrap_or_default()
        } else {
            String::new()
        };
        let network = a
            .network
            .clone()
            .filter(|n| scene.groups.network_shown(n))
            .unwrap_or_default();
        let tags: Vec<&str> = a
            .themes
            .iter()
            .filter_map(|id| codes.get(id).copied())
            .collect();
        w.write_record([
            (i + 1).to_string(),
            region,
            network,
            a.value.clone(),
            tags.join(";"),
        ])
        .map_err(internal)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let user = ctx.user.as_ref().map(|u| u.id);
    state
        .store
        .audit(
            user,
            "open_answers.export",
            &format!("{code} {item} ({} rows)", answers.len()),
        )
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{code}-{item}-open.csv\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

// --------------------------------------------------------------- coding ----

#[derive(Debug, Deserialize)]
pub struct CodingForm {
    #[serde(default)]
    response: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    back: String,
}

/// Back to the list the form was on, or to the question's list.
fn back_to(scene: &Scene, item: &str, back: &str) -> Response {
    let base = list_url(&scene.campaign.code, item);
    let next = safe_next(back);
    let target = if next == base || next.starts_with(&format!("{base}?")) {
        next
    } else {
        base
    };
    Redirect::to(&target).into_response()
}

/// The answer a coding form names, if the viewer may code it.
async fn codable(
    state: &AppState,
    ctx: &Ctx,
    scene: &Scene,
    item: &str,
    f: &CodingForm,
) -> Result<(OpenAnswer, i64), AppError> {
    scene.question(item, ctx.lang)?;
    if !scene.may_code(ctx) {
        return Err(AppError::Forbidden);
    }
    let theme: i64 = f.theme.trim().parse().map_err(|_| AppError::BadRequest)?;
    let answer = state
        .store
        .open_answer(&scene.campaign, item, f.response.trim())
        .await?
        // An answer outside the viewer's groups is as good as absent: its
        // existence is not confirmed.
        .filter(|a| scene.within_reach(a))
        .ok_or(AppError::NotFound)?;
    if !scene.may_code_answer(ctx, &answer) {
        return Err(AppError::Forbidden);
    }
    Ok((answer, theme))
}

pub async fn assign(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, item)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<CodingForm>,
) -> Result<Response, AppError> {
    let scene = Scene::load(&state, &ctx, &code).await?;
    let (answer, theme) = codable(&state, &ctx, &scene, &item, &f).await?;
    state
        .store
        .assign_open_theme(
            &scene.campaign,
            &item,
            &answer.response_id,
            theme,
            ctx.user.as_ref().map(|u| u.id),
        )
        .await?;
    Ok(back_to(&scene, &item, &f.back))
}

pub async fn unassign(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, item)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<CodingForm>,
) -> Result<Response, AppError> {
    let scene = Scene::load(&state, &ctx, &code).await?;
    let (answer, theme) = codable(&state, &ctx, &scene, &item, &f).await?;
    state
        .store
        .remove_open_theme(&scene.campaign, &item, &answer.response_id, theme)
        .await?;
    Ok(back_to(&scene, &item, &f.back))
}

// ------------------------------------------------------------- codebook ----

#[derive(Debug, Default, Deserialize)]
pub struct ThemeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    label_es: String,
    #[serde(default)]
    label_en: String,
    #[serde(default)]
    description: String,
}

impl ThemeForm {
    fn input(&self) -> ThemeInput {
        ThemeInput {
            code: self.code.clone(),
            label_es: self.label_es.clone(),
            label_en: self.label_en.clone(),
            description: Some(self.description.clone()),
        }
    }
}

fn theme_fields(ctx: &Ctx, f: &ThemeForm) -> Vec<Field> {
    vec![
        Field::text(ctx, "code", "open-theme-code", f.code.clone(), true),
        Field::text(
            ctx,
            "label_es",
            "open-theme-label-es",
            f.label_es.clone(),
            true,
        ),
        Field::text(
            ctx,
            "label_en",
            "open-theme-label-en",
            f.label_en.clone(),
            true,
        ),
        Field::text(
            ctx,
            "description",
            "open-theme-description",
            f.description.clone(),
            false,
        ),
    ]
}

/// The scene and question for a codebook change, which needs the right to
/// manage the campaign.
async fn codebook_scene(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    item: &str,
) -> Result<Scene, AppError> {
    let scene = Scene::load(state, ctx, code).await?;
    ctx.allow(Action::ManageCampaigns, &scene.campaign_target)?;
    scene.question(item, ctx.lang)?;
    Ok(scene)
}

fn refused(
    ctx: &Ctx,
    title: String,
    action: String,
    cancel: String,
    f: &ThemeForm,
    problems: &[FieldProblem],
) -> Result<Response, AppError> {
    form_page(
        ctx,
        "campaigns",
        title,
        action,
        cancel,
        theme_fields(ctx, f),
        problems,
    )
}

pub async fn create_theme(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, item)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<ThemeForm>,
) -> Result<Response, AppError> {
    let scene = codebook_scene(&state, &ctx, &code, &item).await?;
    let base = list_url(&scene.campaign.code, &item);
    let user = ctx.user.as_ref().map(|u| u.id);
    let saved = state
        .store
        .write(async |tx| {
            tx.create_open_theme(scene.campaign.id, &item, &f.input(), user)
                .await
        })
        .await
        .map(|_| ());
    let audit = (
        "open_answers.theme.create",
        format!("{code} {item} {}", f.code.trim()),
    );
    after_theme_save(
        &state,
        &ctx,
        saved,
        ("open-theme-new", format!("{base}/themes")),
        base,
        &f,
        audit,
    )
    .await
}

/// What follows saving a theme: the form again with its problems, or an
/// audit line and the codebook.
async fn after_theme_save(
    state: &AppState,
    ctx: &Ctx,
    saved: Result<(), StoreError>,
    (title, action): (&str, String),
    base: String,
    f: &ThemeForm,
    (what, detail): (&str, String),
) -> Result<Response, AppError> {
    match saved {
        Ok(()) => {}
        Err(StoreError::Invalid(p)) => return refused(ctx, ctx.t(title), action, base, f, &p),
        Err(e) => return Err(e.into()),
    }
    state
        .store
        .audit(ctx.user.as_ref().map(|u| u.id), what, &detail)
        .await?;
    Ok(Redirect::to(&format!("{base}#codebook")).into_response())
}

pub async fn edit_theme(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, item, id)): Path<(String, String, i64)>,
) -> Result<Response, AppError> {
    let scene = codebook_scene(&state, &ctx, &code, &item).await?;
    let t = state
        .store
        .open_theme(scene.campaign.id, &item, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let base = list_url(&scene.campaign.code, &item);
    let f = ThemeForm {
        code: t.code,
        label_es: t.label_es,
        label_en: t.label_en,
        description: t.description.unwrap_or_default(),
    };
    refused(
        &ctx,
        ctx.t("open-theme-edit"),
        format!("{base}/themes/{id}"),
        base,
        &f,
        &[],
    )
}

pub async fn update_theme(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, item, id)): Path<(String, String, i64)>,
    CsrfForm(f): CsrfForm<ThemeForm>,
) -> Result<Response, AppError> {
    let scene = codebook_scene(&state, &ctx, &code, &item).await?;
    let base = list_url(&scene.campaign.code, &item);
    let saved = state
        .store
        .write(async |tx| {
            tx.update_open_theme(scene.campaign.id, &item, id, &f.input())
                .await
        })
        .await;
    let audit = ("open_answers.theme.update", format!("{code} {item} {id}"));
    after_theme_save(
        &state,
        &ctx,
        saved,
        ("open-theme-edit", format!("{base}/themes/{id}")),
        base,
        &f,
        audit,
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

pub async fn delete_theme(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, item, id)): Path<(String, String, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let scene = codebook_scene(&state, &ctx, &code, &item).await?;
    state
        .store
        .write(async |tx| tx.delete_open_theme(scene.campaign.id, &item, id).await)
        .await?;
    state
        .store
        .audit(
            ctx.user.as_ref().map(|u| u.id),
            "open_answers.theme.delete",
            &format!("{code} {item} {id}"),
        )
        .await?;
    Ok(Redirect::to(&format!(
        "{}#codebook",
        list_url(&scene.campaign.code, &item)
    ))
    .into_response())
}
