//! CSV node and edge lists: the same shape `load` reads, so a filtered or
//! symmetrized network can be saved and reloaded, plus every node metric
//! for spreadsheets.
//!
//! Ids and attributes come from people's files, so every cell goes through
//! [`neutralise`] (a `'` before what a spreadsheet would run as a formula);
//! `load` reads through trama-tabular, which takes it off again, and the
//! metrics are plain numbers, which it leaves alone.

use std::io::{self, Write};

use trama_stdx::csv::neutralise;

use super::{NODE_METRICS, check_matches, metric_title, metric_values};
use crate::metrics::Report;
use crate::network::Network;

/// `id`, the node attributes, then every node metric of `report`, one row
/// per node in network order. Fails with `InvalidInput` if `report` was
/// computed from another network.
pub fn write_nodes_csv(net: &Network, report: &Report, out: &mut impl Write) -> io::Result<()> {
    check_matches(net, report)?;
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<String> = vec!["id".to_owned()];
    header.extend(net.attributes().iter().map(|a| a.name.clone()));
    header.extend(NODE_METRICS.iter().map(|(name, _)| metric_title(net, name)));
    write_neutralised(&mut w, &header)?;
    for (v, (id, m)) in report.node_metrics.iter().enumerate() {
        let mut row: Vec<String> = vec![id.to_owned()];
        row.extend(
            net.attributes()
                .iter()
                .map(|a| a.values[v].clone().unwrap_or_default()),
        );
        row.extend(metric_values(m));
        write_neutralised(&mut w, &row)?;
    }
    w.flush()
}

fn write_neutralised<W: Write>(
    w: &mut csv::Writer<W>,
    cells: &[impl AsRef<str>],
) -> io::Result<()> {
    for cell in cells {
        w.write_field(neutralise(cell.as_ref()).as_bytes())?;
    }
    w.write_record(None::<&[u8]>)?;
    Ok(())
}

/// `source,target,weight`, one row per arc.
pub fn write_edges_csv(net: &Network, out: &mut impl Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["source", "target", "weight"])?;
    let ids = net.ids();
    for a in net.arcs() {
        write_neutralised(
            &mut w,
            &[&ids[a.source], &ids[a.target], &a.weight.to_string()],
        )?;
    }
    w.flush()
}
