//! The researchers' response files: CSV, Excel with a codebook sheet, SPSS
//! `.sav` with labels. Built from the answer side only: never identity, and
//! no free text from networks below the anonymity threshold.

use trama_domain::policy::{Action, Actor};
use trama_i18n::Lang;

use super::CampaignRef;
use crate::access::allow;
use crate::{App, Error, Result};

pub use trama_export::Format;

/// A response file, ready to download.
pub struct ResponseFile {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
}

pub async fn responses(
    app: &App,
    actor: &Actor,
    c: &CampaignRef,
    format: Format,
    lang: Lang,
) -> Result<ResponseFile> {
    allow(actor, Action::ExportResponses, &c.target)?;
    let instrument = app.instrument(c.campaign.instrument_version_id).await?;
    let mut records = app.store.response_records(c.campaign.id, false).await?;
    trama_campaign::withhold_text_of_small_networks(
        &instrument,
        &mut records,
        app.min_group() as usize,
    );
    let fail = |e: trama_export::ExportError| Error::Internal(e.to_string());
    // The CSV is the response file itself (the format `trama responses
    // import` reads back); Excel and SPSS carry the researchers' codebook.
    let codebook = match format {
        Format::Csv => trama_campaign::response_file::codebook(&instrument, lang),
        _ => trama_export::Codebook::from_instrument(&instrument, lang),
    }
    .map_err(fail)?
    .with_notes(vec![trama_i18n::message(lang, "export-note-na", None)]);
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
    })
}
