//! Plain-language findings in the seed's style: "9 de cada 10 participantes
//! aplican en su establecimiento el conocimiento generado en la red".
//!
//! From item-level agreement of one (unsuppressed) group: the items with the
//! highest agreement and those with the lowest. An item's `finding` template
//! (with `{n}`) words the sentence; without one, a generic sentence quotes
//! the item. Either way the sentence states agreement as answered, so a
//! reverse-keyed item reads as what participants said about it.

use serde::Serialize;
use trama_i18n::{Lang, t};

use crate::design::{Design, Level};
use crate::likert::Group;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    HighestAgreement,
    LowestAgreement,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub kind: Kind,
    /// 1 for the highest (or lowest) item, 2 for the next…
    pub rank: usize,
    pub item: String,
    pub label: String,
    pub reverse: bool,
    /// "n in 10" agree, rounded to the nearest whole.
    pub in_ten: u32,
    /// Percent agreeing (4 or 5), full precision.
    pub agree: f64,
    /// Percent disagreeing (1 or 2), full precision.
    pub disagree: f64,
    pub n_answers: u64,
    pub sentence: String,
}

/// Rounds a percentage to "n in 10" (half away from zero).
pub fn in_ten(percent: f64) -> u32 {
    (percent / 10.0).round().clamp(0.0, 10.0) as u32
}

/// Up to `count` highest-agreement and `count` lowest-agreement findings
/// for an item-level group; an item is in one list at most, highest first.
/// Suppressed groups and items nobody answered yield none. Ties go to the
/// item code, so the result does not depend on the order of the file.
pub fn findings(design: &Design, group: &Group, count: usize, lang: Lang) -> Vec<Finding> {
    let rows: Vec<_> = group
        .rows
        .iter()
        .filter(|r| r.level == Level::Item && !r.suppressed && r.n_answers.unwrap_or(0) > 0)
        .filter_map(|r| Some((r, r.agree?, r.disagree?)))
        .collect();
    let mut high = rows.clone();
    high.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.code.cmp(&b.0.code)));
    high.truncate(count);
    let mut low: Vec<_> = rows
        .into_iter()
        .filter(|r| !high.iter().any(|h| h.0.code == r.0.code))
        .collect();
    low.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.code.cmp(&b.0.code)));
    low.truncate(count);
    let mut out = vec![];
    for (kind, list) in [(Kind::HighestAgreement, high), (Kind::LowestAgreement, low)] {
        for (rank, (row, agree, disagree)) in list.into_iter().enumerate() {
            let n = in_ten(agree);
            let item = design.items.iter().find(|i| i.name == row.code);
            let template = item.and_then(|i| match lang {
                Lang::Es => i.finding_es.clone(),
                Lang::En => i.finding_en.clone().or_else(|| i.finding_es.clone()),
            });
            let label = item
                .map(|i| i.label(lang).to_owned())
                .unwrap_or_else(|| row.label.clone());
            let sentence = match template {
                Some(tpl) => tpl.replace("{n}", &n.to_string()),
                None => t!(lang, "finding-agree", n = n, item = label.clone()),
            };
            out.push(Finding {
                kind,
                rank: rank + 1,
                item: row.code.clone(),
                label,
                reverse: item.is_some_and(|i| i.reverse),
                in_ten: n,
                agree,
                disagree,
                n_answers: row.n_answers.unwrap_or(0),
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
                level: Some(Level::Item),
                ..Default::default()
            },
        );
        let f = findings(&design, &r.groups[0], 1, Lang::Es);
        assert_eq!(
            f[0].sentence,
            "9 de cada 10 participantes aplican en su establecimiento el conocimiento generado en la red"
        );
        assert_eq!(f[1].kind, Kind::LowestAgreement);
        assert_eq!(
            f[1].sentence,
            "7 de cada 10 participantes están de acuerdo con «Me siento más motivado/a a asistir»"
        );
        let en = findings(&design, &r.groups[0], 1, Lang::En);
        assert_eq!(
            en[1].sentence,
            "7 in 10 participants agree with \"I feel more motivated to attend\""
        );
        assert_eq!(
            en[0].sentence,
            "9 in 10 participants apply in their school the knowledge generated in the network"
        );
        // Asking for more than there are: each item once.
        let all = findings(&design, &r.groups[0], 5, Lang::Es);
        assert_eq!(all.len(), 2);
    }
}
