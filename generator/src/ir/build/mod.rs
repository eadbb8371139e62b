//! Building the IR from a loaded document: operations from the typed `openapiv3` model,
//! schemas from the raw JSON at the pointer the typed walk tracks (see [`schema`]).

mod operations;
mod schema;

use std::collections::HashMap;

use serde_json::Value;

use crate::error::{Error, Problems, Result};
use crate::ir::{Api, TypeId, TypeRef, Webhook};
use crate::load::Document;
use crate::names;

pub(crate) struct Builder<'a> {
    doc: &'a Document,
    types: Vec<schema::Reserved>,
    /// `$ref` string → what it converted to, so every reference converts once.
    refs: HashMap<String, TypeRef>,
    /// References being resolved as aliases, to catch alias cycles.
    resolving: Vec<String>,
    untyped: Vec<crate::ir::Untyped>,
}

/// Builds the IR of `doc`, to be emitted into the Rust module `module`; with
/// `all_components`, every component schema becomes a type, used or not.
pub fn build(doc: &Document, module: &str, all_components: bool) -> Result<Api> {
    let mut builder = Builder {
        doc,
        types: Vec::new(),
        refs: HashMap::new(),
        resolving: Vec::new(),
        untyped: Vec::new(),
    };
    let mut problems = Problems::default();
    let operations = builder.operations(&mut problems);
    let webhooks = builder.webhooks(&mut problems);
    let components = builder.components(&mut problems, all_components);
    problems.into_result(())?;
    let types = builder
        .types
        .into_iter()
        .enumerate()
        .map(|(index, reserved)| {
            let pointer = reserved.pointer.clone();
            reserved
                .finish(TypeId(index))
                .ok_or_else(|| Error::Unsupported {
                    at: doc.location(&pointer),
                    message: "schema could not be converted (it refers only to itself)".into(),
                })
        })
        .collect::<Result<Vec<_>>>()?;
    let info = &doc.spec.info;
    let api = Api {
        module: module.to_owned(),
        title: info.title.clone(),
        version: info.version.clone(),
        description: info.description.clone(),
        source: doc
            .path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        servers: doc.spec.servers.iter().map(|s| s.url.clone()).collect(),
        rate_classes: Vec::new(),
        operations,
        types,
        webhooks,
        components,
        sign_in: None,
        runtime_vendor: None,
        skipped_derives: Vec::new(),
        untyped: builder.untyped,
    };
    Ok(api)
}

impl<'a> Builder<'a> {
    /// Records that the schema at `pointer` becomes untyped JSON.
    fn untyped(&mut self, pointer: &str, free_form: bool, reason: &str) -> TypeRef {
        self.untyped.push(crate::ir::Untyped {
            pointer: pointer.to_owned(),
            free_form,
            reason: reason.to_owned(),
        });
        TypeRef::Any
    }

    /// The raw JSON at `pointer`, or an error naming it.
    fn node(&self, pointer: &str) -> Result<&'a Value> {
        let doc: &'a Document = self.doc;
        doc.raw.pointer(pointer).ok_or_else(|| Error::Invalid {
            at: self.doc.location(pointer),
            message: "nothing at this JSON pointer".into(),
        })
    }

    /// The JSON pointer a local `$ref` names (percent-decoded, so legacy Zoom references
    /// such as `#/paths/~1rooms~1%7BroomId%7D~1device_profiles` work), checked to exist.
    fn ref_pointer(&self, reference: &str, at: &str) -> Result<String> {
        let Some(fragment) = reference.strip_prefix('#') else {
            return Err(Error::Unsupported {
                at: self.doc.location(at),
                message: format!(
                    "external $ref {reference:?}; only references inside the document are supported"
                ),
            });
        };
        let pointer = percent_decode(fragment);
        if self.doc.raw.pointer(&pointer).is_none() {
            return Err(Error::DanglingRef {
                at: self.doc.location(at),
                reference: reference.to_owned(),
            });
        }
        Ok(pointer)
    }

    /// Every webhook event; the problems of several are reported together.
    fn webhooks(&mut self, problems: &mut Problems) -> Vec<Webhook> {
        let mut webhooks = Vec::with_capacity(self.doc.webhooks.len());
        let mut variants = names::UniqueNames::default();
        for source in &self.doc.webhooks {
            if problems.full() {
                break;
            }
            let context = vec![format!("{} event", source.event)];
            let ty = match self.schema_at(&source.schema_pointer, &context) {
                Ok(ty) => ty,
                Err(error) => {
                    problems.push(error);
                    continue;
                }
            };
            webhooks.push(Webhook {
                event: source.event.clone(),
                variant: variants.claim(&names::pascal(&source.event)),
                description: source.description.clone(),
                ty,
            });
        }
        webhooks
    }
}

impl<'a> Builder<'a> {
    /// Checks the references of every component schema, reached or not (a dangling `$ref`
    /// is an error wherever it sits); with `convert`, also converts each schema and returns
    /// what each became.
    fn components(&mut self, problems: &mut Problems, convert: bool) -> Vec<TypeRef> {
        let doc: &'a Document = self.doc;
        let Some(schemas) = doc
            .raw
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        else {
            return Vec::new();
        };
        let mut converted = Vec::new();
        for (name, schema) in schemas {
            if problems.full() {
                break;
            }
            let pointer = crate::error::pointer_push("/components/schemas", name);
            let mut references = Vec::new();
            references_in(schema, &pointer, &mut references);
            for (reference, at) in references {
                if let Err(error) = self.ref_pointer(reference, &at) {
                    problems.push(error);
                }
            }
            if convert {
                // As a `$ref` names it (`%` escaped, since references are percent-decoded),
                // so the type is the one every reference to it shares.
                let reference = format!("#{}", pointer.replace('%', "%25"));
                match self.reference(&reference, &pointer, 0) {
                    Ok(ty) => converted.push(ty),
                    Err(error) => problems.push(error),
                }
            }
        }
        converted
    }
}

/// Every `$ref` string under `value` (at `pointer`), with the pointer of the `$ref` itself.
fn references_in<'v>(value: &'v Value, pointer: &str, out: &mut Vec<(&'v str, String)>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let at = crate::error::pointer_push(pointer, key);
                match (key.as_str(), item) {
                    ("$ref", Value::String(reference)) => out.push((reference, at)),
                    _ => references_in(item, &at, out),
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                references_in(
                    item,
                    &crate::error::pointer_push(pointer, &index.to_string()),
                    out,
                );
            }
        }
        _ => {}
    }
}

/// A `$ref` fragment with its percent-escapes decoded (legacy Zoom references escape `{`).
pub(crate) fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}
