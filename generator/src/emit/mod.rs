//! Emission: IR → Rust source files of a client crate, formatted with `prettyplease`.
//!
//! Layout of a generated crate: `src/lib.rs`; per API a module `src/<api>/mod.rs` with its
//! `Client`, `types.rs` (every named type), one module per tag (behind a cargo feature) with the
//! operations, and `webhooks.rs` when the document has webhook events.

mod cli;
mod client;
mod conformance;
mod docs;
mod features;
mod format;
mod inputs;
mod licenses;
mod manifest;
mod operations;
mod pagination;
mod readme;
mod shape;
mod tables;
mod tags;
mod tokens;
mod types;
mod webhooks;

use std::collections::BTreeSet;
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::{Error, Result};
use crate::ir::Api;
pub use crate::settings::{Package, RuntimeDependency, Settings};
pub use pagination::items_between_unavailable;

/// One generated file, relative to the crate root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: PathBuf,
    pub contents: String,
}

/// Emits the crate for `apis` (already through the passes).
pub fn emit(settings: &Settings, apis: &[Api]) -> Result<Vec<GeneratedFile>> {
    let header = format::header(&settings.regenerate_command);
    let sources = match settings.include_dir {
        Some(_) => PathBuf::new(),
        None => PathBuf::from("src"),
    };
    let mut jobs: Vec<FileJob<'_>> = Vec::new();
    let mut features: BTreeSet<String> = BTreeSet::new();
    let mut module_decls = Vec::new();
    for api in apis {
        if crate::names::is_reserved_api_module(&api.module) {
            return Err(Error::Emit {
                what: format!("module `{}`", api.module),
                message: "the name is taken by the crate root (lib.rs, main.rs or the `runtime` \
                          re-export); choose another module name"
                    .to_owned(),
            });
        }
        module_decls.push(module_decl(settings, api));
        let api_files = emit_api(api, settings);
        for (relative, what, make) in api_files.files {
            jobs.push((sources.join(&api.module).join(relative), what, make));
        }
        features.extend(api_files.features);
    }
    let lib_path = sources.join("lib.rs");
    let lib = lib_file(
        settings,
        apis,
        &module_decls,
        readme::usage_example(settings, apis),
    );
    let mut files = format_in_parallel(&header, jobs)?;
    if settings.include_dir.is_none() {
        let binary = cli::binary_name(&settings.package.name);
        let path = sources.join("bin").join(format!("{binary}.rs"));
        let what = path.display().to_string();
        files.push(GeneratedFile {
            contents: format!(
                "{header}{}",
                format::file(|| cli::binary(&settings.package.name), &what)?
            ),
            path,
        });
    }
    files.push(GeneratedFile {
        contents: format!("{header}{}", format::file(|| lib, "src/lib.rs")?),
        path: lib_path,
    });
    if settings.include_dir.is_none() {
        files.push(GeneratedFile {
            path: PathBuf::from("Cargo.toml"),
            contents: manifest::cargo_toml(
                settings,
                &features.into_iter().collect::<Vec<_>>(),
                apis.iter().any(|api| !api.webhooks.is_empty()),
            ),
        });
        if settings.package.readme {
            files.push(GeneratedFile {
                path: PathBuf::from("README.md"),
                contents: readme::readme(settings, apis),
            });
        }
        files.extend(licenses::files(&settings.package.license));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The lints generated code allows: vendor descriptions are Markdown with HTML and bare URLs
/// written for a web page, and operations take as many required arguments as the API
/// demands; a tag may share its API's name (`meetings::meetings`).
fn allowed_lints() -> TokenStream {
    quote! {
        clippy::doc_lazy_continuation,
        clippy::doc_overindented_list_items,
        clippy::too_many_arguments,
        clippy::large_enum_variant,
        clippy::empty_docs,
        clippy::module_inception
    }
}

/// `pub mod <api>;`: in a crate a file module; for `include!`, a `#[path]` into the build
/// script's folder with the lints on the module (an included file has no crate attributes).
fn module_decl(settings: &Settings, api: &Api) -> TokenStream {
    let module = tokens::ident(&api.module);
    let docs = docs::doc_attrs(Some(&format!(
        "{} (version {}), from `{}`.",
        api.title, api.version, api.source
    )));
    match &settings.include_dir {
        Some(dir) => {
            let path = dir.join(&api.module).join("mod.rs").display().to_string();
            let lints = allowed_lints();
            quote! { #docs #[allow(#lints)] #[path = #path] pub mod #module; }
        }
        // Generated code is formatted by prettyplease; `cargo fmt` leaves it as generated so
        // that the drift check and the formatting check agree.
        None => quote! { #docs #[rustfmt::skip] pub mod #module; },
    }
}

/// `lib.rs`: the crate's documentation and lints, the runtime re-exports, the API modules.
fn lib_file(
    settings: &Settings,
    apis: &[Api],
    module_decls: &[TokenStream],
    example: Option<String>,
) -> TokenStream {
    let exports = quote! {
        pub use zoomgen_runtime as runtime;
        pub use zoomgen_runtime::{ApiError, Credentials, Error};
        #(#module_decls)*
    };
    if settings.include_dir.is_some() {
        return exports;
    }
    let crate_doc = docs::inner_doc_attrs(&docs::join(&[
        Some(settings.description()),
        example.map(|example| format!("# Example\n\n{example}")),
    ]));
    let lints = allowed_lints();
    let command_line = cli::command_line(
        apis,
        &cli::binary_name(&settings.package.name),
        &settings.description(),
    );
    quote! {
        #crate_doc
        #![allow(#lints)]
        // docs.rs labels each item with the tag feature it needs.
        #![cfg_attr(docsrs, feature(doc_cfg))]
        #exports
        #command_line
    }
}

/// How many parts `types.rs` is made and formatted in, in parallel; more parts than cores
/// let the threads share the work evenly. The joined text is the same for any number.
const TYPES_PARTS: usize = 4;

/// A file to generate: its path, its name for errors, and what makes its tokens. Tokens are
/// not `Send`, so each file's tokens are made on the thread that formats them. Consecutive
/// jobs with the same path are parts of one file, joined in order.
type FileJob<'a> = (
    PathBuf,
    String,
    Box<dyn Fn() -> TokenStream + Send + Sync + 'a>,
);

struct ApiFiles<'a> {
    /// Paths relative to the API's module folder.
    files: Vec<FileJob<'a>>,
    features: Vec<String>,
}

/// Makes and formats the files on all cores: formatting (`syn` + `prettyplease`) is most of
/// the generator's time. Results keep the jobs' order; the first failing job's error wins.
fn format_in_parallel(header: &str, jobs: Vec<FileJob<'_>>) -> Result<Vec<GeneratedFile>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len())
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, Result<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((_, what, make)) = jobs.get(index) else {
                            break;
                        };
                        done.push((index, format::file(make, what)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    vec![(
                        0,
                        Err(Error::Emit {
                            what: "a generated file".into(),
                            message: "the formatting thread panicked".into(),
                        }),
                    )]
                })
            })
            .collect()
    });
    results.sort_by_key(|(index, _)| *index);
    let mut files: Vec<GeneratedFile> = Vec::new();
    for (index, body) in results {
        let body = body?;
        let path = jobs
            .get(index)
            .map(|(path, _, _)| path.clone())
            .unwrap_or_default();
        match files.last_mut() {
            Some(last) if last.path == path => last.contents.push_str(&body),
            _ => files.push(GeneratedFile {
                path,
                contents: format!("{header}{body}"),
            }),
        }
    }
    Ok(files)
}

