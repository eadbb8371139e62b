//! Wire-format helpers that generated models call: lenient scalars, open-enum keys and
//! dates that keep the text the server sent.
//!
//! Zoom's live API does not always send what its documents say: numbers arrive as strings
//! (`"file_size": "7220"`), digit-string enums arrive as integers (`"type": 2`), and dates of
//! recordings still processing arrive as `""`. These helpers accept all of those without
//! failing and re-serialize in the form the document specifies.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A JSON scalar that a lenient number field accepted: a number or a string holding one.
struct LenientNumber<T>(Option<T>);

/// Parses the text of a number the way a lenient field accepts it (surrounding spaces allowed).
trait FromNumberText: Sized + Copy {
    fn from_text(text: &str) -> Option<Self>;
    fn from_i64(v: i64) -> Option<Self>;
    fn from_u64(v: u64) -> Option<Self>;
    fn from_f64(v: f64) -> Option<Self>;
    const EXPECTED: &'static str;
}

impl FromNumberText for i64 {
    fn from_text(text: &str) -> Option<Self> {
        let text = text.trim();
        text.parse::<i64>()
            .ok()
            .or_else(|| text.parse::<f64>().ok().and_then(Self::from_f64))
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(v)
    }
    fn from_u64(v: u64) -> Option<Self> {
        i64::try_from(v).ok()
    }
    fn from_f64(v: f64) -> Option<Self> {
        // Only integral values in range: 3.0 is accepted, 3.5 is not an integer.
        (v.fract() == 0.0 && v >= i64::MIN as f64 && v <= i64::MAX as f64).then_some(v as i64)
    }
    const EXPECTED: &'static str = "an integer or a string holding an integer";
}

impl FromNumberText for f64 {
    fn from_text(text: &str) -> Option<Self> {
        text.trim().parse::<f64>().ok().filter(|v| v.is_finite())
    }
    fn from_i64(v: i64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_u64(v: u64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v)
    }
    const EXPECTED: &'static str = "a number or a string holding a number";
}

