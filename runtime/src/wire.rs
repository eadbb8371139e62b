//! Dates that keep the text the server sent: `format: date-time` and `format: date` fields.
//!
//! A live API does not always send what its documents say (a date-time without a zone, a
//! date that is `""` while a recording is processing), so these types keep the exact text and
//! parse on demand: decoding never fails on them and re-encoding gives back what arrived.

use std::fmt;

use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

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

/// A value an open enum does not list, kept exactly as the server sent it, with its text: a
/// string's own text, or the JSON text of anything else (an unknown integer code `7` reads
/// `"7"`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UnknownValue {
    value: serde_json::Value,
    text: Box<str>,
}

impl UnknownValue {
    /// The value as the server sent it.
    pub fn value(&self) -> &serde_json::Value {
        &self.value
    }

    /// Its text: a string's own, or the JSON text of anything else.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl From<serde_json::Value> for UnknownValue {
    fn from(value: serde_json::Value) -> Self {
        let text = match &value {
            serde_json::Value::String(text) => text.as_str().into(),
            other => other.to_string().into(),
        };
        Self { value, text }
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.value, f)
    }
}
