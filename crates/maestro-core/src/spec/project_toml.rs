//! `project.toml`, the buildpacks project descriptor: maestro reads the builder from it.
//!
//! Parsed as real TOML (the original grepped for any line containing `builder`, so a comment or a
//! second match broke the build).

use crate::input::Location;
use crate::input_error::InputError;

/// The builder named by `[io.buildpacks] builder` (or the legacy `[build] builder`), if any.
pub fn builder(file: &str, text: &str) -> Result<Option<String>, InputError> {
    let table: toml::Table = toml::from_str(text).map_err(|error| {
        let span = error.span().unwrap_or(0..0);
        let line_number = text[..span.start.min(text.len())].matches('\n').count() + 1;
        let line_start = text[..span.start.min(text.len())].rfind('\n').map_or(0, |index| index + 1);
        let line = text[line_start..].lines().next().unwrap_or_default();
        let relative = span.start.saturating_sub(line_start)..span.end.saturating_sub(line_start).min(line.len());
        InputError::at(
            Location::line(file, line_number),
            line,
            relative,
            format!("invalid TOML: {}", error.message()),
            "fix the TOML syntax; the builder is set as `[io.buildpacks]` then `builder = \"heroku/builder:24\"`",
        )
    })?;
    let value = table
        .get("io")
        .and_then(|io| io.get("buildpacks"))
        .and_then(|buildpacks| buildpacks.get("builder"))
        .or_else(|| table.get("build").and_then(|build| build.get("builder")));
    match value {
        None => Ok(None),
        Some(toml::Value::String(builder)) if !builder.trim().is_empty() => Ok(Some(builder.trim().to_owned())),
        Some(_) => Err(InputError::new(
            Location::file(file),
            "`builder` must be a non-empty string",
            "write `builder = \"heroku/builder:24\"` under `[io.buildpacks]`",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_builder() {
        let text = "[_]\nschema-version = \"0.2\"\n\n[io.buildpacks]\nbuilder = \"heroku/builder:24\"\n";
        assert_eq!(builder("project.toml", text).unwrap().as_deref(), Some("heroku/builder:24"));
        assert_eq!(builder("project.toml", "[build]\nbuilder = \"paketo\"\n").unwrap().as_deref(), Some("paketo"));
        assert_eq!(builder("project.toml", "[_]\nid = \"x\"\n").unwrap(), None);
    }

    #[test]
    fn original_bug_comments_mentioning_builder_are_ignored() {
        let text = "# the builder is pinned below\n[io.buildpacks]\nbuilder = \"heroku/builder:24\" # builder\n";
        assert_eq!(builder("project.toml", text).unwrap().as_deref(), Some("heroku/builder:24"));
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let error = builder("project.toml", "[io.buildpacks]\nbuilder = heroku\n").unwrap_err();
        assert_eq!(*error.location, Location::line("project.toml", 2));
        assert!(error.message.starts_with("invalid TOML"), "{}", error.message);
        assert!(
            builder("project.toml", "[io.buildpacks]\nbuilder = 3\n").unwrap_err().message.contains("non-empty string")
        );
    }

    #[test]
    fn a_blank_builder_is_an_error() {
        let error = builder("project.toml", "[io.buildpacks]\nbuilder = \"  \"\n").unwrap_err();
        assert_eq!(error.message, "`builder` must be a non-empty string");
        assert_eq!(*error.location, Location::file("project.toml"));
    }

    /// The excerpt is the line the error is on, and the caret is under the offending word.
    #[test]
    fn a_syntax_error_shows_its_own_line() {
        let error = builder("project.toml", "[io.buildpacks]\nbuilder = heroku\n").unwrap_err();
        assert_eq!(error.excerpt.as_deref(), Some("builder = heroku"));
        assert_eq!((error.column, error.width), (Some(11), 6), "{}", error.render());
    }
}
