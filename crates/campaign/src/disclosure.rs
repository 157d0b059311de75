//! What a researchers' file may hold. Rows carry no identity, but a free
//! text answer can name its writer ("como directora de la única escuela
//! rural de la red…"); in a network with few respondents that is enough to
//! know who wrote it. So free text leaves Trama only from networks with at
//! least K respondents in the file, the same threshold as every aggregate.

use std::collections::HashMap;

use trama_instrument::{Instrument, ItemKind};

use crate::ResponseRecord;

/// Removes the free-text answers of respondents whose network has fewer
/// than `min_group` records in `records`. Returns how many answers were
/// withheld. Other answers (ratings, choices, numbers) are kept: they are
/// the codes the aggregates already publish.
pub fn withhold_text_of_small_networks(
    instrument: &Instrument,
    records: &mut [ResponseRecord],
    min_group: usize,
) -> usize {
    let text_items: Vec<&str> = instrument
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Text)
        .map(|i| i.name.as_str())
        .collect();
    let mut per_network: HashMap<String, usize> = HashMap::new();
    for r in records.iter() {
        *per_network.entry(r.network.clone()).or_default() += 1;
    }
    let mut withheld = 0;
    for r in records.iter_mut() {
        if per_network.get(&r.network).copied().unwrap_or(0) >= min_group {
            continue;
        }
        for item in &text_items {
            if r.answers.remove(*item).is_some_and(|v| !v.is_empty()) {
                withheld += 1;
            }
        }
    }
    withheld
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn form() -> Instrument {
        let csv = "type,name,label::es,label::en,dimension,subdimension\n\
                   select_one acuerdo5,conf_1,Confío,I trust,capital_social,confianza\n\
                   text,facilita,¿Qué facilita?,What helps?,,\n";
        trama_instrument::read_form("f.csv", csv.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn record(network: &str, text: &str) -> ResponseRecord {
        ResponseRecord {
            network: network.into(),
            answers: BTreeMap::from([
                ("conf_1".to_owned(), "4".to_owned()),
                ("facilita".to_owned(), text.to_owned()),
            ]),
            ..ResponseRecord::default()
        }
    }

    #[test]
    fn text_leaves_only_from_networks_at_the_threshold() {
        let mut records: Vec<ResponseRecord> = (0..5)
            .map(|i| record("RME1", &format!("texto {i}")))
            .chain((0..4).map(|i| record("RME2", &format!("otro {i}"))))
            .collect();
        let withheld = withhold_text_of_small_networks(&form(), &mut records, 5);
        assert_eq!(withheld, 4);
        for r in &records {
            assert_eq!(r.answers.get("conf_1").map(String::as_str), Some("4"));
            match r.network.as_str() {
                "RME1" => assert!(r.answers["facilita"].starts_with("texto")),
                _ => assert!(!r.answers.contains_key("facilita")),
            }
        }
    }

    #[test]
    fn an_empty_answer_is_not_counted_as_withheld() {
        let mut records = vec![record("RME3", ""), record("RME3", "algo")];
        assert_eq!(withhold_text_of_small_networks(&form(), &mut records, 5), 1);
    }
}
