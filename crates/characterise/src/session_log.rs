//! The session log as supervisors keep it in spreadsheets:
//! `network,date,duration_min,modality,foci,attendees_rbd,agenda` (`foci`
//! and `attendees_rbd` separated by `;`; an optional `place`). Read with
//! every bad cell named by line and column, written back in the same shape
//! so an export imports again unchanged.

use jiff::civil::Date;
use trama_domain::Problem;
use trama_domain::network::NetworkCode;
use trama_tabular::{CellError, Issue, Row, Table};

use crate::focus::Focus;
use crate::year::{MAX_DURATION_MIN, Modality, Session};

/// The columns, in the order they are written.
pub const COLUMNS: [&str; 8] = [
    "network",
    "date",
    "duration_min",
    "modality",
    "foci",
    "attendees_rbd",
    "agenda",
    "place",
];

/// Longest agenda or place kept from a file.
const MAX_TEXT: usize = 4000;

/// One row of a session file: which network, and the session.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedSession {
    pub line: u64,
    pub network: NetworkCode,
    pub session: Session,
}

fn list<T>(
    t: &Table,
    row: &Row,
    col: Option<usize>,
    parse: impl Fn(&str) -> Result<T, Issue>,
    errors: &mut Vec<CellError>,
) -> Vec<T>
where
    T: Eq + std::hash::Hash + Clone,
{
    let Some(col) = col else { return vec![] };
    let mut out = vec![];
    // Repeats found by hashing: a cell may list thousands of schools.
    let mut seen = std::collections::HashSet::new();
    for v in row
        .get(col)
        .split(';')
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        match parse(v) {
            Ok(x) if seen.insert(x.clone()) => out.push(x),
            Ok(_) => {}
            Err(issue) => errors.push(t.cell_error(row, col, issue)),
        }
    }
    out
}

fn focus(code: &str) -> Result<Focus, Issue> {
    Focus::parse(code).ok_or_else(|| {
        Issue::with_args(
            "characterise-unknown-focus",
            vec![("value", code.to_owned())],
        )
    })
}

fn rbd(v: &str) -> Result<i64, Issue> {
    v.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| Problem::NotAnInteger.into())
}

fn free_text(v: &str) -> Result<String, Problem> {
    if let Some(c) = trama_stdx::text::forbidden_control(v) {
        return Err(Problem::ControlCharacter {
            found: trama_stdx::text::code_point(c),
        });
    }
    if v.chars().count() > MAX_TEXT {
        return Err(Problem::TooLong { max: MAX_TEXT });
    }
    Ok(trama_stdx::csv::restore(v.trim()).to_owned())
}

/// Parses a date as people type it in a sheet: `2026-04-15`, or the
/// Chilean `15-04-2026` / `15/04/2026`.
pub fn parse_date(v: &str) -> Option<Date> {
    let v = v.trim();
    if let Ok(d) = v.parse::<Date>() {
        return Some(d);
    }
    let parts: Vec<&str> = v.split(['-', '/']).collect();
    if let [d, m, y] = parts.as_slice()
        && y.len() == 4
    {
        return Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok();
    }
    None
}

/// The value, or its problem recorded against the cell.
fn keep<T>(
    t: &Table,
    row: &Row,
    col: usize,
    value: Result<T, Issue>,
    errors: &mut Vec<CellError>,
) -> Option<T> {
    value
        .map_err(|issue| errors.push(t.cell_error(row, col, issue)))
        .ok()
}

/// Minutes from 1 to a day.
fn duration_of(v: &str) -> Result<u32, Issue> {
    match v.trim().parse::<u32>() {
        Ok(m) if (1..=MAX_DURATION_MIN).contains(&m) => Ok(m),
        Ok(_) => Err(Problem::OutOfRange {
            min: 1,
            max: i64::from(MAX_DURATION_MIN),
        }
        .into()),
        Err(_) => Err(Problem::NotAnInteger.into()),
    }
}

