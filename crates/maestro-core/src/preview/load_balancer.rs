//! The load balancer an app's previews share: what it needs, and whether a live one is the
//! previews'. maestro creates it with its listeners when it is missing, before a preview's change
//! set is read, so that every preview afterwards only adds its host rule (as on any shared load
//! balancer). Its listeners answer 404 to a host no preview has: a request for a closed pull
//! request's preview never reaches another app.

use super::PREVIEWS_TAG_KEY;
use crate::plan::aws_values::ListenerProtocol;
use crate::plan::desired::LoadBalancer;
use crate::provision::diff::MARKER_TAG_KEY;
use crate::provision::ownership::ENVIRONMENT_TAG_KEY;
use crate::spec::tags::Tag;

/// What a listener of the previews' load balancer does with a request no rule takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// 404, with a line saying no preview answers at that host.
    NotFound,
    /// HTTP to HTTPS, permanently.
    RedirectToHttps,
}

/// The body of the 404 a listener answers for a host no preview has.
pub const NOT_FOUND_BODY: &str = "No preview answers at this address: its pull request may be closed.";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewListener {
    pub protocol: ListenerProtocol,
    pub port: u16,
    pub certificate_arn: Option<String>,
    pub fallback: Fallback,
}

/// The listeners the previews' load balancer needs: HTTPS on 443 with the certificate and HTTP on
/// 80 redirecting to it, or HTTP on 80 alone without a certificate.
pub fn listeners(balancer: &LoadBalancer) -> Vec<PreviewListener> {
    match &balancer.certificate_arn {
        Some(certificate) => vec![
            PreviewListener {
                protocol: ListenerProtocol::Https,
                port: 443,
                certificate_arn: Some(certificate.clone()),
                fallback: Fallback::NotFound,
            },
            PreviewListener {
                protocol: ListenerProtocol::Http,
                port: 80,
                certificate_arn: None,
                fallback: Fallback::RedirectToHttps,
            },
        ],
        None => vec![PreviewListener {
            protocol: ListenerProtocol::Http,
            port: 80,
            certificate_arn: None,
            fallback: Fallback::NotFound,
        }],
    }
}

/// Whose a live load balancer of the previews' name is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// This app's previews': maestro adds what is missing to it.
    Ours,
    /// Another app's previews', or an environment's: never used.
    Other(String),
    /// Nobody maestro knows (one the team made and named in MAESTRO_PREVIEW_ALB): used as any shared
    /// load balancer, its listeners left alone.
    Unmarked,
}

pub fn holder(app_slug: &str, live_tags: &[Tag]) -> Holder {
    let value = |key: &str| live_tags.iter().find(|tag| tag.key == key).map(|tag| tag.value.clone());
    if let Some(previews) = value(PREVIEWS_TAG_KEY) {
        return if previews == app_slug { Holder::Ours } else { Holder::Other(format!("the previews of {previews}")) };
    }
    match value(MARKER_TAG_KEY).or_else(|| value(ENVIRONMENT_TAG_KEY)) {
        Some(environment) => Holder::Other(format!("environment {environment}")),
        None => Holder::Unmarked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(key: &str, value: &str) -> Tag {
        Tag { key: key.to_owned(), value: value.to_owned() }
    }

    #[test]
    fn only_the_apps_previews_mark_makes_it_ours() {
        assert_eq!(holder("acme-shop", &[tag("maestro:previews", "acme-shop")]), Holder::Ours);
        assert!(matches!(holder("acme-shop", &[tag("maestro:previews", "acme-blog")]), Holder::Other(_)));
        assert!(matches!(holder("acme-shop", &[tag("maestro:app", "acme-shop-main")]), Holder::Other(_)));
        assert_eq!(holder("acme-shop", &[tag("team", "web")]), Holder::Unmarked);
    }

    #[test]
    fn the_previews_mark_is_never_an_environments() {
        let tags = super::super::shared_tags("acme-shop", &[tag("team", "web"), tag("maestro:app", "acme-shop-pr-1")]);
        assert_eq!(tags, [tag("maestro:previews", "acme-shop"), tag("team", "web")]);
    }
}
