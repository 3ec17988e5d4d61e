//! `maestro previews prune`'s judgement, pure: a preview goes when its pull request is closed
//! (or merged), or when its last deploy is older than the TTL; it stays otherwise. A pull
//! request's state the code host did not tell (no token, an answer that is not 200) is unknown:
//! the preview is then judged by its age alone, and the verdict says so.

use serde::Serialize;

/// A pull request's (merge request's) state, as the code host answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PullState {
    Open,
    /// Closed or merged: nobody will push to it again.
    Closed,
    /// Not known, with why (no token, the code host's answer).
    Unknown {
        why: String,
    },
}

impl PullState {
    /// GitHub's `state` of a pull request: `open` or `closed` (a merged one is `closed`).
    pub fn github(state: &str) -> Self {
        match state {
            "open" => Self::Open,
            "closed" => Self::Closed,
            other => Self::Unknown { why: format!("GitHub answered state `{other}`") },
        }
    }

    /// GitLab's `state` of a merge request: `opened`, `closed`, `merged` or `locked` (a merge
    /// request being merged, still open).
    pub fn gitlab(state: &str) -> Self {
        match state {
            "opened" | "locked" => Self::Open,
            "closed" | "merged" => Self::Closed,
            other => Self::Unknown { why: format!("GitLab answered state `{other}`") },
        }
    }
}

/// What prune does with one preview, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Remove { why: String },
    Keep { why: String },
}

impl Verdict {
    pub fn removes(&self) -> bool {
        matches!(self, Self::Remove { .. })
    }

    pub fn why(&self) -> &str {
        match self {
            Self::Remove { why } | Self::Keep { why } => why,
        }
    }
}

/// Judges preview `number`: its pull request's state, its last deploy (Unix seconds; `None`
/// when no release record is left), `now` and the TTL in seconds.
pub fn judge(number: u64, pull: &PullState, last_deploy: Option<u64>, now: u64, ttl: u64) -> Verdict {
    let age = last_deploy.map(|time| now.saturating_sub(time));
    let limit = super::list::age(ttl);
    let unknown = match pull {
        PullState::Closed => return Verdict::Remove { why: format!("pull request #{number} is closed") },
        PullState::Open => None,
        PullState::Unknown { why } => Some(format!("pull request #{number}'s state is unknown ({why})")),
    };
    match (age, unknown) {
        (Some(age), unknown) if age > ttl => Verdict::Remove {
            why: format!(
                "last deployed {} ago, longer than the TTL of {limit}{}",
                super::list::age(age),
                unknown.map(|unknown| format!(" ({unknown})")).unwrap_or_default()
            ),
        },
        (Some(age), None) => Verdict::Keep {
            why: format!("pull request #{number} is open; last deployed {} ago, within {limit}", super::list::age(age)),
        },
        (Some(age), Some(unknown)) => {
            Verdict::Keep { why: format!("{unknown}; last deployed {} ago, within {limit}", super::list::age(age)) }
        }
        (None, None) => Verdict::Keep { why: format!("pull request #{number} is open") },
        // Neither the state nor an age to judge by: nothing says it may go.
        (None, Some(unknown)) => Verdict::Keep {
            why: format!(
                "{unknown} and no release record tells its age: remove it with `maestro destroy` if it is done"
            ),
        },
    }
}

/// How prune ended for one preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Done {
    Removed,
    Kept,
    /// Its removal failed (the rest of it is left for the next run).
    Failed {
        error: String,
    },
}

/// One preview prune looked at: what it knew, its verdict and what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pruned {
    pub number: u64,
    pub environment: String,
    pub pull_request: PullState,
    /// When its newest release record was written, Unix seconds.
    pub last_deployed_at: Option<u64>,
    #[serde(flatten)]
    pub verdict: Verdict,
    #[serde(flatten)]
    pub done: Done,
}

/// What prune did, as people read it: one line per preview, then the counts.
pub fn human(app: &str, ttl: u64, pruned: &[Pruned]) -> String {
    let limit = super::list::age(ttl);
    if pruned.is_empty() {
        return format!("no previews of {app}: nothing to prune (TTL {limit})\n");
    }
    let mut out = format!("prune the previews of {app} (TTL {limit}):\n");
    let (mut removed, mut kept, mut failed) = (0, 0, 0);
    for preview in pruned {
        let (mark, end) = match &preview.done {
            Done::Removed => {
                removed += 1;
                ("removed", String::new())
            }
            Done::Kept => {
                kept += 1;
                ("kept   ", String::new())
            }
            Done::Failed { error } => {
                failed += 1;
                ("FAILED ", format!(": {error}"))
            }
        };
        out.push_str(&format!("  {mark}  #{:<5}  {}{end}\n", preview.number, preview.verdict.why()));
    }
    out.push_str(&format!("{removed} removed, {kept} kept, {failed} failed\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: u64 = 86_400;
    const NOW: u64 = 1_800_000_000;
    const TTL: u64 = 7 * DAY;

    fn unknown() -> PullState {
        PullState::Unknown { why: "no token".to_owned() }
    }

    #[test]
    fn a_closed_pull_request_goes_whatever_its_age() {
        let verdict = judge(41, &PullState::Closed, Some(NOW - 60), NOW, TTL);
        assert_eq!(verdict, Verdict::Remove { why: "pull request #41 is closed".to_owned() });
        assert!(judge(41, &PullState::Closed, None, NOW, TTL).removes());
    }

    #[test]
    fn an_open_one_stays_until_the_ttl_passes() {
        let young = judge(42, &PullState::Open, Some(NOW - 2 * DAY), NOW, TTL);
        assert_eq!(young.why(), "pull request #42 is open; last deployed 2d ago, within 7d");
        assert!(!young.removes());
        assert!(!judge(42, &PullState::Open, Some(NOW - TTL), NOW, TTL).removes(), "exactly the TTL stays");
        let old = judge(42, &PullState::Open, Some(NOW - 8 * DAY - 3 * 3_600), NOW, TTL);
        assert_eq!(old, Verdict::Remove { why: "last deployed 8d 3h ago, longer than the TTL of 7d".to_owned() });
    }

    #[test]
    fn an_unknown_state_is_judged_by_age_alone_and_said() {
        let young = judge(43, &unknown(), Some(NOW - 3_600), NOW, TTL);
        assert_eq!(young.why(), "pull request #43's state is unknown (no token); last deployed 1h ago, within 7d");
        assert!(!young.removes());
        assert!(judge(43, &unknown(), Some(NOW - 30 * DAY), NOW, TTL).removes());
        let ageless = judge(43, &unknown(), None, NOW, TTL);
        assert!(!ageless.removes());
        assert!(ageless.why().contains("no release record"), "{ageless:?}");
    }

    #[test]
    fn a_clock_behind_the_record_is_no_age() {
        assert!(!judge(44, &PullState::Open, Some(NOW + DAY), NOW, TTL).removes());
    }

    #[test]
    fn the_code_hosts_words() {
        assert_eq!(PullState::github("open"), PullState::Open);
        assert_eq!(PullState::github("closed"), PullState::Closed);
        assert!(matches!(PullState::github("draft"), PullState::Unknown { .. }));
        for (state, expected) in [
            ("opened", PullState::Open),
            ("locked", PullState::Open),
            ("closed", PullState::Closed),
            ("merged", PullState::Closed),
        ] {
            assert_eq!(PullState::gitlab(state), expected, "{state}");
        }
        assert!(matches!(PullState::gitlab("open"), PullState::Unknown { .. }));
    }
}
