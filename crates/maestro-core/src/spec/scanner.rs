//! A tiny byte-offset scanner shared by the hand-written grammars.
//!
//! The grammars are small enough that a combinator library would cost more than it saves; what
//! they all need is "where am I" so that errors can point at the offending character.

use std::ops::Range;

pub(crate) struct Scanner<'a> {
    text: &'a str,
    position: usize,
}

impl<'a> Scanner<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self { text, position: 0 }
    }

    pub(crate) fn position(&self) -> usize {
        self.position
    }

    pub(crate) fn peek(&self) -> Option<char> {
        self.text[self.position..].chars().next()
    }

    pub(crate) fn bump(&mut self) -> Option<char> {
        let next = self.peek()?;
        self.position += next.len_utf8();
        Some(next)
    }

    /// Consumes `expected` if it is next.
    pub(crate) fn eat(&mut self, expected: char) -> bool {
        if self.peek() == Some(expected) {
            self.position += expected.len_utf8();
            true
        } else {
            false
        }
    }

    pub(crate) fn skip_whitespace(&mut self) {
        self.take_while(char::is_whitespace);
    }

    /// Consumes characters while `accept` holds and returns their span. It moves to the first
    /// character `accept` refuses in one step, rather than by `bump`s, so that a `bump` that
    /// failed to advance would fail the grammars' tests instead of hanging them.
    pub(crate) fn take_while(&mut self, accept: impl Fn(char) -> bool) -> Range<usize> {
        let start = self.position;
        let rest = &self.text[start..];
        self.position = start + rest.find(|c| !accept(c)).unwrap_or(rest.len());
        start..self.position
    }

    /// The span of the next character, or an empty span at the end (for "expected X" errors).
    pub(crate) fn next_span(&self) -> Range<usize> {
        let width = self.peek().map_or(0, char::len_utf8);
        self.position..self.position + width
    }

    pub(crate) fn slice(&self, span: Range<usize>) -> &'a str {
        &self.text[span]
    }
}

/// Splits `text` on `separator`, yielding each piece with its byte range in `text`.
pub(crate) fn split_with_spans(text: &str, separator: char) -> Vec<(Range<usize>, &str)> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (index, character) in text.char_indices() {
        if character == separator {
            pieces.push((start..index, &text[start..index]));
            start = index + character.len_utf8();
        }
    }
    pieces.push((start..text.len(), &text[start..]));
    pieces
}

/// The span of `piece` with surrounding whitespace removed, relative to the text `span` points into.
pub(crate) fn trimmed_span(piece: &str, span: Range<usize>) -> Range<usize> {
    let leading = piece.len() - piece.trim_start().len();
    let trailing = piece.len() - piece.trim_end().len();
    let start = span.start + leading;
    start..(span.end - trailing).max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_spans_of_every_piece() {
        let pieces = split_with_spans("a, b,,c", ',');
        let texts: Vec<&str> = pieces.iter().map(|(_, text)| *text).collect();
        assert_eq!(texts, ["a", " b", "", "c"]);
        assert_eq!(pieces[1].0, 2..4);
        assert_eq!(trimmed_span(" b", 2..4), 3..4);
    }

    #[test]
    fn scanner_walks_multibyte_text() {
        let mut scanner = Scanner::new("é1");
        assert_eq!(scanner.bump(), Some('é'));
        assert_eq!(scanner.take_while(|c| c.is_ascii_digit()), 2..3);
        assert_eq!(scanner.peek(), None);
        assert_eq!(scanner.bump(), None);
        assert_eq!(scanner.position(), 3);
    }

    #[test]
    fn spans_are_in_bytes_and_cover_whole_characters() {
        let mut scanner = Scanner::new(" \té x9");
        scanner.skip_whitespace();
        assert_eq!(scanner.position(), 2);
        assert_eq!(scanner.next_span(), 2..4, "`é` is two bytes");
        assert!(!scanner.eat('e'));
        assert!(scanner.eat('é'));
        assert_eq!(scanner.take_while(char::is_alphanumeric), 4..4, "nothing taken");
        scanner.skip_whitespace();
        assert_eq!(scanner.take_while(char::is_alphanumeric), 5..7);
        assert_eq!(scanner.slice(5..7), "x9");
        assert_eq!(scanner.next_span(), 7..7, "the end");
    }
}
