//! Schema conversion: a JSON schema (read from the repaired raw document at a pointer) becomes
//! a [`TypeRef`], creating named types for objects, enums and unions.
//!
//! Schemas are read from the raw JSON rather than from `openapiv3::Schema` because the typed
//! model turns vendor quirks (`type` beside `allOf`, keywords of the wrong type) into
//! `SchemaKind::Any` and loses the structure; here every keyword is interpreted by what it says.

use serde_json::{Map, Value};

use super::Builder;
use crate::error::{Error, Result, pointer_push};
use crate::ir::{
    EnumDef, EnumRepr, EnumValue, Field, Leniency, Limits, Scalar, StructDef, TypeDef, TypeId,
    TypeKind, TypeRef,
};
use crate::load::normalize::boolean_schemas::accepts_nothing;
use crate::names;

mod compose;

/// Schemas nest deeper than this only when a document is broken or hostile. The depth counts
/// across `$ref`s (a chain of 5,000 schemas each referring to the next is 5,000 levels), so a
/// hostile document gets a located error instead of overflowing the stack.
pub const MAX_DEPTH: usize = 128;

impl<'a> Builder<'a> {
    /// Converts the schema at `pointer`; `context` names where it sits (for type names).
    pub(super) fn schema_at(&mut self, pointer: &str, context: &[String]) -> Result<TypeRef> {
        let node = self.node(pointer)?;
        self.schema(node, pointer, context, 0)
    }

    fn schema(
        &mut self,
        node: &'a Value,
        pointer: &str,
        context: &[String],
        depth: usize,
    ) -> Result<TypeRef> {
        if depth > MAX_DEPTH {
            return Err(Error::Unsupported {
                at: self.doc.location(pointer),
                message: format!("schema nesting deeper than {MAX_DEPTH} levels"),
            });
        }
        // `false` (or `{"not": {}}`) accepts nothing: a union leaves it out, an object has
        // no field for it, anywhere else it is an error.
        if accepts_nothing(node) {
            return Err(Error::Invalid {
                at: self.doc.location(pointer),
                message: "the schema `false` accepts no value, so nothing can be sent or \
                          received here"
                    .into(),
            });
        }
        let Some(map) = node.as_object() else {
            // `true` is "anything" in JSON Schema; anything else is not a schema.
            return match node {
                Value::Bool(true) => Ok(self.untyped(pointer, true, "`true` schema")),
                _ => Err(Error::Invalid {
                    at: self.doc.location(pointer),
                    message: "a schema must be an object or a boolean".into(),
                }),
            };
        };
        if let Some(reference) = map.get("$ref") {
            let Some(reference) = reference.as_str() else {
                return Err(Error::Invalid {
                    at: self.doc.location(pointer),
                    message: "$ref must be a string".into(),
                });
            };
            return self.reference(reference, &pointer_push(pointer, "$ref"), depth);
        }
        if let Some(values) = map.get("enum").and_then(Value::as_array)
            && schema_type(map) != Some("array")
        {
            return self.enumeration(map, values, pointer, context);
        }
        if let Some(members) = map.get("allOf").and_then(Value::as_array) {
            return self.all_of(map, members, pointer, context, depth);
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(variants) = map.get(keyword).and_then(Value::as_array) {
                return self.union(variants, &pointer_push(pointer, keyword), context, depth);
            }
        }
        match inferred_type(map) {
            Some("object") => self.object(map, pointer, context, depth),
            Some("array") => self.array(map, pointer, context, depth),
            Some("string") => Ok(TypeRef::Scalar(string_scalar(map))),
            Some("integer") => Ok(TypeRef::Scalar(Scalar::Integer {
                bits: integer_bits(map),
            })),
            Some("number") => Ok(TypeRef::Scalar(Scalar::Number)),
            Some("boolean") => Ok(TypeRef::Scalar(Scalar::Boolean)),
            Some("null") => Ok(self.untyped(pointer, true, "type null")),
            None => Ok(self.untyped(pointer, true, "no type and no structural keyword")),
            Some(other) => Err(Error::Unsupported {
                at: self.doc.location(&pointer_push(pointer, "type")),
                message: format!("schema type {other:?}"),
            }),
        }
    }

