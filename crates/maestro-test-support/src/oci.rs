//! The real OCI registry on loopback that `scripts/test.sh` starts (Debian's docker-registry),
//! and seeding it with skopeo from an umoci layout (no Docker involved).

use std::process::Command;

use crate::scratch::Scratch;

/// The loopback registry's `host:port`. A test that calls this carries
/// `#[ignore = "needs the OCI registry and the AWS emulator: bash scripts/test.sh"]`; run with no
/// registry, it fails here, saying why.
pub fn oci_registry() -> String {
    std::env::var("MAESTRO_TEST_REGISTRY").unwrap_or_else(|_| {
        panic!(
            "MAESTRO_TEST_REGISTRY is not set: this test needs the OCI registry; run `bash scripts/test.sh`, which starts it"
        )
    })
}

/// Pushes a one-file OCI image to `reference` with umoci and skopeo.
pub fn push_with_skopeo(reference: &str) {
    let scratch = Scratch::new();
    let layout = scratch.join("layout").display().to_string();
    let image = format!("{layout}:base");
    let steps: [&[&str]; 3] = [
        &["umoci", "init", "--layout", &layout],
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
}
