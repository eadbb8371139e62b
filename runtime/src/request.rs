//! One operation call as generated code describes it, before the client sends it.

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
    /// Values the API requires encoded twice when they start with `/` or contain `//`
    /// (`/` → `%252F`; a profile knows which, such as meeting UUIDs); any other value is
    /// encoded once.
    DoubleWhenSlashes,
}

/// A `fmt::Write` that encodes what is written as it goes into `out`: a parameter's
/// `Display` output reaches the URL text without a copy of it made first.
struct EncodeInto<'a> {
    out: &'a mut String,
    encode: fn(&mut String, &str),
}

impl fmt::Write for EncodeInto<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        (self.encode)(self.out, text);
        Ok(())
    }
}

/// `text` percent-encoded as (part of) one path segment.
fn encode_path_segment(out: &mut String, text: &str) {
    out.extend(utf8_percent_encode(text, PATH_SEGMENT));
}

/// `text` form-urlencoded, as a query string's names and values are.
fn encode_form(out: &mut String, text: &str) {
    out.extend(form_urlencoded::byte_serialize(text.as_bytes()));
}

/// Appends `value`'s `Display` output to `out`, encoded with `encode`.
fn push_encoded(
    out: &mut String,
    value: &dyn fmt::Display,
    encode: fn(&mut String, &str),
) -> fmt::Result {
    fmt::write(&mut EncodeInto { out, encode }, format_args!("{value}"))
}

