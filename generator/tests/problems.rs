//! Errors a user can act on: every problem of a document at once, each at the element it is
//! about, as a compiler reports them.

use std::path::PathBuf;

use zoomgen::{ApiInput, Profile};

/// An OpenAPI 3.0 document `doc.yaml` with these `paths` (YAML, indented by two).
fn document(paths: &str) -> String {
    format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}")
}

/// The error refusing the document with these `paths`.
fn prepare(paths: &str) -> String {
    let input = ApiInput::new(PathBuf::from("doc.yaml"), "doc", Profile::Zoom);
    zoomgen::prepare_text(&input, &document(paths))
        .map(|_| ())
        .expect_err("the document is refused")
        .to_string()
}

#[test]
fn every_unrepairable_problem_is_reported_with_its_pointer() {
    let error = prepare(
        r##"  /a:
    get:
      operationId: a
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Missing'}
  /b:
    get:
      operationId: b
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {x: {$ref: '#/components/schemas/AlsoMissing'}}}
"##,
    );
    assert!(error.starts_with("2 problems:"), "{error}");
    assert!(
        error.contains("doc.yaml#/paths/~1a/get/responses/200/content/application~1json/schema/$ref: dangling $ref"),
        "{error}"
    );
    assert!(
        error.contains("doc.yaml#/paths/~1b/get/responses/200/content/application~1json/schema/properties/x/$ref"),
        "{error}"
    );
}

#[test]
fn a_typed_parse_error_points_at_the_element_not_at_paths() {
    let error = prepare(
        r##"  /ok:
    get:
      operationId: ok
      responses:
        '204': {description: none}
  /calendars/{id}:
    patch:
      operationId: bad
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          headers:
            X-Bad: {schema: {type: string}, style: not-a-style}
"##,
    );
    assert!(
        error.starts_with("doc.yaml#/paths/~1calendars~1{id}/patch/responses/200/headers/X-Bad: "),
        "{error}"
    );
}

#[test]
fn a_document_without_servers_says_the_base_url_is_the_callers() {
    let mut settings = zoomgen::Settings::new(zoomgen::Package::new("doc-client")).with_api(
        ApiInput::new(PathBuf::from("doc.yaml"), "doc", Profile::Zoom),
    );
    settings.runtime = zoomgen::RuntimeDependency::path("../runtime");
    let text = document(
        "  /a:\n    get:\n      operationId: a\n      responses:\n        '204': {description: none}\n",
    );
    let generated = zoomgen::generate_text(&settings, &text).unwrap();
    let module = generated
        .files
        .iter()
        .find(|f| f.path.ends_with("doc/mod.rs"))
        .expect("the API module");
    assert!(
        module
            .contents
            .contains("The document names no server, so this is empty"),
        "{}",
        module.contents
    );
}
