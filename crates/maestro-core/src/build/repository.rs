//! Where the app's image lives: an ECR repository (the default, `<slug>-<branch>`), or any OCI
//! registry named by `MAESTRO_IMAGE_REPOSITORY` (GHCR, GitLab's registry, a private one).

use serde::{Serialize, Serializer};

use crate::input::Location;
use crate::input_error::InputError;

/// A repository in a registry, without tag: `ghcr.io/acme/shop`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageRepository {
    /// The registry's host, with its port if any (`127.0.0.1:5000`).
    pub host: String,
    /// The repository's path inside the registry (`acme/shop`).
    pub path: String,
}

/// How maestro talks to a registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryKind {
    /// Amazon ECR: the ECR API for lookups, logins and creating the repository.
    Ecr { account: String, region: String },
    /// Any other registry: the OCI distribution API.
    Oci,
}

impl RegistryKind {
    /// `ecr` or `oci`, as the plan's JSON names it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Ecr { .. } => "ecr",
            Self::Oci => "oci",
        }
    }
}

/// By name only: the account and region are the registry host's, which the plan shows beside it.
impl Serialize for RegistryKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl ImageRepository {
    /// `host/path`, the reference without tag.
    pub fn name(&self) -> String {
        format!("{}/{}", self.host, self.path)
    }

    /// `host/path:tag`.
    pub fn reference(&self, tag: &str) -> String {
        format!("{}/{}:{tag}", self.host, self.path)
    }

    /// `<host>/<path>@<digest>`: the image by its content, which no later push can move, as ECS
    /// takes it ("registry/repository@digest", ContainerDefinition `image`).
    pub fn pinned(&self, digest: &str) -> String {
        format!("{}/{}@{digest}", self.host, self.path)
    }

    /// ECR when the host is an ECR registry's (`<account>.dkr.ecr.<region>.amazonaws.com`).
    pub fn kind(&self) -> RegistryKind {
        let host = self.host.strip_suffix(".amazonaws.com.cn").or_else(|| self.host.strip_suffix(".amazonaws.com"));
        let parts: Vec<&str> = host.map(|host| host.split('.').collect()).unwrap_or_default();
        match parts.as_slice() {
            [account, "dkr", ecr, region]
                if account.len() == 12
                    && account.chars().all(|c| c.is_ascii_digit())
                    && (*ecr == "ecr" || *ecr == "ecr-fips")
                    && !region.is_empty() =>
            {
                RegistryKind::Ecr { account: (*account).to_owned(), region: (*region).to_owned() }
            }
            _ => RegistryKind::Oci,
        }
    }

    /// Registries on the loopback are spoken to over plain HTTP, as Docker does by default.
    pub fn scheme(&self) -> &'static str {
        let host = self.host.rsplit_once(':').filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()));
        let host = host.map_or(self.host.as_str(), |(host, _)| host);
        if host == "localhost" || host.starts_with("127.") || host == "[::1]" { "http" } else { "https" }
    }
}

/// Parses `MAESTRO_IMAGE_REPOSITORY`: `host[:port]/path`, no tag (maestro tags by commit).
pub fn parse(input: impl Into<Location>, text: &str) -> Result<ImageRepository, InputError> {
    let input = &input.into();
    let example = "name the repository without a tag, e.g. `ghcr.io/acme/shop` or `registry.gitlab.com/acme/shop`";
    let trimmed = text.trim();
    let offset = text.len() - text.trim_start().len();
    let error = |start: usize, end: usize, message: String| {
        InputError::at(input, text, offset + start..offset + end, message, example)
    };
    let Some((host, path)) = trimmed.split_once('/') else {
        return Err(error(0, trimmed.len(), "there is no registry host before the repository's path".into()));
    };
    // Docker's rule: the first component is a host when it has a dot or a port, or is localhost.
    if !(host.contains('.') || host.contains(':') || host == "localhost") {
        return Err(error(
            0,
            host.len(),
            format!("`{host}` is not a registry host (Docker Hub is not supported here)"),
        ));
    }
    if !host.chars().all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c)) {
        return Err(error(0, host.len(), format!("`{host}` is not a host name")));
    }
    let mut position = host.len() + 1;
    for component in path.split('/') {
        let end = position + component.len();
        if let Some(index) = component.find([':', '@']) {
            return Err(error(position + index, end, "the repository must not carry a tag or digest".into()));
        }
        if !is_path_component(component) {
            // An empty component (`a//b`) spans nothing: the caret still gets one column.
            return Err(error(
                position,
                end,
                format!(
                    "`{component}` is not a valid repository path component (lowercase letters, digits, and `.`, `_`, `-` between them)"
                ),
            ));
        }
        position = end + 1;
    }
    Ok(ImageRepository { host: host.to_owned(), path: path.to_owned() })
}

