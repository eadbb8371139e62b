//! A webhook receiver process for the fleet test of `tests/tests/clients/events.rs`:
//! `receiver_worker REDIS_URL NAMESPACE SECRET` serves Zoom meeting events on 127.0.0.1 (a free
//! port) with its delivered keys in Redis, prints `listening on ADDRESS`, then one line
//! `handled UUID` per event its handler gets, until it is killed.

use std::io::Write;
use std::sync::Arc;

use zoom_client::meeting_events::webhooks::Event;
use zoomgen_runtime::RedisState;
use zoomgen_runtime::events::Receiver;
use zoomgen_runtime::vendor::zoom::webhook::WebhookVerifier;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [redis, namespace, secret] = args.as_slice() else {
        eprintln!("usage: receiver_worker REDIS_URL NAMESPACE SECRET; got {args:?}");
        return std::process::ExitCode::FAILURE;
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("no runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(redis, namespace, secret)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("receiver_worker: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(redis: &str, namespace: &str, secret: &str) -> Result<(), String> {
    let state = RedisState::new(redis, namespace).map_err(|e| e.to_string())?;
    let verifier = WebhookVerifier::new(secret.to_owned()).map_err(|e| e.to_string())?;
    let receiver = Receiver::builder(verifier)
        .shared_state(Arc::new(state))
        .spawn(|event: Event| async move {
            let uuid = match &event {
                Event::RecordingCompleted(completed) => completed
                    .payload
                    .as_ref()
                    .and_then(|payload| payload.object.as_ref())
                    .and_then(|object| object.uuid.clone())
                    .unwrap_or_default(),
                other => other.name().to_owned(),
            };
            println!("handled {uuid}");
            let _ = std::io::stdout().flush();
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    println!("listening on {address}");
    let _ = std::io::stdout().flush();
    let router = axum::Router::new().route("/zoom", receiver.route());
    axum::serve(listener, router)
        .await
        .map_err(|e| e.to_string())
}
