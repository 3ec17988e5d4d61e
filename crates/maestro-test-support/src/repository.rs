//! The repository's own files: its root, its Rust sources and the example app.

use std::path::{Path, PathBuf};

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

/// Every `.rs` file below `dir` (relative to the repository's root), in a stable order.
pub fn rust_files(dir: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&repository_root().join(dir), &mut files);
    files.sort();
    files
}
