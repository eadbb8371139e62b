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
use zoomgen::{
    ApiInput, CrateSpec, Error, Package, Prepared, Profile, RuntimeDependency, Settings,
};
use zoomgen_tests::root;

// ---------------------------------------------------------------------------------------------
// Constructs
// ---------------------------------------------------------------------------------------------

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
fn fixture_crate_spec() -> CrateSpec {
    let mut spec = fixture_settings().crate_spec("cargo xtask codegen");
    spec.standalone = false;
    spec
}

/// The files of the fixture's module (`src/<stem>/…`), each preceded by its path.
fn module_code(stem: &str) -> String {
    let generated = zoomgen::generate(&fixture_crate_spec(), &[construct_input(stem)])
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

// IR look-ups that panic naming what is missing.

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
        TypeRef::Named(id) => api.type_def(api.resolve(*id)),
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

#[test]
fn every_construct_fixture_is_snapshotted_and_compiled() {
    let mut on_disk: Vec<String> = fs::read_dir(constructs_dir())
        .expect("read tests/fixtures/constructs")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = fixture_settings()
        .apis
        .iter()
        .map(|api| api.spec.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "the fixtures in tests/fixtures/constructs and the `[[api]]` list of its \
         fixtures-client.zoomgen.toml differ"
    );
    let compiled = root().join("generated/fixtures/src");
    let missing: Vec<&String> = listed
        .iter()
        .filter(|stem| !compiled.join(stem).join("mod.rs").is_file())
        .collect();
    assert!(
        missing.is_empty(),
        "fixtures without a module in the compiled crate generated/fixtures (run `cargo xtask \
         codegen`): {missing:?}"
    );
}

#[test]
fn plain_object() {
    let (api, code) = snapshot_construct("plain_object");
    let user = named(&api, response_type(operation(&api, "user"), "200"));
    assert_eq!(
        field_names(user),
        [
            "id",
            "email",
            "first_name",
            "last_name",
            "pmi",
            "type",
            "verified",
            "use_pmi",
            "created_at"
        ]
    );
    assert!(field(user, "id").required && field(user, "email").required);
    assert!(!field(user, "first_name").required);
    assert_eq!(field(user, "first_name").limits.max_length, Some(64));
    // The generic profile keeps the document's integer widths and adds no leniency.
    assert_eq!(
        field(user, "type").ty,
        TypeRef::Scalar(Scalar::Integer { bits: 32 })
    );
    assert_eq!(
        field(user, "pmi").ty,
        TypeRef::Scalar(Scalar::Integer { bits: 64 })
    );
    let fields = &struct_def(user).fields;
    assert!(
        fields.iter().all(|f| !f.lenient_number && !f.empty_as_none),
        "Zoom leniency applied under Profile::None: {fields:#?}"
    );
    assert_code_contains(
        &code,
        "pub r#type: Option<i32>",
        "an int32 stays i32 without the Zoom profile",
    );
}

#[test]
fn nested_object() {
    let (api, _) = snapshot_construct("nested_object");
    let meeting = named(&api, response_type(operation(&api, "meeting"), "200"));
    let settings = field_struct(&api, meeting, "settings");
    assert_eq!(
        field_names(settings),
        [
            "host_video",
            "waiting_room",
            "approved_or_denied_countries_or_regions"
        ]
    );
    let regions = field_struct(&api, settings, "approved_or_denied_countries_or_regions");
    assert_eq!(
        field(regions, "approved_list").ty,
        TypeRef::Array(Box::new(TypeRef::Scalar(Scalar::String)))
    );
    let method = named(&api, &field(regions, "method").ty);
    assert_eq!(enum_def(method).repr, EnumRepr::String);
    let names: Vec<&str> = [meeting, settings, regions, method]
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4, "type names are not distinct: {names:?}");
}

#[test]
fn array() {
    let (api, _) = snapshot_construct("array");
    let list = named(&api, response_type(operation(&api, "meetingPolls"), "200"));
    assert_eq!(field(list, "polls").limits.max_items, Some(50));
    let poll = field_struct(&api, list, "polls");
    let question = field_struct(&api, poll, "questions");
    assert_eq!(
        field(question, "answers").ty,
        TypeRef::Array(Box::new(TypeRef::Scalar(Scalar::String)))
    );
    assert_eq!(
        field(question, "right_answers").ty,
        TypeRef::Array(Box::new(TypeRef::Scalar(Scalar::Integer { bits: 64 })))
    );
    assert_eq!(
        response_type(operation(&api, "meetingPollTags"), "200"),
        &TypeRef::Array(Box::new(TypeRef::Scalar(Scalar::String))),
        "a bare array response is a Vec, not a named type"
    );
}

#[test]
fn string_enum() {
    let (api, _) = snapshot_construct("string_enum");
    let op = operation(&api, "recordingGet");
    let include = named(&api, &param(op, "include_fields").ty);
    assert_eq!(
        variants(include),
        [(&json!("download_access_token"), "DownloadAccessToken")]
    );
    let file = field_struct(
        &api,
        named(&api, response_type(op, "200")),
        "recording_files",
    );
    let recording_type = named(&api, &field(file, "recording_type").ty);
    assert_eq!(enum_def(recording_type).repr, EnumRepr::String);
    let names: Vec<&str> = variants(recording_type).iter().map(|(_, n)| *n).collect();
    assert_eq!(
        names[..2],
        [
            "SharedScreenWithSpeakerViewCc",
            "SharedScreenWithSpeakerView"
        ],
        "`(CC)` must keep the two values apart"
    );
    let file_type = named(&api, &field(file, "file_type").ty);
    assert_eq!(variants(file_type)[0], (&json!("MP4"), "Mp4"));
}

