//! Emission: IR → Rust source files of a client crate, formatted with `prettyplease`.
//!
//! Layout of a generated crate: `src/lib.rs`; per API a module `src/<api>/mod.rs` with its
//! `Client`, `types.rs` (every named type), one module per tag (behind a cargo feature) with the
//! operations, and `webhooks.rs` when the document has webhook events.

mod conformance;
mod docs;
mod format;
mod manifest;
mod operations;
mod tokens;
mod types;
mod webhooks;

use std::collections::BTreeMap;
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Result;
use crate::ir::Api;
pub use manifest::RuntimeDependency;
pub use types::is_optional;

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
    let mut files = Vec::new();
    let mut features: BTreeMap<String, ()> = BTreeMap::new();
    let mut module_decls = Vec::new();
    for api in apis {
        let module = tokens::ident(&api.module);
        let docs = docs::doc_attrs(Some(&format!(
            "{} (version {}), from `{}`.",
            api.title, api.version, api.source
        )));
        // Generated code is formatted by prettyplease; `cargo fmt` leaves it as generated so
        // that the drift check and the formatting check agree.
        module_decls.push(quote! { #docs #[rustfmt::skip] pub mod #module; });
        let api_files = emit_api(api)?;
        for (relative, tokens, what) in api_files.files {
            files.push(GeneratedFile {
                path: PathBuf::from("src").join(&api.module).join(relative),
                contents: format::file(&header, tokens, &what)?,
            });
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
    files.push(GeneratedFile {
        path: PathBuf::from("src/lib.rs"),
        contents: format::file(&header, lib, "src/lib.rs")?,
    });
    files.push(GeneratedFile {
        path: PathBuf::from("Cargo.toml"),
        contents: manifest::cargo_toml(spec, &features.into_keys().collect::<Vec<_>>()),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

struct ApiFiles {
    /// (path relative to the API's module folder, tokens, name for errors)
    files: Vec<(PathBuf, TokenStream, String)>,
    features: Vec<String>,
}

fn emit_api(api: &Api) -> Result<ApiFiles> {
    let live = crate::passes::generic::reachable(api);
    let mut files = Vec::new();
    files.push((
        PathBuf::from("types.rs"),
        types::emit_types(api, &live),
        format!("{}/types.rs", api.module),
    ));

    let tags = operations::by_tag(api);
    let mut features = Vec::new();
    let mut tag_decls = Vec::new();
    for (tag_module, feature, ops) in &tags {
        let module = tokens::ident(tag_module);
        let doc = docs::doc_attrs(Some(&format!(
            "Operations tagged `{}` (cargo feature `{feature}`).",
            ops[0].tag
        )));
        tag_decls.push(quote! { #doc #[cfg(feature = #feature)] pub mod #module; });
        features.push(feature.clone());
        files.push((
            PathBuf::from(format!("{tag_module}.rs")),
            operations::emit_tag(api, ops),
            format!("{}/{tag_module}.rs", api.module),
        ));
    }
    let webhook_decl = if api.webhooks.is_empty() {
        quote! {}
    } else {
        files.push((
            PathBuf::from("webhooks.rs"),
            webhooks::emit_webhooks(api),
            format!("{}/webhooks.rs", api.module),
        ));
        quote! {
            /// Webhook events: decode any incoming body with [`webhooks::Event::from_slice`].
            pub mod webhooks;
        }
    };
    // Round trips for `cargo xtask verify` and `conformance`, in a module no tag module takes.
    let mut taken = crate::names::UniqueNames::default();
    for (tag_module, _, _) in &tags {
        taken.reserve(tag_module);
    }
    let conformance_module = taken.claim("conformance");
    files.push((
        PathBuf::from(format!("{conformance_module}.rs")),
        conformance::emit_conformance(api, &live),
        format!("{}/{conformance_module}.rs", api.module),
    ));
    let conformance_ident = tokens::ident(&conformance_module);
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
    let module = quote! {
        #api_doc
        /// Every named type of the API; shared by all tags, so always compiled.
        pub mod types;
        #webhook_decl
        /// Round trips of bodies through the generated types (cargo feature `conformance`).
        #[cfg(feature = "conformance")]
        pub mod #conformance_ident;
        #(#tag_decls)*
        #client
    };
    files.push((
        PathBuf::from("mod.rs"),
        module,
        format!("{}/mod.rs", api.module),
    ));
    Ok(ApiFiles { files, features })
}
