//! The deploy's summary in GitHub-flavoured Markdown: the job summary and the check run.

use std::fmt::Write;

use super::{AwaitingApproval, Context, Finished, Supersession};
use crate::build::ImageSource;

pub fn markdown(context: &Context, finished: &Finished) -> String {
    let request = &context.request;
    let mut out = String::new();
    let _ = if finished.succeeded {
        writeln!(out, "## ✅ maestro deployed {} to {}\n", request.repository, context.environment)
    } else {
        writeln!(out, "## ❌ maestro could not deploy {} to {}\n", request.repository, context.environment)
    };
    if let Some(failure) = &finished.failure {
        let _ = writeln!(out, "**{}**\n", cell(failure));
    }
    let mut commit = format!("`{}`", request.short_sha);
    // A pull request's commit is on its head branch; `branch` is its environment (`pr-<n>`).
    if let Some(branch) = request.head_branch.as_ref().or(request.branch.as_ref()) {
        let _ = write!(commit, " on `{}`", cell(branch));
    }
    if let Some(number) = request.pull_request {
        let _ = write!(commit, ", pull request #{number}");
    }
    let _ = writeln!(out, "| | |\n|---|---|\n| Commit | {commit} |");
    if let Some(image) = &finished.image {
        let how = match image.source {
            ImageSource::Built => "built by this run",
            ImageSource::Existing => "already built",
        };
        let _ = writeln!(out, "| Image | `{}` ({how}) |", cell(&image.uri));
    }
    if let Some(url) = &finished.url {
        let _ = writeln!(out, "| URL | {} |", cell(url));
    }
    let _ = writeln!(out, "| AWS changes | {} |\n| Time | {} s |", finished.changes, finished.seconds);
    if !finished.services.is_empty() {
        let _ = writeln!(out, "\n| Process | Service | Revision | State | Time | URL |\n|---|---|---|---|---|---|");
        for service in &finished.services {
            let revision = service.task_definition.rsplit('/').next().unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} s | {} |",
                cell(&service.process),
                cell(&service.service),
                cell(revision),
                service.state,
                service.seconds,
                cell(service.url.as_deref().unwrap_or_default())
            );
        }
    }
    let reasons: Vec<String> = finished
        .services
        .iter()
        .filter_map(|service| {
            service.reason.as_ref().map(|reason| format!("- `{}`: {}", cell(&service.service), cell(reason)))
        })
        .collect();
    if !reasons.is_empty() {
        let _ = writeln!(out, "\n{}", reasons.join("\n"));
    }
    if let Some(run_url) = &request.run_url {
        let _ = writeln!(out, "\n[The run's log]({run_url})");
    }
    out
}

/// The summary of a deploy superseded while it waited for the lease: nothing was deployed, and
/// the newer run deploys instead.
pub fn superseded(context: &Context, by: &Supersession) -> String {
    let request = &context.request;
    let mut out = format!(
        "## ⏭️ maestro did not deploy {} to {}

",
        request.repository, context.environment
    );
    let _ = writeln!(
        out,
        "**{}**: a newer deploy of the branch queued while this one waited for the deploy lease; it deploys instead.
",
        cell(&by.line())
    );
    let mut commit = format!("`{}`", request.short_sha);
    if let Some(branch) = request.head_branch.as_ref().or(request.branch.as_ref()) {
        let _ = write!(commit, " on `{}`", cell(branch));
    }
    let _ = writeln!(out, "| | |\n|---|---|\n| Commit | {commit} (not deployed) |");
    if let Some(run_url) = &request.run_url {
        let _ = writeln!(out, "\n[The run's log]({run_url})");
    }
    out
}

/// The summary of a deploy ECS paused at its approval hook (the job summary and the check run):
/// where each service waits, where to test the new revision, and how to end the deploy.
pub fn awaiting_approval(context: &Context, awaiting: &AwaitingApproval) -> String {
    let request = &context.request;
    let mut out =
        format!("## ⏸️ maestro is awaiting approval to deploy {} to {}\n\n", request.repository, context.environment);
    let _ = writeln!(out, "**{}**\n", cell(&awaiting.line()));
    let mut commit = format!("`{}`", request.short_sha);
    if let Some(branch) = request.head_branch.as_ref().or(request.branch.as_ref()) {
        let _ = write!(commit, " on `{}`", cell(branch));
    }
    let _ = writeln!(out, "| | |\n|---|---|\n| Commit | {commit} |");
    if let Some(url) = &awaiting.test_url {
        let _ = writeln!(out, "| Test URL | {} |", cell(url));
    }
    if !awaiting.services.is_empty() {
        let _ = writeln!(out, "\n| Process | Service | Paused | If nobody decides |\n|---|---|---|---|");
        for paused in &awaiting.services {
            let deadline = match &paused.expires_at {
                Some(at) => format!("{} at {}", paused.timeout_action.as_str(), cell(at)),
                None => paused.timeout_action.as_str().to_owned(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} (`{}`) | {deadline} |",
                cell(&paused.process),
                cell(&paused.service),
                crate::rollout::approval::stage_words(&paused.stage),
                cell(&paused.stage),
            );
        }
    }
    let _ = writeln!(
        out,
        "\nTo end the deploy:\n\n\
         - `maestro continue` (the action's `command: continue`, GitLab's manual job `maestro-continue`): \
         ECS resumes the deployment, and the run waits for it to end.\n\
         - `maestro abort` (`command: abort`, `maestro-abort`): the new revision is rolled back."
    );
    if let Some(run_url) = &request.run_url {
        let _ = writeln!(out, "\n[The run's log]({run_url})");
    }
    out
}

