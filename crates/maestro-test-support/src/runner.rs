//! A model of how the GitHub Actions runner reads a step's output: which lines are workflow
//! commands, which are printed, and what its secret masker hides. maestro's canary tests read
//! maestro's own stderr; what a user sees is this model's output, so tests that promise "nothing
//! secret in the log" run maestro's real output through it.
//!
//! Modelled on actions/runner at 258d6c8 (`src/Runner.Common/ActionCommand.cs`,
//! `src/Runner.Worker/ActionCommandManager.cs`, `src/Runner.Worker/Handlers/OutputManager.cs`).
//! Deliberately stricter than the runner in one way: its masker also hides the base64, URI- and
//! JSON-escaped forms of a registered value; this model hides only the literal value, so a test
//! passes only if maestro itself hides the derived forms (what GitLab and CodeBuild need).

/// The commands the runner registers (`ActionCommandManager.Initialize`: `stop-commands` plus every
/// `IActionCommandExtension`'s `Command`; `internal-set-repo-path` is left out there).
const REGISTERED: &[&str] = &[
    "stop-commands",
    "set-env",
    "add-path",
    "set-output",
    "save-state",
    "add-mask",
    "add-matcher",
    "remove-matcher",
    "warning",
    "error",
    "notice",
    "debug",
    "group",
    "endgroup",
    "echo",
];

/// A command the runner executed (or at least processed: `set-env` is refused, but processed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Executed {
    /// The command's name, lowercase.
    pub command: String,
    /// Its data, unescaped as the runner does.
    pub data: String,
    /// The line it came from, as maestro wrote it.
    pub line: String,
}

/// The runner's state across a step's lines.
#[derive(Debug, Default)]
pub struct Runner {
    /// `Some(token)` between `::stop-commands::token` and `::token::`.
    stop_token: Option<String>,
    masks: Vec<String>,
    /// The log as the user sees it, masked.
    pub log: Vec<String>,
    /// The commands processed, in order (`stop-commands` and its resume included).
    pub executed: Vec<Executed>,
}

struct Parsed {
    command: String,
    data: String,
}

impl Runner {
    /// The runner after reading `text` line by line (stderr and stdout go through the same
    /// `OutputManager`, one line at a time).
    pub fn read(text: &str) -> Self {
        let mut runner = Self::default();
        for line in text.lines() {
            runner.line(line);
        }
        runner
    }

    /// One line of output (`ActionCommandManager.TryProcessCommand`, then `OutputManager` prints
    /// the line when that returned false).
    pub fn line(&mut self, line: &str) {
        let registered = |name: &str| {
            REGISTERED.iter().any(|known| known.eq_ignore_ascii_case(name))
                || self.stop_token.as_deref().is_some_and(|token| token.eq_ignore_ascii_case(name))
        };
        let Some(parsed) = parse_v2(line, &registered).or_else(|| parse_v1(line, &registered)) else {
            return self.print(line);
        };
        if let Some(token) = &self.stop_token {
            // "Currently stopped": only the resume token is processed; it is printed and resumes.
            if parsed.command.eq_ignore_ascii_case(token) {
                self.print(line);
                self.executed.push(Executed { command: parsed.command, data: parsed.data, line: line.to_owned() });
                self.stop_token = None;
            } else {
                self.print(line);
            }
            return;
        }
        match parsed.command.as_str() {
            "stop-commands" => {
                // The token is masked when longer than 6 characters, and the line printed.
                if parsed.data.chars().count() > 6 {
                    self.masks.push(parsed.data.clone());
                }
                self.stop_token = Some(parsed.data.clone());
                self.print(line);
            }
            // `AddMaskCommandExtension`: the whole data, then each line of it, trimmed, empty ones
            // dropped; `OmitEcho`, so nothing is printed. Whitespace-only data is refused.
            "add-mask" if !parsed.data.trim().is_empty() => {
                self.masks.push(parsed.data.clone());
                let lines = parsed.data.split(['\r', '\n']).map(str::trim).filter(|line| !line.is_empty());
                self.masks.extend(lines.map(str::to_owned));
            }
            _ => {}
        }
        // Echo is off by default (`EchoOnActionCommand`): a processed command is not printed.
        // An annotation (`error`, `warning`, `notice`) shows its data, masked.
        self.executed.push(Executed { command: parsed.command, data: parsed.data, line: line.to_owned() });
    }

    fn print(&mut self, line: &str) {
        let masked = self.mask(line);
        self.log.push(masked);
    }

    /// The secret masker: every registered value, longest first, becomes `***`.
    pub fn mask(&self, text: &str) -> String {
        let mut values: Vec<&String> = self.masks.iter().filter(|value| !value.is_empty()).collect();
        values.sort_by_key(|value| std::cmp::Reverse(value.len()));
        values.iter().fold(text.to_owned(), |text, value| text.replace(value.as_str(), "***"))
    }

    /// Everything a user can read: the log, and what the executed commands show (annotations).
    pub fn visible(&self) -> String {
        let shown = self.executed.iter().map(|executed| self.mask(&executed.data));
        self.log.iter().cloned().chain(shown).collect::<Vec<_>>().join("\n")
    }

    /// The commands executed with this name.
    pub fn commands_named(&self, name: &str) -> Vec<&Executed> {
        self.executed.iter().filter(|executed| executed.command.eq_ignore_ascii_case(name)).collect()
    }
}

/// `ActionCommand.TryParseV2`: `::name props::data` once leading whitespace is trimmed.
fn parse_v2(line: &str, registered: &dyn Fn(&str) -> bool) -> Option<Parsed> {
    let message = line.trim_start().strip_prefix("::")?;
    let end = message.find("::")?;
    let info = &message[..end];
    let name = info.split(' ').next().unwrap_or_default();
    registered(name).then(|| Parsed { command: name.to_ascii_lowercase(), data: unescape_data(&message[end + 2..]) })
}

/// `ActionCommand.TryParse`: `##[name props]data` anywhere in the line.
fn parse_v1(line: &str, registered: &dyn Fn(&str) -> bool) -> Option<Parsed> {
    let start = line.find("##[")? + 3;
    let close = line[start..].find(']')? + start;
    let name = line[start..close].split(' ').next().unwrap_or_default();
    // V1 unescapes with the wider table (`Unescape`: `;` and `]` too, `%25` still last).
    let data = line[close + 1..]
        .replace("%3B", ";")
        .replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%5D", "]")
        .replace("%25", "%");
    registered(name).then(|| Parsed { command: name.to_ascii_lowercase(), data })
}

/// `ActionCommand.UnescapeData`: the mappings in their order, `%25` last, so `%250A` stays `%0A`.
pub fn unescape_data(data: &str) -> String {
    data.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
}

#[cfg(test)]
#[path = "runner_tests.rs"]
mod tests;
