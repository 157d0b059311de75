//! The collaboration continuum: Aislamiento → Colaboración balcanizada →
//! Colaboración efectiva → Simbiosis, decided by rules that are data (the
//! defaults in `rules/continuum.toml`; a deployment may supply its own) and
//! explained rule by rule.

use serde::{Deserialize, Serialize};

use crate::evidence::Evidence;

/// A place on the continuum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Aislamiento,
    Balcanizada,
    Efectiva,
    Simbiosis,
}

impl Level {
    /// From least to most collaboration.
    pub const ALL: [Level; 4] = [
        Level::Aislamiento,
        Level::Balcanizada,
        Level::Efectiva,
        Level::Simbiosis,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Level::Aislamiento => "aislamiento",
            Level::Balcanizada => "balcanizada",
            Level::Efectiva => "efectiva",
            Level::Simbiosis => "simbiosis",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
}

impl Op {
    /// As written in the rules file and shown beside a threshold.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Ge => "≥",
        }
    }

    fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Op::Lt => value < threshold,
            Op::Le => value <= threshold,
            Op::Gt => value > threshold,
            Op::Ge => value >= threshold,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HoldsWhen {
    Any,
    All,
    Always,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub rule: String,
    pub metric: String,
    pub op: Op,
    pub threshold: f64,
    #[serde(default)]
    pub optional: bool,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelRules {
    pub level: Level,
    pub holds_when: HoldsWhen,
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// A whole rule set, checked when read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Below this response rate a placement is provisional.
    pub provisional_below: f64,
    pub levels: Vec<LevelRules>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RulesError {
    #[error("{0}")]
    Syntax(String),
    #[error("rule {rule}: unknown metric {metric:?}")]
    UnknownMetric { rule: String, metric: String },
    #[error("the last level must hold `always` (it is what remains), and only it")]
    NoFallback,
    #[error("level {0} appears twice")]
    RepeatedLevel(&'static str),
    #[error("level {0} holds on `{1}` of its rules but has none")]
    NoRules(&'static str, &'static str),
}

/// The shipped defaults.
pub const DEFAULT_RULES: &str = include_str!("../rules/continuum.toml");

impl Rules {
    pub fn parse(text: &str) -> Result<Rules, RulesError> {
        let rules: Rules = toml::from_str(text).map_err(|e| RulesError::Syntax(e.to_string()))?;
        let always = rules
            .levels
            .iter()
            .filter(|l| l.holds_when == HoldsWhen::Always)
            .count();
        let last_always = rules
            .levels
            .last()
            .is_some_and(|l| l.holds_when == HoldsWhen::Always);
        if always != 1 || !last_always {
            return Err(RulesError::NoFallback);
        }
        let mut seen = vec![];
        for l in &rules.levels {
            if seen.contains(&l.level) {
                return Err(RulesError::RepeatedLevel(l.level.code()));
            }
            seen.push(l.level);
            if l.holds_when != HoldsWhen::Always && l.rules.is_empty() {
                let how = if l.holds_when == HoldsWhen::Any {
                    "any"
                } else {
                    "all"
                };
                return Err(RulesError::NoRules(l.level.code(), how));
            }
            for r in &l.rules {
                if !Evidence::METRICS.contains(&r.metric.as_str()) {
                    return Err(RulesError::UnknownMetric {
                        rule: r.rule.clone(),
                        metric: r.metric.clone(),
                    });
                }
            }
        }
        Ok(rules)
    }

    pub fn defaults() -> Rules {
        // The shipped file is checked by a test; a broken one is a bug.
        Rules::parse(DEFAULT_RULES).unwrap_or_else(|e| panic!("rules/continuum.toml: {e}"))
    }
}

/// One rule as evaluated on one network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    pub level: Level,
    pub rule: String,
    pub metric: String,
    pub op: Op,
    pub value: Option<f64>,
    pub threshold: f64,
    /// `None`: not evaluated, for want of the data.
    pub holds: Option<bool>,
    pub optional: bool,
    pub why: String,
}

/// Where a network stands, and every rule that put it there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placement {
    pub level: Level,
    /// Too few answered for the ties to be trusted (or nobody knows how
    /// many did).
    pub provisional: bool,
    pub response_rate: Option<f64>,
    pub rules: Vec<RuleResult>,
}

/// Places a network with this evidence.
pub fn place(evidence: &Evidence, rules: &Rules) -> Placement {
    let mut results = vec![];
    let mut level = None;
    for l in &rules.levels {
        let these: Vec<RuleResult> = l
            .rules
            .iter()
            .map(|r| {
                let value = evidence.get(&r.metric).flatten();
                RuleResult {
                    level: l.level,
                    rule: r.rule.clone(),
                    metric: r.metric.clone(),
                    op: r.op,
                    value,
                    threshold: r.threshold,
                    holds: value.map(|v| r.op.holds(v, r.threshold)),
                    optional: r.optional,
                    why: r.why.clone(),
                }
            })
            .collect();
        let holds = match l.holds_when {
            HoldsWhen::Always => true,
            HoldsWhen::Any => these.iter().any(|r| r.holds == Some(true)),
            HoldsWhen::All => {
                these.iter().any(|r| r.holds.is_some())
                    && these.iter().all(|r| match r.holds {
                        Some(h) => h,
                        None => r.optional,
                    })
            }
        };
        if holds && level.is_none() {
            level = Some(l.level);
        }
        results.extend(these);
    }
    Placement {
        // `parse` guarantees a last level that always holds.
        level: level.unwrap_or(Level::Efectiva),
        provisional: evidence
            .response_rate
            .is_none_or(|r| r < rules.provisional_below),
        response_rate: evidence.response_rate,
        rules: results,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A network that meets no aislamiento or balcanizada rule and every
    /// simbiosis one; tests then move one value across its threshold.
    fn symbiotic() -> Evidence {
        Evidence {
            school_density: Some(0.8),
            schools_without_cross_ties: Some(0.0),
            school_groups: Some(1.0),
            school_bound_modularity: Some(0.0),
            ei_school: Some(0.5),
            reciprocity: Some(0.6),
            cross_school_mean_level: Some(4.0),
            cooperative_emphasis: Some(1.0),
            agreement_colaboracion: Some(75.0),
            agreement_coresponsabilidad: Some(80.0),
            response_rate: Some(0.7),
        }
    }

    fn level(ev: &Evidence) -> Level {
        place(ev, &Rules::defaults()).level
    }

    #[test]
    fn the_shipped_rules_parse_and_name_only_known_metrics() {
        let r = Rules::defaults();
        assert_eq!(r.levels.len(), 4);
        assert_eq!(r.provisional_below, 0.7);
    }

    #[test]
    fn simbiosis_needs_every_rule_at_its_threshold() {
        assert_eq!(level(&symbiotic()), Level::Simbiosis);
        for change in [
            |e: &mut Evidence| e.school_density = Some(0.79),
            |e: &mut Evidence| e.reciprocity = Some(0.59),
            |e: &mut Evidence| e.cross_school_mean_level = Some(3.99),
            |e: &mut Evidence| e.cooperative_emphasis = Some(0.0),
            |e: &mut Evidence| e.agreement_colaboracion = Some(74.9),
            |e: &mut Evidence| e.reciprocity = None,
        ] {
            let mut e = symbiotic();
            change(&mut e);
            assert_eq!(level(&e), Level::Efectiva, "{e:?}");
        }
        // Suppressed questionnaire results do not block it: not evaluated.
        let mut e = symbiotic();
        e.agreement_colaboracion = None;
        e.agreement_coresponsabilidad = None;
        let p = place(&e, &Rules::defaults());
        assert_eq!(p.level, Level::Simbiosis);
        let listed = p
            .rules
            .iter()
            .find(|r| r.rule == "agreement-collaboration")
            .map(|r| (r.value, r.holds));
        assert_eq!(listed, Some((None, None)));
    }

    #[test]
    fn aislamiento_at_and_around_its_thresholds() {
        let mut e = symbiotic();
        e.school_density = Some(0.19);
        assert_eq!(level(&e), Level::Aislamiento);
        e.school_density = Some(0.2);
        assert_eq!(level(&e), Level::Efectiva);
        e.schools_without_cross_ties = Some(0.5);
        assert_eq!(level(&e), Level::Aislamiento);
        e.schools_without_cross_ties = Some(0.49);
        assert_eq!(level(&e), Level::Efectiva);
    }

    #[test]
    fn balcanizada_at_and_around_its_thresholds_and_after_aislamiento() {
        let mut e = symbiotic();
        e.school_groups = Some(2.0);
        assert_eq!(level(&e), Level::Balcanizada);
        let mut e = symbiotic();
        e.school_bound_modularity = Some(0.4);
        assert_eq!(level(&e), Level::Balcanizada);
        e.school_bound_modularity = Some(0.39);
        assert_eq!(level(&e), Level::Simbiosis);
        let mut e = symbiotic();
        e.ei_school = Some(-0.4);
        assert_eq!(level(&e), Level::Balcanizada);
        e.ei_school = Some(-0.39);
        assert_eq!(level(&e), Level::Simbiosis);
        // Both hold: the earlier level in the file wins.
        e.school_groups = Some(3.0);
        e.school_density = Some(0.1);
        assert_eq!(level(&e), Level::Aislamiento);
    }

    #[test]
    fn every_rule_is_listed_with_its_value_and_missing_data_never_holds() {
        let e = Evidence {
            response_rate: Some(0.5),
            ..Default::default()
        };
        let p = place(&e, &Rules::defaults());
        // Nothing measured: nothing holds, so what remains is efectiva,
        // provisional because half answered.
        assert_eq!(p.level, Level::Efectiva);
        assert!(p.provisional);
        assert_eq!(p.rules.len(), 11);
        assert!(
            p.rules
                .iter()
                .all(|r| r.holds.is_none() && r.value.is_none())
        );
        let q = place(&symbiotic(), &Rules::defaults());
        assert!(!q.provisional, "0.7 answered is enough");
        assert!(q.rules.iter().all(|r| r.holds.is_some()));
    }

    #[test]
    fn a_deployments_rules_are_checked_when_read() {
        let bad_metric = DEFAULT_RULES.replace("\"school_groups\"", "\"schools_groups\"");
        assert!(matches!(
            Rules::parse(&bad_metric),
            Err(RulesError::UnknownMetric { .. })
        ));
        let no_fallback = DEFAULT_RULES.replace("holds_when = \"always\"", "holds_when = \"any\"");
        assert!(Rules::parse(&no_fallback).is_err());
        assert!(matches!(
            Rules::parse("provisional_below = 0.7\nlevels = 3"),
            Err(RulesError::Syntax(_))
        ));
        let stricter = DEFAULT_RULES.replace("threshold = 0.2\n", "threshold = 0.3\n");
        let mut e = symbiotic();
        e.school_density = Some(0.25);
        assert_eq!(level(&e), Level::Efectiva);
        let rules = Rules::parse(&stricter).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(place(&e, &rules).level, Level::Aislamiento);
    }
}
