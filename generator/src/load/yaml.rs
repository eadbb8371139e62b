//! YAML documents into `serde_json::Value`, numbers read as the JSON reader reads them.
//!
//! Real documents write rounded 64-bit bounds as plain integers (OpenAI's `minimum:
//! -9223372036854776000`, DigitalOcean's `maximum: 18446744073709552000`). The YAML reader
//! hands such a value over as a 128-bit integer, which `serde_json::Value` refuses ("number
//! out of range"); the JSON reader takes the same text as the nearest `f64`. This visitor
//! builds the value itself and does the same.

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses YAML `text` into a JSON value.
pub fn from_str(text: &str) -> Result<Value, serde_norway::Error> {
    serde_norway::from_str::<JsonValue>(text).map(|value| value.0)
}

struct JsonValue(Value);

impl<'de> Deserialize<'de> for JsonValue {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(JsonValue)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value that JSON can hold")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    // Beyond 64 bits: the nearest `f64`, as `serde_json` reads `18446744073709552000`.
    #[allow(clippy::cast_precision_loss)]
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        self.visit_f64(v as f64)
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        self.visit_f64(v as f64)
    }

    // `NaN` and the infinities (`.nan`, `.inf` in YAML) are `null`, as in `serde_json::Value`.
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        JsonValue::deserialize(deserializer).map(|value| value.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(JsonValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some((key, JsonValue(value))) = map.next_entry::<String, JsonValue>()? {
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_beyond_64_bits_read_as_the_json_reader_reads_them() {
        let yaml = "seed:\n  minimum: -9223372036854776000\n  maximum: 18446744073709552000\n";
        let json =
            r#"{"seed": {"minimum": -9223372036854776000, "maximum": 18446744073709552000}}"#;
        let expected: Value = serde_json::from_str(json).unwrap();
        assert_eq!(from_str(yaml).unwrap(), expected);
    }

    #[test]
    fn values_read_as_serde_json_value_reads_them() {
        let yaml = "a: [1, -2, 2.5, true, ~, x]\n200: {b: ''}\nc: .nan\n";
        let expected = serde_json::json!({
            "a": [1, -2, 2.5, true, null, "x"], "200": {"b": ""}, "c": null
        });
        assert_eq!(from_str(yaml).unwrap(), expected);
        assert_eq!(
            from_str(yaml).unwrap(),
            serde_norway::from_str::<Value>(yaml).unwrap()
        );
    }
}
