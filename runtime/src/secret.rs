//! Keeping credentials out of `Debug` output, `Display` output and logs.

use std::fmt;

use http::HeaderMap;
use http::header::{AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION, SET_COOKIE};
use serde::{Deserialize, Serialize};

/// A credential (access token, client secret, passcode) that prints as `[redacted]`.
///
/// Wrapping the value makes leaking it through `{:?}`, `{}` or a `tracing` field impossible by
/// accident; reading it takes an explicit [`Secret::expose`]. It serializes as the plain string
/// so generated models can use it for passcode fields.
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
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
