//! A successful response as bytes, and its decoding into generated types.

use std::fmt;

use bytes::Bytes;
use http::HeaderMap;
use http::header::LINK;

use crate::error::Error;
use crate::secret::RedactedHeaders;
use crate::vendor::Vendor;

/// Half the width of the body excerpt a decode error carries.
const EXCERPT_RADIUS: usize = 100;

/// A 2xx response, fully read. Generated code decodes it with [`RawResponse::json`]; callers of
/// downloads and empty-bodied operations use the bytes and headers directly.
#[derive(Clone)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: u16,
    /// Every response header.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
    pub(crate) operation: &'static str,
    /// Whose API answered: where its request id and rate-limit headers are.
    pub(crate) vendor: &'static Vendor,
}

impl RawResponse {
    /// Whether the status is 2xx (the call's success).
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Decodes the body, naming the JSON path of the field that failed (e.g.
    /// `meetings[0].recording_files[2].file_size`) and quoting the body around the failure, so a
    /// mismatch between an API's document and its live API can be pinned down from the error
    /// alone.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        decode_json(self.operation, &self.body)
    }

    /// The target of the `Link` header's `rel="next"` entry: the next page of a listing that
    /// links its pages.
    pub fn next_link(&self) -> Option<String> {
        self.headers
            .get_all(LINK)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find_map(next_in_link_header)
    }
}

/// Decodes a JSON body as `T`, naming the JSON path of the field that failed and quoting the
/// body around the failure; `operation` names what the body belongs to (an operation id, or a
/// webhook event for bodies that arrive rather than answer a request).
pub fn decode_json<T: serde::de::DeserializeOwned>(
    operation: &'static str,
    body: &[u8],
) -> Result<T, Error> {
    // The fast decoder first; tracking the path costs a third of the speed, so it runs only to
    // explain a failure. JSON is UTF-8 (RFC 8259): the whole body is checked once, so that the
    // parser need not check every string it borrows again (a tenth of the time a list page
    // takes to decode).
    if let Ok(text) = std::str::from_utf8(body)
        && let Ok(value) = serde_json::from_str(text)
    {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let result = serde_path_to_error::deserialize::<_, T>(&mut deserializer)
        .map_err(|e| (e.path().to_string(), e.into_inner()))
        .and_then(|value| match deserializer.end() {
            Ok(()) => Ok(value),
            Err(e) => Err((String::new(), e)),
        });
    match result {
        Err((path, error)) => Err(Error::Decode {
            operation,
            path,
            excerpt: excerpt(body, error.line(), error.column()),
            message: error.to_string(),
        }),
        // Reached only for a body that is not UTF-8 in what `T` skips: the value stands.
        Ok(value) => Ok(value),
    }
}

/// Finds `<url>; rel="next"` among the comma-separated entries of one `Link` header value.
fn next_in_link_header(value: &str) -> Option<String> {
    let mut rest = value;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>')?;
        let params = &after[end + 1..];
        let params_end = params.find('<').unwrap_or(params.len());
        let is_next = params[..params_end].split(';').any(|param| {
            param.split_once('=').is_some_and(|(key, value)| {
                key.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            })
        });
        if is_next {
            return Some(after[..end].to_owned());
        }
        rest = &params[params_end..];
    }
    None
}

/// Up to `2 * EXCERPT_RADIUS` bytes of `body` around serde_json's 1-based `line`/`column`.
fn excerpt(body: &[u8], line: usize, column: usize) -> String {
    let line_start: usize = body
        .split_inclusive(|&b| b == b'\n')
        .take(line.saturating_sub(1))
        .map(<[u8]>::len)
        .sum();
    let at = (line_start + column).min(body.len());
    let start = at.saturating_sub(EXCERPT_RADIUS);
    let end = (at + EXCERPT_RADIUS).min(body.len());
    String::from_utf8_lossy(&body[start..end]).into_owned()
}

/// Shows the status, redacted headers and body size, not the body: response bodies carry
/// join URLs with passcodes and download tokens.
impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body_len", &self.body.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_next_among_several_links() {
        let header = r#"<https://api.example.com/v1/rooms?cursor=p>; rel="prev", <https://api.example.com/v1/rooms?max=10&cursor=abc>; rel="next""#;
        assert_eq!(
            next_in_link_header(header).as_deref(),
            Some("https://api.example.com/v1/rooms?max=10&cursor=abc")
        );
        assert_eq!(next_in_link_header(r#"<https://x/y>; rel="prev""#), None);
        assert_eq!(next_in_link_header("<broken"), None);
    }

    #[derive(Debug, serde::Deserialize)]
    struct Named {
        name: String,
    }

    /// The body is checked for UTF-8 as a whole, yet a string that is not UTF-8 is still
    /// reported at its field, and bytes that are not UTF-8 where the type looks at nothing
    /// do not fail the decoding.
    #[test]
    fn a_body_that_is_not_utf8_fails_where_it_matters() {
        let error = decode_json::<Named>("userGet", b"{\"name\": \"caf\xe9\"}").unwrap_err();
        assert!(
            matches!(&error, Error::Decode { path, .. } if path == "name"),
            "{error:?}"
        );
        let skipped: Named =
            decode_json("userGet", b"{\"name\": \"cafe\", \"x\": \"\xe9\"}").unwrap();
        assert_eq!(skipped.name, "cafe");
    }

    #[test]
    fn excerpt_is_bounded_and_centred() {
        let body = format!("{{\"a\":\n{}\"bad\"{}}}", " ".repeat(300), " ".repeat(300));
        let text = excerpt(body.as_bytes(), 2, 305);
        assert!(
            text.len() <= 2 * EXCERPT_RADIUS && text.contains("bad"),
            "{text:?}"
        );
    }
}
