//! End-to-end tests of the runtime against mock servers on 127.0.0.1.

mod auth;
mod common;
mod errors;
mod limits;
mod pagination;
mod retries;
mod secrets;
mod urls;
