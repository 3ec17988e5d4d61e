//! The documentation keeps up with the code.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use maestro_core::input::vars;
use maestro_test_support::rust_files;

use crate::support::repository_root;

#[test]
fn every_variable_is_documented_in_the_input_reference() {
    let reference = std::fs::read_to_string(repository_root().join("docs/inputs.md")).unwrap();
    let missing: Vec<&str> = vars::MAESTRO
        .iter()
        .filter(|variable| variable.documented && !reference.contains(&format!("`{}`", variable.name)))
        .map(|variable| variable.name)
        .collect();
    assert!(missing.is_empty(), "docs/inputs.md does not document {missing:?}");
}

/// The README's two commands are the demo and the test suite, and CI runs both, the demo first:
/// a fresh clone proves the first works, and that the second reuses its build.
#[test]
fn the_readme_commands_are_the_ones_that_work() {
    let readme = std::fs::read_to_string(repository_root().join("README.md")).unwrap();
    let first = readme.find("bash scripts/demo.sh").expect("the README's first command is the demo");
    let second = readme.find("bash scripts/test.sh").expect("the README's second command is the test suite");
    assert!(first < second);
    assert!(readme.contains("cargo run -- plan --offline --app examples/shop --env-file examples/shop/maestro.env"));
    let ci = std::fs::read_to_string(repository_root().join(".ci/run")).unwrap();
    let (demo, tests) = (ci.find("bash scripts/demo.sh"), ci.find("bash scripts/test.sh"));
    assert!(
        matches!((demo, tests), (Some(demo), Some(tests)) if demo < tests),
        ".ci/run must run the demo, then the tests"
    );
    // The demo builds what the tests build: the dev profile (no `--release`), with the
    // dev-dependencies' features unified (resolver 1), so scripts/test.sh compiles no dependency
    // twice. (Measured with `cargo +nightly build --unit-graph`: every unit of the demo's build is
    // one of the test build's.)
    let demo = std::fs::read_to_string(repository_root().join("scripts/demo.sh")).unwrap();
    assert!(demo.contains("cargo build --locked --bin maestro\n"), "{demo}");
    let manifest = std::fs::read_to_string(repository_root().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\nresolver = \"1\"\n"), "resolver 2 and 3 build the dependencies twice");
}

/// A `docs/<file>.md` the code names (in a hint, an error or a comment), with the section when
/// it names one (`docs/iam.md#the-execution-role`): a user sent there must find it.
#[test]
fn every_doc_the_code_points_to_exists_with_the_section_it_names() {
    let mut references = Vec::new();
    for file in rust_files("src").into_iter().chain(rust_files("crates/maestro-core/src")) {
        let source = std::fs::read_to_string(&file).unwrap();
        let at = file.strip_prefix(repository_root()).unwrap().display().to_string();
        references.extend(doc_references(&source).into_iter().map(|reference| (at.clone(), reference)));
    }
    assert!(
        references.iter().any(|(_, (_, section))| section.is_some()),
        "the hints name sections (docs/iam.md#the-execution-role): is doc_references still finding them?"
    );
    let broken: Vec<String> = references
        .iter()
        .filter_map(|(at, (path, section))| {
            broken_link(&repository_root().join(path), section.as_deref()).map(|why| format!("{at}: {path}: {why}"))
        })
        .collect();
    assert!(broken.is_empty(), "the code points to docs that are not there:\n{}", broken.join("\n"));
}

/// Links between the documents (`[inputs.md](inputs.md#names)`, `[Names](#names)`) land on a
/// file and a heading that exist.
#[test]
fn links_between_the_docs_land_on_a_heading() {
    let docs = std::fs::read_dir(repository_root().join("docs")).unwrap().map(|entry| entry.unwrap().path());
    let mut pages: Vec<PathBuf> =
        docs.filter(|path| path.extension().is_some_and(|extension| extension == "md")).collect();
    pages.extend(["README.md", "ARCHITECTURE.md"].map(|page| repository_root().join(page)));
    let mut checked = 0;
    let mut broken = Vec::new();
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        for target in markdown_links(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (path, section) =
                target.split_once('#').map_or((target.as_str(), None), |(path, section)| (path, Some(section)));
            let file = if path.is_empty() { page.clone() } else { page.parent().unwrap().join(path) };
            if file.extension().is_none_or(|extension| extension != "md") {
                continue;
            }
            checked += 1;
            if let Some(why) = broken_link(&file, section) {
                broken.push(format!("{}: {target}: {why}", page.file_name().unwrap().to_string_lossy()));
            }
        }
    }
    assert!(checked > 10, "only {checked} links between the docs found: is markdown_links still finding them?");
    assert!(broken.is_empty(), "links that land nowhere:\n{}", broken.join("\n"));
}

/// Why a link to `file` (and its `section`) lands nowhere; `None` when it lands.
fn broken_link(file: &Path, section: Option<&str>) -> Option<String> {
    let Ok(text) = std::fs::read_to_string(file) else { return Some("no such file".to_owned()) };
    let section = section?;
    let anchors = heading_anchors(&text);
    (!anchors.contains(section)).then(|| format!("no heading `#{section}` (there are {anchors:?})"))
}

/// Every `docs/<name>.md` in `source`, with the `#section` that follows it, if any.
fn doc_references(source: &str) -> Vec<(String, Option<String>)> {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut found = Vec::new();
    for (start, _) in source.match_indices("docs/") {
        // `…/docs/…` is part of a URL or of another path.
        if source[..start].ends_with(|c: char| c == '/' || c.is_ascii_alphanumeric()) {
            continue;
        }
        let rest = &source[start + "docs/".len()..];
        let name_length = rest.find(|c: char| !is_name(c)).unwrap_or(rest.len());
        let Some(after) = rest[name_length..].strip_prefix(".md") else { continue };
        let section = after
            .strip_prefix('#')
            .map(|after| after[..after.find(|c: char| !is_name(c)).unwrap_or(after.len())].to_owned());
        found.push((format!("docs/{}.md", &rest[..name_length]), section.filter(|section| !section.is_empty())));
    }
    found
}

/// The targets of the `[text](target)` links in `markdown`, outside code blocks.
fn markdown_links(markdown: &str) -> Vec<String> {
    let mut links = Vec::new();
    for line in outside_code_blocks(markdown) {
        for (start, _) in line.match_indices("](") {
            let rest = &line[start + 2..];
            if let Some(end) = rest.find(')') {
                links.push(rest[..end].to_owned());
            }
        }
    }
    links
}

/// The anchors GitHub gives `markdown`'s headings: lower case, punctuation dropped, spaces as
/// `-`, and `-1`, `-2`… after a repeated one.
fn heading_anchors(markdown: &str) -> BTreeSet<String> {
    let mut anchors = BTreeSet::new();
    for line in outside_code_blocks(markdown) {
        let Some(heading) = line.strip_prefix('#').map(|heading| heading.trim_start_matches('#')) else { continue };
        let anchor: String = heading
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let unique = (0..).map(|n| if n == 0 { anchor.clone() } else { format!("{anchor}-{n}") });
        let free = unique.into_iter().find(|candidate| !anchors.contains(candidate)).unwrap();
        anchors.insert(free);
    }
    anchors
}

fn outside_code_blocks(markdown: &str) -> impl Iterator<Item = &str> {
    let mut in_block = false;
    markdown.lines().filter(move |line| {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            return false;
        }
        !in_block
    })
}
