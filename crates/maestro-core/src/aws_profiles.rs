//! The AWS shared files (`~/.aws/config`, `~/.aws/credentials`) as far as choosing a profile
//! goes: which profiles they name, and whether the one `AWS_PROFILE` asks for is among them.
//!
//! The AWS SDK treats a profile that is not there as "no credentials here" and goes on down its
//! chain, so the error a user finally reads is about the last place it looked (the instance
//! metadata service). maestro checks the name first and says which profiles exist. The binary
//! reads the files; this module only parses their text.

use crate::env::{Env, Origin};
use crate::input::vars as var;
use crate::input_error::InputError;

/// The profile the SDK uses when `AWS_PROFILE` is unset.
pub const DEFAULT_PROFILE: &str = "default";

/// Which of the two shared files a text comes from: their section headers differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharedFile {
    /// `~/.aws/config`: `[default]` and `[profile <name>]`; `[sso-session …]` and `[services …]`
    /// are not profiles.
    Config,
    /// `~/.aws/credentials`: `[<name>]`.
    Credentials,
}

/// One shared file as the binary found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFacts {
    /// The path as the user knows it: `~/.aws/config`, or `AWS_CONFIG_FILE`'s value.
    pub shown: String,
    /// The profiles it names, in file order; `None` when the file does not exist (or cannot be read).
    pub profiles: Option<Vec<String>>,
}

/// Both shared files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedFiles {
    pub config: FileFacts,
    pub credentials: FileFacts,
}

impl SharedFiles {
    /// Whether either file names `profile`.
    pub fn has(&self, profile: &str) -> bool {
        [&self.config, &self.credentials]
            .iter()
            .any(|file| file.profiles.as_ref().is_some_and(|names| names.iter().any(|name| name == profile)))
    }

    /// Every profile either file names, each once, config first.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for name in [&self.config, &self.credentials].into_iter().filter_map(|file| file.profiles.as_ref()).flatten() {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        names
    }
}

/// The profile names of a shared file's `text`, following the SDK's rules
/// (aws-runtime's `env_config::normalize`: in the config file a section other than `[default]`
/// needs the `profile ` prefix; in the credentials file none may have a prefix).
pub fn profile_names(text: &str, file: SharedFile) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        let Some(header) = line.strip_prefix('[').and_then(|rest| rest.split_once(']')).map(|(inside, _)| inside)
        else {
            continue;
        };
        let mut words = header.split_whitespace();
        let name = match (file, words.next(), words.next(), words.next()) {
            (SharedFile::Config, Some("profile"), Some(name), None) => name,
            (SharedFile::Config, Some(DEFAULT_PROFILE), None, None) => DEFAULT_PROFILE,
            (SharedFile::Credentials, Some(name), None, None) => name,
            _ => continue,
        };
        if !names.iter().any(|known| known == name) {
            names.push(name.to_owned());
        }
    }
    names
}

/// The value of `name` as the SDK sees it: the process environment's. maestro's env file is
/// maestro's own layer; the SDK reads the process environment only.
pub fn sdk_sees<'a>(env: &'a Env, name: &str) -> Option<&'a str> {
    env.value(name).filter(|value| value.origin == Origin::Process).map(|value| value.value.as_str())
}

/// The profile the SDK's chain reads: `AWS_PROFILE`, else `default`.
pub fn selected(env: &Env) -> &str {
    sdk_sees(env, var::AWS_PROFILE).map(str::trim).filter(|name| !name.is_empty()).unwrap_or(DEFAULT_PROFILE)
}

