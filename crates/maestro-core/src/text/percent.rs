//! Percent-encoding of one URL component (a query value, a path segment): every byte but RFC
//! 3986's unreserved characters, so the value can neither end the component nor start another.

use std::fmt::Write;

/// `a b&c=d/é` → `a%20b%26c%3Dd%2F%C3%A9`.
pub fn encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => encoded.push(char::from(byte)),
            // Writing to a String cannot fail.
            other => {
                let _ = write!(encoded, "%{other:02X}");
            }
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unreserved_characters_are_left_as_they_are() {
        assert_eq!(encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(encode("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(encode("acme/shop-api"), "acme%2Fshop-api");
        assert_eq!(encode("100%+?#"), "100%25%2B%3F%23");
        assert_eq!(encode(""), "");
    }
}
