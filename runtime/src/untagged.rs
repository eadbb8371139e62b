//! Decoding of untagged unions (`oneOf`/`anyOf`) by best fit rather than first fit.
//!
//! Zoom's documents put alternative object shapes side by side (`accountSettings` answers one of
//! several settings objects; `/devices/zpa/upgrade` takes a firmware or an app upgrade). Every
//! field of those objects is optional or an open enum, so the first alternative decodes any
//! object and silently drops the fields only a later one has. Generated unions therefore try
//! every alternative and keep the one whose re-encoding keeps the most object keys (at any
//! depth) of what the server sent; ties go to the earlier alternative, so a value without
//! objects keeps serde's first-that-decodes rule.

use serde::Serialize;
use serde_json::Value;

/// The best alternative found so far for one value.
pub struct BestFit<'a, T> {
    raw: &'a Value,
    /// Object keys in `raw`, at any depth: what a lossless alternative keeps.
    total: usize,
    best: Option<(usize, T)>,
}

impl<'a, T> BestFit<'a, T> {
    /// Starts the search for `raw`.
    pub fn new(raw: &'a Value) -> Self {
        BestFit {
            raw,
            total: keys(raw),
            best: None,
        }
    }

    /// True once an alternative keeps every key: no later one can do better.
    pub fn done(&self) -> bool {
        self.best
            .as_ref()
            .is_some_and(|(score, _)| *score == self.total)
    }

    /// Offers an alternative that decoded as `value`; `wrap` makes it the union's variant.
    pub fn offer<V: Serialize>(&mut self, value: V, wrap: impl FnOnce(V) -> T) {
        let score = serde_json::to_value(&value)
            .map(|encoded| kept(self.raw, &encoded))
            .unwrap_or(0);
        if self.best.as_ref().is_none_or(|(best, _)| score > *best) {
            self.best = Some((score, wrap(value)));
        }
    }

    /// The best alternative, or `None` when none decoded.
    pub fn into_inner(self) -> Option<T> {
        self.best.map(|(_, value)| value)
    }
}

/// Object keys in `value`, at any depth.
fn keys(value: &Value) -> usize {
    match value {
        Value::Object(map) => map.values().map(|v| 1 + keys(v)).sum(),
        Value::Array(items) => items.iter().map(keys).sum(),
        _ => 0,
    }
}

/// Object keys of `raw` (at any depth) that `encoded` still has.
fn kept(raw: &Value, encoded: &Value) -> usize {
    match (raw, encoded) {
        (Value::Object(a), Value::Object(b)) => a
            .iter()
            .filter_map(|(key, value)| b.get(key).map(|other| 1 + kept(value, other)))
            .sum(),
        (Value::Array(a), Value::Array(b)) => a.iter().zip(b).map(|(x, y)| kept(x, y)).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_alternative_that_keeps_most_keys_wins() {
        let raw = json!({"upgrade_type": "UPGRADE_APP", "app_version": "5.16"});
        let mut fit = BestFit::new(&raw);
        fit.offer(json!({"upgrade_type": "UPGRADE_APP"}), |_| "firmware");
        assert!(!fit.done());
        fit.offer(raw.clone(), |_| "app");
        assert!(fit.done());
        assert_eq!(fit.into_inner(), Some("app"));
    }

    #[test]
    fn keys_lost_deep_inside_count() {
        let raw = json!({"method": "removed", "params": {"event_id": "e"}});
        let mut fit = BestFit::new(&raw);
        fit.offer(json!({"method": "removed", "params": {}}), |_| "displayed");
        fit.offer(raw.clone(), |_| "removed");
        assert_eq!(fit.into_inner(), Some("removed"));
    }

    #[test]
    fn ties_go_to_the_earlier_alternative_and_non_objects_to_the_first() {
        let raw = json!({"upgrade_type": "x"});
        let mut fit = BestFit::new(&raw);
        fit.offer(raw.clone(), |_| 1);
        assert!(fit.done());
        let raw = json!(7);
        let mut fit = BestFit::new(&raw);
        assert!(!fit.done());
        fit.offer(7, |_| "first");
        assert!(fit.done());
        assert_eq!(fit.into_inner(), Some("first"));
    }
}
