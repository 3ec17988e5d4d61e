//! Where the deployed image comes from: the buildpacks (the default), the app's Dockerfile, or an
//! image built elsewhere (`MAESTRO_IMAGE`). Chosen by the settings or detected from the app's
//! files; and what follows from it for the containers: who starts the Procfile's commands.

use serde::{Serialize, Serializer};
use serde_json::json;

use super::repository::{self, ImageRepository};
use crate::input::Location;
use crate::input::vars as var;
use crate::input_error::InputError;
use crate::spec::WEB_PROCESS;
use crate::spec::procfile::{Process, Procfile};

/// The Dockerfile maestro looks for in the app's folder when none is named.
pub const DEFAULT_DOCKERFILE: &str = "Dockerfile";

/// What the settings say about the source, before the app's files are looked at.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SourceChoice {
    /// Nothing set: a Dockerfile without a `project.toml` (and no `MAESTRO_BUILDER`) means a
    /// Dockerfile build, anything else the buildpacks.
    #[default]
    Detect,
    /// `MAESTRO_BUILD=buildpacks`.
    Buildpacks,
    /// `MAESTRO_BUILD=dockerfile`, `MAESTRO_DOCKERFILE` or `MAESTRO_BUILD_TARGET`; `set` is the
    /// variable that asked, for the message when there is no Dockerfile.
    Dockerfile { file: Option<String>, target: Option<String>, set: Location },
    /// `MAESTRO_IMAGE`.
    Prebuilt(PrebuiltImage),
}

impl SourceChoice {
    /// The Dockerfile to look for, relative to the app's folder.
    pub fn dockerfile(&self) -> &str {
        match self {
            Self::Dockerfile { file: Some(file), .. } => file,
            _ => DEFAULT_DOCKERFILE,
        }
    }
}

/// What the app's folder holds that decides a detected source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFiles {
    /// The Dockerfile as the user knows it (`Dockerfile`, `api/Dockerfile.prod`).
    pub dockerfile: String,
    pub has_dockerfile: bool,
    pub has_project_toml: bool,
    /// `MAESTRO_BUILDER` is set: the app is a buildpacks app whatever else its folder holds.
    pub builder_set: bool,
}

/// The image source, decided.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Source {
    #[default]
    Buildpacks,
    Dockerfile(DockerfileBuild),
    Prebuilt(PrebuiltImage),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerfileBuild {
    /// Relative to the app's folder, which is the build's context.
    pub file: String,
    pub target: Option<String>,
    /// Chosen because the app's folder has a Dockerfile and no `project.toml`.
    pub detected: bool,
}

/// An image built elsewhere: `<registry>/<repository>:<tag>` or `…@sha256:<digest>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrebuiltImage {
    pub repository: ImageRepository,
    /// The tag, or the digest (`sha256:…`): what the registry is asked for.
    pub reference: String,
}

impl PrebuiltImage {
    /// The image as the user wrote it (less surrounding space).
    pub fn uri(&self) -> String {
        if self.reference.starts_with("sha256:") {
            self.repository.pinned(&self.reference)
        } else {
            self.repository.reference(&self.reference)
        }
    }
}

/// Decides the source from the settings and the app's files; a Dockerfile build asked for
/// without a Dockerfile is bad input. The second value is a note for the plan's warnings when
/// the source was detected rather than chosen.
pub fn resolve(choice: &SourceChoice, files: &SourceFiles) -> Result<(Source, Option<String>), InputError> {
    Ok(match choice {
        SourceChoice::Buildpacks => (Source::Buildpacks, None),
        SourceChoice::Prebuilt(image) => (Source::Prebuilt(image.clone()), None),
        SourceChoice::Dockerfile { file, target, set } => {
            if !files.has_dockerfile {
                return Err(InputError::new(
                    set.clone(),
                    format!("a Dockerfile build is asked for, but there is no `{}`", files.dockerfile),
                    format!(
                        "add the Dockerfile, name it with {} (relative to the app's folder), or unset {} to build with buildpacks",
                        var::MAESTRO_DOCKERFILE,
                        var::MAESTRO_BUILD
                    ),
                ));
            }
            let file = file.clone().unwrap_or_else(|| DEFAULT_DOCKERFILE.to_owned());
            (Source::Dockerfile(DockerfileBuild { file, target: target.clone(), detected: false }), None)
        }
        SourceChoice::Detect if files.has_dockerfile && !files.has_project_toml && !files.builder_set => {
            let build = DockerfileBuild { file: DEFAULT_DOCKERFILE.to_owned(), target: None, detected: true };
            let note = format!(
                "`{}` found and no project.toml: the image is built from the Dockerfile (set {}=buildpacks to build with buildpacks)",
                files.dockerfile,
                var::MAESTRO_BUILD
            );
            (Source::Dockerfile(build), Some(note))
        }
        SourceChoice::Detect => (Source::Buildpacks, None),
    })
}

impl Source {
    pub fn launch(&self) -> Launch {
        match self {
            Self::Buildpacks => Launch::CnbLauncher,
            Self::Dockerfile(_) | Self::Prebuilt(_) => Launch::ImageEntryPoint,
        }
    }

