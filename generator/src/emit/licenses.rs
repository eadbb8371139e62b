//! The license texts a generated crate ships: `cargo package` includes them, and MIT and
//! Apache-2.0 both require the text to travel with the code.

use std::path::PathBuf;

use super::GeneratedFile;

const MIT: &str = include_str!("../../LICENSE-MIT");
const APACHE: &str = include_str!("../../LICENSE-APACHE");

/// The texts of the licenses the SPDX `expression` names among those zoomgen carries (MIT,
/// Apache-2.0); a crate under another license brings its own file.
pub fn files(expression: &str) -> Vec<GeneratedFile> {
    let ids: Vec<&str> = expression
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .collect();
    [
        ("MIT", "LICENSE-MIT", MIT),
        ("Apache-2.0", "LICENSE-APACHE", APACHE),
    ]
    .into_iter()
    .filter(|(id, _, _)| ids.contains(id))
    .map(|(_, file, text)| GeneratedFile {
        path: PathBuf::from(file),
        contents: text.to_owned(),
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_named_license_gets_its_text_and_others_none() {
        let names = |expression| -> Vec<PathBuf> {
            files(expression).into_iter().map(|f| f.path).collect()
        };
        assert_eq!(
            names("MIT OR Apache-2.0"),
            [
                PathBuf::from("LICENSE-MIT"),
                PathBuf::from("LICENSE-APACHE")
            ]
        );
        assert_eq!(names("(MIT)"), [PathBuf::from("LICENSE-MIT")]);
        assert!(names("BSD-3-Clause").is_empty());
        assert!(names("MIT-0").is_empty());
    }
}
