//! The AWS shared files where the SDK reads them: `AWS_CONFIG_FILE` and
//! `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/config` and `~/.aws/credentials`, `~` being `HOME`
//! (https://docs.aws.amazon.com/sdkref/latest/guide/file-location.html). Read here, judged by the
//! core (`maestro_core::aws_profiles`).

use std::path::PathBuf;

use maestro_core::aws_profiles::{FileFacts, SharedFile, SharedFiles, profile_names};
use maestro_core::env::Env;
use maestro_core::input::vars as var;

/// Both files' profile names, as the SDK would find them with `env`.
pub(crate) fn read(env: &Env) -> SharedFiles {
    SharedFiles {
        config: facts(env, var::AWS_CONFIG_FILE, "config", SharedFile::Config),
        credentials: facts(env, var::AWS_SHARED_CREDENTIALS_FILE, "credentials", SharedFile::Credentials),
    }
}

fn facts(env: &Env, variable: &str, default_name: &str, file: SharedFile) -> FileFacts {
    let home = env.get(var::HOME);
    let (path, shown) = match env.get(variable) {
        Some(set) => (expand_home(set, home), set.to_owned()),
        None => {
            (home.map(|home| PathBuf::from(home).join(".aws").join(default_name)), format!("~/.aws/{default_name}"))
        }
    };
    // A file that cannot be read is, to the SDK, a file that is not there.
    let text = path.and_then(|path| std::fs::read_to_string(path).ok());
    FileFacts { shown, profiles: text.map(|text| profile_names(&text, file)) }
}

/// The SDK expands a leading `~/` to the home folder, and only that.
fn expand_home(path: &str, home: Option<&str>) -> Option<PathBuf> {
    match path.strip_prefix("~/") {
        Some(rest) => home.map(|home| PathBuf::from(home).join(rest)),
        None => Some(PathBuf::from(path)),
    }
}
