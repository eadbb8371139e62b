//! Rule `webhook-refs`: in OpenAPI 3.1 webhook documents, a `$ref` into `#/paths/<event>/…`
//! where `<event>` is not a path (paths start with `/`) is redirected to `#/webhooks/<event>/…`.
//!
//! Zoom's webhook document refers to the payload of `meeting.updated` as
//! `#/paths/meeting.updated/post/requestBody/content/application~1json/schema/properties/payload/properties/object`
//! (at `zoom-meetings-webhooks.json`
//! `#/webhooks/meeting.updated/post/requestBody/content/application~1json/schema/properties/payload/properties/old_object`),
//! but the document has no `paths`: the schema lives under `webhooks`.

use serde_json::{Map, Value};

pub struct WebhookRefs;

impl super::Rule for WebhookRefs {
    fn name(&self) -> &'static str {
        "webhook-refs"
    }

    fn apply(&self, node: &mut Map<String, Value>) -> Vec<String> {
        let Some(Value::String(reference)) = node.get_mut("$ref") else {
            return Vec::new();
        };
        let Some(rest) = reference.strip_prefix("#/paths/") else {
            return Vec::new();
        };
        if rest.starts_with("~1") || rest.starts_with('/') || rest.starts_with("%2F") {
            return Vec::new();
        }
        let fixed = format!("#/webhooks/{rest}");
        let change = format!("$ref {reference:?} redirected to {fixed:?}");
        *reference = fixed;
        vec![change]
    }
}
