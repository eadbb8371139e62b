//! One operation call as generated code describes it, before the client sends it.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use http::HeaderMap;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::form_urlencoded;

use crate::error::Error;
use crate::meta::OperationMeta;
use crate::retry::RetryConfig;
use crate::timeouts::Timeouts;

/// Everything outside RFC 3986's unreserved characters, so a value is always one path segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// How a path parameter's value is put into the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathEncoding {
    /// Percent-encode the value as one path segment (`/` → `%2F`, `=` → `%3D`).
    Standard,
    /// Zoom meeting and webinar UUIDs: Zoom requires a UUID that starts with `/` or contains
    /// `//` to be encoded twice (`/` → `%252F`); any other value is encoded once.
    DoubleWhenSlashes,
}

impl PathEncoding {
    /// The value as a path segment; borrowed when nothing needs encoding (the usual case).
    fn encode(self, value: &str) -> Cow<'_, str> {
        let once: Cow<'_, str> = utf8_percent_encode(value, PATH_SEGMENT).into();
        match self {
            Self::DoubleWhenSlashes if value.starts_with('/') || value.contains("//") => {
                Cow::Owned(utf8_percent_encode(&once, PATH_SEGMENT).to_string())
            }
            _ => once,
        }
    }
}

/// Where `{name}` starts in `template`.
fn placeholder(template: &str, name: &str) -> Option<usize> {
    template.match_indices('{').map(|(at, _)| at).find(|&at| {
        template[at + 1..]
            .strip_prefix(name)
            .is_some_and(|rest| rest.starts_with('}'))
    })
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub struct MultipartPart {
    /// The form field's name.
    pub name: String,
    /// Its value.
    pub value: MultipartValue,
}

/// The value of a [`MultipartPart`]; file bytes are shared, so resending on retry copies nothing.
#[derive(Clone)]
pub enum MultipartValue {
    /// A text field.
    Text(String),
    /// A file.
    File {
        /// The file name sent with it.
        file_name: String,
        /// Its media type, when known.
        content_type: Option<String>,
        /// Its contents.
        bytes: Bytes,
    },
}

impl fmt::Debug for MultipartValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(text) => f.debug_tuple("Text").field(text).finish(),
            Self::File {
                file_name,
                content_type,
                bytes,
            } => f
                .debug_struct("File")
                .field("file_name", file_name)
                .field("content_type", content_type)
                .field("len", &bytes.len())
                .finish(),
        }
    }
}

/// The body of a request, kept in a form that can be sent again on retry.
#[derive(Clone)]
pub(crate) enum Body {
    Empty,
    Bytes {
        content_type: HeaderValue,
        bytes: Bytes,
    },
    Multipart(Vec<MultipartPart>),
}

/// A call to one operation, filled in by generated code and sent by [`crate::ApiClient::execute`].
///
/// It is `Clone` and keeps its body as shared bytes so that retries resend the same request.
/// Problems found while filling it in (an empty path value, a bad content type) are kept and
/// returned as [`Error::Validation`] by `execute`, before anything is sent.
#[derive(Clone)]
pub struct Request {
    pub(crate) meta: &'static OperationMeta,
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Body,
    // What few calls set is boxed: every call's state holds a request, and smaller state is
    // less to copy and to keep in cache.
    pub(crate) absolute_url: Option<Box<url::Url>>,
    pub(crate) idempotent: Option<bool>,
    overrides: Option<Box<CallOptions>>,
    invalid: Option<Box<(String, String)>>,
}

/// Settings of one call that replace the client's: what every generated operation builder's
/// `.retry(…)` and `.timeouts(…)` set.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct CallOptions {
    /// Retries of this call instead of the client's.
    pub retry: Option<RetryConfig>,
    /// Per-attempt and total time limits of this call instead of the client's (the connect
    /// limit belongs to the client's connections).
    pub timeouts: Option<Timeouts>,
}

impl Request {
    /// Starts a call to the operation `meta` describes.
    pub fn new(meta: &'static OperationMeta) -> Self {
        Self {
            meta,
            path: meta.path_template.to_owned(),
            query: String::new(),
            headers: HeaderMap::new(),
            body: Body::Empty,
            absolute_url: None,
            idempotent: None,
            overrides: None,
            invalid: None,
        }
    }

    /// Replaces `{name}` in the path template with the encoded value. An empty value or a dot
    /// segment (`.`, `..`) is rejected: it would silently address a different resource.
    pub fn path_param(&mut self, name: &str, value: &dyn fmt::Display, encoding: PathEncoding) {
        let value = value.to_string();
        if value.is_empty() || value == "." || value == ".." {
            self.reject(name, format!("`{value}` is not a usable path segment"));
            return;
        }
        let encoded = encoding.encode(&value);
        // In place, every occurrence: this runs on every call, so no pattern string is built.
        let mut from = 0;
        while let Some(at) = placeholder(&self.path[from..], name) {
            let start = from + at;
            self.path
                .replace_range(start..start + name.len() + 2, &encoded);
            from = start + encoded.len();
        }
    }

