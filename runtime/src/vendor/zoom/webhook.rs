//! Receiving Zoom webhooks: checking that a request comes from Zoom and is fresh, and
//! answering Zoom's endpoint validation.
//!
//! Zoom signs each request with the app's secret token: `x-zm-signature` is `v0=` followed by
//! the hex HMAC-SHA256 of `v0:{x-zm-request-timestamp}:{body}`. The check must run over the
//! body bytes exactly as received (re-serialized JSON differs in spacing and key order), must
//! compare in constant time (a comparison that stops at the first differing byte lets an
//! attacker find a valid signature byte by byte), and must reject old timestamps, or a
//! captured request could be replayed at will. Events are then decoded with the generated
//! `webhooks::Event::from_slice`; `events::Receiver` (feature `receiver`)
//! does all of it for an axum service.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderValue};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::events::{Delivery, Rejection, WebhookScheme, key_part};
use crate::secret::Secret;

/// The header carrying `v0=<hex HMAC-SHA256>`.
pub const SIGNATURE_HEADER: &str = "x-zm-signature";
/// The header carrying the request time in seconds since the Unix epoch.
pub const TIMESTAMP_HEADER: &str = "x-zm-request-timestamp";
/// The event Zoom sends to check that an endpoint belongs to the app.
pub const URL_VALIDATION_EVENT: &str = "endpoint.url_validation";

/// How far a request's timestamp may be from the receiver's clock by default: five minutes,
/// this project's choice (the window Stripe's and Slack's signatures use). Zoom's own webhook
/// sample checks no timestamp at all, which lets a captured request be replayed for ever.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

type HmacSha256 = Hmac<Sha256>;

/// Why a webhook request was rejected. Answer any of them with HTTP 401 (or 400 for
/// [`WebhookError::Body`]) and do not act on the body.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// A signature header is missing (or not text).
    #[error("the `{0}` header is missing or not text")]
    MissingHeader(&'static str),
    /// The timestamp header is not a Unix time in seconds.
    #[error("the `x-zm-request-timestamp` header is not a Unix time in seconds")]
    BadTimestamp,
    #[error(
        "the request was signed {skew_secs} s away from now, outside the {tolerance_secs} s window"
    )]
    /// Signed too long ago or too far ahead: a replay, or a clock that is off.
    Stale {
        /// How far the signing time is from now, in seconds.
        skew_secs: u64,
        /// The window allowed, in seconds.
        tolerance_secs: u64,
    },
    /// The signature does not match the body.
    #[error("the `x-zm-signature` header does not match the body")]
    BadSignature,
    /// The body is not a webhook event.
    #[error("the body is not a webhook event: {0}")]
    Body(String),
    /// The verifier was given a blank secret token: anyone can sign with such a key.
    #[error("the webhook secret token is empty or blank")]
    EmptySecret,
}

/// What a verified webhook request asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming<'a> {
    /// Zoom's `endpoint.url_validation` challenge: answer with HTTP 200 and this JSON body.
    UrlValidation(Value),
    /// Any other event; decode the body with the generated `webhooks::Event::from_slice`.
    Event(&'a [u8]),
}

/// Verifies incoming webhook requests with the app's secret token.
#[derive(Clone)]
pub struct WebhookVerifier {
    secret: Secret,
    tolerance: Duration,
    clock: fn() -> SystemTime,
}

impl WebhookVerifier {
    /// A verifier for the app's "Secret Token" with the default five-minute window. A blank
    /// token (empty, or only spaces, line breaks or other control characters) is refused: a
    /// signature made with such a key proves nothing (an unset or mangled environment variable
    /// must not turn verification off).
    pub fn new(secret_token: impl Into<Secret>) -> Result<Self, WebhookError> {
        let secret = secret_token.into();
        if secret
            .expose()
            .chars()
            .all(|c| c.is_whitespace() || c.is_control())
        {
            return Err(WebhookError::EmptySecret);
        }
        Ok(Self {
            secret,
            tolerance: DEFAULT_TOLERANCE,
            clock: SystemTime::now,
        })
    }

    /// How far the request timestamp may be from now, either way.
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Where "now" comes from; tests pin it to check the window.
    pub fn clock(mut self, clock: fn() -> SystemTime) -> Self {
        self.clock = clock;
        self
    }

