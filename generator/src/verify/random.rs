//! Random valid instances of generated types, from a fixed-seed generator so every run checks
//! the same bodies and a failure can be reproduced from its report alone.
//!
//! "Valid" means what the live API may send and the generated type must read: required fields
//! always present, optional ones sometimes, enum values from the document (and now and then one
//! it does not list, which open enums must keep), dates in their formats, and Zoom's quirks
//! where the IR says the type absorbs them (numbers as strings, digit-string enums as integers,
//! `""` for an absent date, `null` for a nullable field).

use serde_json::{Map, Number, Value};

use crate::ir::{Api, EnumRepr, Field, Leniency, Scalar, TypeKind, TypeRef};

/// xorshift64*: tiny, deterministic across platforms, and good enough to pick shapes.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        // A zero state would stay zero.
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True once in `n` times.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// One of `items` (`None` when empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// Below this depth optional fields, array items and map entries may appear; past it only
/// required fields do, so recursive types stay finite.
const OPTIONAL_DEPTH: usize = 6;
/// Past this depth even required fields are cut (a type that requires itself has no finite
/// instance; the decode then fails and names the path, which is the right report).
const MAX_DEPTH: usize = 24;

/// A random instance of `ty`.
pub fn instance(api: &Api, ty: &TypeRef, rng: &mut Rng) -> Value {
    value(api, ty, rng, 0, false)
}

/// A random value of a struct field, with the quirks its flags allow.
pub fn field_value(api: &Api, field: &Field, rng: &mut Rng, depth: usize) -> Value {
    if field.nullable && rng.one_in(8) {
        return Value::Null;
    }
    if field.leniency == Leniency::EmptyAsAbsent && rng.one_in(6) {
        return Value::String(String::new());
    }
    value(
        api,
        &field.ty,
        rng,
        depth,
        field.leniency == Leniency::NumberAsText,
    )
}

fn value(api: &Api, ty: &TypeRef, rng: &mut Rng, depth: usize, lenient: bool) -> Value {
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    match ty {
        TypeRef::Named(id) => named(api, id.0, rng, depth),
        TypeRef::Scalar(scalar) => {
            let v = scalar_value(*scalar, rng);
            // Zoom sends numbers as strings; lenient fields must read them.
            match (&v, lenient && rng.one_in(4)) {
                (Value::Number(n), true) => Value::String(n.to_string()),
                _ => v,
            }
        }
        TypeRef::Array(inner) => {
            let len = if depth < OPTIONAL_DEPTH {
                rng.below(4)
            } else {
                0
            };
            Value::Array(
                (0..len)
                    .map(|_| value(api, inner, rng, depth + 1, false))
                    .collect(),
            )
        }
        TypeRef::Map(inner) => {
            let len = if depth < OPTIONAL_DEPTH {
                rng.below(3)
            } else {
                0
            };
            let mut map = Map::new();
            for _ in 0..len {
                map.insert(text(rng), value(api, inner, rng, depth + 1, false));
            }
            Value::Object(map)
        }
        TypeRef::Any => any(rng, depth),
    }
}

fn named(api: &Api, index: usize, rng: &mut Rng, depth: usize) -> Value {
    let Some(def) = api.types.get(index) else {
        return Value::Null;
    };
    match &def.kind {
        TypeKind::Struct(s) => {
            let mut map = Map::new();
            for field in &s.fields {
                let include = if field.is_optional() {
                    depth < OPTIONAL_DEPTH && rng.one_in(2)
                } else {
                    true
                };
                if include {
                    map.insert(field.name.clone(), field_value(api, field, rng, depth + 1));
                }
            }
            // Now and then a property the document does not list: objects keep it in `extra`.
            if depth < OPTIONAL_DEPTH && rng.one_in(4) {
                let key = format!("undocumented_{}", text(rng));
                if !s.fields.iter().any(|f| f.name == key) {
                    map.insert(key, any(rng, depth + 1));
                }
            }
            Value::Object(map)
        }
        TypeKind::Enum(e) => {
            // Now and then a value the document does not list: open enums keep it.
            if e.values.is_empty() || rng.one_in(10) {
                return match e.repr {
                    EnumRepr::Integer => Value::from(1000 + rng.below(1000) as i64),
                    EnumRepr::DigitString => Value::String(format!("{}", 1000 + rng.below(1000))),
                    EnumRepr::String => Value::String(format!("unlisted_{}", text(rng))),
                };
            }
            let Some(chosen) = rng.pick(&e.values) else {
                return Value::Null;
            };
            let wire = chosen.wire.clone();
            match (e.repr, &wire) {
                // The live API sends digit-string enums as integers.
                (EnumRepr::DigitString, Value::String(s)) if rng.one_in(3) => s
                    .parse::<u64>()
                    .map(Value::from)
                    .unwrap_or_else(|_| wire.clone()),
                (EnumRepr::Integer, Value::Number(n)) if rng.one_in(4) => {
                    Value::String(n.to_string())
                }
                _ => wire,
            }
        }
        TypeKind::Union(variants) => match rng.pick(variants) {
            Some(variant) => value(api, &variant.ty, rng, depth + 1, false),
            None => Value::Null,
        },
        TypeKind::Alias(inner) => value(api, inner, rng, depth + 1, false),
        TypeKind::External(_) => Value::Null,
    }
}

