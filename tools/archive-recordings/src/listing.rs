//! Listing every recording file of the range, from Zoom (in month windows, each meeting once)
//! or from Webex (across `Link`-header pages), as the files to archive.

use futures_util::StreamExt;
use std::sync::Arc;
use zoom_client::meetings;
use zoomgen_runtime::chrono::{Days, NaiveTime};
use zoomgen_runtime::vendor;
use zoomgen_runtime::wire::DateTime;

use zoomgen_runtime::{
    ApiClient, Credentials, FileStore, Grant, MemoryStore, OAuthApp, RedisState, Seeded, TokenStore,
};

use crate::Result;
use crate::cli::Args;
use crate::layout;
use crate::layout::FileName;
use crate::manifest::{Entry, State, key};
use crate::plan::Planned;

const ZOOM_API: &str = "https://api.zoom.us/v2";
const WEBEX_API: &str = "https://webexapis.com/v1";

/// The client that downloads, and the files.
pub struct Listing {
    pub api: ApiClient,
    /// The Webex client, to refresh expired temporary links.
    pub webex: Option<webex_client::meetings::Client>,
    pub files: Vec<Planned>,
}

/// `value`, or the error naming the variable and what needs it.
fn required(value: &Option<String>, name: &str, what: &str) -> Result<String> {
    value
        .clone()
        .ok_or_else(|| format!("{name} is not set ({what})").into())
}

/// Zoom's sign-in: the Server-to-Server app when ZOOM_ACCOUNT_ID is set, else the user's grant
/// in --grants; with the account, the Redis namespace.
fn zoom_credentials(args: &Args) -> Result<(Credentials, Option<String>)> {
    let app = "the Zoom app's credentials";
    if let Some(account) = &args.zoom_account_id {
        let credentials = Credentials::server_to_server(
            account.clone(),
            required(&args.zoom_client_id, "ZOOM_CLIENT_ID", app)?,
            required(&args.zoom_client_secret, "ZOOM_CLIENT_SECRET", app)?,
        );
        return Ok((credentials, Some(account.clone())));
    }
    let Some(grants) = &args.grants else {
        return Err(
            "ZOOM_ACCOUNT_ID is not set, and no --grants folder (ZOOM_GRANT_STORE) \
                    holds a user's grant: set the Server-to-Server credentials, or run \
                    `archive-recordings login` first"
                .into(),
        );
    };
    let app = crate::login::zoom_app(
        &required(&args.zoom_client_id, "ZOOM_CLIENT_ID", app)?,
        &required(&args.zoom_client_secret, "ZOOM_CLIENT_SECRET", app)?,
        &args.oauth_base,
    )?;
    let store = Arc::new(FileStore::new(grants));
    Ok((
        Credentials::user_grant(app, store, args.grant.clone()),
        None,
    ))
}

pub async fn zoom(args: &Args) -> Result<Listing> {
    let (credentials, account) = zoom_credentials(args)?;
    let mut builder = ApiClient::builder(args.api_base.as_deref().unwrap_or(ZOOM_API), credentials)
        .vendor(&vendor::zoom::ZOOM)
        .oauth_base_url(&args.oauth_base);
    if let Some(url) = &args.redis {
        let account = account.ok_or(
            "--redis shares a Server-to-Server app's token and budget: set ZOOM_ACCOUNT_ID",
        )?;
        // Zoom's limits are per account: the account ID names the shared budget.
        builder = builder
            .shared_state(std::sync::Arc::new(RedisState::with_timeout(
                url,
                &account,
                std::time::Duration::try_from_secs_f64(args.redis_timeout)
                    .map_err(|e| format!("--redis-timeout {}: {e}", args.redis_timeout))?,
            )?))
            .rate_limits(args.plan.rate_limits());
    }
    let api = builder.build()?;
    let client = meetings::Client::from_api_client(api.clone());
    let mut meetings = client
        .recordings_list(args.user.as_str())
        .page_size(300)
        .items_between(args.from, args.to);
    let mut files = Vec::new();
    while let Some(meeting) = meetings.next().await {
        let meeting = meeting?;
        let uuid = meeting.uuid.clone().unwrap_or_default();
        let topic = meeting.topic.clone().unwrap_or_default();
        let start = meeting
            .start_time
            .as_ref()
            .map(DateTime::as_str)
            .unwrap_or("");
        for (index, file) in meeting.recording_files.iter().flatten().enumerate() {
            let file_type = file.file_type.as_ref().map(ToString::to_string);
            let status = file.status.as_ref().map(ToString::to_string);
            let recording_type = file.recording_type.as_ref().map(ToString::to_string);
            // Timeline and caption files have no ID; their type and place in the list name them.
            let kind = recording_type
                .clone()
                .or_else(|| file_type.clone())
                .unwrap_or_else(|| "file".to_owned())
                .to_ascii_lowercase();
            let name = match &file.id {
                Some(id) => FileName::Id(id),
                None => FileName::Unnamed { kind: &kind, index },
            };
            let file_id = file.id.clone().unwrap_or_else(|| format!("{kind}.{index}"));
            let ext = layout::extension(
                file.file_extension
                    .as_ref()
                    .map(ToString::to_string)
                    .as_deref(),
                file_type.as_deref(),
            );
            let path = layout::file_path(&args.user, day(start), &topic, &uuid, name, &ext);
            let ready = status.as_deref().is_none_or(|s| s == "completed")
                && file_type.as_deref().is_some_and(|t| !t.is_empty());
            files.push(Planned {
                key: key(&path),
                url: file.download_url.clone().filter(|_| ready),
                credentials: true,
                refresh: None,
                unavailable: None,
                entry: Entry {
                    meeting: uuid.clone(),
                    topic: topic.clone(),
                    start_time: start.to_owned(),
                    file_id,
                    file_type: file_type.unwrap_or_default(),
                    size: file.file_size.and_then(byte_count),
                    state: State::Pending,
                    error: None,
                },
            });
        }
    }
    Ok(Listing {
        api,
        webex: None,
        files,
    })
}

