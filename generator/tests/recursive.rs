//! A recursive schema becomes a type that holds itself behind a `Box`, so it has a finite size;
//! through a `Vec` or a map it needs none. A chain of references too deep to be a real document
//! is refused with a located error instead of overflowing the stack.

use std::path::PathBuf;

use zoomgen::{ApiInput, Package, Profile, RuntimeDependency, Settings};

const DOCUMENT: &str = r##"{
  "openapi": "3.0.3",
  "info": {"title": "Tree", "version": "1"},
  "paths": {
    "/nodes/{id}": {
      "get": {
        "operationId": "getNode",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "A node", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}}
      }
    }
  },
  "components": {
    "schemas": {
      "Node": {
        "type": "object",
        "required": ["name"],
        "properties": {
          "name": {"type": "string"},
          "child": {"$ref": "#/components/schemas/Node"},
          "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
        }
      }
    }
  }
}"##;

/// The settings of a crate of one test document named `<module>.json`.
fn settings_of(module: &str) -> Settings {
    let mut settings = Settings::new(
        Package::new(format!("{module}-client")).with_description("A test document."),
    )
    .with_api(ApiInput::new(
        PathBuf::from(format!("{module}.json")),
        module,
        Profile::Zoom,
    ));
    settings.runtime = RuntimeDependency::path("../runtime");
    settings.regenerate_command = "test".to_owned();
    settings
}

#[test]
fn a_recursive_schema_generates_a_boxed_field() {
    let settings = settings_of("tree");
    let generated = zoomgen::generate_text(&settings, DOCUMENT).expect("the document generates");
    let types = generated
        .files
        .iter()
        .find(|f| f.path.ends_with("tree/types.rs"))
        .expect("a types module");
    let code: String = types.contents.split_whitespace().collect();
    assert!(
        code.contains("pubchild:Option<Box<Node>>"),
        "expected `child` boxed:\n{}",
        types.contents
    );
    assert!(
        code.contains("pubchildren:Option<Vec<Node>>"),
        "expected `children` as a plain Vec:\n{}",
        types.contents
    );
}

/// A document whose schema `S0` has a property referring to `S1`, and so on to `S{len}`.
fn ref_chain(len: usize) -> String {
    let mut schemas = serde_json::Map::new();
    for i in 0..len {
        schemas.insert(
            format!("S{i}"),
            serde_json::json!({
                "type": "object",
                "properties": {"next": {"$ref": format!("#/components/schemas/S{}", i + 1)}},
            }),
        );
    }
    schemas.insert(format!("S{len}"), serde_json::json!({"type": "string"}));
    serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Chain", "version": "1"},
        "paths": {"/c": {"get": {"operationId": "getChain", "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}},
        }}}}},
        "components": {"schemas": schemas},
    })
    .to_string()
}

fn generate_chain(len: usize) -> Result<(), String> {
    let settings = settings_of("chain");
    let text = ref_chain(len);
    // The test harness's 2 MiB thread stack: less than the CLI's 8 MiB main thread.
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            zoomgen::generate_text(&settings, &text)
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .expect("a thread")
        .join()
        .expect("no stack overflow or panic")
}

#[test]
fn a_reference_chain_within_the_depth_limit_generates() {
    // Each link is two levels: the property and the schema it refers to.
    generate_chain(60).expect("a 60-schema chain generates");
}

#[test]
fn a_reference_chain_of_5000_is_refused_with_its_location() {
    let error = generate_chain(5000).expect_err("too deep");
    assert!(
        error.contains("schema nesting deeper than 128 levels"),
        "{error}"
    );
    assert!(
        error.contains("chain.json#/components/schemas/S"),
        "{error}"
    );
}
