//! Preview environments: a pull request deployed as `pr-<n>` with `MAESTRO_PREVIEWS=true`.
//!
//! A preview is the app's ordinary plan with other settings ([`Preview::settings`]): in the cluster
//! of the app's previews (or the app's `ECS_CLUSTER_ID`) as a guest, never one of its own; behind a host rule `pr-<n>.<domain>` on the load
//! balancer the app's previews share (created for the app when missing, tagged
//! `maestro:previews`, never an environment's); one task per service on `FARGATE_SPOT`, without
//! autoscaling; its schedules' rules disabled; and the preview secret, never `MAESTRO_SECRET_NAME`.
//! Everything else (the release, reporting, `destroy`) is the ordinary engine's.

pub mod list;
pub mod load_balancer;
pub mod prune;

use crate::input::vars as var;
use crate::input_error::{InputError, InputErrors};
use crate::naming;
use crate::plan::aws_values::CapacityProvider;
use crate::request::DeployRequest;
use crate::settings::Settings;
use crate::spec::process_list::{ProcessList, TaskCount};
use crate::spec::tags::Tag;

/// The tag on the load balancer the app's previews share: its value is the app's slug. It
/// carries no environment's marker, so no preview's `destroy` deletes it.
pub const PREVIEWS_TAG_KEY: &str = "maestro:previews";

/// A pull request's environment, as a preview.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Preview {
    pub number: u64,
    /// `pr-<n>.<domain>`.
    pub host: String,
    /// The shared load balancer.
    pub load_balancer: String,
    pub cluster: String,
    /// The Secrets Manager secret the preview's containers read.
    pub secret: String,
}

/// The tags of what the app's previews share (their load balancer, and their cluster when maestro
/// creates it): the previews' mark and the user's tags, never an environment's marker, so no
/// preview's `destroy` deletes them.
pub fn shared_tags(app_slug: &str, user_tags: &[Tag]) -> Vec<Tag> {
    let mut tags = vec![Tag { key: PREVIEWS_TAG_KEY.to_owned(), value: app_slug.to_owned() }];
    tags.extend(user_tags.iter().filter(|tag| !tag.key.starts_with("maestro:")).cloned());
    tags
}

/// The number of the pull request an environment is the preview of: `pr-12` → 12.
pub fn number_of(branch: &str) -> Option<u64> {
    let digits = branch.strip_prefix("pr-")?;
    (!digits.is_empty() && digits.bytes().all(|byte| byte.is_ascii_digit()) && !digits.starts_with('0'))
        .then(|| digits.parse().ok())
        .flatten()
}

/// The load balancer an app's previews share: `MAESTRO_PREVIEW_ALB`, else `<slug>-previews`
/// (cut with a hash, as every load balancer name).
pub fn load_balancer_name(app_slug: &str, settings: &Settings) -> String {
    settings
        .previews
        .load_balancer
        .clone()
        .unwrap_or_else(|| naming::Names::new(app_slug, "previews", None, None).load_balancer().to_owned())
}

/// The cluster the app's previews run in: `MAESTRO_PREVIEW_CLUSTER`, else `ECS_CLUSTER_ID` (the
/// app's cluster), else `<slug>-previews`, which maestro creates for them. Never the base branch's
/// own cluster: that is production's for a pull request into the production branch, which a
/// review role may not touch (docs/iam.md's `NotProduction`), and a preview's tasks have no place
/// beside production's.
pub fn cluster_name(app_slug: &str, settings: &Settings) -> String {
    settings
        .previews
        .cluster
        .clone()
        .or_else(|| settings.cluster_override.clone())
        .unwrap_or_else(|| naming::Names::new(app_slug, "previews", None, None).cluster().to_owned())
}

/// A preview's host.
pub fn host(number: u64, domain: &str) -> String {
    format!("pr-{number}.{domain}")
}

/// A preview's URL: HTTPS with the previews' certificate, else HTTP.
pub fn url(number: u64, settings: &Settings) -> Option<String> {
    let domain = settings.previews.domain.as_deref()?;
    let scheme = if settings.previews.certificate_arn.is_some() { "https" } else { "http" };
    Some(format!("{scheme}://{}", host(number, domain)))
}