impl<'de, T: FromNumberText> Deserialize<'de> for LenientNumber<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor<T>(std::marker::PhantomData<T>);

        impl<T: FromNumberText> NumberVisitor<T> {
            fn number<E: de::Error>(
                value: Option<T>,
                unexpected: de::Unexpected,
            ) -> Result<LenientNumber<T>, E> {
                value
                    .map(|v| LenientNumber(Some(v)))
                    .ok_or_else(|| E::invalid_value(unexpected, &T::EXPECTED))
            }
        }

        impl<'de, T: FromNumberText> Visitor<'de> for NumberVisitor<T> {
            type Value = LenientNumber<T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(T::EXPECTED)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Self::number(T::from_i64(v), de::Unexpected::Signed(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Self::number(T::from_u64(v), de::Unexpected::Unsigned(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Self::number(T::from_f64(v), de::Unexpected::Float(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                if v.trim().is_empty() {
                    return Ok(LenientNumber(None));
                }
                Self::number(T::from_text(v), de::Unexpected::Str(v))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LenientNumber(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LenientNumber(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
        }

        deserializer.deserialize_any(NumberVisitor(std::marker::PhantomData))
    }
}

fn required_number<'de, D: Deserializer<'de>, T: FromNumberText>(
    deserializer: D,
) -> Result<T, D::Error> {
    LenientNumber::<T>::deserialize(deserializer)?
        .0
        .ok_or_else(|| de::Error::invalid_value(de::Unexpected::Str(""), &T::EXPECTED))
}

/// `#[serde(with = "lenient_i64")]`: an `i64` that also accepts `"7220"` and `7220.0`.
pub mod lenient_i64 {
    use super::*;

    pub fn serialize<S: Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(*value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        required_number(deserializer)
    }
}

/// `#[serde(with = "lenient_opt_i64")]`: an `Option<i64>`; `null` and `""` are absent.
pub mod lenient_opt_i64 {
    use super::*;

    pub fn serialize<S: Serializer>(value: &Option<i64>, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<i64>, D::Error> {
        Ok(LenientNumber::<i64>::deserialize(deserializer)?.0)
    }
}

/// `#[serde(with = "lenient_f64")]`: an `f64` that also accepts a string holding a number.
pub mod lenient_f64 {
    use super::*;

    pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_number(*value, serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        required_number(deserializer)
    }
}

/// `#[serde(with = "lenient_opt_f64")]`: an `Option<f64>`; `null` and `""` are absent.
pub mod lenient_opt_f64 {
    use super::*;

    pub fn serialize<S: Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serialize_number(*value, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<f64>, D::Error> {
        Ok(LenientNumber::<f64>::deserialize(deserializer)?.0)
    }
}

/// `#[serde(deserialize_with = "empty_as_none")]` for optional dates and enums: `""` and `null`
/// are absent (Zoom sends `"recording_end": ""` and `"file_type": ""` for recordings still
/// processing); anything else decodes as `T`.
pub fn empty_as_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    match Option::<serde_json::Value>::deserialize(deserializer)? {
        None => Ok(None),
        Some(serde_json::Value::String(text)) if text.is_empty() => Ok(None),
        Some(value) => T::deserialize(value).map(Some).map_err(de::Error::custom),
    }
}

/// Writes a number the way the document's `type: number` reads it back: integral values as
/// integers (`7220`, not `7220.0`), so a decoded body re-encodes as it arrived.
fn serialize_number<S: Serializer>(value: f64, serializer: S) -> Result<S::Ok, S::Error> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: integers below it are exact in f64
    if value.fract() == 0.0 && value.abs() < EXACT {
        serializer.serialize_i64(value as i64)
    } else {
        serializer.serialize_f64(value)
    }
}

/// The key an open enum matches a wire value against: strings as they are and integers in
/// decimal, so a digit-string enum matches both `"2"` and `2`.
pub fn enum_key(value: &serde_json::Value) -> Option<Cow<'_, str>> {
    match value {
        serde_json::Value::String(s) => Some(Cow::Borrowed(s)),
        serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => Some(Cow::Owned(n.to_string())),
        _ => None,
    }
}

/// The integer an integer enum matches a wire value against: integers, and strings holding one.
pub fn enum_int(value: &serde_json::Value) -> Option<i64> {
    match value {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Writes a raw enum value for a query string or `Display`: strings without quotes.
pub fn fmt_raw(value: &serde_json::Value, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match value {
        serde_json::Value::String(s) => f.write_str(s),
        other => write!(f, "{other}"),
    }
}

macro_rules! raw_text_type {
    ($(#[$doc:meta])* $name:ident, $parsed:ty, $parse:expr, $format:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The text exactly as the server sent it.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The parsed value, or `None` when the text is not in the documented format.
            pub fn parse(&self) -> Option<$parsed> {
                let parse: fn(&str) -> Option<$parsed> = $parse;
                parse(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                Self(text)
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                Self(text.to_owned())
            }
        }

        impl From<$parsed> for $name {
            fn from(value: $parsed) -> Self {
                let format: fn(&$parsed) -> String = $format;
                Self(format(&value))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }
    };
}

raw_text_type!(
    /// A `format: date-time` value. Keeps the server's text so that re-encoding is lossless
    /// even when the text is not RFC 3339; [`DateTime::parse`] gives the instant in UTC.
    DateTime,
    chrono::DateTime<chrono::Utc>,
    |text| {
        chrono::DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc))
    },
    |value| value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
);

raw_text_type!(
    /// A `format: date` value (`yyyy-mm-dd`). Keeps the server's text; [`Date::parse`] gives
    /// the calendar date.
    Date,
    chrono::NaiveDate,
    |text| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
    |value| value.format("%Y-%m-%d").to_string()
);

/// Encodes a body as `application/x-www-form-urlencoded`: each top-level field is a pair;
/// strings go as they are, other values as their JSON text; absent and `null` fields are left out.
pub fn form_urlencoded<T: Serialize + ?Sized>(body: &T) -> Result<String, serde_json::Error> {
    let value = serde_json::to_value(body)?;
    let serde_json::Value::Object(fields) = value else {
        return Err(serde::ser::Error::custom("a form body must be an object"));
    };
    let mut out = String::new();
    for (name, value) in fields {
        let text = match value {
            serde_json::Value::Null => continue,
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        if !out.is_empty() {
            out.push('&');
        }
        form_escape(&name, &mut out);
        out.push('=');
        form_escape(&text, &mut out);
    }
    Ok(out)
}

fn form_escape(text: &str, out: &mut String) {
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Deserialize, Serialize, Debug, PartialEq)]
    struct Sample {
        #[serde(with = "lenient_i64")]
        id: i64,
        #[serde(
            default,
            with = "lenient_opt_f64",
            skip_serializing_if = "Option::is_none"
        )]
        size: Option<f64>,
        #[serde(
            default,
            deserialize_with = "empty_as_none",
            skip_serializing_if = "Option::is_none"
        )]
        end: Option<DateTime>,
    }

    #[test]
    fn numbers_as_strings_and_empty_dates_are_accepted() {
        let sample: Sample =
            serde_json::from_value(json!({"id": "85746065432", "size": "7220", "end": ""}))
                .unwrap();
        assert_eq!(
            sample,
            Sample {
                id: 85_746_065_432,
                size: Some(7220.0),
                end: None
            }
        );
        assert_eq!(
            serde_json::to_value(&sample).unwrap(),
            json!({"id": 85_746_065_432_i64, "size": 7220})
        );
    }

    #[test]
    fn fractional_integers_and_words_are_rejected() {
        let err = serde_json::from_value::<Sample>(json!({"id": 2.5})).unwrap_err();
        assert!(err.to_string().contains("an integer"), "{err}");
        assert!(serde_json::from_value::<Sample>(json!({"id": "abc"})).is_err());
    }

    #[test]
    fn enum_keys_match_digits_in_either_form() {
        assert_eq!(enum_key(&json!(2)).as_deref(), Some("2"));
        assert_eq!(enum_key(&json!("2")).as_deref(), Some("2"));
        assert_eq!(enum_key(&json!(true)), None);
        assert_eq!(enum_int(&json!("7")), Some(7));
    }

    #[test]
    fn forms_encode_top_level_fields() {
        let form = form_urlencoded(&json!({"name": "a b&c", "count": 3, "skip": null})).unwrap();
        assert_eq!(form, "name=a+b%26c&count=3");
        assert!(form_urlencoded(&json!([1])).is_err());
    }

    #[test]
    fn dates_keep_their_text_and_parse_on_demand() {
        let t = DateTime::from("2019-08-29T21:54:55Z");
        assert_eq!(t.parse().unwrap().timestamp(), 1_567_115_695);
        assert_eq!(
            DateTime::from(t.parse().unwrap()).as_str(),
            "2019-08-29T21:54:55Z"
        );
        assert_eq!(DateTime::from("not a date").parse(), None);
        assert_eq!(
            Date::from("2024-02-29").parse().unwrap().to_string(),
            "2024-02-29"
        );
    }
}
