//! An instrument back out as an XLSForm workbook (which imports to the same
//! instrument) or as JSON.

use std::io::Write;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::kinds::ItemKind;
use crate::model::Instrument;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("building the workbook: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("serializing JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("writing: {0}")]
    Io(#[from] std::io::Error),
}

const SURVEY_HEADERS: [&str; 15] = [
    "type",
    "name",
    "label::es",
    "label::en",
    "hint::es",
    "hint::en",
    "required",
    "relevant",
    "constraint",
    "dimension",
    "subdimension",
    "reverse",
    "finding::es",
    "finding::en",
    "identifying",
];

fn header(sheet: &mut Worksheet, names: &[&str], widths: &[f64]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, name) in names.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, *name, &bold)?;
        sheet.set_column_width(c, widths.get(c as usize).copied().unwrap_or(14.0))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn text(sheet: &mut Worksheet, row: u32, col: u16, value: &str) -> Result<(), XlsxError> {
    if !value.is_empty() {
        sheet.write_string(row, col, value)?;
    }
    Ok(())
}

/// Writes the instrument as an XLSForm workbook (`survey`, `choices`,
/// `settings`) that [`crate::read_xlsx`] reads back to an equal instrument.
pub fn write_xlsx(instrument: &Instrument, mut out: impl Write) -> Result<(), WriteError> {
    let mut book = Workbook::new();

    let survey = book.add_worksheet();
    survey.set_name("survey")?;
    header(
        survey,
        &SURVEY_HEADERS,
        &[
            20.0, 18.0, 60.0, 60.0, 30.0, 30.0, 9.0, 30.0, 24.0, 18.0, 24.0, 8.0, 40.0, 40.0,
        ],
    )?;
    for (i, item) in instrument.items.iter().enumerate() {
        let r = i as u32 + 1;
        let relevant = item.relevant.as_ref().map(ToString::to_string);
        let constraint = item.constraint.as_ref().map(ToString::to_string);
        let cells: [&str; 11] = [
            &item.kind.xlsform_type(),
            &item.name,
            &item.label_es,
            &item.label_en,
            item.hint_es.as_deref().unwrap_or_default(),
            item.hint_en.as_deref().unwrap_or_default(),
            if item.required { "yes" } else { "" },
            relevant.as_deref().unwrap_or_default(),
            constraint.as_deref().unwrap_or_default(),
            item.dimension.as_deref().unwrap_or_default(),
            item.subdimension.as_deref().unwrap_or_default(),
        ];
        for (c, v) in cells.iter().enumerate() {
            text(survey, r, c as u16, v)?;
        }
        if item.kind == ItemKind::Rating {
            survey.write_number(r, 11, u8::from(item.reverse))?;
        }
        text(
            survey,
            r,
            12,
            item.finding_es.as_deref().unwrap_or_default(),
        )?;
        text(
            survey,
            r,
            13,
            item.finding_en.as_deref().unwrap_or_default(),
        )?;
        if item.identifying {
            survey.write_number(r, 14, 1)?;
        }
    }

    let choices = book.add_worksheet();
    choices.set_name("choices")?;
    header(
        choices,
        &["list_name", "name", "label::es", "label::en"],
        &[18.0, 18.0, 40.0, 40.0],
    )?;
    let mut r = 1u32;
    for list in &instrument.choice_lists {
        for choice in &list.choices {
            text(choices, r, 0, &list.name)?;
            text(choices, r, 1, &choice.name)?;
            text(choices, r, 2, &choice.label_es)?;
            text(choices, r, 3, &choice.label_en)?;
            r += 1;
        }
    }

    let settings = book.add_worksheet();
    settings.set_name("settings")?;
    header(
        settings,
        &[
            "form_id",
            "version",
            "default_language",
            "form_title",
            "form_title::en",
        ],
        &[18.0, 12.0, 18.0, 50.0, 50.0],
    )?;
    for (c, v) in [
        &instrument.form_id,
        &instrument.version,
        &instrument.default_language,
        &instrument.title_es,
        &instrument.title_en,
    ]
    .iter()
    .enumerate()
    {
        text(settings, 1, c as u16, v)?;
    }

    let bytes = book.save_to_buffer()?;
    out.write_all(&bytes)?;
    Ok(())
}

/// Writes the instrument as pretty-printed JSON (the shape of
/// `trama instrument show --format json`).
pub fn write_json(instrument: &Instrument, mut out: impl Write) -> Result<(), WriteError> {
    serde_json::to_writer_pretty(&mut out, instrument)?;
    out.write_all(b"\n")?;
    Ok(())
}
