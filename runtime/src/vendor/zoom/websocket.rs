//! Zoom's WebSocket event subscriptions (feature `websocket`): the other way Zoom delivers
//! events, with no public endpoint to run. A [`Subscription`] connects to
//! `wss://ws.zoom.us/ws?subscriptionId=…` with the client's access token, sends Zoom's
//! heartbeat (`{"module":"heartbeat"}`) every 30 seconds, reconnects with a growing,
//! jittered backoff when the socket drops (with a fresh token when Zoom refuses the old one),
//! and yields the same typed events a webhook receiver decodes: each event arrives as
//! `{"module":"message","content":"<the event's JSON>"}`.
//!
//! Zoom delivers nothing while no socket is open: a consumer that must miss nothing lists
//! what it may have missed whenever the stream says [`Subscribed::Connected`].

use std::pin::Pin;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use futures_util::{SinkExt, Stream, StreamExt};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::{self, Message};
use url::Url;

use crate::client::ApiClient;
use crate::error::Error;
use crate::events::WebhookEvent;
use crate::secret::Secret;

/// Zoom's WebSocket endpoint.
pub const DEFAULT_URL: &str = "wss://ws.zoom.us/ws";

/// How often Zoom expects a heartbeat.
pub const DEFAULT_HEARTBEAT: Duration = Duration::from_secs(30);

/// The operation name of errors of a subscription.
const OPERATION: &str = "websocket";

/// Items waiting for the consumer before the socket is read again.
const BUFFER: usize = 64;

/// What a subscription's stream yields.
#[derive(Debug, Clone, PartialEq)]
pub enum Subscribed<E> {
    /// A socket is open (the first, or one after a reconnect): events from now on arrive;
    /// what happened while none was open does not.
    Connected,
    /// An event.
    Event(E),
}

/// A WebSocket event subscription of a Zoom app; [`events`](Subscription::events) starts it.
#[derive(Debug, Clone)]
pub struct Subscription {
    client: ApiClient,
    id: String,
    /// Checked when set; Zoom's own by default.
    url: String,
    heartbeat: Duration,
    backoff: (Duration, Duration),
}

impl Subscription {
    /// The subscription `subscription_id` (the app's event subscription, WebSocket type),
    /// signed in with `client`'s credentials (a Server-to-Server app's).
    pub fn new(client: &ApiClient, subscription_id: impl Into<String>) -> Self {
        Self {
            client: client.clone(),
            id: subscription_id.into(),
            url: DEFAULT_URL.to_owned(),
            heartbeat: DEFAULT_HEARTBEAT,
            backoff: (Duration::from_secs(1), Duration::from_secs(60)),
        }
    }

    /// Another endpoint (a test server's, a proxy's): a `ws://` or `wss://` URL.
    pub fn url(mut self, url: &str) -> Result<Self, Error> {
        Url::parse(url)
            .ok()
            .filter(|url| matches!(url.scheme(), "ws" | "wss"))
            .ok_or_else(|| Error::config(format!("`{url}` is not a ws:// or wss:// URL")))?;
        url.clone_into(&mut self.url);
        Ok(self)
    }

    /// How often the heartbeat is sent (default 30 s).
    pub fn heartbeat(mut self, every: Duration) -> Self {
        self.heartbeat = every;
        self
    }

    /// The wait before the first reconnect and the longest one (default 1 s and 60 s); each
    /// failed reconnect doubles it, with jitter.
    pub fn reconnect_backoff(mut self, first: Duration, longest: Duration) -> Self {
        self.backoff = (first, longest.max(first));
        self
    }

    /// The subscription's stream of events, decoded as `E` (a generated `webhooks::Event`).
    /// It runs on the runtime until the stream is dropped; an event that does not decode is
    /// an `Err` item, and the stream goes on.
    pub fn events<E: WebhookEvent>(
        self,
    ) -> Pin<Box<dyn Stream<Item = Result<Subscribed<E>, Error>> + Send>> {
        let (sender, receiver) = mpsc::channel(BUFFER);
        tokio::spawn(self.run(sender));
        Box::pin(futures_util::stream::unfold(
            receiver,
            |mut receiver| async move { receiver.recv().await.map(|item| (item, receiver)) },
        ))
    }