fn scalar_value(scalar: Scalar, rng: &mut Rng) -> Value {
    match scalar {
        Scalar::String => Value::String(text(rng)),
        Scalar::Boolean => Value::Bool(rng.one_in(2)),
        Scalar::Integer { bits: 32 } => Value::from(match rng.below(4) {
            0 => i64::from(i32::MAX),
            1 => i64::from(i32::MIN),
            _ => rng.below(100_000) as i64 - 1000,
        }),
        Scalar::Integer { .. } => Value::from(match rng.below(4) {
            // Meeting IDs beyond 2^53, where a float would lose digits.
            0 => 9_007_199_254_740_993 + rng.below(1_000_000) as i64,
            1 => i64::MIN + rng.below(10) as i64,
            _ => rng.below(1_000_000) as i64 - 1000,
        }),
        Scalar::Number => {
            let n = rng.below(2_000_000) as f64 / 8.0 - 1000.0;
            Number::from_f64(n).map_or(Value::Null, Value::Number)
        }
        Scalar::Date => Value::String(format!(
            "20{:02}-{:02}-{:02}",
            rng.below(40),
            1 + rng.below(12),
            1 + rng.below(28)
        )),
        Scalar::DateTime => Value::String(format!(
            "20{:02}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            rng.below(40),
            1 + rng.below(12),
            1 + rng.below(28),
            rng.below(24),
            rng.below(60),
            rng.below(60)
        )),
        // `Vec<u8>` reads a JSON array of bytes.
        Scalar::Binary => Value::Array(
            (0..rng.below(4))
                .map(|_| Value::from(rng.below(256) as u64))
                .collect(),
        ),
    }
}

/// Free-form JSON of a few shapes.
fn any(rng: &mut Rng, depth: usize) -> Value {
    let limit = if depth < OPTIONAL_DEPTH { 6 } else { 4 };
    match rng.below(limit) {
        0 => Value::Null,
        1 => Value::Bool(rng.one_in(2)),
        2 => Value::from(rng.below(1000) as i64),
        3 => Value::String(text(rng)),
        4 => Value::Array(vec![any(rng, depth + 1)]),
        _ => {
            let mut map = Map::new();
            map.insert(text(rng), any(rng, depth + 1));
            Value::Object(map)
        }
    }
}

/// Pieces of text: plain words, and what trips up encoders (quotes, escapes, non-ASCII,
/// slashes and plus signs as in Zoom UUIDs).
const PIECES: &[&str] = &[
    "a", "Zoom", "id", "42", " ", "/", "//", "+", "=", "\"", "\\", "\n", "é", "日本", "🎥",
    "\u{0}", "&amp;", "<b>", "%20", "null",
];

fn text(rng: &mut Rng) -> String {
    let mut out = String::new();
    for _ in 0..rng.below(5) {
        if let Some(piece) = rng.pick(PIECES) {
            out.push_str(piece);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let first: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let second: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(first, second);
        assert_ne!(Rng::new(8).next_u64(), first[0]);
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = Rng::new(1);
        assert!((0..1000).all(|_| rng.below(3) < 3));
        assert_eq!(rng.below(0), 0);
    }
}
