//! Operations: one method per operation returning a request builder (required parameters as
//! arguments, optional ones as builder methods, then `.send().await`), and page/item streams
//! for paginated operations. The `Client` itself is in `client`, the builders' inputs in
//! `inputs`.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, join};
use super::shape::{Shape, shape};
use super::tokens::{ident, rust_type};
use crate::ir::{Api, BodyKind, Method, Operation, ParamLocation, PathEncoding};
use crate::names::{self, UniqueNames, pascal};

use super::client::{rate_class_tokens, rate_classes};
use super::inputs::{Entry, Input, body_input, param_input};

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
        use ::zoomgen_runtime::{Error, #path_encoding Request, __private};

        #types
        #items
    }
}

/// The runtime items every operation file imports (each builder uses them all).
const RUNTIME_IMPORTS: &[&str] = &["Error", "PathEncoding", "Request", "__private"];

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
    let (pagination, paged) = super::pagination::pagination_methods(api, op, &meta, &builder);
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

            __private::builder_methods!(#output, #decode);

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

        __private::operation!(#builder, #output);

        #paged

        #extra_items
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
