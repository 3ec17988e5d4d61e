//! maestro's own settings: the bash maestro's names, each documented in `docs/inputs.md`, most of
//! them inputs of the GitHub Action too (`scripts/action-inputs.py` reads [`MAESTRO`]).

use super::{Variable, input, setting};

// maestro's settings: what is deployed, and where.
pub const MAESTRO_REPO_OVERRIDE: &str = "MAESTRO_REPO_OVERRIDE";
pub const REPO_SLUG: &str = "REPO_SLUG";
/// One app of a repository that holds several: it enters every resource name.
pub const MAESTRO_APP: &str = "MAESTRO_APP";
pub const MAESTRO_BRANCH_OVERRIDE: &str = "MAESTRO_BRANCH_OVERRIDE";
pub const MAESTRO_COMMIT_OVERRIDE: &str = "MAESTRO_COMMIT_OVERRIDE";
/// A fork's pull request is refused unless this is `true`: it must not reach the base
/// repository's credentials or environments unasked.
pub const MAESTRO_ALLOW_FORKS: &str = "MAESTRO_ALLOW_FORKS";
pub const AWS_ACCOUNT_ID: &str = "AWS_ACCOUNT_ID";
/// Also the AWS SDK's region variable.
pub const AWS_REGION: &str = "AWS_REGION";
pub const AWS_DEFAULT_REGION: &str = "AWS_DEFAULT_REGION";
pub const ECS_CLUSTER_ID: &str = "ECS_CLUSTER_ID";
/// `maestro destroy --confirm`, for the action's `command: destroy`.
pub const MAESTRO_DESTROY_CONFIRM: &str = "MAESTRO_DESTROY_CONFIRM";
pub const MAESTRO_ROLLBACK_TO: &str = "MAESTRO_ROLLBACK_TO";
pub const MAESTRO_RUN_COMMAND: &str = "MAESTRO_RUN_COMMAND";
pub const MAESTRO_RUN_SIZE: &str = "MAESTRO_RUN_SIZE";

// maestro's settings: the build.
pub const MAESTRO_SKIP_BUILD: &str = "MAESTRO_SKIP_BUILD";
pub const MAESTRO_ONLY_BUILD: &str = "MAESTRO_ONLY_BUILD";
pub const MAESTRO_NO_CACHE: &str = "MAESTRO_NO_CACHE";
pub const MAESTRO_RUN_IMAGE: &str = "MAESTRO_RUN_IMAGE";
pub const MAESTRO_BUILDER: &str = "MAESTRO_BUILDER";
pub const REPO_SUB_FOLDER: &str = "REPO_SUB_FOLDER";
pub const MAESTRO_DEBUG: &str = "MAESTRO_DEBUG";
/// An unknown variable under maestro's prefixes (`OWN_PREFIXES`) is an error, not a warning.
pub const MAESTRO_STRICT: &str = "MAESTRO_STRICT";
pub const MAESTRO_IMAGE_REPOSITORY: &str = "MAESTRO_IMAGE_REPOSITORY";
pub const MAESTRO_REGISTRY_USERNAME: &str = "MAESTRO_REGISTRY_USERNAME";
pub const MAESTRO_REGISTRY_PASSWORD: &str = "MAESTRO_REGISTRY_PASSWORD";
pub const MAESTRO_BUILD_AWS_CREDENTIALS: &str = "MAESTRO_BUILD_AWS_CREDENTIALS";
pub const MAESTRO_BUILD_SECRET_KEYS: &str = "MAESTRO_BUILD_SECRET_KEYS";
pub const MAESTRO_TRUST_BUILDER: &str = "MAESTRO_TRUST_BUILDER";
pub const MAESTRO_IMAGE_PULL_SECRET: &str = "MAESTRO_IMAGE_PULL_SECRET";
/// How many images the ECR repository's lifecycle policy keeps, and as many releases' images.
pub const MAESTRO_IMAGE_RETENTION: &str = "MAESTRO_IMAGE_RETENTION";
/// The image source: `buildpacks` or `dockerfile` (detected when unset).
pub const MAESTRO_BUILD: &str = "MAESTRO_BUILD";
pub const MAESTRO_DOCKERFILE: &str = "MAESTRO_DOCKERFILE";
pub const MAESTRO_BUILD_TARGET: &str = "MAESTRO_BUILD_TARGET";
/// An image built elsewhere, deployed without a build.
pub const MAESTRO_IMAGE: &str = "MAESTRO_IMAGE";

