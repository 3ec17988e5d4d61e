//! `maestro init`: the CI file written into the app's checkout, and what to create in AWS
//! before the first deploy (the deploy roles' trust and permission policies, the prerequisites).
//! Everything it writes and prints is the core's (`maestro_core::init`); this reads the checkout
//! and, on a terminal outside CI, asks the core's questions.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::cli::InitArgs;
use crate::error::{Error, Failure};
use crate::git_checkout;
use crate::output::Report;
use maestro_core::ci::Ci;
use maestro_core::env::Env;
use maestro_core::init::{self, Check, Checkout, CiKind, Draft, Prerequisite, RolePolicy, Setup};
use maestro_core::input::Location;
use maestro_core::input::vars as var;
use maestro_core::input_error::InputError;
use maestro_core::permissions::policy::{PolicyDocument, PolicyStatement};

/// What `init` wrote, and what the account needs.
#[derive(Serialize)]
pub(super) struct Initialised {
    ci: CiKind,
    /// The CI file, as given with `--app`.
    file: PathBuf,
    repository: String,
    region: String,
    trust_policies: Vec<RolePolicy>,
    permission_policy: PolicyDocument,
    /// The statement the review role's policy adds; none for CodeBuild's one role.
    review_deny: Option<PolicyStatement>,
    prerequisites: Vec<Prerequisite>,
}

pub(super) fn run(args: &InitArgs, env: Env) -> Result<Initialised, Error> {
    let env = env.merge(args.as_env());
    let checkout = read_checkout(&args.app, &env);
    let mut draft = Draft::read(args.ci.as_deref(), &env, &checkout)?;
    // Asking is for people at a terminal; a CI job (or a pipe) has nobody to answer.
    if !Ci::unattended(&env) && std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        ask(&mut draft)?;
    }
    let setup = draft.finish()?;
    let file = write(&args.app, &setup, args.force)?;
    Ok(Initialised {
        ci: setup.ci,
        file,
        repository: setup.repository.path.clone(),
        region: setup.region.to_string(),
        trust_policies: init::trust_policies(&setup),
        permission_policy: init::permission_policy(&setup),
        review_deny: init::review_deny(&setup),
        prerequisites: init::prerequisites(&setup),
    })
}

/// What the checkout says: which CI's files it has, whether the app has a Procfile, `origin`.
fn read_checkout(app: &Path, env: &Env) -> Checkout {
    let app_dir = env.get(var::REPO_SUB_FOLDER).map_or_else(|| app.to_path_buf(), |folder| app.join(folder));
    Checkout {
        github_dir: app.join(".github").is_dir(),
        gitlab_ci: app.join(CiKind::Gitlab.file()).is_file(),
        buildspec: app.join(CiKind::Codebuild.file()).is_file(),
        procfile: app_dir.join("Procfile").is_file(),
        origin: git_checkout::read(app).and_then(|facts| facts.origin_url),
    }
}

/// Each of the draft's questions on stderr, until its answer is accepted.
fn ask(draft: &mut Draft) -> Result<(), Error> {
    let mut stdin = std::io::stdin().lock();
    let mut stderr = std::io::stderr();
    for topic in draft.questions().into_iter().map(|question| question.topic) {
        while let Some(question) = draft.question(topic) {
            write!(stderr, "{}", question.line())?;
            stderr.flush()?;
            let mut line = String::new();
            if stdin.read_line(&mut line)? == 0 {
                // End of input: what is known so far is checked as in CI.
                writeln!(stderr)?;
                return Ok(());
            }
            match question.answer(&line) {
                Ok(answer) => {
                    draft.apply(answer);
                    break;
                }
                Err(invalid) => writeln!(stderr, "error: {}\nhint: {}", invalid.message, invalid.hint)?,
            }
        }
    }
    Ok(())
}

/// Writes the CI file; an existing one only with `--force`.
fn write(app: &Path, setup: &Setup, force: bool) -> Result<PathBuf, Error> {
    let path = app.join(setup.ci.file());
    let shown = if app == Path::new(".") { PathBuf::from(setup.ci.file()) } else { path.clone() };
    if path.exists() && !force {
        return Err(InputError::new(
            Location::file(shown.display().to_string()),
            format!("`{}` exists; maestro init does not overwrite it", shown.display()),
            "pass `--force` to replace it, or move it away and run again",
        )
        .into());
    }
    let failed = |error: std::io::Error| Failure::new(format!("cannot write `{}`: {error}", shown.display()));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(failed)?;
    }
    std::fs::write(&path, setup.ci_file()).map_err(failed)?;
    Ok(shown)
}

impl Report for Initialised {
    fn human(&self) -> String {
        let pretty = |policy: &PolicyDocument| serde_json::to_string_pretty(policy).unwrap_or_default();
        let mut out =
            format!("wrote {} for {} ({}, {})\n\n", self.file.display(), self.ci.title(), self.repository, self.region);
        out.push_str("The deploy roles' trust policies (docs/ci.md):\n\n");
        for role in &self.trust_policies {
            out.push_str(&format!(
                "{}, assumed by {}:\n{}\n\n",
                role.role,
                role.assumed_by,
                pretty(&role.trust_policy)
            ));
        }
        out.push_str("Their permission policy (docs/iam.md):\n\n");
        out.push_str(&pretty(&self.permission_policy));
        if let Some(deny) = &self.review_deny {
            let deny = serde_json::to_string_pretty(deny).unwrap_or_default();
            out.push_str("\n\nThe review role's policy adds this statement: production's resources denied:\n\n");
            out.push_str(&deny);
        }
        out.push_str("\n\nBefore the first deploy, in AWS:\n");
        for item in &self.prerequisites {
            let check = match &item.check {
                Check::MaestroVerify => "maestro verify".to_owned(),
                Check::AwsCli(command) => command.clone(),
            };
            out.push_str(&format!("  - {}: {}\n    check: {check}\n", item.what, item.name));
        }
        out.push_str(&format!("\nThen commit {} and push: the CI deploys the branch.\n", self.file.display()));
        out
    }
}
