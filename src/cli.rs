//! The command line, clap derive. Nothing past `commands` sees these types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use maestro_core::env::{Env, Origin};
use maestro_core::input::vars as var;

use crate::output::Output;

mod lifecycle;
mod previews;

pub(crate) use lifecycle::{DestroyArgs, LogsArgs, ReleasesArgs, RestartArgs, RollbackArgs, RunArgs};
pub(crate) use previews::{PreviewsArgs, PreviewsCommand, PruneArgs};

#[derive(Debug, Parser)]
#[command(
    name = "maestro",
    version = crate::commands::version::LONG,
    about = "Deploy an app from a commit to running AWS ECS services",
    after_help = crate::cli_help::MAIN,
)]
pub(crate) struct Cli {
    /// Show more detail on stderr (-v debug, -vv trace).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Read variables from a `NAME=value` file first; the environment and flags override it.
    #[arg(long, global = true, value_name = "FILE")]
    pub env_file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Print every AWS resource the app needs and what a deploy would change (reads only).
    #[command(after_help = crate::cli_help::PLAN)]
    Plan(PlanArgs),
    /// Print the deploy request detected from the CI, and where each field came from.
    Detect(AppArgs),
    /// Build the commit's image with Cloud Native Buildpacks, unless the registry already has it.
    Build(BuildArgs),
    /// Build the commit's test image (pack `--exec-env test`) and run its tests, as a deploy's
    /// test phase does (docs/test-phase.md); exit 1 when they fail.
    Test(TestArgs),
    /// Build the image when needed, then make the app's AWS resources match the plan, changing only what differs.
    #[command(after_help = crate::cli_help::DEPLOY)]
    Deploy(DeployArgs),
    /// Pause the branch's environment: every service to zero tasks, every schedule off, nothing
    /// deleted (a closed pull request, a stopped review environment); the next deploy restores it.
    #[command(after_help = crate::cli_help::STOP)]
    Stop(AppArgs),
    /// Run a one-off command (`-- bin/migrate`) in the launcher task definition, where the
    /// services run; its log on stderr, its exit code as maestro's.
    #[command(after_help = crate::cli_help::RUN)]
    Run(RunArgs),
    /// Print what the environment runs: each service's tasks, revision, image, rollout, scaling,
    /// URL and last events, and the schedules (reads only).
    #[command(after_help = crate::cli_help::STATUS)]
    Status(AppArgs),
    /// Replace the tasks of the named services (every running one by default) with the same task
    /// definition, e.g. after a secret rotation, and wait for each as deploy does.
    #[command(after_help = crate::cli_help::RESTART)]
    Restart(RestartArgs),
    /// Return every service to a recorded release's task definitions (the previous successful
    /// release, or `--to`'s), hence its image; waited for, reported and recorded as a release.
    #[command(after_help = crate::cli_help::ROLLBACK)]
    Rollback(RollbackArgs),
    /// Roll back every service's deployment in progress to the revision that ran before it
    /// (ECS's StopServiceDeployment), and wait for each rollback; no lease, so it can stop a
    /// deploy that is still waiting.
    #[command(after_help = crate::cli_help::ABORT)]
    Abort(AppArgs),
    /// Resume every deployment ECS holds at the approval pause (MAESTRO_APPROVAL) and wait for
    /// each to end as deploy does; `maestro abort` rolls a paused one back instead.
    #[command(name = "continue", after_help = crate::cli_help::CONTINUE)]
    Continue(AppArgs),
    /// List the environment's releases (each deploy that changed something), newest first,
    /// the current one marked (reads only).
    #[command(after_help = crate::cli_help::RELEASES)]
    Releases(ReleasesArgs),
    /// Delete everything the environment owns (tagged for it), in dependency order; without
    /// `--confirm <environment>` only list it (reads only, exit code 2).
    #[command(after_help = crate::cli_help::DESTROY)]
    Destroy(DestroyArgs),
    /// List the app's pull-request previews, or prune those whose pull request is closed or
    /// whose last deploy is older than the TTL.
    #[command(after_help = crate::cli_help::PREVIEWS)]
    Previews(PreviewsArgs),
    /// Check the inputs against the account with reads only: the subnets and security groups
    /// exist in WORKLOAD_VPC_ID, and a load balancer's subnets span two Availability Zones.
    #[command(after_help = crate::cli_help::VERIFY)]
    Verify(AppArgs),
    /// Print the environment's CloudWatch logs, every process's lines in time order, each
    /// prefixed with its process and task; `--follow` keeps printing until interrupted.
    #[command(after_help = crate::cli_help::LOGS)]
    Logs(LogsArgs),
    /// Get AWS credentials as a deploy would (OIDC on GitHub and GitLab) and print the identity.
    Whoami(WhoamiArgs),
    /// Write the CI file for GitHub, GitLab or CodeBuild, and print the IAM policies and the AWS
    /// resources the first deploy needs (asks a few questions on a terminal, none in CI).
    Init(InitArgs),
    /// Print the version, the commit it was built from and the build date.
    Version(OutputArg),
    /// Print the completion script for a shell (e.g. `maestro completions bash > ~/.local/share/bash-completion/completions/maestro`).
    #[command(after_help = crate::cli_help::COMPLETIONS)]
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

impl Command {
    /// How the command writes stdout, errors included.
    pub(crate) fn output(&self) -> Output {
        match self {
            Self::Plan(PlanArgs { app, .. })
            | Self::Build(BuildArgs { app, .. })
            | Self::Test(TestArgs { app, .. })
            | Self::Deploy(DeployArgs { app, .. })
            | Self::Detect(app)
            | Self::Restart(RestartArgs { app, .. })
            | Self::Rollback(RollbackArgs { app, .. })
            | Self::Stop(app)
            | Self::Abort(app)
            | Self::Continue(app)
            | Self::Status(app)
            | Self::Verify(app)
            | Self::Releases(ReleasesArgs { app, .. })
            | Self::Destroy(DestroyArgs { app, .. })
            | Self::Run(RunArgs { app, .. }) => app.output.output,
            Self::Logs(LogsArgs { app, .. }) => app.output.output,
            Self::Previews(previews) => previews.app().output.output,
            Self::Whoami(whoami) => whoami.output.output,
            Self::Init(init) => init.output.output,
            Self::Version(output) => output.output,
            // A completion script is what the shell reads, whatever the flag.
            Self::Completions(_) => Output::Human,
        }
    }
}

#[derive(Debug, Args)]
pub(crate) struct PlanArgs {
    #[command(flatten)]
    pub app: AppArgs,

