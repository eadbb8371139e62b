//! Response bodies decoded with the generated types, then encoded again: every fixture must
//! decode, and its re-encoding must say what the server sent (exactly, but for the equivalences
//! `zoomgen_tests::json_equivalent` documents). The live API's quirks are asserted one by one.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use webex_client::meetings::types as wt;
use zoom_client::meetings::types as mt;
use zoom_client::runtime::TokenPage;
use zoom_client::videosdk::types as vt;
use zoomgen_tests::{assert_json_equivalent, json_equivalent, payload_json, payloads_dir};

/// Decodes `original` as `T` and encodes it again.
fn round_trip<T: DeserializeOwned + Serialize>(original: &Value) -> Result<Value, String> {
    let decoded: T = serde_json::from_value(original.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&decoded).map_err(|e| e.to_string())
}

type RoundTrip = fn(&Value) -> Result<Value, String>;

/// Every fixture and the generated type of the response it is a body of.
const FIXTURES: &[(&str, RoundTrip)] = &[
    // GET /meetings/{meetingId}/recordings
    (
        "meetings/recordingGet.json",
        round_trip::<mt::RecordingGetResponse>,
    ),
    // GET /users/{userId}/recordings
    (
        "meetings/recordingsList.json",
        round_trip::<mt::RecordingsListResponse>,
    ),
    (
        "meetings/recordingsList__quirks.json",
        round_trip::<mt::RecordingsListResponse>,
    ),
    (
        "meetings/recordingsList__empty.json",
        round_trip::<mt::RecordingsListResponse>,
    ),
    // GET /videosdk/sessions/{sessionId}/recordings
    (
        "videosdk/recordingGet.json",
        round_trip::<vt::RecordingGetResponse>,
    ),
    // GET /videosdk/recordings
    (
        "videosdk/recordingsList.json",
        round_trip::<vt::RecordingsListResponse>,
    ),
    // Webex GET /recordings
    (
        "webex/listRecordings.json",
        round_trip::<wt::ListRecordingsResponse>,
    ),
];

/// Fixtures that are not response bodies, and why.
const NOT_BODIES: &[(&str, &str)] = &[(
    "videosdk-webhooks/session.recording_completed.json",
    "a type outline from the seeds (`\"event_ts\": \"long\"`), not data; and \
     spec/zoom-videosdk.yaml declares no webhooks, so there is no generated type to decode it",
)];

fn decode<T: DeserializeOwned>(relative: &str) -> T {
    serde_json::from_value(payload_json(relative))
        .unwrap_or_else(|e| panic!("{relative} does not decode: {e}"))
}

