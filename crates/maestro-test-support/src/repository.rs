//! The repository's own files: its root, the example app, and scratch copies of it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

pub const EXAMPLE_APP: &str = "examples/shop";
pub const EXAMPLE_ENV: &str = "examples/shop/maestro.env";
/// The example's ECR repository (`<slug>-<branch>`) and image tag (its commit's first 8 characters).
pub const EXAMPLE_REPOSITORY: &str = "acme-shop-api-staging";
pub const EXAMPLE_TAG: &str = "3f2a9c1d";

/// The workspace's root (this crate lives in `crates/maestro-test-support`).
pub fn repository_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().and_then(Path::parent).expect("crates/<name> is two levels deep").to_path_buf()
}

/// A copy of the example app in a fresh folder, removed when dropped.
pub struct ScratchApp {
    pub dir: PathBuf,
}

impl ScratchApp {
    pub fn copy_of_example() -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "maestro-it-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        copy_dir(&repository_root().join(EXAMPLE_APP), &dir);
        Self { dir }
    }

    pub fn write(&self, relative: &str, text: &str) -> &Self {
        let path = self.dir.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn remove(&self, relative: &str) -> &Self {
        std::fs::remove_file(self.dir.join(relative)).unwrap();
        self
    }
}

impl Drop for ScratchApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
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
