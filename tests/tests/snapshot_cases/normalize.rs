//! Normalization: each repair rule on a minimal document of `tests/fixtures/normalize`.

use super::*;

/// The response schema of the `GET /meetings/{meetingId}` normalization fixtures.
const MEETING_SCHEMA: &str =
    "/paths/~1meetings~1{meetingId}/get/responses/200/content/application~1json/schema";

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
    assert_eq!(
        properties["ratio"],
        json!({"type": "number", "format": "double"})
    );
    assert_eq!(
        properties["region"],
        json!({}),
        "an unknown type leaves it untyped"
    );
}
