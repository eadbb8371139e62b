//! Decoding of generated object types in one pass: each key the document lists goes straight
//! to its field, every other key to the type's `extra` map, and a key sent twice keeps its last
//! value (as JavaScript clients read it). `#[serde(flatten)]` would keep unknown keys too, but
//! it buffers the whole object in an intermediate tree first, which is several times slower.
//!
//! `object!` writes the struct, its `Serialize` and its `Deserialize` from a table of fields,
//! so a generated type states each field once.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// An object key, borrowed from the input when it has no escapes.
pub struct Key<'de>(Cow<'de, str>);

impl<'de> Key<'de> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// What a field's value decodes into before the object is complete, when it is not the
/// field's own type: [`Lenient`](super::Lenient) and [`EmptyAsNone`] wrap the field's type for
/// the fields a profile makes lenient. Each also writes the value back as it arrived.
pub trait Slot {
    type Value;

    fn into_value(self) -> Self::Value;
}

/// An optional date or enum field where `""` and `null` mean absent (a live API may send
/// `"recording_end": ""` and `"file_type": ""` for recordings still processing).
pub struct EmptyAsNone<F>(pub F);

impl<'de, T: DeserializeOwned> Deserialize<'de> for EmptyAsNone<Option<T>> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Option::<serde_json::Value>::deserialize(deserializer)? {
            None => Ok(EmptyAsNone(None)),
            Some(serde_json::Value::String(text)) if text.is_empty() => Ok(EmptyAsNone(None)),
            Some(value) => T::deserialize(value)
                .map(|v| EmptyAsNone(Some(v)))
                .map_err(de::Error::custom),
        }
    }
}

impl<T: Serialize> Serialize for EmptyAsNone<&T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<F> Slot for EmptyAsNone<F> {
    type Value = F;

    fn into_value(self) -> F {
        self.0
    }
}

/// An id field the document types as text that the live API also sends as an integer (a
/// `meeting.started` webhook's `payload.object.id`; the Video SDK's `session_id`): an
/// integer is kept as its digits, and written back as text.
pub struct TextOrNumber<F>(pub F);

/// The text of an id sent as a string or as an integer.
struct IdText(String);

