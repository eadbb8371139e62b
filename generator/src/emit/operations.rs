//! Operations: the API's `Client`, one method per operation returning a request builder
//! (required parameters as arguments, optional ones as builder methods, then `.send().await`),
//! and page/item streams for paginated operations.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, join};
use super::shape::{Shape, shape};
use super::tokens::{displayable, ident, rust_type};
use crate::ir::{
    Api, BodyKind, Limits, Method, Operation, ParamLocation, Parameter, PathEncoding, RequestBody,
    Scalar, TypeKind, TypeRef,
};
use crate::names::{self, UniqueNames, pascal};

pub fn emit_client(api: &Api) -> TokenStream {
    let default_base = api.servers.first().cloned().unwrap_or_default();
    let base_doc = doc_attrs(Some(if api.servers.is_empty() {
        "The document names no server, so this is empty: pass the API's base URL to \
         [`Client::new`]."
    } else {
        "The base URL the document names."
    }));
    let rate_classes = rate_classes_module(api);
    let title = &api.title;
    let doc = doc_attrs(Some(&format!(
        "Client of the {title} API. Cheap to clone; clones share connections, tokens and limits."
    )));
    quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct Client {
            api: ::zoomgen_runtime::ApiClient,
        }

        impl Client {
            #base_doc
            pub const DEFAULT_BASE_URL: &'static str = #default_base;

            /// A client for `base_url` (e.g. [`Client::DEFAULT_BASE_URL`]) with default retries,
            /// timeouts and no client-side rate limiting; see [`Client::builder`] to configure
            /// those.
            pub fn new(base_url: &str, credentials: ::zoomgen_runtime::Credentials) -> Result<Self, ::zoomgen_runtime::Error> {
                Ok(Self { api: ::zoomgen_runtime::ApiClient::new(base_url, credentials)? })
            }

            /// Every setting of the runtime's client (base and token URLs, retries, timeouts,
            /// rate limits, hooks): `build` makes this client, for [`Client::DEFAULT_BASE_URL`]
            /// unless `base_url` says otherwise.
            pub fn builder(credentials: ::zoomgen_runtime::Credentials) -> ::zoomgen_runtime::ClientBuilder<Self> {
                ::zoomgen_runtime::ApiClient::builder(Self::DEFAULT_BASE_URL, credentials).building()
            }

            /// A client over a configured runtime client (`ApiClient::builder`).
            pub fn from_api_client(api: ::zoomgen_runtime::ApiClient) -> Self {
                Self { api }
            }

            /// The runtime client that executes requests.
            pub fn api_client(&self) -> &::zoomgen_runtime::ApiClient {
                &self.api
            }
        }

        impl ::core::convert::From<::zoomgen_runtime::ApiClient> for Client {
            fn from(api: ::zoomgen_runtime::ApiClient) -> Self {
                Self { api }
            }
        }

        #rate_classes
    }
}

