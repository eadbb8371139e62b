//! The one error type every call returns, and the parsing of API error bodies into it.

use std::fmt;

use bytes::Bytes;
use http::HeaderMap;
use serde_json::Value;

use crate::secret::RedactedHeaders;
use crate::vendor::Vendor;

/// Everything that can go wrong in a call, split so callers can tell what to do about it:
/// retry later (transport, timeout), fix the input (validation, API 4xx), fix the credentials
/// (auth), report a server/document mismatch (decode), or restart a listing (pagination).
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request did not complete at the HTTP level (connection refused or reset, TLS, ...).
    /// The URL is stripped from `source` so query values never reach logs. The message names
    /// every cause reqwest gives (`error sending request: client error (Connect): tcp connect
    /// error: Connection refused`), not only the first.
    #[error("{operation}: transport error: {}", causes(source))]
    Transport {
        /// The operationId of the call.
        operation: &'static str,
        /// What reqwest reported.
        source: reqwest::Error,
    },
    /// A configured time limit ran out.
    #[error("{operation}: {kind} timeout elapsed")]
    Timeout {
        /// The operationId of the call.
        operation: &'static str,
        /// Which limit ran out.
        kind: TimeoutKind,
    },
    /// The server answered with a non-2xx status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// A 2xx body did not match the expected type.
    #[error("{operation}: the response does not decode at `{path}`: {message} (near: {excerpt})")]
    Decode {
        /// The operationId of the call (or the webhook event).
        operation: &'static str,
        /// The JSON path of the failing field, e.g. `meetings[0].recording_files[2].file_size`.
        path: String,
        /// What serde reported.
        message: String,
        /// Up to 200 characters of the body around the error position.
        excerpt: String,
    },
    /// The request was rejected locally before anything was sent.
    #[error("{operation}: invalid `{field}`: {message}")]
    Validation {
        /// The operationId of the call.
        operation: &'static str,
        /// The parameter or field, by its wire name.
        field: String,
        /// Which constraint it breaks.
        message: String,
    },
    /// The access token lacks the scopes the operation needs (the vendor's code or message
    /// for it): what the operation documents, what the server asked for and what the token
    /// has, so the app's scopes can be fixed.
    #[error("{}", missing_scopes_message(operation, documented, granular, required, granted.as_deref()))]
    MissingScopes {
        /// The operationId of the call.
        operation: &'static str,
        /// The classic scopes the document says grant the operation, any one enough.
        documented: &'static [&'static str],
        /// The granular scopes the document says grant it.
        granular: &'static [&'static str],
        /// The scopes the server's message names (`scopes:[…]`), if it names any.
        required: Vec<String>,
        /// The scopes the token has, space-separated, when its token endpoint said.
        granted: Option<String>,
        /// The answer itself.
        error: Box<ApiError>,
    },
    /// A user's grant can no longer be refreshed (the user revoked the app, or its refresh
    /// token was used elsewhere), or none is stored: the user must authorize the app again.
    /// It is never retried.
    #[error("the grant `{grant}` must be authorized again: {message}")]
    ReauthorizationRequired {
        /// The grant's key in its store.
        grant: String,
        /// What the token endpoint or the store said.
        message: String,
    },
    /// No usable access token could be obtained.
    #[error("authentication failed: {message}")]
    Auth {
        /// What went wrong.
        message: String,
        /// The failure of the token request, when there was one.
        source: Option<Box<Error>>,
    },
    /// The API answered a request carrying a page token with the error its profile knows for
    /// an expired token, so the listing must restart from the first page.
    #[error("{operation}: the page token expired or is invalid, restart the listing: {error}")]
    PageTokenExpired {
        /// The operationId of the listing.
        operation: &'static str,
        /// The server's answer.
        error: Box<ApiError>,
    },
    /// The daily limit of a rate-limit class is reached (a 429 its vendor marks as a daily
    /// limit, seen by this client or, with a shared state, by any worker of the fleet):
    /// requests of the class fail at once, without being sent, until it resets.
    #[error("{operation}: the daily rate limit of `{class}` requests is reached; it resets in {}s", resets_in.as_secs())]
    DailyLimitReached {
        /// The operationId of the call.
        operation: &'static str,
        /// The rate-limit class (`Heavy`, or the 429's `X-RateLimit-Category`).
        class: String,
        /// How long until the limit resets.
        resets_in: std::time::Duration,
    },
    /// Requests of a rate-limit class are paused (a 429's `Retry-After`, seen by this client
    /// or, with a shared state, by any worker of the fleet) for longer than the call's
    /// [`Timeouts::total`](crate::Timeouts::total) leaves it: it fails at once, unsent,
    /// rather than waiting for its deadline.
    #[error("{operation}: requests of `{class}` are paused for {}s, past the call's deadline", resumes_in.as_secs())]
    Paused {
        /// The operationId of the call.
        operation: &'static str,
        /// The rate-limit class.
        class: String,
        /// How long until the pause ends.
        resumes_in: std::time::Duration,
    },
    /// Pagination was stopped because continuing would loop or leave the API's host.
    #[error("{operation}: pagination stopped: {message}")]
    Pagination {
        /// The operationId of the listing.
        operation: &'static str,
        /// Why it stopped.
        message: String,
    },
    /// A response body was larger than the client accepts
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes));
    /// reading stopped at the limit.
    #[error("{operation}: the response body is larger than the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The operationId of the call.
        operation: &'static str,
        /// The limit in bytes.
        limit: usize,
    },
    /// The client was configured with values it cannot work with.
    #[error("invalid client configuration: {message}")]
    Config {
        /// What is wrong with it.
        message: String,
    },
    /// A file download did not produce the file the server described (a `Content-Range` that
    /// does not continue the partial file, a size other than the expected one, a redirect the
    /// HTTP client did not follow). `url` has no query: download links can carry tokens.
    #[error("download of {url}: {message}")]
    Download {
        /// The download URL without its query.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// Reading or writing a local file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// What the operating system reported.
        source: std::io::Error,
    },
}

