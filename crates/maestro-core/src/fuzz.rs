//! The fuzz targets' bodies: every parser of user input, fed arbitrary bytes, must answer with
//! a value or a positioned error with a hint, and never panic. `fuzz/` runs them under
//! libFuzzer (`cargo +nightly fuzz run <target>`); the normal test suite runs them over a
//! deterministic stream of random and mutated inputs (`fuzz_smoke`).
//!
//! Test scaffolding, not part of the shipped library: compiled only for the core's own tests and
//! with the `fuzz` feature, which `fuzz/Cargo.toml` turns on.
#![cfg(any(test, feature = "fuzz"))]

use crate::input_error::InputError;
use crate::spec::{
    approval, circuit_breaker, deploy_strategy, efs, env_file, process_list, procfile, project_toml, rollback_alarm,
    schedule, tags, task_definition_file,
};

/// Every target, by name; `run_any` picks one by the input's first byte.
pub const TARGETS: &[&str] = &[
    "process_list",
    "efs",
    "tags",
    "circuit_breaker",
    "procfile",
    "schedule",
    "project_toml",
    "task_definition_file",
    "env_file",
    "image_repository",
    "registry_challenge",
    "lease",
    "annotation",
    "deploy_strategy",
    "approval",
    "rollback_alarm",
];

/// The one libFuzzer entry point (`fuzz/fuzz_targets/inputs.rs`): the first byte picks the
/// target, the rest is its input. One binary rather than one per parser, because each links the
/// whole crate (about 250 MB instrumented) and thirteen of them filled CI's disk.
pub fn run_any(data: &[u8]) {
    if let Some((first, rest)) = data.split_first() {
        run(TARGETS[usize::from(*first) % TARGETS.len()], rest);
    }
}

/// Runs `target` on `data`; panics (as a fuzzer wants) when an invariant breaks.
pub fn run(target: &str, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    match target {
        "process_list" => judge(text, process_list::parse("P", text)),
        "efs" => judge(text, efs::parse("E", text)),
        "tags" => judge(text, tags::parse("T", text)),
        "circuit_breaker" => judge(text, circuit_breaker::parse("C", text)),
        "procfile" => judge(text, procfile::parse("Procfile", text)),
        "schedule" => judge(text, schedule::parse("S", text)),
        "project_toml" => judge(text, project_toml::builder("project.toml", text)),
        "task_definition_file" => judge(text, task_definition_file::parse("t.json", text)),
        "env_file" => judge(text, env_file::parse("e.env", text)),
        "image_repository" => {
            judge(text, crate::build::repository::parse("R", text).map(|repository| repository.kind()))
        }
        "registry_challenge" => {
            let _ = crate::build::registry_login::challenge(text);
        }
        "lease" => {
            let _ = crate::lease::judge(text, "owner", 1_000);
        }
        "annotation" => {
            // A file's line as any path and message: the annotation's escaping must hold.
            let error = InputError::new(crate::input::Location::line(text, 1), text, text);
            let _ = crate::report::annotation::error_command(&error);
        }
        "deploy_strategy" => judge(text, deploy_strategy::parse("D", text)),
        "approval" => judge(text, approval::parse("A", text)),
        "rollback_alarm" => judge(text, rollback_alarm::parse("R", text)),
        other => panic!("no fuzz target {other}"),
    }
}

fn judge<T>(text: &str, result: Result<T, InputError>) {
    let Err(error) = result else { return };
    assert!(!error.hint.is_empty(), "{text:?}: an error without a hint");
    if let (Some(excerpt), Some(column)) = (&error.excerpt, error.column) {
        assert!(column <= excerpt.chars().count() + 1, "{text:?}: column {column} past the text");
    }
    let _ = error.render();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seeds from the grammars, mutated, plus random bytes: thousands of inputs per target.
    const SEEDS: &[&str] = &[
        "web{1024;2048}:2-5[mem=55&nosclin;cpu=60;alb=1000],worker:1",
        "data:fs-1234abcd{/@/workspace/data;unencrypted;readonly}",
        "workload=shop,cost center=a=b",
        "enable=true,rollback=false",
        "web: bin/web\nrelease: bin/migrate\nscheduledtasks: tasks/run_tasks.conf",
        "feed rate(3 hours) x \"y\"\nnightly cron(0/5 3 ? * MON-FRI,SUN#2 2030) z",
        "[io.buildpacks]\nbuilder = \"heroku/builder:24\"",
        "{\"containerDefinitions\": [{\"name\": \"a\"}]}",
        "export A=\"b\\n\"\nC='d'",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop-main",
        "Bearer realm=\"https://ghcr.io/token\",service=\"ghcr.io\",scope=\"repository:a/b:pull\"",
        "{\"owner\":\"o\",\"run_url\":null,\"expires_at\":5}",
        "NAME (maestro.env:4)",
    ];

    /// xorshift64*: deterministic, so a failure reproduces.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state >> 12;
        *state ^= *state << 25;
        *state ^= *state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    #[test]
    fn fuzz_smoke() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for target in TARGETS {
            for _ in 0..3_000 {
                let seed = SEEDS[(next(&mut state) % SEEDS.len() as u64) as usize].as_bytes();
                let mut input = seed.to_vec();
                for _ in 0..(next(&mut state) % 6) {
                    let position = (next(&mut state) % (input.len() as u64 + 1)) as usize;
                    let byte = (next(&mut state) & 0xff) as u8;
                    match next(&mut state) % 3 {
                        0 => input.insert(position, byte),
                        1 if position < input.len() => {
                            input.remove(position);
                        }
                        _ if position < input.len() => input[position] = byte,
                        _ => input.push(byte),
                    }
                }
                run(target, &input);
                let random: Vec<u8> = (0..next(&mut state) % 64).map(|_| (next(&mut state) & 0xff) as u8).collect();
                run(target, &random);
            }
        }
    }
}
