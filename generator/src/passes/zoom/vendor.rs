//! Pass `vendor`: what the runtime must know of Zoom (its value `vendor::zoom::ZOOM`: the
//! Server-to-Server grant, rate-limit and tracking headers, error bodies, file hosts), passed
//! when the client is built; and how a Zoom app signs in, for the generated docs. Zoom's REST
//! APIs take Server-to-Server or user OAuth tokens; the Video SDK's takes a JWT made from the
//! SDK key and secret.

use crate::ir::Api;

pub fn run(api: &mut Api) {
    api.runtime_vendor = Some("zoom::ZOOM".to_owned());
    api.sign_in = Some(
        "a Zoom Server-to-Server app signs in with `Credentials::server_to_server`, a user-level \
         app with `Credentials::user_grant` and `OAuthApp::zoom`, and a Video SDK app with \
         `Credentials::video_sdk` (cargo feature `jwt`)"
            .to_owned(),
    );
}