    /// Appends `name=value` to the query string (form-urlencoded); call again to repeat a key.
    pub fn query(&mut self, name: &str, value: &dyn fmt::Display) {
        form_urlencoded::Serializer::for_suffix(&mut self.query, 0)
            .append_pair(name, &value.to_string());
    }

    /// Adds a header; a name or value HTTP cannot carry is an [`Error::Validation`].
    pub fn header(&mut self, name: &str, value: &dyn fmt::Display) -> Result<(), Error> {
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| self.validation(name, format!("not a valid header name: {e}")))?;
        let header_value = HeaderValue::from_str(&value.to_string())
            .map_err(|e| self.validation(name, format!("not a valid header value: {e}")))?;
        self.headers.append(header_name, header_value);
        Ok(())
    }

    /// Sends `body` as `application/json`.
    pub fn json_body<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| self.validation("body", format!("does not serialize to JSON: {e}")))?;
        self.body = Body::Bytes {
            content_type: HeaderValue::from_static("application/json"),
            bytes: Bytes::from(bytes),
        };
        Ok(())
    }

    /// Sends the parts as `multipart/form-data` (file uploads).
    pub fn multipart_body(&mut self, parts: Vec<MultipartPart>) {
        self.body = Body::Multipart(parts);
    }

    /// Sends `body` as it is, with the given content type.
    pub fn raw_body(&mut self, content_type: &str, body: Bytes) {
        match HeaderValue::from_str(content_type) {
            Ok(content_type) => {
                self.body = Body::Bytes {
                    content_type,
                    bytes: body,
                }
            }
            Err(e) => self.reject(
                CONTENT_TYPE.as_str(),
                format!("not a valid header value: {e}"),
            ),
        }
    }

    /// Sends the request to `url` instead of the path template and query: the next page of a
    /// `Link`-paginated listing. `url` must have the client's origin, checked when executing,
    /// so that credentials are never sent to another host; a URL that does not parse is an
    /// [`Error::Pagination`].
    pub fn absolute_url(&mut self, url: &str) -> Result<(), Error> {
        let parsed = url::Url::parse(url).map_err(|e| Error::Pagination {
            operation: self.meta.operation_id,
            message: format!("the next-page link is not an absolute URL: {e}"),
        })?;
        self.absolute_url = Some(Box::new(parsed));
        Ok(())
    }

    /// Overrides whether this call may be retried after a 5xx or a lost connection; by default
    /// only idempotent methods are.
    pub fn idempotent(&mut self, idempotent: bool) {
        self.idempotent = Some(idempotent);
    }

    /// Uses `config` instead of the client's retry configuration for this call.
    pub fn retry(&mut self, config: RetryConfig) {
        self.overrides.get_or_insert_default().retry = Some(config);
    }

    /// Uses `timeouts` (per attempt and total) instead of the client's for this call.
    pub fn timeouts(&mut self, timeouts: Timeouts) {
        self.overrides.get_or_insert_default().timeouts = Some(timeouts);
    }

    /// Applies what `options` set.
    pub fn options(&mut self, options: &CallOptions) {
        if let Some(retry) = &options.retry {
            self.retry(retry.clone());
        }
        if let Some(timeouts) = &options.timeouts {
            self.timeouts(timeouts.clone());
        }
    }

    /// This call's retry configuration, if it replaces the client's.
    pub(crate) fn retry_override(&self) -> Option<&RetryConfig> {
        self.overrides.as_ref()?.retry.as_ref()
    }

    /// This call's time limits, if they replace the client's.
    pub(crate) fn timeouts_override(&self) -> Option<&Timeouts> {
        self.overrides.as_ref()?.timeouts.as_ref()
    }

    /// The first problem found while filling in the request, if any.
    pub(crate) fn check(&self) -> Result<(), Error> {
        match self.invalid.as_deref() {
            Some((field, message)) => Err(self.validation(field, message.clone())),
            None => Ok(()),
        }
    }

    fn reject(&mut self, field: &str, message: String) {
        self.invalid
            .get_or_insert_with(|| Box::new((field.to_owned(), message)));
    }

    fn validation(&self, field: &str, message: String) -> Error {
        Error::Validation {
            operation: self.meta.operation_id,
            field: field.to_owned(),
            message,
        }
    }
}

/// Shows the operation and the shape of the request but no values: query strings, headers
/// and bodies can carry passcodes and tokens.
impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = match &self.body {
            Body::Empty => "none".to_owned(),
            Body::Bytes {
                content_type,
                bytes,
            } => format!("{} bytes of {content_type:?}", bytes.len()),
            Body::Multipart(parts) => format!("{} multipart parts", parts.len()),
        };
        f.debug_struct("Request")
            .field("operation", &self.meta.operation_id)
            .field("method", &self.meta.method)
            .field("path_template", &self.meta.path_template)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body", &body)
            .finish_non_exhaustive()
    }
}
