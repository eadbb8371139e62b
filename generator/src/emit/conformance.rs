//! The opt-in `conformance` module of each API (cargo feature `conformance`, off by default):
//! one function per kind of body that decodes a body into the generated type and encodes it
//! again, so `cargo xtask verify` and `cargo xtask conformance` can check the types against
//! bodies without knowing their Rust names. Off by default because users do not need it and
//! it instantiates the decoders of every type once more.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{ident, rust_type};
use crate::ir::{Api, BodyKind, TypeId, TypeKind};

pub fn emit_conformance(api: &Api, live: &[TypeId]) -> TokenStream {
    let types = quote! { super::types:: };
    let roundtrip = quote! { ::zoomgen_runtime::__private::conformance::roundtrip };

    let mut type_names: Vec<&str> = Vec::new();
    let type_arms: Vec<TokenStream> = live
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
            let text = &def.name;
            let name = ident(&def.name);
            quote! { #text => Some(#roundtrip::<#types #name>(body)), }
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
            let ty = rust_type(api, &body.ty, &types);
            request_arms.push(quote! { #id => Some(#roundtrip::<#ty>(body)), });
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
            let status = &response.status;
            let ty = rust_type(api, &body.ty, &types);
            response_arms.push(quote! { (#id, #status) => Some(#roundtrip::<#ty>(body)), });
        }
    }

    let mut events: Vec<&str> = Vec::new();
    let event_arms: Vec<TokenStream> = api
        .webhooks
        .iter()
        .filter(|w| claim(&mut events, &w.event))
        .map(|w| {
            let event = &w.event;
            let ty = rust_type(api, &w.ty, &types);
            quote! { #event => Some(#roundtrip::<#ty>(body)), }
        })
        .collect();

    let by_type = dispatch(quote! { type_name }, &type_arms);
    let by_request = dispatch(quote! { operation_id }, &request_arms);
    let by_response = dispatch(quote! { (operation_id, status) }, &response_arms);
    let by_event = dispatch(quote! { event }, &event_arms);
    let webhook = if api.webhooks.is_empty() {
        quote! {}
    } else {
        quote! {
            /// Decodes a webhook body as [`super::webhooks::Event`] (dispatching on its `event`
            /// field, as a receiver would) and encodes it again.
            pub fn roundtrip_webhook(body: &[u8]) -> Outcome {
                #roundtrip::<super::webhooks::Event>(body)
            }
        }
    };
    quote! {
        //! Round trips of bodies through the generated types, for checking the client against
        //! real bodies (`cargo xtask conformance`) and the document (`cargo xtask verify`).
        //! Each function returns `None` when the document has no such body, else the body
        //! decoded and encoded again, or the decode error with the JSON path that failed.

        /// The re-encoded body, or `$.path: error`.
        pub type Outcome = Result<::zoomgen_runtime::serde_json::Value, String>;

        /// A body decoded as the named type (its Rust name, e.g. `RecordingGetResponse`).
        pub fn roundtrip_type(type_name: &str, body: &[u8]) -> Option<Outcome> {
            #by_type
        }

        /// The JSON request body of an operation (by the document's operationId).
        pub fn roundtrip_request(operation_id: &str, body: &[u8]) -> Option<Outcome> {
            #by_request
        }

        /// The JSON body of an operation's response, by the status the document writes
        /// (`200`, `2XX`, `default`).
        pub fn roundtrip_response(operation_id: &str, status: &str, body: &[u8]) -> Option<Outcome> {
            #by_response
        }

        /// The payload of a webhook event (by its name, e.g. `recording.completed`).
        pub fn roundtrip_event(event: &str, body: &[u8]) -> Option<Outcome> {
            #by_event
        }

        #webhook
    }
}

/// `match key { arms (each `=> Some(…)`), _ => None }`, or `None` when there are no arms. (The
/// `conformance` feature compiles every type, whatever tag features are on.)
fn dispatch(key: TokenStream, arms: &[TokenStream]) -> TokenStream {
    if arms.is_empty() {
        quote! {
            let _ = (#key, body);
            None
        }
    } else {
        quote! {
            match #key {
                #(#arms)*
                _ => None,
            }
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
