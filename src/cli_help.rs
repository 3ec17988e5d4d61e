//! The examples, exit codes and links `--help` ends with. Kept apart from `cli.rs`'s flags so
//! each is read on its own; `tests/it/help.rs` snapshots what they render.

/// After `maestro --help`: the commands in the order a user meets them, what the exit codes
/// mean, and where the docs are.
pub(crate) const MAIN: &str = "\
Examples:
  maestro init --ci github                 Write the CI file and print the AWS setup it needs
  maestro verify --env-file maestro.env    Check the inputs against the account (reads only)
  maestro plan --env-file maestro.env      What a deploy would change, field by field
  maestro deploy --env-file maestro.env    Build if needed, provision, release, roll out
  maestro status --env-file maestro.env    What runs: tasks, revisions, rollouts, events
  maestro restart --env-file maestro.env   New tasks for every service (a rotated secret)
  maestro stop --env-file maestro.env      Pause the environment; the next deploy restores it
  maestro run -- bin/rails db:migrate      A one-off command in the deployed image
  maestro releases --env-file maestro.env  The environment's releases, newest first
  maestro rollback --env-file maestro.env  Back to the previous successful release
  maestro logs web --since 1h --follow     The web process's log lines, then new ones

Exit codes:
  0  done
  1  the run failed after its input was accepted (AWS refused, a rollout failed, cancelled)
  2  bad input: nothing was changed; the message names the input and the fix

Docs: https://github.com/veezor/maestro#readme
Troubleshooting: https://github.com/veezor/maestro/blob/main/docs/troubleshooting.md";

pub(crate) const PLAN: &str = "\
Examples:
  maestro plan --offline --account 123456789012 --env-file maestro.env
      The desired state only, with no AWS call
  maestro plan --env-file maestro.env
      Also reads the account and lists each change as field: old → new
  maestro plan --env-file maestro.env --output json | jq '.changes'

Exit codes: 0 planned, 1 AWS could not be read, 2 bad input.
JSON: https://github.com/veezor/maestro/blob/main/docs/plan-json.md";

pub(crate) const DEPLOY: &str = "\
Examples:
  maestro deploy --env-file maestro.env
      Deploy the checkout's commit to its branch's environment
  maestro deploy --branch staging --sha <commit>
      Deploy another commit (an older one redeploys without a build)
  maestro deploy --prune
      Also delete services whose process left the Procfile

Exit codes: 0 every service rolled out, 1 the deploy failed (the message says where), 2 bad input
(nothing was changed).
Troubleshooting: https://github.com/veezor/maestro/blob/main/docs/troubleshooting.md";

pub(crate) const STOP: &str = "\
Examples:
  maestro stop --branch pr-17      Pause a pull request's environment
  maestro deploy --branch pr-17    Bring it back

Exit codes: 0 stopped, 1 AWS refused, 2 bad input.";

pub(crate) const RUN: &str = "\
Examples:
  maestro run --env-file maestro.env -- bin/migrate
      The command in a task of the launcher task definition, in the services' network
  maestro run --size '1024;2048' -- bundle exec rake reports:monthly
      A bigger task than the launcher's (Fargate's cpu;memory sizes)
  maestro run --output json -- bin/migrate 2>migrate.log | jq .exit_code

Exit codes: the command's own (0 done, n the command exited n), 1 the task stopped without one
(the message says why) or the run failed, 2 bad input (nothing was started).
Docs: https://github.com/veezor/maestro/blob/main/docs/run.md";

pub(crate) const STATUS: &str = "\
Examples:
  maestro status --env-file maestro.env
  maestro status --branch pr-17 --output json | jq '.processes[] | {process, running, desired}'

Exit codes: 0 shown, 1 nothing is deployed or AWS could not be read, 2 bad input.
JSON: https://github.com/veezor/maestro/blob/main/docs/status.md";