impl Error {
    /// The server's answer, when the error is one (also inside a page-token expiry or an
    /// authentication failure the token endpoint answered).
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(api)
            | Self::PageTokenExpired { error: api, .. }
            | Self::MissingScopes { error: api, .. } => Some(api),
            Self::Auth {
                source: Some(source),
                ..
            } => source.api(),
            _ => None,
        }
    }

    /// The HTTP status of the server's answer.
    pub fn status(&self) -> Option<u16> {
        self.api().map(|api| api.status)
    }

    /// The vendor's numeric error `code`, when its error bodies have one.
    pub fn code(&self) -> Option<i64> {
        self.api().and_then(|api| api.code)
    }

    /// The server's error message, when it sent one.
    pub fn message(&self) -> Option<&str> {
        self.api().and_then(|api| api.message.as_deref())
    }

    /// The id the server gave the failed request.
    pub fn request_id(&self) -> Option<&str> {
        self.api().and_then(ApiError::request_id)
    }

    /// The name of the operation that failed, when the error belongs to one.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Self::Transport { operation, .. }
            | Self::Timeout { operation, .. }
            | Self::Decode { operation, .. }
            | Self::Validation { operation, .. }
            | Self::PageTokenExpired { operation, .. }
            | Self::Pagination { operation, .. }
            | Self::ResponseTooLarge { operation, .. }
            | Self::DailyLimitReached { operation, .. }
            | Self::Paused { operation, .. }
            | Self::MissingScopes { operation, .. } => Some(operation),
            Self::Api(api) => Some(api.operation),
            _ => None,
        }
    }

    /// A 429, a daily limit reached, or a class paused past the call's deadline.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Self::DailyLimitReached { .. } | Self::Paused { .. })
            || self.status() == Some(429)
    }

    /// A 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// How long the server (or the fleet's shared state) asks to wait before trying again:
    /// a 429's or 503's `Retry-After` (seconds, an HTTP date or an RFC 3339 time; for a
    /// daily limit, until it resets), a daily limit's reset, a paused class's end.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Self::DailyLimitReached { resets_in, .. } => Some(*resets_in),
            Self::Paused { resumes_in, .. } => Some(*resumes_in),
            _ => self
                .api()
                .filter(|api| matches!(api.status, 429 | 503))
                .and_then(|api| api.vendor.requested_wait(&api.headers)),
        }
    }

    /// Whether trying the same call again later may succeed: a lost connection, a timeout, a
    /// 408, 429 or 5xx (not a daily limit, which lasts until it resets).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport { .. } | Self::Timeout { .. } | Self::Paused { .. } => true,
            Self::Api(api) => matches!(api.status, 408 | 429 | 500..=599),
            _ => false,
        }
    }

    /// A configuration the client cannot work with.
    pub(crate) fn config(message: String) -> Self {
        Self::Config { message }
    }

    /// Classifies a reqwest failure: a connect timeout is a [`TimeoutKind::Connect`], anything
    /// else a transport error with the URL removed (its query may carry values worth hiding).
    pub(crate) fn transport(operation: &'static str, source: reqwest::Error) -> Self {
        if source.is_connect() && source.is_timeout() {
            Self::Timeout {
                operation,
                kind: TimeoutKind::Connect,
            }
        } else {
            Self::Transport {
                operation,
                source: source.without_url(),
            }
        }
    }
}

/// Which time limit of [`crate::Timeouts`] ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeoutKind {
    /// [`Timeouts::connect`](crate::Timeouts::connect).
    Connect,
    /// [`Timeouts::per_attempt`](crate::Timeouts::per_attempt).
    Attempt,
    /// [`Timeouts::total`](crate::Timeouts::total).
    Total,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connect",
            Self::Attempt => "per-attempt",
            Self::Total => "total",
        })
    }
}