    fn object(
        &mut self,
        map: &'a Map<String, Value>,
        pointer: &str,
        context: &[String],
        depth: usize,
    ) -> Result<TypeRef> {
        let properties = map
            .get("properties")
            .and_then(Value::as_object)
            .filter(|p| !p.is_empty());
        let Some(properties) = properties else {
            return match map.get("additionalProperties") {
                Some(inner @ Value::Object(schema)) if !schema.is_empty() => {
                    let inner = self.schema(
                        inner,
                        &pointer_push(pointer, "additionalProperties"),
                        context,
                        depth + 1,
                    )?;
                    Ok(TypeRef::Map(Box::new(inner)))
                }
                // No properties at all: really free-form.
                _ => Ok(TypeRef::Map(Box::new(self.untyped(
                    pointer,
                    true,
                    "object without properties",
                )))),
            };
        };
        let properties_pointer = pointer_push(pointer, "properties");
        let properties = properties
            .iter()
            .map(|(name, schema)| {
                (
                    name.clone(),
                    schema,
                    pointer_push(&properties_pointer, name),
                )
            })
            .collect();
        let required = map
            .get("required")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        self.struct_type(
            properties,
            &required,
            description(map),
            pointer,
            context,
            depth,
        )
    }

    /// A struct from its properties (name, schema, pointer of the schema).
    fn struct_type(
        &mut self,
        properties: Vec<(String, &'a Value, String)>,
        required: &[Value],
        description: Option<String>,
        pointer: &str,
        context: &[String],
        depth: usize,
    ) -> Result<TypeRef> {
        let id = self.reserve(pointer, context, description);
        let mut fields = Vec::with_capacity(properties.len());
        for (name, property, property_pointer) in properties {
            // A property whose schema is `false` must be absent: it gets no field (a value
            // sent anyway is kept in `extra`).
            if accepts_nothing(property) {
                continue;
            }
            let ty = self.schema(
                property,
                &property_pointer,
                &extend(context, &name),
                depth + 1,
            )?;
            let property_map = property.as_object();
            fields.push(Field {
                rust_name: names::snake(&name),
                description: property_map.and_then(self::description),
                ty,
                required: required.iter().any(|r| r.as_str() == Some(name.as_str())),
                nullable: property_map.is_some_and(is_nullable),
                received: false,
                leniency: Leniency::Strict,
                boxed: false,
                secret: false,
                limits: property_map.map(limits).unwrap_or_default(),
                name,
            });
        }
        self.types[id.0].kind = Some(TypeKind::Struct(StructDef { fields }));
        Ok(TypeRef::Named(id))
    }

    fn array(
        &mut self,
        map: &'a Map<String, Value>,
        pointer: &str,
        context: &[String],
        depth: usize,
    ) -> Result<TypeRef> {
        // An item of `recording_files` is a `RecordingFile`.
        let item_context = singular_context(context);
        let item = match map.get("items") {
            Some(items) => self.schema(
                items,
                &pointer_push(pointer, "items"),
                &item_context,
                depth + 1,
            )?,
            None => self.untyped(pointer, true, "array without items"),
        };
        Ok(TypeRef::Array(Box::new(item)))
    }

    fn enumeration(
        &mut self,
        map: &'a Map<String, Value>,
        values: &'a [Value],
        pointer: &str,
        context: &[String],
    ) -> Result<TypeRef> {
        let declared = schema_type(map);
        let non_null: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
        let all_strings = non_null.iter().all(|v| v.is_string());
        let all_integers = non_null.iter().all(|v| v.is_i64() || v.is_u64());
        let repr = match declared {
            _ if non_null.is_empty() => {
                return Ok(self.untyped(pointer, false, "enum of only null"));
            }
            Some("boolean") => return Ok(TypeRef::Scalar(Scalar::Boolean)),
            Some("integer") | Some("number") | None if all_integers => EnumRepr::Integer,
            Some("number") => return Ok(TypeRef::Scalar(Scalar::Number)),
            _ if all_strings || declared == Some("string") => EnumRepr::String,
            _ => return Ok(self.untyped(pointer, false, "enum values of mixed JSON types")),
        };
        let descriptions = map
            .get("x-enum-descriptions")
            .and_then(Value::as_array)
            .filter(|d| d.len() == values.len())
            .map(|d| {
                d.iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Vec<_>>()
            });
        let mut enum_values = Vec::with_capacity(non_null.len());
        // A set, not a scan of the values so far: a 100,000-value enum stays linear.
        let mut seen = std::collections::HashSet::with_capacity(non_null.len());
        for (index, value) in values.iter().enumerate() {
            if value.is_null() {
                continue;
            }
            // The document's type decides the wire form: `type: string` with integer values
            // (Zoom's legacy recording `type`) is sent as strings.
            let wire = match (repr, value) {
                (EnumRepr::String, Value::String(_)) | (EnumRepr::Integer, _) => value.clone(),
                (_, Value::String(s)) => Value::String(s.clone()),
                (_, other) => Value::String(other.to_string()),
            };
            if !seen.insert(wire.clone()) {
                continue;
            }
            enum_values.push(EnumValue {
                wire,
                variant: String::new(),
                description: descriptions
                    .as_ref()
                    .and_then(|d| d.get(index).cloned().flatten()),
            });
        }
        let id = self.reserve(pointer, context, description(map));
        self.types[id.0].kind = Some(TypeKind::Enum(EnumDef {
            repr,
            values: enum_values,
        }));
        Ok(TypeRef::Named(id))
    }

    /// A `$ref`: named by the component it points to; converted once, whatever refers to it.
    pub(super) fn reference(&mut self, reference: &str, at: &str, depth: usize) -> Result<TypeRef> {
        if let Some(ty) = self.refs.get(reference) {
            return Ok(ty.clone());
        }
        let target = self.ref_pointer(reference, at)?;
        let node = self.node(&target)?;
        let name = target
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .replace("~1", "/")
            .replace("~0", "~");
        let component = reference.starts_with("#/components/schemas/");
        let context = vec![name];
        if node.get("$ref").is_some() || !creates_type(node) {
            // An alias of a scalar, array or another reference: convert in place, guarding
            // against a chain of references that comes back to itself.
            if self.resolving.iter().any(|r| r == reference) {
                return Err(Error::Unsupported {
                    at: self.doc.location(at),
                    message: format!("$ref cycle through {reference:?} that never reaches a type"),
                });
            }
            self.resolving.push(reference.to_owned());
            let ty = self.schema(node, &target, &context, depth + 1);
            self.resolving.pop();
            let ty = ty?;
            self.refs.insert(reference.to_owned(), ty.clone());
            return Ok(ty);
        }
        // A type: reserve its id first so that recursive references find it.
        let id = self.reserve(&target, &context, None);
        self.types[id.0].component = component;
        self.refs.insert(reference.to_owned(), TypeRef::Named(id));
        let ty = self.schema(node, &target, &context, depth + 1)?;
        match ty {
            // The schema made its own type: make this id an alias of it (inlined by a pass),
            // and the type itself the component (it keeps the component's name).
            TypeRef::Named(inner) if inner != id => {
                self.types[id.0].kind = Some(TypeKind::Alias(TypeRef::Named(inner)));
                self.types[inner.0].component = component;
            }
            TypeRef::Named(_) => {}
            other => self.types[id.0].kind = Some(TypeKind::Alias(other)),
        }
        Ok(TypeRef::Named(id))
    }

    /// Creates a type whose kind its conversion sets.
    fn reserve(
        &mut self,
        pointer: &str,
        context: &[String],
        description: Option<String>,
    ) -> TypeId {
        let id = TypeId(self.types.len());
        self.types.push(Reserved {
            context: context.to_vec(),
            pointer: pointer.to_owned(),
            description,
            kind: None,
            component: false,
        });
        id
    }
}

/// A type while it is built: reserved before its schema is converted, so that the schema can
/// refer to itself, and given its kind once converted.
pub(super) struct Reserved {
    pub(super) context: Vec<String>,
    pub(super) pointer: String,
    pub(super) description: Option<String>,
    pub(super) kind: Option<TypeKind>,
    pub(super) component: bool,
}

impl Reserved {
    /// The finished type, or `None` when its schema was never converted.
    pub(super) fn finish(self, id: TypeId) -> Option<TypeDef> {
        Some(TypeDef {
            id,
            name: String::new(),
            context: self.context,
            pointer: self.pointer,
            description: self.description,
            kind: self.kind?,
            component: self.component,
            merged_pointers: Vec::new(),
            derives: Vec::new(),
        })
    }
}

/// Whether a schema becomes a named type of its own (as opposed to a scalar or container).
fn creates_type(node: &Value) -> bool {
    let Some(map) = node.as_object() else {
        return false;
    };
    map.contains_key("enum")
        || map.contains_key("allOf")
        || map.contains_key("oneOf")
        || map.contains_key("anyOf")
        || map
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty())
}

