//! The CPU architecture the tasks run on (`MAESTRO_CPU_ARCHITECTURE`), in each tool's words:
//! ECS's `runtimePlatform.cpuArchitecture` (`X86_64`, `ARM64`), OCI's image index (`amd64`,
//! `arm64`) and the build's `--platform` (`linux/amd64`, `linux/arm64`), and the checks that keep
//! the task, its base files and its image on one architecture.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::input::Location;
use crate::input::vars as var;
use crate::input_error::InputError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CpuArchitecture {
    /// ECS's default when a task definition names no `runtimePlatform`.
    #[default]
    X86_64,
    /// AWS Graviton.
    Arm64,
}

impl CpuArchitecture {
    /// The variable's words (`arm64`, `x86_64`), and ECS's (`ARM64`, `X86_64`), without case.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "x86_64" => Some(Self::X86_64),
            "arm64" => Some(Self::Arm64),
            _ => None,
        }
    }

    /// As `MAESTRO_CPU_ARCHITECTURE` and the plan say it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::X86_64 => "x86_64",
            Self::Arm64 => "arm64",
        }
    }

    /// ECS's `runtimePlatform.cpuArchitecture`.
    pub fn ecs_name(self) -> &'static str {
        match self {
            Self::X86_64 => "X86_64",
            Self::Arm64 => "ARM64",
        }
    }

    /// The OCI image index's `platform.architecture`.
    pub fn oci_name(self) -> &'static str {
        match self {
            Self::X86_64 => "amd64",
            Self::Arm64 => "arm64",
        }
    }

    /// What `pack build --platform` and `docker buildx build --platform` take.
    pub fn platform(self) -> String {
        format!("linux/{}", self.oci_name())
    }

    /// The suffix of the commit's image tag: an arm64 image is `<short sha>-arm64`, so that the
    /// commit's image for another architecture is never taken for it; x86_64 keeps the bare
    /// `<short sha>` every app deployed before has.
    pub fn tag_suffix(self) -> &'static str {
        match self {
            Self::X86_64 => "",
            Self::Arm64 => "-arm64",
        }
    }
}

/// The architecture the plan's tasks run on, and whether the user chose it: an unchosen one
/// leaves task definitions and pack's argv as they were before maestro knew architectures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Architecture {
    pub cpu: CpuArchitecture,
    /// Set by `MAESTRO_CPU_ARCHITECTURE` or a base file's `runtimePlatform`.
    pub chosen: bool,
}

impl Architecture {
    /// Nothing chose it: x86_64, and nothing written that was not before.
    pub fn unchosen(&self) -> bool {
        !self.chosen
    }

    /// The `runtimePlatform` every task definition gets, when the architecture was chosen.
    pub fn runtime_platform(self) -> Option<Value> {
        self.chosen.then(|| serde_json::json!({"cpuArchitecture": self.cpu.ecs_name(), "operatingSystemFamily": LINUX}))
    }

    /// pack's `--platform`, when the architecture was chosen (else pack builds for its daemon's).
    pub fn build_platform(self) -> Option<String> {
        self.chosen.then(|| self.cpu.platform())
    }
}

/// The only operating system family maestro's images run on.
const LINUX: &str = "LINUX";

/// What a base file's `runtimePlatform` says, as far as maestro reads it.
fn base_platform(document: &Map<String, Value>, label: &str) -> Result<Option<CpuArchitecture>, InputError> {
    let Some(platform) = document.get("runtimePlatform") else { return Ok(None) };
    let error = |message: String, hint: &str| Err(InputError::new(Location::file(label), message, hint));
    let Some(platform) = platform.as_object() else {
        return error(
            format!("`runtimePlatform` is {platform}, not an object"),
            "write it as {\"cpuArchitecture\": \"ARM64\", \"operatingSystemFamily\": \"LINUX\"}, or leave it out and set MAESTRO_CPU_ARCHITECTURE",
        );
    };
    if let Some(family) = platform.get("operatingSystemFamily")
        && family.as_str() != Some(LINUX)
    {
        return error(
            format!("`runtimePlatform.operatingSystemFamily` is {family}, but maestro's images run on `LINUX`"),
            "set `operatingSystemFamily` to `LINUX`, or leave it out",
        );
    }
    match platform.get("cpuArchitecture") {
        None => Ok(None),
        Some(Value::String(name)) if matches!(name.as_str(), "X86_64" | "ARM64") => Ok(CpuArchitecture::parse(name)),
        Some(other) => error(
            format!("`runtimePlatform.cpuArchitecture` is {other}, which ECS does not know"),
            "write `X86_64` or `ARM64` (ECS's words, in capitals), or set MAESTRO_CPU_ARCHITECTURE instead",
        ),
    }
}

