//! The arguments of the commands that act on a deployed environment (day 2): `run`, `logs`,
//! `restart`, `rollback`, `releases`, `destroy`.

use clap::Args;

use super::AppArgs;

#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    #[command(flatten)]
    pub app: AppArgs,

    /// The task's size, `cpu;memory` in cpu units and MiB as Fargate takes them (e.g. `1024;2048`,
    /// quoted); the launcher task definition's size by default.
    #[arg(long, value_name = "CPU;MEMORY")]
    pub size: Option<String>,

    /// The command and its arguments, after `--`: the container's command, which the CNB
    /// launcher runs (a Procfile process type, or a command with its arguments).
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct LogsArgs {
    /// The processes to read (default: every process that logs, one-off ones included).
    #[arg(value_name = "PROCESS")]
    pub processes: Vec<String>,

    /// Where to start: a duration back from now (`30s`, `10m`, `2h`, `1d`) or an RFC 3339 time.
    #[arg(long, value_name = "WHEN", default_value = maestro_core::logs::since::DEFAULT)]
    pub since: String,

    /// Keep printing new lines (a poll every 2 seconds) until interrupted.
    #[arg(long, short)]
    pub follow: bool,

    #[command(flatten)]
    pub app: AppArgs,
}

#[derive(Debug, Args)]
pub(crate) struct RestartArgs {
    /// The processes to restart (e.g. `web worker`); none restarts every service that runs.
    #[arg(value_name = "PROCESS")]
    pub processes: Vec<String>,

    #[command(flatten)]
    pub app: AppArgs,
}

#[derive(Debug, Args)]
pub(crate) struct RollbackArgs {
    /// The release to return to: its number, or its commit (7 to 40 hexadecimal characters);
    /// by default the newest release that succeeded before the current one.
    #[arg(long, value_name = "RELEASE|COMMIT")]
    pub to: Option<String>,

    /// Run the target release's `release` process first (never run otherwise); a failed one
    /// stops the rollback with no service changed.
    #[arg(long)]
    pub run_release: bool,

    #[command(flatten)]
    pub app: AppArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ReleasesArgs {
    #[command(flatten)]
    pub app: AppArgs,

    /// How many releases to list, newest first (SSM keeps the last 100).
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..))]
    pub limit: u16,
}

#[derive(Debug, Args)]
pub(crate) struct DestroyArgs {
    #[command(flatten)]
    pub app: AppArgs,

    /// The environment's name, `<slug>-<branch>` (the list without it names it): destroy deletes
    /// only when it is given.
    #[arg(long, value_name = "ENVIRONMENT")]
    pub confirm: Option<String>,

    /// Keep the environment's CloudWatch log groups.
    #[arg(long)]
    pub keep_logs: bool,

    /// Keep the environment's ECR repository and its images.
    #[arg(long)]
    pub keep_images: bool,
}
