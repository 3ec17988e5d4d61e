//! A directory only the current user can read, removed with everything in it when dropped: where
//! the build's env file and Docker credentials live, outside the app's folder.

use std::io::{ErrorKind, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use crate::error::Failure;

#[derive(Debug)]
pub(super) struct PrivateDir {
    path: PathBuf,
}

impl PrivateDir {
    /// A new directory under `parent` (the runner's temporary folder), mode 0700.
    pub(super) fn create(parent: &Path) -> Result<Self, Failure> {
        for _ in 0..16 {
            let path = parent.join(format!("maestro-build-{}", crate::random::token()));
            match std::fs::DirBuilder::new().mode(0o700).create(&path) {
                Ok(()) => return Ok(Self { path }),
                Err(error) if error.kind() == ErrorKind::AlreadyExists => {}
                Err(error) => {
                    return Err(Failure::new(format!("create a private folder in {}: {error}", parent.display()))
                        .hint("set TMPDIR to a writable folder"));
                }
            }
        }
        Err(Failure::new(format!("create a private folder in {}: every name tried was taken", parent.display())))
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `name` with mode 0600; the file is new, so no one else can have opened it.
    pub(super) fn write(&self, name: &str, contents: &str) -> Result<PathBuf, Failure> {
        let path = self.path.join(name);
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .and_then(|mut file| file.write_all(contents.as_bytes()));
        written.map_err(|error| Failure::new(format!("write {}: {error}", path.display())))?;
        Ok(path)
    }
}

impl Drop for PrivateDir {
    fn drop(&mut self) {
        if let Err(error) = std::fs::remove_dir_all(&self.path) {
            tracing::warn!("could not remove {}: {error}; it holds build secrets, delete it", self.path.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn only_the_user_can_read_it_and_it_is_gone_when_dropped() {
        let dir = PrivateDir::create(&std::env::temp_dir()).unwrap();
        let file = dir.write("build.env", "A=1\n").unwrap();
        assert_eq!(std::fs::metadata(dir.path()).unwrap().permissions().mode() & 0o777, 0o700);
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        let path = dir.path().to_owned();
        drop(dir);
        assert!(!path.exists());
    }
}
