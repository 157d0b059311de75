//! GraphML and GEXF files parse as XML, carry every node attribute, metric
//! and weight with the report's exact values, and survive hostile ids; CSV
//! lists reload into the same network.

use trama_sna::{
    LoadOptions, MetricOptions, Network, Report, load, metrics, write_edges_csv, write_gexf,
    write_graphml, write_nodes_csv,
};

const EDGES: &str =
    "source,target,weight\nA&B,\"x \"\"y\"\" <z>\",2.5\n\"x \"\"y\"\" <z>\",A&B,1\nA&B,C,3\n";
const NODES: &str = "id,role,school\nA&B,director,Escuela \"Ñandú\" & Co\n\"x \"\"y\"\" <z>\",utp,\nC,docente,E2\nD,supervisor,DEPROV\n";

fn sample() -> (Network, Report) {
    let net = load(
        "e.csv",
        EDGES.as_bytes(),
        Some(("n.csv", NODES.as_bytes())),
        &LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let report = metrics(&net, &MetricOptions::default());
    (net, report)
}

fn text(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = vec![];
    write(&mut out).unwrap_or_else(|e| panic!("{e}"));
    String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"))
}

fn parse(xml: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}\n{xml}"))
}

/// The text of a GraphML `<data key=..>` child.
fn data<'a>(node: &roxmltree::Node<'a, '_>, key: &str) -> Option<&'a str> {
    node.children()
        .find(|d| d.has_tag_name("data") && d.attribute("key") == Some(key))
        .and_then(|d| d.text())
}

/// The value of a GEXF `<attvalue for=..>` below `node`.
fn value<'a>(node: &roxmltree::Node<'a, '_>, attr: &str) -> Option<&'a str> {
    node.descendants()
        .find(|v| v.has_tag_name("attvalue") && v.attribute("for") == Some(attr))
        .and_then(|v| v.attribute("value"))
}

fn number(s: Option<&str>) -> f64 {
    s.and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)
}

#[test]
fn graphml_carries_attributes_metrics_and_weights() {
    let (net, report) = sample();
    let xml = text(|o| write_graphml(&net, &report, o));
    let doc = parse(&xml);
    let root = doc.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://graphml.graphdrawing.org/xmlns")
    );
    let key_of = |name: &str| {
        root.children()
            .find(|k| k.has_tag_name("key") && k.attribute("attr.name") == Some(name))
            .and_then(|k| k.attribute("id"))
            .unwrap_or_else(|| panic!("no key {name}"))
    };
    let graph = root
        .children()
        .find(|n| n.has_tag_name("graph"))
        .unwrap_or_else(|| panic!("no graph"));
    assert_eq!(graph.attribute("edgedefault"), Some("directed"));
    let nodes: Vec<_> = graph
        .children()
        .filter(|n| n.has_tag_name("node"))
        .collect();
    let ids: Vec<_> = nodes.iter().filter_map(|n| n.attribute("id")).collect();
    assert_eq!(ids, ["A&B", "x \"y\" <z>", "C", "D"]);
    assert_eq!(
        data(&nodes[0], key_of("school")),
        Some("Escuela \"Ñandú\" & Co")
    );
    assert_eq!(data(&nodes[1], key_of("school")), None);
    for (node, (_, m)) in nodes.iter().zip(report.node_metrics.iter()) {
        assert_eq!(number(data(node, key_of("betweenness"))), m.betweenness);
        assert_eq!(number(data(node, key_of("pagerank"))), m.pagerank);
        assert_eq!(number(data(node, key_of("closeness"))), m.closeness);
        assert_eq!(number(data(node, key_of("in_degree"))), m.in_degree as f64);
        assert_eq!(number(data(node, key_of("community"))), m.community as f64);
    }
    let edges: Vec<_> = graph
        .children()
        .filter(|n| n.has_tag_name("edge"))
        .collect();
    assert_eq!(edges.len(), 3);
    assert_eq!(edges[0].attribute("target"), Some("x \"y\" <z>"));
    assert_eq!(number(data(&edges[0], "weight")), 2.5);
    assert_eq!(data(&edges[0], "reciprocated"), Some("true"));
    assert_eq!(data(&edges[2], "reciprocated"), Some("false"));
}

