//! Text written into GitHub-flavoured Markdown that others read (a pull request's comment): it
//! stays text. Markdown's punctuation is escaped, HTML's `<`, `>` and `&` become entities (so
//! nothing closes a hidden marker or opens a tag), `@` cannot mention anyone and a line break
//! cannot start a block.

/// `text` as inline Markdown that renders as itself.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '@' => out.push_str("&#64;"),
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '|' | '!' | '~' | '{' | '}' | '+' | '-' | '.'
            | ':' => {
                out.push('\\');
                out.push(character);
            }
            other if other.is_control() => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_mentions_and_html_stay_text() {
        assert_eq!(inline("plain words 42"), "plain words 42");
        assert_eq!(inline("**bold** [x](y)"), "\\*\\*bold\\*\\* \\[x\\]\\(y\\)");
        assert_eq!(inline("-->\n<img src=x>"), "\\-\\-&gt; &lt;img src=x&gt;");
        assert_eq!(inline("cc @octocat"), "cc &#64;octocat");
        assert_eq!(inline("a\u{0}b`c"), "ab\\`c");
        assert_eq!(inline("https://x.example.com"), "https\\://x\\.example\\.com");
    }
}