#[test]
fn integer_enum() {
    let (api, _) = snapshot_construct("integer_enum");
    let meeting = named(&api, response_type(operation(&api, "meeting"), "200"));
    let meeting_type = named(&api, &field(meeting, "type").ty);
    assert_eq!(enum_def(meeting_type).repr, EnumRepr::Integer);
    assert_eq!(
        variants(meeting_type),
        [
            (&json!(1), "InstantMeeting"),
            (&json!(2), "ScheduledMeeting"),
            (&json!(3), "RecurringMeetingWithNoFixedTime"),
            (&json!(8), "RecurringMeetingWithFixedTime"),
        ],
        "names come from the description's \"`1` - An instant meeting\" list"
    );
    let approval = named(&api, &field(meeting, "approval_type").ty);
    assert_eq!(
        variants(approval),
        [
            (&json!(0), "AutomaticallyApproveRegistration"),
            (&json!(1), "ManuallyApproveRegistration"),
            (&json!(2), "NoRegistrationRequired"),
        ],
        "names come from x-enum-descriptions"
    );
    let status = named(&api, &field(meeting, "status").ty);
    assert!(
        variants(status)
            .iter()
            .all(|(_, name)| name.starts_with("Status")),
        "values without names are prefixed with the type's word, never `V0`: {:?}",
        variants(status)
    );
}

#[test]
fn digit_string_enum() {
    let (api, code) = snapshot_construct("digit_string_enum");
    let meeting = named(&api, response_type(operation(&api, "meeting"), "200"));
    let recurrence = field_struct(&api, meeting, "recurrence");
    let recurrence_type = named(&api, &field(recurrence, "type").ty);
    assert_eq!(enum_def(recurrence_type).repr, EnumRepr::DigitString);
    assert_eq!(
        variants(recurrence_type),
        [
            (&json!("1"), "Daily"),
            (&json!("2"), "Weekly"),
            (&json!("3"), "Monthly"),
        ],
        "digit strings keep their string form and take names from x-enum-descriptions"
    );
    assert_code_contains(
        &code,
        ": Digits {",
        "a digit-string enum decodes from a string or an integer",
    );
}

#[test]
fn all_of() {
    let (api, _) = snapshot_construct("all_of");
    let recording = named(&api, response_type(operation(&api, "recordingGet"), "200"));
    let mut names = field_names(recording);
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "download_access_token",
            "id",
            "password",
            "recording_count",
            "start_time",
            "topic",
            "total_size",
            "uuid"
        ],
        "allOf merges the properties of every member, nested allOf and $ref included"
    );
    for required in ["uuid", "id", "download_access_token"] {
        assert!(
            field(recording, required).required,
            "{required} is required by its allOf member"
        );
    }
    assert!(!field(recording, "topic").required);
    let past = named(
        &api,
        response_type(operation(&api, "pastMeetingDetails"), "200"),
    );
    assert_eq!(
        past.name, "MeetingBase",
        "an allOf of a single $ref is the component"
    );
}

#[test]
fn one_of() {
    let (api, _) = snapshot_construct("one_of");
    let settings = named(&api, response_type(operation(&api, "userSettings"), "200"));
    let TypeKind::Union(shapes) = &settings.kind else {
        panic!("the oneOf response is not a union: {settings:#?}");
    };
    assert_eq!(shapes.len(), 3);
    assert_eq!(
        shapes[0].name, "UserSettings",
        "a titled alternative is named by its title"
    );
    let security = named(&api, &shapes[2].ty);
    let inner = field_struct(&api, security, "meeting_security");
    let password = named(&api, &field(inner, "pmi_password").ty);
    let TypeKind::Union(scalars) = &password.kind else {
        panic!("pmi_password is not a union: {password:#?}");
    };
    let types: Vec<&TypeRef> = scalars.iter().map(|v| &v.ty).collect();
    assert_eq!(
        types,
        [
            &TypeRef::Scalar(Scalar::Integer { bits: 64 }),
            &TypeRef::Scalar(Scalar::String)
        ]
    );
}

#[test]
fn nullable() {
    let (api, code) = snapshot_construct("nullable");
    let details = named(
        &api,
        response_type(operation(&api, "getMeetingLiveStreamDetails"), "200"),
    );
    let stream_url = field(details, "stream_url");
    assert!(stream_url.required && stream_url.nullable);
    let stream_key = field(details, "stream_key");
    assert!(stream_key.required && !stream_key.nullable);
    for name in [
        "page_url",
        "resolution",
        "paused_at",
        "viewer_count",
        "custom_service",
    ] {
        let f = field(details, name);
        assert!(f.nullable && !f.required, "{name}: {f:#?}");
    }
    assert_code_contains(
        &code,
        "pub stream_url: Option<String>",
        "a required but nullable field is an Option",
    );
    assert_code_contains(
        &code,
        "pub stream_key: Option<String>",
        "a required field of a response is an Option, so a body without it decodes",
    );
    assert!(stream_key.received && !stream_key.sends_null());
}

