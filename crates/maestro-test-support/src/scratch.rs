//! Scratch folders: a fresh temporary folder per test (`tempfile`), removed when dropped, with
//! the few file operations tests need; optionally holding a copy of the example app.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::repository::{EXAMPLE_APP, repository_root};

pub struct Scratch {
    dir: TempDir,
}

impl Default for Scratch {
    fn default() -> Self {
        Self::new()
    }
}

impl Scratch {
    /// An empty folder.
    pub fn new() -> Self {
        let dir = tempfile::Builder::new().prefix("maestro-test-").tempdir().expect("a temporary folder");
        Self { dir }
    }

    /// A folder holding a copy of the example app, outside any git checkout.
    pub fn copy_of_example() -> Self {
        let scratch = Self::new();
        copy_dir(&repository_root().join(EXAMPLE_APP), scratch.path());
        scratch
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `relative` inside the folder.
    pub fn join(&self, relative: &str) -> PathBuf {
        self.path().join(relative)
    }

    /// `relative` inside the folder, as text: a variable's value or an argument.
    pub fn file(&self, relative: &str) -> String {
        self.join(relative).display().to_string()
    }

    /// Writes `text` to `relative`, creating its folders.
    pub fn write(&self, relative: &str, text: &str) -> &Self {
        let path = self.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// The text of `relative`, or `None` when nothing wrote it.
    pub fn read(&self, relative: &str) -> Option<String> {
        std::fs::read_to_string(self.join(relative)).ok()
    }

    pub fn remove(&self, relative: &str) -> &Self {
        std::fs::remove_file(self.join(relative)).unwrap();
        self
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
