//! Receiving Webex webhooks: `X-Spark-Signature` is the hex HMAC-SHA1 of the raw body keyed
//! with the secret the webhook was created with, and the body is Webex's envelope
//! ([`Notification`]: `resource`, `event`, `data`). Webex signs no time, so a captured
//! delivery can be replayed: a receiver (`events::Receiver`, feature `receiver`) hands each one over once
//! within its remembered window.

use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderValue};
use serde::{Deserialize, Serialize};
use sha1::Sha1;

use crate::error::Error;
use crate::events::{Delivery, Rejection, WebhookEvent, WebhookScheme, key_part};
use crate::secret::Secret;

/// The header carrying the hex HMAC-SHA1 of the body.
pub const SIGNATURE_HEADER: &str = "x-spark-signature";

/// Verifies Webex webhook deliveries with the webhook's secret.
#[derive(Clone)]
pub struct WebhookVerifier {
    secret: Secret,
}

impl WebhookVerifier {
    /// A verifier for the `secret` the webhook was created with; a blank one is refused, as a
    /// signature made with it proves nothing.
    pub fn new(secret: impl Into<Secret>) -> Result<Self, Error> {
        let secret = secret.into();
        if secret
            .expose()
            .chars()
            .all(|c| c.is_whitespace() || c.is_control())
        {
            return Err(Error::Config {
                message: "the Webex webhook secret is empty or blank".to_owned(),
            });
        }
        Ok(Self { secret })
    }

    /// The `X-Spark-Signature` Webex sends for `body`, for tests and re-signing proxies.
    pub fn sign(&self, body: &[u8]) -> String {
        let mut mac = self.mac();
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    }

    fn mac(&self) -> Hmac<Sha1> {
        crate::vendor::hmac(self.secret.expose().as_bytes())
    }
}

impl std::fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("secret", &self.secret)
            .finish()
    }
}

impl WebhookScheme for WebhookVerifier {
    /// Verifies the signature in constant time; a notification is keyed by its webhook,
    /// resource, event and the `data.id` it is about.
    fn check(&self, headers: &HeaderMap, body: &[u8]) -> Result<Delivery, Rejection> {
        let signature = headers
            .get(SIGNATURE_HEADER)
            .and_then(|value| value.to_str().ok())
            .ok_or_else(|| {
                Rejection::Unauthenticated(format!("the `{SIGNATURE_HEADER}` header is missing"))
            })?;
        let expected = hex::decode(signature.trim()).map_err(|_| {
            Rejection::Unauthenticated(format!("the `{SIGNATURE_HEADER}` header is not hex"))
        })?;
        let mut mac = self.mac();
        mac.update(body);
        mac.verify_slice(&expected).map_err(|_| {
            Rejection::Unauthenticated(format!(
                "the `{SIGNATURE_HEADER}` header does not match the body"
            ))
        })?;
        let value: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| Rejection::Malformed(e.to_string()))?;
        let key = [
            key_part(&value, &["id"]),
            key_part(&value, &["resource"]),
            key_part(&value, &["event"]),
            key_part(&value, &["data", "id"]),
        ];
        Ok(Delivery::Event {
            key: key.join("\n"),
        })
    }

    /// `X-Spark-Signature` over the body.
    fn signed_headers(&self, body: &[u8]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        // Hex digits: always a header value.
        if let Ok(value) = HeaderValue::from_str(&self.sign(body)) {
            headers.insert(SIGNATURE_HEADER, value);
        }
        headers
    }
}

/// A Webex webhook notification: what happened (`event`) to which kind of thing (`resource`),
/// and the thing (`data`, with its `id`). Fields Webex adds are kept in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Notification {
    /// The webhook's id.
    pub id: String,
    /// The webhook's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The kind of thing (`recordings`, `meetings`, `messages`).
    pub resource: String,
    /// What happened (`created`, `updated`, `deleted`, `ended`).
    pub event: String,
    /// Who caused it.
    #[serde(default)]
    pub actor_id: Option<String>,
    /// The thing, with its `id`.
    #[serde(default)]
    pub data: serde_json::Value,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: crate::Extra,
}

impl WebhookEvent for Notification {
    fn from_slice(body: &[u8]) -> Result<Self, Error> {
        crate::decode_json("webex.notification", body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_notification_is_keyed_by_webhook_resource_event_and_data() {
        let verifier = WebhookVerifier::new("whsec").unwrap();
        let body = br#"{"id":"wh-1","resource":"recordings","event":"created","data":{"id":"rec-9"},"orgId":"o"}"#;
        let mut headers = HeaderMap::new();
        headers.insert(SIGNATURE_HEADER, verifier.sign(body).parse().unwrap());
        assert_eq!(
            verifier.check(&headers, body),
            Ok(Delivery::Event {
                key: "wh-1\nrecordings\ncreated\nrec-9".to_owned()
            })
        );
        let notification = Notification::from_slice(body).unwrap();
        assert_eq!(
            (
                notification.resource.as_str(),
                notification.data["id"].as_str()
            ),
            ("recordings", Some("rec-9"))
        );
        assert_eq!(notification.extra["orgId"], "o");
        // RFC 2202 test case 2 for HMAC-SHA1.
        let jefe = WebhookVerifier::new("Jefe").unwrap();
        assert_eq!(
            jefe.sign(b"what do ya want for nothing?"),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        let mut tampered = headers.clone();
        tampered.insert(SIGNATURE_HEADER, jefe.sign(body).parse().unwrap());
        assert!(matches!(
            verifier.check(&tampered, body),
            Err(Rejection::Unauthenticated(_))
        ));
        assert!(matches!(
            verifier.check(&HeaderMap::new(), body),
            Err(Rejection::Unauthenticated(_))
        ));
    }
}
