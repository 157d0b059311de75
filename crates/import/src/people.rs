//! People and their roles: `name,email,rbd|network,role,from_year[,to_year][,national_id]`.
//! A person is identified by email; a supervisor belongs to a network, every
//! other role to a school.

use std::collections::HashMap;

use trama_domain::network::NetworkCode;
use trama_domain::person::{Email, Role};
use trama_domain::school::Rbd;
use trama_domain::span::YearSpan;
use trama_domain::{Problem, problem};
use trama_tabular::{CellError, Table};

use crate::memberships::{FROM, NAME, NETWORK, RBD, TO, year};

pub const EMAIL: &[&str] = &["email", "correo"];
pub const ROLE: &[&str] = &["role", "rol"];
pub const NATIONAL_ID: &[&str] = &["national_id", "run", "rut"];
use crate::{cell, column, optional_cell, required_column};

#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    School(Rbd),
    Network(NetworkCode),
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonRow {
    pub line: u64,
    pub name: String,
    pub email: Email,
    pub national_id: Option<String>,
    pub role: Role,
    pub place: Place,
    pub span: YearSpan,
}

pub fn parse(file: &str, bytes: &[u8]) -> Result<Vec<PersonRow>, Vec<CellError>> {
    let table = Table::parse(file, bytes)?;
    // A column not of this format is almost always a typo (`emial`) whose
    // values would be dropped unnoticed.
    let mut errors = table.check_columns(&[NAME, EMAIL, ROLE, RBD, NETWORK, FROM, TO, NATIONAL_ID]);
    let c_name = required_column(&table, NAME, &mut errors);
    let c_email = required_column(&table, EMAIL, &mut errors);
    let c_role = required_column(&table, ROLE, &mut errors);
    let c_from = required_column(&table, FROM, &mut errors);
    let c_rbd = column(&table, RBD);
    let c_net = column(&table, NETWORK);
    if c_rbd.is_none()
        && c_net.is_none()
        && let Err(mut e) = table.require(&["rbd"])
    {
        errors.append(&mut e);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let c_to = column(&table, TO);
    let c_nid = column(&table, NATIONAL_ID);
    let mut seen: HashMap<(Email, Role, String), u64> = HashMap::new();
    let mut out = vec![];
    for row in &table.rows {
        let before = errors.len();
        let e = &mut errors;
        let name = cell(&table, row, c_name, e, |s| problem::text(s, 200));
        let email = cell(&table, row, c_email, e, Email::parse);
        let role = cell(&table, row, c_role, e, Role::parse);
        let from = cell(&table, row, c_from, e, year);
        let to = optional_cell(&table, row, c_to, e, year);
        let national_id = optional_cell(&table, row, c_nid, e, |s| problem::text(s, 20));
        let rbd = optional_cell(&table, row, c_rbd, e, Rbd::parse);
        let network = optional_cell(&table, row, c_net, e, NetworkCode::parse);
        let place_col = c_rbd.or(c_net).unwrap_or_default();
        let place = match (role, rbd, network) {
            (Some(Role::Supervisor), Some(_), None) => {
                errors.push(table.cell_error(row, place_col, Problem::RoleNeedsNetwork));
                None
            }
            (Some(Role::Supervisor), _, Some(n)) => Some(Place::Network(n)),
            (_, Some(r), _) => Some(Place::School(r)),
            (_, None, Some(n)) => Some(Place::Network(n)),
            (_, None, None) => {
                if errors.len() == before {
                    errors.push(table.cell_error(row, place_col, Problem::SchoolOrNetwork));
                }
                None
            }
        };
        let span = from.and_then(|f| match YearSpan::new(f, to) {
            Ok(s) => Some(s),
            Err(p) => {
                errors.push(table.cell_error(row, c_to.unwrap_or(c_from), p));
                None
            }
        });
        if let (Some(em), Some(r), Some(p)) = (&email, role, &place) {
            let key = (em.clone(), r, format!("{p:?}"));
            if let Some(first) = seen.get(&key) {
                errors.push(table.cell_error(
                    row,
                    c_email,
                    Problem::DuplicateOf { first_line: *first },
                ));
            } else {
                seen.insert(key, row.line);
            }
        }
        if errors.len() != before {
            continue;
        }
        if let (Some(name), Some(email), Some(role), Some(place), Some(span)) =
            (name, email, role, place, span)
        {
            out.push(PersonRow {
                line: row.line,
                name,
                email,
                national_id,
                role,
                place,
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
    fn school_and_network_roles() {
        let rows = parse(
            "p.csv",
            "nombre;correo;rbd;red;rol;desde\nAna Pérez;ana@x.cl;10048;;Directora;2022\nLuis Soto;luis@x.cl;;RME7;Supervisor;2021\n"
                .as_bytes(),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(rows[0].place, Place::School(Rbd(10048)));
        assert_eq!(rows[0].role, Role::Director);
        assert_eq!(
            rows[1].place,
            Place::Network(NetworkCode::parse("RME7").unwrap_or_else(|p| panic!("{p:?}")))
        );
    }

    #[test]
    fn a_typo_in_a_column_name_is_refused_not_dropped() {
        let errs = parse(
            "p.csv",
            b"name,emial,rbd,role,from_year\nAna,ana@x.cl,10048,director,2022\n",
        )
        .err()
        .unwrap_or_default();
        let rendered: Vec<_> = errs.iter().map(|e| e.render(Lang::En)).collect();
        assert_eq!(
            rendered,
            [
                "p.csv:1: emial: is not a column of this file; the accepted ones are: name, email, role, rbd, network, from_year, to_year, national_id",
                "p.csv:1: email: the column is missing",
            ]
        );
    }

    #[test]
    fn errors_per_cell() {
        let errs = parse(
            "p.csv",
            b"name,email,rbd,role,from_year\nAna,ana@,10048,director,2022\nLuis,luis@x.cl,10048,supervisor,2022\nEva,eva@x.cl,,docente,2022\n",
        )
        .err()
        .unwrap_or_default();
        let rendered: Vec<_> = errs.iter().map(|e| e.render(Lang::Es)).collect();
        assert_eq!(
            rendered,
            vec![
                "p.csv:2: email: \"ana@\" no es un correo electrónico válido",
                "p.csv:3: rbd: \"10048\" el rol supervisor se asigna a una red, no a un establecimiento",
                "p.csv:4: rbd: indique un RBD o un código de red",
            ]
        );
    }

    #[test]
    fn control_characters_in_names_are_refused_at_the_cell() {
        let errs = parse(
            "p.csv",
            "name,email,rbd,role,from_year,national_id\n\
             Ana\u{0}Pérez,ana@x.cl,10048,director,2022,\n\
             Luis\tSoto,luis\u{1}@x.cl,10048,docente,2022,12\u{1B}3\n"
                .as_bytes(),
        )
        .err()
        .unwrap_or_default();
        let rendered: Vec<_> = errs.iter().map(|e| e.render(Lang::Es)).collect();
        let refused = |line: &str, col: &str, value: &str, ch: &str| {
            let want =
                format!("p.csv:{line}: {col}: \"{value}\" contiene un carácter de control ({ch})");
            assert!(
                rendered.iter().any(|r| r.starts_with(&want)),
                "{want}\n{rendered:#?}"
            );
        };
        refused("2", "name", "Ana<U+0000>Pérez", "U+0000");
        // A tab is echoed as <U+0009> too: raw, it would split the line
        // the message is on, and the person could not see what to remove.
        refused("3", "name", "Luis<U+0009>Soto", "U+0009");
        refused("3", "email", "luis<U+0001>@x.cl", "U+0001");
        refused("3", "national_id", "12<U+001B>3", "U+001B");
        assert_eq!(errs.len(), 4, "{rendered:#?}");
    }
}
