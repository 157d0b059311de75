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

/// The submitted responses the results count (valid by the campaign's rule).
async fn counted_records(
    app: &App,
    c: &CampaignRef,
    instrument: &Instrument,
) -> Result<Vec<ResponseRecord>> {
    let rule = c.campaign.validity();
    let rating: Vec<String> = instrument
        .rating_items()
        .iter()
        .map(|i| i.name.clone())
        .collect();
    let mut records = app.store.response_records(c.campaign.id, false).await?;
    records.retain(|r| {
        let atom = [
            r.region.clone(),
            r.deprov.clone(),
            r.network.clone(),
            r.role.clone(),
        ];
        Contribution::of(&rule, &rating, true, atom, &r.answers).is_some()
    });
    Ok(records)
}

/// The anonymised rows of a campaign, with what was kept.
pub async fn anonymised(
    app: &App,
    c: &CampaignRef,
    instrument: &Instrument,
) -> Result<(Vec<ResponseRecord>, Kept)> {
    let records = counted_records(app, c, instrument).await?;
    // The decision over exactly these rows: what the pages decide at the
    // same responses, with no answer saved in between to set them apart.
    let atoms = Atoms::count(records.iter().map(|r| Atom {
        region: r.region.clone(),
        deprov: r.deprov.clone(),
        network: r.network.clone(),
        role: r.role.clone(),
    }));
    let decision = decide(&atoms, app.min_group());
    // Other questions the instrument marks as describing the respondent.
    let identifying: Vec<&str> = instrument
        .items
        .iter()
        .filter(|i| i.identifying && i.name != ANSWERED_ROLE && i.name != YEARS)
        .map(|i| i.name.as_str())
        .collect();
    let rows: Vec<Respondent> = records
        .iter()
        .map(|r| Respondent {
            region: r.region.clone(),
            deprov: r.deprov.clone(),
            network: r.network.clone(),
            role: r.role.clone(),
            answered_role: r.answers.get(ANSWERED_ROLE).cloned().unwrap_or_default(),
            years: r.answers.get(YEARS).cloned().unwrap_or_default(),
            submitted_at: r.submitted_at.clone(),
            extra: identifying
                .iter()
                .map(|n| r.answers.get(*n).cloned().unwrap_or_default())
                .collect(),
        })
        .collect();
    let (released, kept) = release(&rows, &atoms, &decision, app.min_group());
    let text: Vec<&str> = instrument
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Text)
        .map(|i| i.name.as_str())
        .collect();
    let mut out: Vec<(Released, ResponseRecord)> = records
        .iter()
        .zip(released)
        .filter(|(_, rel)| !rel.withheld)
        .map(|(r, rel)| {
            let mut answers: BTreeMap<String, String> = r.answers.clone();
            for t in &text {
                if !rel.keep_text || *t == "rol_otro" {
                    answers.remove(*t);
                }
            }
            set(&mut answers, ANSWERED_ROLE, &rel.answered_role);
            set(&mut answers, YEARS, &rel.years);
            for (name, value) in identifying.iter().zip(&rel.extra) {
                set(&mut answers, name, value);
            }
            let record = ResponseRecord {
                response_id: String::new(),
                region: rel.region.clone(),
                deprov: rel.deprov.clone(),
                network: rel.network.clone(),
                role: rel.role.clone(),
                submitted_at: rel.submitted_at.clone(),
                answers,
            };
            (rel, record)
        })
        .collect();
    // Rows in the order of what they release, then at random: the order of
    // submission would otherwise ride along.
    let mut rng = trama_stdx::rng::SplitMix64::new(seed());
    rng.shuffle(&mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    let records = out
        .into_iter()
        .enumerate()
        .map(|(i, (_, mut r))| {
            r.response_id = (i + 1).to_string();
            r
        })
        .collect();
    Ok((records, kept))
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
    let (_, kept) = anonymised(app, c, &instrument).await?;
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
    let (records, kept) = anonymised(app, c, &instrument).await?;
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
    let bytes = trama_campaign::response_file::export(format, &codebook, &records).map_err(fail)?;
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
