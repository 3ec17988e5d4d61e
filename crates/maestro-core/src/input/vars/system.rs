//! The AWS SDK's, the system's, Docker's and pack's variables, and the ones maestro writes.

use super::{Variable, foreign};

// The AWS SDK's own (maestro's AWS_REGION, AWS_DEFAULT_REGION and AWS_ROLE_ARN are above).
/// Attempts per AWS call; maestro's default of 8 gives way to it.
pub const AWS_MAX_ATTEMPTS: &str = "AWS_MAX_ATTEMPTS";
/// With AWS_ROLE_ARN, the SDK's own web-identity sign-in, which maestro leaves to the SDK.
pub const AWS_WEB_IDENTITY_TOKEN_FILE: &str = "AWS_WEB_IDENTITY_TOKEN_FILE";
/// The keys a build gets under `MAESTRO_BUILD_AWS_CREDENTIALS=true`.
pub const AWS_ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
pub const AWS_SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
pub const AWS_SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";
/// Where the SDK's default chain looks for credentials, named when it finds none
/// (https://docs.aws.amazon.com/sdkref/latest/guide/settings-reference.html#EVarSettings).
pub const AWS_PROFILE: &str = "AWS_PROFILE";
pub const AWS_CONFIG_FILE: &str = "AWS_CONFIG_FILE";
pub const AWS_SHARED_CREDENTIALS_FILE: &str = "AWS_SHARED_CREDENTIALS_FILE";
pub const AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
pub const AWS_CONTAINER_CREDENTIALS_FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
pub const AWS_EC2_METADATA_DISABLED: &str = "AWS_EC2_METADATA_DISABLED";
/// Every AWS variable: an app's secret may not set them for the build.
pub const AWS_PREFIX: &str = "AWS_";

// The system's, Docker's and pack's.
pub const PATH: &str = "PATH";
pub const HOME: &str = "HOME";
pub const USER: &str = "USER";
pub const LOGNAME: &str = "LOGNAME";
pub const TMPDIR: &str = "TMPDIR";
pub const LANG: &str = "LANG";
pub const LC_ALL: &str = "LC_ALL";
pub const TZ: &str = "TZ";
pub const SSL_CERT_FILE: &str = "SSL_CERT_FILE";
pub const SSL_CERT_DIR: &str = "SSL_CERT_DIR";
pub const HTTP_PROXY: &str = "HTTP_PROXY";
pub const HTTPS_PROXY: &str = "HTTPS_PROXY";
pub const NO_PROXY: &str = "NO_PROXY";
/// curl's lower-case spellings, which many tools read too.
pub const HTTP_PROXY_LOWER: &str = "http_proxy";
pub const HTTPS_PROXY_LOWER: &str = "https_proxy";
pub const NO_PROXY_LOWER: &str = "no_proxy";
pub const XDG_CONFIG_HOME: &str = "XDG_CONFIG_HOME";
pub const XDG_RUNTIME_DIR: &str = "XDG_RUNTIME_DIR";
/// No colours in the log (https://no-color.org).
pub const NO_COLOR: &str = "NO_COLOR";
/// Set by most CI services (CircleCI, Buildkite, Jenkins' plugins, Travis, Drone…): a job, even
/// one given a pseudo-terminal, has nobody to answer a question or watch a redraw.
pub const GENERIC_CI: &str = "CI";
/// `dumb` for a terminal that cannot redraw a line in place.
pub const TERM: &str = "TERM";
/// Colours even when stderr is not a terminal (https://bixense.com/clicolors/, and the
/// `FORCE_COLOR` many Node and Python tools read).
pub const CLICOLOR_FORCE: &str = "CLICOLOR_FORCE";
pub const FORCE_COLOR: &str = "FORCE_COLOR";
pub const DOCKER_HOST: &str = "DOCKER_HOST";
pub const DOCKER_TLS_VERIFY: &str = "DOCKER_TLS_VERIFY";
pub const DOCKER_CERT_PATH: &str = "DOCKER_CERT_PATH";
/// The folder of the Docker client's `config.json`: pack's registry logins.
pub const DOCKER_CONFIG: &str = "DOCKER_CONFIG";
/// Every Docker client setting.
pub const DOCKER_PREFIX: &str = "DOCKER_";
/// Every buildx setting (`BUILDX_CONFIG`, `BUILDX_BUILDER`, …).
pub const BUILDX_PREFIX: &str = "BUILDX_";
/// Every pack setting (`PACK_HOME`, …).
pub const PACK_PREFIX: &str = "PACK_";
/// Families that pack (a Go program), the Docker client in it and libc read from their own
/// environment: TLS roots, the dynamic loader, Go's runtime and toolchain, the XDG folders.
pub const SSL_PREFIX: &str = "SSL_";
pub const LD_PREFIX: &str = "LD_";
pub const GO_PREFIX: &str = "GO";
pub const XDG_PREFIX: &str = "XDG_";
/// Go's `net/http` reads `HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY` in either case.
pub const PROXY_SUFFIX: &str = "_PROXY";

