//! Composed schemas: `allOf` (members merged into one struct, or one member standing for
//! itself) and `oneOf`/`anyOf` (collapsed when the alternatives are one type in disguise,
//! otherwise an untagged union with a name per variant).

use std::collections::VecDeque;

use serde_json::{Map, Value};

use super::super::Builder;
use super::{
    accepts_nothing, compatible_types, description, extend, is_empty_string_enum, schema_type,
};
use crate::error::{Error, Result, pointer_push};
use crate::ir::{EnumRepr, Scalar, TypeKind, TypeRef, UnionVariant};
use crate::names;

impl<'a> Builder<'a> {
    /// `allOf`: the members' properties merged into one struct (with the schema's own
    /// properties, which Zoom puts beside `allOf`). A single member that is not an object
    /// stands for itself.
    pub(super) fn all_of(
        &mut self,
        map: &'a Map<String, Value>,
        members: &'a [Value],
        pointer: &str,
        context: &[String],
        depth: usize,
    ) -> Result<TypeRef> {
        let members_pointer = pointer_push(pointer, "allOf");
        let own_properties = map
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty());
        if members.len() == 1 && !own_properties {
            return self.schema(
                &members[0],
                &pointer_push(&members_pointer, "0"),
                context,
                depth + 1,
            );
        }
        // Resolve every member to an object schema (following `$ref`s and nested `allOf`s)
        // and merge; the first definition of a property wins.
        let mut description_text = description(map);
        let mut properties: Vec<(String, &'a Value, String)> = Vec::new();
        let mut required: Vec<Value> = Vec::new();
        let mut parts: VecDeque<(&'a Map<String, Value>, String)> =
            VecDeque::from([(map, pointer.to_owned())]);
        for (index, member) in members.iter().enumerate() {
            if let Some(member) = member.as_object() {
                parts.push_back((member, pointer_push(&members_pointer, &index.to_string())));
            }
        }
        let mut seen_refs = Vec::new();
        // Each part's declared type, with where it says so: parts of different types leave no
        // value that satisfies them all.
        let mut declared: Vec<(&'a str, String)> = Vec::new();
        while let Some((part_map, part_pointer)) = parts.pop_front() {
            if let Some(ty) = schema_type(part_map) {
                declared.push((ty, part_pointer.clone()));
            }
            if let Some(reference) = part_map.get("$ref").and_then(Value::as_str) {
                if !seen_refs.iter().any(|r| r == reference) {
                    seen_refs.push(reference.to_owned());
                    let target_pointer = self.ref_pointer(reference, &part_pointer)?;
                    if let Some(target) = self.node(&target_pointer)?.as_object() {
                        parts.push_back((target, target_pointer));
                    }
                }
                continue;
            }
            if let Some(nested) = part_map.get("allOf").and_then(Value::as_array)
                && part_pointer != pointer
            {
                let nested_pointer = pointer_push(&part_pointer, "allOf");
                for (index, member) in nested.iter().enumerate() {
                    if let Some(member) = member.as_object() {
                        parts
                            .push_back((member, pointer_push(&nested_pointer, &index.to_string())));
                    }
                }
            }
            if let Some(part_properties) = part_map.get("properties").and_then(Value::as_object) {
                let properties_pointer = pointer_push(&part_pointer, "properties");
                for (name, schema) in part_properties {
                    if !properties.iter().any(|(existing, _, _)| existing == name) {
                        properties.push((
                            name.clone(),
                            schema,
                            pointer_push(&properties_pointer, name),
                        ));
                    }
                }
            }
            if let Some(part_required) = part_map.get("required").and_then(Value::as_array) {
                required.extend(part_required.iter().cloned());
            }
            if description_text.is_none() {
                description_text = description(part_map);
            }
        }
        if let Some((first, _)) = declared.first()
            && let Some((other, at)) = declared.iter().find(|(ty, _)| !compatible_types(first, ty))
        {
            return Err(Error::Invalid {
                at: self.doc.location(&pointer_push(at, "type")),
                message: format!(
                    "allOf of `{first}` and `{other}`: no value is both, so nothing can satisfy \
                     the schema"
                ),
            });
        }
        if properties.is_empty() {
            // Members that are not objects (e.g. a scalar with a description): the first
            // member that says something decides.
            for (index, member) in members.iter().enumerate() {
                let ty = self.schema(
                    member,
                    &pointer_push(&members_pointer, &index.to_string()),
                    context,
                    depth + 1,
                )?;
                if ty != TypeRef::Any {
                    return Ok(ty);
                }
            }
            return Ok(TypeRef::Map(Box::new(self.untyped(
                pointer,
                true,
                "allOf without properties",
            ))));
        }
        self.struct_type(
            properties,
            &required,
            description_text,
            pointer,
            context,
            depth,
        )
    }

    /// `oneOf`/`anyOf`: collapsed where the alternatives are one type in disguise, otherwise
    /// an untagged union.
    pub(super) fn union(
        &mut self,
        variants: &'a [Value],
        pointer: &str,
        context: &[String],
        depth: usize,
    ) -> Result<TypeRef> {
        let mut converted = Vec::with_capacity(variants.len());
        for (index, variant) in variants.iter().enumerate() {
            // Zoom writes "a date-time or empty" as `anyOf[{date-time}, {enum: [""]}]`: the
            // empty alternative only says the value may be absent. A `false` alternative
            // matches nothing.
            if is_empty_string_enum(variant)
                || variant.get("type").and_then(Value::as_str) == Some("null")
                || accepts_nothing(variant)
            {
                continue;
            }
            let variant_context = extend(context, &format!("option {}", index + 1));
            let ty = self.schema(
                variant,
                &pointer_push(pointer, &index.to_string()),
                &variant_context,
                depth + 1,
            )?;
            if !converted.iter().any(|(_, existing)| *existing == ty) {
                converted.push((variant, ty));
            }
        }
        match converted.len() {
            0 => Ok(self.untyped(
                pointer,
                false,
                "no alternative says anything but null or \"\"",
            )),
            1 => Ok(converted.remove(0).1),
            // Zoom's `userId` is `oneOf[string, string(email), enum ["me"]]`: every alternative
            // is text, so the value is text.
            _ if converted.iter().all(|(_, ty)| self.is_text(ty)) => {
                Ok(TypeRef::Scalar(Scalar::String))
            }
            _ => {
                let id = self.reserve(pointer, context, None);
                let variants = converted
                    .into_iter()
                    .map(|(schema, ty)| UnionVariant {
                        name: self.variant_name(schema, &ty),
                        ty,
                        boxed: false,
                    })
                    .collect::<Vec<_>>();
                let mut unique = names::UniqueNames::default();
                let variants = variants
                    .into_iter()
                    .map(|v| UnionVariant {
                        name: unique.claim(&v.name),
                        ..v
                    })
                    .collect();
                self.types[id.0].kind = Some(TypeKind::Union(variants));
                Ok(TypeRef::Named(id))
            }
        }
    }

    /// A plain string or a string enum (a named type, already converted).
    fn is_text(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Scalar(Scalar::String) => true,
            TypeRef::Named(id) => {
                matches!(&self.types[id.0].kind, Some(TypeKind::Enum(e)) if e.repr == EnumRepr::String)
            }
            _ => false,
        }
    }

    fn variant_name(&self, schema: &Value, ty: &TypeRef) -> String {
        if let Some(title) = schema.get("title").and_then(Value::as_str) {
            return names::pascal(title);
        }
        match ty {
            TypeRef::Named(id) => self.types[id.0]
                .context
                .last()
                .map_or_else(|| "Object".to_owned(), |c| names::pascal(c)),
            TypeRef::Scalar(Scalar::Integer { .. }) => "Integer".into(),
            TypeRef::Scalar(Scalar::Number) => "Number".into(),
            TypeRef::Scalar(Scalar::Boolean) => "Boolean".into(),
            TypeRef::Scalar(Scalar::Date) => "Date".into(),
            TypeRef::Scalar(Scalar::DateTime) => "DateTime".into(),
            TypeRef::Scalar(Scalar::String | Scalar::Binary) => "String".into(),
            TypeRef::Array(_) => "List".into(),
            TypeRef::Map(_) => "Object".into(),
            TypeRef::Any => "Value".into(),
        }
    }
}