/// The distribution spec's `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`.
fn is_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alphanumeric = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.first().is_none_or(|b| !alphanumeric(b)) || bytes.last().is_none_or(|b| !alphanumeric(b)) {
        return false;
    }
    let mut separator = String::new();
    for &b in bytes {
        if alphanumeric(&b) {
            if !(separator.is_empty()
                || separator == "."
                || separator == "_"
                || separator == "__"
                || separator.chars().all(|c| c == '-'))
            {
                return false;
            }
            separator.clear();
        } else if b"._-".contains(&b) {
            separator.push(char::from(b));
        } else {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_paths_are_split_and_kinds_recognised() {
        let ghcr = parse("X", "ghcr.io/acme/shop").unwrap();
        assert_eq!((ghcr.host.as_str(), ghcr.path.as_str(), ghcr.kind()), ("ghcr.io", "acme/shop", RegistryKind::Oci));
        assert_eq!(ghcr.reference("abc12345"), "ghcr.io/acme/shop:abc12345");
        assert_eq!(ghcr.scheme(), "https");
        let local = parse("X", " 127.0.0.1:5000/acme/my_shop-2 ").unwrap();
        assert_eq!((local.host.as_str(), local.scheme()), ("127.0.0.1:5000", "http"));
        let ecr = parse("X", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-main").unwrap();
        assert_eq!(ecr.kind(), RegistryKind::Ecr { account: "123456789012".into(), region: "eu-west-1".into() });
        let not_ecr = parse("X", "12345.dkr.ecr.eu-west-1.amazonaws.com/shop").unwrap();
        assert_eq!(not_ecr.kind(), RegistryKind::Oci);
        assert_eq!(
            (serde_json::to_value(ecr.kind()).unwrap(), serde_json::to_value(ghcr.kind()).unwrap()),
            ("ecr".into(), "oci".into())
        );
    }

    #[test]
    fn errors_point_at_the_offending_part() {
        let rendered = |text: &str| parse("MAESTRO_IMAGE_REPOSITORY", text).unwrap_err().render();
        let tagged = rendered("ghcr.io/acme/shop:latest");
        assert!(tagged.contains("must not carry a tag") && tagged.contains("                 ^^^^^^^"), "{tagged}");
        assert!(rendered("acme/shop").contains("`acme` is not a registry host"));
        assert!(rendered("shop").contains("no registry host"));
        assert!(rendered("ghcr.io/Acme/shop").contains("`Acme` is not a valid repository path component"));
        assert!(rendered("ghcr.io/acme//shop").contains("not a valid repository path component"));
        assert!(rendered("ghcr.io/acme/shop-").contains("`shop-`"));
        assert!(rendered("ghcr.io/a..b").contains("`a..b`"));
        assert!(parse("X", "ghcr.io/a__b/c---d.e").is_ok());
    }

    /// The caret sits under the offending part, counted from the input's first character.
    #[test]
    fn the_caret_is_under_the_offending_component() {
        let rendered = |text: &str| parse("MAESTRO_IMAGE_REPOSITORY", text).unwrap_err().render();
        assert_eq!(
            rendered("ghcr.io/acme/shop:latest"),
            "error: MAESTRO_IMAGE_REPOSITORY, column 18: the repository must not carry a tag or digest\n\
             \x20 | ghcr.io/acme/shop:latest\n\
             \x20 |                  ^^^^^^^\n\
             hint: name the repository without a tag, e.g. `ghcr.io/acme/shop` or `registry.gitlab.com/acme/shop`\n"
        );
        let caret = |text: &str| {
            let error = parse("X", text).unwrap_err();
            (error.column.unwrap(), error.width)
        };
        assert_eq!(caret("ghcr.io/Acme/shop"), (9, 4));
        assert_eq!(caret("ghcr.io/acme/Shop/x"), (14, 4));
        assert_eq!(caret("ghcr.io/acme//shop"), (14, 1), "an empty component");
        assert_eq!(caret("ghcr.io/acme/"), (14, 1), "a trailing slash");
        assert_eq!(caret("  ghcr.io/a/b@sha256:ab"), (14, 10), "leading blanks are counted");
    }

    #[test]
    fn a_host_has_a_dot_or_a_port_or_is_localhost() {
        for (text, host) in [
            ("localhost/shop", "localhost"),
            ("localhost:5000/shop", "localhost:5000"),
            ("registry:5000/shop", "registry:5000"),
        ] {
            let repository = parse("X", text).unwrap();
            assert_eq!((repository.host.as_str(), repository.path.as_str()), (host, "shop"));
            assert_eq!(repository.name(), text);
        }
        assert_eq!(parse("X", "ghcr.io/acme/shop").unwrap().name(), "ghcr.io/acme/shop");
    }

    #[test]
    fn fips_and_china_ecr_hosts_are_ecr_and_look_alikes_are_not() {
        let kind = |host: &str| parse("X", &format!("{host}/shop")).unwrap().kind();
        let ecr = |region: &str| RegistryKind::Ecr { account: "123456789012".into(), region: region.into() };
        assert_eq!(kind("123456789012.dkr.ecr-fips.us-east-1.amazonaws.com"), ecr("us-east-1"));
        assert_eq!(kind("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn"), ecr("cn-north-1"));
        assert_eq!(kind("123456789012.dkr.ecr-public.us-east-1.amazonaws.com"), RegistryKind::Oci);
        assert_eq!(kind("123456789012.dkr.ecr.us-east-1.example.com"), RegistryKind::Oci);
        assert_eq!(kind("12345678901a.dkr.ecr.us-east-1.amazonaws.com"), RegistryKind::Oci);
    }
}
