//! Webex: integrations (user OAuth) at `webexapis.com` with the client's credentials in the
//! form, `TrackingID`, `{message, errors: [{description}]}` error bodies, and files on the
//! API's registrable domain.

use super::{ClientAuth, CredentialHosts, ErrorBody, RateLimitHeaders, UserSignIn, Vendor};
use crate::oauth::OAuthApp;

#[cfg(feature = "webhooks")]
pub mod webhook;

/// Integrations.
const USER_SIGN_IN: UserSignIn = UserSignIn {
    authorize_url: "https://webexapis.com/v1/authorize",
    token_url: "https://webexapis.com/v1/access_token",
    client_auth: ClientAuth::Form,
    revoked_reasons: &[],
};

/// Webex's REST APIs.
pub static WEBEX: Vendor = Vendor {
    name: "Webex",
    app_sign_in: None,
    user_sign_in: Some(USER_SIGN_IN),
    rate_limit_headers: RateLimitHeaders {
        limit: "x-ratelimit-limit",
        remaining: "x-ratelimit-remaining",
        category: None,
        kind: None,
    },
    request_id_headers: &["trackingid", "x-request-id"],
    error_body: ErrorBody {
        code: None,
        message: &["message"],
        errors: "errors",
        error_field: "field",
        error_message: &["description", "message"],
    },
    missing_scopes: None,
    credential_hosts: CredentialHosts::RegistrableDomain,
};

impl OAuthApp {
    /// A Webex integration: `https://webexapis.com/v1/authorize` and `/v1/access_token`, the
    /// client ID and secret sent in the form.
    pub fn webex(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self::with(&WEBEX, &USER_SIGN_IN, client_id, client_secret)
    }
}

#[cfg(test)]
mod tests {
    use http::HeaderMap;

    use super::*;
    use crate::ApiError;

    #[test]
    fn an_integration_authorizes_at_webexapis() {
        let request = OAuthApp::webex("id", "secret")
            .authorization_request("http://127.0.0.1/cb", &[])
            .unwrap();
        assert_eq!(request.url.host_str(), Some("webexapis.com"));
        assert_eq!(request.url.path(), "/v1/authorize");
    }

    #[test]
    fn the_tracking_id_and_description_items_are_read() {
        let mut headers = HeaderMap::new();
        headers.insert("trackingid", "ROUTER_1".parse().unwrap());
        let body = r#"{"message": "Invalid", "errors": [{"description": "roomId is bad"}], "trackingId": "ROUTER_1"}"#;
        let api = ApiError::from_response(&WEBEX, "roomsGet", 400, headers, body.into());
        assert_eq!(api.request_id(), Some("ROUTER_1"));
        assert_eq!(api.message.as_deref(), Some("Invalid"));
        assert_eq!(api.errors[0].message, "roomId is bad");
        assert_eq!((api.code, api.missing_scopes()), (None, None));
    }
}
