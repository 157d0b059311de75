//! MINEDUC's *Directorio Oficial de Establecimientos*, as published: `;`
//! separated, UTF-8 with BOM or Latin-1, decimal commas in coordinates.
//!
//! Only the columns below are read. Personal columns of the file (MRUN,
//! RUT_SOSTENEDOR, …) are never looked at, so they cannot reach the database.

use std::collections::HashMap;

use trama_domain::school::{Dependency, Rbd, School, SchoolStatus, parse_coordinate, parse_flag};
use trama_domain::territory::{ComunaCode, RegionCode};
use trama_domain::{Problem, problem};
use trama_tabular::{CellError, Table};

use crate::{cell, column, integer, optional_cell, required_column};

/// One school row with the territory it names.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectorioRow {
    pub line: u64,
    pub school: School,
    pub region: RegionCode,
    pub comuna_name: String,
    pub deprov: Option<(i32, String)>,
    pub year: Option<i32>,
}

pub fn parse(file: &str, bytes: &[u8]) -> Result<Vec<DirectorioRow>, Vec<CellError>> {
    let table = Table::parse(file, bytes)?;
    let mut errors = vec![];
    let c_rbd = required_column(&table, &["RBD"], &mut errors);
    let c_name = required_column(&table, &["NOM_RBD"], &mut errors);
    let c_region = required_column(&table, &["COD_REG_RBD"], &mut errors);
    let c_comuna = required_column(&table, &["COD_COM_RBD"], &mut errors);
    let c_comuna_name = required_column(&table, &["NOM_COM_RBD"], &mut errors);
    let c_dep = required_column(&table, &["COD_DEPE2"], &mut errors);
    let c_rural = required_column(&table, &["RURAL_RBD"], &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let c_dv = column(&table, &["DGV_RBD"]);
    let c_deprov = column(&table, &["COD_DEPROV_RBD"]);
    let c_deprov_name = column(&table, &["NOM_DEPROV_RBD"]);
    let c_lat = column(&table, &["LATITUD"]);
    let c_lon = column(&table, &["LONGITUD"]);
    let c_mat = column(&table, &["MAT_TOTAL"]);
    let c_estado = column(&table, &["ESTADO_ESTAB"]);
    let c_year = column(&table, &["AGNO"]);

    let mut first_line_of: HashMap<Rbd, u64> = HashMap::new();
    let mut out = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let before = errors.len();
        let e = &mut errors;
        let rbd = cell(&table, row, c_rbd, e, Rbd::parse);
        let name = cell(&table, row, c_name, e, |s| problem::text(s, 200));
        let region = cell(&table, row, c_region, e, RegionCode::parse);
        let comuna = cell(&table, row, c_comuna, e, |s| {
            integer(s, 1000, 99_999).map(|v| ComunaCode(v as i32))
        });
        let comuna_name = cell(&table, row, c_comuna_name, e, |s| problem::text(s, 100));
        let dependency = cell(&table, row, c_dep, e, Dependency::parse);
        let rural = cell(&table, row, c_rural, e, parse_flag);
        let check_digit = optional_cell(&table, row, c_dv, e, |s| problem::text(s, 1));
        let deprov_code = optional_cell(&table, row, c_deprov, e, |s| {
            integer(s, 1, 99_999).map(|v| v as i32)
        });
        let deprov_name = optional_cell(&table, row, c_deprov_name, e, |s| problem::text(s, 100));
        let latitude =
            optional_cell(&table, row, c_lat, e, |s| parse_coordinate(s, -90.0, 90.0)).flatten();
        let longitude = optional_cell(&table, row, c_lon, e, |s| {
            parse_coordinate(s, -180.0, 180.0)
        })
        .flatten();
        let enrolment = optional_cell(&table, row, c_mat, e, |s| {
            integer(s, 0, 100_000).map(|v| v as i32)
        });
        let status = optional_cell(&table, row, c_estado, e, SchoolStatus::parse)
            .unwrap_or(SchoolStatus::Open);
        let year = optional_cell(&table, row, c_year, e, |s| {
            integer(s, 1990, 2100).map(|v| v as i32)
        });

        if let (Some(comuna), Some(region)) = (comuna, region)
            && comuna.region() != Some(region)
        {
            errors.push(table.cell_error(row, c_comuna, Problem::ComunaRegionMismatch));
        }
        if let Some(rbd) = rbd {
            if let Some(&first) = first_line_of.get(&rbd) {
                errors.push(table.cell_error(
                    row,
                    c_rbd,
                    Problem::DuplicateOf { first_line: first },
                ));
            } else {
                first_line_of.insert(rbd, row.line);
            }
        }
        if errors.len() != before {
            continue;
        }
        if let (
            Some(rbd),
            Some(name),
            Some(region),
            Some(comuna),
            Some(comuna_name),
            Some(dependency),
            Some(rural),
        ) = (rbd, name, region, comuna, comuna_name, dependency, rural)
        {
            out.push(DirectorioRow {
                line: row.line,
                school: School {
                    rbd,
                    check_digit,
                    name,
                    comuna,
                    dependency,
                    rural,
                    latitude,
                    longitude,
                    enrolment,
                    status,
                    sostenedor_id: None,
                },
                region,
                comuna_name,
                deprov: deprov_code.map(|c| (c, deprov_name.unwrap_or_else(|| c.to_string()))),
                year,
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

    const HEADER: &str = "AGNO;RBD;DGV_RBD;NOM_RBD;MRUN;RUT_SOSTENEDOR;COD_REG_RBD;COD_DEPROV_RBD;NOM_DEPROV_RBD;COD_COM_RBD;NOM_COM_RBD;COD_DEPE2;RURAL_RBD;LATITUD;LONGITUD;MAT_TOTAL;ESTADO_ESTAB";

    fn file(rows: &[&str]) -> Vec<u8> {
        let mut s = String::from("\u{FEFF}");
        s.push_str(HEADER);
        for r in rows {
            s.push('\n');
            s.push_str(r);
        }
        s.into_bytes()
    }

    #[test]
    fn reads_published_shape() {
        let bytes = file(&[
            "2024;1;9;LICEO POLITECNICO ARICA;12345678;76543210-K;15;151;DEPROV ARICA;15101;ARICA;1;0;-18,4823;-70,3126;1123;1",
            "2024;10048;5;ESCUELA RURAL EL MAITEN;;;5;52;DEPROV SAN FELIPE;5701;SAN FELIPE;2;1;;;45;2",
        ]);
        let rows = parse("d.csv", &bytes).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(rows.len(), 2);
        let a = &rows[0];
        assert_eq!(a.school.rbd, Rbd(1));
        assert_eq!(a.school.latitude, Some(-18.4823));
        assert_eq!(a.school.dependency, Dependency::Municipal);
        assert_eq!(a.deprov, Some((151, "DEPROV ARICA".into())));
        assert_eq!(a.region, RegionCode(15));
        let b = &rows[1];
        assert!(b.school.rural);
        assert_eq!(b.school.status, SchoolStatus::Recess);
        assert_eq!(b.school.latitude, None);
        // Personal columns are not carried anywhere.
        let dump = format!("{rows:?}");
        assert!(!dump.contains("12345678") && !dump.contains("76543210"));
    }

    #[test]
    fn every_bad_cell_is_reported_with_line_and_column() {
        let bytes = file(&[
            "2024;1;9;A;;;15;151;D;15101;ARICA;1;0;;;10;1",
            "2024;10A48;5;B;;;5;52;D;5701;SF;2;1;;;45;1",
            "2024;3;5;C;;;5;52;D;5701;SF;9;2;;;45;1",
            "2024;1;5;D;;;5;52;D;13101;SF;1;0;;;45;1",
        ]);
        let errs = parse("escuelas.csv", &bytes).err().unwrap_or_default();
        let rendered: Vec<_> = errs.iter().map(|e| e.render(Lang::Es)).collect();
        assert_eq!(
            rendered,
            vec![
                "escuelas.csv:3: RBD: \"10A48\" no es un número entero",
                "escuelas.csv:4: COD_DEPE2: \"9\" no es una dependencia conocida (1 a 5)",
                "escuelas.csv:4: RURAL_RBD: \"2\" debe ser 0 o 1",
                "escuelas.csv:5: COD_COM_RBD: \"13101\" la comuna pertenece a otra región",
                "escuelas.csv:5: RBD: \"1\" repite lo ya indicado en la línea 2",
            ]
        );
    }

    #[test]
    fn missing_required_columns_are_listed() {
        let errs = parse("x.csv", b"RBD;NOM_RBD\n1;A\n")
            .err()
            .unwrap_or_default();
        let cols: Vec<_> = errs.iter().filter_map(|e| e.column.clone()).collect();
        assert_eq!(
            cols,
            vec![
                "COD_REG_RBD",
                "COD_COM_RBD",
                "NOM_COM_RBD",
                "COD_DEPE2",
                "RURAL_RBD"
            ]
        );
        assert!(errs.iter().all(|e| e.line == Some(1)));
    }

    #[test]
    fn columns_the_reader_does_not_use_are_left_alone() {
        // The published file has dozens of columns Trama does not read.
        let mut bytes = HEADER
            .replace("AGNO;", "AGNO;ORI_RELIGIOSA;MATRICULA;")
            .into_bytes();
        bytes.extend_from_slice(b"\n2024;1;0;7;1;A;;;8;81;D;8101;C;1;0;;;1;1\n");
        let rows = parse("d.csv", &bytes).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(rows.len(), 1);
    }

    #[test]
    fn latin1_names_survive() {
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(
            b"\n2024;7;1;ESCUELA ESPA\xD1A;;;8;81;D;8101;CONCEPCI\xD3N;1;0;;;1;1\n",
        );
        let rows = parse("l.csv", &bytes).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(rows[0].school.name, "ESCUELA ESPAÑA");
        assert_eq!(rows[0].comuna_name, "CONCEPCIÓN");
    }
}
