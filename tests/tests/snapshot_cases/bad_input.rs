//! Bad input: documents that cannot be generated give an error naming the file and the
//! JSON pointer and leave an existing output directory untouched (library and CLI).

use super::*;

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

/// The workspace of [`workspace_with_output`] with the bad document written into `input/`
/// beside `out/`: the folder, the document's path, `out/` and what `out/` holds before.
fn workspace_with_input(
    bad: &BadDocument,
) -> (
    tempfile::TempDir,
    PathBuf,
    PathBuf,
    BTreeMap<PathBuf, Vec<u8>>,
) {
    let (temp, out) = workspace_with_output();
    let dir = temp.path().join("input");
    fs::create_dir_all(&dir).unwrap();
    let spec = dir.join(bad.file);
    fs::write(&spec, bad.text).unwrap();
    let before = tree(&out);
    (temp, spec, out, before)
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
    let mut settings = Settings::new(Package::new("bad-client").with_description("Never written."))
        .with_api(ApiInput::new(spec.to_owned(), "api", Profile::Zoom));
    settings.runtime = RuntimeDependency::version("0.1");
    let generated = zoomgen::generate(&settings)?;
    zoomgen::output::write_crate(out, &generated.files)
}

#[test]
fn bad_documents_are_reported_with_file_and_pointer() {
    for bad in BAD_DOCUMENTS {
        let (temp, spec, out, before) = workspace_with_input(bad);

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
        let (temp, spec, out, before) = workspace_with_input(bad);

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
    // `plain-object-client`: its module is the stem without its first word.
    assert!(written.contains_key(Path::new("src/object/types.rs")));
    assert_eq!(entries(temp.path()), ["out"]);
}
