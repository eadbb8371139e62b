//! zoomgen: typed async Rust clients from Zoom's and Webex's OpenAPI documents.
//!
//! The pipeline, one module per stage: [`load`] (JSON/YAML, repairs, `openapiv3`) →
//! [`ir::build`] (plain data) → [`passes`] (generic and vendor fixups) → [`emit`] (tokens,
//! `prettyplease`) → [`output`] (atomic write or drift check).
//!
//! Input never makes the generator panic: every problem is an [`Error`] naming the file and
//! JSON pointer. The lints below keep it that way.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::todo,
        clippy::unreachable,
        clippy::unimplemented
    )
)]

pub mod build_script;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod names;
pub mod output;
pub mod passes;
pub mod settings;
pub mod verify;

pub use emit::GeneratedFile;
pub use error::{Error, Result};
pub use passes::Profile;
pub use settings::{ApiInput, Package, Renames, RuntimeDependency, Settings};

/// A generated crate and what each document went through.
#[derive(Debug)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    pub apis: Vec<Prepared>,
}

/// A document after loading and the passes.
#[derive(Debug)]
pub struct Prepared {
    pub input: ApiInput,
    pub repairs: Vec<load::Repair>,
    pub api: ir::Api,
}

/// Loads, builds and runs the passes for one document.
pub fn prepare(input: &ApiInput) -> Result<Prepared> {
    prepare_document(
        input,
        load::load_with_overlays(&input.spec, &input.overlays)?,
    )
}

/// Like [`prepare`], for a document already in memory (`input.spec` names it in errors).
pub fn prepare_text(input: &ApiInput, text: &str) -> Result<Prepared> {
    prepare_document(
        input,
        load::load_str_with_overlays(&input.spec, text, &input.overlays)?,
    )
}

fn prepare_document(input: &ApiInput, doc: load::Document) -> Result<Prepared> {
    let api = ir::build::build(&doc, &input.module, input.all_components)?;
    let mut api = passes::run(api, input.profile);
    passes::settings::apply(&mut api, input).map_err(|message| Error::Settings {
        path: input.spec.clone(),
        message,
    })?;
    Ok(Prepared {
        input: input.clone(),
        repairs: doc.repairs,
        api,
    })
}

/// Generates the crate `settings` describe; nothing is written.
pub fn generate(settings: &Settings) -> Result<Generated> {
    generate_with(settings, prepare)
}

/// Like [`generate`], calling `done` after each document is read and run through the passes
/// (the formatting of the whole crate follows), for progress reports.
pub fn generate_reporting(
    settings: &Settings,
    mut done: impl FnMut(&ApiInput),
) -> Result<Generated> {
    generate_with(settings, |input| {
        let prepared = prepare(input);
        done(input);
        prepared
    })
}

/// Like [`generate`], for settings of one API whose document is `text`, already in memory.
pub fn generate_text(settings: &Settings, text: &str) -> Result<Generated> {
    if settings.apis.len() != 1 {
        return Err(Error::Config(format!(
            "generating from one document's text needs settings with one API, not {}",
            settings.apis.len()
        )));
    }
    generate_with(settings, |input| prepare_text(input, text))
}

fn generate_with(
    settings: &Settings,
    mut prepare: impl FnMut(&ApiInput) -> Result<Prepared>,
) -> Result<Generated> {
    settings.validate()?;
    let mut modules = names::UniqueNames::default();
    let mut apis = Vec::new();
    for input in settings.inputs() {
        let mut prepared = prepare(&input)?;
        let module = modules.claim(names::bare(&names::snake(&input.module)));
        if module != input.module {
            return Err(Error::Config(format!(
                "module name {:?} is not a unique Rust identifier (use {module:?})",
                input.module
            )));
        }
        prepared.api.module = module;
        apis.push(prepared);
    }
    let irs: Vec<ir::Api> = apis.iter().map(|p| p.api.clone()).collect();
    let files = emit::emit(settings, &irs)?;
    Ok(Generated { files, apis })
}
