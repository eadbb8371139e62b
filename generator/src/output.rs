//! Writing a generated crate atomically, and checking a committed one for drift.
//!
//! The crate is written to a temporary sibling directory and swapped in only when complete, so
//! an error leaves the previous output untouched.

use std::fs;
use std::path::{Path, PathBuf};

use crate::emit::GeneratedFile;
use crate::error::{Error, Result};

fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_owned(),
        source,
    }
}

/// Replaces `dir` with exactly `files`.
pub fn write_crate(dir: &Path, files: &[GeneratedFile]) -> Result<()> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(write_error(parent))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let staging = parent.join(format!(".{name}.zoomgen-new-{}", std::process::id()));
    let backup = parent.join(format!(".{name}.zoomgen-old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let written = (|| {
        for file in files {
            let path = staging.join(&file.path);
            if let Some(folder) = path.parent() {
                fs::create_dir_all(folder).map_err(write_error(folder))?;
            }
            fs::write(&path, &file.contents).map_err(write_error(&path))?;
        }
        Ok(())
    })();
    if let Err(error) = written {
        let _ = fs::remove_dir_all(&staging);
        return Err(error);
    }
    if dir.exists() {
        fs::rename(dir, &backup).map_err(write_error(dir))?;
    }
    if let Err(source) = fs::rename(&staging, dir) {
        // Put the old output back rather than leave nothing.
        let _ = fs::rename(&backup, dir);
        let _ = fs::remove_dir_all(&staging);
        return Err(Error::Write {
            path: dir.to_owned(),
            source,
        });
    }
    let _ = fs::remove_dir_all(&backup);
    Ok(())
}

/// Files of `dir` that differ from `files`: changed, missing, or present but not generated.
pub fn drift(dir: &Path, files: &[GeneratedFile]) -> Vec<PathBuf> {
    let mut drifting = Vec::new();
    for file in files {
        let path = dir.join(&file.path);
        if fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
            drifting.push(path);
        }
    }
    let mut existing = Vec::new();
    list_files(dir, dir, &mut existing);
    for relative in existing {
        if !files.iter().any(|f| f.path == relative) {
            drifting.push(dir.join(relative));
        }
    }
    drifting.sort();
    drifting
}

fn list_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            list_files(root, &path, out);
        } else if let Ok(relative) = path.strip_prefix(root) {
            out.push(relative.to_owned());
        }
    }
}