// maestro's settings: the test phase, which gates the deploy (`test_phase`).
/// `true` runs it, `false` turns off the automatic one (a Procfile with a `test` process).
pub const MAESTRO_TEST: &str = "MAESTRO_TEST";
pub const MAESTRO_TEST_COMMAND: &str = "MAESTRO_TEST_COMMAND";
/// `local` (`docker run`) or `ecs` (a one-off task in the environment's network).
pub const MAESTRO_TEST_RUNNER: &str = "MAESTRO_TEST_RUNNER";
/// The JUnit report the test command writes, for GitLab's `artifacts: reports: junit`.
pub const MAESTRO_TEST_REPORT: &str = "MAESTRO_TEST_REPORT";
/// A Dockerfile app's test stage (`docker buildx build --target`).
pub const MAESTRO_TEST_TARGET: &str = "MAESTRO_TEST_TARGET";

// maestro's settings: the tasks.
pub const ECS_SERVICE_TASK_PROCESSES: &str = "ECS_SERVICE_TASK_PROCESSES";
pub const ECS_EFS_VOLUMES: &str = "ECS_EFS_VOLUMES";
pub const ECS_CONTAINER_STOP_TIMEOUT: &str = "ECS_CONTAINER_STOP_TIMEOUT";
pub const ECS_TASK_ROLE_ARN: &str = "ECS_TASK_ROLE_ARN";
pub const ECS_EXECUTION_ROLE_ARN: &str = "ECS_EXECUTION_ROLE_ARN";
pub const MAESTRO_NO_LOG: &str = "MAESTRO_NO_LOG";
pub const MAESTRO_SECRET_NAME: &str = "MAESTRO_SECRET_NAME";
pub const MAESTRO_LOG_RETENTION_DAYS: &str = "MAESTRO_LOG_RETENTION_DAYS";
pub const MAESTRO_CAPACITY_PROVIDER: &str = "MAESTRO_CAPACITY_PROVIDER";
/// The tasks' CPU architecture: `x86_64` or `arm64` (Graviton).
pub const MAESTRO_CPU_ARCHITECTURE: &str = "MAESTRO_CPU_ARCHITECTURE";
pub const WORKLOAD_RESOURCE_TAGS: &str = "WORKLOAD_RESOURCE_TAGS";
/// Also the name an app's secret may use for its own port: the build passes the secret's
/// `PORT` through.
pub const PORT: &str = "PORT";

// maestro's settings: the network and the load balancer.
pub const ALB_NAME_OVERRIDE: &str = "ALB_NAME_OVERRIDE";
pub const ALB_SCHEME: &str = "ALB_SCHEME";
pub const ALB_SUBNETS: &str = "ALB_SUBNETS";
pub const ALB_SECURITY_GROUPS: &str = "ALB_SECURITY_GROUPS";
pub const ALB_CERTIFICATE_ARN: &str = "ALB_CERTIFICATE_ARN";
pub const MAESTRO_HOST: &str = "MAESTRO_HOST";
pub const MAESTRO_HEALTH_CHECK_PATH: &str = "MAESTRO_HEALTH_CHECK_PATH";
pub const MAESTRO_DEREGISTRATION_DELAY: &str = "MAESTRO_DEREGISTRATION_DELAY";
pub const MAESTRO_HEALTH_CHECK_GRACE_PERIOD: &str = "MAESTRO_HEALTH_CHECK_GRACE_PERIOD";
pub const MAESTRO_HEALTH_CHECK_INTERVAL: &str = "MAESTRO_HEALTH_CHECK_INTERVAL";
pub const MAESTRO_HEALTH_CHECK_TIMEOUT: &str = "MAESTRO_HEALTH_CHECK_TIMEOUT";
pub const MAESTRO_HEALTH_CHECK_HEALTHY_THRESHOLD: &str = "MAESTRO_HEALTH_CHECK_HEALTHY_THRESHOLD";
pub const MAESTRO_HEALTH_CHECK_UNHEALTHY_THRESHOLD: &str = "MAESTRO_HEALTH_CHECK_UNHEALTHY_THRESHOLD";
pub const WORKLOAD_VPC_ID: &str = "WORKLOAD_VPC_ID";
pub const ECS_SERVICE_SUBNETS: &str = "ECS_SERVICE_SUBNETS";
pub const ECS_SERVICE_SECURITY_GROUPS: &str = "ECS_SERVICE_SECURITY_GROUPS";