/// The architecture of every task: `MAESTRO_CPU_ARCHITECTURE` when set, else the base files'
/// own `runtimePlatform`, else x86_64 (unchosen). One image serves every process, so a base file
/// that names another architecture than the variable or another base file is bad input.
pub fn resolve<'a>(
    variable: Option<(CpuArchitecture, Location)>,
    bases: impl IntoIterator<Item = (&'a str, &'a Map<String, Value>)>,
) -> Result<Architecture, InputError> {
    let mut chosen: Option<(CpuArchitecture, Location)> = variable;
    for (label, document) in bases {
        let Some(cpu) = base_platform(document, label)? else { continue };
        match &chosen {
            Some((first, _)) if *first == cpu => {}
            Some((first, location)) => {
                return Err(InputError::new(
                    Location::file(label),
                    format!(
                        "`runtimePlatform.cpuArchitecture` is `{}`, but {location} asks for `{}`",
                        cpu.ecs_name(),
                        first.ecs_name()
                    ),
                    format!(
                        "every process runs one image, so one architecture: make the base files agree with {}, \
                         or remove their `runtimePlatform`",
                        var::MAESTRO_CPU_ARCHITECTURE
                    ),
                ));
            }
            None => chosen = Some((cpu, Location::file(label))),
        }
    }
    Ok(chosen.map_or_else(Architecture::default, |(cpu, _)| Architecture { cpu, chosen: true }))
}

/// What the tasks' architecture makes of the architectures an image offers (OCI's names, read
/// from its index or config by whoever looked the image up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageFit {
    /// The image offers the task's architecture.
    Fits,
    /// The image says nothing maestro can judge by (no architecture, or only ones it does not
    /// know): a warning, since the task may still start.
    Unknown { warning: String },
    /// The image offers other architectures only: the tasks would fail with `exec format error`.
    Mismatch { message: String, hint: String },
}

/// Whether `image` (named as the user wrote it) runs on `task`'s architecture, given the
/// architectures its manifest lists (`amd64`, `arm64`, …).
pub fn image_fit(task: CpuArchitecture, image: &str, offered: &[String]) -> ImageFit {
    if offered.iter().any(|name| name == task.oci_name()) {
        return ImageFit::Fits;
    }
    let known: Vec<&String> = offered.iter().filter(|name| matches!(name.as_str(), "amd64" | "arm64")).collect();
    if known.is_empty() {
        let said = if offered.is_empty() { "no architecture".to_owned() } else { offered.join(", ") };
        return ImageFit::Unknown {
            warning: format!(
                "image {image} names {said}; the tasks run on {} ({}): check the image runs there",
                task.as_str(),
                task.platform()
            ),
        };
    }
    let listed = known.iter().map(|name| name.as_str()).collect::<Vec<_>>().join(", ");
    let other = if task == CpuArchitecture::Arm64 { CpuArchitecture::X86_64 } else { CpuArchitecture::Arm64 };
    ImageFit::Mismatch {
        message: format!("image {image} is built for {listed}, but the tasks run on {}", task.as_str()),
        hint: format!(
            "build the image for {} (e.g. `docker buildx build --platform {}`), or set {}={}",
            task.platform(),
            task.platform(),
            var::MAESTRO_CPU_ARCHITECTURE,
            other.as_str()
        ),
    }
}

#[cfg(test)]
#[path = "platform_tests.rs"]
mod tests;
