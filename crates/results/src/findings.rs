//! Plain-language findings in the seed's style: "9 de cada 10 participantes
//! aplican en su establecimiento el conocimiento generado en la red".
//!
//! From item-level agreement of one (unsuppressed) group: the items with the
//! highest agreement and those with the highest disagreement. An item's
//! `finding` template (with `{n}`) words the sentence; without one, a generic
//! sentence quotes the item.

use serde::Serialize;
use trama_i18n::{Lang, t};

use crate::design::{Design, Level};
use crate::likert::Group;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Agreement,
    Disagreement,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub item: String,
    pub kind: Kind,
    /// "n in 10", rounded to the nearest whole.
    pub in_ten: u32,
    pub percent: f64,
    pub sentence: String,
}

/// Rounds a percentage to "n in 10" (half away from zero).
pub fn in_ten(percent: f64) -> u32 {
    (percent / 10.0).round().clamp(0.0, 10.0) as u32
}

/// Up to `count` agreement and `count` disagreement findings for an
/// item-level group. Suppressed groups yield none.
pub fn findings(design: &Design, group: &Group, count: usize, lang: Lang) -> Vec<Finding> {
    let rows: Vec<_> = group
        .rows
        .iter()
        .filter(|r| r.level == Level::Item && !r.suppressed)
        .filter_map(|r| Some((r, r.agree?, r.disagree?)))
        .collect();
    let mut by_agree = rows.clone();
    by_agree.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.code.cmp(&b.0.code)));
    let mut by_disagree = rows;
    by_disagree.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.code.cmp(&b.0.code)));
    let mut out = vec![];
    for (kind, list) in [
        (Kind::Agreement, by_agree),
        (Kind::Disagreement, by_disagree),
    ] {
        for (row, agree, disagree) in list.into_iter().take(count) {
            let percent = if kind == Kind::Agreement {
                agree
            } else {
                disagree
            };
            let n = in_ten(percent);
            let item = design.items.iter().find(|i| i.name == row.code);
            let template = item.and_then(|i| match lang {
                Lang::Es => i.finding_es.clone(),
                Lang::En => i.finding_en.clone().or_else(|| i.finding_es.clone()),
            });
            let label = item
                .map(|i| i.label(lang).to_owned())
                .unwrap_or_else(|| row.label.clone());
            let sentence = match (&kind, template) {
                (Kind::Agreement, Some(tpl)) => tpl.replace("{n}", &n.to_string()),
                (Kind::Agreement, None) => t!(lang, "finding-agree", n = n, item = label.clone()),
                (Kind::Disagreement, _) => {
                    t!(lang, "finding-disagree", n = n, item = label.clone())
                }
            };
            out.push(Finding {
                item: row.code.clone(),
                kind: kind.clone(),
                in_ten: n,
                percent,
                sentence,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::RatingItem;
    use crate::likert::{Options, report};
    use crate::responses::ResponseTable;

    #[test]
    fn rounds_to_the_nearest_tenth() {
        assert_eq!(in_ten(87.0), 9);
        assert_eq!(in_ten(62.4), 6);
        assert_eq!(in_ten(65.0), 7);
        assert_eq!(in_ten(4.9), 0);
    }

    #[test]
    fn templates_and_generic_sentences() {
        let design = Design {
            items: vec![
                RatingItem {
                    name: "aplica".into(),
                    dimension: "d".into(),
                    subdimension: "s".into(),
                    reverse: false,
                    label_es: "Aplico en mi establecimiento lo aprendido en la red".into(),
                    label_en: "I apply in my school what I learn in the network".into(),
                    finding_es: Some("{n} de cada 10 participantes aplican en su establecimiento el conocimiento generado en la red".into()),
                    finding_en: Some("{n} in 10 participants apply in their school the knowledge generated in the network".into()),
                },
                RatingItem {
                    name: "motiva".into(),
                    dimension: "d".into(),
                    subdimension: "s".into(),
                    reverse: false,
                    label_es: "Me siento más motivado/a a asistir".into(),
                    label_en: "I feel more motivated to attend".into(),
                    finding_es: None,
                    finding_en: None,
                },
            ],
            scales: vec![],
        };
        let mut t = ResponseTable::default();
        for i in 0..10u8 {
            // aplica: 9 agree; motiva: 3 disagree.
            let a = if i < 9 { 5 } else { 3 };
            let m = if i < 3 { 1 } else { 4 };
            t.push(["V", "d", "n", "director"], &[a, m]);
        }
        let r = report(
            &design,
            &t,
            &Options {
                level: Level::Item,
                ..Default::default()
            },
        );
        let f = findings(&design, &r.groups[0], 1, Lang::Es);
        assert_eq!(
            f[0].sentence,
            "9 de cada 10 participantes aplican en su establecimiento el conocimiento generado en la red"
        );
        assert_eq!(f[1].kind, Kind::Disagreement);
        assert_eq!(
            f[1].sentence,
            "3 de cada 10 participantes no están de acuerdo con «Me siento más motivado/a a asistir»"
        );
        let en = findings(&design, &r.groups[0], 1, Lang::En);
        assert_eq!(
            en[1].sentence,
            "3 in 10 participants disagree with \"I feel more motivated to attend\""
        );
    }
}