/// Webex's sign-in: an integration's refresh token (its grant kept in --grants when given),
/// else an access token.
fn webex_credentials(args: &Args) -> Result<Credentials> {
    let Some(refresh_token) = &args.webex_refresh_token else {
        let token = required(
            &args.webex_token,
            "WEBEX_TOKEN",
            "a Webex access token, or WEBEX_REFRESH_TOKEN with the integration's client ID and secret",
        )?;
        return Ok(Credentials::bearer(token));
    };
    let what = "a Webex integration's client credentials";
    let base = args.webex_oauth_base.trim_end_matches('/');
    let app = OAuthApp::webex(
        required(&args.webex_client_id, "WEBEX_CLIENT_ID", what)?,
        required(&args.webex_client_secret, "WEBEX_CLIENT_SECRET", what)?,
    )
    .with_endpoints(
        &format!("{base}/authorize"),
        &format!("{base}/access_token"),
    )?;
    let seed = Grant::from_refresh_token(refresh_token.clone());
    let store: Arc<dyn TokenStore> = match &args.grants {
        // A grant refreshed by an earlier run is newer than the variable's token.
        Some(dir) => Arc::new(Seeded::new(FileStore::new(dir), seed)),
        None => Arc::new(MemoryStore::with_grant(WEBEX_GRANT, seed)),
    };
    Ok(Credentials::user_grant(app, store, WEBEX_GRANT))
}

/// The key of the Webex integration's grant.
const WEBEX_GRANT: &str = "webex";

pub async fn webex(args: &Args) -> Result<Listing> {
    let credentials = webex_credentials(args)?;
    let api = ApiClient::builder(args.api_base.as_deref().unwrap_or(WEBEX_API), credentials)
        .vendor(&vendor::webex::WEBEX)
        .build()?;
    let client = webex_client::meetings::Client::from_api_client(api.clone());
    // Webex takes instants, `to` exclusive: the range is from the first day's midnight (UTC)
    // to the midnight after the last day.
    let midnight = |day: zoomgen_runtime::chrono::NaiveDate| day.and_time(NaiveTime::MIN).and_utc();
    let after_last = args.to.checked_add_days(Days::new(1)).unwrap_or(args.to);
    let mut request = client
        .list_recordings()
        .max(100)
        .from(midnight(args.from))
        .to(midnight(after_last));
    if args.user != "me" {
        request = request.host_email(args.user.as_str());
    }
    let mut recordings = request.items();
    let mut files = Vec::new();
    while let Some(recording) = recordings.next().await {
        let recording = recording?;
        let start = recording
            .time_recorded
            .as_ref()
            .map(DateTime::as_str)
            .unwrap_or("");
        let listed = crate::webex::Listed {
            id: recording.id.clone().unwrap_or_default(),
            meeting_id: recording.meeting_id.clone().unwrap_or_default(),
            topic: recording.topic.clone().unwrap_or_default(),
            start: start.to_owned(),
            day: day(start).to_owned(),
            format: recording.format.as_ref().map(ToString::to_string),
        };
        files.extend(crate::webex::files(&client, &args.user, listed).await?);
    }
    Ok(Listing {
        api,
        webex: Some(client.clone()),
        files,
    })
}

/// The `yyyy-mm-dd` of a start time, or `undated`.
pub fn day(start: &str) -> &str {
    start
        .get(..10)
        .filter(|d| {
            d.as_bytes()
                .iter()
                .all(|b| b.is_ascii_digit() || *b == b'-')
        })
        .unwrap_or("undated")
}

/// A size in bytes from Zoom's `file_size`; 0 (still processing) is unknown.
fn byte_count(size: i64) -> Option<u64> {
    u64::try_from(size).ok().filter(|size| *size > 0)
}
