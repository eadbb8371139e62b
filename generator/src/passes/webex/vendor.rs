//! Pass `vendor`: what the runtime must know of Webex (its value `vendor::webex::WEBEX`:
//! tracking headers, error bodies, file hosts), passed when the client is built; and how a
//! Webex app signs in, for the generated docs.

use crate::ir::Api;

pub fn run(api: &mut Api) {
    api.runtime_vendor = Some("webex::WEBEX".to_owned());
    api.sign_in = Some(
        "a Webex integration signs in with `Credentials::user_grant` and `OAuthApp::webex` (its \
         refresh token kept fresh), a bot or a personal access token with `Credentials::bearer`"
            .to_owned(),
    );
}
