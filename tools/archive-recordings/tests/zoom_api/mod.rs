//! Zoom's API mocked on 127.0.0.1 for the Zoom-mode tests: the token endpoint and a
//! recordings listing that answers per date window, and the tool pointed at it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tokio::process::Command;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// `GET /users/me/recordings`: the meetings whose start date is within a day of the window.
pub struct Recordings(pub Arc<Mutex<Vec<Value>>>);

impl Respond for Recordings {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query: HashMap<String, String> = request.url.query_pairs().into_owned().collect();
        let (Some(from), Some(to)) = (query.get("from"), query.get("to")) else {
            return ResponseTemplate::new(400);
        };
        let day = |text: &str| day_number(text).unwrap_or_else(|| panic!("not a date: {text}"));
        let (from, to) = (day(from), day(to));
        let meetings = self.0.lock().unwrap();
        let listed: Vec<&Value> = meetings
            .iter()
            .filter(|m| {
                let start = day(&m["start_time"].as_str().unwrap_or_default()[..10]);
                from - 1 <= start && start <= to + 1
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({
            "from": query["from"], "to": query["to"], "page_size": 300,
            "total_records": listed.len(), "next_page_token": "", "meetings": listed,
        }))
    }
}

/// Days since 0000-03-01 of a `yyyy-mm-dd` date: enough arithmetic to compare and add days.
fn day_number(text: &str) -> Option<i64> {
    let mut parts = text.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let (y, m) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
    Some(365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d)
}

/// Zoom's mock API: tokens, and the listing of `meetings`.
pub async fn zoom_api_with(meetings: Vec<Value>) -> MockServer {
    zoom_api_listing(Arc::new(Mutex::new(meetings))).await
}

/// Zoom's mock API listing what `meetings` holds at each request.
pub async fn zoom_api_listing(meetings: Arc<Mutex<Vec<Value>>>) -> MockServer {
    let api = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "s2s-access-token", "token_type": "bearer", "expires_in": 3600,
        })))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/users/me/recordings"))
        .respond_with(Recordings(meetings))
        .mount(&api)
        .await;
    api
}

/// `command` in Zoom mode against `api`.
pub fn zoom_mode(api: &MockServer, mut command: Command) -> Command {
    command
        .args(["--user", "me"])
        .args(["--api-base", &format!("{}/v2", api.uri())])
        .args(["--oauth-base", &api.uri()])
        .env("ZOOM_ACCOUNT_ID", "acct")
        .env("ZOOM_CLIENT_ID", "client")
        .env("ZOOM_CLIENT_SECRET", "secret");
    command
}
