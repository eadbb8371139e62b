//! Instances from the document's own examples: whole bodies (`example` and `examples` of the
//! media type) and bodies assembled from the `example` of every schema in the tree, with
//! random values only where a required field has no example.
//!
//! An example is used only where it fits the generated type, the way the generated decoder
//! reads it; one that does not (a string example on an array, an object example with a key its
//! schema never declares) is the document contradicting itself, so it is skipped and reported
//! with its JSON pointer rather than counted as a failure of the client.

use serde_json::{Map, Value};

use super::random::{self, Rng};
use super::targets::{Target, resolve_ref};
use crate::error::pointer_push;
use crate::ir::{Api, EnumRepr, Field, Leniency, Scalar, TypeKind, TypeRef};

/// Schemas nest deeper than this only in recursive or hostile documents.
const MAX_DEPTH: usize = 32;

/// An example that was not used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// JSON pointer of the example value.
    pub pointer: String,
    pub reason: String,
}

/// The example instances of one target.
#[derive(Debug, Clone, Default)]
pub struct Examples {
    /// (JSON pointer the instance comes from, instance).
    pub instances: Vec<(String, Value)>,
    pub skipped: Vec<Skipped>,
}

/// Every example instance of `target`; `rng` fills required fields that have no example.
pub fn examples(raw: &Value, api: &Api, target: &Target, rng: &mut Rng) -> Examples {
    let mut walker = Walker {
        raw,
        api,
        rng,
        skipped: Vec::new(),
    };
    let mut instances = Vec::new();
    let media = raw.pointer(&target.media_pointer);
    if let Some(example) = media.and_then(|m| m.get("example")) {
        let at = pointer_push(&target.media_pointer, "example");
        walker.whole(example, &at, target, &mut instances);
    }
    if let Some(named) = media
        .and_then(|m| m.get("examples"))
        .and_then(Value::as_object)
    {
        let examples_pointer = pointer_push(&target.media_pointer, "examples");
        for name in named.keys() {
            let at = pointer_push(&examples_pointer, name);
            let Some(at) = resolve_ref(raw, &at) else {
                continue;
            };
            if let Some(value) = raw.pointer(&at).and_then(|e| e.get("value")) {
                walker.whole(value, &pointer_push(&at, "value"), target, &mut instances);
            }
        }
    }
    if let Some(value) = walker.assemble(&target.schema_pointer, &target.ty, false, 0) {
        instances.push((target.schema_pointer.clone(), value));
    }
    Examples {
        instances,
        skipped: walker.skipped,
    }
}

struct Walker<'a> {
    raw: &'a Value,
    api: &'a Api,
    rng: &'a mut Rng,
    skipped: Vec<Skipped>,
}

