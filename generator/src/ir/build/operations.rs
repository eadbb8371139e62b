//! Operations: method, path, documentation, scopes, rate-limit label, parameters, body and
//! responses of every path item, in document order.

use std::borrow::Cow;

use openapiv3::ReferenceOr;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::Builder;
use super::schema::{description, limits};
use crate::error::{Error, Problems, Result, pointer_push};
use crate::ir::{
    BodyKind, Method, Operation, ParamLocation, Parameter, PathEncoding, RequestBody, Response,
    ResponseBody, TypeRef,
};
use crate::names;

/// `$ref` chains longer than this are cycles.
const MAX_REF_CHAIN: usize = 16;

impl<'a> Builder<'a> {
    /// Every operation; the problems of several are reported together.
    pub(super) fn operations(&mut self, problems: &mut Problems) -> Vec<Operation> {
        let mut operations = Vec::new();
        for (path, item) in &self.doc.spec.paths.paths {
            if problems.full() {
                break;
            }
            let item_pointer = pointer_push("/paths", path);
            let (item, item_pointer) = match self.resolve(item, &item_pointer) {
                Ok(resolved) => resolved,
                Err(error) => {
                    problems.push(error);
                    continue;
                }
            };
            let methods = [
                (Method::Get, "get", &item.get),
                (Method::Put, "put", &item.put),
                (Method::Post, "post", &item.post),
                (Method::Delete, "delete", &item.delete),
                (Method::Options, "options", &item.options),
                (Method::Head, "head", &item.head),
                (Method::Patch, "patch", &item.patch),
            ];
            for (method, key, operation) in methods {
                let Some(operation) = operation else { continue };
                let pointer = pointer_push(&item_pointer, key);
                match self.operation(
                    path,
                    method,
                    operation,
                    &item.parameters,
                    &item_pointer,
                    &pointer,
                ) {
                    Ok(operation) => operations.push(operation),
                    Err(error) => problems.push(error),
                }
            }
        }
        operations
    }

    fn operation(
        &mut self,
        path: &str,
        method: Method,
        op: &openapiv3::Operation,
        shared_params: &[ReferenceOr<openapiv3::Parameter>],
        item_pointer: &str,
        pointer: &str,
    ) -> Result<Operation> {
        let operation_id = op
            .operation_id
            .clone()
            .unwrap_or_else(|| format!("{method:?} {path}"));
        let type_base = names::pascal(&names::readable_operation_id(
            &operation_id,
            op.summary.as_deref(),
        ));

        // Operation parameters override path-item ones with the same name and location.
        let mut params: Vec<Parameter> = Vec::new();
        let shared = shared_params.iter().enumerate().map(|(i, p)| {
            (
                p,
                pointer_push(&pointer_push(item_pointer, "parameters"), &i.to_string()),
            )
        });
        let own = op.parameters.iter().enumerate().map(|(i, p)| {
            (
                p,
                pointer_push(&pointer_push(pointer, "parameters"), &i.to_string()),
            )
        });
        for (param, param_pointer) in own.chain(shared) {
            let param = self.parameter(param, &param_pointer, &type_base)?;
            if !params
                .iter()
                .any(|p| p.name == param.name && p.location == param.location)
            {
                params.push(param);
            }
        }

        let body = match &op.request_body {
            Some(body) => {
                self.request_body(body, &pointer_push(pointer, "requestBody"), &type_base)?
            }
            None => None,
        };

        let mut responses = Vec::new();
        let responses_pointer = pointer_push(pointer, "responses");
        let success_count = op
            .responses
            .responses
            .keys()
            .filter(|s| s.to_string().starts_with('2'))
            .count();
        for (status, response) in &op.responses.responses {
            let status = status.to_string();
            let suffix = if success_count > 1 || !status.starts_with('2') {
                format!("response {status}")
            } else {
                "response".into()
            };
            let response_pointer = pointer_push(&responses_pointer, &status);
            responses.push(self.response(
                response,
                &status,
                &response_pointer,
                &[type_base.clone(), suffix],
            )?);
        }
        if let Some(default) = &op.responses.default {
            let response_pointer = pointer_push(&responses_pointer, "default");
            responses.push(self.response(
                default,
                "default",
                &response_pointer,
                &[type_base.clone(), "default response".into()],
            )?);
        }

        let extensions = op.extensions.get("x-extensions");
        let scope_list = |key: &str| -> Vec<String> {
            extensions
                .and_then(|e| e.get(key))
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut scopes = scope_list("x-macro-scopes");
        if scopes.is_empty() {
            scopes = op
                .security
                .iter()
                .flatten()
                .flat_map(|req| req.values().flatten().cloned())
                .collect();
            scopes.dedup();
        }
        Ok(Operation {
            fn_name: names::snake(&operation_id),
            operation_id,
            method,
            path: path.to_owned(),
            tag: op
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| "default".to_owned()),
            summary: op.summary.clone().filter(|s| !s.trim().is_empty()),
            description: op.description.clone().filter(|s| !s.trim().is_empty()),
            granular_scopes: scope_list("x-granular-scopes"),
            scopes,
            rate_class: rate_class(op),
            deprecated: op.deprecated,
            params,
            body,
            responses,
            pagination: None,
            date_windows: None,
            pointer: pointer.to_owned(),
        })
    }

