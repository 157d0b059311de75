//! The response file: one row per response, the respondent's groups, then
//! one column per question `name`. It is the contract between campaigns
//! (export, import of paper questionnaires) and the results tools.
//!
//! `response_id,region,deprov,network,role,submitted_at,conf_1,…`
//! Ratings are `1`–`5`, `NA` for "No aplica", empty when unanswered.
//! Identity never appears: no name, e-mail or national id column exists.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use trama_domain::Problem;
use trama_domain::network::NetworkCode;
use trama_domain::person::Role;
use trama_domain::territory::RegionCode;
use trama_export::{Codebook, CodebookOptions, ExportError, Format};
use trama_i18n::Lang;
use trama_instrument::{Instrument, Item};
use trama_tabular::{CellError, Issue, Table};

pub const META_COLUMNS: [&str; 6] = [
    "response_id",
    "region",
    "deprov",
    "network",
    "role",
    "submitted_at",
];

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResponseRecord {
    /// Empty on import when the file leaves it to Trama.
    pub response_id: String,
    pub region: String,
    pub deprov: String,
    pub network: String,
    pub role: String,
    /// RFC 3339 in UTC; empty when not submitted.
    pub submitted_at: String,
    pub answers: BTreeMap<String, String>,
}

impl ResponseRecord {
    /// The value of the file's column `name`: a meta column, else the
    /// answer to the question of that name (`None` when unanswered).
    pub fn value(&self, name: &str) -> Option<&str> {
        Some(match name {
            "response_id" => &self.response_id,
            "region" => &self.region,
            "deprov" => &self.deprov,
            "network" => &self.network,
            "role" => &self.role,
            "submitted_at" => &self.submitted_at,
            _ => return self.answers.get(name).map(String::as_str),
        })
    }

    /// `response_id, region, deprov, network, role`, the file's first columns.
    pub fn fixed(&self) -> [&str; 5] {
        [
            &self.response_id,
            &self.region,
            &self.deprov,
            &self.network,
            &self.role,
        ]
    }
}

/// The response file's columns as an export codebook: [`META_COLUMNS`]
/// (the fixed columns and `submitted_at`), then every question of the
/// instrument, open text included. `lang` only chooses the labels, which
/// the XLSX codebook sheet shows and the CSV does not.
pub fn codebook(instrument: &Instrument, lang: Lang) -> Result<Codebook, ExportError> {
    Codebook::with_options(
        instrument,
        CodebookOptions {
            lang,
            open_text: true,
            submitted_at: true,
        },
    )
}

/// Writes the CSV (UTF-8, comma, header line first) with trama-export's
/// writer, so the file is the one researchers get: every cell checked
/// against the instrument and neutralised against formula injection.
pub fn write_csv<'a, W: Write>(
    instrument: &Instrument,
    records: impl IntoIterator<Item = &'a ResponseRecord>,
    out: W,
) -> Result<(), ExportError> {
    let codebook = codebook(instrument, Lang::Es)?;
    let mut w = trama_export::CsvWriter::new(out, &codebook)?;
    for r in records {
        w.write_row(&codebook.row_by(|name| r.value(name)))?;
    }
    w.finish()?;
    Ok(())
}

/// `records` in `format`, in memory, with `codebook`: [`codebook`] for the
/// whole response file, or a researchers' codebook that leaves columns out.
pub fn export<'a>(
    format: Format,
    codebook: &Codebook,
    records: impl IntoIterator<Item = &'a ResponseRecord>,
) -> Result<Vec<u8>, ExportError> {
    let rows = records
        .into_iter()
        .map(|r| codebook.row_by(|name| r.value(name)));
    trama_export::rows_to_vec(format, codebook, rows)
}

/// Parses `submitted_at`: RFC 3339, or a plain date (taken as noon UTC).
pub fn parse_time(s: &str) -> Option<i64> {
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Some(t.as_second());
    }
    let d = s.parse::<jiff::civil::Date>().ok()?;
    d.at(12, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp().as_second())
}

