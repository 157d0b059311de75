//! The responses file: `response_id,region,deprov,network,role[,submitted_at]`
//! then one column per item name; ratings `1`–`5`, `NA` (No aplica) or empty.
//!
//! A million rows by fifty items must load in seconds, so rows are read as
//! bytes, answers kept as one byte each, and the grouping columns interned.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};

use serde::Serialize;
use trama_tabular::lines::Counting;
use trama_tabular::{CellError, Issue, decode, detect_delimiter, first_extra, long_row, short_row};

use crate::design::Design;

/// One stored answer: 0 empty, 1–5 the scale, 6 No aplica.
pub type Answer = u8;
pub const EMPTY: Answer = 0;
pub const NA: Answer = 6;

/// The grouping columns a breakdown can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Region,
    Deprov,
    Network,
    Role,
}

impl GroupBy {
    pub fn parse(s: &str) -> Option<GroupBy> {
        match s {
            "region" => Some(GroupBy::Region),
            "deprov" => Some(GroupBy::Deprov),
            "network" => Some(GroupBy::Network),
            "role" => Some(GroupBy::Role),
            _ => None,
        }
    }

    fn index(self) -> usize {
        match self {
            GroupBy::Region => 0,
            GroupBy::Deprov => 1,
            GroupBy::Network => 2,
            GroupBy::Role => 3,
        }
    }
}

/// Respondents' answers to the design's rating items, row-major.
#[derive(Debug, Clone, Default)]
pub struct ResponseTable {
    /// Interned values of region, deprov, network, role.
    pub values: [Vec<String>; 4],
    /// Per respondent, the index into `values` of each grouping column.
    pub groups: Vec<[u32; 4]>,
    /// `groups.len() × k` answers, item order as in the design.
    pub answers: Vec<Answer>,
    pub k: usize,
}

impl ResponseTable {
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    pub fn row(&self, r: usize) -> &[Answer] {
        &self.answers[r * self.k..(r + 1) * self.k]
    }

    /// The group value of respondent `r` for a breakdown.
    pub fn group_of(&self, r: usize, by: GroupBy) -> u32 {
        self.groups[r][by.index()]
    }

    pub fn group_name(&self, by: GroupBy, id: u32) -> &str {
        &self.values[by.index()][id as usize]
    }

    pub fn group_count(&self, by: GroupBy) -> usize {
        self.values[by.index()].len()
    }

    /// Builds a table directly (for tests and for data read from the database).
    pub fn push(&mut self, group: [&str; 4], answers: &[Answer]) {
        let mut ids = [0u32; 4];
        for (c, v) in group.iter().enumerate() {
            ids[c] = match self.values[c].iter().position(|x| x == v) {
                Some(i) => i as u32,
                None => {
                    self.values[c].push((*v).to_owned());
                    (self.values[c].len() - 1) as u32
                }
            };
        }
        self.groups.push(ids);
        self.answers.extend_from_slice(answers);
        self.k = answers.len();
    }

