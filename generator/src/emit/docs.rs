//! Documentation attributes from vendor text.

use proc_macro2::TokenStream;
use quote::quote;

/// Outer `///` doc lines for `text` (nothing for `None`).
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return quote! {};
    };
    let lines = text
        .lines()
        .map(|line| format!(" {}", line.trim_end().replace('\t', "    ")));
    quote! { #(#[doc = #lines])* }
}

/// Inner `//!` doc lines.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let text = text.trim();
    if text.is_empty() {
        return quote! {};
    }
    let lines = text
        .lines()
        .map(|line| format!(" {}", line.trim_end().replace('\t', "    ")));
    quote! { #(#![doc = #lines])* }
}

/// Paragraphs joined with blank lines, skipping the absent ones.
pub fn join(parts: &[Option<String>]) -> String {
    parts
        .iter()
        .flatten()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}