    /// Connects, reads and reconnects until the consumer is gone.
    async fn run<E: WebhookEvent>(self, sender: mpsc::Sender<Result<Subscribed<E>, Error>>) {
        let endpoint = match Url::parse(&self.url) {
            Ok(endpoint) => endpoint,
            Err(error) => {
                let invalid =
                    Error::config(format!("invalid WebSocket URL `{}`: {error}", self.url));
                let _ = sender.send(Err(invalid)).await;
                return;
            }
        };
        let backoff_builder = ExponentialBuilder::new()
            .with_min_delay(self.backoff.0)
            .with_max_delay(self.backoff.1)
            .with_jitter()
            .without_max_times();
        let mut backoff = backoff_builder.build();
        let mut rejected: Option<Secret> = None;
        loop {
            let (ended, token) = match self.client.token(rejected.as_ref()).await {
                Ok(Some(token)) => (
                    self.connect_once(&endpoint, &token, &sender).await,
                    Some(token),
                ),
                Ok(None) => {
                    let none = Error::config(
                        "a WebSocket subscription needs the client's credentials".to_owned(),
                    );
                    let _ = sender.send(Err(none)).await;
                    return;
                }
                Err(error) => {
                    if sender.send(Err(error)).await.is_err() {
                        return;
                    }
                    (Ended::Dropped, None)
                }
            };
            let refused_again = rejected.is_some();
            rejected = None;
            match ended {
                Ended::ConsumerGone => return,
                Ended::Connected => {
                    // The socket was open and dropped: reconnect at once, the backoff anew.
                    backoff = backoff_builder.build();
                    continue;
                }
                Ended::TokenRefused if !refused_again => {
                    tracing::debug!("Zoom refused the access token; reconnecting with a fresh one");
                    rejected = token;
                    continue;
                }
                // A fresh token refused too, or no connection: wait before the next try.
                Ended::TokenRefused | Ended::Dropped => {}
            }
            let wait = backoff.next().unwrap_or(self.backoff.1);
            tracing::debug!(
                wait_ms = wait.as_millis(),
                "reconnecting the WebSocket subscription"
            );
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = sender.closed() => return,
            }
        }
    }

    /// One connection: open it with `token`, then heartbeat and read until it ends.
    async fn connect_once<E: WebhookEvent>(
        &self,
        endpoint: &Url,
        token: &Secret,
        sender: &mpsc::Sender<Result<Subscribed<E>, Error>>,
    ) -> Ended {
        let mut url = endpoint.clone();
        url.query_pairs_mut()
            .append_pair("subscriptionId", &self.id)
            .append_pair("access_token", token.expose());
        let socket = match tokio_tungstenite::connect_async(url.as_str()).await {
            Ok((socket, _)) => socket,
            Err(tungstenite::Error::Http(response)) if response.status() == 401 => {
                return Ended::TokenRefused;
            }
            Err(error) => {
                // The URL carries the token: only the error's kind is logged.
                tracing::warn!(error = %redacted(&error), "the WebSocket connection failed");
                return Ended::Dropped;
            }
        };
        if sender.send(Ok(Subscribed::Connected)).await.is_err() {
            return Ended::ConsumerGone;
        }
        let (mut outgoing, mut incoming) = socket.split();
        let mut heartbeat =
            tokio::time::interval_at(tokio::time::Instant::now() + self.heartbeat, self.heartbeat);
        // A late beat is not made up for with a burst: beats stay an interval apart.
        heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = heartbeat.tick() => {
                    let beat = Message::text(r#"{"module":"heartbeat"}"#);
                    if outgoing.send(beat).await.is_err() {
                        return Ended::Connected;
                    }
                }
                frame = incoming.next() => match frame {
                    Some(Ok(Message::Text(text))) => {
                        if let Some(item) = frame_item::<E>(text.as_bytes())
                            && sender.send(item).await.is_err()
                        {
                            return Ended::ConsumerGone;
                        }
                    }
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return Ended::Connected,
                    Some(Ok(_)) => {}
                },
                () = sender.closed() => return Ended::ConsumerGone,
            }
        }
    }
}

/// How a connection ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    /// The stream was dropped: stop.
    ConsumerGone,
    /// It was open, then dropped or closed.
    Connected,
    /// It never opened.
    Dropped,
    /// Zoom refused the token at the handshake.
    TokenRefused,
}

/// What a text frame holds for the consumer: an event (or why it does not decode); nothing
/// for heartbeat answers and connection notices.
fn frame_item<E: WebhookEvent>(frame: &[u8]) -> Option<Result<Subscribed<E>, Error>> {
    #[derive(serde::Deserialize)]
    struct Frame {
        module: String,
        #[serde(default)]
        content: serde_json::Value,
    }
    let frame: Frame = match serde_json::from_slice(frame) {
        Ok(frame) => frame,
        Err(error) => {
            tracing::warn!(%error, "a WebSocket frame is not JSON");
            return None;
        }
    };
    if frame.module != "message" {
        tracing::trace!(module = %frame.module, "WebSocket frame");
        return None;
    }
    // The event's JSON, as a string (as Zoom sends it) or inline.
    let event = match frame.content {
        serde_json::Value::String(text) => E::from_slice(text.as_bytes()),
        inline => serde_json::to_vec(&inline)
            .map_err(|e| Error::Decode {
                operation: OPERATION,
                path: String::new(),
                message: e.to_string(),
                excerpt: String::new(),
            })
            .and_then(|bytes| E::from_slice(&bytes)),
    };
    Some(event.map(Subscribed::Event))
}

/// A connection error without the URL (whose query carries the token).
fn redacted(error: &tungstenite::Error) -> String {
    match error {
        tungstenite::Error::Url(_) => "invalid URL".to_owned(),
        tungstenite::Error::Http(response) => format!("HTTP {}", response.status()),
        other => other.to_string(),
    }
}
