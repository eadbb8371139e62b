//! A webhook receiver for axum: verify, answer challenges, deduplicate, decode, and hand the
//! event to an async handler through a bounded queue, so that the answer never waits for the
//! handler (vendors retry a delivery not answered within seconds).

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::DefaultBodyLimit;
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use futures_util::FutureExt;
use http::{HeaderMap, HeaderValue, StatusCode, header};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

use super::{Delivery, Rejection, WebhookEvent, WebhookScheme};
use crate::shared::{LocalState, SharedState};

/// How long a delivered event's key is remembered by default: 90 minutes, past the last retry
/// of a delivery (vendors retry for about an hour: 5, 20 and 60 minutes after the first).
pub const DEFAULT_REMEMBER: Duration = Duration::from_secs(90 * 60);

/// The largest body accepted by default: webhook events are a few kilobytes.
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;

/// Events waiting for the handler, by default.
pub const DEFAULT_QUEUE: usize = 1024;

/// How long a delivery answered with 503 (the queue full) is asked to wait.
const RETRY_AFTER_SECS: &str = "60";

/// Configures a [`Receiver`]; `spawn` starts its handler.
#[must_use = "a receiver does nothing until `.spawn(handler)`"]
pub struct ReceiverBuilder {
    scheme: Arc<dyn WebhookScheme>,
    state: Option<Arc<dyn SharedState>>,
    remember: Duration,
    max_body: usize,
    queue: usize,
}

/// A webhook endpoint for the deliveries `scheme` signs, decoded as `E` (a generated
/// `webhooks::Event`). Cheap to clone; mount it with [`Receiver::route`]:
///
/// - a delivery whose signature (or signed time) does not check is answered 401, a body that
///   is not the vendor's envelope or does not decode 400, one over the size limit 413;
/// - the vendor's endpoint challenge is answered as the vendor checks it;
/// - an event is answered 200 as soon as it is queued; the handler runs apart, one event at a
///   time in delivery order (a panic in it is logged, and the next event goes on);
/// - an event whose key was delivered within the remembered window (a retry, a replay) is
///   answered 200 and not handed over again; with a shared state (`RedisState`), that holds
///   across every receiver behind a load balancer;
/// - when the queue is full the delivery is answered 503 with `Retry-After`, without being
///   remembered, so the vendor's retry brings it again.
pub struct Receiver<E> {
    inner: Arc<Inner<E>>,
}

struct Inner<E> {
    scheme: Arc<dyn WebhookScheme>,
    state: Arc<dyn SharedState>,
    remember: Duration,
    max_body: usize,
    queue: mpsc::Sender<E>,
}

impl<E> Clone for Receiver<E> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<E> std::fmt::Debug for Receiver<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver")
            .field("state", &self.inner.state)
            .field("remember", &self.inner.remember)
            .field("max_body", &self.inner.max_body)
            .finish_non_exhaustive()
    }
}

impl Receiver<()> {
    /// A receiver of the deliveries `scheme` checks (a vendor module's webhook verifier).
    pub fn builder(scheme: impl WebhookScheme) -> ReceiverBuilder {
        ReceiverBuilder {
            scheme: Arc::new(scheme),
            state: None,
            remember: DEFAULT_REMEMBER,
            max_body: DEFAULT_MAX_BODY,
            queue: DEFAULT_QUEUE,
        }
    }
}

impl ReceiverBuilder {
    /// Where delivered keys are remembered; default a [`LocalState`] of this receiver's own.
    /// Give receivers behind one load balancer the same `RedisState`.
    pub fn shared_state(mut self, state: Arc<dyn SharedState>) -> Self {
        self.state = Some(state);
        self
    }

    /// How long a delivered event's key is remembered (default 90 minutes).
    pub fn remember_for(mut self, window: Duration) -> Self {
        self.remember = window;
        self
    }

    /// The largest body accepted (default 1 MiB); a larger one is answered 413.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// How many events may wait for the handler (default 1,024); past that, deliveries are
    /// answered 503 so that the vendor retries them later.
    pub fn queue_capacity(mut self, events: usize) -> Self {
        self.queue = events.max(1);
        self
    }

    /// Starts `handler` on the current Tokio runtime (one event at a time, in delivery order)
    /// and makes the receiver that feeds it. The handler stops when every clone of the
    /// receiver is dropped.
    pub fn spawn<E, H, Fut>(self, handler: H) -> Receiver<E>
    where
        E: WebhookEvent,
        H: Fn(E) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let (sender, mut events) = mpsc::channel(self.queue);
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                if AssertUnwindSafe(handler(event))
                    .catch_unwind()
                    .await
                    .is_err()
                {
                    tracing::error!("the webhook handler panicked; going on with the next event");
                }
            }
        });
        Receiver {
            inner: Arc::new(Inner {
                scheme: self.scheme,
                state: self.state.unwrap_or_else(|| Arc::new(LocalState::new())),
                remember: self.remember,
                max_body: self.max_body,
                queue: sender,
            }),
        }
    }
}

impl<E: WebhookEvent> Receiver<E> {
    /// The route to mount (`Router::new().route("/webhooks", receiver.route())`): POST
    /// only, the body capped at the receiver's limit.
    pub fn route<S: Clone + Send + Sync + 'static>(&self) -> MethodRouter<S> {
        let receiver = self.clone();
        axum::routing::post(move |headers: HeaderMap, body: Bytes| async move {
            receiver.receive(&headers, body).await
        })
        .layer(DefaultBodyLimit::max(self.inner.max_body))
    }

    /// Answers one delivery (what [`route`](Self::route) does for each request, without
    /// axum's body limit): for other frameworks, and for measuring.
    pub async fn receive(&self, headers: &HeaderMap, body: Bytes) -> Response {
        let inner = &self.inner;
        if body.len() > inner.max_body {
            return StatusCode::PAYLOAD_TOO_LARGE.into_response();
        }
        let key = match inner.scheme.check(headers, &body) {
            Ok(Delivery::Challenge(answer)) => return axum::Json(answer).into_response(),
            Ok(Delivery::Event { key }) => key,
            Err(rejection @ Rejection::Unauthenticated(_)) => {
                tracing::warn!(%rejection, "webhook delivery refused");
                return StatusCode::UNAUTHORIZED.into_response();
            }
            Err(rejection @ Rejection::Malformed(_)) => {
                tracing::warn!(%rejection, "webhook delivery refused");
                return StatusCode::BAD_REQUEST.into_response();
            }
        };
        let event = match E::from_slice(&body) {
            Ok(event) => event,
            Err(error) => {
                tracing::warn!(%error, "webhook event does not decode");
                return (StatusCode::BAD_REQUEST, error.to_string()).into_response();
            }
        };
        // A place in the queue first: a delivery that cannot be queued is not remembered, so
        // that its retry is handed over.
        let Ok(place) = inner.queue.try_reserve() else {
            tracing::warn!("webhook queue full; asking the sender to retry later");
            let mut busy = StatusCode::SERVICE_UNAVAILABLE.into_response();
            busy.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECS),
            );
            return busy;
        };
        let digest = hex::encode(Sha256::digest(key.as_bytes()));
        if inner.state.first_delivery(&digest, inner.remember).await {
            place.send(event);
        } else {
            tracing::debug!(%key, "webhook delivery seen before; not handed over again");
        }
        Response::new(Body::empty())
    }
}
