//! Zoom Video SDK sign-in (feature `jwt`): the REST API's JWT, minted from the SDK's API key
//! and secret ([`Credentials::video_sdk`](crate::Credentials::video_sdk)), and session JWTs
//! that apps hand to the SDK to join a session ([`SessionToken`]).
//!
//! The Video SDK REST API takes `Authorization: Bearer <JWT>`, a JWT signed with HS256 by the
//! API secret, `iss` the API key. Zoom advises a short life; the client mints one valid for an
//! hour, keeps it, and mints the next before the current one expires.

use std::sync::Arc;
use std::time::Duration;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;

use crate::auth::{Credentials, MintTokens};
use crate::error::Error;
use crate::grant::unix_now;
use crate::secret::Secret;

/// The life of a REST API JWT: Zoom's docs advise no more than an hour.
const API_TOKEN_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// The operation name of errors about session tokens.
const SESSION_TOKEN: &str = "videosdk.session_token";

/// The claims of a REST API JWT.
#[derive(Serialize)]
struct ApiClaims<'a> {
    iss: &'a str,
    iat: u64,
    exp: u64,
}

fn sign(claims: &impl Serialize, secret: &Secret) -> Result<Secret, Error> {
    let key = EncodingKey::from_secret(secret.expose().as_bytes()).map_err(jwt_error)?;
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &key)
        .map(Secret::new)
        .map_err(jwt_error)
}

fn jwt_error(error: jsonwebtoken::errors::Error) -> Error {
    Error::Auth {
        message: format!("cannot sign the Video SDK JWT: {error}"),
        source: None,
    }
}

/// A Video SDK app's API key and secret, which mint the REST API's JWTs.
#[derive(Debug)]
struct ApiKey {
    api_key: String,
    api_secret: Secret,
}

impl MintTokens for ApiKey {
    fn mint(&self) -> Result<(Secret, Duration), Error> {
        let iat = unix_now();
        let claims = ApiClaims {
            iss: &self.api_key,
            iat,
            exp: iat + API_TOKEN_LIFETIME.as_secs(),
        };
        Ok((sign(&claims, &self.api_secret)?, API_TOKEN_LIFETIME))
    }
}

impl Credentials {
    /// A Zoom Video SDK app (feature `jwt`): every request carries a JWT (HS256 by
    /// `api_secret`, `iss` = `api_key`) valid for an hour, minted anew before it expires.
    pub fn video_sdk(api_key: impl Into<String>, api_secret: impl Into<String>) -> Self {
        Self::Minted(Arc::new(ApiKey {
            api_key: api_key.into(),
            api_secret: Secret::new(api_secret),
        }))
    }
}

/// A participant's role in a Video SDK session (`role_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionRole {
    /// `0`: joins as a participant.
    Participant,
    /// `1`: joins as the host.
    Host,
}

/// A session JWT for joining a Video SDK session, built and checked as Zoom checks it:
/// `tpc` (the session name) of 1 to 200 characters, `user_identity` of at most 35 and
/// `session_key` of at most 36, and a life (`exp` − `iat`) between 30 minutes and 48 hours.
#[derive(Debug, Clone)]
pub struct SessionToken {
    app_key: String,
    app_secret: Secret,
    topic: String,
    role: SessionRole,
    life: Duration,
    user_identity: Option<String>,
    session_key: Option<String>,
}

#[derive(Serialize)]
struct SessionClaims<'a> {
    app_key: &'a str,
    tpc: &'a str,
    role_type: u8,
    version: u8,
    iat: u64,
    exp: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_identity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_key: Option<&'a str>,
}

impl SessionToken {
    /// The shortest life Zoom accepts.
    pub const MIN_LIFE: Duration = Duration::from_secs(30 * 60);
    /// The longest life Zoom accepts.
    pub const MAX_LIFE: Duration = Duration::from_secs(48 * 60 * 60);

    /// A token for `topic` (the session name) in `role`, signed with the SDK key and secret,
    /// valid for two hours unless [`life`](Self::life) says otherwise.
    pub fn new(
        app_key: impl Into<String>,
        app_secret: impl Into<String>,
        topic: impl Into<String>,
        role: SessionRole,
    ) -> Self {
        Self {
            app_key: app_key.into(),
            app_secret: Secret::new(app_secret),
            topic: topic.into(),
            role,
            life: Duration::from_secs(2 * 60 * 60),
            user_identity: None,
            session_key: None,
        }
    }

    /// How long the token is valid (30 minutes to 48 hours).
    pub fn life(mut self, life: Duration) -> Self {
        self.life = life;
        self
    }

    /// The user's identity in the session (at most 35 characters).
    pub fn user_identity(mut self, identity: impl Into<String>) -> Self {
        self.user_identity = Some(identity.into());
        self
    }

    /// The app's own session key (at most 36 characters).
    pub fn session_key(mut self, key: impl Into<String>) -> Self {
        self.session_key = Some(key.into());
        self
    }

