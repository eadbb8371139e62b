//! Pass `dedupe_types`: structurally identical types are emitted once.
//!
//! Zoom's current documents have no `components` at all: the same recording-file object is
//! written out again under every operation that returns it (e.g. `zoom-meetings.json`
//! `#/paths/~1users~1{userId}~1recordings/get/responses/200/content/application~1json/schema/properties/meetings/items/properties/recording_files/items`
//! and under `/meetings/{meetingId}/recordings`). Two types are the same when their fields
//! (wire names, types after merging, required and nullable flags, limits) or enum values are;
//! descriptions do not count. Merging runs bottom-up to a fixed point, so parents of merged
//! children merge too. Component schemas are preferred as the survivor (they have real names).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::ir::{Api, TypeId, TypeKind, TypeRef};

pub fn run(api: &mut Api) {
    let count = api.types.len();
    // Survivor preference: component schemas first, then document order.
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by_key(|&i| (!api.types[i].component, i));

    let mut representative: Vec<TypeId> = (0..count).map(TypeId).collect();
    loop {
        // Shapes bucketed by a hash of their outline; equal shapes share a bucket.
        let mut by_outline: HashMap<u64, Vec<(TypeKind, TypeId)>> = HashMap::with_capacity(count);
        let mut next = representative.clone();
        for &index in &order {
            if matches!(
                api.types[index].kind,
                TypeKind::Alias(_) | TypeKind::External(_)
            ) {
                continue;
            }
            let shape = shape(&api.types[index].kind, &representative);
            let bucket = by_outline.entry(outline_hash(&shape)).or_default();
            next[index] = match bucket.iter().find(|(seen, _)| *seen == shape) {
                Some((_, survivor)) => *survivor,
                None => {
                    bucket.push((shape, TypeId(index)));
                    TypeId(index)
                }
            };
        }
        if next == representative {
            break;
        }
        representative = next;
    }

    merge(api, &representative);
}

/// Keeps one type of each set of equal ones (`representative[i]` is the survivor of type `i`;
/// survivors keep their order): references go to the survivor, which also keeps the merged
/// types' pointers, where the settings find a schema by pointer.
fn merge(api: &mut Api, representative: &[TypeId]) {
    let survives = |index: usize| representative[index].0 == index;
    let mut new_ids = Vec::with_capacity(representative.len());
    let mut survivors = 0;
    for index in 0..representative.len() {
        new_ids.push(TypeId(survivors));
        if survives(index) {
            survivors += 1;
        }
    }
    let remap: Vec<TypeId> = representative.iter().map(|id| new_ids[id.0]).collect();
    super::rewrite_refs(api, &mut |ty: &mut TypeRef| {
        ty.map_ids(&mut |id| remap[id.0])
    });
    for (index, survivor) in representative.iter().enumerate() {
        if !survives(index) {
            let pointer = std::mem::take(&mut api.types[index].pointer);
            api.types[survivor.0].merged_pointers.push(pointer);
        }
    }
    let mut index = 0;
    api.types.retain(|_| {
        index += 1;
        survives(index - 1)
    });
    for (index, def) in api.types.iter_mut().enumerate() {
        def.id = TypeId(index);
    }
}

/// The structure of a type with references replaced by their current representatives and
/// documentation left out; two types merge when their shapes are equal.
fn shape(kind: &TypeKind, representative: &[TypeId]) -> TypeKind {
    let mut kind = kind.clone();
    for ty in kind.refs_mut() {
        ty.map_ids(&mut |id| representative[id.0]);
    }
    match &mut kind {
        TypeKind::Struct(def) => def.fields.iter_mut().for_each(|f| f.description = None),
        TypeKind::Enum(def) => def.values.iter_mut().for_each(|v| v.description = None),
        TypeKind::Union(_) | TypeKind::Alias(_) | TypeKind::External(_) => {}
    }
    kind
}

/// A hash of the parts of a shape that tell types apart most often (kind, field names and
/// types, variant names). Equal shapes have equal outlines, so it can bucket them; it is
/// cheaper than hashing whole shapes, whose limits and enum values are not `Hash`.
fn outline_hash(shape: &TypeKind) -> u64 {
    let mut hasher = DefaultHasher::new();
    std::mem::discriminant(shape).hash(&mut hasher);
    match shape {
        TypeKind::Struct(def) => def.fields.iter().for_each(|field| {
            field.name.hash(&mut hasher);
            field.ty.hash(&mut hasher);
        }),
        TypeKind::Enum(def) => def
            .values
            .iter()
            .for_each(|value| value.variant.hash(&mut hasher)),
        TypeKind::Union(variants) => variants
            .iter()
            .for_each(|variant| variant.ty.hash(&mut hasher)),
        TypeKind::Alias(ty) => ty.hash(&mut hasher),
        TypeKind::External(path) => path.hash(&mut hasher),
    }
    hasher.finish()
}
