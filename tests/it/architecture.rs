//! The architecture's invariants that the compiler cannot check (ARCHITECTURE.md, "Invariants").
//!
//! The compiler already keeps the binary's internals private and reports dead code, and the core
//! cannot import what its manifest does not list. What is left: that the manifest stays pure, that
//! the core does not reach the outside world through `std`, that SDK and HTTP types stay in their
//! layers of the binary, that the environment is read once, and that files stay small.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use maestro_test_support::rust_files;

use crate::support::repository_root;

/// Crates the core may never depend on, even indirectly: an async runtime, the AWS SDK, an HTTP
/// client, a logging framework. Matched as a name or a name's prefix.
const FORBIDDEN_CORE_DEPENDENCIES: &[&str] = &["tokio", "aws-", "reqwest", "hyper", "tracing", "octocrab"];

/// What the core could still reach through `std`: files, the environment, processes, the network,
/// the terminal and the clock.
const FORBIDDEN_STD_IN_CORE: &[&str] = &[
    "std::fs",
    "std::env",
    "std::process",
    "std::net",
    "std::io::stdin",
    "std::io::stdout",
    "std::io::stderr",
    "std::time::SystemTime",
    "Instant::now",
];

/// The house rule for a file's length (aesthetics.md): past it, split by concept.
const MAX_LINES: usize = 400;

fn relative(file: &Path) -> String {
    file.strip_prefix(repository_root()).unwrap().to_string_lossy().into_owned()
}

/// A test module of the binary (`x_tests.rs`, or a module inside `x_tests/`): it sets up the
/// emulator's state with the SDK and ships nothing.
fn is_test_module(relative: &str) -> bool {
    relative.ends_with("_tests.rs") || relative.contains("_tests/")
}

/// The code of a line, without its comment.
fn code(line: &str) -> &str {
    line.split("//").next().unwrap_or_default()
}

/// `cargo metadata` for the workspace: the packages and the resolved dependency graph.
fn metadata() -> Value {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(repository_root())
        .output()
        .unwrap();
    assert!(output.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The names of every crate `package` needs to build and run (its normal dependencies, and theirs;
/// not its dev-dependencies, which only its tests link).
fn dependency_closure(metadata: &Value, package: &str) -> BTreeSet<String> {
    let names: BTreeMap<&str, &str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|package| (package["id"].as_str().unwrap(), package["name"].as_str().unwrap()))
        .collect();
    let nodes: BTreeMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| (node["id"].as_str().unwrap(), node))
        .collect();
    let root = names.iter().find(|(_, name)| **name == package).map(|(id, _)| *id).unwrap();
    let mut seen = BTreeSet::new();
    let mut todo = vec![root];
    while let Some(id) = todo.pop() {
        for dependency in nodes[id]["deps"].as_array().unwrap() {
            let runtime = dependency["dep_kinds"].as_array().unwrap().iter().any(|kind| kind["kind"].is_null());
            let dependency = dependency["pkg"].as_str().unwrap();
            if runtime && seen.insert(names[dependency].to_owned()) {
                todo.push(dependency);
            }
        }
    }
    seen
}

#[test]
fn the_core_depends_on_no_runtime_sdk_http_client_or_logging() {
    let metadata = metadata();
    let members: Vec<&str> =
        metadata["workspace_members"].as_array().unwrap().iter().map(|id| id.as_str().unwrap()).collect();
    let packages = metadata["packages"].as_array().unwrap();
    let member_names: BTreeSet<&str> = packages
        .iter()
        .filter(|package| members.contains(&package["id"].as_str().unwrap()))
        .map(|package| package["name"].as_str().unwrap())
        .collect();
    assert_eq!(member_names, BTreeSet::from(["maestro", "maestro-core", "maestro-test-support"]));

    let core = dependency_closure(&metadata, "maestro-core");
    assert!(core.contains("serde"), "the closure was not read: {core:?}");
    let forbidden: Vec<&String> =
        core.iter().filter(|name| FORBIDDEN_CORE_DEPENDENCIES.iter().any(|prefix| name.starts_with(prefix))).collect();
    assert!(forbidden.is_empty(), "maestro-core must stay pure, but depends on {forbidden:?}");
    // The binary is the one that talks to AWS: the check would pass vacuously if the graph were empty.
    let binary = dependency_closure(&metadata, "maestro");
    assert!(binary.contains("tokio") && binary.contains("aws-sdk-ecs") && binary.contains("maestro-core"));
}

#[test]
fn the_binary_is_maestro_at_the_root() {
    let metadata = metadata();
    let root = metadata["packages"].as_array().unwrap().iter().find(|package| package["name"] == "maestro").unwrap();
    let manifest = PathBuf::from(root["manifest_path"].as_str().unwrap());
    assert_eq!(manifest, repository_root().join("Cargo.toml"));
    let binaries: Vec<&str> = root["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|target| target["kind"].as_array().unwrap().iter().any(|kind| kind == "bin"))
        .map(|target| target["name"].as_str().unwrap())
        .collect();
    assert_eq!(binaries, ["maestro"]);
}

#[test]
fn the_core_reaches_no_file_environment_process_network_or_clock() {
    let files = rust_files("crates/maestro-core/src");
    assert!(files.len() > 10, "found only {files:?}");
    let mut offences = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            for forbidden in FORBIDDEN_STD_IN_CORE {
                if code(line).contains(forbidden) {
                    offences.push(format!("{}:{}: {forbidden}", relative(&file), number + 1));
                }
            }
        }
    }
    assert!(offences.is_empty(), "I/O in the pure core:\n{}", offences.join("\n"));
}

/// Only the AWS adapter layer touches SDK types; HTTP clients live there, in the HTTP plumbing,
/// in the registry adapter and in the reporters.
#[test]
fn sdk_and_http_types_stay_in_their_layers() {
    let files = rust_files("src");
    let mut offences = Vec::new();
    for file in files {
        let relative = relative(&file);
        if is_test_module(&relative) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = code(line);
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

/// The process environment is read once, in `main.rs`; everything else receives the snapshot, so
/// every value keeps its origin and goes through the one precedence rule.
#[test]
fn the_environment_is_read_only_in_main() {
    let files = rust_files("src");
    let reads = ["env::var(", "env::var_os(", "env::vars(", "env::vars_os("];
    let mut offences = Vec::new();
    for file in files {
        let relative = relative(&file);
        if relative == "src/main.rs" || is_test_module(&relative) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        // Inline test modules come last in a file; what follows `#[cfg(test)]` is test code.
        let shipped = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (number, line) in shipped.lines().enumerate() {
            if reads.iter().any(|read| code(line).contains(read)) {
                offences.push(format!("{relative}:{}", number + 1));
            }
        }
    }
    assert!(offences.is_empty(), "the environment read outside main.rs:\n{}", offences.join("\n"));
}

#[test]
fn no_source_file_is_over_the_house_length() {
    let files: Vec<PathBuf> = ["src", "crates", "tests", "benches"].into_iter().flat_map(rust_files).collect();
    let long: Vec<String> = files
        .iter()
        .map(|file| (relative(file), std::fs::read_to_string(file).unwrap().lines().count()))
        .filter(|(_, lines)| *lines > MAX_LINES)
        .map(|(file, lines)| format!("{file}: {lines} lines"))
        .collect();
    assert!(long.is_empty(), "split these by concept (at most {MAX_LINES} lines):\n{}", long.join("\n"));
}
