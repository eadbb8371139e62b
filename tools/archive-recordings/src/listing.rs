//! Listing every recording file of the range, from Zoom (in month windows, each meeting once)
//! or from Webex (across `Link`-header pages), as the files to archive.

use futures_util::StreamExt;
use std::sync::Arc;
use zoom_client::meetings;
use zoomgen_runtime::chrono::{self, NaiveDate, NaiveTime};
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

/// The days of a listing, both inclusive.
#[derive(Debug, Clone, Copy)]
pub struct Days {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The Zoom client of `args`'s sign-in (and shared state).
pub fn zoom_api(args: &Args) -> Result<ApiClient> {
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
    Ok(builder.build()?)
}

/// Every Zoom recording file of `days`.
pub async fn zoom(args: &Args, days: Days) -> Result<Listing> {
    zoom_files(zoom_api(args)?, &args.user, days).await
}

/// Every recording file of `user` in `days`, listed with `api`.
pub async fn zoom_files(api: ApiClient, user: &str, days: Days) -> Result<Listing> {
    let client = meetings::Client::from_api_client(api.clone());
    let mut meetings = client
        .recordings_list(user)
        .page_size(300)
        .items_between(days.from, days.to);
    let mut files = Vec::new();
    while let Some(meeting) = meetings.next().await {
        let meeting = meeting?;
        let facts = meeting
            .recording_files
            .iter()
            .flatten()
            .map(|file| FileFacts {
                id: file.id.clone(),
                file_type: file.file_type.as_ref().map(ToString::to_string),
                file_extension: file.file_extension.as_ref().map(ToString::to_string),
                recording_type: file.recording_type.as_ref().map(ToString::to_string),
                status: file.status.as_ref().map(ToString::to_string),
                download_url: file.download_url.clone(),
                file_size: file.file_size,
            });
        let start = meeting.start_time.as_ref().map(DateTime::as_str);
        files.extend(plan_meeting(
            user,
            meeting.uuid.as_deref().unwrap_or_default(),
            meeting.topic.as_deref().unwrap_or_default(),
            start.unwrap_or_default(),
            facts,
        ));
    }
    Ok(Listing {
        api,
        webex: None,
        files,
    })
}

/// What planning needs of one recording file, whichever answer (a listing, an event) it
/// came in.
pub struct FileFacts {
    pub id: Option<String>,
    pub file_type: Option<String>,
    pub file_extension: Option<String>,
    pub recording_type: Option<String>,
    pub status: Option<String>,
    pub download_url: Option<String>,
    pub file_size: Option<i64>,
}

/// The files of one recorded meeting (`uuid`, `topic`, `start` as the API wrote them) of
/// `user`, each at its place under OUT: a listing and an event of the same meeting plan the
/// same keys.
pub fn plan_meeting(
    user: &str,
    uuid: &str,
    topic: &str,
    start: &str,
    files: impl IntoIterator<Item = FileFacts>,
) -> Vec<Planned> {
    files
        .into_iter()
        .enumerate()
        .map(|(index, file)| {
            // Timeline and caption files have no ID; their type and place in the list name them.
            let kind = file
                .recording_type
                .clone()
                .or_else(|| file.file_type.clone())
                .unwrap_or_else(|| "file".to_owned())
                .to_ascii_lowercase();
            let name = match &file.id {
                Some(id) => FileName::Id(id),
                None => FileName::Unnamed { kind: &kind, index },
            };
            let file_id = file.id.clone().unwrap_or_else(|| format!("{kind}.{index}"));
            let ext = layout::extension(file.file_extension.as_deref(), file.file_type.as_deref());
            let path = layout::file_path(user, day(start), topic, uuid, name, &ext);
            let ready = file.status.as_deref().is_none_or(|s| s == "completed")
                && file.file_type.as_deref().is_some_and(|t| !t.is_empty());
            Planned {
                key: key(&path),
                url: file.download_url.clone().filter(|_| ready),
                credentials: true,
                access_token: None,
                refresh: None,
                unavailable: None,
                entry: Entry {
                    meeting: uuid.to_owned(),
                    topic: topic.to_owned(),
                    start_time: start.to_owned(),
                    file_id,
                    file_type: file.file_type.unwrap_or_default(),
                    size: file.file_size.and_then(byte_count),
                    state: State::Pending,
                    error: None,
                },
            }
        })
        .collect()
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

/// The Webex client of `args`'s sign-in.
pub fn webex_api(args: &Args) -> Result<ApiClient> {
    let credentials = webex_credentials(args)?;
    Ok(
        ApiClient::builder(args.api_base.as_deref().unwrap_or(WEBEX_API), credentials)
            .vendor(&vendor::webex::WEBEX)
            .build()?,
    )
}

/// Every Webex recording file of `days`.
pub async fn webex(args: &Args, days: Days) -> Result<Listing> {
    webex_files(webex_api(args)?, &args.user, days).await
}

/// Every recording file of `user` in `days`, listed with `api`.
pub async fn webex_files(api: ApiClient, user: &str, days: Days) -> Result<Listing> {
    let client = webex_client::meetings::Client::from_api_client(api.clone());
    // Webex takes instants, `to` exclusive: the range is from the first day's midnight (UTC)
    // to the midnight after the last day.
    let midnight = |day: NaiveDate| day.and_time(NaiveTime::MIN).and_utc();
    let after_last = days
        .to
        .checked_add_days(chrono::Days::new(1))
        .unwrap_or(days.to);
    let mut request = client
        .list_recordings()
        .max(100)
        .from(midnight(days.from))
        .to(midnight(after_last));
    if user != "me" {
        request = request.host_email(user);
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
        files.extend(crate::webex::files(&client, user, listed).await?);
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
