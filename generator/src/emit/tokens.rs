//! Identifiers and type expressions as tokens.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, Scalar, TypeKind, TypeRef};

/// An identifier token. Names reaching here come from [`crate::names`]; anything that is still
/// not an identifier is made into one rather than panicking inside `proc_macro2`.
pub fn ident(name: &str) -> Ident {
    let (raw, bare) = match name.strip_prefix("r#") {
        Some(bare) => (true, bare),
        None => (false, name),
    };
    let valid = bare
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && bare != "_";
    if !valid {
        return Ident::new(
            &crate::names::snake(bare).replace("r#", "r_"),
            Span::call_site(),
        );
    }
    // A keyword reaching here without `r#` (a tag named `type` stripped by `names::bare` for
    // its file name) must still be an identifier: raw, or suffixed where raw is not allowed.
    let keyword = raw || crate::names::is_keyword(bare);
    match (keyword, bare) {
        (true, "self" | "super" | "crate" | "Self") => {
            Ident::new(&format!("{bare}_"), Span::call_site())
        }
        (true, _) => Ident::new_raw(bare, Span::call_site()),
        (false, _) => Ident::new(bare, Span::call_site()),
    }
}

/// The Rust type of a reference; named types are prefixed with `types` (e.g. `types::`).
pub fn rust_type(api: &Api, ty: &TypeRef, types: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let def = api.type_def(*id);
            if let crate::ir::TypeKind::External(path) = &def.kind {
                return path_tokens(path);
            }
            let name = ident(&def.name);
            quote! { #types #name }
        }
        TypeRef::Scalar(scalar) => scalar_type(*scalar),
        TypeRef::Array(inner) => {
            let inner = rust_type(api, inner, types);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(inner) if **inner == TypeRef::Any => {
            quote! { ::zoomgen_runtime::serde_json::Map<String, ::zoomgen_runtime::serde_json::Value> }
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(api, inner, types);
            quote! { ::std::collections::BTreeMap<String, #inner> }
        }
        TypeRef::Any => quote! { ::zoomgen_runtime::serde_json::Value },
    }
}

/// A path or type the settings name (checked to parse by the settings pass).
pub fn path_tokens(path: &str) -> TokenStream {
    path.parse().unwrap_or_default()
}

pub fn scalar_type(scalar: Scalar) -> TokenStream {
    match scalar {
        Scalar::String => quote! { String },
        Scalar::Integer { bits: 32 } => quote! { i32 },
        Scalar::Integer { .. } => quote! { i64 },
        Scalar::Number => quote! { f64 },
        Scalar::Boolean => quote! { bool },
        Scalar::Date => quote! { ::zoomgen_runtime::wire::Date },
        Scalar::DateTime => quote! { ::zoomgen_runtime::wire::DateTime },
        Scalar::Binary => quote! { Vec<u8> },
    }
}

/// Whether values of the type implement `Display` (for query strings, headers, paths).
pub fn displayable(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Scalar(Scalar::Binary) => false,
        TypeRef::Scalar(_) | TypeRef::Any => true,
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Enum(_) => true,
            TypeKind::Union(variants) => variants
                .iter()
                .all(|v| !v.boxed && displayable(api, &v.ty) && !matches!(v.ty, TypeRef::Named(_))),
            _ => false,
        },
        TypeRef::Array(_) | TypeRef::Map(_) => false,
    }
}
