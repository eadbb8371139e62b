//! Settings: what a user chooses about a generated crate. One type, three front ends: built in
//! code by library users and build scripts, read from a `zoomgen.toml` file (the CLI and
//! `cargo xtask codegen`), and the CLI's flags on top of either.
//!
//! The file's keys are the fields below in kebab case; README.md ("Settings") documents each.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

mod runtime;

pub use runtime::RuntimeDependency;

/// The file name the CLI looks for next to a document.
pub const FILE_NAME: &str = "zoomgen.toml";

/// Everything about one generated crate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct Settings {
    /// Where the crate is written (relative to the settings file); the CLI's `--out` wins.
    #[serde(default)]
    pub out: Option<PathBuf>,
    pub package: Package,
    #[serde(default)]
    pub runtime: RuntimeDependency,
    /// Whether each API tag becomes a cargo feature, so a crate can compile only the tags it
    /// uses (default). Off: every operation is always compiled.
    #[serde(default = "yes")]
    pub tag_features: bool,
    /// Derives added to every generated type of every API (`PartialOrd`, `Eq`, a path).
    #[serde(default)]
    pub derives: Vec<String>,
    /// The documents, one API module each (`[[api]]` in the file).
    #[serde(rename = "api", default)]
    pub apis: Vec<ApiInput>,
    /// Each API's `conformance` module (round trips, behind the cargo feature
    /// `conformance`); default on.
    #[serde(default = "yes")]
    pub conformance: bool,
    /// An empty `[workspace]` table in the manifest, so the crate builds on its own wherever
    /// it is put; default on (off for a member of the workspace it sits in).
    #[serde(default = "yes")]
    pub standalone: bool,
    /// The command that regenerates the crate, written into every file's header. Set by the
    /// front end (the CLI, `cargo xtask codegen`, a build script), never by the file.
    #[serde(skip, default = "default_regenerate_command")]
    pub regenerate_command: String,
    /// Modules for `include!` from a build script instead of a crate: the files are written
    /// under this folder (absolute), `lib.rs` declares the API modules with `#[path]` into
    /// it, and there is no `Cargo.toml`, README or license. Set by build scripts only.
    #[serde(skip)]
    pub include_dir: Option<PathBuf>,
}

/// The generated crate's `[package]` metadata.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct Package {
    pub name: String,
    #[serde(default = "default_version")]
    pub version: String,
    /// One line; the default names the documents.
    #[serde(default)]
    pub description: Option<String>,
    /// An SPDX expression. `LICENSE-MIT` and `LICENSE-APACHE` are written when it names them.
    #[serde(default = "default_license")]
    pub license: String,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub repository: Option<String>,
    #[serde(default)]
    pub homepage: Option<String>,
    #[serde(default)]
    pub documentation: Option<String>,
    /// crates.io search words; default `["api", "client", "openapi"]`.
    #[serde(default = "default_keywords")]
    pub keywords: Vec<String>,
    /// crates.io categories; default `["api-bindings"]`.
    #[serde(default = "default_categories")]
    pub categories: Vec<String>,
    /// Write a `README.md` (the API, its document, the tag features, an example); default on.
    #[serde(default = "yes")]
    pub readme: bool,
    /// Whether `cargo publish` may publish the crate; default on.
    #[serde(default = "yes")]
    pub publish: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct ApiInput {
    pub spec: PathBuf,
    /// The Rust module of the API in the crate.
    pub module: String,
    #[serde(default)]
    pub profile: Profile,
    /// OpenAPI Overlay 1.0 documents applied, in order, before anything else reads the
    /// document.
    #[serde(default)]
    pub overlays: Vec<PathBuf>,
    /// Derives added to the named types (by their generated name); `"*"` is every type.
    #[serde(default)]
    pub derives: BTreeMap<String, Vec<String>>,
    /// Schemas (by generated type name, or JSON pointer such as
    /// `#/components/schemas/Meeting`) replaced by an existing Rust type path, which must
    /// implement what the generated types derive (`Debug`, `Clone`, `PartialEq`, serde).
    #[serde(default)]
    pub replace: BTreeMap<String, String>,
    #[serde(default)]
    pub rename: Renames,
    /// Every schema under `#/components/schemas` becomes a type, whether or not an operation
    /// or webhook uses it.
    #[serde(default)]
    pub all_components: bool,
}

/// New names, by what the generator would call them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Renames {
    /// Generated type name → new name.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// operationId (as the document writes it) or generated method name → new method name.
    #[serde(default)]
    pub operations: BTreeMap<String, String>,
    /// `Type.field` (wire or generated field name) → new field name; the wire name stays.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}

