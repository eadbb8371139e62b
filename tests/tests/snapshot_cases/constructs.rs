//! Constructs: each fixture of `tests/fixtures/constructs` snapshotted (IR and code) with the
//! facts it exists for asserted on the IR and the code.

use super::*;

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
    let user = ok_response(&api, "user");
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
        fields
            .iter()
            .all(|f| f.leniency == zoomgen::ir::Leniency::Strict),
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
    let meeting = ok_response(&api, "meeting");
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
    let list = ok_response(&api, "meetingPolls");
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
    let meeting = ok_response(&api, "meeting");
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
    let meeting = ok_response(&api, "meeting");
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
    let recording = ok_response(&api, "recordingGet");
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
    let settings = ok_response(&api, "userSettings");
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
        r#"pub topic: String = required "topic","#,
        "a required field of a request body stays required",
    );
    assert_code_contains(
        &code,
        r#"pub id: Option<i64> = "id""#,
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
        code.matches("pub fn send(self) -> Call<'a, ()>").count(),
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
