//! The `.part` file a download collects its bytes in, and the file system steps on it, each
//! failure an [`Error::Io`] naming the path.

use std::path::{Path, PathBuf};

use tokio::fs::{File, OpenOptions};

use crate::error::Error;

/// Where the bytes of `path` collect until the download is complete: `<path>.part`, in the
/// same directory so that the final rename is atomic.
pub fn part_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    path.with_file_name(name)
}

/// Turns an I/O failure on `path` into an [`Error::Io`].
pub(super) fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// The length of `path`, 0 if it does not exist.
pub(super) async fn file_len(path: &Path) -> Result<u64, Error> {
    match tokio::fs::metadata(path).await {
        Ok(meta) => Ok(meta.len()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(io(path)(e)),
    }
}

/// Opens `path` to continue it (`append`) or to write it from the start.
pub(super) async fn open(path: &Path, append: bool) -> Result<File, Error> {
    let mut options = OpenOptions::new();
    options.create(true);
    if append {
        options.append(true);
    } else {
        options.write(true).truncate(true);
    }
    options.open(path).await.map_err(io(path))
}

/// Removes `path`; one that is not there is already removed.
pub(super) async fn remove(path: &Path) -> Result<(), Error> {
    match tokio::fs::remove_file(path).await {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(path)(e)),
        _ => Ok(()),
    }
}

/// Makes the rename durable where the platform allows syncing a directory; a failure only
/// weakens durability after a power loss, so it is not an error.
pub(super) async fn sync_parent(path: &Path) {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(dir) = File::open(parent).await
    {
        let _ = dir.sync_all().await;
    }
}
