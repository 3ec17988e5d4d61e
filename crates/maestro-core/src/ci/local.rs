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

#[cfg(test)]
mod tests {
    use super::*;

    fn described(value: &str, source: &str) -> Option<Sourced> {
        Some(Sourced::new(value, Location::described(source)))
    }

    #[test]
    fn a_checkout_gives_every_fact_from_git() {
        let git = GitFacts {
            sha: Some("3f2a9c1d7e4b5a6c".into()),
            branch: Some("feature/login".into()),
            origin_url: Some("git@github.com:Acme/shop-api.git".into()),
            workspace: Some("/home/me/shop-api".into()),
        };
        let expected = CiFacts {
            repository: described("Acme/shop-api", "git remote `origin`"),
            sha: described("3f2a9c1d7e4b5a6c", "git HEAD"),
            report_sha: described("3f2a9c1d7e4b5a6c", "git HEAD"),
            branch: described("feature/login", "git HEAD"),
            event: described("local", "no CI detected"),
            workspace: described("/home/me/shop-api", "working directory"),
            ..CiFacts::default()
        };
        assert_eq!(facts(Some(&git)), expected);
    }

    #[test]
    fn a_bare_checkout_says_what_it_lacks() {
        let expected = CiFacts {
            event: described("local", "no CI detected"),
            branch_unknown: Some("the checkout's HEAD is detached".into()),
            repository_unknown: Some("the checkout has no `origin` remote".into()),
            ..CiFacts::default()
        };
        assert_eq!(facts(Some(&GitFacts::default())), expected);
    }

    #[test]
    fn outside_a_checkout_nothing_is_known_and_that_is_said() {
        let why = "no CI was detected and the working directory is not a git checkout";
        let expected = CiFacts {
            event: described("local", "no CI detected"),
            branch_unknown: Some(why.into()),
            repository_unknown: Some(why.into()),
            ..CiFacts::default()
        };
        assert_eq!(facts(None), expected);
    }
}
