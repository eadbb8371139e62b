//! Webhook events: one payload type per event (emitted with the other types) and an `Event`
//! enum that dispatches on the body's `event` field.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::tokens::{ident, rust_type};
use crate::ir::Api;

pub fn emit_webhooks(api: &Api) -> TokenStream {
    let types = quote! { super::types:: };
    let variants: Vec<_> = api.webhooks.iter().map(|w| ident(&w.variant)).collect();
    let events: Vec<&str> = api.webhooks.iter().map(|w| w.event.as_str()).collect();
    let payloads: Vec<_> = api
        .webhooks
        .iter()
        .map(|w| rust_type(api, &w.ty, &types))
        .collect();
    let docs = api
        .webhooks
        .iter()
        .map(|w| doc_attrs(Some(&format!("`{}`", w.event))));
    quote! {
        //! Decode an incoming webhook body with `Event::from_slice`; events this client does
        //! not know are kept as `Event::Unknown`.

        /// A webhook event, by its `event` field.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Event {
            #(#docs #variants(Box<#payloads>),)*
            /// An event the document does not list, kept as sent.
            Unknown(::zoomgen_runtime::serde_json::Value),
        }

        impl Event {
            /// Decodes a webhook request body (verify its signature first, with the verifier of
            /// the vendor's module in `zoomgen_runtime::vendor`, or receive it with
            /// `zoomgen_runtime::events::Receiver`). A failure names the event and the JSON path
            /// of the field that did not fit.
            pub fn from_slice(body: &[u8]) -> Result<Self, ::zoomgen_runtime::Error> {
                match ::zoomgen_runtime::__private::event_name(body)?.as_deref() {
                    #(Some(#events) => ::zoomgen_runtime::decode_json(#events, body)
                        .map(|payload| Self::#variants(Box::new(payload))),)*
                    _ => ::zoomgen_runtime::decode_json("webhook", body).map(Self::Unknown),
                }
            }

            /// The event name, e.g. `recording.completed`.
            pub fn name(&self) -> &str {
                match self {
                    #(Self::#variants(_) => #events,)*
                    Self::Unknown(raw) => raw.get("event").and_then(|e| e.as_str()).unwrap_or(""),
                }
            }
        }

        /// What a webhook receiver or an event subscription of the runtime decodes into.
        impl ::zoomgen_runtime::events::WebhookEvent for Event {
            fn from_slice(body: &[u8]) -> Result<Self, ::zoomgen_runtime::Error> {
                Self::from_slice(body)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for Event {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <::zoomgen_runtime::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let event = raw.get("event").and_then(|e| e.as_str()).unwrap_or("").to_owned();
                match event.as_str() {
                    #(#events => ::zoomgen_runtime::serde_json::from_value(raw)
                        .map(|payload| Self::#variants(Box::new(payload)))
                        .map_err(<D::Error as ::serde::de::Error>::custom),)*
                    _ => Ok(Self::Unknown(raw)),
                }
            }
        }

        impl ::serde::Serialize for Event {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(Self::#variants(payload) => ::serde::Serialize::serialize(payload, serializer),)*
                    Self::Unknown(raw) => ::serde::Serialize::serialize(raw, serializer),
                }
            }
        }
    }
}