// maestro's settings: the services.
pub const DEPLOYMENT_CIRCUIT_BREAKER_RULE: &str = "DEPLOYMENT_CIRCUIT_BREAKER_RULE";
pub const SERVICE_CONNECT_NAMESPACE: &str = "SERVICE_CONNECT_NAMESPACE";
pub const MAESTRO_EVENTS_ROLE_ARN: &str = "MAESTRO_EVENTS_ROLE_ARN";

// maestro's settings: reporting.
pub const NEW_RELIC_API_KEY: &str = "NEW_RELIC_API_KEY";
pub const NEW_RELIC_APP_ID: &str = "NEW_RELIC_APP_ID";
pub const NEW_RELIC_DESCRIPTION: &str = "NEW_RELIC_DESCRIPTION";
pub const DEPLOY_WEBHOOK_URL: &str = "DEPLOY_WEBHOOK_URL";
pub const NEW_RELIC_ENTITY_GUID: &str = "NEW_RELIC_ENTITY_GUID";
pub const NEW_RELIC_REGION: &str = "NEW_RELIC_REGION";
pub const NEW_RELIC_API_URL: &str = "NEW_RELIC_API_URL";
/// Chat notifications (`report::notify`): a Slack incoming webhook, a Teams workflow's webhook,
/// and a generic JSON POST of the deploy's notification.
pub const MAESTRO_SLACK_WEBHOOK_URL: &str = "MAESTRO_SLACK_WEBHOOK_URL";
pub const MAESTRO_TEAMS_WEBHOOK_URL: &str = "MAESTRO_TEAMS_WEBHOOK_URL";
pub const MAESTRO_NOTIFY_URL: &str = "MAESTRO_NOTIFY_URL";
/// Notify when a deploy starts too, not only when it ends.
pub const MAESTRO_NOTIFY_ON_START: &str = "MAESTRO_NOTIFY_ON_START";
pub const MAESTRO_PREVIEWS: &str = "MAESTRO_PREVIEWS";
pub const MAESTRO_PREVIEW_ALB: &str = "MAESTRO_PREVIEW_ALB";
pub const MAESTRO_PREVIEW_DOMAIN: &str = "MAESTRO_PREVIEW_DOMAIN";
pub const MAESTRO_PREVIEW_CERTIFICATE_ARN: &str = "MAESTRO_PREVIEW_CERTIFICATE_ARN";
pub const MAESTRO_PREVIEW_CLUSTER: &str = "MAESTRO_PREVIEW_CLUSTER";
pub const MAESTRO_PREVIEW_SCHEDULES: &str = "MAESTRO_PREVIEW_SCHEDULES";
pub const MAESTRO_PREVIEW_PROCESSES: &str = "MAESTRO_PREVIEW_PROCESSES";
pub const MAESTRO_PREVIEW_SECRET: &str = "MAESTRO_PREVIEW_SECRET";
pub const MAESTRO_PREVIEW_TTL: &str = "MAESTRO_PREVIEW_TTL";
pub const MAESTRO_ENVIRONMENT: &str = "MAESTRO_ENVIRONMENT";
pub const MAESTRO_GITHUB_TOKEN: &str = "MAESTRO_GITHUB_TOKEN";
pub const MAESTRO_GITLAB_TOKEN: &str = "MAESTRO_GITLAB_TOKEN";
pub const MAESTRO_DOTENV_FILE: &str = "MAESTRO_DOTENV_FILE";
pub const MAESTRO_REPORT_TIMEOUT: &str = "MAESTRO_REPORT_TIMEOUT";

