//! Which schools form which network, and since when: `network,rbd,from_year[,to_year]`
//! (Spanish headers `red,rbd,desde,hasta` are accepted too). An optional
//! `name` column names networks that do not exist yet.

use std::collections::HashMap;

use trama_domain::network::NetworkCode;
use trama_domain::school::Rbd;
use trama_domain::span::YearSpan;
use trama_domain::{Problem, problem};
use trama_tabular::{CellError, Table};

use crate::{cell, column, integer, optional_cell, required_column};

#[derive(Debug, Clone, PartialEq)]
pub struct MembershipRow {
    pub line: u64,
    pub network: NetworkCode,
    pub network_name: Option<String>,
    pub rbd: Rbd,
    pub span: YearSpan,
}

pub const NETWORK: &[&str] = &["network", "red", "network_code", "codigo_red"];
pub const RBD: &[&str] = &["rbd"];
pub const FROM: &[&str] = &["from_year", "desde", "anio_desde"];
pub const TO: &[&str] = &["to_year", "hasta", "anio_hasta"];
pub const NAME: &[&str] = &["name", "nombre"];

pub(crate) fn year(s: &str) -> Result<i32, Problem> {
    integer(s, 1990, 2100).map(|v| v as i32)
}

pub fn parse(file: &str, bytes: &[u8]) -> Result<Vec<MembershipRow>, Vec<CellError>> {
    let table = Table::parse(file, bytes)?;
    // A column not of this format is almost always a typo (`desde` as
    // `dsede`) whose values would be dropped unnoticed.
    let mut errors = table.check_columns(&[NETWORK, RBD, FROM, TO, NAME]);
    let c_net = required_column(&table, NETWORK, &mut errors);
    let c_rbd = required_column(&table, RBD, &mut errors);
    let c_from = required_column(&table, FROM, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let c_to = column(&table, TO);
    let c_name = column(&table, NAME);
    let mut seen: HashMap<(NetworkCode, Rbd, i32), u64> = HashMap::new();
    let mut out = vec![];
    for row in &table.rows {
        let before = errors.len();
        let e = &mut errors;
        let network = cell(&table, row, c_net, e, NetworkCode::parse);
        let rbd = cell(&table, row, c_rbd, e, Rbd::parse);
        let from = cell(&table, row, c_from, e, year);
        let to = optional_cell(&table, row, c_to, e, year);
        let network_name = optional_cell(&table, row, c_name, e, |s| problem::text(s, 200));
        let span = from.and_then(|f| match YearSpan::new(f, to) {
            Ok(s) => Some(s),
            Err(p) => {
                errors.push(table.cell_error(row, c_to.unwrap_or(c_from), p));
                None
            }
        });
        if let (Some(n), Some(r), Some(s)) = (&network, rbd, span) {
            let key = (n.clone(), r, s.from);
            if let Some(first) = seen.get(&key) {
                errors.push(table.cell_error(
                    row,
                    c_rbd,
                    Problem::DuplicateOf { first_line: *first },
                ));
            } else {
                seen.insert(key, row.line);
            }
        }
        if errors.len() != before {
            continue;
        }
        if let (Some(network), Some(rbd), Some(span)) = (network, rbd, span) {
            out.push(MembershipRow {
                line: row.line,
                network,
                network_name,
                rbd,
                span,
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use trama_i18n::Lang;

    #[test]
    fn accepts_spanish_headers_and_open_spans() {
        let rows = parse(
            "r.csv",
            b"red;rbd;desde;hasta\nrme7;10048;2019;\nRME7;10049;2019;2021\n",
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(rows[0].network.as_str(), "RME7");
        assert_eq!(rows[0].span.to, None);
        assert_eq!(rows[1].span.to, Some(2021));
    }

    #[test]
    fn an_unknown_column_is_refused_on_line_1_listing_the_accepted_ones() {
        let errs = parse("r.csv", b"network,rbd,dsede,from_year\nRME1,5,2020,2020\n")
            .err()
            .unwrap_or_default();
        let rendered: Vec<_> = errs.iter().map(|e| e.render(Lang::Es)).collect();
        assert_eq!(
            rendered,
            [
                "r.csv:1: dsede: no es una columna de este archivo; las aceptadas son: network, rbd, from_year, to_year, name"
            ]
        );
        // Spanish names are accepted names too; one column given twice is not.
        let errs = parse("r.csv", b"red,rbd,desde,network\nRME1,5,2020,RME1\n")
            .err()
            .unwrap_or_default();
        let rendered: Vec<_> = errs.iter().map(|e| e.render(Lang::En)).collect();
        assert_eq!(rendered, ["r.csv:1: network: the column is repeated"]);
    }

    #[test]
    fn rows_longer_or_shorter_than_the_header() {
        // A trailing optional value left out, and trailing empty fields as
        // spreadsheets write them: both fine.
        let rows = parse(
            "r.csv",
            b"network,rbd,from_year,to_year\nRME1,5,2020\nRME1,6,2020,,,\n",
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(rows.len(), 2);
        let errs = parse(
            "r.csv",
            b"network,rbd,from_year,to_year\nRME1,5\nRME1,6,2020,2021,x\n",
        )
        .err()
        .unwrap_or_default();
        let rendered: Vec<_> = errs.iter().map(|e| e.render(Lang::En)).collect();
        assert_eq!(
            rendered,
            ["r.csv:3: column 5 (no header): \"x\" the row has 5 fields and the header 4"],
            "a value past the header stops the file before its cells are read"
        );
        let errs = parse("r.csv", b"network,rbd,from_year,to_year\nRME1,5\n")
            .err()
            .unwrap_or_default();
        let rendered: Vec<_> = errs.iter().map(|e| e.render(Lang::En)).collect();
        assert_eq!(
            rendered,
            [
                "r.csv:2: from_year: the row ends before this column: it has 2 fields and the header 4"
            ]
        );
    }

    #[test]
    fn reversed_years_and_duplicates() {
        let errs = parse(
            "r.csv",
            b"network,rbd,from_year,to_year\nRME1,5,2020,2018\nRME1,6,2020,\nrme1,6,2020,\n",
        )
        .err()
        .unwrap_or_default();
        let rendered: Vec<_> = errs.iter().map(|e| e.render(Lang::En)).collect();
        assert_eq!(
            rendered,
            vec![
                "r.csv:2: to_year: \"2018\" the start year (2020) is after the end year (2018)",
                "r.csv:4: rbd: \"6\" repeats what line 3 already says",
            ]
        );
    }
}
