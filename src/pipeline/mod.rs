//! The deploy as a pipeline of named phases: connect, build, provision (the stages before the
//! release), release, services (the stages after it), wait, and the report of how it ended.
//!
//! Inputs are checked completely before the first AWS call, then the build's tools, and the
//! account comes from the credentials (`inputs`). Everything from here on runs under the deploy
//! lease: the account is read and checked (preflight) before the build, so a run the account
//! cannot take stops before any build or write. The `release` process runs between the task
//! definitions and the services, so a failed release leaves every service as it was; the
//! services' autoscaling goes out while the rollouts are waited for. Each phase is a collapsible
//! group in CI.

pub(crate) mod build;
mod early_reads;
mod ending;
mod image;
mod inputs;
mod record;
mod rollout;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::aws::calls::CallLog;
use crate::engine::lease::{Leased, with_deploy_lease, with_lease};
use crate::engine::rollout::LastProgress;
use crate::engine::{self, ChangeSet};
use crate::error::Error;
use crate::reporters::Reporters;
use crate::workflow::{Group, Masker};
use maestro_core::build::source::Source;
use maestro_core::build::{BuiltImage, ImageSource};
use maestro_core::ci::Ci;
use maestro_core::provision::diff;
use maestro_core::provision::stage::Stage;
use maestro_core::release;
use maestro_core::report::Event;
use maestro_core::report::stream::StreamEvent;

use early_reads::EarlyReads;
pub(crate) use ending::{DeployEnd, Ended};
pub(crate) use inputs::{Destination, ValidatedInputs};
pub(crate) use rollout::{Rollout, app_url, awaiting_approval};

/// What `maestro deploy`'s flags change in the pipeline.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DeployOptions {
    /// Also delete services whose process is no longer planned.
    pub prune: bool,
    /// Run the `release` process even when nothing new is released.
    pub force: bool,
}

/// One deploy of the app's commit, from validated inputs to the end of its rollouts.
pub(crate) struct Deploy<'a> {
    inputs: &'a ValidatedInputs,
    /// The app's checkout (`--app`).
    checkout: &'a Path,
    options: DeployOptions,
    /// The build's tool (pack or docker), found before anything else ran; `None` when the
    /// settings skip the build or the image is built elsewhere.
    tool: Option<PathBuf>,
    /// Where every AWS call of the run is counted.
    log: &'a CallLog,
    /// `None` for a build alone (MAESTRO_ONLY_BUILD): a build is not a deploy, nothing is reported.
    reporters: Option<Reporters>,
    /// The image, once the build phase has it: the end reports it even when a later phase fails.
    image: Option<BuiltImage>,
    /// How this run built the image, for the release record (the next build keeps the builder).
    built_with: Option<maestro_core::history::BuiltWith>,
    /// Whether the run set out to change anything: only then is a release recorded.
    changed: bool,
    /// Each process's task definition once provisioned, for the release record.
    task_definitions: BTreeMap<String, String>,
    /// The test phase, when it runs (`crate::test_phase`): first, before any write of the deploy.
    tests: Option<crate::test_phase::Prepared>,
    /// The release's image tag, put while the lease is released (`record`).
    release_tag: Option<tokio::task::JoinHandle<()>>,
}

impl<'a> Deploy<'a> {
    /// A deploy ready to run: the build's tools are there, and the reporters are set up.
    pub(crate) async fn ready(
        inputs: &'a ValidatedInputs,
        checkout: &'a Path,
        options: DeployOptions,
        log: &'a CallLog,
    ) -> Result<Self, Error> {
        // The test phase first: a test phase turned on with no command is bad input (exit 2).
        let tests = match inputs.settings.build.only {
            true => None,
            false => crate::test_phase::prepare(inputs, false).await?,
        };
        let tool = build::tools(inputs).await?;
        let reporters = (!inputs.settings.build.only).then(|| {
            Reporters::for_run(&inputs.report_context(), &inputs.settings, &inputs.env, Masker::for_env(&inputs.env))
        });
        Ok(Self {
            inputs,
            checkout,
            options,
            tool,
            log,
            reporters,
            image: None,
            built_with: None,
            changed: false,
            task_definitions: BTreeMap::new(),
            tests,
            release_tag: None,
        })
    }

