//! Loading: read a document (JSON or YAML), repair what vendors publish wrongly (each repair a
//! named rule, reported with its JSON pointer), then parse it into `openapiv3` types.

pub mod normalize;
pub mod overlay;
mod yaml;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Location, Result, pointer_push};
pub use normalize::{Repair, is_status_key};

/// A loaded document: the typed view for operations and the raw JSON for `$ref`s that point
/// outside `components` (legacy Zoom documents point into `#/paths/...`).
#[derive(Debug)]
pub struct Document {
    pub path: PathBuf,
    pub raw: Value,
    pub spec: openapiv3::OpenAPI,
    /// OpenAPI 3.1 webhook events: the event name and the pointer of its payload schema.
    pub webhooks: Vec<WebhookSource>,
    pub repairs: Vec<Repair>,
}

#[derive(Debug, Clone)]
pub struct WebhookSource {
    pub event: String,
    pub description: Option<String>,
    pub schema_pointer: String,
}

impl Document {
    pub fn location(&self, pointer: &str) -> Location {
        Location {
            file: self.path.clone(),
            pointer: pointer.to_owned(),
        }
    }
}

/// Reads and parses `path`.
pub fn load(path: &Path) -> Result<Document> {
    load_with_overlays(path, &[])
}

/// Reads `path`, applies the Overlay documents `overlays` in order, and parses the result.
pub fn load_with_overlays(path: &Path, overlays: &[PathBuf]) -> Result<Document> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    load_str_with_overlays(path, &text, overlays)
}

/// Parses a document already in memory; `path` names it in errors.
pub fn load_str(path: &Path, text: &str) -> Result<Document> {
    load_str_with_overlays(path, text, &[])
}

/// [`load_str`] with the Overlay documents `overlays` applied first, in order.
pub fn load_str_with_overlays(path: &Path, text: &str, overlays: &[PathBuf]) -> Result<Document> {
    let mut raw = parse_text(path, text)?;
    for overlay in overlays {
        overlay::apply_file(&mut raw, overlay)?;
    }
    let version = openapi_version(path, &raw)?;
    let repairs = normalize::normalize(&mut raw, version);
    let webhooks = webhook_sources(&raw);
    let spec = typed(path, &raw, version)?;
    Ok(Document {
        path: path.to_owned(),
        raw,
        spec,
        webhooks,
        repairs,
    })
}

fn parse_text(path: &Path, text: &str) -> Result<Value> {
    let is_yaml = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    );
    if is_yaml {
        yaml::from_str(text).map_err(|e| Error::Syntax {
            path: path.to_owned(),
            message: e.to_string(),
        })
    } else {
        serde_json::from_str(text).or_else(|json_err| {
            // A text that starts like JSON is JSON: its error is the one to report (parsing a
            // broken 50,000-level JSON text again as YAML took minutes).
            if text.trim_start().starts_with(['{', '[']) {
                return Err(Error::Syntax {
                    path: path.to_owned(),
                    message: json_err.to_string(),
                });
            }
            // Not JSON: YAML is a superset, so try it before giving up, but report the JSON
            // error when YAML does not yield a mapping either.
            match yaml::from_str(text) {
                Ok(value @ Value::Object(_)) => Ok(value),
                _ => Err(Error::Syntax {
                    path: path.to_owned(),
                    message: json_err.to_string(),
                }),
            }
        })
    }
}

/// The OpenAPI minor version: `0` for 3.0.x, `1` for 3.1.x.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V3_0,
    V3_1,
}

fn openapi_version(path: &Path, raw: &Value) -> Result<Version> {
    let at = |pointer: &str| Location {
        file: path.to_owned(),
        pointer: pointer.to_owned(),
    };
    let Some(object) = raw.as_object() else {
        return Err(Error::Invalid {
            at: at(""),
            message: "the document is not a JSON object".into(),
        });
    };
    match object.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => Ok(Version::V3_0),
        Some(v) if v.starts_with("3.1.") => Ok(Version::V3_1),
        Some(v) => Err(Error::Unsupported {
            at: at("/openapi"),
            message: format!("OpenAPI version {v:?}; expected 3.0.x or 3.1.x"),
        }),
        None if let Some(version) = object.get("openapi").filter(|v| !v.is_null()) => {
            Err(Error::Invalid {
                at: at("/openapi"),
                message: format!("the version must be a string such as \"3.0.3\", not {version}"),
            })
        }
        None if object.contains_key("swagger") => Err(Error::Unsupported {
            at: at("/swagger"),
            message: "Swagger 2.0 documents; convert to OpenAPI 3.0 first".into(),
        }),
        None => Err(Error::Invalid {
            at: at(""),
            message: "no `openapi` version field: not an OpenAPI document".into(),
        }),
    }
}

