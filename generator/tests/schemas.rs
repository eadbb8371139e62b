//! Schemas at the edges of what a document may say: OpenAPI 3.1's boolean schemas, type names
//! that are not JSON Schema's, schemas nothing can satisfy, and components nothing reaches.

use std::path::PathBuf;

use zoomgen::ir::{Scalar, TypeKind, TypeRef};
use zoomgen::{ApiInput, Prepared, Profile};

/// A YAML document with one `GET /things` answering `response`, and `components`.
fn document(response: &str, components: &str) -> String {
    format!(
        "openapi: 3.1.0
info: {{title: Edges, version: '1'}}
paths:
  /things:
    get:
      operationId: getThings
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {response}
components:
  schemas: {components}
"
    )
}

fn input() -> ApiInput {
    ApiInput::new(PathBuf::from("edges.yaml"), "edges", Profile::None)
}

fn prepare(text: &str) -> Result<Prepared, String> {
    zoomgen::prepare_text(&input(), text).map_err(|e| e.to_string())
}

/// The fields of the struct named `name`, each with its type.
fn fields(prepared: &Prepared, name: &str) -> Vec<(String, TypeRef)> {
    let def = prepared
        .api
        .types
        .iter()
        .find(|def| def.name == name)
        .unwrap_or_else(|| panic!("no type {name}"));
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.ty.clone()))
            .collect(),
        other => panic!("{name} is {other:?}"),
    }
}

#[test]
fn boolean_schemas_mean_what_json_schema_says() {
    let text = document(
        "{$ref: '#/components/schemas/Thing'}",
        "{Thing: {type: object, properties: {
            id: {oneOf: [{type: string}, false]},
            anything: true,
            gone: false}}}",
    );
    let prepared = prepare(&text).unwrap();
    assert_eq!(
        fields(&prepared, "Thing"),
        [
            ("id".to_owned(), TypeRef::Scalar(Scalar::String)),
            ("anything".to_owned(), TypeRef::Any)
        ],
        "`false` matches nothing: no alternative, no field"
    );
    // Where the typed model reads schemas too: the body, and components.
    let prepared = prepare(&document("true", "{Free: true, Never: false}")).unwrap();
    let response = &prepared.api.operations[0].responses[0];
    assert_eq!(
        response.body.as_ref().map(|body| &body.ty),
        Some(&TypeRef::Any)
    );
    assert!(
        prepared
            .repairs
            .iter()
            .any(|r| r.rule == "boolean-schemas" && r.pointer == "/components/schemas/Never"),
        "{:#?}",
        prepared.repairs
    );
    let error = prepare(&document("false", "{}")).unwrap_err();
    assert!(
        error.starts_with(
            "edges.yaml#/paths/~1things/get/responses/200/content/application~1json/schema: \
             the schema `false` accepts no value"
        ),
        "{error}"
    );
}

#[test]
fn vendor_type_names_are_repairs_the_report_lists() {
    let text = document(
        "{$ref: '#/components/schemas/Upload'}",
        "{Upload: {type: object, properties: {
            content: {type: file}, size: {type: long}, ratio: {type: float}}}}",
    );
    let prepared = prepare(&text).unwrap();
    let types: Vec<TypeRef> = fields(&prepared, "Upload")
        .into_iter()
        .map(|(_, ty)| ty)
        .collect();
    assert_eq!(
        types,
        [
            TypeRef::Scalar(Scalar::Binary),
            TypeRef::Scalar(Scalar::Integer { bits: 64 }),
            TypeRef::Scalar(Scalar::Number)
        ]
    );
    let properties = "/components/schemas/Upload/properties";
    for (property, said) in [
        ("content", "\"file\""),
        ("size", "\"long\""),
        ("ratio", "\"float\""),
    ] {
        assert!(
            prepared.repairs.iter().any(|repair| {
                repair.pointer == format!("{properties}/{property}") && repair.detail.contains(said)
            }),
            "{property}: {:#?}",
            prepared.repairs
        );
    }
}

