//! The "ficha de red": a network's profile as a PDF, typeset by
//! `trama-pdf` from the same [`ProfileView`] the page draws; and the
//! profile's sections for the network's results report.

use trama_domain::policy::Actor;
use trama_i18n::{Lang, message};
use trama_pdf::{ReportDoc, Section, Table};

use super::profile::profile;
use super::view::{ProfileView, view};
use crate::registry::networks::NetworkRef;
use crate::{App, Result};

fn t(lang: Lang, id: &str) -> String {
    message(lang, id, None)
}

/// The profile's sections: why the level, the typology, the Tetraedro, and
/// (for those who may see people) the system leaders.
pub fn sections(v: &ProfileView, lang: Lang) -> Vec<Section> {
    let mut out = vec![
        Section {
            title: format!("{}: {}", t(lang, "char-rules"), v.level),
            svg: String::new(),
            table: Table {
                head: [
                    "char-level",
                    "char-rule",
                    "char-rule-value",
                    "char-rule-threshold",
                    "char-rule-holds",
                ]
                .iter()
                .map(|h| t(lang, h))
                .collect(),
                rows: v
                    .rules
                    .iter()
                    .map(|r| {
                        vec![
                            r.level.clone(),
                            format!("{} ({})", r.text, r.metric),
                            r.value.clone(),
                            r.threshold.clone(),
                            r.holds.clone(),
                        ]
                    })
                    .collect(),
            },
        },
        Section {
            title: format!("{}: {}", t(lang, "char-typology"), v.dominant),
            svg: String::new(),
            table: Table {
                head: [
                    "char-session-foci",
                    "char-typology-types",
                    "char-typology-ties",
                    "char-typology-sessions",
                    "char-typology-combined",
                    "char-typology-emphasis",
                ]
                .iter()
                .map(|h| t(lang, h))
                .collect(),
                rows: v
                    .foci
                    .iter()
                    .map(|f| {
                        vec![
                            f.name.clone(),
                            f.process.clone(),
                            f.ties.clone(),
                            f.sessions.clone(),
                            f.combined.clone(),
                            if f.emphasis { "●" } else { "" }.to_owned(),
                        ]
                    })
                    .collect(),
            },
        },
        Section {
            title: t(lang, "char-tetraedro"),
            svg: v.picture.clone(),
            table: Table {
                head: vec![
                    t(lang, "char-indicator"),
                    t(lang, "char-source"),
                    v.code.clone(),
                    t(lang, "char-region"),
                    t(lang, "char-nation"),
                    t(lang, "char-previous-campaign"),
                ],
                rows: v
                    .indicators
                    .iter()
                    .map(|i| {
                        vec![
                            format!("{} · {}", i.face, i.name),
                            i.source.clone(),
                            i.value.clone(),
                            i.region.clone(),
                            i.nation.clone(),
                            i.previous.clone(),
                        ]
                    })
                    .collect(),
            },
        },
    ];
    if let Some(leaders) = &v.leaders {
        out.push(Section {
            title: t(lang, "char-leaders"),
            svg: String::new(),
            table: Table {
                head: vec![
                    t(lang, "col-name"),
                    t(lang, "col-role"),
                    t(lang, "col-school"),
                    t(lang, "char-leader-schools"),
                    t(lang, "char-leader-betweenness"),
                ],
                rows: leaders
                    .iter()
                    .map(|l| {
                        vec![
                            l.name.clone(),
                            l.role.clone(),
                            l.school.clone(),
                            l.schools.to_string(),
                            l.betweenness.clone(),
                        ]
                    })
                    .collect(),
            },
        });
    }
    out
}

/// The ficha of the network in `campaign` (the latest when `None`), in
/// `lang`, as PDF bytes.
pub async fn ficha(
    app: &App,
    actor: &Actor,
    n: &NetworkRef,
    campaign: Option<&str>,
    lang: Lang,
    date: jiff::civil::Date,
) -> Result<Vec<u8>> {
    let p = profile(app, actor, n, campaign).await?;
    let v = view(&p, lang, app.min_group(), &app.settings().characterising);
    let mut findings = vec![format!("{}: {}", t(lang, "char-level"), v.level)];
    if !v.provisional.is_empty() {
        findings.push(v.provisional.clone());
    }
    findings.push(format!(
        "{}: {}",
        t(lang, "char-typology-dominant"),
        v.dominant
    ));
    if !v.previous_level.is_empty() {
        findings.push(v.previous_level.clone());
    }
    if !v.trajectory.is_empty() {
        findings.push(format!(
            "{}: {}",
            t(lang, "char-trajectory"),
            v.trajectory
                .iter()
                .map(|(c, l, _)| format!("{c} {l}"))
                .collect::<Vec<_>>()
                .join(" → ")
        ));
    }
    let doc = ReportDoc {
        lang,
        title: format!("{} · {} · {}", t(lang, "char-ficha-title"), v.code, v.name),
        subtitle: v.campaign_name.clone(),
        intro: t(lang, "char-profile-intro"),
        date,
        rates: None,
        findings,
        sections: sections(&v, lang),
    };
    crate::results::pdf::typeset(doc, lang).await
}
