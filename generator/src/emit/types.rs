//! Named types: structs, open enums and untagged unions.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::docs::{DocComment, doc_attrs, doc_comment, join};
use super::tables::{self, Table};
use super::tokens::{displayable, ident, path_tokens, rust_type};
use crate::ir::{
    Api, EnumDef, EnumRepr, Field, Leniency, Pagination, Scalar, StructDef, TypeDef, TypeId,
    TypeKind, TypeRef, UnionVariant,
};

/// Part `part` of `parts` of the API's `types.rs`: the file is over half of a large API's
/// output, so its parts are formatted on separate threads and joined. The first part holds
/// the file's documentation, the last the token-page impls.
pub fn emit_types(
    api: &Api,
    live: &[TypeId],
    tag_features: bool,
    part: usize,
    parts: usize,
) -> TokenStream {
    let gates = super::features::Gates::new(api, tag_features);
    let per_part = live.len().div_ceil(parts.max(1)).max(1);
    let items = live
        .chunks(per_part)
        .nth(part)
        .unwrap_or_default()
        .iter()
        .map(|id| emit_type(api, api.type_def(*id), &gates.for_type(*id)));
    let file_doc = if part == 0 {
        quote! {
            //! The API's named types. Nothing the server sends is lost: every enum is open (a
            //! value the document does not list is kept in `Unknown`), and every object keeps
            //! the properties the document does not list in its `extra` map. Both are written
            //! back unchanged. In types of what the server sends, a property the document marks
            //! required is still an `Option`, so a body without it decodes; types only requests
            //! use keep it required.
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
    let described = def
        .description
        .clone()
        .or_else(|| where_it_sits(&def.context));
    let doc = doc_comment(Some(&join(&[
        described,
        Some(format!("Schema: `{}`", def.pointer)),
    ])));
    match &def.kind {
        TypeKind::Struct(s) => emit_struct(api, def, s, &doc, cfg),
        TypeKind::Enum(e) => emit_enum(def, e, &doc, cfg),
        TypeKind::Union(variants) => emit_union(api, def, variants, doc.tokens, cfg),
        // Aliases are inlined by a pass, and an external type is the settings' own.
        TypeKind::Alias(_) | TypeKind::External(_) => quote! {},
    }
}

fn emit_struct(
    api: &Api,
    def: &TypeDef,
    s: &StructDef,
    doc: &DocComment,
    cfg: &TokenStream,
) -> TokenStream {
    let name = ident(&def.name);
    let (fields, entries): (Vec<TokenStream>, Vec<String>) =
        s.fields.iter().map(|f| field_entry(api, f)).unzip();
    let mut builtin = vec!["Debug", "Clone", "PartialEq"];
    if s.fields.iter().all(|f| field_has_default(api, f)) {
        builtin.push("Default");
    }
    let derives = type_table(
        doc,
        &derive_list(def, &builtin),
        format!("pub struct {}", def.name),
        entries,
    );
    let doc = &doc.tokens;
    quote! {
        #cfg
        ::zoomgen_runtime::__private::object! {
            #doc
            #derives
            pub struct #name { #(#fields),* }
        }
    }
}

/// Records the layout of a type's table (its docs, derives, `head` and `entries`) and returns
/// the derive attribute its tokens carry.
fn type_table(
    doc: &DocComment,
    derives: &[String],
    head: String,
    entries: Vec<String>,
) -> TokenStream {
    let mut before = doc.lines.clone();
    before.push(format!("#[derive({})]", derives.join(", ")));
    tables::record(Table {
        before,
        head,
        entries,
    });
    let derives = derives.iter().map(|path| path_tokens(path));
    quote! { #[derive(#(#derives),*)] }
}

/// A sentence for a type its document does not describe, from where its schema sits:
/// `["RecordingsList", "Response", "Meetings"]` → "The meetings of the response of
/// `RecordingsList`."
fn where_it_sits(context: &[String]) -> Option<String> {
    let (owner, parts) = context.split_first()?;
    if parts.is_empty() {
        return None;
    }
    let words = |part: &String| -> String {
        use heck::ToSnakeCase;
        part.to_snake_case().replace('_', " ")
    };
    let path: Vec<String> = parts
        .iter()
        .rev()
        .map(|part| match words(part).as_str() {
            "body" => "request body".to_owned(),
            other => other.to_owned(),
        })
        .collect();
    Some(format!("The {} of `{owner}`.", path.join(" of the ")))
}

/// The type's derives: `builtin`, then those the settings add that it does not derive already
/// (deriving one twice would not compile). Every generated type has its serde impls already.
fn derive_list(def: &TypeDef, builtin: &[&str]) -> Vec<String> {
    let added = def.derives.iter().filter(|path| {
        let last = path.rsplit("::").next().unwrap_or(path).trim();
        !builtin.contains(&last) && !matches!(last, "Serialize" | "Deserialize")
    });
    builtin
        .iter()
        .map(|derive| (*derive).to_owned())
        .chain(added.cloned())
        .collect()
}

/// `, A, B` for the derives the settings add to a type whose item derives `builtin` itself.
fn settings_derives(def: &TypeDef, builtin: &[&str]) -> TokenStream {
    let paths = derive_list(def, builtin)
        .into_iter()
        .skip(builtin.len())
        .map(|path| path_tokens(&path));
    quote! { #(, #paths)* }
}

/// Whether the field's type implements `Default` (so the struct can derive it): never derive
/// a trait a field's type lacks (dates, enums and unions have no default).
fn field_has_default(api: &Api, field: &Field) -> bool {
    has_default(api, field, &mut Vec::new())
}

/// [`field_has_default`], through the structs being looked into: a struct that requires itself
/// (through a `Box`) gets no `Default`, whose derived impl would recurse for ever.
fn has_default(api: &Api, field: &Field, within: &mut Vec<TypeId>) -> bool {
    if field.is_optional() || field.secret {
        return true;
    }
    match &field.ty {
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Struct(s) if !within.contains(id) => {
                within.push(*id);
                let all = s.fields.iter().all(|f| has_default(api, f, within));
                within.pop();
                all
            }
            _ => false,
        },
        TypeRef::Scalar(Scalar::Date | Scalar::DateTime) => false,
        TypeRef::Scalar(_) | TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Any => true,
    }
}

/// The field's type without `Option` (boxed when the cycle pass says so; a credential is a
/// `Secret`, which `Debug` prints as `[redacted]`).
fn value_type(api: &Api, field: &Field) -> TokenStream {
    if field.secret {
        return quote! { ::zoomgen_runtime::Secret };
    }
    let ty = rust_type(api, &field.ty, &quote! {});
    if field.boxed {
        quote! { Box<#ty> }
    } else {
        ty
    }
}

/// How the field's value is read before the object is complete: lenient numbers accept
/// strings, `""` stands for absent where the profile says so, ids documented as text accept
/// integers, anything else decodes as is.
fn slot(field: &Field) -> Option<&'static str> {
    let lenient_scalar = matches!(
        field.ty,
        TypeRef::Scalar(Scalar::Integer { bits: 64 } | Scalar::Number)
    );
    if field.boxed {
        None
    } else if field.leniency == Leniency::NumberAsText && lenient_scalar {
        Some("Lenient")
    } else if field.leniency == Leniency::EmptyAsAbsent {
        Some("EmptyAsNone")
    } else if field.leniency == Leniency::IntegerAsText
        && field.ty == TypeRef::Scalar(Scalar::String)
    {
        Some("TextOrNumber")
    } else {
        None
    }
}

/// The field's entry of the `object!` table, `pub name: Type = [mode] "wire" [as Slot]`, as
/// tokens and as its lines.
fn field_entry(api: &Api, field: &Field) -> (TokenStream, String) {
    let name = ident(&field.rust_name);
    let wire = &field.name;
    let mut ty = value_type(api, field);
    let mode = if !field.is_optional() {
        Some("required")
    } else if field.sends_null() {
        Some("nullable")
    } else {
        None
    };
    if field.is_optional() {
        ty = quote! { Option<#ty> };
    }
    let slot = slot(field);
    let undocumented = format!("`{}`; the document does not describe it.", field.name);
    let DocComment {
        tokens: doc,
        mut lines,
    } = doc_comment(Some(field.description.as_deref().unwrap_or(&undocumented)));
    lines.push(format!(
        "pub {name}: {} = {}{wire:?}{}",
        tables::type_text(&ty),
        mode.map(|mode| format!("{mode} ")).unwrap_or_default(),
        slot.map(|slot| format!(" as {slot}")).unwrap_or_default()
    ));
    let mode = mode.map(ident);
    let slot = slot.map(|slot| {
        let slot = ident(slot);
        quote! { as #slot }
    });
    (
        quote! { #doc pub #name: #ty = #mode #wire #slot },
        lines.join("\n"),
    )
}

fn wire_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn emit_enum(def: &TypeDef, e: &EnumDef, doc: &DocComment, cfg: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let repr = match e.repr {
        EnumRepr::DigitString => "Digits",
        EnumRepr::Integer => "Integer",
        EnumRepr::String => "Text",
    };
    // The macro starts each variant's docs with its wire text; these are the descriptions.
    let (variants, entries): (Vec<TokenStream>, Vec<String>) = e
        .values
        .iter()
        .map(|value| {
            let variant = ident(&value.variant);
            let text = wire_text(&value.wire);
            let DocComment {
                tokens: doc,
                mut lines,
            } = doc_comment(value.description.as_deref());
            lines.push(format!("{variant} = {text:?}"));
            (quote! { #doc #variant = #text }, lines.join("\n"))
        })
        .unzip();
    let derives = type_table(
        doc,
        &derive_list(def, &["Debug", "Clone", "PartialEq", "Eq", "Hash"]),
        format!("pub enum {}: {repr}", def.name),
        entries,
    );
    let repr = ident(repr);
    let doc = &doc.tokens;
    quote! {
        #cfg
        ::zoomgen_runtime::__private::open_enum! {
            #doc
            #derives
            pub enum #name: #repr { #(#variants),* }
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
    let variant_docs: Vec<TokenStream> = types
        .iter()
        .map(|ty| doc_attrs(Some(&format!("Decoded as `{}`.", tables::type_text(ty)))))
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
    let union_name = &def.name;
    let derives = settings_derives(def, &["Debug", "Clone", "PartialEq", "Serialize"]);
    // Best fit, not first fit: see `zoomgen_runtime::__private::untagged`.
    quote! {
        #cfg
        #doc
        #[doc = ""]
        #[doc = " One of several shapes; decoding keeps the one that documents most of the body."]
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize #derives)]
        #[serde(untagged)]
        pub enum #name {
            #(#variant_docs #names(#types),)*
        }

        #cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                ::zoomgen_runtime::__private::untagged::best_fit(deserializer, #union_name, |fit| {
                    #(fit.try_variant(Self::#names);)*
                })
            }
        }
        #display
    }
}

/// `TokenPage` for every page type of a token-paginated operation (once per type).
fn token_page_impls(api: &Api, gates: &super::features::Gates) -> TokenStream {
    // (page type, the wire name of its token field), once per type.
    let mut pages: Vec<(TypeId, &str)> = api
        .operations
        .iter()
        .filter_map(|op| match &op.pagination {
            Some(Pagination::Token {
                page: TypeRef::Named(id),
                response_field,
                ..
            }) => Some((*id, response_field.as_str())),
            _ => None,
        })
        .collect();
    pages.sort();
    pages.dedup_by_key(|(id, _)| *id);
    let impls = pages.iter().filter_map(|(id, response_field)| {
        let def = api.type_def(*id);
        let TypeKind::Struct(s) = &def.kind else {
            return None;
        };
        let field = s
            .fields
            .iter()
            .find(|f| f.name == *response_field && f.ty == TypeRef::Scalar(Scalar::String))?;
        let name = ident(&def.name);
        let field_name = ident(&field.rust_name);
        let body = if field.is_optional() {
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
