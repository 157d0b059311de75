//! A profile in one language, formatted once: the page draws it and the
//! ficha PDF typesets it, so both show the same figures.

use trama_characterise::focus::{Focus, ProcessType};
use trama_characterise::picture::{self, Shape, Style};
use trama_characterise::tetraedro::{FaceKey, Indicator, Source, Unit};
use trama_characterise::{Level, typology::Shares};
use trama_i18n::number::{decimal, percent, share};
use trama_i18n::{Lang, message};

use super::Characterising;
use super::profile::Profile;

/// One rule of the continuum as evaluated.
pub struct RuleRow {
    pub level: String,
    pub text: String,
    pub metric: String,
    pub value: String,
    pub threshold: String,
    pub holds: String,
    /// `holds`, `fails` or `unknown`.
    pub outcome: &'static str,
}

pub struct FocusRow {
    pub name: String,
    pub process: String,
    pub ties: String,
    pub sessions: String,
    pub combined: String,
    pub emphasis: bool,
}

pub struct IndicatorRow {
    pub face: String,
    pub name: String,
    pub source: String,
    pub value: String,
    pub region: String,
    pub nation: String,
    pub previous: String,
}

pub struct LeaderRow {
    pub name: String,
    pub role: String,
    pub school: String,
    pub schools: usize,
    pub betweenness: String,
}

pub struct ProfileView {
    pub code: String,
    pub name: String,
    pub campaign_code: String,
    pub campaign_name: String,
    pub year: i32,
    pub level: String,
    pub level_code: &'static str,
    /// Empty when the placement is not provisional.
    pub provisional: String,
    pub previous_level: String,
    pub dominant: String,
    pub types: String,
    pub rules: Vec<RuleRow>,
    pub typology_intro: String,
    pub has_typology: bool,
    pub foci: Vec<FocusRow>,
    /// The Tetraedro's picture (SVG).
    pub picture: String,
    pub face_scores: Vec<(String, String)>,
    pub indicators: Vec<IndicatorRow>,
    /// (campaign, level, provisional), oldest first.
    pub trajectory: Vec<(String, String, bool)>,
    pub leaders: Option<Vec<LeaderRow>>,
}

fn t(lang: Lang, id: &str) -> String {
    message(lang, id, None)
}

/// The translation of a stored code, or the code itself.
fn label(lang: Lang, prefix: &str, code: &str) -> String {
    let id = format!("{prefix}-{code}");
    if trama_i18n::has_message(lang, &id) {
        t(lang, &id)
    } else {
        code.to_owned()
    }
}

pub fn level_label(lang: Lang, level: Level) -> String {
    t(lang, &format!("char-level-{}", level.code()))
}

pub fn type_label(lang: Lang, p: ProcessType) -> String {
    t(lang, &format!("instrument-process-{}", p.code()))
}

/// A value as its unit reads.
fn shown(unit: Unit, v: Option<f64>, lang: Lang) -> String {
    match unit {
        Unit::Share | Unit::InverseShare => share(v, lang),
        Unit::Percent => percent(v, lang),
        Unit::Count => match v {
            Some(x) if x.fract() == 0.0 => format!("{x:.0}"),
            other => decimal(other, 1, lang),
        },
    }
}

fn source_id(s: Source) -> &'static str {
    match s {
        Source::Registry => "char-source-registry",
        Source::Roster => "char-source-roster",
        Source::Questionnaire => "char-source-questionnaire",
        Source::Plan => "char-source-plan",
        Source::Sessions => "char-source-sessions",
    }
}

fn indicator_row(lang: Lang, face: &str, i: &Indicator, k: u64) -> IndicatorRow {
    IndicatorRow {
        face: face.to_owned(),
        name: t(lang, &format!("tetraedro-{}", i.key)),
        source: t(lang, source_id(i.source)),
        value: if i.suppressed {
            trama_i18n::t!(lang, "char-suppressed", k = k as i64)
        } else {
            shown(i.unit, i.value, lang)
        },
        region: shown(i.unit, i.region, lang),
        nation: shown(i.unit, i.nation, lang),
        previous: shown(i.unit, i.previous, lang),
    }
}

fn rule_text(lang: Lang, rule: &str, why: &str) -> String {
    let id = format!("char-rule-{rule}");
    if trama_i18n::has_message(lang, &id) {
        t(lang, &id)
    } else {
        why.to_owned()
    }
}

fn face_name(lang: Lang, k: FaceKey) -> String {
    t(lang, &format!("char-face-{}", k.code()))
}

