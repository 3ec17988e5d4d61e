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

#[cfg(test)]
mod tests {
    use super::*;

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