impl Walker<'_> {
    fn whole(&mut self, value: &Value, at: &str, target: &Target, out: &mut Vec<(String, Value)>) {
        // Zoom's webhook documents give each event's example as JSON text in a string.
        let parsed;
        let value = match value {
            Value::String(text) if !matches!(target.ty, TypeRef::Scalar(_)) => {
                match serde_json::from_str::<Value>(text) {
                    Ok(v @ (Value::Object(_) | Value::Array(_))) => {
                        parsed = v;
                        &parsed
                    }
                    _ => value,
                }
            }
            _ => value,
        };
        match fits(
            self.raw,
            self.api,
            value,
            &target.ty,
            Some(&target.schema_pointer),
            false,
            0,
        ) {
            Ok(()) => out.push((at.to_owned(), value.clone())),
            Err(reason) => self.skipped.push(Skipped {
                pointer: at.to_owned(),
                reason,
            }),
        }
    }

    /// An instance of `ty` built from the examples under the schema at `pointer`, or `None`
    /// when the tree has no example that fits.
    fn assemble(
        &mut self,
        pointer: &str,
        ty: &TypeRef,
        lenient: bool,
        depth: usize,
    ) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let pointer = resolve_ref(self.raw, pointer)?;
        let node = self.raw.pointer(&pointer)?;
        if let Some(example) = node.get("example").filter(|e| !e.is_null()) {
            match fits(self.raw, self.api, example, ty, Some(&pointer), lenient, 0) {
                Ok(()) => return Some(example.clone()),
                Err(reason) => self.skipped.push(Skipped {
                    pointer: pointer_push(&pointer, "example"),
                    reason,
                }),
            }
        }
        match ty {
            TypeRef::Named(id) => {
                let def = self.api.type_def(*id);
                match &def.kind {
                    TypeKind::Struct(s) => self.fields(&pointer, &s.fields, depth),
                    TypeKind::Union(variants) => {
                        // Each alternative of the schema, against each variant of the type.
                        let alternatives = alternatives(self.raw, &pointer);
                        for alternative in &alternatives {
                            for variant in variants {
                                if let Some(v) =
                                    self.assemble(alternative, &variant.ty, false, depth + 1)
                                {
                                    return Some(v);
                                }
                            }
                        }
                        None
                    }
                    TypeKind::Alias(inner) => {
                        let inner = inner.clone();
                        self.assemble(&pointer, &inner, lenient, depth + 1)
                    }
                    TypeKind::Enum(_) | TypeKind::External(_) => None,
                }
            }
            TypeRef::Array(inner) => {
                let items = find_keyword(self.raw, &pointer, "items", 0)?;
                self.assemble(&items, inner, false, depth + 1)
                    .map(|v| Value::Array(vec![v]))
            }
            TypeRef::Map(inner) => {
                let values = find_keyword(self.raw, &pointer, "additionalProperties", 0)?;
                let value = self.assemble(&values, inner, false, depth + 1)?;
                let mut map = Map::new();
                map.insert("key".into(), value);
                Some(Value::Object(map))
            }
            TypeRef::Scalar(_) | TypeRef::Any => None,
        }
    }

    fn fields(&mut self, pointer: &str, fields: &[Field], depth: usize) -> Option<Value> {
        let mut map = Map::new();
        let mut from_examples = false;
        for field in fields {
            let found = find_property(self.raw, pointer, &field.name, 0).and_then(|property| {
                self.assemble(
                    &property,
                    &field.ty,
                    field.leniency == Leniency::NumberAsText,
                    depth + 1,
                )
            });
            match found {
                Some(value) => {
                    from_examples = true;
                    map.insert(field.name.clone(), value);
                }
                None if !field.is_optional() => {
                    map.insert(
                        field.name.clone(),
                        random::field_value(self.api, field, self.rng, depth + 1),
                    );
                }
                None => {}
            }
        }
        from_examples.then_some(Value::Object(map))
    }
}

/// Pointers of the `oneOf`/`anyOf` alternatives of the schema at `pointer`.
fn alternatives(raw: &Value, pointer: &str) -> Vec<String> {
    let mut out = Vec::new();
    for keyword in ["oneOf", "anyOf"] {
        if let Some(list) = raw
            .pointer(pointer)
            .and_then(|n| n.get(keyword))
            .and_then(Value::as_array)
        {
            let at = pointer_push(pointer, keyword);
            out.extend((0..list.len()).map(|i| pointer_push(&at, &i.to_string())));
        }
    }
    out
}

/// The pointer of the schema of property `name` anywhere in the schema at `pointer`: its own
/// `properties`, or those of its `allOf`/`oneOf`/`anyOf` members, following `$ref`s.
pub fn find_property(raw: &Value, pointer: &str, name: &str, depth: usize) -> Option<String> {
    let properties = find_keyword(raw, pointer, "properties", depth);
    let direct = properties.and_then(|p| {
        raw.pointer(&p)
            .and_then(|n| n.get(name))
            .map(|_| pointer_push(&p, name))
    });
    direct.or_else(|| {
        members(raw, pointer, depth, |m| {
            find_property(raw, m, name, depth + 1)
        })
    })
}

