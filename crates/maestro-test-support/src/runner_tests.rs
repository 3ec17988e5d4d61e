//! The model against the runner's rules; each test names the source it follows.

use super::*;

#[test]
fn commands_are_recognised_after_leading_whitespace_and_v1_anywhere() {
    // TryParseV2: `message.TrimStart()` then `StartsWith("::")`.
    let runner = Runner::read("    ::error::indented\nsay ::error::not at the start\nx ##[warning]anywhere\n");
    let names: Vec<&str> = runner.executed.iter().map(|executed| executed.command.as_str()).collect();
    assert_eq!(names, ["error", "warning"]);
    assert_eq!(runner.log, ["say ::error::not at the start"]);
    // Unregistered names are plain text (`registeredCommands.Contains`).
    assert_eq!(Runner::read("::made-up::x").log, ["::made-up::x"]);
    // A zero-width space is not whitespace to TrimStart: the line is text.
    assert_eq!(Runner::read(":\u{200b}:error::x").executed, []);
}

#[test]
fn inside_stop_commands_only_the_token_is_processed() {
    // TryProcessCommand, "Currently stopped": anything but the resume token returns false and
    // OutputManager prints it; the token resumes.
    let text = "::stop-commands::tok\n::add-mask::hidden\n::error::spoof\n::tok::\n::add-mask::later\nhidden later";
    let runner = Runner::read(text);
    assert_eq!(runner.log, ["::stop-commands::tok", "::add-mask::hidden", "::error::spoof", "::tok::", "hidden ***"]);
    let names: Vec<&str> = runner.executed.iter().map(|executed| executed.command.as_str()).collect();
    assert_eq!(names, ["stop-commands", "tok", "add-mask"]);
}

#[test]
fn a_long_stop_token_is_masked_and_the_resume_is_case_insensitive() {
    // `if (_stopToken.Length > 6) SecretMasker.AddValue(_stopToken)`; OrdinalIgnoreCase compare.
    let runner = Runner::read("::stop-commands::maestro-0123\n::MAESTRO-0123::\n::error::e");
    // The masker matches case-sensitively: the upper-case resume line shows as written.
    assert_eq!(runner.log, ["::stop-commands::***", "::MAESTRO-0123::"]);
    assert_eq!(runner.commands_named("error").len(), 1);
}

#[test]
fn add_mask_data_is_unescaped_and_each_line_registered() {
    // UnescapeData: %0D, %0A, then %25 (so the literal text `%25` must be written `%2525`).
    let runner = Runner::read("::add-mask::p%25ss\n::add-mask::p%2525ss2\nuses p%ss and p%25ss2\n");
    assert_eq!(runner.log, ["uses *** and ***"]);
    // AddMaskCommandExtension: the whole value, then each trimmed line.
    let runner = Runner::read("::add-mask::line-one%0A  line-two \nline-one / line-two");
    assert_eq!(runner.log, ["*** / ***"]);
    assert_eq!(unescape_data("%250A"), "%0A");
    // A whitespace-only mask registers nothing.
    assert_eq!(Runner::read("::add-mask:: \n a b").log, [" a b"]);
}

#[test]
fn masks_apply_to_later_lines_and_to_annotations() {
    let runner = Runner::read("before s3cret\n::add-mask::s3cret\n::error::after s3cret");
    assert_eq!(runner.log, ["before s3cret"]);
    assert!(runner.visible().contains("after ***"), "{}", runner.visible());
}
