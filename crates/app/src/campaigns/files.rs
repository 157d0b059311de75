//! The response files: CSV, Excel with a codebook sheet, SPSS `.sav` with
//! labels. Built from the answer side only, never identity.
//!
//! What researchers download is anonymised
//! ([`trama_results::disclosure::microdata`]): the responses the results
//! count, with place, role, years in the network and submission time
//! generalised until every combination holds K people and nothing in the
//! file adds to the published tables, fresh row numbers instead of response
//! ids, and free text only where the network is both kept and published.
//! The operator's command-line export keeps full detail and says so.

use std::collections::BTreeMap;

use trama_campaign::ResponseRecord;
use trama_campaign::tally::Contribution;
use trama_domain::policy::{Action, Actor};
use trama_i18n::Lang;
use trama_instrument::{Instrument, ItemKind};
use trama_results::disclosure::microdata::{Kept, Released, Respondent, release};
use trama_results::disclosure::{Atom, Atoms, decide};
use trama_store::campaigns::reports::ResponsePages;

use super::CampaignRef;
use crate::access::allow;
use crate::{App, Error, Result};

pub use trama_export::Format;

/// The profile question asking the respondent's role, and the years they
/// have been in the network: quasi-identifiers beside the registry's.
const ANSWERED_ROLE: &str = "rol";
const YEARS: &str = "anos_red";

/// A response file, ready to download.
pub struct ResponseFile {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
    /// What the anonymisation kept.
    pub kept: Kept,
}

/// Responses fetched at once in the second pass (by id, in file order).
const FETCH: usize = 1_000;

/// What the anonymisation decided, from a first pass that keeps of each
/// counted response only what identifies it: the rows' order in the file
/// (response ids), what each row releases, and what was kept overall.
struct Plan {
    rows: Vec<(Released, String)>,
    kept: Kept,
    identifying: Vec<String>,
    text: Vec<String>,
}

/// The first pass: the campaign's counted responses (submitted, valid by
/// its rule) a page at a time, the decision over exactly them (what the
/// pages decide at the same responses), and the release of each.
async fn plan(app: &App, c: &CampaignRef, instrument: &Instrument) -> Result<Plan> {
    let rule = c.campaign.validity();
    let rating: Vec<String> = instrument
        .rating_items()
        .iter()
        .map(|i| i.name.clone())
        .collect();
    // Other questions the instrument marks as describing the respondent.
    let identifying: Vec<String> = instrument
        .items
        .iter()
        .filter(|i| i.identifying && i.name != ANSWERED_ROLE && i.name != YEARS)
        .map(|i| i.name.clone())
        .collect();
    let mut ids = vec![];
    let mut rows: Vec<Respondent> = vec![];
    let mut pages = ResponsePages::new(c.campaign.id, false);
    while let Some(page) = pages.next(&app.store).await? {
        for r in page {
            let atom = [
                r.region.clone(),
                r.deprov.clone(),
                r.network.clone(),
                r.role.clone(),
            ];
            if Contribution::of(&rule, &rating, true, atom, &r.answers).is_none() {
                continue;
            }
            let answer = |n: &str| r.answers.get(n).cloned().unwrap_or_default();
            rows.push(Respondent {
                answered_role: answer(ANSWERED_ROLE),
                years: answer(YEARS),
                extra: identifying.iter().map(|n| answer(n)).collect(),
                region: r.region,
                deprov: r.deprov,
                network: r.network,
                role: r.role,
                submitted_at: r.submitted_at,
            });
            ids.push(r.response_id);
        }
    }
    let atoms = Atoms::count(rows.iter().map(|r| Atom {
        region: r.region.clone(),
        deprov: r.deprov.clone(),
        network: r.network.clone(),
        role: r.role.clone(),
    }));
    let decision = decide(&atoms, app.min_group());
    let (released, kept) = release(&rows, &atoms, &decision, app.min_group());
    drop(rows);
    let mut order: Vec<(Released, String)> = released
        .into_iter()
        .zip(ids)
        .filter(|(rel, _)| !rel.withheld)
        .collect();
    // Rows in the order of what they release, then at random: the order of
    // submission (or of anything else stored) would otherwise ride along.
    let mut rng = trama_stdx::rng::SplitMix64::new(seed());
    rng.shuffle(&mut order);
    order.sort_by(|a, b| a.0.cmp(&b.0));
    let text = instrument
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Text)
        .map(|i| i.name.clone())
        .collect();
    Ok(Plan {
        rows: order,
        kept,
        identifying,
        text,
    })
}