/// The pointer of `keyword` in the schema at `pointer` or in its composition members.
fn find_keyword(raw: &Value, pointer: &str, keyword: &str, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    let pointer = resolve_ref(raw, pointer)?;
    let node = raw.pointer(&pointer)?;
    if node.get(keyword).is_some_and(|v| !v.is_boolean()) {
        return Some(pointer_push(&pointer, keyword));
    }
    members(raw, &pointer, depth, |m| {
        find_keyword(raw, m, keyword, depth + 1)
    })
}

/// The first `Some` of `f` over the `allOf`, `oneOf` and `anyOf` members of the schema.
fn members(
    raw: &Value,
    pointer: &str,
    depth: usize,
    mut f: impl FnMut(&str) -> Option<String>,
) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    let pointer = resolve_ref(raw, pointer)?;
    let node = raw.pointer(&pointer)?;
    for keyword in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = node.get(keyword).and_then(Value::as_array) {
            let at = pointer_push(&pointer, keyword);
            for index in 0..list.len() {
                if let Some(found) = f(&pointer_push(&at, &index.to_string())) {
                    return Some(found);
                }
            }
        }
    }
    None
}

/// Whether every item (an array's or a map's, each with its place: `[2]`, `.key`) fits `ty`,
/// the schema of items at `pointer`; the first that does not is the error, with its place.
fn all_fit<'v>(
    raw: &Value,
    api: &Api,
    items: impl Iterator<Item = (String, &'v Value)>,
    ty: &TypeRef,
    pointer: Option<&str>,
    depth: usize,
) -> Result<(), String> {
    for (place, item) in items {
        fits(raw, api, item, ty, pointer, false, depth).map_err(|e| format!("{place}: {e}"))?;
    }
    Ok(())
}

