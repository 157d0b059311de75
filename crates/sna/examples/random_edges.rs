//! Writes `random_network(n, m, seed)` as an edge list and a node list, for
//! feeding the same graph to NetworkX or igraph.
//!
//! `cargo run -p trama-sna --example random_edges -- N M SEED EDGES.csv NODES.csv`

use std::process::ExitCode;

use trama_sna::{edge_list_csv, random_network};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [n, m, seed, edges, nodes] = args.as_slice() else {
        eprintln!("usage: random_edges N M SEED EDGES.csv NODES.csv");
        return ExitCode::from(2);
    };
    let (Ok(n), Ok(m), Ok(seed)) = (n.parse(), m.parse(), seed.parse()) else {
        eprintln!("N, M and SEED must be whole numbers");
        return ExitCode::from(2);
    };
    let net = random_network(n, m, seed);
    let mut node_csv = String::from("id,role,school\n");
    for (v, id) in net.ids().iter().enumerate() {
        let value = |a: usize| net.attributes()[a].values[v].clone().unwrap_or_default();
        node_csv.push_str(&format!("{id},{},{}\n", value(0), value(1)));
    }
    let written =
        std::fs::write(edges, edge_list_csv(&net)).and_then(|()| std::fs::write(nodes, node_csv));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
