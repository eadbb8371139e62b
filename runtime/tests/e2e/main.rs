//! End-to-end tests of the runtime against mock servers on 127.0.0.1.

mod auth;
mod common;
mod errors;
mod limits;
mod pagination;
#[cfg(feature = "receiver")]
mod receiver;
mod retries;
mod secrets;
mod urls;
#[cfg(feature = "websocket")]
mod websocket;
