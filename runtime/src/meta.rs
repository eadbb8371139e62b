//! What generated code states about each operation: method, path template, rate-limit class.

use std::fmt;

/// The HTTP method of an operation; decides whether retries are safe by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
}

impl HttpMethod {
    /// Whether sending the request twice has the same effect as once (RFC 9110 §9.2.2), which
    /// makes retrying after a 5xx or a lost connection safe. All methods but POST and PATCH.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Self::Post | Self::Patch)
    }

    /// The method's name on the wire, e.g. `"GET"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
            Self::Head => "HEAD",
            Self::Options => "OPTIONS",
        }
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Patch => reqwest::Method::PATCH,
            Self::Delete => reqwest::Method::DELETE,
            Self::Head => reqwest::Method::HEAD,
            Self::Options => reqwest::Method::OPTIONS,
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rate-limit class of an operation, named as its API document names it (`Light`,
/// `Heavy`). The client-side
/// limiter ([`crate::RateLimits`]) keeps a rate per class; each generated API module names its
/// classes as constants in `rate_classes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateClass(&'static str);

impl RateClass {
    /// The class the document names `name`.
    pub const fn new(name: &'static str) -> Self {
        Self(name)
    }

    /// The name as the document (and a `X-RateLimit-Category` header) spells it.
    pub fn name(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for RateClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// The static facts about one operation that generated code declares once per operation
/// (`static META: OperationMeta = ...`), so errors, spans and the limiter can name it.
#[derive(Debug)]
pub struct OperationMeta {
    /// The document's `operationId`, e.g. `"recordingsList"`.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path relative to the API base URL, e.g. `"/users/{userId}/recordings"`.
    pub path_template: &'static str,
    /// The document's rate-limit class, when it states one.
    pub rate_limit: Option<RateClass>,
    /// The OAuth scopes the document says grant the operation, any one of them enough.
    pub scopes: &'static [&'static str],
    /// The granular scopes the document says grant it (finer ones, where the vendor has them).
    pub granular_scopes: &'static [&'static str],
}
