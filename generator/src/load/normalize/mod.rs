//! Normalization of the raw JSON before typed parsing. Vendors publish documents that are not
//! valid OpenAPI; each repair here is a named rule that records what it changed and where, so
//! nothing is silently dropped. `cargo xtask codegen --report` prints them.

pub(crate) mod boolean_schemas;
mod defaults;
mod enum_descriptions;
mod enum_on_array;
mod keywords_in_properties;
mod media_type_names;
mod misplaced_keywords;
mod openapi31;
mod property_required_flag;
mod ref_siblings;
mod required_names;
mod response_descriptions;
mod string_formats;
mod trimmed_keys;
mod type_names;
mod webhook_refs;

pub use response_descriptions::is_status_key;

use serde::Serialize;
use serde_json::Value;

use super::Version;
use crate::error::pointer_push;

/// One repair: which rule, where, and what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repair {
    pub rule: &'static str,
    pub pointer: String,
    pub detail: String,
}

/// A repair rule, applied to every JSON object of the document (children before parents, so
/// a rule sees repaired children).
trait Rule {
    fn name(&self) -> &'static str;
    /// Repairs `node` in place; returns a description of each change. A rule implements this
    /// or [`Rule::apply_within`].
    fn apply(&self, _node: &mut serde_json::Map<String, Value>) -> Vec<String> {
        Vec::new()
    }

    /// Whether the rule applies to schema objects only (it would misread a `properties` map,
    /// whose keys are property names, as a schema).
    fn schemas_only(&self) -> bool {
        false
    }

    /// Like [`Rule::apply`], for rules that repair a child of `node`: each change with the
    /// path from `node` to what it changed, so the report points at the element itself.
    fn apply_within(
        &self,
        node: &mut serde_json::Map<String, Value>,
    ) -> Vec<(Vec<String>, String)> {
        self.apply(node)
            .into_iter()
            .map(|detail| (Vec::new(), detail))
            .collect()
    }
}

/// Applies every rule that fits the document's version and returns the repairs made.
pub fn normalize(document: &mut Value, version: Version) -> Vec<Repair> {
    // Order matters within one object: spelling first (keys, 3.1 forms), then meaning.
    let mut rules: Vec<Box<dyn Rule>> = vec![Box::new(trimmed_keys::TrimmedKeys)];
    if version == Version::V3_1 {
        rules.push(Box::new(openapi31::Openapi31Schema));
        rules.push(Box::new(webhook_refs::WebhookRefs));
    }
    rules.extend([
        Box::new(property_required_flag::PropertyRequiredFlag) as Box<dyn Rule>,
        Box::new(type_names::TypeNames),
        Box::new(keywords_in_properties::KeywordsInProperties),
        Box::new(response_descriptions::ResponseDescriptions),
        Box::new(ref_siblings::RefSiblings),
        Box::new(enum_descriptions::EnumDescriptions),
        Box::new(enum_on_array::EnumOnArray),
        Box::new(string_formats::StringFormats),
        Box::new(misplaced_keywords::MisplacedKeywords),
        Box::new(defaults::Defaults),
        Box::new(required_names::RequiredNames),
        Box::new(media_type_names::MediaTypeNames),
    ]);
    let mut repairs = Vec::new();
    walk(document, "", Role::Other, &rules, &mut repairs);
    repairs
}

/// Keys whose values are instances of a schema rather than parts of the document.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum", "const"];

/// What a JSON object is in the document, as far as repairs need to know: a property name in
/// a `properties` map looks like any other key, and data looks like structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A schema object.
    Schema,
    /// A `properties` map or `components/schemas`: every value is a schema.
    SchemaMap,
    /// `allOf`, `oneOf`, `anyOf`: every item is a schema.
    SchemaList,
    /// Anything else of the document.
    Other,
}

impl Role {
    /// The role of the value at `key` inside a node of this role, or `None` for data.
    fn child(self, key: &str, pointer: &str) -> Option<Role> {
        match self {
            Role::SchemaMap => Some(Role::Schema),
            _ if key == "schema" => Some(Role::Schema),
            _ if DATA_KEYS.contains(&key) => None,
            Role::Schema => Some(match key {
                "properties" => Role::SchemaMap,
                "items" | "additionalProperties" | "not" => Role::Schema,
                "allOf" | "oneOf" | "anyOf" => Role::SchemaList,
                _ => Role::Other,
            }),
            Role::Other if key == "schemas" && pointer == "/components" => Some(Role::SchemaMap),
            Role::SchemaList | Role::Other => Some(Role::Other),
        }
    }
}

fn walk(
    node: &mut Value,
    pointer: &str,
    role: Role,
    rules: &[Box<dyn Rule>],
    repairs: &mut Vec<Repair>,
) {
    match node {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                // Examples, defaults and enum values are data, not document structure: a
                // `"type": "work"` in an example is a value, nothing to repair.
                let Some(child_role) = role.child(key, pointer) else {
                    continue;
                };
                // `properties: {additionalProperties: false}` is Zoom's keyword one level too
                // deep (rule `keywords-in-properties`), not a property that must be absent.
                let misplaced_keyword = role == Role::SchemaMap
                    && pointer != "/components/schemas"
                    && keywords_in_properties::is_schema_keyword(key);
                if child_role == Role::Schema && !misplaced_keyword {
                    boolean_schema(child, &pointer_push(pointer, key), repairs);
                }
                walk(
                    child,
                    &pointer_push(pointer, key),
                    child_role,
                    rules,
                    repairs,
                );
            }
            for rule in rules {
                if rule.schemas_only() && role != Role::Schema {
                    continue;
                }
                for (within, detail) in rule.apply_within(map) {
                    let pointer = within
                        .iter()
                        .fold(pointer.to_owned(), |at, key| pointer_push(&at, key));
                    repairs.push(Repair {
                        rule: rule.name(),
                        pointer,
                        detail,
                    });
                }
            }
        }
        Value::Array(items) => {
            let item_role = if role == Role::SchemaList {
                Role::Schema
            } else {
                Role::Other
            };
            for (index, child) in items.iter_mut().enumerate() {
                if item_role == Role::Schema {
                    boolean_schema(child, &pointer_push(pointer, &index.to_string()), repairs);
                }
                walk(
                    child,
                    &pointer_push(pointer, &index.to_string()),
                    item_role,
                    rules,
                    repairs,
                );
            }
        }
        _ => {}
    }
}

/// Applies rule [`boolean_schemas`] to a value that stands where a schema does.
fn boolean_schema(value: &mut Value, pointer: &str, repairs: &mut Vec<Repair>) {
    if let Some(detail) = boolean_schemas::as_object(value) {
        repairs.push(Repair {
            rule: boolean_schemas::NAME,
            pointer: pointer.to_owned(),
            detail,
        });
    }
}
