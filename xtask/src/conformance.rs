//! `cargo xtask conformance --spec PATH --payloads DIR`: do the generated types read what the
//! API really sends? Each file of DIR is a body the server sent, named
//! `<operationId>[__<status>][__anything].json` (the response of that operation for that status,
//! the success response by default) or, for webhook documents, `<event>[__anything].json`. Each
//! is decoded with the generated type, encoded again and compared with
//! [`zoomgen::verify::json_equivalent`]: one line per file (`ok`, `lossy` with the fields that
//! changed or were dropped, `failed` with the JSON path and reason), then `N ok, M lossy, K
//! failed`. An `ok` line lists the properties the document does not list, which the client kept
//! (`ok  file.json (undocumented: $.share_url)`). Any non-ok fails the command.
//!
//! An error status the document gives no JSON body for (Zoom answers `{code, message[,
//! errors]}` on 400, 401 and 404 of operations that document none) is checked against the
//! error shape the runtime reads; such a body that is not JSON is `ok` when the client's error
//! keeps it as raw text.

use std::path::{Path, PathBuf};

use serde_json::Value;
use zoomgen::Profile;
use zoomgen::ir::{Api, BodyKind, Operation, TypeRef};
use zoomgen::verify::{Outcome, TargetKind, json_equivalent, undocumented};

use crate::driver::{self, Request};
use crate::root;

/// `cargo xtask conformance`'s options.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The document the bodies are checked against.
    #[arg(long)]
    pub spec: PathBuf,
    /// The folder of bodies (`<operationId>.<status>.json`, `<event>.json`, …).
    #[arg(long)]
    pub payloads: PathBuf,
    /// Which vendor's quirks to absorb; default: guessed from the document's file name.
    #[arg(long)]
    pub profile: Option<Profile>,
}

pub fn run(args: &Args) -> Result<(), String> {
    let (spec, payloads, profile) = (args.spec.clone(), args.payloads.clone(), args.profile);
    let profile = profile.unwrap_or_else(|| guess_profile(&spec));
    let files = payload_files(&payloads)?;
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "api".into());
    let out = crate::target_dir().join("conformance");
    let (generated, linked) = crate::verify::generate(&spec, &out.join("client"), &stem, profile)?;
    let api = &generated
        .apis
        .first()
        .ok_or("the generated crate has no API")?
        .api;
    let module = linked.module.clone();
    let binary = driver::build(&out.join("driver"), "zoomgen-conformance-driver", &[linked])?;

    let mut lines: Vec<Option<String>> = Vec::new();
    let mut requests = Vec::new();
    let mut kinds = Vec::new();
    let mut planned = Vec::new();
    for file in &files {
        let name = file_name(file);
        let body = match std::fs::read_to_string(file) {
            Ok(body) => body,
            Err(e) => {
                lines.push(Some(format!("failed  {name}: cannot read: {e}")));
                continue;
            }
        };
        match body_target(api, &name) {
            Ok((kind, target_name, ty)) => {
                kinds.push(kind);
                planned.push((name, target_name, body, ty, lines.len()));
                lines.push(None);
            }
            Err(reason) => lines.push(Some(format!("failed  {name}: {reason}"))),
        }
    }
    for ((_, target_name, body, _, _), kind) in planned.iter().zip(&kinds) {
        requests.push(Request {
            module: &module,
            kind,
            name: target_name,
            body: body.clone(),
        });
    }
    let outcomes = driver::run(&binary, &requests)?;
    for (((name, _, body, ty, line), outcome), kind) in planned.iter().zip(outcomes).zip(&kinds) {
        lines[*line] = Some(verdict(api, kind, ty, name, body, outcome));
    }

    let (mut ok, mut lossy, mut failed) = (0, 0, 0);
    for line in lines.into_iter().flatten() {
        match line.split_whitespace().next() {
            Some("ok") => ok += 1,
            Some("lossy") => lossy += 1,
            _ => failed += 1,
        }
        println!("{line}");
    }
    println!("{ok} ok, {lossy} lossy, {failed} failed");
    if lossy + failed == 0 {
        Ok(())
    } else {
        Err(format!(
            "{} of {} bodies are not read as sent",
            lossy + failed,
            ok + lossy + failed
        ))
    }
}

/// Checks the bodies of `tests/fixtures/conformance/<document stem>/` against each official
/// document of that name in `../shared/specs` (for CI): real bodies with properties the
/// documents do not list, keys sent twice and required fields left out must all be `ok`.
pub fn fixtures() -> Result<(), String> {
    let specs = crate::official::specs_dir()?;
    let dir = root().join("tests/fixtures/conformance");
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut folders: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    if folders.is_empty() {
        return Err(format!("no fixture folders in {}", dir.display()));
    }
    for folder in folders {
        let spec = specs.join(format!("{}.json", file_name(&folder)));
        println!(
            "==> conformance of {} against {}",
            folder.display(),
            spec.display()
        );
        run(&Args {
            spec,
            payloads: folder,
            profile: None,
        })?;
    }
    Ok(())
}