// Written, not read: the GitLab dotenv report (MAESTRO_DOTENV_FILE documents them).
pub const MAESTRO_STATUS: &str = "MAESTRO_STATUS";
pub const MAESTRO_ENVIRONMENT_URL: &str = "MAESTRO_ENVIRONMENT_URL";
/// A deploy awaiting approval: where its new revision answers before production traffic does.
pub const MAESTRO_TEST_URL: &str = "MAESTRO_TEST_URL";
pub const MAESTRO_IMAGE_URI: &str = "MAESTRO_IMAGE_URI";
pub const MAESTRO_IMAGE_DIGEST: &str = "MAESTRO_IMAGE_DIGEST";

// ECS's, under maestro's `ECS_` prefix: a job that runs in an ECS task (a GitLab runner on
// Fargate, a CodeBuild-like container) has them, and they are not typos. "The environment
// variable ECS_CONTAINER_METADATA_URI_V4 is injected in each container in a task"
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v4.html);
// ECS_CONTAINER_METADATA_URI is v3's; ECS_AGENT_URI is the task scale-in protection endpoint's
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection-endpoint.html).
pub const ECS_CONTAINER_METADATA_URI: &str = "ECS_CONTAINER_METADATA_URI";
pub const ECS_CONTAINER_METADATA_URI_V4: &str = "ECS_CONTAINER_METADATA_URI_V4";
pub const ECS_AGENT_URI: &str = "ECS_AGENT_URI";

/// The SDK's, the system's and the written variables.
pub const SYSTEM: &[Variable] = &[
    foreign(AWS_MAX_ATTEMPTS),
    foreign(AWS_WEB_IDENTITY_TOKEN_FILE),
    foreign(AWS_ACCESS_KEY_ID),
    foreign(AWS_SECRET_ACCESS_KEY),
    foreign(AWS_SESSION_TOKEN),
    foreign(AWS_PROFILE),
    foreign(AWS_CONFIG_FILE),
    foreign(AWS_SHARED_CREDENTIALS_FILE),
    foreign(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI),
    foreign(AWS_CONTAINER_CREDENTIALS_FULL_URI),
    foreign(AWS_EC2_METADATA_DISABLED),
    foreign(PATH),
    foreign(HOME),
    foreign(USER),
    foreign(LOGNAME),
    foreign(TMPDIR),
    foreign(LANG),
    foreign(LC_ALL),
    foreign(TZ),
    foreign(SSL_CERT_FILE),
    foreign(SSL_CERT_DIR),
    foreign(HTTP_PROXY),
    foreign(HTTPS_PROXY),
    foreign(NO_PROXY),
    foreign(HTTP_PROXY_LOWER),
    foreign(HTTPS_PROXY_LOWER),
    foreign(NO_PROXY_LOWER),
    foreign(XDG_CONFIG_HOME),
    foreign(XDG_RUNTIME_DIR),
    foreign(NO_COLOR),
    foreign(GENERIC_CI),
    foreign(TERM),
    foreign(CLICOLOR_FORCE),
    foreign(FORCE_COLOR),
    foreign(DOCKER_HOST),
    foreign(DOCKER_TLS_VERIFY),
    foreign(DOCKER_CERT_PATH),
    foreign(DOCKER_CONFIG),
    foreign(MAESTRO_STATUS),
    foreign(MAESTRO_ENVIRONMENT_URL),
    foreign(MAESTRO_TEST_URL),
    foreign(MAESTRO_IMAGE_URI),
    foreign(MAESTRO_IMAGE_DIGEST),
    foreign(ECS_CONTAINER_METADATA_URI),
    foreign(ECS_CONTAINER_METADATA_URI_V4),
    foreign(ECS_AGENT_URI),
];
