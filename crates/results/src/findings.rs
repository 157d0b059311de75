//! Plain-language findings in the seed's style: "9 de cada 10 participantes
//! aplican en su establecimiento el conocimiento generado en la red".
//!
//! From item-level answers of one (unsuppressed) group: the items where the
//! network fares best and those where it fares worst, always read in the
//! favourable direction. For a reverse-keyed (negatively worded) statement
//! the favourable answer is disagreement: "8 de cada 10 no están de acuerdo
//! con «las decisiones las toman siempre las mismas personas»" is good news,
//! and ranks as such. An item's `finding` template (with `{n}`, worded for
//! agreement) words the sentence of a positive item; otherwise a generic
//! sentence quotes the item. Items answered by fewer than
//! [`MIN_FINDING_ANSWERS`] people state nothing: a handful of answers is not
//! a finding.

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
    /// "n in 10" answer favourably (agree; disagree for a reverse-keyed
    /// item), rounded to the nearest whole.
    pub in_ten: u32,
    /// Percent answering favourably: `agree`, or `disagree` when reversed.
    pub favourable: f64,
    /// Percent agreeing (4 or 5), full precision.
    pub agree: f64,
    /// Percent disagreeing (1 or 2), full precision.
    pub disagree: f64,
    pub n_answers: u64,
    pub sentence: String,
}

/// The fewest answers an item needs before a sentence generalises from it.
pub const MIN_FINDING_ANSWERS: u64 = 10;

/// Rounds a percentage to "n in 10" (half away from zero); "0 in 10" and
/// "10 in 10" only when it is literally nobody or everybody.
pub fn in_ten(percent: f64) -> u32 {
    let n = (percent / 10.0).round().clamp(0.0, 10.0) as u32;
    match n {
        10 if percent < 100.0 => 9,
        0 if percent > 0.0 => 1,
        n => n,
    }
}

/// Up to `count` most favourable (`HighestAgreement`) and `count` least
/// favourable (`LowestAgreement`) findings for an item-level group; an item
/// is in one list at most, best first. Suppressed groups and items with
/// fewer than [`MIN_FINDING_ANSWERS`] answers yield none. Ties go to the
/// item code, so the result does not depend on the order of the file.
pub fn findings(design: &Design, group: &Group, count: usize, lang: Lang) -> Vec<Finding> {
    let reversed = |code: &str| design.items.iter().any(|i| i.name == code && i.reverse);
    let rows: Vec<_> = group
        .rows
        .iter()
        .filter(|r| r.level == Level::Item && !r.suppressed)
        .filter(|r| r.n_answers.unwrap_or(0) >= MIN_FINDING_ANSWERS)
        .filter_map(|r| {
            let (agree, disagree) = (r.agree?, r.disagree?);
            let favourable = if reversed(&r.code) { disagree } else { agree };
            Some((r, favourable, agree, disagree))
        })
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
        for (rank, (row, favourable, agree, disagree)) in list.into_iter().enumerate() {
            let n = in_ten(favourable);
            let item = design.items.iter().find(|i| i.name == row.code);
            let reverse = item.is_some_and(|i| i.reverse);
            let template = item.filter(|_| !reverse).and_then(|i| match lang {
                Lang::Es => i.finding_es.clone(),
                Lang::En => i.finding_en.clone().or_else(|| i.finding_es.clone()),
            });
            let label = item
                .map(|i| i.label(lang).to_owned())
                .unwrap_or_else(|| row.label.clone());
            let sentence = match template {
                Some(tpl) => tpl.replace("{n}", &n.to_string()),
                None if reverse => t!(lang, "finding-disagree", n = n, item = label.clone()),
                None => t!(lang, "finding-agree", n = n, item = label.clone()),
            };
            out.push(Finding {
                kind,
                rank: rank + 1,
                item: row.code.clone(),
                label,
                reverse,
                in_ten: n,
                favourable,
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
        assert_eq!(in_ten(4.9), 1, "some, not nobody");
        assert_eq!(in_ten(0.0), 0);
        assert_eq!(in_ten(96.0), 9, "not everybody");
        assert_eq!(in_ten(100.0), 10);
    }

    /// The item-level report findings are drawn from.
    fn item_report(design: &Design, t: &ResponseTable) -> crate::likert::Report {
        report(
            design,
            t,
            &Options {
                level: Some(Level::Item),
                ..Default::default()
            },
        )
    }

    fn item(name: &str, reverse: bool, label: &str) -> RatingItem {
        RatingItem {
            name: name.into(),
            dimension: "d".into(),
            subdimension: "s".into(),
            reverse,
            label_es: label.into(),
            label_en: label.into(),
            finding_es: Some("{n} de cada 10 plantilla".into()),
            finding_en: None,
        }
    }

    #[test]
    fn reverse_keyed_statements_read_in_the_favourable_direction() {
        let design = Design {
            items: vec![
                item(
                    "mismas",
                    true,
                    "Las decisiones las toman siempre las mismas personas",
                ),
                item("agenda", false, "La agenda es compartida"),
            ],
            scales: vec![],
        };
        let mut t = ResponseTable::default();
        for i in 0..20u8 {
            // mismas: 18 of 20 disagree (good news); agenda: 10 of 20 agree.
            let m = if i < 18 { 1 } else { 5 };
            let a = if i < 10 { 4 } else { 2 };
            t.push(["V", "d", "n", "director"], &[m, a]);
        }
        let r = item_report(&design, &t);
        let f = findings(&design, &r.groups[0], 1, Lang::Es);
        assert_eq!(
            f[0].item, "mismas",
            "the best news, not the lowest agreement"
        );
        assert_eq!(f[0].kind, Kind::HighestAgreement);
        assert_eq!(
            f[0].sentence,
            "9 de cada 10 participantes no están de acuerdo con «Las decisiones las toman siempre las mismas personas»",
            "reverse-keyed: no agreement template, the favourable answer stated"
        );
        assert!((f[0].favourable - 90.0).abs() < 1e-9 && (f[0].agree - 10.0).abs() < 1e-9);
        assert_eq!(f[1].item, "agenda");
        assert_eq!(f[1].sentence, "5 de cada 10 plantilla");
    }

    #[test]
    fn a_handful_of_answers_is_not_a_finding() {
        let design = Design {
            items: vec![item("a", false, "A"), item("b", false, "B")],
            scales: vec![],
        };
        let mut t = ResponseTable::default();
        for i in 0..(MIN_FINDING_ANSWERS as u8) {
            // a: everyone answers; b: one fewer than the minimum.
            let b = if i == 0 { 0 } else { 5 };
            t.push(["V", "d", "n", "director"], &[5, b]);
        }
        let r = item_report(&design, &t);
        let f = findings(&design, &r.groups[0], 3, Lang::Es);
        let items: Vec<&str> = f.iter().map(|f| f.item.as_str()).collect();
        assert_eq!(
            items,
            vec!["a"],
            "b has {} answers",
            MIN_FINDING_ANSWERS - 1
        );
        assert_eq!(f[0].in_ten, 10, "everyone agreed");
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
        let r = item_report(&design, &t);
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
