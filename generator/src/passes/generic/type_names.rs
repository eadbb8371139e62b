//! Pass `type_names`: every emitted type gets a readable, unique, deterministic Rust name.
//!
//! Inline schemas have no names (Zoom's documents are all inline), so names come from where a
//! schema sits: operation, `body`/`response`, property path. The shortest tail of that path
//! that no other type wants is used (`RecordingFiles` rather than
//! `RecordingsListResponseMeetingsRecordingFiles`); types that want the same tail get longer
//! ones until they differ, and numbers settle whatever is left.

use std::collections::HashMap;

use crate::ir::Api;
use crate::names::{self, UniqueNames};

/// Names the emitted code uses itself, or that would shadow the prelude it uses unqualified
/// (`Option`, `Some`, `Vec`, …).
pub const RESERVED: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Debug",
    "Value",
    "Map",
    "Client",
    "Error",
    "Serialize",
    "Deserialize",
    "Date",
    "DateTime",
    "Bytes",
    "Event",
    "Stream",
    "PartialEq",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Fn",
    "Iterator",
    "From",
    "Into",
];

pub fn run(api: &mut Api) {
    let live = super::reachable(api);
    let contexts: HashMap<usize, Vec<String>> = live
        .iter()
        .map(|id| {
            let def = &api.types[id.0];
            let words: Vec<String> = def.context.iter().map(|c| names::pascal(c)).collect();
            (id.0, words)
        })
        .collect();
    // Components keep their whole name; operation-level types (body, response, parameter)
    // keep the operation's name; inline property types may shorten to one word, but never to
    // a word the builder made up (`Body`, `Response201`, `Option2`).
    let minimum = |index: usize| -> usize {
        let words = &contexts[&index];
        let len = words.len();
        if api.types[index].component || len <= 2 {
            return len;
        }
        past_synthetic(words, 1)
    };
    let mut level: HashMap<usize, usize> = live.iter().map(|id| (id.0, minimum(id.0))).collect();
    let candidate = |index: usize, level: usize| -> String {
        let words = &contexts[&index];
        let take = level.min(words.len());
        words[words.len() - take..].concat()
    };
    loop {
        let mut wanted: HashMap<String, Vec<usize>> = HashMap::new();
        for id in &live {
            wanted
                .entry(candidate(id.0, level[&id.0]))
                .or_default()
                .push(id.0);
        }
        let mut changed = false;
        for (name, wanters) in &wanted {
            let clash = wanters.len() > 1 || RESERVED.contains(&name.as_str());
            if !clash {
                continue;
            }
            for index in wanters {
                let current = level[index];
                if current < contexts[index].len() {
                    level.insert(*index, past_synthetic(&contexts[index], current + 1));
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut unique = UniqueNames::default();
    for name in RESERVED {
        unique.reserve(name);
    }
    for id in &live {
        let mut name = candidate(id.0, level[&id.0]);
        if name.is_empty() {
            name = "Anonymous".into();
        }
        api.types[id.0].name = unique.claim(&names::pascal(&name));
    }
}

/// `take` words from the end, plus more while the first of them is a synthetic word.
fn past_synthetic(words: &[String], mut take: usize) -> usize {
    while take < words.len() && is_synthetic(&words[words.len() - take]) {
        take += 1;
    }
    take
}

/// Words that say nothing on their own: the ones the IR builder puts into contexts, and
/// property names too generic to name a type (`payload.object`, a field `type`).
fn is_synthetic(word: &str) -> bool {
    let numbered = |prefix: &str| {
        word.strip_prefix(prefix)
            .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
    };
    matches!(
        word,
        "Body"
            | "DefaultResponse"
            | "Object"
            | "Payload"
            | "Data"
            | "Type"
            | "Item"
            | "Value"
            | "Info"
    ) || numbered("Response")
        || numbered("Option")
}
