//! The directed, weighted network that every metric reads.
//!
//! Invariants, checked on construction so that metrics never have to: node
//! ids are unique, there is at most one arc per ordered pair, no self-loops,
//! and weights are finite and non-negative.

use std::collections::HashMap;

use serde::Serialize;

/// One tie: `source` names `target` with strength `weight`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Arc {
    /// Index into [`Network::ids`].
    pub source: usize,
    pub target: usize,
    pub weight: f64,
}

/// A categorical node attribute (a column of the nodes file). `None` where
/// the cell was empty or the node came only from the edge list.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub values: Vec<Option<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    ids: Vec<String>,
    attributes: Vec<Attribute>,
    arcs: Vec<Arc>,
}

/// Why [`NetworkBuilder::arc`] refused a tie.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NetworkError {
    #[error("self-loop on {0}")]
    SelfLoop(String),
    #[error("duplicate arc {0} -> {1}")]
    DuplicateArc(String, String),
    #[error("weight {0} is negative or not finite")]
    BadWeight(f64),
}

impl Network {
    /// Node ids in their deterministic order (nodes file first, then edge
    /// list by first appearance).
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    pub fn node_count(&self) -> usize {
        self.ids.len()
    }

    pub fn arcs(&self) -> &[Arc] {
        &self.arcs
    }

    pub fn attributes(&self) -> &[Attribute] {
        &self.attributes
    }

    /// The index of node `id`, by linear search.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.ids.iter().position(|i| i == id)
    }

    pub fn builder() -> NetworkBuilder {
        NetworkBuilder::default()
    }

    /// Replaces the arcs; the caller has already enforced the invariants.
    pub(crate) fn set_arcs(&mut self, arcs: Vec<Arc>) {
        debug_assert!(arcs.iter().all(|a| a.source != a.target
            && a.source < self.ids.len()
            && a.target < self.ids.len()
            && a.weight.is_finite()
            && a.weight >= 0.0));
        self.arcs = arcs;
    }
}

/// Builds a [`Network`] by id, for callers whose ties come from a database
/// rather than a file. Unknown ids given to [`NetworkBuilder::arc`] become nodes.
#[derive(Debug, Default, Clone)]
pub struct NetworkBuilder {
    ids: Vec<String>,
    index: HashMap<String, usize>,
    attributes: Vec<Attribute>,
    /// Attribute name → its place in `attributes` (a nodes file may have a
    /// hundred thousand columns: no search through them per cell).
    attribute_index: HashMap<String, usize>,
    arcs: Vec<Arc>,
    arc_index: HashMap<(usize, usize), usize>,
}

impl NetworkBuilder {
    /// The index of `id`, adding it as a node if new.
    pub fn node(&mut self, id: &str) -> usize {
        if let Some(&i) = self.index.get(id) {
            return i;
        }
        let i = self.ids.len();
        self.ids.push(id.to_owned());
        self.index.insert(id.to_owned(), i);
        for a in &mut self.attributes {
            a.values.push(None);
        }
        i
    }

    /// Sets attribute `name` of node `id` (both created if new).
    pub fn attribute(&mut self, id: &str, name: &str, value: Option<String>) -> &mut Self {
        let node = self.node(id);
        let a = self.attribute_slot(name);
        self.attributes[a].values[node] = value;
        self
    }

    /// Declares attribute `name` even if no node has a value for it, so that
    /// it still appears in the E-I report (as `null`).
    pub fn declare_attribute(&mut self, name: &str) -> &mut Self {
        self.attribute_slot(name);
        self
    }

    /// The place of attribute `name`, added if new.
    fn attribute_slot(&mut self, name: &str) -> usize {
        if let Some(&a) = self.attribute_index.get(name) {
            return a;
        }
        self.attributes.push(Attribute {
            name: name.to_owned(),
            values: vec![None; self.ids.len()],
        });
        let a = self.attributes.len() - 1;
        self.attribute_index.insert(name.to_owned(), a);
        a
    }

    /// Adds the arc `source -> target`.
    pub fn arc(&mut self, source: &str, target: &str, weight: f64) -> Result<(), NetworkError> {
        if !weight.is_finite() || weight < 0.0 {
            return Err(NetworkError::BadWeight(weight));
        }
        if source == target {
            return Err(NetworkError::SelfLoop(source.to_owned()));
        }
        let s = self.node(source);
        let t = self.node(target);
        if self.arc_index.contains_key(&(s, t)) {
            return Err(NetworkError::DuplicateArc(
                source.to_owned(),
                target.to_owned(),
            ));
        }
        self.arc_index.insert((s, t), self.arcs.len());
        self.arcs.push(Arc {
            source: s,
            target: t,
            weight,
        });
        Ok(())
    }

    /// The weight of `source -> target`, if that arc was added.
    pub fn arc_weight(&self, source: &str, target: &str) -> Option<f64> {
        let s = *self.index.get(source)?;
        let t = *self.index.get(target)?;
        self.arc_index.get(&(s, t)).map(|&a| self.arcs[a].weight)
    }

    pub fn build(self) -> Network {
        Network {
            ids: self.ids,
            attributes: self.attributes,
            arcs: self.arcs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_refuses_what_metrics_cannot_read() {
        let mut b = Network::builder();
        assert_eq!(
            b.arc("a", "a", 1.0),
            Err(NetworkError::SelfLoop("a".into()))
        );
        assert_eq!(b.arc("a", "b", -1.0), Err(NetworkError::BadWeight(-1.0)));
        assert!(b.arc("a", "b", f64::NAN).is_err());
        assert_eq!(b.arc("a", "b", 2.0), Ok(()));
        assert!(matches!(
            b.arc("a", "b", 1.0),
            Err(NetworkError::DuplicateArc(..))
        ));
        b.attribute("c", "role", Some("director".into()));
        let net = b.build();
        assert_eq!(net.ids(), ["a", "b", "c"]);
        assert_eq!(
            net.attributes()[0].values,
            vec![None, None, Some("director".into())]
        );
        assert_eq!(net.index_of("c"), Some(2));
    }
}
