//! Nothing the live API sends is lost or changed by the generated types: properties the
//! document does not list are kept (at the top level and inside arrays) and written back, a
//! required field a body lacks decodes as absent, a key sent twice keeps its last value, and a
//! lenient integer never hands the caller a different number than was sent.

use serde_json::{Value, json};
use zoom_client::meeting_events::webhooks::Event;
use zoom_client::meetings::types::{RecordingsListResponse, RecordingsListResponseMeeting};
use zoom_client::runtime::{Error, decode_json};

fn decode_page(body: &[u8]) -> Result<RecordingsListResponse, Error> {
    decode_json("recordingsList", body)
}

#[test]
fn undocumented_properties_are_kept_at_the_top_and_inside_arrays() {
    let original = json!({
        "from": "2024-01-01", "to": "2024-01-31", "page_size": 30,
        "request_id": "top-level and undocumented",
        "meetings": [{
            "uuid": "gkABCDEbbbbbbbkPuA==", "topic": "Standup", "total_size": 74596,
            "share_url": "https://zoom.us/rec/share/abc", "timezone": "America/Los_Angeles",
            "meeting_number": 68000000031879_i64,
            "recording_files": [{
                "id": "f1", "file_type": "MP4", "file_size": 37285,
                "thumbnail": {"url": "https://example.com/t.png", "sizes": [1, 2]},
            }],
        }],
    });
    let decoded: RecordingsListResponse = decode_page(original.to_string().as_bytes()).unwrap();
    assert_eq!(decoded.extra["request_id"], "top-level and undocumented");
    let meeting = &decoded.meetings.as_ref().unwrap()[0];
    // `share_url` is typed on list items as on one meeting's recordings.
    assert_eq!(
        meeting.share_url.as_deref(),
        Some("https://zoom.us/rec/share/abc")
    );
    assert_eq!(meeting.extra["timezone"], "America/Los_Angeles");
    assert_eq!(meeting.extra["meeting_number"], 68000000031879_i64);
    assert_eq!(
        meeting.topic.as_deref(),
        Some("Standup"),
        "documented fields still typed"
    );
    let file = &meeting.recording_files.as_ref().unwrap()[0];
    assert_eq!(file.extra["thumbnail"]["sizes"], json!([1, 2]));
    let reencoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(
        reencoded, original,
        "re-encoding gives back the same JSON value"
    );
}

#[test]
fn users_can_build_objects_and_add_undocumented_properties() {
    let mut meeting = RecordingsListResponseMeeting {
        topic: Some("Planning".into()),
        ..Default::default()
    };
    meeting
        .extra
        .insert("timezone".into(), json!("Europe/Berlin"));
    assert_eq!(
        serde_json::to_value(&meeting).unwrap(),
        json!({"topic": "Planning", "timezone": "Europe/Berlin"})
    );
}

#[test]
fn a_webhook_without_a_required_field_decodes_with_it_absent() {
    // A 2020 body: no `event_ts`, which the document marks required.
    let body = json!({
        "event": "recording.completed",
        "payload": {"account_id": "acc", "object": {"uuid": "u1", "topic": "Old"}},
    });
    let Event::RecordingCompleted(event) = Event::from_slice(body.to_string().as_bytes()).unwrap()
    else {
        panic!("expected recording.completed");
    };
    assert_eq!(event.event_ts, None);
    assert_eq!(event.event.as_deref(), Some("recording.completed"));
    assert_eq!(serde_json::to_value(&*event).unwrap(), body);
}

#[test]
fn a_key_sent_twice_keeps_its_last_value() {
    let body = br#"{"meetings": [{"uuid": "u1", "topic": "first", "timezone": "a",
        "topic": "second", "timezone": "b"}], "page_size": 10, "page_size": 30}"#;
    let decoded = decode_page(body).unwrap();
    let meeting = &decoded.meetings.as_ref().unwrap()[0];
    assert_eq!(meeting.topic.as_deref(), Some("second"));
    assert_eq!(meeting.extra["timezone"], "b");
    assert_eq!(decoded.page_size, Some(30));
    // What a JavaScript client reads from the same text.
    let last_wins: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), last_wins);
}

#[test]
fn an_integer_is_never_changed_on_the_way_in() {
    for (sent, reason) in [
        ("12345678901234567.0", "an integral float beyond 2^53"),
        ("-9223372036854775809", "an integer below i64::MIN"),
        ("9223372036854775808", "an integer above i64::MAX"),
        ("74596.5", "a fraction"),
        ("\"74596.5\"", "a fraction in a string"),
    ] {
        let body = format!(r#"{{"meetings": [{{"uuid": "u1", "total_size": {sent}}}]}}"#);
        match decode_page(body.as_bytes()) {
            Err(Error::Decode { path, message, .. }) => {
                assert_eq!(path, "meetings[0].total_size", "{reason}: {message}");
                assert!(message.contains("i64 range"), "{reason}: {message}");
            }
            other => panic!("{reason} ({sent}) must be a decode error, got {other:?}"),
        }
    }
    for (sent, read) in [
        ("9007199254740992.0", 9_007_199_254_740_992_i64),
        ("\"12345678901234567\"", 12_345_678_901_234_567),
        ("-9223372036854775808", i64::MIN),
        ("74596.0", 74596),
    ] {
        let body = format!(r#"{{"meetings": [{{"total_size": {sent}}}]}}"#);
        let decoded = decode_page(body.as_bytes()).unwrap();
        assert_eq!(
            decoded.meetings.unwrap()[0].total_size,
            Some(read),
            "{sent}"
        );
    }
}

#[test]
fn credentials_in_decoded_bodies_print_redacted_and_stay_readable() {
    let body = json!({
        "event": "recording.completed",
        "download_token": "eyJhbGciOiJIUzI1NiJ9.download",
        "payload": {"account_id": "acc", "object": {
            "uuid": "u1", "password": "p4ss-w0rd", "recording_play_passcode": "play-passcode",
        }},
    });
    let event = Event::from_slice(body.to_string().as_bytes()).unwrap();
    let printed = format!("{event:?}");
    for secret in [
        "eyJhbGciOiJIUzI1NiJ9.download",
        "p4ss-w0rd",
        "play-passcode",
    ] {
        assert!(!printed.contains(secret), "{secret} printed: {printed}");
    }
    assert!(printed.contains("[redacted]"), "{printed}");
    let Event::RecordingCompleted(event) = event else {
        panic!("expected recording.completed");
    };
    let token = event.download_token.as_ref().map(|t| t.expose());
    assert_eq!(token, Some("eyJhbGciOiJIUzI1NiJ9.download"));
    assert_eq!(
        serde_json::to_value(&*event).unwrap(),
        body,
        "the wire is unchanged"
    );
}

#[test]
fn a_recursive_union_decodes_in_time_linear_in_the_body() {
    use fixtures_client::one_of::types::{Node, NodeOption1};
    // Both alternatives of `Node` decode any object: tried naively, 2^80 decodes.
    let depth = 80;
    let body = format!(
        "{}{{\"z\":1}}{}",
        "{\"a\":".repeat(depth),
        "}".repeat(depth)
    );
    let node: Node = decode_json("nodeGet", body.as_bytes()).unwrap();
    let mut levels = 0;
    let mut at = &node;
    while let Node::Option1(NodeOption1 { a: Some(next), .. }) = at {
        levels += 1;
        at = next;
    }
    assert_eq!(levels, depth);
    assert_eq!(serde_json::to_string(&node).unwrap(), body);
}