fn emit_api<'a>(api: &'a Api, settings: &Settings) -> ApiFiles<'a> {
    let live = crate::passes::generic::reachable(api);
    let tag_features = settings.tag_features;
    let mut files: Vec<FileJob<'_>> = Vec::new();
    for part in 0..TYPES_PARTS {
        let types_live = live.clone();
        files.push((
            PathBuf::from("types.rs"),
            format!("{}/types.rs", api.module),
            Box::new(move || types::emit_types(api, &types_live, tag_features, part, TYPES_PARTS)),
        ));
    }

    let tags = tags::tags(api);
    for tag in &tags {
        let ops = tag.operations.clone();
        files.push((
            PathBuf::from(format!("{}.rs", tag.module)),
            format!("{}/{}.rs", api.module, tag.module),
            Box::new(move || operations::emit_tag(api, &ops)),
        ));
    }
    if !api.webhooks.is_empty() {
        files.push((
            PathBuf::from("webhooks.rs"),
            format!("{}/webhooks.rs", api.module),
            Box::new(move || webhooks::emit_webhooks(api)),
        ));
    }
    // Round trips for `cargo xtask verify` and `conformance`, in a module no tag module takes.
    let conformance_module = settings.conformance.then(|| {
        let mut taken = crate::names::UniqueNames::default();
        for tag in &tags {
            taken.reserve(&tag.module);
        }
        taken.claim("conformance")
    });
    if let Some(module) = &conformance_module {
        let live = live.clone();
        files.push((
            PathBuf::from(format!("{module}.rs")),
            format!("{}/{module}.rs", api.module),
            Box::new(move || conformance::emit_conformance(api, &live)),
        ));
    }
    let features = if tag_features {
        tags.iter().map(|tag| tag.feature.clone()).collect()
    } else {
        Vec::new()
    };
    // The command line's subcommands, for a crate (an `include!` has no binary).
    let cli = settings.include_dir.is_none() && !api.operations.is_empty();
    if cli {
        let tags = tags::tags(api);
        files.push((
            PathBuf::from("cli.rs"),
            format!("{}/cli.rs", api.module),
            Box::new(move || cli::emit_api_cli(api, &tags, tag_features)),
        ));
    }
    files.push((
        PathBuf::from("mod.rs"),
        format!("{}/mod.rs", api.module),
        Box::new(move || module_file(api, &tags, tag_features, conformance_module.as_deref(), cli)),
    ));
    ApiFiles { files, features }
}

