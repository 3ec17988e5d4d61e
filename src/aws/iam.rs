//! IAM, read by `maestro verify`: the roles the inputs hand to ECS and EventBridge (GetRole: the
//! role's ARN and its trust policy, never its permissions), and for the permissions check the
//! deploy role's ARN (GetRole) and IAM's policy simulator over its policies
//! (SimulatePrincipalPolicy). The permissions reads are optional for the role: a refusal is a
//! reason the permissions were not checked, never a failure of the run.

use aws_sdk_iam::Client;
use aws_sdk_iam::types::PolicyEvaluationDecisionType;

use super::Session;
use super::calls::CallLog;
use super::failure::{code, failure};
use crate::error::Failure;
use maestro_core::permissions::is_access_denied;
use maestro_core::verify::permissions::{Answer, Decision, Question};
use maestro_core::verify::roles::{ObservedRole, ObservedRoles};

#[derive(Debug, Clone)]
pub(crate) struct Iam(pub(crate) Client);

impl Session {
    /// The IAM client of `maestro verify`, reporting its calls to `log`.
    pub(crate) fn iam(&self, log: &CallLog) -> Iam {
        Iam(Client::from_conf(aws_sdk_iam::config::Builder::from(&self.0).interceptor(log.clone()).build()))
    }
}

/// What was asked, or why it could not be: IAM refused the call, or the role does not exist.
pub(crate) type Asked<T> = Result<T, String>;

impl Iam {
    /// The ARN of role `name`, with its path (an assumed role's ARN has none).
    pub(crate) async fn role_arn(&self, name: &str) -> Result<Asked<String>, Failure> {
        match self.0.get_role().role_name(name).send().await {
            Ok(output) => {
                Ok(output.role().map(|role| role.arn().to_owned()).ok_or_else(|| "GetRole answered no role".to_owned()))
            }
            Err(error) if code(&error).is_some_and(is_access_denied) => {
                Ok(Err(format!("the role may not call iam:GetRole on itself ({name})")))
            }
            Err(error) if code(&error) == Some("NoSuchEntity") => Ok(Err(format!("IAM has no role named {name}"))),
            Err(error) => Err(failure(&format!("read the role {name}"), &error)),
        }
    }

    /// The simulator's decision on each of `question`'s actions for `role_arn`, to the last page.
    pub(crate) async fn simulate(&self, role_arn: &str, question: &Question) -> Result<Asked<Vec<Answer>>, Failure> {
        let mut answers = Vec::new();
        let mut marker = None;
        loop {
            let call = self
                .0
                .simulate_principal_policy()
                .policy_source_arn(role_arn)
                .set_action_names(Some(question.actions.iter().map(|action| (*action).to_owned()).collect()))
                .resource_arns(&question.resource)
                .set_marker(marker.take());
            let page = match call.send().await {
                Ok(page) => page,
                Err(error) if code(&error).is_some_and(is_access_denied) => {
                    return Ok(Err("the role may not call iam:SimulatePrincipalPolicy on itself".to_owned()));
                }
                Err(error) => return Err(failure(&format!("simulate the policies of {role_arn}"), &error)),
            };
            for result in page.evaluation_results() {
                let decision = match result.eval_decision() {
                    PolicyEvaluationDecisionType::Allowed => Decision::Allowed,
                    PolicyEvaluationDecisionType::ExplicitDeny => Decision::ExplicitDeny,
                    _ => Decision::ImplicitDeny,
                };
                let resource = result.eval_resource_name().unwrap_or(&question.resource).to_owned();
                answers.push(Answer { action: result.eval_action_name().to_owned(), resource, decision });
            }
            match page.marker() {
                Some(next) if page.is_truncated() => marker = Some(next.to_owned()),
                _ => return Ok(Ok(answers)),
            }
        }
    }
}

impl Iam {
    /// Those of the roles `names` that exist, by name. The few roles of a run (three at most)
    /// are read one after the other.
    pub(crate) async fn roles(&self, names: &[String]) -> Result<ObservedRoles, Failure> {
        // Every role at once: the reads do not depend on each other.
        let mut reads = tokio::task::JoinSet::new();
        for (index, name) in names.iter().enumerate() {
            let (iam, name) = (self.clone(), name.clone());
            reads.spawn(async move { (index, iam.role(&name).await.map(|role| (name, role))) });
        }
        let mut answers = Vec::new();
        while let Some(joined) = reads.join_next().await {
            answers.push(joined.map_err(|error| Failure::new(format!("reading roles stopped: {error}")))?);
        }
        // In the names' order: the first role's failure is said, whichever answers first.
        answers.sort_by_key(|(index, _)| *index);
        let mut found = ObservedRoles::new();
        for (_, answer) in answers {
            if let (name, Some(role)) = answer? {
                found.insert(name, role);
            }
        }
        Ok(found)
    }

    /// The role, `None` on IAM's "NoSuchEntity"
    /// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html).
    async fn role(&self, name: &str) -> Result<Option<ObservedRole>, Failure> {
        match self.0.get_role().role_name(name).send().await {
            Ok(output) => Ok(output.role().map(|role| ObservedRole {
                arn: role.arn().to_owned(),
                trust_policy: role.assume_role_policy_document().unwrap_or_default().to_owned(),
            })),
            Err(error) if code(&error) == Some("NoSuchEntity") => Ok(None),
            Err(error) => Err(failure(&format!("read role {name}"), &error)),
        }
    }
}
