use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::*;

#[test]
fn every_known_value_and_every_line_of_a_multi_line_one_is_hidden() {
    let redactor =
        Redactor::new(["s3cr3t-token", "-----BEGIN KEY-----\nMIIBOgIBAAJBAK\n-----END KEY-----", "abc", "s3cr3t"]);
    assert_eq!(redactor.redact("token=s3cr3t-token and s3cr3t"), "token=*** and ***");
    assert_eq!(redactor.redact("  MIIBOgIBAAJBAK"), "  ***");
    assert_eq!(
        redactor.redact("abc stays: too short to be told from a word"),
        "abc stays: too short to be told from a word"
    );
}

#[test]
fn json_escaped_percent_encoded_and_base64_forms_are_hidden_too() {
    let quoted = "CANARYjson\"quote\\back";
    let url = "postgres://shop:CANARYp%25ss@db/x";
    let key = "CANARYskb-7f3a9b2c";
    let redactor = Redactor::new([quoted, url, key]);
    // What the review's stand-in pack printed (L3).
    assert_eq!(redactor.redact(r#"{"JSONY": "CANARYjson\"quote\\back"}"#), r#"{"JSONY": "***"}"#);
    assert_eq!(redactor.redact("SECRET_KEY_BASE base64: Q0FOQVJZc2tiLTdmM2E5YjJj"), "SECRET_KEY_BASE base64: ***");
    assert_eq!(redactor.redact("urlenc: postgres%3A%2F%2Fshop%3ACANARYp%2525ss%40db%2Fx"), "urlenc: ***");
    // Base64 of the value inside a longer text, at every alignment.
    for prefix in ["", "a", "ab", "abc"] {
        let encoded = STANDARD.encode(format!("{prefix}KEY={key};"));
        assert!(!redactor.redact(&encoded).contains(&STANDARD.encode(key)[..8]), "{prefix}: {encoded}");
        assert!(redactor.redact(&encoded).contains("***"), "{prefix}: {encoded}");
    }
}

#[test]
fn a_relayed_line_is_redacted_and_inert() {
    let redactor = Redactor::new(["s3cr3t-token"]);
    assert_eq!(redactor.relay("  ::add-mask::s3cr3t-token"), "  :\u{200b}:add-mask::***");
}