    /// Reads a responses CSV for `design`. `other_items` are the instrument's
    /// non-rating item names (text, profile…), whose columns are allowed and
    /// ignored. Every problem is reported (up to `MAX_ERRORS`, in line order),
    /// nothing partial is returned.
    ///
    /// Separators `,`, `;` or tab are detected from the header line; text is
    /// UTF-8 (BOM or not) or Latin-1, as spreadsheets save it. Header names,
    /// ids and group values are trimmed, so `" V"` and `"V"` are one region.
    pub fn read(
        file: &str,
        reader: impl Read,
        design: &Design,
        other_items: &HashSet<String>,
    ) -> Result<ResponseTable, Vec<CellError>> {
        let err =
            |line: u64, column: Option<String>, value: Option<String>, issue: Issue| CellError {
                file: file.to_owned(),
                line: Some(line),
                position: column.is_none().then_some(1),
                column,
                value,
                issue,
            };
        let mut input = BufReader::with_capacity(1 << 16, Counting::new(reader));
        let delimiter = match input.fill_buf() {
            Ok(head) => {
                let end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
                detect_delimiter(&decode(&head[..end]))
            }
            Err(_) => return Err(vec![err(1, None, None, Issue::message("csv-malformed"))]),
        };
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(input);
        let mut rec = csv::ByteRecord::new();
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => return Err(vec![err(1, None, None, Issue::message("csv-empty"))]),
            Err(_) => return Err(vec![err(1, None, None, Issue::message("csv-malformed"))]),
        }
        let headers: Vec<String> = rec.iter().map(|h| decode(h).trim().to_owned()).collect();
        let mut errors = vec![];
        let fixed = ["response_id", "region", "deprov", "network", "role"];
        // The fixed columns are Trama's own names, so their case is not
        // significant; item names are the instrument's and match exactly.
        let is_fixed = |h: &str, name: &str| h.eq_ignore_ascii_case(name);
        // Every header check is one pass over the header with hash lookups:
        // a file may have a hundred thousand columns.
        let mut first_of: HashMap<&str, usize> = HashMap::with_capacity(headers.len());
        let mut first_fixed: HashMap<String, usize> = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            first_of.entry(h.as_str()).or_insert(i);
            first_fixed.entry(h.to_ascii_lowercase()).or_insert(i);
        }
        let mut fixed_idx = [usize::MAX; 5];
        for (i, name) in fixed.iter().enumerate() {
            match first_fixed.get(*name) {
                Some(&p) => fixed_idx[i] = p,
                None => errors.push(err(
                    1,
                    Some((*name).to_owned()),
                    None,
                    Issue::message("csv-missing-column"),
                )),
            }
        }
        let mut item_col = vec![usize::MAX; design.items.len()];
        for (j, item) in design.items.iter().enumerate() {
            match first_of.get(item.name.as_str()) {
                Some(&p) => item_col[j] = p,
                None => errors.push(err(
                    1,
                    Some(item.name.clone()),
                    None,
                    Issue::message("csv-missing-column"),
                )),
            }
        }
        let item_names: HashSet<&str> = design.items.iter().map(|i| i.name.as_str()).collect();
        let any_column = other_items.contains(ANY_COLUMN);
        let mut seen_header = HashSet::new();
        for h in &headers {
            let known = fixed.iter().any(|f| is_fixed(h, f))
                || is_fixed(h, "submitted_at")
                || item_names.contains(h.as_str())
                || other_items.contains(h)
                || any_column;
            if !known {
                errors.push(err(
                    1,
                    Some(h.clone()),
                    None,
                    Issue::message("responses-unknown-column"),
                ));
            }
            if !seen_header.insert(h.to_ascii_lowercase()) {
                errors.push(err(
                    1,
                    Some(h.clone()),
                    None,
                    Issue::message("responses-duplicate-column"),
                ));
            }
        }
        // Without a sound header the rows cannot be read column by column.
        if !errors.is_empty() {
            return Err(errors);
        }
        let k = design.items.len();
        let width = headers.len();
        let mut table = ResponseTable {
            k,
            ..Default::default()
        };
        let mut interners: [HashMap<Vec<u8>, u32>; 4] = Default::default();
        // Response ids go into one buffer and are checked for repeats after
        // the pass, by sorting: a million ids cost a few megabytes this way,
        // against one allocation each in a hash map.
        let mut ids = IdList::default();
        // Problems found row by row, with the position of their column for
        // ordering; repeated ids are merged in afterwards.
        let mut found: Vec<(u64, usize, CellError)> = vec![];
        let mut more = 0usize;
        let mut row_answers = vec![EMPTY; k];
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let line = e
                        .position()
                        .map_or(0, |p| rdr.get_ref().get_ref().lines.line_of(p.byte()));
                    found.push((
                        line,
                        0,
                        err(line, None, None, Issue::message("csv-malformed")),
                    ));
                    break;
                }
            }
            if rec.iter().all(|f| f.trim_ascii().is_empty()) {
                continue;
            }
            let line = rec
                .position()
                .map_or(0, |p| rdr.get_ref().get_ref().lines.line_of(p.byte()));
            let mut push_err = |col: usize, e: CellError| {
                if found.len() < MAX_ERRORS {
                    found.push((line, col, e));
                } else {
                    more += 1;
                }
            };
            // A short row would silently lose answers (an empty cell is a
            // valid answer, so a lost separator shifts the rest unnoticed),
            // a long one put them under the wrong items: neither can be
            // read. Empty fields past the header, as spreadsheets add them,
            // carry nothing and are accepted.
            if rec.len() < width {
                push_err(
                    rec.len(),
                    short_row(file, line, &headers, rec.len(), rec.len()),
                );
                continue;
            }
            if let Some(at) = first_extra(&rec, width) {
                let value = decode(rec.get(at).unwrap_or_default()).into_owned();
                push_err(at, long_row(file, line, at, &value, rec.len(), width));
                continue;
            }
            let field = |c: usize| rec.get(c).unwrap_or_default();
            let id = field(fixed_idx[0]).trim_ascii();
            if id.is_empty() {
                push_err(
                    fixed_idx[0],
                    err(
                        line,
                        Some("response_id".into()),
                        None,
                        trama_domain::Problem::Required.into(),
                    ),
                );
            } else {
                ids.push(id, line);
            }
            for (j, &col) in item_col.iter().enumerate() {
                let raw = field(col);
                row_answers[j] = match parse_answer(raw) {
                    Some(a) => a,
                    None => {
                        push_err(
                            col,
                            err(
                                line,
                                Some(design.items[j].name.clone()),
                                Some(decode(raw).into_owned()),
                                Issue::message("responses-bad-value"),
                            ),
                        );
                        EMPTY
                    }
                };
            }
            if !found.is_empty() {
                continue;
            }
            let mut g = [0u32; 4];
            for (c, slot) in g.iter_mut().enumerate() {
                let v = field(fixed_idx[c + 1]).trim_ascii();
                *slot = match interners[c].get(v) {
                    Some(&idx) => idx,
                    None => {
                        let idx = table.values[c].len() as u32;
                        table.values[c].push(decode(v).trim().to_owned());
                        interners[c].insert(v.to_vec(), idx);
                        idx
                    }
                };
            }
            table.groups.push(g);
            table.answers.extend_from_slice(&row_answers);
        }
        // A file pasted twice repeats every id: only the first repeats in
        // line order can be listed, so only those become messages.
        let mut repeats = ids.repeats();
        repeats.sort_by_key(|(line, _, _)| *line);
        if repeats.len() > MAX_ERRORS {
            more += repeats.len() - MAX_ERRORS;
            repeats.truncate(MAX_ERRORS);
        }
        for (line, first_line, id) in repeats {
            found.push((
                line,
                fixed_idx[0],
                err(
                    line,
                    Some("response_id".into()),
                    Some(decode(id).into_owned()),
                    trama_domain::Problem::DuplicateOf { first_line }.into(),
                ),
            ));
        }
        // Stable: problems of one cell keep the order they were found in.
        found.sort_by_key(|(line, col, _)| (*line, *col));
        if found.len() > MAX_ERRORS {
            more += found.len() - MAX_ERRORS;
            found.truncate(MAX_ERRORS);
        }
        let mut errors: Vec<CellError> = found.into_iter().map(|(_, _, e)| e).collect();
        if more > 0 {
            errors.push(CellError::omitted(file, more as u64));
        }
        if errors.is_empty() {
            Ok(table)
        } else {
            Err(errors)
        }
    }
}

