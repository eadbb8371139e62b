//! Snapshot tests of the generator.
//!
//! * Constructs: for each document in `tests/fixtures/constructs`, the IR after the passes and
//!   the emitted code of its module are snapshotted, and the facts each fixture exists for are
//!   asserted on the IR. The same fixtures make up the committed crate `generated/fixtures`
//!   (`fixtures-client`), which the workspace compiles and lints.
//! * Drift: `cargo xtask codegen --check` finds every committed crate up to date.
//! * Normalization: each repair rule on a minimal document in `tests/fixtures/normalize`, with
//!   the repairs made and the repaired JSON.
//! * Bad input: documents that cannot be generated give an error naming the file and the JSON
//!   pointer, and leave an existing output directory untouched (library and CLI).
//!
//! The tests live in `snapshot_cases/` (one file per kind); the helpers that take snapshots
//! stay here, so the snapshot files keep their names.
//!
//! Accept new or changed snapshots with `INSTA_UPDATE=always cargo test -p zoomgen-tests
//! --test snapshots`, then read each one.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde::Serialize;
use serde_json::{Value, json};
use zoomgen::ir::{
    Api, BodyKind, EnumDef, EnumRepr, Field, Operation, Pagination, ParamLocation, Parameter,
    PathEncoding, Scalar, StructDef, TypeDef, TypeKind, TypeRef,
};
use zoomgen::{ApiInput, Error, Package, Prepared, Profile, RuntimeDependency, Settings};
use zoomgen_tests::root;

#[path = "snapshot_cases/bad_input.rs"]
mod bad_input;
#[path = "snapshot_cases/constructs.rs"]
mod constructs;
#[path = "snapshot_cases/drift.rs"]
mod drift;
#[path = "snapshot_cases/normalize.rs"]
mod normalize;
#[path = "snapshot_cases/operations.rs"]
mod operations;

/// The settings of `generated/fixtures`, which list every construct fixture and its profile
/// once for `cargo xtask codegen` and these tests.
fn fixture_settings() -> Settings {
    Settings::from_file(&constructs_dir().join("fixtures-client.zoomgen.toml"))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn constructs_dir() -> PathBuf {
    root().join("tests/fixtures/constructs")
}

fn construct_input(stem: &str) -> ApiInput {
    fixture_settings()
        .apis
        .into_iter()
        .find(|api| api.module == stem)
        .unwrap_or_else(|| panic!("{stem} is not in fixtures-client.zoomgen.toml"))
}

/// The crate spec of `generated/fixtures`, for one fixture's API.
/// The fixtures crate's settings with only the document `stem`, as `cargo xtask codegen` reads them.
fn fixture_with(stem: &str) -> Settings {
    let mut settings = fixture_settings();
    settings.apis = vec![construct_input(stem)];
    settings.regenerate_command = "cargo xtask codegen".to_owned();
    settings.standalone = false;
    settings
}

/// The files of the fixture's module (`src/<stem>/…`), each preceded by its path.
fn module_code(stem: &str) -> String {
    let generated = zoomgen::generate(&fixture_with(stem))
        .unwrap_or_else(|e| panic!("generating {stem}.yaml failed: {e}"));
    let module_dir = Path::new("src").join(stem);
    let mut out = String::new();
    for file in generated
        .files
        .iter()
        .filter(|f| f.path.starts_with(&module_dir))
    {
        out.push_str(&format!("// ===== {} =====\n", file.path.display()));
        out.push_str(&file.contents);
        out.push('\n');
    }
    assert!(
        !out.is_empty(),
        "{stem}.yaml generated no file under {}",
        module_dir.display()
    );
    out
}

/// Prepares the fixture, snapshots its IR (`ir_<stem>`) and its module's code (`code_<stem>`),
/// and returns both for the fixture's own assertions.
fn snapshot_construct(stem: &str) -> (Api, String) {
    let prepared: Prepared = zoomgen::prepare(&construct_input(stem))
        .unwrap_or_else(|e| panic!("preparing {stem}.yaml failed: {e}"));
    assert!(
        prepared.repairs.is_empty(),
        "{stem}.yaml is meant to be valid OpenAPI, but the loader repaired it: {:#?}",
        prepared.repairs
    );
    insta::assert_yaml_snapshot!(format!("ir_{stem}"), prepared.api);
    let code = module_code(stem);
    insta::assert_snapshot!(format!("code_{stem}"), code);
    (prepared.api, code)
}

fn operation<'a>(api: &'a Api, operation_id: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|op| op.operation_id == operation_id)
        .unwrap_or_else(|| panic!("no operation {operation_id:?}"))
}

fn param<'a>(op: &'a Operation, name: &str) -> &'a Parameter {
    op.params
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{} has no parameter {name:?}", op.operation_id))
}

