//! What a response says besides its body: the status, the headers, the request id to quote to
//! the vendor's support, and the rate-limit state.

use http::HeaderMap;

use crate::vendor::Vendor;

/// A decoded body with the status and headers it came with (`send_with_response()` of every
/// generated operation).
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: u16,
    headers: HeaderMap,
    body: T,
    vendor: &'static Vendor,
}

impl<T> Response<T> {
    /// The response of a call to `vendor`'s API (also for tests and mocks).
    pub fn new(vendor: &'static Vendor, status: u16, headers: HeaderMap, body: T) -> Self {
        Self {
            status,
            headers,
            body,
            vendor,
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

    /// The id the server gave the request (the vendor's request-id header), to quote to the
    /// vendor's support.
    pub fn request_id(&self) -> Option<&str> {
        self.vendor.request_id(&self.headers)
    }

    /// The rate-limit state the server reported with the response.
    pub fn rate_limit(&self) -> RateLimitInfo {
        RateLimitInfo::from_headers(self.vendor, &self.headers)
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

/// The rate-limit headers of a response, as its vendor names them; each is `None` when the
/// server did not send it (or the vendor has no such header).
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
    /// Reads the rate-limit headers `vendor` sends from `headers`.
    pub fn from_headers(vendor: &Vendor, headers: &HeaderMap) -> Self {
        let names = &vendor.rate_limit_headers;
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_owned())
        };
        let number = |name: &str| text(name).and_then(|v| v.parse().ok());
        Self {
            limit: number(names.limit),
            remaining: number(names.remaining),
            category: names.category.and_then(text),
            kind: names.kind.and_then(|(kind, _)| text(kind)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_id_and_the_rate_limit_headers_are_read_as_the_vendor_names_them() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "r-1".parse().unwrap());
        headers.insert("x-ratelimit-remaining", "27".parse().unwrap());
        headers.insert("x-ratelimit-limit", "30".parse().unwrap());
        headers.insert("x-ratelimit-category", "Light".parse().unwrap());
        let response = Response::new(&Vendor::GENERIC, 200, headers, ());
        assert_eq!(response.request_id(), Some("r-1"));
        let limits = response.rate_limit();
        assert_eq!((limits.limit, limits.remaining), (Some(30), Some(27)));
        // The generic vendor names no class header.
        assert_eq!((limits.category, limits.kind), (None, None));
    }
}
