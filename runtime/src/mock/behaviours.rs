//! The vendor's behaviours a [`MockServer`](super::MockServer) switches on, applied to every
//! API answer: the access token required once sign-in is on, rate-limit headers, a 429 after
//! some requests, a daily limit; and the app sign-in's token endpoint.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use http::header::{AUTHORIZATION, RETRY_AFTER};
use serde_json::json;
use url::form_urlencoded;
use wiremock::{Respond, ResponseTemplate};

use super::{Failure, TOKEN_PREFIX, json_answer};
use crate::vendor::{AppSignIn, Vendor};

/// The switches and counters one mock server shares among its answers.
pub(super) struct Behaviours {
    vendor: &'static Vendor,
    api_requests: AtomicU64,
    tokens_issued: AtomicU64,
    switches: Mutex<Switches>,
}

#[derive(Default)]
struct Switches {
    tokens_required: bool,
    rate_limit: Option<u64>,
    throttle: Option<(u64, Duration)>,
    daily_limit_after: Option<u64>,
}

impl Behaviours {
    pub(super) fn new(vendor: &'static Vendor) -> Self {
        Self {
            vendor,
            api_requests: AtomicU64::new(0),
            tokens_issued: AtomicU64::new(0),
            switches: Mutex::new(Switches::default()),
        }
    }

    pub(super) fn vendor(&self) -> &'static Vendor {
        self.vendor
    }

    fn switches(&self) -> MutexGuard<'_, Switches> {
        // A test that panicked while holding it changed nothing half-way: every update is
        // one assignment.
        self.switches.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn require_tokens(&self) {
        self.switches().tokens_required = true;
    }

    pub(super) fn set_rate_limit(&self, limit: u64) {
        self.switches().rate_limit = Some(limit);
    }

    pub(super) fn set_throttle(&self, after: u64, wait: Duration) {
        self.switches().throttle = Some((after, wait));
    }

    pub(super) fn set_daily_limit(&self, after: u64) {
        self.switches().daily_limit_after = Some(after);
    }

    pub(super) fn api_requests(&self) -> u64 {
        self.api_requests.load(Ordering::SeqCst)
    }

    pub(super) fn tokens_issued(&self) -> u64 {
        self.tokens_issued.load(Ordering::SeqCst)
    }

    /// Whether `request` carries a token the token endpoint issued, when sign-in is on.
    pub(super) fn authorized(&self, request: &wiremock::Request) -> bool {
        if !self.switches().tokens_required {
            return true;
        }
        let issued = self.tokens_issued();
        request
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .and_then(|token| token.strip_prefix(TOKEN_PREFIX))
            .and_then(|number| number.parse::<u64>().ok())
            .is_some_and(|number| (1..=issued).contains(&number))
    }

    /// The answer to an API request: the switched-on behaviours first, then `answer`.
    pub(super) fn api_answer(
        &self,
        request: &wiremock::Request,
        answer: impl FnOnce() -> ResponseTemplate,
    ) -> ResponseTemplate {
        let number = self.api_requests.fetch_add(1, Ordering::SeqCst) + 1;
        let authorized = self.authorized(request);
        let switches = self.switches();
        let daily = switches
            .daily_limit_after
            .is_some_and(|after| number > after);
        let throttled = switches.throttle.filter(|(after, _)| number == after + 1);
        let mut response = if !authorized {
            Failure::new(401)
                .message("Invalid access token.")
                .answer(self.vendor)
        } else if daily {
            let mut response = Failure::new(429)
                .message("You have reached the maximum daily rate limit for this API.")
                .answer(self.vendor);
            if let Some((kind, marker)) = self.vendor.rate_limit_headers.kind {
                response = response.insert_header(kind, marker);
            }
            response
        } else if let Some((_, wait)) = throttled {
            Failure::new(429)
                .message("Too many requests; try again later.")
                .answer(self.vendor)
                .insert_header(RETRY_AFTER.as_str(), wait.as_secs().to_string())
        } else {
            answer()
        };
        if let Some(limit) = switches.rate_limit {
            let headers = &self.vendor.rate_limit_headers;
            let remaining = if daily {
                0
            } else {
                limit.saturating_sub(number)
            };
            response = response
                .insert_header(headers.limit, limit.to_string())
                .insert_header(headers.remaining, remaining.to_string());
        }
        response
    }
}

/// The app sign-in's token endpoint: a client-credentials grant with HTTP Basic client
/// authentication and the account in the form, as the runtime sends it.
pub(super) struct TokenEndpoint {
    grant_type: &'static str,
    account_field: &'static str,
    behaviours: Arc<Behaviours>,
}

impl TokenEndpoint {
    pub(super) fn new(app: &'static AppSignIn, behaviours: Arc<Behaviours>) -> Self {
        Self {
            grant_type: app.grant_type,
            account_field: app.account_field,
            behaviours,
        }
    }

    /// Why `request` gets no token, if it does not.
    fn refusal(&self, request: &wiremock::Request) -> Option<String> {
        let basic = request
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("Basic "));
        if !basic {
            return Some("the client ID and secret are missing (HTTP Basic)".to_owned());
        }
        let form: HashMap<_, _> = form_urlencoded::parse(&request.body).collect();
        if form.get("grant_type").map(|grant| grant.as_ref()) != Some(self.grant_type) {
            return Some(format!("`grant_type` is not `{}`", self.grant_type));
        }
        if form
            .get(self.account_field)
            .is_none_or(|account| account.is_empty())
        {
            return Some(format!("`{}` is missing", self.account_field));
        }
        None
    }
}

impl Respond for TokenEndpoint {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        if let Some(reason) = self.refusal(request) {
            return json_answer(400, &json!({"error": "invalid_request", "reason": reason}));
        }
        let number = self.behaviours.tokens_issued.fetch_add(1, Ordering::SeqCst) + 1;
        json_answer(
            200,
            &json!({
                "access_token": format!("{TOKEN_PREFIX}{number}"),
                "token_type": "bearer",
                "expires_in": 3600,
            }),
        )
    }
}
