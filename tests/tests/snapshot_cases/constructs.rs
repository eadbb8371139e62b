//! Type constructs: each fixture of `tests/fixtures/constructs` about types snapshotted (IR
//! and code) with the facts it exists for asserted on the IR and the code; and the check that
//! every fixture is in the fixtures crate, compiled.

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
