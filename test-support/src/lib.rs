//! Servers the workspace's tests start on 127.0.0.1 and stop when dropped: a file host that
//! serves ranges slowly or cuts them ([`file_server`]), a real `redis-server`
//! ([`redis_server`]), and an OAuth authorization server that rotates refresh tokens the way
//! Zoom does ([`oauth_server`]); and a capture of `tracing`'s output ([`logs`]). Unpublished; a dev-dependency only (and of the bench).

pub mod file_server;
pub mod logs;
pub mod oauth_server;
pub mod redis_server;
