//! Documentation attributes from vendor text.
//!
//! Vendor descriptions are most of a generated file's bytes. Put into the token stream as
//! string literals, each one is escaped by `proc-macro2`, unescaped by `syn` and measured by
//! `prettyplease`: about a seventh of the generator's instructions (callgrind). So while a
//! file is emitted ([`collected`]), a doc comment is a short marker line, and [`splice`] puts
//! the text in after formatting, giving the very lines `prettyplease` prints for
//! `#[doc = "..."]`.

use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::{Error, Result};

/// What a doc marker's line starts with after its indentation.
const MARKER: &str = "///@zoomgen-doc:";

thread_local! {
    /// The doc texts of the file being emitted on this thread; `None` outside [`collected`].
    static COLLECTED: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Runs `make` with the doc comments it creates set aside: its tokens carry markers, and the
/// texts come back in marker order for [`splice`].
pub fn collected(make: impl FnOnce() -> TokenStream) -> (TokenStream, Vec<String>) {
    let outer = COLLECTED.with(|collected| collected.replace(Some(Vec::new())));
    let tokens = make();
    let texts = COLLECTED.with(|collected| collected.replace(outer));
    (tokens, texts.unwrap_or_default())
}

/// Whether `c` changes the direction of text (U+202A–U+202E, U+2066–U+2069): rustc refuses
/// them in comments, and a reviewer could be misled by them anywhere.
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Vendor text as doc text: line breaks of any kind (`\r\n`, a bare `\r`) become `\n`, and
/// other control and text-direction characters are written as escapes (`\u{202e}`), which
/// rustc accepts in a comment and a reader sees.
fn doc_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (c.is_control() && c != '\n' && c != '\t') || is_direction_control(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    markdown_for_rustdoc(&out)
}

/// Vendor Markdown as rustdoc reads it well: a bare URL becomes a link (`<https://…>`), and
/// prose indented four spaces after a blank line (an accident of the vendor's formatting,
/// which rustdoc would try to compile as a Rust code block) loses its indentation. Fenced
/// blocks are left alone.
fn markdown_for_rustdoc(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut in_indented = false;
    let mut previous_blank = true;
    for line in text.split('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            out.push(line.to_owned());
            previous_blank = false;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
            continue;
        }
        let blank = trimmed.is_empty();
        let indented = !blank && (line.starts_with("    ") || line.starts_with('\t'));
        in_indented = indented && (previous_blank || in_indented);
        let line = if in_indented { trimmed } else { line };
        out.push(link_bare_urls(line));
        previous_blank = blank;
    }
    out.join("\n")
}

/// `line` with each URL outside code spans, links and HTML attributes written `<url>`.
fn link_bare_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
        }
        let starts_url = rest.starts_with("https://") || rest.starts_with("http://");
        let quoted = matches!(out.chars().last(), Some('<' | '(' | '"' | '[' | '='));
        if starts_url && !in_code && !quoted {
            let end = rest
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | ')' | ']')
                })
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Outer `///` doc lines for `text` (nothing for `None`).
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    doc_comment(text).tokens
}

/// A doc comment as tokens and as the `///` lines a table laid out by hand (`tables`) writes:
/// where the tokens carry a marker, so do the lines, and [`splice`] fills both.
pub struct DocComment {
    pub tokens: TokenStream,
    pub lines: Vec<String>,
}

