//! The generated clients and the generator's command line, in one test binary (one link of
//! the committed clients instead of one per file): requests and responses against servers on
//! 127.0.0.1, pagination, recordings, sign-in with a user's grant, validation, webhook events,
//! lossless decoding of real payloads, round trips of every schema, and names the CLI makes.

mod cli_names;
mod cli_process;
mod client_e2e;
mod events;
mod fixtures_kit;
mod lossless;
mod pagination;
mod payloads;
mod recordings;
mod roundtrip;
mod test_kit;
mod user_oauth;
mod validation;
mod webhook_events;
