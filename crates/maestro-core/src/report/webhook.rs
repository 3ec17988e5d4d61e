//! `DEPLOY_WEBHOOK_URL`: the original's placeholders, each value URL-encoded, every occurrence
//! replaced (the original replaced only the first, and stopped filling `{{SERVICE}}`).

use super::{AwaitingApproval, Context, Finished};
use crate::rollout::ServiceState;
use crate::rollout::approval::STATUS;
use crate::text::percent::encode;

/// The URLs to call (`GET`): one per deployed service when the URL names `{{SERVICE}}`, else one.
pub fn urls(template: &str, context: &Context, finished: &Finished, repository_link: &str) -> Vec<String> {
    let deployed: Vec<&str> = finished
        .services
        .iter()
        .filter(|service| service.state != ServiceState::Unchanged)
        .map(|service| service.service.as_str())
        .collect();
    let outcome = Outcome { status: finished.status(), url: finished.url.as_deref(), services: &deployed };
    fill(template, context, repository_link, &outcome)
}

/// A deploy ECS paused at its approval hook: `{{STATUS}}` is `awaiting-approval`, `{{URL}}` the
/// test URL (where the new revision answers; production still reaches the live one), and
/// `{{SERVICE}}` each paused service. Later, `maestro continue` or `maestro abort` calls the
/// webhook again with the deploy's end.
pub fn urls_awaiting(
    template: &str,
    context: &Context,
    awaiting: &AwaitingApproval,
    repository_link: &str,
) -> Vec<String> {
    let paused: Vec<&str> = awaiting.services.iter().map(|paused| paused.service.as_str()).collect();
    let outcome = Outcome { status: STATUS, url: awaiting.test_url.as_deref(), services: &paused };
    fill(template, context, repository_link, &outcome)
}

/// What the placeholders that differ between events say.
struct Outcome<'a> {
    status: &'a str,
    url: Option<&'a str>,
    /// The services `{{SERVICE}}` is called once for.
    services: &'a [&'a str],
}

fn fill(template: &str, context: &Context, repository_link: &str, outcome: &Outcome<'_>) -> Vec<String> {
    let request = &context.request;
    let region = request.region.as_deref().unwrap_or_default();
    let cluster_link =
        format!("https://{region}.console.aws.amazon.com/ecs/v2/clusters/{}/services?region={region}", context.cluster);
    let common = [
        ("{{CLUSTER}}", context.cluster.clone()),
        ("{{REPOSITORY}}", request.slug.clone()),
        ("{{REPO_LINK}}", repository_link.to_owned()),
        ("{{BUILD_LINK}}", request.run_url.clone().unwrap_or_default()),
        ("{{CLUSTER_LINK}}", cluster_link),
        ("{{BRANCH}}", request.branch.clone().unwrap_or_default()),
        ("{{SHA}}", request.sha.to_string()),
        ("{{STATUS}}", outcome.status.to_owned()),
        ("{{URL}}", outcome.url.unwrap_or_default().to_owned()),
    ];
    let filled =
        common.iter().fold(template.to_owned(), |url, (placeholder, value)| url.replace(placeholder, &encode(value)));
    if !filled.contains("{{SERVICE}}") {
        return vec![filled];
    }
    outcome.services.iter().map(|service| filled.replace("{{SERVICE}}", &encode(service))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{context, finished};

    #[test]
    fn every_placeholder_is_filled_and_encoded() {
        let template = "https://hooks.example.com/d?c={{CLUSTER}}&r={{REPOSITORY}}&l={{REPO_LINK}}&b={{BUILD_LINK}}&k={{CLUSTER_LINK}}&again={{CLUSTER}}&s={{STATUS}}";
        let urls = urls(template, &context(None), &finished(true), "https://github.com/acme/shop-api");
        assert_eq!(
            urls,
            [
                "https://hooks.example.com/d?c=acme-shop-api-staging&r=acme-shop-api&l=https%3A%2F%2Fgithub.com%2Facme%2Fshop-api&b=https%3A%2F%2Fgithub.com%2Facme%2Fshop-api%2Factions%2Fruns%2F4242&k=https%3A%2F%2Fus-east-1.console.aws.amazon.com%2Fecs%2Fv2%2Fclusters%2Facme-shop-api-staging%2Fservices%3Fregion%3Dus-east-1&again=acme-shop-api-staging&s=success"
            ]
        );
    }

    #[test]
    fn the_commit_and_outcome_placeholders() {
        let template = "https://h/?b={{BRANCH}}&sha={{SHA}}&s={{STATUS}}&u={{URL}}";
        let mut failed = finished(false);
        assert_eq!(
            urls(template, &context(None), &failed, ""),
            [
                "https://h/?b=staging&sha=ffeeddccbbaa00998877665544332211ffeeddcc&s=failure&u=https%3A%2F%2Fstaging.shop.example.com"
            ]
        );
        failed.url = None;
        let mut context = context(None);
        (context.request.branch, context.request.run_url) = (None, None);
        assert_eq!(
            urls("https://h/?b={{BRANCH}}&u={{URL}}&l={{BUILD_LINK}}", &context, &failed, ""),
            ["https://h/?b=&u=&l="]
        );
    }

    #[test]
    fn a_paused_deploy_calls_with_its_state_test_url_and_paused_services() {
        let mut awaiting = crate::rollout::approval::fixtures::awaiting();
        awaiting.services.push(crate::rollout::approval::fixtures::paused("api", "PRE_PRODUCTION_TRAFFIC_SHIFT"));
        let urls = urls_awaiting("https://h/{{SERVICE}}?s={{STATUS}}&u={{URL}}", &context(None), &awaiting, "");
        assert_eq!(
            urls,
            [
                "https://h/acme-shop-api-staging-web?s=awaiting-approval&u=https%3A%2F%2Fstaging.shop.example.com%3A8443",
                "https://h/acme-shop-api-staging-api?s=awaiting-approval&u=https%3A%2F%2Fstaging.shop.example.com%3A8443"
            ]
        );
        assert_eq!(
            urls_awaiting("https://h/?s={{STATUS}}", &context(None), &awaiting, ""),
            ["https://h/?s=awaiting-approval"]
        );
    }

    #[test]
    fn service_gets_one_call_per_deployed_service() {
        let mut done = finished(true);
        done.services[1].state = ServiceState::Unchanged;
        let urls = urls("https://h/x/{{SERVICE}}?c={{CLUSTER}}", &context(None), &done, "");
        assert_eq!(urls, ["https://h/x/acme-shop-api-staging-web?c=acme-shop-api-staging"]);
    }
}
