//! Command-line arguments. Credentials come from the environment so they stay out of shell
//! history and process listings; base URLs are flags so tests can point the tool at 127.0.0.1.

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use zoom_client::meetings::rate_classes::{HEAVY, LIGHT, MEDIUM, RESOURCE_INTENSIVE};
use zoomgen_runtime::RateLimits;
use zoomgen_runtime::chrono::NaiveDate;

/// Download every cloud recording of a date range into OUT, resumably: files already complete
/// are skipped, partial ones resumed, and OUT/manifest.json lists every file with its state.
///
/// Zoom sign-in: a Server-to-Server app (ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET),
/// or a user's grant saved by `archive-recordings login` (--grants, --grant, ZOOM_CLIENT_ID,
/// ZOOM_CLIENT_SECRET). Webex: an integration's refresh token (WEBEX_REFRESH_TOKEN,
/// WEBEX_CLIENT_ID, WEBEX_CLIENT_SECRET) or an access token (WEBEX_TOKEN).
#[derive(Debug, Clone, Parser)]
#[command(
    name = "archive-recordings",
    version,
    after_help = "Authorize as a Zoom user first with `archive-recordings login --help`."
)]
pub struct Args {
    /// First day of the range (yyyy-mm-dd, UTC), inclusive; with --watch, where the first
    /// catch-up starts (later ones start at the day of the last event handled).
    #[arg(long)]
    pub from: NaiveDate,
    /// Last day of the range (yyyy-mm-dd, UTC), inclusive; with --watch, today (UTC) at each
    /// catch-up.
    #[arg(long, required_unless_present = "watch")]
    pub to: Option<NaiveDate>,
    /// Follow events instead of ending: archive each recording the moment Zoom says it is
    /// complete (`recording.completed`, Video SDK `session.recording_completed`), and catch up
    /// by listing at start and after every reconnect, so nothing done while the tool was down
    /// is missed. Events come from --listen, --subscription or both.
    #[arg(long, requires = "source")]
    pub watch: bool,
    /// With --watch: receive webhooks on this address (`0.0.0.0:8080`): Zoom's meeting events
    /// at `/webhooks/zoom`, Video SDK events at `/webhooks/videosdk` (ZOOM_WEBHOOK_SECRET), and
    /// with --webex Webex's at `/webhooks/webex` (WEBEX_WEBHOOK_SECRET).
    #[arg(long, group = "source")]
    pub listen: Option<std::net::SocketAddr>,
    /// With --watch: follow this Zoom WebSocket event subscription.
    #[arg(long, env = "ZOOM_SUBSCRIPTION_ID", group = "source")]
    pub subscription: Option<String>,
    /// Zoom's WebSocket endpoint.
    #[arg(long, default_value = "wss://ws.zoom.us/ws")]
    pub websocket_url: String,
    #[arg(long, env = "ZOOM_WEBHOOK_SECRET", hide_env_values = true)]
    pub zoom_webhook_secret: Option<String>,
    #[arg(long, env = "WEBEX_WEBHOOK_SECRET", hide_env_values = true)]
    pub webex_webhook_secret: Option<String>,
    /// Whose recordings: a Zoom user ID or email, or `me`; with --webex, a host email or `me`.
    #[arg(long, default_value = "me")]
    pub user: String,
    /// The folder to archive into.
    #[arg(long)]
    pub out: PathBuf,
    /// List Webex recordings (token from WEBEX_TOKEN) instead of Zoom's.
    #[arg(long)]
    pub webex: bool,
    /// How many files are downloaded at once (each streams to disk, so memory stays bounded).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// Share the Server-to-Server token and the rate budget with every other run that uses
    /// this Redis (`redis://host:6379`) and account: run one process per user or per month
    /// range, and they send what one client would.
    #[arg(long, env = "ARCHIVE_REDIS_URL")]
    pub redis: Option<String>,
    /// With --redis: seconds Redis is given to connect and answer before a run decides alone
    /// (and tries Redis again a second later).
    #[arg(long, default_value_t = 1.0)]
    pub redis_timeout: f64,
    /// The Zoom plan whose per-account, per-second limits the runs keep together:
    /// `pro` (Light 30, Medium 20, Heavy 10 per second, 30,000 Heavy a day) or `business`
    /// (80, 60, 40, and 60,000; also Business+).
    #[arg(long, value_enum, default_value_t = Plan::Pro)]
    pub plan: Plan,
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
    /// A folder of user grants (`archive-recordings login` saves them there); used for Zoom
    /// when ZOOM_ACCOUNT_ID is not set, and with --webex keeps the refreshed grant.
    #[arg(long, env = "ZOOM_GRANT_STORE")]
    pub grants: Option<PathBuf>,
    /// The grant's name in --grants.
    #[arg(long, env = "ZOOM_GRANT", default_value = "me")]
    pub grant: String,
    #[arg(long, env = "WEBEX_TOKEN", hide_env_values = true)]
    pub webex_token: Option<String>,
    #[arg(long, env = "WEBEX_REFRESH_TOKEN", hide_env_values = true)]
    pub webex_refresh_token: Option<String>,
    #[arg(long, env = "WEBEX_CLIENT_ID", hide_env_values = true)]
    pub webex_client_id: Option<String>,
    #[arg(long, env = "WEBEX_CLIENT_SECRET", hide_env_values = true)]
    pub webex_client_secret: Option<String>,
    /// Where Webex integrations refresh their tokens (`{base}/access_token`).
    #[arg(long, default_value = "https://webexapis.com/v1")]
    pub webex_oauth_base: String,
}

