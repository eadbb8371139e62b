//! Keeping credentials out of `Debug` output, `Display` output and logs.

use std::fmt;
use std::sync::Arc;

use http::HeaderMap;
use http::header::{AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION, SET_COOKIE};
use serde::{Deserialize, Serialize};

/// A credential (access token, client secret, passcode) that prints as `[redacted]`.
///
/// Wrapping the value makes leaking it through `{:?}`, `{}` or a `tracing` field impossible by
/// accident; reading it takes an explicit [`Secret::expose`]. It serializes as the plain string
/// so generated models can use it for passcode fields.
///
/// Cloning is a reference count: every call hands the client's token on.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Secret(Arc<str>);

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value.into())
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.into())
    }
}

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into().into())
    }

    /// The credential itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// `Debug` for a header map that hides the values of credential-bearing headers.
pub(crate) struct RedactedHeaders<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            let hidden = value.is_sensitive()
                || [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE, SET_COOKIE].contains(name);
            match value.to_str() {
                _ if hidden => map.entry(name, &"[redacted]"),
                Ok(text) => map.entry(name, &text),
                Err(_) => map.entry(name, &value.as_bytes()),
            };
        }
        map.finish()
    }
}
