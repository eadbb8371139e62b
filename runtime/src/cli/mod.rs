//! The command line of a generated crate (its feature `cli`): one subcommand per API, tag and
//! operation, built with clap from tables the generator writes, and run through the crate's
//! own typed builders, so that a flag is checked as a program's value is (its type, its
//! enum, the document's limits) before anything is sent.
//!
//! ```text
//! zoom meetings cloud-recording recordings-list --user-id me --from 2024-01-01 --to 2024-06-30 --all
//! ```
//!
//! Credentials come from the environment ([`Credentials::from_env`], every sign-in kind);
//! the answer is written as JSON, or with `--all` every item of a listing as one JSON line
//! (NDJSON); `--dry-run` prints the request with the token redacted and sends nothing; each
//! API's `download <URL> --out FILE` saves a file with a progress bar, resuming what an
//! earlier run left. Exit status: 0 on success, 2 for a flag or body that does not fit
//! (nothing was sent), 1 for a failure of the call.

mod args;
mod download;
mod prepared;

use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches};

use crate::auth::Credentials;
use crate::builder::ClientBuilder;
use crate::client::ApiClient;
use crate::error::Error;
use crate::future::BoxFuture;

pub use args::Args;
pub use prepared::Prepared;

use prepared::Output;

/// One flag of an operation: a parameter, by its wire name in kebab case.
#[derive(Debug)]
pub struct Param {
    /// The flag, without `--`.
    pub flag: &'static str,
    /// Its help: the parameter's documentation and limits.
    pub help: &'static str,
    /// Whether the operation needs it.
    pub required: bool,
    /// The values it takes, when it is an enum or a boolean (empty otherwise).
    pub values: &'static [&'static str],
    /// A list: the flag may be given more than once.
    pub list: bool,
}

/// Whether and how an operation takes a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFlag {
    /// No body.
    None,
    /// A body it may go without.
    Optional,
    /// A body it needs.
    Required,
}

/// Reads the flags into the operation's builder of client `C`.
pub type Prepare<C> = for<'c> fn(&'c C, &Args<'_>) -> Result<Prepared<'c>, Error>;

/// One operation's subcommand.
#[derive(Debug)]
pub struct Command<C: 'static> {
    /// The subcommand, the method's name in kebab case.
    pub name: &'static str,
    /// The operation's summary.
    pub about: &'static str,
    /// Its parameters.
    pub params: &'static [Param],
    /// Its body.
    pub body: BodyFlag,
    /// Whether it pages (and so takes `--all`).
    pub paged: bool,
    /// Reads the flags into the builder.
    pub prepare: Prepare<C>,
}

/// One tag's subcommand.
#[derive(Debug)]
pub struct Group<C: 'static> {
    /// The subcommand, the tag's module in kebab case.
    pub name: &'static str,
    /// The tag as the document writes it.
    pub about: &'static str,
    /// Its operations.
    pub commands: &'static [Command<C>],
}

/// One API's subcommand, over its generated client `C`.
#[derive(Debug)]
pub struct Api<C: 'static> {
    /// The subcommand, the API's module in kebab case.
    pub name: &'static str,
    /// The API's title.
    pub about: &'static str,
    /// The client's builder (the generated `Client::builder`).
    pub client: fn(Credentials) -> ClientBuilder<C>,
    /// The runtime client inside it (the generated `Client::api_client`).
    pub api_client: fn(&C) -> &ApiClient,
    /// Its tags, those compiled in.
    pub groups: Vec<Group<C>>,
}

/// An API's subcommand, whatever its client: what [`main`] runs.
pub trait Module: Send + Sync {
    /// The subcommand's name.
    fn name(&self) -> &'static str;

    /// The clap subcommand.
    fn command(&self) -> clap::Command;

    /// Runs what `matches` (this subcommand's) asks for.
    fn run<'m>(
        &'m self,
        matches: &'m ArgMatches,
        common: &'m Common,
    ) -> BoxFuture<'m, Result<(), Error>>;
}

/// The flags every command takes.
#[derive(Debug)]
pub struct Common {
    base_url: Option<String>,
    oauth_base_url: Option<String>,
    download_hosts: Vec<String>,
    dry_run: bool,
}

impl Common {
    fn from(matches: &ArgMatches) -> Self {
        let text = |flag: &str| matches.get_one::<String>(flag).cloned();
        Self {
            base_url: text("base-url"),
            oauth_base_url: text("oauth-base-url"),
            download_hosts: matches
                .get_many::<String>("download-host")
                .map(|hosts| hosts.cloned().collect())
                .unwrap_or_default(),
            dry_run: matches.get_flag("dry-run"),
        }
    }

    /// The client of `api`: credentials from the environment (none for a dry run without
    /// them), the base URLs and download hosts the flags give.
    fn client<C>(&self, api: fn(Credentials) -> ClientBuilder<C>) -> Result<C, Error>
    where
        C: From<ApiClient>,
    {
        let credentials = match Credentials::from_env() {
            Ok(credentials) => credentials,
            Err(_) if self.dry_run => Credentials::none(),
            Err(error) => return Err(error),
        };
        let mut builder = api(credentials);
        if let Some(url) = &self.base_url {
            builder = builder.base_url(url);
        }
        if let Some(url) = &self.oauth_base_url {
            builder = builder.oauth_base_url(url);
        }
        if !self.download_hosts.is_empty() {
            builder = builder.download_hosts(self.download_hosts.iter().map(String::as_str));
        }
        builder.build()
    }
}

