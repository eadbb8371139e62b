//! `download <URL> --out FILE`: a file saved with the client's credentials and a progress
//! bar, resumed from the `.part` an earlier run left (see [`crate::download`]).

use std::path::PathBuf;

use clap::{Arg, ArgMatches};
use indicatif::{ProgressBar, ProgressStyle};

use crate::client::ApiClient;
use crate::error::Error;

/// The subcommand's name.
pub(super) const NAME: &str = "download";

pub(super) fn command() -> clap::Command {
    clap::Command::new(NAME)
        .about("Save a file (a recording's download URL) with a progress bar; a run cut short is resumed by the next")
        .arg(Arg::new("url").required(true).value_name("URL").help("The file's URL"))
        .arg(
            Arg::new("out")
                .long("out")
                .required(true)
                .value_name("FILE")
                .help("Where to save it (written to FILE.part until complete)"),
        )
        .arg(
            Arg::new("size")
                .long("size")
                .value_name("BYTES")
                .value_parser(clap::value_parser!(u64))
                .help("The size the listing gave: a file of another size is an error"),
        )
}

pub(super) async fn run(api: &ApiClient, matches: &ArgMatches) -> Result<(), Error> {
    let (Some(url), Some(out)) = (
        matches.get_one::<String>("url"),
        matches.get_one::<String>("out"),
    ) else {
        return Err(super::usage("`download` needs a URL and `--out`"));
    };
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{bytes}/{total_bytes} {wide_bar} {bytes_per_sec} {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let shown = bar.clone();
    let mut download = api.download(url).progress(move |done, total| {
        if let Some(total) = total {
            shown.set_length(total);
        }
        shown.set_position(done);
    });
    if let Some(size) = matches.get_one::<u64>("size") {
        download = download.expected_size(*size);
    }
    let downloaded = download.to_path(PathBuf::from(out)).await;
    bar.finish_and_clear();
    let downloaded = downloaded?;
    eprintln!(
        "saved {out}: {} bytes in {} requests, resumed from byte {}",
        downloaded.bytes, downloaded.requests, downloaded.resumed_from
    );
    Ok(())
}
