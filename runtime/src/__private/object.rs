//! Decoding of generated object types in one pass: each key the document lists goes straight
//! to its field, every other key to the type's `extra` map, and a key sent twice keeps its last
//! value (as JavaScript clients read it). `#[serde(flatten)]` would keep unknown keys too, but
//! it buffers the whole object in an intermediate tree first, which is several times slower.
//!
//! `deserialize_object!` writes the `Deserialize` impl
//! from a table of fields; the struct itself, with its `Serialize` derive, is ordinary code.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

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

/// What a field's value decodes into before the object is complete: `Option<T>` for most
/// fields, [`Lenient`](super::Lenient) and [`EmptyAsNone`] for Zoom's lenient ones. `None`
/// means the value stands for an absent field (`null`, and `""` where that is documented).
pub trait Slot {
    type Value;

    fn into_option(self) -> Option<Self::Value>;
}

impl<T> Slot for Option<T> {
    type Value = T;

    fn into_option(self) -> Option<T> {
        self
    }
}

impl<T> Slot for super::Lenient<T> {
    type Value = T;

    fn into_option(self) -> Option<T> {
        self.0
    }
}

/// A date or enum field where `""` and `null` mean absent (Zoom sends `"recording_end": ""`
/// and `"file_type": ""` for recordings still processing).
pub struct EmptyAsNone<T>(Option<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for EmptyAsNone<T> {
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

impl<T> Slot for EmptyAsNone<T> {
    type Value = T;

    fn into_option(self) -> Option<T> {
        self.0
    }
}

/// The value of an optional field: absent when the key was missing or its value stands for
/// absent.
pub fn optional<S: Slot, E>(slot: Option<S>, _wire: &'static str) -> Result<Option<S::Value>, E> {
    Ok(slot.and_then(Slot::into_option))
}

/// The value of a required field, or the error naming it.
pub fn required<S: Slot, E: de::Error>(slot: Option<S>, wire: &'static str) -> Result<S::Value, E> {
    slot.and_then(Slot::into_option)
        .ok_or_else(|| E::missing_field(wire))
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

/// `impl Deserialize` for a generated object type from the table of its fields:
///
/// ```ignore
/// deserialize_object! {
///     Meeting {
///         uuid: "uuid" => optional String,
///         id: "id" => required i64 as Lenient,
///         start_time: "start_time" => optional DateTime as EmptyAsNone,
///     }
/// }
/// ```
///
/// Each field is `name: "wire" => optional|required Type [as Lenient|EmptyAsNone]`; the type
/// has a public `extra: Extra` field for the keys the table does not list.
#[doc(hidden)]
#[macro_export]
macro_rules! __deserialize_object {
    ($name:ident { $($field:ident : $wire:literal => $mode:ident $ty:ty $(as $slot:ident)?),* $(,)? }) => {
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                struct ObjectVisitor;

                impl<'de> $crate::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(::core::concat!("an object (", ::core::stringify!($name), ")"))
                    }

                    fn visit_map<A: $crate::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::core::result::Result<$name, A::Error> {
                        $(let mut $field: ::core::option::Option<$crate::__object_slot!($ty $(, $slot)?)> = None;)*
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
                            $($field: $crate::__private::$mode::<_, A::Error>($field, $wire)?,)*
                            extra,
                        })
                    }
                }

                deserializer.deserialize_map(ObjectVisitor)
            }
        }
    };
}

/// The slot type of one field of [`__deserialize_object!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __object_slot {
    ($ty:ty) => { ::core::option::Option<$ty> };
    ($ty:ty, $slot:ident) => { $crate::__private::$slot<$ty> };
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::Extra;

    #[derive(Debug, PartialEq, serde::Serialize)]
    struct Recording {
        id: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        topic: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        end: Option<crate::wire::DateTime>,
        #[serde(skip_serializing_if = "Option::is_none")]
        files: Option<Vec<Recording>>,
        #[serde(flatten)]
        extra: Extra,
    }

    crate::__deserialize_object! {
        Recording {
            id: "id" => required i64 as Lenient,
            topic: "topic" => optional String,
            end: "end" => optional crate::wire::DateTime as EmptyAsNone,
            files: "files" => optional Vec<Recording>,
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
            json!({"id": 7, "share_url": "https://example.com/s",
                   "files": [{"id": 8, "timezone": "UTC", "nested": {"a": [1]}}]})
        );
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