pub fn emit_tag(api: &Api, ops: &[&Operation]) -> TokenStream {
    // Builders live beside the prelude names that generated code uses unqualified, and the
    // runtime names every operation file imports.
    let mut names = UniqueNames::default();
    for prelude in crate::passes::generic::type_names::RESERVED
        .iter()
        .chain(RUNTIME_IMPORTS)
    {
        names.reserve(prelude);
    }
    let classes = rate_classes(api);
    let items: Vec<TokenStream> = ops
        .iter()
        .map(|op| emit_operation(api, op, &classes, &mut names))
        .collect();
    let items = quote! { #(#items)* };
    // Tags whose operations use only scalars need no import of the types module, and those
    // without path parameters none of `PathEncoding`.
    let text = items.to_string();
    let types = text
        .contains("types ::")
        .then(|| quote! { use super::types; });
    let path_encoding = text
        .contains("PathEncoding ::")
        .then(|| quote! { PathEncoding, });
    quote! {
        use ::zoomgen_runtime::{Call, CallWithResponse, Error, #path_encoding Request, __private};

        #types
        #items
    }
}

/// The runtime items every operation file imports (each builder uses them all).
const RUNTIME_IMPORTS: &[&str] = &[
    "Call",
    "CallWithResponse",
    "Error",
    "PathEncoding",
    "Request",
    "__private",
];

fn method_tokens(method: Method) -> TokenStream {
    let variant = ident(&format!("{method:?}"));
    quote! { ::zoomgen_runtime::HttpMethod::#variant }
}

/// For an operation limited to a date range per request: `from` after `to` is refused before
/// sending (the server's "at most one month" answer would mislead), as `items_between` does.
fn date_order(op: &Operation) -> TokenStream {
    let Some(windows) = &op.date_windows else {
        return quote! {};
    };
    let optional = |wire: &str| {
        op.params
            .iter()
            .find(|param| param.name == wire && !param.required)
    };
    let (Some(from), Some(to)) = (optional(&windows.from), optional(&windows.to)) else {
        return quote! {};
    };
    let (from_field, to_field) = (ident(&from.rust_name), ident(&to.rust_name));
    let (from_wire, to_wire) = (&from.name, &to.name);
    quote! {
        if let (Some(from), Some(to)) = (&self.#from_field, &self.#to_field) {
            __private::validate::date_order(&request, (#from_wire, from), (#to_wire, to))?;
        }
    }
}

/// The API's rate-limit classes, each with the name of its constant in `rate_classes`
/// (`Resource-intensive` → `RESOURCE_INTENSIVE`): those the API defines, in its order, then
/// any other its operations name, in name order.
fn rate_classes(api: &Api) -> Vec<(&str, String)> {
    let mut others: Vec<&str> = api
        .operations
        .iter()
        .filter_map(|op| op.rate_class.as_deref())
        .filter(|class| !api.rate_classes.iter().any(|known| known == class))
        .collect();
    others.sort_unstable();
    others.dedup();
    let classes = api.rate_classes.iter().map(String::as_str).chain(others);
    let mut names = UniqueNames::default();
    classes
        .into_iter()
        .map(|class| {
            let constant = names.claim(&names::snake(class).to_shouty_snake_case());
            (class, constant)
        })
        .collect()
}

/// The `rate_classes` module: one constant per class the API's operations belong to.
fn rate_classes_module(api: &Api) -> TokenStream {
    let classes = rate_classes(api);
    if classes.is_empty() {
        return quote! {};
    }
    let constants = classes.iter().map(|(class, constant)| {
        let doc = doc_attrs(Some(&format!("Operations of the `{class}` class.")));
        let constant = ident(constant);
        quote! {
            #doc
            pub const #constant: RateClass = RateClass::new(#class);
        }
    });
    quote! {
        /// The rate-limit classes of the API's operations, as its document names them: give
        /// them rates with [`RateLimits`](::zoomgen_runtime::RateLimits).
        pub mod rate_classes {
            use ::zoomgen_runtime::RateClass;

            #(#constants)*
        }
    }
}

/// `Some(super::rate_classes::HEAVY)` for an operation of class `Heavy` (`classes` are the
/// API's, from [`rate_classes`]).
fn rate_class_tokens(classes: &[(&str, String)], rate_class: Option<&str>) -> TokenStream {
    let constant = rate_class.and_then(|wanted| {
        classes
            .iter()
            .find(|(class, _)| *class == wanted)
            .map(|(_, constant)| ident(constant))
    });
    match constant {
        Some(constant) => quote! { Some(super::rate_classes::#constant) },
        None => quote! { None },
    }
}

fn operation_doc(op: &Operation) -> String {
    let method = format!("{:?}", op.method).to_ascii_uppercase();
    let mut facts = vec![format!(
        "`{method} {}` (operationId `{}`)",
        op.path, op.operation_id
    )];
    if !op.scopes.is_empty() {
        facts.push(format!("Scopes: `{}`", op.scopes.join("`, `")));
    }
    if !op.granular_scopes.is_empty() {
        facts.push(format!(
            "Granular scopes: `{}`",
            op.granular_scopes.join("`, `")
        ));
    }
    if let Some(class) = &op.rate_class {
        facts.push(format!("Rate-limit class: `{class}`"));
    }
    // Arguments have no docs of their own: what the client does to them is said here.
    for param in op
        .params
        .iter()
        .filter(|p| p.required && p.path_encoding == PathEncoding::DoubleWhenSlashes)
    {
        facts.push(format!(
            "`{}` is encoded twice when it starts with `/` or contains `//`, as the API requires.",
            names::bare(&param.rust_name)
        ));
    }
    join(&[
        op.summary.clone(),
        op.description.clone(),
        Some(facts.join("\n\n")),
    ])
}

/// The builder-facing type of a parameter: its own type when it can go into a URL or header
/// as text, otherwise JSON (whose `Display` is its JSON text).
fn param_type(api: &Api, param: &Parameter) -> TypeRef {
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
fn takes_into(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Scalar(Scalar::String | Scalar::Date | Scalar::DateTime)
    )
}

fn emit_operation(
    api: &Api,
    op: &Operation,
    classes: &[(&str, String)],
    names: &mut UniqueNames,
) -> TokenStream {
    let fn_name = ident(&op.fn_name);
    let builder_name = names.claim(&pascal(names::bare(&op.fn_name)));
    let builder = ident(&builder_name);
    let meta = ident(&format!(
        "{}_OPERATION",
        names::bare(&op.fn_name).to_shouty_snake_case()
    ));
    let operation_id = &op.operation_id;
    let path = &op.path;
    let method = method_tokens(op.method);
    let rate = rate_class_tokens(classes, op.rate_class.as_deref());

    let inputs: Vec<Input> = op
        .params
        .iter()
        .map(|param| param_input(api, param))
        .chain(
            op.body
                .as_ref()
                .map(|body| body_input(api, op, body, &meta)),
        )
        .collect();
    let fields = inputs.iter().map(|input| &input.field);
    let inits = inputs.iter().map(|input| &input.init);
    // Path values first and in the template's order, whatever the document's order: the
    // runtime then appends each after the template's text before it, searching nothing.
    // `inputs` are the parameters in their order, then the body (past `op.params`' end).
    let mut apply_order: Vec<usize> = (0..inputs.len()).collect();
    apply_order.sort_by_cached_key(|&index| {
        op.params
            .get(index)
            .filter(|param| param.location == ParamLocation::Path)
            .and_then(|param| op.path.find(&format!("{{{}}}", param.name)))
            .unwrap_or(usize::MAX)
    });
    let apply = apply_order.iter().map(|&index| &inputs[index].apply);
    let date_order = date_order(op);
    let args = inputs.iter().filter_map(|input| match &input.entry {
        Entry::Argument(arg) => Some(arg),
        Entry::Setter(_) => None,
    });
    let setters = inputs.iter().filter_map(|input| match &input.entry {
        Entry::Setter(setter) => Some(setter),
        Entry::Argument(_) => None,
    });

    let (output, decode, extra_items) = response_parts(api, op, &builder_name, names);
    let pagination = super::pagination::pagination_methods(api, op, &meta);
    let windows = if pagination.is_empty() {
        quote! {}
    } else {
        super::pagination::date_window_method(api, op, &meta)
    };
    let op_doc = doc_attrs(Some(&operation_doc(op)));
    let builder_doc = format!(
        " Request builder of [`Client::{}`](super::Client::{}): set optional parameters, then `.send().await`.",
        names::bare(&op.fn_name),
        names::bare(&op.fn_name)
    );
    let meta_doc = doc_attrs(Some(&format!("Metadata of `{}`.", op.operation_id)));
    let (scopes, granular_scopes) = (&op.scopes, &op.granular_scopes);
    let deprecated = if op.deprecated {
        quote! { #[deprecated] }
    } else {
        quote! {}
    };
    let builder_lifetime = quote! { <'a> };

    quote! {
        #meta_doc
        pub static #meta: ::zoomgen_runtime::OperationMeta = ::zoomgen_runtime::OperationMeta {
            operation_id: #operation_id,
            method: #method,
            path_template: #path,
            rate_limit: #rate,
            scopes: &[#(#scopes),*],
            granular_scopes: &[#(#granular_scopes),*],
        };

        impl super::Client {
            #op_doc
            #deprecated
            pub fn #fn_name(&self, #(#args),*) -> #builder<'_> {
                #builder { client: self, options: Default::default(), #(#inits)* }
            }
        }

        #[doc = #builder_doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send().await`"]
        pub struct #builder #builder_lifetime {
            client: &'a super::Client,
            options: ::zoomgen_runtime::CallOptions,
            #(#fields)*
        }

        impl<'a> #builder<'a> {
            #(#setters)*

            __private::call_options!();

            /// Validates the parameters, sends the request (with the client's auth, retries and
            /// limits) and decodes the response.
            pub fn send(self) -> Call<'a, #output> {
                self.send_with_response().into()
            }

            /// Like `send`, with the response's status and headers: its request id and
            /// rate-limit state.
            pub fn send_with_response(self) -> CallWithResponse<'a, #output> {
                self.client.api.send(self.request(), #decode)
            }

            fn request(&self) -> Result<Request, Error> {
                let mut request = Request::new(&#meta);
                request.options(&self.options);
                #(#apply)*
                #date_order
                Ok(request)
            }

            #pagination
            #windows
        }

        #extra_items
    }
}

/// One input of an operation (a parameter or the body), as its builder holds it.
struct Input {
    /// The builder's field, `name: Type,`.
    field: TokenStream,
    /// The field's value in the client method, `name: name.into(),`.
    init: TokenStream,
    /// A required input is an argument of the client method; an optional one a setter.
    entry: Entry,
    /// The statements that check the value and put it into `request`.
    apply: TokenStream,
}

enum Entry {
    Argument(TokenStream),
    Setter(TokenStream),
}

fn param_input(api: &Api, param: &Parameter) -> Input {
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

fn body_input(api: &Api, op: &Operation, body: &RequestBody, meta: &proc_macro2::Ident) -> Input {
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

fn param_doc(param: &Parameter) -> String {
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

/// The body's builder type and the statements that attach `body` (a reference) to `request`.
fn body_parts(api: &Api, op: &Operation, meta: &proc_macro2::Ident) -> (TokenStream, TokenStream) {
    let types = quote! { types:: };
    let Some(body) = &op.body else {
        return (quote! { () }, quote! {});
    };
    let content_type = &body.content_type;
    let struct_fields = match &body.ty {
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Struct(s) => Some(&s.fields),
            _ => None,
        },
        _ => None,
    };
    let encode_error = quote! {
        |error| Error::Validation {
            operation: #meta.operation_id,
            field: "body".into(),
            message: error.to_string(),
        }
    };
    match (body.kind, struct_fields) {
        (BodyKind::Json, _) => (
            rust_type(api, &body.ty, &types),
            quote! { request.json_body(body)?; },
        ),
        (BodyKind::Multipart, Some(fields)) => {
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
        (BodyKind::FormUrlEncoded, Some(_)) => (
            rust_type(api, &body.ty, &types),
            quote! {
                let form = ::zoomgen_runtime::__private::form_urlencoded(body).map_err(#encode_error)?;
                request.raw_body(#content_type, ::zoomgen_runtime::Bytes::from(form));
            },
        ),
        (BodyKind::Text, _) => (
            quote! { String },
            quote! { request.raw_body(#content_type, ::zoomgen_runtime::Bytes::from(body.clone())); },
        ),
        _ => (
            quote! { Vec<u8> },
            quote! { request.raw_body(#content_type, ::zoomgen_runtime::Bytes::from(body.clone())); },
        ),
    }
}

/// The `send` output type, the statements decoding `response`, and items emitted beside the
/// builder (a per-status response enum).
fn response_parts(
    api: &Api,
    op: &Operation,
    builder: &str,
    names: &mut UniqueNames,
) -> (TokenStream, TokenStream, TokenStream) {
    let types = quote! { types:: };
    match shape(op) {
        Shape::Unit => (quote! { () }, quote! { __private::decode::unit }, quote! {}),
        Shape::Raw => (
            quote! { ::zoomgen_runtime::RawResponse },
            quote! { __private::decode::raw },
            quote! {},
        ),
        Shape::Bytes => (
            quote! { ::zoomgen_runtime::Bytes },
            quote! { __private::decode::bytes },
            quote! {},
        ),
        Shape::Text => (
            quote! { String },
            quote! { __private::decode::text },
            quote! {},
        ),
        Shape::Json {
            ty,
            maybe_empty: false,
        } => (
            rust_type(api, &ty, &types),
            quote! { __private::decode::json },
            quote! {},
        ),
        Shape::Json {
            ty,
            maybe_empty: true,
        } => {
            let ty = rust_type(api, &ty, &types);
            (
                quote! { Option<#ty> },
                quote! { __private::decode::json_or_empty },
                quote! {},
            )
        }
        Shape::ByStatus(statuses) => {
            let enum_name = ident(&names.claim(&format!("{builder}Response")));
            let mut variants = Vec::new();
            let mut arms = Vec::new();
            for (status, body) in statuses {
                let variant = ident(&pascal(&format!("status {status}")));
                let pattern = match status.parse::<u16>() {
                    Ok(code) => quote! { #code },
                    Err(_) => {
                        let hundreds = status
                            .chars()
                            .next()
                            .and_then(|c| c.to_digit(10))
                            .unwrap_or(2) as u16
                            * 100;
                        let last = hundreds + 99;
                        quote! { #hundreds..=#last }
                    }
                };
                let doc = format!(" HTTP {status}.");
                match body {
                    Some((BodyKind::Json, ty)) => {
                        let ty = rust_type(api, &ty, &types);
                        variants.push(quote! { #[doc = #doc] #variant(#ty), });
                        arms.push(
                            quote! { #pattern => Ok(#enum_name::#variant(response.json()?)), },
                        );
                    }
                    Some(_) => {
                        variants.push(quote! { #[doc = #doc] #variant(::zoomgen_runtime::Bytes), });
                        arms.push(quote! { #pattern => Ok(#enum_name::#variant(::std::mem::take(&mut response.body))), });
                    }
                    None => {
                        variants.push(quote! { #[doc = #doc] #variant, });
                        arms.push(quote! { #pattern => Ok(#enum_name::#variant), });
                    }
                }
            }
            let doc = format!(
                " The documented success responses of `{}`.",
                op.operation_id
            );
            (
                quote! { #enum_name },
                quote! {
                    |response: &mut ::zoomgen_runtime::RawResponse| match response.status {
                        #(#arms)*
                        _ => Ok(#enum_name::Undocumented(response.clone())),
                    }
                },
                quote! {
                    #[doc = #doc]
                    #[derive(Debug)]
                    pub enum #enum_name {
                        #(#variants)*
                        /// A success status the document does not list.
                        Undocumented(::zoomgen_runtime::RawResponse),
                    }
                },
            )
        }
    }
}
