//! The CI files users copy and the release workflow hold to the security review's L5, L6 and H3:
//! actions pinned by commit, provenance for what is released, TLS to the build's Docker daemon,
//! no step output spliced into a script, and production deployed only from main in a protected
//! environment.

use crate::support::repository_root;

fn read(path: &str) -> String {
    std::fs::read_to_string(repository_root().join(path)).unwrap()
}

/// Every `uses:` of `text` (a workflow) and the reference after its `@`.
fn uses(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| line.trim_start().trim_start_matches("- ").strip_prefix("uses:"))
        .map(|rest| {
            let action = rest.split('#').next().unwrap().trim();
            let (name, reference) = action.split_once('@').unwrap_or((action, ""));
            (name.to_owned(), reference.to_owned())
        })
        .collect()
}

fn is_commit(reference: &str) -> bool {
    reference.len() == 40 && reference.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
}

/// The scripts of `text`'s `run:` steps, each with its continuation lines.
fn scripts(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut scripts = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let step = line.trim_start().trim_start_matches("- ");
        if let Some(script) = step.strip_prefix("run:") {
            let mut text = script.to_owned();
            let more = lines[at + 1..].iter().take_while(|next| next.trim().is_empty() || indent(next) > indent(line));
            more.for_each(|next| text.push_str(next));
            scripts.push(text);
        }
    }
    scripts
}

/// The text of each job under `jobs:` (a line indented by two spaces opens the next).
fn jobs(text: &str) -> Vec<String> {
    let after = text.split("\njobs:\n").nth(1).expect("a workflow with jobs");
    let mut jobs: Vec<String> = Vec::new();
    for line in after.lines() {
        let opens = line.starts_with("  ") && !line.starts_with("   ") && !line.trim_start().starts_with('#');
        match jobs.last_mut() {
            Some(job) if !opens => job.push_str(&format!("{line}\n")),
            _ => jobs.push(format!("{line}\n")),
        }
    }
    jobs
}

#[test]
fn the_workflows_pin_every_action_by_commit() {
    let mut files = vec!["ci/github/deploy.yml".to_owned()];
    for entry in std::fs::read_dir(repository_root().join(".github/workflows")).unwrap() {
        files.push(format!(".github/workflows/{}", entry.unwrap().file_name().to_string_lossy()));
    }
    for file in files {
        let text = read(&file);
        let all = uses(&text);
        assert!(!all.is_empty(), "{file} uses no action?");
        for (name, reference) in all {
            // The template's own action: docs/ci.md and its header tell users to pin it.
            if file == "ci/github/deploy.yml" && name == "veezor/maestro" {
                continue;
            }
            assert!(is_commit(&reference), "{file}: {name}@{reference} is not pinned by a full commit SHA");
        }
    }
}

#[test]
fn the_release_attests_its_binaries_checksums_and_image() {
    let release = read(".github/workflows/release.yml");
    let attestations: Vec<&str> = release.split("actions/attest-build-provenance@").skip(1).collect();
    assert_eq!(attestations.len(), 2, "one attestation for the files, one for the image");
    let files = attestations.iter().find(|step| step.contains("subject-path:")).expect("the files' attestation");
    assert!(files.contains("maestro-*.tar.gz") && files.contains("SHA256SUMS"), "{files}");
    let image = attestations.iter().find(|step| step.contains("subject-digest:")).expect("the image's attestation");
    assert!(image.contains("steps.push.outputs.digest") && image.contains("push-to-registry: true"), "{image}");
    // Each attesting job may sign (id-token) and store (attestations) them.
    let attesting: Vec<String> =
        jobs(&release).into_iter().filter(|job| job.contains("attest-build-provenance@")).collect();
    assert_eq!(attesting.len(), 2, "the image job and the release job attest");
    for job in attesting {
        assert!(job.contains("id-token: write") && job.contains("attestations: write"), "{job}");
    }
}

#[test]
fn the_github_template_deploys_production_from_main_in_its_environment_only() {
    let deploy = read("ci/github/deploy.yml");
    let jobs: Vec<String> = jobs(&deploy).into_iter().filter(|job| job.contains("role-to-assume:")).collect();
    assert_eq!(jobs.len(), 5, "production, deploy, preview, preview-destroy and previews-prune");
    let production: Vec<&String> = jobs.iter().filter(|job| job.contains("environment: production")).collect();
    assert_eq!(production.len(), 1, "one job deploys production, in the environment `production`");
    assert!(production[0].contains("github.ref == 'refs/heads/main'"), "{}", production[0]);
    let role = |job: &str| job.split("role-to-assume:").nth(1).unwrap().lines().next().unwrap().trim().to_owned();
    let production_role = role(production[0]);
    for other in jobs.iter().filter(|job| !job.contains("environment: production")) {
        assert_ne!(role(other), production_role, "a branch or pull request job assumes the production role");
        assert!(!other.contains("github.ref == 'refs/heads/main'"), "{other}");
    }
    for script in scripts(&deploy) {
        assert!(!script.contains("${{"), "an expression spliced into a script (pass it through env:): {script}");
    }
}

