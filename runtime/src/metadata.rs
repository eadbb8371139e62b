//! What a response says besides its body: the status, the headers, the request id to quote to
//! the vendor's support, and the rate-limit state.

use http::HeaderMap;

/// A decoded body with the status and headers it came with (`send_with_response()` of every
/// generated operation).
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: u16,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    /// For generated code: the response of a call.
    #[doc(hidden)]
    pub fn new(status: u16, headers: HeaderMap, body: T) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }

    /// The HTTP status (2xx).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Every response header.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The id the server gave the request (Zoom's `x-zm-trackingid`, Webex's `TrackingID`).
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// The rate-limit state the server reported with the response.
    pub fn rate_limit(&self) -> RateLimitInfo {
        RateLimitInfo::from_headers(&self.headers)
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, dropping the rest.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Status, headers and body.
    pub fn into_parts(self) -> (u16, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }
}

/// The rate-limit headers of a response (`X-RateLimit-Limit`, `-Remaining`, `-Category`,
/// `-Type`); each is `None` when the server did not send it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimitInfo {
    /// Requests allowed in the current period.
    pub limit: Option<u64>,
    /// Requests left in the current period.
    pub remaining: Option<u64>,
    /// The rate-limit class the request counted against (`Light`, `Heavy`, …).
    pub category: Option<String>,
    /// The kind of limit (`QPS`, `Daily-limit`).
    pub kind: Option<String>,
}

impl RateLimitInfo {
    /// Reads the rate-limit headers of `headers`.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_owned())
        };
        let number = |name: &str| text(name).and_then(|v| v.parse().ok());
        Self {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            category: text("x-ratelimit-category"),
            kind: text("x-ratelimit-type"),
        }
    }
}

/// The request id in `headers`: Zoom's `x-zm-trackingid`, Webex's `TrackingID`, or a generic
/// `x-request-id`.
pub fn request_id(headers: &HeaderMap) -> Option<&str> {
    ["x-zm-trackingid", "trackingid", "x-request-id"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_id_and_the_rate_limit_headers_are_read() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-zm-trackingid",
            "v=2.0;clid=us06;rid=WEB_1".parse().unwrap(),
        );
        headers.insert("x-ratelimit-remaining", "27".parse().unwrap());
        headers.insert("x-ratelimit-limit", "30".parse().unwrap());
        headers.insert("x-ratelimit-category", "Light".parse().unwrap());
        let response = Response::new(200, headers, ());
        assert_eq!(response.request_id(), Some("v=2.0;clid=us06;rid=WEB_1"));
        let limits = response.rate_limit();
        assert_eq!((limits.limit, limits.remaining), (Some(30), Some(27)));
        assert_eq!(limits.category.as_deref(), Some("Light"));
        assert_eq!(limits.kind, None);
    }
}