    /// Do not call AWS: print the desired state only (needs `--account` or AWS_ACCOUNT_ID).
    #[arg(long)]
    pub offline: bool,

    /// Show each new task definition revision whole against the live one, not only the changed
    /// lines with three lines of context.
    #[arg(long, conflicts_with = "offline")]
    pub diff: bool,
}

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub app: AppArgs,

    /// Only ask the registry whether the commit's image exists, and say whether a build is
    /// needed (`pack` is not required); the GitHub Action uses it to fetch pack only when needed.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub(crate) struct TestArgs {
    #[command(flatten)]
    pub app: AppArgs,

    /// Run the tests even if this commit passed them before.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub(crate) struct DeployArgs {
    #[command(flatten)]
    pub app: AppArgs,

    /// Also delete services whose process is no longer planned and that carry this app and branch's
    /// `maestro:app` tag (they are only reported otherwise).
    #[arg(long)]
    pub prune: bool,

    /// Run the `release` process even when nothing new is released, and the test phase even if
    /// this commit passed it before.
    #[arg(long)]
    pub force: bool,

    #[arg(
        long,
        help = stands_for(
            "At an approval pause, keep waiting until `maestro continue` or `maestro abort` resolves it",
            var::MAESTRO_WAIT_FOR_APPROVAL
        )
    )]
    pub wait_for_approval: bool,

    #[arg(
        long,
        value_name = "STAGE",
        help = stands_for(
            "Stop waiting when a blue-green, canary or linear deploy reaches this lifecycle stage (e.g. `bake-time`); ECS finishes it",
            var::MAESTRO_WAIT_UNTIL
        )
    )]
    pub wait_until: Option<String>,
}

impl DeployArgs {
    /// The deploy's own flags as the environment's flag layer.
    pub(crate) fn as_env(&self) -> Env {
        let mut env = Env::default();
        if self.wait_for_approval {
            env.set(var::MAESTRO_WAIT_FOR_APPROVAL, "true".to_owned(), Origin::Flag("--wait-for-approval"));
        }
        if let Some(stage) = &self.wait_until {
            env.set(var::MAESTRO_WAIT_UNTIL, stage.clone(), Origin::Flag("--wait-until"));
        }
        env
    }
}

#[derive(Debug, Args)]
pub(crate) struct WhoamiArgs {
    #[command(flatten)]
    pub region: RegionArg,

    /// Explain the sign-in: the CI token's claims (never the token), the form of its `sub`, the
    /// trust policy statement that accepts it, and on a refusal the claim it points at.
    #[arg(long)]
    pub explain: bool,

    /// With --explain: the role's trust policy (its JSON document, e.g. from `aws iam get-role`),
    /// read against the token to name the condition that refuses it.
    #[arg(long, value_name = "FILE", requires = "explain")]
    pub trust_policy: Option<PathBuf>,

