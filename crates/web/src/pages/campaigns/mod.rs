//! Coordinators' side of a monitoring round: the list of campaigns and a
//! new campaign here; a campaign's page and its invitations in [`detail`],
//! the outbox, the live response funnel and the response files in their
//! own modules.

pub mod detail;
pub mod downloads;
pub mod funnel;
pub mod outbox;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use trama_app::campaigns::lifecycle;
use trama_campaign::{ReminderDays, ValidityRule};
use trama_domain::Problem;
use trama_domain::network::NetworkCode;
use trama_domain::problem::FieldProblem;
use trama_domain::territory::RegionCode;
use trama_i18n::Lang;
use trama_store::campaigns::lifecycle::{CampaignInput, CampaignScope, CampaignStatus};

use super::forms::{Field, form_page};
use super::{Chrome, render};
use crate::ctx::{CsrfForm, Ctx};
use crate::error::AppError;
use crate::state::AppState;

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
    let actor = ctx.actor()?;
    let rows = lifecycle::list(&state.app, actor)
        .await?
        .into_iter()
        .map(|l| CampaignRow {
            status: status_label(&ctx, l.campaign.status),
            status_key: l.campaign.status.as_str(),
            closes: day(ctx.lang, l.campaign.closes_at),
            code: l.campaign.code,
            name: l.campaign.name,
            year: l.campaign.year,
            view: l.may_view,
            export: l.may_export,
        })
        .collect();
    render(&ListPage {
        c: Chrome::new(&ctx, "campaigns"),
        rows,
        can_create: lifecycle::may_create(actor),
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
    let instruments = lifecycle::instruments(&state.app, ctx.actor()?)
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
        )
        .picks(network_picks(state, ctx).await?),
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

/// Every network the coordinator reaches, for the scope's picker.
async fn network_picks(
    state: &AppState,
    ctx: &Ctx,
) -> Result<Vec<(String, String, String)>, AppError> {
    let mut out = vec![];
    let filter = trama_store::registry::networks::NetworkFilter::default();
    for page in 1.. {
        let request = trama_store::registry::PageRequest {
            page: Some(page),
            per_page: Some(trama_store::registry::PageRequest::MAX_PER_PAGE),
        };
        let listed =
            trama_app::registry::networks::list(&state.app, ctx.actor()?, &filter, request).await?;
        let last = listed.page >= listed.pages();
        out.extend(
            listed
                .items
                .into_iter()
                .map(|n| (n.code, n.name, crate::pages::region_name(n.region_code))),
        );
        if last {
            break;
        }
    }
    Ok(out)
}

/// Campaign dates are Chilean calendar days: the start of `date` there.
fn day_start(date: &str) -> Option<i64> {
    date.trim()
        .parse()
        .ok()
        .and_then(trama_stdx::time::day_start)
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
    if !lifecycle::may_create(ctx.actor()?) {
        return Err(AppError::Forbidden);
    }
    let year = trama_stdx::time::current_year();
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(trama_stdx::time::chile())
        .date();
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
    form(&state, &ctx, &f, &[]).await
}

async fn form(
    state: &AppState,
    ctx: &Ctx,
    f: &CampaignForm,
    problems: &[FieldProblem],
) -> Result<Response, AppError> {
    let fields = fields(state, ctx, f).await?;
    form_page(
        ctx,
        "campaigns",
        ctx.t("campaign-new"),
        "/campaigns".into(),
        "/campaigns".into(),
        fields,
        problems,
    )
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(f): CsrfForm<CampaignForm>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?;
    let input = match to_input(&f) {
        Ok(i) => i,
        Err(p) => return form(&state, &ctx, &f, &p).await,
    };
    match lifecycle::create(&state.app, actor, &input).await {
        Ok(code) => Ok(Redirect::to(&format!("/campaigns/{code}")).into_response()),
        Err(trama_app::Error::Invalid(p)) => form(&state, &ctx, &f, &p).await,
        Err(e) => Err(e.into()),
    }
}
