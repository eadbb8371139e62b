//! Emission: IR → Rust source files of a client crate, formatted with `prettyplease`.
//!
//! Layout of a generated crate: `src/lib.rs`; per API a module `src/<api>/mod.rs` with its
//! `Client`, `types.rs` (every named type), one module per tag (behind a cargo feature) with the
//! operations, and `webhooks.rs` when the document has webhook events.

mod conformance;
mod docs;
mod features;
mod format;
mod manifest;
mod operations;
mod tables;
mod tags;
mod tokens;
mod types;
mod webhooks;

use std::collections::BTreeMap;
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::{Error, Result};
use crate::ir::Api;
pub use manifest::RuntimeDependency;

/// What to generate: a crate holding one module per API.
#[derive(Debug, Clone)]
pub struct CrateSpec {
    /// The package name (`zoom-client`).
    pub name: String,
    pub description: String,
    pub runtime: RuntimeDependency,
    /// Add an empty `[workspace]` table so the crate builds on its own wherever it is put.
    pub standalone: bool,
    /// The command that regenerates the crate, written into every file's header.
    pub regenerate_command: String,
}

/// One generated file, relative to the crate root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: PathBuf,
    pub contents: String,
}

/// Emits the crate for `apis` (already through the passes).
pub fn emit(spec: &CrateSpec, apis: &[Api]) -> Result<Vec<GeneratedFile>> {
    let header = format::header(&spec.regenerate_command);
    let mut jobs: Vec<FileJob<'_>> = Vec::new();
    let mut features: BTreeMap<String, ()> = BTreeMap::new();
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
        let module = tokens::ident(&api.module);
        let docs = docs::doc_attrs(Some(&format!(
            "{} (version {}), from `{}`.",
            api.title, api.version, api.source
        )));
        // Generated code is formatted by prettyplease; `cargo fmt` leaves it as generated so
        // that the drift check and the formatting check agree.
        module_decls.push(quote! { #docs #[rustfmt::skip] pub mod #module; });
        let api_files = emit_api(api);
        for (relative, what, make) in api_files.files {
            jobs.push((
                PathBuf::from("src").join(&api.module).join(relative),
                what,
                make,
            ));
        }
        for feature in api_files.features {
            features.insert(feature, ());
        }
    }
    let crate_doc = docs::inner_doc_attrs(&spec.description);
    let lib = quote! {
        #crate_doc
        // Vendor descriptions are Markdown with HTML and bare URLs written for a web page, and
        // operations take as many required arguments as the API demands; a tag may share its
        // API's name (`meetings::meetings`).
        #![allow(
            rustdoc::bare_urls,
            rustdoc::broken_intra_doc_links,
            rustdoc::invalid_html_tags,
            rustdoc::invalid_rust_codeblocks,
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            clippy::too_many_arguments,
            clippy::large_enum_variant,
            clippy::empty_docs,
            clippy::module_inception
        )]
        pub use zoomgen_runtime as runtime;
        pub use zoomgen_runtime::{ApiError, Credentials, Error};
        #(#module_decls)*
    };
    let mut files = format_in_parallel(&header, jobs)?;
    files.push(GeneratedFile {
        path: PathBuf::from("src/lib.rs"),
        contents: format!("{header}{}", format::file(|| lib, "src/lib.rs")?),
    });
    files.push(GeneratedFile {
        path: PathBuf::from("Cargo.toml"),
        contents: manifest::cargo_toml(
            spec,
            &features.into_keys().collect::<Vec<_>>(),
            apis.iter().any(|api| !api.webhooks.is_empty()),
        ),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
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

fn emit_api(api: &Api) -> ApiFiles<'_> {
    let live = crate::passes::generic::reachable(api);
    let mut files: Vec<FileJob<'_>> = Vec::new();
    for part in 0..TYPES_PARTS {
        let types_live = live.clone();
        files.push((
            PathBuf::from("types.rs"),
            format!("{}/types.rs", api.module),
            Box::new(move || types::emit_types(api, &types_live, part, TYPES_PARTS)),
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
    let mut taken = crate::names::UniqueNames::default();
    for tag in &tags {
        taken.reserve(&tag.module);
    }
    let conformance_module = taken.claim("conformance");
    files.push((
        PathBuf::from(format!("{conformance_module}.rs")),
        format!("{}/{conformance_module}.rs", api.module),
        Box::new(move || conformance::emit_conformance(api, &live)),
    ));
    let features = tags.iter().map(|tag| tag.feature.clone()).collect();
    files.push((
        PathBuf::from("mod.rs"),
        format!("{}/mod.rs", api.module),
        Box::new(move || module_file(api, &tags, &conformance_module)),
    ));
    ApiFiles { files, features }
}

/// The API's `mod.rs`: its documentation, module declarations and `Client`.
fn module_file(api: &Api, tags: &[tags::Tag<'_>], conformance_module: &str) -> TokenStream {
    let tag_decls = tags.iter().map(|tag| {
        let module = tokens::ident(&tag.module);
        let feature = &tag.feature;
        let doc = docs::doc_attrs(Some(&format!(
            "Operations tagged `{}` (cargo feature `{feature}`).",
            tag.name
        )));
        quote! { #doc #[cfg(feature = #feature)] pub mod #module; }
    });
    let webhook_decl = if api.webhooks.is_empty() {
        quote! {}
    } else {
        quote! {
            /// Webhook events: decode any incoming body with [`webhooks::Event::from_slice`].
            pub mod webhooks;
        }
    };
    let conformance_ident = tokens::ident(conformance_module);
    // A webhook-only document has no operations and so no client.
    let client = if api.operations.is_empty() {
        quote! {}
    } else {
        operations::emit_client(api)
    };
    let api_doc = docs::inner_doc_attrs(&docs::join(&[
        Some(format!("{} (version {}).", api.title, api.version)),
        api.description.clone(),
    ]));
    quote! {
        #api_doc
        /// Every named type of the API, each compiled when a tag feature that uses it is on.
        pub mod types;
        #webhook_decl
        /// Round trips of bodies through the generated types (cargo feature `conformance`).
        #[cfg(feature = "conformance")]
        pub mod #conformance_ident;
        #(#tag_decls)*
        #client
    }
}
