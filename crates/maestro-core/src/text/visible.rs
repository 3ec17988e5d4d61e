//! An HTTP answer that is not AWS's: what kind of body it is, and the little of its text worth
//! showing. A proxy, a captive portal or a firewall answers with a page of its own; its first
//! words ("Access denied by policy", "502 Bad Gateway") say who is in the way, while the whole
//! page (and its headers) would be noise, and could carry more than it should.

/// At most this many characters of a foreign answer are shown.
pub const SHOWN_CHARS: usize = 80;

/// How much of a body is looked at for its visible text.
const READ_BYTES: usize = 64 * 1024;

/// What an answer's body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// A web page: `text/html`, or a body that starts like one.
    Html,
    /// JSON or XML: the shape AWS answers in, without an error code maestro could read.
    Structured,
    /// Nothing at all.
    Empty,
    /// Any other text.
    Text,
}

impl Body {
    /// The body's kind from its `Content-Type` header (empty when absent) and its text.
    pub fn of(content_type: &str, body: &str) -> Self {
        let start = body.trim_start().get(..15).unwrap_or(body.trim_start()).to_ascii_lowercase();
        if content_type.to_ascii_lowercase().contains("html")
            || start.starts_with("<!doctype html")
            || start.starts_with("<html")
        {
            Self::Html
        } else if body.trim().is_empty() {
            Self::Empty
        } else if start.starts_with('{') || start.starts_with('<') {
            Self::Structured
        } else {
            Self::Text
        }
    }

    /// As a sentence says it: "with an HTML page".
    pub fn described(self) -> &'static str {
        match self {
            Self::Html => "an HTML page",
            Self::Structured => "a body without an AWS error code",
            Self::Empty => "an empty body",
            Self::Text => "a text that is not AWS's JSON or XML",
        }
    }
}

/// The text a reader of `body` would see, in at most [`SHOWN_CHARS`] characters: markup, the
/// contents of `<script>` and `<style>`, and control characters dropped, the common entities
/// decoded, runs of white space made one space, `…` where it was cut.
pub fn visible(body: &str) -> String {
    // The first words are what is shown; a page of megabytes is not read to its end.
    let mut rest = &body[..body.floor_char_boundary(READ_BYTES)];
    let mut text = String::new();
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let tag = &rest[open..];
        let lower = tag.get(..7).unwrap_or(tag).to_ascii_lowercase();
        let skipped_to = ["<script", "<style"]
            .iter()
            .find(|name| lower.starts_with(**name))
            .and_then(|name| find_ascii_case_insensitive(tag, &format!("</{}", &name[1..])))
            .unwrap_or(0);
        rest = match tag[skipped_to..].find('>') {
            Some(close) => &tag[skipped_to + close + 1..],
            None => "",
        };
    }
    text.push_str(rest);
    let decoded = text
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let words: Vec<&str> = decoded
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .map(|word| if token_like(word) { "[hidden]" } else { word })
        .collect();
    super::truncate(&words.join(" "), SHOWN_CHARS)
}

/// A word that could be a credential a page echoes back (a proxy quoting the request: an OIDC
/// token, a session token, a secret key): long, with no spaces, of the characters tokens are
/// written in. No message worth reading has one.
fn token_like(word: &str) -> bool {
    word.len() >= 24 && word.chars().all(|c| c.is_ascii_alphanumeric() || "+/=._-%".contains(c))
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(&needle.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_token_the_page_echoes_is_hidden() {
        let page = "<html><body>Denied: WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvIn0.c2lnbmF0dXJl by policy</body></html>";
        let shown = super::visible(page);
        assert_eq!(shown, "Denied: [hidden] by policy");
    }

    use super::*;

    #[test]
    fn a_page_is_told_from_aws_answers() {
        assert_eq!(Body::of("text/html; charset=utf-8", "oops"), Body::Html);
        assert_eq!(Body::of("", "  <!DOCTYPE HTML><html>"), Body::Html);
        assert_eq!(Body::of("", "<HTML><body>"), Body::Html);
        assert_eq!(Body::of("application/x-amz-json-1.1", "{\"message\":\"x\"}"), Body::Structured);
        assert_eq!(Body::of("text/xml", "<ErrorResponse/>"), Body::Structured);
        assert_eq!(Body::of("", " \n"), Body::Empty);
        assert_eq!(Body::of("text/plain", "Bad Gateway"), Body::Text);
    }

    #[test]
    fn only_the_visible_text_is_kept_and_cut() {
        let page = "<html><head><title>500 Internal Server Error</title><style>h1 { color: red }</style>\
                    <script>var secret = 1;</script></head>\n<body><h1>Internal&nbsp;Server Error</h1>\
                    <p>Proxy &amp; firewall</p></body></html>";
        assert_eq!(visible(page), "500 Internal Server Error Internal Server Error Proxy & firewall");
        let long = format!("<p>{}</p>", "word ".repeat(40));
        let shown = visible(&long);
        assert_eq!(shown.chars().count(), SHOWN_CHARS);
        assert!(shown.ends_with('…'), "{shown}");
        assert_eq!(visible("plain\u{1b}[31m text"), "plain [31m text", "control characters are dropped");
        assert_eq!(visible("<unclosed"), "");
    }
}