// maestro's settings: waiting.
pub const MAESTRO_POLL_INTERVAL: &str = "MAESTRO_POLL_INTERVAL";
pub const MAESTRO_PROGRESS_INTERVAL: &str = "MAESTRO_PROGRESS_INTERVAL";
pub const MAESTRO_RELEASE_TIMEOUT: &str = "MAESTRO_RELEASE_TIMEOUT";
pub const MAESTRO_DEPLOY_TIMEOUT: &str = "MAESTRO_DEPLOY_TIMEOUT";
pub const MAESTRO_NO_WAIT: &str = "MAESTRO_NO_WAIT";
pub const MAESTRO_ABORT_ON_CANCEL: &str = "MAESTRO_ABORT_ON_CANCEL";
pub const MAESTRO_DEPLOY_STRATEGY: &str = "MAESTRO_DEPLOY_STRATEGY";
pub const MAESTRO_APPROVAL: &str = "MAESTRO_APPROVAL";
pub const MAESTRO_WAIT_FOR_APPROVAL: &str = "MAESTRO_WAIT_FOR_APPROVAL";
pub const MAESTRO_EARLY_SUCCESS: &str = "MAESTRO_EARLY_SUCCESS";
pub const MAESTRO_ROLLBACK_ALARM: &str = "MAESTRO_ROLLBACK_ALARM";
pub const MAESTRO_WAIT_UNTIL: &str = "MAESTRO_WAIT_UNTIL";
pub const MAESTRO_INFRASTRUCTURE_ROLE_ARN: &str = "MAESTRO_INFRASTRUCTURE_ROLE_ARN";
pub const MAESTRO_TEST_LISTENER_PORT: &str = "MAESTRO_TEST_LISTENER_PORT";
pub const MAESTRO_NO_LOG_TAIL: &str = "MAESTRO_NO_LOG_TAIL";
pub const MAESTRO_NO_LOCK: &str = "MAESTRO_NO_LOCK";
pub const MAESTRO_NO_ECS_PACING: &str = "MAESTRO_NO_ECS_PACING";
pub const MAESTRO_LOCK_TIMEOUT: &str = "MAESTRO_LOCK_TIMEOUT";
pub const MAESTRO_LOCK_TTL: &str = "MAESTRO_LOCK_TTL";

// maestro's settings: AWS credentials (OIDC on GitHub Actions and GitLab CI).
pub const MAESTRO_ROLE_ARN: &str = "MAESTRO_ROLE_ARN";
/// Also the AWS SDK's web-identity role.
pub const AWS_ROLE_ARN: &str = "AWS_ROLE_ARN";
pub const MAESTRO_OIDC_AUDIENCE: &str = "MAESTRO_OIDC_AUDIENCE";
pub const MAESTRO_ROLE_DURATION_SECONDS: &str = "MAESTRO_ROLE_DURATION_SECONDS";
pub const MAESTRO_ROLE_SESSION_NAME: &str = "MAESTRO_ROLE_SESSION_NAME";
pub const MAESTRO_ROLE_CHAINING: &str = "MAESTRO_ROLE_CHAINING";
pub const MAESTRO_ROLE_EXTERNAL_ID: &str = "MAESTRO_ROLE_EXTERNAL_ID";
pub const MAESTRO_MASK_AWS_ACCOUNT_ID: &str = "MAESTRO_MASK_AWS_ACCOUNT_ID";
pub const MAESTRO_ALLOWED_ACCOUNT_IDS: &str = "MAESTRO_ALLOWED_ACCOUNT_IDS";
pub const MAESTRO_ID_TOKEN_VARIABLE: &str = "MAESTRO_ID_TOKEN_VARIABLE";
/// The variable GitLab's `id_tokens:` fills by default (the GitLab template uses this name).
pub const MAESTRO_ID_TOKEN: &str = "MAESTRO_ID_TOKEN";

