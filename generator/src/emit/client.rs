//! The API's `Client`: its constructors, and the `rate_classes` module of the classes its
//! operations count against.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::tokens::ident;
use crate::ir::Api;
use crate::names::{self, UniqueNames};

/// The API's `Client`; `in_crate` when the API is in a crate of its own, with the crate's
/// features (`mock`), rather than `include!`d by a build script.
pub fn emit_client(api: &Api, in_crate: bool) -> TokenStream {
    let default_base = api.servers.first().cloned().unwrap_or_default();
    let base_doc = doc_attrs(Some(if api.servers.is_empty() {
        "The document names no server, so this is empty: pass the API's base URL to \
         [`Client::new`]."
    } else {
        "The base URL the document names."
    }));
    let rate_classes = rate_classes_module(api);
    // The runtime's value for the vendor, which a profile names; the runtime's generic one
    // otherwise.
    let vendor_value = match api.runtime_vendor.as_deref() {
        Some(path) => {
            let segments = path.split("::").map(ident);
            quote! { ::zoomgen_runtime::vendor::#(#segments)::* }
        }
        None => quote! { ::zoomgen_runtime::vendor::Vendor::GENERIC },
    };
    let vendor = api
        .runtime_vendor
        .is_some()
        .then(|| quote! { .vendor(&#vendor_value) });
    let mock_server = in_crate.then(|| {
        quote! {
            /// The test kit's mock of this API on 127.0.0.1, speaking its vendor's conventions
        /// (cargo feature `mock`): build the client under test with
        /// `Client::builder(…).base_url(&mock.url())` and state expectations with its builders.
        #[cfg(feature = "mock")]
        #[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
        pub async fn mock_server() -> ::zoomgen_runtime::mock::MockServer {
            ::zoomgen_runtime::mock::MockServer::start(&#vendor_value).await
        }
        }
    });
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
                Self::builder(credentials).base_url(base_url).build()
            }

            /// Every setting of the runtime's client (base and token URLs, retries, timeouts,
            /// rate limits, hooks): `build` makes this client, for [`Client::DEFAULT_BASE_URL`]
            /// unless `base_url` says otherwise.
            pub fn builder(credentials: ::zoomgen_runtime::Credentials) -> ::zoomgen_runtime::ClientBuilder<Self> {
                ::zoomgen_runtime::ApiClient::builder(Self::DEFAULT_BASE_URL, credentials)#vendor.building()
            }

            /// A client over a configured runtime client (`ApiClient::builder`, given this
            /// API's vendor with `ClientBuilder::vendor`).
            pub fn from_api_client(api: ::zoomgen_runtime::ApiClient) -> Self {
                Self { api }
            }

            /// The runtime client that executes requests.
            pub fn api_client(&self) -> &::zoomgen_runtime::ApiClient {
                &self.api
            }
        }

        #mock_server

        impl ::core::convert::From<::zoomgen_runtime::ApiClient> for Client {
            fn from(api: ::zoomgen_runtime::ApiClient) -> Self {
                Self { api }
            }
        }

        #rate_classes
    }
}

/// The API's rate-limit classes, each with the name of its constant in `rate_classes`
/// (`Resource-intensive` → `RESOURCE_INTENSIVE`): those the API defines, in its order, then
/// any other its operations name, in name order.
pub(super) fn rate_classes(api: &Api) -> Vec<(&str, String)> {
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
pub(super) fn rate_class_tokens(
    classes: &[(&str, String)],
    rate_class: Option<&str>,
) -> TokenStream {
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