fn param_arg(param: &Param) -> Arg {
    let mut arg = Arg::new(param.flag)
        .long(param.flag)
        .help(param.help)
        .required(param.required)
        .value_name(if param.values.is_empty() {
            "VALUE"
        } else {
            "CHOICE"
        });
    if !param.values.is_empty() {
        arg = arg.value_parser(clap::builder::PossibleValuesParser::new(
            param.values.iter().copied(),
        ));
    }
    if param.list {
        arg = arg.action(ArgAction::Append);
    }
    arg
}

fn operation_command<C>(command: &Command<C>) -> clap::Command {
    let mut sub = clap::Command::new(command.name)
        .about(command.about)
        .args(command.params.iter().map(param_arg));
    if command.body != BodyFlag::None {
        sub = sub.arg(
            Arg::new(args::BODY_FLAG)
                .long(args::BODY_FLAG)
                .value_name("FILE")
                .required(command.body == BodyFlag::Required)
                .help("The request body as JSON, from this file (`-` for standard input)"),
        );
    }
    if command.paged {
        sub = sub.arg(
            Arg::new("all")
                .long("all")
                .action(ArgAction::SetTrue)
                .help("Every item of every page, one JSON document per line (NDJSON)"),
        );
    }
    sub
}

impl<C> Module for Api<C>
where
    C: From<ApiClient> + Send + Sync + 'static,
{
    fn name(&self) -> &'static str {
        self.name
    }

    fn command(&self) -> clap::Command {
        clap::Command::new(self.name)
            .about(self.about)
            .subcommand_required(true)
            .subcommands(self.groups.iter().map(|group| {
                clap::Command::new(group.name)
                    .about(group.about)
                    .subcommand_required(true)
                    .subcommands(group.commands.iter().map(operation_command))
            }))
            .subcommand(download::command())
    }

    fn run<'m>(
        &'m self,
        matches: &'m ArgMatches,
        common: &'m Common,
    ) -> BoxFuture<'m, Result<(), Error>> {
        Box::pin(async move {
            let client = common.client(self.client)?;
            let Some((group_name, group_matches)) = matches.subcommand() else {
                return Err(usage("a tag or `download` is required"));
            };
            if group_name == download::NAME {
                return download::run((self.api_client)(&client), group_matches).await;
            }
            let (command, command_matches) = self
                .groups
                .iter()
                .find(|group| group.name == group_name)
                .zip(group_matches.subcommand())
                .and_then(|(group, (name, matches))| {
                    group
                        .commands
                        .iter()
                        .find(|command| command.name == name)
                        .map(|command| (command, matches))
                })
                .ok_or_else(|| usage("an operation is required"))?;
            let prepared = (command.prepare)(&client, &Args::new(command.name, command_matches))?;
            let description = prepared.describe()?;
            if common.dry_run {
                print!("{description}");
                return Ok(());
            }
            let output = Output {
                all: command.paged && command_matches.get_flag("all"),
            };
            prepared.run(output).await
        })
    }
}

/// An error of the command line itself (a missing subcommand).
fn usage(message: &str) -> Error {
    Error::Validation {
        operation: "command line",
        field: "subcommand".to_owned(),
        message: message.to_owned(),
    }
}

/// The heading of the flags every command takes.
const GLOBAL: &str = "Every command";

/// Runs the command line `name` over `modules` (one per API of the crate): what a generated
/// crate's binary calls. Builds its own tokio runtime.
pub fn main(name: &'static str, about: &'static str, modules: Vec<Box<dyn Module>>) -> ExitCode {
    let command = clap::Command::new(name)
        .about(about)
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg(
            Arg::new("base-url")
                .long("base-url")
                .global(true)
                .help_heading(GLOBAL)
                .value_name("URL")
                .help(
                    "The API's base URL instead of the document's server (a proxy, a test server)",
                ),
        )
        .arg(
            Arg::new("oauth-base-url")
                .long("oauth-base-url")
                .global(true)
                .help_heading(GLOBAL)
                .value_name("URL")
                .help("Where access tokens are requested instead of the vendor's sign-in host"),
        )
        .arg(
            Arg::new("download-host")
                .long("download-host")
                .global(true)
                .help_heading(GLOBAL)
                .action(ArgAction::Append)
                .value_name("HOST")
                .help("A host downloads may send the access token to, besides the vendor's"),
        )
        .arg(
            Arg::new("dry-run")
                .long("dry-run")
                .global(true)
                .help_heading(GLOBAL)
                .action(ArgAction::SetTrue)
                .help("Print the request, its access token redacted, and send nothing"),
        )
        .after_help(format!(
            "Credentials come from the environment, the first of these kinds that is set: {}.",
            crate::vendor::credential_kinds()
        ))
        .subcommands(modules.iter().map(|module| module.command()));
    let matches = command.get_matches();
    let common = Common::from(&matches);
    let Some((api_name, api_matches)) = matches.subcommand() else {
        return report(&usage("an API is required"));
    };
    let Some(module) = modules.iter().find(|module| module.name() == api_name) else {
        return report(&usage("no such API"));
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: no async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(module.run(api_matches, &common)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => report(&error),
    }
}

/// Prints `error` and says how the process ends: 2 for what the command line was given
/// (nothing was sent), 1 for the call's failure.
fn report(error: &Error) -> ExitCode {
    eprintln!("error: {error}");
    match error {
        Error::Validation { .. } => ExitCode::from(2),
        _ => ExitCode::FAILURE,
    }
}