/// `error` and each of its sources, joined by `: ` (reqwest's own message says only "error
/// sending request"; the refused connection or the TLS failure is a source of it).
fn causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let said = cause.to_string();
        // Some layers repeat their source's message in their own.
        if !text.ends_with(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        source = cause.source();
    }
    text
}

fn missing_scopes_message(
    operation: &str,
    documented: &[&str],
    granular: &[&str],
    required: &[String],
    granted: Option<&str>,
) -> String {
    let list = |scopes: &[&str]| {
        if scopes.is_empty() {
            "none".to_owned()
        } else {
            scopes.join(", ")
        }
    };
    let required: Vec<&str> = required.iter().map(String::as_str).collect();
    format!(
        "{operation}: the access token lacks the scopes it needs (the server asks for: {}); \
         the operation documents {} and, granular, {}; the token has: {}",
        list(&required),
        list(documented),
        list(granular),
        granted.unwrap_or("unknown")
    )
}

impl ApiError {
    /// The scopes an error saying the token lacks scopes names (`…scopes:[a, b]`), when it
    /// is one: the vendor's code for it, or a message saying so.
    pub(crate) fn missing_scopes(&self) -> Option<Vec<String>> {
        let (code, phrase) = self.vendor.missing_scopes?;
        let message = self.message.as_deref().unwrap_or_default();
        if self.code != Some(code) && !message.contains(phrase) {
            return None;
        }
        let listed = message
            .split_once("scopes:[")
            .and_then(|(_, rest)| rest.split_once(']'))
            .map(|(list, _)| {
                list.split(',')
                    .map(|scope| scope.trim().to_owned())
                    .filter(|scope| !scope.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Some(listed)
    }
}

/// A non-2xx answer: the status, what the vendor's error body says, and the raw response for
/// anything the parsed fields miss. `#[non_exhaustive]`: read the fields; tests make one with
/// [`ApiError::from_response`].
#[non_exhaustive]
pub struct ApiError {
    /// The operationId of the call.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The vendor's numeric error `code`, when its error bodies have one.
    pub code: Option<i64>,
    /// The body's message (the field the vendor puts it in).
    pub message: Option<String>,
    /// The `errors` list of validation failures.
    pub errors: Vec<FieldError>,
    /// Every response header.
    pub headers: HeaderMap,
    /// The response body as sent.
    pub body: Bytes,
    /// Whose API answered: where its request id and rate-limit headers are.
    pub(crate) vendor: &'static Vendor,
}

/// One entry of an error body's `errors` list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldError {
    /// The offending field; empty when the body does not name one.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl ApiError {
    /// The id the server gave the request (the vendor's request-id header).
    pub fn request_id(&self) -> Option<&str> {
        self.vendor.request_id(&self.headers)
    }

    /// The rate-limit headers of the answer.
    pub fn rate_limit(&self) -> crate::metadata::RateLimitInfo {
        crate::metadata::RateLimitInfo::from_headers(self.vendor, &self.headers)
    }

    /// The error of a non-2xx answer from `vendor`'s API (also for tests and mocks of code
    /// that handles errors): reads the code, message and field errors from the body where the
    /// vendor puts them; anything else leaves the fields empty.
    pub fn from_response(
        vendor: &'static Vendor,
        operation: &'static str,
        status: u16,
        headers: HeaderMap,
        body: Bytes,
    ) -> Self {
        let shape = &vendor.error_body;
        let parsed = serde_json::from_slice::<Value>(&body).ok();
        let text = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_owned);
        let first = |value: Option<&Value>, names: &[&str]| {
            names.iter().find_map(|name| text(value?.get(*name)))
        };
        let errors = parsed
            .as_ref()
            .and_then(|body| body.get(shape.errors))
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .map(|item| FieldError {
                        field: text(item.get(shape.error_field)).unwrap_or_default(),
                        message: first(Some(item), shape.error_message).unwrap_or_default(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self {
            operation,
            status,
            code: shape
                .code
                .and_then(|code| parsed.as_ref()?.get(code))
                .and_then(integer_code),
            message: first(parsed.as_ref(), shape.message),
            errors,
            headers,
            body,
            vendor,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        if let Some(code) = self.code {
            write!(f, ", code {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        for error in &self.errors {
            match error.field.as_str() {
                "" => write!(f, "; {}", error.message)?,
                field => write!(f, "; {field}: {}", error.message)?,
            }
        }
        if self.status == 404 && self.code.is_none() && self.message.is_none() {
            // The API answers its own 404s with its error shape; a bare one usually means
            // the request went to another path than the API's (a base URL without `/v2`).
            f.write_str(
                " (the body is not the API's error shape: is the base URL the API's, with its \
                 version path such as /v2?)",
            )?;
        }
        Ok(())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("errors", &self.errors)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

impl std::error::Error for ApiError {}

/// An error `code`: an integer, or a string holding one.
fn integer_code(value: &serde_json::Value) -> Option<i64> {
    match value {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
