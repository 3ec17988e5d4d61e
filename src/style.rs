//! Whether stderr gets colour, decided once per run, and the coloured labels.
//!
//! Colour where someone reads it rendered: a terminal, and the logs of GitHub Actions and GitLab
//! CI, which render ANSI colour (CodeBuild's CloudWatch logs do not, and CodeBuild gives no
//! terminal). Never with `NO_COLOR` set to anything (https://no-color.org); `CLICOLOR_FORCE` or
//! `FORCE_COLOR` (not `0`) force it where it would not be on.

use maestro_core::env::Env;
use maestro_core::input::vars as var;
use maestro_core::text::label::Label;

/// What the decision depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Facts {
    pub stderr_is_terminal: bool,
    /// The job runs in a CI whose log renders ANSI colour.
    pub ci_renders_colour: bool,
    pub no_color: bool,
    pub forced: bool,
}

impl Facts {
    /// The facts of this process: `env` and whether stderr is a terminal.
    pub(crate) fn of(env: &Env, stderr_is_terminal: bool) -> Self {
        let set = |name: &str| env.get(name).is_some();
        let forcing = |name: &str| env.get(name).is_some_and(|value| !matches!(value.trim(), "0" | "false"));
        Self {
            stderr_is_terminal,
            ci_renders_colour: env.get(var::GITHUB_ACTIONS) == Some("true") || env.get(var::GITLAB_CI) == Some("true"),
            no_color: set(var::NO_COLOR),
            forced: forcing(var::CLICOLOR_FORCE) || forcing(var::FORCE_COLOR),
        }
    }
}

/// The decision: `NO_COLOR` wins over everything, forcing over the rest.
pub(crate) fn colour(facts: Facts) -> bool {
    !facts.no_color && (facts.forced || facts.stderr_is_terminal || facts.ci_renders_colour)
}

/// How this run writes its labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Style {
    pub colour: bool,
}

impl Style {
    /// For what goes to stdout (a plan's or a deploy's changes): coloured on a terminal, plain
    /// when piped into a file, a pull-request comment or `jq`. Only `CLICOLOR_FORCE` forces it:
    /// workflows set `FORCE_COLOR` for their Node tools, and `plan > plan.txt` must stay plain.
    pub(crate) fn for_stdout(env: &Env) -> Self {
        let facts = Facts::of(env, std::io::IsTerminal::is_terminal(&std::io::stdout()));
        let forced = env.get(var::CLICOLOR_FORCE).is_some_and(|value| !matches!(value.trim(), "0" | "false"));
        Self { colour: colour(Facts { ci_renders_colour: false, forced, ..facts }) }
    }

    pub(crate) fn decide(env: &Env) -> Self {
        Self { colour: colour(Facts::of(env, std::io::IsTerminal::is_terminal(&std::io::stderr()))) }
    }

    /// `label` as this run writes it: bold red `error:`, bold yellow `warning:`, bold cyan `hint:`.
    pub(crate) fn label(self, label: Label) -> String {
        if !self.colour {
            return label.text().to_owned();
        }
        let code = match label {
            Label::Error => "1;31",
            Label::Warning => "1;33",
            Label::Hint => "1;36",
        };
        format!("\u{1b}[{code}m{}\u{1b}[0m", label.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_goes_where_it_is_rendered_and_never_against_no_color() {
        // (terminal, CI that renders it, NO_COLOR, forced) → colour
        let table = [
            ((false, false, false, false), false),
            ((true, false, false, false), true),
            ((false, true, false, false), true),
            ((true, true, false, false), true),
            ((true, false, true, false), false),
            ((false, true, true, false), false),
            ((false, false, false, true), true),
            ((false, false, true, true), false),
            ((true, true, true, true), false),
        ];
        for ((stderr_is_terminal, ci_renders_colour, no_color, forced), expected) in table {
            let facts = Facts { stderr_is_terminal, ci_renders_colour, no_color, forced };
            assert_eq!(colour(facts), expected, "{facts:?}");
        }
    }

    #[test]
    fn the_facts_come_from_the_environment() {
        let facts = |pairs: &[(&str, &str)]| Facts::of(&Env::from_process(pairs.iter().copied()), false);
        assert!(facts(&[("GITHUB_ACTIONS", "true")]).ci_renders_colour);
        assert!(facts(&[("GITLAB_CI", "true")]).ci_renders_colour);
        assert!(!facts(&[("CODEBUILD_BUILD_ID", "b:1")]).ci_renders_colour, "CloudWatch Logs shows escape codes");
        assert!(facts(&[("NO_COLOR", "1")]).no_color);
        assert!(!facts(&[("NO_COLOR", "")]).no_color, "an empty NO_COLOR is unset (no-color.org)");
        assert!(facts(&[("CLICOLOR_FORCE", "1")]).forced && facts(&[("FORCE_COLOR", "true")]).forced);
        assert!(!facts(&[("FORCE_COLOR", "0")]).forced);
    }

    #[test]
    fn labels_are_plain_without_colour_and_wrapped_with_it() {
        assert_eq!(Style { colour: false }.label(Label::Error), "error:");
        assert_eq!(Style { colour: true }.label(Label::Hint), "\u{1b}[1;36mhint:\u{1b}[0m");
    }
}
