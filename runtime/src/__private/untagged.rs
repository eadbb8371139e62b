//! Decoding of untagged unions (`oneOf`/`anyOf`) by best fit rather than first fit.
//!
//! API documents put alternative object shapes side by side (`accountSettings` answers one of
//! several settings objects; `/devices/zpa/upgrade` takes a firmware or an app upgrade). Every
//! field of those objects is optional or an open enum, so the first alternative decodes any
//! object and silently drops the fields only a later one has. Generated unions therefore try
//! every alternative and keep the one whose re-encoding keeps the most object keys (at any
//! depth) of what the server sent; ties go to the earlier alternative, so a value without
//! objects keeps serde's first-that-decodes rule.
//!
//! Trying every alternative must not cost exponential time: in a recursive union
//! (`Node = oneOf[{a: Node, p}, {a: Node, q}]`) each alternative decodes the nested `Node`
//! again, so a body 20 levels deep would be decoded 2^20 times. While a union is decoded, every
//! union decoded inside it is remembered by its type and value, so each (type, value) pair is
//! searched once, and a decode is linear in the body (times the nesting depth, which the JSON
//! reader bounds at 128). On top of that a budget of alternative tries, proportional to the
//! body's size, bounds the work whatever the schema: past it, the decode fails with an error
//! at the union's place in the body, instead of holding a worker.

use std::any::{Any, TypeId};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::object::{set_undocumented, undocumented_so_far};

/// Alternative tries allowed for any body, and per JSON value of the outermost union's value:
/// far above what memoized decoding needs (a few tries per value and union type), far below
/// what an exponential search would take.
const BUDGET_BASE: usize = 1_024;
const BUDGET_PER_VALUE: usize = 16;

/// Decodes the union `T` (named `union` in errors): `alternatives` tries each variant on the
/// [`BestFit`] it is given. The error says that no alternative decodes, or that the budget of
/// tries ran out.
pub fn best_fit<'de, T: Clone + 'static, D: Deserializer<'de>>(
    deserializer: D,
    union: &str,
    alternatives: impl FnOnce(&mut BestFit<'_, T>),
) -> Result<T, D::Error> {
    let raw = Value::deserialize(deserializer)?;
    decode_union(&raw, alternatives).map_err(|failure| {
        D::Error::custom(
            failure.unwrap_or_else(|| {
                format!("data did not match any variant of untagged enum {union}")
            }),
        )
    })
}

/// [`best_fit`]'s search; the error is the budget's message, or `None` when no alternative
/// decodes.
fn decode_union<T: Clone + 'static>(
    raw: &Value,
    alternatives: impl FnOnce(&mut BestFit<'_, T>),
) -> Result<T, Option<String>> {
    let outermost = SEARCH.with_borrow_mut(|search| {
        search.is_none().then(|| {
            *search = Some(Search::new(raw));
            Outermost
        })
    });
    let result = search_once(raw, alternatives);
    drop(outermost);
    result
}

/// Ends the outermost search when dropped, even by an unwinding panic, so the next body on the
/// thread starts afresh.
struct Outermost;

impl Drop for Outermost {
    fn drop(&mut self) {
        SEARCH.set(None);
    }
}

fn search_once<T: Clone + 'static>(
    raw: &Value,
    alternatives: impl FnOnce(&mut BestFit<'_, T>),
) -> Result<T, Option<String>> {
    let key = (TypeId::of::<T>(), fingerprint(raw));
    let start = undocumented_so_far();
    let remembered = SEARCH.with_borrow(|search| {
        let entry = search
            .as_ref()?
            .memo
            .get(&key)?
            .iter()
            .find(|entry| entry.raw == *raw)?;
        let outcome: &Option<T> = entry.outcome.downcast_ref()?;
        Some((outcome.clone(), entry.undocumented))
    });
    let (outcome, undocumented) = match remembered {
        Some(hit) => hit,
        None => {
            let mut fit = BestFit::new(raw);
            alternatives(&mut fit);
            let outcome = fit.into_inner();
            let undocumented = undocumented_so_far().wrapping_sub(start);
            SEARCH.with_borrow_mut(|search| {
                // What was found after the budget ran out is incomplete: not remembered.
                if let Some(search) = search
                    && search.exhausted().is_none()
                {
                    search.memo.entry(key).or_default().push(Remembered {
                        raw: raw.clone(),
                        outcome: Box::new(outcome.clone()),
                        undocumented,
                    });
                }
            });
            (outcome, undocumented)
        }
    };
    set_undocumented(start.wrapping_add(undocumented));
    if let Some(exhausted) = SEARCH.with_borrow(|search| search.as_ref()?.exhausted()) {
        return Err(Some(exhausted));
    }
    outcome.ok_or(None)
}

thread_local! {
    /// The search of the outermost union being decoded on this thread, if any.
    static SEARCH: RefCell<Option<Search>> = const { RefCell::new(None) };
}

/// What the decode of one outermost union knows: the unions decoded inside it, and the tries
/// made and allowed.
struct Search {
    memo: HashMap<(TypeId, u64), Vec<Remembered>>,
    tries: usize,
    budget: usize,
}

/// A union's outcome for one value: an `Option<T>` (`None` when no alternative decoded), and
/// the keys the winner kept in `extra` maps.
struct Remembered {
    raw: Value,
    outcome: Box<dyn Any>,
    undocumented: usize,
}

impl Search {
    fn new(raw: &Value) -> Self {
        Search {
            memo: HashMap::new(),
            tries: 0,
            budget: BUDGET_BASE.saturating_add(BUDGET_PER_VALUE.saturating_mul(values(raw))),
        }
    }

