use super::*;
use crate::fixtures;
use crate::report::fixtures::context;

fn preview(url: Option<&str>) -> ReportedPreview {
    ReportedPreview { number: 12, url: url.map(str::to_owned), key: "acme-shop-api-pr-12".to_owned() }
}

fn pull_request_context() -> Context {
    let mut context = context(Some(12));
    context.environment = "pr-12".into();
    context.request.branch = Some("pr-12".into());
    context.request.branch_slug = Some("pr-12".into());
    context.preview = Some(preview(Some("https://pr-12.preview.shop.example.com")));
    context
}

const URL: &str = "https://pr-12.preview.shop.example.com";

#[test]
fn each_state_in_full() {
    let context = pull_request_context();
    let preview = context.preview.clone().unwrap();
    let run = "[The run's log](https://github.com/acme/shop-api/actions/runs/4242)";
    let footer = "<sub>maestro edits this comment on each deploy of the pull request.</sub>\n";
    let marker = "<!-- maestro:preview acme-shop-api-pr-12 -->";
    assert_eq!(
        body(&context, &preview, State::Deploying),
        format!(
            "{marker}\n⏳ **Preview `pr-12`** is deploying `ffeeddcc`; it will answer at {URL}\n\n{run}\n\n{footer}"
        )
    );
    assert_eq!(
        body(&context, &preview, State::Live),
        format!("{marker}\n✅ **Preview `pr-12`** is live at {URL}\n\nCommit `ffeeddcc` · {run}\n\n{footer}")
    );
    assert_eq!(
        body(&context, &preview, State::Failed(Some("1 of 2 services did not roll out"))),
        format!(
            "{marker}\n❌ **Preview `pr-12`** did not deploy `ffeeddcc`\n\nWhy: 1 of 2 services did not roll out · \
             What ran before, if anything, still answers at {URL} · {run}\n\n{footer}"
        )
    );
    assert_eq!(
        body(&context, &preview, State::Removed),
        format!(
            "{marker}\n**Preview `pr-12`** is removed: its AWS resources are deleted\n\n\
             The next deploy of this pull request brings it back · {run}\n\n{footer}"
        )
    );
}

#[test]
fn the_marker_finds_only_this_previews_comment() {
    let preview = preview(None);
    let ours = body(&pull_request_context(), &preview, State::Live);
    assert!(preview.is_comment(&ours));
    assert!(preview.is_comment(&ours.replace('\n', "\r\n")), "GitHub may give the body back with CRLF");
    let other = ReportedPreview { key: "acme-shop-api-pr-120".into(), ..preview.clone() };
    assert!(!other.is_comment(&ours));
    // The marker quoted inside someone's comment is not the comment.
    assert!(!preview.is_comment(&format!("> {}\nlooks broken", preview.marker())));
    // A key can never close the HTML comment early.
    let odd = ReportedPreview { key: "a-->b <x>".into(), ..preview };
    assert_eq!(odd.marker(), "<!-- maestro:preview a--bx -->");
}

#[test]
fn only_a_comment_maestro_could_have_written_is_taken() {
    let preview = preview(None);
    let body = body(&pull_request_context(), &preview, State::Live);
    let comment = |user_type: &str, association: &str| serde_json::json!({"id": 1, "body": body, "user": {"type": user_type}, "author_association": association});
    assert!(preview.is_ours(&comment("Bot", "NONE")), "the job's token or a GitHub App");
    for association in ["OWNER", "MEMBER", "COLLABORATOR"] {
        assert!(preview.is_ours(&comment("User", association)), "a personal token: {association}");
    }
    for association in ["NONE", "CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR", "FIRST_TIMER"] {
        assert!(!preview.is_ours(&comment("User", association)), "a stranger's copy of the marker: {association}");
    }
    let other = serde_json::json!({"id": 2, "body": "nice", "user": {"type": "Bot"}});
    assert!(!preview.is_ours(&other));
}

#[test]
fn text_from_outside_stays_text() {
    let mut context = pull_request_context();
    context.request.run_url = Some("https://ci.example.com/run (1)".into());
    let preview = context.preview.clone().unwrap();
    let text = body(&context, &preview, State::Failed(Some("exited: `rm -rf` <b>@octocat</b>\n# heading")));
    assert!(text.contains("Why: exited\\: \\`rm \\-rf\\` &lt;b&gt;&#64;octocat&lt;/b&gt; \\# heading"), "{text}");
    assert!(!text.contains("run (1)"), "a link that Markdown would cut is left out: {text}");
    assert_eq!(text.matches("-->").count(), 1, "only the marker closes a comment");
}

#[test]
fn without_a_url_or_a_run_the_comment_says_less() {
    let mut context = pull_request_context();
    context.request.run_url = None;
    let preview = preview(None);
    assert_eq!(
        body(&context, &preview, State::Deploying),
        "<!-- maestro:preview acme-shop-api-pr-12 -->\n⏳ **Preview `pr-12`** is deploying `ffeeddcc`\n\n\
         <sub>maestro edits this comment on each deploy of the pull request.</sub>\n"
    );
    assert!(body(&context, &preview, State::Failed(None)).contains("did not deploy `ffeeddcc`\n\n<sub>"));
}

#[test]
fn the_reported_preview_is_the_plans() {
    let settings = fixtures::deployable(&[
        ("MAESTRO_PREVIEWS", "true"),
        ("MAESTRO_PREVIEW_DOMAIN", "preview.shop.example.com"),
        ("MAESTRO_PREVIEW_CERTIFICATE_ARN", "arn:aws:acm:us-east-1:123456789012:certificate/wild"),
    ])
    .unwrap();
    let mut request = fixtures::staging(&[]);
    request.branch = Some("pr-12".to_owned());
    request.branch_slug = Some("pr-12".to_owned());
    request.pull_request = Some(12);
    request.base_branch = Some("main".to_owned());
    let reported = ReportedPreview::of(&request, &settings).unwrap();
    assert_eq!(reported.number, 12);
    assert_eq!(reported.url.as_deref(), Some("https://pr-12.preview.shop.example.com"));
    assert_eq!(reported.key, "acme-shop-api-pr-12");
    // The URL is where the plan's load balancer routes the preview: its host, over HTTPS.
    let desired = fixtures::desired(&request, &settings, &fixtures::app_with(fixtures::PROCFILE, &[])).unwrap();
    let balancer = desired.load_balancer.unwrap();
    assert!(balancer.certificate_arn.is_some());
    assert_eq!(reported.url, balancer.host.map(|host| format!("https://{host}")));
    // A branch's deploy has no preview.
    assert_eq!(ReportedPreview::of(&fixtures::staging(&[]), &settings), None);
}
