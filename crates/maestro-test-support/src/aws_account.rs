//! One AWS account per test in the emulator: moto keys all state by account, so tests that
//! assume a role in their own account run in parallel without resets or cross-talk.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;

use crate::emulator::{EmulatorCall, moto_url, xml_values};

pub struct TestAccount {
    pub id: String,
    pub config: SdkConfig,
    /// The variables that put a spawned `maestro` in this account of the emulator.
    pub env: Vec<(String, String)>,
}

/// A 12-digit account id derived from `name`, stable across runs.
fn account_id(name: &str) -> String {
    let hash = name
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3));
    format!("{:012}", 100_000_000_000 + hash % 800_000_000_000)
}

fn base(endpoint: &str) -> aws_config::ConfigLoader {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .retry_config(
            aws_config::retry::RetryConfig::standard()
                .with_max_attempts(2)
                .with_initial_backoff(std::time::Duration::from_millis(10)),
        )
}

impl TestAccount {
    /// The account named after the test `name`, signed in. Panics (saying to run
    /// `bash scripts/test.sh`) when the emulator is not running.
    pub async fn new(name: &str) -> TestAccount {
        let moto = moto_url();
        let id = account_id(name);
        let root =
            base(&moto).credentials_provider(Credentials::new("testing", "testing", None, None, "test")).load().await;
        let assumed = aws_sdk_sts::Client::new(&root)
            .assume_role()
            .role_arn(format!("arn:aws:iam::{id}:role/test"))
            .role_session_name(name.chars().filter(char::is_ascii_alphanumeric).take(60).collect::<String>())
            .send()
            .await
            .expect("the emulator's STS assumes any role");
        let keys = assumed.credentials().expect("credentials");
        let credentials = Credentials::new(
            keys.access_key_id(),
            keys.secret_access_key(),
            Some(keys.session_token().to_owned()),
            None,
            "test-account",
        );
        let config = base(&moto).credentials_provider(credentials).load().await;
        let env = vec![
            ("AWS_ACCESS_KEY_ID".to_owned(), keys.access_key_id().to_owned()),
            ("AWS_SECRET_ACCESS_KEY".to_owned(), keys.secret_access_key().to_owned()),
            ("AWS_SESSION_TOKEN".to_owned(), keys.session_token().to_owned()),
            ("AWS_ENDPOINT_URL".to_owned(), moto),
            ("AWS_REGION".to_owned(), "us-east-1".to_owned()),
            ("AWS_MAX_ATTEMPTS".to_owned(), "2".to_owned()),
        ];
        let account = TestAccount { id, config, env };
        // Scheduled tasks use the account's `ecsEventsRole` unless told otherwise, and `verify`
        // reads it: every account has one, as an account where the console once made a schedule.
        // (Created again for a second account of one name: IAM then says it exists, which is fine.)
        account.create_role("ecsEventsRole", "events.amazonaws.com").await;
        account
    }

    /// Asks the emulator's EC2 API directly, which spares the test suite the EC2 SDK crate.
    async fn ec2(&self, action: &str) -> String {
        EmulatorCall::query(&self.id, "ec2", format!("Action={action}&Version=2016-11-15")).send().await
    }

    /// Creates the role `name` in this account, trusting `service` (`ecs-tasks.amazonaws.com`,
    /// `events.amazonaws.com`); its ARN.
    pub async fn role(&self, name: &str, service: &str) -> String {
        let answer = self.create_role(name, service).await;
        xml_values(&answer, "Arn").first().cloned().unwrap_or_else(|| panic!("CreateRole answered {answer}"))
    }

    /// CreateRole's answer (an error when the role exists).
    async fn create_role(&self, name: &str, service: &str) -> String {
        EmulatorCall::create_role(&self.id, name, service).send().await
    }

