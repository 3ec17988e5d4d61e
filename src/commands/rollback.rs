//! `maestro rollback [--to <release-number|commit>] [--run-release]`: every service back (or
//! forward) to a recorded release's task definitions, hence its image; no build. Under the deploy
//! lease: the release records read (numbers stay stable), the target picked by the core
//! (`maestro_core::rollback`), its revisions and image checked before any write, the release
//! process run only with `--run-release`, then one UpdateService per service that moves, waited
//! for and explained as `restart` does, reported as a deploy of the target's commit (GitHub
//! deployment and status, GitLab, New Relic, job summary), and recorded as a new release
//! (`Kind::Rollback`).

use std::time::Instant;

use serde::Serialize;

use super::{prepare, restart};
use crate::aws::calls::{CallCounts, CallLog};
use crate::cli::RollbackArgs;
use crate::engine;
use crate::engine::lease::with_lease;
use crate::error::{Error, Failure};
use crate::output::Report;
use crate::pipeline::{Destination, ValidatedInputs};
use crate::reporters::Reporters;
use crate::workflow::{Group, Masker};
use maestro_core::build::{BuiltImage, ImageSource};
use maestro_core::env::Env;
use maestro_core::history::{Kind, Numbered, Outcome, Release, SCHEMA_VERSION, one_line};
use maestro_core::input::Location;
use maestro_core::input::vars as var;
use maestro_core::input_error::InputError;
use maestro_core::plan::render;
use maestro_core::report::{Ending, Event, Finished};
use maestro_core::request::DeployRequest;
use maestro_core::restart::Skipped;
use maestro_core::rollback::{self, Move, Target, pinned_image};
use maestro_core::rollout::{ServiceOutcome, table};
use maestro_core::spec::RELEASE_PROCESS;

#[derive(Serialize)]
pub(super) struct RollbackReport {
    request: DeployRequest,
    /// The release returned to; `None` when it is the current one already.
    target: Option<TargetRelease>,
    /// The release named is the current one: nothing was done.
    already_current: Option<u64>,
    /// Each service moved, from its revision to the target's.
    moved: Vec<Move>,
    skipped: Vec<Skipped>,
    /// The release process ran (`--run-release`).
    release_ran: bool,
    services: Vec<ServiceOutcome>,
    /// The release this rollback recorded.
    recorded: Option<u64>,
    notes: Vec<String>,
    aws_calls: CallCounts,
    rollout_polls: u32,
    #[serde(skip)]
    failure: Option<Failure>,
}

#[derive(Serialize)]
struct TargetRelease {
    number: u64,
    commit: String,
    image: Option<String>,
}

/// What the lease's work produced.
struct Rolled {
    target: Numbered,
    moved: Vec<Move>,
    skipped: Vec<Skipped>,
    release_ran: bool,
    services: Vec<ServiceOutcome>,
    recorded: Option<u64>,
    notes: Vec<String>,
    polls: u32,
    failure: Option<Failure>,
}

pub(super) async fn run(args: &RollbackArgs, env: Env) -> Result<RollbackReport, Error> {
    // The flag, else the variable (the action's `rollback-to` input).
    let wanted = args.to.as_deref().or_else(|| env.get(var::MAESTRO_ROLLBACK_TO));
    let wanted = wanted.map(rollback::parse_to).transpose()?;
    let inputs = prepare::validate(&args.app, env)?;
    if args.run_release && !inputs.plan().other_processes().contains(&RELEASE_PROCESS) {
        return Err(no_release_process("the plan has no `release` process (Procfile)").into());
    }
    let log = CallLog::default();
    let to = inputs.connect(&log).await?;
    let waiting = inputs.settings.waiting;
    let (session, request) = (to.session.clone(), to.desired.request.clone());
    let done = with_lease(&session, &request, &waiting, async || {
        let (releases, _) = engine::history::releases(&to.session, &request).await?;
        match rollback::select(wanted.as_ref(), &releases).map_err(InputError::from)? {
            Target::Current(number) => Ok::<_, Error>(Err(number)),
            Target::Release(target) => Ok(Ok(roll(&inputs, &to, target.clone(), args.run_release).await?)),
        }
    })
    .await?;
    let mut report = RollbackReport {
        request: to.desired.request.clone(),
        target: None,
        already_current: None,
        moved: Vec::new(),
        skipped: Vec::new(),
        release_ran: false,
        services: Vec::new(),
        recorded: None,
        notes: Vec::new(),
        aws_calls: log.counts(),
        rollout_polls: 0,
        failure: None,
    };
    match done {
        Err(current) => report.already_current = Some(current),
        Ok(rolled) => {
            let release = &rolled.target.release;
            report.target = Some(TargetRelease {
                number: rolled.target.number,
                commit: release.commit.clone(),
                image: release.image.clone(),
            });
            report.moved = rolled.moved;
            report.skipped = rolled.skipped;
            report.release_ran = rolled.release_ran;
            report.services = rolled.services;
            report.recorded = rolled.recorded;
            report.notes = rolled.notes;
            report.rollout_polls = rolled.polls;
            report.failure = rolled.failure;
        }
    }
    Ok(report)
}

