//! `maestro plan`: the desired state of every resource and, unless `--offline`, what a deploy
//! would change in AWS (it reads, and writes nothing).

use serde::Serialize;

use super::prepare;
use crate::aws::calls::CallLog;
use crate::cli::{AppArgs, PlanArgs};
use crate::error::Error;
use crate::output::Report;
use crate::workflow::Masker;
use crate::workspace;
use crate::{build, engine};
use maestro_core::build::source::Source;
use maestro_core::env::Env;
use maestro_core::plan::desired::DesiredState;
use maestro_core::plan::{self, render};
use maestro_core::provision::diff::{self, Options};
use maestro_core::provision::review::render::{Style, Tense};
use maestro_core::provision::review::{self, Change};
use maestro_core::request::Need;

/// The plan: the desired state and, unless `--offline`, what a deploy would do to AWS now.
#[derive(Serialize)]
pub(super) struct PlanReport {
    #[serde(flatten)]
    state: DesiredState,
    #[serde(skip_serializing_if = "Option::is_none")]
    build: Option<BuildStep>,
    #[serde(skip_serializing_if = "Option::is_none")]
    changes: Option<Vec<Change>>,
    /// Services of this environment the plan no longer has (`deploy --prune` deletes them).
    #[serde(skip_serializing_if = "Option::is_none")]
    orphans: Option<Vec<String>>,
    #[serde(skip)]
    style: Style,
}

pub(super) async fn run(args: &PlanArgs, env: Env) -> Result<PlanReport, Error> {
    let style = style(args, &env);
    if args.offline {
        let state = offline(&args.app, env)?;
        return Ok(PlanReport::new(state, None, style));
    }
    let inputs = prepare::validate(&args.app, env)?;
    let (mut state, observed, image) = async {
        let mut to = inputs.connect(&CallLog::default()).await?;
        // What would stop a deploy before its first write stops the plan too.
        Box::pin(engine::verify::verify(&to.clients, &inputs.settings, &to.desired, &inputs.env, false)).await?;
        inputs.settings_from_secret(&mut to).await?;
        let masker = Masker::for_env(&inputs.env);
        let (observed, image) = tokio::try_join!(
            Box::pin(engine::observe(&to.clients, &to.desired, &inputs.settings.waiting)),
            build::existing(&to.clients, &to.desired, &inputs.settings, &inputs.env, masker),
        )?;
        Ok::<_, Error>((to.desired, observed, image))
    }
    .await
    .map_err(|error| match error {
        Error::Failed(failure) => Error::Failed(failure.detail("to plan without AWS, add `--offline`")),
        other => other,
    })?;
    // As the deploy does: the task definitions name an existing image by its digest.
    if let Some(found) = &image {
        state.pin_image(&found.digest);
    }
    // What would stop a deploy stops the plan too: its changes could not be made.
    engine::preflight(&state, &observed)?;
    let diff = diff::diff(&state, &observed, Options::default());
    state.warnings.extend(diff.warnings.iter().cloned());
    let build = BuildStep {
        needed: image.is_none() && !inputs.settings.build.skip && !matches!(inputs.image_source(), Source::Prebuilt(_)),
        image_exists: image.is_some(),
        digest: image.map(|found| found.digest),
    };
    let live = Live { changes: diff.changes(), orphans: diff.orphans, build };
    Ok(PlanReport::new(state, Some(live), style))
}

/// What a plan against AWS adds to the desired state.
struct Live {
    changes: Vec<Change>,
    orphans: Vec<String>,
    build: BuildStep,
}

/// How the changes are printed: the whole documents with `--diff`, coloured on a terminal.
fn style(args: &PlanArgs, env: &Env) -> Style {
    let context = if args.diff { None } else { Some(Style::DEFAULT_CONTEXT) };
    Style { context, colour: crate::style::Style::for_stdout(env).colour }
}

impl PlanReport {
    /// The report of `state`, whose warnings go to stderr first.
    fn new(state: DesiredState, live: Option<Live>, style: Style) -> Self {
        for warning in &state.warnings {
            tracing::warn!("{warning}");
        }
        match live {
            Some(Live { changes, orphans, build }) => {
                Self { state, build: Some(build), changes: Some(changes), orphans: Some(orphans), style }
            }
            None => Self { state, build: None, changes: None, orphans: None, style },
        }
    }
}

impl Report for PlanReport {
    /// Against AWS, what changes first (the build, each change, the count, the orphans), then the
    /// desired state it leads to.
    fn human(&self) -> String {
        let (Some(build), Some(changes)) = (&self.build, &self.changes) else { return render::human(&self.state) };
        let orphans = self.orphans.as_deref().unwrap_or_default();
        let mut text = render::title(&self.state);
        text.push_str(&build.human(&self.state));
        text.push_str(&review::render::changes(changes, orphans, Tense::Plan, self.style));
        text.push('\n');
        text.push_str(&render::body(&self.state));
        text
    }
}

/// What the build stage of a deploy would do, as `plan` shows it.
#[derive(Serialize)]
struct BuildStep {
    /// A deploy would run pack.
    needed: bool,
    image_exists: bool,
    digest: Option<String>,
}

impl BuildStep {
    fn human(&self, state: &DesiredState) -> String {
        match (&self.digest, self.needed) {
            (Some(digest), _) => format!("build: none, image {} exists ({digest})\n", state.image.uri),
            (None, true) => format!("build: pack builds {} with {}\n", state.image.uri, state.image.builder),
            (None, false) => format!(
                "build: skipped (MAESTRO_SKIP_BUILD), but image {} does not exist: a deploy would fail\n",
                state.image.uri
            ),
        }
    }
}

/// The pure plan: no AWS call, the account from `--account` or AWS_ACCOUNT_ID.
fn offline(args: &AppArgs, env: Env) -> Result<DesiredState, Error> {
    let (_, settings, request) = prepare::settings_and_request(args, env, Need::Offline)?;
    let (target, account) = (request.target()?, request.account()?);
    let app = workspace::load(&args.app, &settings.build)?;
    Ok(plan::plan(&request, &target, &settings, &app)?.bind(&account))
}