fn default_version() -> String {
    "0.1.0".to_owned()
}

fn default_keywords() -> Vec<String> {
    ["api", "client", "openapi"].map(String::from).to_vec()
}

fn default_categories() -> Vec<String> {
    vec!["api-bindings".to_owned()]
}

fn default_regenerate_command() -> String {
    "zoomgen".to_owned()
}

fn default_license() -> String {
    "MIT OR Apache-2.0".to_owned()
}

impl Package {
    /// A package called `name` with the defaults of the file format.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            version: default_version(),
            description: None,
            license: default_license(),
            authors: Vec::new(),
            repository: None,
            homepage: None,
            documentation: None,
            keywords: default_keywords(),
            categories: default_categories(),
            readme: true,
            publish: true,
        }
    }
}

impl Package {
    /// Checks the name as cargo and crates.io do: ASCII letters, digits, `-` and `_`, a letter
    /// first, at most 64 characters. The name becomes a folder (a build script writes into
    /// `OUT_DIR/<name>`), so a `/` or `..` must never get that far.
    pub fn validate_name(&self) -> Result<()> {
        let name = &self.name;
        let problem = if name.is_empty() {
            Some("it is empty")
        } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            Some("it must start with an ASCII letter")
        } else if let Some(c) = name
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return Err(Error::Config(format!(
                "invalid package name {name:?}: {c:?} is not allowed (ASCII letters, digits, \
                 `-` and `_` only)"
            )));
        } else if name.len() > 64 {
            Some("it is longer than 64 characters")
        } else {
            None
        };
        match problem {
            Some(problem) => Err(Error::Config(format!(
                "invalid package name {name:?}: {problem}"
            ))),
            None => Ok(()),
        }
    }

    /// The package with `description` as its one-line description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

impl ApiInput {
    /// The document `spec`, emitted as module `module`, with no changes.
    pub fn new(spec: impl Into<PathBuf>, module: impl Into<String>, profile: Profile) -> Self {
        Self {
            spec: spec.into(),
            module: module.into(),
            profile,
            overlays: Vec::new(),
            derives: BTreeMap::new(),
            replace: BTreeMap::new(),
            rename: Renames::default(),
            all_components: false,
        }
    }
}

impl Settings {
    /// Settings for the crate `package` with every default and no APIs yet.
    pub fn new(package: Package) -> Self {
        Self {
            out: None,
            package,
            runtime: RuntimeDependency::default(),
            tag_features: true,
            derives: Vec::new(),
            apis: Vec::new(),
            conformance: true,
            standalone: true,
            regenerate_command: default_regenerate_command(),
            include_dir: None,
        }
    }

    /// The settings with `api` added.
    pub fn with_api(mut self, api: ApiInput) -> Self {
        self.apis.push(api);
        self
    }