/// Authorize the tool as a Zoom user: prints the URL to open, takes the redirect on
/// 127.0.0.1, and saves the user's grant (owner-only) into --grants.
#[derive(Debug, Parser)]
#[command(name = "archive-recordings login", version)]
pub struct LoginArgs {
    /// The folder to save the grant in.
    #[arg(long, env = "ZOOM_GRANT_STORE")]
    pub grants: PathBuf,
    /// The grant's name (a user ID, an email).
    #[arg(long, env = "ZOOM_GRANT", default_value = "me")]
    pub grant: String,
    /// The port of the redirect on 127.0.0.1: the app's redirect URL is
    /// `http://127.0.0.1:<port>/callback` (0: any free port, for tests).
    #[arg(long, default_value_t = 8765)]
    pub port: u16,
    /// Where Zoom's authorization and token endpoints are (`{base}/oauth/authorize`, `/oauth/token`).
    #[arg(long, default_value = "https://zoom.us")]
    pub oauth_base: String,
    /// Scopes to ask for, space-separated (default: the app's).
    #[arg(long, default_value = "")]
    pub scopes: String,
    #[arg(long, env = "ZOOM_CLIENT_ID", hide_env_values = true)]
    pub zoom_client_id: String,
    #[arg(long, env = "ZOOM_CLIENT_SECRET", hide_env_values = true)]
    pub zoom_client_secret: String,
}

/// A Zoom plan, for its per-second rate limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Plan {
    Pro,
    Business,
}

impl Plan {
    /// Zoom's published limits of the plan: Light, Medium and Heavy per second,
    /// Resource-intensive per minute (10 on Pro, 20 on Business and up).
    pub fn rate_limits(self) -> RateLimits {
        let (light, medium, heavy, resource_intensive_per_minute, daily) = match self {
            Plan::Pro => (30.0, 20.0, 10.0, 10.0, 30_000),
            Plan::Business => (80.0, 60.0, 40.0, 20.0, 60_000),
        };
        RateLimits::default()
            .with_rate(LIGHT, light)
            .with_rate(MEDIUM, medium)
            .with_rate(HEAVY, heavy)
            .with_rate(RESOURCE_INTENSIVE, resource_intensive_per_minute / 60.0)
            .with_daily_limit(&[HEAVY, RESOURCE_INTENSIVE], daily)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_intensive_operations_are_limited_per_minute() {
        for (plan, per_minute) in [(Plan::Pro, 10.0), (Plan::Business, 20.0)] {
            let limits = plan.rate_limits();
            let rate = limits.rate(RESOURCE_INTENSIVE).unwrap();
            assert!(
                (rate * 60.0 - per_minute).abs() < 1e-9,
                "{plan:?}: {rate}/s"
            );
            assert!(limits.rate(HEAVY).unwrap() >= 10.0, "{plan:?}");
        }
    }
}
