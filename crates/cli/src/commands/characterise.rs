//! `trama characterise`: a network's process typology, its place on the
//! collaboration continuum with every rule that decided it, the Tetraedro
//! faces its ties can tell, and its system leaders — from files, no
//! database, so researchers can check the rules on their own data.

use std::path::PathBuf;

use trama_characterise::{Rules, TypologyOptions, characterise, input, profile, tetraedro};
use trama_i18n::{Lang, t};

use super::report::{read_file, write_output};
use crate::exit::{CliResult, Failure};

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Edges: `source,target,weight[,foci]` (weight = collaboration level 0–5, foci separated by `;`).\nNodes: `id,school,role[,responded]`. Sessions: one row per session with a `foci` column.\n\nExample:\n  trama characterise --edges lazos.csv --nodes personas.csv --sessions sesiones.csv --format json -o red.json"
)]
pub struct Args {
    /// Ties: `source,target,weight[,foci]`.
    #[arg(long, value_name = "E.csv")]
    edges: PathBuf,
    /// Members: `id,school,role[,responded]`.
    #[arg(long, value_name = "N.csv")]
    nodes: PathBuf,
    /// The network's sessions, each with the foci it worked.
    #[arg(long, value_name = "S.csv")]
    sessions: Option<PathBuf>,
    /// The instrument (XLSForm or its survey sheet as CSV) of `--responses`.
    #[arg(long, value_name = "I", requires = "responses")]
    instrument: Option<PathBuf>,
    /// The network's questionnaire responses, as `trama report likert` reads
    /// them: agreement with Colaboración, Co-responsabilidad, Confianza,
    /// Horizontalidad and Generación de conocimiento, unless fewer than
    /// `--min-group` answered.
    #[arg(long, value_name = "R", requires = "instrument")]
    responses: Option<PathBuf>,
    /// Anonymity threshold for the questionnaire's figures.
    #[arg(long, default_value_t = 5, value_name = "K", value_parser = clap::value_parser!(u64).range(1..))]
    min_group: u64,
    /// Ties below this collaboration level do not count.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(0..=5))]
    min_level: u8,
    /// Share at or above which a focus is an emphasis.
    #[arg(long, default_value_t = 0.4)]
    emphasis: f64,
    /// Continuum rules (TOML) instead of the shipped ones.
    #[arg(long, value_name = "RULES.toml")]
    rules: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Write here instead of standard output.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum Format {
    Json,
}

/// The continuum's rules from a file, or the shipped ones.
pub(crate) fn read_rules(lang: Lang, path: Option<&PathBuf>) -> Result<Rules, Failure> {
    let Some(p) = path else {
        return Ok(Rules::defaults());
    };
    let (name, bytes) = read_file(lang, p)?;
    Rules::parse(&String::from_utf8_lossy(&bytes)).map_err(|e| {
        Failure::input(vec![t!(
            lang,
            "characterise-rules-invalid",
            file = name,
            detail = e.to_string()
        )])
    })
}

/// What the questionnaire says, when responses were given.
#[derive(Default)]
struct Asked {
    colaboracion: Option<f64>,
    corresponsabilidad: Option<f64>,
    agreement: tetraedro::Agreement,
    respondents: Option<u64>,
}

/// Agreement (%) per sub-dimension over every response in the file, as
/// `report likert` pools it; nothing when fewer than K answered.
fn questionnaire(args: &Args, lang: Lang) -> Result<Asked, Failure> {
    let (Some(instrument), Some(responses)) = (&args.instrument, &args.responses) else {
        return Ok(Asked::default());
    };
    let inputs = super::report::Inputs {
        instrument: instrument.clone(),
        responses: responses.clone(),
    };
    let (design, table) = super::report::load(lang, &inputs)?;
    let report = trama_results::likert::report(
        &design,
        &table,
        &trama_results::likert::Options {
            by: None,
            level: Some(trama_results::Level::Subdimension),
            min_group: args.min_group,
            exclude_na: false,
            lang,
        },
    );
    let Some(all) = report.groups.first() else {
        return Ok(Asked::default());
    };
    let get = |code: &str| {
        all.rows
            .iter()
            .find(|r| r.code == code && !r.suppressed)
            .and_then(|r| r.agree)
    };
    Ok(Asked {
        colaboracion: get("colaboracion"),
        corresponsabilidad: get("corresponsabilidad"),
        agreement: tetraedro::Agreement {
            confianza: get("confianza"),
            horizontalidad: get("horizontalidad"),
            corresponsabilidad: get("corresponsabilidad"),
            generacion_conocimiento: get("generacion_conocimiento"),
            suppressed: all.suppressed,
        },
        respondents: Some(all.n_respondents),
    })
}

pub fn run(args: Args, lang: Lang) -> CliResult {
    let rules = read_rules(lang, args.rules.as_ref())?;
    let edges = read_file(lang, &args.edges)?;
    let nodes = read_file(lang, &args.nodes)?;
    let sessions = args
        .sessions
        .as_ref()
        .map(|p| read_file(lang, p))
        .transpose()?;
    // Every file's problems at once, then nothing is computed.
    let mut problems = vec![];
    let ties = input::read_ties(&edges.0, &edges.1).map_err(|e| problems.extend(e));
    let members = input::read_members(&nodes.0, &nodes.1).map_err(|e| problems.extend(e));
    let logged = match &sessions {
        Some((name, bytes)) => input::read_sessions(name, bytes).map_err(|e| problems.extend(e)),
        None => Ok(vec![]),
    };
    let (Ok(ties), Ok(members), Ok(logged)) = (ties, members, logged) else {
        return Err(Failure::input(trama_tabular::report::lines(
            &problems, lang,
        )));
    };
    let opts = TypologyOptions {
        min_level: args.min_level,
        threshold: args.emphasis,
    };
    let asked = questionnaire(&args, lang)?;
    let c = characterise(
        &members,
        &ties,
        &logged,
        (asked.colaboracion, asked.corresponsabilidad),
        &opts,
        &rules,
    );
    let (faces, leaders) = profile::profile(&members, &ties, args.min_level);
    let json = serde_json::json!({
        "continuum": c.continuum,
        "typology": {
            "ties": c.typology.ties,
            "sessions": sessions.is_some().then_some(&c.typology.sessions),
            "combined": c.typology.combined,
            "emphasis": c.typology.emphasis,
            "types": c.typology.types,
            "dominant": c.typology.dominant,
            "threshold": c.typology.threshold,
        },
        "tetraedro": {
            "organizacion": faces.organizacion,
            "caracteristicas": faces.caracteristicas,
            "funcionales": {
                "sessions": sessions.is_some().then_some(logged.len()),
                "types": c.typology.types,
            },
            "sustento": {
                "depth": faces.depth,
                "distributed_leadership": faces.caracteristicas.degree_centralization.map(|x| 1.0 - x),
                "trust": asked.agreement.confianza,
                "horizontality": asked.agreement.horizontalidad,
                "co_responsibility": asked.agreement.corresponsabilidad,
                "knowledge": asked.agreement.generacion_conocimiento,
                "respondents": asked.respondents,
                "suppressed": asked.agreement.suppressed,
            },
        },
        "system_leaders": leaders,
    });
    let Format::Json = args.format;
    let mut out = serde_json::to_vec_pretty(&json).map_err(|e| Failure::env(e.to_string()))?;
    out.push(b'\n');
    write_output(&args.output, &out)
}