    #[command(flatten)]
    pub output: OutputArg,
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The CI to write a file for: `github`, `gitlab` or `codebuild` (default: the CI running,
    /// else the checkout's `.github/`, `.gitlab-ci.yml` or `buildspec.yml`).
    #[arg(long, value_name = "PROVIDER")]
    pub ci: Option<String>,

    /// The app's repository checkout, where the CI file is written.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub app: PathBuf,

    #[arg(
        long,
        value_name = "ARN|ACCOUNT",
        help = stands_for("The production deploy role's ARN, or the account id", var::MAESTRO_ROLE_ARN)
    )]
    pub role_arn: Option<String>,

    #[arg(
        long,
        value_name = "OWNER/NAME",
        help = stands_for("The repository, `owner/name` or a clone URL", var::MAESTRO_REPO_OVERRIDE)
    )]
    pub repo: Option<String>,

    #[command(flatten)]
    pub region: RegionArg,

    /// Replace the CI file if it exists.
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub output: OutputArg,
}

impl InitArgs {
    /// The flags that stand for variables, as the environment's flag layer.
    pub(crate) fn as_env(&self) -> Env {
        let mut env = self.region.as_env();
        for (value, name, flag) in
            [(&self.role_arn, var::MAESTRO_ROLE_ARN, "--role-arn"), (&self.repo, var::MAESTRO_REPO_OVERRIDE, "--repo")]
        {
            if let Some(value) = value {
                env.set(name, value.clone(), Origin::Flag(flag));
            }
        }
        env
    }
}

/// What `plan` and `detect` look at: the app's checkout, and what is deployed.
#[derive(Debug, Args)]
pub(crate) struct AppArgs {
    /// The app's repository checkout: it holds the Procfile (or REPO_SUB_FOLDER does), and its
    /// `.git` is read when no CI is detected.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub app: PathBuf,

    #[command(flatten)]
    pub output: OutputArg,

    #[command(flatten)]
    pub request: RequestArgs,
}

/// `--output`, for every command: each one writes its result through `output::Stdout`.
#[derive(Debug, Args)]
pub(crate) struct OutputArg {
    /// `human` for people, `json` for machines (stdout carries only the result), `ndjson` for one
    /// JSON object a line as the run goes, the report last (docs/ndjson.md)
    #[arg(long, value_enum, default_value_t = Output::Human)]
    pub output: Output,
}

/// What is deployed, and where; each flag stands for a variable, and beats it (see
/// `maestro_core::input::precedence`). The help names each flag's variable from the registry.
#[derive(Debug, Default, Args)]
pub(crate) struct RequestArgs {
    #[arg(
        long,
        value_name = "OWNER/NAME",
        help = stands_for("The repository, `owner/name` or a clone URL", var::MAESTRO_REPO_OVERRIDE)
    )]
    pub repo: Option<String>,

    #[arg(long, help = stands_for("The branch to deploy", var::MAESTRO_BRANCH_OVERRIDE))]
    pub branch: Option<String>,

    #[arg(long, help = stands_for("The commit to deploy", var::MAESTRO_COMMIT_OVERRIDE))]
    pub sha: Option<String>,

    #[arg(long, value_name = "ID", help = stands_for("The AWS account id", var::AWS_ACCOUNT_ID))]
    pub account: Option<String>,

    #[command(flatten)]
    pub region: RegionArg,
}

/// `--region`, for every command that talks to AWS.
#[derive(Debug, Default, Args)]
pub(crate) struct RegionArg {
    #[arg(long, help = stands_for("The AWS region", var::AWS_REGION))]
    pub region: Option<String>,
}

/// A flag's help: what it is, and the variable it stands for. clap's own `env` is not used: it
/// would read the process environment behind the snapshot (and its precedence).
fn stands_for(help: &str, variable: &str) -> String {
    format!("{help} [env: {variable}]")
}

impl RequestArgs {
    /// The flags as the environment's flag layer.
    pub(crate) fn as_env(&self) -> Env {
        let mut env = self.region.as_env();
        let flags = [
            (&self.repo, var::MAESTRO_REPO_OVERRIDE, "--repo"),
            (&self.branch, var::MAESTRO_BRANCH_OVERRIDE, "--branch"),
            (&self.sha, var::MAESTRO_COMMIT_OVERRIDE, "--sha"),
            (&self.account, var::AWS_ACCOUNT_ID, "--account"),
        ];
        for (value, name, flag) in flags {
            if let Some(value) = value {
                env.set(name, value.clone(), Origin::Flag(flag));
            }
        }
        env
    }
}

impl RegionArg {
    /// `--region` as the flag layer of AWS_REGION.
    pub(crate) fn as_env(&self) -> Env {
        let mut env = Env::default();
        if let Some(region) = &self.region {
            env.set(var::AWS_REGION, region.clone(), Origin::Flag("--region"));
        }
        env
    }
}
