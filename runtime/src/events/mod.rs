//! Events a vendor delivers: the typed events a generated crate decodes ([`WebhookEvent`]),
//! how a vendor signs its webhook deliveries ([`WebhookScheme`], implemented in the vendor
//! modules), and, with the feature `receiver`, a ready webhook receiver for axum
//! (`Receiver`) that verifies, deduplicates and decodes deliveries and hands them to an
//! async handler through a bounded queue.

#[cfg(feature = "receiver")]
mod receiver;

use http::HeaderMap;

use crate::error::Error;

#[cfg(feature = "receiver")]
pub use receiver::{Receiver, ReceiverBuilder};

/// A typed event a generated crate decodes from a delivery's body (its `webhooks::Event`),
/// or a vendor module's envelope.
pub trait WebhookEvent: Sized + Send + 'static {
    /// Decodes a verified delivery's body.
    fn from_slice(body: &[u8]) -> Result<Self, Error>;
}

/// How a vendor signs and shapes its webhook deliveries: the vendor modules implement it for
/// their verifiers.
pub trait WebhookScheme: Send + Sync + 'static {
    /// Checks a delivery's signature (and freshness, where the vendor signs a time) over its
    /// raw `body`, and says what it is.
    fn check(&self, headers: &HeaderMap, body: &[u8]) -> Result<Delivery, Rejection>;

    /// The headers the vendor would sign a delivery of `body` with now: what a test kit's
    /// webhook sender posts, so that [`check`](Self::check) accepts it.
    fn signed_headers(&self, body: &[u8]) -> HeaderMap;
}

/// What a verified delivery is.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// A challenge the vendor sends to check the endpoint: answered with HTTP 200 and this
    /// JSON body, and not handed to the handler.
    Challenge(serde_json::Value),
    /// An event, with the key that tells a retried or replayed delivery of it from another
    /// event (its name, time and object, as the vendor writes them).
    Event {
        /// The deduplication key.
        key: String,
    },
}

/// Why a delivery was refused, and so the HTTP status it is answered with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// The signature is missing or wrong, or the signed time is outside the window: 401.
    #[error("unauthenticated delivery: {0}")]
    Unauthenticated(String),
    /// The body is not the vendor's envelope: 400.
    #[error("malformed delivery: {0}")]
    Malformed(String),
}

/// The text of `value` at the JSON path `keys`, a number written as its digits: a part of a
/// deduplication key (`""` when absent).
#[cfg(feature = "webhooks")]
pub(crate) fn key_part(value: &serde_json::Value, keys: &[&str]) -> String {
    let found = keys.iter().try_fold(value, |value, key| value.get(*key));
    match found {
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(serde_json::Value::Number(number)) => number.to_string(),
        _ => String::new(),
    }
}