/// The API's `mod.rs`: its documentation, module declarations and `Client`.
fn module_file(
    api: &Api,
    tags: &[tags::Tag<'_>],
    tag_features: bool,
    conformance_module: Option<&str>,
    cli: bool,
) -> TokenStream {
    let tag_decls = tags.iter().map(|tag| {
        let module = tokens::ident(&tag.module);
        let feature = &tag.feature;
        if tag_features {
            let doc = docs::doc_attrs(Some(&format!(
                "Operations tagged `{}` (cargo feature `{feature}`).",
                tag.name
            )));
            quote! {
                #doc
                #[cfg(feature = #feature)]
                #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
                pub mod #module;
            }
        } else {
            let doc = docs::doc_attrs(Some(&format!("Operations tagged `{}`.", tag.name)));
            quote! { #doc pub mod #module; }
        }
    });
    let webhook_decl = if api.webhooks.is_empty() {
        quote! {}
    } else {
        quote! {
            /// Webhook events: decode any incoming body with [`webhooks::Event::from_slice`].
            pub mod webhooks;
        }
    };
    let conformance_decl = conformance_module.map(|module| {
        let module = tokens::ident(module);
        quote! {
            /// Round trips of bodies through the generated types (cargo feature `conformance`).
            #[cfg(feature = "conformance")]
            pub mod #module;
        }
    });
    let cli_decl = cli.then(|| {
        quote! {
            /// This API's subcommands of the crate's command line (cargo feature `cli`).
            #[cfg(feature = "cli")]
            #[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
            pub mod cli;
        }
    });
    // A webhook-only document has no operations and so no client.
    let client = if api.operations.is_empty() {
        quote! {}
    } else {
        client::emit_client(api, cli)
    };
    let api_doc = docs::inner_doc_attrs(&docs::join(&[
        Some(format!("{} (version {}).", api.title, api.version)),
        api.description.clone(),
    ]));
    let types_doc = docs::doc_attrs(Some(if tag_features {
        "Every named type of the API, each compiled when a tag feature that uses it is on."
    } else {
        "Every named type of the API."
    }));
    quote! {
        #api_doc
        #types_doc
        pub mod types;
        #webhook_decl
        #conformance_decl
        #cli_decl
        #(#tag_decls)*
        #client
    }
}
