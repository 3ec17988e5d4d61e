//! docs/troubleshooting.md quotes what maestro prints. A quote that no longer matches the code
//! sends a reader who searches for the message they got to nothing, so every quoted message
//! must still be in the code, its tests or its snapshots.

use std::path::{Path, PathBuf};

use maestro_test_support::rust_files;

use crate::support::repository_root;

/// The prefixes of the lines maestro prints that the page quotes.
const QUOTED: [&str; 3] = ["error: ", "hint: ", "warning: "];

/// The messages quoted on the page: the lines of its ```text blocks that start with `error:`,
/// `hint:` or `warning:`, without that prefix.
fn quoted_messages(page: &str) -> Vec<String> {
    let mut in_text_block = false;
    let mut messages = Vec::new();
    for line in page.lines() {
        let fence = line.trim_start();
        if fence.starts_with("```") {
            in_text_block = !in_text_block && fence == "```text";
            continue;
        }
        if in_text_block {
            messages.extend(QUOTED.iter().find_map(|prefix| line.strip_prefix(prefix)).map(str::to_owned));
        }
    }
    messages
}

/// The parts of `message` that are the same on every run: what lies between the page's
/// placeholders (`<role ARN>` stands for what varies, `…` for what is left out).
fn stable_parts(message: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = message;
    while let Some(start) = rest.find(['<', '…']) {
        parts.push(rest[..start].to_owned());
        rest = &rest[start..];
        let end =
            if rest.starts_with('<') { rest.find('>').map_or(rest.len(), |end| end + 1) } else { '…'.len_utf8() };
        rest = &rest[end..];
    }
    parts.push(rest.to_owned());
    parts.into_iter().filter(|part| worth_checking(part)).collect()
}

/// A part with fewer than three letters or digits (`` `: ``, `)`) says nothing about the code.
fn worth_checking(part: &str) -> bool {
    part.chars().filter(char::is_ascii_alphanumeric).count() >= 3
}

/// Whether `part` is in `corpus`: whole; or inside what a format string of the code prints, its
/// `{…}` arguments filled with anything (`the release task was still {last_status} after {}s`);
/// or, for a message maestro puts together from several pieces (`<what it was doing>: <AWS's
/// code>: <AWS's message>`, a name filled into a hint), each of its pieces between `: `,
/// backticks and brackets.
fn found(part: &str, corpus: &Corpus) -> bool {
    let known = |text: &str| corpus.text.contains(text) || corpus.formats.iter().any(|pieces| fits(pieces, text));
    let part = part.trim();
    known(part)
        || part
            .split(": ")
            .flat_map(|piece| piece.split(['`', '{', '}', '(', ')']))
            .map(str::trim)
            .filter(|piece| worth_checking(piece))
            .all(known)
}

/// What maestro prints, as far as the repository holds it, and its format strings cut at their
/// arguments.
struct Corpus {
    text: String,
    formats: Vec<Vec<String>>,
}

impl Corpus {
    fn new(text: String) -> Self {
        let formats = text.lines().filter_map(format_pieces).collect();
        Self { text, formats }
    }
}

/// `line` cut at its format arguments (`{}`, `{name}`, `{:?}`, `{0}`), when it has any.
fn format_pieces(line: &str) -> Option<Vec<String>> {
    let is_argument = |c: char| c.is_ascii_alphanumeric() || "_.:?#".contains(c);
    let mut pieces = vec![String::new()];
    let mut rest = line;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find(|c: char| !is_argument(c)) {
            Some(end) if after[end..].starts_with('}') => {
                pieces.last_mut().unwrap().push_str(&rest[..start]);
                pieces.push(String::new());
                rest = &after[end + 1..];
            }
            _ => {
                pieces.last_mut().unwrap().push_str(&rest[..=start]);
                rest = after;
            }
        }
    }
    pieces.last_mut().unwrap().push_str(rest);
    (pieces.len() > 1).then_some(pieces)
}