#[test]
fn required_optional() {
    let (api, code) = snapshot_construct("required_optional");
    let op = operation(&api, "meetingCreate");
    let body = op.body.as_ref().expect("meetingCreate has a body");
    assert!(body.required);
    let create = named(&api, &body.ty);
    let required: Vec<&str> = struct_def(create)
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(required, ["topic", "settings"]);
    let settings = field_struct(&api, create, "settings");
    assert!(field(settings, "join_before_host").required);
    assert!(!field(settings, "jbh_time").required);
    let created = named(&api, response_type(op, "201"));
    assert!(field(created, "id").required && !field(created, "start_url").required);
    assert!(field(created, "id").received && !field(create, "topic").received);
    assert_code_contains(
        &code,
        "pub topic: String,",
        "a required field of a request body stays required",
    );
    assert_code_contains(
        &code,
        "pub id: Option<i64>,",
        "a required field of a response is an Option",
    );
    assert_code_contains(
        &code,
        "body: types::MeetingCreateBody,",
        "a required body is an argument of the operation",
    );
}

#[test]
fn parameters() {
    let (api, code) = snapshot_construct("parameters");
    let op = operation(&api, "pastMeetingParticipants");
    let uuid = param(op, "meetingUUID");
    assert_eq!(uuid.location, ParamLocation::Path);
    assert_eq!(
        uuid.path_encoding,
        PathEncoding::DoubleWhenSlashes,
        "the description demands double encoding"
    );
    let page_size = param(op, "page_size");
    assert_eq!(page_size.limits.maximum, Some(300.0));
    assert_eq!(page_size.default, Some(json!(30)));
    let include = param(op, "include_fields");
    assert_eq!(include.ty, TypeRef::Scalar(Scalar::Boolean));
    assert_eq!(include.default, Some(json!(false)));
    let language = param(op, "Accept-Language");
    assert_eq!(language.location, ParamLocation::Header);
    assert!(!language.required);
    match &op.pagination {
        Some(Pagination::Token { page, items, .. }) => {
            assert_eq!(page, response_type(op, "200"));
            let items = items.as_ref().expect("the page's list is known");
            assert_eq!(items.field, "participants");
        }
        other => panic!("pastMeetingParticipants is not token-paginated: {other:?}"),
    }
    assert_code_contains(
        &code,
        "::zoomgen_runtime::PathEncoding::DoubleWhenSlashes",
        "the UUID is encoded by the runtime's double-encoding rule",
    );
    assert_code_contains(
        &code,
        "impl ::zoomgen_runtime::TokenPage for PastMeetingParticipantsResponse",
        "the page type knows its token",
    );

    let report = operation(&api, "reportMeetingParticipants");
    let meeting_id = param(report, "meetingId");
    assert_eq!(
        meeting_id.path_encoding,
        PathEncoding::Standard,
        "a numeric ID is encoded once"
    );
    let kind = param(report, "type");
    assert!(kind.required && kind.location == ParamLocation::Query);
    assert_eq!(enum_def(named(&api, &kind.ty)).repr, EnumRepr::String);
    assert_eq!(param(report, "from").ty, TypeRef::Scalar(Scalar::Date));
    let tracking = param(report, "x-zm-trackingid");
    assert!(tracking.required && tracking.location == ParamLocation::Header);
    assert_eq!(tracking.limits.max_length, Some(64));
    assert!(
        report.pagination.is_none(),
        "no next_page_token, no paginator"
    );
}

#[test]
fn json_body() {
    let (api, code) = snapshot_construct("json_body");
    let create = operation(&api, "meetingPollCreate");
    let body = create.body.as_ref().expect("meetingPollCreate has a body");
    assert_eq!(
        (body.kind, body.content_type.as_str(), body.required),
        (BodyKind::Json, "application/json", true)
    );
    let question = field_struct(&api, named(&api, &body.ty), "questions");
    assert_eq!(
        enum_def(named(&api, &field(question, "type").ty)).repr,
        EnumRepr::String
    );
    let update = operation(&api, "meetingPollUpdate");
    let body = update.body.as_ref().expect("meetingPollUpdate has a body");
    assert_eq!((body.kind, body.required), (BodyKind::Json, false));
    assert_code_contains(
        &code,
        "pub fn body(mut self, value: types::MeetingPollUpdateBody) -> Self",
        "an optional body is a builder method",
    );
}

#[test]
fn multipart_body() {
    let (api, code) = snapshot_construct("multipart_body");
    for (operation_id, file_field) in [("userPicture", "pic_file"), ("uploadAChatFile", "file")] {
        let op = operation(&api, operation_id);
        let body = op.body.as_ref().expect("the upload has a body");
        assert_eq!(
            (body.kind, body.content_type.as_str()),
            (BodyKind::Multipart, "multipart/form-data")
        );
        let file = field(named(&api, &body.ty), file_field);
        assert_eq!(file.ty, TypeRef::Scalar(Scalar::Binary));
        assert!(file.required);
    }
    assert_code_contains(
        &code,
        "::zoomgen_runtime::MultipartValue::File",
        "a binary field is sent as a file part",
    );
    assert_code_contains(
        &code,
        "::zoomgen_runtime::MultipartValue::Text(value.to_string())",
        "a text field is sent as a text part",
    );
}

