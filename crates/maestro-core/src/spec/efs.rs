//! `ECS_EFS_VOLUMES`: EFS file systems mounted into every task of the app.
//!
//! ```text
//! list  = item *( "," item )
//! item  = volume-name ":" file-system-id "{" root-directory "@" container-path *( ";" flag ) "}"
//! flag  = "encrypted" / "unencrypted" / "readonly"
//! ```
//!
//! Transit encryption is on unless `unencrypted` is given. The original decided it from whether
//! any text followed the last `;` (so `;disabled` meant enabled) and glued extra flags onto the
//! mount path; here flags are words with one meaning each, and unknown ones are errors.

use std::ops::Range;

use serde::Serialize;

use super::scanner::{split_with_spans, trimmed_span};
use crate::input::Location;
use crate::input_error::InputError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EfsVolume {
    pub name: String,
    pub file_system_id: String,
    pub root_directory: String,
    pub container_path: String,
    pub transit_encryption: bool,
    pub read_only: bool,
}

const ITEM_HINT: &str =
    "write each volume as `name:fs-id{/root@/container/path}`, e.g. `storage:fs-0123abcd{/@/workspace/storage}`";

pub fn parse(input: impl Into<Location>, text: &str) -> Result<Vec<EfsVolume>, InputError> {
    let input = &input.into();
    let mut volumes: Vec<EfsVolume> = Vec::new();
    if text.trim().is_empty() {
        return Ok(volumes);
    }
    for (span, piece) in split_with_spans(text, ',') {
        let span = trimmed_span(piece, span);
        let error = |at: Range<usize>, message: String, hint: &str| {
            InputError::at(input, text, at.start + span.start..at.end + span.start, message, hint)
        };
        let volume = parse_item(&text[span.clone()], &error)?;
        if volumes.iter().any(|seen| seen.name == volume.name) {
            return Err(error(
                0..volume.name.len(),
                format!("volume `{}` is listed twice", volume.name),
                "give each volume a distinct name",
            ));
        }
        if volumes.iter().any(|seen| seen.container_path == volume.container_path) {
            return Err(error(
                0..span.len(),
                format!("two volumes are mounted at `{}`", volume.container_path),
                "mount each volume at its own container path",
            ));
        }
        volumes.push(volume);
    }
    Ok(volumes)
}

