//! `trama sna metrics` through the built binary: the JSON equals the values
//! NetworkX gave on the engine's reference networks, GraphML and GEXF are
//! well-formed XML with every node and arc, and each kind of bad input is
//! refused with its line and column, exit status 1 and nothing written.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The shape of the engine's recorded NetworkX values (the fields of
/// `crates/sna/tests/networkx.rs`'s `Reference`), so that the very same
/// file can be included here.
struct Reference {
    edges_file: &'static str,
    nodes_file: Option<&'static str>,
    nodes: usize,
    edges: usize,
    density: f64,
    reciprocity: Option<f64>,
    transitivity: f64,
    weak_components: usize,
    strong_components: usize,
    largest_component: usize,
    isolates: &'static [&'static str],
    degree_centralization: Option<f64>,
    mean_distance: Option<f64>,
    diameter: Option<f64>,
    weighted_mean_distance: Option<f64>,
    weighted_diameter: Option<f64>,
    ei_index: &'static [(&'static str, Option<f64>)],
    respondents_reciprocity: Option<f64>,
    modularity: f64,
    /// How the engine's Louvain compares with NetworkX's is the engine's
    /// test; the command only has to pass the partition through.
    #[expect(dead_code)]
    networkx_louvain_best_of_20: f64,
    membership: &'static [(&'static str, usize)],
    /// in/out degree, in/out strength, betweenness, closeness, harmonic,
    /// pagerank, then weighted betweenness, closeness, harmonic.
    node_metrics: &'static [(&'static str, [f64; 11])],
}

mod reference {
    use super::Reference;
    include!("../../../sna/tests/reference/networkx_values.rs");
}

const ALL: [&Reference; 5] = [
    &reference::ESCUELAS,
    &reference::FRAGMENTOS,
    &reference::AISLADOS,
    &reference::CLIQUES,
    &reference::AZAR,
];

pub(crate) struct Run {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

/// Runs `trama ARGS` with a Spanish locale.
pub(crate) fn trama(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_trama"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "es_CL.UTF-8")
        .output()
        .unwrap_or_else(|e| panic!("run trama: {e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn data(file: &str) -> String {
    format!("{}/../sna/tests/data/{file}", env!("CARGO_MANIFEST_DIR"))
}

/// `sna metrics` on a reference network; panics unless it succeeds.
fn metrics(r: &Reference, extra: &[&str]) -> Vec<u8> {
    let edges = data(r.edges_file);
    let nodes = r.nodes_file.map(data);
    let mut args = vec!["sna", "metrics", "--edges", &edges];
    if let Some(n) = &nodes {
        args.extend(["--nodes", n]);
    }
    args.extend(extra);
    let run = trama(&args);
    assert_eq!(run.code, 0, "{}: {}", r.edges_file, run.stderr);
    run.stdout
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("not JSON: {e}"))
}

fn close(what: &str, got: &Value, want: f64) {
    let got = got
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {got} is not a number"));
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1.0),
        "{what}: got {got}, NetworkX {want}"
    );
}

fn close_opt(what: &str, got: &Value, want: Option<f64>) {
    match want {
        Some(w) => close(what, got, w),
        None => assert!(got.is_null(), "{what}: got {got}, NetworkX null"),
    }
}

fn count(what: &str, got: &Value, want: usize) {
    assert_eq!(got.as_u64(), Some(want as u64), "{what}");
}

