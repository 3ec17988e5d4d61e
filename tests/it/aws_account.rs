//! One AWS account per test in the emulator: moto keys all state by account, so tests that
//! assume a role in their own account run in parallel without resets or cross-talk.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;

use crate::emulator::moto_url;

pub(crate) struct TestAccount {
    pub(crate) id: String,
    pub(crate) config: SdkConfig,
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
    /// `None` (the test is skipped) when the emulator is not running outside `scripts/test.sh`.
    pub(crate) async fn new(name: &str) -> Option<TestAccount> {
        let moto = moto_url()?;
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
        Some(TestAccount { id, config })
    }
}

/// A configuration whose every call goes to `endpoint` (a loopback server scripting AWS errors).
pub(crate) async fn scripted(endpoint: &str) -> SdkConfig {
    base(endpoint).credentials_provider(Credentials::new("testing", "testing", None, None, "test")).load().await
}