#[test]
fn no_content() {
    let (api, code) = snapshot_construct("no_content");
    for operation_id in ["meetingDelete", "meetingStatus"] {
        let op = operation(&api, operation_id);
        let success: Vec<_> = op.responses.iter().filter(|r| r.is_success()).collect();
        assert_eq!(success.len(), 1, "{operation_id}");
        assert_eq!(success[0].status, "204");
        assert!(success[0].body.is_none(), "{operation_id}: 204 has no body");
    }
    assert_eq!(
        code.matches("pub async fn send(self) -> Result<(), ::zoomgen_runtime::Error>")
            .count(),
        2,
        "both operations' send() returns ()"
    );
}

#[test]
fn two_success_codes() {
    let (api, code) = snapshot_construct("two_success_codes");
    let op = operation(&api, "meetingRegistrantCreate");
    let ok = named(&api, response_type(op, "200"));
    let created = named(&api, response_type(op, "201"));
    assert_ne!(
        ok.id, created.id,
        "the two bodies differ, so they are two types"
    );
    assert_code_contains(
        &code,
        "pub enum MeetingRegistrantCreateResponse {",
        "two success bodies give a per-status response enum",
    );
    for variant in [
        format!("Status200(types::{})", ok.name),
        format!("Status201(types::{})", created.name),
        "Undocumented(::zoomgen_runtime::RawResponse)".to_owned(),
    ] {
        assert_code_contains(&code, &variant, "a variant per documented status");
    }
}

// ---------------------------------------------------------------------------------------------
// Drift of the committed crates
// ---------------------------------------------------------------------------------------------

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

/// Regenerates every committed crate of the xtask's `SETTINGS_FILES` (zoom, webex and the fixtures) in
/// memory and compares it with `generated/`; xtask prints `drifts: <file>` for each difference.
#[test]
fn committed_crates_do_not_drift() {
    let output = cargo()
        .args([
            "run",
            "--quiet",
            "--package",
            "xtask",
            "--",
            "codegen",
            "--check",
        ])
        .output()
        .expect("run cargo xtask codegen --check");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let drifting: Vec<&str> = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("drifts: "))
        .collect();
    assert!(
        drifting.is_empty(),
        "generated/ differs from what `cargo xtask codegen` produces; drifting files: {drifting:?}\n\
         (run `cargo xtask codegen` and commit the result)\n{}",
        describe(&output)
    );
    assert!(
        output.status.success(),
        "`cargo xtask codegen --check` failed without naming a drifting file (does xtask build, \
         do the documents generate?)\n{}",
        describe(&output)
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("generated/ is up to date"),
        "`cargo xtask codegen --check` did not report the check\n{}",
        describe(&output)
    );
}

// ---------------------------------------------------------------------------------------------
// Normalization rules
// ---------------------------------------------------------------------------------------------

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

#[test]
fn normalize_trimmed_keys() {
    let doc = snapshot_normalization("trimmed_keys", "trimmed-keys");
    let properties = "/components/schemas/BillingContactRequired/properties";
    let employees = &doc.raw.pointer(&format!("{properties}/employee_count"));
    assert_eq!(
        employees.and_then(|e| e.get("type")),
        Some(&json!("string")),
        "`\"type \"` is renamed to `type`: {employees:?}"
    );
    let country = doc.raw.pointer(&format!("{properties}/country")).unwrap();
    assert_eq!(
        (country.get("type"), country.get(" type")),
        (Some(&json!("string")), Some(&json!("integer"))),
        "a spaced key beside its trimmed spelling is kept as it is: {country}"
    );
}

#[test]
fn normalize_property_required_flag() {
    let doc = snapshot_normalization("property_required_flag", "property-required-flag");
    let body = doc
        .raw
        .pointer("/paths/~1rooms~1{id}~1events/patch/requestBody/content/application~1json/schema")
        .unwrap();
    assert_eq!(body.get("required"), Some(&json!(["method"])));
    assert_eq!(body.pointer("/properties/method/required"), None);
    let params = body.pointer("/properties/params").unwrap();
    assert_eq!(
        params.get("required"),
        Some(&json!(["meeting_number"])),
        "`required: false` is dropped, and the nested flag fills the nested object's list: {params}"
    );
    assert_eq!(
        params.pointer("/properties/meeting_number"),
        Some(&json!({"type": "string"}))
    );
    let profile = doc
        .raw
        .pointer("/paths/~1rooms~1{id}/get/responses/200/content/application~1json/schema")
        .unwrap();
    assert_eq!(
        profile.get("required"),
        Some(&json!(["id", "name"])),
        "appended to an existing list"
    );
}

#[test]
fn normalize_openapi31_schema() {
    let doc = snapshot_normalization("openapi31_schema", "openapi31-schema");
    let properties = doc
        .raw
        .pointer("/paths/~1meetings~1{meetingId}~1meeting_summary/get/responses/200/content/application~1json/schema/properties")
        .unwrap();
    assert_eq!(
        properties.pointer("/summary_title/type"),
        Some(&json!("string"))
    );
    assert_eq!(
        properties.pointer("/summary_title/nullable"),
        Some(&json!(true))
    );
    assert_eq!(properties.pointer("/meeting_type/enum"), Some(&json!([2])));
    assert_eq!(properties.pointer("/meeting_type/const"), None);
    assert_eq!(properties.pointer("/duration/minimum"), Some(&json!(0)));
    assert_eq!(
        properties.pointer("/duration/exclusiveMinimum"),
        Some(&json!(true))
    );
    assert_eq!(properties.pointer("/duration/maximum"), Some(&json!(1440)));
    assert_eq!(
        properties.pointer("/summary_overview/example"),
        Some(&json!("The team reviewed the quarterly roadmap."))
    );
}

