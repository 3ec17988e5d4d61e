//! Every environment variable maestro reads, in one place.
//!
//! The names are the bash maestro's, so its users switch without renaming anything;
//! `docs/inputs.md` documents each one (a test checks that none is missing there).

// Identity of the deploy.
pub const MAESTRO_REPO_OVERRIDE: &str = "MAESTRO_REPO_OVERRIDE";
pub const REPO_SLUG: &str = "REPO_SLUG";
pub const MAESTRO_BRANCH_OVERRIDE: &str = "MAESTRO_BRANCH_OVERRIDE";
pub const MAESTRO_COMMIT_OVERRIDE: &str = "MAESTRO_COMMIT_OVERRIDE";
pub const AWS_ACCOUNT_ID: &str = "AWS_ACCOUNT_ID";
pub const AWS_REGION: &str = "AWS_REGION";
pub const AWS_DEFAULT_REGION: &str = "AWS_DEFAULT_REGION";
pub const ECS_CLUSTER_ID: &str = "ECS_CLUSTER_ID";

// Build.
pub const MAESTRO_SKIP_BUILD: &str = "MAESTRO_SKIP_BUILD";
pub const MAESTRO_ONLY_BUILD: &str = "MAESTRO_ONLY_BUILD";
pub const MAESTRO_NO_CACHE: &str = "MAESTRO_NO_CACHE";
pub const MAESTRO_RUN_IMAGE: &str = "MAESTRO_RUN_IMAGE";
pub const MAESTRO_BUILDER: &str = "MAESTRO_BUILDER";
pub const REPO_SUB_FOLDER: &str = "REPO_SUB_FOLDER";
pub const MAESTRO_DEBUG: &str = "MAESTRO_DEBUG";

// Tasks.
pub const ECS_SERVICE_TASK_PROCESSES: &str = "ECS_SERVICE_TASK_PROCESSES";
pub const ECS_EFS_VOLUMES: &str = "ECS_EFS_VOLUMES";
pub const ECS_CONTAINER_STOP_TIMEOUT: &str = "ECS_CONTAINER_STOP_TIMEOUT";
pub const ECS_TASK_ROLE_ARN: &str = "ECS_TASK_ROLE_ARN";
pub const ECS_EXECUTION_ROLE_ARN: &str = "ECS_EXECUTION_ROLE_ARN";
pub const MAESTRO_NO_LOG: &str = "MAESTRO_NO_LOG";
pub const WORKLOAD_RESOURCE_TAGS: &str = "WORKLOAD_RESOURCE_TAGS";
pub const PORT: &str = "PORT";

// Network and load balancer.
pub const ALB_NAME_OVERRIDE: &str = "ALB_NAME_OVERRIDE";
pub const ALB_SCHEME: &str = "ALB_SCHEME";
pub const ALB_SUBNETS: &str = "ALB_SUBNETS";
pub const ALB_SECURITY_GROUPS: &str = "ALB_SECURITY_GROUPS";
pub const WORKLOAD_VPC_ID: &str = "WORKLOAD_VPC_ID";
pub const ECS_SERVICE_SUBNETS: &str = "ECS_SERVICE_SUBNETS";
pub const ECS_SERVICE_SECURITY_GROUPS: &str = "ECS_SERVICE_SECURITY_GROUPS";

// Services.
pub const DEPLOYMENT_CIRCUIT_BREAKER_RULE: &str = "DEPLOYMENT_CIRCUIT_BREAKER_RULE";
pub const SERVICE_CONNECT_NAMESPACE: &str = "SERVICE_CONNECT_NAMESPACE";

// AWS credentials (OIDC on GitHub Actions and GitLab CI).
pub const MAESTRO_ROLE_ARN: &str = "MAESTRO_ROLE_ARN";
pub const AWS_ROLE_ARN: &str = "AWS_ROLE_ARN";
pub const MAESTRO_OIDC_AUDIENCE: &str = "MAESTRO_OIDC_AUDIENCE";
pub const MAESTRO_ROLE_DURATION_SECONDS: &str = "MAESTRO_ROLE_DURATION_SECONDS";
pub const MAESTRO_ROLE_SESSION_NAME: &str = "MAESTRO_ROLE_SESSION_NAME";
pub const MAESTRO_ID_TOKEN_VARIABLE: &str = "MAESTRO_ID_TOKEN_VARIABLE";
/// The variable GitLab's `id_tokens:` fills by default (the GitLab template uses this name).
pub const MAESTRO_ID_TOKEN: &str = "MAESTRO_ID_TOKEN";

// Reporting.
pub const NEW_RELIC_API_KEY: &str = "NEW_RELIC_API_KEY";
pub const NEW_RELIC_APP_ID: &str = "NEW_RELIC_APP_ID";
pub const NEW_RELIC_DESCRIPTION: &str = "NEW_RELIC_DESCRIPTION";
pub const DEPLOY_WEBHOOK_URL: &str = "DEPLOY_WEBHOOK_URL";

/// Names the original used once and then renamed, with their replacement.
pub const RENAMED: &[(&str, &str)] = &[
    ("ALB_NAME_SLUG", ALB_NAME_OVERRIDE),
    ("MAESTRO_CLEAR_CACHE", MAESTRO_NO_CACHE),
    ("REPO_SUB_DIR", REPO_SUB_FOLDER),
    ("DISABLE_SCALE_IN", "`&nosclin` in ECS_SERVICE_TASK_PROCESSES"),
];

/// Every variable above, for the documentation check.
pub const ALL: &[&str] = &[
    MAESTRO_REPO_OVERRIDE,
    REPO_SLUG,
    MAESTRO_BRANCH_OVERRIDE,
    MAESTRO_COMMIT_OVERRIDE,
    AWS_ACCOUNT_ID,
    AWS_REGION,
    AWS_DEFAULT_REGION,
    ECS_CLUSTER_ID,
    MAESTRO_SKIP_BUILD,
    MAESTRO_ONLY_BUILD,
    MAESTRO_NO_CACHE,
    MAESTRO_RUN_IMAGE,
    MAESTRO_BUILDER,
    REPO_SUB_FOLDER,
    MAESTRO_DEBUG,
    ECS_SERVICE_TASK_PROCESSES,
    ECS_EFS_VOLUMES,
    ECS_CONTAINER_STOP_TIMEOUT,
    ECS_TASK_ROLE_ARN,
    ECS_EXECUTION_ROLE_ARN,
    MAESTRO_NO_LOG,
    WORKLOAD_RESOURCE_TAGS,
    PORT,
    ALB_NAME_OVERRIDE,
    ALB_SCHEME,
    ALB_SUBNETS,
    ALB_SECURITY_GROUPS,
    WORKLOAD_VPC_ID,
    ECS_SERVICE_SUBNETS,
    ECS_SERVICE_SECURITY_GROUPS,
    DEPLOYMENT_CIRCUIT_BREAKER_RULE,
    SERVICE_CONNECT_NAMESPACE,
    NEW_RELIC_API_KEY,
    NEW_RELIC_APP_ID,
    NEW_RELIC_DESCRIPTION,
    DEPLOY_WEBHOOK_URL,
    MAESTRO_ROLE_ARN,
    AWS_ROLE_ARN,
    MAESTRO_OIDC_AUDIENCE,
    MAESTRO_ROLE_DURATION_SECONDS,
    MAESTRO_ROLE_SESSION_NAME,
    MAESTRO_ID_TOKEN_VARIABLE,
    MAESTRO_ID_TOKEN,
];