/// A profile `AWS_PROFILE` names that neither file holds, when the SDK would look for it (no
/// keys in the environment come first): an input error naming the profiles that are there.
pub fn check_selected(env: &Env, files: &SharedFiles) -> Result<(), InputError> {
    let keys_in_environment =
        sdk_sees(env, var::AWS_ACCESS_KEY_ID).is_some() && sdk_sees(env, var::AWS_SECRET_ACCESS_KEY).is_some();
    if sdk_sees(env, var::AWS_PROFILE).is_none() || keys_in_environment {
        return Ok(());
    }
    let wanted = selected(env);
    if files.has(wanted) {
        return Ok(());
    }
    let (config, credentials) = (&files.config.shown, &files.credentials.shown);
    let there = files.names();
    let hint = if there.is_empty() {
        format!(
            "those files hold no profile; create it with `aws configure --profile {wanted}` (or `aws configure sso --profile {wanted}`), or unset {}",
            var::AWS_PROFILE
        )
    } else {
        let listed = there.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ");
        format!(
            "the profiles there: {listed}; set {} to one of them, or create `{wanted}` with `aws configure --profile {wanted}`",
            var::AWS_PROFILE
        )
    };
    Err(InputError::new(
        env.location(var::AWS_PROFILE),
        format!("profile `{wanted}` is not in {config} (nor {credentials})"),
        hint,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_process(pairs.iter().copied())
    }

    fn files(config: Option<&str>, credentials: Option<&str>) -> SharedFiles {
        let facts = |shown: &str, text: Option<&str>, file| FileFacts {
            shown: shown.to_owned(),
            profiles: text.map(|text| profile_names(text, file)),
        };
        SharedFiles {
            config: facts("~/.aws/config", config, SharedFile::Config),
            credentials: facts("~/.aws/credentials", credentials, SharedFile::Credentials),
        }
    }

    #[test]
    fn profile_names_follow_each_files_headers() {
        let config = "# mine\n[default]\nregion = us-east-1\n[profile dev]\n  [ profile  staging ] ; note\n\
                      [sso-session corp]\n[services local]\n[prod]\n[profile dev]\n";
        assert_eq!(profile_names(config, SharedFile::Config), ["default", "dev", "staging"]);
        let credentials = "[default]\naws_access_key_id = x\n[ci]\n[profile nope]\n";
        assert_eq!(profile_names(credentials, SharedFile::Credentials), ["default", "ci"]);
        assert!(profile_names("", SharedFile::Config).is_empty());
    }

    #[test]
    fn a_missing_profile_is_an_input_error_listing_those_there() {
        let error =
            check_selected(&env(&[("AWS_PROFILE", "prod")]), &files(Some("[profile dev]\n"), None)).unwrap_err();
        assert_eq!(error.message, "profile `prod` is not in ~/.aws/config (nor ~/.aws/credentials)");
        assert!(error.hint.starts_with("the profiles there: `dev`; set AWS_PROFILE to one of them"), "{}", error.hint);
        assert_eq!(error.location.to_string(), "AWS_PROFILE");

        let none = check_selected(&env(&[("AWS_PROFILE", "prod")]), &files(None, None)).unwrap_err();
        assert!(none.hint.starts_with("those files hold no profile; create it with `aws configure --profile prod`"));
    }

    #[test]
    fn a_profile_in_either_file_or_keys_in_the_environment_pass() {
        let prod = env(&[("AWS_PROFILE", "prod")]);
        assert_eq!(check_selected(&prod, &files(None, Some("[prod]\n"))), Ok(()));
        assert_eq!(check_selected(&prod, &files(Some("[profile prod]\n"), None)), Ok(()));
        let keys = env(&[("AWS_PROFILE", "prod"), ("AWS_ACCESS_KEY_ID", "a"), ("AWS_SECRET_ACCESS_KEY", "b")]);
        assert_eq!(check_selected(&keys, &files(None, None)), Ok(()), "the environment's keys come first");
        assert_eq!(check_selected(&env(&[]), &files(None, None)), Ok(()), "no AWS_PROFILE: the chain goes on");
        assert_eq!(selected(&env(&[])), "default");
        // The SDK does not read maestro's env file.
        let mut from_file = Env::default();
        from_file.set("AWS_PROFILE", "prod", Origin::EnvFile { file: "maestro.env".into(), line: 1 });
        assert_eq!(check_selected(&from_file, &files(None, None)), Ok(()));
        assert_eq!(selected(&from_file), "default");
    }
}