#[test]
fn json_equals_the_recorded_networkx_values() {
    for r in ALL {
        let name = r.edges_file;
        let at = |what: &str| format!("{name} {what}");
        let j = json(&metrics(r, &["--format", "json"]));
        count(&at("nodes"), &j["nodes"], r.nodes);
        count(&at("edges"), &j["edges"], r.edges);
        close(&at("density"), &j["density"], r.density);
        close_opt(&at("reciprocity"), &j["reciprocity"], r.reciprocity);
        close(&at("transitivity"), &j["transitivity"], r.transitivity);
        count(&at("weak"), &j["weak_components"], r.weak_components);
        count(&at("strong"), &j["strong_components"], r.strong_components);
        count(&at("largest"), &j["largest_component"], r.largest_component);
        assert_eq!(j["isolates"], serde_json::json!(r.isolates), "{name}");
        close_opt(
            &at("degree_centralization"),
            &j["degree_centralization"],
            r.degree_centralization,
        );
        close_opt(&at("mean_distance"), &j["mean_distance"], r.mean_distance);
        close_opt(&at("diameter"), &j["diameter"], r.diameter);
        close_opt(
            &at("respondents reciprocity"),
            &j["respondents"]["reciprocity"],
            r.respondents_reciprocity,
        );
        let ei = j["ei_index"]
            .as_object()
            .unwrap_or_else(|| panic!("{name}: ei_index is not an object"));
        assert_eq!(ei.len(), r.ei_index.len(), "{name}: one E-I per attribute");
        for (attr, want) in r.ei_index {
            close_opt(&at(&format!("ei_index.{attr}")), &ei[*attr], *want);
        }

        let c = &j["communities"];
        assert_eq!(c["algorithm"], "louvain");
        assert_eq!(c["seed"], 42);
        let groups = r.membership.iter().map(|m| m.1 + 1).max().unwrap_or(0);
        count(&at("communities.count"), &c["count"], groups);
        close(&at("modularity"), &c["modularity"], r.modularity);
        for (id, k) in r.membership {
            count(&at(&format!("membership.{id}")), &c["membership"][id], *k);
        }

        let nm = j["node_metrics"]
            .as_object()
            .unwrap_or_else(|| panic!("{name}: node_metrics is not an object"));
        assert_eq!(nm.len(), r.node_metrics.len(), "{name}");
        for (id, v) in r.node_metrics {
            let m = &nm[*id];
            let keys = [
                "in_degree",
                "out_degree",
                "in_strength",
                "out_strength",
                "betweenness",
                "closeness",
                "harmonic",
                "pagerank",
            ];
            for (key, want) in keys.iter().zip(v) {
                close(&at(&format!("{id}.{key}")), &m[key], *want);
            }
            assert_eq!(m["community"], c["membership"][id], "{name} {id}");
        }
    }
}

#[test]
fn weighted_json_equals_networkx_with_distance_one_over_weight() {
    for r in ALL {
        let name = r.edges_file;
        let at = |what: &str| format!("{name} --weighted {what}");
        let j = json(&metrics(r, &["--weighted", "--format", "json"]));
        assert_eq!(j["weighted"], true);
        close_opt(
            &at("mean_distance"),
            &j["mean_distance"],
            r.weighted_mean_distance,
        );
        close_opt(&at("diameter"), &j["diameter"], r.weighted_diameter);
        for (id, v) in r.node_metrics {
            let m = &j["node_metrics"][id];
            for (key, want) in ["betweenness", "closeness", "harmonic"].iter().zip(&v[8..]) {
                close(&at(&format!("{id}.{key}")), &m[key], *want);
            }
        }
    }
}

#[test]
fn threads_give_identical_bytes_and_a_seed_gives_the_same_partition() {
    for r in ALL {
        for weighted in [&[][..], &["--weighted"][..]] {
            let run = |threads: &str| {
                let mut extra = vec!["--threads", threads];
                extra.extend(weighted);
                metrics(r, &extra)
            };
            assert_eq!(run("1"), run("2"), "{} {weighted:?}", r.edges_file);
        }
    }
    let r = &reference::AZAR;
    let seeded = metrics(r, &["--seed", "7"]);
    assert_eq!(
        seeded,
        metrics(r, &["--seed", "7"]),
        "same seed, same bytes"
    );
    assert_eq!(json(&seeded)["communities"]["seed"], 7);
}

/// What a GraphML or GEXF file says: nodes in file order with their values
/// by attribute title, and arcs with their weights.
struct Exported {
    directed: bool,
    nodes: Vec<(String, HashMap<String, String>)>,
    arcs: Vec<(String, String, f64)>,
}

fn xml(bytes: &[u8]) -> roxmltree::Document<'_> {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("not UTF-8: {e}"));
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not XML: {e}"))
}

fn attr<'a>(node: &roxmltree::Node<'a, '_>, name: &str) -> &'a str {
    node.attribute(name)
        .unwrap_or_else(|| panic!("<{}> without {name}", node.tag_name().name()))
}

fn weight(text: &str) -> f64 {
    text.parse()
        .unwrap_or_else(|e| panic!("weight {text:?}: {e}"))
}

