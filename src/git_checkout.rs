//! The local checkout's commit, branch and `origin`, read from `.git` directly.
//!
//! maestro runs one external program, `pack`; reading these few files is simpler and safer than
//! running `git`. Worktrees (`.git` as a file), loose and packed refs are handled.

use std::path::{Path, PathBuf};

use maestro_core::ci::GitFacts;
use maestro_core::types::CommitSha;

/// The facts of the checkout that contains `dir`, or `None` outside a checkout.
pub(crate) fn read(dir: &Path) -> Option<GitFacts> {
    let dir = std::fs::canonicalize(dir).ok()?;
    let (work_tree, git_dir) =
        dir.ancestors().find_map(|candidate| git_dir_of(candidate).map(|git| (candidate.to_path_buf(), git)))?;
    let common_dir = std::fs::read_to_string(git_dir.join("commondir"))
        .map(|relative| git_dir.join(relative.trim()))
        .unwrap_or_else(|_| git_dir.clone());
    let head = std::fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let head = head.trim();
    let (branch, sha) = match head.strip_prefix("ref: ") {
        Some(reference) => (
            reference.strip_prefix("refs/heads/").map(str::to_owned),
            resolve_ref(&git_dir, reference).or_else(|| resolve_ref(&common_dir, reference)),
        ),
        None => (None, Some(head.to_owned())),
    };
    Some(GitFacts {
        sha: sha.as_deref().and_then(CommitSha::full).map(String::from),
        branch,
        origin_url: std::fs::read_to_string(common_dir.join("config")).ok().and_then(|config| origin_url(&config)),
        workspace: Some(work_tree.display().to_string()),
    })
}

fn git_dir_of(candidate: &Path) -> Option<PathBuf> {
    let dot_git = candidate.join(".git");
    if dot_git.is_dir() {
        return Some(dot_git);
    }
    let pointer = std::fs::read_to_string(&dot_git).ok()?;
    let target = pointer.trim().strip_prefix("gitdir: ")?;
    Some(candidate.join(target))
}

fn resolve_ref(git_dir: &Path, reference: &str) -> Option<String> {
    if let Ok(sha) = std::fs::read_to_string(git_dir.join(reference)) {
        return Some(sha.trim().to_owned());
    }
    let packed = std::fs::read_to_string(git_dir.join("packed-refs")).ok()?;
    packed.lines().find_map(|line| {
        let (sha, name) = line.split_once(' ')?;
        (name.trim() == reference).then(|| sha.to_owned())
    })
}

/// The `url` of `[remote "origin"]` in a git config file.
fn origin_url(config: &str) -> Option<String> {
    let mut in_origin = false;
    for line in config.lines().map(str::trim) {
        if line.starts_with('[') {
            in_origin = line.replace(' ', "") == "[remote\"origin\"]";
        } else if in_origin
            && let Some((key, value)) = line.split_once('=')
            && key.trim() == "url"
        {
            return Some(value.trim().to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("maestro-git-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(".git/refs/heads/feature")).unwrap();
        dir
    }

    const SHA: &str = "3f2a9c1d7e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c";

    #[test]
    fn loose_ref_branch_and_origin() {
        let dir = scratch("loose");
        std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/feature/login\n").unwrap();
        std::fs::write(dir.join(".git/refs/heads/feature/login"), format!("{SHA}\n")).unwrap();
        std::fs::write(dir.join(".git/config"), "[core]\n\turl = no\n[remote \"upstream\"]\n\turl = x\n[remote \"origin\"]\n\turl = git@github.com:acme/shop.git\n").unwrap();
        std::fs::create_dir_all(dir.join("app/sub")).unwrap();
        let facts = read(&dir.join("app/sub")).unwrap();
        assert_eq!(facts.sha.as_deref(), Some(SHA));
        assert_eq!(facts.branch.as_deref(), Some("feature/login"));
        assert_eq!(facts.origin_url.as_deref(), Some("git@github.com:acme/shop.git"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn packed_ref_and_detached_head() {
        let dir = scratch("packed");
        std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        std::fs::write(dir.join(".git/packed-refs"), format!("# pack-refs with: peeled\n{SHA} refs/heads/main\n"))
            .unwrap();
        assert_eq!(read(&dir).unwrap().sha.as_deref(), Some(SHA));
        std::fs::write(dir.join(".git/HEAD"), format!("{SHA}\n")).unwrap();
        let facts = read(&dir).unwrap();
        assert_eq!((facts.sha.as_deref(), facts.branch), (Some(SHA), None));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn unborn_branch_has_no_commit() {
        let dir = scratch("unborn");
        std::fs::write(dir.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        let facts = read(&dir).unwrap();
        assert_eq!((facts.sha, facts.branch.as_deref()), (None, Some("main")));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
