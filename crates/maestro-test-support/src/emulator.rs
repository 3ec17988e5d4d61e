//! The AWS emulator (moto server) that `scripts/test.sh` installs and starts on loopback, and the
//! calls tests and the benchmark make to it outside the SDK.

/// The emulator's URL. A test that calls this carries
/// `#[ignore = "needs the AWS emulator: bash scripts/test.sh"]`, so a bare `cargo test` reports it
/// as ignored; run with the ignored tests included and no emulator, it fails here, saying why.
pub fn moto_url() -> String {
    std::env::var("MAESTRO_TEST_MOTO_URL").unwrap_or_else(|_| {
        panic!(
            "MAESTRO_TEST_MOTO_URL is not set: this test needs the AWS emulator; run `bash scripts/test.sh`, which starts it"
        )
    })
}

/// One call to the emulator's own API, outside the SDK. moto reads the account from a header and
/// checks no signature, so a fixed SigV4 header stands in for signing; this spares the tests
/// and the benchmark the SDK crates of services they only set up (EC2's is the largest).
#[derive(Debug, Clone)]
pub struct EmulatorCall {
    account: String,
    service: &'static str,
    /// `X-Amz-Target` of a JSON protocol; `None` for a query (form-encoded) protocol.
    target: Option<String>,
    body: String,
}

impl EmulatorCall {
    /// A query-protocol call (EC2, STS): `query` is `Action=…&Version=…&…`.
    pub fn query(account: &str, service: &'static str, query: impl Into<String>) -> Self {
        Self { account: account.to_owned(), service, target: None, body: query.into() }
    }

    /// A JSON-protocol call (ACM, ECR, Secrets Manager): `target` is `Prefix.Operation`.
    pub fn json(account: &str, service: &'static str, target: &str, body: &serde_json::Value) -> Self {
        Self { account: account.to_owned(), service, target: Some(target.to_owned()), body: body.to_string() }
    }

    /// IAM CreateRole: the role `name`, trusting the service principal `service`. IAM takes the
    /// policy document as a form value, so URL-encoded.
    pub fn create_role(account: &str, name: &str, service: &str) -> Self {
        let trust = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{service}"}},"Action":"sts:AssumeRole"}}]}}"#
        );
        let encoded: String = trust
            .bytes()
            .map(|byte| match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(byte).to_string(),
                _ => format!("%{byte:02X}"),
            })
            .collect();
        let query = format!("Action=CreateRole&Version=2010-05-08&RoleName={name}&AssumeRolePolicyDocument={encoded}");
        Self::query(account, "iam", query)
    }

    /// The headers that route the call to its account and service.
    fn headers(&self) -> Vec<(&'static str, String)> {
        let mut headers = vec![
            ("x-moto-account-id", self.account.clone()),
            (
                "authorization",
                format!(
                    "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/{}/aws4_request, SignedHeaders=host, Signature=0",
                    self.service
                ),
            ),
        ];
        match &self.target {
            Some(target) => {
                headers.push(("x-amz-target", target.clone()));
                headers.push(("content-type", "application/x-amz-json-1.1".to_owned()));
            }
            None => headers.push(("content-type", "application/x-www-form-urlencoded".to_owned())),
        }
        headers
    }

    /// Sends the call to the emulator; the answer's body.
    pub async fn send(&self) -> String {
        let mut request = reqwest::Client::new().post(moto_url());
        for (name, value) in self.headers() {
            request = request.header(name, value);
        }
        let answer = request.body(self.body.clone()).send().await.expect("the emulator answers");
        answer.text().await.expect("a body")
    }

    /// [`Self::send`] for code with no async runtime (the benchmark's setup).
    pub fn send_blocking(&self) -> String {
        let mut request = reqwest::blocking::Client::new().post(moto_url());
        for (name, value) in self.headers() {
            request = request.header(name, value);
        }
        request
            .body(self.body.clone())
            .send()
            .and_then(reqwest::blocking::Response::text)
            .expect("the emulator answers")
    }
}

/// Chooses how the emulator's one-off tasks of `family` end: `plan` holds their `exit_code`, or
/// a `stop_code` and `reason` (`tests/support/moto_plus.py`).
pub async fn plan_task(family: &str, plan: serde_json::Value) {
    let mut body = plan;
    body["family"] = serde_json::json!(family);
    control("ecs-task", &body).await;
}

/// Chooses how the emulator's next deployment of `service` ends (`COMPLETED`, `FAILED` as a
/// circuit-breaker rollback, or `STUCK`), after one poll.
pub async fn plan_rollout(service: &str, outcome: &str) {
    control("ecs-rollout", &serde_json::json!({"service": service, "outcome": outcome, "ticks": 1})).await;
}

/// Has the emulator end `service`'s next deployments with `outcome` after `ticks` looks at it
/// (DescribeServices calls), its tasks starting one per look until then: a slow rollout.
pub async fn plan_slow_rollout(service: &str, outcome: &str, ticks: u32) {
    control("ecs-rollout", &serde_json::json!({"service": service, "outcome": outcome, "ticks": ticks})).await;
}

/// What the emulator's ECS did in service deployment `arn` (`GET /__plus/service-deployment`):
/// every lifecycle stage it entered, in order (`stages`), the production rule's
/// `[primary, alternate]` weights as found and after each change (`weights`), and the target group
/// holding all production traffic now (`productionTargetGroup`).
pub async fn service_deployment_trace(arn: &str) -> serde_json::Value {
    // An ARN's `:` and `/` need no escaping in a query.
    let url = format!("{}/__plus/service-deployment?arn={arn}", moto_url());
    let answer = reqwest::Client::new().get(url).send().await.expect("the emulator answers");
    assert!(answer.status().is_success(), "service-deployment: {}", answer.status());
    answer.json().await.expect("the trace is JSON")
}