/// Webex documents get the Webex profile; anything else Zoom's.
fn guess_profile(spec: &Path) -> Profile {
    let name = spec.to_string_lossy().to_lowercase();
    if name.contains("webex") {
        Profile::Webex
    } else {
        Profile::Zoom
    }
}

/// The `.json` files directly in `dir`, sorted by name.
fn payload_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no .json files in {}", dir.display()));
    }
    Ok(files)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What a file's name says it is the body of: a webhook event, or an operation's response for
/// a status (the first success response with a JSON body when the name gives none).
pub fn body_target(api: &Api, file_name: &str) -> Result<(TargetKind, String, TypeRef), String> {
    let stem = file_name.strip_suffix(".json").unwrap_or(file_name);
    let mut parts = stem.split("__");
    let head = parts.next().unwrap_or_default();
    let status = parts.next().filter(|s| zoomgen::load::is_status_key(s));
    if let Some(hook) = api.webhooks.iter().find(|w| w.event == head) {
        return Ok((TargetKind::Event, hook.event.clone(), hook.ty.clone()));
    }
    let Some(op) = find_operation(api, head) else {
        return Err(format!(
            "no operation or webhook event {head:?} in the document (name files `<operationId>[__<status>][__anything].json` or `<event>[__anything].json`)"
        ));
    };
    let json_responses = op
        .responses
        .iter()
        .filter(|r| r.body.as_ref().is_some_and(|b| b.kind == BodyKind::Json));
    let response = match status {
        None => json_responses
            .clone()
            .find(|r| r.is_success())
            .ok_or_else(|| {
                format!(
                    "{} has no success response with a JSON body",
                    op.operation_id
                )
            })?,
        Some(status) => {
            let documented = json_responses
                .clone()
                .find(|r| r.status == status)
                .or_else(|| {
                    // `404` is covered by a `4XX` range, then by `default`.
                    json_responses.clone().find(|r| {
                        r.status.len() == 3
                            && r.status.ends_with("XX")
                            && status.starts_with(&r.status[..1])
                    })
                })
                .or_else(|| json_responses.clone().find(|r| r.status == "default"));
            match documented {
                Some(response) => response,
                // Zoom answers `{code, message[, errors]}` on errors its documents give no
                // body for (`meetingCreate`'s 404): checked against the shape the runtime
                // reads errors in.
                None if status.starts_with(['4', '5']) => {
                    return Ok((
                        TargetKind::Error {
                            status: status.to_owned(),
                        },
                        op.operation_id.clone(),
                        TypeRef::Any,
                    ));
                }
                None => {
                    return Err(format!(
                        "{} has no response {status} with a JSON body",
                        op.operation_id
                    ));
                }
            }
        }
    };
    let ty = response
        .body
        .as_ref()
        .map(|body| body.ty.clone())
        .ok_or_else(|| format!("{} {} has no body", op.operation_id, response.status))?;
    Ok((
        TargetKind::Response {
            status: response.status.clone(),
        },
        op.operation_id.clone(),
        ty,
    ))
}

/// The operation of that operationId; file names cannot hold `/`, so one whose snake_case name
/// is the same also matches (`Assigndevicetoauser_commonarea`).
fn find_operation<'a>(api: &'a Api, name: &str) -> Option<&'a Operation> {
    api.operations
        .iter()
        .find(|op| op.operation_id == name)
        .or_else(|| {
            let wanted = zoomgen::names::snake(name);
            api.operations
                .iter()
                .find(|op| zoomgen::names::snake(&op.operation_id) == wanted)
        })
}

/// The line of one file: `ok` names the properties the document does not list (kept by the
/// client, but a sign the document is behind the API).
fn verdict(
    api: &Api,
    kind: &TargetKind,
    ty: &TypeRef,
    name: &str,
    body: &str,
    outcome: Outcome,
) -> String {
    let original = serde_json::from_str::<Value>(body);
    match (outcome, original) {
        (None, _) => format!("failed  {name}: the generated client has no type for this body"),
        // The client's error keeps such a body as raw text (`ApiError::body`).
        (Some(Ok(_)), Err(e)) if matches!(kind, TargetKind::Error { .. }) => {
            format!("ok      {name} (not JSON, kept by the error as its raw text: {e})")
        }
        (_, Err(e)) => format!("failed  {name}: not JSON: {e}"),
        (Some(Err(error)), Ok(_)) => format!("failed  {name}: {error}"),
        (Some(Ok(reencoded)), Ok(original)) => match json_equivalent(&original, &reencoded) {
            Ok(()) => match undocumented(api, ty, &original).as_slice() {
                [] => format!("ok      {name}"),
                paths => format!("ok      {name} (undocumented: {})", paths.join(", ")),
            },
            Err(differences) => format!("lossy   {name}: {}", differences.join("; ")),
        },
    }
}