/// Formats a Unix time the way the file writes it.
pub fn format_time(t: i64) -> String {
    jiff::Timestamp::from_second(t)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// Reads a response file against the campaign's instrument. Every problem is
/// reported, each naming its line and column; nothing is returned when any
/// row is wrong, so an import is all or nothing. Each record comes with
/// its line, for problems found later against the database.
pub fn read_responses(
    file: &str,
    bytes: &[u8],
    instrument: &Instrument,
) -> Result<Vec<(u64, ResponseRecord)>, Vec<CellError>> {
    let table = Table::parse(file, bytes)?;
    let mut rows = ResponseRows::new(&table, instrument)?;
    let records: Vec<(u64, ResponseRecord)> = rows.by_ref().collect();
    if rows.errors.is_empty() {
        Ok(records)
    } else {
        Err(rows.errors)
    }
}

/// A response file's rows as records, one at a time, so an import can write
/// them in batches as it reads them. Every problem found is kept in
/// `errors`, in line order; a record with a problem is still given (so the
/// rows after it are checked too) and must not be written.
pub struct ResponseRows<'a> {
    table: &'a Table,
    instrument: &'a Instrument,
    meta: Vec<usize>,
    id_col: Option<usize>,
    item_cols: Vec<(usize, &'a Item)>,
    seen_ids: HashMap<String, u64>,
    next: usize,
    pub errors: Vec<CellError>,
}

impl<'a> ResponseRows<'a> {
    /// Checks the header: the place columns are required, every other
    /// column must be one of the instrument's questions.
    pub fn new(table: &'a Table, instrument: &'a Instrument) -> Result<Self, Vec<CellError>> {
        let meta = table.require(&META_COLUMNS[1..])?;
        // An empty cell is a valid answer here, so a short row (a lost
        // separator) would shift answers unnoticed.
        table.require_full_rows()?;
        let mut errors = vec![];
        let mut item_cols: Vec<(usize, &Item)> = vec![];
        for (c, h) in table.headers.iter().enumerate() {
            let h = h.trim();
            if META_COLUMNS.iter().any(|m| m.eq_ignore_ascii_case(h)) || h.is_empty() {
                continue;
            }
            match instrument.item(h).filter(|i| i.is_question()) {
                Some(item) => item_cols.push((c, item)),
                None => errors.push(CellError::header(
                    &table.file,
                    Some(h),
                    Issue::message("response-unknown-column"),
                )),
            }
        }
        Ok(ResponseRows {
            table,
            instrument,
            meta,
            id_col: table.column("response_id"),
            item_cols,
            seen_ids: HashMap::new(),
            next: 0,
            errors,
        })
    }

    fn record(&mut self, row: &trama_tabular::Row) -> ResponseRecord {
        let table = self.table;
        let errors = &mut self.errors;
        let mut rec = ResponseRecord::default();
        if let Some(c) = self.id_col {
            rec.response_id = row.get(c).to_owned();
            if !rec.response_id.is_empty() {
                if let Some(first) = self.seen_ids.get(&rec.response_id) {
                    errors.push(table.cell_error(
                        row,
                        c,
                        Problem::DuplicateOf { first_line: *first },
                    ));
                } else {
                    self.seen_ids.insert(rec.response_id.clone(), row.line);
                }
            }
        }
        let [region, deprov, network, role, submitted] = [
            self.meta[0],
            self.meta[1],
            self.meta[2],
            self.meta[3],
            self.meta[4],
        ];
        match RegionCode::parse(row.get(region)) {
            Ok(r) => rec.region = r.0.to_string(),
            Err(p) => errors.push(table.cell_error(row, region, p)),
        }
        let d = row.get(deprov);
        if !d.is_empty() && d.parse::<u32>().is_err() {
            errors.push(table.cell_error(row, deprov, Problem::NotAnInteger));
        }
        rec.deprov = d.to_owned();
        match NetworkCode::parse(row.get(network)) {
            Ok(n) => rec.network = n.as_str().to_owned(),
            Err(p) => errors.push(table.cell_error(row, network, p)),
        }
        match Role::parse(row.get(role)) {
            Ok(r) => rec.role = r.as_str().to_owned(),
            Err(p) => errors.push(table.cell_error(row, role, p)),
        }
        let s = row.get(submitted);
        if !s.is_empty() {
            match parse_time(s) {
                Some(t) => rec.submitted_at = format_time(t),
                None => errors.push(table.cell_error(
                    row,
                    submitted,
                    Issue::message("response-bad-time"),
                )),
            }
        }
        for (c, item) in &self.item_cols {
            let v = row.get(*c);
            if !v.is_empty() {
                rec.answers.insert(item.name.clone(), v.to_owned());
            }
        }
        for (c, item) in &self.item_cols {
            let v = row.get(*c);
            if let Err(problem) = self.instrument.check_answer(item, v, &rec.answers) {
                errors.push(table.cell_error(row, *c, answer_issue(&problem)));
            }
        }
        rec
    }
}

impl Iterator for ResponseRows<'_> {
    type Item = (u64, ResponseRecord);

    fn next(&mut self) -> Option<(u64, ResponseRecord)> {
        let table = self.table;
        while let Some(row) = table.rows.get(self.next) {
            self.next += 1;
            if !row.is_empty() {
                return Some((row.line, self.record(row)));
            }
        }
        None
    }
}

