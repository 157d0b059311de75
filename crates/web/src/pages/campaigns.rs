//! Coordinators' side of a monitoring round: campaigns, their invitation
//! lists, the outbox, the live response funnel and response downloads.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use trama_campaign::funnel::{Coverage, FunnelRow, Grouping, InvitationFacts, funnel};
use trama_campaign::{ReminderDays, ValidityRule};
use trama_domain::Problem;
use trama_domain::network::NetworkCode;
use trama_domain::person::Role;
use trama_domain::policy::{self, Action, Scope, Target};
use trama_domain::problem::FieldProblem;
use trama_domain::territory::RegionCode;
use trama_i18n::Lang;
use trama_store::StoreError;
use trama_store::campaigns::invitations::{Invitation, InvitationFilter};
use trama_store::campaigns::lifecycle::{Campaign, CampaignInput, CampaignScope, CampaignStatus};

use super::forms::{Field, form_page};
use super::{Chrome, render};
use crate::ctx::{CsrfForm, Ctx};
use crate::error::AppError;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/campaigns", get(list).post(create))
        .route("/campaigns/new", get(new_form))
        .route("/campaigns/{code}", get(show))
        .route("/campaigns/{code}/open", post(open))
        .route("/campaigns/{code}/close", post(close))
        .route("/campaigns/{code}/remind", post(remind))
        .route("/campaigns/{code}/invitations", post(add_invitation))
        .route(
            "/campaigns/{code}/invitations/{id}/remove",
            post(remove_invitation),
        )
        .route("/campaigns/{code}/outbox", get(outbox))
        .route("/campaigns/{code}/outbox.csv", get(outbox_csv))
        .route("/campaigns/{code}/funnel", get(funnel_page))
        .route("/campaigns/{code}/funnel.csv", get(funnel_csv))
        .route("/campaigns/{code}/responses.csv", get(responses_csv))
        .route("/campaigns/{code}/responses.xlsx", get(responses_xlsx))
        .route("/campaigns/{code}/responses.sav", get(responses_sav))
}

/// Where a campaign sits for the policy: a national or multi-region
/// campaign is country-wide; otherwise its region and networks.
pub(crate) async fn target(state: &AppState, c: &Campaign) -> Result<Target, AppError> {
    Ok(match &c.scope {
        CampaignScope::National => Target::global(),
        CampaignScope::Regions(r) if r.len() == 1 => {
            Target::in_region(Some(RegionCode(r[0])), vec![])
        }
        CampaignScope::Regions(_) => Target::global(),
        CampaignScope::Networks(codes) => {
            let mut region = None;
            let mut mixed = false;
            let mut ids = vec![];
            for code in codes {
                let Ok(code) = NetworkCode::parse(code) else {
                    continue;
                };
                if let Some(t) = state.store.network_target(&code).await? {
                    mixed |= region.is_some() && region != t.region;
                    region = t.region;
                    ids.extend(t.networks);
                }
            }
            Target::in_region(if mixed { None } else { region }, ids)
        }
    })
}

async fn load(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    action: Action,
) -> Result<(Campaign, Target), AppError> {
    ctx.actor()?;
    let c = state
        .store
        .campaign(code)
        .await?
        .ok_or(AppError::NotFound)?;
    let t = target(state, &c).await?;
    ctx.allow(action, &t)?;
    Ok((c, t))
}

pub struct CampaignRow {
    pub code: String,
    pub name: String,
    pub year: i32,
    pub status: String,
    pub status_key: &'static str,
    pub closes: String,
    pub view: bool,
    pub export: bool,
}

#[derive(Template)]
#[template(path = "campaigns.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<CampaignRow>,
    can_create: bool,
}

fn status_label(ctx: &Ctx, s: CampaignStatus) -> String {
    ctx.t(&format!("campaign-status-{}", s.as_str()))
}

fn day(lang: Lang, t: i64) -> String {
    trama_outreach::closing_date(lang, t)
}

pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let actor = ctx.actor()?.clone();
    // Registry readers follow campaigns; researchers come for the anonymous
    // response files.
    if policy::registry_scope(&actor).is_none()
        && !ctx.can(Action::ExportResponses, &Target::global())
    {
        return Err(AppError::Forbidden);
    }
    let mut rows = vec![];
    for c in state.store.list_campaigns().await? {
        let t = target(&state, &c).await?;
        let (view, export) = (
            ctx.can(Action::ViewCampaigns, &t),
            ctx.can(Action::ExportResponses, &t),
        );
        if view || export {
            rows.push(CampaignRow {
                status: status_label(&ctx, c.status),
                status_key: c.status.as_str(),
                closes: day(ctx.lang, c.closes_at),
                code: c.code,
                name: c.name,
                year: c.year,
                view,
                export,
            });
        }
    }
    render(&ListPage {
        c: Chrome::new(&ctx, "campaigns"),
        rows,
        can_create: ctx.can(Action::ManageCampaigns, &Target::global())
            || actor.region.is_some_and(|r| {
                ctx.can(Action::ManageCampaigns, &Target::in_region(Some(r), vec![]))
            }),
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct CampaignForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    instrument: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    scope_codes: String,
    #[serde(default)]
    opens_on: String,
    #[serde(default)]
    closes_on: String,
    #[serde(default)]
    reminder_days: String,
    #[serde(default)]
    valid_min_pct: String,
}

async fn fields(state: &AppState, ctx: &Ctx, f: &CampaignForm) -> Result<Vec<Field>, AppError> {
    let instruments = state
        .store
        .list_instruments()
        .await?
        .into_iter()
        .map(|v| {
            (
                v.id.to_string(),
                format!("{} · v{} · {}", v.code, v.number, v.title_es),
            )
        })
        .collect();
    let scopes = ["networks", "regions", "national"]
        .iter()
        .map(|s| ((*s).to_owned(), ctx.t(&format!("campaign-scope-{s}"))))
        .collect();
    Ok(vec![
        Field::text(ctx, "code", "campaign-code", &f.code, true),
        Field::text(ctx, "name", "campaign-name", &f.name, true),
        Field::text(ctx, "year", "campaign-year", &f.year, true).kind("number"),
        Field::text(
            ctx,
            "instrument",
            "campaign-instrument",
            &f.instrument,
            true,
        )
        .options(instruments),
        Field::text(ctx, "scope", "campaign-scope", &f.scope, true).options(scopes),
        Field::text(
            ctx,
            "scope_codes",
            "campaign-scope-codes",
            &f.scope_codes,
            false,
        ),
        Field::text(ctx, "opens_on", "campaign-opens-on", &f.opens_on, true).kind("date"),
        Field::text(ctx, "closes_on", "campaign-closes-on", &f.closes_on, true).kind("date"),
        Field::text(
            ctx,
            "reminder_days",
            "campaign-reminder-days",
            &f.reminder_days,
            false,
        ),
        Field::text(
            ctx,
            "valid_min_pct",
            "campaign-valid-min-pct",
            &f.valid_min_pct,
            true,
        )
        .kind("number"),
    ])
}

/// Midnight at the start of `date` in Chile.
/// Campaign dates are Chilean calendar days.
pub(crate) fn chile() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("America/Santiago").unwrap_or(jiff::tz::TimeZone::UTC)
}

fn day_start(date: &str) -> Option<i64> {
    let d: jiff::civil::Date = date.trim().parse().ok()?;
    d.to_zoned_datetime(chile())
        .ok()
        .map(|z| z.timestamp().as_second())
}