    /// Runs every phase, reported from `Started` to `Finished` (which says how it ended).
    /// A deploy superseded while it waited for the lease reports that instead (no failure).
    pub(crate) async fn run(mut self) -> Result<Ended, Error> {
        let started = Instant::now();
        self.report(&Event::Started).await;
        let result = Box::pin(self.phases()).await;
        let ran = match &result {
            Ok(Ended::Superseded { by, .. }) => {
                self.report(&Event::Superseded(by.clone())).await;
                return result;
            }
            Ok(Ended::Ran(end)) => {
                // Paused for approval: reported as such, not as a finished deploy.
                if let Some(waiting) = end.rollout.as_ref().and_then(|rollout| rollout.awaiting_approval.clone()) {
                    self.report(&Event::AwaitingApproval(waiting)).await;
                    return result;
                }
                Ok(&**end)
            }
            Err(error) => Err(error),
        };
        let finished = ending::finished(ran, self.image.take(), started.elapsed().as_secs());
        self.report(&Event::Finished(finished)).await;
        result
    }

    /// Connects, then runs the phases that write under the deploy lease. With `AWS_ACCOUNT_ID`
    /// set, the account's confirmation, the checks, the lease's first read and the deploy's first
    /// reads (`early_reads`) go out together; the lease is written once the checks passed.
    async fn phases(&mut self) -> Result<Ended, Error> {
        let (mut to, mut unconfirmed) = self.inputs.connect_expecting(self.log).await?;
        let inputs = self.inputs;
        if let Some(tests) = self.tests.take() {
            // The test's writes go to the account the credentials are confirmed to be.
            if std::mem::take(&mut unconfirmed) {
                inputs.confirm_account(&to.session).await?;
            }
            self.test(&to, &tests).await?;
        }
        let (passed, checked) = tokio::sync::oneshot::channel();
        let early = EarlyReads::start(&to, &inputs.settings, &inputs.env, checked);
        let (session, clients, desired) = (to.session.clone(), to.clients.clone(), to.desired.clone());
        // Before the lease, whose PutParameter is the run's first write: an input the account
        // contradicts (a missing subnet, role, certificate) stops it with nothing written. A
        // credentials' account other than AWS_ACCOUNT_ID is said first.
        let checks = async {
            let (confirmed, verified) = tokio::join!(
                async { if unconfirmed { inputs.confirm_account(&session).await } else { Ok(()) } },
                async {
                    if inputs.settings.build.only {
                        return Ok(());
                    }
                    let verified = engine::verify::verify(&clients, &inputs.settings, &desired, &inputs.env, true);
                    Box::pin(verified).await.map(|_| ())
                },
            );
            confirmed.and(verified)?;
            // The early reads may read the app secret now.
            let _ = passed.send(());
            Ok(())
        };
        let waiting = inputs.settings.waiting;
        let (session, request) = (to.session.clone(), to.desired.request.clone());
        if inputs.settings.build.only {
            checks.await?;
            // A build alone deploys nothing: it is not superseded by (nor supersedes) a deploy.
            let built = with_lease(&session, &request, &waiting, async || self.build(&to, None).await).await?;
            return Ok(Ended::Ran(Box::new(DeployEnd { request: to.desired.request, built, rollout: None })));
        }
        let leased = Box::pin(with_deploy_lease(&session, &request, &waiting, checks, async || {
            let result = Box::pin(self.deploy(&mut to, early)).await;
            // Still under the lease: release numbers follow the deploys' order.
            self.record(&to, &result).await;
            result
        }))
        .await;
        if let Some(tagging) = self.release_tag.take()
            && let Err(error) = tagging.await
        {
            tracing::warn!("the release's image was not tagged: {error}");
        }
        let leased = leased?;
        Ok(match leased {
            Leased::Ran((built, rollout)) => {
                Ended::Ran(Box::new(DeployEnd { request: to.desired.request, built, rollout }))
            }
            Leased::Superseded(by) => Ended::Superseded { request: Box::new(to.desired.request), by },
        })
    }