/// The context with its last word made singular (`recording_files` → `recording_file`,
/// `activities` → `activity`); words that do not look plural stay as they are.
fn singular_context(context: &[String]) -> Vec<String> {
    let mut out = context.to_vec();
    if let Some(last) = out.last_mut() {
        let lower = last.to_ascii_lowercase();
        if lower.ends_with("ies") && last.len() > 4 {
            last.truncate(last.len() - 3);
            last.push('y');
        } else if lower.ends_with('s')
            && ![
                "ss",
                "us",
                "is",
                "news",
                "series",
                "status",
                "settings",
                "details",
                "analytics",
            ]
            .iter()
            .any(|s| lower.ends_with(s))
            && last.len() > 3
        {
            last.pop();
        }
    }
    out
}

fn extend(context: &[String], name: &str) -> Vec<String> {
    let mut out = context.to_vec();
    out.push(name.to_owned());
    out
}

/// Whether a value can be of JSON Schema types `a` and `b` at once (every integer is a number).
fn compatible_types(a: &str, b: &str) -> bool {
    a == b || matches!((a, b), ("integer", "number") | ("number", "integer"))
}

fn schema_type(map: &Map<String, Value>) -> Option<&str> {
    map.get("type").and_then(Value::as_str)
}

/// The declared type, or the one the other keywords imply when `type` is missing.
fn inferred_type(map: &Map<String, Value>) -> Option<&str> {
    schema_type(map).or_else(|| {
        if map.contains_key("properties") || map.contains_key("additionalProperties") {
            Some("object")
        } else if map.contains_key("items") {
            Some("array")
        } else if map.contains_key("format")
            || map.contains_key("pattern")
            || map.contains_key("maxLength")
        {
            Some("string")
        } else {
            None
        }
    })
}

