//! The API's tags: each becomes a module of operations behind a cargo feature of its own.

use crate::ir::{Api, Operation};
use crate::names::{self, UniqueNames};

/// One tag of an API.
pub struct Tag<'a> {
    /// The tag as the document writes it (the first tag of each operation, or `default`).
    pub name: String,
    /// Its Rust module (and file) name.
    pub module: String,
    /// Its cargo feature, `<api module>-<tag module>` in kebab case (the API module alone when
    /// the tag has its name).
    pub feature: String,
    /// Its operations, in document order.
    pub operations: Vec<&'a Operation>,
}

/// The features a generated crate has besides its tags (see `manifest`).
const OTHER_FEATURES: &[&str] = &[
    "default",
    "native-tls",
    "jwt",
    "redis",
    "receiver",
    "websocket",
    "mock",
    "cli",
    "conformance",
];

/// The API's tags, in the order of their first operation.
pub fn tags(api: &Api) -> Vec<Tag<'_>> {
    let mut groups: Vec<(String, Vec<&Operation>)> = Vec::new();
    for op in &api.operations {
        match groups.iter_mut().find(|(tag, _)| *tag == op.tag) {
            Some((_, ops)) => ops.push(op),
            None => groups.push((op.tag.clone(), vec![op])),
        }
    }
    let mut modules = UniqueNames::default();
    // The API's own files (`mod.rs`, `types.rs`, `webhooks.rs`) and the items of `mod.rs`.
    for reserved in ["mod", "types", "webhooks", "client", "rate_classes", "cli"] {
        modules.reserve(reserved);
    }
    groups
        .into_iter()
        .map(|(name, operations)| {
            let module = modules.claim(&names::module_name(&name));
            // `users` of the API `users` is the feature `users`, not `users-users`.
            let feature = if module == api.module && !OTHER_FEATURES.contains(&module.as_str()) {
                api.module.replace('_', "-")
            } else {
                format!("{}-{}", api.module, module).replace('_', "-")
            };
            Tag {
                name,
                module,
                feature,
                operations,
            }
        })
        .collect()
}