    /// The phases of a deploy (not a build alone) under the lease: the change set, the build,
    /// provision, release, services, wait.
    async fn deploy(
        &mut self,
        to: &mut Destination,
        early: EarlyReads,
    ) -> Result<(crate::build::Built, Option<Rollout>), Error> {
        let early = early.found().await;
        let replanned = self.inputs.settings_from_secret(to).await?;
        // The task definitions name the image by its digest once the registry has it.
        let looked = match &early {
            Some(early) => Some(early.image.clone()?),
            None => None,
        };
        let found = match &looked {
            Some(looked) => looked.found(),
            None => self.existing_image(to).await?,
        };
        if let (Some(found), Source::Prebuilt(_)) = (&found, &to.desired.image.source) {
            // An image built elsewhere must run on the tasks' architecture: caught before any write.
            let platforms =
                crate::build::platforms::of_image(&to.desired, &self.inputs.settings, &self.inputs.env, &found.digest)
                    .await?;
            crate::build::platforms::check_fit(&to.desired, &platforms)?;
        }
        match found {
            Some(found) => to.desired.pin_image(&found.digest),
            // An image built elsewhere that is not there stops the run before its first write.
            None if matches!(to.desired.image.source, Source::Prebuilt(_)) => {
                return Err(crate::build::prebuilt_missing(&to.desired.image.uri).into());
            }
            None => {}
        }
        // Read and judged before the build: what the account lacks (a shared load balancer,
        // an execution role for the app secret) or holds for someone else stops the run before
        // minutes of build and before the image is pushed. The lease keeps another deploy of the
        // branch from changing what was read.
        // A preview's host rule goes on the load balancer the app's previews share: the first
        // preview creates it (after the checks above, so bad input still writes nothing).
        engine::previews::ensure_load_balancer(&to.clients, &to.desired).await?;
        // The early observation read the same resources unless the secret's PORT planned again.
        let mut changes = match early.map(|early| early.observed).filter(|_| !replanned) {
            Some(observed) => {
                engine::change_set_of(&to.desired, observed?, self.change_options(), &self.inputs.settings.waiting)?
            }
            None => self.change_set(to).await?,
        };
        self.mask_app_secret(to).await?;
        let built = self.build(to, looked).await?;
        if built.image.source == ImageSource::Built {
            // A new image has a digest only once pushed: read the account again for the
            // task definitions that name it (the lease kept the rest as it was read).
            to.desired.pin_image(&built.image.digest);
            changes = self.change_set(to).await?;
        }
        self.provision(to, &mut changes).await?;
        self.release(to, &changes).await?;
        // Events ECS logs from here on are this run's; older ones are not replayed as live.
        let since = i64::try_from(crate::clock::unix_millis()).unwrap_or(i64::MAX);
        self.services(to, &mut changes).await?;
        let rollout = Box::pin(self.wait(to, changes, since)).await?;
        Ok((built, Some(rollout)))
    }

    /// What the run will change, read and checked; nothing is written yet.
    async fn change_set(&self, to: &Destination) -> Result<ChangeSet, Error> {
        Ok(engine::change_set(&to.clients, &to.desired, self.change_options(), &self.inputs.settings.waiting).await?)
    }

    fn change_options(&self) -> diff::Options {
        diff::Options { prune: self.options.prune }
    }

    /// The infrastructure and the task definitions: everything the release needs.
    async fn provision(&mut self, to: &Destination, changes: &mut ChangeSet) -> Result<(), Error> {
        let ci = to.desired.request.ci;
        let _group = Group::start(ci, "maestro_provision", "Provision the cluster, load balancer and task definitions");
        // From the first write on, the run is a release, recorded however it ends.
        self.changed = !changes.actions.is_empty();
        let applied = changes.apply(&to.clients, Stage::BEFORE_RELEASE).await;
        self.task_definitions = record::task_definitions(&to.desired, changes);
        Ok(applied?)
    }

    /// The `release` process, when something new is released (or `--force`); reported.
    async fn release(&mut self, to: &Destination, changes: &ChangeSet) -> Result<(), Error> {
        let Some(release) = &to.desired.release else { return Ok(()) };
        if !release::needed(&changes.actions, self.options.force) {
            return Ok(());
        }
        let arn = changes.task_definition_arn(&release.family)?;
        let group = Group::start(
            to.desired.request.ci,
            "maestro_release",
            &format!("Run the release process ({})", release.family),
        );
        engine::release::run(&to.clients, &to.desired, release, &arn, &self.inputs.settings.waiting).await?;
        drop(group);
        self.report(&Event::Released).await;
        Ok(())
    }

