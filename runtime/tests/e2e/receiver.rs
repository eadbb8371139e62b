//! The webhook receiver as a real axum server on 127.0.0.1: signatures, the endpoint
//! challenge, deduplication, the body limit, a slow handler and a full queue, for Zoom's and
//! Webex's deliveries.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::{Notify, mpsc};
use zoomgen_runtime::Error;
use zoomgen_runtime::events::{Receiver, WebhookEvent};
use zoomgen_runtime::vendor::webex::webhook::{Notification, WebhookVerifier as WebexVerifier};
use zoomgen_runtime::vendor::zoom::webhook::WebhookVerifier;

const SECRET: &str = "zoom-webhook-secret";

/// A delivery decoded as plain JSON: the runtime's tests have no generated crate.
#[derive(Debug, Clone, PartialEq)]
struct Seen(serde_json::Value);

impl WebhookEvent for Seen {
    fn from_slice(body: &[u8]) -> Result<Self, Error> {
        zoomgen_runtime::decode_json("webhook", body).map(Seen)
    }
}

/// Serves `router` on 127.0.0.1 until the test ends; its base URL.
async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}")
}

/// A receiver of Zoom deliveries at `/zoom` whose handler sends each event to the returned
/// channel, after `gate` (when given) lets it go on.
async fn zoom_receiver(
    configure: impl FnOnce(
        zoomgen_runtime::events::ReceiverBuilder,
    ) -> zoomgen_runtime::events::ReceiverBuilder,
    gate: Option<Arc<Notify>>,
) -> (String, mpsc::UnboundedReceiver<Seen>) {
    let (handled, events) = mpsc::unbounded_channel();
    let receiver = configure(Receiver::builder(WebhookVerifier::new(SECRET).unwrap())).spawn(
        move |event: Seen| {
            let handled = handled.clone();
            let gate = gate.clone();
            async move {
                if let Some(gate) = gate {
                    gate.notified().await;
                }
                let _ = handled.send(event);
            }
        },
    );
    let url = serve(axum::Router::new().route("/zoom", receiver.route())).await;
    (format!("{url}/zoom"), events)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn recording_completed(uuid: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "event": "recording.completed",
        "event_ts": 1_700_000_000_123_u64,
        "payload": {"account_id": "a", "object": {"uuid": uuid, "id": 81_234_567_890_u64}},
        "download_token": "dl-token",
    }))
    .unwrap()
}

