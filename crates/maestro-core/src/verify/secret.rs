//! The app's secret: the Secrets Manager secret whose keys become the containers' variables.
//! It is optional under its default name (`<branch>/<slug>`): the report says which secret the
//! run uses, or that there is none. Named by MAESTRO_SECRET_NAME, it must exist: a misspelt name
//! would otherwise deploy the app without its variables.

use super::{Finding, Verdict};
use crate::input::vars as var;
use crate::plan::desired::DesiredState;
use crate::settings::Settings;

/// The secret the run uses, and whether MAESTRO_SECRET_NAME named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretInput {
    pub name: String,
    pub named: bool,
}

impl SecretInput {
    pub fn of(settings: &Settings, desired: &DesiredState) -> Self {
        Self { name: desired.secret.clone(), named: settings.tasks.secret_name.is_some() }
    }
}

/// `arn`: the secret's ARN as DescribeSecret answers it, `None` when it does not exist.
pub fn judge(input: &SecretInput, arn: Option<&str>) -> Verdict {
    let mut verdict = Verdict::default();
    match arn {
        Some(arn) => {
            verdict.checked(format!("secret {} exists ({arn}): its keys become the tasks' variables", input.name))
        }
        None if input.named => verdict.found(Finding {
            input: var::MAESTRO_SECRET_NAME,
            resource: format!("secret {}", input.name),
            problem: "does not exist in this account and region".to_owned(),
            fix: format!(
                "correct {} (`aws secretsmanager list-secrets` lists the secrets), or create it: \
                 `aws secretsmanager create-secret --name {} --secret-string '{{}}'`",
                var::MAESTRO_SECRET_NAME,
                input.name
            ),
        }),
        None => verdict.checked(format!(
            "no secret {}: the tasks get no variables from a secret (create one of that name, or set {}, to add some)",
            input.name,
            var::MAESTRO_SECRET_NAME
        )),
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(named: bool) -> SecretInput {
        SecretInput { name: "staging/acme-shop".to_owned(), named }
    }

    #[test]
    fn an_existing_secret_is_the_one_the_run_uses() {
        let verdict = judge(&input(true), Some("arn:aws:secretsmanager:us-east-1:1:secret:staging/acme-shop-AbCdEf"));
        assert_eq!(verdict.findings, []);
        assert!(verdict.checked[0].starts_with("secret staging/acme-shop exists (arn:"), "{verdict:?}");
    }

    #[test]
    fn a_missing_default_secret_is_said_and_a_missing_named_one_is_a_finding() {
        let default = judge(&input(false), None);
        assert_eq!(default.findings, []);
        assert!(default.checked[0].starts_with("no secret staging/acme-shop: the tasks get no variables"));
        let named = judge(&input(true), None);
        assert_eq!(named.findings.len(), 1);
        let finding = &named.findings[0];
        assert_eq!((finding.input, finding.resource.as_str()), (var::MAESTRO_SECRET_NAME, "secret staging/acme-shop"));
        assert!(finding.fix.contains("create-secret --name staging/acme-shop"), "{finding:?}");
    }
}