fn parse_item(item: &str, error: &impl Fn(Range<usize>, String, &str) -> InputError) -> Result<EfsVolume, InputError> {
    if item.is_empty() {
        return Err(error(0..1, "empty item in the list".into(), "remove the extra comma"));
    }
    let Some(colon) = item.find(':') else {
        return Err(error(0..item.len(), "expected `:` after the volume name".into(), ITEM_HINT));
    };
    let name = item[..colon].trim();
    if name.is_empty() || name.len() > 255 || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(error(
            0..colon.max(1),
            format!("`{name}` is not a valid volume name"),
            "volume names use letters, digits, `-` and `_` (at most 255)",
        ));
    }
    let Some(open) = item.find('{') else {
        return Err(error(colon..item.len(), "expected `{` after the file system id".into(), ITEM_HINT));
    };
    let file_system_id = item[colon + 1..open].trim();
    let valid_id = file_system_id
        .strip_prefix("fs-")
        .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_hexdigit()));
    if !valid_id {
        return Err(error(
            colon + 1..open.max(colon + 2),
            format!("`{file_system_id}` is not an EFS file system id"),
            "file system ids look like `fs-0123456789abcdef0` (see the EFS console)",
        ));
    }
    if !item.ends_with('}') {
        return Err(error(
            item.len().saturating_sub(1)..item.len(),
            "expected `}` at the end of the volume".into(),
            ITEM_HINT,
        ));
    }
    let inner_start = open + 1;
    let inner = &item[inner_start..item.len() - 1];
    let Some(at) = inner.find('@') else {
        return Err(error(
            inner_start..item.len() - 1,
            "expected `@` between the root directory and the container path".into(),
            ITEM_HINT,
        ));
    };
    let root_directory = inner[..at].trim();
    if !root_directory.starts_with('/') {
        return Err(error(
            inner_start..inner_start + at.max(1),
            format!("the root directory `{root_directory}` must be an absolute path"),
            "use `/` for the file system's root, or a path such as `/shared`",
        ));
    }
    let mut parts = inner[at + 1..].split(';');
    let container_path = parts.next().unwrap_or_default().trim();
    let path_start = inner_start + at + 1;
    if !container_path.starts_with('/') {
        let suggestion = format!("/workspace/{}", container_path.trim_start_matches("./"));
        return Err(error(
            path_start..path_start + container_path.len().max(1),
            format!("the container path `{container_path}` must be an absolute path"),
            &format!("buildpack apps live in `/workspace`, so this is probably `{suggestion}`"),
        ));
    }
    let mut volume = EfsVolume {
        name: name.to_owned(),
        file_system_id: file_system_id.to_owned(),
        root_directory: root_directory.to_owned(),
        container_path: container_path.to_owned(),
        transit_encryption: true,
        read_only: false,
    };
    let mut flag_start = path_start + container_path.len() + 1;
    for flag in parts {
        let flag_span = flag_start..flag_start + flag.len().max(1);
        flag_start += flag.len() + 1;
        match flag.trim().to_ascii_lowercase().as_str() {
            "encrypted" => volume.transit_encryption = true,
            "unencrypted" => volume.transit_encryption = false,
            "readonly" => volume.read_only = true,
            "" => {
                return Err(error(
                    flag_span,
                    "empty flag after `;`".into(),
                    "remove the `;`; to turn transit encryption off write `;unencrypted`",
                ));
            }
            other => {
                return Err(error(
                    flag_span,
                    format!("unknown volume flag `{other}`"),
                    "the flags are `encrypted` (the default), `unencrypted` and `readonly`",
                ));
            }
        }
    }
    Ok(volume)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VAR: &str = "ECS_EFS_VOLUMES";

    fn err(text: &str) -> InputError {
        parse(VAR, text).expect_err(text)
    }

    #[test]
    fn readme_example_with_absolute_paths() {
        let volumes = parse(
            VAR,
            "storage-efs:fs-013a693f90df46413{/@/workspace/public/storage;encrypted},images-efs:fs-0bd8f82bba0a89448{/@/workspace/public/images;encrypted}",
        )
        .unwrap();
        assert_eq!(volumes.len(), 2);
        assert_eq!(
            volumes[0],
            EfsVolume {
                name: "storage-efs".into(),
                file_system_id: "fs-013a693f90df46413".into(),
                root_directory: "/".into(),
                container_path: "/workspace/public/storage".into(),
                transit_encryption: true,
                read_only: false,
            }
        );
    }

    #[test]
    fn readme_example_relative_path_gets_a_suggestion() {
        let error = err("storage-efs:fs-013a693f90df46413{/@public/storage;encrypted}");
        assert!(error.message.contains("must be an absolute path"));
        assert!(error.hint.contains("`/workspace/public/storage`"), "{}", error.hint);
        assert_eq!(error.column, Some(36));
    }

    #[test]
    fn original_bug_no_flag_means_encrypted() {
        assert!(parse(VAR, "data:fs-1234abcd{/@/app/images}").unwrap()[0].transit_encryption);
    }

    #[test]
    fn original_bug_disabling_is_a_word_not_an_empty_flag() {
        // The original disabled encryption for `;` and enabled it for `;disabled`.
        let off = parse(VAR, "data:fs-1234abcd{/data@/mnt/data;unencrypted}").unwrap();
        assert!(!off[0].transit_encryption);
        assert!(err("data:fs-1234abcd{/data@/mnt/data;}").hint.contains("`;unencrypted`"));
        assert!(err("data:fs-1234abcd{/data@/mnt/data;disabled}").message.contains("unknown volume flag `disabled`"));
    }

    #[test]
    fn original_bug_multiple_flags_do_not_corrupt_the_path() {
        // The original mounted `{/@/mnt/x;encrypted;readonly}` at `/mnt/x;encrypted`.
        let volume = &parse(VAR, "x:fs-1234abcd{/@/mnt/x;encrypted;readonly}").unwrap()[0];
        assert_eq!(volume.container_path, "/mnt/x");
        assert!(volume.transit_encryption && volume.read_only);
    }

    #[test]
    fn malformed_items_are_errors_not_skipped() {
        assert!(err("data").message.contains("expected `:`"));
        assert!(err("data:fs-1234abcd").message.contains("expected `{`"));
        assert!(err("data:fs-1234abcd{/@/mnt").message.contains("expected `}`"));
        assert!(err("data:fs-1234abcd{/mnt}").message.contains("expected `@`"));
        assert!(err("data:efs-1{/@/mnt}").message.contains("not an EFS file system id"));
        assert!(err("da ta:fs-1234abcd{/@/mnt}").message.contains("not a valid volume name"));
        assert!(err("data:fs-1234abcd{root@/mnt}").message.contains("root directory"));
        assert!(err("a:fs-1234abcd{/@/mnt},a:fs-1234abcd{/@/other}").message.contains("listed twice"));
        assert!(err("a:fs-1234abcd{/@/mnt},b:fs-1234abcd{/@/mnt}").message.contains("two volumes are mounted"));
        assert!(err("a:fs-1234abcd{/@/mnt},").message.contains("empty item"));
    }

    /// Each error's caret (column within the item, width) and message, in the list's second
    /// item, so that the item's own place in the list counts too.
    #[test]
    fn every_error_points_at_its_part_of_the_item() {
        const FIRST: &str = "a:fs-1{/@/a},";
        for (item, column, width, message) in [
            ("b", 1, 1, "expected `:` after the volume name"),
            ("b c:fs-1{/@/b}", 1, 3, "`b c` is not a valid volume name"),
            (":fs-1{/@/b}", 1, 1, "`` is not a valid volume name"),
            ("b:fs-1", 2, 5, "expected `{` after the file system id"),
            ("b:fs-xyz{/@/b}", 3, 6, "`fs-xyz` is not an EFS file system id"),
            ("b:fs-{/@/b}", 3, 3, "`fs-` is not an EFS file system id"),
            ("bbb:{/@/b}", 5, 1, "`` is not an EFS file system id"),
            ("b:fs-1{/@/b", 11, 1, "expected `}` at the end of the volume"),
            ("b:fs-1{/b}", 8, 2, "expected `@` between the root directory and the container path"),
            ("b:fs-1{root@/b}", 8, 4, "the root directory `root` must be an absolute path"),
            ("b:fs-1{@/b}", 8, 1, "the root directory `` must be an absolute path"),
            ("b:fs-1{/@mnt/b}", 10, 5, "the container path `mnt/b` must be an absolute path"),
            ("b:fs-1{/@/b;encrypted;bogus}", 23, 5, "unknown volume flag `bogus`"),
            ("b:fs-1{/@/b;}", 13, 1, "empty flag after `;`"),
            ("a:fs-1{/@/z}", 1, 1, "volume `a` is listed twice"),
            ("c:fs-1{/@/a}", 1, 12, "two volumes are mounted at `/a`"),
            ("", 1, 1, "empty item in the list"),
        ] {
            let error = err(&format!("{FIRST}{item}"));
            assert_eq!(
                (error.column, error.width, error.message.as_str()),
                (Some(FIRST.len() + column), width, message),
                "{item}"
            );
        }
    }

    #[test]
    fn volume_names_have_at_most_255_characters() {
        let named = |length: usize| format!("{}:fs-1{{/@/a}}", "v".repeat(length));
        assert_eq!(parse(VAR, &named(255)).unwrap()[0].name.len(), 255);
        assert!(err(&named(256)).message.ends_with("is not a valid volume name"));
    }
}
