//! The test phase (issue 24), `maestro test` alone or the first phase of a deploy: the commit's
//! test image (`build::test_image`), the test command run in it, locally (`local`) or as an ECS
//! task (`engine::test_task`), and the pass recorded on the image. A failure stops the deploy
//! before any write of its own; the decisions are the core's (`maestro_core::test_phase`).
//!
//! The phase's own writes, all before the deploy's first: the ECR repository when missing, the
//! test image, its `tested-<tag>` tag, and with the ECS runner one task definition revision of
//! the test family and its task.

mod local;

use maestro_core::build::source::Source;
use std::path::{Path, PathBuf};

use crate::build::{self, test_image::TestImage};
use crate::error::{Error, Failure};
use crate::pipeline::{Destination, ValidatedInputs};
use maestro_core::test_phase::outcome::{Outcome, Tested};
use maestro_core::test_phase::{self as decide, Runner, TestPlan};

/// The phase, checked before any AWS call: what it runs, where, and the tools it needs.
pub(crate) struct Prepared {
    plan: TestPlan,
    runner: Runner,
    /// The test image's build tool: pack, or docker for a Dockerfile app; none for an image built
    /// elsewhere (which the phase refuses before any write).
    tool: Option<PathBuf>,
    /// `docker`, for the local runner.
    docker: Option<PathBuf>,
}

/// `None` when the phase does not run. Bad input (turned on with no command) is an input error,
/// exit code 2; a missing tool is said before any AWS call. `forced`: `maestro test`.
pub(crate) async fn prepare(inputs: &ValidatedInputs, forced: bool) -> Result<Option<Prepared>, Error> {
    let Some(plan) = decide::plan(&inputs.settings.test, inputs.app(), forced)? else { return Ok(None) };
    // The build needs a daemon anyway, so the local runner is the default.
    let runner = plan.runner.unwrap_or(Runner::Local);
    let tool = match inputs.image_source() {
        Source::Buildpacks => Some(build::tools::check(&inputs.env).await?),
        Source::Dockerfile(_) => Some(build::tools::check_docker(&inputs.env).await?),
        Source::Prebuilt(_) => None,
    };
    let docker = match runner {
        Runner::Local => Some(build::tools::find_on_path(&inputs.env, "docker").ok_or_else(|| {
            Failure::new("the local test runner needs `docker` (Docker's CLI), and it is not on PATH")
                .hint("install Docker's CLI, or set MAESTRO_TEST_RUNNER=ecs to run the tests as an ECS task")
        })?),
        Runner::Ecs => None,
    };
    Ok(Some(Prepared { plan, runner, tool, docker }))
}

/// Runs the phase in `to`: `Ok` with the tests' verdict (a failed test is not an error here: the
/// caller reports it, then stops); `Err` when the phase itself could not run. `force`: run the
/// tests even if this commit passed them before.
pub(crate) async fn run(
    prepared: &Prepared,
    inputs: &ValidatedInputs,
    checkout: &Path,
    to: &Destination,
    force: bool,
) -> Result<Tested, Failure> {
    let stage = crate::pipeline::build::stage(inputs, checkout, to, prepared.tool.as_deref(), None);
    let plan = &prepared.plan;
    let tested = |outcome, tail| Tested {
        outcome,
        runner: prepared.runner.name().to_owned(),
        source: plan.source.clone(),
        tail,
    };
    let (reference, digest) = match build::test_image::prepare(&stage, force).await? {
        TestImage::Passed { tag } => {
            tracing::info!(
                "tests skipped: this commit passed them on an earlier run (its test image is tagged {tag}); --force runs them again"
            );
            return Ok(tested(Outcome::AlreadyPassed, Vec::new()));
        }
        TestImage::Ready { reference, digest } => (reference, digest),
    };
    let ran = async {
        match (prepared.runner, &prepared.docker) {
            (Runner::Local, Some(docker)) => {
                let app_dir = app_dir(checkout, &to.desired.image.source_dir);
                local::run(docker, &stage, &reference, plan, &app_dir).await
            }
            (Runner::Local, None) => Err(Failure::new("the local test runner's docker was not checked for")),
            (Runner::Ecs, _) => {
                if plan.report.is_some() {
                    tracing::warn!("test: the ECS runner does not collect the JUnit report (MAESTRO_TEST_REPORT)");
                }
                let waiting = &inputs.settings.waiting;
                // Boxed: following and streaming the task make a large future.
                let run = crate::engine::test_task::run(&to.clients, &to.desired, &reference, &plan.command, waiting);
                let ran = Box::pin(run).await?;
                Ok((ran.exit_code, ran.tail))
            }
        }
    };
    let (exit_code, tail) = tokio::select! {
        ran = ran => ran?,
        () = crate::cancel::requested() => {
            return Err(Failure::new("maestro was stopped during the tests; nothing was deployed"));
        }
    };
    let outcome = if exit_code == Some(0) { Outcome::Passed } else { Outcome::Failed { exit_code } };
    let tested = tested(outcome, tail);
    if tested.passed() {
        tracing::info!("tests passed");
        build::test_image::record_pass(&stage, &digest).await?;
    }
    Ok(tested)
}

/// The run's error for tests that failed: the outcome, the output's tail and the way on.
pub(crate) fn failure(tested: &Tested) -> Failure {
    let mut failure = Failure::new(tested.failure_message());
    for line in tested.failure_details() {
        failure = failure.detail(line);
    }
    failure.hint("fix the tests and push again; `maestro test` runs them alone (MAESTRO_TEST=false turns the automatic phase off)")
}

fn app_dir(checkout: &Path, source_dir: &str) -> PathBuf {
    if source_dir == "." { checkout.to_owned() } else { checkout.join(source_dir) }
}
