//! A recursive schema becomes a type that holds itself behind a `Box`, so it has a finite size;
//! through a `Vec` or a map it needs none.

use std::path::PathBuf;

use zoomgen::{ApiInput, CrateSpec, Profile, RuntimeDependency};

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

#[test]
fn a_recursive_schema_generates_a_boxed_field() {
    let spec = CrateSpec {
        name: "tree-client".into(),
        description: "Recursive schema.".into(),
        runtime: RuntimeDependency::Path("../runtime".into()),
        standalone: true,
        regenerate_command: "test".into(),
    };
    let input = ApiInput {
        spec: PathBuf::from("tree.json"),
        module: "tree".into(),
        profile: Profile::Zoom,
    };
    let generated =
        zoomgen::generate_text(&spec, &input, DOCUMENT).expect("the document generates");
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