    /// The services and the schedules; their autoscaling too when the run does not wait for the
    /// rollouts (else it goes out beside the wait: `wait`).
    async fn services(&self, to: &Destination, changes: &mut ChangeSet) -> Result<(), Error> {
        let no_wait = self.inputs.settings.waiting.no_wait;
        let title = if no_wait {
            "Update the services, autoscaling and schedules"
        } else {
            "Update the services and schedules"
        };
        let _group = Group::start(to.desired.request.ci, "maestro_services", title);
        changes.apply(&to.clients, if no_wait { Stage::AFTER_RELEASE } else { Stage::SERVICES }).await?;
        Ok(())
    }

    /// Follows each deployment the run started (unless MAESTRO_NO_WAIT), until it ends or the CI
    /// cancels the job; then what every service ended as. `since`: when the services' updates
    /// began (milliseconds since the Unix epoch), the oldest events worth printing. The services'
    /// autoscaling (and `--prune`'s deletes) are applied meanwhile: no rollout waits for them, and
    /// their failure stops the wait and fails the deploy, as it did before the wait began.
    async fn wait(&self, to: &Destination, mut changes: ChangeSet, since: i64) -> Result<Rollout, Error> {
        let waiting = &self.inputs.settings.waiting;
        let watches = rollout::watches(&to.desired, &changes, self.inputs.settings.rollout.wait_until);
        // Where the app answers is read while the rollouts are followed (or is known already).
        let known_dns = changes.load_balancer_dns.clone();
        let url = rollout::app_url(&to.clients, &to.desired, known_dns.as_deref());
        let mut warnings = Vec::new();
        let group = (!waiting.no_wait)
            .then(|| Group::start(to.desired.request.ci, "maestro_rollout", "Wait for the services' deployments"));
        let followed = async {
            if waiting.no_wait {
                warnings.push(
                    "MAESTRO_NO_WAIT=true: maestro did not wait for the rollouts, so a failed deployment is not reported"
                        .to_owned(),
                );
                return Ok::<_, Error>(None);
            }
            let last_progress = LastProgress::default();
            let cluster = &to.desired.cluster.name;
            let waited = crate::clock::Stopwatch::start();
            let mut result = tokio::select! {
                result = engine::rollout::wait(&to.clients, cluster, &watches, waiting, self.inputs.settings.rollout.wait_for_approval, since, Ci::unattended(&self.inputs.env), &last_progress) => result?,
                () = crate::cancel::requested() => {
                    warnings.push("maestro was stopped while waiting; ECS goes on with the deployments shown as cancelled while in progress".to_owned());
                    rollout::cancelled(&watches, &last_progress, waited.elapsed())
                }
            };
            if waiting.abort_on_cancel {
                rollout::abort_in_flight(&to.clients, &to.desired, &watches, &mut result, waiting, since).await?;
            }
            Ok(Some(result))
        };
        let clients = &to.clients;
        let scaling = async {
            match waiting.no_wait {
                // Applied with the services already.
                true => Ok(()),
                false => changes.apply(clients, Stage::AFTER_SERVICES).await,
            }
        };
        let (result, url) = tokio::join!(rollout::beside(scaling, followed), url);
        drop(group);
        changes.warnings.extend(warnings);
        let result = result?;
        let explanations =
            rollout::explain_failures(&to.clients, &to.desired, &watches, result.as_ref(), waiting).await;
        let outcomes = rollout::outcomes(&to.desired, &changes, result.as_ref(), url.as_deref());
        let awaiting_approval = rollout::awaiting_approval(&to.clients, &to.desired, &outcomes, result.as_ref()).await;
        if let Some(waiting) = &awaiting_approval {
            tracing::info!("{}", waiting.line());
        }
        Ok(Rollout {
            changes,
            outcomes,
            polls: result.map_or(0, |result| result.polls),
            explanations,
            awaiting_approval,
        })
    }

    async fn report(&mut self, event: &Event) {
        if let Some(line) = StreamEvent::of(event) {
            crate::event_stream::emit(&line);
        }
        if let Some(reporters) = &mut self.reporters {
            reporters.emit(event).await;
        }
    }
}
