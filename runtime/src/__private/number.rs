//! Lenient numbers: live APIs send numbers as strings (`"file_size": "7220"`) and integers
//! as floats (`7220.0`). A lenient field accepts both, but never hands the caller a different
//! number than was sent: a fraction, an integral float too large to be exact (beyond ±2^53)
//! or an integer outside `i64` is a decode error, not a rounded or clamped value.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Integers up to 2^53 are exact in an `f64`; beyond it a float stands for several integers.
const EXACT_IN_F64: f64 = 9_007_199_254_740_992.0;

/// A lenient number field's slot, around the field's type (`i64`, `f64` or an `Option` of
/// one): a number, or a string holding one; `null` and `""` mean absent, which only an
/// `Option` can hold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lenient<F>(pub F);

/// A field type a [`Lenient`] slot reads and writes.
pub trait LenientField: Sized {
    /// The number inside.
    type Number: FromNumberText;

    /// The field's value for a number read, or for absent (`None`); `None` when the field
    /// cannot be absent.
    fn from_number(number: Option<Self::Number>) -> Option<Self>;

    /// Writes the value as it arrived: integral floats as integers.
    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl LenientField for i64 {
    type Number = i64;

    fn from_number(number: Option<i64>) -> Option<i64> {
        number
    }

    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(*self)
    }
}

impl LenientField for f64 {
    type Number = f64;

    fn from_number(number: Option<f64>) -> Option<f64> {
        number
    }

    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_number(self, serializer)
    }
}

impl<N: LenientField<Number = N> + FromNumberText> LenientField for Option<N> {
    type Number = N;

    fn from_number(number: Option<N>) -> Option<Option<N>> {
        Some(number)
    }

    fn write<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => value.write(serializer),
            None => serializer.serialize_none(),
        }
    }
}

impl<F> super::Slot for Lenient<F> {
    type Value = F;

    fn into_value(self) -> F {
        self.0
    }
}

impl<F: LenientField> Serialize for Lenient<&F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.write(serializer)
    }
}

/// Parses the text of a number the way a lenient field accepts it (surrounding spaces allowed).
pub trait FromNumberText: Sized + Copy {
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
        // 3.0 is the integer 3; 3.5 is not an integer, and 1e17 may not be the integer sent.
        (v.fract() == 0.0 && v.abs() <= EXACT_IN_F64).then_some(v as i64)
    }
    const EXPECTED: &'static str = "an integer in the i64 range, or a string holding one (floats only when integral and within ±2^53)";
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

impl<'de, F: LenientField> Deserialize<'de> for Lenient<F> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = deserializer.deserialize_any(NumberVisitor::<F::Number>(PhantomData))?;
        F::from_number(number)
            .map(Lenient)
            .ok_or_else(|| de::Error::invalid_type(de::Unexpected::Unit, &F::Number::EXPECTED))
    }
}

struct NumberVisitor<T>(PhantomData<T>);

impl<T: FromNumberText> NumberVisitor<T> {
    fn number<E: de::Error>(value: Option<T>, unexpected: de::Unexpected) -> Result<Option<T>, E> {
        value
            .map(Some)
            .ok_or_else(|| E::invalid_value(unexpected, &T::EXPECTED))
    }
}

impl<'de, T: FromNumberText> Visitor<'de> for NumberVisitor<T> {
    type Value = Option<T>;

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
            return Ok(None);
        }
        Self::number(T::from_text(v), de::Unexpected::Str(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// A `type: number` value written with integral values as integers (`7220`, not
/// `7220.0`), so a decoded body re-encodes as it arrived.
fn serialize_number<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 && value.abs() < EXACT_IN_F64 {
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn int(text: &str) -> Result<Option<i64>, String> {
        serde_json::from_str::<Lenient<Option<i64>>>(text)
            .map(|n| n.0)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn integers_arrive_as_numbers_strings_and_integral_floats() {
        assert_eq!(int("85746065432"), Ok(Some(85_746_065_432)));
        assert_eq!(int("\"7220\""), Ok(Some(7220)));
        assert_eq!(int("7220.0"), Ok(Some(7220)));
        assert_eq!(int("\"\""), Ok(None));
        assert_eq!(int("null"), Ok(None));
        assert_eq!(int("9007199254740992.0"), Ok(Some(9_007_199_254_740_992)));
    }

    #[test]
    fn a_number_that_would_change_is_an_error() {
        for text in [
            "2.5",
            "\"2.5\"",
            "12345678901234567.0",
            "\"12345678901234567.0\"",
            "-9223372036854775809",
            "9223372036854775808",
            "\"abc\"",
            "true",
        ] {
            let error = int(text).expect_err(text);
            assert!(
                error.contains("an integer in the i64 range"),
                "{text}: {error}"
            );
        }
        assert_eq!(
            int("\"12345678901234567\""),
            Ok(Some(12_345_678_901_234_567))
        );
    }

    #[test]
    fn integral_floats_are_written_as_integers() {
        #[derive(serde::Serialize)]
        struct Size(#[serde(serialize_with = "serialize_number")] f64);
        assert_eq!(serde_json::to_value(Size(7220.0)).unwrap(), json!(7220));
        assert_eq!(serde_json::to_value(Size(0.5)).unwrap(), json!(0.5));
    }
}