    fn parameter(
        &mut self,
        param: &ReferenceOr<openapiv3::Parameter>,
        pointer: &str,
        type_base: &str,
    ) -> Result<Parameter> {
        let (param, pointer) = self.resolve(param, pointer)?;
        let (location, data) = match param.as_ref() {
            openapiv3::Parameter::Query { parameter_data, .. } => {
                (ParamLocation::Query, parameter_data)
            }
            openapiv3::Parameter::Header { parameter_data, .. } => {
                (ParamLocation::Header, parameter_data)
            }
            openapiv3::Parameter::Path { parameter_data, .. } => {
                (ParamLocation::Path, parameter_data)
            }
            openapiv3::Parameter::Cookie { parameter_data, .. } => {
                (ParamLocation::Cookie, parameter_data)
            }
        };
        let schema_pointer = match &data.format {
            openapiv3::ParameterSchemaOrContent::Schema(_) => pointer_push(&pointer, "schema"),
            openapiv3::ParameterSchemaOrContent::Content(content) => {
                let Some(media_type) = content.keys().next() else {
                    return Err(Error::Invalid {
                        at: self.doc.location(&pointer),
                        message: "parameter content is empty".into(),
                    });
                };
                pointer_push(
                    &pointer_push(&pointer_push(&pointer, "content"), media_type),
                    "schema",
                )
            }
        };
        let context = [type_base.to_owned(), data.name.clone()];
        let ty = self.schema_at(&schema_pointer, &context)?;
        let schema = self.node(&schema_pointer)?;
        let schema = schema.as_object();
        Ok(Parameter {
            rust_name: names::snake(&data.name),
            name: data.name.clone(),
            location,
            // Path parameters are required whatever the document says.
            required: data.required || location == ParamLocation::Path,
            ty,
            description: data.description.clone().filter(|d| !d.trim().is_empty()),
            path_encoding: PathEncoding::Standard,
            limits: schema.map(limits).unwrap_or_default(),
            secret: false,
            default: schema
                .and_then(|s| s.get("default"))
                .filter(|d| !d.is_null())
                .cloned(),
        })
    }