/// Whether the generated decoder reads `value` as `ty` (and would keep all of it): `Err` says
/// where and why not. `pointer` is the schema of `value`, to tell a key the schema declares
/// (which the type must keep) from one it does not (an example that does not fit).
pub fn fits(
    raw: &Value,
    api: &Api,
    value: &Value,
    ty: &TypeRef,
    pointer: Option<&str>,
    lenient: bool,
    depth: usize,
) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("nested too deep".into());
    }
    let wrong = |expected: &str| {
        Err(format!(
            "expected {expected}, the example is {}",
            kind(value)
        ))
    };
    match ty {
        TypeRef::Any => Ok(()),
        TypeRef::Scalar(scalar) => {
            let ok = match scalar {
                Scalar::String | Scalar::Date | Scalar::DateTime => value.is_string(),
                Scalar::Boolean => value.is_boolean(),
                Scalar::Integer { bits } => {
                    let n = match value {
                        Value::Number(n) => n.as_i64(),
                        Value::String(s) if lenient => s.trim().parse::<i64>().ok(),
                        _ => None,
                    };
                    n.is_some_and(|n| *bits != 32 || i32::try_from(n).is_ok())
                }
                Scalar::Number => {
                    value.is_number()
                        || (lenient
                            && value
                                .as_str()
                                .is_some_and(|s| s.trim().parse::<f64>().is_ok_and(f64::is_finite)))
                }
                Scalar::Binary => value
                    .as_array()
                    .is_some_and(|a| a.iter().all(|b| b.as_u64().is_some_and(|b| b < 256))),
            };
            if ok {
                Ok(())
            } else {
                wrong(scalar_name(*scalar))
            }
        }
        TypeRef::Array(inner) => {
            let Some(items) = value.as_array() else {
                return wrong("an array");
            };
            let items_pointer = pointer.and_then(|p| find_keyword(raw, p, "items", 0));
            let items = items
                .iter()
                .enumerate()
                .map(|(i, item)| (format!("[{i}]"), item));
            all_fit(raw, api, items, inner, items_pointer.as_deref(), depth + 1)
        }
        TypeRef::Map(inner) => {
            let Some(map) = value.as_object() else {
                return wrong("an object");
            };
            let values_pointer =
                pointer.and_then(|p| find_keyword(raw, p, "additionalProperties", 0));
            let values = map.iter().map(|(key, item)| (format!(".{key}"), item));
            all_fit(
                raw,
                api,
                values,
                inner,
                values_pointer.as_deref(),
                depth + 1,
            )
        }
        TypeRef::Named(id) => {
            let def = api.type_def(*id);
            match &def.kind {
                TypeKind::Struct(s) => {
                    let Some(map) = value.as_object() else {
                        return wrong("an object");
                    };
                    // The schema the type was made from (not the union or `$ref` around it), so
                    // that a key only another alternative of a union declares is not taken as
                    // known to this one.
                    let pointer = Some(def.pointer.as_str());
                    for field in &s.fields {
                        let optional = field.is_optional();
                        match map.get(&field.name) {
                            None if !optional => {
                                return Err(format!("required field `{}` is missing", field.name));
                            }
                            None => {}
                            Some(Value::Null) if optional => {}
                            Some(Value::String(s))
                                if s.is_empty() && field.leniency == Leniency::EmptyAsAbsent => {}
                            Some(item) => {
                                let property =
                                    pointer.and_then(|p| find_property(raw, p, &field.name, 0));
                                fits(
                                    raw,
                                    api,
                                    item,
                                    &field.ty,
                                    property.as_deref(),
                                    field.leniency == Leniency::NumberAsText,
                                    depth + 1,
                                )
                                .map_err(|e| format!(".{}: {e}", field.name))?;
                            }
                        }
                    }
                    for key in map.keys() {
                        let known = s.fields.iter().any(|f| &f.name == key);
                        let declared =
                            pointer.is_some_and(|p| find_property(raw, p, key, 0).is_some());
                        if !known && !declared {
                            return Err(format!("`{key}` is not a property of the schema"));
                        }
                    }
                    Ok(())
                }
                TypeKind::Enum(e) => {
                    let ok = match e.repr {
                        EnumRepr::String => value.is_string(),
                        EnumRepr::DigitString => {
                            value.is_string() || value.is_i64() || value.is_u64()
                        }
                        EnumRepr::Integer => {
                            value.is_i64()
                                || value
                                    .as_str()
                                    .is_some_and(|s| s.trim().parse::<i64>().is_ok())
                        }
                    };
                    if ok { Ok(()) } else { wrong("an enum value") }
                }
                TypeKind::Union(variants) => {
                    let mut reasons = Vec::new();
                    for variant in variants {
                        match fits(raw, api, value, &variant.ty, pointer, false, depth + 1) {
                            Ok(()) => return Ok(()),
                            Err(reason) => reasons.push(reason),
                        }
                    }
                    reasons.dedup();
                    reasons.truncate(3);
                    Err(format!(
                        "fits none of the alternatives ({})",
                        reasons.join("; ")
                    ))
                }
                TypeKind::Alias(inner) => fits(raw, api, value, inner, pointer, lenient, depth + 1),
                // The user's own type: what it accepts is its business.
                TypeKind::External(_) => Ok(()),
            }
        }
    }
}

fn scalar_name(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::String => "a string",
        Scalar::Date => "a date string",
        Scalar::DateTime => "a date-time string",
        Scalar::Boolean => "a boolean",
        Scalar::Integer { bits: 32 } => "a 32-bit integer",
        Scalar::Integer { .. } => "an integer",
        Scalar::Number => "a number",
        Scalar::Binary => "an array of bytes",
    }
}

fn kind(value: &Value) -> String {
    let text = value.to_string();
    let shown: String = text.chars().take(40).collect();
    let ellipsis = if text.chars().count() > 40 { "…" } else { "" };
    format!("{shown}{ellipsis}")
}
