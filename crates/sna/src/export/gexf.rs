//! GEXF 1.3 (<https://gexf.net/>), Gephi's own format: opened with
//! File › Open, the nodes come with their attributes and metrics ready for
//! colouring and sizing, and edges with their weights.

use std::io::{self, Write};

use trama_stdx::markup::escape;

use super::{Kind, NODE_METRICS, check_matches, metric_title, metric_values, reciprocated};
use crate::metrics::Report;
use crate::network::Network;

/// Writes `net` as a directed, static GEXF 1.3 graph: node attributes
/// (`string`), the node metrics of `report` (`integer`/`double`), edge
/// `weight` and a `reciprocated` edge attribute. Node labels are the ids.
/// Fails with `InvalidInput` if `report` was computed from another network.
pub fn write_gexf(net: &Network, report: &Report, out: &mut impl Write) -> io::Result<()> {
    check_matches(net, report)?;
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#
    )?;
    writeln!(out, "  <meta>")?;
    writeln!(out, "    <creator>Trama</creator>")?;
    writeln!(out, "  </meta>")?;
    writeln!(out, r#"  <graph mode="static" defaultedgetype="directed">"#)?;
    writeln!(out, r#"    <attributes class="node" mode="static">"#)?;
    for (i, a) in net.attributes().iter().enumerate() {
        writeln!(
            out,
            r#"      <attribute id="a{i}" title="{}" type="string"/>"#,
            escape(&a.name)
        )?;
    }
    for (i, (name, kind)) in NODE_METRICS.iter().enumerate() {
        let ty = match kind {
            Kind::Int => "integer",
            Kind::Double => "double",
        };
        writeln!(
            out,
            r#"      <attribute id="m{i}" title="{}" type="{ty}"/>"#,
            escape(&metric_title(net, name))
        )?;
    }
    writeln!(out, "    </attributes>")?;
    writeln!(out, r#"    <attributes class="edge" mode="static">"#)?;
    writeln!(
        out,
        r#"      <attribute id="reciprocated" title="reciprocated" type="boolean"/>"#
    )?;
    writeln!(out, "    </attributes>")?;
    writeln!(out, "    <nodes>")?;
    for (v, (id, m)) in report.node_metrics.iter().enumerate() {
        let id = escape(id);
        writeln!(out, r#"      <node id="{id}" label="{id}">"#)?;
        writeln!(out, "        <attvalues>")?;
        for (i, a) in net.attributes().iter().enumerate() {
            if let Some(value) = &a.values[v] {
                writeln!(
                    out,
                    r#"          <attvalue for="a{i}" value="{}"/>"#,
                    escape(value)
                )?;
            }
        }
        for (i, value) in metric_values(m).iter().enumerate() {
            writeln!(out, r#"          <attvalue for="m{i}" value="{value}"/>"#)?;
        }
        writeln!(out, "        </attvalues>")?;
        writeln!(out, "      </node>")?;
    }
    writeln!(out, "    </nodes>")?;
    writeln!(out, "    <edges>")?;
    let ids = net.ids();
    for (e, (a, mutual)) in net.arcs().iter().zip(reciprocated(net)).enumerate() {
        writeln!(
            out,
            r#"      <edge id="{e}" source="{}" target="{}" weight="{}"><attvalues><attvalue for="reciprocated" value="{mutual}"/></attvalues></edge>"#,
            escape(&ids[a.source]),
            escape(&ids[a.target]),
            a.weight
        )?;
    }
    writeln!(out, "    </edges>")?;
    writeln!(out, "  </graph>")?;
    writeln!(out, "</gexf>")?;
    Ok(())
}