#[test]
fn gexf_1_3_for_gephi() {
    let (net, report) = sample();
    let xml = text(|o| write_gexf(&net, &report, o));
    let doc = parse(&xml);
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some("http://gexf.net/1.3"));
    assert_eq!(root.attribute("version"), Some("1.3"));
    let graph = root
        .children()
        .find(|n| n.has_tag_name("graph"))
        .unwrap_or_else(|| panic!("no graph"));
    assert_eq!(graph.attribute("defaultedgetype"), Some("directed"));
    let declared: Vec<(&str, &str, &str)> = graph
        .descendants()
        .filter(|n| n.has_tag_name("attribute"))
        .filter_map(|a| {
            Some((
                a.attribute("id")?,
                a.attribute("title")?,
                a.attribute("type")?,
            ))
        })
        .collect();
    let id_of = |title: &str| {
        declared
            .iter()
            .find(|d| d.1 == title)
            .map(|d| d.0)
            .unwrap_or_else(|| panic!("no attribute {title}"))
    };
    assert!(declared.contains(&(id_of("role"), "role", "string")));
    assert!(declared.contains(&(id_of("betweenness"), "betweenness", "double")));
    assert!(declared.contains(&(id_of("in_degree"), "in_degree", "integer")));
    let nodes: Vec<_> = graph
        .descendants()
        .filter(|n| n.has_tag_name("node"))
        .collect();
    assert_eq!(nodes.len(), 4);
    assert_eq!(nodes[1].attribute("label"), Some("x \"y\" <z>"));
    // Every attvalue refers to a declared attribute.
    for v in graph.descendants().filter(|n| n.has_tag_name("attvalue")) {
        let target = v.attribute("for").unwrap_or_default();
        assert!(
            declared.iter().any(|d| d.0 == target),
            "undeclared {target}"
        );
    }
    assert_eq!(
        value(&nodes[0], id_of("school")),
        Some("Escuela \"Ñandú\" & Co")
    );
    for (node, (_, m)) in nodes.iter().zip(report.node_metrics.iter()) {
        assert_eq!(number(value(node, id_of("harmonic"))), m.harmonic);
        assert_eq!(number(value(node, id_of("pagerank"))), m.pagerank);
        assert_eq!(number(value(node, id_of("out_strength"))), m.out_strength);
    }
    let edges: Vec<_> = graph
        .descendants()
        .filter(|n| n.has_tag_name("edge"))
        .collect();
    let weights: Vec<f64> = edges
        .iter()
        .map(|e| number(e.attribute("weight")))
        .collect();
    assert_eq!(weights, [2.5, 1.0, 3.0]);
    let edge_ids: std::collections::HashSet<_> =
        edges.iter().filter_map(|e| e.attribute("id")).collect();
    assert_eq!(edge_ids.len(), 3);
}

#[test]
fn a_user_attribute_named_like_a_metric_keeps_its_name() {
    let net = load(
        "e.csv",
        b"source,target\nA,B\n",
        Some(("n.csv", b"id,pagerank\nA,alto\nB,bajo\n")),
        &LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let report = metrics(&net, &MetricOptions::default());
    let xml = text(|o| write_gexf(&net, &report, o));
    let doc = parse(&xml);
    let titles: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("attribute"))
        .filter_map(|a| a.attribute("title"))
        .collect();
    assert!(titles.contains(&"pagerank") && titles.contains(&"pagerank_sna"));
}

