//! Helpers shared by the test files in `tests/tests`.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::Value;

/// The workspace root.
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// The directory of the response-body fixtures, `tests/fixtures/payloads`.
pub fn payloads_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/payloads")
}

/// The text of the fixture at `relative` (e.g. `meetings/recordingGet.json`) under
/// [`payloads_dir`]; panics naming the file when it cannot be read.
pub fn payload_text(relative: &str) -> String {
    let path = payloads_dir().join(relative);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read the fixture {}: {e}", path.display()))
}

/// The fixture at `relative` as JSON; panics naming the file when it is not JSON.
pub fn payload_json(relative: &str) -> Value {
    serde_json::from_str(&payload_text(relative))
        .unwrap_or_else(|e| panic!("the fixture {relative} is not JSON: {e}"))
}

/// The comparison every round trip uses; see [`zoomgen::verify::json_equivalent`].
pub use zoomgen::verify::json_equivalent;

/// Panics listing every difference [`json_equivalent`] finds, with `what` saying which body
/// was compared.
#[track_caller]
pub fn assert_json_equivalent(what: &str, original: &Value, reencoded: &Value) {
    if let Err(differences) = json_equivalent(original, reencoded) {
        let mut message = format!(
            "{what}: the re-encoded JSON differs from the original in {} place(s):\n",
            differences.len()
        );
        for difference in &differences {
            let _ = writeln!(message, "  - {difference}");
        }
        panic!("{message}");
    }
}

/// `GET /users/{userId}`: the operation the sign-in tests call (and their second process).
pub static GET_USER: zoomgen_runtime::OperationMeta = zoomgen_runtime::OperationMeta {
    operation_id: "user",
    method: zoomgen_runtime::HttpMethod::Get,
    path_template: "/users/{userId}",
    rate_limit: None,
    scopes: &[],
    granular_scopes: &[],
};

/// A request of [`GET_USER`] for `me`.
pub fn user_request() -> zoomgen_runtime::Request {
    let mut request = zoomgen_runtime::Request::new(&GET_USER);
    request.path_param("userId", &"me", zoomgen_runtime::PathEncoding::Standard);
    request
}
