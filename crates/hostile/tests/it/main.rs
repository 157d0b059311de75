//! Property tests standing in for fuzzing (the toolchain is stable, so
//! `cargo fuzz` cannot run here; `fuzz/` holds the same checks for
//! nightly). Every reader gets files built from its own columns and
//! hostile pieces, valid files with bytes changed, and plain noise; each
//! outcome must keep the promises of `trama_hostile`. Case counts are kept
//! modest so the suite stays fast.

mod strategies;

use proptest::prelude::*;
use strategies::{csv_like, mutated, noise};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // Nothing written into the source tree; a failure prints its input.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Asserts a reader kept its promises on `bytes`.
fn holds(outcome: Result<(), trama_hostile::Violation>, bytes: &[u8]) -> Result<(), TestCaseError> {
    // The input's start only: the failing case is printed whole by proptest.
    let start: String = String::from_utf8_lossy(bytes).chars().take(300).collect();
    prop_assert!(
        outcome.is_ok(),
        "{}\ninput starts: {start:?}",
        outcome.err().unwrap_or_default(),
    );
    Ok(())
}

const NETWORKS: &[&str] = &[
    "network",
    "red",
    "rbd",
    "from_year",
    "desde",
    "to_year",
    "name",
];
const NETWORKS_OK: &str =
    "network,rbd,from_year,to_year,name\nRME1,10048,2019,,Red Uno\nRME2,10049,2020,2021,\n";

const PEOPLE: &[&str] = &[
    "name",
    "email",
    "correo",
    "rbd",
    "network",
    "role",
    "from_year",
    "to_year",
    "national_id",
];
const PEOPLE_OK: &str = "name,email,rbd,network,role,from_year,to_year,national_id\n\
    Ana,ana@x.cl,10048,,director,2022,,\nLuis,luis@x.cl,,RME7,supervisor,2021,2023,12.345.678-5\n";

const SCHOOLS: &[&str] = &[
    "AGNO",
    "RBD",
    "DGV_RBD",
    "NOM_RBD",
    "MRUN",
    "COD_REG_RBD",
    "COD_DEPROV_RBD",
    "NOM_DEPROV_RBD",
    "COD_COM_RBD",
    "NOM_COM_RBD",
    "COD_DEPE2",
    "RURAL_RBD",
    "LATITUD",
    "LONGITUD",
    "MAT_TOTAL",
    "ESTADO_ESTAB",
];
const SCHOOLS_OK: &str = "\u{FEFF}AGNO;RBD;DGV_RBD;NOM_RBD;MRUN;COD_REG_RBD;COD_DEPROV_RBD;NOM_DEPROV_RBD;COD_COM_RBD;NOM_COM_RBD;COD_DEPE2;RURAL_RBD;LATITUD;LONGITUD;MAT_TOTAL;ESTADO_ESTAB\n\
    2024;1;9;LICEO A;123;15;151;DEPROV ARICA;15101;ARICA;1;0;-18,4823;-70,3126;1123;1\n\
    2024;10048;5;ESCUELA B;;5;52;DEPROV SAN FELIPE;5701;SAN FELIPE;2;1;;;45;2\n";

const RESPONSES: &[&str] = &[
    "response_id",
    "region",
    "deprov",
    "network",
    "role",
    "submitted_at",
    "q1",
    "q2",
    "q3",
    "open1",
];
const RESPONSES_OK: &str = "response_id,region,deprov,network,role,submitted_at,q1,q2,q3,open1\n\
    r1,5,51,RME1,director,2024-05-01,5,NA,,hola\nr2,5,51,RME1,docente,,1,2,3,\n";

const EDGES: &[&str] = &["source", "target", "weight", "foci"];
const EDGES_OK: &str = "source,target,weight\nA,B,1\nB,C,\"2,5\"\n";
const NODES: &[&str] = &["id", "role", "responded", "school"];
const NODES_OK: &str = "id,role,responded\nA,director,1\nB,docente,0\n";

const SESSIONS: &[&str] = &[
    "network",
    "date",
    "duration_min",
    "modality",
    "foci",
    "attendees_rbd",
    "agenda",
    "place",
];
const SESSIONS_OK: &str = "network,date,duration_min,modality,foci,attendees_rbd,agenda\n\
    RME1,2026-04-02,90,presencial,information; practices,101;102,Plan anual\n\
    RME1,07/05/2026,60,online,,101,\n";

const CHARACTERISE: &[&str] = &[
    "source",
    "target",
    "weight",
    "foci",
    "id",
    "school",
    "role",
    "responded",
];
const CHARACTERISE_OK: &str = "source,target,weight,foci,id,school,role,responded\n\
    a,b,3,information;projects,a,101,director,1\n";

