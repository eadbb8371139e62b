//! Command-line arguments. Credentials come from the environment so they stay out of shell
//! history and process listings; base URLs are flags so tests can point the tool at 127.0.0.1.

use std::path::PathBuf;

use clap::Parser;
use zoomgen_runtime::chrono::NaiveDate;

/// Download every cloud recording of a date range into OUT, resumably: files already complete
/// are skipped, partial ones resumed, and OUT/manifest.json lists every file with its state.
#[derive(Debug, Parser)]
#[command(name = "archive-recordings", version)]
pub struct Args {
    /// First day of the range (yyyy-mm-dd, UTC), inclusive.
    #[arg(long)]
    pub from: NaiveDate,
    /// Last day of the range (yyyy-mm-dd, UTC), inclusive.
    #[arg(long)]
    pub to: NaiveDate,
    /// Whose recordings: a Zoom user ID or email, or `me`; with --webex, a host email or `me`.
    #[arg(long, default_value = "me")]
    pub user: String,
    /// The folder to archive into.
    #[arg(long)]
    pub out: PathBuf,
    /// List Webex recordings (token from WEBEX_TOKEN) instead of Zoom's.
    #[arg(long)]
    pub webex: bool,
    /// The API base URL; default `https://api.zoom.us/v2`, or `https://webexapis.com/v1` with --webex.
    #[arg(long)]
    pub api_base: Option<String>,
    /// Where Zoom Server-to-Server tokens come from.
    #[arg(long, default_value = "https://zoom.us")]
    pub oauth_base: String,
    #[arg(long, env = "ZOOM_ACCOUNT_ID", hide_env_values = true)]
    pub zoom_account_id: Option<String>,
    #[arg(long, env = "ZOOM_CLIENT_ID", hide_env_values = true)]
    pub zoom_client_id: Option<String>,
    #[arg(long, env = "ZOOM_CLIENT_SECRET", hide_env_values = true)]
    pub zoom_client_secret: Option<String>,
    #[arg(long, env = "WEBEX_TOKEN", hide_env_values = true)]
    pub webex_token: Option<String>,
}