#[test]
fn normalize_webhook_refs() {
    let doc = snapshot_normalization("webhook_refs", "webhook-refs");
    let target = "#/webhooks/meeting.started/post/requestBody/content/application~1json/schema/properties/payload/properties/object";
    for property in ["object", "old_object"] {
        let pointer = format!(
            "/webhooks/meeting.updated/post/requestBody/content/application~1json/schema/properties/payload/properties/{property}/$ref"
        );
        assert_eq!(doc.raw.pointer(&pointer), Some(&json!(target)), "{pointer}");
    }
    let events: Vec<&str> = doc.webhooks.iter().map(|w| w.event.as_str()).collect();
    assert_eq!(events, ["meeting.started", "meeting.updated"]);
}

// ---------------------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------------------

/// A document the generator must refuse, and the JSON pointer its error must name (`None`
/// where the text does not parse, so there is no JSON to point into).
struct BadDocument {
    file: &'static str,
    text: &'static str,
    pointer: Option<&'static str>,
}

const BAD_DOCUMENTS: &[BadDocument] = &[
    BadDocument {
        file: "truncated.json",
        text: "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"Zoom\",",
        pointer: None,
    },
    BadDocument {
        file: "unclosed.yaml",
        text: "openapi: 3.0.3\ninfo: [title: Zoom\npaths: {}\n",
        pointer: None,
    },
    BadDocument {
        file: "swagger.yaml",
        text: "swagger: '2.0'\ninfo:\n  title: Zoom API\n  version: '2'\npaths: {}\n",
        pointer: Some("/swagger"),
    },
    BadDocument {
        file: "openapi25.yaml",
        text: "openapi: '2.5'\ninfo:\n  title: Zoom API\n  version: '2'\npaths: {}\n",
        pointer: Some("/openapi"),
    },
    BadDocument {
        file: "dangling.yaml",
        text: r##"openapi: 3.0.3
info:
  title: Zoom Meetings
  version: '2'
paths:
  /meetings/{meetingId}:
    get:
      operationId: meeting
      parameters:
        - name: meetingId
          in: path
          required: true
          schema:
            type: integer
      responses:
        '200':
          description: Meeting returned.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Meeting'
"##,
        pointer: Some(
            "/paths/~1meetings~1{meetingId}/get/responses/200/content/application~1json/schema/$ref",
        ),
    },
    BadDocument {
        file: "external.yaml",
        text: r##"openapi: 3.0.3
info:
  title: Zoom Meetings
  version: '2'
paths:
  /meetings/{meetingId}/recordings:
    get:
      operationId: recordingGet
      parameters:
        - name: meetingId
          in: path
          required: true
          schema:
            type: string
      responses:
        '200':
          description: Recordings returned.
          content:
            application/json:
              schema:
                type: object
                properties:
                  recording_files:
                    type: array
                    items:
                      $ref: 'recordings.yaml#/components/schemas/RecordingFile'
"##,
        pointer: Some(
            "/paths/~1meetings~1{meetingId}~1recordings/get/responses/200/content/application~1json/schema/properties/recording_files/items/$ref",
        ),
    },
];

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).expect("read directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let bytes = fs::read(&path).expect("read file");
                out.insert(path.strip_prefix(root).unwrap().to_owned(), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A temporary directory holding `out/` with a marker file (the output of an earlier run).
fn workspace_with_output() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::TempDir::new().expect("temporary directory");
    let out = temp.path().join("out");
    // An earlier run's output: zoomgen replaces only a directory it wrote.
    fs::create_dir_all(out.join("src")).unwrap();
    fs::write(out.join(zoomgen::output::MARKER), "earlier run\n").unwrap();
    fs::write(out.join("MARKER"), "written by an earlier run\n").unwrap();
    fs::write(out.join("src/lib.rs"), "// hand-kept\n").unwrap();
    (temp, out)
}

/// Writes the bad document into `input/` beside `out/`.
fn write_input(temp: &tempfile::TempDir, bad: &BadDocument) -> PathBuf {
    let dir = temp.path().join("input");
    fs::create_dir_all(&dir).unwrap();
    let spec = dir.join(bad.file);
    fs::write(&spec, bad.text).unwrap();
    spec
}

/// The names in `dir`, sorted, to see that no staging directory was left beside `out/`.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// What the CLI and `cargo xtask codegen --spec` do: generate, and write only on success.
fn generate_and_write(spec: &Path, out: &Path) -> Result<(), Error> {
    let generated = zoomgen::generate(
        &CrateSpec::new(
            Package::new("bad-client").with_description("Never written."),
            RuntimeDependency::version("0.1"),
            "zoomgen",
        ),
        &[ApiInput::new(spec.to_owned(), "api", Profile::Zoom)],
    )?;
    zoomgen::output::write_crate(out, &generated.files)
}

#[test]
fn bad_documents_are_reported_with_file_and_pointer() {
    for bad in BAD_DOCUMENTS {
        let (temp, out) = workspace_with_output();
        let spec = write_input(&temp, bad);
        let before = tree(&out);

        let error = generate_and_write(&spec, &out)
            .err()
            .unwrap_or_else(|| panic!("{} was accepted", bad.file));
        let message = error.to_string();
        match (bad.pointer, &error) {
            (None, Error::Syntax { path, .. }) => {
                assert_eq!(path, &spec, "{}: {message}", bad.file);
                assert!(
                    message.starts_with(&format!("{}: not JSON or YAML: ", spec.display())),
                    "{}: the message does not name the file: {message}",
                    bad.file
                );
                assert!(
                    message.contains("line "),
                    "{}: the message does not say where the text breaks: {message}",
                    bad.file
                );
            }
            (
                Some(pointer),
                Error::Invalid { at, .. }
                | Error::Unsupported { at, .. }
                | Error::DanglingRef { at, .. },
            ) => {
                assert_eq!(at.file, spec, "{}: {message}", bad.file);
                assert_eq!(at.pointer, pointer, "{}: {message}", bad.file);
                assert!(
                    message.starts_with(&format!("{}#{pointer}: ", spec.display())),
                    "{}: the message does not start with file#pointer: {message}",
                    bad.file
                );
            }
            _ => panic!("{}: unexpected error {error:?}", bad.file),
        }
        if bad.file == "dangling.yaml" {
            assert!(matches!(error, Error::DanglingRef { .. }), "{error:?}");
            assert!(
                message.contains("#/components/schemas/Meeting"),
                "{message}"
            );
        }
        if bad.file == "external.yaml" {
            assert!(matches!(error, Error::Unsupported { .. }), "{error:?}");
            assert!(message.contains("external $ref"), "{message}");
        }

        assert_eq!(
            tree(&out),
            before,
            "{}: the output directory changed",
            bad.file
        );
        assert_eq!(
            entries(temp.path()),
            ["input", "out"],
            "{}: something was written beside the output directory",
            bad.file
        );
    }
}

fn run_cli(spec: &Path, out: &Path) -> Output {
    cargo()
        .args(["run", "--quiet", "--package", "zoomgen", "--", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run the zoomgen CLI through cargo")
}

#[test]
fn cli_refuses_an_out_directory_with_the_users_files() {
    let temp = tempfile::TempDir::new().expect("temporary directory");
    let out = temp.path().join("repo");
    fs::create_dir_all(out.join(".git")).unwrap();
    fs::write(out.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    fs::write(out.join("notes.md"), "mine\n").unwrap();
    let before = tree(&out);
    let output = run_cli(&constructs_dir().join("plain_object.yaml"), &out);
    assert!(!output.status.success(), "{}", describe(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("refusing to replace it"), "{stderr}");
    assert_eq!(tree(&out), before, "the directory changed");
    assert_eq!(entries(temp.path()), ["repo"], "nothing beside it");
}

#[test]
fn cli_refuses_bad_documents_and_leaves_the_output_untouched() {
    for bad in BAD_DOCUMENTS {
        let (temp, out) = workspace_with_output();
        let spec = write_input(&temp, bad);
        let before = tree(&out);

        let output = run_cli(&spec, &out);
        assert!(
            !output.status.success(),
            "{} was accepted\n{}",
            bad.file,
            describe(&output)
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        let location = match bad.pointer {
            Some(pointer) => format!("{}#{pointer}: ", spec.display()),
            None => format!("{}: ", spec.display()),
        };
        assert!(
            stderr.contains(&location),
            "{}: stderr does not name {location:?}\n{}",
            bad.file,
            describe(&output)
        );
        assert_eq!(
            tree(&out),
            before,
            "{}: the output directory changed",
            bad.file
        );
        assert_eq!(entries(temp.path()), ["input", "out"], "{}", bad.file);
    }

    // The same command on a good document does replace the directory, so the checks above
    // would see a write.
    let (temp, out) = workspace_with_output();
    let output = run_cli(&constructs_dir().join("plain_object.yaml"), &out);
    assert!(output.status.success(), "{}", describe(&output));
    let written = tree(&out);
    assert!(
        !written.contains_key(Path::new("MARKER")),
        "the good run kept the old output"
    );
    assert!(written.contains_key(Path::new("Cargo.toml")));
    assert!(written.contains_key(Path::new("src/plain_object/types.rs")));
    assert_eq!(entries(temp.path()), ["out"]);
}

/// The response schema of the `GET /meetings/{meetingId}` normalization fixtures.
const MEETING_SCHEMA: &str =
    "/paths/~1meetings~1{meetingId}/get/responses/200/content/application~1json/schema";

#[test]
fn normalize_misplaced_keywords() {
    let doc = snapshot_normalization("misplaced_keywords", "misplaced-keywords");
    let properties = doc
        .raw
        .pointer(&format!("{MEETING_SCHEMA}/properties"))
        .unwrap();
    assert_eq!(
        properties.pointer("/password/minimum"),
        None,
        "`minimum` on a string goes"
    );
    assert_eq!(
        properties.pointer("/registrants/maximum"),
        None,
        "`maximum` on an array goes"
    );
    assert_eq!(properties.pointer("/password/type"), Some(&json!("string")));
}

#[test]
fn normalize_enum_on_array() {
    let doc = snapshot_normalization("enum_on_array", "enum-on-array");
    let languages = doc
        .raw
        .pointer(&format!("{MEETING_SCHEMA}/properties/languages"))
        .unwrap();
    assert_eq!(
        languages.get("enum"),
        None,
        "the array itself has no enum: {languages}"
    );
    assert_eq!(
        languages.pointer("/items/enum"),
        Some(&json!(["English", "Chinese"]))
    );
}

#[test]
fn normalize_enum_descriptions() {
    let doc = snapshot_normalization("enum_descriptions", "enum-descriptions");
    let properties = doc
        .raw
        .pointer(&format!("{MEETING_SCHEMA}/properties"))
        .unwrap();
    assert_eq!(
        properties.pointer("/approval_type/x-enum-description"),
        None
    );
    assert_eq!(
        properties.pointer("/approval_type/x-enum-descriptions/0"),
        Some(&json!("Automatically approve")),
        "the misspelled key is renamed"
    );
    assert!(
        doc.repairs
            .iter()
            .any(|r| r.detail.contains("3 descriptions for 2 values")),
        "a list of the wrong length is reported: {:#?}",
        doc.repairs
    );
}

#[test]
fn normalize_defaults() {
    let doc = snapshot_normalization("defaults", "defaults");
    let properties = doc
        .raw
        .pointer(&format!("{MEETING_SCHEMA}/properties"))
        .unwrap();
    assert_eq!(
        properties.pointer("/topic/default"),
        None,
        "`default: null` goes"
    );
    assert_eq!(
        properties.pointer("/join_before_host/default"),
        Some(&json!(false))
    );
    assert_eq!(properties.pointer("/duration/default"), Some(&json!(60)));
}

#[test]
fn normalize_ref_siblings() {
    let doc = snapshot_normalization("ref_siblings", "ref-siblings");
    let settings = doc
        .raw
        .pointer(&format!("{MEETING_SCHEMA}/properties/settings"))
        .unwrap();
    assert_eq!(
        settings,
        &json!({"$ref": "#/components/schemas/Settings", "description": "Meeting settings."}),
        "only the reference and its description stay"
    );
}

#[test]
fn normalize_required_names() {
    let doc = snapshot_normalization("required_names", "required-names");
    assert!(
        doc.repairs.iter().any(|r| r.detail.contains("\"action\"")),
        "the missing `action` is reported: {:#?}",
        doc.repairs
    );
    let schema = doc.raw.pointer(MEETING_SCHEMA).unwrap();
    assert_eq!(
        schema.get("required"),
        Some(&json!(["action", "device_id"])),
        "reported, not changed"
    );
}

#[test]
fn normalize_string_formats() {
    let doc = snapshot_normalization("string_formats", "string-formats");
    let time = doc
        .raw
        .pointer(&format!("{MEETING_SCHEMA}/properties/complete_time"))
        .unwrap();
    assert_eq!(time.get("type"), Some(&json!("string")), "{time}");
    assert_eq!(time.get("format"), Some(&json!("date-time")));
}

#[test]
fn normalize_media_type_names() {
    let doc = snapshot_normalization("media_type_names", "media-type-names");
    assert!(
        doc.repairs.iter().any(|r| r.detail.contains("\"new\"")),
        "the media type `new` is reported: {:#?}",
        doc.repairs
    );
}

#[test]
fn hostile_names() {
    let (api, code) = snapshot_construct("hostile_names");
    let op = operation(&api, "listModules");
    let params: Vec<&str> = op.params.iter().map(|p| p.rust_name.as_str()).collect();
    assert_eq!(
        params,
        ["request_2", "items_between_2", "password"],
        "builder methods are reserved"
    );
    assert!(op.params[2].secret && !op.params[0].secret);
    let body = named(&api, response_type(op, "200"));
    assert_eq!(
        struct_def(body)
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.rust_name.as_str()))
            .collect::<Vec<_>>(),
        [
            ("location", "location"),
            ("Location", "location_2"),
            ("+1", "n_1"),
            ("-1", "n_1_2"),
            ("extra", "extra_2"),
            ("direction", "direction"),
        ],
        "field names are unique, keep their wire names, and leave `extra` to the map"
    );
    for (expected, why) in [
        (
            "pub mod mod_2;",
            "a tag named `mod` does not take the API's mod.rs",
        ),
        (
            "pub mod very_long_tag_very_long_tag_very_long_tag_very_long_tag_very;",
            "a long tag gives a short module name",
        ),
        (
            "a \\u{202e}right-to-left override",
            "direction controls are escaped in docs",
        ),
        (
            "Hostile names @zoomgen-doc:0",
            "vendor text like a doc marker is kept",
        ),
        (
            "LeftRight = \"left\\u{202e}right\"",
            "and escaped in literals",
        ),
    ] {
        assert_code_contains(&code, expected, why);
    }
    assert!(
        !code.contains('\r') && !code.contains('\u{202e}'),
        "no bare CR or override character reaches the code"
    );
}

#[test]
fn normalize_response_descriptions() {
    let doc = snapshot_normalization("response_descriptions", "response-descriptions");
    let pointers: Vec<&str> = doc.repairs.iter().map(|r| r.pointer.as_str()).collect();
    let responses =
        "/paths/~1calendars~1users~1{userIdentifier}~1settings~1{settingId}/patch/responses";
    assert_eq!(
        pointers,
        [format!("{responses}/200"), format!("{responses}/404")],
        "each repair names the response itself"
    );
    assert_eq!(
        doc.raw.pointer(&format!("{responses}/200/description")),
        Some(&json!(""))
    );
}

#[test]
fn normalize_keywords_in_properties() {
    let doc = snapshot_normalization("keywords_in_properties", "keywords-in-properties");
    let payload = doc
        .raw
        .pointer("/paths/~1chat~1spaces/get/responses/200/content/application~1json/schema/properties/payload")
        .unwrap();
    assert_eq!(payload["type"], json!("object"), "moved up");
    assert_eq!(payload["additionalProperties"], json!(false), "moved up");
    assert_eq!(
        payload["properties"]["name"],
        json!({}),
        "not a schema: untyped"
    );
    assert!(payload["properties"]["space_id"].is_object());
    assert_eq!(
        doc.repairs.len(),
        3,
        "every occurrence is reported: {:#?}",
        doc.repairs
    );
}

#[test]
fn normalize_type_names() {
    let doc = snapshot_normalization("type_names", "type-names");
    let properties = doc
        .raw
        .pointer(
            "/paths/~1phone~1calls/get/responses/200/content/application~1json/schema/properties",
        )
        .unwrap();
    assert_eq!(
        properties["duration"],
        json!({"type": "integer", "format": "int64"})
    );
    assert_eq!(properties["ratio"], json!({"type": "number"}));
    assert_eq!(
        properties["region"],
        json!({}),
        "an unknown type leaves it untyped"
    );
}

#[test]
fn dropshot_style() {
    let (api, code) = snapshot_construct("dropshot_style");
    assert!(
        operation(&api, "instanceList").pagination.is_none(),
        "the generic profile knows no token pagination"
    );
    let create = code
        .split("pub struct InstanceCreate {")
        .next()
        .and_then(|before| before.rsplit("#[derive(").next())
        .unwrap_or_default();
    assert!(
        !create.contains("Default"),
        "a struct with a required date, enum or dated struct does not derive Default: {create}"
    );
}

#[test]
fn required_page_token() {
    let (api, code) = snapshot_construct("required_page_token");
    let op = operation(&api, "ListZoomRoomTags");
    assert!(
        op.params
            .iter()
            .any(|p| p.name == "next_page_token" && p.required)
    );
    assert!(
        op.pagination.is_some(),
        "a required token parameter still pages"
    );
    assert_code_contains(
        &code,
        "Some(self.next_page_token.clone()).filter(|token| !token.is_empty())",
        "an empty required token asks for the first page",
    );
}

/// `customized.yaml` through its settings (fixtures-client.zoomgen.toml) and its overlay
/// (tests/fixtures/overlays/customized.overlay.yaml); the crate compiles in every test run.
#[test]
fn customized() {
    let (api, code) = snapshot_construct("customized");
    // The overlay renamed `user` to `fetchUser` and removed the assistants path.
    assert_code_contains(&code, "pub fn fetch_user(", "the overlay's operationId");
    assert_code_contains(&code, "(operationId `fetchUser`)", "the docs name it");
    assert!(
        !code.contains("assistants"),
        "the removed path is gone: {code}"
    );
    assert_eq!(api.operations.len(), 2);
    // Settings: a run-together id renamed outright, its response type renamed, a field.
    assert_code_contains(&code, "pub fn settings_of(", "rename.operations");
    assert_code_contains(
        &code,
        "(operationId `Getusersettings`)",
        "the original id stays",
    );
    assert_code_contains(&code, "pub struct UserSettings {", "rename.types");
    assert_code_contains(&code, "pub picture_url: Option<String>,", "rename.fields");
    assert_code_contains(
        &code,
        r#"picture_url: "pic_url" => optional String"#,
        "the wire name stays",
    );
    // `Eq` on every type, once (enums derive it already); Address is a JSON value.
    assert_code_contains(
        &code,
        "#[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize, Eq)]\npub struct User {",
        "derives",
    );
    assert!(!code.contains("Eq, Hash, Eq"), "no derive twice");
    assert_code_contains(
        &code,
        "pub address: Option<::zoomgen_runtime::serde_json::Value>,",
        "replace",
    );
    assert!(
        !code.contains("pub struct Address"),
        "a replaced schema is not emitted"
    );
}

/// Settings keys that match nothing are errors naming the file and the key: a typo must not
/// leave the old name in place silently.
#[test]
fn settings_that_match_nothing_are_errors() {
    let base = fixture_settings()
        .apis
        .into_iter()
        .find(|api| api.module == "customized")
        .expect("the customized fixture");
    type Change = fn(&mut ApiInput);
    let cases: [(&str, Change); 5] = [
        ("rename.types: no generated type is named \"Nope\"", |api| {
            api.rename.types.insert("Nope".into(), "Other".into());
        }),
        ("rename.fields: User has no field \"nope\"", |api| {
            api.rename.fields.insert("User.nope".into(), "x".into());
        }),
        ("rename.operations: no operation has", |api| {
            api.rename.operations.insert("nope".into(), "x".into());
        }),
        (
            "rename.operations: \"fetchUser\" → \"get_user_settings\": the name is taken",
            |api| {
                api.rename
                    .operations
                    .insert("fetchUser".into(), "get_user_settings".into());
            },
        ),
        (
            "replace: \"User\": \"not a type!\" is not valid Rust",
            |api| {
                api.replace.insert("User".into(), "not a type!".into());
            },
        ),
    ];
    for (expected, change) in cases {
        let mut input = base.clone();
        input.rename = Default::default();
        input.replace.clear();
        change(&mut input);
        let err = zoomgen::prepare(&input).expect_err(expected).to_string();
        assert!(
            err.contains("customized.yaml: ") && err.contains(expected),
            "{expected}\n{err}"
        );
    }
}
