//! A directory only the current user can read, removed with everything in it when dropped: where
//! the build's env file and Docker credentials live, outside the app's folder.
//!
//! A run killed with SIGKILL cannot remove its folder, and on a persistent runner the secrets
//! would stay in the temporary folder. So each folder names its run (an `owner` file holding the
//! pid), and creating one first removes this user's folders whose run is gone, or that are older
//! than any build.

use std::io::{ErrorKind, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::error::Failure;

/// The prefix of every private folder's name.
const PREFIX: &str = "maestro-build-";
/// The file naming the run that created the folder: its pid.
const OWNER: &str = "owner";
/// Older than this, a folder is left from a killed run whatever its owner file says (a pid may
/// have been reused, or the system has no /proc to tell).
const OLDEST: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug)]
pub(crate) struct PrivateDir {
    path: PathBuf,
}

impl PrivateDir {
    /// A new directory under `parent` (the runner's temporary folder), mode 0700.
    pub(crate) fn create(parent: &Path) -> Result<Self, Failure> {
        for _ in 0..16 {
            let path = parent.join(format!("{PREFIX}{}", crate::random::token()));
            match std::fs::DirBuilder::new().mode(0o700).create(&path) {
                Ok(()) => {
                    let created = Self { path };
                    created.write(OWNER, &std::process::id().to_string())?;
                    sweep(parent, &created.path);
                    return Ok(created);
                }
                Err(error) if error.kind() == ErrorKind::AlreadyExists => {}
                Err(error) => {
                    return Err(Failure::new(format!("create a private folder in {}: {error}", parent.display()))
                        .hint("set TMPDIR to a writable folder"));
                }
            }
        }
        Err(Failure::new(format!("create a private folder in {}: every name tried was taken", parent.display())))
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `name` with mode 0600; the file is new, so no one else can have opened it.
    pub(crate) fn write(&self, name: &str, contents: &str) -> Result<PathBuf, Failure> {
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

/// Removes the private folders in `parent` (but `ours`) left by runs that were killed: this user's,
/// real directories (never a link), whose owner is no longer running, or older than [`OLDEST`].
fn sweep(parent: &Path, ours: &Path) {
    let Ok(uid) = std::fs::metadata(ours).map(|metadata| metadata.uid()) else { return };
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let named = entry.file_name().to_str().is_some_and(|name| name.starts_with(PREFIX));
        let Ok(metadata) = std::fs::symlink_metadata(&path) else { continue };
        if !named || path == ours || !metadata.is_dir() || metadata.uid() != uid || !left_behind(&path, &metadata) {
            continue;
        }
        match std::fs::remove_dir_all(&path) {
            Ok(()) => tracing::info!("removed {}, left with build secrets by a run that was killed", path.display()),
            Err(error) => {
                tracing::warn!("could not remove {}: {error}; it holds build secrets, delete it", path.display())
            }
        }
    }
}

/// Whether the folder at `path` was left by a run that is gone.
fn left_behind(path: &Path, metadata: &std::fs::Metadata) -> bool {
    let age = metadata.modified().ok().and_then(|modified| SystemTime::now().duration_since(modified).ok());
    if age.is_some_and(|age| age > OLDEST) {
        return true;
    }
    // Where /proc tells which processes run (Linux), a folder whose owner is not one is stale.
    let owner = std::fs::read_to_string(path.join(OWNER)).ok().and_then(|text| text.trim().parse::<u32>().ok());
    match owner {
        Some(pid) => Path::new("/proc/self").exists() && !Path::new(&format!("/proc/{pid}")).exists(),
        None => false,
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

    // L7: a run killed with SIGKILL leaves its folder; the next run removes it.
    #[test]
    fn a_folder_left_by_a_killed_run_is_removed_by_the_next() {
        let parent = std::env::temp_dir().join(format!("maestro-sweep-test-{}", crate::random::token()));
        std::fs::create_dir(&parent).unwrap();
        let mut gone = std::process::Command::new("true").spawn().unwrap();
        gone.wait().unwrap();
        let folder = |name: &str, owner: u32| {
            let path = parent.join(name);
            std::fs::create_dir(&path).unwrap();
            std::fs::write(path.join(OWNER), owner.to_string()).unwrap();
            std::fs::write(path.join("build.env"), "SECRET=canary\n").unwrap();
            path
        };
        let killed = folder("maestro-build-0000000000000001", gone.id());
        let running = folder("maestro-build-0000000000000002", std::process::id());
        let other = folder("other-0000000000000003", gone.id());
        let ours = PrivateDir::create(&parent).unwrap();
        assert!(!killed.exists(), "the killed run's folder is removed");
        assert!(running.exists() && other.exists(), "a running build's folder, and what is not maestro's, stay");
        assert_eq!(std::fs::read_to_string(ours.path().join(OWNER)).unwrap(), std::process::id().to_string());
        drop(ours);
        std::fs::remove_dir_all(&parent).unwrap();
    }
}
