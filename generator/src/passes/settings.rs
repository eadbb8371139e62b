//! Pass `settings`: what the user's settings change in an API after every other pass, so that
//! names are final: type replacements, renames of types, fields and operations, and extra
//! derives. Every key must match something; a key that matches nothing is an error, not a
//! silent no-op (a typo would otherwise leave the old name in place).

use std::collections::HashSet;

use crate::ir::{Api, TypeId, TypeKind};
use crate::passes::generic::{field_names::EXTRA_FIELD, reachable, type_names::RESERVED};
use crate::settings::ApiInput;

/// Applies `input`'s replacements, renames and derives to `api`; the error says which key
/// could not be followed and why.
pub fn apply(api: &mut Api, input: &ApiInput) -> Result<(), String> {
    let live = reachable(api);
    for (key, path) in &input.replace {
        parse::<syn::Type>(path, "replace", key)?;
        let ids = matching_types(api, &live, key);
        if ids.is_empty() {
            return Err(no_type("replace", key));
        }
        for id in ids {
            api.types[id.0].kind = TypeKind::External(path.clone());
        }
    }
    rename_types(api, &live, input)?;
    rename_fields(api, &live, input)?;
    rename_operations(api, input)?;
    for (key, derives) in &input.derives {
        for derive in derives {
            parse::<syn::Path>(derive, "derives", key)?;
        }
        let ids: Vec<TypeId> = if key == "*" {
            live.clone()
        } else {
            matching_types(api, &live, key)
        };
        if ids.is_empty() && key != "*" {
            return Err(no_type("derives", key));
        }
        for id in ids {
            if matches!(api.types[id.0].kind, TypeKind::External(_)) {
                continue;
            }
            for derive in derives {
                let name = &api.types[id.0].name;
                match super::derive_support::lacking(api, id, derive) {
                    // Asked of every type: those that cannot take it go without (reported).
                    Some(why) if key == "*" => {
                        let skipped = format!("`{name}` does not derive `{derive}`: its {why}");
                        api.skipped_derives.push(skipped);
                    }
                    Some(why) => {
                        return Err(format!(
                            "derives: `{derive}` cannot be derived for `{name}`: its {why}"
                        ));
                    }
                    None => api.types[id.0].derives.push(derive.clone()),
                }
            }
        }
    }
    Ok(())
}

/// Live types named `key`, or made from the schema at the JSON pointer `key` (`#/…` or `/…`).
fn matching_types(api: &Api, live: &[TypeId], key: &str) -> Vec<TypeId> {
    let pointer = key.strip_prefix('#').filter(|p| p.starts_with('/'));
    let pointer = pointer.or_else(|| key.starts_with('/').then_some(key));
    match pointer {
        Some(pointer) => {
            // A schema merged into another by de-duplication is found through it.
            api.types
                .iter()
                .filter(|def| {
                    def.pointer == pointer || def.merged_pointers.iter().any(|p| p == pointer)
                })
                .map(|def| def.id)
                .filter(|id| live.contains(id))
                .collect()
        }
        None => live
            .iter()
            .copied()
            .filter(|id| api.types[id.0].name == key)
            .collect(),
    }
}

fn rename_types(api: &mut Api, live: &[TypeId], input: &ApiInput) -> Result<(), String> {
    for (old, new) in &input.rename.types {
        parse::<syn::Ident>(new, "rename.types", old)?;
        let Some(id) = live.iter().copied().find(|id| api.types[id.0].name == *old) else {
            return Err(no_type("rename.types", old));
        };
        let taken = live
            .iter()
            .any(|other| *other != id && api.types[other.0].name == *new);
        if taken || RESERVED.contains(&new.as_str()) {
            return Err(format!(
                "rename.types: {old:?} → {new:?}: the name is taken by another type or by the generated code"
            ));
        }
        api.types[id.0].name = new.clone();
    }
    Ok(())
}

fn rename_fields(api: &mut Api, live: &[TypeId], input: &ApiInput) -> Result<(), String> {
    for (key, new) in &input.rename.fields {
        let Some((type_name, field_name)) = key.split_once('.') else {
            return Err(format!("rename.fields: {key:?} is not `Type.field`"));
        };
        parse::<syn::Ident>(new, "rename.fields", key)?;
        let Some(id) = live
            .iter()
            .copied()
            .find(|id| api.types[id.0].name == type_name)
        else {
            return Err(no_type("rename.fields", type_name));
        };
        let TypeKind::Struct(def) = &mut api.types[id.0].kind else {
            return Err(format!("rename.fields: {type_name} is not an object type"));
        };
        let Some(index) = def
            .fields
            .iter()
            .position(|f| f.name == field_name || crate::names::bare(&f.rust_name) == field_name)
        else {
            return Err(format!(
                "rename.fields: {type_name} has no field {field_name:?}"
            ));
        };
        let taken = def
            .fields
            .iter()
            .enumerate()
            .any(|(i, f)| i != index && crate::names::bare(&f.rust_name) == new);
        if taken || new == EXTRA_FIELD {
            return Err(format!(
                "rename.fields: {key:?} → {new:?}: {type_name} already has a field of that name"
            ));
        }
        def.fields[index].rust_name = new.clone();
    }
    Ok(())
}

fn rename_operations(api: &mut Api, input: &ApiInput) -> Result<(), String> {
    for (old, new) in &input.rename.operations {
        parse::<syn::Ident>(new, "rename.operations", old)?;
        let Some(index) = api
            .operations
            .iter()
            .position(|op| op.operation_id == *old || op.fn_name == *old)
        else {
            return Err(format!(
                "rename.operations: no operation has the operationId or method name {old:?}"
            ));
        };
        let names: HashSet<&str> = api
            .operations
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != index)
            .map(|(_, op)| op.fn_name.as_str())
            .collect();
        if names.contains(new.as_str())
            || super::generic::operation_names::RESERVED.contains(&new.as_str())
        {
            return Err(format!(
                "rename.operations: {old:?} → {new:?}: the name is taken by another operation or by the client"
            ));
        }
        api.operations[index].fn_name = new.clone();
    }
    Ok(())
}

fn no_type(section: &str, key: &str) -> String {
    format!("{section}: no generated type is named {key:?} or made from the schema at {key:?}")
}

/// Checks that `text` parses as a `T` (an identifier, path or type).
fn parse<T: syn::parse::Parse>(text: &str, section: &str, key: &str) -> Result<(), String> {
    syn::parse_str::<T>(text)
        .map(|_| ())
        .map_err(|e| format!("{section}: {key:?}: {text:?} is not valid Rust here: {e}"))
}
