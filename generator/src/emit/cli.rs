//! The command line of a generated crate (its feature `cli`): per API a `cli.rs` with the
//! tables of its tags, operations and flags and one function per operation that reads the
//! flags into the operation's builder; the crate's `command_line()`; and its binary.

use std::collections::HashSet;

use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::inputs::{BodyEncoding, body_encoding, param_doc, param_type, takes_into};
use super::shape::{Shape, shape};
use super::tags::Tag;
use super::tokens::{ident, rust_type};
use crate::ir::{Api, Operation, Scalar, TypeKind, TypeRef};
use crate::names;

/// Flags every command has, or that the runtime adds to some: parameters get others.
const RESERVED_FLAGS: &[&str] = &[
    "help",
    "version",
    "body",
    "all",
    "base-url",
    "oauth-base-url",
    "download-host",
    "dry-run",
];

/// The binary's name: the crate's without its `-client` suffix (`zoom-client` → `zoom`).
pub fn binary_name(package: &str) -> String {
    package
        .strip_suffix("-client")
        .filter(|name| !name.is_empty())
        .unwrap_or(package)
        .to_owned()
}

/// The API's `cli.rs`.
pub fn emit_api_cli(api: &Api, tags: &[Tag<'_>], tag_features: bool) -> TokenStream {
    let api_name = api.module.to_kebab_case();
    let about = &api.title;
    let groups = tags.iter().map(|tag| {
        let module = ident(&tag.module);
        let name = tag.module.to_kebab_case();
        let about = &tag.name;
        let commands = tag
            .operations
            .iter()
            .map(|op| command_entry(api, op, &module));
        let cfg = tag_cfg(tag, tag_features);
        quote! {
            #cfg
            groups.push(Group {
                name: #name,
                about: #about,
                commands: &[#(#commands),*],
            });
        }
    });
    let api_module = ident(&api.module);
    let tag_modules = tags.iter().map(|tag| {
        let module = ident(&tag.module);
        let cfg = tag_cfg(tag, tag_features);
        let prepares: Vec<TokenStream> = tag
            .operations
            .iter()
            .map(|op| prepare_fn(api, op))
            .collect();
        let prepares = quote! { #(#prepares)* };
        // Only a module whose flags or bodies are of the API's types imports them.
        let types = prepares
            .to_string()
            .contains("types ::")
            .then(|| quote! { use crate::#api_module::types; });
        quote! {
            #cfg
            pub(super) mod #module {
                use ::zoomgen_runtime::cli::{Args, Prepared};
                use ::zoomgen_runtime::Error;
                use crate::#api_module::Client;
                #types

                #prepares
            }
        }
    });
    quote! {
        //! This API's subcommands of the crate's command line (cargo feature `cli`).

        use ::zoomgen_runtime::cli::{Api, BodyFlag, Command, Group, Module, Param};
        use super::Client;

        /// This API's subcommand: a subcommand per tag, and per operation under it.
        // Each push is behind its tag's feature, which a `vec![…]` cannot say.
        #[allow(clippy::vec_init_then_push)]
        pub fn module() -> Box<dyn Module> {
            #[allow(unused_mut)]
            let mut groups = Vec::new();
            #(#groups)*
            Box::new(Api {
                name: #api_name,
                about: #about,
                client: Client::builder,
                api_client: Client::api_client,
                groups,
            })
        }

        /// Per tag, the functions that read an operation's flags into its builder.
        mod prepare {
            #(#tag_modules)*
        }
    }
}

fn tag_cfg(tag: &Tag<'_>, tag_features: bool) -> TokenStream {
    let feature = &tag.feature;
    if tag_features {
        quote! { #[cfg(feature = #feature)] }
    } else {
        quote! {}
    }
}

/// Each parameter's flag, unique within the operation.
fn flags(op: &Operation) -> Vec<String> {
    let mut taken: HashSet<String> = RESERVED_FLAGS
        .iter()
        .map(|flag| (*flag).to_owned())
        .collect();
    op.params
        .iter()
        .map(|param| {
            let base = param.name.to_kebab_case();
            let base = if base.is_empty() {
                "param".to_owned()
            } else {
                base
            };
            let mut flag = base.clone();
            let mut n = 2;
            while !taken.insert(flag.clone()) {
                flag = format!("{base}-{n}");
                n += 1;
            }
            flag
        })
        .collect()
}

/// The values a parameter of `ty` takes, when it is an enum or a boolean.
fn choices(api: &Api, ty: &TypeRef) -> Vec<String> {
    match ty {
        TypeRef::Scalar(Scalar::Boolean) => vec!["true".to_owned(), "false".to_owned()],
        TypeRef::Named(id) => match &api.type_def(*id).kind {
            TypeKind::Enum(def) => def
                .values
                .iter()
                .map(|value| match &value.wire {
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                })
                .collect(),
            TypeKind::Alias(inner) => choices(api, inner),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// How a command reads its body: into the builder's type, as text, or as bytes.
enum BodyRead {
    Typed(TokenStream),
    Text,
    Bytes,
}

fn body_read(api: &Api, op: &Operation) -> Option<(BodyRead, bool)> {
    let body = op.body.as_ref()?;
    let read = match body_encoding(api, body) {
        BodyEncoding::Json | BodyEncoding::Multipart(_) | BodyEncoding::Form => {
            BodyRead::Typed(rust_type(api, &body.ty, &quote! { types:: }))
        }
        BodyEncoding::Text => BodyRead::Text,
        BodyEncoding::Bytes => BodyRead::Bytes,
    };
    Some((read, body.required))
}

fn is_paged(api: &Api, op: &Operation) -> bool {
    super::pagination::item_stream(api, op).is_some()
}

/// The operation's entry in its group's table.
fn command_entry(api: &Api, op: &Operation, module: &proc_macro2::Ident) -> TokenStream {
    let name = names::bare(&op.fn_name).to_kebab_case();
    let about = op
        .summary
        .clone()
        .unwrap_or_else(|| op.operation_id.clone());
    let about = one_line(about.split("\n\n").next().unwrap_or(&about));
    let params = op.params.iter().zip(flags(op)).map(|(param, flag)| {
        let help = one_line(&param_doc(param));
        let required = param.required;
        let values = choices(api, &param.ty);
        let list = matches!(param_type(api, param), TypeRef::Array(_));
        quote! {
            Param { flag: #flag, help: #help, required: #required, values: &[#(#values),*], list: #list }
        }
    });
    let body = match body_read(api, op) {
        None => quote! { BodyFlag::None },
        Some((_, true)) => quote! { BodyFlag::Required },
        Some((_, false)) => quote! { BodyFlag::Optional },
    };
    let paged = is_paged(api, op);
    let prepare = ident(&op.fn_name);
    quote! {
        Command {
            name: #name,
            about: #about,
            params: &[#(#params),*],
            body: #body,
            paged: #paged,
            prepare: prepare::#module::#prepare,
        }
    }
}

/// `text` on one line: a flag's or command's help.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The function that reads the flags into the operation's builder.
fn prepare_fn(api: &Api, op: &Operation) -> TokenStream {
    let method = ident(&op.fn_name);
    let mut arguments = Vec::new();
    let mut setters = Vec::new();
    for (param, flag) in op.params.iter().zip(flags(op)) {
        let ty = if param.secret {
            quote! { String }
        } else {
            rust_type(api, &param_type(api, param), &quote! { types:: })
        };
        // A secret is read as text; an argument that takes `impl Into<Secret>` takes that.
        let convert = if param.secret && !takes_into(&param_type(api, param)) {
            quote! { .into() }
        } else {
            quote! {}
        };
        if param.required {
            arguments.push(quote! { args.required::<#ty>(#flag)?#convert });
        } else {
            let setter = ident(&param.rust_name);
            setters.push(quote! {
                if let Some(value) = args.value::<#ty>(#flag)? {
                    call = call.#setter(value #convert);
                }
            });
        }
    }
    match body_read(api, op) {
        Some((read, true)) => arguments.push(match read {
            BodyRead::Typed(ty) => quote! { args.required_body::<#ty>()? },
            BodyRead::Text => quote! { args.required_text_body()? },
            BodyRead::Bytes => quote! { args.required_raw_body()? },
        }),
        Some((read, false)) => {
            let value = match read {
                BodyRead::Typed(ty) => quote! { args.body::<#ty>()? },
                BodyRead::Text => quote! { args.text_body()? },
                BodyRead::Bytes => quote! { args.raw_body()? },
            };
            setters.push(quote! {
                if let Some(value) = #value {
                    call = call.body(value);
                }
            });
        }
        None => {}
    }
    let prepared = match shape(op) {
        Shape::Json { .. } if is_paged(api, op) => quote! { Prepared::pages(call) },
        Shape::Json { .. } => quote! { Prepared::json(call) },
        _ => quote! { Prepared::as_sent(call) },
    };
    let call = if setters.is_empty() {
        quote! { let call = client.#method(#(#arguments),*); }
    } else {
        quote! {
            let mut call = client.#method(#(#arguments),*);
            #(#setters)*
        }
    };
    let args = if arguments.is_empty() && setters.is_empty() {
        quote! { _args }
    } else {
        quote! { args }
    };
    quote! {
        pub(in super::super) fn #method<'c>(client: &'c Client, #args: &Args<'_>) -> Result<Prepared<'c>, Error> {
            #call
            Ok(#prepared)
        }
    }
}

/// The crate's `command_line()`, in `lib.rs`: the APIs with operations.
pub fn command_line(apis: &[Api], binary: &str, about: &str) -> TokenStream {
    let modules = apis
        .iter()
        .filter(|api| !api.operations.is_empty())
        .map(|api| {
            let module = ident(&api.module);
            quote! { #module::cli::module() }
        });
    let doc = format!(
        " Runs the crate's command line (cargo feature `cli`): what its binary `{binary}` calls."
    );
    quote! {
        #[doc = #doc]
        #[cfg(feature = "cli")]
        #[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
        #[rustfmt::skip]
        pub fn command_line() -> ::std::process::ExitCode {
            ::zoomgen_runtime::cli::main(#binary, #about, vec![#(#modules),*])
        }
    }
}

/// The binary's `src/bin/<name>.rs`.
pub fn binary(package: &str) -> TokenStream {
    let krate = ident(&package.replace('-', "_"));
    let doc = format!(" The command line of `{package}`: `--help` lists its subcommands.");
    quote! {
        #![doc = #doc]

        fn main() -> ::std::process::ExitCode {
            #krate::command_line()
        }
    }
}