impl<'de> Deserialize<'de> for IdText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;

        impl Visitor<'_> for IdVisitor {
            type Value = IdText;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id: a string or an integer")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<IdText, E> {
                Ok(IdText(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<IdText, E> {
                Ok(IdText(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<IdText, E> {
                Ok(IdText(v.to_string()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<IdText, E> {
                Ok(IdText(v.to_string()))
            }
        }

        deserializer.deserialize_any(IdVisitor)
    }
}

impl<'de> Deserialize<'de> for TextOrNumber<String> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        IdText::deserialize(deserializer).map(|id| TextOrNumber(id.0))
    }
}

impl<'de> Deserialize<'de> for TextOrNumber<Option<String>> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<IdText>::deserialize(deserializer).map(|id| TextOrNumber(id.map(|id| id.0)))
    }
}

impl<T: Serialize> Serialize for TextOrNumber<&T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<F> Slot for TextOrNumber<F> {
    type Value = F;

    fn into_value(self) -> F {
        self.0
    }
}

/// An optional field's value: absent when the key was missing.
pub fn optional<F: Default>(slot: Option<F>) -> F {
    slot.unwrap_or_default()
}

/// A required field's value, or the error naming it.
pub fn required<F, E: de::Error>(slot: Option<F>, wire: &'static str) -> Result<F, E> {
    slot.ok_or_else(|| E::missing_field(wire))
}

/// The value of an optional field to write, if any (absent fields are left out).
pub fn present<T>(field: &Option<T>) -> Option<&T> {
    field.as_ref()
}

thread_local! {
    /// Keys this thread decoded into `extra` maps so far: union decoding compares alternatives
    /// by how much of a body each one knows.
    static UNDOCUMENTED: Cell<usize> = const { Cell::new(0) };
}

/// Counts one key an object type does not list.
pub fn note_undocumented() {
    UNDOCUMENTED.with(|count| count.set(count.get().wrapping_add(1)));
}

/// Keys decoded into `extra` maps on this thread so far (a running count: take differences).
pub(crate) fn undocumented_so_far() -> usize {
    UNDOCUMENTED.with(Cell::get)
}

/// Sets the running count, when a union keeps one alternative's count and not the others'.
pub(crate) fn set_undocumented(count: usize) {
    UNDOCUMENTED.with(|c| c.set(count));
}

/// A generated object type: the struct with a public `extra: Extra` field for the keys it
/// does not list, and its `Serialize` and `Deserialize` impls, from a table of its fields:
///
/// ```ignore
/// object! {
///     /// A meeting.
///     #[derive(Debug, Clone, PartialEq)]
///     pub struct Meeting {
///         /// The meeting's UUID.
///         pub uuid: Option<String> = "uuid",
///         pub id: i64 = required "id" as Lenient,
///         pub start_time: Option<DateTime> = "start_time" as EmptyAsNone,
///         pub settings: Option<Settings> = nullable "settings",
///     }
/// }
/// ```
///
/// A field is `pub name: Type = [required|nullable] "wire" [as Lenient|EmptyAsNone]`. Without a
/// mode the field is an `Option` that is left out when `None`; `required` fields must be in the
/// body; `nullable` ones are `Option`s written as `null` when `None`.
#[doc(hidden)]
#[macro_export]
macro_rules! __object {
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_attr:meta])*
                pub $field:ident : $ty:ty = $($mode:ident)? $wire:literal $(as $slot:ident)?
            ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        pub struct $name {
            $($(#[$field_attr])* pub $field: $ty,)*
            /// Properties the document does not list, as the server sent them; encoding
            /// writes them back.
            pub extra: $crate::Extra,
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<__S: $crate::serde::Serializer>(
                &self,
                serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                use $crate::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::core::option::Option::None)?;
                $($crate::__object_field!(@write map, $wire, &self.$field, [$($mode)?], [$($slot)?]);)*
                for (key, value) in &self.extra {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<__D: $crate::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                struct __ObjectVisitor;

                impl<'de> $crate::serde::de::Visitor<'de> for __ObjectVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(::core::concat!("an object (", ::core::stringify!($name), ")"))
                    }

                    fn visit_map<__A: $crate::serde::de::MapAccess<'de>>(
                        self,
                        mut map: __A,
                    ) -> ::core::result::Result<$name, __A::Error> {
                        $(let mut $field: ::core::option::Option<$crate::__object_field!(@slot $ty, $($slot)?)> = None;)*
                        let mut extra = $crate::Extra::new();
                        while let Some(key) = map.next_key::<$crate::__private::Key<'de>>()? {
                            match key.as_str() {
                                $($wire => $field = Some(map.next_value()?),)*
                                _ => {
                                    let value = map.next_value()?;
                                    $crate::__private::note_undocumented();
                                    extra.insert(key.into_string(), value);
                                }
                            }
                        }
                        Ok($name {
                            $($field: $crate::__object_field!(
                                @take $crate::__object_field!(@unwrap $field, $($slot)?),
                                $wire,
                                __A::Error,
                                $($mode)?
                            ),)*
                            extra,
                        })
                    }
                }

                deserializer.deserialize_map(__ObjectVisitor)
            }
        }
    };
}

