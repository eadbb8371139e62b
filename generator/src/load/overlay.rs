//! OpenAPI Overlay 1.0 (<https://spec.openapis.org/overlay/v1.0.0.html>): a document of
//! actions, each a JSONPath `target` (RFC 9535) with an `update` to merge into (objects) or
//! append to (arrays) every selected node, or `remove: true` to delete them. Users write
//! overlays for other OpenAPI tools already; zoomgen applies them before it reads the document.

use std::path::Path;

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::error::{Error, Location, Result, pointer_push};

/// Applies the overlay file at `path` to `document`; returns how many nodes it changed.
pub fn apply_file(document: &mut Value, path: &Path) -> Result<usize> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    let overlay = super::parse_text(path, &text)?;
    apply(document, &overlay, path)
}

/// Applies `overlay` (read from `path`, which errors name) to `document`, action by action.
pub fn apply(document: &mut Value, overlay: &Value, path: &Path) -> Result<usize> {
    let at = |pointer: &str, message: String| Error::Invalid {
        at: Location {
            file: path.to_owned(),
            pointer: pointer.to_owned(),
        },
        message,
    };
    let Some(root) = overlay.as_object() else {
        return Err(at("", "an overlay is a JSON or YAML object".into()));
    };
    match root.get("overlay").and_then(Value::as_str) {
        Some(version) if is_version_1_0(version) => {}
        Some(version) => {
            return Err(at(
                "/overlay",
                format!("Overlay version {version:?}; zoomgen reads 1.0.x"),
            ));
        }
        None => return Err(at("", "no `overlay: 1.0.0` field: not an Overlay".into())),
    }
    let info_ok = root
        .get("info")
        .and_then(Value::as_object)
        .is_some_and(|info| {
            ["title", "version"]
                .iter()
                .all(|key| info.get(*key).is_some_and(Value::is_string))
        });
    if !info_ok {
        return Err(at(
            "/info",
            "`info` with a string `title` and `version` is required".into(),
        ));
    }
    let actions = match root.get("actions") {
        Some(Value::Array(actions)) if !actions.is_empty() => actions,
        _ => return Err(at("/actions", "`actions` must be a non-empty list".into())),
    };
    let mut size = Size::of(document);
    let mut changed = 0;
    for (index, action) in actions.iter().enumerate() {
        let pointer = pointer_push("/actions", &index.to_string());
        changed += apply_action(document, action, &pointer, &at, &mut size)?;
    }
    Ok(changed)
}

/// The JSON values a document may hold after its overlays: twice what it had, plus room for
/// any overlay written by hand. Actions whose selections grow with earlier updates would
/// otherwise double the document with each action (18 of them: 388 MB).
const GROWTH_FACTOR: usize = 2;
const GROWTH_ALLOWANCE: usize = 250_000;

/// The document's size in JSON values, and the most it may reach.
struct Size {
    values: usize,
    limit: usize,
}

impl Size {
    fn of(document: &Value) -> Self {
        let values = values(document);
        Size {
            values,
            limit: values
                .saturating_mul(GROWTH_FACTOR)
                .saturating_add(GROWTH_ALLOWANCE),
        }
    }
}

/// JSON values in `value` (itself included), at any depth.
fn values(value: &Value) -> usize {
    match value {
        Value::Object(map) => 1 + map.values().map(values).sum::<usize>(),
        Value::Array(items) => 1 + items.iter().map(values).sum::<usize>(),
        _ => 1,
    }
}

/// The deepest nesting of brackets and parentheses a `target` may have: the JSONPath parser
/// recurses once per level, and about 2,000 levels overflow its stack.
const MAX_TARGET_NESTING: usize = 64;

/// Checks a target's nesting (outside its string literals) before it is parsed.
fn nesting_within_bounds(target: &str) -> std::result::Result<(), String> {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut quote = None;
    let mut escaped = false;
    for c in target.chars() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(open) if c == open => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' | '[' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ')' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    if deepest > MAX_TARGET_NESTING {
        Err(format!(
            "the target nests brackets and parentheses {deepest} deep; at most \
             {MAX_TARGET_NESTING} are read"
        ))
    } else {
        Ok(())
    }
}