/// The emitted type behind a reference (following dedupe merges).
fn named<'a>(api: &'a Api, ty: &TypeRef) -> &'a TypeDef {
    match ty {
        TypeRef::Named(id) => api.type_def(*id),
        other => panic!("expected a named type, found {other:?}"),
    }
}

fn struct_def(def: &TypeDef) -> &StructDef {
    match &def.kind {
        TypeKind::Struct(s) => s,
        other => panic!("{} is not a struct: {other:?}", def.name),
    }
}

fn enum_def(def: &TypeDef) -> &EnumDef {
    match &def.kind {
        TypeKind::Enum(e) => e,
        other => panic!("{} is not an enum: {other:?}", def.name),
    }
}

fn field<'a>(def: &'a TypeDef, name: &str) -> &'a Field {
    struct_def(def)
        .fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("{} has no field {name:?}", def.name))
}

/// The struct a field refers to, directly or as the items of an array.
fn field_struct<'a>(api: &'a Api, def: &TypeDef, name: &str) -> &'a TypeDef {
    match &field(def, name).ty {
        TypeRef::Array(item) => named(api, item),
        ty => named(api, ty),
    }
}

/// The type of the body of the response with `status`.
/// The named type of the 200 response of `operation_id`.
fn ok_response<'a>(api: &'a Api, operation_id: &str) -> &'a TypeDef {
    named(api, response_type(operation(api, operation_id), "200"))
}

fn response_type<'a>(op: &'a Operation, status: &str) -> &'a TypeRef {
    let response = op
        .responses
        .iter()
        .find(|r| r.status == status)
        .unwrap_or_else(|| panic!("{} has no response {status}", op.operation_id));
    &response
        .body
        .as_ref()
        .unwrap_or_else(|| panic!("{} response {status} has no body", op.operation_id))
        .ty
}

fn field_names(def: &TypeDef) -> Vec<&str> {
    struct_def(def)
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect()
}

fn variants(def: &TypeDef) -> Vec<(&Value, &str)> {
    enum_def(def)
        .values
        .iter()
        .map(|v| (&v.wire, v.variant.as_str()))
        .collect()
}

#[track_caller]
fn assert_code_contains(code: &str, needle: &str, why: &str) {
    assert!(
        code.contains(needle),
        "{why}: the emitted code does not contain {needle:?}"
    );
}

fn cargo() -> Command {
    let mut command = Command::new(env!("CARGO"));
    command.current_dir(root());
    command
}

fn describe(output: &Output) -> String {
    format!(
        "exit status {}\n--- stdout\n{}--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[derive(Serialize)]
struct NormalizeSnapshot<'a> {
    repairs: &'a [zoomgen::load::Repair],
    /// The JSON at each repaired pointer, after the repairs.
    repaired: Vec<Fragment<'a>>,
}

#[derive(Serialize)]
struct Fragment<'a> {
    pointer: &'a str,
    json: &'a Value,
}

/// Loads `tests/fixtures/normalize/<stem>.yaml`, asserts that only `rule` repaired it, and
/// snapshots the repairs and the repaired fragments as `normalize_<stem>`.
fn snapshot_normalization(stem: &str, rule: &str) -> zoomgen::load::Document {
    let path = root().join(format!("tests/fixtures/normalize/{stem}.yaml"));
    let doc =
        zoomgen::load::load(&path).unwrap_or_else(|e| panic!("loading {stem}.yaml failed: {e}"));
    assert!(!doc.repairs.is_empty(), "{stem}.yaml needed no repair");
    let others: Vec<_> = doc.repairs.iter().filter(|r| r.rule != rule).collect();
    assert!(
        others.is_empty(),
        "{stem}.yaml is meant to trigger only `{rule}`, but other rules fired: {others:#?}"
    );
    let mut pointers: Vec<&str> = doc.repairs.iter().map(|r| r.pointer.as_str()).collect();
    pointers.dedup();
    let repaired = pointers
        .into_iter()
        .map(|pointer| Fragment {
            pointer,
            json: doc.raw.pointer(pointer).unwrap_or_else(|| {
                panic!("{stem}.yaml: nothing at the repaired pointer {pointer:?}")
            }),
        })
        .collect();
    insta::assert_yaml_snapshot!(
        format!("normalize_{stem}"),
        NormalizeSnapshot {
            repairs: &doc.repairs,
            repaired,
        }
    );
    // The repaired document goes through the rest of the pipeline.
    zoomgen::prepare(&ApiInput::new(path, stem.to_owned(), Profile::Zoom))
        .unwrap_or_else(|e| panic!("{stem}.yaml does not prepare after its repairs: {e}"));
    doc
}
