//! The inputs of an operation's request builder: each parameter and the body as a field,
//! an argument or a setter, the checks of the document's limits, and the statements that put
//! each into the request.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, join};
use super::tokens::{displayable, ident, rust_type};
use crate::ir::{
    Api, BodyKind, Field, Limits, Operation, ParamLocation, Parameter, PathEncoding, RequestBody,
    Scalar, TypeKind, TypeRef,
};

/// The builder-facing type of a parameter: its own type when it can go into a URL or header
/// as text, otherwise JSON (whose `Display` is its JSON text).
pub(super) fn param_type(api: &Api, param: &Parameter) -> TypeRef {
    match &param.ty {
        ty if displayable(api, ty) => ty.clone(),
        TypeRef::Array(inner)
            if displayable(api, inner) && param.location == ParamLocation::Query =>
        {
            param.ty.clone()
        }
        _ => TypeRef::Any,
    }
}

fn is_string(ty: &TypeRef) -> bool {
    *ty == TypeRef::Scalar(Scalar::String)
}

/// Text-like parameters take `impl Into<T>`: `"me"`, `"2024-01-01"` or a `chrono` date.
pub(super) fn takes_into(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Scalar(Scalar::String | Scalar::Date | Scalar::DateTime)
    )
}

/// One input of an operation (a parameter or the body), as its builder holds it.
pub(super) struct Input {
    /// The builder's field, `name: Type,`.
    pub(super) field: TokenStream,
    /// The field's value in the client method, `name: name.into(),`.
    pub(super) init: TokenStream,
    /// A required input is an argument of the client method; an optional one a setter.
    pub(super) entry: Entry,
    /// The statements that check the value and put it into `request`.
    pub(super) apply: TokenStream,
}

pub(super) enum Entry {
    Argument(TokenStream),
    Setter(TokenStream),
}

