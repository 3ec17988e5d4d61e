//! The AWS emulator (moto server) that `scripts/test.sh` installs and starts on loopback.

/// The emulator's URL. Under `scripts/test.sh` (and CI) a missing emulator fails the test;
/// a bare `cargo test` says the test was skipped and why.
pub fn moto_url() -> Option<String> {
    if let Ok(url) = std::env::var("MAESTRO_TEST_MOTO_URL") {
        return Some(url);
    }
    assert!(
        std::env::var_os("MAESTRO_TEST_REQUIRE_EMULATOR").is_none(),
        "MAESTRO_TEST_MOTO_URL is not set: run the suite with `bash scripts/test.sh`, which starts the AWS emulator"
    );
    eprintln!("skipped: this test needs the AWS emulator; run `bash scripts/test.sh`");
    None
}