/// maestro's settings, in the order `docs/inputs.md` and `action.yml` list them.
pub const MAESTRO: &[Variable] = &[
    input(MAESTRO_REPO_OVERRIDE, "repository"),
    input(REPO_SLUG, "repo-slug"),
    input(MAESTRO_APP, "app"),
    input(MAESTRO_BRANCH_OVERRIDE, "branch"),
    input(MAESTRO_COMMIT_OVERRIDE, "commit"),
    input(MAESTRO_ALLOW_FORKS, "allow-forks"),
    input(AWS_ACCOUNT_ID, "aws-account-id"),
    input(AWS_REGION, "aws-region"),
    // The SDK's fallback; `aws-region` sets AWS_REGION.
    setting(AWS_DEFAULT_REGION),
    input(ECS_CLUSTER_ID, "ecs-cluster-id"),
    input(MAESTRO_DESTROY_CONFIRM, "destroy-confirm"),
    input(MAESTRO_ROLLBACK_TO, "rollback-to"),
    input(MAESTRO_RUN_COMMAND, "run-command"),
    input(MAESTRO_RUN_SIZE, "run-size"),
    input(MAESTRO_SKIP_BUILD, "skip-build"),
    input(MAESTRO_ONLY_BUILD, "only-build"),
    input(MAESTRO_NO_CACHE, "no-cache"),
    input(MAESTRO_RUN_IMAGE, "run-image"),
    input(MAESTRO_BUILDER, "builder"),
    input(REPO_SUB_FOLDER, "repo-sub-folder"),
    input(MAESTRO_DEBUG, "debug"),
    input(MAESTRO_STRICT, "strict"),
    input(MAESTRO_IMAGE_REPOSITORY, "image-repository"),
    input(MAESTRO_REGISTRY_USERNAME, "registry-username"),
    input(MAESTRO_REGISTRY_PASSWORD, "registry-password"),
    input(MAESTRO_BUILD_AWS_CREDENTIALS, "build-aws-credentials"),
    input(MAESTRO_BUILD_SECRET_KEYS, "build-secret-keys"),
    input(MAESTRO_TRUST_BUILDER, "trust-builder"),
    input(MAESTRO_IMAGE_PULL_SECRET, "image-pull-secret"),
    input(MAESTRO_IMAGE_RETENTION, "image-retention"),
    input(MAESTRO_BUILD, "build"),
    input(MAESTRO_DOCKERFILE, "dockerfile"),
    input(MAESTRO_BUILD_TARGET, "build-target"),
    input(MAESTRO_IMAGE, "image"),
    input(MAESTRO_TEST, "test"),
    input(MAESTRO_TEST_COMMAND, "test-command"),
    input(MAESTRO_TEST_RUNNER, "test-runner"),
    input(MAESTRO_TEST_REPORT, "test-report"),
    input(MAESTRO_TEST_TARGET, "test-target"),
    input(ECS_SERVICE_TASK_PROCESSES, "ecs-service-task-processes"),
    input(ECS_EFS_VOLUMES, "ecs-efs-volumes"),
    input(ECS_CONTAINER_STOP_TIMEOUT, "ecs-container-stop-timeout"),
    input(ECS_TASK_ROLE_ARN, "ecs-task-role-arn"),
    input(ECS_EXECUTION_ROLE_ARN, "ecs-execution-role-arn"),
    input(MAESTRO_NO_LOG, "no-log"),
    input(MAESTRO_SECRET_NAME, "secret-name"),
    input(MAESTRO_LOG_RETENTION_DAYS, "log-retention-days"),
    input(MAESTRO_CAPACITY_PROVIDER, "capacity-provider"),
    input(MAESTRO_CPU_ARCHITECTURE, "cpu-architecture"),
    input(WORKLOAD_RESOURCE_TAGS, "workload-resource-tags"),
    input(PORT, "port"),
    input(ALB_NAME_OVERRIDE, "alb-name-override"),
    input(ALB_SCHEME, "alb-scheme"),
    input(ALB_SUBNETS, "alb-subnets"),
    input(ALB_SECURITY_GROUPS, "alb-security-groups"),
    input(ALB_CERTIFICATE_ARN, "alb-certificate-arn"),
    input(MAESTRO_HOST, "host"),
    input(MAESTRO_HEALTH_CHECK_PATH, "health-check-path"),
    input(MAESTRO_DEREGISTRATION_DELAY, "deregistration-delay"),
    input(MAESTRO_HEALTH_CHECK_GRACE_PERIOD, "health-check-grace-period"),
    input(MAESTRO_HEALTH_CHECK_INTERVAL, "health-check-interval"),
    input(MAESTRO_HEALTH_CHECK_TIMEOUT, "health-check-timeout"),
    input(MAESTRO_HEALTH_CHECK_HEALTHY_THRESHOLD, "health-check-healthy-threshold"),
    input(MAESTRO_HEALTH_CHECK_UNHEALTHY_THRESHOLD, "health-check-unhealthy-threshold"),
    input(WORKLOAD_VPC_ID, "workload-vpc-id"),
    input(ECS_SERVICE_SUBNETS, "ecs-service-subnets"),
    input(ECS_SERVICE_SECURITY_GROUPS, "ecs-service-security-groups"),
    input(DEPLOYMENT_CIRCUIT_BREAKER_RULE, "deployment-circuit-breaker-rule"),
    input(SERVICE_CONNECT_NAMESPACE, "service-connect-namespace"),
    input(MAESTRO_EVENTS_ROLE_ARN, "events-role-arn"),
    input(NEW_RELIC_API_KEY, "new-relic-api-key"),
    input(NEW_RELIC_APP_ID, "new-relic-app-id"),
    input(NEW_RELIC_DESCRIPTION, "new-relic-description"),
    input(DEPLOY_WEBHOOK_URL, "deploy-webhook-url"),
    input(NEW_RELIC_ENTITY_GUID, "new-relic-entity-guid"),
    input(NEW_RELIC_REGION, "new-relic-region"),
    input(NEW_RELIC_API_URL, "new-relic-api-url"),
    input(MAESTRO_SLACK_WEBHOOK_URL, "slack-webhook-url"),
    input(MAESTRO_TEAMS_WEBHOOK_URL, "teams-webhook-url"),
    input(MAESTRO_NOTIFY_URL, "notify-url"),
    input(MAESTRO_NOTIFY_ON_START, "notify-on-start"),
    input(MAESTRO_PREVIEWS, "previews"),
    input(MAESTRO_PREVIEW_ALB, "preview-alb"),
    input(MAESTRO_PREVIEW_DOMAIN, "preview-domain"),
    input(MAESTRO_PREVIEW_CERTIFICATE_ARN, "preview-certificate-arn"),
    input(MAESTRO_PREVIEW_CLUSTER, "preview-cluster"),
    input(MAESTRO_PREVIEW_SCHEDULES, "preview-schedules"),
    input(MAESTRO_PREVIEW_PROCESSES, "preview-processes"),
    input(MAESTRO_PREVIEW_SECRET, "preview-secret"),
    input(MAESTRO_PREVIEW_TTL, "preview-ttl"),
    input(MAESTRO_ENVIRONMENT, "environment"),
    // One token input, `github-token` (GITHUB_TOKEN's): an App's token goes there too.
    setting(MAESTRO_GITHUB_TOKEN),
    // GitLab only.
    setting(MAESTRO_GITLAB_TOKEN),
    setting(MAESTRO_DOTENV_FILE),
    input(MAESTRO_REPORT_TIMEOUT, "report-timeout"),
    input(MAESTRO_POLL_INTERVAL, "poll-interval"),
    setting(MAESTRO_PROGRESS_INTERVAL),
    input(MAESTRO_RELEASE_TIMEOUT, "release-timeout"),
    input(MAESTRO_DEPLOY_TIMEOUT, "deploy-timeout"),
    input(MAESTRO_NO_WAIT, "no-wait"),
    input(MAESTRO_ABORT_ON_CANCEL, "abort-on-cancel"),
    input(MAESTRO_DEPLOY_STRATEGY, "deploy-strategy"),
    input(MAESTRO_APPROVAL, "approval"),
    input(MAESTRO_WAIT_FOR_APPROVAL, "wait-for-approval"),
    input(MAESTRO_EARLY_SUCCESS, "early-success"),
    input(MAESTRO_ROLLBACK_ALARM, "rollback-alarm"),
    input(MAESTRO_WAIT_UNTIL, "wait-until"),
    input(MAESTRO_INFRASTRUCTURE_ROLE_ARN, "infrastructure-role-arn"),
    input(MAESTRO_TEST_LISTENER_PORT, "test-listener-port"),
    input(MAESTRO_NO_LOG_TAIL, "no-log-tail"),
    input(MAESTRO_NO_LOCK, "no-lock"),
    input(MAESTRO_NO_ECS_PACING, "no-ecs-pacing"),
    input(MAESTRO_LOCK_TIMEOUT, "lock-timeout"),
    input(MAESTRO_LOCK_TTL, "lock-ttl"),
    input(MAESTRO_ROLE_ARN, "role-to-assume"),
    // The SDK's variable; `role-to-assume` sets MAESTRO_ROLE_ARN.
    setting(AWS_ROLE_ARN),
    input(MAESTRO_OIDC_AUDIENCE, "audience"),
    input(MAESTRO_ROLE_DURATION_SECONDS, "role-duration-seconds"),
    input(MAESTRO_ROLE_SESSION_NAME, "role-session-name"),
    input(MAESTRO_ROLE_CHAINING, "role-chaining"),
    input(MAESTRO_ROLE_EXTERNAL_ID, "role-external-id"),
    input(MAESTRO_MASK_AWS_ACCOUNT_ID, "mask-aws-account-id"),
    input(MAESTRO_ALLOWED_ACCOUNT_IDS, "allowed-account-ids"),
    // GitLab only.
    setting(MAESTRO_ID_TOKEN_VARIABLE),
    setting(MAESTRO_ID_TOKEN),
];