/// The second pass: the planned rows, fetched a batch at a time in file
/// order, as they are released (fresh row numbers, generalised fields, free
/// text only where kept), each handed to `emit`.
async fn release_rows(
    app: &App,
    c: &CampaignRef,
    plan: &Plan,
    mut emit: impl FnMut(&ResponseRecord) -> Result<()>,
) -> Result<()> {
    let mut number = 0usize;
    for chunk in plan.rows.chunks(FETCH) {
        let ids: Vec<String> = chunk.iter().map(|(_, id)| id.clone()).collect();
        let fetched = app
            .store
            .response_records_by_ids(c.campaign.id, &ids)
            .await?;
        if fetched.len() != chunk.len() {
            // A response that vanished between the passes would shift the
            // rows against their releases.
            return Err(Error::Internal("responses changed while exporting".into()));
        }
        for ((rel, _), r) in chunk.iter().zip(fetched) {
            let mut answers = r.answers;
            for t in &plan.text {
                if !rel.keep_text || t == "rol_otro" {
                    answers.remove(t);
                }
            }
            set(&mut answers, ANSWERED_ROLE, &rel.answered_role);
            set(&mut answers, YEARS, &rel.years);
            for (name, value) in plan.identifying.iter().zip(&rel.extra) {
                set(&mut answers, name, value);
            }
            number += 1;
            emit(&ResponseRecord {
                response_id: number.to_string(),
                region: rel.region.clone(),
                deprov: rel.deprov.clone(),
                network: rel.network.clone(),
                role: rel.role.clone(),
                submitted_at: rel.submitted_at.clone(),
                answers,
            })?;
        }
    }
    Ok(())
}

fn set(answers: &mut BTreeMap<String, String>, name: &str, value: &str) {
    if answers.contains_key(name) {
        if value.is_empty() {
            answers.remove(name);
        } else {
            answers.insert(name.to_owned(), value.to_owned());
        }
    }
}

fn seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// The note that says what a file keeps, for its codebook.
pub fn kept_note(kept: &Kept, lang: Lang) -> String {
    let level = |key: String| trama_i18n::message(lang, &key, None);
    trama_i18n::t!(
        lang,
        "export-note-anonymised",
        k = kept.k as i64,
        geo = kept.geo.map_or_else(
            || level("export-geo-none".into()),
            |g| level(format!("export-geo-{g:?}").to_lowercase())
        ),
        role = kept.role.map_or_else(
            || level("export-detail-hidden".into()),
            |d| level(format!("export-detail-{d:?}").to_lowercase())
        ),
        rows = (kept.rows - kept.rows_withheld) as i64,
        withheld = kept.rows_withheld as i64,
        exact = format!("{:.1}", 100.0 * kept.share_exact()),
        generalised = kept.generalised as i64,
        suppressed = kept.suppressed as i64,
        text = kept.text_withheld_rows as i64
    )
}

/// The short note that goes with the researchers' files: what the
/// anonymisation kept, for a reader of the CSV (which has no codebook).
pub async fn note(app: &App, actor: &Actor, c: &CampaignRef, lang: Lang) -> Result<ResponseFile> {
    allow(actor, Action::ExportResponses, &c.target)?;
    let instrument = app.instrument(c.campaign.instrument_version_id).await?;
    let kept = plan(app, c, &instrument).await?.kept;
    let text = format!(
        "{}\n\n{}\n\n{}\n",
        c.campaign.name,
        kept_note(&kept, lang),
        trama_i18n::message(lang, "export-note-na", None)
    );
    Ok(ResponseFile {
        bytes: text.into_bytes(),
        content_type: "text/plain; charset=utf-8",
        file_name: format!("{}-responses-note.txt", c.campaign.code),
        kept,
    })
}

/// The researchers' file of a campaign.
pub async fn responses(
    app: &App,
    actor: &Actor,
    c: &CampaignRef,
    format: Format,
    lang: Lang,
) -> Result<ResponseFile> {
    allow(actor, Action::ExportResponses, &c.target)?;
    let instrument = app.instrument(c.campaign.instrument_version_id).await?;
    let plan = plan(app, c, &instrument).await?;
    let kept = plan.kept.clone();
    let fail = |e: trama_export::ExportError| Error::Internal(e.to_string());
    // The CSV is the response file's shape (what `trama responses import`
    // reads); Excel and SPSS carry the researchers' codebook.
    let codebook = match format {
        Format::Csv => trama_campaign::response_file::codebook(&instrument, lang),
        _ => trama_export::Codebook::from_instrument(&instrument, lang),
    }
    .map_err(fail)?
    .with_notes(vec![
        trama_i18n::message(lang, "export-note-na", None),
        kept_note(&kept, lang),
    ]);
    let mut out = trama_export::Exporter::new(
        format,
        std::io::Cursor::new(vec![]),
        &codebook,
        &trama_export::SavOptions::default(),
    )
    .map_err(fail)?;
    release_rows(app, c, &plan, |r| {
        out.write_row(&codebook.row_by(|name| r.value(name)))
            .map_err(fail)
    })
    .await?;
    let bytes = out.finish().map_err(fail)?.into_inner();
    app.audit(
        actor,
        "responses.export",
        &format!("{} {}", c.campaign.code, format.extension()),
    )
    .await?;
    Ok(ResponseFile {
        bytes,
        content_type: format.content_type(),
        file_name: format!("{}-responses.{}", c.campaign.code, format.extension()),
        kept,
    })
}
