//! What the property tests feed the readers: files shaped like each format
//! from its own column names and hostile pieces, valid files with bytes
//! replaced, inserted or removed, and noise.

use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::{Index, select};

/// Cells and header names that have broken readers elsewhere: quotes,
/// separators, line breaks of every kind, control characters, a BOM,
/// formulas, numbers out of range, very long text, Latin-1.
const PIECES: &[&str] = &[
    "",
    " ",
    "x",
    "RME1",
    "10048",
    "2020",
    "2019",
    "1",
    "5",
    "0",
    "-1",
    "NA",
    "na",
    "2,5",
    "1e309",
    "inf",
    "NaN",
    "99999999999999999999",
    "\"",
    "\"\"",
    "\"a,b\"",
    ",",
    ";",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\u{0}",
    "\u{7}",
    "\u{1B}[2J",
    "\u{85}",
    "\u{FEFF}",
    "ñ",
    "Ñuble",
    "\u{301}",
    "😀",
    "'=1+1",
    "=HYPERLINK(\"x\")",
    "${q1} = 1",
    "select_one acuerdo5",
    "select_one x",
    "begin_group",
    "end_group",
    "text",
    "integer",
    "director",
    "supervisor",
    "ana@x.cl",
    "2026-02-30",
    "15/04/2026",
    "presencial",
    "information;projects",
    "101;102",
    "a",
    "b",
    "q1",
    "d1",
];

/// One long value, to check that echoes are cut.
static LONG: LazyLock<String> = LazyLock::new(|| "ñ\u{1B}".repeat(2_000));

fn piece(columns: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![
        4 => select(PIECES).prop_map(str::to_owned),
        2 => select(columns).prop_map(str::to_owned),
        1 => Just(LONG.clone()),
    ]
    .boxed()
}

/// A CSV file shaped like a format with these `columns`: a header of
/// known names and pieces, a few rows of any length, `,` or `;`, any line
/// ending, sometimes a BOM or a Latin-1 byte.
pub fn csv_like(columns: &'static [&'static str]) -> BoxedStrategy<Vec<u8>> {
    let header = prop::collection::vec(
        prop_oneof![3 => select(columns).prop_map(str::to_owned), 1 => piece(columns)],
        0..12,
    );
    let rows = prop::collection::vec(prop::collection::vec(piece(columns), 0..14), 0..8);
    (
        header,
        rows,
        select(&[",", ";", "\t"][..]),
        select(&["\n", "\r\n", "\r"][..]),
        any::<bool>(),
        prop::option::of(any::<u8>()),
    )
        .prop_map(|(header, rows, sep, nl, bom, latin1)| {
            let mut text = String::new();
            if bom {
                text.push('\u{FEFF}');
            }
            text.push_str(&header.join(sep));
            for row in rows {
                text.push_str(nl);
                text.push_str(&row.join(sep));
            }
            text.push_str(nl);
            let mut bytes = text.into_bytes();
            if let Some(b) = latin1 {
                // Makes the file invalid UTF-8 (read as Windows-1252).
                bytes.push(0x80 | b);
            }
            bytes
        })
        .boxed()
}

/// `base` with up to 16 bytes replaced, inserted or removed, and sometimes
/// cut short.
pub fn mutated(base: &[u8]) -> BoxedStrategy<Vec<u8>> {
    let base = base.to_vec();
    (
        prop::collection::vec((any::<Index>(), any::<u8>(), 0..3u8), 1..16),
        prop::option::of(any::<Index>()),
    )
        .prop_map(move |(edits, cut)| {
            let mut bytes = base.clone();
            for (at, byte, kind) in edits {
                if bytes.is_empty() {
                    bytes.push(byte);
                    continue;
                }
                let i = at.index(bytes.len());
                match kind {
                    0 => bytes[i] = byte,
                    1 => bytes.insert(i, byte),
                    _ => {
                        bytes.remove(i);
                    }
                }
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len() + 1));
            }
            bytes
        })
        .boxed()
}

/// Bytes with no shape at all.
pub fn noise() -> BoxedStrategy<Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..256).boxed()
}

/// The RME questionnaire as Trama writes it: a valid workbook to damage.
pub static RME_XLSX: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let mut out = vec![];
    match trama_instrument::write_xlsx(&trama_instrument::default_rme(), &mut out) {
        Ok(()) => out,
        Err(e) => panic!("the RME form does not write: {e}"),
    }
});

/// A workbook whose survey sheet holds hostile cells (with a valid
/// `choices` sheet), written by a real XLSX writer.
pub fn workbook(columns: &'static [&'static str]) -> BoxedStrategy<Vec<u8>> {
    let cell = prop_oneof![2 => piece(columns), 1 => select(columns).prop_map(str::to_owned)];
    prop::collection::vec(prop::collection::vec(cell, 0..8), 1..8)
        .prop_map(|rows| match build(&rows) {
            Ok(bytes) => bytes,
            Err(e) => panic!("the test workbook does not write: {e}"),
        })
        .boxed()
}

fn build(rows: &[Vec<String>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let survey = book.add_worksheet();
    survey.set_name("survey")?;
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            // The writer refuses over 32,767 characters, as Excel does.
            let text: String = text.chars().take(32_000).collect();
            survey.write_string(r as u32, c as u16, text)?;
        }
    }
    let choices = book.add_worksheet();
    choices.set_name("choices")?;
    for (r, row) in [["list_name", "name", "label"], ["x", "a", "A"]]
        .iter()
        .enumerate()
    {
        for (c, text) in row.iter().enumerate() {
            choices.write_string(r as u32, c as u16, *text)?;
        }
    }
    book.save_to_buffer()
}
