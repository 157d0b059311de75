//! The responses file: `response_id,region,deprov,network,role[,submitted_at]`
//! then one column per item name; ratings `1`–`5`, `NA` (No aplica) or empty.
//!
//! A million rows by fifty items must load in seconds, so rows are read as
//! bytes, answers kept as one byte each, and the grouping columns interned.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use serde::Serialize;
use trama_tabular::{CellError, Issue};

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
    /// ignored. Every problem is reported (up to `MAX_ERRORS`), nothing partial
    /// is returned.
    pub fn read(
        file: &str,
        reader: impl Read,
        design: &Design,
        other_items: &HashSet<String>,
    ) -> Result<ResponseTable, Vec<CellError>> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(b',')
            .from_reader(reader);
        let err = |line: Option<u64>,
                   column: Option<String>,
                   value: Option<String>,
                   issue: Issue| CellError {
            file: file.to_owned(),
            line,
            column,
            value,
            issue,
        };
        let mut rec = csv::ByteRecord::new();
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => return Err(vec![err(None, None, None, Issue::message("csv-empty"))]),
            Err(_) => {
                return Err(vec![err(
                    Some(1),
                    None,
                    None,
                    Issue::message("csv-malformed"),
                )]);
            }
        }
        let mut headers: Vec<String> = rec
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_owned())
            .collect();
        if let Some(first) = headers.first_mut() {
            *first = first.trim_start_matches('\u{feff}').to_owned();
        }
        let mut errors = vec![];
        let fixed = ["response_id", "region", "deprov", "network", "role"];
        let mut fixed_idx = [usize::MAX; 5];
        for (i, name) in fixed.iter().enumerate() {
            match headers.iter().position(|h| h == name) {
                Some(p) => fixed_idx[i] = p,
                None => errors.push(err(
                    Some(1),
                    Some((*name).to_owned()),
                    None,
                    Issue::message("csv-missing-column"),
                )),
            }
        }
        let mut item_col = vec![usize::MAX; design.items.len()];
        for (j, item) in design.items.iter().enumerate() {
            match headers.iter().position(|h| *h == item.name) {
                Some(p) => item_col[j] = p,
                None => errors.push(err(
                    Some(1),
                    Some(item.name.clone()),
                    None,
                    Issue::message("csv-missing-column"),
                )),
            }
        }
        let mut seen_header = HashSet::new();
        for h in &headers {
            let known = fixed.contains(&h.as_str())
                || h == "submitted_at"
                || design.items.iter().any(|i| i.name == *h)
                || other_items.contains(h)
                || other_items.contains(ANY_COLUMN);
            if !known {
                errors.push(err(
                    Some(1),
                    Some(h.clone()),
                    None,
                    Issue::message("responses-unknown-column"),
                ));
            }
            if !seen_header.insert(h.clone()) {
                errors.push(err(
                    Some(1),
                    Some(h.clone()),
                    None,
                    Issue::message("responses-duplicate-column"),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let k = design.items.len();
        let mut table = ResponseTable {
            k,
            ..Default::default()
        };
        let mut interners: [HashMap<Vec<u8>, u32>; 4] = Default::default();
        let mut ids: HashMap<Vec<u8>, u64> = HashMap::new();
        let mut row_answers = vec![EMPTY; k];
        let mut more = 0usize;
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    errors.push(err(
                        e.position().map(|p| p.line()),
                        None,
                        None,
                        Issue::message("csv-malformed"),
                    ));
                    break;
                }
            }
            if rec.iter().all(|f| f.is_empty()) {
                continue;
            }
            let line = rec.position().map(|p| p.line()).unwrap_or_default();
            let mut push_err = |e: CellError| {
                if errors.len() < MAX_ERRORS {
                    errors.push(e);
                } else {
                    more += 1;
                }
            };
            let field = |c: usize| rec.get(c).unwrap_or_default();
            let id = field(fixed_idx[0]);
            if id.is_empty() {
                push_err(err(
                    Some(line),
                    Some("response_id".into()),
                    None,
                    trama_domain::Problem::Required.into(),
                ));
            } else if let Some(first) = ids.get(id) {
                push_err(err(
                    Some(line),
                    Some("response_id".into()),
                    Some(String::from_utf8_lossy(id).into_owned()),
                    trama_domain::Problem::DuplicateOf { first_line: *first }.into(),
                ));
            } else {
                ids.insert(id.to_vec(), line);
            }
            for (j, col) in item_col.iter().enumerate() {
                let raw = field(*col);
                row_answers[j] = match parse_answer(raw) {
                    Some(a) => a,
                    None => {
                        push_err(err(
                            Some(line),
                            Some(design.items[j].name.clone()),
                            Some(String::from_utf8_lossy(raw).into_owned()),
                            Issue::message("responses-bad-value"),
                        ));
                        EMPTY
                    }
                };
            }
            if !errors.is_empty() {
                continue;
            }
            let mut g = [0u32; 4];
            for c in 0..4 {
                let v = field(fixed_idx[c + 1]);
                let next = interners[c].len() as u32;
                let idx = *interners[c].entry(v.to_vec()).or_insert_with(|| {
                    table.values[c].push(String::from_utf8_lossy(v).trim().to_owned());
                    next
                });
                g[c] = idx;
            }
            table.groups.push(g);
            table.answers.extend_from_slice(&row_answers);
        }
        if more > 0 {
            errors.push(err(
                None,
                None,
                None,
                Issue::with_args("responses-more-errors", vec![("count", more.to_string())]),
            ));
        }
        if errors.is_empty() {
            Ok(table)
        } else {
            Err(errors)
        }
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
}
