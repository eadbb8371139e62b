//! Zoom's API for the Zoom-mode tests, from zoom-client's test kit: its Server-to-Server
//! token endpoint, and the recordings listing of typed meetings, each request served the
//! meetings that start within a day of its window (as Zoom filters by the account's time
//! zone); and the tool pointed at it.

use std::sync::{Arc, Mutex};

use tokio::process::Command;
use zoom_client::Credentials;
use zoom_client::meetings::{self, types};
use zoom_client::runtime::chrono::NaiveDate;
use zoom_client::runtime::mock::{MockServer, Query};

pub use types::{MeetingRecordingFile as File, RecordingsListResponseMeeting as Meeting};

/// A meeting of the listing.
pub fn meeting(uuid: &str, topic: &str, start_time: &str, files: Vec<File>) -> Meeting {
    Meeting {
        uuid: Some(uuid.to_owned()),
        topic: Some(topic.to_owned()),
        start_time: Some(start_time.into()),
        recording_files: Some(files),
        ..Default::default()
    }
}

/// A completed file of `file_type` and `size` bytes, downloaded from `url`.
pub fn file(id: Option<&str>, file_type: &str, size: u64, url: String) -> File {
    File {
        id: id.map(str::to_owned),
        file_type: Some(file_type.into()),
        file_extension: Some(file_type.into()),
        file_size: Some(size as i64),
        download_url: Some(url),
        status: Some("completed".into()),
        ..Default::default()
    }
}

/// Whether `meeting` starts within a day of the window the request asks for.
fn in_window(meeting: &Meeting, query: &Query) -> bool {
    let day =
        |text: &str| NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d").ok();
    let (Some(from), Some(to)) = (
        query.get("from").and_then(day),
        query.get("to").and_then(day),
    ) else {
        return false;
    };
    let start = meeting
        .start_time
        .as_ref()
        .and_then(|time| day(time.as_str()));
    start.is_some_and(|start| from.pred_opt() <= Some(start) && Some(start) <= to.succ_opt())
}

/// Zoom's mock API: tokens, and the listing of `meetings`.
pub async fn zoom_api_with(meetings: Vec<Meeting>) -> MockServer {
    zoom_api_listing(Arc::new(Mutex::new(meetings))).await
}

/// Zoom's mock API listing what `meetings` holds at each request.
pub async fn zoom_api_listing(listed: Arc<Mutex<Vec<Meeting>>>) -> MockServer {
    let api = meetings::mock_server().await;
    api.sign_in().await;
    // The client the expectation is stated with: the tool's requests are its builder's.
    let client = meetings::Client::builder(Credentials::none())
        .base_url(&api.url())
        .build()
        .unwrap();
    api.expect_pages(client.recordings_list("me").page_size(300))
        .any_value_of(&["from", "to"])
        .per_page(300)
        .select(in_window)
        .respond_live(listed)
        .await;
    api
}

/// `command` in Zoom mode against `api`.
pub fn zoom_mode(api: &MockServer, mut command: Command) -> Command {
    command
        .args(["--user", "me"])
        .args(["--api-base", &api.url()])
        .args(["--oauth-base", &api.url()])
        .env("ZOOM_ACCOUNT_ID", "acct")
        .env("ZOOM_CLIENT_ID", "client")
        .env("ZOOM_CLIENT_SECRET", "secret");
    command
}