fn answer_issue(problem: &trama_instrument::AnswerProblem) -> Issue {
    use trama_instrument::AnswerProblem as P;
    match problem {
        P::Value { problem } => Issue::Problem(problem.clone()),
        P::NotAChoice { value } => Issue::with_args(
            "instrument-answer-not-a-choice",
            vec![("value", value.clone())],
        ),
        P::Constraint => Issue::message("instrument-answer-constraint"),
        P::NotAnswerable => Issue::message("instrument-answer-not-answerable"),
        P::Required => Issue::message("instrument-answer-required"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trama_instrument::default_rme;

    fn record() -> ResponseRecord {
        let mut answers = BTreeMap::new();
        answers.insert("conf_1".to_owned(), "5".to_owned());
        answers.insert("conf_2".to_owned(), "NA".to_owned());
        answers.insert(
            "facilita".to_owned(),
            "Reuniones \"mensuales\", con café".to_owned(),
        );
        ResponseRecord {
            response_id: "r1".into(),
            region: "5".into(),
            deprov: "51".into(),
            network: "RME1".into(),
            role: "director".into(),
            submitted_at: "2026-11-25T12:00:00Z".into(),
            answers,
        }
    }

    #[test]
    fn round_trip_through_csv() {
        let rme = default_rme();
        let mut buf = vec![];
        write_csv(&rme, [&record()], &mut buf).unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8(buf.clone()).unwrap_or_default();
        let header = text.lines().next().unwrap_or_default();
        assert!(header.starts_with("response_id,region,deprov,network,role,submitted_at,"));
        assert!(header.contains(",conf_1,") && header.contains(",facilita"));
        assert!(
            !header.contains("email") && !header.contains("name,"),
            "no identity"
        );
        assert!(
            text.contains("\"Reuniones \"\"mensuales\"\", con café\""),
            "quoted as CSV requires"
        );
        let back = read_responses("r.csv", &buf, &rme).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(back, vec![(2, record())]);
    }

    fn records_of_every_kind() -> Vec<ResponseRecord> {
        let answers = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<BTreeMap<_, _>>()
        };
        let partial = ResponseRecord {
            response_id: "r2".into(),
            region: "8".into(),
            network: "RME2".into(),
            role: "docente".into(),
            answers: answers(&[
                ("rol", "docente"),
                ("anos_red", "3"),
                ("conf_1", "1"),
                ("col_3", "4"),
                ("dificulta", "línea 1\nlínea 2, y más"),
            ]),
            ..Default::default()
        };
        let hostile = ResponseRecord {
            response_id: "r3".into(),
            region: "13".into(),
            deprov: "131".into(),
            network: "RME3".into(),
            role: "jefe_utp".into(),
            submitted_at: "2026-11-26T09:30:00Z".into(),
            answers: answers(&[
                ("rol", "other"),
                ("rol_otro", "\tx"),
                ("anos_red", "-3"),
                ("facilita", "=HYPERLINK(\"http://x\",\"y\")"),
                ("dificulta", "-2+3"),
                ("apoyo", "@SUM(A1)"),
                ("practicas", "+1+1\rx"),
            ]),
        };
        vec![record(), partial, hostile]
    }

    /// The file the writer of trama-campaign wrote before it went through
    /// trama-export, on the records above: the same bytes, but for the
    /// quote in front of the cells a spreadsheet would run as formulas.
    #[test]
    fn the_csv_is_the_files_contract_byte_for_byte() {
        let before = "response_id,region,deprov,network,role,submitted_at,rol,rol_otro,anos_red,conf_1,conf_2,conf_3,conf_4,comp_1,comp_2,comp_3,comp_4,div_1,div_2,div_3,inn_1,inn_2,inn_3,gen_1,gen_2,gen_3,cor_1,cor_2,cor_3,cor_4,tra_1,tra_2,tra_3,hor_1,hor_2,hor_3,hor_4,pro_1,pro_2,pro_3,pro_4,col_1,col_2,col_3,facilita,dificulta,apoyo,practicas\n\
             r1,5,51,RME1,director,2026-11-25T12:00:00Z,,,,5,NA,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\"Reuniones \"\"mensuales\"\", con café\",,,\n\
             r2,8,,RME2,docente,,docente,,3,1,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,4,,\"línea 1\nlínea 2, y más\",,\n\
             r3,13,131,RME3,jefe_utp,2026-11-26T09:30:00Z,other,\tx,-3,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-2+3,@SUM(A1),\"+1+1\rx\"\n";
        let now = before
            .replace(",\tx,", ",'\tx,")
            .replace("\"=HYPERLINK", "\"'=HYPERLINK")
            .replace(",-2+3,@SUM(A1),\"+1+1", ",'-2+3,'@SUM(A1),\"'+1+1");
        let mut buf = vec![];
        write_csv(&default_rme(), &records_of_every_kind(), &mut buf)
            .unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8(buf).unwrap_or_default();
        assert_eq!(text, now);
        assert_ne!(text, before, "the hostile row is neutralised");
        assert!(text.contains(",-3,"), "a plain number keeps its sign");
    }

    #[test]
    fn every_bad_cell_is_named() {
        let rme = default_rme();
        let csv = "response_id,region,deprov,network,role,submitted_at,conf_1,conf_2,color\n\
                   a,5,51,RME1,director,,4,NA,\n\
                   b,99,51,RME1,rector,ayer,7,3,\n\
                   a,5,,RME2,docente,2026-11-20,,,\n";
        let errors = read_responses("papel.csv", csv.as_bytes(), &rme)
            .err()
            .unwrap_or_default();
        let rendered: Vec<String> = errors
            .iter()
            .map(|e| e.render(trama_i18n::Lang::Es))
            .collect();
        let at = |line: u64, col: &str| {
            errors
                .iter()
                .any(|e| e.line == Some(line) && e.column.as_deref() == Some(col))
        };
        assert!(at(1, "color"), "{rendered:?}");
        assert!(
            at(3, "region") && at(3, "role") && at(3, "submitted_at") && at(3, "conf_1"),
            "{rendered:?}"
        );
        assert!(at(4, "response_id"), "duplicate id: {rendered:?}");
        assert_eq!(errors.len(), 6, "{rendered:?}");
        assert!(rendered.iter().all(|r| r.starts_with("papel.csv:")));
    }

    #[test]
    fn dates_and_times() {
        assert_eq!(parse_time("2026-11-25T12:00:00Z"), Some(1_795_608_000));
        assert_eq!(parse_time("2026-11-25"), Some(1_795_608_000));
        assert_eq!(format_time(1_795_608_000), "2026-11-25T12:00:00Z");
        assert_eq!(parse_time("25/11/2026"), None);
    }

    #[test]
    fn the_codebook_has_the_files_columns() {
        let rme = default_rme();
        let cb = codebook(&rme, Lang::En).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = cb.names().collect();
        assert_eq!(names[..6], META_COLUMNS);
        let questions: Vec<&str> = rme.questions().iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names[6..],
            questions[..],
            "every question, open text included"
        );
    }

    #[test]
    fn xlsx_is_a_workbook_with_a_codebook_sheet() {
        let rme = default_rme();
        let cb = codebook(&rme, Lang::Es).unwrap_or_else(|e| panic!("{e}"));
        let bytes = export(Format::Xlsx, &cb, [&record()]).unwrap_or_else(|e| panic!("{e}"));
        assert!(bytes.starts_with(b"PK"), "a zip container");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains("xl/worksheets/sheet2.xml"),
            "data and codebook sheets"
        );
    }
}
