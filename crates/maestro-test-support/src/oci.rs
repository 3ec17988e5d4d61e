//! The real OCI registry on loopback that `scripts/test.sh` starts (Debian's docker-registry),
//! and seeding it with skopeo from an umoci layout (no Docker involved).

use std::process::Command;

/// The loopback registry, or `None` (skipped) outside `scripts/test.sh`.
pub fn oci_registry() -> Option<String> {
    if let Ok(registry) = std::env::var("MAESTRO_TEST_REGISTRY") {
        return Some(registry);
    }
    assert!(
        std::env::var_os("MAESTRO_TEST_REQUIRE_EMULATOR").is_none(),
        "scripts/test.sh starts the OCI registry; it did not"
    );
    eprintln!("skipped: this test needs the OCI registry; run `bash scripts/test.sh`");
    None
}

/// Pushes a one-file OCI image to `reference` with umoci and skopeo.
pub fn push_with_skopeo(reference: &str) {
    let layout = std::env::temp_dir().join(format!("maestro-oci-{}-{}", std::process::id(), reference.len()));
    let _ = std::fs::remove_dir_all(&layout);
    let image = format!("{}:base", layout.display());
    let steps: [&[&str]; 3] = [
        &["umoci", "init", "--layout", &layout.display().to_string()],
        &["umoci", "new", "--image", &image],
        &["umoci", "config", "--image", &image, "--config.env", "GIT_SHA=seeded"],
    ];
    for step in steps {
        let status = Command::new(step[0]).args(&step[1..]).status().unwrap();
        assert!(status.success(), "{step:?}");
    }
    let status = Command::new("skopeo")
        .args(["copy", "--dest-tls-verify=false", &format!("oci:{image}"), &format!("docker://{reference}")])
        .status()
        .unwrap();
    assert!(status.success(), "skopeo copy to {reference}");
    std::fs::remove_dir_all(&layout).unwrap();
}
