//! The binary's contract: exit statuses, messages on standard error in the
//! user's language, results on standard output.

use std::process::Command;

fn trama(args: &[&str], data: &std::path::Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trama"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("TRAMA_DATABASE_URL")
        .env("LANG", "es_CL.UTF-8")
        .output()
        .unwrap_or_else(|e| panic!("run trama: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn import_reports_every_bad_cell_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("escuelas.csv");
    // Latin-1, `;`, decimal commas, as MINEDUC publishes it.
    let mut bytes = b"\xEF\xBB\xBFAGNO;RBD;DGV_RBD;NOM_RBD;COD_REG_RBD;COD_COM_RBD;NOM_COM_RBD;COD_DEPE2;RURAL_RBD;LATITUD;LONGITUD;MRUN\n".to_vec();
    bytes.extend_from_slice(b"2024;10;1;ESCUELA A;8;8101;CONCEPCION;1;0;-36,82;-73,04;123\n");
    bytes.extend_from_slice(b"2024;10A48;1;ESCUELA B;8;8101;CONCEPCION;1;0;;;\n");
    bytes.extend_from_slice(b"2024;12;1;ESCUELA C;8;8101;CONCEPCION;7;0;;;\n");
    std::fs::write(&file, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let path = file.to_string_lossy().into_owned();
    let (code, stdout, stderr) = trama(&["import", "schools", &path], &data);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty());
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines[0],
        "escuelas.csv:3: RBD: \"10A48\" no es un número entero"
    );
    assert_eq!(
        lines[1],
        "escuelas.csv:4: COD_DEPE2: \"7\" no es una dependencia conocida (1 a 5)"
    );
    assert!(lines[2].contains("2 problemas"), "{stderr}");
    let (code, _, stderr_en) = trama(&["import", "schools", &path, "--lang", "en"], &data);
    assert_eq!(code, 1);
    assert!(stderr_en.contains("is not a whole number"), "{stderr_en}");

    // Fixed file: imported; a second run changes nothing.
    let fixed = String::from_utf8_lossy(&bytes)
        .replace("10A48", "11")
        .replace(";7;0", ";2;0");
    std::fs::write(&file, fixed).unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, stderr) = trama(&["import", "schools", &path, "--format", "json"], &data);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_default();
    assert_eq!(v["inserted"], 3);
    let (_, stdout, _) = trama(&["import", "schools", &path, "--format", "json"], &data);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_default();
    assert_eq!(
        (v["inserted"].as_u64(), v["unchanged"].as_u64()),
        (Some(0), Some(3))
    );
}

#[test]
fn wrong_usage_is_exit_2_and_unreachable_database_is_exit_3() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (code, _, _) = trama(&["import", "schools", "--no-such-flag"], dir.path());
    assert_eq!(code, 2);
    let out = Command::new(env!("CARGO_BIN_EXE_trama"))
        .args([
            "user",
            "add",
            "--email",
            "a@b.cl",
            "--role",
            "researcher",
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn user_add_prints_a_one_time_password_that_works() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, stderr) = trama(
        &[
            "user",
            "add",
            "--email",
            "Ana@Mineduc.cl",
            "--role",
            "regional_coordinator",
            "--scope",
            "VIII",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{stderr}");
    let password = stdout.trim();
    assert_eq!(password.len(), 20);
    let (code, _, stderr) = trama(
        &[
            "user",
            "add",
            "--email",
            "x@y.cl",
            "--role",
            "regional_coordinator",
        ],
        dir.path(),
    );
    assert_eq!(code, 1, "a regional coordinator needs a region");
    assert!(stderr.contains("--scope"), "{stderr}");
    let (code, token, _) = trama(
        &["token", "create", "--email", "ana@mineduc.cl"],
        dir.path(),
    );
    assert_eq!(code, 0);
    assert!(token.trim().starts_with("trama_"));
    let rt = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
    rt.block_on(async {
        let store = trama_store::Store::open_dir(dir.path())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let user = store
            .authenticate("ana@mineduc.cl", password)
            .await
            .ok()
            .flatten();
        assert_eq!(
            user.map(|u| u.region),
            Some(Some(trama_domain::territory::RegionCode(8)))
        );
    });
}

#[test]
fn response_rates_from_files_in_the_seed_shape() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let nets = dir.path().join("redes.csv");
    let resp = dir.path().join("respuestas.csv");
    std::fs::write(&nets, "network;region\nRME1;V\nRME2;V\nRME3;XI\nRME4;XI\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        &resp,
        "response_id,region,deprov,network,role,p01\nr1,V,51,RME1,director,4\nr2,V,51,RME1,docente,5\nr3,XI,111,RME3,director,NA\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(env!("CARGO_BIN_EXE_trama"))
        .args(["report", "rates", "--format", "csv", "--networks"])
        .arg(&nets)
        .arg("--responses")
        .arg(&resp)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "region,networks_total,networks_with_answers,cases,pct_networks\ntotal,4,2,3,50\nV,2,1,2,50\nXI,2,1,1,50\n"
    );
}
