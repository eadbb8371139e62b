//! What a round trip exercises: every JSON request body, JSON response body and webhook payload
//! of a document, each with the generated type it decodes into and the JSON pointer of its
//! schema (where its examples are read and where failures are reported).

use serde_json::Value;

use crate::error::pointer_push;
use crate::ir::{Api, BodyKind, TypeRef};
use crate::load::WebhookSource;

/// Which function of a generated `conformance` module decodes a target.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TargetKind {
    /// `roundtrip_request(operation_id, body)`.
    Request,
    /// `roundtrip_response(operation_id, status, body)`; `status` as the document writes it.
    Response { status: String },
    /// `roundtrip_event(event, body)`.
    Event,
    /// An error answer the document gives no JSON body for (`status` is its status): read as
    /// the vendor's error shape the runtime decodes (`zoomgen_runtime::__private::conformance::roundtrip_error`).
    Error { status: String },
}

/// One schema to round-trip.
#[derive(Debug, Clone)]
pub struct Target {
    pub kind: TargetKind,
    /// The operationId (as the document gives it) or the webhook event name.
    pub name: String,
    /// JSON pointer of the media type object (`…/content/application~1json`), whose `example`
    /// and `examples` are whole bodies.
    pub media_pointer: String,
    /// JSON pointer of the body's schema (the media type's when it has no schema).
    pub schema_pointer: String,
    pub ty: TypeRef,
}

impl Target {
    /// `response recordingGet 200`, `request meetingCreate`, `event recording.completed`.
    pub fn label(&self) -> String {
        match &self.kind {
            TargetKind::Request => format!("request {}", self.name),
            TargetKind::Response { status } => format!("response {} {status}", self.name),
            TargetKind::Event => format!("event {}", self.name),
            TargetKind::Error { status } => format!("error {} {status}", self.name),
        }
    }
}

/// The targets of a document, and the bodies left out because they are not JSON.
#[derive(Debug, Clone, Default)]
pub struct Targets {
    pub targets: Vec<Target>,
    /// `(label, content type)` of multipart, form, text and binary bodies: no JSON to compare.
    pub not_json: Vec<(String, String)>,
}

/// Every target of `api`, in document order. `raw` is the loaded (repaired) document and
/// `webhooks` its webhook sources, in the order the IR's webhooks were built from them. A
/// target that repeats the key of an earlier one (a duplicate operationId) is left out, as the
/// generated `conformance` module keeps only the first.
pub fn targets(raw: &Value, api: &Api, webhooks: &[WebhookSource]) -> Targets {
    let mut out = Targets::default();
    let mut seen: Vec<(TargetKind, String)> = Vec::new();
    let mut push = |out: &mut Targets, target: Target| {
        let key = (target.kind.clone(), target.name.clone());
        if !seen.contains(&key) {
            seen.push(key);
            out.targets.push(target);
        }
    };
    for op in &api.operations {
        if let Some(body) = &op.body {
            let target = body_target(
                raw,
                &pointer_push(&op.pointer, "requestBody"),
                &body.content_type,
                TargetKind::Request,
                &op.operation_id,
                &body.ty,
            );
            file_target(&mut out, target, body.kind, &body.content_type, &mut push);
        }
        for response in &op.responses {
            let Some(body) = &response.body else { continue };
            let response_pointer =
                pointer_push(&pointer_push(&op.pointer, "responses"), &response.status);
            let target = body_target(
                raw,
                &response_pointer,
                &body.content_type,
                TargetKind::Response {
                    status: response.status.clone(),
                },
                &op.operation_id,
                &body.ty,
            );
            file_target(&mut out, target, body.kind, &body.content_type, &mut push);
        }
    }
    for (hook, source) in api.webhooks.iter().zip(webhooks) {
        let media_pointer = source
            .schema_pointer
            .strip_suffix("/schema")
            .unwrap_or(&source.schema_pointer)
            .to_owned();
        push(
            &mut out,
            Target {
                kind: TargetKind::Event,
                name: hook.event.clone(),
                media_pointer,
                schema_pointer: source.schema_pointer.clone(),
                ty: hook.ty.clone(),
            },
        );
    }
    out
}

fn body_target(
    raw: &Value,
    pointer: &str,
    content_type: &str,
    kind: TargetKind,
    name: &str,
    ty: &TypeRef,
) -> Target {
    // A request body or response may be a `$ref` (to `#/components/responses/…`).
    let pointer = resolve_ref(raw, pointer).unwrap_or_else(|| pointer.to_owned());
    let media_pointer = pointer_push(&pointer_push(&pointer, "content"), content_type);
    let schema_pointer = pointer_push(&media_pointer, "schema");
    let schema_pointer = if raw.pointer(&schema_pointer).is_some() {
        schema_pointer
    } else {
        media_pointer.clone()
    };
    Target {
        kind,
        name: name.to_owned(),
        media_pointer,
        schema_pointer,
        ty: ty.clone(),
    }
}

/// References longer than this are cycles.
const MAX_REF_CHAIN: usize = 16;

/// The pointer of what the node at `pointer` stands for, following a chain of local `$ref`s;
/// `None` when a reference dangles, leaves the document or never ends.
pub fn resolve_ref(raw: &Value, pointer: &str) -> Option<String> {
    let mut current = pointer.to_owned();
    for _ in 0..MAX_REF_CHAIN {
        let node = raw.pointer(&current)?;
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let fragment = reference.strip_prefix('#')?;
                current = crate::ir::build::percent_decode(fragment);
            }
            None => return Some(current),
        }
    }
    None
}

/// Files a body's target: JSON bodies are round-tripped, others only counted.
fn file_target(
    out: &mut Targets,
    target: Target,
    kind: BodyKind,
    content_type: &str,
    push: &mut impl FnMut(&mut Targets, Target),
) {
    if kind == BodyKind::Json {
        push(out, target);
    } else {
        out.not_json.push((target.label(), content_type.to_owned()));
    }
}
