//! What the runtime must know of a vendor's API that its OpenAPI document does not say: where
//! app tokens come from, how rate limits and request ids are announced, the shape of error
//! bodies, and where downloads may carry credentials.
//!
//! A [`Vendor`] is plain data. The runtime's core reads it from the client it was built into
//! ([`ClientBuilder::vendor`](crate::ClientBuilder::vendor)) and never names a vendor: a
//! generated crate passes its own when it builds its client, and another vendor is one more
//! value, not a change to the core. [`Vendor::GENERIC`] is the default: standard OAuth and
//! HTTP only. The vendors zoomgen has profiles for are [`zoom`] and [`webex`].

mod env;
#[cfg(feature = "cli")]
pub(crate) use env::kinds as credential_kinds;
pub mod webex;
pub mod zoom;

/// The facts about one vendor's API. `#[non_exhaustive]`: made only by this crate, each
/// vendor a constant of its module.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Vendor {
    /// The vendor's name, for messages.
    pub name: &'static str,
    /// App-only sign-in (no user), when the vendor has it.
    pub app_sign_in: Option<AppSignIn>,
    /// A user's OAuth sign-in, when the vendor has it.
    pub user_sign_in: Option<UserSignIn>,
    /// The headers that announce rate limits.
    pub rate_limit_headers: RateLimitHeaders,
    /// The headers that carry the server's id of a request, the first present one wins.
    pub request_id_headers: &'static [&'static str],
    /// Where an error body says what went wrong.
    pub error_body: ErrorBody,
    /// An error saying the access token lacks scopes: its numeric code and a phrase of its
    /// message (either one makes it so).
    pub missing_scopes: Option<(i64, &'static str)>,
    /// Where a client's credentials may go besides the download hosts its builder allows.
    pub credential_hosts: CredentialHosts,
}

/// App-only sign-in: a client-credentials grant for one account.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppSignIn {
    /// The host tokens are requested from (the builder's `oauth_base_url` replaces it).
    pub oauth_base_url: &'static str,
    /// The token endpoint's path under that host.
    pub token_path: &'static str,
    /// The `grant_type` of the token request.
    pub grant_type: &'static str,
    /// The form field that names the account.
    pub account_field: &'static str,
}

/// A user's OAuth sign-in: the authorization-code flow with PKCE.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UserSignIn {
    /// Where the user authorizes the app.
    pub authorize_url: &'static str,
    /// Where codes and refresh tokens are exchanged.
    pub token_url: &'static str,
    /// How the app proves who it is to the token endpoint.
    pub client_auth: ClientAuth,
    /// An OAuth error's `reason` texts that mean, besides the standard `invalid_grant`, that
    /// the grant is gone (compared without case).
    pub revoked_reasons: &'static [&'static str],
}

/// How an app proves who it is to a token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    /// HTTP Basic with the client ID and secret.
    Basic,
    /// `client_id` and `client_secret` in the form.
    Form,
}

/// The headers that announce rate limits, by name (lower case).
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimitHeaders {
    /// Requests allowed in the current period.
    pub limit: &'static str,
    /// Requests left in the current period.
    pub remaining: &'static str,
    /// The rate-limit class the request counted against, when the vendor names one.
    pub category: Option<&'static str>,
    /// The kind of limit, when the vendor names one, and the word in it that marks a daily
    /// limit (one that resets at 00:00 UTC rather than in seconds).
    pub kind: Option<(&'static str, &'static str)>,
}

/// Where an error body's fields are, by name.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorBody {
    /// The numeric error code (an integer, or a string holding one), when the vendor has one.
    pub code: Option<&'static str>,
    /// The message, the first present field wins.
    pub message: &'static [&'static str],
    /// The list of validation failures.
    pub errors: &'static str,
    /// In each failure: the field it is about.
    pub error_field: &'static str,
    /// In each failure: what is wrong, the first present field wins.
    pub error_message: &'static [&'static str],
}

/// Where a client's credentials may go besides the download hosts its builder allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialHosts {
    /// The API's host only.
    ApiHost,
    /// The API's host and, when it is a subdomain, its registrable domain and all that domain's
    /// subdomains (by the public suffix list): for vendors whose file hosts share the API's
    /// domain.
    RegistrableDomain,
}