/// One field of [`__object!`]: its slot type, its value once the object is read, and its
/// entry when written.
#[doc(hidden)]
#[macro_export]
macro_rules! __object_field {
    (@slot $ty:ty,) => { $ty };
    (@slot $ty:ty, $slot:ident) => { $crate::__private::$slot<$ty> };
    (@unwrap $value:expr,) => { $value };
    (@unwrap $value:expr, $slot:ident) => { $value.map($crate::__private::Slot::into_value) };
    (@take $value:expr, $wire:literal, $error:ty,) => { $crate::__private::optional($value) };
    (@take $value:expr, $wire:literal, $error:ty, nullable) => { $crate::__private::optional($value) };
    (@take $value:expr, $wire:literal, $error:ty, required) => {
        $crate::__private::required::<_, $error>($value, $wire)?
    };
    (@write $map:ident, $wire:literal, $value:expr, [], [$($slot:ident)?]) => {
        if let Some(value) = $crate::__private::present($value) {
            $map.serialize_entry($wire, &$crate::__object_field!(@wrap value, $($slot)?))?;
        }
    };
    (@write $map:ident, $wire:literal, $value:expr, [$mode:ident], [$($slot:ident)?]) => {
        $map.serialize_entry($wire, &$crate::__object_field!(@wrap $value, $($slot)?))?
    };
    (@wrap $value:expr,) => { $value };
    (@wrap $value:expr, $slot:ident) => { $crate::__private::$slot($value) };
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    crate::__object! {
        #[derive(Debug, PartialEq)]
        pub struct Recording {
            pub id: i64 = required "id" as Lenient,
            pub topic: Option<String> = "topic",
            pub end: Option<crate::wire::DateTime> = "end" as EmptyAsNone,
            pub files: Option<Vec<Recording>> = "files",
            pub size: Option<f64> = "size" as Lenient,
            pub note: Option<String> = nullable "note",
        }
    }

    #[test]
    fn unknown_keys_are_kept_at_every_depth_and_written_back() {
        let body = json!({
            "id": "7", "share_url": "https://example.com/s", "end": "",
            "files": [{"id": 8, "timezone": "UTC", "nested": {"a": [1]}}],
        });
        let decoded: Recording = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(decoded.extra["share_url"], "https://example.com/s");
        assert_eq!(decoded.files.as_ref().unwrap()[0].extra["timezone"], "UTC");
        assert_eq!(
            serde_json::to_value(&decoded).unwrap(),
            json!({"id": 7, "note": null, "share_url": "https://example.com/s",
                   "files": [{"id": 8, "note": null, "timezone": "UTC", "nested": {"a": [1]}}]})
        );
    }

    #[test]
    fn lenient_numbers_are_written_as_they_arrived() {
        let decoded: Recording =
            serde_json::from_str(r#"{"id": 1, "size": "7220", "note": "n"}"#).unwrap();
        assert_eq!(
            (decoded.size, decoded.note.as_deref()),
            (Some(7220.0), Some("n"))
        );
        assert_eq!(
            serde_json::to_value(&decoded).unwrap(),
            json!({"id": 1, "size": 7220, "note": "n"})
        );
        let error = serde_json::from_str::<Recording>(r#"{"id": null}"#).unwrap_err();
        assert!(error.to_string().contains("invalid type: null"), "{error}");
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value() {
        let decoded: Recording = serde_json::from_str(
            r#"{"id": 1, "topic": "a", "x": 1, "topic": "b", "x": 2, "id": 2}"#,
        )
        .unwrap();
        assert_eq!((decoded.id, decoded.topic.as_deref()), (2, Some("b")));
        assert_eq!(decoded.extra["x"], 2);
    }

    crate::__object! {
        #[derive(Debug, PartialEq)]
        pub struct Started {
            pub id: Option<String> = "id" as TextOrNumber,
            pub host_id: String = required "host_id" as TextOrNumber,
        }
    }

    #[test]
    fn an_id_sent_as_an_integer_is_kept_as_its_digits() {
        let decoded: Started =
            serde_json::from_str(r#"{"id": 85746065432, "host_id": "z8yCxjab"}"#).unwrap();
        assert_eq!(decoded.id.as_deref(), Some("85746065432"));
        assert_eq!(
            serde_json::to_value(&decoded).unwrap(),
            json!({"id": "85746065432", "host_id": "z8yCxjab"})
        );
        let decoded: Started = serde_json::from_str(r#"{"id": null, "host_id": 7}"#).unwrap();
        assert_eq!((decoded.id, decoded.host_id.as_str()), (None, "7"));
        let error = serde_json::from_str::<Started>(r#"{"host_id": 1.5}"#).unwrap_err();
        assert!(error.to_string().contains("an id"), "{error}");
    }

    #[test]
    fn a_missing_required_field_is_named() {
        let error = serde_json::from_str::<Recording>(r#"{"topic": "a"}"#).unwrap_err();
        assert!(error.to_string().contains("missing field `id`"), "{error}");
        let error = serde_json::from_str::<Recording>("[1]").unwrap_err();
        assert!(
            error.to_string().contains("an object (Recording)"),
            "{error}"
        );
    }
}