    /// An ACM certificate in this account of the emulator (moto accepts HTTPS listeners only with one).
    pub async fn certificate(&self, domain: &str) -> String {
        let request = serde_json::json!({"DomainName": domain});
        let answer =
            EmulatorCall::json(&self.id, "acm", "CertificateManager.RequestCertificate", &request).send().await;
        let answer: serde_json::Value = serde_json::from_str(&answer).expect("JSON");
        answer["CertificateArn"].as_str().expect("a certificate ARN").to_owned()
    }

    /// The account's default network.
    pub async fn network(&self) -> Network {
        let subnets = self.ec2("DescribeSubnets").await;
        let groups = self.ec2("DescribeSecurityGroups").await;
        Network {
            vpc_id: xml_values(&subnets, "vpcId").first().cloned().expect("a default VPC"),
            subnets: xml_values(&subnets, "subnetId").into_iter().take(2).collect(),
            security_group: xml_values(&groups, "groupId").first().cloned().expect("a default security group"),
        }
    }

    /// Makes `<repository>:<tag>` exist in the account's ECR, as a previous build would have.
    pub async fn seed_image(&self, repository: &str, tag: &str) {
        let ecr = aws_sdk_ecr::Client::new(&self.config);
        let _ = ecr.create_repository().repository_name(repository).send().await;
        // Each commit's image has a layer of its own, so a digest of its own: maestro names the
        // image by digest, and two commits sharing one would be the same deploy. (moto derives the
        // digest from the layers' digests, not from the manifest's bytes as ECR does.)
        let hex: String = tag.bytes().map(|byte| format!("{byte:02x}")).collect();
        let manifest = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "digest": format!("sha256:{:064}", 1), "size": 2},
            "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 1, "digest": format!("sha256:{hex:0>64.64}")}]
        });
        let put = ecr
            .put_image()
            .repository_name(repository)
            .image_tag(tag)
            .image_manifest(manifest.to_string())
            .send()
            .await;
        if let Err(error) = put {
            use aws_sdk_ecr::error::ProvideErrorMetadata;
            assert_eq!(error.code(), Some("ImageAlreadyExistsException"), "{error:?}");
        }
    }

    /// The network variables naming the account's default network: `maestro verify`, which
    /// `deploy` and `plan` run first, refuses the example env file's made-up ids.
    pub async fn network_env(&self) -> Vec<(String, String)> {
        let network = self.network().await;
        let subnets = network.subnets.join(",");
        [
            ("ECS_SERVICE_SUBNETS", subnets.as_str()),
            ("ALB_SUBNETS", subnets.as_str()),
            ("ECS_SERVICE_SECURITY_GROUPS", network.security_group.as_str()),
            ("ALB_SECURITY_GROUPS", network.security_group.as_str()),
            ("WORKLOAD_VPC_ID", network.vpc_id.as_str()),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
    }

    /// The variables that deploy the example app into this account: its credentials, its
    /// default network, its id (the example's is not this test's), and fast polling. The
    /// commit's image is expected to exist (`MAESTRO_SKIP_BUILD`; `build.rs` tests the build).
    pub async fn deploy_env(&self) -> Vec<(String, String)> {
        let mut env = self.env.clone();
        env.extend(self.network_env().await);
        for (name, value) in
            [("AWS_ACCOUNT_ID", self.id.as_str()), ("MAESTRO_POLL_INTERVAL", "0.05"), ("MAESTRO_SKIP_BUILD", "true")]
        {
            env.push((name.to_owned(), value.to_owned()));
        }
        env
    }
}

/// The account's default network in the emulator (moto gives every account a default VPC).
pub struct Network {
    pub vpc_id: String,
    pub subnets: Vec<String>,
    pub security_group: String,
}

/// A configuration whose every call goes to `endpoint` (a loopback server scripting AWS errors).
pub async fn scripted(endpoint: &str) -> SdkConfig {
    base(endpoint).credentials_provider(Credentials::new("testing", "testing", None, None, "test")).load().await
}