/// The profile in `lang`; `k` is the anonymity threshold named beside a
/// suppressed figure.
pub fn view(p: &Profile, lang: Lang, k: u64, how: &Characterising) -> ProfileView {
    let c = &p.measured.characterisation;
    let ty = &c.typology;
    let tetra = &p.measured.tetraedro;
    let region = tetra.reference(|i| i.region);
    let nation = tetra.reference(|i| i.nation);
    let code = p.network.code.as_str().to_owned();
    let faces: Vec<(FaceKey, String)> = FaceKey::ALL
        .iter()
        .map(|k| (*k, face_name(lang, *k)))
        .collect();
    let picture = picture::draw(
        &t(lang, "char-tetraedro"),
        &faces,
        &[
            Shape {
                profile: &nation,
                style: Style::Nation,
                name: t(lang, "char-nation"),
            },
            Shape {
                profile: &region,
                style: Style::Region,
                name: t(lang, "char-region"),
            },
            Shape {
                profile: tetra,
                style: Style::Network,
                name: code.clone(),
            },
        ],
    );
    let get = |s: &Option<Shares>, f: Focus| {
        share(s.as_ref().and_then(|x| x.get(f.code()).copied()), lang)
    };
    ProfileView {
        name: p.network.name.clone(),
        campaign_code: p.campaign.code.clone(),
        campaign_name: p.campaign.name.clone(),
        year: p.campaign.year,
        level: level_label(lang, c.continuum.level),
        level_code: c.continuum.level.code(),
        provisional: if c.continuum.provisional {
            trama_i18n::t!(
                lang,
                "char-provisional",
                pct = share(c.continuum.response_rate, lang),
                min = share(Some(how.rules.provisional_below), lang)
            )
        } else {
            String::new()
        },
        previous_level: p
            .previous_level
            .map(|l| trama_i18n::t!(lang, "char-previous", level = level_label(lang, l)))
            .unwrap_or_default(),
        dominant: ty
            .dominant
            .map(|d| type_label(lang, d))
            .unwrap_or_else(|| "—".into()),
        types: ty
            .types
            .iter()
            .map(|x| type_label(lang, *x))
            .collect::<Vec<_>>()
            .join(", "),
        rules: c
            .continuum
            .rules
            .iter()
            .map(|r| RuleRow {
                level: level_label(lang, r.level),
                text: rule_text(lang, &r.rule, &r.why),
                metric: if r.optional {
                    format!(
                        "{} {}",
                        label(lang, "char-metric", &r.metric),
                        t(lang, "char-rule-optional")
                    )
                } else {
                    label(lang, "char-metric", &r.metric)
                },
                value: decimal(r.value, 2, lang),
                threshold: format!("{} {}", r.op.symbol(), decimal(Some(r.threshold), 2, lang)),
                holds: t(
                    lang,
                    match r.holds {
                        Some(true) => "char-rule-yes",
                        Some(false) => "char-rule-no",
                        None => "char-rule-not-evaluated",
                    },
                ),
                outcome: match r.holds {
                    Some(true) => "holds",
                    Some(false) => "fails",
                    None => "unknown",
                },
            })
            .collect(),
        typology_intro: trama_i18n::t!(
            lang,
            "char-typology-intro",
            level = i64::from(how.options.min_level),
            threshold = share(Some(ty.threshold), lang)
        ),
        has_typology: ty.combined.is_some(),
        foci: Focus::ALL
            .iter()
            .map(|f| FocusRow {
                name: t(lang, &format!("instrument-focus-{}", f.code())),
                process: type_label(lang, f.process_type()),
                ties: get(&ty.ties, *f),
                sessions: get(&ty.sessions, *f),
                combined: get(&ty.combined, *f),
                emphasis: ty.emphasis.contains(f),
            })
            .collect(),
        picture,
        face_scores: tetra
            .faces
            .iter()
            .map(|f| (face_name(lang, f.key), decimal(f.score, 2, lang)))
            .collect(),
        indicators: tetra
            .faces
            .iter()
            .flat_map(|f| {
                let face = face_name(lang, f.key);
                f.indicators
                    .iter()
                    .map(move |i| indicator_row(lang, &face, i, k))
            })
            .collect(),
        trajectory: p
            .trajectory
            .iter()
            .map(|x| {
                (
                    format!("{} ({})", x.campaign, x.year),
                    level_label(lang, x.level),
                    x.provisional,
                )
            })
            .collect(),
        leaders: p.leaders.as_ref().map(|ls| {
            ls.iter()
                .map(|l| LeaderRow {
                    name: l.name.clone(),
                    role: label(lang, "role", &l.role),
                    school: l.school.clone(),
                    schools: l.schools_reached,
                    betweenness: decimal(Some(l.betweenness), 2, lang),
                })
                .collect()
        }),
        code,
    }
}
