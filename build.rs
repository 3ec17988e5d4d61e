//! Stamps the binary with the commit it was built from and the build date, for `maestro version`.
//!
//! A release build passes both (`MAESTRO_BUILD_COMMIT`, `SOURCE_DATE_EPOCH`, the reproducible-builds
//! convention), since the container build has no `.git`; a checkout's build reads the commit with
//! `git`. Neither is required: a build from a source archive says `unknown`.

// The stamps are compile-time names (`env!`), apart from the variables maestro reads at run time.
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    println!("cargo:rerun-if-env-changed=MAESTRO_BUILD_COMMIT");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let commit = std::env::var("MAESTRO_BUILD_COMMIT")
        .ok()
        .filter(|commit| !commit.is_empty())
        .or_else(|| git(&["rev-parse", "HEAD"]))
        .unwrap_or_else(|| "unknown".to_owned());
    // A new commit, or a checkout of another one, builds the stamp again: HEAD, the branches'
    // folder (cargo watches a folder's files; a branch's ref may not exist yet as a file), and
    // packed-refs (where `git gc` moves them). Only paths that exist: a watched path that is
    // missing would run this script, and rebuild maestro, on every build.
    let watched = ["HEAD", "refs/heads", "packed-refs"];
    for name in watched {
        if let Some(path) = git(&["rev-parse", "--git-path", name]).filter(|path| std::path::Path::new(path).exists()) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|epoch| epoch.trim().parse::<u64>().ok())
        .unwrap_or_else(|| SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs()));
    println!("cargo:rustc-env=STAMPED_COMMIT={commit}");
    let (year, month, day) = civil_date(seconds / 86_400);
    println!("cargo:rustc-env=STAMPED_BUILD_DATE={year:04}-{month:02}-{day:02}");
}

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?.trim().to_owned();
    (output.status.success() && !text.is_empty()).then_some(text)
}

// The core's calendar (a file with no `use`, so that it can be included here).
include!("crates/maestro-core/src/text/civil_date.rs");