/// The doc comment of `text` (empty for `None`).
pub fn doc_comment(text: Option<&str>) -> DocComment {
    let empty = || DocComment {
        tokens: quote! {},
        lines: Vec::new(),
    };
    let Some(text) = text.map(doc_text) else {
        return empty();
    };
    let text = text.trim();
    if text.is_empty() {
        return empty();
    }
    let marker = COLLECTED.with(|collected| {
        collected.borrow_mut().as_mut().map(|texts| {
            texts.push(text.to_owned());
            format!("{}{}", &MARKER[3..], texts.len() - 1)
        })
    });
    match marker {
        Some(marker) => DocComment {
            tokens: quote! { #[doc = #marker] },
            lines: vec![format!("///{marker}")],
        },
        None => {
            let lines: Vec<String> = text
                .lines()
                .map(|line| format!(" {}", doc_line(line)))
                .collect();
            DocComment {
                tokens: quote! { #(#[doc = #lines])* },
                lines: lines.iter().map(|line| format!("///{line}")).collect(),
            }
        }
    }
}

/// A line of doc text as it is written after `///`: tabs as spaces, no trailing blanks.
fn doc_line(line: &str) -> String {
    line.trim_end().replace('\t', "    ")
}

/// The width generated lines keep to, as `prettyplease` does for code.
const LINE_WIDTH: usize = 100;

/// Deeply indented docs still get this much text per line.
const MIN_TEXT_WIDTH: usize = 40;

/// The doc lines of `text`, prose wrapped at spaces to `width` (vendor paragraphs arrive as
/// one line of a thousand characters). Fenced and indented code, tables and headings are kept
/// as they are; a wrapped list item continues indented under its text.
fn wrapped(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let line = doc_line(line);
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        let verbatim = in_fence
            || line.starts_with("    ")
            || trimmed.starts_with('|')
            || trimmed.starts_with('#')
            || line.chars().count() <= width;
        if verbatim {
            out.push(line);
            continue;
        }
        let lead = line.len() - trimmed.len();
        let marker = ["* ", "- ", "+ "]
            .iter()
            .find(|m| trimmed.starts_with(**m))
            .map_or(0, |m| m.len());
        let continuation = " ".repeat(lead + marker);
        let mut prefix = &line[..lead];
        let mut current = String::new();
        for word in trimmed.split(' ') {
            let len = prefix.len() + current.chars().count() + 1 + word.chars().count();
            if !current.is_empty() && len > width {
                out.push(format!("{prefix}{current}"));
                prefix = &continuation;
                current.clear();
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        let current = format!("{prefix}{current}");
        out.push(current);
    }
    out
}

/// Replaces each marker line of `formatted` with its text's `///` lines, at the marker's
/// indentation. A marker left anywhere else (where `prettyplease` did not print a doc
/// comment line) is an internal error.
pub fn splice(formatted: &str, texts: &[String], what: &str) -> Result<String> {
    if texts.is_empty() {
        return Ok(formatted.to_owned());
    }
    let extra: usize = texts.iter().map(String::len).sum();
    let mut out = String::with_capacity(formatted.len() + extra * 11 / 10);
    for line in formatted.split_inclusive('\n') {
        let body = line.trim_start_matches(' ');
        let index = body
            .strip_prefix(MARKER)
            .and_then(|rest| rest.trim_end_matches('\n').parse::<usize>().ok());
        let Some(text) = index.and_then(|index| texts.get(index)) else {
            out.push_str(line);
            continue;
        };
        let indent = &line[..line.len() - body.len()];
        let width = LINE_WIDTH
            .saturating_sub(indent.len() + 4)
            .max(MIN_TEXT_WIDTH);
        for text_line in wrapped(text, width) {
            out.push_str(indent);
            out.push_str("///");
            if !text_line.is_empty() {
                out.push(' ');
                out.push_str(&text_line);
            }
            out.push('\n');
        }
    }
    // A marker printed any other way (as an attribute inside a macro's tokens, say) would leave
    // its text out. Vendor text cannot look like that: in doc comments it is spliced text, and
    // in doc attributes of its own it starts with a space.
    if formatted.contains(&format!("doc = \"{}", &MARKER[3..])) {
        return Err(splice_error(
            what,
            "a doc marker is not on a comment line of its own".to_owned(),
        ));
    }
    Ok(out)
}

fn splice_error(what: &str, message: String) -> Error {
    Error::Emit {
        what: what.to_owned(),
        message,
    }
}

/// Inner `//!` doc lines.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let text = doc_text(text);
    let text = text.trim();
    if text.is_empty() {
        return quote! {};
    }
    let lines = text.lines().map(|line| format!(" {}", doc_line(line)));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_urls_become_links_and_indented_prose_is_not_code() {
        assert_eq!(
            markdown_for_rustdoc(
                "Example: 'https://zoom.us/rec/share/x?pwd=y'. See <https://a.b>, `https://c.d` or [e](https://f.g)."
            ),
            "Example: '<https://zoom.us/rec/share/x?pwd=y>'. See <https://a.b>, `https://c.d` or [e](https://f.g)."
        );
        assert_eq!(
            markdown_for_rustdoc(
                "Properties:\n\n    `id`, `status`.\n    more\n\n```\n    kept\n```"
            ),
            "Properties:\n\n`id`, `status`.\nmore\n\n```\n    kept\n```"
        );
    }

    fn item(doc: &str) -> TokenStream {
        let attrs = doc_attrs(Some(doc));
        quote! {
            #attrs
            pub struct Outer {
                #attrs
                pub field: u8,
            }
        }
    }

    fn unparse(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).unwrap())
    }

    #[test]
    fn spliced_docs_are_the_lines_prettyplease_prints() {
        let doc = "First line  \n\n\tindented <b>html</b> \"quoted\" \\ back\n  last";
        let inline = unparse(item(doc));
        let (tokens, texts) = collected(|| item(doc));
        assert_eq!(texts.len(), 1, "one text, its marker used twice");
        let spliced = splice(&unparse(tokens), &texts, "test").unwrap();
        assert_eq!(spliced, inline);
        // A tab after a blank line would start a code block: the prose loses the indent.
        assert!(spliced.contains("    /// indented <b>"), "{spliced}");
    }

    #[test]
    fn a_marker_that_is_not_a_comment_line_is_an_error() {
        let (tokens, texts) = collected(|| {
            let attrs = doc_attrs(Some("hidden in a macro"));
            quote! { some_macro! { #attrs struct S; } }
        });
        let error = splice(&unparse(tokens), &texts, "test").unwrap_err();
        assert!(
            error.to_string().contains("not on a comment line"),
            "{error}"
        );
    }

    #[test]
    fn long_prose_is_wrapped_and_code_tables_and_lists_are_kept_readable() {
        let long = "word ".repeat(40);
        let text = format!("{long}\n* {long}\n```\n{long}\n```\n| a | {long} |\n    {long}");
        let lines = wrapped(&text, 60);
        let fence = lines.iter().position(|l| l == "```").unwrap();
        for line in &lines[..fence] {
            assert!(line.chars().count() <= 60, "{line:?}");
        }
        assert!(lines.iter().any(|l| l.starts_with("* word")));
        assert!(lines.iter().any(|l| l.starts_with("  word")), "{lines:#?}");
        assert_eq!(lines[fence + 1], long.trim_end(), "code in a fence is kept");
        assert!(lines.iter().any(|l| l.starts_with("| a |") && l.len() > 60));
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("    word") && l.len() > 60)
        );
        let joined: Vec<&str> = lines[..fence]
            .iter()
            .flat_map(|l| l.split_whitespace())
            .collect();
        assert_eq!(joined.len(), 81, "no word lost: {joined:?}");
    }

    #[test]
    fn vendor_text_that_looks_like_a_marker_is_kept() {
        let doc = "See @zoomgen-doc:0 and ///@zoomgen-doc:1";
        let (tokens, texts) = collected(|| item(doc));
        let spliced = splice(&unparse(tokens), &texts, "test").unwrap();
        assert_eq!(spliced, unparse(item(doc)));
    }
}
