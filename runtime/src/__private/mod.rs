//! What generated code calls and users do not: object and open-enum decoding, lenient
//! numbers, untagged unions, validation and conformance round trips. Hidden from the docs and
//! not covered by semver: only the generated crates of the same runtime version use it.

mod builder_methods;
pub mod conformance;
pub mod decode;
mod number;
mod object;
mod open_enum;
pub mod untagged;
pub mod validate;

pub use number::{FromNumberText, Lenient, LenientField};
pub use object::{
    EmptyAsNone, Key, Slot, TextOrNumber, note_undocumented, optional, present, required,
};
pub use open_enum::{
    OpenEnum, Repr, deserialize_enum, display_enum, enum_text, parse as parse_enum, serialize_enum,
};

/// The most the state every call allocates may take (the call's state budget in `client`),
/// for the benchmark that shows it.
pub use crate::client::CALL_STATE_BUDGET;
pub use crate::{
    __builder_methods as builder_methods, __object as object, __open_enum as open_enum,
    __operation as operation, __paged as paged, __roundtrips as roundtrips,
};

/// The `event` field of a webhook body (`recording.completed`), read without decoding the rest,
/// so generated `Event::from_slice` can pick the payload type before decoding it.
pub fn event_name(body: &[u8]) -> Result<Option<String>, crate::Error> {
    #[derive(serde::Deserialize)]
    struct EventName {
        #[serde(default)]
        event: Option<String>,
    }
    crate::decode_json::<EventName>("webhook", body).map(|head| head.event)
}

/// Encodes a body as `application/x-www-form-urlencoded`: each top-level field is a pair;
/// strings go as they are, other values as their JSON text; absent and `null` fields are left out.
pub fn form_urlencoded<T: serde::Serialize + ?Sized>(
    body: &T,
) -> Result<String, serde_json::Error> {
    let serde_json::Value::Object(fields) = serde_json::to_value(body)? else {
        return Err(serde::ser::Error::custom("a form body must be an object"));
    };
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in fields {
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::String(text) => {
                form.append_pair(&name, &text);
            }
            other => {
                form.append_pair(&name, &other.to_string());
            }
        }
    }
    Ok(form.finish())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn forms_encode_top_level_fields() {
        let form =
            super::form_urlencoded(&json!({"name": "a b&c*~", "count": 3, "skip": null})).unwrap();
        assert_eq!(form, "name=a+b%26c*%7E&count=3");
        assert!(super::form_urlencoded(&json!([1])).is_err());
    }
}