#[test]
fn an_all_of_nothing_can_satisfy_is_an_error() {
    let text = document(
        "{allOf: [{type: string}, {$ref: '#/components/schemas/Count'}]}",
        "{Count: {type: integer}}",
    );
    let error = prepare(&text).unwrap_err();
    assert!(
        error.starts_with(
            "edges.yaml#/components/schemas/Count/type: allOf of `string` and `integer`"
        ),
        "{error}"
    );
    // An integer is a number: that allOf is satisfiable.
    let text = document(
        "{allOf: [{type: number}, {type: integer, minimum: 1}]}",
        "{}",
    );
    prepare(&text).unwrap();
}

#[test]
fn a_dangling_reference_in_an_unused_component_is_an_error() {
    let text = document(
        "{type: string}",
        "{Unused: {type: object, properties: {owner: {$ref: '#/components/schemas/Missing'}}}}",
    );
    let error = prepare(&text).unwrap_err();
    assert!(
        error.contains("edges.yaml#/components/schemas/Unused/properties/owner/$ref"),
        "{error}"
    );
}

#[test]
fn every_component_becomes_a_type_when_asked() {
    let text = document(
        "{type: string}",
        "{Unused: {type: object, properties: {name: {type: string}}},
          Plan: {type: string, enum: [basic, pro]}}",
    );
    let used_only = prepare(&text).unwrap();
    let live = zoomgen::passes::generic::reachable(&used_only.api);
    assert!(live.is_empty(), "{live:?}");
    let mut input = input();
    input.all_components = true;
    let all = zoomgen::prepare_text(&input, &text).unwrap();
    let names: Vec<&str> = zoomgen::passes::generic::reachable(&all.api)
        .into_iter()
        .map(|id| all.api.types[id.0].name.as_str())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names.contains(&"Unused") && names.contains(&"Plan"),
        "{names:?}"
    );
}

#[test]
fn derives_a_type_cannot_take_are_skipped_for_every_type_and_refused_for_one() {
    let text = document(
        "{$ref: '#/components/schemas/Meeting'}",
        "{Meeting: {type: object, properties: {topic: {type: string}, file: {$ref: '#/components/schemas/File'}}},
          File: {type: object, properties: {size: {type: number}}}}",
    );
    let mut input = input();
    input.derives.insert("*".into(), vec!["Eq".into()]);
    let prepared = zoomgen::prepare_text(&input, &text).unwrap();
    let derives = |name: &str| {
        prepared
            .api
            .types
            .iter()
            .find(|def| def.name == name)
            .unwrap()
            .derives
            .clone()
    };
    assert!(derives("Meeting").is_empty() && derives("File").is_empty());
    assert_eq!(
        prepared.api.skipped_derives,
        [
            "`Meeting` does not derive `Eq`: its field `file` is `File`, whose field `size` is an f64",
            "`File` does not derive `Eq`: its field `size` is an f64",
        ]
    );
    // Asked of that type alone, it is an error naming the field.
    let mut input = self::input();
    input.derives.insert("File".into(), vec!["Eq".into()]);
    let error = zoomgen::prepare_text(&input, &text)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("`Eq` cannot be derived for `File`: its field `size` is an f64"),
        "{error}"
    );
    // What every field has is derived.
    let text = document(
        "{type: object, properties: {id: {type: integer}, name: {type: string}}}",
        "{}",
    );
    let mut input = self::input();
    input
        .derives
        .insert("*".into(), vec!["Eq".into(), "Hash".into()]);
    let prepared = zoomgen::prepare_text(&input, &text).unwrap();
    let body = &prepared.api.types[0];
    assert_eq!(body.derives, ["Eq", "Hash"]);
    assert!(
        prepared.api.skipped_derives.is_empty(),
        "{:?}",
        prepared.api.skipped_derives
    );
    // No object can be ordered: its `extra` map holds JSON values.
    let mut input = self::input();
    input.derives.insert("*".into(), vec!["Ord".into()]);
    let prepared = zoomgen::prepare_text(&input, &text).unwrap();
    assert!(prepared.api.types[0].derives.is_empty());
    assert!(
        prepared.api.skipped_derives[0]
            .ends_with("its `extra` map of undocumented properties holds JSON values"),
        "{:?}",
        prepared.api.skipped_derives
    );
}
