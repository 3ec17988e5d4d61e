//! Values inside GitHub Actions workflow commands (`::name key=value,key=value::data`), escaped as
//! the runner unescapes them; the same rules as the Actions toolkit's `escapeData` and
//! `escapeProperty` (`@actions/core`, `command.ts`).

/// A command's data, after the final `::`: a `%`, CR or LF in it would end or corrupt the command.
pub fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property's value (`file=…`, `title=…`): also `:` and `,`, which separate the properties and
/// end the list.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A line maestro relays (an app's log, pack's output, an ECS event), made unable to be a
/// workflow command: the runner takes a line for one when it starts with `::` once leading
/// whitespace is trimmed, or holds `##[` anywhere (actions/runner `ActionCommand.TryParseV2` and
/// `TryParse`). A zero-width space, which `TrimStart` keeps, breaks both markers and reads the same.
pub fn inert(line: &str) -> String {
    let line = line.replace("##[", "#\u{200b}#[");
    let indent = line.len() - line.trim_start().len();
    match line[indent..].strip_prefix("::") {
        Some(rest) => format!("{}:\u{200b}:{rest}", &line[..indent]),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relayed_line_cannot_be_a_command() {
        assert_eq!(inert("    ::error::spoof"), "    :\u{200b}:error::spoof");
        assert_eq!(inert("x ##[set-output name=a;]b ##["), "x #\u{200b}#[set-output name=a;]b #\u{200b}#[");
        assert_eq!(inert("plain :: text"), "plain :: text");
    }

    #[test]
    fn data_escapes_percent_and_line_breaks_first_percent() {
        assert_eq!(data("plain title"), "plain title");
        assert_eq!(data("build\nweb"), "build%0Aweb");
        assert_eq!(data("a\r\nb"), "a%0D%0Ab");
        // `%` first, so an escape the text already holds is not taken for one.
        assert_eq!(data("100% done %0A"), "100%25 done %250A");
        // Separators mean nothing in the data.
        assert_eq!(data("maestro: a, b"), "maestro: a, b");
    }

    #[test]
    fn property_escapes_the_separators_too() {
        assert_eq!(property("Procfile"), "Procfile");
        assert_eq!(property("api/tasks:run,now"), "api/tasks%3Arun%2Cnow");
        assert_eq!(property("C:\\app\\Procfile"), "C%3A\\app\\Procfile");
        assert_eq!(property("50%\nx"), "50%25%0Ax");
    }
}
