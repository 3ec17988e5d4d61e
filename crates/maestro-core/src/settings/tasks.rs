//! What every task definition gets: processes, volumes, roles, logs, tags, the port.

use super::reader::Reader;
use crate::input::vars as var;
use crate::plan::aws_values::CapacityProvider;
use crate::platform::CpuArchitecture;
use crate::spec::efs::{self, EfsVolume};
use crate::spec::process_list::{self, ProcessList};
use crate::spec::tags::{self, Tag};
use crate::types::{SecretName, is_secret_arn};

pub const DEFAULT_PORT: u16 = 3000;
/// The retention periods CloudWatch Logs accepts.
const RETENTION_DAYS: &[&str] = &[
    "1", "3", "5", "7", "14", "30", "60", "90", "120", "150", "180", "365", "400", "545", "731", "1096", "1827",
    "2192", "2557", "2922", "3288", "3653",
];

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskSettings {
    pub processes: ProcessList,
    pub efs_volumes: Vec<EfsVolume>,
    pub stop_timeout: Option<u32>,
    pub task_role_arn: Option<String>,
    pub execution_role_arn: Option<String>,
    /// The ARN of the Secrets Manager secret with the login ECS pulls a private image outside ECR
    /// with (`MAESTRO_IMAGE_PULL_SECRET`): the containers' `repositoryCredentials`. ECS documents
    /// `credentialsParameter` as the secret's ARN (a name is accepted for a secret in the task's
    /// region); a name is refused so that what maestro registers is what it compares the
    /// described definition with, whatever form ECS answers in, and redeploys register nothing.
    pub image_pull_secret: Option<String>,
    pub no_log: bool,
    /// The Secrets Manager secret with the app's variables, instead of `<branch>/<slug>`.
    pub secret_name: Option<String>,
    /// Days CloudWatch keeps the logs; forever when unset (as the original).
    pub log_retention_days: Option<u32>,
    /// Where services' tasks run by default: `FARGATE_SPOT` (the original's) or `FARGATE`.
    pub capacity_provider: CapacityProvider,
    /// `MAESTRO_CPU_ARCHITECTURE`, when set; the plan resolves it with the base files'.
    pub cpu_architecture: Option<CpuArchitecture>,
    pub tags: Vec<Tag>,
    pub port: u16,
}

impl TaskSettings {
    pub(super) fn read(read: &mut Reader<'_>) -> Self {
        Self {
            processes: read.parsed(var::ECS_SERVICE_TASK_PROCESSES, process_list::parse).unwrap_or_default(),
            efs_volumes: read.parsed(var::ECS_EFS_VOLUMES, efs::parse).unwrap_or_default(),
            stop_timeout: read.integer(var::ECS_CONTAINER_STOP_TIMEOUT, 0..=120, "seconds"),
            task_role_arn: read.role_arn(var::ECS_TASK_ROLE_ARN),
            execution_role_arn: read.role_arn(var::ECS_EXECUTION_ROLE_ARN),
            image_pull_secret: read.checked(
                var::MAESTRO_IMAGE_PULL_SECRET,
                is_secret_arn,
                "a Secrets Manager secret's ARN",
                "give the full ARN of the secret holding {\"username\": …, \"password\": …} \
                 (`arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>`; \
                 `aws secretsmanager describe-secret --secret-id <name>` prints it), not its name",
            ),
            no_log: read.boolean(var::MAESTRO_NO_LOG),
            secret_name: read.typed(var::MAESTRO_SECRET_NAME, SecretName::parse).map(String::from),
            log_retention_days: read
                .choice(var::MAESTRO_LOG_RETENTION_DAYS, RETENTION_DAYS)
                .and_then(|days| days.parse().ok()),
            capacity_provider: read
                .choice(var::MAESTRO_CAPACITY_PROVIDER, &["FARGATE_SPOT", "FARGATE"])
                .and_then(CapacityProvider::from_name)
                .unwrap_or(CapacityProvider::FargateSpot),
            cpu_architecture: read
                .choice(var::MAESTRO_CPU_ARCHITECTURE, &["arm64", "x86_64"])
                .and_then(CpuArchitecture::parse),
            tags: read.parsed(var::WORKLOAD_RESOURCE_TAGS, tags::parse).unwrap_or_default(),
            port: read
                .integer(var::PORT, 1..=65535, "a port number")
                .and_then(|port| u16::try_from(port).ok())
                .unwrap_or(DEFAULT_PORT),
        }
    }
}
