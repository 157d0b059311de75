//! The files `trama characterise` reads, parsed from bytes with every
//! problem named by line and column (nothing is used when one is wrong):
//! - ties: `source,target,weight` (the collaboration level 0–5) and an
//!   optional `foci` column, focus codes separated by `;`;
//! - members: `id,school,role` and an optional `responded` (1/0, missing 1);
//! - sessions: one row per session with a `foci` column (the session log's
//!   format; its other columns are not read here).

use trama_domain::Problem;
use trama_tabular::{CellError, Issue, Row, Table};

use crate::evidence::{Member, Tie};
use crate::focus::Focus;

fn foci(t: &Table, row: &Row, col: Option<usize>, errors: &mut Vec<CellError>) -> Vec<Focus> {
    let Some(col) = col else { return vec![] };
    let mut out = vec![];
    for code in row
        .get(col)
        .split(';')
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        match Focus::parse(code) {
            Some(f) if !out.contains(&f) => out.push(f),
            Some(_) => {}
            None => errors.push(t.cell_error(
                row,
                col,
                Issue::with_args(
                    "characterise-unknown-focus",
                    vec![("value", code.to_owned())],
                ),
            )),
        }
    }
    out
}

fn table(
    file: &str,
    bytes: &[u8],
    required: &[&str],
) -> Result<(Table, Vec<usize>), Vec<CellError>> {
    let t = Table::parse(file, bytes)?;
    let cols = t.require(required)?;
    Ok((t, cols))
}

fn done<T>(value: T, errors: Vec<CellError>) -> Result<T, Vec<CellError>> {
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(errors)
    }
}

pub fn read_ties(file: &str, bytes: &[u8]) -> Result<Vec<Tie>, Vec<CellError>> {
    let (t, cols) = table(file, bytes, &["source", "target", "weight"])?;
    let foci_col = t.column("foci");
    let mut errors = vec![];
    let mut ties = vec![];
    for row in &t.rows {
        let mut ok = true;
        for &c in &cols[..2] {
            if row.get(c).is_empty() {
                errors.push(t.cell_error(row, c, Problem::Required));
                ok = false;
            }
        }
        let level = match row.get(cols[2]).parse::<u8>() {
            Ok(l) if l <= 5 => l,
            Ok(_) => {
                errors.push(t.cell_error(
                    row,
                    cols[2],
                    Issue::message("characterise-level-out-of-range"),
                ));
                ok = false;
                0
            }
            Err(_) => {
                errors.push(t.cell_error(row, cols[2], Problem::NotAnInteger));
                ok = false;
                0
            }
        };
        let f = foci(&t, row, foci_col, &mut errors);
        if ok {
            ties.push(Tie {
                source: row.get(cols[0]).to_owned(),
                target: row.get(cols[1]).to_owned(),
                level,
                foci: f,
            });
        }
    }
    done(ties, errors)
}

pub fn read_members(file: &str, bytes: &[u8]) -> Result<Vec<Member>, Vec<CellError>> {
    let (t, cols) = table(file, bytes, &["id", "school", "role"])?;
    let responded_col = t.column("responded");
    let mut errors = vec![];
    let mut members: Vec<Member> = vec![];
    let mut first_line = std::collections::HashMap::new();
    for row in &t.rows {
        let mut ok = true;
        for &c in &cols {
            if row.get(c).is_empty() {
                errors.push(t.cell_error(row, c, Problem::Required));
                ok = false;
            }
        }
        let id = row.get(cols[0]);
        if let Some(&line) = first_line.get(id) {
            errors.push(t.cell_error(row, cols[0], Problem::DuplicateOf { first_line: line }));
            ok = false;
        } else if !id.is_empty() {
            first_line.insert(id.to_owned(), row.line);
        }
        let responded = match responded_col.map(|c| (c, row.get(c))) {
            None | Some((_, "" | "1")) => true,
            Some((_, "0")) => false,
            Some((c, _)) => {
                errors.push(t.cell_error(row, c, Problem::NotABoolean));
                ok = false;
                true
            }
        };
        if ok {
            members.push(Member {
                id: id.to_owned(),
                school: row.get(cols[1]).to_owned(),
                role: row.get(cols[2]).to_owned(),
                responded,
            });
        }
    }
    done(members, errors)
}

/// The foci of each session.
pub fn read_sessions(file: &str, bytes: &[u8]) -> Result<Vec<Vec<Focus>>, Vec<CellError>> {
    let (t, cols) = table(file, bytes, &["foci"])?;
    let mut errors = vec![];
    let sessions = t
        .rows
        .iter()
        .map(|row| foci(&t, row, Some(cols[0]), &mut errors))
        .collect();
    done(sessions, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use trama_i18n::Lang;

    fn messages(errors: Vec<CellError>) -> Vec<String> {
        errors.iter().map(|e| e.render(Lang::En)).collect()
    }

    #[test]
    fn ties_with_foci_and_every_bad_cell_named() {
        let ok = read_ties(
            "e.csv",
            b"source,target,weight,foci\na,b,3,information; projects\nb,a,0,\n",
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].foci, vec![Focus::Information, Focus::Projects]);
        assert_eq!(ok[1].level, 0);
        let bad = read_ties(
            "e.csv",
            b"source,target,weight,foci\na,,3,\na,b,6,\na,b,x,gossip\n",
        )
        .map(|_| ())
        .map_err(messages);
        let bad = bad.err().unwrap_or_default();
        assert_eq!(bad.len(), 4, "{bad:?}");
        assert!(bad[0].starts_with("e.csv:2: target"), "{}", bad[0]);
        assert!(bad[1].starts_with("e.csv:3: weight"), "{}", bad[1]);
        assert!(bad[2].starts_with("e.csv:4: weight"), "{}", bad[2]);
        assert!(
            bad[3].starts_with("e.csv:4: foci: ") && bad[3].contains("“gossip” is not a focus"),
            "{}",
            bad[3]
        );
        let missing = read_ties("e.csv", b"source,weight\na,1\n");
        assert!(missing.is_err());
    }

    #[test]
    fn members_default_to_having_answered_and_repeat_no_id() {
        let m = read_members("n.csv", b"id,school,role\np1,101,director\n")
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(m[0].responded);
        let bad = read_members(
            "n.csv",
            b"id,school,role,responded\np1,101,director,yes\np1,102,docente,0\n",
        )
        .map(|_| ())
        .map_err(messages)
        .err()
        .unwrap_or_default();
        assert_eq!(bad.len(), 2, "{bad:?}");
        assert!(bad[0].starts_with("n.csv:2: responded"), "{}", bad[0]);
        assert!(bad[1].starts_with("n.csv:3: id"), "{}", bad[1]);
    }

    #[test]
    fn sessions_read_their_foci() {
        let s = read_sessions(
            "s.csv",
            b"network,date,foci\nRME1,2026-04-02,information;training\nRME1,2026-05-07,\n",
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(s, vec![vec![Focus::Information, Focus::Training], vec![]]);
    }
}
