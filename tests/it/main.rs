//! One integration-test binary: the CLI as a user runs it, and checks on the repository itself.

// Test code: a failed unwrap is a failed test, and a long scenario says on stderr what it does.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

mod action;
mod architecture;
mod aws_failures;
mod bad_input;
mod bad_input_corpus;
mod build;
mod canary;
mod ci_scenarios;
mod ci_templates;
mod deploy_checks;
mod deploy_cli;
mod deploy_output;
mod destroy;
mod docs;
mod docs_migrating;
mod docs_troubleshooting;
mod emulator_lifecycle;
mod eventual_consistency;
mod faults;
mod help;
mod iam;
mod identities;
mod init;
mod installer;
mod json_errors;
mod lease;
mod logs;
mod oidc;
mod permissions;
mod plan_cli;
mod plan_diff;
mod previews;
mod previews_prune;
mod progress;
mod readable_errors;
mod registry;
mod release_task;
mod releases;
mod reporting;
mod restart;
mod retention;
mod rollback;
mod run_command;
mod runner_log;
mod shared_cluster;
mod stand_ins;
mod strict;
mod support;
mod switching;
mod unknown_inputs;
mod variable_names;
mod verify;
mod verify_resources;
