//! `archive-recordings`: every cloud recording of a date range, downloaded into a folder.
//!
//! ```text
//! ZOOM_ACCOUNT_ID=… ZOOM_CLIENT_ID=… ZOOM_CLIENT_SECRET=… \
//!   archive-recordings --from 2024-01-01 --to 2024-06-30 --user me --out ./recordings
//! ```
//!
//! Killed and started again, it skips the files already complete, resumes the partial one
//! from where it stopped, and ends with every file complete and none downloaded twice.
//!
//! `archive-recordings login --grants DIR` authorizes it as a Zoom user instead (see
//! [`login`]); later runs with `--grants DIR` sign in with that grant.

mod archive;
mod cli;
mod layout;
mod listing;
mod login;
mod manifest;
mod plan;
mod watch;
mod webex;

use std::process::ExitCode;

use clap::Parser;

/// Every failure ends the run with its message; nothing here is recoverable by the tool.
pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

#[tokio::main]
async fn main() -> ExitCode {
    let mut argv = std::env::args_os();
    if std::env::args_os()
        .nth(1)
        .is_some_and(|first| first == "login")
    {
        let login = cli::LoginArgs::parse_from(
            std::iter::once("archive-recordings login".into()).chain(argv.by_ref().skip(2)),
        );
        return match login::run(&login).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("archive-recordings login: {error}");
                ExitCode::from(2)
            }
        };
    }
    let args = cli::Args::parse_from(argv);
    match run(&args).await {
        Ok(summary) if summary.failed == 0 => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(error) => {
            eprintln!("archive-recordings: {error}");
            ExitCode::from(2)
        }
    }
}

async fn run(args: &cli::Args) -> Result<archive::Summary> {
    if args.webex && args.redis.is_some() {
        return Err(
            "--redis shares a Zoom account's token and budget; it does not apply to --webex".into(),
        );
    }
    std::fs::create_dir_all(&args.out)?;
    if args.watch {
        watch::run(args).await?;
        return Ok(archive::Summary::default());
    }
    let Some(to) = args.to else {
        return Err("--to is required without --watch".into());
    };
    if args.from > to {
        return Err(format!("--from {} is after --to {to}", args.from).into());
    }
    let days = listing::Days {
        from: args.from,
        to,
    };
    let mut manifest = manifest::Manifest::load(&args.out)?;
    let listing = if args.webex {
        listing::webex(args, days).await?
    } else {
        listing::zoom(args, days).await?
    };
    let summary = archive::run(
        &args.out,
        listing,
        &mut manifest,
        usize::from(args.concurrency),
    )
    .await?;
    println!(
        "{summary}; manifest: {}",
        args.out.join(manifest::FILE_NAME).display()
    );
    Ok(summary)
}