const SURVEY: &[&str] = &[
    "type",
    "name",
    "label",
    "label::es",
    "label::en",
    "relevant",
    "constraint",
    "dimension",
    "subdimension",
    "reverse",
    "required",
    "choice_filter",
];

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn networks_files(bytes in csv_like(NETWORKS)) {
        holds(trama_hostile::networks(&bytes), &bytes)?;
    }

    #[test]
    fn networks_mutated(bytes in mutated(NETWORKS_OK.as_bytes())) {
        holds(trama_hostile::networks(&bytes), &bytes)?;
    }

    #[test]
    fn people_files(bytes in csv_like(PEOPLE)) {
        holds(trama_hostile::people(&bytes), &bytes)?;
    }

    #[test]
    fn people_mutated(bytes in mutated(PEOPLE_OK.as_bytes())) {
        holds(trama_hostile::people(&bytes), &bytes)?;
    }

    #[test]
    fn schools_files(bytes in csv_like(SCHOOLS)) {
        holds(trama_hostile::schools(&bytes), &bytes)?;
    }

    #[test]
    fn schools_mutated(bytes in mutated(SCHOOLS_OK.as_bytes())) {
        holds(trama_hostile::schools(&bytes), &bytes)?;
    }

    #[test]
    fn responses_files(bytes in csv_like(RESPONSES)) {
        holds(trama_hostile::responses(&bytes), &bytes)?;
        holds(trama_hostile::response_file(&bytes), &bytes)?;
    }

    #[test]
    fn responses_mutated(bytes in mutated(RESPONSES_OK.as_bytes())) {
        holds(trama_hostile::responses(&bytes), &bytes)?;
        holds(trama_hostile::response_file(&bytes), &bytes)?;
    }

    #[test]
    fn sna_files(edges in csv_like(EDGES), nodes in prop::option::of(csv_like(NODES))) {
        holds(trama_hostile::sna(&edges, nodes.as_deref()), &edges)?;
    }

    #[test]
    fn sna_mutated(edges in mutated(EDGES_OK.as_bytes()), nodes in mutated(NODES_OK.as_bytes())) {
        holds(trama_hostile::sna(&edges, Some(&nodes)), &nodes)?;
    }

    #[test]
    fn sessions_files(bytes in csv_like(SESSIONS)) {
        holds(trama_hostile::sessions(&bytes), &bytes)?;
    }

    #[test]
    fn sessions_mutated(bytes in mutated(SESSIONS_OK.as_bytes())) {
        holds(trama_hostile::sessions(&bytes), &bytes)?;
    }

    #[test]
    fn characterise_files(bytes in csv_like(CHARACTERISE)) {
        holds(trama_hostile::characterise(&bytes), &bytes)?;
    }

    #[test]
    fn characterise_mutated(bytes in mutated(CHARACTERISE_OK.as_bytes())) {
        holds(trama_hostile::characterise(&bytes), &bytes)?;
    }

    #[test]
    fn survey_sheets(bytes in csv_like(SURVEY)) {
        holds(trama_hostile::xlsform_csv(&bytes), &bytes)?;
    }

    #[test]
    fn survey_sheets_mutated(bytes in mutated(trama_hostile::SURVEY_CSV.as_bytes())) {
        holds(trama_hostile::xlsform_csv(&bytes), &bytes)?;
    }

    #[test]
    fn noise_everywhere(bytes in noise()) {
        for check in [
            trama_hostile::networks,
            trama_hostile::people,
            trama_hostile::schools,
            trama_hostile::responses,
            trama_hostile::response_file,
            trama_hostile::sessions,
            trama_hostile::characterise,
            trama_hostile::xlsform_csv,
            trama_hostile::xlsform_xlsx,
        ] {
            holds(check(&bytes), &bytes)?;
        }
        let (edges, nodes) = trama_hostile::two_files(&bytes);
        holds(trama_hostile::sna(edges, nodes), &bytes)?;
    }
}

proptest! {
    // A workbook is read whole (a zip, its XML, the RME form's checks):
    // fewer cases.
    #![proptest_config(config(48))]

    #[test]
    fn workbooks_mutated(bytes in mutated(&strategies::RME_XLSX)) {
        holds(trama_hostile::xlsform_xlsx(&bytes), b"(workbook)")?;
    }

    #[test]
    fn workbooks_of_hostile_cells(bytes in strategies::workbook(SURVEY)) {
        holds(trama_hostile::xlsform_xlsx(&bytes), b"(workbook)")?;
    }
}

/// The promises are checked, not assumed: a problem without a line, a
/// flood of lines or a raw control character is caught.
#[test]
fn the_checks_catch_what_they_promise() {
    use trama_tabular::{CellError, Issue};
    let bare = CellError {
        file: "x.csv".into(),
        line: None,
        column: Some("a".into()),
        position: None,
        value: None,
        issue: Issue::message("csv-empty"),
    };
    assert!(trama_hostile::check_cell_errors(&[bare]).is_err());
    assert!(trama_hostile::check_cell_errors(&[]).is_err());
    let fine = CellError::header("x.csv", Some("a"), Issue::message("csv-missing-column"));
    assert!(trama_hostile::check_cell_errors(&[fine]).is_ok());
    let no_column = CellError {
        column: None,
        position: None,
        ..CellError::header("x.csv", Some("a"), Issue::message("csv-empty"))
    };
    assert!(trama_hostile::check_cell_errors(&[no_column]).is_err());
}

/// 100,000 unknown columns: a screenful, not 17 MB.
#[test]
fn a_flood_of_problems_is_shown_as_a_hundred_and_a_count() {
    let mut header = String::from("name,email,role,from_year,rbd");
    for i in 0..100_000 {
        header.push_str(&format!(",x\u{1B}{i}"));
    }
    header.push('\n');
    let errors = trama_import::people::parse("p.csv", header.as_bytes())
        .err()
        .unwrap_or_default();
    assert_eq!(errors.len(), 100_000);
    assert!(trama_hostile::check_cell_errors(&errors).is_ok());
    let lines = trama_tabular::report::lines(&errors, trama_i18n::Lang::Es);
    assert_eq!(lines.len(), 101);
    assert_eq!(lines[100], "… y 99.900 problemas más");
    let bytes: usize = lines.iter().map(String::len).sum();
    assert!(bytes < 50_000, "{bytes} bytes");
    assert!(
        lines[0].starts_with("p.csv:1: x<U+001B>0: "),
        "{}",
        lines[0]
    );
}
