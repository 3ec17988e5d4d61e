//! The repository's own files: its root and the example app.

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
