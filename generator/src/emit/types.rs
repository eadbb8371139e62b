//! Named types: structs, open enums and untagged unions.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::docs::{doc_attrs, join};
use super::tokens::{displayable, ident, rust_type};
use crate::ir::{
    Api, EnumDef, EnumRepr, Field, Pagination, Scalar, StructDef, TypeDef, TypeId, TypeKind,
    TypeRef, UnionVariant,
};

/// Part `part` of `parts` of the API's `types.rs`: the file is over half of a large API's
/// output, so its parts are formatted on separate threads and joined. The first part holds
/// the file's documentation, the last the token-page impls.
pub fn emit_types(api: &Api, live: &[TypeId], part: usize, parts: usize) -> TokenStream {
    let gates = super::features::Gates::new(api);
    let per_part = live.len().div_ceil(parts.max(1)).max(1);
    let items = live
        .chunks(per_part)
        .nth(part)
        .unwrap_or_default()
        .iter()
        .map(|id| emit_type(api, api.type_def(*id), &gates.for_type(*id)));
    let file_doc = if part == 0 {
        quote! {
            //! The API's named types. Every enum is open: a value the document does not list is
            //! kept in `Unknown` and written back unchanged.
        }
    } else {
        quote! {}
    };
    let pages = if part + 1 == parts {
        token_page_impls(api, &gates)
    } else {
        quote! {}
    };
    quote! {
        #file_doc
        #(#items)*
        #pages
    }
}

/// A type's items, each behind `cfg` (the tag features that use the type).
fn emit_type(api: &Api, def: &TypeDef, cfg: &TokenStream) -> TokenStream {
    let doc = doc_attrs(Some(&join(&[
        def.description.clone(),
        Some(format!("Schema: `{}`", def.pointer)),
    ])));
    match &def.kind {
        TypeKind::Struct(s) => emit_struct(api, def, s, doc, cfg),
        TypeKind::Enum(e) => emit_enum(def, e, doc, cfg),
        TypeKind::Union(variants) => emit_union(api, def, variants, doc, cfg),
        // Aliases are inlined by a pass and pending types are rejected by the builder.
        TypeKind::Alias(_) | TypeKind::Pending => quote! {},
    }
}

