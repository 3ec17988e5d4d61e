//! Variables that look like maestro's and that maestro does not read.
//!
//! A misspelt name is otherwise silent, and silence can shrink production:
//! `ECS_SERVICE_TASK_PROCESS=web:2-5` (one letter short) left the processes unset, so the next
//! deploy put `web` on one small task and deleted every scaling policy. So every name under
//! maestro's prefixes ([`vars::OWN_PREFIXES`]) is checked against the registry, in every layer
//! (the process environment, the env file, the action's `MAESTRO_INPUT_<NAME>`), and each unknown
//! one is named with the closest known name. They are warnings, since a CI may hold variables
//! of its own under these prefixes; `MAESTRO_STRICT=true` makes them errors (exit 2).

use crate::env::Env;
use crate::input::vars;
use crate::input_error::InputError;
use crate::text::suggest::closest;

/// Every unknown name under maestro's prefixes, as a problem with the place it was written and
/// the fix; the caller decides whether it warns or stops the run.
pub fn unknown_variables(env: &Env) -> Vec<InputError> {
    env.names().filter_map(|name| unknown(env, name)).collect()
}

fn unknown(env: &Env, name: &str) -> Option<InputError> {
    let upper = name.to_ascii_uppercase();
    // A renamed variable gets its own warning, which names the replacement.
    let renamed = vars::RENAMED.iter().any(|(old, _)| *old == name);
    if renamed || vars::all().any(|variable| variable.name == name) {
        return None;
    }
    if let Some(input) = upper.strip_prefix(vars::ACTION_INPUT_PREFIX) {
        return Some(unknown_input(env, name, input));
    }
    if !vars::OWN_PREFIXES.iter().any(|prefix| upper.starts_with(prefix)) {
        return None;
    }
    let suggestion = closest(name, vars::MAESTRO.iter().map(|variable| variable.name));
    let message = match suggestion {
        Some(known) => format!("`{name}` is not a variable maestro reads; did you mean `{known}`?"),
        None => format!("`{name}` is not a variable maestro reads"),
    };
    let hint = match suggestion {
        Some(known) => format!("rename it `{known}`, or remove it (docs/inputs.md lists every variable)"),
        None => "remove it, or check its name in docs/inputs.md, which lists every variable".to_owned(),
    };
    Some(InputError::new(env.written_at(name), message, hint))
}

/// `MAESTRO_INPUT_<X>` whose `<X>` is no variable the GitHub Action has an input for (the action
/// passes each input so; a name it does not know would be dropped without a word).
fn unknown_input(env: &Env, name: &str, input: &str) -> InputError {
    let with_inputs = vars::all().filter(|variable| variable.action_input.is_some());
    let suggestion = closest(input, with_inputs.map(|variable| variable.name));
    let message = match suggestion.and_then(|known| vars::all().find(|variable| variable.name == known)) {
        Some(known) => format!(
            "`{name}` is not an input of maestro's action; did you mean `{}{}` (the `{}` input)?",
            vars::ACTION_INPUT_PREFIX,
            known.name,
            known.action_input.unwrap_or_default()
        ),
        None => format!("`{name}` is not an input of maestro's action"),
    };
    let hint = "the action passes each input as MAESTRO_INPUT_<VARIABLE>; docs/inputs.md lists them";
    InputError::new(env.written_at(name), message, hint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Origin;

    fn messages(env: &Env) -> Vec<String> {
        unknown_variables(env).into_iter().map(|error| error.message).collect()
    }

    #[test]
    fn a_misspelt_setting_is_named_with_the_closest_known_one() {
        let env = Env::from_process([
            ("ECS_SERVICE_TASK_PROCESS", "web:2-5"),
            ("ALB_SCHEM", "internal"),
            ("NEW_RELIC_WHATEVER_IT_IS", "x"),
            ("ecs_cluster_id", "shop"),
        ]);
        assert_eq!(
            messages(&env),
            [
                "`ALB_SCHEM` is not a variable maestro reads; did you mean `ALB_SCHEME`?",
                "`ECS_SERVICE_TASK_PROCESS` is not a variable maestro reads; did you mean `ECS_SERVICE_TASK_PROCESSES`?",
                "`NEW_RELIC_WHATEVER_IT_IS` is not a variable maestro reads",
                "`ecs_cluster_id` is not a variable maestro reads; did you mean `ECS_CLUSTER_ID`?",
            ]
        );
    }

    #[test]
    fn known_foreign_and_renamed_names_are_not_flagged() {
        let env = Env::from_process([
            ("ECS_SERVICE_TASK_PROCESSES", "web"),
            ("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/x"),
            ("MAESTRO_STATUS", "success"),
            ("ALB_NAME_SLUG", "old"),
            ("GITHUB_TOKEN", "t"),
            ("DATABASE_URL", "postgres://"),
            ("MAESTRO_INPUT_MAESTRO_ROLE_ARN", "arn:aws:iam::123456789012:role/deploy"),
        ]);
        assert_eq!(messages(&env), Vec::<String>::new());
    }

    #[test]
    fn an_env_file_line_is_pointed_at_even_when_empty() {
        let mut env = Env::default();
        env.set("ECS_SERVICE_TASK_PROCESS", "", Origin::EnvFile { file: "typo.env".into(), line: 3 });
        let found = unknown_variables(&env);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].location.file_line(), Some(("typo.env", 3)));
    }

    #[test]
    fn an_unknown_action_input_is_named_with_the_closest_input() {
        let env = Env::from_process([("MAESTRO_INPUT_ECS_SERVICE_TASK_PROCESS", "web")]);
        assert_eq!(
            messages(&env),
            ["`MAESTRO_INPUT_ECS_SERVICE_TASK_PROCESS` is not an input of maestro's action; did you mean \
              `MAESTRO_INPUT_ECS_SERVICE_TASK_PROCESSES` (the `ecs-service-task-processes` input)?"]
        );
        // A variable the action has no input for is not an input either.
        let env = Env::from_process([("MAESTRO_INPUT_AWS_ROLE_ARN", "x")]);
        assert_eq!(unknown_variables(&env).len(), 1);
    }
}
