//! `task-definition-<process>.json`: a task definition the app ships as the base for a process.

use serde_json::{Map, Value};

use crate::input::Location;
use crate::input_error::InputError;

/// Parses the file as a JSON object with a `containerDefinitions` array.
pub fn parse(file: &str, text: &str) -> Result<Map<String, Value>, InputError> {
    let value: Value = serde_json::from_str(text).map_err(|error| {
        let line = text.lines().nth(error.line().saturating_sub(1)).unwrap_or_default();
        let column = error.column().saturating_sub(1);
        let start: usize = line.char_indices().nth(column).map_or(line.len(), |(index, _)| index);
        InputError::at_character(
            Location::line(file, error.line()),
            line,
            start,
            format!("invalid JSON: {error}"),
            "fix the JSON; the file has the shape of `aws ecs register-task-definition --cli-input-json`",
        )
    })?;
    let Value::Object(document) = value else {
        return Err(InputError::new(
            Location::file(file),
            "the task definition must be a JSON object",
            "write an object such as `{\"containerDefinitions\": [...]}`",
        ));
    };
    if !document.get("containerDefinitions").is_some_and(Value::is_array) {
        return Err(InputError::new(
            Location::file(file),
            "`containerDefinitions` must be an array",
            "list the task's containers under `containerDefinitions`, one of them named after the app",
        ));
    }
    Ok(document)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_an_object_with_containers() {
        let document = parse("task-definition-web.json", r#"{"containerDefinitions": [{"name": "app"}]}"#).unwrap();
        assert!(document.contains_key("containerDefinitions"));
    }

    #[test]
    fn rejects_bad_json_and_shapes_with_positions() {
        let error = parse("task-definition-web.json", "{\n  \"cpu\": \"256\",\n  oops\n}").unwrap_err();
        assert_eq!(*error.location, Location::line("task-definition-web.json", 3));
        assert_eq!(error.column, Some(3));
        assert!(parse("f.json", "[]").unwrap_err().message.contains("JSON object"));
        assert!(parse("f.json", "{}").unwrap_err().message.contains("containerDefinitions"));
    }
}
