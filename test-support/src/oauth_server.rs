//! An authorization server on 127.0.0.1 that rotates refresh tokens the way Zoom does (each
//! refresh returns a new refresh token, and a used one is refused with `invalid_grant`), and an
//! API beside it that accepts only the current access token.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// What the server has issued and seen.
#[derive(Debug)]
pub struct Issued {
    /// The one refresh token that works now.
    pub refresh_token: String,
    /// The one access token that works now.
    pub access_token: String,
    /// Refresh requests received (accepted or not).
    pub refreshes: usize,
    /// Refresh requests refused as `invalid_grant`.
    pub invalid_grants: usize,
    /// Every token request's form, in order.
    pub forms: Vec<Vec<(String, String)>>,
    /// Every token request's `Authorization` header, in order.
    pub authorizations: Vec<Option<String>>,
    serial: usize,
}

#[derive(Clone)]
pub struct OAuthServer {
    pub server: Arc<MockServer>,
    pub issued: Arc<Mutex<Issued>>,
}

/// How the token endpoint answers.
#[derive(Clone, Copy)]
pub struct Behaviour {
    /// How long each token answer takes (so that concurrent refreshes would overlap).
    pub delay: Duration,
    /// `expires_in` of the access tokens issued.
    pub expires_in: u64,
}

impl Default for Behaviour {
    fn default() -> Self {
        Self {
            delay: Duration::from_millis(200),
            expires_in: 3600,
        }
    }
}

struct TokenEndpoint {
    issued: Arc<Mutex<Issued>>,
    behaviour: Behaviour,
}

impl Respond for TokenEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let form: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
            .into_owned()
            .collect();
        let field = |name: &str| {
            form.iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        };
        let mut issued = self.issued.lock().unwrap();
        issued.forms.push(form.clone());
        issued.authorizations.push(
            request
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        );
        let grant_type = field("grant_type").unwrap_or_default();
        if grant_type == "refresh_token" {
            issued.refreshes += 1;
            if field("refresh_token").as_deref() != Some(issued.refresh_token.as_str()) {
                issued.invalid_grants += 1;
                return ResponseTemplate::new(400).set_body_json(serde_json::json!({
                    "error": "invalid_grant", "error_description": "The refresh token was used or revoked."
                }));
            }
        } else if grant_type != "authorization_code" {
            return ResponseTemplate::new(400)
                .set_body_json(serde_json::json!({"error": "unsupported_grant_type"}));
        }
        issued.serial += 1;
        let serial = issued.serial;
        issued.access_token = format!("access-{serial}");
        issued.refresh_token = format!("refresh-{serial}");
        ResponseTemplate::new(200)
            .set_delay(self.behaviour.delay)
            .set_body_json(serde_json::json!({
                "access_token": issued.access_token,
                "token_type": "bearer",
                "refresh_token": issued.refresh_token,
                "expires_in": self.behaviour.expires_in,
                "scope": "meeting:read user:read",
            }))
    }
}

/// `GET /v2/users/{id}`: 200 with the current access token, else Zoom's 401 (code 124).
struct Api {
    issued: Arc<Mutex<Issued>>,
}

impl Respond for Api {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let expected = format!("Bearer {}", self.issued.lock().unwrap().access_token);
        let sent = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        if sent == Some(expected.as_str()) {
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "u", "type": 1}))
        } else {
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"code": 124, "message": "Invalid access token."}))
        }
    }
}

impl OAuthServer {
    /// A server whose current grant is `refresh-0`/`access-0`.
    pub async fn start(behaviour: Behaviour) -> Self {
        let server = MockServer::start().await;
        let issued = Arc::new(Mutex::new(Issued {
            refresh_token: "refresh-0".into(),
            access_token: "access-0".into(),
            refreshes: 0,
            invalid_grants: 0,
            forms: Vec::new(),
            authorizations: Vec::new(),
            serial: 0,
        }));
        // Zoom's token path, and Webex's.
        for token_path in ["/oauth/token", "/v1/access_token"] {
            Mock::given(method("POST"))
                .and(path(token_path))
                .respond_with(TokenEndpoint {
                    issued: issued.clone(),
                    behaviour,
                })
                .mount(&server)
                .await;
        }
        Mock::given(method("GET"))
            .respond_with(Api {
                issued: issued.clone(),
            })
            .mount(&server)
            .await;
        Self {
            server: Arc::new(server),
            issued,
        }
    }

    pub fn token_url(&self) -> String {
        format!("{}/oauth/token", self.server.uri())
    }

    pub fn authorize_url(&self) -> String {
        format!("{}/oauth/authorize", self.server.uri())
    }

    pub fn api_base(&self) -> String {
        format!("{}/v2", self.server.uri())
    }

    /// The user revokes the app: no refresh token works any more.
    pub fn revoke(&self) {
        let mut issued = self.issued.lock().unwrap();
        issued.refresh_token = "revoked".into();
        issued.access_token = "revoked".into();
    }

    pub fn refreshes(&self) -> usize {
        self.issued.lock().unwrap().refreshes
    }

    pub fn invalid_grants(&self) -> usize {
        self.issued.lock().unwrap().invalid_grants
    }
}
