//! Where the AWS SDK's default credential chain looked, said when it found nothing.
//!
//! The SDK's own error lists its providers' internals and ends with the last one it tried, the
//! instance metadata service, whose timeout on a laptop says nothing useful. The chain's order
//! is the SDK's (https://docs.aws.amazon.com/sdk-for-rust/latest/dg/credproviders.html): the
//! environment, the shared files' profile (keys, SSO, a role, `credential_process`), a web
//! identity token file, the container endpoint (ECS, CodeBuild), then EC2's instance metadata.
//! Each is said as what maestro saw and how to fix it.

use crate::aws_profiles::{self, SharedFiles, sdk_sees};
use crate::env::Env;
use crate::input::vars as var;

/// What to tell the user when the chain found no credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoCredentials {
    pub message: String,
    /// One line per place the chain looked, in its order.
    pub details: Vec<String>,
    pub hint: String,
}

/// The explanation for `env` (the process environment the SDK read) and the shared `files`.
pub fn no_credentials(env: &Env, files: &SharedFiles) -> NoCredentials {
    let (key, secret) = (var::AWS_ACCESS_KEY_ID, var::AWS_SECRET_ACCESS_KEY);
    let environment = match (sdk_sees(env, key).is_some(), sdk_sees(env, secret).is_some()) {
        (true, false) => format!("{key} is set, {secret} is not"),
        (false, true) => format!("{secret} is set, {key} is not"),
        _ => format!("{key} and {secret} are not set"),
    };
    let web_identity = match sdk_sees(env, var::AWS_WEB_IDENTITY_TOKEN_FILE) {
        Some(_) => format!(
            "{} is set but gave no credentials (it needs {} too)",
            var::AWS_WEB_IDENTITY_TOKEN_FILE,
            var::AWS_ROLE_ARN
        ),
        None => format!("{} is not set", var::AWS_WEB_IDENTITY_TOKEN_FILE),
    };
    let container = format!(
        "{} and {} are not set (ECS tasks and CodeBuild have one)",
        var::AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
        var::AWS_CONTAINER_CREDENTIALS_FULL_URI
    );
    let metadata_disabled =
        sdk_sees(env, var::AWS_EC2_METADATA_DISABLED).is_some_and(|value| value.trim().eq_ignore_ascii_case("true"));
    let metadata = if metadata_disabled {
        format!("turned off by {}", var::AWS_EC2_METADATA_DISABLED)
    } else {
        "no credentials there: not on EC2 or ECS (or the instance has no role)".to_owned()
    };
    NoCredentials {
        message: "no AWS credentials found: the AWS SDK looked in these places, in this order".to_owned(),
        details: vec![
            format!("environment: {environment}"),
            profile(env, files),
            format!("web identity: {web_identity}"),
            format!("container endpoint: {container}"),
            format!("instance metadata (IMDS): {metadata}"),
        ],
        hint: format!(
            "on a laptop, run `aws configure` (keys) or `aws configure sso` and `aws sso login` (SSO), then set {} to the profile's name, or export {key} and {secret}; in CI, let maestro assume a role with the CI's OIDC token (MAESTRO_ROLE_ARN, docs/ci.md)",
            var::AWS_PROFILE
        ),
    }
}

/// The profile line: which profile (and why that one), in which file, and what it lacked.
fn profile(env: &Env, files: &SharedFiles) -> String {
    let name = aws_profiles::selected(env);
    let chosen_by = if sdk_sees(env, var::AWS_PROFILE).is_some() { var::AWS_PROFILE } else { "AWS_PROFILE is not set" };
    let (config, credentials) = (&files.config.shown, &files.credentials.shown);
    let found = match (&files.config.profiles, &files.credentials.profiles) {
        (None, None) => format!("{config} and {credentials} do not exist"),
        _ if !files.has(name) => format!("not in {config} nor {credentials}"),
        _ => "it holds no keys, no signed-in SSO session, no role and no `credential_process` that answered".to_owned(),
    };
    format!("profile `{name}` ({chosen_by}): {found}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws_profiles::{FileFacts, SharedFile, profile_names};

    fn files(config: Option<&str>) -> SharedFiles {
        SharedFiles {
            config: FileFacts {
                shown: "~/.aws/config".to_owned(),
                profiles: config.map(|text| profile_names(text, SharedFile::Config)),
            },
            credentials: FileFacts { shown: "~/.aws/credentials".to_owned(), profiles: None },
        }
    }

    #[test]
    fn nothing_set_names_every_place_in_the_chains_order() {
        let said = no_credentials(&Env::default(), &files(None));
        assert_eq!(
            said.details,
            [
                "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
                "profile `default` (AWS_PROFILE is not set): ~/.aws/config and ~/.aws/credentials do not exist",
                "web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set",
                "container endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set (ECS tasks and CodeBuild have one)",
                "instance metadata (IMDS): no credentials there: not on EC2 or ECS (or the instance has no role)",
            ]
        );
        assert!(said.hint.contains("aws configure") && said.hint.contains("aws sso login"), "{}", said.hint);
    }

    #[test]
    fn what_is_set_is_said_as_it_is() {
        let env = Env::from_process([
            ("AWS_ACCESS_KEY_ID", "x"),
            ("AWS_PROFILE", "dev"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ]);
        let said = no_credentials(&env, &files(Some("[profile dev]\n")));
        assert_eq!(said.details[0], "environment: AWS_ACCESS_KEY_ID is set, AWS_SECRET_ACCESS_KEY is not");
        assert_eq!(
            said.details[1],
            "profile `dev` (AWS_PROFILE): it holds no keys, no signed-in SSO session, no role and no `credential_process` that answered"
        );
        assert_eq!(said.details[4], "instance metadata (IMDS): turned off by AWS_EC2_METADATA_DISABLED");
        let elsewhere = no_credentials(&Env::default(), &files(Some("[profile dev]\n")));
        assert_eq!(
            elsewhere.details[1],
            "profile `default` (AWS_PROFILE is not set): not in ~/.aws/config nor ~/.aws/credentials"
        );
    }
}
