//! JSON comparison with Zoom's documented lenient equivalences, naming the path of every
//! difference. Round trips (`cargo xtask verify`), the conformance command and the payload
//! tests all judge a re-encoded body with it, so "lossy" means the same thing everywhere.

use serde_json::{Map, Value};

/// Whether `reencoded` says the same as `original`, the body a server sent, once decoded into
/// a generated type and serialized again. Returns every difference as
/// `"<JSON path>: <what differs>"`, the path written like `$.meetings[0].recording_files[2].id`.
///
/// Equality is exact (every field kept, every value the same, arrays in order) except for the
/// equivalences the generated types document for Zoom's wire quirks:
///
/// * a number and a string holding the same number are equivalent, in either direction
///   (`"file_size": "7220"` re-encoded as `7220`; a digit-string enum sent as `2` and
///   re-encoded as `"2"`). The string must be the number's plain text: no spaces, no sign
///   other than `-`, not empty;
/// * two numbers are equivalent when they are the same number (`7220` and `7220.0`: JSON does
///   not tell integers from floats);
/// * `null` is equivalent to an absent field;
/// * `""` is equivalent to an absent field (Zoom sends `""` for a date it does not have yet,
///   which the generated types read as absent).
///
/// Nothing else is: a dropped or added field, a changed string, `true` against `"true"`.
pub fn json_equivalent(original: &Value, reencoded: &Value) -> Result<(), Vec<String>> {
    let mut differences = Vec::new();
    compare("$", original, reencoded, &mut differences);
    if differences.is_empty() {
        Ok(())
    } else {
        Err(differences)
    }
}

fn compare(path: &str, original: &Value, reencoded: &Value, out: &mut Vec<String>) {
    match (original, reencoded) {
        (Value::Object(a), Value::Object(b)) => compare_objects(path, a, b, out),
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                out.push(format!(
                    "{path}: the original has {} item(s), the re-encoding {}",
                    a.len(),
                    b.len()
                ));
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(&format!("{path}[{i}]"), x, y, out);
            }
        }
        _ if scalars_equivalent(original, reencoded) => {}
        _ => out.push(format!(
            "{path}: the original is {}, the re-encoding {}",
            shown(original),
            shown(reencoded)
        )),
    }
}

fn compare_objects(
    path: &str,
    original: &Map<String, Value>,
    reencoded: &Map<String, Value>,
    out: &mut Vec<String>,
) {
    for (key, value) in original {
        let at = format!("{path}.{key}");
        match reencoded.get(key) {
            Some(other) => compare(&at, value, other, out),
            None if same_as_absent(value) => {}
            None => out.push(format!(
                "{at}: dropped (the original has {}, the re-encoding has no such field)",
                shown(value)
            )),
        }
    }
    for (key, value) in reencoded {
        if !original.contains_key(key) && !same_as_absent(value) {
            out.push(format!(
                "{path}.{key}: added (the re-encoding has {}, the original has no such field)",
                shown(value)
            ));
        }
    }
}

/// `null` and `""` stand for an absent field.
fn same_as_absent(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

fn scalars_equivalent(a: &Value, b: &Value) -> bool {
    if a == b {
        return true;
    }
    // `null` against `""`: both stand for an absent field.
    if same_as_absent(a) && same_as_absent(b) {
        return true;
    }
    match (numeric(a), numeric(b)) {
        (Some(x), Some(y)) => x.same_as(y),
        _ => false,
    }
}

/// A JSON number, or a string holding one, as a number.
#[derive(Debug, Clone, Copy)]
enum Num {
    Int(i128),
    Float(f64),
}

impl Num {
    fn same_as(self, other: Num) -> bool {
        match (self, other) {
            (Num::Int(x), Num::Int(y)) => x == y,
            (Num::Float(x), Num::Float(y)) => x == y,
            (Num::Int(i), Num::Float(f)) | (Num::Float(f), Num::Int(i)) => {
                // Only an integral float within range can be the same number as an integer;
                // 2^63 and above cannot be compared exactly through f64, so compare in i128.
                f.fract() == 0.0 && f.abs() < 1e38 && (f as i128) == i
            }
        }
    }
}

fn numeric(value: &Value) -> Option<Num> {
    match value {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(Num::Int(i.into()))
            } else if let Some(u) = n.as_u64() {
                Some(Num::Int(u.into()))
            } else {
                n.as_f64().map(Num::Float)
            }
        }
        Value::String(s) => number_text(s),
        _ => None,
    }
}

/// The number a string holds, when it is exactly a JSON number's text (no spaces, no `+`).
fn number_text(text: &str) -> Option<Num> {
    let parsed: Value = serde_json::from_str(text).ok()?;
    match (&parsed, text.trim() == text) {
        (Value::Number(_), true) => numeric(&parsed),
        _ => None,
    }
}

