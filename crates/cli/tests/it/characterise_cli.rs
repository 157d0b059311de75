//! `trama characterise` on constructed networks: the JSON contract, the
//! documented classification, and bad input refused by line and column.

use crate::sna_cli::{Run, trama};

/// Four schools, one director each, and a UTP head at school 1.
const NODES: &str = "id,school,role,responded\np0,s0,director,1\np1,s1,director,1\np2,s2,director,1\np3,s3,director,1\nu1,s1,utp,0\n";

fn run(dir: &std::path::Path, edges: &str, sessions: Option<&str>) -> serde_json::Value {
    let s = dir.join("s.csv");
    let s = s.display().to_string();
    let extra = match sessions {
        Some(text) => {
            std::fs::write(&s, text).unwrap_or_else(|x| panic!("{x}"));
            vec!["--sessions", s.as_str()]
        }
        None => vec![],
    };
    let r = characterise_files(dir, edges, NODES, &extra);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_slice(&r.stdout).unwrap_or_else(|x| panic!("{x}"))
}

#[test]
fn constructed_networks_are_placed_as_documented_with_every_rule() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // Only schools 0 and 1 work together: aislamiento.
    let alone = run(
        dir.path(),
        "source,target,weight,foci\np0,p1,3,information\np1,p0,3,information\n",
        None,
    );
    assert_eq!(alone["continuum"]["level"], "aislamiento");
    // Four of five answered: enough for the ties to be trusted.
    assert_eq!(alone["continuum"]["provisional"], false);
    let rules = alone["continuum"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let density = rules
        .iter()
        .find(|r| r["rule"] == "sparse-between-schools")
        .cloned()
        .unwrap_or_default();
    // 1 school edge of 6.
    assert_eq!(density["value"].as_f64(), Some(1.0 / 6.0));
    assert_eq!(density["threshold"].as_f64(), Some(0.2));
    assert_eq!(density["holds"], true);
    // Questionnaire rules are listed, not evaluated, without results.
    let agreement = rules
        .iter()
        .find(|r| r["rule"] == "agreement-collaboration")
        .cloned()
        .unwrap_or_default();
    assert!(agreement["holds"].is_null() && agreement["value"].is_null());
    assert_eq!(alone["typology"]["ties"]["information"].as_f64(), Some(1.0));
    assert_eq!(
        alone["typology"]["emphasis"],
        serde_json::json!(["information"])
    );
    assert_eq!(
        alone["typology"]["types"],
        serde_json::json!(["informative"])
    );
    assert_eq!(alone["typology"]["dominant"], "informative");
    assert!(alone["typology"]["sessions"].is_null());
    assert_eq!(alone["tetraedro"]["organizacion"]["members"], 5);
    assert_eq!(
        alone["tetraedro"]["organizacion"]["response_rate"].as_f64(),
        Some(0.8)
    );
    let leaders = alone["system_leaders"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(leaders.len(), 2);
    assert_eq!(leaders[0]["schools_reached"], 1);

    // Everyone with everyone both ways at level 5, on joint projects, with
    // sessions that worked resources: simbiosis.
    let mut edges = "source,target,weight,foci\n".to_owned();
    for a in 0..4 {
        for b in 0..4 {
            if a != b {
                edges.push_str(&format!("p{a},p{b},5,projects\n"));
            }
        }
    }
    let deep = run(
        dir.path(),
        &edges,
        Some(
            "network,date,foci\nRME1,2026-04-01,resources;projects\nRME1,2026-05-06,information\n",
        ),
    );
    assert_eq!(deep["continuum"]["level"], "simbiosis");
    assert_eq!(
        deep["typology"]["sessions"]["resources"].as_f64(),
        Some(0.5)
    );
    // Projects: ties 1.0, sessions 0.5 → 0.75.
    assert_eq!(
        deep["typology"]["combined"]["projects"].as_f64(),
        Some(0.75)
    );
    assert_eq!(deep["typology"]["dominant"], "cooperative");
    assert_eq!(deep["tetraedro"]["funcionales"]["sessions"], 2);
    assert_eq!(deep["tetraedro"]["sustento"]["depth"].as_f64(), Some(1.0));
}

/// `trama characterise` on these edge and node files, plus `extra` flags.
fn characterise_files(dir: &std::path::Path, edges: &str, nodes: &str, extra: &[&str]) -> Run {
    let e = dir.join("e.csv");
    let n = dir.join("n.csv");
    std::fs::write(&e, edges).unwrap_or_else(|x| panic!("{x}"));
    std::fs::write(&n, nodes).unwrap_or_else(|x| panic!("{x}"));
    let (e, n) = (e.display().to_string(), n.display().to_string());
    let mut args = vec!["characterise", "--edges", &e, "--nodes", &n];
    args.extend(extra);
    trama(&args)
}

#[test]
fn bad_files_are_refused_by_line_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("out.json");
    let r = characterise_files(
        dir.path(),
        "source,target,weight,foci\np0,p1,7,\np1,p0,2,chisme\n",
        "id,school,role\np0,s0,director\np0,s1,director\n",
        &["-o", &out.display().to_string()],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    for expected in [
        "e.csv:2: weight: \"7\" el nivel de colaboración va de 0 a 5",
        "e.csv:3: foci: \"chisme\" «chisme» no es un foco",
        "n.csv:3: id: \"p0\"",
    ] {
        assert!(r.stderr.contains(expected), "{expected}\n{}", r.stderr);
    }
    assert!(!out.exists(), "nothing is written on bad input");
    let rules = dir.path().join("rules.toml");
    std::fs::write(&rules, "provisional_below = 0.7\nlevels = []\n")
        .unwrap_or_else(|x| panic!("{x}"));
    let r = characterise_files(
        dir.path(),
        "source,target,weight\np0,p1,2\n",
        "id,school,role\np0,s0,director\np1,s1,director\n",
        &["--rules", &rules.display().to_string()],
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("Las reglas del continuo"), "{}", r.stderr);
}

#[test]
fn questionnaire_agreement_enters_the_rules_and_the_sustento_face_above_the_threshold() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/report");
    let instrument = format!("{data}/instrumento.csv");
    let responses = format!("{data}/respuestas.csv");
    let edges = "source,target,weight\np0,p1,3\np1,p0,3\n";
    let with = |k: &str| {
        let r = characterise_files(
            dir.path(),
            edges,
            NODES,
            &[
                "--instrument",
                &instrument,
                "--responses",
                &responses,
                "--min-group",
                k,
            ],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        serde_json::from_slice::<serde_json::Value>(&r.stdout).unwrap_or_else(|x| panic!("{x}"))
    };
    let shown = with("5");
    // Independent count (Python's csv over respuestas.csv, 44 responses):
    // col_1 and col_2 answered 82 times, 52 of them 4 or 5 → 63.414…%;
    // conf_1 and conf_2 (reverse-keyed) 84 answers, 18 agreeing → 21.428…%.
    let rule = |v: &serde_json::Value, name: &str| {
        v["continuum"]["rules"]
            .as_array()
            .and_then(|rs| rs.iter().find(|r| r["rule"] == name).cloned())
            .unwrap_or_default()
    };
    let colab = rule(&shown, "agreement-collaboration");
    let value = colab["value"].as_f64().unwrap_or_default();
    assert!((value - 5200.0 / 82.0).abs() < 1e-9, "{colab}");
    assert_eq!(colab["holds"], false);
    let trust = shown["tetraedro"]["sustento"]["trust"]
        .as_f64()
        .unwrap_or_default();
    assert!(
        (trust - 1800.0 / 84.0).abs() < 1e-9,
        "{}",
        shown["tetraedro"]
    );
    assert_eq!(shown["tetraedro"]["sustento"]["respondents"], 44);
    // With K above the 44 respondents nothing of the questionnaire shows,
    // and its rules are not evaluated.
    let hidden = with("50");
    assert!(rule(&hidden, "agreement-collaboration")["holds"].is_null());
    assert!(hidden["tetraedro"]["sustento"]["trust"].is_null());
    assert_eq!(hidden["tetraedro"]["sustento"]["suppressed"], true);
    // An instrument without responses is wrong usage.
    let r = characterise_files(dir.path(), edges, NODES, &["--instrument", &instrument]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}
