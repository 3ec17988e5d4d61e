//! Which platforms an image offers (`linux/amd64`, `linux/arm64`), read from its manifest: an
//! image index lists one manifest per platform; a single manifest's platform is in its config
//! blob (`os`, `architecture`). What the task's architecture needs of them is judged elsewhere.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

/// One platform, as the OCI image spec names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Platform {
    pub os: String,
    /// `amd64`, `arm64`, … (GOARCH's words).
    pub architecture: String,
    pub variant: Option<String>,
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        match &self.variant {
            Some(variant) => write!(f, "/{variant}"),
            None => Ok(()),
        }
    }
}

/// What maestro could learn of an image's platforms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "platforms")]
pub enum ImagePlatforms {
    Known(Vec<Platform>),
    /// The registry did not say (no config blob served, a manifest maestro cannot read).
    Unknown,
}

impl fmt::Display for ImagePlatforms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Known(platforms) => {
                let names: Vec<String> = platforms.iter().map(ToString::to_string).collect();
                f.write_str(&names.join(", "))
            }
            Self::Unknown => f.write_str("unknown platforms"),
        }
    }
}

/// A manifest, read for its platforms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Manifest {
    /// An image index (or Docker manifest list): its platforms.
    Index(Vec<Platform>),
    /// A single image: its platform is in the config blob of this digest.
    Image {
        config_digest: String,
    },
    Unreadable,
}

/// Reads a manifest by its shape (an index has `manifests`, an image a `config`), whatever media
/// type the registry labelled it with. BuildKit's attestation manifests (`unknown/unknown`) are
/// no platform.
pub fn read_manifest(body: &[u8]) -> Manifest {
    let Ok(manifest) = serde_json::from_slice::<Value>(body) else { return Manifest::Unreadable };
    if let Some(entries) = manifest.get("manifests").and_then(Value::as_array) {
        let platforms = entries
            .iter()
            .filter_map(|entry| platform(entry.get("platform")?))
            .filter(|platform| platform.os != "unknown" && platform.architecture != "unknown")
            .collect();
        return Manifest::Index(platforms);
    }
    match manifest.get("config").and_then(|config| config.get("digest")).and_then(Value::as_str) {
        Some(digest) => Manifest::Image { config_digest: digest.to_owned() },
        None => Manifest::Unreadable,
    }
}

/// A config blob's platform.
pub fn read_config(body: &[u8]) -> Option<Platform> {
    platform(&serde_json::from_slice::<Value>(body).ok()?)
}

fn platform(value: &Value) -> Option<Platform> {
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    Some(Platform { os: text("os")?, architecture: text("architecture")?, variant: text("variant") })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn bytes(value: Value) -> Vec<u8> {
        value.to_string().into_bytes()
    }

    #[test]
    fn an_index_lists_its_platforms_but_not_its_attestations() {
        let index = json!({
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [
                {"digest": "sha256:a", "platform": {"os": "linux", "architecture": "amd64"}},
                {"digest": "sha256:b", "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
                {"digest": "sha256:c", "platform": {"os": "unknown", "architecture": "unknown"},
                 "annotations": {"vnd.docker.reference.type": "attestation-manifest"}},
            ],
        });
        let Manifest::Index(platforms) = read_manifest(&bytes(index)) else { panic!("an index") };
        assert_eq!(ImagePlatforms::Known(platforms).to_string(), "linux/amd64, linux/arm64/v8");
    }

    #[test]
    fn a_single_image_points_at_its_config_which_names_the_platform() {
        let manifest = json!({"schemaVersion": 2, "config": {"digest": "sha256:cfg", "size": 2}, "layers": []});
        assert_eq!(read_manifest(&bytes(manifest)), Manifest::Image { config_digest: "sha256:cfg".into() });
        let config = json!({"architecture": "arm64", "os": "linux", "config": {"Cmd": ["bin/server"]}});
        assert_eq!(read_config(&bytes(config)).unwrap().to_string(), "linux/arm64");
        assert_eq!(read_config(b"{}"), None);
        assert_eq!(read_manifest(b"not json"), Manifest::Unreadable);
        assert_eq!(ImagePlatforms::Unknown.to_string(), "unknown platforms");
    }

    #[test]
    fn the_json_names_the_platforms_or_says_unknown() {
        let known =
            ImagePlatforms::Known(vec![Platform { os: "linux".into(), architecture: "amd64".into(), variant: None }]);
        assert_eq!(
            serde_json::to_value(known).unwrap(),
            json!({"kind": "known", "platforms": [{"os": "linux", "architecture": "amd64", "variant": null}]})
        );
        assert_eq!(serde_json::to_value(ImagePlatforms::Unknown).unwrap(), json!({"kind": "unknown"}));
    }
}