/// A MAC of `D` keyed with `key` (webhook signatures). The key is made one block here as
/// RFC 2104 says (a longer key hashed first, a shorter one zero-padded), so that making the
/// MAC is the infallible `KeyInit::new` rather than the fallible-looking `new_from_slice`.
#[cfg(feature = "webhooks")]
pub(crate) fn hmac<D: hmac::digest::block_api::EagerHash>(key: &[u8]) -> hmac::Hmac<D> {
    use hmac::digest::{Key, KeyInit};
    let mut block = Key::<hmac::Hmac<D>>::default();
    if key.len() > block.len() {
        let hashed = D::digest(key);
        let length = hashed.len().min(block.len());
        block[..length].copy_from_slice(&hashed[..length]);
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    <hmac::Hmac<D> as KeyInit>::new(&block)
}

impl Vendor {
    /// An API of no known vendor: no app sign-in, no user sign-in without explicit endpoints,
    /// `X-RateLimit-Limit` and `-Remaining`, `X-Request-Id`, errors as `{code, message,
    /// errors: [{field, message}]}`, and credentials for the API's host only.
    pub const GENERIC: Vendor = Vendor {
        name: "generic",
        app_sign_in: None,
        user_sign_in: None,
        rate_limit_headers: RateLimitHeaders {
            limit: "x-ratelimit-limit",
            remaining: "x-ratelimit-remaining",
            category: None,
            kind: None,
        },
        request_id_headers: &["x-request-id"],
        error_body: ErrorBody {
            code: Some("code"),
            message: &["message"],
            errors: "errors",
            error_field: "field",
            error_message: &["message"],
        },
        missing_scopes: None,
        credential_hosts: CredentialHosts::ApiHost,
    };

    /// The request id in `headers`.
    pub(crate) fn request_id<'h>(&self, headers: &'h http::HeaderMap) -> Option<&'h str> {
        self.request_id_headers
            .iter()
            .find_map(|name| headers.get(*name))
            .and_then(|value| value.to_str().ok())
    }

    /// The wait the server asked for: `Retry-After` as delta-seconds, an HTTP-date or an RFC
    /// 3339 time; else, for what this vendor marks as a daily limit, until it resets at 00:00
    /// UTC.
    pub(crate) fn requested_wait(&self, headers: &http::HeaderMap) -> Option<std::time::Duration> {
        use std::time::{Duration, SystemTime};
        let now = SystemTime::now();
        let until = |at: SystemTime| at.duration_since(now).unwrap_or(Duration::ZERO);
        if let Some(value) = headers
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
        {
            let value = value.trim();
            if let Ok(seconds) = value.parse::<u64>() {
                return Some(Duration::from_secs(seconds));
            }
            if let Ok(at) = httpdate::parse_http_date(value) {
                return Some(until(at));
            }
            if let Ok(at) = chrono::DateTime::parse_from_rfc3339(value) {
                return Some(until(SystemTime::from(at)));
            }
        }
        self.is_daily_limit(headers)
            .then(crate::shared::until_utc_midnight)
    }

    /// Whether `headers` announce a daily limit.
    pub(crate) fn is_daily_limit(&self, headers: &http::HeaderMap) -> bool {
        let Some((kind, daily)) = self.rate_limit_headers.kind else {
            return false;
        };
        headers
            .get(kind)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.to_ascii_lowercase().contains(daily))
    }

    /// The rate-limit class `headers` say the request counted against.
    pub(crate) fn rate_limit_category<'h>(&self, headers: &'h http::HeaderMap) -> Option<&'h str> {
        let category = self.rate_limit_headers.category?;
        headers.get(category).and_then(|value| value.to_str().ok())
    }
}

#[cfg(all(test, feature = "webhooks"))]
mod tests {
    use hmac::Mac;
    use sha2::Sha256;

    use super::hmac;

    /// RFC 4231 test case 2: a key shorter than the block.
    #[test]
    fn hmac_matches_the_rfc_vector() {
        let mut mac = hmac::<Sha256>(b"Jefe");
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    /// RFC 4231 test case 6: a key longer than the block is hashed first.
    #[test]
    fn long_keys_are_hashed_first() {
        let mut mac = hmac::<Sha256>(&[0xaa; 131]);
        mac.update(b"Test Using Larger Than Block-Size Key - Hash Key First");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }
}

#[cfg(test)]
mod requested_wait_tests {
    use std::time::{Duration, SystemTime};

    use http::HeaderMap;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (http::HeaderName::from_static(k), v.parse().unwrap()))
            .collect()
    }

    #[test]
    fn retry_after_in_every_form() {
        assert_eq!(
            Vendor::GENERIC.requested_wait(&headers(&[("retry-after", "3")])),
            Some(Duration::from_secs(3))
        );
        let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let wait = Vendor::GENERIC
            .requested_wait(&headers(&[("retry-after", &soon)]))
            .unwrap();
        assert!(wait > Duration::from_secs(28) && wait <= Duration::from_secs(30));
        let past =
            Vendor::GENERIC.requested_wait(&headers(&[("retry-after", "2020-05-31T00:00:00Z")]));
        assert_eq!(past, Some(Duration::ZERO));
        assert_eq!(
            Vendor::GENERIC.requested_wait(&headers(&[("retry-after", "soon")])),
            None
        );
    }

    #[test]
    fn a_daily_limit_waits_until_midnight_utc() {
        let vendor = Vendor {
            rate_limit_headers: RateLimitHeaders {
                kind: Some(("x-limit-kind", "daily")),
                ..Vendor::GENERIC.rate_limit_headers
            },
            ..Vendor::GENERIC
        };
        let wait = vendor
            .requested_wait(&headers(&[("x-limit-kind", "Daily-limit")]))
            .unwrap();
        assert!(wait <= Duration::from_secs(24 * 3600));
        assert_eq!(
            vendor.requested_wait(&headers(&[("x-limit-kind", "QPS")])),
            None
        );
        // A vendor that names no daily limit has none.
        let generic = headers(&[("x-limit-kind", "Daily-limit")]);
        assert_eq!(Vendor::GENERIC.requested_wait(&generic), None);
    }
}