pub(super) fn param_input(api: &Api, param: &Parameter) -> Input {
    let name = ident(&param.rust_name);
    let ty_ref = param_type(api, param);
    // A credential is kept as a `Secret`, so the builder's `Debug` does not print it.
    let ty = if param.secret {
        quote! { ::zoomgen_runtime::Secret }
    } else {
        rust_type(api, &ty_ref, &quote! { types:: })
    };
    let wire = &param.name;
    let checks = validations(param, &ty_ref);
    // The statement that puts `value` (an expression of a reference) into the request.
    let set = |value: &TokenStream| match param.location {
        ParamLocation::Path => {
            let encoding = match param.path_encoding {
                PathEncoding::Standard => quote! { Standard },
                PathEncoding::DoubleWhenSlashes => quote! { DoubleWhenSlashes },
            };
            quote! { request.path_param(#wire, #value, PathEncoding::#encoding); }
        }
        ParamLocation::Query if matches!(ty_ref, TypeRef::Array(_)) => {
            quote! { for item in #value { request.query(#wire, item); } }
        }
        ParamLocation::Query => quote! { request.query(#wire, #value); },
        ParamLocation::Header => quote! { request.header(#wire, #value)?; },
        ParamLocation::Cookie => {
            quote! { request.header("Cookie", &::std::format!("{}={}", #wire, #value))?; }
        }
    };
    let named = quote! { value };
    let into = takes_into(&ty_ref);
    if param.required {
        let value = if param.secret {
            quote! { &self.#name.expose() }
        } else {
            quote! { &self.#name }
        };
        Input {
            field: quote! { #name: #ty, },
            init: if into {
                quote! { #name: #name.into(), }
            } else {
                quote! { #name, }
            },
            entry: Entry::Argument(if into {
                quote! { #name: impl ::std::convert::Into<#ty> }
            } else {
                quote! { #name: #ty }
            }),
            // The value is named only where checks read it too.
            apply: if checks.is_empty() {
                set(&value)
            } else {
                let set = set(&named);
                quote! { { let value = #value; #checks #set } }
            },
        }
    } else {
        let value = if param.secret {
            quote! { &self.#name.as_ref().map(::zoomgen_runtime::Secret::expose) }
        } else {
            quote! { &self.#name }
        };
        let (arg, store) = if into {
            (
                quote! { value: impl ::std::convert::Into<#ty> },
                quote! { value.into() },
            )
        } else {
            (quote! { value: #ty }, quote! { value })
        };
        let doc = doc_attrs(Some(&param_doc(param)));
        Input {
            field: quote! { #name: Option<#ty>, },
            init: quote! { #name: None, },
            entry: Entry::Setter(quote! {
                #doc
                pub fn #name(mut self, #arg) -> Self {
                    self.#name = Some(#store);
                    self
                }
            }),
            apply: {
                let set = set(&named);
                quote! { if let Some(value) = #value { #checks #set } }
            },
        }
    }
}

pub(super) fn body_input(
    api: &Api,
    op: &Operation,
    body: &RequestBody,
    meta: &proc_macro2::Ident,
) -> Input {
    let (body_ty, attach) = body_parts(api, op, meta);
    if body.required {
        return Input {
            field: quote! { body: #body_ty, },
            init: quote! { body, },
            entry: Entry::Argument(quote! { body: #body_ty }),
            apply: quote! { { let body = &self.body; #attach } },
        };
    }
    let doc = doc_attrs(Some(&join(&[
        body.description.clone(),
        Some(format!("Content type `{}`.", body.content_type)),
    ])));
    Input {
        field: quote! { body: Option<#body_ty>, },
        init: quote! { body: None, },
        entry: Entry::Setter(quote! {
            #doc
            pub fn body(mut self, value: #body_ty) -> Self {
                self.body = Some(value);
                self
            }
        }),
        apply: quote! { if let Some(body) = &self.body { #attach } },
    }
}

pub(super) fn param_doc(param: &Parameter) -> String {
    let mut facts = Vec::new();
    if let Some(default) = &param.default {
        facts.push(format!("Default: `{default}`."));
    }
    let limits = &param.limits;
    if let Some(max) = limits.maximum {
        facts.push(format!("Maximum: {max}."));
    }
    if let Some(min) = limits.minimum {
        facts.push(format!("Minimum: {min}."));
    }
    if let Some(max) = limits.max_length {
        facts.push(format!("At most {max} characters."));
    }
    if let Some(min) = limits.min_length {
        facts.push(format!("At least {min} characters."));
    }
    if let Some(pattern) = &limits.pattern {
        facts.push(format!("Matches `{pattern}`."));
    }
    if param.path_encoding == PathEncoding::DoubleWhenSlashes {
        facts.push(
            "Encoded twice when it starts with `/` or contains `//`, as the API requires.".into(),
        );
    }
    let described = param.description.clone().unwrap_or_else(|| {
        format!(
            "The `{}` parameter; the document does not describe it.",
            param.name
        )
    });
    join(&[
        Some(described),
        (!facts.is_empty()).then(|| facts.join(" ")),
    ])
}

/// Checks of the document's limits before anything is sent.
fn validations(param: &Parameter, ty: &TypeRef) -> TokenStream {
    let wire = &param.name;
    let limits = &param.limits;
    let mut checks = Vec::new();
    if matches!(ty, TypeRef::Scalar(Scalar::Integer { .. } | Scalar::Number))
        && let Some(bounds) = range_tokens(limits)
    {
        checks.push(quote! { __private::validate::range(&request, #wire, value, #bounds)?; });
    }
    if is_string(ty)
        && let Some(pattern) = limits
            .pattern
            .as_deref()
            .filter(|p| regex_lite::Regex::new(p).is_ok())
    {
        checks.push(quote! { __private::validate::pattern(&request, #wire, value, #pattern)?; });
    }
    if let TypeRef::Scalar(format @ (Scalar::Date | Scalar::DateTime)) = ty {
        let check = if *format == Scalar::Date {
            quote! { date }
        } else {
            quote! { date_time }
        };
        checks.push(quote! { __private::validate::#check(&request, #wire, value)?; });
    }
    if is_string(ty) {
        if let Some(max) = limits.max_length {
            checks.push(quote! { __private::validate::max_length(&request, #wire, value, #max)?; });
        }
        if let Some(min) = limits.min_length {
            checks.push(quote! { __private::validate::min_length(&request, #wire, value, #min)?; });
        }
    }
    if matches!(ty, TypeRef::Array(_)) {
        if let Some(max) = limits.max_items {
            checks.push(
                quote! { __private::validate::max_items(&request, #wire, value.len(), #max)?; },
            );
        }
        if let Some(min) = limits.min_items {
            checks.push(
                quote! { __private::validate::min_items(&request, #wire, value.len(), #min)?; },
            );
        }
    }
    quote! { #(#checks)* }
}

/// The document's `minimum` and `maximum` as a range expression (`0f64..=300f64`, `1f64..`),
/// or `None` when it states neither.
fn range_tokens(limits: &Limits) -> Option<TokenStream> {
    let bound = |value: Option<f64>, exclusive: bool| match value {
        Some(value) if exclusive => quote! { ::std::ops::Bound::Excluded(#value) },
        Some(value) => quote! { ::std::ops::Bound::Included(#value) },
        None => quote! { ::std::ops::Bound::Unbounded },
    };
    let (min, max) = (limits.minimum, limits.maximum);
    if min.is_none() && max.is_none() {
        return None;
    }
    // Range syntax has no exclusive start: a pair of bounds says it.
    if min.is_some() && limits.exclusive_minimum {
        let (start, end) = (bound(min, true), bound(max, limits.exclusive_maximum));
        return Some(quote! { (#start, #end) });
    }
    let min = min.map(|min| quote! { #min });
    Some(match max {
        Some(max) if limits.exclusive_maximum => quote! { #min..#max },
        Some(max) => quote! { #min..=#max },
        None => quote! { #min.. },
    })
}

/// How a request body is encoded from its builder's value.
pub(super) enum BodyEncoding<'a> {
    /// The body type, as JSON.
    Json,
    /// An object type, one part per field.
    Multipart(&'a [Field]),
    /// An object type, form-urlencoded.
    Form,
    /// A `String`, as it is.
    Text,
    /// A `Vec<u8>`, as it is.
    Bytes,
}

/// How `body` is encoded, by its kind and whether its type is an object.
pub(super) fn body_encoding<'a>(api: &'a Api, body: &'a RequestBody) -> BodyEncoding<'a> {
    let struct_fields = match &body.ty {
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Struct(s) => Some(s.fields.as_slice()),
            _ => None,
        },
        _ => None,
    };
    match (body.kind, struct_fields) {
        (BodyKind::Json, _) => BodyEncoding::Json,
        (BodyKind::Multipart, Some(fields)) => BodyEncoding::Multipart(fields),
        (BodyKind::FormUrlEncoded, Some(_)) => BodyEncoding::Form,
        (BodyKind::Text, _) => BodyEncoding::Text,
        _ => BodyEncoding::Bytes,
    }
}

/// The body's builder type and the statements that attach `body` (a reference) to `request`.
fn body_parts(api: &Api, op: &Operation, meta: &proc_macro2::Ident) -> (TokenStream, TokenStream) {
    let types = quote! { types:: };
    let Some(body) = &op.body else {
        return (quote! { () }, quote! {});
    };
    let content_type = &body.content_type;
    let encode_error = quote! {
        |error| Error::Validation {
            operation: #meta.operation_id,
            field: "body".into(),
            message: error.to_string(),
        }
    };
    match body_encoding(api, body) {
        BodyEncoding::Json => (
            rust_type(api, &body.ty, &types),
            quote! { request.json_body(body)?; },
        ),
        BodyEncoding::Multipart(fields) => {
            let parts = fields.iter().map(|field| {
                let name = ident(&field.rust_name);
                let wire = &field.name;
                let value = if field.ty == TypeRef::Scalar(Scalar::Binary) {
                    quote! {
                        ::zoomgen_runtime::MultipartValue::File {
                            file_name: #wire.into(),
                            content_type: None,
                            bytes: ::zoomgen_runtime::Bytes::from(value.clone()),
                        }
                    }
                } else if displayable(api, &field.ty) {
                    quote! { ::zoomgen_runtime::MultipartValue::Text(value.to_string()) }
                } else {
                    quote! { ::zoomgen_runtime::MultipartValue::Text(::zoomgen_runtime::serde_json::to_string(value).map_err(#encode_error)?) }
                };
                let push = quote! { parts.push(::zoomgen_runtime::MultipartPart { name: #wire.into(), value: #value }); };
                if field.is_optional() {
                    quote! { if let Some(value) = &body.#name { #push } }
                } else {
                    quote! { { let value = &body.#name; #push } }
                }
            });
            (
                rust_type(api, &body.ty, &types),
                quote! {
                    let mut parts = Vec::new();
                    #(#parts)*
                    request.multipart_body(parts);
                },
            )
        }
        BodyEncoding::Form => (
            rust_type(api, &body.ty, &types),
            quote! {
                let form = ::zoomgen_runtime::__private::form_urlencoded(body).map_err(#encode_error)?;
                request.raw_body(#content_type, ::zoomgen_runtime::Bytes::from(form));
            },
        ),
        BodyEncoding::Text => (
            quote! { String },
            quote! { request.raw_body(#content_type, ::zoomgen_runtime::Bytes::from(body.clone())); },
        ),
        BodyEncoding::Bytes => (
            quote! { Vec<u8> },
            quote! { request.raw_body(#content_type, ::zoomgen_runtime::Bytes::from(body.clone())); },
        ),
    }
}
