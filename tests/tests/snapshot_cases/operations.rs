//! Operation constructs: each fixture of `tests/fixtures/constructs` about parameters, bodies,
//! responses and names snapshotted (IR and code) with the facts it exists for asserted; and
//! the settings that customize a fixture.

use super::*;

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
        "PathEncoding::DoubleWhenSlashes,",
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

    let poll = operation(&api, "meetingPollGet");
    let listed: Vec<&str> = poll.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        listed,
        ["pollId", "meetingId"],
        "the document's order is kept"
    );
    let meeting_at = code.find(r#"request.path_param("meetingId""#);
    let poll_at = code.find(r#"request.path_param("pollId""#);
    assert!(
        matches!((meeting_at, poll_at), (Some(meeting), Some(poll)) if meeting < poll),
        "path values are given in the template's order, so the runtime appends them"
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
fn binary_body() {
    let (api, code) = snapshot_construct("binary_body");
    let upload = operation(&api, "uploadRoomBackground");
    let body = upload.body.as_ref().expect("the upload has a body");
    assert_eq!(
        (body.kind, body.content_type.as_str()),
        (BodyKind::Binary, "application/octet-stream")
    );
    assert_code_contains(&code, ".raw_body(", "the body's bytes are sent as they are");
    assert_code_contains(
        &code,
        "__private::builder_methods!(::zoomgen_runtime::Bytes, __private::decode::bytes)",
        "the download's answer is its bytes",
    );
    assert_code_contains(
        &code,
        "args.required_raw_body()?",
        "the command line reads the body's bytes from its file",
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
        code.matches("__private::builder_methods!((), __private::decode::unit)")
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
    assert_code_contains(
        &code,
        r#"pub picture_url: Option<String> = "pic_url","#,
        "rename.fields, and the wire name stays",
    );
    // `Eq` on every type, once (enums derive it already); Address is a JSON value.
    assert_code_contains(
        &code,
        "#[derive(Debug, Clone, PartialEq, Default, Eq)]\n    pub struct User {",
        "derives",
    );
    assert!(!code.contains("Eq, Hash, Eq"), "no derive twice");
    assert_code_contains(
        &code,
        r#"pub address: Option<::zoomgen_runtime::serde_json::Value> = "address","#,
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
