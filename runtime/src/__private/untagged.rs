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
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::object::{set_undocumented, undocumented_so_far};

/// The best alternative found so far for one value.
pub struct BestFit<'a, T> {
    raw: &'a Value,
    /// Object keys in `raw`, at any depth: what a lossless alternative keeps.
    total: usize,
    /// The thread's count of undocumented keys when the search began.
    start: usize,
    best: Option<Fit<T>>,
}

struct Fit<T> {
    /// Keys of `raw` the alternative keeps in documented fields.
    score: usize,
    /// Keys it keeps only in `extra` maps.
    undocumented: usize,
    value: T,
}

impl<'a, T> BestFit<'a, T> {
    /// Starts the search for `raw`.
    pub fn new(raw: &'a Value) -> Self {
        BestFit {
            raw,
            total: keys(raw),
            start: undocumented_so_far(),
            best: None,
        }
    }

    /// True once an alternative keeps every key in documented fields: no later one can do
    /// better.
    pub fn done(&self) -> bool {
        self.best
            .as_ref()
            .is_some_and(|fit| fit.score == self.total)
    }

    /// Decodes the value as `V`; when that works and keeps more of it in documented fields than
    /// the alternatives so far, `wrap` makes it the union's variant. Every object type keeps
    /// unknown keys in `extra`, so what an alternative loses is what it does not document.
    pub fn try_variant<V: DeserializeOwned + Serialize>(&mut self, wrap: impl FnOnce(V) -> T) {
        if self.done() {
            return;
        }
        let before = undocumented_so_far();
        let Ok(value) = V::deserialize(self.raw) else {
            set_undocumented(before);
            return;
        };
        let undocumented = undocumented_so_far().wrapping_sub(before);
        set_undocumented(before);
        let score = serde_json::to_value(&value)
            .map(|encoded| kept(self.raw, &encoded).saturating_sub(undocumented))
            .unwrap_or(0);
        if self.best.as_ref().is_none_or(|best| score > best.score) {
            self.best = Some(Fit {
                score,
                undocumented,
                value: wrap(value),
            });
        }
    }

    /// The best alternative, or `None` when none decoded.
    pub fn into_inner(self) -> Option<T> {
        let best = self.best?;
        set_undocumented(self.start.wrapping_add(best.undocumented));
        Some(best.value)
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

    crate::__object! {
        #[derive(Debug, PartialEq)]
        pub struct Firmware {
            pub upgrade_type: Option<String> = "upgrade_type",
        }
    }

    crate::__object! {
        #[derive(Debug, PartialEq)]
        pub struct App {
            pub upgrade_type: Option<String> = "upgrade_type",
            pub app_version: Option<String> = "app_version",
        }
    }

    #[derive(Debug, PartialEq)]
    enum Upgrade {
        Firmware(Firmware),
        App(App),
    }

    fn best(raw: &Value) -> Option<Upgrade> {
        let mut fit = BestFit::new(raw);
        fit.try_variant(Upgrade::Firmware);
        fit.try_variant(Upgrade::App);
        fit.into_inner()
    }

    #[test]
    fn the_alternative_that_documents_most_keys_wins() {
        let raw = json!({"upgrade_type": "UPGRADE_APP", "app_version": "5.16"});
        assert!(matches!(best(&raw), Some(Upgrade::App(app)) if app.extra.is_empty()));
    }

    #[test]
    fn ties_go_to_the_earlier_alternative_and_the_count_is_the_winners() {
        let before = undocumented_so_far();
        let raw = json!({"upgrade_type": "x", "other": 1});
        assert!(matches!(best(&raw), Some(Upgrade::Firmware(f)) if f.extra.len() == 1));
        assert_eq!(undocumented_so_far().wrapping_sub(before), 1);
    }

    #[test]
    fn keys_lost_deep_inside_count() {
        let raw = json!({"method": "removed", "params": {"event_id": "e"}});
        assert_eq!(keys(&raw), 3);
        assert_eq!(kept(&raw, &json!({"method": "removed", "params": {}})), 2);
        assert!(best(&json!(7)).is_none());
    }
}