#[test]
fn a_report_from_another_network_is_refused() {
    let (net, _) = sample();
    let other = load(
        "o.csv",
        b"source,target\nP,Q\n",
        None,
        &LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let report = metrics(&other, &MetricOptions::default());
    let err = write_graphml(&net, &report, &mut vec![])
        .err()
        .map(|e| e.kind());
    assert_eq!(err, Some(std::io::ErrorKind::InvalidInput));
    let err = write_gexf(&net, &report, &mut vec![])
        .err()
        .map(|e| e.kind());
    assert_eq!(err, Some(std::io::ErrorKind::InvalidInput));
}

#[test]
fn csv_lists_round_trip_through_load() {
    let (net, report) = sample();
    let edges = text(|o| write_edges_csv(&net, o));
    let nodes = text(|o| write_nodes_csv(&net, &report, o));
    assert!(nodes.starts_with("id,role,school,in_degree,out_degree,in_strength,"));
    // Reloading keeps people, ties and weights; metric columns come back as
    // attributes, which is what a spreadsheet user would expect.
    let again = load(
        "e2.csv",
        edges.as_bytes(),
        Some(("n2.csv", nodes.as_bytes())),
        &LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e:?}\n{edges}\n{nodes}"));
    assert_eq!(again.ids(), net.ids());
    assert_eq!(again.arcs(), net.arcs());
    let pagerank = again
        .attributes()
        .iter()
        .find(|a| a.name == "pagerank")
        .unwrap_or_else(|| panic!("no pagerank column"));
    for (v, (_, m)) in report.node_metrics.iter().enumerate() {
        assert_eq!(
            pagerank.values[v].as_deref().and_then(|p| p.parse().ok()),
            Some(m.pagerank)
        );
    }
}

#[test]
fn csv_lists_cannot_run_as_formulas_and_still_round_trip() {
    // Ids and attributes come from people's files and the registry: a
    // spreadsheet opening the network map's nodes.csv or edges.csv must
    // show them, not run them.
    let hostile = [
        "=HYPERLINK(\"http://x\",\"y\")",
        "+1+1",
        "@SUM(A1)",
        "-2+3",
        "\tx",
        // Not "\rx": trimmed on reading, it would be the same id as "\tx".
        "\ry",
    ];
    let mut b = Network::builder();
    for (i, h) in hostile.iter().enumerate() {
        b.arc(h, &format!("n{i}"), 2.0)
            .unwrap_or_else(|e| panic!("{e}"));
        b.attribute(h, "grupo", Some((*h).to_owned()));
        b.attribute(&format!("n{i}"), "grupo", Some("-3".to_owned()));
    }
    let net = b.build();
    let report = metrics(&net, &MetricOptions::default());
    // Each hostile id as the file spells it: the quote, then CSV quoting
    // where the value needs it.
    let spelled = [
        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
        "'+1+1",
        "'@SUM(A1)",
        "'-2+3",
        "'\tx",
        "\"'\ry\"",
    ];
    let written_edges = text(|o| write_edges_csv(&net, o));
    let mut want = String::from("source,target,weight\n");
    for (i, s) in spelled.iter().enumerate() {
        want.push_str(&format!("{s},n{i},2\n"));
    }
    assert_eq!(written_edges, want);
    let written_nodes = text(|o| write_nodes_csv(&net, &report, o));
    for (i, s) in spelled.iter().enumerate() {
        assert!(
            written_nodes.contains(&format!("\n{s},{s},")),
            "{s} in {written_nodes}"
        );
        assert!(
            written_nodes.contains(&format!("\nn{i},-3,")),
            "a plain number keeps its sign: {written_nodes}"
        );
    }
    // The reader takes the quotes off again (and trims, as it always has:
    // a leading tab or CR does not survive any CSV the loader reads).
    let again = load(
        "e2.csv",
        written_edges.as_bytes(),
        Some(("n2.csv", written_nodes.as_bytes())),
        &LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let trimmed: Vec<&str> = net.ids().iter().map(|id| id.trim()).collect();
    assert_eq!(again.ids(), trimmed);
}