fn to_input(f: &CampaignForm) -> Result<CampaignInput, Vec<FieldProblem>> {
    let mut p = vec![];
    let mut check = |ok: bool, field: &str, problem: Problem| {
        if !ok {
            p.push(FieldProblem::new(field, problem));
        }
    };
    let year = f.year.trim().parse::<i32>().ok();
    check(year.is_some(), "year", Problem::NotAnInteger);
    let instrument = f.instrument.trim().parse::<i64>().ok();
    check(instrument.is_some(), "instrument", Problem::Required);
    let opens_at = day_start(&f.opens_on);
    check(opens_at.is_some(), "opens_on", Problem::Required);
    // The close date is the last day to answer: links work until its end.
    let closes_at = day_start(&f.closes_on).map(|t| t + 86_400);
    check(closes_at.is_some(), "closes_on", Problem::Required);
    check(!f.name.trim().is_empty(), "name", Problem::Required);
    if let (Some(o), Some(c)) = (opens_at, closes_at) {
        check(
            c > o + 86_400 - 1,
            "closes_on",
            Problem::ClosesBeforeOpening,
        );
    }
    let reminder_days = ReminderDays::parse(&f.reminder_days).ok();
    check(
        reminder_days.is_some(),
        "reminder_days",
        Problem::NotAnInteger,
    );
    let pct = f
        .valid_min_pct
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|v| *v <= 100);
    check(
        pct.is_some(),
        "valid_min_pct",
        Problem::OutOfRange { min: 0, max: 100 },
    );
    let codes = f
        .scope_codes
        .split([',', ';', ' ', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let scope = match f.scope.as_str() {
        "national" => CampaignScope::National,
        "regions" => CampaignScope::Regions(
            codes
                .filter_map(|c| {
                    RegionCode::parse(c)
                        .map_err(|e| p.push(FieldProblem::new("scope_codes", e)))
                        .ok()
                })
                .map(|r| r.0)
                .collect(),
        ),
        _ => CampaignScope::Networks(
            codes
                .filter_map(|c| {
                    NetworkCode::parse(c)
                        .map_err(|e| p.push(FieldProblem::new("scope_codes", e)))
                        .ok()
                })
                .map(|n| n.as_str().to_owned())
                .collect(),
        ),
    };
    match (year, instrument, opens_at, closes_at, reminder_days, pct) {
        (
            Some(year),
            Some(instrument_version_id),
            Some(opens_at),
            Some(closes_at),
            Some(reminder_days),
            Some(pct),
        ) if p.is_empty() => Ok(CampaignInput {
            code: f.code.trim().to_owned(),
            name: f.name.trim().to_owned(),
            year,
            instrument_version_id,
            scope,
            opens_at,
            closes_at,
            reminder_days,
            validity: ValidityRule::new(pct),
        }),
        _ => Err(p),
    }
}

pub async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let actor = ctx.actor()?.clone();
    let own = actor
        .region
        .map(|r| Target::in_region(Some(r), vec![]))
        .unwrap_or_else(Target::global);
    ctx.allow(Action::ManageCampaigns, &own)?;
    let year = trama_store::current_year();
    let today = jiff::Timestamp::now().to_zoned_datetime(chile()).date();
    let f = CampaignForm {
        code: format!("rme-{year}"),
        name: format!("{} {year}", ctx.t("campaign-default-name")),
        year: year.to_string(),
        scope: "networks".into(),
        opens_on: today.to_string(),
        closes_on: today
            .checked_add(jiff::Span::new().days(30))
            .map(|d| d.to_string())
            .unwrap_or_default(),
        reminder_days: "7,14".into(),
        valid_min_pct: "80".into(),
        ..Default::default()
    };
    let fields = fields(&state, &ctx, &f).await?;
    form_page(
        &ctx,
        "campaigns",
        ctx.t("campaign-new"),
        "/campaigns".into(),
        "/campaigns".into(),
        fields,
        &[],
    )
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<CampaignForm>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?.clone();
    let problems = match to_input(&f) {
        Ok(input) => {
            // Check the right on the campaign as it would be, before writing.
            let probe = Campaign {
                id: 0,
                code: input.code.clone(),
                name: input.name.clone(),
                year: input.year,
                instrument_version_id: input.instrument_version_id,
                instrument_code: String::new(),
                instrument_number: 0,
                scope: input.scope.clone(),
                status: CampaignStatus::Draft,
                opens_at: input.opens_at,
                closes_at: input.closes_at,
                reminder_days: String::new(),
                valid_min_pct: 80,
                opened_at: None,
                closed_at: None,
                created_at: 0,
                sna_view: trama_domain::policy::MapView::Schools,
            };
            ctx.allow(Action::ManageCampaigns, &target(&state, &probe).await?)?;
            match state
                .store
                .create_campaign(&input, Some(actor.user_id))
                .await
            {
                Ok(id) => {
                    let invited = state.store.invite_from_registry(id).await?;
                    state
                        .store
                        .audit(
                            Some(actor.user_id),
                            "campaign.create",
                            &format!("{} ({invited} invited)", input.code),
                        )
                        .await?;
                    return Ok(Redirect::to(&format!("/campaigns/{}", input.code)).into_response());
                }
                Err(StoreError::Invalid(p)) => p,
                Err(e) => return Err(e.into()),
            }
        }
        Err(p) => p,
    };
    let fields = fields(&state, &ctx, &f).await?;
    form_page(
        &ctx,
        "campaigns",
        ctx.t("campaign-new"),
        "/campaigns".into(),
        "/campaigns".into(),
        fields,
        &problems,
    )
}