    fn request_body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        pointer: &str,
        type_base: &str,
    ) -> Result<Option<RequestBody>> {
        let (body, pointer) = self.resolve(body, pointer)?;
        let Some((content_type, kind)) = pick_media_type(body.content.keys()) else {
            return Ok(None);
        };
        let schema_pointer = pointer_push(
            &pointer_push(&pointer_push(&pointer, "content"), &content_type),
            "schema",
        );
        let ty = if self.doc.raw.pointer(&schema_pointer).is_some() {
            self.schema_at(&schema_pointer, &[type_base.to_owned(), "body".into()])?
        } else {
            // A body with a media type and no schema: the document says nothing of its shape.
            let media_pointer = pointer_push(&pointer_push(&pointer, "content"), &content_type);
            self.untyped(&media_pointer, true, "request body without a schema")
        };
        Ok(Some(RequestBody {
            content_type,
            kind,
            ty,
            required: body.required,
            description: body.description.clone().filter(|d| !d.trim().is_empty()),
        }))
    }

    fn response(
        &mut self,
        response: &ReferenceOr<openapiv3::Response>,
        status: &str,
        pointer: &str,
        context: &[String],
    ) -> Result<Response> {
        let (response, pointer) = self.resolve(response, pointer)?;
        let mut body = None;
        if let Some((content_type, kind)) = pick_media_type(response.content.keys()) {
            let schema_pointer = pointer_push(
                &pointer_push(&pointer_push(&pointer, "content"), &content_type),
                "schema",
            );
            if self.doc.raw.pointer(&schema_pointer).is_some() {
                let ty = self.schema_at(&schema_pointer, context)?;
                body = Some(ResponseBody {
                    content_type,
                    kind,
                    ty,
                });
            } else if kind != BodyKind::Json {
                body = Some(ResponseBody {
                    content_type,
                    kind,
                    ty: TypeRef::Any,
                });
            }
        }
        let raw = self.node(&pointer)?;
        Ok(Response {
            status: status.to_owned(),
            description: raw.as_object().and_then(description),
            body,
            headers: response.headers.keys().cloned().collect(),
        })
    }

    /// The item itself, or what its `$ref` points to (decoded into `T`), with its pointer.
    pub(super) fn resolve<'i, T>(
        &self,
        item: &'i ReferenceOr<T>,
        pointer: &str,
    ) -> Result<(Cow<'i, T>, String)>
    where
        T: Clone + DeserializeOwned,
    {
        let mut reference = match item {
            ReferenceOr::Item(item) => return Ok((Cow::Borrowed(item), pointer.to_owned())),
            ReferenceOr::Reference { reference } => reference.clone(),
        };
        let mut at = pointer.to_owned();
        for _ in 0..MAX_REF_CHAIN {
            let target = self.ref_pointer(&reference, &at)?;
            let node = self.node(&target)?;
            if let Some(next) = node.get("$ref").and_then(Value::as_str) {
                reference = next.to_owned();
                at = target;
                continue;
            }
            let value =
                serde_path_to_error::deserialize::<_, T>(node).map_err(|err| Error::Invalid {
                    at: self.doc.location(&format!(
                        "{target}/{}",
                        err.path().to_string().replace('.', "/")
                    )),
                    message: err.inner().to_string(),
                })?;
            return Ok((Cow::Owned(value), target));
        }
        Err(Error::Unsupported {
            at: self.doc.location(pointer),
            message: format!("$ref chain longer than {MAX_REF_CHAIN}"),
        })
    }
}

/// JSON first, then multipart, form, text and anything else (as bytes).
fn pick_media_type<'a>(types: impl Iterator<Item = &'a String>) -> Option<(String, BodyKind)> {
    let kind = |t: &str| {
        let t = t.to_ascii_lowercase();
        if t.contains("json") {
            BodyKind::Json
        } else if t.starts_with("multipart/") {
            BodyKind::Multipart
        } else if t == "application/x-www-form-urlencoded" {
            BodyKind::FormUrlEncoded
        } else if t.starts_with("text/") {
            BodyKind::Text
        } else {
            BodyKind::Binary
        }
    };
    let rank = |k: BodyKind| match k {
        BodyKind::Json => 0,
        BodyKind::Multipart => 1,
        BodyKind::FormUrlEncoded => 2,
        BodyKind::Text => 3,
        BodyKind::Binary => 4,
    };
    types
        .map(|t| (t.clone(), kind(t)))
        .min_by_key(|(_, k)| rank(*k))
}

/// The rate-limit class our `x-rate-limit-label` extension states, as it spells it.
fn rate_class(op: &openapiv3::Operation) -> Option<String> {
    op.extensions
        .get("x-rate-limit-label")
        .and_then(Value::as_str)
        .map(|label| label.trim().to_owned())
        .filter(|label| !label.is_empty())
}