pub(crate) const RESTART: &str = "\
Examples:
  maestro restart --env-file maestro.env
      Every running service gets new tasks (after rotating a value of the app's secret)
  maestro restart web worker
      Only these processes' services

Exit codes: 0 every new deployment completed, 1 one failed (the message says why), 2 bad input
(an unknown process: nothing was changed).
Docs: https://github.com/veezor/maestro/blob/main/docs/restart.md";

pub(crate) const ABORT: &str = "\
Examples:
  maestro abort --env-file maestro.env
      Every service whose deployment is in progress goes back to the revision it ran before

Exit codes: 0 every rollback succeeded (or nothing was in progress), 1 one failed or did not end
in time (the message says why), 2 bad input.
Docs: https://github.com/veezor/maestro/blob/main/docs/abort.md";

pub(crate) const CONTINUE: &str = "\
Examples:
  maestro continue --env-file maestro.env
      Every deployment paused for approval moves on (production traffic shifts), waited for to its end

Exit codes: 0 every resumed deployment completed (or paused again at the next approval), 1 one
failed, or nothing was paused, 2 bad input.
Docs: https://github.com/veezor/maestro/blob/main/docs/approval.md";

pub(crate) const ROLLBACK: &str = "\
Examples:
  maestro rollback --env-file maestro.env
      Every service back to the newest release that succeeded before the current one
  maestro rollback --to 12
      To release 12 (`maestro releases` lists them)
  maestro rollback --to 3f2a9c1 --run-release
      To the newest release of that commit, running its release process first

Exit codes: 0 every service runs the target's revisions (or it is the current release already),
1 a service failed, the target's image or revision is gone, 2 bad input (no such release: nothing
was changed).
Docs: https://github.com/veezor/maestro/blob/main/docs/rollback.md";

pub(crate) const RELEASES: &str = "\
Examples:
  maestro releases --branch staging            The last 20 releases, the current one marked *
  maestro releases --limit 100 --output json   Every release SSM keeps (the last 100), as JSON

Exit codes: 0 listed, 1 AWS could not be read, 2 bad input.
Records: https://github.com/veezor/maestro/blob/main/docs/releases.md";

pub(crate) const DESTROY: &str = "\
Examples:
  maestro destroy --branch pr-17
      List what the environment owns and would be deleted (reads only; exits 2)
  maestro destroy --branch pr-17 --confirm acme-shop-pr-17
      Delete it all, in dependency order; a second run deletes nothing
  maestro destroy --branch pr-17 --confirm acme-shop-pr-17 --keep-logs --keep-images

Exit codes: 0 destroyed (or nothing left), 1 a delete failed (run again to resume), 2 bad input
or not confirmed.
Ownership: https://github.com/veezor/maestro/blob/main/docs/destroy.md";

pub(crate) const PREVIEWS: &str = "\
Examples:
  maestro previews list --branch main
      Each preview with its pull request, URL, last commit, age and running tasks
  maestro previews prune --branch main --older-than 7d
      Destroy the previews of closed pull requests and those not deployed for 7 days

Run them with the pull requests' MAESTRO_PREVIEW_* variables (MAESTRO_PREVIEW_DOMAIN at least),
on the branch pull requests target: each preview is planned as a pull request into it.
Exit codes: 0 done, 1 a removal failed (the next prune resumes it), 2 bad input.
Previews: https://github.com/veezor/maestro/blob/main/docs/previews-commands.md";

pub(crate) const VERIFY: &str = "\
Examples:
  maestro verify --env-file maestro.env

Exit codes: 0 every check passed, 1 AWS could not be read, 2 a check failed (each names the
input and the fix).
Checks: https://github.com/veezor/maestro/blob/main/docs/verify.md";

pub(crate) const COMPLETIONS: &str = "\
Examples:
  maestro completions bash > ~/.local/share/bash-completion/completions/maestro
  maestro completions zsh > \"${fpath[1]}/_maestro\"
  maestro completions fish > ~/.config/fish/completions/maestro.fish
  maestro completions powershell >> $PROFILE";

pub(crate) const LOGS: &str = "\
Examples:
  maestro logs --env-file maestro.env
      The last 10 minutes of every process, interleaved by time
  maestro logs web worker --since 2h
      Two processes, from two hours ago
  maestro logs web --follow
      Keep printing new lines until Ctrl-C
  maestro logs --since 2026-11-30T09:00:00Z --output json | jq -r '.message'
      One JSON object per line: process, task, timestamp, message

Exit codes: 0 done (or interrupted while following), 1 AWS could not be read, 2 bad input.
Docs: https://github.com/veezor/maestro/blob/main/docs/logs.md";