#[derive(Template)]
#[template(path = "campaign.html")]
struct DetailPage {
    c: Chrome,
    campaign: Campaign,
    status: String,
    opens: String,
    closes: String,
    scope: String,
    invitations: Vec<Invitation>,
    total: i64,
    network_filter: String,
    q: String,
    counts: Vec<(String, i64)>,
    can_manage: bool,
    can_export: bool,
    roles: Vec<(String, String)>,
    notice: String,
    error: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct DetailQuery {
    #[serde(default)]
    network: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    notice: String,
    #[serde(default)]
    error: String,
}

fn scope_text(ctx: &Ctx, s: &CampaignScope) -> String {
    match s {
        CampaignScope::National => ctx.t("campaign-scope-national"),
        CampaignScope::Regions(r) => format!(
            "{}: {}",
            ctx.t("campaign-scope-regions"),
            r.iter()
                .map(|c| RegionCode(*c)
                    .region()
                    .map(|r| r.numeral)
                    .unwrap_or_default()
                    .to_owned())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        CampaignScope::Networks(n) => {
            format!("{}: {}", ctx.t("campaign-scope-networks"), n.join(", "))
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<DetailQuery>,
) -> Result<Response, AppError> {
    let (c, t) = load(&state, &ctx, &code, Action::ViewCampaigns).await?;
    let can_manage = ctx.can(Action::ManageCampaigns, &t);
    let (invitations, total) = if can_manage {
        state
            .store
            .list_invitations(
                c.id,
                &InvitationFilter {
                    network: Some(q.network.clone()),
                    q: Some(q.q.clone()),
                    limit: 200,
                    offset: 0,
                },
            )
            .await?
    } else {
        (vec![], state.store.count_invitations(c.id).await?)
    };
    let pick = |id: &str| {
        if id.starts_with("campaign-") {
            ctx.t(id)
        } else {
            String::new()
        }
    };
    render(&DetailPage {
        c: Chrome::new(&ctx, "campaigns"),
        status: status_label(&ctx, c.status),
        opens: day(ctx.lang, c.opens_at + 1),
        closes: day(ctx.lang, c.closes_at),
        scope: scope_text(&ctx, &c.scope),
        counts: state.store.message_counts(c.id).await?,
        can_export: ctx.can(Action::ExportResponses, &t),
        roles: Role::ALL
            .iter()
            .map(|r| (r.as_str().to_owned(), ctx.t(r.label_id())))
            .collect(),
        notice: pick(&q.notice),
        error: pick(&q.error),
        network_filter: q.network,
        q: q.q,
        campaign: c,
        invitations,
        total,
        can_manage,
    })
}

fn back(code: &str, key: &str, value: &str) -> Response {
    Redirect::to(&format!("/campaigns/{code}?{key}={value}")).into_response()
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

pub async fn open(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let (c, _) = load(&state, &ctx, &code, Action::ManageCampaigns).await?;
    match state.store.open_campaign(c.id).await {
        Ok(()) => {}
        Err(StoreError::Invalid(p)) => {
            let id = p
                .first()
                .map(|p| p.problem.message_id())
                .unwrap_or("problem-required");
            return Ok(back(
                &code,
                "error",
                &id.replacen("problem-", "campaign-problem-", 1),
            ));
        }
        Err(e) => return Err(e.into()),
    }
    let c = state
        .store
        .campaign_by_id(c.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let sent = state.outreach().send_invitations(&state.store, &c).await?;
    audit(
        &state,
        &ctx,
        "campaign.open",
        &format!("{code} ({sent} invitations)"),
    )
    .await?;
    Ok(back(&code, "notice", "campaign-opened"))
}

impl From<trama_outreach::OutreachError> for AppError {
    fn from(e: trama_outreach::OutreachError) -> Self {
        match e {
            trama_outreach::OutreachError::Store(e) => e.into(),
            trama_outreach::OutreachError::NotOpen => AppError::BadRequest,
        }
    }
}

/// Records a coordinator's action on a campaign.
async fn audit(state: &AppState, ctx: &Ctx, action: &str, detail: &str) -> Result<(), AppError> {
    let user = ctx.user.as_ref().map(|u| u.id);
    state.store.audit(user, action, detail).await?;
    Ok(())
}

pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let (c, _) = load(&state, &ctx, &code, Action::ManageCampaigns).await?;
    state.store.close_campaign(c.id).await?;
    audit(&state, &ctx, "campaign.close", &code).await?;
    Ok(back(&code, "notice", "campaign-closed"))
}

pub async fn remind(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let (c, _) = load(&state, &ctx, &code, Action::ManageCampaigns).await?;
    let n = state.outreach().send_reminders(&state.store, &c).await?;
    audit(&state, &ctx, "campaign.remind", &format!("{code} ({n})")).await?;
    Ok(back(&code, "notice", "campaign-reminded"))
}

#[derive(Debug, Deserialize)]
pub struct AddForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    network: String,
    #[serde(default)]
    role: String,
}

pub async fn add_invitation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    CsrfForm(f): CsrfForm<AddForm>,
) -> Result<Response, AppError> {
    let (c, _) = load(&state, &ctx, &code, Action::ManageCampaigns).await?;
    let Some(person) = state.store.person_by_email(f.email.trim()).await? else {
        return Ok(back(&code, "error", "campaign-unknown-person"));
    };
    let role =
        Role::parse(&f.role).map_err(|p| AppError::Invalid(vec![FieldProblem::new("role", p)]))?;
    let network = NetworkCode::parse(&f.network)
        .map_err(|p| AppError::Invalid(vec![FieldProblem::new("network", p)]))?;
    match state
        .store
        .invite_person(c.id, person, network.as_str(), role)
        .await
    {
        Ok(_) => {}
        Err(StoreError::NotFound) => return Ok(back(&code, "error", "campaign-unknown-network")),
        Err(e) => return Err(e.into()),
    }
    if c.status == CampaignStatus::Open {
        state.outreach().send_invitations(&state.store, &c).await?;
    }
    Ok(back(&code, "notice", "campaign-invited-one"))
}

pub async fn remove_invitation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((code, id)): Path<(String, i64)>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let (c, _) = load(&state, &ctx, &code, Action::ManageCampaigns).await?;
    state.store.remove_invitation(c.id, id).await?;
    Ok(back(&code, "notice", "campaign-removed"))
}

#[derive(Template)]
#[template(path = "campaign_outbox.html")]
struct OutboxPage {
    c: Chrome,
    campaign: Campaign,
    messages: Vec<trama_store::campaigns::mail_queue::Message>,
    smtp: bool,
}

pub async fn outbox(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let (c, _) = load(&state, &ctx, &code, Action::ManageCampaigns).await?;
    let messages = state.store.campaign_messages(c.id, None).await?;
    render(&OutboxPage {
        c: Chrome::new(&ctx, "campaigns"),
        campaign: c,
        messages,
        smtp: state.settings.smtp,
    })
}

fn csv_response(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

fn write_rows(rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    let mut w = csv::Writer::from_writer(vec![]);
    for r in rows {
        w.write_record(r)
            .map_err(|e| AppError::Internal(e.to_string()))?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// The outbox for a mail merge: messages still waiting to be handed over.
pub async fn outbox_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let (c, _) = load(&state, &ctx, &code, Action::ManageCampaigns).await?;
    let mut rows = vec![
        [
            "name",
            "email",
            "link",
            "kind",
            "lang",
            "subject",
            "opt_out_link",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for m in state.store.campaign_messages(c.id, Some("outbox")).await? {
        rows.push(vec![
            m.to_name,
            m.to_email,
            m.link.unwrap_or_default(),
            m.kind.as_str().to_owned(),
            m.lang,
            m.subject,
            m.unsubscribe.unwrap_or_default(),
        ]);
    }
    audit(&state, &ctx, "campaign.outbox_export", &code).await?;
    Ok(csv_response(
        &format!("{code}-outbox.csv"),
        write_rows(&rows)?,
    ))
}

/// The funnel facts the actor may see: a supervisor sees their networks,
/// a regional coordinator their region, even within a national campaign.
async fn visible_facts(
    state: &AppState,
    ctx: &Ctx,
    c: &Campaign,
) -> Result<trama_store::campaigns::reports::FunnelData, AppError> {
    let mut data = state.store.funnel_data(c).await?;
    let scope = ctx
        .actor()
        .ok()
        .and_then(policy::registry_scope)
        .ok_or(AppError::Forbidden)?;
    let keep: Box<dyn Fn(&InvitationFacts) -> bool> = match scope {
        Scope::All => Box::new(|_| true),
        Scope::Region(r) => {
            let code = r.0.to_string();
            Box::new(move |f| f.region == code)
        }
        Scope::Networks(ids) => {
            let codes = state.store.network_codes(&ids).await?;
            Box::new(move |f| codes.contains(&f.network))
        }
    };
    data.facts.retain(|f| keep(f));
    Ok(data)
}

pub struct FunnelTable {
    pub by: &'static str,
    pub title: String,
    pub rows: Vec<(String, FunnelRow)>,
}

#[derive(Template)]
#[template(path = "campaign_funnel.html")]
struct FunnelPage {
    c: Chrome,
    campaign: Campaign,
    total: FunnelRow,
    coverage: Coverage,
    tables: Vec<FunnelTable>,
}

fn label_for(
    data: &trama_store::campaigns::reports::FunnelData,
    ctx: &Ctx,
    by: Grouping,
    key: &str,
) -> String {
    let named = |names: &std::collections::BTreeMap<String, String>| {
        names
            .get(key)
            .map(|n| format!("{key} · {n}"))
            .unwrap_or_else(|| key.to_owned())
    };
    match by {
        Grouping::Total => ctx.t("funnel-total"),
        Grouping::Region => data
            .region_names
            .get(key)
            .map(|n| {
                let numeral = key
                    .parse()
                    .ok()
                    .and_then(|c| RegionCode(c).region())
                    .map(|r| r.numeral)
                    .unwrap_or_default();
                format!("{numeral} · {n}")
            })
            .unwrap_or_else(|| key.to_owned()),
        Grouping::Deprov => named(&data.deprov_names),
        Grouping::Network => named(&data.network_names),
        Grouping::Role => Role::parse(key)
            .map(|r| ctx.t(r.label_id()))
            .unwrap_or_else(|_| key.to_owned()),
    }
}

pub async fn funnel_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let (c, _) = load(&state, &ctx, &code, Action::ViewCampaigns).await?;
    let data = visible_facts(&state, &ctx, &c).await?;
    let total = funnel(&data.facts, Grouping::Total)
        .pop()
        .unwrap_or(FunnelRow {
            key: String::new(),
            counts: Default::default(),
            response_rate: None,
        });
    let tables = [
        Grouping::Region,
        Grouping::Deprov,
        Grouping::Network,
        Grouping::Role,
    ]
    .into_iter()
    .map(|by| FunnelTable {
        by: by.as_str(),
        title: ctx.t(&format!("funnel-by-{}", by.as_str())),
        rows: funnel(&data.facts, by)
            .into_iter()
            .map(|r| (label_for(&data, &ctx, by, &r.key), r))
            .collect(),
    })
    .collect();
    render(&FunnelPage {
        c: Chrome::new(&ctx, "campaigns"),
        campaign: c,
        total,
        coverage: data.coverage,
        tables,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct ByQuery {
    #[serde(default)]
    by: String,
}

pub async fn funnel_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<ByQuery>,
) -> Result<Response, AppError> {
    let (c, _) = load(&state, &ctx, &code, Action::ViewCampaigns).await?;
    let by = Grouping::parse(if q.by.is_empty() { "network" } else { &q.by })
        .ok_or(AppError::BadRequest)?;
    let data = visible_facts(&state, &ctx, &c).await?;
    let mut rows = vec![
        [
            by.as_str(),
            "label",
            "invited",
            "opened",
            "started",
            "complete",
            "valid",
            "response_rate",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for r in funnel(&data.facts, by) {
        rows.push(vec![
            r.key.clone(),
            label_for(&data, &ctx, by, &r.key),
            r.counts.invited.to_string(),
            r.counts.opened.to_string(),
            r.counts.started.to_string(),
            r.counts.complete.to_string(),
            r.counts.valid.to_string(),
            r.response_rate
                .map(|v| format!("{v:.1}"))
                .unwrap_or_default(),
        ]);
    }
    Ok(csv_response(
        &format!("{code}-funnel-{}.csv", by.as_str()),
        write_rows(&rows)?,
    ))
}

async fn export_records(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
) -> Result<
    (
        std::sync::Arc<trama_instrument::Instrument>,
        Vec<trama_campaign::ResponseRecord>,
    ),
    AppError,
> {
    let (c, _) = load(state, ctx, code, Action::ExportResponses).await?;
    let instrument = state.instrument(c.instrument_version_id).await?;
    let mut records = state.store.response_records(c.id, false).await?;
    trama_campaign::withhold_text_of_small_networks(
        &instrument,
        &mut records,
        super::results::MIN_GROUP as usize,
    );
    audit(state, ctx, "responses.export", code).await?;
    Ok((instrument, records))
}

pub async fn responses_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let (instrument, records) = export_records(&state, &ctx, &code).await?;
    let mut out = vec![];
    trama_campaign::write_csv(&instrument, &records, &mut out)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(csv_response(&format!("{code}-responses.csv"), out))
}

pub async fn responses_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    researchers_file(&state, &ctx, &code, trama_export::Format::Xlsx).await
}

pub async fn responses_sav(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    researchers_file(&state, &ctx, &code, trama_export::Format::Sav).await
}

/// The responses with their codebook: XLSX with a codebook sheet, or SPSS
/// `.sav` with variable and value labels and "No aplica" as a declared
/// missing value. Built from the answer side only, like every export.
async fn researchers_file(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    format: trama_export::Format,
) -> Result<Response, AppError> {
    let (instrument, records) = export_records(state, ctx, code).await?;
    let fail = |e: trama_export::ExportError| AppError::Internal(e.to_string());
    let codebook = trama_export::Codebook::from_instrument(&instrument, ctx.lang)
        .map_err(fail)?
        .with_notes(vec![ctx.t("export-note-na")]);
    let bytes = trama_export::export_to_vec(
        format,
        &codebook,
        records.iter().map(|r| (r.fixed(), &r.answers)),
    )
    .map_err(fail)?;
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{code}-responses.{}\"",
                    format.extension()
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}
