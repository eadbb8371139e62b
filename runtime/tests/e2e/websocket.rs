//! Zoom's WebSocket event subscriptions against a local server that speaks Zoom's protocol:
//! heartbeats, reconnecting after a drop, and a fresh token after a refused one.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use wiremock::MockServer;
use zoomgen_runtime::Error;
use zoomgen_runtime::events::WebhookEvent;
use zoomgen_runtime::vendor::zoom::websocket::{Subscribed, Subscription};

use crate::common::*;

/// An event decoded as plain JSON.
#[derive(Debug, Clone, PartialEq)]
struct Seen(serde_json::Value);

impl WebhookEvent for Seen {
    fn from_slice(body: &[u8]) -> Result<Self, Error> {
        zoomgen_runtime::decode_json("webhook", body).map(Seen)
    }
}

/// One accepted connection: `Some(frame)` sends a text frame, `None` drops the socket.
type Connection = mpsc::UnboundedSender<Option<String>>;

/// A WebSocket server on 127.0.0.1 speaking Zoom's protocol.
struct ZoomSockets {
    url: String,
    /// When each heartbeat arrived, over every connection.
    heartbeats: Arc<Mutex<Vec<Instant>>>,
    /// The access token of each handshake, accepted or not.
    tokens: Arc<Mutex<Vec<String>>>,
    /// Each accepted connection, as it is made.
    connections: mpsc::UnboundedReceiver<Connection>,
}

impl ZoomSockets {
    /// Starts the server; handshakes with a token in `refused` are answered 401.
    async fn start(refused: &[&str]) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}/ws", listener.local_addr().unwrap());
        let heartbeats = Arc::new(Mutex::new(Vec::new()));
        let tokens = Arc::new(Mutex::new(Vec::new()));
        let refused: Vec<String> = refused.iter().map(|t| (*t).to_owned()).collect();
        let (accepted, connections) = mpsc::unbounded_channel();
        let (beats, seen) = (heartbeats.clone(), tokens.clone());
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (refused, seen, beats, accepted) = (
                    refused.clone(),
                    seen.clone(),
                    beats.clone(),
                    accepted.clone(),
                );
                tokio::spawn(async move {
                    // The handshake callback's signature is tungstenite's, its error a response.
                    #[allow(clippy::result_large_err)]
                    let check = |request: &Request, response: Response| {
                        let token = request
                            .uri()
                            .query()
                            .and_then(|query| {
                                url::form_urlencoded::parse(query.as_bytes())
                                    .find(|(key, _)| key == "access_token")
                                    .map(|(_, value)| value.into_owned())
                            })
                            .unwrap_or_default();
                        seen.lock().unwrap().push(token.clone());
                        if refused.contains(&token) {
                            let mut refusal = ErrorResponse::new(Some("token expired".to_owned()));
                            *refusal.status_mut() = http::StatusCode::UNAUTHORIZED;
                            return Err(refusal);
                        }
                        Ok(response)
                    };
                    let Ok(socket) = tokio_tungstenite::accept_hdr_async(tcp, check).await else {
                        return;
                    };
                    let (mut outgoing, mut incoming) = socket.split();
                    let (script, mut frames) = mpsc::unbounded_channel();
                    let _ = accepted.send(script);
                    let hello = r#"{"module":"build_connection","success":true,"content":"ok"}"#;
                    if outgoing.send(Message::text(hello)).await.is_err() {
                        return;
                    }
                    loop {
                        tokio::select! {
                            frame = frames.recv() => match frame {
                                Some(Some(text)) => {
                                    if outgoing.send(Message::text(text)).await.is_err() {
                                        return;
                                    }
                                }
                                // Dropped without a close frame, as a network cut is.
                                Some(None) | None => return,
                            },
                            heard = incoming.next() => match heard {
                                Some(Ok(Message::Text(text))) if text.contains("heartbeat") => {
                                    beats.lock().unwrap().push(Instant::now());
                                    let ack = r#"{"module":"heartbeat","success":true}"#;
                                    let _ = outgoing.send(Message::text(ack)).await;
                                }
                                Some(Ok(_)) => {}
                                _ => return,
                            },
                        }
                    }
                });
            }
        });
        Self {
            url,
            heartbeats,
            tokens,
            connections,
        }
    }

    /// The next connection the client makes.
    async fn connection(&mut self) -> Connection {
        tokio::time::timeout(Duration::from_secs(20), self.connections.recv())
            .await
            .expect("the client connects")
            .unwrap()
    }
}