    /// `buildpacks`, `dockerfile` or `image`, as the plan names it.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Buildpacks => "buildpacks",
            Self::Dockerfile(_) => "dockerfile",
            Self::Prebuilt(_) => "image",
        }
    }

    pub fn is_buildpacks(&self) -> bool {
        matches!(self, Self::Buildpacks)
    }

    /// An image built elsewhere, in a repository that is not maestro's.
    pub fn is_prebuilt(&self) -> bool {
        matches!(self, Self::Prebuilt(_))
    }
}

/// `{"kind": "dockerfile", "file": …, "target": …, "detected": …}` or `{"kind": "image", "image": …}`.
impl Serialize for Source {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = match self {
            Self::Buildpacks => json!({"kind": self.kind()}),
            Self::Dockerfile(build) => {
                json!({"kind": self.kind(), "file": build.file, "target": build.target, "detected": build.detected})
            }
            Self::Prebuilt(image) => json!({"kind": self.kind(), "image": image.uri()}),
        };
        value.serialize(serializer)
    }
}

/// Who starts a container's process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Launch {
    /// The CNB `launcher`, the entry point, runs a Procfile process type by name and a command
    /// given as one shell line.
    #[default]
    CnbLauncher,
    /// The image's own entry point is kept; the Procfile's commands become the container's
    /// `command` in shell form, as Docker's `CMD <line>` would be.
    ImageEntryPoint,
}

/// The shell that runs a command line in an image that is not the buildpacks'.
pub const SHELL: [&str; 2] = ["/bin/sh", "-c"];

impl Launch {
    /// The container's `command` for a Procfile line: none under the launcher (the entry point
    /// names the process), the line in shell form otherwise; none for an empty line (the
    /// image's own `CMD`: a Dockerfile app without a Procfile).
    pub fn process_command(self, line: &str) -> Option<Vec<String>> {
        match self {
            Self::CnbLauncher => None,
            Self::ImageEntryPoint => (!line.trim().is_empty()).then(|| shell(line)),
        }
    }

    /// A schedule's command override: one shell line for the launcher, the shell form otherwise.
    pub fn scheduled_command(self, line: &str) -> Vec<String> {
        match self {
            Self::CnbLauncher => vec![line.to_owned()],
            Self::ImageEntryPoint => shell(line),
        }
    }

    /// `maestro run -- <words>`: the launcher takes the words as they are; in another image one
    /// word is a shell line (`maestro run -- 'rake db:migrate && rake seed'`), several are run
    /// as they are (the user's shell split them already).
    pub fn one_off_command(self, words: &[String]) -> Vec<String> {
        match (self, words) {
            (Self::ImageEntryPoint, [line]) => shell(line),
            _ => words.to_vec(),
        }
    }
}

/// The processes of an image of its own without a Procfile: one `web` service running the
/// image's own command (an empty line: no `command`).
pub fn default_procfile() -> Procfile {
    Procfile { processes: vec![Process { name: WEB_PROCESS.to_owned(), command: String::new(), line: 0 }] }
}

fn shell(line: &str) -> Vec<String> {
    SHELL.iter().map(|word| (*word).to_owned()).chain([line.to_owned()]).collect()
}

/// Parses `MAESTRO_IMAGE`: a registry host, a repository, and a tag or a `sha256` digest.
pub fn parse_prebuilt(input: impl Into<Location>, text: &str) -> Result<PrebuiltImage, InputError> {
    let input = input.into();
    let hint = "name the image with its registry and a tag or digest, e.g. `ghcr.io/acme/shop:1.4.2` or `123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop@sha256:…`";
    let trimmed = text.trim();
    let offset = text.len() - text.trim_start().len();
    let last_slash = trimmed.rfind('/').unwrap_or(0);
    let (name, reference, at) = if let Some(index) = trimmed.find('@') {
        (&trimmed[..index], &trimmed[index + 1..], index + 1)
    } else if let Some(index) = trimmed[last_slash..].rfind(':').map(|index| last_slash + index) {
        (&trimmed[..index], &trimmed[index + 1..], index + 1)
    } else {
        return Err(InputError::at(
            &input,
            text,
            offset..offset + trimmed.len(),
            "the image has no tag or digest",
            hint,
        ));
    };
    let repository = repository::parse(input.clone(), name).map_err(|mut error| {
        // The caret stays under the same characters of the whole value.
        error.excerpt = error.excerpt.map(|_| text.to_owned());
        error.column = error.column.map(|column| column + text[..offset].chars().count());
        error.hint = hint.to_owned();
        error
    })?;
    let digest = trimmed.contains('@');
    let valid = if digest {
        reference
            .strip_prefix("sha256:")
            .is_some_and(|hex| hex.len() == 64 && hex.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)))
    } else {
        is_tag(reference)
    };
    if !valid {
        let what = if digest { "a `sha256:` digest of 64 hex digits" } else { "a tag" };
        return Err(InputError::at(
            &input,
            text,
            offset + at..offset + trimmed.len(),
            format!("`{reference}` is not {what}"),
            hint,
        ));
    }
    Ok(PrebuiltImage { repository, reference: reference.to_owned() })
}

/// The distribution spec's tag: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`.
fn is_tag(text: &str) -> bool {
    let mut chars = text.chars();
    text.len() <= 128
        && chars.next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

#[cfg(test)]
#[path = "source_tests.rs"]
mod tests;