impl Preview {
    /// The preview `request` deploys, when previews are on and it is a pull request's `pr-<n>`;
    /// `MAESTRO_PREVIEW_DOMAIN` missing is bad input then.
    pub fn of(request: &DeployRequest, settings: &Settings) -> Result<Option<Preview>, InputErrors> {
        if !settings.previews.enabled {
            return Ok(None);
        }
        let Some(number) = request.branch.as_deref().and_then(number_of).filter(|n| request.pull_request == Some(*n))
        else {
            return Ok(None);
        };
        let Some(domain) = settings.previews.domain.as_deref() else {
            return Err(InputErrors::from(InputError::new(
                var::MAESTRO_PREVIEW_DOMAIN,
                "previews are on (MAESTRO_PREVIEWS=true), but no domain names them",
                "set MAESTRO_PREVIEW_DOMAIN to the domain whose wildcard record points at the previews' load balancer, \
                 e.g. `preview.shop.example.com`; docs/previews.md has the set-up",
            )));
        };
        let app_slug = request.app_slug();
        // The secret of the branch the pull request goes into; without one, the preview's own.
        let base = request.base_branch.clone().unwrap_or_else(|| format!("pr-{number}"));
        let base_slug = naming::branch(&base);
        Ok(Some(Preview {
            number,
            host: host(number, domain),
            load_balancer: load_balancer_name(&app_slug, settings),
            cluster: cluster_name(&app_slug, settings),
            secret: settings
                .previews
                .secret_name
                .clone()
                .unwrap_or_else(|| naming::Names::new(&app_slug, &base_slug, None, None).secret()),
        }))
    }

    /// `settings` as the preview deploys with them.
    pub fn settings(&self, settings: &Settings) -> Settings {
        let mut adjusted = settings.clone();
        adjusted.cluster_override = Some(self.cluster.clone());
        adjusted.load_balancer.name_override = Some(self.load_balancer.clone());
        adjusted.load_balancer.host = Some(self.host.clone());
        adjusted.load_balancer.certificate_arn = settings.previews.certificate_arn.clone();
        adjusted.tasks.capacity_provider = CapacityProvider::FargateSpot;
        adjusted.tasks.secret_name = Some(self.secret.clone());
        // The namespace's DNS names (`web`) are the app's: a preview joining it would answer
        // the base environment's calls.
        adjusted.service_connect_namespace = None;
        // One task on the previews' shared load balancer: a rolling update, never a pause.
        adjusted.rollout = crate::settings::RolloutSettings::default();
        if let Some(namespace) = &settings.service_connect_namespace {
            adjusted.warnings.push(format!(
                "previews do not join Service Connect namespace {namespace} ({}): its names would reach the \
                 preview instead of the app",
                var::SERVICE_CONNECT_NAMESPACE
            ));
        }
        adjusted.tasks.processes = match &settings.previews.processes {
            Some(processes) => processes.clone(),
            None => one_task_each(&settings.tasks.processes),
        };
        adjusted
    }
}

/// A deploy of a preview on the event that closed its pull request: refused, so a workflow that
/// runs the deploy on `closed` too never brings a preview back after its teardown.
pub fn closed(preview: Option<&Preview>, request: &DeployRequest) -> Option<InputErrors> {
    let preview = preview.filter(|_| request.pull_request_closed)?;
    Some(InputErrors::from(InputError::new(
        var::MAESTRO_PREVIEWS,
        format!("pull request #{} is closed, so its preview is not deployed again", preview.number),
        "on the `closed` event run `maestro destroy` (the action's `command: destroy`), and deploy only on \
         `opened`, `synchronize` and `reopened` (`if: github.event.action != 'closed'`)",
    )))
}

/// The listed processes (their sizes kept) with one task each and no autoscaling; none listed
/// stays none listed, which is one task of every process already.
fn one_task_each(processes: &ProcessList) -> ProcessList {
    let mut single = processes.clone();
    for entry in &mut single.entries {
        {
            entry.count = entry.count.map(|count| TaskCount { min: count.min.min(1), max: None });
        }
        entry.scaling.clear();
    }
    single
}

#[cfg(test)]
#[path = "preview_tests.rs"]
mod tests;