/// Text from AWS or the user inside a table cell: no line breaks, no column separators.
fn cell(text: &str) -> String {
    text.replace(['\n', '\r'], " ").replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{context, finished};

    #[test]
    fn a_successful_deploy() {
        let text = markdown(&context(Some(18)), &finished(true));
        assert!(text.starts_with("## ✅ maestro deployed acme/shop-api to staging\n"), "{text}");
        assert!(text.contains("| Commit | `ffeeddcc` on `staging`, pull request #18 |"), "{text}");
        assert!(text.contains("| web | acme-shop-api-staging-web | acme-shop-api-staging-web:7 | deployed | 42 s | https://staging.shop.example.com |"), "{text}");
        assert!(text.contains("| URL | https://staging.shop.example.com |"));
    }

    #[test]
    fn a_successful_deploy_whole() {
        let expected = [
            "## ✅ maestro deployed acme/shop-api to staging",
            "",
            "| | |",
            "|---|---|",
            "| Commit | `ffeeddcc` on `staging` |",
            "| Image | `123456789012.dkr.ecr.us-east-1.amazonaws.com/acme-shop-api-staging:ffeeddcc` (built by this run) |",
            "| URL | https://staging.shop.example.com |",
            "| AWS changes | 4 |",
            "| Time | 95 s |",
            "",
            "| Process | Service | Revision | State | Time | URL |",
            "|---|---|---|---|---|---|",
            "| web | acme-shop-api-staging-web | acme-shop-api-staging-web:7 | deployed | 42 s | https://staging.shop.example.com |",
            "| worker | acme-shop-api-staging-worker | acme-shop-api-staging-worker:7 | deployed | 42 s |  |",
            "",
            "[The run's log](https://github.com/acme/shop-api/actions/runs/4242)",
        ];
        assert_eq!(markdown(&context(None), &finished(true)), expected.map(|line| format!("{line}\n")).concat());
    }

    #[test]
    fn a_bare_failed_deploy_whole() {
        let mut context = context(None);
        (context.request.branch, context.request.run_url) = (None, None);
        let mut failed = finished(false);
        failed.image.as_mut().unwrap().source = ImageSource::Existing;
        (failed.url, failed.services) = (None, Vec::new());
        let expected = [
            "## ❌ maestro could not deploy acme/shop-api to staging",
            "",
            "**1 of 2 services did not roll out**",
            "",
            "| | |",
            "|---|---|",
            "| Commit | `ffeeddcc` |",
            "| Image | `123456789012.dkr.ecr.us-east-1.amazonaws.com/acme-shop-api-staging:ffeeddcc` (already built) |",
            "| AWS changes | 4 |",
            "| Time | 95 s |",
        ];
        assert_eq!(markdown(&context, &failed), expected.map(|line| format!("{line}\n")).concat());
    }

    #[test]
    fn a_superseded_deploy_whole() {
        let by = Supersession {
            sha: "b".repeat(40),
            run_url: Some("https://github.com/acme/shop-api/actions/runs/4243".into()),
        };
        let expected = [
            "## ⏭️ maestro did not deploy acme/shop-api to staging",
            "",
            "**superseded by bbbbbbbb (run https://github.com/acme/shop-api/actions/runs/4243)**: a newer deploy of the branch queued while this one waited for the deploy lease; it deploys instead.",
            "",
            "| | |",
            "|---|---|",
            "| Commit | `ffeeddcc` on `staging` (not deployed) |",
            "",
            "[The run's log](https://github.com/acme/shop-api/actions/runs/4242)",
        ];
        assert_eq!(superseded(&context(None), &by), expected.map(|line| format!("{line}\n")).concat());
    }

    #[test]
    fn a_paused_deploy_names_its_test_url_and_the_commands() {
        let text = awaiting_approval(&context(None), &crate::rollout::approval::fixtures::awaiting());
        assert!(text.starts_with("## ⏸️ maestro is awaiting approval to deploy acme/shop-api to staging\n"), "{text}");
        assert!(text.contains("| Test URL | https://staging.shop.example.com:8443 |"), "{text}");
        assert!(text.contains("| web | acme-shop-api-staging-web | before production traffic (`PRE_PRODUCTION_TRAFFIC_SHIFT`) | ROLLBACK at 2026-12-03T05:00:00Z |"), "{text}");
        assert!(text.contains("`maestro continue`") && text.contains("`maestro abort`"), "{text}");
    }

    #[test]
    fn cells_keep_the_table_whole() {
        assert_eq!(cell("a|b\r\nc"), "a\\|b  c");
    }

    #[test]
    fn a_failed_deploy_says_why_without_breaking_the_table() {
        let mut failed = finished(false);
        failed.services[1].reason = Some("task stopped | exit 1\nOOM".into());
        let text = markdown(&context(None), &failed);
        assert!(text.starts_with("## ❌ maestro could not deploy"));
        assert!(text.contains("**1 of 2 services did not roll out**"));
        assert!(text.contains("- `acme-shop-api-staging-worker`: task stopped \\| exit 1 OOM"), "{text}");
    }
}
