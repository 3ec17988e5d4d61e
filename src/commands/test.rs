//! `maestro test`: the deploy's test phase alone (docs/test-phase.md): the commit's test image,
//! built when missing, and its tests run, reported like a deploy's (`maestro/test`); exit 1 when
//! they fail. It deploys nothing and takes no deploy lease.

use serde::Serialize;

use super::prepare;
use crate::aws::calls::{CallCounts, CallLog};
use crate::cli::TestArgs;
use crate::error::{Error, Failure};
use crate::output::Report;
use crate::reporters::Reporters;
use crate::workflow::Masker;
use maestro_core::env::Env;
use maestro_core::report::Event;
use maestro_core::request::DeployRequest;
use maestro_core::test_phase::outcome::Tested;

#[derive(Serialize)]
pub(super) struct TestReport {
    request: DeployRequest,
    tests: Tested,
    aws_calls: CallCounts,
    #[serde(skip)]
    failure: Option<Failure>,
}

pub(super) async fn run(args: &TestArgs, env: Env) -> Result<TestReport, Error> {
    let inputs = prepare::validate(&args.app, env)?;
    let Some(prepared) = crate::test_phase::prepare(&inputs, true).await? else {
        return Err(Failure::new("the test phase did not plan a test").into());
    };
    let log = CallLog::default();
    let to = inputs.connect(&log).await?;
    let tested = crate::test_phase::run(&prepared, &inputs, &args.app.app, &to, args.force).await?;
    let mut reporters =
        Reporters::for_run(&inputs.report_context(), &inputs.settings, &inputs.env, Masker::for_env(&inputs.env));
    reporters.emit(&Event::Tested(tested.clone())).await;
    let failure = (!tested.passed()).then(|| crate::test_phase::failure(&tested));
    Ok(TestReport { request: to.desired.request, tests: tested, aws_calls: log.counts(), failure })
}

impl Report for TestReport {
    fn human(&self) -> String {
        format!("{} ({}, {} runner)\n", self.tests.title(), self.tests.source, self.tests.runner)
    }

    fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }
}