/// Posts `body` signed as Zoom signs it at `timestamp` (`tamper` changes the body after).
async fn post_zoom(url: &str, body: &[u8], timestamp: u64) -> reqwest::Response {
    let timestamp = timestamp.to_string();
    let signature = WebhookVerifier::new(SECRET).unwrap().sign(&timestamp, body);
    reqwest::Client::new()
        .post(url)
        .header("x-zm-request-timestamp", timestamp)
        .header("x-zm-signature", signature)
        .header("content-type", "application/json")
        .body(body.to_vec())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn signed_deliveries_are_handled_and_the_rest_refused_with_their_status() {
    let (url, mut events) = zoom_receiver(|builder| builder, None).await;
    let body = recording_completed("u-1");
    assert_eq!(post_zoom(&url, &body, now()).await.status(), 200);
    let event = events.recv().await.unwrap();
    assert_eq!(event.0["payload"]["object"]["uuid"], "u-1");

    let client = reqwest::Client::new();
    let unsigned = client.post(&url).body(body.clone()).send().await.unwrap();
    assert_eq!(unsigned.status(), 401);
    let stale = post_zoom(&url, &recording_completed("u-2"), now() - 3600).await;
    assert_eq!(stale.status(), 401);
    let timestamp = now().to_string();
    let signature = WebhookVerifier::new(SECRET)
        .unwrap()
        .sign(&timestamp, &body);
    let mut tampered = body.clone();
    tampered.extend_from_slice(b" ");
    let tampered = client
        .post(&url)
        .header("x-zm-request-timestamp", timestamp)
        .header("x-zm-signature", signature)
        .body(tampered)
        .send()
        .await
        .unwrap();
    assert_eq!(tampered.status(), 401);
    // Signed, but not an event.
    assert_eq!(post_zoom(&url, b"[1, 2]", now()).await.status(), 400);
    assert_eq!(post_zoom(&url, b"not json", now()).await.status(), 400);
    // Nothing refused reached the handler.
    assert!(events.try_recv().is_err());
}

#[tokio::test]
async fn the_endpoint_challenge_is_answered_as_zoom_checks_it() {
    let (url, mut events) = zoom_receiver(|builder| builder, None).await;
    let body = br#"{"event":"endpoint.url_validation","event_ts":1,"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"}}"#;
    let answer = post_zoom(&url, body, now()).await;
    assert_eq!(answer.status(), 200);
    let answer: serde_json::Value = answer.json().await.unwrap();
    // What Zoom computes: hex(HMAC-SHA256(secret, plainToken)).
    let expected = zoomgen_runtime::vendor::zoom::webhook::url_validation_response(
        "qgg8vlvZRS6UYooatFL8Aw",
        SECRET,
    );
    assert_eq!(answer, expected);
    assert!(events.try_recv().is_err(), "a challenge is not an event");
}

#[tokio::test]
async fn a_delivery_sent_three_times_reaches_the_handler_once() {
    let (url, mut events) = zoom_receiver(|builder| builder, None).await;
    let body = recording_completed("u-dup");
    for _ in 0..3 {
        // Zoom's retries sign anew: a fresh timestamp, the same event.
        assert_eq!(post_zoom(&url, &body, now()).await.status(), 200);
    }
    let other = recording_completed("u-other");
    assert_eq!(post_zoom(&url, &other, now()).await.status(), 200);
    let first = events.recv().await.unwrap();
    let second = events.recv().await.unwrap();
    assert_eq!(first.0["payload"]["object"]["uuid"], "u-dup");
    assert_eq!(second.0["payload"]["object"]["uuid"], "u-other");
    assert!(events.try_recv().is_err());
}

#[tokio::test]
async fn an_oversized_body_is_answered_413() {
    let (url, _events) = zoom_receiver(|builder| builder.max_body_bytes(1024), None).await;
    let mut body = recording_completed("u-big");
    body.splice(
        1..1,
        format!("\"padding\":\"{}\",", "x".repeat(4096)).into_bytes(),
    );
    assert_eq!(post_zoom(&url, &body, now()).await.status(), 413);
}

#[tokio::test]
async fn a_slow_handler_does_not_hold_the_answer() {
    // The handler waits until the test has every answer: were the answer to wait for the
    // handler, the first request would never be answered (and the request time out).
    let gate = Arc::new(Notify::new());
    let (url, mut events) = zoom_receiver(|builder| builder, Some(gate.clone())).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    for uuid in ["s-1", "s-2", "s-3"] {
        let timestamp = now().to_string();
        let body = recording_completed(uuid);
        let signature = WebhookVerifier::new(SECRET)
            .unwrap()
            .sign(&timestamp, &body);
        let answer = client
            .post(&url)
            .header("x-zm-request-timestamp", timestamp)
            .header("x-zm-signature", signature)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
    }
    for expected in ["s-1", "s-2", "s-3"] {
        gate.notify_one();
        let event = events.recv().await.unwrap();
        assert_eq!(event.0["payload"]["object"]["uuid"], expected);
    }
}

#[tokio::test]
async fn a_full_queue_asks_for_a_retry_and_the_retry_is_handled() {
    let gate = Arc::new(Notify::new());
    let (url, mut events) =
        zoom_receiver(|builder| builder.queue_capacity(1), Some(gate.clone())).await;
    // The first is taken by the handler (which waits), the second waits in the queue: it is
    // queued once the handler has taken the first (until then, the one place is the first's).
    assert_eq!(
        post_zoom(&url, &recording_completed("q-1"), now())
            .await
            .status(),
        200
    );
    let mut queued = false;
    for _ in 0..500 {
        if post_zoom(&url, &recording_completed("q-2"), now())
            .await
            .status()
            == 200
        {
            queued = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(queued, "the handler never took the first event");
    let full = post_zoom(&url, &recording_completed("q-3"), now()).await;
    assert_eq!(full.status(), 503);
    assert!(full.headers().contains_key("retry-after"));
    for expected in ["q-1", "q-2"] {
        gate.notify_one();
        assert_eq!(
            events.recv().await.unwrap().0["payload"]["object"]["uuid"],
            expected
        );
    }
    // The refused delivery was not remembered: its retry is handed over.
    assert_eq!(
        post_zoom(&url, &recording_completed("q-3"), now())
            .await
            .status(),
        200
    );
    gate.notify_one();
    assert_eq!(
        events.recv().await.unwrap().0["payload"]["object"]["uuid"],
        "q-3"
    );
}

#[tokio::test]
async fn webex_deliveries_go_through_the_same_receiver() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    let (done, mut handled) = mpsc::unbounded_channel();
    let verifier = WebexVerifier::new("webex-secret").unwrap();
    let receiver = Receiver::builder(verifier.clone()).spawn(move |event: Notification| {
        record.lock().unwrap().push(event);
        let _ = done.send(());
        async {}
    });
    let url = serve(axum::Router::new().route("/webex", receiver.route())).await;
    let body = br#"{"id":"wh-1","name":"recordings","resource":"recordings","event":"created","data":{"id":"rec-1"},"created":"2026-12-06T10:00:00Z"}"#;
    let client = reqwest::Client::new();
    let post = |signature: String| {
        client
            .post(format!("{url}/webex"))
            .header("x-spark-signature", signature)
            .body(body.to_vec())
            .send()
    };
    for _ in 0..2 {
        assert_eq!(post(verifier.sign(body)).await.unwrap().status(), 200);
    }
    assert_eq!(post("00".repeat(20)).await.unwrap().status(), 401);
    let next = br#"{"id":"wh-1","resource":"recordings","event":"created","data":{"id":"rec-2"}}"#;
    let answer = client
        .post(format!("{url}/webex"))
        .header("x-spark-signature", verifier.sign(next))
        .body(next.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    // Events are handled in order: once the second is, the repeat would have been too.
    handled.recv().await.unwrap();
    handled.recv().await.unwrap();
    let seen = seen.lock().unwrap();
    let ids: Vec<_> = seen.iter().map(|event| event.data["id"].as_str()).collect();
    assert_eq!(
        ids,
        [Some("rec-1"), Some("rec-2")],
        "the repeat is not handed over"
    );
    assert_eq!(seen[0].resource, "recordings");
}