/// `--run-release` when there is no release process to run: bad input, before any write.
fn no_release_process(why: &str) -> InputError {
    InputError::new(
        Location::Described("maestro rollback --run-release".to_owned()),
        format!("there is no release process to run: {why}"),
        "leave out --run-release",
    )
}

/// Under the lease, once the target is known: check, release, move, wait, report, record.
async fn roll(
    inputs: &ValidatedInputs,
    to: &Destination,
    target: Numbered,
    run_release: bool,
) -> Result<Rolled, Error> {
    let desired = &to.desired;
    let names: Vec<String> = desired.services.iter().map(|service| service.name.clone()).collect();
    let found = to.clients.ecs.services(&desired.cluster.name, &names).await?;
    let (moved, skipped) = rollback::moves(desired, &target, &found.live);
    for skip in &skipped {
        tracing::info!("{}: skipped: it {}", skip.process, skip.why);
    }
    let release_revision =
        match run_release {
            false => None,
            true => Some(target.release.task_definitions.get(RELEASE_PROCESS).cloned().ok_or_else(|| {
                no_release_process(&format!("release {} recorded no `release` process", target.number))
            })?),
        };
    let mut revisions: Vec<&str> = moved.iter().map(|moving| moving.to.as_str()).collect();
    revisions.extend(release_revision.as_deref());
    let checked =
        engine::rollback::check(&to.clients, desired, &inputs.settings, &inputs.env, &target, &revisions).await?;
    let mut notes = checked.notes;
    if !desired.schedules.is_empty() {
        notes.push(
            "the schedules keep the revision the last deploy gave them: a rollback moves the services only".to_owned(),
        );
    }
    for note in &notes {
        tracing::info!("{note}");
    }
    let commit = &target.release.commit;
    let mut context = inputs.report_context();
    context.request = rollback::request_for(&context.request, commit).map_err(|invalid| {
        Failure::new(format!("release {} records no commit maestro reads: {invalid}", target.number))
    })?;
    let mut reporters = Reporters::for_run(&context, &inputs.settings, &inputs.env, Masker::for_env(&inputs.env));
    let started = Instant::now();
    reporters.emit(&Event::Started).await;
    let result = move_services(inputs, to, &target, &moved, &checked.arns, release_revision.as_deref()).await;
    let finished = finished(&target, &moved, &result, started.elapsed().as_secs());
    reporters.emit(&Event::Finished(finished)).await;
    let (services, polls, failure, release_ran) = result?;
    // Recorded even when no service had to move: the services now run the target's revisions.
    let recorded = record(to, &target, &services).await;
    Ok(Rolled { target, moved, skipped, release_ran, services, recorded, notes, polls, failure })
}

type Moved = (Vec<ServiceOutcome>, u32, Option<Failure>, bool);

