//! A laptop (or an unknown CI): the facts come from the checkout's `.git`.

use super::{CiFacts, GitFacts, Sourced};
use crate::input::Location;
use crate::naming;

pub(super) fn facts(git: Option<&GitFacts>) -> CiFacts {
    let Some(git) = git else {
        return CiFacts {
            event: Some(Sourced::new("local", Location::described("no CI detected"))),
            branch_unknown: Some("no CI was detected and the working directory is not a git checkout".to_owned()),
            repository_unknown: Some("no CI was detected and the working directory is not a git checkout".to_owned()),
            ..CiFacts::default()
        };
    };
    let sha = git.sha.clone().map(|sha| Sourced::new(sha, Location::described("git HEAD")));
    CiFacts {
        repository: git
            .origin_url
            .as_deref()
            .map(|url| Sourced::new(naming::repository_path(url), Location::described("git remote `origin`"))),
        repository_unknown: git.origin_url.is_none().then(|| "the checkout has no `origin` remote".to_owned()),
        report_sha: sha.clone(),
        sha,
        branch: git.branch.clone().map(|branch| Sourced::new(branch, Location::described("git HEAD"))),
        branch_unknown: git.branch.is_none().then(|| "the checkout's HEAD is detached".to_owned()),
        event: Some(Sourced::new("local", Location::described("no CI detected"))),
        workspace: git.workspace.clone().map(|dir| Sourced::new(dir, Location::described("working directory"))),
        ..CiFacts::default()
    }
}