fn webhook_sources(raw: &Value) -> Vec<WebhookSource> {
    let Some(webhooks) = raw.get("webhooks").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (event, item) in webhooks {
        let item_pointer = pointer_push("/webhooks", event);
        let Some(Value::Object(ops)) = Some(item) else {
            continue;
        };
        for (method, op) in ops {
            let body = op.get("requestBody");
            if body
                .and_then(|b| b.pointer("/content/application~1json/schema"))
                .is_some()
            {
                let body_pointer =
                    pointer_push(&pointer_push(&item_pointer, method), "requestBody");
                out.push(WebhookSource {
                    event: event.clone(),
                    description: body
                        .and_then(|b| b.get("description"))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    schema_pointer: format!("{body_pointer}/content/application~1json/schema"),
                });
            }
        }
    }
    out
}

fn typed(path: &Path, raw: &Value, version: Version) -> Result<openapiv3::OpenAPI> {
    let mut copy = blanked_copy(raw, 0);
    if version == Version::V3_1
        && let Some(object) = copy.as_object_mut()
    {
        // The typed model is 3.0; webhooks are read from the raw tree, the rest parses as 3.0.
        object.remove("webhooks");
        object.insert("openapi".into(), Value::String("3.0.3".into()));
        object
            .entry("paths")
            .or_insert_with(|| Value::Object(Default::default()));
    }
    // The plain decoder first; the path-tracking one only to say where a failure is.
    if let Ok(spec) = openapiv3::OpenAPI::deserialize(&copy) {
        return Ok(spec);
    }
    let Err(err) = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&copy) else {
        return Err(Error::Invalid {
            at: Location {
                file: path.to_owned(),
                pointer: String::new(),
            },
            message: "the document parses only with path tracking".to_owned(),
        });
    };
    let (pointer, message) = refine(
        &copy,
        serde_path_to_pointer(err.path()),
        err.inner().to_string(),
    );
    Err(Error::Invalid {
        at: Location {
            file: path.to_owned(),
            pointer,
        },
        message,
    })
}

/// The exact element a typed-parse error is about. `openapiv3` reads path items, responses and
/// parameters as untagged `ReferenceOr<T>`, which buffer their content, so serde's path stops
/// at the map that holds them (`#/paths: missing field 'description'`); each member is parsed
/// again on its own until the one that fails, and its own path is appended.
fn refine(document: &Value, pointer: String, message: String) -> (String, String) {
    fn first_failure<T: serde::de::DeserializeOwned>(
        members: Vec<(String, &Value)>,
    ) -> Option<(String, String, String)> {
        members.into_iter().find_map(|(key, member)| {
            if member.get("$ref").is_some() {
                return None;
            }
            serde_path_to_error::deserialize::<_, T>(member)
                .err()
                .map(|e| (key, serde_path_to_pointer(e.path()), e.inner().to_string()))
        })
    }
    let Some(node) = document.pointer(&pointer) else {
        return (pointer, message);
    };
    let members: Vec<(String, &Value)> = match node {
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => return (pointer, message),
    };
    let failure = match pointer.rsplit('/').next() {
        Some("paths") => first_failure::<openapiv3::PathItem>(members),
        Some("responses") => first_failure::<openapiv3::Response>(members),
        Some("parameters") => first_failure::<openapiv3::Parameter>(members),
        _ => None,
    };
    match failure {
        Some((key, inner, message)) => {
            let at = format!("{}{inner}", pointer_push(&pointer, &key));
            // The member's own error may stop at another untagged map inside it.
            if at == pointer {
                (at, message)
            } else {
                refine(document, at, message)
            }
        }
        None => (pointer, message),
    }
}

/// Schemas are read from the raw tree (`ir::build::schema`), never from the typed model, so the
/// copy given to `openapiv3` has each one replaced by `{}` (and is made without cloning them):
/// its untagged schema enums backtrack at every level, and a malformed keyword 20 levels down
/// took `openapiv3` minutes to reject (the fuzz regression
/// `hang-deep-schema-openapiv3-backtracking.json`).
fn blanked_copy(value: &Value, depth: usize) -> Value {
    // Past this depth nothing is an OpenAPI structure that holds a schema.
    if depth > 12 {
        return value.clone();
    }
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, child)| {
                    let copy = if key == "schema" && child.is_object() {
                        Value::Object(Default::default())
                    } else if key == "schemas" && depth == 1 && child.is_object() {
                        let names = child
                            .as_object()
                            .into_iter()
                            .flat_map(|schemas| schemas.keys());
                        Value::Object(
                            names
                                .map(|name| (name.clone(), Value::Object(Default::default())))
                                .collect(),
                        )
                    } else {
                        blanked_copy(child, depth + 1)
                    };
                    (key.clone(), copy)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| blanked_copy(item, depth + 1))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Turns a `serde_path_to_error` path (`paths./a/{b}.get`) into a JSON pointer (`/paths/~1a~1{b}/get`).
fn serde_path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => pointer_push(&pointer, &index.to_string()),
            Segment::Map { key } => pointer_push(&pointer, key),
            Segment::Enum { variant } => pointer_push(&pointer, variant),
            Segment::Unknown => pointer_push(&pointer, "?"),
        };
    }
    pointer
}
