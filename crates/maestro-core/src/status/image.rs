//! The image a revision runs, and what its reference tells: a digest (maestro pins images by
//! digest) or a tag, which is the commit when it looks like one (`<repository>:<short sha>`).

use crate::platform::CpuArchitecture;
use serde::Serialize;
use serde_json::{Map, Value};

/// An image reference taken apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageParts {
    /// The whole reference, as the task definition holds it.
    pub reference: String,
    /// `<registry>/<path>`, without tag or digest.
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
    /// The tag, when it is a commit's (7 to 40 hexadecimal digits).
    pub commit: Option<String>,
}

impl ImageParts {
    pub fn parse(reference: &str) -> Self {
        let (name, digest) = match reference.split_once('@') {
            Some((name, digest)) => (name, Some(digest.to_owned())),
            None => (reference, None),
        };
        // A tag follows the last `:` after the last `/` (a registry's port is before it).
        let last_slash = name.rfind('/').map_or(0, |slash| slash + 1);
        let (repository, tag) = match name[last_slash..].rfind(':') {
            Some(colon) => (&name[..last_slash + colon], Some(name[last_slash + colon + 1..].to_owned())),
            None => (name, None),
        };
        // An arm64 image's tag is the commit's with `-arm64` (`platform::CpuArchitecture::tag_suffix`).
        let commit = tag
            .as_deref()
            .map(|tag| tag.strip_suffix(CpuArchitecture::Arm64.tag_suffix()).unwrap_or(tag))
            .filter(|tag| (7..=40).contains(&tag.len()) && tag.chars().all(|c| c.is_ascii_hexdigit()))
            .map(str::to_owned);
        Self { reference: reference.to_owned(), repository: repository.to_owned(), tag, digest, commit }
    }

    /// As a line says it: the digest cut to 12 digits, the tag, the commit.
    pub fn short(&self) -> String {
        let mut parts = Vec::new();
        if let Some(digest) = &self.digest {
            let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
            parts.push(format!("sha256:{}", hex.chars().take(12).collect::<String>()));
        }
        match (&self.commit, &self.tag) {
            (Some(commit), _) => parts.push(format!("commit {commit}")),
            (None, Some(tag)) => parts.push(format!("tag {tag}")),
            (None, None) => {}
        }
        let name = self.repository.rsplit('/').next().unwrap_or_default();
        format!("{name} {}", parts.join(", ")).trim_end().to_owned()
    }
}

/// The image of `container` in a task definition as ECS describes it.
pub(super) fn of_container(definition: &Map<String, Value>, container: &str) -> Option<String> {
    definition
        .get("containerDefinitions")?
        .as_array()?
        .iter()
        .find(|candidate| candidate.get("name").and_then(Value::as_str) == Some(container))?
        .get("image")?
        .as_str()
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_reference_has_its_digest_and_no_commit() {
        let parts = ImageParts::parse("1.dkr.ecr.us-east-1.amazonaws.com/shop-staging@sha256:0123456789abcdef0123");
        assert_eq!(parts.repository, "1.dkr.ecr.us-east-1.amazonaws.com/shop-staging");
        assert_eq!((parts.tag, parts.commit), (None, None));
        assert_eq!(parts.digest.as_deref(), Some("sha256:0123456789abcdef0123"));
    }

    #[test]
    fn a_commit_tag_is_the_commit_and_a_port_is_no_tag() {
        let parts = ImageParts::parse("registry.local:5000/team/shop:3f2a9c1d");
        assert_eq!(parts.repository, "registry.local:5000/team/shop");
        assert_eq!(parts.commit.as_deref(), Some("3f2a9c1d"));
        assert_eq!(parts.short(), "shop commit 3f2a9c1d");
        let latest = ImageParts::parse("registry.local:5000/shop:latest");
        assert_eq!((latest.tag.as_deref(), latest.commit), (Some("latest"), None));
        let both = ImageParts::parse("r.io/shop:3f2a9c1d@sha256:abcdefabcdefabcdef");
        assert_eq!(both.short(), "shop sha256:abcdefabcdef, commit 3f2a9c1d");
        let arm = ImageParts::parse("r.io/shop:3f2a9c1d-arm64");
        assert_eq!((arm.tag.as_deref(), arm.commit.as_deref()), (Some("3f2a9c1d-arm64"), Some("3f2a9c1d")));
    }

    #[test]
    fn the_app_container_is_found_by_name() {
        let definition = serde_json::json!({"containerDefinitions": [
            {"name": "sidecar", "image": "envoy"}, {"name": "app", "image": "r.io/shop:abc1234"}
        ]});
        let definition = definition.as_object().unwrap();
        assert_eq!(of_container(definition, "app").as_deref(), Some("r.io/shop:abc1234"));
        assert_eq!(of_container(definition, "gone"), None);
    }
}
