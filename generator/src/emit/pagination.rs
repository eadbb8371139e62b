//! The page and item streams of paginated operations: `pages()`, `items()`, and for listings
//! limited to a date range per request, `items_between(from, to)` in windows.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::shape::{Shape, shape};
use super::tokens::{ident, rust_type};
use crate::ir::{Api, Operation, Pagination, TokenExpiry, TypeKind, TypeRef};

/// The builder's `pages()` and `items()` methods, and its `Paged` implementation (for the
/// test kit and the command line) when it has an item stream; both empty for an operation
/// that does not page.
pub(super) fn pagination_methods(
    api: &Api,
    op: &Operation,
    meta: &proc_macro2::Ident,
    builder: &proc_macro2::Ident,
) -> (TokenStream, TokenStream) {
    let types = quote! { types:: };
    let (page, token) = match &op.pagination {
        Some(Pagination::Token {
            page,
            request_param,
            response_field,
            expiry,
            ..
        }) => (page, Some((request_param, response_field, expiry))),
        Some(Pagination::Link { page, .. }) => (page, None),
        None => return (quote! {}, quote! {}),
    };
    if !sends_the_page(op, page) {
        return (quote! {}, quote! {});
    }
    let page_ty = rust_type(api, page, &types);
    let pages = if let Some((request_param, _, expiry)) = token {
        let Some(token_param) = op.params.iter().find(|p| p.name == *request_param) else {
            return (quote! {}, quote! {});
        };
        let token_field = ident(&token_param.rust_name);
        // A document may mark the token parameter required (Zoom Rooms' `GET /rooms/tags`):
        // the builder then holds a `String`, and an empty one asks for the first page.
        let (first, set) = if token_param.required {
            (
                quote! { Some(self.#token_field.clone()).filter(|token| !token.is_empty()) },
                quote! { token.unwrap_or_default() },
            )
        } else {
            (quote! { self.#token_field.clone() }, quote! { token })
        };
        let (expiry, expired) = match expiry {
            Some(TokenExpiry {
                code,
                message_contains,
            }) => (
                quote! { Some(::zoomgen_runtime::TokenExpiry::new(#code, #message_contains)) },
                format!(", and an expired token (error code {code}) is `Error::PageTokenExpired`"),
            ),
            None => (quote! { None }, String::new()),
        };
        let doc = doc_attrs(Some(&format!(
            "Every page, following `{request_param}` until it is empty; the page size set on \
             this builder applies to every request. A repeated token ends the stream with an \
             error instead of looping{expired}."
        )));
        quote! {
            #doc
            pub fn pages(self) -> ::zoomgen_runtime::PageStream<'a, #page_ty> {
                let first = #first;
                ::zoomgen_runtime::token_pages(&#meta, first, #expiry, move |token| {
                    let mut builder = self.clone();
                    builder.#token_field = #set;
                    builder.send()
                })
            }
        }
    } else {
        quote! {
            /// Every page, following the `Link: <…>; rel="next"` response header.
            pub fn pages(self) -> ::zoomgen_runtime::PageStream<'a, #page_ty> {
                ::zoomgen_runtime::link_pages(&#meta, move |next| {
                    let builder = self.clone();
                    async move {
                        let mut request = builder.request()?;
                        if let Some(url) = next {
                            request.absolute_url(&url)?;
                        }
                        let response = builder.client.api.execute(request).await?;
                        let next = response.next_link();
                        Ok((response.json()?, next))
                    }
                })
            }
        }
    };
    let items_method = item_stream(api, op).map(|(field, item)| {
        let field_name = ident(&field.rust_name);
        let item_ty = rust_type(api, item, &types);
        let take = if field.is_optional() {
            quote! { page.#field_name.unwrap_or_default() }
        } else {
            quote! { page.#field_name }
        };
        let items_field = &field.name;
        let shape = match token {
            Some((request_param, response_field, _)) => {
                quote! { token(#items_field, #response_field, #request_param) }
            }
            None => quote! { link(#items_field) },
        };
        (
            quote! {
                /// Every item of every page (see [`Self::pages`]).
                pub fn items(self) -> ::zoomgen_runtime::PageStream<'a, #item_ty> {
                    ::zoomgen_runtime::page_items(self.pages(), |page| #take)
                }
            },
            quote! { __private::paged!(#builder, #item_ty, #shape); },
        )
    });
    let (items_method, paged) = items_method.unzip();
    (quote! { #pages #items_method }, quote! { #paged })
}

/// The page's field that holds a listing's items, and their type, when its builder has an
/// item stream (`items()` and `Paged`): the operation pages, its `send` yields the page, a
/// token-paged one has its token parameter, and the page is an object with the items' field.
pub(super) fn item_stream<'a>(
    api: &'a Api,
    op: &'a Operation,
) -> Option<(&'a crate::ir::Field, &'a TypeRef)> {
    let (page, items) = match &op.pagination {
        Some(Pagination::Token {
            page,
            items,
            request_param,
            ..
        }) if op.params.iter().any(|p| p.name == *request_param) => (page, items),
        Some(Pagination::Link { page, items }) => (page, items),
        _ => return None,
    };
    if !sends_the_page(op, page) {
        return None;
    }
    let items = items.as_ref()?;
    let TypeRef::Named(page_id) = page else {
        return None;
    };
    let TypeKind::Struct(def) = &api.type_def(*page_id).kind else {
        return None;
    };
    let field = def.fields.iter().find(|f| f.rust_name == items.field)?;
    Some((field, &items.item))
}

/// Whether `op`'s `send` decodes into `page` itself (so its pages can be streamed).
fn sends_the_page(op: &Operation, page: &TypeRef) -> bool {
    matches!(shape(op), Shape::Json { ty, maybe_empty: false } if ty == *page)
}

/// `items_between(from, to)` for listings the `date_windows` pass marked: the items of any
/// date range, listed in the month windows the API accepts and each yielded once (by the
/// pass's key field). Emitted only beside `items()`, which it calls per window.
/// What `items_between` is made of, or why a listing the `date_windows` pass marked cannot
/// have it (`--report` says so rather than leaving the method out silently).
struct WindowParts<'a> {
    from: proc_macro2::Ident,
    to: proc_macro2::Ident,
    token: proc_macro2::Ident,
    items: &'a crate::ir::PageItems,
    key_field: &'a crate::ir::Field,
    key: &'a str,
}

fn window_parts<'a>(api: &'a Api, op: &'a Operation) -> Result<WindowParts<'a>, &'static str> {
    let Some(windows) = &op.date_windows else {
        return Err("the listing is not windowed");
    };
    let Some(Pagination::Token {
        items: Some(items),
        request_param,
        ..
    }) = &op.pagination
    else {
        return Err("the listing pages without an item stream");
    };
    let param = |name: &str| {
        op.params
            .iter()
            .find(|p| p.name == name)
            .map(|p| ident(&p.rust_name))
    };
    let (Some(from), Some(to), Some(token)) = (
        param(&windows.from),
        param(&windows.to),
        param(request_param),
    ) else {
        return Err("a date or page-token parameter is missing");
    };
    let TypeRef::Named(item_id) = &items.item else {
        return Err("the items are not objects");
    };
    let TypeKind::Struct(def) = &api.type_def(*item_id).kind else {
        return Err("the items are not objects");
    };
    let Some(key_field) = def.fields.iter().find(|f| f.name == windows.key) else {
        return Err("the items have no key field to yield each once");
    };
    Ok(WindowParts {
        from,
        to,
        token,
        items,
        key_field,
        key: &windows.key,
    })
}

/// Why a listing the `date_windows` pass marked gets no `items_between`, if it does not.
pub fn items_between_unavailable(api: &Api, op: &Operation) -> Option<&'static str> {
    op.date_windows.as_ref()?;
    window_parts(api, op).err()
}

pub(super) fn date_window_method(
    api: &Api,
    op: &Operation,
    meta: &proc_macro2::Ident,
) -> TokenStream {
    let types = quote! { types:: };
    let Ok(WindowParts {
        from,
        to,
        token,
        items,
        key_field,
        key: key_name,
    }) = window_parts(api, op)
    else {
        return quote! {};
    };
    let key = ident(&key_field.rust_name);
    let key_of = if key_field.is_optional() {
        quote! { item.#key.as_ref().map(::std::string::ToString::to_string) }
    } else {
        quote! { Some(::std::string::ToString::to_string(&item.#key)) }
    };
    let item_ty = rust_type(api, &items.item, &types);
    let doc = format!(
        " Every item from `from` to `to`, both inclusive, over any range: the API accepts at \
         most a month per request, so the range is listed one calendar month at a time (each \
         with every page, see [`Self::items`]) and an item returned by two windows is yielded \
         once, by its `{}`. Other parameters set on this builder apply to every window; the \
         stream ends after the first error.",
        key_name
    );
    quote! {
        #[doc = #doc]
        pub fn items_between(
            self,
            from: ::zoomgen_runtime::chrono::NaiveDate,
            to: ::zoomgen_runtime::chrono::NaiveDate,
        ) -> ::zoomgen_runtime::PageStream<'a, #item_ty> {
            ::zoomgen_runtime::windows::items_between(
                &#meta,
                from,
                to,
                move |first, last| {
                    let mut builder = self.clone();
                    builder.#from = Some(first.into());
                    builder.#to = Some(last.into());
                    builder.#token = None;
                    builder.items()
                },
                |item| #key_of,
            )
        }
    }
}
