//! `maestro previews list` and `maestro previews prune`: the app's pull-request previews, as a
//! scheduled workflow on the branch pull requests target sees them (each planned as a pull
//! request into it).

use clap::{Args, Subcommand};

use super::AppArgs;

#[derive(Debug, Args)]
pub(crate) struct PreviewsArgs {
    #[command(subcommand)]
    pub command: PreviewsCommand,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PreviewsCommand {
    /// List every preview of the app: its pull request, URL, last commit, age and running tasks
    /// (reads only).
    List(AppArgs),
    /// Destroy the previews whose pull request is closed or whose last deploy is older than the
    /// TTL, and say what was removed, kept or failed, each with why (for a scheduled workflow).
    Prune(PruneArgs),
}

#[derive(Debug, Args)]
pub(crate) struct PruneArgs {
    #[command(flatten)]
    pub app: AppArgs,

    /// Remove previews not deployed for this long (`7d`, `36h`, `90m`); MAESTRO_PREVIEW_TTL,
    /// else 7 days, by default.
    #[arg(long, value_name = "AGE")]
    pub older_than: Option<String>,
}

impl PreviewsArgs {
    pub(crate) fn app(&self) -> &AppArgs {
        match &self.command {
            PreviewsCommand::List(app) => app,
            PreviewsCommand::Prune(prune) => &prune.app,
        }
    }
}
