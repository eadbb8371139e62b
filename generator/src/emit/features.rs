//! Cargo features per tag: which types each tag's operations reach, so that a crate built with
//! one tag (`--no-default-features --features meetings-cloud-recording`) compiles only that
//! tag's types. Types reached by every tag, and webhook payloads, are always compiled; the
//! `conformance` feature (round trips of every type) compiles them all.

use std::collections::{BTreeSet, HashMap};

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, TypeId};
use crate::passes::generic::reached;

/// The `#[cfg]` gate of every type of an API.
pub struct Gates {
    /// Features whose operations reach a type; absent for types compiled always.
    types: HashMap<TypeId, BTreeSet<String>>,
}

impl Gates {
    /// The gates of `api`'s types; none when tags are not features (`tag_features` off).
    pub fn new(api: &Api, tag_features: bool) -> Self {
        let mut types: HashMap<TypeId, BTreeSet<String>> = HashMap::new();
        if !tag_features {
            return Self { types };
        }
        let tags = super::tags::tags(api);
        for tag in &tags {
            for id in reached(api, tag.operations.iter().flat_map(|op| op.refs())) {
                types.entry(id).or_default().insert(tag.feature.clone());
            }
        }
        // Webhook payloads and components asked for have no tag: always compiled, and so is
        // what they reach.
        let untagged = api.webhooks.iter().map(|w| &w.ty).chain(&api.components);
        for id in reached(api, untagged) {
            types.remove(&id);
        }
        let all = tags.len();
        types.retain(|_, features| features.len() < all);
        Self { types }
    }

    /// `#[cfg(any(feature = …, feature = "conformance"))]` for a type, or nothing when it is
    /// always compiled.
    pub fn for_type(&self, id: TypeId) -> TokenStream {
        match self.types.get(&id) {
            Some(features) => {
                let features = features.iter();
                quote! { #[cfg(any(#(feature = #features,)* feature = "conformance"))] }
            }
            None => quote! {},
        }
    }
}