/// Response ids in one buffer, with the line each was read on.
#[derive(Default)]
struct IdList {
    bytes: Vec<u8>,
    /// End of each id in `bytes`; an id starts where the previous one ends.
    ends: Vec<usize>,
    lines: Vec<u64>,
}

impl IdList {
    fn push(&mut self, id: &[u8], line: u64) {
        self.bytes.extend_from_slice(id);
        self.ends.push(self.bytes.len());
        self.lines.push(line);
    }

    fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    /// Every id seen before, as (its line, the line it first appeared on, the id).
    fn repeats(&self) -> Vec<(u64, u64, &[u8])> {
        let mut order: Vec<u32> = (0..self.ends.len() as u32).collect();
        // Ties in id keep file order, so the first of a run is the first seen.
        order.sort_by(|&a, &b| self.get(a as usize).cmp(self.get(b as usize)));
        let mut out = vec![];
        let mut first = 0usize;
        for w in 1..order.len() {
            let (prev, cur) = (order[first] as usize, order[w] as usize);
            if self.get(prev) == self.get(cur) {
                out.push((self.lines[cur], self.lines[prev], self.get(cur)));
            } else {
                first = w;
            }
        }
        out
    }
}

/// Put in `other_items` to accept any extra column (for reports that only
/// need the grouping columns, such as response rates).
pub const ANY_COLUMN: &str = "*";

/// How many problems are listed one by one before the rest are counted.
pub const MAX_ERRORS: usize = 500;