    /// The signed JWT, or the claim Zoom would refuse, as [`Error::Validation`].
    pub fn sign(&self) -> Result<Secret, Error> {
        let refuse = |field: &str, message: String| Error::Validation {
            operation: SESSION_TOKEN,
            field: field.to_owned(),
            message,
        };
        let topic_length = self.topic.chars().count();
        if !(1..=200).contains(&topic_length) {
            return Err(refuse(
                "tpc",
                format!("the session name has {topic_length} characters; Zoom takes 1 to 200"),
            ));
        }
        for (field, value, most) in [
            ("user_identity", &self.user_identity, 35),
            ("session_key", &self.session_key, 36),
        ] {
            if let Some(value) = value
                && value.chars().count() > most
            {
                return Err(refuse(
                    field,
                    format!(
                        "{} characters; Zoom takes at most {most}",
                        value.chars().count()
                    ),
                ));
            }
        }
        if !(Self::MIN_LIFE..=Self::MAX_LIFE).contains(&self.life) {
            return Err(refuse(
                "exp",
                format!(
                    "a life of {} s; Zoom takes 30 minutes to 48 hours",
                    self.life.as_secs()
                ),
            ));
        }
        let iat = unix_now();
        let claims = SessionClaims {
            app_key: &self.app_key,
            tpc: &self.topic,
            role_type: match self.role {
                SessionRole::Participant => 0,
                SessionRole::Host => 1,
            },
            version: 1,
            iat,
            exp: iat + self.life.as_secs(),
            user_identity: self.user_identity.as_deref(),
            session_key: self.session_key.as_deref(),
        };
        sign(&claims, &self.app_secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokens::TokenProvider as _;
    use jsonwebtoken::{DecodingKey, Validation, decode};
    use serde_json::Value;

    fn claims_of(token: &Secret, secret: &str) -> Value {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.required_spec_claims.clear();
        validation.validate_aud = false;
        decode::<Value>(
            token.expose(),
            &DecodingKey::from_secret(secret.as_bytes()).unwrap(),
            &validation,
        )
        .unwrap()
        .claims
    }

    #[tokio::test]
    async fn the_api_jwt_is_hs256_by_the_secret_with_the_key_as_issuer_for_an_hour() {
        let Credentials::Minted(minter) = Credentials::video_sdk("sdk-key", "sdk-secret") else {
            panic!("the Video SDK's credentials mint their tokens");
        };
        let tokens = crate::auth::MintedTokens::new(minter, Duration::from_secs(60));
        let token = tokens.token(None).await.unwrap();
        let claims = claims_of(&token, "sdk-secret");
        assert_eq!(claims["iss"], "sdk-key");
        let (iat, exp) = (
            claims["iat"].as_u64().unwrap(),
            claims["exp"].as_u64().unwrap(),
        );
        assert_eq!(exp - iat, 3600);
        assert!(iat.abs_diff(unix_now()) <= 2);
        // Kept while fresh; a different secret does not verify it.
        assert_eq!(tokens.current(), Some(token.clone()));
        assert_eq!(tokens.token(None).await.unwrap(), token);
        let mut validation = Validation::new(Algorithm::HS256);
        validation.required_spec_claims.clear();
        assert!(
            decode::<Value>(
                token.expose(),
                &DecodingKey::from_secret(b"other").unwrap(),
                &validation
            )
            .is_err()
        );
    }

    #[test]
    fn a_session_jwt_carries_zooms_claims() {
        let token = SessionToken::new("sdk-key", "sdk-secret", "support-17", SessionRole::Host)
            .life(Duration::from_secs(3600))
            .user_identity("agent-4")
            .session_key("ticket-17")
            .sign()
            .unwrap();
        let claims = claims_of(&token, "sdk-secret");
        assert_eq!(claims["app_key"], "sdk-key");
        assert_eq!(claims["tpc"], "support-17");
        assert_eq!(claims["role_type"], 1);
        assert_eq!(claims["version"], 1);
        assert_eq!(claims["user_identity"], "agent-4");
        assert_eq!(claims["session_key"], "ticket-17");
        assert_eq!(
            claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
            3600
        );
        let participant = SessionToken::new("k", "s", "t", SessionRole::Participant)
            .sign()
            .unwrap();
        assert_eq!(claims_of(&participant, "s")["role_type"], 0);
        assert!(claims_of(&participant, "s").get("user_identity").is_none());
    }

    #[test]
    fn claims_zoom_would_refuse_are_refused() {
        let base = || SessionToken::new("k", "s", "t", SessionRole::Participant);
        for (token, field) in [
            (
                SessionToken::new("k", "s", "x".repeat(201), SessionRole::Host),
                "tpc",
            ),
            (SessionToken::new("k", "s", "", SessionRole::Host), "tpc"),
            (base().life(Duration::from_secs(600)), "exp"),
            (base().life(Duration::from_secs(48 * 3600 + 1)), "exp"),
            (base().user_identity("u".repeat(36)), "user_identity"),
            (base().session_key("k".repeat(37)), "session_key"),
        ] {
            let error = token.sign().unwrap_err();
            assert!(
                matches!(&error, Error::Validation { field: f, .. } if f == field),
                "{field}: {error:?}"
            );
        }
        assert!(
            SessionToken::new("k", "s", "x".repeat(200), SessionRole::Host)
                .sign()
                .is_ok()
        );
        assert!(base().life(SessionToken::MIN_LIFE).sign().is_ok());
        assert!(base().life(SessionToken::MAX_LIFE).sign().is_ok());
    }
}