fn graphml(bytes: &[u8]) -> Exported {
    let doc = xml(bytes);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "graphml");
    let keys: HashMap<&str, &str> = root
        .children()
        .filter(|k| k.has_tag_name("key"))
        .map(|k| (attr(&k, "id"), attr(&k, "attr.name")))
        .collect();
    let data = |n: &roxmltree::Node| -> HashMap<String, String> {
        n.children()
            .filter(|d| d.has_tag_name("data"))
            .map(|d| {
                let key = attr(&d, "key");
                let name = keys
                    .get(key)
                    .unwrap_or_else(|| panic!("undeclared key {key}"));
                ((*name).to_owned(), d.text().unwrap_or_default().to_owned())
            })
            .collect()
    };
    let graph = root
        .children()
        .find(|n| n.has_tag_name("graph"))
        .unwrap_or_else(|| panic!("no <graph>"));
    Exported {
        directed: graph.attribute("edgedefault") == Some("directed"),
        nodes: graph
            .children()
            .filter(|n| n.has_tag_name("node"))
            .map(|n| (attr(&n, "id").to_owned(), data(&n)))
            .collect(),
        arcs: graph
            .children()
            .filter(|n| n.has_tag_name("edge"))
            .map(|e| {
                let w = data(&e).get("weight").map_or(f64::NAN, |w| weight(w));
                (
                    attr(&e, "source").to_owned(),
                    attr(&e, "target").to_owned(),
                    w,
                )
            })
            .collect(),
    }
}

fn gexf(bytes: &[u8]) -> Exported {
    let doc = xml(bytes);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "gexf");
    assert_eq!(root.attribute("version"), Some("1.3"));
    let graph = root
        .children()
        .find(|n| n.has_tag_name("graph"))
        .unwrap_or_else(|| panic!("no <graph>"));
    let titles: HashMap<&str, &str> = graph
        .descendants()
        .filter(|a| a.has_tag_name("attribute"))
        .map(|a| (attr(&a, "id"), attr(&a, "title")))
        .collect();
    let values = |n: &roxmltree::Node| -> HashMap<String, String> {
        n.descendants()
            .filter(|v| v.has_tag_name("attvalue"))
            .map(|v| {
                let id = attr(&v, "for");
                let title = titles.get(id).unwrap_or_else(|| panic!("undeclared {id}"));
                ((*title).to_owned(), attr(&v, "value").to_owned())
            })
            .collect()
    };
    Exported {
        directed: graph.attribute("defaultedgetype") == Some("directed"),
        nodes: graph
            .descendants()
            .filter(|n| n.has_tag_name("node"))
            .map(|n| (attr(&n, "id").to_owned(), values(&n)))
            .collect(),
        arcs: graph
            .descendants()
            .filter(|n| n.has_tag_name("edge"))
            .map(|e| {
                (
                    attr(&e, "source").to_owned(),
                    attr(&e, "target").to_owned(),
                    weight(attr(&e, "weight")),
                )
            })
            .collect(),
    }
}

#[test]
fn graphml_and_gexf_are_xml_with_every_node_and_arc() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for r in ALL {
        for (format, read) in [
            ("graphml", graphml as fn(&[u8]) -> Exported),
            ("gexf", gexf),
        ] {
            let at = format!("{} as {format}", r.edges_file);
            let out = dir.path().join(format!("{}.{format}", r.edges_file));
            let path = out.to_string_lossy();
            let stdout = metrics(r, &["--format", format, "-o", &path]);
            assert!(stdout.is_empty(), "{at}: -o keeps standard output clean");
            let bytes = std::fs::read(&out).unwrap_or_else(|e| panic!("{path}: {e}"));
            let file = read(&bytes);
            assert!(file.directed, "{at}: directed");

            // Every person, in the files' order, with NetworkX's numbers.
            let ids: Vec<&str> = file.nodes.iter().map(|(id, _)| id.as_str()).collect();
            let want: Vec<&str> = r.node_metrics.iter().map(|(id, _)| *id).collect();
            assert_eq!(ids, want, "{at}: nodes");
            let keys = [
                "in_degree",
                "out_degree",
                "in_strength",
                "out_strength",
                "betweenness",
                "closeness",
                "harmonic",
                "pagerank",
            ];
            for ((id, values), (_, v)) in file.nodes.iter().zip(r.node_metrics) {
                for (key, want) in keys.iter().zip(v) {
                    let got = values
                        .get(*key)
                        .unwrap_or_else(|| panic!("{at}: {id} has no {key}"));
                    close(
                        &format!("{at} {id}.{key}"),
                        &Value::from(weight(got)),
                        *want,
                    );
                }
                let community = r.membership.iter().find(|m| m.0 == id).map(|m| m.1);
                assert_eq!(
                    values.get("community").and_then(|c| c.parse().ok()),
                    community,
                    "{at}: {id} community"
                );
            }

            // Every arc once, each end a listed node: the degrees and
            // strengths they add up to are NetworkX's.
            assert_eq!(file.arcs.len(), r.edges, "{at}: arcs");
            let distinct: HashSet<(&str, &str)> = file
                .arcs
                .iter()
                .map(|(s, t, _)| (s.as_str(), t.as_str()))
                .collect();
            assert_eq!(distinct.len(), r.edges, "{at}: no arc twice");
            for (id, v) in r.node_metrics {
                let out: Vec<f64> = file
                    .arcs
                    .iter()
                    .filter(|a| a.0 == *id)
                    .map(|a| a.2)
                    .collect();
                let inc: Vec<f64> = file
                    .arcs
                    .iter()
                    .filter(|a| a.1 == *id)
                    .map(|a| a.2)
                    .collect();
                let sum = |w: &[f64]| Value::from(w.iter().sum::<f64>());
                assert_eq!(out.len() as f64, v[1], "{at}: {id} out-arcs");
                assert_eq!(inc.len() as f64, v[0], "{at}: {id} in-arcs");
                close(&format!("{at}: {id} out weight"), &sum(&out), v[3]);
                close(&format!("{at}: {id} in weight"), &sum(&inc), v[2]);
            }
        }
    }
}

