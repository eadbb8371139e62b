//! [`FileStore`]: grants as owner-only files in a folder.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::{Grant, GrantLock, TokenStore, store_error};
use crate::error::Error;
use crate::future::BoxFuture;

/// Grants in a folder, one file per key (`<key>.json`, the key percent-encoded), readable by
/// the owner only. A save writes a new file beside the old one and renames it into place, so a
/// process killed at any moment leaves the old grant or the new one, never a half-written file.
/// The refresh lock is an OS file lock (`<key>.lock`), which the OS releases when its holder
/// dies, and which every process on the machine sees.
#[derive(Debug, Clone)]
pub struct FileStore {
    dir: PathBuf,
}

/// Characters kept as they are in file names; everything else is percent-encoded.
const FILE_NAME: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_');

impl FileStore {
    /// A store in `dir` (created, owner-only, at the first save).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The folder of the grants.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of `key`'s grant, and of its lock.
    fn paths(&self, key: &str) -> Result<(PathBuf, PathBuf), Error> {
        if key.is_empty() {
            return Err(store_error(&self.describe(), "a grant's key is empty"));
        }
        let stem = utf8_percent_encode(key, FILE_NAME).to_string();
        Ok((
            self.dir.join(format!("{stem}.json")),
            self.dir.join(format!("{stem}.lock")),
        ))
    }

    fn describe(&self) -> String {
        self.dir.display().to_string()
    }

    fn create_dir(&self) -> Result<(), Error> {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(&self.dir)
            .map_err(|e| store_error(&self.describe(), e))
    }
}

/// Opens `path` for writing, created owner-only (`0600`) when it is new.
fn owner_only(path: &Path, create_new: bool) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true);
    if create_new {
        options.create_new(true);
    } else {
        options.create(true).truncate(false);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Writes `bytes` to `path` through a temporary file of this process and a rename.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static SAVES: AtomicU64 = AtomicU64::new(0);
    let temp = path.with_extension(format!(
        "json.{}.{}.tmp",
        std::process::id(),
        SAVES.fetch_add(1, Ordering::Relaxed)
    ));
    let written = owner_only(&temp, true).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&temp, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    renamed?;
    // The rename itself reaches the disk with the folder.
    if let Some(dir) = path.parent()
        && let Ok(dir) = File::open(dir)
    {
        let _ = dir.sync_all();
    }
    Ok(())
}

impl TokenStore for FileStore {
    fn load<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<Grant>, Error>> {
        Box::pin(async move {
            let (path, _) = self.paths(key)?;
            match tokio::fs::read(&path).await {
                Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                    store_error(&path.display().to_string(), format!("not a grant: {e}"))
                }),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(store_error(&path.display().to_string(), e)),
            }
        })
    }

    fn save<'a>(&'a self, key: &'a str, grant: &'a Grant) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let (path, _) = self.paths(key)?;
            self.create_dir()?;
            let bytes =
                serde_json::to_vec_pretty(grant).map_err(|e| store_error(&self.describe(), e))?;
            let shown = path.display().to_string();
            tokio::task::spawn_blocking(move || replace(&path, &bytes))
                .await
                .map_err(|e| store_error(&shown, e))?
                .map_err(|e| store_error(&shown, e))
        })
    }

    fn try_lock<'a>(
        &'a self,
        key: &'a str,
        _ttl: Duration,
    ) -> BoxFuture<'a, Result<Option<GrantLock>, Error>> {
        Box::pin(async move {
            let (_, lock_path) = self.paths(key)?;
            self.create_dir()?;
            let file = owner_only(&lock_path, false)
                .map_err(|e| store_error(&lock_path.display().to_string(), e))?;
            match file.try_lock() {
                Ok(()) => Ok(Some(GrantLock::held_by(file))),
                Err(std::fs::TryLockError::WouldBlock) => Ok(None),
                Err(std::fs::TryLockError::Error(e)) => {
                    Err(store_error(&lock_path.display().to_string(), e))
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn grant(n: u32) -> Grant {
        Grant {
            access_token: Secret::new(format!("access-{n}")),
            refresh_token: Secret::new(format!("refresh-{n}")),
            expires_at: 1_700_000_000 + u64::from(n),
            scope: Some("meeting:read".into()),
        }
    }

    #[tokio::test]
    async fn grants_are_saved_whole_owner_only_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path().join("grants"));
        assert_eq!(store.load("ana@example.com").await.unwrap(), None);
        store.save("ana@example.com", &grant(1)).await.unwrap();
        store.save("ana@example.com", &grant(2)).await.unwrap();
        assert_eq!(store.load("ana@example.com").await.unwrap(), Some(grant(2)));
        let file = dir.path().join("grants/ana%40example%2Ecom.json");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let mode = std::fs::metadata(dir.path().join("grants"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        let names: Vec<String> = std::fs::read_dir(dir.path().join("grants"))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["ana%40example%2Ecom.json"],
            "no temporary file is left"
        );
        // A key cannot reach outside the folder.
        store.save("../escape", &grant(3)).await.unwrap();
        assert!(dir.path().join("grants/%2E%2E%2Fescape.json").exists());
    }

    #[tokio::test]
    async fn one_holder_at_a_time_and_the_lock_ends_with_its_holder() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path());
        let other = FileStore::new(dir.path());
        let held = store.try_lock("u", Duration::from_secs(10)).await.unwrap();
        assert!(held.is_some());
        assert!(
            other
                .try_lock("u", Duration::from_secs(10))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            other
                .try_lock("v", Duration::from_secs(10))
                .await
                .unwrap()
                .is_some()
        );
        drop(held);
        assert!(
            other
                .try_lock("u", Duration::from_secs(10))
                .await
                .unwrap()
                .is_some()
        );
    }

    #[tokio::test]
    async fn a_seeded_store_answers_its_seed_until_a_grant_is_saved() {
        let dir = tempfile::tempdir().unwrap();
        let seeded = super::super::Seeded::new(FileStore::new(dir.path()), grant(0));
        assert_eq!(seeded.load("integration").await.unwrap(), Some(grant(0)));
        seeded.save("integration", &grant(1)).await.unwrap();
        assert_eq!(seeded.load("integration").await.unwrap(), Some(grant(1)));
        // A later run over the same folder finds the refreshed grant, not its older seed.
        let later = super::super::Seeded::new(FileStore::new(dir.path()), grant(0));
        assert_eq!(later.load("integration").await.unwrap(), Some(grant(1)));
    }

    #[tokio::test]
    async fn a_file_that_is_not_a_grant_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("u.json"), b"{\"access_token\": ").unwrap();
        let error = FileStore::new(dir.path())
            .load("u")
            .await
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("u.json") && error.contains("not a grant"),
            "{error}"
        );
    }
}
