//! `maestro previews list`, pure: which previews of an app exist, from what AWS shows of them.
//! A preview is found by its services' marker (`maestro:app` = `<slug>-pr-<n>`) in the previews'
//! cluster, or by its host rule `pr-<n>.<domain>` on the previews' load balancer, so that one a
//! failed destroy left half-removed (its services gone, its rule not) is still listed, and pruned.

use std::collections::BTreeMap;

use serde::Serialize;

use super::number_of;
use crate::request::DeployRequest;

/// A service of the previews' cluster, as ECS describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundService {
    pub name: String,
    /// Its `maestro:app` tag.
    pub marker: Option<String>,
    pub running: u32,
    pub desired: u32,
}

/// One preview, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listed {
    pub number: u64,
    /// The marker of its resources, `<slug>-pr-<n>`: the name `maestro destroy` confirms.
    pub environment: String,
    pub url: Option<String>,
    /// Its services, by name.
    pub services: Vec<String>,
    /// Running tasks, summed over its services.
    pub running: u32,
    pub desired: u32,
    /// Its host rule is on the previews' load balancer.
    pub routed: bool,
    /// The commit of its newest release record.
    pub commit: Option<String>,
    /// When its newest release record was written, Unix seconds.
    pub deployed_at: Option<u64>,
}

impl Listed {
    pub fn age(&self, now: u64) -> Option<u64> {
        self.deployed_at.map(|time| now.saturating_sub(time))
    }
}

/// The previews of `app_slug` that `services` (the previews' cluster's) and `hosts` (the host
/// conditions of the previews' listener rules) show, by number; URL, commit and time are the
/// caller's to fill in.
pub fn discover(app_slug: &str, services: &[FoundService], hosts: &[String], domain: Option<&str>) -> Vec<Listed> {
    let mut found: BTreeMap<u64, Listed> = BTreeMap::new();
    let empty = |number: u64| Listed {
        number,
        environment: format!("{app_slug}-pr-{number}"),
        url: None,
        services: Vec::new(),
        running: 0,
        desired: 0,
        routed: false,
        commit: None,
        deployed_at: None,
    };
    let prefix = format!("{app_slug}-");
    for service in services {
        let number = service.marker.as_deref().and_then(|marker| marker.strip_prefix(&prefix)).and_then(number_of);
        if let Some(number) = number {
            let listed = found.entry(number).or_insert_with(|| empty(number));
            listed.services.push(service.name.clone());
            listed.running += service.running;
            listed.desired += service.desired;
        }
    }
    if let Some(domain) = domain {
        let suffix = format!(".{domain}");
        for host in hosts {
            let label = host.to_ascii_lowercase();
            if let Some(number) = label.strip_suffix(&suffix).and_then(number_of) {
                found.entry(number).or_insert_with(|| empty(number)).routed = true;
            }
        }
    }
    found.into_values().collect()
}

/// The request of preview `number` as its pull request's run makes it, from `base`, this run's
/// (a scheduled workflow's, on the branch pull requests target): its release records, its lease
/// and its plan (the base branch's secret) are that environment's.
pub fn request(base: &DeployRequest, number: u64) -> DeployRequest {
    let mut request = base.clone();
    request.branch = Some(format!("pr-{number}"));
    request.branch_slug = Some(format!("pr-{number}"));
    request.pull_request = Some(number);
    request.base_branch = base.branch.clone();
    request.head_branch = None;
    request.tag = None;
    request
}

/// A duration as people read it: `45s`, `12m`, `5h 10m`, `3d 4h`.
pub fn age(seconds: u64) -> String {
    let (days, hours, minutes) = (seconds / 86_400, seconds % 86_400 / 3_600, seconds % 3_600 / 60);
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{seconds}s"),
        (0, 0, minutes) => format!("{minutes}m"),
        (0, hours, 0) => format!("{hours}h"),
        (0, hours, minutes) => format!("{hours}h {minutes}m"),
        (days, 0, _) => format!("{days}d"),
        (days, hours, _) => format!("{days}d {hours}h"),
    }
}

/// The list as people read it: one line per preview.
pub fn human(app: &str, cluster: &str, previews: &[Listed], now: u64) -> String {
    if previews.is_empty() {
        return format!("no previews of {app} in cluster {cluster}\n");
    }
    let mut out = format!("previews of {app} in cluster {cluster}:\n");
    out.push_str(&format!("  {:<6}  {:<8}  {:<8}  {:<5}  {}\n", "PR", "commit", "age", "tasks", "URL"));
    for preview in previews {
        let commit: String = preview.commit.as_deref().unwrap_or("-").chars().take(8).collect();
        let age = preview.age(now).map_or_else(|| "-".to_owned(), age);
        let tasks = format!("{}/{}", preview.running, preview.desired);
        let url = preview.url.as_deref().unwrap_or("-");
        // What is left of a preview a destroy did not finish, said on its line.
        let note = match (preview.services.is_empty(), preview.routed) {
            (true, true) => "  (no services: only its host rule is left)",
            (false, false) if preview.url.is_some() => "  (no host rule)",
            _ => "",
        };
        out.push_str(&format!("  #{:<5}  {commit:<8}  {age:<8}  {tasks:<5}  {url}{note}\n", preview.number));
    }
    out
}

#[cfg(test)]
#[path = "list_tests.rs"]
mod tests;
