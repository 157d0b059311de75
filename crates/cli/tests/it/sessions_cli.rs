//! `trama sessions import|export` through the built binary: a spreadsheet
//! of sessions all imported or none, every bad cell by line and column, and
//! an export that imports back.

use crate::campaign_cli::{seeded, trama, write};

/// RME1's sessions of 2026 as `trama sessions export` writes them.
fn export_rme1(data: &std::path::Path, out: &std::path::Path) -> String {
    let path = out.to_string_lossy().into_owned();
    let r = trama(
        &[
            "sessions",
            "export",
            "--network",
            "RME1",
            "--year",
            "2026",
            "-o",
            &path,
        ],
        data,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::read_to_string(out).unwrap_or_default()
}

const HEADER: &str = "network,date,duration_min,modality,foci,attendees_rbd,agenda";

#[test]
fn sessions_import_all_or_nothing_and_export_in_the_same_shape() {
    let (dir, data) = seeded();
    let good = write(
        dir.path(),
        "sesiones.csv",
        &format!(
            "{HEADER}\n\
             RME1,2026-04-02,90,presencial,information;practices,900001;900002,Plan lector\n\
             RME1,07/05/2026,60,online,projects,900001,\"Jornada, con familias\"\n\
             RME2,2026-04-09,120,mixta,,,\n"
        ),
    );
    let dry = trama(&["sessions", "import", &good, "--dry-run"], &data);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.out().contains("3 sesiones se importarían (2 redes)"),
        "{}",
        dry.out()
    );
    let out_file = dir.path().join("rme1.csv");
    let out = out_file.to_string_lossy().into_owned();
    let header_only = export_rme1(&data, &out_file);
    assert_eq!(
        header_only.lines().count(),
        1,
        "the dry run wrote nothing: {header_only}"
    );

    let real = trama(&["sessions", "import", &good, "--format", "json"], &data);
    assert_eq!(real.code, 0, "{}", real.stderr);
    let summary: serde_json::Value =
        serde_json::from_slice(&real.stdout).unwrap_or_else(|e| panic!("{e}: {}", real.out()));
    assert_eq!(summary["sessions"], 3);
    assert_eq!(summary["networks"]["RME1"], 2);

    let text = export_rme1(&data, &out_file);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], format!("{HEADER},place"));
    assert_eq!(
        lines[1],
        "RME1,2026-04-02,90,in_person,information;practices,900001;900002,Plan lector,"
    );
    assert_eq!(
        lines[2],
        "RME1,2026-05-07,60,online,projects,900001,\"Jornada, con familias\","
    );
    assert_eq!(lines.len(), 3);

    // The export imports back: two more sessions.
    let again = trama(&["sessions", "import", &out], &data);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.out().contains("2 sesiones importadas (1 redes)"),
        "{}",
        again.out()
    );
}

#[test]
fn a_bad_sheet_names_every_problem_and_imports_nothing() {
    let (dir, data) = seeded();
    let bad = write(
        dir.path(),
        "malas.csv",
        &format!(
            "{HEADER}\n\
             RME1,2026-04-02,90,presencial,,900001,ok\n\
             RME99,2026-04-02,90,presencial,,,\n\
             RME7,2026-04-03,90,online,,900001,\n\
             RME1,2026-13-01,0,carta,chisme,x,\n"
        ),
    );
    let r = trama(&["sessions", "import", &bad], &data);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    // Cells first (the file), then references (the registry), each by line.
    for expected in [
        "malas.csv:5: date",
        "malas.csv:5: duration_min",
        "malas.csv:5: modality",
        "malas.csv:5: foci",
        "malas.csv:5: attendees_rbd",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(expected)),
            "{expected}: {}",
            r.stderr
        );
    }
    let fixed = write(
        dir.path(),
        "referencias.csv",
        &format!(
            "{HEADER}\n\
             RME1,2026-04-02,90,presencial,,900001,ok\n\
             RME99,2026-04-02,90,presencial,,,\n\
             RME7,2026-04-03,90,online,,900001,\n"
        ),
    );
    let r = trama(&["sessions", "import", &fixed], &data);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("referencias.csv:3: network"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("referencias.csv:4: attendees_rbd")
            && r.stderr.contains("no pertenece a la red"),
        "{}",
        r.stderr
    );
    let out = dir.path().join("rme1.csv");
    let text = export_rme1(&data, &out);
    assert_eq!(text.lines().count(), 1, "nothing imported: {text}");
    let unknown = trama(
        &["sessions", "export", "--network", "RME99", "--year", "2026"],
        &data,
    );
    assert_eq!(unknown.code, 1, "{}", unknown.stderr);
}