#[test]
fn the_github_template_previews_pull_requests_from_the_repository_and_removes_them() {
    let deploy = read("ci/github/deploy.yml");
    for permission in
        ["pull-requests: write", "deployments: write", "statuses: write", "id-token: write", "contents: read"]
    {
        assert!(deploy.contains(&format!("\n  {permission}")), "the workflow lacks {permission}");
    }
    assert!(deploy.contains("types: [opened, synchronize, reopened, closed]") && deploy.contains("schedule:"));
    let jobs = jobs(&deploy);
    let job = |name: &str| jobs.iter().find(|job| job.starts_with(&format!("  {name}:"))).unwrap().clone();
    let (preview, destroy, prune) = (job("preview"), job("preview-destroy"), job("previews-prune"));
    for job in [&preview, &destroy] {
        assert!(job.contains("github.event.pull_request.head.repo.full_name == github.repository"), "forks: {job}");
        assert!(job.contains("previews: true") && job.contains("preview-domain:"), "{job}");
    }
    assert!(preview.contains("github.event.action != 'closed'") && !preview.contains("command:"), "{preview}");
    assert!(destroy.contains("github.event.action == 'closed'") && destroy.contains("command: destroy"), "{destroy}");
    assert!(prune.contains("github.event_name == 'schedule'") && prune.contains("command: previews-prune"), "{prune}");
    // A scheduled run is on main: the review role admits it through its own environment only.
    assert!(prune.contains("environment: previews"), "{prune}");
    // Every other job stays off pull requests: each pull request is the preview's.
    for other in jobs.iter().filter(|job| job.contains("role-to-assume:")) {
        if ![&preview, &destroy].contains(&other) {
            assert!(!other.contains("github.event_name == 'pull_request'"), "{other}");
        }
    }
}

#[test]
fn the_gitlab_template_has_the_review_app_jobs() {
    let template = read("templates/maestro.yml");
    let job = |name: &str| {
        let start = template.find(&format!("\n{name}:\n")).unwrap_or_else(|| panic!("no job {name}"));
        let rest = &template[start + 1..];
        let end = rest[1..].find("\n\n").map_or(rest.len(), |end| end + 1);
        rest[..end].to_owned()
    };
    let (preview, stop) = (job("maestro-preview"), job("maestro-preview-stop"));
    for line in [
        "MAESTRO_PREVIEWS: \"true\"",
        "name: pr-$CI_MERGE_REQUEST_IID",
        "url: $MAESTRO_ENVIRONMENT_URL",
        "on_stop: maestro-preview-stop",
        "auto_stop_in: $[[ inputs.preview-auto-stop-in ]]",
        "if: $MAESTRO_PREVIEW_DOMAIN && $CI_PIPELINE_SOURCE == \"merge_request_event\"",
    ] {
        assert!(preview.contains(line), "maestro-preview lacks {line}: {preview}");
    }
    for line in [
        "MAESTRO_PREVIEWS: \"true\"",
        "maestro destroy --app",
        "name: pr-$CI_MERGE_REQUEST_IID",
        "action: stop",
        "when: manual",
    ] {
        assert!(stop.contains(line), "maestro-preview-stop lacks {line}: {stop}");
    }
    // The dotenv report carries the URL the review app links to.
    assert!(template.contains("dotenv: maestro-deploy.env"));
    // A branch's review app stops by itself; the default branch's environment stays.
    let (deploy, review) = (job("maestro-deploy"), job("maestro-review"));
    assert!(deploy.contains("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH") && !deploy.contains("auto_stop_in"), "{deploy}");
    for line in
        ["name: review/$CI_COMMIT_REF_SLUG", "on_stop: maestro-stop", "auto_stop_in: $[[ inputs.review-auto-stop-in ]]"]
    {
        assert!(review.contains(line), "maestro-review lacks {line}: {review}");
    }
    // A deploy paused for approval is resolved by hand, after the deploy job, in its environment.
    let resolve = job(".maestro-resolve");
    for line in ["job: maestro-deploy", "job: maestro-review", "optional: true", "when: manual", "&& $MAESTRO_APPROVAL"]
    {
        assert!(resolve.contains(line), ".maestro-resolve lacks {line}: {resolve}");
    }
    for line in ["MAESTRO_ENVIRONMENT: $CI_COMMIT_REF_SLUG", "MAESTRO_ENVIRONMENT: review/$CI_COMMIT_REF_SLUG"] {
        assert!(resolve.contains(line), ".maestro-resolve lacks {line}: {resolve}");
    }
    for (name, command) in [("maestro-continue", "maestro continue --app"), ("maestro-abort", "maestro abort --app")] {
        let resolve = job(name);
        assert!(resolve.contains(command) && resolve.contains("extends: .maestro-resolve"), "{name}: {resolve}");
    }
    // One job per environment at a time: every job extends `.maestro`, which holds the group.
    assert!(job(".maestro").contains("resource_group: $CI_ENVIRONMENT_NAME"), "{}", job(".maestro"));
}