    /// Reads a settings file; relative `out`, `spec` and `overlays` paths are taken from the
    /// file's folder.
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_toml(path, &text)
    }

    /// Parses settings text; `path` names it in errors and anchors relative paths.
    pub fn from_toml(path: &Path, text: &str) -> Result<Self> {
        let mut settings: Settings = toml::from_str(text).map_err(|e| Error::Settings {
            path: path.to_owned(),
            message: e.to_string().trim_end().to_owned(),
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        settings.out = settings.out.map(|out| base.join(out));
        for api in &mut settings.apis {
            api.spec = base.join(&api.spec);
            for overlay in &mut api.overlays {
                *overlay = base.join(&*overlay);
            }
        }
        settings.validate().map_err(|e| Error::Settings {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        Ok(settings)
    }

    /// Checks what the types cannot say: a valid package name, a runtime source, at least one
    /// API.
    pub fn validate(&self) -> Result<()> {
        self.package.validate_name()?;
        self.runtime.validate()?;
        if self.apis.is_empty() {
            return Err(Error::Config(
                "no API: add an `[[api]]` table with `spec` and `module`".into(),
            ));
        }
        Ok(())
    }

    /// The APIs, with the crate-wide derives added to each as `"*"`.
    pub fn inputs(&self) -> Vec<ApiInput> {
        self.apis
            .iter()
            .map(|api| {
                let mut api = api.clone();
                if !self.derives.is_empty() {
                    api.derives
                        .entry("*".to_owned())
                        .or_default()
                        .extend(self.derives.iter().cloned());
                }
                api
            })
            .collect()
    }

    /// The package's one-line description: its own, else one naming the documents.
    pub fn description(&self) -> String {
        if let Some(description) = &self.package.description {
            return description.clone();
        }
        let documents: Vec<String> = self
            .apis
            .iter()
            .map(|api| {
                api.spec.file_name().map_or_else(
                    || api.spec.display().to_string(),
                    |name| name.to_string_lossy().into_owned(),
                )
            })
            .collect();
        format!(
            "Typed async client generated by zoomgen from {}.",
            documents.join(", ")
        )
    }

    /// Where the crate's documentation is: its own link, else docs.rs for a published crate
    /// (where crates.io links it).
    pub fn documentation(&self) -> Option<String> {
        let package = &self.package;
        match &package.documentation {
            Some(link) => Some(link.clone()),
            None => package
                .publish
                .then(|| format!("https://docs.rs/{}", package.name)),
        }
    }
}

/// Which vendor's quirks to absorb.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// The default: zoomgen is made for Zoom's documents first.
    #[default]
    Zoom,
    Webex,
    None,
}

impl std::str::FromStr for Profile {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "zoom" => Ok(Profile::Zoom),
            "webex" => Ok(Profile::Webex),
            "none" => Ok(Profile::None),
            other => Err(format!(
                "unknown profile {other:?}; expected zoom, webex or none"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settings_file_reads_every_section_and_anchors_paths_at_its_folder() {
        let text = r##"
            out = "../generated/phone"
            tag-features = false
            derives = ["Eq"]
            conformance = false

            [package]
            name = "zoom-phone"
            keywords = ["zoom"]

            [runtime]
            version = "0.1"
            path = "../../runtime"

            [[api]]
            spec = "zoom-phone.json"
            module = "phone"
            overlays = ["fix.yaml"]

            [api.rename.operations]
            Getfaxchargesusagereport = "fax_charges"

            [api.replace]
            "#/components/schemas/Meeting" = "my_crate::Meeting"
        "##;
        let settings = Settings::from_toml(Path::new("cfg/zoomgen.toml"), text).unwrap();
        assert_eq!(settings.out, Some(PathBuf::from("cfg/../generated/phone")));
        assert!(!settings.tag_features);
        assert!(!settings.conformance && settings.standalone);
        assert_eq!(settings.regenerate_command, "zoomgen");
        assert_eq!(settings.apis[0].spec, PathBuf::from("cfg/zoom-phone.json"));
        assert_eq!(settings.apis[0].overlays, [PathBuf::from("cfg/fix.yaml")]);
        assert_eq!(settings.apis[0].profile, Profile::Zoom);
        assert_eq!(
            settings.apis[0].rename.operations["Getfaxchargesusagereport"],
            "fax_charges"
        );
        assert_eq!(settings.inputs()[0].derives["*"], ["Eq"]);
        assert_eq!(
            settings.runtime.entries(),
            [("version", "0.1"), ("path", "../../runtime")]
        );
    }

    #[test]
    fn a_misspelt_key_is_an_error_naming_the_file_and_the_key() {
        let text = "[package]\nname = \"x\"\nlicence = \"MIT\"\n";
        let err = Settings::from_toml(Path::new("zoomgen.toml"), text)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("zoomgen.toml: "), "{err}");
        assert!(err.contains("licence"), "{err}");
        assert!(err.contains("line 3"), "{err}");
    }

    #[test]
    fn package_names_are_checked_as_cargo_checks_them() {
        for name in ["zoom-client", "z_2"] {
            assert!(Package::new(name).validate_name().is_ok(), "{name}");
        }
        for (name, expected) in [
            ("", "empty"),
            ("x y", "' ' is not allowed"),
            ("../escape", "start with an ASCII letter"),
            ("/abs", "start with an ASCII letter"),
            ("a/../../b", "'/' is not allowed"),
            ("1st", "start with an ASCII letter"),
            (&"a".repeat(65), "longer than 64"),
        ] {
            let error = Package::new(name).validate_name().unwrap_err().to_string();
            assert!(error.contains(expected), "{name}: {error}");
        }
        let file = "[package]\nname = \"x y\"\n[[api]]\nspec = \"a.json\"\nmodule = \"a\"\n";
        let error = Settings::from_toml(Path::new("z.toml"), file)
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("z.toml: invalid package name"), "{error}");
    }

    #[test]
    fn a_runtime_needs_one_source_and_git_excludes_path() {
        let base = "[package]\nname = \"x\"\n[[api]]\nspec = \"a.json\"\nmodule = \"a\"\n";
        for (runtime, expected) in [
            ("[runtime]\n", "needs one of"),
            (
                "[runtime]\ngit = \"g\"\npath = \"p\"\n",
                "exclude each other",
            ),
            ("[runtime]\nversion = \"1\"\ntag = \"t\"\n", "need `git`"),
        ] {
            let err = Settings::from_toml(Path::new("z.toml"), &format!("{base}{runtime}"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{runtime}: {err}");
        }
    }
}