fn is_version_1_0(version: &str) -> bool {
    version
        .strip_prefix("1.0.")
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

fn apply_action(
    document: &mut Value,
    action: &Value,
    pointer: &str,
    at: &impl Fn(&str, String) -> Error,
    size: &mut Size,
) -> Result<usize> {
    let Some(action) = action.as_object() else {
        return Err(at(pointer, "an action is an object".into()));
    };
    for key in action.keys() {
        if !matches!(key.as_str(), "target" | "description" | "update" | "remove")
            && !key.starts_with("x-")
        {
            return Err(at(
                &pointer_push(pointer, key),
                format!(
                    "unknown action field {key:?} (Overlay 1.0 has target, description, update, remove)"
                ),
            ));
        }
    }
    let target_pointer = pointer_push(pointer, "target");
    let Some(target) = action.get("target").and_then(Value::as_str) else {
        return Err(at(&target_pointer, "a string `target` is required".into()));
    };
    nesting_within_bounds(target).map_err(|message| at(&target_pointer, message))?;
    let path = JsonPath::parse(target)
        .map_err(|e| at(&target_pointer, format!("not a JSONPath expression: {e}")))?;
    let remove = match action.get("remove") {
        None => false,
        Some(Value::Bool(remove)) => *remove,
        Some(_) => {
            return Err(at(
                &pointer_push(pointer, "remove"),
                "must be a boolean".into(),
            ));
        }
    };
    let update = action.get("update");
    if !remove && update.is_none() {
        return Err(at(
            pointer,
            "the action has neither `update` nor `remove: true`".into(),
        ));
    }
    let selected: Vec<String> = path
        .query_located(document)
        .locations()
        .map(|location| location.to_json_pointer())
        .collect();
    if selected.is_empty() {
        return Err(at(
            &target_pointer,
            format!("{target} selects nothing in the document"),
        ));
    }
    if remove {
        // `update` has no effect when `remove` is true.
        remove_nodes(document, selected, &target_pointer, at)
    } else if let Some(update) = update {
        // Checked before anything is copied: every selected node may receive all of `update`.
        let added = selected.len().saturating_mul(values(update));
        if size.values.saturating_add(added) > size.limit {
            return Err(at(
                pointer,
                format!(
                    "the update would copy {added} JSON values into {} selected nodes, past the \
                     {} the document may hold after its overlays (twice its size, plus {})",
                    selected.len(),
                    size.limit,
                    GROWTH_ALLOWANCE
                ),
            ));
        }
        for node in &selected {
            let Some(value) = document.pointer_mut(node) else {
                continue;
            };
            match (value, update) {
                (Value::Object(target), Value::Object(update)) => merge(target, update),
                (Value::Array(target), update) => target.push(update.clone()),
                (Value::Object(_), _) => {
                    return Err(at(
                        &pointer_push(pointer, "update"),
                        format!("{node} is an object, so the update must be an object"),
                    ));
                }
                _ => {
                    return Err(at(
                        &target_pointer,
                        format!(
                            "{node} is neither an object nor an array: select its parent to replace it"
                        ),
                    ));
                }
            }
        }
        size.values = values(document);
        Ok(selected.len())
    } else {
        Ok(0)
    }
}

/// Merges `update` into `target`: objects merge recursively, any other value replaces.
fn merge(target: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, value) in update {
        match (target.get_mut(key), value) {
            (Some(Value::Object(existing)), Value::Object(value)) => merge(existing, value),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Removes the nodes at `pointers` from their parents, array elements from the back so that
/// the indices of those still to go stay right.
fn remove_nodes(
    document: &mut Value,
    mut pointers: Vec<String>,
    target_pointer: &str,
    at: &impl Fn(&str, String) -> Error,
) -> Result<usize> {
    let split = |pointer: &str| -> Option<(String, String)> {
        let cut = pointer.rfind('/')?;
        let key = pointer[cut + 1..].replace("~1", "/").replace("~0", "~");
        Some((pointer[..cut].to_owned(), key))
    };
    // Later array indices first: `/a/10` before `/a/9`.
    pointers.sort_by(|a, b| {
        let index = |p: &str| split(p).and_then(|(_, k)| k.parse::<usize>().ok());
        b.len().cmp(&a.len()).then(index(b).cmp(&index(a)))
    });
    let count = pointers.len();
    for pointer in pointers {
        let Some((parent, key)) = split(&pointer) else {
            return Err(at(
                target_pointer,
                "the document root cannot be removed".into(),
            ));
        };
        match document.pointer_mut(&parent) {
            Some(Value::Object(map)) => {
                map.shift_remove(&key);
            }
            Some(Value::Array(items)) => {
                if let Ok(index) = key.parse::<usize>()
                    && index < items.len()
                {
                    items.remove(index);
                }
            }
            _ => {}
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(actions: Value) -> Value {
        json!({ "overlay": "1.0.0", "info": { "title": "t", "version": "1" }, "actions": actions })
    }

    #[test]
    fn updates_merge_into_objects_and_append_to_arrays_and_removes_delete() {
        let mut doc = json!({
            "info": { "title": "A", "contact": { "name": "x" } },
            "tags": [{ "name": "one" }],
            "paths": { "/a": { "get": {} }, "/b": { "get": {} }, "/c": { "get": {} } }
        });
        let changed = apply(
            &mut doc,
            &overlay(json!([
                { "target": "$.info", "update": { "contact": { "email": "e" }, "x-new": 1 } },
                { "target": "$.tags", "update": { "name": "two" } },
                { "target": "$.paths['/b','/c']", "remove": true }
            ])),
            Path::new("o.yaml"),
        )
        .unwrap();
        assert_eq!(changed, 4);
        assert_eq!(doc["info"]["contact"], json!({ "name": "x", "email": "e" }));
        assert_eq!(doc["info"]["x-new"], 1);
        assert_eq!(doc["tags"], json!([{ "name": "one" }, { "name": "two" }]));
        assert_eq!(doc["paths"], json!({ "/a": { "get": {} } }));
    }

    #[test]
    fn removing_several_array_elements_removes_exactly_those() {
        let mut doc = json!({ "list": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] });
        apply(
            &mut doc,
            &overlay(json!([{ "target": "$.list[?@ > 8 || @ == 2]", "remove": true }])),
            Path::new("o.yaml"),
        )
        .unwrap();
        assert_eq!(doc["list"], json!([0, 1, 3, 4, 5, 6, 7, 8]));
    }

    #[test]
    fn bad_overlays_are_errors_at_their_action() {
        let doc = json!({ "paths": {} });
        for (overlay, expected) in [
            (
                json!({ "overlay": "2.0.0" }),
                "o.yaml#/overlay: Overlay version",
            ),
            (
                overlay(json!([{ "target": "paths", "remove": true }])),
                "o.yaml#/actions/0/target: not a JSONPath",
            ),
            (
                overlay(json!([{ "target": "$.nothing", "remove": true }])),
                "o.yaml#/actions/0/target: $.nothing selects nothing",
            ),
            (
                overlay(json!([{ "target": "$.paths", "copy": "$.x" }])),
                "o.yaml#/actions/0/copy: unknown action field",
            ),
            (
                overlay(json!([{ "target": "$.paths" }])),
                "o.yaml#/actions/0: the action has neither",
            ),
            (
                overlay(json!([{ "target": "$.paths", "update": 3 }])),
                "o.yaml#/actions/0/update: /paths is an object",
            ),
        ] {
            let err = apply(&mut doc.clone(), &overlay, Path::new("o.yaml"))
                .unwrap_err()
                .to_string();
            assert!(err.starts_with(expected), "{expected}\n{err}");
        }
    }

    #[test]
    fn a_deeply_nested_target_is_an_error_not_a_stack_overflow() {
        let deep = format!("$[?{}@.a{}]", "(".repeat(2_000), ")".repeat(2_000));
        let overlay = overlay(json!([{ "target": deep, "remove": true }]));
        let err = apply(&mut json!({ "a": 1 }), &overlay, Path::new("o.yaml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "o.yaml#/actions/0/target: the target nests brackets and parentheses 2001 deep"
            ),
            "{err}"
        );
        // Brackets inside string literals do not count.
        let quoted = format!("$['{}']", "(".repeat(100));
        assert!(nesting_within_bounds(&quoted).is_ok());
    }

    #[test]
    fn updates_that_double_the_document_stop_at_its_budget() {
        // Each action adds an object under every object, so each doubles the document.
        let actions: Vec<Value> = (0..40)
            .map(|i| json!({ "target": "$..*", "update": { format!("k{i}"): {} } }))
            .collect();
        let mut doc = json!({ "a": {} });
        let err = apply(
            &mut doc,
            &overlay(Value::Array(actions)),
            Path::new("o.yaml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("o.yaml#/actions/"), "{err}");
        assert!(
            err.contains("past the 250004 the document may hold"),
            "{err}"
        );
        assert!(values(&doc) <= 250_004, "{}", values(&doc));
    }
}
