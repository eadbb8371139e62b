//! Zoom: Server-to-Server OAuth and user-level OAuth apps at `zoom.us`, rate limits by class
//! with a daily limit, `x-zm-trackingid`, `{code, message, errors}` error bodies (and OAuth's
//! `{reason, error}`), code 4711 for missing scopes, and recording files on `*.zoom.us`.

use super::{
    AppSignIn, ClientAuth, CredentialHosts, ErrorBody, RateLimitHeaders, UserSignIn, Vendor,
};
use crate::oauth::OAuthApp;

#[cfg(feature = "jwt")]
pub mod videosdk;
#[cfg(feature = "webhooks")]
pub mod webhook;
#[cfg(feature = "websocket")]
pub mod websocket;

/// User-level OAuth apps.
const USER_SIGN_IN: UserSignIn = UserSignIn {
    authorize_url: "https://zoom.us/oauth/authorize",
    token_url: "https://zoom.us/oauth/token",
    client_auth: ClientAuth::Basic,
    // `{"reason": "Invalid Token!", "error": "invalid_request"}` for a used or revoked
    // refresh token.
    revoked_reasons: &["Invalid Token!"],
};

/// Zoom's REST APIs.
pub static ZOOM: Vendor = Vendor {
    name: "Zoom",
    app_sign_in: Some(AppSignIn {
        oauth_base_url: "https://zoom.us",
        token_path: "/oauth/token",
        grant_type: "account_credentials",
        account_field: "account_id",
    }),
    user_sign_in: Some(USER_SIGN_IN),
    rate_limit_headers: RateLimitHeaders {
        limit: "x-ratelimit-limit",
        remaining: "x-ratelimit-remaining",
        category: Some("x-ratelimit-category"),
        kind: Some(("x-ratelimit-type", "daily")),
    },
    request_id_headers: &["x-zm-trackingid", "x-request-id"],
    error_body: ErrorBody {
        code: Some("code"),
        message: &["message", "reason"],
        errors: "errors",
        error_field: "field",
        error_message: &["message"],
    },
    missing_scopes: Some((4711, "does not contain scope")),
    credential_hosts: CredentialHosts::RegistrableDomain,
};

impl OAuthApp {
    /// A Zoom OAuth app (user-level): `https://zoom.us/oauth/authorize` and `/oauth/token`,
    /// the client authenticated with HTTP Basic.
    pub fn zoom(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self::with(&ZOOM, &USER_SIGN_IN, client_id, client_secret)
    }
}

#[cfg(test)]
mod tests {
    use http::HeaderMap;

    use super::*;
    use crate::{ApiError, Response};

    #[test]
    fn the_tracking_id_and_the_rate_limit_headers_are_read() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-zm-trackingid",
            "v=2.0;clid=us06;rid=WEB_1".parse().unwrap(),
        );
        headers.insert("x-ratelimit-remaining", "27".parse().unwrap());
        headers.insert("x-ratelimit-limit", "30".parse().unwrap());
        headers.insert("x-ratelimit-category", "Light".parse().unwrap());
        headers.insert("x-ratelimit-type", "Daily-limit".parse().unwrap());
        assert!(ZOOM.is_daily_limit(&headers));
        let response = Response::new(&ZOOM, 200, headers, ());
        assert_eq!(response.request_id(), Some("v=2.0;clid=us06;rid=WEB_1"));
        let limits = response.rate_limit();
        assert_eq!((limits.limit, limits.remaining), (Some(30), Some(27)));
        assert_eq!(limits.category.as_deref(), Some("Light"));
        assert_eq!(limits.kind.as_deref(), Some("Daily-limit"));
    }

    #[test]
    fn the_authorization_url_carries_state_and_an_s256_challenge_of_the_verifier() {
        use base64::Engine as _;
        use sha2::Digest as _;
        let app = OAuthApp::zoom("client-1", "secret");
        let request = app
            .authorization_request("http://127.0.0.1:8765/callback", &["meeting:read"])
            .unwrap();
        let query: std::collections::HashMap<String, String> =
            request.url.query_pairs().into_owned().collect();
        assert_eq!(request.url.host_str(), Some("zoom.us"));
        assert_eq!(request.url.path(), "/oauth/authorize");
        assert_eq!(query["response_type"], "code");
        assert_eq!(query["client_id"], "client-1");
        assert_eq!(query["redirect_uri"], "http://127.0.0.1:8765/callback");
        assert_eq!(query["state"], request.state);
        assert_eq!(query["code_challenge_method"], "S256");
        assert_eq!(query["scope"], "meeting:read");
        let expected = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(sha2::Sha256::digest(request.verifier.expose()));
        assert_eq!(query["code_challenge"], expected);
        // RFC 7636: 43 to 128 characters of the unreserved set.
        assert_eq!(request.verifier.expose().len(), 43);
        let again = app
            .authorization_request("http://127.0.0.1/cb", &[])
            .unwrap();
        assert_ne!(again.state, request.state);
        assert!(!again.url.as_str().contains("scope="));
    }

    #[test]
    fn error_bodies_and_oauth_errors_are_read() {
        let body = r#"{"code": "4711", "message": "Invalid access token, does not contain scopes:[user:read, meeting:read]", "errors": [{"field": "topic", "message": "too long"}]}"#;
        let api = ApiError::from_response(&ZOOM, "userGet", 400, HeaderMap::new(), body.into());
        assert_eq!(api.code, Some(4711));
        assert_eq!(
            (api.errors[0].field.as_str(), api.errors[0].message.as_str()),
            ("topic", "too long")
        );
        assert_eq!(
            api.missing_scopes(),
            Some(vec!["user:read".to_owned(), "meeting:read".to_owned()])
        );
        let oauth = r#"{"reason": "Invalid Token!", "error": "invalid_request"}"#;
        let api =
            ApiError::from_response(&ZOOM, "oauth.token", 400, HeaderMap::new(), oauth.into());
        assert_eq!(api.message.as_deref(), Some("Invalid Token!"));
    }
}
