//! What generated code states about each operation: method, path template, rate-limit label.

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

/// Zoom's rate-limit label of an operation, as its API document states it; the client-side
/// limiter ([`crate::RateLimits`]) keeps a separate rate per label because Zoom does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateLimitLabel {
    /// `Light`
    Light,
    /// `Medium`
    Medium,
    /// `Heavy`
    Heavy,
    /// `Resource-intensive`
    ResourceIntensive,
}

impl RateLimitLabel {
    /// The label as Zoom's documents and `X-RateLimit-Category` header spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Light => "Light",
            Self::Medium => "Medium",
            Self::Heavy => "Heavy",
            Self::ResourceIntensive => "Resource-intensive",
        }
    }
}

impl fmt::Display for RateLimitLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
    /// The document's rate-limit label, when it states one.
    pub rate_limit: Option<RateLimitLabel>,
}
