//! Every variable name lives in the registry (`maestro_core::input::vars`): no other source file
//! of the binary or the core spells one as a string literal, so a name cannot drift between the
//! code, the documentation and the GitHub Action.
//!
//! Skipped: the registry itself, and test code (files declared as `#[cfg(test)]` modules, and
//! inline `#[cfg(test)] mod … { … }` blocks), whose literal environments are data.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use maestro_core::input::vars;
use maestro_test_support::rust_files;

use crate::support::repository_root;

const SCANNED: &[&str] = &["src", "crates/maestro-core/src"];
const REGISTRY: &str = "crates/maestro-core/src/input/vars";

/// A literal that starts with one of these (and is written like a variable) names a variable.
const LOOKALIKE_PREFIXES: &[&str] = &[
    "AWS_",
    "GITHUB_",
    "GITLAB_",
    "ACTIONS_",
    "CI_",
    "CODEBUILD_",
    "RUNNER_",
    "MAESTRO_",
    "INPUT_",
    "NEW_RELIC_",
    "ECS_",
    "ALB_",
    "DOCKER_",
    "PACK_",
    "REPO_",
    "WORKLOAD_",
    "DEPLOY_",
    "DEPLOYMENT_",
    "SERVICE_CONNECT",
    "XDG_",
    "SSL_",
    "LC_",
];
/// Variables with no family prefix.
const LOOKALIKE_NAMES: &[&str] =
    &["PATH", "HOME", "PORT", "USER", "LOGNAME", "TMPDIR", "LANG", "TZ", "CI", "NO_COLOR", "HTTP_PROXY", "NO_PROXY"];

/// Whether `literal` names a variable: a registered name, or one written like one.
fn names_a_variable(literal: &str, registered: &BTreeSet<&str>) -> bool {
    if registered.contains(literal) {
        return true;
    }
    let written_like_one = !literal.is_empty()
        && literal.starts_with(|c: char| c.is_ascii_uppercase())
        && literal.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    written_like_one
        && (LOOKALIKE_NAMES.contains(&literal) || LOOKALIKE_PREFIXES.iter().any(|prefix| literal.starts_with(prefix)))
}

/// The string literals of Rust `source` with their line, outside comments and test modules.
fn literals(source: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = source.chars().collect();
    let mut found = Vec::new();
    let (mut index, mut line) = (0, 1);
    // Inside a `#[cfg(test)]` module: its brace depth (literals are scanned past, not kept).
    let mut test_module: Option<usize> = None;
    let at =
        |index: usize, text: &str| text.chars().enumerate().all(|(offset, c)| chars.get(index + offset) == Some(&c));
    while index < chars.len() {
        let c = chars[index];
        let literal = if c == '\n' {
            line += 1;
            index += 1;
            None
        } else if at(index, "//") {
            while index < chars.len() && chars[index] != '\n' {
                index += 1;
            }
            None
        } else if at(index, "/*") {
            while index < chars.len() && !at(index, "*/") {
                line += usize::from(chars[index] == '\n');
                index += 1;
            }
            index += 2;
            None
        } else if test_module.is_none() && at(index, "#[cfg(test)]") && test_module_follows(&chars, index + 12) {
            test_module = Some(0);
            index += 12;
            None
        } else if c == 'r' && (at(index + 1, "\"") || at(index + 1, "#")) && !is_ident(chars.get(index.wrapping_sub(1)))
        {
            // A raw string: r"…", r#"…"#, …
            let hashes = chars[index + 1..].iter().take_while(|c| **c == '#').count();
            if chars.get(index + 1 + hashes) == Some(&'"') {
                let close: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
                let start = index + 2 + hashes;
                let mut end = start;
                while end < chars.len() && !at(end, &close) {
                    end += 1;
                }
                let text: String = chars[start..end.min(chars.len())].iter().collect();
                let started = line;
                line += text.matches('\n').count();
                index = end + close.len();
                Some((started, text))
            } else {
                index += 1;
                None
            }
        } else if c == '"' {
            let (started, mut text) = (line, String::new());
            index += 1;
            while index < chars.len() && chars[index] != '"' {
                if chars[index] == '\\' {
                    text.push(chars[index]);
                    index += 1;
                }
                if let Some(c) = chars.get(index) {
                    line += usize::from(*c == '\n');
                    text.push(*c);
                }
                index += 1;
            }
            index += 1;
            Some((started, text))
        } else if c == '\'' {
            // A char literal ('"', '\'', '\n'), or a lifetime ('a), which has no closing quote.
            index += match (chars.get(index + 1), chars.get(index + 2)) {
                (Some('\\'), _) => chars[index + 2..].iter().position(|c| *c == '\'').map_or(1, |end| end + 3),
                (Some(_), Some('\'')) => 3,
                _ => 1,
            };
            None
        } else {
            // Braces outside literals and comments delimit a test module.
            test_module = match (test_module, c) {
                (Some(depth), '{') => Some(depth + 1),
                (Some(1), '}') | (Some(0), ';') => None,
                (Some(depth), '}') => Some(depth - 1),
                (state, _) => state,
            };
            index += 1;
            None
        };
        if let (Some(literal), None) = (literal, test_module) {
            found.push(literal);
        }
    }
    found
}