/// An event frame as Zoom sends it: the event's JSON as a string in `content`.
fn event_frame(name: &str, uuid: &str) -> String {
    let event =
        serde_json::json!({"event": name, "event_ts": 1, "payload": {"object": {"uuid": uuid}}});
    serde_json::json!({"module": "message", "content": event.to_string()}).to_string()
}

/// A subscription of a Server-to-Server client whose tokens come from `tokens`.
async fn subscription(sockets: &ZoomSockets, tokens: &MockServer) -> Subscription {
    let client = builder(tokens, s2s()).build().unwrap();
    Subscription::new(&client, "sub-1")
        .url(&sockets.url)
        .unwrap()
        .reconnect_backoff(Duration::from_millis(10), Duration::from_millis(100))
}

async fn next<S>(stream: &mut S) -> Subscribed<Seen>
where
    S: futures_util::Stream<Item = Result<Subscribed<Seen>, Error>> + Unpin,
{
    tokio::time::timeout(Duration::from_secs(20), stream.next())
        .await
        .expect("the stream yields")
        .expect("the stream goes on")
        .expect("no error")
}

#[tokio::test]
async fn heartbeats_arrive_on_time() {
    let tokens = MockServer::start().await;
    mount_tokens(&tokens, &["tok-1"], 3600).await;
    let mut sockets = ZoomSockets::start(&[]).await;
    let every = Duration::from_millis(60);
    let mut events = subscription(&sockets, &tokens)
        .await
        .heartbeat(every)
        .events::<Seen>();
    assert_eq!(next(&mut events).await, Subscribed::Connected);
    let _connection = sockets.connection().await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while sockets.heartbeats.lock().unwrap().len() < 4 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let beats = sockets.heartbeats.lock().unwrap().clone();
    assert!(beats.len() >= 4, "{} heartbeats", beats.len());
    for pair in beats.windows(2) {
        // Never early: each one an interval after the last (less the receiving side's
        // scheduling, a few milliseconds).
        assert!(
            pair[1] - pair[0] >= every - Duration::from_millis(15),
            "{beats:?}"
        );
    }
    assert_eq!(*sockets.tokens.lock().unwrap(), ["tok-1"]);
}

#[tokio::test]
async fn a_dropped_connection_reconnects_and_the_stream_goes_on() {
    let tokens = MockServer::start().await;
    mount_tokens(&tokens, &["tok-1"], 3600).await;
    let mut sockets = ZoomSockets::start(&[]).await;
    let mut events = subscription(&sockets, &tokens).await.events::<Seen>();
    assert_eq!(next(&mut events).await, Subscribed::Connected);
    let first = sockets.connection().await;
    first
        .send(Some(event_frame("recording.completed", "a")))
        .unwrap();
    let Subscribed::Event(event) = next(&mut events).await else {
        panic!("an event");
    };
    assert_eq!(event.0["payload"]["object"]["uuid"], "a");
    // A cut: the client opens a new socket and says so, and events flow again.
    first.send(None).unwrap();
    assert_eq!(next(&mut events).await, Subscribed::Connected);
    let second = sockets.connection().await;
    second
        .send(Some(event_frame("recording.completed", "b")))
        .unwrap();
    let Subscribed::Event(event) = next(&mut events).await else {
        panic!("an event");
    };
    assert_eq!(event.0["payload"]["object"]["uuid"], "b");
    // A frame that is not an event (the heartbeat's answer, a notice) yields nothing.
    second
        .send(Some(r#"{"module":"heartbeat","success":true}"#.to_owned()))
        .unwrap();
    second
        .send(Some(event_frame("meeting.ended", "c")))
        .unwrap();
    let Subscribed::Event(event) = next(&mut events).await else {
        panic!("an event");
    };
    assert_eq!(event.0["event"], "meeting.ended");
}

#[tokio::test]
async fn a_refused_token_is_replaced_by_a_fresh_one() {
    let tokens = MockServer::start().await;
    mount_tokens(&tokens, &["tok-expired", "tok-fresh"], 3600).await;
    let mut sockets = ZoomSockets::start(&["tok-expired"]).await;
    let mut events = subscription(&sockets, &tokens).await.events::<Seen>();
    assert_eq!(next(&mut events).await, Subscribed::Connected);
    let connection = sockets.connection().await;
    connection
        .send(Some(event_frame("recording.completed", "z")))
        .unwrap();
    assert!(matches!(next(&mut events).await, Subscribed::Event(_)));
    assert_eq!(
        *sockets.tokens.lock().unwrap(),
        ["tok-expired", "tok-fresh"]
    );
    assert_eq!(hits(&tokens, "/oauth/token").await, 2);
}
