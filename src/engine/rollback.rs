//! `maestro rollback`'s AWS work, under the deploy lease: before any write, each target revision
//! is checked to exist and be ACTIVE (DescribeTaskDefinition) and the target's image to be in its
//! registry (ECR DescribeImages by digest, or the OCI lookup); then one UpdateService per
//! service moving (`restart::start`, as `maestro restart` does), followed by `rollout`.

use std::collections::BTreeMap;

use super::restart;
use super::rollout::RolloutWatch;
use crate::aws::Clients;
use crate::error::Failure;
use maestro_core::env::Env;
use maestro_core::history::Numbered;
use maestro_core::plan::desired::DesiredState;
use maestro_core::restart::Restart;
use maestro_core::rollback::{Move, pinned_image};
use maestro_core::settings::Settings;

/// What the checks read: each target revision's ARN (`family:revision` → ARN), and what could
/// not be checked, said.
pub(crate) struct Checked {
    pub arns: BTreeMap<String, String>,
    pub notes: Vec<String>,
}

/// Checks that `target`'s `revisions` can run again: each exists and is ACTIVE, and the
/// release's image is still in its registry. Reads only; any problem fails the run (exit 1)
/// with nothing written.
pub(crate) async fn check(
    clients: &Clients,
    desired: &DesiredState,
    settings: &Settings,
    env: &Env,
    target: &Numbered,
    revisions: &[&str],
) -> Result<Checked, Failure> {
    let number = target.number;
    let commit: String = target.release.commit.chars().take(8).collect();
    let again = format!("deploy commit {commit} again (`maestro deploy --sha {commit}`): it registers new revisions");
    let mut arns = BTreeMap::new();
    for revision in revisions {
        let described = clients.ecs.task_definition(revision).await?;
        let Some(found) = described else {
            return Err(Failure::new(format!("task definition {revision} of release {number} is gone"))
                .hint(format!("nothing was changed; {again}")));
        };
        let status = found.definition.get("status").and_then(serde_json::Value::as_str).unwrap_or("ACTIVE");
        if status != "ACTIVE" {
            return Err(Failure::new(format!(
                "task definition {revision} of release {number} is {status}: ECS starts no new task of it"
            ))
            .hint(format!("nothing was changed; {again}")));
        }
        arns.insert((*revision).to_owned(), found.arn);
    }
    let mut notes = Vec::new();
    let image = target.release.image.as_deref().unwrap_or_default();
    match pinned_image(image) {
        None => notes.push(format!("the image of release {number} was recorded without a digest, so not checked")),
        Some((repository, digest)) => {
            match crate::build::holds(clients, desired, settings, env, &repository, &digest).await? {
                Some(true) => {}
                Some(false) => {
                    return Err(Failure::new(format!(
                        "the image of release {number}, {image}, is no longer in its registry"
                    ))
                    .detail("nothing was changed: its tasks could not start")
                    .hint(format!(
                        "the repository's lifecycle policy (image retention) likely expired it; {again}, which builds the image"
                    )));
                }
                None => notes.push(format!(
                    "the image of release {number} is in {}, not the plan's registry, so not checked",
                    repository.host
                )),
            }
        }
    }
    Ok(Checked { arns, notes })
}

/// One UpdateService per move to its target revision (`arns`), each deployment to follow.
pub(crate) async fn start(
    clients: &Clients,
    desired: &DesiredState,
    moves: &[Move],
    arns: &BTreeMap<String, String>,
) -> Result<(Vec<Restart>, Vec<RolloutWatch>), Failure> {
    let restarts: Vec<Restart> = moves
        .iter()
        .map(|moving| Restart {
            process: moving.process.clone(),
            service: moving.service.clone(),
            task_definition: arns.get(&moving.to).cloned().unwrap_or_else(|| moving.to.clone()),
            circuit_breaker: moving.circuit_breaker,
            shifting: moving.shifting,
        })
        .collect();
    let watches = restart::start(clients, &desired.cluster.name, &restarts).await?;
    Ok((restarts, watches))
}