/// Writes `edges` (and `nodes`) into `dir` as `e.csv` (`n.csv`) and runs
/// `sna metrics` on them with `-o out.json`, which the caller prepares.
fn run_on(dir: &Path, edges: &str, nodes: Option<&str>, extra: &[&str]) -> (Run, PathBuf) {
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
        p.to_string_lossy().into_owned()
    };
    let e = write("e.csv", edges);
    let n = nodes.map(|text| write("n.csv", text));
    let out = dir.join("out.json");
    let out_arg = out.to_string_lossy().into_owned();
    let mut args = vec!["sna", "metrics", "--edges", &e, "-o", &out_arg];
    if let Some(n) = &n {
        args.extend(["--nodes", n]);
    }
    args.extend(extra);
    (trama(&args), out)
}

/// What a previous run left in `-o`: a refused run must not touch it.
const EARLIER: &str = "{\"earlier\": true}\n";

/// Edge list, node list, extra flags, and the start of each line expected
/// on standard error.
type BadInput = (
    &'static str,
    Option<&'static str>,
    &'static [&'static str],
    &'static [&'static str],
);

#[test]
fn bad_input_is_refused_by_line_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cases: [BadInput; 8] = [
        (
            "source,destino\nA,B\n",
            None,
            &[],
            &["e.csv:1: target: falta la columna"],
        ),
        (
            "source,target\nA,B\n",
            Some("nombre\nA\nB\n"),
            &[],
            &["n.csv:1: id: falta la columna"],
        ),
        (
            "source,target,weight\nA,B,1\nB,C,alto\n",
            None,
            &[],
            &["e.csv:3: weight: \"alto\" no es un número"],
        ),
        (
            "source,target,weight\nA,B,1\nB,C,2\nC,A,-2\n",
            None,
            &[],
            &["e.csv:4: weight: \"-2\" es una intensidad negativa"],
        ),
        (
            "source,target\nA,B\nA,Z\n",
            Some("id,rol\nA,director\nB,utp\n"),
            &[],
            &["e.csv:3: target: \"Z\" no está en la columna id del archivo de nodos"],
        ),
        (
            "source,target\nA,B\nB,C\nA,B\n",
            None,
            &[],
            &["e.csv:4: target: \"B\" repite el arco A → B de la línea 2"],
        ),
        (
            "source,target\nA,B\nC,C\n",
            None,
            &[],
            &["e.csv:3: target: \"C\" es el mismo origen y destino (un lazo)"],
        ),
        // Every problem at once, in file order, in English when asked.
        (
            "source,target,weight\nA,A,1\nA,B,x\nA,C,1\nA,C,2\n",
            None,
            &["--lang", "en"],
            &[
                "e.csv:2: target: \"A\" is both source and target (a self-loop)",
                "e.csv:3: weight: \"x\" is not a number",
                "e.csv:5: target: \"C\" repeats the arc A → C of line 4",
            ],
        ),
    ];
    let out = dir.path().join("out.json");
    for (edges, nodes, extra, want) in cases {
        std::fs::write(&out, EARLIER).unwrap_or_else(|e| panic!("{e}"));
        let (run, out) = run_on(dir.path(), edges, nodes, extra);
        assert_eq!(run.code, 1, "{edges:?}: {}", run.stderr);
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), want.len(), "{edges:?}: {}", run.stderr);
        for (line, w) in lines.iter().zip(want) {
            assert!(line.starts_with(w), "{edges:?}: {line:?} vs {w:?}");
        }
        assert!(run.stdout.is_empty(), "{edges:?}: no output");
        let after = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(after, EARLIER, "{edges:?}: -o untouched");
    }

    // A file that cannot be read is named, with the same status.
    let missing = dir.path().join("no-such.csv");
    let missing = missing.to_string_lossy();
    let run = trama(&["sna", "metrics", "--edges", &missing]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("no-such.csv"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn flags_accept_what_is_refused_by_default() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let ok = |edges: &str, nodes: Option<&str>, extra: &[&str]| -> Value {
        let _ = std::fs::remove_file(dir.path().join("out.json"));
        let (run, out) = run_on(dir.path(), edges, nodes, extra);
        assert_eq!(run.code, 0, "{edges:?} {extra:?}: {}", run.stderr);
        json(&std::fs::read(&out).unwrap_or_else(|e| panic!("{e}")))
    };
    let dup = "source,target,weight\nA,B,2\nB,C,1\nA,B,3\n";
    let j = ok(dup, None, &["--merge-duplicates", "sum"]);
    assert_eq!(
        (
            j["edges"].as_u64(),
            j["node_metrics"]["A"]["out_strength"].as_f64()
        ),
        (Some(2), Some(5.0))
    );
    let j = ok(dup, None, &["--merge-duplicates", "max"]);
    assert_eq!(j["node_metrics"]["A"]["out_strength"].as_f64(), Some(3.0));
    // Duplicates are merged before the threshold applies: 1 + 2 passes 3,
    // the stronger of the two alone does not.
    let split = "source,target,weight\nA,B,1\nA,B,2\n";
    let j = ok(
        split,
        None,
        &["--merge-duplicates", "sum", "--min-weight", "3"],
    );
    assert_eq!(j["edges"].as_u64(), Some(1));
    let j = ok(
        split,
        None,
        &["--merge-duplicates", "max", "--min-weight", "3"],
    );
    assert_eq!(
        (j["nodes"].as_u64(), j["edges"].as_u64()),
        (Some(2), Some(0))
    );

    // The dropped self-loop's person stays, as an isolate.
    let j = ok("source,target\nA,B\nC,C\n", None, &["--drop-self-loops"]);
    assert_eq!(
        (j["nodes"].as_u64(), j["edges"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(j["isolates"], serde_json::json!(["C"]));

    let ties = "source,target,weight\nA,B,1\nB,A,4\nB,C,5\nC,D,2\n";
    let j = ok(ties, None, &["--min-weight", "2"]);
    assert_eq!(j["edges"].as_u64(), Some(3));
    let j = ok(ties, None, &["--symmetrize", "mutual"]);
    assert_eq!(j["edges"].as_u64(), Some(2));
    assert_eq!(j["node_metrics"]["A"]["in_strength"].as_f64(), Some(1.0));
    let j = ok(ties, None, &["--symmetrize", "any"]);
    assert_eq!(j["edges"].as_u64(), Some(6));
    assert_eq!(j["node_metrics"]["A"]["in_strength"].as_f64(), Some(4.0));

    // Weight 1 when the column is absent; a node only in the node list is an
    // isolate; every attribute column has its E-I index, even an empty one.
    let j = ok(
        "source,target\nA,B\nB,C\n",
        Some("id,rol,escuela,nota\nA,director,e1,\nB,utp,e1,\nC,director,e2,\nD,utp,e2,\n"),
        &[],
    );
    assert_eq!(j["node_metrics"]["B"]["in_strength"].as_f64(), Some(1.0));
    assert_eq!(j["isolates"], serde_json::json!(["D"]));
    let ei = j["ei_index"]
        .as_object()
        .unwrap_or_else(|| panic!("ei_index"));
    assert_eq!(ei.len(), 3);
    assert_eq!(ei["rol"].as_f64(), Some(1.0));
    assert_eq!(ei["escuela"].as_f64(), Some(0.0));
    assert!(ei["nota"].is_null());
}

#[test]
fn unknown_format_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (run, out) = run_on(
        dir.path(),
        "source,target\nA,B\n",
        None,
        &["--format", "pdf"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!out.exists());
    let (run, _) = run_on(
        dir.path(),
        "source,target\nA,B\n",
        None,
        &["--min-weight", "NaN"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn help_shows_every_flag_with_an_example() {
    let run = trama(&["sna", "metrics", "--help"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let help = String::from_utf8_lossy(&run.stdout);
    for flag in [
        "--edges",
        "--nodes",
        "--min-weight",
        "--format",
        "--output",
        "--symmetrize",
        "--merge-duplicates",
        "--drop-self-loops",
        "--weighted",
        "--seed",
        "--threads",
        "trama sna metrics --edges",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
}