/// Has the emulator record every call `account` makes from now on (tests/support/journal.py).
pub async fn start_journal(account: &str) {
    control("journal", &serde_json::json!({"account": account})).await;
}

/// The calls `account` made since [`start_journal`]: `service` (moto's name), `action`, `region`
/// and `params` (the request's JSON body or query form).
pub async fn journal(account: &str) -> Vec<serde_json::Value> {
    let url = format!("{}/__plus/journal?account={account}", moto_url());
    let answer = reqwest::Client::new().get(url).send().await.expect("the emulator answers");
    assert!(answer.status().is_success(), "journal: {}", answer.status());
    answer.json().await.expect("the journal is JSON")
}

/// Has the emulator refuse `actions` (`ssm:PutParameter`) to `account` from now on, as AWS refuses
/// a call the caller's policy does not allow (tests/support/denials.py).
pub async fn deny(account: &str, actions: &[&str]) {
    control("deny", &serde_json::json!({"account": account, "actions": actions})).await;
}

/// Marks `account`'s certificate `arn` (us-east-1) ISSUED, as when its DNS validation is done.
pub async fn issue_certificate(account: &str, arn: &str) {
    control("acm-issue", &serde_json::json!({"account": account, "region": "us-east-1", "arn": arn})).await;
}

/// Puts `account` on the emulator's scaled clock (tests/support/scaled_clock.py): its rolling
/// deployments take the time ECS would (`task_start` AWS seconds to start, then their target
/// group's health checks, then its deregistration delay), one AWS second lasting `aws_second`.
/// Blocking, for the benchmark.
pub fn scale_clock(account: &str, aws_second: std::time::Duration, task_start: u32) {
    let url = format!("{}/__plus/clock", moto_url());
    let body = serde_json::json!({"account": account, "scale": aws_second.as_secs_f64(), "task_start": task_start});
    let answer = reqwest::blocking::Client::new().post(url).json(&body).send().expect("the emulator answers");
    assert!(answer.status().is_success(), "clock: {}", answer.status());
}

/// Has the emulator throttle `account`'s ECS calls at ECS's documented per-account rates from now
/// on (tests/support/strict/ecs_throttling.py: a token bucket per Region and category of actions).
/// Blocking, for the benchmark and for tests alike.
pub fn throttle_ecs(account: &str) {
    let url = format!("{}/__plus/throttle", moto_url());
    let body = serde_json::json!({"account": account});
    let answer = reqwest::blocking::Client::new().post(url).json(&body).send().expect("the emulator answers");
    assert!(answer.status().is_success(), "throttle: {}", answer.status());
}

/// How many of `account`'s ECS calls the emulator refused with `ThrottlingException` since
/// [`throttle_ecs`], in all and by action (`{"throttled": 3, "by_action": {"RegisterTaskDefinition": 3}}`).
/// Blocking.
pub fn ecs_throttled(account: &str) -> serde_json::Value {
    let url = format!("{}/__plus/throttle?account={account}", moto_url());
    let answer = reqwest::blocking::Client::new().get(url).send().expect("the emulator answers");
    assert!(answer.status().is_success(), "throttle report: {}", answer.status());
    answer.json().expect("the report is JSON")
}

/// One of moto_plus.py's `/__plus/<path>` controls.
async fn control(path: &str, body: &serde_json::Value) {
    let url = format!("{}/__plus/{path}", moto_url());
    let status = reqwest::Client::new().post(url).json(body).send().await.expect("the emulator answers").status();
    assert!(status.is_success(), "{path}: {status}");
}

/// Every value of `<tag>…</tag>` in a query-protocol XML answer, in order.
pub fn xml_values(xml: &str, tag: &str) -> Vec<String> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    xml.split(&open).skip(1).filter_map(|rest| rest.split(&close).next().map(str::to_owned)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_values_are_every_tag_in_order() {
        let xml = "<a><subnetId>subnet-1</subnetId><x/><subnetId>subnet-2</subnetId><vpcId>vpc-9</vpcId></a>";
        assert_eq!(xml_values(xml, "subnetId"), ["subnet-1", "subnet-2"]);
        assert_eq!(xml_values(xml, "vpcId"), ["vpc-9"]);
        assert!(xml_values(xml, "groupId").is_empty());
    }

    #[test]
    fn a_call_routes_to_its_account_and_service_and_names_a_json_target() {
        let query = EmulatorCall::query("111122223333", "ec2", "Action=DescribeSubnets");
        let headers = query.headers();
        assert!(headers.contains(&("x-moto-account-id", "111122223333".to_owned())));
        assert!(headers.iter().any(|(name, value)| *name == "authorization" && value.contains("/us-east-1/ec2/")));
        assert!(headers.contains(&("content-type", "application/x-www-form-urlencoded".to_owned())));
        let json =
            EmulatorCall::json("111122223333", "acm", "CertificateManager.RequestCertificate", &serde_json::json!({}));
        assert!(json.headers().contains(&("x-amz-target", "CertificateManager.RequestCertificate".to_owned())));
        assert!(json.headers().contains(&("content-type", "application/x-amz-json-1.1".to_owned())));
    }
}