    /// The error once the budget is spent.
    fn exhausted(&self) -> Option<String> {
        (self.tries > self.budget).then(|| {
            format!(
                "decoding stopped after {} tries of union alternatives, the budget for this \
                 body: a recursive union fits it in too many ways",
                self.budget
            )
        })
    }
}

/// Counts one alternative try; false once the budget is spent (the try is not made).
fn spend_try() -> bool {
    SEARCH.with_borrow_mut(|search| match search {
        Some(search) => {
            search.tries = search.tries.saturating_add(1);
            search.tries <= search.budget
        }
        None => true,
    })
}

/// JSON values in `value` (itself included), at any depth.
fn values(value: &Value) -> usize {
    match value {
        Value::Object(map) => 1 + map.values().map(values).sum::<usize>(),
        Value::Array(items) => 1 + items.iter().map(values).sum::<usize>(),
        _ => 1,
    }
}

/// A hash of `value`'s content, for looking it up among remembered values (equal values in
/// another key order only miss the memo).
fn fingerprint(value: &Value) -> u64 {
    fn feed(value: &Value, hasher: &mut impl Hasher) {
        match value {
            Value::Null => 0u8.hash(hasher),
            Value::Bool(b) => (1u8, b).hash(hasher),
            Value::Number(n) => (2u8, n.to_string()).hash(hasher),
            Value::String(s) => (3u8, s).hash(hasher),
            Value::Array(items) => {
                (4u8, items.len()).hash(hasher);
                items.iter().for_each(|item| feed(item, hasher));
            }
            Value::Object(map) => {
                (5u8, map.len()).hash(hasher);
                for (key, item) in map {
                    key.hash(hasher);
                    feed(item, hasher);
                }
            }
        }
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    feed(value, &mut hasher);
    hasher.finish()
}

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
    fn new(raw: &'a Value) -> Self {
        BestFit {
            raw,
            total: keys(raw),
            start: undocumented_so_far(),
            best: None,
        }
    }

    /// True once an alternative keeps every key in documented fields: no later one can do
    /// better.
    fn done(&self) -> bool {
        self.best
            .as_ref()
            .is_some_and(|fit| fit.score == self.total)
    }

    /// Decodes the value as `V`; when that works and keeps more of it in documented fields than
    /// the alternatives so far, `wrap` makes it the union's variant. Every object type keeps
    /// unknown keys in `extra`, so what an alternative loses is what it does not document.
    pub fn try_variant<V: DeserializeOwned + Serialize>(&mut self, wrap: impl FnOnce(V) -> T) {
        if self.done() || !spend_try() {
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
    fn into_inner(self) -> Option<T> {
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
        #[derive(Debug, Clone, PartialEq)]
        pub struct Firmware {
            pub upgrade_type: Option<String> = "upgrade_type",
        }
    }

    crate::__object! {
        #[derive(Debug, Clone, PartialEq)]
        pub struct App {
            pub upgrade_type: Option<String> = "upgrade_type",
            pub app_version: Option<String> = "app_version",
        }
    }

    #[derive(Debug, Clone, PartialEq)]
    enum Upgrade {
        Firmware(Firmware),
        App(App),
    }

    fn best(raw: &Value) -> Option<Upgrade> {
        best_fit(raw, "Upgrade", |fit| {
            fit.try_variant(Upgrade::Firmware);
            fit.try_variant(Upgrade::App);
        })
        .ok()
    }

    // `Node = oneOf[{a: Node, p: string}, {a: Node, q: string}]`, as the generator emits it.
    crate::__object! {
        #[derive(Debug, Clone, PartialEq)]
        pub struct WithP {
            pub a: Option<Box<Node>> = "a",
            pub p: Option<String> = "p",
        }
    }

    crate::__object! {
        #[derive(Debug, Clone, PartialEq)]
        pub struct WithQ {
            pub a: Option<Box<Node>> = "a",
            pub q: Option<String> = "q",
        }
    }

    #[derive(Debug, Clone, PartialEq, serde::Serialize)]
    #[serde(untagged)]
    pub enum Node {
        P(WithP),
        Q(WithQ),
    }

    impl<'de> serde::Deserialize<'de> for Node {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            best_fit(deserializer, "Node", |fit| {
                fit.try_variant(Self::P);
                fit.try_variant(Self::Q);
            })
        }
    }

    /// `{"a":{"a":…{"z":1}…}}`, `depth` levels of `a`.
    fn nested(depth: usize) -> String {
        format!(
            "{}{{\"z\":1}}{}",
            "{\"a\":".repeat(depth),
            "}".repeat(depth)
        )
    }

    #[test]
    fn a_recursive_union_decodes_in_linear_time() {
        // Without memoizing, 2^100 tries; with it, two per level (and the budget is not hit).
        let body = nested(100);
        let node: Node = serde_json::from_str(&body).unwrap();
        let mut depth = 0;
        let mut at = &node;
        while let Node::P(WithP { a: Some(next), .. }) = at {
            depth += 1;
            at = next;
        }
        assert_eq!(depth, 100);
        assert_eq!(serde_json::to_string(&node).unwrap(), body);
        assert!(
            SEARCH.with_borrow(Option::is_none),
            "the search ends with the decode"
        );
    }

    #[test]
    fn a_decode_over_its_budget_is_an_error_where_the_union_sits() {
        SEARCH.set(Some(Search {
            memo: HashMap::new(),
            tries: 0,
            budget: 20,
        }));
        let body = format!("{{\"items\": [{}]}}", nested(30));
        let error = serde_path_to_error::deserialize::<_, HashMap<String, Vec<Node>>>(
            &mut serde_json::Deserializer::from_str(&body),
        )
        .unwrap_err();
        SEARCH.set(None);
        assert_eq!(error.path().to_string(), "items[0]");
        assert!(
            error.inner().to_string().contains("budget"),
            "{}",
            error.inner()
        );
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
