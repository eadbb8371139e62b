//! Pass `field_names`: unique snake_case field names from property names.
//!
//! Two properties can make the same Rust name (`location` and `Location` in one object;
//! `+1` and `-1` both give `n_1`): the first keeps it, later ones are numbered, and every
//! field keeps its wire name through `rename`. `extra` is the name of the map that keeps the
//! properties a document does not list, so a property called `extra` is numbered too.

use crate::ir::{Api, TypeKind};
use crate::names::{UniqueNames, snake};

/// The field of every object type that holds its undocumented properties.
pub const EXTRA_FIELD: &str = "extra";

pub fn run(api: &mut Api) {
    for def in &mut api.types {
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        let mut unique = UniqueNames::default();
        unique.reserve(EXTRA_FIELD);
        for field in &mut s.fields {
            field.rust_name = unique.claim(&snake(&field.name));
        }
    }
}