    /// Checks the signature and the timestamp of a request over its raw `body`.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), WebhookError> {
        let text = |name: &'static str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .ok_or(WebhookError::MissingHeader(name))
        };
        let signature = text(SIGNATURE_HEADER)?;
        let timestamp = text(TIMESTAMP_HEADER)?;
        let sent_at: u64 = timestamp
            .trim()
            .parse()
            .map_err(|_| WebhookError::BadTimestamp)?;
        let now = (self.clock)()
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO)
            .as_secs();
        let skew_secs = now.abs_diff(sent_at);
        if skew_secs > self.tolerance.as_secs() {
            return Err(WebhookError::Stale {
                skew_secs,
                tolerance_secs: self.tolerance.as_secs(),
            });
        }
        let expected = signature
            .strip_prefix("v0=")
            .and_then(|hex| hex::decode(hex).ok())
            .ok_or(WebhookError::BadSignature)?;
        let mut mac = self.mac();
        mac.update(b"v0:");
        mac.update(timestamp.as_bytes());
        mac.update(b":");
        mac.update(body);
        mac.verify_slice(&expected)
            .map_err(|_| WebhookError::BadSignature)
    }

    /// Verifies the request, then tells an endpoint validation (with its answer) from an
    /// event to decode.
    pub fn handle<'a>(
        &self,
        headers: &HeaderMap,
        body: &'a [u8],
    ) -> Result<Incoming<'a>, WebhookError> {
        self.verify(headers, body)?;
        let envelope: Envelope =
            serde_json::from_slice(body).map_err(|e| WebhookError::Body(e.to_string()))?;
        if envelope.event != URL_VALIDATION_EVENT {
            return Ok(Incoming::Event(body));
        }
        let plain_token = envelope
            .payload
            .as_ref()
            .and_then(|payload| payload.get("plainToken"))
            .and_then(Value::as_str)
            .ok_or_else(|| WebhookError::Body("`payload.plainToken` is missing".to_owned()))?;
        Ok(Incoming::UrlValidation(
            self.url_validation_response(plain_token),
        ))
    }

    /// The answer to `endpoint.url_validation`; see [`url_validation_response`].
    pub fn url_validation_response(&self, plain_token: &str) -> Value {
        url_validation_response(plain_token, self.secret.expose())
    }

    /// The `x-zm-signature` value Zoom sends for `body` at `timestamp`, for tests and for
    /// forwarding proxies that re-sign.
    pub fn sign(&self, timestamp: &str, body: &[u8]) -> String {
        let mut mac = self.mac();
        mac.update(b"v0:");
        mac.update(timestamp.as_bytes());
        mac.update(b":");
        mac.update(body);
        format!("v0={}", hex::encode(mac.finalize().into_bytes()))
    }

    fn mac(&self) -> HmacSha256 {
        crate::vendor::hmac::<Sha256>(self.secret.expose().as_bytes())
    }
}

/// The JSON body that answers Zoom's `endpoint.url_validation` challenge:
/// `{"plainToken": plain_token, "encryptedToken": hex(HMAC-SHA256(secret_token, plain_token))}`.
pub fn url_validation_response(plain_token: &str, secret_token: &str) -> Value {
    let mut mac = crate::vendor::hmac::<Sha256>(secret_token.as_bytes());
    mac.update(plain_token.as_bytes());
    json!({
        "plainToken": plain_token,
        "encryptedToken": hex::encode(mac.finalize().into_bytes()),
    })
}

/// The secret never reaches `Debug` output.
impl std::fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("secret", &self.secret)
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

impl WebhookScheme for WebhookVerifier {
    /// Verifies the delivery; `endpoint.url_validation` is answered, and an event is keyed by
    /// its name, `event_ts` and its object's `uuid` or `id` (a retry carries the same). The
    /// body is read once, for these fields only.
    fn check(&self, headers: &HeaderMap, body: &[u8]) -> Result<Delivery, Rejection> {
        self.verify(headers, body)
            .map_err(|error| Rejection::Unauthenticated(error.to_string()))?;
        let head: Head =
            serde_json::from_slice(body).map_err(|e| Rejection::Malformed(e.to_string()))?;
        let payload = head.payload.unwrap_or_default();
        if head.event == URL_VALIDATION_EVENT {
            let plain_token = payload.plain_token.ok_or_else(|| {
                Rejection::Malformed("`payload.plainToken` is missing".to_owned())
            })?;
            return Ok(Delivery::Challenge(
                self.url_validation_response(&plain_token),
            ));
        }
        let object = payload.object.unwrap_or_default();
        let id = match object.uuid {
            Some(uuid) => uuid,
            None => object
                .id
                .as_ref()
                .map(|id| key_part(id, &[]))
                .unwrap_or_default(),
        };
        let event_ts = head
            .event_ts
            .map(|ts| key_part(&ts, &[]))
            .unwrap_or_default();
        Ok(Delivery::Event {
            key: format!("{}\n{event_ts}\n{id}", head.event),
        })
    }

    /// `x-zm-request-timestamp` (the verifier's clock, in seconds) and its `x-zm-signature`.
    fn signed_headers(&self, body: &[u8]) -> HeaderMap {
        let timestamp = (self.clock)()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs()
            .to_string();
        let mut headers = HeaderMap::new();
        for (name, value) in [
            (SIGNATURE_HEADER, self.sign(&timestamp, body)),
            (TIMESTAMP_HEADER, timestamp),
        ] {
            // Hex digits, `v0=` and decimal digits: always a header value.
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
        headers
    }
}

/// What [`WebhookScheme::check`] reads of a body.
#[derive(serde::Deserialize)]
struct Head {
    event: String,
    event_ts: Option<Value>,
    payload: Option<HeadPayload>,
}

#[derive(Default, serde::Deserialize)]
struct HeadPayload {
    #[serde(rename = "plainToken")]
    plain_token: Option<String>,
    object: Option<HeadObject>,
}

#[derive(Default, serde::Deserialize)]
struct HeadObject {
    uuid: Option<String>,
    id: Option<Value>,
}

/// The two fields every webhook body has that the dispatch needs.
#[derive(serde::Deserialize)]
struct Envelope {
    event: String,
    payload: Option<Value>,
}
