//! GraphML (<http://graphml.graphdrawing.org/>), readable by
//! `nx.read_graphml`, yEd, Cytoscape and Gephi.

use std::io::{self, Write};

use trama_stdx::markup::escape;

use super::{Kind, NODE_METRICS, check_matches, metric_title, metric_values, reciprocated};
use crate::metrics::Report;
use crate::network::Network;

/// Writes `net` with its attributes (`string`), the node metrics of `report`
/// and, per edge, `weight` (`double`) and `reciprocated` (`boolean`).
/// Fails with `InvalidInput` if `report` was computed from another network.
pub fn write_graphml(net: &Network, report: &Report, out: &mut impl Write) -> io::Result<()> {
    check_matches(net, report)?;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for (i, a) in net.attributes().iter().enumerate() {
        writeln!(
            out,
            r#"  <key id="a{i}" for="node" attr.name="{}" attr.type="string"/>"#,
            escape(&a.name)
        )?;
    }
    for (i, (name, kind)) in NODE_METRICS.iter().enumerate() {
        let ty = match kind {
            Kind::Int => "int",
            Kind::Double => "double",
        };
        writeln!(
            out,
            r#"  <key id="m{i}" for="node" attr.name="{}" attr.type="{ty}"/>"#,
            escape(&metric_title(net, name))
        )?;
    }
    writeln!(
        out,
        r#"  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>"#
    )?;
    writeln!(
        out,
        r#"  <key id="reciprocated" for="edge" attr.name="reciprocated" attr.type="boolean"/>"#
    )?;
    writeln!(out, r#"  <graph id="G" edgedefault="directed">"#)?;
    for (v, (id, m)) in report.node_metrics.iter().enumerate() {
        writeln!(out, r#"    <node id="{}">"#, escape(id))?;
        for (i, a) in net.attributes().iter().enumerate() {
            if let Some(value) = &a.values[v] {
                writeln!(out, r#"      <data key="a{i}">{}</data>"#, escape(value))?;
            }
        }
        for (i, value) in metric_values(m).iter().enumerate() {
            writeln!(out, r#"      <data key="m{i}">{value}</data>"#)?;
        }
        writeln!(out, "    </node>")?;
    }
    let ids = net.ids();
    for (a, mutual) in net.arcs().iter().zip(reciprocated(net)) {
        writeln!(
            out,
            r#"    <edge source="{}" target="{}"><data key="weight">{}</data><data key="reciprocated">{mutual}</data></edge>"#,
            escape(&ids[a.source]),
            escape(&ids[a.target]),
            a.weight
        )?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")?;
    Ok(())
}
