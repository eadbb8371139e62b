//! Webhook deliveries signed the way the vendor signs them, posted to the receiver under test.

use http::header::CONTENT_TYPE;

use crate::error::Error;
use crate::events::WebhookScheme;

/// Posts typed events to a receiver, signed with the vendor's scheme (from
/// [`MockServer::webhooks`](super::MockServer::webhooks)).
pub struct WebhookSender<S> {
    scheme: S,
    http: reqwest::Client,
}

impl<S: WebhookScheme> WebhookSender<S> {
    pub(super) fn new(scheme: S) -> Self {
        Self {
            scheme,
            http: reqwest::Client::new(),
        }
    }

    /// Posts `event` (a generated `Event`, or any body) to `url` as JSON, signed now; the
    /// HTTP status the receiver answered.
    pub async fn send<E: serde::Serialize>(&self, url: &str, event: &E) -> Result<u16, Error> {
        let body = serde_json::to_vec(event).map_err(|e| Error::Config {
            message: format!("the event does not serialize to JSON: {e}"),
        })?;
        self.send_raw(url, body).await
    }

    /// Posts `body` as it is, signed now (a delivery the typed events cannot write).
    pub async fn send_raw(&self, url: &str, body: Vec<u8>) -> Result<u16, Error> {
        let headers = self.scheme.signed_headers(&body);
        let response = self
            .http
            .post(url)
            .headers(headers)
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| Error::transport("webhook", e))?;
        Ok(response.status().as_u16())
    }
}

impl<S> std::fmt::Debug for WebhookSender<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookSender").finish_non_exhaustive()
    }
}