/// Reads a session file; all or nothing.
pub fn read(file: &str, bytes: &[u8]) -> Result<Vec<LoggedSession>, Vec<CellError>> {
    let t = Table::parse(file, bytes)?;
    // The format is Trama's own and written back as read: a column not in
    // it is almost always a typo (`agneda`) whose cells would be lost.
    let accepted: Vec<&[&str]> = COLUMNS.iter().map(std::slice::from_ref).collect();
    let mut errors = t.check_columns(&accepted);
    let cols = t
        .require(&["network", "date", "duration_min", "modality"])
        .unwrap_or_else(|missing| {
            errors.extend(missing);
            vec![]
        });
    if !errors.is_empty() {
        return Err(errors);
    }
    let [network, date, duration, modality] = [cols[0], cols[1], cols[2], cols[3]];
    let (foci_col, schools_col) = (t.column("foci"), t.column("attendees_rbd"));
    let (agenda_col, place_col) = (t.column("agenda"), t.column("place"));
    let mut out = vec![];
    for row in &t.rows {
        let before = errors.len();
        let code = keep(
            &t,
            row,
            network,
            NetworkCode::parse(row.get(network)).map_err(Issue::from),
            &mut errors,
        );
        let day = keep(
            &t,
            row,
            date,
            match row.get(date).trim() {
                "" => Err(Problem::Required.into()),
                v => parse_date(v).ok_or_else(|| Problem::InvalidDate.into()),
            },
            &mut errors,
        );
        let minutes = keep(
            &t,
            row,
            duration,
            duration_of(row.get(duration)),
            &mut errors,
        );
        let how = keep(
            &t,
            row,
            modality,
            match row.get(modality).trim() {
                "" => Err(Problem::Required.into()),
                v => Modality::parse(v).ok_or_else(|| Problem::UnknownModality.into()),
            },
            &mut errors,
        );
        let mut text_of = |col: Option<usize>| match col {
            None => String::new(),
            Some(c) => free_text(row.get(c)).unwrap_or_else(|p| {
                errors.push(t.cell_error(row, c, p));
                String::new()
            }),
        };
        let agenda = text_of(agenda_col);
        let place = text_of(place_col);
        let foci = list(&t, row, foci_col, focus, &mut errors);
        let schools = list(&t, row, schools_col, rbd, &mut errors);
        if let (Some(network), Some(date), Some(duration_min), Some(modality), true) =
            (code, day, minutes, how, errors.len() == before)
        {
            out.push(LoggedSession {
                line: row.line,
                network,
                session: Session {
                    date,
                    duration_min,
                    modality,
                    place,
                    agenda,
                    foci,
                    schools,
                    attendees: vec![],
                },
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Writes sessions of one network in the file's shape (cells a spreadsheet
/// would run as formulas are neutralised).
pub fn write(network: &str, sessions: &[Session]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(vec![]);
    let join = |items: Vec<String>| items.join(";");
    // Writing to a Vec cannot fail.
    let _ = w.write_record(COLUMNS);
    for s in sessions {
        let _ = w.write_record([
            network.to_owned(),
            s.date.to_string(),
            s.duration_min.to_string(),
            s.modality.code().to_owned(),
            join(s.foci.iter().map(|f| f.code().to_owned()).collect()),
            join(s.schools.iter().map(i64::to_string).collect()),
            trama_stdx::csv::neutralise(&s.agenda).into_owned(),
            trama_stdx::csv::neutralise(&s.place).into_owned(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use trama_i18n::Lang;

    #[test]
    fn a_sheet_reads_and_writes_back_the_same() {
        let file = "network,date,duration_min,modality,foci,attendees_rbd,agenda\n\
            RME1,2026-04-02,90,presencial,information; practices,101;102,Plan anual\n\
            RME1,07/05/2026,60,online,,101,\"=HYPERLINK(\"\"x\"\")\"\n";
        let rows = read("s.csv", file.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(
            rows[0].session.foci,
            vec![Focus::Information, Focus::Practices]
        );
        assert_eq!(rows[0].session.schools, vec![101, 102]);
        assert_eq!(rows[1].session.date, jiff::civil::date(2026, 5, 7));
        let sessions: Vec<Session> = rows.iter().map(|r| r.session.clone()).collect();
        let out = write("RME1", &sessions);
        let again = read("s.csv", &out).unwrap_or_else(|e| panic!("{e:?}"));
        let back: Vec<Session> = again.into_iter().map(|r| r.session).collect();
        assert_eq!(back, sessions, "{}", String::from_utf8_lossy(&out));
        assert!(String::from_utf8_lossy(&out).contains("'=HYPERLINK"));
    }

    #[test]
    fn a_column_not_of_the_format_is_refused_naming_it() {
        let file =
            "network,date,duration_min,modality,agneda\nRME1,2026-04-02,90,presencial,Plan\n";
        let errors = read("s.csv", file.as_bytes()).err().unwrap_or_default();
        let text: Vec<String> = errors.iter().map(|e| e.render(Lang::En)).collect();
        assert_eq!(
            text,
            [
                "s.csv:1: agneda: is not a column of this file; the accepted ones are: network, date, duration_min, modality, foci, attendees_rbd, agenda, place"
            ]
        );
    }

    #[test]
    fn a_long_list_of_schools_keeps_each_once_in_order() {
        let mut cell: Vec<String> = (1..=20_000).map(|n| n.to_string()).collect();
        cell.extend((1..=20_000).rev().map(|n| n.to_string()));
        let file = format!(
            "network,date,duration_min,modality,attendees_rbd\nRME1,2026-04-02,90,presencial,{}\n",
            cell.join(";")
        );
        let rows = read("s.csv", file.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        let schools = &rows[0].session.schools;
        assert_eq!(schools.len(), 20_000);
        assert_eq!((schools[0], schools[19_999]), (1, 20_000));
    }

    #[test]
    fn every_bad_cell_is_named_and_nothing_is_kept() {
        let file = "network,date,duration_min,modality,foci,attendees_rbd,agenda\n\
            RME 1,2026-02-30,0,carta,gossip,abc,\n\
            RME1,,90,mixta,,,\n";
        let errors = read("s.csv", file.as_bytes()).err().unwrap_or_default();
        let text: Vec<String> = errors.iter().map(|e| e.render(Lang::En)).collect();
        let starts: Vec<String> = text
            .iter()
            .map(|t| t.splitn(3, ": ").take(2).collect::<Vec<_>>().join(": "))
            .collect();
        assert_eq!(
            starts,
            vec![
                "s.csv:2: network",
                "s.csv:2: date",
                "s.csv:2: duration_min",
                "s.csv:2: modality",
                "s.csv:2: foci",
                "s.csv:2: attendees_rbd",
                "s.csv:3: date",
            ],
            "{text:#?}"
        );
        assert!(text[1].contains("YYYY-MM-DD"), "{}", text[1]);
    }
}
