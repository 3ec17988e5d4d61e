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
    check_fargate(file, text, &document)?;
    Ok(document)
}

/// maestro runs every task on Fargate, which takes only awsvpc task definitions that list
/// `FARGATE` in `requiresCompatibilities` ("Task definition does not support launch_type
/// FARGATE", from CreateService, RunTask and the schedules' targets). A base file may leave both
/// out (maestro fills them in); one that says otherwise is refused where it says it.
fn check_fargate(file: &str, text: &str, document: &Map<String, Value>) -> Result<(), InputError> {
    if let Some(mode) = document.get("networkMode").filter(|mode| mode.as_str() != Some("awsvpc")) {
        return Err(at_key(
            file,
            text,
            "networkMode",
            format!("`networkMode` is {mode}, and Fargate runs only `awsvpc` tasks"),
            "write `\"networkMode\": \"awsvpc\"`, or leave it out: maestro sets it",
        ));
    }
    if let Some(compatibilities) = document.get("requiresCompatibilities") {
        let has_fargate =
            compatibilities.as_array().is_some_and(|list| list.iter().any(|item| item.as_str() == Some("FARGATE")));
        if !has_fargate {
            return Err(at_key(
                file,
                text,
                "requiresCompatibilities",
                format!(
                    "`requiresCompatibilities` is {compatibilities}, without `FARGATE`, where maestro runs the tasks"
                ),
                "add \"FARGATE\" to the list (\"EC2\" may stay), or leave it out: maestro sets `[\"FARGATE\"]`",
            ));
        }
    }
    Ok(())
}

/// An error pointing at the first `"key"` of the file (the top-level one in any usual layout).
fn at_key(file: &str, text: &str, key: &str, message: String, hint: &str) -> InputError {
    let quoted = format!("\"{key}\"");
    let found =
        text.lines().enumerate().find_map(|(index, line)| line.find(&quoted).map(|column| (index, line, column)));
    match found {
        Some((index, line, column)) => {
            InputError::at_character(Location::line(file, index + 1), line, column, message, hint)
        }
        None => InputError::new(Location::file(file), message, hint),
    }
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

    #[test]
    fn a_base_file_fargate_cannot_run_is_refused_where_it_says_so() {
        let bridge = "{\n  \"containerDefinitions\": [],\n  \"networkMode\": \"bridge\"\n}";
        let error = parse("task-definition-web.json", bridge).unwrap_err();
        assert_eq!((*error.location.clone(), error.column), (Location::line("task-definition-web.json", 3), Some(3)));
        assert_eq!(error.message, "`networkMode` is \"bridge\", and Fargate runs only `awsvpc` tasks");
        let ec2_only = "{\"containerDefinitions\": [], \"requiresCompatibilities\": [\"EC2\"]}";
        let error = parse("task-definition-web.json", ec2_only).unwrap_err();
        assert_eq!((*error.location.clone(), error.column), (Location::line("task-definition-web.json", 1), Some(30)));
        assert!(
            error.message.starts_with("`requiresCompatibilities` is [\"EC2\"], without `FARGATE`"),
            "{}",
            error.message
        );
        // Both left out, or both saying Fargate (EC2 too): accepted as written.
        for fine in [
            "{\"containerDefinitions\": []}",
            "{\"containerDefinitions\": [], \"networkMode\": \"awsvpc\", \"requiresCompatibilities\": [\"EC2\", \"FARGATE\"]}",
        ] {
            assert!(parse("t.json", fine).is_ok(), "{fine}");
        }
    }
}