fn emit_struct(
    api: &Api,
    def: &TypeDef,
    s: &StructDef,
    doc: TokenStream,
    cfg: &TokenStream,
) -> TokenStream {
    let name = ident(&def.name);
    let fields = s.fields.iter().map(|f| emit_field(api, f));
    let default = if s.fields.iter().all(|f| field_has_default(api, f)) {
        quote! { Default, }
    } else {
        quote! {}
    };
    quote! {
        #cfg
        #doc
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// Whether the field's type implements `Default` (so the struct can derive it).
fn field_has_default(api: &Api, field: &Field) -> bool {
    is_optional(field)
        || match &field.ty {
            TypeRef::Named(id) => {
                matches!(&api.type_def(*id).kind, TypeKind::Struct(s) if s.fields.iter().all(is_optional))
            }
            _ => true,
        }
}

/// Fields the server may leave out are `Option`s.
pub fn is_optional(field: &Field) -> bool {
    !field.required || field.nullable || field.empty_as_none
}

fn emit_field(api: &Api, field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let mut ty = rust_type(api, &field.ty, &quote! {});
    if field.boxed {
        ty = quote! { Box<#ty> };
    }
    let optional = is_optional(field);
    if optional {
        ty = quote! { Option<#ty> };
    }
    let mut serde_args: Vec<TokenStream> = Vec::new();
    if crate::names::bare(&field.rust_name) != field.name {
        let wire = &field.name;
        serde_args.push(quote! { rename = #wire });
    }
    if optional && field.required {
        // Required but nullable: absent reads as `None`, and `None` is sent as `null`.
        serde_args.push(quote! { default });
    } else if optional {
        serde_args.push(quote! { default, skip_serializing_if = "Option::is_none" });
    }
    let lenient = match (&field.ty, field.lenient_number && !field.boxed, optional) {
        (TypeRef::Scalar(Scalar::Integer { bits: 64 }), true, false) => {
            Some("::zoomgen_runtime::wire::lenient_i64")
        }
        (TypeRef::Scalar(Scalar::Integer { bits: 64 }), true, true) => {
            Some("::zoomgen_runtime::wire::lenient_opt_i64")
        }
        (TypeRef::Scalar(Scalar::Number), true, false) => {
            Some("::zoomgen_runtime::wire::lenient_f64")
        }
        (TypeRef::Scalar(Scalar::Number), true, true) => {
            Some("::zoomgen_runtime::wire::lenient_opt_f64")
        }
        _ => None,
    };
    if let Some(module) = lenient {
        serde_args.push(quote! { with = #module });
    } else if field.empty_as_none && !field.boxed {
        serde_args.push(quote! { deserialize_with = "::zoomgen_runtime::wire::empty_as_none" });
    }
    let serde_attr = if serde_args.is_empty() {
        quote! {}
    } else {
        quote! { #[serde(#(#serde_args),*)] }
    };
    let doc = doc_attrs(field.description.as_deref());
    quote! {
        #doc
        #serde_attr
        pub #name: #ty,
    }
}

fn wire_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn emit_enum(def: &TypeDef, e: &EnumDef, doc: TokenStream, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let variants: Vec<_> = e.values.iter().map(|v| ident(&v.variant)).collect();
    let variant_docs = e.values.iter().map(|v| {
        let text = match &v.description {
            Some(d) => format!("`{}`: {d}", wire_text(&v.wire)),
            None => format!("`{}`", wire_text(&v.wire)),
        };
        doc_attrs(Some(&text))
    });
    let texts: Vec<String> = e.values.iter().map(|v| wire_text(&v.wire)).collect();
    let serialize_arms =
        e.values
            .iter()
            .zip(&variants)
            .map(|(v, variant)| match (e.repr, &v.wire) {
                (EnumRepr::Integer, Value::Number(n)) => {
                    let n = n.as_i64().unwrap_or_default();
                    quote! { Self::#variant => serializer.serialize_i64(#n), }
                }
                _ => {
                    let text = wire_text(&v.wire);
                    quote! { Self::#variant => serializer.serialize_str(#text), }
                }
            });
    let (key, patterns): (TokenStream, Vec<TokenStream>) = match e.repr {
        EnumRepr::String => (
            quote! { raw.as_str() },
            texts.iter().map(|t| quote! { Some(#t) }).collect(),
        ),
        EnumRepr::DigitString => (
            quote! { ::zoomgen_runtime::wire::enum_key(&raw).as_deref() },
            texts.iter().map(|t| quote! { Some(#t) }).collect(),
        ),
        EnumRepr::Integer => (
            quote! { ::zoomgen_runtime::wire::enum_int(&raw) },
            e.values
                .iter()
                .map(|v| {
                    let n = v.wire.as_i64().unwrap_or_default();
                    quote! { Some(#n) }
                })
                .collect(),
        ),
    };
    let repr_doc = match e.repr {
        EnumRepr::DigitString => {
            " Digit strings: decodes from `\"2\"` and from `2`, encodes as the document says (a string)."
        }
        EnumRepr::Integer => " Encoded as a JSON integer.",
        EnumRepr::String => " Encoded as a JSON string.",
    };
    quote! {
        #cfg
        #doc
        #[doc = ""]
        #[doc = #repr_doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value the document does not list, kept exactly as the server sent it.
            Unknown(::zoomgen_runtime::serde_json::Value),
        }

        #cfg
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::Unknown(raw) => ::serde::Serialize::serialize(raw, serializer),
                }
            }
        }

        #cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <::zoomgen_runtime::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let known = match #key {
                    #(#patterns => Some(Self::#variants),)*
                    _ => None,
                };
                Ok(known.unwrap_or(Self::Unknown(raw)))
            }
        }

        #cfg
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(Self::#variants => f.write_str(#texts),)*
                    Self::Unknown(raw) => ::zoomgen_runtime::wire::fmt_raw(raw, f),
                }
            }
        }
    }
}

fn emit_union(
    api: &Api,
    def: &TypeDef,
    variants: &[UnionVariant],
    doc: TokenStream,
    cfg: &TokenStream,
) -> TokenStream {
    let name = ident(&def.name);
    let names: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let types: Vec<TokenStream> = variants
        .iter()
        .map(|v| {
            let ty = rust_type(api, &v.ty, &quote! {});
            if v.boxed {
                quote! { Box<#ty> }
            } else {
                ty
            }
        })
        .collect();
    let display = if variants
        .iter()
        .all(|v| !matches!(v.ty, TypeRef::Named(_)) && displayable(api, &v.ty))
    {
        quote! {
            #cfg
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #(Self::#names(value) => ::std::fmt::Display::fmt(value, f),)*
                    }
                }
            }
        }
    } else {
        quote! {}
    };
    // Best fit, not first fit: see `zoomgen_runtime::untagged`.
    let attempts = names.iter().zip(&types).map(|(variant, ty)| {
        quote! {
            if !fit.done()
                && let Ok(value) =
                    ::zoomgen_runtime::serde_json::from_value::<#ty>(raw.clone())
            {
                fit.offer(value, Self::#variant);
            }
        }
    });
    let no_match = format!(
        "data did not match any variant of untagged enum {}",
        def.name
    );
    quote! {
        #cfg
        #doc
        #[doc = ""]
        #[doc = " One of several shapes; decoding keeps the one that loses least of the body."]
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#names(#types),)*
        }

        #cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = <::zoomgen_runtime::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let mut fit = ::zoomgen_runtime::untagged::BestFit::new(&raw);
                #(#attempts)*
                fit.into_inner().ok_or_else(|| <D::Error as ::serde::de::Error>::custom(#no_match))
            }
        }
        #display
    }
}

/// `TokenPage` for every page type of a token-paginated operation (once per type).
fn token_page_impls(api: &Api, gates: &super::features::Gates) -> TokenStream {
    let mut pages: Vec<TypeId> = api
        .operations
        .iter()
        .filter_map(|op| match &op.pagination {
            Some(Pagination::Token {
                page: TypeRef::Named(id),
                ..
            }) => Some(*id),
            _ => None,
        })
        .collect();
    pages.sort();
    pages.dedup();
    let impls = pages.iter().filter_map(|id| {
        let def = api.type_def(*id);
        let TypeKind::Struct(s) = &def.kind else {
            return None;
        };
        let field = s
            .fields
            .iter()
            .find(|f| f.name == "next_page_token" && f.ty == TypeRef::Scalar(Scalar::String))?;
        let name = ident(&def.name);
        let field_name = ident(&field.rust_name);
        let body = if is_optional(field) {
            quote! { self.#field_name.as_deref() }
        } else {
            quote! { Some(self.#field_name.as_str()) }
        };
        let cfg = gates.for_type(*id);
        Some(quote! {
            #cfg
            impl ::zoomgen_runtime::TokenPage for #name {
                fn next_page_token(&self) -> Option<&str> {
                    #body
                }
            }
        })
    });
    quote! { #(#impls)* }
}