fn is_ident(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

/// After `#[cfg(test)]`: other attributes, then a module.
fn test_module_follows(chars: &[char], mut index: usize) -> bool {
    loop {
        while chars.get(index).is_some_and(|c| c.is_whitespace()) {
            index += 1;
        }
        if chars.get(index) == Some(&'#') {
            while chars.get(index).is_some_and(|c| *c != '\n') {
                index += 1;
            }
            continue;
        }
        let rest: String = chars[index..chars.len().min(index + 16)].iter().collect();
        return rest.starts_with("mod ") || rest.starts_with("pub mod ") || rest.starts_with("pub(crate) mod ");
    }
}

/// The files `source` (at `file`) declares as `#[cfg(test)]` modules: `name.rs`, or the folder
/// `name/` (its `mod.rs` and every submodule) when the module is a folder.
fn test_module_files(file: &Path, source: &str) -> Vec<PathBuf> {
    let folder = match file.file_name().and_then(|name| name.to_str()) {
        Some("mod.rs" | "lib.rs" | "main.rs") => file.parent().unwrap().to_path_buf(),
        _ => file.with_extension(""),
    };
    let lines: Vec<&str> = source.lines().map(str::trim).collect();
    let mut files = Vec::new();
    for (index, _) in lines.iter().enumerate().filter(|(_, line)| **line == "#[cfg(test)]") {
        let mut path = None;
        for next in &lines[index + 1..] {
            if let Some(given) = next.strip_prefix("#[path = \"").and_then(|rest| rest.strip_suffix("\"]")) {
                path = Some(file.parent().unwrap().join(given));
            } else if let Some(name) = next.split("mod ").nth(1).and_then(|rest| rest.strip_suffix(';')) {
                files.push(path.take().unwrap_or_else(|| folder.join(format!("{name}.rs"))));
                break;
            } else if !next.starts_with("#[") {
                break;
            }
        }
    }
    files
}

/// Every `file:line: "NAME"` outside the registry.
fn literal_names() -> Vec<String> {
    let root = repository_root();
    let registered: BTreeSet<&str> =
        vars::all().map(|variable| variable.name).chain(vars::PREFIXES.iter().copied()).collect();
    let files: Vec<PathBuf> = SCANNED.iter().copied().flat_map(rust_files).collect();
    let sources: Vec<(PathBuf, String)> =
        files.into_iter().map(|file| (file.clone(), std::fs::read_to_string(&file).unwrap())).collect();
    let test_files: BTreeSet<PathBuf> =
        sources.iter().flat_map(|(file, source)| test_module_files(file, source)).collect();
    let mut found = Vec::new();
    for (file, source) in &sources {
        let in_test_folder = test_files.iter().any(|test| file.starts_with(test.with_extension("")));
        if file.starts_with(root.join(REGISTRY)) || test_files.contains(file) || in_test_folder {
            continue;
        }
        for (line, literal) in literals(source) {
            if names_a_variable(&literal, &registered) {
                let relative = file.strip_prefix(&root).unwrap().display();
                found.push(format!("{relative}:{line}: \"{literal}\""));
            }
        }
    }
    found
}

#[test]
fn no_variable_is_named_outside_the_registry() {
    let found = literal_names();
    assert!(found.is_empty(), "use the constants of maestro_core::input::vars instead:\n{}", found.join("\n"));
}

#[test]
fn the_scan_sees_what_it_must_and_skips_only_test_code() {
    let registered: BTreeSet<&str> = vars::all().map(|variable| variable.name).collect();
    let source = r##"
        // "GITHUB_SHA" in a comment, /* "GITHUB_SHA" */ and a char '"' do not count.
        fn read(env: &Env) -> Option<&str> {
            let quote = '\'';
            env.get("GITHUB_SHA").or(env.get(r#"AWS_NEW_THING"#)).or(env.get("http_proxy"))
        }
        const NOT_NAMES: &[&str] = &["ECS", "HTTPS", "FARGATE_SPOT", "a GITHUB_SHA in a sentence"];
        #[cfg(test)]
        #[path = "x_tests.rs"]
        mod tests;
        #[cfg(test)]
        mod inline {
            const A: &str = "GITHUB_SHA";
        }
        fn after() -> &'static str { "PORT" }
    "##;
    let named: Vec<(usize, String)> =
        literals(source).into_iter().filter(|(_, literal)| names_a_variable(literal, &registered)).collect();
    let expected = [(5, "GITHUB_SHA"), (5, "AWS_NEW_THING"), (5, "http_proxy"), (15, "PORT")];
    assert_eq!(named, expected.map(|(line, name)| (line, name.to_owned())));
    let declared = test_module_files(Path::new("/repo/src/core/request.rs"), source);
    assert_eq!(declared, [PathBuf::from("/repo/src/core/x_tests.rs")]);
}
