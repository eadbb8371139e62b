//! Macro tables laid out one entry per line.
//!
//! A generated object and an open enum are invocations of the runtime's `object!` and
//! `open_enum!` with a table as body. `prettyplease` fills
//! a macro body like a paragraph (`optional::zoomgen_runtime::…`, `Vec < T >`), so while a file
//! is emitted ([`collected`]) each table is also kept as text, and [`splice`] puts that text in
//! place of the body `prettyplease` printed: the tokens are still parsed by `syn`, only their
//! layout is ours.

use std::cell::RefCell;

use proc_macro2::TokenStream;

use crate::error::{Error, Result};

/// The runtime macros whose bodies are tables.
const TABLE_MACROS: &[&str] = &[
    "::zoomgen_runtime::__private::object! {",
    "::zoomgen_runtime::__private::open_enum! {",
    "::zoomgen_runtime::__private::roundtrips! {",
];

thread_local! {
    /// The tables of the file being emitted on this thread; `None` outside [`collected`].
    static COLLECTED: RefCell<Option<Vec<Table>>> = const { RefCell::new(None) };
}

/// One table: the lines before it (doc comments, attributes), `Head {`, then its entries,
/// each ending in a comma (an entry's lines before its last are its docs).
pub struct Table {
    pub before: Vec<String>,
    pub head: String,
    pub entries: Vec<String>,
}

/// Runs `make` with the tables it records set aside, in the order they were made.
pub fn collected<T>(make: impl FnOnce() -> T) -> (T, Vec<Table>) {
    let outer = COLLECTED.with(|collected| collected.replace(Some(Vec::new())));
    let made = make();
    let tables = COLLECTED.with(|collected| collected.replace(outer));
    (made, tables.unwrap_or_default())
}

/// Records the layout of the table whose tokens the caller emits next.
pub fn record(table: Table) {
    COLLECTED.with(|collected| {
        if let Some(tables) = collected.borrow_mut().as_mut() {
            tables.push(table);
        }
    });
}

/// A type's tokens as a person writes them: `::std::collections::BTreeMap<String, Vec<T>>`.
pub fn type_text(ty: &TokenStream) -> String {
    let text = ty.to_string();
    let mut out = String::with_capacity(text.len());
    let mut previous = "<";
    for word in text.split_whitespace() {
        let glue_before =
            matches!(word, "<" | ">" | "," | ">>") || (word == "::" && previous != ",");
        let glue_after = matches!(previous, "::" | "<");
        if !glue_before && !glue_after {
            out.push(' ');
        }
        out.push_str(word);
        previous = word;
    }
    out
}

/// Replaces the body of each table macro in `formatted` with its recorded table, in order, and
/// separates top-level items with one blank line.
pub fn splice(formatted: &str, tables: &[Table], what: &str) -> Result<String> {
    let mut out = String::with_capacity(formatted.len() + formatted.len() / 8);
    let mut tables = tables.iter();
    let mut lines = formatted.lines().peekable();
    let mut previous: Option<&str> = None;
    while let Some(line) = lines.next() {
        if previous.is_some_and(|previous| spaced_apart(previous, line)) {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
        let body = line.trim_start_matches(' ');
        if !TABLE_MACROS.contains(&body) {
            continue;
        }
        let indent = &line[..line.len() - body.len()];
        let close = format!("{indent}}}");
        let Some(table) = tables.next() else {
            return Err(table_error(what, "a table macro has no recorded table"));
        };
        // Skip the body prettyplease printed, up to the invocation's closing brace.
        loop {
            match lines.next() {
                Some(next) if next == close => break,
                Some(_) => {}
                None => return Err(table_error(what, "a table macro is not closed")),
            }
        }
        for line in &table.before {
            out.push_str(&format!("{indent}    {line}\n"));
        }
        out.push_str(&format!("{indent}    {} {{\n", table.head));
        for entry in &table.entries {
            for line in entry.lines() {
                out.push_str(&format!("{indent}        {line}\n"));
            }
            out.pop();
            out.push_str(",\n");
        }
        out.push_str(&format!("{indent}    }}\n{close}\n"));
        previous = Some("}");
    }
    if tables.next().is_some() {
        return Err(table_error(what, "a recorded table has no table macro"));
    }
    Ok(out)
}

/// Whether a blank line goes between two lines: after an item ends and before the next begins
/// (at the top level, and inside `impl` and `mod` blocks), except between one-line `use` and
/// `mod` items.
fn spaced_apart(previous: &str, line: &str) -> bool {
    nested_items_apart(previous, line) || top_level_apart(previous, line)
}

/// Items one level in (methods of an `impl`, items of a `mod`): after one that ends, before
/// one that begins. Statements of a top-level function sit at that depth too, but none of them
/// starts like an item.
fn nested_items_apart(previous: &str, line: &str) -> bool {
    let one_in = |text: &str| text.starts_with("    ") && !text[4..].starts_with(' ');
    let starts_item = ["///", "#[", "pub ", "fn ", "const ", "__private::"]
        .iter()
        .any(|start| line[4.min(line.len())..].starts_with(start));
    one_in(previous)
        && one_in(line)
        && previous.ends_with(['}', ';'])
        && starts_item
        && !previous.trim_start().starts_with("use ")
}

fn top_level_apart(previous: &str, line: &str) -> bool {
    let top_level = |text: &str| !text.is_empty() && !text.starts_with([' ', '}', ')']);
    let comment = |text: &str| text.starts_with("//");
    let one_liner = |text: &str| {
        ["use ", "pub use ", "mod ", "pub mod "]
            .iter()
            .any(|keyword| text.starts_with(keyword))
            && text.ends_with(';')
    };
    let ended = previous == "}"
        || previous == "};"
        || (top_level(previous) && !comment(previous) && previous.ends_with(['}', ';']));
    let after_inner_docs = previous.starts_with("//!") && !line.starts_with("//!");
    after_inner_docs || (ended && top_level(line) && !(one_liner(previous) && one_liner(line)))
}

fn table_error(what: &str, message: &str) -> Error {
    Error::Emit {
        what: what.to_owned(),
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn types_read_as_written() {
        let ty = quote! { ::std::collections::BTreeMap<String, Vec<Box<types::Tree>>> };
        assert_eq!(
            type_text(&ty),
            "::std::collections::BTreeMap<String, Vec<Box<types::Tree>>>"
        );
        let ty = quote! { Vec<::serde_json::Map<String, ::serde_json::Value>> };
        assert_eq!(
            type_text(&ty),
            "Vec<::serde_json::Map<String, ::serde_json::Value>>"
        );
    }

    #[test]
    fn tables_replace_the_filled_body_and_items_are_spaced() {
        let formatted = "pub struct A {}\n::zoomgen_runtime::__private::open_enum! {\n    A : Text { X = \"x\", Y =\n    \"y\" }\n}\nfn f() {}\n";
        let table = Table {
            before: vec!["/// An enum.".into()],
            head: "pub enum A: Text".into(),
            entries: vec!["X = \"x\"".into(), "/// Why.\nY = \"y\"".into()],
        };
        let out = splice(formatted, &[table], "t.rs").unwrap();
        assert_eq!(
            out,
            "pub struct A {}\n\n::zoomgen_runtime::__private::open_enum! {\n    /// An enum.\n    pub enum A: Text {\n        X = \"x\",\n        /// Why.\n        Y = \"y\",\n    }\n}\n\nfn f() {}\n"
        );
        assert!(splice(formatted, &[], "t.rs").is_err());
    }
}