/// Appends `value` to `out` as one path segment, encoded as `encoding` says; the reason when
/// it is not a usable segment (`out` is then as it was).
fn push_path_value(
    out: &mut String,
    value: &dyn fmt::Display,
    encoding: PathEncoding,
) -> Result<(), String> {
    let start = out.len();
    if push_encoded(out, value, encode_path_segment).is_err() {
        out.truncate(start);
        return Err("its `Display` implementation failed".to_owned());
    }
    // Encoding keeps an empty value, `.` and `..` as they are, and turns every `/` into `%2F`
    // (a `%` itself becomes `%25`), so the encoded text tells what the value was.
    let encoded = &out[start..];
    if encoded.is_empty() || encoded == "." || encoded == ".." {
        let message = format!("`{encoded}` is not a usable path segment");
        out.truncate(start);
        return Err(message);
    }
    if encoding == PathEncoding::DoubleWhenSlashes
        && (encoded.starts_with("%2F") || encoded.contains("%2F%2F"))
    {
        let once = out.split_off(start);
        encode_path_segment(out, &once);
    }
    Ok(())
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

impl MultipartValue {
    /// The file name, when it is a file.
    pub fn file_name(&self) -> Option<&str> {
        match self {
            Self::Text(_) => None,
            Self::File { file_name, .. } => Some(file_name),
        }
    }
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

/// The body of a request, kept in a form that can be sent again on retry. Boxed when there
/// is one: most requests have none (the call's state budget, in `client`).
#[derive(Clone)]
pub(crate) enum Body {
    Empty,
    Bytes(Box<BytesBody>),
    Multipart(Box<[MultipartPart]>),
}

/// A body sent as it is.
#[derive(Clone)]
pub(crate) struct BytesBody {
    pub(crate) content_type: HeaderValue,
    pub(crate) bytes: Bytes,
}

/// A call to one operation, filled in by generated code and sent by [`crate::ApiClient::execute`].
///
/// It is `Clone` and keeps its body as shared bytes so that retries resend the same request.
/// Problems found while filling it in (an empty path value, a bad content type) are kept and
/// returned as [`Error::Validation`] by `execute`, before anything is sent.
#[derive(Clone)]
pub struct Request {
    pub(crate) meta: &'static OperationMeta,
    /// The path filled in so far; the template's text after it is `path_rest`.
    pub(crate) path: String,
    pub(crate) path_rest: &'static str,
    pub(crate) query: String,
    // What few calls set is boxed: every call's state holds a request (the call's state
    // budget, in `client`).
    /// The operation's own headers; the client adds its user agent and token when sending.
    pub(crate) headers: Option<Box<HeaderMap>>,
    pub(crate) body: Body,
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
            path: String::new(),
            path_rest: meta.path_template,
            query: String::new(),
            headers: None,
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
        // Given in template order (as generated code gives them), each value is encoded
        // straight after the template's text before it: nothing filled in is searched or
        // moved again. Otherwise (out of order, or a name the template repeats) the template
        // is copied whole and every placeholder replaced.
        let first = self.path_rest.find('{');
        let rest = first.and_then(|at| {
            self.path_rest[at + 1..]
                .strip_prefix(name)?
                .strip_prefix('}')
        });
        match (first, rest) {
            (Some(at), Some(rest)) if placeholder(rest, name).is_none() => {
                let filled = self.path.len();
                // Room for the rest of the template, which values seldom outgrow.
                self.path.reserve(self.path_rest.len());
                self.path.push_str(&self.path_rest[..at]);
                match push_path_value(&mut self.path, value, encoding) {
                    Ok(()) => self.path_rest = rest,
                    Err(message) => {
                        self.path.truncate(filled);
                        self.reject(name, message);
                    }
                }
            }
            _ => self.replace_path_param(name, value, encoding),
        }
    }

    /// [`Request::path_param`] for a placeholder anywhere in the path, every occurrence.
    fn replace_path_param(&mut self, name: &str, value: &dyn fmt::Display, encoding: PathEncoding) {
        let mut encoded = String::new();
        if let Err(message) = push_path_value(&mut encoded, value, encoding) {
            self.reject(name, message);
            return;
        }
        self.path.push_str(self.path_rest);
        self.path_rest = "";
        let mut from = 0;
        while let Some(at) = placeholder(&self.path[from..], name) {
            let start = from + at;
            self.path
                .replace_range(start..start + name.len() + 2, &encoded);
            from = start + encoded.len();
        }
    }

    /// The path with every value given so far: what is filled in, then the template's rest.
    pub(crate) fn path_parts(&self) -> [&str; 2] {
        [&self.path, self.path_rest]
    }

    /// Appends `name=value` to the query string (form-urlencoded); call again to repeat a key.
    pub fn query(&mut self, name: &str, value: &dyn fmt::Display) {
        // Written here rather than through `form_urlencoded::Serializer`, which takes the
        // value as a `&str`: the value is encoded as its `Display` writes it, not copied first.
        let start = self.query.len();
        if start > 0 {
            self.query.push('&');
        }
        encode_form(&mut self.query, name);
        self.query.push('=');
        if push_encoded(&mut self.query, value, encode_form).is_err() {
            self.query.truncate(start);
            self.reject(name, "its `Display` implementation failed".to_owned());
        }
    }

    /// Adds a header; a name or value HTTP cannot carry is an [`Error::Validation`].
    pub fn header(&mut self, name: &str, value: &dyn fmt::Display) -> Result<(), Error> {
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| self.validation(name, format!("not a valid header name: {e}")))?;
        let header_value = HeaderValue::from_str(&value.to_string())
            .map_err(|e| self.validation(name, format!("not a valid header value: {e}")))?;
        self.headers
            .get_or_insert_default()
            .append(header_name, header_value);
        Ok(())
    }

    /// Sends `body` as `application/json`.
    pub fn json_body<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| self.validation("body", format!("does not serialize to JSON: {e}")))?;
        self.body = Body::Bytes(Box::new(BytesBody {
            content_type: HeaderValue::from_static("application/json"),
            bytes: Bytes::from(bytes),
        }));
        Ok(())
    }

    /// Sends the parts as `multipart/form-data` (file uploads).
    pub fn multipart_body(&mut self, parts: Vec<MultipartPart>) {
        self.body = Body::Multipart(parts.into_boxed_slice());
    }

    /// Sends `body` as it is, with the given content type.
    pub fn raw_body(&mut self, content_type: &str, body: Bytes) {
        match HeaderValue::from_str(content_type) {
            Ok(content_type) => {
                self.body = Body::Bytes(Box::new(BytesBody {
                    content_type,
                    bytes: body,
                }))
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
            Body::Bytes(body) => format!("{} bytes of {:?}", body.bytes.len(), body.content_type),
            Body::Multipart(parts) => format!("{} multipart parts", parts.len()),
        };
        let headers: Vec<_> = self
            .headers
            .iter()
            .flat_map(|headers| headers.keys())
            .collect();
        f.debug_struct("Request")
            .field("operation", &self.meta.operation_id)
            .field("method", &self.meta.method)
            .field("path_template", &self.meta.path_template)
            .field("headers", &headers)
            .field("body", &body)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HttpMethod;

    static TWO_VALUES: OperationMeta = OperationMeta {
        operation_id: "twoValues",
        method: HttpMethod::Get,
        path_template: "/a/{x}/b/{y}/c",
        rate_limit: None,
        scopes: &[],
        granular_scopes: &[],
    };

    static REPEATED: OperationMeta = OperationMeta {
        operation_id: "repeated",
        method: HttpMethod::Get,
        path_template: "/a/{x}/b/{x}",
        rate_limit: None,
        scopes: &[],
        granular_scopes: &[],
    };

    fn path(request: &Request) -> String {
        request.path_parts().concat()
    }

    /// A `Display` that fails, as a buggy implementation may.
    struct Failing;

    impl fmt::Display for Failing {
        fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
            Err(fmt::Error)
        }
    }

    #[test]
    fn path_values_fill_the_template_in_any_order() {
        for order in [["x", "y"], ["y", "x"]] {
            let mut request = Request::new(&TWO_VALUES);
            for name in order {
                request.path_param(name, &format!("{name}/1"), PathEncoding::Standard);
            }
            assert_eq!(path(&request), "/a/x%2F1/b/y%2F1/c", "{order:?}");
            assert!(request.check().is_ok());
        }
    }

    #[test]
    fn a_placeholder_the_template_repeats_gets_the_value_everywhere() {
        let mut request = Request::new(&REPEATED);
        request.path_param("x", &7, PathEncoding::Standard);
        assert_eq!(path(&request), "/a/7/b/7");
    }

    #[test]
    fn an_unusable_value_is_rejected_and_its_placeholder_kept() {
        for value in ["", ".", ".."] {
            let mut request = Request::new(&TWO_VALUES);
            request.path_param("x", &value, PathEncoding::Standard);
            request.path_param("y", &"2", PathEncoding::Standard);
            assert_eq!(path(&request), "/a/{x}/b/2/c", "{value:?}");
            assert!(
                matches!(request.check(), Err(Error::Validation { field, .. }) if field == "x"),
                "{value:?}"
            );
        }
    }

    /// The double encoding is decided from the once-encoded text; it must agree with the rule
    /// stated on the raw value, also for values that contain `%2F` themselves.
    #[test]
    fn double_encoding_follows_the_raw_value() {
        for value in [
            "/a", "a//b", "a/b", "//", "%2F", "%2F%2F", "a%2F%2Fb", "x/%2F/y", "plain",
        ] {
            let once = utf8_percent_encode(value, PATH_SEGMENT).to_string();
            let expected = if value.starts_with('/') || value.contains("//") {
                utf8_percent_encode(&once, PATH_SEGMENT).to_string()
            } else {
                once
            };
            let mut encoded = String::new();
            push_path_value(&mut encoded, &value, PathEncoding::DoubleWhenSlashes).unwrap();
            assert_eq!(encoded, expected, "{value}");
        }
    }

    #[test]
    fn query_pairs_are_form_encoded_as_the_serializer_encodes_them() {
        let pairs = [("a b", "x&y=z é+"), ("n", "5"), ("n", "")];
        let mut request = Request::new(&TWO_VALUES);
        for (name, value) in pairs {
            request.query(name, &value);
        }
        let expected = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        assert_eq!(request.query, expected);
    }

    #[test]
    fn a_failing_display_is_a_validation_error_and_sends_nothing_of_it() {
        let mut request = Request::new(&TWO_VALUES);
        request.query("before", &1);
        request.query("broken", &Failing);
        request.path_param("x", &Failing, PathEncoding::Standard);
        assert_eq!(request.query, "before=1");
        assert_eq!(path(&request), "/a/{x}/b/{y}/c");
        assert!(
            matches!(request.check(), Err(Error::Validation { field, .. }) if field == "broken"),
            "{:?}",
            request.check()
        );
    }
}
