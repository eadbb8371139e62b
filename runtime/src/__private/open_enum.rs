//! Open enums: every listed value is a variant, and any other value the server sends is kept
//! in `Unknown` and written back unchanged. The machinery lives here once; a generated enum is
//! its variants and one `open_enum!` table of wire texts.

use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use crate::wire::UnknownValue;

/// How a generated enum's listed values look on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repr {
    /// JSON strings.
    Text,
    /// Digit strings (`"2"`) that the live API also sends as integers (`2`); written as strings.
    Digits,
    /// JSON integers; strings holding one are read too.
    Integer,
}

/// What `open_enum!` implements for a generated enum.
pub trait OpenEnum: Sized {
    const REPR: Repr;

    /// The listed variant whose wire text is `text`.
    fn known(text: &str) -> Option<Self>;

    /// The wire text of a listed variant; `None` for `Unknown`.
    fn known_text(&self) -> Option<&'static str>;

    /// `Unknown(raw)`.
    fn unknown(raw: Value) -> Self;

    /// The value of `Unknown`.
    fn raw(&self) -> Option<&UnknownValue>;
}

/// The listed variant of integer `n`, or `Unknown(n)`.
fn from_integer<T: OpenEnum>(n: Value, text: String) -> T {
    T::known(&text).unwrap_or_else(|| T::unknown(n))
}

