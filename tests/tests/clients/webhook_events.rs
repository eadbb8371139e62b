//! Every webhook event the committed crate types, decoded from the official document's own
//! example of it (`../shared/specs`): the typed variant, not `Unknown`, and written back
//! unchanged.

use serde_json::Value;
use zoom_client::{meeting_events, videosdk_events};
use zoomgen_tests::{assert_json_equivalent, root};

/// The example body of `event` in the official webhook document `file`.
fn official_example(file: &str, event: &str) -> Vec<u8> {
    let path = root().join("../shared/specs").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the official documents are missing: cannot read {} ({e}); ../shared/specs must sit beside the repository",
            path.display()
        )
    });
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let content = &doc["webhooks"][event]["post"]["requestBody"]["content"]["application/json"];
    let example = content["examples"]
        .as_object()
        .and_then(|examples| examples.values().next())
        .map(|example| &example["value"])
        .unwrap_or_else(|| panic!("{file} has no example of {event}"));
    match example {
        Value::String(text) => text.clone().into_bytes(),
        other => serde_json::to_vec(other).unwrap(),
    }
}

macro_rules! event_tests {
    ($module:ident, $file:literal, $($test:ident: $event:literal => $variant:ident,)*) => {
        $(
            #[test]
            fn $test() {
                let body = official_example($file, $event);
                let decoded = $module::webhooks::Event::from_slice(&body)
                    .unwrap_or_else(|e| panic!("{}: {e}", $event));
                assert!(
                    matches!(decoded, $module::webhooks::Event::$variant(_)),
                    "{} decoded as {decoded:?}",
                    $event
                );
                assert_eq!(decoded.name(), $event);
                let original: Value = serde_json::from_slice(&body).unwrap();
                let again = serde_json::to_value(&decoded).unwrap();
                assert_json_equivalent($event, &original, &again);
            }
        )*
    };
}

event_tests! {
    meeting_events, "zoom-meetings-webhooks.json",
    recording_completed: "recording.completed" => RecordingCompleted,
    recording_started: "recording.started" => RecordingStarted,
    recording_paused: "recording.paused" => RecordingPaused,
    recording_resumed: "recording.resumed" => RecordingResumed,
    recording_stopped: "recording.stopped" => RecordingStopped,
    recording_transcript_completed: "recording.transcript_completed" => RecordingTranscriptCompleted,
    recording_trashed: "recording.trashed" => RecordingTrashed,
    recording_deleted: "recording.deleted" => RecordingDeleted,
    recording_recovered: "recording.recovered" => RecordingRecovered,
    meeting_ended: "meeting.ended" => MeetingEnded,
}

event_tests! {
    videosdk_events, "zoom-videosdk-webhooks.json",
    session_recording_completed: "session.recording_completed" => SessionRecordingCompleted,
    session_recording_started: "session.recording_started" => SessionRecordingStarted,
    session_recording_paused: "session.recording_paused" => SessionRecordingPaused,
    session_recording_resumed: "session.recording_resumed" => SessionRecordingResumed,
    session_recording_stopped: "session.recording_stopped" => SessionRecordingStopped,
    session_recording_transcript_completed: "session.recording_transcript_completed" => SessionRecordingTranscriptCompleted,
    session_recording_trashed: "session.recording_trashed" => SessionRecordingTrashed,
    session_recording_deleted: "session.recording_deleted" => SessionRecordingDeleted,
    session_recording_recovered: "session.recording_recovered" => SessionRecordingRecovered,
    session_ended: "session.ended" => SessionEnded,
}