#[test]
fn the_gitlab_template_reaches_docker_over_tls() {
    let template = read("templates/maestro.yml");
    for setting in [
        "DOCKER_HOST: tcp://docker:2376",
        "DOCKER_TLS_CERTDIR: \"/certs\"",
        "DOCKER_TLS_VERIFY: \"1\"",
        "DOCKER_CERT_PATH: \"/certs/client\"",
    ] {
        assert!(template.contains(setting), "the template lacks {setting}");
    }
    assert!(!template.contains(":2375") && !template.contains("DOCKER_TLS_CERTDIR: \"\""), "plain TCP to dind");
    let docs = read("docs/ci.md");
    assert!(docs.contains("integrity:") && docs.contains("@sha256:"), "docs/ci.md says to pin the include and image");
}

#[test]
fn the_helpers_see_what_they_should() {
    let text = "steps:\n  - uses: a/b@v1\n  - uses: c/d@0123456789abcdef0123456789abcdef01234567  # v2\n  - run: |\n      echo ${{ x }}\n  - run: echo y\n";
    assert_eq!(uses(text)[0], ("a/b".to_owned(), "v1".to_owned()));
    assert!(!is_commit(&uses(text)[0].1) && is_commit(&uses(text)[1].1));
    let found = scripts(text);
    assert_eq!(found.len(), 2);
    assert!(found[0].contains("${{ x }}") && !found[1].contains("${{"));
}

/// The release refuses a tag that is not the crate's version, before it builds anything.
#[test]
fn the_release_refuses_a_tag_that_is_not_the_crates_version() {
    let check = |tag: &str| {
        std::process::Command::new("bash")
            .arg(repository_root().join("scripts/release-tag-check.sh"))
            .arg(tag)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .output()
            .unwrap()
    };
    let manifest = read("Cargo.toml");
    let version = manifest.lines().find_map(|line| line.strip_prefix("version = ")).unwrap().trim_matches('"');
    assert!(check(&format!("v{version}")).status.success());
    for wrong in [format!("v{version}.1"), version.to_owned(), "v0.0.0-rc.1".to_owned()] {
        let refused = check(&wrong);
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(1), "{wrong}: {stderr}");
        assert!(stderr.contains(&format!("tag {wrong} is not the crate's version v{version}")), "{stderr}");
    }
    let release = read(".github/workflows/release.yml");
    let first = scripts(&release).into_iter().next().unwrap();
    assert!(first.contains("scripts/release-tag-check.sh \"$GITHUB_REF_NAME\""), "the first step: {first}");
}

/// The CodeBuild/GitLab image carries `aws` (v2) and `jq` again: buildspec and job lines written
/// for the bash maestro's image call them. No Docker engine runs here, so the image's build
/// checks them itself (its last RUN fails without them); this reads that the check is there.
#[test]
fn the_image_carries_the_aws_cli_v2_and_jq() {
    let dockerfile = read("Dockerfile");
    let runtime = dockerfile.rsplit_once("FROM docker:").expect("the runtime stage").1;
    let packages = runtime.lines().find(|line| line.starts_with("RUN apk add")).unwrap();
    for package in ["aws-cli", "jq", "git", "bash"] {
        assert!(packages.split_whitespace().any(|word| word == package), "{package} missing: {packages}");
    }
    assert!(runtime.contains("jq --version") && runtime.contains("aws --version | grep -q '^aws-cli/2\\.'"));
}
