//! How a generated crate depends on `zoomgen-runtime`, and the checks Cargo would make of it.

use serde::Deserialize;

use crate::error::{Error, Result};

/// How the generated crate depends on `zoomgen-runtime`: a registry version (the default, the
/// generator's own minor version), a path, a git repository, or a path with a version (in
/// a repository, and publishable).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RuntimeDependency {
    #[serde(default)]
    pub version: Option<String>,
    /// Relative to the generated crate, as Cargo reads it.
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub git: Option<String>,
    #[serde(default)]
    pub branch: Option<String>,
    #[serde(default)]
    pub tag: Option<String>,
    #[serde(default)]
    pub rev: Option<String>,
}

impl Default for RuntimeDependency {
    /// The registry version of the runtime that this generator's output is written for.
    fn default() -> Self {
        Self::version(runtime_requirement())
    }
}

/// `major.minor` of the generator, which is released together with the runtime.
fn runtime_requirement() -> String {
    let mut parts = env!("CARGO_PKG_VERSION").split('.');
    match (parts.next(), parts.next()) {
        (Some(major), Some(minor)) => format!("{major}.{minor}"),
        _ => env!("CARGO_PKG_VERSION").to_owned(),
    }
}

impl RuntimeDependency {
    /// A registry version requirement (`"0.1"`).
    pub fn version(requirement: impl Into<String>) -> Self {
        Self {
            version: Some(requirement.into()),
            path: None,
            git: None,
            branch: None,
            tag: None,
            rev: None,
        }
    }

    /// A path (relative to the generated crate), with no version: the crate cannot be
    /// published.
    pub fn path(path: impl Into<String>) -> Self {
        Self {
            version: None,
            path: Some(path.into()),
            git: None,
            branch: None,
            tag: None,
            rev: None,
        }
    }

    /// Both: Cargo uses the path locally and the version once published.
    pub fn path_and_version(path: impl Into<String>) -> Self {
        Self {
            path: Some(path.into()),
            ..Self::default()
        }
    }

    pub(super) fn validate(&self) -> Result<()> {
        let problem = if self.version.is_none() && self.path.is_none() && self.git.is_none() {
            Some("needs one of `version`, `path` or `git`")
        } else if self.git.is_some() && self.path.is_some() {
            Some("`git` and `path` exclude each other")
        } else if self.git.is_none()
            && (self.branch.is_some() || self.tag.is_some() || self.rev.is_some())
        {
            Some("`branch`, `tag` and `rev` need `git`")
        } else if [&self.branch, &self.tag, &self.rev]
            .iter()
            .filter(|v| v.is_some())
            .count()
            > 1
        {
            Some("give at most one of `branch`, `tag` and `rev`")
        } else {
            None
        };
        match problem {
            Some(problem) => Err(Error::Config(format!("[runtime] {problem}"))),
            None => Ok(()),
        }
    }

    /// The dependency's inline table entries, in Cargo's order.
    pub(crate) fn entries(&self) -> Vec<(&'static str, &str)> {
        [
            ("version", &self.version),
            ("path", &self.path),
            ("git", &self.git),
            ("branch", &self.branch),
            ("tag", &self.tag),
            ("rev", &self.rev),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.as_deref().map(|value| (key, value)))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_runtime_is_the_generators_minor_version_from_the_registry() {
        let runtime = RuntimeDependency::default();
        assert_eq!(runtime.path, None);
        assert_eq!(
            runtime.version.as_deref(),
            Some(runtime_requirement().as_str())
        );
        assert_eq!(runtime_requirement().matches('.').count(), 1);
    }
}