/// A value for a difference message, cut short when long.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        let cut: String = text.chars().take(77).collect();
        format!("{cut}...")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn differences(a: Value, b: Value) -> Vec<String> {
        json_equivalent(&a, &b).err().unwrap_or_default()
    }

    #[test]
    fn identical_documents_are_equivalent() {
        let body = json!({"a": [1, {"b": "x", "c": null}], "d": true, "e": 1.5});
        assert_eq!(json_equivalent(&body, &body.clone()), Ok(()));
    }

    #[test]
    fn numbers_and_strings_holding_them_are_equivalent_both_ways() {
        assert_eq!(
            json_equivalent(&json!({"file_size": "7220"}), &json!({"file_size": 7220})),
            Ok(())
        );
        assert_eq!(
            json_equivalent(&json!({"type": 2}), &json!({"type": "2"})),
            Ok(())
        );
        assert_eq!(
            json_equivalent(
                &json!({"id": "85746065432"}),
                &json!({"id": 85_746_065_432_i64})
            ),
            Ok(())
        );
        assert_eq!(
            json_equivalent(&json!({"n": "-3.5"}), &json!({"n": -3.5})),
            Ok(())
        );
    }

    #[test]
    fn an_integer_and_the_same_float_are_equivalent() {
        assert_eq!(
            json_equivalent(&json!({"file_size": 37285}), &json!({"file_size": 37285.0})),
            Ok(())
        );
        assert_eq!(
            json_equivalent(&json!({"file_size": "7220"}), &json!({"file_size": 7220.0})),
            Ok(())
        );
    }

    #[test]
    fn null_and_empty_string_are_equivalent_to_absent() {
        assert_eq!(
            json_equivalent(
                &json!({"a": 1, "recording_end": "", "b": null}),
                &json!({"a": 1})
            ),
            Ok(())
        );
        assert_eq!(
            json_equivalent(&json!({"a": 1}), &json!({"a": 1, "b": null})),
            Ok(())
        );
        assert_eq!(
            json_equivalent(&json!({"d": ""}), &json!({"d": null})),
            Ok(())
        );
    }

    #[test]
    fn a_dropped_field_fails_with_its_path() {
        let found = differences(
            json!({"meetings": [{"id": 1, "topic": "Weekly"}]}),
            json!({"meetings": [{"id": 1}]}),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("$.meetings[0].topic: dropped"),
            "expected a dropped `$.meetings[0].topic`, got {found:?}"
        );
    }

    #[test]
    fn a_changed_string_fails_with_both_values() {
        let found = differences(
            json!({"recording_files": [{}, {"recording_type": "audio_only"}]}),
            json!({"recording_files": [{}, {"recording_type": "audio_transcript"}]}),
        );
        assert_eq!(
            found,
            vec![
                r#"$.recording_files[1].recording_type: the original is "audio_only", the re-encoding "audio_transcript""#
            ]
        );
    }

    #[test]
    fn an_added_field_fails() {
        let found = differences(json!({"a": 1}), json!({"a": 1, "b": 0}));
        assert_eq!(
            found,
            vec!["$.b: added (the re-encoding has 0, the original has no such field)"]
        );
    }

    #[test]
    fn different_numbers_fail_in_any_form() {
        assert_eq!(differences(json!({"n": 7220}), json!({"n": 7221})).len(), 1);
        assert_eq!(
            differences(json!({"n": "7220"}), json!({"n": 7221})).len(),
            1
        );
        assert_eq!(differences(json!({"n": 2.5}), json!({"n": 2})).len(), 1);
        // Beyond f64's exact range the integers still differ.
        assert_eq!(
            differences(
                json!({"n": 9_007_199_254_740_993_i64}),
                json!({"n": 9_007_199_254_740_992_i64})
            )
            .len(),
            1
        );
    }

    #[test]
    fn only_plain_number_text_counts_as_a_number() {
        for text in [" 7", "7 ", "+7", "0x7", "seven", "7e"] {
            assert_eq!(
                differences(json!({"n": text}), json!({"n": 7})).len(),
                1,
                "{text:?} must not be the number 7"
            );
        }
        assert_eq!(
            differences(json!({"b": "true"}), json!({"b": true})).len(),
            1
        );
    }

    #[test]
    fn a_non_empty_value_is_not_absent_and_empty_is_not_zero() {
        assert_eq!(differences(json!({"a": 0}), json!({})).len(), 1);
        assert_eq!(differences(json!({"a": false}), json!({})).len(), 1);
        assert_eq!(differences(json!({"a": []}), json!({})).len(), 1);
        assert_eq!(differences(json!({"a": ""}), json!({"a": 0})).len(), 1);
        assert_eq!(differences(json!({"a": " "}), json!({})).len(), 1);
    }

    #[test]
    fn array_lengths_and_kinds_must_match() {
        let found = differences(json!({"a": [1, 2, 3]}), json!({"a": [1, 2]}));
        assert_eq!(
            found,
            vec!["$.a: the original has 3 item(s), the re-encoding 2"]
        );
        let found = differences(json!({"a": {"b": 1}}), json!({"a": [1]}));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("$.a: "), "{found:?}");
    }

    #[test]
    fn every_difference_is_reported() {
        let found = differences(
            json!({"x": "a", "y": {"z": [1, {"w": true}]}, "v": 1}),
            json!({"x": "b", "y": {"z": [1, {"w": false}]}}),
        );
        let paths: Vec<&str> = found
            .iter()
            .map(|d| d.split(':').next().unwrap_or(""))
            .collect();
        assert_eq!(paths, ["$.x", "$.y.z[1].w", "$.v"], "{found:?}");
    }
}