fn string_scalar(map: &Map<String, Value>) -> Scalar {
    match map.get("format").and_then(Value::as_str) {
        Some("date") => Scalar::Date,
        Some("date-time") => Scalar::DateTime,
        Some("binary") => Scalar::Binary,
        _ => Scalar::String,
    }
}

fn integer_bits(map: &Map<String, Value>) -> u8 {
    match map.get("format").and_then(Value::as_str) {
        Some("int32") => 32,
        _ => 64,
    }
}

fn is_empty_string_enum(value: &Value) -> bool {
    value
        .get("enum")
        .and_then(Value::as_array)
        .is_some_and(|values| values.iter().all(|v| v.as_str() == Some("")))
        && value.get("properties").is_none()
}

pub(super) fn is_nullable(map: &Map<String, Value>) -> bool {
    map.get("nullable").and_then(Value::as_bool) == Some(true)
}

pub(super) fn description(map: &Map<String, Value>) -> Option<String> {
    map.get("description")
        .and_then(Value::as_str)
        .filter(|d| !d.trim().is_empty())
        .map(str::to_owned)
}

/// The limits a schema states, each only where it fits the schema's type (Zoom puts `maximum`
/// on arrays and `minimum` on strings; those say nothing checkable and are ignored).
pub(super) fn limits(map: &Map<String, Value>) -> Limits {
    let number = |key: &str| map.get(key).and_then(Value::as_f64);
    let count = |key: &str| {
        map.get(key)
            .and_then(Value::as_u64)
            .and_then(|v| usize::try_from(v).ok())
    };
    let flag = |key: &str| map.get(key).and_then(Value::as_bool) == Some(true);
    match inferred_type(map) {
        Some("integer" | "number") => Limits {
            minimum: number("minimum"),
            maximum: number("maximum"),
            exclusive_minimum: flag("exclusiveMinimum"),
            exclusive_maximum: flag("exclusiveMaximum"),
            ..Limits::default()
        },
        Some("string") if !map.contains_key("enum") => Limits {
            min_length: count("minLength"),
            max_length: count("maxLength"),
            pattern: map
                .get("pattern")
                .and_then(Value::as_str)
                .map(str::to_owned),
            ..Limits::default()
        },
        Some("array") => Limits {
            min_items: count("minItems"),
            max_items: count("maxItems"),
            ..Limits::default()
        },
        _ => Limits::default(),
    }
}