#[test]
fn every_fixture_decodes_and_re_encodes_to_the_same_json() {
    let mut failures = Vec::new();
    for (relative, round_trip) in FIXTURES {
        let original = payload_json(relative);
        match round_trip(&original) {
            Err(error) => failures.push(format!("{relative}: does not decode: {error}")),
            Ok(reencoded) => {
                if let Err(differences) = json_equivalent(&original, &reencoded) {
                    for difference in differences {
                        failures.push(format!("{relative}: {difference}"));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "expected every fixture to decode and re-encode to equivalent JSON:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_fixture_file_is_decoded_or_set_aside_with_a_reason() {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).expect("the fixtures directory is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, base, out);
            } else if let Ok(relative) = path.strip_prefix(base) {
                out.insert(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut on_disk = BTreeSet::new();
    walk(&payloads_dir(), &payloads_dir(), &mut on_disk);
    let known: BTreeSet<String> = FIXTURES
        .iter()
        .map(|(path, _)| (*path).to_owned())
        .chain(NOT_BODIES.iter().map(|(path, _)| (*path).to_owned()))
        .collect();
    let unlisted: Vec<_> = on_disk.difference(&known).collect();
    let missing: Vec<_> = known.difference(&on_disk).collect();
    assert!(
        unlisted.is_empty() && missing.is_empty(),
        "expected FIXTURES and NOT_BODIES to list exactly the files in {}; \
         not listed: {unlisted:?}; listed but absent: {missing:?}",
        payloads_dir().display()
    );
    for (path, reason) in NOT_BODIES {
        assert!(!reason.is_empty(), "{path} needs a reason");
    }
}

#[test]
fn the_webhook_fixture_is_an_outline_not_data() {
    // Guards the reason NOT_BODIES gives: should the seed be replaced with real data, it must
    // move to FIXTURES (with a webhook type to decode it into).
    let outline = payload_json("videosdk-webhooks/session.recording_completed.json");
    assert_eq!(
        (outline["event_ts"].clone(), outline["event"].clone()),
        (json!("long"), json!("string")),
        "expected the webhook fixture to be the seeds' type outline"
    );
}

#[test]
fn meeting_recording_with_an_integer_type_and_a_timeline_file() {
    let recording: mt::RecordingGetResponse = decode("meetings/recordingGet.json");
    assert_eq!(recording.id, Some(68_000_000_031_879), "id");
    assert_eq!(
        recording.r#type,
        Some(mt::RecordingGetResponseType::ScheduledMeeting),
        "`\"type\": 2` should decode as ScheduledMeeting"
    );
    assert_eq!(
        recording
            .start_time
            .as_ref()
            .and_then(|t| t.parse())
            .map(|t| t.timestamp()),
        Some(1_567_115_689),
        "start_time 2019-08-29T21:54:49Z"
    );
    assert_eq!(recording.timezone.as_deref(), Some("America/Los_Angeles"));
    assert_eq!(recording.total_size, Some(74_596), "total_size");
    let files = recording.recording_files.expect("recording_files");
    assert_eq!(files.len(), 3, "three recording files");
    let timeline = &files[2];
    assert_eq!(
        (
            timeline.id.as_deref(),
            timeline.file_size,
            timeline.play_url.as_deref(),
            timeline.recording_type.as_ref(),
        ),
        (None, None, None, None),
        "the TIMELINE file has no id, file_size, play_url or recording_type"
    );
    assert_eq!(
        timeline.file_type,
        Some(mt::RecordingFileFileType::Unknown(json!("TIMELINE").into())),
        "the document's file_type enum omits TIMELINE, so it is kept raw"
    );
    assert_eq!(
        timeline.download_url.as_deref(),
        Some("https://api.zoom.us/recording/download/e2ed-dlkjgdfkgh-kslsdbsjf1a")
    );
    assert_eq!(
        files[0].recording_type,
        Some(mt::RecordingGetResponseRecordingFileRecordingType::SharedScreenWithSpeakerView),
        "recording_type of the first file"
    );
    let audio = recording
        .participant_audio_files
        .expect("participant_audio_files");
    assert_eq!(audio.len(), 1);
    assert_eq!(
        (
            audio[0].file_name.as_deref(),
            audio[0].file_size,
            audio[0].status.clone()
        ),
        (
            Some("Audio only - API1 TA2"),
            Some(272_173),
            Some(mt::RecordingFileStatus::Completed)
        ),
        "the participant audio file"
    );
    assert_eq!(
        audio[0]
            .recording_end
            .as_ref()
            .and_then(|t| t.parse())
            .map(|t| t.to_rfc3339()),
        Some("2021-06-22T05:23:58+00:00".to_owned()),
        "participant recording_end"
    );
}

#[test]
fn video_sdk_session_recording_with_an_empty_timezone() {
    let session: vt::RecordingGetResponse = decode("videosdk/recordingGet.json");
    assert_eq!(
        session.timezone.as_deref(),
        Some(""),
        "`\"timezone\": \"\"` is kept"
    );
    assert_eq!(
        session.session_id.as_deref(),
        Some("kwPoX6bTS4uWBYwmEpzBvA==")
    );
    assert_eq!(session.total_size, Some(5_686_716));
    let files = session.recording_files.expect("recording_files");
    let sizes: Vec<_> = files.iter().map(|f| f.file_size).collect();
    assert_eq!(sizes, [Some(3_477_124), Some(1_104_796)], "file sizes");
    assert_eq!(
        files[0]
            .recording_end
            .as_ref()
            .and_then(|t| t.parse())
            .map(|t| t.timestamp()),
        Some(1_643_742_852),
        "recording_end 2022-02-01T19:14:12Z"
    );
    let audio = session
        .participant_audio_files
        .expect("participant_audio_files");
    assert_eq!(
        audio[0].file_name.as_deref(),
        Some("Audio only - Example53")
    );
}

#[test]
fn video_sdk_recording_list_ends_with_an_empty_token() {
    let page: vt::RecordingsListResponse = decode("videosdk/recordingsList.json");
    assert_eq!(
        page.next_page_token(),
        Some(""),
        "the last page names an empty next_page_token"
    );
    assert_eq!((page.page_size, page.total_records), (Some(30), Some(1)));
    assert_eq!(
        page.from
            .as_ref()
            .and_then(|d| d.parse())
            .map(|d| d.to_string()),
        Some("2022-01-31".to_owned()),
        "from"
    );
    let sessions = page.sessions.expect("sessions");
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        sessions[0].session_id.as_deref(),
        Some("kwPoX6bTS4uWBYwmEppXvZ++")
    );
    let kinds: Vec<_> = sessions[0]
        .recording_files
        .iter()
        .flatten()
        .map(|f| f.recording_type.as_deref())
        .collect();
    assert_eq!(
        kinds,
        [Some("audio_only"), Some("shared_screen_with_speaker_view")]
    );
}

#[test]
fn webex_recording_list() {
    let page: wt::ListRecordingsResponse = decode("webex/listRecordings.json");
    let items = page.items.expect("items");
    assert_eq!(items.len(), 3, "three recordings");
    let first = &items[0];
    assert_eq!(
        first.id.as_deref(),
        Some("4f914b1dfe3c4d11a61730f18c0f5387")
    );
    assert_eq!(
        first.meeting_id.as_deref(),
        Some("f91b6edce9864428af084977b7c68291_I_166641849979635652")
    );
    assert_eq!(
        first.format,
        Some(wt::RecordingObjectFormat::Arf),
        "format ARF"
    );
    assert_eq!(
        first.service_type,
        Some(wt::RecordingObjectServiceType::MeetingCenter),
        "serviceType"
    );
    assert_eq!(
        first.status,
        Some(wt::ListRecordingsStatus::Available),
        "status"
    );
    assert_eq!(
        (first.duration_seconds, first.size_bytes),
        (Some(18_416), Some(168_103))
    );
    assert_eq!(
        first
            .create_time
            .as_ref()
            .and_then(|t| t.parse())
            .map(|t| t.timestamp()),
        Some(1_594_660_295),
        "createTime 2020-07-13T17:11:35Z"
    );
    assert_eq!(
        first.integration_tags.as_ref().map(Vec::len),
        Some(3),
        "integrationTags"
    );
    assert_eq!(
        items.iter().map(|i| i.share_to_me).collect::<Vec<_>>(),
        [Some(false), Some(false), Some(true)],
        "shareToMe"
    );
}

/// The hand-written list page with each quirk the live API shows.
#[test]
fn recording_list_with_every_live_api_quirk() {
    let original = payload_json("meetings/recordingsList__quirks.json");
    let page: mt::RecordingsListResponse = decode("meetings/recordingsList__quirks.json");

    assert_eq!(
        page.next_page_token.as_deref(),
        Some(""),
        "`\"next_page_token\": \"\"` is kept as an empty token"
    );
    let meetings = page.meetings.as_ref().expect("meetings");
    assert_eq!(meetings.len(), 2);

    // Meeting IDs: an integer above 2^32, and one sent as a string.
    assert_eq!(
        meetings[0].id,
        Some(85_746_065_432),
        "a meeting id above 2^32"
    );
    assert_eq!(
        original["meetings"][1]["id"],
        json!("6840331990"),
        "the fixture sends the second id as a string"
    );
    assert_eq!(
        meetings[1].id,
        Some(6_840_331_990),
        "a meeting id sent as a string"
    );

    // `type` sent as an integer.
    assert_eq!(
        (meetings[0].r#type.clone(), meetings[1].r#type.clone()),
        (
            Some(mt::RecordingGetResponseType::RecurringMeetingWithAFixedTime),
            Some(mt::RecordingGetResponseType::MeetingCreatedUsingAPersonalMeetingId),
        ),
        "`\"type\": 8` and `\"type\": 4`"
    );
    assert_eq!(meetings[0].uuid.as_deref(), Some("/ajXp112QmuoKj4854875=="));

    // `"timezone": ""`: the document's list item has no `timezone` property, so the field is
    // not kept; an empty one is equivalent to absent, which the round trip below checks.
    assert_eq!(original["meetings"][0]["timezone"], json!(""));

    let files = meetings[0]
        .recording_files
        .as_ref()
        .expect("recording_files");
    assert_eq!(files.len(), 4);

    // A recording still processing.
    let processing = &files[0];
    assert_eq!(
        processing.status,
        Some(mt::RecordingFileStatus::Unknown(json!("processing").into())),
        "`\"status\": \"processing\"` (the document lists only `completed`)"
    );
    assert_eq!(
        processing.file_size,
        Some(0),
        "`\"file_size\": 0` while processing"
    );
    assert_eq!(
        processing.recording_end.as_deref(),
        Some(""),
        "`\"recording_end\": \"\"` (a plain string in this schema)"
    );
    assert_eq!(
        processing.file_type, None,
        "`\"file_type\": \"\"` decodes as absent, like empty dates"
    );
    assert_eq!(
        processing.file_extension, None,
        "`\"file_extension\": \"\"` decodes as absent"
    );

    // A file size sent as a string.
    assert_eq!(
        original["meetings"][0]["recording_files"][1]["file_size"],
        json!("7220")
    );
    assert_eq!(files[1].file_size, Some(7220), "`\"file_size\": \"7220\"`");

    // A recording type the document never listed: kept raw, and written back unchanged.
    let unlisted = files[2]
        .recording_type
        .as_ref()
        .expect("the third file has a recording_type");
    assert_eq!(
        unlisted,
        &mt::MeetingRecordingFileRecordingType::Unknown(json!("immersive_view").into()),
        "an unlisted recording_type lands in Unknown with the raw value"
    );
    assert_eq!(
        serde_json::to_value(unlisted).expect("serializes"),
        json!("immersive_view"),
        "the unlisted value re-serializes identically"
    );
    assert_eq!(
        unlisted.to_string(),
        "immersive_view",
        "and displays as sent"
    );

    // A timeline file: no id, play_url or file_size.
    let timeline = &files[3];
    assert_eq!(
        timeline.recording_type,
        Some(mt::MeetingRecordingFileRecordingType::Timeline),
        "`\"recording_type\": \"timeline\"`"
    );
    assert_eq!(
        timeline.file_type,
        Some(mt::RecordingFileFileType::Unknown(json!("TIMELINE").into())),
        "`\"file_type\": \"TIMELINE\"`, which the document's enum omits"
    );
    assert_eq!(
        (
            timeline.id.as_deref(),
            timeline.play_url.as_deref(),
            timeline.file_size
        ),
        (None, None, None),
        "the timeline file has no id, play_url or file_size"
    );
    assert_eq!(timeline.file_extension, Some(mt::FileExtension::Json));

    // The second meeting has no files.
    assert_eq!(meetings[1].recording_files.as_deref(), Some(&[][..]));

    let reencoded = serde_json::to_value(&page).expect("serializes");
    assert_json_equivalent("recordingsList__quirks.json", &original, &reencoded);
}

#[test]
fn empty_recording_list_with_page_size_zero() {
    let original = payload_json("meetings/recordingsList__empty.json");
    let page: mt::RecordingsListResponse = decode("meetings/recordingsList__empty.json");
    assert_eq!(page.page_size, Some(0), "`\"page_size\": 0`");
    assert_eq!(page.total_records, Some(0), "total_records");
    assert_eq!(
        page.meetings.as_deref(),
        Some(&[][..]),
        "`\"meetings\": []` is an empty list, not absent"
    );
    assert_eq!(page.next_page_token(), Some(""), "next_page_token");
    let reencoded = serde_json::to_value(&page).expect("serializes");
    assert_eq!(
        reencoded, original,
        "the empty page re-encodes exactly, with no equivalences needed"
    );
}