/// maestro's settings whose values may carry a credential (a token, or a URL with one in its
/// path or user part): an input error names them and never shows their value.
pub const SECRET_BEARING: &[&str] = &[
    MAESTRO_REGISTRY_USERNAME,
    MAESTRO_REGISTRY_PASSWORD,
    NEW_RELIC_API_KEY,
    DEPLOY_WEBHOOK_URL,
    NEW_RELIC_API_URL,
    MAESTRO_SLACK_WEBHOOK_URL,
    MAESTRO_TEAMS_WEBHOOK_URL,
    MAESTRO_NOTIFY_URL,
    MAESTRO_GITHUB_TOKEN,
    MAESTRO_GITLAB_TOKEN,
    MAESTRO_ID_TOKEN,
    MAESTRO_ROLE_EXTERNAL_ID,
];

/// Names the original used once and then renamed, with their replacement.
pub const RENAMED: &[(&str, &str)] = &[
    ("ALB_NAME_SLUG", ALB_NAME_OVERRIDE),
    ("MAESTRO_CLEAR_CACHE", MAESTRO_NO_CACHE),
    ("REPO_SUB_DIR", REPO_SUB_FOLDER),
    ("DISABLE_SCALE_IN", "`&nosclin` in ECS_SERVICE_TASK_PROCESSES"),
];
