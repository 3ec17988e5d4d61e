//! Architecture invariant: the core performs no I/O (ARCHITECTURE.md).

use std::path::Path;

use crate::support::repository_root;

const FORBIDDEN_IN_CORE: &[&str] = &[
    "std::fs",
    "std::env",
    "std::process",
    "std::net",
    "std::io::stdin",
    "std::time::SystemTime",
    "Instant::now",
    "tokio",
    "aws_sdk",
    "aws_config",
    "aws_smithy",
    "reqwest",
    "hyper",
    "octocrab",
    "tracing",
];

fn rust_files(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
}

/// Only the AWS adapter layer touches SDK types; HTTP clients live there, in the HTTP plumbing,
/// in the registry adapter and in the reporters.
#[test]
fn sdk_and_http_types_stay_in_their_layers() {
    let mut files = Vec::new();
    rust_files(&repository_root().join("src"), &mut files);
    let mut offences = Vec::new();
    for file in files {
        let relative = file.strip_prefix(repository_root()).unwrap().to_string_lossy().into_owned();
        // Tests inside the binary (`x_tests.rs` and the modules in `x_tests/`) set up the
        // emulator's state with the SDK; they ship nothing.
        if relative.ends_with("_tests.rs") || relative.contains("_tests/") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            let sdk =
                ["aws_sdk", "aws_config", "aws_credential_types", "aws_smithy"].iter().any(|name| code.contains(name));
            if sdk && !relative.starts_with("src/aws/") {
                offences.push(format!("{relative}:{}: AWS SDK type outside src/aws", number + 1));
            }
            let http_layer = relative.starts_with("src/aws/")
                || relative.starts_with("src/http/")
                || relative.starts_with("src/reporters/")
                || relative == "src/registry.rs";
            if code.contains("reqwest") && !http_layer {
                offences
                    .push(format!("{relative}:{}: HTTP client outside the adapter and reporter layers", number + 1));
            }
        }
    }
    assert!(offences.is_empty(), "{}", offences.join("\n"));
}

#[test]
fn the_core_imports_no_io() {
    let mut files = Vec::new();
    rust_files(&repository_root().join("crates/maestro-core/src"), &mut files);
    assert!(files.len() > 10, "found only {files:?}");
    let mut offences = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for forbidden in FORBIDDEN_IN_CORE {
                if code.contains(forbidden) {
                    offences.push(format!("{}:{}: {forbidden}", file.display(), number + 1));
                }
            }
        }
    }
    assert!(offences.is_empty(), "I/O in the pure core:\n{}", offences.join("\n"));
}