/// The release process (with `--run-release`), then the services to the target's revisions,
/// waited for; each service's outcome, the polls, and why it failed.
async fn move_services(
    inputs: &ValidatedInputs,
    to: &Destination,
    target: &Numbered,
    moved: &[Move],
    arns: &std::collections::BTreeMap<String, String>,
    release_revision: Option<&str>,
) -> Result<Moved, Error> {
    let waiting = &inputs.settings.waiting;
    let release_ran = match (release_revision, &to.desired.release) {
        (Some(revision), Some(release)) => {
            let arn = arns.get(revision).map_or(revision, String::as_str);
            let _group = Group::start(
                to.desired.request.ci,
                "maestro_release",
                &format!("Run release {}'s release process ({revision})", target.number),
            );
            engine::release::run(&to.clients, &to.desired, release, arn, waiting).await?;
            true
        }
        _ => false,
    };
    // Events ECS logs from here on are this run's.
    let since = i64::try_from(crate::clock::unix_millis()).unwrap_or(i64::MAX);
    let (restarts, watches) = {
        let _group =
            Group::start(to.desired.request.ci, "maestro_services", "Move the services to the release's revisions");
        engine::rollback::start(&to.clients, &to.desired, moved, arns).await?
    };
    let result = restart::wait(inputs, to, &watches, since).await?;
    let explanations = restart::explain(to, waiting, &watches, result.as_ref()).await;
    let mut services = restart::outcomes(&restarts, result.as_ref());
    for service in &mut services {
        service.image = target.release.image.clone().unwrap_or_default();
    }
    let failure = restart::failure("the rollback", &services, explanations);
    Ok((services, result.map_or(0, |result| result.polls), failure, release_ran))
}

/// How the rollback ended, for the reporters (a deploy of the target's commit).
fn finished(target: &Numbered, moved: &[Move], result: &Result<Moved, Error>, seconds: u64) -> Finished {
    let (services, failure) = match result {
        Ok((services, _, failure, _)) => (services.clone(), failure.as_ref().map(|failure| failure.message.clone())),
        Err(Error::Failed(failure)) => (Vec::new(), Some(failure.message.clone())),
        Err(error) => (Vec::new(), Some(error.to_string())),
    };
    let image = target.release.image.as_deref().and_then(pinned_image).map(|(_, digest)| BuiltImage {
        uri: target.release.image.clone().unwrap_or_default(),
        digest,
        source: ImageSource::Existing,
    });
    Finished::of(services, Ending { failure, image, url: None, changes: moved.len(), seconds })
}

/// The rollback as a new release: the target's commit, image and revisions, this run's who and
/// outcome. Still under the lease, so numbers follow the runs' order.
async fn record(to: &Destination, target: &Numbered, services: &[ServiceOutcome]) -> Option<u64> {
    let failed = services.iter().filter(|service| !service.succeeded()).count();
    let outcome = match failed {
        0 => Outcome::Succeeded,
        _ => Outcome::Failed { reason: one_line(&format!("{failed} of {} services did not roll out", services.len())) },
    };
    let request = &to.desired.request;
    let release = Release {
        schema_version: SCHEMA_VERSION,
        kind: Kind::Rollback { to: target.number },
        commit: target.release.commit.clone(),
        image: target.release.image.clone(),
        task_definitions: target.release.task_definitions.clone(),
        who: request.actor.clone(),
        run_url: request.run_url.clone(),
        time: crate::clock::unix_seconds(),
        outcome,
        // No build: the next one keeps what the builds before recorded.
        built_with: None,
    };
    engine::history::record(&to.session, request, &release, !to.desired.image.source.is_prebuilt()).await
}

impl Report for RollbackReport {
    fn human(&self) -> String {
        let headline = render::headline(&self.request);
        if let Some(current) = self.already_current {
            return format!("rollback {headline}: release {current} is the current one already; nothing to do\n");
        }
        let Some(target) = &self.target else { return format!("rollback {headline}\n") };
        let commit: String = target.commit.chars().take(8).collect();
        let mut out = format!("rollback {headline} to release {} ({commit})\n", target.number);
        for moving in &self.moved {
            out.push_str(&format!("  {}: {} -> {}\n", moving.process, moving.from, moving.to));
        }
        for skipped in &self.skipped {
            out.push_str(&format!("  skipped {}: it {}\n", skipped.process, skipped.why));
        }
        if self.release_ran {
            out.push_str("  the release process ran\n");
        }
        for note in &self.notes {
            out.push_str(&format!("  note: {note}\n"));
        }
        if self.services.is_empty() {
            out.push_str("no service to move\n");
        } else {
            out.push('\n');
            out.push_str(&table(&self.services));
        }
        if let Some(number) = self.recorded {
            out.push_str(&format!("recorded release {number} (rollback to {})\n", target.number));
        }
        out
    }

    fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }
}
