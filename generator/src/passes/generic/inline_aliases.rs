//! Pass `inline_aliases`: a `$ref` to a component that is only a scalar, array or another
//! reference (Webex `components/schemas` has such aliases) is replaced by what it stands for,
//! so that field-level fixes (lenient numbers, empty dates) see the real type.
//!
//! An alias can contain itself through arrays and maps (`A: {allOf: [{type: array, items:
//! {$ref: A}}]}`, or `A → B[] → map of A`): expanded naively it never ends. Each alias is
//! expanded once, and where an expansion would re-enter an alias being expanded, that level
//! becomes untyped JSON (reported with the alias's pointer), so `A` reads as `Vec<Value>`:
//! every body still decodes and re-encodes unchanged.

use crate::ir::{Api, TypeKind, TypeRef, Untyped};

pub fn run(api: &mut Api) {
    let mut expansion = Expansion {
        memo: vec![None; api.types.len()],
        active: vec![false; api.types.len()],
        cyclic: Vec::new(),
    };
    for index in 0..api.types.len() {
        if matches!(api.types[index].kind, TypeKind::Alias(_)) {
            expansion.alias(api, index);
        }
    }
    let Expansion { memo, cyclic, .. } = expansion;
    super::rewrite_refs(api, &mut |ty| substitute_known(ty, &memo));
    for index in cyclic {
        let def = &api.types[index];
        api.untyped.push(Untyped {
            pointer: def.pointer.clone(),
            free_form: false,
            reason: format!(
                "alias `{}` contains itself through arrays or maps; the level where it recurs \
                 is untyped JSON",
                def.name
            ),
        });
    }
}

/// The expansions of aliases, worked out once each.
struct Expansion {
    /// What alias `i` stands for, once expanded.
    memo: Vec<Option<TypeRef>>,
    /// Aliases being expanded right now (the path from the outermost one).
    active: Vec<bool>,
    /// Aliases found to contain themselves, in the order found.
    cyclic: Vec<usize>,
}

impl Expansion {
    /// What alias `index` stands for, with every alias inside it expanded too.
    fn alias(&mut self, api: &Api, index: usize) -> TypeRef {
        if let Some(done) = &self.memo[index] {
            return done.clone();
        }
        if self.active[index] {
            if !self.cyclic.contains(&index) {
                self.cyclic.push(index);
            }
            return TypeRef::Any;
        }
        let TypeKind::Alias(target) = &api.types[index].kind else {
            return TypeRef::Named(api.types[index].id);
        };
        self.active[index] = true;
        let expanded = self.substitute(api, target.clone());
        self.active[index] = false;
        self.memo[index] = Some(expanded.clone());
        expanded
    }

    fn substitute(&mut self, api: &Api, ty: TypeRef) -> TypeRef {
        match ty {
            TypeRef::Named(id) if matches!(api.types[id.0].kind, TypeKind::Alias(_)) => {
                self.alias(api, id.0)
            }
            TypeRef::Array(inner) => TypeRef::Array(Box::new(self.substitute(api, *inner))),
            TypeRef::Map(inner) => TypeRef::Map(Box::new(self.substitute(api, *inner))),
            other => other,
        }
    }
}

/// Replaces each alias in `ty` by its expansion.
fn substitute_known(ty: &mut TypeRef, memo: &[Option<TypeRef>]) {
    match ty {
        TypeRef::Named(id) => {
            if let Some(Some(target)) = memo.get(id.0) {
                *ty = target.clone();
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) => substitute_known(inner, memo),
        TypeRef::Scalar(_) | TypeRef::Any => {}
    }
}
