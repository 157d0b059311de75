//! A map's network as a file, at the level the page shows it.

use trama_domain::policy::Actor;
use trama_i18n::Lang;

use super::{MapQuery, Resolved, Wave, resolve, waves};
use crate::{App, Error, Result};

/// The files a network comes in. The drawings (`svg`, `png`) are the
/// adapter's: it draws them from [`drawing`]'s waves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Gexf,
    Graphml,
    EdgesCsv,
    NodesCsv,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "gexf" => Format::Gexf,
            "graphml" => Format::Graphml,
            "edges.csv" => Format::EdgesCsv,
            "nodes.csv" => Format::NodesCsv,
            _ => return None,
        })
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Gexf => "gexf",
            Format::Graphml => "graphml",
            Format::EdgesCsv => "edges.csv",
            Format::NodesCsv => "nodes.csv",
        }
    }
}

/// What a file holds: a table (for the adapter's CSV writer, which guards
/// every cell against formulas: node labels are names) or a document.
pub enum Contents {
    Rows(Vec<Vec<String>>),
    Document {
        content_type: &'static str,
        bytes: Vec<u8>,
    },
}

pub struct MapFile {
    pub file_name: String,
    pub contents: Contents,
}

/// Named after the network, the wave and the level of detail.
pub fn file_name(r: &Resolved, extension: &str) -> String {
    format!(
        "{}-{}-{}.{extension}",
        r.code.as_str(),
        r.campaign.code,
        r.view.as_str()
    )
}

async fn audited(app: &App, actor: &Actor, r: &Resolved, extension: &str) -> Result<()> {
    let detail = format!(
        "{} {} {} {extension}",
        r.code.as_str(),
        r.campaign.code,
        r.view.as_str()
    );
    app.audit(actor, "map.export", &detail).await
}

pub async fn file(
    app: &App,
    actor: &Actor,
    code: &str,
    format: Option<Format>,
    q: &MapQuery,
    lang: Lang,
) -> Result<MapFile> {
    // Who may see the map first: a format that does not exist is no reason
    // to tell a stranger the network has one.
    let r = resolve(app, actor, code, q).await?;
    let format = format.ok_or(Error::NotFound)?;
    let w = super::wave::wave(app, &r, &r.campaign, lang).await?;
    let report = &w.summary.report;
    let mut out = vec![];
    let io = |e: std::io::Error| Error::Internal(e.to_string());
    let document = |content_type, bytes| Contents::Document {
        content_type,
        bytes,
    };
    let contents = match format {
        Format::Gexf => {
            trama_sna::write_gexf(&w.net, report, &mut out).map_err(io)?;
            document("application/gexf+xml", out)
        }
        Format::Graphml => {
            trama_sna::write_graphml(&w.net, report, &mut out).map_err(io)?;
            document("application/graphml+xml", out)
        }
        Format::EdgesCsv => {
            trama_sna::write_edges_csv(&w.net, &mut out).map_err(io)?;
            Contents::Rows(rows(&out)?)
        }
        Format::NodesCsv => {
            trama_sna::write_nodes_csv(&w.net, report, &mut out).map_err(io)?;
            Contents::Rows(rows(&out)?)
        }
    };
    audited(app, actor, &r, format.extension()).await?;
    Ok(MapFile {
        file_name: file_name(&r, format.extension()),
        contents,
    })
}

/// The waves a drawing of the map is made from, for a download.
pub async fn drawing(
    app: &App,
    actor: &Actor,
    code: &str,
    q: &MapQuery,
    extension: &str,
    lang: Lang,
) -> Result<(Resolved, Wave, Option<Wave>)> {
    let r = resolve(app, actor, code, q).await?;
    let (now, before) = waves(app, &r, lang).await?;
    audited(app, actor, &r, extension).await?;
    Ok((r, now, before))
}

/// The records of a CSV the network library wrote.
fn rows(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| {
            r.map(|r| r.iter().map(str::to_owned).collect())
                .map_err(|e| Error::Internal(e.to_string()))
        })
        .collect()
}
