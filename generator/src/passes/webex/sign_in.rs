//! Pass `sign_in`: how a Webex app signs in, for the generated docs' usage example.

use crate::ir::Api;

pub fn run(api: &mut Api) {
    api.sign_in = Some(
        "a Webex integration signs in with `Credentials::user_grant` and `OAuthApp::webex` (its \
         refresh token kept fresh), a bot or a personal access token with `Credentials::bearer`"
            .to_owned(),
    );
}
