//! Every parser, fed near-misses of valid inputs: it must answer with a value or a positioned
//! error, never panic. Deterministic: each valid input is mutated at every position.

use super::*;
use crate::input_error::InputError;

const NOISE: &[char] = &[
    '{', '}', '[', ']', '(', ')', ':', ';', ',', '=', '&', '@', '-', '/', '?', '*', '#', ' ', '\n', '\r', 'é', '0', 'x',
];

/// The input with one character removed, replaced or inserted, and every prefix.
fn mutations(valid: &str) -> Vec<String> {
    let characters: Vec<char> = valid.chars().collect();
    let mut out = Vec::new();
    for index in 0..=characters.len() {
        out.push(characters[..index].iter().collect());
        if index < characters.len() {
            out.push(characters.iter().enumerate().filter(|(at, _)| *at != index).map(|(_, c)| *c).collect());
        }
        for noise in NOISE {
            let mut inserted = characters.clone();
            inserted.insert(index, *noise);
            out.push(inserted.iter().collect());
            if index < characters.len() {
                let mut replaced = characters.clone();
                replaced[index] = *noise;
                out.push(replaced.iter().collect());
            }
        }
    }
    out
}

fn check<T>(valid: &str, parse: impl Fn(&str) -> Result<T, InputError>) -> usize {
    assert!(parse(valid).is_ok(), "the seed must be valid: {valid}");
    let mut rejected = 0;
    for input in mutations(valid) {
        if let Err(error) = parse(&input) {
            rejected += 1;
            assert!(!error.hint.is_empty(), "{input:?}: no hint");
            if let (Some(excerpt), Some(column)) = (&error.excerpt, error.column) {
                assert!(column <= excerpt.chars().count() + 1, "{input:?}: column {column} past the text");
            }
        }
    }
    rejected
}

#[test]
fn parsers_never_panic_on_near_misses() {
    let rejected = [
        check("web{1024;2048}:2-5[mem=55&nosclin;cpu=60;alb=1000],worker:1", |text| process_list::parse("P", text)),
        check("data:fs-1234abcd{/@/workspace/data;unencrypted;readonly}", |text| efs::parse("E", text)),
        check("workload=shop,cost center=a=b", |text| tags::parse("T", text)),
        check("enable=true,rollback=false", |text| circuit_breaker::parse("C", text)),
        check("web: bin/web\nrelease: bin/migrate", |text| procfile::parse("Procfile", text)),
        check("feed rate(3 hours) x \"y\"\nnightly cron(0/5 3 ? * MON-FRI,SUN#2 2030) z", |text| {
            schedule::parse("S", text)
        }),
        check("[io.buildpacks]\nbuilder = \"heroku/builder:24\"", |text| project_toml::builder("project.toml", text)),
        check("{\"containerDefinitions\": [{\"name\": \"a\"}]}", |text| task_definition_file::parse("t.json", text)),
        check("export A=\"b\\n\"\nC='d'", |text| env_file::parse("e.env", text)),
        check("canary:12.5%,canary-bake=5m,bake=1h", |text| deploy_strategy::parse("D", text)),
        check("pre-production-traffic,timeout=2h,on-timeout=continue", |text| approval::parse("A", text)),
        check("5xx:threshold=25,period=5m,evaluations=3,datapoints=2", |text| rollback_alarm::parse("R", text)),
    ];
    // Most mutations must be caught; a parser that accepted everything would fail here.
    for count in rejected {
        assert!(count > 50, "only {count} mutations were rejected");
    }
}
