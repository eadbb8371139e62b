//! The hand-written runtime that every client zoomgen generates calls into.
//!
//! Generated crates hold only what differs per operation (paths, models, metadata); everything a
//! production caller relies on lives here once, so it can be reviewed and tested apart from the
//! generated code: authentication ([`Credentials`]), retries ([`RetryConfig`]), the optional
//! per-label rate limiter ([`RateLimits`]), timeouts ([`Timeouts`]), one error type ([`Error`]),
//! pagination ([`token_pages`], [`link_pages`]) and
//! `tracing` spans. For cloud recordings it adds resumable file downloads
//! ([`ApiClient::download`]) and date ranges longer than the API accepts per request
//! ([`windows`]). Secrets are wrapped in [`Secret`] so they never reach `Debug` output or
//! logs.
//!
//! The core knows no vendor: what an API's vendor does that its document does not say (its
//! sign-in, rate-limit and request-id headers, error bodies, file hosts) is a [`vendor::Vendor`]
//! value the client is built with, and what only one vendor has (a webhook signature, a
//! JWT sign-in) lives in that vendor's module of [`vendor`].

#![deny(missing_docs)]

#[macro_use]
mod setters;

#[doc(hidden)]
pub mod __private;
mod auth;
mod builder;
mod call;
#[cfg(feature = "cli")]
pub mod cli;
mod client;
pub mod download;
mod error;
pub mod events;
mod future;
pub mod grant;
pub mod hooks;
mod limiter;
mod meta;
mod metadata;
#[cfg(feature = "mock")]
pub mod mock;
pub mod oauth;
mod operation;
mod paginate;
mod request;
mod response;
mod retry;
mod secret;
pub mod shared;
mod timeouts;
mod tokens;
pub mod vendor;
pub mod windows;
pub mod wire;

/// Re-exported so generated code and callers name the same versions this runtime uses.
pub use bytes::Bytes;
pub use futures_core::Stream;
pub use {chrono, http, reqwest, serde, serde_json};

pub use auth::{Credentials, MintTokens};
pub use builder::{ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES};
pub use call::{Call, CallWithResponse};
pub use client::ApiClient;
pub use download::{Download, Downloaded};
pub use error::{ApiError, Error, FieldError, TimeoutKind};
pub use future::BoxFuture;
pub use grant::{FileStore, Grant, MemoryStore, Seeded, TokenStore};
pub use hooks::{Attempt, AttemptRecord, ClientHooks, Hooks};
pub use limiter::RateLimits;
pub use meta::{HttpMethod, OperationMeta, RateClass};
pub use metadata::{RateLimitInfo, Response};
pub use oauth::OAuthApp;
pub use operation::{DescribedBody, Description, Operation, PageShape, Paged};
pub use paginate::{PageStream, TokenExpiry, TokenPage, link_pages, page_items, token_pages};
pub use request::{CallOptions, MultipartPart, MultipartValue, PathEncoding, Request};
pub use response::{RawResponse, decode_json};
pub use retry::RetryConfig;
pub use secret::Secret;
#[cfg(feature = "redis")]
pub use shared::RedisState;
pub use shared::{Admission, DailyCap, LocalState, Reservation, SharedState};
pub use timeouts::Timeouts;
pub use tokens::TokenProvider;

/// The properties of an object that its document does not list, as the server sent them:
/// every generated object type has a public `extra` field of this type, which decoding fills
/// and encoding writes back, so nothing the API sends is lost (`meeting.extra.get("share_url")`).
pub type Extra = serde_json::Map<String, serde_json::Value>;