/// Whether `part` can be read in what the format string cut into `pieces` prints: it starts in
/// one piece (or an argument), the pieces after it follow in order with anything between them,
/// and it ends in a piece or an argument. Arguments can stand for anything, so at least two
/// thirds of `part` must be the format string's own text.
fn fits(pieces: &[String], part: &str) -> bool {
    (0..pieces.len()).any(|first| {
        let piece = &pieces[first];
        (0..=piece.len()).filter(|&start| piece.is_char_boundary(start)).any(|start| {
            let head = &piece[start..];
            let Some(mut rest) = part.strip_prefix(head) else { return false };
            if first + 1 == pieces.len() {
                return false;
            }
            let mut own = head.len();
            for next in &pieces[first + 1..] {
                match rest.find(next.as_str()).filter(|_| !next.is_empty()) {
                    Some(at) => {
                        own += next.len();
                        rest = &rest[at + next.len()..];
                    }
                    None => {
                        own += (1..=rest.len())
                            .rev()
                            .find(|&length| {
                                rest.is_char_boundary(rest.len() - length)
                                    && next.starts_with(&rest[rest.len() - length..])
                            })
                            .unwrap_or(0);
                        rest = "";
                        break;
                    }
                }
            }
            rest.is_empty() && own * 3 >= part.len() * 2
        })
    })
}

/// The code's text as it prints: Rust's escapes and format braces undone, continued lines joined.
fn unescaped(source: &str) -> String {
    let mut text = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some('"')) => {}
            ('\\', Some('\n')) => {
                while chars.peek().is_some_and(|next| next.is_whitespace()) {
                    chars.next();
                }
            }
            ('{', Some('{')) | ('}', Some('}')) => {
                text.push(c);
                chars.next();
            }
            _ => text.push(c),
        }
    }
    text
}

/// Every `.snap` file below `dir`.
fn snapshots(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            snapshots(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "snap") {
            found.push(path);
        }
    }
}

/// What maestro prints, as far as the repository holds it: the sources, the tests' expected
/// output (their scripted AWS answers are AWS's words) and the snapshots. This file is left out,
/// so a quote cannot vouch for itself.
fn corpus() -> Corpus {
    let this = Path::new(file!()).file_name().unwrap();
    let mut files: Vec<PathBuf> = ["src", "crates/maestro-core/src", "tests/it"]
        .into_iter()
        .flat_map(rust_files)
        .filter(|file| file.file_name() != Some(this))
        .collect();
    for dir in ["src", "crates/maestro-core/src", "tests/it"] {
        snapshots(&repository_root().join(dir), &mut files);
    }
    Corpus::new(
        files.iter().map(|file| unescaped(&std::fs::read_to_string(file).unwrap())).collect::<Vec<_>>().join("\n"),
    )
}

#[test]
fn every_message_the_troubleshooting_page_quotes_is_one_maestro_prints() {
    let page = std::fs::read_to_string(repository_root().join("docs/troubleshooting.md")).unwrap();
    let messages = quoted_messages(&page);
    assert!(
        messages.len() >= 20,
        "only {} quoted messages found: is `quoted_messages` still finding them?",
        messages.len()
    );
    let corpus = corpus();
    let drifted: Vec<String> = messages
        .iter()
        .flat_map(|message| stable_parts(message).into_iter().map(move |part| (message, part)))
        .filter(|(_, part)| !found(part, &corpus))
        .map(|(message, part)| format!("`{}` in: {message}", part.trim()))
        .collect();
    assert!(
        drifted.is_empty(),
        "docs/troubleshooting.md quotes text maestro no longer prints:\n{}",
        drifted.join("\n")
    );
}

#[test]
fn a_reworded_message_is_caught() {
    let corpus =
        Corpus::new(unescaped(r#"Failure::new(format!("another deploy of {} is running: {holder}", request.what))"#));
    let quoted = "another deploy of <repository> @ <branch> is running: <run>";
    assert!(stable_parts(quoted).iter().all(|part| found(part, &corpus)), "{:?}", stable_parts(quoted));
    let reworded = "another deploy of <repository> @ <branch> is in progress: <run>";
    assert!(!stable_parts(reworded).iter().all(|part| found(part, &corpus)), "a reworded quote must be caught");
}
