//! The opt-in `conformance` module of each API (cargo feature `conformance`, off by default):
//! one function per kind of body that decodes a body into the generated type and encodes it
//! again, so `cargo xtask verify` and `cargo xtask conformance` can check the types against
//! bodies without knowing their Rust names. Off by default because users do not need it and
//! it instantiates the decoders of every type once more.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{DocComment, doc_comment};
use super::tables::{self, Table};
use super::tokens::{ident, rust_type};
use crate::ir::{Api, BodyKind, TypeId, TypeKind};

/// One dispatch function: its name, documentation and key arguments, and its arms.
struct Dispatch {
    name: &'static str,
    doc: &'static str,
    keys: &'static [&'static str],
    arms: Vec<Arm>,
}

/// A key (one `&str` or a tuple of them) and the type its body decodes into.
struct Arm {
    key: Vec<String>,
    ty: TokenStream,
}

impl Arm {
    fn new(key: &[&str], ty: TokenStream) -> Arm {
        Arm {
            key: key.iter().map(|part| (*part).to_owned()).collect(),
            ty,
        }
    }

    /// The key as a pattern: tokens, and their text as the table shows them.
    fn pattern(&self) -> (TokenStream, String) {
        let parts = &self.key;
        let text: Vec<String> = parts.iter().map(|part| format!("{part:?}")).collect();
        match parts.as_slice() {
            [one] => (quote! { #one }, text.join("")),
            _ => (quote! { (#(#parts),*) }, format!("({})", text.join(", "))),
        }
    }
}

pub fn emit_conformance(api: &Api, live: &[TypeId]) -> TokenStream {
    let types = quote! { types:: };

    let mut type_names: Vec<&str> = Vec::new();
    let type_arms: Vec<Arm> = live
        .iter()
        .map(|id| api.type_def(*id))
        .filter(|def| {
            matches!(
                def.kind,
                TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Union(_)
            )
        })
        .filter(|def| claim(&mut type_names, &def.name))
        .map(|def| {
            let name = ident(&def.name);
            Arm::new(&[&def.name], quote! { #types #name })
        })
        .collect();

    let mut requests: Vec<&str> = Vec::new();
    let mut responses: Vec<(&str, &str)> = Vec::new();
    let mut request_arms = Vec::new();
    let mut response_arms = Vec::new();
    for op in &api.operations {
        let id = op.operation_id.as_str();
        if let Some(body) = op.body.as_ref().filter(|b| b.kind == BodyKind::Json)
            && claim(&mut requests, id)
        {
            request_arms.push(Arm::new(&[id], rust_type(api, &body.ty, &types)));
        }
        for response in &op.responses {
            let Some(body) = response.body.as_ref().filter(|b| b.kind == BodyKind::Json) else {
                continue;
            };
            let key = (id, response.status.as_str());
            if responses.contains(&key) {
                continue;
            }
            responses.push(key);
            response_arms.push(Arm::new(
                &[id, &response.status],
                rust_type(api, &body.ty, &types),
            ));
        }
    }

    let mut events: Vec<&str> = Vec::new();
    let event_arms: Vec<Arm> = api
        .webhooks
        .iter()
        .filter(|w| claim(&mut events, &w.event))
        .map(|w| Arm::new(&[&w.event], rust_type(api, &w.ty, &types)))
        .collect();

    // Only a crate with named types uses them: one without may still have scalar bodies.
    let import_types = (!type_arms.is_empty()).then(|| quote! { use super::types; });
    let dispatches = [
        Dispatch {
            name: "roundtrip_type",
            doc: "A body decoded as the named type (its Rust name, e.g. `RecordingGetResponse`).",
            keys: &["type_name"],
            arms: type_arms,
        },
        Dispatch {
            name: "roundtrip_request",
            doc: "The JSON request body of an operation (by the document's operationId).",
            keys: &["operation_id"],
            arms: request_arms,
        },
        Dispatch {
            name: "roundtrip_response",
            doc: "The JSON body of an operation's response, by the status the document writes \
                  (`200`, `2XX`, `default`).",
            keys: &["operation_id", "status"],
            arms: response_arms,
        },
        Dispatch {
            name: "roundtrip_event",
            doc: "The payload of a webhook event (by its name, e.g. `recording.completed`).",
            keys: &["event"],
            arms: event_arms,
        },
    ]
    .map(dispatch);
    let webhook = if api.webhooks.is_empty() {
        quote! {}
    } else {
        quote! {
            /// Decodes a webhook body as [`super::webhooks::Event`] (dispatching on its `event`
            /// field, as a receiver would) and encodes it again.
            pub fn roundtrip_webhook(body: &[u8]) -> Outcome {
                ::zoomgen_runtime::__private::conformance::roundtrip::<super::webhooks::Event>(body)
            }
        }
    };
    quote! {
        //! Round trips of bodies through the generated types, for checking the client against
        //! real bodies (`cargo xtask conformance`) and the document (`cargo xtask verify`).
        //! Each function returns `None` when the document has no such body, else the body
        //! decoded and encoded again, or the decode error with the JSON path that failed.

        #import_types

        /// The re-encoded body, or `$.path: error`.
        pub use ::zoomgen_runtime::__private::conformance::Outcome;

        #(#dispatches)*

        #webhook
    }
}

/// The `roundtrips!` table of one function, laid out one arm per line.
fn dispatch(dispatch: Dispatch) -> TokenStream {
    let DocComment { tokens: doc, lines } = doc_comment(Some(dispatch.doc));
    let name = ident(dispatch.name);
    let keys: Vec<_> = dispatch.keys.iter().map(|key| ident(key)).collect();
    let (arms, entries): (Vec<TokenStream>, Vec<String>) = dispatch
        .arms
        .iter()
        .map(|arm| {
            let (pattern, text) = arm.pattern();
            let ty = &arm.ty;
            (
                quote! { #pattern => #ty },
                format!("{text} => {}", tables::type_text(ty)),
            )
        })
        .unzip();
    tables::record(Table {
        before: lines,
        head: format!("pub fn {}({})", dispatch.name, dispatch.keys.join(", ")),
        entries,
    });
    quote! {
        ::zoomgen_runtime::__private::roundtrips! {
            #doc
            pub fn #name(#(#keys),*) { #(#arms),* }
        }
    }
}

/// Records `name`; false when it was already taken (a duplicate keeps the first).
fn claim<'a>(taken: &mut Vec<&'a str>, name: &'a str) -> bool {
    if taken.contains(&name) {
        false
    } else {
        taken.push(name);
        true
    }
}
