//! Entry points for hostile input: each file reader of Trama given whatever
//! bytes arrive, and the promises its outcome must keep. The property tests
//! (`tests/it`) and the cargo-fuzz targets (`fuzz/` at the workspace root)
//! call these same functions, so both check one thing.
//!
//! The promises: a reader never panics (a panic would fail the caller
//! here, as it would the server); it returns either a value or problems,
//! never an empty list of them; every problem names a line (the header is
//! line 1) and a column (by header name or, for a field without one, by
//! place), apart from a workbook's problems as a zip, which has neither;
//! and what a person is shown of them, in either language, is at most
//! [`report::SHOWN`] problems and a count, each on one bounded line with no
//! control character.

use std::collections::HashSet;
use std::sync::LazyLock;

use trama_i18n::Lang;
use trama_instrument::{FormError, Instrument};
use trama_results::{Design, RatingItem, ResponseTable};
use trama_tabular::{CellError, report};

/// A broken promise, said in words for the test or fuzzer that found it.
pub type Violation = String;

/// The longest line a problem may take on screen: file, line, column and
/// value are bounded ([`report::ECHO_CHARS`]), and so are messages.
pub const MAX_LINE_CHARS: usize = 1_000;

/// Checks the problems a file reader returned.
pub fn check_cell_errors(errors: &[CellError]) -> Result<(), Violation> {
    if errors.is_empty() {
        return Err("refused with no problem named".into());
    }
    for e in errors.iter().filter(|e| e.omitted_count().is_none()) {
        if e.line.is_none_or(|l| l < 1) {
            return Err(format!("a problem without a line: {e:?}"));
        }
        if e.column.is_none() && e.position.is_none() {
            return Err(format!("a problem without a column: {e:?}"));
        }
    }
    for lang in [Lang::Es, Lang::En] {
        check_lines(&report::lines(errors, lang))?;
    }
    Ok(())
}

/// Checks the problems a form reader returned; `csv` when the form was a
/// CSV survey sheet, whose problems all name a line and a column.
pub fn check_form_errors(errors: &[FormError], csv: bool) -> Result<(), Violation> {
    if errors.is_empty() {
        return Err("refused with no problem named".into());
    }
    for e in errors {
        if e.issue.is_about_the_workbook() && !csv {
            continue;
        }
        if e.row.is_none_or(|l| l < 1) {
            return Err(format!("a problem without a line: {e:?}"));
        }
        if e.column.is_none() && e.position.is_none() {
            return Err(format!("a problem without a column: {e:?}"));
        }
    }
    for lang in [Lang::Es, Lang::En] {
        check_lines(&report::capped(errors, 0, lang, |e| e.render(lang)))?;
    }
    Ok(())
}

fn check_lines(lines: &[String]) -> Result<(), Violation> {
    if lines.len() > report::SHOWN + 1 {
        return Err(format!("{} lines shown", lines.len()));
    }
    for l in lines {
        if l.chars().count() > MAX_LINE_CHARS {
            return Err(format!("a line of {} characters", l.chars().count()));
        }
        if let Some(c) = l.chars().find(|c| c.is_control()) {
            return Err(format!("a raw control character {c:?} in {l:?}"));
        }
    }
    Ok(())
}

fn cells<T>(outcome: Result<T, Vec<CellError>>) -> Result<(), Violation> {
    match outcome {
        Ok(_) => Ok(()),
        Err(errors) => check_cell_errors(&errors),
    }
}

/// `trama import schools`: the MINEDUC Directorio.
pub fn schools(bytes: &[u8]) -> Result<(), Violation> {
    cells(trama_import::directorio::parse("directorio.csv", bytes))
}

/// `trama import networks`: network memberships.
pub fn networks(bytes: &[u8]) -> Result<(), Violation> {
    cells(trama_import::memberships::parse("redes.csv", bytes))
}

/// `trama import people`: people and their roles.
pub fn people(bytes: &[u8]) -> Result<(), Violation> {
    cells(trama_import::people::parse("personas.csv", bytes))
}

/// The items the responses readers are checked against: three ratings, as
/// a design (`trama report`) and as an instrument (`trama responses
/// import`), and one open question.
pub const SURVEY_CSV: &str = "type,name,label::es,dimension\n\
    select_one acuerdo5,q1,Uno,d1\n\
    select_one acuerdo5,q2,Dos,d1\n\
    select_one acuerdo5,q3,Tres,d2\n\
    text,open1,Comente\n";

static INSTRUMENT: LazyLock<Option<Instrument>> =
    LazyLock::new(|| trama_instrument::read_csv("rme.csv", SURVEY_CSV.as_bytes()).ok());

fn design() -> Design {
    let item = |name: &str| RatingItem {
        name: name.into(),
        dimension: "d1".into(),
        subdimension: String::new(),
        reverse: false,
        label_es: name.into(),
        label_en: name.into(),
        finding_es: None,
        finding_en: None,
    };
    Design {
        items: vec![item("q1"), item("q2"), item("q3")],
        scales: vec![],
    }
}

/// `trama report …`: the streamed responses reader.
pub fn responses(bytes: &[u8]) -> Result<(), Violation> {
    let others: HashSet<String> = ["open1".to_owned()].into();
    cells(ResponseTable::read(
        "respuestas.csv",
        bytes,
        &design(),
        &others,
    ))
}

/// `trama responses import`: answers gathered elsewhere, against the
/// campaign's instrument.
pub fn response_file(bytes: &[u8]) -> Result<(), Violation> {
    let Some(instrument) = INSTRUMENT.as_ref() else {
        return Err("the test instrument does not read".into());
    };
    cells(trama_campaign::response_file::read_responses(
        "respuestas.csv",
        bytes,
        instrument,
    ))
}

/// `trama sna metrics`: an edge list and, when given, a node list.
pub fn sna(edges: &[u8], nodes: Option<&[u8]>) -> Result<(), Violation> {
    let opts = trama_sna::LoadOptions::default();
    cells(trama_sna::load(
        "aristas.csv",
        edges,
        nodes.map(|n| ("nodos.csv", n)),
        &opts,
    ))
}

/// `trama sessions import`: a network's session log.
pub fn sessions(bytes: &[u8]) -> Result<(), Violation> {
    cells(trama_characterise::session_log::read("sesiones.csv", bytes))
}

/// `trama characterise`: ties, members and sessions' foci.
pub fn characterise(bytes: &[u8]) -> Result<(), Violation> {
    use trama_characterise::input;
    cells(input::read_ties("lazos.csv", bytes))?;
    cells(input::read_members("miembros.csv", bytes))?;
    cells(input::read_sessions("sesiones.csv", bytes))
}

/// `trama instrument import` of a CSV survey sheet.
pub fn xlsform_csv(bytes: &[u8]) -> Result<(), Violation> {
    match trama_instrument::read_csv("formulario.csv", bytes) {
        Ok(_) => Ok(()),
        Err(errors) => check_form_errors(&errors, true),
    }
}

/// `trama instrument import` of a workbook (or whatever was given as one).
pub fn xlsform_xlsx(bytes: &[u8]) -> Result<(), Violation> {
    match trama_instrument::read_xlsx("formulario.xlsx", bytes) {
        Ok(_) => Ok(()),
        Err(errors) => check_form_errors(&errors, false),
    }
}

/// Splits one fuzzer input into two files at the first `\0`, for readers
/// that take two (edges and nodes).
pub fn two_files(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], Some(&data[at + 1..])),
        None => (data, None),
    }
}