struct EnumVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: OpenEnum> Visitor<'de> for EnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(parse(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Ok(match T::REPR {
            Repr::Text => T::unknown(Value::from(v)),
            Repr::Digits | Repr::Integer => from_integer(Value::from(v), v.to_string()),
        })
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Ok(match T::REPR {
            Repr::Text => T::unknown(Value::from(v)),
            Repr::Digits | Repr::Integer => from_integer(Value::from(v), v.to_string()),
        })
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Ok(T::unknown(Value::from(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        Ok(T::unknown(Value::Bool(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::unknown(Value::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        Ok(T::unknown(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(T::unknown)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(T::unknown)
    }
}

/// `Deserialize` of an open enum: never fails on a value that is valid JSON.
pub fn deserialize_enum<'de, T: OpenEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_any(EnumVisitor(std::marker::PhantomData))
}

/// `Serialize` of an open enum: a listed value as the document writes it, an unknown one as
/// it arrived.
pub fn serialize_enum<T: OpenEnum, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match (value.known_text(), value.raw()) {
        (Some(text), _) if T::REPR == Repr::Integer => match text.parse::<i64>() {
            Ok(n) => serializer.serialize_i64(n),
            Err(_) => Err(serde::ser::Error::custom(format!(
                "the integer enum value {text:?} is not an integer"
            ))),
        },
        (Some(text), _) => serializer.serialize_str(text),
        (None, Some(raw)) => raw.value().serialize(serializer),
        (None, None) => serializer.serialize_unit(),
    }
}

/// `Display` of an open enum: the wire text, strings without quotes.
pub fn display_enum<T: OpenEnum>(value: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(enum_text(value))
}

/// The variant a text names (`FromStr`, `From<&str>`): a listed one, or `Unknown` with the
/// text (an integer enum's unknown integer as a JSON number).
pub fn parse<T: OpenEnum>(text: &str) -> T {
    if T::REPR == Repr::Integer
        && let Ok(n) = text.trim().parse::<i64>()
    {
        return from_integer(Value::from(n), n.to_string());
    }
    T::known(text).unwrap_or_else(|| T::unknown(Value::String(text.to_owned())))
}

/// `as_str` of an open enum: the wire text of a listed value, or an unknown value's text.
pub fn enum_text<T: OpenEnum>(value: &T) -> &str {
    match (value.known_text(), value.raw()) {
        (Some(text), _) => text,
        (None, Some(raw)) => raw.as_str(),
        // Every variant is listed or unknown.
        (None, None) => "",
    }
}

/// A generated open enum, from the wire text of each listed variant:
///
/// ```ignore
/// open_enum! {
///     /// A recording file's type.
///     #[derive(Debug, Clone, PartialEq, Eq, Hash)]
///     pub enum FileType: Text {
///         Mp4 = "MP4",
///         /// Audio only.
///         M4a = "M4A",
///     }
/// }
/// ```
///
/// Each variant's docs start with its wire value; the macro adds `Unknown(wire::UnknownValue)`
/// for the values the document does not list, and `as_str`, `Display`, `FromStr`, `From<&str>`,
/// `Serialize` and `Deserialize`. The representation is `Text`, `Integer` or `Digits` (digit
/// strings that also arrive as integers).
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum {
    (
        $(#[$attr:meta])*
        pub enum $name:ident : $repr:ident {
            $($(#[$variant_attr:meta])* $variant:ident = $text:literal),* $(,)?
        }
    ) => {
        $(#[$attr])*
        #[doc = ""]
        #[doc = $crate::__open_enum!(@repr $repr)]
        pub enum $name {
            $(
                #[doc = $crate::__open_enum!(@wire $repr $text)]
                #[doc = ""]
                $(#[$variant_attr])*
                $variant,
            )*
            /// A value the document does not list, kept exactly as the server sent it.
            Unknown($crate::wire::UnknownValue),
        }

        impl $crate::__private::OpenEnum for $name {
            const REPR: $crate::__private::Repr = $crate::__private::Repr::$repr;

            fn known(text: &str) -> ::core::option::Option<Self> {
                match text {
                    $($text => ::core::option::Option::Some(Self::$variant),)*
                    _ => ::core::option::Option::None,
                }
            }

            fn known_text(&self) -> ::core::option::Option<&'static str> {
                match self {
                    $(Self::$variant => ::core::option::Option::Some($text),)*
                    Self::Unknown(_) => ::core::option::Option::None,
                }
            }

            fn unknown(raw: $crate::serde_json::Value) -> Self {
                Self::Unknown(raw.into())
            }

            fn raw(&self) -> ::core::option::Option<&$crate::wire::UnknownValue> {
                match self {
                    Self::Unknown(raw) => ::core::option::Option::Some(raw),
                    _ => ::core::option::Option::None,
                }
            }
        }

        impl $name {
            /// The value as the wire writes it: a listed value's text, an unknown string, or
            /// the JSON text of an unknown value of another kind (`7`).
            pub fn as_str(&self) -> &str {
                $crate::__private::enum_text(self)
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::__private::serialize_enum(self, serializer)
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::deserialize_enum(deserializer)
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                $crate::__private::display_enum(self, f)
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;

            fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok($crate::__private::parse_enum(text))
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(text: &str) -> Self {
                $crate::__private::parse_enum(text)
            }
        }
    };
    // A text is shown as its literal, so a control or text-direction character in it is
    // visible as an escape; numbers are shown as they are sent.
    (@wire Text $text:literal) => { ::core::concat!("`", ::core::stringify!($text), "`") };
    (@wire $repr:ident $text:literal) => { ::core::concat!("`", $text, "`") };
    (@repr Text) => { "Encoded as a JSON string." };
    (@repr Integer) => { "Encoded as a JSON integer." };
    (@repr Digits) => {
        "Digit strings: decodes from `\"2\"` and from `2`, encodes as the document says (a string)."
    };
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    crate::__open_enum! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum Kind: Digits { Scheduled = "2", Recurring = "3" }
    }

    crate::__open_enum! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum Code: Integer { Ok = "200" }
    }

    crate::__open_enum! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum FileType: Text {
            /// A video.
            Mp4 = "MP4",
        }
    }

    fn decode<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn digit_enums_read_strings_and_integers_and_write_strings() {
        assert_eq!(decode::<Kind>(json!("2")), Kind::Scheduled);
        assert_eq!(decode::<Kind>(json!(3)), Kind::Recurring);
        assert_eq!(serde_json::to_value(Kind::Scheduled).unwrap(), json!("2"));
        assert_eq!(Kind::Recurring.as_str(), "3");
        assert_eq!(decode::<Kind>(json!(9)), Kind::Unknown(json!(9).into()));
        assert_eq!(decode::<Kind>(json!(9)).as_str(), "9");
        assert_eq!(
            serde_json::to_value(decode::<Kind>(json!(9))).unwrap(),
            json!(9)
        );
    }

    #[test]
    fn unknown_values_of_any_shape_are_kept() {
        for raw in [
            json!("M4A"),
            json!(7),
            json!(1.5),
            json!(true),
            json!({"a": [1]}),
            json!([1]),
        ] {
            let decoded = decode::<FileType>(raw.clone());
            assert_eq!(decoded, FileType::Unknown(raw.clone().into()));
            assert_eq!(serde_json::to_value(&decoded).unwrap(), raw);
        }
        let decoded: FileType = serde_json::from_str(r#"{"x": {"y": 1}}"#).unwrap();
        assert_eq!(decoded, FileType::Unknown(json!({"x": {"y": 1}}).into()));
        assert_eq!(decoded.as_str(), r#"{"x":{"y":1}}"#);
    }

    #[test]
    fn integer_enums_read_strings_holding_integers() {
        assert_eq!(decode::<Code>(json!("200")), Code::Ok);
        assert_eq!(serde_json::to_value(Code::Ok).unwrap(), json!(200));
        assert_eq!(
            (Code::Ok.as_str(), Code::Ok.to_string()),
            ("200", "200".to_owned())
        );
        assert_eq!("404".parse::<Code>(), Ok(Code::Unknown(json!(404).into())));
    }

    #[test]
    fn text_display_and_parse_agree() {
        assert_eq!(FileType::Mp4.as_str(), "MP4");
        assert_eq!(FileType::Mp4.to_string(), "MP4");
        assert_eq!(FileType::from("MP4"), FileType::Mp4);
        let other = FileType::from("CHAT");
        assert_eq!(
            (other.as_str(), other.to_string()),
            ("CHAT", "CHAT".to_owned())
        );
        let seven = FileType::Unknown(json!(7).into());
        assert_eq!((seven.as_str(), seven.to_string()), ("7", "7".to_owned()));
        let set: std::collections::HashSet<FileType> = [FileType::Mp4, other].into();
        assert!(set.contains(&FileType::Mp4));
    }
}