fn parse_answer(raw: &[u8]) -> Option<Answer> {
    let t = raw.trim_ascii();
    match t {
        b"" => Some(EMPTY),
        [d @ b'1'..=b'5'] => Some(d - b'0'),
        _ if t.eq_ignore_ascii_case(b"NA") => Some(NA),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::RatingItem;
    use trama_i18n::Lang;

    fn item(name: &str) -> RatingItem {
        RatingItem {
            name: name.into(),
            dimension: "d".into(),
            subdimension: "s".into(),
            reverse: false,
            label_es: name.into(),
            label_en: name.into(),
            finding_es: None,
            finding_en: None,
        }
    }

    fn design() -> Design {
        Design {
            items: vec![item("q1"), item("q2")],
            scales: vec![],
        }
    }

    #[test]
    fn bad_cells_are_on_their_line_with_every_line_ending() {
        for nl in ["\n", "\r\n", "\r"] {
            // Header, a good row, a blank line, a bad row (line 4), a bad row (line 5).
            let csv = format!(
                "response_id,region,deprov,network,role,q1,q2{nl}r1,V,51,RME1,director,5,4{nl}{nl}r2,V,51,RME1,director,7,4{nl}r3,V,51,RME1,director,1,x{nl}"
            );
            let errs = ResponseTable::read("r.csv", csv.as_bytes(), &design(), &HashSet::new())
                .err()
                .unwrap_or_default();
            let lines: Vec<Option<u64>> = errs.iter().map(|e| e.line).collect();
            assert_eq!(lines, [Some(4), Some(5)], "{nl:?}: {errs:?}");
        }
    }

    #[test]
    fn reads_values_na_and_empty() {
        let csv = "\u{feff}response_id,region,deprov,network,role,submitted_at,q1,q2,open1\nr1,V,51,RME1,director,2024-05-01,5,NA,\"hola, red\"\nr2,V,51,RME1,jefe_utp,,,3,\n";
        let others: HashSet<String> = ["open1".to_owned()].into();
        let t = ResponseTable::read("r.csv", csv.as_bytes(), &design(), &others)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(t.len(), 2);
        assert_eq!(t.row(0), &[5, NA]);
        assert_eq!(t.row(1), &[EMPTY, 3]);
        assert_eq!(
            t.group_name(GroupBy::Role, t.group_of(1, GroupBy::Role)),
            "jefe_utp"
        );
    }

    #[test]
    fn every_problem_is_reported() {
        let csv = "response_id,region,deprov,network,role,q1,q9\nr1,V,51,RME1,director,6,1\nr1,V,51,RME1,director,x,2\n";
        let errs = ResponseTable::read("r.csv", csv.as_bytes(), &design(), &HashSet::new())
            .err()
            .unwrap_or_default();
        let cols: Vec<_> = errs
            .iter()
            .map(|e| e.column.clone().unwrap_or_default())
            .collect();
        assert_eq!(cols, vec!["q2", "q9"], "header problems first, alone");
        let csv = "response_id,region,deprov,network,role,q1,q2\nr1,V,51,RME1,director,6,1\nr1,V,51,RME1,director,x,NA\n";
        let errs = ResponseTable::read("r.csv", csv.as_bytes(), &design(), &HashSet::new())
            .err()
            .unwrap_or_default();
        let rendered: Vec<_> = errs.iter().map(|e| e.render(Lang::Es)).collect();
        assert_eq!(
            rendered,
            vec![
                "r.csv:2: q1: \"6\" no es una respuesta válida (1 a 5, NA o vacío)",
                "r.csv:3: response_id: \"r1\" repite lo ya indicado en la línea 2",
                "r.csv:3: q1: \"x\" no es una respuesta válida (1 a 5, NA o vacío)",
            ]
        );
    }

    #[test]
    fn semicolons_latin1_spaces_and_short_rows() {
        // As a spreadsheet saves it in Chile: `;`, Latin-1, stray spaces.
        let mut csv = b"Response_ID;region;deprov;network;role;q1;q2\n".to_vec();
        csv.extend_from_slice(b"r1;\xD1uble ;161;RME1;director;5;NA\n");
        csv.extend_from_slice(b"r2; \xD1uble;161;RME1;director;4;1\n");
        let t = ResponseTable::read("r.csv", csv.as_slice(), &design(), &HashSet::new())
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(t.group_count(GroupBy::Region), 1, "one region, trimmed");
        assert_eq!(t.group_name(GroupBy::Region, 0), "Ñuble");
        let csv = "response_id,region,deprov,network,role,q1,q2\nr1,V,51,RME1,director,5\nr2,V,51,RME1,director,5,4,3\nr3,V,51,RME1,director,5,4,,\n";
        let errs = ResponseTable::read("r.csv", csv.as_bytes(), &design(), &HashSet::new())
            .err()
            .unwrap_or_default();
        let rendered: Vec<_> = errs.iter().map(|e| e.render(Lang::Es)).collect();
        // Each names its column: the first one missing, or the place of the
        // first value past the header; empty trailing fields are no problem.
        assert_eq!(
            rendered,
            vec![
                "r.csv:2: q2: la fila termina antes de esta columna: tiene 6 campos y el encabezado 7",
                "r.csv:3: columna 8 (sin encabezado): \"3\" la fila tiene 8 campos y el encabezado 7",
            ]
        );
        let csv = "response_id,region,deprov,network,role,q1,q2\nr3,V,51,RME1,director,5,4,,\n";
        let t = ResponseTable::read("r.csv", csv.as_bytes(), &design(), &HashSet::new())
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(t.row(0), &[5, 4]);
    }

    #[test]
    fn a_hundred_thousand_unknown_columns_are_each_named_in_one_pass() {
        // Not a timing test: the old per-header search through the items
        // and the header made this quadratic.
        let mut csv = "response_id,region,deprov,network,role,q1,q2".to_owned();
        for i in 0..100_000 {
            csv.push_str(&format!(",x{i}"));
        }
        csv.push('\n');
        let errs = ResponseTable::read("r.csv", csv.as_bytes(), &design(), &HashSet::new())
            .err()
            .unwrap_or_default();
        assert_eq!(errs.len(), 100_000);
        assert!(errs.iter().all(|e| e.line == Some(1) && e.column.is_some()));
    }

    #[test]
    fn whole_file_problems_are_on_line_1() {
        let errs = ResponseTable::read("r.csv", &b""[..], &design(), &HashSet::new())
            .err()
            .unwrap_or_default();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].line, errs[0].position), (Some(1), Some(1)));
    }

    #[test]
    fn repeated_ids_name_the_first_line_and_keep_line_order() {
        let csv = "response_id,region,deprov,network,role,q1,q2\nb,V,51,RME1,director,5,4\na,V,51,RME1,director,5,4\nb,V,51,RME1,director,9,4\na,V,51,RME1,director,5,4\nb,V,51,RME1,director,5,4\n";
        let errs = ResponseTable::read("r.csv", csv.as_bytes(), &design(), &HashSet::new())
            .err()
            .unwrap_or_default();
        let rendered: Vec<_> = errs.iter().map(|e| e.render(Lang::En)).collect();
        assert_eq!(rendered.len(), 4, "{rendered:?}");
        assert!(
            rendered[0].starts_with("r.csv:4: response_id: \"b\""),
            "{rendered:?}"
        );
        assert!(rendered[0].contains("line 2"), "{rendered:?}");
        assert!(
            rendered[1].starts_with("r.csv:4: q1: \"9\""),
            "{rendered:?}"
        );
        assert!(
            rendered[2].starts_with("r.csv:5: response_id: \"a\""),
            "{rendered:?}"
        );
        assert!(rendered[2].contains("line 3"), "{rendered:?}");
        assert!(
            rendered[3].starts_with("r.csv:6: response_id: \"b\""),
            "{rendered:?}"
        );
        assert!(rendered[3].contains("line 2"), "{rendered:?}");
    }

    #[test]
    fn a_file_pasted_twice_lists_the_first_problems_and_counts_the_rest() {
        let mut csv = "response_id,region,deprov,network,role,q1,q2\n".to_owned();
        for _ in 0..2 {
            for i in 0..MAX_ERRORS {
                csv.push_str(&format!("r{i},V,51,RME1,director,5,4\n"));
            }
        }
        // One bad value late in the first copy, listed in line order.
        csv = csv.replacen("r7,V,51,RME1,director,5,4", "r7,V,51,RME1,director,9,4", 1);
        let errs = ResponseTable::read("r.csv", csv.as_bytes(), &design(), &HashSet::new())
            .err()
            .unwrap_or_default();
        assert_eq!(errs.len(), MAX_ERRORS + 1);
        assert_eq!(errs[0].line, Some(9), "the bad value comes first");
        assert_eq!(errs[1].line, Some(MAX_ERRORS as u64 + 2));
        assert_eq!(errs[MAX_ERRORS].omitted_count(), Some(1));
        let lines = trama_tabular::report::lines(&errs, Lang::Es);
        assert_eq!(lines.len(), trama_tabular::report::SHOWN + 1);
        assert_eq!(lines[trama_tabular::report::SHOWN], "… y 401 problemas más");
    }
}
